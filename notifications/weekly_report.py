"""An organisation's workweek as an email: what payroll needs, from `core.services.reports.org_week`.

`punchclock report weekly` and the scheduled weekly timesheet send the same message. The body:
headline numbers, a chart of each worker's week, each worker's hours per workday (hours worked,
with overtime, double time and breaks where there are any) and their week's regular, overtime,
double time, breaks and flags, with totals that are the sums of the rows as shown; corrections
still waiting (they count at the claimed time until decided); each worker's expenses.
Attached (core/report_export.py): one row per worker per day in decimal hours, a per-worker
payroll file shaped for Gusto's hours import, and the expense report with receipt links.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.catalogue import in_language, phrase, written
from core.domain.model import Expense, ExpenseStatus, Org
from core.replies import duration
from core.report_export import (
    EXPENSE_COLUMNS,
    GUSTO_COLUMNS,
    WEEK_COLUMNS,
    ReceiptLink,
    expense_rows,
    gusto_rows,
    reimbursable,
    week_rows,
)
from core.report_words import (
    flag_words,
    period_line,
    readers_by_language,
    rounding_line,
    rules_line,
    totals_by_currency,
)
from core.services.ports import Ports
from core.services.reports import OrgWeek, WorkerWeek, org_week
from core.timesheet import DayRow, Minutes
from core.timesheet_export import to_csv
from notifications.daily_report import CHART_BARS, pending_table
from notifications.email import Attachment, EmailSender, one_line
from notifications.receipts import no_link
from notifications.report_html import (
    Bar,
    Cell,
    Chart,
    Document,
    ReportEmail,
    Table,
    columns,
    csv_attachment,
    fit,
    text_of,
)


def email_weekly_report(
    org: Org, week_start: date, to: Sequence[str], ports: Ports, sender: EmailSender, link: ReceiptLink = no_link
) -> str:
    """Read the org's workweek, email it to `to`, each in their language; returns the provider's message ids."""
    week = org_week(org, week_start, ports)
    sent = []
    for language, readers in readers_by_language(to, week.people.values()).items():
        with in_language(language):
            report = render_weekly_report(week, link)
        sent.append(sender.send(readers, report.subject, report.text, report.html, report.attachments))
    return ",".join(sent)


def render_weekly_report(week: OrgWeek, link: ReceiptLink = no_link) -> ReportEmail:
    shown = Minutes.total(row for w in week.workers for row in w.sheet.days)
    worked = sum(1 for w in week.workers if w.sheet.shown.hours_worked)
    spent = totals_by_currency((e.amount, e.currency) for e in week.expenses)
    doc = Document(
        kicker=phrase("email.weekly.title"),
        heading=phrase("email.weekly.heading", org=week.org.name, start=week.start, end=week.end),
        summary=phrase(
            "email.weekly.summary",
            worked=worked,
            hours_worked=shown.hours_worked,
            regular=shown.regular,
            overtime=shown.overtime,
            double_time=shown.double_time,
            waiting=len(week.pending),
        )
        + (" " + period_line(week.period) if week.period else ""),
        stats=[
            (phrase("email.stat.worked"), str(worked)),
            (phrase("email.stat.hours_worked"), duration(shown.hours_worked)),
            (phrase("email.stat.regular"), duration(shown.regular)),
            (phrase("email.stat.overtime_only"), duration(shown.overtime)),
            (phrase("email.stat.double_time"), duration(shown.double_time)),
            (phrase("email.stat.expenses"), spent or "0"),
        ],
        parts=[_chart(week), _days(week, shown), _pending(week), _expenses(week)],
        footer=phrase("email.weekly.footer", rules=rules_line(week.org), rounding=rounding_line(week.org)),
    )
    subject = phrase(
        "email.weekly.subject",
        org=one_line(week.org.name),
        start=week.start.isoformat(),
        end=week.end.isoformat(),
        worked=worked,
        hours_worked=shown.hours_worked,
        overtime=shown.extra,
    )
    return ReportEmail(subject=subject, text=text_of(doc), html=fit(doc), attachments=_attachments(week, link))


# -- the sections ------------------------------------------------------------------------------


def _chart(week: OrgWeek) -> Chart:
    ranked = sorted(
        (w for w in week.workers if w.sheet.shown.hours_worked),
        key=lambda w: (-w.sheet.shown.hours_worked, w.worker.name),
    )
    bars = [Bar(w.worker.name, w.sheet.shown.regular, w.sheet.shown.extra) for w in ranked[:CHART_BARS]]
    more = phrase("email.chart.more", count=len(ranked) - CHART_BARS) if len(ranked) > CHART_BARS else ""
    legends = phrase("email.chart.legend"), phrase("email.chart.text_legend")
    return Chart(phrase("email.weekly.chart"), bars, *legends, more)


def _day_cell(row: DayRow) -> str:
    shown = row.shown
    if not (shown.hours_worked or shown.breaks or row.flags or row.open_shift):
        return ""
    return phrase(
        "email.weekly.cell",
        worked=shown.hours_worked,
        overtime=shown.overtime,
        double_time=shown.double_time,
        breaks=shown.breaks,
        flagged=bool(row.flags),
    )


def _flags(w: WorkerWeek) -> str:
    """Each flag of the week once, with the days it was raised: `meal missed (Tue, Wed)`."""
    days_of: dict[str, list[date]] = {}
    for row in w.sheet.days:
        for flag in row.flags:
            days_of.setdefault(flag, []).append(row.day)
    return ", ".join(
        phrase(
            "email.weekly.flag", flag=flag_words().get(flag, flag), days=", ".join(written("weekday", d) for d in days)
        )
        for flag, days in sorted(days_of.items())
    )


def _days(week: OrgWeek, shown: Minutes) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for w in week.workers:
        total = w.sheet.shown
        rows.append(
            (
                w.worker.name,
                *(_day_cell(row) for row in w.sheet.days),
                duration(total.regular),
                duration(total.overtime),
                duration(total.double_time),
                duration(total.breaks),
                duration(total.hours_worked),
                _flags(w),
            )
        )
    by_day = [Minutes.total(w.sheet.days[i] for w in week.workers) for i in range(7)]
    totals: tuple[Cell, ...] = (
        phrase("email.report.total"),
        *(duration(day.hours_worked) if day.hours_worked else "" for day in by_day),
        duration(shown.regular),
        duration(shown.overtime),
        duration(shown.double_time),
        duration(shown.breaks),
        duration(shown.hours_worked),
        "",
    )
    headers = (
        phrase("email.column.worker"),
        *(written("day", day) for day in week.days),
        *columns("regular", "overtime_only", "double_time", "breaks", "hours_worked", "flags"),
    )
    return Table(
        phrase("email.weekly.days"),
        headers,
        rows,
        phrase("report.nobody_in"),
        numeric=frozenset(range(1, 13)),
        total=totals if rows else None,
        trim=True,
    )


def _pending(week: OrgWeek) -> Table:
    return pending_table(week.org, week.pending, week.person, week.at)


def _expenses(week: OrgWeek) -> Table:
    by_worker: dict[str, list[Expense]] = {}
    for e in week.expenses:
        by_worker.setdefault(e.worker_id, []).append(e)
    rows = []
    for worker_id, spent in sorted(by_worker.items(), key=lambda item: week.name(item[0]).casefold()):
        rows.append(
            (
                week.name(worker_id),
                str(len(spent)),
                totals_by_currency((e.amount, e.currency) for e in spent if e.status is not ExpenseStatus.REJECTED),
                f"{reimbursable(spent, week.org.currency):.2f} {week.org.currency}",
            )
        )
    spent_all = totals_by_currency((e.amount, e.currency) for e in week.expenses)
    title = (
        phrase("email.report.expenses_counted", count=len(week.expenses), totals=spent_all)
        if rows
        else phrase("email.report.expenses")
    )
    headers = columns("worker", "count", "amount", "reimbursement")
    return Table(title, headers, rows, phrase("email.report.no_expenses"), numeric=frozenset({1, 2, 3}), trim=True)


def _attachments(week: OrgWeek, link: ReceiptLink) -> tuple[Attachment, ...]:
    name = f"week-{week.start.isoformat()}"
    return (
        csv_attachment(week.org.org_id, f"{name}-days", to_csv(week_rows(week), WEEK_COLUMNS)),
        csv_attachment(week.org.org_id, f"{name}-gusto", to_csv(gusto_rows(week), GUSTO_COLUMNS)),
        csv_attachment(
            week.org.org_id, f"{name}-expenses", to_csv(expense_rows(week.expenses, week.name, link), EXPENSE_COLUMNS)
        ),
    )
