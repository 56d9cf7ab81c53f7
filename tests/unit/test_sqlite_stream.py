"""The notice pump on the SQLite change log: records as Lambda delivers them, only notices, and a
restart resumes after what was handled (a notice still waiting for a retry is read again)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.store.sqlite import SqliteTable
from core.store.table import Put
from infra.local.streams import NoticePump, SqliteStream, is_notice_change


def notice(n: int) -> dict[str, Any]:
    return {"PK": f"NOTICE#{n}", "SK": "NOTICE", "type": "notice", "notice_id": str(n), "kind": "state_changed"}


def test_a_restart_resumes_after_what_was_handled(tmp_path: Path) -> None:
    table = SqliteTable(tmp_path / "punchclock.db")
    # Given three notices among other writes, and a notify function that fails the second once
    for n in (1, 2, 3):
        table.put(Put({"PK": f"WORKER#{n}", "SK": "WORKER", "type": "worker"}))
        table.put(Put(notice(n)))
    delivered: list[str] = []
    failing = {"2"}

    def notify(event: dict[str, Any]) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            notice_id = record["dynamodb"]["NewImage"]["notice_id"]["S"]
            if notice_id in failing:
                failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
            else:
                delivered.append(notice_id)
        return {"batchItemFailures": failures}

    # When the pump runs once
    pump = NoticePump(SqliteStream(table, keep=is_notice_change), notify)
    assert pump.pump() == 2
    # Then the records have the stream's shape, only notices went, and the failed one waits
    assert delivered == ["1", "3"] and pump.waiting == 1
    saved = table.stream_position("notify")
    assert saved == 3  # the change before notice 2 (sequence 4): a restart reads it again

    # When the process restarts before the retry, and the function works now
    failing.clear()
    restarted = NoticePump(SqliteStream(SqliteTable(tmp_path / "punchclock.db"), keep=is_notice_change), notify)
    restarted.drain()
    # Then notice 2 goes out; 1 is not read again; 3, which came after the waiting one, is read
    # again (at least once, as from Lambda's event source: the notify function's send records keep
    # anyone from hearing it twice); and what every reader has handled is gone from the change log
    assert delivered == ["1", "3", "2", "3"]
    assert table.changes(0) == []
    assert table.stream_position("notify") == 6


def test_only_new_rows_are_read(tmp_path: Path) -> None:
    table = SqliteTable(tmp_path / "punchclock.db")
    stream = SqliteStream(table, keep=is_notice_change)
    table.put(Put(notice(1)))
    first = stream.read()
    assert [r["eventName"] for r in first] == ["INSERT"] and first[0]["dynamodb"]["SequenceNumber"] == f"{1:021d}"
    assert stream.read() == []  # nothing read twice
    table.put(Put({**notice(1), "kind": "changed"}))  # a MODIFY is no notice for the pump
    table.put(Put(notice(2)))
    assert [r["dynamodb"]["Keys"]["PK"]["S"] for r in stream.read()] == ["NOTICE#2"]
    assert stream.position == 3
