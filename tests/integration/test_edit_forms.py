"""Edit forms give back what they show: saving the rendered form unchanged changes nothing.

Each test reads the edit page as a browser would (tests.formparse), posts exactly what was
rendered, checks the stored record is the same, then changes one field and checks only it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from crm import organisations, people
from graph.bulk import load_people_and_organisations
from graph.database import run
from tests.formparse import ParsedForm, form_with

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
# Bookkeeping that any save moves on.
_BOOKKEEPING = {"version", "updated_at"}


@pytest.fixture
def person_uid(officer) -> str:
    return people.create_person(
        officer,
        {
            "first_name": "Fatima Zahra",
            "last_name": "Benjelloun",
            "first_name_ar": "فاطمة الزهراء",
            "last_name_ar": "بنجلون",
            "gender": "f",
            "age_band": "25-34",
            "languages": ["ar", "zgh", "fr"],
            "phones": ["0661 23 45 67", "+212 5 36 68 12 34"],
            "emails": ["fz.benjelloun@example.org", "contact@amal-oujda.ma"],
            "themes": ["genre", "jeunesse"],
            "notes": "Présidente de l'IECGAG.\nPréfère être appelée le matin.",
            "commune": OUJDA,
            "legal_basis": "consent",
            "purpose": "Suivi de l'IECGAG d'Oujda",
            "source": "Atelier du 12 mars",
            "retain_until": date(2030, 6, 30),
        },
    )


@pytest.fixture
def organisation_uid(officer) -> str:
    return organisations.create_organisation(
        officer,
        {
            "name": "Association Al Amal pour le développement local",
            "name_ar": "جمعية الأمل للتنمية المحلية",
            "acronym": "AADL",
            "kind": "osc",
            "commune": OUJDA,
            "email": "contact@amal-oujda.ma",
            "phone": "0536 68 12 34",
            "website": "https://amal-oujda.ma",
            "social": "https://facebook.com/amal.oujda",
            "themes": ["participation", "jeunesse"],
            "notes": "Partenaire du budget participatif.\nRéunion mensuelle.",
        },
    )


def stored(uid: str) -> dict:
    """The record's properties and commune, without what every save changes."""
    row = run(
        """
        MATCH (n {uid: $uid}) OPTIONAL MATCH (n)-[:LOCATED_IN]->(c:Commune)
        RETURN properties(n) AS props, c.code AS commune
        """,
        uid=uid,
    )[0]
    props = {k: v for k, v in row["props"].items() if k not in _BOOKKEEPING}
    return {**props, "commune": row["commune"]}


def edit_form(client, url: str, field: str) -> ParsedForm:
    response = client.get(url)
    assert response.status_code == 200
    return form_with(response.get_data(as_text=True), field)


def save(client, url: str, form: ParsedForm, detail: str) -> None:
    response = client.post(url, data=form.submission())
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    assert response.headers["Location"] == detail


def _errors(html: str) -> str:
    """The messages of a refused form, for the assertion's report."""
    found = re.findall(r'class="(?:error|flash flash-error)"[^>]*>([^<]*)<', html)
    return "; ".join(found) or html[:500]


def test_person_edit_form_saves_unchanged_then_one_change(client, person_uid):
    url, detail = f"/personnes/{person_uid}/modifier", f"/personnes/{person_uid}"
    before = stored(person_uid)
    form = edit_form(client, url, "first_name")

    # Every field of the record is shown as the user would type it.
    assert form.get("phones") == "+212661234567, +212536681234"
    assert form.get("emails") == "fz.benjelloun@example.org, contact@amal-oujda.ma"
    assert form.getlist("languages") == ["ar", "zgh", "fr"]
    assert form.getlist("themes") == ["genre", "jeunesse"]
    assert form.get("gender") == "f"
    assert form.get("age_band") == "25-34"
    assert form.get("legal_basis") == "consent"
    assert form.get("retain_until") == "2030-06-30"
    assert OUJDA in form.get("commune")
    assert form.get("notes") == before["notes"]

    save(client, url, form, detail)
    assert stored(person_uid) == before

    # One change, on a form loaded afresh (the version moved on).
    form = edit_form(client, url, "first_name")
    form.set("phones", "0661 23 45 67, 0662 11 22 33")
    save(client, url, form, detail)
    after = stored(person_uid)
    # The search key follows the record: the new number is found, the old one no more.
    assert "212662112233" in after["search_key"] and "212536681234" not in after["search_key"]
    assert after == {
        **before,
        "phones": ["+212661234567", "+212662112233"],
        "search_key": after["search_key"],
    }


