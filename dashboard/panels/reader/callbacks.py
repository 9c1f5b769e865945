"""Wiring of the reader: open at a passage, render, scroll it into view, select mentions."""

from __future__ import annotations

import time

from dash import Input, Output, State, ctx, no_update

from dashboard.panels.excerpts.logic import selected_entities
from dashboard.panels.reader.layout import document_body, document_title
from dashboard.panels.reader.logic import document_view, resolve_target

__all__ = ["register_callbacks", "target_from_click"]

# Scroll the opened passage into view once the modal has rendered it (it fades in, and the
# body arrives in the same round trip, so retry briefly until the element exists).
_SCROLL_JS = """
function(request) {
    if (!request || !request.passage) { return window.dash_clientside.no_update; }
    var tries = 0;
    function go() {
        var sel = '[data-passage="' + CSS.escape(request.passage) + '"].reader-passage';
        var el = document.querySelector(sel);
        if (el && el.offsetParent !== null) {
            el.scrollIntoView({block: "center"});
        } else if (tries++ < 40) {
            setTimeout(go, 75);
        }
    }
    setTimeout(go, 50);
    return request.passage;
}
"""


def target_from_click(triggered_id, doc_click, click_data) -> dict | None:
    """Return ``{"doc", "passage"}`` from an excerpt title click or a timeline point click."""
    if triggered_id == "doc-click":
        if not isinstance(doc_click, dict) or not doc_click.get("passage"):
            return None
        return {"doc": doc_click.get("doc"), "passage": doc_click.get("passage")}
    if triggered_id == "timeline" and isinstance(click_data, dict):
        points = click_data.get("points") or []
        if points and isinstance(points[0].get("customdata"), (list, tuple)) and len(points[0]["customdata"]) >= 4:
            return {"doc": None, "passage": points[0]["customdata"][3]}
    return None


def register_callbacks(app, data, cache) -> None:
    """Register the reader's callbacks on ``app``."""

    @app.callback(
        Output("reader-target", "data"),
        Output("reader", "is_open"),
        Input("doc-click", "data"),
        Input("timeline", "clickData"),
        Input("reader-close", "n_clicks"),
        prevent_initial_call=True,
    )
    def open_reader(doc_click, click_data, _close):
        if ctx.triggered_id == "reader-close":
            return no_update, False
        target = target_from_click(ctx.triggered_id, doc_click, click_data)
        if target is None:
            return no_update, no_update
        doc, passage = resolve_target(data, target.get("doc"), target.get("passage"))
        if doc is None:
            return no_update, no_update
        return {"doc": doc, "passage": passage, "nonce": time.time()}, True

    # the open reader follows the state (a click on a name re-marks the selection); a closed one
    # does not ask the server anything
    app.clientside_callback(
        """function(state, isOpen) { return isOpen ? state : window.dash_clientside.no_update; }""",
        Output("reader-follow", "data"),
        Input("state", "data"),
        State("reader", "is_open"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("reader-title", "children"),
        Output("reader-body", "children"),
        Output("reader-scroll", "data"),
        Input("reader-target", "data"),
        Input("reader-follow", "data"),
        State("state", "data"),
        State("reader", "is_open"),
        prevent_initial_call=True,
    )
    def render_reader(target, _follow, state, is_open):
        if not isinstance(target, dict) or not target:
            return no_update, no_update, no_update
        from_state = ctx.triggered_id == "reader-follow"
        if from_state and not is_open:
            return no_update, no_update, no_update
        emphasized = selected_entities((state or {}).get("selected"))
        doc = document_view(data, target.get("doc"), emphasized, target.get("passage"))
        scroll = no_update if from_state else {"passage": target.get("passage"), "nonce": target.get("nonce")}
        return document_title(doc), document_body(doc), scroll

    app.clientside_callback(_SCROLL_JS, Output("reader-scrolled", "data"), Input("reader-scroll", "data"))
