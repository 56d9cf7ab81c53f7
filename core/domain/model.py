"""The Punchclock domain: organisations, workers, their state, punches and expenses.

Pure data. Nothing here talks to AWS, Slack or Twilio. Instants are aware
datetimes in UTC; time zones appear only when a local day or a reply needs one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.domain.durations import ROUNDING_CHOICES
from core.domain.meal_rules import RULE_SETS, MealRuleSet

DEFAULT_LANGUAGE = "en"  # what a worker reads until someone chooses (core/catalogue/ has the languages)

DEFAULT_EXPENSE_CATEGORIES: tuple[str, ...] = (
    "fuel",
    "mileage",
    "parts",
    "tools",
    "meals",
    "lodging",
    "parking",
    "tolls",
    "travel",
    "supplies",
    "phone",
    "other",
)


class Role(StrEnum):
    WORKER = "worker"
    MANAGER = "manager"


class OvertimePolicy(StrEnum):
    FLSA = "flsa"  # 1.5x over 40 h in the fixed workweek
    CALIFORNIA = "california"  # daily 8/12, 7th day, plus weekly 40


class Status(StrEnum):
    OFF = "off"
    ON_SHIFT = "on_shift"
    ON_BREAK = "on_break"


class BreakKind(StrEnum):
    MEAL = "meal"  # unpaid when bona fide (long enough)
    REST = "rest"  # paid work time


class Channel(StrEnum):
    SLACK = "slack"
    SMS = "sms"
    CLI = "cli"
    IMPORT = "import"
    SYSTEM = "system"


class PunchKind(StrEnum):
    CLOCK_IN = "clock_in"
    CLOCK_OUT = "clock_out"
    BREAK_START = "break_start"
    BREAK_END = "break_end"


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ExpenseStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for a manager
    APPROVED = "approved"  # by a manager, or by the org's policy (at most the approval threshold)
    REJECTED = "rejected"


class PayPeriod(StrEnum):
    """How an org pays: its periods are what a manager locks once payroll has them."""

    WEEKLY = "weekly"  # the workweek
    BIWEEKLY = "biweekly"  # two workweeks, counted from the org's anchor
    SEMIMONTHLY = "semimonthly"  # the 1st to the 15th, the 16th to the month's end


@dataclass(frozen=True)
class BreakPolicy:
    """How breaks are paid, and which meal rules apply: an org setting apart from overtime."""

    meal_unpaid: bool = True  # a bona fide meal is not hours worked (29 CFR 785.19)
    rest_paid: bool = True  # rest breaks are hours worked (29 CFR 785.18)
    default_kind: BreakKind = BreakKind.REST
    # A meal break shorter than this is not bona fide: flagged short_meal where meal rules apply.
    min_meal_minutes: int = 30
    # Whether a short meal's minutes are paid. Paid by default: 785.19 makes a meal unpaid only
    # when it is bona fide, "ordinarily 30 minutes or more", and a shorter break is a paid rest
    # break under 785.18; California treats a short meal as on duty.
    short_meal_paid: bool = True
    # A name in meal_rules.RULE_SETS; None: "california" under the california overtime policy,
    # "none" otherwise.
    meal_rules: str | None = None
    first_meal_waiver: bool = True  # California: a period of at most 6 h may skip its meal
    second_meal_waiver: bool = False  # ... of at most 12 h its second, when the first was taken


@dataclass(frozen=True)
class ReminderPolicy:
    """When a worker hears from Punchclock unasked (see core/domain/reminders.py)."""

    forgot_clock_out_minutes: int = 9 * 60  # "Still clocked in?" this long after clock-in (or after STILL)
    max_shift_minutes: int = 14 * 60  # then, unanswered: closed as a pending automatic clock-out
    long_break_minutes: int = 45  # a meal break this long gets one reminder
    long_rest_minutes: int = 15  # a rest break this long gets one reminder
    meal_due_warning_minutes: int = 15  # how long before a meal is due (meal rules) the worker hears


@dataclass(frozen=True)
class Org:
    org_id: str
    name: str
    timezone: str = "America/New_York"
    workday_start: time = time(0, 0)
    workweek_start: int = 0  # Monday=0 ... Sunday=6, as datetime.weekday()
    overtime_policy: OvertimePolicy = OvertimePolicy.FLSA
    break_policy: BreakPolicy = field(default_factory=BreakPolicy)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    daily_summary_time: time = time(18, 0)  # local; the day's summary email goes then
    weekly_report_time: time = time(8, 0)  # local, on the first day of the workweek: last week's timesheet
    manager_emails: tuple[str, ...] = ()
    currency: str = "USD"
    expense_categories: tuple[str, ...] = DEFAULT_EXPENSE_CATEGORIES
    expense_limit: Decimal = Decimal("10000")  # the largest single expense: the one number replies quote
    # Monthly budgets per expense category, in `currency` (core/domain/budgets.py): sorted
    # (category, amount) pairs, a category at most once; none by default.
    budgets: tuple[tuple[str, Decimal], ...] = ()
    slack_team_id: str | None = None
    auto_enroll_slack: bool = False
    # Timesheets and reports count each clock-in and clock-out at the nearest this many minutes of
    # the local clock (0: as punched; 1, 5, 6 or 15): core/domain/durations.py, 29 CFR 785.48(b).
    rounding_minutes: int = 0
    version: int = 0
    # Issue 12: pay periods, expense approval and the org's own category synonyms.
    pay_period: PayPeriod = PayPeriod.WEEKLY
    pay_period_anchor: date | None = None  # biweekly: the first day of any one period (None: see core/periods.py)
    expense_approval_above: Decimal = Decimal("0")  # expenses above this amount wait for a manager (0: all)
    expense_synonyms: tuple[tuple[str, str], ...] = ()  # (word, category): the org's own, beside the defaults

    def __post_init__(self) -> None:
        if self.rounding_minutes not in ROUNDING_CHOICES:
            raise ValueError(f"rounding_minutes must be one of {ROUNDING_CHOICES}")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def budget_for(self, category: str) -> Decimal | None:
        """The monthly budget of an expense category (as the org names it), or None."""
        return dict(self.budgets).get(category)

    @property
    def meal_rule_set(self) -> MealRuleSet:
        """The meal rules in force: the org's choice, else the default for its overtime policy."""
        name = self.break_policy.meal_rules
        if name is None:
            name = "california" if self.overtime_policy is OvertimePolicy.CALIFORNIA else "none"
        return RULE_SETS[name]


