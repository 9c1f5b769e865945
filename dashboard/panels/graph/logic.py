"""Graph panel logic: view → Cytoscape elements, stylesheet and legend (pure, no Dash)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from dashboard.analysis.colors import TYPE_COLORS, legend_entries, node_colors

__all__ = [
    "Transform",
    "layout_transform",
    "node_sizes",
    "to_elements",
    "base_stylesheet",
    "selection_stylesheet",
    "relayout_positions",
    "TYPE_SHAPES",
    "legend_rows",
    "LABEL_TOP",
    "label_font",
]

TYPE_SHAPES = {
    "person": "ellipse",
    "organization": "round-rectangle",
    "place": "diamond",
    "event": "star",
    "other": "hexagon",
}
LABEL_TOP = 30  # nodes (biggest by the size measure) whose label shows at fit zoom
LABEL_PX = 12.0  # on-screen size of those labels at the estimated fit zoom
CANVAS_PX = (680.0, 540.0)  # typical graph canvas (width, height) used to estimate the fit zoom
_ZOOM_RANGE = (0.05, 2.5)  # the Cytoscape component's minZoom / maxZoom
_MIN_SIZE, _MAX_SIZE = 14.0, 64.0
CO_MENTION_COLOR = "#9AA0A6"
RELATION_COLOR = "#B03A2E"


class Transform:
    """Affine map from build-layout coordinates to canvas pixels (one per dataset, so positions
    do not move when the view changes)."""

    def __init__(self, cx: float, cy: float, factor: float):
        # plain floats: rounding a numpy scalar costs ~50x rounding a float
        self.cx, self.cy, self.factor = float(cx), float(cy), float(factor)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (round((x - self.cx) * self.factor, 1), round((y - self.cy) * self.factor, 1))

    def many(self, x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
        """:meth:`__call__` for arrays of coordinates, as lists of floats."""
        return (np.round((np.asarray(x, dtype=float) - self.cx) * self.factor, 1).tolist(),
                np.round((np.asarray(y, dtype=float) - self.cy) * self.factor, 1).tolist())


def layout_transform(layout: pd.DataFrame) -> Transform:
    """Centre the build's layout on 0 and scale it to ~120 px per sqrt(node) across."""
    if layout.empty:
        return Transform(0.0, 0.0, 1.0)
    xs, ys = layout["x"].astype(float), layout["y"].astype(float)
    span = max(xs.max() - xs.min(), ys.max() - ys.min(), 1e-9)
    width = max(600.0, 120.0 * math.sqrt(len(layout)))
    return Transform(float((xs.max() + xs.min()) / 2), float((ys.max() + ys.min()) / 2), width / span)


def node_sizes(values: pd.Series) -> pd.Series:
    """Map a measure to node diameters (px), square-root scaled within the view."""
    return pd.Series(_size_array(values.to_numpy(dtype=float, na_value=np.nan)), index=values.index)


def _size_array(values: np.ndarray) -> np.ndarray:
    """:func:`node_sizes` of an array of floats (NaN for missing)."""
    v = np.clip(np.where(np.isnan(values), 0.0, values), 0.0, None)
    top = v.max() if len(v) else 0.0
    if not top or not math.isfinite(top):
        return np.full(len(v), 20.0)
    return np.round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * (v / top) ** 0.5, 1)


def label_font(points: list[tuple[float, float]]) -> float:
    """Font size (model units) that reads as :data:`LABEL_PX` on screen once the view is fitted.

    Cytoscape scales text with the zoom, and ``fit`` zooms to the bounding box of the drawn
    positions, so the fit zoom is estimated from that box and a typical canvas. Labels of
    the other nodes get a third of this size: Cytoscape compares ``min-zoomed-font-size`` (9)
    with the font size times the zoom rounded *up* to a power of two, so at fit they stay
    hidden (at most 8 px) and they appear when zooming in about 2-3 times.
    """
    if len(points) < 2:
        return LABEL_PX
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w, h = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    zoom = min((CANVAS_PX[0] - 60) / w, (CANVAS_PX[1] - 60) / h)  # the canvas keeps 30 px padding
    zoom = min(max(zoom, _ZOOM_RANGE[0]), _ZOOM_RANGE[1])
    return round(LABEL_PX / zoom, 1)


