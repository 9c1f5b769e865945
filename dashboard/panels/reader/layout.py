"""The reader modal: document metadata, then every passage with its mentions marked."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.panels.excerpts.layout import claim_badge, marked_text, source_link

__all__ = ["layout", "document_body", "document_title"]


def document_title(doc: dict | None) -> str:
    """The modal title: the document's title as text."""
    return "Document not found" if doc is None else str(doc["title"])


def _header(doc: dict) -> html.Div:
    facts = []
    if doc.get("publisher"):
        facts.append(html.Span(doc["publisher"], className="reader-publisher"))
    if doc.get("published_label"):
        facts.append(html.Span(f"reported {doc['published_label']}"))
    if doc.get("kind"):
        facts.append(html.Span(str(doc["kind"])))
    if doc.get("n_pages"):
        facts.append(html.Span(f"{doc['n_pages']} pages"))
    facts.append(html.Span(f"{doc['n_passages']} passages, {len(doc['entities'])} entities mentioned"))
    link = source_link(doc.get("url"), doc.get("url_is_http", False), "original source")
    if link is not None:
        facts.append(link)
    out: list = []
    for i, f in enumerate(facts):
        if i:
            out.append(html.Span(" · ", className="sep"))
        out.append(f)
    return html.Div(out, className="reader-meta small text-muted")


def _passage(item: dict) -> list:
    parts: list = []
    if item.get("page_break") is not None:
        parts.append(html.Div(f"Page {item['page_break']}", className="reader-page-break"))
    classes = "reader-passage" + (" reader-target" if item.get("is_target") else "")
    parts.append(
        html.Div(
            [
                html.Div(
                    [claim_badge(item.get("claim_class"), item.get("claim_label")),
                     html.Span(f" event: {item['period']}", className="small text-muted")],
                    className="reader-passage-meta",
                ),
                html.P(marked_text(item["segments"], item["names"]),
                       className="reader-text"),
            ],
            className=classes,
            **{"data-passage": item["passage_id"]},
        )
    )
    return parts


def document_body(doc: dict | None) -> list:
    """The modal body for a :func:`dashboard.panels.reader.logic.document_view` dict."""
    if doc is None:
        return [html.Div("This document is not in the dataset.", className="text-muted")]
    body: list = [_header(doc), html.Div("Click a highlighted name to select that entity.",
                                         className="small text-muted reader-tip")]
    for item in doc["passages"]:
        body.extend(_passage(item))
    if not doc["passages"]:
        body.append(html.Div("This document has no passages.", className="text-muted"))
    return body


def layout(data=None) -> html.Div:
    """The reader modal (closed) and its stores: which passage to open, and where to scroll."""
    return html.Div(
        [
            dcc.Store(id="reader-target"),
            dcc.Store(id="reader-scroll"),
            dcc.Store(id="reader-scrolled"),
            dcc.Store(id="reader-follow"),  # the state, while the reader is open
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle(id="reader-title")),
                    dbc.ModalBody(id="reader-body", className="reader-body"),
                    dbc.ModalFooter(dbc.Button("Close", id="reader-close", color="secondary", size="sm")),
                ],
                id="reader",
                is_open=False,
                size="xl",
                scrollable=True,
            ),
        ],
        className="reader-panel",
    )
