"""The checklist of the actors expected in every commune, evaluated without a database."""

from __future__ import annotations

from dataclasses import replace

from crm.checklist import DEFAULT_RULES, evaluate


def _org(uid, name, kind, acronym="", parent=None):
    return {"uid": uid, "name": name, "kind": kind, "acronym": acronym, "parent": parent}


COUNCIL = _org("c", "Conseil communal d'Oujda", "commune_council")
IECGAG = _org(
    "i",
    "Instance de l'équité, de l'égalité des chances et de l'approche genre",
    "council_body",
    parent={"name": COUNCIL["name"], "acronym": "", "kind": "commune_council"},
)
YOUTH = _org("y", "Conseil communal des jeunes d'Oujda", "council_body")
COMMISSION = _org("k", "Commission des affaires sociales", "council_body")
ASSOCIATION = _org("a", "Association Nour", "osc")
INDH_LOCAL = _org(
    "n",
    "Coordination provinciale",
    "deconcentrated_service",
    parent={"name": "Initiative nationale pour le développement humain", "acronym": "INDH"},
)
ANAPEC = _org("p", "Agence d'Oujda", "national_agency", acronym="ANAPEC")
EDUCATION = _org("e", "Direction provinciale de l'éducation", "deconcentrated_service")


def _present(result):
    return {row["rule"]: row["present"] for row in result}


def test_an_empty_commune_misses_every_expected_actor():
    result = evaluate(DEFAULT_RULES, [])
    assert [row["rule"] for row in result] == [rule.code for rule in DEFAULT_RULES]
    assert not any(row["present"] for row in result)
    assert all(row["records"] == [] and row["count"] == 0 for row in result)


def test_a_council_with_its_iecgag_and_an_association():
    result = evaluate(DEFAULT_RULES, [COUNCIL, IECGAG, ASSOCIATION, COMMISSION])
    assert _present(result) == {
        "commune_council": True,
        "iecgag": True,
        "youth_council": False,
        "association": True,
        "indh": False,
        "anapec": False,
        "deconcentrated_service": False,
    }
    by_rule = {row["rule"]: row for row in result}
    assert [o["uid"] for o in by_rule["iecgag"]["records"]] == ["i"]  # not the commission
    assert [o["uid"] for o in by_rule["commune_council"]["records"]] == ["c"]


def test_names_acronyms_and_parents_recognise_the_bodies_and_agencies():
    result = evaluate(DEFAULT_RULES, [YOUTH, INDH_LOCAL, ANAPEC, EDUCATION])
    by_rule = {row["rule"]: [o["uid"] for o in row["records"]] for row in result}
    assert by_rule["youth_council"] == ["y"]
    assert by_rule["indh"] == ["n"]  # through the INDH it is part of
    assert by_rule["anapec"] == ["p"]  # by its acronym
    assert by_rule["deconcentrated_service"] == ["n", "e"]
    assert by_rule["iecgag"] == []


def test_a_keyword_matches_whole_words_only():
    # "indhira" is not INDH, and an association named after ANAPEC is not the agency.
    result = evaluate(
        DEFAULT_RULES,
        [
            _org("x", "Bureau Indhira", "national_agency"),
            _org("z", "Association des usagers de l'ANAPEC", "osc"),
        ],
    )
    assert _present(result)["indh"] is False and _present(result)["anapec"] is False


def test_disabled_rules_are_left_out_and_minimums_count():
    rules = [
        replace(rule, minimum=2) if rule.code == "association" else rule
        for rule in DEFAULT_RULES
        if rule.code != "anapec"
    ]
    one = evaluate(rules, [ASSOCIATION])
    assert "anapec" not in _present(one)
    association = next(row for row in one if row["rule"] == "association")
    assert association == {**association, "count": 1, "minimum": 2, "present": False}
    two = evaluate(rules, [ASSOCIATION, _org("b", "Coopérative Argan", "cooperative")])
    assert _present(two)["association"] is True


def test_input_is_not_modified():
    organisations = [COUNCIL, IECGAG]
    before = [dict(o) for o in organisations]
    evaluate(DEFAULT_RULES, organisations)
    assert organisations == before
