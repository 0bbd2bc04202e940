"""Full-text search over people and organisations: the Lucene indexes, their queries, filters.

Each label has a Neo4j full-text index over two properties that ``crm`` computes on every write
(``crm.text``):

- ``search_key`` — lower-case, accent-free, Arabic-folded text (names, acronym, e-mails);
- ``name_key`` — one spelling-independent skeleton per name (Mohamed = Mohammed = Mhamed,
  El Alami = Alami, Ben Ali = Benali, العلمي = علمي).

Both also hold a few whole words of their own (``crm.search.person_keys``): the joined form of a
compound first name (``fatimazahra``), each e-mail address (``k.benali@example.org``) and the
digits of each phone number (``212661234567``), so a phone number or an address is one indexed
term, looked up like any word.

The index uses Lucene's ``whitespace`` analyzer: it only splits on spaces. All folding happens
once, in Python, identically for the stored keys and for what the user types; a language
analyzer would stem French words ("associations" -> "associ") and strip Arabic prefixes its own
way, so stored and typed keys would no longer agree, and "standard" analyzers drop or split
tokens that ``crm.text`` already handled.

Lucene syntax never comes from the user: ``lucene_query`` builds the query from normalised
words and escapes every term. Filters, sort keys and index names come from allowlists; every
value is a ``$parameter``; results are scoped with ``graph.scope``.

Where the candidates come from decides what a page costs. Without a text, a list starts from
the scope's candidate set (``people_in_scope``…: from the scope's communes for an officer), so
an officer's pages cost what their territory holds, not what the country holds. With a text,
the full-text index has already narrowed the candidates, and each is tested with the scope
predicate (``person_visible``…), cheaper than building the territory's candidate set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph import scope_keys
from graph.database import run
from graph.scope import (
    inner_variable,
    organisation_visible,
    organisations_in_scope,
    people_in_scope,
    person_visible,
)

__all__ = [
    "ANALYZER",
    "ORGANISATION_SORTS",
    "PEOPLE_SORTS",
    "SearchQuery",
    "count_people",
    "in_territory",
    "index_name",
    "install_search_indexes",
    "lucene_alternatives",
    "lucene_query",
    "records_to_index",
    "search_organisations",
    "search_people",
    "write_search_keys",
]

ANALYZER = "whitespace"
INDEXED_PROPERTIES = ("search_key", "name_key")  # what a text is looked up in
# Label -> every property of its index: a person's also holds the words of their territories
# (graph.scope_keys), which narrow an officer's search inside Lucene.
_INDEX_PROPERTIES = {
    "Person": (*INDEXED_PROPERTIES, scope_keys.PROPERTY),
    "Organisation": INDEXED_PROPERTIES,
}
# Beyond this many communes, a scope is not spelled out as Lucene terms (Lucene refuses
# queries of more than 1,024 clauses): each match is tested with the predicate alone.
MAX_SCOPE_WORDS = 600

# Label -> full-text index name. Only these reach Cypher text.
_INDEXES = {"Person": "person_search", "Organisation": "organisation_search"}

# Sort orders offered by lists: key -> ORDER BY text. Only these keys reach a query; the uid
# comes last so that pages never overlap nor skip a record.
PEOPLE_SORTS = {
    "relevance": "score DESC, p.sort_key, p.uid",
    "name": "p.sort_key, p.uid",
    "recent": "p.updated_at DESC, p.uid",
}
# Label -> the indexed property its lists sort by name on (``PEOPLE_SORTS``, below).
_NAME_ORDER = {"Person": "sort_key", "Organisation": "search_key"}
ORGANISATION_SORTS = {
    "relevance": "score DESC, o.search_key, o.uid",
    "name": "o.search_key, o.uid",
    "recent": "o.updated_at DESC, o.uid",
}


@dataclass(frozen=True)
class SearchQuery:
    """A search as ``crm`` prepared it: normalised words, allowlisted filters, a page.

    ``words`` pairs each typed word's ``search_key`` with its own ``name_key`` ('' for an
    article such as "el"); ``names`` is the ``name_key`` of the whole text, where "ben ali"
    is one word; ``joined`` holds alternatives of ``words`` (two typed words written as one);
    ``tokens`` whole words of ``search_key`` that the text also is, or starts (a phone number's
    digits, an e-mail address).
    """

    words: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    joined: tuple[tuple[tuple[str, str], ...], ...] = ()
    tokens: tuple[str, ...] = ()
    kind: str | None = None
    territory: str | None = None  # a region, province or commune code
    theme: str | None = None
    sort: str = "name"
    skip: int = 0
    limit: int = 25
    today: date | None = None  # the programme's date: which functions are current

    def params(self) -> dict:
        return {
            "lucene": self.lucene(),
            "kind": self.kind,
            "territory": self.territory,
            "theme": self.theme,
            "skip": self.skip,
            "limit": self.limit,
            "today": self.today,
        }

    def lucene(self) -> str:
        return lucene_query(self.words, self.names, joined=self.joined, tokens=self.tokens)


# --- the indexes -----------------------------------------------------------------------------


def index_name(label: str) -> str:
    """The full-text index of ``label`` ("Person" or "Organisation"), for other queries."""
    return _INDEXES[_allowed(label)]


def install_search_indexes() -> list[str]:
    """Create the full-text indexes (idempotent); recreate one whose definition changed."""
    existing = {
        row["name"]: row
        for row in run(
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options "
            "RETURN name, labelsOrTypes, properties, options"
        )
    }
    for label, name in _INDEXES.items():
        current = existing.get(name)
        if current is not None and not _same_definition(current, label):
            run("DROP INDEX " + name)
            current = None
        if current is None:
            run(
                "CREATE FULLTEXT INDEX " + name + " IF NOT EXISTS FOR (n:" + label + ") "
                "ON EACH [" + ", ".join("n." + prop for prop in _INDEX_PROPERTIES[label]) + "] "
                "OPTIONS {indexConfig: {"
                "`fulltext.analyzer`: '" + ANALYZER + "', "
                "`fulltext.eventually_consistent`: false}}"
            )
    run("CALL db.awaitIndexes(300)")
    return sorted(_INDEXES.values())


def _same_definition(row: dict, label: str) -> bool:
    config = (row.get("options") or {}).get("indexConfig") or {}
    return (
        row["labelsOrTypes"] == [label]
        and tuple(row["properties"]) == _INDEX_PROPERTIES[label]
        and config.get("fulltext.analyzer") == ANALYZER
        and config.get("fulltext.eventually_consistent") is False
    )


# --- Lucene query text -----------------------------------------------------------------------

_LUCENE_SPECIAL = re.compile(r'[\s+\-!(){}\[\]^"~*?:\\/&|]')
_LUCENE_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def lucene_query(
    words: Sequence[tuple[str, str]],
    names: Sequence[str],
    *,
    joined: Sequence[Sequence[tuple[str, str]]] = (),
    tokens: Sequence[str] = (),
) -> str:
    """The Lucene query for normalised ``words`` and ``names`` ('' when there is nothing).

    A record matches when every word is the start of a word of its ``search_key`` (or is,
    as a name skeleton, a word of its ``name_key``), or when every word of ``names`` is a word
    of its ``name_key``. Articles ('el', 'al') are optional unless typed last (a prefix being
    typed). Whole-word matches score higher than prefixes. Each of ``joined`` (other
    ``words``) and ``tokens`` (a word of ``search_key``, whole or its start) is one more way
    to match.

    >>> lucene_query([("moha", "maha")], ["maha"])
    '(+(search_key:moha^2 search_key:moha* name_key:maha)) (+name_key:maha)'
    """
    groups = [group for group in (_words_group(words),) if group]
    if any(names):
        groups.append("(" + " ".join("+name_key:" + _term(n) for n in names if n) + ")")
    groups += [group for alternative in joined if (group := _words_group(alternative))]
    groups += [
        f"(search_key:{_term(token)}^2 search_key:{_term(token)}*)" for token in tokens if token
    ]
    return " ".join(groups)


def lucene_alternatives(groups: Sequence[Sequence[tuple[str, str, bool]]]) -> str:
    """A Lucene query matching a record that satisfies any one of ``groups``.

    A group is a sequence of ``(property, term, prefix)``: every term must be a word of that
    indexed property (or the start of one, when ``prefix``). Terms are escaped; properties
    come from ``INDEXED_PROPERTIES`` only; empty terms and groups are left out.

    >>> lucene_alternatives([[("search_key", "212661234567", False)],
    ...                      [("name_key", "alam", False), ("search_key", "moh", True)]])
    '(+search_key:212661234567) (+name_key:alam +search_key:moh*)'
    """
    parts = []
    for group in groups:
        terms = []
        for prop, term, prefix in group:
            if prop not in INDEXED_PROPERTIES:
                raise ValueError(f"not an indexed property: {prop!r}")
            if term:
                terms.append("+" + prop + ":" + _term(term) + ("*" if prefix else ""))
        if terms:
            parts.append("(" + " ".join(terms) + ")")
    return " ".join(parts)


def _words_group(words: Sequence[tuple[str, str]]) -> str:
    clauses = []
    for position, (word, name) in enumerate(words):
        if not word:
            continue
        term = _term(word)
        options = [f"search_key:{term}^2", f"search_key:{term}*"]
        if name:
            options.append("name_key:" + _term(name))
        # An article in the middle ("Mohammed El Alami") may be absent from the record.
        required = bool(name) or position == len(words) - 1
        clauses.append(("+" if required else "") + "(" + " ".join(options) + ")")
    return "(" + " ".join(clauses) + ")" if clauses else ""


def _term(text: str) -> str:
    """``text`` as one literal Lucene term: every special character escaped."""
    escaped = _LUCENE_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return "\\" + escaped if escaped in _LUCENE_OPERATORS else escaped


# --- searches --------------------------------------------------------------------------------


def search_people(
    query: SearchQuery, scope: dict, total: int | None = None
) -> tuple[list[dict], int]:
    """One page of the people matching ``query`` within ``scope``, and their total count
    (counted unless the caller already knows it: ``total``)."""
    order = PEOPLE_SORTS[query.sort]
    match, params = _people_match(query, scope)
    if total is None:
        total = run(match + "RETURN count(p) AS n", **params)[0]["n"]
    if _reads_the_index_in_order(query, scope, total):
        match, params = _people_match(query, scope, in_name_order=True)
    rows = run(
        match
        + """
        WITH p, score
        ORDER BY """
        + order
        + """
        SKIP $skip LIMIT $limit
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
            WHERE a.until IS NULL AND """
        + organisation_visible("o")
        + """
            RETURN collect(o.name)[..3] AS organisations
        }
        RETURN p.uid AS uid, p.first_name AS first_name, p.last_name AS last_name,
               p.first_name_ar AS first_name_ar, p.last_name_ar AS last_name_ar,
               p.emails[0] AS email, p.phones[0] AS phone, organisations
        """,
        **params,
    )
    return rows, total


# How many index entries a page read in name order may walk, at most, to find its people
# (about 16 µs each at national scale): the first pages of a territory's list walk the index
# of sort keys and test each person's scope, deeper pages sort the territory's people.
INDEX_WALK_BUDGET = 3_000


def _reads_the_index_in_order(query: SearchQuery, scope: dict, total: int) -> bool:
    """Whether a territorial scope's page of people by name is cheaper read from the index
    in order (testing each person's scope) than by sorting every person of the scope: when
    the rows walked, (skip + limit) x all people / people matching, stay within budget."""
    if scope["scope_national"] or query.lucene() or query.sort != "name" or not total:
        return False
    everyone = run("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]  # the count store
    return (query.skip + query.limit) * everyone / total <= INDEX_WALK_BUDGET


def count_people(query: SearchQuery, scope: dict) -> int:
    """How many people match ``query`` within ``scope`` (its sort and page play no part)."""
    match, params = _people_match(query, scope)
    return run(match + "RETURN count(p) AS n", **params)[0]["n"]


def _people_match(query: SearchQuery, scope: dict, in_name_order: bool = False) -> tuple[str, dict]:
    """The MATCH…WHERE of the people matching ``query`` in ``scope`` (``p``, ``score``), and
    its parameters; ``in_name_order``: every person in sort-key order, each tested against
    the scope (see ``_reads_the_index_in_order``)."""
    found, in_scope = _candidates("Person", "p", query, scope, in_name_order)
    params = {**query.params(), **scope}
    if params["lucene"]:
        params["lucene"] = in_territory(params["lucene"], scope)
    match = _where(
        found,
        *in_scope,
        "($theme IS NULL OR $theme IN coalesce(p.themes, []))",
        "($territory IS NULL OR "
        + _located_in_territory("p")
        + " OR "
        + _holds_function_in_territory("p")
        + ")",
    )
    return match, params


def in_territory(lucene: str, scope: dict) -> str:
    """``lucene`` (a query on people) narrowed to the people whose ``scope_key`` holds one of
    the communes of a territorial ``scope``, or ``shared``: those ``person_visible`` may
    accept; the predicate still tests them. The narrowing adds nothing to the score (``^0``),
    so the order of the matches stays the same.

    >>> in_territory("(+name_key:alam)", {"scope_national": False, "scope_communes": ["02.1"]})
    '+((+name_key:alam)) +(scope_key:(02.1 shared))^0'
    """
    communes = scope["scope_communes"]
    if scope["scope_national"] or len(communes) > MAX_SCOPE_WORDS:
        return lucene
    words = " ".join([*(_term(code) for code in communes), scope_keys.SHARED])
    return "+(" + lucene + ") +(" + scope_keys.PROPERTY + ":(" + words + "))^0"


def search_organisations(query: SearchQuery, scope: dict) -> tuple[list[dict], int]:
    """One page of the organisations matching ``query`` within ``scope``, and their count."""
    order = ORGANISATION_SORTS[query.sort]
    found, in_scope = _candidates("Organisation", "o", query, scope)
    match = _where(
        found,
        *in_scope,
        "($kind IS NULL OR o.kind = $kind)",
        "($theme IS NULL OR $theme IN coalesce(o.themes, []))",
        "($territory IS NULL OR " + _located_in_territory("o") + ")",
    )
    page = (
        "WITH o, score ORDER BY "
        + order
        + " SKIP $skip LIMIT $limit "
        + "CALL (o) { OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune) RETURN c } "
    )
    params = {**query.params(), **scope}
    if scope["scope_national"]:
        total = run(match + "RETURN count(o) AS n", **params)[0]["n"]
        columns = ", ".join(expr + " AS " + name for name, expr in _ORGANISATION_COLUMNS.items())
        return run(match + page + "RETURN " + columns, **params), total
    # A territory holds few organisations, but reaching them walks every LOCATED_IN of its
    # communes, its people's too: the count and the page share that one walk. (Nationally the
    # label scan is cheap, and collecting would hold every organisation of the country.)
    fields = ", ".join(name + ": " + expr for name, expr in _ORGANISATION_COLUMNS.items())
    found = run(
        match
        + "WITH collect([o, score]) AS found "
        + "CALL (found) { UNWIND found AS hit WITH hit[0] AS o, hit[1] AS score "
        + page
        + "RETURN collect({"
        + fields
        + "}) AS rows } "
        + "RETURN size(found) AS total, rows",
        **params,
    )[0]
    return found["rows"], found["total"]


# What a list shows of an organisation ``o`` located in ``c``: column -> expression.
_ORGANISATION_COLUMNS = {
    "uid": "o.uid",
    "name": "o.name",
    "name_ar": "o.name_ar",
    "acronym": "o.acronym",
    "kind": "o.kind",
    "shared": "o.shared",
    "commune_name": "c.name_fr",
    "commune_code": "c.code",
}


# Label -> its candidate set and its predicate (``graph.scope``).
_SCOPED = {
    "Person": (people_in_scope, person_visible),
    "Organisation": (organisations_in_scope, organisation_visible),
}


def _candidates(
    label: str, var: str, query: SearchQuery, scope: dict, in_name_order: bool = False
) -> tuple[str, list[str]]:
    """The clause binding ``var`` and ``score``, and what is left to test for the scope.

    Without a text: every record of ``label`` in ``scope`` (score 0), from the scope's
    candidate set, nothing left to test. With a text: the full-text matches and their score,
    each to be tested with the scope predicate.
    """
    in_scope, visible = _SCOPED[_allowed(label)]
    if not query.lucene():
        national = bool(scope["scope_national"])
        if in_name_order and not national:
            key = var + "." + _NAME_ORDER[label]
            return (
                "MATCH (" + var + ":" + label + ") WHERE " + key + " IS NOT NULL "
                "WITH " + var + ", 0.0 AS score "
            ), [visible(var)]
        if national:
            # Read in name order from the index of the sort key (every write path sets it,
            # and install-schema's reindex fills it in): a page costs what it shows.
            key = var + "." + _NAME_ORDER[label]
            return (
                "MATCH (" + var + ":" + label + ") WHERE " + key + " IS NOT NULL "
                "WITH " + var + ", 0.0 AS score "
            ), []
        return in_scope(var, national=national) + "WITH " + var + ", 0.0 AS score ", []
    return (
        "CALL db.index.fulltext.queryNodes('"
        + _INDEXES[label]
        + "', $lucene) YIELD node, score WITH node AS "
        + var
        + ", score ",
        [visible(var)],
    )


def _where(clause: str, *conditions: str) -> str:
    """``clause`` followed by a ``WHERE`` on all ``conditions``."""
    return clause + "WHERE " + " AND ".join(conditions) + " "


# A territory is a region, province or commune code. HCP codes are hierarchical (region
# "02", province "02.411", commune "02.411.01.23"), so a commune is in a territory when its
# code is the territory's or starts with it: no walk up Commune-[:IN]->Province-[:IN]->Region.
def _commune_in_territory(commune: str) -> str:
    return (
        "(" + commune + ".code = $territory OR " + commune + ".code STARTS WITH $territory + '.')"
    )


def _located_in_territory(var: str) -> str:
    commune = inner_variable("tc", var)
    return (
        "EXISTS { MATCH (" + var + ")-[:LOCATED_IN]->(" + commune + ":Commune) "
        "WHERE " + _commune_in_territory(commune) + " }"
    )


def _holds_function_in_territory(var: str) -> str:
    """A person also belongs to the territory where they hold a current function."""
    commune, function = inner_variable("tc", var), inner_variable("ta", var)
    return (
        "EXISTS { MATCH (" + var + ")-[" + function + ":AFFILIATED_WITH]->(:Organisation)"
        "-[:LOCATED_IN]->(" + commune + ":Commune) WHERE " + _commune_in_territory(commune) + " "
        "AND (" + function + ".until IS NULL OR " + function + ".until >= $today) }"
    )  # fmt: skip


# --- keeping the keys current ----------------------------------------------------------------

# Label -> the properties the keys are computed from.
_KEY_SOURCES = {
    "Person": "n.first_name AS first_name, n.last_name AS last_name, "
    "n.first_name_ar AS first_name_ar, n.last_name_ar AS last_name_ar, "
    "coalesce(n.emails, []) AS emails, coalesce(n.phones, []) AS phones",
    "Organisation": "n.name AS name, n.name_ar AS name_ar, n.acronym AS acronym, "
    "n.email AS email, n.phone AS phone",
}

# Label -> records whose keys were written before they held whole e-mail addresses, phone
# digits and joined compound first names: ``only_missing`` recomputes them too, so
# ``install-schema`` brings old databases up to date. The compound-name test is loose (an
# accented compound name is read again each time, and left unchanged).
_KEYS_OUTDATED = {
    "Person": "n.sort_key IS NULL "
    "OR any(e IN coalesce(n.emails, []) WHERE NOT n.search_key CONTAINS e) "
    "OR any(t IN coalesce(n.phones, []) WHERE NOT n.search_key CONTAINS substring(t, 1)) "
    "OR ((n.first_name CONTAINS ' ' OR n.first_name CONTAINS '-') AND NOT n.search_key "
    "CONTAINS toLower(replace(replace(n.first_name, ' ', ''), '-', '')))",
    "Organisation": "(coalesce(n.email, '') <> '' AND NOT n.search_key CONTAINS n.email) "
    "OR (coalesce(n.phone, '') <> '' AND NOT n.search_key CONTAINS substring(n.phone, 1))",
}


def records_to_index(label: str, after_uid: str, only_missing: bool, batch: int) -> list[dict]:
    """Up to ``batch`` records of ``label`` after ``after_uid`` (uid order), with what their
    keys are computed from. Anonymised people are left alone (their search keys stay empty)
    unless they have no ``sort_key`` (anonymised before lists sorted by it)."""
    return run(
        "MATCH (n:" + _allowed(label) + ") WHERE n.uid > $after "
        "AND (NOT coalesce(n.anonymised, false) AND (NOT $only_missing OR n.name_key IS NULL "
        "OR n.search_key IS NULL OR "
        + _KEYS_OUTDATED[label]
        + ") OR coalesce(n.anonymised, false) AND n.sort_key IS NULL) "
        "RETURN n.uid AS uid, n.version AS version, n.search_key AS search_key, "
        "n.name_key AS name_key, n.sort_key AS sort_key, "
        "coalesce(n.anonymised, false) AS anonymised, "
        + _KEY_SOURCES[label]
        + " ORDER BY n.uid LIMIT $batch",
        after=after_uid,
        only_missing=only_missing,
        batch=batch,
    )


def write_search_keys(label: str, rows: list[dict]) -> int:
    """Store recomputed keys (``uid``, ``version`` and ``keys``, a map of key -> value, per
    row).

    Derived data: neither ``version`` nor ``updated_at`` change, so nobody's edit in progress
    becomes stale; a record edited since it was read (other version) is skipped, its keys
    having been written by that edit.
    """
    if not rows:
        return 0
    return run(
        "UNWIND $rows AS row MATCH (n:" + _allowed(label) + " {uid: row.uid}) "
        "WHERE coalesce(n.version, 0) = coalesce(row.version, 0) "
        "SET n += row.keys "
        "RETURN count(n) AS n",
        rows=rows,
    )[0]["n"]


def _allowed(label: str) -> str:
    if label not in _INDEXES:
        raise ValueError(f"not a searchable label: {label!r}")
    return label
