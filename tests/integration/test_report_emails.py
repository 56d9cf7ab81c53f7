"""The scheduled reports by email: the jobs function invoked with Scheduler's input, the notices it
commits delivered by the notify function (pumped off the table's stream), the email read back
from moto's SES as a manager's mail client would get it.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
import requests

from core.domain.schedule import all_jobs
from core.store.items import job_to_item
from core.store.table import Put
from notifications import jobs_handler, notify_handler
from tests.conftest import after_request, reload_settings
from tests.integration.slack.test_report_email import part, sent_emails
from tests.integration.sms.helpers import TwilioPhone
from tests.integration.test_reminders import JobsContext, scheduler_input

SENDER = "reports@acme.test"
RECEIPTS = "punchclock-receipts-test"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "p",
    "h1",
    "h2",
    "table",
    "tr",
    "td",
    "th",
    "div",
    "ul",
    "li",
    "a",
}


def ny(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A New York wall time in 2026 (the org's zone), as UTC."""
    from zoneinfo import ZoneInfo

    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)


@pytest.fixture
def org(org, store, clock):  # type: ignore[no-untyped-def]
    """The conftest's org, its scheduled runs placed from the test's clock (it was saved on the real one)."""
    for run in all_jobs(org, clock.now(), {}):
        store.table.put(Put(job_to_item(run)))
    return org


@pytest.fixture
def mail(deployment, monkeypatch):  # type: ignore[no-untyped-def]
    """A deployment that emails from a verified SES identity and keeps receipts in a bucket."""
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=RECEIPTS)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.setenv("RECEIPTS_BUCKET", RECEIPTS)
    reload_settings()
    notify_handler.reset()


def run_reports(clock, attempt: int = 1) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = jobs_handler.handler(scheduler_input("reports", clock.now(), attempt), JobsContext())
    after_request()  # the notify function delivers what the run committed
    return result


def attachments(email: EmailMessage) -> dict[str, list[dict[str, str]]]:
    return {
        str(a.get_filename()): list(csv.DictReader(io.StringIO(a.get_content())))  # type: ignore[arg-type]
        for a in email.iter_attachments()
    }


