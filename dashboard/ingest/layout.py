"""Node positions computed at build time: deterministic and fast on large graphs.

Each connected component is laid out on its own with a vectorised Fruchterman-Reingold
(NumPy/SciPy, attraction along edges only, linear cooling), except mid-sized components
(12-400 entities, the typical analyst's network), which get NetworkX's ForceAtlas2 in
LinLog mode: it separates clusters better and spreads hubs apart. Small components start from
seeded random positions and feel exact repulsion (element-wise NumPy in row blocks, so memory stays
bounded); large ones start from PivotMDS on hop distances, which fixes the global shape in
one step, and are refined by a few iterations whose repulsion is computed on a mesh
(particle-mesh: cloud-in-cell and an FFT convolution, :func:`_repulsion_mesh`), so the cost
grows roughly linearly with size whatever the density (the former k-d tree cut-off found
millions of close pairs in the dense core of a 10,000-entity graph: 115 s of 126). Components are scaled by
the square root of their size and packed by :func:`pack`: shelves with stacked columns,
the shelf width chosen so the drawing fills a canvas of ``PACK_ASPECT`` best, so small
components and the compact grid of entities without links sit beside the main component
instead of far away (which made the fitted view shrink it). The whole drawing is finally scaled to
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

__all__ = ["compute_layout", "fruchterman_reingold", "pivot_mds", "pack", "BOX"]

BOX = 1000.0
BLOCK_BYTES = 32_000_000  # memory for one block of the exact pairwise repulsion
EXACT_MAX = 1500  # components up to this size get exact repulsion, larger ones a cut-off
MESH_PER_K, MESH_MAX = 4.0, 512  # mesh cells per unit length k (capped) of the large-component repulsion
PIVOTS = 50  # pivots of the PivotMDS start
FA2_MIN, FA2_MAX = 12, 400  # components of this size are drawn with ForceAtlas2 (LinLog)
FA2_ITERATIONS = 200
GAP = 0.06  # margin around a packed component, as a fraction of its size ...
GAP_MIN = 1.0  # ... plus this (a 2-entity component is ~2.8 wide)
SINGLE_CELL = 2.0  # grid spacing of entities without links
PACK_ASPECT = 1.4  # width / height of the canvas the packing is optimised for (the graph panel)


def _adjacency(n: int, edges: np.ndarray):
    from scipy.sparse import coo_matrix

    if len(edges) == 0:
        return coo_matrix((n, n)).tocsr()
    data = np.ones(2 * len(edges))
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return coo_matrix((data, (rows, cols)), shape=(n, n)).tocsr()


def pivot_mds(n: int, edges: np.ndarray, pivots: int = PIVOTS) -> np.ndarray:
    """Start positions from PivotMDS (Brandes & Pich 2006) on hop distances of a connected graph.

    Pivots are chosen deterministically: the highest-degree node, then repeatedly the node
    farthest from the pivots so far. Distances from the pivots are double-centred and the
    two leading singular vectors give the coordinates (signs fixed so the result is unique).
    """
    from scipy.sparse.csgraph import shortest_path

    A = _adjacency(n, edges)
    degree = np.asarray(A.sum(axis=1)).ravel()
    p = min(pivots, n)
    chosen = [int(np.argmax(degree))]
    D = np.empty((n, p))
    nearest = np.full(n, np.inf)
    for j in range(p):
        d = shortest_path(A, unweighted=True, indices=chosen[j], directed=False)
        d[~np.isfinite(d)] = d[np.isfinite(d)].max() + 1
        D[:, j] = d
        nearest = np.minimum(nearest, d)
        if j + 1 < p:
            chosen.append(int(np.argmax(nearest)))
    D2 = D**2
    C = -0.5 * (D2 - D2.mean(axis=0) - D2.mean(axis=1)[:, None] + D2.mean())
    # eigh of the p x p matrix C'C is cheaper than the SVD of C; einsum avoids threaded BLAS
    vals, vecs = np.linalg.eigh(np.einsum("ij,ik->jk", C, C))
    top = vecs[:, ::-1][:, :2]
    pos = np.einsum("ij,jk->ik", C, top)  # = U * S of the SVD, for the two leading components
    signs = np.sign(pos[np.argmax(np.abs(pos), axis=0), [0, 1]])
    signs[signs == 0] = 1
    pos = pos * signs
    if pos.shape[1] < 2:
        pos = np.column_stack([pos, np.zeros(n)])
    return pos


def _repulsion_exact(pos: np.ndarray, k: float) -> np.ndarray:
    """Sum over all pairs of k²/d along the pair direction, in row blocks.

    Plain element-wise NumPy, no BLAS: multi-threaded BLAS is slower on a busy machine and
    its summation order may depend on the thread count, which would break byte-identical
    rebuilds.
    """
    n = len(pos)
    disp = np.empty_like(pos)
    x, y = pos[:, 0], pos[:, 1]
    block = max(1, int(BLOCK_BYTES // (n * 8 * 5)))
    for i0 in range(0, n, block):
        i1 = min(n, i0 + block)
        dx = x[i0:i1, None] - x[None, :]
        dy = y[i0:i1, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.maximum(d2, 1e-6, out=d2)
        W = (k * k) / d2
        disp[i0:i1, 0] = (dx * W).sum(axis=1)
        disp[i0:i1, 1] = (dy * W).sum(axis=1)
    return disp


def _mesh_kernel(cells: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Padded size and spectra of the kernel ``r / |r|²`` on a unit-spaced ``cells`` mesh."""
    from scipy import fft

    size = fft.next_fast_len(2 * cells, real=True)
    off = np.arange(size, dtype=float)
    off[off > size // 2] -= size  # offsets -cells..cells, stored with wrap-around indices
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return size, fft.rfft2(kx), fft.rfft2(ky)


def _repulsion_mesh(pos: np.ndarray, k: float, cells: int, kernel=None) -> np.ndarray:
    """Repulsion ``k²/d`` from every node, on a mesh (particle-mesh, as in PM / FFT N-body codes).

    The nodes are spread on a ``cells × cells`` grid over their bounding box
    (cloud-in-cell: bilinear weights), the grid is convolved with the kernel
    ``k² r / |r|²`` by FFT (zero-padded, so the convolution is not periodic) and the force
    is read back with the same bilinear weights. Cost ``O(n + cells² log cells)`` per
    call, whatever the density, where the k-d tree cut-off found half a million pairs in a
    2,000-node core. The kernel is odd, so a node exerts no force on itself; pairs closer
    than a cell feel a smoothed force. The kernel's spectrum (:func:`_mesh_kernel`) does not
    depend on the cell size ``h`` but for a factor ``1/h``, so callers pass it once per
    component. Deterministic (pocketfft, fixed sizes).
    """
    from scipy import fft

    size, spec_x, spec_y = kernel if kernel is not None else _mesh_kernel(cells)
    lo = pos.min(axis=0)
    span = float(np.ptp(pos, axis=0).max())
    if span <= 0:
        return np.zeros_like(pos)
    h = span / (cells - 1)
    g = (pos - lo) / h
    cell = np.minimum(np.floor(g).astype(np.int64), cells - 2)
    frac = g - cell
    base = cell[:, 0] * size + cell[:, 1]
    fx, fy = frac[:, 0], frac[:, 1]
    corners = (
        (0, (1 - fx) * (1 - fy)),
        (size, fx * (1 - fy)),
        (1, (1 - fx) * fy),
        (size + 1, fx * fy),
    )
    rho = np.zeros(size * size)
    for offset, wt in corners:
        rho += np.bincount(base + offset, weights=wt, minlength=size * size)
    spec = fft.rfft2(rho.reshape(size, size)) * (k * k / h)
    gx = fft.irfft2(spec * spec_x, s=(size, size)).ravel()
    gy = fft.irfft2(spec * spec_y, s=(size, size)).ravel()
    disp = np.zeros_like(pos)
    for offset, wt in corners:
        disp[:, 0] += gx[base + offset] * wt
        disp[:, 1] += gy[base + offset] * wt
    return disp


def _scatter(disp: np.ndarray, index: np.ndarray, force: np.ndarray, sign: float) -> None:
    """``disp[index] += sign * force`` with repeated indices summed (bincount is much faster than ufunc.at)."""
    n = len(disp)
    disp[:, 0] += sign * np.bincount(index, weights=force[:, 0], minlength=n)
    disp[:, 1] += sign * np.bincount(index, weights=force[:, 1], minlength=n)


def fruchterman_reingold(
    n: int, edges: np.ndarray, weights: np.ndarray, seed: int, iterations: int | None = None
) -> np.ndarray:
    """Lay out one connected component of ``n`` nodes; return (n, 2) positions.

    Forces follow Fruchterman and Reingold (1991) in a unit square: repulsion ``k²/d``
    between pairs, attraction ``w·d²/k`` along edges, ``k = 1/sqrt(n)``, with the step
    limited by a temperature that cools linearly. Edge weights are damped (``1 + log(w)``)
    so a few very strong ties do not collapse their ends onto each other. Small components
    start from seeded random positions and use exact repulsion; large ones start from
    :func:`pivot_mds` (which fixes the global shape) and are refined with a few iterations
    whose repulsion comes from a mesh of ``MESH_PER_K / k`` cells (:func:`_repulsion_mesh`).

    Examples
    --------
    >>> pos = fruchterman_reingold(3, np.array([[0, 1], [1, 2]]), np.ones(2), seed=1)
    >>> pos.shape
    (3, 2)
    """
    if n == 1:
        return np.zeros((1, 2))
    edges = np.asarray(edges, dtype=int).reshape(-1, 2)
    k = math.sqrt(1.0 / n)
    large = n > EXACT_MAX
    if n > 100:
        pos = pivot_mds(n, edges)
        span = np.ptp(pos, axis=0).max()
        pos = (pos - pos.min(axis=0)) / (span if span > 0 else 1.0)
        pos += np.random.default_rng(seed).normal(scale=k * 0.1, size=pos.shape)  # split coincident nodes
        t = 0.03
        iterations = iterations or (40 if large else 50)
    else:
        pos = np.random.default_rng(seed).random((n, 2))
        t = 0.1
        iterations = iterations or (50 if n <= 10 else 100)
    cells = int(min(MESH_MAX, max(64, MESH_PER_K / k)))
    kernel = _mesh_kernel(cells) if large else None
    w = 1.0 + np.log(np.maximum(np.asarray(weights, dtype=float), 1.0))
    u, v = edges[:, 0], edges[:, 1]
    dt = t / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion_mesh(pos, k, cells, kernel) if large else _repulsion_exact(pos, k)
        if len(u):
            delta = pos[u] - pos[v]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta))
            force = (w * dist / k)[:, None] * delta
            _scatter(disp, u, force, -1.0)
            _scatter(disp, v, force, 1.0)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp))
        np.maximum(length, 1e-2, out=length)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos


