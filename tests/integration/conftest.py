"""Integration tests: the Flask app over the real Neo4j, and users of every role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm import users
from crm.access import Actor
from graph import team

PASSWORD = "correct horse battery staple"
ORIENTAL = "02"
CASABLANCA_SETTAT = "06"
OUJDA = "02.411.01.23"  # a commune of the Oriental
CASABLANCA = "06.141.01.0"  # a commune of Casablanca-Settat


@pytest.fixture
def app(clean_db, monkeypatch) -> Iterator[Flask]:
    from webui import create_app

    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    yield app


@pytest.fixture
def make_user(clean_db) -> Callable[..., Actor]:
    """Create an account (role, optional territory codes) and return it as an Actor."""

    def make(role: str, email: str, territory: tuple[str, ...] = ()) -> Actor:
        uid = users.create_user(email, email.split("@")[0].title(), PASSWORD, role)
        if territory:
            team.set_territory(uid, list(territory))
        token = users.authenticate(email, PASSWORD).session_token
        return users.load_session(token)

    return make


@pytest.fixture
def officer(make_user) -> Actor:
    """The officer of the Oriental region."""
    return make_user("officer", "officer@example.org", (ORIENTAL,))


@pytest.fixture
def manager(make_user) -> Actor:
    """The programme manager (national scope)."""
    return make_user("manager", "manager@example.org")


@pytest.fixture
def login(app: Flask) -> Callable[[Actor], FlaskClient]:
    """A new test client signed in as ``actor``."""

    def sign_in(actor: Actor) -> FlaskClient:
        client = app.test_client()
        response = client.post("/connexion", data={"email": actor.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return sign_in


@pytest.fixture
def client(login, officer: Actor) -> FlaskClient:
    """A client signed in as the Oriental officer."""
    return login(officer)
