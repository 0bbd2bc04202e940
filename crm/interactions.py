"""Use cases about interactions: logging a meeting, call, visit, e-mail or message with people
and organisations (with follow-up actions), and the timeline of a person or organisation.

Rules
    * An interaction has a kind, a status, a date, a summary, at least one person or
      organisation, and the officer who logged it (the actor); optionally a start time and a
      place: a commune of the actor's territory (resolved like the communes of people and
      organisations) and a free-text venue.
    * Status: "held" (it took place: its date cannot be in the future) or "planned" (its
      date is today or later). A planned interaction is later marked held (dated when it
      took place, with what was said) or cancelled; a held one stays held.
    * The actor may only log interactions with records they may change (``graph.scope``):
      people of their territory, organisations of their territory, and the shared national
      institutions (INDH, DGCT…) that every officer works with — meeting an institution
      changes nothing of it. A person they may only read (someone of another region met
      through a shared institution) is refused with a message; naming a record outside their
      scope is answered "not found" and traced.
    * An interaction is visible when one of its records is; other participants are listed
      only when visible too.
    * Follow-ups (what, who, due date) are optional; the due date cannot precede a held
      interaction, nor today for a planned one (preparing it). Everything is written in one
      transaction, or nothing is.
    * Editing, marking held, cancelling and deleting need a writer who can see the
      interaction and may write each of its people (its organisations may be shared
      national institutions): ``graph.interactions.interaction_editable``. Otherwise the
      interaction is "not found" (traced) when invisible, refused when only readable. Edits
      carry the version the form was loaded with (a stale one is refused, showing the
      current record) and are audited with what changed; deleting asks for a confirmation
      and takes the follow-ups with it, audited too.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from crm import audit, clock, labels, pickers, territory
from crm.access import Actor, require_write
from crm.errors import Conflict, Forbidden, Invalid, NotFound
from crm.history import changes, record_history
from crm.records import STALE_EDIT, deny, save_edit
from crm.text import clean_text
from crm.transactions import reads, writes
from crm.validation import MAX_NOTES, Errors, optional_text, parse_date
from graph import interactions as store
from graph import kinds
from graph import territory as geography
from graph.records import StaleVersion

__all__ = [
    "INTERACTION_KINDS",
    "INTERACTION_STATUSES",
    "cancel_interaction",
    "commune_page",
    "delete_interaction",
    "get_interaction",
    "interaction_for_edit",
    "interaction_form",
    "interaction_page",
    "log_interaction",
    "mark_held",
    "timeline",
    "update_interaction",
]

INTERACTION_KINDS = store.INTERACTION_KINDS
INTERACTION_STATUSES = store.INTERACTION_STATUSES
# What a new interaction may be: it took place, or it is planned (cancelling comes later).
NEW_STATUSES = ("held", "planned")
MAX_WHAT = 500
MAX_VENUE = 200
AGENDA_LIMIT = 50
READ_ONLY = (
    "Cette interaction concerne des personnes d'un autre territoire : seule l'équipe "
    "nationale peut la modifier."
)
GONE = "Une des fiches, un des comptes ou la commune choisis vient d'être supprimé : vérifiez."
TIMELINE_LIMIT = 50
# A due date further away than this is taken for a typing mistake.
MAX_DUE_AHEAD = timedelta(days=2 * 365)

_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?)?$")
_BLANK_LINES = re.compile(r"\n{3,}")


@writes
def log_interaction(actor: Actor, data: dict, today: date | None = None) -> str:
    """Record an interaction (held, or planned) and its follow-ups; return its uid.

    ``data``: ``kind`` (a code of ``INTERACTION_KINDS``), ``status`` ("held", the default,
    or "planned"), ``date`` (date or ISO text), ``start_time`` ("HH:MM", optional),
    ``commune`` (a commune as typed: label, HCP code or unique name; optional), ``venue``,
    ``summary``, ``people`` and ``organisations`` (lists: a uid chosen in a picker, a label
    ending with ``[uid]``, or an exact name as typed), ``follow_ups`` (list of
    ``{what, assignee, due}``; fully empty rows are ignored, an empty assignee means the
    actor). ``today`` defaults to the programme's date (``crm.clock``).

    Raises ``Invalid`` (keys ``kind``, ``status``, ``date``, ``start_time``, ``commune``,
    ``venue``, ``summary``, ``people-<n>``, ``organisations-<n>``,
    ``follow_ups-<n>-<field>``) and ``NotFound`` when a named record exists but lies
    outside the actor's scope.
    """
    require_write(actor)
    today = today or clock.today()
    errors = Errors()
    status = data.get("status") or "held"
    errors.check("status", status in NEW_STATUSES, "Choisissez : tenue ou prévue.")
    details = _details(actor, errors, data, today, status if status in NEW_STATUSES else "held")
    earliest = details.props["date"] if status == "held" else today
    follow_ups = _follow_ups(actor, errors, data.get("follow_ups"), earliest, today, status)
    errors.raise_if_any()

    uid = uuid.uuid4().hex
    props = {**details.props, "status": status}
    try:
        store.create_interaction(
            uid,
            props,
            actor.uid,
            details.person_uids,
            details.organisation_uids,
            follow_ups,
            commune_code=details.commune_code,
        )
    except store.MissingRecord:
        raise Invalid({"": GONE}) from None
    audit.record(
        actor,
        "create",
        target_kind="interaction",
        target_uid=uid,
        summary=_title(props),
        details={
            "after": changes({}, {**props, "commune": details.commune_code}),
            "people": details.person_uids,
            "organisations": details.organisation_uids,
            "follow_ups": [{**f, "due": f["due"].isoformat()} for f in follow_ups],
        },
    )
    return uid


@writes
def update_interaction(
    actor: Actor, uid: str, version: int, data: dict, today: date | None = None
) -> int:
    """Change an interaction's kind, date, time, place, participants and summary (its status
    changes through ``mark_held`` and ``cancel_interaction``); return the new version.

    ``data`` as for ``log_interaction`` (without ``status`` and ``follow_ups``). The date
    rule is the status's: a held interaction cannot move into the future, a planned one
    cannot move into the past (it may keep a date that has passed). ``Conflict`` if the
    interaction changed since ``version`` was read.
    """
    require_write(actor)
    today = today or clock.today()
    current = _editable(actor, uid)
    errors = Errors()
    details = _details(actor, errors, data, today, current["status"], current)
    errors.raise_if_any()
    audited = {
        **details.props,
        "people": sorted(details.person_uids),
        "organisations": sorted(details.organisation_uids),
        "commune": details.commune_code,
    }

    def write() -> tuple[int, dict] | None:
        try:
            return store.update_interaction(
                uid,
                version,
                details.props,
                details.person_uids,
                details.organisation_uids,
                details.commune_code,
            )
        except store.MissingRecord:
            raise Invalid({"": GONE}) from None

    return save_edit(actor, "interaction", uid, audited, "Interaction modifiée", write)


@writes
def mark_held(actor: Actor, uid: str, version: int, data: dict, today: date | None = None) -> int:
    """A planned interaction took place: status "held", the ``date`` it took place (not in
    the future) and its ``summary`` (what was said). Returns the new version."""
    require_write(actor)
    today = today or clock.today()
    current = _editable(actor, uid)
    if current["status"] != "planned":
        raise Invalid({"": "Seule une interaction prévue peut être marquée comme tenue."})
    errors = Errors()
    when = parse_date(errors, "date", data.get("date"))
    errors.check("date", when is not None, "Indiquez la date à laquelle elle a eu lieu.")
    if when is not None:
        errors.check(
            "date",
            when <= today,
            f"La date ne peut pas être dans le futur (nous sommes le {today:%d/%m/%Y}) : "
            "elle n'a pas encore eu lieu.",
        )
    summary = _summary(errors, data)
    errors.raise_if_any()
    props = {"status": "held", "date": when, "summary": summary}
    return save_edit(
        actor,
        "interaction",
        uid,
        props,
        "Interaction tenue",
        lambda: store.set_status(uid, version, props),
    )


@writes
def cancel_interaction(actor: Actor, uid: str, version: int) -> int:
    """A planned interaction will not take place: status "cancelled" (kept, with its
    follow-ups, for the record). Returns the new version."""
    require_write(actor)
    current = _editable(actor, uid)
    if current["status"] != "planned":
        raise Invalid({"": "Seule une interaction prévue peut être annulée."})
    props = {"status": "cancelled"}
    return save_edit(
        actor,
        "interaction",
        uid,
        props,
        "Interaction annulée",
        lambda: store.set_status(uid, version, props),
    )


@writes
def delete_interaction(actor: Actor, uid: str, version: int, confirmed: bool) -> int:
    """Delete an interaction and its follow-ups, once ``confirmed``; return how many
    follow-ups went with it. Audited: the interaction as it was, and each follow-up."""
    require_write(actor)
    _editable(actor, uid)
    if not confirmed:
        raise Invalid({"confirm": "Cochez la case pour confirmer la suppression."})
    try:
        deleted = store.delete_interaction(uid, version)
    except StaleVersion as stale:
        raise Conflict(STALE_EDIT, current=stale.current) from None
    if deleted is None:
        raise NotFound(uid)
    before = deleted["before"]
    follow_ups = [{**f, "due": f["due"].iso_format()} for f in deleted["follow_ups"]]
    audit.record(
        actor,
        "delete",
        target_kind="interaction",
        target_uid=uid,
        summary=_title(before) + " supprimée",
        details={
            "before": changes(
                {},
                {
                    **before,
                    "people": deleted["people"],
                    "organisations": deleted["organisations"],
                    "commune": deleted["commune"],
                },
            ),
            "follow_ups": follow_ups,
        },
    )
    for follow_up in follow_ups:
        audit.record(
            actor,
            "delete",
            target_kind="follow_up",
            target_uid=follow_up["uid"],
            summary="Suivi supprimé avec son interaction",
            details={"interaction": uid},
        )
    return len(follow_ups)


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
def interaction_page(actor: Actor, uid: str, today: date | None = None) -> dict:
    """What an interaction's page shows: ``interaction`` (the consultation is traced;
    ``passed`` when its date is before today), ``history`` (its changes and those of its
    follow-ups, newest first) and ``can_edit``."""
    interaction = get_interaction(actor, uid)
    today = today or clock.today()
    follow_up_uids = [f["uid"] for f in interaction["follow_ups"]]
    return {
        "interaction": {**interaction, "passed": interaction["date"].to_native() < today},
        "history": record_history([uid, *follow_up_uids]),
        "can_edit": actor.can_write and interaction["editable"],
    }


@reads
def interaction_for_edit(actor: Actor, uid: str) -> dict:
    """The interaction as its edit form (and the confirmation of its deletion) shows it:
    fields as typed in the form (participants as uids, named in ``chosen`` as their pickers
    show them; the commune as its label), ``version``,
    ``status``, ``follow_ups`` (how many). The actor must be allowed to change it."""
    require_write(actor)
    current = _editable(actor, uid)
    place = current.get("place")
    return {
        **_labelled(current),
        "date": current["date"].to_native(),
        "commune": territory.commune_label(place) if place else "",
        "people": [row["uid"] for row in current["people"]],
        "organisations": [row["uid"] for row in current["organisations"]],
        "chosen": {
            field: [{"uid": row["uid"], "name": _CHOSEN_NAMES[kind](row)} for row in current[field]]
            for field, kind in (("people", "person"), ("organisations", "organisation"))
        },
    }


@reads
def commune_page(actor: Actor, code: str, today: date | None = None) -> dict:
    """A commune's page: its desk (``crm.territory.commune_desk``) and its ``agenda``: the
    planned interactions from today on that are held there or WITH someone located there,
    among those the actor can see; its ``events`` (upcoming first) and ``partnerships``
    (``crm.partnerships.partnerships_of_commune``). One read transaction."""
    from crm import events, partnerships  # they read people, which read interactions

    today = today or clock.today()
    desk = territory.commune_desk(actor, code, today)
    agenda = geography.commune_agenda(code, actor.scope.as_params(), today, AGENDA_LIMIT)
    desk["interactions"] = [_labelled(item) for item in desk["interactions"]]
    return {
        **desk,
        "agenda": [_labelled(item) for item in agenda],
        "events": events.events_of_commune(actor, code, today),
        "partnerships": partnerships.partnerships_of_commune(actor, code),
    }


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

    ``{people, organisations}`` hold the uid of the record the form was opened from
    (NotFound if the actor cannot see it) and ``chosen`` how its picker names it,
    ``assignees`` the accounts a follow-up can be given to (``[(uid, name)]``), ``origin``
    the record to return to (or None).
    """
    require_write(actor)
    kind, uid = ("person", person_uid) if person_uid else ("organisation", organisation_uid)
    found = store.form_start(kind if uid else None, uid, actor.scope.as_params())
    start: dict = {
        "people": [],
        "organisations": [],
        "chosen": {"people": [], "organisations": []},
        "origin": None,
        "assignees": [(u["uid"], u["display_name"]) for u in found["assignees"]],
    }
    if uid:
        if not found["visible"]:
            deny(actor, kind, uid)
        field = "people" if kind == "person" else "organisations"
        start[field] = [uid]
        start["chosen"][field] = [{"uid": uid, "name": _CHOSEN_NAMES[kind](found["record"])}]
        start["origin"] = (kind, uid)
    return start


