"""Timesheets as rows for payroll: CSV (safe against spreadsheet formula injection) and JSON."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.timesheet import Timesheet, minutes

COLUMNS = (
    "worker_id",
    "worker",
    "day",
    "first_in",
    "last_out",
    "worked_min",
    "paid_break_min",
    "unpaid_break_min",
    "paid_min",
    "regular_min",
    "overtime_min",
    "double_time_min",
    "pending_corrections",
    "open_shift",
    "flags",
    "expenses",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def timesheet_rows(sheet: Timesheet, worker_id: str, name: str, zone: ZoneInfo) -> list[dict[str, Any]]:
    rows = []
    for d in sheet.days:
        rows.append(
            {
                "worker_id": worker_id,
                "worker": name,
                "day": d.day.isoformat(),
                "first_in": _local(d.first_in, zone),
                "last_out": _local(d.last_out, zone),
                "worked_min": minutes(d.worked_seconds),
                "paid_break_min": minutes(d.paid_break_seconds),
                "unpaid_break_min": minutes(d.unpaid_break_seconds),
                "paid_min": minutes(d.paid_seconds),
                "regular_min": minutes(d.regular_seconds),
                "overtime_min": minutes(d.overtime_seconds),
                "double_time_min": minutes(d.double_time_seconds),
                "pending_corrections": d.pending_corrections,
                "open_shift": d.open_shift,
                "flags": " ".join(d.flags),
                "expenses": " ".join(f"{e.amount} {e.currency} {e.category}" for e in d.expenses),
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in COLUMNS})
    return out.getvalue()
