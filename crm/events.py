"""Use cases about the programme's events and their attendance.

Rules
    * An event has a title, a kind (``EVENT_KINDS``), a start date (and optionally a start
      time), an end (same day by default, never before the start), and a commune; optionally
      a venue in it, organisers (organisations), themes, a description and, for a training,
      the module trained (required then, ignored for other kinds).
    * It is in an officer's scope when its commune is (``graph.scope.event_visible``): they
      may only create events in their territory, and one held elsewhere is "not found"
      (traced), as for every other record.
    * Organisers are organisations the actor can see: those of their territory and the
      shared national institutions (INDH, ANAPEC…) that co-organise with everyone.
    * Participants are added one by one, with their role (``ATTENDANCE_ROLES``) and the
      organisation they came for. The actor must be able to write the event and the person
      (a person of another territory is refused with a message); a person listed twice is
      refused; a cancelled event takes no new participant.
    * Edits carry the version the form was loaded with (a stale one is refused with the
      event as it is now), cancelling too; every change is audited, and the audit text never
      names a person (participants are referred to by uid).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from crm import audit, monitoring, people, pickers, territory
from crm.access import Actor, require_write
from crm.errors import Forbidden, Invalid, NotFound
from crm.history import record_history
from crm.labels import person_name
from crm.pagination import PER_PAGE, Page, page_bounds
from crm.records import deny, record_creation, require_access, require_writable, save_edit
from crm.text import clean_text, search_key
from crm.transactions import reads, writes
from crm.validation import MAX_NOTES, Errors, choices, optional_text, parse_date, required_text
from graph import events as store
from graph.vocabulary import ATTENDANCE_ROLES, EVENT_KINDS, THEMES, TRAINING_MODULES

__all__ = [
    "ATTENDANCE_ROLES",
    "EVENT_KINDS",
    "SORTS",
    "TRAINING_MODULES",
    "add_participant",
    "cancel_event",
    "create_event",
    "create_participant",
    "event_for_edit",
    "event_page",
    "events_of_commune",
    "events_of_organisation",
    "events_of_person",
    "remove_participant",
    "search_events",
    "update_event",
]

SORTS = tuple(store.EVENT_SORTS)
MAX_TITLE = 200
MAX_VENUE = 200
MAX_REASON = 500
CANCELLED = "Cet événement est annulé : il ne reçoit plus de participants."
GONE = "La commune ou une organisation choisie vient d'être supprimée : vérifiez."
DUPLICATE = "Cette personne figure déjà parmi les participants de cet événement."
OTHER_TERRITORY = (
    "Cette personne relève d'un autre territoire : seule l'équipe nationale peut l'inscrire."
)


@writes
def create_event(actor: Actor, data: dict) -> str:
    """Record an event; return its uid.

    ``data``: ``title``, ``kind``, ``start_date`` (date or ISO text), ``start_time``
    ("HH:MM", optional), ``end_date`` (defaults to the start date), ``end_time``,
    ``commune`` (label, HCP code or unique name), ``venue``, ``organisers`` (uids or names,
    as a picker posts them), ``themes``, ``description``, ``module`` (trainings).
    Raises ``Invalid`` with keys among those, and ``organisers-<n>``.
    """
    require_write(actor)
    fields = _fields(actor, data, current=None)
    uid = uuid.uuid4().hex
    try:
        store.create_event(uid, fields.props, fields.commune_code, fields.organiser_uids)
    except store.MissingRecord:
        raise Invalid({"": GONE}) from None
    record_creation(
        actor,
        "event",
        uid,
        {**fields.props, "organisers": fields.organiser_uids},
        fields.commune_code,
        fields.props["title"],
    )
    return uid


@writes
def update_event(actor: Actor, uid: str, version: int, data: dict) -> int:
    """Change an event (same ``data`` as ``create_event``); returns the new version."""
    require_write(actor)
    current = _writable(actor, uid)
    fields = _fields(actor, data, current=current)

    def write() -> tuple[int, dict] | None:
        try:
            return store.update_event(
                uid, version, fields.props, fields.commune_code, fields.organiser_uids
            )
        except store.MissingRecord:
            raise Invalid({"": GONE}) from None

    after = {**fields.props, "commune": fields.commune_code, "organisers": fields.organiser_uids}
    return save_edit(actor, "event", uid, after, fields.props["title"], write)


@writes
def cancel_event(actor: Actor, uid: str, version: int, reason: str = "") -> int:
    """Mark the event cancelled (it stays listed, marked so); returns the new version."""
    require_write(actor)
    current = _writable(actor, uid)
    if current.get("cancelled_at"):
        raise Invalid({"": "Cet événement est déjà annulé."})
    errors = Errors()
    reason = optional_text(errors, {"reason": reason}, "reason", MAX_REASON)
    errors.raise_if_any()
    return save_edit(
        actor,
        "event",
        uid,
        {"cancel_reason": reason, "cancelled": True},
        "Événement annulé",
        lambda: store.cancel_event(uid, version, reason),
    )


@reads
def event_page(actor: Actor, uid: str) -> dict:
    """What an event's page shows: ``event`` (its commune, visible organisers, participants
    with ``name`` — empty for those who may not be named — and role labels), ``figures``
    (``crm.monitoring.event_figures``), ``history``, ``can_edit``."""
    event = _visible(actor, uid)
    return {
        "event": _labelled(event),
        "figures": monitoring.event_figures(uid),
        "history": record_history([uid]),
        "can_edit": actor.can_write,
    }


@reads
def event_for_edit(actor: Actor, uid: str) -> dict:
    """The event as its edit form shows it (the actor must be allowed to change it)."""
    require_write(actor)
    event = _writable(actor, uid)
    start_day, start_time = _split(event["starts_at"])
    end_day, end_time = _split(event["ends_at"])
    return {
        **event,
        "start_date": start_day,
        "start_time": start_time,
        "end_date": end_day,
        "end_time": end_time,
        "commune": territory.commune_label(event["commune"]),
        "organisers": [o["uid"] for o in event["organisers"]],
        "chosen_organisers": event["organisers"],
    }


@reads
def search_events(
    actor: Actor,
    text: str = "",
    *,
    kind: str = "",
    territory_text: str = "",
    theme: str = "",
    start: object = None,
    end: object = None,
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the events of the actor's scope matching the filters, newest first.

    ``territory_text``: a region or province code, or a commune as typed; ``start``/``end``:
    the period their start date falls in. Filters that cannot be read give an empty page
    saying why (``Page.problem``). ``per_page``: the list's page size (an export takes the
    whole list as one page)."""
    number, skip, limit = page_bounds(page, per_page)
    errors = Errors()
    first = parse_date(errors, "start", start)
    last = parse_date(errors, "end", end)
    if first and last and last < first:
        errors.check("end", False, "La fin de la période précède son début.")
    code = _territory_code(errors, territory_text)
    if errors:
        return Page([], 0, 1, limit, problem=" ".join(errors.values()))
    rows, total = store.search_events(
        actor.scope.as_params(),
        text_key=search_key(text),
        kind=kind if kind in EVENT_KINDS else None,
        territory=code,
        theme=theme if theme in THEMES else None,
        start=first,
        end=last,
        sort=sort if sort in store.EVENT_SORTS else "recent",
        skip=skip,
        limit=limit,
    )
    return Page([_labelled(row) for row in rows], total, number, limit)


