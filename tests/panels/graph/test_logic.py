"""Graph panel logic: elements, sizes, stylesheet, legend."""

import pandas as pd

from dashboard.analysis.colors import PALETTE, community_color, node_colors, org_colors
from dashboard.analysis.view import make_view
from dashboard.panels.graph import logic
from tests.analysis.tinydata import tiny_tables

DATA = tiny_tables()
ORGS = org_colors(DATA.entities)


def elements(state, measure="degree", mode="community"):
    view = make_view(DATA, state)
    colors = node_colors(view.entities, mode, ORGS)
    return view, logic.to_elements(view.entities, view.links, measure, colors, logic.layout_transform(DATA.layout))


def test_elements_ids_classes_and_sizes():
    view, els = elements({})
    nodes = [e for e in els if "source" not in e["data"]]
    edges = [e for e in els if "source" in e["data"]]
    pairs = {frozenset((s, t)) for s, t in zip(view.links["source"], view.links["target"])}
    relations = (view.links["kind"] == "relation").sum()
    # one line per pair, plus one per relation of a pair with two (one each way)
    assert len(nodes) == len(view.entities) and len(edges) < len(view.links)
    assert len({frozenset((e["data"]["source"], e["data"]["target"])) for e in edges}) == len(pairs)
    assert len(edges) == len(pairs) + relations - len({frozenset((s, t)) for s, t, k in zip(
        view.links["source"], view.links["target"], view.links["kind"]) if k == "relation"})
    assert all(isinstance(e["data"]["id"], str) for e in els)
    assert len({e["data"]["id"] for e in els}) == len(els)
    qais = next(n for n in nodes if n["data"]["id"] == "qais")
    assert qais["classes"].split()[0] == "person" and qais["data"]["size"] == max(n["data"]["size"] for n in nodes)
    assert next(n for n in nodes if n["data"]["id"] == "aah")["classes"].startswith("organization")
    rel = [e for e in edges if e["classes"] == "relation"]
    assert {(e["data"]["source"], e["data"]["target"], e["data"]["relations"]) for e in rel} == {
        ("soleimani", "qais", "funded"), ("qais", "karbala", "planned"), ("daqduq", "qais", "advised")}
    assert all(e["classes"] == "co-mention" for e in edges if e not in rel)
    assert all("relations" not in e["data"] for e in edges if e not in rel)
    strongest = max(edges, key=lambda e: max(e["data"]["n"], e["data"].get("co", 0)))
    assert strongest["data"]["width"] == max(e["data"]["width"] for e in edges)


def test_a_pair_with_a_relation_and_a_co_mention_is_one_line():
    view, els = elements({})
    links = view.links
    both = [(s, t) for s, t, k in zip(links["source"], links["target"], links["kind"]) if k == "relation"
            and ((links["kind"] == "co-mention") & (links[["source", "target"]].apply(frozenset, axis=1)
                                                    == frozenset((s, t)))).any()]
    assert both, "the tiny dataset has such pairs"
    edges = [e for e in els if "source" in e["data"]]
    for s, t in both:
        lines = [e for e in edges if {e["data"]["source"], e["data"]["target"]} == {s, t}]
        assert [e["classes"] for e in lines] == ["relation"]
        co = links[(links["kind"] == "co-mention") & (links[["source", "target"]].apply(frozenset, axis=1)
                                                     == frozenset((s, t)))]["n_passages"].iloc[0]
        assert lines[0]["data"]["co"] == co
    # the co-mention of the pair does not draw a second line; a lone co-mention still does
    assert not any(e["data"]["id"].startswith("co-mention:") and (e["data"]["source"], e["data"]["target"]) in both
                   for e in edges)
    assert any(e["classes"] == "co-mention" and "co" not in e["data"] for e in edges)
    # nothing in the stylesheet curves edges any more
    assert not any(r["style"].get("curve-style") == "bezier" for r in logic.base_stylesheet())


def test_size_measure_changes_sizes():
    _, by_degree = elements({}, "degree")
    _, by_pr = elements({}, "pagerank")
    size = lambda els: {e["data"]["id"]: e["data"]["size"] for e in els if "size" in e["data"]}
    assert size(by_degree) != size(by_pr)
    assert logic.node_sizes(pd.Series([0.0, 0.0])).tolist() == [20.0, 20.0]
    s = logic.node_sizes(pd.Series([0.0, 1.0, 4.0]))
    assert s.iloc[0] < s.iloc[1] < s.iloc[2]


def test_positions_are_stable_across_views():
    _, full = elements({})
    _, sub = elements({"orgs": ["aah"]})
    pos = {e["data"]["id"]: e["position"] for e in full if "position" in e}
    for e in sub:
        if "position" in e:
            assert e["position"] == pos[e["data"]["id"]]


def test_colour_modes():
    view, els = elements({}, mode="type")
    assert {e["data"]["color"] for e in els if e["data"]["id"] in ("qais", "laith")} == {"#0072B2"}
    colors = node_colors(view.entities, "organization", ORGS)
    assert colors["laith"] == colors["aah"] == ORGS["aah"]  # laith's only organization
    assert colors["iran"] == "#B8B8B8"
    assert community_color(3) == PALETTE[3] and community_color(-1) == "#B8B8B8"
    comm = node_colors(view.entities, "community", ORGS)
    assert comm["qais"] == community_color(view.entities.loc["qais", "community"])


