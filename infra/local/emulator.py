"""The embedded AWS: moto's server on loopback, holding the template's bucket and topic (and its
table with `--store dynamodb`), and SES with the template's sender identity verified."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from infra.local.http import LOOPBACK
from infra.template import table_definition, ttl_attribute

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
STACK_NAME = "punchclock-local"

# Credentials moto accepts; set for this process so nothing here can reach a real AWS account.
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
AWS_ENV_DROPPED = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE")


@dataclass(frozen=True)
class Resources:
    """Physical names of what the template declares, as a deployed stack would have them."""

    table: str = f"{STACK_NAME}-table"
    bucket: str = f"{STACK_NAME}-receipts"
    topic_name: str = f"{STACK_NAME}-inbound-sms"

    @property
    def topic_arn(self) -> str:
        return f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:{self.topic_name}"


class Emulator:
    def __init__(self, port: int = 0) -> None:
        from moto.server import ThreadedMotoServer  # deferred: importing moto costs about a second

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per emulated AWS call
        self._server = ThreadedMotoServer(ip_address=LOOPBACK, port=port, verbose=False)
        self.resources = Resources()
        self.url = ""

    def start(self) -> None:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        for name in AWS_ENV_DROPPED:
            os.environ.pop(name, None)
        os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=self.url)

    def stop(self) -> None:
        self._server.stop()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.url, region_name=REGION)  # type: ignore[call-overload]

    def create_resources(self, table: bool = True) -> None:
        """Create the table (with its GSIs and TTL) unless another store keeps the items, the
        receipts bucket and the inbound SMS topic."""
        if table:
            ddb = self.client("dynamodb")
            ddb.create_table(**table_definition(self.resources.table))
            ddb.update_time_to_live(
                TableName=self.resources.table,
                TimeToLiveSpecification={"AttributeName": ttl_attribute(), "Enabled": True},
            )
        s3 = self.client("s3")
        s3.create_bucket(Bucket=self.resources.bucket)
        s3.put_public_access_block(
            Bucket=self.resources.bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        self.client("sns").create_topic(Name=self.resources.topic_name)

    def load_items(self, table: str, items: list[dict[str, Any]]) -> None:
        """Put items (attribute values) straight into the emulated table: moto runs in this process,
        so a restore of a hundred thousand items takes seconds rather than minutes of HTTP."""
        from moto.dynamodb.models import dynamodb_backends

        backend = dynamodb_backends[ACCOUNT_ID][REGION]
        with _one_request:
            for item in items:
                backend.put_item(table, item)

    def verify_sender(self, address: str) -> None:
        """SES sends only from verified identities, in moto as in the cloud."""
        self.client("sesv2").create_email_identity(EmailIdentity=address)


def transactions_checked_before_written() -> None:
    """Make moto's TransactWriteItems check every condition first and write only when all hold.

    moto applies a transaction's writes one by one and, to undo them when a later condition
    fails, first deep-copies each table it touches, items and stream included: every transaction
    cost time and memory in proportion to everything ever written (a week of a crew's history
    made a punch take seconds and the process grow to gigabytes), and a restored copy took the
    stream's sequence numbers back, so a reader past them missed later writes. DynamoDB evaluates
    a transaction's conditions against the items as they were before it, and one transaction
    names each item once, so checking them all before writing any gives the same answers with
    nothing to undo: the cost is the transaction's own items, and the stream only goes forward.
    Idempotent; only moto is changed (the emulator's and the tests').
    """
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend.transact_write_items, "checked_first", False):
        return

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        _check_then_write(self, transact_items)

    transact_write_items.checked_first = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _check_then_write(backend: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.exceptions import TransactionCanceledException

    operations = _operations(backend, transact_items)
    reasons = [_failed_condition(backend, op, key) for _, op, key in operations]
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    for op_type, op, key in operations:
        names = op.get("ExpressionAttributeNames")
        if op_type == "Put":
            backend.put_item(op["TableName"], op["Item"], expression_attribute_names=names)
        elif op_type == "Delete":
            backend.delete_item(op["TableName"], key)
        elif op_type == "Update":
            backend.update_item(
                op["TableName"],
                key,
                update_expression=op["UpdateExpression"],
                expression_attribute_names=names,
                expression_attribute_values=op.get("ExpressionAttributeValues"),
            )


Operation = tuple[str, dict[str, Any], dict[str, Any]]  # type, its request, the item's key
Reason = tuple[str | None, str | None, dict[str, Any] | None]  # code, message, the item (ALL_OLD)


def _operations(backend: Any, transact_items: list[dict[str, Any]]) -> list[Operation]:
    """The transaction's operations, refused as moto refuses them (too many, one item twice)."""
    from moto.dynamodb.exceptions import (
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    operations: list[Operation] = []
    targets: set[tuple[str, str]] = set()
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        key = op["Key"] if op_type != "Put" else _key_of(backend.get_table(op["TableName"]), op["Item"])
        target = (str(op["TableName"]), str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        operations.append((op_type, op, key))
    return operations


def _failed_condition(backend: Any, op: dict[str, Any], key: dict[str, Any]) -> Reason:
    from moto.dynamodb.comparisons import get_filter_expression

    try:
        current = backend.get_item(op["TableName"], key)
        condition = op.get("ConditionExpression")
        if condition is None or get_filter_expression(
            condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current):
            return (None, None, None)
    except Exception as error:  # as moto does: any other failure cancels the transaction too
        return (type(error).__name__, str(error), None)
    old = current.to_json()["Attributes"] if current is not None else None
    wanted = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    return ("ConditionalCheckFailed", "The conditional request failed", old if wanted else None)


def _key_of(table: Any, item: dict[str, Any]) -> dict[str, Any]:
    key = {table.hash_key_attr: item[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = item[table.range_key_attr]
    return key


WRITES = {"PutItem", "DeleteItem", "UpdateItem", "TransactWriteItems", "BatchWriteItem"}


@dataclass(frozen=True)
class Written:
    """An item a write request changed: its key (PK and SK, attribute values) and the item as it
    is now stored, as the request says: a Put's item, None for a Delete; `known` is False for an
    Update (whose result the request does not hold: read the item to know it)."""

    key: dict[str, Any]
    item: dict[str, Any] | None
    known: bool = True


Listener = Callable[[str, list[Written]], None]
_one_request = threading.RLock()
_write_listeners: list[Listener] = []


def serialise_dynamodb(on_write: Listener | None = None) -> None:
    """One DynamoDB request at a time in the emulator, and `on_write(table, written)` after each
    write that succeeded, in the order they were applied.

    DynamoDB applies each request atomically. moto's threaded server shares its tables between
    requests without a lock, so two writes at once can fail with HTTP 500 ("dictionary changed
    size during iteration") and a read beside a write can see it half done: here every DynamoDB
    and DynamoDB Streams request holds one lock, as the tests do (tests/conftest.py). What a
    write changed goes to `on_write`, which is how the journal (infra/local/persistence.py)
    keeps the table without ever reading all of it. Idempotent; only the emulator is changed.
    """
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    if on_write is not None:
        _write_listeners.append(on_write)
    for handler_class in (DynamoHandler, DynamoDBStreamsHandler):
        original = handler_class.call_action
        if getattr(original, "serialised", False):
            continue

        def call_action(self: Any, original: Any = original) -> Any:
            with _one_request:
                answer = original(self)
                action = self._get_action()
                if action in WRITES and _write_listeners and int(answer[0]) < 300:
                    _tell(action, self.body)
                return answer

        call_action.serialised = True  # type: ignore[attr-defined]
        handler_class.call_action = call_action  # type: ignore[method-assign]


def _tell(action: str, body: Any) -> None:
    try:
        request = body if isinstance(body, dict) else json.loads(body or "{}")  # moto parsed it, or not yet
        for table, written in written_items(action, request).items():
            for listener in _write_listeners:
                listener(table, written)
    except Exception:  # the write itself went through: never turn it into an error
        logging.getLogger("infra.local").exception("could not note what a %s wrote", action)


def written_items(action: str, body: dict[str, Any]) -> dict[str, list[Written]]:
    """What a DynamoDB write request that succeeded changed, by table."""
    found: dict[str, list[Written]] = {}
    for table, kind, attributes in _targets(action, body):
        key: dict[str, Any] = {name: attributes[name] for name in ("PK", "SK") if name in attributes}
        entry = Written(key, attributes if kind == "Put" else None, kind != "Update")
        found.setdefault(table, []).append(entry)
    return found


def _targets(action: str, body: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table, Put | Delete | Update, the item or the key) of each write in a request."""
    if action == "PutItem":
        yield body["TableName"], "Put", body["Item"]
    elif action in ("DeleteItem", "UpdateItem"):
        yield body["TableName"], action[:-4], body["Key"]
    elif action == "TransactWriteItems":
        for entry in body.get("TransactItems", []):
            for kind, op in entry.items():
                if kind != "ConditionCheck":
                    yield op["TableName"], kind, op.get("Item") or op["Key"]
    elif action == "BatchWriteItem":
        for table, requests in body.get("RequestItems", {}).items():
            for request in requests:
                for kind, op in request.items():
                    yield table, kind.removesuffix("Request"), op.get("Item") or op["Key"]