def _normalise(pos: np.ndarray) -> np.ndarray:
    """Center at 0 and scale into the unit disk, robust to a few far-flung leaves.

    The scale is set by the 95th percentile of the distances to the centre, so one outlier
    does not shrink the rest of the component; the few points beyond the disk are pulled
    back onto its rim (their direction is kept).
    """
    pos = pos - np.median(pos, axis=0)
    r = np.sqrt((pos**2).sum(axis=1))
    scale = float(np.quantile(r, 0.95)) * 1.1 if len(r) >= 20 else float(r.max())
    if scale <= 0:
        return pos
    pos = pos / scale
    r = r / scale
    far = r > 1.0
    pos[far] = pos[far] / r[far, None]
    return pos


def _forceatlas2(G: nx.Graph, nodes: list, seed: int) -> np.ndarray | None:
    """ForceAtlas2 in LinLog mode (NetworkX): clearer clusters and hubs spread apart.

    Returns ``None`` if the result is not finite (the caller then falls back to FR).
    """
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted((a, b) if str(a) < str(b) else (b, a) for a, b in G.subgraph(nodes).edges if a != b))
    with np.errstate(divide="ignore", invalid="ignore"):  # zero self-distances on the diagonal
        pos = nx.forceatlas2_layout(sub, max_iter=FA2_ITERATIONS, linlog=True, seed=seed)
    arr = np.array([pos[n] for n in nodes], dtype=float)
    return arr if np.isfinite(arr).all() else None


