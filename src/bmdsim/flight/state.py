"""Array layouts shared by the flight kernels, the launchers and the results.

Axis convention: batch first, then time (if any), then components last. A single
trajectory is a batch of one. All values SI (m, s, kg, rad).

Four row layouts travel to the kernels as plain float64 arrays, so that the same
compiled code runs on the CPU (numba prange) and the GPU (numba.cuda) without
objects:

* a **vehicle row** (``V_*``): stages, coasting body, drag table, steering timing, and
  the lift law of a lifting vehicle (``steering.lift_acceleration``);
* a **launch row** (``L_*``): which vehicle, initial ECI state, heading, kick angle,
  thrust cut-off time, terminal-dive time (one row per trajectory);
* a **model row** (``M_*``): which physics and which steps, the same for the whole
  batch (built by ``batch.FlightModel.row()``);
* a **summary row** (``S_*``): the events of the flight, written by the kernel.

A time series, when asked for, is ``(batch, step, R_*)`` with ``R_T`` and the ECI state.

The kernel (``integrate.fly_one``) takes, in this order: ``vehicles`` (n_vehicles,
V_SIZE), ``launches`` (N, L_SIZE), ``model`` (M_SIZE,), ``atmosphere`` (the US-1976
table ``earth.atmosphere.US1976_TABLE``, (n_altitudes, 3)), ``summary`` (N, S_SIZE) and
``record`` (N, k, R_SIZE) with ``record_on``. Every table a kernel reads is such an
argument, never a module-level NumPy array: numba freezes a global array into the
compiled code, on a GPU as constant data, of which the hardware allows 64 KiB per
module (the US-1976 table alone is 240 KB; docs/design.md, "Tables as kernel arguments").
"""

MAX_STAGES = 4
MAX_CD_POINTS = 24

# --- vehicle row ----------------------------------------------------------------
V_NSTAGES = 0
V_STAGE0 = 1  # per stage: the 7 fields below
STAGE_FIELDS = 7
SF_T_IGNITION = 0  # s after launch
SF_T_BURNOUT = 1
SF_M_IGNITION = 2  # whole vehicle mass at ignition of this stage, kg
SF_MDOT = 3  # kg/s
SF_THRUST_VAC = 4  # N
SF_EXIT_AREA = 5  # m^2, for the back-pressure correction
SF_REF_AREA = 6  # m^2, drag reference area while this stage flies
V_SEPARATES = V_STAGE0 + MAX_STAGES * STAGE_FIELDS  # 1.0: the RV separates at burnout
V_RV_MASS = V_SEPARATES + 1  # kg, mass of the separated RV (or payload)
V_RV_BETA = V_SEPARATES + 2  # kg/m^2, m / (Cd A) of the separated RV
V_COAST_REF_AREA = V_SEPARATES + 3  # m^2, of the non-separating body
V_CD_SCALE = V_SEPARATES + 4
V_T_VERTICAL = V_SEPARATES + 5  # s of vertical rise before the pitch-over kick
V_NCD = V_SEPARATES + 6
V_CD_MACH = V_NCD + 1
V_CD_VALUE = V_CD_MACH + MAX_CD_POINTS
# Lift (docs/models/lifting-flight.md): zero lift unless V_LIFT_LAW says otherwise.
V_LIFT_LAW = V_CD_VALUE + MAX_CD_POINTS  # LIFT_* below, stored as float
V_LIFT_TO_DRAG = V_LIFT_LAW + 1  # maximum L/D: |lift| <= L/D x drag
V_GLIDE_ALT = V_LIFT_LAW + 2  # m, commanded altitude of the level glide (inf: L/D max)
V_DIVE_SIN = V_LIFT_LAW + 3  # sin and cos of the terminal dive's commanded angle below
V_DIVE_COS = V_LIFT_LAW + 4  # the horizontal (stored, not the angle: no asin per step)
V_QB_APOGEE = V_LIFT_LAW + 5  # m, apogee of the quasi-ballistic shape (targeting only)
V_SIZE = V_LIFT_LAW + 6

