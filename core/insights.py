"""What a manager should notice about a day, beside the numbers: pure functions of timesheet rows.

- hours far from a worker's usual: the day's hours worked against the average of the days they
  worked in the four weeks before (at least `MIN_DAYS` of them), by half again or half as much,
  and by at least an hour;
- spend far from a worker's usual: the day's expenses, per currency, at least twice the average
  of the days they logged expenses in those four weeks (at least `MIN_DAYS` of them);
- meal breaks missed, late or short again: the day has such a flag, and so do at least
  `REPEATED_MEAL_DAYS` days of the four weeks and the day together.

- a budget overrun: a category whose month, up to the day, has spent its monthly budget or more
  (core/domain/budgets.py); the org's, not a worker's.
Each insight is data (a kind, a worker, numbers); the catalogue words it (`email.insight.<kind>`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.domain.model import Expense, ExpenseStatus
from core.timesheet import DayRow, Flag

HISTORY_DAYS = 28
MIN_DAYS = 3  # fewer days of history say nothing about what is usual
FAR_ABOVE, FAR_BELOW = Decimal("1.5"), Decimal("0.5")
FAR_MINUTES = 60  # and never less than an hour away from the average
SPEND_FACTOR = 2
REPEATED_MEAL_DAYS = 3
MEAL_FLAGS = frozenset(
    {Flag.MEAL_MISSED, Flag.MEAL_LATE, Flag.SHORT_MEAL, Flag.SECOND_MEAL_MISSED, Flag.SECOND_MEAL_LATE}
)


class InsightKind(StrEnum):
    HOURS_ABOVE = "hours_above"
    HOURS_BELOW = "hours_below"
    SPEND_ABOVE = "spend_above"
    MEALS_REPEATED = "meals_repeated"
    BUDGET_OVER = "budget_over"


@dataclass(frozen=True)
class Insight:
    kind: InsightKind
    worker_id: str
    data: dict[str, Any] = field(default_factory=dict)  # minutes, amounts, days: the words' parameters


def worker_insights(worker_id: str, today: DayRow, history: Sequence[DayRow]) -> list[Insight]:
    """One worker's insights for `today`, from the rows of the days before it (oldest first)."""
    found = [*_hours(worker_id, today, history), *_spend(worker_id, today.expenses, history)]
    meal = _meals(worker_id, today, history)
    return found + ([meal] if meal else [])


def _hours(worker_id: str, today: DayRow, history: Sequence[DayRow]) -> list[Insight]:
    worked = [row.shown.hours_worked for row in history if row.shown.hours_worked > 0]
    shown = today.shown.hours_worked
    if len(worked) < MIN_DAYS or shown == 0:
        return []
    average = (sum(worked) + len(worked) // 2) // len(worked)  # whole minutes, half up
    data = {"minutes": shown, "average": average, "days": len(worked)}
    if shown >= average * FAR_ABOVE and shown - average >= FAR_MINUTES:
        return [Insight(InsightKind.HOURS_ABOVE, worker_id, data)]
    if not today.open_shift and shown <= average * FAR_BELOW and average - shown >= FAR_MINUTES:
        return [Insight(InsightKind.HOURS_BELOW, worker_id, data)]
    return []


def _spent(expenses: Iterable[Expense]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for expense in expenses:
        if expense.status is not ExpenseStatus.REJECTED:
            totals[expense.currency] += expense.amount
    return totals


def _spend(worker_id: str, today: Iterable[Expense], history: Sequence[DayRow]) -> list[Insight]:
    found = []
    days = [_spent(row.expenses) for row in history if row.expenses]
    for currency, amount in sorted(_spent(today).items()):
        usual = [spent[currency] for spent in days if spent.get(currency)]
        if len(usual) < MIN_DAYS:
            continue
        average = (sum(usual, Decimal(0)) / len(usual)).quantize(Decimal("0.01"))
        if amount >= average * SPEND_FACTOR:
            data = {"amount": amount, "average": average, "currency": currency, "days": len(usual)}
            found.append(Insight(InsightKind.SPEND_ABOVE, worker_id, data))
    return found


def _meals(worker_id: str, today: DayRow, history: Sequence[DayRow]) -> Insight | None:
    if not MEAL_FLAGS.intersection(today.flags):
        return None
    days = 1 + sum(1 for row in history if MEAL_FLAGS.intersection(row.flags))
    if days < REPEATED_MEAL_DAYS:
        return None
    return Insight(InsightKind.MEALS_REPEATED, worker_id, {"days": days, "of": len(history) + 1})


def budget_overruns(budgets: Iterable[tuple[str, Decimal]], spent: dict[str, Decimal], currency: str) -> list[Insight]:
    """The org's categories at or over their monthly budget (spent up to the day reported)."""
    found = []
    for category, budget in budgets:
        amount = spent.get(category, Decimal(0))
        if budget > 0 and amount >= budget:
            data = {
                "category": category,
                "spent": amount,
                "budget": budget,
                "currency": currency,
                "percent": int(amount * 100 // budget),
            }
            found.append(Insight(InsightKind.BUDGET_OVER, "", data))
    return found
