"""From a news article to a question: the systems and places it names, and a scenario.

Rules and the catalogue only, no language model, no network, deterministic:

* systems: every catalogue missile, interceptor, radar and sensor by id, name or alias
  (the press's spellings and NATO names: "SS-26 Stone", "Iskander-M's", "Palanez",
  "S-400 Triumf"), longest first; a designator like "S-300" that no entry names but
  that begins one entry's alias ("S-300PMU") is read as that entry, as an assumption;
  other designators ("Tu-22M3") are listed as not in the catalogue;
* places: catalogue sites by id, name or alias, and towns of the offline GeoNames
  gazetteer (``analyses.gazetteer``) when the article names their country, or when they
  are cities of a million people; a name that two countries share ("Brest") goes to the
  country the article names. Part of a longer proper name ("Vladimir Putin") is no place;
* countries: their GeoNames names (and US, USA, America, UK, Britain).

:func:`propose_scenario` turns a reading into a scenario dict for ``bmdsim run``: the
named missiles fly from launch areas in the countries the article deploys them to, at
the defence sites it names (or implies: "the missile defense site in Romania" is the
catalogue's Aegis Ashore site there), within the missile's catalogue range; the named
defences engage; each missile's reach is mapped. Every inferred item is an assumption
with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bmdsim.analyses import gazetteer
from bmdsim.analyses.gazetteer import fold
from bmdsim.analyses.resolve import catalogue_or_default
from bmdsim.catalogue import Catalogue
from bmdsim.earth import geodesic

__all__ = ["Mention", "Reading", "propose_scenario", "read_article", "sentences"]

SYSTEM_KINDS = ("missile", "interceptor", "radar", "sensor")
COUNTRY_ALIASES = {
    "US": "US",
    "USA": "US",
    "U.S.": "US",
    "America": "US",
    "UK": "GB",
    "Britain": "GB",
}
BIG_CITY = 1_000_000  # a town named without its country is read only if this large
MAX_THREATS = 12
MAX_REACH = 4
_DESIGNATOR = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{0,3}-\d{1,4}[A-Z0-9]*)(?![\w-])")
_BMD_WORDS = re.compile(r"anti-?missile|missile[- ]defen[cs]e|aegis ashore|interceptor", re.I)
_DEPLOY_WORDS = re.compile(
    r"deploy|station|plac(?:e|ing)|send|sent|transfer|supply|deliver|provid|gift|present|"
    r"base[sd]?\b|get|buy|purchase|receive|equip",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][\w’'\-]*")


@dataclass(frozen=True)
class Mention:
    """One system, place or country the article names: ``kind`` ('missile',
    'interceptor', 'radar', 'sensor', 'site', 'town', 'country', 'unlisted'), its
    ``id`` (catalogue id, 'geonames-N', ISO code), display ``name``, the ``text`` as
    written, the ``sentence`` it came from, and for places ``country``, lat, lon."""

    kind: str
    id: str
    name: str
    text: str
    sentence: str
    country: str = ""
    lat_deg: float | None = None
    lon_deg: float | None = None
    assumption: str | None = None  # set when the reading itself is an inference

    def to_dict(self) -> dict:
        out = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "text": self.text,
            "sentence": self.sentence,
        }
        if self.kind in ("site", "town"):
            out.update(country=self.country, lat=self.lat_deg, lon=self.lon_deg)
        if self.assumption:
            out["assumption"] = self.assumption
        return out


@dataclass
class Reading:
    """What an article names: systems, places, countries, designators not in the
    catalogue (each once, first sentence first)."""

    title: str
    systems: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    countries: list[Mention] = field(default_factory=list)
    unlisted: list[Mention] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    where: dict[str, list[str]] = field(default_factory=dict)  # "kind:id" -> sentences

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "systems": [m.to_dict() for m in self.systems],
            "places": [m.to_dict() for m in self.places],
            "countries": [m.to_dict() for m in self.countries],
            "not_in_catalogue": [m.to_dict() for m in self.unlisted],
        }


def sentences(text: str) -> list[str]:
    """Sentences: paragraphs split after '.', '!' or '?' before a capital or a quote."""
    out = []
    for para in text.replace("\r", "").split("\n"):
        para = " ".join(para.split())
        if not para:
            continue
        for s in re.split(r"(?<=[.!?])\s+(?=[“\"‘'A-Z(])", para):
            if s.strip():
                out.append(s.strip())
    return out


def _pattern(name: str) -> re.Pattern:
    """A catalogue name in running text: case and accents ignored, space or hyphen
    between its parts, an optional plural or possessive after it."""
    parts = [re.escape(p) for p in re.split(r"[\s\-_]+", fold(name)) if p]
    body = r"[\s\-]?".join(parts)
    return re.compile(rf"(?<![\w\-/]){body}(?:'s|’s|s|es)?(?![\w\-/])")


def _names(entry) -> list[str]:
    names = [entry.id, *getattr(entry, "aliases", [])]
    name = getattr(entry, "name", "") or ""
    names.append(name)
    if " (" in name:
        names.append(name.split(" (", 1)[0])
    return [n for n in dict.fromkeys(names) if n and len(n) >= 2]


def _catalogue_patterns(cat: Catalogue, kinds) -> list[tuple[int, str, str, re.Pattern, str]]:
    """(length, kind, id, pattern, name) for every name of every entry, longest first."""
    out = []
    for kind in kinds:
        for entry in cat.entries(kind):
            for n in _names(entry):
                out.append((len(n), kind, entry.id, _pattern(n), n))
    out.sort(key=lambda x: -x[0])
    return out


def _find(patterns, sentence: str):
    """Matches of the patterns in one sentence, longest name first, no overlaps; a match
    must start with a capital or a digit as written (a proper name)."""
    folded = fold(sentence)
    if len(folded) != len(sentence):  # a character whose fold changes length: no offsets
        folded = sentence.lower()
    taken: list[tuple[int, int]] = []
    hits = []
    for _, kind, eid, pat, name in patterns:
        for m in pat.finditer(folded):
            a, b = m.span()
            if not (sentence[a].isupper() or sentence[a].isdigit()):
                continue
            if any(a < y and x < b for x, y in taken):
                continue
            if len(name) <= 3 and sentence[a:b].rstrip("s") != name:  # 'DC', 'LA', 'D5'
                continue
            taken.append((a, b))
            hits.append((a, kind, eid, sentence[a:b]))
    return sorted(hits), taken


def _countries_in(sentence: str) -> list[tuple[str, str]]:
    out = []
    by_name = {c.name: c.code for c in gazetteer.countries().values()}
    for name, code in [*by_name.items(), *COUNTRY_ALIASES.items()]:
        if re.search(rf"(?<![\w\-]){re.escape(name)}(?![\w\-])", sentence):
            out.append((code, name))
    return out


def read_article(text: str, catalogue: Catalogue | None = None) -> Reading:
    """The systems, places and countries an article names, each with its first sentence."""
    cat = catalogue_or_default(catalogue)
    sents = sentences(text)
    titles = [x for x in sents if len(x.split()) >= 4 and not x.endswith("...")]
    reading = Reading(title=(titles or sents or [""])[0], sentences=sents)
    sys_pats = _catalogue_patterns(cat, SYSTEM_KINDS)
    site_pats = _catalogue_patterns(cat, ("site",))
    seen: set[tuple[str, str]] = set()

    def add(target: list, m: Mention):
        reading.where.setdefault(f"{m.kind}:{m.id}", [])
        if m.sentence not in reading.where[f"{m.kind}:{m.id}"]:
            reading.where[f"{m.kind}:{m.id}"].append(m.sentence)
        if (m.kind, m.id) not in seen:
            seen.add((m.kind, m.id))
            target.append(m)

    codes: list[str] = []
    for s in sents:
        for code, name in _countries_in(s):
            c = gazetteer.countries().get(code)
            if c is not None:
                codes.append(code)
                add(reading.countries, Mention("country", code, c.name, name, s))
    countries = list(dict.fromkeys(codes))

    site_names = {fold(n) for e in cat.entries("site") for n in _names(e)}
    for s in sents:
        hits, taken = _find(sys_pats, s)
        for a, kind, eid, written in hits:
            if fold(written) in site_names:  # a bare place name ('Voronezh'): the place
                taken.remove(next(t for t in taken if t[0] == a))
                continue
            entry = cat.lookup(kind, eid)
            add(reading.systems, Mention(kind, eid, entry.name, written, s))
        for m in _DESIGNATOR.finditer(s):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            des = m.group(1)
            family = _family(cat, des)
            if family is not None:
                kind, entry = family
                add(
                    reading.systems,
                    Mention(
                        kind,
                        entry.id,
                        entry.name,
                        des,
                        s,
                        assumption=f"'{des}' is not a catalogue name; read as {entry.id}, the "
                        f"catalogue's {des} ({entry.name})",
                    ),
                )
            else:
                add(reading.unlisted, Mention("unlisted", des, des, des, s))
        place_hits, place_taken = _find(site_pats, s)
        for _, _, sid, written in place_hits:
            site = cat.site(sid)
            other = _elsewhere(written, site.country, countries)
            if other is not None:
                add(
                    reading.places,
                    _town(
                        other,
                        written,
                        s,
                        f"'{written}' read as the town in "
                        f"{gazetteer.countries()[other.country_code].name}, "
                        "the country the article names",
                    ),
                )
                continue
            add(
                reading.places,
                Mention(
                    "site", sid, site.name, written, s, site.country, site.lat_deg, site.lon_deg
                ),
            )
        for town, written in _towns_in(s, place_taken + taken, countries, text):
            add(reading.places, _town(town, written, s, None))
    return reading


def _family(cat, designator: str):
    key = fold(designator).replace("-", "")
    found = []
    for kind in SYSTEM_KINDS:
        for e in cat.entries(kind):
            for n in _names(e):
                f = fold(n).replace("-", "").replace(" ", "")
                if f.startswith(key) and len(f) > len(key) and not f[len(key)].isdigit():
                    found.append((kind, e))
                    break
    ids = {e.id for _, e in found}
    return found[0] if len(ids) == 1 else None


def _elsewhere(written: str, site_country: str, countries: list[str]):
    """The gazetteer town of the same name in a country the article names, when the
    catalogue site's country is not one the article names."""
    code = gazetteer.country_code(site_country) if site_country else None
    if code in countries:
        return None
    for t in gazetteer.towns_by_name().get(fold(written), ()):
        if t.country_code in countries and t.country_code != code:
            return t
    return None


