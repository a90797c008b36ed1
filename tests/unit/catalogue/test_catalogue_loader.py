"""Loading catalogue files: uncited numbers refused with file:line, user overrides
recorded, user vehicle files validated, YAML 1.2 semantics."""

import textwrap

import pytest

from bmdsim.catalogue import (
    Catalogue,
    Missile,
    Override,
    default_catalogue,
    load_catalogue,
    load_missile_file,
)
from bmdsim.catalogue.schema import CatalogueFile, Quantity
from bmdsim.errors import CatalogueError, VehicleFileError

MISSILE = """\
id: {id}
name: Test rocket
aliases: [{aliases}]
kind: srbm
country: Nowhere
summary: A one-stage test vehicle.
published_range: {{value: 300, low: 250, high: 350, unit: km, source: {source}, grade: R}}
stages:
  - gross_mass: {{value: 5000, low: 4500, high: 5500, unit: kg, source: {source}, grade: R}}
    propellant_mass: {{value: 3800, low: 3500, high: 4000, unit: kg, source: {source}, grade: R}}
    isp_vac: {{value: 250, low: 230, high: 270, unit: s, source: {source}, grade: C}}
    burn_time: {{value: 60, low: 55, high: 65, unit: s, source: {source}, grade: R}}
    diameter: {{value: 0.88, low: 0.85, high: 0.9, unit: m, source: {source}, grade: R}}
    nozzle_exit_area: {{value: 0.14, low: 0.1, high: 0.2, unit: m^2, source: {source}, grade: R}}
payload:
  mass: {{value: 1000, low: 950, high: 1050, unit: kg, source: {source}, grade: R}}
  separates: false
aero:
  cd_table: v2-sutton
steering:
  vertical_rise_time: {{value: 5, low: 4, high: 10, unit: s, source: {source}, grade: R}}
"""


def missile_yaml(id="test-rocket", aliases="Testy", source="bmdsim-estimate", indent=0):
    text = MISSILE.format(id=id, aliases=aliases, source=source)
    return textwrap.indent(text, " " * indent)


def as_catalogue_file(*missiles: str) -> str:
    items = []
    for m in missiles:
        body = textwrap.indent(m, "    ")
        items.append("  - " + body[4:])
    return "missiles:\n" + "".join(items)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_user_file_adds_a_missile(tmp_path):
    path = write(tmp_path, "mine.yaml", as_catalogue_file(missile_yaml()))
    cat = load_catalogue([path])
    assert cat.missile("testy").id == "test-rocket"
    assert cat.overrides == []
    assert "test-rocket" not in default_catalogue().missiles


