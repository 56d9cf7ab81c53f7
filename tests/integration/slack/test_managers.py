"""Corrections of any recent day and deciding them in Slack: slash commands, the approval DMs with
their buttons (signed requests through the real handler, lazy listeners in-process), the notify
function on the table's stream, a fake Slack on loopback.

The clock starts on Monday 16 Nov 2026, 07:58 in New York; the org pays weekly, Monday to Sunday.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.domain.model import ExpenseStatus, Role, Worker
from tests.integration.slack.fake_slack import button_ids, view_text


@pytest.fixture
def max_(store, org) -> Worker:  # type: ignore[no-untyped-def]
    """A second manager, on Slack."""
    return store.add_worker(
        Worker(
            worker_id="w-max",
            org_id=org.org_id,
            name="Max Second",
            role=Role.MANAGER,
            slack_team_id="T0ACME",
            slack_user_id="U0MAX",
        )
    )


def approval_dms(fake_slack, user: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [dm for dm in fake_slack.dms_to(user) if button_ids(dm)]


def as_clicked(dm: dict, store, manager_id: str) -> dict:  # type: ignore[no-untyped-def]
    """An approval DM as Slack hands it back in a click: where the notify side posted it."""
    item_id = dm["blocks"][-1]["elements"][0]["value"]
    [posted] = [m for m in store.approval_messages(item_id) if m.manager_id == manager_id]
    return {"ts": posted.ts, "channel": posted.channel, "text": dm["text"], "blocks": dm["blocks"]}


def test_correcting_yesterdays_clock_out_in_slack(slack, ana, manager, clock, fake_slack):  # type: ignore[no-untyped-def]
    # Given Ana worked Sunday 08:00-16:00 in Slack and clocked out
    clock.set(datetime(2026, 11, 15, 13, 0, tzinfo=UTC))
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=8)
    slack.command("/clockout", timestamp=slack.later(1))
    # When on Monday she says she stopped at 17:30
    clock.set(datetime(2026, 11, 16, 12, 58, tzinfo=UTC))
    answer = slack.command("/clockout", "yesterday 17:30 forgot", timestamp=slack.later(2))
    # Then it waits for her manager, who gets a DM with the change and buttons
    assert answer.text == "Clock-out on Sun 15 Nov changed to 17:30, shift 9h 30m. Sent to your manager for approval."
    [dm] = approval_dms(fake_slack, "U0MIA")
    assert dm["text"] == "#1 Ana Lopez: out 16:00->17:30 Sun 15 Nov, forgot. Approve or reject in Slack."
    # And /status and /timesheet show it pending
    assert slack.command("/status", timestamp=slack.later(3)).text == (
        "Clocked out. Last out Sun 15 Nov 17:30. 1 waiting for your manager. /clockin /timesheet"
    )
    assert slack.command("/timesheet", "yesterday", timestamp=slack.later(3)).text.endswith("1 pending correction(s).")


def test_a_forgotten_shift_and_break_and_an_overlap_in_slack(slack, ana, manager, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, 18, 14, 0, tzinfo=UTC))  # Wednesday
    shift = slack.command("/punch", "shift mon 8:00-16:30 forgot", timestamp=slack.later(0))
    assert shift.text == "Shift 08:00-16:30 on Mon 16 Nov (8h 30m) added. Sent to your manager for approval."
    lunch = slack.command("/break", "meal mon 12:00-12:30 forgot", timestamp=slack.later(1))
    assert lunch.text == "Meal break 12:00-12:30 on Mon 16 Nov added. Sent to your manager for approval."
    crossing = slack.command("/punch", "shift mon 16:00-18:00 forgot", timestamp=slack.later(2))
    assert crossing.text == "That crosses your shift Mon 16 Nov 08:00-16:30. Nothing changed."
    assert len(store.pending_items("acme")) == 2


def test_team_pending_approve_reject_and_approve_all_in_slack(slack, ana, manager, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    # Given three items wait for Mia
    slack.command("/clockin", "7:30 bus late", timestamp=slack.later(0))
    clock.advance(minutes=5)
    slack.command("/expense", "48.20 parts hinge", timestamp=slack.later(1))
    clock.advance(minutes=5)
    slack.command("/expense", "4.20 coffee", timestamp=slack.later(2))
    clock.advance(minutes=50)
    # When she opens /team, Then each is listed with its number, who, what changes, why, how long ago
    board = slack.command("/team", user="U0MIA", timestamp=slack.later(3))
    shown = view_text({"blocks": board.body["blocks"]})
    assert "*Waiting for you (3)*" in shown
    assert "*#1* *Ana Lopez*: in 07:58->07:30 Mon 16 Nov, bus late _(1h ago)_" in shown
    assert "*#2* *Ana Lopez*: 48.20 USD parts Mon 16 Nov, hinge _(55m ago)_" in shown
    assert "*#3* *Ana Lopez*: 4.20 USD meals Mon 16 Nov _(50m ago)_" in shown
    # And she decides by number
    pending = slack.command("/punch", "pending 2", user="U0MIA", timestamp=slack.later(3))
    assert pending.text.startswith("2/3 #2 Ana Lopez: 48.20 USD parts Mon 16 Nov, hinge (55m ago).")
    assert slack.command("/punch", "reject 2 no receipt", user="U0MIA", timestamp=slack.later(3)).text == (
        "Rejected #2 Ana Lopez: 48.20 USD parts Mon 16 Nov."
    )
    assert slack.command("/punch", "approve 2", user="U0MIA", timestamp=slack.later(4)).text == (
        "2 (Ana Lopez) was already decided. Nothing changed. /punch pending"
    )
    offer = slack.command("/punch", "approve all", user="U0MIA", timestamp=slack.later(4))
    assert offer.text == "Approve all 2 waiting (Ana Lopez)? /punch approve all 2 to confirm."
    done = slack.command("/punch", "approve all 2", user="U0MIA", timestamp=slack.later(4))
    assert done.text == "Approved 2."
    assert store.pending_items("acme") == []
    told = [dm["text"] for dm in fake_slack.dms_to("U0ANA")]
    assert "Your expense 48.20 USD parts on Mon 16 Nov was rejected by Mia Boss: no receipt." in told
    assert "Your clock-in 07:30 on Mon 16 Nov was approved by Mia Boss." in told


def test_when_one_manager_decides_every_managers_dm_says_who_and_when(  # type: ignore[no-untyped-def]
    slack, ana, manager, max_, clock, fake_slack, store
):
    # Given Ana's correction asked both managers
    slack.command("/clockin", "7:30 bus late", timestamp=slack.later(0))
    [mias] = approval_dms(fake_slack, "U0MIA")
    [maxs] = approval_dms(fake_slack, "U0MAX")
    assert mias["text"].startswith("#1 Ana Lopez") and maxs["text"].startswith("#1 Ana Lopez")
    # When Max approves with his button
    clock.advance(minutes=3)
    [pending] = store.pending_corrections("acme")
    slack.click("correction.approve", pending.event_id, user="U0MAX", message=as_clicked(maxs, store, "w-max"))
    # Then both DMs show who decided and when, with no buttons left and no raw mention
    updates = {call.args["channel"]: call.args for call in fake_slack.made("chat.update")}
    assert set(updates) == {as_clicked(mias, store, "w-mia")["channel"], as_clicked(maxs, store, "w-max")["channel"]}
    for update in updates.values():
        assert "Approved by Max Second, Mon 16 Nov 08:01." in view_text(update)
        assert button_ids(update) == [] and "<@" not in update["text"]
    # And when Mia clicks her (stale) button, nothing changes and she is told why
    slack.click("correction.reject", pending.event_id, user="U0MIA", message=as_clicked(mias, store, "w-mia"))
    assert len(store.worker_events("w-ana", clock.now().replace(hour=0), clock.now()).decisions) == 1
    assert "Nothing changed: this was already decided." in view_text(fake_slack.made("chat.update")[-1].args)
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == [
        "Your clock-in 07:30 on Mon 16 Nov was approved by Max Second."
    ]


def test_a_manager_cannot_decide_their_own_item_in_slack(slack, manager, max_, fake_slack, store):  # type: ignore[no-untyped-def]
    # Given Mia's own correction waits for Max
    slack.command("/clockin", "7:30 badge broke", user="U0MIA", timestamp=slack.later(0))
    [pending] = store.pending_corrections("acme")
    assert approval_dms(fake_slack, "U0MIA") == []  # she is not asked about her own item
    # When she tries to approve it, by typing or with the item itself, Then she is refused
    assert slack.command("/punch", "approve", user="U0MIA", timestamp=slack.later(1)).text == (
        "Another manager must decide your own item."
    )
    slack.click(
        "correction.approve",
        pending.event_id,
        user="U0MIA",
        message=as_clicked(approval_dms(fake_slack, "U0MAX")[0], store, "w-max"),
    )
    assert store.pending_corrections("acme") == [pending]


def test_expense_approval_in_slack_and_the_reimbursement_total(slack, ana, manager, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    # Given Ana logs two expenses, which wait for Mia
    slack.command("/expense", "48.20 parts hinge", timestamp=slack.later(0))
    slack.command("/expense", "12 lunch", timestamp=slack.later(1))
    first, second = approval_dms(fake_slack, "U0MIA")
    assert first["text"] == "#1 Ana Lopez: 48.20 USD parts Mon 16 Nov, hinge. Approve or reject in Slack."
    # When Mia approves one and rejects the other with the buttons
    item = first["blocks"][-1]["elements"][0]["value"]
    slack.click("correction.approve", item, user="U0MIA", message=as_clicked(first, store, "w-mia"))
    item = second["blocks"][-1]["elements"][0]["value"]
    slack.click("correction.reject", item, user="U0MIA", message=as_clicked(second, store, "w-mia"))
    # Then Ana hears of both, and the day's report totals what is approved, to reimburse
    told = [dm["text"] for dm in fake_slack.dms_to("U0ANA")]
    assert "Your expense 48.20 USD parts on Mon 16 Nov was approved by Mia Boss." in told
    assert "Your expense 12 USD meals on Mon 16 Nov was rejected by Mia Boss." in told
    statuses = {e.amount: e.status for e in store.worker_expenses("w-ana", clock.now().date(), clock.now().date())}
    assert set(statuses.values()) == {ExpenseStatus.APPROVED, ExpenseStatus.REJECTED}
    report = slack.command("/report", user="U0MIA", timestamp=slack.later(2))
    shown = view_text({"blocks": report.body["blocks"]})
    assert "To reimburse: Ana Lopez 48.20 USD" in shown
    assert "Pay period Mon 16 Nov - Sun 22 Nov: open." in shown


def test_a_manager_locks_last_weeks_period_in_slack(slack, manager, clock, store):  # type: ignore[no-untyped-def]
    assert slack.command("/punch", "lock", user="U0MIA").text == (
        "Pay period Mon 09 Nov - Sun 15 Nov locked: it takes no more corrections."
    )
    assert [lock.start.isoformat() for lock in store.period_locks("acme")] == ["2026-11-09"]
