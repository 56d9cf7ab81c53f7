"""Copy a receipt uploaded in the expense modal into the private receipts bucket.

Runs in a lazy listener: files.info names the file's private download URL, which is fetched with
the bot token (sent only to Slack's own hosts, or to the SLACK_API_URL host in tests and the local
stack), then stored server-side encrypted under a key derived from the expense, so a rerun writes
the same object and links the same key.
"""

from __future__ import annotations

import re
import urllib.request
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from bot.slack.door import Door
from core.domain.model import Expense, Worker

MAX_RECEIPT_BYTES = 20 * 1024 * 1024
DOWNLOAD_TIMEOUT_SECONDS = 10
_EXTENSION = re.compile(r"[a-z0-9]{1,5}")


class ReceiptError(Exception):
    """The receipt could not be copied; the expense stays logged without it."""


def copy_receipt(door: Door, worker: Worker, expense_id: str, spent_on: date, file_id: str) -> Expense:
    """Copy the file, then link it to the expense; returns the expense as now stored."""
    bucket = door.settings.receipts_bucket
    if not bucket:
        raise ReceiptError("RECEIPTS_BUCKET is not set")
    info = door.notifier.client.files_info(file=file_id)["file"]
    url = info.get("url_private_download") or info.get("url_private") or ""
    if not _trusted(url, door.settings.slack_api_url):
        raise ReceiptError(f"refusing to send the bot token to {urlsplit(url).hostname}")
    body = _download(url, door.secrets.bot_token)
    key = receipt_key(worker, expense_id, info)
    door.s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType=str(info.get("mimetype") or "application/octet-stream"),
        ServerSideEncryption="AES256",
    )
    store = door.ports.store
    found = store.worker_expenses(worker.worker_id, spent_on, spent_on)
    expense = next((e for e in found if e.expense_id == expense_id), None)
    if expense is None:
        raise ReceiptError("expense not found")
    return expense if expense.receipt_key == key else store.attach_receipt(expense, key)


def receipt_key(worker: Worker, expense_id: str, info: dict[str, Any]) -> str:
    ext = str(info.get("filetype") or "").lower()
    suffix = f".{ext}" if _EXTENSION.fullmatch(ext) else ""
    return f"receipts/{worker.org_id}/{worker.worker_id}/{expense_id}{suffix}"


def _trusted(url: str, api_url: str) -> bool:
    parts, api = urlsplit(url), urlsplit(api_url)
    host = parts.hostname or ""
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return bool(host) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def _download(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - host checked
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:  # noqa: S310
        body = response.read(MAX_RECEIPT_BYTES + 1)
    if len(body) > MAX_RECEIPT_BYTES:
        raise ReceiptError("receipt larger than 20 MB")
    return bytes(body)
