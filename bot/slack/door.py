"""What one Lambda container keeps for the Slack door, and the small steps every listener shares.

Built once per container (handler.py) from the composition root (core/bootstrap.py): the core's
ports, the settings, the two Slack secrets, the Web API notifier with the bot token and, on first
use, the S3 client for receipts. Nothing here tells anyone about a change: the core records a
notice with it and the notify function delivers it after the reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from bot.slack.identity import Member, Stranger, resolve
from core.ports import Outcome
from core.services import deliveries
from core.services.ports import Ports
from core.settings import Settings

if TYPE_CHECKING:
    from notifications.interface import SlackWebNotifier

logger = Logger(child=True)

FOLLOWUP_TTL = timedelta(days=1)  # longer than any Lambda async retry of a lazy listener


@dataclass(frozen=True)
class SlackSecrets:
    signing_secret: str = field(repr=False)
    bot_token: str = field(repr=False)


@dataclass
class Door:
    settings: Settings
    secrets: SlackSecrets
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
        """True the first time `name` is claimed: follow-ups (Home, receipt copies, a decided DM)
        run once even when a double submission or Lambda's async retry runs a lazy listener again."""
        return deliveries.once(f"slack:{name}", self.ports, FOLLOWUP_TTL)


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