def _component_positions(G: nx.Graph, nodes: list, seed: int) -> np.ndarray:
    if len(nodes) == 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    if FA2_MIN <= len(nodes) <= FA2_MAX:
        pos = _forceatlas2(G, nodes, seed)
        if pos is not None:
            return _normalise(pos)
    index = {node: i for i, node in enumerate(nodes)}
    # a component's neighbours are all in it: walk the adjacency, each edge once (low end first)
    adj = G.adj
    rows = [
        (i, j, d.get("weight", 1.0))
        for i, a in enumerate(nodes)
        for b, d in adj[a].items()
        if (j := index[b]) > i
    ]
    table = np.array(rows, dtype=float).reshape(-1, 3)
    ends = np.sort(table[:, :2], axis=1).astype(np.int64)
    order = np.lexsort((table[:, 2], ends[:, 1], ends[:, 0]))  # sorted (low, high, weight): a fixed edge order
    arr = ends[order]
    weights = table[order, 2]
    return _normalise(fruchterman_reingold(len(nodes), arr, weights, seed))


def _grid(n: int) -> np.ndarray:
    """Entities without links on a compact, nearly square grid (``SINGLE_CELL`` apart)."""
    cols = max(1, math.ceil(math.sqrt(n)))
    i = np.arange(n)
    return np.column_stack([i % cols, i // cols]).astype(float) * SINGLE_CELL


def _shelves(sizes: list[np.ndarray], order: list[int], width: float) -> tuple[np.ndarray, float, float]:
    """Shelf packing with stacks: a shelf is as tall as its first (tallest) item; the next
    items are stacked in columns inside it, so small components fill the space beside a big one."""
    out = np.zeros((len(sizes), 2))
    y = shelf_h = x = col_x = col_y = col_w = 0.0
    right = 0.0
    for k, i in enumerate(order):
        w, h = sizes[i]
        if k == 0 or col_y + h <= shelf_h + 1e-9 and col_x + w <= width + 1e-9:
            pass  # fits in the current column
        elif col_x + col_w + w <= width + 1e-9 and h <= shelf_h + 1e-9:
            col_x, col_y, col_w = col_x + col_w, 0.0, 0.0  # next column of this shelf
        else:
            y, shelf_h, col_x, col_y, col_w = y + shelf_h, 0.0, 0.0, 0.0, 0.0  # new shelf
        if shelf_h == 0.0:
            shelf_h = h
        out[i] = (col_x, y + col_y)
        col_y += h
        col_w = max(col_w, w)
        x = col_x + col_w
        right = max(right, x)
    return out, right, y + shelf_h


def pack(sizes: list[np.ndarray], aspect: float = PACK_ASPECT) -> list[tuple[float, float]]:
    """Top-left corners for boxes of the given ``(width, height)``, packed tightly.

    Every box gets a margin of ``GAP_MIN + GAP`` times its size. Boxes are sorted by
    height (ties: original order) and shelf-packed with stacks (:func:`_shelves`); the shelf
    width is chosen among a few candidates so that the drawing, fitted to a canvas of the
    given aspect ratio (width / height), shows the boxes as large as possible. With one
    dominant component this puts the small ones in columns beside it instead of far below.
    Deterministic; cost ``O(candidates · boxes)``.

    Examples
    --------
    >>> corners = pack([np.array([10.0, 10.0]), np.array([1.0, 1.0])], aspect=1.4)
    >>> [round(v, 1) for v in corners[0]], corners[1][0] > 10, corners[1][1] < 10  # beside, not below
    ([0.8, 0.8], True, True)
    """
    if not sizes:
        return []
    padded = [np.asarray(s, dtype=float) + GAP_MIN + GAP * float(np.max(s)) for s in sizes]
    order = sorted(range(len(padded)), key=lambda i: (-padded[i][1], i))
    widest = max(float(p[0]) for p in padded)
    area = sum(float(p[0] * p[1]) for p in padded)
    base = max(widest, math.sqrt(area * aspect))
    candidates = sorted({widest, *(base * f for f in np.linspace(1.0, 2.0, 11)),
                         *(widest * f for f in np.linspace(1.0, 2.0, 11))})
    best = None
    for width in candidates:
        out, w, h = _shelves(padded, order, width)
        scale = min(aspect / w, 1.0 / h)
        score = round(area * scale * scale, 9)
        if best is None or score > best[0]:
            best = (score, out)
    margin = [(p - np.asarray(s, dtype=float)) / 2 for p, s in zip(padded, sizes, strict=True)]
    return [(float(o[0] + m[0]), float(o[1] + m[1])) for o, m in zip(best[1], margin, strict=True)]


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
    items: list[tuple[list, np.ndarray]] = []  # (nodes, positions with the bounding box at 0, y down)
    for i, nodes in enumerate(comps):
        pos = _component_positions(G, nodes, seed + i) * math.sqrt(len(nodes))
        pos[:, 1] = -pos[:, 1]
        items.append((nodes, pos - pos.min(axis=0)))
    if singles:
        items.append((singles, _grid(len(singles))))
    coords: dict = {}
    for (nodes, pos), (ox, oy) in zip(items, pack([np.ptp(p, axis=0) for _, p in items]), strict=True):
        for node, (px, py) in zip(nodes, pos, strict=True):
            coords[node] = (ox + px, oy + py)
    ids = sorted(coords, key=str)
    xy = np.array([coords[i] for i in ids], dtype=float)
    xy -= xy.min(axis=0)
    span = xy.max()
    if span > 0:
        xy *= box / span
    xy += (box - xy.max(axis=0)) / 2
    xy = np.round(xy, 3) + 0.0  # + 0.0 turns -0.0 into 0.0
    return pd.DataFrame({"entity_id": ids, "x": xy[:, 0], "y": xy[:, 1]})
