"""The import's fast paths give exactly what the slow ones give: Moroccan phone shapes read
without phonenumbers' parser, and the similarity bound before difflib in duplicate scoring."""

import random
from difflib import SequenceMatcher

import phonenumbers
import pytest

from crm import matching
from crm.validation import Errors, _valid_moroccan, moroccan_e164, normalise_phone


def parsed(raw: str) -> str | None:
    """What phonenumbers alone makes of ``raw``: E.164 when valid, None otherwise."""
    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def shapes(rng: random.Random) -> list[str]:
    """Numbers as people type them: every prefix, separator and grouping, valid or not."""
    made = []
    for _ in range(4000):
        nine = rng.choice("6677556789") + "".join(str(rng.randint(0, 9)) for _ in range(8))
        digits = rng.choice(["0", "+212", "00212", "212", "+2120", ""]) + nine
        if rng.random() < 0.1:
            digits = digits[: rng.randint(1, len(digits))]  # too short
        if rng.random() < 0.05:
            digits += str(rng.randint(0, 9))  # too long
        separator = rng.choice(["", " ", ".", "-", "  ", "/"])
        groups, start = [], 0
        while start < len(digits):
            size = rng.choice([1, 2, 2, 3, 4])
            groups.append(digits[start : start + size])
            start += size
        made.append(separator.join(groups))
    return made


def test_the_fast_path_reads_every_shape_as_phonenumbers_does():
    rng = random.Random(2026)
    fast_used = 0
    for raw in shapes(rng) + [
        "06 61 23 45 67",
        "+212 6 61 23 45 67",
        "0537-12-34-56",
        "0800000000",
    ]:
        fast = moroccan_e164(raw)
        if fast is not None:
            fast_used += 1
            assert fast == parsed(raw), raw
        expected = parsed(raw) or ""
        errors = Errors()
        assert normalise_phone(errors, "phone", raw) == expected, raw
        assert bool(errors) == (expected == ""), raw
    assert fast_used > 500  # the common shapes do take the fast path


def test_validity_from_the_compiled_metadata_is_phonenumbers_own_on_every_prefix():
    # Every five-digit start of a nine-digit national number (types are told apart by at most
    # their first five digits), each with two endings.
    rng = random.Random(212)
    checked = valid = 0
    for prefix in range(50_000, 90_000):
        for _ in range(2):
            national = f"{prefix}{rng.randrange(10_000):04d}"
            number = phonenumbers.PhoneNumber(country_code=212, national_number=int(national))
            expected = phonenumbers.is_valid_number(number)
            assert _valid_moroccan(national) == expected, national
            checked += 1
            valid += expected
    assert checked == 80_000 and 10_000 < valid < 70_000  # both answers are exercised


@pytest.mark.parametrize("raw", ["", "abc", "+33 6 12 34 56 78", "0661", "06612345678"])
def test_other_text_is_left_to_the_parser(raw):
    assert moroccan_e164(raw) is None


def words(rng: random.Random) -> str:
    return "".join(rng.choice("aabdehikmnorsty") for _ in range(rng.randint(1, 11)))


@pytest.mark.parametrize("threshold", [0.75, 0.8, 0.85])
def test_the_bounded_similarity_decides_as_difflib_alone(threshold):
    rng = random.Random(int(threshold * 100))
    for _ in range(30000):
        x, y = words(rng), words(rng)
        if rng.random() < 0.3:  # near spellings, where the threshold matters
            y = x[: rng.randint(0, len(x))] + words(rng)[:2] + x[rng.randint(0, len(x)) :]
        expected = bool(x and y) and SequenceMatcher(None, x, y).ratio() >= threshold
        assert matching._alike(x, y, threshold) == expected, (x, y)


