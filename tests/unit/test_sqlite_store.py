"""What the SQLite store adds to the contract suite (tests/contract runs it as every other store):
exact numbers, no full-table reads, all-or-nothing under errors and kills, many writers at once
(threads, other stores on the same file, other processes), its change log, and TTL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from core import commands as c
from core.domain.clock import FixedClock
from core.domain.model import Channel, Expense, Org, PunchKind, Status, Worker
from core.domain.transitions import Origin
from core.services.dispatch import handle
from core.services.ports import Ports
from core.store import items as it
from core.store.sqlite import SqliteStore, SqliteTable
from core.store.table import IfAbsent, IfEquals, Put, as_stored

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "punchclock.db"


@pytest.fixture
def table(path: Path):  # type: ignore[no-untyped-def]
    table = SqliteTable(path)
    yield table
    table.close()


def _org_and_worker(store: SqliteStore) -> tuple[Org, Worker]:
    org = store.save_org(Org(org_id="acme", name="Acme", timezone="America/New_York", slack_team_id="T1"))
    worker = store.add_worker(
        Worker(
            worker_id="w-ana", org_id="acme", name="Ana", phone="+15550000001", slack_team_id="T1", slack_user_id="U1"
        )
    )
    return org, worker


def test_numbers_come_back_as_dynamodb_gives_them(table: SqliteTable) -> None:
    item = {
        "PK": "X",
        "SK": "Y",
        "amount": Decimal("12.50"),
        "precise": Decimal("12345678901234567890123456789012345678"),
        "tiny": Decimal("1E-30"),
        "count": 7,
        "ratio": 0.25,
        "flag": True,
        "nested": {"list": [1, "two", False, None, {"deep": Decimal("-0.001")}]},
        "text": 'quotes " and \\ and ünïcode ✓',
    }
    assert table.put(Put(item)) is None
    stored = table.get({"PK": "X", "SK": "Y"})
    assert stored == as_stored(item)
    assert isinstance(stored["count"], Decimal) and stored["flag"] is True
    assert str(stored["precise"]) == "12345678901234567890123456789012345678"


def test_no_request_path_reads_the_whole_table(path: Path) -> None:
    # Given a store whose every statement SQLite's planner explains
    store = SqliteStore(path)
    statements: list[str] = []
    org, ana = _org_and_worker(store)
    store.sqlite._connection().set_trace_callback(statements.append)
    # When a day of work goes through it, with every read the doors and reports make
    clock = FixedClock(NOW)
    ports = Ports(store, clock)
    for i, command in enumerate([c.ClockIn(), c.StartBreak(), c.EndBreak(), c.ClockOut()]):
        clock.advance(minutes=30)
        handle(command, store.get_worker(ana.worker_id, fresh=True), org, Origin(Channel.SMS, f"d{i}"), ports)
    store.list_orgs(), store.list_workers("acme"), store.open_workers("acme"), store.pending_corrections("acme")
    store.find_worker_by_phone(ana.phone), store.find_org_by_slack_team("T1"), store.invites_for_phone(ana.phone)
    (
        store.org_events("acme", NOW, NOW + timedelta(days=1)),
        store.worker_events(ana.worker_id, NOW, NOW + timedelta(days=1)),
    )
    store.org_expenses("acme", NOW.date(), NOW.date()), store.worker_expenses(ana.worker_id, NOW.date(), NOW.date())
    store.get_delivery("d0"), store.claim_once("m", NOW, NOW + timedelta(hours=1)), store.release_once("m")
    list(store.due_reminders(NOW + timedelta(days=1))), list(store.due_jobs(NOW)), store.org_jobs("acme")
    store.sqlite.changes(0), store.sqlite.save_stream_position("notify", 3), store.sqlite.delete_expired()
    # Then no statement scans a table or sorts outside an index
    conn = sqlite3.connect(path)
    plans = {
        sql: " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in statements
        if sql.lstrip().upper().startswith(("SELECT", "DELETE", "INSERT", "UPDATE"))
    }
    assert len(plans) > 10
    full_reads = {sql: plan for sql, plan in plans.items() if "SCAN" in plan or "TEMP B-TREE" in plan}
    assert full_reads == {}


def test_an_error_inside_a_transaction_writes_nothing(table: SqliteTable) -> None:
    # Given a transaction whose second write cannot be stored (a set is no DynamoDB value here)
    good = {"PK": "A", "SK": "A", "n": 1}
    bad = {"PK": "B", "SK": "B", "oops": {1, 2}}
    before = table.changes(0)
    # When it fails halfway, inside BEGIN IMMEDIATE
    with pytest.raises(TypeError):
        table.transact([Put(good, IfAbsent()), Put(bad)])
    # Then the first write was rolled back with it, the change log too, and the next write works
    assert table.get({"PK": "A", "SK": "A"}) is None
    assert table.changes(0) == before
    assert table.transact([Put(good, IfAbsent())]) is None
    assert table.get({"PK": "A", "SK": "A"}) == as_stored(good)


WRITER_KILLED_MID_TRANSACTION = """
import sys, time
from core.store.sqlite import SqliteTable
table = SqliteTable(sys.argv[1])
with table._writing() as conn:
    for n in range(500):
        table._store(conn, {"PK": f"P{n}", "SK": "S", "n": n}, "INSERT")
    print("inside", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_mid_transaction_leaves_the_database_whole(path: Path, table: SqliteTable) -> None:
    # Given a committed item, and another process killed while its transaction of 500 writes is open
    table.put(Put({"PK": "kept", "SK": "S", "n": 1}))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER_KILLED_MID_TRANSACTION, str(path)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == b"inside"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    # Then the file is intact, holds what committed and nothing of what did not, and takes writes
    reopened = SqliteTable(path)
    conn = reopened._connection()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 1
    assert reopened.get({"PK": "kept", "SK": "S"}) == {"PK": "kept", "SK": "S", "n": Decimal(1)}
    assert reopened.put(Put({"PK": "P0", "SK": "S"}, IfAbsent())) is None
    reopened.close()


COUNTING_WRITER = """
import sys, threading
from core.store.sqlite import SqliteTable
from core.store.table import IfAbsent, Put
table = SqliteTable(sys.argv[1])
def work(thread):
    for n in range(50):
        table.add({"PK": "COUNTER", "SK": "C"}, "n", 1)
        assert table.put(Put({"PK": f"{sys.argv[2]}-{thread}-{n}", "SK": "S"}, IfAbsent())) is None
threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
"""


def test_writers_in_threads_and_processes_lose_no_update(path: Path, table: SqliteTable) -> None:
    # Given three processes of four threads, each adding 1 fifty times to one counter and writing its own items
    writers = [
        subprocess.Popen([sys.executable, "-c", COUNTING_WRITER, str(path), f"p{p}"], cwd=ROOT) for p in range(3)
    ]
    # Then every process finished cleanly, every increment counted and every item is there
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    assert table.get({"PK": "COUNTER", "SK": "C"})["n"] == 3 * 4 * 50
    assert len(table) == 1 + 3 * 4 * 50


def test_twenty_stores_on_one_file_clock_in_at_once_and_open_one_shift(path: Path) -> None:
    # Given twenty stores on one file (as twenty processes would be), each with its own cached worker
    first = SqliteStore(path)
    org, ana = _org_and_worker(first)
    stores = [SqliteStore(path) for _ in range(20)]
    workers = [s.get_worker(ana.worker_id) for s in stores]
    barrier = threading.Barrier(len(stores))
    outcomes: list[str] = []
    clock = FixedClock(NOW)

    def clock_in(i: int) -> None:
        barrier.wait()
        worker = workers[i]
        assert worker is not None
        outcomes.append(handle(c.ClockIn(), worker, org, Origin(Channel.SMS, f"d{i}"), Ports(stores[i], clock)).code)

    # When they all clock in at once
    threads = [threading.Thread(target=clock_in, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then one shift is open, and everyone else heard so
    assert outcomes.count("clocked_in") == 1, outcomes
    assert outcomes.count("already_in") == 19
    punches = first.worker_events(ana.worker_id, NOW - timedelta(hours=1), NOW + timedelta(hours=1)).punches
    assert [p.kind for p in punches] == [PunchKind.CLOCK_IN]


def test_the_change_log_holds_what_committed_until_its_reader_has_it(table: SqliteTable) -> None:
    # Given an insert, a modification, a refused write and a removal
    table.put(Put({"PK": "A", "SK": "A", "v": 1}))
    table.put(Put({"PK": "A", "SK": "A", "v": 2}, IfEquals("v", 1)))
    assert table.put(Put({"PK": "A", "SK": "A", "v": 3}, IfEquals("v", 1))) is not None
    table.pop({"PK": "A", "SK": "A"})
    # Then the log shows what committed, in order, as a stream would
    changes = table.changes(0)
    assert [(ch.sequence, ch.event_name) for ch in changes] == [(1, "INSERT"), (2, "MODIFY"), (3, "REMOVE")]
    assert changes[1].new_image == {"PK": "A", "SK": "A", "v": Decimal(2)} and changes[2].new_image is None
    assert table.changes(1, limit=1)[0].sequence == 2
    # When its reader saves how far it got, what it read is dropped, and numbers never go back
    table.save_stream_position("notify", 2)
    assert table.stream_position("notify") == 2
    assert [ch.sequence for ch in table.changes(0)] == [3]
    table.put(Put({"PK": "B", "SK": "B"}))
    assert [ch.sequence for ch in table.changes(2)] == [3, 4]


def test_expired_items_are_removed_later_and_time_records_never(path: Path) -> None:
    # Given a day's records, a delivery and a marker (the only items with a TTL)
    store = SqliteStore(path)
    org, ana = _org_and_worker(store)
    clock = FixedClock(NOW)
    handle(c.ClockIn(), ana, org, Origin(Channel.SMS, "delivery-1"), Ports(store, clock))
    expense = Expense("x1", ana.worker_id, "acme", Decimal("12.50"), "USD", "fuel", NOW.date(), NOW, Channel.SMS)
    store.sqlite.put(Put(it.expense_to_item(expense)))
    assert store.claim_once("soon", NOW, NOW + timedelta(minutes=5))
    records = store.worker_events(ana.worker_id, NOW - timedelta(days=1), NOW + timedelta(days=1))
    # When the TTL sweep runs long after everything expired
    removed = store.sqlite.delete_expired(now=(NOW + timedelta(days=400)).timestamp())
    # Then the delivery, the notices and the marker are gone; the worker, punches and expense stay
    assert removed >= 2
    assert store.get_delivery("delivery-1") is None
    assert store.worker_events(ana.worker_id, NOW - timedelta(days=1), NOW + timedelta(days=1)) == records
    assert store.worker_expenses(ana.worker_id, NOW.date(), NOW.date()) == [expense]
    assert store.get_worker(ana.worker_id, fresh=True).state.status is Status.ON_SHIFT
    left = store.sqlite._connection().execute("SELECT pk, sk, expires_at FROM items WHERE expires_at IS NOT NULL")
    assert left.fetchall() == []
    assert store.claim_once("soon", NOW, NOW + timedelta(minutes=5))  # the flag went with its row


def test_the_composition_root_builds_the_store_the_settings_name(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from core import bootstrap
    from core.settings import Settings

    # The template's functions name a table and no store: DynamoDB, as always
    assert Settings.from_env({"TABLE_NAME": "t"}).store == "dynamodb"
    with pytest.raises(ValidationError, match="TABLE_NAME is required"):
        Settings.from_env({})
    with pytest.raises(ValidationError, match="SQLITE_PATH is required"):
        Settings.from_env({"STORE": "sqlite"})
    # The local stack names the file
    monkeypatch.setenv("STORE", "sqlite")
    monkeypatch.setenv("SQLITE_PATH", str(path))
    bootstrap.reset()
    store = bootstrap.ports().store
    assert isinstance(store, SqliteStore) and store.sqlite.path == path
    assert bootstrap.ports().store is store  # built once per process


def test_pages_the_change_log_held_go_back_to_the_file_system(table: SqliteTable) -> None:
    # Given a bulk write whose change log has been read
    table.transact([Put({"PK": f"P{n}", "SK": "S", "pad": "x" * 2000}) for n in range(300)])
    table.save_stream_position("notify", table.changes(0)[-1].sequence)
    table._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # When the space is reclaimed, the file shrinks and keeps every item
    assert table.reclaim() > 0
    conn = table._connection()
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert len(table) == 300
