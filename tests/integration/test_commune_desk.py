"""The commune page as the officer's desk, the checklist of expected actors, and the counts
of region and province pages, always within the reader's scope."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from crm import events, interactions, organisations, people, pilots, privacy
from graph.database import run
from tests.formparse import form_with
from tests.integration.conftest import CASABLANCA, OUJDA

pytestmark = pytest.mark.integration

TODAY = date(2026, 3, 10)
NAIMA = "02.411.01.19"  # Oriental, prefecture Oujda-Angad
BERKANE = "02.113.01.09"  # Oriental, another province


@pytest.fixture
def today(app) -> date:
    app.config["CLOCK"] = lambda: datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    return TODAY


def _org(actor, name, commune, kind="osc", shared=False):
    data = {"name": name, "kind": kind, "commune": commune, "shared": shared}
    return organisations.create_organisation(actor, data)


def _person(actor, first, last, commune=""):
    return people.create_person(actor, {"first_name": first, "last_name": last, "commune": commune})


def _function(actor, person, organisation, role, until=None):
    data = {"role": role, "since": date(2024, 1, 1), "until": until}
    people.link_to_organisation(actor, person, organisation, data)


def _log(actor, summary, person_uids=(), organisation_uids=(), when=TODAY, **extra):
    data = {
        "kind": "meeting",
        "date": when,
        "summary": summary,
        "people": list(person_uids),
        "organisations": list(organisation_uids),
        **extra,
    }
    return interactions.log_interaction(actor, data, today=TODAY)


@pytest.fixture
def desk(manager, today):
    council = _org(manager, "Conseil communal d'Oujda", OUJDA, "commune_council")
    iecgag = _org(manager, "Instance de l'équité d'Oujda", OUJDA, "council_body")
    run(
        "MATCH (b:Organisation {uid: $body}), (c:Organisation {uid: $council}) "
        "CREATE (b)-[:PART_OF]->(c)",
        body=iecgag,
        council=council,
    )
    association = _org(manager, "Association Nour", OUJDA)
    president = _person(manager, "Karim", "Oujdi", OUJDA)
    _function(manager, president, council, "Président")
    opposed = _person(manager, "Amina", "Discrete")
    _function(manager, opposed, association, "Trésorière")
    privacy.set_opposition(manager, opposed, True, confirmed=True)
    former = _person(manager, "Omar", "Ancien")
    _function(manager, former, association, "Secrétaire", until=date(2025, 1, 1))
    held = _log(
        manager,
        "Préparation de la session du conseil.",
        [president, opposed],
        [council],
        when=TODAY - timedelta(days=3),
        follow_ups=[{"what": "Envoyer le compte rendu", "due": TODAY + timedelta(days=2)}],
    )
    done = _log(
        manager,
        "Appel de l'association.",
        organisation_uids=[association],
        when=TODAY - timedelta(days=20),
        follow_ups=[{"what": "Relancer la subvention", "due": TODAY - timedelta(days=5)}],
    )
    run("MATCH (f:FollowUp)-[:ABOUT]->(:Interaction {uid: $uid}) SET f.done_at = datetime()",
        uid=done)  # fmt: skip
    planned = _log(
        manager,
        "Forum local à venir.",
        [president],
        when=TODAY + timedelta(days=7),
        status="planned",
    )
    casa = _org(manager, "Association Anfa Solidarité", CASABLANCA)
    casa_council = _org(manager, "Conseil communal de Casablanca", CASABLANCA, "commune_council")
    casa_person = _person(manager, "Nadia", "Casaoui", CASABLANCA)
    _function(manager, casa_person, casa, "Présidente")
    _log(
        manager,
        "Réunion confidentielle à Anfa.",
        [casa_person],
        [casa],
        when=TODAY - timedelta(days=1),
        commune=CASABLANCA,
        follow_ups=[{"what": "Suivi Anfa secret", "due": TODAY + timedelta(days=1)}],
    )
    return {
        "council": council,
        "iecgag": iecgag,
        "association": association,
        "president": president,
        "opposed": opposed,
        "held": held,
        "planned": planned,
        "casa": casa,
        "casa_council": casa_council,
        "casa_person": casa_person,
    }


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def _items(section: str) -> dict[str, str]:
    """Checklist items: label start -> the item's HTML."""
    return {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip(): item
        for item in re.findall(r"<li class=\"(?:present|missing)\">(.*?)</li>", section, re.S)
    }