# kind -> how a picker names the record the form is opened from (as ``kinds`` display does).
_CHOSEN_NAMES = {
    "person": lambda row: labels.person_name(row["first_name"], row["last_name"]),
    "organisation": lambda row: row["name"],
}


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Details:
    """What the interaction form says, checked (the status and follow-ups apart)."""

    props: dict
    person_uids: list[str]
    organisation_uids: list[str]
    commune_code: str | None


def _details(
    actor: Actor,
    errors: Errors,
    data: dict,
    today: date,
    status: str,
    current: dict | None = None,
) -> _Details:
    """Check the fields shared by logging and editing; problems go to ``errors``.

    ``current``: the interaction being edited (its date may stay where it is, its commune
    too even if outside the actor's territory).
    """
    kind = data.get("kind") or ""
    errors.check("kind", kind in INTERACTION_KINDS, "Choisissez le type d'interaction.")
    when = parse_date(errors, "date", data.get("date"))
    errors.check("date", when is not None, "La date de l'interaction est obligatoire.")
    kept = current is not None and when == current["date"].to_native()
    if when is not None and status == "held":
        errors.check(
            "date",
            when <= today,
            f"La date ne peut pas être dans le futur (nous sommes le {today:%d/%m/%Y}) : "
            "enregistrez l'interaction une fois qu'elle a eu lieu, ou choisissez « Prévue ».",
        )
    if when is not None and status == "planned" and not kept:
        errors.check(
            "date",
            when >= today,
            f"Une interaction prévue a lieu aujourd'hui ou plus tard (nous sommes le "
            f"{today:%d/%m/%Y}) : si elle a déjà eu lieu, choisissez « Tenue ».",
        )
    start_time = _start_time(errors, data.get("start_time"))
    venue = optional_text(errors, data, "venue", MAX_VENUE)
    commune_code = _commune(actor, errors, data.get("commune"), current)
    summary = _summary(errors, data)
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
    props = {
        "kind": kind,
        "date": when,
        "start_time": start_time,
        "venue": venue,
        "summary": summary,
    }
    return _Details(props, person_uids, organisation_uids, commune_code)


