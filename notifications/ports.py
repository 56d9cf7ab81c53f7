"""Doors out, as interfaces: how a notice reaches a person by Slack or by SMS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.domain.model import DEFAULT_LANGUAGE, Org, Worker


class SmsSender(Protocol):
    """Sends one text. Implementations: Twilio REST and SNS (notifications/sms.py)."""

    def send(self, to: str, body: str) -> str | None:
        """Send `body` to E.164 number `to`; returns the provider's message id."""
        ...


class SlackNotifier(Protocol):
    """Slack Web API calls made on behalf of the core (notifications/slack.py)."""

    def publish_home(self, worker: Worker, org: Org) -> None: ...

    def request_approval(self, manager: Worker, item: Mapping[str, Any], zone: ZoneInfo) -> tuple[str, str] | None:
        """DM a manager a waiting item (core.services.corrections.item_data) with Approve / Reject
        buttons; where it was posted (channel, ts), to update it once decided."""
        ...

    def settle_approval(
        self, channel: str, ts: str, item: Mapping[str, Any], zone: ZoneInfo, language: str = DEFAULT_LANGUAGE
    ) -> None:
        """Show an approval DM decided (`item` carries the decision): who decided, when, no buttons."""
        ...

    def remind(self, worker: Worker, text: str, buttons: list[tuple[str, str, str]]) -> None:
        """DM a worker a reminder with its answers as buttons (label, action id, value)."""
        ...

    def tell(self, worker: Worker, text: str) -> None:
        """DM a worker a short plain message."""
        ...

    def locale_of(self, user_id: str) -> str | None:
        """The Slack user's locale (`users.info` with `include_locale`), None when Slack gives none."""
        ...
