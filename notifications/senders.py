"""The doors out, built once per container from the settings: Slack Web API, SMS, email (and the
receipt links report emails carry).

Each is None when the deployment does not have it configured (no bot token, no Twilio
credentials, no SENDER_EMAIL): a notice then skips that channel, and says so in the log.
SMS senders are per number to send from (a reply goes out from the number the worker texted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from core.services.ports import Ports
from core.settings import Settings
from notifications.email import EmailSender
from notifications.ports import SlackNotifier, SmsSender
from notifications.receipts import ReceiptLinks


def _no_sms(origination: str | None) -> SmsSender | None:
    return None


@dataclass(frozen=True)
class Senders:
    slack: SlackNotifier | None = None
    sms: Callable[[str | None], SmsSender | None] = field(default=_no_sms)
    email: EmailSender | None = None
    receipts: ReceiptLinks | None = None  # links to receipts in report emails (none without a bucket)


def senders_for(settings: Settings, ports: Ports) -> Senders:
    """What this deployment can send through; clients are made on first use (Twilio, SES)."""
    from notifications.email import email_sender
    from notifications.receipts import receipt_links
    from notifications.slack import slack_notifier
    from notifications.sms import sms_sender

    @cache
    def sms(origination: str | None) -> SmsSender | None:
        return sms_sender(settings, origination)

    email = email_sender(settings) if settings.sender_email else None
    return Senders(slack=slack_notifier(settings, ports), sms=sms, email=email, receipts=receipt_links(settings))
