"""Interactions after they are logged: edit, plan, mark held, cancel, delete, undo a follow-up.

Every form is read from the page and submitted as a browser would (tests.formparse).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from crm import interactions, organisations, people
from graph.database import run
from tests.formparse import form_with, forms
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)
NEXT_WEEK = TODAY + timedelta(days=7)


@pytest.fixture
def today(app) -> date:
    """The server's clock on TODAY (the use cases called directly get ``today=TODAY``)."""
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    return TODAY


@pytest.fixture
def world(manager):
    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune):
        return people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": commune}
        )

    return {
        "association": org("Association Oujda Jeunesse", OUJDA),
        "person": person("Karim", "Oujdi", OUJDA),
        "casa_org": org("Association Anfa Solidarité", CASABLANCA),
        "casa_person": person("Nadia", "Casaoui", CASABLANCA),
        "dgct": org("DGCT", "", "central_administration", shared=True),
    }


def _log(actor, world, **data) -> str:
    base = {
        "kind": "meeting",
        "date": TODAY - timedelta(days=2),
        "summary": "Préparation du forum local.",
        "people": [f"Karim [{world['person']}]"],
    }
    return interactions.log_interaction(actor, {**base, **data}, today=TODAY)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _stored(uid: str) -> dict:
    [row] = run(
        """
        MATCH (i:Interaction {uid: $uid})
        OPTIONAL MATCH (i)-[:HELD_IN]->(c:Commune)
        RETURN i {.*, commune: c.code,
                  participants: COLLECT { MATCH (i)-[:WITH]->(x) RETURN x.uid ORDER BY x.uid }}
               AS i
        """,
        uid=uid,
    )
    return row["i"]


def _events(uid: str, action: str) -> list[dict]:
    rows = run(
        "MATCH (e:AuditEvent {target_uid: $uid, action: $action}) "
        "RETURN e.summary AS summary, e.details AS details, e.actor_uid AS actor ORDER BY e.at",
        uid=uid,
        action=action,
    )
    return [{**row, "details": json.loads(row["details"] or "{}")} for row in rows]


# --- edit ------------------------------------------------------------------------------


def test_an_officer_edits_an_interaction_through_its_form(client, officer, world, today):
    uid = _log(officer, world)
    detail = _page(client, f"/interactions/{uid}")
    assert f'href="/interactions/{uid}/modifier"' in detail

    form = form_with(_page(client, f"/interactions/{uid}/modifier"), "summary")
    assert form.get("summary") == "Préparation du forum local."
    assert form.getlist("people") == [world["person"]]
    form.set("summary", "Forum local : programme arrêté.")
    form.set("start_time", "09:30")
    form.set("commune", OUJDA)
    form.set("venue", "Salle de réunion de la commune")
    form.set("organisations_new", f"Oujda Jeunesse [{world['association']}]")
    response = client.post(f"/interactions/{uid}/modifier", data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    stored = _stored(uid)
    assert stored["summary"] == "Forum local : programme arrêté." and stored["version"] == 2
    assert stored["start_time"] == "09:30" and stored["commune"] == OUJDA
    assert set(stored["participants"]) == {world["person"], world["association"]}
    detail = _page(client, f"/interactions/{uid}")
    assert "à 09:30" in detail and "Salle de réunion de la commune" in detail
    assert f'href="/territoires/commune/{OUJDA}"' in detail
    history = detail[detail.index("<h2>Historique</h2>") :]
    assert "Interaction modifiée" in history
    assert "Organisations" in history and "Association Oujda Jeunesse" in history
    assert world["association"] not in history and OUJDA not in history  # names, not ids
    [event] = _events(uid, "update")
    assert event["actor"] == officer.uid
    changes = event["details"]["changes"]
    assert changes["summary"] == ["Préparation du forum local.", "Forum local : programme arrêté."]
    assert changes["commune"] == [None, OUJDA]
    assert changes["organisations"] == [[], [world["association"]]]
    assert "Karim" not in event["summary"]

    # Saved again unchanged: nothing changes but the version.
    form = form_with(_page(client, f"/interactions/{uid}/modifier"), "summary")
    assert client.post(f"/interactions/{uid}/modifier", data=form.submission()).status_code == 302
    again = _stored(uid)
    assert {k: v for k, v in again.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in stored.items() if k not in ("version", "updated_at")
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", (TODAY + timedelta(days=1)).isoformat(), "La date ne peut pas être dans le futur"),
        ("start_time", "25:00", "Heure invalide"),
        ("commune", CASABLANCA, "Cette commune est hors de votre territoire."),
        ("commune", "Nulle Part", "Commune inconnue"),
        ("summary", "", "Le résumé est obligatoire."),
        ("people", [], "Indiquez au moins une personne ou une organisation."),
    ],
)
def test_a_refused_edit_says_why_next_to_the_field_and_changes_nothing(
    client, officer, world, today, field, value, message
):
    uid = _log(officer, world)
    form = form_with(_page(client, f"/interactions/{uid}/modifier"), "summary")
    form.set(field, value)
    response = client.post(f"/interactions/{uid}/modifier", data=form.submission())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert 'class="error"' in html
    assert _stored(uid)["version"] == 1


