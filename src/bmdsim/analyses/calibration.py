"""Calibration of the catalogue's unpublished internals against published ranges.

The quantity a missile's ``calibration.parameter`` names (an Isp, a propellant load, a
payload) is solved so that the model's maximum range, averaged over ``N_AZIMUTHS``
headings from (``CALIBRATION_LAT_DEG``, ``CALIBRATION_LON_DEG``) on the rotating WGS 84
Earth with drag, equals the published range; its ``low`` and ``high`` come from solving
again for the two ends of the published range's band, so the band is derived, never
widened to hold a result. Every solution is kept inside the band a motor of that kind
can have (``motors.yaml``: the stage's vacuum Isp, its propellant fraction) or, for a
payload, inside the published throw-weight band: where no plausible value reaches a
target, the value stops at the plausible limit and ``unreached`` says so (and, for the
central target, the calibration fails). A 'cap' calibration (``range_cap``: a declared
limit, Iskander-E's 280 km) only checks that the airframe flies farther than the cap.

``scripts/calibrate.py`` runs this and writes the catalogue; ``reach`` reads the result
(``band_vehicles``) to fly the footprints at both ends of the band.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bmdsim.analyses.resolve import vehicle_field, vehicle_from_missile, vehicle_with
from bmdsim.catalogue import Catalogue, Missile
from bmdsim.catalogue.schema import resolve_path
from bmdsim.errors import CatalogueError
from bmdsim.flight.reach import maximum_range_rings

__all__ = [
    "CALIBRATION_LAT_DEG",
    "CALIBRATION_LON_DEG",
    "N_AZIMUTHS",
    "CalibrationResult",
    "band_vehicles",
    "calibrate",
    "mean_max_range_m",
    "model_version",
    "motor_problems",
    "plausible_band",
    "reach_band",
]

CALIBRATION_LAT_DEG = 50.0
CALIBRATION_LON_DEG = 20.0
N_AZIMUTHS = 36
REL_TOL = 1e-4  # the solver stops within 0.01 % of the target range
# Does a larger value of the calibrated quantity fly farther (+1) or shorter (-1)?
_DIRECTION = {"isp_vac": 1, "propellant_mass": 1, "payload.mass": -1}


def mean_max_range_m(vehicles, *, model=None, backend="auto") -> np.ndarray:
    """Azimuth-mean maximum range [m] of each vehicle: ``N_AZIMUTHS`` headings from the
    calibration point on the rotating WGS 84 Earth with drag, flown as one batch."""
    _, _, rng, _ = maximum_range_rings(
        list(vehicles),
        launch_lat_deg=CALIBRATION_LAT_DEG,
        launch_lon_deg=CALIBRATION_LON_DEG,
        n_azimuths=N_AZIMUTHS,
        model=model,
        backend=backend,
    )
    return rng.mean(axis=1)


def model_version() -> str:
    """bmdsim's version and a hash of the flight physics (``earth/``, ``flight/``)."""
    import bmdsim

    root = Path(bmdsim.__file__).resolve().parent
    digest = hashlib.sha256()
    for sub in ("earth", "flight"):
        for path in sorted((root / sub).rglob("*")):
            if path.suffix in (".py", ".csv"):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return (
        f"bmdsim {bmdsim.__version__}, physics {digest.hexdigest()[:12]}; azimuth-mean "
        f"maximum range over {N_AZIMUTHS} headings from {CALIBRATION_LAT_DEG:g} N "
        f"{CALIBRATION_LON_DEG:g} E, rotating WGS 84 Earth, drag (US 1976)"
    )


def _kind_of(parameter: str) -> str:
    if parameter == "payload.mass":
        return "payload.mass"
    tail = parameter.rsplit(".", 1)[-1]
    if parameter.startswith("stages[") and tail in ("isp_vac", "propellant_mass"):
        return tail
    raise CatalogueError(
        f"calibration.parameter {parameter!r} cannot be calibrated; allowed: "
        "stages[k].isp_vac, stages[k].propellant_mass, payload.mass",
        field="calibration.parameter",
        value=parameter,
        allowed=["stages[k].isp_vac", "stages[k].propellant_mass", "payload.mass"],
    )