class Tags(HTMLParser):
    """Every tag and link of a document, as a mail client's parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def log_expense_with_receipt(phone: TwilioPhone, store, worker, words: str = "exp 12.50 fuel van & <co>") -> str:  # type: ignore[no-untyped-def]
    """The worker logs an expense by text; its receipt is then in the bucket, as the MMS path leaves it."""
    phone.text(words)
    expense = max(
        store.worker_expenses(worker.worker_id, date(2026, 1, 1), date(2026, 12, 31)), key=lambda e: e.recorded_at
    )
    key = f"receipts/{worker.org_id}/{worker.worker_id}/{expense.expense_id}.jpg"
    boto3.client("s3", region_name="us-east-1").put_object(Bucket=RECEIPTS, Key=key, Body=b"JPEG receipt")
    store.attach_receipt(expense, key)
    return key


def test_the_daily_summary_goes_once_at_the_orgs_time_with_what_a_manager_reads(  # type: ignore[no-untyped-def]
    mail, ana, manager, clock, store, notices
):
    # Given Ana's day by text: in at 07:58 at north-site, a 32-minute lunch, an expense, out at 17:00
    phone = TwilioPhone(ana.phone)
    phone.text("in north-site")
    clock.set(ny(16, 12))
    phone.text("lunch")
    clock.set(ny(16, 12, 32))
    phone.text("back")
    clock.set(ny(16, 16, 50))
    key = log_expense_with_receipt(phone, store, ana)
    clock.set(ny(16, 17))
    phone.text("out")

    # When the reports schedule fires a minute before the org's summary time: only last week's
    # timesheet was due (Monday 08:00), no summary yet
    clock.set(ny(16, 17, 59))
    assert run_reports(clock)["ran"] == 1
    [(_, weekly)] = sent_emails()
    assert weekly["Subject"].startswith("Punchclock weekly timesheet - Acme Field Services - 2026-11-09 to 2026-11-15")

    # When it fires at 18:00 New York time
    clock.set(ny(16, 18))
    assert run_reports(clock) == {"job": "reports", "due": 1, "ran": 1, "emails": 1, "skipped": 0, "failed": 0}

    # Then the manager has one email: the org's address and Mia's own are the same, sent once
    [(to, email)] = sent_emails()[1:]
    assert to == {"boss@acme.test"}
    assert email["Subject"] == "Punchclock daily summary - Acme Field Services - 2026-11-16: 1 worked, 8h 30m, OT 0m"
    text, html = part(email, "plain"), part(email, "html")
    assert "Ana Lopez | 07:58 | 17:00 | 8h 30m | 0m | 32m | 8h 30m | 0m | north-site | -" in text
    assert "Total | - | - | 8h 30m | 0m | 32m | 8h 30m | 0m | - | -" in text
    assert "Ana Lopez | fuel | 12.50 USD | van & <co> | view https://" in text
    # The HTML parses, uses tables only, links only to the receipt (presigned, 7 days), escapes the note
    tags = parsed(html)
    assert tags.tags <= ALLOWED_TAGS, tags.tags - ALLOWED_TAGS
    [link] = tags.links
    assert urlsplit(link).path == f"/{key}" and "X-Amz-Expires=604800" in link
    assert requests.get(link, timeout=5).content == b"JPEG receipt"  # moto serves what the link signs
    assert "van &amp; &lt;co&gt;" in html and "<co>" not in html
    assert len(html.encode()) < 102 * 1024
    files = attachments(email)
    assert sorted(files) == [
        "punchclock-acme-2026-11-16-expenses.csv",
        "punchclock-acme-2026-11-16-punches.csv",
        "punchclock-acme-2026-11-16.csv",
    ]
    assert [(r["kind"], r["at"]) for r in files["punchclock-acme-2026-11-16-punches.csv"]] == [
        ("clock_in", "2026-11-16 07:58"),
        ("break_start", "2026-11-16 12:00"),
        ("break_end", "2026-11-16 12:32"),
        ("clock_out", "2026-11-16 17:00"),
    ]
    [expense] = files["punchclock-acme-2026-11-16-expenses.csv"]
    assert (expense["amount"], expense["currency"], expense["receipt_url"]) == ("12.50", "USD", link)

    # When Scheduler retries the same run, and the stream delivers the notices again
    assert run_reports(clock, attempt=2)["ran"] == 0
    notices.drain()
    clock.set(ny(16, 18, 5))
    assert run_reports(clock)["ran"] == 0
    # Then nothing is sent twice
    assert len(sent_emails()) == 2


def schedule_from(store, org, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """The org's runs placed as saving it at `now` would place them."""
    for run in all_jobs(org, now, {}):
        store.table.put(Put(job_to_item(run)))


def weekly_email(subject_start: str) -> EmailMessage:
    [email] = [email for _, email in sent_emails() if email["Subject"].startswith(subject_start)]
    return email


