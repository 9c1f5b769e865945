"""The app core in a real Chromium: graph drawn, organization and period filters, search, URL state."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.analysis.view import make_view
from dashboard.panels.header.logic import stats_text
from dashboard.state import normalize_state, to_query

pytestmark = pytest.mark.browser

CY_NODES = """() => { const root = document.getElementById('graph');
  for (const d of [root, ...root.querySelectorAll('div')]) { if (d._cyreg) return d._cyreg.cy.nodes().length; }
  return -1; }"""


def wait_text(page, selector, text):
    """Wait until an element matching ``selector`` contains ``text`` (quotes in names are fine)."""
    page.locator(selector, has_text=text).first.wait_for()


def wait_exact(page, selector, text):
    """Wait until the element's text is exactly ``text``."""
    page.wait_for_function("([sel, text]) => { const e = document.querySelector(sel); "
                           "return e !== null && e.innerText.trim() === text; }", arg=[selector, text])


def wait_settled(page):
    """Wait until the page-load callbacks have answered and two frames were drawn after them.

    The layout now carries the first drawing and counts, so a text on the page no longer
    means the renderer is done; typing into a dropdown while it still works can be lost.
    """
    page.wait_for_function("() => document.readyState === 'complete' "
                           "&& !document.querySelector('[data-dash-is-loading=\"true\"]')", polling=100)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


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
    wait_exact(page, "#stats", stats)
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    wait_exact(page, "#graph-drawn", f"{len(view.entities)} entities · {len(view.links)} links drawn")
    assert page.page_errors == []


def test_organization_reduces_graph_to_members_and_back_button_restores(live_app, page):
    org, name = biggest_org(live_app.data)
    full_view, full_stats = expected_stats(live_app.data, {})
    view, stats = expected_stats(live_app.data, {"orgs": [org]})
    members = {e for e, affs in zip(live_app.data.entities["entity_id"], live_app.data.entities["affiliations"])
               if affs is not None and org in list(affs)}
    assert set(view.entities.index) <= members | {org} and len(view.entities) < len(full_view.entities)
    page.goto(live_app.url)
    wait_exact(page, "#stats", full_stats)
    wait_settled(page)
    for attempt in range(3):  # a late page-load response can re-render the dropdown and close it: open it again
        page.click("#filter-org")
        page.locator("#filter-org[aria-expanded=true]").wait_for()
        page.keyboard.type(name[:12])
        try:
            page.wait_for_selector("[role=option]", timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_exact(page, "#stats", stats)
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    assert query(page)["orgs"] == [org]
    page.go_back()
    wait_exact(page, "#stats", full_stats)
    assert "orgs" not in query(page)


def test_period_updates_graph_and_url(live_app, page):
    from dashboard.panels.filters.logic import year_bounds

    lo, hi = year_bounds(live_app.data.passages)
    end = (lo + hi) // 2 if hi > lo else hi
    view, stats = expected_stats(live_app.data, {"end": str(end)})
    page.goto(live_app.url)
    wait_text(page, "#stats", f"entities")
    box = page.locator("#filter-period input.dash-range-slider-max-input")
    box.fill(str(end))
    box.press("Tab")
    wait_exact(page, "#stats", stats)
    assert query(page)["end"] == [str(end)]
    wait_exact(page, "#graph-drawn", f"{len(view.entities)} entities · {len(view.links)} links drawn")
    assert "undated" in page.inner_text("#period-text") or live_app.data.passages["date_start"].notna().all()


def test_search_by_alias_selects_entity(live_app, page):
    ents = live_app.data.entities
    with_alias = ents[[len(a) > 0 and a[0] != n for a, n in zip(ents["aliases"], ents["name"])]]
    row = with_alias.sort_values("n_mentions", ascending=False).iloc[0]
    alias = row["aliases"][0]
    page.goto(live_app.url)
    wait_text(page, "#stats", f"entities")
    wait_settled(page)
    for attempt in range(3):  # keys typed while a late response re-renders the dropdown can be lost
        page.click("#search")
        # type only once the dropdown is open: keys pressed while it opens were lost on a busy machine
        page.locator("#search[aria-expanded=true]").wait_for()
        page.keyboard.type(alias)
        try:
            page.locator("[role=option]", has_text=str(row["name"])).first.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    page.keyboard.press("Enter")
    wait_text(page, "#selection", f"Selected: {row['name']}")
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
        wait_exact(page, "#stats", stats)
        wait_text(page, "#selection", f"Selected: {name}")
        assert page.input_value("#size-by") == "pagerank"
        assert page.is_checked("#filter-claims input[value=reports]")
        assert not page.is_checked("#filter-claims input[value=official]")
        page.reload()
    assert re.search(r"orgs=", page.url)


def test_tapping_a_node_and_an_edge_selects_them(live_app, page):
    view, stats = expected_stats(live_app.data, {})
    hub = view.entities.sort_values(["degree", "entity_id"], ascending=[False, True]).index[0]
    links = view.links[(view.links["source"] == hub) | (view.links["target"] == hub)]
    related = {frozenset(p) for p, k in zip(zip(links["source"], links["target"]), links["kind"]) if k == "relation"}
    # a co-mention of a pair that also has a relation is drawn as the relation's line
    drawn = [k == "relation" or frozenset((s, t)) not in related
             for s, t, k in zip(links["source"], links["target"], links["kind"])]
    link = links[drawn].iloc[0]
    names = dict(zip(live_app.data.entities["entity_id"], live_app.data.entities["name"]))
    page.goto(live_app.url)
    wait_exact(page, "#stats", stats)
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    emit = """([sel]) => { const root = document.getElementById('graph');
      for (const d of [root, ...root.querySelectorAll('div')]) {
        if (d._cyreg) { d._cyreg.cy.elements().filter(e => e.id() === sel).emit('tap'); return true; } }
      return false; }"""
    assert page.evaluate(emit, [hub])
    wait_text(page, "#selection", f"Selected: {names[hub]}")
    assert query(page)["selected"] == [f"node:{hub}"]
    edge_id = f"{link['kind']}:{link['source']}|{link['target']}"
    assert page.evaluate(emit, [edge_id])
    wait_text(page, "#selection", f"Selected link: {names[link['source']]}")
    assert query(page)["selected"] == [f"edge:{link['source']}|{link['target']}"]


def test_path_lists_hops_with_evidence_and_a_hop_selects_its_link(live_app, page):
    from dashboard.analysis.paths import shortest_paths

    view = make_view(live_app.data, {})
    names = dict(zip(live_app.data.entities["entity_id"], live_app.data.entities["name"]))
    # two entities two hops apart
    import networkx as nx

    lengths = dict(nx.all_pairs_shortest_path_length(view.graph))
    a, b = next((x, y) for x in sorted(lengths) for y in sorted(lengths[x]) if lengths[x][y] == 2)
    paths = shortest_paths(view, a, b, 3)
    state = normalize_state({"path": {"source": a, "target": b}})
    page.goto(f"{live_app.url}/?{to_query(state)}")
    wait_text(page, "#path-result", "Path 1: 2 hops")
    hop = paths[0][0]
    label = f"{names[hop['source']]} → {names[hop['target']]}"
    assert page.locator(".path-hop").count() == sum(len(p) for p in paths)
    page.locator(".path-hop", has_text=label).first.click()
    wait_text(page, "#selection", f"Selected link: {names[hop['source']]}")
    assert query(page)["selected"] == [f"edge:{hop['source']}|{hop['target']}"]
