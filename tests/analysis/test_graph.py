"""build_graph: undirected, kinds combined, weights summed, every entity a node."""

import pandas as pd

from dashboard.analysis.graph import build_graph


def _links(rows):
    return pd.DataFrame(rows, columns=["source", "target", "kind", "relations", "weight", "n_passages"])


def test_kinds_between_the_same_pair_are_combined():
    ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "name": ["A", "B", "C"], "type": ["person"] * 3})
    links = _links([
        ("a", "b", "co-mention", [], 3.0, 3),
        ("b", "a", "relation", ["member_of"], 1.0, 1),
        ("a", "b", "relation", ["leads", "member_of"], 2.0, 2),
    ])
    G = build_graph(ents, links)
    assert not G.is_directed()
    assert G.number_of_edges() == 1
    e = G.edges["a", "b"]
    assert e["weight"] == 6.0 and e["n_passages"] == 6
    assert e["kinds"] == ["co-mention", "relation"]
    assert e["relations"] == ["leads", "member_of"]
    assert G.nodes["c"] == {"name": "C", "type": "person"}  # isolated entities are kept


def test_unknown_endpoints_and_self_loops_are_ignored():
    ents = pd.DataFrame({"entity_id": ["a", "b"]})
    G = build_graph(ents, _links([("a", "zz", "co-mention", [], 1.0, 1), ("a", "a", "relation", ["x"], 1.0, 1)]))
    assert G.number_of_edges() == 0 and set(G.nodes) == {"a", "b"}


def test_empty_tables_give_empty_graph():
    G = build_graph(pd.DataFrame({"entity_id": []}), _links([]))
    assert G.number_of_nodes() == 0


def test_graph_from_built_tables(built_small):
    from dashboard.tables import load_tables

    t = load_tables(built_small)
    G = build_graph(t.entities, t.links)
    assert G.number_of_nodes() == len(t.entities)
    pairs = {tuple(sorted(p)) for p in zip(t.links.source, t.links.target)}
    assert G.number_of_edges() == len(pairs)
    assert G.edges["aah", "karbala-raid"]["kinds"] == ["co-mention", "relation"]
