"""DynamoDB can cancel a transaction with TransactionConflict when two touch one item at once.

moto never does, so a stub client plays DynamoDB here.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from core.domain.model import Worker
from core.ports import Change
from core.store.dynamodb import DynamoStore


class ConflictingOnce:
    def __init__(self, conflicts: int) -> None:
        self.conflicts = conflicts
        self.calls = 0

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls += 1
        if self.calls <= self.conflicts:
            reasons = [{"Code": "TransactionConflict"}] + [{"Code": "None"}] * (len(TransactItems) - 1)
            raise ClientError(
                {"Error": {"Code": "TransactionCanceledException", "Message": "x"}, "CancellationReasons": reasons},
                "TransactWriteItems",
            )
        return {}


def test_a_transaction_conflict_is_retried_not_shown_to_the_user() -> None:
    client = ConflictingOnce(conflicts=2)
    store = DynamoStore(client, "t")
    worker = Worker(worker_id="w", org_id="o", name="W", version=4)
    saved = store.commit(Change(org_id="o", worker=worker, expected_version=4))
    assert client.calls == 3
    assert saved is not None and saved.version == 5
