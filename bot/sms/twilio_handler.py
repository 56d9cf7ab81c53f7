"""Twilio inbound SMS/MMS webhook (POST /sms/twilio on the HTTP API): verify, converse, answer in TwiML.

The signature is checked against the public URL we configured (`PUBLIC_BASE_URL` + route, or the
API's own execute-api URL), never one guessed from headers, and over every form field including
empty ones. No valid signature, or no auth token to check it with: 403 and nothing read or
written. Only `twilio.request_validator` and `twilio.twiml` are imported here; the REST client
loads only if a notice must be texted.
"""

from __future__ import annotations

import base64
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools import Logger
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.metrics import metrics, reply_sent, request_refused
from bot.sms import inbound, wiring
from bot.sms.media import MAX_FILES, MediaRef
from core import bootstrap
from core.settings import TWILIO_AUTH_TOKEN, Settings

ROUTE = "/sms/twilio"
# Twilio's whole form (a 1,600-character body, ten media URLs, its other fields) is a few KB.
MAX_BODY_CHARS = 64 * 1024

logger = Logger()


def _form(event: dict[str, Any]) -> dict[str, str]:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    # Twilio signs empty fields too (a photo's `Body=`): keep them, and one value per name, as it does.
    return dict(parse_qsl(body, keep_blank_values=True))


def _signed_url(event: dict[str, Any], settings: Settings) -> str | None:
    base = wiring.public_base_url(event, settings)
    if not base:
        return None
    query = event.get("rawQueryString") or ""
    return f"{base}{ROUTE}?{query}" if query else f"{base}{ROUTE}"


def _genuine(event: dict[str, Any], form: dict[str, str]) -> bool:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    signature = headers.get("x-twilio-signature")
    settings = bootstrap.settings()
    token = settings.secret(TWILIO_AUTH_TOKEN)
    url = _signed_url(event, settings)
    if not (signature and token and url):
        return False
    return bool(RequestValidator(token).validate(url, form, signature))


def _inbound(form: dict[str, str]) -> inbound.Inbound:
    announced = form.get("NumMedia", "0")
    # More files than we take is refused as too many, whatever the count: never build more than that.
    count = min(int(announced), MAX_FILES + 1) if announced.isdecimal() else 0
    media = tuple(
        MediaRef(url=form.get(f"MediaUrl{i}", ""), content_type=form.get(f"MediaContentType{i}", ""))
        for i in range(count)
    )
    return inbound.Inbound(
        phone=form.get("From", ""),
        text=form.get("Body", ""),
        delivery_id=form["MessageSid"],
        media=media,
        to=form.get("To") or None,
        keyword=form.get("OptOutType") or None,  # set when the Messaging Service uses Advanced Opt-Out
    )


def _twiml(reply: str) -> dict[str, Any]:
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return {"statusCode": 200, "headers": {"Content-Type": "text/xml"}, "body": str(response)}


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if len(event.get("body") or "") > MAX_BODY_CHARS:
        logger.warning("rejected: body larger than Twilio sends")
        request_refused()
        return {
            "statusCode": 413,
            "headers": {"Content-Type": "text/plain"},
            "body": HTTPStatus.REQUEST_ENTITY_TOO_LARGE.phrase,
        }
    try:
        form = _form(event)
    except (ValueError, UnicodeDecodeError):
        form = {}
    if not _genuine(event, form):
        logger.warning("rejected: signature missing or invalid")
        request_refused()
        return {"statusCode": 403, "headers": {"Content-Type": "text/plain"}, "body": "Forbidden"}
    if not form.get("MessageSid"):
        logger.warning("signed request without a MessageSid ignored")
        return _twiml(inbound.NO_REPLY)
    logger.append_keys(delivery_id=form["MessageSid"])
    reply = inbound.reply_to(_inbound(form), wiring.door(wiring.Provider.TWILIO))
    if reply:
        reply_sent()
    return _twiml(reply)
