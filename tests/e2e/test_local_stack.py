"""A worker's day through the local stack as `make run` starts it (SQLite), then a restart: nothing
is lost; the same with `--store dynamodb`; and many requests at once on either store."""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from infra.local import seed
from infra.local.emulator import Resources
from tests.e2e.conftest import StackProcess, emulated, http, punchclock, stored, wait_for

MIA = seed.PEOPLE[0]  # the manager
ANA = seed.PEOPLE[1]
# The smallest valid PNG: a receipt photo as far as the door can tell.
RECEIPT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def slack_answer(stack: StackProcess, text: str, person: seed.DemoPerson = ANA) -> dict[str, Any]:
    """Type in Slack (as Ana unless told); the command's immediate answer as the outbox holds it."""
    before = len(stack.outbox())
    sent = stack.api("POST", "/api/slack", {"user_id": person.slack_user_id, "text": text})
    assert sent["status"] == 200, sent
    replies = wait_for(f"a reply to {text}", lambda: stack.outbox()[before:])
    return dict(replies[0])


def slack(stack: StackProcess, text: str) -> str:
    """Type in Slack as Ana; the words Slack shows her."""
    return str(slack_answer(stack, text)["text"])


def sms(stack: StackProcess, text: str, media: list[dict[str, str]] | None = None) -> str:
    """Text as Ana; the reply Twilio would text back."""
    sent = stack.api("POST", "/api/sms", {"phone": ANA.phone, "text": text, "media": media or []})
    assert sent["status"] == 200 and len(sent["replies"]) == 1, sent
    return str(sent["replies"][0])


@pytest.mark.parametrize("store", ["sqlite", "dynamodb"])
def test_a_day_survives_a_restart(stack_process: StackProcess, store: str) -> None:
    stack = stack_process
    stack.store = store
    started = time.monotonic()
    stack.start()
    first_start = stack.start_seconds

    # A worker's day: Slack in, SMS break and back, Slack out, an expense with a receipt photo.
    assert slack(stack, "/clockin north-site").startswith("Clocked in ")
    assert "at north-site" in stack.outbox()[-1]["text"]
    assert "break started" in sms(stack, "BREAK")
    assert sms(stack, "back").startswith("Break 0m. On shift")
    assert slack(stack, "/clockout").startswith("Clocked out ")
    photo = {"content_type": "image/png", "data_b64": base64.b64encode(RECEIPT_PNG).decode()}
    expense_reply = sms(stack, "EXP 12.50 fuel", [photo])
    assert expense_reply.startswith("Expense 12.50 USD fuel on ") and "Receipt attached." in expense_reply
    stack.settled()
    stats = stack.api("GET", "/api/stats")
    assert stats["dead_letters"] == 0 and stats["notice_dead_letters"] == 0
    assert stats["async_invocations"] == 0  # commands answer in the ack; notices go through the outbox
    assert stats["notices_delivered"] >= 4  # Ana's Home tab after each change, from the table's stream
    assert stats["slack_api_calls"].get("views.publish", 0) >= 1  # App Home refreshed on a state change
    sent_before = stack.outbox()

    # Ctrl-C stops everything cleanly, within 3 s.
    assert stack.stop() == 0
    assert stack.stop_seconds < 3, stack.stop_seconds

    stack.start()
    # Nothing was sent again on restart, and everything sent before is still in the outbox.
    assert stack.outbox() == sent_before
    status, outbox = http("GET", stack.urls["outbox"])
    assert status == 200 and [m["text"] for m in outbox["messages"]] == [m["text"] for m in sent_before]
    assert any("Receipt attached" in m["text"] and m["channel"] == "sms" for m in sent_before)

    # The day is intact.
    assert slack(stack, "/status").startswith("Clocked out. Last out ")
    assert slack(stack, "/timesheet today").startswith("Today: ")  # a seconds-long shift: 0m, 0 day(s)
    board = {w["worker_id"]: w for w in stack.api("GET", "/api/board")["workers"]}
    assert board[ANA.worker_id]["status"] == "off"
    res = Resources()
    store = stored(stack)
    now = datetime.now(UTC)
    punches = store.worker_events(ANA.worker_id, now - timedelta(hours=1), now).punches
    assert [(p.kind.value, p.channel.value) for p in punches] == [
        ("clock_in", "slack"),
        ("break_start", "sms"),
        ("break_end", "sms"),
        ("clock_out", "slack"),
    ]
    assert punches[0].job == "north-site"

    # The receipt is in the bucket and linked to the expense.
    today = date.today()
    expenses = store.worker_expenses(ANA.worker_id, today - timedelta(days=1), today + timedelta(days=1))
    assert [(str(e.amount), e.category) for e in expenses] == [("12.50", "fuel")]
    receipt_key = expenses[0].receipt_key
    assert receipt_key
    body = emulated(stack, "s3").get_object(Bucket=res.bucket, Key=receipt_key)["Body"].read()
    assert body == RECEIPT_PNG

    assert stack.stop() == 0
    print(
        f"\nfirst start {first_start:.2f}s, restart {stack.start_seconds:.2f}s, test {time.monotonic() - started:.1f}s"
    )


