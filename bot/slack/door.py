"""What one Lambda container keeps for the Slack door, and the small steps every listener shares.

Built once per container (handler.py): the core's ports, the Web API notifier with the bot
token, the org cache and, on first use, the S3 client for receipts, the SMS and email senders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from bot.slack.identity import Member, Stranger, resolve
from bot.slack.settings import Settings
from core.ports import Outcome
from core.services.ports import Ports
from notifications.notices import deliver
from notifications.ports import SmsSender
from notifications.slack import SlackWebNotifier

if TYPE_CHECKING:
    from notifications.email import EmailSender

logger = Logger(child=True)

FOLLOWUP_MARKER_TTL = timedelta(days=1)  # longer than any Lambda async retry of a lazy listener
# Notices that may text someone: a manager or worker without Slack, an invited phone.
MAY_TEXT = frozenset({"correction_requested", "correction_decided", "send_invite"})


@dataclass
class Door:
    settings: Settings
    ports: Ports
    notifier: SlackWebNotifier

    @cached_property
    def s3(self) -> Any:
        """Built on the first receipt (boto3 itself is already loaded by Bolt's Lambda adapter)."""
        import boto3

        return boto3.client("s3")

    def identify(self, body: dict[str, Any], *, enroll: bool = True) -> Member | Stranger:
        team_id, user_id, name = slack_user(body)
        return resolve(team_id, user_id, name, self.ports, enroll=enroll)

    def stored_outcome(self, delivery_key: str | None) -> Outcome | None:
        """What a change answered, as the core stored it with the delivery id in the same
        transaction; None for refusals and reads, which store nothing."""
        return self.ports.store.get_delivery(delivery_key) if delivery_key else None

    def once(self, name: str) -> bool:
        """True the first time `name` is claimed: follow-ups (DMs, Home, receipt copies) run once
        even when a double submission or Lambda's async retry runs a lazy listener again."""
        now = self.ports.clock.now()
        return self.ports.store.claim_marker(f"slack-once:{name}", now + FOLLOWUP_MARKER_TTL, now)

    def tell_others(self, outcome: Outcome) -> None:
        """Managers' approval DMs, the worker's DM and Home tabs: whatever the notices ask for."""
        needs_sms = any(notice.kind in MAY_TEXT for notice in outcome.notices)
        deliver(outcome.notices, self.ports.store, self.notifier, self.sms if needs_sms else None)

    @cached_property
    def sms(self) -> SmsSender | None:
        """The deployment's SMS sender, built on first need (never on the ack path), if it has one."""
        if not self.settings.sms_provider:
            return None
        from notifications.sms import sender_from_env  # deferred: Twilio only when a text is sent

        return sender_from_env()

    @cached_property
    def email(self) -> EmailSender | None:
        """SES from SENDER_EMAIL, built on the first email (never on the ack path); None if unset."""
        from notifications.email import sender_from_env

        return sender_from_env()


def slack_user(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """(team id, user id, display name) from a slash command, an interaction or an event."""
    if "user_id" in body:  # slash command
        return body["team_id"], body["user_id"], body.get("user_name")
    user = body.get("user")
    if isinstance(user, dict):  # block_actions, view_submission
        team = user.get("team_id") or (body.get("team") or {}).get("id", "")
        return team, user["id"], user.get("name") or user.get("username")
    event = body.get("event") or {}
    return body.get("team_id", ""), event.get("user", ""), None
