"""What a cold page draws first: the graph; then the panels around it (mounted by
``AfterGraph``, dashboard/after_graph.py) and the timeline's Plotly bundle (assets/khazali.js)."""

from __future__ import annotations

import pytest

from tests.browser.test_core import CY_NODES, expected_stats, wait_exact

pytestmark = pytest.mark.browser

PANELS = ("filters", "timeline-panel", "excerpts-panel", "details-panel", "rankings-panel")

# Installed before any page script: the page time at which the Cytoscape instance first holds
# nodes (checked every animation frame, as assets/khazali.js checks), and which of the other
# panels were in the page then.
_GRAPH_PROBE = """(() => {
  function tick() {
    const root = document.getElementById('graph');
    const cy = root && [root, ...root.querySelectorAll('div')].map(d => d._cyreg && d._cyreg.cy).find(Boolean);
    if (cy && cy.nodes().length > 0) {
      window.__graphAt = performance.now();
      window.__panelsThen = %s.filter(id => document.getElementById(id) !== null);
    } else { requestAnimationFrame(tick); }
  }
  requestAnimationFrame(tick);
})();""" % list(PANELS)

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


def test_the_panels_around_the_graph_are_mounted_after_it_with_their_page_load_content(live_app, page):
    view, stats = expected_stats(live_app.data, {})
    page.add_init_script(_GRAPH_PROBE)
    page.goto(live_app.url)
    page.wait_for_function(f"({CY_NODES})() === {len(view.entities)}")
    for panel in PANELS:
        page.wait_for_selector(f"#{panel}", state="attached")
    assert page.evaluate("() => window.__panelsThen") == []  # none was drawn before the graph
    wait_exact(page, "#stats", stats)
    # the panels show what the page-load callbacks gave them while they were not mounted
    page.wait_for_selector("#rankings td[data-dash-column=name]")
    page.wait_for_selector("#filter-org", state="attached")
    assert page.page_errors == []


# Installed before any page script: on the first animation frame that finds the Cytoscape
# instance (before its first frame, and before assets/khazali.js's own check in that frame),
# record whether Cytoscape's layer cache still treated its first request as the eager one when
# the first frame asked for layers, whether its element texture cache was switched off while
# that frame drew (the probe's 'render' handler runs before assets/khazali.js's, which restores
# it), when that frame ended, and when khazali.graphDrawn resolved.
_FIRST_FRAME_PROBE = """(() => {
  function tick() {
    const root = document.getElementById('graph');
    const cy = root && [root, ...root.querySelectorAll('div')].map(d => d._cyreg && d._cyreg.cy).find(Boolean);
    if (!cy) { requestAnimationFrame(tick); return; }
    const layers = cy.renderer().data.lyrTxrCache;
    const getLayers = layers.getLayers;
    layers.getLayers = function () {
      if (window.__eagerAtFirstFrame === undefined) { window.__eagerAtFirstFrame = this.firstGet; }
      return getLayers.apply(this, arguments);
    };
    const textures = cy.renderer().data.eleTxrCache;
    cy.one('render', () => {
      window.__renderAt = performance.now(); window.__renderNodes = cy.nodes().length;
      window.__texturesOffInFirstFrame = Object.prototype.hasOwnProperty.call(textures, 'getElement');
    });
    window.__texturesBackAfter = () => !Object.prototype.hasOwnProperty.call(textures, 'getElement')
      && typeof textures.getElement === 'function';
    window.khazali.graphDrawn.then(() => { window.__drawnAt = performance.now(); });
  }
  requestAnimationFrame(tick);
})();"""


def test_the_first_graph_frame_draws_directly_and_graph_drawn_follows_it(live_app, page):
    view, _ = expected_stats(live_app.data, {})
    page.add_init_script(_FIRST_FRAME_PROBE)
    page.goto(live_app.url)
    page.wait_for_function("() => window.__drawnAt !== undefined && window.__renderAt !== undefined")
    # the first frame drew the view's nodes without building every layer first, and without
    # element textures; the texture cache is back for the frames after it
    assert page.evaluate("() => window.__eagerAtFirstFrame") is False
    assert page.evaluate("() => window.__texturesOffInFirstFrame") is True
    assert page.evaluate("() => window.__texturesBackAfter()") is True
    assert page.evaluate("() => window.__renderNodes") == len(view.entities)
    # graphDrawn (what the other panels and Plotly wait on) resolved after that frame, not on a timeout
    render_at, drawn_at = page.evaluate("() => [window.__renderAt, window.__drawnAt]")
    assert render_at <= drawn_at < render_at + 4000
    assert page.evaluate(f"({CY_NODES})()") == len(view.entities)
    assert page.page_errors == []
