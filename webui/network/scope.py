"""What every page of the network analysis reads the same way: the scope form's fields from
the query string (or a posted form), the day, and the vocabularies the scope form lists."""

from __future__ import annotations

from datetime import date

from flask import request

from crm import clock, network
from graph.analysis.gaps import GAP_RULES, SEVERITIES
from graph.vocabulary import ORGANISATION_KINDS, SECTORS
from webui.auth.session import now

__all__ = ["SCOPE_FIELDS", "SCOPE_LISTS", "scope_args", "today", "vocabularies"]

# Query-string names of the scope form (every page of the analysis carries them).
SCOPE_FIELDS = ("niveau", "region", "commune", "pilotes", "du", "au")
SCOPE_LISTS = ("types", "liens")


def scope_args(source=None) -> dict:
    """The analysis scope as the query string (or a posted form) gives it."""
    source = request.args if source is None else source
    args: dict = {k: v for k in SCOPE_FIELDS if (v := source.get(k, "").strip())}
    for name in SCOPE_LISTS:
        if values := [v for v in source.getlist(name) if v]:
            args[name] = values
    return args


def today() -> date:
    return clock.today(now())


def vocabularies() -> dict:
    """What the analysis pages and their scope form (network/_scope.html) list."""
    return {
        "metrics": network.METRICS,
        "overall_help": network.OVERALL,
        "levels": network.LEVELS,
        "tie_kinds": network.TIE_KIND_LABELS,
        "sectors": SECTORS,
        "gap_rules": GAP_RULES,
        "severities": SEVERITIES,
        "organisation_kinds": ORGANISATION_KINDS,
    }
