"""Partnerships between organisations: the Cypher of ``(Organisation)-[:PARTNERS_WITH]->
(Organisation)`` (a convention, a memorandum of understanding, a subsidy…).

The direction of the relationship carries no meaning: every read matches it both ways and
names its two ends ``first`` (start node) and ``second`` (end node).

Who sees and who changes a partnership (the rule, applied by ``crm.partnerships``):

- A partnership is *visible* when at least one of its two organisations is visible to the
  scope (``graph.scope.organisation_visible``). Its other organisation is named only when it
  is visible too; otherwise rows carry ``name: None`` and pages say "une organisation hors de
  votre périmètre".
- It is *writable* when the scope may write one of the two organisations and see the other
  (``organisation_writable`` / ``organisation_visible``): an officer may sign up a commune
  association with INDH, a shared national institution they can only read, but not link two
  organisations of another region, nor one of theirs with one they cannot see.

Every read returns, for each end, ``{uid, name, acronym, kind, commune, visible, writable}``;
the caller decides with ``crm.partnerships.writable_between``, the one place the rule is
written in Python.
"""

from __future__ import annotations

from graph.database import run
from graph.records import StaleVersion
from graph.scope import inner_variable, organisation_visible, organisation_writable, variable

__all__ = [
    "EDITABLE_FIELDS",
    "create_partnership",
    "get_partnership",
    "organisation_partnerships_subquery",
    "overlapping_partnership",
    "partnerships_of_commune",
    "partnerships_of_organisation",
    "update_partnership",
]

# What a user edits on a partnership (its two organisations are fixed once created).
EDITABLE_FIELDS = ("kind", "title", "since", "until", "status")


def _end(var: str) -> str:
    """One end of a partnership as rows show it (``var``: a bound Organisation, fixed in code):
    ``{uid, name, acronym, kind, commune: {code, name_fr}, visible, writable}``, with only
    ``visible: false`` (every other value null) when the scope may not see the organisation."""
    var = variable(var)
    commune = inner_variable("pc", var)
    return (
        "CASE WHEN " + organisation_visible(var) + " THEN {uid: " + var + ".uid, "
        "name: " + var + ".name, acronym: " + var + ".acronym, kind: " + var + ".kind, "
        "commune: COLLECT { MATCH (" + var + ")-[:LOCATED_IN]->(" + commune + ":Commune) "
        "RETURN " + commune + " {.code, .name_fr} LIMIT 1 }[0], "
        "visible: true, writable: " + organisation_writable(var) + "} "
        "ELSE {uid: NULL, name: NULL, acronym: NULL, kind: NULL, commune: NULL, "
        "visible: false, writable: false} END"
    )  # fmt: skip


_FIELDS = (
    "pw.uid AS uid, pw.kind AS kind, pw.title AS title, pw.since AS since, pw.until AS until, "
    "pw.status AS status, pw.version AS version, pw.created_at AS created_at, "
    "pw.updated_at AS updated_at"
)
_ORDER = "pw.until IS NULL DESC, pw.since DESC, pw.created_at DESC"


def create_partnership(uid: str, first_uid: str, second_uid: str, props: dict) -> bool:
    """Link the two organisations with a new partnership (one statement); False if either
    organisation does not exist."""
    rows = run(
        """
        MATCH (a:Organisation {uid: $first}), (b:Organisation {uid: $second})
        CREATE (a)-[pw:PARTNERS_WITH]->(b)
        SET pw = $props, pw.uid = $uid, pw.version = 1, pw.created_at = datetime(),
            pw.updated_at = datetime()
        RETURN pw.uid AS uid
        """,
        uid=uid,
        first=first_uid,
        second=second_uid,
        props=props,
    )
    return bool(rows)


_GET = (
    "MATCH (a:Organisation)-[pw:PARTNERS_WITH {uid: $uid}]->(b:Organisation) "
    "WHERE " + organisation_visible("a") + " OR " + organisation_visible("b") + " "
    "RETURN " + _FIELDS + ", " + _end("a") + " AS first, " + _end("b") + " AS second"
)


def get_partnership(uid: str, scope: dict) -> dict | None:
    """One partnership if it is visible to ``scope``, with its two ends."""
    rows = run(_GET, uid=uid, **scope)
    return rows[0] if rows else None


_OF_ORGANISATION = (
    "MATCH (o:Organisation {uid: $uid})-[pw:PARTNERS_WITH]-(partner:Organisation) "
    "WHERE o <> partner "
    "RETURN " + _FIELDS + ", " + _end("o") + " AS organisation, "
    + _end("partner") + " AS partner ORDER BY " + _ORDER
)  # fmt: skip


