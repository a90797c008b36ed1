"""Aerodynamic drag of a point mass.

Drag acceleration a_D = -(1/2) rho |v_air| v_air * Cd(M) A / m, with v_air the velocity
relative to the atmosphere that turns with the Earth (v_air = v_eci - omega x r) and
M = |v_air| / a(h). For a separated re-entry vehicle, Cd A / m is 1 / beta with the
ballistic coefficient beta = m / (Cd A) in kg/m^2 held constant (Regan & Anandakrishnan,
*Dynamics of Atmospheric Re-Entry*, AIAA 1993, ch. 2). Cd(M) is a table (piecewise
linear, held constant beyond its ends) from the catalogue; no lift (3-DoF point mass).
"""

from numba.extending import register_jitable

from bmdsim.flight import state as S


@register_jitable
def drag_coefficient(mach, vehicle):
    """Cd at Mach ``mach`` from the vehicle row's table, times its Cd scale."""
    n = int(vehicle[S.V_NCD])
    m0 = S.V_CD_MACH
    c0 = S.V_CD_VALUE
    if mach <= vehicle[m0]:
        return vehicle[c0] * vehicle[S.V_CD_SCALE]
    if mach >= vehicle[m0 + n - 1]:
        return vehicle[c0 + n - 1] * vehicle[S.V_CD_SCALE]
    k = 0
    while vehicle[m0 + k + 1] < mach:
        k += 1
    w = (mach - vehicle[m0 + k]) / (vehicle[m0 + k + 1] - vehicle[m0 + k])
    return (vehicle[c0 + k] + w * (vehicle[c0 + k + 1] - vehicle[c0 + k])) * vehicle[S.V_CD_SCALE]
