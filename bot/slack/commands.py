"""Slash commands: read through the shared grammar, run one core call, answer ephemerally.

`/clockin north-site` reads as `in north-site`, `/expense 12.50 fuel` as `exp 12.50 fuel`, and
`/punch <anything>` as the SMS text itself, so every form the grammar knows works in Slack too.

Double submissions. Slack gives a slash command no id and never retries one, but people retype
a command whose reply was slow. The delivery id is a hash of team, user, command, the text
(whitespace and case folded) and the 60-second window of X-Slack-Request-Timestamp (signed, so
it cannot be forged or replayed later than 5 minutes). The same words in the same window are
one submission: the core commits it once and answers the repeat with the stored outcome.
Commands whose repeat the state machine would not refuse on its own (`/break` toggles,
`/expense`, explicit-time corrections) also look up the previous window's id (one read), so a
repeat 1 to 60 seconds later is caught even across a window boundary. An expense typed again
within ten minutes (after an answer that was lost, or said something went wrong) is the same
expense, as by text: the reply says it was logged already and how to log a second one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core import commands as c
from core.domain.model import Channel, Org, Worker
from core.domain.transitions import Origin
from core.grammar import language_of, parse
from core.periods import workday_of
from core.ports import Outcome
from core.services import expenses
from core.services.dispatch import handle
from core.services.ports import Ports

DOUBLE_SUBMIT_WINDOW_SECONDS = 60

# The keyword each command stands for in the shared grammar.
KEYWORDS = {"/clockin": "in", "/clockout": "out", "/break": "break", "/expense": "exp", "/timesheet": "hours"}
EXPECTED: dict[str, tuple[type, ...]] = {
    "/clockin": (c.ClockIn,),
    "/clockout": (c.ClockOut,),
    "/break": (c.StartBreak, c.AddBreak),  # `/break mon 12:00-12:30 forgot`: a break told after the fact
    "/expense": (c.LogExpense, c.ExpenseCategories),  # `/expense ?`: the categories
    "/timesheet": (c.Hours,),
}
CHANGING = ("/clockin", "/clockout", "/break", "/back", "/expense", "/punch")
READING = ("/status", "/timesheet", "/team", "/report")
ALL = CHANGING + READING

_CHANGES = (
    c.ClockIn,
    c.ClockOut,
    c.StartBreak,
    c.EndBreak,
    c.ToggleBreak,
    c.AddBreak,
    c.AddShift,
    c.LogExpense,
    c.Decide,
    c.LockPeriod,
    c.OptOut,
    c.OptIn,
    c.Invite,
    c.SetBudget,
    c.SetLanguage,
)


def read(command: str, text: str) -> c.Command:
    """The core command a slash command stands for."""
    text = " ".join(text.split())
    if command == "/punch":
        return parse(text) if text else c.Help()
    if command == "/back":
        return c.EndBreak()
    if command == "/status":
        return c.Status()
    if command == "/team":
        return c.Team()
    cmd = parse(f"{KEYWORDS[command]} {text}")
    if command == "/break" and isinstance(cmd, c.StartBreak):
        return c.ToggleBreak(kind=cmd.kind)  # a second /break ends the break
    if isinstance(cmd, (*EXPECTED[command], c.Unknown)):
        return cmd
    return c.Unknown(text, "command_words")  # words that mean another command


def changes_something(cmd: c.Command) -> bool:
    return isinstance(cmd, _CHANGES)


def _repeat_not_refused(cmd: c.Command) -> bool:
    """Commands a retype would apply twice: the state machine does not refuse the second."""
    if isinstance(cmd, c.ToggleBreak | c.LogExpense | c.AddBreak | c.AddShift):
        return True
    return isinstance(cmd, c.ClockIn | c.ClockOut) and cmd.at is not None


@dataclass(frozen=True)
class Submission:
    """One typed slash command, with the signed request timestamp Slack sent it under."""

    team_id: str
    user_id: str
    command: str
    text: str
    timestamp: int

    @classmethod
    def of(cls, body: dict[str, Any], headers: dict[str, Any]) -> Submission:
        stamp = headers.get("x-slack-request-timestamp") or ["0"]
        return cls(
            team_id=body.get("team_id", ""),
            user_id=body.get("user_id", ""),
            command=body.get("command", ""),
            text=body.get("text") or "",
            timestamp=int(stamp[0] if isinstance(stamp, list) else stamp),
        )

    def delivery_id(self, windows_back: int = 0) -> str:
        window = self.timestamp // DOUBLE_SUBMIT_WINDOW_SECONDS - windows_back
        words = " ".join(self.text.casefold().split())
        raw = "\x1f".join((self.team_id, self.user_id, self.command, words, str(window)))
        return "cmd-" + hashlib.sha256(raw.encode()).hexdigest()[:32]

    def origin(self, *, covering_next: bool = False) -> Origin:
        """Its delivery id; `covering_next`: its answer is kept under the next window's id too."""
        sent = datetime.fromtimestamp(self.timestamp, UTC) if self.timestamp else None
        following = self.delivery_id(windows_back=-1) if covering_next else None
        return Origin(Channel.SLACK, self.delivery_id(), sent, guessed_id=True, next_delivery_id=following)


def spoken(command: str, text: str) -> str | None:
    """The language of what the user typed, as far as its keyword tells: only `/punch` takes
    keywords (`/punch entrada`); the other commands' names are the same in every language."""
    return language_of(text) if command == "/punch" else None


def run(cmd: c.Command, worker: Worker, org: Org, submission: Submission, ports: Ports) -> Outcome:
    """One core call. A command the state machine would apply twice keeps its answer under the next
    window's id too: its retype across the windows' edge is a duplicate in its own write (no read)."""
    origin = submission.origin(covering_next=_repeat_not_refused(cmd))
    if isinstance(cmd, c.LogExpense):  # typed again minutes later (its answer lost): the same expense
        window = expenses.REPEAT_WINDOW
        return expenses.log_expense(cmd, worker, org, origin, ports, repeat_window=window)
    return handle(cmd, worker, org, origin, ports)


def report_day(text: str, org: Org, ports: Ports) -> date | None:
    """`/report`, `/report yesterday`, `/report 2026-11-16` -> the day (in the org's zone); None if unreadable."""
    today = workday_of(org, org.tz, ports.clock.now())
    words = " ".join(text.split())
    if not words:
        return today
    cmd = parse(f"hours {words}")
    if not isinstance(cmd, c.Hours):
        return None
    if cmd.start is not None and cmd.start == cmd.end:
        return cmd.start
    if cmd.start is None and cmd.period is c.Period.TODAY:
        return today
    if cmd.start is None and cmd.period is c.Period.YESTERDAY:
        return today - timedelta(days=1)
    return None
