"""Ports: what the services need from the outside world, as interfaces.

One Store interface, one set of rules (core/store/item_store.py) over two tables: DynamoDB
(core/store/dynamodb.py) and memory (core/store/memory.py). One contract suite
(tests/contract) runs against both, so a test against one says something true about the other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from core.domain.model import (
    CorrectionDecision,
    Expense,
    ExpenseDecision,
    Org,
    PendingCorrection,
    PendingExpense,
    PendingItem,
    PeriodLock,
    Punch,
    Worker,
)
from core.domain.pending import ManagerView
from core.domain.schedule import JobRun


@dataclass(frozen=True)
class Outcome:
    """What a service did, as data: the doors render it (core/replies.py) for their channel.

    `data` holds only JSON-friendly values (str, int, bool, None) so that the
    outcome can be stored with a delivery id and replayed byte for byte.
    """

    code: str
    data: dict[str, Any] = field(default_factory=dict)
    ok: bool = True
    worker_version: int | None = None  # the worker's version this change left behind (transitions only)
    language: str | None = None  # the language to say it in, when the service chose it (`ESPANOL`)

    def to_json(self) -> dict[str, Any]:
        raw = {"code": self.code, "data": self.data, "ok": self.ok, "worker_version": self.worker_version}
        return {**raw, "language": self.language} if self.language else raw

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Outcome:
        return cls(
            code=raw["code"],
            data=dict(raw.get("data") or {}),
            ok=bool(raw.get("ok", True)),
            worker_version=raw.get("worker_version"),
            language=raw.get("language"),
        )


class NoticeKind(StrEnum):
    STATE_CHANGED = "state_changed"  # the worker's Slack Home tab shows the new state
    EXPENSE_LOGGED = "expense_logged"  # ... and this week's expenses
    CORRECTION_REQUESTED = "correction_requested"  # managers are asked to decide
    CORRECTION_DECIDED = "correction_decided"  # the worker hears what was decided
    SEND_INVITE = "send_invite"  # the invited phone gets its JOIN code
    REPORT_EMAIL = "report_email"  # a manager asked for the day's report by email
    REMINDER = "reminder"  # the worker hears unasked: still clocked in? a long break, a meal due
    EXPENSE_SUBMITTED = "expense_submitted"  # managers are asked to approve an expense
    EXPENSE_DECIDED = "expense_decided"  # the worker hears what was decided
    BUDGET_ALERT = "budget_alert"  # managers hear a category's month reached 80% or 100% of its budget
    SLACK_ENROLLED = "slack_enrolled"  # a Slack user just enrolled: read their Slack locale for their language


@dataclass(frozen=True)
class Notice:
    """Something other people should hear about a change: recorded in the same write as the change
    (a transactional outbox), delivered after the reply by the notify function, sent once.

    `channel` is where the worker acted: who asked by text hears back by text.
    """

    kind: NoticeKind
    org_id: str
    worker_id: str
    data: dict[str, Any] = field(default_factory=dict)
    notice_id: str = ""
    channel: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "org_id": self.org_id,
            "worker_id": self.worker_id,
            "data": self.data,
            "notice_id": self.notice_id,
            "channel": self.channel,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Notice:
        return cls(
            kind=NoticeKind(raw["kind"]),
            org_id=raw["org_id"],
            worker_id=raw["worker_id"],
            data=dict(raw.get("data") or {}),
            notice_id=raw.get("notice_id") or "",
            channel=raw.get("channel"),
        )


@dataclass(frozen=True)
class Change:
    """Everything one user action writes, committed all-or-nothing.

    `worker` is the worker as it must be after the change; the write succeeds
    only if the stored worker still has `expected_version` (optimistic lock:
    the state machine's transitions are conditional writes, never read-then-write).
    """

    org_id: str
    worker: Worker | None = None
    expected_version: int | None = None
    punches: tuple[Punch, ...] = ()
    opened: tuple[PendingCorrection, ...] = ()
    decision: CorrectionDecision | None = None
    closed: PendingCorrection | None = None
    expense: Expense | None = None
    invite: Invite | None = None
    notices: tuple[Notice, ...] = ()  # the outbox: written in the same transaction as the rest
    # A change that does not write the worker, made by one (an expense): it commits only while
    # that worker is stored active, a condition in the same transaction (StaleWorker otherwise).
    by_active_worker: str | None = None
    unless_repeat: RepeatGuard | None = None
    # The answer stored with the delivery is stored under this key too (a guessed id's next window,
    # core/domain/transitions.py Origin); found there already, the change is a DuplicateDelivery.
    also_answers: str | None = None
    # When the worker's next reminder is due after this change (core/domain/reminders.py);
    # None leaves the stored one as it is.
    reminder: ReminderSlot | None = None
    # Issue 12. An expense that waits for a manager, and a manager's decision on one (it closes
    # the marker: a second decision finds it gone, Conflict).
    opened_expense: PendingExpense | None = None
    expense_decision: ExpenseDecision | None = None
    closed_expense: PendingExpense | None = None
    # The org's pay periods (by first day) this change corrects: it commits only while none of
    # them is locked (PeriodLocked otherwise), a condition in the same transaction.
    unlocked_periods: tuple[date, ...] = ()


@dataclass(frozen=True)
class ReminderSlot:
    """The one item per worker the reminder sweep reads: when their next reminder is due.

    `due_at` None: nothing is (the worker is off); the item is deleted.
    """

    worker_id: str
    due_at: datetime | None


@dataclass(frozen=True)
class RepeatGuard:
    """Makes a change a no-op repeat of an equal one committed shortly before (RepeatedChange).

    `key` names what makes two changes equal (an expense's worker, amount, category, note, day);
    it is claimed in the change's own transaction until `until`, with the `outcome` it answered.
    """

    key: str
    now: datetime
    until: datetime
    outcome: Outcome


@dataclass(frozen=True)
class Invite:
    code: str
    org_id: str
    phone: str
    name: str
    invited_by: str
    expires_at: datetime
    worker_id: str | None = None  # an existing worker gaining a phone


@dataclass(frozen=True)
class HeldReceipt:
    """A photo that came without an expense, kept for the worker's next one (the newest wins)."""

    key: str  # where it is in the receipts bucket
    sid: str  # the message it came with
    caption: str | None = None  # words sent with it: the expense's note


@dataclass(frozen=True)
class UploadLink:
    """A one-time link to add a receipt to an expense (texts that cannot carry a photo)."""

    token: str
    org_id: str
    worker_id: str
    expense_id: str
    spent_on: date
    amount: str
    currency: str
    category: str


@dataclass(frozen=True)
class ApprovalMessage:
    """Where one manager's Slack DM about one pending item was posted (to update it once decided)."""

    item_id: str
    manager_id: str
    channel: str
    ts: str
    number: int | None = None  # the item's number in that manager's view, as the DM showed it


@dataclass(frozen=True)
class WorkerEvents:
    punches: list[Punch]
    decisions: list[CorrectionDecision]


class SendSlot(StrEnum):
    """What `begin_send` found for one message of a notice."""

    CLAIMED = "claimed"  # ours to send now
    SENT = "sent"  # it went already: never again
    BUSY = "busy"  # another delivery holds it and its lease runs: try again later


class StaleWorker(Exception):
    """The worker changed since it was read; `current` is how it is now."""

    def __init__(self, current: Worker | None) -> None:
        super().__init__("worker changed since it was read")
        self.current = current


class DuplicateDelivery(Exception):
    """This delivery id was already handled; `outcome` is what we answered then."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("delivery already handled")
        self.outcome = outcome


class RepeatedChange(Exception):
    """An equal change was committed moments ago (see RepeatGuard); `outcome` is what it answered."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("an equal change was just committed")
        self.outcome = outcome


class Conflict(Exception):
    """A uniqueness or existence condition failed (phone taken, correction already decided, ...)."""


class PeriodLocked(Exception):
    """A change corrects a pay period a manager has locked; `lock` is that lock."""

    def __init__(self, lock: PeriodLock | None) -> None:
        super().__init__("the pay period is locked")
        self.lock = lock


class NotWritten(Exception):
    """The store wrote nothing, and no condition failed: it was busy (throttled, or another write to
    the same item at that instant that did not clear). Nothing was refused; the same request may
    simply be tried again. Not a Conflict: answering it as one would make up a refusal."""


class Store(Protocol):
    # organisations
    def get_org(self, org_id: str, *, fresh: bool = False) -> Org | None: ...
    def save_org(self, org: Org, now: datetime | None = None) -> Org: ...
    def save_budgets(self, org: Org) -> Org: ...
    def find_org_by_slack_team(self, team_id: str) -> Org | None: ...
    def list_orgs(self) -> list[Org]: ...

    # workers
    def get_worker(self, worker_id: str, *, fresh: bool = False) -> Worker | None: ...
    def worker_and_waiting(self, worker_id: str) -> tuple[Worker | None, int]:
        """The worker as stored now, and how many of their items wait for a manager (one read)."""
        ...

    def find_worker_by_slack(self, team_id: str, user_id: str) -> Worker | None: ...
    def find_worker_by_phone(self, phone: str) -> Worker | None: ...
    def list_workers(self, org_id: str) -> list[Worker]: ...
    def add_worker(self, worker: Worker, notices: Sequence[Notice] = ()) -> Worker: ...
    def update_worker(self, worker: Worker, expected_version: int, notices: Sequence[Notice] = ()) -> Worker: ...

    # the state machine and its events
    def commit(self, change: Change, delivery: tuple[str, Outcome] | None = None) -> Worker | None: ...
    def get_delivery(self, key: str) -> Outcome | None: ...
    def worker_events(self, worker_id: str, start: datetime, end: datetime) -> WorkerEvents: ...
    def org_events(self, org_id: str, start: datetime, end: datetime) -> WorkerEvents: ...
    def open_workers(self, org_id: str) -> list[Worker]: ...
    def due_reminders(self, now: datetime) -> Iterator[ReminderSlot]: ...
    def reschedule_reminder(self, seen: ReminderSlot, due_at: datetime | None) -> bool: ...

    # scheduled jobs (daily summary, weekly timesheet), per org
    def org_jobs(self, org_id: str) -> list[JobRun]: ...
    def due_jobs(self, now: datetime) -> Iterator[JobRun]: ...
    def run_job(self, run: JobRun, following: JobRun, notices: Sequence[Notice]) -> bool: ...
    def pending_corrections(self, org_id: str) -> list[PendingCorrection]: ...
    def pending_items(self, org_id: str) -> list[PendingItem]: ...

    # pay periods a manager locked
    def lock_period(self, lock: PeriodLock) -> PeriodLock | None: ...
    def period_lock(self, org_id: str, start: date) -> PeriodLock | None: ...
    def period_locks(self, org_id: str) -> list[PeriodLock]: ...

    # what each manager was shown as waiting, and where their Slack DMs about it are
    def manager_view(self, manager_id: str) -> ManagerView | None: ...
    def save_manager_view(self, view: ManagerView, until: datetime) -> bool: ...
    def remember_approval_message(self, message: ApprovalMessage, until: datetime) -> None: ...
    def approval_messages(self, item_id: str) -> list[ApprovalMessage]: ...

    # expenses
    def worker_expenses(self, worker_id: str, start: date, end: date) -> list[Expense]: ...
    def org_expenses(self, org_id: str, start: date, end: date) -> list[Expense]: ...
    def attach_receipt(self, expense: Expense, receipt_key: str) -> Expense: ...

    # enrollment
    def get_invite(self, code: str) -> Invite | None: ...
    def redeem_invite(
        self, invite: Invite, worker: Worker, existing: Worker | None, delivery: tuple[str, Outcome] | None = None
    ) -> Worker: ...
    def invites_for_phone(self, phone: str) -> list[Invite]: ...
    def count_wrong_code(self, invite: Invite) -> int | None: ...
    def void_invite(self, invite: Invite) -> None: ...

    # sending each notice once, per recipient and channel
    def begin_send(self, key: str, now: datetime, lease: timedelta) -> SendSlot: ...
    def finish_send(self, key: str, now: datetime) -> None: ...
    def abandon_send(self, key: str) -> None: ...

    # short-lived records (TTL): what makes a follow-up run once, rate limits, held photos, upload links
    def claim_once(self, flag: str, now: datetime, until: datetime) -> bool: ...
    def release_once(self, flag: str) -> None: ...
    def claim_rate_limit(self, name: str, holder: str, now: datetime, until: datetime) -> bool: ...
    def rate_limit_holder(self, name: str, now: datetime) -> str | None: ...
    def release_rate_limit(self, name: str) -> None: ...
    def record_sms_stop(self, phone: str, now: datetime, until: datetime) -> None: ...
    def sms_stopped(self, phone: str, now: datetime) -> bool: ...
    def clear_sms_stop(self, phone: str) -> None: ...
    def hold_receipt(
        self, worker_id: str, receipt: HeldReceipt, now: datetime, until: datetime, *, first_time: bool = True
    ) -> bool: ...
    def held_receipt(self, worker_id: str, now: datetime) -> HeldReceipt | None: ...
    def take_receipt(self, worker_id: str, now: datetime) -> HeldReceipt | None: ...
    def offer_upload(
        self, delivery_key: str, link: UploadLink, now: datetime, until: datetime
    ) -> UploadLink | None: ...
    def upload_link(self, token: str, now: datetime) -> UploadLink | None: ...
    def spend_upload_link(self, token: str) -> None: ...
