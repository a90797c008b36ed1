"""An interceptor as a staged rocket built from its catalogue figures, whose burnout speed
is the catalogue's (``defence.flyout`` flies it).

Open sources give an interceptor's launch mass, stage count, kill-vehicle mass and
burnout speed, and loosely its burn time; stage masses and motor data are not public.
The open studies model interceptors by burnout speed and burn time (Wilkening, Survival
54(1), 2012; Butt & Postol, FAS 2011; Lewis & Postol, BAS 2008) and size notional
ones with the rocket equation from stage count, specific impulse and propellant
fractions (APS Boost-Phase Study, Rev. Mod. Phys. 76, S1, 2004, ch. 10). Here:

* **Mass model** (``vehicle_from_design``): the launch mass m0 and the kill vehicle (or,
  for an endo-atmospheric interceptor, the warhead and guidance section) m_kv are the
  catalogue's; the n stages carry equal stack ratios r = (m0 / m_kv)^(1/n) (the
  optimum staging of identical stages: Sutton & Biblarz, *Rocket Propulsion Elements*,
  7th ed., sec. 4.7); every stage burns a fraction f of its gross mass as propellant,
  at the catalogue's vacuum Isp, for its catalogue burn time (constant mass flow, so the
  thrust-to-weight follows from the masses: several g to tens of g).
* **Calibration** (``calibrate_propellant_fraction``): f is the one unknown, solved so
  that the best flyout of the fan (the launch elevation from 10 to 89 deg that burns
  out fastest, relative to the Earth, on a non-rotating WGS 84 Earth with drag) burns
  out at the catalogue speed. f is an effective fraction: it counts every inert kilogram
  a stage carries (case, fins, guidance, shroud), so it sits below a bare motor's.
* **Other speeds** (``interceptor_vehicle``; sweeps and the minimum-speed search): the
  same rocket (masses, burn times, rise, drag) with every stage's thrust scaled by one
  factor k (an exhaust velocity k g0 Isp), solved so that the best flyout burns out at
  the speed asked for. A speed whose rocket could not lift off (thrust-to-weight below
  1) has no interceptor.
* **Steering**: vertical rise for the catalogue's ``vertical_rise_s`` (vertical
  launchers; exo-atmospheric interceptors climb out of the dense air before they turn),
  an impulsive turn to the launch elevation, then a zero-lift gravity turn (the
  missiles' own kernel, ``bmdsim.flight``). The kill vehicle separates at burnout.

SI units. See docs/models/flyout.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bmdsim.earth.constants import G0_M_S2, OMEGA_EARTH_RAD_S
from bmdsim.errors import InputError
from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.vehicle import Stage, Vehicle, pack_vehicles

# Numerical settings of the model (docs/models/flyout.md, "Settings"):
# the fan of launch elevations whose best flyout is the reference (the flyout tables fly
# the same span), every 1 deg
FAN_ELEVATIONS_DEG = tuple(float(e) for e in range(10, 90))
# the kill vehicle's m / (Cd A) after separation: drag-free above ~60 km, where
# exo-atmospheric intercepts happen (an order of magnitude, not a design figure)
KV_BALLISTIC_COEFFICIENT_KG_M2 = 5000.0
# nozzle exit area / body section: sets the back-pressure loss at sea level (~2 % of
# SM-3-class thrust; order of magnitude of solid-rocket nozzles)
NOZZLE_EXIT_FRACTION = 0.5
# the rocket's lift-off thrust-to-weight must exceed 1 (physics: below, it cannot rise)
MIN_LIFTOFF_THRUST_TO_WEIGHT = 1.0
# calibration: relative burnout-speed error at which the solvers stop; the bracket of the
# effective propellant fraction; the bracket of the thrust scale
SPEED_TOLERANCE = 5e-4
PROPELLANT_FRACTION_BRACKET = (0.05, 0.95)
THRUST_SCALE_MAX = 40.0


@dataclass(frozen=True)
class InterceptorDesign:
    """What an interceptor's rocket is built from (SI, from the catalogue): launch mass,
    the mass above the motors (kill vehicle, or warhead and guidance section), the stages'
    burn times, vacuum Isp, body diameter, vertical rise before the turn, Cd(Mach) and
    whether the kill vehicle separates at burnout (exo-atmospheric hit-to-kill)."""

    id: str
    launch_mass_kg: float
    kill_vehicle_mass_kg: float
    stage_burn_times_s: tuple[float, ...]
    isp_vac_s: float
    diameter_m: float
    vertical_rise_s: float
    cd_mach: tuple[float, ...]
    cd: tuple[float, ...]
    cd_scale: float = 1.0
    kill_vehicle_separates: bool = True
    name: str = ""

    def __post_init__(self):
        checks = {
            "launch_mass_kg": (self.launch_mass_kg, 0.0, 1e6),
            "kill_vehicle_mass_kg": (self.kill_vehicle_mass_kg, 0.0, self.launch_mass_kg),
            "isp_vac_s": (self.isp_vac_s, 50.0, 500.0),
            "diameter_m": (self.diameter_m, 0.0, 10.0),
            "vertical_rise_s": (self.vertical_rise_s, -1e-9, 600.0),
            "cd_scale": (self.cd_scale, 0.0, 10.0),
        }
        for k, t in enumerate(self.stage_burn_times_s):
            checks[f"stage_burn_times_s[{k}]"] = (t, 0.0, 1_000.0)
        for field, (value, lo, hi) in checks.items():
            if not (np.isfinite(value) and lo < value < hi):
                raise InputError(
                    f"{self.id}: {field} = {value!r} is out of range; allowed {lo:g} < value "
                    f"< {hi:g}",
                    field=field,
                    value=value,
                    allowed=f"({lo:g}, {hi:g})",
                )
        if not 1 <= len(self.stage_burn_times_s) <= S.MAX_STAGES:
            raise InputError(
                f"{self.id}: {len(self.stage_burn_times_s)} stages; 1 to {S.MAX_STAGES} allowed",
                field="stage_burn_times_s",
                value=len(self.stage_burn_times_s),
                allowed=f"1..{S.MAX_STAGES} stages",
            )

    @property
    def burn_time_s(self) -> float:
        return float(sum(self.stage_burn_times_s))

    @property
    def stages(self) -> int:
        return len(self.stage_burn_times_s)


def relative_speed_m_s(r_eci_m, v_eci_m_s, model: FlightModel):
    """Speed relative to the (turning) Earth [m/s] of ECI states (..., 3): |v - omega x r|."""
    r, v = r_eci_m, v_eci_m_s
    w = OMEGA_EARTH_RAD_S if model.rotation else 0.0
    vx = v[..., 0] + w * r[..., 1]
    vy = v[..., 1] - w * r[..., 0]
    return np.sqrt(vx * vx + vy * vy + v[..., 2] ** 2)


def step_control(model: FlightModel, t_max_s: float) -> StepControl:
    """The model's step control, flying until ``t_max_s``."""
    s = model.steps
    return StepControl(s.dt_boost, s.dt_max, s.dt_atmosphere, s.step_factor, s.dt_min, t_max_s)


