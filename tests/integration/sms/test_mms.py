"""Receipts by MMS: photos fetched from (loopback) Twilio, checked, kept encrypted, linked to expenses."""

from __future__ import annotations

import pytest

from bot.sms.media import MAX_BYTES
from tests.conftest import short_lived
from tests.integration.sms.conftest import BUCKET

TOO_BIG = "That file is over 5 MB. Nothing was recorded. Send a smaller photo, or the text alone."
WRONG_TYPE = "Only photos and PDF receipts can be kept. Nothing was recorded. Send a photo or the text."
TOO_MANY = "Send at most 5 photos at a time. Nothing was recorded."
UNAVAILABLE = "Sorry, we could not get your photo. Nothing was recorded. Please send it again."

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"receipt" * 100
PDF = b"%PDF-1.7\n" + b"receipt" * 100
WAITING = "Got your receipt. Reply EXP <amount> <category>, e.g. EXP 12.50 fuel."


def objects(bucket) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    listed = bucket.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: bucket.s3.head_object(Bucket=BUCKET, Key=o["Key"]) for o in listed}


def expenses_today(store, clock):  # type: ignore[no-untyped-def]
    day = clock.now().date()
    return store.worker_expenses("w-ana", day, day)


def marker_keys(ddb) -> list[str]:  # type: ignore[no-untyped-def]
    return short_lived(ddb)


def test_an_expense_with_a_photo_keeps_the_photo_encrypted_and_links_it(ana_phone, twilio, bucket, store, clock):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("ME1", JPEG, "image/jpeg")
    reply = ana_phone.text("EXP 12.50 fuel", media=((photo, "image/jpeg"),))
    assert reply == "Expense 12.50 USD fuel on 2026-11-16 logged. Receipt attached. Sent to your manager for approval."
    [expense] = expenses_today(store, clock)
    stored = objects(bucket)
    assert list(stored) == [expense.receipt_key]
    assert expense.receipt_key.startswith("receipts/acme/w-ana/") and expense.receipt_key.endswith(".jpg")
    head = stored[expense.receipt_key]
    assert head["ContentType"] == "image/jpeg" and head["ServerSideEncryption"] == "AES256"
    assert bucket.s3.get_object(Bucket=BUCKET, Key=expense.receipt_key)["Body"].read() == JPEG
    # Twilio got our credentials; its CDN did not
    assert twilio.media_requests == 1
    assert [h for h in twilio.cdn_headers if "Authorization" in h] == []


