"""Interactions, follow-ups and ties losing touch, through the HTTP client over the real Neo4j."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from crm import clock, interactions, organisations, people
from graph import interactions as store
from graph.database import run
from tests.formparse import forms
from tests.integration.conftest import ORIENTAL

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"


def _count(label: str) -> int:
    return run("MATCH (n:" + label + ") RETURN count(n) AS n")[0]["n"]


def _label(uid: str, name: str = "Fiche") -> str:
    """What the autocomplete puts in a field: a label ending with the record's uid."""
    return f"{name} [{uid}]"


def _set_today(app, day: date) -> None:
    """Move the server's clock (set before signing in, so sessions stay fresh)."""
    app.config["CLOCK"] = lambda: datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _section(html: str, code: str) -> str:
    """The part of "Mes suivis" under one bucket's heading."""
    start = html.index(f'id="bucket-{code}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def _interaction_form(**overrides) -> dict:
    data = {
        "kind": "meeting",
        "date": (clock.today() - timedelta(days=1)).isoformat(),
        "summary": "Préparation du forum local de la jeunesse.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


@pytest.fixture
def world(manager):
    """Records of the Oriental (the officer's region), of Casablanca, and a shared institution."""

    def org(name, commune, kind="osc", shared=False):
        data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
        return organisations.create_organisation(manager, data)

    def person(first, last, commune):
        return people.create_person(
            manager, {"first_name": first, "last_name": last, "commune": commune}
        )

    return {
        "association": org("Association Oujda Jeunesse", OUJDA),
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "cooperative": org("Coopérative Angad", OUJDA, "cooperative"),
        "person": person("Karim", "Oujdi", OUJDA),
        "casa_org": org("Association Anfa Solidarité", CASABLANCA),
        "casa_person": person("Nadia", "Casaoui", CASABLANCA),
        "dgct": org(
            "Direction générale des collectivités territoriales",
            "",
            "central_administration",
            shared=True,
        ),
    }


# --- interactions and timelines ----------------------------------------------------------


def test_interaction_with_a_person_and_an_organisation_shows_on_both_timelines(
    client, officer, world
):
    person_page = client.get(f"/personnes/{world['person']}").get_data(as_text=True)
    assert "Aucune interaction enregistrée." in person_page
    assert f"/interactions/nouvelle?personne={world['person']}" in person_page

    form = client.get(f"/interactions/nouvelle?personne={world['person']}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert f'value="{world["person"]}" checked' in html  # the person is pre-filled
    assert 'data-source="/personnes/suggestions.json"' in html
    suggestions = client.get("/personnes/suggestions.json?q=oujd").get_json()["items"]
    assert [s["uid"] for s in suggestions] == [world["person"]]

    due = clock.today() + timedelta(days=5)
    response = client.post(
        f"/interactions/nouvelle?personne={world['person']}",
        data=_interaction_form(
            **{
                "people": _label(world["person"], "Karim OUJDI"),
                "organisations": "Association Oujda Jeunesse",  # typed, not picked
                "summary": "Préparation du forum local de la jeunesse.\r\nInvités :  40 jeunes.",
                "follow_ups-0-what": "Envoyer le programme du forum",
                "follow_ups-0-assignee": officer.uid,
                "follow_ups-0-due": due.isoformat(),
            }
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"/personnes/{world['person']}")

    for page in (f"/personnes/{world['person']}", f"/organisations/{world['association']}"):
        html = client.get(page).get_data(as_text=True)
        assert "Réunion" in html and "Préparation du forum local de la jeunesse." in html
        assert "Envoyer le programme du forum" in html
        assert "Oujda Jeunesse" in html and "Karim OUJDI" in html
    other = client.get(f"/organisations/{world['council']}").get_data(as_text=True)
    assert "Préparation du forum" not in other

    [row] = run(
        """
        MATCH (u:User)-[:LOGGED]->(i:Interaction)-[:WITH]->(x)
        MATCH (f:FollowUp)-[:ABOUT]->(i), (f)-[:ASSIGNED_TO]->(a:User)
        RETURN u.uid AS logged_by, i.kind AS kind, count(DISTINCT x) AS participants,
               f.due AS due, a.uid AS assignee, i.uid AS uid
        """
    )
    assert row["logged_by"] == officer.uid and row["kind"] == "meeting"
    assert row["participants"] == 2 and row["assignee"] == officer.uid
    assert row["due"].to_native() == due
    audit = run(
        "MATCH (e:AuditEvent {action: 'create', target_kind: 'interaction'}) "
        "RETURN e.target_uid AS uid, e.actor_uid AS actor"
    )
    assert audit == [{"uid": row["uid"], "actor": officer.uid}]
    detail = client.get(f"/interactions/{row['uid']}").get_data(as_text=True)
    assert "jeunesse.\nInvités : 40 jeunes." in detail  # line breaks kept, spaces tidied


def test_an_interaction_dated_in_the_future_is_refused_and_nothing_is_written(client, world):
    tomorrow = clock.today() + timedelta(days=1)
    response = client.post(
        "/interactions/nouvelle",
        data=_interaction_form(
            date=tomorrow.isoformat(),
            **{
                "people": _label(world["person"]),
                "follow_ups-0-what": "Rappeler",
                "follow_ups-0-due": (tomorrow + timedelta(days=3)).isoformat(),
            },
        ),
    )
    assert response.status_code == 200
    assert "La date ne peut pas être dans le futur" in response.get_data(as_text=True)
    assert _count("Interaction") == _count("FollowUp") == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": ""}, "Le résumé est obligatoire."),
        ({"kind": ""}, "Choisissez le type d&#39;interaction."),
        ({"date": ""}, "La date de l&#39;interaction est obligatoire."),
        ({"people": ""}, "Indiquez au moins une personne ou une organisation."),
        ({"people": "Personne Inconnue"}, "Personne introuvable"),
        ({"follow_ups-0-what": "Rappeler"}, "L&#39;échéance est obligatoire."),
        (
            {"follow_ups-0-what": "Rappeler", "follow_ups-0-due": "2001-01-01"},
            "L&#39;échéance ne peut pas précéder la date de l&#39;interaction.",
        ),
        ({"follow_ups-0-due": "2030-01-01"}, "Précisez l&#39;action à mener."),
        (
            {"follow_ups-0-what": "Rappeler", "follow_ups-0-due": "2026-13-45"},
            "N&#39;est pas une date valide.",
        ),
    ],
)
def test_bad_interaction_input_gets_a_french_message_and_nothing_is_written(
    client, world, overrides, message
):
    data = _interaction_form(**{"people": _label(world["person"])})
    data.update(overrides)
    response = client.post("/interactions/nouvelle", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count("Interaction") == _count("FollowUp") == 0


def test_a_write_naming_a_missing_record_is_undone_as_a_whole(officer, world):
    with pytest.raises(store.MissingRecord):
        store.create_interaction(
            "0" * 32,
            {"kind": "call", "date": clock.today(), "summary": "Appel"},
            officer.uid,
            [world["person"], "f" * 32],
            [world["association"]],
            [{"uid": "1" * 32, "what": "Rappeler", "due": clock.today(), "assignee": officer.uid}],
        )
    assert _count("Interaction") == _count("FollowUp") == 0
    assert run("MATCH ()-[r:WITH|LOGGED|ABOUT]->() RETURN count(r) AS n")[0]["n"] == 0


# --- scope -------------------------------------------------------------------------------


def test_an_officer_cannot_see_nor_log_interactions_with_another_regions_records(
    client, manager, world
):
    for query in (f"personne={world['casa_person']}", f"organisation={world['casa_org']}"):
        assert client.get(f"/interactions/nouvelle?{query}").status_code == 404
    response = client.post(
        "/interactions/nouvelle",
        data=_interaction_form(**{"organisations": _label(world["casa_org"], "Anfa")}),
    )
    assert response.status_code == 404
    assert _count("Interaction") == 0
    assert client.get("/personnes/suggestions.json?q=casaoui").get_json() == {"items": []}

    today = clock.today()
    casa_only = interactions.log_interaction(
        manager,
        {
            "kind": "visit",
            "date": today,
            "summary": "Visite à Anfa",
            "organisations": [_label(world["casa_org"])],
            "follow_ups": [{"what": "Suivi Anfa", "due": today, "assignee": manager.uid}],
        },
    )
    both = interactions.log_interaction(
        manager,
        {
            "kind": "call",
            "date": today,
            "summary": "Appel conjoint",
            "organisations": [_label(world["association"]), _label(world["casa_org"])],
        },
    )
    assert client.get(f"/interactions/{casa_only}").status_code == 404
    follow_up = run("MATCH (f:FollowUp) RETURN f.uid AS uid")[0]["uid"]
    assert client.post(f"/suivis/{follow_up}/fait").status_code == 404
    assert client.post(f"/suivis/{follow_up}/reassigner", data={"assignee": ""}).status_code == 404
    assert run("MATCH (f:FollowUp) RETURN f.done_at AS d") == [{"d": None}]

    # Shared with a visible record: shown, but the other region's record is not named.
    for page in (f"/interactions/{both}", f"/organisations/{world['association']}"):
        html = client.get(page).get_data(as_text=True)
        assert "Appel conjoint" in html and "Anfa" not in html
    assert {o["name"] for o in interactions.get_interaction(manager, both)["organisations"]} == {
        "Association Oujda Jeunesse",
        "Association Anfa Solidarité",
    }


# --- follow-ups --------------------------------------------------------------------------


def test_my_follow_ups_by_bucket_mark_done_and_reassign(app, login, officer, make_user, world):
    today = date(2026, 3, 10)
    _set_today(app, today)
    colleague = make_user("officer", "colleague@example.org", (ORIENTAL,))
    client = login(officer)

    def log(day, rows):
        data = _interaction_form(date=day.isoformat(), **{"people": _label(world["person"])})
        for n, (what, due) in enumerate(rows):
            data[f"follow_ups-{n}-what"] = what
            data[f"follow_ups-{n}-due"] = due.isoformat()
        response = client.post("/interactions/nouvelle", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    log(date(2026, 3, 2), [("Relancer la commune", date(2026, 3, 5)), ("Appeler Karim", today)])
    log(
        date(2026, 3, 9),
        [("Envoyer le compte rendu", date(2026, 3, 17)), ("Préparer l'atelier", date(2026, 4, 30))],
    )
    html = client.get("/suivis").get_data(as_text=True)
    assert "Au 10/03/2026" in html
    expected = {
        "overdue": "Relancer la commune",
        "today": "Appeler Karim",
        "week": "Envoyer le compte rendu",
        "later": "Préparer l&#39;atelier",
    }
    for bucket, what in expected.items():
        assert what in _section(html, bucket), bucket
        for other in set(expected) - {bucket}:
            assert expected[other] not in _section(html, bucket)
    assert "5 j de retard" in _section(html, "overdue")

    uids = {
        row["what"]: row["uid"]
        for row in run("MATCH (f:FollowUp) RETURN f.what AS what, f.uid AS uid")
    }
    overdue = uids["Relancer la commune"]
    assert client.get(f"/suivis/{overdue}/fait").status_code == 405  # no change on GET
    response = client.post(f"/suivis/{overdue}/fait")
    assert response.status_code == 302
    html = client.get("/suivis").get_data(as_text=True)
    assert "Relancer la commune" not in _section(html, "overdue")
    assert "Relancer la commune" in _section(html, "done")
    client.post(f"/suivis/{overdue}/fait")
    assert "déjà marqué comme fait" in client.get("/suivis").get_data(as_text=True)

    response = client.post(
        f"/suivis/{uids['Appeler Karim']}/reassigner", data={"assignee": colleague.uid}
    )
    assert response.status_code == 302
    assert "Appeler Karim" not in client.get("/suivis").get_data(as_text=True)
    colleague_page = login(colleague).get("/suivis").get_data(as_text=True)
    assert "Appeler Karim" in _section(colleague_page, "today")
    later = uids["Préparer l'atelier"]
    client.post(f"/suivis/{later}/reassigner", data={"assignee": "nobody"})
    assert "Choisissez un compte actif" in client.get("/suivis").get_data(as_text=True)
    events = run(
        "MATCH (e:AuditEvent {action: 'update', target_kind: 'follow_up'}) RETURN count(e) AS n"
    )
    assert events[0]["n"] == 2


def test_long_lists_of_follow_ups_show_their_first_ones_then_page_by_page(
    app, login, officer, world
):
    today = date(2026, 3, 10)
    _set_today(app, today)
    with clock.frozen(datetime(2026, 3, 10, 10, 0, tzinfo=UTC)):
        interactions.log_interaction(
            officer,
            {
                "kind": "visit",
                "date": "2026-01-01",
                "summary": "Tournée des communes",
                "people": [_label(world["person"])],
                "follow_ups": [
                    {"what": f"Relance {n:02d}", "due": (today - timedelta(days=n)).isoformat()}
                    for n in range(1, 28)
                ]
                + [{"what": "Bilan annuel", "due": "2026-06-30"}],
            },
        )
    client = login(officer)
    html = client.get("/suivis").get_data(as_text=True)
    overdue = _section(html, "overdue")
    assert 'En retard <span class="count">(27)</span>' in overdue
    shown = re.findall(r"Relance (\d\d)", overdue)
    assert shown == [f"{n:02d}" for n in range(27, 17, -1)]  # the 10 most overdue first
    more = re.search(r'href="([^"]+)">Voir les 27 suivis', overdue).group(1)
    assert "Bilan annuel" in _section(html, "later") and "Voir les" not in _section(html, "later")

    first = client.get(more.replace("&amp;", "&")).get_data(as_text=True)
    assert re.findall(r"Relance (\d\d)", first) == [f"{n:02d}" for n in range(27, 2, -1)]
    assert "Bilan annuel" not in first and "Page 1 sur 2" in first
    following = re.search(r'href="([^"]+)">Suivante', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)
    assert re.findall(r"Relance (\d\d)", second) == ["02", "01"]

    # Marking one done from the second page comes back to that page, one fewer.
    done = next(f for f in forms(second) if f.action.endswith("/fait"))
    response = client.post(done.action, data=done.submission())
    assert response.status_code == 302
    assert "liste=overdue" in response.location and "page=2" in response.location
    again = client.get(response.location).get_data(as_text=True)
    assert re.findall(r"Relance (\d\d)", again) == ["01"]

    past_the_end = client.get("/suivis?liste=overdue&page=40").get_data(as_text=True)
    assert "Page 2 sur 2" in past_the_end and "Relance 01" in past_the_end
    unknown = client.get("/suivis?liste=nowhere").get_data(as_text=True)
    assert 'id="bucket-later"' in unknown and "Tous mes suivis" not in unknown
    exported = client.get("/suivis/export.csv").get_data(as_text=True)
    assert exported.count("Relance ") == 27 and "Bilan annuel" in exported


def test_many_planned_interactions_show_their_first_ones_then_all(app, login, officer, world):
    today = date(2026, 3, 10)
    _set_today(app, today)
    with clock.frozen(datetime(2026, 3, 10, 10, 0, tzinfo=UTC)):
        for n in range(12):
            interactions.log_interaction(
                officer,
                {
                    "kind": "meeting",
                    "status": "planned",
                    "date": (today + timedelta(days=12 - n)).isoformat(),
                    "summary": f"Réunion {n:02d}",
                    "people": [_label(world["person"])],
                },
            )
    client = login(officer)
    planned = _section(client.get("/suivis").get_data(as_text=True), "planned")
    assert 'Interactions prévues <span class="count">(12)</span>' in planned
    links = re.findall(r'href="/interactions/([0-9a-f]{32})"', planned)
    assert len(links) == 10
    more = re.search(r'href="([^"]+)">Voir les 12 interactions prévues', planned).group(1)
    every = client.get(more.replace("&amp;", "&")).get_data(as_text=True)
    listed = re.findall(r'href="/interactions/([0-9a-f]{32})"', _section(every, "planned"))
    assert len(listed) == 12 and listed[:10] == links  # soonest first, the same ten first
    assert 'id="bucket-overdue"' not in every and "Tous mes suivis" in every


# --- losing touch and cadences -----------------------------------------------------------


def _log(actor, uid_kind, uid, day, today):
    field = "people" if uid_kind == "person" else "organisations"
    return interactions.log_interaction(
        actor,
        {"kind": "meeting", "date": day, "summary": "Point", field: [_label(uid)]},
        today=today,
    )


def test_ties_past_their_cadence_are_listed_most_overdue_first(app, login, officer, manager, world):
    today = date(2026, 6, 30)
    _set_today(app, today)
    days_ago = lambda n: today - timedelta(days=n)  # noqa: E731
    _log(manager, "organisation", world["council"], days_ago(45), today)  # 30 d: 15 late
    _log(manager, "organisation", world["association"], days_ago(200), today)
    _log(officer, "organisation", world["association"], days_ago(100), today)  # 60 d: 40 late
    _log(manager, "organisation", world["cooperative"], days_ago(20), today)  # 60 d: on time
    _log(officer, "person", world["person"], days_ago(150), today)  # 60 d: 90 late
    _log(manager, "organisation", world["casa_org"], days_ago(300), today)  # other region
    _log(manager, "organisation", world["dgct"], days_ago(300), today)  # shared, not the officer's

    html = login(officer).get("/relations-a-entretenir").get_data(as_text=True)
    assert "3 relations en retard" in html
    order = [html.index(name) for name in ("Karim OUJDI", "Oujda Jeunesse", "Conseil communal")]
    assert order == sorted(order)
    assert all(f'late">{n} j<' in html for n in (90, 40, 15))
    assert "Angad" not in html and "Anfa" not in html and "Direction générale" not in html

    # The shared institution becomes the officer's tie once they meet it themselves.
    _log(officer, "organisation", world["dgct"], days_ago(200), today)  # 90 d: 110 late
    html = login(officer).get("/relations-a-entretenir").get_data(as_text=True)
    assert html.index("Direction générale") < html.index("Karim OUJDI")

    national = login(manager).get("/relations-a-entretenir").get_data(as_text=True)
    assert "Anfa" in national  # 300 days against 60


def test_a_manager_edits_the_cadences_and_an_officer_cannot(app, login, officer, manager, world):
    today = date(2026, 6, 30)
    _set_today(app, today)
    _log(officer, "organisation", world["cooperative"], today - timedelta(days=20), today)
    officer_client = login(officer)
    assert officer_client.get("/parametres/cadences").status_code == 403
    assert officer_client.post("/parametres/cadences", data={"cooperative": "5"}).status_code == 403
    assert "Modifier les cadences" not in officer_client.get("/relations-a-entretenir").get_data(
        as_text=True
    )
    assert _count("Setting") == 0

    client = login(manager)
    html = client.get("/parametres/cadences").get_data(as_text=True)
    assert re.search(r'id="commune_council"[^>]*value="30"', html)
    assert re.search(r'id="osc"[^>]*value="60"', html)
    form = {
        name: value
        for name, value in re.findall(r'name="([a-z_]+)"[^>]*value="(\d+)"', html)
        if name != "csrf_token"
    }
    assert len(form) == 15

    for bad, message in [
        ("0", "entre 1 et 365 jours"),
        ("366", "entre 1 et 365 jours"),
        ("12.5", "nombre entier de jours"),
        ("douze", "nombre entier de jours"),
        ("", "Indiquez un nombre de jours."),
    ]:
        response = client.post("/parametres/cadences", data={**form, "cooperative": bad})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), bad
    assert _count("Setting") == 0

    response = client.post("/parametres/cadences", data={**form, "cooperative": " 15 "})
    assert response.status_code == 302
    stored = run("MATCH (s:Setting {key: 'cadence.cooperative'}) RETURN s.value AS v")
    assert stored == [{"v": 15}]
    assert 'value="15"' in client.get("/parametres/cadences").get_data(as_text=True)
    html = login(officer).get("/relations-a-entretenir").get_data(as_text=True)
    assert "Coopérative Angad" in html and 'late">5 j<' in html  # 20 days against 15
    change = run(
        "MATCH (e:AuditEvent {action: 'update', target_kind: 'setting'}) RETURN e.details AS d"
    )
    assert '"cooperative": [60, 15]' in change[0]["d"]


def test_install_schema_writes_the_logger_of_interactions_that_lack_it(officer):
    """The follow-ups page reads a user's planned interactions by ``logger_uid`` (an index
    seek): a database whose interactions predate it gets it from install-schema."""
    from graph.followups import planned_logged_by
    from graph.schema import install_schema

    def planned() -> tuple[list[dict], int]:
        return planned_logged_by(officer.uid, officer.scope.as_params())

    karim = people.create_person(
        officer, {"first_name": "Karim", "last_name": "Alami", "commune": OUJDA}
    )
    uid = interactions.log_interaction(
        officer, {"kind": "meeting", "status": "planned", "date": "2030-01-15",
                  "summary": "Réunion de préparation", "people": [_label(karim)]},
    )  # fmt: skip
    assert [item["uid"] for item in planned()[0]] == [uid]
    run("MATCH (i:Interaction {uid: $uid}) REMOVE i.logger_uid", uid=uid)
    assert store.loggers_out_of_date() == [{"uid": uid, "stored": None, "logger": officer.uid}]
    assert planned()[1] == 0
    install_schema()
    assert store.loggers_out_of_date() == []
    assert planned()[1] == 1
