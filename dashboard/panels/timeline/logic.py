"""The evidence timeline: passages over time in swimlanes, as a frame and a Plotly figure.

With an entity selected, the lanes are that entity and its strongest neighbours in the
view; with a link selected, its two ends and their strongest neighbours; with nothing
selected, one lane per entity type. Each passage is a marker at the midpoint of its
event period (a bar spans periods longer than a day), coloured by claim class. The
selection's evidence is drawn at full strength, the rest faded. The x axis is either
the event date (``passages.date_start..date_end``) or the report date
(``documents.published``), as ``state["time_axis"]`` says (``"event"``/``"published"``).

Pure: no Dash imports (Plotly figures are plain data), so exports can reuse it.
"""

from __future__ import annotations

import calendar
import html
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.panels.arraysets import distinct, distinct_inverse, member, union
from dashboard.panels.details.logic import neighbor_records
from dashboard.panels.excerpts.logic import (
    CLAIM_COLORS,
    CLAIM_LABELS,
    format_date,
    format_loose_date,
    format_period,
    selected_entities,
)
from dashboard.panels.highlight import plain_label
from dashboard.panels.index import cached, data_index, view_index
from dashboard.panels.rankings.logic import view_entities
from dashboard.panels.rows import (
    PassageRows,
    dataset_evidence_rows,
    passage_rows,
    view_evidence_rows,
    view_passage_mask,
)
from dashboard.settings import resolve
from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES

__all__ = [
    "CLAIM_COLORS",
    "MAX_LANES",
    "timeline_lanes",
    "timeline_frame",
    "timeline_points",
    "prepare",
    "timeline_figure",
    "timeline_figure_dict",
    "period_from_selection",
    "bound",
]

_OTHER_COLOR = "#777777"
_OFFSETS = {c: o for c, o in zip(CLAIM_CLASSES, (-0.21, -0.07, 0.07, 0.21))}
MAX_LANES = 8

_COLUMNS = [
    "lane", "passage_id", "doc_id", "title", "claim_class", "start", "end", "mid", "date_label", "highlighted",
    "count",
]


def _lane_rows(data, view, selected, max_lanes: int = MAX_LANES) -> list[dict]:
    """The swimlanes as passage rows: ``{"label", "entities", "rows", "highlight"}``.

    ``rows`` are sorted passage rows (positions in ``data.passages``) within the view and
    ``highlight`` a boolean array aligned with them.
    """
    P = passage_rows(data)
    allowed = view_passage_mask(data, view)
    names = data_index(data).names
    chosen = [e for e in selected_entities(selected) if e in names]
    if not chosen:
        return cached(view, ("timeline_type_lanes", max_lanes), lambda: _type_lanes(P, view, allowed, max_lanes))
    vix = view_index(view)
    ev_rows = view_evidence_rows(data, view)

    def evidence(rows: np.ndarray) -> np.ndarray:  # evidence rows → sorted distinct passage rows
        found = ev_rows[rows]
        hit = np.zeros(len(P.ids), dtype=bool)
        hit[found[found >= 0]] = True
        return np.flatnonzero(hit)

    # the strongest ``max_lanes`` neighbours of each end are enough for the lanes left
    if len(chosen) == 2:
        a, b = chosen
        focus = evidence(vix.pair_rows(a, b))
        pool = [r for e in (a, b) for r in neighbor_records(data, view, e, max_lanes) if r["entity_id"] not in chosen]
        pool.sort(key=lambda r: -r["weight"])  # stable: a's neighbours first among equals
    else:
        focus = None
        pool = neighbor_records(data, view, chosen[0], max_lanes)
    extra = list(dict.fromkeys(r["entity_id"] for r in pool))[: max(max_lanes - len(chosen), 0)]
    lanes = []
    for eid in chosen + extra:
        rows = union(P.rows_of(eid), evidence(vix.entity_rows(eid)))
        rows = rows[allowed[rows]]
        if focus is not None:
            highlight = member(rows, focus)
        elif eid == chosen[0]:
            highlight = np.ones(len(rows), dtype=bool)
        else:
            highlight = member(rows, evidence(vix.pair_rows(chosen[0], eid)))
        lanes.append({"label": plain_label(names.get(eid, eid), 28), "entities": [eid], "rows": rows,
                      "highlight": highlight})
    _dedupe_labels(lanes)
    return lanes


