"""The App Home tab: where the worker stands, their hours, the buttons that make sense now.

Built from a freshly read worker (the caller reads it) and one timesheet for this week so far
(two queries: events and expenses); managers also get the team board (two more). Only the
buttons valid in the current state are shown: Block Kit buttons cannot be greyed out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.domain.model import Expense, Org, Status, Worker
from core.domain.transitions import iso
from core.periods import workday_of, workweek_start
from core.replies import duration
from core.services.ports import Ports
from core.services.timesheets import team_status, timesheet_for
from core.timesheet import minutes
from notifications.slack_views import (
    CLOCK_IN,
    CLOCK_OUT,
    END_BREAK,
    LOG_EXPENSE,
    START_BREAK,
    Block,
    button,
    context,
    esc,
    local_time,
    section,
    team_blocks,
)

RECENT_EXPENSES = 5
INACTIVE = "Your Punchclock account is switched off. Ask a manager if that is a mistake."


def home_view(worker: Worker, org: Org, ports: Ports) -> dict[str, Any]:
    zone = worker.zone(org)
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
                {"type": "mrkdwn", "text": f"*Today*\n{duration(minutes(today_row.hours_worked_seconds))} worked"},
                {
                    "type": "mrkdwn",
                    "text": (
                        f"*This week*\n{duration(minutes(week.totals.hours_worked_seconds))} worked, "
                        f"OT {duration(minutes(week.totals.overtime_seconds + week.totals.double_time_seconds))}"
                    ),
                },
            ],
        },
        {"type": "actions", "block_id": "home_actions", "elements": _buttons(worker.state.status)},
    ]
    if week.totals.pending_corrections:
        blocks.append(context(f"{week.totals.pending_corrections} correction(s) waiting for a manager."))
    blocks += _expenses(week.totals.expenses)
    if worker.is_manager:  # the caller read the worker fresh: no second read for the board
        board = team_status(org, ports)
        blocks += [{"type": "divider"}, section("*Team*"), *team_blocks(board.data, org, zone)]
    blocks.append(context(f"Updated {local_time(iso(now), zone, now)}. Commands: `/punch help`"))
    return {"type": "home", "callback_id": "punchclock_home", "blocks": blocks[:100]}


def stranger_home(text: str) -> dict[str, Any]:
    """The Home tab of someone Punchclock does not act for (not enrolled, workspace not linked)."""
    return {
        "type": "home",
        "callback_id": "punchclock_home",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "Punchclock"}}, section(esc(text))],
    }


def _state_line(worker: Worker, zone: ZoneInfo, now: datetime) -> str:
    st = worker.state
    if st.status is Status.ON_BREAK and st.on_break is not None:
        shift = f", shift since {local_time(iso(st.shift.started_at), zone, now)}" if st.shift else ""
        return f"*On {st.on_break.kind.value} break* since {local_time(iso(st.on_break.started_at), zone, now)}{shift}"
    if st.status is Status.ON_SHIFT and st.shift is not None:
        job = f" ({esc(st.shift.job)})" if st.shift.job else ""
        return f"*On shift* since {local_time(iso(st.shift.started_at), zone, now)}{job}"
    last = st.last_shift.ended_at if st.last_shift else None
    return "*Off*" + (f", last out {local_time(iso(last), zone, now)}" if last else "")


def _buttons(status: Status) -> list[Block]:
    if status is Status.OFF:
        valid = [button("Clock in", CLOCK_IN, style="primary")]
    elif status is Status.ON_SHIFT:
        valid = [button("Start break", START_BREAK), button("Clock out", CLOCK_OUT, style="danger")]
    else:
        valid = [button("End break", END_BREAK, style="primary"), button("Clock out", CLOCK_OUT, style="danger")]
    return [*valid, button("Log expense", LOG_EXPENSE)]


def _expenses(expenses: tuple[Expense, ...]) -> list[Block]:
    if not expenses:
        return []
    recent = sorted(expenses, key=lambda e: (e.spent_on, e.recorded_at), reverse=True)[:RECENT_EXPENSES]
    lines = [
        f"- {e.spent_on:%a %d %b}: {e.amount:.2f} {e.currency} {esc(e.category)}"
        + (f", {esc(e.note[:60])}" if e.note else "")
        + (" :paperclip:" if e.receipt_key else "")
        for e in recent
    ]
    return [{"type": "divider"}, section("*Expenses this week*\n" + "\n".join(lines))]
