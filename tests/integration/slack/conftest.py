"""The Slack door under moto: the real Lambda handler, a fake Slack on loopback, lazy listeners in-process."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from bot.slack import handler as slack_lambda
from tests.conftest import TABLE
from tests.integration.slack.driver import BOT_TOKEN, SIGNING_SECRET, InProcessLambda, SlackDriver
from tests.integration.slack.fake_slack import FakeSlack

RECEIPTS = "punchclock-receipts-test"
SENDER = "punchclock@acme.test"


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def receipts(aws: None) -> str:
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=RECEIPTS)
    return RECEIPTS


@pytest.fixture
def ses(aws: None) -> str:
    """SES with the sender's identity verified, as a deployment must have it."""
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    return SENDER


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack) -> None:
    for name in (
        "SLACK_SIGNING_SECRET_PARAM",
        "SLACK_BOT_TOKEN_PARAM",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SMS_PROVIDER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", f"{fake_slack.url}api/")
    monkeypatch.setenv("RECEIPTS_BUCKET", RECEIPTS)
    monkeypatch.setenv("SENDER_EMAIL", SENDER)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "punchclock")


@pytest.fixture
def slack(
    slack_env: None, monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack, ports, org, receipts, notices
) -> Iterator[SlackDriver]:  # type: ignore[no-untyped-def]
    """A warm-able container: the door is built on the first request, on the test's ports (from the
    composition root); the notify function delivers each request's notices after it."""
    fake_slack.reset_all()
    lam = InProcessLambda()
    monkeypatch.setattr(slack_lambda, "make_lambda_client", lambda: lam)
    slack_lambda.reset()
    yield SlackDriver(lam, response_base=f"{fake_slack.url}respond/")
    slack_lambda.reset()
