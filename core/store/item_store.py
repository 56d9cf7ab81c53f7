"""The Store port over one table of items: every rule of the store, whatever keeps the items.

Transitions are single all-or-nothing writes whose conditions are the state machine: the
worker item must still carry the version we planned against, every event key must be new, the
delivery id must be unseen. When a condition fails the table hands back the current item, so a
retry needs no extra read. DynamoDB (core/store/dynamodb.py) and memory (core/store/memory.py)
only keep the items.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.domain import schedule
from core.domain.model import Expense, Org, PendingCorrection, PendingItem, PeriodLock, Worker
from core.domain.pending import ManagerView
from core.domain.schedule import JobRun
from core.ports import (
    ApprovalMessage,
    Change,
    Conflict,
    DuplicateDelivery,
    HeldReceipt,
    Invite,
    Notice,
    Outcome,
    PeriodLocked,
    ReminderSlot,
    RepeatedChange,
    RepeatGuard,
    SendSlot,
    StaleWorker,
    UploadLink,
    WorkerEvents,
)
from core.store import items as it
from core.store import keys
from core.store.table import (
    AnyOf,
    Check,
    Condition,
    Delete,
    IfAbsent,
    IfEquals,
    IfExists,
    Item,
    Put,
    Refused,
    Table,
    Write,
    absent_or_expired,
)

TRANSACTION_LIMIT = 100  # writes in one TransactWriteItems
DELIVERY_TTL = timedelta(days=3)
SEND_RECORD_TTL = timedelta(days=3)  # longer than a notice is retried (the stream keeps it 24 h)
WORKER_CACHE_SECONDS = 300.0  # profile staleness bound; state is guarded by the version check
ORG_CACHE_SECONDS = 60.0  # settings change rarely; a minute of staleness is fine


class ItemStore:
    def __init__(self, table: Table) -> None:
        self._table = table
        self._workers: dict[str, tuple[Worker, float]] = {}
        self._ids: dict[str, str] = {}  # "slack:T:U" / "phone:+1..." -> worker id
        self._orgs: dict[str, tuple[Org, float]] = {}

    @property
    def table(self) -> Table:
        return self._table

    def _remember(self, worker: Worker) -> Worker:
        self._workers[worker.worker_id] = (worker, time.monotonic())
        return worker

    def forget_cache(self) -> None:
        self._orgs.clear()
        self._workers.clear()
        self._ids.clear()

    # -- organisations -------------------------------------------------------

    def get_org(self, org_id: str, *, fresh: bool = False) -> Org | None:
        cached = self._orgs.get(org_id)
        if cached and not fresh and time.monotonic() - cached[1] < ORG_CACHE_SECONDS:
            return cached[0]
        item = self._table.get(keys.org_key(org_id))
        if not item:
            return None
        org = it.org_from_item(item)
        self._orgs[org_id] = (org, time.monotonic())
        return org

    def save_org(self, org: Org, now: datetime | None = None) -> Org:
        """Create (version 0) or update an organisation; its Slack team link is unique across orgs.
        Its scheduled jobs move with it (core/domain/schedule.py), in the same write."""
        saved = Org(**{**org.__dict__, "version": org.version + 1})
        cond = IfAbsent() if org.version == 0 else IfEquals("version", org.version)
        writes: list[Write] = [Put(it.org_to_item(saved), cond)]
        stored_jobs = {run.job: run for run in self.org_jobs(org.org_id)} if org.version else {}
        now = now or datetime.now(UTC)
        writes += [Put(it.job_to_item(run)) for run in schedule.all_jobs(saved, now, stored_jobs)]
        stored = self._table.get(keys.org_key(org.org_id)) if org.version else None
        previous = it.org_from_item(stored) if stored else None
        old_team = previous.slack_team_id if previous else None
        if org.slack_team_id and org.slack_team_id != old_team:
            link = {**keys.slack_team_key(org.slack_team_id), "type": "link", "org_id": org.org_id}
            writes.append(Put(link, AnyOf((IfAbsent(), IfEquals("org_id", org.org_id)))))
        if old_team and old_team != org.slack_team_id:
            writes.append(Delete(keys.slack_team_key(old_team)))
        if self._table.transact(writes):
            raise Conflict("organisation changed meanwhile, or its Slack team is linked to another organisation")
        self._orgs[saved.org_id] = (saved, time.monotonic())
        return saved

    def save_budgets(self, org: Org) -> Org:
        """Write an org's budgets: its item as given, only if it still has the version it was read
        at (Conflict otherwise: read it again). Unlike `save_org` it leaves the org's scheduled
        jobs alone: a budget moves no report, and a sweep may be moving them right now."""
        saved = replace(org, version=org.version + 1)
        if self._table.put(Put(it.org_to_item(saved), IfEquals("version", org.version))) is not None:
            raise Conflict("organisation changed meanwhile")
        self._orgs[saved.org_id] = (saved, time.monotonic())
        return saved

    # -- scheduled jobs: one entry per org and job, in a sparse index by due time -------------

    def org_jobs(self, org_id: str) -> list[JobRun]:
        pk = keys.org_key(org_id)["PK"]
        return [it.job_from_item(item) for item in self._table.query("PK", pk, "SK", "JOB#", "JOB#~")]

    def due_jobs(self, now: datetime) -> Iterator[JobRun]:
        """Org jobs due by `now`, earliest first (lazily, page by page)."""
        found = self._table.query("GSI1PK", keys.JOBS_INDEX_PK, "GSI1SK", keys.DUE_FROM, keys.due_until(now), "GSI1")
        return (it.job_from_item(item) for item in found)

    def run_job(self, run: JobRun, following: JobRun, notices: Sequence[Notice]) -> bool:
        """Commit a run: its notices, and its entry moved to the following run, only if the entry
        is still this run (False: another sweep ran it, nothing written)."""
        still = IfEquals("due_at", keys.stamp(run.due_at))
        writes: list[Write] = [Put(it.job_to_item(following), still)]
        writes += self._notice_writes(notices)
        for first in range(0, len(writes), TRANSACTION_LIMIT):
            # Past one transaction's 100 writes (a huge list of managers), the entry moves with the first
            # batch and the other notices follow: a retry finds the entry moved and sends nothing twice.
            refused = self._table.transact(writes[first : first + TRANSACTION_LIMIT])
            if refused is not None:
                return False
        return True

    def find_org_by_slack_team(self, team_id: str) -> Org | None:
        link = self._table.get(keys.slack_team_key(team_id))
        return self.get_org(link["org_id"]) if link else None

    def list_orgs(self) -> list[Org]:
        return [it.org_from_item(i) for i in self._table.query("GSI1PK", keys.ORGS_INDEX_PK, index="GSI1")]

    # -- workers -------------------------------------------------------------

    def get_worker(self, worker_id: str, *, fresh: bool = False) -> Worker | None:
        cached = self._workers.get(worker_id)
        if cached and not fresh and time.monotonic() - cached[1] < WORKER_CACHE_SECONDS:
            return cached[0]
        item = self._table.get(keys.worker_key(worker_id))
        if not item:
            self._workers.pop(worker_id, None)
            return None
        return self._remember(it.worker_from_item(item))

    def worker_and_waiting(self, worker_id: str) -> tuple[Worker | None, int]:
        """The worker as stored now and how many of their items wait for a manager: one strongly
        consistent query of their partition, from the waiting marks to the worker item."""
        found = list(
            self._table.query("PK", keys.worker_pk(worker_id), "SK", keys.WAITING_PREFIX, "WORKER", fresh=True)
        )
        worker = next((it.worker_from_item(item) for item in found if item["SK"] == "WORKER"), None)
        if worker is None:
            self._workers.pop(worker_id, None)
            return None, 0
        return self._remember(worker), sum(1 for item in found if item["SK"].startswith(keys.WAITING_PREFIX))

    def _find_by_lookup(self, cache_key: str, lookup: dict[str, str]) -> Worker | None:
        worker_id = self._ids.get(cache_key)
        if worker_id is None:
            item = self._table.get(lookup)
            if not item:
                return None
            worker_id = item["worker_id"]
            self._ids[cache_key] = worker_id
        return self.get_worker(worker_id)

    def find_worker_by_slack(self, team_id: str, user_id: str) -> Worker | None:
        worker = self._find_by_lookup(f"slack:{team_id}:{user_id}", keys.slack_user_key(team_id, user_id))
        if worker and (worker.slack_team_id, worker.slack_user_id) != (team_id, user_id):
            self._ids.pop(f"slack:{team_id}:{user_id}", None)  # unlinked since we cached it
            return None
        return worker

    def find_worker_by_phone(self, phone: str) -> Worker | None:
        worker = self._find_by_lookup(f"phone:{phone}", keys.phone_key(phone))
        if worker and worker.phone != phone:
            self._ids.pop(f"phone:{phone}", None)
            return None
        return worker

    def list_workers(self, org_id: str) -> list[Worker]:
        found = self._table.query("GSI1PK", keys.org_workers_pk(org_id), index="GSI1")
        return [it.worker_from_item(i) for i in found]

    @staticmethod
    def _notice_writes(notices: Sequence[Notice]) -> list[Write]:
        """The outbox: each notice written with the change it reports, once (a retry finds it there)."""
        recorded_at = datetime.fromtimestamp(time.time(), UTC)
        return [Put(it.notice_to_item(notice, recorded_at), IfAbsent()) for notice in notices]

    def _lookup_writes(self, old: Worker | None, new: Worker) -> list[Write]:
        """Uniqueness of phone and Slack id: one lookup item each, claimed with a condition."""
        writes: list[Write] = []
        pairs = [
            (old.phone if old else None, new.phone, keys.phone_key),
            (
                (old.slack_team_id, old.slack_user_id) if old and old.slack_user_id else None,
                (new.slack_team_id, new.slack_user_id) if new.slack_user_id else None,
                lambda ids: keys.slack_user_key(*ids),
            ),
        ]
        for before, after, make_key in pairs:
            if before == after:
                continue
            if before:
                writes.append(Delete(make_key(before)))
            if after:
                writes.append(Put({**make_key(after), "type": "lookup", "worker_id": new.worker_id}, IfAbsent()))
        return writes

    def add_worker(self, worker: Worker, notices: Sequence[Notice] = ()) -> Worker:
        """A new worker, with the notices about it in the same write (the outbox)."""
        saved = Worker(**{**worker.__dict__, "version": 1})
        writes: list[Write] = [Put(it.worker_to_item(saved), IfAbsent())]
        writes += self._lookup_writes(None, saved)
        writes += self._notice_writes(notices)
        if self._table.transact(writes):
            raise Conflict("that phone number or Slack user already belongs to a worker")
        return self._remember(saved)

    def update_worker(self, worker: Worker, expected_version: int, notices: Sequence[Notice] = ()) -> Worker:
        old = self.get_worker(worker.worker_id, fresh=True)
        if old is None or old.version != expected_version:
            raise StaleWorker(old)
        saved = Worker(**{**worker.__dict__, "state": old.state, "version": expected_version + 1})
        writes: list[Write] = [Put(it.worker_to_item(saved), IfEquals("version", expected_version))]
        writes += self._lookup_writes(old, saved)
        writes += self._notice_writes(notices)
        refused = self._table.transact(writes)
        if refused:
            if refused[0] is not None:
                raise StaleWorker(self.get_worker(worker.worker_id, fresh=True))
            raise Conflict("that phone number or Slack user already belongs to a worker")
        return self._remember(saved)

    # -- the state machine ---------------------------------------------------

    def commit(self, change: Change, delivery: tuple[str, Outcome] | None = None) -> Worker | None:
        writes: list[Write] = []
        worker_at = delivery_at = also_at = None
        new_worker = None
        if change.worker is not None:
            new_worker = Worker(**{**change.worker.__dict__, "version": (change.expected_version or 0) + 1})
            worker_at = len(writes)
            condition = IfEquals("version", change.expected_version)
            writes.append(Put(it.worker_to_item(new_worker), condition, return_old_on_failure=True))
        writes += [Put(it.punch_to_item(punch), IfAbsent()) for punch in change.punches]
        writes += [Put(it.pending_to_item(pending), IfAbsent()) for pending in change.opened]
        writes += [self._waiting_put(pending) for pending in change.opened]
        if change.decision is not None and change.closed is not None:
            writes.append(Put(it.decision_to_item(change.decision, change.closed.claimed_at), IfAbsent()))
            closed = change.closed
            writes.append(Delete(keys.pending_key(closed.org_id, closed.recorded_at, closed.event_id), IfExists()))
            writes.append(Delete(keys.waiting_key(closed.worker_id, closed.item_id)))
        writes += self._expense_writes(change)
        locks_at = len(writes)
        writes += [
            Check(keys.period_lock_key(change.org_id, start), IfAbsent(), return_old_on_failure=True)
            for start in change.unlocked_periods
        ]
        if change.invite is not None:
            writes.append(Put(it.invite_to_item(change.invite), IfAbsent()))
        if change.reminder is not None:
            writes.append(self._reminder_write(change.reminder))
        writes += self._notice_writes(change.notices)
        if change.by_active_worker is not None and change.worker is None:
            worker_at = len(writes)
            active = IfEquals("active", True)
            writes.append(Check(keys.worker_key(change.by_active_worker), active, return_old_on_failure=True))
        if delivery is not None:
            delivery_at = len(writes)
            writes.append(self._delivery_put(*delivery))
            if change.also_answers is not None:  # the same answer under the next window's key
                also_at = len(writes)
                writes.append(self._delivery_put(change.also_answers, delivery[1]))
        repeat_at = len(writes) if change.unless_repeat is not None else None
        if change.unless_repeat is not None:
            writes.append(self._repeat_put(change.unless_repeat))
        refused = self._table.transact(writes)
        if refused is None:
            return self._remember(new_worker) if new_worker is not None else None
        locked = next((r for r in refused[locks_at : locks_at + len(change.unlocked_periods)] if r is not None), None)
        if locked is not None:
            raise PeriodLocked(it.period_lock_from_item(locked.old) if locked.old else None)
        self._raise_for(refused, worker_at, (delivery_at, also_at), repeat_at)
        return None  # unreachable: _raise_for always raises

    @staticmethod
    def _expense_writes(change: Change) -> list[Write]:
        """An expense (and its marker, when it waits for a manager), or a decision closing the marker."""
        writes: list[Write] = []
        if change.expense is not None:
            writes.append(Put(it.expense_to_item(change.expense), IfAbsent()))
        if change.opened_expense is not None:
            writes.append(Put(it.pending_expense_to_item(change.opened_expense), IfAbsent()))
            writes.append(ItemStore._waiting_put(change.opened_expense))
        if change.expense_decision is not None and change.closed_expense is not None:
            writes.append(Put(it.expense_decision_to_item(change.expense_decision), IfAbsent()))
            shut = change.closed_expense
            writes.append(Delete(keys.pending_key(shut.org_id, shut.recorded_at, shut.expense_id), IfExists()))
            writes.append(Delete(keys.waiting_key(shut.worker_id, shut.item_id)))
        return writes

    @staticmethod
    def _waiting_put(item: PendingItem) -> Put:
        """What waits for a manager, marked in its worker's partition too (deleted with the marker)."""
        return Put({**keys.waiting_key(item.worker_id, item.item_id), "type": "waiting", "org_id": item.org_id})

    def _delivery_put(self, key: str, outcome: Outcome) -> Put:
        now = time.time()  # DynamoDB's TTL runs on real time, whatever the service clock says
        item = {
            **keys.delivery_key(key),
            "type": "delivery",
            "outcome": json.dumps(outcome.to_json(), separators=(",", ":")),
            keys.TTL_ATTRIBUTE: int(now + DELIVERY_TTL.total_seconds()),
        }
        return Put(item, absent_or_expired(keys.TTL_ATTRIBUTE, int(now)), return_old_on_failure=True)

    @staticmethod
    def _repeat_put(guard: RepeatGuard) -> Put:
        """The guard is a short-lived record, claimed if absent or expired (on the service clock)."""
        item = {
            **keys.repeat_key(guard.key),
            "type": "repeat",
            "payload": json.dumps(guard.outcome.to_json(), separators=(",", ":")),
            keys.TTL_ATTRIBUTE: int(guard.until.timestamp()),
        }
        condition = absent_or_expired(keys.TTL_ATTRIBUTE, int(guard.now.timestamp()))
        return Put(item, condition, return_old_on_failure=True)

    def _raise_for(
        self,
        refused: list[Refused | None],
        worker_at: int | None,
        deliveries_at: tuple[int | None, int | None],
        repeat_at: int | None,
    ) -> None:
        """The exception for a refused transaction: the answer stored under its delivery id (or the
        next window's), else a stale worker, else an equal change made shortly before."""

        def failed(index: int | None) -> Refused | None:
            return refused[index] if index is not None and index < len(refused) else None

        duplicate = failed(deliveries_at[0]) or failed(deliveries_at[1])
        if duplicate is not None and duplicate.old is not None:
            raise DuplicateDelivery(Outcome.from_json(json.loads(duplicate.old["outcome"])))
        stale = failed(worker_at)
        if stale is not None:
            current = it.worker_from_item(stale.old) if stale.old is not None else None
            if current is not None:
                self._remember(current)
            raise StaleWorker(current)
        repeat = failed(repeat_at)
        if repeat is not None and repeat.old is not None:
            raise RepeatedChange(Outcome.from_json(json.loads(repeat.old["payload"])))
        raise Conflict("the change conflicts with one already recorded")

    def get_delivery(self, key: str) -> Outcome | None:
        item = self._table.get(keys.delivery_key(key))
        if not item or int(item.get(keys.TTL_ATTRIBUTE, 0)) < time.time():
            return None  # TTL deletion lags by up to two days: expired items still read
        return Outcome.from_json(json.loads(item["outcome"]))

    @staticmethod
    def _events(found: Any) -> WorkerEvents:
        events = WorkerEvents([], [])
        for item in found:
            if item.get("type") == "punch":
                events.punches.append(it.punch_from_item(item))
            elif item.get("type") == "decision":
                events.decisions.append(it.decision_from_item(item))
        return events

    def worker_events(self, worker_id: str, start: datetime, end: datetime) -> WorkerEvents:
        low, high = keys.event_range(start, end)
        return self._events(self._table.query("PK", keys.worker_pk(worker_id), "SK", low, high))

    def org_events(self, org_id: str, start: datetime, end: datetime) -> WorkerEvents:
        low, high = keys.stamp(start), keys.stamp(end) + "~"
        return self._events(self._table.query("GSI1PK", keys.org_events_pk(org_id), "GSI1SK", low, high, "GSI1"))

    def open_workers(self, org_id: str) -> list[Worker]:
        found = self._table.query("GSI2PK", keys.org_open_pk(org_id), index="GSI2")
        return [it.worker_from_item(i) for i in found]

    # -- reminders: one item per worker on shift, in a sparse index by due time ----------------

    @staticmethod
    def _reminder_write(slot: ReminderSlot) -> Write:
        if slot.due_at is None:
            return Delete(keys.reminder_key(slot.worker_id))
        return Put(it.reminder_to_item(slot.worker_id, slot.due_at))

    def due_reminders(self, now: datetime) -> Iterator[ReminderSlot]:
        """Workers with a reminder due by `now`, earliest first (lazily, page by page)."""
        found = self._table.query(
            "GSI1PK", keys.REMINDERS_INDEX_PK, "GSI1SK", keys.DUE_FROM, keys.due_until(now), "GSI1"
        )
        return (it.reminder_from_item(item) for item in found)

    def reschedule_reminder(self, seen: ReminderSlot, due_at: datetime | None) -> bool:
        """Move a worker's reminder that is not due after all (the org changed its thresholds),
        unless a transition has moved it meanwhile. False when it had."""
        assert seen.due_at is not None
        unchanged = IfEquals("due_at", keys.stamp(seen.due_at))
        if due_at is None:
            write: Write = Delete(keys.reminder_key(seen.worker_id), unchanged)
        else:
            write = Put(it.reminder_to_item(seen.worker_id, due_at), unchanged)
        return self._table.transact([write]) is None

    def pending_corrections(self, org_id: str) -> list[PendingCorrection]:
        return [p for p in self.pending_items(org_id) if isinstance(p, PendingCorrection)]

    def pending_items(self, org_id: str) -> list[PendingItem]:
        """Everything waiting for a manager, corrections and expenses, oldest first (one query)."""
        prefix = keys.PENDING_PREFIX
        found = self._table.query("PK", keys.org_key(org_id)["PK"], "SK", prefix, prefix + "~")
        return [p for p in map(it.pending_item_from_item, found) if p is not None]

    # -- pay periods a manager locked ------------------------------------------------------------

    def lock_period(self, lock: PeriodLock) -> PeriodLock | None:
        """Lock a pay period: None when this lock was stored, else the earlier lock that holds it."""
        refused = self._table.put(Put(it.period_lock_to_item(lock), IfAbsent(), return_old_on_failure=True))
        if refused is None:
            return None
        return it.period_lock_from_item(refused.old) if refused.old else lock

    def period_lock(self, org_id: str, start: date) -> PeriodLock | None:
        item = self._table.get(keys.period_lock_key(org_id, start))
        return it.period_lock_from_item(item) if item else None

    def period_locks(self, org_id: str) -> list[PeriodLock]:
        prefix = keys.LOCK_PREFIX
        found = self._table.query("PK", keys.org_key(org_id)["PK"], "SK", prefix, prefix + "~")
        return [it.period_lock_from_item(i) for i in found]

    # -- what each manager was shown, and their approval DMs --------------------------------------

    def manager_view(self, manager_id: str) -> ManagerView | None:
        """The numbers last shown to a manager. One past its TTL still reads (and still holds): its
        numbers are as good as they were, and the next save replaces it by version."""
        item = self._table.get(keys.manager_view_key(manager_id))
        return it.manager_view_from_item(item) if item else None

    def save_manager_view(self, view: ManagerView, until: datetime) -> bool:
        """Save the view as the next version of the one read (False: another listing saved first)."""
        saved = ManagerView(**{**view.__dict__, "version": view.version + 1})
        item = it.manager_view_to_item(saved, int(until.timestamp()))
        condition: Condition = IfAbsent() if view.version == 0 else IfEquals("version", view.version)
        return self._table.put(Put(item, condition)) is None

    def remember_approval_message(self, message: ApprovalMessage, until: datetime) -> None:
        self._table.put(Put(it.approval_message_to_item(message, int(until.timestamp()))))

    def approval_messages(self, item_id: str) -> list[ApprovalMessage]:
        found = self._table.query("PK", keys.approval_message_pk(item_id))
        return [it.approval_message_from_item(i) for i in found]

    # -- expenses ------------------------------------------------------------

    def worker_expenses(self, worker_id: str, start: date, end: date) -> list[Expense]:
        """The worker's expenses spent in [start, end], each as decided (its decisions are in the range)."""
        low, high = keys.expense_range(start, end)
        return it.expenses_from_items(self._table.query("PK", keys.worker_pk(worker_id), "SK", low, high))

    def org_expenses(self, org_id: str, start: date, end: date) -> list[Expense]:
        found = self._table.query(
            "GSI1PK", keys.org_expenses_pk(org_id), "GSI1SK", start.isoformat(), end.isoformat() + "~", "GSI1"
        )
        return it.expenses_from_items(found)

    def attach_receipt(self, expense: Expense, receipt_key: str) -> Expense:
        updated = Expense(**{**expense.__dict__, "receipt_key": receipt_key})
        if self._table.put(Put(it.expense_to_item(updated), IfExists())) is not None:
            raise Conflict("the expense changed meanwhile")
        return updated

    # -- enrollment ----------------------------------------------------------

    def put_invite(self, invite: Invite) -> None:
        if self._table.put(Put(it.invite_to_item(invite), IfAbsent())) is not None:
            raise Conflict("invite code already in use")

    def get_invite(self, code: str) -> Invite | None:
        item = self._table.get(keys.invite_key(code))
        return it.invite_from_item(item) if item else None

    def redeem_invite(
        self, invite: Invite, worker: Worker, existing: Worker | None, delivery: tuple[str, Outcome] | None = None
    ) -> Worker:
        """Consume the invite and create (or give a phone to) the worker, all or nothing; single-use.
        With `delivery`, the answer is stored with it: the same JOIN delivered again is replayed."""
        consume = Delete(keys.invite_key(invite.code), IfExists())
        if existing is None:
            saved = Worker(**{**worker.__dict__, "version": 1})
            writes: list[Write] = [consume, Put(it.worker_to_item(saved), IfAbsent())]
        else:
            saved = Worker(**{**worker.__dict__, "version": existing.version + 1})
            writes = [consume, Put(it.worker_to_item(saved), IfEquals("version", existing.version))]
        writes += self._lookup_writes(existing, saved)
        delivery_at = None
        if delivery is not None:
            delivery_at = len(writes)
            writes.append(self._delivery_put(*delivery))
        refused = self._table.transact(writes)
        if refused:
            duplicate = refused[delivery_at] if delivery_at is not None else None
            if duplicate is not None and duplicate.old is not None:
                raise DuplicateDelivery(Outcome.from_json(json.loads(duplicate.old["outcome"])))
            raise Conflict("invite already used, or the phone belongs to another worker")
        return self._remember(saved)

    def invites_for_phone(self, phone: str) -> list[Invite]:
        return [it.invite_from_item(i) for i in self._table.query("GSI1PK", keys.phone_invites_pk(phone), index="GSI1")]

    def count_wrong_code(self, invite: Invite) -> int | None:
        """One more wrong code sent for this invite: the count so far, or None if it is gone."""
        return self._table.add(keys.invite_key(invite.code), "wrong_codes", 1, IfExists())

    def void_invite(self, invite: Invite) -> None:
        self._table.pop(keys.invite_key(invite.code))

    # -- sending each notice once ----------------------------------------------

    def begin_send(self, key: str, now: datetime, lease: timedelta) -> SendSlot:
        """Take the right to send `key` (one notice to one person on one channel) for `lease`.

        SENT when it went already; BUSY while another delivery holds it and its lease runs. A
        delivery that died mid-send leaves a lease that runs out, so the message is sent again:
        at least once, and once unless a process dies between the provider's answer and
        `finish_send`.
        """
        until = int((now + lease).timestamp())
        item: Item = {
            **keys.send_key(key),
            "type": "send",
            "status": "sending",
            "lease_until": until,
            keys.TTL_ATTRIBUTE: until + int(SEND_RECORD_TTL.total_seconds()),
        }
        condition = absent_or_expired("lease_until", int(now.timestamp()))
        refused = self._table.put(Put(item, condition, return_old_on_failure=True))
        if refused is None:
            return SendSlot.CLAIMED
        return SendSlot.SENT if refused.old is not None and refused.old.get("status") == "sent" else SendSlot.BUSY

    def finish_send(self, key: str, now: datetime) -> None:
        """`key` was sent: never again (its record outlives every retry of the notice)."""
        end = int((now + SEND_RECORD_TTL).timestamp())
        item: Item = {**keys.send_key(key), "type": "send", "status": "sent", "lease_until": end}
        self._table.put(Put({**item, keys.TTL_ATTRIBUTE: end}))

    def abandon_send(self, key: str) -> None:
        """Sending `key` failed: the next delivery of the notice may try at once."""
        self._table.pop(keys.send_key(key))

    # -- short-lived records: each kind typed, all with a TTL and filtered on read ---------------

    def _claim(self, key: dict[str, str], now: datetime, until: datetime, payload: dict[str, Any]) -> Refused | None:
        """Write the record unless a live one is there (an expired one still reads: TTL lags)."""
        item: Item = {**key, "payload": json.dumps(payload), keys.TTL_ATTRIBUTE: int(until.timestamp())}
        condition = absent_or_expired(keys.TTL_ATTRIBUTE, int(now.timestamp()))
        return self._table.put(Put(item, condition, return_old_on_failure=True))

    def _replace(self, key: dict[str, str], until: datetime, payload: dict[str, Any]) -> None:
        item: Item = {**key, "payload": json.dumps(payload), keys.TTL_ATTRIBUTE: int(until.timestamp())}
        self._table.put(Put(item))

    @staticmethod
    def _live(item: Item | None, now: datetime) -> dict[str, Any] | None:
        if not item or int(item[keys.TTL_ATTRIBUTE]) < now.timestamp():
            return None
        return dict(json.loads(item["payload"]))

    def claim_once(self, flag: str, now: datetime, until: datetime) -> bool:
        """True the first time `flag` is claimed (until it expires): what makes a follow-up run once."""
        return self._claim(keys.once_key(flag), now, until, {}) is None

    def release_once(self, flag: str) -> None:
        """The follow-up failed before it did anything: a retry may claim it again."""
        self._table.pop(keys.once_key(flag))

    def claim_rate_limit(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take the one allowance `name` has until `until`, for `holder` (a message id)."""
        return self._claim(keys.rate_limit_key(name), now, until, {"holder": holder}) is None

    def rate_limit_holder(self, name: str, now: datetime) -> str | None:
        found = self._live(self._table.get(keys.rate_limit_key(name)), now)
        return str(found["holder"]) if found else None

    def release_rate_limit(self, name: str) -> None:
        self._table.pop(keys.rate_limit_key(name))

    def record_sms_stop(self, phone: str, now: datetime, until: datetime) -> None:
        self._replace(keys.sms_stop_key(phone), until, {})

    def sms_stopped(self, phone: str, now: datetime) -> bool:
        return self._live(self._table.get(keys.sms_stop_key(phone)), now) is not None

    def clear_sms_stop(self, phone: str) -> None:
        self._table.pop(keys.sms_stop_key(phone))

    def hold_receipt(
        self, worker_id: str, receipt: HeldReceipt, now: datetime, until: datetime, *, first_time: bool = True
    ) -> bool:
        """Keep a photo for the worker's next expense; the newest photo wins. A message's photo is
        held once (a flag by its `sid`, in the same write): delivered again after an expense took
        it, it must not wait for another one, so that finds False and nothing is written.
        `first_time=False` puts back a photo taken by mistake."""
        payload = {"key": receipt.key, "sid": receipt.sid, "caption": receipt.caption}
        if not first_time:
            self._replace(keys.held_receipt_key(worker_id), until, payload)
            return True
        held: Item = {**keys.held_receipt_key(worker_id), "payload": json.dumps(payload)}
        flag: Item = {**keys.once_key(f"held-receipt:{receipt.sid}"), "payload": json.dumps({})}
        first = absent_or_expired(keys.TTL_ATTRIBUTE, int(now.timestamp()))
        writes: list[Write] = [
            Put({**flag, keys.TTL_ATTRIBUTE: int((now + DELIVERY_TTL).timestamp())}, first),
            Put({**held, keys.TTL_ATTRIBUTE: int(until.timestamp())}),
        ]
        return self._table.transact(writes) is None

    def held_receipt(self, worker_id: str, now: datetime) -> HeldReceipt | None:
        found = self._live(self._table.get(keys.held_receipt_key(worker_id)), now)
        return HeldReceipt(found["key"], found["sid"], found.get("caption")) if found else None

    def take_receipt(self, worker_id: str, now: datetime) -> HeldReceipt | None:
        found = self._live(self._table.pop(keys.held_receipt_key(worker_id)), now)
        return HeldReceipt(found["key"], found["sid"], found.get("caption")) if found else None

    def offer_upload(self, delivery_key: str, link: UploadLink, now: datetime, until: datetime) -> UploadLink | None:
        """The upload link offered for one inbound message: `link`, or the one this message got
        before (a redelivery writes nothing); None if that earlier one has expired."""
        refused = self._claim(keys.upload_offer_key(delivery_key), now, until, {"token": link.token})
        if refused is None:
            payload = {**link.__dict__, "spent_on": link.spent_on.isoformat()}
            self._replace(keys.upload_link_key(link.token), until, payload)
            return link
        earlier = self._live(refused.old, now)
        return self.upload_link(str(earlier["token"]), now) if earlier else None

    def upload_link(self, token: str, now: datetime) -> UploadLink | None:
        found = self._live(self._table.get(keys.upload_link_key(token)), now)
        if not found or not found.get("expense_id"):
            return None
        return UploadLink(**{**found, "spent_on": date.fromisoformat(found["spent_on"])})

    def spend_upload_link(self, token: str) -> None:
        self._table.pop(keys.upload_link_key(token))
