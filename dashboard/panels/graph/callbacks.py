"""Graph panel wiring: draw the view, highlight the selection, tap to select.

:func:`register_callbacks` returns the panel's *initial props*: a function giving, for a
state, the values its page-load callbacks would write (the drawing, the stylesheet and the
keys that tell those callbacks the page already shows them). The server puts them in the page
layout (see :mod:`dashboard.web`), so the graph is drawn when the layout is, without waiting
for a callback round trip and for the other panels' answers that arrive with it.
"""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, html, no_update

from dashboard.analysis.colors import org_colors
from dashboard.analysis.view import limit_view
from dashboard.panels.graph import logic
from dashboard.panels.header.logic import stats_text
from dashboard.panels.paths import view_paths
from dashboard.state import filter_part, normalize_state

__all__ = ["register_callbacks", "DRAW_OUTPUTS", "HIGHLIGHT_OUTPUTS"]

#: What the drawing callback writes (the last two: the key of what is drawn, the header's counts).
DRAW_OUTPUTS = (("graph", "elements"), ("graph", "layout"), ("graph-legend", "children"),
                ("graph-notes", "children"), ("graph-empty", "children"), ("graph-empty", "style"),
                ("graph-drawn", "children"), ("graph-key", "data"), ("stats", "children"))
#: What the highlight callback writes.
HIGHLIGHT_OUTPUTS = (("graph", "stylesheet"), ("selection", "children"), ("graph-style-key", "data"))


def _legend(rows: dict) -> list:
    out = []
    for row in rows["colors"]:
        swatch = html.Span(className="swatch", style={"backgroundColor": row["color"]}) if row["color"] else None
        out.append(html.Div([swatch, html.Span(f"{row['label']} ({row['count']})")], className="legend-row"))
    shapes = [html.Span([html.Span(className=f"shape shape-{r['shape']}"), r["type"]], className="legend-shape")
              for r in rows["shapes"]]
    edges = [html.Span([html.Span(className="edge-swatch" + (" dashed" if r["dashed"] else ""),
                                  style={"borderTopColor": r["color"]}), r["label"]], className="legend-edge",
                       title=r.get("note"))
             for r in rows["edges"]]
    return [html.Div(out, className="legend-colors"), html.Div(shapes + edges, className="legend-kinds")]


