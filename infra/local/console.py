"""The console page and its JSON API: type as any demo worker in Slack or by SMS, watch the board and outbox.

The console plays Slack and Twilio: it builds the request they would send (a slash command, a
click on a message's or the Home tab's button, a pick from a menu there, opening the Home tab,
submitting a modal, an inbound text), signs it the same way, and posts it to the local gateway,
so the doors run exactly as they will in the cloud. What a person would then see (the slash command's answer,
TwiML replies) goes into the outbox. Like Slack, it sends only the commands the app's manifest
declares (infra/slack-manifest.yaml) and answers any other itself.

It also plays the operator: run a scheduled job now (the reminder sweep, with the input
Scheduler sends), or queue an org's daily summary or weekly timesheet for today or this week,
as `punchclock report daily|weekly --send` does; and read the emails as managers get them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import time
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import yaml

from core.domain.clock import Clock
from core.domain.model import Status
from core.domain.schedule import Job
from core.periods import workday_of, workweek_start
from core.ports import Store
from core.services.jobs import recipients
from core.services.ports import Ports
from core.services.reports import queue_report
from infra.local import seed
from infra.local.fakes import FakeSlack, FakeTwilio, dm_channel, visible_text
from infra.local.http import Handler, Request, Response, Router
from infra.local.mail import SentMail
from infra.local.outbox import Outbox
from infra.local.signing import slack_signature, twilio_signature

PAGE = Path(__file__).with_name("console.html")
MANIFEST = Path(__file__).parents[1] / "slack-manifest.yaml"
REPORTS = {"daily": Job.DAILY_SUMMARY, "weekly": Job.WEEKLY_TIMESHEET}
# What Slack's own client says to a command no installed app declares (the app never hears of it).
SLACK_UNKNOWN_COMMAND = (
    '{command} is not a valid command. In Slack, all messages that start with the "/" character '
    "are interpreted as commands."
)
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


def manifest_commands(path: Path = MANIFEST) -> set[str]:
    """The slash commands the Slack app declares: the only ones Slack sends it."""
    manifest = yaml.safe_load(path.read_text())
    return {str(c["command"]) for c in manifest.get("features", {}).get("slash_commands", [])}


# The elements a click in the console acts on: a button, or a pick from a menu of fixed options.
ACTIONABLE = ("button", "static_select")


def _element(
    blocks: list[dict[str, Any]], action_id: str, kinds: tuple[str, ...] = ACTIONABLE
) -> tuple[str, dict[str, Any]] | None:
    """(block id, element) of the element of one of `kinds` with `action_id` among `blocks` (an
    actions block's, or a section's accessory), as the door drew it: Slack acts only on what it showed."""
    for block in blocks:
        candidates = block.get("elements") if block.get("type") == "actions" else [block.get("accessory")]
        for element in candidates or []:
            if isinstance(element, dict) and element.get("type") in kinds and element.get("action_id") == action_id:
                return str(block.get("block_id") or ""), element
    return None


def _button(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]] | None:
    """(block id, button) of the button with `action_id` among `blocks` (an actions block's, or a
    section's accessory), as the door drew it."""
    return _element(blocks, action_id, ("button",))


def _option(element: dict[str, Any], value: Any) -> dict[str, Any] | None:
    """The option of a static_select whose value is `value`, as the element lists it (Slack sends it back whole)."""
    return next((o for o in element.get("options") or [] if o.get("value") == value), None)


def _action(block_id: str, element: dict[str, Any], value: str | None) -> dict[str, Any] | None:
    """The action Slack reports for a click on `element`: a button with its own value (`value` is not
    asked: the person cannot change it), or a static_select with the option picked, as the element lists
    it. None when `value` is none of the select's options: Slack's client offers no other."""
    if element.get("type") == "static_select":
        chosen = _option(element, value)
        if value is None or chosen is None:
            return None
        return {
            "type": "static_select",
            "action_id": element["action_id"],
            "block_id": block_id,
            "selected_option": chosen,
            "action_ts": f"{time.time():.6f}",
        }
    return {
        "type": "button",
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element.get("text") or {},
        "value": element.get("value", ""),
        "action_ts": f"{time.time():.6f}",
    }


def _json_only(handler: Handler) -> Handler:
    """Only JSON posts: a browser will not send one cross-site without a CORS preflight we never grant."""

    def guarded(request: Request) -> Response:
        if not request.header("Content-Type").startswith("application/json"):
            return Response.json({"error": "send application/json"}, 415)
        return handler(request)

    return guarded


def _element_state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """What Slack puts in a view's state for an input element holding `value` (as the console sends it)."""
    kind = element.get("type")
    if kind == "static_select":
        return {"type": kind, "selected_option": _option(element, value)}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value or None}
    if kind == "file_input":
        return {"type": kind, "files": []}  # the console uploads no files: receipts go by MMS or the upload link
    return {"type": kind, "value": value if value not in ("", None) else None}


