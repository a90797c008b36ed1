"""One self-contained, offline HTML report: sections of text, figures and tables, the
scenario, the user overrides and a numbered bibliography of every source used.

Nothing in the file is loaded from elsewhere: figures are PNG ``data:`` URIs, the CSS
is inline, there are no scripts and no web fonts, so the report opens the same way on a
machine with no network and can be mailed as one file. The only web addresses in it are
the sources' URLs in the bibliography, as links that a reader may follow.

The page is rendered by jinja2 from ``templates/report.html.j2`` with autoescaping on:
text from scenarios, catalogues and tables is escaped, never taken as markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = [
    "ReportSection",
    "ReportFigure",
    "ReportTable",
    "ReportOverride",
    "write_report",
    "render_report",
    "catalogue_sources_for",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURE_DPI = 150
TEMPLATE = "report.html.j2"


@dataclass
class ReportFigure:
    """A figure with a caption: a matplotlib ``Figure``, a PNG file, or PNG bytes."""

    figure: Any
    caption: str | None = None


@dataclass
class ReportTable:
    """A table with a caption: a pandas ``DataFrame`` or a list of dicts (the keys of
    the first row, then any new ones, are the columns)."""

    table: Any
    caption: str | None = None


@dataclass
class ReportSection:
    """One section of the report.

    ``text``: plain text, paragraphs separated by blank lines. ``figures``: matplotlib
    Figures, PNG paths, PNG bytes, ``(figure, caption)`` pairs or ``ReportFigure``s
    (without a caption, a Figure's suptitle or first axes title is used). ``tables``:
    DataFrames, lists of dicts, ``(table, caption)`` pairs or ``ReportTable``s.
    ``notes``: short remarks shown after the section, in a smaller type. ``answer``:
    the section's answer in words, shown first, with ``caveats`` (the assumptions that
    decide it) beside it.
    """

    title: str
    text: str | None = None
    answer: str | None = None
    caveats: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class ReportOverride:
    """A number the user set instead of the catalogue's cited default.

    ``name`` says what it is (e.g. "iskander-m burnout speed"), ``value`` the value used,
    ``default`` the cited default it replaces (None when the entry is new), ``unit``
    their unit, ``source`` the id of the default's source (linked to the bibliography
    when listed there) and ``origin`` where the user value came from (a file, a flag).
    """

    name: str
    value: Any
    default: Any = None
    unit: str = ""
    source: str | None = None
    origin: str | None = None


# ---------------------------------------------------------------------------------------
# values to text


def format_number(x) -> str:
    """A number for a table or an override: integers with thousands separators, other
    numbers to 4 significant figures (trailing zeros dropped) without exponent between
    1e-4 and 1e15; NaN and None as an em dash, booleans as yes/no."""
    if x is None:
        return "\u2014"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}"
    if isinstance(x, numbers.Real):
        x = float(x)
        if not math.isfinite(x):
            return "\u2014" if math.isnan(x) else ("\u221e" if x > 0 else "\u2212\u221e")
        if x == int(x) and abs(x) < 1e15:
            return f"{int(x):,}"
        ax = abs(x)
        if ax < 1e-4 or ax >= 1e15:
            return f"{x:.3e}"
        decimals = max(0, 3 - math.floor(math.log10(ax)))
        text = f"{x:,.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(x)


def _is_number(x) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


def _cell(x) -> str:
    try:
        import pandas as pd

        if x is not None and not isinstance(x, (list, tuple, dict)) and pd.isna(x):
            return "\u2014"
    except (TypeError, ValueError):
        pass
    if isinstance(x, (dt.datetime, dt.date)):
        return x.isoformat()
    if isinstance(x, bool) or getattr(getattr(x, "dtype", None), "kind", None) == "b":
        return format_number(bool(x))  # bool or numpy.bool_: yes / no
    return format_number(x) if _is_number(x) or x is None else str(x)


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n")]
    return [" ".join(line.strip() for line in b.splitlines()) for b in blocks if b]


# ---------------------------------------------------------------------------------------
# figures


def _figure_caption(fig) -> str | None:
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        return sup.get_text().strip()
    for ax in getattr(fig, "axes", []):
        for loc in ("center", "left", "right"):
            title = ax.get_title(loc=loc).strip()
            if title:
                return title
    return None


def _png_bytes(obj) -> tuple[bytes, str | None]:
    """PNG bytes and a fallback caption from a Figure, a path or bytes."""
    if hasattr(obj, "savefig"):
        buf = io.BytesIO()
        # No "Software" chunk: the PNG holds nothing but the picture.
        from bmdsim.output.plots import plain_text

        plain_text(obj).savefig(buf, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
        return buf.getvalue(), _figure_caption(obj)
    if isinstance(obj, (bytes, bytearray)):
        data, caption = bytes(obj), None
    else:
        path = Path(obj)
        data, caption = path.read_bytes(), path.stem.replace("_", " ").replace("-", " ")
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(
            f"report figures must be matplotlib Figures or PNG images; {obj!r} is not a PNG"
        )
    return data, caption


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from the PNG header (IHDR)."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _figure(item, number: int) -> dict:
    caption = None
    if isinstance(item, ReportFigure):
        item, caption = item.figure, item.caption
    elif isinstance(item, tuple) and len(item) == 2:
        item, caption = item
    data, fallback = _png_bytes(item)
    width, height = _png_size(data)
    # shown at the figure's size in points (150 dpi -> half size): crisp on HiDPI screens
    scale = 96.0 / FIGURE_DPI
    return {
        "number": number,
        "caption": caption or fallback or "",
        "src": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
        "width": round(width * scale),
        "height": round(height * scale),
    }


# ---------------------------------------------------------------------------------------
# tables


def _table_rows(table) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows of raw values from a DataFrame or a list of dicts."""
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        df = table
        idx = df.index
        if not (idx.name is None and all(n is None for n in idx.names) and _default_index(idx)):
            df = df.reset_index()
        columns = [str(c) for c in df.columns]
        rows = [list(r) for r in df.itertuples(index=False, name=None)]
        return columns, rows
    rows_in = list(table)
    columns: list[str] = []
    for row in rows_in:
        if not isinstance(row, Mapping):
            raise TypeError(f"table rows must be dicts, got {type(row).__name__}")
        for k in row:
            if str(k) not in columns:
                columns.append(str(k))
    rows = [[{str(k): v for k, v in r.items()}.get(c) for c in columns] for r in rows_in]
    return columns, rows


