"""The probe as a test (issues 15 and 16): a bounded property-based fuzz of every command's
options. Whatever the options, a command exits 0 or 1, never with a traceback and never
hanging; exit 1 is one ``error:`` line on stderr (after any ``warning:`` lines) and
nothing on stdout; exit 0 with ``--json`` is strict JSON on stdout (no NaN, no Infinity).

The analyses behind the commands are stubs here (they raise a sentinel error once the
options have passed every check), so the fuzz exercises what stands between a user and
the physics: option types, domains, names, paths, early checks. ``effectiveness``,
``catalogue`` and ``results`` run for real (they are cheap). About a minute in all on
two cores (``FUZZ_EXAMPLES`` per command).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import bmdsim
from bmdsim.cli import app
from bmdsim.errors import BmdsimError

pytestmark = pytest.mark.fuzz

FUZZ_EXAMPLES = 30
ENV = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"}
RUNNER = CliRunner(env=ENV)

HOSTILE_TEXT = [
    "", " ", ",", ":", "::", "a,,b", "redzikowo:", ":sm-3-iia", "[/]", "[bold]x", "$\\frac{x$",
    "\x1b[31mred", "iskander\u2013m", "\u202eevil", "../../x", "/proc/x", "/dev/null", "x" * 300,
    "%s%n", "{}", "'", '"', "true", "null", "-", "--", "apogee=100km", "apogee=-1", "apogee=inf",
    "apogee=", "burnout", "nan", "inf", "-inf", "1e309", "-1", "0", "1e9", "abc",
    "99999999999999999999", "18446744073709551616", "20.51,54.71", "95,20", "54.71,20.86",
    "kaliningrad", "warsaw", "redzikowo", "redzikowo:sm-3-iia", "iskander-m", "sm-3-iia",
    "dask=", "dask=tcp://x", "dask=tcp://127.0.0.1:0", "processes", "local", "SELECT 1",
]  # fmt: skip
NUMBERS = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "1e309", "-1e309", "-0", "0", "1", "-1", "1e9",
                     "99999999999999999999", "18446744073709551616", "2.5", "1e-320", "abc", ""]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)  # fmt: skip
TEXT = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))
VALUE = st.one_of(NUMBERS, TEXT)


class Stop(BmdsimError):
    """The stubs' sentinel: the options passed every check."""


def _stub(*args, **kwargs):
    raise Stop("stub reached")


@pytest.fixture(scope="module")
def stubs():
    import bmdsim.analyses.studies.europe as europe
    import bmdsim.scenario.run as run_module

    patch = pytest.MonkeyPatch()
    for name in ("fly", "reach", "engage", "coverage", "flyout", "defended_footprint", "coast"):
        patch.setattr(bmdsim, name, _stub, raising=False)
    patch.setattr(run_module, "run_scenario", _stub)
    patch.setattr(europe, "europe_study", _stub)
    yield
    patch.undo()


def tiny_task(start: int, stop: int, seed: int) -> pa.Table:
    idx = np.arange(start, stop, dtype=np.int64)
    return pa.table({"sample": idx, "x": idx * 0.5, "feasible": idx % 3 == 0})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder to run in (relative --out paths land here), with a small results store."""
    from bmdsim.sweep import run_sweep

    path = tmp_path_factory.mktemp("fuzz")
    run_sweep(tiny_task, 30, chunk_size=10, store=path / "store", seed=1)
    (path / "afile").write_text("x")
    return path


def invoke(args):
    return RUNNER.invoke(app, [str(a) for a in args])


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def check_contract(args, result):
    """The CLI's contract for any input (module doc)."""
    where = f"bmdsim {' '.join(map(repr, args))}"
    assert result.exit_code in (0, 1), (where, result.exit_code, result.output)
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), (where, repr(exc))
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, where
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if result.exit_code == 1:
        assert lines and lines[-1].startswith("error: "), (where, result.stderr)
        assert all(line.startswith(("warning: ", "error: ")) for line in lines), (where, lines)
        assert sum(line.startswith("error: ") for line in lines) == 1, (where, lines)
        assert result.stdout == "", (where, result.stdout)
    elif "--json" in args:
        doc = json.loads(result.stdout, parse_constant=_reject_constant)
        text = json.dumps(doc)
        assert "NaN" not in text and "Infinity" not in text


def options(pairs: dict):
    """A strategy of argv tails: each option of ``pairs`` left out, given a valid value
    (from its list) or a fuzzed one; flags in ``pairs`` map to None."""
    items = []
    for opt, valid in pairs.items():
        if valid is None:  # a flag
            items.append(st.sampled_from([[], [opt]]))
        else:
            value = st.one_of(st.sampled_from(valid), VALUE)
            items.append(st.one_of(st.just([]), value.map(lambda v, o=opt: [o, v])))
    return st.tuples(*items).map(lambda parts: [x for p in parts for x in p])


