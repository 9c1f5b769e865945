"""Centrality measures of an entity graph, robust to empty and disconnected graphs.

Used at build time (global measures stored in ``entities``) and by the app on filtered
views. Pure: a graph in, a DataFrame out; never raises on an empty or disconnected graph.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_array

__all__ = ["compute_metrics", "eigenvector_by_component", "betweenness", "METRIC_COLUMNS"]

METRIC_COLUMNS = ["entity_id", "degree", "weighted_degree", "betweenness", "betweenness_approx", "eigenvector", "pagerank"]
DIGITS = 12  # rounding keeps results identical across runs despite float summation order


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in METRIC_COLUMNS})
    return df.astype({"degree": "int32", "weighted_degree": "float64", "betweenness": "float64",
                      "betweenness_approx": "bool", "eigenvector": "float64", "pagerank": "float64"})


def eigenvector_by_component(G: nx.Graph, weight: str = "weight") -> dict:
    """Weighted eigenvector centrality computed per connected component.

    Within a component the leading eigenvector of the weighted adjacency matrix is
    normalised to unit length, then scaled by ``sqrt(size / n)`` so the whole vector has
    unit length and a node in a small component does not outrank the hubs of the main one.
    Isolated nodes get 0. Uses dense ``numpy.linalg.eigh`` for small components and
    ``scipy.sparse.linalg.eigsh`` for large ones, falling back to power iteration.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c")
    >>> {k: round(v, 3) for k, v in eigenvector_by_component(G).items()}
    {'a': 0.577, 'b': 0.577, 'c': 0.0}
    """
    n = G.number_of_nodes()
    out = {node: 0.0 for node in G.nodes}
    if n == 0:
        return out
    for comp in nx.connected_components(G):
        if len(comp) < 2:
            continue
        nodes = sorted(comp, key=str)
        A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float)
        vec = None
        try:
            if len(nodes) <= 500:
                vals, vecs = np.linalg.eigh(A.toarray())
                vec = vecs[:, -1]
            else:
                from scipy.sparse.linalg import eigsh

                vals, vecs = eigsh(A, k=1, which="LA", v0=np.ones(len(nodes)), maxiter=len(nodes) * 20)
                vec = vecs[:, 0]
        except Exception:  # ARPACK may fail to converge; fall back to power iteration
            try:
                sub = nx.eigenvector_centrality(G.subgraph(nodes), weight=weight, max_iter=1000, tol=1e-8)
                vec = np.array([sub[v] for v in nodes])
            except nx.PowerIterationFailedConvergence:
                vec = np.asarray(A.sum(axis=1)).ravel()
        vec = np.abs(np.asarray(vec, dtype=float))
        norm = np.linalg.norm(vec)
        if not np.isfinite(norm) or norm == 0:
            continue
        vec = vec / norm * math.sqrt(len(nodes) / n)
        out.update(zip(nodes, vec.tolist(), strict=True))
    return out


BATCH = 64  # sources processed together by the sparse Brandes


def betweenness(G: nx.Graph, k: int | None = None, seed: int = 42) -> dict:
    """Normalised betweenness on hop counts, exact or from ``k`` sampled sources.

    Brandes' algorithm run for a batch of sources at once with SciPy sparse matrices: the
    breadth-first search advances one level per sparse product counting shortest paths,
    and dependencies are accumulated back level by level. Same result as
    ``networkx.betweenness_centrality(G, k, normalized=True)`` (up to rounding and the choice
    of sampled sources), many times faster on large graphs. Sources are sampled with
    ``random.Random(seed)`` from the nodes in sorted order.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> {v: round(x, 3) for v, x in betweenness(G).items()}
    {'a': 0.0, 'b': 0.667, 'c': 0.667, 'd': 0.0}
    """
    nodes = sorted(G.nodes, key=str)
    n = len(nodes)
    if n < 3 or G.number_of_edges() == 0:
        return {v: 0.0 for v in nodes}
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, dtype=float, format="coo")
    keep = A.row != A.col  # self-loops lie on no shortest path
    A = coo_array((np.ones(int(keep.sum())), (A.row[keep], A.col[keep])), shape=(n, n)).tocsr()
    if k is None or k >= n:
        sources = np.arange(n)
        scale = 1.0
    else:
        sources = np.array(sorted(random.Random(seed).sample(range(n), k)))
        scale = n / k
    bc = np.zeros(n)
    for b0 in range(0, len(sources), BATCH):
        batch = sources[b0 : b0 + BATCH]
        b = len(batch)
        cols = np.arange(b)
        sigma = np.zeros((n, b))
        dist = np.full((n, b), -1, dtype=np.int32)
        sigma[batch, cols] = 1.0
        dist[batch, cols] = 0
        frontier = np.zeros((n, b))
        frontier[batch, cols] = 1.0
        level = 0
        while True:
            reach = A @ frontier
            new = (reach > 0) & (dist < 0)
            if not new.any():
                break
            level += 1
            dist[new] = level
            sigma[new] = reach[new]
            frontier = np.where(new, reach, 0.0)
        delta = np.zeros((n, b))
        with np.errstate(divide="ignore", invalid="ignore"):
            for lev in range(level, 0, -1):
                coeff = np.where(dist == lev, (1.0 + delta) / sigma, 0.0)
                back = A @ coeff
                delta += np.where(dist == lev - 1, sigma * back, 0.0)
        delta[dist <= 0] = 0.0
        bc += delta.sum(axis=1)
    bc *= scale / ((n - 1) * (n - 2))
    return dict(zip(nodes, bc.tolist(), strict=True))


def compute_metrics(G: nx.Graph, exact_max: int = 1000, samples: int = 200, seed: int = 42) -> pd.DataFrame:
    """Centrality measures for every node of ``G``.

    Parameters
    ----------
    G : networkx.Graph
        Undirected; edge attribute ``weight`` (evidence strength, default 1).
    exact_max : int
        Betweenness is exact up to this many nodes, else estimated from ``samples`` sampled
        sources (seeded) and flagged ``betweenness_approx``.
    samples : int
        Number of sampled sources for approximate betweenness.
    seed : int
        Seed for the sampling.

    Returns
    -------
    DataFrame
        ``entity_id, degree`` (number of neighbours), ``weighted_degree`` (sum of edge
        weights), ``betweenness`` (normalised, on hop counts: weights are strengths, not
        distances), ``betweenness_approx``, ``eigenvector`` (see
        :func:`eigenvector_by_component`), ``pagerank`` (weighted, damping 0.85); one row per
        node, sorted by ``entity_id``.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> compute_metrics(G)[["entity_id", "degree", "betweenness"]].values.tolist()
    [['a', 1, 0.0], ['b', 2, 1.0], ['c', 1, 0.0]]
    """
    n = G.number_of_nodes()
    if n == 0:
        return _empty()
    nodes = sorted(G.nodes, key=str)
    approx = n > exact_max and samples < n
    if G.number_of_edges() == 0:
        bet = {v: 0.0 for v in nodes}
        approx = False
    elif approx:
        bet = betweenness(G, k=max(1, int(samples)), seed=seed)
    else:
        bet = betweenness(G)
    eig = eigenvector_by_component(G)
    try:
        pr = nx.pagerank(G, weight="weight") if G.number_of_edges() else {v: 1.0 / n for v in nodes}
    except nx.PowerIterationFailedConvergence:
        pr = {v: 1.0 / n for v in nodes}
    df = pd.DataFrame(
        {
            "entity_id": nodes,
            "degree": [G.degree(v) for v in nodes],
            "weighted_degree": [float(G.degree(v, weight="weight")) for v in nodes],
            "betweenness": [float(bet.get(v, 0.0)) for v in nodes],
            "betweenness_approx": approx,
            "eigenvector": [float(eig.get(v, 0.0)) for v in nodes],
            "pagerank": [float(pr.get(v, 0.0)) for v in nodes],
        }
    )
    for col in ("weighted_degree", "betweenness", "eigenvector", "pagerank"):
        df[col] = df[col].round(DIGITS)
    return df.astype({"degree": "int32", "betweenness_approx": "bool"})
