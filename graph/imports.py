"""Spreadsheet imports: drafts between the steps, saved column mappings, the reads matching
needs, the batched writes of a commit, the record of each import and its undo.

Nodes (``graph.models``)
    ImportDraft {uid, owner_uid, kind, filename, status, progress_done, progress_total…}
        an uploaded file between its steps (upload, mapping, preview, commit), with its
        bytes in ``ImportChunk {n, data}`` nodes ``-[:PART_OF]->`` it: every worker of the
        web server reads the same draft. Purged after some hours (``purge_drafts``).
    ImportMapping {uid, kind, name, columns}  a column mapping saved under a name (JSON:
        folded header -> field code).
    Import {uid, kind, filename, by_uid, by_email, at, status, counts…, rejected_csv}
        a committed import: ``-[:CREATED]->`` every record it created, ``-[:MATCHED]->``
        every existing record it linked a row to; the functions (``AFFILIATED_WITH``) and
        attendances (``ATTENDED``) it added carry ``import_uid``.

Writes run inside the caller's unit of work: a commit is one transaction whatever its size,
sent in batches of ``graph.batches.BATCH`` rows with UNWIND; the people, organisations and
functions it creates are written by ``graph.batches`` (the generator's path too).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from graph.database import run, stream
from graph.scope import (
    event_visible,
    organisation_visible,
    organisation_writable,
    organisations_in_scope,
    people_in_scope,
    person_visible,
    person_writable,
)

__all__ = [
    "add_attendance",
    "communes",
    "create_draft",
    "create_import",
    "delete_draft",
    "draft",
    "draft_chunks",
    "event_brief",
    "finish_import",
    "import_detail",
    "imports_list",
    "mark_matched",
    "mappings",
    "organisations_for_import",
    "people_for_import",
    "purge_drafts",
    "save_mapping",
    "set_progress",
    "undo_blockers",
    "undo_import",
    "update_draft",
    "writable_uids",
]


# --- drafts ------------------------------------------------------------------------------------


def create_draft(uid: str, props: dict, chunks: list[bytes]) -> None:
    run(
        """
        CREATE (d:ImportDraft)
        SET d = $props, d.uid = $uid, d.created_at = datetime()
        WITH d
        UNWIND range(0, size($chunks) - 1) AS n
        CREATE (:ImportChunk {n: n, data: $chunks[n]})-[:PART_OF]->(d)
        """,
        uid=uid,
        props=props,
        chunks=chunks,
    )


def draft(uid: str) -> dict | None:
    rows = run("MATCH (d:ImportDraft {uid: $uid}) RETURN properties(d) AS d", uid=uid)
    return rows[0]["d"] if rows else None


def draft_chunks(uid: str) -> Iterator[bytes]:
    """The draft's file, chunk by chunk (inside a unit of work)."""
    for row in stream(
        "MATCH (:ImportDraft {uid: $uid})<-[:PART_OF]-(c:ImportChunk) "
        "RETURN c.data AS data ORDER BY c.n",
        uid=uid,
    ):
        yield bytes(row["data"])


def update_draft(uid: str, props: dict) -> None:
    run("MATCH (d:ImportDraft {uid: $uid}) SET d += $props", uid=uid, props=props)


def set_progress(uid: str, done: int, total: int) -> None:
    run(
        "MATCH (d:ImportDraft {uid: $uid}) SET d.progress_done = $done, d.progress_total = $total",
        uid=uid,
        done=done,
        total=total,
    )


def delete_draft(uid: str) -> None:
    run(
        """
        MATCH (d:ImportDraft {uid: $uid})
        OPTIONAL MATCH (c:ImportChunk)-[:PART_OF]->(d)
        DETACH DELETE c, d
        """,
        uid=uid,
    )


def purge_drafts(before: datetime) -> int:
    """Delete the drafts created before ``before`` (abandoned uploads); how many."""
    rows = run(
        """
        MATCH (d:ImportDraft) WHERE d.created_at < $before
        OPTIONAL MATCH (c:ImportChunk)-[:PART_OF]->(d)
        DETACH DELETE c
        WITH DISTINCT d
        DETACH DELETE d
        RETURN count(*) AS n
        """,
        before=before,
    )
    return rows[0]["n"] if rows else 0


# --- saved mappings ----------------------------------------------------------------------------


def save_mapping(uid: str, kind: str, name: str, columns: str, by_uid: str) -> str:
    """Save (or replace) the mapping named ``name`` for ``kind``; returns its uid."""
    return run(
        """
        MERGE (m:ImportMapping {kind: $kind, name: $name})
        ON CREATE SET m.uid = $uid, m.created_at = datetime()
        SET m.columns = $columns, m.updated_at = datetime(), m.by_uid = $by_uid
        RETURN m.uid AS uid
        """,
        uid=uid,
        kind=kind,
        name=name,
        columns=columns,
        by_uid=by_uid,
    )[0]["uid"]