def to_elements(entities: pd.DataFrame, links: pd.DataFrame, measure: str, colors: dict[str, str],
                transform: Transform, positions: dict[str, tuple[float, float]] | None = None) -> list[dict]:
    """Cytoscape elements for the entities and links to draw.

    Node ids are the entity ids (strings); edge ids ``<kind>:<source>|<target>``. Nodes carry
    classes ``<type>`` and ``top`` (the :data:`LABEL_TOP` biggest by ``measure``, labelled at fit
    zoom) and data ``ft`` (label font size of the top nodes, see :func:`label_font`) and ``fs``
    (their own label size: ``ft`` for top nodes, a third of it for the others), ``tw`` (label
    width before the ellipsis); edges
    ``co-mention`` or ``relation`` and data ``n`` (passages), ``width`` and, for relations,
    ``relations``. Data is kept small: it is sent on every redraw.

    A pair with both a relation and a co-mention is drawn as one line, the relation's (arrow,
    solid red), with data ``co`` (the co-mention's passages) and ``n``/``width`` of the
    stronger of the two: two lines on one pair would hide each other unless curved apart, and
    curves cost Cytoscape control points for every such edge on every frame (a third of the
    embedded dataset's links). Selecting the line shows the pair's evidence of both kinds.
    ``positions`` (already in pixels) overrides the layout.
    """
    if entities.empty:
        return []
    col = measure if measure in entities.columns else "degree"
    values = entities[col].to_numpy(dtype=float, na_value=np.nan)
    sizes = _size_array(values)
    ids = entities["entity_id"].tolist()  # plain lists: iterating Arrow string columns is slow
    top = _top_ids(ids, np.where(np.isnan(values), 0.0, values), LABEL_TOP)
    xy = list(zip(*transform.many(entities["x"].to_numpy(), entities["y"].to_numpy())))
    if positions:
        xy = [positions.get(eid, p) for eid, p in zip(ids, xy)]
    ft = label_font(xy)
    small, width = round(ft / 3, 1), round(ft * 10, 1)
    elements: list[dict] = []
    for eid, name, etype, (px, py), size in zip(ids, entities["name"].tolist(), entities["type"].tolist(), xy,
                                                 sizes.tolist()):
        is_top = eid in top
        elements.append({
            "data": {"id": str(eid), "label": str(name), "size": size, "color": colors.get(eid, "#B8B8B8"),
                     "ft": ft, "fs": ft if is_top else small, "tw": width},
            "position": {"x": px, "y": py},
            "classes": f"{etype} top" if is_top else str(etype),
        })
    if not links.empty:
        sources, targets = links["source"].tolist(), links["target"].tolist()
        kinds, counts = links["kind"].tolist(), links["n_passages"].tolist()
        pairs = [(s, t) if s <= t else (t, s) for s, t in zip(sources, targets)]  # order-free pair keys
        # the co-mention passages of each pair that also has a relation: drawn with the relation
        related = {p for p, kind in zip(pairs, kinds) if kind == "relation"}
        co = {p: c for p, kind, c in zip(pairs, kinds, counts)
              if kind != "relation" and p in related} if related else {}
        strength = np.asarray([max(c, co.get(p, 0)) if kind == "relation" else c
                               for p, kind, c in zip(pairs, kinds, counts)], dtype=float)
        widths = np.round(1.0 + 7.0 * (strength / max(strength.max(), 1.0)) ** 0.5, 1).tolist()
        for s, t, p, kind, rels, np_, w in zip(sources, targets, pairs, kinds, links["relations"].tolist(), counts,
                                               widths):
            if kind == "relation":
                data = {"id": f"relation:{s}|{t}", "source": str(s), "target": str(t), "n": int(np_),
                        "width": float(w), "relations": ", ".join(str(r) for r in (rels if rels is not None else []))}
                pair_co = co.get(p)
                if pair_co is not None:
                    data["co"] = int(pair_co)
                elements.append({"data": data, "classes": "relation"})
            elif p not in co:
                elements.append({"data": {"id": f"{kind}:{s}|{t}", "source": str(s), "target": str(t), "n": int(np_),
                                          "width": float(w)}, "classes": "co-mention"})
    return elements


def _top_ids(ids: list[str], values: np.ndarray, n: int) -> set[str]:
    """The ``n`` ids with the largest ``values`` (ties: the smaller id)."""
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    return {ids[i] for i in np.lexsort((rank, -values))[:n].tolist()}


def base_stylesheet() -> list[dict]:
    """The fixed part of the Cytoscape stylesheet: shapes by type, sizes, labels, edge kinds."""
    sheet = [
        {"selector": "node", "style": {
            "width": "data(size)", "height": "data(size)", "background-color": "data(color)",
            "label": "data(label)", "font-size": "data(fs)", "min-zoomed-font-size": 9, "color": "#222",
            "text-valign": "bottom", "text-halign": "center", "text-margin-y": 2,
            "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": 1,
            "border-width": 1, "border-color": "#ffffff", "text-max-width": "data(tw)", "text-wrap": "ellipsis"}},
        {"selector": "node.top", "style": {"min-zoomed-font-size": 5, "font-weight": "bold"}},
        {"selector": "edge", "style": {
            "width": "data(width)", "line-color": CO_MENTION_COLOR, "opacity": 0.55, "curve-style": "straight"}},
        {"selector": "edge.relation", "style": {
            "line-color": RELATION_COLOR, "target-arrow-color": RELATION_COLOR, "target-arrow-shape": "triangle",
            "line-style": "solid", "opacity": 0.9, "arrow-scale": 1.2}},
        # co-mentions (most links, no arrow) are haystack edges, Cytoscape's cheapest: no endpoints
        # or control points to compute, before the first frame or after
        {"selector": "edge.co-mention", "style": {"line-style": "dashed", "line-dash-pattern": [6, 3],
                                                  "curve-style": "haystack", "haystack-radius": 0}},
        {"selector": ":selected", "style": {"overlay-opacity": 0}},
    ]
    for etype, shape in TYPE_SHAPES.items():
        sheet.append({"selector": f"node.{etype}", "style": {"shape": shape}})
    return sheet


