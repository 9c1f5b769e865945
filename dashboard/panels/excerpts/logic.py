"""Which passages stand behind the selection, and how each is described.

Pure functions: tables and the current view in, lists of plain dicts out. The layout
turns an item into a card; nothing here knows about Dash.

Examples
--------
>>> format_period("2007-03-01", "2007-03-31", "month")
'Mar 2007'
>>> format_period("2004-01-01", "2006-12-31", "year")
'2004–2006'
>>> format_period("2007-03-20", "2007-03-20", "day")
'20 Mar 2007'
>>> format_period(None, None, None)
'undated'
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np

from dashboard.panels.arraysets import intersect, union
from dashboard.panels.highlight import is_http_url, segments
from dashboard.panels.index import cached, data_index, pair_key
from dashboard.panels.rows import passage_rows, view_evidence_strength, view_passage_mask

__all__ = [
    "CLAIM_LABELS",
    "CLAIM_COLORS",
    "format_date",
    "format_period",
    "format_loose_date",
    "format_span",
    "infer_precision",
    "passage_ids_for_selection",
    "selected_entities",
    "passages_for_selection",
    "passage_items",
    "clamp_page",
    "page_count",
]

CLAIM_LABELS = {
    "reports": "interrogation reports",
    "analysis": "analysis",
    "official": "official statement",
    "background": "background",
}

# Okabe–Ito colours: distinct for colour-blind readers too; the legend names each class
CLAIM_COLORS = {
    "reports": "#0072B2",
    "analysis": "#D55E00",
    "official": "#009E73",
    "background": "#CC79A7",
}

_MONTHS = [calendar.month_abbr[i] for i in range(13)]


def _parse(iso) -> date | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def infer_precision(start: str | None, end: str | None) -> str:
    """Guess ``day``/``month``/``year`` from how an interval's ends fall on calendar bounds."""
    a, b = _parse(start), _parse(end) or _parse(start)
    if a is None or b is None:
        return "day"
    if a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31:
        return "year"
    if a.day == 1 and b.day == calendar.monthrange(b.year, b.month)[1]:
        return "month"
    return "day"


def format_date(iso: str | None, precision: str | None = "day") -> str:
    """Format one ISO date at ``precision``: ``'20 Mar 2007'``, ``'Mar 2007'`` or ``'2007'``."""
    d = _parse(iso)
    if d is None:
        return ""
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{_MONTHS[d.month]} {d.year}"
    return f"{d.day} {_MONTHS[d.month]} {d.year}"


def format_loose_date(iso: str | None, end: bool = False) -> str:
    """Format a date whose precision was not recorded, never claiming more than it may have.

    Partial dates are stored as their first day (``2013-01`` → ``2013-01-01``) or, as
    period ends, their last; so a first of January shows as the year, a first of the month
    as the month (for ``end``: 31 December and month ends). A real first of the month
    loses its day, which is less precise but not wrong.
    """
    d = _parse(iso)
    if d is None:
        return ""
    if end:
        if (d.month, d.day) == (12, 31):
            return format_date(iso, "year")
        if d.day == calendar.monthrange(d.year, d.month)[1]:
            return format_date(iso, "month")
        return format_date(iso)
    if (d.month, d.day) == (1, 1):
        return format_date(iso, "year")
    if d.day == 1:
        return format_date(iso, "month")
    return format_date(iso)


def format_span(first: str | None, last: str | None) -> str:
    """Format the span of several pieces of evidence (first start … last end), loosely.

    Examples
    --------
    >>> format_span("1974-01-01", "2020-01-03")
    '1974 – 3 Jan 2020'
    >>> format_span("2007-03-20", "2007-03-20")
    '20 Mar 2007'
    """
    a, b = format_loose_date(first), format_loose_date(last, end=True)
    if not a and not b:
        return "undated"
    if first == last:
        return format_date(first)
    if not a:
        return "until " + b
    if not b or a == b:
        return a
    return f"{a} – {b}"


