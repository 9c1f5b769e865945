"""AfterGraph: the layout wrapper whose children the browser mounts after the graph's first frame."""

from __future__ import annotations

import json

from dash import html
from plotly.io.json import to_json_plotly

from dashboard.after_graph import AfterGraph
from dashboard.web import create_app
from tests.analysis.tinydata import tiny_tables


def _wrapped_ids(node, inside=False, found=None):
    """{id: whether it sits inside an AfterGraph} for a layout decoded from JSON."""
    found = {} if found is None else found
    if isinstance(node, list):
        for item in node:
            _wrapped_ids(item, inside, found)
    elif isinstance(node, dict) and isinstance(node.get("props"), dict):
        props = node["props"]
        if isinstance(props.get("id"), str):
            found[props["id"]] = inside
        _wrapped_ids(props.get("children"), inside or node.get("type") == "AfterGraph", found)
    return found


def test_after_graph_serializes_as_a_khazali_component_with_its_children():
    doc = json.loads(to_json_plotly(AfterGraph([html.Div("a", id="x")], id="w")))
    assert (doc["type"], doc["namespace"]) == ("AfterGraph", "khazali")  # window.khazali.AfterGraph
    assert doc["props"]["id"] == "w"
    assert doc["props"]["children"][0]["props"] == {"children": "a", "id": "x"}


def test_the_panels_around_the_graph_wait_for_it_and_the_graph_does_not():
    app = create_app(tiny_tables(), node_cap=5)
    where = _wrapped_ids(json.loads(to_json_plotly(app.layout)))
    assert where["graph"] is False and where["graph-panel"] is False
    for panel in ("filters", "timeline-panel", "excerpts-panel", "details-panel", "rankings-panel"):
        assert where[panel] is True, panel
    # the header (title, search, counts) and the stores are not waiting
    assert where["stats"] is False and where["state"] is False


def test_values_seeded_into_the_layout_reach_components_inside_the_wrapper():
    # the page layout is seeded with page-load values (dashboard/web.py) on the component tree
    # and on its JSON: both walks go through the wrapper's children
    from dashboard.web import _set_component_props, _set_props

    tree = html.Div([AfterGraph([html.Div(id="x")]), html.Div(id="y")])
    assert _set_component_props(tree, {("x", "title"): "t"}) == 1
    assert tree.children[0].children[0].title == "t"
    doc = json.loads(to_json_plotly(tree))
    assert _set_props(doc, {("x", "title"): "u"}) == 1
    assert doc["props"]["children"][0]["props"]["children"][0]["props"]["title"] == "u"
