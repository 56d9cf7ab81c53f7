"""The daily summary email, rendered from an org's day: what a manager reads, escaped; CSV cells formula-safe."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes
from email.policy import default
from typing import Any

import pytest

from core.domain.model import (
    BreakPolicy,
    Channel,
    Expense,
    Org,
    PendingCorrection,
    PunchKind,
    ShiftInfo,
    Status,
    Worker,
    WorkerState,
)
from core.services.reports import OrgDay, WorkerDay
from core.settings import Settings
from core.timesheet import DayRow
from notifications.daily_report import render_daily_report
from notifications.email import SesEmailSender, email_sender

DAY = date(2026, 11, 16)
ORG = Org(
    org_id="acme",
    name="Acme <Ops> & Co",
    timezone="America/New_York",
    break_policy=BreakPolicy(meal_rules="california"),
)
HOSTILE = '<img src=x onerror="alert(1)">Eve'
FORMULA = '=HYPERLINK("http://evil.test","pay")'


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 16, hour, minute, tzinfo=UTC)


def _row(**kw: Any) -> DayRow:
    seconds = {
        "on_task_seconds": 0,
        "paid_break_seconds": 0,
        "unpaid_break_seconds": 0,
        "regular_seconds": 0,
        "overtime_seconds": 0,
        "double_time_seconds": 0,
    }
    return DayRow(day=DAY, **{**seconds, **kw})


def _day() -> OrgDay:
    ana = Worker("w-ana", "acme", "Ana Lopez")
    eve = Worker(
        "w-eve",
        "acme",
        HOSTILE,
        timezone="America/Los_Angeles",
        state=WorkerState(Status.ON_SHIFT, shift=ShiftInfo("s1", _at(16), "e1", job="<b>yard</b>")),
    )
    mallory = Worker("w-mal", "acme", FORMULA)
    fuel = Expense("x1", "w-ana", "acme", Decimal("12.5"), "USD", "fuel<script>", DAY, _at(20), Channel.SLACK)
    fuel = replace(fuel, note="van & <i>co</i>")
    rows = [
        WorkerDay(
            ana,
            _row(
                on_task_seconds=8 * 3600,
                regular_seconds=8 * 3600,
                first_in=_at(12, 58),
                last_out=_at(20, 58),
                flags=("meal_missed",),
                expenses=(fuel,),
            ),
        ),
        WorkerDay(eve, _row(on_task_seconds=3600, regular_seconds=3600, first_in=_at(16), open_shift=True)),
        WorkerDay(mallory, _row()),
    ]
    pending = PendingCorrection("acme", "w-eve", "01HZXCORR9F3K", PunchKind.CLOCK_OUT, _at(22), _at(23), "<u>bus</u>")
    return OrgDay(ORG, DAY, rows, [fuel], [pending])


def test_subject_text_and_html_say_what_the_day_was():
    report = render_daily_report(_day())

    assert report.subject == (
        "Punchclock daily summary - Acme <Ops> & Co - 2026-11-16: 2 worked, 9h 00m, OT 0m, 1 correction(s) waiting"
    )
    assert "2 worked, 9h 00m hours worked, OT 0m, 1 still in, 1 correction(s) waiting." in report.text
    # first in / last out in each worker's own zone: Ana in New York, Eve in Los Angeles
    assert "Ana Lopez | 07:58 | 15:58 | 8h 00m | 0m | 0m | 8h 00m | 0m | - | meal missed" in report.text
    assert f"{HOSTILE} | 08:00 | still in | 1h 00m" in report.text
    assert "Expenses (1: 12.50 USD)" in report.text
    # what changes (from -> to, the day), when, why, and how long it has waited
    assert "out 15:00->14:00 Mon 16 Nov | Mon 16 Nov 14:00 | <u>bus</u> | 0m" in report.text
    assert "Ana Lopez | fuel<script> | 12.50 USD | van & <i>co</i> | none | approved" in report.text
    assert "To reimburse (approved expenses)\nWorker | Approved\nAna Lopez | 12.50 USD" in report.text
    assert "<td" in report.html and "Total" in report.html


def test_everything_people_typed_is_escaped_in_the_html():
    html = render_daily_report(_day()).html

    for raw in ("<img", "<script>", "<b>yard", "<i>co", "<u>bus", "<Ops>"):
        assert raw not in html, raw
    for shown in (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve",
        "fuel&lt;script&gt;",
        "van &amp; &lt;i&gt;co&lt;/i&gt;",
        "&lt;b&gt;yard&lt;/b&gt;",
        "&lt;u&gt;bus&lt;/u&gt;",
        "Acme &lt;Ops&gt; &amp; Co",
    ):
        assert shown in html, shown


def test_the_csv_has_the_export_columns_and_cells_a_spreadsheet_will_not_run():
    attachment, _, _ = render_daily_report(_day()).attachments

    assert (attachment.filename, attachment.content_type) == ("punchclock-acme-2026-11-16.csv", "text/csv")
    rows = list(csv.DictReader(io.StringIO(attachment.content.decode("utf-8"))))
    assert [r["worker"] for r in rows] == ["Ana Lopez", HOSTILE, "'" + FORMULA]
    assert rows[0]["first_in"] == "2026-11-16 07:58" and rows[0]["hours_worked_min"] == "480"
    assert rows[0]["expenses"] == "12.5 USD fuel<script>"
    assert rows[1]["open_shift"] == "True"


def test_a_quiet_day_still_reads_well():
    report = render_daily_report(OrgDay(ORG, DAY, [], [], []))

    assert "Nobody clocked in." in report.text and "No expenses." in report.text
    attachment, punches = report.attachments  # no expenses, no expense report
    assert punches.content.decode().splitlines()[0].startswith("worker_id,worker,at,kind")
    assert attachment.content.decode().splitlines() == [attachment.content.decode().splitlines()[0]]  # header only


class RecordingSes:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_email(self, **kwargs: Any) -> dict[str, str]:
        self.sent.append(kwargs)
        return {"MessageId": f"m-{len(self.sent)}"}


def test_with_attachments_ses_gets_raw_mime_without_them_simple_content():
    ses = RecordingSes()
    sender = SesEmailSender("reports@acme.test", client=ses)
    report = render_daily_report(_day())

    with_csv = sender.send(["boss@acme.test"], report.subject, report.text, report.html, report.attachments)
    plain = sender.send(["boss@acme.test"], "Hi\nBcc: x@evil.test", "text", "<p>html</p>")

    assert (with_csv, plain) == ("m-1", "m-2")
    raw, simple = ses.sent
    assert raw["FromEmailAddress"] == "Punchclock <reports@acme.test>"
    assert raw["Destination"] == {"ToAddresses": ["boss@acme.test"]}
    mime = message_from_bytes(raw["Content"]["Raw"]["Data"], policy=default)
    assert mime["Subject"] == report.subject
    html = mime.get_body(("html",))
    assert html is not None and html.get_content().rstrip() == report.html
    assert [a.get_filename() for a in mime.iter_attachments()] == [
        "punchclock-acme-2026-11-16.csv",
        "punchclock-acme-2026-11-16-punches.csv",
        "punchclock-acme-2026-11-16-expenses.csv",
    ]
    assert raw["Content"]["Raw"]["Data"].isascii()  # 7-bit clean, whatever the names hold
    assert simple["Content"]["Simple"]["Subject"]["Data"] == "Hi Bcc: x@evil.test"  # no header of its own
    assert simple["Content"]["Simple"]["Body"]["Text"]["Data"] == "text"


def test_without_sender_email_there_is_no_sender_and_a_log_line(monkeypatch, caplog):
    caplog.set_level(logging.ERROR)

    assert email_sender(Settings.from_env({"TABLE_NAME": "t"})) is None
    assert "SENDER_EMAIL is not set" in caplog.text


def test_a_sender_needs_an_address():
    with pytest.raises(ValueError):
        SesEmailSender("not-an-address", client=RecordingSes())


def test_the_report_says_whether_its_pay_period_is_locked() -> None:
    from core.domain.model import PeriodLock
    from core.services.periods import PeriodStatus

    open_week = PeriodStatus(date(2026, 11, 16), date(2026, 11, 22))
    locked = PeriodStatus(
        open_week.start, open_week.end, PeriodLock("acme", open_week.start, open_week.end, "w-mia", _at(23))
    )
    assert "Pay period Mon 16 Nov - Sun 22 Nov: open." in render_daily_report(replace(_day(), period=open_week)).text
    assert (
        "Pay period Mon 16 Nov - Sun 22 Nov: locked Mon 16 Nov."
        in render_daily_report(replace(_day(), period=locked)).text
    )


def test_a_spanish_reader_gets_the_day_in_spanish_and_worker_typed_text_as_typed():
    from core.catalogue import in_language

    # Given the same day, When it is written in Spanish
    with in_language("es"):
        report = render_daily_report(_day())

    # Then every word of ours is Spanish, dates too, and what people typed stays as typed
    assert report.subject == (
        "Resumen diario de Punchclock - Acme <Ops> & Co - 2026-11-16: 2 trabajaron, 9h 00m, extra 0m, "
        "1 corrección(es) esperando"
    )
    assert "Ana Lopez | 07:58 | 15:58 | 8h 00m | 0m | 0m | 8h 00m | 0m | - | sin comida" in report.text
    assert "salida 15:00->14:00 lun 16 nov | lun 16 nov 14:00 | <u>bus</u> | 0m" in report.text
    assert "Ana Lopez | fuel<script> | 12.50 USD | van & <i>co</i> | ninguno | aprobado" in report.text
    assert "Trabajador" in report.text and "Worker |" not in report.text
    # And outside it, English again
    assert render_daily_report(_day()).subject.startswith("Punchclock daily summary")


def test_each_address_reads_the_report_in_its_owners_language():
    from core.report_words import readers_by_language

    people = [
        Worker("w-mia", "acme", "Mia", email="Mia@acme.test", language="es"),
        Worker("w-max", "acme", "Max", email="max@acme.test"),
    ]
    assert readers_by_language(["boss@acme.test", "mia@acme.test", "max@acme.test"], people) == {
        "en": ["boss@acme.test", "max@acme.test"],
        "es": ["mia@acme.test"],
    }
