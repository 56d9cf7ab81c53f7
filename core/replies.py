"""Outcomes as words: one plain-ASCII reply per outcome, in the worker's local time.

SMS replies must be GSM-7 and fit one 160-character segment (help may use two),
so every reply is built from short parts and passed through `plain()`. The two
styles differ only in how they name the next action: "Text BREAK" or "/break".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from core.ports import Outcome

SMS_SEGMENT = 160
SLACK_TEXT_LIMIT = 3000  # a section block's text limit
# The GSM 03.38 basic character set, ASCII part: anything outside it forces UCS-2 (70 chars a segment).
_GSM_ASCII = set("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class Style(StrEnum):
    SMS = "sms"
    SLACK = "slack"


_ACTIONS = {
    Style.SMS: {
        "in": "IN",
        "out": "OUT",
        "break": "BREAK",
        "back": "BACK",
        "status": "STATUS",
        "hours": "HOURS",
        "help": "HELP",
        "expense": "EXP 12.50 fuel",
    },
    Style.SLACK: {
        "in": "/clockin",
        "out": "/clockout",
        "break": "/break",
        "back": "/back",
        "status": "/status",
        "hours": "/timesheet",
        "help": "/punch help",
        "expense": "/expense 12.50 fuel",
    },
}


def ascii_text(text: str) -> str:
    """Plain printable ASCII: accents folded (José -> Jose), smart quotes straightened, the rest dropped."""
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded if ch.isprintable() or ch == "\n")


def plain(text: str, limit: int | None = None) -> str:
    """ASCII within GSM-7's basic set (one SMS segment holds 160 of these), cut to `limit` with '...'."""
    cleaned = "".join(ch for ch in ascii_text(text) if ch in _GSM_ASCII)
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 3)].rstrip() + "..."
    return cleaned


def duration(minutes: int | None) -> str:
    total = max(0, int(minutes or 0))
    hours, mins = divmod(total, 60)
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


@dataclass(frozen=True)
class _Say:
    style: Style
    zone: ZoneInfo

    def act(self, *names: str) -> str:
        words = [_ACTIONS[self.style][n] for n in names]
        if self.style is Style.SMS:
            return "Text " + ", ".join(words) + "."
        return " ".join(words)

    def time(self, iso_text: str | None) -> str:
        if not iso_text:
            return "?"
        return datetime.fromisoformat(iso_text).astimezone(self.zone).strftime("%H:%M")

    def day_time(self, iso_text: str | None, now_iso: str | None = None) -> str:
        if not iso_text:
            return "?"
        local = datetime.fromisoformat(iso_text).astimezone(self.zone)
        if now_iso and datetime.fromisoformat(now_iso).astimezone(self.zone).date() == local.date():
            return local.strftime("%H:%M")
        return local.strftime("%a %d %b %H:%M")


def _pending(d: dict[str, Any]) -> str:
    return " Sent to your manager for approval." if d.get("pending") else ""


def _clocked_in(s: _Say, d: dict[str, Any]) -> str:
    job = f" at {plain(d['job'], 30)}" if d.get("job") else ""
    return f"Clocked in {s.time(d.get('at'))}{job}.{_pending(d)} {s.act('break', 'out', 'expense', 'help')}"


def _clocked_out(s: _Say, d: dict[str, Any]) -> str:
    brk = f" Break {duration(d['break_minutes'])} ended." if d.get("break_minutes") is not None else ""
    return (
        f"Clocked out {s.time(d.get('at'))}. Shift {duration(d.get('shift_minutes'))} "
        f"since {s.time(d.get('shift_start'))}.{brk}{_pending(d)} {s.act('hours')}"
    )


def _break_started(s: _Say, d: dict[str, Any]) -> str:
    kind = "Meal break" if d.get("kind") == "meal" else "Rest break"
    return f"{kind} started {s.time(d.get('at'))}. On shift {duration(d.get('shift_minutes'))}. {s.act('back')}"


def _break_ended(s: _Say, d: dict[str, Any]) -> str:
    return (
        f"Break {duration(d.get('break_minutes'))}. On shift {duration(d.get('shift_minutes'))}. "
        f"{s.act('break', 'out')}"
    )


