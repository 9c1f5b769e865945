"""What the details panel says about the selected entity or link.

Pure functions over the dataset and the current view: an entity's profile with its
metrics ranked within the view (``betweenness 0.12 (#3 of 57)``), its neighbours
ranked by evidence, and a link's ends, kinds, relation types and evidence span.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.panels.excerpts.logic import format_span
from dashboard.panels.index import cached, data_index, view_index
from dashboard.panels.rankings.logic import METRICS, format_metric, metric_ranks, view_entities
from dashboard.panels.rows import view_evidence_rows

__all__ = ["neighbors", "neighbor_records", "resolve_affiliations", "entity_details", "edge_details", "NEIGHBOR_LIMIT"]

NEIGHBOR_LIMIT = 30


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(v) for v in value if v is not None and str(v).strip()]
    except TypeError:
        return []


def _clean(value):
    if value is None:
        return None
    if not isinstance(value, (list, dict, str)) and pd.isna(value):
        return None
    return value


_NEIGHBOR_COLUMNS = ["entity_id", "name", "type", "weight", "n_passages", "kinds", "relations"]


def neighbors(data, view, eid: str, limit: int | None = None) -> pd.DataFrame:
    """Return the neighbours of ``eid`` in the view, strongest evidence first.

    Parameters
    ----------
    limit : int, optional
        Return only the first ``limit`` rows. Only neighbours whose weight reaches the
        ``limit``-th largest are counted and sorted, so the strongest few of a hub with
        thousands of neighbours cost little. Results are kept per view.

    Returns
    -------
    DataFrame
        ``entity_id, name, type, weight, n_passages, kinds, relations``; ``weight``
        sums the view's link weights over kinds, ``n_passages`` counts distinct
        passages of evidence in the view; sorted by weight, then passages, then name.
        :func:`neighbor_records` gives the same rows as dicts (no frame to build).
    """
    return cached(view, ("neighbors", eid, limit),
                  lambda: pd.DataFrame(neighbor_records(data, view, eid, limit), columns=_NEIGHBOR_COLUMNS))


def neighbor_records(data, view, eid: str, limit: int | None = None) -> list[dict]:
    """:func:`neighbors` as a list of row dicts (kept per view; do not modify them)."""
    return cached(view, ("neighbor_records", eid, limit), lambda: _neighbors(data, view, eid, limit))


def _neighbors(data, view, eid: str, limit: int | None) -> list[dict]:
    dix, vix = data_index(data), view_index(view)
    others, weights = vix.neighbor_weights(eid)
    if limit is not None and len(others) > limit:
        # the first ``limit`` by weight are among those weighing at least the limit-th largest
        # (ties at the cut included, as passages and names decide between them)
        cut = np.partition(weights, len(weights) - limit)[len(weights) - limit] if limit > 0 else np.inf
        others, weights = others[weights >= cut], weights[weights >= cut]
    rows = []
    others = others.tolist()
    links = vix.pair_links_of(eid, others)  # one read of the view's links for all of them
    passages = vix.pair_passage_counts(eid, others, view_evidence_rows(data, view))
    for other, weight in zip(others, weights.tolist()):
        entry = links[other]
        rows.append((other, dix.names.get(other, other), dix.types.get(other), float(weight),
                     passages[other], sorted(entry["kinds"]), sorted(entry["relations"])))
    rows.sort(key=lambda r: (-r[3], -r[4], r[1], r[0]))
    if limit is not None:
        rows = rows[:limit]
    return [dict(zip(_NEIGHBOR_COLUMNS, r)) for r in rows]


def resolve_affiliations(data, values) -> list[dict]:
    """Resolve affiliations to entities.

    The corpus format lists affiliations as entity ids; a value that is not an id is
    matched by name, then by alias, case-insensitively (for hand-made tables).

    Returns
    -------
    list of dict
        ``[{"name": str, "entity_id": str | None}]``: the entity's display name when
        resolved, else the value as given with ``entity_id`` None (shown, not linked;
        also for an ambiguous name).
    """
    names = data_index(data).names
    out = []
    for value in _list(values):
        if value in names:
            out.append({"name": str(names[value]), "entity_id": value})
            continue
        by_name, by_alias = cached(data, "name_keys", lambda: _name_keys(data))
        key = value.casefold()
        hits = by_name.get(key) or by_alias.get(key) or set()
        eid = next(iter(hits)) if len(hits) == 1 else None
        out.append({"name": str(names[eid]) if eid else value, "entity_id": eid})
    return out


def _name_keys(data) -> tuple[dict, dict]:
    ents = data.entities
    by_name: dict[str, set[str]] = {}
    for eid, name in zip(ents["entity_id"], ents["name"]):
        by_name.setdefault(str(name).casefold(), set()).add(eid)
    by_alias: dict[str, set[str]] = {}
    for eid, aliases in zip(ents["entity_id"], ents["aliases"]):
        for a in _list(aliases):
            by_alias.setdefault(a.casefold(), set()).add(eid)
    return by_name, by_alias


def _metric_rows(frame: pd.DataFrame, idx, ranks: pd.DataFrame) -> list[dict]:
    approx = bool(frame["betweenness_approx"].fillna(False).any()) if "betweenness_approx" in frame.columns else False
    rows = []
    for key, label in METRICS:
        if key not in frame.columns:
            continue
        value = _clean(frame.at[idx, key])
        rows.append(
            {
                "key": key,
                "label": label,
                "value": None if value is None else float(value),
                "display": format_metric(value),
                "rank": int(ranks.at[idx, key]) if pd.notna(ranks.at[idx, key]) else None,
                "of": int(len(frame)),
                "approx": approx and key == "betweenness",
            }
        )
    return rows


def _ranked(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    frame = frame.reset_index(drop=True)
    return frame, metric_ranks(frame), {e: i for i, e in enumerate(frame["entity_id"])}


def entity_details(data, view, eid: str, limit: int = NEIGHBOR_LIMIT) -> dict | None:
    """Describe entity ``eid`` for the details panel.

    Parameters
    ----------
    data : Tables
    view : View
    eid : str
    limit : int
        Most neighbours listed (the total is in ``n_neighbors``).

    Returns
    -------
    dict or None
        ``None`` if the dataset has no such entity. Otherwise ``entity_id, name, type,
        aliases, affiliations ([{name, entity_id}]), description, in_view, scope
        ("view" or "dataset"), metrics ([{key, label, value, display, rank, of,
        approx}]), community, n_passages, n_documents, period, neighbors (list of
        dicts, see :func:`neighbors`), n_neighbors``. Metrics are ranked among the
        view's entities; for an entity outside the view, among the whole dataset.
    """
    everything, all_ranks, positions = cached(data, "ranked_entities", lambda: _ranked(data.entities))
    if eid not in positions:
        return None
    row = everything.loc[positions[eid]]
    ents, view_ranks, view_positions = cached(view, "ranked_entities", lambda: _ranked(view_entities(view)))
    in_view = eid in view_positions
    frame, ranks, idx, scope = (
        (ents, view_ranks, view_positions.get(eid), "view") if in_view
        else (everything, all_ranks, positions[eid], "dataset")
    )
    nb = neighbor_records(data, view, eid, limit) if in_view else []
    return {
        "entity_id": eid,
        "name": str(row["name"]),
        "type": _clean(row.get("type")),
        "aliases": _list(row.get("aliases")),
        "affiliations": resolve_affiliations(data, row.get("affiliations")),
        "description": _clean(row.get("description")),
        "in_view": in_view,
        "scope": scope,
        "metrics": _metric_rows(frame, idx, ranks),
        "community": None if _clean(frame.at[idx, "community"]) is None else int(frame.at[idx, "community"]),
        "n_passages": int(row["n_passages"]) if _clean(row.get("n_passages")) is not None else None,
        "n_documents": int(row["n_documents"]) if _clean(row.get("n_documents")) is not None else None,
        "period": format_span(_clean(row.get("first")), _clean(row.get("last"))),
        "neighbors": [dict(r) for r in nb],
        "n_neighbors": len(view_index(view).neighbor_weights(eid)[0]) if in_view else 0,
    }


def _take(frame: pd.DataFrame, column: str, rows: np.ndarray):
    """``frame[column]`` at positions ``rows`` as Arrow (no Python object per value)."""
    return pa.array(frame[column].array, from_pandas=True).take(pa.array(rows, type=pa.int64()))


def _evidence_take(view, column: str, rows: np.ndarray):
    """The view's evidence ``column`` at ``rows``, as Arrow; from the dataset's table when the view
    names its rows' positions there (``evidence_rows``), so its evidence frame is not taken."""
    positions, table = getattr(view, "evidence_rows", None), getattr(view, "evidence_table", None)
    if positions is not None and table is not None:
        return _take(table, column, positions[rows])
    return _take(view.evidence, column, rows)


