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
