"""Wiring of the details panel: state → card (clicks on its names go through ``entity-click``)."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from dashboard.panels.details.layout import edge_card, empty_card_node, entity_card
from dashboard.panels.details.logic import edge_details, entity_details
from dashboard.state import filter_part, normalize_state

__all__ = ["register_callbacks", "details_for_state"]


def details_for_state(data, view, selected):
    """Return the card for ``selected`` (entity card, link card, or the hint) in Dash's JSON form."""
    if isinstance(selected, dict) and selected.get("type") == "node":
        d = entity_details(data, view, str(selected.get("id")))
        return entity_card(d) if d else empty_card_node()
    if isinstance(selected, dict) and selected.get("type") == "edge":
        d = edge_details(data, view, str(selected.get("source")), str(selected.get("target")))
        return edge_card(d) if d else empty_card_node()
    return empty_card_node()


def register_callbacks(app, data, cache) -> None:
    """Register the details panel's callbacks on ``app``."""

    @app.callback(Output("details", "children"), Output("details-key", "data"), Input("state", "data"),
                  State("details-key", "data"))
    def render_details(state, last_key):
        state = normalize_state(state)
        key = repr((filter_part(state), state["selected"]))
        if key == last_key:  # same selection in the same view: a page turn, a size or colour change
            return no_update, no_update
        card = cache.memo("details", state, repr(state["selected"]),
                          lambda view: details_for_state(data, view, state["selected"]))
        return card, key