def _type_lanes(P: PassageRows, view, allowed: np.ndarray, max_lanes: int) -> list[dict]:
    """One lane per entity type of the view (nothing selected)."""
    ents = view_entities(view)
    order = list(ENTITY_TYPES) + sorted(set(ents["type"].dropna()) - set(ENTITY_TYPES))
    types = ents["type"].to_numpy(dtype=object)
    ids = ents["entity_id"].to_numpy(dtype=object)
    rows_by_type = P.by_type(ids.tolist())
    lanes = []
    for etype in order:
        members = ids[types == etype]
        rows = rows_by_type.get(etype, np.empty(0, dtype=np.int64))
        rows = rows[allowed[rows]]
        if len(members) and len(rows):
            lanes.append({"label": f"{etype} ({len(members)})", "entities": members.tolist(), "rows": rows,
                          "highlight": np.ones(len(rows), dtype=bool)})
    return lanes[:max_lanes]


def timeline_lanes(data, view, selected, max_lanes: int = MAX_LANES) -> list[dict]:
    """Return the swimlanes for ``selected``, top to bottom.

    Returns
    -------
    list of dict
        ``{"label", "entities", "passages", "highlight"}``: the entity ids of the lane,
        the passage ids it holds (within the view) and those drawn at full strength.
    """
    ids = passage_rows(data).ids
    return [{"label": lane["label"], "entities": lane["entities"], "passages": set(ids[lane["rows"]].tolist()),
             "highlight": set(ids[lane["rows"][lane["highlight"]]].tolist())}
            for lane in _lane_rows(data, view, selected, max_lanes)]


def _dedupe_labels(lanes: list[dict]) -> None:
    # two people can share a name; never let their lanes look like one
    seen: dict[str, int] = {}
    for lane in lanes:
        seen[lane["label"]] = seen.get(lane["label"], 0) + 1
    for lane in lanes:
        if seen[lane["label"]] > 1:
            lane["label"] = f"{lane['label']} [{lane['entities'][0]}]"


