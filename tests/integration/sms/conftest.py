"""The SMS door on moto: a receipts bucket, an inbound-SMS topic, a loopback Twilio, doors wired to the test store."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import boto3
import pytest

from bot.sms import wiring
from bot.sms.media import ReceiptBucket
from bot.sms.wiring import Door, Provider, build_door
from core import bootstrap
from core.services.ports import Ports
from infra.template import table_definition
from notifications.sms import _sns_client
from tests.conftest import TABLE, CallCounter
from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.integration.sms.helpers import BASE_URL, OUR_NUMBER, AwsPhone, TwilioPhone

BUCKET = "punchclock-receipts-test"

_NOT_HERE = (
    "TWILIO_ACCOUNT_SID_PARAM",
    "TWILIO_AUTH_TOKEN_PARAM",
    "TWILIO_FROM_PARAM",
    "SMS_ORIGINATION_NUMBER",
    "SMS_ORIGINATION_NUMBER_PARAM",
    "SLACK_BOT_TOKEN",
    "SLACK_BOT_TOKEN_PARAM",
)


@pytest.fixture(scope="session")
def loopback_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio(loopback_twilio: FakeTwilio) -> FakeTwilio:
    loopback_twilio.reset()
    return loopback_twilio


@pytest.fixture
def sms_env(monkeypatch: pytest.MonkeyPatch, twilio: FakeTwilio) -> None:
    for name in _NOT_HERE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_FROM", OUR_NUMBER)
    monkeypatch.setenv("TWILIO_API_URL", twilio.url)
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE_URL)
    monkeypatch.setenv("RECEIPTS_BUCKET", BUCKET)
    monkeypatch.setenv("SMS_PROVIDER", "twilio")


@cache
def _dynamodb() -> Any:
    return boto3.client("dynamodb", region_name="us-east-1")


@pytest.fixture
def ddb(aws: None) -> Any:
    """The root fixture's table, on one client for the session: creating a client costs more than a test."""
    client = _dynamodb()
    client.create_table(**table_definition(TABLE))
    return client


@pytest.fixture
def calls(ddb: Any) -> Iterator[CallCounter]:
    counter = CallCounter(ddb)
    yield counter
    ddb.meta.events.unregister("before-call.dynamodb.*", counter._seen)


@pytest.fixture
def bucket(aws: None) -> ReceiptBucket:
    bucket = ReceiptBucket(BUCKET)  # the module's cached client: one per test session, like one per container
    bucket.s3.create_bucket(Bucket=BUCKET)
    return bucket


@pytest.fixture
def topic_arn(aws: None) -> str:
    return str(_sns_client().create_topic(Name="punchclock-inbound-sms")["TopicArn"])


def make_door(provider: Provider, ports: Ports) -> Door:
    """The door as a container builds it from its environment, around the test's store and clock."""
    return build_door(provider, Ports(store=ports.store, clock=ports.clock), bootstrap.settings())


@pytest.fixture
def twilio_door(monkeypatch, sms_env, ports, bucket, twilio, org, notices) -> Door:  # type: ignore[no-untyped-def]
    door = make_door(Provider.TWILIO, ports)
    monkeypatch.setattr(wiring, "door", lambda provider: door)
    return door


@pytest.fixture
def aws_door(monkeypatch, sms_env, ports, bucket, twilio, org, topic_arn, notices) -> Door:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SMS_PROVIDER", "aws")
    bootstrap.reset()  # settings from the changed environment
    bootstrap.override(ports=ports)
    door = make_door(Provider.AWS, ports)
    monkeypatch.setattr(wiring, "door", lambda provider: door)
    return door


@pytest.fixture
def ana_phone(twilio_door: Door, ana) -> TwilioPhone:  # type: ignore[no-untyped-def]
    return TwilioPhone(ana.phone)


@pytest.fixture
def mia_phone(twilio_door: Door, manager) -> TwilioPhone:  # type: ignore[no-untyped-def]
    return TwilioPhone(manager.phone)


@pytest.fixture
def ana_aws(aws_door: Door, ana, topic_arn: str, clock) -> AwsPhone:  # type: ignore[no-untyped-def]
    return AwsPhone(ana.phone, topic_arn, clock)
