"""The graph schema, as neomodel classes: the one place to read the whole graph.

Most writes are Cypher in the ``graph`` modules; every label, relationship type and property
they use is declared here, so the schema (constraints, indexes) and this map stay true.

Nodes
    Region, Province, Commune — the administrative geography (HCP codes as keys), reference data.
    Organisation, Person, Interaction, User — records users edit: each carries ``uid``,
    ``created_at``, ``updated_at`` and ``version`` (incremented on every write, for
    optimistic locking). Person and Organisation keep ``merged_uids``, the uids of the records
    merged into them (old links redirect, their history stays readable).
    FollowUp — an action promised in an interaction.
    AuditEvent — the append-only audit trail (who did what to which record, when).
    Event — a training, consultation, coordination meeting… held in a commune (a record).
    Setting — a number managers change (cadences); LoginThrottle — failed sign-ins.
    Snapshot — a network analysis saved under a name at a date (immutable, audited).
    DataVersion — a counter every write use case raises (caches of the analysis).
    Generated — a second label on every node written by the data generator
    (``seeds.generator``, ``graph.bulk``): ``flask seeds remove-generated`` deletes them.
    Import — a committed spreadsheet import (who, when, file, counts), ``-[:CREATED]->`` the
    records it created and ``-[:MATCHED]->`` those it linked rows to; ImportDraft (with its
    file in ImportChunk nodes) — an upload between its steps; ImportMapping — a column mapping
    saved under a name (``graph.imports``).
Relationships
    (Commune)-[:IN]->(Province)-[:IN]->(Region)
    (Organisation)-[:LOCATED_IN]->(Commune)             its seat; decides whose territory it is in
    (Person)-[:LOCATED_IN]->(Commune)                   optional home/work commune
    (Organisation)-[:PART_OF]->(Organisation)          e.g. IECGAG -> commune council
    (Person)-[:AFFILIATED_WITH {uid, role, since, until, focal_point, succeeds}]->(Organisation)
                                                       ``succeeds``: uid of the function handed over
    (Person|Organisation)-[:NOT_DUPLICATE_OF {by, at}]->(same kind)   a dismissed candidate pair
    (Interaction)-[:WITH]->(Person|Organisation)      who took part
    (Interaction)-[:HELD_IN]->(Commune)               optional place (with a free-text venue)
    (User)-[:LOGGED]->(Interaction)                   who logged it
    (FollowUp)-[:ABOUT]->(Interaction), (FollowUp)-[:ASSIGNED_TO]->(User)
    (User)-[:COVERS]->(Region|Province|Commune)       an account's territory
    (Event)-[:HELD_IN]->(Commune)                       where (one commune; ``venue`` in it)
    (Organisation)-[:ORGANISED]->(Event)               the organisers
    (Person)-[:ATTENDED {uid, role, for_organisation, added_at}]->(Event)
                                                       ``for_organisation``: uid of the
                                                       organisation the person came for
    (Import)-[:CREATED|MATCHED]->(Person|Organisation); functions and attendances an import
    added carry ``import_uid``; (ImportChunk)-[:PART_OF]->(ImportDraft)
    (Organisation)-[:PARTNERS_WITH {uid, kind, title, since, until, status, version,
                                    created_at, updated_at}]->(Organisation)
                                                       one partnership; direction carries no
                                                       meaning (read both ways)

Uniqueness constraints and indexes are installed by ``graph.schema.install_schema`` (CLI
``flask graph install-schema``), never at import.
"""

from __future__ import annotations

from datetime import UTC, datetime

from neomodel import (
    ArrayProperty,
    BooleanProperty,
    DateProperty,
    DateTimeNeo4jFormatProperty,
    FloatProperty,
    IntegerProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
    UniqueIdProperty,
    ZeroOrOne,
)

from graph.vocabulary import (
    AGE_BANDS,
    ATTENDANCE_ROLES,
    COMMUNE_TYPES,
    EVENT_KINDS,
    GENDERS,
    LANGUAGES,
    LEGAL_BASES,
    ORGANISATION_KINDS,
    PARTNERSHIP_KINDS,
    PARTNERSHIP_STATUSES,
    PROVINCE_TYPES,
    THEMES,
    TRAINING_MODULES,
    USER_ROLES,
)

