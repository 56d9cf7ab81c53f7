"""Sending one email: SES v2 `send_email`, from the deployment's verified identity `SENDER_EMAIL`.

`EmailSender` is the port; `SesEmailSender` implements it. A message with attachments goes as
raw MIME (built with the stdlib `email` package, 7-bit clean), one without as SES's Simple
content (text and HTML). The boto3 client is made once per sender, and the sender once per
container; boto3 itself honours AWS_ENDPOINT_URL, which the local stack points at its emulator.
Without SENDER_EMAIL nothing can be sent: `email_sender` logs that and returns None, and callers
tell the person that email is not set up (fail closed).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate
from typing import Any, NamedTuple, Protocol

from core.settings import Settings

log = logging.getLogger(__name__)

FROM_NAME = "Punchclock"
# Base64 or quoted-printable for anything not ASCII: the raw message is 7-bit clean.
MIME_POLICY = SMTP.clone(cte_type="7bit")


class Attachment(NamedTuple):
    """(filename, content type, bytes): any such tuple will do."""

    filename: str
    content_type: str  # e.g. "text/csv"
    content: bytes


class EmailSender(Protocol):
    """Sends one email to everyone in `to`; returns the provider's message id."""

    def send(
        self,
        to: Sequence[str],
        subject: str,
        text: str,
        html: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
    ) -> str: ...


def one_line(text: str) -> str:
    """A header value: line breaks in a name must not become headers of their own."""
    return " ".join(text.split())


def mime_message(
    sender: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """multipart/mixed: the text and HTML alternatives, then each attachment."""
    message = EmailMessage(policy=MIME_POLICY)
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(usegmt=True)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype or "octet-stream", filename=one_line(filename)
        )
    return message


class SesEmailSender:
    def __init__(self, sender: str, client: Any = None) -> None:
        if "@" not in sender:
            raise ValueError("the sender must be an email address (a verified SES identity)")
        self.sender = sender
        self._from = formataddr((FROM_NAME, sender))
        self._client = client if client is not None else _sesv2_client()

    def send(
        self,
        to: Sequence[str],
        subject: str,
        text: str,
        html: str,
        attachments: Sequence[tuple[str, str, bytes]] = (),
    ) -> str:
        if not to:
            raise ValueError("an email needs at least one recipient")
        if attachments:
            raw = mime_message(self._from, to, subject, text, html, attachments).as_bytes()
            content: dict[str, Any] = {"Raw": {"Data": raw}}
        else:
            content = {
                "Simple": {
                    "Subject": {"Data": one_line(subject), "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}, "Html": {"Data": html, "Charset": "UTF-8"}},
                }
            }
        response = self._client.send_email(
            FromEmailAddress=self._from, Destination={"ToAddresses": list(to)}, Content=content
        )
        return str(response["MessageId"])


def _sesv2_client() -> Any:
    import boto3  # deferred: only the paths that send email pay for the client

    return boto3.client("sesv2")


def email_sender(settings: Settings) -> EmailSender | None:
    """The deployment's sender, or None (logged) when SENDER_EMAIL does not name an address."""
    sender = (settings.sender_email or "").strip()
    if "@" not in sender:
        log.error("SENDER_EMAIL is not set to a verified SES address; no email will be sent")
        return None
    return SesEmailSender(sender)
