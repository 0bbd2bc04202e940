"""Search across people and organisations: from what a user types to a scoped query.

What is typed goes through the same folding as the stored keys (``crm.text``): case, accents,
Arabic letter variants, tatweel and diacritics (``search_key``), and the transliteration
variants of Moroccan names (``name_key``). Each word matches as a prefix ("moha" finds
Mohamed); ``graph.search`` turns the words into an escaped Lucene query on a full-text index.

Three more ways in, each an alternative of the query:

- a phone number typed in any common format (``0661…``, ``06 61 …``, ``+212 661…``,
  ``00212…``, ``212661…``) is read as the digits of a stored E.164 number, which the
  ``search_key`` of a record holds as one word (``typed_phone``): a whole number or its start;
- an e-mail address (or its start, once "@" is typed) matches the stored address, also one word
  of ``search_key``, and nothing else (before the "@", "k.benali" is read as words, as ever);
- compound first names written together or apart: the stored keys hold the joined form of a
  name written apart ("fatimazahra" for Fatima Zahra, ``crm.text.joined_words``), and the typed
  words are also tried joined two by two (Fatima Zahra finds Fatimazahra).
"""

from __future__ import annotations

import re

import phonenumbers

from crm import clock
from crm.errors import Invalid
from crm.territory import resolve_commune
from crm.text import clean_text, joined_words, name_key, name_text, search_key, sort_key
from graph import search as store
from graph.search import SearchQuery
from graph.vocabulary import ORGANISATION_KINDS, THEMES

__all__ = [
    "MAX_WORDS",
    "build_query",
    "default_sort",
    "organisation_keys",
    "person_keys",
    "reindex",
    "typed_phone",
]

MAX_TEXT = 200  # characters of the search box that are read
MAX_WORDS = 8  # words of it that count (a Lucene query stays small)

MAX_JOINED = 4  # typed words are tried joined two by two up to this many words
MIN_PHONE_DIGITS = 4  # fewer digits typed are not read as (the start of) a phone number

_REGION_OR_PROVINCE = re.compile(r"^\d{2}(\.\d{3})?$")
_PHONE_TYPED = re.compile(r"^\+?[\d\s().\-/]+$")
_EMAIL_TYPED = re.compile(r"^[^\s@]+@[^\s@]*$")


def build_query(
    text: str,
    sort: str,
    sorts: dict[str, str],
    skip: int,
    limit: int,
    *,
    kind: str | None = None,
    territory: str | None = None,
    theme: str | None = None,
) -> SearchQuery:
    """A ``graph.search.SearchQuery`` from the values a list page received.

    ``sort`` outside ``sorts`` falls back to ``default_sort``; an unknown kind or theme is
    ignored. ``territory`` is a region or province code, or a commune as typed (code, label
    or unique name); a commune that cannot be found raises ``Invalid`` on "commune".
    """
    text = (text or "")[:MAX_TEXT]
    email = _typed_email(text)
    # An address is looked up whole (or its start), not word by word: "k.benali@…" is not
    # every Benali whose first name starts with a K.
    words = [] if email else search_key(text).split()[:MAX_WORDS]
    if sort not in sorts or (sort == "relevance" and not (words or email)):
        sort = default_sort(text)
    tokens = (typed_phone(text), email) if words or email else ()
    return SearchQuery(
        words=tuple((word, name_key(word)) for word in words),
        names=tuple(name_key(" ".join(words)).split()),
        joined=_joined_alternatives(words),
        tokens=tuple(token for token in tokens if token),
        kind=kind if kind in ORGANISATION_KINDS else None,
        territory=_territory_code(territory or ""),
        theme=theme if theme in THEMES else None,
        sort=sort,
        skip=skip,
        limit=limit,
        today=clock.today(),
    )


def default_sort(text: str) -> str:
    """Best matches first when something is typed; alphabetical otherwise."""
    return "relevance" if search_key((text or "")[:MAX_TEXT]) else "name"


def typed_phone(text: str) -> str:
    """The digits of the E.164 number (without '+') that a typed phone number is, or starts
    with; '' when ``text`` is not a phone number.

    A valid number in any common format gives its full digits (region MA by default); an
    incomplete one its start, the trunk prefix '0' read as Morocco's +212.

    >>> typed_phone("06 61 23 45 67"), typed_phone("00212 661"), typed_phone("Alami")
    ('212661234567', '212661', '')
    """
    text = clean_text(text)
    digits = re.sub(r"\D", "", text)
    if not _PHONE_TYPED.match(text) or len(digits) < MIN_PHONE_DIGITS:
        return ""
    try:
        number = phonenumbers.parse(text, "MA")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    if text.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "212" + digits[1:]
    return digits