def _summary(errors: Errors, data: dict) -> str:
    summary = _multiline(data.get("summary"))
    errors.check("summary", bool(summary), "Le résumé est obligatoire.")
    errors.check(
        "summary",
        len(summary) <= MAX_NOTES,
        f"Le résumé ne doit pas dépasser {MAX_NOTES} caractères.",
    )
    return summary


def _start_time(errors: Errors, raw: object) -> str:
    """'HH:MM' from '9:30', '09h30', '9h' or '' (no time given)."""
    text = clean_text(raw)
    if not text:
        return ""
    match = _TIME.match(text)
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}"
    errors.check("start_time", False, "Heure invalide : écrivez-la comme 09:30.")
    return ""


def _commune(actor: Actor, errors: Errors, raw: object, current: dict | None) -> str | None:
    """The code of the commune typed (None when left empty): in the actor's territory,
    unless it is the one the interaction already had."""
    code, problem = territory.resolve_commune(str(raw or ""))
    errors.check("commune", problem is None, problem or "")
    kept = current is not None and code == ((current.get("place") or {}).get("code"))
    errors.check(
        "commune",
        code is None or kept or actor.scope.covers(code),
        "Cette commune est hors de votre territoire.",
    )
    return code


def _editable(actor: Actor, uid: str) -> dict:
    """The interaction (``graph.interactions.edit_access``) if the actor may change it:
    NotFound (traced) when they cannot see it, Forbidden when they may only read it."""
    found = store.edit_access(uid, actor.scope.as_params())
    if not found["visible"]:
        deny(actor, "interaction", uid)
    if not found["editable"]:
        raise Forbidden(READ_ONLY)
    return found["interaction"]