@dataclass(frozen=True)
class ShiftInfo:
    """What the state machine remembers of a shift: enough to reply and to validate corrections."""

    shift_id: str
    started_at: datetime
    in_event_id: str
    job: str | None = None
    ended_at: datetime | None = None
    out_event_id: str | None = None
    # Reminders (core/domain/reminders.py): when to ask "still clocked in?" (None: the clock-in plus
    # the org's threshold), when it was asked and not yet answered, the meal taken or reminded of.
    ask_at: datetime | None = None
    asked_at: datetime | None = None
    meal_taken: bool = False
    meal_reminded: bool = False


@dataclass(frozen=True)
class BreakInfo:
    started_at: datetime
    kind: BreakKind
    event_id: str
    reminded: bool = False  # the long-break reminder went


@dataclass(frozen=True)
class WorkerState:
    status: Status = Status.OFF
    shift: ShiftInfo | None = None  # the open shift, or None when off
    on_break: BreakInfo | None = None
    last_shift: ShiftInfo | None = None  # the most recent closed shift, for `out 17:30` when already off
    since: datetime | None = None  # when the current status began


@dataclass(frozen=True)
class Worker:
    worker_id: str
    org_id: str
    name: str
    role: Role = Role.WORKER
    timezone: str | None = None  # None: the org's
    phone: str | None = None  # E.164
    slack_team_id: str | None = None
    slack_user_id: str | None = None
    email: str | None = None
    sms_opted_out: bool = False
    active: bool = True
    state: WorkerState = field(default_factory=WorkerState)
    # The language the worker reads (a catalogue code: "en", "es"). None: never chosen, so
    # English, and the first Spanish keyword they send switches it (core/services/language.py).
    language: str | None = None
    version: int = 0  # bumped by every write of the worker item; guards every transition

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER

    def zone(self, org: Org) -> ZoneInfo:
        return ZoneInfo(self.timezone or org.timezone)

    @property
    def speaks(self) -> str:
        """The language of everything said to this worker."""
        return self.language or DEFAULT_LANGUAGE

    def with_state(self, state: WorkerState) -> Worker:
        return replace(self, state=state)


