"""The panels' state callbacks registered as one (dashboard/wave.py)."""

import dash
import pytest
from dash import Input, Output, State, html, no_update

from dashboard.wave import StateWave


def _app():
    app = dash.Dash(__name__)
    app.layout = html.Div([html.Div(id=i) for i in ("a", "a-key", "b", "other", "page")])
    return app


def _register(app):
    wave = StateWave(app)
    calls = []

    @wave.callback(Output("a", "children"), Output("a-key", "data"), Input("state", "data"), State("a-key", "data"))
    def panel_a(state, key):
        calls.append(("a", state, key))
        new = repr(state)
        return (no_update, no_update) if new == key else (html.B(f"a:{state}"), new)

    @wave.callback(Output("b", "children"), Input("state", "data"), Input("page", "data"), State("a-key", "data"))
    def panel_b(state, page, a_key):
        calls.append(("b", state, page, a_key))
        return f"b:{state}:{page}"

    @wave.callback(Output("state", "data", allow_duplicate=True), Input("other", "n_clicks"),
                   prevent_initial_call=True)
    def writes_state(n):
        return {"n": n}

    @wave.callback(Output("other", "children"), Input("page", "data"))
    def unrelated(page):
        return page

    return wave, calls


def _callback(app, needle):
    return next(v for k, v in app.callback_map.items() if needle in k)


def test_state_callbacks_become_one_and_others_stay_as_written():
    app = _app()
    wave, _ = _register(app)
    assert [p.name.split(".")[-1] for p in wave.parts] == ["panel_a", "panel_b"]
    assert wave.register() == 2
    combined = [k for k in app.callback_map if "a.children" in k]
    assert len(combined) == 1 and "b.children" in combined[0] and "a-key.data" in combined[0]
    spec = app.callback_map[combined[0]]
    assert [i["id"] for i in spec["inputs"]] == ["state", "page"]
    assert [s["id"] for s in spec["state"]] == ["a-key"]
    assert any(k.startswith("state.data") for k in app.callback_map)  # the writer, registered as usual
    assert "other.children" in app.callback_map  # no state input: as usual


def test_each_panel_gets_its_own_arguments_and_answers_in_order():
    app = _app()
    wave, calls = _register(app)
    wave.register()
    combined = _callback(app, "a.children")["callback"].__wrapped__
    out = combined({"x": 1}, 3, None)
    assert calls == [("a", {"x": 1}, None), ("b", {"x": 1}, 3, None)]
    # the component leaves as plain data; the single output of panel_b is one value
    assert out[0] == {"props": {"children": "a:{'x': 1}"}, "type": "B", "namespace": "dash_html_components"}
    assert out[1] == repr({"x": 1}) and out[2] == "b:{'x': 1}:3"
    # a panel whose key did not change answers no_update, the others still answer
    out = combined({"x": 1}, 4, repr({"x": 1}))
    assert out[0] is no_update and out[1] is no_update and out[2] == "b:{'x': 1}:4"


def test_two_panels_writing_one_output_is_an_error():
    app = _app()
    wave = StateWave(app)
    for name in ("one", "two"):
        wave.callback(Output("a", "children"), Input("state", "data"))(lambda s: s)
    with pytest.raises(ValueError, match="same output"):
        wave.register()


def test_nothing_to_combine_registers_nothing():
    app = _app()
    assert StateWave(app).register() == 0
    assert app.callback_map == {}
