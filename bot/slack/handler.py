"""Lambda entry for Slack (infra/template.yaml: bot.slack.handler.handler).

One URL for slash commands, interactivity and events. Fails closed: without the signing secret
and the bot token nothing is verified, so every request is refused with one log line naming what
is missing. Everything else is built once per container, on the first request: the core's store,
the Web API client, the Bolt app. Lazy listeners come back through this same handler.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths
from slack_bolt import BoltRequest
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

from bot.slack.app import build_app
from bot.slack.door import Door
from bot.slack.settings import Settings, load_settings
from core.domain.clock import SystemClock
from core.services.ports import Ports
from core.store.factory import default_store
from notifications.slack import SlackWebNotifier, web_client

logger = Logger()

NOT_CONFIGURED = {
    "statusCode": 500,
    "headers": {"content-type": "text/plain"},
    "body": "Punchclock's Slack door is not configured.",
}
UNIX_SECONDS = re.compile(r"[0-9]{1,12}")  # what Slack sends in X-Slack-Request-Timestamp


def production_ports() -> Ports:
    return Ports(store=default_store(), clock=SystemClock())


# Seams for tests and the local stack: what the door is built on, and how lazy listeners are
# invoked (None: Bolt's own boto3 Lambda client, created on the first lazy listener).
make_ports: Callable[[], Ports] = production_ports
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
def slack_handler(settings: Settings) -> SlackRequestHandler:
    """Built once per container (and again only if a secret rotates)."""
    ports = make_ports()
    notifier = SlackWebNotifier(web_client(settings.bot_token, settings.api_url), ports)
    request_handler = SlackRequestHandler(build_app(Door(settings, ports, notifier)))
    lambda_client = make_lambda_client() if make_lambda_client is not None else None
    request_handler.app.listener_runner.lazy_listener_runner = ForgivingLazyRunner(
        request_handler.logger, lambda_client
    )
    return request_handler


def reset() -> None:
    """Forget the container's door (tests, after changing the seams or the environment)."""
    slack_handler.cache_clear()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = load_settings()
    if not isinstance(settings, Settings):
        logger.error(
            "Slack request refused: secrets missing (set the env vars or their *_PARAM SSM names)",
            extra={"missing": settings},
        )
        return dict(NOT_CONFIGURED)
    event, refusal = _readable(event)
    if refusal is not None:
        return refusal
    headers = event.get("headers") or {}
    logger.append_keys(
        slack_lazy=bool(headers.get("x-slack-bolt-lazy-only")), slack_retry=headers.get("x-slack-retry-num")
    )
    response: dict[str, Any] = slack_handler(settings).handle(event, context)
    if response.get("statusCode") == 401:
        logger.warning("Slack request refused: bad or stale signature")
    return response


def _readable(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The event with its body as text, or the answer to a request Bolt cannot even read.

    Bolt's signature check raises on a timestamp that is not an integer, and its Lambda adapter on
    a base64 body that is not UTF-8: anyone could turn either into a 500 and an ERROR log. They are
    the client's errors, answered here with a warning (no text from the request is logged).
    """
    headers = {str(name).lower(): value for name, value in (event.get("headers") or {}).items()}
    stamp = headers.get("x-slack-request-timestamp")
    if stamp is not None and not UNIX_SECONDS.fullmatch(str(stamp)):
        logger.warning("Slack request refused: malformed timestamp header")
        return event, _plain_answer(401, "Unauthorized")
    if not event.get("isBase64Encoded"):
        return event, None
    try:
        body = base64.b64decode(event.get("body") or "").decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        logger.warning("Slack request refused: body is not base64-encoded UTF-8")
        return event, _plain_answer(400, "Bad Request")
    return {**event, "body": body, "isBase64Encoded": False}, None


def _plain_answer(status: int, text: str) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"content-type": "text/plain"}, "body": text}
