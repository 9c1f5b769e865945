"""What a cold page draws first: the graph, then the timeline (whose Plotly bundle is loaded only
once the graph has drawn its first frame; assets/khazali.js)."""

from __future__ import annotations

import pytest

from tests.browser.test_core import CY_NODES

pytestmark = pytest.mark.browser

# Installed before any page script: the page time at which the Cytoscape instance first holds
# nodes (checked every animation frame, as the deferral in assets/khazali.js checks).
_GRAPH_PROBE = """(() => {
  function tick() {
    const root = document.getElementById('graph');
    const cy = root && [root, ...root.querySelectorAll('div')].map(d => d._cyreg && d._cyreg.cy).find(Boolean);
    if (cy && cy.nodes().length > 0) { window.__graphAt = performance.now(); } else { requestAnimationFrame(tick); }
  }
  requestAnimationFrame(tick);
})();"""

_PLOTLY_REQUESTS = """() => performance.getEntriesByType('resource')
    .filter(r => r.name.split('?')[0].endsWith('/plotly.min.js')).map(r => r.startTime)"""


def test_plotly_is_requested_only_after_the_graph_holds_its_nodes_and_the_timeline_still_draws(live_app, page):
    page.add_init_script(_GRAPH_PROBE)
    page.goto(live_app.url)
    page.wait_for_function(f"({CY_NODES})() > 0")
    # the timeline is drawn by the real Plotly (the placeholder was replaced) with its points
    page.wait_for_selector("#timeline .scatterlayer .point")
    assert page.evaluate("() => typeof window.Plotly.react") == "function"
    requested = page.evaluate(_PLOTLY_REQUESTS)
    graph_at = page.evaluate("() => window.__graphAt")
    assert len(requested) == 1, requested  # one script, however many graphs waited on it
    assert graph_at is not None and requested[0] > graph_at
    assert page.page_errors == []
