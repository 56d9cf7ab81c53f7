"""Timesheets as rows for payroll: CSV (safe against spreadsheet formula injection) and JSON.

Minutes are shown by the one rounding rule (core/domain/durations.py, `Minutes`): the parts of a
day add up to its whole as displayed (on_task + paid_break == hours_worked and regular +
overtime + double_time == hours_worked), and a period's total is the sum of its days as shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.domain.model import Org
from core.timesheet import BreakRow, DayRow, Flag, Minutes, Timesheet, Totals, minutes

# Every column, what it means. `punchclock timesheet --help` and README print this table.
FIELDS: dict[str, str] = {
    "worker_id": "the worker's id",
    "worker": "the worker's name",
    "day": "the local workday (ISO date); a shift's time counts in the workdays it was worked in",
    "first_in": "first clock-in of the day, local time",
    "last_out": "last clock-out of the day, local time",
    "on_task_min": "time on task: clocked in and on no break",
    "paid_break_min": "paid breaks: rest (29 CFR 785.18), and meals too short to be bona fide if the org pays them",
    "unpaid_break_min": "unpaid breaks: bona fide meals of 30+ minutes (785.19), and short meals the org does not pay",
    "hours_worked_min": "hours worked (FLSA) = on_task + paid_break = regular + overtime + double_time",
    "regular_min": "hours worked paid at the regular rate",
    "overtime_min": "hours worked paid at 1.5x under the org's overtime policy",
    "double_time_min": "hours worked paid at 2x (California)",
    "pending_corrections": "corrections counted at the time the worker claims, waiting for a manager",
    "open_shift": "true while the worker is still clocked in (the day is measured up to now)",
    "flags": "space-separated flags: " + ", ".join(flag.value for flag in Flag),
    "expenses": "expenses spent that day: amount, currency, category",
    "jobs": "space-separated jobs of the shifts that started that day",
}
COLUMNS = tuple(FIELDS)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def local_stamp(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def minute_columns(totals: Totals | Minutes) -> dict[str, int]:
    """The minute columns of a day (or of minutes already shown), adding up as displayed."""
    shown = totals if isinstance(totals, Minutes) else Minutes.of(totals)
    return {
        "on_task_min": shown.on_task,
        "paid_break_min": shown.paid_break,
        "unpaid_break_min": shown.unpaid_break,
        "hours_worked_min": shown.hours_worked,
        "regular_min": shown.regular,
        "overtime_min": shown.overtime,
        "double_time_min": shown.double_time,
    }


def _row(d: DayRow, worker_id: str, name: str, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "worker_id": worker_id,
        "worker": name,
        "day": d.day.isoformat(),
        "first_in": local_stamp(d.first_in, zone),
        "last_out": local_stamp(d.last_out, zone),
        **minute_columns(d),
        "pending_corrections": d.pending_corrections,
        "open_shift": d.open_shift,
        "flags": " ".join(d.flags),
        "expenses": " ".join(f"{e.amount} {e.currency} {e.category}" for e in d.expenses),
        "jobs": " ".join(d.jobs),
    }


def timesheet_rows(sheet: Timesheet, worker_id: str, name: str, zone: ZoneInfo) -> list[dict[str, Any]]:
    return [_row(d, worker_id, name, zone) for d in sheet.days]


def _break(brk: BreakRow, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "start": local_stamp(brk.start, zone),
        "end": local_stamp(brk.end, zone) or None,
        "kind": brk.kind.value,
        "minutes": minutes(brk.seconds),
        "paid": brk.paid,
    }


def timesheet_document(sheet: Timesheet, worker_id: str, name: str, org: Org, zone: ZoneInfo) -> dict[str, Any]:
    """The JSON a payroll person or a script reads: the rules applied, each day with its breaks, totals."""
    rules = org.meal_rule_set
    policy = org.break_policy
    return {
        "worker_id": worker_id,
        "worker": name,
        "from": sheet.start.isoformat(),
        "to": sheet.end.isoformat(),
        "timezone": zone.key,
        "overtime_policy": org.overtime_policy.value,
        "meal_rules": {
            "name": rules.name,
            "source": rules.source,
            "first_meal_waiver": policy.first_meal_waiver,
            "second_meal_waiver": policy.second_meal_waiver,
            "short_meal_paid": policy.short_meal_paid,
        },
        "days": [
            {**_row(d, worker_id, name, zone), "breaks": [_break(brk, zone) for brk in d.breaks]} for d in sheet.days
        ],
        "totals": {**total_minutes(sheet), "flags": list(sheet.totals.flags)},
    }


def total_minutes(sheet: Timesheet) -> dict[str, int]:
    """A period's minute columns: the sums of its days as displayed, so a total is its rows' sum."""
    return minute_columns(sheet.shown)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] = COLUMNS) -> str:
    """The rows as CSV under `columns` (the timesheet's by default), every cell formula-safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in columns})
    return out.getvalue()
