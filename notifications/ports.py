"""Doors out, as interfaces: how a notice reaches a person by Slack or by SMS."""

from __future__ import annotations

from typing import Protocol

from core.domain.model import Org, PendingCorrection, Worker


class SmsSender(Protocol):
    """Sends one text. Implementations: Twilio REST and SNS (notifications/sms.py)."""

    def send(self, to: str, body: str) -> str | None:
        """Send `body` to E.164 number `to`; returns the provider's message id."""
        ...


class SlackNotifier(Protocol):
    """Slack Web API calls made on behalf of the core (notifications/slack.py)."""

    def publish_home(self, worker: Worker, org: Org) -> None: ...

    def request_approval(self, manager: Worker, worker: Worker, pending: PendingCorrection, org: Org) -> None:
        """DM a manager the correction with Approve / Reject buttons."""
        ...

    def remind(self, worker: Worker, text: str, buttons: list[tuple[str, str, str]]) -> None:
        """DM a worker a reminder with its answers as buttons (label, action id, value)."""
        ...

    def tell(self, worker: Worker, text: str) -> None:
        """DM a worker a short plain message."""
        ...
