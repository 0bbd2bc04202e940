"""Exports of lists (CSV and XLSX for spreadsheets), scoped, audited, without opposed people.

An export holds what the list shows: the same search, filters and sort, every page of it, in
the same order, within the actor's scope. Each list declares its columns here (French
headers, Arabic ones where the list has Arabic names); ``crm.listexport`` writes the file and
the audit entry. People who opposed or were anonymised are never named: they are left out
of the lists of people and participants, and out of the names of an interaction's
participants. Exports are for ``EXPORT_ROLES`` (not viewers).

Lists: ``people`` (``crm.people.search_people``), ``organisations``
(``crm.organisations.search_organisations``), ``events`` (``crm.events.search_events``),
``attendance`` (one event's participants, as its page lists them), ``attendance_of_events``
(the participants of the events the events list shows), ``interactions`` (the interactions
with a person or an organisation, as its page's timeline lists them) and ``follow_ups``
("Mes suivis": the actor's follow-ups, bucket by bucket, then those done lately).
"""

from __future__ import annotations

from datetime import date

from crm import events, followups, labels, organisations
from crm.access import Actor, require_role
from crm.errors import Invalid, NotFound
from crm.listexport import Column, Download, export_list
from crm.search import build_query
from crm.transactions import reads
from graph import contacts, listexports
from graph import events as event_store
from graph import interactions as interaction_store
from graph.vocabulary import ATTENDANCE_ROLES, ORGANISATION_KINDS

__all__ = [
    "EXPORT_ROLES",
    "attendance",
    "attendance_of_events",
    "events_list",
    "follow_ups",
    "interactions",
    "list_filters",
    "organisations_list",
    "people",
    "people_csv",
    "people_to_export",
]

EXPORT_ROLES = ("admin", "manager", "officer", "analyst")
# "Every page" of a search: more than any scope holds, and a 64-bit LIMIT for Neo4j.
_ALL = 2**31 - 1
UNNAMED = "Personne non nommée"


def _get(key: str):
    return lambda row: row.get(key)


def _label(vocabulary: dict[str, str], key: str):
    return lambda row: vocabulary.get(row.get(key) or "", row.get(key) or "")


# --- columns of each list ------------------------------------------------------------------

PEOPLE_COLUMNS = (
    Column("Nom", _get("last_name")),
    Column("Prénom", _get("first_name")),
    Column("الاسم العائلي", _get("last_name_ar"), arabic=True),
    Column("الاسم الشخصي", _get("first_name_ar"), arabic=True),
    Column("Genre", lambda r: labels.value_text("gender", r["gender"]), width=10),
    Column("Téléphone", lambda r: ", ".join(r["phones"] or []), width=18),
    Column("E-mail", lambda r: ", ".join(r["emails"] or []), width=28),
    Column("Commune", _get("commune")),
    Column("Fonctions actuelles", lambda r: "; ".join(r["functions"]), width=40),
)
ORGANISATION_COLUMNS = (
    Column("Nom", _get("name"), width=40),
    Column("Sigle", _get("acronym"), width=12),
    Column("الاسم", _get("name_ar"), arabic=True, width=40),
    Column("Type", _label(ORGANISATION_KINDS, "kind")),
    Column("Commune", _get("commune_name")),
    Column("Institution nationale", lambda r: bool(r.get("shared")), width=12),
)
EVENT_COLUMNS = (
    Column("Date", _get("when"), width=28),
    Column("Début", _get("start_date"), width=12),
    Column("Événement", _get("title"), width=40),
    Column("Type", _get("kind_label")),
    Column("Commune", _get("commune_name")),
    Column("Lieu", _get("venue")),
    Column("Thèmes", lambda r: labels.value_text("themes", r.get("themes")), width=30),
    Column("Participants", _get("participants"), width=12),
    Column("Annulé", lambda r: bool(r.get("cancelled")), width=10),
)
ATTENDANCE_COLUMNS = (
    Column("Événement", _get("event_title"), width=40),
    Column("Date", lambda r: events.when_text(r["starts_at"], r["ends_at"]), width=28),
    Column("Commune", _get("commune_name")),
    Column("Nom", _get("last_name")),
    Column("Prénom", _get("first_name")),
    Column("الاسم العائلي", _get("last_name_ar"), arabic=True),
    Column("الاسم الشخصي", _get("first_name_ar"), arabic=True),
    Column("Genre", lambda r: labels.value_text("gender", r["gender"]), width=10),
    Column("Téléphone", lambda r: ", ".join(r["phones"] or []), width=18),
    Column("E-mail", lambda r: ", ".join(r["emails"] or []), width=28),
    Column("Rôle", _label(ATTENDANCE_ROLES, "role")),
    Column("Venu(e) pour", _get("for_organisation_name"), width=30),
)
INTERACTION_COLUMNS = (
    Column("Date", _get("date"), width=12),
    Column("Heure", _get("start_time"), width=8),
    Column("Type", _label(interaction_store.INTERACTION_KINDS, "kind")),
    Column("Statut", _label(interaction_store.INTERACTION_STATUSES, "status"), width=12),
    Column("Commune", lambda r: (r.get("place") or {}).get("name_fr")),
    Column("Lieu", _get("venue")),
    Column("Personnes", lambda r: [p["name"] for p in r["people"]], width=30),
    Column("Organisations", lambda r: [o["name"] for o in r["organisations"]], width=30),
    Column("Résumé", _get("summary"), width=60),
    Column(
        "Suivis",
        lambda r: "; ".join(
            f"{f['what']} ({f['assignee_name'] or 'non assigné'}, "
            f"pour le {labels.value_text('due', f['due'])}{', fait' if f['done_at'] else ''})"
            for f in r["follow_ups"]
        ),
        width=50,
    ),
    Column("Saisie par", _get("logged_by_name")),
)
FOLLOW_UP_COLUMNS = (
    Column("Statut", _get("bucket_label"), width=24),
    Column("Action", _get("what"), width=50),
    Column("Échéance", _get("due"), width=12),
    Column("Interaction", _get("kind_label")),
    Column("Date de l'interaction", _get("date"), width=12),
    Column(
        "Avec",
        lambda r: [p["name"] for p in r["people"]] + [o["name"] for o in r["organisations"]],
        width=40,
    ),  # noqa: E501
    Column("Résumé", _get("summary"), width=50),
    Column("Fait le", _get("done_at"), width=16),
)


