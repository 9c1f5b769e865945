"""Components of the excerpt panel, and the evidence renderers the reader shares.

Every piece of document text, title, name and URL goes into components as a child
string or a plain attribute, never as HTML; only ``http(s)`` URLs become links.

The cards of the list are built in Dash's JSON form of ``html`` components (``{"type",
"namespace", "props"}``, what a component object serialises to and all the browser ever
receives): a page holds about a hundred elements, and constructing them as component
objects and then serialising them (through plotly's value-by-value encoder, as orjson
cannot write objects) cost several times the rest of the callback. :func:`as_component`
turns such a node back into the component object (the reader's renderers, tests).
"""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.panels.excerpts.logic import CLAIM_COLORS

__all__ = [
    "layout",
    "marked_text",
    "clickable",
    "claim_badge",
    "source_link",
    "excerpt_card",
    "excerpt_list",
    "count_label",
    "as_component",
    "html_node",
]

_SAFE_CLASS = re.compile(r"[^a-z0-9-]")
_HTML = "dash_html_components"


def html_node(tag: str, children=None, **props) -> dict:
    """``html.<tag>(children, **props)`` in Dash's JSON form (the props given, nothing else)."""
    if children is not None:
        props = {"children": children, **props}
    return {"type": tag, "namespace": _HTML, "props": props}


def as_component(node):
    """The ``html`` component object of a JSON node (children converted too); strings as they are."""
    if isinstance(node, list):
        return [as_component(n) for n in node]
    if not isinstance(node, dict) or node.get("namespace") != _HTML:
        return node
    props = dict(node["props"])
    if "children" in props:
        props["children"] = as_component(props["children"])
    return getattr(html, node["type"])(**props)


def _badge(claim_class: str | None, label: str | None) -> dict:
    cls = _SAFE_CLASS.sub("", str(claim_class or "unclassified").lower())
    return html_node("Span", label or "unclassified", className=f"badge claim-badge claim-{cls}",
                     style={"backgroundColor": CLAIM_COLORS.get(claim_class, "#777777")},
                     title=f"claim class: {claim_class or 'unclassified'}")


def claim_badge(claim_class: str | None, label: str | None) -> html.Span:
    """A coloured badge naming the claim class (colour and text, never colour alone)."""
    return as_component(_badge(claim_class, label))


def _link(url: str | None, is_http: bool, label: str = "source") -> dict | None:
    if not url:
        return None
    if is_http:
        return html_node("A", label, href=url, target="_blank", rel="noopener noreferrer", className="source-link",
                         title=url)
    return html_node("Span", f"{label}: {url}", className="source-text")


def source_link(url: str | None, is_http: bool, label: str = "source") -> html.Span | html.A | None:
    """A link for an ``http(s)`` URL (new tab, no opener); other values as plain text."""
    return as_component(_link(url, is_http, label))


def clickable(kind: str, **values: str) -> dict:
    """``data-*`` attributes that make an element clickable for ``assets/khazali.js``.

    One click handler on the page reads them and writes the click to a store
    (``kind`` ``"entity"`` → ``entity-click``, ``"doc"`` → ``doc-click``, ``"hop"`` →
    ``hop-click``): no pattern-matching callback per mark, so none fires when marks appear.

    >>> clickable("entity", entity="qais")
    {'data-click': 'entity', 'data-entity': 'qais'}
    """
    return {"data-click": kind, **{f"data-{k}": str(v) for k, v in values.items()}}


def _marked(segments: list[dict], names: dict) -> list:
    out: list = []
    for seg in segments:
        eid = seg["entity_id"]
        if eid is None:
            out.append(seg["text"])
            continue
        cls = "mention mention-selected" if seg["emphasized"] else "mention"
        out.append(html_node("Mark", seg["text"], className=cls, title=str(names.get(eid, eid)), role="button",
                             **clickable("entity", entity=eid)))
    return out