def _town(t, written: str, s: str, assumption) -> Mention:
    country = gazetteer.countries().get(t.country_code)
    return Mention(
        "town",
        t.id,
        t.name,
        written,
        s,
        country.name if country else t.country_code,
        t.lat_deg,
        t.lon_deg,
        assumption,
    )


def _towns_in(s: str, taken, countries, whole_text: str):
    """Gazetteer towns in one sentence: single capitalised words or runs of them that
    are a town's name, not part of a longer proper name, in a country the article names
    or of BIG_CITY people; never a word the article also uses in lower case."""
    words = list(_WORD.finditer(s))
    lower = fold(whole_text)
    names = gazetteer.towns_by_name()
    alternates = gazetteer.towns_by_alternate()
    country_names = {fold(c.name) for c in gazetteer.countries().values()}
    i = 0
    while i < len(words):
        if not words[i].group(0)[0].isupper():
            i += 1
            continue
        j = i
        while (
            j + 1 < len(words)
            and words[j + 1].group(0)[0].isupper()
            and s[words[j].end() : words[j + 1].start()] in (" ", "-")
        ):
            j += 1
        run = words[i : j + 1]
        i = j + 1
        text = s[run[0].start() : run[-1].end()]
        a, b = run[0].start(), run[-1].end()
        if any(a < y and x < b for x, y in taken):
            continue
        key = fold(re.sub(r"(’s|'s)$", "", text))
        if key in country_names or (key not in names and key not in alternates):
            continue
        if len(run) == 1 and re.search(
            rf"(?<![\w\-]){re.escape(key)}(?![\w\-])", _lower_words(whole_text, lower)
        ):
            continue
        initial = a == 0 or s[:a].rstrip().endswith(("“", '"', "—", "–"))
        if initial and len(run) == 1 and not _inside_a_sentence(key, whole_text):
            continue  # 'Police said so.': a capital only because it opens the sentence
        candidates = names.get(key, ())
        pick = next((t for c in countries for t in candidates if t.country_code == c), None)
        if pick is None and candidates and candidates[0].population >= BIG_CITY:
            pick = candidates[0]
        if pick is None:  # an alternate name ('Gomel'), only in a country the article names
            others = alternates.get(key, ())
            pick = next((t for c in countries for t in others if t.country_code == c), None)
        if pick is not None:
            yield pick, text


