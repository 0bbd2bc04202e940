"""The candidate duplicate pairs of a scope, kept up to date from write to write instead of
computed again from every record after each write.

Candidates come from *blocking*: each record gets a few keys (``crm.matching``'s
``blocks()``: a shared phone, the same spelling-independent name…) and only records that share
a key held by at most ``MAX_BLOCK`` records are scored. Computing every pair again reads and
profiles every writable record (about a minute for the manager at national scale, measured);
this index keeps, per scope, the records read, their keys, the records holding each key and
the pairs kept, and after a write (a new data version, ``graph.versions``) it only:

1. reads every record's uid and version in the scope (one light read, about a second
   nationally), and every pair declared distinct;
2. forgets the records gone from the scope (deleted, merged, anonymised, moved elsewhere) and
   reads again the ones whose version changed (every edit of a record raises its version)
   or whose "not a duplicate" declarations changed;
3. scores again the pairs of the records touched, and of every record of a key whose holders
   crossed ``MAX_BLOCK`` either way (that key now says something, or no longer does).

The result is the same as computing everything again (a test compares both after a series of
writes of every kind). A new database (another epoch of the data version) starts from empty.
Indexes are kept for the ``SIZE`` scopes used last, each refreshed by one request at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from sortedcontainers import SortedList

from graph import dedupe as store
from graph import versions

__all__ = ["MAX_BLOCK", "MIN_SCORE", "SIZE", "Kind", "PairIndex", "clear", "pairs"]

MIN_SCORE = 50  # pairs scoring less are not proposed
MAX_BLOCK = 50  # records sharing a key beyond this (a switchboard number…) say nothing
SIZE = 16  # indexes kept (a kind in a scope), least recently used dropped first


@dataclass(frozen=True)
class Kind:
    """How the records of one kind are read, profiled, scored and named."""

    label: str  # graph.dedupe's label
    profile: Callable  # record -> profile (``blocks()``, and what ``score`` compares)
    score: Callable  # (profile, profile) -> crm.matching.Score
    name: Callable[[dict], str]  # how pairs are ordered after their score
    exclude: Callable[[dict, dict], bool] = lambda a, b: False  # never a pair (two seeds…)


class PairIndex:
    """The candidate pairs of one kind of record in one scope (see the module docstring).

    ``refresh(version)`` brings it to the data as it is now; ``page(skip, limit)`` and
    ``total`` then read the pairs, best first: ``{'a', 'b', 'score', 'reasons'}`` with
    ``a['uid'] < b['uid']``. Callers hold ``lock`` around both (requests run in threads).
    """

    def __init__(self, kind: Kind, scope: dict) -> None:
        self.kind, self.scope = kind, scope
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget everything: the next refresh reads every record."""
        self.version: str | None = None
        self.records: dict[str, dict] = {}
        self.names: dict[str, str] = {}  # uid -> kind.name(record), for the order of pairs
        self.keys: dict[str, tuple[str, ...]] = {}  # uid -> its blocking keys
        # key -> the uids holding it: one uid as such (most keys), several as a set.
        self.holders: dict[str, str | set[str]] = {}
        self.pairs: dict[tuple[str, str], dict] = {}  # (a, b) -> the pair
        self.order: SortedList = SortedList()  # (-score, name of a, a, b), best first
        self.dismissed: set[tuple[str, str]] = set()

    @property
    def total(self) -> int:
        return len(self.order)

    def page(self, skip: int, limit: int) -> list[dict]:
        return [self.pairs[(key[2], key[3])] for key in self.order[skip : skip + limit]]

    def refresh(self, version: str | None) -> None:
        """Bring the pairs to the data of ``version`` (read by the caller before this, so a
        write committed meanwhile raises the version again and is caught next time)."""
        if version is not None and version == self.version:
            return
        if _epoch(version) != _epoch(self.version):
            self.reset()  # another database: start from empty
        label = self.kind.label
        first = not self.records
        now = None if first else store.matching_versions(label, self.scope)
        dismissed = store.dismissed_pairs(label)
        if first:  # everything is new: one read of every record
            every = store.records_for_matching(label, self.scope)
            self._update(set(), every, dismissed, everything=True)
        else:
            touched = {uid for uid in self.records if uid not in now}
            records = self.records
            touched.update(
                uid for uid, v in now.items() if uid not in records or records[uid]["version"] != v
            )
            for pair in dismissed ^ self.dismissed:
                touched.update(pair)
            wanted = [uid for uid in touched if uid in now]
            fresh = store.records_for_matching(label, self.scope, wanted) if wanted else []
            self._update(touched, fresh, dismissed)
        self.version = version

    def _update(
        self, touched: set[str], fresh: list[dict], dismissed: set, everything: bool = False
    ) -> None:
        self.dismissed = dismissed
        holders = self.holders
        sizes: dict[str, int] = {}  # holders of each key the touched records had, before
        for uid in touched:
            self._forget_pairs(uid)
            for key in self.keys.pop(uid, ()):
                held = holders[key]
                if isinstance(held, str):
                    sizes.setdefault(key, 1)
                    del holders[key]
                    continue
                sizes.setdefault(key, len(held))
                held.discard(uid)
                if len(held) == 1:
                    holders[key] = next(iter(held))
            self.records.pop(uid, None)
            self.names.pop(uid, None)
        profiles: dict[str, object] = {}
        for record in fresh:
            uid = record["uid"]
            profile = profiles[uid] = self.kind.profile(record)
            keys = tuple(profile.blocks())
            self.records[uid], self.keys[uid] = record, keys
            self.names[uid] = self.kind.name(record)
            for key in keys:
                held = holders.get(key)
                if held is None:
                    sizes.setdefault(key, 0)
                    holders[key] = uid
                elif isinstance(held, str):
                    sizes.setdefault(key, 1)
                    holders[key] = {held, uid}
                else:
                    sizes.setdefault(key, len(held))
                    held.add(uid)
            touched.add(uid)
        if everything:
            self._pair(_grouped_pairs(holders.values()), profiles)
            return
        # A key whose holders crossed MAX_BLOCK pairs (or no longer pairs) all of them.
        again = set(touched)
        for key, before in sizes.items():
            after = self._held(key)
            if (before <= MAX_BLOCK) != (len(after) <= MAX_BLOCK):
                again.update(after)
        for uid in again - touched:
            self._forget_pairs(uid)
        candidates = set()
        for uid in again:
            for key in self.keys.get(uid, ()):
                group = self._held(key)
                if 1 < len(group) <= MAX_BLOCK:
                    candidates.update((uid, o) if uid < o else (o, uid) for o in group if o != uid)
        self._pair(candidates, profiles)

    def _held(self, key: str) -> set[str] | tuple[str, ...]:
        held = self.holders.get(key, ())
        return (held,) if isinstance(held, str) else held

    def _forget_pairs(self, uid: str) -> None:
        """Drop every pair of ``uid``: a pair is only ever made between holders of one key."""
        pairs = self.pairs
        for key in self.keys.get(uid, ()):
            for other in self._held(key):
                pair = (uid, other) if uid < other else (other, uid)
                item = pairs.pop(pair, None)
                if item is not None:
                    self.order.remove((-item["score"], self.kind.name(item["a"]), *pair))

    def _pair(self, candidates: set[tuple[str, str]], profiles: dict[str, object]) -> None:
        """Score the ``candidates`` (uid pairs, smaller first) not paired yet; keep those
        scoring ``MIN_SCORE`` that were not declared distinct."""
        kind, records, names = self.kind, self.records, self.names
        added = []

        def profile(uid: str) -> object:
            found = profiles.get(uid)
            if found is None:
                found = profiles[uid] = kind.profile(records[uid])
            return found

        for pair in candidates:
            if pair in self.pairs or pair in self.dismissed:
                continue
            a, b = records[pair[0]], records[pair[1]]
            if kind.exclude(a, b):
                continue
            score = kind.score(profile(pair[0]), profile(pair[1]))
            if score.points < MIN_SCORE:
                continue
            self.pairs[pair] = {"a": a, "b": b, "score": score.points, "reasons": score.reasons}
            added.append((-score.points, names[pair[0]], pair[0], pair[1]))
        if len(added) > len(self.order):  # a first read: sorting once beats inserting
            self.order = SortedList([*self.order, *added])
        else:
            self.order.update(added)


