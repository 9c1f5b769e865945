"""Render the graph of a view to PNG, SVG or PDF with matplotlib, as it looks on screen.

The renderer draws a :class:`GraphScene`: nodes with their on-screen position, size,
color, shape and label, edges with their width, color and dash, and the legend.
Positions and sizes are in the graph panel's model units (Cytoscape pixels at zoom 1,
y pointing down), so a node twice as large on screen is twice as large in the file.
Nodes, edges and label sizes scale together with the figure; labels never shrink
below a legible minimum.

Rendering uses ``matplotlib.figure.Figure`` directly (no pyplot global state), so it is
safe in a multi-threaded server. SVG keeps text as text (searchable, and node labels
can be checked), PDF embeds DejaVu Sans as Type 3 fonts with extractable text.
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
import threading
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.path import Path as MplPath
from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon, RegularPolygon
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from dashboard.settings import resolve

__all__ = [
    "LegendEntry",
    "GraphScene",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "FIGURE_FORMATS",
    "BASE_SIZE_PX",
    "render_graph",
]

NODE_COLUMNS = ["id", "label", "x", "y", "size", "color", "shape", "label_size", "bold", "priority", "opacity",
                "border_color", "border_width"]
EDGE_COLUMNS = ["source", "target", "width", "color", "dashed", "arrow", "opacity"]
FIGURE_FORMATS = ("png", "svg", "pdf")
# The 1x canvas: 1200 x 750 px (16:10, fills a slide); PNG at scale 2 is 2400 x 1500.
BASE_SIZE_PX = (1200, 750)
_BASE_DPI = 100
_MIN_LABEL_PT = 3.5
_MAX_LABEL_PT = 14.0
_DEFAULT_LABEL_PX = 12.0
_FONT = "DejaVu Sans"
_RENDER_LOCK = threading.Lock()

_MARKERS = {
    "ellipse": "o",
    "rectangle": "s",
    "round-rectangle": "s",
    "roundrectangle": "s",
    "diamond": "D",
    "round-diamond": "D",
    "triangle": "^",
    "round-triangle": "^",
    "hexagon": "h",
    "round-hexagon": "h",
    "pentagon": "p",
    "octagon": "8",
    "star": "*",
}


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a node style (color + shape) or an edge style (color + dash)."""

    label: str
    color: str
    kind: str = "node"  # node | edge
    shape: str = "ellipse"
    dashed: bool = False