def _status(s: _Say, d: dict[str, Any]) -> str:
    now = d.get("now")
    if d.get("status") == "on_break":
        since, shift = s.day_time(d.get("break_start"), now), s.day_time(d.get("shift_start"), now)
        return f"On break since {since}, shift since {shift}. {s.act('back', 'out')}"
    if d.get("status") == "on_shift":
        job = f" ({plain(d['job'], 30)})" if d.get("job") else ""
        return f"On shift since {s.day_time(d.get('shift_start'), now)}{job}. {s.act('break', 'out')}"
    last = f" Last out {s.day_time(d.get('last_end'), now)}." if d.get("last_end") else ""
    return f"Clocked out.{last} {s.act('in', 'hours')}"


def _expense(s: _Say, d: dict[str, Any]) -> str:
    receipt = " Receipt attached." if d.get("receipt") else ""
    return f"Expense {d['amount']} {d['currency']} {plain(d['category'], 20)} on {d['spent_on']} logged.{receipt}"


def _expense_repeated(s: _Say, d: dict[str, Any]) -> str:
    category = plain(d["category"], 20)
    again = f"{_ACTIONS[s.style]['expense'].split()[0]} {d['amount']} {category} 2nd"
    return (
        f"Already logged: {d['amount']} {d['currency']} {category} on {d['spent_on']}. "
        f"Another one? Add a word, e.g. {again}"
    )


def _hours(s: _Say, d: dict[str, Any]) -> str:
    label = d.get("period") or f"{d['start']}..{d['end']}"
    label = {"week": "This week", "today": "Today", "yesterday": "Yesterday", "last week": "Last week"}.get(
        label, label
    )
    extra = " Includes an open shift." if d.get("open_shift") else ""
    pend = f" {d['pending']} pending correction(s)." if d.get("pending") else ""
    return (
        f"{label}: {duration(d.get('hours_worked_minutes'))} worked, {duration(d.get('on_task_minutes'))} on task, "
        f"OT {duration(d.get('overtime_minutes'))}, {d.get('days_worked', 0)} day(s).{extra}{pend}"
    )


def _team(s: _Say, d: dict[str, Any]) -> str:
    rows = d.get("workers") or []
    on = [r for r in rows if r["status"] == "on_shift"]
    brk = [r for r in rows if r["status"] == "on_break"]
    names = ", ".join(plain(r["name"], 16) for r in on[:4])
    stopped = sum(1 for r in rows if r.get("sms_opted_out"))
    return (
        f"On shift {len(on)}{': ' + names if names else ''}. On break {len(brk)}. "
        f"Off {len(rows) - len(on) - len(brk)}. Pending corrections {d.get('pending', 0)}."
        + (f" Texts off (STOP): {stopped}." if stopped else "")
    )


def _help(s: _Say, d: dict[str, Any]) -> str:
    if s.style is Style.SLACK:
        text = (
            "/clockin [job], /clockout, /break [meal|rest], /back, /status, /expense 12.50 fuel, "
            "/timesheet [today|week|last week]. Fix a punch: /clockout 17:30 forgot."
        )
        return text + (" Managers: /team, /report, /punch approve." if d.get("manager") else "")
    return (
        "Punchclock: IN <job>, OUT, BREAK, LUNCH, BACK, STATUS, HOURS, EXP 12.50 fuel. "
        "Fix a punch: OUT 17:30 forgot. Reply STOP to opt out. Msg&data rates may apply."
    )


def _which(s: _Say, d: dict[str, Any]) -> str:
    refs = " ".join(d.get("refs") or [])
    return f"Several corrections wait. Reply APPROVE <ref> or REJECT <ref>, refs: {refs}."


def _decided(s: _Say, d: dict[str, Any]) -> str:
    what = "Clock-in" if d.get("kind") == "clock_in" else "Punch"
    return f"{what} correction to {s.time(d.get('claimed_at'))} {d.get('decision')}."


def _fixed(text: str) -> Callable[[_Say, dict[str, Any]], str]:
    return lambda s, d: text


