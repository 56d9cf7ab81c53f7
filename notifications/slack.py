"""The Slack door out: Home tab publishing, approval DMs and short DMs through the Slack Web API.

Implements `notifications.ports.SlackNotifier` on slack_sdk's WebClient alone (no Bolt), so the
notify function can republish a Home tab after any change (a clock-in by SMS updates Slack too).
The base URL comes from the settings' SLACK_API_URL, which tests and the local stack point at a
fake Slack on loopback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from core.catalogue import say
from core.domain.model import DEFAULT_LANGUAGE, Org, Worker
from core.replies import Style
from core.services.ports import Ports
from core.settings import SLACK_API, SLACK_BOT_TOKEN, Settings
from notifications.slack_home import home_view, stranger_home
from notifications.slack_views import approval_message, esc, reminder_message, section, settled_approval

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


def web_client(token: str | None, api_url: str = SLACK_API) -> WebClient:
    """A Web API client; build it once per container. Retries one 429 after its Retry-After."""
    base = api_url or SLACK_API
    return WebClient(
        token=token,
        base_url=base if base.endswith("/") else base + "/",
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=1)],
    )


class SlackWebNotifier:
    """What the core's notices become in Slack. Workers without a Slack id are skipped."""

    def __init__(self, client: WebClient, ports: Ports) -> None:
        self.client = client
        self.ports = ports

    def publish_home(self, worker: Worker, org: Org) -> None:
        if not worker.slack_user_id:
            return
        # Fresh: this may run in another container than the change, whose cached worker is old.
        current = self.ports.store.get_worker(worker.worker_id, fresh=True) or worker
        if not current.active:  # switched off since it was cached: their Home shows nothing of theirs
            self.publish_view(worker.slack_user_id, stranger_home(say("account_off", Style.SLACK)))
            return
        self.publish_view(worker.slack_user_id, home_view(current, org, self.ports))

    def publish_view(self, user_id: str, view: dict[str, Any]) -> None:
        self.client.views_publish(user_id=user_id, view=view)

    def request_approval(self, manager: Worker, item: Mapping[str, Any], zone: ZoneInfo) -> tuple[str, str] | None:
        if not manager.slack_user_id:
            return None
        text, blocks = approval_message(item, zone, manager.speaks)
        posted = self.client.chat_postMessage(channel=manager.slack_user_id, text=text, blocks=blocks)
        channel, ts = posted.get("channel"), posted.get("ts")
        return (str(channel), str(ts)) if channel and ts else None

    def settle_approval(
        self, channel: str, ts: str, item: Mapping[str, Any], zone: ZoneInfo, language: str = DEFAULT_LANGUAGE
    ) -> None:
        text, blocks = settled_approval(item, zone, language)
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    def remind(self, worker: Worker, text: str, buttons: list[tuple[str, str, str]]) -> None:
        if not worker.slack_user_id:
            return
        fallback, blocks = reminder_message(text, buttons)
        self.client.chat_postMessage(channel=worker.slack_user_id, text=fallback, blocks=blocks)

    def locale_of(self, user_id: str) -> str | None:
        """The user's Slack locale (`es-LA`, `en-US`), as Slack gives it only when asked (include_locale)."""
        try:
            found = self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as refused:  # no users:read scope, a deleted user: asking again will not help
            log.warning("slack gave no locale", extra={"error": refused.response.get("error")})
            return None
        user = found.get("user")
        locale = user.get("locale") if isinstance(user, dict) else None
        return str(locale) if locale else None

    def tell(self, worker: Worker, text: str) -> None:
        if not worker.slack_user_id:
            return
        self.client.chat_postMessage(channel=worker.slack_user_id, text=esc(text), blocks=[section(esc(text))])


def slack_notifier(settings: Settings, ports: Ports) -> SlackWebNotifier | None:
    """The deployment's notifier, or None when no bot token is configured (Slack is not set up)."""
    token = settings.secret(SLACK_BOT_TOKEN)
    if not token:
        return None
    return SlackWebNotifier(web_client(token, settings.slack_api_url), ports)
