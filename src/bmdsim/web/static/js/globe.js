// The globe and the map: CesiumJS (vendored), on an ellipsoid with no terrain, whose only
// imagery is the shipped Natural Earth countries (GET /api/basemap) drawn into one
// equirectangular image in the browser. No imagery server, no Cesium ion, no tiles.
/* global Cesium */

const C = () => window.Cesium;
let viewer = null;
const layers = {};
let marker = { position: null };
let trajectorySamples = null;

const COLORS = {
  central: "#ea580c",
  low: "#f59e0b",
  high: "#dc2626",
  in: "#15803d",
  out: "#b91c1c",
  uncertain: "#b45309",
  site: "#6b7280",
  defence: "#1d4ed8",
  path: "#be123c",
};

function color(name, alpha = 1) {
  return C().Color.fromCssColorString(COLORS[name] || name).withAlpha(alpha);
}

async function basemapImage() {
  const geo = await (await fetch("/api/basemap")).json();
  const W = 4096;
  const H = 2048;
  const canvas = document.createElement("canvas");
  canvas.width = W;
  canvas.height = H;
  const g = canvas.getContext("2d");
  g.fillStyle = "#cfe0ea";
  g.fillRect(0, 0, W, H);
  const x = (lon) => ((lon + 180) / 360) * W;
  const y = (lat) => ((90 - lat) / 180) * H;
  g.fillStyle = "#f4f1ea";
  g.strokeStyle = "#8d8d8d";
  g.lineWidth = 1.2;
  for (const f of geo.features) {
    const geom = f.geometry;
    if (!geom) continue;
    const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
    for (const poly of polys) {
      g.beginPath();
      for (const ring of poly) {
        ring.forEach(([lon, lat], i) => (i ? g.lineTo(x(lon), y(lat)) : g.moveTo(x(lon), y(lat))));
        g.closePath();
      }
      g.fill("evenodd");
      g.stroke();
    }
  }
  // a 30-degree graticule
  g.strokeStyle = "rgba(80,100,120,0.25)";
  g.lineWidth = 1;
  for (let lon = -180; lon <= 180; lon += 30) {
    g.beginPath(); g.moveTo(x(lon), 0); g.lineTo(x(lon), H); g.stroke();
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    g.beginPath(); g.moveTo(0, y(lat)); g.lineTo(W, y(lat)); g.stroke();
  }
  return { url: canvas.toDataURL("image/png"), W, H };
}

export async function initGlobe(container, { onClick, onCamera }) {
  const Cs = C();
  viewer = new Cs.Viewer(container, {
    baseLayer: false,
    baseLayerPicker: false,
    geocoder: false,
    homeButton: false,
    sceneModePicker: false,
    navigationHelpButton: false,
    animation: false,
    timeline: false,
    fullscreenButton: false,
    infoBox: false,
    selectionIndicator: false,
    skyBox: false,
    skyAtmosphere: false,
    terrainProvider: new Cs.EllipsoidTerrainProvider(),
    requestRenderMode: true,
    maximumRenderTimeChange: Infinity,
    contextOptions: { webgl: { preserveDrawingBuffer: true } },
  });
  const scene = viewer.scene;
  scene.globe.baseColor = Cs.Color.fromCssColorString("#cfe0ea");
  scene.globe.showGroundAtmosphere = false;
  scene.globe.enableLighting = false;
  // Light, like the sea: software WebGL leaves hairline cracks between globe tiles, and a
  // dark background shows through them.
  scene.backgroundColor = Cs.Color.fromCssColorString("#dde6ec");
  if (scene.sun) scene.sun.show = false;
  if (scene.moon) scene.moon.show = false;
  scene.fog.enabled = false;
  const img = await basemapImage();
  const provider = new Cs.SingleTileImageryProvider({
    url: img.url,
    tileWidth: img.W,
    tileHeight: img.H,
    credit: new Cs.Credit("Natural Earth 1:110m countries (public domain), shipped with bmdsim"),
  });
  viewer.imageryLayers.add(new Cs.ImageryLayer(provider));
  for (const name of ["sites", "reach", "flight", "defence"]) {
    layers[name] = new Cs.CustomDataSource(name);
    viewer.dataSources.add(layers[name]);
  }
  viewer.camera.setView({ destination: Cs.Cartesian3.fromDegrees(24, 51, 7.0e6) });
  const handler = new Cs.ScreenSpaceEventHandler(scene.canvas);
  handler.setInputAction((e) => {
    const picked = scene.pick(e.position);
    const siteId = picked && picked.id && picked.id.properties && picked.id.properties.siteId;
    if (siteId) {
      onClick({ site: siteId.getValue() });
      return;
    }
    const cart = viewer.camera.pickEllipsoid(e.position, scene.globe.ellipsoid);
    if (!cart) return;
    const c = Cs.Cartographic.fromCartesian(cart);
    onClick({ lat: Cs.Math.toDegrees(c.latitude), lon: Cs.Math.toDegrees(c.longitude) });
  }, Cs.ScreenSpaceEventType.LEFT_CLICK);
  viewer.camera.moveEnd.addEventListener(() => onCamera && onCamera(cameraState()));
  render();
  return viewer;
}