_RENDERERS: dict[str, Callable[[_Say, dict[str, Any]], str]] = {
    "clocked_in": _clocked_in,
    "clock_in_amended": lambda s, d: f"Clock-in changed to {s.time(d.get('at'))}.{_pending(d)}",
    "clocked_out": _clocked_out,
    "clock_out_amended": lambda s, d: (
        f"Clock-out changed to {s.time(d.get('at'))}, shift {duration(d.get('shift_minutes'))}.{_pending(d)}"
    ),
    "break_started": _break_started,
    "break_ended": _break_ended,
    "status": _status,
    "still_ack": lambda s, d: f"OK, still on shift since {s.time(d.get('shift_start'))}. {s.act('out')}",
    "expense_logged": _expense,
    "expense_repeated": _expense_repeated,
    "hours": _hours,
    "team": _team,
    "help": _help,
    "unknown": lambda s, d: (
        plain(d.get("problem") or "Sorry, I did not get that.", 120) + ("" if d.get("problem") else f" {s.act('help')}")
    ),
    "already_in": lambda s, d: (
        f"You are already clocked in since {s.time(d.get('shift_start'))}. {s.act('break', 'out')}"
    ),
    "not_in": lambda s, d: f"You are not clocked in. {s.act('in')}",
    "already_on_break": lambda s, d: f"You are on a break since {s.time(d.get('since'))}. {s.act('back')}",
    "not_on_break": lambda s, d: f"You are not on a break. {s.act('break', 'out')}",
    "time_before_last_shift": lambda s, d: (
        f"{s.time(d.get('at'))} is before your last clock-out at {s.time(d.get('last_end'))}. Nothing changed."
    ),
    "time_in_future": lambda s, d: f"{s.time(d.get('at'))} is later than now. Nothing changed.",
    "time_after_now": lambda s, d: f"{s.time(d.get('at'))} is too late for that punch. Nothing changed.",
    "time_before_start": lambda s, d: (
        f"{s.time(d.get('at'))} is before the start at {s.time(d.get('start'))}. Nothing changed."
    ),
    "bad_amount": lambda s, d: (
        f"Amount must be {d.get('problem', 'valid')}, e.g. {_ACTIONS[s.style]['expense']}. Nothing logged."
    ),
    "bad_expense_date": lambda s, d: f"Expenses can be dated from {d['first']} to {d['last']}. Nothing logged.",
    "amount_over_limit": lambda s, d: f"Amounts over {d['limit']} {d['currency']} need your manager. Nothing logged.",
    "managers_only": _fixed("Only managers can do that."),
    "nothing_pending": _fixed("No corrections are waiting."),
    "which_correction": _which,
    "own_correction": _fixed("Another manager must decide your own correction."),
    "correction_decided": _decided,
    "already_decided": _fixed("That correction was already decided."),
    "invited": lambda s, d: f"Invited {plain(d['name'], 30)} ({d['phone']}). Code {d['code']} sent, valid 48h.",
    "phone_taken": lambda s, d: f"{d['phone']} already belongs to a worker.",
    "phone_opted_out": lambda s, d: f"{d['phone']} replied STOP to our texts. They must text START first.",
    "bad_code": _fixed("That code is not valid for this number. Ask your manager for a new invite."),
    "code_expired": _fixed("That code has expired. Ask your manager for a new invite."),
    "joined": lambda s, d: f"Welcome {plain(d['name'], 30)}! You are set up. {s.act('in', 'help')}",
    "already_joined": _fixed("This number is already set up. Text HELP for commands."),
    "opted_out": _fixed("You will get no more texts from Punchclock. Reply START to opt back in."),
    "opted_in": _fixed("Texts are back on. Text HELP for commands."),
    "not_registered": _fixed(
        "This number is not registered with Punchclock. Ask your manager for an invite, then text JOIN <code>."
    ),
    "deactivated": _fixed("Your Punchclock access is switched off. Ask your manager."),
    "busy": _fixed("Sorry, that clashed with another change. Please try again."),
    "range_too_long": lambda s, d: f"Pick a range of at most {d['days']} days.",
    "date_out_of_range": lambda s, d: f"That date is out of range: pick dates from {d['first']} to {d['last']}.",
    "receipt_waiting": _fixed("Got your receipt. Reply EXP <amount> <category>, e.g. EXP 12.50 fuel."),
    # An error may strike after a write committed (its answer lost): never say nothing was saved.
    "error": lambda s, d: (
        "Sorry, something went wrong on our side and we cannot tell if that was saved. "
        + (
            "Text STATUS to check before you send it again."
            if s.style is Style.SMS
            else "Check /status before retrying."
        )
    ),
}


def render(outcome: Outcome, style: Style, zone: ZoneInfo) -> str:
    renderer = _RENDERERS.get(outcome.code)
    text = renderer(_Say(style, zone), outcome.data) if renderer else _RENDERERS["error"](_Say(style, zone), {})
    text = " ".join(text.split())
    if style is Style.SLACK:
        return ascii_text(text)[:SLACK_TEXT_LIMIT]  # the Slack door escapes it for mrkdwn
    return plain(text, 2 * 153 if outcome.code == "help" else SMS_SEGMENT)


def known_codes() -> list[str]:
    return sorted(_RENDERERS)
