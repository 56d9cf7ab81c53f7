"""Sign requests exactly as Slack and Twilio sign theirs, so the doors verify them unchanged."""

from __future__ import annotations

import hashlib
import hmac


def slack_signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    """`X-Slack-Signature`: v0= + HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """`X-Twilio-Signature`: what Twilio's own validator computes for this URL and these POST fields."""
    from twilio.request_validator import RequestValidator

    return str(RequestValidator(auth_token).compute_signature(url, params))
