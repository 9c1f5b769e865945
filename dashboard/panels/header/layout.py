"""Header: dataset title, search, visible/total counts, Reset, About."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.panels.header.logic import ABOUT_SECTIONS, source_summary

__all__ = ["layout"]


def _about_body(data) -> list:
    out = []
    for heading, paragraphs in ABOUT_SECTIONS:
        out.append(html.H6(heading, className="mt-2"))
        out.extend(html.P(p, className="small mb-1") for p in paragraphs)
    sources = source_summary(data.documents)
    if sources:
        out.append(html.H6(f"Sources of this dataset ({len(data.documents)} documents)", className="mt-2"))
        out.append(html.Ul([html.Li(line) for line in sources], className="small mb-1"))
        out.append(html.P("Every passage in the Evidence panel links to its source document.", className="small"))
    return out


def layout(data, search=None, tools=None) -> html.Div:
    """The header bar; ``search`` (the search panel) and ``tools`` (e.g. the export menu) are placed in it."""
    return html.Div(
        [
            html.Div([html.H1(data.title, id="title", className="app-title"),
                      html.Div("network explorer", className="app-subtitle")], className="title-block"),
            html.Div(search, className="header-search") if search is not None else None,
            html.Div(id="stats", className="stats small"),
            html.Div(tools, className="header-tools") if tools is not None else None,
            dbc.Button("Reset", id="reset", size="sm", color="secondary", outline=True, className="ms-2",
                       title="Clear every filter and the selection"),
            dbc.Button("About", id="about", size="sm", color="info", outline=True, className="ms-2"),
            dbc.Modal(
                [dbc.ModalHeader(dbc.ModalTitle("About this explorer")), dbc.ModalBody(_about_body(data), id="about-body")],
                id="about-modal", is_open=False, size="lg", scrollable=True,
            ),
        ],
        id="header",
        className="app-header",
    )
