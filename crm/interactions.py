"""Use cases about interactions: logging a meeting, call, visit, e-mail or message with people
and organisations (with follow-up actions), and the timeline of a person or organisation.

Rules
    * An interaction has a kind, a date that is not in the future, a summary, at least one
      person or organisation, and the officer who logged it (the actor).
    * The actor may only log interactions with records they may change (``graph.scope``):
      people of their territory, organisations of their territory, and the shared national
      institutions (INDH, DGCT…) that every officer works with — meeting an institution
      changes nothing of it. A person they may only read (someone of another region met
      through a shared institution) is refused with a message; naming a record outside their
      scope is answered "not found" and traced.
    * An interaction is visible when one of its records is; other participants are listed
      only when visible too.
    * Follow-ups (what, who, due date) are optional; the due date cannot precede the
      interaction. Everything is written in one transaction, or nothing is.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from crm import audit, clock, organisations, people
from crm.access import Actor, require_write
from crm.errors import Invalid, NotFound
from crm.records import deny
from crm.text import clean_text, search_key
from crm.transactions import reads, writes
from crm.validation import MAX_NOTES, Errors, parse_date
from graph import interactions as store
from graph import kinds

__all__ = [
    "INTERACTION_KINDS",
    "get_interaction",
    "interaction_form",
    "log_interaction",
    "timeline",
]

INTERACTION_KINDS = store.INTERACTION_KINDS
MAX_WHAT = 500
TIMELINE_LIMIT = 50
# A due date further away than this is taken for a typing mistake.
MAX_DUE_AHEAD = timedelta(days=2 * 365)

_UID_IN_TEXT = re.compile(r"\[([0-9a-f]{32})\]\s*$")
_BLANK_LINES = re.compile(r"\n{3,}")


@writes
def log_interaction(actor: Actor, data: dict, today: date | None = None) -> str:
    """Record an interaction and its follow-ups; return its uid.

    ``data``: ``kind`` (a code of ``INTERACTION_KINDS``), ``date`` (date or ISO text),
    ``summary``, ``people`` and ``organisations`` (lists of texts typed in autocomplete
    fields: a label ending with ``[uid]``, or an exact name), ``follow_ups`` (list of
    ``{what, assignee, due}``; fully empty rows are ignored, an empty assignee means the
    actor). ``today`` defaults to the programme's date (``crm.clock``).

    Raises ``Invalid`` (keys ``kind``, ``date``, ``summary``, ``people-<n>``,
    ``organisations-<n>``, ``follow_ups-<n>-<field>``) and ``NotFound`` when a named record
    exists but lies outside the actor's scope.
    """
    require_write(actor)
    today = today or clock.today()
    errors = Errors()
    kind = data.get("kind") or ""
    errors.check("kind", kind in INTERACTION_KINDS, "Choisissez le type d'interaction.")
    when = parse_date(errors, "date", data.get("date"))
    errors.check("date", when is not None, "La date de l'interaction est obligatoire.")
    if when is not None:
        errors.check(
            "date",
            when <= today,
            f"La date ne peut pas être dans le futur (nous sommes le {today:%d/%m/%Y}) : "
            "enregistrez l'interaction une fois qu'elle a eu lieu.",
        )
    summary = _multiline(data.get("summary"))
    errors.check("summary", bool(summary), "Le résumé est obligatoire.")
    errors.check(
        "summary",
        len(summary) <= MAX_NOTES,
        f"Le résumé ne doit pas dépasser {MAX_NOTES} caractères.",
    )
    person_uids = _participants(actor, errors, "people", "person", data.get("people"))
    organisation_uids = _participants(
        actor, errors, "organisations", "organisation", data.get("organisations")
    )
    if not person_uids and not organisation_uids:
        errors.check(
            "people-0",
            any(key.startswith(("people-", "organisations-")) for key in errors),
            "Indiquez au moins une personne ou une organisation.",
        )
    follow_ups = _follow_ups(actor, errors, data.get("follow_ups"), when, today)
    errors.raise_if_any()

    uid = uuid.uuid4().hex
    props = {"kind": kind, "date": when, "summary": summary}
    try:
        store.create_interaction(uid, props, actor.uid, person_uids, organisation_uids, follow_ups)
    except store.MissingRecord:
        raise Invalid(
            {"": "Une des fiches ou un des comptes choisis vient d'être supprimé : vérifiez."}
        ) from None
    audit.record(
        actor,
        "create",
        target_kind="interaction",
        target_uid=uid,
        summary=f"{INTERACTION_KINDS[kind]} du {when:%d/%m/%Y}",
        details={
            "after": {"kind": kind, "date": when.isoformat()},
            "people": person_uids,
            "organisations": organisation_uids,
            "follow_ups": [{**f, "due": f["due"].isoformat()} for f in follow_ups],
        },
    )
    return uid


@reads
def get_interaction(actor: Actor, uid: str) -> dict:
    """One interaction as its page shows it; the consultation is written to the audit trail."""
    interaction = store.get_interaction(uid, actor.scope.as_params())
    if interaction is None:
        deny(actor, "interaction", uid)
    audit.record(
        actor,
        "view",
        target_kind="interaction",
        target_uid=uid,
        summary=INTERACTION_KINDS.get(interaction["kind"], interaction["kind"]),
    )
    return _labelled(interaction)


@reads
def timeline(actor: Actor, kind: str, uid: str) -> dict:
    """The interactions with a person (``kind`` "person") or organisation, newest first.

    Returns ``{kind, uid, interactions, total, can_log}``; ``interactions`` holds at most
    ``TIMELINE_LIMIT`` interactions, ``total`` counts them all. NotFound if not visible.
    """
    if kind not in kinds.KINDS:
        raise NotFound(uid)
    found = store.timeline(kind, uid, actor.scope.as_params(), TIMELINE_LIMIT)
    if found is None:
        raise NotFound(uid)
    return _timeline(actor, kind, uid, found)


def timeline_of_visible(actor: Actor, kind: str, uid: str) -> dict:
    """``timeline`` of a record the calling use case has just read (so it is visible)."""
    found = store.timeline_of_visible(kind, uid, actor.scope.as_params(), TIMELINE_LIMIT)
    return _timeline(actor, kind, uid, found)


def _timeline(actor: Actor, kind: str, uid: str, found: tuple[list[dict], int]) -> dict:
    items, total = found
    return {
        "kind": kind,
        "uid": uid,
        "interactions": [_labelled(item) for item in items],
        "total": total,
        "can_log": actor.can_write,
    }


@reads
def interaction_form(
    actor: Actor, person_uid: str | None = None, organisation_uid: str | None = None
) -> dict:
    """What the "new interaction" form starts with.

    ``{people, organisations}`` hold the labels of the record the form was opened from
    (NotFound if the actor cannot see it), ``assignees`` the accounts a follow-up can be
    given to (``[(uid, name)]``), ``origin`` the record to return to (or None).
    """
    require_write(actor)
    kind, uid = ("person", person_uid) if person_uid else ("organisation", organisation_uid)
    found = store.form_start(kind if uid else None, uid, actor.scope.as_params())
    start: dict = {
        "people": [],
        "organisations": [],
        "origin": None,
        "assignees": [(u["uid"], u["display_name"]) for u in found["assignees"]],
    }
    if uid:
        if not found["visible"]:
            deny(actor, kind, uid)
        label = _FIELD_LABELS[kind](found["record"])
        start["people" if kind == "person" else "organisations"] = [label]
        start["origin"] = (kind, uid)
    return start


# kind -> how a record is written in the form's field.
_FIELD_LABELS = {
    "person": lambda row: people.person_label(row),
    "organisation": lambda row: organisations.organisation_label(row),
}


# --- helpers ---------------------------------------------------------------------------------


def _participants(actor: Actor, errors: Errors, field: str, kind: str, texts: object) -> list[str]:
    """Uids of the records typed in the fields ``<field>-0``, ``<field>-1``… (empty skipped)."""
    if isinstance(texts, str):
        texts = [texts]
    uids: list[str] = []
    for index, text in enumerate(texts or []):
        text = clean_text(text)
        if not text:
            continue
        uid, problem = _resolve(actor, kind, text)
        errors.check(f"{field}-{index}", problem is None, problem or "")
        if uid and uid not in uids:
            uids.append(uid)
    return uids


def _resolve(actor: Actor, kind: str, text: str) -> tuple[str | None, str | None]:
    """(uid, None) for the record a field names, or (None, French message)."""
    record_kind = kinds.record_kind(kind)
    scope = actor.scope.as_params()
    match = _UID_IN_TEXT.search(text)
    uid = None
    if match:
        found = kinds.access(kind, match.group(1), scope)
        if found["exists"] and not found["visible"]:
            deny(actor, kind, match.group(1))
        uid = match.group(1) if found["visible"] else None
    if uid is None:
        exact = _exact_matches(actor, kind, text)
        if len(exact) > 1:
            return None, (
                f"Plusieurs {record_kind.plural} portent ce nom : "
                "choisissez dans la liste proposée."
            )
        if not exact:
            return None, (
                f"{record_kind.missing} : choisissez dans la liste proposée "
                "(ou créez la fiche d'abord)."
            )
        uid = exact[0]
    return uid, _participation_refused(kind, kinds.access(kind, uid, scope))


def _exact_matches(actor: Actor, kind: str, text: str) -> list[str]:
    """Uids of the visible records whose name is exactly ``text`` (any accents, case, order)."""
    key = search_key(text)
    if kind == "person":
        return [
            r["uid"]
            for r in people.search_people(actor, text).items
            if key
            in (
                search_key(r["first_name"], r["last_name"]),
                search_key(r["last_name"], r["first_name"]),
            )
        ]
    return [
        r["uid"]
        for r in organisations.search_organisations(actor, text).items
        if key in (search_key(r["name"]), search_key(r["acronym"]))
    ]


def _participation_refused(kind: str, found: dict) -> str | None:
    """Why a visible record cannot take part in the actor's interaction (None if it can)."""
    if found["writable"]:
        return None
    if kind == "organisation":
        return None  # a shared national institution: every officer meets it
    return (
        "Cette personne relève d'un autre territoire : enregistrez l'échange avec son "
        "institution, ou demandez à l'équipe nationale."
    )


