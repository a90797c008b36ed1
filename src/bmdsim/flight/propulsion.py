"""Thrust and mass of a staged rocket.

Per stage: constant mass flow mdot = m_prop / t_burn; thrust F = F_vac - p_atm A_exit
(vacuum thrust F_vac = mdot g0 Isp_vac, corrected for back-pressure on the nozzle exit;
Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eq. 2-14 and 3-21). Stage k
ignites at the burnout of stage k-1, dropping its dry mass. Thrust can be terminated
early at ``t_cutoff`` (used to shape minimum-energy trajectories to nearer targets).
"""

from numba.extending import register_jitable

from bmdsim.flight import state as S


@register_jitable
def active_stage(t, vehicle):
    """Index of the stage burning at time t (ignition <= t < burnout), or -1."""
    n = int(vehicle[S.V_NSTAGES])
    for k in range(n):
        b = S.V_STAGE0 + k * S.STAGE_FIELDS
        if vehicle[b + S.SF_T_IGNITION] <= t < vehicle[b + S.SF_T_BURNOUT]:
            return k
    return -1


@register_jitable
def step_stage(t, dt, vehicle, t_end_thrust):
    """The stage that burns throughout the step [t, t + dt], or -1 in free flight.

    Steps are split at every burnout, so the stage at the step's midpoint holds for the
    whole step, its end included (a right-hand side switching stage at the end point
    would break the integrator's order)."""
    t_mid = t + 0.5 * dt
    if t_mid >= t_end_thrust:
        return -1
    return active_stage(t_mid, vehicle)


@register_jitable
def thrust_mass_area(t, k, vehicle, p_atm_pa):
    """(thrust N, mass kg, drag reference area m^2) of burning stage k at time t."""
    b = S.V_STAGE0 + k * S.STAGE_FIELDS
    mass = vehicle[b + S.SF_M_IGNITION] - vehicle[b + S.SF_MDOT] * (
        t - vehicle[b + S.SF_T_IGNITION]
    )
    thrust = vehicle[b + S.SF_THRUST_VAC] - p_atm_pa * vehicle[b + S.SF_EXIT_AREA]
    if thrust < 0.0:
        thrust = 0.0
    return thrust, mass, vehicle[b + S.SF_REF_AREA]


@register_jitable
def end_of_thrust(vehicle, t_cutoff):
    """Time thrust ends: the last stage's burnout, or the cut-off if earlier."""
    n = int(vehicle[S.V_NSTAGES])
    if n == 0:
        return 0.0
    t_last = vehicle[S.V_STAGE0 + (n - 1) * S.STAGE_FIELDS + S.SF_T_BURNOUT]
    return t_cutoff if t_cutoff < t_last else t_last


@register_jitable
def coast_body(vehicle, t_end_thrust):
    """(mass kg, reference area m^2, ballistic coefficient kg/m^2) of what flies on
    after thrust ends: the separated RV (beta > 0), or the spent stage with its payload
    and any unburnt propellant (beta = 0: use the Cd table and the area)."""
    if vehicle[S.V_SEPARATES] > 0.5:
        return vehicle[S.V_RV_MASS], 0.0, vehicle[S.V_RV_BETA]
    n = int(vehicle[S.V_NSTAGES])
    if n == 0:
        return vehicle[S.V_RV_MASS], vehicle[S.V_COAST_REF_AREA], 0.0
    k = n - 1
    for j in range(n):
        b = S.V_STAGE0 + j * S.STAGE_FIELDS
        if vehicle[b + S.SF_T_IGNITION] <= t_end_thrust <= vehicle[b + S.SF_T_BURNOUT]:
            k = j
            break
    b = S.V_STAGE0 + k * S.STAGE_FIELDS
    burnt = t_end_thrust - vehicle[b + S.SF_T_IGNITION]
    mass = vehicle[b + S.SF_M_IGNITION] - vehicle[b + S.SF_MDOT] * burnt
    return mass, vehicle[b + S.SF_REF_AREA], 0.0
