"""Observability: what the functions print during a day is what operators need and nothing more.

- Logs carry ids (worker, org, delivery, notice), never a person's name, phone number, email or
  anything they typed.
- Metrics (CloudWatch embedded metric format, one line per invocation) count commands, refusals,
  failures on our side, replies sent, requests refused unread, notices delivered and failed, and
  job runs: the figures the template's alarms watch.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections import Counter
from typing import Any

import pytest

from bot import metrics as door_metrics
from bot.sms import twilio_handler
from core.domain.model import Role, Worker
from notifications import jobs_handler, notify_handler
from tests.integration.sms.helpers import LambdaContext, twilio_event, twilio_form
from tests.reliability.conftest import Fault, Rig

# Everything a person is or typed today: none of it may reach a log line.
SECRET_NAME = "Quilla Marrowbright"
SECRET_PHONE = "+15557654321"
SECRET_EMAIL = "quilla.private@acme.test"
TYPED = ("kumquatsauce", "brambleworth", "lanternfish", "sunflowerlot", "oysterbay")


def _lines(out: str) -> list[dict[str, Any]]:
    found = []
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def _metrics(lines: list[dict[str, Any]]) -> Counter[str]:
    """The sum of each metric over every flushed metric line."""
    total: Counter[str] = Counter()
    for line in lines:
        if "_aws" not in line:
            continue
        for directive in line["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == "Punchclock"
            assert directive["Dimensions"] == [["service"]] and line["service"] == "punchclock"  # as alarmed
            for metric in directive["Metrics"]:
                value = line[metric["Name"]]
                total[metric["Name"]] += int(sum(value) if isinstance(value, list) else value)
    return total


@pytest.fixture
def log_sink(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Every log handler's stream (Powertools', Bolt's, the libraries'), written here instead: they
    hold the stream they were built with, so capturing stdout misses them."""
    sink = io.StringIO()
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for each in loggers:
        for handler in getattr(each, "handlers", []):
            if isinstance(handler, logging.StreamHandler):
                monkeypatch.setattr(handler, "stream", sink)
    return sink


@pytest.fixture
def quilla(rig: Rig, org, store) -> Worker:  # type: ignore[no-untyped-def]
    return store.add_worker(
        Worker(
            worker_id="w-quilla",
            org_id=org.org_id,
            name=SECRET_NAME,
            phone=SECRET_PHONE,
            slack_team_id="T0ACME",
            slack_user_id="U0QUILLA",
            email=SECRET_EMAIL,
            role=Role.WORKER,
        )
    )


def test_a_day_logs_ids_never_names_phones_or_what_people_typed_and_counts_what_operators_watch(  # type: ignore[no-untyped-def]
    rig, quilla, manager, clock, capfd, log_sink, monkeypatch
):
    # In Lambda the environment is set before the handlers import; here they were imported first
    for emitter in (door_metrics.metrics, notify_handler.metrics, jobs_handler.metrics):
        monkeypatch.setattr(emitter, "service", "punchclock")
    capfd.readouterr()  # what the fixtures printed
    phone = SECRET_PHONE
    # Given a day of Quilla's, by text and in Slack, with words of her own everywhere
    assert rig.text(phone, f"in {TYPED[0]}").startswith("Clocked in 07:58")
    clock.advance(hours=4)
    assert rig.text(phone, "lunch").startswith("Meal break started")
    clock.advance(minutes=30)
    assert rig.slack.command("/back", user="U0QUILLA").text.startswith("Break 30m.")
    assert "logged" in rig.text(phone, f"exp 12.50 {TYPED[1]}")
    assert "logged" in rig.slack.command("/expense", f"48.20 parts {TYPED[2]}", user="U0QUILLA").text
    assert rig.text(phone, f"{TYPED[3]} please").startswith("Try IN, OUT")  # not a command: a refusal
    clock.advance(hours=5)
    assert "Sent to your manager for approval." in rig.text(phone, f"out 16:00 {TYPED[4]}")
    assert rig.text(str(manager.phone), "APPROVE").startswith("Approved #1 ")
    # one failure on our side, and two requests refused unread
    rig.faults.arm(Fault.INTERNAL, at=1)
    assert rig.text(phone, "status").startswith("Sorry, something went wrong")
    forged = twilio_event(twilio_form(phone, f"in {TYPED[0]}", f"SM{uuid.uuid4().hex}"), signature="forged")
    assert twilio_handler.handler(forged, LambdaContext())["statusCode"] == 403
    assert rig.slack.command("/clockin", TYPED[0], user="U0QUILLA", secret="not-the-secret").status == 401
    rig.job("reminders")
    out, err = capfd.readouterr()

    # Then no log line names her, her number, her email or anything she typed
    logged = log_sink.getvalue() + out + err
    said_to_log = [
        secret for secret in (SECRET_NAME, "Marrowbright", phone, phone[2:], SECRET_EMAIL, *TYPED) if secret in logged
    ]
    assert not said_to_log
    # And the lines say whose request it was by id
    lines = _lines(logged)
    assert any(line.get("worker_id") == quilla.worker_id and line.get("delivery_id") for line in lines)
    assert any(line.get("worker_id") == quilla.worker_id and line.get("message") == "slack command" for line in lines)

    # And the metrics count what happened: 9 answered (one failure on our side, one refusal), a
    # reply to each, two requests refused unread, the notices delivered, one job run
    counted = _metrics(lines)
    assert counted["Commands"] == 9, counted
    assert counted["CommandFailures"] == 1, counted
    assert counted["Refusals"] == 1, counted
    assert counted["RepliesSent"] == 9, counted
    assert counted["RequestsRefused"] == 2, counted
    assert counted["NoticesDelivered"] >= 2 and counted["NoticesFailed"] == 0, counted
    assert counted["JobRuns"] == 1, counted
