"""Evidence rows and the links aggregated from them.

``evidence`` has one row per (pair, passage) piece of evidence:

* ``co-mention``: two distinct entities linked in the same passage; ``source < target``
  (ids compared as strings), ``relation`` null. One row per passage, however often they occur.
* ``relation``: one row per row of ``relations`` (direction as written, ``relation`` = type).

``links`` aggregates evidence by ``(source, target, kind)``; see :func:`aggregate_links`.
The same function serves the app on filtered evidence, so it is pure and fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["EVIDENCE_COLUMNS", "LINK_COLUMNS", "co_mention_evidence", "relation_evidence", "build_evidence", "aggregate_links"]

EVIDENCE_COLUMNS = ["source", "target", "kind", "relation", "passage_id", "doc_id", "claim_class", "date_start", "date_end"]
LINK_COLUMNS = ["source", "target", "kind", "relations", "weight", "n_passages", "n_documents", "first", "last"]
_SORT = ["source", "target", "kind", "passage_id", "relation"]


def co_mention_evidence(mentions: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """One ``co-mention`` row per pair of distinct entities per passage (``source < target``).

    Vectorised: entities become their rank in Python's string order, each passage's distinct
    ranks are sorted, and every row is paired with the rows after it in its passage.

    Examples
    --------
    >>> m = pd.DataFrame({"passage_id": ["p1", "p1", "p1", "p2"], "entity_id": ["b", "a", "b", "a"]})
    >>> p = pd.DataFrame({"passage_id": ["p1", "p2"], "doc_id": ["d", "d"], "claim_class": ["reports"] * 2,
    ...     "date_start": [None, None], "date_end": [None, None]})
    >>> co_mention_evidence(m, p)[["source", "target", "passage_id"]].values.tolist()
    [['a', 'b', 'p1']]
    """
    pids = mentions["passage_id"].to_numpy(dtype=object)
    eids = mentions["entity_id"].to_numpy(dtype=object)
    names = np.array(sorted(set(eids)), dtype=object)  # Python string order, as source < target
    places = np.array(sorted(set(pids)), dtype=object)
    rank = {e: i for i, e in enumerate(names)}
    place = {p: i for i, p in enumerate(places)}
    codes = np.unique(
        np.fromiter((place[p] for p in pids), dtype=np.int64, count=len(pids)) * max(len(names), 1)
        + np.fromiter((rank[e] for e in eids), dtype=np.int64, count=len(eids))
    )  # distinct (passage, entity), sorted by passage then entity
    group, ent = np.divmod(codes, max(len(names), 1))
    bounds = np.flatnonzero(np.diff(group)) + 1
    ends = np.repeat(np.append(bounds, len(codes)), np.diff(np.concatenate([[0], bounds, [len(codes)]])))
    after = ends - np.arange(len(codes)) - 1  # rows after each row in its passage
    left = np.repeat(np.arange(len(codes)), after)
    first = np.repeat(np.cumsum(after) - after, after)
    right = left + 1 + (np.arange(len(left)) - first)
    ev = pd.DataFrame(
        {"source": names[ent[left]], "target": names[ent[right]], "passage_id": places[group[left]]},
        columns=["source", "target", "passage_id"],
    )
    ev["kind"] = "co-mention"
    ev["relation"] = None
    ev = ev.merge(passages[["passage_id", "doc_id", "claim_class", "date_start", "date_end"]], on="passage_id", how="left")
    return ev[EVIDENCE_COLUMNS]


def relation_evidence(relations: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """One ``relation`` row per row of the ``relations`` table."""
    ev = relations[["source", "target", "relation", "passage_id", "claim_class", "date_start", "date_end"]].copy()
    ev["kind"] = "relation"
    ev = ev.merge(passages[["passage_id", "doc_id"]], on="passage_id", how="left")
    return ev[EVIDENCE_COLUMNS]


def build_evidence(mentions: pd.DataFrame, relations: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """The ``evidence`` table, sorted by ``source, target, kind, passage_id, relation``."""
    parts = [co_mention_evidence(mentions, passages), relation_evidence(relations, passages)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    ev = pd.concat(parts, ignore_index=True)
    ev = ev.astype(object).where(ev.notna(), None)
    return ev.sort_values(_SORT, kind="stable", na_position="first").reset_index(drop=True)


def aggregate_links(evidence: pd.DataFrame) -> pd.DataFrame:
    """Aggregate evidence rows into links, one per ``(source, target, kind)``.

    ``weight`` is the number of distinct passages for co-mentions and the number of relation
    rows for relations; ``n_passages``/``n_documents`` count distinct passages/documents;
    ``first``/``last`` are the earliest ``date_start`` and latest ``date_end`` (null when
    no evidence row is dated); ``relations`` lists the distinct relation types, sorted
    (empty for co-mentions). Rows are sorted by ``source, target, kind``.

    Examples
    --------
    >>> ev = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "kind": ["co-mention"] * 2,
    ...     "relation": [None, None], "passage_id": ["d:0", "d:1"], "doc_id": ["d", "d"],
    ...     "claim_class": ["reports"] * 2, "date_start": ["2003-01-01", None],
    ...     "date_end": ["2003-12-31", None]})
    >>> aggregate_links(ev)[["weight", "n_passages", "first", "last"]].values.tolist()
    [[2.0, 2, '2003-01-01', '2003-12-31']]
    """
    if evidence.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in LINK_COLUMNS})
        out["weight"] = out["weight"].astype("float64")
        out["n_passages"] = out["n_passages"].astype("int32")
        out["n_documents"] = out["n_documents"].astype("int32")
        return out
    keys = ["source", "target", "kind"]
    # a proper string dtype: min/max over object columns holding None fall back to slow Python
    dates = evidence[["date_start", "date_end"]].astype("string")
    g = evidence.groupby(keys, sort=True, dropna=False)
    gd = dates.groupby([evidence[k] for k in keys], sort=True, dropna=False)
    links = pd.DataFrame(
        {
            "rows": g.size(),
            "n_passages": g["passage_id"].nunique(),
            "n_documents": g["doc_id"].nunique(),
            "first": gd["date_start"].min(),
            "last": gd["date_end"].max(),
        }
    ).reset_index()
    # relation types: only relation rows have any, so aggregate those few groups only
    rel = evidence.loc[evidence["kind"] == "relation", [*keys, "relation"]].dropna(subset=["relation"])
    found: dict[tuple, set] = {}
    for *key, relation in zip(*(rel[c].tolist() for c in [*keys, "relation"]), strict=True):
        found.setdefault(tuple(key), set()).add(relation)
    types = {key: sorted(values) for key, values in found.items()}
    links["relations"] = [types.get(key, []) for key in zip(links["source"].tolist(), links["target"].tolist(), links["kind"].tolist(), strict=True)]
    is_rel = links["kind"] == "relation"
    links["weight"] = links["n_passages"].where(~is_rel, links["rows"]).astype("float64")
    links["n_passages"] = links["n_passages"].astype("int32")
    links["n_documents"] = links["n_documents"].astype("int32")
    for col in ("first", "last"):
        links[col] = links[col].astype(object).where(links[col].notna(), None)
    return links[LINK_COLUMNS].reset_index(drop=True)
