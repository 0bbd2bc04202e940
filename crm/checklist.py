"""The actors expected in every commune: a rule set managers edit, and what a commune lacks.

Rules
    Each rule names a kind of actor the programme expects in every commune (the commune
    council, its IECGAG, its youth council, at least one association, INDH, ANAPEC, a
    deconcentrated service). ``DEFAULT_RULES`` is the programme's list; managers switch each
    rule on or off and set its minimum number of records (1 to ``MAX_MINIMUM``), stored as
    ``Setting`` nodes "checklist.<code>.enabled" (0/1) and "checklist.<code>.minimum".
Matching
    A rule is met by the organisations *present in the commune*: located there
    (``LOCATED_IN``), or bodies ``PART_OF`` a commune council located there. An organisation
    matches a rule when its kind is one of the rule's kinds and, for rules with keywords, one
    of them appears as whole words in its name or acronym, or in those of the organisation it
    is ``PART_OF`` (a local INDH coordination recorded as part of the national INDH counts).
    So "INDH present" means: an INDH office, coordination or programme (kind national agency
    or deconcentrated service) seated in the commune. A shared national institution seated
    in Rabat is not present in every commune; interactions with it do not count either.
Evaluation
    ``evaluate(rules, organisations)`` is pure (no database): the network analysis reuses it
    for its "expected actor kinds missing" gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from crm import audit
from crm.access import Actor, require_role
from crm.errors import Invalid
from crm.text import search_key
from crm.transactions import reads, writes
from graph import settings

__all__ = [
    "DEFAULT_RULES",
    "MAX_MINIMUM",
    "Rule",
    "evaluate",
    "rules",
    "rules_for_edit",
    "set_rules",
]

MAX_MINIMUM = 20
_PREFIX = "checklist."
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class Rule:
    """One kind of actor expected in every commune."""

    code: str  # stable key: settings and the audit trail use it
    label: str  # French, as the checklist shows it
    kinds: frozenset[str]  # organisation kinds (graph.vocabulary.ORGANISATION_KINDS)
    keywords: tuple[str, ...] = ()  # any of them, as whole words of the name or acronym
    minimum: int = 1
    enabled: bool = True

    def matches(self, organisation: dict) -> bool:
        """Whether ``organisation`` (see ``evaluate``) is an actor of this rule."""
        if organisation.get("kind") not in self.kinds:
            return False
        if not self.keywords:
            return True
        parent = organisation.get("parent") or {}
        text = " ".join(
            search_key(value or "")
            for value in (
                organisation.get("name"),
                organisation.get("acronym"),
                parent.get("name"),
                parent.get("acronym"),
            )
        )
        padded = " " + text + " "
        return any(" " + search_key(word) + " " in padded for word in self.keywords)


_SERVICES = frozenset({"national_agency", "deconcentrated_service"})

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("commune_council", "Conseil communal", frozenset({"commune_council"})),
    Rule(
        "iecgag",
        "IECGAG (instance de l'équité, de l'égalité des chances et de l'approche genre)",
        frozenset({"council_body"}),
        ("iecgag", "equite", "egalite des chances", "approche genre"),
    ),
    Rule(
        "youth_council",
        "Conseil des jeunes",
        frozenset({"council_body"}),
        (
            "conseil des jeunes",
            "conseil communal des jeunes",
            "conseil de jeunes",
            "conseil de la jeunesse",
        ),
    ),
    Rule(
        "association",
        "Au moins une association",
        frozenset({"osc", "cooperative", "osc_network"}),
    ),
    Rule(
        "indh",
        "INDH (initiative nationale pour le développement humain)",
        _SERVICES,
        ("indh", "initiative nationale pour le developpement humain"),
    ),
    Rule(
        "anapec",
        "ANAPEC (agence nationale de promotion de l'emploi et des compétences)",
        _SERVICES,
        ("anapec", "agence nationale de promotion de l emploi"),
    ),
    Rule(
        "deconcentrated_service",
        "Un service déconcentré",
        frozenset({"deconcentrated_service"}),
    ),
)


def evaluate(rule_set: Iterable[Rule], organisations: Iterable[dict]) -> list[dict]:
    """Which enabled rules the organisations present in a commune meet.

    Parameters
    ----------
    rule_set : the rules (disabled ones are left out of the result)
    organisations : dicts with ``uid``, ``name``, ``acronym``, ``kind`` and optionally
        ``parent`` (``{"name", "acronym", "kind"}`` of the organisation it is ``PART_OF``)

    Returns
    -------
    One dict per enabled rule, in the rule set's order: ``rule`` (code), ``label``,
    ``minimum``, ``count``, ``present`` (count >= minimum) and ``records`` (the matching
    organisations, as given). Input is not modified.

    Examples
    --------
    >>> council = {"uid": "c1", "name": "Conseil communal d'Oujda", "kind": "commune_council"}
    >>> [(r["rule"], r["present"]) for r in evaluate(DEFAULT_RULES[:2], [council])]
    [('commune_council', True), ('iecgag', False)]
    """
    organisations = list(organisations)
    result = []
    for rule in rule_set:
        if not rule.enabled:
            continue
        records = [o for o in organisations if rule.matches(o)]
        result.append(
            {
                "rule": rule.code,
                "label": rule.label,
                "minimum": rule.minimum,
                "count": len(records),
                "present": len(records) >= rule.minimum,
                "records": records,
            }
        )
    return result


def rules() -> list[Rule]:
    """The rule set as managers left it (defaults for what they never changed). Joins the
    caller's transaction: one round trip."""
    stored = settings.get_settings(_keys())
    return [
        replace(
            rule,
            enabled=bool(stored.get(_key(rule, "enabled"), int(rule.enabled))),
            minimum=stored.get(_key(rule, "minimum"), rule.minimum),
        )
        for rule in DEFAULT_RULES
    ]