def partnerships_of_organisation(uid: str, scope: dict) -> list[dict]:
    """The partnerships of an organisation the caller has found visible, either direction,
    current ones first: each row has the partnership's fields, ``organisation`` (this end)
    and ``partner`` (the other end, unnamed when outside the scope)."""
    return run(_OF_ORGANISATION, uid=uid, **scope)


def organisation_partnerships_subquery(var: str = "o") -> str:
    """A ``CALL`` subquery binding ``partnerships`` (the rows of
    ``partnerships_of_organisation``, as maps) for the bound organisation ``var``, so that a
    page's query reads them in its own round trip."""
    var = variable(var)
    return (
        "CALL (" + var + ") { "
        "OPTIONAL MATCH (" + var + ")-[pw:PARTNERS_WITH]-(partner:Organisation) "
        "WHERE " + var + " <> partner "
        "WITH " + var + ", pw, partner ORDER BY " + _ORDER + " "
        "RETURN [x IN collect(CASE WHEN pw IS NULL THEN NULL ELSE pw {.uid, .kind, .title, "
        ".since, .until, .status, .version, .created_at, .updated_at, "
        "organisation: " + _end(var) + ", partner: " + _end("partner") + "} END) "
        "WHERE x IS NOT NULL] AS partnerships "
        "} "
    )  # fmt: skip


_OF_COMMUNE = (
    "MATCH (:Commune {code: $code})<-[:LOCATED_IN]-(:Organisation)-[pw:PARTNERS_WITH]-"
    "(:Organisation) "
    "WITH DISTINCT pw "
    "WITH pw, startNode(pw) AS a, endNode(pw) AS b "
    "WHERE a <> b AND (" + organisation_visible("a") + " OR " + organisation_visible("b") + ") "
    "RETURN " + _FIELDS + ", " + _end("a") + " AS first, " + _end("b") + " AS second "
    "ORDER BY " + _ORDER + " LIMIT $limit"
)  # fmt: skip


def partnerships_of_commune(code: str, scope: dict, limit: int = 200) -> list[dict]:
    """The partnerships visible to ``scope`` of which at least one organisation is located
    in the commune ``code``, current ones first (for the commune's page): rows with the
    partnership's fields and its two ends ``first`` and ``second``."""
    return run(_OF_COMMUNE, code=code, limit=limit, **scope)


def overlapping_partnership(
    first_uid: str, second_uid: str, kind: str, title: str, since, until, exclude: str = ""
) -> str | None:
    """The uid of a partnership between the same two organisations (either direction), of
    the same kind and title (case and surrounding spaces aside), whose period overlaps
    ``since``–``until`` (an open end overlaps everything), other than ``exclude``."""
    rows = run(
        """
        MATCH (:Organisation {uid: $first})-[pw:PARTNERS_WITH]-(:Organisation {uid: $second})
        WHERE pw.uid <> $exclude AND pw.kind = $kind
          AND toLower(trim(pw.title)) = toLower(trim($title))
          AND ($until IS NULL OR pw.since IS NULL OR pw.since <= $until)
          AND ($since IS NULL OR pw.until IS NULL OR $since <= pw.until)
        RETURN pw.uid AS uid LIMIT 1
        """,
        first=first_uid,
        second=second_uid,
        kind=kind,
        title=title,
        since=since,
        until=until,
        exclude=exclude,
    )
    return rows[0]["uid"] if rows else None


_LOCK = (
    "MATCH (:Organisation)-[pw:PARTNERS_WITH {uid: $uid}]->(:Organisation) "
    "SET pw._lock = true REMOVE pw._lock "  # take the write lock before reading the version
    "RETURN pw.version AS version, properties(pw) AS props"
)
_WRITE = (
    "MATCH (:Organisation)-[pw:PARTNERS_WITH {uid: $uid}]->(:Organisation) "
    "SET pw += $props, pw.version = pw.version + 1, pw.updated_at = datetime() "
    "RETURN pw.version AS version"
)


def update_partnership(uid: str, expected_version: int, props: dict) -> tuple[int, dict] | None:
    """Set ``props`` if the partnership's version is still ``expected_version``, as
    ``graph.records.update_versioned`` does for nodes (inside a transaction: the write lock is
    taken before the version is read).

    Returns ``(new_version, properties_before)``, ``None`` if there is no such partnership,
    or raises ``StaleVersion`` carrying it as it is now."""
    rows = run(_LOCK, uid=uid)
    if not rows:
        return None
    if rows[0]["version"] != expected_version:
        raise StaleVersion(rows[0]["props"])
    return run(_WRITE, uid=uid, props=props)[0]["version"], rows[0]["props"]
