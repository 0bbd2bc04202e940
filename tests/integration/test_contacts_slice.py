"""People and organisations through the HTTP client: create, find, view, edit, link."""

import re

import pytest

from graph.database import run
from tests.formparse import form_with

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"


def _uid(response) -> str:
    return response.headers["Location"].rstrip("/").split("/")[-1]


def _count(label: str) -> int:
    return run("MATCH (n:" + label + ") RETURN count(n) AS n")[0]["n"]


def create_association(client, **overrides):
    data = {
        "name": "Association Nour pour le développement",
        "name_ar": "جمعية النور للتنمية",
        "acronym": "AND",
        "kind": "osc",
        "commune": "Oujda (Oujda-Angad) [" + OUJDA + "]",
        "phone": "0536 68 12 34",
        "website": "nour-oujda.ma",
    }
    data.update(overrides)
    return client.post("/organisations/nouvelle", data=data)


def create_person(client, **overrides):
    data = {
        "first_name": "Mohamed",
        "last_name": "Alami",
        "first_name_ar": "محمد",
        "last_name_ar": "العلمي",
        "gender": "m",
        "emails": "M.Alami@Example.org",
        "phones": "06 61 23 45 67",
        "commune": "Oujda [" + OUJDA + "]",
    }
    data.update(overrides)
    return client.post("/personnes/nouvelle", data=data)


def test_newcomer_scenario_person_in_an_association_of_the_oriental(client):
    response = create_association(client)
    assert response.status_code == 302
    org_uid = _uid(response)

    response = create_person(client)
    assert response.status_code == 302
    person_uid = _uid(response)

    response = client.post(
        f"/personnes/{person_uid}/fonctions",
        data={
            "organisation": f"Association Nour pour le développement — Oujda [{org_uid}]",
            "role": "Président",
            "since": "2021-10-01",
            "focal_point": "y",
        },
    )
    assert response.status_code == 302

    page = client.get("/personnes/", query_string={"q": "alami"}).get_data(as_text=True)
    assert f"/personnes/{person_uid}" in page
    assert "Association Nour pour le développement" in page

    detail = client.get(f"/personnes/{person_uid}").get_data(as_text=True)
    assert "Président" in detail and "point focal" in detail and "01/10/2021" in detail
    assert 'href="tel:+212661234567"' in detail  # stored in E.164
    assert "+212 6 61 23 45 67" in detail  # shown grouped
    assert "m.alami@example.org" in detail

    commune = client.get(f"/territoires/commune/{OUJDA}").get_data(as_text=True)
    assert f"/organisations/{org_uid}" in commune
    org_page = client.get(f"/organisations/{org_uid}").get_data(as_text=True)
    assert "Mohamed ALAMI" in org_page and "Oriental" in org_page
    assert 'href="https://nour-oujda.ma"' in org_page


@pytest.mark.parametrize("query", ["ALAMI", "mohamed al", "العلمي", "m.alami@example"])
def test_search_people_by_name_case_and_accent_insensitive(client, query):
    create_person(client)
    create_person(
        client,
        first_name="Fatima",
        last_name="Zahraé",
        first_name_ar="",
        last_name_ar="",
        emails="",
    )
    page = client.get("/personnes/", query_string={"q": query}).get_data(as_text=True)
    assert "Mohamed ALAMI" in page
    assert "Fatima ZAHRAÉ" not in page
    accents = client.get("/personnes/", query_string={"q": "zahrae"}).get_data(as_text=True)
    assert "Fatima ZAHRAÉ" in accents


def test_organisation_search_and_kind_filter(client):
    create_association(client)
    create_association(
        client, name="Conseil communal d'Oujda", kind="commune_council", acronym="", name_ar=""
    )
    page = client.get("/organisations/", query_string={"q": "conseil"}).get_data(as_text=True)
    assert "Conseil communal d&#39;Oujda" in page and "Association Nour" not in page
    page = client.get("/organisations/", query_string={"type": "osc"}).get_data(as_text=True)
    assert "Association Nour" in page and "Conseil communal d&#39;Oujda" not in page
    # An unknown sort key falls back to the default order instead of reaching the query.
    assert (
        client.get("/organisations/", query_string={"tri": "name) DETACH DELETE o //"}).status_code
        == 200
    )
    assert _count("Organisation") == 2


def test_empty_and_invalid_fields_get_messages_and_nothing_is_written(client):
    response = create_person(client, first_name="  ", phones="12", emails="not-an-email")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Le prénom est obligatoire." in html
    assert "Numéro de téléphone invalide" in html
    assert "Adresse e-mail invalide." in html
    assert _count("Person") == 0

    response = create_association(
        client, kind="", commune="Nowhereville", website="javascript:alert(1)"
    )
    html = response.get_data(as_text=True)
    assert "Choisissez un type d&#39;organisation." in html
    assert "Commune inconnue" in html
    assert "Adresse web invalide" in html
    assert _count("Organisation") == 0


def test_ambiguous_commune_name_asks_to_choose(client):
    # Several communes share some names; a bare name that only one bears is accepted.
    response = create_association(client, commune="Oujda")
    assert response.status_code == 302
    dup = run(
        "MATCH (c:Commune) WITH c.name_fr AS name, count(*) AS n WHERE n > 1 "
        "RETURN name ORDER BY name LIMIT 1"
    )[0]["name"]
    response = create_association(client, name="Autre", commune=dup)
    assert "Plusieurs communes portent ce nom" in response.get_data(as_text=True)


