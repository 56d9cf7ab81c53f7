"""Loopback stand-ins for the Slack Web API and Twilio's REST API: they answer like the real ones
and put what a person would see into the outbox.

The handlers find them through SLACK_API_URL and TWILIO_API_URL, which the local stack sets.
"""

from __future__ import annotations

import base64
import hmac
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from infra.local import seed
from infra.local.http import Request, Response, Router
from infra.local.outbox import Outbox

REAL_API = "https://api.twilio.com"
TRIGGER_SECONDS = 60.0

# Slack Web API methods whose text lands in front of a person.
_SLACK_SHOWN = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}


def visible_text(payload: dict[str, Any]) -> str:
    """The words a Slack message shows: its text, else the text of its blocks."""
    if payload.get("text"):
        return str(payload["text"])
    blocks = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    words: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                words.append(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return " | ".join(words)


def _slack_payload(request: Request) -> dict[str, Any]:
    if request.method == "GET":  # slack_sdk reads some methods by GET (users.info)
        return dict(request.query_params())
    if request.header("Content-Type").startswith("application/json"):
        return dict(request.json() or {})
    return request.form()


def dm_channel(user_id: str) -> str:
    """The id of the direct-message channel between the app and a user (D + the user id's tail)."""
    return "D" + user_id[1:]


class FakeSlack:
    """Slack's Web API at /slack/api/<method>, and response_url endpoints at /slack/respond/<id>."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._responders: dict[str, str] = {}  # response_url id -> the user who issued the command
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.home_views: dict[str, dict[str, Any]] = {}  # user id -> last published App Home
        self.modals: dict[str, dict[str, Any]] = {}  # user id -> the modal open in front of them
        self._triggers: dict[str, tuple[str, float]] = {}  # trigger_id -> (its user, when it was made)

    def routes(self, router: Router) -> None:
        router.add("POST", r"/slack/api/(?P<method>[A-Za-z.]+)", self._api)
        router.add("GET", r"/slack/api/(?P<method>[A-Za-z.]+)", self._api)
        router.add("POST", r"/slack/respond/(?P<id>[A-Za-z0-9]+)", self._respond)

    def response_url(self, base_url: str, user_id: str) -> str:
        key = f"R{int(time.time() * 1000):x}{next(self._ts)}"
        with self._lock:
            self._responders[key] = user_id
        return f"{base_url}/slack/respond/{key}"

    def trigger_id(self, user_id: str) -> str:
        """A trigger_id for a command or click of `user_id`: views.open with it opens a modal for
        them, within TRIGGER_SECONDS (Slack's is good for 3 s; the app's lazy work may take longer here)."""
        now = time.monotonic()
        trigger = f"{int(time.time())}.{next(self._ts)}.{uuid.uuid4().hex[:32]}"
        with self._lock:
            self._triggers = {k: v for k, v in self._triggers.items() if now - v[1] < TRIGGER_SECONDS}
            self._triggers[trigger] = (user_id, now)
        return trigger

    def close_modal(self, user_id: str) -> None:
        with self._lock:
            self.modals.pop(user_id, None)

    def _next_ts(self) -> str:
        return f"{time.time():.6f}"[:-3] + f"{next(self._ts) % 1000:03d}"

    @staticmethod
    def _user_of(channel: str) -> str:
        if channel.startswith("D") and seed.by_slack_id("U" + channel[1:]):
            return "U" + channel[1:]
        return channel

    def _record(self, user_or_channel: str, payload: dict[str, Any], via: str) -> None:
        to = self._user_of(user_or_channel)
        person = seed.by_slack_id(to)
        detail = {k: payload[k] for k in ("blocks", "response_type", "thread_ts") if payload.get(k)}
        self._outbox.record(
            "slack", to, visible_text(payload), via, to_name=person.name if person else None, detail=detail
        )

    def _api(self, request: Request) -> Response:
        method = request.params["method"]
        payload = _slack_payload(request)
        self.calls.append((method, payload))
        if method in _SLACK_SHOWN:
            target = payload.get("user") if method == "chat.postEphemeral" else payload.get("channel")
            self._record(str(target or ""), payload, method)
        return Response.json(self._answer(method, payload))

    def _answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": f"https://{seed.SLACK_TEAM_DOMAIN}.slack.test/",
                "team": "Punchclock demo",
                "user": "punchclock",
                "team_id": seed.SLACK_TEAM_ID,
                "user_id": seed.SLACK_BOT_USER_ID,
                "bot_id": "B0PUNCHBOT",
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = payload.get("ts") or self._next_ts()
            channel = str(payload.get("channel") or "")
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": payload.get("text", ""), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            users = str(payload.get("users") or "").split(",")
            return {"ok": True, "channel": {"id": dm_channel(users[0]) if users[0] else "D0"}}
        if method == "users.info":
            return self._user_info(
                str(payload.get("user") or ""), str(payload.get("include_locale")).lower() in ("1", "true")
            )
        if method.startswith("views."):
            view = payload.get("view") or {}
            if isinstance(view, str):
                view = json.loads(view)
            view = {**view, "id": f"V{next(self._ts):08d}"}
            with self._lock:
                if method == "views.publish":
                    self.home_views[str(payload.get("user_id"))] = view
                elif method in ("views.open", "views.push"):
                    made = self._triggers.pop(str(payload.get("trigger_id") or ""), None)
                    if made is None:
                        return {"ok": False, "error": "invalid_trigger_id"}
                    self.modals[made[0]] = view
            return {"ok": True, "view": view}
        return {"ok": True}

    @staticmethod
    def _user_info(user_id: str, include_locale: bool) -> dict[str, Any]:
        person = seed.by_slack_id(user_id)
        if person is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"real_name": person.name, "display_name": person.name.split()[0], "email": person.email}
        user = {
            "id": user_id,
            "team_id": seed.SLACK_TEAM_ID,
            "name": person.name.split()[0].lower(),
            "real_name": person.name,
            "tz": seed.local_timezone(),
            "is_bot": False,
            "profile": profile,
        }
        if include_locale:  # Slack gives the locale only when asked
            user["locale"] = person.slack_locale
        return {"ok": True, "user": user}

    def _respond(self, request: Request) -> Response:
        with self._lock:
            user = self._responders.get(request.params["id"])
        if user is None:
            return Response.text("invalid_token", 404)
        self._record(user, _slack_payload(request), "slack.response_url")
        return Response.text("ok")


@dataclass
class Media:
    content_type: str
    body: bytes


class FakeTwilio:
    """Twilio's Messages API (send) and the media URLs of inbound MMS, under /twilio/..."""

    _MESSAGES = r"/twilio(?:/[^?]*)?/Accounts/(?P<sid>AC[A-Za-z0-9]+)/Messages\.json"
    _MEDIA = (
        r"/twilio(?:/[^?]*)?/Accounts/(?P<sid>AC[A-Za-z0-9]+)"
        r"/Messages/(?P<msg>MM[A-Za-z0-9]+)/Media/(?P<media>ME[A-Za-z0-9]+)"
    )

    def __init__(self, outbox: Outbox, account_sid: str, auth_token: str) -> None:
        self._outbox = outbox
        self._account_sid, self._auth_token = account_sid, auth_token
        self._media: dict[str, Media] = {}
        self._ids = itertools.count(1)

    def routes(self, router: Router) -> None:
        router.add("POST", self._MESSAGES, self._send)
        router.add("GET", self._MEDIA, self._get_media)

    def new_sid(self, prefix: str) -> str:
        return f"{prefix}{int(time.time() * 1000):019x}{next(self._ids):013x}"[:34]

    def add_media(self, message_sid: str, content_type: str, body: bytes) -> str:
        """Hold an inbound MMS attachment; returns its MediaUrl as Twilio writes it (on api.twilio.com).

        The door moves api.twilio.com URLs to TWILIO_API_URL, which is this fake's /twilio, and
        fetches them with Basic auth, as it does Twilio's.
        """
        media_sid = self.new_sid("ME")
        self._media[media_sid] = Media(content_type, body)
        return f"{REAL_API}/2010-04-01/Accounts/{self._account_sid}/Messages/{message_sid}/Media/{media_sid}"

    def _authorized(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self._account_sid}:{self._auth_token}".encode()).decode()
        return hmac.compare_digest(request.header("Authorization"), f"Basic {expected}")

    def _error(self, status: int, code: int, message: str) -> Response:
        return Response.json({"code": code, "message": message, "status": status}, status)

    def _send(self, request: Request) -> Response:
        if not self._authorized(request) or request.params["sid"] != self._account_sid:
            return self._error(401, 20003, "Authenticate")
        form = request.form()
        to, body = form.get("To", ""), form.get("Body", "")
        if not to or not (body or form.get("MediaUrl")):
            return self._error(400, 21602, "Message body is required.")
        sid = self.new_sid("SM")
        person = seed.by_phone(to)
        self._outbox.record(
            "sms", to, body, "twilio.rest", to_name=person.name if person else None, detail={"sid": sid}
        )
        now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        return Response.json(
            {
                "sid": sid,
                "account_sid": self._account_sid,
                "to": to,
                "from": form.get("From") or seed.SMS_NUMBER,
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": body,
                "status": "queued",
                "direction": "outbound-api",
                "num_segments": "1",
                "num_media": "0",
                "date_created": now,
                "date_updated": now,
                "date_sent": None,
                "price": None,
                "error_code": None,
                "error_message": None,
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self._account_sid}/Messages/{sid}.json",
            },
            201,
        )

    def _get_media(self, request: Request) -> Response:
        if not self._authorized(request):
            return self._error(401, 20003, "Authenticate")
        media = self._media.get(request.params["media"])
        if media is None:
            return self._error(404, 20404, "The requested resource was not found")
        return Response(200, media.body, [("Content-Type", media.content_type)])
