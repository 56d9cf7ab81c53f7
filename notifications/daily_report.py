"""An organisation's day as an email: subject with the headline numbers, plain text, HTML, CSVs.

Rendered from `core.services.reports.org_summary` alone, so `/report`'s "Email this report"
button, `punchclock report daily` and the scheduled daily summary send the same message:
`email_daily_report` reads the day and sends it, `render_daily_report` only renders
(unit-testable without AWS).

What a manager reads, in order: the headline numbers; what is worth a look (core/insights.py);
a chart of hours per worker; each worker's day (first in, last out, on task, breaks, hours
worked, overtime, jobs, flags) with totals that are the sums of the rows as shown; corrections
waiting and corrections decided that day; who is still clocked in; the expenses with a link to
each receipt (presigned by the caller's `link`, notifications/receipts.py). Attached: the day's
timesheet rows (the CLI export's columns), every punch of the day, and the expenses.
Every cell people typed is escaped in the HTML (notifications/report_html.py) and formula-safe
in the CSV (core/timesheet_export.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.catalogue import in_language, phrase, written
from core.domain.model import Org, PendingCorrection, Worker
from core.insights import Insight
from core.replies import duration
from core.report_export import EXPENSE_COLUMNS, PUNCH_COLUMNS, ReceiptLink, expense_rows, punch_rows
from core.report_words import (
    flag_words,
    period_line,
    readers_by_language,
    reimbursements,
    report_summary,
    rounding_line,
    rules_line,
    totals_by_currency,
)
from core.services.corrections import item_data
from core.services.ports import Ports
from core.services.reports import OrgDay, WorkerDay, org_summary
from core.timesheet import Minutes, Timesheet
from core.timesheet_export import timesheet_rows, to_csv
from notifications.email import Attachment, EmailSender, one_line
from notifications.receipts import no_link
from notifications.report_html import (
    Bar,
    Cell,
    Chart,
    Document,
    Link,
    ReportEmail,
    Table,
    columns,
    csv_attachment,
    cut,
    fit,
    text_of,
)

CHART_BARS = 40  # workers drawn in the chart, most hours first; the table lists everyone

DailyReport = ReportEmail  # the name the tests and the Slack door's path know


def email_daily_report(
    org: Org, day: date, to: Sequence[str], ports: Ports, sender: EmailSender, link: ReceiptLink = no_link
) -> str:
    """Read the org's day, email it to `to`, each in their language; returns the provider's message ids."""
    summary = org_summary(org, day, ports)
    sent = []
    for language, readers in readers_by_language(to, summary.people.values()).items():
        with in_language(language):
            report = render_daily_report(summary, link)
        sent.append(sender.send(readers, report.subject, report.text, report.html, report.attachments))
    return ",".join(sent)


def render_daily_report(day: OrgDay, link: ReceiptLink = no_link) -> ReportEmail:
    shown = Minutes.total(w.row for w in day.workers)
    worked = sum(1 for w in day.workers if w.row.hours_worked_seconds > 0)
    spent = totals_by_currency((e.amount, e.currency) for e in day.expenses)
    doc = Document(
        kicker=phrase("email.report.title"),
        heading=phrase("email.report.heading", org=day.org.name, day=day.day),
        summary=report_summary(day) + "." + (" " + period_line(day.period) if day.period else ""),
        stats=[
            (phrase("email.stat.worked"), str(worked)),
            (phrase("email.stat.hours_worked"), duration(shown.hours_worked)),
            (phrase("email.stat.overtime"), duration(shown.extra)),
            (phrase("email.stat.still_in"), str(len(day.open_shifts))),
            (phrase("email.stat.waiting"), str(len(day.pending))),
            (phrase("email.stat.expenses"), spent or "0"),
        ],
        notes=[insight_words(i, day.name(i.worker_id)) for i in day.insights],
        notes_title=phrase("email.report.insights"),
        parts=[
            _chart(day),
            _hours(day, shown),
            _pending(day),
            _decided(day),
            _open_shifts(day),
            _expenses(day, link),
            _reimbursements(day),
        ],
        footer=phrase("email.report.footer", rules=rules_line(day.org), rounding=rounding_line(day.org)),
    )
    subject = phrase(
        "email.report.subject",
        org=one_line(day.org.name),
        day=day.day.isoformat(),
        worked=worked,
        hours_worked=shown.hours_worked,
        overtime=shown.extra,
        waiting=len(day.pending),
    )
    return ReportEmail(subject=subject, text=text_of(doc), html=fit(doc), attachments=_attachments(day, link))


def insight_words(insight: Insight, name: str) -> str:
    return phrase(f"email.insight.{insight.kind.value}", name=name, **insight.data)


# -- the sections ------------------------------------------------------------------------------


def _chart(day: OrgDay) -> Chart:
    ranked = sorted(
        (w for w in day.workers if w.row.shown.hours_worked), key=lambda w: (-w.row.shown.hours_worked, w.worker.name)
    )
    bars = [Bar(w.worker.name, w.row.shown.regular, w.row.shown.extra) for w in ranked[:CHART_BARS]]
    more = phrase("email.chart.more", count=len(ranked) - CHART_BARS) if len(ranked) > CHART_BARS else ""
    legends = phrase("email.chart.legend"), phrase("email.chart.text_legend")
    return Chart(phrase("email.chart.title"), bars, *legends, more)


def _hours(day: OrgDay, shown: Minutes) -> Table:
    rows = [_hours_row(w, day.org) for w in day.workers]
    total: tuple[Cell, ...] = (
        phrase("email.report.total"),
        "",
        "",
        duration(shown.on_task),
        duration(shown.paid_break),
        duration(shown.unpaid_break),
        duration(shown.hours_worked),
        duration(shown.extra),
        "",
        "",
    )
    headers = columns(
        "worker",
        "first_in",
        "last_out",
        "on_task",
        "paid_breaks",
        "unpaid_breaks",
        "hours_worked",
        "overtime",
        "jobs",
        "flags",
    )
    return Table(
        phrase("email.report.hours"),
        headers,
        rows,
        phrase("report.nobody_in"),
        numeric=frozenset(range(3, 8)),
        total=total if rows else None,
        trim=True,
    )


def _hours_row(w: WorkerDay, org: Org) -> tuple[Cell, ...]:
    row, zone, shown = w.row, w.worker.zone(org), w.row.shown
    last_out = phrase("email.report.still_in") if row.open_shift else _when(row.last_out, zone, row.day)
    return (
        w.worker.name,
        _when(row.first_in, zone, row.day),
        last_out,
        duration(shown.on_task),
        duration(shown.paid_break),
        duration(shown.unpaid_break),
        duration(shown.hours_worked),
        duration(shown.extra),
        ", ".join(row.jobs),
        ", ".join(flag_words().get(flag, flag) for flag in row.flags),
    )


def _expenses(day: OrgDay, link: ReceiptLink) -> Table:
    ordered = sorted(day.expenses, key=lambda e: (day.name(e.worker_id).casefold(), e.recorded_at))
    rows = [
        (
            day.name(e.worker_id),
            e.category,
            f"{e.amount:.2f} {e.currency}",
            cut(e.note),
            _receipt(e.receipt_key, link),
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
    headers = columns("worker", "category", "amount", "note", "receipt", "status")
    return Table(title, headers, rows, phrase("email.report.no_expenses"), numeric=frozenset({2}), trim=True)


def _receipt(key: str | None, link: ReceiptLink) -> Cell:
    if not key:
        return phrase("email.report.receipt.no")
    href = link(key)
    return Link(phrase("email.report.receipt.view"), href) if href else phrase("email.report.receipt.yes")


def _reimbursements(day: OrgDay) -> Table:
    """Approved expenses per worker: what payroll reimburses for the day."""
    rows = reimbursements(day.to_reimburse, day.name)
    headers = columns("worker", "approved")
    return Table(phrase("email.report.reimburse"), headers, rows, phrase("email.report.nothing_to_reimburse"))


def _pending(day: OrgDay) -> Table:
    return pending_table(day.org, day.pending, day.person, day.at)


def pending_table(
    org: Org, pending: Sequence[PendingCorrection], person: Callable[[str], Worker | None], at: datetime | None
) -> Table:
    """Corrections waiting, as every manager's view words them: who, what changes, why, how long."""
    rows = []
    for p in sorted(pending, key=lambda p: p.claimed_at):
        worker = person(p.worker_id)
        zone = worker.zone(org) if worker else org.tz
        item = item_data(p, worker.name if worker else p.worker_id, None, at or p.recorded_at)
        what = phrase(f"pending.what.{item['what']}", zone=zone, **item)
        when = written("day_time", p.claimed_at, zone)
        rows.append((item["name"], what, when, cut(p.reason), written("age", item["age"])))
    title = phrase("email.report.pending_waiting") if rows else phrase("email.report.pending")
    headers = columns("worker", "asks_to", "at", "reason", "waiting")
    return Table(title, headers, rows, phrase("email.report.none_waiting"))