def _status(section: str, label: str) -> str:
    for text, item in _items(section).items():
        if label in text:
            return "present" if "présent</span>" in item else "missing"
    raise AssertionError(f"{label} not in the checklist")


def test_the_checklist_shows_present_actors_with_links_and_the_missing_ones(client, desk):
    html = _page(client, f"/territoires/commune/{OUJDA}")
    checklist = _section(html, "checklist")
    assert _status(checklist, "Conseil communal") == "present"
    assert _status(checklist, "IECGAG") == "present"
    assert _status(checklist, "Au moins une association") == "present"
    for missing in ("Conseil des jeunes", "INDH", "ANAPEC", "Un service déconcentré"):
        assert _status(checklist, missing) == "missing", missing
    for uid in (desk["council"], desk["iecgag"], desk["association"]):
        assert f'href="/organisations/{uid}"' in checklist

    council = _section(html, "council")  # the council and its bodies
    assert "Conseil communal d&#39;Oujda" in council and "Instance de l&#39;équité" in council
    assert "rattaché(e) à" in council
    assert "Association Nour" in _section(html, "associations")
    assert "Aucun service enregistré." in _section(html, "services")


def test_the_desk_lists_functions_recent_interactions_and_open_follow_ups(client, desk):
    html = _page(client, f"/territoires/commune/{OUJDA}")
    functions = _section(html, "people")
    assert f'href="/personnes/{desk["president"]}">Karim OUJDI</a>' in functions
    assert "Président" in functions
    assert "personne non nommée" in functions and "Trésorière" in functions
    assert "Discrete" not in html.upper().title() and "DISCRETE" not in html
    assert f"/personnes/{desk['opposed']}" not in html
    assert "Secrétaire" not in functions and "ANCIEN" not in functions  # ended function

    recent = _section(html, "recent")
    assert f"/interactions/{desk['held']}" in recent and "1 personne non nommée" in recent
    assert f"/interactions/{desk['planned']}" not in recent  # planned: in the agenda
    assert f"/interactions/{desk['planned']}" in _section(html, "agenda")

    follow_ups = _section(html, "follow-ups")
    assert "Envoyer le compte rendu" in follow_ups and "12/03/2026" in follow_ups
    assert "Relancer la subvention" not in follow_ups  # done


def test_an_oriental_officer_sees_no_casablanca_records_on_a_casablanca_commune(client, desk):
    html = _page(client, f"/territoires/commune/{CASABLANCA}")
    for secret in (
        "Anfa",
        "Conseil communal de Casablanca",
        "CASAOUI",
        "Réunion confidentielle",
        "Suivi Anfa",
    ):
        assert secret not in html, secret
    for uid in (desk["casa"], desk["casa_council"], desk["casa_person"]):
        assert uid not in html
    assert 'id="checklist"' not in html  # nothing to judge from outside the territory
    assert "Cette commune est hors de votre territoire" in html


def test_editing_the_rule_set_changes_the_checklist(login, manager, officer, desk):
    client = login(manager)
    html = _page(client, "/territoires/liste-de-controle")
    form = form_with(html, "anapec_enabled")
    assert form.get("anapec_enabled") == "y" and form.get("association_minimum") == "1"
    form.set("association_minimum", "0")
    refused = client.post("/territoires/liste-de-controle", data=form.submission())
    assert "Le minimum doit être compris entre 1 et 20." in refused.get_data(as_text=True)
    assert run("MATCH (s:Setting) RETURN count(s) AS n")[0]["n"] == 0

    form.set("association_minimum", "2")
    form.set("anapec_enabled", [])
    assert client.post("/territoires/liste-de-controle", data=form.submission()).status_code == 302
    checklist = _section(_page(client, f"/territoires/commune/{OUJDA}"), "checklist")
    assert "ANAPEC" not in checklist
    assert _status(checklist, "Au moins une association") == "missing"
    assert "(au moins 2)" in checklist
    audited = run(
        "MATCH (e:AuditEvent {target_kind: 'setting', target_uid: 'checklist'}) "
        "RETURN e.details AS details"
    )
    assert len(audited) == 1 and '"anapec"' in audited[0]["details"]

    # Officers read the checklist, they do not edit it.
    other = login(officer)
    assert other.get("/territoires/liste-de-controle").status_code == 403
    assert other.post("/territoires/liste-de-controle", data=form.submission()).status_code == 403


