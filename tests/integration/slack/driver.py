"""Real Slack requests, signed with the signing secret, as API Gateway HTTP API (v2) events.

`SlackDriver` sends them through the Lambda handler and then runs the lazy listeners Bolt
asked Lambda to invoke, through the same handler, in-process (`InProcessLambda` stands in for
Bolt's boto3 Lambda client), so the lazy path is exercised exactly as deployed.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.slack import handler as slack_lambda
from tests.conftest import after_request

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-punchclock-test"
TEAM = "T0ACME"


@dataclass
class LambdaContext:
    function_name: str = "punchclock-SlackFunction"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-SlackFunction"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class InProcessLambda:
    """Bolt's lazy runner calls `invoke(InvocationType="Event")`: we queue and run them after the answer."""

    queued: list[str] = field(default_factory=list)
    invoked: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, FunctionName: str, InvocationType: str, Payload: str) -> dict[str, Any]:
        assert InvocationType == "Event"
        self.queued.append(Payload)
        self.invoked.append({"FunctionName": FunctionName, "Payload": Payload})
        return {"StatusCode": 202}

    def drain(self) -> list[dict[str, Any]]:
        results = []
        while self.queued:
            results.append(slack_lambda.handler(json.loads(self.queued.pop(0)), LambdaContext()))
        return results


@dataclass
class Answer:
    """What Slack gets back: status and, for acks with a message, what the user sees."""

    status: int
    body: Any

    @property
    def text(self) -> str:
        return str(self.body.get("text", "")) if isinstance(self.body, dict) else str(self.body)

    @property
    def json(self) -> dict[str, Any]:
        assert isinstance(self.body, dict), self.body
        return self.body


def _who(user: str, team: str) -> dict[str, Any]:
    """The team, user and app of an interaction payload, as Slack sends them."""
    return {
        "team": {"id": team, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
        "api_app_id": "A0PUNCH",
    }


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> dict[str, str]:
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": str(timestamp), "x-slack-signature": signature}


def api_event(body: str, headers: dict[str, str], *, b64: bool = False) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "POST /slack/events",
        "rawPath": "/slack/events",
        "rawQueryString": "",
        "headers": {"user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)", **headers},
        "requestContext": {
            "http": {"method": "POST", "path": "/slack/events", "sourceIp": "203.0.113.7"},
            "requestId": f"req-{uuid.uuid4().hex[:12]}",
            "routeKey": "POST /slack/events",
            "stage": "$default",
        },
        "body": base64.b64encode(body.encode()).decode() if b64 else body,
        "isBase64Encoded": b64,
    }


