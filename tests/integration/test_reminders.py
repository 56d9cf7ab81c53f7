"""Answerable reminders: the jobs function invoked with Scheduler's input, replies by text and Slack.

The reminder sweep runs as EventBridge Scheduler runs it (the schedule's Input JSON handed to
the handler); the notices it commits reach Twilio (a loopback fake), moto's SNS and a loopback
Slack through the notify function, pumped after each request.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from core.domain.model import BreakPolicy, Worker
from core.domain.transitions import Origin
from core.periods import workday_of
from core.services.timesheets import timesheet_for
from core.timesheet import Flag
from notifications import jobs_handler
from tests.conftest import after_request
from tests.integration.sms.helpers import TwilioPhone

SCHEDULE_ARN = "arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock-jobs/punchclock-reminders"


class JobsContext:
    function_name = "punchclock-JobsFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-JobsFunction"
    aws_request_id = "jobs-test"


def scheduler_input(job: str, at: datetime, attempt: int = 1) -> dict[str, Any]:
    """The schedule's Input as Scheduler delivers it, with its placeholders substituted."""
    return {
        "job": job,
        "scheduled_time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schedule_arn": SCHEDULE_ARN,
        "execution_id": f"exec-{attempt}-{at.timestamp()}",
        "attempt": str(attempt),
    }


def sweep(clock: Any, attempt: int = 1) -> dict[str, Any]:
    result = jobs_handler.handler(scheduler_input("reminders", clock.now(), attempt), JobsContext())
    after_request()  # the notify function delivers what the sweep committed
    return result


@pytest.fixture
def no_meal_rules(store, org):  # type: ignore[no-untyped-def]
    """The org without meal rules: only the clock-out reminders are in play."""
    return store.save_org(replace(org, break_policy=BreakPolicy(meal_rules="none")))


@pytest.fixture
def bo(store, org) -> Worker:  # type: ignore[no-untyped-def]
    """A worker with a phone and no Slack: reminders reach him by text."""
    return store.add_worker(Worker(worker_id="w-bo", org_id=org.org_id, name="Bo Diaz", phone="+15550000002"))


def texts(twilio_api, phone: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["Body"] for m in twilio_api.sent if m.get("To") == phone]


def test_forgot_to_clock_out_is_asked_once_and_out_1700_becomes_a_correction(  # type: ignore[no-untyped-def]
    deployment, no_meal_rules, bo, manager, clock, twilio_api, slack_api, store, org
):
    phone = TwilioPhone(bo.phone)
    assert phone.text("in").startswith("Clocked in 07:58.")
    # Before the threshold (9 h) nothing is due
    clock.advance(hours=8, minutes=59)
    assert sweep(clock)["reminded"] == 0
    assert texts(twilio_api, bo.phone) == []

    # At 9 h 05 m: one text with the answers in it
    clock.advance(minutes=6)
    assert sweep(clock)["reminded"] == 1
    assert texts(twilio_api, bo.phone) == [
        "Still clocked in since 07:58 (9h 05m). Reply OUT 17:00 to clock out at 17:00, or STILL to keep going."
    ]
    # A retried or repeated run (a new execution id, the same minute or later) sends nothing again
    assert sweep(clock, attempt=2) == {
        "job": "reminders",
        "due": 0,
        "reminded": 0,
        "closed": 0,
        "rescheduled": 0,
        "failed": 0,
    }
    clock.advance(minutes=30)
    sweep(clock)
    assert len(texts(twilio_api, bo.phone)) == 1

    # He answers OUT 17:00 (no reason needed when answering): a correction for the manager
    reply = phone.text("OUT 17:00")
    assert reply == "Clocked out 17:00. Shift 9h 02m since 07:58. Sent to your manager for approval. Text HOURS."
    [pending] = store.pending_corrections(org.org_id)
    assert pending.reason == "reminder" and pending.worker_id == bo.worker_id
    assert "Bo Diaz" in slack_api.dms_to("U0MIA")[-1]["text"]
    # And nothing more is due for him
    clock.advance(hours=6)
    assert sweep(clock)["due"] == 0


def test_out_with_a_time_but_no_reason_is_refused_when_nobody_asked(deployment, bo, clock, store, org):  # type: ignore[no-untyped-def]
    phone = TwilioPhone(bo.phone)
    phone.text("in")
    clock.advance(hours=2)
    assert phone.text("OUT 9:30") == "Add a reason, e.g. OUT 17:30 forgot"
    assert store.pending_corrections(org.org_id) == []
    assert store.get_worker(bo.worker_id, fresh=True).state.status.value == "on_shift"


