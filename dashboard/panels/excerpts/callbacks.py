"""Wiring of the excerpt panel: state → cards; pagination and clicks on names (any panel) → state."""

from __future__ import annotations

from dash import Input, Output, Patch, State, no_update

from dashboard.panels.excerpts.layout import count_label, excerpt_list
from dashboard.panels.excerpts.logic import clamp_page, page_count, passages_for_selection, selected_entities
from dashboard.panels.index import data_index
from dashboard.settings import resolve
from dashboard.state import filter_part, normalize_state

__all__ = ["register_callbacks", "entity_from_click", "select_patch"]

_HINT = "Select an entity or a link (graph, rankings, or a highlighted name) to see the passages behind it."


def entity_from_click(click) -> str | None:
    """The entity of an ``entity-click`` store value (``{"entity", "nonce"}``), or None."""
    if not isinstance(click, dict):
        return None
    entity = click.get("entity")
    return str(entity) if isinstance(entity, str) and entity else None


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
        Output("excerpts-key", "data"),
        Input("state", "data"),
        State("excerpts-pages", "max_value"),
        State("excerpts-pages", "active_page"),
        State("excerpts-key", "data"),
    )
    def render_excerpts(state, shown_pages, shown_page, last_key):
        state = normalize_state(state)
        selected = state["selected"]
        key = repr((filter_part(state), selected, state["page"]))
        if key == last_key:  # the list already shows this page of this selection in this view
            return (no_update,) * 5
        view = cache.get(state)
        items, total = passages_for_selection(data, view, selected, state["page"], page_size)
        ents = [str(names.get(e, e)) for e in selected_entities(selected)]
        mode = "edge" if len(ents) == 2 else ("node" if ents else "overview")
        pages = page_count(total, page_size)
        page = clamp_page(state["page"], total, page_size)
        label = count_label(total, mode, ents, page, page_size)
        # the pager only gets what changed: an unchanged active_page written back would fire change_page
        return (excerpt_list(items, None if ents else _HINT), label, pages if pages != shown_pages else no_update,
                page if page != shown_page else no_update, key)

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
        # clamped as the state clamps it: a forged page beyond 64 bits could not even be encoded
        patch["page"] = normalize_state({"page": active_page})["page"]
        return patch

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("entity-click", "data"),
        prevent_initial_call=True,
    )
    def select_clicked(click):
        """A highlighted name (evidence, reader) or a name in the details was clicked: select it."""
        entity = entity_from_click(click)
        return no_update if entity is None else select_patch(entity)
