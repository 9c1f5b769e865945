"""Header wiring: Reset, About (the counts come with the graph's drawing of the view)."""

from __future__ import annotations

import copy

from dash import Input, Output, State, no_update

from dashboard.state import DEFAULT_STATE, normalize_state

__all__ = ["register_callbacks"]


def register_callbacks(app, data, cache) -> None:
    """Register the header callbacks on ``app``."""

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Output("search", "value", allow_duplicate=True),
        Input("reset", "n_clicks"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def reset(clicks, state):
        if not clicks:
            return no_update, no_update
        same = normalize_state(state) == DEFAULT_STATE
        return (no_update if same else copy.deepcopy(DEFAULT_STATE)), None

    @app.callback(Output("about-modal", "is_open"), Input("about", "n_clicks"), State("about-modal", "is_open"),
                  prevent_initial_call=True)
    def about(clicks, is_open):
        return not is_open if clicks else no_update