def test_the_weekly_timesheet_has_each_day_overtime_a_gusto_file_and_the_expense_report(  # type: ignore[no-untyped-def]
    mail, ana, manager, clock, store
):
    # Given Ana works 07:00-16:00 Monday to Friday (45 h: five over the FLSA's 40) and logs fuel
    phone = TwilioPhone(ana.phone)
    for day in range(16, 21):
        clock.set(ny(day, 7))
        phone.text("in north-site")
        clock.set(ny(day, 16))
        phone.text("out")
    key = log_expense_with_receipt(phone, store, ana)
    assert TwilioPhone(manager.phone).text("APPROVE").startswith("Approved")  # reimbursed once approved

    # When the schedule fires on the next Monday at 08:00, the start of the org's workweek
    clock.set(ny(23, 7, 59))
    run_reports(clock)
    assert [e for _, e in sent_emails() if "2026-11-16 to" in e["Subject"]] == []
    clock.set(ny(23, 8))
    run_reports(clock)

    # Then the week's timesheet went to the manager, with the week's overtime under the FLSA
    email = weekly_email("Punchclock weekly timesheet - Acme Field Services - 2026-11-16 to 2026-11-22")
    assert email["Subject"].endswith(": 1 worked, 45h 00m, OT 5h 00m")
    text = part(email, "plain")
    assert "1 worked, 45h 00m hours worked: 40h 00m regular, 5h 00m overtime, 0m double time." in text
    # Friday's nine hours: one regular, the rest overtime (40 h were reached during it)
    row = "Ana Lopez | 9h 00m | 9h 00m | 9h 00m | 9h 00m | 9h 00m, OT 5h 00m | - | - | 40h 00m | 5h 00m | 0m | 0m"
    assert row + " | 45h 00m | meal missed (Mon, Tue, Wed, Thu, Fri)" in text
    html = part(email, "html")
    assert parsed(html).tags <= ALLOWED_TAGS
    files = attachments(email)
    days = files["punchclock-acme-week-2026-11-16-days.csv"]
    assert [r["day"] for r in days] == [f"2026-11-{d}" for d in range(16, 23)]
    assert [(r["hours_worked"], r["regular_hours"], r["overtime_hours"]) for r in days[3:5]] == [
        ("9.00", "9.00", "0.00"),
        ("9.00", "4.00", "5.00"),
    ]
    assert days[5]["hours_worked"] == "0.00" and days[0]["jobs"] == "north-site"
    assert files["punchclock-acme-week-2026-11-16-gusto.csv"] == [
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "regular_hours": "40.00",
            "overtime_hours": "5.00",
            "double_overtime_hours": "0.00",
            "reimbursement": "12.50",
        }
    ]
    [expense] = files["punchclock-acme-week-2026-11-16-expenses.csv"]
    assert (expense["worker"], expense["amount"], expense["currency"], expense["category"]) == (
        "Ana Lopez",
        "12.50",
        "USD",
        "fuel",
    )
    assert urlsplit(expense["receipt_url"]).path == f"/{key}"

    # A retried run, and the next ones, send that week's timesheet nothing more
    run_reports(clock, attempt=2)
    clock.set(ny(23, 8, 5))
    run_reports(clock)
    assert len([e for _, e in sent_emails() if "2026-11-16 to" in e["Subject"]]) == 1


@pytest.mark.parametrize(
    ("month", "day", "hours", "summary_utc", "week_first", "weekly_utc"),
    [
        # Fall back (Sun 1 Nov): 00:00-08:00 is 9 h; 18:00 is EST, 23:00 UTC; the week ends that day
        (
            11,
            1,
            "9h 00m",
            datetime(2026, 11, 1, 23, 0, tzinfo=UTC),
            "2026-10-26",
            datetime(2026, 11, 2, 13, tzinfo=UTC),
        ),
        # Spring forward (Sun 8 Mar): 00:00-08:00 is 7 h; 18:00 is EDT, 22:00 UTC
        (3, 8, "7h 00m", datetime(2026, 3, 8, 22, 0, tzinfo=UTC), "2026-03-02", datetime(2026, 3, 9, 12, tzinfo=UTC)),
    ],
)
def test_a_dst_day_gets_one_summary_at_local_time_and_its_week_counts_the_real_hours(  # type: ignore[no-untyped-def]
    mail, ana, clock, store, org, month, day, hours, summary_utc, week_first, weekly_utc
):
    # Given the schedule as it stood the day before, and Ana's night 00:00-08:00 on the clock of the day
    clock.set(ny(day, 0, month=month) - timedelta(hours=12))
    schedule_from(store, org, clock.now())
    phone = TwilioPhone(ana.phone)
    clock.set(ny(day, 0, month=month))
    phone.text("in")
    clock.set(ny(day, 8, month=month))
    assert phone.text("out").startswith(f"Clocked out 08:00. Shift {hours} since 00:00.")
    iso = f"2026-{month:02d}-{day:02d}"

    # When the schedule fires every five minutes through the day: the summary goes at 18:00 local, once
    clock.set(summary_utc - timedelta(minutes=1))
    run_reports(clock)
    assert [e for _, e in sent_emails() if iso in e["Subject"] and "daily" in e["Subject"]] == []
    clock.set(summary_utc)
    run_reports(clock)
    clock.set(summary_utc + timedelta(minutes=5))
    run_reports(clock)
    [summary] = [e for _, e in sent_emails() if f"- {iso}:" in e["Subject"]]
    assert summary["Subject"].endswith(f": 1 worked, {hours}, OT 0m")
    assert f"Ana Lopez | 00:00 | 08:00 | {hours} |" in part(summary, "plain")

    # And the week that holds the day is reported on the next Monday at 08:00 local, with those hours
    clock.set(weekly_utc - timedelta(minutes=1))
    run_reports(clock)
    assert [e for _, e in sent_emails() if f"- {week_first} to" in e["Subject"]] == []
    clock.set(weekly_utc)
    run_reports(clock)
    week = weekly_email(f"Punchclock weekly timesheet - Acme Field Services - {week_first} to {iso}")
    days = attachments(week)[f"punchclock-acme-week-{week_first}-days.csv"]
    assert [(r["day"], r["hours_worked"]) for r in days if r["hours_worked"] != "0.00"] == [
        (iso, "9.00" if month == 11 else "7.00")
    ]


HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.test","pay")',
    "+1 Plus",
    "-2 Minus",
    "@SUM(A1) At",
    "\tTab Tom",
    "<img src=x onerror=alert(1)> Eve",
]


def test_what_people_typed_is_escaped_in_the_html_and_inert_in_every_csv(  # type: ignore[no-untyped-def]
    mail, manager, clock, store, org, ports
):
    from dataclasses import replace

    from core import commands as c
    from core.domain.model import Channel, Worker
    from core.domain.transitions import Origin
    from core.services.corrections import decide_correction
    from core.services.dispatch import handle

    # Given an org whose name tries to add a header, and workers whose names, jobs, notes and
    # reasons are formulas and markup
    hostile_org = store.save_org(replace(org, name="Acme <Ops>\r\nBcc: evil@evil.test"), now=clock.now())
    schedule_from(store, hostile_org, clock.now())
    crew = [
        store.add_worker(Worker(worker_id=f"w-h{i}", org_id=org.org_id, name=name, phone=f"+1555000010{i}"))
        for i, name in enumerate(HOSTILE_NAMES)
    ]

    def say(worker, cmd, n: int) -> None:  # type: ignore[no-untyped-def]
        worker = store.get_worker(worker.worker_id, fresh=True)
        handle(cmd, worker, hostile_org, Origin(Channel.SMS, delivery_id=f"d-{worker.worker_id}-{n}"), ports)

    for worker in crew:
        say(worker, c.ClockIn(job="=cmd|' /C calc'!A0 <b>yard</b>"), 1)
    clock.set(ny(16, 12))
    for worker in crew:
        say(worker, c.LogExpense(Decimal("9.99"), "fuel", note="=1+2 <script>alert(2)</script>\t@x"), 2)
        say(worker, c.ClockOut(at=time(11, 30), reason="-rm <u>bus</u>"), 3)  # a correction, pending
    # One correction is approved today: it is listed with its reason
    first = store.pending_corrections(org.org_id)[0]
    decide_correction(manager, hostile_org, first.event_id, True, Origin(Channel.SLACK, "click-1"), ports)

    # When the daily summary goes
    clock.set(ny(16, 18))
    run_reports(clock)

    # Then the subject is one line (no header of its own), the HTML shows every name as text
    [email] = [e for _, e in sent_emails() if "daily summary" in e["Subject"]]
    assert email["Bcc"] is None and "\n" not in email["Subject"] and "\r" not in email["Subject"]
    html = part(email, "html")
    tags = parsed(html)
    assert tags.tags <= ALLOWED_TAGS, tags.tags - ALLOWED_TAGS
    assert all(link.startswith("https://") for link in tags.links)
    for raw in ("<img", "<script", "<b>", "<u>", "<Ops>"):
        assert raw not in html, raw
    shown = "".join(tags.text)
    for name in HOSTILE_NAMES:
        assert name.strip() in shown, name
    assert "=1+2 <script>alert(2)</script>" in shown and "-rm <u>bus</u>" in shown
    # And no cell of any attachment starts as a spreadsheet formula
    files = attachments(email)
    assert len(files) == 3
    cells = [cell for rows in files.values() for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    workers = [row["worker"] for row in files["punchclock-acme-2026-11-16.csv"]]
    assert '\'=HYPERLINK("http://evil.test","pay")' in workers and "'\tTab Tom" in workers
    decided = [row for row in files["punchclock-acme-2026-11-16-punches.csv"] if row["decision"] == "approved"]
    assert [row["correction_reason"] for row in decided] == ["'-rm <u>bus</u>"]
    assert "Corrections decided on Mon 16 Nov" in part(email, "plain")


def test_one_shift_reads_the_same_minutes_in_the_reply_the_timesheet_the_csv_and_the_emails(  # type: ignore[no-untyped-def]
    mail, ana, manager, clock, store, org, ports, capsys
):
    from bot.cli import main
    from core.domain.model import Worker

    # Given a shift of 4 min 40 s (it read "4m" in the reply and "5m" in /timesheet before)
    phone = TwilioPhone(ana.phone)
    phone.text("in")
    clock.advance(minutes=4, seconds=40)
    # Then every door says 5m: the reply, the hours asked for, the CSV, the email
    assert phone.text("out") == "Clocked out 08:02. Shift 5m since 07:58. Text HOURS."
    assert phone.text("hours").startswith("This week: 5m worked, 5m on task, OT 0m, 1 day(s).")
    capsys.readouterr()  # the handlers' log lines
    assert (
        main(
            ["timesheet", "--worker", ana.worker_id, "--from", "2026-11-16", "--to", "2026-11-16", "--csv"], ports=ports
        )
        == 0
    )
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["on_task_min"], row["hours_worked_min"], row["regular_min"]) == ("5", "5", "5")

    # Given three more workers, each with a rest break of 3 min 20 s (paid): 10 min in all, 9 as shown
    for i in range(3):
        worker = store.add_worker(
            Worker(worker_id=f"w-r{i}", org_id=org.org_id, name=f"Rest {i}", phone=f"+155500002{i}0")
        )
        rest = TwilioPhone(worker.phone)
        clock.set(ny(16, 9))
        rest.text("in")
        clock.set(ny(16, 9, 10))
        rest.text("break")
        clock.advance(minutes=3, seconds=20)
        rest.text("back")
        clock.set(ny(16, 10))
        rest.text("out")

    clock.set(ny(16, 18))
    run_reports(clock)
    [email] = [e for _, e in sent_emails() if "daily summary" in e["Subject"]]
    text = part(email, "plain")
    assert "Ana Lopez | 07:58 | 08:02 | 5m | 0m | 0m | 5m | 0m | - | -" in text
    assert "Rest 0 | 09:00 | 10:00 | 57m | 3m | 0m | 1h 00m | 0m | - | -" in text
    # The total is the sum of the rows as shown: 3 x 3m paid breaks is 9m, not the 10m of their seconds
    assert "Total | - | - | 2h 56m | 9m | 0m | 3h 05m | 0m | - | -" in text
    assert email["Subject"].endswith(": 4 worked, 3h 05m, OT 0m")
    day_rows = attachments(email)["punchclock-acme-2026-11-16.csv"]
    assert sum(int(r["paid_break_min"]) for r in day_rows) == 9
    assert [r["hours_worked_min"] for r in day_rows if r["worker"] == "Ana Lopez"] == ["5"]

    # And the week's timesheet says the same: 5m on Monday, 0.08 h in the payroll files
    clock.set(ny(23, 8))
    run_reports(clock)
    week = weekly_email("Punchclock weekly timesheet - Acme Field Services - 2026-11-16")
    assert "Ana Lopez | 5m | - | - | - | - | - | - | 5m | 0m | 0m | 0m | 5m | -" in part(week, "plain")
    gusto = attachments(week)["punchclock-acme-week-2026-11-16-gusto.csv"]
    assert [r["regular_hours"] for r in gusto if r["first_name"] == "Ana"] == ["0.08"]


