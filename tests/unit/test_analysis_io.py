"""The export formats of a network (graph.analysis.io), read back by networkx and by hand."""

import doctest
import io
import json
import os
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from PIL import Image, ImageFont

from graph.analysis import io as exports_io
from graph.analysis import pictures
from graph.analysis.io import (
    EDGE_FIELDS,
    NODE_FIELDS,
    edge_table,
    export_graph,
    node_link,
    node_table,
    to_gexf13,
    to_graphml,
)
from graph.analysis.pictures import to_png, to_svg

UNNAMED = "Personne non nommée"
XSS = '<img src=x onerror=alert(1)> "Nour" & </script>'
LABELS = {
    "sector": {"civil_society": "Société civile", "territorial_collectivity": "Collectivité"},
    "org_kind": {"osc": "Association / OSC", "commune_council": "Conseil communal"},
    "kinds": {"co_attendance": "Participation au même événement", "interaction": "Interaction"},
}


def _projection() -> nx.Graph:
    """Like graph.projections: two organisations (one with an XSS-like, Arabic name and a
    control character), a named person and one who may not be named."""
    G = nx.Graph(level="organisation")
    place = {"commune": "02.411.01.23", "province": "02.411", "region": "02", "pilot": True}
    G.add_node("o1", kind="organisation", name="Conseil communal d'Oujda", named=True,
               sector="territorial_collectivity", org_kind="commune_council", shared=False,
               officers=["u1"], **place)  # fmt: skip
    G.add_node("o2", kind="organisation", name=XSS + " جمعية\x0b", named=True, officers=[],
               sector="civil_society", org_kind="osc", shared=False, **place)  # fmt: skip
    G.add_node("p1", kind="person", name="Karim OUJDI", named=True, sector="",
               gender="m", age_band="35-44", officers=[], **place)  # fmt: skip
    G.add_node("p2", kind="person", name="", named=False, sector="civil_society",
               gender="f", age_band="18-24", officers=[], **place)  # fmt: skip
    records = [{"kind": "event", "uid": "e1"}, {"kind": "interaction", "uid": "i1"}]
    G.add_edge("o1", "o2", weight=1.75, count=2, kinds=["co_attendance", "interaction"],
               last="2026-02-10", records=records, people=["p1", "p2"])  # fmt: skip
    G.add_edge("p1", "p2", weight=0.5, count=1, kinds=["co_attendance"], last=None,
               records=records[:1], people=[])  # fmt: skip
    return G


def _metrics() -> dict:
    row = {"degree": 1, "weighted_degree": 1.75, "betweenness": 0.0, "closeness": 1.0,
           "pagerank": 0.25, "community": 0, "core": 1, "in_core": True, "constraint": 1.0,
           "effective_size": 1.0, "brokerage": 0, "reach": 1, "name": "ignored",
           "roles": {"coordinator": 0, "gatekeeper": 2, "representative": 0,
                     "consultant": 0, "liaison": 1, "total": 3}}  # fmt: skip
    return {node: {**row, "degree": i} for i, node in enumerate(("o1", "o2", "p1"))} | {
        "p2": {**row, "constraint": None}
    }


@pytest.fixture
def exported() -> nx.Graph:
    return export_graph(_projection(), _metrics(), unnamed_label=UNNAMED, labels=LABELS)


def test_export_graph_keeps_flat_typed_attributes_only(exported):
    keys = {"label"} | {f.key for f in NODE_FIELDS}
    types = {f.key: f.type for f in NODE_FIELDS} | {"label": str}
    for node, data in exported.nodes(data=True):
        assert set(data) == keys, node
        for key, value in data.items():
            assert value is None or type(value) is types[key], (node, key, value)
    for *_, data in exported.edges(data=True):
        assert set(data) == {"weight"} | {f.key for f in EDGE_FIELDS}
    o1 = exported.nodes["o1"]
    assert o1["label"] == "Conseil communal d'Oujda" and o1["sector_label"] == "Collectivité"
    assert o1["org_kind_label"] == "Conseil communal" and o1["kind_label"] == "Organisation"
    assert o1["degree"] == 0 and o1["brokerage_gatekeeper"] == 2 and o1["in_core"] is True
    assert o1["pilot"] is True and o1["shared"] is False and o1["gender"] is None
    tie = exported.edges["o1", "o2"]
    assert tie["kinds"] == "co_attendance;interaction" and tie["count"] == 2
    assert tie["kinds_label"] == "Participation au même événement ; Interaction"
    assert exported.edges["p1", "p2"]["last"] is None


def test_a_person_who_may_not_be_named_keeps_no_name_gender_or_age(exported):
    p2 = exported.nodes["p2"]
    assert p2["label"] == UNNAMED
    assert p2["gender"] is None and p2["age_band"] is None and p2["constraint"] is None
    assert p2["sector"] == "civil_society" and p2["commune"] == "02.411.01.23"
    p1 = exported.nodes["p1"]
    assert p1["label"] == "Karim OUJDI" and p1["gender"] == "m" and p1["age_band"] == "35-44"


