"""Web hardening through the HTTP client: CSRF, cookies, headers, errors, limits, injection."""

import re

import pytest

from graph.database import run
from tests.integration.conftest import PASSWORD
from webui import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def csrf_app(clean_db, monkeypatch):
    """The app as deployed: CSRF protection on, served over HTTPS."""
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    monkeypatch.setenv("TANSIQ_HTTPS", "1")
    return create_app({"SECRET_KEY": "test-secret"})


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_state_changes_without_a_csrf_token_are_refused(csrf_app, officer):
    client = csrf_app.test_client()
    response = client.post("/connexion", data={"email": officer.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)
    token = _token(client.get("/connexion").get_data(as_text=True))
    response = client.post(
        "/connexion", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    # Signed in, a forged form post (no token) still changes nothing.
    response = client.post("/personnes/nouvelle", data={"first_name": "X", "last_name": "Y"})
    assert response.status_code == 400
    assert run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 0


def test_session_cookie_flags(csrf_app, officer):
    client = csrf_app.test_client()
    token = _token(client.get("/connexion").get_data(as_text=True))
    response = client.post(
        "/connexion",
        data={"email": officer.email, "password": PASSWORD, "csrf_token": token, "remember": "y"},
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered


def test_security_headers_everywhere(app, client):
    for path in ("/", "/static/css/tansiq.css", "/nope"):
        with client.get(path) as response:
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/personnes/").headers["Cache-Control"] == "no-store"


def test_errors_are_generic_pages_without_internals(clean_db, monkeypatch, officer):
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    app = create_app({"SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("MATCH (secret) RETURN internals")

    client = app.test_client()
    client.post("/connexion", data={"email": officer.email, "password": PASSWORD})
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in html and "MATCH" not in html and "Traceback" not in html
    not_found = client.get("/personnes/" + "f" * 32)
    assert not_found.status_code == 404 and "Page introuvable" in not_found.get_data(as_text=True)


def test_oversized_requests_are_refused(client):
    response = client.post("/personnes/nouvelle", data={"notes": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 0


@pytest.mark.parametrize(
    "attack",
    [
        "') RETURN 1 //",
        "x' OR 1=1 --",
        "\\' MATCH (n) DETACH DELETE n //",
        "{name: 'x'}",
        "$key",
        "ﷺ\u202e<script>",
    ],
)
def test_injection_attempts_in_search_and_sort_are_plain_text(client, attack):
    before = run("MATCH (n) RETURN count(n) AS n")[0]["n"]
    for path in ("/personnes/", "/organisations/"):
        response = client.get(path, query_string={"q": attack, "tri": attack, "type": attack})
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True)
    assert (
        client.get("/organisations/suggestions.json", query_string={"q": attack}).status_code == 200
    )
    assert client.get("/territoires/communes.json", query_string={"q": attack}).status_code == 200
    assert run("MATCH (n) RETURN count(n) AS n")[0]["n"] >= before


def test_only_web_links_are_rendered_from_user_data(client):
    response = client.post(
        "/organisations/nouvelle",
        data={
            "name": "Lien piégé",
            "kind": "osc",
            "commune": "02.411.01.23",
            "website": "javascript:alert(document.cookie)",
        },
    )
    assert "Adresse web invalide" in response.get_data(as_text=True)
    assert run("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"] == 0


@pytest.mark.parametrize(("proxies", "seen"), [(0, "10.0.0.1"), (1, "203.0.113.7")])
def test_client_address_behind_a_trusted_proxy(clean_db, monkeypatch, officer, proxies, seen):
    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    monkeypatch.setenv("TANSIQ_TRUSTED_PROXIES", str(proxies))
    app = create_app({"SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    app.test_client().post(
        "/connexion",
        data={"email": officer.email, "password": "wrong password here"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    address = run("MATCH (e:AuditEvent {action: 'login_failed'}) RETURN e.address AS a")
    assert address == [{"a": seen}]
