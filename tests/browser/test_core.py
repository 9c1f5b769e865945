"""The app core in a real Chromium: graph drawn, organization and period filters, search, URL state."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.analysis.view import make_view
from dashboard.panels.header.logic import stats_text
from dashboard.state import normalize_state, to_query

pytestmark = pytest.mark.browser

CY_NODES = """() => { const root = document.getElementById('graph');
  for (const d of [root, ...root.querySelectorAll('div')]) { if (d._cyreg) return d._cyreg.cy.nodes().length; }
  return -1; }"""


def expected_stats(data, state):
    view = make_view(data, normalize_state(state))
    return view, stats_text(view.counts, view.total)


def biggest_org(data):
    members = {}
    for affs in data.entities["affiliations"]:
        for org in affs if affs is not None else []:
            members[org] = members.get(org, 0) + 1
    orgs = data.entities[data.entities["type"] == "organization"].set_index("entity_id")
    org = max(orgs.index, key=lambda o: (members.get(o, 0), o))
    return org, orgs.loc[org, "name"]


def query(page):
    return parse_qs(urlparse(page.url).query)


def test_app_loads_with_graph_drawn(live_app, page):
    view, stats = expected_stats(live_app.data, {})
    page.goto(live_app.url)
    page.wait_for_selector(f"#stats:has-text('{stats}')")
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    assert page.inner_text("#graph-drawn").startswith(f"{len(view.entities)} entities")
    assert page.page_errors == []


def test_organization_reduces_graph_to_members_and_back_button_restores(live_app, page):
    org, name = biggest_org(live_app.data)
    full_view, full_stats = expected_stats(live_app.data, {})
    view, stats = expected_stats(live_app.data, {"orgs": [org]})
    members = {e for e, affs in zip(live_app.data.entities["entity_id"], live_app.data.entities["affiliations"])
               if affs is not None and org in list(affs)}
    assert set(view.entities.index) <= members | {org} and len(view.entities) < len(full_view.entities)
    page.goto(live_app.url)
    page.wait_for_selector(f"#stats:has-text('{full_stats}')")
    page.click("#filter-org")
    page.keyboard.type(name[:12])
    page.wait_for_selector("[role=option]")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_selector(f"#stats:has-text('{stats}')")
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    assert query(page)["orgs"] == [org]
    page.go_back()
    page.wait_for_selector(f"#stats:has-text('{full_stats}')")
    assert "orgs" not in query(page)


def test_period_updates_graph_and_url(live_app, page):
    from dashboard.panels.filters.logic import year_bounds

    lo, hi = year_bounds(live_app.data.passages)
    end = (lo + hi) // 2 if hi > lo else hi
    view, stats = expected_stats(live_app.data, {"end": str(end)})
    page.goto(live_app.url)
    page.wait_for_selector("#stats:has-text('entities')")
    box = page.locator("#filter-period input.dash-range-slider-max-input")
    box.fill(str(end))
    box.press("Tab")
    page.wait_for_selector(f"#stats:has-text('{stats}')")
    assert query(page)["end"] == [str(end)]
    assert page.inner_text("#graph-drawn").startswith(f"{len(view.entities)} entities")
    assert "undated" in page.inner_text("#period-text") or live_app.data.passages["date_start"].notna().all()


def test_search_by_alias_selects_entity(live_app, page):
    ents = live_app.data.entities
    with_alias = ents[[len(a) > 0 and a[0] != n for a, n in zip(ents["aliases"], ents["name"])]]
    row = with_alias.sort_values("n_mentions", ascending=False).iloc[0]
    alias = row["aliases"][0]
    page.goto(live_app.url)
    page.wait_for_selector("#stats:has-text('entities')")
    page.click("#search")
    page.keyboard.type(alias)
    page.wait_for_selector(f"[role=option]:has-text('{row['name']}')")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#selection:has-text('Selected: {row['name']}')")
    assert query(page)["selected"] == [f"node:{row['entity_id']}"]


def test_url_state_reproduces_view_after_reload(live_app, page):
    org, _ = biggest_org(live_app.data)
    view0 = make_view(live_app.data, {"orgs": [org]})
    person = view0.entities.sort_values("degree", ascending=False).index[0]
    state = normalize_state({"orgs": [org], "hops": 1, "claims": ["reports", "analysis"],
                             "selected": {"type": "node", "id": person}, "size_by": "pagerank"})
    view, stats = expected_stats(live_app.data, state)
    name = live_app.data.entities.set_index("entity_id").loc[person, "name"]
    page.goto(f"{live_app.url}/?{to_query(state)}")
    for _ in range(2):
        page.wait_for_selector(f"#stats:has-text('{stats}')")
        page.wait_for_selector(f"#selection:has-text('Selected: {name}')")
        assert page.input_value("#size-by") == "pagerank"
        assert page.is_checked("#filter-claims input[value=reports]")
        assert not page.is_checked("#filter-claims input[value=official]")
        page.reload()
    assert re.search(r"orgs=", page.url)
