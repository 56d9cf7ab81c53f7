"""AWS two-way SMS: SNS events into the handler, replies published through moto's SNS."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.sms import sns_handler, wiring
from core import commands as c
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.services import enrollment
from tests.integration.sms.helpers import BASE_URL, AwsPhone, LambdaContext, sms_sent_by_sns

LINK = re.compile(re.escape(BASE_URL) + r"/receipts/upload/[A-Za-z0-9_-]{16}$")


def test_a_day_by_aws_two_way_sms(ana_aws, clock, store):  # type: ignore[no-untyped-def]
    assert ana_aws.text("in north-site") == "Clocked in 07:58 at north-site. Text BREAK, OUT, EXP 12.50 fuel, HELP."
    clock.advance(hours=4, minutes=32)
    assert ana_aws.text("break lunch") == "Meal break started 12:30. On shift 4h 32m. Text BACK."
    clock.advance(minutes=30)
    assert ana_aws.text("back").startswith("Break 30m.")
    clock.advance(hours=4)
    assert ana_aws.text("out").startswith("Clocked out 17:00.")
    assert ana_aws.text("hours today").startswith("Today: 8h 32m worked")


def test_an_expense_reply_offers_a_one_time_upload_link_in_one_segment(ana_aws, store, org, clock):  # type: ignore[no-untyped-def]
    # Given an org where small expenses need no approval
    store.save_org(replace(store.get_org(org.org_id), expense_approval_above=Decimal("50")))
    reply = ana_aws.text("exp 12.50 fuel")
    text, link = reply.split(" Add receipt: ")
    assert text == "Expense 12.50 USD fuel on 2026-11-16 logged."
    assert LINK.fullmatch(link), link
    assert len(reply) <= 160
    # One that waits for a manager says so, which leaves room for the link only in the short reply
    reply = ana_aws.text("exp 51 fuel")
    assert reply.startswith("Expense logged. Add receipt: ") and len(reply) <= 160


def on_a_longer_domain(aws_door, monkeypatch, base: str):  # type: ignore[no-untyped-def]
    door = replace(aws_door, settings=aws_door.settings.model_copy(update={"public_base_url": base}))
    monkeypatch.setattr(wiring, "door", lambda provider: door)


def test_a_long_expense_reply_shortens_to_keep_the_link_in_one_segment(ana_aws, aws_door, monkeypatch):  # type: ignore[no-untyped-def]
    base = "https://punchclock-time-and-expense-tracking.field-services-company.example"
    on_a_longer_domain(aws_door, monkeypatch, base)
    reply = ana_aws.text("exp 9999.99 CHF supplies")
    assert reply.startswith(f"Expense logged. Add receipt: {base}/receipts/upload/")


def test_a_public_url_too_long_for_a_link_leaves_the_plain_reply(ana_aws, aws_door, monkeypatch):  # type: ignore[no-untyped-def]
    on_a_longer_domain(aws_door, monkeypatch, "https://" + "very-long-name." * 8 + "example")
    assert (
        ana_aws.text("exp 12.50 fuel")
        == "Expense 12.50 USD fuel on 2026-11-16 logged. Sent to your manager for approval."
    )


def test_a_redelivered_inbound_message_has_one_effect_and_one_reply(ana_aws, store, clock):  # type: ignore[no-untyped-def]
    ana_aws.text("in")
    message_id = ana_aws.last_id
    clock.advance(minutes=1)
    # Lambda may run an SNS event twice: the core ignores the second, and no second text goes out
    assert ana_aws.text("in", message_id=message_id) == ""
    events = store.worker_events("w-ana", clock.now() - timedelta(hours=1), clock.now())
    assert len(events.punches) == 1
    assert [text for _, text in sms_sent_by_sns()] == ["Clocked in 07:58. Text BREAK, OUT, EXP 12.50 fuel, HELP."]


def test_the_provider_time_is_kept_when_it_is_more_than_2_minutes_off(ana_aws, store, clock):  # type: ignore[no-untyped-def]
    # Given AWS received the text at 07:55 but we handle it at 07:58 (a retry, a slow queue)
    received = clock.now() - timedelta(minutes=3)
    ana_aws.text("in", published=received)
    [punch] = store.worker_events("w-ana", clock.now() - timedelta(hours=1), clock.now()).punches
    assert punch.sent_at == received and punch.recorded_at == clock.now()


def test_a_provider_time_within_2_minutes_is_not_kept(ana_aws, store, clock):  # type: ignore[no-untyped-def]
    ana_aws.text("in", published=clock.now() - timedelta(seconds=90))
    [punch] = store.worker_events("w-ana", clock.now() - timedelta(hours=1), clock.now()).punches
    assert punch.sent_at is None


def test_enrollment_and_unknown_numbers_by_aws(aws_door, topic_arn, clock, ports, manager, org, notices):  # type: ignore[no-untyped-def]
    code = enrollment.invite(c.Invite("+15550000002", "Ben Ortiz"), manager, org, Origin(Channel.CLI), ports).data[
        "code"
    ]
    notices.drain()  # the notify function texts the code
    assert sms_sent_by_sns() == [
        ("+15550000002", f"Acme Field Services invites you to Punchclock. Reply JOIN {code} to start.")
    ]
    ben = AwsPhone("+15550000002", topic_arn, clock)
    assert ben.text(f"JOIN {code}") == "Welcome Ben Ortiz! You are set up. Text IN, HELP."
    stranger = AwsPhone("+15550000003", topic_arn, clock)
    assert stranger.text("in").startswith("This number is not registered")
    assert stranger.text("in") == ""


def test_a_failed_send_is_retried_by_lambda_and_then_sent_once(ana_aws, aws_door, monkeypatch, store, clock):  # type: ignore[no-untyped-def]
    class Down:
        def send(self, to: str, body: str) -> str:
            raise ConnectionError("SNS unreachable")

    down = replace(aws_door, replies=lambda origination: Down())
    monkeypatch.setattr(wiring, "door", lambda provider: down)
    event = ana_aws.event("in")
    with pytest.raises(ConnectionError):  # the handler fails, so that Lambda retries the event
        sns_handler.handler(event, LambdaContext())
    monkeypatch.setattr(wiring, "door", lambda provider: aws_door)
    sns_handler.handler(event, LambdaContext())
    assert [text for _, text in sms_sent_by_sns()] == ["Clocked in 07:58. Text BREAK, OUT, EXP 12.50 fuel, HELP."]


def test_an_event_that_is_not_two_way_sms_is_dropped(aws_door, topic_arn, clock):  # type: ignore[no-untyped-def]
    event = AwsPhone("+15550000001", topic_arn, clock).event("in")
    event["Records"][0]["Sns"]["Message"] = json.dumps({"hello": "world"})
    assert sns_handler.handler(event, LambdaContext()) == {"handled": 0}
    assert sms_sent_by_sns() == []


def _table(ddb) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return sorted(ddb.scan(TableName="punchclock-test")["Items"], key=lambda i: (i["PK"]["S"], i["SK"]["S"]))


def test_a_redelivered_expense_text_writes_no_second_upload_link(ana_aws, ddb, clock):  # type: ignore[no-untyped-def]
    # Given an expense texted by AWS two-way SMS, answered with a one-time upload link
    reply = ana_aws.text("exp 12.50 fuel")
    assert LINK.fullmatch(reply.split(" Add receipt: ")[1])
    before = _table(ddb)

    # When SNS and Lambda deliver the same message again, now and a minute later
    assert ana_aws.text("exp 12.50 fuel", message_id=ana_aws.last_id) == ""
    clock.advance(minutes=1)
    assert ana_aws.text("exp 12.50 fuel", message_id=ana_aws.last_id) == ""

    # Then nothing at all was written: no second link, no second expense
    assert _table(ddb) == before
    assert [text for _, text in sms_sent_by_sns()] == [reply]
