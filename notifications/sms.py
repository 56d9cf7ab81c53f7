"""Sending one text: Twilio REST or AWS SNS, chosen per deployment by `SMS_PROVIDER`.

Both implement `notifications.ports.SmsSender`. Neither checks opt-outs: callers that text a
worker go through `notifications.notices`, which checks.

Twilio goes through the official client, imported only when a text is actually sent (about
0.11 s), so the inbound webhook never pays for it. Its base URL is moved with the library's
documented extension point, a custom `http_client`, rather than by patching generated
`Domain.base_url` attributes: the settings' `TWILIO_API_URL=http://127.0.0.1:8900` points it at a
loopback fake.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from core.settings import (
    SMS_ORIGINATION_NUMBER,
    TWILIO_ACCOUNT_SID,
    TWILIO_API,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM,
    Settings,
)
from notifications.ports import SmsSender

log = logging.getLogger(__name__)

TWILIO_TIMEOUT_SECONDS = 4.0  # notices go out inside Twilio's 15 s webhook wait and Lambda's 10 s


class SmsNotSent(Exception):
    """The provider refused the text; `code` is its error code (Twilio 21610: the number sent STOP)."""

    def __init__(self, code: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code


class TwilioSmsSender:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        api_url: str = TWILIO_API,
        timeout: float = TWILIO_TIMEOUT_SECONDS,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("Twilio needs a From number or a Messaging Service SID to send from")
        self._sid = account_sid
        self._token = auth_token
        self._from = from_number
        self._service = messaging_service_sid
        self._api_url = api_url.rstrip("/")
        self._timeout = timeout
        self._client: Any = None

    def send(self, to: str, body: str) -> str | None:
        from twilio.base.exceptions import TwilioRestException

        origin = {"messaging_service_sid": self._service} if self._service else {"from_": self._from}
        try:
            message = self._rest().messages.create(to=to, body=body, **origin)
        except TwilioRestException as err:
            raise SmsNotSent(str(err.code) if err.code else None, f"Twilio refused the text ({err.code})") from err
        return str(message.sid) if message.sid else None

    def _rest(self) -> Any:
        if self._client is None:
            from twilio.rest import Client

            logging.getLogger("twilio.http_client").setLevel(logging.WARNING)  # it logs every request at INFO
            self._client = Client(self._sid, self._token, http_client=_http_client(self._api_url, self._timeout))
        return self._client


def _http_client(api_url: str, timeout: float) -> Any:
    """Twilio's own HTTP client, moved to `api_url` when that is not the real API."""
    from twilio.http.http_client import TwilioHttpClient

    if api_url == TWILIO_API:
        return TwilioHttpClient(timeout=timeout)

    class RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if url.startswith(TWILIO_API):
                url = api_url + url[len(TWILIO_API) :]
            return super().request(method, url, *args, **kwargs)

    return RebasedHttpClient(timeout=timeout)


class SnsSmsSender:
    """`sns.publish(PhoneNumber=...)`; swap in End User Messaging `send_text_message` behind the same port."""

    def __init__(self, client: Any = None, *, origination_number: str | None = None) -> None:
        self._client = client
        self._origination = origination_number

    def send(self, to: str, body: str) -> str | None:
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self._origination:
            attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String", "StringValue": self._origination}
        response = self._sns().publish(PhoneNumber=to, Message=body, MessageAttributes=attributes)
        return str(response["MessageId"])

    def _sns(self) -> Any:
        if self._client is None:
            self._client = _sns_client()
        return self._client


@cache
def _sns_client() -> Any:
    import boto3  # deferred: a Twilio deployment never needs it here

    return boto3.client("sns")


def sms_sender(settings: Settings, origination: str | None = None, provider: str | None = None) -> SmsSender | None:
    """The deployment's sender, or None when it cannot send (missing credentials are logged, never raised).

    `origination` is the number to send from; replies pass the number the worker texted, so that
    the worker can answer. Otherwise `TWILIO_FROM` (a number, or a Messaging Service SID `MG...`)
    for Twilio and `SMS_ORIGINATION_NUMBER` (optional: the pool's default) for AWS. `provider`
    overrides the settings' SMS_PROVIDER (a door answers through the provider the text came from).
    """
    provider = provider or settings.sms_provider
    if provider == "aws":
        return SnsSmsSender(origination_number=origination or settings.secret(SMS_ORIGINATION_NUMBER))
    sid, token = settings.secret(TWILIO_ACCOUNT_SID), settings.secret(TWILIO_AUTH_TOKEN)
    sender = origination or settings.secret(TWILIO_FROM)
    if not (sid and token and sender):
        log.error("Twilio credentials or TWILIO_FROM missing; no texts will be sent")
        return None
    service = sender if sender.startswith("MG") else None
    return TwilioSmsSender(
        sid,
        token,
        from_number=None if service else sender,
        messaging_service_sid=service,
        api_url=settings.twilio_api_url,
    )
