"""Every slash command through the real Lambda handler: what the worker reads, what is stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.domain.model import Status
from tests.integration.slack.fake_slack import button_ids, view_text


def test_clockin_answers_ephemerally_in_local_time_and_republishes_home(slack, ana, store, fake_slack):
    answer = slack.command("/clockin", "north-site")

    assert answer.status == 200
    assert answer.json["response_type"] == "ephemeral"
    assert answer.text == "Clocked in 07:58 at north-site. /break /clockout /expense 12.50 fuel /punch help"
    assert answer.json["blocks"][0]["text"]["text"].startswith("Clocked in 07:58 at north-site.")
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_SHIFT
    home = fake_slack.homes_of("U0ANA")[-1]
    assert "*On shift* since 07:58 (north-site)" in view_text(home)
    assert button_ids(home) == ["home.start_break", "home.clock_out", "home.log_expense"]


def test_a_base64_encoded_body_reads_the_same(slack, ana):
    answer = slack.command("/clockin", "", b64=True)

    assert answer.status == 200
    assert answer.text.startswith("Clocked in 07:58.")


def test_break_toggles_and_back_ends_it(slack, ana, clock, store):
    slack.command("/clockin")
    clock.advance(hours=4, minutes=32)

    started = slack.command("/break", "lunch", timestamp=slack.later(0))
    clock.advance(minutes=32)
    ended = slack.command("/break", "lunch", timestamp=slack.later(1))
    clock.advance(minutes=5)
    again = slack.command("/break", timestamp=slack.later(2))
    back = slack.command("/back", timestamp=slack.later(3))
    not_on_break = slack.command("/back", timestamp=slack.later(4))

    assert started.text == "Meal break started 12:30. On shift 4h 32m. /back"
    assert ended.text.startswith("Break 32m. On shift 5h 04m.")
    assert again.text.startswith("Rest break started 13:07.")
    assert back.text.startswith("Break 0m.")
    assert not_on_break.text == "You are not on a break. /break /clockout"
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_SHIFT


def test_status_and_clockout(slack, ana, clock):
    slack.command("/clockin", "north-site")
    clock.advance(hours=8, minutes=2)

    status = slack.command("/status")
    out = slack.command("/clockout", "done for today")
    after = slack.command("/status", timestamp=slack.later(4))

    assert status.text == "On shift since 07:58 (north-site). /break /clockout"
    assert out.text == "Clocked out 16:00. Shift 8h 02m since 07:58. /timesheet"
    assert after.text == "Clocked out. Last out 16:00. /clockin /timesheet"


def test_expense_with_text_is_logged_through_the_grammar(slack, ana, store):
    answer = slack.command("/expense", "48.20 parts hinge for unit 4")

    assert answer.text == "Expense 48.20 USD parts on 2026-11-16 logged. Sent to your manager for approval."
    [expense] = store.worker_expenses("w-ana", date(2026, 11, 16), date(2026, 11, 16))
    assert (expense.amount, expense.category, expense.note) == (Decimal("48.20"), "parts", "hinge for unit 4")


def test_expense_the_grammar_cannot_read_is_explained(slack, ana, store):
    answer = slack.command("/expense", "fuel")

    assert answer.text == "Which amount? e.g. /expense 12.50 fuel"  # the shared grammar's problem, in Slack's words
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 11, 30)) == []


def test_timesheet_periods(slack, ana, clock):
    slack.command("/clockin")
    clock.advance(hours=3)
    slack.command("/clockout", timestamp=slack.later(4))

    week = slack.command("/timesheet")
    today = slack.command("/timesheet", "today")
    last_week = slack.command("/timesheet", "last week")
    ranged = slack.command("/timesheet", "2026-11-16..2026-11-17")
    unreadable = slack.command("/timesheet", "fortnight please")

    assert week.text == "This week: 3h 00m worked, 3h 00m on task, OT 0m, 1 day(s)."
    assert today.text.startswith("Today: 3h 00m worked")
    assert last_week.text.startswith("Last week: 0m worked")
    assert ranged.text.startswith("2026-11-16..2026-11-17: 3h 00m worked")
    assert "/timesheet today" in unreadable.text


def test_punch_takes_any_text_the_grammar_knows(slack, ana, store):
    helped = slack.command("/punch", "help")
    empty = slack.command("/punch")
    clocked = slack.command("/punch", "in north-site")
    spent = slack.command("/punch", "exp 5 parking")
    nonsense = slack.command("/punch", "make me a sandwich")

    # core.replies.render folds Slack text to GSM-7 like SMS, which drops `[`, `]` and `|` (reported to core)
    assert helped.text.startswith("/clockin [job], /clockout, /break [meal|rest]")
    assert "/team" not in helped.text  # managers' commands only for managers
    assert empty.text == helped.text
    assert clocked.text.startswith("Clocked in 07:58 at north-site.")
    assert spent.text == "Expense 5 USD parking on 2026-11-16 logged. Sent to your manager for approval."
    assert nonsense.text == (
        "Try /clockin, /clockout, /break, /back, /status, /expense 12.50 fuel, /timesheet or /punch help."
    )
    assert store.get_worker("w-ana", fresh=True).state.status is Status.ON_SHIFT


def test_team_board_for_managers(slack, ana, manager, clock):
    slack.command("/clockin", "north-site")
    clock.advance(minutes=30)

    board = slack.command("/team", user="U0MIA")

    assert board.text.startswith("On shift 1: Ana Lopez. On break 0. Off 1. Waiting for you 0.")
    shown = view_text(board.json)
    assert "*On shift (1)*\n- *Ana Lopez* since 07:58 (north-site)" in shown
    assert "*Off (1)*\n- *Mia Boss*" in shown


def test_team_and_report_refuse_workers_politely(slack, ana, manager):
    team = slack.command("/team")
    report = slack.command("/report")

    assert team.text == "Only managers can do that."
    assert report.text == "Only managers can do that."


def test_report_for_managers(slack, ana, manager, clock):
    slack.command("/clockin", "north-site")
    clock.advance(hours=8)
    slack.command("/clockout", timestamp=slack.later(4))
    slack.command("/expense", "12.50 fuel", timestamp=slack.later(4))

    today = slack.command("/report", user="U0MIA")
    yesterday = slack.command("/report", "yesterday", user="U0MIA")
    dated = slack.command("/report", "2026-11-16", user="U0MIA")
    unreadable = slack.command("/report", "next tuesday", user="U0MIA")

    assert (
        today.text
        == "Report Mon 16 Nov 2026: 1 worked, 8h 00m hours worked, OT 0m, 0 still in, 0 correction(s) waiting."
    )
    assert "- *Ana Lopez* 07:58-15:58, 8h 00m hours worked, OT 0m, breaks 0m paid, 0m unpaid" in view_text(today.json)
    assert "meal missed" in view_text(today.json)
    assert "Expenses: 1, 12.50 USD" in view_text(today.json)
    assert yesterday.text.startswith("Report Sun 15 Nov 2026: 0 worked")
    assert dated.text == today.text
    assert unreadable.text == "Try /report, /report yesterday or /report 2026-11-16."


@pytest.mark.parametrize(
    ("command", "text"),
    [("/timesheet", "0001-01-01"), ("/timesheet", "9999-12-31"), ("/report", "0001-01-01"), ("/report", "9999-12-31")],
)
def test_a_date_out_of_range_is_answered_as_such(slack, ana, manager, command, text):
    answer = slack.command(command, text, user="U0MIA")

    assert answer.status == 200
    assert answer.text == "That date is out of range: pick dates from 2000-01-01 to 2027-11-17."
