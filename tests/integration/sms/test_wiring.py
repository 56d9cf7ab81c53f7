"""The door a container builds from the template's environment, unpatched."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sms import wiring
from bot.sms.wiring import Provider
from core import bootstrap
from tests.integration.sms.conftest import BUCKET
from tests.integration.sms.helpers import BASE_URL, TwilioPhone


@pytest.fixture
def cold_container(sms_env, ddb, bucket) -> Iterator[None]:  # type: ignore[no-untyped-def]
    bootstrap.reset()
    wiring.door.cache_clear()
    yield
    bootstrap.reset()
    wiring.door.cache_clear()


def test_the_container_builds_its_door_from_the_environment_and_answers(cold_container, org, ana):  # type: ignore[no-untyped-def]
    door = wiring.door(Provider.TWILIO)
    assert door.public_base_url == BASE_URL
    assert door.receipts is not None and door.receipts.bucket == BUCKET
    assert door.media is not None and door.replies(None) is None  # it answers in TwiML, texts nobody
    assert wiring.door(Provider.TWILIO) is door  # once per container
    assert TwilioPhone(ana.phone).text("help").startswith("Punchclock: IN")


def test_with_a_slack_token_notices_can_reach_slack_managers(cold_container, monkeypatch):  # type: ignore[no-untyped-def]
    from notifications.senders import senders_for

    assert senders_for(bootstrap.settings(), bootstrap.ports()).slack is None
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    bootstrap.reset()
    assert type(senders_for(bootstrap.settings(), bootstrap.ports()).slack).__name__ == "SlackWebNotifier"


def test_the_org_is_read_once_per_container_not_once_per_text(twilio_door, ana_phone, ddb):  # type: ignore[no-untyped-def]
    read: list[str] = []

    def seen(params: dict, **_: object) -> None:  # type: ignore[type-arg]
        read.append(params["Key"]["PK"]["S"])  # the API's own parameters, before serialisation

    ana_phone.text("status")
    ddb.meta.events.register("before-parameter-build.dynamodb.GetItem", seen)
    try:
        assert ana_phone.text("help").startswith("Punchclock:")
        assert ana_phone.text("hours").startswith("This week:")
    finally:
        ddb.meta.events.unregister("before-parameter-build.dynamodb.GetItem", seen)
    assert read == ["WORKER#w-ana"], read  # hours reads the worker fresh (still active?), never the org
