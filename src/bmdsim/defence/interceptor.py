"""A notional interceptor sized to its burnout speed: a 1- or 2-stage rocket for the
flyout tables (``defence.flyout``).

Catalogue figures of interceptors are burnout speeds and burn times; their internals are
not public. ``interceptor_vehicle`` sizes a rocket whose simulated burnout speed (relative
to the Earth) on a reference flyout equals the requested one: the ideal velocity change
dv = g0 Isp ln(m0/mf) (the rocket equation) is split equally between the stages; each
stage's propellant follows from its mass ratio, a propellant fraction and the mass above
it (the kill vehicle for the top stage); dv is solved (secant iterations) so that dv less
the simulated gravity, drag and back-pressure losses (``burnout_speed``: the missiles' own
kernel, ``bmdsim.flight``) leaves the requested speed. Not a model of any real system.
SI units. See docs/models/flyout.md.
"""

from __future__ import annotations

import math
import re

import numpy as np

from bmdsim.earth.constants import G0_M_S2, OMEGA_EARTH_RAD_S
from bmdsim.errors import InputError
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.vehicle import Stage, Vehicle, pack_vehicles

# Generic Cd(Mach) of a slender finned missile body (order of magnitude of the test
# vehicles and of Fleeman, *Tactical Missile Design*, 2nd ed., fig. 2.14: ~0.3 subsonic,
# a transonic peak ~0.5, falling to ~0.2 at high Mach). Not a model of any real system.
INTERCEPTOR_CD_MACH = (0.0, 0.8, 1.2, 2.0, 4.0, 10.0)
INTERCEPTOR_CD = (0.30, 0.35, 0.50, 0.38, 0.28, 0.22)

DEFAULT_ISP_VAC_S = 280.0  # composite solid propellant, vacuum
DEFAULT_PROPELLANT_FRACTION = 0.88  # propellant / stage gross mass
DEFAULT_KV_BETA_KG_M2 = 5000.0  # kill vehicle m / (Cd A): drag-free above ~60 km
REFERENCE_ELEVATION_DEG = 60.0  # launch elevation of the sizing flyout (steep: exo interceptors)
SIZING_TOLERANCE = 1e-4  # relative burnout-speed error at which the sizing stops


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "interceptor"


def relative_speed_m_s(r_eci_m, v_eci_m_s, model: FlightModel):
    """Speed relative to the (turning) Earth [m/s] of ECI states (..., 3): |v - omega x r|."""
    r, v = r_eci_m, v_eci_m_s
    w = OMEGA_EARTH_RAD_S if model.rotation else 0.0
    vx = v[..., 0] + w * r[..., 1]
    vy = v[..., 1] - w * r[..., 0]
    return np.sqrt(vx * vx + vy * vy + v[..., 2] ** 2)


def _build(
    dv_ideal, *, n_stages, isp, f_prop, burn_times, kv_mass, diameter, beta, rise, vid, name
):
    """Vehicle with ideal velocity change ``dv_ideal`` split equally over the stages."""
    c = G0_M_S2 * isp
    k = (1.0 - f_prop) / f_prop  # dry mass per kg of propellant
    ratio = math.exp(dv_ideal / n_stages / c)
    denom = 1.0 + k - ratio * k
    if not denom > 0.0:
        return None
    area = math.pi * diameter**2 / 4.0
    stages = []
    above = kv_mass
    for j in reversed(range(n_stages)):
        prop = above * (ratio - 1.0) / denom
        gross = prop * (1.0 + k)
        stages.append(Stage(gross, prop, isp, burn_times[j], diameter, 0.5 * area))
        above += gross
    return Vehicle(
        id=vid,
        stages=tuple(reversed(stages)),
        payload_mass_kg=kv_mass,
        payload_separates=True,
        rv_ballistic_coefficient_kg_m2=beta,
        cd_mach=INTERCEPTOR_CD_MACH,
        cd=INTERCEPTOR_CD,
        vertical_rise_s=rise,
        name=name,
    )


