"""Refusals are mapped in one place: a form page shows them next to its fields, an action
without a form flashes them and goes back to the page it came from (never to another site)."""

import pytest

from crm import users
from tests.formparse import form_with

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(make_user):
    return make_user("admin", "admin@example.org")


def test_an_action_refused_goes_back_to_the_page_it_came_from(login, admin):
    client = login(admin)
    page = f"http://localhost/admin/utilisateurs/{admin.uid}"
    response = client.post(f"/admin/utilisateurs/{admin.uid}/desactiver", headers={"Referer": page})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/utilisateurs/{admin.uid}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in html


def test_a_foreign_referrer_is_never_followed(login, admin):
    client = login(admin)
    response = client.post(
        f"/admin/utilisateurs/{admin.uid}/desactiver",
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_form_refusal_is_shown_next_to_its_field_with_what_was_typed(login, admin):
    client = login(admin)
    users.create_user("taken@example.org", "Déjà Là", "correct horse battery staple", "viewer")
    form = form_with(client.get("/admin/utilisateurs").get_data(as_text=True), "email")
    form.set("email", "taken@example.org")
    form.set("display_name", "Nouvelle Personne")
    form.set("password", "un mot de passe assez long et rare 42")
    form.set("role", "viewer")
    response = client.post("/admin/utilisateurs", data=form.submission())
    html = response.get_data(as_text=True)
    assert "Un compte existe déjà avec cette adresse e-mail." in html
    assert 'value="Nouvelle Personne"' in html
