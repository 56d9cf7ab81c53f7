"""What a user can ask for, whatever the channel. The grammar produces these; services consume them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

from core.domain.model import BreakKind


@dataclass(frozen=True)
class ClockIn:
    job: str | None = None
    note: str | None = None
    at: time | None = None  # an explicit local time makes this a correction
    reason: str | None = None


@dataclass(frozen=True)
class ClockOut:
    note: str | None = None
    at: time | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StartBreak:
    kind: BreakKind | None = None  # None: the org's default


@dataclass(frozen=True)
class EndBreak:
    pass


@dataclass(frozen=True)
class ToggleBreak:
    """Slack's `/break` a second time ends the break."""

    kind: BreakKind | None = None


@dataclass(frozen=True)
class Status:
    pass


@dataclass(frozen=True)
class LogExpense:
    amount: Decimal
    category: str  # the word the user typed; matched against the org's list by the service
    currency: str | None = None  # None: the org's default
    note: str | None = None
    spent_on: date | None = None  # None: the worker's local today


class Period(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    WEEK = "week"
    LAST_WEEK = "last week"


@dataclass(frozen=True)
class Hours:
    period: Period = Period.WEEK
    start: date | None = None  # an explicit range wins over period
    end: date | None = None


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Join:
    code: str


@dataclass(frozen=True)
class OptOut:
    keyword: str


@dataclass(frozen=True)
class OptIn:
    keyword: str


@dataclass(frozen=True)
class Still:
    """The answer to a forgot-to-clock-out reminder: yes, still working."""


@dataclass(frozen=True)
class Decide:
    """A manager's reply to a pending correction: `approve`, `reject 2`."""

    approve: bool
    ref: str | None = None


@dataclass(frozen=True)
class Invite:
    """A manager invites a phone number: `invite +15551234567 Ana Lopez`."""

    phone: str
    name: str


@dataclass(frozen=True)
class Team:
    pass


@dataclass(frozen=True)
class SetBudget:
    """A manager sets a category's monthly budget: `budget fuel 500`; `budget fuel off` removes it."""

    category: str  # the word the user typed; matched against the org's list by the service
    amount: Decimal | None  # None: no budget for the category any more
    currency: str | None = None  # as typed, if at all: budgets are in the org's currency


@dataclass(frozen=True)
class Budgets:
    """A manager asks for this month's budgets and what is spent of them: `budgets`."""


@dataclass(frozen=True)
class Unknown:
    """Text the grammar could not read. `problem` says why, as a code of the message catalogue
    (core/catalogue/en.py, PROBLEMS), which words it for the person's channel and language."""

    text: str
    problem: str


Command = (
    ClockIn
    | ClockOut
    | StartBreak
    | EndBreak
    | ToggleBreak
    | Status
    | LogExpense
    | Hours
    | Help
    | Join
    | OptOut
    | OptIn
    | Still
    | Decide
    | Invite
    | Team
    | SetBudget
    | Budgets
    | Unknown
)
