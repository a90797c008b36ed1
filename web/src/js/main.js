// The page of `bmdsim serve`: pick a missile, click a launch point, see the footprint and
// the sites in reach; pick a target and fly; add defences and engage; open a scenario
// and watch its run. Every answer comes from the JSON API (the CLI's --json).
import { get, post, postBlob } from "./api.js";
import { lineChart } from "./charts.js";
import { clear, el, fmt, minutes, num, table } from "./dom.js";
import * as globe from "./globe.js";
import { addSources, computed, quantityText, sourceText } from "./sources.js";
import { getState, readState, setState } from "./state.js";

const $ = (id) => document.getElementById(id);
const initial = readState(); // the shared view, before the globe's own camera moves are written
const cat = { missiles: new Map(), sites: new Map(), interceptors: new Map() };
const app = { reach: null, flight: null, engage: null, job: null, defences: [], pickTarget: false, charts: [] };
window.bmdsimApp = app; // tests read what the page drew

function status(text, error = false) {
  const s = $("status");
  s.textContent = text;
  s.title = text;
  s.className = error ? "error" : "";
}

async function task(label, fn) {
  status(`${label}…`);
  document.body.dataset.busy = "1";
  const t0 = performance.now();
  try {
    const out = await fn();
    status(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    return out;
  } catch (e) {
    status(e.message, true);
    throw e;
  } finally {
    delete document.body.dataset.busy;
  }
}

const missile = () => cat.missiles.get($("missile").value);
const siteName = (id) => (cat.sites.get(id) ? `${cat.sites.get(id).name} (${id})` : id);

function placeLabel(text) {
  return cat.sites.has(text) ? cat.sites.get(text).name : text;
}

// -- catalogue ------------------------------------------------------------------------------
async function loadCatalogue() {
  const [missiles, sites, sources, interceptors] = await Promise.all([
    get("/api/catalogue?kind=missile"),
    get("/api/catalogue?kind=site"),
    get("/api/catalogue?kind=source"),
    get("/api/catalogue?kind=interceptor"),
  ]);
  addSources(sources);
  for (const m of missiles) cat.missiles.set(m.id, m);
  for (const s of sites) cat.sites.set(s.id, s);
  for (const i of interceptors) cat.interceptors.set(i.id, i);
  const sel = $("missile");
  for (const m of missiles) {
    const r = m.published_range;
    sel.append(el("option", { value: m.id, title: quantityText("published range", r) }, `${m.name} — ${r.value} ${r.unit}`));
  }
  const pick = $("defence-pick");
  for (const s of sites) {
    for (const sys of s.systems || []) {
      const i = cat.interceptors.get(sys.system);
      if (!i) continue;
      const label = `${s.name}: ${i.name}${i.notional ? " (notional)" : ""}`;
      pick.append(el("option", { value: `${s.id}:${i.id}`, title: sourceText(s.source) }, label));
    }
  }
  globe.drawSites(sites);
}

function showMissile() {
  const m = missile();
  if (!m) return;
  const r = m.published_range;
  const rows = [[num(`${r.value} ${r.unit}`, quantityText("published range", r)), `band ${r.low}–${r.high}`]];
  const p = m.published || {};
  for (const [k, q] of Object.entries(p)) {
    if (q && q.value !== undefined) rows.push([num(`${q.value} ${q.unit}`, quantityText(k.replace(/_/g, " "), q)), k.replace(/_/g, " ")]);
  }
  const cited = el("ol", { class: "sources" });
  clear(
    $("missile-info"),
    el("div", { class: "caveat" }, `${m.kind || ""}, ${m.country || ""}. ${m.summary || ""}`),
    table(null, ["value", "quantity"], rows.slice(0, 6)),
    el("div", { class: "hint" }, "Hover a number for its source, band and grade. Sources:"),
    cited,
  );
  get(`/api/catalogue/${encodeURIComponent(m.id)}/sources`)
    .then((list) => clear(cited, list.map((s) => el("li", { title: s.url || "" }, `[${s.id}] ${[s.author, s.year].filter(Boolean).join(" ")}: ${s.title}`))))
    .catch(() => {});
}

// -- reach ----------------------------------------------------------------------------------
function verdictOf(p) {
  const v = String(p.verdict || p.band || p.reach || "").toLowerCase();
  if (["in", "out", "uncertain"].includes(v)) return v;
  return p.in_reach ? "in" : "out";
}

async function doReach() {
  const origin = $("origin").value.trim();
  if (!origin) return;
  const body = { missile: $("missile").value, from: origin, sites: $("sites").value };
  setState({ m: body.missile, from: origin, sites: body.sites });
  const out = await task(`footprint of ${body.missile}`, () => post("/api/reach", body));
  app.reach = out;
  const drawn = globe.drawFootprint(out, verdictOf);
  renderReach(out, body, drawn);
}

function renderReach(r, body, drawn) {
  const m = missile();
  const src = computed(`reach --missile ${body.missile} --from ${body.from} (${r.by_azimuth.length} azimuths)`, m);
  const inReach = r.sites_in_reach || [];
  const unc = r.sites_uncertain || [];
  const outR = r.sites_out_of_reach || [];
  const total = inReach.length + unc.length + outR.length;
  const mr = r.max_range_km || {};
  const extra = Object.entries(mr).filter(([k]) => !["min", "max"].includes(k));
  const rows = (list, cols) => list.map((s) => cols.map((c) => c(s)));
  const flight = (s) => num(minutes(s.flight_time_s), `${src} Minimum-energy flight time to ${s.id}: ${fmt(s.flight_time_s)} s.`);
  const dist = (s) => num(fmt(s.range_km), `Geodesic distance from the launch point (WGS 84), km. ${src}`);
  const site = (s) => el("span", { title: siteName(s.id) + (cat.sites.get(s.id) ? `. Position: ${sourceText(cat.sites.get(s.id).source)}` : "") }, s.id);
  clear(
    $("reach-out"),
    el(
      "p",
      { class: "answer" },
      `${m ? m.name : body.missile} from ${placeLabel(body.from)} reaches `,
      num(`${inReach.length} of ${total}`, src),
      ` sites; maximum range `,
      num(`${fmt(mr.min)}–${fmt(mr.max)} km`, `${src} Smallest and largest maximum range over the launch azimuths (Earth rotation makes it depend on azimuth).`),
      ".",
    ),
    extra.length
      ? el("p", { class: "caveat" }, "Band: ", extra.map(([k, v]) => [num(`${k} ${typeof v === "object" ? JSON.stringify(v) : fmt(v)} km`, src), " "]))
      : null,
    el(
      "p",
      { class: "caveat" },
      m ? ["The model is calibrated to the published range ", num(`${m.published_range.value} ${m.published_range.unit}`, quantityText("published range", m.published_range)), ` (band ${m.published_range.low}–${m.published_range.high}); `] : null,
      "sites near the ring are as uncertain as that band. Flight times are minimum-energy.",
    ),
    el(
      "div",
      { class: "legend" },
      el("i", { style: "background:#ea580c" }), "footprint",
      drawn > 1 ? [el("i", { style: "background:#f59e0b" }), "low", el("i", { style: "background:#dc2626" }), "high"] : null,
      el("i", { style: "background:#15803d" }), "in reach",
      el("i", { style: "background:#b45309" }), "uncertain",
      el("i", { style: "background:#b91c1c" }), "out",
    ),
    inReach.length ? table("In reach", ["site", { t: "km", n: 1 }, { t: "flight", n: 1 }], rows(inReach, [site, dist, flight])) : null,
    unc.length ? table("Uncertain", ["site", { t: "km", n: 1 }, { t: "flight", n: 1 }], rows(unc, [site, dist, flight])) : null,
    outR.length
      ? table("Out of reach", ["site", { t: "km", n: 1 }, { t: "reach km", n: 1 }], rows(outR, [site, dist, (s) => num(fmt(s.max_range_km), `The footprint's range on the bearing to ${s.id}. ${src}`)]))
      : null,
  );
  document.body.dataset.reachSites = String(inReach.length);
}

// -- flight ---------------------------------------------------------------------------------
async function doFly() {
  const origin = $("origin").value.trim();
  const target = $("target").value.trim();
  if (!origin || !target) {
    status("a flight needs a launch point (Reach tab) and a target", true);
    return;
  }
  const body = { missile: $("missile").value, from: origin, to: target, shape: $("shape").value, series: true, points: 400 };
  setState({ m: body.missile, from: origin, to: target, shape: body.shape });
  const out = await task(`flying ${body.missile}`, () => post("/api/trajectory", body));
  app.flight = out;
  globe.drawTrajectory(out);
  renderFlight(out, body);
  if (!initial.cam) globe.frame(out);
}

function renderFlight(t, body) {
  const src = computed(`trajectory --missile ${body.missile} --from ${body.from} --to ${body.to} --shape ${body.shape}`, missile());
  const b = t.burnout;
  clear(
    $("flight-out"),
    el(
      "p",
      { class: "answer" },
      `${placeLabel(body.from)} → ${placeLabel(body.to)}: `,
      num(minutes(t.flight_time_s), `${src} Flight time ${fmt(t.flight_time_s, 1)} s.`),
      " over ",
      num(`${fmt(t.range_km)} km`, src),
      ", apogee ",
      num(`${fmt(t.apogee_km)} km`, src),
      ` (${t.shape}).`,
    ),
    table(null, ["burnout", { t: "value", n: 1 }], [
      ["time", num(`${fmt(b.time_s, 1)} s`, src)],
      ["altitude", num(`${fmt(b.altitude_km, 1)} km`, src)],
      ["speed (inertial)", num(`${fmt(b.speed_kms, 3)} km/s`, src)],
      ["flight-path angle", num(`${fmt(b.flight_path_angle_deg, 2)}°`, src)],
      ["miss distance", num(`${fmt((t.miss_km || 0) * 1000)} m`, src)],
    ]),
  );
  const s = t.series;
  app.charts = [
    lineChart(s.t_s, s.alt_km, { title: "altitude (km) vs time (s)", xLabel: "s", colour: "#be123c", source: src }),
    lineChart(s.t_s, s.speed_kms, { title: "speed (km/s) vs time (s)", xLabel: "s", colour: "#1d4ed8", source: src }),
    lineChart(s.ground_range_km, s.alt_km, { title: "altitude (km) vs ground range (km)", xLabel: "km", colour: "#15803d", source: src }),
  ];
  clear($("profile"), app.charts);
  $("player").hidden = false;
  const slider = $("time");
  slider.max = String(t.flight_time_s || s.t_s[s.t_s.length - 1]);
  const t0 = Number(getState().t || 0);
  slider.value = String(Math.min(t0, Number(slider.max)));
  onTime();
}

function onTime() {
  const t = Number($("time").value);
  const p = globe.setTime(t);
  if (!p) return;
  $("time-read").textContent = `t ${fmt(t)} s · ${fmt(p.alt_km, 1)} km · ${fmt(p.speed_kms, 2)} km/s`;
  $("time-read").title = computed("trajectory", missile());
  app.charts[0]?.setCursor(t);
  app.charts[1]?.setCursor(t);
  app.charts[2]?.setCursor(p.ground_range_km);
  setState({ t: Math.round(t) || null });
}

let playing = null;
function play() {
  if (playing) {
    clearInterval(playing);
    playing = null;
    $("play").textContent = "▶";
    return;
  }
  const slider = $("time");
  const max = Number(slider.max);
  if (Number(slider.value) >= max) slider.value = "0";
  $("play").textContent = "❚❚";
  playing = setInterval(() => {
    const next = Math.min(Number(slider.value) + max / 200, max);
    slider.value = String(next);
    onTime();
    if (next >= max) play();
  }, 50);
}

// -- defence --------------------------------------------------------------------------------
function renderDefences() {
  clear(
    $("defences"),
    app.defences.map((d) =>
      el("li", {}, d, el("button", { title: "remove", "aria-label": `remove ${d}`, onclick: () => { app.defences = app.defences.filter((x) => x !== d); renderDefences(); } }, "×")),
    ),
  );
  globe.drawDefences(
    app.defences
      .map((d) => {
        const s = cat.sites.get(d.split(":")[0]);
        return s ? { site: s.id, lat: s.lat_deg, lon: s.lon_deg, label: d } : null;
      })
      .filter(Boolean),
  );
  setState({ d: app.defences.join(",") || null });
}

async function doEngage() {
  const origin = $("origin").value.trim();
  const target = $("target").value.trim();
  if (!origin || !target || !app.defences.length) {
    status("engage needs a launch point, a target and at least one defence", true);
    return;
  }
  const body = { threat: $("missile").value, from: origin, to: target, defences: app.defences, shape: $("shape").value };
  if ($("cue").value) body.cue_at = $("cue").value;
  setState({ cue: body.cue_at || null });
  const out = await task("engagement", () => post("/api/engage", body));
  app.engage = out;
  renderEngage(out, body);
  const png = await task("battle-space chart", () => postBlob("/api/engage/figure?kind=battle-space", body));
  $("defence-out").append(el("img", { class: "figure", alt: "battle-space chart", src: URL.createObjectURL(png), title: computed("engage (battle space: altitude vs ground range from each site)", missile()) }));
}

function renderEngage(e, body) {
  const src = computed(`engage --threat ${body.threat} --from ${body.from} --to ${body.to}`, missile());
  const ok = e.windows.filter((w) => w.feasible).length;
  const has = (w) => {
    const i = cat.interceptors.get(w.interceptor);
    return i && i.burnout_speed ? num(fmt(i.burnout_speed.value, 1), quantityText(`${i.name} burnout speed`, i.burnout_speed)) : "–";
  };
  const rows = e.windows.map((w) => [
    el("span", { title: siteName(w.site) }, `${w.site}:${w.interceptor}`),
    el("span", { class: w.feasible ? "yes" : "no", title: w.reason_text || "feasible" }, w.feasible ? "yes" : "no"),
    num(w.earliest_launch_s === null ? "–" : `≥${fmt(w.earliest_launch_s)}`, `${src} Earliest interceptor launch, s after the threat's launch.`),
    num(w.feasible ? `${fmt(w.first_intercept_s)}–${fmt(w.last_intercept_s)}` : "–", `${src} Intercept window, s after launch.`),
    num(w.feasible ? `${fmt(w.first_altitude_km)}–${fmt(w.last_altitude_km)}` : "–", `${src} Intercept altitudes, km.`),
    num(String(w.shots), `${src} Shoot-look-shoot opportunities.`),
    num(w.min_burnout_speed_kms === null ? "> 10" : fmt(w.min_burnout_speed_kms, 2), `${src} The slowest interceptor burnout speed (km/s) that would intercept.`),
    has(w),
  ]);
  clear(
    $("defence-out"),
    el("p", { class: "answer" }, num(`${ok} of ${e.windows.length}`, src), " batteries could intercept ", body.threat, " ", placeLabel(body.from), " → ", placeLabel(body.to), "."),
    el("p", { class: "caveat" }, `Kinematic feasibility only (no Pk beyond the catalogue's); cueing: ${body.cue_at ? "ideal track from " + body.cue_at : "the sites' radars and the early-warning satellite"}; decision delay `, num(`${e.doctrine.decision_delay_s} s`, "bmdsim engage default doctrine"), "."),
    el("div", { class: "wide" }, table(null, ["battery", "ok", { t: "launch s", n: 1 }, { t: "window s", n: 1 }, { t: "alt km", n: 1 }, { t: "shots", n: 1 }, { t: "need km/s", n: 1 }, { t: "has km/s", n: 1 }], rows)),
    el("p", { class: "hint" }, "need: the slowest interceptor burnout speed that would intercept; has: the catalogue's."),
    el("ul", { class: "caveat" }, e.windows.filter((w) => w.reason).map((w) => el("li", {}, `${w.site}:${w.interceptor}: ${w.reason} — ${w.reason_text}`))),
    el("p", { class: "caveat" }, "Sensors: ", e.sensors.map((s) => `${s.name} (firm track ${s.firm_track_s === null ? "never" : fmt(s.firm_track_s) + " s"})`).join("; ")),
  );
}

// -- scenarios ------------------------------------------------------------------------------
let shippedText = "";

async function loadScenarios() {
  const list = await get("/api/scenarios");
  const sel = $("scenario-pick");
  sel.append(el("option", { value: "" }, "choose…"));
  for (const s of list) sel.append(el("option", { value: s.name, title: s.title || "" }, s.name));
}

async function openScenario(name) {
  if (!name) return;
  const s = await task(`scenario ${name}`, () => get(`/api/scenarios/${encodeURIComponent(name)}`));
  shippedText = s.yaml;
  $("scenario-text").value = s.yaml;
  $("scenario-pick").value = name;
  setState({ scn: name });
  clear($("scenario-problems"), el("p", { class: "caveat" }, s.title || ""), el("p", { class: "hint" }, `${s.threats.length} threats, ${s.defences.length} defences, ${s.samples} samples by default.`));
}

function scenarioBody() {
  const name = $("scenario-pick").value;
  const text = $("scenario-text").value;
  const body = name && text === shippedText ? { scenario: name } : { yaml: text };
  const n = $("samples").value;
  if (n !== "") body.samples = Number(n);
  return body;
}

function showProblems(e) {
  const items = Array.isArray(e.detail) ? e.detail : [{ msg: e.message }];
  clear($("scenario-problems"), el("ul", { class: "problems" }, items.map((d) => el("li", {}, `${d.line ? "line " + d.line + ": " : ""}${d.msg}`))));
}

async function checkScenario() {
  try {
    const s = await task("checking the scenario", () => post("/api/scenarios/check", { yaml: $("scenario-text").value }));
    clear($("scenario-problems"), el("p", { class: "yes" }, `valid: ${s.name}, ${s.threats.length} threats, ${s.defences.length} defences`));
  } catch (e) {
    showProblems(e);
  }
}

async function runScenario() {
  let job;
  try {
    job = await task("queueing the run", () => post("/api/runs", scenarioBody()));
  } catch (e) {
    showProblems(e);
    return;
  }
  app.job = job;
  clear($("run-out"));
  $("run-progress").hidden = false;
  $("run-cancel").hidden = false;
  pollRun(job.id);
}

async function pollRun(id) {
  const job = await get(`/api/runs/${id}`);
  app.job = job;
  const p = job.progress || {};
  const frac = p.samples_total ? p.samples_done / p.samples_total : p.total ? p.step / p.total : 0;
  $("run-progress").firstElementChild.style.width = `${Math.round(frac * 100)}%`;
  const samples = p.samples_total ? ` · samples ${fmt(p.samples_done)}/${fmt(p.samples_total)}` : "";
  $("run-progress").lastElementChild.textContent = `${job.status}${p.total ? ` · step ${p.step}/${p.total}` : ""} ${p.label || ""}${samples}`;
  document.body.dataset.run = job.status;
  if (["queued", "running"].includes(job.status)) {
    setTimeout(() => pollRun(id), 1000);
    return;
  }
  $("run-cancel").hidden = true;
  if (job.status === "done") renderRun(job);
  else clear($("run-out"), el("p", { class: job.status === "cancelled" ? "caveat" : "no" }, `${job.status}${job.error ? ": " + job.error : ""}`));
}

function renderRun(job) {
  const r = job.report || {};
  const src = `From the run's summary.json: bmdsim run ${job.scenario}${job.samples ? ` with ${job.samples} samples` : " (central catalogue values)"}.`;
  const label = (t) => (t && typeof t === "object" ? t.label : t);
  const eng = (r.engagements || []).flatMap((e) => e.windows.map((w) => [label(e.threat), `${w.site}:${w.interceptor}`, el("span", { class: w.feasible ? "yes" : "no" }, w.feasible ? "yes" : "no"), num(w.min_burnout_speed_kms === null ? "> 10" : fmt(w.min_burnout_speed_kms, 2), `${src} Slowest burnout speed that would intercept, km/s.`)]));
  const pairs = (r.uncertainty && r.uncertainty.pairs) || [];
  clear(
    $("run-out"),
    el("p", { class: "answer" }, `${job.scenario}: done in `, num(`${fmt(job.finished - job.started, 1)} s`, "wall time of the run on this server"), "."),
    el("p", {}, el("a", { href: job.files.report, target: "_blank", rel: "noopener" }, "Open the report"), " · ", el("a", { href: job.files.summary, target: "_blank", rel: "noopener" }, "summary.json")),
    (r.trajectories || []).length
      ? table("Threats", ["threat", { t: "km", n: 1 }, { t: "apogee", n: 1 }, { t: "time", n: 1 }], r.trajectories.map((t) => [t.threat, num(fmt(t.range_km), src), num(fmt(t.apogee_km), src), num(minutes(t.flight_time_s), src)]))
      : null,
    eng.length ? table("Engagements", ["threat", "battery", "ok", { t: "needs km/s", n: 1 }], eng) : null,
    pairs.length
      ? table("P(feasible) over the samples", ["threat", "battery", { t: "P", n: 1 }, { t: "95 %", n: 1 }], pairs.map((p) => [p.threat, p.site ? `${p.site}:${p.interceptor}` : "–", num(fmt(p.p_feasible, 3), `${src} Fraction of samples with a feasible intercept.`), num(`${fmt(p.ci95[0], 3)}–${fmt(p.ci95[1], 3)}`, `${src} Wilson 95 % interval (Monte Carlo error only).`)]))
      : null,
    (r.reach || []).length
      ? table("Reach", ["footprint", { t: "max km", n: 1 }, { t: "sites in", n: 1 }], r.reach.map((f) => [f.label, num(`${fmt(f.max_range_km.min)}–${fmt(f.max_range_km.max)}`, src), num(String(f.sites_in_reach.length), src)]))
      : null,
    job.files.results ? queryBox(job.id) : null,
  );
  if (job.files.czml) globe.showCzml(job.files.czml).catch((e) => status(`scene: ${e.message}`, true));
}

function queryBox(id) {
  const sql = el("textarea", { rows: "3", spellcheck: "false", "aria-label": "SQL" });
  sql.value = "SELECT threat, site, interceptor, avg(feasible::DOUBLE) AS p FROM results GROUP BY ALL ORDER BY ALL";
  const out = el("div", {});
  const go = async () => {
    try {
      const q = await task("query", () => post(`/api/runs/${id}/query`, { sql: sql.value, max_rows: 200 }));
      clear(out, table(q.truncated ? `first ${q.row_count} rows` : `${q.row_count} rows`, q.columns, q.rows.map((row) => q.columns.map((c) => (typeof row[c] === "number" ? num(String(+row[c].toPrecision(6)), "results store of this run (DuckDB)") : String(row[c]))))));
    } catch (e) {
      clear(out, el("p", { class: "no" }, e.message));
    }
  };
  return el("div", {}, el("label", {}, "Query the results store (read-only SQL)"), sql, el("div", { class: "row" }, el("button", { onclick: go }, "Query")), out);
}

// -- wiring ---------------------------------------------------------------------------------
function setTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("on", b.dataset.tab === name);
  for (const s of document.querySelectorAll(".tab")) s.classList.toggle("on", s.id === `tab-${name}`);
  setState({ tab: name === "reach" ? null : name });
}