def _stage_index(parameter: str) -> int:
    return int(parameter.split("[", 1)[1].split("]", 1)[0])


def plausible_band(missile: Missile, catalogue: Catalogue) -> tuple[float, float, str]:
    """(low, high, why) in SI: the values of the calibrated quantity that a real system
    of this kind can have: the stage's motor class band for an Isp; the class's
    propellant fraction times the stage gross mass for a propellant load; the published
    throw-weight band (else anything between 1 kg and the stages' mass) for a payload."""
    parameter = missile.calibration.parameter
    kind = _kind_of(parameter)
    if kind == "payload.mass":
        tw = missile.published.throw_weight
        if tw is not None:
            return tw.low_si, tw.high_si, f"published throw-weight {tw.low:g}-{tw.high:g} {tw.unit}"
        stages = sum(s.gross_mass.si for s in missile.stages)
        return 1.0, stages, "no published throw-weight: any positive payload"
    stage = missile.stages[_stage_index(parameter)]
    if stage.motor is None:
        raise CatalogueError(
            f"{missile.id}: {parameter} is calibrated but its stage names no motor class",
            field=f"{missile.id}.{parameter}",
        )
    motor = catalogue.motor_class(stage.motor)
    if kind == "isp_vac":
        q = motor.isp_vac
        return q.low_si, q.high_si, f"{motor.id} vacuum Isp {q.low:g}-{q.high:g} s"
    f = motor.propellant_fraction
    gross = stage.gross_mass.si
    return (
        f.low * gross,
        f.high * gross,
        f"{motor.id} propellant fraction {f.low:g}-{f.high:g} of the {gross:,.0f} kg stage",
    )


def _vehicle_at(base, field_name: str, si_value: float):
    return vehicle_with(base, {field_name: si_value})


def band_vehicles(missile: Missile, catalogue: Catalogue):
    """(short, long) Vehicles with the calibrated quantity at the ends of its band that
    fly the shortest and the longest, or None when the missile has no fitted
    calibration (none, or a cap)."""
    cal = missile.calibration
    if cal is None or cal.kind != "fit":
        return None
    kind = _kind_of(cal.parameter)
    q = resolve_path(missile, cal.parameter)
    base = vehicle_from_missile(missile, catalogue)
    name = vehicle_field(cal.parameter)
    at_low, at_high = _vehicle_at(base, name, q.low_si), _vehicle_at(base, name, q.high_si)
    return (at_low, at_high) if _DIRECTION[kind] > 0 else (at_high, at_low)


@dataclass(frozen=True)
class CalibrationResult:
    """One missile's calibration: the solved value and band (in the quantity's unit),
    the ranges they fly (km), the target band (km), the plausible band, and what failed."""

    missile_id: str
    parameter: str
    kind: str  # 'fit' or 'cap'
    unit: str
    value: float
    low: float
    high: float
    range_km_at: tuple[float, float, float]  # flown with value, low, high
    target_km: tuple[float, float, float]  # published value, low, high
    plausible: tuple[float, float]  # in the quantity's unit
    plausible_text: str
    unreached: str | None = None  # band ends no plausible value reaches
    failed: str | None = None  # the central target is out of reach: nothing to write
    uncapped_km: float | None = None  # cap: the airframe's own range


GRID_RATIO = 1.25  # the bracketing grid: the starting value times powers of this
GRID_STEPS = 12