@dataclass
class GraphScene:
    """Everything the renderer draws; see :data:`NODE_COLUMNS` and :data:`EDGE_COLUMNS`."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    legend: list[LegendEntry] = field(default_factory=list)
    title: str = ""
    subtitle: str = ""
    footer: str = ""
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        nodes = self.nodes.copy()
        for column, default in (("label", ""), ("size", 30.0), ("color", "#888888"), ("shape", "ellipse"),
                                ("label_size", _DEFAULT_LABEL_PX), ("bold", False), ("priority", 0),
                                ("opacity", 1.0), ("border_color", "#FFFFFF"), ("border_width", 1.0)):
            if column not in nodes.columns:
                nodes[column] = default
            else:
                nodes[column] = nodes[column].astype(object).where(nodes[column].notna(), default).infer_objects()
        missing = [c for c in ("id", "x", "y") if c not in nodes.columns]
        if missing:
            raise ValueError(f"scene nodes lack columns {missing}")
        self.nodes = nodes[NODE_COLUMNS].reset_index(drop=True)
        edges = self.edges.copy() if self.edges is not None else pd.DataFrame(columns=EDGE_COLUMNS)
        for column, default in (("width", 1.0), ("color", "#999999"), ("dashed", False), ("arrow", False),
                                ("opacity", 0.75)):
            if column not in edges.columns:
                edges[column] = default
            else:
                edges[column] = edges[column].astype(object).where(edges[column].notna(), default).infer_objects()
        self.edges = edges[EDGE_COLUMNS].reset_index(drop=True) if len(edges) else pd.DataFrame(columns=EDGE_COLUMNS)


def _star(x: float, y: float, r: float) -> Polygon:
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
    return Polygon(np.column_stack([x + radii * np.cos(angles), y - radii * np.sin(angles)]), closed=True)


def _patch(shape: str, x: float, y: float, size: float):
    r = size / 2.0
    shape = shape.lower()
    if shape in ("rectangle", "round-rectangle", "roundrectangle"):
        pad = r * 0.25 if shape != "rectangle" else 0.0
        style = f"round,pad={pad},rounding_size={r * 0.3}" if pad else "square,pad=0"
        return FancyBboxPatch((x - r + pad, y - r + pad), size - 2 * pad, size - 2 * pad, boxstyle=style)
    sides = {"diamond": 4, "round-diamond": 4, "triangle": 3, "round-triangle": 3, "pentagon": 5,
             "hexagon": 6, "round-hexagon": 6, "octagon": 8}.get(shape)
    if sides:
        # y points down on screen, so "up" is -y; orientation pi flips triangles the screen's way up.
        return RegularPolygon((x, y), sides, radius=r * (1.15 if sides == 3 else 1.0),
                              orientation=math.pi if sides == 3 else (math.pi / 6 if sides == 6 else 0.0))
    if shape == "star":
        return _star(x, y, r * 1.2)
    return Circle((x, y), r)


def _parallel_offsets(edges: pd.DataFrame, gap: float = 10.0) -> dict:
    """Sideways offset (model px) per edge so two links of one pair do not hide each other,
    as Cytoscape's bezier edges fan out."""
    offsets = {}
    pairs = [tuple(sorted((s, t))) for s, t in zip(edges["source"], edges["target"])]
    groups: dict[tuple, list] = {}
    for index, pair in zip(edges.index, pairs):
        groups.setdefault(pair, []).append(index)
    for pair, members in groups.items():
        for k, index in enumerate(members):
            offsets[index] = (k - (len(members) - 1) / 2) * gap
    return offsets


def _shift(a, b, offset: float):
    """Segment a-b moved ``offset`` to its left, measured along the pair's canonical direction."""
    if not offset:
        return a, b
    (x0, y0), (x1, y1) = sorted((a, b))
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx_, ny_ = -(y1 - y0) / length * offset, (x1 - x0) / length * offset
    return (a[0] + nx_, a[1] + ny_), (b[0] + nx_, b[1] + ny_)


def _arrowhead(source, target, target_radius: float, width: float):
    """A triangle ending at the target node's rim, sized like Cytoscape's (arrow-scale 1.2)."""
    (x0, y0), (x1, y1) = source, target
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy)
    if length <= target_radius:
        return None
    ux, uy = dx / length, dy / length
    size = 1.2 * (3.0 * max(width, 1.0) + 4.0)
    tip = (x1 - ux * target_radius, y1 - uy * target_radius)
    base = (tip[0] - ux * size, tip[1] - uy * size)
    half = size * 0.5
    return (tip, (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half))


