"""One-time receipt upload links, for texts that cannot carry a photo (AWS two-way SMS has no MMS).

The link's token is a marker valid 24 h holding which expense it is for. The page posts the file
straight to S3 (presigned POST); S3 sends the browser back to the page, which checks what arrived,
links it to the expense and spends the token.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.sms.media import MAX_BYTES, ReceiptBucket, acceptable_type, receipt_key
from core.domain.model import Expense, Worker
from core.ports import Outcome, Store

UPLOAD_LIFETIME = timedelta(hours=24)
UPLOAD_PATH = "/receipts/upload/"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")  # token_urlsafe(12): 96 random bits, GSM-7 safe, short enough for SMS


def _marker(token: str) -> str:
    return f"upload:{token}"


def offer_upload(
    store: Store, now: datetime, base_url: str, worker: Worker, logged: Outcome, delivery_key: str
) -> str | None:
    """A link to add a receipt to the expense just logged, offered once per inbound message.

    The message's delivery key is claimed with the token first: a redelivered message (SNS and
    Lambda deliver at least once) gets the same link back and writes nothing. None if that
    earlier offer has expired meanwhile.
    """
    token = secrets.token_urlsafe(12)
    offer = f"upload-offer:{delivery_key}"
    if store.claim_marker(offer, now + UPLOAD_LIFETIME, now, {"token": token}):
        d = logged.data
        payload = {
            "org_id": worker.org_id,
            "worker_id": worker.worker_id,
            **{name: d.get(name) for name in ("expense_id", "spent_on", "amount", "currency", "category")},
        }
        store.claim_marker(_marker(token), now + UPLOAD_LIFETIME, now, payload)
    else:
        earlier = store.peek_marker(offer, now)
        if earlier is None:
            return None
        token = str(earlier["token"])
    return f"{base_url}{UPLOAD_PATH}{token}"


@dataclass(frozen=True)
class PendingUpload:
    token: str
    org_id: str
    worker_id: str
    expense_id: str
    spent_on: date
    amount: str
    currency: str
    category: str

    @property
    def key(self) -> str:
        """Where the browser's POST lands: one key per link, never the one linked to the expense."""
        return receipt_key(self.org_id, self.worker_id, f"{self.expense_id}-upload-{self.token}")

    @property
    def final_key(self) -> str:
        return receipt_key(self.org_id, self.worker_id, f"{self.expense_id}-receipt-{self.token}")


def pending_upload(store: Store, token: str, now: datetime) -> PendingUpload | None:
    if not _TOKEN.fullmatch(token):
        return None
    d = store.peek_marker(_marker(token), now)
    if not d or not d.get("expense_id"):
        return None
    return PendingUpload(
        token=token,
        org_id=str(d["org_id"]),
        worker_id=str(d["worker_id"]),
        expense_id=str(d["expense_id"]),
        spent_on=date.fromisoformat(str(d["spent_on"])),
        amount=str(d.get("amount") or ""),
        currency=str(d.get("currency") or ""),
        category=str(d.get("category") or ""),
    )


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
    found = store.worker_expenses(upload.worker_id, upload.spent_on, upload.spent_on)
    return next((e for e in found if e.expense_id == upload.expense_id), None)


def _attach(store: Store, upload: PendingUpload, now: datetime) -> Completion:
    expense = _expense(store, upload)
    if expense is None:
        return Completion.GONE
    store.attach_receipt(expense, upload.final_key)
    store.take_marker(_marker(upload.token), now)
    return Completion.ATTACHED
