"""The timeline's points computed the plain way, as a reference for the array implementation.

Sets of passage ids per lane and a pandas merge of the passage table, as the first version
of :mod:`dashboard.panels.timeline.logic` did it (kept for the tests only: it is several
times slower on big views, but easy to read and check by eye).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.panels.details.logic import neighbors
from dashboard.panels.excerpts.logic import format_date, format_loose_date, format_period, selected_entities
from dashboard.panels.highlight import plain_label
from dashboard.panels.index import view_index
from dashboard.panels.rankings.logic import view_entities
from dashboard.panels.timeline.logic import _COLUMNS, MAX_LANES, _dedupe_labels, bound
from dashboard.tables import ENTITY_TYPES

__all__ = ["reference_lanes", "reference_frame"]


def _entity_passages(data) -> dict[str, set]:
    out: dict[str, set] = {}
    for pid, eid in zip(data.mentions["passage_id"].tolist(), data.mentions["entity_id"].tolist()):
        out.setdefault(eid, set()).add(pid)
    return out


def reference_lanes(data, view, selected, max_lanes: int = MAX_LANES) -> list[dict]:
    """Lanes as sets of passage ids (see ``timeline_lanes``)."""
    vix = view_index(view)
    allowed = set(view.passage_ids)
    by_entity = _entity_passages(data)
    names = dict(zip(data.entities["entity_id"].tolist(), data.entities["name"].astype(str).tolist()))
    chosen = [e for e in selected_entities(selected) if e in names]
    if not chosen:
        ents = view_entities(view)
        lanes = []
        order = list(ENTITY_TYPES) + sorted(set(ents["type"].dropna()) - set(ENTITY_TYPES))
        for etype in order:
            ids = list(ents.loc[ents["type"] == etype, "entity_id"])
            if not ids:
                continue
            passages = set().union(*(by_entity.get(e, set()) for e in ids)) & allowed
            if passages:
                lanes.append({"label": f"{etype} ({len(ids)})", "entities": ids, "passages": passages,
                              "highlight": passages})
        return lanes[:max_lanes]
    if len(chosen) == 2:
        a, b = chosen
        focus = vix.pair_passages(a, b)
        pool = pd.concat([neighbors(data, view, a), neighbors(data, view, b)])
        pool = pool[~pool["entity_id"].isin(chosen)].sort_values("weight", ascending=False, kind="mergesort")
    else:
        focus = None
        pool = neighbors(data, view, chosen[0])
    extra = list(dict.fromkeys(pool["entity_id"]))[: max(max_lanes - len(chosen), 0)]
    lanes = []
    for eid in chosen + extra:
        passages = (by_entity.get(eid, set()) | vix.evidence_passages(eid)) & allowed
        if focus is not None:
            highlight = passages & focus
        elif eid == chosen[0]:
            highlight = passages
        else:
            highlight = passages & vix.pair_passages(chosen[0], eid)
        lanes.append({"label": plain_label(names.get(eid, eid), 28), "entities": [eid], "passages": passages,
                      "highlight": highlight})
    _dedupe_labels(lanes)
    return lanes


def _passage_table(data) -> pd.DataFrame:
    p = data.passages[["passage_id", "doc_id", "date_start", "date_end", "date_precision", "claim_class"]]
    d = data.documents[["doc_id", "title", "published"]]
    t = p.merge(d, on="doc_id", how="left").set_index("passage_id")
    t["title"] = t["title"].astype(object).where(t["title"].notna(), t["doc_id"])
    t["ev_start"] = pd.to_datetime(t["date_start"], errors="coerce")
    t["ev_end"] = pd.to_datetime(t["date_end"], errors="coerce").fillna(t["ev_start"])
    t["ev_end"] = t["ev_end"].where(t["ev_end"] >= t["ev_start"], t["ev_start"])
    t["pub"] = pd.to_datetime(t["published"], errors="coerce")
    return t


def reference_frame(data, view, selected, time_axis="event", max_lanes=MAX_LANES, period=None, max_points=2000):
    """The timeline frame (see ``timeline_frame``); aggregated rows in no particular order."""
    axis = "published" if time_axis in ("published", "report") else "event"
    lanes = reference_lanes(data, view, selected, max_lanes)
    table = _passage_table(data)
    rows = [(i, p, p in lane["highlight"]) for i, lane in enumerate(lanes) for p in lane["passages"]
            if p in table.index]
    frame = table.reindex([r[1] for r in rows]).rename_axis("passage_id").reset_index()
    frame["lane"] = [r[0] for r in rows]
    frame["highlighted"] = [r[2] for r in rows]
    frame["start"], frame["end"] = ((frame["ev_start"], frame["ev_end"]) if axis == "event"
                                    else (frame["pub"], frame["pub"]))
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
        span = (frame["mid"].max() - frame["mid"].min()).days / 365.25
        unit, fmt = ("Y", "year") if span > 15 else ("M", "month")
        frame = frame.assign(_bin=frame["mid"].dt.to_period(unit))
        g = frame.groupby(["lane", "claim_class", "highlighted", "_bin"]).size().rename("count").reset_index()
        g["start"] = g["_bin"].dt.start_time.dt.normalize()
        g["end"] = g["_bin"].dt.end_time.dt.normalize()
        g["mid"] = g["start"] + (g["end"] - g["start"]) / 2
        g["date_label"] = [format_date(x.date().isoformat(), fmt) for x in g["start"]]
        g["title"] = [f"{c} passage" + ("s" if c != 1 else "") for c in g["count"]]
        g["passage_id"], g["doc_id"] = None, None
        frame = g
    else:
        if axis == "event":
            labels = [format_period(a, b, pr) for a, b, pr in
                      zip(frame["date_start"], frame["date_end"], frame["date_precision"])]
        else:
            labels = ["reported " + format_loose_date(x) if isinstance(x, str) else "" for x in frame["published"]]
        frame = frame.assign(date_label=labels, count=1)
        frame = frame.sort_values(["lane", "mid", "passage_id"], kind="mergesort")
    return {"frame": frame[_COLUMNS].reset_index(drop=True), "aggregated": aggregated,
            "lanes": [lane["label"] for lane in lanes], "undated": undated, "axis": axis}
