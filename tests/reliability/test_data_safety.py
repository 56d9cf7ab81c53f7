"""Data safety: after a scripted week the audit trail (every punch and every decision on a
correction, as the table holds them) replays to exactly the timesheets the app serves, and no
record of it was ever changed or deleted on the way.

The week goes through the doors as people would: Ana in Slack and by text, Ben by text only, a
rest break, meal breaks, a correction approved and one rejected, expenses on both channels, and
Globex's Zed working beside them. The replay reads the table itself (not the store's queries)
and rebuilds each timesheet with the pure timesheet functions; what it is compared with is what
the app reads through its own queries: `/timesheet`'s numbers and the weekly report's rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from boto3.dynamodb.types import TypeDeserializer

from core.domain.model import Org, Worker
from core.services.reports import org_week
from core.services.timesheets import timesheet_for
from core.store.items import decision_from_item, expense_from_item, punch_from_item
from core.timesheet import Minutes, Timesheet, compute_timesheet, resolve_shifts
from tests.conftest import after_request
from tests.reliability.conftest import GLOBEX_TEAM, Rig

MONDAY = date(2026, 11, 16)
SUNDAY = MONDAY + timedelta(days=6)
AUDITED = ("punch", "decision")
_plain = TypeDeserializer()


class AppendOnly:
    """Every punch and decision seen so far, checked after each request: none changed or gone."""

    def __init__(self, rig: Rig) -> None:
        self.rig = rig
        self.seen: dict[tuple[str, str], dict[str, Any]] = {}

    def check(self) -> None:
        now = {key: item for key, item in self.rig.items().items() if _type(item) in AUDITED}
        rewritten = [key for key, item in self.seen.items() if now.get(key) != item]
        assert not rewritten, rewritten
        self.seen = now


def _type(item: dict[str, Any]) -> str:
    return str((item.get("type") or {}).get("S", ""))


def _plain_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain.deserialize(value) for name, value in item.items()}


def replayed(rig: Rig, org: Org, worker: Worker, now: datetime) -> Timesheet:
    """The week's timesheet rebuilt from every audit record of the worker in the table."""
    items = [_plain_item(item) for item in rig.items().values()]
    mine = [item for item in items if item.get("worker_id") == worker.worker_id]
    punches = [punch_from_item(item) for item in mine if item.get("type") == "punch"]
    decisions = [decision_from_item(item) for item in mine if item.get("type") == "decision"]
    expenses = [expense_from_item(item) for item in mine if item.get("type") == "expense"]
    expenses = [e for e in expenses if MONDAY <= e.spent_on <= SUNDAY]
    shifts = resolve_shifts(punches, decisions, now)
    return compute_timesheet(org, worker.zone(org), shifts, expenses, MONDAY, SUNDAY, now)