def vehicle_from_design(
    design: InterceptorDesign, propellant_fraction: float, thrust_scale: float = 1.0
) -> Vehicle:
    """The rocket of ``design`` (module doc: equal stack ratios, ``propellant_fraction``
    of every stage burnt at ``thrust_scale`` x the catalogue Isp)."""
    n = design.stages
    m0, mkv = design.launch_mass_kg, design.kill_vehicle_mass_kg
    ratio = (m0 / mkv) ** (1.0 / n)
    area = math.pi * design.diameter_m**2 / 4.0
    isp = design.isp_vac_s * thrust_scale
    stacks = [mkv * ratio ** (n - i) for i in range(n)] + [mkv]
    stacks[0] = m0  # exact at lift-off
    stages = tuple(
        Stage(
            stacks[i] - stacks[i + 1],
            propellant_fraction * (stacks[i] - stacks[i + 1]),
            isp,
            design.stage_burn_times_s[i],
            design.diameter_m,
            NOZZLE_EXIT_FRACTION * area,
        )
        for i in range(n)
    )
    return Vehicle(
        id=design.id,
        stages=stages,
        payload_mass_kg=mkv,
        payload_separates=design.kill_vehicle_separates,
        rv_ballistic_coefficient_kg_m2=KV_BALLISTIC_COEFFICIENT_KG_M2,
        cd_mach=tuple(design.cd_mach),
        cd=tuple(design.cd),
        cd_scale=design.cd_scale,
        vertical_rise_s=design.vertical_rise_s,
        name=design.name or design.id,
    )


def liftoff_thrust_to_weight(vehicle: Vehicle) -> float:
    """Vacuum thrust of the first stage over the launch weight."""
    return vehicle.stages[0].thrust_vac_n / (vehicle.launch_mass_kg * G0_M_S2)


