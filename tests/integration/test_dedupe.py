"""Duplicates through the HTTP client: candidates, comparison, merge, dismissal, scope."""

import json

import pytest

from crm import dedupe, organisations, people
from graph import last_contact
from graph.database import run

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


def new_person(actor, first, last, commune=OUJDA, **extra):
    data = {"first_name": first, "last_name": last, "commune": commune or "", **extra}
    return people.create_person(actor, data)


def new_organisation(actor, name, commune=OUJDA, **extra):
    return organisations.create_organisation(
        actor, {"name": name, "kind": "osc", "commune": commune, **extra}
    )


def version(label, uid):
    return run("MATCH (n:" + label + " {uid: $uid}) RETURN n.version AS v", uid=uid)[0]["v"]


def exists(label, uid):
    return bool(run("MATCH (n:" + label + " {uid: $uid}) RETURN n", uid=uid))


def merge_form(label, pair, keep):
    return {
        "keep": keep,
        "version_a": version(label, pair[0]),
        "version_b": version(label, pair[1]),
        "confirm": "y",
    }


@pytest.fixture
def alamis(officer):
    """The same man recorded twice, in two spellings, and someone else."""
    first = new_person(
        officer, "Mohamed", "Alami", first_name_ar="محمد", last_name_ar="العلمي",
        phones="0661 23 45 67", emails="m.alami@example.org",
    )  # fmt: skip
    second = new_person(
        officer, "Mohammed", "El Alami", first_name_ar="مُحمد", last_name_ar="العلمى",
        phones="+212 6 61 23 45 67",
    )  # fmt: skip
    other = new_person(officer, "Karim", "Idrissi")
    return first, second, other


def test_candidates_are_listed_with_their_score_and_reasons(client, alamis):
    first, second, other = alamis
    page = client.get("/doublons/personnes").get_data(as_text=True)
    assert "Mohammed" in page and "EL ALAMI" in page
    assert "même nom (translittération)" in page
    assert "même nom en arabe" in page and "même téléphone" in page
    low, high = sorted((first, second))
    assert f"/doublons/personnes/{low}/{high}" in page
    assert "IDRISSI" not in page

    comparison = client.get(f"/doublons/personnes/{low}/{high}")
    assert comparison.status_code == 200
    html = comparison.get_data(as_text=True)
    assert "Fusionner" in html and "Ce ne sont pas des doublons" in html
    assert "m.alami@example.org" in html


@pytest.mark.parametrize(
    ("clean", "dirty"),
    [
        (
            {"first": "Fatima Zahra", "last": "Bennani"},
            {"first": "Fatima\x00 •_Zahra 2", "last": "Bennani ?"},
        ),
        (
            {
                "first": "Mostafa",
                "last": "Alaoui",
                "first_name_ar": "مصطفى",
                "last_name_ar": "العلوي",
            },
            {
                "first": "Mostafa - 2",
                "last": "Alaoui",
                "first_name_ar": "مصطفـــی",
                "last_name_ar": "العلوى",
            },
        ),
        # Arabic typed in the main name fields.
        ({"first": "أحمد", "last": "بناني"}, {"first": "إحمد ـ 3", "last": "بنانی"}),
        ({"first": "فاطمة", "last": "علي"}, {"first": "فاطمه", "last": "على_"}),
    ],
)
def test_a_dirty_spelling_is_proposed_with_the_clean_one(officer, clean, dirty):
    """Same family name and commune, one record clean and one dirty: a candidate pair."""
    clean_uid = new_person(officer, clean.pop("first"), clean.pop("last"), **clean)
    dirty_uid = new_person(officer, dirty.pop("first"), dirty.pop("last"), **dirty)
    new_person(officer, "Karim", "Idrissi")

    page = dedupe.candidate_pairs(officer, "person")
    pairs = {(p["a"]["uid"], p["b"]["uid"]): p for p in page.items}
    assert list(pairs) == [tuple(sorted((clean_uid, dirty_uid)))], pairs
    pair = pairs[tuple(sorted((clean_uid, dirty_uid)))]
    assert pair["score"] >= dedupe.MIN_SCORE
    assert pair["reasons"][0] == "même nom" and "même commune" in pair["reasons"]
    if "first_name_ar" in clean:
        assert "même nom en arabe" in pair["reasons"]


