"""Settings managers change at run time, stored as (:Setting {key, value}) nodes.

Keys are namespaced by their use ("cadence.osc"); values are whole numbers. A key without a
node takes the default its caller knows.
"""

from __future__ import annotations

from graph.database import atomic, run

__all__ = ["get_settings", "set_settings"]


def get_settings(keys: list[str]) -> dict[str, int]:
    """The stored values among ``keys`` (absent keys are left out)."""
    rows = run(
        "MATCH (s:Setting) WHERE s.key IN $keys RETURN s.key AS key, s.value AS value",
        keys=keys,
    )
    return {row["key"]: row["value"] for row in rows}


def set_settings(values: dict[str, int], updated_by: str) -> dict[str, int]:
    """Store every value in one transaction; return the values stored before (if any)."""
    with atomic():
        before = get_settings(list(values))
        run(
            """
            UNWIND $items AS item
            MERGE (s:Setting {key: item.key})
            SET s.value = item.value, s.updated_at = datetime(), s.updated_by = $updated_by
            """,
            items=[{"key": key, "value": value} for key, value in values.items()],
            updated_by=updated_by,
        )
    return before
