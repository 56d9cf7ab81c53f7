"""Keep the emulator's data across restarts: a snapshot of the table and the bucket under the data dir.

Why a snapshot and not a replay of recorded requests: replaying would re-run every call
(sends included) against a clock that has moved on, and grows without bound. A snapshot
holds only what is stored: table items exactly as DynamoDB returns them, and bucket objects
as content-addressed files. It is written shortly after every request that went through the
stack, every `PERIOD` seconds, and on shutdown; a hard kill loses at most the last moment.
(Scan is fine here: this is tooling on a demo table, not the application.)
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("infra.local")

FORMAT_VERSION = 1
PERIOD = 30.0  # seconds between snapshots while nothing marks the state dirty
DEBOUNCE = 0.2  # seconds to let a burst of writes settle


def _encode(value: Any) -> Any:
    """DynamoDB attribute values -> JSON: binary ("B", "BS") becomes base64 text."""
    if isinstance(value, bytes | bytearray):
        return {"__b64__": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class Snapshots:
    def __init__(self, data_dir: Path, ddb: Any, s3: Any, table: str, bucket: str) -> None:
        self._state = data_dir / "state.json"
        self._blobs = data_dir / "blobs"
        self._ddb, self._s3 = ddb, s3
        self._table, self._bucket = table, bucket
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], dict[str, Any]] = {}  # (key, etag) -> entry: read each object once

    @property
    def exists(self) -> bool:
        return self._state.exists()

    def save(self) -> dict[str, int]:
        with self._lock:
            items = self._scan()
            objects = self._save_objects()
            snapshot = {
                "format": FORMAT_VERSION,
                "saved_at": datetime.now(UTC).isoformat(),
                "table": {"items": _encode(items)},
                "bucket": {"objects": objects},
            }
            tmp = self._state.with_suffix(".tmp")
            tmp.write_text(json.dumps(snapshot), encoding="utf-8")
            os.replace(tmp, self._state)  # atomic: a crash leaves the previous snapshot whole
            return {"items": len(items), "objects": len(objects)}

    def restore(self) -> dict[str, int]:
        snapshot = json.loads(self._state.read_text(encoding="utf-8"))
        if snapshot.get("format") != FORMAT_VERSION:
            raise RuntimeError(f"{self._state} has format {snapshot.get('format')}, expected {FORMAT_VERSION}")
        items = _decode(snapshot["table"]["items"])
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending: dict[str, Any] = {self._table: batch}
            while pending:
                pending = self._ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        objects = snapshot["bucket"]["objects"]
        for obj in objects:
            self._s3.put_object(
                Bucket=self._bucket,
                Key=obj["key"],
                Body=(self._blobs / obj["sha256"]).read_bytes(),
                ContentType=obj.get("content_type") or "application/octet-stream",
                Metadata=obj.get("metadata") or {},
            )
        return {"items": len(items), "objects": len(objects)}

    def _scan(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        args: dict[str, Any] = {"TableName": self._table, "ConsistentRead": True}
        while True:
            page = self._ddb.scan(**args)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            args["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _save_objects(self) -> list[dict[str, Any]]:
        self._blobs.mkdir(parents=True, exist_ok=True)
        objects = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._bucket):
            for entry in page.get("Contents", []):
                known = (entry["Key"], entry.get("ETag", ""))
                if known not in self._known:
                    self._known[known] = self._save_object(entry["Key"])
                objects.append(self._known[known])
        return objects

    def _save_object(self, key: str) -> dict[str, Any]:
        got = self._s3.get_object(Bucket=self._bucket, Key=key)
        body = got["Body"].read()
        digest = hashlib.sha256(body).hexdigest()
        blob = self._blobs / digest
        if not blob.exists():
            blob.write_bytes(body)
        return {
            "key": key,
            "sha256": digest,
            "content_type": got.get("ContentType"),
            "metadata": got.get("Metadata") or {},
        }


class Snapshotter:
    """Saves soon after `mark_dirty()`, every PERIOD seconds regardless, and once more on `stop()`."""

    def __init__(self, snapshots: Snapshots) -> None:
        self._snapshots = snapshots
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="snapshots", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark_dirty(self) -> None:
        self._dirty.set()

    def stop(self) -> None:
        self._stopping.set()
        self._dirty.set()
        self._thread.join(timeout=10)
        self._snapshots.save()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait(PERIOD)
            if self._stopping.is_set():
                return
            self._stopping.wait(DEBOUNCE)
            self._dirty.clear()
            try:
                self._snapshots.save()
            except Exception:  # keep serving; the next save tries again
                log.exception("snapshot failed")
