"""Law 09-08 (CNDP): subject access, opposition, anonymisation and retention of personal data."""

from __future__ import annotations

from datetime import date

from crm import audit, clock, labels, text
from crm.access import Actor, require_role
from crm.errors import Forbidden, Invalid, NotFound
from crm.records import require_access
from crm.transactions import reads, writes
from graph import audit as audit_store
from graph import privacy as store

__all__ = [
    "PARTIAL_NOTICE",
    "anonymise",
    "apply_retention",
    "readable",
    "set_opposition",
    "subject_access",
]

# Who handles data-protection requests.
_PRIVACY_ROLES = ("admin", "manager", "officer")
# Who may export everything held, whatever the territory and with the staff who acted.
_FULL_EXPORT_ROLES = ("admin",)
# Stated in a partial export (JSON), so the file says what it leaves out.
PARTIAL_NOTICE = (
    "Vue partielle, limitée au périmètre de la personne qui l'a produite : fonctions et "
    "échanges visibles depuis ce territoire, historique des traitements sans l'identité des "
    "membres de l'équipe. L'export complet est réservé aux administrateurs."
)


@reads
def subject_access(actor: Actor, uid: str) -> dict:
    """What is held on one person (law 09-08, right of access), as plain data.

    Administrators get the full export: every function whatever the territory, every
    interaction, the processing history with the staff who acted. Any other role gets what its
    scope allows (functions at organisations it may see, interactions it may see) and the
    history without the staff's identity; ``partial`` is then true.
    """
    _require_visible(actor, uid)
    require_role(actor, *_PRIVACY_ROLES)
    full = actor.role in _FULL_EXPORT_ROLES
    record = store.subject_record(uid, None if full else actor.scope.as_params())
    if record is None:
        raise NotFound(uid)
    if record["partial"]:
        record["notice"] = PARTIAL_NOTICE
    else:
        record["events"] = _with_staff_names(record["events"])
    audit.record(
        actor,
        "privacy",
        target_kind="person",
        target_uid=uid,
        summary="Export du droit d'accès" + ("" if full else " (vue partielle)"),
        details={"partial": not full},
    )
    return record


def readable(record: dict) -> dict:
    """A ``subject_access`` record as its page shows it (the JSON keeps the codes): ``facts``,
    the person's fields as ``(label, text)`` in a fixed order, and each interaction with its
    ``kind_label``."""
    person = record["person"]
    ordered = [f for f in labels.FIELD_LABELS if f in person] + sorted(
        f for f in person if f not in labels.FIELD_LABELS
    )
    facts = [
        (labels.field_label(f), labels.value_text(f, person[f], "person"))
        for f in ordered
        if f not in _NOT_SHOWN
    ]
    if record.get("commune"):
        facts.append((labels.field_label("commune"), record["commune"]))
    return {
        **record,
        "name": labels.person_name(person.get("first_name"), person.get("last_name")),
        "facts": [(label, text) for label, text in facts if text],
        "interactions": [
            {**i, "kind_label": labels.value_text("kind", i.get("kind"), "interaction")}
            for i in record["interactions"]
        ],
    }


# Identifiers and bookkeeping: in the JSON export, not on the page.
_NOT_SHOWN = frozenset({"uid", "merged_uids", "version", "privacy_incomplete"})


def _with_staff_names(events: list[dict]) -> list[dict]:
    """The full history's events with ``by_name``: the staff member's display name now."""
    uids = sorted({e["by_uid"] for e in events if e.get("by_uid")})
    found = audit_store.names_of(uids) if uids else {}
    return [
        {**e, "by_name": (found.get(e.get("by_uid") or "") or {}).get("name") or e.get("by")}
        for e in events
    ]


@writes
def set_opposition(actor: Actor, uid: str, opposed: bool, *, confirmed: bool) -> None:
    """The person objects (or no longer objects) to appearing in maps, analyses and exports.

    ``confirmed``: the user ticked the confirmation box; without it ``Invalid`` (key
    ``confirm``), checked after the access rules so that a record outside the scope is 404.
    """
    access = _require_visible(actor, uid)
    require_role(actor, *_PRIVACY_ROLES)
    if not access["writable"]:
        raise Forbidden("Fiche en lecture seule pour votre rôle.")
    if not confirmed:
        raise Invalid(
            {
                "confirm": "Cochez la case de confirmation pour "
                + ("enregistrer l'opposition." if opposed else "lever l'opposition.")
            }
        )
    store.set_opposition(uid, opposed)
    audit.record(
        actor,
        "privacy",
        target_kind="person",
        target_uid=uid,
        summary="Opposition enregistrée" if opposed else "Opposition levée",
    )


CONFIRMATION = "ANONYMISER"


@writes
def anonymise(actor: Actor, uid: str, confirmation: str) -> None:
    """Remove the person's identity for good, keeping the network's shape.

    ``confirmation`` must be the word ANONYMISER, typed by the user.
    """
    _require_visible(actor, uid)  # before the role check: outside the scope is always 404
    require_role(actor, "admin", "manager")
    if (confirmation or "").strip().upper() != CONFIRMATION:
        raise Invalid({"confirm": "Tapez ANONYMISER pour confirmer : l'opération est définitive."})
    _anonymise(uid)
    audit.record(actor, "privacy", target_kind="person", target_uid=uid, summary="Fiche anonymisée")


def apply_retention(today: date | None = None) -> int:
    """Anonymise every person whose retention date has passed (before the programme's
    ``today``); returns how many. Each person is one unit of work with its audit entry."""
    uids = store.expired_people(today or clock.today())
    for uid in uids:
        _retire(uid)
    return len(uids)


@writes
def _retire(uid: str) -> None:
    _anonymise(uid)
    audit.record(
        None,
        "privacy",
        target_kind="person",
        target_uid=uid,
        summary="Fiche anonymisée (durée de conservation échue)",
        actor_email="system",
    )


def _anonymise(uid: str) -> None:
    label = "anonymisée " + uid[:6]
    if not store.anonymise_person(uid, label, text.sort_key(label, "Personne")):
        raise NotFound(uid)


def _require_visible(actor: Actor, uid: str) -> dict:
    return require_access(actor, "person", uid)