def _typed_email(text: str) -> str:
    """An e-mail address as typed (whole or its start, from the '@'), lower-case; or ''."""
    text = clean_text(text)
    return text.lower() if _EMAIL_TYPED.match(text) else ""


def _joined_alternatives(words: list[str]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The typed words with two neighbours written as one ("fatima zahra" -> "fatimazahra"),
    each alternative as ``SearchQuery.words`` holds them."""
    if not 2 <= len(words) <= MAX_JOINED:
        return ()
    alternatives = []
    for i in range(len(words) - 1):
        joined = [*words[:i], words[i] + words[i + 1], *words[i + 2 :]]
        alternatives.append(tuple((word, name_key(word)) for word in joined))
    return tuple(alternatives)


def _territory_code(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if _REGION_OR_PROVINCE.match(text):
        return text
    code, problem = resolve_commune(text)
    if problem:
        raise Invalid({"commune": problem})
    return code


# --- keys stored on the records ----------------------------------------------------------------


def person_keys(row: dict) -> dict[str, str]:
    """``search_key``, ``name_key`` and ``sort_key`` of a person, as ``crm.people`` writes them.

    ``search_key``: the joined forms of a compound first name, each e-mail address whole and
    the digits of each phone number (E.164 without '+'), then the folded names and e-mails;
    ``name_key``: the name skeletons, then those of the joined forms; ``sort_key``: last name
    then first name, folded (``crm.text.sort_key``), what lists sort by, from an index.
    """
    names = (row.get("first_name"), row.get("last_name"))
    arabic = (row.get("first_name_ar"), row.get("last_name_ar"))
    emails = row.get("emails") or []
    joined = joined_words(name_text(row.get("first_name")))
    return {
        # The whole words first: the folded text keeps its place at the end, as before.
        "search_key": _with_words(
            search_key(*names, *arabic, *emails),
            *joined,
            *emails,
            *_digits(row.get("phones")),
            before=True,
        ),
        "name_key": _with_words(name_key(*names, *arabic), *(name_key(w) for w in joined)),
        "sort_key": sort_key(row.get("last_name"), row.get("first_name")),
    }


def organisation_keys(row: dict) -> dict[str, str]:
    """``search_key`` and ``name_key`` of an organisation, as ``crm.organisations`` writes them
    (``search_key`` ends with the e-mail address whole and the phone's digits)."""
    parts = (row.get("name"), row.get("name_ar"), row.get("acronym"))
    extra = [row["email"]] if row.get("email") else []
    return {
        "search_key": _with_words(search_key(*parts), *extra, *_digits([row.get("phone")])),
        "name_key": name_key(*parts),
    }


def _digits(phones: list[str] | None) -> list[str]:
    return [re.sub(r"\D", "", phone) for phone in phones or [] if phone]


def _with_words(key: str, *words: str, before: bool = False) -> str:
    """``key`` and those of ``words`` it does not hold yet, after it (or ``before`` it); a key
    without any extra word stays what it was before these were added."""
    present = set(key.split())
    extra = [w for w in dict.fromkeys(words) if w and w not in present]
    return " ".join([*extra, key] if before else [key, *extra]) if key else " ".join(extra)


_KEYS = {"Person": person_keys, "Organisation": organisation_keys}


def _anonymised_keys(row: dict) -> dict[str, str]:
    """An anonymised person keeps empty search keys; it is still listed, by its label."""
    return {"sort_key": sort_key(row.get("last_name"), row.get("first_name"))}


def reindex(only_missing: bool = True, batch: int = 500) -> dict[str, int]:
    """Recompute the search keys of people and organisations; return how many changed.

    Idempotent. ``only_missing`` limits it to records written before ``name_key`` existed
    (or loaded without keys) or before the keys held phone digits, whole e-mail addresses and
    joined compound first names (``graph.search.records_to_index``): what ``flask graph
    install-schema`` (so ``make run``) does. Otherwise every record is checked, e.g. after the
    folding rules of ``crm.text`` changed. Anonymised people keep their empty search keys (and
    get a ``sort_key`` if they have none).
    """
    counts = {}
    for label, keys in _KEYS.items():
        after, changed = "", 0
        while rows := store.records_to_index(label, after, only_missing, batch):
            updates = []
            for row in rows:
                new = _anonymised_keys(row) if row.get("anonymised") else keys(row)
                if new != {key: row.get(key) for key in new}:
                    updates.append({"uid": row["uid"], "version": row["version"], "keys": new})
            changed += store.write_search_keys(label, updates)
            after = rows[-1]["uid"]
        counts[label] = changed
    return counts
