"""Graph panel components: controls, the Cytoscape canvas, notes, legend."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
from dash import dcc, html

from dashboard.panels.graph.logic import base_stylesheet

__all__ = ["layout", "seed", "SIZE_LABELS", "COLOR_LABELS"]

SIZE_LABELS = {
    "degree": "degree",
    "weighted_degree": "weighted degree",
    "betweenness": "betweenness",
    "eigenvector": "eigenvector",
    "pagerank": "PageRank",
}
COLOR_LABELS = {"community": "community", "type": "entity type", "organization": "organization"}


def layout(data) -> html.Div:
    """The graph panel."""
    controls = dbc.Row(
        [
            dbc.Col(dbc.InputGroup([dbc.InputGroupText("Size"),
                                    dbc.Select(id="size-by", value="degree",
                                               options=[{"label": v, "value": k} for k, v in SIZE_LABELS.items()])],
                                   size="sm"), width="auto"),
            dbc.Col(dbc.InputGroup([dbc.InputGroupText("Colour"),
                                    dbc.Select(id="color-by", value="community",
                                               options=[{"label": v, "value": k} for k, v in COLOR_LABELS.items()])],
                                   size="sm"), width="auto"),
            dbc.Col(dbc.Button("Re-layout this view", id="relayout", size="sm", color="secondary", outline=True,
                               title="Spring layout of the entities in this view only (small views)"), width="auto"),
            dbc.Col(dbc.Button("Fit", id="graph-fit", size="sm", color="secondary", outline=True,
                               title="Fit the whole view in the canvas"), width="auto"),
            dbc.Col(html.Span(id="graph-drawn", className="text-muted small"), className="ms-auto", width="auto"),
        ],
        className="g-2 align-items-center mb-1",
    )
    canvas = html.Div(
        [
            cyto.Cytoscape(
                id="graph",
                elements=[],
                layout={"name": "preset", "fit": True, "padding": 30},
                stylesheet=base_stylesheet(),
                minZoom=0.05,
                maxZoom=2.5,
                boxSelectionEnabled=False,
                # not responsive=True: dash-cytoscape's responsive mode measures the bounding box of
                # every element on every frame Cytoscape draws (the first one included, and each
                # frame of a pan or zoom); Cytoscape resizes its canvas with the container by itself
                # and the Fit button re-centres the view
                responsive=False,
                # the drawing callback sends a new layout (preset positions, fit) with every new
                # set of elements; re-running it again on each add/remove would fit twice
                autoRefreshLayout=False,
                style={"width": "100%", "height": "100%"},
            ),
            html.Div(id="graph-empty", className="graph-empty", style={"display": "none"}),
        ],
        className="graph-canvas",
    )
    return html.Div(
        [
            controls,
            html.Div(id="selection", className="selection-echo small"),
            canvas,
            html.Div(id="graph-notes", className="graph-notes small"),
            html.Div(id="graph-legend", className="graph-legend small"),
            dcc.Store(id="graph-key"),
            dcc.Store(id="graph-style-key"),
            dcc.Store(id="graph-center"),
            dcc.Store(id="graph-center-done"),
        ],
        id="graph-panel",
        className="panel graph-panel",
    )


def seed(data, state: dict) -> dict:
    """Control values showing ``state``, for a page served with a state (``{(id, prop): value}``)."""
    return {("size-by", "value"): state["size_by"], ("color-by", "value"): state["color_by"]}
