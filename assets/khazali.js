// Client-side helpers of the graph panel: centre on an entity, fit the view.
// They reach the Cytoscape instance Cytoscape.js registers on its container (_cyreg).
(function () {
  function findCy(id) {
    var root = document.getElementById(id);
    if (!root) { return null; }
    var nodes = [root].concat(Array.prototype.slice.call(root.querySelectorAll('div')));
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i]._cyreg && nodes[i]._cyreg.cy) { return nodes[i]._cyreg.cy; }
    }
    return null;
  }
  window.khazali = Object.assign({}, window.khazali, {findCy: findCy});
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    khazali: {
      center: function (target) {
        var cy = findCy('graph');
        if (!cy || !target || !target.id) { return window.dash_clientside.no_update; }
        // let the elements update land first
        setTimeout(function () {
          var node = cy.getElementById(String(target.id));
          if (node && node.length) {
            cy.animate({center: {eles: node}, zoom: Math.max(cy.zoom(), 1.2)}, {duration: 300});
          }
        }, 150);
        return target.id;
      },
      fit: function (clicks) {
        var cy = findCy('graph');
        if (cy) { cy.animate({fit: {eles: cy.nodes(), padding: 30}}, {duration: 250}); }
        return clicks;
      }
    }
  });
})();

// One click handler for the clickable marks the server renders: names in the evidence, the
// reader and the details (data-click="entity"), document titles ("doc"), path hops ("hop").
// It writes the click to a store (entity-click, doc-click, hop-click) that one server callback
// reads. Marks carry no pattern-matching ids, so no callback fires when a list of them appears,
// and a click on a list that was just re-rendered is never lost.
(function () {
  var STORES = {entity: 'entity-click', doc: 'doc-click', hop: 'hop-click'};
  var FIELDS = {entity: ['entity'], doc: ['doc', 'passage'], hop: ['source', 'target']};
  document.addEventListener('click', function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest('[data-click]') : null;
    var dc = window.dash_clientside;
    if (!el || !dc || !dc.set_props) { return; }
    var kind = el.getAttribute('data-click');
    if (!STORES[kind]) { return; }
    var data = {nonce: Date.now() + Math.random()};
    FIELDS[kind].forEach(function (f) { data[f] = el.getAttribute('data-' + f); });
    dc.set_props(STORES[kind], {data: data});
  });
})();


// The graph draws first. khazali.graphDrawn resolves at the first animation frame after
// Cytoscape has drawn the graph (its 'render' event, which it emits at the end of a frame it
// drew, with the elements the page layout carries: the Cytoscape component adds them when it
// creates the instance); or after GRAPH_WAIT_MS without a graph (no graph panel, a failed
// script; a page opened in a background tab, where frames do not run until it is shown).
// What waits on it:
// - the timeline's Plotly bundle (4.8 MB): dcc.Graph waits on
//   `Promise.resolve(window.Plotly || <script src=window._dashPlotlyJSURL>)`; a thenable in
//   window.Plotly makes it wait for the graph, then load that same script, which replaces
//   window.Plotly with the library. The component, its figure and callbacks are unchanged.
// - khazali.AfterGraph (dashboard/after_graph.py), a layout wrapper whose children (the panels
//   around the graph) are mounted only then: on a cold page, rendering them took about a
//   third of the main thread's work before the graph's first frame.
//
// The first frame also skips Cytoscape's caches, and draws each element directly:
// - Layers. Cytoscape.js (3.28, in dash-cytoscape 1.0) caches the drawn graph in "layers",
//   canvases as large as the graph, and builds them lazily in idle frames, drawing elements
//   directly meanwhile; only on its very first frame does it build them all before drawing
//   anything (about 100 ms of a ~450 ms first frame on the embedded dataset in a cold
//   Chromium). Marking that first request done makes the first frame take the lazy path every
//   later frame takes.
// - Element textures. Each node and label is otherwise drawn into a texture canvas and copied
//   from it, one at a time; on a first frame, where no texture exists yet, that is a texture
//   drawn and copied per element (about 100 ms more at 2k). For that one frame the texture
//   caches answer "not cacheable", which Cytoscape's own code then draws directly (as it does
//   any element it does not cache); the caches are restored when the frame ends ('render'),
//   and the later frames fill them as usual.
// The tick below finds the instance before its first frame: the tick's animation-frame
// callback is registered before the instance exists, and callbacks run in the order they were
// registered.
(function () {
  var GRAPH_WAIT_MS = 5000;
  var khazali = window.khazali;
  khazali.graphIsDrawn = false;
  // Cytoscape has drawn a frame and has none pending
  function hasDrawn(renderer) { return Boolean(renderer && renderer.lastRedrawTime && !renderer.requestedFrame); }
  khazali.lazyFirstLayers = function (cy) {
    var renderer = cy && cy.renderer ? cy.renderer() : null;
    var layers = renderer && renderer.data ? renderer.data.lyrTxrCache : null;
    if (layers && layers.firstGet === true) { layers.firstGet = false; return true; }
    return false;
  };
  var TEXTURE_CACHES = ['eleTxrCache', 'lblTxrCache', 'slbTxrCache', 'tlbTxrCache'];
  khazali.directFirstFrame = function (cy) {
    var renderer = cy && cy.renderer ? cy.renderer() : null;
    var data = renderer ? renderer.data : null;
    if (!data || hasDrawn(renderer)) { return false; }
    var caches = TEXTURE_CACHES.map(function (name) { return data[name]; }).filter(function (cache) {
      return cache && typeof cache.getElement === 'function'
        && !Object.prototype.hasOwnProperty.call(cache, 'getElement');
    });
    // an own property shadows the prototype's method; deleting it restores the method
    caches.forEach(function (cache) { cache.getElement = function () { return null; }; });
    cy.one('render', function () { caches.forEach(function (cache) { delete cache.getElement; }); });
    return caches.length > 0;
  };
  khazali.graphDrawn = new Promise(function (resolve) {
    function finish() {
      if (!khazali.graphIsDrawn) { khazali.graphIsDrawn = true; resolve(); }
    }
    function nextFrame() { requestAnimationFrame(finish); }
    setTimeout(finish, GRAPH_WAIT_MS);
    function tick() {
      if (khazali.graphIsDrawn) { return; }
      var cy = khazali.findCy('graph');
      if (!cy) { requestAnimationFrame(tick); return; }
      khazali.lazyFirstLayers(cy);
      khazali.directFirstFrame(cy);
      if (hasDrawn(cy.renderer ? cy.renderer() : null)) {
        nextFrame();
      } else {
        cy.one('render', nextFrame);
      }
    }
    requestAnimationFrame(tick);
  });

  khazali.AfterGraph = function AfterGraph(props) {
    var React = window.React;
    var shownState = React.useState(khazali.graphIsDrawn);
    var shown = shownState[0], setShown = shownState[1];
    React.useEffect(function () {
      if (shown) { return undefined; }
      var live = true;
      khazali.graphDrawn.then(function () { if (live) { setShown(true); } });
      return function () { live = false; };
    }, [shown]);
    // display: contents: the wrapper adds no box, the children lay out as if it were not there
    return React.createElement('div', {id: props.id, className: 'after-graph', style: {display: 'contents'}},
                               shown ? props.children : null);
  };

  if (window.Plotly) { return; }
  var plotly = null;
  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = window._dashPlotlyJSURL;
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function (e) { plotly = null; reject(e); };
        document.body.appendChild(s);
      });
    }
    return plotly;
  }
  window.Plotly = {then: function (ok, fail) { return khazali.graphDrawn.then(loadPlotly).then(ok, fail); }};
})();
