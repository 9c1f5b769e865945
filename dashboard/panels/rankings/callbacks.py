"""Wiring of the rankings table: view → rows (only when the view changes); row click → selection."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from dashboard.panels.excerpts.callbacks import select_patch
from dashboard.panels.rankings.logic import rankings_frame, row_entity, table_columns, view_key

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
        Input("state", "data"),
        State("rankings-key", "data"),
    )
    def render_rankings(state, last_key):
        state = state or {}
        key = view_key(state) + "|" + str(state.get("size_by"))
        if key == last_key:
            return no_update, no_update, no_update, no_update
        view = cache.get(state)
        frame = cache.memo("rankings", state, state.get("size_by"),
                           lambda v: rankings_frame(v, state.get("size_by") or "pagerank"))
        approx = "betweenness_approx" in view.entities.columns and bool(view.entities["betweenness_approx"].any())
        note = f"{len(frame)} entities in the view" + (" · betweenness approximate" if approx else "")
        return frame.to_dict("records"), table_columns(frame, approx), note, key

    @app.callback(
        Output("rankings", "style_data_conditional"),
        Output("rankings", "active_cell"),
        Input("state", "data"),
    )
    def mark_selected(state):
        # clear the active cell so that clicking the same row again selects it again
        return selected_row_style((state or {}).get("selected")), None

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