def format_period(start: str | None, end: str | None, precision: str | None = None) -> str:
    """Format an event period with the precision the source gave.

    Parameters
    ----------
    start, end : str or None
        ISO dates bounding the period (``end`` may be missing for a single date).
    precision : {"day", "month", "year"} or None
        How precise the source was; inferred from the bounds when missing.

    Returns
    -------
    str
        ``'undated'``, a single date (``'Mar 2007'``) or a range (``'2004–2006'``,
        ``'Nov 2006–Feb 2007'``, ``'20–22 Mar 2007'``).
    """
    a, b = _parse(start), _parse(end)
    if a is None and b is None:
        return "undated"
    if a is None:
        return "until " + format_date(end, precision or "day")
    if b is None:
        b = a
    if precision not in ("day", "month", "year"):
        precision = infer_precision(start, end)
    if b < a:
        a, b = b, a
    if precision == "year":
        return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
    if precision == "month":
        if (a.year, a.month) == (b.year, b.month):
            return f"{_MONTHS[a.month]} {a.year}"
        if a.year == b.year:
            return f"{_MONTHS[a.month]}–{_MONTHS[b.month]} {a.year}"
        return f"{_MONTHS[a.month]} {a.year}–{_MONTHS[b.month]} {b.year}"
    if a == b:
        return format_date(a.isoformat())
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {_MONTHS[a.month]} {a.year}"
    return f"{format_date(a.isoformat())} – {format_date(b.isoformat())}"


