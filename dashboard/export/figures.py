"""The figures of a view, built by the same code the panels use on screen.

:func:`graph_scene` is the graph panel's drawing (see :mod:`dashboard.export.scene`);
:func:`timeline_plotly` is the timeline panel's figure (its swimlanes, claim colours and
period band) with a title stating the filters, the attribution footer and a fixed
export size. Both only add what a slide needs that a screen does not.
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import Callable, Mapping

import plotly.graph_objects as go

from dashboard.analysis.view import make_view
from dashboard.export.captions import describe_filters, entity_names, footer_text
from dashboard.export.graph_figure import GraphScene
from dashboard.export.scene import scene_from_view
from dashboard.export.timeline_figure import TIMELINE_SIZE_PX
from dashboard.panels.timeline import logic as timeline_logic

__all__ = ["graph_scene", "timeline_plotly"]


def graph_scene(view, data, state: Mapping, exported: _dt.date | None = None,
                settings: Mapping | None = None) -> GraphScene:
    """Return the scene of the view's graph as the graph panel draws it, titled with the filters."""
    return scene_from_view(view, data, state, exported, settings)


def timeline_plotly(view, data, state: Mapping, exported: _dt.date | None = None,
                    view_of: Callable[[Mapping], object] | None = None) -> go.Figure:
    """Return the timeline panel's figure of the view, titled and footed for export.

    Like the panel, a period filter is drawn as a band over the view *without* the period
    (passages outside it faded), so ``view_of(state)`` (the app's ``ViewCache.get``) is asked
    for that view; without it :func:`~dashboard.analysis.view.make_view` builds it.
    The figure's ``layout.height`` is the export height (lanes + title + footer); its width
    is :data:`~dashboard.export.timeline_figure.TIMELINE_SIZE_PX`.
    """
    axis = "published" if state.get("time_axis") in ("published", "report") else "event"
    period = (state.get("start"), state.get("end"))
    if period[0] or period[1]:
        unbounded = {**state, "start": None, "end": None}
        view = view_of(unbounded) if view_of is not None else make_view(data, unbounded)
    tdata = timeline_logic.timeline_frame(data, view, state.get("selected"), axis, period=period)
    fig = timeline_logic.timeline_figure(tdata, period)
    lanes = max(len(tdata["lanes"]), 1)
    filters = describe_filters(state, entity_names(data))
    axis_label = "report date" if axis == "published" else "event date"
    notes = [f"x axis: {axis_label}"]
    if tdata.get("undated"):
        notes.append(f"{tdata['undated']} undated passages not drawn")
    height = max(TIMELINE_SIZE_PX[1], 230 + 40 * lanes)
    fig.update_layout(
        width=TIMELINE_SIZE_PX[0], height=height, dragmode=False,
        font={"family": "DejaVu Sans", "size": 12},
        title={"text": f"<b>{html.escape(data.title, quote=False)}</b> — evidence over time<br>"
                       f"<span style='font-size:12px'>{html.escape(filters, quote=False)} · {html.escape('; '.join(notes), quote=False)}</span>",
               "x": 0.01, "xanchor": "left", "y": 1, "yanchor": "top", "pad": {"t": 28}},
        margin={"l": 10, "r": 20, "t": 125, "b": 70},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
    )
    fig.add_annotation(text=html.escape(footer_text(data.title, exported), quote=False), xref="paper", yref="paper",
                       x=0, y=0, yshift=-55, showarrow=False, xanchor="left", yanchor="top",
                       font={"size": 10, "color": "#555555"})
    if not len(tdata["frame"]):
        fig.add_annotation(text="no dated passages in this view", xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font={"size": 16, "color": "#777777"})
    return fig