// The scene renders on request (a software-rendered WebGL would otherwise spin a core);
// entity geometry is built in workers and lands a few frames later, so keep asking for a
// while after each change.
let burst = null;
export function render(ms = 1500) {
  if (!viewer) return;
  viewer.scene.requestRender();
  const now = performance.now();
  if (burst) {
    burst.until = Math.max(burst.until, now + ms);
    return;
  }
  burst = { until: now + ms, limit: now + 60000 };
  document.body.dataset.drawing = "1";
  const tick = () => {
    viewer.scene.requestRender();
    const t = performance.now();
    const pending = !viewer.dataSourceDisplay.ready;
    if ((t < burst.until || pending) && t < burst.limit) setTimeout(tick, 100);
    else {
      burst = null;
      delete document.body.dataset.drawing;
    }
  };
  setTimeout(tick, 100);
}

// Resolve once Cesium has built the geometry of these entities (it does so in workers, a
// few frames after they are added), then keep rendering a moment so they are on screen.
function shown(entities) {
  const Cs = C();
  const scratch = new Cs.BoundingSphere();
  return new Promise((resolve) => {
    const limit = performance.now() + 120000;
    const check = () => {
      viewer.scene.requestRender();
      const pending = entities.some(
        (e) => viewer.dataSourceDisplay.getBoundingSphere(e, false, scratch) === Cs.BoundingSphereState.PENDING,
      );
      if (pending && performance.now() < limit) setTimeout(check, 100);
      else {
        render(800);
        setTimeout(resolve, 900);
      }
    };
    setTimeout(check, 50);
  });
}

export function ready() {
  return new Promise((resolve) => {
    const check = () => (viewer && viewer.scene.globe.tilesLoaded ? resolve() : setTimeout(check, 100));
    check();
  });
}

export function setMode(mode) {
  const Cs = C();
  if (!viewer) return;
  if (mode === "2d" && viewer.scene.mode !== Cs.SceneMode.SCENE2D) viewer.scene.morphTo2D(0);
  if (mode === "3d" && viewer.scene.mode !== Cs.SceneMode.SCENE3D) viewer.scene.morphTo3D(0);
  render();
}

export function cameraState() {
  const c = viewer.camera.positionCartographic;
  const d = (r) => C().Math.toDegrees(r).toFixed(2);
  return `${d(c.longitude)},${d(c.latitude)},${Math.round(c.height / 1000)}`;
}

export function setCamera(text) {
  const [lon, lat, km] = String(text).split(",").map(Number);
  if ([lon, lat, km].some((v) => !Number.isFinite(v))) return;
  viewer.camera.setView({ destination: C().Cartesian3.fromDegrees(lon, lat, Math.max(km, 50) * 1000) });
  render();
}