def _solve(base, field_name, targets_m, lo, hi, x0, direction, *, backend):
    """Values of ``field_name`` (SI) whose mean maximum ranges equal ``targets_m``.

    One batch brackets them: the starting value ``x0`` times powers of ``GRID_RATIO``
    inside the plausible [lo, hi]. The search keeps to the run of that grid, around
    ``x0``, where the range moves the expected way (a payload so light that the
    warhead would not come down, or that flies past the antipode, ends it); each target
    inside it is then solved by Illinois regula falsi between its two grid neighbours,
    all targets together. Returns (values, reached, (x_short, x_long)): a target outside
    the run gets the nearer end of it."""
    targets = np.asarray(targets_m, float)
    x0 = float(np.clip(x0, lo, hi))
    grid = {lo, hi, x0}
    for k in range(1, GRID_STEPS + 1):
        grid |= {x for x in (x0 * GRID_RATIO**k, x0 / GRID_RATIO**k) if lo < x < hi}
    xs = np.array(sorted(grid))
    rs = mean_max_range_m([_vehicle_at(base, field_name, x) for x in xs], backend=backend)
    i = int(np.flatnonzero(xs == x0)[0])
    j = k = i
    while j + 1 < len(xs) and direction * (rs[j + 1] - rs[j]) > 0:
        j += 1
    while k - 1 >= 0 and direction * (rs[k] - rs[k - 1]) > 0:
        k -= 1
    xs, rs = xs[k : j + 1], rs[k : j + 1]
    if direction < 0:
        xs, rs = xs[::-1], rs[::-1]
    # now rs increases along xs (from the shortest-flying end to the longest)
    reached = (targets >= rs[0] * (1 - REL_TOL)) & (targets <= rs[-1] * (1 + REL_TOL))
    x = np.where(targets < rs[0], xs[0], xs[-1])
    todo = np.flatnonzero(reached)
    if len(todo) == 0:
        return x, reached, (xs[0], xs[-1])
    seg = np.clip(np.searchsorted(rs, targets[todo]), 1, len(rs) - 1)
    a, b = xs[seg - 1], xs[seg]
    fa, fb = rs[seg - 1] - targets[todo], rs[seg] - targets[todo]
    exact_a = np.abs(fa) <= REL_TOL * targets[todo]
    exact_b = np.abs(fb) <= REL_TOL * targets[todo]
    c = np.where(exact_a, a, b)
    side = np.zeros(len(todo), int)
    for _ in range(40):
        if np.all(exact_a | exact_b):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(fb != fa, b - fb * (b - a) / (fb - fa), 0.5 * (a + b))
        c = np.clip(c, np.minimum(a, b), np.maximum(a, b))
        c = np.where(exact_a, a, np.where(exact_b, b, c))
        fc = mean_max_range_m([_vehicle_at(base, field_name, v) for v in c], backend=backend)
        fc = fc - targets[todo]
        done = np.abs(fc) <= REL_TOL * targets[todo]
        if np.all(done | exact_a | exact_b):
            break
        left = np.sign(fc) == np.sign(fa)  # the root lies between c and b
        a_new, fa_new = np.where(left, c, a), np.where(left, fc, fa)
        b_new, fb_new = np.where(left, b, c), np.where(left, fb, fc)
        # Illinois: halve the kept end's value when the same side is kept twice
        fb_new = np.where(left & (side == 1), 0.5 * fb_new, fb_new)
        fa_new = np.where(~left & (side == -1), 0.5 * fa_new, fa_new)
        side = np.where(left, 1, -1)
        a, fa, b, fb = a_new, fa_new, b_new, fb_new
        exact_a = exact_a | (done & left)  # freeze a converged row on c
        exact_b = exact_b | (done & ~left)
        a = np.where(done & left, c, a)
        b = np.where(done & ~left, c, b)
    x[todo] = c
    return x, reached, (xs[0], xs[-1])


def _round(kind: str, unit_value: float) -> float:
    return round(unit_value, 1) if kind == "isp_vac" else float(round(unit_value))