def test_a_manager_emails_the_report_and_it_lands_in_the_outbox(stack_process: StackProcess) -> None:
    stack = stack_process
    stack.start()
    assert slack(stack, "/clockin north-site").startswith("Clocked in ")

    # Given the manager's /report, with its button
    report = slack_answer(stack, "/report", MIA)
    assert report["text"].startswith("Report ") and report["to"] == MIA.slack_user_id

    # When she clicks "Email this report"
    before = len(stack.outbox())
    click = stack.api(
        "POST",
        "/api/slack/action",
        {"user_id": MIA.slack_user_id, "message_id": report["id"], "action_id": "report.email"},
    )
    assert click["status"] == 200, click
    stack.settled()

    # Then the email is in the outbox as she would read it, and Slack told her where it went
    sent = wait_for(
        "the email and Slack's answers", lambda: len(stack.outbox()) >= before + 3 and stack.outbox()[before:]
    )
    [email] = [m for m in sent if m["channel"] == "email"]
    assert (email["to"], email["to_name"], email["via"]) == (MIA.email, MIA.name, "ses.send_email")
    day = date.fromisoformat(report["detail"]["blocks"][-1]["elements"][0]["value"])
    assert email["detail"]["subject"].startswith(
        f"Punchclock daily summary - Demo Field Services - {day.isoformat()}: "
    )
    assert "Ana Lopez |" in email["text"]
    assert "<td" in email["detail"]["html"] and "Ana Lopez" in email["detail"]["html"]
    assert email["detail"]["attachments"][0]["filename"] == f"punchclock-demo-{day.isoformat()}.csv"
    answers = {m["via"]: m["text"] for m in sent if m["channel"] == "slack"}
    assert answers["slack.response_url"].startswith(f"Emailing the report for {day.isoformat()} to {MIA.email}.")
    assert answers["chat.postMessage"] == f"Emailed the report for {day.isoformat()} to {MIA.email}."
    assert stack.stop() == 0


