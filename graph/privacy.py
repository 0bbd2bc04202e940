"""Law 09-08 in the graph: subject access, opposition, anonymisation, retention."""

from __future__ import annotations

from datetime import date

from neomodel import db

from graph.audit import redact_person
from graph.database import run

__all__ = [
    "PERSON_NAMED",
    "anonymise_person",
    "expired_people",
    "set_opposition",
    "subject_record",
]

# A person who may appear by name in maps, analyses' named outputs and exports.
PERSON_NAMED = "(NOT coalesce(p.opposition, false) AND NOT coalesce(p.anonymised, false))"

# Properties an anonymised person keeps: identity is gone, the network's shape stays.
_KEPT = (
    "uid", "created_at", "updated_at", "version", "gender", "legal_basis", "purpose",
    "merged_uids",  # records merged into this one: their trail must be redacted too
)  # fmt: skip


def subject_record(uid: str) -> dict | None:
    """Everything held on one person: the record, functions, and who did what with it."""
    rows = run(
        """
        MATCH (p:Person {uid: $uid})
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
            RETURN [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE
                    {organisation: o.name, role: a.role, since: a.since, until: a.until,
                     focal_point: a.focal_point} END) WHERE x IS NOT NULL] AS affiliations
        }
        CALL (p) {
            OPTIONAL MATCH (i:Interaction)-[:WITH]->(p)
            WITH i ORDER BY i.date
            RETURN [x IN collect(CASE WHEN i IS NULL THEN NULL ELSE
                    {date: i.date, kind: i.kind, summary: i.summary} END)
                    WHERE x IS NOT NULL] AS interactions
        }
        CALL (p) {
            OPTIONAL MATCH (e:AuditEvent)
            WHERE e.target_uid = p.uid OR e.target_uid IN coalesce(p.merged_uids, [])
            WITH e ORDER BY e.at
            RETURN [x IN collect(CASE WHEN e IS NULL THEN NULL ELSE
                    {at: e.at, action: e.action, by: e.actor_email, summary: e.summary} END)
                    WHERE x IS NOT NULL] AS events
        }
        RETURN properties(p) AS person, c.name_fr AS commune, affiliations, interactions,
               events
        """,
        uid=uid,
    )
    if not rows:
        return None
    row = rows[0]
    person = {
        k: v for k, v in row["person"].items() if k not in ("search_key", "name_key", "_lock")
    }
    return {
        "person": person,
        "commune": row["commune"],
        "affiliations": row["affiliations"],
        "interactions": row["interactions"],
        "events": row["events"],
    }


def set_opposition(uid: str, value: bool) -> bool:
    rows = run(
        """
        MATCH (p:Person {uid: $uid})
        SET p.opposition = $value, p.updated_at = datetime(), p.version = p.version + 1
        RETURN p.uid AS uid
        """,
        uid=uid,
        value=value,
    )
    return bool(rows)


def anonymise_person(uid: str, label: str) -> bool:
    """Replace the person's identity by ``label`` everywhere it is readable, in one transaction.

    Relationships (functions, attendance, interactions) are kept, so the network keeps its
    shape; names, contacts, notes and the readable text of the audit trail are cleared.
    """
    with db.transaction:
        rows = run(
            """
            MATCH (p:Person {uid: $uid})
            SET p._lock = true REMOVE p._lock
            RETURN properties(p) AS props,
                   [p.first_name, p.last_name, p.first_name_ar, p.last_name_ar,
                    p.first_name + ' ' + p.last_name, p.last_name + ' ' + p.first_name]
                   + coalesce(p.emails, []) + coalesce(p.phones, []) AS names
            """,
            uid=uid,
        )
        if not rows:
            return False
        kept = {k: v for k, v in rows[0]["props"].items() if k in _KEPT}
        run(
            """
            MATCH (p:Person {uid: $uid})
            SET p = $kept
            SET p.first_name = 'Personne', p.last_name = $label, p.search_key = '',
                p.anonymised = true, p.opposition = true,
                p.updated_at = datetime(), p.version = p.version + 1
            """,
            uid=uid,
            kept=kept,
            label=label,
        )
        names = sorted({n for n in rows[0]["names"] if n and len(n) > 2}, key=len, reverse=True)
        uids = [uid, *(rows[0]["props"].get("merged_uids") or [])]
        redact_person(uids, "Personne " + label, names)
        # Meeting notes name the people who were there.
        run(
            """
            MATCH (i:Interaction)-[:WITH]->(:Person {uid: $uid})
            SET i.summary = reduce(s = coalesce(i.summary, ''), n IN $names |
                                   replace(s, n, $replacement))
            """,
            uid=uid,
            names=names,
            replacement="Personne " + label,
        )
    return True


def expired_people(today: date) -> list[str]:
    return [
        row["uid"]
        for row in run(
            """
            MATCH (p:Person)
            WHERE p.retain_until IS NOT NULL AND p.retain_until < $today
              AND NOT coalesce(p.anonymised, false)
            RETURN p.uid AS uid
            """,
            today=today,
        )
    ]
