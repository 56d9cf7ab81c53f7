"""Block Kit for the Slack door's own answers: ephemeral replies, the day report, a decided DM.

Pure functions of core data (no slack_bolt import). The primitives, the team board and the views
the notify side sends (Home tab, approval DMs) live in `notifications.slack_views`, reached through
`notifications.interface`. Every message carries a plain-text `text` too, escaped like the blocks.
Words come from `core.replies.render` wherever the core has them, so Slack and SMS say the same thing.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from core.catalogue import phrase, written
from core.domain.model import Org, Worker
from core.ports import Outcome
from core.replies import Style, render
from core.report_words import flag_words, period_line, reimbursements, report_summary, rules_line, totals_by_currency
from core.services.reports import OrgDay
from core.timesheet import DayRow
from notifications.interface import Block, button, capped, context, esc, section, slack_words, team_blocks

# Action and callback ids: the views below name them, bot/slack/app.py listens for them.
EXPENSE_MODAL = "expense_modal"
REPORT_EMAIL = "report.email"
REPORT_ACTIONS = "report_actions"  # block id `report_actions:<org id>`: the org the report is of


# ---------------------------------------------------------------------------------------------
# Ephemeral replies


def ephemeral(text: str, blocks: list[Block] | None = None) -> dict[str, Any]:
    """The keyword arguments of `ack()` / `respond()` for a reply only the user sees (`text` is
    plain words; Slack reads the fallback as mrkdwn too, so it is escaped like the blocks)."""
    return {"response_type": "ephemeral", "text": esc(text), "blocks": blocks or [section(esc(text))]}


def reply(
    outcome: Outcome, zone: ZoneInfo, org: Org, language: str | None = None, switched: bool = False
) -> dict[str, Any]:
    text = render(outcome, Style.SLACK, zone, language, switched)
    if outcome.code == "team":
        return ephemeral(text, team_blocks(outcome.data, org, zone))
    return ephemeral(text)


# ---------------------------------------------------------------------------------------------
# The day report (/report)


def report_reply(day: OrgDay, zone: ZoneInfo) -> dict[str, Any]:
    summary = report_summary(day)
    lines = [_report_line(w.worker, w.row, zone) for w in day.workers]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": slack_words("report.header", day=day.day)}},
        section(summary + "."),
        section(capped(lines) if lines else phrase("report.nobody_in")),
    ]
    spent = totals_by_currency((e.amount, e.currency) for e in day.expenses)
    if spent:
        blocks.append(context(slack_words("report.expenses", count=len(day.expenses), totals=spent)))
    owed = reimbursements(day.to_reimburse, day.name)
    if owed:
        totals = "; ".join(f"{esc(name)} {amounts}" for name, amounts in owed)
        blocks.append(context(phrase("report.reimburse", totals=totals)))
    if day.period is not None:
        blocks.append(context(period_line(day.period)))
    blocks.append(context(rules_line(day.org)))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"{REPORT_ACTIONS}:{day.org.org_id}",
            "elements": [button(slack_words("report.email_button"), REPORT_EMAIL, day.day.isoformat())],
        }
    )
    return ephemeral(slack_words("report.text", day=day.day, summary=summary), blocks)


def _report_line(worker: Worker, row: DayRow, zone: ZoneInfo) -> str:
    first = written("time", row.first_in, zone) if row.first_in else "--"
    still_in = slack_words("report.line.in") if row.open_shift else "--"
    last = written("time", row.last_out, zone) if row.last_out else still_in
    return slack_words(
        "report.line",
        name=esc(worker.name),
        first=first,
        last=last,
        worked=row.shown.hours_worked,
        overtime=row.shown.extra,
        paid=row.shown.paid_break,
        unpaid=row.shown.unpaid_break,
        flags=", ".join(flag_words().get(flag, flag) for flag in row.flags),
        expenses=totals_by_currency((e.amount, e.currency) for e in row.expenses),
    )


def settled_message(original: list[Block], note: str) -> list[Block]:
    """The approval DM once decided: its question kept, the buttons replaced by what happened."""
    kept = [block for block in original if block.get("type") != "actions"]
    return [*kept, context(note)]
