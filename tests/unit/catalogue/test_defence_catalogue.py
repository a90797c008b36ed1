"""The missile-defence catalogue: interceptors, radars, sensors and what is deployed at
sites. Every number cited and ordered; aliases resolve; the burnout-speed bands hold the
open-literature figures the Europe debate turned on (shared/reference/open-data.md A3,
B3-B5); bad user files are refused with file:line."""

import math
import re
import textwrap

import pytest
from pydantic import BaseModel

from bmdsim import units
from bmdsim.catalogue import (
    GRADES,
    SYSTEM_KINDS,
    Interceptor,
    Quantity,
    Radar,
    Sensor,
    SiteSystem,
    default_catalogue,
    load_catalogue,
    normalise_name,
)
from bmdsim.catalogue.schema import ID_PATTERN, CatalogueFile
from bmdsim.errors import CatalogueError, UnknownEntryError

CAT = default_catalogue()

INTERCEPTORS = {
    "sm-3-ia",
    "sm-3-ib",
    "sm-3-iia",
    "sm-3-iib",
    "gbi",
    "gbi-2-stage",
    "thaad",
    "pac-3-mse",
    "s-300-48n6",
    "s-400-48n6dm",
    "s-400-40n6",
}
RADARS = {"an-spy-1d", "an-tpy-2", "91n6", "volga", "voronezh"}
SENSORS = {"early-warning-satellite"}


