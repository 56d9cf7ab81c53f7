"""Links to receipts in report emails: S3 presigned GET URLs on the private receipts bucket.

A receipt is kept at `receipts/<org>/<worker>/...` in `RECEIPTS_BUCKET` (bot/sms/media.py,
bot/slack/receipts.py). A link is made for an org's own receipts only (its key's prefix), signs
one GET of one object, and expires after `LINK_SECONDS` (7 days, SigV4's longest), or sooner
when the credentials that signed it expire first (a Lambda role's do: then the link lasts as
long as that session; an operator who wants the full week signs with longer-lived credentials).
Presigning is local computation: no call to S3 is made here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core.settings import Settings

log = logging.getLogger(__name__)

LINK_SECONDS = 7 * 24 * 3600
RECEIPT_PREFIX = "receipts/"


class ReceiptLinks:
    def __init__(self, bucket: str, client: Any = None, region: str | None = None) -> None:
        self.bucket = bucket
        self._client = client
        self._region = region

    @property
    def s3(self) -> Any:
        if self._client is None:
            import boto3  # deferred: only a report with receipts signs a link
            from botocore.config import Config

            self._client = boto3.client("s3", region_name=self._region, config=Config(signature_version="s3v4"))
        return self._client

    def for_org(self, org_id: str) -> Callable[[str], str | None]:
        """A link maker that signs only this org's receipts (any other key gets no link)."""
        prefix = f"{RECEIPT_PREFIX}{org_id}/"

        def link(key: str) -> str | None:
            if not key.startswith(prefix) or ".." in key:
                log.warning("a receipt key outside its org's prefix is not linked", extra={"org_id": org_id})
                return None
            return str(
                self.s3.generate_presigned_url(
                    "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=LINK_SECONDS
                )
            )

        return link


def receipt_links(settings: Settings) -> ReceiptLinks | None:
    """The deployment's receipt links, or None without a receipts bucket (emails then show no link)."""
    return ReceiptLinks(settings.receipts_bucket, region=settings.region) if settings.receipts_bucket else None


def no_link(key: str) -> str | None:
    return None


def links_for(links: ReceiptLinks | None, org_id: str) -> Callable[[str], str | None]:
    return links.for_org(org_id) if links is not None else no_link
