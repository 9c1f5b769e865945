"""detect_communities: deterministic numbering by size then smallest member id."""

import networkx as nx
import pytest

from dashboard.analysis.communities import detect_communities, louvain_adjacency, number_communities


def test_numbering_by_size_then_smallest_id():
    assert number_communities([{"z"}, {"c", "d"}, {"a"}, {"b", "e", "f"}]) == {
        "b": 0, "e": 0, "f": 0, "c": 1, "d": 1, "a": 2, "z": 3,
    }


def test_two_cliques_joined_by_a_bridge():
    G = nx.Graph()
    left, right = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"]
    G.add_edges_from((u, v) for i, u in enumerate(left) for v in left[i + 1 :])
    G.add_edges_from((u, v) for i, u in enumerate(right) for v in right[i + 1 :])
    G.add_edge("a1", "b1", weight=0.1)
    G.add_node("lonely")
    com = detect_communities(G, seed=5)
    assert {com[n] for n in left} == {0} and {com[n] for n in right} == {1}
    assert com["lonely"] == 2


def test_same_graph_same_numbers_whatever_insertion_order():
    G = nx.les_miserables_graph()
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, reverse=True))
    H.add_weighted_edges_from(sorted(((v, u, d["weight"]) for u, v, d in G.edges(data=True)), reverse=True))
    assert detect_communities(G, seed=42) == detect_communities(H, seed=42)
    assert sorted(set(detect_communities(G, seed=42).values())) == list(range(len(set(detect_communities(G, seed=42).values()))))


def test_empty_and_edgeless_graphs():
    assert detect_communities(nx.Graph()) == {}
    G = nx.Graph()
    G.add_nodes_from(["b", "a"])
    assert detect_communities(G) == {"a": 0, "b": 1}


def test_louvain_on_adjacency_equals_louvain_on_the_graph():
    from dashboard.analysis.communities import louvain_adjacency
    from dashboard.analysis.metrics import adjacency

    G = nx.les_miserables_graph()
    nodes = sorted(G.nodes, key=str)
    assert louvain_adjacency(adjacency(G, nodes), nodes, seed=3) == detect_communities(G, seed=3)


def test_split_communities_cuts_a_community_the_view_disconnects():
    import numpy as np

    from dashboard.analysis.communities import split_communities
    from dashboard.analysis.metrics import adjacency_from_codes

    # community 0 = {0,1,2,3} but the view lost the 1-2 link; community 1 = {4,5} linked to 3
    A = adjacency_from_codes(6, np.array([0, 2, 4, 3]), np.array([1, 3, 5, 4]), np.ones(4))
    pieces = split_communities(A, np.array([0, 0, 0, 0, 1, 1]))
    assert pieces[0] == pieces[1] and pieces[2] == pieces[3] and pieces[0] != pieces[2]
    assert pieces[4] == pieces[5] and pieces[4] not in (pieces[0], pieces[2])  # 3-4 crosses communities
    assert split_communities(A, np.array([-1, -1, 0, 0, 1, 1]))[0] != split_communities(A, np.array([-1, -1, 0, 0, 1, 1]))[1]


@pytest.mark.parametrize("seed", [42, 7])
def test_louvain_replay_gives_networkx_partition_on_random_graphs(seed):
    """louvain_adjacency replays NetworkX's Louvain: the same communities as detect_communities."""
    import numpy as np

    from dashboard.analysis.metrics import adjacency_from_codes

    rng = np.random.default_rng(seed)
    for trial in range(30):
        n = int(rng.integers(2, 120))
        m = int(rng.integers(1, 4 * n))
        src, tgt = rng.integers(0, n, m), rng.integers(0, n, m)
        w = rng.integers(1, 6, m).astype(float) if trial % 2 else np.ones(m)
        nodes = [f"n{i:03d}" for i in range(n)]
        A = adjacency_from_codes(n, src, tgt, w)
        G = nx.Graph()
        G.add_nodes_from(nodes)
        coo = A.tocoo()
        G.add_weighted_edges_from((nodes[i], nodes[j], float(x)) for i, j, x in zip(coo.row, coo.col, coo.data) if i < j)
        assert louvain_adjacency(A, nodes, seed) == detect_communities(G, seed=seed)