function point(ds, { lat, lon, name, colour, size = 8, label, siteId, description }) {
  const Cs = C();
  return ds.entities.add({
    position: Cs.Cartesian3.fromDegrees(lon, lat, 0),
    name,
    description,
    properties: siteId ? { siteId } : undefined,
    point: {
      pixelSize: size,
      color: color(colour),
      outlineColor: Cs.Color.WHITE,
      outlineWidth: 1.5,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
    },
    label: label
      ? {
          text: label,
          font: "12px sans-serif",
          fillColor: Cs.Color.BLACK,
          outlineColor: Cs.Color.WHITE,
          outlineWidth: 3,
          style: Cs.LabelStyle.FILL_AND_OUTLINE,
          pixelOffset: new Cs.Cartesian2(8, -8),
          horizontalOrigin: Cs.HorizontalOrigin.LEFT,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
          scale: 1,
        }
      : undefined,
  });
}

export function drawSites(sites) {
  layers.sites.entities.removeAll();
  for (const s of sites) {
    point(layers.sites, { lat: s.lat_deg, lon: s.lon_deg, name: s.name, colour: "site", size: 5, siteId: s.id });
  }
  render();
}

function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

// The outline without the cut edges along +-180 (a footprint cut at the antimeridian).
function outlines(ring) {
  const parts = [];
  let cur = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[i + 1];
    cur.push(p);
    if (q && Math.abs(p[0]) === 180 && Math.abs(q[0]) === 180) {
      if (cur.length > 1) parts.push(cur);
      cur = [];
    }
  }
  if (cur.length > 1) parts.push(cur);
  return parts;
}

function bandOf(feature) {
  const p = feature.properties || {};
  const b = String(p.band || p.kind || "central").toLowerCase();
  if (b.includes("low")) return "low";
  if (b.includes("high")) return "high";
  return "central";
}

// A reach answer on the globe: every polygon feature of the footprint GeoJSON (the
// central ring, and low/high rings where the API gives them), the launch point, and the
// sites coloured by verdict (in / out / uncertain).
export function drawFootprint(summary, verdictOf) {
  const Cs = C();
  const ds = layers.reach;
  ds.entities.removeAll();
  delete document.body.dataset.reachShown;
  const added = [];
  const polys = (summary.footprint?.features || []).filter((f) => rings(f.geometry).length);
  let drawn = 0;
  for (const f of polys) {
    const band = bandOf(f);
    for (const poly of rings(f.geometry)) {
      const [outer, ...holes] = poly;
      const hierarchy = new Cs.PolygonHierarchy(
        Cs.Cartesian3.fromDegreesArray(outer.flat()),
        holes.map((h) => new Cs.PolygonHierarchy(Cs.Cartesian3.fromDegreesArray(h.flat()))),
      );
      if (band === "central") {
        added.push(ds.entities.add({ polygon: { hierarchy, material: color("central", 0.22), height: 0 } }));
      }
      for (const part of outlines(outer)) {
        added.push(ds.entities.add({
          polyline: {
            positions: Cs.Cartesian3.fromDegreesArray(part.flat()),
            width: band === "central" ? 2.5 : 1.8,
            material: band === "central" ? color(band) : new Cs.PolylineDashMaterialProperty({ color: color(band) }),
            arcType: Cs.ArcType.GEODESIC,
          },
        }));
      }
      drawn++;
    }
  }
  const l = summary.launch;
  point(ds, { lat: l.lat, lon: l.lon, name: "launch point", colour: "#111827", size: 10, label: "launch" });
  for (const f of summary.footprint?.features || []) {
    const p = f.properties || {};
    if (p.kind !== "site" || !f.geometry) continue;
    const verdict = verdictOf(p);
    const [lon, lat] = f.geometry.coordinates;
    point(ds, {
      lat,
      lon,
      name: p.name || p.id,
      colour: verdict,
      size: 8,
      label: verdict !== "out" ? p.id : undefined,
      siteId: p.id,
    });
  }
  document.body.dataset.footprint = String(drawn);
  render();
  shown(added).then(() => {
    if (ds.entities.contains(added[0]) || !added.length) document.body.dataset.reachShown = String(drawn);
  });
  return drawn;
}

