"""What a user can ask for, whatever the channel. The grammar produces these; services consume them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from enum import StrEnum

from core.domain.model import BreakKind


@dataclass(frozen=True)
class OnDay:
    """A day as people write it (`yesterday`, `mon`, `11/29`, `29 nov`, `2026-11-29`), read
    against the worker's local today by the service: the latest such day, today included."""

    days_ago: int | None = None  # today 0, yesterday 1
    weekday: int | None = None  # Monday 0 .. Sunday 6
    month: int | None = None
    day: int | None = None
    year: int | None = None  # with month and day: that very date

    def resolve(self, today: date, nearest: bool = False) -> date | None:
        """The date meant, never after `today` (or, `nearest`, the one closest to today: `lock
        11/22` means this month's, not last year's); None for a date that does not exist (Feb 30)."""
        if self.days_ago is not None:
            return today - timedelta(days=self.days_ago)
        if self.weekday is not None:
            return today - timedelta(days=(today.weekday() - self.weekday) % 7)
        if self.month is None or self.day is None:
            return None
        years = (self.year,) if self.year is not None else range(today.year + 1, today.year - 8, -1)
        found = []
        for year in years:
            try:
                found.append(date(year, self.month, self.day))
            except ValueError:
                continue
        if self.year is not None or nearest:
            return min(found, key=lambda day: abs(day - today), default=None)
        return max((day for day in found if day <= today), default=None)


@dataclass(frozen=True)
class ClockIn:
    job: str | None = None
    note: str | None = None
    at: time | None = None  # an explicit local time makes this a correction
    reason: str | None = None
    on: OnDay | None = None  # the day of `at` (a correction of another day's shift)


@dataclass(frozen=True)
class ClockOut:
    note: str | None = None
    at: time | None = None
    reason: str | None = None
    on: OnDay | None = None


@dataclass(frozen=True)
class AddBreak:
    """A break the worker forgot to punch: `BREAK mon 12:00-12:30 forgot`."""

    start: time
    end: time
    reason: str
    kind: BreakKind | None = None  # None: the org's default
    on: OnDay | None = None  # None: the latest day it fits before now


@dataclass(frozen=True)
class AddShift:
    """A whole shift the worker forgot to punch: `SHIFT mon 8:00-16:30 forgot`."""

    start: time
    end: time  # before `start`: the next day (a night shift)
    reason: str
    on: OnDay | None = None


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
    # The amount as typed, when its separators may mean another amount in the currency's own
    # writing (`1.250` is 1250 in euros): the service reads it again with the currency.
    typed: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ExpenseCategories:
    """`EXP ?`: the org's expense categories."""


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
    """A manager's decision: `approve`, `approve 2`, `reject 2 too late`, `approve all`, `approve all 3`.

    `number` is what the manager was shown (core/domain/pending.py); `item_id` names the item
    itself (a Slack button carries it). `every` asks to approve everything shown; `count`
    confirms how many the manager was offered."""

    approve: bool
    number: int | None = None
    note: str | None = None
    every: bool = False
    count: int | None = None
    item_id: str | None = None


@dataclass(frozen=True)
class Pending:
    """`PENDING`: what waits for this manager, one item a text; `PENDING 4` from item 4 on."""

    number: int | None = None


@dataclass(frozen=True)
class LockPeriod:
    """`LOCK`: the last pay period that ended takes no more corrections (`LOCK 11/15`: the one holding that day)."""

    on: OnDay | None = None


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
class SetLanguage:
    """The worker chooses what they read: `ESPANOL`, `ENGLISH`, `/punch idioma es`."""

    language: str  # a catalogue language code


@dataclass(frozen=True)
class Unknown:
    """Text the grammar could not read. `problem` says why, as a code of the message catalogue
    (core/catalogue/en.py, PROBLEMS), which words it for the person's channel and language."""

    text: str
    problem: str


Command = (
    SetLanguage
    | ClockIn
    | ClockOut
    | AddBreak
    | AddShift
    | ExpenseCategories
    | Pending
    | LockPeriod
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
