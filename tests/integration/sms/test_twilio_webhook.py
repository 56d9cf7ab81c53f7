"""Texting Punchclock through Twilio: signed webhooks in, TwiML replies out, on moto DynamoDB."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.sms import twilio_handler
from core.domain.model import Status
from tests.conftest import reload_settings
from tests.integration.sms.helpers import (
    BASE_URL,
    LambdaContext,
    TwilioPhone,
    new_sid,
    twilio_event,
    twilio_form,
    twiml_message,
)

TABLE = "punchclock-test"


def table_items(ddb) -> list[dict]:  # type: ignore[no-untyped-def]
    return ddb.scan(TableName=TABLE)["Items"]


def post(event: dict) -> dict:  # type: ignore[type-arg]
    return twilio_handler.handler(event, LambdaContext())


# --- a day by text ------------------------------------------------------------------------------


def test_a_day_by_text_in_local_time(ana_phone, clock, store):  # type: ignore[no-untyped-def]
    # Given Ana, registered with her phone, in New York (07:58 local)
    # When she texts her day
    assert ana_phone.text("in north-site") == "Clocked in 07:58 at north-site. Text BREAK, OUT, EXP 12.50 fuel, HELP."
    clock.advance(hours=4, minutes=32)
    assert ana_phone.text("lunch") == "Meal break started 12:30. On shift 4h 32m. Text BACK."
    clock.advance(minutes=32)
    assert ana_phone.text("back").startswith("Break 32m. On shift 5h 04m.")
    assert ana_phone.text("status") == "On shift since 07:58 (north-site). Text BREAK, OUT."
    assert ana_phone.text("EXP 12.50 fuel") == (
        "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."
    )
    clock.advance(hours=4)
    assert ana_phone.text("out") == "Clocked out 17:02. Shift 9h 04m since 07:58. Text HOURS."
    assert ana_phone.text("hours") == "This week: 8h 32m worked, 8h 32m on task, OT 0m, 1 day(s)."
    # Then the store holds her shift
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("IN", "Clocked in 07:58. Text BREAK, OUT, EXP 12.50 fuel, HELP."),
        ("Clock-In!", "Clocked in 07:58. Text BREAK, OUT, EXP 12.50 fuel, HELP."),
        ("ni", "Clocked in 07:58. Text BREAK, OUT, EXP 12.50 fuel, HELP."),
        ("OUT", "You are not clocked in. Text IN."),
        ("otu", "You are not clocked in. Text IN."),
        ("BREAK", "You are not clocked in. Text IN."),
        ("brake", "You are not clocked in. Text IN."),
        ("LUNCH", "You are not clocked in. Text IN."),
        ("BACK", "You are not clocked in. Text IN."),
        ("STATUS", "Clocked out. Text IN, HOURS."),
        ("stauts", "Clocked out. Text IN, HOURS."),
        ("?", "Clocked out. Text IN, HOURS."),
        ("HOURS", "This week: 0m worked, 0m on task, OT 0m, 0 day(s)."),
        ("hours last week", "Last week: 0m worked, 0m on task, OT 0m, 0 day(s)."),
        ("EXP 12.50 fuel", "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."),
        ("$48.20 parts hinge", "Expense 48.20 USD parts on 2026-11-16 logged. Sent to your manager for approval."),
        ("exp 12,50 EUR meals", "Expense 12.50 EUR meals on 2026-11-16 logged. Sent to your manager for approval."),
        ("EXP 12,50 gas", "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."),
        ("EXP 4.20 coffee", "Expense 4.20 USD meals on 2026-11-16 logged. Sent to your manager for approval."),
        ("exp 9 uber", "Expense 9 USD travel on 2026-11-16 logged. Sent to your manager for approval."),
        (
            "EXP ?",
            "Categories: fuel, mileage, parts, tools, meals, lodging, parking, tolls, travel, supplies, phone, "
            "other. E.g. EXP 12.50 fuel",
        ),
        ("exp 99999999 fuel", "Amounts over 10,000 USD need your manager. Nothing logged."),
        ("exp -5 fuel", "Amount must be more than 0, e.g. EXP 12.50 fuel"),
        ("exp 20000 tools", "Amounts over 10,000 USD need your manager. Nothing logged."),
        ("OUT 25:00 forgot", "That time looks wrong, e.g. OUT 17:30 forgot"),
        ("OUT 17:30", "Add a reason, e.g. OUT 17:30 forgot"),
        ("STILL", "You are not clocked in. Text IN."),
        ("JOIN 123456", "This number is already set up. Text HELP for commands."),
        ("123456", "Send JOIN and your 6-digit code, e.g. JOIN 123456"),
        ("APPROVE", "Only managers can do that."),
        ("team", "Only managers can do that."),
        ("", "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."),
        ("asdf qwerty", "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."),
        ("\U0001f44d\U0001f3fd", "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."),
        ("x" * 1600, "Try IN, OUT, BREAK, BACK, STATUS, EXP 12.50 fuel, HOURS or HELP."),
    ],
)
def test_every_keyword_typo_and_junk_gets_a_short_plain_answer(ana_phone, text, reply):  # type: ignore[no-untyped-def]
    assert ana_phone.text(text) == reply


@pytest.mark.parametrize("word", ["HELP", "help", "INFO", "hlep", "menu"])
def test_help_says_what_this_is_and_who_to_ask_in_two_segments_at_most(ana_phone, word):  # type: ignore[no-untyped-def]
    reply = ana_phone.text(word)
    assert reply.startswith("Punchclock: IN")
    assert "STOP" in reply
    assert reply.endswith("Your manager: boss@acme.test")


def test_replies_use_the_workers_own_time_zone(ana_phone, store, ana):  # type: ignore[no-untyped-def]
    store.update_worker(replace(ana, timezone="America/Los_Angeles"), ana.version)
    assert ana_phone.text("in").startswith("Clocked in 04:58.")


def test_a_correction_by_text_reaches_the_manager_by_text_and_back(ana_phone, mia_phone, twilio, clock):  # type: ignore[no-untyped-def]
    # Given Ana forgot to clock in when she arrived
    reply = ana_phone.text("IN 7:30 bus late")
    assert reply == "Clocked in 07:30. Sent to your manager for approval. Text BREAK, OUT, EXP 12.50 fuel, HELP."
    # Then her manager, who has no Slack here, gets a text through Twilio's REST API from our number
    [ask] = twilio.sent
    assert ask["To"] == mia_phone.number and ask["From"] == "+15550009999"
    assert ask["Body"] == "#1 Ana Lopez: in 07:58->07:30 Mon 16 Nov, bus late. Reply APPROVE 1 or REJECT 1 why."
    # When the manager approves by text, Ana hears of it
    clock.advance(minutes=5)
    assert mia_phone.text("approve 1") == "Approved #1 Ana Lopez: in 07:58->07:30 Mon 16 Nov."
    assert twilio.texts_to(ana_phone.number) == ["Your clock-in 07:30 on Mon 16 Nov was approved by Mia Boss."]


def test_a_redelivered_message_has_one_effect_and_the_same_reply(ana_phone, store, clock):  # type: ignore[no-untyped-def]
    first = ana_phone.text("in north-site")
    sid = ana_phone.last_sid
    clock.advance(minutes=3)
    assert ana_phone.text("in north-site", sid=sid) == first
    exp = ana_phone.text("exp 9.99 parking")
    assert ana_phone.text("exp 9.99 parking", sid=ana_phone.last_sid) == exp
    events = store.worker_events("w-ana", clock.now() - timedelta(days=1), clock.now())
    assert len(events.punches) == 1
    day = clock.now().date()
    assert len(store.worker_expenses("w-ana", day, day)) == 1


def test_the_same_words_in_a_new_message_are_a_new_request(ana_phone):  # type: ignore[no-untyped-def]
    ana_phone.text("in")
    assert ana_phone.text("in").startswith("You are already clocked in since 07:58.")


def test_an_error_of_ours_is_a_short_apology_not_a_stack_trace(ana_phone, twilio_door, monkeypatch):  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("DynamoDB is having a bad day")

    monkeypatch.setattr(twilio_door.ports.store, "commit", broken)
    assert ana_phone.text("in") == (
        "Sorry, something went wrong on our side and we cannot tell if that was saved. "
        "Text STATUS to check before you send it again."
    )


# --- the signature ------------------------------------------------------------------------------


def test_a_genuine_webhook_passes_with_a_plain_or_base64_body(twilio_door, ana):  # type: ignore[no-untyped-def]
    form = twilio_form(ana.phone, "status", new_sid())
    assert twiml_message(post(twilio_event(form, base64_body=False))).startswith("Clocked out.")
    form = twilio_form(ana.phone, "status", new_sid())
    assert twiml_message(post(twilio_event(form, base64_body=True))).startswith("Clocked out.")


def test_the_query_string_twilio_was_given_is_part_of_what_it_signed(twilio_door, ana):  # type: ignore[no-untyped-def]
    form = twilio_form(ana.phone, "status", new_sid())
    assert twiml_message(post(twilio_event(form, query="org=acme"))).startswith("Clocked out.")


def _forbidden(response: dict) -> None:  # type: ignore[type-arg]
    assert response["statusCode"] == 403
    assert "Response" not in response["body"]


def test_a_forged_signature_is_refused_and_nothing_is_written(twilio_door, ana, ddb, twilio):  # type: ignore[no-untyped-def]
    before = table_items(ddb)
    form = twilio_form(ana.phone, "in", new_sid())
    _forbidden(post(twilio_event(form, signature="bm90IHRoZSByaWdodCBzaWduYXR1cmU=")))
    # a stranger's text with a forged signature does not even cost a rate-limit marker
    _forbidden(post(twilio_event(twilio_form("+15557770000", "hi", new_sid()), signature="Zm9yZ2Vk")))
    assert table_items(ddb) == before
    assert twilio.sent == []


def test_a_tampered_body_is_refused(twilio_door, ana, store):  # type: ignore[no-untyped-def]
    # Given Twilio's signature over "in", on a body that now says something else
    genuine = twilio_form(ana.phone, "in", new_sid())
    signature = twilio_event(genuine)["headers"]["x-twilio-signature"]
    tampered = genuine | {"Body": "out 17:00 forgot"}
    _forbidden(post(twilio_event(tampered, signature=signature)))
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF


def test_a_signature_for_a_url_guessed_from_the_host_header_is_refused(twilio_door, ana):  # type: ignore[no-untyped-def]
    form = twilio_form(ana.phone, "in", new_sid())
    _forbidden(post(twilio_event(form, signed_url="https://evil.example/sms/twilio")))
    _forbidden(post(twilio_event(form, signed_url=BASE_URL + "/sms/twilio/")))


def test_no_signature_header_is_refused(twilio_door, ana):  # type: ignore[no-untyped-def]
    event = twilio_event(twilio_form(ana.phone, "in", new_sid()))
    del event["headers"]["x-twilio-signature"]
    _forbidden(post(event))


def test_without_the_auth_token_every_request_fails_closed(twilio_door, ana, monkeypatch):  # type: ignore[no-untyped-def]
    event = twilio_event(twilio_form(ana.phone, "in", new_sid()))
    monkeypatch.delenv("TWILIO_AUTH_TOKEN")
    reload_settings()
    _forbidden(post(event))


def test_without_a_configured_url_the_apis_own_execute_api_url_is_the_one_checked(twilio_door, ana, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PUBLIC_BASE_URL")
    reload_settings()
    # Given Twilio posting to the API's default URL (the API's id is in API Gateway's request context)
    event = twilio_event(twilio_form(ana.phone, "status", new_sid()))
    assert twiml_message(post(event)).startswith("Clocked out.")
    # A Host header is never what we check against
    forged = twilio_event(twilio_form(ana.phone, "in", new_sid()), signed_url="https://evil.example/sms/twilio")
    forged["headers"]["host"] = "evil.example"
    _forbidden(post(forged))
    # A named stage is part of the URL
    staged = twilio_event(twilio_form(ana.phone, "status", new_sid()), signed_url=BASE_URL + "/prod/sms/twilio")
    staged["requestContext"]["stage"] = "prod"
    assert twiml_message(post(staged)).startswith("Clocked out.")
    # And with nothing to go on, nothing passes
    unknown = twilio_event(twilio_form(ana.phone, "in", new_sid()))
    del unknown["requestContext"]["apiId"]
    _forbidden(post(unknown))


def test_a_signed_request_without_a_message_sid_gets_an_empty_response(twilio_door, ana):  # type: ignore[no-untyped-def]
    form = {k: v for k, v in twilio_form(ana.phone, "in", "x").items() if k not in ("MessageSid",)}
    assert twiml_message(post(twilio_event(form))) == ""


def test_unknown_fields_twilio_may_add_are_accepted(twilio_door, ana):  # type: ignore[no-untyped-def]
    phone = TwilioPhone(ana.phone)
    assert phone.text("status", AddOns='{"status":"successful"}', ReferralNumMedia="0").startswith("Clocked out.")


def test_logs_carry_ids_never_phone_numbers_or_message_text(ana_phone, twilio, capfd, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level("INFO")
    ana_phone.text("in secret-site-42")
    photo = twilio.add_media("MElog", b"\xff" * (6 * 1024 * 1024), "image/jpeg")
    ana_phone.text("exp 12.50 confidential-note", media=((photo, "image/jpeg"),))
    TwilioPhone("+15550000999").text("private words")
    captured = capfd.readouterr()
    logged = captured.out + captured.err + " ".join(str(record.__dict__) for record in caplog.records)
    assert ana_phone.last_sid in logged  # ids are there to follow a message
    for secret in ("+15550000001", "5550000001", "+15550000999", "secret-site", "confidential", "private words"):
        assert secret not in logged


@pytest.mark.parametrize(
    "text",
    ["HOURS 0001-01-01", "hours 9999-12-31", "hours 0001-01-01..0001-01-02", "hours 9999-12-30..9999-12-31"],
)
def test_hours_for_a_date_out_of_range_says_so(ana_phone, text):  # type: ignore[no-untyped-def]
    # Given a worker asks for hours on a date no record can have (and date arithmetic would overflow)
    # Then the answer says which dates work, instead of an apology that retrying never cures
    assert ana_phone.text(text) == "That date is out of range: pick dates from 2000-01-01 to 2027-11-17."


# --- a write that commits but whose answer is lost -------------------------------------------------


def lose_transaction_responses(ddb):  # type: ignore[no-untyped-def]
    """From now on DynamoDB commits each TransactWriteItems, then the answer never arrives."""
    from botocore.exceptions import ReadTimeoutError

    def lost(**_: object) -> None:
        raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/")

    ddb.meta.events.register("after-call.dynamodb.TransactWriteItems", lost)
    return lambda: ddb.meta.events.unregister("after-call.dynamodb.TransactWriteItems", lost)


def test_a_lost_answer_never_claims_nothing_was_recorded(ana_phone, store, ddb, clock):  # type: ignore[no-untyped-def]
    restore = lose_transaction_responses(ddb)
    try:
        reply = ana_phone.text("exp 12.50 fuel")
    finally:
        restore()

    # The expense was committed: the apology must not say otherwise
    assert len(store.worker_expenses("w-ana", clock.now().date(), clock.now().date())) == 1
    assert "Nothing was recorded" not in reply
    assert reply == (
        "Sorry, something went wrong on our side and we cannot tell if that was saved. "
        "Text STATUS to check before you send it again."
    )


def test_the_resent_expense_after_a_lost_answer_is_not_logged_twice(ana_phone, store, ddb, clock):  # type: ignore[no-untyped-def]
    day = clock.now().date()
    # Given the first EXP was committed but its answer was lost
    restore = lose_transaction_responses(ddb)
    try:
        ana_phone.text("exp 12.50 fuel")
    finally:
        restore()

    # When the worker sends the same expense again, as a new text, a couple of minutes later
    clock.advance(minutes=2)
    again = ana_phone.text("EXP 12.50 Fuel")

    # Then it is recognised as the same expense, and the worker is told how to log another
    assert again == ("Already logged: 12.50 USD fuel on 2026-11-16. Another one? Add a word, e.g. EXP 12.50 fuel 2nd")
    assert len(store.worker_expenses("w-ana", day, day)) == 1
    # And a different expense, or the same one with a word added, is logged
    assert ana_phone.text("exp 12.50 parking").startswith("Expense 12.50 USD parking")
    assert ana_phone.text("exp 12.50 fuel 2nd").startswith("Expense 12.50 USD fuel")
    assert len(store.worker_expenses("w-ana", day, day)) == 3


def test_the_same_expense_ten_minutes_later_is_a_new_one(ana_phone, store, clock):  # type: ignore[no-untyped-def]
    day = clock.now().date()
    ana_phone.text("exp 12.50 fuel")
    clock.advance(minutes=10, seconds=1)
    assert ana_phone.text("exp 12.50 fuel").startswith("Expense 12.50 USD fuel")
    assert len(store.worker_expenses("w-ana", day, day)) == 2