def _frame(nodes: pd.DataFrame, box_w_pt: float, box_h_pt: float):
    """Return (xlim, ylim, points per model unit) that fit every node, with equal aspect."""
    if len(nodes):
        pad = float(nodes["size"].max()) * 0.8 + float(nodes["label_size"].max()) * 1.5
        x0, x1 = float(nodes["x"].min()) - pad, float(nodes["x"].max()) + pad
        y0, y1 = float(nodes["y"].min()) - pad, float(nodes["y"].max()) + pad
    else:
        x0, x1, y0, y1 = -1.0, 1.0, -1.0, 1.0
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    ppu = min(box_w_pt / w, box_h_pt / h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = box_w_pt / ppu / 2, box_h_pt / ppu / 2
    return (cx - half_w, cx + half_w), (cy + half_h, cy - half_h), ppu


def _short(text: str, limit: int = 33) -> str:
    """Shorten a legend label to ``limit`` characters, keeping a trailing count such as " (12)"."""
    if len(text) <= limit:
        return text
    match = re.match(r"^(.*?)( \(\d+\))$", text)
    head, tail = (match.group(1), match.group(2)) if match else (text, "")
    return head[: max(limit - len(tail) - 1, 1)].rstrip() + "…" + tail


def _legend_handles(entries: list[LegendEntry]) -> list[Line2D]:
    handles = []
    for entry in entries:
        if entry.kind == "edge":
            handles.append(Line2D([], [], color=entry.color, linewidth=2.0,
                                  linestyle=(0, (4, 2)) if entry.dashed else "-", label=_short(entry.label)))
        else:
            handles.append(Line2D([], [], color="none", marker=_MARKERS.get(entry.shape, "o"), markersize=9,
                                  markerfacecolor=entry.color, markeredgecolor="#333333",
                                  markeredgewidth=0.5, label=_short(entry.label)))
    return handles


def _draw(scene: GraphScene, max_labels: int, labels: list | None = None) -> Figure:
    """Draw the scene; node labels become matplotlib texts, or are appended to ``labels``
    as ``(x, y, text, font_pt, bold)`` in model units for a raster overlay (see :func:`_png`)."""
    width_in, height_in = BASE_SIZE_PX[0] / _BASE_DPI, BASE_SIZE_PX[1] / _BASE_DPI
    fig = Figure(figsize=(width_in, height_in), dpi=_BASE_DPI, facecolor="white")
    subtitle = scene.subtitle
    notes = list(scene.notes)
    n_labels = int((scene.nodes["label"].astype(str) != "").sum())
    if n_labels > max_labels:
        notes.append(f"Labels shown for the {max_labels} largest of {n_labels} entities.")
    if notes:
        subtitle = f"{subtitle}\n{' '.join(notes)}" if subtitle else " ".join(notes)
    subtitle_lines = [line for part in subtitle.split("\n") for line in textwrap.wrap(part, 150)][:3]
    top_in = 0.25 + (0.35 if scene.title else 0) + 0.2 * len(subtitle_lines)
    bottom_in = 0.4 if scene.footer else 0.15
    legend_in = 2.8 if scene.legend else 0.15
    left_in = 0.15
    ax = fig.add_axes([left_in / width_in, bottom_in / height_in,
                       (width_in - left_in - legend_in) / width_in, (height_in - top_in - bottom_in) / height_in])
    ax.set_axis_off()
    box_w_pt = (width_in - left_in - legend_in) * 72
    box_h_pt = (height_in - top_in - bottom_in) * 72
    nodes, edges = scene.nodes, scene.edges
    xlim, ylim, ppu = _frame(nodes, box_w_pt, box_h_pt)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)  # inverted: screen y points down

    position = {row.id: (row.x, row.y) for row in nodes.itertuples(index=False)}
    radius = dict(zip(nodes["id"], nodes["size"] / 2.0))
    if len(edges):
        known = edges["source"].isin(position) & edges["target"].isin(position)
        edges = edges[known]
        offsets = _parallel_offsets(edges)
        segments = {i: _shift(position[s], position[t], offsets[i])
                    for i, s, t in zip(edges.index, edges["source"], edges["target"])}
        # One compound path per style (widths rounded to 0.25 model px): one SVG/PDF element per
        # style instead of one per link, several times faster to write and to draw.
        style = pd.DataFrame({"dashed": edges["dashed"].astype(bool), "color": edges["color"],
                              "opacity": edges["opacity"].astype(float),
                              "width": (edges["width"].astype(float) * 4).round() / 4}, index=edges.index)
        for (dashed, color, opacity, width), group in style.groupby(["dashed", "color", "opacity", "width"], sort=True):
            vertices = np.array([point for i in group.index for point in segments[i]], dtype=float)
            codes = np.tile([MplPath.MOVETO, MplPath.LINETO], len(group))
            ax.add_artist(PathPatch(MplPath(vertices, codes), fill=False, edgecolor=to_rgba(color, opacity),
                                   linewidth=max(width * ppu, 0.25), linestyle=(0, (6, 3)) if dashed else "solid",
                                   capstyle="butt", zorder=1))
        arrows = edges[edges["arrow"].astype(bool)]
        for (color, opacity), group in arrows.groupby(["color", "opacity"], sort=True):
            heads = [_arrowhead(*segments[i], radius[t], w) for i, t, w in
                     zip(group.index, group["target"], group["width"])]
            heads = [h for h in heads if h is not None]
            if heads:
                vertices = np.array([p for h in heads for p in (*h, h[0])], dtype=float)
                codes = np.tile([MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY], len(heads))
                ax.add_artist(PathPatch(MplPath(vertices, codes), facecolor=to_rgba(color, opacity),
                                       edgecolor="none", zorder=1.5))
    if len(nodes):
        patches = [_patch(s, x, y, z) for s, x, y, z in zip(nodes["shape"], nodes["x"], nodes["y"], nodes["size"])]
        faces = [to_rgba(c, float(a)) for c, a in zip(nodes["color"], nodes["opacity"])]
        borders = [to_rgba(c, float(a)) for c, a in zip(nodes["border_color"], nodes["opacity"])]
        order = np.argsort(nodes["priority"].to_numpy(), kind="stable")  # highlighted nodes on top
        ax.add_collection(PatchCollection([patches[i] for i in order], facecolors=[faces[i] for i in order],
                                          edgecolors=[borders[i] for i in order],
                                          linewidths=[max(float(nodes["border_width"].iloc[i]) * ppu, 0.3) for i in order],
                                          zorder=2, match_original=False), autolim=False)
        labelled = nodes[nodes["label"].astype(str) != ""]
        if len(labelled) > max_labels:
            labelled = labelled.sort_values(["priority", "size"], ascending=False, kind="mergesort").head(max_labels)
        for row in labelled.itertuples(index=False):
            font_pt = min(max(row.label_size * ppu, _MIN_LABEL_PT), _MAX_LABEL_PT)
            if labels is not None:
                labels.append((row.x, row.y + row.size / 2 + 2, str(row.label), font_pt, bool(row.bold),
                               float(row.opacity)))
                continue
            # a figure-level Text in data coordinates: no per-label clip path to build (ax.text makes one)
            fig.add_artist(Text(row.x, row.y + row.size / 2 + 2, row.label, fontsize=font_pt, ha="center", va="top",
                                family=_FONT, color="#222222", zorder=3, parse_math=False, alpha=float(row.opacity),
                                weight="bold" if row.bold else "normal", transform=ax.transData,
                                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.7,
                                      "edgecolor": "none"}))
    if scene.title:
        fig.text(left_in / width_in, 1 - 0.2 / height_in, scene.title, fontsize=15, weight="bold",
                 va="top", ha="left", family=_FONT, parse_math=False)
    for i, line in enumerate(subtitle_lines):
        y = 1 - (0.2 + (0.35 if scene.title else 0) + 0.2 * i) / height_in
        fig.text(left_in / width_in, y, line, fontsize=10, va="top", ha="left", family=_FONT,
                 color="#333333", parse_math=False)
    if scene.footer:
        fig.text(left_in / width_in, 0.12 / height_in, scene.footer, fontsize=7.5, va="bottom", ha="left",
                 family=_FONT, color="#555555", parse_math=False)
    if scene.legend:
        legend = fig.legend(handles=_legend_handles(scene.legend), loc="upper left", frameon=False, fontsize=8.5,
                            bbox_to_anchor=(1 - (legend_in - 0.1) / width_in, 1 - top_in / height_in),
                            prop={"family": _FONT, "size": 8.5})
        for text in legend.get_texts():
            text.set_parse_math(False)
    return fig