def _any(selectors: list[str]) -> str:
    return ", ".join(selectors)


def selection_stylesheet(selected: dict | None, graph, path_edges: list[tuple[str, str]] | None = None,
                         max_neighbours: int = 300) -> list[dict]:
    """Extra rules highlighting the selection (and its neighbours) and a path; others fade.

    ``graph`` answers ``node in graph``, ``graph.neighbors(node)`` and ``graph.has_edge(a, b)``:
    a view's :class:`~dashboard.analysis.graph.GraphIndex` (cheap) or a NetworkX graph.

    Ids come from a normalized state (``[\\w.:-]`` only), so they are safe inside quotes.
    """
    rules: list[dict] = []
    focus_nodes: list[str] = []
    strong_edges: list[str] = []
    marked: list[str] = []
    if selected and selected.get("type") == "node" and selected.get("id") in graph:
        eid = selected["id"]
        marked = [eid]
        focus_nodes = [eid, *sorted(graph.neighbors(eid))[:max_neighbours]]
        strong_edges = [f'edge[source = "{eid}"]', f'edge[target = "{eid}"]']
    elif selected and selected.get("type") == "edge" and graph.has_edge(selected.get("source"), selected.get("target")):
        a, b = selected["source"], selected["target"]
        marked = [a, b]
        focus_nodes = [a, b]
        strong_edges = [f'edge[source = "{a}"][target = "{b}"]', f'edge[source = "{b}"][target = "{a}"]']
    path_nodes = sorted({n for e in (path_edges or []) for n in e})
    if focus_nodes or path_nodes:
        rules.append({"selector": "node", "style": {"opacity": 0.25}})
        rules.append({"selector": "edge", "style": {"opacity": 0.12}})
    if focus_nodes:
        rules.append({"selector": _any([f'node[id = "{n}"]' for n in focus_nodes]),
                      "style": {"opacity": 1, "font-size": "data(ft)", "min-zoomed-font-size": 0, "z-index": 5}})
        rules.append({"selector": _any(strong_edges), "style": {"opacity": 1}})
        rules.append({"selector": _any([f"edge.co-mention{s[4:]}" for s in strong_edges]),
                      "style": {"line-color": "#4B5563"}})
        rules.append({"selector": _any([f'node[id = "{n}"]' for n in marked]),
                      "style": {"border-width": 5, "border-color": "#111111", "opacity": 1, "font-weight": "bold",
                                "min-zoomed-font-size": 0, "z-index": 10}})
    if path_nodes:
        rules.append({"selector": _any([f'node[id = "{n}"]' for n in path_nodes]),
                      "style": {"opacity": 1, "border-width": 4, "border-color": "#F0A202", "font-size": "data(ft)",
                                "min-zoomed-font-size": 0}})
        sel = [f'edge[source = "{a}"][target = "{b}"]' for a, b in path_edges] + \
              [f'edge[source = "{b}"][target = "{a}"]' for a, b in path_edges]
        rules.append({"selector": _any(sel), "style": {"opacity": 1, "line-color": "#F0A202", "z-index": 9}})
    return rules


def relayout_positions(graph: nx.Graph, seed: int, width: float) -> dict[str, tuple[float, float]]:
    """Spring layout of the view only (small views), in pixels of about ``width`` across."""
    if graph.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    return {n: (round(float(x) * width / 2, 2), round(float(y) * width / 2, 2)) for n, (x, y) in pos.items()}


def legend_rows(entities: pd.DataFrame, mode: str, orgs: dict[str, str], names: dict[str, str]) -> dict:
    """Everything the legend shows: colour groups, node shapes, edge kinds."""
    present = set(entities["type"].unique().tolist()) if not entities.empty else set()
    return {
        "colors": legend_entries(entities, mode, orgs, names),
        "shapes": [{"type": t, "shape": s, "color": TYPE_COLORS[t]} for t, s in TYPE_SHAPES.items() if t in present],
        "edges": [{"kind": "co-mention", "label": "co-mention (same passage)", "color": CO_MENTION_COLOR, "dashed": True},
                  {"kind": "relation", "label": "typed relation (arrow: direction)", "color": RELATION_COLOR,
                   "dashed": False, "note": "A pair that is also co-mentioned is drawn with its relation's line "
                                            "only; selecting it shows the evidence of both."}],
    }


def colors_for(entities: pd.DataFrame, mode: str, orgs: dict[str, str]) -> dict[str, str]:
    """Alias of :func:`dashboard.analysis.colors.node_colors` for the panel's callbacks."""
    return node_colors(entities, mode, orgs)