def _title(props: dict) -> str:
    """'Réunion du 10/03/2026' ('… (prévue)'): how the audit trail names an interaction,
    without the free text that may name a person."""
    day = props["date"]
    day = day.to_native() if hasattr(day, "to_native") else day
    kind = INTERACTION_KINDS.get(props.get("kind"), "Interaction")
    suffix = {"planned": " (prévue)", "cancelled": " (annulée)"}.get(props.get("status"), "")
    return f"{kind} du {day:%d/%m/%Y}{suffix}"


def _participants(actor: Actor, errors: Errors, field: str, kind: str, texts: object) -> list[str]:
    """Uids of the records named by ``texts`` (empty skipped); a problem with the n-th goes to
    the key ``<field>-<n>``."""
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
    """(uid, None) for the record a field names that may take part, or (None, message)."""
    uid, problem = pickers.resolve(actor, kind, text)
    if uid is None:
        return None, problem
    return uid, _participation_refused(kind, kinds.access(kind, uid, actor.scope.as_params()))


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
    actor: Actor, errors: Errors, rows: object, earliest: date | None, today: date, status: str
) -> list[dict]:
    """The follow-up rows, checked: due on or after ``earliest`` (a held interaction's date,
    or today for a planned one)."""
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
        if due is not None and earliest is not None:
            errors.check(
                prefix + "due",
                due >= earliest,
                "L'échéance ne peut pas précéder la date de l'interaction."
                if status == "held"
                else "L'échéance ne peut pas être dans le passé.",
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
    status = interaction.get("status") or "held"
    return {
        **interaction,
        "status": status,
        "kind_label": INTERACTION_KINDS.get(interaction["kind"], interaction["kind"]),
        "status_label": INTERACTION_STATUSES.get(status, status),
    }