SPECS = {
    "trajectory": options({
        "--missile": ["iskander-m", "SS-26"], "--from": ["kaliningrad", "54.71,20.51"],
        "--to": ["warsaw", "52.2,21.0"], "--shape": ["lofted", "apogee=60"],
        "--out": ["out", "afile"], "--backend": ["cpu", "reference"], "--json": None,
    }),
    "reach": options({
        "--missile": ["iskander-e"], "--from": ["brest"], "--sites": ["nato", "warsaw,riga"],
        "--azimuths": ["36", "8"], "--out": ["out"], "--json": None,
    }),
    "coast": options({
        "--lat": ["0"], "--lon": ["0"], "--alt-km": ["0"], "--speed-kms": ["3"],
        "--gamma-deg": ["40"], "--azimuth-deg": ["90"], "--earth": ["sphere", "flat"],
        "--beta": ["5000"], "--no-drag": None, "--json": None,
    }),
    "engage": options({
        "--threat": ["iskander-m"], "--from": ["kaliningrad"], "--to": ["warsaw"],
        "-d": ["redzikowo:sm-3-iia", "redzikowo"], "--sensor": ["kurecik:an-tpy-2"],
        "--cue-at": ["burnout", "20"], "--decision-delay-s": ["30"], "--rcs-m2": ["0.1"],
        "--no-default-sensors": None, "--shape": ["depressed"], "--json": None,
    }),
    "flyout": options({
        "-i": ["sm-3-iia"], "--site": ["redzikowo"], "--azimuth-deg": ["90"],
        "--burnout-speed-kms": ["4.5"], "--json": None,
    }),
    "coverage": options({
        "--site": ["baranovichi-s-400-notional"], "--target-altitude-km": ["10"],
        "--rcs-m2": ["1"], "--threat": ["iskander-m"], "--from": ["kaliningrad"],
        "--radius-km": ["100"], "--azimuths": ["8"], "--cue-at": ["burnout"], "--json": None,
    }),
    "effectiveness": options({
        "--raid": ["2", "10"], "--pk": ["0.7"], "--interceptor": ["sm-3-iia"],
        "--shots": ["2"], "--looks": ["2"], "--inventory": ["10"], "--decoys": ["3"],
        "--discrimination": ["0.5"], "--assessment": ["0.9"], "--json": None,
    }),
    "run": st.tuples(
        st.sampled_from(["europe-2016", "baltic-srbm", "nope", "afile", "", "x" * 300]), options({
            "--samples": ["10", "0"], "--seed": ["3"], "--executor": ["local", "processes"],
            "--workers": ["2"], "--chunk-size": ["100"], "--backend": ["cpu"], "--out": ["out"],
        })
    ).map(lambda t: [t[0], *t[1]]),
    "study": options({
        "--missile": ["rs-24-yars"], "--decision-delay-s": ["30"], "--quick": None,
        "--out": ["out"], "--json": None,
    }),
    "results": st.tuples(
        st.sampled_from(["store", ".", "afile", "nope", ""]), options({
            "--sql": ["SELECT count(*) AS n FROM results", "SELECT * FROM runs",
                      "SELECT * FROM read_text('/etc/hostname')", "SELECT x/0 FROM results"],
            "--max-rows": ["5"], "--csv": ["q.csv", "afile", "store"], "--check": None,
            "--json": None,
        })
    ).map(lambda t: [t[0], *t[1]]),
    "catalogue list": options({"--kind": ["missile", "site", "sources"], "--json": None}),
    "catalogue show": st.tuples(
        st.one_of(st.sampled_from(["iskander-m", "Łask", "SS-26", "sm-3-iia"]), TEXT),
        options({"--json": None}),
    ).map(lambda t: [t[0], *t[1]]),
}  # fmt: skip


@pytest.mark.timeout(300)
@pytest.mark.parametrize("command", list(SPECS))
def test_fuzz_command_options(command, stubs, workdir, monkeypatch):
    monkeypatch.chdir(workdir)

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(SPECS[command])
    def fuzz(tail):
        args = [*command.split(), *tail]
        check_contract(args, invoke(args))

    fuzz()


def test_the_contract_holds_for_the_issue_reproductions(stubs, workdir, monkeypatch):
    """The fuzz's seeds: every invocation listed in issue 15's fuzz findings."""
    monkeypatch.chdir(workdir)
    cases = [
        ["effectiveness", "--raid", "2", "--pk", "0.5", "--decoys", "1e9"],
        ["effectiveness", "--raid", "2", "--pk", "0.5", "--shots", "99999999999999999999"],
        ["effectiveness", "--raid", "2", "--pk", "0.5", "--looks", "1000000", "--json"],
        ["effectiveness", "--raid", "2", "--pk", "0.5", "--json"],
        ["run", "europe-2016", "--seed", "18446744073709551616"],
        ["run", "europe-2016", "--samples", "1000000000000"],
        ["results", "store", "--sql", ""],
        ["results", "store", "--sql", "SELECT x, x / 0 AS y FROM results", "--json"],
        ["trajectory", "--missile", "iskander-m", "--from", "brest", "--to", "warsaw", "--out",
         ""],
        ["engage", "--threat", "iskander-m", "--from", "kaliningrad", "--to", "warsaw", "-d",
         "redzikowo:"],
    ]  # fmt: skip
    for args in cases:
        check_contract(args, invoke(args))
    result = invoke(["effectiveness", "--raid", "2", "--pk", "0.5", "--json"])
    assert result.exit_code == 0 and math.isfinite(json.loads(result.stdout)["expected_leakers"])
