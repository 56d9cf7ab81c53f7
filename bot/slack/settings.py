"""What the Slack door needs from its environment, read once per request from cached sources.

Secrets come through `bot.secrets` (an env var of the same name locally, SSM Parameter Store with
Powertools caching in the cloud). A missing secret is reported by name so the handler can refuse
every request with one clear log line: no signing secret means no request can be verified.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from bot.secrets import get_secret
from notifications.slack import SLACK_API_DEFAULT


@dataclass(frozen=True)
class Settings:
    signing_secret: str = field(repr=False)
    bot_token: str = field(repr=False)
    api_url: str = SLACK_API_DEFAULT
    receipts_bucket: str | None = None
    sms_provider: str | None = None  # set: managers without Slack get approval requests by SMS


def load_settings() -> Settings | list[str]:
    """The settings, or the names of the missing secrets."""
    signing_secret = get_secret("SLACK_SIGNING_SECRET")
    bot_token = get_secret("SLACK_BOT_TOKEN")
    found = {"SLACK_SIGNING_SECRET": signing_secret, "SLACK_BOT_TOKEN": bot_token}
    missing = [name for name, value in found.items() if not value]
    if missing or signing_secret is None or bot_token is None:
        return missing
    return Settings(
        signing_secret=signing_secret,
        bot_token=bot_token,
        api_url=os.environ.get("SLACK_API_URL") or SLACK_API_DEFAULT,
        receipts_bucket=os.environ.get("RECEIPTS_BUCKET") or None,
        sms_provider=os.environ.get("SMS_PROVIDER") or None,
    )
