"""What the web app does not let a request do: read files, write files, run long.

* Scenario text (an upload, or YAML in a request) is size-limited, must not name a
  vehicle file (a path would make the server read a file of its choosing), and is
  validated with the scenario schema; problems come back with line and field.
* SQL over a results store is one read-only ``SELECT``, on the store's own read-only
  DuckDB connection (``sweep.query.connect``: the store's views only,
  ``enable_external_access`` off, the configuration locked), cut off after ``timeout_s``
  and ``max_rows``.
* Run ids are the server's own (hex), so a path built from one stays in the data folder.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from bmdsim.errors import InputError, ScenarioError

__all__ = [
    "MAX_SCENARIO_BYTES",
    "ScenarioProblems",
    "check_run_id",
    "read_only_query",
    "scenario_problems",
    "validate_scenario_text",
]

MAX_SCENARIO_BYTES = 200_000
RUN_ID = re.compile(r"^[0-9a-f]{12}$")
_LINE = re.compile(r"^(?P<label>.*?):(?P<line>\d+): (?P<message>.*)$")


@dataclass
class ScenarioProblems(Exception):
    """A scenario that does not validate: ``problems`` = [{line, field, message}]."""

    problems: list[dict]

    def __str__(self) -> str:
        return "; ".join(
            f"line {p['line']}: {p['message']}" if p["line"] else p["message"]
            for p in self.problems
        )


def check_run_id(run_id: str) -> str:
    if not RUN_ID.match(run_id or ""):
        raise InputError(f"no run {run_id!r}", field="run_id", value=run_id, allowed="a run id")
    return run_id


def _file_references(text: str) -> list[dict]:
    """Every string in the YAML that names a vehicle file (``*.yaml``, ``*.yml``), with
    its line: the web app refuses them (docs/web.md)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    found: list[dict] = []

    def walk(node, path):
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                line = None
                try:
                    line = node.lc.key(key)[0] + 1
                except (KeyError, TypeError, AttributeError):
                    pass
                here = f"{path}.{key}" if path else str(key)
                if isinstance(value, str) and value.strip().lower().endswith((".yaml", ".yml")):
                    found.append(
                        {
                            "line": line,
                            "field": here,
                            "message": f"{here}: vehicle files ({value!r}) cannot be used in "
                            "the web app; use a catalogue missile id, or run the file with "
                            "`bmdsim run` on the command line",
                        }
                    )
                walk(value, here)
        elif isinstance(node, CommentedSeq):
            for i, value in enumerate(node):
                here = f"{path}[{i}]"
                if isinstance(value, str) and value.strip().lower().endswith((".yaml", ".yml")):
                    line = None
                    try:
                        line = node.lc.item(i)[0] + 1
                    except (KeyError, TypeError, AttributeError, IndexError):
                        pass
                    found.append(
                        {
                            "line": line,
                            "field": here,
                            "message": f"{here}: vehicle files cannot be used in the web app",
                        }
                    )
                walk(value, here)

    try:
        walk(YAML(typ="rt").load(text), "")
    except Exception:  # a YAML syntax error: the scenario parser reports it with its line
        return []
    return found


def scenario_problems(exc: ScenarioError) -> list[dict]:
    """A ScenarioError's lines ("LABEL:LINE: message") as [{line, field, message}]."""
    out = []
    lines = [ln for ln in str(exc).splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        m = _LINE.match(ln)
        out.append(
            {
                "line": int(m["line"]) if m else None,
                "field": exc.field if i == 0 else None,
                "message": m["message"] if m else ln,
            }
        )
    return out or [{"line": None, "field": exc.field, "message": str(exc)}]


def validate_scenario_text(data: bytes | str, *, label: str, base_dir: Path):
    """Parse uploaded scenario text into a ``Scenario``, or raise ``ScenarioProblems``."""
    from bmdsim.scenario import parse_scenario

    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ScenarioProblems(
            [
                {
                    "line": None,
                    "field": "file",
                    "message": f"the scenario is {len(raw):,} bytes; at most "
                    f"{MAX_SCENARIO_BYTES:,} are allowed",
                }
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioProblems(
            [{"line": None, "field": "file", "message": f"not UTF-8 text ({exc.reason})"}]
        ) from None
    refs = _file_references(text)
    if refs:
        raise ScenarioProblems(refs)
    try:
        return parse_scenario(text, label=label, base_dir=base_dir)
    except ScenarioError as exc:
        raise ScenarioProblems(scenario_problems(exc)) from None


def read_only_query(store, sql: str, *, max_rows: int, timeout_s: float = 20.0):
    """(columns, rows as tuples, truncated) of one SELECT over ``store``'s views, which
    may read nothing outside the store's folder."""
    import duckdb

    # The store's own connection is the read-only door of ``bmdsim results --sql``
    # (sweep.query.connect): the store's views only, external access off, a memory limit,
    # and its configuration locked, so a query can neither read files nor unlock it.
    con = store.connect()
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise InputError(
                f"the SQL does not parse: {' '.join(str(exc).split())}",
                field="sql",
                value=sql,
                allowed="one SELECT over the views results and runs",
            ) from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise InputError(
                "only one read-only SELECT statement is allowed",
                field="sql",
                value=sql,
                allowed="one SELECT over the views results and runs",
            )
        timer = threading.Timer(timeout_s, con.interrupt)
        timer.start()
        try:
            cur = con.execute(sql)
            columns = [d[0] for d in cur.description]
            rows = cur.fetchmany(max_rows + 1)
        except duckdb.InterruptException:
            raise InputError(
                f"the query ran longer than {timeout_s:g} s and was stopped",
                field="sql",
                value=sql,
                allowed=f"a query that finishes within {timeout_s:g} s",
            ) from None
        except duckdb.Error as exc:
            raise InputError(
                f"the SQL failed: {' '.join(str(exc).split())}",
                field="sql",
                value=sql,
                allowed="one SELECT over the views results and runs",
            ) from None
        finally:
            timer.cancel()
        return columns, rows[:max_rows], len(rows) > max_rows
    finally:
        con.close()
