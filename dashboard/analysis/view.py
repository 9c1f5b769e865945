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

from dashboard.settings import resolve
from dashboard.state import normalize_state, parse_date_bound

__all__ = [
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
    graph : networkx.Graph
        Undirected graph of the view, one edge per pair (``weight`` = passages of evidence).
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
    graph: nx.Graph
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.entities.empty


# ---------------------------------------------------------------------------------------
# per-dataset indexes (computed once per Tables object)


@dataclass
class _Index:
    members: dict[str, set[str]]  # org id -> affiliated entity ids
    mention_pairs: pd.DataFrame  # distinct (passage_id, entity_id)
    mentioned: pd.Index  # entities mentioned anywhere
    global_community: pd.Series
    rank: pd.Series  # global weighted degree, for tie-breaks
    positions: pd.DataFrame  # x, y by entity_id
    entities: pd.DataFrame  # indexed by entity_id


def _index(data) -> _Index:
    cached = getattr(data, "_view_index", None)
    if cached is not None:
        return cached
    ent = data.entities.set_index("entity_id", drop=False)
    members: dict[str, set[str]] = {}
    for eid, affs in zip(ent["entity_id"], ent["affiliations"]):
        for org in _as_list(affs):
            members.setdefault(org, set()).add(eid)
    pairs = data.mentions[["passage_id", "entity_id"]].drop_duplicates()
    pos = data.layout.drop_duplicates("entity_id").set_index("entity_id")[["x", "y"]]
    index = _Index(
        members=members,
        mention_pairs=pairs,
        mentioned=pd.Index(pairs["entity_id"].unique()),
        global_community=ent["community"].fillna(-1).astype(int),
        rank=ent["weighted_degree"].fillna(0.0),
        positions=pos,
        entities=ent,
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


def _period_mask(frame: pd.DataFrame, f: Filters) -> pd.Series:
    start = frame["date_start"]
    end = frame["date_end"].fillna(start)
    mask = start.notna()
    if f.end is not None:
        mask &= start <= f.end
    if f.start is not None:
        mask &= end >= f.start
    return mask


def _passage_ids(data, f: Filters, notes: list[str]) -> pd.Index:
    p = data.passages
    mask = pd.Series(True, index=p.index)
    if f.claims:
        mask &= p["claim_class"].isin(f.claims)
    if f.has_period:
        undated = int((mask & p["date_start"].isna()).sum())
        mask &= _period_mask(p, f)
        if undated:
            notes.append(f"{undated} undated passage{'s are' if undated != 1 else ' is'} left out while a period is set.")
    return pd.Index(p.loc[mask, "passage_id"])


def _evidence(data, f: Filters) -> pd.DataFrame:
    ev = data.evidence
    mask = pd.Series(True, index=ev.index)
    if f.claims:
        mask &= ev["claim_class"].isin(f.claims)
    if f.has_period:
        mask &= _period_mask(ev, f)
    if f.kinds:
        mask &= ev["kind"].isin(f.kinds)
    if f.relations:
        mask &= (ev["kind"] != "relation") | ev["relation"].isin(f.relations)
    return ev[mask] if not mask.all() else ev


def aggregate_links(evidence: pd.DataFrame) -> pd.DataFrame:
    """Aggregate evidence rows into link rows (source, target, kind) like the ``links`` table.

    ``weight`` is the number of distinct passages of evidence.
    """
    if evidence.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _LINK_COLUMNS}).astype(
            {"weight": float, "n_passages": int, "n_documents": int})
    ev = evidence.assign(_end=evidence["date_end"].fillna(evidence["date_start"]))
    g = ev.groupby(["source", "target", "kind"], sort=True)
    out = g.agg(
        n_passages=("passage_id", "nunique"),
        n_documents=("doc_id", "nunique"),
        first=("date_start", "min"),
        last=("_end", "max"),
    ).reset_index()
    rel = ev[ev["relation"].notna()]
    relmap: dict[tuple, list[str]] = {}
    if not rel.empty:
        for key, values in rel.groupby(["source", "target", "kind"], sort=False)["relation"]:
            relmap[key] = sorted(set(values))
    out["relations"] = [relmap.get(k, []) for k in zip(out["source"], out["target"], out["kind"])]
    out["weight"] = out["n_passages"].astype(float)
    return out[list(_LINK_COLUMNS)]


# ---------------------------------------------------------------------------------------
# graph, metrics, communities (pipeline functions when present)


