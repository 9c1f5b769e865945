"""Search wiring: fuzzy options as the user types; choosing one selects and centres it."""

from __future__ import annotations

from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from dashboard.panels.index import cached
from dashboard.panels.search.logic import SearchIndex
from dashboard.state import normalize_state

__all__ = ["register_callbacks"]


def register_callbacks(app, data, cache) -> None:
    """Register the search callbacks on ``app``."""
    index = cached(data, "search_index", lambda: SearchIndex(data.entities))

    @app.callback(Output("search", "options"), Input("search", "search_value"), State("search", "value"),
                  prevent_initial_call=True)
    def options(query, value):
        if not query:
            raise PreventUpdate
        return index.options(query, value)

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Output("graph-center", "data"),
        Input("search", "value"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def choose(value, state):
        if not value:
            raise PreventUpdate
        s = normalize_state(state)
        new = normalize_state({**s, "selected": {"type": "node", "id": value}, "page": 1})
        return (new if new != s else no_update), {"id": value}