def _quantities(obj, path=""):
    if isinstance(obj, Quantity):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _quantities(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _quantities(item, f"{path}[{i}]")


def _defence_entries():
    yield from CAT.interceptors.values()
    yield from CAT.radars.values()
    yield from CAT.sensors.values()


# ---------------------------------------------------------------------------------------
# contents


def test_catalogue_holds_the_required_defence_entries():
    assert INTERCEPTORS <= set(CAT.interceptors)
    assert RADARS <= set(CAT.radars)
    assert SENSORS <= set(CAT.sensors)
    assert SYSTEM_KINDS == ("interceptor", "radar", "sensor")


def test_every_defence_number_is_cited_ordered_and_in_a_known_unit():
    checked = 0
    entries = [*_defence_entries(), *(s for s in CAT.sites.values() if s.systems)]
    for entry in entries:
        for path, q in _quantities(entry):
            where = f"{entry.id}.{path}"
            assert q.source in CAT.sources, where
            assert q.low <= q.value <= q.high, where
            assert q.low_si <= q.si <= q.high_si, where
            assert q.unit in units.ALLOWED_UNITS, where
            assert q.grade in GRADES, where
            checked += 1
    assert checked > 130


def test_site_deployments_cite_known_sources_and_name_known_systems():
    known = set(CAT.interceptors) | set(CAT.radars) | set(CAT.sensors)
    deployments = [d for s in CAT.sites.values() for d in s.systems]
    assert len(deployments) >= 15
    for dep in deployments:
        assert dep.system in known
        assert dep.source in CAT.sources
        assert dep.grade in GRADES
        assert dep.count_value >= 0


def test_ids_are_lower_case_and_hyphenated_and_names_unshared():
    for kind in SYSTEM_KINDS:
        owner: dict[str, str] = {}
        for entry in CAT.entries(kind):
            assert re.match(ID_PATTERN, entry.id), entry.id
            for name in (entry.id, *entry.aliases):
                key = normalise_name(name)
                assert owner.setdefault(key, entry.id) == entry.id, (name, owner[key])


# Burnout speeds in km/s that open sources give (open-data.md A3, B3): each must lie in
# the entry's band; the central value is the first figure.
@pytest.mark.parametrize(
    ("interceptor_id", "figures"),
    [
        ("sm-3-ia", [3.0]),
        ("sm-3-ib", [3.0, 2.7, 3.5]),  # Wilkening 2012
        ("sm-3-iia", [4.5]),  # Wilkening 2012; Butt & Postol 2011
        ("sm-3-iib", [5.5]),  # Sankaran 2013
        ("gbi-2-stage", [6.3, 8.5, 9.0]),  # MDA vs Lewis & Postol 2007-08
        ("gbi", [7.5, 7.0, 8.0, 8.5]),
        ("thaad", [2.8]),
        ("pac-3-mse", [1.6, 1.5, 1.7]),
    ],
)
def test_burnout_speed_bands_hold_the_open_figures(interceptor_id, figures):
    q = CAT.interceptor(interceptor_id).burnout_speed
    assert q.value == pytest.approx(figures[0] * units.from_si(1000.0, q.unit))
    for figure in figures:
        assert q.low_si <= figure * 1e3 <= q.high_si, (interceptor_id, figure)


def test_the_gbi_dispute_is_in_one_band_with_both_sources_named():
    q = CAT.interceptor("gbi-2-stage").burnout_speed
    assert q.si == pytest.approx(6.3e3)  # MDA's figure is the central value
    assert q.high_si >= 9.0e3 and q.low_si <= 6.3e3
    assert q.source == "afp-mda-gbi-2007"
    assert "lewis-postol-bas-2008" in q.note
    cited = {s.id for s in CAT.sources_for(CAT.interceptor("gbi-2-stage"))}
    assert {"afp-mda-gbi-2007", "lewis-postol-bas-2008"} <= cited
    assert CAT.interceptor("gbi-2-stage").variant_of == "gbi"


def test_notional_interceptors_are_marked():
    assert CAT.interceptor("sm-3-iib").notional
    assert CAT.interceptor("gbi-2-stage").notional
    assert not CAT.interceptor("sm-3-ib").notional
    assert not CAT.interceptor("gbi").notional


def test_flyout_inputs_are_present_and_consistent():
    for i in CAT.interceptors.values():
        assert i.burnout_speed.low_si > 0 and i.burn_time.low_si > 0, i.id
        assert i.max_flight_time.si > i.burn_time.si, i.id
        floor, ceiling = i.altitude_window_m
        assert 0 <= floor < ceiling, i.id
        assert i.max_range.si > 0, i.id
        assert 0 <= i.single_shot_pk.low <= i.single_shot_pk.high <= 1, i.id
        assert i.single_shot_pk.grade == "R", i.id  # never a measured figure


def test_exo_atmospheric_kill_vehicles_have_a_70_to_100_km_floor():
    exo = [i for i in CAT.interceptors.values() if i.exo_atmospheric]
    assert {"sm-3-ia", "sm-3-ib", "sm-3-iia", "sm-3-iib", "gbi", "gbi-2-stage"} == {
        i.id for i in exo
    }
    for i in exo:
        q = i.min_intercept_altitude
        assert q.low_si <= 100e3 and q.high_si >= 70e3, i.id
        assert i.kill_mechanism == "hit-to-kill"
    for i in ("s-300-48n6", "s-400-48n6dm", "s-400-40n6"):
        assert CAT.interceptor(i).kill_mechanism == "blast-fragmentation"


def test_published_air_defence_figures():
    assert CAT.interceptor("s-400-40n6").max_range.si == pytest.approx(400e3)
    assert CAT.interceptor("thaad").max_range.si == pytest.approx(200e3)
    assert CAT.interceptor("thaad").max_intercept_altitude.si == pytest.approx(150e3)
    assert CAT.interceptor("s-300-48n6").max_range.si == pytest.approx(150e3)
    # the 2007 S-400 test at 56 km is inside the 48N6DM ceiling band
    assert CAT.interceptor("s-400-48n6dm").max_intercept_altitude.high_si >= 56e3


def test_radar_reference_ranges_and_rcs():
    tpy2 = CAT.radar("an-tpy-2")
    assert tpy2.reference_range.low_si <= 1000e3 <= tpy2.reference_range.high_si
    assert tpy2.reference_range.high_si >= 1500e3  # NRC 2012 Fig. 5-8 as read by L&P
    voronezh = CAT.radar("voronezh")
    assert voronezh.reference_range.low_si <= 4000e3 <= voronezh.reference_range.high_si
    assert voronezh.reference_range.high_si >= 6000e3
    assert CAT.radar("91n6").reference_range.high_si >= 600e3
    for radar in CAT.radars.values():
        rcs = radar.reference_rcs
        assert rcs.low == rcs.value == rcs.high > 0, radar.id  # the anchor has no band
        assert radar.field_of_regard.azimuth_half_width.si <= math.pi + 1e-12
        assert radar.track_time.grade == "R"


def test_radar_range_scales_as_the_fourth_root_of_rcs():
    radar = CAT.radar("an-tpy-2")
    sigma = radar.reference_rcs.si
    assert radar.detection_range_m(sigma) == pytest.approx(radar.reference_range.si)
    assert radar.detection_range_m(16 * sigma) == pytest.approx(2 * radar.reference_range.si)
    assert radar.detection_range_m(sigma, "low") == pytest.approx(radar.reference_range.low_si)
    assert CAT.radar("an-spy-1d").field_of_regard.full_circle
    assert not radar.field_of_regard.full_circle


def test_early_warning_satellite_delay():
    sat = CAT.sensor("SBIRS")
    assert sat.id == "early-warning-satellite"
    q = sat.detection_delay
    assert q.low_si <= 30 and q.high_si >= 90 and q.grade == "R"


# ---------------------------------------------------------------------------------------
# sites


def _deployed(site_id, system_id):
    found = [d for d in CAT.site(site_id).systems if d.system == system_id]
    assert len(found) == 1, (site_id, system_id)
    return found[0]


def test_deveselu_lists_24_sm3_ib_and_a_spy1d():
    dep = _deployed("deveselu", "sm-3-ib")
    assert dep.count == 24 and dep.since == 2016 and not dep.notional
    assert _deployed("deveselu", "an-spy-1d").count == 1
    pairs = CAT.systems_at("Aegis Ashore Romania")
    assert {entry.id for _, entry in pairs} == {"sm-3-ib", "an-spy-1d"}
    assert isinstance(dict((e.id, e) for _, e in pairs)["sm-3-ib"], Interceptor)


def test_redzikowo_kurecik_rota_hantsavichy_and_belarus():
    assert _deployed("redzikowo", "sm-3-iia").count == 24
    assert _deployed("redzikowo", "sm-3-iib").notional
    assert _deployed("redzikowo", "an-spy-1d").count == 1
    tpy2 = _deployed("kurecik", "an-tpy-2")
    assert tpy2.since == 2012 and tpy2.boresight_azimuth is not None
    rota = [d for d in CAT.site("rota").systems]
    assert rota and all(d.ship for d in rota)
    assert _deployed("rota", "an-spy-1d").count == 4
    assert isinstance(_deployed("rota", "sm-3-ib").count, Quantity)
    assert _deployed("hantsavichy-radar", "volga").count == 1
    s400 = [site for site, dep in CAT.sites_with("S-400") if dep.notional]
    assert s400 and all(site.country == "Belarus" for site in s400)
    assert CAT.sites_with("S-400", include_notional=False) == []
    assert _deployed("pionersky-radar", "voronezh").since == 2014
    assert isinstance(CAT.system("Big Bird"), Radar)
    assert isinstance(CAT.system("SBIRS"), Sensor)


def test_sources_for_a_site_include_its_deployments():
    cited = [s.id for s in CAT.sources_for(CAT.site("deveselu"))]
    assert cited[0] == "wikipedia-deveselu"
    cited = {s.id for s in CAT.sources_for(CAT.site("rota"))}
    assert {"upi-rota-2014", "bmdsim-estimate"} <= cited


# ---------------------------------------------------------------------------------------
# lookups


@pytest.mark.parametrize(
    ("name", "interceptor_id"),
    [
        ("SM-3 Block IB", "sm-3-ib"),
        ("Standard Missile 3", "sm-3-ib"),
        ("sm3 iia", "sm-3-iia"),
        ("SM-3 Block IIB", "sm-3-iib"),
        ("GBI", "gbi"),
        ("two-stage GBI", "gbi-2-stage"),
        ("THAAD", "thaad"),
        ("PAC-3 MSE", "pac-3-mse"),
        ("48N6E", "s-300-48n6"),
        ("48N6E3", "s-400-48n6dm"),
        ("S-400", "s-400-48n6dm"),
        ("40N6E", "s-400-40n6"),
        ("SA-21 Growler", "s-400-48n6dm"),
    ],
)
def test_interceptor_names_resolve(name, interceptor_id):
    assert CAT.interceptor(name).id == interceptor_id


@pytest.mark.parametrize(
    ("name", "radar_id"),
    [
        ("AN/SPY-1D", "an-spy-1d"),
        ("TPY-2", "an-tpy-2"),
        ("Big Bird", "91n6"),
        ("91N6E", "91n6"),
        ("70M6", "volga"),
        ("Voronezh-DM", "voronezh"),
    ],
)
def test_radar_names_resolve(name, radar_id):
    assert CAT.radar(name).id == radar_id


def test_unknown_interceptor_suggests_close_matches():
    with pytest.raises(UnknownEntryError) as info:
        CAT.interceptor("SM-3 Blok IIA")
    assert "sm-3-iia" in info.value.allowed
    assert "did you mean" in str(info.value)
    with pytest.raises(UnknownEntryError) as info:
        CAT.interceptor("thad")
    assert "thaad" in info.value.allowed
    with pytest.raises(UnknownEntryError) as info:
        CAT.system("Voronesh")
    assert "voronezh" in info.value.allowed


def test_entries_by_kind_and_json_schema():
    assert {i.id for i in CAT.entries("interceptors")} == set(CAT.interceptors)
    assert len(CAT.entries("radar")) == len(CAT.radars)
    assert len(CAT.entries("sensor")) == len(CAT.sensors)
    schema = CatalogueFile.model_json_schema()
    for key in ("interceptors", "radars", "sensors", "sites", "missiles"):
        assert key in schema["properties"]
    assert "SiteSystem" in schema["$defs"]


# ---------------------------------------------------------------------------------------
# user files


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


_E = "source: bmdsim-estimate, grade: R"
_K = "grade: K"
INTERCEPTOR_FILE = f"""\
interceptors:
  - id: sm-3-ib
    name: SM-3 Block IB (my numbers)
    aliases: [SM-3 Block IB]
    country: United States
    summary: Override with a faster burnout speed.
    kill_mechanism: hit-to-kill
    exo_atmospheric: true
    burnout_speed: {{value: 3.4, low: 3.0, high: 3.6, unit: km/s,
                     source: wilkening-survival-2012, {_K}}}
    burn_time: {{value: 50, low: 40, high: 70, unit: s, {_E}}}
    stage_burn_times:
      - {{value: 6, low: 4, high: 8, unit: s, {_E}}}
      - {{value: 44, low: 30, high: 60, unit: s, {_E}}}
    kill_vehicle_mass: {{value: 25, low: 20, high: 35, unit: kg, {_E}}}
    launch_mass: {{value: 1.5, low: 1.4, high: 1.6, unit: t, {_E}}}
    isp_vac: {{value: 270, low: 250, high: 290, unit: s, {_E}}}
    vertical_rise_time: {{value: 20, low: 10, high: 30, unit: s, {_E}}}
    aero: {{cd_table: slender-interceptor}}
    diameter: {{value: 0.343, low: 0.34, high: 0.35, unit: m, {_E}}}
    max_range: {{value: 700, low: 500, high: 1200, unit: km, {_E}}}
    min_intercept_altitude: {{value: 80, low: 70, high: 100, unit: km, {_E}}}
    max_intercept_altitude: {{value: 500, low: 250, high: 1000, unit: km, {_E}}}
    max_flight_time: {{value: 300, low: 200, high: 600, unit: s, {_E}}}
    single_shot_pk: {{value: 0.8, low: 0.5, high: 0.9, unit: "", {_E}}}
"""


def test_user_file_overrides_an_interceptor(tmp_path):
    cat = load_catalogue([_write(tmp_path, "mine.yaml", INTERCEPTOR_FILE)])
    assert cat.interceptor("SM-3 Block IB").burnout_speed.si == pytest.approx(3.4e3)
    assert cat.is_overridden("interceptor", "sm-3-ib")
    # the site still resolves its deployment to the (overridden) entry
    assert dict((e.id, e) for _, e in cat.systems_at("deveselu"))["sm-3-ib"].name.endswith(
        "(my numbers)"
    )


def test_uncited_interceptor_number_is_refused_with_file_and_line(tmp_path):
    text = INTERCEPTOR_FILE.replace(
        "burn_time: {value: 50, low: 40, high: 70, unit: s, source: bmdsim-estimate, grade: R}",
        "burn_time: {value: 50, low: 40, high: 70, unit: s, grade: R}",
    )
    path = _write(tmp_path, "uncited.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "burn_time:" in s)
    assert str(info.value).startswith(f"{path}:{line}: sm-3-ib.burn_time:")
    assert "field 'source' is required" in str(info.value)


def test_inconsistent_rocket_figures_are_refused(tmp_path):
    """Stage burn times must add up to the burn time; the kill vehicle must weigh less
    than the whole interceptor; the Cd table must exist."""
    for old, new, message in (
        ("value: 44, low: 30, high: 60", "value: 40, low: 30, high: 60", "add up to 46"),
        ("kill_vehicle_mass: {value: 25, low: 20, high: 35, unit: kg",
         "kill_vehicle_mass: {value: 2000, low: 20, high: 3000, unit: kg",
         "kill_vehicle_mass must be below launch_mass"),
        ("cd_table: slender-interceptor", "cd_table: no-such-table", "unknown cd_table"),
    ):  # fmt: skip
        assert old in INTERCEPTOR_FILE
        path = _write(tmp_path, "rocket.yaml", INTERCEPTOR_FILE.replace(old, new))
        with pytest.raises(CatalogueError, match=message):
            load_catalogue([path])


def test_bad_altitude_window_and_pk_are_refused(tmp_path):
    text = INTERCEPTOR_FILE.replace(
        "min_intercept_altitude: {value: 80, low: 70, high: 100,",
        "min_intercept_altitude: {value: 800, low: 700, high: 1000,",
    )
    with pytest.raises(CatalogueError, match="min_intercept_altitude must be below"):
        load_catalogue([_write(tmp_path, "window.yaml", text)])
    text = INTERCEPTOR_FILE.replace(
        'single_shot_pk: {value: 0.8, low: 0.5, high: 0.9, unit: ""',
        'single_shot_pk: {value: 0.8, low: 0.5, high: 1.2, unit: ""',
    )
    # the probability domain (bmdsim.domains) is checked with the band
    with pytest.raises(CatalogueError, match=r"single_shot_pk.high: 1.2 is outside its domain"):
        load_catalogue([_write(tmp_path, "pk.yaml", text)])
    text = INTERCEPTOR_FILE.replace("unit: km/s", "unit: km")
    with pytest.raises(CatalogueError, match="is not a speed"):
        load_catalogue([_write(tmp_path, "unit.yaml", text)])


def test_site_naming_an_unknown_system_is_refused(tmp_path):
    text = """\
    sites:
      - id: my-battery
        name: My battery
        country: Nowhere
        kind: air-defence
        lat_deg: 50.0
        lon_deg: 20.0
        uncertainty_km: 1.0
        source: bmdsim-estimate
        grade: R
        systems:
          - {system: s-500, count: 8, notional: true, source: bmdsim-estimate, grade: R}
    """
    path = _write(tmp_path, "battery.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    assert f"{path}:12: my-battery.systems[0].system: unknown system 's-500'" in str(info.value)
    ok = _write(tmp_path, "ok.yaml", text.replace("s-500", "s-400-40n6"))
    site = load_catalogue([ok]).site("my-battery")
    assert isinstance(site.systems[0], SiteSystem) and site.systems[0].count == 8


def test_interceptor_alias_taken_by_another_entry_is_refused(tmp_path):
    text = INTERCEPTOR_FILE.replace("id: sm-3-ib", "id: my-sm3").replace(
        "aliases: [SM-3 Block IB]", "aliases: [THAAD]"
    )
    with pytest.raises(CatalogueError, match="used by both"):
        load_catalogue([_write(tmp_path, "alias.yaml", text)])


def test_every_shipped_missile_has_its_own_radar_cross_section():
    """Every threat object is seen at its own RCS (a cited value with a band), not at
    each radar's reference RCS; the order of magnitude follows the tracked object: an
    RV (separating payload) far below a whole missile body."""
    cat = load_catalogue()
    for m in cat.entries("missile"):
        rcs = m.payload.rcs
        assert rcs is not None, m.id
        assert 0 < rcs.low_si < rcs.si < rcs.high_si, m.id
        assert rcs.source in cat.sources, m.id
        if m.payload.separates:
            assert rcs.si <= 0.01, m.id
        else:
            assert rcs.si >= 0.1, m.id
