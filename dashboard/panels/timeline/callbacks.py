"""Wiring of the timeline: state → figure; brushing and the axis toggle → state."""

from __future__ import annotations

import json

from dash import Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard.panels.excerpts.logic import format_loose_date, format_span
from dashboard.panels.timeline.logic import (
    bound,
    period_from_selection,
    prepare,
    timeline_figure_dict,
    timeline_points,
)
from dashboard.state import TIME_AXES, filter_part, normalize_state

__all__ = ["register_callbacks", "timeline_note"]


def timeline_note(tdata: dict, period: tuple) -> str:
    """The line under the heading: current period and what is not drawn.

    ``tdata`` is :func:`~dashboard.panels.timeline.logic.timeline_points` or ``timeline_frame`` output.
    """
    parts = []
    lo, hi = bound(period[0]), bound(period[1], end=True)
    if lo and hi:
        parts.append("event period " + format_span(lo, hi))
    elif lo:
        parts.append("event period from " + format_loose_date(lo))
    elif hi:
        parts.append("event period until " + format_loose_date(hi, end=True))
    if tdata.get("aggregated"):
        parts.append("many passages: counted per lane and month (year for long spans); zoom or filter to see each")
    if tdata["undated"]:
        noun = "passage" if tdata["undated"] == 1 else "passages"
        parts.append(f"{tdata['undated']} undated {noun} not shown")
    drawn = len(tdata["points"]["lane"]) if "points" in tdata else len(tdata["frame"])
    if not drawn:
        parts.append("no dated evidence in this view")
    return " · ".join(parts)


def register_callbacks(app, data, cache) -> None:
    """Register the timeline's callbacks on ``app``."""
    prepare(data)  # the dataset's arrays now, not on the first click

    @app.callback(
        Output("timeline", "figure"),
        Output("timeline-note", "children"),
        Output("time-axis", "value"),
        Output("timeline-key", "data"),
        Input("state", "data"),
        State("time-axis", "value"),
        State("timeline-key", "data"),
    )
    def render_timeline(state, axis_value, last_key):
        state = normalize_state(state)
        axis = "published" if state.get("time_axis") in ("published", "report") else "event"
        selected = state.get("selected")
        period = (state.get("start"), state.get("end"))
        # drawn from the view without the period filter, so what lies outside the band stays
        # visible (faded) and the user can brush again
        unbounded = {**state, "start": None, "end": None}
        extra = (json.dumps(selected, sort_keys=True, default=str), axis, json.dumps(period))
        key = repr((filter_part(unbounded), extra))
        axis_out = axis if axis != axis_value else no_update
        if key == last_key:  # a page turn, a size or colour change: the figure stays
            return no_update, no_update, axis_out, no_update

        def compute(view):
            tdata = timeline_points(data, view, selected, axis, period=period)
            return timeline_figure_dict(tdata, period), timeline_note(tdata, period)

        # the figure and its note, built once per (view, selection, axis, period)
        fig, note = cache.memo("timeline_figure", unbounded, extra, compute)
        return fig, note, axis_out, key

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("timeline", "selectedData"),
        Input("timeline-clear", "n_clicks"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def brush_period(selected_data, _clear, state):
        patch = Patch()
        if ctx.triggered_id == "timeline-clear":
            patch["start"] = None
            patch["end"] = None
            return patch
        # nothing to change: PreventUpdate (checked before Dash validates the return against the
        # request's outputs, so a forged envelope cannot turn it into a server error)
        if (state or {}).get("time_axis") in ("published", "report"):
            raise PreventUpdate  # the period filter is about event dates
        period = period_from_selection(selected_data)
        if period is None:
            raise PreventUpdate
        patch["start"], patch["end"] = period
        return patch

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("time-axis", "value"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def change_axis(axis, state):
        if axis not in TIME_AXES or (state or {}).get("time_axis") == axis:
            return no_update  # a forged value is not written into the state
        patch = Patch()
        patch["time_axis"] = axis
        return patch
