"""Shortest paths with evidence per hop."""

from dashboard.analysis.paths import shortest_paths
from dashboard.analysis.view import make_view
from tests.analysis.tinydata import tiny_tables

DATA = tiny_tables()


def test_paths_shortest_first_with_evidence():
    view = make_view(DATA, {})
    paths = shortest_paths(view, "soleimani", "laith", k=3)
    assert 1 <= len(paths) <= 3
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    first = paths[0]
    assert [(h["source"], h["target"]) for h in first] == [("soleimani", "qais"), ("qais", "laith")]
    hop = first[0]
    assert hop["kinds"] == ["co-mention", "relation"] and hop["relations"] == ["funded"]
    assert hop["passage_ids"] == ["d1:1"] and hop["n_passages"] == 1
    assert first[1]["n_passages"] == 2 and first[1]["passage_ids"] == ["d1:2", "d2:0"]


def test_paths_respect_the_view_filters():
    view = make_view(DATA, {"claims": ["official"]})
    assert shortest_paths(view, "soleimani", "laith") == []  # soleimani not in the view
    view = make_view(DATA, {"claims": ["official"]})
    hops = shortest_paths(view, "daqduq", "laith")[0]
    assert len(hops) == 1 and hops[0]["passage_ids"] == ["d2:0"]


def test_no_path_between_disconnected_entities():
    view = make_view(DATA, {"kinds": ["relation"]})
    assert shortest_paths(view, "soleimani", "karbala", k=3)[0][-1]["target"] == "karbala"
    assert shortest_paths(view, "soleimani", "soleimani") == []
    assert shortest_paths(view, "soleimani", "nobody") == []
    assert shortest_paths(make_view(DATA, {"orgs": ["aah"]}), "aah", "qais", k=0) == []


def test_paths_read_each_hop_from_the_pair_rows_when_given():
    """With the panels' pair-row lookup the hops carry the same evidence as the full scan."""
    from pathlib import Path

    from dashboard.analysis.view import make_view
    from dashboard.panels.index import view_index
    from dashboard.tables import load_tables

    data = load_tables(Path(__file__).resolve().parents[2] / "data" / "khazali")
    view = make_view(data)
    hubs = data.entities.sort_values("weighted_degree", ascending=False)["entity_id"].tolist()
    quiet = data.entities.sort_values("weighted_degree")["entity_id"].tolist()
    pairs = [(hubs[0], quiet[0]), (hubs[1], quiet[5]), (quiet[3], quiet[10])]
    found = 0
    for a, b in pairs:
        plain = shortest_paths(view, a, b, 3)
        assert shortest_paths(view, a, b, 3, view_index(view).pair_rows) == plain
        found += bool(plain)
    assert found  # at least one pair is connected: the comparison saw hops


def test_path_graph_has_the_view_graphs_nodes_and_links():
    from dashboard.analysis.paths import path_graph

    for filters in ({}, {"claims": ["official"]}, {"kinds": ["relation"]}):
        view = make_view(DATA, filters)
        full, bare = view.graph, path_graph(view.index)
        assert set(bare.nodes) == set(full.nodes)
        assert {frozenset(e) for e in bare.edges} == {frozenset(e) for e in full.edges}
        assert bare.number_of_edges() == full.number_of_edges()


def test_paths_on_the_path_graph_are_the_same_on_the_embedded_dataset():
    from pathlib import Path

    from dashboard.analysis.paths import path_graph
    from dashboard.tables import load_tables

    data = load_tables(Path(__file__).resolve().parents[2] / "data" / "khazali")
    for filters in ({}, {"claims": ["reports"]}):
        view = make_view(data, filters)
        bare = path_graph(view.index)
        ids = data.entities.sort_values("weighted_degree")["entity_id"].tolist()
        pairs = [(ids[-1], ids[0]), (ids[-2], ids[20]), (ids[5], ids[40]), (ids[-3], ids[-10])]
        connected = 0
        for a, b in pairs:
            expected = shortest_paths(view, a, b, 3)
            assert shortest_paths(view, a, b, 3, graph=bare) == expected
            connected += bool(expected)
        assert connected