def _inside_a_sentence(key: str, text: str) -> bool:
    """Whether the word ``key`` (folded) is written with a capital after another word
    somewhere in the text: a name, not a capital that only opens a sentence."""
    return re.search(rf"[\w,;:]\s+{re.escape(key)}(?![\w\-])", fold(text)) is not None


def _lower_words(text: str, folded: str) -> str:
    """The words of the text written in lower case, folded (to spot common words)."""
    return " ".join(fold(w) for w in _WORD.findall(text) if w[0].islower())


# ---------------------------------------------------------------------------------------
# the proposed scenario


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "article"


def _distance_km(a, b) -> float:
    d, _, _ = geodesic.inverse(lat1_deg=a[0], lon1_deg=a[1], lat2_deg=b[0], lon2_deg=b[1])
    return float(d) / 1e3


def _cut(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _ll(site) -> tuple[float, float]:
    return (site.lat_deg, site.lon_deg)


def _range_km(entry) -> tuple[float, float]:
    """(minimum, maximum) catalogue range of a missile, km: the high ends of its published
    minimum range and of its published range (or declared cap)."""
    hi = entry.published_range.high_si / 1e3
    if entry.range_cap is not None:
        hi = min(hi, entry.range_cap.high_si / 1e3)
    mr = entry.published.min_range
    return (mr.high_si / 1e3 if mr is not None else 0.0), hi


def _deploy_countries(reading: Reading, key: str, exclude: set[str]) -> list[str]:
    """Countries written as 'in/to/into COUNTRY' in sentences that name the system and
    a deployment word (deploy, station, supply...), except ``exclude`` (the targets'
    countries)."""
    out = []
    for s in reading.where.get(key, []):
        verb = _DEPLOY_WORDS.search(s)
        if verb is None:
            continue
        # from the verb to the end of its clause: "in Russia one hears of deploying X in
        # Belarus" is Belarus; "deployment of X would mean that ... to Russia" is nothing
        s = re.split(r";| that | which | would ", s[verb.start() :])[0]
        for c in reading.countries:
            if c.name in exclude or c.name in out:
                continue
            if re.search(rf"\b(?:in|to|into)\s+(?:the\s+)?{re.escape(c.text)}\b(?![’']s)", s):
                out.append(c.name)
    return out


def propose_scenario(
    reading: Reading, *, name: str, catalogue: Catalogue | None = None, n_azimuths: int = 360
):
    """(scenario dict, assumptions [{item, reason}], notes) for ``bmdsim run``;
    ``n_azimuths``: headings of each reach footprint."""
    cat = catalogue_or_default(catalogue)
    assumptions: list[dict] = []
    notes: list[str] = []
    extra_sites: dict[str, dict] = {}
    named_sites = {m.id: m for m in reading.places if m.kind == "site"}

    def assume(item, reason):
        assumptions.append({"item": item, "reason": reason})

    for m in reading.systems + reading.places:
        if m.assumption:
            assume(m.id, m.assumption)

    # Defence sites: named, or implied by "missile defence ... in COUNTRY".
    defence_sites: list[str] = []
    bmd_sites = [s for s in cat.entries("site") if s.kind == "aegis-ashore"]
    for sid in named_sites:
        site = cat.site(sid)
        if any(cat.system(x.system).__class__.__name__ == "Interceptor" for x in site.systems):
            defence_sites.append(sid)
    for c in reading.countries:
        for s in reading.sentences:
            if c.text in s and _BMD_WORDS.search(s):
                for site in bmd_sites:
                    if site.country == c.name and site.id not in defence_sites:
                        defence_sites.append(site.id)
                        assume(
                            f"target and defence: {site.id}",
                            f"'{_cut(s)}' names missile defence in {c.name}: the "
                            f"catalogue's Aegis Ashore site there is {site.name}",
                        )
    # Air defences named with a country: the catalogue's site of that system there.
    coverage: list[str] = []
    for m in reading.systems:
        if m.kind != "interceptor":
            continue
        for site, _dep in cat.sites_with(m.id, include_notional=True):
            if site.id in defence_sites or site.id in coverage:
                continue
            if any(c.name == site.country and c.name in m.sentence for c in reading.countries):
                if site.kind == "air-defence":
                    coverage.append(site.id)
                    assume(
                        f"coverage: {site.id}",
                        f"'{_cut(m.sentence)}' puts {m.text} in {site.country}: the "
                        f"catalogue's site for it is {site.name}",
                    )
    # Launch areas for each offensive missile: named launch-area sites in the countries
    # the article deploys it to ("in/to COUNTRY" in a sentence naming it, not a target's
    # country); else that country's missile brigades; and, for a target none of them
    # reaches, the launch area of that country nearest the target within range.
    launch_sites = [s for s in cat.entries("site") if "launch-area" in s.tags]
    threats, reach = [], []
    missiles = [m for m in reading.systems if m.kind == "missile"]
    targets = defence_sites + [
        sid for sid in named_sites if sid not in defence_sites and "nato" in cat.site(sid).tags
    ]
    target_countries = {cat.site(t).country for t in targets} | {"United States"}
    for m in missiles:
        entry = cat.missile(m.id)
        deploy = _deploy_countries(reading, f"missile:{m.id}", target_countries)
        lo, hi = _range_km(entry)
        areas = [
            s for s in launch_sites if s.id in named_sites and (not deploy or s.country in deploy)
        ]
        if not areas:
            where = deploy or [entry.country]
            pool = [s for s in launch_sites if s.country in where]
            areas = [s for s in pool if s.kind == "missile-brigade"] or pool[:1]
            said = (
                f"the article deploys {m.text} to {', '.join(deploy)}"
                if deploy
                else f"the article deploys {m.text} nowhere named; {entry.country} makes it"
            )
            for a in areas:
                assume(
                    f"launch area: {a.id} for {entry.id}",
                    f"{said}; {a.name} is the catalogue's missile brigade or launch area there",
                )
        else:
            pool = [s for s in launch_sites if s.country in (deploy or [entry.country])]
        pairs = []
        for t in targets:
            site = cat.site(t)
            ok = [a for a in areas if lo < _distance_km(_ll(a), _ll(site)) <= hi]
            if not ok:
                near = sorted((_distance_km(_ll(a), _ll(site)), a.id, a) for a in pool)
                near = [(d, a) for d, _, a in near if lo < d <= hi]
                if near:
                    d, a = near[0]
                    ok = [a]
                    assume(
                        f"launch area: {a.id} for {entry.id} -> {t}",
                        f"no launch area above reaches {site.name}; {a.name} is the "
                        f"nearest in {a.country} within {entry.id}'s {lo:,.0f}-{hi:,.0f} km "
                        f"({d:,.0f} km away)",
                    )
                else:
                    notes.append(
                        f"no threat {entry.id} -> {t}: no launch area in "
                        f"{', '.join(deploy or [entry.country])} within its "
                        f"catalogue range {lo:,.0f}-{hi:,.0f} km"
                    )
            pairs += [(a, t) for a in ok]
        chosen = {a.id: a for a in [*areas, *(a for a, _ in pairs)]}
        for a in list(chosen.values())[:2]:
            if len(reach) < MAX_REACH:
                reach.append({"missile": entry.id, "from": a.id, "sites": "nato"})
                if n_azimuths != 360:
                    reach[-1]["n_azimuths"] = n_azimuths
        for a, t in pairs:
            tid = f"{entry.id}-{a.id}-{t}"
            if len(threats) < MAX_THREATS and tid not in {x["id"] for x in threats}:
                threats.append({"id": tid, "missile": entry.id, "from": a.id, "to": t})
    if missiles and not targets:
        notes.append("the article names no target or defence site: reach only")
    scn = {
        "name": name,
        "description": (reading.title or name)[:400],
        "threats": threats,
        "defences": [
            {"site": sid} for sid in defence_sites if any(x["to"] == sid for x in threats)
        ],
        "analyses": {
            "trajectories": bool(threats),
            "engage": bool(threats and defence_sites),
            "reach": reach,
            "coverage": [{"site": sid} for sid in coverage],
        },
        "uncertainty": {"samples": 0},
    }
    if extra_sites:
        scn["sites"] = list(extra_sites.values())
    return scn, assumptions, notes
