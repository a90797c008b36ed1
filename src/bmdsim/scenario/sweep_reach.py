"""P(in reach): a scenario's reach analyses over its sampled missile inputs.

For every reach analysis and every site, the share of samples in which the site lies
inside the missile's maximum range on its bearing, with a 95 % Wilson interval (the
Monte Carlo error of that share, not the input uncertainty). The samples are the
scenario's own (``uncertainty.vary``, the same draws per sample index as the sampled
engagements): the missile's flight inputs (``missile:ID.stages[i].isp_vac``,
``payload.mass``, ...) change the vehicle, ``missile:ID.range_cap`` the declared limit.

How: each sample's vehicle is flown to maximum range on ``HEADINGS`` launch headings
(golden section on the kick around the central footprint's kick); the ratio of its
range to the central footprint's is interpolated (periodic in azimuth) to each site's
bearing and multiplied by the central range there. The footprint's shape with azimuth
(Earth rotation) is the central one's; what a sample changes is its scale, to well under
0.1 % (the ratio varies by less than that between headings). A reach analysis whose
missile has no varied input is decided by the central footprint (P is 0 or 1).
"""

from __future__ import annotations

import math

import numpy as np

from bmdsim.analyses.resolve import resolve_missile, vehicle_with
from bmdsim.flight.batch import FlightModel, resolve_backend
from bmdsim.flight.targeting import Launcher, maximum_range
from bmdsim.flight.vehicle import pack_vehicles
from bmdsim.scenario.sweep_summary import wilson_interval
from bmdsim.sweep.sampling import sample

HEADINGS = 8  # launch headings flown per sample
KICK_BRACKET_DEG = 4.0  # golden section this far either side of the central kick
SAMPLES_PER_BATCH = 512


def cap_path(missile_id: str) -> str:
    return f"missile:{missile_id}.range_cap"


def _uncapped(fp) -> np.ndarray:
    """The footprint's own range on its azimuths, before any range cap."""
    band = fp.band
    if band is not None and band.uncapped_range_m is not None:
        return np.asarray(band.uncapped_range_m, float)
    return np.asarray(fp.range_m, float)


def _toward(az_deg, values, toward_deg):
    """Rows of ``values`` (one per sample, on azimuths ``az_deg``) interpolated
    (periodic) at ``toward_deg``: shape (rows, len(toward_deg))."""
    order = np.argsort(np.asarray(az_deg) % 360.0)
    xs = (np.asarray(az_deg) % 360.0)[order]
    values = np.atleast_2d(values)[:, order]
    t = np.asarray(toward_deg) % 360.0
    return np.stack([np.interp(t, xs, row, period=360.0) for row in values])


def _sample_ranges(fp, vehicle, changes, values, n, backend, toward_deg):
    """Maximum range [m] of each sample's vehicle toward ``toward_deg``: (n, sites)."""
    order = np.argsort(fp.launch_azimuth_deg)
    pick = order[np.linspace(0, len(order), HEADINGS, endpoint=False).astype(int)]
    head_deg = np.asarray(fp.launch_azimuth_deg)[pick]
    kick = np.asarray(fp.kick_rad)[pick]
    impact_az = np.asarray(fp.azimuth_deg)[pick]
    central_range = _uncapped(fp)[pick]
    ratios = np.empty((n, HEADINGS))
    model = FlightModel()
    for start in range(0, n, SAMPLES_PER_BATCH):
        stop = min(n, start + SAMPLES_PER_BATCH)
        vehicles = [
            vehicle_with(vehicle, {f: values[name][i] for name, f in changes})
            for i in range(start, stop)
        ]
        m = stop - start
        launcher = Launcher(
            pack_vehicles(vehicles),
            np.repeat(np.arange(m), HEADINGS),
            fp.launch_lat_deg,
            fp.launch_lon_deg,
            0.0,
            model,
            backend,
        )
        _, rng, _ = maximum_range(
            launcher,
            np.tile(np.radians(head_deg), m),
            launcher.full_burn_s(),
            kick_guess_rad=np.tile(kick, m),
            bracket_rad=math.radians(KICK_BRACKET_DEG),
            iterations=12,
        )
        ratios[start:stop] = rng.reshape(m, HEADINGS) / central_range
    central = _toward(fp.azimuth_deg, _uncapped(fp), toward_deg)[0]
    return _toward(impact_az, ratios, toward_deg) * central[None, :]


def reach_probabilities(scn, cat, footprints, inputs, missile_inputs, n, seed) -> list[dict]:
    """P(in reach) for every site of every reach analysis (module doc).

    ``footprints``: [(label, Footprint)] of the scenario's reach analyses, in order;
    ``inputs``: [(path, UncertainParameter)] and ``missile_inputs``: {missile id:
    [(path, Vehicle field)]} as ``sweep_task.sweep_inputs`` returns them; ``n`` samples
    (indices 0..n-1) drawn with ``seed``."""
    backend = resolve_backend(scn.backend)
    out = []
    by_name = dict(inputs)
    for (label, fp), analysis in zip(footprints, scn.analyses.reach, strict=True):
        if fp.band is not None and fp.band.basis in ("carrier", "published"):
            continue  # a cruise or carrier reach samples nothing: its band is its verdict
        vehicle, _, _ = resolve_missile(analysis.missile, cat)
        changes = missile_inputs.get(vehicle.id, [])
        cap_name = cap_path(vehicle.id)
        used = [name for name, _ in changes] + ([cap_name] if cap_name in by_name else [])
        values = sample([by_name[u] for u in used], range(n), seed) if used else {}
        dist = np.array([s.distance_m for s in fp.sites], float)
        az = np.array([s.azimuth_deg for s in fp.sites], float)
        if changes and len(az):
            at_site = _sample_ranges(fp, vehicle, changes, values, n, backend, az)
        else:
            at_site = np.repeat(_toward(fp.azimuth_deg, _uncapped(fp), az), n, axis=0)
        if cap_name in values:
            at_site = np.minimum(at_site, values[cap_name][:, None])
        elif fp.band is not None and fp.band.cap_m is not None:
            at_site = np.minimum(at_site, fp.band.cap_m[1])
        inside = dist[None, :] <= at_site
        sites = []
        for j, s in enumerate(fp.sites):
            k = int(inside[:, j].sum())
            lo, hi = wilson_interval(k, n)
            p5, p50, p95 = np.percentile(at_site[:, j], [5, 50, 95]) / 1e3
            sites.append(
                {
                    "id": s.id,
                    "distance_km": round(s.distance_m / 1e3, 1),
                    "verdict": s.verdict,
                    "samples": n,
                    "in_reach": k,
                    "p_in_reach": k / n,
                    "ci95": [lo, hi],
                    "range_km": [round(float(x), 1) for x in (p5, p50, p95)],
                }
            )
        out.append(
            {
                "label": label,
                "missile": vehicle.id,
                "origin": str(analysis.origin),
                "varied": used,
                "sites": sites,
            }
        )
    return out
