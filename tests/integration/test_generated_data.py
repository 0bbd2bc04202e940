"""Generated data loaded into Neo4j: seen and changed through the app's own use cases, removed
in one command without touching anything else, and the CLI around it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm import clock, interactions, organisations, people, users
from crm.access import Actor
from crm.errors import NotFound
from graph import bulk
from graph.database import run
from graph.geography import geography_counts
from seeds import generator, institutions

PASSWORD = "generated data password 2026"
SEED = 5


def _actor(email: str) -> Actor:
    return users.load_session(users.authenticate(email, PASSWORD).session_token)


@pytest.fixture
def generated(clean_db) -> Iterator[dict]:
    """The small size loaded (today as its date), and what the generation counted."""
    counts = generator.load("small", SEED, clock.today(), PASSWORD)
    yield counts


def test_loaded_records_match_the_generation(generated):
    in_database = bulk.generated_counts()
    assert in_database["Organisation"] == generated["organisations"]
    assert in_database["Person"] == generated["people"]
    assert in_database["Event"] == generated["events"]
    assert in_database["Interaction"] == generated["interactions"]
    assert in_database["FollowUp"] == generated["follow_ups"]
    assert in_database["User"] == generated["accounts"] == 6  # a manager, 5 officers
    ties = run(
        """
        MATCH (a)-[r]->(b) WHERE (a:Generated OR b:Generated)
          AND NOT type(r) IN ['LOCATED_IN', 'HELD_IN', 'COVERS']
        RETURN count(r) AS n
        """
    )[0]["n"]
    assert ties == generated["ties"]
    pilots = run("MATCH (c:Commune {pilot: true}) RETURN count(c) AS n")[0]["n"]
    assert pilots == 10


def test_the_officer_opens_and_saves_generated_records(generated):
    officer = _actor("charge.02@" + generator.EMAIL_DOMAIN)  # the Oriental
    listed = people.search_people(officer)
    assert listed.total > 0
    for row in listed.items[:5]:
        page = people.person_page(officer, row["uid"])
        assert page["person"]["affiliations"] or page["person"]["commune"]
    uid = run(
        """
        MATCH (p:Person:Generated)-[:AFFILIATED_WITH]->(:Organisation {kind: 'osc'})
              -[:LOCATED_IN]->(c:Commune) WHERE c.code STARTS WITH '02.'
        RETURN p.uid AS uid ORDER BY uid LIMIT 1
        """
    )[0]["uid"]
    form = people.person_for_edit(officer, uid)
    data = {key: form.get(key) for key in ("first_name", "last_name", "first_name_ar",
                                           "last_name_ar", "gender", "age_band", "languages",
                                           "emails", "phones", "themes", "notes", "legal_basis",
                                           "purpose", "source", "commune")}  # fmt: skip
    data["notes"] = "Vue en réunion"
    assert people.update_person(officer, uid, form["version"], data) == form["version"] + 1
    orgs = organisations.search_organisations(officer, kind="commune_council")
    assert orgs.total == 2  # the two pilot communes of the region
    council = organisations.organisation_page(officer, orgs.items[0]["uid"])
    members = council["organisation"]["members"]
    assert any(m["until"] is None for m in members)
    code = council["organisation"]["commune"]["code"]
    desk = interactions.commune_page(officer, code)
    assert desk["interactions"] or desk["events"]
    # Another region's generated records are out of the officer's scope.
    other = run(
        "MATCH (p:Person:Generated)-[:LOCATED_IN]->(c:Commune) WHERE c.code STARTS WITH '06' "
        "RETURN p.uid AS uid LIMIT 1"
    )[0]["uid"]
    with pytest.raises(NotFound):
        people.person_page(officer, other)


def test_interactions_and_follow_ups_belong_to_the_regions_officer(generated):
    manager = _actor(generator.MANAGER_EMAIL)
    rows = run(
        """
        MATCH (u:User)-[:LOGGED]->(i:Interaction:Generated)
        OPTIONAL MATCH (i)-[:WITH]->(p:Person)-[:LOCATED_IN]->(c:Commune)
        RETURN i.uid AS uid, u.email AS officer,
               collect(DISTINCT substring(c.code, 0, 2)) AS regions
        """
    )
    assert rows
    for row in rows:
        assert (
            row["officer"] == f"charge.{row['regions'][0]}@{generator.EMAIL_DOMAIN}"
            or not (row["regions"])
        )
    shown = interactions.get_interaction(manager, rows[0]["uid"])
    assert shown["logged_by_name"]
    officer = _actor("charge.09@" + generator.EMAIL_DOMAIN)
    from crm import followups

    mine = followups.my_follow_ups(officer)
    assert any(mine[bucket] for bucket in ("overdue", "today", "week", "later")) or mine["done"]


def test_heads_of_an_organisation_never_overlap(generated):
    overlaps = run(
        """
        MATCH (p:Person)-[b:AFFILIATED_WITH]->(o:Organisation:Generated)
        MATCH (q:Person)-[a:AFFILIATED_WITH {uid: b.succeeds}]->(o)
        WHERE a.until IS NULL OR a.until <> b.since OR p = q
        RETURN count(*) AS n
        """
    )[0]["n"]
    assert overlaps == 0
    handovers = run(
        "MATCH ()-[b:AFFILIATED_WITH]->(:Organisation:Generated) WHERE b.succeeds IS NOT NULL "
        "RETURN count(b) AS n"
    )[0]["n"]
    assert handovers > 0


def test_remove_generated_removes_exactly_the_generated_data(clean_db):
    institutions.load()
    manager_uid = users.create_user("chef@example.org", "Chef", PASSWORD, "manager")
    chef = users.load_session(users.authenticate("chef@example.org", PASSWORD).session_token)
    own = people.create_person(chef, {"first_name": "Salma", "last_name": "Tazi"})
    run("MATCH (c:Commune {code: '02.411.01.23'}) SET c.pilot = true")  # a manager's pilot
    before = run("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"]
    ties_before = run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    generator.load("small", SEED, clock.today(), PASSWORD)
    assert run("MATCH (c:Commune {pilot: true}) RETURN count(c) AS n")[0]["n"] == 1
    removed = generator.remove()
    assert removed["Person"] > 0 and removed["User"] == 6
    assert bulk.generated_counts() == {}
    assert geography_counts()["communes"] == 1503
    assert run("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"] == before
    assert run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == ties_before
    assert people.get_person(chef, own)["first_name"] == "Salma"
    assert run("MATCH (u:User {uid: $uid}) RETURN count(u) AS n", uid=manager_uid)[0]["n"] == 1
    assert run("MATCH (c:Commune {pilot: true}) RETURN c.code AS code") == [
        {"code": "02.411.01.23"}
    ]


def test_generated_pilots_are_unmarked_by_removal(clean_db):
    generator.load("small", SEED, clock.today(), PASSWORD)
    generator.remove()
    assert (
        run("MATCH (c:Commune) WHERE c.pilot OR c.pilot_generated RETURN count(c) AS n")[0]["n"]
        == 0
    )


def test_same_seed_same_records_in_the_database(clean_db):
    def snapshot() -> list:
        """Every generated record with its properties and its ties (to what, with what)."""
        rows = run(
            """
            MATCH (n:Generated) WHERE NOT n:User
            OPTIONAL MATCH (n)-[r]->(m)
            WITH n, collect([type(r), properties(r),
                             CASE WHEN m:User THEN m.email ELSE coalesce(m.uid, m.code) END]) AS out
            OPTIONAL MATCH (n)<-[:LOGGED]-(u:User)
            RETURN n.uid AS uid, properties(n) AS props, out, u.email AS logged_by ORDER BY uid
            """
        )
        # A user's uid is new at each load: who logged an interaction is compared by e-mail
        # (``logged_by``), not by the uid the interaction repeats (``logger_uid``).
        for row in rows:
            row["props"].pop("logger_uid", None)
        return [{**row, "out": sorted(map(repr, row["out"]))} for row in rows]

    day = clock.today()
    generator.load("small", SEED, day, PASSWORD)
    first = snapshot()
    generator.remove()
    generator.load("small", SEED, day, PASSWORD)
    second = snapshot()
    assert first == second and len(first) > 300


def test_cli_generates_counts_and_removes(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("TANSIQ_GENERATED_PASSWORD", PASSWORD)
    dry = runner.invoke(args=["seeds", "generate", "--size", "small", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Seraient générés" in dry.output and bulk.generated_counts() == {}
    # On a database whose schema was never installed, it installs it first.
    run("DROP INDEX organisation_kind_last_contact")
    done = runner.invoke(
        args=["seeds", "generate", "--size", "small", "--seed", "3", "--as-of", "2026-03-15"]
    )
    assert done.exit_code == 0, done.output
    assert "Générés" in done.output and generator.MANAGER_EMAIL in done.output
    assert PASSWORD not in done.output
    assert run("SHOW INDEXES YIELD name WHERE name = 'organisation_kind_last_contact' RETURN name")
    again = runner.invoke(args=["seeds", "generate", "--size", "small"])
    assert again.exit_code != 0 and "remove-generated" in again.output
    refused = runner.invoke(args=["seeds", "remove-generated"], input="n\n")
    assert refused.exit_code != 0 and bulk.generated_counts()
    removed = runner.invoke(args=["seeds", "remove-generated", "--yes"])
    assert removed.exit_code == 0, removed.output
    assert bulk.generated_counts() == {}


def test_cli_prints_a_generated_password_once(app, monkeypatch):
    monkeypatch.delenv("TANSIQ_GENERATED_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["seeds", "generate", "--size", "small"])
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    users.authenticate("charge.05@" + generator.EMAIL_DOMAIN, password)
