"""The App Home tab: where the worker stands, their hours, the buttons that make sense now.

Built from a freshly read worker (the caller reads it) and one timesheet for this week so far
(two queries: events and expenses); managers also get the team board with what waits for them
(two more, and their numbering when something waits). Only the
buttons valid in the current state are shown: Block Kit buttons cannot be greyed out. A menu
chooses the language the worker reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.catalogue import LANGUAGES, in_language, written
from core.domain.model import Expense, Org, Status, Worker
from core.periods import workday_of, workweek_start
from core.services.ports import Ports
from core.services.timesheets import board_for, timesheet_for
from notifications.slack_views import (
    CHOOSE_LANGUAGE,
    CLOCK_IN,
    CLOCK_OUT,
    END_BREAK,
    LOG_EXPENSE,
    START_BREAK,
    Block,
    button,
    context,
    esc,
    section,
    slack_words,
    team_blocks,
)

RECENT_EXPENSES = 5


def home_view(worker: Worker, org: Org, ports: Ports) -> dict[str, Any]:
    zone, lang = worker.zone(org), worker.speaks
    now = ports.clock.now()
    today = workday_of(org, zone, now)
    week = timesheet_for(worker, org, workweek_start(org, today), today, ports)
    today_row = week.row(today)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Punchclock"}},
        section(_state_line(worker, zone, now)),
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": slack_words("home.today", language=lang, worked=today_row.shown.hours_worked),
                },
                {
                    "type": "mrkdwn",
                    "text": slack_words(
                        "home.week",
                        language=lang,
                        worked=week.shown.hours_worked,
                        overtime=week.shown.extra,
                    ),
                },
            ],
        },
        {"type": "actions", "block_id": "home_actions", "elements": _buttons(worker.state.status, lang)},
    ]
    if week.totals.pending_corrections:
        blocks.append(context(slack_words("home.pending", language=lang, pending=week.totals.pending_corrections)))
    blocks += _expenses(week.totals.expenses, lang)
    blocks.append(_language_menu(lang))  # before the team board, which the 100-block cap may cut
    if worker.is_manager:  # the caller read the worker fresh: no second read for the board
        blocks += [{"type": "divider"}, section(slack_words("home.team", language=lang)), *_board(worker, org, ports)]
    blocks.append(context(slack_words("home.updated", zone, lang, now=now)))
    return {"type": "home", "callback_id": "punchclock_home", "blocks": blocks[:100]}


def _board(manager: Worker, org: Org, ports: Ports) -> list[Block]:
    """The team board of `/team`, with what waits for this manager numbered as they decide it
    (`/punch approve 2`): the same numbers as their DMs and texts."""
    board = board_for(manager, org, ports)
    with in_language(manager.speaks):  # the board's words name no language: they are the manager's
        return team_blocks(board.data, org, manager.zone(org))


def stranger_home(text: str) -> dict[str, Any]:
    """The Home tab of someone Punchclock does not act for (not enrolled, workspace not linked)."""
    return {
        "type": "home",
        "callback_id": "punchclock_home",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Punchclock"}}, section(esc(text))],
    }


def _state_line(worker: Worker, zone: ZoneInfo, now: datetime) -> str:
    st, lang = worker.state, worker.speaks
    if st.status is Status.ON_BREAK and st.on_break is not None:
        shift_start = st.shift.started_at if st.shift else None
        since, kind = st.on_break.started_at, st.on_break.kind.value
        return slack_words("home.state.on_break", zone, lang, kind=kind, since=since, shift_start=shift_start, now=now)
    if st.status is Status.ON_SHIFT and st.shift is not None:
        job = esc(st.shift.job) if st.shift.job else None
        return slack_words("home.state.on_shift", zone, lang, since=st.shift.started_at, job=job, now=now)
    last = st.last_shift.ended_at if st.last_shift else None
    return slack_words("home.state.off", zone, lang, last_out=last, now=now)


def _buttons(status: Status, lang: str) -> list[Block]:
    if status is Status.OFF:
        valid = [button(_label("clock_in", lang), CLOCK_IN, style="primary")]
    elif status is Status.ON_SHIFT:
        valid = [
            button(_label("start_break", lang), START_BREAK),
            button(_label("clock_out", lang), CLOCK_OUT, style="danger"),
        ]
    else:
        valid = [
            button(_label("end_break", lang), END_BREAK, style="primary"),
            button(_label("clock_out", lang), CLOCK_OUT, style="danger"),
        ]
    return [*valid, button(_label("log_expense", lang), LOG_EXPENSE)]


def _language_menu(lang: str) -> Block:
    """The worker's language, changed in one pick (bot/slack/listeners.py); each language is named
    in itself, so a worker who cannot read the current one still finds theirs."""
    options = [
        {"text": {"type": "plain_text", "text": slack_words("language.name", language=code)}, "value": code}
        for code in LANGUAGES
    ]
    chosen = next((option for option in options if option["value"] == lang), options[0])
    return {
        "type": "section",
        "block_id": "home_language",
        "text": {"type": "mrkdwn", "text": slack_words("home.language", language=lang)},
        "accessory": {
            "type": "static_select",
            "action_id": CHOOSE_LANGUAGE,
            "options": options,
            "initial_option": chosen,
        },
    }


def _label(action: str, lang: str) -> str:
    return slack_words("home.button." + action, language=lang)


def _expenses(expenses: tuple[Expense, ...], lang: str) -> list[Block]:
    if not expenses:
        return []
    recent = sorted(expenses, key=lambda e: (e.spent_on, e.recorded_at), reverse=True)[:RECENT_EXPENSES]
    lines = [
        f"- {written('day', e.spent_on, language=lang)}: {e.amount:.2f} {e.currency} "
        + esc(written("category", e.category, language=lang))
        + (f", {esc(e.note[:60])}" if e.note else "")
        + (" :paperclip:" if e.receipt_key else "")
        for e in recent
    ]
    return [{"type": "divider"}, section(slack_words("home.expenses", language=lang) + "\n" + "\n".join(lines))]
