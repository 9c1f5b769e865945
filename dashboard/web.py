"""The Dash app: ``create_app(data, **settings)`` assembles the panels around one state store.

State flow
----------
One ``dcc.Store(id="state")`` holds the state (:mod:`dashboard.state`); the URL query
string mirrors it (``dcc.Location(id="url", refresh=False)``) both ways, so a view can be
shared and the back button works. Callbacks that change the state write
``Output("state", "data", allow_duplicate=True)`` with ``prevent_initial_call=True``;
everything else reads the state and asks the :class:`~dashboard.analysis.cache.ViewCache`
for the view.

Panels
------
Each panel is ``dashboard/panels/<name>/`` with ``layout.layout(data)`` and
``callbacks.register_callbacks(app, data, cache)``. Missing panels are skipped, so the app
runs while panels are being written. The panels' callbacks that read the state are
registered as one callback (:class:`~dashboard.wave.StateWave`), so a state change is one
request to the server, not one per panel.

First paint
-----------
``register_callbacks`` may return ``initial(state) -> {(id, prop): value}``: what the panel's
page-load callbacks would write for a state. Those values are put in the page layout (for the
default state once, for a shared URL's state per request), and the callbacks find them there
(their keys match) and answer ``no_update``. The graph panel does this: Cytoscape then draws
the view as soon as the layout is rendered, not after a callback round trip and in the same
task as every other panel's answer.
"""

from __future__ import annotations

import base64
import gc
import importlib
import json
import logging
import re
from urllib.parse import urlsplit
from pathlib import Path
from types import ModuleType

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from dashboard.after_graph import AfterGraph
from dashboard.analysis.cache import ViewCache
from dashboard.auth import guard_callbacks, install_auth, limit_requests
from dashboard.settings import SETTINGS, resolve
from dashboard.panels.plain import plain
from dashboard.state import DEFAULT_STATE, from_query, normalize_state, to_query
from dashboard.wave import StateWave

__all__ = ["create_app", "PANELS", "resolve_settings", "warm_up"]

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent.parent / "assets"
#: Panels the app cannot run without (errors in others are logged and the panel left out).
CORE_PANELS = ("header", "search", "filters", "graph")
#: Panels in the order their callbacks are registered.
PANELS = ("header", "search", "filters", "graph", "timeline", "excerpts", "details", "rankings", "reader", "export")


def resolve_settings(overrides: dict) -> dict:
    """Every setting's value: override > environment > default.

    Raises
    ------
    TypeError
        For an override that is not a registered setting.
    """
    unknown = sorted(set(overrides) - set(SETTINGS))
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(unknown)}")
    return {name: resolve(name, overrides.get(name)) for name in SETTINGS}


def _panel(name: str) -> tuple[ModuleType, ModuleType] | None:
    modules = []
    for part in ("layout", "callbacks"):
        full = f"dashboard.panels.{name}.{part}"
        try:
            modules.append(importlib.import_module(full))
        except ModuleNotFoundError as exc:
            if exc.name and full.startswith(exc.name):
                return None
            raise
    return modules[0], modules[1]


# The query string a state encodes, in the browser: the same rules as dashboard.state.to_query
# (keys in DEFAULT_STATE order, defaults left out, lists repeated, selections and paths spelled
# out, application/x-www-form-urlencoded), so that writing the URL after a state change and
# recognising the URL's echo cost no request. Whenever the URL differs from the state (back
# button, an edited or shared URL) the server parses it (url_to_state): a mismatch in some
# corner case costs a request, never a wrong state.
_TO_QUERY_JS = """
    function toQuery(state) {
        var defaults = %(defaults)s, lists = %(lists)s;
        function enc(v) {
            return encodeURIComponent(String(v)).replace(/[!'()*]/g, function (c) {
                return '%%' + c.charCodeAt(0).toString(16).toUpperCase(); }).replace(/%%20/g, '+');
        }
        var pairs = [];
        state = state || {};
        Object.keys(defaults).forEach(function (key) {
            var v = state.hasOwnProperty(key) ? state[key] : defaults[key];
            if (JSON.stringify(v) === JSON.stringify(defaults[key])) { return; }
            if (lists.indexOf(key) >= 0) {
                (v || []).forEach(function (item) { pairs.push(enc(key) + '=' + enc(item)); });
            } else if (key === 'selected') {
                var text = v.type === 'node' ? 'node:' + v.id : 'edge:' + v.source + '|' + v.target;
                pairs.push(enc(key) + '=' + enc(text));
            } else if (key === 'path') {
                pairs.push(enc(key) + '=' + enc(v.source + '|' + v.target));
            } else {
                pairs.push(enc(key) + '=' + enc(v));
            }
        });
        return pairs.join('&');
    }
"""
# URL → state: only a URL that differs from the state goes to the server.
_URL_GATE_JS = """
function(search, state) {
    %(to_query)s
    var current = (search || '').replace(/^\\?/, '');
    if (current === toQuery(state)) { return window.dash_clientside.no_update; }
    return {search: search || '', nonce: Date.now() + Math.random()};
}
"""
# state → URL: in the browser (a pure echo of the state).
_STATE_TO_URL_JS = """
function(state, search) {
    %(to_query)s
    var query = toQuery(state);
    if ((search || '').replace(/^\\?/, '') === query) { return window.dash_clientside.no_update; }
    return query ? '?' + query : '';
}
"""


