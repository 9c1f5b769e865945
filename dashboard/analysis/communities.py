"""Community detection with deterministic numbering.

Used at build time and by the app on filtered views: pure, seeded. Louvain
(:func:`detect_communities`, NetworkX's) at build time; on views small enough for an
interaction the same algorithm replayed on lists of rows (:func:`louvain_rows`, same
partitions, a third of the time);
on larger views the build's partition split where the view disconnects it
(:func:`split_communities`), which costs one connected-components pass.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

__all__ = ["detect_communities", "louvain_adjacency", "louvain_rows", "number_communities", "split_communities"]


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
    orders them): the graph :func:`detect_communities` builds then has the same node and
    neighbour order, and :func:`louvain_rows` replays NetworkX's Louvain on it, so both give
    the same partition for the same graph and seed.
    """
    nodes = list(nodes)
    if not nodes:
        return {}
    if A.nnz == 0:
        return number_communities([{n} for n in nodes])
    groups = louvain_rows(A, seed)
    return number_communities([{nodes[i] for i in g} for g in groups])


def louvain_rows(A: csr_array, seed: int = 42, resolution: float = 1, threshold: float = 0.0000001) -> list[set[int]]:
    """NetworkX's ``louvain_communities`` on the graph of ``A``, replayed on lists of rows.

    The same steps as ``networkx.community.louvain_partitions`` (NetworkX 3.x) on the graph
    whose nodes are the rows of ``A`` in order and whose neighbours are inserted in column
    order (as :func:`louvain_adjacency` and :func:`detect_communities` build it): one
    ``random.Random(seed).shuffle`` of the nodes per level, nodes visited in that order,
    neighbour communities in the order NetworkX's dictionaries give them, the same float
    expressions for gains and degrees, aggregated graphs built edge by edge in NetworkX's
    edge order. It skips NetworkX's graph views and the partition check of ``modularity``,
    which took most of the time. The modularity between levels (only compared with
    ``threshold``) may differ from NetworkX's in the last bits, as NetworkX's own does
    between runs (it sums over sets of nodes).

    Parameters
    ----------
    A : scipy.sparse.csr_array
        Symmetric weighted adjacency without self-loops, sorted indices, at least one edge.

    Returns
    -------
    list of set of int
        The communities as sets of rows.
    """
    import random

    n = A.shape[0]
    if not A.has_sorted_indices:  # neighbours must come in column order, as NetworkX inserts them
        A = A.sorted_indices()
    indptr, indices, data = A.indptr.tolist(), A.indices.tolist(), A.data.astype(float).tolist()
    # level 1: adjacency dictionaries in column order (NetworkX inserts edges by (row, col))
    adj = [dict(zip(indices[indptr[u]:indptr[u + 1]], data[indptr[u]:indptr[u + 1]])) for u in range(n)]
    rng = random.Random(seed)
    partition = [{u} for u in range(n)]
    degrees = _degrees(adj)
    m = sum(degrees) / 2
    mod = _modularity(adj, degrees, partition, resolution)
    members = None  # original rows of each node of the current graph (None: the node itself)
    partition, inner, improvement = _one_level(adj, degrees, m, partition, members, resolution, rng)
    while True:
        result = partition
        new_mod = _modularity(adj, degrees, inner, resolution)
        if new_mod - mod <= threshold:
            return result
        mod = new_mod
        adj, members = _aggregate_graph(adj, inner, members)
        degrees = _degrees(adj)
        partition, inner, improvement = _one_level(adj, degrees, m, partition, members, resolution, rng)
        if not improvement:
            return result


def _degrees(adj: list[dict]) -> list[float]:
    """Weighted degrees as NetworkX's ``G.degree(weight=...)`` sums them (a self-loop twice)."""
    return [sum(nbrs.values()) + (nbrs[u] if u in nbrs else False) for u, nbrs in enumerate(adj)]


def _modularity(adj: list[dict], degrees: list[float], communities: list[set], resolution: float) -> float:
    deg_sum = sum(degrees)
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    total = 0
    for community in communities:
        L_c = 0
        for u in community:
            for v, wt in adj[u].items():
                if v in community and (v > u or v == u):  # each edge once
                    L_c += wt
        degree_sum = sum(degrees[u] for u in community)
        total += L_c / m - resolution * degree_sum * degree_sum * norm
    return total


def _one_level(adj, degrees, m, partition, members, resolution, rng):
    """One pass of moves (NetworkX's ``_one_level`` for undirected graphs)."""
    from collections import defaultdict

    k = len(adj)
    node2com = list(range(k))
    inner = [{u} for u in range(k)]
    Stot = list(degrees)
    nbrs = [{v: wt for v, wt in a.items() if v != u} for u, a in enumerate(adj)]
    rand_nodes = list(range(k))
    rng.shuffle(rand_nodes)
    nb_moves = 1
    improvement = False
    two_m2 = 2 * m**2
    while nb_moves > 0:
        nb_moves = 0
        for u in rand_nodes:
            best_mod = 0
            best_com = node2com[u]
            weights2com = defaultdict(float)
            for nbr, wt in nbrs[u].items():
                weights2com[node2com[nbr]] += wt
            degree = degrees[u]
            Stot[best_com] -= degree
            remove_cost = -weights2com[best_com] / m + resolution * (Stot[best_com] * degree) / two_m2
            for nbr_com, wt in weights2com.items():
                gain = remove_cost + wt / m - resolution * (Stot[nbr_com] * degree) / two_m2
                if gain > best_mod:
                    best_mod = gain
                    best_com = nbr_com
            Stot[best_com] += degree
            if best_com != node2com[u]:
                com = {u} if members is None else members[u]
                partition[node2com[u]].difference_update(com)
                inner[node2com[u]].remove(u)
                partition[best_com].update(com)
                inner[best_com].add(u)
                improvement = True
                nb_moves += 1
                node2com[u] = best_com
    return list(filter(len, partition)), list(filter(len, inner)), improvement


def _aggregate_graph(adj, inner, members):
    """The graph of communities (NetworkX's ``_gen_graph``): node ``i`` is ``inner[i]``."""
    node2com = {}
    new_members = []
    for i, part in enumerate(inner):
        nodes = set()
        for node in part:
            node2com[node] = i
            nodes.update({node} if members is None else members[node])
        new_members.append(nodes)
    new = [{} for _ in inner]
    for u, nbrs in enumerate(adj):  # NetworkX's edge order: each edge from its first end
        cu = node2com[u]
        for v, wt in nbrs.items():
            if v < u:
                continue
            cv = node2com[v]
            row = new[cu]
            if cv in row:
                total = wt + row[cv]
                row[cv] = total
                new[cv][cu] = total
            else:
                row[cv] = wt + 0
                new[cv][cu] = wt + 0
    return new, new_members


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
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    same = (labels[rows] == labels[A.indices]) & (labels[rows] >= 0)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[same], minlength=n))])
    inner = csr_array((np.ones(int(same.sum())), A.indices[same], indptr), shape=(n, n))
    _, pieces = connected_components(inner, directed=True, connection="strong")  # symmetric: the components
    _, first = np.unique(pieces, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[pieces]
