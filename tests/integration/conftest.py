"""Fixtures of the integration tests that need a whole deployment: Slack and Twilio both set up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import reload_settings
from tests.integration.slack.fake_slack import FakeSlack
from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.integration.sms.helpers import BASE_URL, OUR_NUMBER


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def twilio_api() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def deployment(monkeypatch, slack_api, twilio_api, ports, org, notices):  # type: ignore[no-untyped-def]
    """A deployment with Slack and Twilio both set up, its doors and notify function on the test's ports."""
    slack_api.reset()
    twilio_api.reset()
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-notices-test",
        "SLACK_API_URL": f"{slack_api.url}api/",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": OUR_NUMBER,
        "TWILIO_API_URL": twilio_api.url,
        "PUBLIC_BASE_URL": BASE_URL,
        "SMS_PROVIDER": "twilio",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RECEIPTS_BUCKET", raising=False)
    reload_settings()
    from bot.sms import wiring

    wiring.door.cache_clear()
    yield
    wiring.door.cache_clear()
