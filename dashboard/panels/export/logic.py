"""Pure logic of the export menu: which button makes which file, built in memory from the state.

No Dash imports: the callback passes the button id and the browser's state here and
hands the returned bytes to ``dcc.send_bytes``. Nothing from the request names a file
on the server; the state is normalized before it reaches the view cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.export.formats import ExportFile, export_view
from dashboard.state import normalize_state

__all__ = ["MenuItem", "MENU", "BUTTONS", "build_download", "success_message"]


@dataclass(frozen=True)
class MenuItem:
    """One entry of the export menu."""

    id: str
    label: str
    format: str
    scale: float = 2.0
    group: str = ""


MENU: tuple[MenuItem, ...] = (
    MenuItem("export-png", "PNG (2×, slides)", "png", 2.0, "Graph figure"),
    MenuItem("export-png-3x", "PNG (3×, print)", "png", 3.0, "Graph figure"),
    MenuItem("export-svg", "SVG (vector)", "svg", group="Graph figure"),
    MenuItem("export-pdf", "PDF (vector)", "pdf", group="Graph figure"),
    MenuItem("export-timeline-png", "PNG (2×)", "timeline-png", 2.0, "Timeline"),
    MenuItem("export-timeline-svg", "SVG", "timeline-svg", group="Timeline"),
    MenuItem("export-timeline-pdf", "PDF", "timeline-pdf", group="Timeline"),
    MenuItem("export-gexf", "GEXF (Gephi, with timeline)", "gexf", group="Network data"),
    MenuItem("export-graphml", "GraphML", "graphml", group="Network data"),
    MenuItem("export-csv", "Nodes + edges CSV (zip)", "csv", group="Network data"),
    MenuItem("export-evidence-csv", "Evidence CSV (passages + citations)", "evidence-csv", group="Evidence"),
    MenuItem("export-pptx", "Briefing deck (PowerPoint)", "pptx", group="Briefing"),
)
BUTTONS: dict[str, MenuItem] = {item.id: item for item in MENU}


def build_download(button_id: str, data, cache, state: Any) -> ExportFile:
    """Build the file of menu entry ``button_id`` for the view of ``state``.

    Parameters
    ----------
    button_id : str
        An id of :data:`BUTTONS`.
    data : Tables
    cache : ViewCache
        The app's view cache (``get(state) -> View``).
    state : Any
        The browser's state (untrusted; normalized here).

    Raises
    ------
    KeyError
        For an id that is not a menu entry.
    dashboard.export.formats.ChromiumNotFound
        Timeline exports without a browser on the server.
    """
    item = BUTTONS[button_id]
    state = normalize_state(state)
    view = cache.get(state)
    return export_view(item.format, data, view, state, scale=item.scale, settings=getattr(cache, "settings", None),
                       view_of=cache.get)


def success_message(result: ExportFile) -> str:
    """The status line shown after a download."""
    size = len(result.content)
    human = f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size // 1024, 1)} KB"
    return f"Exported {result.filename} ({human})."