def bound(value, end: bool = False) -> str | None:
    """Expand a partial ISO bound (``2004``, ``2004-03``) to a day: the first or last one."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) == 4:
            return f"{value}-12-31" if end else f"{value}-01-01"
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            last = calendar.monthrange(year, month)[1]
            return f"{value}-{last:02d}" if end else f"{value}-01"
        return pd.Timestamp(value[:10]).date().isoformat()
    except (ValueError, TypeError):
        return None


_NS_DAY = 86_400 * 10**9


def _aggregate(lane, claim, highlighted, mid, month, claim_names) -> dict:
    """Count passages per lane, claim class, highlight and month (or year, for long spans).

    ``month`` is each point's month of ``mid`` (months since 1970-01, as ``datetime64[M]``
    numbers them). Returns the counted points as arrays (``lane, claim, highlighted, start,
    end, mid, x`` (ISO ``mid``), ``date_label, count``; ``claim`` are codes into
    ``claim_names``), ordered by lane, then date. The same as :func:`_count_bins` of
    :func:`_bin_keys`.
    """
    return _count_bins(_bin_keys(lane, claim, mid, month, claim_names), highlighted)


def _bin_keys(lane, claim, mid, month, claim_names) -> dict:
    """What :func:`_aggregate` computes before it reads the highlight: each point's bin
    (``unit``: month, or year for spans over 15 years) and its counting key without the
    highlight bit. A period change only changes the highlight, so this is kept per view."""
    span_years = (mid.max() - mid.min()) / np.timedelta64(1, "D") / 365.25 if len(mid) else 0
    unit, fmt = ("Y", "year") if span_years > 15 else ("M", "month")
    bins = month // 12 if unit == "Y" else month  # floor: as datetime64[Y] numbers years
    b0 = bins.min() if len(bins) else 0
    nb, nc = int(bins.max() - b0 + 1) if len(bins) else 1, len(claim_names)
    # one integer per (lane, bin, claim class, highlight): sorting it orders rows by lane, then date
    key = ((lane.astype(np.int64) * nb + (bins - b0)) * nc + claim) * 2
    return {"key": key, "unit": unit, "fmt": fmt, "b0": b0, "nb": nb, "nc": nc}


def _count_bins(binned: dict, highlighted: np.ndarray) -> dict:
    """:func:`_aggregate`'s points from :func:`_bin_keys` and each point's highlight."""
    unit, fmt, b0, nb, nc = binned["unit"], binned["fmt"], binned["b0"], binned["nb"], binned["nc"]
    key = binned["key"] + highlighted
    counts = np.bincount(key) if len(key) else np.zeros(0, dtype=np.int64)  # keys are small integers
    keys = np.flatnonzero(counts)
    counts = counts[keys]
    hl = (keys % 2).astype(bool)
    rest = keys // 2
    cl, rest = rest % nc, rest // nc
    bin_no, ln = rest % nb + b0, rest // nb
    # dates and labels of each distinct bin once, then spread over the points
    distinct_bins, which = distinct_inverse(bin_no)
    first = distinct_bins.astype(f"datetime64[{unit}]")
    start = first.astype("datetime64[D]").astype("datetime64[ns]")
    end = ((first + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype("datetime64[ns]")
    mid_bin = start + (end - start) // 2
    labels = np.array([format_date(str(b), fmt) for b in first.astype("datetime64[D]")], dtype=object)
    return {"lane": ln, "claim": cl, "highlighted": hl, "start": start[which], "end": end[which],
            "mid": mid_bin[which], "x": np.array(_isos(mid_bin), dtype=object)[which],
            "date_label": labels[which], "count": counts}


def _count_titles(counts: np.ndarray) -> np.ndarray:
    """``"1 passage"``, ``"3 passages"``: the title of a counted point."""
    values, which = distinct_inverse(counts)
    return np.array(["1 passage" if c == 1 else f"{c} passages" for c in values.tolist()], dtype=object)[which]


def _per_row(P: PassageRows, key: str, rows: np.ndarray, make) -> np.ndarray:
    """Values of passage ``rows`` kept per row under ``key``; ``make(rows)`` computes missing ones."""
    if key not in P.labels:
        P.labels[key] = np.full(len(P.ids), None, dtype=object)
        P.labels[key + "?"] = np.zeros(len(P.ids), dtype=bool)
    store, filled = P.labels[key], P.labels[key + "?"]
    todo = distinct(rows[~filled[rows]]) if len(rows) else rows
    if len(todo):
        store[todo] = make(todo)
        filled[todo] = True
    return store[rows]


def _date_labels(data, P: PassageRows, rows: np.ndarray, axis: str) -> np.ndarray:
    """How each passage's date reads: its event period, or ``reported <publication date>``.

    Labels are formatted on first use and kept per passage row (a dataset's labels do not change).
    """
    def make(todo):
        if axis == "event":
            p = data.passages
            cols = [p[c].take(todo).tolist() for c in ("date_start", "date_end", "date_precision")]
            return [format_period(a, b, pr) for a, b, pr in zip(*cols)]
        published = P.doc_published[P.doc_code[todo]].tolist()
        return ["reported " + format_loose_date(x) if isinstance(x, str) else "" for x in published]

    return _per_row(P, axis, rows, make)


def _html_date_labels(data, P: PassageRows, rows: np.ndarray, axis: str) -> np.ndarray:
    """:func:`_date_labels`, HTML-escaped for hover text (kept per passage row too)."""
    return _per_row(P, axis + ":html", rows,
                    lambda todo: [html.escape(x or "") for x in _date_labels(data, P, todo, axis).tolist()])


def _axis_rows(data, P: PassageRows, axis: str) -> dict:
    """Per passage row on ``axis``: ``start, end, mid`` (``datetime64[ns]``, NaT undated),
    ``month`` (of ``mid``, months since 1970-01) and ``dated`` (built once per dataset)."""
    def compute():
        start, end = (P.ev_start, P.ev_end) if axis == "event" else (P.pub, P.pub)
        mid = start + (end - start) // 2
        return {"start": start, "end": end, "mid": mid, "dated": ~np.isnat(start),
                "month": mid.astype("datetime64[M]").astype(np.int64)}

    return cached(data, ("timeline_axis_rows", axis), compute)


def _hover_by_doc(data, P: PassageRows) -> np.ndarray:
    """Escaped, shortened hover title of each document code (built once per dataset)."""
    return cached(data, "timeline_hover_titles",
                  lambda: np.array([html.escape(plain_label(t, 90)) for t in P.doc_title.tolist()], dtype=object))


def _id_rank(data, P: PassageRows) -> np.ndarray:
    """Rank of each passage row's id in string order (sorting by it sorts by id; built once)."""
    def compute():
        rank = np.empty(len(P.ids), dtype=np.int64)
        rank[np.argsort(P.ids.astype(str), kind="stable")] = np.arange(len(P.ids))
        return rank

    return cached(data, "timeline_id_rank", compute)


def prepare(data) -> None:
    """Build the per-dataset arrays every timeline reads (passage rows, dates per axis, id
    order, hover titles), so that the first selection does not pay for them."""
    P = passage_rows(data)
    _id_rank(data, P)
    _hover_by_doc(data, P)
    for axis in ("event", "published"):
        _axis_rows(data, P, axis)
    dataset_evidence_rows(data)  # each view's evidence passages are then positions into it


def timeline_points(
    data,
    view,
    selected,
    time_axis: str = "event",
    max_lanes: int = MAX_LANES,
    period: tuple | None = None,
    max_points: int | None = None,
) -> dict:
    """:func:`timeline_frame` as arrays, for drawing: no DataFrame is built.

    Returns
    -------
    dict
        ``points``: aligned arrays in the frame's order (``lane, claim, highlighted, start,
        end, mid, count``, the hover text ``hover`` and ``date_html`` (HTML-escaped) and
        ``pid`` (``""`` for counted points), ``x`` (ISO ``mid``); ``row``, the passage rows, when drawn one by
        one, ``date_label`` when counted); ``claim_names`` (``claim`` codes → claim class);
        ``aggregated``, ``lanes``, ``undated``, ``axis`` as in :func:`timeline_frame`.
        :func:`timeline_figure_dict` draws it as it draws the frame.
    """
    axis = "published" if time_axis in ("published", "report") else "event"
    max_points = int(resolve("timeline_points") if max_points is None else max_points)
    P = passage_rows(data)
    if any(e in data_index(data).names for e in selected_entities(selected)):
        dated = _dated_points(data, view, selected, axis, max_lanes, max_points)
    else:  # the type lanes: the same for every period and every selection without entities
        dated = cached(view, ("timeline_dated", axis, max_lanes, max_points),
                       lambda: _dated_points(data, view, None, axis, max_lanes, max_points))
    lanes, undated, rows, lane = dated["lanes"], dated["undated"], dated["rows"], dated["lane"]
    highlighted = dated["highlighted"]
    lo, hi = (bound(period[0]), bound(period[1], end=True)) if period else (None, None)
    if lo or hi:
        ev_start, ev_end = dated["ev_start"], dated["ev_end"]
        inside = ~np.isnat(ev_start)
        if lo:
            inside &= ev_end >= np.datetime64(lo, "ns")
        if hi:
            inside &= ev_start <= np.datetime64(hi, "ns")
        highlighted = highlighted & inside
    A = _axis_rows(data, P, axis)
    aggregated = dated["binned"] is not None
    if aggregated:
        known = dated["known"]
        points = _count_bins(dated["binned"], highlighted[known])
        n = len(points["count"])
        points["hover"] = _count_titles(points["count"])  # plain words and digits: nothing to escape
        escaped = {d: html.escape(d) for d in set(points["date_label"].tolist())}
        points["date_html"] = np.array([escaped[d] for d in points["date_label"].tolist()], dtype=object)
        points["pid"] = np.full(n, "", dtype=object)
    else:
        # by lane, then date, then passage id (ids unique within a lane: a total order)
        order = np.lexsort((_id_rank(data, P)[rows], A["mid"][rows].view(np.int64), lane))
        rows = rows[order]
        points = {"lane": lane[order], "row": rows, "claim": P.claim_code[rows], "highlighted": highlighted[order],
                  "start": A["start"][rows], "end": A["end"][rows], "mid": A["mid"][rows],
                  "x": _per_row(P, axis + ":x", rows, lambda todo: _isos(A["mid"][todo])),
                  "count": np.ones(len(order), dtype=np.int64), "hover": _hover_by_doc(data, P)[P.doc_code[rows]],
                  "date_html": _html_date_labels(data, P, rows, axis), "pid": P.ids[rows]}
    return {"points": points, "claim_names": P.claim_names, "aggregated": aggregated,
            "lanes": lanes, "undated": undated, "axis": axis}


def _dated_points(data, view, selected, axis: str, max_lanes: int, max_points: int) -> dict:
    """What :func:`timeline_points` draws before it reads the period: the lanes' dated passage
    rows (``rows, lane, highlighted`` from the selection, their event dates ``ev_start, ev_end``
    for the period's highlight), ``lanes`` (labels) and ``undated``; when the points are
    counted, ``known`` (the rows with a claim class) and ``binned`` (:func:`_bin_keys`), else
    ``binned`` None."""
    lanes = _lane_rows(data, view, selected, max_lanes)
    P = passage_rows(data)
    empty = np.empty(0, dtype=np.int64)
    rows = np.concatenate([lane["rows"] for lane in lanes]) if lanes else empty
    lane = np.repeat(np.arange(len(lanes)), [len(x["rows"]) for x in lanes]) if lanes else empty
    highlighted = np.concatenate([x["highlight"] for x in lanes]) if lanes else np.empty(0, dtype=bool)
    A = _axis_rows(data, P, axis)
    dated = A["dated"][rows]
    undated = int(len(distinct(rows[~dated])))
    rows, lane, highlighted = rows[dated], lane[dated], highlighted[dated]
    out = {"lanes": [x["label"] for x in lanes], "undated": undated, "rows": rows, "lane": lane,
           "highlighted": highlighted, "ev_start": P.ev_start[rows], "ev_end": P.ev_end[rows], "binned": None}
    if len(rows) > max_points:
        claim_codes = P.claim_code[rows]
        known = claim_codes >= 0  # a passage without a claim class has no trace to count in
        counted = rows[known]
        out["known"] = known
        out["binned"] = _bin_keys(lane[known], claim_codes[known], A["mid"][counted], A["month"][counted],
                                  P.claim_names)
    return out


def timeline_frame(
    data,
    view,
    selected,
    time_axis: str = "event",
    max_lanes: int = MAX_LANES,
    period: tuple | None = None,
    max_points: int | None = None,
) -> dict:
    """Return the timeline's points.

    Parameters
    ----------
    data : Tables
    view : View
    selected : dict or None
        The selection (see ``dashboard.state``).
    time_axis : {"event", "published"}
        Place passages by their event period or by their document's publication date
        (the report date; ``"report"`` is accepted as a synonym).
    max_lanes : int
    period : tuple of (str or None), optional
        The event period filter. The timeline is meant to be drawn from the view
        *without* the period, so the user sees what lies outside it; points whose event
        period does not overlap it are faded (``highlighted`` False).
    max_points : int, optional
        Above this many points, passages are counted per lane, claim class and month
        (year for spans over 15 years) instead of drawn one by one (setting
        ``timeline_points``).

    Returns
    -------
    dict
        ``frame`` (one row per lane × passage: ``lane, passage_id, doc_id, title,
        claim_class, start, end, mid, date_label, highlighted, count``; ``start``/``end``/
        ``mid`` are Timestamps; aggregated rows have ``passage_id`` None and a
        ``count`` > 1 possible), ``aggregated`` (bool), ``lanes`` (labels, top to
        bottom), ``undated`` (passages without a date on this axis, not drawn) and ``axis``.

    Notes
    -----
    Lanes are arrays of passage rows and dates ``datetime64`` arrays built once per
    dataset, so a hub whose lanes hold tens of thousands of passages costs array
    operations, not per-passage Python. The figure is drawn from :func:`timeline_points`
    (the same points without the frame).
    """
    t = timeline_points(data, view, selected, time_axis, max_lanes, period, max_points)
    pts, P = t.pop("points"), passage_rows(data)
    del t["claim_names"]
    if t["aggregated"]:
        frame = pd.DataFrame({
            "lane": pts["lane"], "passage_id": None, "doc_id": None, "title": _count_titles(pts["count"]),
            "claim_class": P.claim_names[pts["claim"]], "start": pts["start"], "end": pts["end"], "mid": pts["mid"],
            "date_label": pts["date_label"], "highlighted": pts["highlighted"], "count": pts["count"],
        })
    else:
        rows = pts["row"]
        frame = pd.DataFrame({
            "lane": pts["lane"], "passage_id": P.ids[rows], "doc_id": P.doc[rows],
            "title": P.doc_title[P.doc_code[rows]], "claim_class": P.claim[rows],
            "start": pts["start"], "end": pts["end"], "mid": pts["mid"],
            "date_label": _date_labels(data, P, rows, t["axis"]), "highlighted": pts["highlighted"], "count": 1,
        })
    return {"frame": frame[_COLUMNS], **t}


def _iso_day(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return (datetime(1970, 1, 1) + timedelta(milliseconds=float(value))).date().isoformat()
        except (OverflowError, ValueError):
            return None
    try:
        ts = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError):
        return None
    if pd.isna(ts):
        return None
    return ts.date().isoformat()


def period_from_selection(selected_data=None, relayout_data=None) -> tuple[str, str] | None:
    """Turn a brushed range on the timeline into an ISO ``(start, end)`` period.

    Parameters
    ----------
    selected_data : dict or None
        A Plotly ``selectedData`` event; its ``range.x`` is used (a box selection).
    relayout_data : dict or None
        A Plotly ``relayoutData`` event with ``xaxis.range[0]``/``[1]`` or ``xaxis.range``.

    Returns
    -------
    tuple of str or None
        ``(start, end)`` with ``start <= end``, or None if no usable range is present.
    """
    bounds = None
    if isinstance(selected_data, dict):
        rng = selected_data.get("range")
        if isinstance(rng, dict) and isinstance(rng.get("x"), (list, tuple)) and len(rng["x"]) == 2:
            bounds = rng["x"]
    if bounds is None and isinstance(relayout_data, dict):
        if "xaxis.range[0]" in relayout_data and "xaxis.range[1]" in relayout_data:
            bounds = [relayout_data["xaxis.range[0]"], relayout_data["xaxis.range[1]"]]
        elif isinstance(relayout_data.get("xaxis.range"), (list, tuple)) and len(relayout_data["xaxis.range"]) == 2:
            bounds = relayout_data["xaxis.range"]
    if bounds is None:
        return None
    a, b = _iso_day(bounds[0]), _iso_day(bounds[1])
    if a is None or b is None:
        return None
    return (a, b) if a <= b else (b, a)


def _iso(ts) -> str | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).isoformat()


