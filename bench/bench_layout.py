"""Benchmark the build-time layout (dashboard.ingest.layout.compute_layout) on synthetic graphs.

Prints one line per size with seconds, and the command that reproduces it. Not part of the tests.

    python bench/bench_layout.py            # 1,000 / 5,000 / 10,000 entities
    python bench/bench_layout.py 5000       # one size
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx  # noqa: E402

from dashboard.ingest.layout import compute_layout  # noqa: E402


def synthetic_graph(n: int, seed: int = 1) -> nx.Graph:
    """A co-mention-like graph: a scale-free core (70 %), small groups (20 %), isolated entities (10 %)."""
    rng = random.Random(seed)
    core = int(n * 0.7)
    G = nx.relabel_nodes(nx.barabasi_albert_graph(core, 3, seed=seed), lambda i: f"e{i:06d}")
    for u, v in G.edges:
        G.edges[u, v]["weight"] = float(rng.choice([1, 1, 1, 2, 3, 8]))
    i = core
    while i < int(n * 0.9):
        size = rng.randint(2, 6)
        group = [f"e{j:06d}" for j in range(i, min(i + size, int(n * 0.9)))]
        nx.add_path(G, group, weight=1.0)
        i += size
    G.add_nodes_from(f"e{j:06d}" for j in range(i, n))
    return G


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 5000, 10000]
    for n in sizes:
        G = synthetic_graph(n)
        t0 = time.perf_counter()
        df = compute_layout(G, seed=42)
        seconds = time.perf_counter() - t0
        assert len(df) == G.number_of_nodes()
        print(f"layout {n:>6} entities, {G.number_of_edges():>6} links: {seconds:6.1f} s   "
              f"(python bench/bench_layout.py {n})")


if __name__ == "__main__":
    main(sys.argv[1:])
