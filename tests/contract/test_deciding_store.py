"""The store's part in deciding (issue 12), on every Store implementation: what waits for a manager,
expense decisions beside their expenses, pay period locks, managers' views and their approval DMs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core.domain.model import (
    Channel,
    Decision,
    Expense,
    ExpenseDecision,
    ExpenseStatus,
    PendingCorrection,
    PendingExpense,
    PeriodLock,
    PunchKind,
)
from core.domain.pending import ManagerView, Numbered
from core.ports import ApprovalMessage, Change, Conflict, PeriodLocked

T0 = datetime(2026, 11, 16, 12, 58, tzinfo=UTC)
DAY = date(2026, 11, 16)


def expense(ana, expense_id: str = "x1", needs_approval: bool = True) -> Expense:  # type: ignore[no-untyped-def]
    logged = Expense(expense_id, ana.worker_id, "acme", Decimal("48.20"), "USD", "parts", DAY, T0, Channel.SMS)
    if not needs_approval:
        return logged
    return replace(logged, status=ExpenseStatus.SUBMITTED, needs_approval=True)


def waiting(e: Expense) -> PendingExpense:
    return PendingExpense(
        "acme", e.worker_id, e.expense_id, e.spent_on, e.amount, e.currency, e.category, e.recorded_at
    )


def test_corrections_and_expenses_wait_in_one_list(store, ana):  # type: ignore[no-untyped-def]
    fix = PendingCorrection("acme", ana.worker_id, "e-out", PunchKind.CLOCK_OUT, T0, T0, "forgot", was=T0)
    spent = expense(ana)
    store.commit(Change("acme", opened=(fix,)))
    store.commit(Change("acme", expense=spent, opened_expense=waiting(spent)))
    assert [p.item_id for p in store.pending_items("acme")] == ["e-out", "x1"]
    assert store.pending_corrections("acme") == [fix]
    assert store.worker_expenses(ana.worker_id, DAY, DAY)[0].status is ExpenseStatus.SUBMITTED


def test_an_expense_decision_is_an_event_read_with_its_expense_and_made_once(store, ana, manager):  # type: ignore[no-untyped-def]
    spent = expense(ana)
    store.commit(Change("acme", expense=spent, opened_expense=waiting(spent)))
    assert store.worker_and_waiting(ana.worker_id)[1] == 1  # STATUS says it waits
    decision = ExpenseDecision(
        "d1", ana.worker_id, "acme", "x1", DAY, Decision.REJECTED, manager.worker_id, T0, Channel.SMS, "no receipt"
    )
    store.commit(Change("acme", expense_decision=decision, closed_expense=waiting(spent)))
    assert store.worker_and_waiting(ana.worker_id)[1] == 0
    with pytest.raises(Conflict):  # a second manager finds it decided
        store.commit(Change("acme", expense_decision=replace(decision, event_id="d2"), closed_expense=waiting(spent)))
    [read] = store.worker_expenses(ana.worker_id, DAY, DAY)
    assert (read.status, read.decided_by, read.decision_note) == (ExpenseStatus.REJECTED, "w-mia", "no receipt")
    assert store.org_expenses("acme", DAY, DAY) == [read]
    assert store.pending_items("acme") == []


def test_an_expense_that_needed_no_approval_reads_approved(store, ana):  # type: ignore[no-untyped-def]
    store.commit(Change("acme", expense=expense(ana, needs_approval=False)))
    [read] = store.worker_expenses(ana.worker_id, DAY, DAY)
    assert (read.status, read.needs_approval) == (ExpenseStatus.APPROVED, False)


def test_a_locked_period_refuses_a_change_that_needs_it_open(store, ana, manager):  # type: ignore[no-untyped-def]
    lock = PeriodLock("acme", date(2026, 11, 9), date(2026, 11, 15), manager.worker_id, T0)
    fix = PendingCorrection("acme", ana.worker_id, "e1", PunchKind.CLOCK_OUT, T0, T0, "forgot")
    store.commit(Change("acme", opened=(fix,), unlocked_periods=(date(2026, 11, 9),)))  # open: committed
    assert store.lock_period(lock) is None
    assert store.lock_period(replace(lock, locked_by="w-other")) == lock  # locked already: the first lock holds
    with pytest.raises(PeriodLocked) as locked:
        fix2 = replace(fix, event_id="e2")
        store.commit(Change("acme", opened=(fix2,), unlocked_periods=(date(2026, 11, 9),)))
    assert locked.value.lock == lock
    assert [p.item_id for p in store.pending_items("acme")] == ["e1"]  # nothing written
    assert store.period_lock("acme", date(2026, 11, 9)) == lock
    assert store.period_lock("acme", date(2026, 11, 16)) is None
    assert store.period_locks("acme") == [lock]


def test_a_managers_view_is_saved_by_version(store):  # type: ignore[no-untyped-def]
    until = T0 + timedelta(days=30)
    assert store.manager_view("w-mia") is None
    first = ManagerView("w-mia", (Numbered(1, "e1", "Ana Lopez"),))
    assert store.save_manager_view(first, until)
    read = store.manager_view("w-mia")
    assert read == replace(first, version=1)
    assert not store.save_manager_view(first, until)  # planned on version 0: another listing saved first
    gone = replace(read, numbers=(Numbered(1, "e1", "Ana Lopez", gone_at=T0),), offer=("e1",), offered_at=T0)
    assert store.save_manager_view(gone, until)
    assert store.manager_view("w-mia") == replace(gone, version=2)


def test_where_each_approval_dm_went_is_kept_per_item(store):  # type: ignore[no-untyped-def]
    until = T0 + timedelta(days=90)
    store.remember_approval_message(ApprovalMessage("e1", "w-mia", "D0MIA", "1790000000.000100", 1), until)
    store.remember_approval_message(ApprovalMessage("e1", "w-max", "D0MAX", "1790000000.000200", 3), until)
    store.remember_approval_message(ApprovalMessage("e2", "w-mia", "D0MIA", "1790000000.000300"), until)
    assert sorted(m.manager_id for m in store.approval_messages("e1")) == ["w-max", "w-mia"]
    assert store.approval_messages("e2") == [ApprovalMessage("e2", "w-mia", "D0MIA", "1790000000.000300")]
    assert store.approval_messages("e3") == []
