"""The store in memory: the same rules (core/store/item_store.py) over a dict of items.

For service tests that need no AWS, and for anything that wants a real store without one. It
keeps what DynamoDB keeps and answers as DynamoDB answers: numbers come back as Decimal, index
queries see only items that carry the index's keys (sparse), sort keys order as text, and
every write's condition is checked and applied under one lock, all or nothing. TTL does not
delete anything here either (DynamoDB deletes expired items lazily): the store filters on read.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from decimal import Decimal

from core.store.item_store import ItemStore
from core.store.table import (
    Change,
    Condition,
    Delete,
    Item,
    Key,
    Put,
    Refused,
    Write,
    as_stored,
    holds,
)

INDEXES = {"GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "GSI2SK")}


class MemoryTable:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], Item] = {}
        self._lock = threading.RLock()
        self._changes: list[Change] = []  # the table's stream, for the notice outbox

    def changes(self, after: int = 0) -> list[Change]:
        """The writes after sequence number `after`, oldest first."""
        with self._lock:
            return [copy.deepcopy(change) for change in self._changes[after:]]

    def _record(self, event_name: str, key: Key, new_image: Item | None) -> None:
        keys = {"PK": key["PK"], "SK": key["SK"]}
        self._changes.append(Change(len(self._changes) + 1, event_name, keys, copy.deepcopy(new_image)))

    @staticmethod
    def _key(key: Key) -> tuple[str, str]:
        return key["PK"], key["SK"]

    def get(self, key: Key) -> Item | None:
        with self._lock:
            found = self._items.get(self._key(key))
            return copy.deepcopy(found) if found is not None else None

    def query(
        self,
        pk_name: str,
        pk: str,
        sk_name: str | None = None,
        low: str | None = None,
        high: str | None = None,
        index: str | None = None,
        fresh: bool = False,
    ) -> Iterator[Item]:
        if index is not None and (pk_name, sk_name or INDEXES[index][1]) != INDEXES[index]:
            raise ValueError(f"{index} is keyed on {INDEXES[index]}")
        sort_name = sk_name or (INDEXES[index][1] if index else "SK")
        with self._lock:
            found = [
                item
                for item in self._items.values()
                if item.get(pk_name) == pk
                and sort_name in item
                and (low is None or low <= item[sort_name])
                and (high is None or item[sort_name] <= high)
            ]
            found.sort(key=lambda item: (item[sort_name], item["PK"], item["SK"]))
            copies = [copy.deepcopy(item) for item in found]
        yield from copies

    def put(self, put: Put) -> Refused | None:
        refused = self.transact([put])
        return refused[0] if refused else None

    def pop(self, key: Key) -> Item | None:
        with self._lock:
            found = self._items.pop(self._key(key), None)
            if found is not None:
                self._record("REMOVE", key, None)
            return found

    def transact(self, writes: Sequence[Write]) -> list[Refused | None] | None:
        with self._lock:
            refusals = [self._refusal(write) for write in writes]
            if any(refusal is not None for refusal in refusals):
                return refusals
            for write in writes:
                if isinstance(write, Put):
                    key = self._key(write.item)
                    self._record("MODIFY" if key in self._items else "INSERT", write.item, as_stored(write.item))
                    self._items[key] = as_stored(write.item)
                elif isinstance(write, Delete) and self._items.pop(self._key(write.key), None) is not None:
                    self._record("REMOVE", write.key, None)
            return None

    def add(self, key: Key, name: str, amount: int, condition: Condition | None = None) -> int | None:
        with self._lock:
            current = self._items.get(self._key(key))
            if not holds(condition, current):
                return None
            item = current if current is not None else self._items.setdefault(self._key(key), dict(key))
            item[name] = Decimal(int(item.get(name, 0)) + amount)
            self._record("MODIFY" if current is not None else "INSERT", key, item)
            return int(item[name])

    def _refusal(self, write: Write) -> Refused | None:
        key = self._key(write.item if isinstance(write, Put) else write.key)
        current = self._items.get(key)
        if holds(write.condition, current):
            return None
        wants_old = not isinstance(write, Delete) and write.return_old_on_failure
        return Refused(copy.deepcopy(current) if wants_old and current is not None else None)

    def __len__(self) -> int:
        return len(self._items)


class MemoryStore(ItemStore):
    """The Store port in memory (one per test, or one per local process)."""

    def __init__(self) -> None:
        super().__init__(MemoryTable())
