"""An organisation's day as an email: subject, plain text, HTML tables and the rows as CSV.

Rendered from `core.services.reports.org_day` alone, so `/report`'s "Email this report" button
and the scheduled daily summary send the same message: `email_daily_report` reads the day and
sends it, `render_daily_report` only renders (unit-testable without AWS).

Every cell is text until the HTML is written, and every cell then goes through `html.escape`:
names, jobs, notes, categories, reasons and the org's own name are typed by people and must
never become markup. The CSV comes from `core.timesheet_export` (formula-safe cells), with the
same columns as the CLI's timesheet export.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from core.catalogue import DEFAULT_LANGUAGE, phrase, written
from core.domain.model import Org
from core.replies import duration
from core.report_words import FLAG_WORDS, period_line, reimbursements, report_summary, rules_line, totals_by_currency
from core.services.corrections import item_data
from core.services.ports import Ports
from core.services.reports import OrgDay, WorkerDay, org_day
from core.timesheet import Timesheet, minutes
from core.timesheet_export import timesheet_rows, to_csv
from notifications.email import Attachment, EmailSender, one_line

NOTE_LIMIT = 200  # a note is context, not a letter


@dataclass(frozen=True)
class DailyReport:
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class _Table:
    """One section of the report: plain-text cells, escaped only when written as HTML."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    empty: str


def email_daily_report(org: Org, day: date, to: Sequence[str], ports: Ports, sender: EmailSender) -> str:
    """Read the org's day, email it to `to`; returns the provider's message id."""
    report = render_daily_report(org_day(org, day, ports))
    return sender.send(list(to), report.subject, report.text, report.html, report.attachments)


def render_daily_report(day: OrgDay) -> DailyReport:
    heading = phrase("email.report.heading", org=day.org.name, day=day.day)
    summary = report_summary(day) + "." + (" " + period_line(day.period) if day.period else "")
    tables = [_hours(day), _expenses(day), _reimbursements(day), _pending(day), _open_shifts(day)]
    footer = phrase("email.report.footer", rules=rules_line(day.org))
    text = "\n\n".join([phrase("email.report.title"), heading, summary, *(_text_table(t) for t in tables), footer])
    return DailyReport(
        subject=phrase("email.report.subject", org=one_line(day.org.name), day=day.day.isoformat()),
        text=text + "\n",
        html=_html(heading, summary, tables, footer),
        attachments=(_csv(day),),
    )


# -- the sections ------------------------------------------------------------------------------


def _hours(day: OrgDay) -> _Table:
    rows = [_hours_row(w, day.org) for w in day.workers]
    if rows:
        totals = [w.row for w in day.workers]
        rows.append(
            (
                phrase("email.report.total"),
                "",
                "",
                _span(sum(r.on_task_seconds for r in totals)),
                _span(sum(r.paid_break_seconds for r in totals)),
                _span(sum(r.unpaid_break_seconds for r in totals)),
                _span(sum(r.hours_worked_seconds for r in totals)),
                _span(sum(r.overtime_seconds + r.double_time_seconds for r in totals)),
                "",
            )
        )
    headers = _columns(
        "worker", "first_in", "last_out", "on_task", "paid_breaks", "unpaid_breaks", "hours_worked", "overtime", "flags"
    )
    return _Table(phrase("email.report.hours"), headers, rows, phrase("report.nobody_in"))


def _hours_row(w: WorkerDay, org: Org) -> tuple[str, ...]:
    row, zone = w.row, w.worker.zone(org)
    last_out = phrase("email.report.still_in") if row.open_shift else _when(row.last_out, zone, row.day)
    return (
        w.worker.name,
        _when(row.first_in, zone, row.day),
        last_out,
        _span(row.on_task_seconds),
        _span(row.paid_break_seconds),
        _span(row.unpaid_break_seconds),
        _span(row.hours_worked_seconds),
        _span(row.overtime_seconds + row.double_time_seconds),
        ", ".join(FLAG_WORDS.get(flag, flag) for flag in row.flags),
    )


def _expenses(day: OrgDay) -> _Table:
    names = _names(day)
    ordered = sorted(day.expenses, key=lambda e: (names.get(e.worker_id, e.worker_id).casefold(), e.recorded_at))
    rows = [
        (
            names.get(e.worker_id, e.worker_id),
            e.category,
            f"{e.amount:.2f} {e.currency}",
            _cut(e.note),
            phrase("email.report.receipt.yes" if e.receipt_key else "email.report.receipt.no"),
            phrase("flag.self_approved" if e.decided_by == e.worker_id else f"expense.status.{e.status.value}"),
        )
        for e in ordered
    ]
    spent = totals_by_currency((e.amount, e.currency) for e in day.expenses)
    title = (
        phrase("email.report.expenses_counted", count=len(rows), totals=spent)
        if rows
        else phrase("email.report.expenses")
    )
    headers = _columns("worker", "category", "amount", "note", "receipt", "status")
    return _Table(title, headers, rows, phrase("email.report.no_expenses"))


