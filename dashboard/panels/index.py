"""Lookup tables the evidence panels build once per dataset and once per view.

Panel callbacks answer "which passages mention X", "what is passage P", "which evidence
links A and B" on every click. Scanning the tables with pandas masks costs a few
milliseconds per question even on small data; these dictionaries make each a lookup.
A :class:`DataIndex` is built on first use for a loaded :class:`~dashboard.tables.Tables`
and a :class:`ViewIndex` for a view, and each is kept on its object (views live in the
app's view cache, so the index lives and dies with its view).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

__all__ = ["DataIndex", "ViewIndex", "data_index", "view_index", "pair_key", "cached"]

_ATTR = "_panels_index"


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The order-independent key of a pair of entities."""
    return (a, b) if a <= b else (b, a)


def _none(value):
    if value is None:
        return None
    if not isinstance(value, (list, tuple, dict, str)) and pd.isna(value):
        return None
    return value


def _records(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    cols = list(frame.columns)
    return {
        row[cols.index(key)]: {c: _none(v) for c, v in zip(cols, row)}
        for row in frame.itertuples(index=False, name=None)
    }


@dataclass
class DataIndex:
    """Dictionaries over a dataset.

    Attributes
    ----------
    passages : dict
        passage_id → row dict (``doc_id, seq, page, text, date_start, date_end,
        date_precision, claim_class``; missing values are None).
    documents : dict
        doc_id → row dict.
    names, types : dict
        entity_id → name / type.
    mentions : dict
        passage_id → list of ``(start, end, entity_id)``.
    entity_passages : dict
        entity_id → set of passage ids mentioning it.
    doc_passages : dict
        doc_id → passage ids in document order.
    pair_relations : dict
        :func:`pair_key` → list of ``(relation, source, target, passage_id)`` from the
        ``relations`` table (typed relations, whatever the view's link filters).
    """

    passages: dict
    documents: dict
    names: dict
    types: dict
    mentions: dict
    entity_passages: dict
    doc_passages: dict
    pair_relations: dict


@dataclass
class ViewIndex:
    """Dictionaries over a view's evidence and links.

    Attributes
    ----------
    passage_ids : frozenset
        The view's passages (period and claim filters).
    evidence_passages : dict
        entity_id → passages of the view's evidence that involve it.
    pair_passages : dict
        :func:`pair_key` → passages of evidence for the pair.
    neighbors : dict
        entity_id → {other: {"weight", "kinds", "relations"}} from the view's links.
    evidence_per_passage : Counter
        passage_id → rows of evidence (pairs) it supports in the view.
    """

    passage_ids: frozenset
    evidence_passages: dict
    pair_passages: dict
    neighbors: dict
    evidence_per_passage: Counter


def _build_data_index(data) -> DataIndex:
    passages = _records(data.passages, "passage_id")
    documents = _records(data.documents, "doc_id")
    names = dict(zip(data.entities["entity_id"], data.entities["name"].astype(str)))
    types = dict(zip(data.entities["entity_id"], data.entities["type"]))
    mentions: dict[str, list] = defaultdict(list)
    entity_passages: dict[str, set] = defaultdict(set)
    m = data.mentions
    for pid, eid, start, end in zip(m["passage_id"], m["entity_id"], m["start"], m["end"]):
        mentions[pid].append((start, end, eid))
        entity_passages[eid].add(pid)
    doc_passages: dict[str, list] = defaultdict(list)
    order = data.passages.sort_values(["doc_id", "seq"], kind="mergesort")
    for doc, pid in zip(order["doc_id"], order["passage_id"]):
        doc_passages[doc].append(pid)
    pair_relations: dict[tuple, list] = defaultdict(list)
    r = data.relations.drop_duplicates(["relation", "source", "target", "passage_id"])
    for rel, s, t, pid in zip(r["relation"], r["source"], r["target"], r["passage_id"]):
        pair_relations[pair_key(s, t)].append((_none(rel), s, t, pid))
    return DataIndex(passages, documents, names, types, dict(mentions), dict(entity_passages), dict(doc_passages),
                     dict(pair_relations))


def _build_view_index(view) -> ViewIndex:
    ev = view.evidence
    evidence_passages: dict[str, set] = defaultdict(set)
    pair_passages: dict[tuple, set] = defaultdict(set)
    for s, t, pid in zip(ev["source"], ev["target"], ev["passage_id"]):
        evidence_passages[s].add(pid)
        evidence_passages[t].add(pid)
        pair_passages[pair_key(s, t)].add(pid)
    neighbors: dict[str, dict] = defaultdict(dict)
    lk = view.links
    for s, t, kind, rels, w in zip(lk["source"], lk["target"], lk["kind"], lk["relations"], lk["weight"]):
        rels = [str(r) for r in rels] if rels is not None and not isinstance(rels, str) else ([rels] if rels else [])
        for a, b in ((s, t), (t, s)):
            entry = neighbors[a].setdefault(b, {"weight": 0.0, "kinds": set(), "relations": set()})
            entry["weight"] += float(w)
            entry["kinds"].add(kind)
            entry["relations"].update(rels)
    return ViewIndex(
        frozenset(pd.Index(view.passage_ids)),
        dict(evidence_passages),
        dict(pair_passages),
        dict(neighbors),
        Counter(ev["passage_id"]),
    )


def cached(obj, key: str, compute):
    """Return ``compute()`` memoized on ``obj`` (a dataset or a view) under ``key``."""
    store = getattr(obj, _ATTR, None)
    if store is None:
        store = {}
        setattr(obj, _ATTR, store)
    if key not in store:
        store[key] = compute()
    return store[key]


def data_index(data) -> DataIndex:
    """Return the :class:`DataIndex` of ``data``, building it on first use."""
    return cached(data, "data", lambda: _build_data_index(data))


def view_index(view) -> ViewIndex:
    """Return the :class:`ViewIndex` of ``view``, building it on first use."""
    return cached(view, "view", lambda: _build_view_index(view))
