"""Speed and memory of the network analysis, on generated data in a throwaway local Neo4j.

    .venv/bin/python benchmarks/network_analysis.py [programme|national|both]

Each scale is one run in a fresh database: the reference geography and institutions, the demo
records of ``seeds/demo.py`` (organisations, people, events with their attendance,
partnerships; deterministic), loaded by the batch path (``graph.bulk``).

- programme: 2,000 organisations and 5,000 people in the five programme regions, events sized
  so that the person network of the default window (the twelve months before the analysis
  day) holds about 50,000 ties;
- national: 60,000 organisations (every one of the 1,503 communes has some) and 240,000
  people, about 3 million person ties.

For a manager (the whole country) and the default analysis form, it times (median of a few
runs after a warm-up; a step slower than ``SLOW`` seconds is timed once): each projection and,
as its floor, the projection's Cypher alone (rows fetched, no graph built); every function of
``graph.analysis`` on the person and the organisation networks, each next to the same figure
computed by igraph alone from the edge list (graph built from the list of ties, then igraph's
own function: the baseline ratio); the gaps, the key people, and ``crm.network.analyse`` end to
end at both levels. Then whether sampled betweenness finds the same top 10 as the exact one
on the programme-scale person network, and the peak memory of this process and of Neo4j.

It prints a JSON report, then a table of the figures against the targets of issue 10
("OK" or "MISSED by ..."). The machine is shared and noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run from any checkout: this worktree's packages, not the ones the shared venv points at.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date  # noqa: E402

import igraph  # noqa: E402
import networkx as nx  # noqa: E402

from crm import cadence, network, users  # noqa: E402
from graph import projections  # noqa: E402
from graph.analysis import brokerage, centrality, ei, risk, structure  # noqa: E402
from graph.analysis.gaps import commune_gaps  # noqa: E402
from graph.database import ConnectionSettings, connect, run  # noqa: E402
from graph.local_neo4j import LocalNeo4j, free_port  # noqa: E402
from graph.schema import install_schema  # noqa: E402
from seeds import demo, geography, institutions  # noqa: E402

PASSWORD = "benchmark pass phrase 2026"
AS_OF = date(2026, 6, 30)  # the analysis day; generated records are dated before it
RUNS = 3  # timed runs after one warm-up
SLOW = 5.0  # seconds: a step slower than this is timed once (its warm-up run)
TOP = 10

SCALES = {
    "programme": {
        "organisations": 2_000,
        "people": 5_000,
        "events": 450,
        "partnerships": 3_000,
        "communes": None,
        "heap": "1500m",
        "pagecache": "512m",
    },
    "national": {
        "organisations": 60_000,
        "people": 240_000,
        "events": 30_000,
        "partnerships": 90_000,
        "communes": "all",
        "heap": "2g",
        "pagecache": "1g",
    },
}

# Targets of issue 10 (seconds, ratios, bytes).
TARGET_END_TO_END = {"programme": 3.0, "national": 60.0}
TARGET_IGRAPH_RATIO = 1.5
TARGET_AGREEMENT = 9
TARGET_PEAK_MEMORY = 1.5 * 1024**3


def measure(action: Callable[[], object], runs: int = RUNS) -> dict:
    """Median seconds of ``runs`` runs after a warm-up; one run when the warm-up is slow."""
    start = time.perf_counter()
    action()
    first = time.perf_counter() - start
    if first > SLOW:
        return {"s": first, "runs": 1}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return {"s": statistics.median(samples), "runs": runs}


def manager_actor():
    users.create_user("m@bench.ma", "Manager", PASSWORD, "manager")
    return users.load_session(users.authenticate("m@bench.ma", PASSWORD).session_token)


# --- igraph alone ---------------------------------------------------------------------------


def tie_list(G: nx.Graph) -> tuple[list, list[tuple[str, str, float]]]:
    """What igraph alone starts from: the nodes and the ties ``(u, v, weight)``."""
    return list(G), [(u, v, d["weight"]) for u, v, d in G.edges(data=True) if u != v]


def igraph_graph(nodes: list, ties: list[tuple[str, str, float]]) -> igraph.Graph:
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in ties])
    g.es["weight"] = [w for _, _, w in ties]
    return g


def igraph_baselines(nodes: list, ties: list, sources: list | None) -> dict[str, Callable]:
    """The metric functions of igraph alone, each building its graph from the tie list."""
    index = {node: i for i, node in enumerate(nodes)}
    picked = None if sources is None else [index[s] for s in sources]

    def with_graph(compute: Callable[[igraph.Graph], object]) -> Callable[[], object]:
        return lambda: compute(igraph_graph(nodes, ties))

    return {
        "build": with_graph(lambda g: g),
        "degree": with_graph(lambda g: g.degree()),
        "weighted_degree": with_graph(lambda g: g.strength(weights="weight")),
        "betweenness": with_graph(
            lambda g: (
                g.betweenness(directed=False, sources=picked)
                if picked is not None
                else g.betweenness(directed=False)
            )
        ),
        "closeness": with_graph(lambda g: g.closeness(normalized=True)),
        "pagerank": with_graph(lambda g: g.personalized_pagerank(directed=False, weights="weight")),
        "two_step_reach": with_graph(lambda g: g.neighborhood_size(order=2)),
        "density": with_graph(lambda g: g.density()),
        "communities": with_graph(lambda g: g.community_multilevel(weights="weight")),
        "communities (igraph leiden)": with_graph(
            lambda g: g.community_leiden(objective_function="modularity", weights="weight")
        ),
        "core_numbers": with_graph(lambda g: g.coreness()),
        "articulation_points": with_graph(lambda g: g.articulation_points()),
        "bridges": with_graph(lambda g: g.bridges()),
        "constraint": with_graph(lambda g: g.constraint()),
    }


# --- what is timed ----------------------------------------------------------------------------


def with_stand_in(action: Callable[[], object]) -> Callable[[], object]:
    """``action`` with ``structure.effective_size`` replaced by the stand-in."""

    def run_it() -> object:
        structure.effective_size = effective_size_stand_in
        try:
            return action()
        finally:
            structure.effective_size = _effective_size

    return run_it


def metric_functions(G: nx.Graph) -> dict[str, Callable[[], object]]:
    """Every function of graph.analysis crm.network uses on a network, with its arguments."""
    return {
        "degree": lambda: centrality.degree(G),
        "weighted_degree": lambda: centrality.weighted_degree(G),
        "betweenness": lambda: centrality.betweenness(G),
        "closeness": lambda: centrality.closeness(G),
        "pagerank": lambda: centrality.pagerank(G),
        "two_step_reach": lambda: centrality.two_step_reach(G, share=False),
        "density": lambda: centrality.density(G),
        "degree_centralization": lambda: centrality.degree_centralization(G),
        "communities": lambda: structure.communities(G, seed=network.COMMUNITY_SEED),
        "core_numbers": lambda: structure.core_numbers(G),
        "core_periphery": lambda: structure.core_periphery(G),
        "articulation_points": lambda: structure.articulation_points(G),
        "bridges": lambda: structure.bridges(G),
        "constraint": lambda: structure.constraint(G, weight=None),
        "brokerage_roles": lambda: brokerage.brokerage_roles(G),
        "ei_index": lambda: ei.ei_index(G),
        "vertical_horizontal_ei": lambda: ei.vertical_horizontal_ei(G),
        "key_people": lambda: risk.key_people(G, top=network.KEY_PEOPLE),
        "actor_metrics (stand-in effective_size)": with_stand_in(lambda: network.actor_metrics(G)),
    }


# structure.effective_size(G, weight=None) calls nx.effective_size, which builds for every node
# an ego graph from a full copy of G (nx.ego_graph(..., undirected=True) runs G.to_undirected()):
# hours on the programme person network. It is timed on a few nodes and extrapolated, and the
# end-to-end figures are measured with a stand-in computing the same values by Borgatti's
# formula (checked equal on those nodes), then corrected by the difference.
EFFECTIVE_SIZE_SAMPLE = 5
_effective_size = structure.effective_size


def effective_size_estimate(G: nx.Graph) -> dict:
    """The time of ``structure.effective_size(G, weight=None)`` extrapolated from a few nodes,
    and the stand-in's measured time."""
    simple = nx.Graph(G)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    tied = [v for v in simple if simple.degree(v)]
    sample = random.Random(0).sample(tied, min(EFFECTIVE_SIZE_SAMPLE, len(tied)))
    start = time.perf_counter()
    expected = nx.effective_size(simple, nodes=sample, weight=None)
    per_node = (time.perf_counter() - start) / max(len(sample), 1)
    fast = effective_size_stand_in(G)
    assert all(abs(fast[v] - expected[v]) < 1e-9 for v in sample), "stand-in differs"
    stand_in = measure(lambda: effective_size_stand_in(G))
    return {
        "s": per_node * len(tied),
        "estimated_from_nodes": len(sample),
        "stand_in_s": stand_in["s"],
    }