def burnout_speed(
    vehicle: Vehicle,
    *,
    elevation_deg=60.0,
    model=None,
    site_lat_deg=45.0,
    site_lon_deg=0.0,
    site_alt_m=0.0,
    azimuth_deg=0.0,
    backend="cpu",
    with_time=False,
):
    """Simulated burnout speed relative to the Earth (m/s) of flyouts of ``vehicle`` at
    launch ``elevation_deg`` (90 deg - kick; scalar or array), on ``model`` (default
    WGS 84 with drag, without rotation); 0 for a flight that ends before burnout.
    ``with_time``: (speeds, burnout times s)."""
    model = model or FlightModel(rotation=False)
    el = np.atleast_1d(np.asarray(elevation_deg, float))
    fm = FlightModel(
        model.earth, model.rotation, model.drag, step_control(model, vehicle.burn_time_s + 1.0)
    )
    launcher = Launcher(
        pack_vehicles([vehicle]), np.zeros(len(el)), site_lat_deg, site_lon_deg, site_alt_m, fm,
        backend,
    )  # fmt: skip
    res = launcher.fly(math.radians(azimuth_deg), np.radians(90.0 - el))
    rb = res.summary[:, S.S_R_BURNOUT : S.S_R_BURNOUT + 3]
    vb = res.summary[:, S.S_V_BURNOUT : S.S_V_BURNOUT + 3]
    tb = res.summary[:, S.S_T_BURNOUT]
    # a flight that hit the ground before burnout never reached its burnout speed
    burnt_out = (tb > 0.0) & (tb >= vehicle.burn_time_s - 1e-6)
    speed = np.where(burnt_out, relative_speed_m_s(rb, vb, fm), 0.0)
    tb = np.where(burnt_out, tb, np.nan)
    if not np.ndim(elevation_deg):
        speed, tb = float(speed[0]), float(tb[0])
    return (speed, tb) if with_time else speed


def best_flyout(vehicle: Vehicle, model=None) -> tuple[float, float]:
    """(burnout speed m/s, launch elevation deg) of the fastest-burning-out flyout of the
    fan (``FAN_ELEVATIONS_DEG``): the reference flyout of the catalogue's figure."""
    speeds = burnout_speed(vehicle, elevation_deg=np.array(FAN_ELEVATIONS_DEG), model=model)
    k = int(np.argmax(speeds))
    return float(speeds[k]), FAN_ELEVATIONS_DEG[k]


def _solve(f, lo, hi, target):
    """x in [lo, hi] with f(x) = target to ``SPEED_TOLERANCE`` (f non-decreasing), by the
    Illinois variant of regula falsi: (x, None); or (None, (f at the bracket's low end,
    f at its high end)) when the target lies outside [f(lo), f(hi)] or f jumps over it
    (a rocket that just fails to leave the ground flies 0 m/s, one a little stronger
    some hundreds)."""
    f_lo, f_hi = f(lo) - target, f(hi) - target
    if f_hi < 0.0 or f_lo > 0.0:
        return None, (f_lo + target, f_hi + target)
    tol = SPEED_TOLERANCE * target
    side = 0
    for _ in range(100):
        x = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
        fx = f(x) - target
        if abs(fx) <= tol:
            return x, None
        if hi - lo < 1e-9 * max(abs(hi), 1.0):
            break
        if fx > 0.0:
            hi, f_hi = x, fx
            if side == 1:
                f_lo *= 0.5
            side = 1
        else:
            lo, f_lo = x, fx
            if side == -1:
                f_hi *= 0.5
            side = -1
    return None, (f(lo), f(hi))


@lru_cache(maxsize=64)
def calibrate_propellant_fraction(design: InterceptorDesign, burnout_speed_m_s: float) -> float:
    """The effective propellant fraction f of ``design`` whose best flyout burns out at
    ``burnout_speed_m_s`` (module doc). InputError when no f in
    ``PROPELLANT_FRACTION_BRACKET`` gives it with the catalogue's masses and Isp."""
    target = float(burnout_speed_m_s)
    lo, hi = PROPELLANT_FRACTION_BRACKET

    def speed(f):
        return best_flyout(vehicle_from_design(design, f))[0]

    f, ends = _solve(speed, lo, hi, target)
    if f is None:
        raise InputError(
            f"{design.id}: a burnout speed of {target / 1e3:.2f} km/s is out of reach of a "
            f"{design.launch_mass_kg:g} kg, {design.stages}-stage rocket of Isp "
            f"{design.isp_vac_s:g} s carrying {design.kill_vehicle_mass_kg:g} kg (propellant "
            f"fractions {lo:g}-{hi:g} give {ends[0] / 1e3:.2f}-{ends[1] / 1e3:.2f} km/s); "
            "check the catalogue's launch mass, kill-vehicle mass and Isp",
            field="burnout_speed",
            value=target / 1e3,
            allowed=f"{ends[0] / 1e3:.2f}-{ends[1] / 1e3:.2f} km/s",
        )
    return float(f)


