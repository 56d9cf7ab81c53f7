"""A worker's day through the core services on moto DynamoDB."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from core import commands as c
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.replies import Style, render
from core.services.dispatch import handle

NY = ZoneInfo("America/New_York")


def say(outcome) -> str:  # type: ignore[no-untyped-def]
    return render(outcome, Style.SMS, NY)


def test_a_day(ports, org, ana, manager, clock, calls):  # type: ignore[no-untyped-def]
    sms = Origin(Channel.SMS, delivery_id="SM1")
    calls.reset()
    out = handle(c.ClockIn(job="north-site"), ana, org, sms, ports)
    assert say(out) == "Clocked in 07:58 at north-site. Text BREAK, OUT, EXP 12.50 fuel, HELP."
    assert calls.total == 1, calls.calls

    ana_now = ports.store.get_worker("w-ana")
    clock.advance(hours=4, minutes=32)
    calls.reset()
    out = handle(c.StartBreak(kind=None), ana_now, org, Origin(Channel.SMS, "SM2"), ports)
    assert calls.total == 1, calls.calls
    assert out.code == "break_started"
    clock.advance(minutes=32)
    calls.reset()
    out = handle(c.EndBreak(), ports.store.get_worker("w-ana"), org, Origin(Channel.SMS, "SM3"), ports)
    assert calls.total == 1
    assert say(out).startswith("Break 32m. On shift 5h 04m.")

    calls.reset()
    out = handle(
        c.LogExpense(Decimal("12.50"), "fuel"), ports.store.get_worker("w-ana"), org, Origin(Channel.SMS, "SM4"), ports
    )
    assert calls.total == 1
    assert out.code == "expense_logged"

    clock.advance(hours=4)
    calls.reset()
    out = handle(c.ClockOut(), ports.store.get_worker("w-ana"), org, Origin(Channel.SMS, "SM5"), ports)
    assert calls.total <= 2
    assert out.code == "clocked_out", out

    # redelivery: same answer, no new effect
    day = (clock.now().replace(hour=0), clock.now().replace(hour=23))
    recorded = len(ports.store.worker_events("w-ana", *day).punches)
    again = handle(c.ClockOut(), ports.store.get_worker("w-ana"), org, Origin(Channel.SMS, "SM5"), ports)
    assert again.to_json() == out.to_json()
    assert len(ports.store.worker_events("w-ana", *day).punches) == recorded == 4

    hours = handle(c.Hours(period=c.Period.TODAY), ana, org, Origin(Channel.SMS), ports)
    # 9h 04m on shift with a 32-minute rest break (paid, but not worked)
    assert (hours.data["on_task_minutes"], hours.data["hours_worked_minutes"]) == (8 * 60 + 32, 9 * 60 + 4)
    assert say(hours) == "Today: 9h 04m worked, 8h 32m on task, OT 0m, 1 day(s)."

    # correction
    out = handle(
        c.ClockOut(at=time(17, 0), reason="forgot"),
        ports.store.get_worker("w-ana"),
        org,
        Origin(Channel.SMS, "SM6"),
        ports,
    )
    assert say(out) == "Clock-out changed to 17:00, shift 9h 02m. Sent to your manager for approval."
    assert out.code == "clock_out_amended"
    # the manager sees both waiting items (the expense first: it was asked first), and approves both
    listed = handle(c.Pending(), manager, org, Origin(Channel.SMS, "SM7"), ports)
    assert say(listed).startswith("1/2 #1 Ana Lopez: 12.50 USD fuel Mon 16 Nov (4h ago). APPROVE 1 or REJECT 1")
    offer = handle(c.Decide(approve=True, every=True), manager, org, Origin(Channel.SMS, "SM8"), ports)
    assert say(offer) == "Approve all 2 waiting (Ana Lopez)? APPROVE ALL 2 to confirm."
    done = handle(c.Decide(approve=True, every=True, count=2), manager, org, Origin(Channel.SMS, "SM9"), ports)
    assert say(done) == "Approved 2."
    assert ports.store.pending_items(org.org_id) == []
