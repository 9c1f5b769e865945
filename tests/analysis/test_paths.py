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
