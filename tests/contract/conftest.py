"""The contract suite: every test here runs against each Store implementation.

`store` is DynamoDB on moto (the table the template declares) and the in-memory store; the
shared fixtures (`org`, `ana`, `manager`, `ports`) build on whichever is being tested.
"""

from __future__ import annotations

import pytest

from core.store.dynamodb import DynamoStore
from core.store.item_store import ItemStore
from core.store.memory import MemoryStore
from tests.conftest import TABLE


@pytest.fixture(params=["dynamodb", "memory"])
def store(request: pytest.FixtureRequest) -> ItemStore:
    if request.param == "memory":
        return MemoryStore()
    return DynamoStore(request.getfixturevalue("ddb"), TABLE)