def effective_size_stand_in(G: nx.Graph, weight: str | None = None) -> dict:
    """Burt's effective size of the unweighted, undirected ``G``: n - 2t/n (Borgatti)."""
    if weight is not None:
        return _effective_size(G, weight=weight)
    neighbours = {v: set(G[v]) - {v} for v in G}
    result: dict = {}
    for v, mine in neighbours.items():
        if not mine:
            result[v] = None
            continue
        ties = sum(len(neighbours[u] & mine) for u in mine) / 2
        result[v] = len(mine) - 2 * ties / len(mine)
    return result


def time_metrics(G: nx.Graph, skip: frozenset[str] = frozenset()) -> dict:
    """Each metric's time, and igraph alone's time for the same figure with their ratio."""
    nodes, ties = tie_list(G)
    between = centrality.betweenness(G)
    sources = None
    if not between["exact"]:  # the same sampled sources as ours
        sources = random.Random(between["seed"]).sample(list(G), between["samples"])
    baselines = igraph_baselines(nodes, ties, sources)
    found: dict[str, dict] = {"igraph build from the tie list": measure(baselines["build"])}
    for name, action in metric_functions(G).items():
        if name in skip:
            found[name] = {"s": None, "skipped": "too slow at this scale, see the report"}
            continue
        gc.collect()
        figure = measure(action)
        if name in baselines:
            base = measure(baselines[name])
            figure.update(igraph_s=base["s"], ratio=figure["s"] / base["s"])
        if name == "communities":  # the same algorithm as ours (Leiden), for the record
            figure["igraph_leiden_s"] = measure(baselines["communities (igraph leiden)"])["s"]
        found[name] = figure
        print(f"    {name:<48} {_cell(figure)}", flush=True)
        if name == "constraint":
            found["effective_size (estimated)"] = estimate = effective_size_estimate(G)
            print(f"    {'effective_size (estimated)':<48} {estimate['s']:9.1f} s "
                  f"(Borgatti's formula: {estimate['stand_in_s']:.3f} s)", flush=True)  # fmt: skip
    found["betweenness"]["exact"] = between["exact"]
    return found


