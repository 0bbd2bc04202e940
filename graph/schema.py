"""Install the constraints and indexes of the models and the full-text indexes (idempotent)."""

from __future__ import annotations

import io

from neomodel import db

from graph import (
    interactions,
    last_contact,
    models,  # noqa: F401  (registers the node classes with neomodel)
    scope_keys,
)
from graph.database import run
from graph.search import install_search_indexes

__all__ = ["install_schema", "list_constraints"]


def install_schema() -> list[str]:
    """Create every uniqueness constraint and index of ``graph.models``, the full-text
    indexes of ``graph.search`` and the index of ``graph.last_contact``; compute the derived
    ``last_contact`` of records that never had it (``graph.last_contact.backfill``) and the
    ``scope_key`` of people who never had one (``graph.scope_keys.backfill``) and the
    ``logger_uid`` of interactions (``graph.interactions.backfill_logger_uids``); return the
    constraint names."""
    db.install_all_labels(stdout=io.StringIO())
    scope_keys.backfill()  # before the indexes: a new one reads the keys once
    install_search_indexes()
    last_contact.install_index()
    last_contact.backfill()
    interactions.backfill_logger_uids()
    interactions.install_logger_index()
    return list_constraints()


def list_constraints() -> list[str]:
    return sorted(row["name"] for row in run("SHOW CONSTRAINTS YIELD name RETURN name"))
