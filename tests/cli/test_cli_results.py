"""bmdsim results DIR: the overview of a results store, --sql, --json, --csv, user errors.

The command (bmdsim.cli.results) is tested on its own Typer app, not bmdsim.cli's, so
these tests depend on no other command. The store is a toy sweep (made-up numbers, not
real systems) whose task, ``toy_engagements``, is a top-level function of this module:
run_sweep's local executor calls it in this process.
"""

from __future__ import annotations

import json
import socket

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import typer
from typer.testing import CliRunner

from bmdsim.cli.results import results as results_command
from bmdsim.errors import InputError
from bmdsim.sweep import ResultStore, UncertainParameter, run_sweep, sample
from bmdsim.sweep.store import find_store

SPEED = "interceptor:sm-3-iia.burnout_speed"
PARAMETERS = [
    UncertainParameter(SPEED, 4000.0, 4800.0),
    UncertainParameter("threat_speed", 2000.0, 3000.0, "triangular", value=2400.0),
]
# (threat, site, interceptor, needed burnout speed above the threat's speed) - made up
PAIRS = [
    ("srbm-a", "site-x", "sm-3-iia", 1600.0),
    ("srbm-a", "site-y", "sm-3-ib", 2000.0),
    ("srbm-b", "site-x", "sm-3-iia", 1900.0),
    ("srbm-b", "site-y", "sm-3-ib", 9999.0),  # never feasible
]
N, CHUNK, SEED = 200, 64, 11

