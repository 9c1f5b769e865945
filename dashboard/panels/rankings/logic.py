"""The rankings table: the view's entities with their metrics, and metric ranks.

Pure functions over the current view; also used by the details panel for
"betweenness 0.12 (#3 of 57)".

Examples
--------
>>> format_metric(3.0), format_metric(0.123456), format_metric(None)
('3', '0.123', '–')
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd

__all__ = [
    "METRICS",
    "UI_ONLY_STATE",
    "view_entities",
    "metric_ranks",
    "format_metric",
    "rankings_frame",
    "table_columns",
    "row_entity",
    "view_key",
    "filter_rows",
    "sort_rows",
    "table_page",
]

# (column, label); the order the panels list them in
METRICS: list[tuple[str, str]] = [
    ("degree", "degree"),
    ("weighted_degree", "weighted degree"),
    ("betweenness", "betweenness"),
    ("eigenvector", "eigenvector"),
    ("pagerank", "PageRank"),
]

# state keys that change what is highlighted or shown, not which entities are in the view
UI_ONLY_STATE = frozenset({"selected", "page", "size_by", "color_by", "time_axis", "path"})


def view_entities(view) -> pd.DataFrame:
    """Return the view's entity frame with an ``entity_id`` column and a fresh index.

    Accepts frames that carry the id as a column or as the index.
    """
    frame = view.entities
    if "entity_id" not in frame.columns:
        frame = frame.rename_axis("entity_id").reset_index()
    return frame.reset_index(drop=True)


def metric_ranks(frame: pd.DataFrame, metrics=None) -> pd.DataFrame:
    """Rank each metric column, 1 for the highest value; ties share the best rank.

    Returns a frame aligned with ``frame`` holding one integer column per metric present.
    """
    metrics = [m for m, _ in METRICS] if metrics is None else list(metrics)
    ranks = {}
    for m in metrics:
        if m in frame.columns:
            values = pd.to_numeric(frame[m], errors="coerce")
            ranks[m] = values.rank(ascending=False, method="min", na_option="bottom").astype("Int64")
    return pd.DataFrame(ranks, index=frame.index)


def format_metric(value) -> str:
    """Format a metric for display: integers plainly, small floats to three significant digits."""
    if value is None:
        return "–"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(value):
        return "–"
    if value.is_integer() and abs(value) >= 1:
        return str(int(value))
    if value == 0:
        return "0"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.3f}".rstrip("0").rstrip(".")


def rankings_frame(view, sort_by: str = "pagerank") -> pd.DataFrame:
    """Return the rows of the rankings table for ``view``.

    Columns are ``id`` (the entity id, so a table's ``active_cell`` carries it as
    ``row_id``), ``name``, ``type``, ``community``, the metrics of :data:`METRICS`
    (floats rounded to 4 decimals) and ``n_passages`` when known; sorted by
    ``sort_by`` (descending), then name (equal rows keep the view's order).
    """
    ents = view.entities if "entity_id" in view.entities.columns else view_entities(view)
    metrics = dict(METRICS)
    cols = ["entity_id", "name", "type", "community"] + [m for m in metrics if m in ents.columns]
    if "n_passages" in ents.columns:
        cols.append("n_passages")
    cols = [c for c in cols if c in ents.columns]
    key = sort_by if sort_by in cols else ("pagerank" if "pagerank" in cols else "name")
    columns = {}
    for c in cols:
        if c in metrics and c != "degree":
            col = ents[c]
            columns[c] = (np.round(col.to_numpy(), 4) if col.dtype == np.float64
                          else pd.to_numeric(col, errors="coerce").round(4).to_numpy())
        else:
            columns[c] = ents[c].array
    order = _rank_order(ents["name"].to_numpy(dtype=object),
                        None if key == "name" else np.asarray(columns[key], dtype=float))
    out = {("id" if c == "entity_id" else c): pd.Series(v.take(order), dtype=v.dtype, copy=False)
           for c, v in columns.items()}  # dtypes kept: a column of Python strings stays one
    return pd.DataFrame(out, copy=False)


def _rank_order(names: np.ndarray, values: np.ndarray | None) -> np.ndarray:
    """Row order of the rankings: ``values`` descending (missing last), then ``names``
    ascending, then the rows' own order."""
    try:
        by_name = np.argsort(names, kind="stable")
    except TypeError:  # a missing name among the strings: order names as text, missing last
        by_name = np.lexsort((np.array([str(n) for n in names], dtype=object), pd.isna(names)))
    if values is None:
        return by_name
    name_rank = np.empty(len(names), dtype=np.int64)
    name_rank[by_name] = np.arange(len(names))
    return np.lexsort((name_rank, -values))


def table_columns(frame: pd.DataFrame, approximate: bool = False) -> list[dict]:
    """Return DataTable column definitions (plain dicts) for a :func:`rankings_frame`."""
    labels = {"name": "name", "type": "type", "community": "community", "n_passages": "passages"}
    labels.update(dict(METRICS))
    if approximate:
        labels["betweenness"] = "betweenness (approx.)"
    cols = []
    for c in frame.columns:
        if c == "id":
            continue
        col = {"name": labels.get(c, c), "id": c}
        if c in dict(METRICS) or c in ("community", "n_passages"):
            col["type"] = "numeric"
        cols.append(col)
    return cols


def row_entity(active_cell, rows) -> str | None:
    """Return the entity id of the row a DataTable ``active_cell`` points at.

    Uses ``row_id`` (set when rows carry an ``id``), which stays right when the table
    is sorted or filtered; falls back to the row index into ``rows``.
    """
    if not isinstance(active_cell, dict):
        return None
    if active_cell.get("row_id") is not None:
        return str(active_cell["row_id"])
    row = active_cell.get("row")
    if isinstance(row, int) and rows and 0 <= row < len(rows):
        value = rows[row].get("id")
        return None if value is None else str(value)
    return None


def view_key(state) -> str:
    """Return a string that changes only when the view-defining part of ``state`` changes."""
    if not isinstance(state, dict):
        return ""
    return json.dumps({k: v for k, v in state.items() if k not in UI_ONLY_STATE}, sort_keys=True, default=str)


# one clause of a DataTable filter query: ``{column} operator value`` (the table joins clauses
# with `` && ``); word operators may carry an ``s`` (case-sensitive) or ``i`` (insensitive) prefix
_CLAUSE = re.compile(
    r"^\s*\{(?P<col>[^}]+)\}\s*(?P<op>[si]?(?:contains|eq|ne|lt|le|gt|ge|datestartswith)\b|>=|<=|!=|=|<|>)\s*(?P<val>.*?)\s*$"
)
_SYMBOLS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        return value[1:-1]
    return value


def filter_rows(frame: pd.DataFrame, query: str | None) -> pd.DataFrame:
    """Rows of ``frame`` matching a DataTable ``filter_query`` (as ``filter_action="custom"`` sends it).

    Supports what the table's header filters produce: ``contains`` (``icontains``/``scontains``),
    ``datestartswith`` and comparisons (``= != < <= > >=`` or ``eq ne lt le gt ge``), numeric for
    numeric columns. Text comparisons ignore case unless the operator says ``s``. A clause that
    names an unknown column or does not parse is ignored, as the table shows it as invalid.

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["Abu Mahdi", "Qais"], "degree": [3, 9]})
    >>> filter_rows(f, '{name} icontains "abu"')["name"].tolist()
    ['Abu Mahdi']
    >>> filter_rows(f, "{degree} > 5 && {name} icontains q")["name"].tolist()
    ['Qais']
    """
    if not isinstance(query, str) or not query.strip():
        return frame
    mask = pd.Series(True, index=frame.index)
    for part in query.split(" && "):
        m = _CLAUSE.match(part)
        if not m or m["col"] not in frame.columns:
            continue
        col, op, value = frame[m["col"]], m["op"], _unquote(m["val"])
        sensitive = op.startswith("s")
        op = op[1:] if op[:1] in ("s", "i") and op[1:] in {*_SYMBOLS, "contains", "datestartswith"} else op
        op = _SYMBOLS.get(op, op)
        numeric = pd.api.types.is_numeric_dtype(col)
        if op in ("contains", "datestartswith"):
            text = col.astype(str)
            hit = (text.str.contains(value, case=sensitive, regex=False) if op == "contains"
                   else text.str.startswith(value))
        elif numeric:
            try:
                number = float(value)
            except ValueError:
                continue
            hit = {"=": col == number, "!=": col != number, "<": col < number, "<=": col <= number,
                   ">": col > number, ">=": col >= number}[op]
        else:
            text = col.astype(str) if sensitive else col.astype(str).str.casefold()
            value = value if sensitive else value.casefold()
            hit = {"=": text == value, "!=": text != value, "<": text < value, "<=": text <= value,
                   ">": text > value, ">=": text >= value}[op]
        mask &= hit.fillna(False).astype(bool)
    return frame[mask]


def sort_rows(frame: pd.DataFrame, sort_by) -> pd.DataFrame:
    """``frame`` sorted as a DataTable ``sort_by`` asks (``[{"column_id", "direction"}]``), name
    breaking ties; an empty or unknown ``sort_by`` keeps the frame's order."""
    if not isinstance(sort_by, list) or not sort_by or not isinstance(sort_by[0], dict):
        return frame
    col, direction = sort_by[0].get("column_id"), sort_by[0].get("direction")
    if not isinstance(col, str) or col not in frame.columns:
        return frame
    keys = [col] + (["name"] if col != "name" and "name" in frame.columns else [])
    return frame.sort_values(keys, ascending=[direction == "asc"] + [True] * (len(keys) - 1),
                             kind="mergesort", na_position="last")


def table_page(frame: pd.DataFrame, page: int | None, page_size: int, query=None, sort_by=None) -> dict:
    """One page of a rankings frame, filtered and sorted on the server.

    Returns
    -------
    dict
        ``rows`` (records of the page), ``page`` (0-based, clamped), ``page_count`` and
        ``matching`` (rows passing the filter).
    """
    rows = sort_rows(filter_rows(frame, query), sort_by)
    size = max(int(page_size), 1)
    count = max(1, math.ceil(len(rows) / size))
    try:
        page = int(page or 0)
    except (TypeError, ValueError, OverflowError):
        page = 0  # whatever a forged request sends, a page is shown
    page = min(max(page, 0), count - 1)
    chunk = rows.iloc[page * size : (page + 1) * size]
    return {"rows": _records(chunk), "page": page, "page_count": count, "matching": len(rows)}


def _records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")`` from one ``tolist`` per column (the same Python values:
    numpy and Arrow columns convert to ``int``, ``float``, ``str``, ``bool``), a third of
    its cost; frames with other column types go through ``to_dict``."""
    if not all(isinstance(t, np.dtype) and t.kind in "biuf" or isinstance(t, pd.StringDtype) for t in frame.dtypes):
        return frame.to_dict("records")
    cols = list(frame.columns)
    return [dict(zip(cols, row)) for row in zip(*(frame[c].tolist() for c in cols))]