def _register_url_sync(app: dash.Dash) -> None:
    to_query_js = _TO_QUERY_JS % {"defaults": json.dumps(normalize_state(DEFAULT_STATE)),
                                  "lists": json.dumps(["orgs", "types", "kinds", "relations", "claims"])}
    # URL → state goes through a browser-side gate: when the URL only echoes the state (every
    # state change writes it), nothing is sent to the server; the back button, an edited or a
    # shared URL reach url_to_state.
    app.clientside_callback(
        _URL_GATE_JS % {"to_query": to_query_js},
        Output("url-changed", "data"),
        Input("url", "search"),
        State("state", "data"),
    )

    @app.callback(
        Output("state", "data", allow_duplicate=True),
        Input("url-changed", "data"),
        State("url", "search"),
        State("state", "data"),
        prevent_initial_call=True,
    )
    def url_to_state(_changed, search, state):
        new = from_query(search or "")
        return new if new != normalize_state(state) else no_update

    app.clientside_callback(
        _STATE_TO_URL_JS % {"to_query": to_query_js},
        Output("url", "search"),
        Input("state", "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )


def _outputs(spec: str):
    if spec.startswith(".."):
        return [dict(zip(("id", "property"), p.split("@")[0].split(".", 1))) for p in spec.strip(".").split("...")]
    return dict(zip(("id", "property"), spec.split("@")[0].split(".", 1)))


def warm_up(app: dash.Dash, headers: dict | None = None, answers: dict | None = None) -> int:
    """Answer the page-load callbacks once for the default state, as a browser would.

    The first visitor then finds the default view, its drawing, timeline, tables and the
    dataset's lookup indexes already computed. Inputs and states carry the values the page
    layout gives them. With ``answers``, what the callbacks wrote is added to it as
    ``{(id, prop): value}`` (values as sent to a browser). Returns the number of callbacks
    answered.
    """
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies", headers=headers).get_json(silent=True) or []
    state = normalize_state(DEFAULT_STATE)
    shown = _layout_values(app.layout)
    done = 0
    for dep in deps:
        ids = [d["id"] for d in dep.get("inputs", []) + dep.get("state", [])]
        if dep.get("clientside_function") or dep.get("prevent_initial_call") or not all(isinstance(i, str) for i in ids):
            continue
        if {"id": "state", "property": "data"} not in [{"id": i["id"], "property": i["property"]} for i in dep["inputs"]]:
            continue

        def item(d):
            key = (d["id"], d["property"])
            value = state if key == ("state", "data") else plain(shown.get(key))
            return {"id": d["id"], "property": d["property"], "value": value}

        body = {"output": dep["output"], "outputs": _outputs(dep["output"]),
                "inputs": [item(d) for d in dep["inputs"]], "state": [item(d) for d in dep["state"]],
                "changedPropIds": []}
        response = client.post("/_dash-update-component", json=body, headers=headers)
        if response.status_code in (200, 204):
            done += 1
        if answers is not None and response.status_code == 200:
            for cid, props in (response.get_json().get("response") or {}).items():
                answers.update({(cid, prop): value for prop, value in props.items()})
    return done


def _with_ids(layout):
    """Yield ``(id, component)`` for every component with a string id in a component tree."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if not isinstance(node, Component):
            continue
        cid = getattr(node, "id", None)
        if isinstance(cid, str):
            yield cid, node
        stack.append(getattr(node, "children", None))


def _layout_values(layout) -> dict:
    """``{(id, prop): value}`` of every prop set on a component with a string id."""
    values = {}
    for cid, node in _with_ids(layout):
        names = set(node._prop_names)
        values.update({(cid, k): v for k, v in node.__dict__.items() if k in names})
    return values


def _warm(app: _Dash, user: str, password: str) -> None:
    """Warm up, then put the page-load callbacks' answers for the default state in the page
    layout: the page opens with every panel filled, and its own page-load request finds each
    panel's key unchanged (an empty answer), so the browser has nothing to apply after the
    graph's first frame and the server no panel to compute per visit."""
    headers = None
    if user and password:  # the app asks for basic auth, the warm-up too
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}"}
    try:
        answers: dict = {}
        log.info("warm start: %d page-load callbacks answered", warm_up(app, headers, answers))
        _set_component_props(app.layout, answers)
        app.layout_changed()  # encoded again now, not on the first visit
        app.server.test_client().get(app.config.routes_pathname_prefix + "_dash-layout", headers=headers)
    except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first visit
        log.exception("warm start failed")


def _set_props(node, values: dict) -> int:
    """Set ``{(id, prop): value}`` in a layout decoded from JSON; return how many were set."""
    if isinstance(node, list):
        return sum(_set_props(item, values) for item in node)
    done = 0
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            cid = props.get("id")
            if isinstance(cid, str):
                for (vid, prop), value in values.items():
                    if vid == cid:
                        props[prop] = value
                        done += 1
            done += _set_props(props.get("children"), values)
    return done


def _set_component_props(component, values: dict) -> int:
    """Set ``{(id, prop): value}`` on a component tree; return how many were set."""
    done = 0
    for cid, node in _with_ids(component):
        for (vid, prop), value in values.items():
            if vid == cid:
                setattr(node, prop, value)
                done += 1
    return done


def _initial_values(initials: list, state: dict) -> dict:
    values = {}
    for initial in initials:
        values.update({k: v for k, v in initial(state).items() if v is not no_update})
    return values


def _seed_state_from_page_url(app: dash.Dash, data, seeds: list, initials: list) -> None:
    """Serve the layout with the state of the page's own URL (the browser sends it as Referer).

    Without it a shared link first renders every panel for the default state, then the URL
    state lands and every panel renders again (two views computed, and lists replaced under
    the user's pointer). The state is normalized like any browser input, and the panels'
    ``layout.seed(data, state)`` set their controls to show it, and the panels' initial
    outputs for the state are put in (see "First paint" above); the URL sync callbacks stay
    the authority (back button, a page requested without Referer).
    """
    import flask

    path = app.config.routes_pathname_prefix.rstrip("/") + "/_dash-layout"

    @app.server.after_request
    def _seed(response):
        request = flask.request
        if request.path != path or response.status_code != 200 or response.direct_passthrough:
            return response
        query = urlsplit(request.referrer or "").query
        if not query:
            return response
        state = from_query(query)
        if state == normalize_state(DEFAULT_STATE):
            return response
        try:
            layout = json.loads(response.get_data())
            values = {("state", "data"): state}
            for seed in seeds:
                values.update(seed(data, state))
            # the panels' outputs for this state (components as JSON, like a callback's answer)
            values.update({k: json.loads(to_json_plotly(v)) for k, v in _initial_values(initials, state).items()})
        except Exception:  # noqa: BLE001 - the page still works: the URL callback applies the state
            log.exception("could not seed the layout with the URL state")
            return response
        if _set_props(layout, values):
            response.set_data(json.dumps(layout))
        return response


_POLYFILL = re.compile(r'<script src="([^"]*/deps/polyfill@[^"]*)"></script>\s*')


class _Dash(dash.Dash):
    """``dash.Dash`` whose page loads Dash's Babel polyfill only for a browser that needs it.

    The polyfill (core-js 2 and the regenerator runtime) costs a cold page a few hundred ms to
    evaluate, and core-js then replaces natives it considers non-compliant (``String.trim``
    among them) with slower JavaScript that every library calls. The browsers we support have
    every ES2017 feature natively; what the Dash bundles still need from it is the global
    ``regeneratorRuntime`` (their lazy-loading of async components), which the
    dash-bootstrap-components bundle defines. Should a browser still lack it when the
    renderer starts, the polyfill is written into the page there, before the renderer runs.
    """

    def serve_layout(self):
        """Dash's ``serve_layout``, encoding the layout once rather than on every page load
        (40 ms of the server's time at 2k entities, while the browser is fetching its scripts
        from it). The layout is one object built with the app; :func:`_warm` changes it in
        place and calls :meth:`layout_changed`. A layout function is served as Dash does."""
        layout = self.layout
        if callable(layout):
            return super().serve_layout()
        cached = getattr(self, "_layout_json", None)
        if cached is None or cached[0] is not layout:
            cached = self._layout_json = (layout, to_json_plotly(self.get_layout()))
        return self.backend.make_response(cached[1], mimetype="application/json")

    def layout_changed(self) -> None:
        """Forget the encoded layout (after its components were changed in place)."""
        self._layout_json = None

    def interpolate_index(self, **kwargs):
        scripts = kwargs.get("scripts", "")
        found = _POLYFILL.search(scripts)
        if found:
            kwargs["scripts"] = scripts.replace(found.group(0), "")
            guard = ("<script>if (typeof regeneratorRuntime === 'undefined') {"
                     f" document.write('<script src=\"{found.group(1)}\"><\\/script>'); }}</script>\n")
            kwargs["renderer"] = guard + kwargs.get("renderer", "")
        return super().interpolate_index(**kwargs)


def _preload_layout(app: dash.Dash) -> None:
    """Ask the browser for the layout and the callback list while it parses the page.

    Dash's renderer requests ``_dash-layout`` and ``_dash-dependencies`` only once every
    script has been evaluated (about a second on a cold browser); preloaded, they are already
    there by then. The renderer's fetch (same origin, credentials ``same-origin``) matches the
    preload (``crossorigin`` anonymous), so the browser uses the preloaded answer; the Referer
    is the page's URL either way, so a shared URL's layout still carries its state.
    """
    prefix = app.config.requests_pathname_prefix
    links = "".join(f'<link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">\n        '
                    for name in ("_dash-layout", "_dash-dependencies"))
    app.index_string = app.index_string.replace("{%metas%}", "{%metas%}\n        " + links.rstrip(), 1)


def create_app(data, **overrides) -> dash.Dash:
    """Build the app for a loaded dataset.

    Parameters
    ----------
    data : Tables
        From :func:`dashboard.tables.load_tables`.
    **overrides
        Setting values (see :mod:`dashboard.settings`), e.g. ``node_cap=200``.

    Returns
    -------
    dash.Dash
        ``app.server`` is the Flask (WSGI) app.
    """
    settings = resolve_settings(overrides)
    cache = ViewCache(data, maxsize=int(settings["cache_size"]), settings=settings)
    app = _Dash(
        __name__,
        title=data.title,
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        update_title=None,
    )
    _preload_layout(app)
    panels = {name: mods for name in PANELS if (mods := _panel(name)) is not None}
    parts = {}
    for name, mods in list(panels.items()):
        if name == "header":
            continue
        try:
            parts[name] = mods[0].layout(data)
        except Exception:  # one broken optional panel must not take the explorer down
            if name in CORE_PANELS:
                raise
            log.exception("panel %r left out: its layout failed", name)
            del panels[name]
    header = (panels["header"][0].layout(data, search=parts.pop("search", None), tools=parts.pop("export", None))
              if "header" in panels else None)

    def slot(*names):
        return [parts[n] for n in names if n in parts]

    def after_graph(*names):
        # mounted in the browser once the graph has drawn its first frame (assets/khazali.js):
        # on a cold page the graph draws without waiting for the panels around it
        return [AfterGraph(slot(*names))] if "graph" in parts and slot(*names) else slot(*names)

    app.layout = html.Div(
        [
            header,
            dbc.Row(
                [
                    dbc.Col(after_graph("filters"), lg=3, className="sidebar"),
                    dbc.Col(slot("graph") + after_graph("timeline", "excerpts"), lg=6, className="main"),
                    dbc.Col(after_graph("details", "rankings"), lg=3, className="aside"),
                ],
                className="g-2 app-body",
            ),
            *after_graph("reader"),
            dcc.Store(id="state", data=normalize_state(DEFAULT_STATE)),
            # clicks on names and document titles anywhere, written by assets/khazali.js
            dcc.Store(id="entity-click"),
            dcc.Store(id="doc-click"),
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="url-changed"),  # the URL differs from the state (see _URL_GATE_JS)
        ],
        className="app-root container-fluid",
    )
    _register_url_sync(app)
    initials = []
    wave = StateWave(app)  # the panels' state callbacks become one request (dashboard/wave.py)
    for name, (_, callbacks) in panels.items():
        initial = callbacks.register_callbacks(wave, data, cache)
        if callable(initial):
            initials.append(initial)
    wave.register()
    app.server.config["KHAZALI_SETTINGS"] = settings
    app._khazali_cache = cache  # for benchmarks and tests
    seeds = [mods[0].seed for mods in panels.values() if hasattr(mods[0], "seed")]
    _seed_state_from_page_url(app, data, seeds, initials)
    # Index the tables and compute the opening view now, not in the first request; then
    # move everything loaded so far out of the garbage collector's reach (gc.freeze): the
    # tables hold millions of Python objects, and each full collection scanned them all,
    # which made a filter change pay up to a quarter of a second for unrelated allocations.
    cache.get(normalize_state(DEFAULT_STATE))
    _set_component_props(app.layout, _initial_values(initials, normalize_state(DEFAULT_STATE)))
    gc.freeze()
    limit_requests(app.server, settings["max_request_kb"])
    # auth first: Flask runs before_request hooks in order, and an anonymous request must get
    # 401 before anything looks at its body
    install_auth(app, settings["auth_user"], settings["auth_password"])
    guard_callbacks(app)
    # before serving: done in the background it competed with the first visit. Not in debug
    # mode: Dash's dev tools add a Flask error handler when the server starts, which Flask
    # refuses once the app has answered a request (the warm-up's), so the server never started.
    if settings["warm_start"] and not settings["debug"]:
        _warm(app, settings["auth_user"], settings["auth_password"])
        gc.freeze()  # the warmed results too
    return app