def calibrate(missile: Missile, catalogue: Catalogue, *, backend="auto") -> CalibrationResult:
    """Solve ``missile``'s calibrated quantity for its published range and the two ends
    of its band (module doc); the values are rounded (Isp to 0.1 s, masses to 1 kg) and
    flown again, so ``range_km_at`` is what the stored values give."""
    from bmdsim import units

    cal = missile.calibration
    if cal is None:
        raise CatalogueError(f"{missile.id}: no calibration block", field="calibration")
    target = resolve_path(missile, cal.target)
    target_km = tuple(
        units.to_si(v, target.unit) / 1e3 for v in (target.value, target.low, target.high)
    )
    base = vehicle_from_missile(missile, catalogue)
    if cal.kind == "cap":
        return _check_cap(missile, base, target_km, backend=backend)
    kind = _kind_of(cal.parameter)
    q = resolve_path(missile, cal.parameter)
    lo, hi, why = plausible_band(missile, catalogue)
    direction = _DIRECTION[kind]
    name = vehicle_field(cal.parameter)
    # order: the value, then the targets that set the quantity's low and high
    t_value, t_low, t_high = (x * 1e3 for x in target_km)
    targets = [t_value, t_low, t_high] if direction > 0 else [t_value, t_high, t_low]
    x, reached, _ = _solve(base, name, targets, lo, hi, q.si, direction, backend=backend)
    to_unit = units.to_si(1.0, q.unit)
    vals = [_round(kind, v / to_unit) for v in x]
    value, low, high = vals[0], min(vals[1:]), max(vals[1:])
    flown = mean_max_range_m(
        [_vehicle_at(base, name, v * to_unit) for v in (value, low, high)], backend=backend
    )
    labels = ["published value", "the low end of the band", "the high end of the band"]
    if direction < 0:
        labels = [labels[0], labels[2], labels[1]]
    notes, failed = [], None
    for j in range(3):
        if reached[j]:
            continue
        tgt_km = targets[j] / 1e3
        limit = why if x[j] in (lo, hi) else "beyond it the range stops growing"
        flies = mean_max_range_m([_vehicle_at(base, name, vals[j] * to_unit)], backend=backend)
        text = (
            f"{tgt_km:,.0f} km ({labels[j]}) is not reached with a plausible "
            f"{cal.parameter}: the model stops at {vals[j]:g} {q.unit} ({limit}), which "
            f"flies {flies[0] / 1e3:,.0f} km"
        )
        if j == 0:
            failed = text
        notes.append(text)
    return CalibrationResult(
        missile_id=missile.id,
        parameter=cal.parameter,
        kind="fit",
        unit=q.unit,
        value=value,
        low=low,
        high=high,
        range_km_at=tuple(float(r) / 1e3 for r in flown),
        target_km=target_km,
        plausible=(lo / to_unit, hi / to_unit),
        plausible_text=why,
        unreached="; ".join(notes) or None,
        failed=failed,
    )


def _check_cap(missile, base, target_km, *, backend) -> CalibrationResult:
    cap = missile.range_cap
    if cap is None:
        raise CatalogueError(
            f"{missile.id}: a 'cap' calibration needs a range_cap", field="range_cap"
        )
    weakest = vehicle_with(
        base, {f"stages[{k}].isp_vac_s": s.isp_vac.low_si for k, s in enumerate(missile.stages)}
    )
    central, weak = (float(r) / 1e3 for r in mean_max_range_m([base, weakest], backend=backend))
    uncapped = central
    cap_km = tuple(x / 1e3 for x in (cap.si, cap.low_si, cap.high_si))
    failed = None
    if weak < cap_km[2]:
        failed = (
            f"the airframe flies only {weak:,.0f} km with its stages' lowest Isp, less than "
            f"the cap's {cap_km[2]:,.0f} km: the cap does not always bind; calibrate a "
            "quantity instead"
        )
    return CalibrationResult(
        missile_id=missile.id,
        parameter="range_cap",
        kind="cap",
        unit=cap.unit,
        value=cap.value,
        low=cap.low,
        high=cap.high,
        range_km_at=tuple(min(uncapped, c) for c in cap_km),
        target_km=target_km,
        plausible=(0.0, math.inf),
        plausible_text=f"a declared limit on an airframe that flies {uncapped:,.0f} km",
        failed=failed,
        uncapped_km=uncapped,
    )