def mappings(kind: str) -> list[dict]:
    return run(
        "MATCH (m:ImportMapping {kind: $kind}) "
        "RETURN m.uid AS uid, m.name AS name, m.columns AS columns ORDER BY toLower(m.name)",
        kind=kind,
    )


# --- reads for matching ------------------------------------------------------------------------


def communes() -> list[dict]:
    return run(
        "MATCH (c:Commune) RETURN c.code AS code, c.name_fr AS name_fr, c.name_ar AS name_ar"
    )


def people_for_import(scope: dict) -> Iterator[dict]:
    """Every person of the scope (anonymised ones aside) with what matching needs and
    ``writable`` (inside a unit of work; rows streamed)."""
    yield from stream(
        people_in_scope("p", national=bool(scope["scope_national"]))
        + "WITH p WHERE NOT coalesce(p.anonymised, false) "
        + """
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        RETURN p.uid AS uid, p.first_name AS first_name, p.last_name AS last_name,
               p.first_name_ar AS first_name_ar, p.last_name_ar AS last_name_ar,
               p.gender AS gender, coalesce(p.phones, []) AS phones,
               coalesce(p.emails, []) AS emails, c.code AS commune, c.name_fr AS commune_name,
               """
        + person_writable("p")
        + " AS writable",
        **scope,
    )


def organisations_for_import(scope: dict) -> Iterator[dict]:
    yield from stream(
        organisations_in_scope("o", national=bool(scope["scope_national"]))
        + """
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
        RETURN o.uid AS uid, o.name AS name, o.name_ar AS name_ar, o.acronym AS acronym,
               o.kind AS kind, o.phone AS phone, o.email AS email, o.website AS website,
               c.code AS commune, c.name_fr AS commune_name, """
        + organisation_writable("o")
        + " AS writable",
        **scope,
    )


_WRITABLE = {
    "person": "UNWIND $uids AS uid MATCH (p:Person {uid: uid}) WHERE "
    + person_writable("p")
    + " RETURN p.uid AS uid",
    "organisation": "UNWIND $uids AS uid MATCH (o:Organisation {uid: uid}) WHERE "
    + organisation_writable("o")
    + " RETURN o.uid AS uid",
}


def writable_uids(kind: str, uids: list[str], scope: dict) -> set[str]:
    """Those of ``uids`` (people or organisations) that exist and ``scope`` may write."""
    return {row["uid"] for row in run(_WRITABLE[kind], uids=uids, **scope)} if uids else set()


def event_brief(uid: str, scope: dict) -> dict | None:
    """The event receiving a sign-in sheet, if ``scope`` sees it."""
    rows = run(
        "MATCH (e:Event {uid: $uid}) WHERE "
        + event_visible("e")
        + """
        OPTIONAL MATCH (e)-[:HELD_IN]->(c:Commune)
        RETURN e.uid AS uid, e.title AS title, e.starts_at AS starts_at,
               e.cancelled_at IS NOT NULL AS cancelled, c.code AS commune_code,
               c.name_fr AS commune_name
        """,
        uid=uid,
        **scope,
    )
    return rows[0] if rows else None


# --- the commit ---------------------------------------------------------------------------------


def create_import(uid: str, props: dict) -> None:
    run("CREATE (i:Import) SET i = $props, i.uid = $uid, i.at = datetime()", uid=uid, props=props)


_MATCHED = {
    label: "MATCH (i:Import {uid: $import}) UNWIND $uids AS uid "
    "MATCH (n:" + label + " {uid: uid}) MERGE (i)-[:MATCHED]->(n)"
    for label in ("Person", "Organisation")
}


def mark_matched(label: str, import_uid: str, uids: list[str]) -> None:
    run(_MATCHED[label], uids=uids, **{"import": import_uid})


def add_attendance(import_uid: str, event_uid: str, rows: list[dict], now: datetime) -> int:
    """Participants ``{person, props}`` of the event; one already listed is not added again.
    Returns how many were added."""
    found = run(
        """
        MATCH (e:Event {uid: $event})
        SET e._lock = true REMOVE e._lock
        WITH e
        UNWIND $rows AS row
        MATCH (p:Person {uid: row.person})
        WITH e, p, row WHERE NOT EXISTS { (p)-[:ATTENDED]->(e) }
        CREATE (p)-[a:ATTENDED]->(e)
        SET a = row.props, a.uid = randomUUID(), a.added_at = $now, a.import_uid = $import
        WITH e, count(a) AS n
        SET e.updated_at = $now
        RETURN n
        """,
        rows=rows,
        event=event_uid,
        now=now,
        **{"import": import_uid},
    )
    return found[0]["n"] if found else 0


