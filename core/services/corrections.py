"""Managers decide what waits for them: corrections, automatic clock-outs and expenses, by number.

Every pending item has a short number in each manager's view (core/domain/pending.py): `PENDING`
lists them (one text each), `/team` and the Slack DMs show them, `APPROVE 2`, `REJECT 2 too late`
and `APPROVE ALL` (confirmed by its count) decide them; a Slack button names the item itself.
A number the manager was never shown, or whose item was decided meanwhile, gets a clear answer
and changes nothing. A manager never sees or decides their own items; an org's only manager has
theirs approved in their own name and flagged (`self_approve`, from the notify side).

Every decision is an immutable event written with the marker's deletion in one transaction: of
two managers deciding one item at once, one decides, the other hears it was already decided.
The worker hears of it through a notice, where they asked (and in Slack if linked); the notify
side also updates every manager's DM about the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from core import commands as c
from core.domain import transitions as t
from core.domain.ids import new_id
from core.domain.model import (
    Channel,
    CorrectionDecision,
    Decision,
    ExpenseDecision,
    Org,
    PendingExpense,
    PendingItem,
    PunchKind,
    Worker,
)
from core.domain.pending import ManagerView, renumber
from core.domain.reminders import AUTO_CLOCK_OUT_REASON
from core.ports import Change, Conflict, DuplicateDelivery, Notice, NoticeKind, NotWritten, Outcome, StaleWorker
from core.services import deliveries
from core.services.access import manager_now
from core.services.ports import Ports
from core.timesheet import resolve_shifts

VIEW_KEPT = timedelta(days=30)  # a manager's numbers outlive any message that shows them
VIEW_SAVE_ATTEMPTS = 3
SELF_APPROVED_NOTE = "self-approved: no other manager"
DECISION_NOTE_MAX = 200


@dataclass(frozen=True)
class Listed:
    """One pending item as one manager sees it."""

    number: int
    item: PendingItem
    name: str


# ---------------------------------------------------------------------------------------------
# Numbers


def numbered(
    manager_id: str,
    org: Org,
    ports: Ports,
    items: Sequence[PendingItem] | None = None,
    workers: Sequence[Worker] | None = None,
) -> tuple[list[Listed], ManagerView]:
    """What waits for this manager (never their own items), by number in their view, which is
    saved so that `APPROVE 2` later means what they were shown as 2. (`items`, `workers`: the
    org's, when the caller has read them already.)"""
    found = ports.store.pending_items(org.org_id) if items is None else items
    mine = sorted((p for p in found if p.worker_id != manager_id), key=lambda p: (p.recorded_at, p.item_id))
    items = mine
    if not items:
        return [], ManagerView(manager_id)  # nothing to number: nothing read, nothing written
    if workers is None:
        workers = ports.store.list_workers(org.org_id)
    names = {w.worker_id: w.name for w in workers or ()}
    view = _renumbered(manager_id, [(p.item_id, names.get(p.worker_id, p.worker_id)) for p in items], ports)
    listed = [Listed(view.number_of(p.item_id) or 0, p, names.get(p.worker_id, p.worker_id)) for p in items]
    return sorted(listed, key=lambda entry: entry.number), view


def _renumbered(manager_id: str, pending: list[tuple[str, str]], ports: Ports) -> ManagerView:
    now = ports.clock.now()
    for _ in range(VIEW_SAVE_ATTEMPTS):
        view = ports.store.manager_view(manager_id) or ManagerView(manager_id)
        fresh = renumber(view, pending, now)
        if fresh.numbers == view.numbers and view.version:
            return view  # nothing new to number: no write
        if ports.store.save_manager_view(fresh, now + VIEW_KEPT):
            return replace(fresh, version=fresh.version + 1)
    raise Conflict("the manager's view kept changing")


def number_for(manager: Worker, org: Org, item_id: str, ports: Ports) -> int | None:
    """The item's number in this manager's view (numbered now if it is new to them)."""
    listed, _ = numbered(manager.worker_id, org, ports)
    return next((entry.number for entry in listed if entry.item.item_id == item_id), None)


# ---------------------------------------------------------------------------------------------
# Items as data for words (JSON-friendly: outcomes are stored with deliveries)


def what_of(item: PendingItem) -> str:
    """What kind of change waits: clock_in, clock_out, auto_clock_out, break, shift, expense."""
    if isinstance(item, PendingExpense):
        return "expense"
    if item.until is not None:
        return "shift" if item.kind is PunchKind.CLOCK_IN else "break"
    if item.kind is PunchKind.CLOCK_OUT and item.reason == AUTO_CLOCK_OUT_REASON and item.channel is Channel.SYSTEM:
        return "auto_clock_out"
    return "clock_in" if item.kind is PunchKind.CLOCK_IN else "clock_out"


def item_data(item: PendingItem, name: str, number: int | None, now: datetime) -> dict[str, Any]:
    """An item as every message about it words it: who, what changes (from -> to, the day), why, how long ago."""
    data: dict[str, Any] = {
        "item_id": item.item_id,
        "worker_id": item.worker_id,
        "number": number,
        "name": name,
        "what": what_of(item),
        "age": max(0, int((now - item.recorded_at).total_seconds() // 60)),
        "now": t.iso(now),
    }
    if isinstance(item, PendingExpense):
        return data | {
            "amount": str(item.amount),
            "currency": item.currency,
            "category": item.category,
            "day": item.spent_on.isoformat(),
            "reason": item.note,
        }
    return data | {
        "at": t.iso(item.claimed_at),
        "was": t.iso(item.was or item.recorded_at),
        "until": t.iso(item.until),
        "day": t.iso(item.claimed_at),
        "reason": item.reason,
    }


# ---------------------------------------------------------------------------------------------
# PENDING


def show_pending(manager: Worker, org: Org, number: int | None, ports: Ports) -> Outcome:
    """One item (the first, or the one numbered `number` or the next after it), with its place in
    the list and the number of the next one: one text each."""
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    listed, _ = numbered(current.worker_id, org, ports)
    if not listed:
        return Outcome("nothing_pending")
    at = 0 if number is None else next((i for i, entry in enumerate(listed) if entry.number >= number), None)
    if at is None:
        return Outcome("no_such_number", {"number": number}, ok=False)
    entry = listed[at]
    data = item_data(entry.item, entry.name, entry.number, ports.clock.now())
    following = listed[at + 1].number if at + 1 < len(listed) else None
    return Outcome("pending_item", data | {"position": at + 1, "total": len(listed), "next": following})


def waiting_for(
    manager: Worker, org: Org, ports: Ports, items: Sequence[PendingItem], workers: Sequence[Worker]
) -> list[dict[str, Any]]:
    """Every item waiting for a manager already checked (the team board), numbered in their view."""
    listed, _ = numbered(manager.worker_id, org, ports, items, workers)
    now = ports.clock.now()
    return [item_data(entry.item, entry.name, entry.number, now) for entry in listed]


# ---------------------------------------------------------------------------------------------
# APPROVE / REJECT


def decide(manager: Worker, org: Org, cmd: c.Decide, origin: t.Origin, ports: Ports) -> Outcome:
    # Read fresh: a cached role could be minutes old, and deciding is a manager's power.
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    if cmd.every:
        return _approve_all(current, org, cmd.count, origin, ports)
    if cmd.item_id is not None:
        return _decide_item(current, org, cmd.item_id, cmd.approve, cmd.note, origin, ports)
    if cmd.number is None:
        return _decide_the_only_one(current, org, cmd, origin, ports)
    view = ports.store.manager_view(current.worker_id)
    entry = view.find(cmd.number) if view else None
    if entry is None:
        return Outcome("no_such_number", {"number": cmd.number}, ok=False)
    if entry.gone_at is not None:
        return deliveries.stored_answer(origin, ports) or _gone(entry.number, entry.name)
    return _decide_item(current, org, entry.item_id, cmd.approve, cmd.note, origin, ports, entry.number, entry.name)


def decide_correction(
    manager: Worker, org: Org, item_id: str | None, approve: bool, origin: t.Origin, ports: Ports
) -> Outcome:
    """A Slack button's decision: the button names the item itself."""
    return decide(manager, org, c.Decide(approve=approve, item_id=item_id), origin, ports)


def _decide_the_only_one(manager: Worker, org: Org, cmd: c.Decide, origin: t.Origin, ports: Ports) -> Outcome:
    """`APPROVE` alone: fine when exactly one item waits; otherwise the manager picks by number,
    shown the first item as PENDING shows it (never a decision on a guess)."""
    items = ports.store.pending_items(org.org_id)
    listed, _ = numbered(manager.worker_id, org, ports, items)
    if not listed:
        if (earlier := deliveries.stored_answer(origin, ports)) is not None:
            return earlier  # the same request again, after it decided the only item: as then
        mine = any(p.worker_id == manager.worker_id for p in items)
        return Outcome("own_item", ok=False) if mine else Outcome("nothing_pending")
    if len(listed) > 1:  # the first, with its number and who and what, as PENDING shows it
        first, following = listed[0], listed[1].number
        data = item_data(first.item, first.name, first.number, ports.clock.now())
        return Outcome("which_item", data | {"total": len(listed), "next": following}, ok=False)
    only = listed[0]
    return _decide_item(manager, org, only.item.item_id, cmd.approve, cmd.note, origin, ports, only.number, only.name)


def _decide_item(
    manager: Worker,
    org: Org,
    item_id: str,
    approve: bool,
    note: str | None,
    origin: t.Origin,
    ports: Ports,
    number: int | None = None,
    shown_name: str | None = None,
) -> Outcome:
    item = next((p for p in ports.store.pending_items(org.org_id) if p.item_id == item_id), None)
    if item is None:
        # The same request delivered again finds the item it decided gone: answer as then.
        return deliveries.stored_answer(origin, ports) or _gone(number, shown_name)
    if item.worker_id == manager.worker_id:
        return Outcome("own_item", ok=False)
    worker = ports.store.get_worker(item.worker_id)
    name = worker.name if worker else item.worker_id
    return _commit_decision(manager, org, item, name, number, approve, note, origin, ports)


def _commit_decision(
    manager: Worker,
    org: Org,
    item: PendingItem,
    name: str,
    number: int | None,
    approve: bool,
    note: str | None,
    origin: t.Origin,
    ports: Ports,
) -> Outcome:
    now = ports.clock.now()
    note = note[:DECISION_NOTE_MAX] if note else None
    decision = Decision.APPROVED if approve else Decision.REJECTED
    data = item_data(item, name, number, now) | {"decision": decision.value, "note": note}
    told = data | {"decided_by": manager.worker_id, "decided_by_name": manager.name, "decided_at": t.iso(now)}
    change = _decision_change(item, decision, manager.worker_id, now, origin.channel, note, told)
    outcome = Outcome("item_decided", data)
    key = origin.delivery_key
    for _ in range(STATE_RETRIES):
        try:
            ports.store.commit(_with_state_after(change, ports, now), (key, outcome) if key else None)
        except DuplicateDelivery as dup:
            return dup.outcome
        except StaleWorker:
            continue  # the worker punched meanwhile: their state is read again
        except Conflict:
            return _gone(number, name)
        return outcome
    raise NotWritten("the worker's state kept changing under a decision")


STATE_RETRIES = 3


def _with_state_after(change: Change, ports: Ports, now: datetime) -> Change:
    """A rejected clock-in or clock-out that the worker's state still names: the state is written
    with the time that now stands (the time it was sent, or the punch it would have replaced), in
    the decision's transaction, so STATUS and the next correction's checks agree with the
    timesheet. Anything else leaves the worker as it is."""
    decision = change.decision
    if decision is None or decision.decision is not Decision.REJECTED:
        return change
    worker = ports.store.get_worker(decision.worker_id, fresh=True)
    if worker is None:
        return change
    state = worker.state
    info = state.shift or state.last_shift
    if info is None or decision.target_event_id not in (info.in_event_id, info.out_event_id):
        return change
    events = ports.store.worker_events(worker.worker_id, info.started_at - STATE_WINDOW, now + STATE_WINDOW)
    shifts = resolve_shifts(events.punches, [*events.decisions, decision], now)
    resolved = next((s for s in shifts if s.shift_id == info.shift_id), None)
    if resolved is None:
        return change
    ended_at = resolved.end if info.ended_at is not None else None
    moved = replace(info, started_at=resolved.start, ended_at=ended_at)
    if moved == info:
        return change
    moved_state = replace(state, shift=moved) if state.shift is not None else replace(state, last_shift=moved)
    worker_after = replace(worker, state=moved_state)
    return replace(change, worker=worker_after, expected_version=worker.version)


STATE_WINDOW = timedelta(days=2)  # a shift's punches, whatever its corrections claimed


def _gone(number: int | None, name: str | None) -> Outcome:
    """An item decided meanwhile (by another manager, or a click before): said by its number when it has one."""
    if number is None:
        return Outcome("already_decided", ok=False)
    return Outcome("number_decided", {"number": number, "name": name or ""}, ok=False)


def _decision_change(
    item: PendingItem,
    decision: Decision,
    decided_by: str,
    now: datetime,
    channel: Channel,
    note: str | None,
    told: dict[str, object],
) -> Change:
    """The decision event, the marker closed and the worker's notice: one transaction."""
    event_id = new_id(now)
    worker_channel = item.channel.value if item.channel else None
    if isinstance(item, PendingExpense):
        expense_decision = ExpenseDecision(
            event_id,
            item.worker_id,
            item.org_id,
            item.expense_id,
            item.spent_on,
            decision,
            decided_by,
            now,
            channel,
            note,
        )
        notice = Notice(NoticeKind.EXPENSE_DECIDED, item.org_id, item.worker_id, told, new_id(now), worker_channel)
        return Change(item.org_id, expense_decision=expense_decision, closed_expense=item, notices=(notice,))
    correction = CorrectionDecision(
        event_id, item.worker_id, item.org_id, item.event_id, decision, decided_by, now, channel, note
    )
    told = told | {"event_id": item.event_id, "kind": item.kind.value, "claimed_at": told.get("at")}
    notice = Notice(NoticeKind.CORRECTION_DECIDED, item.org_id, item.worker_id, told, new_id(now), worker_channel)
    return Change(item.org_id, decision=correction, closed=item, notices=(notice,))


# ---------------------------------------------------------------------------------------------
# APPROVE ALL, confirmed by its count


def _approve_all(manager: Worker, org: Org, count: int | None, origin: t.Origin, ports: Ports) -> Outcome:
    if count is None:
        return _offer_all(manager, org, ports)
    replay = deliveries.stored_answer(origin, ports)
    if replay is not None:  # this confirmation was handled already (a text delivered again)
        return replay
    now = ports.clock.now()
    view = ports.store.manager_view(manager.worker_id)
    offer = view.live_offer(now) if view else ()
    if not offer:
        return Outcome("approve_all_first", ok=False)
    if count != len(offer):
        return Outcome("approve_all_count", {"offered": len(offer), "count": count}, ok=False)
    assert view is not None
    waiting = {p.item_id: p for p in ports.store.pending_items(org.org_id)}
    names = {w.worker_id: w.name for w in ports.store.list_workers(org.org_id)}
    approved, gone = 0, 0
    for item_id in offer:
        item = waiting.get(item_id)
        if item is None or item.worker_id == manager.worker_id:
            gone += 1
            continue
        name = names.get(item.worker_id, item.worker_id)
        # Each item is its own transaction: one decided elsewhere meanwhile fails alone.
        origin_of_item = (
            replace(origin, delivery_id=f"{origin.delivery_id}:{item_id}") if origin.delivery_id else origin
        )
        done = _commit_decision(manager, org, item, name, view.number_of(item_id), True, None, origin_of_item, ports)
        if done.code == "item_decided":
            approved += 1
        else:
            gone += 1
    ports.store.save_manager_view(replace(view, offer=(), offered_at=None), now + VIEW_KEPT)
    outcome = Outcome("approved_all", {"approved": approved, "gone": gone})
    answer = deliveries.delivery(origin, outcome)
    if answer is not None:
        try:
            ports.store.commit(Change(org.org_id), answer)  # the answer, kept for a redelivery
        except DuplicateDelivery as dup:
            return dup.outcome
    return outcome


def _offer_all(manager: Worker, org: Org, ports: Ports) -> Outcome:
    now = ports.clock.now()
    for _ in range(VIEW_SAVE_ATTEMPTS):
        listed, view = numbered(manager.worker_id, org, ports)
        if not listed:
            return Outcome("nothing_pending")
        offered = replace(view, offer=tuple(entry.item.item_id for entry in listed), offered_at=now)
        if ports.store.save_manager_view(offered, now + VIEW_KEPT):
            names = _names_line([entry.name for entry in listed])
            return Outcome("approve_all_offer", {"count": len(listed), "names": names})
    raise Conflict("the manager's view kept changing")


def _names_line(names: Sequence[str], shown: int = 3) -> str:
    first = list(dict.fromkeys(names))
    return ", ".join(first[:shown]) + (", ..." if len(first) > shown else "")


# ---------------------------------------------------------------------------------------------
# An org's only manager


def self_approve(item_id: str, worker: Worker, org: Org, ports: Ports) -> Outcome:
    """An item of an org's only manager, with no other manager to ask: approved in their own name
    and flagged `self_approved` in every report and timesheet, so it is never lost and never
    passes unseen. Nothing changes if it was decided meanwhile."""
    item = next((p for p in ports.store.pending_items(org.org_id) if p.item_id == item_id), None)
    if item is None or item.worker_id != worker.worker_id:
        return Outcome("already_decided", ok=False)
    now = ports.clock.now()
    change = _decision_change(item, Decision.APPROVED, worker.worker_id, now, Channel.SYSTEM, SELF_APPROVED_NOTE, {})
    change = replace(change, notices=())  # they asked and they decided: nobody to tell
    try:
        ports.store.commit(change)
    except Conflict:
        return Outcome("already_decided", ok=False)
    return Outcome("item_decided", item_data(item, worker.name, None, now) | {"decision": Decision.APPROVED.value})
