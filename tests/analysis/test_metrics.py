"""compute_metrics: known values on small graphs, robustness on empty/disconnected graphs."""

import networkx as nx
import pytest

from dashboard.analysis.metrics import METRIC_COLUMNS, compute_metrics, eigenvector_by_component


def test_star_center_dominates():
    G = nx.star_graph(4)
    G = nx.relabel_nodes(G, {i: f"n{i}" for i in G})
    df = compute_metrics(G).set_index("entity_id")
    assert df.loc["n0", "degree"] == 4
    assert df.loc["n0", "betweenness"] == pytest.approx(1.0)
    assert df.loc["n1", "betweenness"] == 0.0
    assert df.loc["n0", "pagerank"] > df.loc["n1", "pagerank"]
    assert df.loc["n0", "eigenvector"] > df.loc["n1", "eigenvector"]
    assert df.pagerank.sum() == pytest.approx(1.0)


def test_weighted_degree_sums_weights():
    G = nx.Graph()
    G.add_edge("a", "b", weight=2.5)
    G.add_edge("a", "c", weight=1.0)
    df = compute_metrics(G).set_index("entity_id")
    assert df.loc["a", "weighted_degree"] == 3.5 and df.loc["a", "degree"] == 2


def test_empty_graph_gives_empty_frame_with_columns():
    df = compute_metrics(nx.Graph())
    assert list(df.columns) == METRIC_COLUMNS and df.empty


def test_edgeless_and_disconnected_graphs_do_not_raise():
    G = nx.Graph()
    G.add_nodes_from(["x", "y"])
    df = compute_metrics(G)
    assert list(df.degree) == [0, 0] and list(df.betweenness) == [0.0, 0.0]
    G.add_edges_from([("a", "b"), ("b", "c"), ("d", "e")])
    df = compute_metrics(G).set_index("entity_id")
    assert df.loc["x", "eigenvector"] == 0.0
    assert df.loc["b", "eigenvector"] > df.loc["d", "eigenvector"] > 0
    assert df.notna().all().all()


def test_eigenvector_has_unit_norm_over_components():
    G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    ev = eigenvector_by_component(G)
    assert sum(v * v for v in ev.values()) == pytest.approx(1.0)
    assert ev["a"] == pytest.approx(ev["c"])


def test_betweenness_is_approximate_above_exact_max_and_seeded():
    G = nx.relabel_nodes(nx.barabasi_albert_graph(120, 2, seed=3), str)
    exact = compute_metrics(G, exact_max=1000)
    a = compute_metrics(G, exact_max=50, samples=40, seed=7)
    b = compute_metrics(G, exact_max=50, samples=40, seed=7)
    assert not exact.betweenness_approx.any() and a.betweenness_approx.all()
    assert a.equals(b)
    top_exact = exact.nlargest(5, "betweenness").entity_id.iloc[0]
    assert top_exact in set(a.nlargest(5, "betweenness").entity_id)


def test_large_component_uses_sparse_eigensolver():
    G = nx.relabel_nodes(nx.barabasi_albert_graph(800, 2, seed=1), str)
    df = compute_metrics(G, exact_max=100, samples=50)
    dense = nx.eigenvector_centrality_numpy(G)
    top = max(dense, key=dense.get)
    assert df.set_index("entity_id").eigenvector.idxmax() == top


def test_sparse_betweenness_equals_networkx_exactly():
    from dashboard.analysis.metrics import betweenness

    graphs = [
        nx.karate_club_graph(),
        nx.les_miserables_graph(),
        nx.gnp_random_graph(150, 0.03, seed=1),  # disconnected pieces
        nx.disjoint_union(nx.path_graph(5), nx.star_graph(6)),
    ]
    for G in graphs:
        G = nx.relabel_nodes(G, str)
        G.add_edge(next(iter(G)), next(iter(G)))  # a self-loop changes nothing
        ours, ref = betweenness(G), nx.betweenness_centrality(G, normalized=True)
        assert max(abs(ours[v] - ref[v]) for v in G) < 1e-12


def test_sampled_betweenness_with_all_sources_is_exact_and_scales():
    from dashboard.analysis.metrics import betweenness

    G = nx.relabel_nodes(nx.barabasi_albert_graph(200, 2, seed=5), str)
    exact = betweenness(G)
    assert betweenness(G, k=200) == exact
    approx = betweenness(G, k=100, seed=1)
    assert sum(approx.values()) == pytest.approx(sum(exact.values()), rel=0.25)


def test_pagerank_matches_networkx_on_weighted_graphs_with_isolated_nodes():
    import numpy as np

    from dashboard.analysis.metrics import adjacency, pagerank

    G = nx.les_miserables_graph()
    G.add_node("alone")
    nodes = sorted(G.nodes)
    ours = pagerank(adjacency(G, nodes))
    ref = nx.pagerank(G, weight="weight")
    assert np.allclose(ours, [ref[v] for v in nodes], atol=1e-6)


