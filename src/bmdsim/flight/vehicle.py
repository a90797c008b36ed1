"""Vehicles as the physics sees them: frozen dataclasses of SI floats.

Built from catalogue entries by the public API (``bmdsim.api``) or directly by users;
``pack_vehicles`` turns them into the float rows the kernels read (layout in
``state.py``). Staging model: stage k ignites when stage k-1 burns out and drops its
whole (dry) mass then; mass flow is constant over a burn (mdot = propellant / burn
time); vacuum thrust F_vac = mdot * g0 * Isp_vac, less p_atm * A_exit in the air.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bmdsim.earth.constants import G0_M_S2
from bmdsim.errors import InputError
from bmdsim.flight import state as S


@dataclass(frozen=True)
class Stage:
    gross_mass_kg: float  # this stage with its propellant, without upper stages
    propellant_mass_kg: float
    isp_vac_s: float
    burn_time_s: float
    diameter_m: float
    nozzle_exit_area_m2: float

    @property
    def mass_flow_kg_s(self) -> float:
        return self.propellant_mass_kg / self.burn_time_s

    @property
    def thrust_vac_n(self) -> float:
        return self.mass_flow_kg_s * G0_M_S2 * self.isp_vac_s


@dataclass(frozen=True)
class Vehicle:
    """A staged rocket with its payload. ``payload_separates``: after the final
    burnout an RV of ``payload_mass_kg`` flies alone with ballistic coefficient
    ``rv_ballistic_coefficient_kg_m2``; otherwise the last stage's dry mass and the
    payload fly on together with the vehicle's Cd(Mach) table.

    A lifting vehicle (``lift_to_drag`` > 0) flies the glide law of
    ``steering.lift_acceleration`` after its first apogee past burnout: pull-up and level
    glide at ``glide_altitude_m`` (inf: full lift, an equilibrium glide), then a terminal
    dive at ``dive_angle_rad`` below the horizontal from the launch row's dive time.
    ``quasi_ballistic_apogee_m`` is the apogee the ``quasi-ballistic`` shape flies to
    (0: none given; the shape then needs ``quasi-ballistic=KM``).
    docs/models/lifting-flight.md."""

    id: str
    stages: tuple[Stage, ...]
    payload_mass_kg: float
    payload_separates: bool
    rv_ballistic_coefficient_kg_m2: float
    cd_mach: tuple[float, ...]
    cd: tuple[float, ...]
    cd_scale: float = 1.0
    vertical_rise_s: float = 8.0
    name: str = ""
    lift_to_drag: float = 0.0
    glide_altitude_m: float = math.inf
    dive_angle_rad: float = math.radians(60.0)
    quasi_ballistic_apogee_m: float = 0.0

    def __post_init__(self):
        if not 0 <= len(self.stages) <= S.MAX_STAGES:
            raise InputError(
                f"vehicle {self.id!r} has {len(self.stages)} stages; "
                f"0 to {S.MAX_STAGES} are allowed",
                field="stages",
                value=len(self.stages),
                allowed=f"0..{S.MAX_STAGES}",
            )
        if not 2 <= len(self.cd_mach) <= S.MAX_CD_POINTS or len(self.cd_mach) != len(self.cd):
            raise InputError(
                f"vehicle {self.id!r}: the Cd table needs 2 to {S.MAX_CD_POINTS} (Mach, Cd) pairs",
                field="cd_mach",
                value=len(self.cd_mach),
                allowed=f"2..{S.MAX_CD_POINTS} pairs",
            )
        for k, st in enumerate(self.stages):
            if not 0 < st.propellant_mass_kg < st.gross_mass_kg:
                raise InputError(
                    f"vehicle {self.id!r} stage {k + 1}: propellant mass must be positive and "
                    f"below the stage's gross mass ({st.gross_mass_kg:g} kg)",
                    field=f"stages[{k}].propellant_mass",
                    value=st.propellant_mass_kg,
                    allowed=f"0 < value < {st.gross_mass_kg:g} kg",
                )
            if st.burn_time_s <= 0 or st.isp_vac_s <= 0:
                raise InputError(
                    f"vehicle {self.id!r} stage {k + 1}: burn time and Isp must be positive",
                    field=f"stages[{k}]",
                    value=(st.burn_time_s, st.isp_vac_s),
                    allowed="> 0",
                )
        if self.payload_separates and not self.rv_ballistic_coefficient_kg_m2 > 0:
            raise InputError(
                f"vehicle {self.id!r}: a separating RV needs a positive ballistic coefficient",
                field="payload.ballistic_coefficient",
                value=self.rv_ballistic_coefficient_kg_m2,
                allowed="> 0 kg/m^2",
            )

        if not (math.isfinite(self.lift_to_drag) and 0.0 <= self.lift_to_drag <= 10.0):
            raise InputError(
                f"vehicle {self.id!r}: lift-to-drag ratio {self.lift_to_drag:g} is out of range",
                field="lifting.lift_to_drag",
                value=self.lift_to_drag,
                allowed="0..10 (0: ballistic)",
            )
        if not 0.0 < self.dive_angle_rad <= math.pi / 2:
            raise InputError(
                f"vehicle {self.id!r}: dive angle {math.degrees(self.dive_angle_rad):g} deg is "
                "out of range",
                field="lifting.dive_angle",
                value=math.degrees(self.dive_angle_rad),
                allowed="0 < angle <= 90 deg",
            )
        if not (self.glide_altitude_m >= 0.0 and self.quasi_ballistic_apogee_m >= 0.0):
            raise InputError(
                f"vehicle {self.id!r}: glide altitude and quasi-ballistic apogee must be >= 0",
                field="lifting",
                value=(self.glide_altitude_m, self.quasi_ballistic_apogee_m),
                allowed=">= 0 m",
            )

    @property
    def lifting(self) -> bool:
        """Whether the vehicle has lift (L/D > 0) and flies the glide law."""
        return self.lift_to_drag > 0.0

    @property
    def launch_mass_kg(self) -> float:
        return sum(s.gross_mass_kg for s in self.stages) + self.payload_mass_kg

    @property
    def burn_time_s(self) -> float:
        return sum(s.burn_time_s for s in self.stages)

    def replace(self, **changes) -> Vehicle:
        from dataclasses import replace

        return replace(self, **changes)


def pack_vehicle(vehicle: Vehicle) -> np.ndarray:
    """One vehicle row (layout ``state.V_*``)."""
    row = np.zeros(S.V_SIZE)
    row[S.V_NSTAGES] = len(vehicle.stages)
    t = 0.0
    mass_above = [0.0] * len(vehicle.stages)
    # whole-vehicle mass at each ignition: this stage and everything above it
    for k in range(len(vehicle.stages)):
        mass_above[k] = sum(s.gross_mass_kg for s in vehicle.stages[k:]) + vehicle.payload_mass_kg
    for k, st in enumerate(vehicle.stages):
        b = S.V_STAGE0 + k * S.STAGE_FIELDS
        row[b + S.SF_T_IGNITION] = t
        row[b + S.SF_T_BURNOUT] = t + st.burn_time_s
        row[b + S.SF_M_IGNITION] = mass_above[k]
        row[b + S.SF_MDOT] = st.mass_flow_kg_s
        row[b + S.SF_THRUST_VAC] = st.thrust_vac_n
        row[b + S.SF_EXIT_AREA] = st.nozzle_exit_area_m2
        row[b + S.SF_REF_AREA] = math.pi * st.diameter_m**2 / 4.0
        t += st.burn_time_s
    row[S.V_SEPARATES] = 1.0 if vehicle.payload_separates else 0.0
    row[S.V_RV_MASS] = vehicle.payload_mass_kg
    row[S.V_RV_BETA] = vehicle.rv_ballistic_coefficient_kg_m2 if vehicle.payload_separates else 0.0
    last_d = vehicle.stages[-1].diameter_m if vehicle.stages else 1.0
    row[S.V_COAST_REF_AREA] = math.pi * last_d**2 / 4.0
    row[S.V_CD_SCALE] = vehicle.cd_scale
    row[S.V_T_VERTICAL] = vehicle.vertical_rise_s
    n = len(vehicle.cd_mach)
    row[S.V_NCD] = n
    row[S.V_CD_MACH : S.V_CD_MACH + n] = vehicle.cd_mach
    row[S.V_CD_VALUE : S.V_CD_VALUE + n] = vehicle.cd
    row[S.V_LIFT_LAW] = S.LIFT_GLIDE if vehicle.lifting else S.LIFT_NONE
    row[S.V_LIFT_TO_DRAG] = vehicle.lift_to_drag
    row[S.V_GLIDE_ALT] = vehicle.glide_altitude_m
    row[S.V_DIVE_SIN] = math.sin(vehicle.dive_angle_rad)
    row[S.V_DIVE_COS] = math.cos(vehicle.dive_angle_rad)
    row[S.V_QB_APOGEE] = vehicle.quasi_ballistic_apogee_m
    return row


def pack_vehicles(vehicles) -> np.ndarray:
    return np.stack([pack_vehicle(v) for v in vehicles])
