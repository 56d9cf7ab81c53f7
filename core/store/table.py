"""The single table the store is written against, as an interface, with its conditions as data.

`ItemStore` (core/store/item_store.py) holds every rule of the store: which items a change
writes, under which conditions. A `Table` only keeps items and applies those conditions, all or
nothing: DynamoDB (core/store/dynamodb.py) turns them into condition expressions, the in-memory
table (core/store/memory.py) checks them under a lock. Both run one contract suite
(tests/contract), so a test against one says something true about the other.

Items are plain dicts (str, Decimal, bool, list, dict); keys are {"PK": ..., "SK": ...}.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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
    ) -> Iterator[Item]:
        """Every item of one partition of the table or of an index, by sort key, low..high inclusive."""
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