def test_still_snoozes_for_the_threshold_again(deployment, no_meal_rules, bo, clock, twilio_api):  # type: ignore[no-untyped-def]
    phone = TwilioPhone(bo.phone)
    phone.text("in")
    clock.advance(hours=9)
    sweep(clock)
    assert len(texts(twilio_api, bo.phone)) == 1
    assert phone.text("STILL") == "OK, still on shift since 07:58. I will ask again at 01:58. Text OUT."
    clock.advance(hours=8, minutes=59)
    sweep(clock)
    assert len(texts(twilio_api, bo.phone)) == 1  # not yet
    clock.advance(minutes=1)
    sweep(clock)
    assert texts(twilio_api, bo.phone)[-1].startswith("Still clocked in since 07:58 (18h 00m).")


def test_no_answer_until_the_maximum_shift_closes_it_pending_at_the_time_asked(  # type: ignore[no-untyped-def]
    deployment, no_meal_rules, bo, manager, clock, twilio_api, slack_api, store, org, ports
):
    TwilioPhone(bo.phone).text("in")
    clock.advance(hours=9)
    sweep(clock)  # asked at 16:58
    asked_at = clock.now()
    clock.advance(hours=4, minutes=59)
    assert sweep(clock)["closed"] == 0
    clock.advance(minutes=1)  # 14 h after the clock-in: the org's maximum shift
    assert sweep(clock)["closed"] == 1

    worker = store.get_worker(bo.worker_id, fresh=True)
    assert worker.state.status.value == "off" and worker.state.last_shift.ended_at == asked_at
    [pending] = store.pending_corrections(org.org_id)
    assert pending.claimed_at == asked_at and pending.reason == "automatic clock-out"
    # Never silent: the worker hears it, and the manager is asked to decide
    assert texts(twilio_api, bo.phone)[-1] == (
        "No answer, so your shift since 07:58 was closed at 16:58, for your manager to check. "
        "Stopped at another time? OUT 17:30"
    )
    assert "Bo Diaz" in slack_api.dms_to("U0MIA")[-1]["text"]
    # The timesheet counts it at the time asked and flags it
    sheet = timesheet_for(worker, org, workday_of(org, org.tz, asked_at), workday_of(org, org.tz, asked_at), ports)
    [row] = sheet.days
    assert row.hours_worked_seconds == 9 * 3600
    assert Flag.AUTO_CLOCK_OUT in row.flags and Flag.PENDING_CORRECTION in row.flags
    # Nothing more is ever due for that shift
    clock.advance(hours=30)
    assert sweep(clock)["due"] == 0

    # He says when he really stopped: it replaces the automatic clock-out, still for the manager
    assert TwilioPhone(bo.phone).text("OUT 17:10").startswith("Clock-out on Mon 16 Nov changed to 17:10")
    sheet = timesheet_for(worker, org, workday_of(org, org.tz, asked_at), workday_of(org, org.tz, asked_at), ports)
    assert Flag.AUTO_CLOCK_OUT not in sheet.days[0].flags


def test_a_slack_worker_gets_a_dm_with_buttons_and_no_text(
    deployment, no_meal_rules, ana, clock, slack_api, twilio_api
):  # type: ignore[no-untyped-def]
    TwilioPhone(ana.phone).text("in")
    clock.advance(hours=9, minutes=20)
    sweep(clock)
    [dm] = [m for m in slack_api.dms_to("U0ANA") if "Still clocked in" in m["text"]]
    assert dm["text"].startswith("Still clocked in since 07:58 (9h 20m).")
    [actions] = [b for b in dm["blocks"] if b["type"] == "actions"]
    assert [(e["action_id"], e["text"]["text"]) for e in actions["elements"]] == [
        ("reminder.clock_out", "Clock out at 17:15"),
        ("reminder.still", "Still working"),
    ]
    assert texts(twilio_api, ana.phone) == []


def test_long_breaks_get_one_reminder_each(deployment, bo, clock, twilio_api):  # type: ignore[no-untyped-def]
    phone = TwilioPhone(bo.phone)
    phone.text("in")
    clock.advance(hours=1)
    phone.text("break")  # a rest break: 15 minutes by default
    clock.advance(minutes=15)
    sweep(clock)
    clock.advance(minutes=15)
    sweep(clock)
    assert texts(twilio_api, bo.phone) == ["Rest break running 15m. Text BACK."]
    phone.text("back")
    clock.advance(minutes=30)
    phone.text("lunch")
    clock.advance(minutes=44)
    sweep(clock)
    assert len(texts(twilio_api, bo.phone)) == 1
    clock.advance(minutes=1)
    sweep(clock)
    assert texts(twilio_api, bo.phone)[-1] == "Meal break running 45m. Text BACK."


