"""Shortest paths between two entities of a view, with the evidence for every hop."""

from __future__ import annotations

from itertools import islice

import networkx as nx
import pandas as pd

__all__ = ["shortest_paths", "hop_evidence", "path_graph"]


def hop_evidence(evidence: pd.DataFrame, a: str, b: str) -> dict:
    """Summarize the evidence between ``a`` and ``b`` (either direction).

    Returns
    -------
    dict
        ``source``, ``target``, ``kinds`` (sorted), ``relations`` (sorted), ``n_passages``,
        ``passage_ids`` (sorted).
    """
    rows = evidence[((evidence["source"] == a) & (evidence["target"] == b))
                    | ((evidence["source"] == b) & (evidence["target"] == a))]
    return {
        "source": a,
        "target": b,
        "kinds": sorted(rows["kind"].dropna().unique().tolist()),
        "relations": sorted(rows["relation"].dropna().unique().tolist()),
        "n_passages": int(rows["passage_id"].nunique()),
        "passage_ids": sorted(rows["passage_id"].unique().tolist()),
    }


def path_graph(index) -> nx.Graph:
    """The view's graph for path searches: every node, one edge per linked pair, no attributes.

    Built from the view's adjacency matrix (``index.A``, rows in ``index.nodes`` order) straight
    into the graph's adjacency dictionaries: at 10k entities and 100k links this takes ~50 ms,
    where adding the weighted edges one by one (``index.to_networkx()``) takes ~0.3 s, and the
    paths are unweighted. Every edge shares one empty attribute dictionary: the graph is for
    reading (NetworkX's path searches only follow ``G.neighbors``).
    """
    G = nx.Graph()
    nodes = list(index.nodes)
    G.add_nodes_from(nodes)
    A = index.A.tocsr()
    indptr, names = A.indptr.tolist(), [nodes[j] for j in A.indices.tolist()]
    no_data: dict = {}
    adj = G._adj  # filled directly: one dict per node instead of two dict writes per edge
    for i, node in enumerate(nodes):
        adj[node] = dict.fromkeys(names[indptr[i]:indptr[i + 1]], no_data)
        adj[node].pop(node, None)  # no self-loops (the matrix has none; kept safe)
    return G


def shortest_paths(view, source: str, target: str, k: int = 3, pair_rows=None, graph=None) -> list[list[dict]]:
    """Return up to ``k`` shortest simple paths from ``source`` to ``target`` in the view graph.

    Paths are ordered by number of hops (NetworkX ``shortest_simple_paths``, unweighted);
    each path is a list of hops as :func:`hop_evidence` gives them. An empty list means the
    two entities are not connected in this view (or one of them is not in it).

    ``pair_rows(a, b)``, when given, returns the positions of the pair's rows in
    ``view.evidence`` (e.g. the panels' ``ViewIndex.pair_rows``), so a hop reads its own rows
    instead of comparing every row of a large view's evidence. ``graph``, when given, is the
    view's graph to search (e.g. :func:`path_graph`, kept per view); else ``view.graph``.
    """
    G: nx.Graph = view.graph if graph is None else graph
    if source == target or source not in G or target not in G:
        return []
    try:
        found = list(islice(nx.shortest_simple_paths(G, source, target), max(0, k)))
    except nx.NetworkXNoPath:
        return []
    def hop(a: str, b: str) -> dict:
        evidence = view.evidence if pair_rows is None else view.evidence.iloc[pair_rows(a, b)]
        return hop_evidence(evidence, a, b)

    return [[hop(a, b) for a, b in zip(p, p[1:])] for p in found]
