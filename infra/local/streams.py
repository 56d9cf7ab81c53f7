"""Notices without AWS: read the table's stream and call the notify function as Lambda would.

In AWS an event source mapping reads the table's stream, keeps what its filter matches (inserted
notice items, infra/template.yaml), calls the notify function with batches of DynamoDB-stream
records, retries the records it reports failed (`batchItemFailures`) and parks the ones that keep
failing. moto records a stream but fires nothing, and the in-memory and SQLite stores keep a
change log: `NoticePump` does the event source's part for all three, with the same event shape,
for `make run` (a background thread) and for the tests (`drain()` after a request).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from core.store.sqlite import SqliteTable
from core.store.table import Change

log = logging.getLogger("infra.local")

Invoke = Callable[[dict[str, Any]], Any]
REGION = "us-east-1"
BATCH_SIZE = 10
READ_PAGE = 1000  # change-log rows per query
MAX_ATTEMPTS = 6  # the first try and five retries, as the template's MaximumRetryAttempts


class Stream(Protocol):
    def read(self) -> list[dict[str, Any]]:
        """The records written since the last read, in order, shaped as Lambda delivers them."""
        ...

    def acknowledge(self, retrying_from: int | None) -> None:
        """Everything read is handled, except the records from sequence number `retrying_from` on
        when given (some wait for a retry): a restart resumes after what is handled, where it can."""
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

    def acknowledge(self, retrying_from: int | None) -> None:
        """moto keeps its stream in memory only: nothing outlives the process to resume from."""

    def start_from_now(self) -> None:
        """Skip what is in the stream already (a restore's writes): only later changes are read."""
        shards = self._client.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            self._iterators[shard["ShardId"]] = self._client.get_shard_iterator(
                StreamArn=self._arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
            )["ShardIterator"]


def stream_record(change: Change, table: str) -> dict[str, Any]:
    """A table's change as a DynamoDB stream record (NEW_IMAGE), as Lambda delivers it."""
    serialize = _serializer()
    dynamodb: dict[str, Any] = {
        "Keys": {name: serialize(value) for name, value in change.keys.items()},
        "SequenceNumber": f"{change.sequence:021d}",
        "StreamViewType": "NEW_IMAGE",
    }
    if change.new_image is not None:
        dynamodb["NewImage"] = {name: serialize(value) for name, value in change.new_image.items()}
    return {
        "eventID": str(change.sequence),
        "eventName": change.event_name,
        "eventSource": "aws:dynamodb",
        "eventVersion": "1.1",
        "awsRegion": REGION,
        "dynamodb": dynamodb,
        "eventSourceARN": f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}/stream/local",
    }


@cache
def _serializer() -> Callable[[Any], Any]:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer().serialize


