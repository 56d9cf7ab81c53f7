"""Notices without AWS: read the table's stream and call the notify function as Lambda would.

In AWS an event source mapping reads the table's stream, keeps what its filter matches (inserted
notice items, infra/template.yaml), calls the notify function with batches of DynamoDB-stream
records, retries the records it reports failed (`batchItemFailures`) and parks the ones that keep
failing. moto records a stream but fires nothing, and the in-memory store keeps a change log:
`NoticePump` does the event source's part for both, with the same event shape, for `make run`
(a background thread) and for the tests (`drain()` after a request).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("infra.local")

Invoke = Callable[[dict[str, Any]], Any]
REGION = "us-east-1"
BATCH_SIZE = 10
MAX_ATTEMPTS = 6  # the first try and five retries, as the template's MaximumRetryAttempts


class Stream(Protocol):
    def read(self) -> list[dict[str, Any]]:
        """The records written since the last read, in order, shaped as Lambda delivers them."""
        ...


def is_notice(record: dict[str, Any]) -> bool:
    """The template's FilterCriteria: inserted items whose `type` is `notice`."""
    image = (record.get("dynamodb") or {}).get("NewImage") or {}
    return record.get("eventName") == "INSERT" and image.get("type") == {"S": "notice"}


class DynamoStream:
    """The table's stream on moto, in-process or as a server (`streams_client` is boto3's).

    moto writes a transaction's items to the stream as it applies them and, when a later
    condition cancels the transaction, restores the table but not the stream. DynamoDB streams
    only what committed, so an inserted item that is not in the table is dropped here
    (`table_client`, one GetItem per inserted notice, on a client of its own).
    """

    def __init__(self, streams_client: Any, stream_arn: str, table_client: Any = None) -> None:
        self._client = streams_client
        self._arn = stream_arn
        self._table_client = table_client
        self._table_name = stream_arn.split(":table/", 1)[1].split("/stream/", 1)[0]
        self._iterators: dict[str, str | None] = {}

    def _committed(self, record: dict[str, Any]) -> bool:
        if self._table_client is None or not is_notice(record):
            return True
        found = self._table_client.get_item(TableName=self._table_name, Key=record["dynamodb"]["Keys"])
        return "Item" in found

    def read(self) -> list[dict[str, Any]]:
        shards = self._client.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        records: list[dict[str, Any]] = []
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self._client.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            iterator = self._iterators[shard_id]
            if iterator is None:
                continue
            answer = self._client.get_records(ShardIterator=iterator)
            self._iterators[shard_id] = answer.get("NextShardIterator")
            records += [{**record, "eventSourceARN": self._arn, "awsRegion": REGION} for record in answer["Records"]]
        return [record for record in records if self._committed(record)]


class MemoryStream:
    """The in-memory table's change log, as stream records (NEW_IMAGE)."""

    def __init__(self, table: Any) -> None:
        from boto3.dynamodb.types import TypeSerializer

        self._table = table
        self._seen = 0
        self._serialize = TypeSerializer().serialize

    def read(self) -> list[dict[str, Any]]:
        changes = self._table.changes(self._seen)
        self._seen += len(changes)
        return [self._record(change) for change in changes]

    def _record(self, change: Any) -> dict[str, Any]:
        dynamodb: dict[str, Any] = {
            "Keys": {name: self._serialize(value) for name, value in change.keys.items()},
            "SequenceNumber": f"{change.sequence:021d}",
            "StreamViewType": "NEW_IMAGE",
        }
        if change.new_image is not None:
            dynamodb["NewImage"] = {name: self._serialize(value) for name, value in change.new_image.items()}
        return {
            "eventID": str(change.sequence),
            "eventName": change.event_name,
            "eventSource": "aws:dynamodb",
            "eventVersion": "1.1",
            "awsRegion": REGION,
            "dynamodb": dynamodb,
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/memory/stream/local",
        }


@dataclass
class _Waiting:
    record: dict[str, Any]
    attempts: int = 0
    not_before: float = 0.0


class NoticePump:
    """What Lambda's event source mapping does for the notify function, one `pump()` at a time."""

    def __init__(self, stream: Stream, invoke: Invoke, backoff_seconds: float = 0.0) -> None:
        self._stream = stream
        self._invoke = invoke
        self._backoff = backoff_seconds  # 0 in tests: a failed record may be retried at once
        self._waiting: list[_Waiting] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.delivered = 0
        self.dead_letters: list[dict[str, Any]] = []

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def peek(self) -> list[dict[str, Any]]:
        """Read what is new without delivering it: it waits for the next `pump()` (tests look at it)."""
        with self._lock:
            self._waiting += [_Waiting(record) for record in self._stream.read() if is_notice(record)]
            return [w.record for w in self._waiting]

    def pump(self) -> int:
        """Read what is new, then hand what is due to the function; the records delivered now."""
        with self._lock:
            self._waiting += [_Waiting(record) for record in self._stream.read() if is_notice(record)]
            due = [w for w in self._waiting if w.not_before <= time.monotonic()]
            delivered = 0
            for first in range(0, len(due), BATCH_SIZE):
                delivered += self._deliver(due[first : first + BATCH_SIZE])
            self.delivered += delivered
            return delivered

    def drain(self, rounds: int = MAX_ATTEMPTS) -> int:
        """Pump until nothing waits (or every retry is spent): what a test calls after a request."""
        delivered = 0
        for _ in range(rounds):
            delivered += self.pump()
            if not self._waiting:
                break
        return delivered

    def _deliver(self, batch: list[_Waiting]) -> int:
        event = {"Records": [w.record for w in batch]}
        try:
            answer = self._invoke(event) or {}
            failed_ids = {f["itemIdentifier"] for f in answer.get("batchItemFailures") or []}
        except Exception:
            log.exception("the notify function failed: the whole batch is retried")
            failed_ids = {w.record["dynamodb"]["SequenceNumber"] for w in batch}
        for waiting in batch:
            if waiting.record["dynamodb"]["SequenceNumber"] not in failed_ids:
                self._waiting.remove(waiting)
                continue
            waiting.attempts += 1
            waiting.not_before = time.monotonic() + self._backoff * 2 ** (waiting.attempts - 1)
            if waiting.attempts >= MAX_ATTEMPTS:
                log.error("a notice failed every retry: dead-lettered")
                self._waiting.remove(waiting)
                self.dead_letters.append(waiting.record)
        return len(batch) - len(failed_ids & {w.record["dynamodb"]["SequenceNumber"] for w in batch})

    def start(self, every_seconds: float = 0.2) -> None:
        """Pump in the background (the local stack)."""

        def run() -> None:
            while not self._stop.wait(every_seconds):
                try:
                    self.pump()
                except Exception:
                    log.exception("notice pump failed; trying again")

        self._thread = threading.Thread(target=run, name="notice-pump", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.pump()  # what was committed before the stop still goes out
        except Exception:
            log.exception("last notice pump failed")
