"""The app on the embedded Khazali dataset, as `make run` serves it: every control renders and
the worked question of the README (Qods Force and Asa'ib Ahl al-Haq, 2004-2007) can be asked."""

from __future__ import annotations


import pytest
from tests.serving import serve

from dashboard.analysis.view import make_view
from dashboard.panels.header.logic import stats_text
from dashboard.settings import DEFAULT_DATA_DIR
from dashboard.state import normalize_state, to_query
from dashboard.tables import load_tables
from dashboard.web import create_app

pytestmark = pytest.mark.browser

QUESTION = {"orgs": ["irgc-qods-force", "asaib-ahl-al-haq"], "start": "2004-01-01", "end": "2007-12-31"}


@pytest.fixture(scope="module")
def embedded():
    data = load_tables(DEFAULT_DATA_DIR)
    with serve(create_app(data).server) as url:
        yield url, data


def wait_exact(page, selector, text):
    page.wait_for_function("([sel, text]) => { const e = document.querySelector(sel); "
                           "return e !== null && e.innerText.trim() === text; }", arg=[selector, text])


def test_embd001_every_control_renders_on_the_embedded_dataset(embedded, page):
    url, data = embedded
    view = make_view(data, normalize_state({}))
    page.goto(url)
    wait_exact(page, "#stats", stats_text(view.counts, view.total))
    # the async dcc components (dropdowns, sliders) must be in the DOM, not just in the layout
    for cid in ("search", "filter-org", "filter-period", "filter-min-weight", "filter-community", "path-from"):
        page.locator(f"#{cid}").first.wait_for(state="attached")
    assert page.page_errors == []


def test_embd002_worked_question_narrows_the_view_and_shows_evidence(embedded, page):
    url, data = embedded
    state = dict(QUESTION, selected={"type": "node", "id": "irgc-qods-force"})
    view = make_view(data, normalize_state(state))
    full = make_view(data, normalize_state({}))
    assert 0 < len(view.entities) < len(full.entities)
    page.goto(f"{url}/?{to_query(normalize_state(state))}")
    wait_exact(page, "#stats", stats_text(view.counts, view.total))
    # the details name the selection and the evidence lists passages that name it (any alias)
    page.locator("#details", has_text="IRGC-Qods Force").first.wait_for()
    aliases = data.entities.set_index("entity_id").loc["irgc-qods-force"]
    forms = [aliases["name"], *aliases["aliases"]]
    excerpt = page.locator("#excerpts").inner_text()
    assert any(form.lower() in excerpt.lower() for form in forms if len(form) > 3)