def test_a_scripted_week_replays_from_its_audit_trail_to_the_timesheets_served(  # type: ignore[no-untyped-def]
    two_orgs, org, globex, ana, ben, manager, zed, clock
):
    rig: Rig = two_orgs
    audit = AppendOnly(rig)
    zone = ZoneInfo(org.timezone)

    def at(day: int, hhmm: str, where: ZoneInfo = zone) -> None:
        clock.set(datetime.combine(MONDAY + timedelta(days=day), time.fromisoformat(hhmm), where).astimezone(UTC))

    def text(phone: str | None, body: str) -> str:
        reply = rig.text(str(phone), body)
        audit.check()
        return reply

    def slack(command: str, words: str = "", user: str = "U0ANA", team: str = "T0ACME", day: int = 0) -> str:
        # Slack signs with its own clock, real time: each day's commands get their own minute
        reply = rig.slack.command(command, words, user=user, team=team, timestamp=rig.slack.later(day)).text
        audit.check()
        return reply

    # Given a week: Ana 08:00-16:30 with a 30-minute meal, in in Slack, out by text
    for day in range(5):
        at(day, "08:00")
        assert slack("/clockin", "north-site", day=day).startswith("Clocked in 08:00")
        at(day, "12:00")
        assert text(ana.phone, "lunch").startswith("Meal break started 12:00.")
        at(day, "12:30")
        assert slack("/back", day=day).startswith("Break 30m.")
        if day == 3:  # Thursday: at 16:40 she says she left at 16:30; rejected, she is out when she said so
            at(day, "16:40")
            assert "Sent to your manager for approval." in text(ana.phone, "out 16:30 forgot")
            assert text(manager.phone, "REJECT").startswith("Rejected #")
            continue
        at(day, "16:30")
        assert text(ana.phone, "out").startswith("Clocked out 16:30.")

    # Ben 07:00-15:00 by text with a paid 15-minute rest; on Wednesday he forgets to clock out
    for day in range(5):
        at(day, "07:00")
        assert text(ben.phone, "in south-yard").startswith("Clocked in 07:00")
        at(day, "10:00")
        assert text(ben.phone, "break").startswith("Rest break started 10:00.")
        at(day, "10:15")
        assert text(ben.phone, "back").startswith("Break 15m.")
        if day == 2:
            at(day, "20:00")
            assert "Sent to your manager for approval." in text(ben.phone, "out 15:00 forgot")
            assert text(manager.phone, "APPROVE").startswith("Approved #")
            continue
        at(day, "15:00")
        assert text(ben.phone, "out").startswith("Clocked out 15:00.")

    # Expenses on both channels, and Globex's Zed working the Monday in Los Angeles
    at(1, "17:00")
    assert "logged" in slack("/expense", "48.20 parts hinge for unit 4", day=1)
    assert "logged" in text(ben.phone, "exp 12.50 fuel")
    la = ZoneInfo(globex.timezone)
    at(0, "09:00", la)
    assert text(zed.phone, "in").startswith("Clocked in 09:00")
    at(0, "17:00", la)
    assert text(zed.phone, "out").startswith("Clocked out 17:00.")
    assert slack("/status", user="U0ZED", team=GLOBEX_TEAM)
    at(7, "09:00")
    after_request()
    now = clock.now()

    # When each worker's week is replayed from the table's audit records alone
    week = org_week(org, MONDAY, rig.ports)
    served_in_report = {entry.worker.worker_id: entry.sheet for entry in week.workers}
    for worker in (ana, ben):
        replay = replayed(rig, org, worker, now)
        # Then it is the timesheet the app serves, in /timesheet and in the weekly report, to the second
        assert replay == timesheet_for(worker, org, MONDAY, SUNDAY, rig.ports)
        assert replay == served_in_report[worker.worker_id]

    # And it is the week as scripted: 40 h each, and Ana's Thursday to 16:40 (her 16:30 rejected): 10 minutes over
    ana_week = Minutes.of(replayed(rig, org, ana, now).totals)
    ben_week = Minutes.of(replayed(rig, org, ben, now).totals)
    assert (ana_week.hours_worked, ana_week.unpaid_break, ana_week.overtime) == (40 * 60 + 10, 5 * 30, 10)
    assert (ben_week.hours_worked, ben_week.paid_break, ben_week.overtime) == (40 * 60, 5 * 15, 0)
    assert [str(e.amount) for e in replayed(rig, org, ana, now).totals.expenses] == ["48.20"]
    assert [str(e.amount) for e in replayed(rig, org, ben, now).totals.expenses] == ["12.50"]
    # And every record says who, when and why: the actor and channel of each punch, the reason of
    # each correction, the manager of each decision
    records = [_plain_item(item) for item in audit.seen.values()]
    assert all(r["actor_id"] and r["channel"] and r["recorded_at"] for r in records if r["type"] == "punch")
    reasons = sorted(r["correction"]["reason"] for r in records if r["type"] == "punch" and r.get("correction"))
    assert reasons == ["forgot", "forgot"]
    assert [r["decided_by"] for r in records if r["type"] == "decision"] == [manager.worker_id] * 2
    # And nobody of Globex is in Acme's week, nor Acme's people in Globex's
    assert set(served_in_report) == {ana.worker_id, ben.worker_id}
    assert {e.worker.worker_id for e in org_week(globex, MONDAY, rig.ports).workers} == {zed.worker_id}


def test_after_a_rejected_clock_out_status_says_the_clock_out_that_stands(rig, ana, manager, clock):  # type: ignore[no-untyped-def]
    # Given Ana on shift since 07:58 who, at 16:40, says she left at 16:30, and her manager rejects it
    rig.text(str(ana.phone), "in")
    clock.advance(hours=8, minutes=42)
    assert "Sent to your manager for approval." in rig.text(str(ana.phone), "out 16:30 forgot")
    assert rig.text(str(manager.phone), "REJECT").startswith("Rejected #")
    # When she asks where she stands, Then she hears the clock-out her timesheet counts: 16:40
    today = clock.now().date()
    assert timesheet_for(ana, rig.ports.store.get_org("acme"), today, today, rig.ports).days[0].last_out == clock.now()
    assert "Last out 16:40" in rig.text(str(ana.phone), "status")


def test_after_a_rejected_fix_of_yesterdays_clock_out_status_says_the_first_one(rig, ana, manager, clock):  # type: ignore[no-untyped-def]
    # Given Ana who clocked out at 16:40 and then says she left at 16:30, and her manager rejects it
    rig.text(str(ana.phone), "in")
    clock.advance(hours=8, minutes=42)
    rig.text(str(ana.phone), "out")
    left_at = clock.now()
    clock.advance(minutes=5)
    assert "Sent to your manager for approval." in rig.text(str(ana.phone), "out 16:30 forgot")
    assert "Last out 16:30" in rig.text(str(ana.phone), "status")  # pending: counted as claimed
    assert rig.text(str(manager.phone), "REJECT").startswith("Rejected #")
    # Then her state, her timesheet and STATUS all say the clock-out that stands: 16:40
    today = clock.now().date()
    assert timesheet_for(ana, rig.ports.store.get_org("acme"), today, today, rig.ports).days[0].last_out == left_at
    assert "Last out 16:40" in rig.text(str(ana.phone), "status")
