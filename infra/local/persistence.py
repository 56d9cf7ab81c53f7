"""What the emulator holds, kept across restarts under the data dir, at a cost that follows the
writes and not the history.

- The SQLite store (the default) needs nothing here: its file is the database. (A `state.json`
  left by the snapshots `make run` kept before is imported into it once: `import_old_snapshot`.)
- The receipts bucket (moto's S3, either store): `bucket.jsonl` lists each object once, appended
  when it first appears (content-addressed files in `blobs/`); a save lists the bucket's keys and
  reads only objects it has not seen.
- The table with `--store dynamodb` (moto's DynamoDB): `table.jsonl` is a journal of items. The
  emulator reports what each write that succeeded changed, in the order applied
  (infra/local/emulator.py): a Put's item, a Delete; an Update's item is read at the save. A
  restore loads the latest line per key and rewrites the journal compacted. Items, not requests:
  a cancelled transaction leaves nothing in it, and a restart sends nothing again.

Saved shortly after every invocation, every `PERIOD` seconds and on stop; a hard kill loses at
most the last moment of the emulated parts (never of the SQLite store).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from core.store import transfer
from core.store.table import Table
from infra.local.emulator import Written

log = logging.getLogger("infra.local")

PERIOD = 30.0  # seconds between saves while nothing marks the state dirty
DEBOUNCE = 0.2  # seconds to let a burst of writes settle
BATCH_GET = 100  # DynamoDB's BatchGetItem limit


def _append(path: Path, lines: list[str]) -> None:
    if not lines:
        return
    with path.open("a", encoding="utf-8") as out:
        out.write("".join(line + "\n" for line in lines))
        out.flush()
        os.fsync(out.fileno())


def _lines(path: Path) -> Iterator[Any]:
    """Each whole JSON line (a torn last line, from a kill mid-append, is skipped)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                yield json.loads(line)
            except ValueError:
                log.warning("%s: skipped a torn line", path)


class BucketSnapshots:
    def __init__(self, data_dir: Path, s3: Any, bucket: str) -> None:
        self._manifest = data_dir / "bucket.jsonl"
        self._blobs = data_dir / "blobs"
        self._s3, self._bucket = s3, bucket
        self._lock = threading.Lock()
        self._known: dict[str, str] = {}  # key -> ETag, of what the manifest holds

    def restore(self) -> int:
        entries: dict[str, dict[str, Any]] = {}
        for entry in _lines(self._manifest):
            entries[entry["key"]] = entry
        for entry in entries.values():
            if entry.get("deleted"):
                continue
            answer = self._s3.put_object(
                Bucket=self._bucket,
                Key=entry["key"],
                Body=(self._blobs / entry["sha256"]).read_bytes(),
                ContentType=entry.get("content_type") or "application/octet-stream",
                Metadata=entry.get("metadata") or {},
            )
            self._known[entry["key"]] = answer.get("ETag", "")
        return sum(1 for entry in entries.values() if not entry.get("deleted"))

    def save(self) -> int:
        """Append what appeared or went since the last save; how many entries that was."""
        with self._lock:
            listed: dict[str, str] = {}
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._bucket):
                listed.update((entry["Key"], entry.get("ETag", "")) for entry in page.get("Contents", []))
            new = [self._save_object(key) for key, etag in listed.items() if self._known.get(key) != etag]
            gone = [{"key": key, "deleted": True} for key in self._known.keys() - listed.keys()]
            _append(self._manifest, [json.dumps(entry) for entry in new + gone])
            self._known = listed
            return len(new) + len(gone)

    def _save_object(self, key: str) -> dict[str, Any]:
        self._blobs.mkdir(parents=True, exist_ok=True)
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


def _key_text(key: dict[str, Any]) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


