"""Outbound texts: Twilio REST (against the loopback fake) and SNS (moto), chosen by SMS_PROVIDER."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from core import commands as c
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.services import enrollment
from core.settings import Settings
from notifications.sms import SmsNotSent, SnsSmsSender, TwilioSmsSender, sms_sender
from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN
from tests.integration.sms.helpers import OUR_NUMBER, sms_sent_by_sns

CLI = Origin(Channel.CLI)  # as `punchclock worker invite` calls it


def sender_from_env(origination: str | None = None):  # type: ignore[no-untyped-def]
    """The sender a container builds from its environment."""
    return sms_sender(Settings.from_env(os.environ), origination)


def test_twilio_sends_from_our_number_with_the_accounts_credentials(twilio):  # type: ignore[no-untyped-def]
    sender = TwilioSmsSender(ACCOUNT_SID, AUTH_TOKEN, from_number=OUR_NUMBER, api_url=twilio.url)
    sid = sender.send("+15550000001", "Still clocked in since 08:01. Reply OUT 17:00 or STILL.")
    [sent] = twilio.sent
    assert sid == sent["sid"]
    assert sent["To"] == "+15550000001" and sent["From"] == OUR_NUMBER
    assert sent["Body"] == "Still clocked in since 08:01. Reply OUT 17:00 or STILL."


def test_twilio_can_send_through_a_messaging_service(twilio):  # type: ignore[no-untyped-def]
    TwilioSmsSender(ACCOUNT_SID, AUTH_TOKEN, messaging_service_sid="MG" + "2" * 32, api_url=twilio.url).send(
        "+15550000001", "hi"
    )
    assert twilio.sent[0]["MessagingServiceSid"] == "MG" + "2" * 32 and "From" not in twilio.sent[0]


def test_twilio_refusing_a_number_that_sent_stop_is_a_clear_error(twilio):  # type: ignore[no-untyped-def]
    twilio.blocked.add("+15550000001")
    sender = TwilioSmsSender(ACCOUNT_SID, AUTH_TOKEN, from_number=OUR_NUMBER, api_url=twilio.url)
    with pytest.raises(SmsNotSent) as refused:
        sender.send("+15550000001", "hi")
    assert refused.value.code == "21610"


def test_wrong_twilio_credentials_are_a_clear_error(twilio):  # type: ignore[no-untyped-def]
    sender = TwilioSmsSender(ACCOUNT_SID, "wrong", from_number=OUR_NUMBER, api_url=twilio.url)
    with pytest.raises(SmsNotSent) as refused:
        sender.send("+15550000001", "hi")
    assert refused.value.code == "20003"


def test_sns_publishes_to_the_phone_number(aws):  # type: ignore[no-untyped-def]
    message_id = SnsSmsSender(origination_number=OUR_NUMBER).send("+15550000001", "Texts are back on.")
    assert message_id
    assert sms_sent_by_sns() == [("+15550000001", "Texts are back on.")]


def test_twilio_from_may_name_a_messaging_service(sms_env, monkeypatch, twilio):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TWILIO_FROM", "MG" + "3" * 32)
    sender_from_env().send("+15550000001", "hi")  # type: ignore[union-attr]
    assert twilio.sent[0]["MessagingServiceSid"] == "MG" + "3" * 32
    sender_from_env(origination=OUR_NUMBER).send("+15550000001", "hi")  # type: ignore[union-attr]
    assert twilio.sent[1]["From"] == OUR_NUMBER  # a reply goes out from the number the worker texted


def test_the_provider_is_chosen_by_sms_provider(sms_env, monkeypatch, twilio):  # type: ignore[no-untyped-def]
    assert isinstance(sender_from_env(), TwilioSmsSender)
    monkeypatch.setenv("SMS_PROVIDER", "aws")
    assert isinstance(sender_from_env(), SnsSmsSender)
    monkeypatch.setenv("SMS_PROVIDER", "carrier-pigeon")
    with pytest.raises(ValidationError, match="SMS_PROVIDER"):  # a container with it refuses to start
        sender_from_env()


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"])
def test_without_twilio_credentials_nothing_is_sent_and_nothing_crashes(sms_env, monkeypatch, missing):  # type: ignore[no-untyped-def]
    monkeypatch.delenv(missing)
    assert sender_from_env() is None


def test_what_the_cli_invite_needs_invite_then_the_notify_function_texts_the_code(  # type: ignore[no-untyped-def]
    sms_env, ports, manager, org, twilio, notices
):
    """`punchclock worker invite --phone ... --name ...`: the core makes the code with its notice, the
    notify function texts it."""
    outcome = enrollment.invite(c.Invite(phone="+15550000002", name="Ben Ortiz"), manager, org, CLI, ports)
    assert twilio.texts_to("+15550000002") == []
    notices.drain()
    assert twilio.texts_to("+15550000002") == [
        f"Acme Field Services invites you to Punchclock. Reply JOIN {outcome.data['code']} to start."
    ]
