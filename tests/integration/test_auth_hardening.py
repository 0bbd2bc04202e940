"""Login throttling, session timeouts, remember-me, sign-out everywhere, password rules and
the audit of signing in and out (issue 3), through the web app and the real Neo4j."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from crm import users
from crm.errors import Forbidden, Invalid, NotFound
from graph import users as store
from graph.database import run
from tests.integration.conftest import PASSWORD
from webui import create_app

pytestmark = pytest.mark.integration

REFUSED = "Adresse e-mail ou mot de passe incorrect."
TOO_MANY = "Trop de tentatives. Réessayez dans quelques minutes."
EXPIRED = "Votre session a expiré"
WRONG = "wrong horse battery staple"


class Clock:
    """A clock the test moves by hand (``app.config["CLOCK"]``)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.config["CLOCK"] = clock
    return clock


def sign_in(client, email, password, remember=False, address="127.0.0.1"):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/connexion", data=data, environ_base={"REMOTE_ADDR": address})


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- login throttling ------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_for_the_right_password(app, officer, clock):
    client = app.test_client()
    for _ in range(4):
        response = sign_in(client, officer.email, WRONG)
        assert response.status_code == 200 and REFUSED in page_text(response)
    fifth = sign_in(client, officer.email, WRONG)
    assert fifth.status_code == 429 and TOO_MANY in page_text(fifth)
    assert 0 < int(fifth.headers["Retry-After"]) <= 15 * 60

    clock.advance(minutes=14)
    locked = sign_in(client, officer.email, PASSWORD)
    assert locked.status_code == 429 and TOO_MANY in page_text(locked)
    assert client.get("/").status_code == 302

    clock.advance(minutes=1, seconds=1)
    assert sign_in(client, officer.email, PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_an_unknown_account_is_locked_the_same_way(app, officer, clock):
    client = app.test_client()
    responses = [sign_in(client, "ghost@example.org", WRONG) for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429, 429]
    assert TOO_MANY in page_text(responses[-1]) and REFUSED not in page_text(responses[-1])


def test_a_successful_sign_in_resets_the_account_counter(app, officer, clock):
    client = app.test_client()
    for _ in range(4):
        sign_in(client, officer.email, WRONG)
    assert sign_in(client, officer.email, PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(4):
        assert sign_in(other, officer.email, WRONG).status_code == 200
    assert sign_in(other, officer.email, PASSWORD).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(officer):
    start = datetime.now(UTC)
    for minute in (0, 5, 10, 16, 21, 26, 31):
        with pytest.raises(users.AuthenticationFailed) as refused:
            users.authenticate(officer.email, WRONG, now=start + timedelta(minutes=minute))
        assert not isinstance(refused.value, users.TooManyAttempts)


def test_twenty_failures_from_one_address_block_it_for_every_account(app, officer, clock):
    attacker, elsewhere = "203.0.113.7", "198.51.100.20"
    client = app.test_client()
    for n in range(20):
        response = sign_in(client, f"guess{n % 5}@example.org", WRONG, address=attacker)
    assert response.status_code == 429
    blocked = sign_in(client, officer.email, PASSWORD, address=attacker)
    assert blocked.status_code == 429 and TOO_MANY in page_text(blocked)

    assert sign_in(app.test_client(), officer.email, PASSWORD, address=elsewhere).status_code == 302
    clock.advance(minutes=15, seconds=1)
    assert sign_in(client, officer.email, PASSWORD, address=attacker).status_code == 302


def test_a_lockout_holds_in_every_worker_process(app, officer):
    # A second app stands for another gunicorn worker: the counters live in Neo4j.
    other_worker = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False}
    )
    for _ in range(5):
        sign_in(app.test_client(), officer.email, WRONG)
    assert sign_in(other_worker.test_client(), officer.email, PASSWORD).status_code == 429


def test_concurrent_failures_are_all_counted(clean_db):
    now = datetime.now(UTC)
    window, block = timedelta(minutes=15), timedelta(minutes=15)

    def fail(_: int) -> None:
        store.record_login_failure("account:race@example.org", now, window, 1000, block)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fail, range(40)))
    rows = run("MATCH (t:LoginThrottle {key: 'account:race@example.org'}) RETURN t.failures AS n")
    assert rows == [{"n": 40}]