def page_count(total: int, page_size: int) -> int:
    """Number of pages needed for ``total`` items (at least 1)."""
    page_size = max(int(page_size or 1), 1)
    return max((int(total) + page_size - 1) // page_size, 1)


def clamp_page(page, total: int, page_size: int) -> int:
    """Return ``page`` as a valid 1-based page number for ``total`` items."""
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    return min(max(page, 1), page_count(total, page_size))


def _pair(selected) -> tuple[str, str] | None:
    if isinstance(selected, dict) and selected.get("type") == "edge":
        a, b = selected.get("source"), selected.get("target")
        if a is not None and b is not None:
            return str(a), str(b)
    return None


def _node(selected) -> str | None:
    if isinstance(selected, dict) and selected.get("type") == "node" and selected.get("id") is not None:
        return str(selected["id"])
    return None


def selected_entities(selected) -> list[str]:
    """Entity ids named by a selection dict (none, one node, or the two ends of an edge)."""
    pair = _pair(selected)
    if pair:
        return list(pair)
    node = _node(selected)
    return [node] if node else []


def _selection_rows(data, view, selected) -> tuple[np.ndarray, dict[str, list[dict]], str]:
    """:func:`passage_ids_for_selection` as sorted passage rows (see :mod:`dashboard.panels.rows`)."""
    P = passage_rows(data)
    allowed = view_passage_mask(data, view)
    pair = _pair(selected)
    node = _node(selected)
    if pair:
        a, b = pair
        relations: dict[str, list[dict]] = {}
        typed = data_index(data).pair_relations.get(pair_key(a, b), [])
        rows = P.index.get_indexer([pid for *_, pid in typed]) if typed else np.empty(0, dtype=np.int64)
        for (rel, s, t, pid), row in zip(typed, rows.tolist()):
            if row >= 0 and allowed[row]:
                relations.setdefault(pid, []).append({"relation": rel, "source": s, "target": t})
        shared = intersect(P.rows_of(a), P.rows_of(b))
        found = union(shared[allowed[shared]], rows[rows >= 0][allowed[rows[rows >= 0]]])
        return found, relations, "edge"
    if node:
        found = P.rows_of(node)
        return found[allowed[found]], {}, "node"
    return np.flatnonzero((view_evidence_strength(data, view) > 0) & allowed), {}, "overview"


def passage_ids_for_selection(data, view, selected) -> tuple[list[str], dict[str, list[dict]], str]:
    """Return the passages behind ``selected`` within the view, their typed relations, and the mode.

    Returns
    -------
    passage_ids : list of str
        Distinct passage ids (in the dataset's passage order).
    relations : dict
        ``passage_id -> [{"relation", "source", "target"}]`` for typed relations of
        the selected pair (empty for nodes and for the overview).
    mode : {"node", "edge", "overview"}
    """
    rows, relations, mode = _selection_rows(data, view, selected)
    return passage_rows(data).ids[rows].tolist(), relations, mode


def _ranks(data) -> tuple[dict, dict]:
    """Two orders of all passages, built once: by event date (undated last) and most recent first."""
    passages = data_index(data).passages

    def key(p):
        return (p.get("doc_id") or "", p.get("seq") or 0)

    by_doc = sorted(passages, key=lambda pid: key(passages[pid]))
    chrono = sorted(by_doc, key=lambda pid: (passages[pid].get("date_end") or ""))
    chrono.sort(key=lambda pid: (passages[pid].get("date_start") is None, passages[pid].get("date_start") or ""))
    recent = sorted(by_doc, key=lambda pid: passages[pid].get("date_start") or "", reverse=True)
    recent.sort(key=lambda pid: passages[pid].get("date_start") is None)
    return {pid: i for i, pid in enumerate(chrono)}, {pid: i for i, pid in enumerate(recent)}


def _rank_arrays(data) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_ranks` per passage row."""
    chrono, recent = _ranks(data)
    ids = passage_rows(data).ids.tolist()
    return (np.array([chrono.get(p, 0) for p in ids], dtype=np.int64),
            np.array([recent.get(p, 0) for p in ids], dtype=np.int64))


def _page_of(data, view, rows: np.ndarray, mode: str, page: int, page_size: int) -> list[str]:
    """The ids of one page, in display order (only the candidates are ordered, not every passage)."""
    chrono, recent = cached(data, "passage_rank_arrays", lambda: _rank_arrays(data))
    if mode == "overview":
        # the strongest evidence first: passages linking the most pairs, then the most recent
        order = np.lexsort((recent[rows], -view_evidence_strength(data, view)[rows]))
    else:
        order = np.argsort(chrono[rows], kind="stable")
    chunk = rows[order[(page - 1) * page_size : page * page_size]]
    return passage_rows(data).ids[chunk].tolist()


def passage_items(data, passage_ids, emphasized=(), relations=None) -> list[dict]:
    """Describe passages for display, in the order of ``passage_ids``.

    Each item has ``passage_id, doc_id, seq, page, title, publisher, url, url_is_http,
    published, published_label, period, date_start, date_end, claim_class, claim_label,
    segments, names, relations``; ``segments`` come from
    :func:`dashboard.panels.highlight.segments` with ``emphasized`` flagged, ``names``
    maps each mentioned entity id to its display name. Unknown ids are skipped.
    """
    dix = data_index(data)
    relations = relations or {}
    names = dix.names
    items = []
    for pid in passage_ids:
        p = dix.passages.get(pid)
        if p is None:
            continue
        doc = dix.documents.get(p["doc_id"], {})
        segs = segments(p["text"], dix.mentions.get(pid, ()), emphasized)
        ids = {s["entity_id"] for s in segs if s["entity_id"]}
        url = doc.get("url")
        claim = p.get("claim_class")
        items.append(
            {
                "passage_id": pid,
                "doc_id": p["doc_id"],
                "seq": None if p.get("seq") is None else int(p["seq"]),
                "page": None if p.get("page") is None else int(p["page"]),
                "title": doc.get("title") or str(p["doc_id"]),
                "publisher": doc.get("publisher"),
                "url": url,
                "url_is_http": is_http_url(url),
                "published": doc.get("published"),
                "published_label": format_loose_date(doc.get("published")),
                "period": format_period(p.get("date_start"), p.get("date_end"), p.get("date_precision")),
                "date_start": p.get("date_start"),
                "date_end": p.get("date_end"),
                "claim_class": claim,
                "claim_label": CLAIM_LABELS.get(claim, claim or "unclassified"),
                "segments": segs,
                "names": {e: str(names.get(e, e)) for e in sorted(ids)},
                "relations": [
                    {**r, "source_name": str(names.get(r["source"], r["source"])),
                     "target_name": str(names.get(r["target"], r["target"]))}
                    for r in relations.get(pid, [])
                ],
            }
        )
    return items


def passages_for_selection(data, view, selected, page: int = 1, page_size: int = 10) -> tuple[list[dict], int]:
    """Return one page of passage items behind ``selected`` and the total number of passages.

    Parameters
    ----------
    data : Tables
        The loaded dataset (documents, passages, mentions, entities, evidence).
    view : View
        The current filtered view; only its ``passage_ids`` are eligible.
    selected : dict or None
        ``None``, ``{"type": "node", "id": eid}`` or
        ``{"type": "edge", "source": a, "target": b}``.
    page, page_size : int
        1-based page (clamped to the valid range) and items per page.

    Returns
    -------
    items : list of dict
        See :func:`passage_items`. A node's passages mention it; an edge's passages
        mention both ends or carry a typed relation between them (``relations``).
        Sorted by event date, undated last; with nothing selected, the view's
        passages linking the most pairs come first (most recent first among equals).
    total : int
        Number of passages behind the selection (all pages).
    """
    rows, relations, mode = _selection_rows(data, view, selected)
    total = len(rows)
    if not total:
        return [], 0
    page = clamp_page(page, total, page_size)
    chunk = _page_of(data, view, rows, mode, page, max(int(page_size), 1))
    return passage_items(data, chunk, selected_entities(selected), relations), total
