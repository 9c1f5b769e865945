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

import pandas as pd
import plotly.graph_objects as go

from dashboard.panels.details.logic import neighbors
from dashboard.panels.excerpts.logic import (
    CLAIM_COLORS,
    CLAIM_LABELS,
    format_loose_date,
    format_period,
    selected_entities,
)
from dashboard.panels.highlight import plain_label
from dashboard.panels.index import data_index, pair_key, view_index
from dashboard.panels.rankings.logic import view_entities
from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES

__all__ = [
    "CLAIM_COLORS",
    "MAX_LANES",
    "timeline_lanes",
    "timeline_frame",
    "timeline_figure",
    "timeline_figure_dict",
    "period_from_selection",
]

_OTHER_COLOR = "#777777"
_OFFSETS = {c: o for c, o in zip(CLAIM_CLASSES, (-0.21, -0.07, 0.07, 0.21))}
MAX_LANES = 8

_COLUMNS = [
    "lane", "passage_id", "doc_id", "title", "claim_class", "start", "end", "mid", "date_label", "highlighted",
]


def _pair_passages(view, a: str, b: str) -> set[str]:
    return view_index(view).pair_passages.get(pair_key(a, b), set())


def _entity_passages(data, view, eid: str, allowed) -> set[str]:
    ids = data_index(data).entity_passages.get(eid, set()) | view_index(view).evidence_passages.get(eid, set())
    return ids & allowed


def timeline_lanes(data, view, selected, max_lanes: int = MAX_LANES) -> list[dict]:
    """Return the swimlanes for ``selected``, top to bottom.

    Returns
    -------
    list of dict
        ``{"label", "entities", "passages", "highlight"}``: the entity ids of the lane,
        the passage ids it holds (within the view) and those drawn at full strength.
    """
    dix = data_index(data)
    allowed = view_index(view).passage_ids
    names = dix.names
    chosen = [e for e in selected_entities(selected) if e in names]
    if not chosen:
        ents = view_entities(view)
        lanes = []
        order = list(ENTITY_TYPES) + sorted(set(ents["type"].dropna()) - set(ENTITY_TYPES))
        for etype in order:
            ids = list(ents.loc[ents["type"] == etype, "entity_id"])
            if not ids:
                continue
            passages = set().union(*(dix.entity_passages.get(e, set()) for e in ids)) & allowed
            if passages:
                lanes.append({"label": f"{etype} ({len(ids)})", "entities": ids, "passages": passages,
                              "highlight": passages})
        return lanes[:max_lanes]
    if len(chosen) == 2:
        a, b = chosen
        focus = _pair_passages(view, a, b)
        pool = pd.concat([neighbors(data, view, a), neighbors(data, view, b)])
        pool = pool[~pool["entity_id"].isin(chosen)].sort_values("weight", ascending=False, kind="mergesort")
    else:
        focus = None
        pool = neighbors(data, view, chosen[0])
    extra = list(dict.fromkeys(pool["entity_id"]))[: max(max_lanes - len(chosen), 0)]
    lanes = []
    for eid in chosen + extra:
        passages = _entity_passages(data, view, eid, allowed)
        if focus is not None:
            highlight = passages & focus
        elif eid == chosen[0]:
            highlight = passages
        else:
            highlight = passages & _pair_passages(view, chosen[0], eid)
        lanes.append({"label": plain_label(names.get(eid, eid), 28), "entities": [eid], "passages": passages,
                      "highlight": highlight})
    _dedupe_labels(lanes)
    return lanes


def _dedupe_labels(lanes: list[dict]) -> None:
    # two people can share a name; never let their lanes look like one
    seen: dict[str, int] = {}
    for lane in lanes:
        seen[lane["label"]] = seen.get(lane["label"], 0) + 1
    for lane in lanes:
        if seen[lane["label"]] > 1:
            lane["label"] = f"{lane['label']} [{lane['entities'][0]}]"


def _bound(value, end: bool = False) -> str | None:
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


