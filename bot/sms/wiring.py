"""What the SMS door needs, built once per container from the environment (the template sets it)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, partial
from typing import Any

from bot.sms.media import ReceiptBucket, TwilioMedia, bucket_from_env
from core.domain.clock import SystemClock
from core.services.ports import Ports
from notifications.ports import SlackNotifier, SmsSender


class Provider(StrEnum):
    TWILIO = "twilio"  # inbound webhook, replies in TwiML, MMS receipts, Twilio answers STOP/START itself
    AWS = "aws"  # two-way SMS through SNS, replies sent by us, no MMS: receipts by upload link


def public_base_url(event: dict[str, Any]) -> str:
    """The API's public URL: `PUBLIC_BASE_URL`, else its own execute-api URL ("" if unknown).

    The fallback is built from API Gateway's request context (the API's id and stage) and the
    function's region, never from a header a client sets; a custom domain must be configured.
    (A routed function cannot name its own API in its environment: CloudFormation sees a cycle.)
    """
    configured = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    if configured:
        return configured
    context = event.get("requestContext") or {}
    api_id, stage = context.get("apiId"), context.get("stage")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not (api_id and region):
        return ""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    base = f"https://{api_id}.execute-api.{region}.{suffix}"
    return f"{base}/{stage}" if stage and stage != "$default" else base


def _no_sender(origination: str | None) -> SmsSender | None:
    return None


@dataclass(frozen=True)
class Door:
    ports: Ports
    provider: Provider
    public_base_url: str = ""
    receipts: ReceiptBucket | None = None
    media: TwilioMedia | None = None
    # The sender for replies and notices, given the number to send from (None: the deployment's default).
    senders: Callable[[str | None], SmsSender | None] = field(default=_no_sender)
    slack: SlackNotifier | None = None


def _slack_from_env(ports: Ports) -> SlackNotifier | None:
    """Slack, when this deployment has a bot token: an SMS worker's correction may go to a Slack manager."""
    if not (os.environ.get("SLACK_BOT_TOKEN") or os.environ.get("SLACK_BOT_TOKEN_PARAM")):
        return None
    from notifications.slack import notifier_from_env  # deferred: slack_sdk only where Slack is configured

    return notifier_from_env(ports)


def build_door(provider: Provider, ports: Ports) -> Door:
    """The door for `provider` around `ports`, configured by the environment."""
    from notifications.sms import sender_from_env, twilio_api_url

    return Door(
        ports=ports,
        provider=provider,
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        receipts=bucket_from_env(),
        media=TwilioMedia(twilio_api_url()) if provider is Provider.TWILIO else None,
        senders=cache(partial(sender_from_env, provider=provider.value)),
        slack=_slack_from_env(ports),
    )


@cache
def door(provider: Provider) -> Door:
    """The container's door: its store (TABLE_NAME) with orgs cached, and the system clock."""
    from core.store.factory import default_store  # deferred: a forged request never loads boto3

    return build_door(provider, Ports(store=default_store(), clock=SystemClock()))