def render_graph(scene: GraphScene, fmt: str = "png", scale: float = 2.0, max_labels: int | None = None) -> bytes:
    """Render ``scene`` and return the file's bytes.

    Parameters
    ----------
    scene : GraphScene
    fmt : {"png", "svg", "pdf"}
    scale : float
        PNG only: pixel multiple of the 1200 x 750 base (2 gives 2400 x 1500, 3 gives 3600 x 2250).
    max_labels : int, optional
        Most node labels drawn, largest nodes first (default: setting ``figure_labels``);
        the figure notes how many were left out.

    Raises
    ------
    ValueError
        For an unknown format or a scale outside 0.5-6.
    """
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown graph figure format {fmt!r}; choose one of {', '.join(FIGURE_FORMATS)}")
    if not 0.5 <= float(scale) <= 6:
        raise ValueError(f"scale must be between 0.5 and 6, got {scale}")
    # Type 3 PDF fonts embed 2x faster than TrueType (42) and keep the text extractable.
    rc = {"svg.fonttype": "none", "pdf.fonttype": 3, "svg.hashsalt": "khazali", "font.family": _FONT}
    max_labels = int(resolve("figure_labels") if max_labels is None else max_labels)
    # rc_context changes process-wide rcParams: one render at a time, so concurrent exports
    # (threaded server) cannot see each other's settings.
    with _RENDER_LOCK, matplotlib.rc_context(rc):
        if fmt == "png":
            return _png(scene, float(scale), max_labels)
        fig = _draw(scene, max_labels)
        buffer = io.BytesIO()
        if fmt == "svg":
            metadata = {"Creator": "Khazali Papers network explorer", "Title": scene.title, "Date": None}
        else:
            metadata = {"Creator": "Khazali Papers network explorer", "Title": scene.title}
        fig.savefig(buffer, format=fmt, dpi=_BASE_DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


@functools.lru_cache(maxsize=64)
def _pil_font(bold: bool, size_px: int):
    path = font_manager.findfont(font_manager.FontProperties(family=_FONT, weight="bold" if bold else "normal"))
    return ImageFont.truetype(path, size_px)


def _png(scene: GraphScene, scale: float, max_labels: int) -> bytes:
    """PNG: matplotlib (Agg) draws everything but node labels; Pillow's FreeType draws the labels
    (same DejaVu font, same place and size) about ten times faster than matplotlib's text layout."""
    labels: list = []
    fig = _draw(scene, max_labels, labels)
    dpi = _BASE_DPI * scale
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    if labels:
        ax = fig.axes[0]
        points = ax.transData.transform([(x, y) for x, y, *_ in labels])
        shade = Image.new("L", image.size, 0)
        shade_draw = ImageDraw.Draw(shade)
        placed = []
        for (px, py), (_, _, text, font_pt, bold, opacity) in zip(points, labels):
            font = _pil_font(bold, max(int(round(font_pt * dpi / 72.0)), 1))
            anchor = (float(px), float(height - py))
            left, top, right, bottom = shade_draw.textbbox(anchor, text, font=font, anchor="mt")
            pad = max(1, int(0.1 * font.size))
            shade_draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill=int(178 * opacity))
            # faded labels (opacity < 1, as Cytoscape fades unselected nodes): grey that matches alpha on white
            grey = int(round(0x22 + (255 - 0x22) * (1 - opacity)))
            placed.append((anchor, text, font, (grey, grey, grey)))
        image = Image.composite(Image.new("RGB", image.size, "white"), image, shade)
        draw = ImageDraw.Draw(image)
        for anchor, text, font, fill in placed:
            draw.text(anchor, text, font=font, fill=fill, anchor="mt")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "Khazali Papers network explorer")
    info.add_text("Title", scene.title)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()
