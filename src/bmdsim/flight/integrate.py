"""Integration of one trajectory: RK4 with state-sized steps, split at events.

Why this scheme (details and benchmark in docs/design.md):
* classical RK4 is explicit, allocation-free and identical on CPU and GPU threads;
* steps are **split exactly at scheduled events** (pitch-over, every stage burnout,
  thrust cut-off), so the right-hand side is smooth inside every step and RK4 keeps
  its fourth order across staging;
* the step length follows the state: ``dt_boost`` while thrusting, at most ``dt_max``
  in free flight, and never more than ``step_factor * v_air / a_ng`` (a fraction of the
  time scale on which drag or thrust change the velocity), so exo-atmospheric coast
  takes long steps and re-entry short ones. The rule is deterministic, so the CPU, GPU
  and reference paths see the same model;
* impact (altitude 0) is located inside the last step by regula falsi on the step
  length, re-taking the RK4 step from the step's start (error ~1 cm); apogee by the
  cubic Hermite interpolant of altitude using the climb rate dh/dt at both ends.

``fly_one`` is written once for all launchers (``backends/cpu.py``, ``backends/cuda.py``):
scalar locals only, no allocation, no exceptions.
"""

import math

from numba.extending import register_jitable

from bmdsim.flight import state as S
from bmdsim.flight.dynamics import acceleration, altitude_m
from bmdsim.flight.propulsion import coast_body, end_of_thrust, step_stage
from bmdsim.flight.steering import climb_rate, pitch_over

ATMOSPHERE_TOP_M = 100_000.0  # below it free-flight steps are capped by dt_atmosphere
LIFT_OFF, LIFT_WAITING, LIFT_GLIDING = 0, 1, 2  # fly_one's lift state


@register_jitable
def rk4_step(
    t,
    dt,
    x,
    y,
    z,
    vx,
    vy,
    vz,
    k1x,
    k1y,
    k1z,
    vehicle,
    stage,
    cm,
    ca,
    cb,
    vertical,
    phase,
    model,
    atmosphere,
):
    """One classical RK4 step of (r, v) given the first stage derivative k1 = a(t, s)."""
    h2 = 0.5 * dt
    x2, y2, z2 = x + h2 * vx, y + h2 * vy, z + h2 * vz
    vx2, vy2, vz2 = vx + h2 * k1x, vy + h2 * k1y, vz + h2 * k1z
    k2x, k2y, k2z, _, _ = acceleration(
        t + h2,
        x2,
        y2,
        z2,
        vx2,
        vy2,
        vz2,
        vehicle,
        stage,
        cm,
        ca,
        cb,
        vertical,
        phase,
        model,
        atmosphere,
    )
    x3, y3, z3 = x + h2 * vx2, y + h2 * vy2, z + h2 * vz2
    vx3, vy3, vz3 = vx + h2 * k2x, vy + h2 * k2y, vz + h2 * k2z
    k3x, k3y, k3z, _, _ = acceleration(
        t + h2,
        x3,
        y3,
        z3,
        vx3,
        vy3,
        vz3,
        vehicle,
        stage,
        cm,
        ca,
        cb,
        vertical,
        phase,
        model,
        atmosphere,
    )
    x4, y4, z4 = x + dt * vx3, y + dt * vy3, z + dt * vz3
    vx4, vy4, vz4 = vx + dt * k3x, vy + dt * k3y, vz + dt * k3z
    k4x, k4y, k4z, _, _ = acceleration(
        t + dt,
        x4,
        y4,
        z4,
        vx4,
        vy4,
        vz4,
        vehicle,
        stage,
        cm,
        ca,
        cb,
        vertical,
        phase,
        model,
        atmosphere,
    )
    s = dt / 6.0
    return (
        x + s * (vx + 2.0 * vx2 + 2.0 * vx3 + vx4),
        y + s * (vy + 2.0 * vy2 + 2.0 * vy3 + vy4),
        z + s * (vz + 2.0 * vz2 + 2.0 * vz3 + vz4),
        vx + s * (k1x + 2.0 * k2x + 2.0 * k3x + k4x),
        vy + s * (k1y + 2.0 * k2y + 2.0 * k3y + k4y),
        vz + s * (k1z + 2.0 * k2z + 2.0 * k3z + k4z),
    )


