"""Signing in and out, and pages behind the login."""

import pytest

from crm import users
from tests.integration.conftest import PASSWORD

pytestmark = pytest.mark.integration


def test_protected_pages_redirect_to_login(app):
    client = app.test_client()
    for path in ["/", "/personnes/", "/organisations/nouvelle", "/territoires/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/connexion?next=")


def test_good_password_signs_in_and_follows_next(app, officer):
    client = app.test_client()
    response = client.post(
        "/connexion?next=/personnes/",
        data={"email": "OFFICER@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/personnes/"
    assert client.get("/").status_code == 200


def test_bad_password_and_unknown_user_get_the_same_message(app, officer):
    client = app.test_client()
    wrong = client.post("/connexion", data={"email": officer.email, "password": "nope" * 4})
    unknown = client.post("/connexion", data={"email": "ghost@example.org", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", "x"])
def test_next_to_another_site_is_ignored(app, officer, target):
    client = app.test_client()
    response = client.post(
        "/connexion",
        query_string={"next": target},
        data={"email": officer.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session_and_needs_post(client):
    assert client.get("/deconnexion").status_code == 405
    response = client.post("/deconnexion")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_deactivated_account_cannot_sign_in(app, officer):
    from graph.database import run

    run("MATCH (u:User {uid: $uid}) SET u.active = false", uid=officer.uid)
    with pytest.raises(users.AuthenticationFailed):
        users.authenticate(officer.email, PASSWORD)


def test_passwords_are_stored_as_argon2id(officer):
    from graph.database import run

    stored = run("MATCH (u:User {uid: $uid}) RETURN u.password_hash AS h", uid=officer.uid)[0]["h"]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_weak_passwords_are_refused(clean_db):
    from crm.errors import Invalid

    for weak in ["short", "azertyuiop12", "aaaaaaaaaaaaaaaa"]:
        with pytest.raises(Invalid) as exc:
            users.create_user("new@example.org", "New", weak, "viewer")
        assert "password" in exc.value.errors


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
