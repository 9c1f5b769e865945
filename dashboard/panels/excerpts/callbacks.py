"""Wiring of the excerpt panel: state → cards; pagination and mention clicks → state."""

from __future__ import annotations

from dash import ALL, Input, Output, Patch, State, ctx, no_update

from dashboard.panels.excerpts.layout import count_label, excerpt_list
from dashboard.panels.excerpts.logic import clamp_page, page_count, passages_for_selection, selected_entities
from dashboard.panels.index import data_index
from dashboard.settings import resolve

__all__ = ["register_callbacks", "clicked_entity"]

_HINT = "Select an entity or a link (graph, rankings, or a highlighted name) to see the passages behind it."


def clicked_entity(triggered: list[dict] | None, triggered_id) -> str | None:
    """Return the entity of a clicked mark, ignoring the initial render of new marks.

    Pattern-matching callbacks also fire when marks appear (``n_clicks`` 0 or None);
    only a real click (a positive count) selects.
    """
    if not triggered or not isinstance(triggered_id, dict):
        return None
    if not any(t.get("value") for t in triggered):
        return None
    entity = triggered_id.get("entity")
    return None if entity is None else str(entity)


def select_patch(entity_id: str) -> Patch:
    """A state patch selecting ``entity_id`` and going back to the first excerpt page."""
    patch = Patch()
    patch["selected"] = {"type": "node", "id": entity_id}
    patch["page"] = 1
    return patch


def register_callbacks(app, data, cache) -> None:
    """Register the excerpt panel's callbacks on ``app``."""
    page_size = int(resolve("page_size"))
    names = data_index(data).names  # built now, not on the first click

    @app.callback(
        Output("excerpts", "children"),
        Output("excerpts-count", "children"),
        Output("excerpts-pages", "max_value"),
        Output("excerpts-pages", "active_page"),
        Input("state", "data"),
    )
    def render_excerpts(state):
        state = state or {}
        view = cache.get(state)
        selected = state.get("selected")
        items, total = passages_for_selection(data, view, selected, state.get("page", 1), page_size)
        ents = [str(names.get(e, e)) for e in selected_entities(selected)]
        mode = "edge" if len(ents) == 2 else ("node" if ents else "overview")
        pages = page_count(total, page_size)
        page = clamp_page(state.get("page"), total, page_size)
        label = count_label(total, mode, ents, page, page_size)
        return excerpt_list(items, None if ents else _HINT), label, pages, page

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("excerpts-pages", "active_page"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def change_page(active_page, state):
        if not isinstance(active_page, int) or active_page < 1 or (state or {}).get("page") == active_page:
            return no_update
        patch = Patch()
        patch["page"] = int(active_page)
        return patch

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input({"type": "excerpt-mention", "entity": ALL, "key": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def select_mentioned(_clicks):
        entity = clicked_entity(ctx.triggered, ctx.triggered_id)
        return no_update if entity is None else select_patch(entity)
