"""Block Kit that the notify side sends and the doors reuse: primitives, the team board, approval DMs.

Pure functions of core data (no slack_bolt import). Action ids are the contract between these views
and the Slack door's listeners (bot/slack/app.py listens for them). Every worker-typed string goes
through `esc` before it reaches mrkdwn, in blocks and in plain-text fallbacks alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from core.catalogue import Channel, phrase, say, written
from core.domain.model import Org
from core.replies import duration

Block = dict[str, Any]

# Action ids: the views below draw the buttons, bot/slack/app.py listens for them.
CLOCK_IN = "home.clock_in"
START_BREAK = "home.start_break"
END_BREAK = "home.end_break"
CLOCK_OUT = "home.clock_out"
LOG_EXPENSE = "home.log_expense"
CHOOSE_LANGUAGE = "home.language"  # the Home tab's language menu; selected value: a catalogue language
APPROVE = "correction.approve"
REJECT = "correction.reject"
REMINDER_OUT = "reminder.clock_out"  # value: the suggested clock-out instant (ISO)
REMINDER_STILL = "reminder.still"

SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text


def esc(text: str) -> str:
    """Slack mrkdwn escaping: names and notes are shown, never interpreted as links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_UNESCAPED_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")


def esc_echoed(text: str) -> str:
    """Escaping for text Slack hands back (a message's `text` in a click): what we escaped when
    posting stays as it is, and anything still raw (a message posted before fallbacks were
    escaped) is escaped now, so no `<` in it can become a mention or a link."""
    return _UNESCAPED_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> Block:
    found: Block = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}
    if value:
        found["value"] = value
    if style:
        found["style"] = style
    return found


def slack_words(key: str, zone: tzinfo = UTC, language: str | None = None, **params: Any) -> str:
    """The words of a block (the catalogue's `slack.<key>`), as they are: values come escaped."""
    return phrase("slack." + key, language, channel=Channel.SLACK, zone=zone, **params)


def local_time(iso_text: str | None, zone: ZoneInfo, now: datetime | None = None) -> str:
    """`07:58` today, `Mon 16 Nov 07:58` on another day."""
    return written("when", iso_text, zone, now=now)


def capped(lines: list[str], limit: int = SECTION_LIMIT) -> str:
    """Lines joined up to the section limit, then `...and N more`."""
    shown: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        if size + len(line) + 30 > limit:
            shown.append(f"...and {len(lines) - index} more")
            break
        shown.append(line)
        size += len(line) + 1
    return "\n".join(shown)


# ---------------------------------------------------------------------------------------------
# The team board (/team and a manager's Home tab)


def team_blocks(data: dict[str, Any], org: Org, zone: ZoneInfo) -> list[Block]:
    now = datetime.fromisoformat(data["now"]) if data.get("now") else None
    groups: dict[str, list[str]] = defaultdict(list)
    for row in sorted(data.get("workers") or [], key=lambda r: r["name"].lower()):
        groups[row["status"]].append(_team_line(row, org, zone, now))
    blocks: list[Block] = []
    for status in ("on_shift", "on_break"):
        rows = groups.get(status) or []
        title = slack_words(f"team.title.{status}", count=len(rows))
        blocks.append(section(title + ("\n" + capped(rows) if rows else "")))
    off = groups.get("off") or []
    blocks.append(section(slack_words("team.title.off", count=len(off)) + ("\n" + capped(off) if off else "")))
    waiting = data.get("waiting")
    if waiting:  # a manager's own /team: each item numbered as they decide it
        lines = [pending_line(item, zone) for item in waiting]
        blocks.append(section(slack_words("team.waiting", count=len(waiting)) + "\n" + capped(lines)))
        blocks.append(context(slack_words("team.waiting_hint")))
    elif int(data.get("pending") or 0):
        blocks.append(context(slack_words("team.pending", pending=int(data["pending"]))))
    return blocks


def pending_line(item: Mapping[str, Any], zone: tzinfo, language: str | None = None) -> str:
    """`*#2* *Ana Lopez*: out 17:00->17:30 Mon 16 Nov, forgot _(2h ago)_`: names and reasons escaped."""
    return slack_words("pending.line", zone, language, **_escaped(item))


def _escaped(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **item,
        "name": esc(str(item.get("name") or "")),
        "reason": esc(str(item["reason"])) if item.get("reason") else None,
    }


def _team_line(row: dict[str, Any], org: Org, zone: ZoneInfo, now: datetime | None) -> str:
    line = f"- *{esc(row['name'])}*" + (slack_words("team.texts_off") if row.get("sms_opted_out") else "")
    if row["status"] == "off":
        return line
    line += slack_words("team.since", zone, since=row.get("since"), now=now)
    if row.get("job"):
        line += f" ({esc(row['job'])})"
    if now is not None and row.get("since"):
        elapsed = (now - datetime.fromisoformat(row["since"])).total_seconds() // 60
        limit = (
            org.reminders.long_break_minutes if row["status"] == "on_break" else org.reminders.forgot_clock_out_minutes
        )
        if elapsed >= limit:
            line += f" :warning: {duration(int(elapsed))}"
    return line


# ---------------------------------------------------------------------------------------------
# Approval DMs


def approval_message(item: Mapping[str, Any], zone: tzinfo, language: str | None = None) -> tuple[str, list[Block]]:
    """A manager's DM about one waiting item (core.services.corrections.item_data), in the manager's
    language: its number in their view, who, what changes (from -> to, the day), why, how long
    ago; Approve / Reject carry the item's id. What the worker typed (the reason) stays as typed."""
    shown = {**item, "reason": item.get("reason") or slack_words("approval.no_reason", language=language)}
    text = slack_words("approval.text", zone, language, **_escaped(shown))
    item_id = str(item["item_id"])
    blocks = [
        section(pending_line(shown, zone, language)),
        context(slack_words("approval.hint", language=language, number=item.get("number"))),
        {
            "type": "actions",
            "block_id": "decision",
            "elements": [
                button(slack_words("approval.approve", language=language), APPROVE, item_id, "primary"),
                button(slack_words("approval.reject", language=language), REJECT, item_id, "danger"),
            ],
        },
    ]
    return text, blocks


def settled_approval(item: Mapping[str, Any], zone: tzinfo, language: str | None = None) -> tuple[str, list[Block]]:
    """The same DM once decided (by this manager or another): who decided and when, no buttons left."""
    shown = {**item, "reason": item.get("reason") or slack_words("approval.no_reason", language=language)}
    decided = say(
        "decision_settled",
        Channel.SLACK,
        language,
        zone=zone,
        decision=item.get("decision"),
        name=str(item.get("decided_by_name") or ""),
        at=item.get("decided_at"),
    )
    text = slack_words("approval.text", zone, language, **_escaped(shown))
    return f"{text} {esc(decided)}", [section(pending_line(shown, zone, language)), context(esc(decided))]


# ---------------------------------------------------------------------------------------------
# Reminders


def reminder_message(text: str, buttons: list[tuple[str, str, str]]) -> tuple[str, list[Block]]:
    """A reminder DM: the catalogue's words, and its answers as buttons (label, action id, value)."""
    blocks = [section(esc(text))]
    if buttons:
        elements = [button(label, action_id, value) for label, action_id, value in buttons]
        blocks.append({"type": "actions", "block_id": "reminder", "elements": elements})
    return esc(text), blocks