def _decided(day: OrgDay) -> Table:
    rows = []
    for d in day.decided:
        worker = day.people.get(d.worker_id)
        zone = worker.zone(day.org) if worker else day.org.tz
        rows.append(
            (
                day.name(d.worker_id),
                phrase("email.report.asks", kind=d.kind.value),
                written("day_time", d.claimed_at, zone),
                cut(d.reason),
                phrase("email.report.decision", decision=d.decision.value),
                day.name(d.decided_by),
            )
        )
    headers = columns("worker", "asked_to", "at", "reason", "decision", "by")
    return Table(phrase("email.report.decided", day=day.day), headers, rows, phrase("email.report.none_decided"))


def _open_shifts(day: OrgDay) -> Table:
    rows = []
    for w in day.open_shifts:
        shift = w.worker.state.shift
        since = shift.started_at if shift else w.row.first_in
        job = (shift.job if shift else None) or ""
        rows.append((w.worker.name, _when(since, w.worker.zone(day.org), day.day), job))
    headers = columns("worker", "since", "job")
    return Table(phrase("email.report.open_shifts"), headers, rows, phrase("email.report.nobody"))


def _attachments(day: OrgDay, link: ReceiptLink) -> tuple[Attachment, ...]:
    iso = day.day.isoformat()
    sheet_rows = [
        row
        for w in day.workers
        for row in timesheet_rows(
            Timesheet(day.day, day.day, (w.row,), w.row), w.worker.worker_id, w.worker.name, w.worker.zone(day.org)
        )
    ]
    files = [
        csv_attachment(day.org.org_id, iso, to_csv(sheet_rows)),
        csv_attachment(day.org.org_id, f"{iso}-punches", to_csv(punch_rows(day), PUNCH_COLUMNS)),
    ]
    if day.expenses:
        expenses = expense_rows(day.expenses, day.name, link)
        files.append(csv_attachment(day.org.org_id, f"{iso}-expenses", to_csv(expenses, EXPENSE_COLUMNS)))
    return tuple(files)


# -- cells ---------------------------------------------------------------------------------------


def _when(at: datetime | None, zone: ZoneInfo, day: date) -> str:
    """`07:58` on the report's day, `Sun 15 Nov 22:10` on another."""
    if at is None:
        return "--"
    return written("time" if at.astimezone(zone).date() == day else "day_time", at, zone)