def timeline_frame(
    data, view, selected, time_axis: str = "event", max_lanes: int = MAX_LANES, period: tuple | None = None
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

    Returns
    -------
    dict
        ``frame`` (one row per lane × passage: ``lane, passage_id, doc_id, title,
        claim_class, start, end, mid, date_label, highlighted``; ``start``/``end``/``mid``
        are Timestamps), ``lanes`` (labels, top to bottom), ``undated`` (passages
        without a date on this axis, not drawn) and ``axis``.
    """
    axis = "published" if time_axis in ("published", "report") else "event"
    lanes = timeline_lanes(data, view, selected, max_lanes)
    dix = data_index(data)
    rows = []
    for i, lane in enumerate(lanes):
        for pid in sorted(lane["passages"]):
            p = dix.passages.get(pid)
            if p is None:
                continue
            doc = dix.documents.get(p["doc_id"], {})
            rows.append((i, pid, pid in lane["highlight"], p["doc_id"], p.get("date_start"), p.get("date_end"),
                         p.get("date_precision"), p.get("claim_class"), doc.get("title") or p["doc_id"],
                         doc.get("published")))
    frame = pd.DataFrame(rows, columns=["lane", "passage_id", "highlighted", "doc_id", "date_start", "date_end",
                                        "date_precision", "claim_class", "title", "published"])
    if axis == "event":
        start = pd.to_datetime(frame["date_start"], errors="coerce")
        end = pd.to_datetime(frame["date_end"], errors="coerce").fillna(start)
        labels = [format_period(s, e, pr) for s, e, pr in
                  zip(frame["date_start"], frame["date_end"], frame["date_precision"])]
    else:
        start = pd.to_datetime(frame["published"], errors="coerce")
        end = start
        labels = ["reported " + format_loose_date(x) if isinstance(x, str) else "" for x in frame["published"]]
    frame = frame.assign(start=start, end=end.where(end >= start, start), date_label=labels)
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2
    lo, hi = (_bound(period[0]), _bound(period[1], end=True)) if period else (None, None)
    if lo or hi:
        ev_start = pd.to_datetime(frame["date_start"], errors="coerce")
        ev_end = pd.to_datetime(frame["date_end"], errors="coerce").fillna(ev_start)
        inside = ev_start.notna()
        if lo:
            inside &= ev_end >= pd.Timestamp(lo)
        if hi:
            inside &= ev_start <= pd.Timestamp(hi)
        frame["highlighted"] = frame["highlighted"] & inside
    dated = frame["start"].notna()
    undated = int(frame.loc[~dated, "passage_id"].nunique())
    frame = frame[dated].sort_values(["lane", "mid", "passage_id"], kind="mergesort").reset_index(drop=True)
    return {"frame": frame[_COLUMNS], "lanes": [lane["label"] for lane in lanes], "undated": undated, "axis": axis}


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
    frame, lanes = tdata["frame"], tdata["lanes"]
    traces: list[dict] = []
    classes = list(CLAIM_CLASSES) + sorted(set(frame["claim_class"].dropna()) - set(CLAIM_CLASSES))
    for cls in classes:
        sub = frame[frame["claim_class"] == cls]
        if sub.empty:
            continue
        color = CLAIM_COLORS.get(cls, _OTHER_COLOR)
        label = CLAIM_LABELS.get(cls, str(cls))
        y = [float(v) for v in sub["lane"] + _OFFSETS.get(cls, 0.0)]
        long = list((sub["end"] - sub["start"]) > pd.Timedelta(days=1))
        for strong in (True, False):
            xs, ys = [], []
            for r_start, r_end, yy, is_long, h in zip(sub["start"], sub["end"], y, long, sub["highlighted"]):
                if is_long and bool(h) == strong:
                    xs += [_iso(r_start), _iso(r_end), None]
                    ys += [yy, yy, None]
            if xs:
                traces.append({
                    "type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": color, "width": 5},
                    "opacity": 0.55 if strong else 0.15, "hoverinfo": "skip", "showlegend": False, "legendgroup": cls,
                })
        custom = [
            [html.escape(plain_label(t, 90)), html.escape(d or ""), html.escape(label), pid]
            for t, d, pid in zip(sub["title"], sub["date_label"], sub["passage_id"])
        ]
        traces.append({
            "type": "scatter", "x": [_iso(m) for m in sub["mid"]], "y": y, "mode": "markers", "name": label,
            "legendgroup": cls,
            "marker": {"color": color, "size": [11 if h else 7 for h in sub["highlighted"]],
                       "opacity": [0.95 if h else 0.3 for h in sub["highlighted"]],
                       "line": {"width": 1, "color": "white"}},
            "customdata": custom,
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            "showlegend": True,
        })
    start, end = (_bound(period[0]), _bound(period[1], end=True)) if period else (None, None)
    event_axis = tdata.get("axis", "event") == "event"
    shapes = []
    # the period filter is about event dates: drawn and brushed on the event axis only
    if event_axis and (start or end):
        lo = start or (frame["start"].min().date().isoformat() if len(frame) else "1900-01-01")
        hi = end or (frame["end"].max().date().isoformat() if len(frame) else "2100-01-01")
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": lo, "x1": hi, "y0": 0, "y1": 1,
                       "layer": "below", "fillcolor": "rgba(255, 193, 7, 0.18)",
                       "line": {"width": 1, "color": "rgba(255, 152, 0, 0.6)"}})
    n = max(len(lanes), 1)
    layout = {
        "height": height or 90 + 34 * n,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
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
                  "fixedrange": True, "automargin": True},
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": "#f0f0f0"},
    }
    return {"data": traces, "layout": layout}


def timeline_figure(
    tdata: dict, period: tuple[str | None, str | None] = (None, None), height: int | None = None
) -> go.Figure:
    """:func:`timeline_figure_dict` as a validated :class:`plotly.graph_objects.Figure` (for exports)."""
    return go.Figure(timeline_figure_dict(tdata, period, height))
