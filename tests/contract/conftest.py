"""The contract suite: every test here runs against each Store implementation.

`store` is DynamoDB on moto (the table the template declares), the in-memory store and SQLite
(a file in the test's temporary directory); the shared fixtures (`org`, `ana`, `manager`,
`ports`) build on whichever is being tested.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store.dynamodb import DynamoStore
from core.store.item_store import ItemStore
from core.store.memory import MemoryStore
from core.store.sqlite import SqliteStore
from tests.conftest import TABLE


@pytest.fixture(params=["dynamodb", "memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ItemStore]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "sqlite":
        sqlite = SqliteStore(tmp_path / "punchclock.db")
        yield sqlite
        sqlite.sqlite.close()
    else:
        yield DynamoStore(request.getfixturevalue("ddb"), TABLE)