# --- people --------------------------------------------------------------------------------


@reads
def people(
    actor: Actor,
    fmt: str,
    text: str = "",
    sort: str = "",
    *,
    territory: str = "",
    theme: str = "",
) -> Download:
    """The people of the list in ``fmt`` ("csv" or "xlsx"). Arguments as for
    ``crm.people.search_people``; raises ``Invalid`` (on "commune") for a commune that does
    not exist."""
    rows = people_to_export(actor, text, sort, territory=territory, theme=theme)
    return export_list(
        actor, fmt, PEOPLE_COLUMNS, rows, name="personnes", title="Personnes",
        target_kind="person", filters=list_filters(text, sort, territory, theme),
    )  # fmt: skip


@reads
def people_csv(
    actor: Actor, text: str = "", sort: str = "", *, territory: str = "", theme: str = ""
) -> str:
    """The people of the list as CSV text (UTF-8 with BOM so Excel reads Arabic)."""
    file = people(actor, "csv", text, sort, territory=territory, theme=theme)
    return file.content.decode("utf-8")


@reads
def people_to_export(
    actor: Actor, text: str = "", sort: str = "", *, territory: str = "", theme: str = ""
) -> list[dict]:
    """The rows of ``graph.contacts.export_people`` for the people of the list, in its order.

    Export roles only; people who opposed or were anonymised are left out. Not audited: the
    caller records the export with its format.
    """
    require_role(actor, *EXPORT_ROLES)
    scope = actor.scope.as_params()
    query = build_query(
        text, sort, contacts.PEOPLE_SORTS, 0, _ALL, territory=territory, theme=theme
    )
    if not (query.params()["lucene"] or query.territory or query.theme) and query.sort == "name":
        return contacts.export_people(scope)  # the whole list, already in name order
    found, _ = contacts.search_people(query, scope)
    position = {row["uid"]: i for i, row in enumerate(found)}
    rows = contacts.export_people(scope, uids=list(position)) if position else []
    return sorted(rows, key=lambda row: position[row["uid"]])


def list_filters(text: str, sort: str, territory: str, theme: str) -> dict:
    """The search of an export as the audit trail keeps it (empty values left out)."""
    given = {"q": text, "tri": sort, "territory": territory, "theme": theme}
    return {name: value for name, value in given.items() if value}


# --- organisations -------------------------------------------------------------------------


@reads
def organisations_list(
    actor: Actor,
    fmt: str,
    text: str = "",
    kind: str | None = None,
    sort: str = "",
    *,
    territory: str = "",
    theme: str = "",
) -> Download:
    """The organisations of the list (``crm.organisations.search_organisations``, every
    page); ``Invalid`` (on "commune") for a commune that does not exist."""
    require_role(actor, *EXPORT_ROLES)
    found = organisations.search_organisations(
        actor, text, kind, sort, territory=territory, theme=theme, per_page=_ALL
    )
    _refuse_problem(found.problem, "commune")
    filters = {"q": text, "type": kind, "tri": sort, "territory": territory, "theme": theme}
    return export_list(
        actor, fmt, ORGANISATION_COLUMNS, found.items, name="organisations",
        title="Organisations", target_kind="organisation", filters=filters,
    )  # fmt: skip