def test_a_meal_due_under_california_rules_is_reminded_15_minutes_before(  # type: ignore[no-untyped-def]
    deployment, bo, clock, twilio_api
):
    # The org's meal rules are California's (conftest): the first meal by the end of the 5th hour
    TwilioPhone(bo.phone).text("in")
    clock.advance(hours=4, minutes=44)
    sweep(clock)
    assert texts(twilio_api, bo.phone) == []
    clock.advance(minutes=1)
    sweep(clock)
    assert texts(twilio_api, bo.phone) == ["On shift 4h 45m: take your meal break by 12:58. Text LUNCH."]
    clock.advance(minutes=10)
    sweep(clock)
    assert len(texts(twilio_api, bo.phone)) == 1


def test_a_meal_reminder_too_late_to_help_is_not_sent(deployment, bo, clock, twilio_api, store):  # type: ignore[no-untyped-def]
    # The sweep did not run (an outage) until after the meal's deadline: the reminder would be noise
    TwilioPhone(bo.phone).text("in")
    clock.advance(hours=5, minutes=1)
    assert sweep(clock)["reminded"] == 0
    assert texts(twilio_api, bo.phone) == []
    assert store.get_worker(bo.worker_id, fresh=True).state.shift.meal_reminded


def test_a_meal_taken_early_means_no_meal_reminder(deployment, bo, clock, twilio_api):  # type: ignore[no-untyped-def]
    phone = TwilioPhone(bo.phone)
    phone.text("in")
    clock.advance(hours=3)
    phone.text("lunch")
    clock.advance(minutes=30)
    phone.text("back")
    clock.advance(hours=2)
    sweep(clock)
    assert texts(twilio_api, bo.phone) == []


def test_without_meal_rules_no_meal_reminder(deployment, no_meal_rules, bo, clock, twilio_api):  # type: ignore[no-untyped-def]
    TwilioPhone(bo.phone).text("in")
    clock.advance(hours=6)
    sweep(clock)
    assert texts(twilio_api, bo.phone) == []


def test_an_opted_out_worker_without_slack_hears_nothing_but_the_shift_still_closes(  # type: ignore[no-untyped-def]
    deployment, bo, clock, twilio_api, store
):
    phone = TwilioPhone(bo.phone)
    phone.text("in")
    phone.text("STOP")
    before = len(twilio_api.sent)
    clock.advance(hours=14)
    sweep(clock)
    clock.advance(hours=5)
    sweep(clock)
    assert len(twilio_api.sent) == before
    assert store.get_worker(bo.worker_id, fresh=True).state.status.value == "off"


def test_the_sweep_reads_only_what_is_due_with_no_scan(deployment, no_meal_rules, store, clock, calls, ports):  # type: ignore[no-untyped-def]
    from core import commands as c
    from core.domain.model import Channel
    from core.services import shifts

    crew = [
        store.add_worker(Worker(worker_id=f"w-{i:03d}", org_id="acme", name=f"Crew {i}", phone=f"+1555100{i:04d}"))
        for i in range(60)
    ]
    for i, worker in enumerate(crew):
        shifts.clock_in(c.ClockIn(), worker, no_meal_rules, Origin(Channel.CLI, delivery_id=f"in-{i}"), ports)
        if i == 19:
            clock.advance(hours=2)  # the other 40 clock in two hours later
    idle = [
        store.add_worker(Worker(worker_id=f"w-idle-{i}", org_id=no_meal_rules.org_id, name=f"Idle {i}"))
        for i in range(50)
    ]
    assert idle
    clock.advance(hours=7, minutes=1)  # 9 h after the first 20, 7 h after the others

    calls.reset()
    result = jobs_handler.handler(scheduler_input("reminders", clock.now()), JobsContext())
    assert result["reminded"] == 20 and result["due"] == 20
    made = calls.calls
    assert made.get("Scan", 0) == 0
    # one query page, then per due worker a fresh read and one transaction
    assert made.get("Query", 0) == 1
    assert made.get("GetItem", 0) == 20  # (the org comes from the container's cache, at most once per run)
    assert made.get("TransactWriteItems", 0) == 20
