"""create_app wiring and the app.py command line (no browser)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.web import create_app
from tests.analysis.tinydata import tiny_tables, write_tiny

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app():
    return create_app(tiny_tables(), node_cap=5)


def ids_in(component, found=None):
    found = set() if found is None else found
    cid = getattr(component, "id", None)
    if isinstance(cid, str):
        found.add(cid)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            ids_in(child, found)
    return found


def test_layout_has_the_stable_ids(app):
    ids = ids_in(app.layout)
    for cid in ("state", "url", "graph", "stats", "search", "size-by", "color-by", "reset", "about", "relayout",
                "filter-org", "filter-period", "filter-types", "filter-claims", "filter-min-weight", "filter-kinds",
                "filter-relations", "filter-hops", "filter-community", "focus-depth", "path-from", "path-to"):
        assert cid in ids, cid


def test_settings_reach_the_cache_and_unknown_settings_fail(app):
    assert app._khazali_cache.settings["node_cap"] == 5
    with pytest.raises(TypeError, match="node_kap"):
        create_app(tiny_tables(), node_kap=5)


def test_every_state_writer_allows_duplicates(app):
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    writers = [d for d in deps if "state.data" in d["output"]]
    assert len(writers) >= 7  # url, tap, size/colour, filters, focus, path hop, reset, search
    for d in writers:
        assert "state.data@" in d["output"], d["output"]  # allow_duplicate
        from_url = [i["id"] for i in d["inputs"]] == ["url"]
        assert d["prevent_initial_call"] is (not from_url), d["output"]


def test_server_answers_layout_and_dependencies(app):
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    deps = client.get("/_dash-dependencies").get_json()
    assert any("graph.elements" in d["output"] for d in deps)


def test_app_py_bad_data_exits_2_without_traceback(tmp_path):
    folder = write_tiny(tmp_path / "ds")
    (folder / "links.parquet").unlink()
    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "--data", str(folder)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert "links.parquet" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, str(ROOT / "app.py"), "--data", str(tmp_path / "nope")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2 and "no such dataset folder" in res.stderr


def test_wsgi_server_reads_the_data_dir_setting(tmp_path):
    folder = write_tiny(tmp_path / "ds")
    code = ("import dashboard.wsgi as w; c = w.server.test_client(); "
            "print(c.get('/').status_code, w.app.title)")
    env = {"KHAZALI_DATA_DIR": str(folder), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=180)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["200", "Tiny", "test", "dataset"]
    env["KHAZALI_DATA_DIR"] = str(tmp_path / "missing")
    res = subprocess.run([sys.executable, "-c", "import dashboard.wsgi"], capture_output=True, text=True, cwd=ROOT,
                         env=env, timeout=180)
    assert res.returncode == 2 and "no such dataset folder" in res.stderr and "Traceback" not in res.stderr


def _props(layout, cid):
    """The props of the component ``cid`` in a layout decoded from JSON."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == cid:
                return props
            stack.append(props.get("children"))
    raise KeyError(cid)


