"""Turn a filtered view into a :class:`~dashboard.export.graph_figure.GraphScene`.

The scene must match the screen, so node styling comes from the graph panel's own
element builder when it is available (``dashboard.panels.graph.logic``); the fallback
below styles nodes the same way in spirit (size by the chosen measure, color by
community or type, shape by type) for views rendered before that panel exists.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from dashboard.export.captions import describe_filters, entity_names, footer_text
from dashboard.export.graph_figure import EDGE_COLUMNS, NODE_COLUMNS, GraphScene, LegendEntry
from dashboard.settings import resolve

__all__ = ["TYPE_SHAPES", "TYPE_COLORS", "COMMUNITY_COLORS", "scene_from_view", "view_notes"]

TYPE_SHAPES = {"person": "ellipse", "organization": "round-rectangle", "place": "triangle",
               "event": "diamond", "other": "hexagon"}
TYPE_COLORS = {"person": "#4C78A8", "organization": "#F58518", "place": "#54A24B",
               "event": "#B279A2", "other": "#9D755D"}
# Okabe-Ito + Tableau: distinguishable, colour-blind aware first eight.
COMMUNITY_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                    "#999999", "#8C564B", "#17BECF", "#BCBD22", "#7F7F7F"]
_KIND_COLORS = {"co-mention": "#A0A0A0", "relation": "#7A3B00"}
_LEGEND_COMMUNITIES = 8


def _scale(values: pd.Series, low: float, high: float) -> np.ndarray:
    v = pd.to_numeric(values, errors="coerce").fillna(0.0).to_numpy(float)
    if len(v) == 0:
        return v
    span = v.max() - v.min()
    if span <= 0:
        return np.full(len(v), (low + high) / 2)
    return low + (v - v.min()) / span * (high - low)


def _fit_positions(x: pd.Series, y: pd.Series, box: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
    """Scale layout coordinates to a ``box``-wide square, y pointing down like the screen."""
    x = pd.to_numeric(x, errors="coerce").fillna(0.0).to_numpy(float)
    y = pd.to_numeric(y, errors="coerce").fillna(0.0).to_numpy(float)
    if len(x) == 0:
        return x, y
    span = max(x.max() - x.min(), y.max() - y.min(), 1e-9)
    return (x - x.min()) / span * box, (y.max() - y) / span * box


def view_notes(view) -> list[str]:
    """Return the view's notes (e.g. "showing 400 of 812 entities") as a list of strings."""
    notes = getattr(view, "notes", None) or []
    if isinstance(notes, str):
        return [notes]
    return [str(n) for n in notes]


def scene_from_view(view, data, state: Mapping, exported=None) -> GraphScene:
    """Style the view's entities and links as on screen and add title, filters and footer.

    Parameters
    ----------
    view : View
        ``entities`` (entity_id, name, type, metrics, community, x, y) and ``links``.
    data : Tables
        The loaded dataset (its title goes into the header and footer).
    state : mapping
        The view state; ``size_by`` and ``color_by`` choose the node styling.
    """
    entities = view.entities.reset_index(drop=True)
    size_by = state.get("size_by") or "degree"
    color_by = state.get("color_by") or "community"
    x, y = _fit_positions(entities.get("x", pd.Series(0.0, index=entities.index)),
                          entities.get("y", pd.Series(0.0, index=entities.index)))
    sizes = _scale(entities[size_by], 20, 60) if size_by in entities.columns else np.full(len(entities), 30.0)
    types = entities["type"].fillna("other").astype(str) if "type" in entities.columns else pd.Series("other", index=entities.index)
    legend: list[LegendEntry] = []
    if color_by == "type":
        colors = [TYPE_COLORS.get(t, TYPE_COLORS["other"]) for t in types]
        for t in sorted(set(types), key=lambda t: list(TYPE_COLORS).index(t) if t in TYPE_COLORS else 99):
            legend.append(LegendEntry(t, TYPE_COLORS.get(t, TYPE_COLORS["other"]), "node", TYPE_SHAPES.get(t, "ellipse")))
    else:
        community = pd.to_numeric(entities.get("community", pd.Series(-1, index=entities.index)), errors="coerce").fillna(-1).astype(int)
        colors = [COMMUNITY_COLORS[c % len(COMMUNITY_COLORS)] if c >= 0 else "#CCCCCC" for c in community]
        counts = community[community >= 0].value_counts()
        for c in sorted(counts.index[:_LEGEND_COMMUNITIES]):
            legend.append(LegendEntry(f"community {c} ({counts[c]})", COMMUNITY_COLORS[c % len(COMMUNITY_COLORS)]))
        if len(counts) > _LEGEND_COMMUNITIES:
            legend.append(LegendEntry(f"+{len(counts) - _LEGEND_COMMUNITIES} smaller communities", "#FFFFFF"))
        for t in [t for t in TYPE_SHAPES if t in set(types)]:
            legend.append(LegendEntry(t, "#DDDDDD", "node", TYPE_SHAPES[t]))
    nodes = pd.DataFrame({
        "id": entities["entity_id"].astype(str),
        "label": entities["name"].astype(str) if "name" in entities.columns else entities["entity_id"].astype(str),
        "x": x, "y": y, "size": sizes, "color": colors,
        "shape": [TYPE_SHAPES.get(t, "ellipse") for t in types],
        "label_size": 12.0,
    }, columns=NODE_COLUMNS)
    links = view.links.reset_index(drop=True)
    notes = view_notes(view)
    budget = max(int(resolve("max_elements")) - len(entities), 0)
    if len(links) > budget:  # the screen's element cap: strongest links first
        notes.append(f"Showing the {budget} strongest of {len(links)} links.")
        links = links.sort_values(["weight", "source", "target"], ascending=[False, True, True]).head(budget)
    edges = pd.DataFrame({
        "source": links["source"].astype(str), "target": links["target"].astype(str),
        "width": _scale(links["weight"], 1, 6) if len(links) else [],
        "color": [_KIND_COLORS.get(k, "#A0A0A0") for k in links["kind"]],
        "dashed": False,
    }, columns=EDGE_COLUMNS)
    for kind in [k for k in _KIND_COLORS if k in set(links["kind"])]:
        legend.append(LegendEntry(kind + " link", _KIND_COLORS[kind], "edge"))
    names = entity_names(data)
    return GraphScene(nodes, edges, legend, title=data.title, subtitle=describe_filters(state, names),
                      footer=footer_text(data.title, exported), notes=notes)