# --- lift laws (the vehicle row's V_LIFT_LAW) ----------------------------------------
LIFT_NONE = 0  # ballistic: no lift
LIFT_GLIDE = 1  # after the first apogee past burnout: pull-up and level glide at
#                 V_GLIDE_ALT; from the launch row's L_T_DIVE: dive at the angle of
#                 V_DIVE_SIN, V_DIVE_COS.
# A launch flies its vehicle's lift law only when its L_LIFT is 1: the same lifting
# vehicle flies ballistic shapes (minimum-energy, apogee=KM, footprints) without lift.

# --- lift phases (chosen by integrate.fly_one per step, read by dynamics.acceleration)
PHASE_NONE = 0  # no lift (boost, ascent, ballistic vehicles)
PHASE_GLIDE = 1  # pull-up and level glide
PHASE_DIVE = 2  # terminal dive

# --- launch row -----------------------------------------------------------------
L_VEHICLE = 0  # index into the vehicle table (stored as float)
L_X, L_Y, L_Z = 1, 2, 3  # initial ECI position, m (ECI = ECEF at t = 0)
L_VX, L_VY, L_VZ = 4, 5, 6  # initial ECI velocity, m/s
L_AZIMUTH = 7  # launch heading, rad clockwise from geodetic north
L_KICK = 8  # pitch-over angle from the vertical, rad
L_T_CUTOFF = 9  # thrust termination time, s (inf: burn every stage to the end)
L_T_DIVE = 10  # s, start of the terminal dive of a lifting vehicle (inf: none)
L_LIFT = 11  # 1.0: fly the vehicle's lift law (V_LIFT_LAW); 0.0: no lift (ballistic)
L_SIZE = 12

# --- model row (one per batch) ------------------------------------------------------
M_EARTH = 0  # EARTH_WGS84 or EARTH_SPHERE (below), stored as float
M_ROTATION = 1  # 1.0: the Earth (and its air) turn at OMEGA_EARTH_RAD_S; 0.0: they do not
M_DRAG = 2  # 1.0: atmospheric drag on; 0.0: off (thrust still sees the air pressure)
M_DT_BOOST = 3  # s, step while thrusting            (integrate.StepControl holds these
M_DT_MAX = 4  # s, longest step above 100 km          six and documents the step rule)
M_DT_ATMOSPHERE = 5  # s, longest free-flight step below 100 km
M_STEP_FACTOR = 6  # step <= factor * v_air / a_nongravitational
M_DT_MIN = 7  # s, shortest step
M_T_MAX = 8  # s, integration stops here (STATUS_TIME_LIMIT)
M_END_ALT = 9  # m, the flight ends descending through this altitude (0: at impact)
M_SIZE = 10

# --- summary row ----------------------------------------------------------------
S_STATUS = 0  # STATUS_* below
S_T_END = 1  # impact time (or time at which integration stopped), s
# (``impact`` throughout: reaching the model row's M_END_ALT descending, 0 by default)
S_R_END = 2  # 2, 3, 4: ECI position at S_T_END
S_V_END = 5  # 5, 6, 7: ECI velocity at S_T_END
S_H_APOGEE = 8  # m, highest altitude (ellipsoidal or spherical per model)
S_T_APOGEE = 9
S_T_BURNOUT = 10  # s, end of thrust (final burnout or cut-off)
S_R_BURNOUT = 11  # 11, 12, 13
S_V_BURNOUT = 14  # 14, 15, 16
S_N_STEPS = 17
S_T_GLIDE = 18  # s, start of the lift law (first apogee past burnout); inf if none
S_SIZE = 19

STATUS_RUNNING = 0.0
STATUS_IMPACT = 1.0
STATUS_TIME_LIMIT = 2.0

# --- time-series record ---------------------------------------------------------
R_T = 0
R_X, R_Y, R_Z = 1, 2, 3
R_VX, R_VY, R_VZ = 4, 5, 6
R_SIZE = 7

# --- earth models (the model row's M_EARTH) -------------------------------------
EARTH_WGS84 = 0  # ellipsoidal altitude, point mass + J2 gravity
EARTH_SPHERE = 1  # spherical altitude (mean radius), point-mass gravity