def _default_index(idx) -> bool:
    try:
        import pandas as pd

        return isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1
    except ImportError:  # pragma: no cover
        return True


def _table(item, number: int) -> dict:
    caption = None
    if isinstance(item, ReportTable):
        item, caption = item.table, item.caption
    elif isinstance(item, tuple) and len(item) == 2:
        item, caption = item
    columns, rows = _table_rows(item)
    numeric = []
    for j in range(len(columns)):
        values = [r[j] for r in rows if r[j] is not None and _cell(r[j]) != "\u2014"]
        numeric.append(bool(values) and all(_is_number(v) for v in values))
    return {
        "number": number,
        "caption": caption or "",
        "columns": [{"name": c, "numeric": numeric[j]} for j, c in enumerate(columns)],
        "rows": [[_cell(v) for v in r] for r in rows],
    }


# ---------------------------------------------------------------------------------------
# sources and overrides


def _get(obj, name, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _web_url(url) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def _bibliography(sources) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for src in sources:
        sid = str(_get(src, "id"))
        if sid in seen:
            continue
        seen.add(sid)
        url = _get(src, "url")
        out.append(
            {
                "number": len(out) + 1,
                "id": sid,
                "anchor": "src-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in sid),
                "author": _get(src, "author"),
                "title": _get(src, "title") or sid,
                "year": _get(src, "year"),
                "url": url,
                "link": _web_url(url),
                "accessed": _get(src, "accessed"),
                "note": _get(src, "note"),
            }
        )
    return out


def _value_text(value, unit: str) -> str:
    if value is None:
        return "\u2014"
    text = format_number(value) if _is_number(value) else str(value)
    return f"{text} {unit}".strip()


def _override(item, numbers_by_id: dict[str, dict]) -> dict:
    if isinstance(item, ReportOverride) or _get(item, "value", None) is not None:
        name = _get(item, "name") or "?"
        unit = _get(item, "unit") or ""
        default = _get(item, "default")
        source = _get(item, "source")
        origin = _get(item, "origin")
        value = _value_text(_get(item, "value"), unit)
        default_text = _value_text(default, unit) if default is not None else "none (new entry)"
    else:  # a catalogue Override(kind, id, file): a whole entry replaced by a user file
        kind, eid = _get(item, "kind"), _get(item, "id")
        name = f"{kind} {eid}"
        source = None
        origin = _get(item, "file")
        value = "user entry"
        default_text = "the shipped catalogue entry"
    ref = numbers_by_id.get(str(source)) if source is not None else None
    return {
        "name": name,
        "value": value,
        "default": default_text,
        "source": None if source is None else str(source),
        "ref": ref,
        "origin": origin,
    }


def catalogue_sources_for(catalogue, entries: Iterable) -> list:
    """The sources of every catalogue entry in ``entries``, each once, in the order
    first cited: entries are catalogue models (``Missile``, ``Site``, ``Interceptor``,
    ``Radar``, ...) or ``(kind, name)`` pairs looked up in ``catalogue``. Uses
    ``catalogue.sources_for(entry)`` (a missile's Cd table's sources included)."""
    out: list = []
    seen: set[str] = set()
    for entry in entries:
        if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str):
            entry = catalogue.lookup(*entry)
        for src in catalogue.sources_for(entry):
            if src.id not in seen:
                seen.add(src.id)
                out.append(src)
    return out