function setView(mode) {
  globe.setMode(mode);
  $("view-3d").classList.toggle("on", mode === "3d");
  $("view-2d").classList.toggle("on", mode === "2d");
  setState({ view: mode === "3d" ? null : mode });
}

function onGlobeClick(where) {
  const text = where.site || `${where.lat.toFixed(3)},${where.lon.toFixed(3)}`;
  if (app.pickTarget) {
    app.pickTarget = false;
    $("pick-target").classList.remove("on");
    $("target").value = text;
    setTab("flight");
    doFly().catch(() => {});
    return;
  }
  $("origin").value = text;
  doReach().catch(() => {});
}

function wire() {
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => setTab(b.dataset.tab));
  $("view-3d").addEventListener("click", () => setView("3d"));
  $("view-2d").addEventListener("click", () => setView("2d"));
  $("share").addEventListener("click", async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      status("link copied");
    } catch {
      window.prompt("Link to this view:", url);
    }
  });
  $("missile").addEventListener("change", () => {
    showMissile();
    setState({ m: $("missile").value });
    if ($("origin").value) doReach().catch(() => {});
  });
  $("sites").addEventListener("change", () => $("origin").value && doReach().catch(() => {}));
  $("reach-go").addEventListener("click", () => doReach().catch(() => {}));
  $("origin").addEventListener("keydown", (e) => e.key === "Enter" && doReach().catch(() => {}));
  $("fly-go").addEventListener("click", () => doFly().catch(() => {}));
  $("target").addEventListener("keydown", (e) => e.key === "Enter" && doFly().catch(() => {}));
  $("pick-target").addEventListener("click", () => {
    app.pickTarget = !app.pickTarget;
    $("pick-target").classList.toggle("on", app.pickTarget);
    status(app.pickTarget ? "click the globe to set the target" : "");
  });
  $("time").addEventListener("input", onTime);
  $("play").addEventListener("click", play);
  $("defence-pick").addEventListener("change", (e) => {
    const v = e.target.value;
    if (v && !app.defences.includes(v)) app.defences.push(v);
    e.target.value = "";
    renderDefences();
  });
  $("engage-go").addEventListener("click", () => doEngage().catch(() => {}));
  $("scenario-pick").addEventListener("change", (e) => openScenario(e.target.value).catch(() => {}));
  $("scenario-file").addEventListener("change", async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    $("scenario-text").value = await f.text();
    $("scenario-pick").value = "";
    setState({ scn: null });
    checkScenario();
  });
  $("scenario-check").addEventListener("click", checkScenario);
  $("run-go").addEventListener("click", runScenario);
  $("run-cancel").addEventListener("click", async () => {
    if (app.job) await post(`/api/runs/${app.job.id}/cancel`, {});
  });
}

