"""Budgets as counts: DynamoDB calls per SMS command, and what the Twilio handler loads at cold start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.sms.wiring import Provider
from tests.integration.sms.conftest import make_door
from tests.integration.sms.helpers import TwilioPhone

# A warm container: the phone -> worker lookup, the worker and the org are cached.
WARM_BUDGET = [
    ("in", 1),  # TransactWriteItems
    ("break", 1),
    ("back", 1),
    ("status", 1),  # the worker as stored now and what of theirs waits for a manager: one query
    ("exp 12.50 fuel", 2),  # is a receipt waiting? + TransactWriteItems
    ("help", 0),
    ("blah", 0),
    ("out", 1),
]


def test_dynamodb_calls_per_command_in_a_warm_container(ana_phone, calls, clock, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("tests.conftest.AFTER_REQUEST", [])  # the door's calls only: notices go out later
    ana_phone.text("status")  # warms the container's caches, as the first text after a cold start does
    spent = {}
    for text, _ in WARM_BUDGET:
        clock.advance(minutes=10)
        calls.reset()
        ana_phone.text(text)
        spent[text] = calls.total
    print("\nDynamoDB calls per SMS command (warm):", json.dumps(spent))
    assert spent == dict(WARM_BUDGET), calls.calls


def test_dynamodb_calls_for_the_first_text_of_a_cold_container(
    monkeypatch, twilio_door, ana, calls, ports, bucket, twilio
):  # type: ignore[no-untyped-def]
    from bot.sms import wiring

    monkeypatch.setattr("tests.conftest.AFTER_REQUEST", [])  # the door's calls only
    ports.store.forget_cache()
    cold = make_door(Provider.TWILIO, ports)
    monkeypatch.setattr(wiring, "door", lambda provider: cold)
    calls.reset()
    TwilioPhone(ana.phone).text("in")
    # phone lookup + worker + org + TransactWriteItems
    assert calls.total == 4, calls.calls


def test_a_stranger_costs_three_calls_and_one_write(twilio_door, calls):  # type: ignore[no-untyped-def]
    stranger = TwilioPhone("+15550000888")
    calls.reset()
    stranger.text("hi")
    first = calls.total
    calls.reset()
    stranger.text("hi again")
    # lookup + claim + has it sent STOP?; then lookup + failed claim + is it the text we answered?
    assert (first, calls.total) == (3, 3), calls.calls


def test_a_photo_without_words_costs_one_marker_write(ana_phone, twilio, calls):  # type: ignore[no-untyped-def]
    url = twilio.add_media("MEz", b"\xff\xd8photo", "image/jpeg")
    ana_phone.text("status")
    calls.reset()
    ana_phone.text("", media=((url, "image/jpeg"),))
    assert calls.total == 1, calls.calls


_PROBE = """
import json, sys, time
start = time.perf_counter()
import bot.sms.twilio_handler
elapsed = time.perf_counter() - start
heavy = [m for m in ("boto3", "botocore.client", "twilio.rest", "requests", "slack_sdk") if m in sys.modules]
print(json.dumps({"seconds": elapsed, "heavy": heavy}))
"""


@pytest.mark.slow
def test_the_twilio_handler_imports_light_at_cold_start() -> None:
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    seconds = sorted(run["seconds"] for run in runs)[1]
    print(f"\nimport bot.sms.twilio_handler: {seconds:.3f} s (median of 3, .pyc present)")
    # Only twilio.request_validator and twilio.twiml, and the settings (pydantic) that say which
    # token checks the signature (Powertools loads botocore's bare package, 1 ms, for its user
    # agent; not botocore's client machinery). boto3 waits for the first genuine request, so a
    # forged one costs no DynamoDB client; nothing here ever texts or calls Slack.
    assert runs[0]["heavy"] == []