def test_throttle_keys_are_unique(clean_db):
    constraints = run(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE type = 'UNIQUENESS' "
        "RETURN labelsOrTypes[0] AS label, properties[0] AS prop"
    )
    assert {"label": "LoginThrottle", "prop": "key"} in constraints


# --- session timeouts and remember-me --------------------------------------------------------


def test_thirty_idle_minutes_end_the_session(client):
    with client.session_transaction() as sess:
        sess["seen_at"] -= 29 * 60
    assert client.get("/").status_code == 200  # and the request counts as activity
    with client.session_transaction() as sess:
        sess["seen_at"] -= 31 * 60
    response = client.get("/personnes/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?next=%2Fpersonnes%2F"
    assert EXPIRED in page_text(client.get(response.headers["Location"]))
    assert client.get("/").status_code == 302


def test_requests_within_a_minute_leave_the_session_cookie_alone(client):
    # A lookup that runs while a form is being sent must not write back the session it
    # started with over the form's: it sends no session cookie at all.
    client.get("/")  # the first page shows the welcome message and makes the form token
    with client.session_transaction() as sess:
        sess["seen_at"] -= 30
    response = client.get("/personnes/")
    assert response.status_code == 200
    assert "session=" not in " ".join(response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as sess:
        seen = sess["seen_at"]
        sess["seen_at"] -= 60  # a minute later, the request counts as activity again
    response = client.get("/")
    assert "session=" in " ".join(response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as sess:
        assert sess["seen_at"] >= seen


def test_twelve_hours_after_sign_in_the_session_ends_even_if_active(client):
    with client.session_transaction() as sess:
        sess["signed_in_at"] -= 12 * 3600 - 60
    assert client.get("/").status_code == 200
    with client.session_transaction() as sess:
        sess["signed_in_at"] -= 120
    response = client.get("/", follow_redirects=True)
    assert EXPIRED in page_text(response)
    assert client.get("/").status_code == 302


def test_remember_me_starts_a_new_session_after_the_browser_closed(app, officer, clock):
    client = app.test_client()
    assert sign_in(client, officer.email, PASSWORD, remember=True).status_code == 302
    with client.session_transaction() as sess:
        first_sign_in = sess["signed_in_at"]

    clock.advance(days=3)
    client.delete_cookie("session")  # the browser was closed
    assert client.get("/").status_code == 200
    assert client.get("/personnes/").status_code == 200  # the restored session holds
    with client.session_transaction() as sess:
        assert sess["signed_in_at"] == first_sign_in + 3 * 24 * 3600
    restored = _events("login", officer.email)[-1]
    assert json.loads(restored["details"]) == {"method": "remember_me"}


def test_a_remember_me_cookie_older_than_fourteen_days_is_refused(app, officer, clock):
    client = app.test_client()
    sign_in(client, officer.email, PASSWORD, remember=True)
    clock.advance(days=14, seconds=1)
    client.delete_cookie("session")
    assert client.get("/").status_code == 302


def test_a_timed_out_session_is_not_brought_back_by_the_remember_me_cookie(app, officer):
    client = app.test_client()
    sign_in(client, officer.email, PASSWORD, remember=True)
    with client.session_transaction() as sess:
        sess["seen_at"] -= 31 * 60
    response = client.get("/")
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is None
    assert client.get("/").status_code == 302


# --- signing out and deactivation end every session ------------------------------------------


def test_sign_out_ends_every_session_and_remember_me_cookie_of_the_user(app, officer):
    laptop, phone, copied_cookie = app.test_client(), app.test_client(), app.test_client()
    sign_in(laptop, officer.email, PASSWORD, remember=True)
    sign_in(phone, officer.email, PASSWORD)
    copied_cookie.set_cookie("remember_token", laptop.get_cookie("remember_token").value)
    assert copied_cookie.get("/").status_code == 200

    assert laptop.post("/deconnexion").status_code == 302
    for client in (laptop, phone, copied_cookie):
        assert client.get("/").status_code == 302
    assert laptop.get_cookie("remember_token") is None


def test_deactivation_signs_the_user_out_everywhere(make_user, login, officer):
    admin = make_user("admin", "admin@example.org")
    client = login(officer)
    assert client.get("/").status_code == 200

    users.deactivate_user(admin, officer.uid)
    assert client.get("/").status_code == 302
    again = sign_in(client, officer.email, PASSWORD)
    assert again.status_code == 200 and REFUSED in page_text(again)
    [event] = _events("permission", admin.email)
    assert event["target_uid"] == officer.uid


def test_only_an_administrator_deactivates_and_never_their_own_account(make_user, officer):
    admin = make_user("admin", "admin@example.org")
    manager = make_user("manager", "manager@example.org")
    with pytest.raises(Forbidden):
        users.deactivate_user(manager, officer.uid)
    with pytest.raises(Invalid):
        users.deactivate_user(admin, admin.uid)
    with pytest.raises(NotFound):
        users.deactivate_user(admin, "no-such-user")
    assert users.load_session(officer.session_token) is not None


def test_end_all_sessions_rotates_the_token(officer):
    users.end_all_sessions(officer.uid)
    assert users.load_session(officer.session_token) is None
    with pytest.raises(NotFound):
        users.end_all_sessions("no-such-user")


# --- password rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # in the leaked-password list as it is
        "1qaz2wsx3edc",  # a keyboard pattern from the list
        "Sunshine2024!",  # a common one with a few digits and a symbol
        "iloveyou iloveyou",  # a common one repeated
        "azertyazerty",  # local favourite
        "qsdfghjklmwx",  # a keyboard row
        "abcdefghijkl123",
        "Motdepasse2026",
    ],
)
def test_common_passwords_are_refused(password):
    assert "trop courant" in users.password_problem(password)


@pytest.mark.parametrize(
    "password",
    [
        "salma.bennani.2026",
        "BENNANI au jardin",
        "mon amie Hélène est là",  # accents do not hide the name
        "sbennani-marrakech-7",
    ],
)
def test_passwords_with_the_name_or_email_are_refused(password):
    problem = users.password_problem(password, "sbennani@example.org", "Salma Bennani Hélène")
    assert problem == "Le mot de passe ne doit contenir ni votre nom ni votre adresse e-mail."


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "tisane de verveine à Oujda", "love4829173655", "Xk7#pL2v9Qm!"],
)
def test_long_uncommon_passwords_are_accepted(password):
    assert users.password_problem(password, "sbennani@example.org", "Salma Bennani") is None


