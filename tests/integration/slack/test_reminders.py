"""A reminder in Slack: a DM with its answers as buttons; a click answers as the command would."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from core.domain.model import BreakPolicy
from notifications import jobs_handler
from tests.conftest import after_request
from tests.integration.slack.fake_slack import button_ids, view_text


class JobsContext:
    function_name = "punchclock-JobsFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-JobsFunction"
    aws_request_id = "jobs-test"


@pytest.fixture(autouse=True)
def _no_meal_rules(store, org):  # type: ignore[no-untyped-def]
    store.save_org(replace(org, break_policy=BreakPolicy(meal_rules="none")))


def _reminded(slack, clock, fake_slack) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    slack.command("/clockin", "", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=7)
    fake_slack.reset()
    jobs_handler.handler({"job": "reminders", "scheduled_time": "2026-11-17T03:05:00Z"}, JobsContext())
    after_request()
    [dm] = fake_slack.dms_to("U0ANA")
    return {"ts": "1790000000.000300", "channel": "D0ANA", "text": dm["text"], "blocks": dm["blocks"]}


def test_the_reminder_dm_offers_clock_out_at_a_time_and_still(slack, ana, clock, fake_slack):  # type: ignore[no-untyped-def]
    message = _reminded(slack, clock, fake_slack)
    assert message["text"] == (
        "Still clocked in since 07:58 (9h 07m). Clock out at 17:00 (or /clockout 17:30 with your time), or keep going?"
    )
    assert button_ids(message) == ["reminder.clock_out", "reminder.still"]


def test_clock_out_at_the_offered_time_is_a_correction_for_the_manager(  # type: ignore[no-untyped-def]
    slack, ana, manager, clock, fake_slack, store
):
    message = _reminded(slack, clock, fake_slack)
    offered = message["blocks"][-1]["elements"][0]["value"]
    answer = slack.click("reminder.clock_out", offered, message=message)

    assert answer.status == 200
    [pending] = store.pending_corrections("acme")
    assert pending.reason == "reminder" and pending.claimed_at.isoformat() == offered
    [update] = fake_slack.made("chat.update")
    assert button_ids(update.args) == []
    assert "Clocked out 17:00. Shift 9h 02m since 07:58. Sent to your manager for approval." in view_text(update.args)
    assert fake_slack.dms_to("U0MIA")[-1]["text"].startswith("#1 Ana Lopez: out 17:05->17:00 Mon 16 Nov, reminder.")
    # A second click changes nothing, says so, and the DM shows where she stands
    assert slack.click("reminder.clock_out", offered, message=message).status == 200
    assert len(store.pending_corrections("acme")) == 1
    assert "Clocked out. Last out 17:00." in view_text(fake_slack.made("chat.update")[-1].args)


def test_still_keeps_the_shift_and_asks_again_later(slack, ana, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    message = _reminded(slack, clock, fake_slack)
    slack.click("reminder.still", "still", message=message)
    [update] = fake_slack.made("chat.update")
    assert "OK, still on shift since 07:58. I will ask again at 02:05." in view_text(update.args)
    worker = store.get_worker("w-ana", fresh=True)
    assert worker.state.status.value == "on_shift" and worker.state.shift.asked_at is None


def test_a_slash_command_out_with_a_time_and_no_reason_answers_the_reminder(  # type: ignore[no-untyped-def]
    slack, ana, clock, fake_slack, store
):
    _reminded(slack, clock, fake_slack)
    answer = slack.command("/clockout", "16:45", timestamp=slack.later(2))
    assert answer.text.startswith("Clocked out 16:45.")
    [pending] = store.pending_corrections("acme")
    assert pending.reason == "reminder"
