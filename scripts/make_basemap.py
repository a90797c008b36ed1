"""Convert Natural Earth admin-0 countries (1:110m) from TopoJSON to the shipped GeoJSON.

Provenance
----------
Source: the npm package ``world-atlas`` 2.0.2 (Mike Bostock, ISC licence for the
packaging; https://github.com/topojson/world-atlas), file ``countries-110m.json``: a
TopoJSON redistribution of Natural Earth 4.1.0 "Admin 0 - Countries", 1:110m
(https://www.naturalearthdata.com/, public domain).

Run once, by hand (no network needed once the tarball is here)::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py /tmp/package/countries-110m.json

It writes ``src/bmdsim/output/data/naturalearth_110m_admin0.geojson``: one Feature per
country with ``name`` and ``iso_n3`` properties, rings counter-clockwise (RFC 7946),
valid, and polygons that cross the antimeridian (Russia, Fiji, Antarctica) cut at ±180
with the ``antimeridian`` package.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import antimeridian
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

OUT = (
    Path(__file__).resolve().parents[1] / "src/bmdsim/output/data/naturalearth_110m_admin0.geojson"
)
SOURCE = "world-atlas 2.0.2 (npm), countries-110m.json = Natural Earth 4.1.0 admin 0, 1:110m"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat arcs from a quantized, delta-encoded TopoJSON topology
    (TopoJSON specification 2.1.5 and 2.2)."""
    tr = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        pts = []
        x = y = 0
        for dx, dy in arc:
            if tr:
                x += dx
                y += dy
                pts.append(
                    (
                        x * tr["scale"][0] + tr["translate"][0],
                        y * tr["scale"][1] + tr["translate"][1],
                    )
                )
            else:
                pts.append((dx, dy))
        arcs.append(pts)
    return arcs


def ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    """Join arcs into a ring; a negative index ~i is arc i reversed. The first point of
    each arc after the first repeats the last point of the one before, so it is dropped."""
    out: list[tuple[float, float]] = []
    for k, i in enumerate(indices):
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if k == 0 else pts[1:])
    return out


def country_geometry(geom: dict, arcs: list):
    """A valid shapely (Multi)Polygon in lon/lat, counter-clockwise exteriors, cut at ±180."""
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {geom['type']}")
    parts: list[Polygon] = []
    for rings in polys:
        # world-atlas follows d3's spherical convention: exteriors clockwise, and rings
        # merged across the antimeridian (Russia, Fiji) or around the South Pole
        # (Antarctica). Reversed, they are counter-clockwise with the interior on the
        # left, which is what antimeridian.fix_polygon reads to cut at ±180 and to close
        # a ring around a pole. A planar `orient()` would be wrong for those rings.
        coords = [ring(arcs, r)[::-1] for r in rings]
        # quantization collapses a few tiny islets (one in North Korea) to a point
        coords = [c for c in coords if len(set(c)) >= 3]
        if not coords:
            continue
        fixed = antimeridian.fix_polygon(Polygon(coords[0], coords[1:]), fix_winding=False)
        parts.extend(fixed.geoms if isinstance(fixed, MultiPolygon) else [fixed])
    out = shapely.make_valid(MultiPolygon(parts) if len(parts) > 1 else parts[0])
    flat: list[Polygon] = []
    for g in getattr(out, "geoms", [out]):
        if isinstance(g, MultiPolygon):
            flat.extend(g.geoms)
        elif isinstance(g, Polygon) and g.area > 0:
            flat.append(g)
    flat = [orient(p, sign=1.0) for p in flat]
    return MultiPolygon(flat) if len(flat) > 1 else flat[0]


def _rounded(obj, nd=4):
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, list | tuple):
        return [_rounded(v, nd) for v in obj]
    return obj


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        shp = country_geometry(geom, arcs)
        assert shp.is_valid, geom["properties"]["name"]
        gj = mapping(shp)
        gj = {"type": gj["type"], "coordinates": _rounded(gj["coordinates"])}
        # rounding to 1e-4 deg (11 m) must not break validity at 1:110m
        assert shape(gj).is_valid, geom["properties"]["name"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": geom.get("properties", {}).get("name", ""),
                    "iso_n3": geom.get("id", ""),
                },
                "geometry": gj,
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "source": SOURCE,
        "license": "Natural Earth: public domain",
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", type=Path, help="countries-110m.json from world-atlas 2.0.2")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    args = ap.parse_args()
    fc = convert(json.loads(args.topojson.read_text()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fc, separators=(",", ":")))
    print(f"{args.out}: {len(fc['features'])} countries, {args.out.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