def _raw(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_each_port_answers_only_what_it_should(stack_process: StackProcess) -> None:
    urls = stack_process.start()
    # The gateway (the port a tunnel may expose) serves the template's routes and nothing else.
    assert http("GET", urls["gateway"] + "/")[0] == 404
    assert http("GET", urls["gateway"] + "/api/outbox")[0] == 404
    assert http("GET", urls["gateway"] + "/sms/twilio")[0] == 404
    # A text not signed as Twilio signs reaches the door, which refuses it.
    form = b"Body=IN&From=%2B15555550111&MessageSid=SM1"
    assert _raw(urls["gateway"] + "/sms/twilio", form, {"Content-Type": "application/x-www-form-urlencoded"}) == 403
    # The console acts as anyone: not for other host names (DNS rebinding), nor for form posts (CSRF).
    assert _raw(urls["console"] + "/api/board", headers={"Host": "rebound.example"}) == 403
    as_form = {"Content-Type": "text/plain"}
    assert _raw(urls["console"] + "/api/sms", b'{"phone": "+15555550111", "text": "IN"}', as_form) == 415
    assert stack_process.stop() == 0


@pytest.mark.parametrize("store", ["sqlite", "dynamodb"])
def test_many_requests_at_once_get_answers_and_open_one_shift_each(stack_process: StackProcess, store: str) -> None:
    stack = stack_process
    stack.store = store
    stack.start()
    workers = seed.PEOPLE[1:]

    def send(job: tuple[seed.DemoPerson, str]) -> tuple[str, int, str]:
        person, channel = job
        if channel == "sms":
            sent = stack.api("POST", "/api/sms", {"phone": person.phone, "text": "IN"})
            return person.worker_id, sent["status"], " ".join(sent["replies"])
        sent = stack.api("POST", "/api/slack", {"user_id": person.slack_user_id, "text": "/clockin"})
        return person.worker_id, sent["status"], sent["body"]

    # Given every worker clocking in four times by SMS and four times in Slack, all at once
    jobs = [(person, channel) for person in workers for channel in ("sms", "slack") * 4]
    with ThreadPoolExecutor(len(jobs)) as pool:
        answers = list(pool.map(send, jobs))

    # Then every request got a 200 and a real answer (no "something went wrong", no emulator 500)
    assert {status for _, status, _ in answers} == {200}, answers
    assert not [text for _, _, text in answers if "Sorry" in text], answers
    # And each worker has exactly one clock-in
    board = {w["worker_id"]: w for w in stack.api("GET", "/api/board")["workers"]}
    store_now = stored(stack)
    now = datetime.now(UTC)
    for person in workers:
        assert board[person.worker_id]["status"] == "on_shift"
        punches = store_now.worker_events(person.worker_id, now - timedelta(hours=1), now).punches
        assert [p.kind.value for p in punches] == ["clock_in"], person
    assert stack.stop() == 0


def test_the_local_scheduler_fires_a_reminder_and_the_daily_summary_at_fast_speed(stack_process: StackProcess) -> None:
    stack = stack_process
    stack.start()
    zone = ZoneInfo(stored(stack).get_org(seed.ORG_ID).timezone)
    assert stack.stop() == 0
    # Given the demo org reminds after a minute on shift and sends its summary half an hour from now,
    # set by the operator's CLI while the stack is stopped
    now = datetime.now(zone)
    summary_at = (now + timedelta(minutes=30)).strftime("%H:%M")
    # A summary sent less than 12 h into its workday reports the workday before (a morning summary
    # of a night crew): the workday starts 12.5 h ago here, so it reports today's, whatever the hour.
    workday_start = (now - timedelta(hours=12, minutes=30)).strftime("%H:%M")
    punchclock(
        stack,
        *("org", "update", "--id", seed.ORG_ID, "--remind-after", "1"),
        *("--summary-time", summary_at, "--workday-start", workday_start),
    )
    # and the stack runs with its scheduler, at --fast speed (a day in 10 minutes: half an hour in 12.5 seconds)
    stack.options = ["--fast"]
    stack.start()

    # When Ana clocks in by text
    assert sms(stack, "IN").startswith("Clocked in ")

    # Then a service minute later the reminder sweep reminds her in Slack
    def sent(channel: str, starts: str) -> list[dict[str, Any]]:
        return [m for m in stack.outbox() if m["channel"] == channel and m["text"].startswith(starts)]

    [reminder] = wait_for("the reminder", lambda: sent("slack", "Still clocked in since "), timeout=30)
    assert (reminder["to"], reminder["via"]) == (ANA.slack_user_id, "chat.postMessage")
    # And at the summary time the reports sweep emails Mia the day's summary
    [email] = wait_for("the daily summary", lambda: sent("email", "Punchclock daily summary"), timeout=90)
    assert email["to"] == MIA.email
    assert email["detail"]["subject"].startswith("Punchclock daily summary - Demo Field Services - ")
    assert "Ana Lopez" in email["detail"]["html"]

    # The jobs function got what Scheduler sends: the template's Input, its placeholders filled
    schedules = stack.api("GET", "/api/stats")["schedules"]
    for name, every in (("reminders", 60), ("reports", 300)):
        event = schedules[name]["last_event"]
        assert schedules[name]["every_seconds"] == every and schedules[name]["fired"] >= 1
        assert sorted(event) == ["attempt", "execution_id", "job", "schedule_arn", "scheduled_time"]
        assert event["job"] == name and event["attempt"] == "1"
        assert (
            event["schedule_arn"] == f"arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock-local-jobs/{name}"
        )
        scheduled = datetime.strptime(event["scheduled_time"], "%Y-%m-%dT%H:%M:%SZ")
        assert scheduled.second == 0 and scheduled.minute % (every // 60) == 0
    assert stack.api("GET", "/api/stats")["dead_letters"] == 0
    assert stack.stop() == 0