def import_from_draft(draft_uid: str, by_uid: str) -> str | None:
    """The uid of the import ``by_uid`` committed from the draft ``draft_uid``, if any."""
    rows = run(
        "MATCH (i:Import {draft_uid: $draft, by_uid: $by}) RETURN i.uid AS uid LIMIT 1",
        draft=draft_uid,
        by=by_uid,
    )
    return rows[0]["uid"] if rows else None


def finish_import(uid: str, props: dict) -> None:
    run("MATCH (i:Import {uid: $uid}) SET i += $props", uid=uid, props=props)


# --- reading imports ----------------------------------------------------------------------------

_IMPORT_ROW = """
    RETURN i.uid AS uid, i.kind AS kind, i.filename AS filename, i.by_uid AS by_uid,
           i.by_email AS by_email, i.at AS at, i.status AS status, i.counts AS counts,
           i.event_uid AS event_uid, i.undone_at AS undone_at, i.rows AS rows,
           i.rejected AS rejected
"""


def imports_list(by_uid: str | None, skip: int, limit: int) -> tuple[list[dict], int]:
    """Imports, newest first: all of them, or those made by ``by_uid``."""
    where = "WHERE $by IS NULL OR i.by_uid = $by "
    rows = run(
        "MATCH (i:Import) " + where + _IMPORT_ROW + " ORDER BY i.at DESC SKIP $skip LIMIT $limit",
        by=by_uid,
        skip=skip,
        limit=limit,
    )
    total = run("MATCH (i:Import) " + where + "RETURN count(i) AS n", by=by_uid)[0]["n"]
    return rows, total


def import_detail(uid: str, scope: dict, limit: int = 200) -> dict | None:
    """An import, with the records it created and linked that ``scope`` sees (``limit``
    of each kind)."""
    rows = run(
        "MATCH (i:Import {uid: $uid}) "
        + """
        CALL (i) {
            OPTIONAL MATCH (i)-[r:CREATED|MATCHED]->(n)
            WHERE (n:Person AND """
        + person_visible("n")
        + """) OR (n:Organisation AND """
        + organisation_visible("n")
        + """)
            WITH r, n ORDER BY n.last_name, n.name LIMIT $limit
            RETURN collect(CASE WHEN n IS NULL THEN NULL ELSE {
                uid: n.uid, how: type(r), kind: CASE WHEN n:Person THEN 'person'
                ELSE 'organisation' END, first_name: n.first_name, last_name: n.last_name,
                name: n.name} END) AS records
        }
        """
        + _IMPORT_ROW
        + ", i.rejected_csv AS rejected_csv, records",
        uid=uid,
        limit=limit,
        **scope,
    )
    return rows[0] if rows else None


# --- undo ---------------------------------------------------------------------------------------


def undo_blockers(uid: str) -> list[dict]:
    """The records the import created that were changed since: a new version, a later
    update, or ties the import did not make (an interaction, another event…)."""
    return run(
        """
        MATCH (:Import {uid: $uid})-[:CREATED]->(n)
        WHERE n.version <> 1 OR n.updated_at <> n.created_at
           OR EXISTS {
               MATCH (n)-[r]-()
               WHERE NOT type(r) IN ['LOCATED_IN', 'CREATED', 'MATCHED']
                 AND coalesce(r.import_uid, '') <> $uid
           }
        RETURN n.uid AS uid, CASE WHEN n:Person THEN 'person' ELSE 'organisation' END AS kind,
               n.first_name AS first_name, n.last_name AS last_name, n.name AS name
        ORDER BY n.last_name, n.name
        LIMIT 50
        """,
        uid=uid,
    )


def undo_import(uid: str, by_uid: str) -> dict:
    """Remove what the import added (its functions and attendances, then the records it
    created) and mark it undone; returns how many of each were removed."""
    ties = run(
        """
        MATCH (i:Import {uid: $uid})-[:CREATED|MATCHED]->(n)
        MATCH (n)-[r:AFFILIATED_WITH|ATTENDED]-()
        WHERE r.import_uid = $uid
        WITH DISTINCT r
        DELETE r
        RETURN count(*) AS n
        """,
        uid=uid,
    )
    records = run(
        """
        MATCH (i:Import {uid: $uid})-[:CREATED]->(n)
        DETACH DELETE n
        RETURN count(*) AS n
        """,
        uid=uid,
    )
    run(
        "MATCH (i:Import {uid: $uid}) SET i.status = 'undone', i.undone_at = datetime(), "
        "i.undone_by = $by",
        uid=uid,
        by=by_uid,
    )
    return {"ties": ties[0]["n"] if ties else 0, "records": records[0]["n"] if records else 0}
