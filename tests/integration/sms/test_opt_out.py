"""STOP, START and HELP on both providers: recorded on the worker, confirmed by whoever must confirm."""

from __future__ import annotations

import pytest

from tests.integration.sms.helpers import AwsPhone, TwilioPhone

OPT_OUT_WORDS = ["STOP", "stop", "STOPALL", "Stop all", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]
OPTED_OUT = "You will get no more texts from Punchclock. Reply START to opt back in."
OPTED_IN = "Texts are back on. Text HELP for commands."


@pytest.mark.parametrize("word", OPT_OUT_WORDS)
def test_twilio_stop_is_recorded_and_left_to_twilio_to_confirm(ana_phone, store, word):  # type: ignore[no-untyped-def]
    # Twilio already blocks the number and sends its own confirmation on long codes: we answer <Response/>
    assert ana_phone.text(word) == ""
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is True


@pytest.mark.parametrize("word", ["START", "unstop"])
def test_twilio_start_is_recorded_and_left_to_twilio_to_confirm(ana_phone, store, word):  # type: ignore[no-untyped-def]
    ana_phone.text("STOP")
    assert ana_phone.text(word) == ""
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is False


def test_twilio_advanced_opt_out_keywords_count_even_when_the_grammar_does_not_know_them(ana_phone, store):  # type: ignore[no-untyped-def]
    assert ana_phone.text("ARRET", OptOutType="STOP") == ""
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is True
    assert ana_phone.text("REPRENDRE", OptOutType="START") == ""
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is False


def test_an_opted_out_worker_is_never_texted_but_never_loses_a_punch(ana_phone, mia_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    ana_phone.text("STOP")
    # Her texts still count, but get no answer
    assert ana_phone.text("in") == ""
    assert store.get_worker("w-ana", fresh=True).state.status.value == "on_shift"
    # Notices that would text her are not sent
    ana_phone.text("in 7:30 bus late")
    twilio.sent.clear()
    clock.advance(minutes=5)
    assert mia_phone.text("approve") == "Approved #1 Ana Lopez: in 07:58->07:30 Mon 16 Nov."
    assert twilio.texts_to(ana_phone.number) == []


def test_the_opt_out_is_on_the_worker_where_managers_see_it(ana_phone, store, ports, org, manager):  # type: ignore[no-untyped-def]
    ana_phone.text("QUIT")
    workers = {w.worker_id: w for w in store.list_workers(org.org_id)}
    assert workers["w-ana"].sms_opted_out is True


def test_a_stranger_stop_silences_even_the_not_registered_answer(twilio_door):  # type: ignore[no-untyped-def]
    stranger = TwilioPhone("+15550000444")
    assert stranger.text("STOP") == ""
    assert stranger.text("hello") == ""
    assert stranger.text("START").startswith("This number is not registered with Punchclock.")
    assert stranger.text("START") == ""  # START lifts a STOP, never the daily limit


def test_start_from_a_stranger_does_not_reset_the_daily_limit(twilio_door):  # type: ignore[no-untyped-def]
    stranger = TwilioPhone("+15550000446")
    assert stranger.text("hi").startswith("This number is not registered")
    assert [stranger.text(word) for word in ("START", "unstop", "START")] == ["", "", ""]


# --- AWS self-managed opt-outs: we confirm ourselves ---------------------------------------------


@pytest.mark.parametrize("word", ["STOP", "unsubscribe", "OPTOUT", "opt out"])
def test_aws_stop_is_recorded_and_confirmed_by_us(ana_aws, store, word):  # type: ignore[no-untyped-def]
    assert ana_aws.text(word) == OPTED_OUT
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is True
    assert ana_aws.text("in") == ""  # no more texts until START
    assert ana_aws.text("START") == OPTED_IN
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is False
    assert ana_aws.text("status").startswith("On shift since 07:58")


def test_aws_stranger_stop_is_confirmed_once(aws_door, topic_arn, clock):  # type: ignore[no-untyped-def]
    stranger = AwsPhone("+15550000445", topic_arn, clock)
    assert stranger.text("STOP") == OPTED_OUT
    assert stranger.text("STOP") == ""
    assert stranger.text("in") == ""


def test_aws_stranger_stop_and_start_in_turns_get_one_text_a_day(aws_door, topic_arn, clock):  # type: ignore[no-untyped-def]
    stranger = AwsPhone("+15550000447", topic_arn, clock)
    replies = [stranger.text(word) for word in ("STOP", "START", "STOP", "START", "STOP", "START", "hi")]
    assert [r for r in replies if r] == [OPTED_OUT]


def test_twilio_and_aws_both_answer_help(ana_phone, ana_aws):  # type: ignore[no-untyped-def]
    twilio_help = ana_phone.text("HELP")
    assert twilio_help.startswith("Punchclock: IN")
    assert ana_aws.text("info") == twilio_help


def test_notices_skip_an_opted_out_number(ana_phone, store, ports, org, twilio):  # type: ignore[no-untyped-def]
    """Every text a notice sends (notices.text_message) honours what STOP recorded."""
    from core import bootstrap
    from notifications.notices import text_message
    from notifications.senders import senders_for

    senders = senders_for(bootstrap.settings(), ports)
    ana_phone.text("END")
    assert text_message(senders, store.get_worker("w-ana", fresh=True), "Still clocked in?") is None
    ana_phone.text("START")
    message = text_message(senders, store.get_worker("w-ana", fresh=True), "Still clocked in?")
    assert message is not None
    message.send()
    assert twilio.texts_to("+15550000001") == ["Still clocked in?"]
