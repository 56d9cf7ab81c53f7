"""The console page and its JSON API: type as any demo worker in Slack or by SMS, watch the board and outbox.

The console plays Slack and Twilio: it builds the request they would send (a slash command, a
click on a message's button, an inbound text), signs it the same way, and posts it to the local
gateway, so the doors run exactly as they will in the cloud. What a person would then see (the
slash command's answer, TwiML replies) goes into the outbox.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import time
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from core.domain.model import Status
from core.ports import Store
from infra.local import seed
from infra.local.fakes import FakeSlack, FakeTwilio, dm_channel, visible_text
from infra.local.http import Handler, Request, Response, Router
from infra.local.outbox import Message, Outbox
from infra.local.signing import slack_signature, twilio_signature

PAGE = Path(__file__).with_name("console.html")
TWILIO_ROUTE = "/sms/twilio"
SLACK_ROUTE = "/slack/events"
SEND_TIMEOUT = 30.0  # seconds; API Gateway's own integration limit


@dataclass(frozen=True)
class Secrets:
    slack_signing_secret: str
    slack_bot_token: str
    twilio_account_sid: str
    twilio_auth_token: str


@dataclass
class Sent:
    status: int
    content_type: str
    body: bytes


def _post(url: str, body: bytes, headers: dict[str, str]) -> Sent:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - loopback gateway
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as response:  # noqa: S310
            return Sent(response.status, response.headers.get("Content-Type", ""), response.read())
    except urllib.error.HTTPError as err:
        return Sent(err.code, err.headers.get("Content-Type", ""), err.read())


def twiml_messages(xml_text: str) -> list[str]:
    """The texts a TwiML <Response> asks Twilio to send back."""
    if not xml_text.strip():
        return []
    root = ET.fromstring(xml_text)  # noqa: S314 - our own handler's answer, over loopback
    texts = []
    for message in root.iter("Message"):
        body = message.find("Body")
        texts.append(((body.text if body is not None else message.text) or "").strip())
    return texts


def _trigger_id() -> str:
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:32]}"


def _button(message: Message, action_id: str) -> tuple[str, dict[str, Any]] | None:
    """(block id, button) of the message's button with `action_id`, as the door drew it."""
    for block in message.detail.get("blocks") or []:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements") or []:
            if element.get("type") == "button" and element.get("action_id") == action_id:
                return str(block.get("block_id") or ""), element
    return None


def _json_only(handler: Handler) -> Handler:
    """Only JSON posts: a browser will not send one cross-site without a CORS preflight we never grant."""

    def guarded(request: Request) -> Response:
        if not request.header("Content-Type").startswith("application/json"):
            return Response.json({"error": "send application/json"}, 415)
        return handler(request)

    return guarded


