"""A 1,000-worker organisation's daily summary, scheduled and emailed: a few paginated queries, never
a Scan, never one query per worker, and an email Gmail does not clip."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest

from core.domain.ids import new_id
from core.domain.model import BreakKind, Channel, Expense, Org, Punch, PunchKind, Worker
from core.domain.schedule import all_jobs
from core.store import items
from core.store.dynamodb import to_av
from core.store.table import Put
from notifications import jobs_handler, notify_handler
from tests.conftest import TABLE, after_request, reload_settings
from tests.integration.slack.test_report_email import part, sent_emails
from tests.integration.test_reminders import JobsContext, scheduler_input

N = 1000
SENDER = "reports@big.test"
DAY = date(2026, 11, 16)


def _punch(w: Worker, kind: PunchKind, at: datetime, shift: str, brk: BreakKind | None = None) -> Punch:
    return Punch(new_id(at), w.worker_id, w.org_id, kind, at, at, Channel.SMS, w.worker_id, shift, break_kind=brk)


def _shift(w: Worker, t0: datetime, closed: bool = True) -> list[Punch]:
    shift = new_id(t0)
    punches = [
        _punch(w, PunchKind.CLOCK_IN, t0, shift),
        _punch(w, PunchKind.BREAK_START, t0 + timedelta(hours=4), shift, BreakKind.MEAL),
        _punch(w, PunchKind.BREAK_END, t0 + timedelta(hours=4, minutes=30), shift, BreakKind.MEAL),
    ]
    return punches + ([_punch(w, PunchKind.CLOCK_OUT, t0 + timedelta(hours=8, minutes=30), shift)] if closed else [])


def _bulk_put(ddb, rows: list[dict]) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Test setup only: moto copies the whole table for every transaction, so seed in batches."""
    for i in range(0, len(rows), 25):
        ddb.batch_write_item(RequestItems={TABLE: [{"PutRequest": {"Item": to_av(r)}} for r in rows[i : i + 25]]})


class Pages:
    """Each Query: its partition, and whether DynamoDB said there is more (another page follows)."""

    def __init__(self, client: Any) -> None:
        self.partitions: list[str] = []
        self.continued = 0
        client.meta.events.register("before-parameter-build.dynamodb.Query", self._asked)
        client.meta.events.register("after-call.dynamodb.Query", self._answered)

    def _asked(self, params: dict[str, Any], **_: Any) -> None:
        self.partitions.append(params["ExpressionAttributeValues"][":pk"]["S"])

    def _answered(self, parsed: dict[str, Any], **_: Any) -> None:
        self.continued += "LastEvaluatedKey" in parsed


@pytest.fixture
def big(store, ddb, clock, monkeypatch, notices, calls):  # type: ignore[no-untyped-def]
    """A 1,000-worker org in Chicago: everyone worked the day (1 in 100 still in), one in ten two
    weeks before too, and one in ten logged fuel. It emails from a verified SES identity."""
    org = store.save_org(
        Org(org_id="big", name="Big Crew", timezone="America/Chicago", manager_emails=("ops@big.test",)),
        now=clock.now(),
    )
    placed = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # Monday 09:00 Chicago: last week's timesheet went
    for run in all_jobs(org, placed, {}):
        store.table.put(Put(items.job_to_item(run)))
    start = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)  # 08:00 Chicago
    workers = [
        Worker(worker_id=f"w{i:04d}", org_id=org.org_id, name=f"Worker {i:04d}", phone=f"+1555{i:07d}")
        for i in range(N)
    ]
    punches: list[Punch] = []
    for i, w in enumerate(workers):
        t0 = start + timedelta(minutes=i % 60)
        punches += _shift(w, t0, closed=bool(i % 100))
        if i % 10 == 0:  # history in the four weeks read for insights
            punches += _shift(w, t0 - timedelta(days=14))
    expenses = [
        Expense(new_id(start), w.worker_id, org.org_id, Decimal("9.99"), "USD", "fuel", DAY, start, Channel.SMS)
        for w in workers[::10]
    ]
    _bulk_put(
        ddb,
        [items.worker_to_item(w) for w in workers]
        + [items.punch_to_item(p) for p in punches]
        + [items.expense_to_item(e) for e in expenses],
    )
    while notices._stream.read():  # the seed is on the stream (no notice): read past it, 1,000 records a read
        pass
    calls.reset()
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    reload_settings()
    notify_handler.reset()
    clock.set(datetime(2026, 11, 17, 0, 0, tzinfo=UTC))  # 18:00 Chicago: summary time
    return org


def test_a_thousand_worker_summary_reads_pages_not_workers_and_fits_gmail(big, ports, calls, ddb):  # type: ignore[no-untyped-def]
    # When the schedule fires at 18:00 Chicago time: the run reads what is due and the recipients
    calls.reset()
    result = jobs_handler.handler(scheduler_input("reports", ports.clock.now()), JobsContext())
    assert result["ran"] == 1 and result["emails"] == 1
    assert "Scan" not in calls.calls
    run_calls = dict(calls.calls)
    # And the notify function renders the summary and sends it
    calls.reset()
    pages = Pages(ddb)
    after_request()
    sent = Counter(calls.calls)

    # Then the summary read four partitions of the org (events, expenses, workers, corrections),
    # each page by page: every Query call is a first page or a page DynamoDB said would follow
    assert "Scan" not in sent and "BatchGetItem" not in sent
    assert set(pages.partitions) == {"ORG#big#EVT", "ORG#big#EXP", "ORG#big#WORKERS", "ORG#big"}
    assert sent["Query"] == len(pages.partitions) == 4 + pages.continued
    assert sent["GetItem"] <= 1  # the org (the notice names no worker)
    print(f"\nreport run: {run_calls}; email: {dict(sent)}; query pages beyond the first: {pages.continued}")

    # And the email has everyone: the HTML shows what fits under Gmail's clip, the text and files all
    [(to, email)] = sent_emails()
    assert to == {"ops@big.test"}
    assert email["Subject"] == ("Punchclock daily summary - Big Crew - 2026-11-16: 1000 worked, 8012h 00m, OT 0m")
    html, text = part(email, "html"), part(email, "plain")
    size = len(html.encode())
    print(f"HTML {size / 1024:.1f} KB; message {len(email.as_bytes()) / 1024:.1f} KB")
    assert size < 102 * 1024
    assert "Showing " in html and f"of {N} rows" in html
    assert "Worker 0001 | 08:01 | 16:31 | 8h 00m | 0m | 30m | 8h 00m | 0m | - | -" in text
    assert "Worker 0000 | 08:00 | still in | 9h 30m |" in text  # measured up to 18:00, less the meal
    files = {a.get_filename(): a.get_content() for a in email.iter_attachments()}
    assert len(files["punchclock-big-2026-11-16.csv"].splitlines()) == N + 1
    assert len(files["punchclock-big-2026-11-16-expenses.csv"].splitlines()) == N // 10 + 1