def _isos(values) -> list:
    """ISO strings of datetimes (a column or an array) at once (``_iso`` of each value, NaT as None)."""
    arr = np.asarray(values).astype("datetime64[s]")
    out = np.datetime_as_string(arr, unit="s").astype(object)
    out[np.isnat(arr)] = None
    return out.tolist()


def _day(value: np.datetime64) -> str:
    """ISO day of a ``datetime64`` (what ``Timestamp.date().isoformat()`` gives)."""
    return pd.Timestamp(value).date().isoformat()


def _frame_points(frame: pd.DataFrame) -> tuple[dict, np.ndarray]:
    """A :func:`timeline_frame` frame as the point arrays :func:`timeline_points` gives, and claim names."""
    codes, names = pd.factorize(frame["claim_class"])
    escaped: dict = {}  # date labels repeat (months, years): each distinct one is escaped once
    dates = [escaped[d] if d in escaped else escaped.setdefault(d, html.escape(d or ""))
             for d in frame["date_label"].tolist()]
    points = {
        "lane": frame["lane"].to_numpy(dtype=float), "claim": codes,
        "highlighted": frame["highlighted"].to_numpy(dtype=bool),
        "start": frame["start"].to_numpy(dtype="datetime64[ns]"), "end": frame["end"].to_numpy(dtype="datetime64[ns]"),
        "mid": frame["mid"].to_numpy(dtype="datetime64[ns]"), "count": frame["count"].to_numpy(dtype=float),
        "hover": np.asarray(_hover_titles(frame["title"]), dtype=object), "date_html": np.asarray(dates, dtype=object),
        "pid": np.array([p or "" for p in frame["passage_id"].tolist()], dtype=object),
    }
    return points, np.asarray(names, dtype=object)


