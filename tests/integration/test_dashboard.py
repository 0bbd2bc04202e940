"""The manager's dashboard and the geographic view (issue 11, items 3, 5 and 6): what the
manager and the Oriental officer see, sorting and filtering, links that resolve, communes
without a centroid, the help next to every metric and gap — on records created through the
crm use cases, in the real Neo4j."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from crm import (
    dashboard,
    events,
    geography,
    interactions,
    network,
    organisations,
    partnerships,
    pilots,
    snapshots,
)
from graph.analysis.gaps import GAP_RULES
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 15)
WINDOW = {"du": "2025-06-01", "au": "2026-03-15"}
QUERY = "du=2025-06-01&au=2026-03-15"
BERKANE = "02.113.01.09"  # the Oriental, a second commune
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def world(app, manager, officer):
    """Oujda (pilot): its council, an association named like an HTML tag, INDH (shared)
    partnering with the council; Berkane: an association tied to Oujda's by an event;
    Casablanca (pilot): a council and an association; a commune of Rabat-Salé-Kénitra
    (no centroid in the programme's file) with an association."""
    app.config["CLOCK"] = lambda: datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    unplaced = run(
        "MATCH (c:Commune) WHERE c.lat IS NULL AND c.code STARTS WITH '04.' "
        "RETURN c.code AS code, c.name_fr AS name ORDER BY c.code LIMIT 1"
    )[0]
    berkane = run("MATCH (c:Commune {code: $code}) RETURN c.name_fr AS n", code=BERKANE)[0]["n"]

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    o = {
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "xss": org(XSS, OUJDA),
        "indh": org("INDH", "", "national_agency", shared=True),
        "berkane": org("Association Berkane Avenir", BERKANE),
        "casa_council": org("Conseil communal de Casablanca", CASABLANCA, "commune_council"),
        "casa": org("Association Anfa", CASABLANCA),
        "rabat": org("Association Rabat Sans Centre", unplaced["code"]),
    }
    partnerships.create_partnership(
        manager,
        {"organisation": o["council"], "partner": o["indh"], "kind": "convention",
         "title": "Convention INDH", "since": "2025-09-01", "status": "active"},
    )  # fmt: skip
    events.create_event(
        manager,
        {"title": "Forum de l'Oriental", "kind": "forum", "start_date": "2026-02-10",
         "commune": OUJDA, "organisers": [o["xss"], o["berkane"]]},
    )  # fmt: skip
    interactions.log_interaction(
        manager,
        {"kind": "meeting", "date": date(2026, 1, 5), "summary": "Budget.",
         "organisations": [o["casa_council"], o["casa"]]},
        today=TODAY,
    )  # fmt: skip
    interactions.log_interaction(
        manager,
        {"kind": "meeting", "date": date(2026, 1, 6), "summary": "Projet.",
         "organisations": [o["rabat"], o["indh"]]},
        today=TODAY,
    )  # fmt: skip
    for code in (OUJDA, CASABLANCA):
        pilots.set_pilot(manager, code, True, "2025-01-01", TODAY)
    return {"orgs": o, "unplaced": unplaced, "berkane": berkane}


def test_the_manager_sees_every_region_ranked_by_severity(manager, world):
    board = dashboard.dashboard(manager, WINDOW, TODAY)
    codes = [c["code"] for c in board["communes"]]
    assert set(codes) >= {OUJDA, BERKANE, CASABLANCA, world["unplaced"]["code"]}
    # Ranked by severity: counts of high, then medium, then low gaps never increase.
    keys = [tuple(c["by_severity"][s] for s in ("high", "medium", "low"))
            for c in board["communes"]]  # fmt: skip
    assert keys == sorted(keys, reverse=True)
    regions = {r["region"]: r for r in board["regions"]}
    assert {"02", "06", "04"} <= set(regions)
    # The Oriental: Oujda's council, the association, Berkane's; INDH is placed nowhere.
    assert regions["02"]["organisations"] == 3
    assert regions["02"]["pilot_communes"] == 1
    # Both associations of the forum are engaged; one of them in the pilot commune Oujda.
    assert regions["02"]["engaged_associations"] == 1
    assert regions["02"]["engaged_per_pilot"] == pytest.approx(1.0)
    assert regions["02"]["ei_vertical"] == pytest.approx(1.0)  # council–INDH only: vertical
    assert regions["06"]["ei_vertical"] == pytest.approx(-1.0)  # council–association only
    assert regions["02"]["name"] == "Oriental"
    matrix = {row["code"]: row["cells"] for row in board["matrix"]["rows"]}
    oujda = {cell["rule"]: cell for cell in matrix[OUJDA]}
    assert oujda["commune_council"]["present"] and oujda["association"]["present"]
    assert not oujda["youth_council"]["present"]
    assert [r["uid"] for r in oujda["commune_council"]["records"]] == [world["orgs"]["council"]]


def test_sorting_and_filtering_the_communes(login, manager, world):
    by_name = dashboard.dashboard(manager, {**WINDOW, "tri": "nom"}, TODAY)["communes"]
    names = [c["name"].lower() for c in by_name]
    assert names == sorted(names)
    by_count = dashboard.dashboard(manager, {**WINDOW, "tri": "lacunes"}, TODAY)["communes"]
    assert [c["gaps"] for c in by_count] == sorted((c["gaps"] for c in by_count), reverse=True)

    pilots_only = dashboard.dashboard(manager, {**WINDOW, "statut": "pilote"}, TODAY)
    assert {c["code"] for c in pilots_only["communes"]} == {OUJDA, CASABLANCA}
    assert {r["code"] for r in pilots_only["matrix"]["rows"]} == {OUJDA, CASABLANCA}
    others = dashboard.dashboard(manager, {**WINDOW, "statut": "autre"}, TODAY)
    assert OUJDA not in {c["code"] for c in others["communes"]}
    assert BERKANE in {c["code"] for c in others["communes"]}

    oriental = dashboard.dashboard(manager, {**WINDOW, "region": "02"}, TODAY)
    assert {c["region"] for c in oriental["communes"]} == {"02"}
    assert [r["region"] for r in oriental["regions"]] == ["02"]

    page = login(manager).get(f"/reseau/tableau-de-bord?{QUERY}&tri=nom&statut=pilote")
    html = page.get_data(as_text=True)
    table = html.split('class="stack dash-communes"')[1].split("</table>")[0]
    assert "Casablanca" in table and "Oujda" in table and world["berkane"] not in table
    assert table.index("Casablanca") < table.index("Oujda")


def test_the_communes_table_and_matrix_are_shown_a_page_at_a_time(
    login, manager, world, monkeypatch
):
    monkeypatch.setattr(dashboard, "COMMUNES_PER_PAGE", 1)
    every = dashboard.dashboard(manager, {**WINDOW, "tri": "nom"}, TODAY)["communes"]
    assert len(every) >= 3
    second = dashboard.dashboard(manager, {**WINDOW, "tri": "nom", "page": "2"}, TODAY)
    page = second["communes_page"]
    assert (page.number, page.total, page.pages) == (2, len(every), len(every))
    assert [c["code"] for c in page.items] == [every[1]["code"]]
    assert [r["code"] for r in second["matrix"]["rows"]] == [every[1]["code"]]
    assert len(second["communes"]) == len(every)  # the figures above the table: every one
    for asked, shown in (("zéro", 1), ("-3", 1), ("999999999999", len(every))):
        board = dashboard.dashboard(manager, {**WINDOW, "tri": "nom", "page": asked}, TODAY)
        assert board["communes_page"].number == shown, asked

    html = login(manager).get(f"/reseau/tableau-de-bord?{QUERY}&tri=nom&page=2")
    html = html.get_data(as_text=True)
    assert f"Communes 2 à 2 sur {len(every)}" in html
    table = html.split('class="stack dash-communes"')[1].split("</table>")[0]
    assert str(escape(every[1]["name"])) in table and str(escape(every[0]["name"])) not in table
    nav = html.split('class="pagination"')[1].split("</nav>")[0]
    links = [urlsplit(h.replace("&amp;", "&")) for h in re.findall(r'href="([^"]+)"', nav)]
    assert ["page=1" in link.query and "tri=nom" in link.query for link in links] == [
        True, False
    ]  # fmt: skip
    assert "page=3" in links[1].query and "du=2025-06-01" in links[1].query


def test_the_oriental_officer_sees_only_their_territory(client, officer, world):
    board = dashboard.dashboard(officer, WINDOW, TODAY)
    assert {c["region"] for c in board["communes"]} == {"02"}
    assert [r["region"] for r in board["regions"]] == ["02"]
    html = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    html = _figures(html)  # past the scope form (it lists every region)
    for elsewhere in ("Casablanca", "Anfa", "Rabat Sans Centre", world["unplaced"]["name"]):
        assert elsewhere not in html
    assert "Oujda" in html and world["berkane"] in html

    view = geography.geographic_view(officer, WINDOW, TODAY)
    assert {c["code"] for c in view["located"]} == {OUJDA, BERKANE}
    assert view["unlocated"] == []
    html = client.get(f"/reseau/geographie?{QUERY}").get_data(as_text=True)
    html = _figures(html)
    assert "Casablanca" not in html and "Rabat Sans Centre" not in html
    assert f'data-code="{OUJDA}"' in html and f'data-code="{CASABLANCA}"' not in html


def test_the_map_places_communes_draws_ties_and_lists_those_without_a_centroid(
    login, manager, world
):
    view = geography.geographic_view(manager, {**WINDOW, "indicateur": "events"}, TODAY)
    located = {c["code"]: c for c in view["located"]}
    assert {OUJDA, BERKANE, CASABLANCA} <= set(located)
    assert all(0 <= c["x"] <= view["width"] and 0 <= c["y"] <= view["height"]
               for c in view["located"])  # fmt: skip
    # North up: Oujda and Berkane (north-east) above Casablanca, and east of it.
    assert located[BERKANE]["y"] < located[CASABLANCA]["y"]
    assert located[OUJDA]["x"] > located[CASABLANCA]["x"]
    assert located[OUJDA]["value"] == 1 and located[CASABLANCA]["value"] == 0
    # The forum ties Oujda's association to Berkane's: one tie between the two communes.
    assert [(t["a"], t["b"], t["ties"]) for t in view["ties"]] == [
        (OUJDA, BERKANE, 1) if OUJDA < BERKANE else (BERKANE, OUJDA, 1)
    ]
    assert [c["code"] for c in view["unlocated"]] == [world["unplaced"]["code"]]

    client = login(manager)
    for indicator in geography.INDICATORS:
        html = client.get(f"/reseau/geographie?{QUERY}&indicateur={indicator}")
        html = html.get_data(as_text=True)
        assert "Communes sans position connue" in html
        assert str(escape(world["unplaced"]["name"])) in html.split("sans-position")[1]
        assert str(escape(geography.INDICATORS[indicator][1])) in html  # its help
        assert html.count("<circle") >= 3 and "<line" in html


def test_every_link_of_the_dashboard_and_the_map_opens_a_page(login, manager, world):
    client = login(manager)
    snapshots.save_snapshot(manager, "Référence", WINDOW, TODAY)
    snapshots.save_snapshot(manager, "Mi-parcours", WINDOW, TODAY)
    checked = set()
    for page in (f"/reseau/tableau-de-bord?{QUERY}", f"/reseau/geographie?{QUERY}"):
        html = client.get(page).get_data(as_text=True)
        html = _figures(html)
        links = {urlsplit(href) for href in _hrefs(html)}
        internal = {f"{u.path}?{u.query}" if u.query else u.path for u in links
                    if not u.scheme and u.path.startswith("/")}  # fmt: skip
        assert any(p.startswith("/territoires/commune/") for p in internal)
        for target in sorted(internal - checked):
            response = client.get(target)
            assert response.status_code == 200, f"{page} links {target}: {response.status_code}"
            checked.add(target)
    assert any(p.startswith("/organisations/") for p in checked)
    assert any(p.startswith("/territoires/region/") for p in checked)
    assert any(p.startswith("/reseau/instantanes/comparer") for p in checked)


def test_a_rules_bar_opens_the_gaps_of_that_rule_only(login, manager, world):
    client = login(manager)
    expected = {r["rule"]: r["count"] for r in dashboard.dashboard(manager, WINDOW, TODAY)[
        "gaps_by_rule"] if r["count"]}  # fmt: skip
    html = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    opened = {}
    for href in _hrefs(html):
        query = dict(p.split("=", 1) for p in urlsplit(href).query.split("&") if "=" in p)
        if urlsplit(href).path == "/reseau/lacunes" and "regle" in query:
            page = client.get(href).get_data(as_text=True)
            labels = re.findall(r'<td data-label="Lacune">([^<]+) <details', page)
            assert set(labels) == {str(escape(GAP_RULES[query["regle"]].label))}, href
            opened[query["regle"]] = len(labels)
    assert opened == expected and opened
    # An unknown rule is no filter (every gap), never an error.
    page = client.get(f"/reseau/lacunes?{QUERY}&regle=inconnue")
    assert page.status_code == 200


def test_help_next_to_every_metric_gap_and_figure(login, manager, world):
    client = login(manager)
    board = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    for rule in GAP_RULES.values():
        assert str(escape(rule.explanation)) in board, rule.code
    for label, text in network.OVERALL.values():
        assert str(escape(text)) in board, label
    for label, text, _ in dashboard.REGION_FIGURES.values():
        assert str(escape(text)) in board, label

    gaps = client.get(f"/reseau/lacunes?{QUERY}").get_data(as_text=True)
    table = gaps.split("<table")[1].split("</table>")[0]
    # Each gap of the table carries the explanation of its rule, in the row itself.
    assert str(escape(GAP_RULES["no_vertical_tie"].explanation)) in table
    for rule in GAP_RULES.values():
        assert str(escape(rule.explanation)) in gaps, rule.code

    metrics = client.get(f"/reseau/?{QUERY}").get_data(as_text=True)
    for label, text in network.METRICS.values():
        assert str(escape(text)) in metrics, label
    for label, text in network.OVERALL.values():
        assert str(escape(text)) in metrics, label


def test_an_organisation_named_like_html_shows_as_text(login, manager, world):
    client = login(manager)
    for page in (f"/reseau/tableau-de-bord?{QUERY}", f"/reseau/geographie?{QUERY}",
                 f"/reseau/lacunes?{QUERY}"):  # fmt: skip
        html = client.get(page).get_data(as_text=True)
        assert "<img src=x" not in html
    html = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_trend_between_the_two_latest_snapshots(login, manager, world):
    client = login(manager)
    empty = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    assert "Il faut au moins deux instantanés" in empty
    before = snapshots.save_snapshot(manager, "Référence", WINDOW, TODAY)
    interactions.log_interaction(
        manager,
        {"kind": "meeting", "date": date(2026, 3, 1), "summary": "Services.",
         "organisations": [world["orgs"]["casa_council"], world["orgs"]["indh"]]},
        today=TODAY,
    )  # fmt: skip
    after = snapshots.save_snapshot(manager, "Mi-parcours", WINDOW, TODAY)
    trend = dashboard.dashboard(manager, WINDOW, TODAY)["trend"]
    assert (trend["before"], trend["after"]) == (before, after)
    closed = trend["comparison"]["gaps_closed"]
    assert [(g["commune"], g["rule"]) for g in closed] == [(CASABLANCA, "no_vertical_tie")]
    html = client.get(f"/reseau/tableau-de-bord?{QUERY}").get_data(as_text=True)
    assert "1 lacune comblée" in html
    swapped = client.get(f"/reseau/tableau-de-bord?{QUERY}&avant={after}&apres={before}")
    assert "1 nouvelle" in swapped.get_data(as_text=True)
    unknown = client.get(f"/reseau/tableau-de-bord?{QUERY}&avant={before}&apres=nope")
    assert "Instantané introuvable." in unknown.get_data(as_text=True)


def test_a_bad_scope_is_refused_with_its_message(client, world):
    for page in ("/reseau/tableau-de-bord", "/reseau/geographie"):
        html = client.get(f"{page}?du=2026-03-01&au=2026-01-01").get_data(as_text=True)
        assert "La fin de la période précède son début." in html


def _figures(html: str) -> str:
    """The page past its scope form: what the figures show."""
    return html.split('<form class="search"', 1)[1].split("</form>", 1)[1]


def _hrefs(html: str) -> list[str]:
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.extend(v for k, v in attrs if k == "href" and v)

    Links().feed(html)
    return [re.sub(r"#.*$", "", href) for href in found if not href.startswith("#")]