def register_callbacks(app, data, cache):
    """Register the graph panel's callbacks on ``app``.

    Returns
    -------
    callable
        ``initial(state) -> {(id, prop): value}``: what the page-load callbacks would write
        for ``state`` (a normalized state), for the server to put in the page layout.
    """
    settings = cache.settings
    transform = logic.layout_transform(data.layout)
    orgs = org_colors(data.entities)
    names = dict(zip(data.entities["entity_id"], data.entities["name"]))

    def drawing(state: dict, relayout: bool) -> dict:
        def compute(view):
            ents, links, notes = limit_view(view, state["size_by"], int(settings["node_cap"]),
                                            int(settings["max_elements"]))
            colors = cache.memo("colors", state, state["color_by"],
                                lambda v: logic.colors_for(v.entities, state["color_by"], orgs))
            positions = None
            if relayout:
                if len(view.entities) <= int(settings["relayout_max"]):
                    positions = logic.relayout_positions(view.graph.subgraph(ents.index), int(settings["seed"]),
                                                         max(600.0, 120.0 * len(ents) ** 0.5))
                else:
                    notes = notes + [f"Re-layout is offered for views of at most {settings['relayout_max']} entities;"
                                     " filter further first."]
            return {
                "elements": logic.to_elements(ents, links, state["size_by"], colors, transform, positions),
                "legend": logic.legend_rows(ents, state["color_by"], orgs, names),
                "notes": list(view.notes) + notes,
                "drawn": f"{len(ents)} entities · {len(links)} links drawn",
                "empty": view.empty,
            }

        return cache.memo("drawing", state, (state["size_by"], state["color_by"], relayout), compute)

    def draw_outputs(state: dict, key, relayout_clicked: bool) -> tuple:
        view = cache.get(state)
        base_key = [repr(view.filters), state["size_by"], state["color_by"]]
        relayout = relayout_clicked or (isinstance(key, dict) and key.get("base") == base_key and key.get("relayout"))
        new_key = {"base": base_key, "relayout": bool(relayout)}
        if key == new_key:
            return (no_update,) * len(DRAW_OUTPUTS)
        d = drawing(state, bool(relayout))
        empty_style = {"display": "flex"} if d["empty"] else {"display": "none"}
        empty_text = "No entities match these filters." if d["empty"] else ""
        notes = [html.Div(n, className="note") for n in d["notes"] if not n.startswith("No entities match")]
        # fit to the nodes' box: the edges lie inside it, and their boxes (control points of every
        # edge) would be computed before the first frame only to be thrown away
        layout = {"name": "preset", "fit": True, "eles": "node", "padding": 30, "animate": False,
                  "_key": repr(new_key)}
        # the header's counts describe the same view: sent with the drawing, not by a request of their own
        return (d["elements"], layout, _legend(d["legend"]), notes, empty_text, empty_style, d["drawn"], new_key,
                stats_text(view.counts, view.total))

    @app.callback(
        *(Output(cid, prop) for cid, prop in DRAW_OUTPUTS),
        Input("state", "data"),
        Input("relayout", "n_clicks"),
        State("graph-key", "data"),
    )
    def draw(state, _clicks, key):
        return draw_outputs(normalize_state(state), key, ctx.triggered_id == "relayout")

    def selection_text(sel) -> str:
        if not sel:
            return "Nothing selected: tap a node or a link."
        if sel["type"] == "node":
            return f"Selected: {names.get(sel['id'], sel['id'])}"
        return f"Selected link: {names.get(sel['source'], sel['source'])} — {names.get(sel['target'], sel['target'])}"

    def highlight_outputs(state: dict, last_key) -> tuple:
        key = repr((filter_part(state), state["selected"], state["path"]))
        if key == last_key:  # restyling every element costs the browser; only when it changes
            return no_update, no_update, no_update

        def compute(view):
            path_edges = []
            if state["path"]:
                a, b = state["path"]["source"], state["path"]["target"]
                paths = view_paths(cache, state, a, b)
                if paths:
                    path_edges = [(h["source"], h["target"]) for h in paths[0]]
            return logic.base_stylesheet() + logic.selection_stylesheet(state["selected"], view.index, path_edges)

        sheet = cache.memo("stylesheet", state, repr((state["selected"], state["path"])), compute)
        return sheet, selection_text(state["selected"]), key

    @app.callback(
        *(Output(cid, prop) for cid, prop in HIGHLIGHT_OUTPUTS),
        Input("state", "data"),
        State("graph-style-key", "data"),
    )
    def highlight(state, last_key):
        """The selection's highlight (and the path's) and the line naming the selection."""
        return highlight_outputs(normalize_state(state), last_key)

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("graph", "tapNodeData"),
        Input("graph", "tapEdgeData"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def tap(node, edge, state):
        state = normalize_state(state)
        prop = ctx.triggered[0]["prop_id"] if ctx.triggered else ""
        if prop.endswith("tapNodeData") and isinstance(node, dict):
            selected = {"type": "node", "id": node.get("id")}
        elif prop.endswith("tapEdgeData") and isinstance(edge, dict):
            selected = {"type": "edge", "source": edge.get("source"), "target": edge.get("target")}
        else:
            return no_update
        new = normalize_state({**state, "selected": selected, "page": 1})
        return new if new != state else no_update

    # state → controls is a pure echo, done in the browser (only a changed value is written, and
    # only then does the server callback below run, finding the state unchanged)
    app.clientside_callback(
        """function(state, sizeBy, colorBy) {
            var no = window.dash_clientside.no_update;
            state = state || {};
            var s = state.size_by || 'degree', c = state.color_by || 'community';
            return [s !== sizeBy ? s : no, c !== colorBy ? c : no];
        }""",
        Output("size-by", "value"),
        Output("color-by", "value"),
        Input("state", "data"),
        State("size-by", "value"),
        State("color-by", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("size-by", "value"),
        Input("color-by", "value"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def choose_measures(size_by, color_by, state):
        """The size and colour controls → state."""
        state = normalize_state(state)
        new = normalize_state({**state, "size_by": size_by, "color_by": color_by})
        return new if new != state else no_update

    app.clientside_callback(
        ClientsideFunction(namespace="khazali", function_name="center"),
        Output("graph-center-done", "data"),
        Input("graph-center", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="khazali", function_name="fit"),
        Output("graph-center-done", "data", allow_duplicate=True),
        Input("graph-fit", "n_clicks"),
        prevent_initial_call=True,
    )

    def initial(state: dict) -> dict:
        values = zip(DRAW_OUTPUTS, draw_outputs(state, None, False))
        out = {k: v for k, v in values}
        out.update(zip(HIGHLIGHT_OUTPUTS, highlight_outputs(state, None)))
        return out

    return initial
