"""The figures of a view, built from the same code the panels use on screen.

:func:`graph_scene` styles the view's graph with the graph panel's element builder
(``dashboard.panels.graph.logic``) when present, so the exported figure has the
positions, colors, sizes and legend of the screen; :func:`timeline_plotly` does the
same with the timeline panel's figure builder. Each falls back to this package's own
builder (:mod:`dashboard.export.scene`, :mod:`dashboard.export.timeline_figure`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Mapping

import plotly.graph_objects as go

from dashboard.export.captions import describe_filters, entity_names, footer_text
from dashboard.export.graph_figure import GraphScene
from dashboard.export.scene import scene_from_view
from dashboard.export.timeline_figure import timeline_figure

__all__ = ["graph_scene", "timeline_plotly"]


def graph_scene(view, data, state: Mapping, exported: _dt.date | None = None) -> GraphScene:
    """Return the scene of the view's graph as the graph panel draws it, titled with the filters."""
    scene = scene_from_view(view, data, state, exported)
    scene.title = data.title
    scene.subtitle = describe_filters(state, entity_names(data))
    scene.footer = footer_text(data.title, exported)
    return scene


def timeline_plotly(view, data, state: Mapping, exported: _dt.date | None = None) -> go.Figure:
    """Return the timeline figure of the view (the timeline panel's, when it has a builder)."""
    return timeline_figure(view, data, state, exported)
