"""The probe as a test (issue 16): a bounded mutation fuzz of the shipped scenarios.

Each example is a shipped scenario with one to three mutations: a value replaced by a
hostile one (NaN, infinities, 1e309, -300, true, 0, a 30-digit integer, "[/]", an ESC,
an empty string, a nested list...), a key removed or an unknown key added; or the text
itself damaged (cut short, a BOM, a NUL, an alias bomb appended). The loader must then
either accept the file, and every number it holds lies in its field's domain (re-checked
here from bmdsim.domains, independently of the schema), its hash and output folder are
computed, or refuse it with a ScenarioError whose first line names the file and a line,
never any other exception. About a minute in all (``FUZZ_EXAMPLES`` per example).
"""

from __future__ import annotations

import copy
import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from bmdsim import domains as D
from bmdsim.errors import ScenarioError
from bmdsim.scenario import example_path, parse_scenario, scenario_hash
from bmdsim.scenario.run import default_out

pytestmark = pytest.mark.fuzz

FUZZ_EXAMPLES = 100
EXAMPLES = ("europe-2016", "baltic-srbm", "north-atlantic-ships")

HOSTILE = [
    math.nan, math.inf, -math.inf, 1e308 * 10, -300, -1, 0, 1, 0.5, 1e9, 10**30, -(10**30),
    True, False, None, "", " ", "[/]", "$\\frac{x$", "esc \x1b", "<script>", "=HYPERLINK(1)",
    "../../escaped", "/abs/path", "x" * 500, "apogee=100km", "apogee=-5", "burnout",
    "iskander\u2013m", "redzikowo:", "95,20", "20.51,54.71", [], {}, [[[[1]]]], {"low": -300,
    "high": -200}, ["nato", 1], "cueing.decision_delay_s",
]  # fmt: skip


CONFUSING = [True, False, 0, 1, "1", "true", "yes", 1.0, "30"]  # types a lax loader converts


def _yaml():
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    return yaml


def _load(name):
    return _yaml().load(example_path(name).read_text())


def _paths(node, prefix=()):
    """Every (path to a container, key) in a document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix, k
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix, i
            yield from _paths(v, (*prefix, i))


def _at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutants(draw, name):
    doc = _load(name)
    replaced = []  # (path, value) of the replacements, to check no value was converted
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        leaves = [(p, k) for p, k in paths if not isinstance(_at(doc, p)[k], dict | list)]
        parent_path, key = draw(
            st.sampled_from(leaves if leaves and draw(st.booleans()) else paths)
        )
        parent = _at(doc, parent_path)
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action in ("replace", "delete"):
            # an earlier replacement under what changes now is no longer where its path
            # says (a value replaced over it, or list items shifted by a deletion)
            moved = (*parent_path, key)
            replaced = [
                (path, value)
                for path, value in replaced
                if not (
                    path[: len(moved)] == moved
                    or (
                        action == "delete"
                        and isinstance(parent, list)
                        and path[: len(parent_path)] == parent_path
                        and len(path) > len(parent_path)
                        and isinstance(path[len(parent_path)], int)
                        and path[len(parent_path)] > key
                    )
                )
            ]
        if action == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(HOSTILE) | st.sampled_from(CONFUSING)))
            replaced.append(((*parent_path, key), parent[key]))
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["threat", "x" * 80, "samples", "1"]))] = 1
    out = io.StringIO()
    _yaml().dump(doc, out)
    text = out.getvalue()
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "bom", "nul", "bomb", "tab"]))
    if damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
        replaced = []  # a cut file may have lost a replaced line: its default is no conversion
    elif damage == "bom":
        text = "\ufeff" + text
    elif damage == "nul":
        k = draw(st.integers(0, len(text)))
        text = text[:k] + "\x00" + text[k:]
    elif damage == "bomb":
        text += (
            "\nzz: &a ["
            + ",".join(["1"] * 9)
            + "]\n"
            + "".join(
                f"z{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i else "*a"] * 9) + "]\n"
                for i in range(9)
            )
        )
    elif damage == "tab":
        text = text.replace("  ", "\t", 1)
    return text, replaced


def _no_silent_conversion(scn, replaced):
    """A value that survives validation keeps its kind: true is not 1, 0 is not false."""
    dump = scn.model_dump(mode="python", by_alias=True)
    for path, value in replaced:
        node = dump
        try:
            for step in path:
                node = node[step]
        except (KeyError, IndexError, TypeError):
            continue  # not a field that survived (removed by a later mutation, or renamed)
        if isinstance(value, bool) or isinstance(node, bool):
            assert type(node) is type(value), (path, value, node)
        elif isinstance(value, int | float) and isinstance(node, int | float):
            assert node == value, (path, value, node)


def _numbers_in_domain(scn):
    """An independent re-check of every number an accepted scenario holds."""
    c = scn.cueing
    for delay in (c.decision_delay_s, c.assessment_delay_s):
        if delay is not None:  # None: the catalogue's doctrine default
            D.DELAY.check(delay)
    if isinstance(c.cue_at, float):
        D.CUE_TIME.check(c.cue_at)
    for p in scn.sites:
        for value, domain in ((p.lat_deg, D.LATITUDE), (p.lon_deg, D.LONGITUDE),
                              (p.elevation_m, D.ELEVATION)):  # fmt: skip
            if value is not None:
                domain.check(value)
    for t in scn.threats:
        D.check_shape(t.shape)
        if t.rcs_m2 is not None:
            D.RCS.check(t.rcs_m2)
    u = scn.uncertainty
    D.SAMPLES.check(u.samples)
    D.SEED.check(u.seed)
    for path, o in u.overrides.items():
        for x in (o.low, o.high, o.value):
            assert x is None or math.isfinite(x), (path, x)
    eff = scn.analyses.effectiveness
    if eff is not None:
        D.RAID.check(eff.raid), D.SHOTS.check(eff.shots), D.LOOKS.check(eff.looks)
        D.DECOYS.check(eff.decoys), D.PROBABILITY.check(eff.discrimination)
    for r in scn.analyses.reach:
        D.AZIMUTHS_REACH.check(r.n_azimuths)
    for cov in scn.analyses.coverage:
        for h in cov.target_altitudes_km:
            D.ALTITUDE.check(h, unit="km")
    for name in ("launch_on_remote", "engage_on_remote"):
        assert isinstance(getattr(c, name), bool)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", EXAMPLES)
def test_mutated_scenarios_are_accepted_sound_or_refused_in_one_line(name):
    base_dir = example_path(name).parent

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutants(name))
    def fuzz(mutant):
        text, replaced = mutant
        try:
            scn = parse_scenario(text, label="m.yaml", base_dir=base_dir)
        except ScenarioError as exc:
            first = str(exc).splitlines()[0]
            assert first.startswith("m.yaml:"), first
            assert len(first) < 2000
            return
        _numbers_in_domain(scn)
        _no_silent_conversion(scn, replaced)
        assert len(scenario_hash(scn)) == 64
        out = default_out(scn)
        assert out.parent.name == "runs" and ".." not in out.parts

    fuzz()