def test_the_cli_the_schedule_and_a_send_from_the_cli_make_the_same_email(  # type: ignore[no-untyped-def]
    mail, ana, manager, clock, ports, capsys, tmp_path
):
    import json

    from bot.cli import main

    # Given Ana's day
    phone = TwilioPhone(ana.phone)
    phone.text("in north-site")
    clock.set(ny(16, 16, 30))
    phone.text("out")
    clock.set(ny(16, 18))

    # When an admin renders the day's summary to a folder, then the schedule sends it, then the
    # admin sends it again from the command line
    capsys.readouterr()
    assert main(["report", "daily", "--org", "acme", "--date", "2026-11-16", "--out", str(tmp_path)], ports=ports) == 0
    written = json.loads(capsys.readouterr().out)
    run_reports(clock)
    capsys.readouterr()  # the functions' log lines
    assert main(["report", "daily", "--org", "acme", "--date", "2026-11-16", "--send"], ports=ports) == 0
    queued = json.loads(capsys.readouterr().out)
    after_request()

    # Then the folder holds the HTML (it parses), the text and the attachments
    assert written["files"] == [
        "email.html",
        "email.txt",
        "punchclock-acme-2026-11-16-punches.csv",
        "punchclock-acme-2026-11-16.csv",
    ]
    html = (tmp_path / "email.html").read_text()
    assert parsed(html).tags <= ALLOWED_TAGS
    assert (tmp_path / "email.txt").read_text().startswith(f"Subject: {written['subject']}\n\n")
    assert queued == {"report": "daily", "period": "2026-11-16", "queued": 1, "to": ["boss@acme.test"]}
    # And the scheduled email and the one sent from the CLI are that same email
    scheduled, sent = [email for _, email in sent_emails() if "daily summary" in email["Subject"]]
    for email in (scheduled, sent):
        assert email["Subject"] == written["subject"]
        assert part(email, "html").rstrip() == html
        assert {a.get_filename(): a.get_content() for a in email.iter_attachments()} == {
            name: (tmp_path / name).read_text() for name in written["files"] if name.endswith(".csv")
        }


