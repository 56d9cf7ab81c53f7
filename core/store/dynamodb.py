"""The store on DynamoDB: one table, two GSIs, no Scans.

`DynamoTable` turns the store's writes and conditions (core/store/table.py) into DynamoDB
calls, one call each: GetItem, Query (following pages), PutItem with a condition expression,
DeleteItem returning the old item, and TransactWriteItems for changes of several items. A failed
condition returns the item it found (ReturnValuesOnConditionCheckFailure), so a retry needs
no extra read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from core.ports import NotWritten
from core.store.item_store import ItemStore
from core.store.table import (
    AnyOf,
    Check,
    Condition,
    Delete,
    IfAbsent,
    IfEquals,
    IfExists,
    IfExpired,
    Item,
    Key,
    Put,
    Refused,
    Write,
)

CONFLICT_RETRIES = 3

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_av(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items()}


def from_av(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in raw.items()}


class _Expression:
    """One condition expression with its own placeholders (#n0, :v0, ...)."""

    def __init__(self, condition: Condition) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self.text = self._write(condition)

    def _name(self, name: str) -> str:
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = name
        return placeholder

    def _value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def _write(self, condition: Condition) -> str:
        match condition:
            case IfAbsent():
                return "attribute_not_exists(PK)"
            case IfExists():
                return "attribute_exists(PK)"
            case IfEquals(name, value):
                return f"{self._name(name)} = {self._value(value)}"
            case IfExpired(ttl_attribute, now):
                return f"{self._name(ttl_attribute)} < {self._value(now)}"
            case AnyOf(conditions):
                return " OR ".join(f"({self._write(part)})" for part in conditions)
        raise TypeError(f"unknown condition {condition!r}")

    def arguments(self) -> dict[str, Any]:
        args: dict[str, Any] = {"ConditionExpression": self.text}
        if self.names:
            args["ExpressionAttributeNames"] = self.names
        if self.values:
            args["ExpressionAttributeValues"] = to_av(self.values)
        return args


class DynamoTable:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._name = table_name

    def get(self, key: Key) -> Item | None:
        resp = self._db.get_item(TableName=self._name, Key=to_av(key), ConsistentRead=True)
        return from_av(resp["Item"]) if "Item" in resp else None

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
        names = {"#pk": pk_name}
        values = {":pk": pk}
        condition = "#pk = :pk"
        if sk_name and low is not None and high is not None:
            condition += " AND #sk BETWEEN :lo AND :hi"
            names["#sk"] = sk_name
            values |= {":lo": low, ":hi": high}
        args: dict[str, Any] = {
            "TableName": self._name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_av(values),
        }
        if index:
            args["IndexName"] = index
        elif fresh:
            args["ConsistentRead"] = True
        while True:
            resp = self._db.query(**args)
            for raw in resp.get("Items", []):
                yield from_av(raw)
            if "LastEvaluatedKey" not in resp:
                return
            args["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def _put_arguments(self, put: Put) -> dict[str, Any]:
        args: dict[str, Any] = {"TableName": self._name, "Item": to_av(put.item)}
        if put.condition is not None:
            args |= _Expression(put.condition).arguments()
        if put.return_old_on_failure:
            args["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return args

    def _delete_arguments(self, delete: Delete) -> dict[str, Any]:
        args: dict[str, Any] = {"TableName": self._name, "Key": to_av(delete.key)}
        if delete.condition is not None:
            args |= _Expression(delete.condition).arguments()
        return args

    def _check_arguments(self, check: Check) -> dict[str, Any]:
        args: dict[str, Any] = {"TableName": self._name, "Key": to_av(check.key)}
        args |= _Expression(check.condition).arguments()
        if check.return_old_on_failure:
            args["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return args

    def _action(self, write: Write) -> dict[str, Any]:
        if isinstance(write, Put):
            return {"Put": self._put_arguments(write)}
        if isinstance(write, Delete):
            return {"Delete": self._delete_arguments(write)}
        return {"ConditionCheck": self._check_arguments(write)}

    def add(self, key: Key, name: str, amount: int, condition: Condition | None = None) -> int | None:
        args: dict[str, Any] = {
            "TableName": self._name,
            "Key": to_av(key),
            "UpdateExpression": "ADD #counter :amount",
            "ReturnValues": "UPDATED_NEW",
        }
        expression = _Expression(condition) if condition is not None else None
        names = {"#counter": name} | (expression.names if expression else {})
        values = {":amount": amount} | (expression.values if expression else {})
        args |= {"ExpressionAttributeNames": names, "ExpressionAttributeValues": to_av(values)}
        if expression is not None:
            args["ConditionExpression"] = expression.text
        try:
            resp = self._db.update_item(**args)
        except ClientError as err:
            if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return int(from_av(resp["Attributes"])[name])

    def put(self, put: Put) -> Refused | None:
        try:
            self._db.put_item(**self._put_arguments(put))
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            old: dict[str, Any] | None = err.response.get("Item")  # type: ignore[assignment]
            return Refused(from_av(old) if old else None)
        return None

    def pop(self, key: Key) -> Item | None:
        resp = self._db.delete_item(TableName=self._name, Key=to_av(key), ReturnValues="ALL_OLD")
        return from_av(resp["Attributes"]) if "Attributes" in resp else None

    def transact(self, writes: Sequence[Write]) -> list[Refused | None] | None:
        """A `TransactionConflict` means another transaction was touching the same item at that
        moment (Slack and SMS at once): nothing was written, so we simply try again; the
        conditions then see the other write and fail cleanly if they must."""
        actions = [self._action(write) for write in writes]
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._db.transact_write_items(TransactItems=actions)
                return None
            except ClientError as err:
                if err.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons: list[dict[str, Any]] = [dict(r) for r in err.response.get("CancellationReasons") or []]
                conflicted = any(r.get("Code") == "TransactionConflict" for r in reasons)
                failed_condition = any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
                if conflicted and not failed_condition and attempt < CONFLICT_RETRIES:
                    time.sleep(0.01 * (attempt + 1))
                    continue
                return _refusals(reasons, len(writes))
        return None  # unreachable


def _refusals(reasons: list[dict[str, Any]], count: int) -> list[Refused | None]:
    """One entry per write. Cancelled with no failed condition (still conflicting after the
    retries, throttled, a limit): nothing was written, and no condition can say why."""
    if not any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
        codes = sorted({str(r.get("Code")) for r in reasons} - {"None"})
        raise NotWritten(f"transaction cancelled ({', '.join(codes)}); nothing was written")
    refusals: list[Refused | None] = []
    for reason in reasons:
        if reason.get("Code") == "ConditionalCheckFailed":
            refusals.append(Refused(from_av(reason["Item"]) if "Item" in reason else None))
        else:
            refusals.append(None)
    return refusals + [None] * (count - len(refusals))


class DynamoStore(ItemStore):
    """The Store port on a DynamoDB table (built once per container by core/bootstrap.py)."""

    def __init__(self, client: Any, table_name: str) -> None:
        super().__init__(DynamoTable(client, table_name))

    @classmethod
    def for_table(cls, table_name: str) -> DynamoStore:
        """The store on this container's own DynamoDB client (AWS_ENDPOINT_URL, honoured by boto3
        itself, points it at moto locally and in tests)."""
        import boto3

        return cls(boto3.client("dynamodb"), table_name)