class Console:
    def __init__(
        self,
        *,
        outbox: Outbox,
        slack: FakeSlack,
        twilio: FakeTwilio,
        secrets: Secrets,
        store: Store,
        gateway_url: str,
        public_base_url: str,
        console_url: str,
    ) -> None:
        self._outbox = outbox
        self._slack = slack
        self._twilio = twilio
        self._secrets = secrets
        self._store = store
        self._gateway_url = gateway_url
        self._public_base_url = public_base_url
        self._console_url = console_url
        self._page = PAGE.read_bytes()

    def routes(self, router: Router) -> None:
        router.add("GET", r"/", self._index)
        router.add("GET", r"/api/config", self._config)
        router.add("GET", r"/api/board", self._board)
        router.add("GET", r"/api/outbox", self._outbox_json)
        router.add("POST", r"/api/slack", _json_only(self._send_slack))
        router.add("POST", r"/api/slack/action", _json_only(self._click_slack))
        router.add("POST", r"/api/sms", _json_only(self._send_sms))

    def _index(self, request: Request) -> Response:
        return Response(
            200,
            self._page,
            [
                ("Content-Type", "text/html; charset=utf-8"),
                (
                    "Content-Security-Policy",
                    "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
                ),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    def _config(self, request: Request) -> Response:
        org = self._store.get_org(seed.ORG_ID)
        return Response.json(
            {
                "org": {"name": org.name if org else "?", "timezone": org.timezone if org else "?"},
                "gateway_url": self._gateway_url,
                "public_base_url": self._public_base_url,
                "sms_number": seed.SMS_NUMBER,
                "people": [
                    {"name": p.name, "role": p.role.value, "phone": p.phone, "slack_user_id": p.slack_user_id}
                    for p in seed.PEOPLE
                ],
            }
        )

    def _board(self, request: Request) -> Response:
        org = self._store.get_org(seed.ORG_ID)
        zone = ZoneInfo(org.timezone) if org else ZoneInfo("UTC")
        rows = []
        for worker in sorted(self._store.list_workers(seed.ORG_ID), key=lambda w: w.name):
            state = worker.state
            since = state.since.astimezone(zone).strftime("%H:%M") if state.since else None
            rows.append(
                {
                    "worker_id": worker.worker_id,
                    "name": worker.name,
                    "role": worker.role.value,
                    "status": state.status.value,
                    "since": since if state.status is not Status.OFF else None,
                    "job": state.shift.job if state.shift else None,
                    "break_kind": state.on_break.kind.value if state.on_break else None,
                }
            )
        return Response.json({"org": org.name if org else None, "workers": rows})

    def _outbox_json(self, request: Request) -> Response:
        after = request.query_params().get("after", "0")
        return Response.json(self._outbox.to_json(int(after) if after.isdigit() else 0))

    # -- acting as Slack ---------------------------------------------------------------------

    def _send_slack(self, request: Request) -> Response:
        asked = request.json() or {}
        person = seed.by_slack_id(str(asked.get("user_id", "")))
        text = str(asked.get("text", "")).strip()
        if person is None or not text:
            return Response.json({"error": "pick a demo person and type something"}, 400)
        # Plain words go the way Slack users type them without a command of their own: /punch <words>.
        command, _, rest = text.partition(" ") if text.startswith("/") else ("/punch", "", text)
        sent = self.slack_command(person, command, rest.strip())
        if sent.status == 200 and sent.body.strip():
            self._record_slack_answer(person, sent)
        return Response.json({"status": sent.status, "body": sent.body.decode("utf-8", "replace")[:2000]})

    def _record_slack_answer(self, person: seed.DemoPerson, sent: Sent) -> None:
        body = sent.body.decode("utf-8", "replace")
        payload: dict[str, Any] = {"text": body}
        if sent.content_type.startswith("application/json"):
            with contextlib.suppress(ValueError):
                payload = json.loads(body)
        text = payload.get("text") or ""
        if not text and payload.get("blocks"):
            text = visible_text(payload)
        detail = {"blocks": payload["blocks"]} if payload.get("blocks") else {}
        self._outbox.record("slack", person.slack_user_id, text, "slack.command_response", person.name, detail)

    def slack_command(self, person: seed.DemoPerson, command: str, text: str) -> Sent:
        """A slash command, form-encoded as Slack posts it."""
        form = {
            "token": "local-verification-token",
            "team_id": seed.SLACK_TEAM_ID,
            "team_domain": seed.SLACK_TEAM_DOMAIN,
            "channel_id": dm_channel(person.slack_user_id),
            "channel_name": "directmessage",
            "user_id": person.slack_user_id,
            "user_name": person.name.split()[0].lower(),
            "command": command,
            "text": text,
            "api_app_id": seed.SLACK_APP_ID,
            "is_enterprise_install": "false",
            "response_url": self._slack.response_url(self._console_url, person.slack_user_id),
            "trigger_id": _trigger_id(),
        }
        return self._post_slack(urlencode(form).encode())

    def _click_slack(self, request: Request) -> Response:
        """A click on a button of a Slack message the console showed (e.g. "Email this report")."""
        asked = request.json() or {}
        person = seed.by_slack_id(str(asked.get("user_id", "")))
        message_id = str(asked.get("message_id", ""))
        message = self._outbox.get(int(message_id)) if message_id.isdigit() else None
        found = None
        if person is not None and message is not None and message.to == person.slack_user_id:
            found = _button(message, str(asked.get("action_id", "")))
        if person is None or message is None or found is None:
            return Response.json({"error": "pick a button of a Slack message shown to this person"}, 400)
        sent = self.slack_click(person, message, *found)
        return Response.json({"status": sent.status, "body": sent.body.decode("utf-8", "replace")[:2000]})

    def slack_click(self, person: seed.DemoPerson, message: Message, block_id: str, button: dict[str, Any]) -> Sent:
        """A block_actions interaction on an ephemeral message, as Slack posts it: no copy of the
        message, only where it was, and a response_url for the answer."""
        channel = dm_channel(person.slack_user_id)
        sent_at = int(datetime.fromisoformat(message.at).timestamp())
        payload = {
            "type": "block_actions",
            "team": {"id": seed.SLACK_TEAM_ID, "domain": seed.SLACK_TEAM_DOMAIN},
            "user": {
                "id": person.slack_user_id,
                "username": person.name.split()[0].lower(),
                "name": person.name.split()[0].lower(),
                "team_id": seed.SLACK_TEAM_ID,
            },
            "api_app_id": seed.SLACK_APP_ID,
            "token": "local-verification-token",
            "trigger_id": _trigger_id(),
            "container": {
                "type": "message",
                "message_ts": f"{sent_at}.{message.id:06d}",
                "channel_id": channel,
                "is_ephemeral": True,
            },
            "channel": {"id": channel, "name": "directmessage"},
            "response_url": self._slack.response_url(self._console_url, person.slack_user_id),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": block_id,
                    "text": button.get("text") or {},
                    "value": button.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self._post_slack(urlencode({"payload": json.dumps(payload)}).encode())

    def _post_slack(self, body: bytes) -> Sent:
        """Signed as Slack signs, posted to the gateway's one Slack URL."""
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": slack_signature(self._secrets.slack_signing_secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        return _post(self._gateway_url + SLACK_ROUTE, body, headers)

    # -- acting as Twilio --------------------------------------------------------------------

    def _send_sms(self, request: Request) -> Response:
        asked = request.json() or {}
        person = seed.by_phone(str(asked.get("phone", "")))
        text = str(asked.get("text", ""))
        media = asked.get("media") or []
        if person is None or not (text.strip() or media):
            return Response.json({"error": "pick a demo person and type something (or attach a photo)"}, 400)
        try:
            attachments = [(str(m["content_type"]), base64.b64decode(m["data_b64"], validate=True)) for m in media]
        except (KeyError, TypeError, binascii.Error):
            return Response.json({"error": "media must be [{content_type, data_b64}]"}, 400)
        sent, replies = self.sms(person.phone, text, attachments)
        return Response.json({"status": sent.status, "replies": replies})

    def sms(self, phone: str, text: str, attachments: list[tuple[str, bytes]] | None = None) -> tuple[Sent, list[str]]:
        """An inbound SMS/MMS as Twilio's webhook posts it; the TwiML reply goes to the outbox."""
        message_sid = self._twilio.new_sid("MM" if attachments else "SM")
        form = {
            "ToCountry": "US",
            "ToState": "",
            "SmsMessageSid": message_sid,
            "NumMedia": str(len(attachments or [])),
            "ToCity": "",
            "FromZip": "",
            "SmsSid": message_sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": text,
            "FromCountry": "US",
            "To": seed.SMS_NUMBER,
            "ToZip": "",
            "NumSegments": "1",
            "MessageSid": message_sid,
            "AccountSid": self._secrets.twilio_account_sid,
            "From": phone,
            "ApiVersion": "2010-04-01",
        }
        for index, (content_type, body) in enumerate(attachments or []):
            url = self._twilio.add_media(message_sid, content_type, body)
            form[f"MediaContentType{index}"] = content_type
            form[f"MediaUrl{index}"] = url
        signature = twilio_signature(self._secrets.twilio_auth_token, self._public_base_url + TWILIO_ROUTE, form)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            "User-Agent": "TwilioProxy/1.1",
        }
        sent = _post(self._gateway_url + TWILIO_ROUTE, urlencode(form).encode(), headers)
        replies = twiml_messages(sent.body.decode("utf-8", "replace")) if sent.status == 200 else []
        person = seed.by_phone(phone)
        for reply in replies:
            self._outbox.record(
                "sms", phone, reply, "twilio.twiml", person.name if person else None, {"in_reply_to": message_sid}
            )
        return sent, replies
