"""The export formats and the one function that produces any of them from a view.

The app's export menu, the command line and the benchmarks all call
:func:`export_view`, so every path produces the same bytes for the same view.

===============  ===============================================  ==========================
format           content                                          needs
===============  ===============================================  ==========================
png, svg, pdf    graph figure (PNG at scale 2 or 3)               matplotlib
timeline-png/    timeline figure                                  kaleido + Chromium
-svg/-pdf
gexf             dynamic GEXF 1.2 (node start/end, edge spells)   networkx
graphml          GraphML                                          networkx
csv              zip archive: nodes.csv + edges.csv               pandas
evidence-csv     one row per (link, passage) with its citation    pandas
pptx             briefing deck                                    python-pptx (+ Chromium for
                                                                  the timeline slide)
===============  ===============================================  ==========================
"""

from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from typing import Callable, Mapping

from dashboard.export import briefing, data as data_exports
from dashboard.export.captions import entity_names, export_filename
from dashboard.export.figures import graph_scene, timeline_plotly
from dashboard.export.graph_figure import render_graph
from dashboard.export.timeline_figure import ChromiumNotFound, render_plotly

__all__ = ["ExportFormat", "ExportFile", "FORMATS", "export_view", "ChromiumNotFound"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, menu label, file extension, MIME type and file-name stem."""

    name: str
    label: str
    extension: str
    mime: str
    stem: str


@dataclass(frozen=True)
class ExportFile:
    """An export built in memory."""

    content: bytes
    filename: str
    mime: str


FORMATS: dict[str, ExportFormat] = {f.name: f for f in [
    ExportFormat("png", "Graph · PNG", "png", "image/png", "graph"),
    ExportFormat("svg", "Graph · SVG", "svg", "image/svg+xml", "graph"),
    ExportFormat("pdf", "Graph · PDF", "pdf", "application/pdf", "graph"),
    ExportFormat("timeline-png", "Timeline · PNG", "png", "image/png", "timeline"),
    ExportFormat("timeline-svg", "Timeline · SVG", "svg", "image/svg+xml", "timeline"),
    ExportFormat("timeline-pdf", "Timeline · PDF", "pdf", "application/pdf", "timeline"),
    ExportFormat("gexf", "Network · GEXF (Gephi, with timeline)", "gexf", "application/gexf+xml", "network"),
    ExportFormat("graphml", "Network · GraphML", "graphml", "application/graphml+xml", "network"),
    ExportFormat("csv", "Network · nodes + edges CSV (zip)", "zip", "application/zip", "network-csv"),
    ExportFormat("evidence-csv", "Evidence · CSV with citations", "csv", "text/csv", "evidence"),
    ExportFormat("pptx", "Briefing deck · PowerPoint", "pptx",
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation", "briefing"),
]}


def _content(fmt: str, data, view, state: Mapping, scale: float, exported: _dt.date,
             settings: Mapping | None, view_of) -> bytes:
    if fmt in ("png", "svg", "pdf"):
        return render_graph(graph_scene(view, data, state, exported, settings), fmt, scale)
    if fmt.startswith("timeline-"):
        return render_plotly(timeline_plotly(view, data, state, exported, view_of), fmt.split("-", 1)[1], scale)
    if fmt == "gexf":
        return data_exports.to_gexf(view, {"nodes": graph_scene(view, data, state, exported, settings).nodes})
    if fmt == "graphml":
        return data_exports.to_graphml(view)
    if fmt == "csv":
        return data_exports.to_csv_zip(view, entity_names(data))
    if fmt == "evidence-csv":
        return data_exports.to_evidence_csv(view, data)
    if fmt == "pptx":
        images = briefing.DeckImages(graph_png=render_graph(graph_scene(view, data, state, exported, settings), "png", 2))
        try:
            images.timeline_png = render_plotly(timeline_plotly(view, data, state, exported, view_of), "png", 2)
        except ChromiumNotFound as exc:
            images.timeline_note = f"Timeline not rendered: {exc}"
        except Exception as exc:  # noqa: BLE001 - a browser failure must not cost the whole deck
            _log.exception("timeline for the briefing deck failed")
            images.timeline_note = f"Timeline not rendered ({type(exc).__name__}); export it on its own to retry."
        return briefing.build_deck(view, data, state, images, exported)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_view(fmt: str, data, view, state: Mapping, *, scale: float = 2.0,
                exported: _dt.date | None = None, settings: Mapping | None = None,
                view_of: Callable[[Mapping], object] | None = None) -> ExportFile:
    """Build export ``fmt`` of ``view`` in memory.

    Parameters
    ----------
    fmt : str
        A key of :data:`FORMATS`.
    data : Tables
        The loaded dataset the view was made from.
    view : View
        The filtered view (``make_view`` / ``ViewCache.get``).
    state : mapping
        The view state, for titles and styling.
    scale : float
        Pixel multiple for PNG figures (2 or 3 for slides and print).
    exported : date, optional
        Date printed in footers and file names (default: today).
    settings : mapping, optional
        The app's resolved settings (``node_cap``, ``max_elements``), so the figure caps the
        graph as the screen does; missing names are resolved from :mod:`dashboard.settings`.
    view_of : callable, optional
        ``state -> View`` (the app's ``ViewCache.get``), for the other views a figure needs
        (the timeline draws the view without its period filter, as the panel does).

    Raises
    ------
    ValueError
        Unknown format or scale.
    ChromiumNotFound
        Timeline formats when no browser is installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    exported = exported or _dt.date.today()
    spec = FORMATS[fmt]
    stem = spec.stem if not (fmt == "png" and float(scale) != 2) else f"{spec.stem}-{float(scale):g}x"
    return ExportFile(_content(fmt, data, view, state, scale, exported, settings, view_of),
                      export_filename(data.title, stem, spec.extension, exported), spec.mime)