def events_of_person(actor: Actor, uid: str) -> list[dict]:
    """The visible events a person attended (for a page that has just read the person)."""
    return [_labelled(row) for row in store.events_of_person(uid, actor.scope.as_params())]


def events_of_commune(actor: Actor, code: str, today: date) -> list[dict]:
    """The visible events held in a commune, upcoming first (for its page)."""
    rows = store.events_of_commune(code, actor.scope.as_params(), today)
    return [_labelled(row) for row in rows]


def events_of_organisation(actor: Actor, uid: str) -> list[dict]:
    """The visible events an organisation organised or sent people to (same)."""
    rows = store.events_of_organisation(uid, actor.scope.as_params())
    return [_labelled(row) for row in rows]


# --- attendance -------------------------------------------------------------------------------


@writes
def add_participant(actor: Actor, event_uid: str, data: dict) -> str:
    """List an existing person among the event's participants; returns the attendance uid.

    ``data``: ``person`` (the picker's chosen uids, the last one counts) or ``person_new``
    (a name typed without JavaScript), ``role``, ``for_organisation`` / ``for_organisation_new``
    (optional, same picker). Raises ``Invalid`` on ``person``, ``role``, ``for_organisation``.
    """
    require_write(actor)
    event = _writable(actor, event_uid)
    errors = Errors()
    role, for_organisation = _attendance(actor, errors, data)
    person_uid = None
    try:
        person_uid = pickers.pick_one(
            actor, "person", data.get("person"), data.get("person_new"), "person"
        )
    except Invalid as refused:
        errors.update({k: v for k, v in refused.errors.items() if k not in errors})
    errors.raise_if_any()
    require_writable(actor, "person", person_uid, "person", OTHER_TERRITORY)
    return _attend(actor, event, person_uid, role, for_organisation)


