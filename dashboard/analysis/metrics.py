"""Centrality measures of an entity graph, robust to empty and disconnected graphs.

Used at build time (global measures stored in ``entities``) and by the app on filtered
views. Pure: a graph in, a DataFrame out; never raises on an empty or disconnected graph.

Everything is computed on one SciPy CSR adjacency matrix (:func:`adjacency`), so a view
that already has its links as integer codes skips NetworkX entirely (:func:`measures`):
building a NetworkX graph of 20,000 links and converting it back to a matrix cost more
than the measures themselves.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components

__all__ = ["adjacency", "adjacency_from_codes", "components", "compute_metrics", "measures", "measure_arrays", "eigenvector_by_component",
           "betweenness", "pagerank", "METRIC_COLUMNS"]

METRIC_COLUMNS = ["entity_id", "degree", "weighted_degree", "betweenness", "betweenness_approx", "eigenvector", "pagerank"]
DIGITS = 12  # rounding keeps results identical across runs despite float summation order
DENSE_MAX = 60  # components up to this size use dense eigh; larger ones ARPACK, which stays
# single-threaded (a threaded BLAS eigh of a few hundred nodes took 0.7 s on a busy machine)


def _empty() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in METRIC_COLUMNS})
    return df.astype({"degree": "int32", "weighted_degree": "float64", "betweenness": "float64",
                      "betweenness_approx": "bool", "eigenvector": "float64", "pagerank": "float64"})


def adjacency_from_codes(n: int, src: np.ndarray, tgt: np.ndarray, weight: np.ndarray) -> csr_array:
    """Symmetric weighted adjacency of ``n`` nodes from edge end codes and weights.

    Self-loops are dropped; parallel edges (both link kinds between one pair, or the two
    directions) are summed, as :func:`dashboard.analysis.graph.build_graph` combines them.

    Examples
    --------
    >>> A = adjacency_from_codes(3, np.array([0, 1, 2]), np.array([1, 0, 2]), np.array([2.0, 1.0, 5.0]))
    >>> A.toarray().tolist()
    [[0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    src = np.asarray(src, dtype=np.int64)
    tgt = np.asarray(tgt, dtype=np.int64)
    w = np.asarray(weight, dtype=float)
    keep = src != tgt
    src, tgt, w = src[keep], tgt[keep], w[keep]
    rows = np.concatenate([src, tgt])
    cols = np.concatenate([tgt, src])
    A = coo_array((np.concatenate([w, w]), (rows, cols)), shape=(n, n)).tocsr()
    A.sum_duplicates()
    A.sort_indices()
    return A


def adjacency(G: nx.Graph, nodes: list | None = None, weight: str = "weight") -> csr_array:
    """Symmetric weighted adjacency of ``G`` in the order of ``nodes`` (default: sorted by ``str``).

    Missing weights count 1; self-loops are dropped.
    """
    nodes = sorted(G.nodes, key=str) if nodes is None else nodes
    pos = {v: i for i, v in enumerate(nodes)}
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    tgt = np.empty(m, dtype=np.int64)
    w = np.empty(m)
    for i, (u, v, d) in enumerate(G.edges(data=weight, default=1.0)):
        src[i], tgt[i], w[i] = pos[u], pos[v], d
    return adjacency_from_codes(len(nodes), src, tgt, w)


def components(A: csr_array) -> tuple[int, np.ndarray]:
    """Connected components of the symmetric adjacency ``A`` (``scipy.sparse.csgraph``).

    On a symmetric matrix the strongly connected components are the components, and
    SciPy finds them without the transposed copy its undirected search makes.
    """
    return connected_components(A, directed=True, connection="strong")


def _eigenvector(A: csr_array, comps: tuple | None = None) -> np.ndarray:
    """Per-component leading eigenvector of ``A`` (see :func:`eigenvector_by_component`).

    Components of the same size up to ``DENSE_MAX`` nodes are solved together with one
    stacked ``eigh`` call (the same LAPACK routine per matrix as one call each, so the same
    numbers); larger ones one ``eigsh`` each.
    """
    n = A.shape[0]
    out = np.zeros(n)
    if n == 0 or A.nnz == 0:
        return out
    n_comp, labels = components(A) if comps is None else comps  # (count, labels) if known
    sizes = np.bincount(labels, minlength=n_comp)
    order = np.argsort(labels, kind="stable")  # nodes by component, ascending within one
    pos = np.empty(n, dtype=np.int64)  # position of each node within its component
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pos[order] = np.arange(n) - np.repeat(starts, sizes)
    node_size = sizes[labels]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= DENSE_MAX)]).tolist():
        _dense_eigenvectors(A, labels, pos, node_size, size, n, out)
    for comp in np.flatnonzero(sizes > DENSE_MAX).tolist():
        nodes = order[starts[comp]: starts[comp] + sizes[comp]]
        local = np.full(n, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        rows = A[nodes]  # a component's rows only have its own columns; local ids keep their order
        sub = csr_array((rows.data, local[rows.indices], rows.indptr), shape=(len(nodes), len(nodes)))
        try:
            from scipy.sparse.linalg import eigsh

            vals, vecs = eigsh(sub, k=1, which="LA", v0=np.ones(len(nodes)), maxiter=len(nodes) * 20)
            vec = vecs[:, 0]
        except Exception:  # ARPACK may fail to converge; fall back to power iteration
            vec = _power_iteration(sub)
        vec = np.abs(np.asarray(vec, dtype=float))
        norm = np.linalg.norm(vec)
        if not np.isfinite(norm) or norm == 0:
            continue
        out[nodes] = vec / norm * math.sqrt(len(nodes) / n)
    return out


def _dense_eigenvectors(A: csr_array, labels: np.ndarray, pos: np.ndarray, node_size: np.ndarray, size: int,
                        n: int, out: np.ndarray) -> None:
    """Leading eigenvectors of every component of ``size`` nodes, one stacked ``eigh``."""
    members = np.flatnonzero(node_size == size)  # ascending, so each component's nodes in order
    comps, slot = np.unique(labels[members], return_inverse=True)
    stack = np.zeros((len(comps), size, size))
    slot_of = np.empty(n, dtype=np.int64)
    slot_of[members] = slot
    R = A[members]
    rows = np.repeat(members, np.diff(R.indptr))
    stack[slot_of[rows], pos[rows], pos[R.indices]] = R.data
    try:
        vals, vecs = np.linalg.eigh(stack)
        vecs = vecs[:, :, -1]
    except np.linalg.LinAlgError:  # one at a time, as before
        vecs = np.zeros((len(comps), size))
        for k in range(len(comps)):
            try:
                vecs[k] = np.linalg.eigh(stack[k])[1][:, -1]
            except np.linalg.LinAlgError:
                vecs[k] = _power_iteration(csr_array(stack[k]))
    vecs = np.abs(vecs)
    norms = np.array([np.linalg.norm(v) for v in vecs])  # as for one vector (a dot product): the same bits
    ok = np.isfinite(norms) & (norms > 0)
    scaled = vecs / np.where(ok, norms, 1.0)[:, None] * math.sqrt(size / n)
    scaled[~ok] = 0.0
    out[members] = scaled[slot, pos[members]]


def _power_iteration(A: csr_array, iterations: int = 1000, tol: float = 1e-8) -> np.ndarray:
    x = np.ones(A.shape[0]) / A.shape[0]
    for _ in range(iterations):
        y = A @ x + x  # shifted, so bipartite components converge too
        y /= np.linalg.norm(y) or 1.0
        if np.abs(y - x).sum() < tol * len(x):
            return y
        x = y
    return np.asarray(A.sum(axis=1)).ravel()


def eigenvector_by_component(G: nx.Graph, weight: str = "weight") -> dict:
    """Weighted eigenvector centrality computed per connected component.

    Within a component the leading eigenvector of the weighted adjacency matrix is
    normalised to unit length, then scaled by ``sqrt(size / n)`` so the whole vector has
    unit length and a node in a small component does not outrank the hubs of the main one.
    Isolated nodes get 0. Uses dense ``numpy.linalg.eigh`` for components up to ``DENSE_MAX`` nodes and
    ``scipy.sparse.linalg.eigsh`` for large ones, falling back to power iteration.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c")
    >>> {k: round(v, 3) for k, v in eigenvector_by_component(G).items()}
    {'a': 0.577, 'b': 0.577, 'c': 0.0}
    """
    nodes = sorted(G.nodes, key=str)
    vec = _eigenvector(adjacency(G, nodes, weight))
    return dict(zip(nodes, vec.tolist(), strict=True))


def pagerank(A: csr_array, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6) -> np.ndarray:
    """Weighted PageRank of the undirected graph ``A`` (NetworkX's ``pagerank`` semantics).

    Each undirected edge counts in both directions; a node without edges spreads its rank
    uniformly (NetworkX's dangling rule); the iteration stops when the L1 change is below
    ``n * tol``, as in ``networkx.pagerank``. Returns the uniform vector if it does not
    converge in ``max_iter`` steps.

    Examples
    --------
    >>> A = adjacency_from_codes(3, np.array([0, 0]), np.array([1, 2]), np.ones(2))
    >>> [round(float(v), 3) for v in pagerank(A)]
    [0.486, 0.257, 0.257]
    """
    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    out_weight = np.asarray(A.sum(axis=1)).ravel()
    dangling = out_weight == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, out_weight))
    # column-stochastic transpose: A is symmetric, so row j of it is row j of A scaled by
    # 1 / out-weight of each column (the same products and order as transposing A * inv[:, None])
    MT = csr_array((A.data * inv[A.indices], A.indices, A.indptr), shape=A.shape)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (MT @ x + x[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return x
    return np.full(n, 1.0 / n)


BATCH = 64  # sources whose dependencies the sparse Brandes sums together
SEARCH_BATCH = 16  # sources searched together (see _batch_dependencies)


def _sources(n: int, k: int | None, seed: int) -> tuple[np.ndarray, float]:
    if k is None or k >= n:
        return np.arange(n), 1.0
    return np.array(sorted(random.Random(seed).sample(range(n), k))), n / k


def _brandes(A: csr_array, sources: np.ndarray, scale: float, labels: np.ndarray | None = None) -> np.ndarray:
    """Normalised betweenness on hop counts from ``sources`` (see :func:`betweenness`).

    Sources are processed ``BATCH`` at a time as the columns of dense arrays; each level of
    the breadth-first search is one sparse product, and so is each level of the dependency
    accumulation. The masks of each level are kept from the forward pass, so the backward
    pass compares nothing. With the components' ``labels``, a batch whose sources' components
    leave out a good part of the graph works on those components' rows only: a row's sums
    run over the same neighbours in the same order, and the rows left out would add zeros,
    so the numbers are the same.
    """
    n = A.shape[0]
    if n < 3 or A.nnz == 0:
        return np.zeros(n)
    A = csr_array((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)  # hop counts, not weights
    bc = np.zeros(n)
    for b0 in range(0, len(sources), BATCH):
        batch = np.asarray(sources[b0 : b0 + BATCH])
        if labels is not None:
            inside = np.isin(labels, labels[batch])
            rows = np.flatnonzero(inside)
            if len(rows) < 0.9 * n:
                local = np.cumsum(inside) - 1  # rows keep their order
                part = A[rows]
                sub = csr_array((part.data, local[part.indices], part.indptr), shape=(len(rows), len(rows)))
                bc[rows] += _batch_dependencies(sub, local[batch]).sum(axis=1)
                continue
        bc += _batch_dependencies(A, batch).sum(axis=1)
    return bc * (scale / ((n - 1) * (n - 2)))


def _batch_dependencies(A: csr_array, batch: np.ndarray) -> np.ndarray:
    """:func:`_dependencies` of a batch, computed :data:`SEARCH_BATCH` sources at a time.

    Each source's column is computed independently of the others (a search that has ended
    only adds zeros while the others go on), so the columns are the same as from one call;
    the caller sums the whole batch's columns as before, so the sums are too. Narrower
    searches keep their arrays in the CPU cache and stop at their own deepest level: about
    a fifth less time at 2,000 entities.
    """
    if len(batch) <= SEARCH_BATCH:
        return _dependencies(A, batch)
    out = np.empty((A.shape[0], len(batch)))
    for j in range(0, len(batch), SEARCH_BATCH):
        out[:, j : j + SEARCH_BATCH] = _dependencies(A, batch[j : j + SEARCH_BATCH])
    return out


def _dependencies(A: csr_array, batch: np.ndarray) -> np.ndarray:
    """Brandes' dependency of every source of ``batch`` (columns) on every row of ``A``
    (hop counts), zero on the sources themselves."""
    n = A.shape[0]
    b = len(batch)
    cols = np.arange(b)
    sigma = np.zeros((n, b))  # shortest paths from each source (column) to each row
    sigma[batch, cols] = 1.0
    unvisited = np.ones((n, b), dtype=bool)
    unvisited[batch, cols] = False
    frontier = sigma.copy()
    masks = [~unvisited]  # per level: where the sources' searches are at that level
    while True:
        reach = A @ frontier
        new = reach > 0
        new &= unvisited
        if not new.any():
            break
        frontier = np.where(new, reach, 0.0)
        sigma += frontier  # zero before where new
        unvisited &= ~new
        masks.append(new)
    delta = np.zeros((n, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        for lev in range(len(masks) - 1, 0, -1):
            coeff = np.where(masks[lev], (1.0 + delta) / sigma, 0.0)
            delta += np.where(masks[lev - 1], sigma * (A @ coeff), 0.0)
    delta[batch, cols] = 0.0
    return delta


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
    sources, scale = _sources(n, k, seed)
    bc = _brandes(adjacency(G, nodes, weight=None), sources, scale)
    return dict(zip(nodes, bc.tolist(), strict=True))


def measures(A: csr_array, nodes, exact_max: int = 1000, samples: int = 200, seed: int = 42,
             work: float | None = None) -> pd.DataFrame:
    """Centrality measures from a symmetric weighted adjacency (see :func:`compute_metrics`).

    Parameters
    ----------
    A : scipy.sparse.csr_array
        From :func:`adjacency` or :func:`adjacency_from_codes`: no self-loops, parallel
        edges summed.
    nodes : sequence or Series of str
        Node ids in the order of ``A``'s rows (sorted by ``str`` for reproducible sampling);
        a string Series is used as is (no conversion).
    exact_max, samples, seed
        As in :func:`compute_metrics`.
    work : float, optional
        Budget for betweenness in source × link visits. When given, betweenness is exact only
        if ``n × links`` fits, and otherwise sampled from ``max(8, min(samples, work / links))``
        sources, so its cost stays bounded on any view (the app uses this; the build does not).

    Returns
    -------
    DataFrame
        As :func:`compute_metrics`; ``attrs["betweenness_sources"]`` is the number of
        source nodes betweenness was computed from.
    """
    n = A.shape[0]
    if n == 0:
        return _empty()
    arrays, sources = measure_arrays(A, exact_max, samples, seed, work)
    df = pd.DataFrame({
        "entity_id": (nodes.reset_index(drop=True) if isinstance(nodes, pd.Series)
                      else pd.Series(list(nodes), dtype="str")),
        **arrays,
    })
    df.attrs["betweenness_sources"] = sources
    return df


def measure_arrays(A: csr_array, exact_max: int = 1000, samples: int = 200, seed: int = 42,
                   work: float | None = None) -> tuple[dict, int]:
    """The columns of :func:`measures` but ``entity_id`` as arrays, and the number of
    betweenness sources (for callers that put them in a frame of their own)."""
    n = A.shape[0]
    m = A.nnz // 2
    k = None
    comps = None  # connected components, shared by betweenness and eigenvector
    if m == 0:
        bet, approx = np.zeros(n), False
    else:
        if work is None:
            k = None if n <= exact_max or samples >= n else max(1, int(samples))
        else:
            k = None if n * m <= work else max(8, min(int(samples), int(work // m)))
            k = None if k is not None and k >= n else k
        approx = k is not None
        comps = components(A)
        bet = _brandes(A, *_sources(n, k, seed), labels=comps[1])
    wdeg = np.asarray(A.sum(axis=1)).ravel().astype(float)
    arrays = {
        "degree": np.diff(A.indptr).astype("int32"),
        "weighted_degree": np.round(wdeg, DIGITS),
        "betweenness": np.round(bet, DIGITS),
        "betweenness_approx": np.full(n, bool(approx)),
        "eigenvector": np.round(_eigenvector(A, comps), DIGITS),
        "pagerank": np.round(pagerank(A), DIGITS),
    }
    return arrays, (n if not approx else int(k))


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
    nodes = sorted(G.nodes, key=str)
    return measures(adjacency(G, nodes), nodes, exact_max, samples, seed)
