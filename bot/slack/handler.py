"""Lambda entry for Slack (infra/template.yaml: bot.slack.handler.handler).

One URL for slash commands, interactivity and events. Fails closed: without the signing secret
and the bot token nothing is verified, so every request is refused with one log line naming what
is missing. Everything else is built once per container, on the first request, from the
composition root (core/bootstrap.py): the core's ports, the Web API client, the Bolt app. Lazy
listeners come back through this same handler.

The path of `/clockin north-site`: handler -> Bolt -> app.answer_command -> listeners.answer_command
-> commands.run -> core.services.dispatch.handle -> shifts.clock_in (one TransactWriteItems that
also records the notices) -> the ephemeral reply. The notify function refreshes the Home tab later.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths
from pydantic import ValidationError
from slack_bolt import BoltRequest
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner
from slack_bolt.request.internals import parse_body

from bot.metrics import metrics, reply_sent, request_refused
from bot.slack.app import build_app
from bot.slack.door import Door, SlackSecrets
from core import bootstrap
from core.catalogue import say
from core.replies import Style
from core.settings import SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET
from notifications.interface import slack_notifier

logger = Logger()

NOT_CONFIGURED = {
    "statusCode": 500,
    "headers": {"content-type": "text/plain"},
    "body": say("slack_not_configured", Style.SLACK),
}
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")  # what Slack sends in X-Slack-Request-Timestamp
# Far above anything Slack sends (a modal's submission is a few KB to tens of KB): refused unread.
MAX_BODY_CHARS = 1024 * 1024

# The seam for tests and the local stack: how lazy listeners are invoked (None: Bolt's own boto3
# Lambda client, created on the first lazy listener).
make_lambda_client: Callable[[], Any] | None = None


class ForgivingLazyRunner(LambdaLazyListenerRunner):
    """Bolt's async self-invoke, except that a failed invoke is logged instead of raised: the user's
    request was answered and its change committed, so Slack must not show them an error for it."""

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        try:
            super().start(function, request)
        except Exception:
            logger.exception("lazy listener not started", extra={"lazy": request.lazy_function_name})


@lru_cache(maxsize=1)
def slack_handler(secrets: SlackSecrets) -> SlackRequestHandler:
    """Built once per container (and again only if a secret rotates)."""
    settings, ports = bootstrap.settings(), bootstrap.ports()
    notifier = slack_notifier(settings, ports)
    assert notifier is not None  # the bot token is one of the secrets just checked
    request_handler = SlackRequestHandler(build_app(Door(settings, secrets, ports, notifier)))
    lambda_client = make_lambda_client() if make_lambda_client is not None else None
    request_handler.app.listener_runner.lazy_listener_runner = ForgivingLazyRunner(
        request_handler.logger, lambda_client
    )
    return request_handler


def reset() -> None:
    """Forget the container's door (tests, after changing the seams or the environment)."""
    slack_handler.cache_clear()


def _secrets() -> SlackSecrets | None:
    """The two secrets, or None after one log line naming what is missing (every request refused)."""
    try:
        found = bootstrap.settings().require(SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN)
    except ValidationError as err:
        problems = [".".join(str(part) for part in e["loc"]) for e in err.errors(include_input=False)]
        logger.error("Slack request refused: settings invalid", extra={"problems": problems})
        return None
    if isinstance(found, list):
        logger.error(
            "Slack request refused: secrets missing (set the env vars or their *_PARAM SSM names)",
            extra={"missing": found},
        )
        return None
    return SlackSecrets(found[SLACK_SIGNING_SECRET], found[SLACK_BOT_TOKEN])


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    secrets = _secrets()
    if secrets is None:
        return dict(NOT_CONFIGURED)
    event, refusal = _readable(event)
    if refusal is not None:
        request_refused()
        return refusal
    headers = event.get("headers") or {}
    logger.append_keys(
        slack_lazy=bool(headers.get("x-slack-bolt-lazy-only")), slack_retry=headers.get("x-slack-retry-num")
    )
    response: dict[str, Any] = slack_handler(secrets).handle(event, context)
    if response.get("statusCode") == 401:
        logger.warning("Slack request refused: bad or stale signature")
        request_refused()
    elif response.get("statusCode") == 200 and response.get("body"):
        reply_sent()  # an answer a person reads (follow-ups and DMs go out as notices)
    return response


def _readable(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The event with its body as text, or the answer to a request Bolt cannot even read.

    Bolt parses the body before it checks the signature: its check raises on a timestamp that is
    not an integer, its Lambda adapter on a base64 body that is not UTF-8 or a missing
    `isBase64Encoded`, and its parser on a body that claims JSON and is not a JSON object. Anyone
    could turn each into a 500 and an ERROR log. They are the client's errors, answered here with
    a warning (no text from the request is logged), as is a body larger than Slack ever sends.
    """
    headers = {str(name).lower(): value for name, value in (event.get("headers") or {}).items()}
    stamp = headers.get("x-slack-request-timestamp")
    if stamp is not None and not UNIX_SECONDS.fullmatch(str(stamp)):
        logger.warning("Slack request refused: malformed timestamp header")
        return event, _plain_answer(401, "Unauthorized")
    body = event.get("body") or ""
    if not isinstance(body, str) or len(body) > MAX_BODY_CHARS:
        logger.warning("Slack request refused: body too large or not text")
        return event, _plain_answer(413, HTTPStatus.REQUEST_ENTITY_TOO_LARGE.phrase)
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            logger.warning("Slack request refused: body is not base64-encoded UTF-8")
            return event, _plain_answer(400, "Bad Request")
    content_type = str(headers.get("content-type") or "").split(";")[0] or None
    try:
        parsed = parse_body(body, content_type)  # as Bolt will, before it verifies anything
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        logger.warning("Slack request refused: body is not a form or a JSON object")
        return event, _plain_answer(400, "Bad Request")
    return {**event, "headers": event.get("headers") or {}, "body": body, "isBase64Encoded": False}, None


def _plain_answer(status: int, text: str) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"content-type": "text/plain"}, "body": text}
