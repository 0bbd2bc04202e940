"""Size of the network map's JSON and time to an interactive map in headless Chromium.

    .venv/bin/python benchmarks/network_map.py [SIZES...]     (default: 500 2000 10000)

For each size, a generated organisation network (deterministic: a clustered scale-free graph
of about three ties per node, organisations of every kind spread over communes, names in
French and Arabic, ties of every kind and age) goes through the same functions as the
app's map: ``graph.analysis.layout.positions`` and ``crm.maps.map_payload``, serialised as
the JSON route does. No database: the projection's own cost is measured by
``benchmarks/network_analysis.py``.

Then headless Chromium (``--headless --no-sandbox --disable-gpu
--disable-background-networking``) opens a page that loads the app's own
``static/js/network-map.js`` and the vendored vis-network, served by a local HTTP server with
the app's Content-Security-Policy, and the time to interactive is read from the page: from
the navigation's start to vis-network's first drawing, after which the map answers clicks
and searches (``window.tansiqMap.readyAt``). The time one click's neighbourhood highlight
takes is measured too.

Baselines, printed as ratios:

- JSON: a bare node-link dump (``{"nodes": [{"id"}], "links": [{"source", "target"}]}``):
  what the ids and ties alone weigh; and networkx's ``node_link_data`` with every attribute
  (what sending the projection as it is would weigh);
- browser: the same nodes drawn by vis-network at the same positions with no attribute at
  all (no label, colour, size, tooltip, legend), from the bare JSON.

Target (issue 11): a 2,000-node map interactive in under 3 s with under 1 MB of JSON.
The machine is shared and noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run from any checkout: this worktree's packages, not the ones the shared venv points at.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import functools  # noqa: E402
import http.server  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import networkx as nx  # noqa: E402

from crm.maps import AGGREGATE_ABOVE, map_payload  # noqa: E402
from graph.analysis.layout import positions  # noqa: E402
from graph.vocabulary import ORGANISATION_KINDS, ORGANISATION_SECTORS  # noqa: E402
from webui.security import CONTENT_SECURITY_POLICY  # noqa: E402

SIZES = (500, 2000, 10000)
RUNS = 3  # timed runs per figure, after one warm-up
TODAY = date(2026, 3, 15)
TARGET_NODES, TARGET_SECONDS, TARGET_BYTES = 2000, 3.0, 1_000_000
STATIC = Path(__file__).resolve().parents[1] / "webui" / "static"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
TIMEOUT = 120

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carte</title>
<link rel="icon" href="static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="static/css/tansiq.css">
<link rel="stylesheet" href="static/vendor/vis-network/vis-network.min.css">
<link rel="stylesheet" href="static/css/network-map.css">
<script src="static/vendor/vis-network/vis-data.min.js" defer></script>
<script src="static/vendor/vis-network/vis-network.min.js" defer></script>
<script src="static/js/{script}" defer></script>
</head><body><main>
<div class="map-layout"><div class="map-main">
<p class="map-status" id="map-status" role="status"></p>
<div id="network-map" class="network-map" data-source="{data}" data-ego-base="page.html"></div>
</div><aside class="map-tools">
<form class="map-search" id="map-search"><input id="map-search-text" type="search">
<button type="submit">Trouver</button><ul id="map-search-results"></ul></form>
<section id="map-selection" hidden><p id="map-selection-name"></p>
<p id="map-selection-facts"></p><a id="map-selection-open" href="#">Ouvrir</a>
<p id="map-ego-links"><a id="map-ego-1" href="#">1</a><a id="map-ego-2" href="#">2</a></p>
<button type="button" id="map-selection-clear">Tout</button></section>
<h2 id="map-legend-title"></h2><ul id="map-legend"></ul><ul id="map-ties"></ul>
<ul id="map-freshness"></ul></aside></div></main></body></html>
"""

