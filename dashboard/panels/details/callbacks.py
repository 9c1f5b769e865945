"""Wiring of the details panel: state → card; clicks on names → selection."""

from __future__ import annotations

from dash import ALL, Input, Output, ctx, no_update

from dashboard.panels.details.layout import edge_card, empty_card, entity_card
from dashboard.panels.details.logic import edge_details, entity_details
from dashboard.panels.excerpts.callbacks import clicked_entity, select_patch

__all__ = ["register_callbacks", "details_for_state"]


def details_for_state(data, view, selected):
    """Return the component for ``selected`` (entity card, link card, or the hint)."""
    if isinstance(selected, dict) and selected.get("type") == "node":
        d = entity_details(data, view, str(selected.get("id")))
        return entity_card(d) if d else empty_card()
    if isinstance(selected, dict) and selected.get("type") == "edge":
        d = edge_details(data, view, str(selected.get("source")), str(selected.get("target")))
        return edge_card(d) if d else empty_card()
    return empty_card()


def register_callbacks(app, data, cache) -> None:
    """Register the details panel's callbacks on ``app``."""

    @app.callback(Output("details", "children"), Input("state", "data"))
    def render_details(state):
        state = state or {}
        return details_for_state(data, cache.get(state), state.get("selected"))

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input({"type": "neighbor", "entity": ALL}, "n_clicks"),
        Input({"type": "affiliation", "entity": ALL}, "n_clicks"),
        Input({"type": "edge-end", "entity": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def select_from_details(_n, _a, _e):
        entity = clicked_entity(ctx.triggered, ctx.triggered_id)
        return no_update if entity is None else select_patch(entity)
