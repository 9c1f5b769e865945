"""Turn the graph panel's drawing of a view into a :class:`~dashboard.export.graph_figure.GraphScene`.

The figure must match the screen, so the scene is built from exactly what the graph
panel sends to the browser: :func:`dashboard.analysis.view.limit_view` (node cap and
element limit), :func:`dashboard.analysis.colors.node_colors`, and
:func:`dashboard.panels.graph.logic.to_elements` / ``legend_rows``, then read with the
panel's stylesheet conventions (shape by type, ``top`` nodes labelled larger and bold,
co-mentions dashed grey, relations solid red with an arrow).

One thing the figure cannot know is a "re-layout this view" the user clicked on screen
(not part of the shareable state); the figure uses the dataset's layout.
"""

from __future__ import annotations

import datetime as _dt
from typing import Mapping

import pandas as pd

from dashboard.analysis.colors import node_colors, org_colors
from dashboard.analysis.paths import shortest_paths
from dashboard.analysis.view import limit_view
from dashboard.export.captions import describe_filters, entity_names, footer_text
from dashboard.export.graph_figure import EDGE_COLUMNS, NODE_COLUMNS, GraphScene, LegendEntry
from dashboard.panels.graph import logic as graph_logic
from dashboard.settings import resolve

__all__ = ["drawing", "scene_from_drawing", "scene_from_view", "highlight"]

_LABEL_PX = 9.0  # the stylesheet's node font-size
_TOP_LABEL_PX = 13.0  # node.top
_EDGE_OPACITY = {"co-mention": 0.55, "relation": 0.9}
_STRONG_CO_MENTION = "#4B5563"  # selection_stylesheet: co-mentions of the selection
_PATH_COLOR = "#F0A202"


def _setting(settings: Mapping | None, name: str) -> int:
    if settings and name in settings and settings[name] is not None:
        return int(settings[name])
    return int(resolve(name))


def drawing(view, data, state: Mapping, settings: Mapping | None = None) -> dict:
    """The graph panel's drawing of ``view``: ``elements``, ``legend`` rows and ``notes``.

    The same steps as the panel's callback (``dashboard/panels/graph/callbacks.py``).
    """
    size_by, color_by = state.get("size_by") or "degree", state.get("color_by") or "community"
    ents, links, notes = limit_view(view, size_by, _setting(settings, "node_cap"), _setting(settings, "max_elements"))
    orgs = org_colors(data.entities)
    names = entity_names(data)
    colors = node_colors(view.entities, color_by, orgs)
    transform = graph_logic.layout_transform(data.layout)
    return {
        "elements": graph_logic.to_elements(ents, links, size_by, colors, transform),
        "legend": graph_logic.legend_rows(ents, color_by, orgs, names),
        "notes": [str(n) for n in view.notes] + list(notes),
    }


def _legend(rows: Mapping) -> list[LegendEntry]:
    entries = []
    for row in rows.get("colors", []):
        label = f"{row['label']} ({row['count']})"
        entries.append(LegendEntry(label, row["color"] or "#FFFFFF", "node", "ellipse"))
    for row in rows.get("shapes", []):
        entries.append(LegendEntry(str(row["type"]), "#DDDDDD", "node", str(row["shape"])))
    for row in rows.get("edges", []):
        entries.append(LegendEntry(str(row["label"]), str(row["color"]), "edge", dashed=bool(row.get("dashed"))))
    return entries


def _entity_type(data: Mapping, classes: set[str]) -> str:
    """The entity type of a node element: its ``type`` data, else its type class (the panel's form)."""
    if data.get("type"):
        return str(data["type"])
    return next((c for c in sorted(classes) if c in graph_logic.TYPE_SHAPES), "other")


def scene_from_drawing(elements: list[dict], legend: Mapping, **text) -> GraphScene:
    """Read the graph panel's elements with its stylesheet's conventions."""
    nodes, edges = [], []
    for element in elements:
        data = element.get("data", {})
        classes = set(str(element.get("classes") or "").split())
        if "source" in data and "target" in data:
            kind = data.get("kind") or ("relation" if "relation" in classes else "co-mention")
            relation = kind == "relation"
            edges.append({
                "source": str(data["source"]), "target": str(data["target"]), "width": float(data.get("width", 1.0)),
                "color": graph_logic.RELATION_COLOR if relation else graph_logic.CO_MENTION_COLOR,
                "dashed": not relation, "arrow": relation, "opacity": _EDGE_OPACITY.get(kind, 0.6),
            })
        else:
            position = element.get("position") or {}
            top = "top" in classes
            nodes.append({
                "id": str(data["id"]), "label": str(data.get("label", data["id"])),
                "x": float(position.get("x", 0.0)), "y": float(position.get("y", 0.0)),
                "size": float(data.get("size", 20.0)), "color": str(data.get("color", "#B8B8B8")),
                "shape": graph_logic.TYPE_SHAPES.get(_entity_type(data, classes), "ellipse"),
                "label_size": _TOP_LABEL_PX if top else _LABEL_PX, "bold": top, "priority": 1 if top else 0,
            })
    return GraphScene(pd.DataFrame(nodes, columns=NODE_COLUMNS), pd.DataFrame(edges, columns=EDGE_COLUMNS),
                      _legend(legend), **text)