# ---------------------------------------------------------------------------------------
# rendering


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("bmdsim.output", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(
    *,
    title: str,
    scenario_text: str | None = None,
    sections: Iterable[ReportSection] = (),
    sources: Iterable = (),
    overrides: Iterable = (),
    generated_by: str,
    generated_at: dt.datetime | str | None = None,
) -> str:
    """The report's HTML as text (what :func:`write_report` writes)."""
    bibliography = _bibliography(sources)
    by_id = {b["id"]: b for b in bibliography}
    fig_no = tab_no = 0
    rendered = []
    for k, sec in enumerate(sections, start=1):
        figures, tables = [], []
        for item in sec.figures:
            fig_no += 1
            figures.append(_figure(item, fig_no))
        for item in sec.tables:
            tab_no += 1
            tables.append(_table(item, tab_no))
        rendered.append(
            {
                "anchor": f"section-{k}",
                "title": sec.title,
                "paragraphs": _paragraphs(sec.text),
                "figures": figures,
                "tables": tables,
                "notes": [str(n) for n in (sec.notes or [])],
                "answer": None if sec.answer is None else str(sec.answer),
                "caveats": [str(c) for c in (sec.caveats or [])],
            }
        )
    findings = [
        {"anchor": r["anchor"], "title": r["title"], "answer": r["answer"], "caveats": r["caveats"]}
        for r in rendered
        if r["answer"]
    ]
    if isinstance(generated_at, dt.datetime):
        generated_at = generated_at.isoformat(timespec="seconds")
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            scenario_text=scenario_text,
            sections=rendered,
            findings=findings,
            bibliography=bibliography,
            overrides=[_override(o, by_id) for o in overrides],
            generated_by=generated_by,
            generated_at=generated_at,
        )
    )


def write_report(
    path,
    *,
    title: str,
    scenario_text: str | None = None,
    sections: Iterable[ReportSection] = (),
    sources: Iterable = (),
    overrides: Iterable = (),
    generated_by: str,
    generated_at: dt.datetime | str | None = None,
) -> Path:
    """Write one self-contained HTML report to ``path``; returns the path.

    ``title`` heads the page, then a findings box with each section's ``answer`` and its
    caveats (linked to the section); ``scenario_text`` (e.g. the scenario YAML) is shown
    verbatim in an appendix at the end; ``sections`` are :class:`ReportSection`s, with
    figures numbered and tables numbered across the report; ``sources`` (catalogue
    ``Source`` objects or dicts with ``id, title, author, year, url, accessed, note``)
    become a numbered bibliography, each id once, in the order given;
    ``overrides`` (:class:`ReportOverride`, dicts with the same fields, or the
    catalogue's ``Override(kind, id, file)`` records) are listed as "user value (cited
    default: ... [n])"; ``generated_by`` (e.g. "bmdsim 0.1.0") and the optional
    ``generated_at`` go in the header. Nothing is fetched when the file is opened.
    """
    text = render_report(
        title=title,
        scenario_text=scenario_text,
        sections=sections,
        sources=sources,
        overrides=overrides,
        generated_by=generated_by,
        generated_at=generated_at,
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
