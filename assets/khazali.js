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

