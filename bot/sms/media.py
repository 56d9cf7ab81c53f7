"""Receipt photos: fetched from Twilio with the account's credentials, checked, kept in the receipts bucket.

Every file is checked before any is stored (images and PDF only, at most 5 MB each), so a
refused message leaves nothing behind. Twilio answers a media URL with a redirect to its CDN;
the credentials go to Twilio only, never to the host it redirects to.
"""

from __future__ import annotations

import base64
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from core.settings import TWILIO_API

MAX_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 4.0
FETCH_BUDGET_SECONDS = 6.0  # all files of one message, well inside Lambda's 10 s and Twilio's 15 s
MAX_FILES = 5  # Twilio allows 10; five photos of one receipt is plenty and bounds the time we spend


class Refusal(StrEnum):
    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"
    TOO_MANY = "too_many"
    UNAVAILABLE = "unavailable"


class MediaRefused(Exception):
    def __init__(self, why: Refusal) -> None:
        super().__init__(why.value)
        self.why = why


@dataclass(frozen=True)
class MediaRef:
    """One attachment as the provider announced it (`MediaUrl0`, `MediaContentType0`)."""

    url: str
    content_type: str


@dataclass(frozen=True)
class Media:
    body: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return mimetypes.guess_extension(self.content_type) or ""


def acceptable_type(content_type: str) -> bool:
    """Images and PDF. Not SVG: it can carry script, and receipts are photos anyway."""
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/pdf" or (kind.startswith("image/") and kind != "image/svg+xml")


def receipt_key(org_id: str, worker_id: str, name: str, extension: str = "") -> str:
    """Where a receipt lives in the bucket: per org and worker, so a prefix lists someone's receipts."""
    return f"receipts/{org_id}/{worker_id}/{name}{extension}"


def _opener() -> Any:
    import urllib.request  # deferred with http.client and ssl: only a photo needs them

    class CredentialsStayWithTwilio(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            follow = super().redirect_request(req, fp, code, msg, headers, newurl)
            if follow is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
                follow.remove_header("Authorization")  # a CDN's signed URL must not see, or choke on, our credentials
            return follow

    return urllib.request.build_opener(CredentialsStayWithTwilio)


class TwilioMedia:
    """Fetches `MediaUrlN` with HTTP Basic auth (account SID + auth token).

    Only URLs on Twilio's API are fetched. With `TWILIO_API_URL` set (tests, the local stack), URLs on
    api.twilio.com are moved there, like the REST client's.
    """

    def __init__(
        self,
        credentials: Callable[[], tuple[str | None, str | None]],
        api_url: str | None = None,
        timeout: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self._credentials = credentials  # (account SID, auth token), fetched when a photo is
        self._api_url = (api_url or TWILIO_API).rstrip("/")
        self._timeout = timeout
        self._opener: Any = None

    def fetch_all(self, refs: tuple[MediaRef, ...]) -> list[Media]:
        if len(refs) > MAX_FILES:
            raise MediaRefused(Refusal.TOO_MANY)
        for ref in refs:  # refuse on what Twilio announced before downloading anything
            if not acceptable_type(ref.content_type):
                raise MediaRefused(Refusal.WRONG_TYPE)
        deadline = time.monotonic() + FETCH_BUDGET_SECONDS
        return [self.fetch(ref, min(self._timeout, deadline - time.monotonic())) for ref in refs]

    def fetch(self, ref: MediaRef, timeout: float | None = None) -> Media:
        timeout = self._timeout if timeout is None else timeout
        if timeout <= 0:
            raise MediaRefused(Refusal.UNAVAILABLE)
        url = self._on_twilio(ref.url)
        sid, token = self._credentials()
        if url is None or not (sid and token):
            raise MediaRefused(Refusal.UNAVAILABLE)
        import urllib.error
        import urllib.request

        if self._opener is None:
            self._opener = _opener()
        basic = base64.b64encode(f"{sid}:{token}".encode()).decode()
        request = urllib.request.Request(url, headers={"Authorization": f"Basic {basic}"})  # noqa: S310 (https or the configured fake only)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                content_type = response.headers.get_content_type()
                if not acceptable_type(content_type):
                    raise MediaRefused(Refusal.WRONG_TYPE)
                length = response.headers.get("Content-Length")
                if length is not None and length.isdigit() and int(length) > MAX_BYTES:
                    raise MediaRefused(Refusal.TOO_BIG)
                body = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError) as err:
            raise MediaRefused(Refusal.UNAVAILABLE) from err
        if len(body) > MAX_BYTES:
            raise MediaRefused(Refusal.TOO_BIG)
        if not body:
            raise MediaRefused(Refusal.UNAVAILABLE)
        return Media(body, content_type)

    def _on_twilio(self, url: str) -> str | None:
        if url.startswith(TWILIO_API + "/"):
            return self._api_url + url[len(TWILIO_API) :]
        if url.startswith(self._api_url + "/"):
            return url
        return None


@cache
def _s3() -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("s3", config=Config(signature_version="s3v4"))


class ReceiptBucket:
    """The private, encrypted receipts bucket (`RECEIPTS_BUCKET`)."""

    def __init__(self, bucket: str, client: Any = None) -> None:
        self.bucket = bucket
        self._client = client

    @property
    def s3(self) -> Any:
        if self._client is None:
            self._client = _s3()
        return self._client

    def put(self, key: str, media: Media) -> None:
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=media.body,
            ContentType=media.content_type,
            ServerSideEncryption="AES256",
        )

    def promote(self, staged: str, final: str) -> None:
        """Move an uploaded file to the key that gets linked: the upload form (valid an hour)
        can then overwrite only the staging copy, never the receipt on record."""
        self.s3.copy_object(
            Bucket=self.bucket,
            Key=final,
            CopySource={"Bucket": self.bucket, "Key": staged},
            ServerSideEncryption="AES256",
            MetadataDirective="COPY",
        )
        self.s3.delete_object(Bucket=self.bucket, Key=staged)

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self.s3.delete_object(Bucket=self.bucket, Key=key)

    def upload_form(self, key: str, photo: bool, redirect: str, expires_in: int) -> tuple[str, dict[str, str]]:
        """A presigned S3 POST for one file: a photo (any image type) or a PDF, at most 5 MB, encrypted."""
        content_type: Any = ["starts-with", "$Content-Type", "image/"] if photo else {"Content-Type": "application/pdf"}
        fields = {
            "Content-Type": "image/jpeg" if photo else "application/pdf",
            "success_action_redirect": redirect,
            "x-amz-server-side-encryption": "AES256",
        }
        post = self.s3.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields=fields,
            Conditions=[
                ["content-length-range", 1, MAX_BYTES],
                content_type,
                {"success_action_redirect": redirect},
                {"x-amz-server-side-encryption": "AES256"},
            ],
            ExpiresIn=expires_in,
        )
        return str(post["url"]), {str(k): str(v) for k, v in post["fields"].items()}

    def head(self, key: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return dict(self.s3.head_object(Bucket=self.bucket, Key=key))
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
