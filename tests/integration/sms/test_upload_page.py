"""The one-time receipt upload page: a link in a text, a form on a phone, a presigned POST to S3 (moto)."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
import requests

from bot.sms import upload_page
from bot.sms.media import MAX_BYTES
from core.ports import UploadLink
from tests.integration.sms.conftest import BUCKET
from tests.integration.sms.helpers import LambdaContext

JPEG = b"\xff\xd8\xff\xe0receipt-photo"


class Forms(HTMLParser):
    """The page's forms as a browser sees them: action and fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a["action"], "fields": {}, "accept": None})
        elif tag == "input" and a.get("type") == "hidden":
            self.forms[-1]["fields"][a["name"]] = a["value"]
        elif tag == "input" and a.get("type") == "file":
            self.forms[-1]["accept"] = a.get("accept")


def open_page(token: str, query: dict[str, str] | None = None, method: str = "GET") -> dict[str, Any]:
    event = {
        "version": "2.0",
        "routeKey": "GET /receipts/upload/{token}",
        "rawPath": f"/receipts/upload/{token}",
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": {"host": "abcdefghij.execute-api.us-east-1.amazonaws.com", "user-agent": "Mozilla/5.0 (iPhone)"},
        "pathParameters": {"token": token},
        "requestContext": {"http": {"method": method, "path": f"/receipts/upload/{token}"}},
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    return upload_page.handler(event, LambdaContext())


def forms_of(page: dict[str, Any]) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(page["body"])
    return parser.forms


@pytest.fixture
def token(ana_aws) -> str:  # type: ignore[no-untyped-def]
    reply = ana_aws.text("exp 12.50 fuel")
    return str(re.search(r"/receipts/upload/(\S+)$", reply)[1])  # type: ignore[index]


def test_the_link_opens_a_small_phone_friendly_page_with_two_forms(token):  # type: ignore[no-untyped-def]
    page = open_page(token)
    assert page["statusCode"] == 200
    assert page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert page["headers"]["Referrer-Policy"] == "no-referrer"  # the token is in the URL
    assert page["headers"]["Cache-Control"] == "no-store"
    assert "form-action https://punchclock-receipts-test.s3.amazonaws.com" in page["headers"]["Content-Security-Policy"]
    assert 'name="viewport"' in page["body"]
    assert "For your expense 12.50 USD fuel on 2026-11-16." in page["body"]
    photo, pdf = forms_of(page)
    assert photo["accept"] == "image/*" and pdf["accept"] == "application/pdf"
    assert photo["fields"]["key"] == pdf["fields"]["key"]
    assert photo["fields"]["key"].startswith("receipts/acme/w-ana/")


def test_each_form_is_limited_to_its_type_5_mb_and_encryption(token):  # type: ignore[no-untyped-def]
    photo, pdf = forms_of(open_page(token))
    for form, type_rule in (
        (photo, ["starts-with", "$Content-Type", "image/"]),
        (pdf, {"Content-Type": "application/pdf"}),
    ):
        policy = json.loads(base64.b64decode(form["fields"]["policy"]))
        assert ["content-length-range", 1, MAX_BYTES] in policy["conditions"]
        assert type_rule in policy["conditions"]
        assert {"x-amz-server-side-encryption": "AES256"} in policy["conditions"]
        assert form["fields"]["success_action_redirect"].endswith(f"/receipts/upload/{token}?done=1")


def test_a_photo_posted_from_the_page_is_linked_to_the_expense_and_the_link_is_spent(token, store, clock, bucket):  # type: ignore[no-untyped-def]
    # Given the worker picks a photo and submits the form (straight to S3)
    photo, _ = forms_of(open_page(token))
    posted = requests.post(
        photo["action"],
        data={**photo["fields"], "Content-Type": "image/jpeg"},
        files={"file": ("receipt.jpg", JPEG, "image/jpeg")},
        allow_redirects=False,
        timeout=5,
    )
    assert posted.status_code in (200, 201, 204, 303)
    # When S3 sends the browser back
    done = open_page(token, {"done": "1", "bucket": BUCKET, "key": photo["fields"]["key"]})
    # Then the receipt is on the expense, and the link cannot be used again
    assert done["statusCode"] == 200 and "Receipt added" in done["body"]
    [expense] = store.worker_expenses("w-ana", clock.now().date(), clock.now().date())
    # the linked receipt is a copy the still-valid form cannot overwrite
    staged = photo["fields"]["key"]
    assert expense.receipt_key == staged.replace("-upload-", "-receipt-")
    assert bucket.s3.get_object(Bucket=BUCKET, Key=expense.receipt_key)["Body"].read() == JPEG
    assert bucket.head(staged) is None
    assert open_page(token)["statusCode"] == 404


def test_coming_back_without_a_file_shows_the_form_again(token):  # type: ignore[no-untyped-def]
    page = open_page(token, {"done": "1"})
    assert page["statusCode"] == 200
    assert "We did not get a file. Please try again." in page["body"]
    assert len(forms_of(page)) == 2


def test_a_file_of_the_wrong_type_is_removed_and_the_link_still_works(token, bucket, store, clock):  # type: ignore[no-untyped-def]
    key = forms_of(open_page(token))[0]["fields"]["key"]
    bucket.s3.put_object(Bucket=BUCKET, Key=key, Body=b"<html>", ContentType="text/html")
    page = open_page(token, {"done": "1"})
    assert "That file was not kept" in page["body"]
    assert bucket.head(key) is None
    assert store.worker_expenses("w-ana", clock.now().date(), clock.now().date())[0].receipt_key is None
    assert open_page(token)["statusCode"] == 200


@pytest.mark.parametrize("bad", ["AAAAAAAAAAAAAAAA", "short", "../../etc/passwd", "<script>x</script>"])
def test_an_unknown_or_malformed_token_gets_a_plain_expired_page(aws_door, bad):  # type: ignore[no-untyped-def]
    page = open_page(bad)
    assert page["statusCode"] == 404
    assert "<script>x" not in page["body"]


def test_the_link_expires_after_24_hours(token, clock):  # type: ignore[no-untyped-def]
    clock.advance(hours=24, minutes=1)
    assert open_page(token)["statusCode"] == 404


def test_everything_on_the_page_is_escaped(aws_door, store, clock):  # type: ignore[no-untyped-def]
    evil = '"><script>alert(1)</script>'
    link = UploadLink(
        token="EVILEVILEVILEVIL",
        org_id="acme",
        worker_id="w-ana",
        expense_id=evil,
        spent_on=date(2026, 11, 16),
        amount=evil,
        currency="USD",
        category=evil,
    )
    store.offer_upload("sms:evil", link, clock.now(), clock.now().replace(year=2027))
    page = open_page("EVILEVILEVILEVIL")
    assert "<script>alert" not in page["body"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page["body"]


def test_only_get_is_served(token):  # type: ignore[no-untyped-def]
    assert open_page(token, method="POST")["statusCode"] == 405


def test_without_a_configured_public_url_s3_sends_the_browser_back_to_the_apis_own_url(token, monkeypatch, ports):  # type: ignore[no-untyped-def]
    from bot.sms import wiring
    from bot.sms.wiring import Provider
    from tests.conftest import reload_settings
    from tests.integration.sms.conftest import make_door

    monkeypatch.delenv("PUBLIC_BASE_URL")
    reload_settings()
    started_without_it = make_door(Provider.AWS, ports)
    monkeypatch.setattr(wiring, "door", lambda provider: started_without_it)
    event = {
        "pathParameters": {"token": token},
        "requestContext": {"http": {"method": "GET"}, "apiId": "a1b2c3d4e5", "stage": "$default"},
    }
    photo, _ = forms_of(upload_page.handler(event, LambdaContext()))
    assert photo["fields"]["success_action_redirect"] == (
        f"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/receipts/upload/{token}?done=1"
    )


@pytest.mark.parametrize("failing", ["CopyObject", "DeleteObject", "HeadObject"])
def test_s3_failing_while_the_receipt_is_attached_shows_a_try_again_page(token, bucket, store, clock, failing):  # type: ignore[no-untyped-def]
    from botocore.exceptions import ClientError

    # Given the photo reached S3, but S3 fails while the page attaches it
    key = forms_of(open_page(token))[0]["fields"]["key"]
    bucket.s3.put_object(Bucket=BUCKET, Key=key, Body=JPEG, ContentType="image/jpeg")

    def unavailable(**_: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "ServiceUnavailable", "Message": "Please reduce your request rate."}}, failing
        )

    bucket.s3.meta.events.register(f"before-call.s3.{failing}", unavailable)
    try:
        page = open_page(token, {"done": "1"})
    finally:
        bucket.s3.meta.events.unregister(f"before-call.s3.{failing}", unavailable)

    # Then the worker gets a page that says to try again, not a server error
    assert page["statusCode"] == 503
    assert page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert "Please try again" in page["body"]
    assert 'href="?done=1"' in page["body"]
    # And once S3 is back, trying again attaches the receipt
    again = open_page(token, {"done": "1"})
    assert again["statusCode"] == 200 and "Receipt added" in again["body"]
    [expense] = store.worker_expenses("w-ana", clock.now().date(), clock.now().date())
    assert bucket.s3.get_object(Bucket=BUCKET, Key=expense.receipt_key)["Body"].read() == JPEG


def test_a_receipt_promoted_before_the_store_failed_is_linked_on_the_next_try(
    token, bucket, store, aws_door, clock, monkeypatch
):  # type: ignore[no-untyped-def]
    # Given the photo was copied to its final key, then DynamoDB failed before the expense was linked
    key = forms_of(open_page(token))[0]["fields"]["key"]
    bucket.s3.put_object(Bucket=BUCKET, Key=key, Body=JPEG, ContentType="image/jpeg")

    def throttled(*_: Any) -> None:
        raise RuntimeError("ProvisionedThroughputExceededException")

    with monkeypatch.context() as patched:
        patched.setattr(aws_door.ports.store, "attach_receipt", throttled)
        assert open_page(token, {"done": "1"})["statusCode"] == 503
    assert bucket.head(key) is None  # the staging copy is gone already

    # When the worker tries again, the receipt is linked
    again = open_page(token, {"done": "1"})
    assert again["statusCode"] == 200 and "Receipt added" in again["body"]
    [expense] = store.worker_expenses("w-ana", clock.now().date(), clock.now().date())
    assert bucket.s3.get_object(Bucket=BUCKET, Key=expense.receipt_key)["Body"].read() == JPEG