def test_a_pdf_receipt_is_kept_too(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    pdf = twilio.add_media("ME2", PDF, "application/pdf")
    assert ana_phone.text("exp 30 lodging", media=((pdf, "application/pdf"),)).endswith(
        "Receipt attached. Sent to your manager for approval."
    )
    assert expenses_today(store, clock)[0].receipt_key.endswith(".pdf")


def test_a_photo_without_words_waits_for_the_next_expense(ana_phone, twilio, store, clock, ddb):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("ME3", JPEG, "image/jpeg")
    # Given a photo with no text: Twilio posts it with an empty Body, which it signs too
    assert ana_phone.text("", media=((photo, "image/jpeg"),)) == WAITING
    # When the amount follows within 30 minutes
    clock.advance(minutes=29)
    assert (
        ana_phone.text("exp 12.50 fuel")
        == "Expense 12.50 USD fuel on 2026-11-16 logged. Receipt attached. Sent to your manager for approval."
    )
    # Then that expense has the photo, and the next one does not
    [expense] = expenses_today(store, clock)
    assert expense.receipt_key is not None and "-0.jpg" in expense.receipt_key
    assert (
        ana_phone.text("exp 3 parking")
        == "Expense 3 USD parking on 2026-11-16 logged. Sent to your manager for approval."
    )
    # no photo waits (a flag says that message's photo was held once, so a redelivery is not held again)
    assert [k for k in marker_keys(ddb) if not k.startswith(("REPEAT#", "ONCE#held-receipt:"))] == []


def test_a_waiting_photo_is_not_attached_after_30_minutes(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("ME4", JPEG, "image/jpeg")
    assert ana_phone.text("", media=((photo, "image/jpeg"),)) == WAITING
    clock.advance(minutes=31)
    assert (
        ana_phone.text("exp 12.50 fuel")
        == "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."
    )
    assert expenses_today(store, clock)[0].receipt_key is None


def test_a_caption_that_is_not_a_command_is_kept_as_the_expense_note(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("ME5", JPEG, "image/jpeg")
    assert ana_phone.text("diesel for the van", media=((photo, "image/jpeg"),)) == WAITING
    ana_phone.text("exp 40 fuel")
    [expense] = expenses_today(store, clock)
    assert expense.note == "diesel for the van" and expense.receipt_key is not None


def test_a_command_caption_is_carried_out_and_the_photo_kept(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    ana_phone.text("in")
    photo = twilio.add_media("ME6", JPEG, "image/jpeg")
    assert ana_phone.text("status", media=((photo, "image/jpeg"),)) == (
        "On shift since 07:58. Text BREAK, OUT. Receipt kept for your next EXP."
    )
    assert ana_phone.text("exp 7 meals").endswith("Receipt attached. Sent to your manager for approval.")


def test_a_refused_expense_keeps_its_photo_for_the_corrected_one(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("ME7", JPEG, "image/jpeg")
    assert ana_phone.text("exp 20000 tools", media=((photo, "image/jpeg"),)) == (
        "Amounts over 10,000 USD need your manager. Nothing logged."
    )
    assert expenses_today(store, clock) == []
    assert ana_phone.text("exp 200 tools").endswith("Receipt attached. Sent to your manager for approval.")


def test_the_newest_waiting_photo_wins(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    first = twilio.add_media("ME8", JPEG, "image/jpeg")
    second = twilio.add_media("ME9", JPEG + b"2", "image/png")
    ana_phone.text("", media=((first, "image/jpeg"),))
    clock.advance(minutes=5)
    ana_phone.text("", media=((second, "image/png"),))
    sid = ana_phone.last_sid
    ana_phone.text("exp 5 supplies")
    assert expenses_today(store, clock)[0].receipt_key.endswith(f"{sid}-0.png")


def test_several_photos_are_all_kept_and_the_first_linked(ana_phone, twilio, store, clock, bucket):  # type: ignore[no-untyped-def]
    front = twilio.add_media("MEa", JPEG, "image/jpeg")
    back = twilio.add_media("MEb", PDF, "application/pdf")
    ana_phone.text("exp 61.20 meals team lunch", media=((front, "image/jpeg"), (back, "application/pdf")))
    sid = ana_phone.last_sid
    assert sorted(objects(bucket)) == [f"receipts/acme/w-ana/{sid}-0.jpg", f"receipts/acme/w-ana/{sid}-1.pdf"]
    assert expenses_today(store, clock)[0].receipt_key == f"receipts/acme/w-ana/{sid}-0.jpg"


def test_a_redelivered_mms_has_one_effect_and_the_same_reply(ana_phone, twilio, store, clock, bucket):  # type: ignore[no-untyped-def]
    photo = twilio.add_media("MEc", JPEG, "image/jpeg")
    first = ana_phone.text("exp 12.50 fuel", media=((photo, "image/jpeg"),))
    assert ana_phone.text("exp 12.50 fuel", media=((photo, "image/jpeg"),), sid=ana_phone.last_sid) == first
    assert len(expenses_today(store, clock)) == 1
    assert len(objects(bucket)) == 1
    waiting = ana_phone.text("", media=((photo, "image/jpeg"),))
    assert ana_phone.text("", media=((photo, "image/jpeg"),), sid=ana_phone.last_sid) == waiting


# --- refused media: a clear answer, nothing half-written -----------------------------------------


def assert_nothing_written(store, clock, bucket, ddb) -> None:  # type: ignore[no-untyped-def]
    assert expenses_today(store, clock) == []
    assert objects(bucket) == {}
    assert marker_keys(ddb) == []


@pytest.mark.parametrize("send_length", [True, False], ids=["announced", "streamed"])
def test_a_file_over_5_mb_is_refused(ana_phone, twilio, store, clock, bucket, ddb, send_length):  # type: ignore[no-untyped-def]
    big = twilio.add_media("MEd", b"\xff" * (MAX_BYTES + 1), "image/jpeg", send_length=send_length)
    reply = ana_phone.text("exp 12.50 fuel", media=((big, "image/jpeg"),))
    assert reply == TOO_BIG
    assert reply == "That file is over 5 MB. Nothing was recorded. Send a smaller photo, or the text alone."
    assert_nothing_written(store, clock, bucket, ddb)


def test_a_file_of_exactly_5_mb_is_kept(ana_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    edge = twilio.add_media("MEe", b"\xff" * MAX_BYTES, "image/jpeg")
    assert ana_phone.text("exp 1 other", media=((edge, "image/jpeg"),)).endswith(
        "Receipt attached. Sent to your manager for approval."
    )


@pytest.mark.parametrize(
    ("announced", "served"),
    [("video/mp4", "video/mp4"), ("text/vcard", "text/vcard"), ("image/svg+xml", "image/svg+xml")],
)
def test_a_file_that_is_not_an_image_or_pdf_is_refused_without_downloading_it(
    ana_phone, twilio, store, clock, bucket, ddb, announced, served
):  # type: ignore[no-untyped-def]
    url = twilio.add_media("MEf", b"data", served)
    assert ana_phone.text("exp 12.50 fuel", media=((url, announced),)) == WRONG_TYPE
    assert twilio.media_requests == 0
    assert_nothing_written(store, clock, bucket, ddb)


def test_a_file_announced_as_a_photo_but_served_as_something_else_is_refused(
    ana_phone, twilio, store, clock, bucket, ddb
):  # type: ignore[no-untyped-def]
    url = twilio.add_media("MEg", b"<html>", "text/html")
    assert ana_phone.text("", media=((url, "image/jpeg"),)) == WRONG_TYPE
    assert_nothing_written(store, clock, bucket, ddb)


def test_one_bad_file_among_good_ones_refuses_the_whole_message(ana_phone, twilio, store, clock, bucket, ddb):  # type: ignore[no-untyped-def]
    good = twilio.add_media("MEh", JPEG, "image/jpeg")
    big = twilio.add_media("MEi", b"\xff" * (MAX_BYTES + 10), "image/jpeg")
    reply = ana_phone.text("exp 12.50 fuel", media=((good, "image/jpeg"), (big, "image/jpeg")))
    assert reply == TOO_BIG
    assert_nothing_written(store, clock, bucket, ddb)


def test_more_than_five_files_are_refused(ana_phone, twilio, store, clock, bucket, ddb):  # type: ignore[no-untyped-def]
    urls = tuple((twilio.add_media(f"MEj{i}", JPEG, "image/jpeg"), "image/jpeg") for i in range(6))
    assert ana_phone.text("exp 1 other", media=urls) == TOO_MANY
    assert_nothing_written(store, clock, bucket, ddb)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/MM1/Media/MEgone",
        "https://evil.example/receipt.jpg",  # only Twilio's API is ever fetched, with or without credentials
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_a_photo_we_cannot_fetch_gets_a_clear_answer(ana_phone, twilio, store, clock, bucket, ddb, url):  # type: ignore[no-untyped-def]
    assert ana_phone.text("exp 12.50 fuel", media=((url, "image/jpeg"),)) == UNAVAILABLE
    assert_nothing_written(store, clock, bucket, ddb)


def test_a_stranger_photo_is_never_fetched(twilio_door, twilio, bucket):  # type: ignore[no-untyped-def]
    from tests.integration.sms.helpers import TwilioPhone

    url = twilio.add_media("MEk", JPEG, "image/jpeg")
    assert (
        TwilioPhone("+15550000777")
        .text("exp 5 fuel", media=((url, "image/jpeg"),))
        .startswith("This number is not registered")
    )
    assert twilio.media_requests == 0 and objects(bucket) == {}