def test_a_stale_edit_is_refused_and_shows_the_current_version(login, officer, world, today):
    uid = _log(officer, world)
    first, second = login(officer), login(officer)
    form_a = form_with(_page(first, f"/interactions/{uid}/modifier"), "summary")
    form_b = form_with(_page(second, f"/interactions/{uid}/modifier"), "summary")
    form_a.set("summary", "Version de la première fenêtre.")
    assert first.post(f"/interactions/{uid}/modifier", data=form_a.submission()).status_code == 302
    form_b.set("summary", "Version de la seconde fenêtre.")
    response = second.post(f"/interactions/{uid}/modifier", data=form_b.submission())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "modifiée par quelqu" in html and "Version actuelle enregistrée (version 2)" in html
    assert "Version de la première fenêtre." in html  # the current one, shown
    assert "Version de la seconde fenêtre." in html  # what was typed, kept in the form
    assert _stored(uid)["summary"] == "Version de la première fenêtre."
    # Saving again now replaces it (the form carries the current version).
    retry = form_with(html, "summary")
    assert retry.get("version") == "2"
    assert second.post(f"/interactions/{uid}/modifier", data=retry.submission()).status_code == 302
    assert _stored(uid)["summary"] == "Version de la seconde fenêtre."


# --- plan, mark held, cancel -------------------------------------------------------------


def test_an_interaction_planned_for_next_week_shows_in_follow_ups_agenda_and_home(
    client, officer, world, today
):
    page = _page(client, "/interactions/nouvelle?statut=prevue")
    form = form_with(page, "summary")
    assert form.get("status") == "planned"
    form.set("kind", "meeting")
    form.set("date", NEXT_WEEK.isoformat())
    form.set("start_time", "10:00")
    form.set("venue", "Maison des jeunes")
    form.set("people_new", f"Karim OUJDI [{world['person']}]")
    form.set("summary", "Atelier budget participatif.")
    form.set("follow_ups-0-what", "Envoyer l'invitation")
    form.set("follow_ups-0-due", (TODAY + timedelta(days=2)).isoformat())  # before: preparing it
    response = client.post("/interactions/nouvelle", data=form.submission())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [uid] = [r["uid"] for r in run("MATCH (i:Interaction) RETURN i.uid AS uid")]
    assert _stored(uid)["status"] == "planned"

    follow_ups = _page(client, "/suivis")
    planned = follow_ups[follow_ups.index('id="bucket-planned"') :]
    planned = planned[: planned.index("</section>")]
    assert "Réunion du 17/03/2026 à 10:00" in planned and "Maison des jeunes" in planned
    agenda = _page(client, f"/territoires/commune/{OUJDA}")
    agenda = agenda[agenda.index('id="agenda"') :]
    assert "Réunion du 17/03/2026" in agenda and "Karim OUJDI" in agenda
    home = _page(client, "/")
    home = home[home.index('id="day-planned"') :]
    assert "Réunion du 17/03/2026" in home[: home.index("</section>")]
    # A planned interaction keeps no tie alive.
    assert "Karim" not in _page(client, "/relations-a-entretenir")