def highlight(scene: GraphScene, view, state: Mapping, max_neighbours: int = 300) -> GraphScene:
    """Apply the panel's selection and path highlighting (``selection_stylesheet``) to the scene.

    Selected node: it and its neighbours stay opaque, its links too (co-mentions darker), the
    rest fades to 25 % (links 12 %); the node gets a black border and an always-shown larger
    label. Selected link: its two ends and the link. Path: nodes and links of the shortest
    path in amber. Without a selection or path the scene is unchanged.
    """
    graph = view.index  # membership and neighbours only: no NetworkX graph needed
    selected = state.get("selected") or None
    nodes, edges = scene.nodes, scene.edges
    focus: list[str] = []
    marked: list[str] = []
    strong = pd.Series(False, index=edges.index)
    if selected and selected.get("type") == "node" and selected.get("id") in graph:
        eid = selected["id"]
        marked = [eid]
        focus = [eid, *sorted(graph.neighbors(eid))[:max_neighbours]]
        strong = (edges["source"] == eid) | (edges["target"] == eid)
    elif selected and selected.get("type") == "edge" and graph.has_edge(selected.get("source"), selected.get("target")):
        a, b = selected["source"], selected["target"]
        marked = focus = [a, b]
        strong = ((edges["source"] == a) & (edges["target"] == b)) | ((edges["source"] == b) & (edges["target"] == a))
    path_edges: list[tuple[str, str]] = []
    path = state.get("path") or None
    if path and path.get("source") and path.get("target"):
        paths = shortest_paths(view, path["source"], path["target"], 1)
        if paths:
            path_edges = [(h["source"], h["target"]) for h in paths[0]]
    path_nodes = {n for e in path_edges for n in e}
    if not focus and not path_nodes:
        return scene
    nodes = nodes.copy()
    edges = edges.copy()
    nodes["opacity"] = 0.25
    edges["opacity"] = 0.12
    in_focus = nodes["id"].isin(focus)
    nodes.loc[in_focus, "opacity"] = 1.0
    edges.loc[strong, "opacity"] = 1.0
    edges.loc[strong & ~edges["arrow"].astype(bool), "color"] = _STRONG_CO_MENTION
    is_marked = nodes["id"].isin(marked)
    nodes.loc[is_marked, ["border_color", "border_width", "label_size", "opacity"]] = ["#111111", 5.0, 14.0, 1.0]
    nodes.loc[is_marked, "priority"] = 2
    on_path = nodes["id"].isin(path_nodes)
    nodes.loc[on_path, ["border_color", "border_width", "opacity"]] = [_PATH_COLOR, 4.0, 1.0]
    nodes.loc[on_path, "priority"] = nodes.loc[on_path, "priority"].clip(lower=2)
    pairs = {frozenset(e) for e in path_edges}
    on_path_edge = pd.Series([frozenset((s, t)) in pairs for s, t in zip(edges["source"], edges["target"])],
                             index=edges.index, dtype=bool)
    edges.loc[on_path_edge, ["opacity", "color"]] = [1.0, _PATH_COLOR]
    scene.nodes, scene.edges = nodes, edges
    return scene


def scene_from_view(view, data, state: Mapping, exported: _dt.date | None = None,
                    settings: Mapping | None = None) -> GraphScene:
    """The scene of ``view`` as the graph panel draws it (with the selection and path highlighted),
    titled with the filters and the attribution."""
    drawn = drawing(view, data, state, settings)
    names = entity_names(data)
    scene = scene_from_drawing(drawn["elements"], drawn["legend"], title=data.title,
                               subtitle=describe_filters(state, names),
                               footer=footer_text(data.title, exported), notes=drawn["notes"])
    selected = state.get("selected") or None
    if selected and selected.get("type") == "node":
        scene.notes.append(f"Highlighted: {names.get(selected['id'], selected['id'])} and its links.")
    elif selected and selected.get("type") == "edge":
        scene.notes.append(f"Highlighted: the link {names.get(selected['source'], selected['source'])} — "
                           f"{names.get(selected['target'], selected['target'])}.")
    return highlight(scene, view, state)
