"""Names as the press writes them resolve to one catalogue entry."""

import pytest

from bmdsim.catalogue import default_catalogue, normalise_name
from bmdsim.errors import CatalogueError, UnknownEntryError

CAT = default_catalogue()


@pytest.mark.parametrize(
    ("name", "missile_id"),
    [
        ("iskander-m", "iskander-m"),
        ("Iskander E", "iskander-e"),
        ("ISKANDER_E", "iskander-e"),
        ("SS-26", "iskander-m"),
        ("ss 26", "iskander-m"),
        ("Iskander", "iskander-m"),
        ("palanez", "polonez"),
        ("POLONAISE", "polonez"),
        ("Polonez M", "polonez-m"),
        ("Palanez-M", "polonez-m"),
        ("Tochka U", "tochka-u"),
        ("SS-21", "tochka-u"),
        ("Yars", "rs-24-yars"),
        ("RS24", "rs-24-yars"),
        ("Minuteman 3", "minuteman-iii"),
        ("Trident D5", "trident-ii-d5"),
        ("A-4", "v-2"),
        ("R-17", "scud-b"),
    ],
)
def test_missile_names_resolve(name, missile_id):
    assert CAT.missile(name).id == missile_id


@pytest.mark.parametrize(
    ("name", "site_id"),
    [
        ("Bobruysk", "babruysk"),
        ("Osipovichi", "asipovichy"),
        ("Grodno", "hrodna"),
        ("Łask", "lask"),
        ("Rzeszów", "rzeszow-jasionka"),
        ("aegis ashore romania", "deveselu"),
        ("Gantsevichi", "hantsavichy-radar"),
        ("Washington DC", "washington-dc"),
        ("NATO HQ", "brussels"),
    ],
)
def test_site_names_resolve(name, site_id):
    assert CAT.site(name).id == site_id


def test_normalise_name_ignores_case_spaces_hyphens_underscores_and_accents():
    assert normalise_name("SS-26 Stone") == normalise_name("ss_26 stone") == "ss26stone"
    assert normalise_name("Kürecik") == "kurecik"
    assert normalise_name("Łask") == "lask"


def test_unknown_missile_names_the_closest_matches():
    with pytest.raises(UnknownEntryError) as info:
        CAT.missile("Iskandr")
    assert "iskander-m" in info.value.allowed
    assert "iskander-m" in str(info.value)
    assert info.value.value == "Iskandr"
    assert isinstance(info.value, CatalogueError)


def test_unknown_site_without_close_match_lists_known_ids():
    with pytest.raises(UnknownEntryError) as info:
        CAT.site("zzzzzzzz")
    assert "minsk" in info.value.allowed


def test_entries_by_kind_and_sources_for_a_missile():
    assert {m.id for m in CAT.entries("missiles")} == set(CAT.missiles)
    assert len(CAT.entries("site")) == len(CAT.sites)
    cited = [s.id for s in CAT.sources_for(CAT.missile("iskander-m"))]
    assert "russian-mod-iskander-range" in cited
    assert "bmdsim-calibration" in cited
    assert "sutton-biblarz-2001" in cited  # via the V-2 Cd table
    assert [s.id for s in CAT.sources_for(CAT.site("minsk"))] == ["geonames"]
    with pytest.raises(CatalogueError):
        CAT.entries("spaceship")