def motor_problems(catalogue: Catalogue) -> list[str]:
    """Every stage whose vacuum Isp (value, low or high) or propellant fraction (value)
    lies outside its motor class's band, and every stage without a class."""
    out = []
    for m in catalogue.entries("missile"):
        for k, s in enumerate(m.stages):
            where = f"{m.id}.stages[{k}]"
            if s.motor is None:
                out.append(f"{where}: no motor class")
                continue
            mc = catalogue.motor_class(s.motor)
            band = mc.isp_vac
            for end in ("value", "low", "high"):
                isp = getattr(s.isp_vac, end)
                if not band.low <= isp <= band.high:
                    out.append(
                        f"{where}.isp_vac {end} {isp:g} s is outside {mc.id}'s "
                        f"{band.low:g}-{band.high:g} s"
                    )
            frac = s.propellant_mass.si / s.gross_mass.si
            f = mc.propellant_fraction
            if not f.low <= frac <= f.high:
                out.append(
                    f"{where}: propellant fraction {frac:.3f} is outside {mc.id}'s "
                    f"{f.low:g}-{f.high:g}"
                )
    return out


_QUANTITY_WORDS = {
    "isp_vac": "vacuum Isp",
    "propellant_mass": "propellant load",
    "payload.mass": "throw-weight",
}


def _short_name(missile: Missile) -> str:
    return missile.name.split(" (", 1)[0]


def reach_band(missile: Missile, catalogue: Catalogue) -> dict:
    """The keyword arguments of ``flight.reach.reach_vehicle`` that put the missile's band
    around its footprint: ``band_vehicles`` (a fit: the vehicle at both ends of the
    calibrated quantity's band) or ``range_cap_m`` (a cap), and ``band_text``, one line
    saying what the band is. Empty when the missile has neither."""
    from bmdsim import units

    name = _short_name(missile)
    rng = missile.published_range
    cal = missile.calibration
    if missile.range_cap is not None:
        cap = missile.range_cap
        text = (
            f"{name}'s range is a declared limit of {cap.value:g} {cap.unit} (band "
            f"{cap.low:g}-{cap.high:g} {cap.unit}) on an airframe that flies farther: every "
            "ring is the airframe's footprint cut to the cap"
        )
        if cal is not None and cal.uncapped_km is not None:
            text += f" (the airframe flies about {cal.uncapped_km:,.0f} km)"
        return {"range_cap_m": (cap.low_si, cap.si, cap.high_si), "band_text": text}
    pair = band_vehicles(missile, catalogue)
    if pair is None:
        return {}
    q = resolve_path(missile, cal.parameter)
    words = _QUANTITY_WORDS[_kind_of(cal.parameter)]
    short, long_ = pair
    field_name = vehicle_field(cal.parameter)

    def at(v):
        stage_field = field_name.split(".", 1)
        if field_name.startswith("stages["):
            value = getattr(v.stages[_stage_index(field_name)], stage_field[1])
        else:
            value = getattr(v, field_name)
        return f"{units.from_si(value, q.unit):g}"

    text = (
        f"{name}'s range is known to {rng.low:g}-{rng.high:g} {rng.unit} (published); the "
        f"short and long rings fly the model with its calibrated {words} at {at(short)} and "
        f"{at(long_)} {q.unit}"
    )
    if cal.unreached:
        text += f" (not the whole band is reachable: {cal.unreached})"
    return {"band_vehicles": pair, "band_text": text}