def test_merge_keeps_every_tie_fills_fields_and_keeps_the_history(client, officer, manager, login):
    nour = new_organisation(officer, "Association Nour")
    amal = new_organisation(officer, "Association Amal")
    removed = new_person(
        officer, "Mohamed", "Alami", first_name_ar="محمد", last_name_ar="العلمي",
        phones="0661234567", emails="m.alami@example.org", themes=["jeunesse"],
    )  # fmt: skip
    # The record to keep was entered by the national team, without a commune.
    kept = new_person(manager, "Mohammed", "El Alami", commune="", emails="alami@gmail.com")
    people.link_to_organisation(
        officer, removed, nour, {"role": "Président", "since": "2021-10-01"}
    )
    people.link_to_organisation(manager, kept, amal, {"role": "Trésorier"})
    affiliation_uid = run(
        "MATCH (:Person {uid: $uid})-[a:AFFILIATED_WITH]->() RETURN a.uid AS uid", uid=removed
    )[0]["uid"]
    # Interactions as the officer logs them: one with the removed record only, one with both.
    run(
        """
        MATCH (u:User {uid: $officer}), (r:Person {uid: $removed}), (k:Person {uid: $kept})
        UNWIND [['call-1', 'call', [r]], ['meeting-1', 'meeting', [r, k]]] AS row
        CREATE (u)-[:LOGGED]->(i:Interaction {uid: row[0], kind: row[1], date: date('2024-03-01'),
                summary: 'Préparation du budget participatif', version: 1,
                created_at: datetime(), updated_at: datetime(), logger_uid: u.uid})
        FOREACH (x IN row[2] | CREATE (i)-[:WITH]->(x))
        """,
        officer=officer.uid,
        removed=removed,
        kept=kept,
    )
    run("MATCH (:Interaction {uid: 'call-1'})-[w:WITH]->() SET w.note = 'invité'")
    last_contact.backfill()  # what logging them keeps on the records
    pair = tuple(sorted((removed, kept)))

    response = client.post(
        f"/doublons/personnes/{pair[0]}/{pair[1]}/fusionner",
        data=merge_form("Person", pair, kept),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/personnes/{kept}")
    assert not exists("Person", removed)

    ties = run(
        """
        MATCH (p:Person {uid: $uid})-[a:AFFILIATED_WITH]->(o:Organisation)
        RETURN o.uid AS org, a.role AS role, a.uid AS uid, a.since AS since
        """,
        uid=kept,
    )
    by_org = {t["org"]: t for t in ties}
    assert set(by_org) == {nour, amal}
    assert by_org[nour]["role"] == "Président" and by_org[nour]["uid"] == affiliation_uid
    assert by_org[nour]["since"].iso_format() == "2021-10-01"
    commune = run(
        "MATCH (:Person {uid: $uid})-[:LOCATED_IN]->(c:Commune) RETURN c.code AS code", uid=kept
    )
    assert [c["code"] for c in commune] == [OUJDA]
    interactions = run(
        """
        MATCH (i:Interaction)-[w:WITH]->(p:Person {uid: $uid})
        RETURN i.uid AS uid, w.note AS note ORDER BY uid
        """,
        uid=kept,
    )
    assert interactions == [
        {"uid": "call-1", "note": "invité"},  # the tie's properties travel with it
        {"uid": "meeting-1", "note": None},  # one tie, not two
    ]

    record = run("MATCH (p:Person {uid: $uid}) RETURN properties(p) AS p", uid=kept)[0]["p"]
    assert record["first_name"] == "Mohammed"  # the kept record's own values stay
    assert record["first_name_ar"] == "محمد" and record["phones"] == ["+212661234567"]
    assert record["emails"] == ["alami@gmail.com", "m.alami@example.org"]
    assert record["themes"] == ["jeunesse"]
    assert record["merged_uids"] == [removed]
    assert "m alami example org" in record["search_key"]

    event = run(
        """
        MATCH (e:AuditEvent {action: 'merge', target_uid: $uid})
        RETURN e.details AS details, e.actor_email AS by
        """,
        uid=kept,
    )[0]
    details = json.loads(event["details"])
    assert event["by"] == "officer@example.org"
    assert details["kept"] == kept and details["removed"] == removed
    assert details["changes"]["phones"] == [[], ["+212661234567"]]
    assert details["not_kept"]["first_name"] == "Mohamed"
    assert details["moved"]["AFFILIATED_WITH"] == 1

    # The removed record's address leads to the kept one; its history is the kept one's.
    old = client.get(f"/personnes/{removed}")
    assert old.status_code == 301
    assert old.headers["Location"].endswith(f"/personnes/{kept}")
    page = client.get(f"/personnes/{kept}").get_data(as_text=True)
    assert "Association Nour" in page and "Association Amal" in page
    assert "Fusion" in page and "Nouvelle fonction : Président" in page
    history = people.history(officer, kept)
    assert {e["target_uid"] for e in history} == {kept, removed}
    assert [e["action"] for e in history if e["target_uid"] == removed].count("create") == 1


def test_merge_of_organisations_keeps_members_and_partners(client, officer):
    first = new_organisation(officer, "Association Nour pour le développement")
    second = new_organisation(
        officer, "Association Ennour pour le developpement", name_ar="جمعية النور",
        phone="0536 68 12 34",
    )  # fmt: skip
    partner = new_organisation(officer, "Coopérative Tifaout")
    member = new_person(officer, "Amina", "Tazi")
    people.link_to_organisation(officer, member, second, {"role": "Secrétaire"})
    run(
        """
        MATCH (a:Organisation {uid: $second}), (p:Organisation {uid: $partner}),
              (f:Organisation {uid: $first})
        CREATE (p)-[:PARTNERS_WITH {kind: 'convention', since: date('2022-01-01')}]->(a)
        CREATE (a)-[:PARTNERS_WITH {kind: 'réseau'}]->(f)
        """,
        first=first,
        second=second,
        partner=partner,
    )
    listing = client.get("/doublons/organisations").get_data(as_text=True)
    assert "Association Ennour pour le developpement" in listing and "nom proche" in listing

    pair = tuple(sorted((first, second)))
    comparison = client.get(f"/doublons/organisations/{pair[0]}/{pair[1]}")
    html = comparison.get_data(as_text=True)
    assert comparison.status_code == 200
    assert "AMINA TAZI" in html.upper() and "Secrétaire" in html and "Partenariats : 2" in html
    response = client.post(
        f"/doublons/organisations/{pair[0]}/{pair[1]}/fusionner",
        data=merge_form("Organisation", pair, first),
    )
    assert response.status_code == 302
    row = run(
        """
        MATCH (o:Organisation {uid: $uid})
        RETURN o.name_ar AS name_ar, o.phone AS phone,
               [(m:Person)-[a:AFFILIATED_WITH]->(o) | m.uid + ':' + a.role] AS members,
               [(p)-[r:PARTNERS_WITH]->(o) | p.uid + ':' + r.kind] AS partners,
               [(o)-[r:PARTNERS_WITH]-(o) | r] AS loops
        """,
        uid=first,
    )[0]
    assert row["name_ar"] == "جمعية النور" and row["phone"] == "+212536681234"
    assert row["members"] == [member + ":Secrétaire"]
    assert row["partners"] == [partner + ":convention"]
    assert row["loops"] == []  # the tie between the two records is not turned into a loop
    assert client.get(f"/organisations/{second}").status_code == 301


def test_a_record_cannot_be_merged_with_itself(client, alamis):
    first = alamis[0]
    response = client.post(
        f"/doublons/personnes/{first}/{first}/fusionner",
        data=merge_form("Person", (first, first), first),
    )
    assert response.status_code == 422
    assert "ne peut pas être fusionnée avec elle-même" in response.get_data(as_text=True)
    assert exists("Person", first) and version("Person", first) == 1
    assert client.get(f"/doublons/personnes/{first}/{first}").status_code == 422


def test_a_stale_comparison_is_refused_and_nothing_is_written(client, officer, alamis):
    first, second, _ = alamis
    pair = tuple(sorted((first, second)))
    form = merge_form("Person", pair, pair[0])
    people.update_person(
        officer, pair[1], 1, {"first_name": "Mhamed", "last_name": "Alami", "commune": OUJDA}
    )
    response = client.post(f"/doublons/personnes/{pair[0]}/{pair[1]}/fusionner", data=form)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "a été modifiée depuis l&#39;affichage de la comparaison" in html
    assert "Mhamed" in html  # the comparison shows the record as it is now
    assert exists("Person", pair[0]) and exists("Person", pair[1])
    assert not run("MATCH (e:AuditEvent {action: 'merge'}) RETURN e")


def test_a_relationship_the_merge_does_not_know_is_never_lost(client, alamis):
    first, second, _ = alamis
    run(
        "MATCH (p:Person {uid: $uid}) CREATE (p)-[:MENTORS]->(:Note {text: 'x'})",
        uid=second,
    )
    pair = tuple(sorted((first, second)))
    response = client.post(
        f"/doublons/personnes/{pair[0]}/{pair[1]}/fusionner",
        data=merge_form("Person", pair, first),
    )
    assert response.status_code == 409
    assert "MENTORS" in response.get_data(as_text=True)
    assert exists("Person", second)


def test_a_dismissed_pair_is_not_proposed_again(client, alamis, officer):
    first, second, _ = alamis
    low, high = sorted((first, second))
    assert f"/doublons/personnes/{low}/{high}" in client.get("/doublons/personnes").get_data(
        as_text=True
    )
    response = client.post(f"/doublons/personnes/{low}/{high}/distincts")
    assert response.status_code == 302
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ne seront plus proposées" in listing
    assert f"/doublons/personnes/{low}/{high}" not in listing
    assert "Aucun doublon probable" in listing
    assert any(e["details"].get("not_duplicate_of") == high for e in people.history(officer, low))


def test_out_of_scope_duplicates_are_invisible_to_the_oriental_officer(client, manager, login):
    casa = new_person(manager, "Nadia", "Bennani", commune=CASABLANCA, phones="0661000000")
    casa_twin = new_person(manager, "Nadia", "Benani", commune=CASABLANCA, phones="0661000000")
    low, high = sorted((casa, casa_twin))

    assert "BENNANI" not in client.get("/doublons/personnes").get_data(as_text=True)
    assert client.get(f"/doublons/personnes/{low}/{high}").status_code == 404
    response = client.post(
        f"/doublons/personnes/{low}/{high}/fusionner",
        data=merge_form("Person", (low, high), low),
    )
    assert response.status_code == 404
    assert client.post(f"/doublons/personnes/{low}/{high}/distincts").status_code == 404
    assert exists("Person", casa) and exists("Person", casa_twin)
    assert not run("MATCH ()-[d:NOT_DUPLICATE_OF]-() RETURN d")

    national = login(manager).get("/doublons/personnes").get_data(as_text=True)
    assert f"/doublons/personnes/{low}/{high}" in national


def test_shared_institutions_and_read_only_roles_cannot_merge(client, manager, make_user, login):
    shared = new_organisation(manager, "INDH", commune="", shared=True, kind="national_agency")
    local = new_organisation(manager, "INDH Oujda", kind="national_agency")
    low, high = sorted((shared, local))
    assert client.get(f"/doublons/organisations/{low}/{high}").status_code == 403
    response = client.post(
        f"/doublons/organisations/{low}/{high}/fusionner",
        data=merge_form("Organisation", (low, high), local),
    )
    assert response.status_code == 403
    assert exists("Organisation", shared)

    analyst = login(make_user("analyst", "analyst@example.org"))
    assert analyst.get("/doublons/personnes").status_code == 403
    assert "Doublons" not in analyst.get("/personnes/").get_data(as_text=True)
