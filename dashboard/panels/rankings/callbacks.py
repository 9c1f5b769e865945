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
        Output("rankings", "style_data_conditional"),
        Output("rankings", "active_cell"),
        Input("state", "data"),
        State("rankings-key", "data"),
        State("rankings", "active_cell"),
    )
    def render_rankings(state, last_key, active_cell):
        state = state or {}
        # mark the selected row; clear the active cell so that clicking the same row again
        # selects it again (only when one is set: writing it fires select_row)
        marks = (selected_row_style(state.get("selected")), None if active_cell is not None else no_update)
        key = view_key(state) + "|" + str(state.get("size_by"))
        if key == last_key:
            return (no_update,) * 4 + marks

        def compute(view):
            frame = rankings_frame(view, state.get("size_by") or "pagerank")
            ents = view.entities
            approx = "betweenness_approx" in ents.columns and bool(ents["betweenness_approx"].any())
            note = f"{len(frame)} entities in the view" + (" · betweenness approximate" if approx else "")
            return frame, table_columns(frame, approx), note

        # the frame is kept per view, the row dicts are not (10k entities: tens of MB per view)
        frame, columns, note = cache.memo("rankings", state, state.get("size_by"), compute)
        return (frame.to_dict("records"), columns, note, key) + marks

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