def _extreme(values: pa.ChunkedArray, which) -> str | None:
    """The least or greatest (``pc.min``/``pc.max``) non-null string of ``values``, or None."""
    if values.null_count == len(values):
        return None
    found = which(values).as_py()
    return None if found is None else str(found)


def _passages_once(data, view, rows: np.ndarray) -> tuple[int, np.ndarray]:
    """Distinct passages of the view's evidence ``rows`` and the first of ``rows`` for each
    (in their order), as ``drop_duplicates("passage_id")`` keeps them (nulls not counted)."""
    codes = view_evidence_rows(data, view)[rows] if len(rows) else np.empty(0, dtype=np.int64)
    if len(codes) and codes.min() < 0:  # a passage the dataset does not number: compare ids
        pids = _evidence_take(view, "passage_id", rows).to_pylist()
        seen: dict = {}
        for i, pid in enumerate(pids):
            seen.setdefault(pid, i)
        return len({p for p in seen if _clean(p) is not None}), rows[sorted(seen.values())]
    order = np.argsort(codes, kind="stable")
    first = np.concatenate(([True], codes[order][1:] != codes[order][:-1])) if len(codes) else np.zeros(0, bool)
    return int(first.sum()), rows[np.sort(order[first])]


def edge_details(data, view, a: str, b: str) -> dict | None:
    """Describe the link between ``a`` and ``b`` in the view.

    Returns
    -------
    dict or None
        ``None`` if either end is unknown. Otherwise ``ends ([{entity_id, name,
        type}])``, ``in_view`` (the view has evidence for the pair), ``kinds``,
        ``relations ([{relation, source, target, source_name, target_name,
        n_passages}])``, ``weight``, ``n_passages``, ``n_documents``, ``first``,
        ``last``, ``period`` and ``claims`` (passages per claim class).
    """
    dix = data_index(data)
    names = dix.names
    if a not in names or b not in names:
        return None
    ends = [{"entity_id": e, "name": str(names[e]), "type": _clean(dix.types.get(e))} for e in (a, b)]
    vix = view_index(view)
    links = vix.pair_links(a, b)
    # the pair's evidence rows, column by column: Arrow takes and aggregates, Python lists only
    # for the few relation rows and one claim class per passage
    rows = vix.pair_rows(a, b)
    kinds = _evidence_take(view, "kind", rows).to_pylist()
    rel_at = rows[[k == "relation" for k in kinds]] if len(rows) else rows
    rel = {c: _evidence_take(view, c, rel_at).to_pylist() for c in ("relation", "source", "target", "passage_id")}
    by_relation: dict[tuple, set] = {}
    for r, s, t, pid in zip(rel["relation"], rel["source"], rel["target"], rel["passage_id"]):
        if all(_clean(x) is not None for x in (r, s, t)):
            group = by_relation.setdefault((r, s, t), set())
            if _clean(pid) is not None:
                group.add(pid)
    relations = [
        {
            "relation": r,
            "source": s,
            "target": t,
            "source_name": str(names.get(s, s)),
            "target_name": str(names.get(t, t)),
            "n_passages": len(pids),
        }
        for (r, s, t), pids in sorted(by_relation.items(), key=lambda item: item[0])
    ]
    first = _extreme(_evidence_take(view, "date_start", rows), pc.min)
    last = _extreme(_evidence_take(view, "date_end", rows), pc.max)
    last = last if last is not None else (first if first else None)
    n_passages, firsts = _passages_once(data, view, rows)
    claims = Counter(str(c) for c in _evidence_take(view, "claim_class", firsts).to_pylist() if _clean(c) is not None)
    return {
        "ends": ends,
        "in_view": bool(len(rows)),
        "kinds": sorted(links["kinds"] | set(kinds)),
        "relations": relations,
        "weight": float(links["weight"]),
        "n_passages": n_passages,
        "n_documents": pc.count_distinct(_evidence_take(view, "doc_id", rows)).as_py(),
        "first": first,
        "last": last,
        "period": format_span(first, last),
        "claims": dict(claims.most_common()),
    }