# The baseline: the same vis-network, the same positions, no attribute.
BASELINE_JS = """(function () {
  "use strict";
  var container = document.getElementById("network-map");
  var map = window.tansiqMap = { ready: false, readyAt: null };
  fetch(container.getAttribute("data-source")).then(function (r) { return r.json(); })
    .then(function (data) {
      var nodes = new vis.DataSet(data.nodes.map(function (n) {
        return { id: n.id, x: n.x, y: n.y }; }));
      var edges = new vis.DataSet(data.links.map(function (l, i) {
        return { id: i, from: l.source, to: l.target }; }));
      var network = new vis.Network(container, { nodes: nodes, edges: edges },
        { physics: false, layout: { improvedLayout: false }, edges: { smooth: false } });
      network.once("afterDrawing", function () {
        map.ready = true; map.readyAt = performance.now(); });
      network.fit({ animation: false });
    });
})();
"""


def generated_network(n: int, seed: int = 11) -> nx.Graph:
    """An organisation network shaped like a projection's: ``n`` organisations in communes
    of about 25, tied about three times each (clustered, a few hubs), ties of every kind."""
    rng = random.Random(seed)
    skeleton = nx.powerlaw_cluster_graph(n, 3, 0.3, seed=seed)
    # Neighbours mostly share a commune: communes are runs of a breadth-first order.
    order = list(nx.bfs_tree(skeleton, 0)) if n else []
    order += [v for v in skeleton if v not in set(order)]
    kinds = list(ORGANISATION_KINDS)
    G = nx.Graph(level="organisation")
    for rank, v in enumerate(order):
        kind = rng.choices(kinds, weights=[40, 8, 4, 6, 2, 1, 8, 8, 3, 1, 2, 3, 2, 2])[0]
        commune = f"02.{411 + rank // 250:03d}.01.{rank // 25 % 10 + 1}"
        name = (
            f"جمعية التنمية المحلية رقم {v}"
            if v % 5 == 0
            else f"{ORGANISATION_KINDS[kind].split(' (')[0]} n° {v} de la commune"
        )
        G.add_node(
            f"{v:032x}",
            kind="organisation",
            name=name,
            named=True,
            sector=ORGANISATION_SECTORS[kind],
            org_kind=kind,
            commune=commune,
            province=commune.rsplit(".", 2)[0],
            region="02",
        )
    tie_kinds = ["partnership", "shared_member", "co_attendance", "interaction"]
    for u, v in skeleton.edges():
        count = rng.randint(1, 4)
        G.add_edge(
            f"{u:032x}",
            f"{v:032x}",
            weight=round(rng.uniform(0.2, 3.0), 3),
            count=count,
            kinds=sorted(rng.sample(tie_kinds, rng.randint(1, 2))),
            last=(TODAY - timedelta(days=rng.randint(0, 700))).isoformat(),
            records=[{"kind": "event", "uid": f"{rng.getrandbits(128):032x}"}
                     for _ in range(count)],
            people=[],
        )  # fmt: skip
    return G


def server_side(G: nx.Graph) -> tuple[bytes, float]:
    """The map's JSON as the route sends it, and the median time to make it."""
    links = {"organisation": "/organisations/__uid__"}
    times, body = [], b""
    for _ in range(RUNS):
        start = time.perf_counter()
        payload = map_payload(G, positions(G, seed=2026), links=links, today=TODAY)
        payload.update(level="organisation", view="detail", nodes_total=G.number_of_nodes(),
                       aggregate_above=AGGREGATE_ABOVE, territory="", ego=None)  # fmt: skip
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        times.append(time.perf_counter() - start)
    return body, statistics.median(times)


def bare_node_link(G: nx.Graph, xy: dict) -> bytes:
    data = {
        "nodes": [{"id": v, "x": round(xy[v][0]), "y": round(xy[v][1])} for v in G],
        "links": [{"source": u, "target": v} for u, v in G.edges()],
    }
    return json.dumps(data, separators=(",", ":")).encode()


def bare_ids(G: nx.Graph) -> bytes:
    data = {"nodes": [{"id": v} for v in G],
            "links": [{"source": u, "target": v} for u, v in G.edges()]}  # fmt: skip
    return json.dumps(data, separators=(",", ":")).encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--window-size=1280,900"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


def time_to_interactive(driver, url: str) -> float:
    """Seconds from the navigation's start to the map's first drawing (median of RUNS)."""
    from selenium.webdriver.support.ui import WebDriverWait

    times = []
    for run in range(RUNS + 1):
        driver.get("about:blank")
        driver.get(url)
        WebDriverWait(driver, TIMEOUT, poll_frequency=0.05).until(
            lambda d: d.execute_script("return !!(window.tansiqMap && window.tansiqMap.ready);")
        )
        ready_at = driver.execute_script("return window.tansiqMap.readyAt;")
        if run:  # the first one warms the browser up
            times.append(ready_at / 1000)
    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    if severe:
        raise SystemExit(f"the page logged errors: {severe}")
    return statistics.median(times)