@register_jitable
def next_event_time(t, vehicle, t_vertical, kicked, t_end, t_dive):
    """The next scheduled event after t: pitch-over, a stage burnout, thrust end, the
    start of a terminal dive.

    A burnout during the vertical rise is an event too (interceptors rise through their
    first stage): a step across it would burn that stage past its propellant."""
    if not kicked:
        te = t_vertical
    else:
        te = t_dive if t < t_dive else math.inf
        if t >= t_end:
            return te
        if t_end < te:
            te = t_end
    n = int(vehicle[S.V_NSTAGES])
    for k in range(n):
        tb = vehicle[S.V_STAGE0 + k * S.STAGE_FIELDS + S.SF_T_BURNOUT]
        if t < tb < te:
            te = tb
    return te


@register_jitable
def hermite_maximum(h0, h1, d0, d1, dt):
    """Maximum of the cubic Hermite interpolant through (0, h0, d0), (dt, h1, d1) where
    d0 > 0 >= d1; returns (tau, h_max) with tau in [0, dt]."""
    # p(s) = h0 + d0 dt s + c2 s^2 + c3 s^3 for s in [0, 1]
    c2 = 3.0 * (h1 - h0) - dt * (2.0 * d0 + d1)
    c3 = 2.0 * (h0 - h1) + dt * (d0 + d1)
    qa, qb, qc = 3.0 * c3, 2.0 * c2, d0 * dt
    s = 0.5
    if abs(qa) < 1e-12 * (abs(qb) + abs(qc)):
        if qb != 0.0:
            s = -qc / qb
    else:
        disc = qb * qb - 4.0 * qa * qc
        if disc < 0.0:
            disc = 0.0
        sq = math.sqrt(disc)
        s1 = (-qb + sq) / (2.0 * qa)
        s2 = (-qb - sq) / (2.0 * qa)
        s = s1 if 0.0 <= s1 <= 1.0 else s2
    if s < 0.0:
        s = 0.0
    if s > 1.0:
        s = 1.0
    h = h0 + d0 * dt * s + c2 * s * s + c3 * s * s * s
    return s * dt, h