def _reimbursements(day: OrgDay) -> _Table:
    """Approved expenses per worker: what payroll reimburses for the day."""
    rows = reimbursements(day, _names(day))
    headers = _columns("worker", "approved")
    return _Table(phrase("email.report.reimburse"), headers, rows, phrase("email.report.nothing_to_reimburse"))


def _pending(day: OrgDay) -> _Table:
    workers = {w.worker.worker_id: w.worker for w in day.workers}
    rows = []
    for p in sorted(day.pending, key=lambda p: p.claimed_at):
        worker = workers.get(p.worker_id)
        zone = worker.zone(day.org) if worker else day.org.tz
        name = worker.name if worker else p.worker_id
        item = item_data(p, name, None, day.at or p.recorded_at)
        what = phrase(f"pending.what.{item['what']}", zone=zone, **item)
        at = written("day_time", p.claimed_at, zone)
        rows.append((name, what, at, _cut(p.reason), written("age", item["age"])))
    title = phrase("email.report.pending_waiting") if rows else phrase("email.report.pending")
    headers = _columns("worker", "asks_to", "at", "reason", "waiting")
    return _Table(title, headers, rows, phrase("email.report.none_waiting"))


def _open_shifts(day: OrgDay) -> _Table:
    rows = []
    for w in day.open_shifts:
        shift = w.worker.state.shift
        since = shift.started_at if shift else w.row.first_in
        job = (shift.job if shift else None) or ""
        rows.append((w.worker.name, _when(since, w.worker.zone(day.org), day.day), job))
    headers = _columns("worker", "since", "job")
    return _Table(phrase("email.report.open_shifts"), headers, rows, phrase("email.report.nobody"))


def _csv(day: OrgDay) -> Attachment:
    rows = [
        row
        for w in day.workers
        for row in timesheet_rows(
            Timesheet(day.day, day.day, (w.row,), w.row), w.worker.worker_id, w.worker.name, w.worker.zone(day.org)
        )
    ]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", day.org.org_id).strip("-") or "org"
    return Attachment(f"punchclock-{slug}-{day.day.isoformat()}.csv", "text/csv", to_csv(rows).encode("utf-8"))


# -- cells ---------------------------------------------------------------------------------------


def _columns(*names: str) -> tuple[str, ...]:
    return tuple(phrase("email.column." + name) for name in names)


def _names(day: OrgDay) -> dict[str, str]:
    return {w.worker.worker_id: w.worker.name for w in day.workers}


def _span(seconds: int) -> str:
    return duration(minutes(seconds))


def _cut(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 3].rstrip() + "..."


def _when(at: datetime | None, zone: ZoneInfo, day: date) -> str:
    """`07:58` on the report's day, `Sun 15 Nov 22:10` on another."""
    if at is None:
        return "--"
    return written("time" if at.astimezone(zone).date() == day else "day_time", at, zone)


# -- writing -------------------------------------------------------------------------------------


def _text_table(table: _Table) -> str:
    if not table.rows:
        return f"{table.title}\n{table.empty}"
    lines = [" | ".join(table.headers), *(" | ".join(cell or "-" for cell in row) for row in table.rows)]
    return f"{table.title}\n" + "\n".join(lines)


_CELL = "padding:4px 8px;border-bottom:1px solid #e4e7ec;text-align:left;vertical-align:top"


def _html_table(table: _Table) -> str:
    title = f'<h2 style="font-size:16px;margin:20px 0 6px">{escape(table.title)}</h2>'
    if not table.rows:
        return title + f'<p style="color:#667085;margin:0">{escape(table.empty)}</p>'
    head = "".join(f'<th style="{_CELL};color:#667085;font-weight:600">{escape(h)}</th>' for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{escape(cell)}</td>' for cell in row) + "</tr>" for row in table.rows
    )
    return (
        title + '<table style="border-collapse:collapse;font-size:14px">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _html(heading: str, summary: str, tables: list[_Table], footer: str) -> str:
    sections = "".join(_html_table(t) for t in tables)
    return (
        f'<!doctype html><html lang="{DEFAULT_LANGUAGE}"><head><meta charset="utf-8">'
        f"<title>{escape(heading)}</title></head>"
        '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;margin:16px">'
        f'<p style="color:#667085;margin:0">{escape(phrase("email.report.title"))}</p>'
        f'<h1 style="font-size:20px;margin:4px 0 8px">{escape(heading)}</h1>'
        f"<p>{escape(summary)}</p>{sections}"
        f'<p style="color:#667085;font-size:12px;margin-top:20px">{escape(footer)}</p>'
        "</body></html>"
    )
