"""Lookup tables the evidence panels build once per dataset and once per view.

Panel callbacks answer "which passages mention X", "what is passage P", "which evidence
links A and B" on every click. Scanning the tables with pandas masks costs a few
milliseconds per question even on small data; these dictionaries make each a lookup.
A :class:`DataIndex` is built on first use for a loaded :class:`~dashboard.tables.Tables`
and a :class:`ViewIndex` for a view, and each is kept on its object (views live in the
app's view cache, so the index lives and dies with its view).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.analysis.derived import DICT_ENTRY, cached, derived_bytes, estimate_bytes
from dashboard.panels.arraysets import distinct, distinct_inverse, member

__all__ = ["DataIndex", "ViewIndex", "data_index", "view_index", "pair_key", "cached", "derived_bytes", "estimate_bytes"]



def pair_key(a: str, b: str) -> tuple[str, str]:
    """The order-independent key of a pair of entities."""
    return (a, b) if a <= b else (b, a)


def _none(value):
    if value is None:
        return None
    if not isinstance(value, (list, tuple, dict, str)) and pd.isna(value):
        return None
    return value


def _intern(values: list) -> list:
    """``values`` with every string replaced by its interned copy.

    Converting an Arrow column to Python makes one new string per row, so an id repeated in
    several tables (or a view's copy of the dataset's ids) would be held many times over;
    interned, every structure of the dataset and of every view shares one object per id.
    """
    intern = sys.intern
    return [intern(v) if type(v) is str else v for v in values]


def _col(frame: pd.DataFrame, name: str, intern: bool = True) -> list:
    """A column as a Python list (iterating Arrow-backed columns element by element is slow).

    Strings are interned (see :func:`_intern`) unless ``intern`` is False (long texts).
    """
    values = frame[name].tolist()
    return _intern(values) if intern else values


#: Columns of free text: unique per row, not worth interning.
_TEXT_COLUMNS = frozenset({"text", "title", "description", "url", "source_file"})


def _records(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    cols = list(frame.columns)
    values = [[_none(v) for v in _col(frame, c, c not in _TEXT_COLUMNS)] for c in cols]
    keys = _col(frame, key)
    return {k: dict(zip(cols, row)) for k, row in zip(keys, zip(*values))}


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


def _rows_towards(rows: np.ndarray, sources: np.ndarray, targets: np.ndarray, code: int, want) -> tuple:
    """Of ``rows`` (rows of entity ``code``), those whose other end is one of the codes in
    ``want``, and that other end of each."""
    s, t = sources[rows], targets[rows]
    other = np.where(s == code, t, s)
    pick = member(other, np.fromiter(want, dtype=np.int64, count=len(want)))
    return rows[pick], other[pick]


class ViewIndex:
    """Lookups over a view's evidence and links, answered per entity or pair on demand.

    Entities are integers (make_view's rows of ``view.entities``, or ids factorized once for
    a view built elsewhere); the passages and neighbours of one entity or pair are found by
    integer comparisons on first request and kept, and the columns of strings are read only
    when a question needs them, so a view with a hundred thousand pieces of evidence costs a
    few milliseconds per question.

    Attributes
    ----------
    passage_ids : frozenset
        The view's passages (period and claim filters).
    evidence_per_passage : dict
        passage_id → rows of evidence (pairs) it supports in the view.
    """

    def __init__(self, view):
        self._view = view
        graph = getattr(view, "index", None)
        ev_ends, lk_ends = getattr(view, "evidence_ends", None), getattr(view, "link_ends", None)
        if ev_ends is not None and lk_ends is not None and hasattr(graph, "positions"):
            # make_view's own codes: rows of view.entities, no string hashing
            self._code = graph.positions
            self._ids = np.array(graph.nodes, dtype=object)
            self._ev_s, self._ev_t = ev_ends
            self._lk_s, self._lk_t = lk_ends
        else:  # a view built elsewhere: entity ids → small integers once
            ev, lk = view.evidence, view.links  # (make_view's evidence frame is taken only when read)
            codes, uniques = pd.factorize(
                np.concatenate([ev["source"].to_numpy(dtype=object), ev["target"].to_numpy(dtype=object),
                                lk["source"].to_numpy(dtype=object), lk["target"].to_numpy(dtype=object)])
            )
            codes = codes.astype(np.int32)
            self._ids = np.array(_intern(uniques.tolist()), dtype=object)
            self._code = {u: i for i, u in enumerate(self._ids.tolist())}
            n, m = len(ev), len(lk)
            self._ev_s, self._ev_t = codes[:n], codes[n : 2 * n]
            self._lk_s, self._lk_t = codes[2 * n : 2 * n + m], codes[2 * n + m :]
        self._memo: dict = {}

    # read on first need: a selection rarely needs every column of strings
    @cached_property
    def passage_ids(self) -> frozenset:
        # ids as interned strings: the same objects as the dataset index's and other views'
        return frozenset(_intern(pd.Index(self._view.passage_ids).tolist()))

    @cached_property
    def evidence_per_passage(self) -> dict:
        counts = pd.Series(self._ev_passage).value_counts(sort=False)
        return dict(zip(counts.index.tolist(), counts.tolist()))

    @cached_property
    def _ev_passage(self) -> np.ndarray:
        return np.array(_intern(self._view.evidence["passage_id"].tolist()), dtype=object)

    @cached_property
    def _lk_weight(self) -> np.ndarray:
        return self._view.links["weight"].to_numpy(dtype=float)

    @property
    def nbytes(self) -> int:
        """Estimated memory of this index in bytes (arrays, dictionaries, sets; not the shared ids).

        Counts what has been built so far. The view cache counts it in its budget
        (see :func:`derived_bytes`).
        """
        built = self.__dict__
        arrays = [self._ids, self._ev_s, self._ev_t, self._lk_s, self._lk_t]
        arrays += [built[k] for k in ("_ev_passage", "_lk_weight") if k in built]
        tables = [built[k] for k in ("passage_ids", "evidence_per_passage") if k in built]
        own_code = self._code if not hasattr(getattr(self._view, "index", None), "positions") else {}
        return int(sum(a.nbytes for a in arrays) + sum(sys.getsizeof(t) for t in tables) + sys.getsizeof(own_code)
                   + DICT_ENTRY * (sum(len(t) for t in tables if isinstance(t, dict)) + len(own_code))
                   + sum(estimate_bytes(v) for v in self._memo.values()))

    def _memoized(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _rows(self, eid: str) -> np.ndarray:
        """Positions of the view's evidence rows involving ``eid`` (one scan per entity, kept)."""
        def compute():
            c = self._code.get(eid)
            if c is None:
                return np.empty(0, dtype=np.int64)
            return np.flatnonzero((self._ev_s == c) | (self._ev_t == c))

        return self._memoized(("rows", eid), compute)

    def _by_other(self, eid: str) -> dict:
        """``other entity code → passages`` of ``eid``'s evidence, from its rows only (kept)."""
        def compute():
            c = self._code.get(eid)
            rows = self._rows(eid)
            if c is None or not len(rows):
                return {}
            s, t = self._ev_s[rows], self._ev_t[rows]
            others = np.where(s == c, t, s)
            out: dict = {}
            for o, pid in zip(others.tolist(), self._ev_passage[rows].tolist()):
                out.setdefault(o, set()).add(pid)
            return out

        return self._memoized(("by_other", eid), compute)

    def entity_rows(self, eid: str) -> np.ndarray:
        """Positions of the view's evidence rows involving ``eid`` (sorted)."""
        return self._rows(eid)

    def pair_rows(self, a: str, b: str) -> np.ndarray:
        """Positions of the view's evidence rows for the pair ``a``–``b`` (either order)."""
        ca, cb = self._code.get(a), self._code.get(b)
        if ca is None or cb is None:
            return np.empty(0, dtype=np.int64)
        rows = self._rows(a)
        s, t = self._ev_s[rows], self._ev_t[rows]
        return rows[((s == ca) & (t == cb)) | ((s == cb) & (t == ca))]

    def pair_passages(self, a: str, b: str) -> set:
        """Passages of the view's evidence for the pair ``a``–``b`` (either order)."""
        def compute():
            ca, cb = self._code.get(a), self._code.get(b)
            if ca is None or cb is None:
                return set()
            # from the end whose evidence is already grouped, else from ``a`` (callers pass the
            # selected entity first, so its neighbours cost one grouping, not one scan each)
            if ("by_other", b) in self._memo and ("by_other", a) not in self._memo:
                return set(self._by_other(b).get(ca, ()))
            return set(self._by_other(a).get(cb, ()))

        return self._memoized(("pair", pair_key(a, b)), compute)

    def pair_passage_counts(self, eid: str, others, passage_codes: np.ndarray) -> dict:
        """``{other: len(pair_passages(eid, other))}`` for each of ``others``, by array operations.

        ``passage_codes`` numbers the passage of each of the view's evidence rows (aligned with
        ``view.evidence``; -1 for a passage it cannot number): distinct passages are counted as
        distinct codes, so a hub's evidence costs a sort, not a set of strings per neighbour.
        """
        out = dict.fromkeys(others, 0)
        c, rows = self._code.get(eid), self._rows(eid)
        want = {code: o for o in out if (code := self._code.get(o)) is not None}
        if c is None or not len(rows) or not want:
            return out
        rows, other = _rows_towards(rows, self._ev_s, self._ev_t, c, want)
        other, passage = other.astype(np.int64), passage_codes[rows].astype(np.int64)
        if len(passage) and passage.min() < 0:  # a passage without a number: count ids instead
            return {o: len(self.pair_passages(eid, o)) for o in out}
        base = int(passage.max(initial=0)) + 1
        pairs = distinct(other * base + passage)  # each (neighbour, passage) once
        codes, which = distinct_inverse(pairs // base)
        for code, n in zip(codes.tolist(), np.bincount(which, minlength=len(codes)).tolist()):
            out[want[code]] = n
        return out

    def evidence_passages(self, eid: str) -> set:
        """Passages of the view's evidence involving ``eid``."""
        return self._memoized(("entity", eid), lambda: set(self._ev_passage[self._rows(eid)].tolist()))

    def _link_rows(self, eid: str) -> tuple[int | None, np.ndarray]:
        """``eid``'s code and the positions of its links in the view (one scan per entity, kept)."""
        def compute():
            c = self._code.get(eid)
            if c is None:
                return None, np.empty(0, dtype=np.int64)
            return c, np.flatnonzero((self._lk_s == c) | (self._lk_t == c))

        return self._memoized(("link_rows", eid), compute)

    def neighbor_weights(self, eid: str) -> tuple[np.ndarray, np.ndarray]:
        """``(other entity ids, summed link weight)`` of ``eid``'s neighbours in the view (kept).

        Array operations only, so a hub with thousands of neighbours costs little; the kinds and
        relations of one pair come from :meth:`pair_links`.
        """
        def compute():
            c, rows = self._link_rows(eid)
            if c is None or not len(rows):
                return np.empty(0, dtype=object), np.empty(0, dtype=float)
            s = self._lk_s[rows]
            others = np.where(s == c, self._lk_t[rows], s)
            codes, inverse = distinct_inverse(others)
            weights = np.bincount(inverse, weights=self._lk_weight[rows], minlength=len(codes))
            return self._ids[codes], weights

        return self._memoized(("neighbor_weights", eid), compute)

    def pair_links(self, a: str, b: str) -> dict:
        """``{"weight", "kinds", "relations"}`` over the view's links between ``a`` and ``b``."""
        return self.pair_links_of(a, [b])[b]

    def pair_links_of(self, eid: str, others) -> dict:
        """:meth:`pair_links` of ``eid`` with each of ``others`` (``{other: entry}``), at once.

        The link rows of ``eid`` with any of ``others`` are read from the view's frame in one
        ``take`` per column, not one per pair: listing a hub's thirty strongest neighbours costs
        one read, not thirty.
        """
        out = {o: {"weight": 0.0, "kinds": set(), "relations": set()} for o in others}
        c, rows = self._link_rows(eid)
        want = {code: o for o in out if (code := self._code.get(o)) is not None}
        if c is None or not len(rows) or not want:
            return out
        rows, other = _rows_towards(rows, self._lk_s, self._lk_t, c, want)
        if not len(rows):
            return out
        links = self._view.links  # these rows only: the view's frame is read on demand
        kinds, relations = links["kind"].take(rows).tolist(), links["relations"].take(rows).tolist()
        for code, weight, kind, rels in zip(other.tolist(), self._lk_weight[rows].tolist(), kinds, relations):
            entry = out[want[code]]
            entry["weight"] += weight
            entry["kinds"].add(kind)
            if isinstance(rels, str):
                rels = (rels,)
            if rels is not None and not isinstance(rels, float) and len(rels):
                entry["relations"].update(str(r) for r in rels)
        return out

    def neighbors(self, eid: str) -> dict:
        """``{other: {"weight", "kinds", "relations"}}`` over the view's links of ``eid``."""
        def compute():
            others, _ = self.neighbor_weights(eid)
            return self.pair_links_of(eid, others.tolist())

        return self._memoized(("neighbors", eid), compute)


def _build_data_index(data) -> DataIndex:
    passages = _records(data.passages, "passage_id")
    documents = _records(data.documents, "doc_id")
    ids = _col(data.entities, "entity_id")
    names = dict(zip(ids, (str(n) for n in _col(data.entities, "name", intern=False))))
    types = dict(zip(ids, _col(data.entities, "type")))
    mentions: dict[str, list] = defaultdict(list)
    entity_passages: dict[str, set] = defaultdict(set)
    m = data.mentions
    for pid, eid, start, end in zip(_col(m, "passage_id"), _col(m, "entity_id"), _col(m, "start"), _col(m, "end")):
        mentions[pid].append((start, end, eid))
        entity_passages[eid].add(pid)
    doc_passages: dict[str, list] = defaultdict(list)
    order = data.passages.sort_values(["doc_id", "seq"], kind="mergesort")
    for doc, pid in zip(_col(order, "doc_id"), _col(order, "passage_id")):
        doc_passages[doc].append(pid)
    pair_relations: dict[tuple, list] = defaultdict(list)
    r = data.relations.drop_duplicates(["relation", "source", "target", "passage_id"])
    for rel, s, t, pid in zip(_col(r, "relation"), _col(r, "source"), _col(r, "target"), _col(r, "passage_id")):
        pair_relations[pair_key(s, t)].append((_none(rel), s, t, pid))
    return DataIndex(passages, documents, names, types, dict(mentions), dict(entity_passages), dict(doc_passages),
                     dict(pair_relations))


def _build_view_index(view) -> ViewIndex:
    return ViewIndex(view)


def data_index(data) -> DataIndex:
    """Return the :class:`DataIndex` of ``data``, building it on first use."""
    return cached(data, "data", lambda: _build_data_index(data))


def view_index(view) -> ViewIndex:
    """Return the :class:`ViewIndex` of ``view``, building it on first use."""
    return cached(view, "view", lambda: _build_view_index(view))
