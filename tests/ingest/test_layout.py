"""Build-time layout: deterministic, inside the box, components apart, neighbours close."""

import networkx as nx
import numpy as np

from dashboard.ingest.layout import compute_layout, pivot_mds


def _graph():
    G = nx.relabel_nodes(nx.barabasi_albert_graph(300, 2, seed=4), lambda i: f"a{i:03d}")
    G.add_edges_from([("b1", "b2"), ("b2", "b3"), ("c1", "c2")])
    G.add_nodes_from(["z1", "z2", "z3"])
    return G


def test_same_graph_and_seed_give_identical_positions():
    a, b = compute_layout(_graph(), seed=3), compute_layout(_graph(), seed=3)
    assert a.equals(b)
    assert sorted(a.entity_id) == list(a.entity_id) == sorted(_graph().nodes)


def test_positions_fill_the_box():
    df = compute_layout(_graph(), box=1000.0)
    assert df[["x", "y"]].min().min() >= 0 and df[["x", "y"]].max().max() <= 1000
    assert max(df.x.max() - df.x.min(), df.y.max() - df.y.min()) == 1000


def test_components_do_not_overlap():
    G = _graph()
    pos = compute_layout(G).set_index("entity_id")
    boxes = []
    for comp in nx.connected_components(G):
        p = pos.loc[sorted(comp)]
        boxes.append((p.x.min(), p.x.max(), p.y.min(), p.y.max()))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2], (a, b)


def test_linked_entities_are_closer_than_random_pairs():
    G = nx.relabel_nodes(nx.connected_caveman_graph(8, 12), str)
    pos = compute_layout(G, seed=1).set_index("entity_id")
    xy = {n: np.array([pos.x[n], pos.y[n]]) for n in G}
    linked = np.mean([np.linalg.norm(xy[u] - xy[v]) for u, v in G.edges])
    nodes = sorted(G)
    rng = np.random.default_rng(0)
    pairs = rng.choice(len(nodes), size=(500, 2))
    random = np.mean([np.linalg.norm(xy[nodes[i]] - xy[nodes[j]]) for i, j in pairs])
    assert linked < random / 3


def test_large_component_path_uses_pivot_mds_and_stays_finite():
    G = nx.relabel_nodes(nx.grid_2d_graph(45, 45), lambda t: f"g{t[0]:02d}-{t[1]:02d}")  # 2,025 nodes
    df = compute_layout(G, seed=2)
    assert np.isfinite(df[["x", "y"]].to_numpy()).all()
    assert df[["x", "y"]].round(1).drop_duplicates().shape[0] > 0.95 * len(df)


def test_pivot_mds_recovers_a_path():
    edges = np.array([[i, i + 1] for i in range(19)])
    pos = pivot_mds(20, edges, pivots=5)
    order = np.argsort(pos[:, 0]) if np.ptp(pos[:, 0]) > np.ptp(pos[:, 1]) else np.argsort(pos[:, 1])
    assert list(order) in (list(range(20)), list(range(19, -1, -1)))


def test_empty_and_single_node_graphs():
    assert compute_layout(nx.Graph()).empty
    G = nx.Graph()
    G.add_node("solo")
    assert compute_layout(G)[["x", "y"]].values.tolist() == [[500.0, 500.0]]


def test_small_components_and_isolates_are_packed_beside_the_main_one():
    """A 2-entity component and a few isolates must not push the main component into a corner."""
    G = nx.relabel_nodes(nx.barabasi_albert_graph(160, 2, seed=5), lambda i: f"m{i:03d}")
    G.add_edge("pair-a", "pair-b")
    G.add_nodes_from(["solo1", "solo2", "solo3"])
    pos = compute_layout(G, seed=1).set_index("entity_id")
    main = pos.loc[[n for n in G if n.startswith("m")]]
    rest = pos.drop(main.index)
    main_w, main_h = main.x.max() - main.x.min(), main.y.max() - main.y.min()
    # the main component spans most of the drawing in both directions ...
    assert main_w >= 0.75 * 1000 or main_h >= 0.95 * 1000
    assert min(main_w, main_h) >= 0.6 * 1000
    # ... and the small ones sit within its vertical extent, close to its right edge
    assert rest.y.between(main.y.min() - 50, main.y.max() + 50).all()  # up to the margins
    assert (rest.x > main.x.max()).all() and (rest.x - main.x.max()).max() < 0.3 * main_w


def test_pack_puts_boxes_apart_and_is_deterministic():
    from dashboard.ingest.layout import pack

    rng = np.random.default_rng(0)
    sizes = [rng.uniform(1, 20, 2) for _ in range(40)]
    a, b = pack(sizes), pack(sizes)
    assert a == b
    rects = [(x, y, x + s[0], y + s[1]) for (x, y), s in zip(a, sizes)]
    for i, r in enumerate(rects):
        for q in rects[i + 1 :]:
            assert r[2] <= q[0] or q[2] <= r[0] or r[3] <= q[1] or q[3] <= r[1], (r, q)