@lru_cache(maxsize=1024)
def interceptor_vehicle(
    design: InterceptorDesign, burnout_speed_m_s: float, reference_speed_m_s: float
) -> Vehicle:
    """The rocket of ``design`` whose best flyout burns out at ``burnout_speed_m_s``:
    calibrated (propellant fraction) to the catalogue's ``reference_speed_m_s``, then
    every stage's thrust scaled by one factor for any other speed (module doc).
    InputError when that rocket could not lift off or no scale reaches the speed."""
    target = float(burnout_speed_m_s)
    if not (np.isfinite(target) and 0.0 < target <= 30_000.0):
        raise InputError(
            f"{design.id}: burnout speed {target!r} m/s; allowed 0 < speed <= 30 km/s",
            field="burnout_speed",
            value=target,
            allowed="(0, 30] km/s",
        )
    f = calibrate_propellant_fraction(design, reference_speed_m_s)
    base = vehicle_from_design(design, f)
    if abs(target - reference_speed_m_s) <= SPEED_TOLERANCE * reference_speed_m_s:
        return base
    k_min = MIN_LIFTOFF_THRUST_TO_WEIGHT / liftoff_thrust_to_weight(base)

    def speed(k):
        return best_flyout(vehicle_from_design(design, f, k))[0]

    k, ends = _solve(speed, k_min * (1.0 + 1e-6), THRUST_SCALE_MAX, target)
    if k is None:
        fast = target > ends[1]
        raise InputError(
            f"{design.id}: no version of this interceptor burns out at {target / 1e3:.2f} "
            "km/s; "
            + (
                f"the fastest considered burns out at {ends[1] / 1e3:.2f} km/s"
                if fast
                else "slower versions cannot lift off or leave the ground (thrust-to-weight "
                f"near {MIN_LIFTOFF_THRUST_TO_WEIGHT:g}); the slowest that flies burns out at "
                f"{ends[1] / 1e3:.2f} km/s"
            ),
            field="burnout_speed",
            value=target / 1e3,
            allowed=f"{ends[1] / 1e3:.2f} km/s and faster" if not fast else None,
        )
    return vehicle_from_design(design, f, k)


def design_summary(design: InterceptorDesign, vehicle: Vehicle) -> dict:
    """The built rocket in SI numbers, for outputs: stages (gross, propellant, burn time,
    vacuum thrust), the effective propellant fraction, the thrust scale against the
    catalogue Isp, lift-off thrust-to-weight and the peak boost acceleration (vacuum, at
    each stage's burnout)."""
    stages = []
    above = vehicle.payload_mass_kg
    masses = []
    for st in reversed(vehicle.stages):
        masses.append(above + st.gross_mass_kg)
        above += st.gross_mass_kg
    masses = masses[::-1]  # stack mass at each ignition
    peak = 0.0
    for st, m in zip(vehicle.stages, masses, strict=True):
        a_end = st.thrust_vac_n / (m - st.propellant_mass_kg)
        peak = max(peak, a_end)
        stages.append(
            {
                "gross_mass_kg": st.gross_mass_kg,
                "propellant_mass_kg": st.propellant_mass_kg,
                "burn_time_s": st.burn_time_s,
                "thrust_vac_n": st.thrust_vac_n,
            }
        )
    s0 = vehicle.stages[0]
    return {
        "launch_mass_kg": vehicle.launch_mass_kg,
        "kill_vehicle_mass_kg": vehicle.payload_mass_kg,
        "stages": stages,
        "propellant_fraction": s0.propellant_mass_kg / s0.gross_mass_kg,
        "isp_vac_s": design.isp_vac_s,
        "thrust_scale": s0.isp_vac_s / design.isp_vac_s,
        "liftoff_thrust_to_weight": liftoff_thrust_to_weight(vehicle),
        "peak_acceleration_g": peak / G0_M_S2,
        "vertical_rise_s": vehicle.vertical_rise_s,
    }


__all__ = [
    "FAN_ELEVATIONS_DEG",
    "KV_BALLISTIC_COEFFICIENT_KG_M2",
    "MIN_LIFTOFF_THRUST_TO_WEIGHT",
    "NOZZLE_EXIT_FRACTION",
    "InterceptorDesign",
    "best_flyout",
    "burnout_speed",
    "calibrate_propellant_fraction",
    "design_summary",
    "interceptor_vehicle",
    "liftoff_thrust_to_weight",
    "relative_speed_m_s",
    "step_control",
    "vehicle_from_design",
]