def burnout_speed(
    vehicle: Vehicle,
    *,
    elevation_deg=REFERENCE_ELEVATION_DEG,
    model=None,
    site_lat_deg=45.0,
    site_lon_deg=0.0,
    site_alt_m=0.0,
    azimuth_deg=0.0,
    backend="cpu",
):
    """Simulated burnout speed relative to the Earth (m/s) of one flyout of ``vehicle``
    at launch ``elevation_deg`` (90 - kick); ``elevation_deg`` may be an array."""
    model = model or FlightModel(rotation=False)
    el = np.atleast_1d(np.asarray(elevation_deg, float))
    steps = step_control(model, vehicle.burn_time_s + 1.0)
    fm = FlightModel(model.earth, model.rotation, model.drag, steps)
    launcher = Launcher(
        pack_vehicles([vehicle]),
        np.zeros(len(el)),
        site_lat_deg,
        site_lon_deg,
        site_alt_m,
        fm,
        backend,
    )
    res = launcher.fly(math.radians(azimuth_deg), np.radians(90.0 - el))
    rb = res.summary[:, S.S_R_BURNOUT : S.S_R_BURNOUT + 3]
    vb = res.summary[:, S.S_V_BURNOUT : S.S_V_BURNOUT + 3]
    speed = relative_speed_m_s(rb, vb, fm)
    # a flight that hit the ground before burnout never reached its burnout speed
    speed = np.where(res.summary[:, S.S_T_BURNOUT] > 0.0, speed, 0.0)
    return speed if np.ndim(elevation_deg) else float(speed[0])


def step_control(model: FlightModel, t_max_s: float) -> StepControl:
    """The model's step control, flying until ``t_max_s``."""
    s = model.steps
    return StepControl(s.dt_boost, s.dt_max, s.dt_atmosphere, s.step_factor, s.dt_min, t_max_s)