def _cell(figure: dict) -> str:
    text = f"{figure['s']:9.3f} s"
    if "igraph_s" in figure:
        text += f"  igraph alone {figure['igraph_s']:8.3f} s  ratio {figure['ratio']:6.2f}"
    return text


def betweenness_agreement(G: nx.Graph) -> dict:
    """Top 10 by sampled betweenness (forced, as above the exact limits) against the exact."""
    exact = centrality.betweenness(G, exact_limit=10**9, exact_edge_limit=10**9)
    sampled = centrality.betweenness(G, exact_limit=0, exact_edge_limit=0)

    def top(values: dict) -> list:
        return sorted(values, key=lambda n: (-values[n], n))[:TOP]

    exact_top, sampled_top = top(exact["values"]), top(sampled["values"])
    return {
        "samples": sampled["samples"],
        "seed": sampled["seed"],
        "agree": len(set(exact_top) & set(sampled_top)),
        "exact_top_values": [round(exact["values"][n], 5) for n in exact_top],
    }


def memory(neo: LocalNeo4j) -> dict:
    status = Path(f"/proc/{neo.pid}/status").read_text()

    def field(name: str) -> int:
        return int(status.split(name + ":")[1].split()[0]) * 1024

    return {
        "process_peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "neo4j_resident_bytes": field("VmRSS"),
        "neo4j_peak_resident_bytes": field("VmHWM"),
    }


# --- one scale -------------------------------------------------------------------------------


