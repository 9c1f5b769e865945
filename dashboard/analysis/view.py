"""Filters → view: the sub-tables and graph every panel, export and CLI command shows.

A :class:`View` is built from the in-memory :class:`~dashboard.tables.Tables` and a
:class:`Filters` value. It never re-scans mentions for links: links are re-aggregated from
the ``evidence`` table (one row per pair and passage), so every filter (period, claim
class, link kind, relation type, minimum evidence) is a row mask followed by a group-by.

Filter semantics
----------------
- ``claims``: a passage (and a piece of evidence) passes if its claim class is listed.
- ``start``/``end``: a passage or evidence row passes if its date interval
  ``[date_start, date_end]`` overlaps the period (partial dates were stored as intervals by
  the build). Undated rows are excluded while a period is set; the view notes how many.
- ``kinds``/``relations``: restrict evidence by link kind; ``relations`` restricts only
  ``relation`` evidence to the listed relation types (co-mentions are governed by ``kinds``).
- ``types``: entity types kept. ``community``: the build's (global) community id.
- ``orgs``: the organizations themselves plus every entity affiliated with one of them;
  ``hops=1`` adds their direct neighbours in the filtered evidence.
- ``min_weight``: a link needs evidence from at least this many passages.
- ``focus``/``depth``: keep the ego network of ``focus`` (after every other filter).

An entity is in the view when it passes the entity filters and is mentioned in a passing
passage or has a link in the view; when a link filter is active (kinds, relations,
min_weight > 1) entities left without links are dropped, except the chosen organizations
and the focus.

Metrics and communities are recomputed on the filtered graph (the unfiltered view reuses
the build's), from one SciPy adjacency matrix built from the links' entity codes:
degree, weighted degree, PageRank and eigenvector exactly; betweenness exactly while
entities × links fits the ``view_betweenness_work`` budget, else from
``budget / links`` sampled sources (flagged ``betweenness_approx`` and noted).
Communities: Louvain (NetworkX's, replayed on lists of rows by
:func:`~dashboard.analysis.communities.louvain_rows`) while the view has at most
``communities_exact_max`` links; above
that, the build's communities split where the view disconnects them (noted). View
communities are renumbered to the global community they overlap most
(:func:`stable_communities`) so colours stay put while the user filters.

Cost: the tables are indexed once (:func:`_index`, integer codes, evidence sorted by
link), so a new filter state is row masks, ``reduceat`` over runs of evidence and sparse
products: about 25 ms of CPU at 2,000 entities / 20,000 passages and 60 ms at 10,000 /
100,000 on a quiet machine (``python -m bench.bench_analytics``). What a view holds but few
interactions read is taken on first access: the evidence frame (``View.evidence``; panels
that need positions use ``evidence_rows`` / ``evidence_ends``) and the passage id indexes.
The NetworkX graph of a view is only built when an algorithm needs one (paths, re-layout);
neighbour look-ups use :class:`GraphIndex`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from dashboard.analysis.communities import louvain_adjacency, split_communities
from dashboard.analysis.graph import GraphIndex
from dashboard.analysis.metrics import adjacency_from_codes, measure_arrays
from dashboard.settings import resolve
from dashboard.state import normalize_state, parse_date_bound

__all__ = [
    "aggregate_links",
    "Filters",
    "View",
    "make_view",
    "stable_communities",
    "limit_view",
    "limit_rows",
    "METRIC_COLUMNS",
]

METRIC_COLUMNS = ("degree", "weighted_degree", "betweenness", "betweenness_approx", "eigenvector", "pagerank")
_ENTITY_COLUMNS = ("entity_id", "name", "type", "aliases", "affiliations", "description", "n_mentions",
                   "n_passages", "n_documents", "first", "last")
_LINK_COLUMNS = ("source", "target", "kind", "relations", "weight", "n_passages", "n_documents", "first", "last")


@dataclass(frozen=True)
class Filters:
    """The filter part of the state, normalized and hashable (the view cache key).

    ``start`` and ``end`` are ISO day bounds (``"2004"`` as start becomes ``"2004-01-01"``,
    as end ``"2004-12-31"``).
    """

    orgs: tuple[str, ...] = ()
    hops: int = 0
    start: str | None = None
    end: str | None = None
    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    min_weight: int = 1
    community: int | None = None
    focus: str | None = None
    depth: int = 1

    @classmethod
    def from_state(cls, state: Any) -> "Filters":
        """Build filters from an (untrusted) state dict."""
        s = normalize_state(state)
        return cls(
            orgs=tuple(sorted(s["orgs"])),
            hops=s["hops"] if s["orgs"] else 0,
            start=parse_date_bound(s["start"]),
            end=parse_date_bound(s["end"], end=True),
            types=tuple(s["types"]),
            kinds=tuple(s["kinds"]),
            relations=tuple(s["relations"]),
            claims=tuple(s["claims"]),
            min_weight=s["min_weight"],
            community=s["community"],
            focus=s["focus"],
            depth=s["depth"] if s["focus"] else 1,
        )

    @property
    def has_period(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def filters_evidence(self) -> bool:
        """True when evidence rows are filtered (the build's links cannot be reused)."""
        return bool(self.has_period or self.claims or self.kinds or self.relations)

    @property
    def filters_links(self) -> bool:
        """True when a filter removes links (isolated entities are then dropped)."""
        return bool(self.kinds or self.relations or self.min_weight > 1)

    @property
    def is_default(self) -> bool:
        return self == Filters()


@dataclass
class View:
    """What the filters leave of the dataset.

    Attributes
    ----------
    filters : Filters
    entities : DataFrame
        Entity rows in the view, indexed by ``entity_id`` (also a column), with the view's
        metrics (``degree`` … ``pagerank``), ``community`` (stable id, see
        :func:`stable_communities`), ``global_community`` (the build's) and ``x``, ``y``.
    links : DataFrame
        One row per (source, target, kind) in the view, columns as the ``links`` table.
    evidence : DataFrame
        Evidence rows behind ``links`` (rows of the dataset's ``evidence`` table in their
        order, renumbered from 0). Taken from the dataset on first access and kept: its
        columns of strings are the largest part of a view, and panels that only need row
        positions use ``evidence_rows`` and ``evidence_ends`` instead.
    evidence_rows : ndarray of int
        Positions in the dataset's ``evidence`` table of the rows of ``evidence`` (sorted).
    passage_ids : Index
        Passages passing the period and claim filters (from ``passage_mask`` on first access).
    visible_passage_ids : Index
        Of those, the passages that mention an entity of the view (from ``visible_mask`` on
        first access).
    index : GraphIndex
        Neighbour look-ups on the view's adjacency (cheap; use it for membership and
        neighbours).
    link_ends : tuple of ndarray
        Rows in ``entities`` of each link's source and target (aligned with ``links``).
    passage_mask : ndarray of bool
        ``passage_ids`` as a mask over the rows of ``data.passages``.
    evidence_ends : tuple of ndarray
        Rows in ``entities`` of each evidence row's source and target (aligned with ``evidence``).
    graph : networkx.Graph
        Undirected graph of the view, one edge per pair (``weight`` = summed weights of the
        pair's links); built from ``index`` on first use and kept.
    notes : list of str
        Plain-text notes for the user (empty view, undated passages, approximations).
    counts, total : dict
        Visible and dataset-wide counts of ``entities``, ``links``, ``passages``, ``documents``.
    frames_nbytes : int or None
        Bytes of the buffers of ``entities`` and ``links`` (``memory_usage(index=False,
        deep=False)``), known to :func:`make_view` from the arrays it builds them from (the
        links' share of a table it filtered, pro rata), so the view cache need not measure
        the frames column by column; None for a view built elsewhere.
    """

    filters: Filters
    entities: pd.DataFrame
    links: pd.DataFrame
    evidence_table: pd.DataFrame = field(repr=False, compare=False)  # the dataset's (shared, read-only)
    evidence_rows: np.ndarray = field(repr=False, compare=False)
    passage_index: pd.Index = field(default=None, repr=False, compare=False)  # the dataset's passage ids (shared)
    visible_mask: np.ndarray | None = field(default=None, repr=False, compare=False)
    index: GraphIndex = None
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    link_ends: tuple | None = field(default=None, repr=False, compare=False)
    passage_mask: np.ndarray | None = field(default=None, repr=False, compare=False)
    evidence_ends: tuple | None = field(default=None, repr=False, compare=False)
    _graph: nx.Graph | None = field(default=None, repr=False, compare=False)
    _evidence: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    _passage_ids: pd.Index | None = field(default=None, repr=False, compare=False)
    _visible_passage_ids: pd.Index | None = field(default=None, repr=False, compare=False)
    frames_nbytes: int | None = field(default=None, repr=False, compare=False)

    @property
    def passage_ids(self) -> pd.Index:
        if self._passage_ids is None:
            self._passage_ids = self.passage_index[self.passage_mask]
        return self._passage_ids

    @property
    def visible_passage_ids(self) -> pd.Index:
        if self._visible_passage_ids is None:
            self._visible_passage_ids = self.passage_index[np.flatnonzero(self.visible_mask)]
        return self._visible_passage_ids

    @property
    def evidence(self) -> pd.DataFrame:
        if self._evidence is None:
            table, rows = self.evidence_table, self.evidence_rows
            if len(rows) == len(table) and table.index.equals(pd.RangeIndex(len(table))):
                self._evidence = table  # every row, in the table's order: share it, not a copy per view
            else:
                self._evidence = table.iloc[rows].reset_index(drop=True)
        return self._evidence

    def evidence_column(self, name: str) -> pd.Series:
        """One column of ``evidence`` (index 0, 1, …) without taking the other columns (or
        from the frame once it has been taken)."""
        if self._evidence is not None:
            return self._evidence[name]
        col = self.evidence_table[name]
        return pd.Series(col.array.take(self.evidence_rows), name=name, copy=False)

    @property
    def evidence_loaded(self) -> bool:
        """True once ``evidence`` has been taken from the dataset (for memory accounting)."""
        return self._evidence is not None

    @property
    def graph(self) -> nx.Graph:
        if self._graph is None:
            self._graph = self.index.to_networkx()
        return self._graph

    @property
    def empty(self) -> bool:
        return self.entities.empty


# ---------------------------------------------------------------------------------------
# per-dataset indexes (computed once per Tables object): integer codes and day numbers, so
# every filter is a numpy mask and every aggregation a bincount.


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """``YYYY-MM-DD`` → ``YYYYMMDD`` as int64 (-1 when missing), comparable like the text."""
    digits = dates.astype(object).where(dates.notna(), None).map(
        lambda d: int(str(d)[:10].replace("-", "")) if d else -1)
    return digits.to_numpy(dtype=np.int64)


def _day_texts(days: np.ndarray, known: tuple[np.ndarray, pd.Series] | None = None) -> pd.Series:
    """:func:`_day_text` of every element (a string Series), formatting each distinct day once.

    ``known`` (sorted day numbers and their texts, from the index) skips the formatting.
    """
    if known is not None and len(known[0]):
        at = np.searchsorted(known[0], days).clip(0, len(known[0]) - 1)
        if bool((known[0][at] == days).all()):
            return known[1].take(at).reset_index(drop=True)
    uniq, inv = np.unique(days, return_inverse=True)
    texts = pd.Series([_day_text(int(d)) for d in uniq], dtype="str")
    return texts.take(inv).reset_index(drop=True)


def _known_days(days: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    uniq = np.unique(days)
    return uniq, pd.Series([_day_text(int(d)) for d in uniq], dtype="str")


def _day_number(bound: str | None) -> int | None:
    return None if bound is None else int(bound.replace("-", ""))


def _day_text(n: int) -> str | None:
    return None if n < 0 else f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"


@dataclass
class _Index:
    ids: np.ndarray  # entity ids, position = entity code
    code: dict[str, int]
    id_series: pd.Series  # ids as strings of the tables' dtype, for fast take()
    sort_rank: np.ndarray  # rank of each code when ids are sorted as text
    entities: pd.DataFrame  # indexed by entity_id
    members: dict[str, set[str]]  # org id -> affiliated entity ids
    global_community: pd.Series
    rank: pd.Series  # global weighted degree, for tie-breaks
    fresh_community: int  # first id above every global community
    positions: pd.DataFrame  # x, y by entity_id
    types: np.ndarray
    claim_names: np.ndarray  # claim class of each claim code (passages and evidence)
    # passages
    p_ids: np.ndarray
    p_claim: np.ndarray  # claim code
    p_index: pd.Index  # passage ids, for fast boolean selection
    p_start: np.ndarray
    p_end: np.ndarray
    p_doc: np.ndarray  # doc code
    # mentions (distinct entity, passage-row pairs)
    m_ent: np.ndarray
    m_pass: np.ndarray
    mentioned: np.ndarray  # bool per entity code
    m_pass_by_ent: np.ndarray  # m_pass grouped by entity code (stable)
    m_ptr: np.ndarray  # entity code c's mentions are m_pass_by_ent[m_ptr[c]:m_ptr[c + 1]]
    # evidence rows (only rows whose both ends are known entities), sorted by ev_key, then
    # document, then passage
    ev_rows: np.ndarray  # positions in data.evidence
    ev_src: np.ndarray
    ev_tgt: np.ndarray
    ev_key: np.ndarray  # (source code * n + target code) * 2 + is relation: one value per link
    ev_rel: np.ndarray  # bool: kind == relation
    ev_kind: np.ndarray  # kind code
    kind_names: np.ndarray
    kind_texts: Any  # "co-mention", "relation" as a string array of the tables' dtype
    ev_relation: np.ndarray  # relation code, -1 for none
    relation_names: np.ndarray
    ev_pass: np.ndarray  # passage code (own factorization)
    ev_doc: np.ndarray
    ev_claim: np.ndarray  # claim code
    ev_start: np.ndarray
    ev_end: np.ndarray
    day_texts: tuple  # (sorted day numbers of evidence, their ISO texts), for link dates
    ev_start_rank: np.ndarray  # position of ev_start in day_texts[0] (0 = undated: -1 is the smallest)
    ev_end_rank: np.ndarray
    # entity columns by code, for building a view's entities frame without a frame take
    ent_columns: dict  # column name -> array (pandas extension array or ndarray)
    ent_index: pd.Index  # entity ids (unnamed)
    pos_x: np.ndarray
    pos_y: np.ndarray
    glob_arr: np.ndarray  # global_community as int64
    rank_arr: np.ndarray  # rank as float
    # the build's links as entity codes
    l_src: np.ndarray
    l_tgt: np.ndarray
    links_nbytes: int = 0  # buffers of data.links (memory_usage(index=False, deep=False))


def _index(data) -> _Index:
    cached = getattr(data, "_view_index", None)
    if cached is not None:
        return cached
    ent = data.entities.drop_duplicates("entity_id").set_index("entity_id", drop=False)
    ids = ent["entity_id"].to_numpy(dtype=object)
    code = {e: i for i, e in enumerate(ids)}
    members: dict[str, set[str]] = {}
    for eid, affs in zip(ent["entity_id"], ent["affiliations"]):
        for org in _as_list(affs):
            members.setdefault(org, set()).add(eid)
    pos = data.layout.drop_duplicates("entity_id").set_index("entity_id")[["x", "y"]]

    p = data.passages
    p_start = _day_numbers(p["date_start"])
    p_end = _day_numbers(p["date_end"])
    p_end = np.where(p_end < 0, p_start, p_end)
    p_doc = pd.factorize(p["doc_id"])[0]
    p_row = {pid: i for i, pid in enumerate(p["passage_id"])}

    m = data.mentions[["passage_id", "entity_id"]].drop_duplicates()
    m_ent = m["entity_id"].map(code).to_numpy(dtype=float)
    m_pass = m["passage_id"].map(p_row).to_numpy(dtype=float)
    ok = ~(np.isnan(m_ent) | np.isnan(m_pass))
    m_ent, m_pass = m_ent[ok].astype(np.int64), m_pass[ok].astype(np.int64)
    mentioned = np.zeros(len(ids), dtype=bool)
    mentioned[m_ent] = True

    ev = data.evidence
    src = ev["source"].map(code).to_numpy(dtype=float)
    tgt = ev["target"].map(code).to_numpy(dtype=float)
    ok = ~(np.isnan(src) | np.isnan(tgt))
    src, tgt = src[ok].astype(np.int64), tgt[ok].astype(np.int64)
    rows = np.flatnonzero(ok)
    evk = ev.iloc[rows]
    ev_rel = (evk["kind"] == "relation").to_numpy(dtype=bool)
    ev_pass = pd.factorize(evk["passage_id"])[0]
    ev_doc = pd.factorize(evk["doc_id"])[0]
    key = (src * len(ids) + tgt) * 2 + ev_rel
    # sorted by link, then document, then passage: a link's rows are contiguous, so a
    # filtered aggregation needs no sort (see _aggregate)
    order = np.lexsort((ev_pass, ev_doc, key))
    evk = evk.iloc[order]
    rel_codes, rel_names = pd.factorize(evk["relation"])
    ev_start = _day_numbers(evk["date_start"])
    ev_end = _day_numbers(evk["date_end"])
    claim_codes, claim_names = pd.factorize(pd.concat([p["claim_class"], evk["claim_class"]], ignore_index=True))
    kind_codes, kind_names = pd.factorize(evk["kind"])
    links = data.links
    id_series = pd.Series(ids, dtype=links["source"].dtype if len(links) else "str")
    ev_end = np.where(ev_end < 0, ev_start, ev_end)
    day_texts = _known_days(np.concatenate([ev_start, ev_end, [-1]]))
    ent_index = ent.index.copy()
    ent_index.name = None
    xy = pos.reindex(ent.index)
    global_community = ent["community"].fillna(-1).astype(int)
    rank = ent["weighted_degree"].fillna(0.0)
    id_index = pd.Index(ids)
    index = _Index(
        ids=ids, code=code, id_series=id_series,
        sort_rank=np.argsort(np.argsort(ids.astype(str), kind="stable")),
        entities=ent, members=members,
        global_community=global_community, rank=rank, positions=pos,
        fresh_community=int(ent["community"].fillna(-1).max()) + 1 if len(ent) else 0, types=ent["type"].to_numpy(dtype=object),
        claim_names=np.asarray(claim_names, dtype=object),
        p_ids=p["passage_id"].to_numpy(dtype=object), p_claim=claim_codes[: len(p)],
        p_index=pd.Index(p["passage_id"]),
        p_start=p_start, p_end=p_end, p_doc=p_doc,
        m_ent=m_ent, m_pass=m_pass, mentioned=mentioned,
        m_pass_by_ent=m_pass[np.argsort(m_ent, kind="stable")],
        m_ptr=np.concatenate([[0], np.cumsum(np.bincount(m_ent, minlength=len(ids)))]).astype(np.int64),
        ev_rows=rows[order], ev_src=src[order], ev_tgt=tgt[order], ev_key=key[order],
        ev_rel=ev_rel[order], ev_kind=kind_codes, kind_names=np.asarray(kind_names, dtype=object),
        kind_texts=pd.Series(["co-mention", "relation"], dtype=id_series.dtype).array,
        ev_relation=rel_codes, relation_names=np.asarray(rel_names, dtype=object),
        ev_pass=ev_pass[order], ev_doc=ev_doc[order],
        ev_claim=claim_codes[len(p):],
        ev_start=ev_start, ev_end=ev_end, day_texts=day_texts,
        ev_start_rank=np.searchsorted(day_texts[0], ev_start), ev_end_rank=np.searchsorted(day_texts[0], ev_end),
        ent_columns={c: ent[c].array for c in (*_ENTITY_COLUMNS, *METRIC_COLUMNS)}, ent_index=ent_index,
        pos_x=xy["x"].fillna(0.0).to_numpy(dtype=float), pos_y=xy["y"].fillna(0.0).to_numpy(dtype=float),
        glob_arr=global_community.to_numpy(dtype=np.int64), rank_arr=rank.to_numpy(dtype=float),
        l_src=id_index.get_indexer(links["source"]), l_tgt=id_index.get_indexer(links["target"]),
        links_nbytes=int(links.memory_usage(index=False, deep=False).sum()),
    )
    data._view_index = index  # cached on the dataset object it describes
    return index


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and np.isnan(value):
        return []
    return [str(v) for v in value]


def _setting(settings: Mapping | None, name: str):
    if settings and settings.get(name) is not None:
        return settings[name]
    return resolve(name)


# ---------------------------------------------------------------------------------------
# row masks


def _codes(names: np.ndarray, wanted) -> np.ndarray:
    return np.flatnonzero(np.isin(names, list(wanted)))


def _period_mask(start: np.ndarray, end: np.ndarray, f: Filters) -> np.ndarray:
    mask = start >= 0
    if f.end is not None:
        mask &= start <= _day_number(f.end)
    if f.start is not None:
        mask &= end >= _day_number(f.start)
    return mask


def _passage_mask(idx: _Index, f: Filters, notes: list[str]) -> np.ndarray:
    mask = np.ones(len(idx.p_ids), dtype=bool)
    if f.claims:
        mask &= np.isin(idx.p_claim, _codes(idx.claim_names, f.claims))
    if f.has_period:
        undated = int((mask & (idx.p_start < 0)).sum())
        mask &= _period_mask(idx.p_start, idx.p_end, f)
        if undated:
            notes.append(f"{undated} undated passage{'s are' if undated != 1 else ' is'} left out while a period is set.")
    return mask


def _evidence_mask(idx: _Index, f: Filters) -> np.ndarray:
    mask = np.ones(len(idx.ev_rows), dtype=bool)
    if f.claims:
        mask &= np.isin(idx.ev_claim, _codes(idx.claim_names, f.claims))
    if f.has_period:
        mask &= _period_mask(idx.ev_start, idx.ev_end, f)
    if f.kinds:
        mask &= np.isin(idx.ev_kind, _codes(idx.kind_names, f.kinds))
    if f.relations:
        wanted = np.flatnonzero(np.isin(idx.relation_names, list(f.relations)))
        mask &= ~idx.ev_rel | np.isin(idx.ev_relation, wanted)
    return mask


def _aggregate(idx: _Index, mask: np.ndarray):
    """Links from the evidence rows in ``mask``.

    The index keeps evidence sorted by link, document and passage, so every link's rows
    are one run: counts, distinct passages and documents, first and last dates are
    ``reduceat`` over the runs, with no sort and no hashing.

    Returns
    -------
    links : DataFrame
        Sorted by source code, target code, kind.
    nbytes : int
        (last) The bytes of the buffers of ``links``.
    inv : ndarray
        The link (row of ``links``) of every selected evidence row.
    sel : ndarray
        The selected evidence positions (in index order).
    src, tgt : ndarray
        Entity codes of each link's ends.
    """
    sel = np.flatnonzero(mask)
    n_ent = len(idx.ids)
    if len(sel) == 0:
        empty = np.zeros(0, np.int64)
        links = aggregate_links(pd.DataFrame(columns=["source", "target", "kind", "relation", "passage_id", "doc_id",
                                                      "date_start", "date_end"]))
        return links, empty, sel, empty, empty, int(links.memory_usage(index=False, deep=False).sum())
    key = idx.ev_key[sel]
    new_link = np.empty(len(sel), dtype=bool)
    new_link[0] = True
    np.not_equal(key[1:], key[:-1], out=new_link[1:])
    starts = np.flatnonzero(new_link)
    inv = np.cumsum(new_link) - 1
    groups = key[starts]
    n = len(groups)
    rows = np.diff(np.append(starts, len(sel)))
    doc = idx.ev_doc[sel]
    pas = idx.ev_pass[sel]
    new_doc = new_link.copy()
    new_doc[1:] |= doc[1:] != doc[:-1]
    new_pass = new_doc.copy()
    new_pass[1:] |= pas[1:] != pas[:-1]
    n_docs = np.add.reduceat(new_doc.astype(np.int64), starts)
    n_pass = np.add.reduceat(new_pass.astype(np.int64), starts)
    # dates as ranks among the evidence's distinct days (rank 0 = undated), so first and last
    # are reduceat over integers and their texts one take from the index's texts
    big = np.iinfo(np.int64).max
    start_rank = idx.ev_start_rank[sel]
    undated = start_rank == 0
    first = np.minimum.reduceat(np.where(undated, big, start_rank), starts)
    first[first == big] = 0
    last = np.maximum.reduceat(np.where(undated, 0, idx.ev_end_rank[sel]), starts)
    is_rel = (groups % 2).astype(bool)
    relations = _relation_lists(idx, idx.ev_relation[sel], starts, n)
    pair = groups // 2
    src, tgt = pair // n_ent, pair % n_ent
    ids = idx.id_series.array
    texts = idx.day_texts[1].array
    columns = {
        "source": ids.take(src),
        "target": ids.take(tgt),
        "kind": idx.kind_texts.take(is_rel.astype(np.int64)),
        "relations": relations,
        "weight": np.where(is_rel, rows, n_pass).astype(float),
        "n_passages": n_pass.astype("int32"),
        "n_documents": n_docs.astype("int32"),
        "first": texts.take(first),
        "last": texts.take(last),
    }
    return pd.DataFrame(columns, copy=False), inv, sel, src, tgt, _nbytes(columns.values())


def _nbytes(arrays) -> int:
    """Bytes of the buffers of ``arrays`` (what ``memory_usage(deep=False)`` counts of frame
    columns made of them)."""
    return int(sum(a.nbytes for a in arrays))


def _relation_lists(idx: _Index, rsel: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """The sorted relation types of each link (``()`` for none) from its evidence rows' codes.

    Each link's set of relation codes is one bit mask (``bitwise_or`` over its run); each
    distinct mask is spelled out once, and links with the same set share that list (read-only,
    like the shared empty tuple of links without relations).
    """
    relations = np.empty(n, dtype=object)
    relations.fill(())  # one shared empty tuple: no allocation per link
    has = rsel >= 0
    if not has.any():
        return relations
    width = len(idx.relation_names)
    if width > 62:  # more relation types than bits: per (link, relation) pair
        found: dict[int, list[str]] = {}
        inv = np.repeat(np.arange(n), np.diff(np.append(starts, len(rsel))))
        for code in np.unique(inv[has].astype(np.int64) * width + rsel[has]).tolist():
            found.setdefault(code // width, []).append(str(idx.relation_names[code % width]))
        for g, names in found.items():
            relations[g] = sorted(names)
        return relations
    bits = np.zeros(len(rsel), dtype=np.int64)
    bits[has] = np.left_shift(np.int64(1), rsel[has].astype(np.int64))
    masks = np.bitwise_or.reduceat(bits, starts)
    linked = np.flatnonzero(masks)
    uniq, which = np.unique(masks[linked], return_inverse=True)
    names = [str(r) for r in idx.relation_names]
    spelled = [sorted(names[b] for b in range(width) if (m >> b) & 1) for m in uniq.tolist()]
    lists = np.empty(len(spelled), dtype=object)
    for i, names_of in enumerate(spelled):  # one by one: lists of equal length would become a 2-d array
        lists[i] = names_of
    relations[linked] = lists[which]
    return relations


def aggregate_links(evidence: pd.DataFrame) -> pd.DataFrame:
    """Aggregate evidence rows into link rows (source, target, kind) like the build does.

    ``weight`` is the number of distinct passages for co-mentions and the number of
    relation rows for relations (the build's definition); ``first``/``last`` are the
    earliest ``date_start`` and latest ``date_end``.
    """
    if evidence.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _LINK_COLUMNS}).astype(
            {"weight": float, "n_passages": "int32", "n_documents": "int32"})
    g = evidence.groupby(["source", "target", "kind"], sort=True)
    out = g.agg(
        rows=("passage_id", "size"),
        n_passages=("passage_id", "nunique"),
        n_documents=("doc_id", "nunique"),
        first=("date_start", "min"),
        last=("date_end", "max"),
    ).reset_index()
    rel = evidence[evidence["relation"].notna()]
    relmap: dict[tuple, list[str]] = {}
    if not rel.empty:
        for key, values in rel.groupby(["source", "target", "kind"], sort=False)["relation"]:
            relmap[key] = sorted(set(values))
    out["relations"] = [relmap.get(k, []) for k in zip(out["source"], out["target"], out["kind"])]
    is_rel = out["kind"] == "relation"
    out["weight"] = out["n_passages"].where(~is_rel, out["rows"]).astype(float)
    out["n_passages"] = out["n_passages"].astype("int32")
    out["n_documents"] = out["n_documents"].astype("int32")
    for col in ("first", "last"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[list(_LINK_COLUMNS)]


# ---------------------------------------------------------------------------------------
# graph, metrics, communities


def _adjacency(idx: "_Index", node_mask: np.ndarray, l_src: np.ndarray, l_tgt: np.ndarray,
               weight: np.ndarray):
    """Adjacency of the entities in ``node_mask`` (rows sorted by id) and their codes."""
    order = np.flatnonzero(node_mask)
    order = order[np.argsort(idx.sort_rank[order], kind="stable")]
    local = np.full(len(idx.ids), -1, dtype=np.int64)
    local[order] = np.arange(len(order))
    return adjacency_from_codes(len(order), local[l_src], local[l_tgt], weight), order


def _ego(A, i: int, depth: int) -> np.ndarray:
    """Rows within ``depth`` hops of row ``i`` of ``A`` (sorted)."""
    reach = np.zeros(A.shape[0], dtype=bool)
    reach[i] = True
    frontier = reach.copy()
    for _ in range(max(0, depth)):
        nxt = (A @ frontier.astype(float)) > 0
        frontier = nxt & ~reach
        if not frontier.any():
            break
        reach |= frontier
    return np.flatnonzero(reach)


def stable_communities(view_comm: Mapping[str, int], global_comm: Mapping[str, int],
                       rank: Mapping[str, float] | None = None) -> dict[str, int]:
    """Renumber view communities to the global communities they overlap most.

    View communities are taken biggest first; each gets the global community holding most
    of its members (ties: the global community of its highest-ranked member, then the
    smaller id) that no bigger view community has taken. A view community whose
    candidates are all taken gets a fresh id above every global id. So on the unfiltered
    view the global numbering comes back, and a community keeps its id (and colour) while
    filters remove members around it.

    Parameters
    ----------
    view_comm : mapping entity_id -> view community
    global_comm : mapping entity_id -> global community (negative or missing = none)
    rank : mapping entity_id -> importance (e.g. global weighted degree), for tie-breaks

    Returns
    -------
    dict
        entity_id -> stable community id.
    """
    rank = rank or {}
    if not view_comm:
        return {}
    ids = list(view_comm)
    comm = np.array([view_comm[e] for e in ids], dtype=np.int64)
    glob = np.array([_community_id(global_comm.get(e)) for e in ids], dtype=np.int64)
    known = [_community_id(g) for g in global_comm.values()]
    key = np.empty(len(ids), dtype=np.int64)
    key[np.argsort(np.array(ids, dtype=str), kind="stable")] = np.arange(len(ids))
    stable = _stable_ids(key, comm, glob, np.array([float(rank.get(e, 0.0)) for e in ids]), max(known, default=-1) + 1)
    return dict(zip(ids, stable.tolist(), strict=True))


def _community_id(g) -> int:
    return int(g) if g is not None and not (isinstance(g, float) and np.isnan(g)) and int(g) >= 0 else -1


def _stable_ids(key: np.ndarray, comm: np.ndarray, glob: np.ndarray, rank: np.ndarray, fresh: int) -> np.ndarray:
    """Vectorised core of :func:`stable_communities`.

    Arrays per entity: ``key`` orders entities as their ids sort (ties between ids), ``comm``
    the view community, ``glob`` the global one (-1 = none), ``rank`` the importance.
    """
    if len(comm) == 0:
        return np.zeros(0, dtype=np.int64)
    labels, gi = np.unique(comm, return_inverse=True)
    n_groups = len(labels)
    size = np.bincount(gi, minlength=n_groups)
    first = np.full(n_groups, np.iinfo(np.int64).max)
    np.minimum.at(first, gi, key)
    group_order = np.lexsort((first, -size))  # biggest first, then smallest member id
    o = np.empty(n_groups, dtype=np.int64)
    o[group_order] = np.arange(n_groups)
    eo = o[gi]
    members = np.lexsort((key, -rank, eo))  # within a group: by importance, then id
    pos = np.empty(len(comm), dtype=np.int64)
    starts = np.searchsorted(eo[members], np.arange(n_groups))
    pos[members] = np.arange(len(comm)) - starts[eo[members]]
    ok = glob >= 0
    po, pg, pp = eo[ok], glob[ok], pos[ok]
    if len(po):
        srt = np.lexsort((pg, po))
        po, pg, pp = po[srt], pg[srt], pp[srt]
        new = np.r_[True, (po[1:] != po[:-1]) | (pg[1:] != pg[:-1])]
        st = np.flatnonzero(new)
        cnt = np.diff(np.append(st, len(po)))
        minpos = np.minimum.reduceat(pp, st)
        po, pg = po[st], pg[st]
        srt = np.lexsort((pg, minpos, -cnt, po))  # per group: most members, then top member, then id
        po, pg = po[srt].tolist(), pg[srt].tolist()
    else:
        po, pg = [], []
    taken: set[int] = set()
    choice_of = np.empty(n_groups, dtype=np.int64)
    j = 0
    for g in range(n_groups):
        choice = None
        while j < len(po) and po[j] == g:
            if choice is None and pg[j] not in taken:
                choice = pg[j]
            j += 1
        if choice is None:
            choice = fresh
            fresh += 1
        taken.add(choice)
        choice_of[g] = choice
    return choice_of[eo]


# ---------------------------------------------------------------------------------------
# the view


def make_view(data, filters: Filters | Mapping | None = None, settings: Mapping | None = None) -> View:
    """Apply ``filters`` to ``data`` and return the :class:`View`.

    Parameters
    ----------
    data : Tables
        The loaded dataset.
    filters : Filters or state dict
    settings : mapping, optional
        Overrides of ``seed``, ``betweenness_exact_max``, ``betweenness_samples``; missing
        names come from :mod:`dashboard.settings`.
    """
    if not isinstance(filters, Filters):
        filters = Filters.from_state(filters or {})
    f = filters
    idx = _index(data)
    ent = idx.entities
    n_ent = len(idx.ids)
    notes: list[str] = []

    p_mask = _passage_mask(idx, f, notes)
    e_mask = _evidence_mask(idx, f)

    # entity filters
    cand = np.ones(n_ent, dtype=bool)
    if f.types:
        cand &= np.isin(idx.types, list(f.types))
    if f.community is not None:
        cand &= idx.global_community.to_numpy() == f.community
    keep_always = np.zeros(n_ent, dtype=bool)
    if f.orgs:
        known = [o for o in f.orgs if o in idx.code]
        missing = [o for o in f.orgs if o not in idx.code]
        if missing:
            notes.append(f"Unknown organization id(s) ignored: {', '.join(missing)}.")
        seeds = np.zeros(n_ent, dtype=bool)
        for org in known:
            seeds[idx.code[org]] = True
            keep_always[idx.code[org]] = True
            for member in idx.members.get(org, ()):
                if member in idx.code:
                    seeds[idx.code[member]] = True
        if f.hops:
            touching = e_mask & (seeds[idx.ev_src] | seeds[idx.ev_tgt])
            seeds[idx.ev_src[touching]] = True
            seeds[idx.ev_tgt[touching]] = True
        cand &= seeds
    keep_always &= cand
    e_mask &= cand[idx.ev_src] & cand[idx.ev_tgt]

    # the build's links are the view's links when no evidence or link filter applies
    reuse = (not f.filters_evidence and f.min_weight == 1 and bool(e_mask.all())
             and len(idx.ev_rows) == len(data.evidence))
    if reuse:
        links, l_src, l_tgt = data.links, idx.l_src, idx.l_tgt
        sel = np.arange(len(idx.ev_rows))
        links_bytes, links_rows = idx.links_nbytes, len(links)
    else:
        links, inv, sel, l_src, l_tgt, links_bytes = _aggregate(idx, e_mask)
        links_rows = len(links)
        if f.min_weight > 1:
            strong = links["n_passages"].to_numpy() >= f.min_weight
            sel = sel[strong[inv]]
            links, l_src, l_tgt = links[strong], l_src[strong], l_tgt[strong]

    linked = np.zeros(n_ent, dtype=bool)
    linked[idx.ev_src[sel]] = True
    linked[idx.ev_tgt[sel]] = True
    if f.filters_links:
        node_mask = cand & (linked | keep_always)
    else:
        if f.has_period or f.claims:
            mentioned = np.zeros(n_ent, dtype=bool)
            mentioned[idx.m_ent[p_mask[idx.m_pass]]] = True
        else:
            mentioned = idx.mentioned
        node_mask = cand & (mentioned | linked)
    nodes = idx.ids[node_mask]

    if len(nodes) < n_ent:
        inside = (l_src >= 0) & (l_tgt >= 0)
        inside[inside] = node_mask[l_src[inside]] & node_mask[l_tgt[inside]]
        if not inside.all():  # aggregated links always pass (their ends are linked candidates)
            links, l_src, l_tgt = links[inside], l_src[inside], l_tgt[inside]
    A, order = _adjacency(idx, node_mask, l_src, l_tgt, links["weight"].to_numpy(dtype=float))
    if f.focus is not None:
        if f.focus in idx.code and node_mask[idx.code[f.focus]]:
            ego = _ego(A, int(np.searchsorted(idx.sort_rank[order], idx.sort_rank[idx.code[f.focus]])), f.depth)
            node_mask = np.zeros(n_ent, dtype=bool)
            node_mask[order[ego]] = True
            inside = node_mask[l_src] & node_mask[l_tgt]
            links, l_src, l_tgt = links[inside], l_src[inside], l_tgt[inside]
            A, order = _adjacency(idx, node_mask, l_src, l_tgt, links["weight"].to_numpy(dtype=float))
        else:
            notes.append(f"The focus entity '{f.focus}' is not in this view; showing the whole view.")
    nodes = idx.ids[order]
    graph_index = GraphIndex(nodes, A)
    links = links.reset_index(drop=True)
    local = np.full(n_ent, -1, dtype=np.int64)
    local[order] = np.arange(len(order))
    link_ends = (local[l_src], local[l_tgt])
    sel = sel[node_mask[idx.ev_src[sel]] & node_mask[idx.ev_tgt[sel]]]
    ev_order = np.argsort(idx.ev_rows[sel], kind="stable")
    evidence_rows = idx.ev_rows[sel][ev_order]
    evidence_ends = (local[idx.ev_src[sel][ev_order]], local[idx.ev_tgt[sel][ev_order]])

    # the entities frame in one construction from the index's columns (the id is also a
    # column; an unnamed index keeps lookups unambiguous)
    columns = {col: idx.ent_columns[col].take(order) for col in _ENTITY_COLUMNS}
    glob = idx.glob_arr[order]
    columns["global_community"] = glob
    if f.is_default:
        for col in METRIC_COLUMNS:
            columns[col] = idx.ent_columns[col].take(order)
        columns["community"] = glob
    elif len(order):
        seed = int(_setting(settings, "seed"))
        m, sources = measure_arrays(A, int(_setting(settings, "betweenness_exact_max")),
                                    int(_setting(settings, "betweenness_samples")), seed,
                                    work=float(_setting(settings, "view_betweenness_work")))
        for col in METRIC_COLUMNS:
            columns[col] = m[col]
        n_links = graph_index.number_of_edges()
        if n_links <= int(_setting(settings, "communities_exact_max")):
            found = louvain_adjacency(A, nodes, seed)
            comm = np.array([found[e] for e in nodes], dtype=np.int64)
        else:
            comm = split_communities(A, glob)
            notes.append(f"Communities: the whole dataset's, split where this view disconnects them "
                         f"({n_links:,} links is above the {int(_setting(settings, 'communities_exact_max')):,} "
                         "for which they are recomputed; filter further for a fresh partition).")
        columns["community"] = _stable_ids(np.arange(len(nodes)), comm, glob, idx.rank_arr[order],
                                           idx.fresh_community)
    else:
        for col in METRIC_COLUMNS:
            columns[col] = np.zeros(0, dtype=bool if col == "betweenness_approx" else float)
        columns["community"] = np.zeros(0, dtype=np.int64)
    columns["x"] = idx.pos_x[order]
    columns["y"] = idx.pos_y[order]
    entities = pd.DataFrame(columns, index=idx.ent_index[order], copy=False)
    # the links of a filtered table: their share of its bytes (strings vary little in length)
    frames_nbytes = _nbytes(columns.values()) + (
        links_bytes if len(links) == links_rows else round(links_bytes * len(links) / max(links_rows, 1)))

    if len(entities) and bool(np.asarray(columns["betweenness_approx"], dtype=bool).any()):
        where = f" ({sources:,} of {len(entities):,} entities as sources)" if not f.is_default else ""
        notes.append(f"Betweenness is estimated from a sample of nodes in this view{where} (approximate).")
    if entities.empty:
        notes.append("No entities match these filters. Widen the period, clear a filter or press Reset.")

    visible = np.zeros(len(idx.p_ids), dtype=bool)
    passages = _mentioned_passages(idx, order)
    visible[passages[p_mask[passages]]] = True
    visible_rows = np.flatnonzero(visible)
    docs = np.zeros(int(idx.p_doc.max()) + 1 if len(idx.p_doc) else 0, dtype=bool)
    docs[idx.p_doc[visible_rows]] = True
    counts = {"entities": len(entities), "links": len(links), "passages": int(len(visible_rows)),
              "documents": int(docs.sum())}
    total = {"entities": int(idx.mentioned.sum()), "links": len(data.links), "passages": len(data.passages),
             "documents": len(data.documents)}
    return View(f, entities, links, evidence_table=data.evidence, evidence_rows=evidence_rows,
                passage_index=idx.p_index, visible_mask=visible, index=graph_index,
                notes=notes, counts=counts, total=total, link_ends=link_ends, passage_mask=p_mask,
                evidence_ends=evidence_ends, frames_nbytes=frames_nbytes)


def _mentioned_passages(idx: _Index, codes: np.ndarray) -> np.ndarray:
    """Passage rows of every mention of the entities ``codes`` (with repeats), read from the
    index's mentions grouped by entity, so a small view reads only its own mentions."""
    if len(codes) * 2 > len(idx.ids):  # most entities: every mention, no gather of ranges
        keep = np.zeros(len(idx.ids), dtype=bool)
        keep[codes] = True
        return idx.m_pass[keep[idx.m_ent]]
    lo, hi = idx.m_ptr[codes], idx.m_ptr[codes + 1]
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(lo - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return idx.m_pass_by_ent[offsets + np.arange(total)]


def _id_ranks(entities: pd.DataFrame) -> np.ndarray:
    """Rank of each row's ``entity_id`` among the rows' ids sorted as text (0 = first).

    A view from :func:`make_view` lists its entities sorted by id already: then the ranks are
    the row numbers, found with one comparison of neighbours instead of a sort.
    """
    ids = entities["entity_id"].to_numpy(dtype=object)
    if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
        return np.arange(len(ids), dtype=np.int64)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(len(ids))
    return rank


def limit_rows(view: View, measure: str, node_cap: int, max_elements: int) -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """The rows of ``view.entities`` and ``view.links`` :func:`limit_view` draws, as positions.

    Returns
    -------
    node_rows, link_rows : ndarray of int or None
        Positions in ``view.entities`` (largest by ``measure`` first) and ``view.links`` (in
        the frame's order, or strongest first when links are cut); None when every row is
        drawn in the frame's order.
    notes : list of str
    """
    entities, links = view.entities, view.links
    notes: list[str] = []
    node_cap = max(1, min(node_cap, max_elements))
    ends = getattr(view, "link_ends", None)
    if ends is None:  # a view built elsewhere: positions from the ids
        pos = pd.Index(entities.index)
        ends = (pos.get_indexer(links["source"]), pos.get_indexer(links["target"]))
    src, tgt = ends
    node_rows = link_rows = None
    n_nodes = len(entities)
    id_rank = None
    if len(entities) > node_cap:
        col = measure if measure in entities.columns else "degree"
        values = entities[col].to_numpy(dtype=float, na_value=np.nan)
        values = np.where(np.isnan(values), 0.0, values)
        id_rank = _id_ranks(entities)
        node_rows = np.lexsort((id_rank, -values))[:node_cap]  # largest first, ties by id
        n_nodes = len(node_rows)
        kept = np.zeros(len(entities), dtype=bool)
        kept[node_rows] = True
        inside = (src >= 0) & (tgt >= 0)
        inside[inside] = kept[src[inside]] & kept[tgt[inside]]
        link_rows = np.flatnonzero(inside)
        src, tgt = src[link_rows], tgt[link_rows]
        notes.append(f"Showing the top {node_cap} of {len(view.entities)} entities by {col.replace('_', ' ')}; "
                     "filter further to see the rest.")
    room = max_elements - n_nodes
    n_links = len(links) if link_rows is None else len(link_rows)
    if n_links > room:
        id_rank = _id_ranks(entities) if id_rank is None else id_rank
        n_passages = links["n_passages"].to_numpy()
        if link_rows is not None:
            n_passages = n_passages[link_rows]
        strongest = np.lexsort((id_rank[tgt], id_rank[src], -n_passages))[: max(room, 0)]
        link_rows = strongest if link_rows is None else link_rows[strongest]
        notes.append(f"Showing the {len(link_rows)} strongest of {n_links} links (element limit {max_elements}).")
    return node_rows, link_rows, notes


def limit_view(view: View, measure: str, node_cap: int, max_elements: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Return the entities and links to draw: at most ``node_cap`` nodes, ``max_elements`` in all.

    Above the cap the top entities by ``measure`` are kept (ties by id); if nodes and links
    still exceed ``max_elements``, the links with the most evidence are kept. The rows are
    :func:`limit_rows`.

    Returns
    -------
    entities, links, notes
    """
    node_rows, link_rows, notes = limit_rows(view, measure, node_cap, max_elements)
    entities = view.entities if node_rows is None else view.entities.iloc[node_rows]
    links = view.links if link_rows is None else view.links.iloc[link_rows]
    return entities, links, notes
