"""Corrections of any recent day, and deciding them, by text: the Twilio webhook, the notify function,
Twilio's REST API on loopback. Every reply is checked to be one GSM-7 segment as it is given
(`TwilioPhone.text`); the manager here has no Slack, so they are asked by text.

The clock starts on Monday 16 Nov 2026, 07:58 in New York; the org pays weekly, Monday to Sunday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.domain.model import Decision, ExpenseStatus, Role, Worker
from tests.integration.sms.helpers import TwilioPhone

SUNDAY_8AM = datetime(2026, 11, 15, 13, 0, tzinfo=UTC)


@pytest.fixture
def ben(store, org) -> Worker:  # type: ignore[no-untyped-def]
    return store.add_worker(Worker(worker_id="w-ben", org_id=org.org_id, name="Ben Ng", phone="+15550000003"))


def worked(phone: TwilioPhone, clock, start: datetime, hours: float) -> None:  # type: ignore[no-untyped-def]
    clock.set(start)
    phone.text("in")
    clock.advance(hours=hours)
    phone.text("out")


def test_correcting_yesterdays_clock_out_after_clocking_out(ana_phone, mia_phone, twilio, clock, store):  # type: ignore[no-untyped-def]
    # Given Ana worked Sunday 08:00-16:00 and clocked out
    worked(ana_phone, clock, SUNDAY_8AM, 8)
    # When on Monday morning she says she really stopped at 17:30
    clock.set(datetime(2026, 11, 16, 12, 58, tzinfo=UTC))
    reply = ana_phone.text("OUT yesterday 17:30 forgot")
    # Then it waits for her manager, who is asked what changes, from -> to, and why
    assert reply == "Clock-out on Sun 15 Nov changed to 17:30, shift 9h 30m. Sent to your manager for approval."
    assert twilio.texts_to(mia_phone.number) == [
        "#1 Ana Lopez: out 16:00->17:30 Sun 15 Nov, forgot. Reply APPROVE 1 or REJECT 1 why."
    ]
    # And she sees it pending in STATUS and HOURS until it is decided
    assert (
        ana_phone.text("status")
        == "Clocked out. Last out Sun 15 Nov 17:30. 1 waiting for your manager. Text IN, HOURS."
    )
    assert ana_phone.text("hours yesterday") == (
        "Yesterday: 9h 30m worked, 9h 30m on task, OT 0m, 1 day(s). 1 pending correction(s)."
    )
    # When her manager approves it, she is told, and it waits no more
    assert mia_phone.text("APPROVE 1") == "Approved #1 Ana Lopez: out 16:00->17:30 Sun 15 Nov."
    assert twilio.texts_to(ana_phone.number) == ["Your clock-out 17:30 on Sun 15 Nov was approved by Mia Boss."]
    assert ana_phone.text("hours yesterday") == "Yesterday: 9h 30m worked, 9h 30m on task, OT 0m, 1 day(s)."
    assert store.pending_items("acme") == []


def test_a_late_start_noticed_after_clocking_out(ana_phone, clock):  # type: ignore[no-untyped-def]
    # Given Ana clocked in at 13:28 and out at 17:00
    clock.set(datetime(2026, 11, 16, 18, 28, tzinfo=UTC))
    ana_phone.text("in")
    clock.advance(hours=3, minutes=32)
    ana_phone.text("out")
    # When she notices she really started at 13:20
    # Then the shift's clock-in is corrected (it was refused before: "before your last clock-out")
    assert ana_phone.text("IN 13:20 forgot") == "Clock-in changed to 13:20. Sent to your manager for approval."
    assert ana_phone.text("hours today").startswith("Today: 3h 40m worked")


def test_a_whole_forgotten_shift_and_a_forgotten_break(ana_phone, mia_phone, twilio, clock, store):  # type: ignore[no-untyped-def]
    # Given it is Wednesday, and Ana forgot to punch Monday altogether
    clock.set(datetime(2026, 11, 18, 14, 0, tzinfo=UTC))
    reply = ana_phone.text("SHIFT mon 8:00-16:30 forgot")
    assert reply == "Shift 08:00-16:30 on Mon 16 Nov (8h 30m) added. Sent to your manager for approval."
    reply = ana_phone.text("LUNCH mon 12:00-12:30 forgot")
    assert reply == "Meal break 12:00-12:30 on Mon 16 Nov added. Sent to your manager for approval."
    assert ana_phone.text("hours") == (
        "This week: 8h 00m worked, 8h 00m on task, OT 0m, 1 day(s). 2 pending correction(s)."
    )
    # The manager is asked about each, once (a shift's clock-out follows its clock-in's decision)
    assert twilio.texts_to(mia_phone.number) == [
        "#1 Ana Lopez: shift 08:00-16:30 Mon 16 Nov, forgot. Reply APPROVE 1 or REJECT 1 why.",
        "#2 Ana Lopez: break 12:00-12:30 Mon 16 Nov, forgot. Reply APPROVE 2 or REJECT 2 why.",
    ]
    # When the manager rejects the shift, it never happened
    assert mia_phone.text("REJECT 1 not on the rota") == "Rejected #1 Ana Lopez: shift 08:00-16:30 Mon 16 Nov."
    assert twilio.texts_to(ana_phone.number) == [
        "Your shift 08:00-16:30 on Mon 16 Nov was rejected by Mia Boss: not on the rota."
    ]
    assert ana_phone.text("hours").startswith("This week: 0m worked")


def test_corrections_that_would_overlap_are_refused_and_write_nothing(ana_phone, clock, calls):  # type: ignore[no-untyped-def]
    # Given a shift told on Monday, 08:00-16:30
    clock.set(datetime(2026, 11, 18, 14, 0, tzinfo=UTC))
    ana_phone.text("SHIFT mon 8:00-16:30 forgot")
    calls.reset()
    refusals = {
        "SHIFT mon 16:00-18:00 forgot": "That crosses your shift Mon 16 Nov 08:00-16:30. Nothing changed.",
        "SHIFT mon 6:00-8:30 forgot": "That crosses your shift Mon 16 Nov 08:00-16:30. Nothing changed.",
        "BREAK mon 16:00-17:00 forgot": "Mon 16 Nov 16:00-17:00 is not within one of your shifts. Nothing changed.",
        "OUT tue 17:00 forgot": "No shift on Tue 17 Nov to change. A forgotten shift: SHIFT mon 8:00-16:30 forgot",
        "SHIFT 2/30 8:00-9:00 forgot": "That date does not exist. Nothing changed.",
        "SHIFT mon 8:00-16:30 again": "That crosses your shift Mon 16 Nov 08:00-16:30. Nothing changed.",
        "SHIFT 11/1 8:00-9:00 forgot": "Corrections go back to Mon 09 Nov only. Nothing changed. Ask your manager.",
    }
    for text, refused in refusals.items():
        assert ana_phone.text(text) == refused, text
    assert "TransactWriteItems" not in calls.calls  # nothing written


def test_a_locked_period_takes_no_corrections_and_reports_say_so(ana_phone, mia_phone, clock, store, org, ports):  # type: ignore[no-untyped-def]
    from core.services.periods import period_status

    # Given Ana worked last Friday, and on Monday her manager locks last week's pay period
    worked(ana_phone, clock, datetime(2026, 11, 13, 13, 0, tzinfo=UTC), 8)
    clock.set(datetime(2026, 11, 16, 14, 0, tzinfo=UTC))
    assert ana_phone.text("LOCK") == "Only managers can do that."
    assert mia_phone.text("LOCK 11/22") == "Pay period Mon 16 Nov - Sun 22 Nov is not over yet. Nothing locked."
    assert mia_phone.text("LOCK") == "Pay period Mon 09 Nov - Sun 15 Nov locked: it takes no more corrections."
    assert mia_phone.text("LOCK") == "Pay period Mon 09 Nov - Sun 15 Nov was locked by Mia Boss on Mon 16 Nov."
    # When Ana corrects Friday, Then she is told it is locked, and nothing is written
    assert ana_phone.text("OUT fri 17:30 forgot") == (
        "The pay period Mon 09 Nov - Sun 15 Nov is locked. Nothing changed. Ask your manager."
    )
    assert store.pending_items(org.org_id) == []
    # And a report of that week says it is locked
    status = period_status(org, date(2026, 11, 13), ports)
    assert (status.start, status.end, status.locked) == (date(2026, 11, 9), date(2026, 11, 15), True)


def test_a_period_with_corrections_waiting_is_not_locked(ana_phone, mia_phone, clock):  # type: ignore[no-untyped-def]
    worked(ana_phone, clock, datetime(2026, 11, 13, 13, 0, tzinfo=UTC), 8)
    clock.set(datetime(2026, 11, 16, 14, 0, tzinfo=UTC))
    ana_phone.text("OUT fri 17:30 forgot")
    assert mia_phone.text("LOCK") == (
        "1 correction(s) in Mon 09 Nov - Sun 15 Nov still wait: decide them first. Nothing locked. Text PENDING."
    )


def test_pending_approve_reject_and_approve_all_by_number(ana_phone, mia_phone, ben, twilio, clock, store):  # type: ignore[no-untyped-def]
    # Given three items wait: Ana's late clock-in, Ben's expense, Ana's expense
    ben_phone = TwilioPhone(ben.phone)
    ana_phone.text("IN 7:30 bus late")
    clock.advance(minutes=5)
    ben_phone.text("EXP 48.20 parts hinge")
    clock.advance(minutes=5)
    ana_phone.text("EXP 12,50 gas")
    clock.advance(minutes=50)
    # When the manager texts PENDING, each item comes as a text of its own, with the next number
    assert mia_phone.text("PENDING") == (
        "1/3 #1 Ana Lopez: in 07:58->07:30 Mon 16 Nov, bus late (1h ago). APPROVE 1 or REJECT 1 why. Next: PENDING 2"
    )
    assert mia_phone.text("pending 2") == (
        "2/3 #2 Ben Ng: 48.20 USD parts Mon 16 Nov, hinge (55m ago). APPROVE 2 or REJECT 2 why. Next: PENDING 3"
    )
    # APPROVE 2 decides what she was shown as 2; a number she was never shown changes nothing
    assert mia_phone.text("APPROVE 2") == "Approved #2 Ben Ng: 48.20 USD parts Mon 16 Nov."
    assert mia_phone.text("APPROVE 2") == "2 (Ben Ng) was already decided. Nothing changed. Text PENDING."
    assert mia_phone.text("APPROVE 9") == "Nothing numbered 9 waits for you. Text PENDING."
    assert twilio.texts_to(ben.phone) == ["Your expense 48.20 USD parts on Mon 16 Nov was approved by Mia Boss."]
    # Numbers stay with their items: 1 and 3 are still 1 and 3
    assert mia_phone.text("PENDING").startswith("1/2 #1 Ana Lopez: in 07:58->07:30")
    assert mia_phone.text("PENDING 2").startswith("2/2 #3 Ana Lopez: 12.50 USD fuel Mon 16 Nov (50m ago).")
    # REJECT 3 with a reason: the worker hears why
    assert mia_phone.text("REJECT 3 no receipt") == "Rejected #3 Ana Lopez: 12.50 USD fuel Mon 16 Nov."
    assert twilio.texts_to(ana_phone.number)[-1] == (
        "Your expense 12.50 USD fuel on Mon 16 Nov was rejected by Mia Boss: no receipt."
    )
    # APPROVE ALL asks for the count first, and a wrong count changes nothing
    assert mia_phone.text("APPROVE ALL 1") == "Send APPROVE ALL first, to see how many wait. Nothing changed."
    assert mia_phone.text("APPROVE ALL") == "Approve all 1 waiting (Ana Lopez)? APPROVE ALL 1 to confirm."
    assert mia_phone.text("APPROVE ALL 2") == ("1 were offered, not 2. Nothing changed. APPROVE ALL 1 confirms them.")
    assert mia_phone.text("APPROVE ALL 1") == "Approved 1."
    assert mia_phone.text("PENDING") == "Nothing is waiting for you."
    # Every decision is an event: the expenses say who decided, and how
    spent = {e.worker_id: e for e in store.org_expenses("acme", date(2026, 11, 16), date(2026, 11, 16))}
    assert (spent["w-ben"].status, spent["w-ben"].decided_by) == (ExpenseStatus.APPROVED, "w-mia")
    assert (spent["w-ana"].status, spent["w-ana"].decision_note) == (ExpenseStatus.REJECTED, "no receipt")
    start = datetime(2026, 11, 16, tzinfo=UTC)
    [decision] = store.worker_events("w-ana", start, datetime(2026, 11, 17, tzinfo=UTC)).decisions
    assert (decision.decision, decision.decided_by) == (Decision.APPROVED, "w-mia")
    assert start < decision.decided_at


def test_approve_alone_with_two_alike_corrections_names_the_first_and_decides_nothing(  # type: ignore[no-untyped-def]
    ana_phone, mia_phone, ben, clock, store
):
    # Given Ana and Ben both say they stopped at 13:28 yesterday (the two alike corrections)
    ben_phone = TwilioPhone(ben.phone)
    worked(ana_phone, clock, SUNDAY_8AM, 8)
    worked(ben_phone, clock, SUNDAY_8AM, 8)
    clock.set(datetime(2026, 11, 16, 12, 58, tzinfo=UTC))
    ana_phone.text("OUT yesterday 13:28 forgot")
    clock.advance(minutes=1)
    ben_phone.text("OUT yesterday 13:28 forgot")
    # When the manager texts APPROVE alone, Then she is shown the first by number, name and times
    assert mia_phone.text("APPROVE") == (
        "2 wait. #1 Ana Lopez: out 16:00->13:28 Sun 15 Nov, forgot (1m ago). APPROVE 1 or REJECT 1 why. Next: PENDING 2"
    )
    # And an old four-letter reference, or a number never shown, decides nothing
    assert mia_phone.text("APPROVE cef4").startswith("Reply APPROVE or REJECT with its number")
    assert mia_phone.text("APPROVE 3") == "Nothing numbered 3 waits for you. Text PENDING."
    assert len(store.pending_items("acme")) == 2
    # Then APPROVE 2 decides Ben's, and only his
    assert mia_phone.text("APPROVE 2") == "Approved #2 Ben Ng: out 16:00->13:28 Sun 15 Nov."
    [left] = store.pending_items("acme")
    assert left.worker_id == "w-ana"


def test_a_confirmation_delivered_again_has_one_effect_and_the_same_answer(ana_phone, mia_phone, ben, clock, store):  # type: ignore[no-untyped-def]
    ana_phone.text("EXP 5 parking")
    TwilioPhone(ben.phone).text("EXP 6 tolls")
    mia_phone.text("APPROVE ALL")
    first = mia_phone.text("APPROVE ALL 2", sid="SMconfirm")
    again = mia_phone.text("APPROVE ALL 2", sid="SMconfirm")  # Twilio retried the webhook
    assert first == again == "Approved 2."
    expenses = store.org_expenses("acme", date(2026, 11, 16), date(2026, 11, 16))
    assert {e.status for e in expenses} == {ExpenseStatus.APPROVED}


def test_a_manager_cannot_decide_their_own_item(mia_phone, store, org, clock):  # type: ignore[no-untyped-def]
    # Given two managers, and Mia's own correction waits for the other
    other = Worker(worker_id="w-max", org_id=org.org_id, name="Max Second", role=Role.MANAGER, phone="+15550000066")
    store.add_worker(other)
    mia_phone.text("IN 7:30 badge broke")
    # When she tries to approve it, Then she is told another manager must, and it still waits
    assert mia_phone.text("PENDING") == "Nothing is waiting for you."
    assert mia_phone.text("APPROVE") == "Another manager must decide your own item."
    assert len(store.pending_items(org.org_id)) == 1


def test_expenses_above_the_orgs_threshold_wait_and_reports_total_the_approved(  # type: ignore[no-untyped-def]
    ana_phone, mia_phone, store, org, clock, capsys
):
    from bot.cli import main

    # Given the org approves expenses above 20 USD itself
    store.save_org(replace_org(store.get_org(org.org_id), expense_approval_above=Decimal("20")))
    assert ana_phone.text("EXP 4.20 coffee") == "Expense 4.20 USD meals on 2026-11-16 logged."
    assert ana_phone.text("EXP 48.20 diesel") == (
        "Expense 48.20 USD fuel on 2026-11-16 logged. Sent to your manager for approval."
    )
    assert ana_phone.text("EXP 30 uber") == (
        "Expense 30 USD travel on 2026-11-16 logged. Sent to your manager for approval."
    )
    mia_phone.text("PENDING")
    mia_phone.text("APPROVE 1")
    mia_phone.text("PENDING")
    mia_phone.text("REJECT 2 personal trip")
    # Then the report lists each with its status, and the approved total to reimburse
    assert (
        main(["expenses", "--org", "acme", "--from", "2026-11-16", "--to", "2026-11-16"], ports=_ports(store, clock))
        == 0
    )
    printed = capsys.readouterr().out
    assert '"approved_to_reimburse": {\n    "Ana Lopez": {\n      "USD": "52.40"' in printed
    assert printed.count('"status": "approved"') == 2 and printed.count('"status": "rejected"') == 1


def replace_org(org, **changes):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(org, **changes)


def _ports(store, clock):  # type: ignore[no-untyped-def]
    from core.services.ports import Ports

    return Ports(store=store, clock=clock)
