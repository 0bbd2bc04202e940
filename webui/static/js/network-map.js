// The interactive network map (templates/network/map.html), drawn with the vendored
// vis-network (static/vendor/vis-network) from the JSON of data-source (crm/maps.py).
//
// The server gives every node its position, so the browser runs no physics: a map of
// thousands of actors is drawn at once. Every text shown (labels, tooltips, legend, search
// results, the chosen actor) is plain data set with textContent or handed to vis-network as
// a label it draws on the canvas; tooltips are elements built here, never HTML strings.
// Record addresses are followed only when they are paths of this site.
//
// For tests and the benchmark the map is exposed as window.tansiqMap: { network, nodes,
// edges (vis DataSets), data (the JSON), ready, readyAt (ms since navigation), select(id),
// domPosition(id) }.
(function () {
  "use strict";

  var container = document.getElementById("network-map");
  if (!container || !window.vis || !window.vis.Network) return;

  var INK = "#1d2733";
  var DIM = "rgba(190, 196, 204, 0.35)";
  var DIM_EDGE = "rgba(190, 196, 204, 0.25)";
  var FRESH_OPACITY = [1, 0.75, 0.45, 0.45];
  var BIG = 1500; // above this many nodes, hide ties while dragging or zooming

  var statusLine = document.getElementById("map-status");
  var map = { ready: false, readyAt: null, network: null, nodes: null, edges: null, data: null };
  window.tansiqMap = map;

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function status(text) {
    if (statusLine) statusLine.textContent = text;
  }

  function count(n, one, many) {
    return number(n) + " " + (n > 1 ? many : one);
  }

  function number(value) {
    if (value === null || value === undefined) return "—";
    if (Number.isInteger(value)) return value.toLocaleString("fr-FR");
    return value.toLocaleString("fr-FR", { maximumSignificantDigits: 3 });
  }

  // Only this site's own paths ("/organisations/…"): never "//host" nor "javascript:".
  function safePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function nodeTooltip(node, data, legendByKey) {
    var box = element("div", null, "map-tooltip");
    box.appendChild(element("strong", node.label));
    var group = legendByKey[node.group];
    if (group) box.appendChild(element("div", data.colour_label + " : " + group.label));
    if (node.place) box.appendChild(element("div", "Commune : " + node.place));
    box.appendChild(element("div", data.size_label + " : " + number(node.value)));
    return box;
  }

  function edgeTooltip(edge, data, from, to) {
    var box = element("div", null, "map-tooltip");
    box.appendChild(element("strong", from.label + " — " + to.label));
    var kinds = data.tie_kinds.filter(function (k, i) { return edge[3] & (1 << i); })
      .map(function (k) { return k.label; });
    if (kinds.length) box.appendChild(element("div", kinds.join(", ")));
    box.appendChild(element("div", "Poids : " + number(edge[2])));
    box.appendChild(element("div", "Dernier contact : " + data.freshness[edge[4]]));
    return box;
  }

  function tieColour(mask, tieKinds) {
    for (var i = 0; i < tieKinds.length; i++) if (mask & (1 << i)) return tieKinds[i].color;
    return "#7f8c8d";
  }

  function draw(data) {
    map.data = data;
    if (!data.nodes.length) {
      status("Aucun acteur dans ce périmètre : élargissez la période ou le territoire.");
      container.hidden = true;
      map.ready = true;
      return;
    }
    var legendByKey = {};
    data.legend.forEach(function (g) { legendByKey[g.key] = g; });

    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var colour = (legendByKey[n.group] || { color: "#c8c8c8" }).color;
      var base = { background: colour, border: "#ffffff",
                   highlight: { background: colour, border: INK },
                   hover: { background: colour, border: INK } };
      return {
        id: n.id, label: n.label, x: n.x, y: n.y, size: n.size, key: n.group,
        url: safePath(n.url), color: base, base: base,
      };
    }));
    var edges = new vis.DataSet(data.edges.map(function (e, i) {
      var from = data.nodes[e[0]], to = data.nodes[e[1]];
      var colour = tieColour(e[3], data.tie_kinds);
      var base = { color: colour, highlight: INK, hover: INK, opacity: FRESH_OPACITY[e[4]] };
      return {
        id: i, from: from.id, to: to.id, kinds: e[3], fresh: e[4],
        width: 1 + Math.min(5, Math.log2(1 + e[2])),
        dashes: e[4] >= 2, color: base, base: base,
      };
    }));

    var hiddenGroups = new Set();
    var hiddenKinds = 0;
    var nodeView = new vis.DataView(nodes, {
      filter: function (n) { return !hiddenGroups.has(n.key); },
    });
    var edgeView = new vis.DataView(edges, {
      filter: function (e) { return e.kinds === 0 || (e.kinds & ~hiddenKinds) !== 0; },
    });

    var big = data.nodes.length > BIG;
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false },
      nodes: { shape: "dot", borderWidth: 1, font: { size: 14, color: INK, strokeWidth: 3, strokeColor: "#ffffff" } },
      edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1 },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     multiselect: false, navigationButtons: false, keyboard: false },
    });
    map.network = network;

    // Tooltips are made when first needed: thousands of them up front would double the
    // time to draw a large map (measured). vis-network reads the title a moment after the
    // hover event, once it has been set.
    var sourceById = {};
    data.nodes.forEach(function (n) { sourceById[n.id] = n; });
    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      if (node && !node.title) {
        nodes.update({ id: node.id, title: nodeTooltip(sourceById[node.id], data, legendByKey) });
      }
    });
    network.on("hoverEdge", function (params) {
      var edge = edges.get(params.edge);
      if (edge && !edge.title) {
        var e = data.edges[edge.id];
        edges.update({ id: edge.id, title: edgeTooltip(e, data, data.nodes[e[0]], data.nodes[e[1]]) });
      }
    });
    map.nodes = nodes;
    map.edges = edges;

    var dimmed = false;
    function highlight(id) {
      var keep = new Set([id].concat(network.getConnectedNodes(id)));
      var nodeUpdates = [];
      nodes.forEach(function (n) {
        var dim = !keep.has(n.id);
        if (dim || dimmed) {
          var update = { id: n.id, color: dim ? DIM : n.base };
          if (!big) update.font = { color: dim ? "rgba(0,0,0,0)" : INK };
          nodeUpdates.push(update);
        }
      });
      var edgeUpdates = [];
      // On a large map, restyling every tie takes seconds: the selection's own highlight
      // of its ties is enough there.
      if (!big) edges.forEach(function (e) {
        var dim = !(e.from === id || e.to === id);
        if (dim || dimmed) edgeUpdates.push({ id: e.id, color: dim ? { color: DIM_EDGE } : e.base });
      });
      nodes.update(nodeUpdates);
      edges.update(edgeUpdates);
      dimmed = true;
    }
    function undim() {
      if (!dimmed) return;
      nodes.update(nodes.map(function (n) {
        return big ? { id: n.id, color: n.base } : { id: n.id, color: n.base, font: { color: INK } };
      }));
      if (!big) edges.update(edges.map(function (e) { return { id: e.id, color: e.base }; }));
      dimmed = false;
    }

    var panel = document.getElementById("map-selection");
    var aggregated = data.view !== "detail";
    function showPanel(node) {
      if (!panel) return;
      var source = sourceById[node.id];
      document.getElementById("map-selection-name").textContent = node.label;
      var facts = [];
      if (legendByKey[node.key]) facts.push(legendByKey[node.key].label);
      if (source && source.place) facts.push(source.place);
      if (source) facts.push(data.size_label + " : " + number(source.value));
      document.getElementById("map-selection-facts").textContent = facts.join(" · ");
      var open = document.getElementById("map-selection-open");
      open.hidden = !node.url;
      if (node.url) open.href = node.url;
      var egoLinks = document.getElementById("map-ego-links");
      egoLinks.hidden = aggregated || !container.dataset.egoBase;
      if (!egoLinks.hidden) {
        [1, 2].forEach(function (steps) {
          var address = new URL(container.dataset.egoBase, window.location.href);
          address.searchParams.set("ego", node.id);
          address.searchParams.set("pas", String(steps));
          document.getElementById("map-ego-" + steps).href = address.pathname + address.search;
        });
      }
      panel.hidden = false;
    }

    function select(id) {
      var node = nodes.get(id);
      if (!node) return false;
      if (hiddenGroups.has(node.key)) {
        hiddenGroups.delete(node.key);
        syncLegend();
        nodeView.refresh();
      }
      network.selectNodes([id]);
      highlight(id);
      showPanel(node);
      return true;
    }
    function clearSelection() {
      network.unselectAll();
      undim();
      if (panel) panel.hidden = true;
    }
    map.select = select;
    // Where a node is drawn, in pixels from the map's top left corner.
    map.domPosition = function (id) {
      var dom = network.canvasToDOM(network.getPosition(id));
      return { x: dom.x, y: dom.y, width: container.clientWidth, height: container.clientHeight };
    };

    network.on("click", function (params) {
      if (params.nodes.length) select(params.nodes[0]);
      else clearSelection();
    });
    network.on("doubleClick", function (params) {
      var node = params.nodes.length ? nodes.get(params.nodes[0]) : null;
      if (node && node.url) window.location.assign(node.url);
    });
    var clear = document.getElementById("map-selection-clear");
    if (clear) {
      clear.addEventListener("click", function () {
        clearSelection();
        network.fit({ animation: false });
      });
    }

    // The legend: one checkbox per colour (actors) and per tie kind.
    var legendList = document.getElementById("map-legend");
    var legendTitle = document.getElementById("map-legend-title");
    if (legendTitle) legendTitle.textContent = "Légende : " + data.colour_label.toLowerCase();
    var groupBoxes = [];
    function syncLegend() {
      groupBoxes.forEach(function (pair) { pair[0].checked = !hiddenGroups.has(pair[1]); });
    }
    function legendItem(list, colour, label, count, onChange, dashed) {
      var item = element("li");
      var tick = element("label");
      var box = element("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { onChange(box.checked); });
      var swatch = element("span", null, "map-swatch" + (dashed ? " map-swatch-tie" : ""));
      swatch.style.backgroundColor = colour;
      tick.appendChild(box);
      tick.appendChild(swatch);
      tick.appendChild(element("span", label));
      if (count !== null) tick.appendChild(element("span", "(" + number(count) + ")", "count"));
      item.appendChild(tick);
      list.appendChild(item);
      return box;
    }
    if (legendList) {
      data.legend.forEach(function (g) {
        var box = legendItem(legendList, g.color, g.label, g.count, function (on) {
          if (on) hiddenGroups.delete(g.key); else hiddenGroups.add(g.key);
          nodeView.refresh();
        });
        groupBoxes.push([box, g.key]);
      });
    }
    var tieList = document.getElementById("map-ties");
    if (tieList) {
      data.tie_kinds.forEach(function (k, i) {
        legendItem(tieList, k.color, k.label, null, function (on) {
          hiddenKinds = on ? hiddenKinds & ~(1 << i) : hiddenKinds | (1 << i);
          edgeView.refresh();
        }, true);
      });
    }
    var freshList = document.getElementById("map-freshness");
    if (freshList) {
      data.freshness.forEach(function (label, i) {
        var item = element("li", null, "map-fresh map-fresh-" + i);
        item.appendChild(element("span", null, "map-line"));
        item.appendChild(element("span", label));
        freshList.appendChild(item);
      });
    }

    // Search: accents and case ignored; one match is chosen at once, several are listed.
    var searchForm = document.getElementById("map-search");
    var results = document.getElementById("map-search-results");
    function focusOn(id) {
      if (select(id)) network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    }
    if (searchForm && results) {
      searchForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var wanted = fold(document.getElementById("map-search-text").value).trim();
        results.replaceChildren();
        if (!wanted) return;
        var found = data.nodes.filter(function (n) { return fold(n.label).indexOf(wanted) !== -1; });
        if (!found.length) {
          results.appendChild(element("li", "Aucun acteur de la carte ne correspond.", "empty"));
          return;
        }
        if (found.length === 1) focusOn(found[0].id);
        found.slice(0, 20).forEach(function (n) {
          var item = element("li");
          var button = element("button", n.place ? n.label + " (" + n.place + ")" : n.label, "link-like");
          button.type = "button";
          button.addEventListener("click", function () { focusOn(n.id); });
          item.appendChild(button);
          results.appendChild(item);
        });
        if (found.length > 20) results.appendChild(element("li", "… et " + (found.length - 20) + " autres : précisez.", "hint"));
      });
    }

    var summary;
    var ties = count(data.edges.length, "lien", "liens");
    if (data.ego) {
      summary = "Réseau personnel de " + data.ego.label + " (" + data.ego.steps + " pas) : "
        + count(data.nodes.length, "acteur", "acteurs") + ", " + ties + ".";
    } else if (aggregated) {
      summary = count(data.nodes_total, "acteur", "acteurs") + " regroupés en "
        + count(data.nodes.length, "nœud", "nœuds") + " (" + (data.nodes_total > data.aggregate_above
          ? "plus de " + number(data.aggregate_above) + " acteurs : vue regroupée" : "vue regroupée")
        + "), " + ties + " additionnés.";
    } else {
      summary = count(data.nodes.length, "acteur", "acteurs") + ", " + ties + ".";
    }
    network.once("afterDrawing", function () {
      map.ready = true;
      map.readyAt = performance.now();
      container.setAttribute("data-state", "ready");
      status(summary);
    });
    network.fit({ animation: false });
    if (data.ego) select(data.ego.id);
  }

  fetch(container.getAttribute("data-source"), { headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    })
    .then(function (answer) {
      if (answer.ok) {
        draw(answer.body);
        return;
      }
      var errors = answer.body && answer.body.errors ? Object.values(answer.body.errors) : [];
      status(errors.length ? errors.join(" ") : "La carte n'a pas pu être chargée.");
      container.hidden = true;
    })
    .catch(function () {
      status("La carte n'a pas pu être chargée. Réessayez dans quelques instants.");
      container.hidden = true;
    });
})();
