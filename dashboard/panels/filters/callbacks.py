"""Filters wiring: controls ↔ state (one synchronised callback), focus buttons, paths."""

from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, html, no_update

from dashboard.analysis.paths import shortest_paths
from dashboard.panels.filters import logic
from dashboard.state import normalize_state

__all__ = ["register_callbacks"]


def register_callbacks(app, data, cache) -> None:
    """Register the filter callbacks on ``app``."""
    bounds = logic.year_bounds(data.passages)
    names = dict(zip(data.entities["entity_id"], data.entities["name"]))

    @app.callback(
        *[Output(k, "value") for k in logic.CONTROL_KEYS],
        Output("state", "data", allow_duplicate=True),
        *[Input(k, "value") for k in logic.CONTROL_KEYS],
        Input("state", "data"),
        prevent_initial_call=True,
    )
    def sync(*args):
        values, state = args[:-1], normalize_state(args[-1])
        if ctx.triggered_id == "state":
            shown = logic.controls_from_state(state, bounds)
            return (*[s if s != v else no_update for s, v in zip(shown, values)], no_update)
        new = logic.state_from_controls(state, tuple(values), bounds)
        return (*[no_update] * len(values), new if new != state else no_update)

    @app.callback(Output("period-text", "children"), Input("state", "data"))
    def period_text(state):
        s = normalize_state(state)
        if not (s["start"] or s["end"]):
            return "All dates, undated passages included."
        view = cache.get(s)
        undated = [n for n in view.notes if "undated" in n]
        return f"{s['start'] or '…'} to {s['end'] or '…'}. " + " ".join(undated)

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("focus-on", "n_clicks"),
        Input("focus-clear", "n_clicks"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def focus(_on, _clear, state):
        s = normalize_state(state)
        if ctx.triggered_id == "focus-clear":
            new = {**s, "focus": None}
        else:
            sel = s["selected"]
            if not sel:
                return no_update
            new = {**s, "focus": sel["id"] if sel["type"] == "node" else sel["source"]}
        new = normalize_state(new)
        return new if new != s else no_update

    @app.callback(Output("focus-text", "children"), Input("state", "data"))
    def focus_text(state):
        s = normalize_state(state)
        if not s["focus"]:
            return "Select an entity, then Focus to see its neighbourhood."
        return f"Showing {names.get(s['focus'], s['focus'])} and entities up to {s['depth']} step(s) away."

    @app.callback(Output("path-result", "children"), Input("state", "data"))
    def path_result(state):
        s = normalize_state(state)
        if not s["path"]:
            return ""
        a, b = s["path"]["source"], s["path"]["target"]
        paths = cache.memo("paths", s, (a, b), lambda v: shortest_paths(v, a, b, 3))
        if not paths:
            return html.Div(f"No path between {names.get(a, a)} and {names.get(b, b)} in this view.", className="note")
        out = []
        for p in logic.path_summary(paths, names):
            out.append(html.Div(p["title"], className="path-title"))
            out.extend(html.Button(h["text"], id={"type": "path-hop", "source": h["source"], "target": h["target"]},
                                   className="path-hop", n_clicks=0) for h in p["hops"])
        return out

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input({"type": "path-hop", "source": ALL, "target": ALL}, "n_clicks"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def hop_click(clicks, state):
        if not ctx.triggered_id or not any(clicks or []):
            return no_update
        s = normalize_state(state)
        hop = ctx.triggered_id
        new = normalize_state({**s, "selected": {"type": "edge", "source": hop["source"], "target": hop["target"]},
                               "page": 1})
        return new if new != s else no_update
