"""The daily summary says when a category's month is over its budget (up to the day reported)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core.domain.clock import FixedClock
from core.domain.model import Channel, Expense, ExpenseStatus, Org, Worker
from core.insights import InsightKind
from core.ports import Change
from core.services.ports import Ports
from core.services.reports import org_summary
from core.store.memory import MemoryStore
from notifications.daily_report import render_daily_report

DAY = date(2026, 11, 30)  # the month began more than four weeks before: one more query


def spend(store: MemoryStore, amount: str, day: date, n: int, status: ExpenseStatus = ExpenseStatus.SUBMITTED) -> None:
    at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    expense = Expense(f"x{n}", "w-ana", "acme", Decimal(amount), "USD", "fuel", day, at, Channel.SMS, status=status)

    store.commit(Change(org_id="acme", expense=expense))


def test_a_category_over_its_budget_this_month_is_worth_a_look(store: MemoryStore) -> None:
    org = store.save_org(Org(org_id="acme", name="Acme", budgets=(("fuel", Decimal("50")), ("meals", Decimal("80")))))
    store.add_worker(Worker(worker_id="w-ana", org_id="acme", name="Ana Lopez"))
    ports = Ports(store, FixedClock(datetime(2026, 12, 1, 3, tzinfo=UTC)))
    spend(store, "30.00", date(2026, 11, 1), 1)  # the month's first day, before the four weeks
    spend(store, "25.00", DAY, 2)
    spend(store, "99.00", DAY, 3, ExpenseStatus.REJECTED)  # rejected: does not count
    spend(store, "40.00", DAY + timedelta(days=1), 4)  # next month: does not count

    summary = org_summary(org, DAY, ports)
    [over] = [i for i in summary.insights if i.kind is InsightKind.BUDGET_OVER]
    assert over.data == {
        "category": "fuel",
        "spent": Decimal("55.00"),
        "budget": Decimal("50"),
        "currency": "USD",
        "percent": 110,
    }
    text = render_daily_report(summary).text
    assert "fuel is over its monthly budget: 55.00 of 50.00 USD spent this month (110%)." in text
    # Under budget: nothing
    summary = org_summary(replace(org, budgets=(("fuel", Decimal("60")),)), DAY, ports)
    assert [i for i in summary.insights if i.kind is InsightKind.BUDGET_OVER] == []
