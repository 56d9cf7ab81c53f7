"""The core services on the in-memory store: what a worker and a manager see, and what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core import commands as c
from core.domain.model import BreakKind, Channel, Status
from core.domain.transitions import Origin
from core.grammar import parse
from core.replies import Style, render
from core.services.dispatch import handle
from core.services.timesheets import timesheet_for
from core.timesheet import minutes

NY = ZoneInfo("America/New_York")
DAY = (datetime(2026, 11, 16, 5, tzinfo=UTC), datetime(2026, 11, 17, 5, tzinfo=UTC))


class Phone:
    """Texts from one worker, each with a fresh message id, replies rendered as SMS."""

    def __init__(self, ports, org, worker_id):  # type: ignore[no-untyped-def]
        self.ports, self.org, self.worker_id, self.n = ports, org, worker_id, 0

    def text(self, body: str, delivery_id: str | None = None):  # type: ignore[no-untyped-def]
        self.n += 1
        worker = self.ports.store.find_worker_by_phone(self.ports.store.get_worker(self.worker_id).phone)
        origin = Origin(Channel.SMS, delivery_id or f"SM{self.worker_id}{self.n}")
        out = handle(parse(body), worker, self.org, origin, self.ports)
        return out, render(out, Style.SMS, NY)


@pytest.fixture
def phone(ports, org, ana):  # type: ignore[no-untyped-def]
    return Phone(ports, org, ana.worker_id)


@pytest.fixture
def boss(ports, org, manager):  # type: ignore[no-untyped-def]
    return Phone(ports, org, manager.worker_id)


def test_redelivered_message_has_one_effect_and_the_same_reply(phone, ports, ana, clock):  # type: ignore[no-untyped-def]
    refused, _ = phone.text("break", delivery_id="SMdup")  # not in: refused
    assert refused.code == "not_in"
    phone.text("in")
    clock.advance(minutes=1)
    a, r1 = phone.text("break", delivery_id="SMbrk")
    clock.advance(minutes=5)
    b, r2 = phone.text("break", delivery_id="SMbrk")  # Twilio retries the same message
    assert (a.to_json(), r1) == (b.to_json(), r2)
    events = ports.store.worker_events(ana.worker_id, *DAY)
    assert [p.kind.value for p in events.punches] == ["clock_in", "break_start"]
    worker = ports.store.get_worker(ana.worker_id, fresh=True)
    assert worker.state.status is Status.ON_BREAK


def test_toggle_break_redelivered_does_not_end_the_break(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    handle(c.ClockIn(), ana, org, Origin(Channel.SLACK, "t0"), ports)
    w = ports.store.get_worker(ana.worker_id)
    first = handle(c.ToggleBreak(), w, org, Origin(Channel.SLACK, "t1"), ports)
    again = handle(c.ToggleBreak(), ports.store.get_worker(ana.worker_id), org, Origin(Channel.SLACK, "t1"), ports)
    assert first.code == again.code == "break_started"
    assert ports.store.get_worker(ana.worker_id, fresh=True).state.status is Status.ON_BREAK


def test_shift_across_midnight_and_hours(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, 17, 3, 0, tzinfo=UTC))  # 22:00 Monday in New York
    phone = Phone(ports, org, ana.worker_id)
    phone.text("in night-shift")
    clock.advance(hours=8)  # 06:00 Tuesday
    _, reply = phone.text("out")
    assert "Shift 8h 00m since 22:00" in reply
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 17), ports)
    assert [minutes(d.on_task_seconds) for d in sheet.days] == [120, 360]
    _, reply = phone.text("hours")
    assert reply.startswith("This week: 8h 00m worked, 8h 00m on task, OT 0m, 2 day(s).")


def test_forgotten_clock_out_corrected_and_approved(phone, boss, ports, org, ana, clock, outbox):  # type: ignore[no-untyped-def]
    phone.text("in")
    clock.set(datetime(2026, 11, 16, 22, 5, tzinfo=UTC))  # 17:05 local, still clocked in
    _, reply = phone.text("out 17:00 forgot")
    assert reply == "Clocked out 17:00. Shift 9h 02m since 07:58. Sent to your manager for approval. Text HOURS."
    assert [n.kind for n in outbox()] == ["state_changed", "state_changed", "correction_requested"]  # in, out
    pending = ports.store.pending_corrections(org.org_id)
    assert [(p.kind.value, p.reason) for p in pending] == [("clock_out", "forgot")]
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    assert sheet.days[0].pending_corrections == 1
    assert minutes(sheet.days[0].on_task_seconds) == 9 * 60 + 2

    _, reply = boss.text("approve")  # the only item waiting: no number needed
    assert reply == "Approved #1 Ana Lopez: out 17:05->17:00 Mon 16 Nov."
    assert ports.store.pending_corrections(org.org_id) == []
    _, reply = boss.text("approve")
    assert reply == "Nothing is waiting for you."
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    assert sheet.days[0].pending_corrections == 0
    assert minutes(sheet.days[0].on_task_seconds) == 9 * 60 + 2


def test_rejected_correction_counts_at_the_time_it_was_sent(phone, boss, ports, org, ana, clock):  # type: ignore[no-untyped-def]
    phone.text("in")
    clock.set(datetime(2026, 11, 16, 22, 5, tzinfo=UTC))
    phone.text("out 12:00 left early")
    _, reply = boss.text("reject")
    assert reply == "Rejected #1 Ana Lopez: out 17:05->12:00 Mon 16 Nov."
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    assert minutes(sheet.days[0].on_task_seconds) == 9 * 60 + 7  # 07:58 -> 17:05, when the text arrived


def test_amending_last_clock_out_after_the_fact(phone, ports, org, ana, clock):  # type: ignore[no-untyped-def]
    phone.text("in")
    clock.advance(hours=9)
    phone.text("out")
    clock.advance(hours=1)
    out, reply = phone.text("out 16:30 forgot to punch")
    assert out.code == "clock_out_amended"
    assert reply == "Clock-out changed to 16:30, shift 8h 32m. Sent to your manager for approval."
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    assert minutes(sheet.days[0].on_task_seconds) == 8 * 60 + 32
    # every punch is kept: the original clock-out is still in the record
    kinds = [p.kind.value for p in ports.store.worker_events(ana.worker_id, *DAY).punches]
    assert kinds == ["clock_in", "clock_out", "clock_out"]


def test_correction_cannot_go_before_the_shift(phone, clock):  # type: ignore[no-untyped-def]
    phone.text("in")
    clock.advance(hours=2)
    out, reply = phone.text("out 7:00 oops")
    assert not out.ok
    assert reply == "07:00 is before the start at 07:58. Nothing changed."


def test_manager_cannot_approve_own_and_worker_cannot_approve(phone, boss, ports, org, clock):  # type: ignore[no-untyped-def]
    _, reply = phone.text("approve")
    assert reply == "Only managers can do that."
    boss.text("in")
    clock.advance(hours=1)
    boss.text("in 8:00 badge broke")
    _, reply = boss.text("approve")
    assert reply == "Another manager must decide your own item."


def test_expenses(phone, ports, org, ana, clock):  # type: ignore[no-untyped-def]
    _, reply = phone.text("exp 48.20 parts hinge for unit 4")
    assert reply == "Expense 48.20 USD parts on 2026-11-16 logged. Sent to your manager for approval."
    _, reply = phone.text("exp 12 gizmos")  # unknown category -> other, word kept
    assert reply == "Expense 12 USD other on 2026-11-16 logged. Sent to your manager for approval."
    _, reply = phone.text("exp 20000 lodging")
    assert reply == "Amounts over 10,000 USD need your manager. Nothing logged."
    _, reply = phone.text("exp 0 fuel")
    assert "Nothing logged" in reply or "more than 0" in reply
    found = ports.store.worker_expenses(ana.worker_id, date(2026, 11, 16), date(2026, 11, 16))
    assert sorted((e.amount, e.category, e.note) for e in found) == [
        (Decimal("12"), "other", "gizmos"),
        (Decimal("48.20"), "parts", "hinge for unit 4"),
    ]
    assert len(ports.store.org_expenses(org.org_id, date(2026, 11, 16), date(2026, 11, 16))) == 2


def test_meal_break_kind_and_default(phone, ports, ana, clock):  # type: ignore[no-untyped-def]
    phone.text("in")
    phone.text("break")
    w = ports.store.get_worker(ana.worker_id, fresh=True)
    assert w.state.on_break is not None and w.state.on_break.kind is BreakKind.REST


def test_open_workers_and_team_board(ports, org, ana, manager, boss, clock):  # type: ignore[no-untyped-def]
    handle(c.ClockIn(job="north"), ana, org, Origin(Channel.SMS, "a"), ports)
    assert [w.worker_id for w in ports.store.open_workers(org.org_id)] == [ana.worker_id]
    _, reply = boss.text("team")
    assert reply == "On shift 1: Ana Lopez. On break 0. Off 1. Waiting for you 0."
    handle(c.ClockOut(), ports.store.get_worker(ana.worker_id), org, Origin(Channel.SMS, "b"), ports)
    assert ports.store.open_workers(org.org_id) == []


def test_status_reads_fresh(phone, ports, org, ana, clock):  # type: ignore[no-untyped-def]
    _, reply = phone.text("status")
    assert reply == "Clocked out. Text IN, HOURS."
    phone.text("in")
    clock.advance(minutes=30)
    _, reply = phone.text("?")
    assert reply == "On shift since 07:58. Text BREAK, OUT."


def test_clock_in_correction_when_off_and_in_explicit_time(phone, ports, org, ana, clock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, 16, 13, 20, tzinfo=UTC))  # 08:20
    out, reply = phone.text("in 8:00 bus late")
    assert out.data["pending"] is True
    assert reply.startswith("Clocked in 08:00. Sent to your manager for approval.")
    w = ports.store.get_worker(ana.worker_id, fresh=True)
    assert w.state.shift is not None and w.state.shift.started_at == datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def test_sent_time_recorded_when_provider_delay_is_large(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    sent = clock.now() - timedelta(minutes=7)
    handle(c.ClockIn(), ana, org, Origin(Channel.SMS, "late", sent_at=sent), ports)
    punch = ports.store.worker_events(ana.worker_id, *DAY).punches[0]
    assert punch.sent_at == sent and punch.recorded_at == clock.now()
    assert punch.at == clock.now()


def test_explicit_time_is_the_most_recent_past_occurrence(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, 17, 5, 10, tzinfo=UTC))  # 00:10 Tuesday local
    handle(c.ClockIn(at=time(23, 30), reason="forgot"), ana, org, Origin(Channel.SMS, "x"), ports)
    w = ports.store.get_worker(ana.worker_id, fresh=True)
    assert w.state.shift is not None
    assert w.state.shift.started_at == datetime(2026, 11, 17, 4, 30, tzinfo=UTC)  # Monday 23:30 local


def test_a_later_time_today_is_called_the_future_not_yesterday(phone, clock):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, 16, 13, 0, tzinfo=UTC))  # 08:00
    phone.text("in")
    clock.advance(hours=4, minutes=30)  # 12:30
    out, reply = phone.text("out 17:30 forgot")
    assert not out.ok
    assert reply == "17:30 is later than now. Nothing changed."


def test_corrected_clock_out_while_on_break_asks_once_and_both_follow_the_decision(  # type: ignore[no-untyped-def]
    phone, boss, ports, org, ana, clock, outbox
):
    phone.text("in")
    clock.advance(hours=4)  # 11:58
    phone.text("lunch")
    clock.set(datetime(2026, 11, 16, 22, 0, tzinfo=UTC))  # 17:00, still on "lunch"
    phone.text("out 12:30 forgot")
    assert [n.kind for n in outbox()].count("correction_requested") == 1
    assert len(ports.store.pending_corrections(org.org_id)) == 1
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    assert sheet.days[0].pending_corrections == 1
    _, reply = boss.text("reject")
    assert reply == "Rejected #1 Ana Lopez: out 17:00->12:30 Mon 16 Nov."
    # rejected: both the clock-out and the break end count when the text arrived (17:00)
    sheet = timesheet_for(ana, org, date(2026, 11, 16), date(2026, 11, 16), ports)
    day = sheet.days[0]
    assert day.pending_corrections == 0
    assert minutes(day.on_task_seconds) == 4 * 60  # 07:58-11:58 worked, then the break until 17:00


def test_a_demoted_manager_cannot_approve(phone, ports, org, ana, manager, clock):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from core.domain.model import Role

    phone.text("in")
    clock.advance(hours=1)
    phone.text("in 7:30 forgot")
    cached = ports.store.get_worker(manager.worker_id)
    ports.store.update_worker(replace(manager, role=Role.WORKER), manager.version)
    out = handle(c.Decide(approve=True), cached, org, Origin(Channel.SLACK, "d1"), ports)
    assert out.code == "managers_only"
    assert len(ports.store.pending_corrections(org.org_id)) == 1


def test_managers_see_who_opted_out_of_texts(phone, boss, ports, ana):  # type: ignore[no-untyped-def]
    phone.text("STOP")
    out, reply = boss.text("team")
    assert reply.endswith("Texts off (STOP): 1.")
    assert [r["sms_opted_out"] for r in out.data["workers"] if r["worker_id"] == ana.worker_id] == [True]


def test_a_guessed_id_replays_only_while_nothing_changed(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    def slack(cmd, key):  # type: ignore[no-untyped-def]
        origin = Origin(Channel.SLACK, delivery_id=key, guessed_id=True)
        return handle(cmd, ports.store.get_worker(ana.worker_id), org, origin, ports)

    first = slack(c.ClockIn(), "hash-in")
    assert slack(c.ClockIn(), "hash-in").to_json() == first.to_json()  # a retype: same answer
    clock.advance(seconds=20)
    slack(c.ClockOut(), "hash-out")
    clock.advance(seconds=20)
    third = slack(c.ClockIn(), "hash-in")  # looks like the first, but the worker moved on: a new command
    assert third.code == "clocked_in" and third.worker_version == first.worker_version + 2
    assert ports.store.get_worker(ana.worker_id, fresh=True).state.status is Status.ON_SHIFT
    # and retyping that third one is caught as a repeat again
    assert slack(c.ClockIn(), "hash-in").to_json() == third.to_json()
    kinds = [p.kind.value for p in ports.store.worker_events(ana.worker_id, *DAY).punches]
    assert kinds == ["clock_in", "clock_out", "clock_in"]


def test_a_guessed_break_toggle_retyped_does_not_end_the_break(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    handle(c.ClockIn(), ana, org, Origin(Channel.SLACK, "i"), ports)
    origin = Origin(Channel.SLACK, delivery_id="hash-break", guessed_id=True)
    a = handle(c.ToggleBreak(), ports.store.get_worker(ana.worker_id), org, origin, ports)
    b = handle(c.ToggleBreak(), ports.store.get_worker(ana.worker_id), org, origin, ports)
    assert a.to_json() == b.to_json() and a.code == "break_started"
    assert ports.store.get_worker(ana.worker_id, fresh=True).state.status is Status.ON_BREAK
