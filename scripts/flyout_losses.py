"""The tables of docs/models/flyout.md: every catalogue interceptor's rocket, its burnout
speed at each launch elevation and the losses that explain the spread.

Losses are separated by flying the same rocket three times on the sizing model (WGS 84,
no rotation): without drag and without nozzle back-pressure (ideal less that: the
gravity loss, with the turn of the velocity), without drag (the difference: the
back-pressure loss) and in full (the difference: the drag loss). The ideal velocity
change is the rocket equation's sum of g0 Isp ln(m0/mf) over the stages.

    PYTHONPATH=src .venv/bin/python scripts/flyout_losses.py
"""

from __future__ import annotations

import dataclasses
import math

from bmdsim.analyses.resolve import interceptor_model
from bmdsim.catalogue import default_catalogue
from bmdsim.defence.interceptor import (
    best_flyout,
    burnout_speed,
    design_summary,
    interceptor_vehicle,
)
from bmdsim.earth.constants import G0_M_S2
from bmdsim.flight.batch import FlightModel

ELEVATIONS = (15.0, 30.0, 45.0, 60.0, 75.0, 89.0)


def ideal_dv(vehicle) -> float:
    above, dv = vehicle.payload_mass_kg, 0.0
    for st in reversed(vehicle.stages):
        m0 = above + st.gross_mass_kg
        dv += G0_M_S2 * st.isp_vac_s * math.log(m0 / (m0 - st.propellant_mass_kg))
        above = m0
    return dv


def main() -> None:
    cat = default_catalogue()
    no_drag = FlightModel(rotation=False, drag=False)
    rockets, speeds, losses = [], [], []
    for i in cat.entries("interceptor"):
        model = interceptor_model(i.id, cat)
        v = model.burnout_speed_m_s
        vehicle = interceptor_vehicle(model.design, v, v)
        r = design_summary(model.design, vehicle)
        best, e_best = best_flyout(vehicle)
        borrowed = f" (from {i.borrows_from})" if i.borrows_from else ""
        burns = " + ".join(f"{st['burn_time_s']:g}" for st in r["stages"])
        rockets.append(
            f"| {i.id}{borrowed} | {r['launch_mass_kg']:,.0f} | {r['kill_vehicle_mass_kg']:g} | "
            f"{burns} | "
            f"{r['isp_vac_s']:g} | {r['propellant_fraction']:.2f} | "
            f"{r['liftoff_thrust_to_weight']:.1f} | {r['peak_acceleration_g']:.0f} | "
            f"{r['vertical_rise_s']:g} |"
        )
        full = burnout_speed(vehicle, elevation_deg=list(ELEVATIONS))
        speeds.append(
            f"| {i.id} | {v / 1e3:.2f} | {best / 1e3:.2f} at {e_best:g} | "
            + " | ".join(f"{s / 1e3:.2f} ({100 * s / v:.0f} %)" for s in full)
            + " |"
        )
        bare = dataclasses.replace(
            vehicle,
            stages=tuple(
                dataclasses.replace(st, nozzle_exit_area_m2=0.0) for st in vehicle.stages
            ),
        )
        vac = burnout_speed(bare, elevation_deg=list(ELEVATIONS), model=no_drag)
        nod = burnout_speed(vehicle, elevation_deg=list(ELEVATIONS), model=no_drag)
        dv = ideal_dv(vehicle)
        cells = []
        for k in (0, 2, 5):
            cells.append(
                f"{dv - vac[k]:.0f} / {vac[k] - nod[k]:.0f} / {nod[k] - full[k]:.0f}"
            )
        losses.append(f"| {i.id} | {dv / 1e3:.2f} | " + " | ".join(cells) + " |")
    print(
        "| interceptor | launch kg | kill vehicle kg | stage burns s | Isp s | "
        "propellant fraction | lift-off T/W | peak g | rise s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rockets))
    print()
    print(
        "| interceptor | catalogue km/s | best km/s at deg | "
        + " | ".join(f"{e:g} deg" for e in ELEVATIONS)
        + " |"
    )
    print("|---|---|---|" + "---|" * len(ELEVATIONS))
    print("\n".join(speeds))
    print()
    print(
        "| interceptor | ideal dv km/s | gravity / nozzle / drag loss, m/s, at 15 deg | "
        "at 45 deg | at 89 deg |"
    )
    print("|---|---|---|---|---|")
    print("\n".join(losses))


if __name__ == "__main__":
    main()