def _follow_ups(
    actor: Actor, errors: Errors, rows: object, when: date | None, today: date
) -> list[dict]:
    assignable = {u["uid"] for u in store.assignable_users()}
    follow_ups = []
    for index, row in enumerate(rows or []):
        row = row or {}
        prefix = f"follow_ups-{index}-"
        what = clean_text(row.get("what"))
        if not what and not row.get("due"):
            continue  # an empty row of the form
        errors.check(prefix + "what", bool(what), "Précisez l'action à mener.")
        errors.check(
            prefix + "what",
            len(what) <= MAX_WHAT,
            f"L'action ne doit pas dépasser {MAX_WHAT} caractères.",
        )
        due = parse_date(errors, prefix + "due", row.get("due"))
        errors.check(prefix + "due", due is not None, "L'échéance est obligatoire.")
        if due is not None and when is not None:
            errors.check(
                prefix + "due",
                due >= when,
                "L'échéance ne peut pas précéder la date de l'interaction.",
            )
        if due is not None:
            errors.check(
                prefix + "due",
                due <= today + MAX_DUE_AHEAD,
                "L'échéance est trop lointaine (deux ans au plus) : vérifiez l'année.",
            )
        assignee = row.get("assignee") or actor.uid
        errors.check(
            prefix + "assignee",
            assignee in assignable,
            "Choisissez un compte actif (chargé(e) territorial(e), responsable ou administrateur).",
        )
        follow_ups.append({"uid": uuid.uuid4().hex, "what": what, "due": due, "assignee": assignee})
    return follow_ups


def _multiline(raw: object) -> str:
    """Text cleaned line by line: line breaks kept, at most one blank line in a row."""
    lines = [clean_text(line) for line in str(raw or "").splitlines()]
    text = "\n".join(lines).strip()
    return _BLANK_LINES.sub("\n\n", text)


def _labelled(interaction: dict) -> dict:
    return {
        **interaction,
        "kind_label": INTERACTION_KINDS.get(interaction["kind"], interaction["kind"]),
    }