def interceptor_vehicle(
    *,
    burnout_speed_m_s: float,
    burn_time_s: float,
    kill_vehicle_mass_kg: float,
    diameter_m: float,
    name: str,
    isp_vac_s: float = DEFAULT_ISP_VAC_S,
    stages: int = 2,
    vertical_rise_s: float = 2.0,
    propellant_fraction: float = DEFAULT_PROPELLANT_FRACTION,
    kill_vehicle_ballistic_coefficient_kg_m2: float = DEFAULT_KV_BETA_KG_M2,
    stage_burn_fractions=None,
    reference_elevation_deg: float = REFERENCE_ELEVATION_DEG,
    model: FlightModel | None = None,
    id: str | None = None,
) -> Vehicle:
    """A notional interceptor whose simulated burnout speed (relative to the Earth, on
    a flyout at ``reference_elevation_deg`` on ``model``, default the WGS 84 Earth with
    drag and without rotation) equals ``burnout_speed_m_s`` to 0.01 %.

    Assumptions (internals of real interceptors are not public): ``stages`` equal-dv
    stages of one ``diameter_m`` and ``isp_vac_s``, each of ``propellant_fraction``
    propellant by mass, burning ``burn_time_s`` in all (split by
    ``stage_burn_fractions``, default equal), nozzle exit area half the body section;
    the kill vehicle (``kill_vehicle_mass_kg``) separates at burnout and coasts with
    ``kill_vehicle_ballistic_coefficient_kg_m2``; ``vertical_rise_s`` of vertical
    flight before the pitch-over. Raises InputError when the speed cannot be reached
    with that many stages, or when the rocket could not lift off."""
    checks = {
        "burnout_speed_m_s": (burnout_speed_m_s, 0.0, 12_000.0),
        "burn_time_s": (burn_time_s, 0.0, 1_000.0),
        "kill_vehicle_mass_kg": (kill_vehicle_mass_kg, 0.0, 1e5),
        "diameter_m": (diameter_m, 0.0, 10.0),
        "isp_vac_s": (isp_vac_s, 50.0, 500.0),
        "vertical_rise_s": (vertical_rise_s, 0.0, 60.0),
        "propellant_fraction": (propellant_fraction, 0.3, 0.97),
        "kill_vehicle_ballistic_coefficient_kg_m2": (
            kill_vehicle_ballistic_coefficient_kg_m2,
            0.0,
            1e7,
        ),
    }
    for field, (value, lo, hi) in checks.items():
        if not (np.isfinite(value) and lo < value <= hi):
            raise InputError(
                f"{name}: {field} = {value!r} is out of range; allowed {lo:g} < value <= {hi:g}",
                field=field,
                value=value,
                allowed=f"({lo:g}, {hi:g}]",
            )
    if stages not in (1, 2):
        raise InputError(
            f"{name}: stages must be 1 or 2, not {stages!r}",
            field="stages",
            value=stages,
            allowed=[1, 2],
        )
    if stage_burn_fractions is None:
        fractions = np.full(stages, 1.0 / stages)
    else:
        fractions = np.asarray(stage_burn_fractions, float)
        if fractions.shape != (stages,) or np.any(fractions <= 0):
            raise InputError(
                f"{name}: stage_burn_fractions needs {stages} positive numbers",
                field="stage_burn_fractions",
                value=stage_burn_fractions,
            )
        fractions = fractions / fractions.sum()
    burn_times = tuple(float(burn_time_s * f) for f in fractions)
    model = model or FlightModel(rotation=False)
    kw = dict(
        n_stages=stages,
        isp=isp_vac_s,
        f_prop=propellant_fraction,
        burn_times=burn_times,
        kv_mass=kill_vehicle_mass_kg,
        diameter=diameter_m,
        beta=kill_vehicle_ballistic_coefficient_kg_m2,
        rise=vertical_rise_s,
        vid=id or _slug(name),
        name=name,
    )
    c = G0_M_S2 * isp_vac_s
    dv_max = stages * c * math.log(1.0 / (1.0 - propellant_fraction))
    target = float(burnout_speed_m_s)

    def excess(dv):
        veh = _build(dv, **kw)
        s0 = veh.stages[0]
        if s0.thrust_vac_n < 1.2 * veh.launch_mass_kg * G0_M_S2:
            raise InputError(
                f"{name}: with {stages} stage(s) burning {burn_time_s:g} s the rocket cannot "
                f"lift off (thrust/weight {s0.thrust_vac_n / (veh.launch_mass_kg * G0_M_S2):.2f}"
                " < 1.2); shorten the burn or add a stage",
                field="burn_time_s",
                value=burn_time_s,
            )
        return burnout_speed(veh, elevation_deg=reference_elevation_deg, model=model) - target, veh

    # start: the speed plus a gravity loss of g t sin(elevation); then secant steps
    x0 = min(
        target + G0_M_S2 * burn_time_s * math.sin(math.radians(reference_elevation_deg)),
        0.97 * dv_max,
    )
    f0, veh = excess(x0)
    x1 = min(x0 - f0, 0.995 * dv_max) if abs(f0) > SIZING_TOLERANCE * target else x0
    for _ in range(30):
        if abs(f0) <= SIZING_TOLERANCE * target:
            return veh
        f1, veh1 = excess(x1)
        if abs(f1) <= SIZING_TOLERANCE * target:
            return veh1
        slope = (f1 - f0) / (x1 - x0) if x1 != x0 else 1.0
        if not slope > 0:
            slope = 1.0
        x2 = x1 - f1 / slope
        if x2 >= dv_max:
            if x1 >= 0.999 * dv_max and f1 < 0:
                break
            x2 = 0.5 * (x1 + dv_max)
        x0, f0, veh = x1, f1, veh1
        x1 = max(x2, 1.0)
    if abs(f0) > 0.01 * target:
        raise InputError(
            f"{name}: a burnout speed of {target / 1e3:.2f} km/s is out of reach of "
            f"{stages} stage(s) of Isp {isp_vac_s:g} s and propellant fraction "
            f"{propellant_fraction:g} in {burn_time_s:g} s; add a stage or raise the Isp",
            field="burnout_speed_m_s",
            value=target,
        )
    return veh


__all__ = [
    "DEFAULT_ISP_VAC_S",
    "DEFAULT_KV_BETA_KG_M2",
    "DEFAULT_PROPELLANT_FRACTION",
    "INTERCEPTOR_CD",
    "INTERCEPTOR_CD_MACH",
    "REFERENCE_ELEVATION_DEG",
    "SIZING_TOLERANCE",
    "burnout_speed",
    "interceptor_vehicle",
    "relative_speed_m_s",
    "step_control",
]