def test_uncited_number_is_refused_with_file_and_line(tmp_path):
    text = as_catalogue_file(missile_yaml()).replace(
        "isp_vac: {value: 250, low: 230, high: 270, unit: s, source: bmdsim-estimate, grade: C}",
        "isp_vac: {value: 250, low: 230, high: 270, unit: s, grade: C}",
    )
    path = write(tmp_path, "uncited.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    line = line_of(text, "isp_vac:")
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: test-rocket.stages[0].isp_vac:")
    assert "field 'source' is required" in message
    assert info.value.field == "test-rocket.stages[0].isp_vac"


def test_unknown_source_id_is_refused(tmp_path):
    text = as_catalogue_file(missile_yaml(source="my-secret-notes"))
    path = write(tmp_path, "unknown.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    assert "unknown source id 'my-secret-notes'" in str(info.value)
    assert f"{path}:{line_of(text, 'published_range')}:" in str(info.value)


def test_value_outside_its_band_is_refused(tmp_path):
    text = as_catalogue_file(missile_yaml()).replace(
        "value: 5000, low: 4500", "value: 4000, low: 4500"
    )
    path = write(tmp_path, "band.yaml", text)
    with pytest.raises(CatalogueError, match=r"gross_mass: need low <= value <= high"):
        load_catalogue([path])


def test_wrong_unit_dimension_and_unknown_field_are_refused(tmp_path):
    text = as_catalogue_file(missile_yaml())
    text = text.replace("unit: m, source", "unit: kg, source").replace(
        "separates: false", "separates: false\n      colour: red"
    )
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    message = str(info.value)
    assert "diameter: unit 'kg' is not a length" in message
    assert "unknown field 'colour'" in message and "ballistic_coefficient" in message


def test_override_is_recorded_and_replaces_the_entry(tmp_path):
    text = as_catalogue_file(missile_yaml(id="iskander-m", aliases="Iskander, SS-26"))
    path = write(tmp_path, "override.yaml", text)
    cat = load_catalogue([path])
    assert cat.overrides == [Override("missile", "iskander-m", str(path))]
    assert cat.is_overridden("missile", "iskander-m")
    assert cat.missile("SS-26").name == "Test rocket"
    with pytest.raises(CatalogueError):
        cat.missile("9M723")  # the shipped entry's aliases went with it
    assert default_catalogue().missile("iskander-m").name == "Iskander-M (9M723)"


def test_alias_taken_by_another_entry_is_refused(tmp_path):
    path = write(tmp_path, "clash.yaml", as_catalogue_file(missile_yaml(aliases="SS-26")))
    with pytest.raises(CatalogueError, match="used by both"):
        load_catalogue([path])


def test_duplicate_id_within_one_file_is_refused(tmp_path):
    text = as_catalogue_file(missile_yaml(aliases="A1"), missile_yaml(aliases="A2"))
    path = write(tmp_path, "twice.yaml", text)
    with pytest.raises(CatalogueError, match="defined twice"):
        load_catalogue([path])


def test_user_file_sites_and_sources_and_yaml_1_2_norway(tmp_path):
    text = textwrap.dedent(
        """\
        sources:
          - id: my-survey
            title: My own survey
            author: Me
            year: 2024
            note: Measured with a handheld GNSS receiver.
        sites:
          - id: oslo-test
            name: Oslo test point
            aliases: [NO]
            country: NO
            kind: reference-city
            lat_deg: 59.91
            lon_deg: 10.75
            uncertainty_km: 1
            tags: [nato, reference-city]
            source: my-survey
            grade: V
        """
    )
    cat = load_catalogue([write(tmp_path, "norway.yaml", text)])
    site = cat.site("no")
    assert site.country == "NO"  # YAML 1.2: NO is a string, not false
    assert [s.id for s in cat.sources_for(site)] == ["my-survey"]


def test_site_latitude_is_range_checked(tmp_path):
    text = textwrap.dedent(
        """\
        sites:
          - id: nowhere
            name: Nowhere
            country: X
            kind: other
            lat_deg: 95.0
            lon_deg: 10.0
            uncertainty_km: 1
            source: geonames
            grade: V
        """
    )
    with pytest.raises(CatalogueError, match=r":6: nowhere.lat_deg:"):
        load_catalogue([write(tmp_path, "lat.yaml", text)])


def test_unknown_section_and_bad_yaml_are_refused(tmp_path):
    with pytest.raises(CatalogueError, match="unknown section 'rockets'"):
        load_catalogue([write(tmp_path, "s.yaml", "rockets:\n  - id: x\n")])
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue([write(tmp_path, "y.yaml", "missiles: [\n  - id: x\n")])


def test_load_missile_file_with_its_own_sources(tmp_path):
    text = missile_yaml(source="my-notes") + textwrap.dedent(
        """\
        sources:
          - id: my-notes
            title: My notes on a test rocket
            author: Me
            year: 2025
            note: Not published.
        """
    )
    missile = load_missile_file(write(tmp_path, "vehicle.yaml", text))
    assert isinstance(missile, Missile)
    assert missile.stages[0].isp_vac.si == 250.0
    cat = default_catalogue()
    cited = [s.id for s in cat.sources_for(missile)]
    assert cited[0] == "my-notes" and "sutton-biblarz-2001" in cited


def test_load_missile_file_accepts_catalogue_format(tmp_path):
    path = write(tmp_path, "vehicle.yaml", as_catalogue_file(missile_yaml()))
    assert load_missile_file(path).id == "test-rocket"


def test_malformed_vehicle_file_names_file_line_and_field(tmp_path):
    text = missile_yaml().replace("burn_time: {value: 60,", "burn_time: {value: sixty,")
    path = write(tmp_path, "vehicle.yaml", text)
    with pytest.raises(VehicleFileError) as info:
        load_missile_file(path)
    line = line_of(text, "burn_time:")
    assert str(info.value).startswith(f"{path}:{line}: test-rocket.stages[0].burn_time.value:")
    assert info.value.field == "test-rocket.stages[0].burn_time.value"
    assert info.value.value == "sixty"


def test_vehicle_file_missing_field_lists_allowed_fields(tmp_path):
    text = missile_yaml().replace("kind: srbm\n", "")
    path = write(tmp_path, "vehicle.yaml", text)
    with pytest.raises(VehicleFileError) as info:
        load_missile_file(path)
    assert f"{path}:1: test-rocket: field 'kind' is required" in str(info.value)
    assert "stages" in info.value.allowed


def test_vehicle_file_that_is_not_a_mapping_or_not_yaml(tmp_path):
    with pytest.raises(VehicleFileError, match="mapping"):
        load_missile_file(write(tmp_path, "list.yaml", "- 1\n- 2\n"))
    with pytest.raises(VehicleFileError, match="not valid YAML"):
        load_missile_file(write(tmp_path, "broken.yaml", "id: [\n"))
    with pytest.raises(VehicleFileError, match="cannot read"):
        load_missile_file(tmp_path / "absent.yaml")


def test_separating_payload_needs_a_ballistic_coefficient(tmp_path):
    text = missile_yaml().replace("separates: false", "separates: true")
    with pytest.raises(VehicleFileError, match="ballistic_coefficient is required"):
        load_missile_file(write(tmp_path, "rv.yaml", text))


def test_calibration_parameter_must_name_a_quantity(tmp_path):
    text = missile_yaml() + textwrap.dedent(
        """\
        calibration:
          parameter: stages[3].isp_vac
          target: published_range
          method: tuned
        """
    )
    with pytest.raises(VehicleFileError, match="calibration: index 3 out of range"):
        load_missile_file(write(tmp_path, "cal.yaml", text))


def test_quantity_si_properties():
    q = Quantity(value=500, low=400, high=500, unit="km", source="x", grade="V")
    assert (q.si, q.low_si, q.high_si) == (500e3, 400e3, 500e3)
    with pytest.raises(ValueError):
        Quantity(value=1, low=2, high=3, unit="km", source="x", grade="V")


def test_default_catalogue_is_cached_and_has_a_json_schema():
    assert default_catalogue() is default_catalogue()
    assert isinstance(default_catalogue(), Catalogue)
    schema = CatalogueFile.model_json_schema()
    assert "missiles" in schema["properties"]
