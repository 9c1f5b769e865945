"""Browser-test fixtures: the app served from a background thread, and a Chromium page.

The app runs on the pipeline's ``built_small`` dataset when that fixture exists
(tests/conftest.py), else on the tiny hand-made dataset of tests/analysis/tinydata.py.
Chromium is Debian's (``/usr/bin/chromium``), never a downloaded one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.serving import serve

from dashboard.tables import Tables, load_tables
from dashboard.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass
class LiveApp:
    url: str
    data: Tables


@pytest.fixture(scope="session")
def dataset_dir(request, tmp_path_factory):
    try:
        return request.getfixturevalue("built_small")
    except pytest.FixtureLookupError:
        from tests.analysis.tinydata import write_tiny

        return write_tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def live_app(dataset_dir):
    data = load_tables(dataset_dir)
    app = create_app(data)
    with serve(app.server) as url:
        yield LiveApp(url, data)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    pg = context.new_page()
    pg.set_default_timeout(45_000)  # generous: the test machine is shared
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.page_errors = errors
    yield pg
    context.close()