def test_person_without_optional_data_saves_unchanged(client, officer):
    uid = people.create_person(
        officer, {"first_name": "Youssef", "last_name": "Tazi", "commune": OUJDA}
    )
    url = f"/personnes/{uid}/modifier"
    before = stored(uid)
    form = edit_form(client, url, "first_name")
    assert form.get("phones") == "" and form.get("emails") == ""
    assert form.getlist("languages") == [] and form.get("retain_until") == ""

    save(client, url, form, f"/personnes/{uid}")
    assert stored(uid) == before


def test_loaded_person_is_not_given_a_legal_basis_by_an_unchanged_save(client):
    """Demo and benchmark loads leave the law 09-08 fields out; a save must not invent them."""
    association = {"uid": "org-demo", "commune": OUJDA, "props": {"name": "Association Demo"}}
    person = {
        "uid": "person-demo",
        "commune": OUJDA,
        "organisation": "org-demo",
        "role": "Membre",
        "props": {"first_name": "Karim", "last_name": "Idrissi", "phones": ["+212661234567"]},
    }
    load_people_and_organisations([association], [person])
    url = "/personnes/person-demo/modifier"
    form = edit_form(client, url, "first_name")
    assert form.get("legal_basis") == "" and form.get("purpose") == ""
    assert form.get("phones") == "+212661234567"

    save(client, url, form, "/personnes/person-demo")
    after = stored("person-demo")
    assert not after.get("legal_basis") and not after.get("purpose")
    assert after["phones"] == ["+212661234567"]


def test_organisation_edit_form_saves_unchanged_then_one_change(client, organisation_uid):
    url = f"/organisations/{organisation_uid}/modifier"
    detail = f"/organisations/{organisation_uid}"
    before = stored(organisation_uid)
    form = edit_form(client, url, "name")
    assert form.get("kind") == "osc"
    assert form.get("phone") == "+212536681234"
    assert form.getlist("themes") == ["participation", "jeunesse"]
    assert "shared" not in form.names()  # only the national team decides it

    save(client, url, form, detail)
    assert stored(organisation_uid) == before

    form = edit_form(client, url, "name")
    form.set("themes", ["participation", "budget", "jeunesse"])
    form.set("phone", "0536 70 00 00")
    save(client, url, form, detail)
    expected = {
        **before,
        "themes": ["participation", "budget", "jeunesse"],
        "phone": "+212536700000",
    }
    after = stored(organisation_uid)
    assert "212536700000" in after["search_key"] and "212536681234" not in after["search_key"]
    assert after == {**expected, "search_key": after["search_key"]}


def test_shared_institution_keeps_its_checkbox_through_an_unchanged_save(login, make_user):
    manager = make_user("manager", "manager@example.org")
    client = login(manager)
    uid = organisations.create_organisation(
        manager,
        {"name": "Direction générale des collectivités territoriales", "acronym": "DGCT",
         "kind": "central_administration", "shared": True},
    )  # fmt: skip
    url = f"/organisations/{uid}/modifier"
    before = stored(uid)
    form = edit_form(client, url, "name")
    assert form.getlist("shared") == ["y"]

    save(client, url, form, f"/organisations/{uid}")
    assert stored(uid) == before

    form = edit_form(client, url, "name")
    form.set("shared", [])
    save(client, url, form, f"/organisations/{uid}")
    assert stored(uid) == {**before, "shared": False}