class Console:
    def __init__(
        self,
        *,
        outbox: Outbox,
        slack: FakeSlack,
        twilio: FakeTwilio,
        secrets: Secrets,
        ports: Ports,
        gateway_url: str,
        public_base_url: str,
        console_url: str,
        sent_mail: SentMail,
        run_job: Callable[[str], Any],
        schedules: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        self._outbox = outbox
        self._slack = slack
        self._twilio = twilio
        self._secrets = secrets
        self._store: Store = ports.store
        self._clock: Clock = ports.clock
        self._ports = ports
        self._sent_mail = sent_mail
        self._run_job = run_job
        self._schedules = schedules
        self._commands = manifest_commands()
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
        router.add("GET", r"/api/slack/home", self._home)
        router.add("POST", r"/api/slack/home", _json_only(self._open_home))
        router.add("GET", r"/api/slack/modal", self._modal)
        router.add("POST", r"/api/slack/modal", _json_only(self._submit_modal))
        router.add("POST", r"/api/sms", _json_only(self._send_sms))
        router.add("POST", r"/api/jobs", _json_only(self._run_job_now))
        router.add("POST", r"/api/report", _json_only(self._report_now))
        router.add("GET", r"/api/mail/(?P<message>[A-Za-z0-9-]+)/(?P<index>[0-9]+)", self._attachment)

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
                "orgs": [{"org_id": o.org_id, "name": o.name} for o in self._store.list_orgs()],
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
        clock = {"now": self._clock.now().isoformat(), "speed": getattr(self._clock, "speed", 1.0)}
        schedules = {
            name: {"every_seconds": s["every_seconds"], "next": s["next_tick"]} for name, s in self._schedules().items()
        }
        return Response.json(
            {"org": org.name if org else None, "workers": rows, "clock": clock, "schedules": schedules}
        )

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
        if command not in self._commands:
            # Slack never sends the app a command it does not declare: Slack's client answers.
            said = SLACK_UNKNOWN_COMMAND.format(command=command)
            self._outbox.record("slack", person.slack_user_id, said, "slack.client", person.name)
            return Response.json({"status": 200, "body": said})
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
            "trigger_id": self._slack.trigger_id(person.slack_user_id),
        }
        return self._post_slack(urlencode(form).encode())

    def _click_slack(self, request: Request) -> Response:
        """A click on a button of a Slack message the console showed (e.g. "Email this report"),
        or of the person's Home tab (`message_id` "home"); or a pick of `value` from a menu there."""
        asked = request.json() or {}
        person = seed.by_slack_id(str(asked.get("user_id", "")))
        message_id = str(asked.get("message_id", ""))
        action_id = str(asked.get("action_id", ""))
        value = None if asked.get("value") is None else str(asked["value"])
        if person is not None and message_id == "home":
            view = self._slack.home_views.get(person.slack_user_id)
            found = _element(view.get("blocks") or [], action_id) if view else None
            if view is None or found is None:
                return Response.json({"error": "pick a button or menu of this person's Home tab"}, 400)
            action = _action(*found, value)
            if action is None:
                return Response.json({"error": "pick one of the menu's options"}, 400)
            sent = self.slack_click(person, {"type": "view", "view_id": view["id"]}, action, view=view)
            return Response.json({"status": sent.status, "body": sent.body.decode("utf-8", "replace")[:2000]})
        message = self._outbox.get(int(message_id)) if message_id.isdigit() else None
        found = None
        if person is not None and message is not None and message.to == person.slack_user_id:
            found = _element(message.detail.get("blocks") or [], action_id)
        if person is None or message is None or found is None:
            return Response.json({"error": "pick a button or menu of a Slack message shown to this person"}, 400)
        action = _action(*found, value)
        if action is None:
            return Response.json({"error": "pick one of the menu's options"}, 400)
        sent_at = int(datetime.fromisoformat(message.at).timestamp())
        ephemeral = message.via in (
            "slack.command_response",
            "slack.response_url",
            "chat.postEphemeral",
            "slack.client",
        )
        container = {
            "type": "message",
            "message_ts": f"{sent_at}.{message.id:06d}",
            "channel_id": dm_channel(person.slack_user_id),
            "is_ephemeral": ephemeral,
        }
        # Slack sends a copy of the message clicked, unless it was ephemeral (the app keeps no copy of those).
        copy = (
            None
            if ephemeral
            else {"type": "message", "ts": container["message_ts"], "text": message.text, **message.detail}
        )
        sent = self.slack_click(person, container, action, message=copy)
        return Response.json({"status": sent.status, "body": sent.body.decode("utf-8", "replace")[:2000]})

    def _identity(self, person: seed.DemoPerson) -> dict[str, Any]:
        """The team, user and app fields of an interaction payload."""
        return {
            "team": {"id": seed.SLACK_TEAM_ID, "domain": seed.SLACK_TEAM_DOMAIN},
            "user": {
                "id": person.slack_user_id,
                "username": person.name.split()[0].lower(),
                "name": person.name.split()[0].lower(),
                "team_id": seed.SLACK_TEAM_ID,
            },
            "api_app_id": seed.SLACK_APP_ID,
            "token": "local-verification-token",
            "trigger_id": self._slack.trigger_id(person.slack_user_id),
        }

    def slack_click(
        self,
        person: seed.DemoPerson,
        container: dict[str, Any],
        action: dict[str, Any],
        view: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
    ) -> Sent:
        """A block_actions interaction as Slack posts it: on a message, where it was and a
        response_url for the answer (no copy of an ephemeral message); on the Home tab, the view."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            **self._identity(person),
            "container": container,
            "actions": [action],
        }
        if view is not None:
            payload["view"] = view
        else:
            payload["channel"] = {"id": container["channel_id"], "name": "directmessage"}
            payload["response_url"] = self._slack.response_url(self._console_url, person.slack_user_id)
        if message is not None:
            payload["message"] = message
        return self._post_slack(urlencode({"payload": json.dumps(payload)}).encode())

    def _home(self, request: Request) -> Response:
        """The Home tab as last published for the person (null until the app publishes one)."""
        person = seed.by_slack_id(request.query_params().get("user_id", ""))
        if person is None:
            return Response.json({"error": "pick a demo person"}, 400)
        return Response.json({"view": self._slack.home_views.get(person.slack_user_id)})

    def _open_home(self, request: Request) -> Response:
        """The person opens the app's Home tab: Slack sends app_home_opened, the app publishes the view."""
        person = seed.by_slack_id(str((request.json() or {}).get("user_id", "")))
        if person is None:
            return Response.json({"error": "pick a demo person"}, 400)
        now = time.time()
        event = {
            "token": "local-verification-token",
            "team_id": seed.SLACK_TEAM_ID,
            "api_app_id": seed.SLACK_APP_ID,
            "event": {
                "type": "app_home_opened",
                "user": person.slack_user_id,
                "channel": dm_channel(person.slack_user_id),
                "tab": "home",
                "event_ts": f"{now:.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(now),
        }
        sent = self._post_slack(json.dumps(event).encode(), "application/json")
        return Response.json({"status": sent.status})

    def _modal(self, request: Request) -> Response:
        """The modal open in front of the person (null when none is)."""
        person = seed.by_slack_id(request.query_params().get("user_id", ""))
        if person is None:
            return Response.json({"error": "pick a demo person"}, 400)
        return Response.json({"view": self._slack.modals.get(person.slack_user_id)})

    def _submit_modal(self, request: Request) -> Response:
        """Submit (or close) the person's open modal with `values` {block id: value}, as Slack posts a
        view_submission; the app's answer (errors by block, or nothing: closed) comes back."""
        asked = request.json() or {}
        person = seed.by_slack_id(str(asked.get("user_id", "")))
        view = self._slack.modals.get(person.slack_user_id) if person is not None else None
        if person is None or view is None:
            return Response.json({"error": "no modal is open for this person"}, 400)
        if asked.get("close"):
            self._slack.close_modal(person.slack_user_id)
            return Response.json({"status": 200, "closed": True})
        values = asked.get("values") or {}
        state = {
            block["block_id"]: {
                block["element"]["action_id"]: _element_state(block["element"], values.get(block["block_id"]))
            }
            for block in view.get("blocks") or []
            if block.get("type") == "input" and block.get("block_id")
        }
        payload = {
            "type": "view_submission",
            **self._identity(person),
            "view": {**view, "state": {"values": state}, "hash": uuid.uuid4().hex},
            "response_urls": [],
        }
        sent = self._post_slack(urlencode({"payload": json.dumps(payload)}).encode())
        answer: dict[str, Any] = {}
        if sent.status == 200 and sent.body.strip():
            with contextlib.suppress(ValueError):
                answer = json.loads(sent.body)
        if sent.status == 200 and answer.get("response_action") not in ("errors", "update", "push"):
            self._slack.close_modal(person.slack_user_id)
        return Response.json({"status": sent.status, "answer": answer})

    def _post_slack(self, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> Sent:
        """Signed as Slack signs, posted to the gateway's one Slack URL."""
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": slack_signature(self._secrets.slack_signing_secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        return _post(self._gateway_url + SLACK_ROUTE, body, headers)

    # -- acting as the operator ----------------------------------------------------------------

    def _run_job_now(self, request: Request) -> Response:
        """Fire a scheduled job now, with the input its schedule sends (reminders, or reports due)."""
        job = str((request.json() or {}).get("job", ""))
        try:
            result = self._run_job(job)
        except KeyError:
            return Response.json({"error": f"no schedule runs the job {job!r}"}, 400)
        except Exception as err:  # the function failed: say so, as Scheduler's metrics would
            return Response.json({"job": job, "error": str(err)}, 500)
        return Response.json(result)

    def _report_now(self, request: Request) -> Response:
        """An org's daily summary for today, or weekly timesheet for this workweek, queued now for its
        report recipients, as `punchclock report daily|weekly --send` does (the notify function sends it)."""
        asked = request.json() or {}
        job = REPORTS.get(str(asked.get("report", "")))
        org = self._store.get_org(str(asked.get("org") or seed.ORG_ID))
        if job is None or org is None:
            return Response.json({"error": "report is daily or weekly, for an existing org"}, 400)
        today = workday_of(org, org.tz, self._clock.now())
        period = today if job is Job.DAILY_SUMMARY else workweek_start(org, today)
        to = recipients(org, self._ports)
        if not to:
            return Response.json({"error": "the org has no report recipients (manager emails)"}, 400)
        queued = queue_report(org, job, period, to, self._ports)
        return Response.json(
            {"report": job.value, "org": org.org_id, "period": period.isoformat(), "queued": len(queued), "to": to}
        )

    def _attachment(self, request: Request) -> Response:
        """An email's attachment, to download (as the recipient's mail client would offer it)."""
        message_id, index = request.params["message"], int(request.params["index"])
        content = self._sent_mail.attachment(message_id, index)
        meta = self._attachment_meta(message_id, index)
        if content is None or meta is None:
            return Response.json({"error": "no such attachment"}, 404)
        filename = re.sub(r"[^A-Za-z0-9._-]", "_", str(meta.get("filename") or f"attachment-{index}"))
        return Response(
            200,
            content,
            [
                ("Content-Type", "application/octet-stream"),  # never rendered by the console's origin
                ("Content-Disposition", f'attachment; filename="{filename}"'),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    def _attachment_meta(self, message_id: str, index: int) -> dict[str, Any] | None:
        for message in reversed(self._outbox.messages()):
            if message.channel == "email" and message.detail.get("message_id") == message_id:
                attachments = message.detail.get("attachments") or []
                return dict(attachments[index]) if index < len(attachments) else None
        return None

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
