"""Service tests on the in-memory store: the same rules as DynamoDB (tests/contract proves it), no moto."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.ports import Notice
from core.store.items import notice_from_item
from core.store.memory import MemoryStore


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def outbox(store: MemoryStore) -> Callable[[], list[Notice]]:
    """The notices committed since the last call, read off the table's change log (nothing is sent)."""
    changes = store.table
    seen = 0

    def committed() -> list[Notice]:
        nonlocal seen
        found = changes.changes(seen)  # type: ignore[attr-defined]
        seen += len(found)
        return [
            notice_from_item(c.new_image)
            for c in found
            if c.event_name == "INSERT" and c.new_image and c.new_image.get("type") == "notice"
        ]

    return committed
