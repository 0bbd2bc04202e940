"""The duplicate warning at save time: similar records shown before anything is written."""

import re

import pytest

from crm import people
from crm.errors import PossibleDuplicates
from graph.database import run
from tests.formparse import form_with

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
OUJDA_LABEL = f"Oujda (Oujda-Angad) [{OUJDA}]"
BERKANE = "02.113.01.09"
CASABLANCA = "06.141.01.0"
WARNING = "Fiches semblables déjà enregistrées"


def _count(label: str) -> int:
    return run("MATCH (n:" + label + ") RETURN count(n) AS n")[0]["n"]


def _person_form(client, **typed):
    """The new-person form as the page renders it, filled in with ``typed``."""
    form = form_with(client.get("/personnes/nouvelle").get_data(as_text=True), "first_name")
    for name, value in {"commune": OUJDA_LABEL, **typed}.items():
        form.set(name, value)
    return form


def _organisation_form(client, **typed):
    html = client.get("/organisations/nouvelle").get_data(as_text=True)
    form = form_with(html, "name")
    for name, value in {"commune": OUJDA_LABEL, "kind": "osc", **typed}.items():
        form.set(name, value)
    return form


def _uid(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rstrip("/").split("/")[-1]


@pytest.fixture
def president(client):
    """The president of an association of Oujda, entered through the form."""
    form = _person_form(
        client,
        first_name="Mohamed",
        last_name="El Alami",
        phones="0661 23 45 67",
        emails="m.alami@example.org",
    )
    return _uid(client.post("/personnes/nouvelle", data=form.submission()))


def test_a_spelling_variant_is_shown_before_anything_is_written(client, president):
    form = _person_form(client, first_name="Mohammed", last_name="Alami", gender="m")
    response = client.post("/personnes/nouvelle", data=form.submission())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert WARNING in html
    assert "Mohamed EL ALAMI" in html and "Oujda" in html
    assert "même nom (translittération)" in html and "même commune" in html
    assert f'href="/personnes/{president}"' in html and ">Ouvrir</a>" in html
    assert "Créer quand même" in html
    assert _count("Person") == 1
    # The form keeps what was typed, and now carries the candidates the user saw.
    again = form_with(html, "first_name")
    assert (again.get("first_name"), again.get("last_name"), again.get("gender")) == (
        "Mohammed",
        "Alami",
        "m",
    )
    assert again.get("confirm_duplicate") == president
    # "Créer quand même": the same form, posted again with the flag.
    created = _uid(client.post("/personnes/nouvelle", data=again.submission()))
    assert created != president and _count("Person") == 2
    page = client.get(f"/personnes/{created}").get_data(as_text=True)
    assert "Mohammed" in page


def test_same_phone_or_e_mail_under_another_name(client, president):
    for typed in ({"phones": "+212 661 23 45 67"}, {"emails": "M.Alami@Example.org"}):
        form = _person_form(client, first_name="Hassan", last_name="Tazi", **typed)
        html = client.post("/personnes/nouvelle", data=form.submission()).get_data(as_text=True)
        assert WARNING in html, typed
        assert ("même téléphone" if "phones" in typed else "même e-mail") in html
    assert _count("Person") == 1


def test_a_compound_first_name_written_together_is_a_variant(client):
    form = _person_form(client, first_name="Fatima Zahra", last_name="Bennani")
    first = _uid(client.post("/personnes/nouvelle", data=form.submission()))
    form = _person_form(client, first_name="Fatimazahra", last_name="Benani")
    html = client.post("/personnes/nouvelle", data=form.submission()).get_data(as_text=True)
    assert WARNING in html and f"/personnes/{first}" in html


def test_a_different_person_is_created_at_once(client, president):
    form = _person_form(client, first_name="Nadia", last_name="Tazi", phones="0662 00 00 00")
    _uid(client.post("/personnes/nouvelle", data=form.submission()))
    assert _count("Person") == 2


def test_changing_the_name_after_a_warning_warns_about_the_new_match(client, president):
    other = _uid(
        client.post(
            "/personnes/nouvelle",
            data=_person_form(client, first_name="Nadia", last_name="Tazi").submission(),
        )
    )
    form = _person_form(client, first_name="Mohammed", last_name="Alami")
    html = client.post("/personnes/nouvelle", data=form.submission()).get_data(as_text=True)
    form = form_with(html, "first_name")
    assert form.get("confirm_duplicate") == president
    form.set("first_name", "Nadiya")
    form.set("last_name", "Tazi")
    html = client.post("/personnes/nouvelle", data=form.submission()).get_data(as_text=True)
    assert WARNING in html and f"/personnes/{other}" in html
    assert form_with(html, "first_name").get("confirm_duplicate") == other
    assert _count("Person") == 2


def test_records_outside_the_officers_territory_are_never_revealed(client, manager):
    hidden = people.create_person(
        manager,
        {
            "first_name": "Mohamed",
            "last_name": "Alami",
            "commune": CASABLANCA,
            "phones": "0661234567",
        },
    )
    form = _person_form(client, first_name="Mohamed", last_name="Alami", phones="0661234567")
    response = client.post("/personnes/nouvelle", data=form.submission())
    _uid(response)  # created at once: nothing seen
    assert hidden not in response.get_data(as_text=True)
    assert _count("Person") == 2


def test_the_use_case_refuses_until_confirmed(officer, president):
    data = {"first_name": "Mhamed", "last_name": "Alami", "commune": OUJDA}
    with pytest.raises(PossibleDuplicates) as refused:
        people.create_person(officer, {**data, "confirm_duplicate": ""})
    [candidate] = refused.value.candidates
    assert candidate["uid"] == president and candidate["kind"] == "person"
    assert candidate["name"] == "Mohamed EL ALAMI" and candidate["commune"] == "Oujda"
    assert "même nom (translittération)" in candidate["reasons"]
    assert refused.value.errors  # an Invalid: a form shows it like any refusal
    assert _count("Person") == 1
    assert people.create_person(officer, {**data, "confirm_duplicate": [president]})
    assert people.create_person(officer, {**data, "confirm_duplicate": True})
    assert people.create_person(officer, data)  # imports and scripts: not checked
    assert _count("Person") == 4


def test_organisation_same_name_or_acronym_in_the_commune(client):
    form = _organisation_form(
        client,
        name="Association Nour pour le développement",
        acronym="ANDO",
        phone="0536 68 12 34",
    )
    nour = _uid(client.post("/organisations/nouvelle", data=form.submission()))
    for typed in (
        {"name": "Association Ennour pour le developpement"},
        {"name": "Nour Développement", "acronym": "ANDO"},
        {"name": "Jeunes d'Oujda", "acronym": "ANDO"},
        {"name": "Réseau des jeunes", "phone": "+212536681234"},
    ):
        form = _organisation_form(client, **typed)
        response = client.post("/organisations/nouvelle", data=form.submission())
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and WARNING in html, typed
        assert f'href="/organisations/{nour}"' in html
        assert "Association (OSC)" in html or "Association" in html
        assert form_with(html, "name").get("name") == typed["name"]
    assert _count("Organisation") == 1
    # The same name in another commune is another association.
    form = _organisation_form(
        client, name="Association Nour pour le développement", commune=BERKANE
    )
    _uid(client.post("/organisations/nouvelle", data=form.submission()))
    # Confirmed: created.
    form = _organisation_form(client, name="Association Nour pour le développement")
    html = client.post("/organisations/nouvelle", data=form.submission()).get_data(as_text=True)
    again = form_with(html, "name")
    assert again.get("confirm_duplicate") == nour
    _uid(client.post("/organisations/nouvelle", data=again.submission()))
    assert _count("Organisation") == 3


def test_the_warning_shows_no_internal_code(client, president):
    form = _person_form(client, first_name="Mohammed", last_name="Alami")
    html = client.post("/personnes/nouvelle", data=form.submission()).get_data(as_text=True)
    warning = html[html.index(WARNING) : html.index("</section>", html.index(WARNING))]
    visible = re.sub(r"<[^>]+>", " ", warning)
    assert not re.search(r"[0-9a-f]{32}", visible)