function interp(series, t) {
  const ts = series.t_s;
  let i = 1;
  while (i < ts.length - 1 && ts[i] < t) i++;
  const a = i - 1;
  const w = ts[i] === ts[a] ? 0 : Math.min(Math.max((t - ts[a]) / (ts[i] - ts[a]), 0), 1);
  const mix = (k) => series[k][a] + w * (series[k][i] - series[k][a]);
  let dlon = series.lon[i] - series.lon[a];
  if (dlon > 180) dlon -= 360;
  if (dlon < -180) dlon += 360;
  return {
    t,
    lat: mix("lat"),
    lon: series.lon[a] + w * dlon,
    alt_km: mix("alt_km"),
    speed_kms: mix("speed_kms"),
    ground_range_km: mix("ground_range_km"),
  };
}

export function drawTrajectory(summary) {
  const Cs = C();
  const ds = layers.flight;
  ds.entities.removeAll();
  const s = summary.series;
  trajectorySamples = s;
  const coords = [];
  const ground = [];
  for (let i = 0; i < s.t_s.length; i++) {
    if (s.lat[i] === null || s.lon[i] === null) continue;
    coords.push(s.lon[i], s.lat[i], Math.max(s.alt_km[i] || 0, 0) * 1000);
    ground.push(s.lon[i], s.lat[i]);
  }
  ds.entities.add({
    polyline: { positions: Cs.Cartesian3.fromDegreesArrayHeights(coords), width: 3, material: color("path"), arcType: Cs.ArcType.NONE },
  });
  ds.entities.add({
    polyline: {
      positions: Cs.Cartesian3.fromDegreesArray(ground),
      width: 1.5,
      material: new Cs.PolylineDashMaterialProperty({ color: Cs.Color.fromCssColorString("#555").withAlpha(0.7) }),
      arcType: Cs.ArcType.GEODESIC,
    },
  });
  point(ds, { lat: summary.launch.lat, lon: summary.launch.lon, name: "launch", colour: "#111827", size: 9 });
  if (summary.impact) point(ds, { lat: summary.impact.lat, lon: summary.impact.lon, name: "impact", colour: "#6b7280", size: 9, label: "impact" });
  marker.position = Cs.Cartesian3.fromDegrees(summary.launch.lon, summary.launch.lat, 0);
  ds.entities.add({
    position: new Cs.CallbackProperty(() => marker.position, false),
    point: { pixelSize: 11, color: color("path"), outlineColor: Cs.Color.WHITE, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY },
  });
  document.body.dataset.trajectory = String(coords.length / 3);
  render();
}

export function setTime(t) {
  if (!trajectorySamples) return null;
  const p = interp(trajectorySamples, t);
  marker.position = C().Cartesian3.fromDegrees(p.lon, p.lat, Math.max(p.alt_km, 0) * 1000);
  render();
  return p;
}

export function drawDefences(list) {
  const ds = layers.defence;
  ds.entities.removeAll();
  for (const d of list) point(ds, { lat: d.lat, lon: d.lon, name: d.label, colour: "defence", size: 10, label: d.label, siteId: d.site });
  render();
}

export async function showCzml(url) {
  const Cs = C();
  if (layers.scenario) viewer.dataSources.remove(layers.scenario, true);
  layers.scenario = await Cs.CzmlDataSource.load(url);
  await viewer.dataSources.add(layers.scenario);
  viewer.clock.shouldAnimate = false;
  render();
}

// Bring a flight into view: above its middle, high enough to see it whole.
export function frame(t) {
  const s = t.series;
  const mid = Math.floor(s.t_s.length / 2);
  const km = Math.min(Math.max((t.range_km || 500) * 2.2, 900), 20000);
  flyTo(s.lat[mid], s.lon[mid], km);
}

export function flyTo(lat, lon, km) {
  viewer.camera.flyTo({ destination: C().Cartesian3.fromDegrees(lon, lat, km * 1000), duration: 0.8 });
}

export function snapshotPixels() {
  // For tests: how many non-background pixels the globe's canvas shows.
  const canvas = viewer.scene.canvas;
  return { width: canvas.width, height: canvas.height };
}
