"""Lists under odd query strings, and exports: headers, file names, spreadsheet cells, filters."""

import csv
import html
import io
import json
import re

import pytest
import vobject

from crm import people
from graph.database import run
from webui import create_app

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
OTHER_ORIENTAL_COMMUNE = "02.411.01.11"

LISTS = (
    "/personnes/",
    "/organisations/",
    "/relations-a-entretenir",
    "/suivis",
    "/doublons/personnes",
    "/admin/journal",
)
PAGES = ("99999999999999999999", str(2**63), "-5", "0", "abc", "1e3", "", "9" * 5000)


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


@pytest.fixture
def alami(officer):
    return people.create_person(
        officer,
        {
            "first_name": "Mohamed",
            "last_name": "Alami",
            "phones": "0661234567",
            "commune": OUJDA,
            "themes": ["genre"],
        },
    )


@pytest.fixture
def idrissi(officer):
    return people.create_person(
        officer,
        {"first_name": "Salma", "last_name": "Idrissi", "commune": OTHER_ORIENTAL_COMMUNE},
    )


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [c.fn.value for c in vobject.readComponents(response.get_data(as_text=True))]


def _export_links(page_html: str) -> dict[str, str]:
    """The list page's export links: {"CSV": href, "vCard": href}."""
    found = re.findall(r'<a href="([^"]+)">Exporter \((CSV|vCard)\)</a>', page_html)
    return {label: html.unescape(href) for href, label in found}


# --- A. page numbers and other numeric parameters --------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_any_page_number_answers_a_page_never_an_error(login, manager, alami, path):
    client = login(manager)
    for page in PAGES:
        response = client.get(path, query_string={"page": page})
        assert response.status_code == 200, (path, page[:30], response.status_code)


def test_a_huge_page_is_clamped_and_a_negative_one_is_the_first(login, manager, alami):
    client = login(manager)
    first = client.get("/personnes/", query_string={"page": "-5"}).get_data(as_text=True)
    assert "ALAMI" in first
    far = client.get("/personnes/", query_string={"page": "9" * 30}).get_data(as_text=True)
    assert "ALAMI" not in far and "Aucune personne" in far


def test_journal_dates_out_of_range_are_ignored(login, manager, alami):
    client = login(manager)
    dates = {"du": "0001-01-01", "au": "9999-12-31"}
    assert client.get("/admin/journal", query_string=dates).status_code == 200
    response = client.get("/admin/journal.csv", query_string={**dates, "page": "9" * 30})
    assert _csv(response)[0][:3] == ["date", "action", "par"]


# --- B1. headers of downloads ----------------------------------------------------------------