def _page_load_draw(client, state, key):
    """The callback that draws the graph (with the other panels' state callbacks, see
    dashboard/wave.py) as the browser fires it on page load."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "..graph.elements..." in d["output"] or d["output"].startswith("..graph.elements..."))
    outputs = [dict(zip(("id", "property"), p.split("@")[0].split(".", 1))) for p in dep["output"].strip(".").split("...")]
    values = {("state", "data"): state, ("graph-key", "data"): key}

    def item(d):
        return {"id": d["id"], "property": d["property"], "value": values.get((d["id"], d["property"]))}

    body = {"output": dep["output"], "outputs": outputs, "inputs": [item(d) for d in dep["inputs"]],
            "state": [item(d) for d in dep["state"]], "changedPropIds": []}
    return client.post("/_dash-update-component", json=body)


def _updated(res) -> dict:
    """Component → props a callback answer updates in the graph panel's drawing (none for 204
    or an answer that leaves them all unchanged)."""
    from dashboard.panels.graph.callbacks import DRAW_OUTPUTS

    assert res.status_code in (200, 204)
    response = {} if res.status_code == 204 else res.get_json()["response"]
    drawn = set(DRAW_OUTPUTS)
    out = {cid: {p: v for p, v in props.items() if (cid, p) in drawn} for cid, props in response.items()}
    return {cid: props for cid, props in out.items() if props}


def test_the_page_layout_carries_the_drawing_so_page_load_callbacks_send_nothing(app):
    from dashboard.state import DEFAULT_STATE, normalize_state

    client = app.server.test_client()
    layout = client.get("/_dash-layout").get_json()
    graph, key = _props(layout, "graph"), _props(layout, "graph-key")["data"]
    view = app._khazali_cache.get(normalize_state(DEFAULT_STATE))
    nodes = [e for e in graph["elements"] if "source" not in e["data"]]
    assert len(nodes) == min(5, len(view.entities))  # node_cap=5
    assert graph["layout"]["name"] == "preset" and graph["layout"]["fit"] is True
    assert any(r["selector"] == "node" for r in graph["stylesheet"])
    assert "entities" in _props(layout, "stats")["children"]
    assert _props(layout, "graph-style-key")["data"]
    # the page-load callback recognises what the page shows and updates nothing ...
    assert _updated(_page_load_draw(client, _props(layout, "state")["data"], key)) == {}
    # ... and draws when the page shows something else
    res = _page_load_draw(client, _props(layout, "state")["data"], None)
    assert res.status_code == 200 and len(res.get_json()["response"]["graph"]["elements"]) == len(graph["elements"])


def test_a_shared_url_gets_its_own_drawing_and_highlight_in_the_layout(app):
    client = app.server.test_client()
    default = _props(client.get("/_dash-layout").get_json(), "graph")
    node = next(e["data"]["id"] for e in default["elements"] if "source" not in e["data"])
    layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost/?size_by=pagerank&selected=node:{node}"}).get_json()
    graph = _props(layout, "graph")
    assert _props(layout, "graph-key")["data"]["base"][1] == "pagerank"
    assert "pagerank" in graph["layout"]["_key"]
    assert any(f'node[id = "{node}"]' in r["selector"] for r in graph["stylesheet"])  # the selection shows
    assert len(graph["stylesheet"]) > len(default["stylesheet"])
    assert _props(layout, "selection")["children"].startswith("Selected: ")
    assert _updated(_page_load_draw(client, _props(layout, "state")["data"], _props(layout, "graph-key")["data"])) == {}


def test_the_layout_is_encoded_once_and_again_after_it_changed(monkeypatch):
    from dashboard import web
    from dashboard.web import _with_ids

    app = create_app(tiny_tables(), node_cap=5)
    client = app.server.test_client()
    encoded = []
    real = web.to_json_plotly
    monkeypatch.setattr(web, "to_json_plotly", lambda value: encoded.append(1) or real(value))
    first = client.get("/_dash-layout").get_data()
    assert client.get("/_dash-layout").get_data() == first
    assert encoded == []  # encoded once, at the warm start, before any page asked
    # the warm start answered the page-load callbacks into the layout before it was served
    assert _props(client.get("/_dash-layout").get_json(), "graph")["elements"]
    stats = next(node for cid, node in _with_ids(app.layout) if cid == "stats")
    stats.children = "changed in place"
    app.layout_changed()
    assert _props(client.get("/_dash-layout").get_json(), "stats")["children"] == "changed in place"
    assert encoded == [1]


def test_the_page_preloads_the_layout_and_the_callback_list(app):
    page = app.server.test_client().get("/").get_data(as_text=True)
    head = page.split("</head>")[0]
    for name in ("_dash-layout", "_dash-dependencies"):
        assert f'<link rel="preload" href="/{name}" as="fetch" crossorigin="anonymous">' in head


def test_the_page_loads_the_babel_polyfill_only_for_a_browser_without_regenerator(app):
    page = app.server.test_client().get("/").get_data(as_text=True)
    footer = page.split("<footer>")[1]
    tags = re.findall(r'<script src="([^"]+)"></script>', footer)
    assert tags and not any("/deps/polyfill@" in src for src in tags)  # not loaded unconditionally ...
    guard = re.search(r"if \(typeof regeneratorRuntime === 'undefined'\) \{ document.write\('<script src=\"([^\"]+)\">", footer)
    assert guard and "/deps/polyfill@" in guard.group(1)  # ... but written in when needed,
    assert footer.index(guard.group(0)) < footer.index('id="_dash-renderer"')  # before the renderer starts
    assert app.server.test_client().get(guard.group(1)).status_code == 200


def test_a_state_change_is_answered_by_two_requests(app):
    """The panels' state callbacks are one callback (dashboard/wave.py); the other one that
    reads the state is the filters' controls sync. So the browser sends two requests."""
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    on_state = [d for d in deps if {"id": "state", "property": "data"} in
                [{"id": i["id"], "property": i["property"]} for i in d["inputs"]] and not d.get("clientside_function")]
    assert len(on_state) == 2
    wave = max(on_state, key=lambda d: d["output"].count("..."))
    for output in ("graph.elements", "graph.stylesheet", "timeline.figure", "excerpts.children", "details.children",
                   "rankings.data", "period-text.children"):
        assert f"..{output}..." in wave["output"] or wave["output"].startswith(f"..{output}...")
