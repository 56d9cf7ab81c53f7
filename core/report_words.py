"""Words for a day's report, shared by Slack's /report and the emailed summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from core.domain.model import Org
from core.replies import duration
from core.services.reports import OrgDay
from core.timesheet import minutes

FLAG_WORDS = {
    "open_shift": "still in",
    "pending_correction": "correction pending",
    "self_approved": "self-approved",
    "long_shift": "over 12h",
    "orphan_punch": "odd punches",
    "short_meal": "short meal",
    "meal_late": "meal late",
    "meal_missed": "meal missed",
    "meal_early": "meal early",
    "second_meal_late": "2nd meal late",
    "second_meal_missed": "2nd meal missed",
    "second_meal_early": "2nd meal early",
}


def report_summary(day: OrgDay) -> str:
    """`1 worked, 8h 00m hours worked, OT 0m, 0 still in, 0 correction(s) waiting`: Slack's report and the email's."""
    rows = day.workers
    paid = sum(w.row.hours_worked_seconds for w in rows)
    overtime = sum(w.row.overtime_seconds + w.row.double_time_seconds for w in rows)
    worked = [w for w in rows if w.row.hours_worked_seconds > 0]
    return (
        f"{len(worked)} worked, {duration(minutes(paid))} hours worked, OT {duration(minutes(overtime))}, "
        f"{len(day.open_shifts)} still in, {len(day.pending)} correction(s) waiting"
    )


def totals_by_currency(amounts: Iterable[tuple[Decimal, str]]) -> str:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount, currency in amounts:
        totals[currency] += amount
    return ", ".join(f"{total:.2f} {currency}" for currency, total in sorted(totals.items()))


def rules_line(org: Org) -> str:
    """Which rules a report applied: `Overtime: california. Meal rules: California (Labor Code 512, IWC orders).`"""
    rules = org.meal_rule_set
    meals = f"{rules.title} ({rules.source})" if rules.flags_meals else "none (the FLSA requires no meal break)"
    return f"Overtime: {org.overtime_policy.value}. Meal rules: {meals}."
