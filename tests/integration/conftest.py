"""Integration tests: the Flask app over the real Neo4j."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm import users
from crm.access import Actor

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app(clean_db, monkeypatch) -> Iterator[Flask]:
    from webui import create_app

    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    yield app


@pytest.fixture
def officer(clean_db) -> Actor:
    users.create_user("officer@example.org", "Salma Officer", PASSWORD, "officer")
    return users.authenticate("officer@example.org", PASSWORD)


@pytest.fixture
def client(app: Flask, officer: Actor) -> FlaskClient:
    """A client signed in as an officer."""
    client = app.test_client()
    response = client.post(
        "/connexion", data={"email": officer.email, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 302
    return client
