"""Wiring of the rankings table: view, page, sort and filter → one page of rows; row click → selection."""

from __future__ import annotations

from dash import Input, Output, State, ctx, no_update

from dashboard.panels.excerpts.callbacks import select_patch
from dashboard.panels.rankings.layout import PAGE_SIZE
from dashboard.panels.rankings.logic import rankings_frame, row_entity, table_columns, table_page, view_key

__all__ = ["register_callbacks", "selected_row_style"]


def selected_row_style(selected) -> list[dict]:
    """Conditional style marking the selected entity's row (ids with quotes are skipped)."""
    if not (isinstance(selected, dict) and selected.get("type") == "node"):
        return []
    eid = str(selected.get("id"))
    if any(c in eid for c in "\"'{}\\"):
        return []
    return [{"if": {"filter_query": '{id} = "%s"' % eid}, "backgroundColor": "#fff3cd", "fontWeight": "600"}]


def register_callbacks(app, data, cache) -> None:
    """Register the rankings panel's callbacks on ``app``."""

    @app.callback(
        Output("rankings", "data"),
        Output("rankings", "columns"),
        Output("rankings-note", "children"),
        Output("rankings-key", "data"),
        Output("rankings", "style_data_conditional"),
        Output("rankings", "active_cell"),
        Output("rankings", "page_current"),
        Output("rankings", "page_count"),
        Input("state", "data"),
        Input("rankings", "page_current"),
        Input("rankings", "sort_by"),
        Input("rankings", "filter_query"),
        State("rankings-key", "data"),
        State("rankings", "active_cell"),
    )
    def render_rankings(state, page, sort_by, query, last_key, active_cell):
        state = state or {}
        # mark the selected row; clear the active cell so that clicking the same row again
        # selects it again (only when one is set: writing it fires select_row)
        marks = (selected_row_style(state.get("selected")), None if active_cell is not None else no_update)
        view = view_key(state) + "|" + str(state.get("size_by"))
        last = last_key if isinstance(last_key, list) and len(last_key) == 4 else [None] * 4
        if ctx.triggered_id == "state" and view != last[0]:
            page = 0  # a new view starts at its first page
        key = [view, page if isinstance(page, int) else 0, sort_by if isinstance(sort_by, list) else [],
               query if isinstance(query, str) else ""]
        if key == last:  # a selection or a colour change: the rows stay
            return (no_update,) * 4 + marks + (no_update, no_update)

        def compute(v):
            frame = rankings_frame(v, state.get("size_by") or "pagerank")
            ents = v.entities
            approx = "betweenness_approx" in ents.columns and bool(ents["betweenness_approx"].any())
            return frame, table_columns(frame, approx), approx

        frame, columns, approx = cache.memo("rankings", state, state.get("size_by"), compute)
        shown = table_page(frame, page, PAGE_SIZE, query, sort_by)
        note = f"{len(frame)} entities in the view"
        if query:
            note += f", {shown['matching']} match the filter"
        if approx:
            note += " · betweenness approximate"
        key[1] = shown["page"]
        return (shown["rows"], columns, note, key) + marks + (
            shown["page"] if shown["page"] != page else no_update, shown["page_count"])

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("rankings", "active_cell"),
        State("rankings", "derived_viewport_data"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def select_row(active_cell, rows, state):
        entity = row_entity(active_cell, rows)
        if entity is None:
            return no_update
        current = (state or {}).get("selected") or {}
        if current.get("type") == "node" and current.get("id") == entity:
            return no_update
        return select_patch(entity)
