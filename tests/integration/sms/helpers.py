"""Phones that text the real handlers: signed Twilio webhooks and SNS two-way SMS events, as AWS sends them."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends
from twilio.request_validator import RequestValidator

from bot.sms import sns_handler, twilio_handler
from tests.conftest import after_request
from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN

BASE_URL = "https://abcdefghij.execute-api.us-east-1.amazonaws.com"  # as long as the template's default
WEBHOOK_URL = BASE_URL + "/sms/twilio"
OUR_NUMBER = "+15550009999"
SMS_SEGMENT = 160
HELP_LIMIT = 2 * 153
HELP_START = "Punchclock: "

# GSM 03.38 basic character set, the part we allow ourselves: its ASCII and its Latin letters (no
# escape-table characters, no Greek). Spanish é, ñ, ü, ¿, ¡ are in it; á, í, ó, ú are not.
GSM7 = set("@$\n\r _!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
GSM7 |= set("£¥§¿¡ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü")


def assert_one_segment(text: str) -> None:
    """Plain GSM-7 and one segment; help may take two."""
    assert set(text) <= GSM7, f"not GSM-7: {sorted(set(text) - GSM7)!r} in {text!r}"
    limit = HELP_LIMIT if text.startswith(HELP_START) else SMS_SEGMENT
    assert len(text) <= limit, f"{len(text)} chars: {text!r}"


@dataclass
class LambdaContext:
    function_name: str = "punchclock-sms"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-sms"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def twilio_form(phone: str, body: str, sid: str, media: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The fields Twilio posts for an inbound SMS/MMS (and a few it adds that we ignore)."""
    form = {
        "ToCountry": "US",
        "ToState": "NY",
        "SmsMessageSid": sid,
        "NumMedia": str(len(media)),
        "ToCity": "",
        "FromZip": "10001",
        "SmsSid": sid,
        "FromState": "NY",
        "SmsStatus": "received",
        "FromCity": "NEW YORK",
        "Body": body,
        "FromCountry": "US",
        "To": OUR_NUMBER,
        "MessagingServiceSid": "MG" + "1" * 32,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": phone,
        "ApiVersion": "2010-04-01",
    }
    for i, (url, content_type) in enumerate(media):
        form[f"MediaUrl{i}"] = url
        form[f"MediaContentType{i}"] = content_type
    return form


def twilio_event(
    form: dict[str, str],
    *,
    signature: str | None = None,
    signed_url: str = WEBHOOK_URL,
    query: str = "",
    base64_body: bool = True,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event for Twilio's POST, signed as Twilio signs it."""
    url = f"{signed_url}?{query}" if query else signed_url
    if signature is None:
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    body = urlencode(form)
    return {
        "version": "2.0",
        "routeKey": "POST /sms/twilio",
        "rawPath": "/sms/twilio",
        "rawQueryString": query,
        "headers": {
            "accept": "*/*",
            "content-type": "application/x-www-form-urlencoded",
            "host": "abcdefghij.execute-api.us-east-1.amazonaws.com",
            "i-twilio-idempotency-token": str(uuid.uuid4()),
            "user-agent": "TwilioProxy/1.1",
            "x-forwarded-proto": "https",
            "x-home-region": "us1",
            "x-twilio-signature": signature,
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdefghij",
            "domainName": "abcdefghij.execute-api.us-east-1.amazonaws.com",
            "http": {"method": "POST", "path": "/sms/twilio", "protocol": "HTTP/1.1", "sourceIp": "54.172.60.1"},
            "requestId": "req",
            "routeKey": "POST /sms/twilio",
            "stage": "$default",
        },
        "body": base64.b64encode(body.encode()).decode() if base64_body else body,
        "isBase64Encoded": base64_body,
    }


def twiml_message(response: dict[str, Any]) -> str:
    """The reply text in a TwiML response ("" for `<Response />`)."""
    assert response["statusCode"] == 200, response
    assert response["headers"]["Content-Type"] == "text/xml"
    root = ElementTree.fromstring(response["body"])
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return (messages[0].text or "") if messages else ""


class TwilioPhone:
    """A phone texting our Twilio number: each text goes through the real webhook handler."""

    def __init__(self, number: str) -> None:
        self.number = number
        self.last_sid = ""

    def text(
        self, body: str = "", *, media: tuple[tuple[str, str], ...] = (), sid: str | None = None, **form: str
    ) -> str:
        self.last_sid = sid or new_sid()
        fields = twilio_form(self.number, body, self.last_sid, media) | form
        reply = twiml_message(twilio_handler.handler(twilio_event(fields), LambdaContext()))
        after_request()  # the notify function, on what the text committed
        if reply:
            assert_one_segment(reply)
        return reply


def sns_sms_event(topic_arn: str, payload: dict[str, Any], published: datetime) -> dict[str, Any]:
    """The event SNS gives Lambda for a two-way SMS published to the topic."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic_arn}:{uuid.uuid4()}",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": str(uuid.uuid4()),
                    "TopicArn": topic_arn,
                    "Subject": None,
                    "Message": json.dumps(payload),
                    "Timestamp": published.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7f",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
                    "UnsubscribeUrl": f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={topic_arn}:0",
                    "MessageAttributes": {},
                },
            }
        ]
    }


def sms_sent_by_sns() -> list[tuple[str, str]]:
    """(phone, text) of every SMS published through moto's SNS, oldest first."""
    return list(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values())


class AwsPhone:
    """A phone texting our AWS number: each text becomes the SNS event End User Messaging publishes."""

    def __init__(self, number: str, topic_arn: str, clock: Any) -> None:
        self.number = number
        self.topic_arn = topic_arn
        self.clock = clock
        self.last_id = ""

    def event(self, body: str, message_id: str | None = None, published: datetime | None = None) -> dict[str, Any]:
        self.last_id = message_id or str(uuid.uuid4())
        payload = {
            "originationNumber": self.number,
            "destinationNumber": OUR_NUMBER,
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": body,
            "inboundMessageId": self.last_id,
            "previousPublishedMessageId": "wJ0UQrLnhb7qIrTw2vcoRlWqUZh4Yh8LtjX4P3YvQUm",
        }
        return sns_sms_event(self.topic_arn, payload, published or self.clock.now())

    def text(self, body: str, *, message_id: str | None = None, published: datetime | None = None) -> str:
        """Send a text; the reply our number sent back to this phone ("" for none)."""
        before = len(sms_sent_by_sns())
        result = sns_handler.handler(self.event(body, message_id, published), LambdaContext())
        assert result == {"handled": 1}
        after_request()
        replies = [text for phone, text in sms_sent_by_sns()[before:] if phone == self.number]
        assert len(replies) <= 1, replies
        if replies:
            assert_one_segment(replies[0])
        return replies[0] if replies else ""
