"""Cubic Hermite resampling of recorded flight states: positions and velocities at new times.

Between two recorded states (t0, r0, v0) and (t1, r1, v1), step h = t1 - t0 and
s = (t - t0) / h, the position is the cubic Hermite interpolant

    r(s) = h00(s) r0 + h10(s) h v0 + h01(s) r1 + h11(s) h v1,
    h00 = 2s^3 - 3s^2 + 1, h10 = s^3 - 2s^2 + s, h01 = -2s^3 + 3s^2, h11 = s^3 - s^2,

and the velocity its time derivative, (6s^2 - 6s)(r0 - r1)/h + (3s^2 - 4s + 1) v0 +
(3s^2 - 2s) v1 (de Boor, *A Practical Guide to Splines*, ch. IV). Exact for cubic motion;
on the RK4 record of a ballistic flight (steps up to 20 s in vacuum) the position error
is metres at most. Any frame, any units (SI in bmdsim); the states' own frame comes out.

``hermite`` and ``record_step`` are scalar (numba ``register_jitable``): compiled kernels
call them directly (``defence.matrix.threat_tracks_to_grid``); ``hermite_resample`` is
the NumPy door for one record (``defence.engagement.threat_track``,
``defence.flyout.fly_fan``).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.extending import register_jitable


@register_jitable
def record_step(t, n, tq, j):
    """Index j of the recorded step [t[j], t[j + 1]] that holds ``tq``: the last j in
    [0, n - 2] with t[j] <= tq (0 if none), i.e. ``searchsorted(t[:n], tq, 'right') - 1``
    clipped to [0, n - 2]. ``t`` ascending, n >= 2; ``j`` a starting guess (the previous
    answer: ascending queries then cost O(1) each)."""
    if j > n - 2:
        j = n - 2
    if j < 0:
        j = 0
    while j > 0 and t[j] > tq:
        j -= 1
    while j + 1 <= n - 2 and t[j + 1] <= tq:
        j += 1
    return j


@register_jitable
def step_fraction(t0, t1, tq):
    """(h, s): the step length t1 - t0 and the fraction s = (tq - t0) / h of ``tq`` in it
    (s measured in seconds when h = 0, so a repeated time gives s = 0 at its instant)."""
    h = t1 - t0
    return h, (tq - t0) / (h if h > 0.0 else 1.0)


@register_jitable
def hermite(p0, v0, p1, v1, h, s):
    """(position, velocity) of one coordinate at fraction ``s`` of a step of length ``h``
    between (p0, v0) and (p1, v1) (module doc); velocity v0 on a zero-length step."""
    s2 = s * s
    s3 = s2 * s
    pos = (
        (2.0 * s3 - 3.0 * s2 + 1.0) * p0
        + (s3 - 2.0 * s2 + s) * (v0 * h)
        + (-2.0 * s3 + 3.0 * s2) * p1
        + (s3 - s2) * (v1 * h)
    )
    if h > 0.0:
        vel = (
            (6.0 * s2 - 6.0 * s) * (p0 - p1) / h
            + (3.0 * s2 - 4.0 * s + 1.0) * v0
            + (3.0 * s2 - 2.0 * s) * v1
        )
    else:
        vel = v0
    return pos, vel


@njit(cache=True)
def _resample_kernel(t, r, v, tq, r_out, v_out):
    n = t.shape[0]
    j = 0
    for k in range(tq.shape[0]):
        x = min(max(tq[k], t[0]), t[n - 1])
        j = record_step(t, n, x, j)
        h, s = step_fraction(t[j], t[j + 1], x)
        for c in range(r.shape[1]):
            r_out[k, c], v_out[k, c] = hermite(r[j, c], v[j, c], r[j + 1, c], v[j + 1, c], h, s)


def hermite_resample(t_s, r_m, v_m_s, t_new):
    """Positions and velocities (each (len(t_new), D)) at times ``t_new`` from states
    ``r_m``, ``v_m_s`` (n, D) recorded at ascending ``t_s`` (n >= 2). Times outside
    [t_s[0], t_s[-1]] take the end states (no extrapolation)."""
    t = np.ascontiguousarray(t_s, dtype=np.float64)
    r = np.ascontiguousarray(r_m, dtype=np.float64)
    v = np.ascontiguousarray(v_m_s, dtype=np.float64)
    tq = np.ascontiguousarray(np.ravel(t_new), dtype=np.float64)
    pos = np.empty((len(tq), r.shape[1]))
    vel = np.empty((len(tq), r.shape[1]))
    _resample_kernel(t, r, v, tq, pos, vel)
    return pos, vel


__all__ = ["hermite", "hermite_resample", "record_step", "step_fraction"]
