"""The kinds of records users edit, described once: label, scope predicates, display name.

Adding a kind (events…) is one entry of ``KINDS``; the access check, the refusal trace, the
journal's names, the history, timelines and dedupe read this table instead of branching on
``if kind == "person"``. Codes are what the audit trail stores as ``target_kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.database import run
from graph.scope import (
    event_visible,
    event_writable,
    organisation_visible,
    organisation_writable,
    person_visible,
    person_writable,
)

__all__ = [
    "KINDS",
    "RecordKind",
    "UnknownKind",
    "access",
    "display_names",
    "record_kind",
    "visible_names",
]


@dataclass(frozen=True)
class RecordKind:
    """One kind of record, as the graph knows it."""

    code: str  # "person": the code in URLs' use cases and in the audit trail
    label: str  # the node label, from this table only (never input)
    noun: str  # French, for messages: "personne"
    plural: str  # "personnes"
    missing: str  # "Personne introuvable"
    visible: Callable[[str], str]  # Cypher predicate on a bound variable
    writable: Callable[[str], str]
    display: str  # Cypher expression of the record's display name, over the variable ``n``
    personal: bool = False  # personal data (law 09-08): every consultation is traced

    def match(self, var: str = "n") -> str:
        """``MATCH (<var>:<Label> {uid: $uid})``."""
        return "MATCH (" + var + ":" + self.label + " {uid: $uid}) "


KINDS: dict[str, RecordKind] = {
    "person": RecordKind(
        code="person",
        label="Person",
        noun="personne",
        plural="personnes",
        missing="Personne introuvable",
        visible=person_visible,
        writable=person_writable,
        # "Prénom NOM", as ``crm.labels.person_name`` writes it in pages.
        display="trim(coalesce(n.first_name, '') + ' ' + toUpper(coalesce(n.last_name, '')))",
        personal=True,
    ),
    "organisation": RecordKind(
        code="organisation",
        label="Organisation",
        noun="organisation",
        plural="organisations",
        missing="Organisation introuvable",
        visible=organisation_visible,
        writable=organisation_writable,
        display="n.name",
    ),
    "event": RecordKind(
        code="event",
        label="Event",
        noun="événement",
        plural="événements",
        missing="Événement introuvable",
        visible=event_visible,
        writable=event_writable,
        display="n.title",
    ),
}


class UnknownKind(LookupError):
    """A kind code that is not in ``KINDS`` (from a URL, say)."""


def record_kind(code: str) -> RecordKind:
    try:
        return KINDS[code]
    except KeyError:
        raise UnknownKind(code) from None


def _access_query(kind: RecordKind) -> str:
    return (
        kind.match("n")
        + "RETURN "
        + kind.visible("n")
        + " AS visible, "
        + kind.writable("n")
        + " AS writable"
    )


_ACCESS = {code: _access_query(kind) for code, kind in KINDS.items()}


def access(code: str, uid: str, scope: dict) -> dict:
    """``{'exists', 'visible', 'writable'}`` for one record under ``scope``."""
    rows = run(_ACCESS[record_kind(code).code], uid=uid, **scope)
    if not rows:
        return {"exists": False, "visible": False, "writable": False}
    return {"exists": True, **rows[0]}


_DISPLAY = {
    code: "UNWIND $uids AS uid MATCH (n:"
    + kind.label
    + " {uid: uid}) RETURN n.uid AS uid, "
    + kind.display
    + " AS name"
    for code, kind in KINDS.items()
}


def display_names(targets: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The current display name of each ``(kind, uid)`` that still exists (one query a kind)."""
    wanted: dict[str, set[str]] = {}
    for code, uid in targets:
        if code in KINDS and uid:
            wanted.setdefault(code, set()).add(uid)
    names: dict[tuple[str, str], str] = {}
    for code, uids in wanted.items():
        for row in run(_DISPLAY[code], uids=sorted(uids)):
            names[(code, row["uid"])] = row["name"]
    return names


def _visible_names_query() -> str:
    # One UNWIND a kind, each over its own parameter ($uids_person…), in one statement.
    parts = [
        "UNWIND $uids_"
        + code
        + " AS uid MATCH (n:"
        + kind.label
        + " {uid: uid}) WHERE "
        + kind.visible("n")
        + " RETURN '"
        + code
        + "' AS kind, n.uid AS uid, "
        + kind.display
        + " AS name"
        for code, kind in KINDS.items()
    ]
    return "CALL () { " + " UNION ALL ".join(parts) + " } RETURN kind, uid, name"


_VISIBLE_NAMES = _visible_names_query()


def visible_names(targets: list[tuple[str, str]], scope: dict) -> dict[tuple[str, str], str]:
    """The display name of each ``(kind, uid)`` that exists and is visible under ``scope``,
    in one round trip whatever the kinds (nothing is sent when ``targets`` is empty)."""
    wanted: dict[str, list[str]] = {code: [] for code in KINDS}
    for code, uid in targets:
        record_kind(code)
        if uid and uid not in wanted[code]:
            wanted[code].append(uid)
    if not any(wanted.values()):
        return {}
    params = {"uids_" + code: uids for code, uids in wanted.items()}
    rows = run(_VISIBLE_NAMES, **params, **scope)
    return {(row["kind"], row["uid"]): row["name"] for row in rows}