@dataclass(frozen=True)
class Correction:
    """A punch the worker dated explicitly in the past, awaiting a manager's decision.

    While pending or once approved the punch counts at its claimed time (`Punch.at`);
    once rejected it counts at the moment it was recorded (or, when it amends an
    earlier punch, the original stands).
    """

    reason: str
    amends: str | None = None  # event id of the punch this one replaces
    # event id of the correction whose decision this one shares (a break ended by a corrected
    # clock-out, the end of a forgotten break or shift): it is never asked about on its own
    follows: str | None = None
    # Something never punched, told after the fact (a forgotten break, a forgotten shift): once
    # rejected it never happened, rather than happening when it was told.
    adds: bool = False


@dataclass(frozen=True)
class Punch:
    """An immutable event: one clock in/out or break start/end."""

    event_id: str
    worker_id: str
    org_id: str
    kind: PunchKind
    at: datetime  # the instant the punch claims (UTC)
    recorded_at: datetime  # when we received it (UTC)
    channel: Channel
    actor_id: str  # who made it: the worker, or a manager/admin on their behalf
    shift_id: str
    job: str | None = None
    note: str | None = None
    break_kind: BreakKind | None = None
    correction: Correction | None = None
    sent_at: datetime | None = None  # provider's send time, kept when it differs from receipt


@dataclass(frozen=True)
class CorrectionDecision:
    """An immutable event: a manager approved or rejected a pending correction."""

    event_id: str
    worker_id: str
    org_id: str
    target_event_id: str
    decision: Decision
    decided_by: str
    decided_at: datetime
    channel: Channel
    note: str | None = None


@dataclass(frozen=True)
class PendingCorrection:
    """The org-level marker that a correction waits for a manager (deleted by the decision)."""

    org_id: str
    worker_id: str
    event_id: str
    kind: PunchKind
    claimed_at: datetime
    recorded_at: datetime
    reason: str
    channel: Channel | None = None  # where the worker asked: they hear the decision there
    was: datetime | None = None  # the time the punch had before (an amended punch), when there was one
    until: datetime | None = None  # the end of a forgotten break or shift told with it

    @property
    def item_id(self) -> str:
        return self.event_id


@dataclass(frozen=True)
class PendingExpense:
    """The org-level marker that an expense waits for a manager (deleted by the decision)."""

    org_id: str
    worker_id: str
    expense_id: str
    spent_on: date
    amount: Decimal
    currency: str
    category: str
    recorded_at: datetime
    note: str | None = None
    channel: Channel | None = None

    @property
    def item_id(self) -> str:
        return self.expense_id


PendingItem = PendingCorrection | PendingExpense


@dataclass(frozen=True)
class ExpenseDecision:
    """An immutable event: a manager approved or rejected an expense that waited for one."""

    event_id: str
    worker_id: str
    org_id: str
    expense_id: str
    spent_on: date
    decision: Decision
    decided_by: str
    decided_at: datetime
    channel: Channel
    note: str | None = None


@dataclass(frozen=True)
class PeriodLock:
    """A pay period a manager closed: it takes no more corrections. Never undone by the product."""

    org_id: str
    start: date
    end: date  # inclusive
    locked_by: str
    locked_at: datetime


@dataclass(frozen=True)
class Expense:
    expense_id: str
    worker_id: str
    org_id: str
    amount: Decimal
    currency: str
    category: str
    spent_on: date  # the worker's local date
    recorded_at: datetime
    channel: Channel
    note: str | None = None
    receipt_key: str | None = None  # S3 key in the receipts bucket
    # As read with its decisions: submitted while it waits for a manager; an expense that needed
    # no approval (at most the org's threshold) is approved as logged.
    status: ExpenseStatus = ExpenseStatus.APPROVED
    needs_approval: bool = False  # above the org's approval threshold when logged
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