class MemoryStream:
    """The in-memory table's change log, as stream records (NEW_IMAGE)."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self._seen = 0

    def read(self) -> list[dict[str, Any]]:
        changes = self._table.changes(self._seen)
        self._seen += len(changes)
        return [stream_record(change, "memory") for change in changes]

    def acknowledge(self, retrying_from: int | None) -> None:
        """A memory table ends with its process: nothing to resume."""


def is_notice_change(change: Change) -> bool:
    """The template's FilterCriteria, on a table's change before it becomes a record."""
    return change.event_name == "INSERT" and (change.new_image or {}).get("type") == "notice"


class SqliteStream:
    """The SQLite table's change log as stream records, read by sequence number: each read asks
    only for rows after the last one seen, and a restart resumes after what was acknowledged
    (the position is saved in the database, and rows every reader has handled are dropped).

    `keep` filters at the source, as Lambda's FilterCriteria do before invoking: a bulk import's
    hundred thousand rows are read once and never become records.
    """

    def __init__(
        self, table: SqliteTable, reader: str = "notify", keep: Callable[[Change], bool] | None = None
    ) -> None:
        self._table = table
        self._reader = reader
        self._keep = keep
        self._seen = table.stream_position(reader)
        self._acknowledged = self._seen

    @property
    def position(self) -> int:
        """The last sequence number read."""
        return self._seen

    def read(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        while True:
            changes = self._table.changes(self._seen, limit=READ_PAGE)
            if not changes:
                return records
            self._seen = changes[-1].sequence
            kept = [change for change in changes if self._keep is None or self._keep(change)]
            records += [stream_record(change, "sqlite") for change in kept]
            if len(changes) < READ_PAGE or len(records) >= READ_PAGE:
                return records

    def acknowledge(self, retrying_from: int | None) -> None:
        handled = self._seen if retrying_from is None else retrying_from - 1
        if handled > self._acknowledged:
            self._table.save_stream_position(self._reader, handled)
            self._acknowledged = handled


def _sequence(record: dict[str, Any]) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


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
        # Pumps finished, and the number of the last one that found the stream quiet (it read
        # nothing new and nothing waits): `quiet_since(n)` tells a watcher everything committed
        # before it read `pumps` as n has gone out (the stack's /api/stats, tests' settled()).
        self.pumps = 0
        self.last_quiet_pump = 0

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _read(self) -> int:
        """Take what is new from the stream; the number of notices read."""
        fresh = [_Waiting(record) for record in self._stream.read() if is_notice(record)]
        self._waiting += fresh
        return len(fresh)

    def peek(self) -> list[dict[str, Any]]:
        """Read what is new without delivering it: it waits for the next `pump()` (tests look at it)."""
        with self._lock:
            self._read()
            return [w.record for w in self._waiting]

    def pump(self, until: float | None = None) -> int:
        """Read what is new, then hand what is due to the function; the records delivered now.
        No batch starts after `until` (monotonic): the rest waits for the next pump."""
        with self._lock:
            fresh = self._read()
            due = [w for w in self._waiting if w.not_before <= time.monotonic()]
            delivered = 0
            for first in range(0, len(due), BATCH_SIZE):
                if until is not None and time.monotonic() >= until:
                    break
                delivered += self._deliver(due[first : first + BATCH_SIZE])
            waiting = [_sequence(w.record) for w in self._waiting]
            self._stream.acknowledge(min(waiting) if waiting else None)
            self.pumps += 1
            if not fresh and not waiting:
                self.last_quiet_pump = self.pumps
            return delivered

    def quiet_since(self, pumps: int) -> bool:
        """Whether a pump that began after `pumps` were counted found the stream quiet: everything
        committed before that count was read, and delivered or dead-lettered, and so were the
        notices those deliveries committed. (Pump `pumps + 1` may have begun before; `+ 2` did not.)"""
        return self.last_quiet_pump >= pumps + 2

    def drain(self, max_pumps: int = 20 * MAX_ATTEMPTS) -> int:
        """Pump until the change log is quiet: nothing new to read and nothing waiting. Notices the
        notify function commits itself (a budget alert after an expense's notice) are read by the
        pump after the one that delivered their cause, so one pump is never enough to call it a
        day. A record failing every retry is dead-lettered on the way. What a test calls after a
        request; raises if the notices never stop (a notice that always begets another)."""
        delivered = 0
        for _ in range(max_pumps):
            before = self.pumps
            delivered += self.pump()
            if self.last_quiet_pump > before:
                return delivered
        raise RuntimeError(f"notices still coming after {max_pumps} pumps")

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
                self.delivered += 1  # counted before it stops waiting: a watcher never sees it in neither
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
                    self.pump(until=time.monotonic() + 1.0)  # a backlog is worked off a second at a time
                except Exception:
                    log.exception("notice pump failed; trying again")

        self._thread = threading.Thread(target=run, name="notice-pump", daemon=True)
        self._thread.start()

    def stop(self, until: float | None = None) -> None:
        """Stop pumping; what was committed before goes out, until `until` (monotonic) if given:
        a backlog beyond it waits in the stream (the SQLite change log keeps it for the next start)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5 if until is None else max(0.0, until - time.monotonic()))
        try:
            self.pump(until=until)
        except Exception:
            log.exception("last notice pump failed")