def highlight_seconds(driver) -> float:
    """One click's neighbourhood highlight (select and dim the others), in the page."""
    return driver.execute_script(
        "const m = window.tansiqMap; const id = m.data.nodes[0].id;"
        "const t = performance.now(); m.select(id); return (performance.now() - t) / 1000;"
    )


def main(sizes: tuple[int, ...]) -> None:
    site = Path(tempfile.mkdtemp(prefix="tansiq-map-bench-"))
    shutil.copytree(STATIC, site / "static")
    (site / "static" / "js" / "baseline-map.js").write_text(BASELINE_JS)
    (site / "page.html").write_text(PAGE.format(script="network-map.js", data="map.json"))
    (site / "baseline.html").write_text(PAGE.format(script="baseline-map.js", data="bare.json"))
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    driver = browser()
    results = []
    try:
        for n in sizes:
            G = generated_network(n)
            body, server_seconds = server_side(G)
            xy = positions(G, seed=2026)
            bare = bare_node_link(G, xy)
            full = json.dumps(nx.node_link_data(G, edges="links"), ensure_ascii=False,
                              separators=(",", ":")).encode()  # fmt: skip
            (site / "map.json").write_bytes(body)
            (site / "bare.json").write_bytes(bare)
            tti = time_to_interactive(driver, f"{base}/page.html")
            drawn = driver.execute_script("return window.tansiqMap.nodes.length;")
            assert drawn == G.number_of_nodes(), (drawn, G.number_of_nodes())
            highlight = highlight_seconds(driver)
            baseline_tti = time_to_interactive(driver, f"{base}/baseline.html")
            results.append({
                "nodes": G.number_of_nodes(),
                "ties": G.number_of_edges(),
                "json_bytes": len(body),
                "bare_ids_bytes": len(bare_ids(G)),
                "bare_with_positions_bytes": len(bare),
                "node_link_all_attributes_bytes": len(full),
                "server_seconds": round(server_seconds, 3),
                "interactive_seconds": round(tti, 3),
                "baseline_interactive_seconds": round(baseline_tti, 3),
                "highlight_seconds": round(highlight, 3),
            })  # fmt: skip
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(site, ignore_errors=True)
    report(results)


def report(results: list[dict]) -> None:
    print(json.dumps({"machine": f"{platform.machine()}, {platform.python_version()}",
                      "results": results}, indent=2))  # fmt: skip
    print()
    header = ("nodes", "ties", "JSON", "× bare ids", "× bare+xy", "× full dump", "server s",
              "browser s", "× no-attr", "highlight s")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        print(" | ".join([
            f"{r['nodes']:,}", f"{r['ties']:,}", f"{r['json_bytes'] / 1e6:.2f} MB",
            f"{r['json_bytes'] / r['bare_ids_bytes']:.2f}",
            f"{r['json_bytes'] / r['bare_with_positions_bytes']:.2f}",
            f"{r['json_bytes'] / r['node_link_all_attributes_bytes']:.2f}",
            f"{r['server_seconds']:.2f}", f"{r['interactive_seconds']:.2f}",
            f"{r['interactive_seconds'] / r['baseline_interactive_seconds']:.2f}",
            f"{r['highlight_seconds']:.3f}",
        ]))  # fmt: skip
    print()
    for r in results:
        if r["nodes"] == TARGET_NODES:
            ok_time = r["interactive_seconds"] < TARGET_SECONDS
            ok_size = r["json_bytes"] < TARGET_BYTES
            print(f"target {TARGET_NODES:,} nodes interactive < {TARGET_SECONDS:.0f} s: "
                  + ("OK" if ok_time else "MISSED")
                  + f" ({r['interactive_seconds']:.2f} s); JSON < 1 MB: "
                  + ("OK" if ok_size else "MISSED")
                  + f" ({r['json_bytes'] / 1e6:.2f} MB)")  # fmt: skip


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
