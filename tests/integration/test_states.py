"""Pages that explain themselves: a record outside the territory, a commune outside it, the
confirmations asked before an opposition and a merge, lists that say what to do when empty."""

from __future__ import annotations

import pytest

from crm import organisations, people
from graph.database import run
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

OUTSIDE = "hors de votre territoire"


def new_person(actor, first: str, last: str, commune: str = OUJDA, **more) -> str:
    return people.create_person(
        actor, {"first_name": first, "last_name": last, "commune": commune, **more}
    )


def test_a_record_outside_the_territory_answers_404_with_the_navigation(client, manager):
    casablanca = new_person(manager, "Nadia", "Bennani", commune=CASABLANCA)
    response = client.get(f"/personnes/{casablanca}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'aria-label="Navigation principale"' in html and "Se déconnecter" in html
    assert OUTSIDE in html and "Bennani" not in html


def test_a_national_user_is_not_told_about_territories(login, manager):
    response = login(manager).get("/personnes/inconnue")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'aria-label="Navigation principale"' in html
    assert "n'existe pas" in html and OUTSIDE not in html


def test_an_unknown_page_keeps_the_bare_layout_for_anonymous_visitors(app):
    response = app.test_client().get("/nulle-part")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Navigation principale" not in html and OUTSIDE not in html


def test_a_commune_outside_the_territory_says_so(client, manager):
    organisations.create_organisation(
        manager, {"name": "Association Anfa", "kind": "osc", "commune": CASABLANCA}
    )
    html = client.get(f"/territoires/commune/{CASABLANCA}").get_data(as_text=True)
    assert "Cette commune est hors de votre territoire" in html
    assert "Association Anfa" not in html
    assert "Aucune organisation enregistrée" not in html

    own = client.get(f"/territoires/commune/{OUJDA}").get_data(as_text=True)
    assert OUTSIDE not in own
    assert "Aucune organisation enregistrée dans cette commune" in own
    assert "/organisations/nouvelle" in own  # what to do next


def test_a_region_outside_the_territory_says_so(client):
    assert "Cette région est hors de votre territoire" in client.get(
        "/territoires/region/06"
    ).get_data(as_text=True)
    assert OUTSIDE not in client.get("/territoires/region/02").get_data(as_text=True)


def test_an_opposition_needs_its_confirmation_box(client, officer):
    uid = new_person(officer, "Amina", "Berrada")
    page = client.get(f"/personnes/{uid}").get_data(as_text=True)
    assert 'name="confirm" value="1" required' in page

    response = client.post(f"/personnes/{uid}/opposition", data={"opposition": "1"})
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cochez la case de confirmation" in shown
    assert not run("MATCH (p:Person {uid: $uid}) RETURN p.opposition AS o", uid=uid)[0]["o"]

    client.post(f"/personnes/{uid}/opposition", data={"opposition": "1", "confirm": "1"})
    assert run("MATCH (p:Person {uid: $uid}) RETURN p.opposition AS o", uid=uid)[0]["o"]
    lifted = client.post(f"/personnes/{uid}/opposition", data={"opposition": "0"})
    assert "Cochez la case" in client.get(lifted.headers["Location"]).get_data(as_text=True)
    assert run("MATCH (p:Person {uid: $uid}) RETURN p.opposition AS o", uid=uid)[0]["o"]


def test_a_merge_needs_its_confirmation_box(client, officer):
    first = new_person(officer, "Mohamed", "Alami", phones="0661 23 45 67")
    second = new_person(officer, "Mohammed", "El Alami", phones="0661234567")
    low, high = sorted((first, second))
    page = client.get(f"/doublons/personnes/{low}/{high}").get_data(as_text=True)
    assert "Je confirme la fusion" in page and 'name="confirm" required' in page

    response = client.post(
        f"/doublons/personnes/{low}/{high}/fusionner",
        data={"keep": low, "version_a": 1, "version_b": 1},
    )
    assert response.status_code == 400
    assert "Cochez la case pour confirmer la fusion" in response.get_data(as_text=True)
    assert len(run("MATCH (p:Person) WHERE p.uid IN $uids RETURN p", uids=[low, high])) == 2


def test_empty_lists_say_what_to_do_next(client, login, make_user):
    people_page = client.get("/personnes/").get_data(as_text=True)
    assert "Ajoutez une première personne" in people_page
    searched = client.get("/personnes/", query_string={"q": "personne"}).get_data(as_text=True)
    assert "Aucune personne ne correspond" in searched and "créez sa fiche" in searched
    assert "Ajoutez une première organisation" in client.get("/organisations/").get_data(
        as_text=True
    )
    duplicates = client.get("/doublons/organisations").get_data(as_text=True)
    assert "Aucun doublon probable" in duplicates and "apparaîtront ici" in duplicates

    viewer = login(make_user("viewer", "viewer@example.org"))
    read_only = viewer.get("/personnes/").get_data(as_text=True)
    assert "dès qu'un agent territorial les aura saisies" in read_only
    assert "/personnes/nouvelle" not in read_only


def test_an_empty_journal_says_so(login, make_user):
    admin = login(make_user("admin", "admin@example.org"))
    filtered = admin.get("/admin/journal", query_string={"par": "personne@example.org"})
    assert "Aucun événement ne correspond à ces filtres" in filtered.get_data(as_text=True)
