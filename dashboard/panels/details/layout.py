"""Components of the details panel: an entity card, a link card, or a hint.

The cards are built in Dash's JSON form of ``html`` components, as the excerpt list is
(see :mod:`dashboard.panels.excerpts.layout`): an entity's card lists up to thirty
neighbours, a hundred elements that cost more as component objects than the details
themselves; :func:`~dashboard.panels.excerpts.layout.as_component` gives the objects back.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.panels.excerpts.layout import as_component, clickable, html_node
from dashboard.panels.rankings.logic import format_metric

__all__ = ["layout", "entity_card", "edge_card", "empty_card", "empty_card_node"]


def _entity_button(role: str, eid: str, label: str, extra=None) -> dict:
    """A name that selects its entity when clicked (``role``: affiliation, neighbor, edge-end)."""
    return html_node(
        "Button",
        [label, *([extra] if extra is not None else [])],
        className=f"btn btn-link entity-link entity-{role}",
        title="Select this entity",
        **clickable("entity", entity=eid),
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _row(label: str, value) -> dict:
    return html_node("Tr", [html_node("Th", label, className="details-key"),
                            html_node("Td", value, className="details-value")])


def _empty() -> dict:
    return html_node(
        "Div",
        "Nothing selected. Click a node or a link in the graph, a row in the rankings, or a highlighted "
        "name in the evidence.",
        className="details-empty text-muted small",
    )


def empty_card() -> html.Div:
    """What the panel says when nothing is selected (a component; :func:`empty_card_node` as JSON)."""
    return as_component(_empty())


def empty_card_node() -> dict:
    """:func:`empty_card` in Dash's JSON form (what the callback sends)."""
    return _empty()


def _metric_text(m: dict) -> str:
    text = f"{m['display']}"
    if m.get("rank") is not None:
        text += f" (#{m['rank']} of {m['of']})"
    if m.get("approx"):
        text += " ≈ approximate"
    return text


def entity_card(d: dict) -> dict:
    """The profile of a selected entity (see ``details.logic.entity_details``), as a JSON node."""
    rows = [_row("type", d.get("type") or "–")]
    if d["aliases"]:
        rows.append(_row("aliases", ", ".join(d["aliases"])))
    if d["affiliations"]:
        parts: list = []
        linked: set[str] = set()  # link each entity once
        for i, a in enumerate(d["affiliations"]):
            if i:
                parts.append(", ")
            if a["entity_id"] and a["entity_id"] not in linked:
                linked.add(a["entity_id"])
                parts.append(_entity_button("affiliation", a["entity_id"], a["name"]))
            else:
                parts.append(a["name"])
        rows.append(_row("affiliations", parts))
    if d.get("community") is not None:
        rows.append(_row("community", str(d["community"])))
    if d.get("n_passages") is not None:
        rows.append(_row("evidence", f"{_plural(d['n_passages'], 'passage')} in {_plural(d['n_documents'], 'document')}, {d['period']}"))
    scope = "in the current view" if d["in_view"] else "in the whole dataset (not in the current view)"
    metric_rows = [_row(m["label"], _metric_text(m)) for m in d["metrics"]]
    neighbors = [
        html_node(
            "Li",
            [
                _entity_button("neighbor", n["entity_id"], str(n["name"])),
                html_node(
                    "Span",
                    f" weight {format_metric(n['weight'])} · {_plural(n['n_passages'], 'passage')}"
                    + (f" · {', '.join(n['relations'])}" if n["relations"] else ""),
                    className="small text-muted",
                ),
            ],
            className="neighbor",
        )
        for n in d["neighbors"]
    ]
    more = d["n_neighbors"] - len(d["neighbors"])
    return html_node(
        "Div",
        [
            html_node("H5", d["name"], className="details-name"),
            html_node("Div", d["description"], className="details-description") if d.get("description") else None,
            html_node("Table", html_node("Tbody", rows), className="details-table"),
            html_node("H6", f"Measures {scope}", className="details-sub"),
            html_node("Table", html_node("Tbody", metric_rows), className="details-table details-metrics"),
            html_node("H6", f"Neighbours by evidence ({d['n_neighbors']})", className="details-sub"),
            html_node("Ol", neighbors, className="details-neighbors") if neighbors
            else html_node("Div", "No links in the current view.", className="small text-muted"),
            html_node("Div", f"and {more} more", className="small text-muted") if more > 0 else None,
        ],
        className="details-entity",
    )


def edge_card(d: dict) -> dict:
    """The description of a selected link (see ``details.logic.edge_details``), as a JSON node."""
    a, b = d["ends"]
    relations = [
        html_node("Li", f"{r['source_name']} — {r['relation']} → {r['target_name']} "
                        f"({_plural(r['n_passages'], 'passage')})")
        for r in d["relations"]
    ]
    claims = ", ".join(f"{k} {v}" for k, v in sorted(d["claims"].items()))
    rows = [
        _row("kinds", ", ".join(d["kinds"]) or "–"),
        _row("evidence", f"{_plural(d['n_passages'], 'passage')} in {_plural(d['n_documents'], 'document')}"),
        _row("period", d["period"]),
    ]
    if claims:
        rows.append(_row("claim classes", claims))
    return html_node(
        "Div",
        [
            html_node(
                "H5",
                [_entity_button("edge-end", a["entity_id"], a["name"]), " — ",
                 _entity_button("edge-end", b["entity_id"], b["name"])],
                className="details-name",
            ),
            html_node("Div", "No evidence for this link in the current view.", className="small text-warning")
            if not d["in_view"] else None,
            html_node("Table", html_node("Tbody", rows), className="details-table"),
            html_node("H6", "Relations", className="details-sub") if relations else None,
            html_node("Ul", relations, className="details-relations") if relations else None,
        ],
        className="details-edge",
    )


def layout(data=None) -> html.Div:
    """The details panel: a heading and the container the callback fills."""
    return html.Div(
        [html.H6("Details", className="panel-title"), html.Div(empty_card(), id="details"),
         dcc.Store(id="details-key")],  # what the card shows: re-render only when it changes
        id="details-panel",
        className="panel details-panel",
    )
