"""Reference launcher: scipy ``solve_ivp`` (DOP853, tight tolerances, event location)
over exactly the same right-hand side (``dynamics.acceleration``) run as plain Python.

For tests and single-flight accuracy checks: it is ~10^4 times slower than ``cpu``.
It integrates between the same scheduled events (pitch-over, stage burnouts, thrust
end, a lifting vehicle's dive) and finds impact, apogee and the start of the lift law
(the first apogee past thrust end) with DOP853's dense output root finding.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import solve_ivp

from bmdsim.earth.atmosphere import US1976_TABLE
from bmdsim.flight import state as S
from bmdsim.flight.dynamics import acceleration, altitude_m
from bmdsim.flight.propulsion import coast_body, end_of_thrust, step_stage
from bmdsim.flight.steering import climb_rate, pitch_over

RTOL = 1e-11
ATOL = 1e-5  # m and m/s


def _fly(launch, vehicles, model):
    earth_model = model[S.M_EARTH]
    rotation = model[S.M_ROTATION] != 0.0
    t_max = model[S.M_T_MAX]
    h_end = model[S.M_END_ALT]
    vehicle = vehicles[int(launch[S.L_VEHICLE])]
    y = np.array(launch[S.L_X : S.L_VZ + 1], dtype=float)
    azimuth, kick = launch[S.L_AZIMUTH], launch[S.L_KICK]
    t_dive = launch[S.L_T_DIVE]
    lifting = launch[S.L_LIFT] != 0.0 and vehicle[S.V_LIFT_LAW] != S.LIFT_NONE
    t_end = end_of_thrust(vehicle, launch[S.L_T_CUTOFF])
    cm, ca, cb = coast_body(vehicle, t_end)
    n = int(vehicle[S.V_NSTAGES])
    t_vertical = vehicle[S.V_T_VERTICAL]

    def rhs_factory(vertical, stage, phase):
        def rhs(t, s):
            ax, ay, az, _, _ = acceleration(
                t,
                s[0],
                s[1],
                s[2],
                s[3],
                s[4],
                s[5],
                vehicle,
                stage,
                cm,
                ca,
                cb,
                vertical,
                phase,
                model,
                US1976_TABLE,
            )
            return [s[3], s[4], s[5], ax, ay, az]

        return rhs

    def impact_at(h_stop):
        def impact(t, s):
            return altitude_m(s[0], s[1], s[2], earth_model) - h_stop

        impact.terminal = True
        impact.direction = -1
        return impact

    def apogee(t, s):
        return climb_rate(s[0], s[1], s[2], s[3], s[4], s[5], earth_model)

    apogee.direction = -1

    def glide_start(t, s):  # the first apogee past thrust end: the lift law starts
        return climb_rate(s[0], s[1], s[2], s[3], s[4], s[5], earth_model)

    glide_start.terminal = True
    glide_start.direction = -1

    out = np.zeros(S.S_SIZE)
    out[S.S_R_BURNOUT : S.S_R_BURNOUT + 3] = y[:3]
    out[S.S_V_BURNOUT : S.S_V_BURNOUT + 3] = y[3:]
    boundaries = []
    if n > 0 and t_vertical > 0:
        boundaries.append(("kick", t_vertical))
    elif n > 0:
        y[3:] = pitch_over(*y, azimuth, kick, earth_model, rotation)
    for k in range(n):
        tb = vehicle[S.V_STAGE0 + k * S.STAGE_FIELDS + S.SF_T_BURNOUT]
        if 0.0 < tb < t_end:  # burnouts during the vertical rise included
            boundaries.append(("stage", tb))
    if n > 0 and t_end > 0:
        boundaries.append(("burnout", t_end))
    if lifting and math.isfinite(t_dive):
        boundaries.append(("dive", t_dive))
    boundaries.sort(key=lambda b: b[1])
    boundaries.append(("end", t_max))
    t = 0.0
    vertical = n > 0 and t_vertical > 0
    h_apogee, t_apogee = altitude_m(*y[:3], earth_model), 0.0
    gliding, t_glide = False, math.inf
    status = S.STATUS_TIME_LIMIT
    for name, t_next in boundaries:
        if t_next > t_max:  # the time limit comes first: stop there, as fly_one does
            name, t_next = "end", t_max
        while t_next > t and status != S.STATUS_IMPACT:
            h0 = altitude_m(*y[:3], earth_model)
            if lifting and not gliding and t >= t_end and climb_rate(*y, earth_model) <= 0.0:
                gliding, t_glide = True, t
            phase = S.PHASE_NONE
            if gliding:
                phase = S.PHASE_DIVE if t >= t_dive else S.PHASE_GLIDE
            watch_glide = lifting and not gliding and t >= t_end
            span = t_next - t if math.isfinite(t_next) else math.inf
            stage = step_stage(t, span, vehicle, t_end)
            events = (impact_at(h_end if h0 >= h_end else 0.0), apogee)
            if watch_glide:
                events = (*events, glide_start)
            sol = solve_ivp(
                rhs_factory(vertical, stage, phase),
                (t, t_next),
                y,
                method="DOP853",
                rtol=RTOL,
                atol=ATOL,
                events=events,
                dense_output=False,
            )
            for ta, ya in zip(sol.t_events[1], sol.y_events[1], strict=True):
                h = altitude_m(ya[0], ya[1], ya[2], earth_model)
                if h > h_apogee:
                    h_apogee, t_apogee = h, ta
            h_last = altitude_m(*sol.y[:3, -1], earth_model)
            if h_last > h_apogee:
                h_apogee, t_apogee = h_last, sol.t[-1]
            if sol.status == 1 and len(sol.t_events[0]):
                t, y = sol.t_events[0][0], sol.y_events[0][0]
                status = S.STATUS_IMPACT
            elif sol.status == 1 and watch_glide and len(sol.t_events[2]):
                t, y = sol.t_events[2][0], sol.y_events[2][0].copy()
                gliding, t_glide = True, t
            else:
                t, y = sol.t[-1], sol.y[:, -1].copy()
        if status == S.STATUS_IMPACT:
            break
        if name == "kick":
            y[3:] = pitch_over(*y, azimuth, kick, earth_model, rotation)
            vertical = False
        elif name == "burnout":
            out[S.S_T_BURNOUT] = t
            out[S.S_R_BURNOUT : S.S_R_BURNOUT + 3] = y[:3]
            out[S.S_V_BURNOUT : S.S_V_BURNOUT + 3] = y[3:]
    out[S.S_STATUS] = status
    out[S.S_T_END] = t
    out[S.S_R_END : S.S_R_END + 3] = y[:3]
    out[S.S_V_END : S.S_V_END + 3] = y[3:]
    out[S.S_H_APOGEE] = h_apogee
    out[S.S_T_APOGEE] = t_apogee
    out[S.S_T_GLIDE] = t_glide
    out[S.S_N_STEPS] = math.nan
    return out


def fly_batch(vehicles, launches, model, *, record_steps=0):
    """Same contract as ``backends.cpu.fly_batch`` (no time series: ``record`` is None);
    of the model row's step settings only ``M_T_MAX`` applies (DOP853 sizes its steps)."""
    vehicles = np.asarray(vehicles, float)
    model = np.asarray(model, float)
    summary = np.stack([_fly(row, vehicles, model) for row in np.asarray(launches, float)])
    return summary, None
