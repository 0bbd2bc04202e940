"""Finding people by phone number, by e-mail and by compound first names, on the full-text index."""

import re

import pytest

from crm import organisations, people
from crm.text import name_key, search_key
from graph.database import run

pytestmark = pytest.mark.integration

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manager@example.org")


def _person(actor, first, last, commune=OUJDA, **extra) -> str:
    data = {"first_name": first, "last_name": last, "commune": commune, **extra}
    return people.create_person(actor, data)


def _found(client, typed: str, kind: str = "personnes") -> list[str]:
    response = client.get(f"/{kind}/", query_string={"q": typed})
    assert response.status_code == 200
    return re.findall(r'href="/' + kind + r'/([0-9a-f]{32})"', response.get_data(as_text=True))


@pytest.mark.parametrize(
    "typed",
    [
        "0661234567",
        "06 61 23 45 67",
        "06.61.23.45.67",
        "06-61-23-45-67",
        "+212 661 23 45 67",
        "+212661234567",
        "+212 (0)6 61 23 45 67",
        "00212661234567",
        "00 212 661 23 45 67",
        "212661234567",
        "0661 23",  # the start of the number
        "+212 661 2",
    ],
)
def test_a_phone_number_typed_in_any_common_format_finds_the_person(client, manager, typed):
    president = _person(manager, "Karim", "Benali", phones="0661 23 45 67, 0536 68 12 34")
    _person(manager, "Nadia", "Tazi", phones="0662 00 00 00")
    assert _found(client, typed) == [president], typed


def test_the_second_number_and_a_foreign_number_are_found_too(client, manager):
    uid = _person(manager, "Karim", "Benali", phones="0661 23 45 67, +33 6 12 34 56 78")
    assert _found(client, "0033 6 12 34 56 78") == [uid]
    assert _found(client, "+33612345678") == [uid]
    assert _found(client, "0612345678") == []  # a Moroccan 06 12…, not the French number


def test_e_mail_whole_or_its_start(client, manager):
    uid = _person(manager, "Karim", "Benali", emails="k.benali@example.org")
    _person(manager, "Khadija", "Benali", emails="khadija@example.org")
    for typed in ("k.benali@example.org", "K.Benali@Example.org", "k.benali@ex", "k.benali@"):
        assert _found(client, typed) == [uid], typed


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Fatima Zahra", "Fatimazahra"),
        ("Fatima Zahra", "Fatima-Zahra"),
        ("Fatimazahra", "Fatima Zahra"),
        ("Fatimazahra", "Fatima-Zahra"),
        ("Fatima-Zahra", "Fatimazahra"),
        ("Fatima-Zahra", "fatima zahra"),
        ("Abdelkader", "Abdel Kader"),
        ("Abdel Kader", "Abdelkader"),
        ("Abderrahim", "Abd Errahim"),
        ("Abd Errahim", "Abderrahim"),
        ("Mohamedamine", "Mohamed Amine"),
        ("Mohamed Amine", "Mohamedamine"),
        ("Mohamed Amine", "Mohammedamine"),
        ("Fatima Zahra", "Fatimaz"),  # the joined form being typed
    ],
)
def test_compound_first_names_written_together_or_apart(client, manager, stored, typed):
    uid = _person(manager, stored, "Bennani")
    _person(manager, "Fatima", "Alaoui")  # a first name alone is another person
    _person(manager, "Amine", "Kadiri")
    assert _found(client, typed) == [uid], (stored, typed)
    assert _found(client, typed + " Bennani") == [uid], (stored, typed)


def test_phone_search_stays_in_the_officers_territory(client, manager):
    _person(manager, "Karim", "Benali", commune=CASABLANCA, phones="0661 23 45 67")
    assert _found(client, "0661234567") == []
    mine = _person(manager, "Karim", "Benali", phones="0661 23 45 67")
    assert _found(client, "06 61 23 45 67") == [mine]


def test_organisations_are_found_by_phone_and_e_mail(client, manager):
    uid = organisations.create_organisation(
        manager,
        {
            "name": "Association Nour",
            "kind": "osc",
            "commune": OUJDA,
            "phone": "0536 68 12 34",
            "email": "contact@nour.ma",
        },
    )
    assert _found(client, "+212 536 68 12 34", "organisations") == [uid]
    assert _found(client, "contact@nour", "organisations") == [uid]


def test_install_schema_brings_keys_written_before_phones_and_joined_names(app, client, manager):
    uid = _person(
        manager, "Fatima Zahra", "Bennani", phones="0661 23 45 67", emails="fz@example.org"
    )
    written = run("MATCH (p:Person {uid: $uid}) RETURN properties(p) AS p", uid=uid)[0]["p"]
    # The keys as they were written before phones, addresses and joined names were added.
    run(
        "MATCH (p:Person {uid: $uid}) SET p.search_key = $search, p.name_key = $name",
        uid=uid,
        search=search_key("Fatima Zahra", "Bennani", "fz@example.org"),
        name=name_key("Fatima Zahra", "Bennani"),
    )
    assert _found(client, "0661234567") == [] and _found(client, "Fatimazahra") == []
    result = app.test_cli_runner().invoke(args=["graph", "install-schema"])
    assert result.exit_code == 0, result.output
    assert "1 personne(s)" in result.output
    assert _found(client, "0661234567") == [uid] and _found(client, "Fatimazahra") == [uid]
    after = run("MATCH (p:Person {uid: $uid}) RETURN properties(p) AS p", uid=uid)[0]["p"]
    assert (after["search_key"], after["name_key"]) == (written["search_key"], written["name_key"])
    assert after["version"] == written["version"]
    again = app.test_cli_runner().invoke(args=["graph", "install-schema"])
    assert "0 personne(s), 0 organisation(s)" in again.output
