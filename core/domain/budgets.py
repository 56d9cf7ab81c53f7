"""Monthly budgets per expense category: which month an expense counts in, and which threshold a
month's spending has reached. Pure: the service (core/services/budgets.py) reads and writes.

The rules, in one place:
- A month is a calendar month; an expense counts in the month of its date (`Expense.spent_on`,
  the worker's local date, which is the org's unless the worker has a zone of their own). Only
  expenses in the org's currency count (there is no exchange rate to add others with), and a
  rejected expense does not count.
- Managers hear when a category's spending for a month reaches 80% and 100% of its budget: one
  alert per threshold, per category, per month, ever. What alerts is the level reached, not the
  step: an alert missed once (a budget set after the spending, an index that had not caught up)
  comes with the next expense of that category and month.
- An expense that jumps past both thresholds at once (70% to 120%) sends one alert, for 100%:
  "80%" after "100%" would be noise. The 80% alert is then left unsent, and sends only if the
  spending falls back under 100% of the budget (the budget raised) and reaches 80% of it.
- A budget raised (or lowered) mid-month re-arms nothing: a threshold alerted for that month
  stays alerted; one not yet alerted alerts when the spending reaches it under the new budget.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from core.domain.model import Org

THRESHOLDS = (80, 100)  # percent of a month's budget, lowest first
# How long a month's alerts are remembered after the month ends: longer than an expense may be
# dated back (core/services/expenses.py, EXPENSE_LOOKBACK_DAYS), so a late receipt cannot alert twice.
ALERTS_KEPT_AFTER_MONTH = timedelta(days=120)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    first = month_start(day)
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    return month_start(day), next_month(day) - timedelta(days=1)


def month_name(day: date) -> str:
    """The month as data (`2026-11`): what alert keys and outcomes carry; the catalogue words it."""
    return f"{day.year:04d}-{day.month:02d}"


def percent(spent: Decimal, budget: Decimal) -> int:
    """Whole percent of the budget spent, rounded down: 99.9% is not yet 100%."""
    return int((spent * 100 / budget).to_integral_value(rounding=ROUND_FLOOR))


def reached(spent: Decimal, budget: Decimal) -> int | None:
    """The highest threshold `spent` has reached (exactly, no rounding), or None."""
    found = [level for level in THRESHOLDS if spent * 100 >= budget * level]
    return found[-1] if found else None


def alerts_kept_until(org: Org, day: date) -> datetime:
    """Until when the alerts of `day`'s month are remembered: long after it ends on the org's clock."""
    month_end = datetime.combine(next_month(day), time(0), tzinfo=ZoneInfo(org.timezone)).astimezone(UTC)
    return month_end + ALERTS_KEPT_AFTER_MONTH


def with_budget(org: Org, category: str, amount: Decimal | None) -> Org:
    """The org with `category`'s monthly budget set to `amount` (None: no budget)."""
    budgets = {name: value for name, value in org.budgets if name != category}
    if amount is not None:
        budgets[category] = amount
    return replace(org, budgets=tuple(sorted(budgets.items())))
