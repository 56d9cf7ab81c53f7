"""What the SMS door needs, built once per container from the composition root (core/bootstrap.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, partial
from typing import Any

from bot.sms.media import ReceiptBucket, TwilioMedia
from core import bootstrap
from core.services.ports import Ports
from core.settings import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, Settings
from notifications.interface import sms_reply_sender
from notifications.ports import SmsSender


class Provider(StrEnum):
    TWILIO = "twilio"  # inbound webhook, replies in TwiML, MMS receipts, Twilio answers STOP/START itself
    AWS = "aws"  # two-way SMS through SNS, replies sent by us, no MMS: receipts by upload link


def public_base_url(event: dict[str, Any], settings: Settings) -> str:
    """The API's public URL: `PUBLIC_BASE_URL`, else its own execute-api URL ("" if unknown).

    The fallback is built from API Gateway's request context (the API's id and stage) and the
    function's region, never from a header a client sets; a custom domain must be configured.
    (A routed function cannot name its own API in its environment: CloudFormation sees a cycle.)
    """
    if settings.public_base_url:
        return settings.public_base_url
    context = event.get("requestContext") or {}
    api_id, stage, region = context.get("apiId"), context.get("stage"), settings.region
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
    settings: Settings
    receipts: ReceiptBucket | None = None
    media: TwilioMedia | None = None
    # How a reply goes out when it cannot ride in the response (AWS), given the number texted.
    replies: Callable[[str | None], SmsSender | None] = field(default=_no_sender)

    @property
    def public_base_url(self) -> str:
        return self.settings.public_base_url


def build_door(provider: Provider, ports: Ports, settings: Settings) -> Door:
    """The door for `provider` around `ports`, configured by `settings`."""
    bucket = settings.receipts_bucket
    twilio = provider is Provider.TWILIO
    return Door(
        ports=ports,
        provider=provider,
        settings=settings,
        receipts=ReceiptBucket(bucket) if bucket else None,
        media=TwilioMedia(partial(_twilio_credentials, settings), settings.twilio_api_url) if twilio else None,
        replies=_no_sender if twilio else cache(partial(sms_reply_sender, settings, provider.value)),
    )


def _twilio_credentials(settings: Settings) -> tuple[str | None, str | None]:
    return settings.secret(TWILIO_ACCOUNT_SID), settings.secret(TWILIO_AUTH_TOKEN)


@cache
def door(provider: Provider) -> Door:
    """The container's door, on the composition root's ports and settings."""
    return build_door(provider, bootstrap.ports(), bootstrap.settings())