@register_jitable
def fly_one(i, vehicles, launches, model, atmosphere, summary, record, record_on):
    """Fly trajectory ``i`` of the batch from its launch row to impact (or the model
    row's ``M_T_MAX``), writing its events to ``summary[i]`` and, if ``record_on``, its
    states to ``record[i]`` (as many as fit; the count goes to ``summary[i, S_N_STEPS]``).
    Arguments as documented in ``state``: vehicle, launch and model rows, the atmosphere
    table, the output arrays."""
    earth_model = model[S.M_EARTH]
    rotation = model[S.M_ROTATION] != 0.0
    dt_boost = model[S.M_DT_BOOST]
    dt_max = model[S.M_DT_MAX]
    dt_atmosphere = model[S.M_DT_ATMOSPHERE]
    step_factor = model[S.M_STEP_FACTOR]
    dt_min = model[S.M_DT_MIN]
    t_max = model[S.M_T_MAX]
    launch = launches[i]
    vehicle = vehicles[int(launch[S.L_VEHICLE])]
    x, y, z = launch[S.L_X], launch[S.L_Y], launch[S.L_Z]
    vx, vy, vz = launch[S.L_VX], launch[S.L_VY], launch[S.L_VZ]
    azimuth = launch[S.L_AZIMUTH]
    kick = launch[S.L_KICK]
    t_end = end_of_thrust(vehicle, launch[S.L_T_CUTOFF])
    cm, ca, cb = coast_body(vehicle, t_end)
    n_stages = int(vehicle[S.V_NSTAGES])
    t_vertical = vehicle[S.V_T_VERTICAL]
    kicked = n_stages == 0 or t_vertical <= 0.0
    if n_stages > 0 and t_vertical <= 0.0:
        vx, vy, vz = pitch_over(x, y, z, vx, vy, vz, azimuth, kick, earth_model, rotation)

    t = 0.0
    h = altitude_m(x, y, z, earth_model)
    vr = climb_rate(x, y, z, vx, vy, vz, earth_model)
    h_apogee = h
    t_apogee = 0.0
    summary[i, S.S_T_BURNOUT] = 0.0
    summary[i, S.S_R_BURNOUT] = x
    summary[i, S.S_R_BURNOUT + 1] = y
    summary[i, S.S_R_BURNOUT + 2] = z
    summary[i, S.S_V_BURNOUT] = vx
    summary[i, S.S_V_BURNOUT + 1] = vy
    summary[i, S.S_V_BURNOUT + 2] = vz
    n_rec_max = record.shape[1] if record_on else 0
    n_rec = 0
    if n_rec_max > 0:
        record[i, 0, S.R_T] = t
        record[i, 0, S.R_X] = x
        record[i, 0, S.R_Y] = y
        record[i, 0, S.R_Z] = z
        record[i, 0, S.R_VX] = vx
        record[i, 0, S.R_VY] = vy
        record[i, 0, S.R_VZ] = vz
        n_rec = 1
    status = S.STATUS_TIME_LIMIT
    steps = 0
    # The lift law starts at the first apogee past the end of thrust (located exactly:
    # the step that crosses it is re-taken to end there) and stays on. One small state
    # (no lift / waiting for the apogee / gliding), and the dive time and end altitude
    # read from their rows where used: every value live across the loop costs the
    # ballistic flights registers (measured, docs/design.md).
    lift_state = LIFT_OFF
    if launch[S.L_LIFT] != 0.0 and vehicle[S.V_LIFT_LAW] != S.LIFT_NONE:
        lift_state = LIFT_WAITING
    summary[i, S.S_T_GLIDE] = math.inf
    while t < t_max:
        vertical = not kicked
        phase = S.PHASE_NONE
        t_dive = math.inf
        if lift_state != LIFT_OFF:
            if lift_state == LIFT_WAITING and t >= t_end and vr <= 0.0:
                lift_state = LIFT_GLIDING
                summary[i, S.S_T_GLIDE] = t
            t_dive = launch[S.L_T_DIVE]
            if lift_state == LIFT_GLIDING:
                phase = S.PHASE_DIVE if t >= t_dive else S.PHASE_GLIDE
        t_event = next_event_time(t, vehicle, t_vertical, kicked, t_end, t_dive)
        # The stage is fixed for the whole step (steps end at every burnout); the
        # first RK4 stage's acceleration also sizes the step.
        stage = step_stage(t, 0.0, vehicle, t_end)
        k1x, k1y, k1z, a_ng, v_air = acceleration(
            t,
            x,
            y,
            z,
            vx,
            vy,
            vz,
            vehicle,
            stage,
            cm,
            ca,
            cb,
            vertical,
            phase,
            model,
            atmosphere,
        )
        dt = dt_boost if stage >= 0 else (dt_max if h > ATMOSPHERE_TOP_M else dt_atmosphere)
        if a_ng > 0.0:
            tau = step_factor * max(v_air, 100.0) / a_ng
            if tau < dt:
                dt = tau
        if vr < 0.0:
            # Descending: no step may plunge more than ~70 % of the height left (plus
            # 1 km), so that no RK4 stage samples the atmosphere far below ground.
            t_fall = 0.7 * (h + 1000.0) / -vr
            if t_fall < dt:
                dt = t_fall
        if dt < dt_min:
            dt = dt_min
        hit = False
        if t + dt >= t_event - 1e-9:
            dt = t_event - t
            hit = True
        if t + dt > t_max:  # end exactly at the time limit
            dt = t_max - t
            hit = False
        # One pass, or two when the lift law waits for this step's apogee: then the step
        # is re-taken to end there (one call site of the inlined RK4 step, not two).
        retaking = True
        to_apogee = False
        while retaking:
            retaking = False
            nx, ny, nz, nvx, nvy, nvz = rk4_step(
                t,
                dt,
                x,
                y,
                z,
                vx,
                vy,
                vz,
                k1x,
                k1y,
                k1z,
                vehicle,
                stage,
                cm,
                ca,
                cb,
                vertical,
                phase,
                model,
                atmosphere,
            )
            h_new = altitude_m(nx, ny, nz, earth_model)
            vr_new = climb_rate(nx, ny, nz, nvx, nvy, nvz, earth_model)
            if to_apogee:
                vr_new = 0.0  # the apogee, to the interpolant's accuracy
            elif lift_state == LIFT_WAITING and stage < 0 and vr > 0.0 and vr_new <= 0.0:
                dt, _ = hermite_maximum(h, h_new, vr, vr_new, dt)
                hit = False
                retaking = True
                to_apogee = True
        if vr > 0.0 and vr_new <= 0.0:
            tau_a, h_a = hermite_maximum(h, h_new, vr, vr_new, dt)
            if h_a > h_apogee:
                h_apogee = h_a
                t_apogee = t + tau_a
        elif h_new > h_apogee:
            h_apogee = h_new
            t_apogee = t + dt
        # The flight ends descending through the model's end altitude (0: impact);
        # below it (a start below, not yet risen above), only the ground ends it.
        h_stop = model[S.M_END_ALT]
        if h < h_stop:
            h_stop = 0.0
        if h_new < h_stop and steps > 0:
            # Regula falsi (Illinois) on the step length for altitude h_stop.
            lo, f_lo, hi, f_hi = 0.0, h - h_stop, dt, h_new - h_stop
            side = 0
            s = dt
            n_iter = 30 if h >= h_stop else 0
            for _ in range(n_iter):
                s = lo + (hi - lo) * f_lo / (f_lo - f_hi)
                nx, ny, nz, nvx, nvy, nvz = rk4_step(
                    t,
                    s,
                    x,
                    y,
                    z,
                    vx,
                    vy,
                    vz,
                    k1x,
                    k1y,
                    k1z,
                    vehicle,
                    stage,
                    cm,
                    ca,
                    cb,
                    vertical,
                    phase,
                    model,
                    atmosphere,
                )
                f_s = altitude_m(nx, ny, nz, earth_model) - h_stop
                if abs(f_s) < 1e-3 or hi - lo < 1e-9:
                    break
                if f_s > 0.0:
                    lo, f_lo = s, f_s
                    if side == 1:
                        f_hi *= 0.5
                    side = 1
                else:
                    hi, f_hi = s, f_s
                    if side == -1:
                        f_lo *= 0.5
                    side = -1
            dt = s
            hit = False
            status = S.STATUS_IMPACT
        x, y, z, vx, vy, vz = nx, ny, nz, nvx, nvy, nvz
        t = t_event if hit else t + dt
        h = h_new  # (after an impact the loop ends; h is not used again)
        vr = vr_new
        steps += 1
        if hit:
            if not kicked and t >= t_vertical - 1e-9:
                vx, vy, vz = pitch_over(x, y, z, vx, vy, vz, azimuth, kick, earth_model, rotation)
                vr = climb_rate(x, y, z, vx, vy, vz, earth_model)
                kicked = True
            if t == t_end and n_stages > 0:
                summary[i, S.S_T_BURNOUT] = t
                summary[i, S.S_R_BURNOUT] = x
                summary[i, S.S_R_BURNOUT + 1] = y
                summary[i, S.S_R_BURNOUT + 2] = z
                summary[i, S.S_V_BURNOUT] = vx
                summary[i, S.S_V_BURNOUT + 1] = vy
                summary[i, S.S_V_BURNOUT + 2] = vz
        if n_rec < n_rec_max:
            record[i, n_rec, S.R_T] = t
            record[i, n_rec, S.R_X] = x
            record[i, n_rec, S.R_Y] = y
            record[i, n_rec, S.R_Z] = z
            record[i, n_rec, S.R_VX] = vx
            record[i, n_rec, S.R_VY] = vy
            record[i, n_rec, S.R_VZ] = vz
            n_rec += 1
        if status == S.STATUS_IMPACT:
            break
    summary[i, S.S_STATUS] = status
    summary[i, S.S_T_END] = t
    summary[i, S.S_R_END] = x
    summary[i, S.S_R_END + 1] = y
    summary[i, S.S_R_END + 2] = z
    summary[i, S.S_V_END] = vx
    summary[i, S.S_V_END + 1] = vy
    summary[i, S.S_V_END + 2] = vz
    summary[i, S.S_H_APOGEE] = h_apogee
    summary[i, S.S_T_APOGEE] = t_apogee
    summary[i, S.S_N_STEPS] = n_rec if record_on else steps


