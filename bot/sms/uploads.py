"""One-time receipt upload links, for texts that cannot carry a photo (AWS two-way SMS has no MMS).

The link's token is a short-lived record (24 h, Store.upload_link) holding which expense it is
for. The page posts the file straight to S3 (presigned POST); S3 sends the browser back to the
page, which checks what arrived, links it to the expense and spends the token.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.sms.media import MAX_BYTES, ReceiptBucket, acceptable_type, receipt_key
from core.domain.model import Expense, Worker
from core.ports import Outcome, Store, UploadLink

UPLOAD_LIFETIME = timedelta(hours=24)
UPLOAD_PATH = "/receipts/upload/"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")  # token_urlsafe(12): 96 random bits, GSM-7 safe, short enough for SMS


def offer_upload(
    store: Store, now: datetime, base_url: str, worker: Worker, logged: Outcome, delivery_key: str
) -> str | None:
    """A link to add a receipt to the expense just logged, offered once per inbound message: a
    redelivered message (SNS and Lambda deliver at least once) gets the same link back and writes
    nothing. None if that earlier offer has expired meanwhile."""
    d = logged.data
    link = UploadLink(
        token=secrets.token_urlsafe(12),
        org_id=worker.org_id,
        worker_id=worker.worker_id,
        expense_id=str(d.get("expense_id") or ""),
        spent_on=date.fromisoformat(str(d["spent_on"])),
        amount=str(d.get("amount") or ""),
        currency=str(d.get("currency") or ""),
        category=str(d.get("category") or ""),
    )
    offered = store.offer_upload(delivery_key, link, now, now + UPLOAD_LIFETIME)
    return f"{base_url}{UPLOAD_PATH}{offered.token}" if offered is not None else None


@dataclass(frozen=True)
class PendingUpload:
    """An upload link, with where its file lands in the receipts bucket."""

    link: UploadLink

    @property
    def token(self) -> str:
        return self.link.token

    @property
    def expense_id(self) -> str:
        return self.link.expense_id

    @property
    def key(self) -> str:
        """Where the browser's POST lands: one key per link, never the one linked to the expense."""
        return receipt_key(self.link.org_id, self.link.worker_id, f"{self.link.expense_id}-upload-{self.token}")

    @property
    def final_key(self) -> str:
        return receipt_key(self.link.org_id, self.link.worker_id, f"{self.link.expense_id}-receipt-{self.token}")


def pending_upload(store: Store, token: str, now: datetime) -> PendingUpload | None:
    if not _TOKEN.fullmatch(token):
        return None
    link = store.upload_link(token, now)
    return PendingUpload(link) if link is not None else None


class Completion(StrEnum):
    ATTACHED = "attached"
    NOTHING_YET = "nothing_yet"  # the browser came back without a file in the bucket
    REFUSED = "refused"  # wrong type or too big: removed, the link still works
    GONE = "gone"  # the expense no longer exists


def complete_upload(store: Store, bucket: ReceiptBucket, upload: PendingUpload, now: datetime) -> Completion:
    """Check what S3 received (the POST policy already limits type and size), then link it, once.

    Each step can be run again after a failure: a copy already promoted (the staging copy gone)
    is linked on the next try.
    """
    head = bucket.head(upload.key)
    if head is None:
        if bucket.head(upload.final_key) is None:
            return Completion.NOTHING_YET
        return _attach(store, upload, now)
    if int(head.get("ContentLength", 0)) > MAX_BYTES or not acceptable_type(str(head.get("ContentType", ""))):
        bucket.delete([upload.key])
        return Completion.REFUSED
    if _expense(store, upload) is None:
        return Completion.GONE
    bucket.promote(upload.key, upload.final_key)
    return _attach(store, upload, now)


def _expense(store: Store, upload: PendingUpload) -> Expense | None:
    link = upload.link
    found = store.worker_expenses(link.worker_id, link.spent_on, link.spent_on)
    return next((e for e in found if e.expense_id == link.expense_id), None)


def _attach(store: Store, upload: PendingUpload, now: datetime) -> Completion:
    expense = _expense(store, upload)
    if expense is None:
        return Completion.GONE
    store.attach_receipt(expense, upload.final_key)
    store.spend_upload_link(upload.token)
    return Completion.ATTACHED
