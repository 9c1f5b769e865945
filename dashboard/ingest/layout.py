"""Node positions computed at build time: deterministic and fast on large graphs.

Each connected component is laid out on its own with a vectorised Fruchterman-Reingold
(NumPy; repulsion computed in row blocks so memory stays bounded, attraction along edges
only), from a seeded random start and with a cooling schedule. Components are scaled by
the square root of their size and packed largest first in rows (shelf packing); entities
without links are put on a square grid after them. The whole drawing is finally scaled to
fit the box ``[0, box] x [0, box]`` (aspect ratio kept) and rounded, so the same graph and
seed always give the same bytes.

Why not ``networkx.spring_layout`` on the whole graph: it took 188 s on 10,000 nodes, and a
disconnected graph drifts apart under repulsion. See ``bench/bench_layout.py``.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["compute_layout", "fruchterman_reingold", "BOX"]

BOX = 1000.0
BLOCK_BYTES = 48_000_000  # memory for one block of the pairwise repulsion
GAP = 0.25  # space between packed components, as a fraction of a unit cell


def _iterations(n: int) -> int:
    if n <= 300:
        return 100
    if n <= 2000:
        return 60
    return 40


def fruchterman_reingold(
    n: int, edges: np.ndarray, weights: np.ndarray, seed: int, iterations: int | None = None
) -> np.ndarray:
    """Lay out ``n`` nodes joined by ``edges`` (int array of shape (m, 2)); return (n, 2) positions.

    Forces follow Fruchterman and Reingold (1991) in a unit square: repulsion ``k²/d``
    between every pair, attraction ``w·d²/k`` along edges, ``k = 1/sqrt(n)``, with the
    step limited by a temperature that cools linearly. Edge weights are damped
    (``1 + log(w)``) so a few very strong ties do not collapse their ends onto each other.

    Examples
    --------
    >>> pos = fruchterman_reingold(3, np.array([[0, 1], [1, 2]]), np.ones(2), seed=1)
    >>> pos.shape
    (3, 2)
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if n == 1:
        return np.zeros((1, 2))
    iterations = iterations or _iterations(n)
    k = math.sqrt(1.0 / n)
    w = 1.0 + np.log(np.maximum(np.asarray(weights, dtype=float), 1.0))
    u, v = (edges[:, 0], edges[:, 1]) if len(edges) else (np.array([], int), np.array([], int))
    t = 0.1
    dt = t / (iterations + 1)
    block = max(1, int(BLOCK_BYTES // (n * 2 * 8 * 3)))
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        for i0 in range(0, n, block):
            i1 = min(n, i0 + block)
            delta = pos[i0:i1, None, :] - pos[None, :, :]
            d2 = np.einsum("ijk,ijk->ij", delta, delta)
            np.maximum(d2, 1e-4, out=d2)
            disp[i0:i1] += np.einsum("ijk,ij->ik", delta, (k * k) / d2)
        if len(u):
            delta = pos[u] - pos[v]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta))
            force = (w * dist / k)[:, None] * delta
            np.subtract.at(disp, u, force)
            np.add.at(disp, v, force)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp))
        np.maximum(length, 1e-2, out=length)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos


def _normalise(pos: np.ndarray) -> np.ndarray:
    """Center at 0 and scale into the unit disk."""
    pos = pos - pos.mean(axis=0)
    r = np.sqrt((pos**2).sum(axis=1)).max()
    return pos / r if r > 0 else pos


def _component_positions(G: nx.Graph, nodes: list, seed: int) -> np.ndarray:
    index = {node: i for i, node in enumerate(nodes)}
    sub = G.subgraph(nodes)
    edges = sorted((min(index[a], index[b]), max(index[a], index[b]), float(d.get("weight", 1.0))) for a, b, d in sub.edges(data=True) if a != b)
    arr = np.array([(a, b) for a, b, _ in edges], dtype=int).reshape(-1, 2)
    weights = np.array([x for _, _, x in edges], dtype=float)
    if len(nodes) == 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    return _normalise(fruchterman_reingold(len(nodes), arr, weights, seed))


def _grid(n: int) -> np.ndarray:
    side = math.ceil(math.sqrt(n))
    idx = np.arange(n)
    pos = np.stack([idx % side, -(idx // side)], axis=1).astype(float)
    return pos - pos.mean(axis=0) if n else pos


def compute_layout(G: nx.Graph, seed: int = 42, box: float = BOX) -> pd.DataFrame:
    """Positions of every node of ``G`` as a DataFrame ``entity_id, x, y`` sorted by id.

    Parameters
    ----------
    G : networkx.Graph
        The entity graph (edge attribute ``weight``).
    seed : int
        Seed of the random start of every component.
    box : float
        Size of the square the drawing is fitted into (``y`` grows downwards, as on screen).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")]); G.add_node("z")
    >>> df = compute_layout(G, seed=1)
    >>> list(df.entity_id), bool(df[["x", "y"]].min().min() >= 0), bool(df[["x", "y"]].max().max() <= 1000)
    (['a', 'b', 'c', 'z'], True, True)
    """
    if G.number_of_nodes() == 0:
        return pd.DataFrame({"entity_id": pd.Series(dtype=object), "x": pd.Series(dtype="float64"), "y": pd.Series(dtype="float64")})
    comps = [sorted(c, key=str) for c in nx.connected_components(G)]
    singles = sorted((c[0] for c in comps if len(c) == 1), key=str)
    comps = sorted((c for c in comps if len(c) > 1), key=lambda c: (-len(c), str(c[0])))
    # Each item: (nodes, positions centred at 0, half-size of its square cell)
    items = []
    for i, nodes in enumerate(comps):
        radius = math.sqrt(len(nodes))
        pos = _component_positions(G, nodes, seed + i) * radius
        items.append((nodes, pos, radius))
    if singles:
        grid = _grid(len(singles)) * 1.2
        half = float(np.abs(grid).max()) + 1.0 if len(singles) > 1 else 1.0
        items.append((singles, grid, half))
    total = sum((2 * half * (1 + GAP)) ** 2 for _, _, half in items)
    width = max(math.sqrt(total), 2 * items[0][2] * (1 + GAP))
    coords: dict = {}
    x = y = row_h = 0.0
    for nodes, pos, half in items:
        cell = 2 * half * (1 + GAP)
        if x > 0 and x + cell > width * 1.05:
            x, y, row_h = 0.0, y + row_h, 0.0
        cx, cy = x + cell / 2, y + cell / 2
        for node, (px, py) in zip(nodes, pos, strict=True):
            coords[node] = (cx + px, cy - py)
        x += cell
        row_h = max(row_h, cell)
    ids = sorted(coords, key=str)
    xy = np.array([coords[i] for i in ids], dtype=float)
    xy -= xy.min(axis=0)
    span = xy.max()
    if span > 0:
        xy *= box / span
    xy += (box - xy.max(axis=0)) / 2
    xy = np.round(xy, 3) + 0.0  # + 0.0 turns -0.0 into 0.0
    return pd.DataFrame({"entity_id": ids, "x": xy[:, 0], "y": xy[:, 1]})