__all__ = [
    "Affiliation",
    "AuditEvent",
    "DataVersion",
    "Attendance",
    "Commune",
    "Event",
    "FollowUp",
    "Import",
    "ImportChunk",
    "ImportDraft",
    "ImportMapping",
    "Interaction",
    "LoginThrottle",
    "NotDuplicate",
    "Organisation",
    "Partnership",
    "Person",
    "Province",
    "Region",
    "Setting",
    "Snapshot",
    "User",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Record(StructuredNode):
    """Fields every user-edited record carries."""

    __abstract_node__ = True

    uid = UniqueIdProperty()
    created_at = DateTimeNeo4jFormatProperty(default=utcnow)
    updated_at = DateTimeNeo4jFormatProperty(default=utcnow)
    version = IntegerProperty(default=1)


# --- administrative geography (reference data) ---------------------------------------------


class Region(StructuredNode):
    code = StringProperty(unique_index=True, required=True)  # HCP code, e.g. "02"
    name_fr = StringProperty(required=True)
    name_ar = StringProperty()
    population_2024 = IntegerProperty()
    programme = BooleanProperty(default=False, index=True)  # one of the 5 programme regions

    provinces = RelationshipFrom("Province", "IN")


class Province(StructuredNode):
    code = StringProperty(unique_index=True, required=True)  # e.g. "02.411"
    name_fr = StringProperty(required=True)
    name_ar = StringProperty()
    type = StringProperty(choices=PROVINCE_TYPES)
    population_2024 = IntegerProperty()

    region = RelationshipTo(Region, "IN", cardinality=ZeroOrOne)
    communes = RelationshipFrom("Commune", "IN")


class Commune(StructuredNode):
    code = StringProperty(unique_index=True, required=True)  # e.g. "02.411.01.01"
    name_fr = StringProperty(required=True, index=True)
    name_ar = StringProperty()
    type = StringProperty(choices=COMMUNE_TYPES)
    population_2024 = IntegerProperty()
    population_2014 = IntegerProperty()
    lat = FloatProperty()
    lon = FloatProperty()
    search_key = StringProperty(index=True)  # normalised French name, for lookups
    # One of the programme's pilot communes, since ``pilot_since`` (edited by managers, with
    # history in the audit trail under target_kind "commune", target_uid = code).
    pilot = BooleanProperty(default=False, index=True)
    pilot_since = DateProperty()
    # Marked pilot by the data generator (``seeds.generator``), unmarked when generated data
    # is removed; a manager's change of the commune's pilot status clears it.
    pilot_generated = BooleanProperty()

    province = RelationshipTo(Province, "IN", cardinality=ZeroOrOne)


# --- contacts --------------------------------------------------------------------------------
class NotDuplicate(StructuredRel):
    """Two records a user declared distinct: never proposed as duplicates again."""

    by = StringProperty()  # e-mail of the user who decided
    at = DateTimeNeo4jFormatProperty(default=utcnow)


class Partnership(StructuredRel):
    """(Organisation)-[:PARTNERS_WITH]->(Organisation): a convention, MoU, subsidy…"""

    uid = UniqueIdProperty()
    kind = StringProperty(choices=PARTNERSHIP_KINDS, required=True)
    title = StringProperty(required=True)
    since = DateProperty()
    until = DateProperty()
    status = StringProperty(choices=PARTNERSHIP_STATUSES, default="active")
    version = IntegerProperty(default=1)
    created_at = DateTimeNeo4jFormatProperty(default=utcnow)
    updated_at = DateTimeNeo4jFormatProperty(default=utcnow)


class Organisation(Record):
    name = StringProperty(required=True)
    name_ar = StringProperty()
    acronym = StringProperty()
    kind = StringProperty(choices=ORGANISATION_KINDS, required=True, index=True)
    # A shared national institution (DGCT, INDH, ANAPEC…): every user reads it, only national
    # roles edit it.
    shared = BooleanProperty(default=False, index=True)
    seed_key = StringProperty(unique_index=True)  # reference institutions loaded by seeds/
    email = StringProperty()
    phone = StringProperty()  # E.164
    website = StringProperty()
    social = StringProperty()  # a social-network page (http(s) link)
    themes = ArrayProperty(StringProperty(choices=THEMES))
    notes = StringProperty()
    search_key = StringProperty(index=True)
    name_key = StringProperty()  # transliteration-independent key (crm.text.name_key)
    # Derived from its interactions at each write of them (graph.last_contact).
    last_contact = DateProperty(index=True)  # date of the latest held interaction
    held_interactions = IntegerProperty()

    merged_uids = ArrayProperty(StringProperty())  # records merged into this one

    commune = RelationshipTo(Commune, "LOCATED_IN", cardinality=ZeroOrOne)
    parent = RelationshipTo("Organisation", "PART_OF", cardinality=ZeroOrOne)
    not_duplicates = RelationshipTo("Organisation", "NOT_DUPLICATE_OF", model=NotDuplicate)
    # Declared so that the schema holds the uniqueness of a partnership's uid (written and read
    # by the Cypher of ``graph.partnerships``, both directions).
    partners = RelationshipTo("Organisation", "PARTNERS_WITH", model=Partnership)


class Affiliation(StructuredRel):
    uid = UniqueIdProperty()
    role = StringProperty()
    since = DateProperty()
    until = DateProperty()
    focal_point = BooleanProperty(default=False)
    succeeds = StringProperty()  # uid of the function this one took over (mandate handover)
    created_at = DateTimeNeo4jFormatProperty(default=utcnow)


class Person(Record):
    first_name = StringProperty(required=True)
    last_name = StringProperty(required=True)
    first_name_ar = StringProperty()
    last_name_ar = StringProperty()
    gender = StringProperty(choices=GENDERS, default="")
    age_band = StringProperty(choices=AGE_BANDS, default="")
    languages = ArrayProperty(StringProperty(choices=LANGUAGES))
    emails = ArrayProperty(StringProperty())  # lower-case
    phones = ArrayProperty(StringProperty())  # E.164
    themes = ArrayProperty(StringProperty(choices=THEMES))
    notes = StringProperty()
    search_key = StringProperty(index=True)
    name_key = StringProperty()  # transliteration-independent key (crm.text.name_key)
    # Last then first name, folded (crm.text.sort_key): lists read it in order from the index.
    sort_key = StringProperty(index=True)
    # Law 09-08: why and on what basis the person's data is processed, and where it came from.
    legal_basis = StringProperty(choices=LEGAL_BASES)
    purpose = StringProperty()
    source = StringProperty()
    # Legal basis or purpose not given yet: the record is listed "à compléter" until they are.
    privacy_incomplete = BooleanProperty(default=False, index=True)
    opposition = BooleanProperty(default=False, index=True)  # kept out of maps and exports
    anonymised = BooleanProperty(default=False, index=True)
    retain_until = DateProperty(index=True)
    merged_uids = ArrayProperty(StringProperty())  # records merged into this one
    # Derived from its interactions at each write of them (graph.last_contact).
    last_contact = DateProperty(index=True)  # date of the latest held interaction
    held_interactions = IntegerProperty()

    commune = RelationshipTo(Commune, "LOCATED_IN", cardinality=ZeroOrOne)
    affiliations = RelationshipTo(Organisation, "AFFILIATED_WITH", model=Affiliation)
    not_duplicates = RelationshipTo("Person", "NOT_DUPLICATE_OF", model=NotDuplicate)


# --- application users ----------------------------------------------------------------------


class User(Record):
    email = StringProperty(unique_index=True, required=True)  # stored lower-case
    display_name = StringProperty(required=True)
    password_hash = StringProperty(required=True)
    role = StringProperty(choices=USER_ROLES, required=True)
    active = BooleanProperty(default=True)
    # Rotated to end every session of the user (logout everywhere, deactivation).
    session_token = StringProperty(unique_index=True, required=True)
    last_login_at = DateTimeNeo4jFormatProperty()
    # SHA-256 of the secret of the personal calendar (ICS) URL; rotated by the user, none
    # until they ask for one. The secret itself is shown once and never stored.
    calendar_token_hash = StringProperty(unique_index=True)

    # The territory: regions, provinces or communes (graph.team); none for national roles.
    covers_regions = RelationshipTo(Region, "COVERS")
    covers_provinces = RelationshipTo(Province, "COVERS")
    covers_communes = RelationshipTo(Commune, "COVERS")


class LoginThrottle(StructuredNode):
    """Failed sign-ins counted for one key ("account:<email>" or "address:<ip>").

    Shared by every web worker, so a lockout holds whichever process answers. Written only
    by the single-statement queries of ``graph.users``; ``crm.users`` sets the limits.
    """

    key = StringProperty(unique_index=True, required=True)
    failures = IntegerProperty(default=0)
    window_start = DateTimeNeo4jFormatProperty()  # first failure of the current window
    blocked_until = DateTimeNeo4jFormatProperty()
    updated_at = DateTimeNeo4jFormatProperty(index=True)  # last failure; stale ones are purged


# --- interactions, follow-ups and settings -------------------------------------------------
# Written by the Cypher of ``graph.interactions`` and ``graph.settings``; the classes declare
# the schema (constraints, indexes) and document the relationships.


class Interaction(Record):
    """A meeting, call, visit, e-mail or message an officer logged, or one they plan.

    (Interaction)-[:WITH]->(Person|Organisation)   who took part (at least one)
    (Interaction)-[:HELD_IN]->(Commune)             where, optionally (``venue`` says where in it)
    (User)-[:LOGGED]->(Interaction)                 the officer who logged it
    ``kind`` is a code of ``INTERACTION_KINDS`` and ``status`` one of ``INTERACTION_STATUSES``
    (both in ``graph.interactions``): "held" (dated today or earlier; interactions logged
    before statuses existed have none and count as held), or "planned" (dated today or later
    when planned), which later becomes "held" or "cancelled". ``start_time`` is the local
    time as "HH:MM". Edits are versioned (``graph.records.update_versioned``); deleting an
    interaction deletes its follow-ups.
    """

    kind = StringProperty(required=True, index=True)
    date = DateProperty(required=True, index=True)
    summary = StringProperty(required=True)
    status = StringProperty(default="held", index=True)  # a code of INTERACTION_STATUSES
    start_time = StringProperty()  # "HH:MM", the programme's local time
    venue = StringProperty()  # free text: "salle de réunion de la commune"

    people = RelationshipTo(Person, "WITH")
    organisations = RelationshipTo(Organisation, "WITH")
    place = RelationshipTo(Commune, "HELD_IN", cardinality=ZeroOrOne)
    logged_by = RelationshipFrom(User, "LOGGED", cardinality=ZeroOrOne)


class FollowUp(StructuredNode):
    """An action promised during an interaction: what, by whom, by when.

    (FollowUp)-[:ABOUT]->(Interaction), (FollowUp)-[:ASSIGNED_TO]->(User)
    ``done_at`` is set when it is marked done and removed when that is undone; deleting the
    interaction deletes its follow-ups.
    """

    uid = UniqueIdProperty()
    what = StringProperty(required=True)
    due = DateProperty(required=True, index=True)
    done_at = DateTimeNeo4jFormatProperty(index=True)
    created_at = DateTimeNeo4jFormatProperty(default=utcnow)
    updated_at = DateTimeNeo4jFormatProperty(default=utcnow)

    interaction = RelationshipTo(Interaction, "ABOUT", cardinality=ZeroOrOne)
    assignee = RelationshipTo(User, "ASSIGNED_TO", cardinality=ZeroOrOne)


class Attendance(StructuredRel):
    """(Person)-[:ATTENDED]->(Event): one participant of an event (at most one per pair)."""

    uid = UniqueIdProperty()
    role = StringProperty(choices=ATTENDANCE_ROLES, default="participant")
    for_organisation = StringProperty(index=True)  # uid of the Organisation the person came for
    added_at = DateTimeNeo4jFormatProperty(default=utcnow)


class Event(Record):
    """A training, workshop, consultation, coordination meeting… of the programme.

    (Event)-[:HELD_IN]->(Commune)           where (required: it decides whose scope it is in)
    (Organisation)-[:ORGANISED]->(Event)    the organisers
    (Person)-[:ATTENDED]->(Event)           the participants (``Attendance``)
    ``starts_at``/``ends_at`` are the programme's local date-times (Africa/Casablanca) as
    naive ISO strings "YYYY-MM-DDTHH:MM" plus ``start_date`` (a date, indexed, for periods).
    ``cancelled_at`` is set when the event is cancelled (it stays listed, marked cancelled).
    """

    title = StringProperty(required=True)
    kind = StringProperty(choices=EVENT_KINDS, required=True, index=True)
    starts_at = StringProperty(required=True)  # "YYYY-MM-DDTHH:MM", local time
    ends_at = StringProperty(required=True)
    start_date = DateProperty(required=True, index=True)
    venue = StringProperty()
    themes = ArrayProperty(StringProperty(choices=THEMES))
    description = StringProperty()
    module = StringProperty(choices=TRAINING_MODULES)  # trainings only
    cancelled_at = DateTimeNeo4jFormatProperty()
    cancel_reason = StringProperty()
    search_key = StringProperty(index=True)  # normalised title

    place = RelationshipTo(Commune, "HELD_IN", cardinality=ZeroOrOne)
    organisers = RelationshipFrom(Organisation, "ORGANISED")
    participants = RelationshipFrom(Person, "ATTENDED", model=Attendance)


class Setting(StructuredNode):
    """A whole-number setting managers change, e.g. key "cadence.commune_council" -> 30 days.

    Namespaces: "cadence.<kind>" (days, ``crm.cadence``); "checklist.<rule>.enabled" (0/1)
    and "checklist.<rule>.minimum" (a count): the actors expected in every commune
    (``crm.checklist``, rules by code).
    """

    key = StringProperty(unique_index=True, required=True)
    value = IntegerProperty(required=True)
    updated_at = DateTimeNeo4jFormatProperty(default=utcnow)
    updated_by = StringProperty()  # uid of the User who last changed it


# --- the audit trail ------------------------------------------------------------------------


class Snapshot(StructuredNode):
    """The network analysis of a scope saved at a date under a name (baseline, midline…).

    Immutable once written (no update, no deletion; ``graph.snapshots``), audited. ``scope``
    is the analysis scope as JSON (level, territory, window, kinds); ``communes`` the commune
    codes it covered (who may read it: ``crm.snapshots``); ``summary`` the figures as JSON —
    overall, per commune, the gaps with the uids they rest on — never a person's name.
    """

    uid = StringProperty(unique_index=True, required=True)
    name = StringProperty(unique_index=True, required=True)
    taken_on = DateProperty(required=True)
    created_at = DateTimeNeo4jFormatProperty(default=utcnow)
    created_by = StringProperty()  # uid of the User who saved it
    scope = StringProperty(required=True)
    communes = ArrayProperty(StringProperty())
    summary = StringProperty(required=True)


class Import(StructuredNode):
    """A committed import (``graph.imports``): undone as a whole while its records are
    unchanged. ``counts`` is JSON; ``rejected_csv`` the rows refused, with their errors."""

    uid = StringProperty(unique_index=True, required=True)
    at = DateTimeNeo4jFormatProperty(index=True)
    kind = StringProperty(required=True)
    filename = StringProperty()
    by_uid = StringProperty(index=True)
    by_email = StringProperty()
    status = StringProperty()  # done | undone
    counts = StringProperty()
    event_uid = StringProperty()
    rows = IntegerProperty()
    rejected = IntegerProperty()
    rejected_csv = StringProperty()


class ImportDraft(StructuredNode):
    """An uploaded file between the steps of an import, purged after some hours."""

    uid = StringProperty(unique_index=True, required=True)
    created_at = DateTimeNeo4jFormatProperty(index=True)
    owner_uid = StringProperty()
    kind = StringProperty()
    filename = StringProperty()
    status = StringProperty()


class ImportChunk(StructuredNode):
    """A piece of a draft's file (``data``: bytes), in order ``n``."""

    n = IntegerProperty()


class ImportMapping(StructuredNode):
    """Columns -> fields of an import kind, saved under a name for the next files."""

    uid = StringProperty(unique_index=True, required=True)
    kind = StringProperty(required=True)
    name = StringProperty(required=True)
    columns = StringProperty()


class DataVersion(StructuredNode):
    """A number every write use case raises (``graph.versions``): caches of what is computed
    from the data (the network analysis) are keyed by it."""

    key = StringProperty(unique_index=True, required=True)
    n = IntegerProperty(default=0)


class AuditEvent(StructuredNode):
    """One entry of the append-only audit trail (written by ``graph.audit`` only).

    ``target_kind``/``target_uid`` name the record concerned (a code of ``graph.kinds`` or
    "user", "audit"…); ``summary`` is readable text that never names a person (pages resolve
    the record's current name); ``details`` is JSON (changes as ``{field: [old, new]}``).
    Indexed on target, time and actor, so a record's history and the journal's pages read
    only the entries they show.
    """

    uid = StringProperty(unique_index=True, required=True)
    at = DateTimeNeo4jFormatProperty(index=True, required=True)
    action = StringProperty(required=True, index=True)
    actor_uid = StringProperty(index=True)
    actor_email = StringProperty(index=True)
    target_kind = StringProperty()
    target_uid = StringProperty(index=True)
    summary = StringProperty()
    details = StringProperty()
    address = StringProperty()
    user_agent = StringProperty()
