"""What the report emails say, without AWS: insights, the weekly timesheet and its files, fitting
under Gmail's clip, receipt links for an org's own receipts only."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.domain.model import Channel, Expense, ExpenseStatus, Org, OvertimePolicy, Worker
from core.insights import InsightKind, worker_insights
from core.report_export import split_name
from core.services.reports import OrgDay, OrgWeek, WorkerDay, WorkerWeek
from core.timesheet import DayRow, Timesheet, Totals
from notifications.daily_report import render_daily_report
from notifications.receipts import ReceiptLinks
from notifications.report_html import HTML_LIMIT, Document, Table, fit, html_of
from notifications.weekly_report import render_weekly_report

ORG = Org(org_id="acme", name="Acme", timezone="America/New_York", overtime_policy=OvertimePolicy.CALIFORNIA)
MONDAY = date(2026, 11, 16)
HOUR = 3600


def row(day: date, worked: int = 0, overtime: int = 0, double: int = 0, **kw: Any) -> DayRow:
    return DayRow(
        day=day,
        on_task_seconds=worked,
        paid_break_seconds=0,
        unpaid_break_seconds=0,
        regular_seconds=worked - overtime - double,
        overtime_seconds=overtime,
        double_time_seconds=double,
        **kw,
    )


def expense(amount: str, day: date, currency: str = "USD", status: ExpenseStatus = ExpenseStatus.SUBMITTED) -> Expense:
    at = datetime(2026, 11, 16, 20, tzinfo=UTC)
    return Expense(
        f"x{amount}{day}", "w-ana", "acme", Decimal(amount), currency, "fuel", day, at, Channel.SMS, status=status
    )


def history(days: int = 10, worked: int = 8 * HOUR, **kw: Any) -> list[DayRow]:
    return [row(MONDAY - timedelta(days=days - i), worked, **kw) for i in range(days)]


def test_hours_far_above_or_below_the_usual_are_worth_a_look():
    [above] = worker_insights("w-ana", row(MONDAY, 12 * HOUR + 30 * 60), history())
    assert (above.kind, above.data) == (InsightKind.HOURS_ABOVE, {"minutes": 750, "average": 480, "days": 10})
    [below] = worker_insights("w-ana", row(MONDAY, 3 * HOUR), history())
    assert below.kind is InsightKind.HOURS_BELOW
    # Within half again and half as much, nothing; nor with too little history; nor still clocked in
    assert worker_insights("w-ana", row(MONDAY, 10 * HOUR), history()) == []
    assert worker_insights("w-ana", row(MONDAY, 12 * HOUR + 30 * 60), history(days=2)) == []
    assert worker_insights("w-ana", row(MONDAY, 3 * HOUR, open_shift=True), history()) == []


def test_spend_far_above_the_usual_and_repeated_missed_meals_are_worth_a_look():
    days = [
        row(MONDAY - timedelta(days=d), 8 * HOUR, expenses=(expense("10.00", MONDAY - timedelta(days=d)),))
        for d in (7, 5, 3)
    ]
    today = row(MONDAY, 8 * HOUR, expenses=(expense("25.00", MONDAY), expense("99.00", MONDAY, "EUR")))
    [spend] = worker_insights("w-ana", today, days)
    assert (spend.kind, spend.data["amount"], spend.data["average"], spend.data["currency"]) == (
        InsightKind.SPEND_ABOVE,
        Decimal("25.00"),
        Decimal("10.00"),
        "USD",
    )
    missed = [row(MONDAY - timedelta(days=d), 8 * HOUR, flags=("meal_missed",)) for d in (9, 2)]
    [meals] = worker_insights("w-ana", row(MONDAY, 8 * HOUR, flags=("short_meal",)), missed)
    assert (meals.kind, meals.data) == (InsightKind.MEALS_REPEATED, {"days": 3, "of": 3})
    assert worker_insights("w-ana", row(MONDAY, 8 * HOUR), missed) == []  # none today: nothing repeated today


def test_the_daily_summary_words_its_insights():
    ana = Worker("w-ana", "acme", "Ana <Lopez>")
    today = row(MONDAY, 12 * HOUR + 30 * 60)
    insight = worker_insights("w-ana", today, history())
    report = render_daily_report(OrgDay(ORG, MONDAY, [WorkerDay(ana, today)], [], [], insights=insight))
    assert (
        "Ana <Lopez> worked 12h 30m, against 8h 00m on an average day worked in the last 4 weeks (10 days)."
        in report.text
    )
    assert "Ana &lt;Lopez&gt; worked 12h 30m" in report.html


def _week() -> OrgWeek:
    ana = Worker("w-ana", "acme", "Ana María de la Cruz")
    days = [row(MONDAY + timedelta(days=i), 13 * HOUR, overtime=4 * HOUR, double=HOUR) for i in range(3)]
    days += [row(MONDAY + timedelta(days=i)) for i in range(3, 7)]
    sheet = Timesheet(MONDAY, MONDAY + timedelta(days=6), tuple(days), Totals(**_sum(days)))
    spent = [
        expense("12.50", MONDAY, status=ExpenseStatus.APPROVED),
        expense("7.25", MONDAY + timedelta(days=1)),  # still waiting for a manager
        expense("100.00", MONDAY, status=ExpenseStatus.REJECTED),
        expense("30.00", MONDAY, currency="EUR"),
    ]
    sheet = Timesheet(sheet.start, sheet.end, sheet.days, Totals(**_sum(days), expenses=tuple(spent)))
    return OrgWeek(ORG, MONDAY, [WorkerWeek(ana, sheet)], spent, [], {"w-ana": ana})


def _sum(days: list[DayRow]) -> dict[str, int]:
    names = ("on_task_seconds", "paid_break_seconds", "unpaid_break_seconds", "regular_seconds")
    names += ("overtime_seconds", "double_time_seconds")
    return {name: sum(getattr(d, name) for d in days) for name in names}


def _csv(report: Any, suffix: str) -> list[dict[str, str]]:
    [file] = [a for a in report.attachments if a.filename.endswith(suffix)]
    return list(csv.DictReader(io.StringIO(file.content.decode())))


def test_the_weekly_timesheet_and_its_payroll_files():
    report = render_weekly_report(_week())

    assert (
        report.subject == "Punchclock weekly timesheet - Acme - 2026-11-16 to 2026-11-22: 1 worked, 39h 00m, OT 15h 00m"
    )
    assert "Ana María de la Cruz | 13h 00m, OT 4h 00m, DT 1h 00m | 13h 00m, OT 4h 00m, DT 1h 00m |" in report.text
    days = _csv(report, "-days.csv")
    assert len(days) == 7
    assert [days[0][k] for k in ("hours_worked", "regular_hours", "overtime_hours", "double_time_hours")] == [
        "13.00",
        "8.00",
        "4.00",
        "1.00",
    ]
    [gusto] = _csv(report, "-gusto.csv")
    # Gusto matches on first and last name; reimbursed: what is approved, in the org's currency
    assert gusto == {
        "first_name": "Ana María de la",
        "last_name": "Cruz",
        "regular_hours": "24.00",
        "overtime_hours": "12.00",
        "double_overtime_hours": "3.00",
        "reimbursement": "12.50",
    }
    expenses = _csv(report, "-expenses.csv")
    assert [(e["amount"], e["currency"], e["status"]) for e in expenses] == [
        ("12.50", "USD", "approved"),
        ("100.00", "USD", "rejected"),
        ("30.00", "EUR", "submitted"),
        ("7.25", "USD", "submitted"),
    ]


def test_names_split_as_gusto_reads_them():
    assert split_name("Ana Lopez") == ("Ana", "Lopez")
    assert split_name("  Prince ") == ("Prince", "")


def test_a_long_table_is_cut_to_fit_under_gmails_clip_and_says_so():
    rows = [(f"Worker {i:05d}", "8h 00m") for i in range(20_000)]
    doc = Document("Kicker", "Heading", "Summary", parts=[Table("Hours", ("Worker", "Hours"), rows, "None", trim=True)])
    html = fit(doc)
    assert len(html_of(doc).encode()) > HTML_LIMIT >= len(html.encode())
    assert "Worker 00000" in html and "Worker 19999" not in html
    assert "Showing " in html and "of 20000 rows" in html
    small = Document("Kicker", "Heading", "Summary", parts=[Table("Hours", ("Worker",), [("Ana",)], "None", trim=True)])
    assert fit(small) == html_of(small)


class Presigner:
    def generate_presigned_url(self, method: str, Params: dict[str, str], ExpiresIn: int) -> str:
        return f"https://{Params['Bucket']}.s3.example/{Params['Key']}?expires={ExpiresIn}"


def test_receipt_links_are_signed_for_the_orgs_own_receipts_only():
    link = ReceiptLinks("bucket", client=Presigner()).for_org("acme")
    assert link("receipts/acme/w-ana/x.jpg") == "https://bucket.s3.example/receipts/acme/w-ana/x.jpg?expires=604800"
    assert link("receipts/rival/w-rex/x.jpg") is None
    assert link("receipts/acme/../rival/x.jpg") is None
    assert ReceiptLinks("bucket", client=Presigner()).for_org("acm")("receipts/acme/w/x.jpg") is None


def test_the_weekly_timesheet_says_whether_its_pay_period_is_locked():
    from dataclasses import replace

    from core.domain.model import PeriodLock
    from core.services.periods import PeriodStatus

    sunday = MONDAY + timedelta(days=6)
    lock = PeriodLock("acme", MONDAY, sunday, "w-mia", datetime(2026, 11, 23, 14, tzinfo=UTC))
    week = _week()
    assert (
        "Pay period Mon 16 Nov - Sun 22 Nov: open."
        in render_weekly_report(replace(week, period=PeriodStatus(MONDAY, sunday))).text
    )
    assert (
        "Pay period Mon 16 Nov - Sun 22 Nov: locked Mon 23 Nov."
        in render_weekly_report(replace(week, period=PeriodStatus(MONDAY, sunday, lock))).text
    )
