"""The export menu in a real Chromium: a click downloads the file of the current view."""

from __future__ import annotations

import io

import dash
import networkx as nx
import pytest
from dash import dcc, html
from PIL import Image
from tests.serving import serve

from dashboard.analysis.cache import ViewCache
from dashboard.panels.export import callbacks as export_callbacks
from dashboard.panels.export import layout as export_layout
from dashboard.state import normalize_state
from dashboard.tables import load_tables
from dashboard.web import ASSETS, PANELS

pytestmark = pytest.mark.browser


def _state(data):
    orgs = data.entities.loc[data.entities["type"] == "organization", "entity_id"].tolist()
    return normalize_state({"orgs": orgs[:1]})


@pytest.fixture(scope="module")
def export_app(dataset_dir):
    """Just the export panel and the state store, on the fixture dataset (works before the
    panel is placed in create_app's layout)."""
    data = load_tables(dataset_dir)
    cache = ViewCache(data, 8)
    state = _state(data)
    app = dash.Dash(__name__, assets_folder=str(ASSETS), suppress_callback_exceptions=True)
    app.layout = html.Div([dcc.Store(id="state", data=state), export_layout.layout(data)])
    export_callbacks.register_callbacks(app, data, cache)
    with serve(app.server) as url:
        yield url, data, cache.get(state)


def _download(page, item_id: str):
    page.click("#export-menu .dropdown-toggle")
    with page.expect_download(timeout=60_000) as info:
        page.click(f"#{item_id}")
    return info.value


def test_graphml_download_holds_the_view(export_app, page):
    url, data, view = export_app
    page.goto(url)
    download = _download(page, "export-graphml")
    assert download.suggested_filename.endswith(".graphml")
    graph = nx.read_graphml(download.path())
    assert graph.number_of_nodes() == len(view.entities) and graph.number_of_edges() == len(view.links)
    page.wait_for_selector("#export-status:has-text('Exported')")
    assert download.suggested_filename in page.inner_text("#export-status")
    assert page.page_errors == []


def test_png_download_is_the_2x_figure(export_app, page):
    url, _, _ = export_app
    page.goto(url)
    download = _download(page, "export-png")
    with open(download.path(), "rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (2400, 1500)


@pytest.mark.skipif("export" not in PANELS, reason="the export panel is not yet placed in create_app")
def test_export_menu_is_in_the_app(live_app, page):
    import zipfile

    from dashboard.analysis.view import make_view

    page.goto(live_app.url)
    page.wait_for_selector("#graph-drawn:has-text('entities')")
    download = _download(page, "export-csv")
    assert download.suggested_filename.endswith(".zip")
    view = make_view(live_app.data, normalize_state({}))
    with zipfile.ZipFile(download.path()) as archive:
        assert archive.read("nodes.csv").decode("utf-8").count("\n") == 1 + len(view.entities)
