"""Neo4j unreachable: a French 503 page, a one-sentence CLI error, recovery when it returns.
And the setup commands (`flask graph|seeds|users …`) against the real database."""

from urllib.parse import urlsplit

import pytest

from graph.database import run
from graph.local_neo4j import free_port
from tests.integration.tcp_relay import TcpRelay
from webui import create_app

pytestmark = pytest.mark.integration


def make_app(monkeypatch, uri: str, password: str):
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    return create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})


def test_unreachable_neo4j_gives_a_french_503_and_a_clear_cli_error(clean_db, monkeypatch):
    app = make_app(monkeypatch, f"bolt://127.0.0.1:{free_port()}", "whatever-password")
    response = app.test_client().get("/connexion")
    assert response.status_code == 200  # the login page needs no database
    response = app.test_client().post("/connexion", data={"email": "a@b.ma", "password": "x" * 12})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Service momentanément indisponible" in html and "Traceback" not in html
    assert app.test_client().get("/sante").status_code == 503

    result = app.test_cli_runner().invoke(args=["graph", "install-schema"])
    assert result.exit_code != 0
    assert "Neo4j ne répond pas" in result.output and "NEO4J_URI" in result.output
    assert "Traceback" not in result.output


def test_wrong_password_is_reported_as_unavailable_not_a_crash(clean_db, monkeypatch):
    app = make_app(monkeypatch, clean_db.uri, "not-the-password")
    result = app.test_cli_runner().invoke(args=["graph", "status"])
    assert result.exit_code == 1 and "Neo4j ne répond pas" in result.output


def test_app_recovers_when_neo4j_comes_back(clean_db, monkeypatch, officer):
    relay = TcpRelay(urlsplit(clean_db.uri).port)
    relay.start()
    try:
        app = make_app(monkeypatch, f"bolt://127.0.0.1:{relay.port}", clean_db.password)
        client = app.test_client()
        assert client.get("/sante").status_code == 200
        relay.stop()
        assert client.get("/sante").status_code == 503
        relay.start()
        assert client.get("/sante").status_code == 200
    finally:
        relay.stop()


def test_cli_installs_schema_loads_geography_and_creates_the_first_admin(clean_db, monkeypatch):
    app = make_app(monkeypatch, clean_db.uri, clean_db.password)
    runner = app.test_cli_runner()
    assert "contraintes" in runner.invoke(args=["graph", "install-schema"]).output
    result = runner.invoke(args=["seeds", "load", "--if-missing"])
    assert result.exit_code == 0 and "déjà chargée" in result.output
    status = runner.invoke(args=["graph", "status"]).output
    assert "Régions : 12 (dont 5 du programme)" in status and "communes : 1503" in status

    monkeypatch.delenv("TANSIQ_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("TANSIQ_ADMIN_EMAIL", "chef@programme.ma")
    first = runner.invoke(args=["users", "ensure-admin"])
    assert first.exit_code == 0
    password = first.output.split("une seule fois) : ")[1].strip()
    assert len(password) >= 16
    again = runner.invoke(args=["users", "ensure-admin"])
    assert "existe déjà" in again.output and password not in again.output
    client = app.test_client()
    response = client.post("/connexion", data={"email": "chef@programme.ma", "password": password})
    assert response.status_code == 302
    row = run("MATCH (u:User) RETURN u.role AS role, count(*) AS n")[0]
    assert row == {"role": "admin", "n": 1}


def test_admin_password_from_environment_and_weak_one_refused(clean_db, monkeypatch):
    app = make_app(monkeypatch, clean_db.uri, clean_db.password)
    runner = app.test_cli_runner()
    monkeypatch.setenv("TANSIQ_ADMIN_EMAIL", "chef@programme.ma")
    monkeypatch.setenv("TANSIQ_ADMIN_PASSWORD", "court")
    result = runner.invoke(args=["users", "ensure-admin"])
    assert result.exit_code == 1 and "12 caractères" in result.output
    monkeypatch.setenv("TANSIQ_ADMIN_PASSWORD", "une phrase de passe solide")
    result = runner.invoke(args=["users", "ensure-admin"])
    assert result.exit_code == 0 and "une phrase de passe solide" not in result.output


def test_users_create_refuses_a_duplicate_email(clean_db, monkeypatch):
    app = make_app(monkeypatch, clean_db.uri, clean_db.password)
    runner = app.test_cli_runner()
    args = [
        "users",
        "create",
        "--email",
        "o@programme.ma",
        "--name",
        "Officer",
        "--role",
        "officer",
    ]
    pw = "une autre phrase solide\nune autre phrase solide\n"
    assert runner.invoke(args=args, input=pw).exit_code == 0
    result = runner.invoke(args=args, input=pw)
    assert result.exit_code == 1 and "existe déjà" in result.output


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("admin@programme", "n'a pas de point"),
        ("admin@localhost", "est réservé (.localhost)"),
        ("admin@tansiq.local", "est réservé (.local)"),
        ("admin.tansiq.ma", "il manque le signe @"),
    ],
)
def test_a_refused_admin_email_names_the_variable_and_says_why(clean_db, monkeypatch, address, why):
    app = make_app(monkeypatch, clean_db.uri, clean_db.password)
    monkeypatch.setenv("TANSIQ_ADMIN_EMAIL", address)
    monkeypatch.delenv("TANSIQ_ADMIN_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["users", "ensure-admin"])
    assert result.exit_code == 1
    assert "TANSIQ_ADMIN_EMAIL" in result.output and address in result.output
    assert why in result.output
    assert "Mot de passe" not in result.output
    assert not run("MATCH (u:User) RETURN u")


def test_a_weak_admin_password_names_its_variable(clean_db, monkeypatch):
    app = make_app(monkeypatch, clean_db.uri, clean_db.password)
    monkeypatch.delenv("TANSIQ_ADMIN_EMAIL", raising=False)
    monkeypatch.setenv("TANSIQ_ADMIN_PASSWORD", "court")
    result = app.test_cli_runner().invoke(args=["users", "ensure-admin"])
    assert result.exit_code == 1
    assert "TANSIQ_ADMIN_PASSWORD" in result.output and "12 caractères" in result.output
    assert "court" not in result.output.replace("courrier", "")