@dataclass
class SlackDriver:
    lambda_client: InProcessLambda
    response_base: str = "https://hooks.slack.com/actions/T0ACME/"  # where clicks' response_urls point
    secret: str = SIGNING_SECRET
    now: int = field(default_factory=lambda: int(time.time()))  # Slack's clock: the signature window is real time

    def later(self, step: int) -> int:
        """The Slack timestamp of the `step`th separate submission (0..4): 130 s apart, so never a
        double submission of each other, and all inside the 5-minute signature window."""
        assert 0 <= step <= 4
        return self.now - 260 + 130 * step

    # -- the raw path -------------------------------------------------------------------------

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        b64: bool = False,
        extra_headers: dict[str, str] | None = None,
        lazy: bool = True,
    ) -> Answer:
        stamp = self.now if timestamp is None else timestamp
        headers = {"content-type": content_type, **sign(body, stamp, secret or self.secret), **(extra_headers or {})}
        return self.send(api_event(body, headers, b64=b64), lazy=lazy)

    def send(self, event: dict[str, Any], *, lazy: bool = True) -> Answer:
        response = slack_lambda.handler(copy.deepcopy(event), LambdaContext())
        if lazy:
            self.lambda_client.drain()
            after_request()  # the notify function, on what the request committed
        raw = response.get("body") or ""
        try:
            body: Any = json.loads(raw) if raw else {}
        except ValueError:
            body = raw
        return Answer(int(response["statusCode"]), body)

    # -- what people do -----------------------------------------------------------------------

    def command_body(
        self, command: str, text: str = "", user: str = "U0ANA", team: str = TEAM, user_name: str = "ana.lopez"
    ) -> str:
        return urlencode(
            {
                "token": "deprecated-verification-token",
                "team_id": team,
                "team_domain": "acme",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": user,
                "user_name": user_name,
                "command": command,
                "text": text,
                "api_app_id": "A0PUNCH",
                "is_enterprise_install": "false",
                "response_url": "https://hooks.slack.com/commands/T0ACME/1/abc",
                "trigger_id": f"1337.{uuid.uuid4().hex[:8]}",
            }
        )

    def command(
        self,
        command: str,
        text: str = "",
        *,
        user: str = "U0ANA",
        team: str = TEAM,
        user_name: str = "ana.lopez",
        **post: Any,
    ) -> Answer:
        body = self.command_body(command, text, user, team, user_name)
        return self.post(body, "application/x-www-form-urlencoded", **post)

    def interact(self, payload: dict[str, Any], **post: Any) -> Answer:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **post)

    def click(
        self,
        action_id: str,
        value: str = "",
        *,
        user: str = "U0ANA",
        team: str = TEAM,
        view_id: str | None = "V0HOME",
        message: dict[str, Any] | None = None,
        action_ts: str | None = None,
        block_id: str = "b",
        ephemeral: bool = False,
        **post: Any,
    ) -> Answer:
        """A button click in the Home tab (`view_id`), or in a `message` ({ts, channel, blocks, text});
        Slack sends no copy of an `ephemeral` message, only where it was and a response_url."""
        action_ts = action_ts or f"{time.time():.6f}"
        container: dict[str, Any] = (
            {"type": "view", "view_id": view_id}
            if message is None
            else {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": message["channel"],
                "is_ephemeral": ephemeral,
            }
        )
        payload: dict[str, Any] = {
            **_who(user, team),
            "type": "block_actions",
            "trigger_id": f"1337.{uuid.uuid4().hex[:8]}",
            "container": container,
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": block_id, "value": value, "action_ts": action_ts}
            ],
        }
        if message is not None:
            payload["channel"] = {"id": message["channel"]}
            payload["response_url"] = f"{self.response_base}{uuid.uuid4().hex[:12]}"
            if not ephemeral:
                payload["message"] = message
        else:
            payload["view"] = {"id": view_id, "type": "home"}
        return self.interact(payload, **post)

    def pick(
        self, action_id: str, value: str, *, user: str = "U0ANA", team: str = TEAM, block_id: str = "b", **post: Any
    ) -> Answer:
        """A choice in a Home tab's menu (static_select), as Slack sends it: the option picked."""
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        payload: dict[str, Any] = {
            **_who(user, team),
            "type": "block_actions",
            "trigger_id": f"1337.{uuid.uuid4().hex[:8]}",
            "container": {"type": "view", "view_id": "V0HOME"},
            "view": {"id": "V0HOME", "type": "home"},
            "actions": [
                {
                    "type": "static_select",
                    "action_id": action_id,
                    "block_id": block_id,
                    "selected_option": option,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self.interact(payload, **post)

    def submit(
        self,
        values: dict[str, dict[str, Any]],
        *,
        view_id: str = "V0MODAL",
        user: str = "U0ANA",
        team: str = TEAM,
        **post: Any,
    ) -> Answer:
        """A view_submission of the expense modal; `values` is block id -> the element's state."""
        payload = {
            **_who(user, team),
            "type": "view_submission",
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": "expense_modal",
                "hash": "1790000000.abc",
                "state": {"values": {block: {block: state} for block, state in values.items()}},
            },
        }
        return self.interact(payload, **post)

    def home_opened(
        self,
        *,
        user: str = "U0ANA",
        team: str = TEAM,
        event_id: str = "Ev0HOME1",
        tab: str = "home",
        retry: int | None = None,
        **post: Any,
    ) -> Answer:
        body = json.dumps(
            {
                "token": "deprecated",
                "team_id": team,
                "api_app_id": "A0PUNCH",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": self.now,
                "event": {
                    "type": "app_home_opened",
                    "user": user,
                    "channel": "D0HOME",
                    "tab": tab,
                    "event_ts": f"{self.now}.000100",
                },
                "authorizations": [{"team_id": team, "user_id": "U0BOT", "is_bot": True}],
            }
        )
        headers = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"} if retry else None
        return self.post(body, "application/json", extra_headers=headers, **post)
