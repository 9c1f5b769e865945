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
the build's). View communities are renumbered to the global community they overlap most
(:func:`stable_communities`) so colours stay put while the user filters.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from dashboard.analysis.communities import louvain_adjacency, split_communities
from dashboard.analysis.graph import GraphIndex
from dashboard.analysis.metrics import adjacency_from_codes, measures
from dashboard.settings import resolve
from dashboard.state import normalize_state, parse_date_bound

__all__ = [
    "aggregate_links",
    "Filters",
    "View",
    "make_view",
    "stable_communities",
    "limit_view",
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
        Evidence rows behind ``links``.
    passage_ids : Index
        Passages passing the period and claim filters.
    visible_passage_ids : Index
        Of those, the passages that mention an entity of the view.
    index : GraphIndex
        Neighbour look-ups on the view's adjacency (cheap; use it for membership and
        neighbours).
    graph : networkx.Graph
        Undirected graph of the view, one edge per pair (``weight`` = summed weights of the
        pair's links); built from ``index`` on first use and kept.
    notes : list of str
        Plain-text notes for the user (empty view, undated passages, approximations).
    counts, total : dict
        Visible and dataset-wide counts of ``entities``, ``links``, ``passages``, ``documents``.
    """

    filters: Filters
    entities: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    passage_ids: pd.Index
    visible_passage_ids: pd.Index
    index: GraphIndex
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    _graph: nx.Graph | None = field(default=None, repr=False, compare=False)

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


def _day_texts(days: np.ndarray) -> np.ndarray:
    """:func:`_day_text` of every element (object array), formatting each distinct day once."""
    uniq, inv = np.unique(days, return_inverse=True)
    return np.array([_day_text(int(d)) for d in uniq] + [None], dtype=object)[:-1][inv]


def _day_number(bound: str | None) -> int | None:
    return None if bound is None else int(bound.replace("-", ""))


def _day_text(n: int) -> str | None:
    return None if n < 0 else f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"


@dataclass
class _Index:
    ids: np.ndarray  # entity ids, position = entity code
    code: dict[str, int]
    id_index: pd.Index  # ids as an Index, for vectorised look-ups
    sort_rank: np.ndarray  # rank of each code when ids are sorted as text
    entities: pd.DataFrame  # indexed by entity_id
    members: dict[str, set[str]]  # org id -> affiliated entity ids
    global_community: pd.Series
    rank: pd.Series  # global weighted degree, for tie-breaks
    global_community_map: dict  # the same two as dicts, for stable_communities
    rank_map: dict
    positions: pd.DataFrame  # x, y by entity_id
    types: np.ndarray
    # passages
    p_ids: np.ndarray
    p_claim: np.ndarray
    p_start: np.ndarray
    p_end: np.ndarray
    p_doc: np.ndarray  # doc code
    # mentions (distinct entity, passage-row pairs)
    m_ent: np.ndarray
    m_pass: np.ndarray
    mentioned: np.ndarray  # bool per entity code
    # evidence rows (only rows whose both ends are known entities)
    ev_rows: np.ndarray  # positions in data.evidence
    ev_src: np.ndarray
    ev_tgt: np.ndarray
    ev_rel: np.ndarray  # bool: kind == relation
    ev_kind: np.ndarray  # object
    ev_relation: np.ndarray  # relation code, -1 for none
    relation_names: np.ndarray
    ev_pass: np.ndarray  # passage code (own factorization)
    ev_doc: np.ndarray
    ev_claim: np.ndarray
    ev_start: np.ndarray
    ev_end: np.ndarray


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
    rows = np.flatnonzero(ok)
    evk = ev.iloc[rows]
    rel_codes, rel_names = pd.factorize(evk["relation"])
    ev_start = _day_numbers(evk["date_start"])
    ev_end = _day_numbers(evk["date_end"])
    index = _Index(
        ids=ids, code=code, id_index=pd.Index(ids), sort_rank=np.argsort(np.argsort(ids.astype(str), kind="stable")),
        entities=ent, members=members,
        global_community=ent["community"].fillna(-1).astype(int),
        rank=ent["weighted_degree"].fillna(0.0), positions=pos,
        global_community_map=ent["community"].fillna(-1).astype(int).to_dict(),
        rank_map=ent["weighted_degree"].fillna(0.0).to_dict(), types=ent["type"].to_numpy(dtype=object),
        p_ids=p["passage_id"].to_numpy(dtype=object), p_claim=p["claim_class"].to_numpy(dtype=object),
        p_start=p_start, p_end=p_end, p_doc=p_doc,
        m_ent=m_ent, m_pass=m_pass, mentioned=mentioned,
        ev_rows=rows, ev_src=src[ok].astype(np.int64), ev_tgt=tgt[ok].astype(np.int64),
        ev_rel=(evk["kind"] == "relation").to_numpy(dtype=bool), ev_kind=evk["kind"].to_numpy(dtype=object),
        ev_relation=rel_codes, relation_names=np.asarray(rel_names, dtype=object),
        ev_pass=pd.factorize(evk["passage_id"])[0], ev_doc=pd.factorize(evk["doc_id"])[0],
        ev_claim=evk["claim_class"].to_numpy(dtype=object),
        ev_start=ev_start, ev_end=np.where(ev_end < 0, ev_start, ev_end),
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
        mask &= np.isin(idx.p_claim, list(f.claims))
    if f.has_period:
        undated = int((mask & (idx.p_start < 0)).sum())
        mask &= _period_mask(idx.p_start, idx.p_end, f)
        if undated:
            notes.append(f"{undated} undated passage{'s are' if undated != 1 else ' is'} left out while a period is set.")
    return mask


def _evidence_mask(idx: _Index, f: Filters) -> np.ndarray:
    mask = np.ones(len(idx.ev_rows), dtype=bool)
    if f.claims:
        mask &= np.isin(idx.ev_claim, list(f.claims))
    if f.has_period:
        mask &= _period_mask(idx.ev_start, idx.ev_end, f)
    if f.kinds:
        mask &= np.isin(idx.ev_kind, list(f.kinds))
    if f.relations:
        wanted = np.flatnonzero(np.isin(idx.relation_names, list(f.relations)))
        mask &= ~idx.ev_rel | np.isin(idx.ev_relation, wanted)
    return mask


def _aggregate(idx: _Index, mask: np.ndarray) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Links from the evidence rows in ``mask``.

    Returns the links (sorted by source id code, target code, kind), the group of every
    selected evidence row and the selected row positions.
    """
    sel = np.flatnonzero(mask)
    n_ent = len(idx.ids)
    if len(sel) == 0:
        return aggregate_links(pd.DataFrame(columns=["source", "target", "kind", "relation", "passage_id", "doc_id",
                                                     "date_start", "date_end"])), np.zeros(0, np.int64), sel
    key = (idx.ev_src[sel] * n_ent + idx.ev_tgt[sel]) * 2 + idx.ev_rel[sel]
    groups, inv = np.unique(key, return_inverse=True)
    n = len(groups)
    rows = np.bincount(inv, minlength=n)

    def distinct(codes: np.ndarray) -> np.ndarray:
        width = int(codes.max()) + 1 if len(codes) else 1
        pairs = np.unique(inv.astype(np.int64) * width + codes)
        return np.bincount(pairs // width, minlength=n)

    n_pass = distinct(idx.ev_pass[sel])
    n_docs = distinct(idx.ev_doc[sel])
    starts = idx.ev_start[sel]
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, inv, np.where(starts < 0, np.iinfo(np.int64).max, starts))
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, inv, np.where(starts < 0, -1, idx.ev_end[sel]))
    is_rel = (groups % 2).astype(bool)
    relations: list[list[str]] = [[] for _ in range(n)]
    rsel = idx.ev_relation[sel]
    has = rsel >= 0
    if has.any():
        for g, r in np.unique(np.stack([inv[has], rsel[has]], axis=1), axis=0):
            relations[g].append(str(idx.relation_names[r]))
        relations = [sorted(r) for r in relations]
    pair = groups // 2
    links = pd.DataFrame({
        "source": idx.ids[pair // n_ent],
        "target": idx.ids[pair % n_ent],
        "kind": np.where(is_rel, "relation", "co-mention").astype(object),
        "relations": relations,
        "weight": np.where(is_rel, rows, n_pass).astype(float),
        "n_passages": n_pass.astype("int32"),
        "n_documents": n_docs.astype("int32"),
        "first": _day_texts(np.where(first == np.iinfo(np.int64).max, -1, first)),
        "last": _day_texts(last),
    })
    return links, inv, sel


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
    groups: dict[int, list[str]] = {}
    for eid, c in view_comm.items():
        groups.setdefault(c, []).append(eid)
    order = sorted(groups, key=lambda c: (-len(groups[c]), min(groups[c])))
    known = [int(g) for g in global_comm.values() if g is not None and int(g) >= 0]
    fresh = (max(known) + 1) if known else 0
    taken: set[int] = set()
    mapping: dict[int, int] = {}
    for c in order:
        members = sorted(groups[c], key=lambda e: (-float(rank.get(e, 0.0)), e))
        counts = Counter(int(global_comm[e]) for e in members
                         if global_comm.get(e) is not None and int(global_comm[e]) >= 0)
        top_member_comm = {}
        for pos, e in enumerate(members):
            g = global_comm.get(e)
            if g is not None and int(g) >= 0:
                top_member_comm.setdefault(int(g), pos)
        candidates = sorted(counts, key=lambda g: (-counts[g], top_member_comm.get(g, 1 << 30), g))
        choice = next((g for g in candidates if g not in taken), None)
        if choice is None:
            choice = fresh
            fresh += 1
        taken.add(choice)
        mapping[c] = choice
    return {eid: mapping[c] for eid, c in view_comm.items()}


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
        links = data.links
        sel = np.arange(len(idx.ev_rows))
    else:
        links, inv, sel = _aggregate(idx, e_mask)
        if f.min_weight > 1:
            strong = links["n_passages"].to_numpy() >= f.min_weight
            sel = sel[strong[inv]]
            links = links[strong]

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

    l_src = idx.id_index.get_indexer(links["source"])
    l_tgt = idx.id_index.get_indexer(links["target"])
    if len(nodes) < n_ent:
        inside = (l_src >= 0) & (l_tgt >= 0)
        inside[inside] = node_mask[l_src[inside]] & node_mask[l_tgt[inside]]
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
    sel = sel[node_mask[idx.ev_src[sel]] & node_mask[idx.ev_tgt[sel]]]
    evidence = data.evidence.iloc[idx.ev_rows[sel]].reset_index(drop=True)

    entities = ent.iloc[order][list(_ENTITY_COLUMNS)].copy()
    entities.index.name = None  # the id is also a column; an unnamed index keeps lookups unambiguous
    entities["global_community"] = idx.global_community.to_numpy()[order]
    if f.is_default:
        for col in METRIC_COLUMNS:
            entities[col] = ent[col].to_numpy()[order]
        entities["community"] = entities["global_community"].to_numpy()
    elif len(entities):
        seed = int(_setting(settings, "seed"))
        m = measures(A, nodes, int(_setting(settings, "betweenness_exact_max")),
                     int(_setting(settings, "betweenness_samples")), seed,
                     work=float(_setting(settings, "view_betweenness_work")))
        for col in METRIC_COLUMNS:
            entities[col] = m[col].to_numpy()
        n_links = graph_index.number_of_edges()
        if n_links <= int(_setting(settings, "communities_exact_max")):
            comm = louvain_adjacency(A, nodes, seed)
        else:
            pieces = split_communities(A, entities["global_community"].to_numpy())
            comm = dict(zip(nodes, pieces.tolist()))
            notes.append(f"Communities: the whole dataset's, split where this view disconnects them "
                         f"({n_links:,} links is above the {int(_setting(settings, 'communities_exact_max')):,} "
                         "for which they are recomputed; filter further for a fresh partition).")
        stable = stable_communities(comm, idx.global_community_map, idx.rank_map)
        entities["community"] = [stable.get(e, -1) for e in entities.index]
    else:
        for col in METRIC_COLUMNS:
            entities[col] = pd.Series(dtype=bool if col == "betweenness_approx" else float)
        entities["community"] = pd.Series(dtype=int)
    pos = idx.positions.reindex(entities.index)
    entities["x"] = pos["x"].fillna(0.0).to_numpy()
    entities["y"] = pos["y"].fillna(0.0).to_numpy()

    if len(entities) and bool(entities["betweenness_approx"].fillna(False).any()):
        notes.append("Betweenness is estimated from a sample of nodes in this view (approximate).")
    if entities.empty:
        notes.append("No entities match these filters. Widen the period, clear a filter or press Reset.")

    visible_rows = np.unique(idx.m_pass[p_mask[idx.m_pass] & node_mask[idx.m_ent]])
    counts = {"entities": len(entities), "links": len(links), "passages": int(len(visible_rows)),
              "documents": int(len(np.unique(idx.p_doc[visible_rows])))}
    total = {"entities": int(idx.mentioned.sum()), "links": len(data.links), "passages": len(data.passages),
             "documents": len(data.documents)}
    return View(f, entities, links, evidence, pd.Index(idx.p_ids[p_mask]), pd.Index(idx.p_ids[visible_rows]),
                graph_index, notes, counts, total)


def limit_view(view: View, measure: str, node_cap: int, max_elements: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Return the entities and links to draw: at most ``node_cap`` nodes, ``max_elements`` in all.

    Above the cap the top entities by ``measure`` are kept (ties by id); if nodes and links
    still exceed ``max_elements``, the links with the most evidence are kept.

    Returns
    -------
    entities, links, notes
    """
    entities, links = view.entities, view.links
    notes: list[str] = []
    node_cap = max(1, min(node_cap, max_elements))
    if len(entities) > node_cap:
        col = measure if measure in entities.columns else "degree"
        ranked = entities.assign(_m=entities[col].fillna(0.0)).sort_values(["_m", "entity_id"], ascending=[False, True])
        entities = ranked.head(node_cap).drop(columns="_m")
        links = links[links["source"].isin(entities.index) & links["target"].isin(entities.index)]
        notes.append(f"Showing the top {node_cap} of {len(view.entities)} entities by {col.replace('_', ' ')}; "
                     "filter further to see the rest.")
    room = max_elements - len(entities)
    if len(links) > room:
        total = len(links)
        links = links.sort_values(["n_passages", "source", "target"], ascending=[False, True, True]).head(max(room, 0))
        notes.append(f"Showing the {len(links)} strongest of {total} links (element limit {max_elements}).")
    return entities, links, notes