def test_affiliation_with_end_before_start_is_refused(client):
    org_uid = _uid(create_association(client))
    person_uid = _uid(create_person(client))
    response = client.post(
        f"/personnes/{person_uid}/fonctions",
        data={
            "organisation": f"x [{org_uid}]",
            "role": "Trésorier",
            "since": "2024-01-01",
            "until": "2023-01-01",
        },
    )
    assert response.status_code == 422
    assert "La date de fin précède la date de début." in response.get_data(as_text=True)
    assert run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN count(a) AS n")[0]["n"] == 0


def test_edit_person_and_stale_edit_is_refused(app, client):
    person_uid = _uid(create_person(client))
    form = client.get(f"/personnes/{person_uid}/modifier").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    assert version == "1"

    edit = {
        "first_name": "Mohammed",
        "last_name": "Alami",
        "version": version,
        "phones": "+212 661 234 567",
        "commune": OUJDA,
    }
    assert client.post(f"/personnes/{person_uid}/modifier", data=edit).status_code == 302

    # A second editor who loaded version 1 saves after the first: refused, nothing overwritten.
    stale = {**edit, "first_name": "Mhamed"}
    response = client.post(f"/personnes/{person_uid}/modifier", data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "modifiée par quelqu&#39;un d&#39;autre" in html
    assert "Mohammed" in html  # the current version is shown
    row = run(
        "MATCH (p:Person {uid: $uid}) RETURN p.first_name AS f, p.version AS v", uid=person_uid
    )[0]
    assert row == {"f": "Mohammed", "v": 2}


def test_edit_organisation_moves_it_to_another_commune(client):
    org_uid = _uid(create_association(client))
    response = client.post(
        f"/organisations/{org_uid}/modifier",
        data={"name": "Association Nour", "kind": "osc", "commune": "Bni Drar", "version": "1"},
    )
    assert response.status_code == 302
    located = run(
        "MATCH (:Organisation {uid: $uid})-[:LOCATED_IN]->(c:Commune) "
        "RETURN collect(c.code) AS codes",
        uid=org_uid,
    )[0]["codes"]
    assert located == ["02.411.01.11"]
    assert f"/organisations/{org_uid}" not in client.get(f"/territoires/commune/{OUJDA}").get_data(
        as_text=True
    )


def test_unknown_records_answer_404(client):
    assert client.get("/personnes/" + "0" * 32).status_code == 404
    assert client.get("/organisations/nope").status_code == 404
    assert client.get("/territoires/commune/99.999.99.99").status_code == 404


def test_user_text_is_escaped(client):
    uid = _uid(create_person(client, first_name="<script>alert(1)</script>"))
    html = client.get(f"/personnes/{uid}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_bidi_override_characters_are_stripped_from_names(client):
    uid = _uid(create_person(client, last_name="Ala\u202emi\u0000"))
    assert run("MATCH (p:Person {uid: $uid}) RETURN p.last_name AS n", uid=uid)[0]["n"] == "Alami"


def test_suggestions_feed_the_autocomplete(client):
    org_uid = _uid(create_association(client))
    items = client.get("/organisations/suggestions.json", query_string={"q": "nour"}).get_json()[
        "items"
    ]
    assert items == [
        {"uid": org_uid, "name": "Association Nour pour le développement (AND)", "detail": "Oujda"}
    ]
    communes = client.get("/territoires/communes.json", query_string={"q": "oujda"}).get_json()[
        "items"
    ]
    assert communes[0]["label"] == f"Oujda (Oujda-Angad) [{OUJDA}]"


def test_each_record_shows_who_changed_what_and_when(client, officer):
    org_uid = _uid(create_association(client))
    client.post(
        f"/organisations/{org_uid}/modifier",
        data={"name": "Association Nour (Oujda)", "kind": "osc", "commune": OUJDA, "version": "1"},
    )
    html = client.get(f"/organisations/{org_uid}").get_data(as_text=True)
    history = html.split("<h2>Historique</h2>")[1]
    # Users are named by their display name; the e-mail is for administrators (journal).
    assert officer.display_name in history and officer.email not in history
    assert "Association Nour pour le développement → Association Nour (Oujda)" in history
    person_uid = _uid(create_person(client))
    client.post(
        f"/personnes/{person_uid}/modifier",
        data={"first_name": "Mohammed", "last_name": "Alami", "commune": OUJDA, "version": "1"},
    )
    history = client.get(f"/personnes/{person_uid}").get_data(as_text=True).split("Historique")[1]
    assert "Mohamed → Mohammed" in history


def test_the_function_form_as_rendered_takes_the_organisation_by_name_or_chip(client):
    org_uid = _uid(create_association(client))
    person_uid = _uid(create_person(client))
    url = f"/personnes/{person_uid}"
    # Without JavaScript: the organisation's name typed; refused for a missing role, the
    # name typed is kept and nothing is written.
    form = form_with(client.get(url).get_data(as_text=True), "organisation_new")
    form.set("organisation_new", "association nour pour le developpement")
    refused = client.post(f"{url}/fonctions", data=form.submission())
    assert refused.status_code == 422
    assert run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN count(a) AS n")[0]["n"] == 0
    again = form_with(refused.get_data(as_text=True), "organisation_new")
    assert again.get("organisation_new") == "association nour pour le developpement"
    again.set("role", "Trésorier")
    assert client.post(f"{url}/fonctions", data=again.submission()).status_code == 302
    # With JavaScript: the chip posts the organisation's uid under the field's name.
    form = form_with(client.get(url).get_data(as_text=True), "organisation_new")
    form.set("role", "Conseiller")
    data = form.submission()
    data.add("organisation", org_uid)
    assert client.post(f"{url}/fonctions", data=data).status_code == 302
    roles = run("MATCH (:Person)-[a:AFFILIATED_WITH]->(:Organisation {uid: $o}) RETURN a.role AS r",
                o=org_uid)  # fmt: skip
    assert sorted(r["r"] for r in roles) == ["Conseiller", "Trésorier"]