def _counts(html: str) -> dict:
    section = _section(html, "counts")
    facts = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(?:<a [^>]*>)?(\d+)", section))
    kinds = dict(
        re.findall(r"<td>([^<]+)</td>\s*<td data-label=\"Nombre\"><a [^>]*>(\d+)", section)
    )
    return {**{k: int(v) for k, v in facts.items()}, "kinds": {k: int(v) for k, v in kinds.items()}}


def test_region_and_province_counts_equal_a_hand_built_fixture(login, manager, officer, today):
    # Oriental: 3 organisations in Oujda-Angad (2 associations, 1 council), 1 in Berkane.
    council = _org(manager, "Conseil communal d'Oujda", OUJDA, "commune_council")
    nour = _org(manager, "Association Nour", OUJDA)
    _org(manager, "Association Naima", NAIMA)
    berkane = _org(manager, "Coopérative Berkane", BERKANE, "cooperative")
    _org(manager, "Association Anfa", CASABLANCA)
    _org(manager, "INDH", "", "national_agency", shared=True)
    # People: located in Oujda; holding a function in Berkane; a function ended (not counted
    # by the territory); elsewhere.
    _person(manager, "Karim", "Oujdi", OUJDA)
    _function(manager, _person(manager, "Salma", "Berkani"), berkane, "Gérante")
    _function(manager, _person(manager, "Omar", "Ancien"), nour, "Secrétaire", date(2025, 1, 1))
    _person(manager, "Nadia", "Casaoui", CASABLANCA)
    _function(manager, _person(manager, "Driss", "Elu"), council, "Président")
    # Events: two held in the Oriental (one in Oujda-Angad), one in Casablanca.
    for place in (OUJDA, BERKANE, CASABLANCA):
        events.create_event(
            manager,
            {"title": "Atelier", "kind": "workshop", "start_date": "2026-02-10", "commune": place},
        )
    pilots.set_pilot(manager, OUJDA, True, date(2025, 1, 1), today=TODAY)
    pilots.set_pilot(manager, NAIMA, True, date(2025, 1, 1), today=TODAY)
    pilots.set_pilot(manager, CASABLANCA, True, date(2025, 1, 1), today=TODAY)

    expected_region = {
        "Communes pilotes": 2,
        "Personnes": 3,  # Karim, Salma, Driss
        "Événements": 2,
        "Organisations": 4,
        "kinds": {"Association / OSC": 2, "Conseil communal": 1, "Coopérative": 1},
    }
    for actor in (manager, officer):
        client = login(actor)
        region = _page(client, "/territoires/region/02")
        assert _counts(region) == expected_region
        province = _counts(_page(client, "/territoires/province/02.411"))
        assert province == {
            "Communes pilotes": 2,
            "Personnes": 2,  # Karim, Driss
            "Événements": 1,
            "Organisations": 3,
            "kinds": {"Association / OSC": 2, "Conseil communal": 1},
        }
        # Each figure links to the list it counts.
        counts = _section(region, "counts")
        assert 'href="/organisations/?region=02&amp;type=osc">2</a>' in counts
        assert "2 organisations" in _page(client, "/organisations/?region=02&type=osc")
        assert 'href="/personnes/?region=02">3</a>' in counts
        assert "3 personnes" in _page(client, "/personnes/?region=02")
        assert 'href="/territoires/region/02?pilotes=1">2</a>' in counts
        assert 'href="/evenements/?region=02">2</a>' in counts
        assert "2 événements" in _page(client, "/evenements/?region=02")
        assert "1 événement" in _page(client, "/evenements/?region=02.411")

    # The officer of the Oriental counts nothing of Casablanca-Settat but its pilot communes.
    casablanca = _counts(_page(login(officer), "/territoires/region/06"))
    assert casablanca == {
        "Communes pilotes": 1,
        "Personnes": 0,
        "Événements": 0,
        "Organisations": 0,
        "kinds": {},
    }
    assert _counts(_page(login(manager), "/territoires/region/06"))["Organisations"] == 1
