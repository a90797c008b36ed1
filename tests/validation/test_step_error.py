"""Step error of the fixed-step RK4 kernel (backend 'cpu') against the adaptive DOP853
reference (backend 'reference', rtol 1e-11) over the same right-hand side: full
flights (vertical rise, kick, staging, burnout, coast, re-entry with drag) on the
rotating WGS 84 Earth with J2 and the US-1976 atmosphere.

Both paths call the same physics, so what differs is the integration alone (and the
way each locates impact and apogee). Impact points are compared by WGS 84 geodesic.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod, Transformer

from bmdsim.flight import state as S
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.targeting import Launcher
from bmdsim.flight.vehicle import pack_vehicles
from fixture_vehicles import ICBM, SRBM, TEYKOVO

pytestmark = pytest.mark.slow

GEOD = Geod(ellps="WGS84")
FULL_MODEL = FlightModel(earth="wgs84", rotation=True, drag=True)
AZIMUTHS_DEG = (0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0)
# lofted, near the maximum-range kick (SRBM ~0.111 rad, ICBM ~0.326 rad), depressed
KICKS_RAD = {"srbm": (0.05, 0.08, 0.11, 0.15, 0.20), "icbm": (0.20, 0.26, 0.33)}


def _fly_both(vehicle, azimuths_deg, kicks_rad, model=FULL_MODEL):
    az = np.radians(np.repeat(azimuths_deg, len(kicks_rad)))
    kick = np.tile(kicks_rad, len(azimuths_deg))
    out = []
    for backend in ("cpu", "reference"):
        launcher = Launcher(pack_vehicles([vehicle]), 0, np.full(len(az), TEYKOVO[0]), TEYKOVO[1],
                            0.0, model, backend)
        out.append(launcher.fly(az, kick))
    return out


def _errors(rk4, ref):
    _, _, miss = GEOD.inv(rk4.impact_lon_deg, rk4.impact_lat_deg, ref.impact_lon_deg,
                          ref.impact_lat_deg)
    return (np.asarray(miss), np.abs(rk4.flight_time_s - ref.flight_time_s),
            np.abs(rk4.apogee_m - ref.apogee_m))


@pytest.mark.parametrize("vehicle", [SRBM, ICBM], ids=["srbm", "icbm"])
def test_rk4_impact_point_matches_dop853_reference(vehicle):
    # Tolerances (the project's accuracy budget for the fixed-step kernel): impact point
    # 100 m, flight time 0.5 s, apogee 100 m. Measured with the default StepControl at
    # 8 azimuths: SRBM (145-290 km) impact <= 24 m, time <= 0.02 s, apogee <= 10 m;
    # ICBM (7,300-10,200 km) impact <= 24 m, time <= 0.06 s, apogee <= 51 m (most of
    # the apogee part is the reference's apogee definition: see the xfail below).
    kicks = KICKS_RAD[vehicle.id]
    rk4, ref = _fly_both(vehicle, AZIMUTHS_DEG, kicks)
    assert np.all(rk4.impacted) and np.all(ref.impacted)
    miss, dt, dh = _errors(rk4, ref)
    lo, hi = rk4.range_m.min() / 1e3, rk4.range_m.max() / 1e3
    print(f"\n{vehicle.id}: range {lo:,.0f}-{hi:,.0f} km; "
          f"max impact difference {miss.max():.1f} m, flight time {dt.max():.3f} s, "
          f"apogee {dh.max():.1f} m")
    for k in kicks:
        sel = np.tile(kicks, len(AZIMUTHS_DEG)) == k
        print(f"  kick {k:.2f} rad: impact {miss[sel].max():6.1f} m, time {dt[sel].max():.3f} s, "
              f"apogee {dh[sel].max():6.1f} m")
    assert miss.max() < 100.0
    assert dt.max() < 0.5
    assert dh.max() < 100.0


def test_rk4_burnout_state_matches_dop853_reference():
    # Burnout is a scheduled event in both paths (steps split there), so the state at
    # burnout isolates the boost-phase error. Measured at the default dt_boost 1.5 s:
    # ICBM <= 2.2 m and 0.034 m/s, SRBM <= 1.0 m and 0.035 m/s; tolerances 5 m, 0.1 m/s.
    for vehicle in (SRBM, ICBM):
        rk4, ref = _fly_both(vehicle, (0.0, 135.0, 270.0), KICKS_RAD[vehicle.id])
        sl_r = slice(S.S_R_BURNOUT, S.S_R_BURNOUT + 3)
        sl_v = slice(S.S_V_BURNOUT, S.S_V_BURNOUT + 3)
        dr = np.linalg.norm(rk4.summary[:, sl_r] - ref.summary[:, sl_r], axis=1)
        dv = np.linalg.norm(rk4.summary[:, sl_v] - ref.summary[:, sl_v], axis=1)
        np.testing.assert_array_equal(rk4.summary[:, S.S_T_BURNOUT], ref.summary[:, S.S_T_BURNOUT])
        print(f"\n{vehicle.id} burnout: |dr| <= {dr.max():.2f} m, |dv| <= {dv.max():.4f} m/s")
        assert dr.max() < 5.0
        assert dv.max() < 0.1


def test_rk4_depressed_icbm_within_documented_150_m():
    # Strongly depressed ICBM flights (kick 0.40 rad, 5,300-9,000 km) are the most
    # sensitive to the boost step: the default dt_boost = 1.5 s leaves ~1 m and ~0.02 m/s
    # at burnout, measured 95-113 m at impact. StepControl's docstring states 150 m for
    # this case; dt_boost = 0.25 s brings it to ~13 m (test below).
    rk4, ref = _fly_both(ICBM, AZIMUTHS_DEG, (0.40,))
    miss, _, _ = _errors(rk4, ref)
    print(f"\ndepressed ICBM: impact difference {miss.min():.0f}-{miss.max():.0f} m")
    assert miss.max() < 150.0


def test_finer_steps_converge_to_the_reference():
    # Halving the error budget must shrink the difference: a check that what the tests
    # above measure is step error, not a model difference between the two paths.
    # Measured: ICBM 45 deg, kick 0.40 rad: 100 m (default) -> ~10 m (fine steps).
    fine = FlightModel(steps=StepControl(dt_boost=0.1, dt_max=2.0, dt_atmosphere=1.0,
                                         step_factor=0.01))
    coarse_rk4, ref = _fly_both(ICBM, (45.0,), (0.40,))
    fine_rk4, _ = _fly_both(ICBM, (45.0,), (0.40,), model=fine)
    miss_coarse, _, _ = _errors(coarse_rk4, ref)
    miss_fine, _, _ = _errors(fine_rk4, ref)
    print(f"\nICBM 45 deg kick 0.40: {miss_coarse[0]:.1f} m -> {miss_fine[0]:.1f} m, fine steps")
    assert miss_fine[0] < 0.25 * miss_coarse[0]
    assert miss_fine[0] < 20.0


def test_reference_apogee_is_highest_ellipsoidal_altitude():
    # Truth: the maximum of the ellipsoidal height, computed by PROJ (not bmdsim's
    # geodetic code) on a 0.5 s record of a fine-step RK4 flight (sampling error < 0.2 m).
    model = FlightModel(steps=StepControl(dt_boost=0.05, dt_max=0.5, dt_atmosphere=0.5,
                                          step_factor=0.01))
    to_lla = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    az, kick = np.radians([200.0, 90.0]), np.array([0.45, 0.33])
    launcher = Launcher(pack_vehicles([ICBM]), 0, np.full(2, TEYKOVO[0]), TEYKOVO[1], 0.0, model,
                        "cpu")
    fine = launcher.fly(az, kick, record_steps=20_000)
    ref = Launcher(pack_vehicles([ICBM]), 0, np.full(2, TEYKOVO[0]), TEYKOVO[1], 0.0, FULL_MODEL,
                   "reference").fly(az, kick)
    for i in range(2):
        rec = fine.record[i, : int(fine.summary[i, S.S_N_STEPS])]
        theta = 7.292115e-5 * rec[:, S.R_T]  # ECI -> ECEF (ECI = ECEF at t = 0)
        x = np.cos(theta) * rec[:, S.R_X] + np.sin(theta) * rec[:, S.R_Y]
        y = -np.sin(theta) * rec[:, S.R_X] + np.cos(theta) * rec[:, S.R_Y]
        _, _, h = to_lla.transform(x, y, rec[:, S.R_Z])
        print(f"\ncase {i}: true max height {h.max():,.1f} m, reference {ref.apogee_m[i]:,.1f} m, "
              f"fine-step rk4 {fine.apogee_m[i]:,.1f} m")
        assert ref.apogee_m[i] == pytest.approx(h.max(), abs=10.0)
