"""bmdsim read: the systems and places a reader finds in the seed articles and in
paragraphs written for the test (expected lists written by hand), and a proposed scenario
that the scenario loader accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmdsim.analyses.article import propose_scenario, read_article, sentences
from bmdsim.analyses.resolve import resolve_place
from bmdsim.catalogue import default_catalogue
from bmdsim.earth import geodesic
from bmdsim.scenario.load import parse_scenario

SEEDS = Path(__file__).resolve().parents[2] / "references" / "seeds"

# What a reader finds in each seed article (read by hand): catalogue systems by id
# ("S-300" is the catalogue's S-300PMU by family; Tor and Tu-22M3 are not in the
# catalogue), places by name (catalogue sites and GeoNames towns), countries by ISO code.
EXPECTED = {
    "000": (
        {"iskander-m", "s-300-48n6", "polonez"},
        {"Moscow", "Minsk", "Voronezh", "Rostov-on-Don", "Smolensk"},
        {"BY", "RU", "UA", "GE", "US"},
    ),
    "001": ({"iskander-m"}, {"Minsk", "Moscow"}, {"BY", "RU", "PL", "RO", "US"}),
    "002": (
        {"s-400-48n6dm", "iskander-m", "iskander-e"},
        {"Moscow", "Minsk"},
        {"BY", "RU", "UA", "KZ", "PL", "US"},
    ),
    "003": (
        {"iskander-m", "tochka-u", "polonez"},
        {"Minsk", "Moscow", "Beijing"},
        {"BY", "CN", "RU", "UA"},
    ),
    "004": (
        {"s-300-48n6", "iskander-m", "polonez"},
        {"Minsk", "Babruysk", "Moscow", "Kyiv"},
        {"BY", "RU", "UA", "CN", "LT", "US", "GE"},
    ),
}


def _seed(key: str) -> str:
    (path,) = SEEDS.glob(f"{key}_*.txt")
    return path.read_text(encoding="utf-8")


def _names(reading):
    return {m.name.split(" (", 1)[0] for m in reading.places}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_article_systems_places_and_countries(key):
    systems, places, countries = EXPECTED[key]
    r = read_article(_seed(key))
    assert {m.id for m in r.systems} == systems
    assert _names(r) == places
    assert {m.id for m in r.countries} == countries
    for m in r.systems + r.places:  # each with the sentence it came from, as written there
        assert m.text.lower().rstrip("’'s") in m.sentence.lower()


def test_designators_not_in_the_catalogue_are_listed():
    r = read_article(_seed("002"))
    assert [m.text for m in r.unlisted] == ["Tu-22M3"]
    r = read_article(_seed("000"))
    (s300,) = [m for m in r.systems if m.id == "s-300-48n6"]
    assert s300.text == "S-300" and "not a catalogue name" in s300.assumption


def test_press_spellings_and_nato_names():
    text = (
        "Russia may station SS-26 Stone missiles in Belarus. The Iskander-M's range worries "
        "Warsaw. S-400 Triumf batteries and the Palanez rocket launcher were shown in "
        "Minsk, while SM-3 interceptors wait at Redzikowo."
    )
    r = read_article(text)
    assert {m.id for m in r.systems} == {"iskander-m", "s-400-48n6dm", "polonez", "sm-3-ib"}
    assert {m.text for m in r.systems} >= {"SS-26 Stone", "S-400 Triumf", "Palanez", "SM-3"}
    assert _names(r) == {"Warsaw", "Minsk", "Aegis Ashore Poland"}


def test_brest_goes_to_the_country_the_article_names():
    belarus = read_article("Iskander launchers could be based near Brest, in Belarus.")
    (b,) = belarus.places
    assert (b.kind, b.id, b.country) == ("site", "brest", "Belarus")
    france = read_article("The French navy keeps its submarines at Brest, in France.")
    (f,) = france.places
    assert (f.kind, f.country) == ("town", "France") and f.lon_deg < 0
    assert "France" in f.assumption


def test_lida_without_a_catalogue_alias_and_people_are_not_places():
    r = read_article(
        "Vladimir Putin said Russia would not send troops to Lida. President Alexander "
        "Lukashenka flew from Vitebsk to Gomel in Belarus."
    )
    assert _names(r) == {"Lida", "Vitebsk", "Homyel'"}  # GeoNames spells Gomel so
    assert {m.kind for m in r.places} == {"site", "town"}


def test_a_common_word_is_no_town():
    # 'Most' (Czech Republic) and 'Police' (Poland) are towns of GeoNames; here they are words.
    r = read_article(
        "Most analysts in the Czech Republic and Poland doubt it. Police said so. most."
    )
    assert r.places == []


def test_sentences_split_on_full_stops_and_lines():
    assert sentences("First one. Second one!\n\nThird “quoted”? Fourth") == [
        "First one.",
        "Second one!",
        "Third “quoted”?",
        "Fourth",
    ]


def test_reading_is_deterministic():
    text = _seed("002")
    a, b = read_article(text), read_article(text)
    assert a.to_dict() == b.to_dict()
    assert propose_scenario(a, name="x") == propose_scenario(b, name="x")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_proposed_scenario_loads_and_every_threat_is_in_catalogue_range(key):
    cat = default_catalogue()
    r = read_article(_seed(key))
    scn, assumptions, _notes = propose_scenario(r, name=f"seed {key}")
    from bmdsim.cli.read import scenario_yaml

    parsed = parse_scenario(scenario_yaml(scn, assumptions, _notes, key), label=key)
    assert parsed.name == f"seed {key}"
    named = {m.id for m in r.places}
    for t in scn["threats"]:
        m = cat.missile(t["missile"])
        a, b = resolve_place(t["from"]), resolve_place(t["to"])
        d, _, _ = geodesic.inverse(
            lat1_deg=a.lat_deg, lon1_deg=a.lon_deg, lat2_deg=b.lat_deg, lon2_deg=b.lon_deg
        )
        assert float(d) <= m.published_range.high_si
        # a launch point or target the article does not name is an assumption, with a reason
        for end in (t["from"], t["to"]):
            if end not in named:
                assert any(end in x["item"] and x["reason"] for x in assumptions), end
    for item in scn["analyses"]["reach"]:
        assert cat.missile(item["missile"]).id in {m.id for m in r.systems}


def test_seed_001_asks_the_article_question():
    """'deploy Iskander-M missiles in Belarus' in answer to 'missile defense deployments in
    Romania and Poland': Iskander-M from Belarus against the Aegis Ashore site in Poland
    (Deveselu is beyond its range from Belarus: a note, not a threat)."""
    r = read_article(_seed("001"))
    scn, assumptions, notes = propose_scenario(r, name="x")
    assert {(t["missile"], t["to"]) for t in scn["threats"]} == {("iskander-m", "redzikowo")}
    assert {resolve_place(t["from"]).id for t in scn["threats"]} <= {"brest", "hrodna", "lida"}
    assert scn["defences"] == [{"site": "redzikowo"}]
    assert any("deveselu" in n for n in notes)
    assert any(a["item"].startswith("target and defence: deveselu") for a in assumptions)