def _label_margin(lanes: list[str]) -> int:
    """Left margin (px) that fits the longest lane label at the axis font (12 px)."""
    longest = max((len(lb) for lb in lanes), default=0)
    return int(min(320, 16 + 7 * longest))


def _hover_titles(titles: pd.Series) -> list[str]:
    """Escaped, shortened hover titles (each distinct title is processed once)."""
    memo: dict = {}
    out = []
    for t in titles.tolist():
        if t not in memo:
            memo[t] = html.escape(plain_label(t, 90))
        out.append(memo[t])
    return out


def timeline_figure_dict(
    tdata: dict, period: tuple[str | None, str | None] = (None, None), height: int | None = None
) -> dict:
    """Draw :func:`timeline_frame` output as a swimlane figure (a plain Plotly figure dict).

    Markers sit at each passage's midpoint, bars span multi-day periods; colour is the
    claim class (named in the legend), faded points are outside the selection's
    evidence. On the event axis the current period filter is a shaded band and
    dragging selects a period; on the report-date axis dragging zooms. Hover text
    (document title, date, claim class) is HTML-escaped so it displays as typed.
    A dict skips Plotly's validation, which costs far more than building it.
    """
    lanes = tdata["lanes"]
    pts, claim_names = (tdata["points"], tdata["claim_names"]) if "points" in tdata else _frame_points(tdata["frame"])
    traces: list[dict] = []
    claim = pts["claim"]
    lane_y = pts["lane"].astype(float)
    strong_all = pts["highlighted"].astype(bool)
    start_all, end_all, mid_all = pts["start"], pts["end"], pts["mid"]
    xs_all = pts["x"] if "x" in pts else np.array(_isos(mid_all), dtype=object)
    present = {claim_names[c]: c for c in distinct(claim[claim >= 0]).tolist()}
    classes = [c for c in CLAIM_CLASSES if c in present] + sorted(set(present) - set(CLAIM_CLASSES))
    for cls in classes:
        at = np.flatnonzero(claim == present[cls])
        color = CLAIM_COLORS.get(cls, _OTHER_COLOR)
        label = CLAIM_LABELS.get(cls, str(cls))
        y_arr = lane_y[at] + _OFFSETS.get(cls, 0.0)
        strong_arr = strong_all[at]
        # bars show long event periods; aggregated points stand for many passages, no bars
        if not tdata.get("aggregated"):
            long_arr = (end_all[at] - start_all[at]) > np.timedelta64(1, "D")
            if long_arr.any():
                for strong in (True, False):
                    pick = np.flatnonzero(long_arr & (strong_arr == strong))
                    if not len(pick):
                        continue
                    # one segment per period: start, end, then a gap (None)
                    xs = np.empty(3 * len(pick), dtype=object)
                    xs[0::3] = _isos(start_all[at][pick])
                    xs[1::3] = _isos(end_all[at][pick])
                    xs[2::3] = None
                    ys = np.empty(3 * len(pick), dtype=object)
                    ys[0::3] = y_arr[pick]
                    ys[1::3] = y_arr[pick]
                    ys[2::3] = None
                    traces.append({
                        "type": "scatter", "x": xs.tolist(), "y": ys.tolist(), "mode": "lines",
                        "line": {"color": color, "width": 5}, "opacity": 0.55 if strong else 0.15,
                        "hoverinfo": "skip", "showlegend": False, "legendgroup": cls,
                    })
        custom = np.empty((len(at), 4), dtype=object)
        custom[:, 0], custom[:, 1], custom[:, 2], custom[:, 3] = (pts["hover"][at], pts["date_html"][at],
                                                                  html.escape(label), pts["pid"][at])
        if tdata.get("aggregated"):
            sizes = np.minimum(7 + 2.5 * np.sqrt(pts["count"][at].astype(float)), 26) * np.where(strong_arr, 1.0, 0.8)
        else:
            sizes = np.where(strong_arr, 11, 7)
        # numbers as arrays: orjson writes them at once (strings stay lists: a string array
        # would send the whole response through plotly's value-by-value cleaner)
        traces.append({
            "type": "scatter", "x": xs_all[at].tolist(), "y": y_arr, "mode": "markers", "name": label,
            "legendgroup": cls,
            "marker": {"color": color, "size": sizes, "opacity": np.where(strong_arr, 0.95, 0.3),
                       "line": {"width": 1, "color": "white"}},
            "customdata": custom.tolist(),
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            "showlegend": True,
        })
    start, end = (bound(period[0]), bound(period[1], end=True)) if period else (None, None)
    event_axis = tdata.get("axis", "event") == "event"
    shapes = []
    # the period filter is about event dates: drawn and brushed on the event axis only
    if event_axis and (start or end):
        lo = start or (_day(start_all.min()) if len(start_all) else "1900-01-01")
        hi = end or (_day(end_all.max()) if len(end_all) else "2100-01-01")
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": lo, "x1": hi, "y0": 0, "y1": 1,
                       "layer": "below", "fillcolor": "rgba(255, 193, 7, 0.18)",
                       "line": {"width": 1, "color": "rgba(255, 152, 0, 0.6)"}})
    n = max(len(lanes), 1)
    layout = {
        "height": height or 90 + 34 * n,
        # a fixed left margin fitted to the lane labels: Plotly's automargin redraws the figure
        "margin": {"l": _label_margin(lanes), "r": 10, "t": 10, "b": 30},
        "dragmode": "select" if event_axis else "zoom",
        "selectdirection": "h",
        "hovermode": "closest",
        "clickmode": "event",
        "showlegend": True,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": 11}},
        "plot_bgcolor": "white",
        "uirevision": tdata.get("axis", "event"),
        "selectionrevision": f"{start}|{end}",
        "shapes": shapes,
        "yaxis": {"tickvals": list(range(len(lanes))), "ticktext": [html.escape(lb) for lb in lanes],
                  "range": [n - 0.5, -0.5], "showgrid": True, "gridcolor": "#eee", "zeroline": False,
                  "fixedrange": True, "automargin": False},
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": "#f0f0f0"},
    }
    return {"data": traces, "layout": layout}


def timeline_figure(
    tdata: dict, period: tuple[str | None, str | None] = (None, None), height: int | None = None
) -> go.Figure:
    """:func:`timeline_figure_dict` as a validated :class:`plotly.graph_objects.Figure` (for exports)."""
    return go.Figure(timeline_figure_dict(tdata, period, height))