def marked_text(segments: list[dict], names: dict) -> list:
    """Turn highlight segments into strings and clickable ``html.Mark`` components.

    Parameters
    ----------
    segments : list of dict
        From :func:`dashboard.panels.highlight.segments`.
    names : dict
        Entity id → display name (the mark's tooltip).

    A mark carries its entity in ``data-entity`` (see :func:`clickable`); a click selects it.
    """
    return as_component(_marked(segments, names))


def _meta(item: dict) -> list:
    """Publisher, report date, event period, page and source as one line of text (and the link).

    Plain strings joined by `` · ``, not a span per field and separator: a page of cards is
    sent and rendered as a few elements each, not twenty.
    """
    parts: list[str] = []
    if item.get("publisher"):
        parts.append(str(item["publisher"]))
    if item.get("published_label"):
        parts.append(f"reported {item['published_label']}")
    parts.append(f"event: {item['period']}")
    if item.get("page") is not None:
        parts.append(f"p. {item['page']}")
    link = _link(item.get("url"), item.get("url_is_http", False))
    text = " · ".join(parts)
    return [text] if link is None else [text + " · ", link]


def _relation(r: dict) -> dict:
    return html_node("Div", [html_node("Span", "relation ", className="text-muted"), str(r["source_name"]),
                             html_node("Span", f" — {r['relation']} → ", className="rel-type"), str(r["target_name"])],
                     className="excerpt-relation")


def excerpt_card(item: dict) -> dict:
    """One passage: title (opens the reader), metadata, claim badge, relations, marked text.

    Returns the card's ``html.Div`` in Dash's JSON form (see the module notes; :func:`as_component`).
    """
    title = html_node("Button", item["title"], className="btn btn-link excerpt-title",
                      title="Open the document at this passage",
                      **clickable("doc", doc=item["doc_id"], passage=item["passage_id"]))
    head = html_node("Div", [_badge(item.get("claim_class"), item.get("claim_label")), title], className="excerpt-head")
    return html_node("Div", [head, html_node("Div", _meta(item), className="excerpt-meta small text-muted"),
                             *[_relation(r) for r in item.get("relations", [])],
                             html_node("P", _marked(item["segments"], item["names"]), className="excerpt-text")],
                     className="excerpt", **{"data-passage": item["passage_id"]})


def count_label(total: int, mode: str, names: list[str], page: int = 1, page_size: int | None = None) -> str:
    """The panel's heading line: how many passages, behind what (and which are shown)."""
    noun = "passage" if total == 1 else "passages"
    if mode == "edge" and len(names) == 2:
        text = f"{total} {noun} linking {names[0]} and {names[1]}"
    elif mode == "node" and names:
        text = f"{total} {noun} mentioning {names[0]}"
    else:
        text = f"{total} {noun} in this view, strongest evidence first"
    if page_size and total > page_size:
        first = (page - 1) * page_size + 1
        text += f" · showing {first}–{min(page * page_size, total)}"
    return text


def excerpt_list(items: list[dict], hint: str | None = None) -> list:
    """The panel body: an optional hint, then the cards (or an empty-state message), as JSON nodes."""
    body: list = []
    if hint:
        body.append(html_node("Div", hint, className="excerpts-hint small text-muted"))
    if not items:
        body.append(html_node("Div", "No passages in the current view.", className="excerpts-empty text-muted"))
    body.extend(excerpt_card(i) for i in items)
    return body


def layout(data=None) -> html.Div:
    """The excerpt panel: heading with the count, the list, and pagination."""
    return html.Div(
        [
            html.Div(
                [html.H6("Evidence", className="panel-title"), html.Span(id="excerpts-count", className="small")],
                className="panel-head",
            ),
            html.Div(id="excerpts", className="excerpts-list"),
            dcc.Store(id="excerpts-key"),  # what the list shows: re-render only when it changes
            dbc.Pagination(id="excerpts-pages", max_value=1, active_page=1, fully_expanded=False,
                           first_last=True, previous_next=True, size="sm", className="mt-2 mb-0"),
        ],
        id="excerpts-panel",
        className="panel excerpts-panel",
    )