def test_create_user_refuses_a_common_or_personal_password(clean_db):
    for password in ("iloveyou12345", "karim-alaoui-2026"):
        with pytest.raises(Invalid) as exc:
            users.create_user("karim.alaoui@example.org", "Karim Alaoui", password, "viewer")
        assert set(exc.value.errors) == {"password"}


# --- audit trail -----------------------------------------------------------------------------


def test_sign_in_refusal_and_sign_out_are_audited_without_passwords(app, officer):
    client = app.test_client()
    headers = {"User-Agent": "Firefox/140 (test)"}
    client.post("/connexion", data={"email": officer.email, "password": WRONG}, headers=headers)
    client.post("/connexion", data={"email": "ghost@example.org", "password": WRONG})
    client.post("/connexion", data={"email": officer.email, "password": PASSWORD}, headers=headers)
    client.post("/deconnexion", headers=headers)

    refused = _events("login_failed")
    assert [(e["actor_email"], json.loads(e["details"])["reason"]) for e in refused] == [
        (officer.email, "wrong_password"),
        ("ghost@example.org", "unknown_account"),
    ]
    assert refused[0]["actor_uid"] == ""
    [signed_in] = [e for e in _events("login") if e["address"] == "127.0.0.1"]
    [signed_out] = _events("logout")
    for event in (refused[0], signed_in, signed_out):
        assert event["address"] == "127.0.0.1"
        assert event["user_agent"] == "Firefox/140 (test)"
    assert signed_in["actor_uid"] == signed_out["actor_uid"] == officer.uid

    everything = json.dumps(
        run("MATCH (e:AuditEvent) RETURN properties(e) AS e"), default=str, ensure_ascii=False
    )
    assert PASSWORD not in everything and WRONG not in everything
    assert officer.session_token not in everything


def _events(action: str, actor_email: str | None = None) -> list[dict]:
    rows = run(
        """
        MATCH (e:AuditEvent {action: $action})
        WHERE $email IS NULL OR e.actor_email = $email
        RETURN properties(e) AS e ORDER BY e.at
        """,
        action=action,
        email=actor_email,
    )
    return [row["e"] for row in rows]
