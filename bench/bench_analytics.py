"""Analytics benchmark: our view measures and communities vs igraph, on the largest view.

Run::

    python -m bench.bench_analytics --scale medium

The largest view is the whole dataset with every claim class ticked: the same nodes and
links as the opening view, but, because an evidence filter is set, the app recomputes
everything on it as it would for any filter change (the opening view itself reuses the
build's measures). Each analytic is timed along the app's own path (CPU time of this
process: a SciPy adjacency, sampled betweenness under the ``view_betweenness_work``
budget, the communities rule of ``communities_exact_max``) and computed from scratch by
python-igraph (exact betweenness, PageRank, eigenvector centrality, Louvain). igraph is a
reference only (the ``bench`` extra), never a dependency of the app. Reported: each time,
the ratio ours / igraph, and how far the answers agree (Spearman rank correlation,
overlap of the top 20, modularity of our partition against igraph's).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import add_common_args, built_for, emit

__all__ = ["main"]

BENCH = "analytics"


def _cpu(fn):
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def analytics(data, scale: str) -> None:
    """Time and compare the analytics of the largest view (see the module docstring)."""
    import igraph as ig

    from dashboard.analysis.communities import louvain_adjacency, split_communities
    from dashboard.analysis.metrics import measures
    from dashboard.analysis.view import _index, make_view
    from dashboard.settings import resolve
    from dashboard.tables import load_tables

    tables = load_tables(data)
    _index(tables)  # built once at app start
    claims = sorted(c for c in tables.passages["claim_class"].dropna().unique())
    view, t_view = _cpu(lambda: make_view(tables, {"claims": claims}))
    A, nodes = view.index.A, view.index.nodes
    n, m = A.shape[0], A.nnz // 2
    seed = int(resolve("seed"))
    ours, t_metrics = _cpu(lambda: measures(A, nodes, int(resolve("betweenness_exact_max")),
                                             int(resolve("betweenness_samples")), seed,
                                             work=float(resolve("view_betweenness_work"))))
    limit = int(resolve("communities_exact_max"))
    glob = view.entities["global_community"].to_numpy(dtype=np.int64)
    if m <= limit:
        found, t_comm = _cpu(lambda: louvain_adjacency(A, nodes, seed))
        app_membership = [found[v] for v in nodes]
        how = "Louvain"
    else:
        pieces, t_comm = _cpu(lambda: split_communities(A, glob))
        app_membership = pieces.tolist()
        how = f"dataset communities split by the view (above {limit:,} links)"
    fresh, t_louvain = _cpu(lambda: louvain_adjacency(A, nodes, seed))

    coo = A.tocoo()
    upper = coo.row < coo.col
    edges = list(zip(coo.row[upper].tolist(), coo.col[upper].tolist()))
    weights = coo.data[upper].tolist()
    H, t_build = _cpu(lambda: ig.Graph(n=n, edges=edges))
    bet, t_bet = _cpu(lambda: H.betweenness(directed=False))
    pr, t_pr = _cpu(lambda: H.pagerank(weights=weights, directed=False))
    eig, t_eig = _cpu(lambda: H.eigenvector_centrality(weights=weights))
    louv, t_louv = _cpu(lambda: H.community_multilevel(weights=weights))

    approx = bool(ours["betweenness_approx"].any())
    note = f"{n:,} entities, {m:,} links; ours: {'sampled' if approx else 'exact'} betweenness, igraph exact"
    emit(BENCH, scale, "largest view recomputed (make_view, CPU)", t_view * 1000, "ms", note=note)
    emit(BENCH, scale, "ours: measures as the app computes them", t_metrics * 1000, "ms", note=note)
    emit(BENCH, scale, "ours: communities as the app computes them", t_comm * 1000, "ms", note=how)
    emit(BENCH, scale, "ours: Louvain from scratch (NetworkX's algorithm replayed on adjacency rows)", t_louvain * 1000, "ms")
    emit(BENCH, scale, "igraph: graph + betweenness + pagerank + eigenvector", (t_build + t_bet + t_pr + t_eig) * 1000, "ms",
         note=f"build {t_build * 1000:.0f}, betweenness {t_bet * 1000:.0f}, pagerank {t_pr * 1000:.0f}, "
              f"eigenvector {t_eig * 1000:.0f} ms")
    emit(BENCH, scale, "igraph: Louvain", t_louv * 1000, "ms")
    emit(BENCH, scale, "ratio measures ours / igraph", t_metrics / max(1e-9, t_build + t_bet + t_pr + t_eig), "x")
    emit(BENCH, scale, "ratio communities (app) ours / igraph", t_comm / max(1e-9, t_louv), "x")
    emit(BENCH, scale, "ratio Louvain from scratch ours / igraph", t_louvain / max(1e-9, t_louv), "x")

    def rho(a, b) -> float:
        return float(pd.Series(np.asarray(a, dtype=float)).corr(pd.Series(np.asarray(b, dtype=float)), method="spearman"))

    def top_overlap(a, b, k: int = 20) -> float:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return len(set(np.argsort(-a, kind="stable")[:k]) & set(np.argsort(-b, kind="stable")[:k])) / k

    emit(BENCH, scale, "agreement pagerank (Spearman)", rho(ours["pagerank"], pr), "rho", ">= 0.95")
    emit(BENCH, scale, "agreement eigenvector (Spearman)", rho(ours["eigenvector"], eig), "rho")
    emit(BENCH, scale, "agreement betweenness (Spearman)", rho(ours["betweenness"], bet), "rho",
         note="sampled vs exact" if approx else "exact vs exact")
    emit(BENCH, scale, "agreement betweenness top 20 overlap", top_overlap(ours["betweenness"], bet), "share")
    q_app = H.modularity(app_membership, weights=weights)
    q_fresh = H.modularity([fresh[v] for v in nodes], weights=weights)
    q_ig = H.modularity(louv.membership, weights=weights)
    emit(BENCH, scale, "modularity app partition / igraph", q_app / max(1e-9, q_ig), "x", ">= 0.9",
         note=f"Q app {q_app:.3f}, our Louvain {q_fresh:.3f}, igraph {q_ig:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_analytics", description=__doc__.splitlines()[0])
    add_common_args(parser)
    args = parser.parse_args(argv)
    data = Path(args.data) if args.data else built_for(args.scale, args.work)
    print(f"# bench_analytics scale={args.scale} data={data}")
    analytics(data, args.scale)
    print(f"# reproduce: python -m bench.bench_analytics --scale {args.scale}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