def test_the_input_graph_is_left_unchanged():
    G = _projection()
    before = (dict(G.nodes(data=True)), list(G.edges(data=True)))
    export_graph(G, _metrics(), unnamed_label=UNNAMED, labels=LABELS)
    assert before == (dict(G.nodes(data=True)), list(G.edges(data=True)))


def _present(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


def test_gexf_13_is_read_back_by_networkx_with_every_attribute(exported):
    content = to_gexf13(exported, description="Réseau des organisations", day="2026-03-15")
    back = nx.read_gexf(io.BytesIO(content))
    assert set(back) == set(exported)
    for node, data in exported.nodes(data=True):
        assert back.nodes[node] == _present(data), node
    for u, v, data in exported.edges(data=True):
        read = dict(back.edges[u, v])
        read.pop("id")
        assert read == _present(data), (u, v)
    # The XSS-like name is plain data; the control character is gone; Arabic stays.
    assert back.nodes["o2"]["label"] == XSS + " جمعية"
    assert b"<img" not in content and b"&lt;img src=x" in content


def test_gexf_13_header_and_declared_types(exported):
    root = ET.fromstring(to_gexf13(exported, day="2026-03-15"))
    ns = {"g": "http://gexf.net/1.3"}
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
    assert root.get(xsi) == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    assert root.find("g:meta", ns).get("lastmodifieddate") == "2026-03-15"
    graph = root.find("g:graph", ns)
    assert graph.get("defaultedgetype") == "undirected"
    declared = {
        a.get("class"): {x.get("id"): x.get("type") for x in a.findall("g:attribute", ns)}
        for a in graph.findall("g:attributes", ns)
    }
    assert declared["node"]["betweenness"] == "double"
    assert declared["node"]["degree"] == "integer"
    assert declared["node"]["pilot"] == "boolean"
    assert declared["node"]["sector"] == "string"
    assert declared["edge"] == {"count": "integer", "kinds": "string", "kinds_label": "string",
                                "last": "string"}  # fmt: skip


def test_graphml_is_read_back_by_networkx_with_every_attribute(exported):
    content = to_graphml(exported)
    back = nx.read_graphml(io.BytesIO(content))
    assert set(back) == set(exported)
    for node, data in exported.nodes(data=True):
        assert back.nodes[node] == _present(data), node
    for u, v, data in exported.edges(data=True):
        read = dict(back.edges[u, v])
        read.pop("id")
        assert read == _present(data), (u, v)
    assert back.nodes["o2"]["label"] == XSS + " جمعية"
    assert not back.is_directed()


def test_empty_graph_gives_valid_empty_files():
    empty = export_graph(nx.Graph(), unnamed_label=UNNAMED)
    assert nx.read_gexf(io.BytesIO(to_gexf13(empty))).number_of_nodes() == 0
    assert nx.read_graphml(io.BytesIO(to_graphml(empty))).number_of_nodes() == 0
    assert node_link(empty)["nodes"] == [] and node_table(empty)[1] == []
    assert edge_table(empty)[1] == []


def test_node_link_reads_back_and_is_json(exported):
    data = json.loads(json.dumps(node_link(exported, {"level": "organisation"})))
    assert data["graph"] == {"level": "organisation"}
    back = nx.node_link_graph(data, edges="links")
    assert set(back) == set(exported)
    assert back.nodes["p2"] == exported.nodes["p2"] and back.nodes["p2"]["label"] == UNNAMED
    assert back.edges["o1", "o2"] == exported.edges["o1", "o2"]


def test_tables_have_gephi_column_names_and_every_field(exported):
    header, rows = node_table(exported)
    assert header[:2] == ["Id", "Label"] and len(header) == 2 + len(NODE_FIELDS)
    by_id = {row[0]: row for row in rows}
    assert by_id["p2"][1] == UNNAMED
    assert by_id["o1"][header.index("Intermédiarité")] == 0.0
    header, rows = edge_table(exported)
    assert header[:4] == ["Source", "Target", "Type", "Weight"]
    assert {(r[0], r[1]): r[3] for r in rows}[("o1", "o2")] == 1.75


def test_svg_draws_every_node_and_tie_with_names_as_text(exported):
    spots = {"o1": (0.0, 0.0), "o2": (60.0, 0.0), "p1": (0.0, 60.0), "p2": (60.0, 60.0)}
    colours = {"": "#999999", "civil_society": "#e69f00"}
    content = to_svg(exported, spots, colours=colours, legend={"civil_society": "Société civile"},
                     title="Réseau & co", labelled=2)  # fmt: skip
    root = ET.fromstring(content)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    discs = root.findall("s:g[@class='actors']/s:circle", ns)
    assert len(discs) == 4 and len(root.findall("s:g[@class='ties']/s:line", ns)) == 2
    tooltips = {d.find("s:title", ns).text: d.get("fill") for d in discs}
    assert tooltips[XSS + " جمعية"] == "#e69f00" and UNNAMED in tooltips
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == "Réseau & co" and texts[-1] == "Société civile"
    assert len(texts) == 1 + 2 + 1  # title, the two labelled nodes, the legend
    assert b"<img" not in content


def test_svg_of_an_empty_graph_is_a_valid_picture():
    content = to_svg(export_graph(nx.Graph(), unnamed_label=UNNAMED), {}, colours={})
    assert ET.fromstring(content).findall("{http://www.w3.org/2000/svg}g/*") == []


SPOTS = {"o1": (0.0, 0.0), "o2": (60.0, 0.0), "p1": (0.0, 60.0), "p2": (60.0, 60.0)}
COLOURS = {"": "#999999", "civil_society": "#e69f00", "territorial_collectivity": "#009e73"}


def _image(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    image.load()  # the whole file decodes
    return image.convert("RGB")


def test_png_draws_each_node_in_its_sector_colour_at_its_place(exported):
    legend = {"civil_society": "Société civile", "territorial_collectivity": "Collectivité"}
    content = to_png(exported, SPOTS, colours=COLOURS, legend=legend, title="Réseau & co",
                     labelled=2, width=800)  # fmt: skip
    image = _image(content)
    frame = pictures._png_frame(exported, SPOTS, width=800, title="Réseau & co", legend=2)
    assert image.size == (800, frame.height) and 150 < frame.height < 800
    expected = {"o1": (0x00, 0x9E, 0x73), "o2": (0xE6, 0x9F, 0x00), "p1": (0x99, 0x99, 0x99)}
    for node, colour in expected.items():
        x, y = frame.at(*SPOTS[node])
        pixel = image.getpixel((round(x), round(y)))
        assert all(abs(a - b) <= 3 for a, b in zip(pixel, colour, strict=True)), (node, pixel)
    # The middle of a tie is grey, a corner is white, and the picture is not a blank page.
    (x1, y1), (x2, _) = frame.at(*SPOTS["o1"]), frame.at(*SPOTS["o2"])
    r, g, b = image.getpixel((round((x1 + x2) / 2), round(y1)))
    assert r < 250 and abs(r - g) < 30 and abs(g - b) < 30
    assert image.getpixel((2, 2)) == (255, 255, 255)
    assert len(image.getcolors(1 << 20)) > 50  # anti-aliased edges, text


def test_png_follows_its_width_and_keeps_big_networks_within_twice_it():
    G = export_graph(nx.path_graph(30), unnamed_label=UNNAMED)
    tall = {n: (0.0, 60.0 * n) for n in G}
    image = _image(to_png(G, tall, colours=COLOURS, width=400))
    assert image.size[0] == 400 and image.size[1] <= 800
    assert _image(to_png(G, tall, colours=COLOURS, width=10)).size[0] == 320


def test_png_labels_that_the_font_cannot_draw_do_not_break_the_picture():
    G = nx.Graph()
    names = [XSS + " جمعية النور", "Œuvre d'entraide — Béni Drar…", "a\x00b\nc\u2028d\ud800",
             "\U0001f600 emoji", "x" * 500, ""]  # fmt: skip
    for i, name in enumerate(names):
        G.add_node(f"n{i}", name=name, named=True, sector="civil_society")
    G.add_edges_from(("n0", f"n{i}") for i in range(1, len(names)))
    flat = export_graph(G, unnamed_label=UNNAMED)
    spots = {f"n{i}": (60.0 * i, 0.0) for i in range(len(names))}
    image = _image(to_png(flat, spots, colours=COLOURS, title=XSS, legend={"": "é"}))
    assert image.size[0] == 1600
    basic = ImageFont.load_default(size=12)  # Pillow's own font: basic Latin only
    assert pictures._drawable("Œuvre — Béni", basic) == "OEuvre - Beni"
    assert pictures._drawable("a\x00b\n\tc", basic) == "ab c"


@pytest.mark.skipif(
    not any(os.path.isfile(p) for p in pictures.FONT_FILES), reason="no DejaVu Sans here"
)
def test_png_labels_keep_accents_and_arabic_with_a_full_font():
    font = pictures._font(12)
    assert pictures._drawable("Œuvre — Béni", font) == "Œuvre — Béni"
    assert pictures._drawable("جمعية النور", font) == "جمعية النور"


def test_png_of_an_empty_graph_is_a_small_valid_picture():
    empty = export_graph(nx.Graph(), unnamed_label=UNNAMED)
    image = _image(to_png(empty, {}, colours={}, title="Réseau des organisations"))
    assert image.size[0] == 1600 and image.size[1] < 200
    assert len(image.getcolors(1 << 20)) > 2  # the title and the message are drawn
    assert pictures.EMPTY_PICTURE == "Aucun acteur dans ce périmètre."


def test_the_docstring_examples():
    assert doctest.testmod(exports_io).failed == 0
    assert doctest.testmod(pictures).failed == 0