def test_measures_from_codes_equal_compute_metrics_from_graph():
    import numpy as np

    from dashboard.analysis.metrics import adjacency_from_codes, measures

    G = nx.relabel_nodes(nx.barabasi_albert_graph(60, 2, seed=4), lambda i: f"e{i:03d}")
    for i, (u, v) in enumerate(G.edges):
        G[u][v]["weight"] = 1.0 + i % 3
    nodes = sorted(G.nodes)
    pos = {v: i for i, v in enumerate(nodes)}
    # each pair given twice, split over two link kinds, as a view's links are
    src = np.array([pos[u] for u, v in G.edges] * 2)
    tgt = np.array([pos[v] for u, v in G.edges] * 2)
    w = np.array([G[u][v]["weight"] / 2 for u, v in G.edges] * 2)
    got = measures(adjacency_from_codes(len(nodes), src, tgt, w), nodes)
    assert got.equals(compute_metrics(G))


def test_work_budget_bounds_sampled_sources_and_flags_approximation():
    from dashboard.analysis.metrics import adjacency, measures

    G = nx.relabel_nodes(nx.barabasi_albert_graph(300, 3, seed=2), str)
    nodes = sorted(G.nodes, key=str)
    A = adjacency(G, nodes)
    exact = measures(A, nodes, work=300 * G.number_of_edges())
    approx = measures(A, nodes, work=20 * G.number_of_edges())
    assert not exact.betweenness_approx.any() and approx.betweenness_approx.all()
    top = set(exact.nlargest(3, "betweenness").entity_id)
    assert approx.nlargest(1, "betweenness").entity_id.iloc[0] in top
    assert exact.equals(compute_metrics(G))


def _eigenvector_one_component_at_a_time(A):
    """The definition: each component's leading eigenvector on its own, scaled by sqrt(size / n)."""
    import math

    import numpy as np
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import eigsh

    n = A.shape[0]
    out = np.zeros(n)
    _, labels = connected_components(A, directed=False)
    for c in np.unique(labels):
        comp = np.flatnonzero(labels == c)
        if len(comp) < 2:
            continue
        sub = A[comp][:, comp]
        if len(comp) <= 60:
            vec = np.linalg.eigh(sub.toarray())[1][:, -1]
        else:
            vec = eigsh(sub, k=1, which="LA", v0=np.ones(len(comp)), maxiter=len(comp) * 20)[1][:, 0]
        vec = np.abs(vec)
        out[comp] = vec / np.linalg.norm(vec) * math.sqrt(len(comp) / n)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_eigenvector_of_many_components_equals_one_eigh_per_component(seed):
    import numpy as np

    from dashboard.analysis.metrics import _eigenvector, adjacency_from_codes

    rng = np.random.default_rng(seed)
    # components of sizes 1..70 (pairs, triangles, paths, one sparse solve), shuffled node ids
    sizes = list(rng.integers(1, 8, 40)) + [2, 2, 2, 3, 3, 70]
    perm = rng.permutation(sum(sizes))
    src, tgt, start = [], [], 0
    for s in sizes:
        nodes = perm[start:start + s]
        for i in range(1, s):  # a spanning tree plus a few extra edges, random weights
            src.append(nodes[i]); tgt.append(nodes[rng.integers(0, i)])
        for _ in range(s // 3):
            a, b = rng.choice(nodes, 2, replace=s < 2)
            src.append(a); tgt.append(b)
        start += s
    A = adjacency_from_codes(len(perm), np.array(src), np.array(tgt), rng.integers(1, 5, len(src)).astype(float))
    got = _eigenvector(A)
    want = _eigenvector_one_component_at_a_time(A)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-14)
    assert np.linalg.norm(got) == pytest.approx(np.sqrt(1 - sizes.count(1) / len(perm)))


def test_betweenness_restricted_to_the_sources_components_gives_the_same_numbers():
    import numpy as np

    from dashboard.analysis.metrics import _brandes, _sources, adjacency_from_codes, components

    rng = np.random.default_rng(11)
    # a giant component, a few small ones and isolated nodes
    n = 400
    src = np.concatenate([rng.integers(0, 250, 600), rng.integers(250, 300, 60), rng.integers(300, 330, 20)])
    tgt = np.concatenate([rng.integers(0, 250, 600), rng.integers(250, 300, 60), rng.integers(300, 330, 20)])
    A = adjacency_from_codes(n, src, tgt, np.ones(len(src)))
    labels = components(A)[1]
    for k in (None, 30, 100):
        sources, scale = _sources(n, k, 3)
        assert np.array_equal(_brandes(A, sources, scale, labels=labels), _brandes(A, sources, scale))


@pytest.mark.parametrize("width", [1, 5, 16, 64])
def test_betweenness_is_the_same_whatever_the_number_of_sources_searched_together(monkeypatch, width):
    import numpy as np

    from dashboard.analysis import metrics
    from dashboard.analysis.metrics import _brandes, _sources, adjacency_from_codes, components

    rng = np.random.default_rng(5)
    n = 300
    src, tgt = rng.integers(0, n, 500), rng.integers(0, n, 500)  # components of many depths
    A = adjacency_from_codes(n, src, tgt, rng.random(500))
    labels = components(A)[1]
    expected = {}
    monkeypatch.setattr(metrics, "SEARCH_BATCH", metrics.BATCH)  # one search per batch of sums
    for k in (None, 40):
        expected[k] = _brandes(A, *_sources(n, k, 2), labels=labels)
    monkeypatch.setattr(metrics, "SEARCH_BATCH", width)
    for k in (None, 40):
        assert np.array_equal(_brandes(A, *_sources(n, k, 2), labels=labels), expected[k])  # to the bit