def test_a_planned_interaction_cannot_be_dated_in_the_past(client, world, today):
    form = form_with(_page(client, "/interactions/nouvelle?statut=prevue"), "summary")
    form.set("kind", "call")
    form.set("date", (TODAY - timedelta(days=1)).isoformat())
    form.set("people_new", f"Karim [{world['person']}]")
    form.set("summary", "Atelier")
    response = client.post("/interactions/nouvelle", data=form.submission())
    assert response.status_code == 200
    assert "Une interaction prévue a lieu aujourd" in response.get_data(as_text=True)
    assert run("MATCH (i:Interaction) RETURN count(i) AS n")[0]["n"] == 0


def test_a_planned_interaction_is_marked_held(client, officer, world, today):
    uid = _log(officer, world, status="planned", date=NEXT_WEEK, summary="Atelier prévu.")
    detail = _page(client, f"/interactions/{uid}")
    assert "Marquer comme tenue" in detail and "prévue" in detail

    form = form_with(_page(client, f"/interactions/{uid}/tenue"), "summary")
    assert form.get("date") == TODAY.isoformat()  # not the planned date, still to come
    form.set("date", NEXT_WEEK.isoformat())
    refused = client.post(f"/interactions/{uid}/tenue", data=form.submission())
    assert refused.status_code == 200
    assert "La date ne peut pas être dans le futur" in refused.get_data(as_text=True)
    assert _stored(uid)["status"] == "planned"

    form.set("date", TODAY.isoformat())
    form.set("summary", "Atelier tenu : 25 participants.")
    response = client.post(f"/interactions/{uid}/tenue", data=form.submission())
    assert response.status_code == 302
    stored = _stored(uid)
    assert stored["status"] == "held" and stored["summary"] == "Atelier tenu : 25 participants."
    assert stored["date"].to_native() == TODAY
    [event] = _events(uid, "update")
    assert event["details"]["changes"]["status"] == ["planned", "held"]
    assert "Marquer comme tenue" not in _page(client, f"/interactions/{uid}")
    again = form_with(_page(client, f"/interactions/{uid}/tenue"), "summary")
    response = client.post(f"/interactions/{uid}/tenue", data=again.submission())
    assert "Seule une interaction prévue" in response.get_data(as_text=True)


def test_a_planned_interaction_is_cancelled(client, officer, world, today):
    uid = _log(officer, world, status="planned", date=NEXT_WEEK)
    detail = _page(client, f"/interactions/{uid}")
    [cancel] = [f for f in forms(detail) if f.action.endswith("/annuler")]
    response = client.post(cancel.action, data=cancel.submission())
    assert response.status_code == 302
    assert _stored(uid)["status"] == "cancelled"
    assert "annulée" in _page(client, f"/interactions/{uid}")
    assert "Réunion du 17/03/2026" not in _page(client, "/suivis")
    assert "Réunion du 17/03/2026" not in _page(client, f"/territoires/commune/{OUJDA}")
    # The button was for version 1: posting it again is refused, the trail has one change.
    client.post(cancel.action, data=cancel.submission())
    assert len(_events(uid, "update")) == 1


# --- delete ------------------------------------------------------------------------------


def test_deleting_asks_for_a_confirmation_and_takes_the_follow_ups(client, officer, world, today):
    uid = _log(
        officer,
        world,
        follow_ups=[
            {"what": "Rappeler", "due": TODAY, "assignee": officer.uid},
            {"what": "Envoyer le compte rendu", "due": TODAY, "assignee": officer.uid},
        ],
    )
    follow_up_uids = [r["uid"] for r in run("MATCH (f:FollowUp) RETURN f.uid AS uid")]
    assert f'href="/interactions/{uid}/supprimer"' in _page(client, f"/interactions/{uid}")
    page = _page(client, f"/interactions/{uid}/supprimer")
    assert "avec 2 suivis" in page
    form = form_with(page, "confirm")
    assert form.get("confirm") is None  # not checked
    refused = client.post(f"/interactions/{uid}/supprimer", data=form.submission())
    assert refused.status_code == 200
    assert "Cochez la case pour confirmer la suppression." in refused.get_data(as_text=True)
    assert _stored(uid)

    form.set("confirm", "y")
    response = client.post(f"/interactions/{uid}/supprimer", data=form.submission())
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert run("MATCH (n) WHERE n:Interaction OR n:FollowUp RETURN count(n) AS n")[0]["n"] == 0
    assert client.get(f"/interactions/{uid}").status_code == 404
    assert "Préparation du forum" not in _page(client, f"/personnes/{world['person']}")
    [event] = _events(uid, "delete")
    assert event["summary"] == "Réunion du 08/03/2026 supprimée"
    assert event["details"]["before"]["people"] == [None, [world["person"]]]
    assert {f["uid"] for f in event["details"]["follow_ups"]} == set(follow_up_uids)
    for follow_up in follow_up_uids:
        assert len(_events(follow_up, "delete")) == 1


