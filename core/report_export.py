"""The files attached to report emails, as rows (core.timesheet_export.to_csv writes them, every cell
formula-safe): the day's punches, a week's hours per worker per day, a payroll file shaped for
Gusto's hours import, and the expense report.

Hours are the shown minutes as decimal hours to two places, the parts of a day adding up as
shown and a worker's week being the sum of their days as shown (core/domain/durations.py).
A receipt link is made by the caller (`link`: a receipt's key -> a URL or None), which is how
an adapter presigns it without the core knowing S3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from core.domain.durations import hours_of_parts
from core.domain.model import Expense, ExpenseStatus, Org, Punch, Worker
from core.services.reports import OrgDay, OrgWeek
from core.timesheet import DayRow
from core.timesheet_export import local_stamp

ReceiptLink = Callable[[str], str | None]

PUNCH_COLUMNS = (
    "worker_id",
    "worker",
    "at",
    "kind",
    "break_kind",
    "job",
    "channel",
    "recorded_at",
    "correction_reason",
    "decision",
    "event_id",
)

WEEK_COLUMNS = (
    "worker_id",
    "worker",
    "day",
    "first_in",
    "last_out",
    "on_task_hours",
    "paid_break_hours",
    "unpaid_break_hours",
    "hours_worked",
    "regular_hours",
    "overtime_hours",
    "double_time_hours",
    "pending_corrections",
    "open_shift",
    "flags",
    "jobs",
)

# Gusto's "Import hours from CSV" (Run payroll): employees are matched on first and last name;
# hours are decimal; reimbursement is an amount in the payroll's currency. Columns Gusto does not
# need (its employee id, title) are left out, as its help allows.
GUSTO_COLUMNS = (
    "first_name",
    "last_name",
    "regular_hours",
    "overtime_hours",
    "double_overtime_hours",
    "reimbursement",
)

EXPENSE_COLUMNS = (
    "expense_id",
    "worker_id",
    "worker",
    "spent_on",
    "category",
    "amount",
    "currency",
    "status",
    "note",
    "receipt_url",
)


def punch_rows(day: OrgDay) -> list[dict[str, Any]]:
    """The day's punches as recorded, each in its worker's local time; corrections with their fate."""
    decided = {d.event_id: d.decision.value for d in day.decided}
    return [_punch_row(p, day.people[p.worker_id], day.org, decided) for p in day.punches]


def _punch_row(p: Punch, worker: Worker, org: Org, decided: dict[str, str]) -> dict[str, Any]:
    zone = worker.zone(org)
    decision = decided.get(p.event_id) or ("pending" if p.correction and not p.correction.follows else "")
    return {
        "worker_id": p.worker_id,
        "worker": worker.name,
        "at": local_stamp(p.at, zone),
        "kind": p.kind.value,
        "break_kind": p.break_kind.value if p.break_kind else "",
        "job": p.job or "",
        "channel": p.channel.value,
        "recorded_at": local_stamp(p.recorded_at, zone),
        "correction_reason": p.correction.reason if p.correction else "",
        "decision": decision if p.correction else "",
        "event_id": p.event_id,
    }


def _hours_columns(row: DayRow) -> dict[str, Decimal]:
    shown = row.shown
    on_task, paid_break = hours_of_parts(shown.on_task, shown.paid_break)
    regular, overtime, double_time = hours_of_parts(shown.regular, shown.overtime, shown.double_time)
    return {
        "on_task_hours": on_task,
        "paid_break_hours": paid_break,
        "unpaid_break_hours": hours_of_parts(shown.unpaid_break)[0],
        "hours_worked": on_task + paid_break,
        "regular_hours": regular,
        "overtime_hours": overtime,
        "double_time_hours": double_time,
    }


def week_rows(week: OrgWeek) -> list[dict[str, Any]]:
    """One row per worker per workday of the week (days with nothing to show included: a payroll
    person reads a whole week)."""
    rows = []
    for w in week.workers:
        zone = w.worker.zone(week.org)
        for day in w.sheet.days:
            rows.append(
                {
                    "worker_id": w.worker.worker_id,
                    "worker": w.worker.name,
                    "day": day.day.isoformat(),
                    "first_in": local_stamp(day.first_in, zone),
                    "last_out": local_stamp(day.last_out, zone),
                    **_hours_columns(day),
                    "pending_corrections": day.pending_corrections,
                    "open_shift": day.open_shift,
                    "flags": " ".join(day.flags),
                    "jobs": " ".join(day.jobs),
                }
            )
    return rows


def split_name(name: str) -> tuple[str, str]:
    """(first, last) as Gusto matches employees: the last word is the last name."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def reimbursable(expenses: Iterable[Expense], currency: str) -> Decimal:
    """What a payroll reimburses: expenses a manager approved (or that needed no approval), in the
    payroll's currency (others are listed in the expense report, to be paid apart). One still
    waiting is paid once approved, in a later week's file."""
    return sum(
        (e.amount for e in expenses if e.status is ExpenseStatus.APPROVED and e.currency == currency),
        Decimal("0.00"),
    )


def gusto_rows(week: OrgWeek) -> list[dict[str, Any]]:
    """One row per worker for the week: the sum of their days' hours as the week's file shows them."""
    rows = []
    for w in week.workers:
        days = [_hours_columns(day) for day in w.sheet.days]
        first, last = split_name(w.worker.name)
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "regular_hours": sum((d["regular_hours"] for d in days), Decimal("0.00")),
                "overtime_hours": sum((d["overtime_hours"] for d in days), Decimal("0.00")),
                "double_overtime_hours": sum((d["double_time_hours"] for d in days), Decimal("0.00")),
                "reimbursement": reimbursable(w.sheet.totals.expenses, week.org.currency),
            }
        )
    return rows


def expense_rows(expenses: Iterable[Expense], name: Callable[[str], str], link: ReceiptLink) -> list[dict[str, Any]]:
    """One row per expense, amount and currency apart, with a link to its receipt when it has one."""
    ordered = sorted(expenses, key=lambda e: (e.spent_on, name(e.worker_id).casefold(), e.recorded_at))
    return [
        {
            "expense_id": e.expense_id,
            "worker_id": e.worker_id,
            "worker": name(e.worker_id),
            "spent_on": e.spent_on.isoformat(),
            "category": e.category,
            "amount": f"{e.amount:.2f}",
            "currency": e.currency,
            "status": e.status.value,
            "note": e.note or "",
            "receipt_url": (link(e.receipt_key) if e.receipt_key else None) or "",
        }
        for e in ordered
    ]
