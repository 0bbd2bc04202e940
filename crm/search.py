"""Search across people and organisations: from what a user types to a scoped query.

What is typed goes through the same folding as the stored keys (``crm.text``): case, accents,
Arabic letter variants, tatweel and diacritics (``search_key``), and the transliteration
variants of Moroccan names (``name_key``). Each word matches as a prefix ("moha" finds
Mohamed); ``graph.search`` turns the words into an escaped Lucene query on a full-text index.
"""

from __future__ import annotations

import re

from crm import clock
from crm.errors import Invalid
from crm.territory import resolve_commune
from crm.text import name_key, search_key
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
]

MAX_TEXT = 200  # characters of the search box that are read
MAX_WORDS = 8  # words of it that count (a Lucene query stays small)

_REGION_OR_PROVINCE = re.compile(r"^\d{2}(\.\d{3})?$")


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
    words = search_key((text or "")[:MAX_TEXT]).split()[:MAX_WORDS]
    if sort not in sorts or (sort == "relevance" and not words):
        sort = default_sort(text)
    return SearchQuery(
        words=tuple((word, name_key(word)) for word in words),
        names=tuple(name_key(" ".join(words)).split()),
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
    """``search_key`` and ``name_key`` of a person, as ``crm.people`` writes them."""
    names = (row.get("first_name"), row.get("last_name"))
    arabic = (row.get("first_name_ar"), row.get("last_name_ar"))
    return {
        "search_key": search_key(*names, *arabic, *(row.get("emails") or [])),
        "name_key": name_key(*names, *arabic),
    }


def organisation_keys(row: dict) -> dict[str, str]:
    """``search_key`` and ``name_key`` of an organisation, as ``crm.organisations`` writes them."""
    parts = (row.get("name"), row.get("name_ar"), row.get("acronym"))
    return {"search_key": search_key(*parts), "name_key": name_key(*parts)}


_KEYS = {"Person": person_keys, "Organisation": organisation_keys}


def reindex(only_missing: bool = True, batch: int = 500) -> dict[str, int]:
    """Recompute the search keys of people and organisations; return how many changed.

    Idempotent. ``only_missing`` limits it to records written before ``name_key`` existed
    (or loaded without keys); otherwise every record is checked, e.g. after the folding rules
    of ``crm.text`` changed. Anonymised people keep their empty keys.
    """
    counts = {}
    for label, keys in _KEYS.items():
        after, changed = "", 0
        while rows := store.records_to_index(label, after, only_missing, batch):
            updates = []
            for row in rows:
                new = keys(row)
                if new != {"search_key": row["search_key"], "name_key": row["name_key"]}:
                    updates.append({"uid": row["uid"], "version": row["version"], **new})
            changed += store.write_search_keys(label, updates)
            after = rows[-1]["uid"]
        counts[label] = changed
    return counts
