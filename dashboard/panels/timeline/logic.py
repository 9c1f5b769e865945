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
import math
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.panels.details.logic import neighbors
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
from dashboard.settings import resolve
from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES

__all__ = [
    "CLAIM_COLORS",
    "MAX_LANES",
    "timeline_lanes",
    "timeline_frame",
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


def _pair_passages(view, a: str, b: str) -> set[str]:
    return view_index(view).pair_passages(a, b)


def _entity_passages(data, view, eid: str, allowed) -> set[str]:
    ids = data_index(data).entity_passages.get(eid, set()) | view_index(view).evidence_passages(eid)
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


def _passage_table(data) -> pd.DataFrame:
    """Per-passage columns the timeline needs, with parsed dates (built once per dataset)."""
    p = data.passages[["passage_id", "doc_id", "date_start", "date_end", "date_precision", "claim_class"]]
    d = data.documents[["doc_id", "title", "published"]]
    t = p.merge(d, on="doc_id", how="left").set_index("passage_id")
    t["title"] = t["title"].fillna(t["doc_id"])
    t["ev_start"] = pd.to_datetime(t["date_start"], errors="coerce")
    t["ev_end"] = pd.to_datetime(t["date_end"], errors="coerce").fillna(t["ev_start"])
    t["ev_end"] = t["ev_end"].where(t["ev_end"] >= t["ev_start"], t["ev_start"])
    t["pub"] = pd.to_datetime(t["published"], errors="coerce")
    # plain object columns: taking rows of Arrow-backed strings costs several times more, on every click
    for col in t.columns:
        if t[col].dtype == object or isinstance(t[col].dtype, pd.StringDtype) or "pyarrow" in str(t[col].dtype):
            t[col] = t[col].astype(object)
    t.index = pd.Index(t.index.astype(object), name="passage_id")
    return t


def _aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """Count passages per lane, claim class, highlight and month (or year, for long spans)."""
    span_years = (frame["mid"].max() - frame["mid"].min()).days / 365.25 if len(frame) else 0
    unit, fmt = ("Y", "year") if span_years > 15 else ("M", "month")
    # calendar bins as numpy datetimes (much cheaper than pandas Periods)
    bins = frame["mid"].to_numpy(dtype="datetime64[ns]").astype(f"datetime64[{unit}]")
    g = (frame[["lane", "claim_class", "highlighted"]].assign(_bin=bins)
         .groupby(["lane", "claim_class", "highlighted", "_bin"], observed=True, sort=False)
         .size().rename("count").reset_index())
    first = g["_bin"].to_numpy(dtype=f"datetime64[{unit}]")
    g["start"] = pd.to_datetime(first.astype("datetime64[D]"))
    g["end"] = pd.to_datetime((first + 1).astype("datetime64[D]") - np.timedelta64(1, "D"))
    g["mid"] = g["start"] + (g["end"] - g["start"]) / 2
    labels = {x: format_date(x.date().isoformat(), fmt) for x in g["start"].unique()}
    g["date_label"] = g["start"].map(labels)
    g["title"] = np.where(g["count"] == 1, "1 passage", g["count"].astype(str) + " passages")
    g["passage_id"] = None
    g["doc_id"] = None
    return g.drop(columns="_bin").sort_values(["lane", "mid"], kind="mergesort").reset_index(drop=True)


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
    """
    axis = "published" if time_axis in ("published", "report") else "event"
    max_points = int(resolve("timeline_points") if max_points is None else max_points)
    lanes = timeline_lanes(data, view, selected, max_lanes)
    table = cached(data, "timeline_passages", lambda: _passage_table(data))
    known = data_index(data).passages
    lane_col, pid_col, hl_col = [], [], []
    for i, lane in enumerate(lanes):
        pids = [p for p in lane["passages"] if p in known]
        lane_col += [i] * len(pids)
        pid_col += pids
        hl_col += [p in lane["highlight"] for p in pids]
    frame = table.reindex(pid_col).rename_axis("passage_id").reset_index()
    frame["lane"] = lane_col
    frame["highlighted"] = hl_col
    if axis == "event":
        frame["start"], frame["end"] = frame["ev_start"], frame["ev_end"]
    else:
        frame["start"], frame["end"] = frame["pub"], frame["pub"]
    lo, hi = (bound(period[0]), bound(period[1], end=True)) if period else (None, None)
    if lo or hi:
        inside = frame["ev_start"].notna()
        if lo:
            inside &= frame["ev_end"] >= pd.Timestamp(lo)
        if hi:
            inside &= frame["ev_start"] <= pd.Timestamp(hi)
        frame["highlighted"] = frame["highlighted"] & inside
    dated = frame["start"].notna()
    undated = int(frame.loc[~dated, "passage_id"].nunique())
    frame = frame[dated]
    frame = frame.assign(mid=frame["start"] + (frame["end"] - frame["start"]) / 2)
    aggregated = len(frame) > max_points
    if aggregated:
        frame = _aggregate(frame)
    else:
        if axis == "event":
            labels = [format_period(a, b, pr) for a, b, pr in
                      zip(frame["date_start"], frame["date_end"], frame["date_precision"])]
        else:
            labels = ["reported " + format_loose_date(x) if isinstance(x, str) else "" for x in frame["published"]]
        frame = frame.assign(date_label=labels, count=1)
        frame = frame.sort_values(["lane", "mid", "passage_id"], kind="mergesort").reset_index(drop=True)
    return {"frame": frame[_COLUMNS].reset_index(drop=True), "aggregated": aggregated,
            "lanes": [lane["label"] for lane in lanes], "undated": undated, "axis": axis}


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


def _isos(values: pd.Series) -> list:
    """ISO strings of a datetime column at once (``_iso`` of each value, NaT as None)."""
    arr = values.to_numpy(dtype="datetime64[s]")
    out = np.datetime_as_string(arr, unit="s").astype(object)
    out[np.isnat(arr)] = None
    return out.tolist()


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
    frame, lanes = tdata["frame"], tdata["lanes"]
    traces: list[dict] = []
    classes = list(CLAIM_CLASSES) + sorted(set(frame["claim_class"].dropna()) - set(CLAIM_CLASSES))
    for cls in classes:
        sub = frame[frame["claim_class"] == cls]
        if sub.empty:
            continue
        color = CLAIM_COLORS.get(cls, _OTHER_COLOR)
        label = CLAIM_LABELS.get(cls, str(cls))
        y = (sub["lane"] + _OFFSETS.get(cls, 0.0)).astype(float).tolist()
        highlighted = [bool(h) for h in sub["highlighted"].tolist()]
        # bars show long event periods; aggregated points stand for many passages, no bars
        if not tdata.get("aggregated"):
            long = ((sub["end"] - sub["start"]) > pd.Timedelta(days=1)).tolist()
            if any(long):
                starts, ends = _isos(sub["start"]), _isos(sub["end"])
                for strong in (True, False):
                    xs, ys = [], []
                    for r_start, r_end, yy, is_long, h in zip(starts, ends, y, long, highlighted):
                        if is_long and h == strong:
                            xs += [r_start, r_end, None]
                            ys += [yy, yy, None]
                    if xs:
                        traces.append({
                            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": color, "width": 5},
                            "opacity": 0.55 if strong else 0.15, "hoverinfo": "skip", "showlegend": False,
                            "legendgroup": cls,
                        })
        esc_label = html.escape(label)
        custom = [
            [t, html.escape(d or ""), esc_label, pid or ""]
            for t, d, pid in zip(_hover_titles(sub["title"]), sub["date_label"].tolist(), sub["passage_id"].tolist())
        ]
        if tdata.get("aggregated"):
            sizes = [min(7 + 2.5 * math.sqrt(c), 26) * (1.0 if h else 0.8)
                     for c, h in zip(sub["count"].tolist(), highlighted)]
        else:
            sizes = [11 if h else 7 for h in highlighted]
        traces.append({
            "type": "scatter", "x": _isos(sub["mid"]), "y": y, "mode": "markers", "name": label,
            "legendgroup": cls,
            "marker": {"color": color, "size": sizes,
                       "opacity": [0.95 if h else 0.3 for h in highlighted],
                       "line": {"width": 1, "color": "white"}},
            "customdata": custom,
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            "showlegend": True,
        })
    start, end = (bound(period[0]), bound(period[1], end=True)) if period else (None, None)
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
