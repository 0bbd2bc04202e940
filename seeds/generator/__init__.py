"""Generated data on Morocco's real geography, at three sizes, for demonstrations, tests and
benchmarks: organisations of every kind, people with their functions over time (handovers
included), events with their sign-in sheets, interactions logged by the region's officer with
their follow-ups, and partnerships.

Sizes (``SIZES``)
    ``small``      the 5 programme regions, 2 pilot communes each and only them: a few
                   hundred records, loaded in seconds (tests).
    ``programme``  the 5 programme regions, all 733 communes, 12 pilot communes per region
                   (60) richer than the others: about 5k people, 2k organisations, 50k ties.
    ``national``   the 12 regions and 1,503 communes: about 250k people, 50k organisations,
                   3M ties.
    "Ties" are the relationships between records: functions, partnerships, participation,
    organisers, bodies of councils, interaction participants, who logged and follows up.

Deterministic
    The same ``seed``, size and ``as_of`` (the generation's "today": dates of functions,
    events, interactions and follow-ups are spread around it) give the same records, uids
    and timestamps included. Each province is generated from its own random stream
    (``random.Random("<seed>:<province>")``), so a province's records do not depend on the
    others, and the data is produced one province at a time (``chunks``): the national size
    never sits in memory at once.

Records as the app writes them
    Every property the use cases of ``crm`` set is set (``uid``, ``created_at``,
    ``updated_at``, ``version``, ``search_key`` and ``name_key`` computed by ``crm.search``,
    the privacy fields of law 09-08…), so generated records open, change and save like any
    other. A handover follows ``graph.affiliations.hand_over``: the outgoing holder's function
    ends on the handover date (``until``), the successor's starts that same date (``since``)
    and records the function it ``succeeds``. Interactions are logged by the officer of their
    region and follow-ups assigned to them (or to the manager): the generated accounts
    (``accounts``). E-mail addresses use the reserved domains example.org/.com/.net.

Marked and removable
    Every generated node carries the label ``:Generated`` (``graph.bulk.GENERATED``);
    ``remove`` deletes them with their relationships, and unmarks the pilot communes the
    generation marked, leaving the geography, the reference institutions and every record
    users made.

Modules: ``plan`` (sizes, pilot communes, provinces, accounts), ``records`` (how one record
of each kind is written), ``organisations`` (the national, regional and provincial parts and
each commune's organisations and people), ``activity`` (events and sign-in sheets,
interactions and follow-ups, partnerships), ``names`` and ``catalogue`` (what things are
called).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import date

from crm import users
from graph import batches, bulk, team
from seeds import institutions
from seeds.generator.organisations import national, province_chunk, regional
from seeds.generator.plan import (
    EMAIL_DOMAIN,
    MANAGER_EMAIL,
    SIZES,
    Size,
    accounts,
    pilot_communes,
    provinces,
)
from seeds.generator.records import Chunk, Hub

__all__ = [
    "EMAIL_DOMAIN",
    "MANAGER_EMAIL",
    "SIZES",
    "AlreadyGenerated",
    "Chunk",
    "Size",
    "accounts",
    "chunks",
    "count",
    "load",
    "new_password",
    "pilot_communes",
    "remove",
]


def chunks(size: Size | str, seed: int, as_of: date) -> Iterator[Chunk]:
    """The generated records, one chunk at a time: the national bodies, then for each region
    its regional bodies and each of its provinces."""
    size = SIZES[size] if isinstance(size, str) else size
    parts = provinces(seed, size)
    hub = Hub()
    yield national(seed, size, as_of, hub)
    for region in sorted({p.region for p in parts}):
        in_region = [p for p in parts if p.region == region]
        yield regional(seed, size, as_of, hub, region, in_region)
        for province in in_region:
            yield province_chunk(seed, size, as_of, hub, province)


def count(size: Size | str, seed: int, as_of: date) -> Counter:
    """What ``load`` would write (records and ties), without writing anything."""
    total: Counter = Counter()
    for chunk in chunks(size, seed, as_of):
        total.update(chunk.counts())
    return total


class AlreadyGenerated(RuntimeError):
    """Generated data is already in the database: remove it before generating again."""


def load(size: Size | str, seed: int, as_of: date, password: str) -> Counter:
    """Write the generated data: the reference institutions if missing, the accounts (all
    with ``password``), the pilot communes (only if none is marked yet), then the records one
    chunk at a time. Returns what was written (``count``'s keys).

    Raises ``AlreadyGenerated`` when generated data is already there (remove it first),
    ``crm.errors.Invalid`` when the password or an account's address is refused.
    """
    size = SIZES[size] if isinstance(size, str) else size
    if bulk.generated_counts():
        raise AlreadyGenerated()
    institutions.load()
    made = []
    for account in accounts(size):
        # The app's own rules for accounts (password strength, e-mail address, hashing).
        uid = users.create_user(
            account["email"], account["display_name"], password, account["role"]
        )
        bulk.mark_generated_users([uid])  # removable even if a later account is refused
        if account["region"]:
            team.set_territory(uid, [account["region"]])
        made.append(uid)
    bulk.mark_generated_pilots(
        [{"code": code, "since": since} for code, since in pilot_communes(seed, size).items()]
    )
    total: Counter = Counter(accounts=len(made))
    pending: dict[str, list[dict]] = {name: [] for name in bulk.GENERATED_ROWS}
    # The import's batch path (``graph.batches.Sender``): the next chunks are generated while
    # a second thread writes the rows already flushed.
    with batches.Sender(bulk.load_generated) as sender:
        for chunk in chunks(size, seed, as_of):
            total.update(chunk.counts())
            for name, rows in chunk.rows().items():
                pending[name].extend(rows)
            # Small chunks are written together (fewer, fuller batches), big ones at once: a
            # flush writes every list in order, so what a row refers to is written first.
            if sum(map(len, pending.values())) >= FLUSH_ROWS:
                sender.send(_taken(pending))
        sender.send(_taken(pending))
    bulk.data_changed()
    return total


FLUSH_ROWS = 4 * bulk.BATCH


def _taken(pending: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows pending, as they are now (later chunks may still update a record's row, as
    a new function moves a regional officer's version: what is sent is what a write at
    this point would write), and ``pending`` emptied."""
    taken = {name: [_copy(row) for row in rows] for name, rows in pending.items()}
    for rows in pending.values():
        rows.clear()
    return taken


def _copy(value):
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value  # str, numbers, dates, None: immutable


def new_password() -> str:
    """A password for the generated accounts when none is given (shown once)."""
    return secrets.token_urlsafe(12)


def remove() -> dict[str, int]:
    """Delete every generated record (label ``:Generated``) with its relationships and unmark
    the pilot communes the generation marked; returns how many of each label went."""
    return bulk.remove_generated()