def test_every_download_is_never_cached(login, manager, alami):
    client = login(manager)
    for path in (
        "/personnes/export.csv",
        "/personnes/export.vcf",
        f"/personnes/{alami}/vcard",
        "/admin/journal.csv",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Disposition"].startswith("attachment;"), path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
    # The app's own assets may still be cached.
    with client.get("/static/css/tansiq.css") as response:
        assert response.headers.get("Cache-Control") != "no-store"


def test_strict_transport_security_when_served_over_https(clean_db, monkeypatch, officer, alami):
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    monkeypatch.setenv("TANSIQ_HTTPS", "1")
    app = create_app({"SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post(
        "/connexion",
        data={"email": officer.email, "password": "correct horse battery staple"},
        base_url="https://localhost",
    )
    for path in ("/", "/personnes/", "/personnes/export.csv", f"/personnes/{alami}/vcard"):
        response = client.get(path, base_url="https://localhost")
        assert response.status_code == 200, path
        assert response.headers["Strict-Transport-Security"].startswith("max-age="), path


# --- B2. spreadsheet cells -------------------------------------------------------------------


def test_csv_keeps_phone_numbers_dialable_and_neutralises_formulas(login, manager, officer, alami):
    people.create_person(
        officer,
        {
            "first_name": "@SUM(A1:A9)",
            "last_name": "-cmd|' /C calc'!A0",
            "phones": "0536 68 12 34, 0661 00 00 00",
            "commune": OUJDA,
        },
    )
    rows = _csv(login(manager).get("/personnes/export.csv"))
    header, *body = rows
    phone = header.index("Téléphone")
    by_name = {r[0]: r for r in body}
    assert by_name["Alami"][phone] == "+212661234567"
    attack = by_name["'-cmd|' /C calc'!A0"]
    assert attack[1] == "'@SUM(A1:A9)"
    assert attack[phone] == "+212536681234, +212661000000"


# --- B3. exports hold the list's search and filters ------------------------------------------


def test_export_links_carry_the_search_and_exports_apply_it(client, officer, alami, idrissi):
    page = client.get("/personnes/", query_string={"q": "alami"}).get_data(as_text=True)
    links = _export_links(page)
    assert set(links) == {"CSV", "vCard"} and all("q=alami" in href for href in links.values())
    assert _names(client.get(links["vCard"])) == ["Mohamed Alami"]
    assert [r[0] for r in _csv(client.get(links["CSV"]))[1:]] == ["Alami"]
    # Without a search, the whole list (within scope).
    assert sorted(_names(client.get("/personnes/export.vcf"))) == ["Mohamed Alami", "Salma Idrissi"]
    details = run(
        "MATCH (e:AuditEvent {action: 'export'}) RETURN e.details AS d ORDER BY e.at LIMIT 2"
    )
    assert [json.loads(e["d"]).get("filters") for e in details] == [{"q": "alami"}] * 2


def test_exports_apply_territory_and_theme_filters(client, alami, idrissi):
    for filters, expected in (
        ({"commune": OTHER_ORIENTAL_COMMUNE}, ["Salma Idrissi"]),
        ({"region": "02", "theme": "genre"}, ["Mohamed Alami"]),
        ({"region": "06"}, []),
    ):
        page = client.get("/personnes/", query_string=filters).get_data(as_text=True)
        links = _export_links(page)
        assert _names(client.get(links["vCard"])) == expected, filters
        assert [" ".join(r[1::-1]) for r in _csv(client.get(links["CSV"]))[1:]] == expected


def test_exports_hold_every_page_in_the_list_order(client, officer):
    for i in range(30):  # more than one page of 25
        people.create_person(
            officer, {"first_name": f"Prénom{i:02d}", "last_name": "Bennani", "commune": OUJDA}
        )
    people.create_person(officer, {"first_name": "Autre", "last_name": "Tazi", "commune": OUJDA})
    # Prénom07 was changed last but seven, and so on: "recent" lists them 29, 28, … 00.
    run(
        "MATCH (p:Person {last_name: 'Bennani'}) SET p.updated_at = datetime('2026-01-01T00:00Z')"
        " + duration({minutes: toInteger(substring(p.first_name, 6))})"
    )
    query = {"q": "bennani", "tri": "recent"}
    listed = client.get("/personnes/", query_string=query).get_data(as_text=True)
    assert listed.index("Prénom29") < listed.index("Prénom05")
    rows = _csv(client.get("/personnes/export.csv", query_string=query))[1:]
    assert [r[1] for r in rows] == [f"Prénom{i:02d}" for i in reversed(range(30))]
    assert len(_names(client.get("/personnes/export.vcf", query_string=query))) == 30


def test_exports_stay_within_scope_and_without_opposed_people(
    make_user, login, client, alami, idrissi
):
    casablanca = login(make_user("officer", "casa@example.org", ("06",)))
    assert _names(casablanca.get("/personnes/export.vcf", query_string={"q": "alami"})) == []
    assert _csv(casablanca.get("/personnes/export.csv", query_string={"region": "02"}))[1:] == []
    client.post(f"/personnes/{alami}/opposition", data={"opposition": "1", "confirm": "1"})
    assert "ALAMI" in client.get("/personnes/", query_string={"q": "alami"}).get_data(as_text=True)
    assert _names(client.get("/personnes/export.vcf", query_string={"q": "alami"})) == []
    assert _csv(client.get("/personnes/export.csv", query_string={"q": "alami"}))[1:] == []


def test_export_of_an_unknown_commune_goes_back_to_the_list(client, alami):
    response = client.get("/personnes/export.csv", query_string={"commune": "Atlantide", "q": "a"})
    assert response.status_code == 302
    assert "/personnes/?" in response.headers["Location"]
    assert "commune=Atlantide" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Export impossible" in page
    assert run("MATCH (e:AuditEvent {action: 'export'}) RETURN count(e) AS n")[0]["n"] == 0


# --- B4. the file name of a person's vCard ---------------------------------------------------


def test_a_vcard_is_named_after_the_person(client, officer):
    fatima = people.create_person(
        officer, {"first_name": "Fatima Zahra", "last_name": "Alaoui", "commune": OUJDA}
    )
    disposition = client.get(f"/personnes/{fatima}/vcard").headers["Content-Disposition"]
    assert disposition == "attachment; filename=Fatima-Zahra-ALAOUI.vcf"
    assert fatima not in disposition


def test_a_vcard_name_with_accents_has_an_ascii_and_a_utf8_form(client, officer):
    aicha = people.create_person(
        officer, {"first_name": "Aïcha", "last_name": "Aït Baha", "commune": OUJDA}
    )
    disposition = client.get(f"/personnes/{aicha}/vcard").headers["Content-Disposition"]
    assert disposition == (
        "attachment; filename=Aicha-AIT-BAHA.vcf; filename*=UTF-8''A%C3%AFcha-A%C3%8FT-BAHA.vcf"
    )