@writes
def create_participant(actor: Actor, event_uid: str, data: dict) -> tuple[str, str]:
    """Create a person (as ``crm.people.create_person``, commune defaulting to the event's)
    and list them among the participants, in one transaction; returns ``(person uid,
    attendance uid)``. ``PossibleDuplicates`` when people of the scope look like them."""
    require_write(actor)
    event = _writable(actor, event_uid)
    errors = Errors()
    role, for_organisation = _attendance(actor, errors, data)
    errors.raise_if_any()
    person = {k: v for k, v in data.items() if k not in ("role", "for_organisation")}
    if not clean_text(person.get("commune")):
        person["commune"] = event["commune"]["code"]
    person_uid = people.create_person(actor, person)
    return person_uid, _attend(actor, event, person_uid, role, for_organisation)


@writes
def remove_participant(actor: Actor, event_uid: str, attendance_uid: str) -> None:
    """Take a participant off the event (the person must be one the actor may write)."""
    require_write(actor)
    _writable(actor, event_uid)
    found = store.attendance_of(event_uid, attendance_uid)
    if found is None:
        raise NotFound(attendance_uid)
    require_access(actor, "person", found["person_uid"], write=True)
    store.remove_attendance(event_uid, attendance_uid)
    audit.record(
        actor,
        "update",
        target_kind="event",
        target_uid=event_uid,
        summary="Participant retiré",
        details={"changes": {"participant": [found["person_uid"], None]}},
    )


def _attendance(actor: Actor, errors: Errors, data: dict) -> tuple[str, str]:
    role = data.get("role") or "participant"
    errors.check("role", role in ATTENDANCE_ROLES, "Choisissez le rôle du participant.")
    chosen = [v for v in data.get("for_organisation") or [] if str(v or "").strip()]
    typed = clean_text(data.get("for_organisation_new"))
    if not chosen and not typed:
        return role, ""
    try:
        return role, pickers.pick_one(actor, "organisation", chosen, typed, "for_organisation")
    except Invalid as refused:
        errors.update({k: v for k, v in refused.errors.items() if k not in errors})
        return role, ""


def _attend(actor: Actor, event: dict, person_uid: str, role: str, for_organisation: str) -> str:
    if event.get("cancelled_at"):
        raise Invalid({"person": CANCELLED})
    props = {"role": role, "for_organisation": for_organisation or None}
    created = store.add_attendance(event["uid"], person_uid, props)
    if created is None:
        raise NotFound(person_uid)
    if created == "duplicate":
        raise Invalid({"person": DUPLICATE})
    audit.record(
        actor,
        "update",
        target_kind="event",
        target_uid=event["uid"],
        summary="Participant ajouté",
        details={
            "changes": {
                "participant": [None, person_uid],
                "attendance_role": [None, role],
                **({"organisation": [None, for_organisation]} if for_organisation else {}),
            }
        },
    )
    return created


# --- checks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fields:
    props: dict
    commune_code: str
    organiser_uids: list[str]


def _fields(actor: Actor, data: dict, current: dict | None) -> _Fields:
    errors = Errors()
    title = required_text(errors, data, "title", "Le titre", MAX_TITLE)
    kind = data.get("kind") or ""
    errors.check("kind", kind in EVENT_KINDS, "Choisissez le type d'événement.")
    start_day = parse_date(errors, "start_date", data.get("start_date"))
    errors.check("start_date", start_day is not None, "La date de début est obligatoire.")
    start_time = _time(errors, "start_time", data.get("start_time"))
    end_day = parse_date(errors, "end_date", data.get("end_date")) or start_day
    end_time = _time(errors, "end_time", data.get("end_time"))
    if start_day and end_day:
        errors.check(
            "end_date",
            (end_day, end_time or start_time or "") >= (start_day, start_time or ""),
            "La fin de l'événement ne peut pas précéder son début.",
        )
    errors.check(
        "end_date",
        not (start_day and end_day) or (end_day - start_day).days <= 366,
        "Un événement dure un an au plus : vérifiez l'année de fin.",
    )
    commune_code = _commune(actor, errors, data.get("commune"), current)
    module = data.get("module") or ""
    if kind == "training":
        errors.check("module", module in TRAINING_MODULES, "Indiquez le module de la formation.")
    else:
        module = ""
    props = {
        "title": title,
        "kind": kind,
        "starts_at": _stamp(start_day, start_time),
        "ends_at": _stamp(end_day, end_time),
        "start_date": start_day,
        "venue": optional_text(errors, data, "venue", MAX_VENUE),
        "themes": choices(errors, "themes", data.get("themes"), THEMES),
        "description": _multiline(errors, data.get("description")),
        "module": module or None,
        "search_key": search_key(title),
    }
    organiser_uids = _organisers(actor, errors, data.get("organisers"))
    errors.raise_if_any()
    return _Fields(props, commune_code or "", organiser_uids)


