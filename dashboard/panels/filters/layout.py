"""Filters sidebar: organization, period, types, link kinds, relations, claims, evidence, community,
focus and path."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.panels.filters import logic
from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES, LINK_KINDS

__all__ = ["layout", "seed", "CLAIM_HELP"]

CLAIM_HELP = {
    "reports": "the source attributes it to the interrogation reports",
    "analysis": "an analyst's inference from the reports",
    "official": "2007 official statements",
    "background": "background reporting",
}


def _section(title: str, *children, help_text: str | None = None) -> html.Div:
    head = [html.Div(title, className="filter-title")]
    if help_text:
        head.append(html.Div(help_text, className="filter-help"))
    return html.Div(head + list(children), className="filter-section")


def layout(data) -> html.Div:
    """The filters sidebar."""
    bounds = logic.year_bounds(data.passages)
    if bounds:
        lo, hi = bounds
        marks = logic.year_marks(lo, hi)
        period = dcc.RangeSlider(id="filter-period", min=lo, max=hi, step=1, value=[lo, hi], marks=marks,
                                 allowCross=False, tooltip={"placement": "bottom", "always_visible": False})
    else:
        period = dcc.RangeSlider(id="filter-period", min=0, max=1, value=[0, 1], disabled=True)
    max_w = int(data.links["n_passages"].max()) if len(data.links) else 1
    max_w = max(2, min(20, max_w))
    return html.Div(
        [
            _section("Organization",
                     dcc.Dropdown(id="filter-org", options=logic.org_options(data.entities), multi=True,
                                  placeholder="Any organization"),
                     dbc.Checklist(id="filter-hops", options=[{"label": "plus one hop of neighbours", "value": 1}],
                                   value=[], switch=True, className="small"),
                     help_text="Keeps the organization and its affiliated members."),
            _section("Period (event dates)", period, html.Div(id="period-text", className="filter-help"),
                     help_text="Passages whose dates overlap the period; undated passages drop out."),
            _section("Entity types",
                     dbc.Checklist(id="filter-types", options=[{"label": t, "value": t} for t in ENTITY_TYPES],
                                   value=[], inline=True, className="small")),
            _section("Link kinds",
                     dbc.Checklist(id="filter-kinds", options=[{"label": k, "value": k} for k in LINK_KINDS],
                                   value=[], inline=True, className="small"),
                     dcc.Dropdown(id="filter-relations", options=logic.relation_options(data.relations), multi=True,
                                  placeholder="Any relation type")),
            _section("Claim classes",
                     dbc.Checklist(id="filter-claims",
                                   options=[{"label": html.Span(c, title=CLAIM_HELP[c]), "value": c}
                                            for c in CLAIM_CLASSES],
                                   value=[], className="small")),
            _section("Minimum evidence per link (passages)",
                     dcc.Slider(id="filter-min-weight", min=1, max=max_w, step=1, value=1,
                                marks={i: str(i) for i in range(1, max_w + 1, max(1, max_w // 5))})),
            _section("Community",
                     dcc.Dropdown(id="filter-community", options=logic.community_options(data.entities),
                                  placeholder="Any community")),
            _section("Focus on the selection",
                     dbc.ButtonGroup([dbc.Button("Focus", id="focus-on", size="sm", color="primary", outline=True),
                                      dbc.Button("Clear", id="focus-clear", size="sm", color="secondary",
                                                 outline=True)], className="me-2"),
                     dbc.RadioItems(id="focus-depth", options=[{"label": "1 step", "value": 1},
                                                               {"label": "2 steps", "value": 2}],
                                    value=1, inline=True, className="small d-inline-block"),
                     html.Div(id="focus-text", className="filter-help")),
            _section("Path between two entities",
                     # options come from the server as the user types (every entity in the page
                     # would weigh hundreds of kB and cost the browser seconds to index)
                     dcc.Dropdown(id="path-from", options=[], placeholder="From (type a name)"),
                     dcc.Dropdown(id="path-to", options=[], placeholder="To (type a name)", className="mt-1"),
                     html.Div(id="path-result", className="path-result small")),
            dcc.Store(id="filters-notes-key"),
            dcc.Store(id="hop-click"),  # written by assets/khazali.js when a path hop is clicked  # what the three notes show: re-render only what changes
        ],
        id="filters",
        className="panel filters-panel",
    )


def seed(data, state: dict) -> dict:
    """Control values showing ``state``, for a page served with a state (``{(id, prop): value}``)."""
    from dashboard.panels.index import cached
    from dashboard.panels.search.logic import SearchIndex

    values = dict(zip(((k, "value") for k in logic.CONTROL_KEYS),
                      logic.controls_from_state(state, logic.year_bounds(data.passages))))
    index = cached(data, "search_index", lambda: SearchIndex(data.entities))
    for cid in ("path-from", "path-to"):  # a dropdown shows its value only with its option
        option = index.option(values[(cid, "value")]) if values[(cid, "value")] else None
        if option:
            values[(cid, "options")] = [option]
    if values[("filter-period", "value")] is None:
        del values[("filter-period", "value")]
    return values