def benchmark(scale: str) -> dict:
    size = SCALES[scale]
    report: dict = {
        "scale": scale,
        "date": date.today().isoformat(),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "networkx": nx.__version__,
            "igraph": igraph.__version__,
        },
        "generated": {k: size[k] for k in ("organisations", "people", "events", "partnerships")},
    }
    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalNeo4j(
            Path(tmp) / "neo4j", bolt_port=free_port(), heap=size["heap"],
            pagecache=size["pagecache"],
        ) as neo,
    ):  # fmt: skip
        connect(ConnectionSettings(neo.uri, neo.user, neo.password))
        install_schema()
        geography.load()
        institutions.load()
        start = time.perf_counter()
        communes = demo.all_communes() if size["communes"] == "all" else None
        orgs, people = demo.generate(size["organisations"], size["people"], communes=communes)
        activity = demo.generate_activity(orgs, people, size["events"], size["partnerships"])
        generated = time.perf_counter() - start
        demo.load_people_and_organisations(orgs, people)
        demo.load_activity_data(activity)
        report["generated"]["attendance"] = len(activity["attendance"])
        report["generated"]["communes_with_organisations"] = len({o["commune"] for o in orgs})
        del orgs, people, activity
        gc.collect()
        report["load_s"] = {"generate": generated, "load": time.perf_counter() - start - generated}
        print(f"\n{scale}: generated in {generated:.1f} s, loaded in "
              f"{report['load_s']['load']:.1f} s", flush=True)  # fmt: skip

        manager = manager_actor()
        scope = network.read_scope({}, AS_OF)  # the default form: the last twelve months
        params = dict(
            territory=None, pilots_only=False, start=scope.start, end=scope.end, as_of=AS_OF
        )
        graphs = {}
        report["projections"] = {}
        for level, build, query in (
            ("organisation", projections.organisation_network, projections._organisation_query),
            ("person", projections.person_network, projections._person_query),
        ):
            graphs[level] = build(manager.scope.as_params(), **params)
            raw_params = projections._params(
                level, manager.scope.as_params(), None, False, scope.start, scope.end, None,
                None, AS_OF,
            )  # fmt: skip
            figure = measure(lambda b=build: b(manager.scope.as_params(), **params))
            raw = measure(lambda q=query, p=raw_params: run(q(True), **p))
            G = graphs[level]
            figure.update(
                nodes=G.number_of_nodes(), ties=G.number_of_edges(), raw_cypher_s=raw["s"],
                ratio=figure["s"] / raw["s"],
            )  # fmt: skip
            report["projections"][level] = figure
            print(f"  {level} network: {G.number_of_nodes()} nodes, {G.number_of_edges()} ties; "
                  f"projection {figure['s']:.2f} s, its Cypher alone {raw['s']:.2f} s",
                  flush=True)  # fmt: skip

        skip = frozenset()
        if scale == "national":
            skip = frozenset({"key_people"})  # exact networkx betweenness: hours at this size
        report["metrics"] = {}
        for level in ("person", "organisation"):
            print(f"  metrics of the {level} network:", flush=True)
            report["metrics"][level] = time_metrics(graphs[level], skip)

        assessed = sorted({d["commune"] for _, d in graphs["organisation"].nodes(data=True)}
                          - {""})  # fmt: skip
        cadences = cadence.cadences(manager)
        report["gaps"] = measure(
            lambda: commune_gaps(
                graphs["organisation"], graphs["person"],
                [{"code": c, "name": c} for c in assessed], as_of=AS_OF, cadences=cadences,
            )
        )  # fmt: skip
        report["gaps"]["communes"] = len(assessed)
        print(f"  gaps of {len(assessed)} communes: {report['gaps']['s']:.2f} s", flush=True)

        if scale == "programme":
            report["betweenness_agreement"] = betweenness_agreement(graphs["person"])

        report["analyse"] = {}
        for level in ("organisation", "person"):
            if scale == "national" and level == "person":
                report["analyse"][level] = {"s": None, "skipped": "key_people: hours"}
                continue
            form = {"niveau": level}
            figure = measure(with_stand_in(lambda f=form: network.analyse(manager, f, AS_OF)))
            estimate = report["metrics"][level]["effective_size (estimated)"]
            figure["measured_with_stand_in_s"] = figure["s"]
            figure["s"] += estimate["s"] - estimate["stand_in_s"]  # as shipped, estimated
            report["analyse"][level] = figure
            print(f"  crm.network.analyse, {level} level: {figure['s']:.2f} s as shipped "
                  f"(estimated), {figure['measured_with_stand_in_s']:.2f} s measured with the "
                  "effective_size stand-in", flush=True)  # fmt: skip
        graphs.clear()
        gc.collect()
        report["memory"] = memory(neo)
    report["verdicts"] = verdicts(report)
    return report


# --- targets ---------------------------------------------------------------------------------


def _verdict(value: float | None, target: float, unit: str, higher_is_better: bool = False) -> str:
    if value is None:
        return "NOT MEASURED"
    if (value >= target) if higher_is_better else (value <= target):
        return "OK"
    if higher_is_better:
        return f"MISSED by {target - value:g} {unit}"
    return f"MISSED by {value / target:.1f}x ({value - target:+.2f} {unit})"


