"""moto's transactions made proportional to what they touch, for the bench's in-process deployments.

moto copies every table a transaction names, whole, before applying it (to roll back on a failed
condition): a write's cost grows with the table, so a scripted week of 50 workers would take an
hour and a latency would measure the table's size rather than the handler. Here a transaction
keeps a copy of only the items it names and puts them back if it is cancelled, which is what a
rollback needs (moto's tables keep no index apart from their items). The stream is left going
forward, as `keep_stream_records_across_rollbacks` makes it (infra/local/emulator.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch


@contextmanager
def proportional_transactions() -> Iterator[None]:
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models import copy as moto_copy
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    whole_copy = moto_copy.deepcopy
    original = DynamoDBBackend.transact_write_items

    def no_table_copy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else whole_copy(value, memo)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        saved = []
        for action in transact_items:
            op = next(iter(action.values()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            found = table.items.get(hash_value, {})
            current = found.get(range_value) if range_value is not None else found or None
            saved.append((table, hash_value, range_value, whole_copy(current)))
        with patch.object(moto_copy, "deepcopy", no_table_copy):
            try:
                return original(self, transact_items)
            except Exception:
                for table, hash_value, range_value, item in reversed(saved):
                    _restore(table, hash_value, range_value, item)
                raise

    with patch.object(DynamoDBBackend, "transact_write_items", transact_write_items):
        yield


def _restore(table: Any, hash_value: Any, range_value: Any, item: Any) -> None:
    if range_value is None:
        if item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item
        return
    partition = table.items[hash_value]
    if item is None:
        partition.pop(range_value, None)
    else:
        partition[range_value] = item


__all__ = ["proportional_transactions"]
