"""Filters wiring: controls ↔ state (one synchronised callback), focus buttons, paths."""

from __future__ import annotations

from dash import Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.panels.excerpts.layout import clickable
from dashboard.panels.filters import logic
from dashboard.panels.index import cached
from dashboard.panels.paths import view_paths
from dashboard.panels.search.logic import SearchIndex
from dashboard.state import filter_part, normalize_state

__all__ = ["register_callbacks"]


def register_callbacks(app, data, cache) -> None:
    """Register the filter callbacks on ``app``."""
    bounds = logic.year_bounds(data.passages)
    names = dict(zip(data.entities["entity_id"], data.entities["name"]))
    index = cached(data, "search_index", lambda: SearchIndex(data.entities))

    @app.callback(
        *[Output(k, "value") for k in logic.CONTROL_KEYS],
        Output("state", "data", allow_duplicate=True),
        Output("path-from", "options", allow_duplicate=True),
        Output("path-to", "options", allow_duplicate=True),
        *[Input(k, "value") for k in logic.CONTROL_KEYS],
        Input("state", "data"),
        prevent_initial_call=True,
    )
    def sync(*args):
        values, state = args[:-1], normalize_state(args[-1])
        if ctx.triggered_id == "state":
            shown = logic.controls_from_state(state, bounds)
            out = [s if s != v else no_update for s, v in zip(shown, values)]
            # a path end set from the URL needs its option, or the dropdown shows nothing
            options = [[o] if v is not no_update and (o := index.option(v)) else no_update for v in out[-2:]]
            return (*out, no_update, *options)
        new = logic.state_from_controls(state, tuple(values), bounds)
        return (*[no_update] * len(values), new if new != state else no_update, no_update, no_update)

    @app.callback(
        Output("path-from", "options", allow_duplicate=True),
        Output("path-to", "options", allow_duplicate=True),
        Input("path-from", "search_value"),
        Input("path-to", "search_value"),
        State("path-from", "value"),
        State("path-to", "value"),
        prevent_initial_call=True,
    )
    def path_options(query_from, query_to, value_from, value_to):
        """Entities matching what the user types in a path dropdown (name or alias, with typos)."""
        which = ctx.triggered_id
        query, value = (query_from, value_from) if which == "path-from" else (query_to, value_to)
        if not query:
            raise PreventUpdate
        found = index.options(query, value)
        return (found, no_update) if which == "path-from" else (no_update, found)

    def period_text(s) -> str:
        if not (s["start"] or s["end"]):
            return "All dates, undated passages included."
        view = cache.get(s)
        undated = [n for n in view.notes if "undated" in n]
        return f"{s['start'] or '…'} to {s['end'] or '…'}. " + " ".join(undated)

    def focus_text(s) -> str:
        if not s["focus"]:
            return "Select an entity, then Focus to see its neighbourhood."
        return f"Showing {names.get(s['focus'], s['focus'])} and entities up to {s['depth']} step(s) away."

    def path_result(s):
        if not s["path"]:
            return ""
        a, b = s["path"]["source"], s["path"]["target"]
        paths = view_paths(cache, s, a, b)
        if not paths:
            return html.Div(f"No path between {names.get(a, a)} and {names.get(b, b)} in this view.", className="note")
        out = []
        for p in logic.path_summary(paths, names):
            out.append(html.Div(p["title"], className="path-title"))
            out.extend(html.Button(h["text"], className="path-hop",
                                   **clickable("hop", source=h["source"], target=h["target"])) for h in p["hops"])
        return out

    @app.callback(
        Output("period-text", "children"),
        Output("focus-text", "children"),
        Output("path-result", "children"),
        Output("filters-notes-key", "data"),
        Input("state", "data"),
        State("filters-notes-key", "data"),
    )
    def notes(state, last_key):
        """The lines under the period, the focus and the path (one request per state change)."""
        s = normalize_state(state)
        keys = [repr((s["start"], s["end"], filter_part(s)) if (s["start"] or s["end"]) else None),
                repr((s["focus"], s["depth"])), repr((filter_part(s), s["path"]) if s["path"] else None)]
        last = last_key if isinstance(last_key, list) and len(last_key) == 3 else [None, None, None]
        out = [no_update if k == old else make(s)
               for k, old, make in zip(keys, last, (period_text, focus_text, path_result))]
        return (*out, keys)

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("hop-click", "data"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def hop_click(hop, state):
        """A hop of a listed path was clicked: select its link."""
        if not isinstance(hop, dict) or not hop.get("source") or not hop.get("target"):
            return no_update
        s = normalize_state(state)
        new = normalize_state({**s, "selected": {"type": "edge", "source": hop["source"], "target": hop["target"]},
                               "page": 1})
        return new if new != s else no_update