@reads
def rules_for_edit(actor: Actor) -> list[Rule]:
    """The rule set as the settings page shows it (managers only)."""
    require_role(actor, "manager")
    return rules()


@writes
def set_rules(actor: Actor, data: dict) -> list[Rule]:
    """Store which rules are on and their minimums; managers only.

    ``data`` holds, for each rule code, ``<code>_enabled`` (truthy or not) and
    ``<code>_minimum`` (a whole number from 1 to ``MAX_MINIMUM``, as typed). A wrong minimum
    raises ``Invalid`` naming its field, and nothing is stored. The change is audited
    (target "setting"/"checklist", changes per rule).
    """
    require_role(actor, "manager")
    errors: dict[str, str] = {}
    wanted: list[Rule] = []
    for rule in DEFAULT_RULES:
        minimum, problem = _minimum(data.get(rule.code + "_minimum"))
        if problem:
            errors[rule.code + "_minimum"] = problem
            continue
        wanted.append(
            replace(rule, enabled=bool(data.get(rule.code + "_enabled")), minimum=minimum)
        )
    if errors:
        raise Invalid(errors)
    before = {rule.code: rule for rule in rules()}
    settings.set_settings(
        {
            key: value
            for rule in wanted
            for key, value in (
                (_key(rule, "enabled"), int(rule.enabled)),
                (_key(rule, "minimum"), rule.minimum),
            )
        },
        actor.uid,
    )
    changed = {}
    for rule in wanted:
        old = before[rule.code]
        if (old.enabled, old.minimum) != (rule.enabled, rule.minimum):
            changed[rule.code] = {
                "enabled": [old.enabled, rule.enabled],
                "minimum": [old.minimum, rule.minimum],
            }
    audit.record(
        actor,
        "update",
        target_kind="setting",
        target_uid="checklist",
        summary="Liste de contrôle des communes",
        details={"rules": changed},
    )
    return wanted


def _key(rule: Rule, field: str) -> str:
    return _PREFIX + rule.code + "." + field


def _keys() -> list[str]:
    return [_key(rule, field) for rule in DEFAULT_RULES for field in ("enabled", "minimum")]


def _minimum(raw: object) -> tuple[int, str | None]:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return 0, "Indiquez un nombre minimum."
    if not _WHOLE_NUMBER.fullmatch(text):
        return 0, "Indiquez un nombre entier (par exemple 1)."
    value = int(text)
    if not 1 <= value <= MAX_MINIMUM:
        return 0, f"Le minimum doit être compris entre 1 et {MAX_MINIMUM}."
    return value, None
