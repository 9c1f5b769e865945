"""First paint in a real Chromium: the page layout carries the graph, so it is drawn without any
callback answer, for the default view and for a shared URL's view (with its selection)."""

from __future__ import annotations

import pytest

from dashboard.state import normalize_state, to_query
from tests.browser.test_core import CY_NODES, expected_stats, wait_exact

pytestmark = pytest.mark.browser

CY = """() => { const root = document.getElementById('graph');
  for (const d of [root, ...root.querySelectorAll('div')]) { if (d._cyreg) return d._cyreg.cy; }
  return null; }"""


def _no_callbacks(page) -> list[str]:
    """Hold back every callback request (the page must draw from its layout alone)."""
    held: list[str] = []

    def hold(route):
        held.append(route.request.post_data or "")
        route.abort()

    page.route("**/_dash-update-component*", hold)
    return held


def test_graph_is_drawn_from_the_layout_before_any_callback_answers(live_app, page):
    view, stats = expected_stats(live_app.data, {})
    held = _no_callbacks(page)
    page.goto(live_app.url)
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    wait_exact(page, "#graph-drawn", f"{len(view.entities)} entities · {len(view.links)} links drawn")
    wait_exact(page, "#stats", stats)
    page.wait_for_function("() => document.querySelector('#graph-legend .legend-row') !== null")
    assert held, "the page-load callbacks were sent (and held back)"
    # fitted: every node inside the canvas
    inside = page.evaluate(f"""() => {{ const cy = ({CY})(); const w = cy.width(), h = cy.height();
        return cy.nodes().every(n => {{ const p = n.renderedPosition();
            return p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h; }}); }}""")
    assert inside


def test_a_shared_url_is_drawn_with_its_selection_before_any_callback_answers(live_app, page):
    view, _ = expected_stats(live_app.data, {})
    ranked = view.entities.sort_values("degree", ascending=False)
    node = str(ranked.index[0])
    name = str(live_app.data.entities.set_index("entity_id").loc[node, "name"])
    state = normalize_state({"selected": {"type": "node", "id": node}, "size_by": "pagerank"})
    _no_callbacks(page)
    page.goto(f"{live_app.url}?{to_query(state)}")
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    wait_exact(page, "#selection", f"Selected: {name}")
    assert page.input_value("#size-by") == "pagerank"
    # the selection's highlight is in the stylesheet: the selected node has the thick border
    width = page.evaluate(f"(id) => ({CY})().getElementById(id).style('border-width')", node)
    assert float(str(width).rstrip("px")) == 5
