"""Components of the export menu: a dropdown of export entries, the download and a status line."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.panels.export.logic import MENU

__all__ = ["layout"]


def layout(data=None) -> html.Div:
    """Return the export menu (``export-*`` ids) with ``dcc.Download(id="export-download")``."""
    items: list = []
    group = None
    for item in MENU:
        if item.group != group:
            if group is not None:
                items.append(dbc.DropdownMenuItem(divider=True))
            items.append(dbc.DropdownMenuItem(item.group, header=True))
            group = item.group
        items.append(dbc.DropdownMenuItem(item.label, id=item.id, n_clicks=0))
    return html.Div(
        [
            dbc.DropdownMenu(items, id="export-menu", label="Export", color="secondary", size="sm",
                             align_end=True),
            dcc.Loading(html.Span(id="export-status", className="small text-muted ms-2", role="status"),
                        type="circle", delay_show=300),
            dcc.Download(id="export-download"),
        ],
        id="export-panel",
        className="d-flex align-items-center",
    )