def _grouped_pairs(groups) -> set[tuple[str, str]]:
    """Every pair of uids held together by a group of 2 to ``MAX_BLOCK`` (smaller first)."""
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        if not isinstance(group, str) and len(group) <= MAX_BLOCK:
            pairs.update(combinations(sorted(group), 2))
    return pairs


def _epoch(version: str | None) -> str | None:
    return None if version is None else version.rsplit(":", 1)[0]


_INDEXES: OrderedDict[tuple, PairIndex] = OrderedDict()
_lock = threading.Lock()


def pairs(kind: Kind, scope: dict, scope_key: str, skip: int, limit: int) -> tuple[list[dict], int]:
    """One page of the candidate pairs of ``kind`` in ``scope`` (``scope_key`` identifies
    it), best first, and how many there are; the scope's index is brought up to date first."""
    version = versions.current()
    if version is None:  # an empty database: nothing kept
        index = PairIndex(kind, scope)
        index.refresh(None)
        return index.page(skip, limit), index.total
    with _lock:
        index = _INDEXES.get((kind.label, scope_key))
        if index is None:
            index = _INDEXES[(kind.label, scope_key)] = PairIndex(kind, scope)
        _INDEXES.move_to_end((kind.label, scope_key))
        while len(_INDEXES) > SIZE:
            _INDEXES.popitem(last=False)
    with index.lock:  # one refresh at a time per scope; the others wait and read it
        try:
            index.refresh(version)
        except BaseException:
            index.reset()  # half-updated: start again next time
            raise
        return index.page(skip, limit), index.total


def clear() -> None:
    """Forget every index (tests, benchmarks)."""
    with _lock:
        _INDEXES.clear()
