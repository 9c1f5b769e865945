"""Components of the timeline panel: axis toggle, period controls, the swimlane graph."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

__all__ = ["layout", "seed", "GRAPH_CONFIG"]

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "filename": "timeline", "scale": 2},
}


def layout(data=None) -> html.Div:
    """The timeline panel: drag across it to set the period filter; click a point to read it."""
    return html.Div(
        [
            html.Div(
                [
                    html.H6("Timeline", className="panel-title"),
                    dbc.RadioItems(
                        id="time-axis",
                        options=[{"label": "event date", "value": "event"},
                                 {"label": "report date", "value": "published"}],
                        value="event",
                        inline=True,
                        className="small timeline-axis",
                    ),
                    dbc.Button("Clear period", id="timeline-clear", size="sm", color="link",
                               className="timeline-clear"),
                    html.Span(id="timeline-note", className="small text-muted timeline-note"),
                ],
                className="panel-head timeline-head",
            ),
            dcc.Graph(id="timeline", config=GRAPH_CONFIG, className="timeline-graph",
                      figure={"data": [], "layout": {"height": 200}}),
            dcc.Store(id="timeline-key"),  # what the drawn figure shows: redraw only when it changes
            html.Div("Drag across the timeline to filter the period; click a point to open its document.",
                     className="small text-muted timeline-help"),
        ],
        id="timeline-panel",
        className="panel timeline-panel",
    )


def seed(data, state: dict) -> dict:
    """Control values showing ``state``, for a page served with a state (``{(id, prop): value}``)."""
    return {("time-axis", "value"): "published" if state["time_axis"] in ("published", "report") else "event"}