def test_scores_of_spelling_variants_are_unchanged():
    """Pairs the rules were written for keep their documented scores."""
    assert (
        matching.score_people(
            {"first_name": "Mohamed", "last_name": "Alami"},
            {"first_name": "Mohammed", "last_name": "El Alami"},
        ).points
        == 55
    )
    near = matching.score_people(
        {"first_name": "Fatima", "last_name": "Bennani"},
        {"first_name": "Fatma", "last_name": "Bennani"},
    )
    assert "nom proche" in near.reasons
    assert (
        matching.score_organisations(
            {"name": "Association Nour", "commune": "x"},
            {"name": "Association Ennour", "commune": "x"},
        ).reasons[0]
        == "nom proche"
    )


def reference_search_key(*parts):
    """``search_key`` as first written: the parts joined, then folded as one text."""
    import re
    import unicodedata

    from crm import text

    joined = " ".join(text.clean_text(p) for p in parts if p)
    joined = unicodedata.normalize("NFKD", joined.casefold())
    joined = text._ARABIC_DIACRITICS.sub("", joined)
    joined = "".join(ch for ch in joined if not unicodedata.combining(ch))
    joined = joined.translate(text._ARABIC_FOLD)
    joined = re.sub(r"[^\w\s]", " ", joined)
    return text._SPACES.sub(" ", joined).strip()


ALPHABET = (
    "aAéÉèïçßœﬁ Ll-'_.,;!?0٣ \u00a0\t\n\u0301\u0327\u202e\u200c\u00ad"
    "محمدأإآةىئؤـ\u064e\u0650\u0651الحسيمة"
)


def test_search_key_of_several_parts_is_the_keys_of_each_joined():
    from crm.text import clear_caches, search_key

    rng = random.Random(7)
    for _ in range(20000):
        parts = [
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 9)))
            for _ in range(rng.randint(1, 5))
        ]
        if rng.random() < 0.2:
            parts[rng.randrange(len(parts))] = None
        assert search_key(*parts) == reference_search_key(*parts), parts
    clear_caches()
    assert search_key("Hoceïma", None, "  ", "الحسيمة") == "hoceima الحسيمه"


def reference_clean_text(value):
    """``clean_text`` as first written, every character looked at."""
    import unicodedata

    from crm import text

    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).translate(text._BIDI_CONTROLS)
    value = value.translate(text._INVISIBLE_JOINERS)
    value = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return text._SPACES.sub(" ", value).strip()


def test_clean_text_of_printable_text_is_what_the_full_cleaning_gives():
    from crm.text import clean_text

    rng = random.Random(11)
    alphabet = ALPHABET + "\u2028\u2029\u3000\x00\x7f\u061c\u2066\u200b\ufeffe\u0301"
    for _ in range(20000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert clean_text(value) == reference_clean_text(value), repr(value)


def test_the_import_draws_version_4_uids_without_repeats():
    import uuid

    from crm.imports.writing import _Uids

    uids = _Uids()
    drawn = [uids.new() for _ in range(2500)]
    assert len(set(drawn)) == 2500
    assert all(len(u) == 32 and uuid.UUID(hex=u).version == 4 for u in drawn)


def test_the_collector_is_paused_until_the_last_import_is_done():
    import gc

    from graph.collector import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # a second import in another thread
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first one still runs
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("a refused row")
    assert gc.isenabled()


def test_what_a_paused_block_kept_goes_to_the_oldest_generation_and_cycles_are_still_freed():
    import gc
    import weakref

    from graph.collector import collection_paused

    class Node:
        pass

    with collection_paused():
        kept = [[i] for i in range(50_000)]  # a cached result: many young objects
        loop = Node()
        loop.me = loop  # a reference cycle, dropped below
        gone = weakref.ref(loop)
    assert gc.isenabled()
    # Not walked as young objects: they are in the oldest generation already.
    assert gc.get_count()[0] < 1_000
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(kept) in oldest and id(kept[-1]) in oldest
    del loop
    assert gone() is not None  # reference counting alone cannot free a cycle
    gc.collect()
    assert gone() is None  # the collector still finds it


def test_a_collector_switched_off_by_the_process_stays_off():
    import gc

    from graph.collector import collection_paused

    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
