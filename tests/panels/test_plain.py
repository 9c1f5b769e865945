"""Callback outputs as plain data (dashboard/panels/plain.py)."""

import json

import dash_bootstrap_components as dbc
import orjson
from dash import dcc, html, no_update
from dash._utils import to_json

from dashboard.panels.plain import plain, plain_outputs


def _tree():
    return html.Div(
        [
            html.Span("a <b> & c", className="x", **{"data-entity": "e1"}),
            dbc.Badge("reports", color="info"),
            None,
            3,
            dcc.Link("source", href="https://example.org/a"),
            html.Div(),
            [html.Em("nested list")],
        ],
        id="d",
        style={"color": "red"},
        **{"aria-label": "z"},
    )


def test_plain_is_what_dash_sends_for_the_component():
    tree = _tree()
    assert json.loads(to_json(plain(tree))) == json.loads(to_json(tree))


def test_plain_output_has_no_components_left():
    out = plain([_tree(), {"k": html.B("x")}, ("t", html.I("y"))])
    orjson.dumps(out)  # raises TypeError on any object it cannot encode natively
    assert out[1]["k"] == {"props": {"children": "x"}, "type": "B", "namespace": "dash_html_components"}
    assert out[2][1]["props"]["children"] == "y"


def test_plain_keeps_text_as_text():
    out = plain(html.Span("<script>alert(1)</script>"))
    assert out["props"]["children"] == "<script>alert(1)</script>"
    assert "<script>" not in to_json(out)  # the encoder still escapes it for the page


def test_plain_outputs_converts_component_outputs_and_leaves_data_alone():
    elements = [{"data": {"id": "a"}}, {"data": {"id": "b"}}]

    @plain_outputs
    def callback():
        return elements, [html.Div("legend")], no_update, html.P("note"), "text"

    got = callback()
    assert got[0] is elements  # data outputs are not walked
    assert got[1] == [{"props": {"children": "legend"}, "type": "Div", "namespace": "dash_html_components"}]
    assert got[2] is no_update
    assert got[3]["type"] == "P"
    assert got[4] == "text"
    assert callback.__name__ == "callback"


def test_plain_outputs_single_output():
    @plain_outputs
    def one():
        return [html.Li("x"), "y"]

    assert one() == [{"props": {"children": "x"}, "type": "Li", "namespace": "dash_html_components"}, "y"]


def test_plain_outputs_does_not_walk_lists_of_dicts():
    rows = [{"id": i} for i in range(1000)] + [html.Div("late")]

    @plain_outputs
    def callback():
        return rows, "x"

    assert callback()[0] is rows  # data: left to the encoder, which still writes the component
    assert json.loads(to_json(rows))[-1]["type"] == "Div"