def _commune(actor: Actor, errors: Errors, raw: object, current: dict | None) -> str | None:
    """The commune's code: required, in the actor's territory unless it is the event's own."""
    code, problem = territory.resolve_commune(str(raw or ""))
    errors.check("commune", problem is None, problem or "")
    errors.check("commune", code is not None or problem is not None, "La commune est obligatoire.")
    kept = current is not None and code == current["commune"]["code"]
    errors.check(
        "commune",
        code is None or kept or actor.scope.covers(code),
        "Cette commune est hors de votre territoire.",
    )
    return code


def _organisers(actor: Actor, errors: Errors, values: object) -> list[str]:
    if isinstance(values, str):
        values = [values]
    uids: list[str] = []
    for index, text in enumerate(values or []):
        text = clean_text(text)
        if not text:
            continue
        uid, problem = pickers.resolve(actor, "organisation", text)
        errors.check(f"organisers-{index}", problem is None, problem or "")
        if uid and uid not in uids:
            uids.append(uid)
    return uids


def _time(errors: Errors, field: str, raw: object) -> str:
    """'HH:MM' from '9:30', '09h30', '9h', or '' when none is given."""
    text = clean_text(raw).lower().replace("h", ":")
    if not text:
        return ""
    hours, _, minutes = text.partition(":")
    if hours.isdigit() and (minutes or "0").isdigit():
        h, m = int(hours), int(minutes or 0)
        if h < 24 and m < 60:
            return f"{h:02d}:{m:02d}"
    errors.check(field, False, "Heure invalide : écrivez-la comme 09:30.")
    return ""


def _stamp(day: date | None, time: str) -> str:
    """ "2026-03-10T09:30", or "2026-03-10" for an event without a time (a whole day)."""
    if day is None:
        return ""
    return day.isoformat() + ("T" + time if time else "")


def _split(stamp: str | None) -> tuple[date | None, str]:
    if not stamp:
        return None, ""
    day, _, time = stamp.partition("T")
    return date.fromisoformat(day), time


def _multiline(errors: Errors, raw: object) -> str:
    lines = [clean_text(line) for line in str(raw or "").splitlines()]
    text = "\n".join(lines).strip()
    errors.check(
        "description",
        len(text) <= MAX_NOTES,
        f"La description ne doit pas dépasser {MAX_NOTES} caractères.",
    )
    return text


def _territory_code(errors: Errors, text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.replace(".", "").isdigit() and text.count(".") <= 1:
        return text  # a region ("02") or province ("02.411") code
    code, problem = territory.resolve_commune(text)
    errors.check("commune", problem is None, problem or "")
    return code


def _visible(actor: Actor, uid: str) -> dict:
    event = store.event_detail(uid, actor.scope.as_params())
    if event is None:
        deny(actor, "event", uid)
    return event


def _writable(actor: Actor, uid: str) -> dict:
    """The event if the actor may change it: NotFound (traced) when invisible."""
    found = require_access(actor, "event", uid, write=True)
    if not found["writable"]:  # pragma: no cover - events have no read-only case today
        raise Forbidden("Vous ne pouvez pas modifier cet événement.")
    return _visible(actor, uid)


def when_text(starts_at: str | None, ends_at: str | None) -> str:
    """ "10/03/2026, 09:30 – 12:00", "10/03/2026 – 12/03/2026", "10/03/2026"."""
    start_day, start_time = _split(starts_at)
    end_day, end_time = _split(ends_at)
    if start_day is None:
        return ""
    text = f"{start_day:%d/%m/%Y}" + (f", {start_time}" if start_time else "")
    if end_day and end_day != start_day:
        text += f" – {end_day:%d/%m/%Y}" + (f", {end_time}" if end_time else "")
    elif end_time and end_time != start_time:
        text += f" – {end_time}"
    return text


def _labelled(event: dict) -> dict:
    labelled = {
        **event,
        "kind_label": EVENT_KINDS.get(event.get("kind"), event.get("kind") or ""),
        "module_label": TRAINING_MODULES.get(event.get("module") or "", ""),
        "when": when_text(event.get("starts_at"), event.get("ends_at")),
        "cancelled": bool(event.get("cancelled_at")),
    }
    if "role" in event:
        labelled["role_label"] = ATTENDANCE_ROLES.get(event["role"] or "", "")
    if "participants" in event and isinstance(event["participants"], list):
        labelled["participants"] = [
            {
                **p,
                "name": person_name(p["first_name"], p["last_name"]) if p.get("named") else "",
                "role_label": ATTENDANCE_ROLES.get(p.get("role") or "", ""),
            }
            for p in event["participants"]
        ]
    return labelled
