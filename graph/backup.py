"""Backup and restore of the whole graph: every node, relationship and property (users and
the audit trail included), in one versioned, compressed file.

The file is gzip-compressed JSON Lines:

1. a header ``{"format": "tansiq-backup", "version": 1, "created": ISO date-time}``;
2. one line per node ``{"t": "n", "id": elementId, "labels": [...], "props": {...}}``;
3. one line per relationship ``{"t": "r", "id", "type", "start", "end", "props"}``;
4. a trailer ``{"t": "end", "nodes": n, "relationships": m}``: a file without it, or whose
   counts differ, is truncated and refused before anything is written.

Property values keep their Neo4j types: temporal values, durations, points, byte arrays and
non-finite floats are written as one-key objects (``{"$date": "2026-03-15"}``…) and read
back as the same types. Both ends stream: the dump reads the graph through the driver's
cursor, the restore writes batches of ``BATCH`` rows with ``UNWIND``.

Labels and relationship types cannot be Cypher parameters: the restore takes them from the
file only after checking each against ``NAME`` (a plain identifier), and backquotes them.
A restore needs an empty database (``NotEmpty`` otherwise); the schema is installed after
the data, and the data version gets a new epoch (no cache built before can match it).
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import neo4j.spatial
import neo4j.time

from graph.database import atomic, read, run, stream
from graph.schema import install_schema

__all__ = ["BATCH", "FORMAT", "VERSION", "BadBackup", "NotEmpty", "dump", "load"]

FORMAT = "tansiq-backup"
VERSION = 1
BATCH = 2_000
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Marks restored nodes while their relationships are linked (removed at the end).
_RESTORING = "TansiqRestoring"


class BadBackup(ValueError):
    """The file is not a Tansiq backup this version can read, or it is damaged."""


class NotEmpty(RuntimeError):
    """A restore was asked into a database that holds data."""


# --- dump ---------------------------------------------------------------------------------


def dump(path: str | Path) -> dict[str, int]:
    """Write the whole graph to ``path``; return the counts of nodes and relationships."""
    counts = {"nodes": 0, "relationships": 0}

    def work() -> None:
        with gzip.open(path, "wt", encoding="utf-8") as out:
            header = {"format": FORMAT, "version": VERSION,
                      "created": datetime.now(UTC).isoformat()}  # fmt: skip
            out.write(json.dumps(header) + "\n")
            for row in stream(
                "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
            ):
                line = {"t": "n", "id": row["id"], "labels": sorted(row["labels"]),
                        "props": _encode_props(row["props"])}  # fmt: skip
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts["nodes"] += 1
            for row in stream(
                "MATCH (a)-[r]->(b) RETURN elementId(r) AS id, type(r) AS type, "
                "elementId(a) AS start, elementId(b) AS end, properties(r) AS props"
            ):
                line = {"t": "r", "id": row["id"], "type": row["type"], "start": row["start"],
                        "end": row["end"], "props": _encode_props(row["props"])}  # fmt: skip
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                counts["relationships"] += 1
            out.write(json.dumps({"t": "end", **counts}) + "\n")

    read(work)
    return counts


# --- restore ------------------------------------------------------------------------------


def load(path: str | Path) -> dict[str, int]:
    """Load the backup at ``path`` into the empty database; return the counts loaded.

    ``BadBackup`` for a file that is not a complete backup of this format and version (checked
    to its end before anything is written), ``NotEmpty`` for a database holding data.
    """
    counts = _check(path)
    if run("MATCH (n) RETURN count(n) > 0 AS any")[0]["any"]:
        raise NotEmpty("La base n'est pas vide : la restauration n'écrit que dans une base vide.")
    run(f"CREATE INDEX tansiq_restoring IF NOT EXISTS FOR (n:{_RESTORING}) ON (n.backup_id)")
    run("CALL db.awaitIndexes(300)")
    with atomic():
        batches: dict[tuple, list] = {}
        for line in _lines(path):
            if line["t"] == "n":
                key = ("n", tuple(line["labels"]))
            elif line["t"] == "r":
                key = ("r", line["type"])
            else:
                continue
            rows = batches.setdefault(key, [])
            rows.append(line)
            if len(rows) >= BATCH:
                _write(key, batches.pop(key))
            if key[0] == "r" and any(k[0] == "n" for k in batches):
                for pending in [k for k in batches if k[0] == "n"]:
                    _write(pending, batches.pop(pending))
        for pending in sorted(batches, key=lambda k: k[0] != "n"):  # nodes first
            _write(pending, batches[pending])
        run(f"MATCH (n:{_RESTORING}) REMOVE n:{_RESTORING}, n.backup_id")
        # A new epoch: no analysis cached from an earlier state of a database matches.
        run("MATCH (v:DataVersion) SET v.epoch = randomUUID()")
    run("DROP INDEX tansiq_restoring IF EXISTS")
    install_schema()
    return counts


def _check(path: str | Path) -> dict[str, int]:
    """Read the whole file once: its header, every line, and a trailer matching the counts."""
    seen = {"nodes": 0, "relationships": 0}
    trailer = None
    try:
        for line in _lines(path, check_header=True):
            kind = line.get("t")
            if trailer is not None:
                raise BadBackup("Des données suivent la fin de la sauvegarde.")
            if kind == "n":
                if not all(NAME.match(label) for label in line["labels"]):
                    raise BadBackup(f"Étiquette de nœud invalide : {line['labels']!r}.")
                seen["nodes"] += 1
            elif kind == "r":
                if not NAME.match(line["type"]):
                    raise BadBackup(f"Type de relation invalide : {line['type']!r}.")
                seen["relationships"] += 1
            elif kind == "end":
                trailer = line
            else:
                raise BadBackup("Ligne inconnue dans la sauvegarde.")
    except (OSError, EOFError, gzip.BadGzipFile, json.JSONDecodeError, KeyError,
            UnicodeDecodeError) as broken:  # fmt: skip
        raise BadBackup(f"Fichier de sauvegarde illisible ou endommagé ({broken}).") from broken
    if trailer is None:
        raise BadBackup("Sauvegarde incomplète : la fin du fichier manque (fichier tronqué ?).")
    if (trailer.get("nodes"), trailer.get("relationships")) != (
        seen["nodes"],
        seen["relationships"],
    ):
        raise BadBackup("Sauvegarde incohérente : le nombre d'éléments ne correspond pas.")
    return seen


def _lines(path: str | Path, check_header: bool = False) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        header = json.loads(source.readline() or "null")
        if check_header and (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("version") != VERSION
        ):
            raise BadBackup(f"Ce fichier n'est pas une sauvegarde Tansiq de version {VERSION}.")
        for text in source:
            if text.strip():
                yield json.loads(text)


def _write(key: tuple, lines: list[dict]) -> None:
    if key[0] == "n":
        labels = "".join(f":`{label}`" for label in (*key[1], _RESTORING))
        run(
            f"UNWIND $rows AS row CREATE (n{labels}) SET n = row.props, n.backup_id = row.id",
            rows=[{"id": line["id"], "props": _decode_props(line["props"])} for line in lines],
        )
        return
    run(
        f"UNWIND $rows AS row MATCH (a:{_RESTORING} {{backup_id: row.start}}) "
        f"MATCH (b:{_RESTORING} {{backup_id: row.end}}) "
        f"CREATE (a)-[r:`{key[1]}`]->(b) SET r = row.props",
        rows=[
            {"start": line["start"], "end": line["end"], "props": _decode_props(line["props"])}
            for line in lines
        ],  # fmt: skip
    )


# --- values -------------------------------------------------------------------------------


def _encode_props(props: dict) -> dict:
    return {key: _encode(value) for key, value in props.items()}


def _decode_props(props: dict) -> dict:
    return {key: _decode(value) for key, value in props.items()}


def _encode(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, neo4j.time.DateTime):
        zone = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None)
        if value.tzinfo is None:
            return {"$localdatetime": value.iso_format()}
        return {"$datetime": value.iso_format(), "zone": zone}
    if isinstance(value, neo4j.time.Date):
        return {"$date": value.iso_format()}
    if isinstance(value, neo4j.time.Time):
        if value.tzinfo is None:
            return {"$localtime": value.iso_format()}
        return {"$time": value.iso_format()}
    if isinstance(value, neo4j.time.Duration):
        return {"$duration": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, neo4j.spatial.Point):
        return {"$point": list(value), "srid": value.srid}
    raise TypeError(f"type de valeur non sauvegardable : {type(value).__name__}")


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$float" in value:
        return float(value["$float"])
    if "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    if "$date" in value:
        return neo4j.time.Date.from_iso_format(value["$date"])
    if "$localdatetime" in value:
        return neo4j.time.DateTime.from_iso_format(value["$localdatetime"])
    if "$datetime" in value:
        moment = neo4j.time.DateTime.from_iso_format(value["$datetime"])
        if value.get("zone"):
            from zoneinfo import ZoneInfo

            moment = moment.astimezone(ZoneInfo(value["zone"]))
        return moment
    if "$localtime" in value:
        return neo4j.time.Time.from_iso_format(value["$localtime"])
    if "$time" in value:
        return neo4j.time.Time.from_iso_format(value["$time"])
    if "$duration" in value:
        months, days, seconds, nanoseconds = value["$duration"]
        return neo4j.time.Duration(
            months=months, days=days, seconds=seconds, nanoseconds=nanoseconds
        )
    if "$point" in value:
        return _point(value["srid"], value["$point"])
    raise BadBackup(f"Valeur inconnue dans la sauvegarde : {sorted(value)!r}.")


def _point(srid: int, coordinates: list[float]) -> neo4j.spatial.Point:
    kinds = {7203: neo4j.spatial.CartesianPoint, 9157: neo4j.spatial.CartesianPoint,
             4326: neo4j.spatial.WGS84Point, 4979: neo4j.spatial.WGS84Point}  # fmt: skip
    return kinds[srid](coordinates)