def test_selection_stylesheet_highlights_node_and_neighbours():
    view = make_view(DATA, {})
    rules = logic.selection_stylesheet({"type": "node", "id": "soleimani"}, view.graph)
    text = " ".join(r["selector"] for r in rules)
    for n in ("soleimani", "qods", "qais", "iran"):
        assert f'node[id = "{n}"]' in text
    assert 'node[id = "laith"]' not in text
    assert logic.selection_stylesheet({"type": "node", "id": "not-in-view"}, view.graph) == []
    assert logic.selection_stylesheet(None, view.graph) == []
    edge = logic.selection_stylesheet({"type": "edge", "source": "qais", "target": "laith"}, view.graph)
    assert any('edge[source = "laith"][target = "qais"]' in r["selector"] for r in edge)
    path = logic.selection_stylesheet(None, view.graph, [("soleimani", "qais"), ("qais", "laith")])
    assert any('node[id = "laith"]' in r["selector"] and r["style"]["border-color"] == "#F0A202" for r in path)


def test_legend_matches_colours():
    view = make_view(DATA, {"start": "2007"})
    rows = logic.legend_rows(view.entities, "community", ORGS, {})
    colors = node_colors(view.entities, "community", ORGS)
    assert {r["color"] for r in rows["colors"]} == set(colors.values())
    assert sum(r["count"] for r in rows["colors"]) == len(view.entities)
    assert {r["type"] for r in rows["shapes"]} == set(view.entities["type"])
    names = dict(zip(DATA.entities["entity_id"], DATA.entities["name"]))
    org_rows = logic.legend_rows(view.entities, "organization", ORGS, names)["colors"]
    assert any(r["label"] == "Asa'ib Ahl al-Haq" for r in org_rows)


def test_relayout_positions_seeded():
    view = make_view(DATA, {"orgs": ["aah"]})
    a = logic.relayout_positions(view.graph, 42, 600)
    assert a == logic.relayout_positions(view.graph, 42, 600)
    assert set(a) == {"aah", "qais", "laith"}
    assert logic.relayout_positions(view.graph.subgraph([]), 42, 600) == {}


def test_labels_top_nodes_readable_at_fit_others_on_zoom_and_selection_neighbours():
    view, els = elements({})
    nodes = [e for e in els if "source" not in e["data"]]
    top = [e for e in nodes if "top" in e["classes"].split()]
    rest = [e for e in nodes if "top" not in e["classes"].split()]
    assert len(top) == min(logic.LABEL_TOP, len(nodes))
    ft = nodes[0]["data"]["ft"]
    pts = [(e["position"]["x"], e["position"]["y"]) for e in nodes]
    assert ft == logic.label_font(pts)
    # estimated fit zoom: top labels come out at LABEL_PX on screen, the rest at a third of it
    w = max(p[0] for p in pts) - min(p[0] for p in pts)
    h = max(p[1] for p in pts) - min(p[1] for p in pts)
    zoom = min(max(min((logic.CANVAS_PX[0] - 60) / max(w, 1), (logic.CANVAS_PX[1] - 60) / max(h, 1)), 0.05), 2.5)
    assert abs(ft * zoom - logic.LABEL_PX) < 0.1
    assert all(e["data"]["fs"] == ft for e in top) and all(e["data"]["fs"] < ft / 2.9 for e in rest)
    sheet = {r["selector"]: r["style"] for r in logic.base_stylesheet()}
    # Cytoscape rounds the zoom up to a power of two (< 2x) before comparing with min-zoomed-font-size
    assert all(2 * e["data"]["fs"] * zoom < sheet["node"]["min-zoomed-font-size"] for e in rest)
    assert ft * zoom >= sheet["node.top"]["min-zoomed-font-size"]
    # the selection and its neighbours get the top size and are always labelled
    rules = logic.selection_stylesheet({"type": "node", "id": "soleimani"}, view.graph)
    focus = next(r for r in rules if 'node[id = "qods"]' in r["selector"])
    assert focus["style"]["font-size"] == "data(ft)" and focus["style"]["min-zoomed-font-size"] == 0
    assert logic.label_font([(0, 0), (1, 1)]) == round(logic.LABEL_PX / 2.5, 1)  # tiny view: max zoom


def _reference_nodes(entities, measure):
    """The nodes' sizes and labelled set as the plain pandas code computed them."""
    col = measure if measure in entities.columns else "degree"
    v = entities[col].astype(float).fillna(0.0).clip(lower=0.0)
    top = v.max()
    sizes = [20.0] * len(v) if not top else (14.0 + 50.0 * (v / top) ** 0.5).round(1).tolist()
    order = entities.assign(_m=entities[col].fillna(0.0)).sort_values(["_m", "entity_id"], ascending=[False, True])
    return sizes, set(order["entity_id"].head(logic.LABEL_TOP))


def test_node_sizes_and_labels_match_the_pandas_reference(monkeypatch):
    monkeypatch.setattr(logic, "LABEL_TOP", 4)  # the tiny view has ties at the cut
    for state in ({}, {"orgs": ["aah"]}, {"start": "2007", "end": "2008"}, {"kinds": ["relation"]}):
        view = make_view(DATA, state)
        for measure in ("degree", "weighted_degree", "betweenness", "eigenvector", "pagerank", "no-such"):
            ents = view.entities.iloc[::-1]  # not in id order: the ties must still go to the smaller id
            els = logic.to_elements(ents, view.links, measure, {}, logic.layout_transform(DATA.layout))
            nodes = [e for e in els if "source" not in e["data"]]
            sizes, top = _reference_nodes(ents, measure)
            assert [n["data"]["size"] for n in nodes] == sizes
            assert {n["data"]["id"] for n in nodes if n["classes"].endswith(" top")} == top


def test_node_sizes_of_missing_and_zero_values():
    assert logic.node_sizes(pd.Series([None, 4.0], dtype=float)).tolist() == [14.0, 64.0]
    assert logic.node_sizes(pd.Series([], dtype=float)).tolist() == []