CLI_ENV = {"COLUMNS": "250", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"}
RUNNER = CliRunner(env=CLI_ENV)


def toy_engagements(start: int, stop: int, seed: int) -> pa.Table:
    """Four rows (threat x battery) per sample; feasible when speed - threat speed > need."""
    x = sample(PARAMETERS, range(start, stop), seed)
    n = stop - start
    idx = np.arange(start, stop, dtype=np.int64)
    cols = {"sample": [], "threat": [], "site": [], "interceptor": [], "feasible": [], SPEED: []}
    for threat, site, interceptor, need in PAIRS:
        cols["sample"].append(idx)
        cols["threat"] += [threat] * n
        cols["site"] += [site] * n
        cols["interceptor"] += [interceptor] * n
        cols["feasible"].append(x[SPEED] - x["threat_speed"] > need)
        cols[SPEED].append(x[SPEED])
    return pa.table(
        {
            "sample": pa.array(np.concatenate(cols["sample"]), pa.int64()),
            "threat": pa.array(cols["threat"], pa.string()),
            "site": pa.array(cols["site"], pa.string()),
            "interceptor": pa.array(cols["interceptor"], pa.string()),
            "feasible": pa.array(np.concatenate(cols["feasible"]), pa.bool_()),
            SPEED: pa.array(np.concatenate(cols[SPEED]), pa.float64()),
        }
    )


app = typer.Typer(rich_markup_mode="rich")
app.command("results")(results_command)


@app.callback()
def _main():
    """A group, so that ``results`` stays a subcommand as in bmdsim's app."""


def cli(*args):
    return RUNNER.invoke(app, ["results", *(str(a) for a in args)])


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """DuckDB must never fetch an extension: any network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A `bmdsim run`-like output folder: the store is run_dir / "store"."""
    out = tmp_path_factory.mktemp("run")
    run_sweep(toy_engagements, N, chunk_size=CHUNK, store=out / "store", seed=SEED)
    return out


@pytest.fixture(scope="module")
def store_dir(run_dir):
    return run_dir / "store"


@pytest.fixture(scope="module")
def frame(store_dir):
    """Every stored row, read with pandas straight from the Parquet part files."""
    files = sorted((store_dir / "parts").glob("part-*.parquet"))
    assert len(files) == -(-N // CHUNK)
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


@pytest.fixture(scope="module")
def expected_p(frame):
    p = frame.groupby(["threat", "site", "interceptor"]).agg(
        n=("feasible", "size"), p=("feasible", "mean")
    )
    assert 0 < p["p"].iloc[0] < 1 and p["p"].iloc[-1] == 0  # a toy with something to show
    return p.reset_index()


def _ok(result):
    assert result.exit_code == 0, (result.exit_code, result.stderr, result.exception)
    return result


def test_overview_shows_runs_counts_columns_and_p_feasible(store_dir, expected_p):
    out = _ok(cli(store_dir)).stdout
    assert "complete" in out and str(SEED) in out and "local" in out
    assert f"{N} samples, {4 * N} rows in {-(-N // CHUNK)} part files" in out
    for col in ("sample", "threat", "site", "interceptor", "feasible", SPEED):
        assert col in out
    lines = out.splitlines()
    for r in expected_p.itertuples():
        want = [r.threat, r.site, r.interceptor, str(r.n), f"{r.p:.3f}"]
        assert any(all(w in line for w in want) for line in lines), (want, out)


def test_overview_json(store_dir, expected_p):
    ov = json.loads(_ok(cli(store_dir, "--json")).stdout)
    assert ov["store"] == str(store_dir)
    assert ov["samples"] == N and ov["rows"] == 4 * N and ov["parts"] == -(-N // CHUNK)
    assert ov["missing_ranges"] == []
    (run,) = ov["runs"]
    assert run["status"] == "complete" and run["seed"] == SEED and run["n_samples"] == N
    assert run["executor"] == "local" and run["end"] >= run["start"]
    assert {"name": SPEED, "type": "DOUBLE"} in ov["columns"]
    got = pd.DataFrame(ov["p_feasible"])
    assert got[["threat", "site", "interceptor", "n"]].values.tolist() == (
        expected_p[["threat", "site", "interceptor", "n"]].values.tolist()
    )
    np.testing.assert_allclose(got["p_feasible"], expected_p["p"], rtol=1e-12)


def test_run_folder_with_store_inside(run_dir, store_dir):
    out = _ok(cli(run_dir)).stdout
    assert "P(feasible)" in out and str(store_dir) in out
    assert find_store(run_dir) == store_dir and find_store(store_dir) == store_dir


SQL = (
    f'SELECT threat, count(*) AS n, avg(feasible::DOUBLE) AS p, avg("{SPEED}") AS speed '
    "FROM results GROUP BY threat ORDER BY threat"
)


def _by_threat(frame):
    return frame.groupby("threat").agg(
        n=("feasible", "size"), p=("feasible", "mean"), speed=(SPEED, "mean")
    )


def test_sql_group_by_table(store_dir, frame):
    out = _ok(cli(store_dir, "--sql", SQL)).stdout
    lines = out.splitlines()
    for threat, r in _by_threat(frame).iterrows():
        want = [threat, str(int(r.n)), f"{r.p:.6g}", f"{r.speed:.6g}"]
        assert any(all(w in line for w in want) for line in lines), (want, out)
    assert "left out" not in out


def test_sql_json_records(store_dir, frame):
    rows = json.loads(_ok(cli(store_dir, "--sql", SQL, "--json")).stdout)
    exp = _by_threat(frame)
    assert [r["threat"] for r in rows] == exp.index.tolist()
    assert [r["n"] for r in rows] == exp["n"].tolist()
    np.testing.assert_allclose([r["p"] for r in rows], exp["p"], rtol=1e-12)
    np.testing.assert_allclose([r["speed"] for r in rows], exp["speed"], rtol=1e-12)


def test_sql_json_nan_is_null_and_runs_view(store_dir):
    sql = "SELECT 'nan'::DOUBLE AS x, NULL AS y, seed, status FROM runs"
    (row,) = json.loads(_ok(cli(store_dir, "--sql", sql, "--json")).stdout)
    assert row == {"x": None, "y": None, "seed": SEED, "status": "complete"}


def test_sql_caps_printed_rows(store_dir):
    out = _ok(cli(store_dir, "--sql", "SELECT * FROM results ORDER BY ALL")).stdout
    assert f"50 of {4 * N:,} rows shown, {4 * N - 50:,} left out" in out
    out = _ok(cli(store_dir, "--sql", "SELECT * FROM results", "--max-rows", "3")).stdout
    assert f"3 of {4 * N:,} rows shown" in out


def test_sql_csv_writes_every_row(store_dir, frame, tmp_path):
    path = tmp_path / "sub" / "rows.csv"
    sql = f'SELECT sample, threat, feasible, "{SPEED}" FROM results ORDER BY sample, threat'
    result = _ok(cli(store_dir, "--sql", sql, "--csv", path))
    assert result.stdout == "" and f"wrote {4 * N:,} rows" in result.stderr
    got = pd.read_csv(path)
    assert got.columns.tolist() == ["sample", "threat", "feasible", SPEED]
    assert len(got) == 4 * N
    exp = frame.sort_values(["sample", "threat"], kind="stable").reset_index(drop=True)
    # the two rows per (sample, threat) differ only in site and feasibility
    np.testing.assert_allclose(got[SPEED], exp[SPEED], rtol=1e-15)
    assert got.groupby("threat")["feasible"].mean().to_dict() == (
        frame.groupby("threat")["feasible"].mean().to_dict()
    )


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("SELECT nope FROM results", ["nope", "Binder Error"]),
        ("SELEC threat FROM results", ["syntax error", "SELEC"]),
        (f"SELECT {SPEED} FROM results", ["double quotes"]),
        ("SELECT * FROM nowhere", ["nowhere", "Catalog Error"]),
    ],
)
def test_bad_sql_is_a_user_error(store_dir, sql, words):
    result = cli(store_dir, "--sql", sql)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stdout == ""
    err = result.stderr
    assert err.startswith("error: the SQL failed:") and len(err.splitlines()) == 1
    assert f"SQL: {sql}" in err
    for w in words:
        assert w in err, (w, err)


@pytest.mark.parametrize("kind", ["empty", "missing", "file"])
def test_not_a_store(tmp_path, kind):
    path = tmp_path / kind
    if kind == "empty":
        path.mkdir()
    elif kind == "file":
        path.write_text("x")
    result = cli(path)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert str(path) in result.stderr and "parts/" in result.stderr and "store/" in result.stderr
    assert not (tmp_path / "empty" / "parts").exists()  # looking creates nothing
    with pytest.raises(InputError):
        find_store(path)


def test_csv_needs_sql(store_dir, tmp_path):
    result = cli(store_dir, "--csv", tmp_path / "x.csv")
    assert result.exit_code == 1 and "--csv needs --sql" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_empty_store(tmp_path):
    ResultStore(tmp_path / "s")  # parts/ only: no runs, no rows
    ov = json.loads(_ok(cli(tmp_path / "s", "--json")).stdout)
    assert ov["runs"] == [] and ov["rows"] == 0 and ov["parts"] == 0
    assert ov["p_feasible"] is None
    assert "0 rows in 0 part files" in _ok(cli(tmp_path / "s")).stdout


def test_help_teaches(store_dir):
    out = _ok(RUNNER.invoke(app, ["results", "--help"])).stdout
    for text in ("DIR", "store/", "runs.parquet", "results", "runs", "double quotes"):
        assert text in out, text
    assert '"interceptor:sm-3-iia.burnout_speed"' in out
    assert out.count("bmdsim results runs/europe-2016") >= 2


def test_overview_reports_missing_samples_of_an_unfinished_run(tmp_path):
    store = run_sweep(toy_engagements, 64, chunk_size=CHUNK, store=tmp_path / "s", seed=SEED)
    store.start_run(seed=SEED, n_samples=N, chunk_size=CHUNK, executor="local")  # never ends
    ov = json.loads(_ok(cli(tmp_path / "s", "--json")).stdout)
    assert [r["status"] for r in ov["runs"]] == ["complete", "running"]
    assert ov["runs"][1]["end"] is None
    assert ov["missing_ranges"] == [[64, N]] and ov["samples"] == 64
    out = _ok(cli(tmp_path / "s")).stdout
    assert f"missing: {N - 64} samples of the last run in 1 range ([64, {N}))" in out
