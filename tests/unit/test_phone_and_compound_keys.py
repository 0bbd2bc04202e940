"""Phone numbers, e-mail addresses and compound first names in the search keys (no database)."""

import pytest

from crm.search import organisation_keys, person_keys, typed_phone
from crm.text import joined_words, name_key, search_key
from graph.search import lucene_alternatives, lucene_query


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0661234567", "212661234567"),
        ("06 61 23 45 67", "212661234567"),
        ("06.61.23.45.67", "212661234567"),
        ("+212 661 23 45 67", "212661234567"),
        ("+212 (0)6 61 23 45 67", "212661234567"),
        ("00212661234567", "212661234567"),
        ("212661234567", "212661234567"),
        ("+33 6 12 34 56 78", "33612345678"),
        ("0661 23", "21266123"),  # the start of a number
        ("00212 66", "21266"),
        ("+212 66", "21266"),
        ("2030", "2030"),
        ("06 6", ""),  # too short to be read as a number
        ("Alami 0661234567", ""),
        ("k.benali@example.org", ""),
        ("", ""),
    ],
)
def test_typed_phone_numbers_become_the_digits_of_e164(typed, digits):
    assert typed_phone(typed) == digits


def test_joined_words_of_compound_names():
    assert joined_words("fatima zahra") == ["fatimazahra"]
    assert joined_words("abd el kader") == ["abdelkader", "abdel", "elkader"]
    assert joined_words("fatima") == []
    assert joined_words("a b c d e") == []  # not a first name


def test_person_keys_hold_phone_digits_whole_addresses_and_joined_first_names():
    keys = person_keys(
        {
            "first_name": "Fatima-Zahra",
            "last_name": "Bennani",
            "emails": ["fz.bennani@example.org"],
            "phones": ["+212661234567"],
        }
    )
    words = keys["search_key"].split()
    assert keys["search_key"].endswith("fatima zahra bennani fz bennani example org")
    assert {"fatimazahra", "fz.bennani@example.org", "212661234567"} <= set(words)
    assert "fatamazahra" in keys["name_key"].split()


def test_keys_without_phones_addresses_or_compounds_are_unchanged():
    assert person_keys({"first_name": "Mohamed", "last_name": "Alami"}) == {
        "search_key": search_key("Mohamed", "Alami"),
        "name_key": name_key("Mohamed", "Alami"),
        "sort_key": "alami\x01mohamed",
    }
    keys = organisation_keys({"name": "Association Nour", "phone": "+212536681234"})
    assert keys["search_key"] == "association nour 212536681234"


def test_lucene_alternatives_escape_terms_and_allow_indexed_properties_only():
    query = lucene_alternatives(
        [[("search_key", "a+b@x.ma", False)], [("name_key", "alam", False), ("name_key", "", True)]]
    )
    assert query == "(+search_key:a\\+b@x.ma) (+name_key:alam)"
    assert lucene_alternatives([[("name_key", "", False)]]) == ""
    with pytest.raises(ValueError):
        lucene_alternatives([[("uid", "x", False)]])


def test_lucene_query_adds_joined_words_and_tokens_as_alternatives():
    query = lucene_query(
        [("fatima", "fatama"), ("zahra", "zahra")],
        ["fatama", "zahra"],
        joined=[[("fatimazahra", "fatamazahra")]],
        tokens=["212661"],
    )
    assert query.endswith(
        "(+(search_key:fatimazahra^2 search_key:fatimazahra* name_key:fatamazahra)) "
        "(search_key:212661^2 search_key:212661*)"
    )
