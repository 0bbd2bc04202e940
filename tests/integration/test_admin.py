"""Administration pages: accounts, roles, territories, deactivation, and the audit trail."""

import pytest

from graph.database import run
from tests.integration.conftest import PASSWORD

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(make_user):
    return make_user("admin", "admin@example.org")


def test_only_administrators_manage_accounts_and_only_they_and_managers_read_the_trail(
    make_user, login, officer
):
    manager = make_user("manager", "manager@example.org")
    for actor, users_status, journal_status in ((officer, 403, 403), (manager, 403, 200)):
        client = login(actor)
        assert client.get("/admin/utilisateurs").status_code == users_status
        assert client.get("/admin/journal").status_code == journal_status
        assert client.get("/admin/journal.csv").status_code == journal_status
        assert client.post(f"/admin/utilisateurs/{officer.uid}/desactiver").status_code == 403


def test_admin_opens_an_account_gives_it_a_territory_and_a_role(login, admin):
    client = login(admin)
    response = client.post(
        "/admin/utilisateurs",
        data={
            "email": "Leila@Example.org",
            "display_name": "Leïla",
            "role": "officer",
            "territory": "02",
            "password": "mot de passe provisoire solide",
        },
    )
    assert response.status_code == 302
    uid = run("MATCH (u:User {email: 'leila@example.org'}) RETURN u.uid AS uid")[0]["uid"]
    page = client.post(f"/admin/utilisateurs/{uid}", data={"territory-territory": ["02", "99.999"]})
    assert "Codes inconnus : 99.999" in page.get_data(as_text=True)
    client.post(f"/admin/utilisateurs/{uid}", data={"territory-territory": ["02", "06.141.01.0"]})
    client.post(f"/admin/utilisateurs/{uid}", data={"role-role": "analyst"})
    html = client.get("/admin/utilisateurs").get_data(as_text=True)
    assert "Oriental (région), Casablanca (commune, Casablanca)" in html
    assert "Analyste" in html
    trail = client.get("/admin/journal?action=permission").get_data(as_text=True)
    assert "Compte créé : leila@example.org" in trail and "Rôle : " in trail
    # The new officer can sign in; no password ever reaches the trail.
    other = client.application.test_client()
    other.post(
        "/connexion",
        data={"email": "leila@example.org", "password": "mot de passe provisoire solide"},
    )
    assert other.get("/").status_code == 200
    dump = run("MATCH (e:AuditEvent) RETURN collect(properties(e)) AS all")[0]["all"]
    assert "provisoire" not in str(dump) and "argon2" not in str(dump)


def test_admin_cannot_demote_or_deactivate_themselves(login, admin):
    client = login(admin)
    page = client.post(f"/admin/utilisateurs/{admin.uid}", data={"role-role": "viewer"})
    assert "propre rôle" in page.get_data(as_text=True)
    client.post(f"/admin/utilisateurs/{admin.uid}/desactiver")
    assert run("MATCH (u:User {uid: $u}) RETURN u.active AS a", u=admin.uid)[0]["a"] is True


def test_deactivation_from_the_admin_page_ends_the_users_sessions(login, admin, officer):
    officer_client = login(officer)
    assert officer_client.get("/").status_code == 200
    login(admin).post(f"/admin/utilisateurs/{officer.uid}/desactiver", data={"confirm": "1"})
    assert officer_client.get("/").status_code == 302
    response = officer_client.post(
        "/connexion", data={"email": officer.email, "password": PASSWORD}
    )
    assert response.status_code != 302


def test_journal_filters_and_csv_export(login, admin, officer):
    login(officer).get("/")
    client = login(admin)
    page = client.get("/admin/journal", query_string={"action": "login", "par": officer.email})
    html = page.get_data(as_text=True)
    logins = run(
        "MATCH (e:AuditEvent {action: 'login', actor_email: $m}) RETURN count(e) AS n",
        m=officer.email,
    )[0]["n"]
    assert f"{logins} événement" in html and officer.email in html
    assert "admin@example.org" not in html.split("<tbody>")[1]
    csv_text = client.get("/admin/journal.csv", query_string={"action": "login"}).get_data(
        as_text=True
    )
    assert csv_text.startswith("\ufeffdate,action,par") and officer.email in csv_text
    exports = run(
        "MATCH (e:AuditEvent {action: 'export', target_kind: 'audit'}) RETURN count(e) AS n"
    )
    assert exports[0]["n"] == 1
    bad_dates = client.get("/admin/journal", query_string={"du": "hier", "au": "2026-13-45"})
    assert bad_dates.status_code == 200
