"""Community detection with deterministic numbering.

Used at build time and by the app on filtered views: pure, seeded. Louvain
(:func:`detect_communities`) at build time and on views small enough for an interaction;
on larger views the build's partition split where the view disconnects it
(:func:`split_communities`), which costs one connected-components pass.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

__all__ = ["detect_communities", "louvain_adjacency", "number_communities", "split_communities"]


def number_communities(groups) -> dict[str, int]:
    """Number groups 0, 1, … by decreasing size, ties broken by the smallest member id.

    Examples
    --------
    >>> number_communities([{"c"}, {"b", "d"}, {"a"}])
    {'b': 0, 'd': 0, 'a': 1, 'c': 2}
    """
    ordered = sorted((sorted(map(str, g)) for g in groups if g), key=lambda g: (-len(g), g[0]))
    return {node: i for i, members in enumerate(ordered) for node in members}


def detect_communities(G: nx.Graph, seed: int = 42) -> dict[str, int]:
    """Return ``{node: community}`` from weighted Louvain (seeded), numbered deterministically.

    Every node gets a community; an isolated node is a community of its own. Numbers are
    0, 1, … by decreasing size, ties broken by the smallest member id, so the same graph and
    seed always give the same numbers. An empty graph gives ``{}``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> G.add_node("z")
    >>> detect_communities(G, seed=1)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1, 'z': 2}
    """
    if G.number_of_nodes() == 0:
        return {}
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    edges = []
    for u, v, d in G.edges(data=True):
        if u != v:
            a, b = sorted((u, v), key=str)
            edges.append((a, b, float(d.get("weight", 1.0))))
    # same graph, same insertion order, whatever order G was built in: Louvain is then reproducible
    H.add_weighted_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    if H.number_of_edges() == 0:
        return number_communities([{n} for n in H.nodes])
    groups = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return number_communities(groups)


def louvain_adjacency(A: csr_array, nodes, seed: int = 42) -> dict[str, int]:
    """:func:`detect_communities` on a symmetric adjacency whose rows are ``nodes``.

    ``nodes`` must be sorted by ``str`` (as :func:`dashboard.analysis.metrics.adjacency`
    orders them); the graph is then built in the same order as :func:`detect_communities`
    builds it, so both give the same partition for the same graph and seed.
    """
    nodes = list(nodes)
    if not nodes:
        return {}
    H = nx.Graph()
    H.add_nodes_from(nodes)
    upper = A.tocoo()
    keep = upper.row < upper.col
    rows, cols, w = upper.row[keep], upper.col[keep], upper.data[keep]
    order = np.lexsort((cols, rows))
    H.add_weighted_edges_from(zip([nodes[i] for i in rows[order]], [nodes[j] for j in cols[order]],
                                  w[order].astype(float).tolist()))
    if H.number_of_edges() == 0:
        return number_communities([{n} for n in H.nodes])
    groups = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return number_communities(groups)


def split_communities(A: csr_array, labels: np.ndarray) -> np.ndarray:
    """Split each community of ``labels`` into the pieces ``A`` connects.

    Keeps only the links inside a community and labels the connected components of what
    is left, numbered in order of each piece's first node. Used on views too large for a
    fresh Louvain run in an interaction: the whole dataset's partition, split where the
    filtered view disconnects it (a community the filters cut in two becomes two).

    Parameters
    ----------
    A : scipy.sparse.csr_array
        Symmetric adjacency of the view.
    labels : ndarray of int
        A community per row of ``A`` (negative: none; such a node is a piece of its own).

    Returns
    -------
    ndarray of int
        The piece of every node.

    Examples
    --------
    >>> from dashboard.analysis.metrics import adjacency_from_codes
    >>> A = adjacency_from_codes(4, np.array([0, 1]), np.array([1, 2]), np.ones(2))
    >>> split_communities(A, np.array([0, 0, 1, 0])).tolist()
    [0, 0, 1, 2]
    """
    labels = np.asarray(labels)
    n = A.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    coo = A.tocoo()
    same = (labels[coo.row] == labels[coo.col]) & (labels[coo.row] >= 0)
    inner = csr_array((np.ones(int(same.sum())), (coo.row[same], coo.col[same])), shape=(n, n))
    _, pieces = connected_components(inner, directed=True, connection="strong")  # symmetric: the components
    _, first = np.unique(pieces, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[pieces]
