"""A data dir from before the SQLite store (`make run` kept snapshots in state.json): its items and
receipts are imported once, and nothing that was already sent goes out again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import boto3

from core.domain.model import Worker
from core.ports import Change, Notice, NoticeKind
from core.store.dynamodb import DynamoStore
from core.store.sqlite import SqliteStore
from infra.local.persistence import import_old_snapshot
from tests.conftest import TABLE


def test_an_old_snapshot_is_imported_once(ddb, org, ana, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Given a data dir as the old `make run` left it: a snapshot of the table and a receipt
    DynamoStore(ddb, TABLE).commit(
        Change("acme", notices=(Notice(NoticeKind.STATE_CHANGED, "acme", ana.worker_id, notice_id="n1"),))
    )
    items = ddb.scan(TableName=TABLE)["Items"]  # how the old snapshot read the table
    photo = b"\x89PNG receipt"
    digest = hashlib.sha256(photo).hexdigest()
    (tmp_path / "blobs").mkdir()
    (tmp_path / "blobs" / digest).write_bytes(photo)
    receipt = {"key": "receipts/acme/r1.png", "sha256": digest, "content_type": "image/png", "metadata": {}}
    snapshot = {"format": 1, "table": {"items": items}, "bucket": {"objects": [receipt]}}
    (tmp_path / "state.json").write_text(json.dumps(snapshot))
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="receipts")

    # When the stack starts on the SQLite store
    store = SqliteStore(tmp_path / "punchclock.db")
    found = import_old_snapshot(tmp_path, store.sqlite, s3, "receipts")

    # Then the organisation and its workers are there, the receipt is in the bucket, the notice
    # (already delivered back then) is not, and the snapshot is not imported a second time
    assert found == {"items": len(items) - 1, "objects": 1}
    assert store.get_org("acme") == org
    worker = store.find_worker_by_phone(ana.phone)
    assert isinstance(worker, Worker) and worker.worker_id == ana.worker_id
    assert s3.get_object(Bucket="receipts", Key="receipts/acme/r1.png")["Body"].read() == photo
    assert not [c for c in store.sqlite.changes(0) if (c.new_image or {}).get("type") == "notice"]
    assert (tmp_path / "state.json.imported").exists() and not (tmp_path / "state.json").exists()
    assert import_old_snapshot(tmp_path, store.sqlite, s3, "receipts") is None