class StepControl:
    """Step-size settings of ``fly_one`` (see the module docstring): ``dt_max`` above
    100 km, ``dt_atmosphere`` below it. Measured against the adaptive DOP853 reference on
    the rotating WGS 84 Earth with drag (tests/validation/test_step_error.py): SRBM and
    ordinary ICBM impacts within ~25 m; strongly depressed ICBMs within 150 m (95-113 m
    measured; dt_boost = 0.25 s gives ~13 m at ~1.5x the cost)."""

    __slots__ = ("dt_boost", "dt_max", "dt_atmosphere", "step_factor", "dt_min", "t_max")

    def __init__(
        self,
        dt_boost=1.5,
        dt_max=20.0,
        dt_atmosphere=8.0,
        step_factor=0.12,
        dt_min=0.02,
        t_max=10_000.0,
    ):
        self.dt_boost = float(dt_boost)
        self.dt_max = float(dt_max)
        self.dt_atmosphere = float(dt_atmosphere)
        self.step_factor = float(step_factor)
        self.dt_min = float(dt_min)
        self.t_max = float(t_max)

    def __repr__(self):
        return (
            f"StepControl(dt_boost={self.dt_boost}, dt_max={self.dt_max}, "
            f"dt_atmosphere={self.dt_atmosphere}, "
            f"step_factor={self.step_factor}, dt_min={self.dt_min}, t_max={self.t_max})"
        )
