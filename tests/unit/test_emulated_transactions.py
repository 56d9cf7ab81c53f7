"""moto's TransactWriteItems as DynamoDB answers it, without a table copy per transaction
(infra/local/emulator.py `transactions_checked_before_written`, installed for every test)."""

from __future__ import annotations

import copy
from typing import Any
from unittest.mock import patch

import pytest
from botocore.exceptions import ClientError

from tests.conftest import TABLE


def _put(pk: str, condition: str | None = None, **extra: Any) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": TABLE, "Item": {"PK": {"S": pk}, "SK": {"S": "X"}}}
    if condition:
        put["ConditionExpression"] = condition
    put.update(extra)
    return {"Put": put}


def _keys(ddb: Any) -> set[str]:
    return {item["PK"]["S"] for item in ddb.scan(TableName=TABLE)["Items"]}


def test_a_failed_condition_cancels_the_whole_transaction_and_writes_nothing(ddb: Any) -> None:
    ddb.put_item(TableName=TABLE, Item={"PK": {"S": "taken"}, "SK": {"S": "X"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(
            TransactItems=[
                _put("new"),
                _put("taken", "attribute_not_exists(PK)", ReturnValuesOnConditionCheckFailure="ALL_OLD"),
            ]
        )
    reasons = raised.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ConditionalCheckFailed"]
    assert reasons[1]["Item"]["v"] == {"N": "1"}
    assert _keys(ddb) == {"taken"}


def test_conditions_see_the_items_as_they_were_before_the_transaction(ddb: Any) -> None:
    ddb.put_item(TableName=TABLE, Item={"PK": {"S": "a"}, "SK": {"S": "X"}})
    ddb.transact_write_items(
        TransactItems=[
            {"Delete": {"TableName": TABLE, "Key": {"PK": {"S": "a"}, "SK": {"S": "X"}}}},
            _put("b", "attribute_not_exists(PK)"),
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": {"PK": {"S": "c"}, "SK": {"S": "X"}},
                    "UpdateExpression": "SET #n = :one",
                    "ExpressionAttributeNames": {"#n": "n"},
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    assert _keys(ddb) == {"b", "c"}


def test_the_same_item_twice_is_refused(ddb: Any) -> None:
    with pytest.raises(ClientError, match="multiple operations"):
        ddb.transact_write_items(TransactItems=[_put("a"), _put("a")])
    assert _keys(ddb) == set()


def test_no_table_is_copied(ddb: Any) -> None:
    # moto's own transaction deep-copies each table it touches: its cost grew with all history
    for i in range(50):
        ddb.put_item(TableName=TABLE, Item={"PK": {"S": f"old{i}"}, "SK": {"S": "X"}})
    with patch.object(copy, "deepcopy", side_effect=AssertionError("a table copied")) as deepcopy:
        with pytest.raises(ClientError):
            ddb.transact_write_items(TransactItems=[_put("n1"), _put("old1", "attribute_not_exists(PK)")])
        ddb.transact_write_items(TransactItems=[_put("n2"), _put("n3")])
    assert deepcopy.call_count == 0
    assert "n2" in _keys(ddb) and "n1" not in _keys(ddb)