# --- events and attendance -----------------------------------------------------------------


@reads
def events_list(actor: Actor, fmt: str, **filters) -> Download:
    """The events of the list; ``filters`` as ``crm.events.search_events`` takes them
    (``text``, ``kind``, ``territory_text``, ``theme``, ``start``, ``end``, ``sort``).
    ``Invalid`` when a filter cannot be read (the list says why)."""
    rows = _events(actor, filters)
    return export_list(
        actor, fmt, EVENT_COLUMNS, rows, name="evenements", title="Événements",
        target_kind="event", filters=filters,
    )  # fmt: skip


@reads
def attendance_of_events(actor: Actor, fmt: str, **filters) -> Download:
    """The participants of every event of the list (filters as for ``events_list``), the
    events in the list's order, people by name within each."""
    uids = [row["uid"] for row in _events(actor, filters)]
    rows = listexports.attendance_of_events(uids, actor.scope.as_params())
    return export_list(
        actor, fmt, ATTENDANCE_COLUMNS, rows, name="participations",
        title="Participations aux événements", target_kind="event", filters=filters,
    )  # fmt: skip


@reads
def attendance(actor: Actor, fmt: str, event_uid: str) -> Download:
    """The participants of one event, as its page lists them (NotFound if not visible)."""
    require_role(actor, *EXPORT_ROLES)
    event = event_store.event_detail(event_uid, actor.scope.as_params())
    if event is None:
        raise NotFound(event_uid)
    rows = listexports.attendance_of_events([event_uid], actor.scope.as_params())
    return export_list(
        actor, fmt, ATTENDANCE_COLUMNS, rows, name=f"participants-{_file_part(event['title'])}",
        title="Participants", target_kind="event", target_uid=event_uid, filters={},
    )  # fmt: skip


def _events(actor: Actor, filters: dict) -> list[dict]:
    require_role(actor, *EXPORT_ROLES)
    found = events.search_events(actor, page=1, per_page=_ALL, **filters)
    _refuse_problem(found.problem, "")
    return found.items


# --- interactions and follow-ups -----------------------------------------------------------


@reads
def interactions(actor: Actor, fmt: str, kind: str, uid: str) -> Download:
    """The interactions with a person (``kind`` "person") or organisation, newest first, as
    its page's timeline lists them (all of them). NotFound if the record is not visible;
    ``Invalid`` for a person who opposed or was anonymised (their interactions are not
    exported). People taking part who may not be named are left out of "Personnes"."""
    require_role(actor, *EXPORT_ROLES)
    if kind not in ("person", "organisation"):
        raise NotFound(uid)
    if kind == "person" and listexports.not_nameable([uid]):
        raise Invalid({"": "Cette personne s'est opposée au traitement ou a été anonymisée : "
                           "ses interactions ne sont pas exportées."})  # fmt: skip
    found = interaction_store.timeline(kind, uid, actor.scope.as_params(), _ALL)
    if found is None:
        raise NotFound(uid)
    rows = _named_only(found[0])
    return export_list(
        actor, fmt, INTERACTION_COLUMNS, rows, name="interactions", title="Interactions",
        target_kind=kind, target_uid=uid, filters={},
    )  # fmt: skip


@reads
def follow_ups(actor: Actor, fmt: str, today: date | None = None) -> Download:
    """The actor's follow-ups as "Mes suivis" lists them: each bucket in turn (overdue,
    today, this week, later), then those done in the last days."""
    require_role(actor, *EXPORT_ROLES)
    mine = followups.my_follow_ups(actor, today=today, every=True)
    rows = [
        {**item, "bucket_label": heading}
        for code, heading in followups.BUCKETS.items()
        for item in mine[code]
    ] + [{**item, "bucket_label": "Fait"} for item in mine["done"]]
    return export_list(
        actor, fmt, FOLLOW_UP_COLUMNS, _named_only(rows), name="suivis", title="Mes suivis",
        target_kind="follow_up", filters={"au": mine["as_of"].isoformat()},
    )  # fmt: skip


def _named_only(rows: list[dict]) -> list[dict]:
    """``rows`` (of interactions) without the people who may not be named among ``people``."""
    hidden = listexports.not_nameable([p["uid"] for row in rows for p in row["people"]])
    if not hidden:
        return rows
    return [{**row, "people": [p for p in row["people"] if p["uid"] not in hidden]} for row in rows]


def _refuse_problem(problem: str | None, field: str) -> None:
    """A list whose filters cannot be applied is not exported: ``Invalid`` saying why."""
    if problem:
        raise Invalid({field or "": problem})


def _file_part(title: str) -> str:
    return "-".join(title.split())[:60] or "evenement"