class TableJournal:
    """The emulated DynamoDB table (`--store dynamodb`), journalled as its writes go: a Put's item
    and a Delete as they are applied (the emulator reports them, in order), an Update's item read
    at the next save."""

    def __init__(self, data_dir: Path, ddb: Any, table: str, load: Callable[[list[dict[str, Any]]], None]) -> None:
        self._path = data_dir / "table.jsonl"
        self._ddb, self._table = ddb, table
        self._load = load  # items (attribute values) into the table, for a restore
        self._lock = threading.Lock()
        self._saving = threading.Lock()  # one save at a time: lines land in the order they were made
        self._lines: list[str] = []  # written, not yet saved
        self._dirty: set[str] = set()  # keys updated: read them at the save

    def written(self, entries: list[Written]) -> None:
        """A write request changed these items (attribute values, as sent)."""
        with self._lock:
            for entry in entries:
                if entry.known:
                    self._lines.append(json.dumps({"key": entry.key, "item": entry.item}))
                else:
                    self._dirty.add(_key_text(entry.key))

    def save(self) -> int:
        with self._saving:
            with self._lock:
                lines, self._lines = self._lines, []
                dirty, self._dirty = self._dirty, set()
            keys = [json.loads(text) for text in sorted(dirty)]
            for first in range(0, len(keys), BATCH_GET):
                batch = keys[first : first + BATCH_GET]
                found = {_key_text({name: item[name] for name in batch[0]}): item for item in self._get(batch)}
                lines += [json.dumps({"key": key, "item": found.get(_key_text(key))}) for key in batch]
            _append(self._path, lines)
            return len(lines)

    def _get(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        while request:
            answer = self._ddb.batch_get_item(RequestItems=request)
            items += answer.get("Responses", {}).get(self._table, [])
            request = answer.get("UnprocessedKeys") or {}
        return items

    def restore(self) -> int:
        """Load the latest state of every key into the table, then keep the journal compacted."""
        latest: dict[str, dict[str, Any] | None] = {}
        for line in _lines(self._path):
            latest[_key_text(line["key"])] = line["item"]
        items = [item for item in latest.values() if item is not None]
        self._load(items)
        with self._lock:
            self._lines, self._dirty = [], set()  # the restore's own writes are not news
        if latest:
            compacted = self._path.with_suffix(".tmp")
            compacted.write_text(
                "".join(json.dumps({"key": json.loads(key), "item": item}) + "\n" for key, item in latest.items()),
                encoding="utf-8",
            )
            os.replace(compacted, self._path)  # atomic: a crash leaves the previous journal whole
        return len(items)


class Upkeep:
    """Runs its chores soon after `mark_dirty()`, every PERIOD seconds regardless, and once more on `stop()`."""

    def __init__(self, chores: list[Callable[[], object]]) -> None:
        self._chores = chores
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="upkeep", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark_dirty(self) -> None:
        self._dirty.set()

    def run_chores(self) -> None:
        for chore in self._chores:
            try:
                chore()
            except Exception:  # keep serving; the next round tries again
                log.exception("local upkeep failed: %s", getattr(chore, "__qualname__", chore))

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._dirty.set()
        self._thread.join(timeout=timeout)
        self.run_chores()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait(PERIOD)
            if self._stopping.is_set():
                return
            self._stopping.wait(DEBOUNCE)
            self._dirty.clear()
            self.run_chores()


def import_old_snapshot(data_dir: Path, table: Table, s3: Any, bucket: str) -> dict[str, int] | None:
    """What `make run` kept before the SQLite store (`state.json`, a snapshot of the emulated table
    and bucket): its items go into the store and its receipts into the bucket, once; the file is
    then renamed `state.json.imported`. Notices stay behind: they went out when they were made."""
    old = data_dir / "state.json"
    if not old.exists():
        return None
    from core.store.dynamodb import from_av

    snapshot = json.loads(old.read_text(encoding="utf-8"))
    items = [from_av(raw) for raw in snapshot.get("table", {}).get("items", [])]
    result = transfer.import_items(table, [item for item in items if item.get("type") != "notice"])
    objects = snapshot.get("bucket", {}).get("objects", [])
    for entry in objects:
        s3.put_object(
            Bucket=bucket,
            Key=entry["key"],
            Body=(data_dir / "blobs" / entry["sha256"]).read_bytes(),
            ContentType=entry.get("content_type") or "application/octet-stream",
            Metadata=entry.get("metadata") or {},
        )
    old.rename(old.with_name("state.json.imported"))
    log.warning("imported %s: %d items, %d receipts", old, result.written + result.already, len(objects))
    return {"items": result.written, "objects": len(objects)}
