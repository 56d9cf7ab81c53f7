"""Emails the functions sent through the emulated SES, put into the outbox as their recipients see them.

The handlers send with boto3's `sesv2.send_email` to the emulator (AWS_ENDPOINT_URL), exactly as
in the cloud; nothing in the application knows it runs locally. moto's server runs in this
process and keeps every message its SES accepted, so after each function invocation the stack
asks for the ones it has not seen: one outbox entry per recipient, with subject, text and HTML.
The list starts empty with every start of the emulator, so nothing is recorded twice.
"""

from __future__ import annotations

import logging
import re
import threading
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from infra.local import seed
from infra.local.emulator import ACCOUNT_ID, REGION
from infra.local.outbox import Outbox

log = logging.getLogger("infra.local")


MESSAGE_ID = re.compile(r"^[A-Za-z0-9-]{1,100}$")  # moto's SES message ids, and what a path may name


class SentMail:
    """`attachments_dir`: where each email's attachments are kept (<dir>/<message id>/<n>), for the
    console's download links."""

    def __init__(self, outbox: Outbox, attachments_dir: Path | None = None) -> None:
        self._outbox = outbox
        self._dir = attachments_dir
        self._lock = threading.Lock()
        self._seen = 0

    def collect(self) -> int:
        """Record what SES accepted since the last call; returns how many messages that was."""
        from moto.ses.models import ses_backends  # the emulator's own state: moto serves from this process

        with self._lock:
            sent = ses_backends[ACCOUNT_ID][REGION].sent_messages
            new, self._seen = list(sent[self._seen :]), len(sent)
            for message in new:
                try:
                    self._record(message)
                except Exception:  # one odd message must not hide the next
                    log.exception("could not show an email in the outbox")
            return len(new)

    def _record(self, message: Any) -> None:
        if hasattr(message, "raw_data"):  # Content.Raw: MIME as the recipient's mail client gets it
            mime = message_from_string(message.raw_data, policy=default)
            assert isinstance(mime, EmailMessage)
            recipients = [str(d) for d in message.destinations]
            subject, text, html = str(mime["Subject"] or ""), _part(mime, "plain"), _part(mime, "html")
            attachments = [self._keep(message.id, n, a) for n, a in enumerate(mime.iter_attachments())]
        else:  # Content.Simple: moto keeps the subject and one body (the HTML one when both were sent)
            recipients = [str(d) for ds in message.destinations.values() for d in ds]
            subject, html, attachments = str(message.subject), str(message.body), []
            text = html
        for address in _unique_addresses(recipients):
            person = seed.by_email(address)
            self._outbox.record(
                "email",
                address,
                text,
                "ses.send_email",
                to_name=person.name if person else None,
                detail={
                    "subject": subject,
                    "html": html,
                    "from": str(message.source),
                    "attachments": attachments,
                    "message_id": message.id,
                },
            )

    def _keep(self, message_id: str, index: int, part: Any) -> dict[str, Any]:
        content = part.get_content()
        data = content.encode() if isinstance(content, str) else bytes(content)
        if self._dir is not None and MESSAGE_ID.match(message_id):
            folder = self._dir / message_id
            folder.mkdir(parents=True, exist_ok=True)
            (folder / str(index)).write_bytes(data)
        return {"filename": part.get_filename(), "content_type": part.get_content_type(), "size": len(data)}

    def attachment(self, message_id: str, index: int) -> bytes | None:
        """A kept attachment's bytes, or None."""
        if self._dir is None or not MESSAGE_ID.match(message_id) or index < 0:
            return None
        path = self._dir / message_id / str(index)
        return path.read_bytes() if path.is_file() else None


def _part(mime: EmailMessage, subtype: str) -> str:
    body = mime.get_body((subtype,))
    return str(body.get_content()) if body is not None else ""


def _unique_addresses(recipients: list[str]) -> list[str]:
    """Addresses once each, in order (moto lists Raw recipients from both Destination and To)."""
    found: list[str] = []
    for _, address in getaddresses(recipients):
        if address and address.lower() not in (a.lower() for a in found):
            found.append(address)
    return found
