"""A 1,000-worker organisation's day: every access pattern stays a few queries, never a Scan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core.domain.ids import new_id
from core.domain.model import BreakKind, Channel, Expense, Org, Punch, PunchKind, Worker
from core.services.reports import org_day
from core.store import items
from core.store.dynamodb import to_av
from core.timesheet import minutes
from tests.conftest import TABLE

N = 1000


def _punch(w: Worker, kind: PunchKind, at: datetime, shift: str, brk: BreakKind | None = None) -> Punch:
    return Punch(new_id(at), w.worker_id, w.org_id, kind, at, at, Channel.SMS, w.worker_id, shift, break_kind=brk)


def _bulk_put(ddb, rows: list[dict]) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Test setup only: moto copies the whole table for every transaction, so seed in batches."""
    for i in range(0, len(rows), 25):
        ddb.batch_write_item(RequestItems={TABLE: [{"PutRequest": {"Item": to_av(r)}} for r in rows[i : i + 25]]})


def test_thousand_worker_day(store, ports, clock, calls, ddb):  # type: ignore[no-untyped-def]
    org = store.save_org(Org(org_id="big", name="Big Crew", timezone="America/Chicago"))
    start = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)  # 08:00 Chicago
    punches: list[Punch] = []
    workers = []
    for i in range(N):
        w = Worker(worker_id=f"w{i:04d}", org_id=org.org_id, name=f"Worker {i:04d}", phone=f"+1555{i:07d}")
        workers.append(w)
        t0 = start + timedelta(minutes=i % 60)
        shift = new_id(t0)
        punches += [
            _punch(w, PunchKind.CLOCK_IN, t0, shift),
            _punch(w, PunchKind.BREAK_START, t0 + timedelta(hours=4), shift, BreakKind.MEAL),
            _punch(w, PunchKind.BREAK_END, t0 + timedelta(hours=4, minutes=30), shift, BreakKind.MEAL),
        ]
        if i % 100:  # every hundredth worker is still clocked in
            punches.append(_punch(w, PunchKind.CLOCK_OUT, t0 + timedelta(hours=8, minutes=30), shift))
    expenses = [
        Expense(
            new_id(start),
            w.worker_id,
            org.org_id,
            Decimal("9.99"),
            "USD",
            "fuel",
            date(2026, 11, 16),
            start,
            Channel.SMS,
        )
        for w in workers[::10]
    ]
    _bulk_put(
        ddb,
        [items.worker_to_item(w) for w in workers]
        + [items.punch_to_item(p) for p in punches]
        + [items.expense_to_item(e) for e in expenses],
    )

    clock.set(datetime(2026, 11, 17, 0, 0, tzinfo=UTC))  # 18:00 Chicago: summary time
    calls.reset()
    report = org_day(org, date(2026, 11, 16), ports)

    assert len(report.workers) == N
    assert len(report.expenses) == N // 10
    assert len(report.open_shifts) == N // 100
    closed = report.workers[1].row
    assert minutes(closed.on_task_seconds) == 8 * 60
    assert minutes(closed.unpaid_break_seconds) == 30
    assert "Scan" not in calls.calls
    # a few paginated queries in all, not one per worker
    assert calls.calls["Query"] <= 20, calls.calls
