"""Exports of the analysed network (issue 11, item 4): GEXF 1.3, GraphML, CSV, JSON, XLSX, the
standalone HTML map and the SVG and PNG pictures, scoped by role and territory, audited, never
naming people under opposition — through the pages and routes, against the real Neo4j."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import networkx as nx
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageColor

from crm import events, interactions, network, organisations, partnerships, people, privacy
from crm.network_exports import SECTOR_COLOURS
from graph.database import run
from tests.formparse import form_with
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 15)
WINDOW = {"du": "2025-06-01", "au": "2026-03-15"}
XSS = '<img src=x onerror=alert(1)> "Amal" & </script>'
FORMATS = ("gexf", "graphml", "csv-acteurs", "csv-liens", "json", "html", "svg", "png", "xlsx")
UNNAMED = "Personne non nommée"


@pytest.fixture
def world(app, manager, officer):
    """Oujda: its council, an association with an XSS-like name, association Nour; INDH
    (shared, national); two Casablanca associations tied by a partnership. Karim (council),
    Salma (XSS association) and Houda (Nour, under opposition) attend a training organised
    by the council; Nour partners with INDH; an association named like a formula and one
    named like a phone number meet the council."""
    app.config["CLOCK"] = lambda: datetime(2026, 3, 15, 10, 0, tzinfo=UTC)

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    def person(first, last, gender, organisation):
        uid = people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": OUJDA, "gender": gender}
        )
        people.link_to_organisation(
            manager, uid, organisation, {"role": "Membre", "since": "2024-01-01"}
        )
        return uid

    o = {
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "xss": org(XSS, OUJDA),
        "nour": org("Association Nour", OUJDA),
        "formula": org('=HYPERLINK("http://x.example")', OUJDA),
        "phone": org("+212 661 234 567", OUJDA),
        "indh": org("INDH", "", "national_agency", shared=True),
        "anfa": org("Association Anfa", CASABLANCA),
        "casa": org("Association Casa Nejma", CASABLANCA),
    }
    p = {
        "karim": person("Karim", "Oujdi", "m", o["council"]),
        "salma": person("Salma", "Berkani", "f", o["xss"]),
        "houda": person("Houda", "Zerouali", "f", o["nour"]),
    }
    training = events.create_event(
        manager,
        {"title": "Formation PAC", "kind": "training", "module": "pac",
         "start_date": "2026-02-10", "commune": OUJDA, "organisers": [o["council"]]},
    )  # fmt: skip
    for who, org_uid in (("karim", "council"), ("salma", "xss"), ("houda", "nour")):
        events.add_participant(
            manager, training, {"person": [p[who]], "for_organisation": [o[org_uid]]}
        )
    partnerships.create_partnership(
        manager,
        {"organisation": o["nour"], "partner": o["indh"], "kind": "convention",
         "title": "Convention emploi", "since": "2025-09-01", "status": "active"},
    )  # fmt: skip
    partnerships.create_partnership(
        manager,
        {"organisation": o["anfa"], "partner": o["casa"], "kind": "convention",
         "title": "Convention Anfa", "since": "2025-09-01", "status": "active"},
    )  # fmt: skip
    interactions.log_interaction(
        officer,
        {"kind": "meeting", "date": date(2026, 3, 1), "summary": "Suivi.",
         "organisations": [o["council"], o["formula"], o["phone"]]},
        today=TODAY,
    )  # fmt: skip
    privacy.set_opposition(manager, p["houda"], True, confirmed=True)
    return {"orgs": o, "people": p}


def _get(client, fmt, **args):
    response = client.get(f"/reseau/export/{fmt}", query_string={**WINDOW, **args})
    assert response.status_code == 200, (fmt, response.status_code, response.data[:300])
    return response


def _graph(response, fmt) -> nx.Graph:
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    return read(io.BytesIO(response.data))


def _csv(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _cells(response) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(response.data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def _all_text(response, fmt) -> str:
    """Everything an export says, as text (the XLSX's cells, the PNG's text chunks)."""
    if fmt == "png":
        return "\n".join(Image.open(io.BytesIO(response.data)).text.values())
    if fmt == "xlsx":
        return "\n".join(str(c) for rows in _cells(response).values() for r in rows for c in r)
    return response.data.decode("utf-8")


def _audit_entries() -> list[dict]:
    rows = run(
        "MATCH (a:AuditEvent {action: 'export', target_kind: 'network'}) "
        "RETURN a.details AS details, a.summary AS summary, a.actor_email AS email "
        "ORDER BY a.at"
    )
    return [{**row, "details": json.loads(row["details"])} for row in rows]


METRIC_KEYS = tuple(network.METRICS)


def test_gexf_and_graphml_hold_every_actor_tie_and_metric(login, manager, world):
    client = login(manager)
    analysis = network.analyse(manager, WINDOW, TODAY)
    for fmt in ("gexf", "graphml"):
        response = _get(client, fmt)
        _check_graph(_graph(response, fmt), analysis, world["orgs"])
        assert b"<img" not in response.data


def _check_graph(G: nx.Graph, analysis: dict, o: dict) -> None:
    assert set(G) == set(o.values())
    for row in analysis["actors"]:
        data = G.nodes[row["uid"]]
        assert data["label"] == row["name"]
        assert data["kind"] == "organisation" and data["sector"] == row["sector"]
        for key in METRIC_KEYS:
            if row[key] is None:
                assert key not in data, (row["name"], key)
            else:
                assert data[key] == pytest.approx(row[key]), (row["name"], key)
        assert data["brokerage_gatekeeper"] == row["roles"]["gatekeeper"]
    assert G.nodes[o["council"]]["region"] == "02" and G.nodes[o["council"]]["pilot"] is False
    assert G.nodes[o["council"]]["org_kind_label"] == "Conseil communal"
    assert G.nodes[o["xss"]]["label"] == XSS  # plain data, read back as written
    assert G.nodes[o["phone"]]["label"] == "+212 661 234 567"
    tie = G.edges[o["nour"], o["indh"]]
    assert tie["kinds"] == "partnership" and tie["kinds_label"] == "Partenariat"
    assert tie["count"] == 1 and tie["weight"] > 0 and tie["last"] == "2026-03-15"
    assert G.number_of_edges() == 1 + 3 + 3 + 1  # Nour–INDH, training, meeting, Anfa–Casa


def test_the_oriental_officers_exports_hold_nothing_outside_the_territory(login, officer, world):
    client = login(officer)
    o = world["orgs"]
    inside = {o[k] for k in ("council", "xss", "nour", "formula", "phone", "indh")}
    for fmt in ("gexf", "graphml"):
        assert set(_graph(_get(client, fmt), fmt)) == inside
    nodes = _csv(_get(client, "csv-acteurs"))
    assert {row[0] for row in nodes[1:]} == inside
    ties = _csv(_get(client, "csv-liens"))
    assert {o["anfa"], o["casa"]}.isdisjoint({x for row in ties[1:] for x in row[:2]})
    data = json.loads(_get(client, "json").data)
    assert {n["id"] for n in data["nodes"]} == inside
    for fmt in FORMATS:
        text = _all_text(_get(client, fmt), fmt)
        assert "Anfa" not in text and "Casa Nejma" not in text, fmt
    regions = _cells(_get(client, "xlsx"))["Régions"]
    assert [row[1] for row in regions[1:]] == ["02"]


def test_every_export_is_audited_with_its_scope_and_size(login, officer, world):
    client = login(officer)
    for fmt in FORMATS:
        _get(client, fmt, region="02")
    entries = _audit_entries()
    assert [e["details"]["format"] for e in entries] == list(FORMATS)
    for entry in entries:
        details = entry["details"]
        assert entry["email"] == officer.email
        assert details["what"] == "network" and details["scope"]["territory"] == "02"
        assert details["scope"]["start"] == "2025-06-01" and details["scope"]["level"] == (
            "organisation"
        )
        assert details["nodes"] == 6 and details["ties"] == 7, details
        assert "(6 acteurs, 7 liens)" in entry["summary"]
    assert entries[-1]["details"]["regions"] == 1 and entries[-1]["details"]["gaps"] >= 1


def test_people_who_may_not_be_named_are_never_named(login, manager, world):
    client = login(manager)
    houda = world["people"]["houda"]
    for fmt in FORMATS:
        response = _get(client, fmt, niveau="person")
        text = _all_text(response, fmt)
        for name in ("Houda", "Zerouali", "ZEROUALI"):
            assert name not in text, fmt
        # The named stay named (ties: uids; the PNG's names are pixels).
        assert "Salma" in text or fmt in ("csv-liens", "png")
        if fmt in ("gexf", "graphml"):
            node = _graph(response, fmt).nodes[houda]
            assert node["label"] == UNNAMED and "gender" not in node and "age_band" not in node
        elif fmt == "json":
            node = next(n for n in json.loads(response.data)["nodes"] if n["id"] == houda)
            assert node["label"] == UNNAMED and node["gender"] is None
        elif fmt == "csv-acteurs":
            assert next(r for r in _csv(response) if r[0] == houda)[1] == UNNAMED
        elif fmt == "xlsx":
            actors = _cells(response)["Indicateurs"]
            assert next(r for r in actors if r[0] == houda)[1] == UNNAMED
        elif fmt == "html":
            node = next(n for n in _map_data(response)["nodes"] if n["id"] == houda)
            assert node["label"] == UNNAMED and node["tip"][0] == UNNAMED
        elif fmt == "svg":
            assert UNNAMED in _svg_titles(response)


def test_names_are_plain_data_in_every_format(login, manager, world):
    client = login(manager)
    xss = world["orgs"]["xss"]
    nodes = {row[0]: row for row in _csv(_get(client, "csv-acteurs"))}
    assert nodes[xss][1] == XSS
    data = json.loads(_get(client, "json").data)
    assert next(n for n in data["nodes"] if n["id"] == xss)["label"] == XSS
    actors = _cells(_get(client, "xlsx"))["Indicateurs"]
    assert next(r for r in actors if r[0] == xss)[1] == XSS
    for fmt in ("gexf", "graphml"):
        assert b"&lt;img src=x onerror=alert(1)&gt;" in _get(client, fmt).data


def test_csv_is_excel_ready_and_neutralises_formulas_not_phone_numbers(login, manager, world):
    client = login(manager)
    rows = _csv(_get(client, "csv-acteurs"))
    assert rows[0][:2] == ["Id", "Label"] and "Intermédiarité" in rows[0]
    labels = {row[0]: row[1] for row in rows[1:]}
    o = world["orgs"]
    assert labels[o["formula"]] == '\'=HYPERLINK("http://x.example")'
    assert labels[o["phone"]] == "+212 661 234 567"
    ties = _csv(_get(client, "csv-liens"))
    assert ties[0][:4] == ["Source", "Target", "Type", "Weight"] and len(ties) == 1 + 8
    cells = _cells(_get(client, "xlsx"))["Indicateurs"]
    assert next(r for r in cells if r[0] == o["formula"])[1].startswith("'=")


def test_the_workbook_holds_metrics_gaps_and_regions(login, manager, world):
    sheets = _cells(_get(login(manager), "xlsx"))
    assert list(sheets) == ["Périmètre", "Indicateurs", "Lacunes", "Régions", "Définitions"]
    header = sheets["Indicateurs"][0]
    assert header[:2] == ["Id", "Acteur"] and "Intermédiarité" in header
    assert len(sheets["Indicateurs"]) == 1 + 8
    gaps = sheets["Lacunes"]
    assert gaps[0][0] == "Commune" and any(row[0] == "Oujda" for row in gaps[1:])
    regions = {row[1]: row for row in sheets["Régions"][1:]}
    assert set(regions) == {"02", "06"}
    header = sheets["Régions"][0]
    oriental = dict(zip(header, regions["02"], strict=True))
    assert oriental["Région"] == "Oriental" and oriental["Organisations"] == 5
    # Ties touching the Oriental: the training (3), the meeting (3), Nour–INDH.
    assert oriental["Liens"] == 7
    assert oriental["Part des femmes"] == pytest.approx(2 / 3)
    assert dict(sheets["Périmètre"])["Acteurs"] == 8


def test_an_empty_scope_gives_valid_empty_files(login, make_user, world):
    lonely = make_user("officer", "lonely@example.org", ("06.141.01.11",))
    client = login(lonely)
    for fmt in ("gexf", "graphml"):
        assert _graph(_get(client, fmt), fmt).number_of_nodes() == 0
    assert len(_csv(_get(client, "csv-acteurs"))) == 1
    assert len(_csv(_get(client, "csv-liens"))) == 1
    assert json.loads(_get(client, "json").data)["nodes"] == []
    sheets = _cells(_get(client, "xlsx"))
    assert len(sheets["Indicateurs"]) == 1 and len(sheets["Régions"]) == 1
    assert _map_data(_get(client, "html")) == {"nodes": [], "edges": []}
    assert _svg_titles(_get(client, "svg")) == []
    assert _png(_get(client, "png")).size[0] == 1600


def _map_data(response) -> dict:
    """The data of a standalone HTML map (its JSON script element)."""
    page = response.data.decode("utf-8")
    found = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', page)
    return json.loads(found.group(1))


def _svg_titles(response) -> list[str]:
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.w3.org/2000/svg"}
    return [t.text for t in root.findall("s:g[@class='actors']/s:circle/s:title", ns)]


def test_the_standalone_map_and_the_picture_hold_the_scoped_network(login, officer, world):
    client = login(officer)
    o = world["orgs"]
    page = _get(client, "html")
    assert page.mimetype == "text/html"
    assert page.headers["Content-Disposition"].startswith("attachment;")
    text = page.data.decode("utf-8")
    # One file: vis-network inlined, nothing fetched from elsewhere.
    assert "vis.Network" in text and len(page.data) > 400_000
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    # Names are JSON data: the XSS-like one cannot end the script element nor add markup.
    assert "<img src=x" not in text and "Anfa" not in text
    data = _map_data(page)
    assert {n["id"] for n in data["nodes"]} == {
        o[k] for k in ("council", "xss", "nour", "formula", "phone", "indh")
    }
    assert next(n for n in data["nodes"] if n["id"] == o["xss"])["label"] == XSS
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len(data["edges"]) == 7
    picture = _get(client, "svg")
    assert picture.mimetype == "image/svg+xml"
    titles = _svg_titles(picture)
    assert len(titles) == 6 and XSS in titles and b"<img" not in picture.data
    assert b"Anfa" not in picture.data


def _png(response) -> Image.Image:
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    image.load()
    return image


def test_the_png_picture_is_the_scoped_map(login, manager, officer, world):
    everything = _png(_get(login(manager), "png"))
    oriental = _png(_get(login(officer), "png"))
    assert everything.format == oriental.format == "PNG"
    assert everything.size[0] == oriental.size[0] == 1600
    # Each picture holds the colour of its sectors: the Casablanca associations are left
    # out of the officer's, so its map differs from the manager's.
    colours = {c for _, c in oriental.convert("RGB").getcolors(1 << 22)}
    assert ImageColor.getrgb(SECTOR_COLOURS["civil_society"]) in colours
    assert ImageColor.getrgb(SECTOR_COLOURS["territorial_collectivity"]) in colours
    assert everything.tobytes() != oriental.tobytes()
    assert [(e["email"], e["details"]["format"], e["details"]["nodes"]) for e in _audit_entries()
            ] == [(manager.email, "png", 8), (officer.email, "png", 6)]  # fmt: skip


def test_downloads_are_named_with_the_date_and_never_cached(login, manager, world):
    client = login(manager)
    names = {}
    for fmt in FORMATS:
        response = _get(client, fmt, region="02")
        assert response.headers["Cache-Control"] == "no-store"
        names[fmt] = response.headers["Content-Disposition"]
    assert names["gexf"] == "attachment; filename=reseau-organisations-Oriental-2026-03-15.gexf"
    assert names["csv-acteurs"].endswith("-2026-03-15-acteurs.csv")
    assert names["xlsx"].endswith("2026-03-15.xlsx")


def test_refusals(login, make_user, manager, world):
    viewer = make_user("viewer", "viewer@example.org")
    assert login(viewer).get("/reseau/export/gexf").status_code == 403
    assert login(viewer).get("/reseau/export/png").status_code == 403
    page = login(viewer).get("/reseau/exports").get_data(as_text=True)
    assert "Votre rôle ne permet pas d'exporter" in page
    client = login(manager)
    assert client.get("/reseau/export/pdf").status_code == 404
    bad = client.get("/reseau/export/gexf", query_string={"du": "2026-03-01", "au": "2026-01-01"})
    assert bad.status_code == 400 and "précède" in bad.get_data(as_text=True)
    assert _audit_entries() == []


def test_the_exports_page_lists_the_formats_for_the_scope_of_its_form(login, officer, world):
    client = login(officer)
    metrics = client.get("/reseau/", query_string=WINDOW).get_data(as_text=True)
    link = re.search(r'href="(/reseau/exports[^"]*)"[^>]*>Exporter ce réseau', metrics)
    page = client.get(html.unescape(link.group(1))).get_data(as_text=True)
    form = form_with(page, "niveau")
    form.set("niveau", "person")
    page = client.get("/reseau/exports", query_string=form.submission()).get_data(as_text=True)
    assert "réseau des personnes" in page
    links = [html.unescape(h) for h in re.findall(r'href="(/reseau/export/[^"]+)"', page)]
    assert [re.match(r"/reseau/export/([^?]+)", h).group(1) for h in links] == list(FORMATS)
    assert all("du=2025-06-01" in h and "niveau=person" in h for h in links)
    response = client.get(links[0])
    G = nx.read_gexf(io.BytesIO(response.data))
    assert world["people"]["karim"] in G
    assert G.nodes[world["people"]["houda"]]["label"] == UNNAMED