def verdicts(report: dict) -> list[dict]:
    rows = []
    scale = report["scale"]
    target = TARGET_END_TO_END[scale]
    for level, figure in report["analyse"].items():
        rows.append({
            "figure": f"analyse end to end, {level} level (s)", "value": figure["s"],
            "target": f"< {target:g} s", "verdict": _verdict(figure["s"], target, "s"),
            "why": _dominant(report, level),
        })  # fmt: skip
    for level, metrics in report["metrics"].items():
        for name, figure in metrics.items():
            if "ratio" not in figure:
                continue
            rows.append({
                "figure": f"{name} / igraph alone, {level} network", "value": figure["ratio"],
                "target": f"<= {TARGET_IGRAPH_RATIO:g}x",
                "verdict": _verdict(figure["ratio"], TARGET_IGRAPH_RATIO, "x"),
                "why": "",
            })  # fmt: skip
    if "betweenness_agreement" in report:
        agree = report["betweenness_agreement"]["agree"]
        rows.append({
            "figure": "sampled betweenness top 10 = exact (programme person network)",
            "value": agree, "target": f">= {TARGET_AGREEMENT}/10",
            "verdict": _verdict(agree, TARGET_AGREEMENT, "node(s)", higher_is_better=True),
            "why": "",
        })  # fmt: skip
    peak = report["memory"]["process_peak_bytes"]
    rows.append({
        "figure": "peak memory of the process (GiB)", "value": peak / 1024**3,
        "target": f"< {TARGET_PEAK_MEMORY / 1024**3:g} GiB",
        "verdict": _verdict(peak / 1024**3, TARGET_PEAK_MEMORY / 1024**3, "GiB"), "why": "",
    })  # fmt: skip
    return rows


def _dominant(report: dict, level: str) -> str:
    """The steps of analyse that cost most (as timed separately)."""
    steps = {f"{lv} projection": f["s"] for lv, f in report["projections"].items()}
    metrics = report["metrics"][level]
    for name, figure in metrics.items():
        if name in ("key_people", "effective_size (estimated)") or name.startswith("actor_"):
            if figure.get("s") is not None:
                steps[f"{name} ({level})"] = figure["s"]
    steps["gaps"] = report["gaps"]["s"]
    top = sorted(steps.items(), key=lambda kv: -kv[1])[:3]
    stand_in = report["analyse"][level].get("measured_with_stand_in_s")
    return ", ".join(f"{name} {s:.2f} s" for name, s in top) + (
        f"; {stand_in:.2f} s with effective_size by Borgatti's formula" if stand_in else ""
    )


def print_table(report: dict) -> None:
    print(f"\n{report['scale']} scale, {report['date']}, {report['machine']['cores']} cores")
    for level, figure in report["projections"].items():
        print(f"  {level} network: {figure['nodes']} nodes, {figure['ties']} ties; projection "
              f"{figure['s']:.2f} s = {figure['ratio']:.2f}x its Cypher alone "
              f"({figure['raw_cypher_s']:.2f} s)")  # fmt: skip
    print(f"  gaps ({report['gaps']['communes']} communes): {report['gaps']['s']:.2f} s")
    m = report["memory"]
    print(f"  memory: process peak {m['process_peak_bytes'] / 1024**2:.0f} MiB, Neo4j resident "
          f"{m['neo4j_resident_bytes'] / 1024**2:.0f} MiB "
          f"(peak {m['neo4j_peak_resident_bytes'] / 1024**2:.0f} MiB)")  # fmt: skip
    for level, metrics in report["metrics"].items():
        print(f"  {level} network, per metric (s):")
        for name, figure in metrics.items():
            if figure.get("s") is None:
                print(f"    {name:<48} skipped ({figure.get('skipped')})")
            else:
                print(f"    {name:<48} {_cell(figure)}")
    print(f"\n  {'figure':<62} {'value':>9} {'target':>10}  verdict")
    for row in report["verdicts"]:
        value = "-" if row["value"] is None else f"{row['value']:.2f}"
        why = f"  [{row['why']}]" if row["why"] and row["verdict"] != "OK" else ""
        print(f"  {row['figure']:<62} {value:>9} {row['target']:>10}  {row['verdict']}{why}")


def main(argv: list[str]) -> None:
    which = argv[0] if argv else "programme"
    if which not in ("programme", "national", "both"):
        sys.exit("usage: network_analysis.py [programme|national|both]")
    scales = ["programme", "national"] if which == "both" else [which]
    reports = [benchmark(scale) for scale in scales]
    print(json.dumps(reports, indent=2, default=str))
    for report in reports:
        print_table(report)


if __name__ == "__main__":
    main(sys.argv[1:])
