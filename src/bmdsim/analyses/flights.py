"""Missile flights by catalogue name: ``fly``, ``reach`` (and ``coast`` from a state,
``kepler`` for the vacuum closed forms).

Names resolve in :mod:`bmdsim.analyses.resolve`; the flying is ``bmdsim.flight``'s.
"""

from __future__ import annotations

from bmdsim import domains
from bmdsim.analyses.calibration import reach_band
from bmdsim.analyses.resolve import (
    catalogue_or_default,
    resolve_missile,
    resolve_place,
    select_sites,
)
from bmdsim.catalogue import Catalogue
from bmdsim.errors import InputError
from bmdsim.flight.batch import FlightModel
from bmdsim.flight.integrate import StepControl
from bmdsim.flight.kepler import KeplerArc, maximum_range_arc, minimum_energy_arc
from bmdsim.flight.reach import Footprint, reach_vehicle
from bmdsim.flight.trajectory import Trajectory, coast, fly_vehicle

__all__ = ["coast", "flight_model", "fly", "kepler", "reach"]


def flight_model(earth="wgs84", rotation=True, drag=True, steps=None, end_alt_m=0.0) -> FlightModel:
    """The physics switches of a flight: ``earth`` 'wgs84' or 'sphere', Earth rotation,
    drag, the integrator's step control (default ``StepControl()``) and the altitude at
    which a descending flight ends (``end_alt_m``, 0: impact)."""
    return FlightModel(
        earth=earth,
        rotation=rotation,
        drag=drag,
        steps=steps or StepControl(),
        end_alt_m=float(end_alt_m),
    )


def kepler(*, range_m=None, speed_m_s=None, alt_m=0.0) -> KeplerArc:
    """The vacuum ballistic arc on a non-rotating sphere (Bate, Mueller & White ch. 6)
    from burnout at ``alt_m`` back to that altitude: the minimum-energy arc over the
    ground range ``range_m``, or the maximum-range arc of burnout speed ``speed_m_s``
    (give exactly one)."""
    if (range_m is None) == (speed_m_s is None):
        raise InputError(
            "give either a range or a burnout speed (exactly one)",
            field="range",
            value=None if range_m is None else range_m,
            allowed="--range-km R or --speed-kms V",
        )
    if range_m is not None:
        return minimum_energy_arc(float(range_m), float(alt_m))
    return maximum_range_arc(float(speed_m_s), float(alt_m))


def fly(
    missile,
    *,
    origin,
    target=None,
    shape="minimum-energy",
    azimuth_deg=None,
    kick_deg=None,
    model: FlightModel | None = None,
    backend="auto",
    catalogue: Catalogue | None = None,
) -> Trajectory:
    """Fly a missile from ``origin`` to ``target`` (site id/alias or "LAT,LON") along
    ``shape`` ('minimum-energy', 'lofted', 'depressed', 'apogee=KM', or for a missile
    with a catalogue L/D 'quasi-ballistic' / 'quasi-ballistic=KM'); or, without a
    target, on heading ``azimuth_deg`` at maximum range (or with ``kick_deg``). A target
    beyond a missile's declared ``range_cap`` (Iskander-E's 280 km) is out of reach
    (:class:`UnreachableTargetError`), however far its airframe could fly.

    >>> import bmdsim
    >>> t = bmdsim.fly("iskander-m", origin="brest", target="redzikowo")  # doctest: +SKIP
    """
    shape = domains.check_shape(shape)
    vehicle, entry, prov = resolve_missile(missile, catalogue)
    start = resolve_place(origin, catalogue, what="launch")
    kwargs = {}
    if target is not None:
        end = resolve_place(target, catalogue, what="target")
        kwargs = {"target_lat_deg": end.lat_deg, "target_lon_deg": end.lon_deg}
        if entry is not None and entry.range_cap is not None:
            _check_range_cap(entry, start, end, model or FlightModel())
    return fly_vehicle(
        vehicle,
        launch_lat_deg=start.lat_deg,
        launch_lon_deg=start.lon_deg,
        launch_alt_m=start.alt_m,
        shape=shape,
        azimuth_deg=azimuth_deg,
        kick_deg=kick_deg,
        model=model,
        backend=backend,
        provenance=prov,
        **kwargs,
    )


def _check_range_cap(missile, start, end, model) -> None:
    """A target beyond a declared range limit (``range_cap``, its high end) is out of
    reach, however far the airframe could fly."""
    from bmdsim.errors import UnreachableTargetError
    from bmdsim.flight.batch import surface_distance

    cap = missile.range_cap
    d, _ = surface_distance(start.lat_deg, start.lon_deg, end.lat_deg, end.lon_deg, model)
    if float(d) > cap.high_si:
        name = missile.name.split(" (", 1)[0]
        raise UnreachableTargetError(
            f"target is {float(d) / 1e3:,.1f} km away, beyond the maximum range of "
            f"{cap.high_si / 1e3:,.0f} km: {name}'s declared range limit (range_cap "
            f"{cap.low:g}-{cap.high:g} {cap.unit}), which bmdsim applies to an airframe that "
            "flies farther",
            field="target",
            value=round(float(d) / 1e3, 1),
            allowed=f"<= {cap.high_si / 1e3:,.0f} km",
        )


def reach(
    missile,
    *,
    origin,
    sites="nato",
    n_azimuths=360,
    model: FlightModel | None = None,
    backend="auto",
    flight_times=True,
    catalogue: Catalogue | None = None,
    band=True,
) -> Footprint:
    """Maximum-range footprint of a missile from ``origin`` and which ``sites`` (a tag such
    as 'nato', 'all', or a list of ids) lie in it, with minimum-energy flight times.

    With ``band`` (default) the footprint carries the missile's band from the catalogue:
    the footprints flown at both ends of its calibrated quantity's band, or its declared
    range cap with the cap's band (``analyses.calibration.reach_band``); each site gets
    a verdict 'in', 'uncertain' or 'out'. A user Vehicle object has no band."""
    domains.AZIMUTHS_REACH.check(n_azimuths, field="n_azimuths")
    vehicle, entry, prov = resolve_missile(missile, catalogue)
    start = resolve_place(origin, catalogue, what="launch")
    extra = {}
    if band and entry is not None:
        extra = reach_band(entry, catalogue_or_default(catalogue))
    return reach_vehicle(
        vehicle,
        launch_lat_deg=start.lat_deg,
        launch_lon_deg=start.lon_deg,
        launch_alt_m=start.alt_m,
        sites=select_sites(sites, catalogue),
        n_azimuths=n_azimuths,
        model=model,
        backend=backend,
        flight_times=flight_times,
        provenance=prov,
        **extra,
    )