def test_the_weekly_report_from_the_cli_names_its_workweek_and_refuses_what_it_cannot_send(  # type: ignore[no-untyped-def]
    mail, ana, clock, ports, capsys, store, org
):
    from dataclasses import replace

    from bot.cli import main

    phone = TwilioPhone(ana.phone)
    phone.text("in")
    clock.set(ny(16, 12))
    phone.text("out")
    capsys.readouterr()
    # A day of the week names its workweek (the org's starts on Monday)
    assert main(["report", "weekly", "--org", "acme", "--week-start", "2026-11-18"], ports=ports) == 0
    out = capsys.readouterr().out
    assert out.startswith("Subject: Punchclock weekly timesheet - Acme Field Services - 2026-11-16 to 2026-11-22: ")
    assert "punchclock-acme-week-2026-11-16-gusto.csv" in out
    # Nobody to send to: refused, nothing queued
    store.save_org(replace(org, manager_emails=()), now=clock.now())
    assert main(["report", "weekly", "--org", "acme", "--week-start", "2026-11-16", "--send"], ports=ports) == 2
    assert "no recipients" in capsys.readouterr().err
    assert main(["report", "weekly", "--org", "nope", "--week-start", "2026-11-16"], ports=ports) == 2
    # With --to it goes to that address
    assert (
        main(
            ["report", "weekly", "--org", "acme", "--week-start", "2026-11-16", "--send", "--to", "pay@acme.test"],
            ports=ports,
        )
        == 0
    )
    after_request()
    [(to, email)] = [(to, e) for to, e in sent_emails() if "weekly" in e["Subject"]]
    assert to == {"pay@acme.test"} and email["Subject"].endswith(": 1 worked, 4h 02m, OT 0m")
