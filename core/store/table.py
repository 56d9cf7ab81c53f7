"""The single table the store is written against, as an interface, with its conditions as data.

`ItemStore` (core/store/item_store.py) holds every rule of the store: which items a change
writes, under which conditions. A `Table` only keeps items and applies those conditions, all or
nothing: DynamoDB (core/store/dynamodb.py) turns them into condition expressions, the in-memory
table (core/store/memory.py) checks them under a lock. Both run one contract suite
(tests/contract), so a test against one says something true about the other.

Items are plain dicts (str, Decimal, bool, list, dict); keys are {"PK": ..., "SK": ...}.
The tables that keep items themselves (memory, SQLite) store them `as_stored` and check
conditions with `holds`, so they answer as DynamoDB does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

Item = dict[str, Any]
Key = dict[str, str]


# -- conditions: the few a single-table store needs ------------------------------------------


@dataclass(frozen=True)
class IfAbsent:
    """No item has this key (attribute_not_exists(PK))."""


@dataclass(frozen=True)
class IfExists:
    """An item has this key (attribute_exists(PK))."""


@dataclass(frozen=True)
class IfEquals:
    """The item exists and its attribute `name` equals `value` (a version, a status, an owner)."""

    name: str
    value: Any


@dataclass(frozen=True)
class IfExpired:
    """The item exists and its TTL attribute is below `now` (epoch seconds): TTL deletion lags."""

    ttl_attribute: str
    now: int


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


Condition = IfAbsent | IfExists | IfEquals | IfExpired | AnyOf


def absent_or_expired(ttl_attribute: str, now: int) -> AnyOf:
    return AnyOf((IfAbsent(), IfExpired(ttl_attribute, now)))


def as_stored(value: Any) -> Any:
    """A copy of `value` as DynamoDB would give it back: every number a Decimal."""
    if isinstance(value, bool) or value is None or isinstance(value, str | Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: as_stored(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_stored(v) for v in value]
    return copy.deepcopy(value)


def holds(condition: Condition | None, item: Item | None) -> bool:
    """Whether `item` (as stored; None when absent) meets `condition`, as DynamoDB would decide."""
    match condition:
        case None:
            return True
        case IfAbsent():
            return item is None
        case IfExists():
            return item is not None
        case IfEquals(name, value):
            return item is not None and item.get(name) == as_stored(value)
        case IfExpired(ttl_attribute, now):
            return item is not None and ttl_attribute in item and item[ttl_attribute] < now
        case AnyOf(conditions):
            return any(holds(part, item) for part in conditions)
    raise TypeError(f"unknown condition {condition!r}")


# -- writes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Put:
    item: Item
    condition: Condition | None = None
    return_old_on_failure: bool = False  # a failed condition hands back the item it found


@dataclass(frozen=True)
class Delete:
    key: Key
    condition: Condition | None = None


@dataclass(frozen=True)
class Check:
    """No write: the transaction goes through only if this item meets `condition`."""

    key: Key
    condition: Condition
    return_old_on_failure: bool = False


Write = Put | Delete | Check


@dataclass(frozen=True)
class Refused:
    """A write's condition failed; `old` is the item found, when it was asked for and exists."""

    old: Item | None = None


@dataclass(frozen=True)
class Change:
    """One write as a DynamoDB stream shows it (NEW_IMAGE): INSERT, MODIFY or REMOVE, numbered in
    commit order. The tables that keep items themselves keep these too: the notice outbox's stream."""

    sequence: int
    event_name: str
    keys: Key
    new_image: Item | None


class Table(Protocol):
    def get(self, key: Key) -> Item | None:
        """The item, read strongly consistent."""
        ...

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
        """Every item of one partition of the table or of an index, by sort key, low..high inclusive;
        `fresh`: strongly consistent (the table only, never an index)."""
        ...

    def put(self, put: Put) -> Refused | None:
        """One conditional write of one item; a Refused when its condition fails."""
        ...

    def transact(self, writes: Sequence[Write]) -> list[Refused | None] | None:
        """All of them or none: None when written, else one entry per write (Refused where it failed)."""
        ...

    def add(self, key: Key, name: str, amount: int, condition: Condition | None = None) -> int | None:
        """Add `amount` to the item's number `name` (from 0) and return it; None if `condition` fails."""
        ...

    def pop(self, key: Key) -> Item | None:
        """Delete the item; the item it was, if any."""
        ...