def _build_graph(entities: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(entities["entity_id"])
    for s, t, w, n in zip(links["source"], links["target"], links["weight"], links["n_passages"]):
        if s == t:
            continue
        if G.has_edge(s, t):
            G[s][t]["weight"] += float(w)
            G[s][t]["n_passages"] += int(n)
        else:
            G.add_edge(s, t, weight=float(w), n_passages=int(n))
    return G


def _metrics(G: nx.Graph, exact_max: int, samples: int, seed: int) -> pd.DataFrame:
    try:
        from dashboard.analysis.metrics import compute_metrics
    except ImportError:
        compute_metrics = None
    if compute_metrics is not None:
        return compute_metrics(G, exact_max, samples, seed)
    return _fallback_metrics(G, exact_max, samples, seed)


def _fallback_metrics(G: nx.Graph, exact_max: int, samples: int, seed: int) -> pd.DataFrame:
    """Used until the build's metrics module is available; same columns."""
    nodes = list(G.nodes)
    n = len(nodes)
    approx = n > exact_max
    if n == 0:
        return pd.DataFrame(columns=["entity_id", *METRIC_COLUMNS])
    btw = nx.betweenness_centrality(G, k=min(samples, n) if approx else None, seed=seed)
    try:
        eig = nx.eigenvector_centrality_numpy(G, weight="weight") if G.number_of_edges() else {}
    except (nx.NetworkXException, ValueError, TypeError, ArithmeticError):
        eig = {}
    pr = nx.pagerank(G, weight="weight") if n else {}
    return pd.DataFrame({
        "entity_id": nodes,
        "degree": [G.degree(v) for v in nodes],
        "weighted_degree": [float(G.degree(v, weight="weight")) for v in nodes],
        "betweenness": [btw.get(v, 0.0) for v in nodes],
        "betweenness_approx": approx,
        "eigenvector": [abs(float(eig.get(v, 0.0))) for v in nodes],
        "pagerank": [pr.get(v, 0.0) for v in nodes],
    })


def _communities(G: nx.Graph, seed: int) -> dict[str, int]:
    try:
        from dashboard.analysis.communities import detect_communities
    except ImportError:
        detect_communities = None
    if detect_communities is not None:
        return detect_communities(G, seed)
    if G.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(G, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    return {v: i for i, part in enumerate(parts) for v in part}


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
    notes: list[str] = []

    passage_ids = _passage_ids(data, f, notes)
    evidence = _evidence(data, f)

    # entity filters
    cand = ent.index
    if f.types:
        cand = cand[ent.loc[cand, "type"].isin(f.types).to_numpy()]
    if f.community is not None:
        cand = cand[(idx.global_community.loc[cand] == f.community).to_numpy()]
    keep_always: set[str] = set()
    if f.orgs:
        seeds = {o for o in f.orgs if o in ent.index}
        missing = [o for o in f.orgs if o not in ent.index]
        if missing:
            notes.append(f"Unknown organization id(s) ignored: {', '.join(missing)}.")
        for org in list(seeds):
            seeds |= idx.members.get(org, set())
        keep_always |= {o for o in f.orgs if o in ent.index}
        if f.hops:
            touching = evidence[evidence["source"].isin(seeds) | evidence["target"].isin(seeds)]
            seeds |= set(touching["source"]) | set(touching["target"])
        cand = cand[cand.isin(list(seeds))]
    cand_set = pd.Index(cand)

    evidence = evidence[evidence["source"].isin(cand_set) & evidence["target"].isin(cand_set)]
    if not f.filters_evidence and len(evidence) == len(data.evidence):
        links = data.links
    else:
        links = aggregate_links(evidence)
    if f.min_weight > 1:
        links = links[links["n_passages"] >= f.min_weight]
        strong = pd.MultiIndex.from_frame(links[["source", "target", "kind"]])
        evidence = evidence[pd.MultiIndex.from_frame(evidence[["source", "target", "kind"]]).isin(strong)]

    linked = pd.Index(pd.unique(pd.concat([links["source"], links["target"]], ignore_index=True)))
    if f.filters_links:
        nodes = cand_set[cand_set.isin(linked) | cand_set.isin(list(keep_always))]
    else:
        if f.has_period or f.claims:
            mp = idx.mention_pairs
            mentioned = pd.Index(mp.loc[mp["passage_id"].isin(passage_ids), "entity_id"].unique())
        else:
            mentioned = idx.mentioned
        nodes = cand_set[cand_set.isin(mentioned) | cand_set.isin(linked)]

    G = _build_graph(pd.DataFrame({"entity_id": nodes}), links[links["source"].isin(nodes) & links["target"].isin(nodes)])
    if f.focus is not None:
        if f.focus in G:
            ego = set(nx.ego_graph(G, f.focus, radius=f.depth).nodes)
            G = G.subgraph(ego).copy()
            nodes = nodes[nodes.isin(list(ego))]
        else:
            notes.append(f"The focus entity '{f.focus}' is not in this view; showing the whole view.")
    links = links[links["source"].isin(nodes) & links["target"].isin(nodes)].reset_index(drop=True)
    evidence = evidence[evidence["source"].isin(nodes) & evidence["target"].isin(nodes)]

    entities = ent.loc[nodes, list(_ENTITY_COLUMNS)].copy()
    entities.index.name = None  # the id is also a column; an unnamed index keeps lookups unambiguous
    entities["global_community"] = idx.global_community.loc[nodes].to_numpy()
    if f.is_default:
        for col in METRIC_COLUMNS:
            entities[col] = ent.loc[nodes, col].to_numpy()
        entities["community"] = entities["global_community"].to_numpy()
    elif len(entities):
        m = _metrics(G, int(_setting(settings, "betweenness_exact_max")), int(_setting(settings, "betweenness_samples")),
                     int(_setting(settings, "seed"))).set_index("entity_id")
        for col in METRIC_COLUMNS:
            entities[col] = m[col].reindex(entities.index).to_numpy()
        comm = _communities(G, int(_setting(settings, "seed")))
        stable = stable_communities(comm, idx.global_community.to_dict(), idx.rank.to_dict())
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

    mp = idx.mention_pairs
    visible = mp.loc[mp["passage_id"].isin(passage_ids) & mp["entity_id"].isin(entities.index), "passage_id"]
    visible_ids = pd.Index(visible.unique())
    docs = data.passages.loc[data.passages["passage_id"].isin(visible_ids), "doc_id"].nunique()
    counts = {"entities": len(entities), "links": len(links), "passages": len(visible_ids), "documents": int(docs)}
    total = {"entities": int(len(idx.mentioned)), "links": len(data.links), "passages": len(data.passages),
             "documents": len(data.documents)}
    return View(f, entities, links, evidence.reset_index(drop=True), passage_ids, visible_ids, G, notes, counts, total)


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
