"""One effect per submission: retyped commands, double clicks, Events API and Lambda retries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from bot.slack.commands import DOUBLE_SUBMIT_WINDOW_SECONDS
from core.domain.model import Status
from infra.local.streams import is_notice
from tests.conftest import invoke_notify

DAY = date(2026, 11, 16)


def _punches(store):  # type: ignore[no-untyped-def]
    start = datetime(2026, 11, 16, tzinfo=UTC)
    return store.worker_events("w-ana", start, start + timedelta(days=1)).punches


def _window_edge(slack) -> int:  # type: ignore[no-untyped-def]
    """A timestamp 5 s before a double-submit window boundary (and well inside the signature window)."""
    return (slack.now // DOUBLE_SUBMIT_WINDOW_SECONDS) * DOUBLE_SUBMIT_WINDOW_SECONDS - 5


def test_a_retyped_clockin_is_answered_the_same_and_writes_once(slack, ana, store):
    # Both inside one double-submit window, wherever the wall clock happens to be
    start = (slack.now // DOUBLE_SUBMIT_WINDOW_SECONDS) * DOUBLE_SUBMIT_WINDOW_SECONDS - DOUBLE_SUBMIT_WINDOW_SECONDS
    first = slack.command("/clockin", "north-site", timestamp=start + 1)
    second = slack.command("/clockin", "North-Site ", timestamp=start + 9)

    assert second.text == first.text
    assert len(_punches(store)) == 1


def test_a_clockin_retyped_across_windows_is_told_it_is_already_in(slack, ana, store):
    edge = _window_edge(slack)
    slack.command("/clockin", timestamp=edge)
    again = slack.command("/clockin", timestamp=edge + 10)
    assert again.text.startswith("You are already clocked in since")
    assert len(_punches(store)) == 1


def test_a_retyped_break_does_not_toggle_it_back(slack, ana, store, clock):
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=2)
    stamp = _window_edge(slack)

    first = slack.command("/break", timestamp=stamp)
    clock.advance(seconds=10)
    retyped = slack.command("/break", timestamp=stamp + 10)  # the next 60-second window

    assert first.text.startswith("Rest break started 09:58.")
    assert retyped.text == first.text
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_BREAK
    assert len(_punches(store)) == 2


def test_a_break_after_a_back_in_the_next_window_is_a_new_break_and_its_retype_is_caught(slack, ana, store, clock):
    # /break, /back, then /break again across the window's edge: the second /break looks like the
    # first (same words, next window) but the worker changed since, so it is a new break; retyped
    # once more, it is caught by its own id.
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=2)
    stamp = _window_edge(slack)
    slack.command("/break", timestamp=stamp)
    clock.advance(seconds=3)
    slack.command("/back", timestamp=stamp + 3)
    clock.advance(seconds=7)
    second = slack.command("/break", timestamp=stamp + 10)
    clock.advance(seconds=5)
    retyped = slack.command("/break", timestamp=stamp + 15)

    assert second.text.startswith("Rest break started 09:58.")
    assert retyped.text == second.text
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_BREAK
    assert len(_punches(store)) == 4  # in, break, back, break


def test_a_correction_retyped_across_windows_asks_once(slack, ana, store, clock):
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=2)
    stamp = _window_edge(slack)
    first = slack.command("/clockout", "09:30 forgot", timestamp=stamp)
    retyped = slack.command("/clockout", "09:30 forgot", timestamp=stamp + 10)

    assert retyped.text == first.text
    assert len(store.pending_items("acme")) == 1


def test_a_retyped_expense_is_logged_once(slack, ana, store):
    stamp = _window_edge(slack)

    slack.command("/expense", "12.50 fuel", timestamp=stamp)
    slack.command("/expense", "12.50 fuel", timestamp=stamp + 10)

    assert len(store.worker_expenses("w-ana", DAY, DAY)) == 1


def test_the_same_expense_two_minutes_later_is_already_logged_and_ten_minutes_later_a_new_one(slack, ana, store, clock):
    slack.command("/expense", "12.50 fuel", timestamp=slack.later(0))
    clock.advance(minutes=2)
    again = slack.command("/expense", "12.50 fuel", timestamp=slack.later(1))
    assert again.text.startswith("Already logged: 12.50 USD fuel on 2026-11-16. Another one?")
    clock.advance(minutes=8, seconds=1)
    slack.command("/expense", "12.50 fuel", timestamp=slack.later(2))

    assert len(store.worker_expenses("w-ana", DAY, DAY)) == 2


def test_a_retyped_correction_asks_the_manager_once(slack, ana, manager, store, clock, fake_slack):
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=10)

    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(2))
    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(2) + 20)

    assert len(store.pending_corrections("acme")) == 1
    assert len(fake_slack.dms_to("U0MIA")) == 1


def test_a_button_delivered_twice_acts_once(slack, ana, store, fake_slack):
    slack.click("home.clock_in", action_ts="1790000000.000001")
    slack.click("home.clock_in", action_ts="1790000000.000001")

    assert len(_punches(store)) == 1
    assert len(fake_slack.homes_of("U0ANA")) == 1


def test_events_api_retries_publish_home_once(slack, ana, fake_slack):
    slack.home_opened(event_id="Ev0RETRY")
    slack.home_opened(event_id="Ev0RETRY", retry=1)
    slack.home_opened(event_id="Ev0RETRY", retry=2)

    assert len(fake_slack.homes_of("U0ANA")) == 1


def test_a_notice_delivered_twice_notifies_once(slack, ana, manager, clock, fake_slack, notices):
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=10)
    notices.drain()  # the clock-in's notice went out
    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(1), lazy=False)
    records = [r for r in notices.peek() if is_notice(r)]  # what the event source will hand the function
    assert [r["dynamodb"]["NewImage"]["kind"]["S"] for r in records] == ["state_changed", "correction_requested"]

    # Lambda's event source delivers the same batch twice (at least once, as streams do)
    first = invoke_notify({"Records": records})
    again = invoke_notify({"Records": records})

    assert first == again == {"batchItemFailures": []}
    assert len(fake_slack.dms_to("U0MIA")) == 1


def test_lazy_work_goes_through_lambda_invoke_on_this_function(slack, ana):
    slack.command("/clockin")  # answered in the ack: a command starts no lazy work
    assert slack.lambda_client.invoked == []

    slack.click("home.start_break")

    [invocation] = slack.lambda_client.invoked
    assert invocation["FunctionName"].endswith(":function:punchclock-SlackFunction")
    event = json.loads(invocation["Payload"])
    assert event["headers"]["x-slack-bolt-lazy-only"] == "1"
    assert event["headers"]["x-slack-bolt-lazy-function-name"] == "refresh_home"


def test_read_only_commands_start_no_lazy_work(slack, ana, manager, fake_slack):
    for command in ("/status", "/timesheet", "/team", "/report"):
        assert slack.command(command, user="U0MIA").status == 200

    assert slack.lambda_client.invoked == []
    assert fake_slack.calls == []


def test_a_failed_self_invoke_still_answers_the_user(slack, ana, store, monkeypatch):
    def throttled(**_: object) -> None:
        raise RuntimeError("Rate exceeded")

    monkeypatch.setattr(slack.lambda_client, "invoke", throttled)

    answer = slack.command("/clockin")

    assert answer.status == 200
    assert answer.text.startswith("Clocked in 07:58.")
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_SHIFT


def test_in_out_in_within_a_minute_is_three_commands_not_a_repeat(slack, ana, store, clock):
    start = (slack.now // DOUBLE_SUBMIT_WINDOW_SECONDS) * DOUBLE_SUBMIT_WINDOW_SECONDS - DOUBLE_SUBMIT_WINDOW_SECONDS
    slack.command("/clockin", timestamp=start + 1)
    clock.advance(seconds=20)
    slack.command("/clockout", timestamp=start + 21)
    clock.advance(seconds=20)
    third = slack.command("/clockin", timestamp=start + 41)
    assert third.text.startswith("Clocked in")
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_SHIFT
    assert len(_punches(store)) == 3