# --- follow-ups --------------------------------------------------------------------------


def test_marking_a_follow_up_done_can_be_undone(client, officer, world, today):
    _log(officer, world, follow_ups=[{"what": "Rappeler Karim", "due": TODAY}])
    [uid] = [r["uid"] for r in run("MATCH (f:FollowUp) RETURN f.uid AS uid")]
    page = _page(client, "/suivis")
    [done] = [f for f in forms(page) if f.action == f"/suivis/{uid}/fait"]
    assert client.post(done.action, data=done.submission()).status_code == 302
    page = _page(client, "/suivis")
    assert "Rappeler Karim" in page[page.index('id="bucket-done"') :]
    [reopen] = [f for f in forms(page) if f.action == f"/suivis/{uid}/rouvrir"]
    assert client.post(reopen.action, data=reopen.submission()).status_code == 302
    page = _page(client, "/suivis")
    today_section = page[page.index('id="bucket-today"') : page.index('id="bucket-week"')]
    assert "Rappeler Karim" in today_section
    assert run("MATCH (f:FollowUp) RETURN f.done_at AS d") == [{"d": None}]
    events = _events(uid, "update")
    assert [e["details"]["changes"]["done"] for e in events] == [[False, True], [True, False]]
    assert all("Karim" not in e["summary"] for e in events)
    # Reopening an open follow-up is refused with a message.
    client.post(reopen.action, data=reopen.submission())
    assert "pas marqué comme fait" in _page(client, "/suivis")


# --- scope -------------------------------------------------------------------------------


def test_an_oriental_officer_cannot_touch_a_casablanca_interaction(
    client, officer, manager, world, today
):
    casa = interactions.log_interaction(
        manager,
        {
            "kind": "visit",
            "date": TODAY,
            "status": "held",
            "summary": "Visite à Anfa",
            "organisations": [f"Anfa [{world['casa_org']}]"],
            "follow_ups": [{"what": "Suivi Anfa", "due": TODAY, "assignee": manager.uid}],
        },
        today=TODAY,
    )
    for url in ("", "/modifier", "/tenue", "/supprimer"):
        assert client.get(f"/interactions/{casa}{url}").status_code == 404, url
    for url in ("/modifier", "/tenue", "/annuler", "/supprimer"):
        response = client.post(f"/interactions/{casa}{url}", data={"version": "1", "confirm": "y"})
        assert response.status_code == 404, url
    assert _stored(casa)["version"] == 1
    denied = run(
        "MATCH (e:AuditEvent {action: 'denied', target_uid: $uid}) RETURN count(e) AS n", uid=casa
    )
    assert denied[0]["n"] == 8

    # Seen through a record of the Oriental, but with a person of Casablanca: read only.
    mixed = interactions.log_interaction(
        manager,
        {
            "kind": "call",
            "date": TODAY,
            "summary": "Appel conjoint",
            "people": [f"Nadia [{world['casa_person']}]"],
            "organisations": [f"Oujda Jeunesse [{world['association']}]"],
        },
        today=TODAY,
    )
    detail = _page(client, f"/interactions/{mixed}")
    assert "Appel conjoint" in detail and "/modifier" not in detail and "Casaoui" not in detail
    assert client.get(f"/interactions/{mixed}/modifier").status_code == 403
    assert client.post(f"/interactions/{mixed}/supprimer", data={"version": "1"}).status_code == 403

    # With a shared national institution and a person of the Oriental: theirs to change.
    shared = _log(officer, world, organisations=[f"DGCT [{world['dgct']}]"])
    assert client.get(f"/interactions/{shared}/modifier").status_code == 200
