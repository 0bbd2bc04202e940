"""Law 09-08 in the graph: subject access, opposition, anonymisation, retention."""

from __future__ import annotations

from datetime import date

from graph.audit import redact_person
from graph.database import atomic, run
from graph.interactions import interaction_visible
from graph.scope import organisation_visible, person_visible

__all__ = [
    "HIDDEN_SUMMARY",
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
    "last_contact", "held_interactions",  # of the interactions it keeps (graph.last_contact)
    "scope_key",  # the territories it stays listed in (graph.scope_keys)
)  # fmt: skip


# What the history shows, in a partial view, instead of a summary naming out-of-scope records.
HIDDEN_SUMMARY = "Détail hors de votre périmètre"

# Everyone, everywhere: the parameters of an unrestricted read (the administrator's export).
_EVERYTHING = {"scope_national": True, "scope_communes": []}


def subject_record(uid: str, scope: dict | None = None) -> dict | None:
    """Everything held on one person: the record, functions, and who did what with it.

    ``scope`` None is the full export (administrators): every function whatever the
    territory, every interaction, and the history with the staff who acted (``by``).

    Under a ``scope`` (``Scope.as_params()``) the record is what that scope allows: functions
    at visible organisations, visible interactions, and the history without any staff
    identity (no ``by``); an event whose summary or details name an out-of-scope record (an
    organisation, a function there, a person marked as not a duplicate) keeps its action and
    date, and its summary becomes ``HIDDEN_SUMMARY``. ``partial`` tells which of the two it is.
    """
    full = scope is None
    rows = run(
        """
        MATCH (p:Person {uid: $uid})
        OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Commune)
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
            WHERE """
        + organisation_visible("o")
        + """
            RETURN [x IN collect(CASE WHEN a IS NULL THEN NULL ELSE
                    {organisation: o.name, role: a.role, since: a.since, until: a.until,
                     focal_point: a.focal_point} END) WHERE x IS NOT NULL] AS affiliations
        }
        CALL (p) {
            // interaction_visible binds p and o itself: the subject goes by another name.
            WITH p AS subject
            OPTIONAL MATCH (i:Interaction)-[:WITH]->(subject)
            WHERE """
        + interaction_visible("i")
        + """
            WITH i ORDER BY i.date
            RETURN [x IN collect(CASE WHEN i IS NULL THEN NULL ELSE
                    {date: i.date, kind: i.kind, summary: i.summary} END)
                    WHERE x IS NOT NULL] AS interactions
        }
        // Records out of scope that the history may name: organisations where the person
        // holds or held a function, those functions, people marked as not a duplicate.
        CALL (p) {
            OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(o:Organisation)
            WHERE NOT """
        + organisation_visible("o")
        + """
            WITH collect(o.uid) + collect(a.uid) AS uids, collect(o.name) AS names
            OPTIONAL MATCH (p)-[:NOT_DUPLICATE_OF]-(person:Person)
            WHERE NOT """
        + person_visible("person")
        + """
            WITH uids, names, collect(person.uid) AS people,
                 collect(person.first_name + ' ' + person.last_name) AS people_names
            RETURN uids + people AS hidden_uids, names + people_names AS hidden_names
        }
        CALL (p, hidden_uids, hidden_names) {
            OPTIONAL MATCH (e:AuditEvent)
            WHERE e.target_uid = p.uid OR e.target_uid IN coalesce(p.merged_uids, [])
            WITH e, hidden_uids, hidden_names ORDER BY e.at
            RETURN [x IN collect(CASE WHEN e IS NULL THEN NULL ELSE
                    {at: e.at, action: e.action, by: e.actor_email, by_uid: e.actor_uid,
                     summary: e.summary,
                     hidden: any(u IN hidden_uids WHERE coalesce(e.details, '') CONTAINS u)
                             OR any(n IN hidden_names WHERE n <> ''
                                    AND coalesce(e.summary, '') CONTAINS n)} END)
                    WHERE x IS NOT NULL] AS events
        }
        RETURN properties(p) AS person, c.name_fr AS commune, affiliations, interactions,
               events
        """,
        uid=uid,
        **(_EVERYTHING if full else scope),
    )
    if not rows:
        return None
    row = rows[0]
    person = {
        k: v
        for k, v in row["person"].items()
        if k not in ("search_key", "name_key", "scope_key", "_lock")
    }
    return {
        "partial": not full,
        "person": person,
        "commune": row["commune"],
        "affiliations": row["affiliations"],
        "interactions": row["interactions"],
        "events": [_event(e, full) for e in row["events"]],
    }


def _event(event: dict, full: bool) -> dict:
    """One entry of the processing history, as the full or the partial view shows it."""
    if full:
        return {"at": event["at"], "action": event["action"], "by": event["by"],
                "by_uid": event["by_uid"], "summary": event["summary"]}  # fmt: skip
    summary = HIDDEN_SUMMARY if event["hidden"] else event["summary"]
    return {"at": event["at"], "action": event["action"], "summary": summary}


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


def anonymise_person(uid: str, label: str, sort_key: str) -> bool:
    """Replace the person's identity by ``label`` everywhere it is readable, in one transaction
    (``sort_key``: where lists now place them, ``crm.text.sort_key`` of the label).

    Relationships (functions, attendance, interactions) are kept, so the network keeps its
    shape; names, contacts, notes and the readable text of the audit trail are cleared.
    """
    with atomic():
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
                p.sort_key = toLower($label) + '\u0001personne',
                p.anonymised = true, p.opposition = true,
                p.updated_at = datetime(), p.version = p.version + 1
            """,
            uid=uid,
            kept=kept,
            label=label,
            sort_key=sort_key,
        )
        names = sorted({n for n in rows[0]["names"] if n and len(n) > 2}, key=len, reverse=True)
        uids = [uid, *(rows[0]["props"].get("merged_uids") or [])]
        redact_person(uids, "Personne " + label)
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