async function restore() {
  const s = initial;
  if (s.m && cat.missiles.has(s.m)) $("missile").value = s.m;
  else if (cat.missiles.has("iskander-m")) $("missile").value = "iskander-m";
  showMissile();
  if (s.sites) $("sites").value = s.sites;
  if (s.shape) $("shape").value = s.shape;
  if (s.cue) $("cue").value = s.cue;
  if (s.d) app.defences = s.d.split(",").filter(Boolean);
  renderDefences();
  if (s.view === "2d") setView("2d");
  if (s.cam) globe.setCamera(s.cam);
  if (s.tab) setTab(s.tab);
  if (s.from) {
    $("origin").value = s.from;
    await doReach().catch(() => {});
  }
  if (s.to) {
    $("target").value = s.to;
    await doFly().catch(() => {});
  }
  if (s.d && s.from && s.to) await doEngage().catch(() => {});
  if (s.scn) await openScenario(s.scn).catch(() => {});
}

async function main() {
  wire();
  await globe.initGlobe($("globe"), { onClick: onGlobeClick, onCamera: (c) => setState({ cam: c }) });
  await loadCatalogue();
  await loadScenarios();
  await restore();
  document.body.dataset.ready = "1";
  if (!$("status").textContent) status("click the globe to set a launch point");
}

main().catch((e) => {
  status(`the page failed to start: ${e.message}`, true);
  document.body.dataset.ready = "error";
});
