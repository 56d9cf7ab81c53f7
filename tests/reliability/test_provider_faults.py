"""Faults of everything around the table: SES, SNS, Slack, S3 and Twilio failing where each is
called, and DynamoDB failing under the notify function and the scheduled sweeps.

Each time the person hears the truth (a receipt not saved is said to be not saved; a change that
may have been saved is never said not to be), nothing is lost (a notice waits and goes later, a
sweep raises so Scheduler retries), and what is retried is done once.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import AFTER_REQUEST
from tests.integration.sms.helpers import sms_sent_by_sns
from tests.reliability.conftest import SMS_ERROR, Fault, Rig, sent_emails

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"receipt" * 50
REPORT_DM = "Emailed the report for 2026-11-16 to boss@acme.test."


def _correction(rig: Rig, phone: str) -> None:
    """The worker clocks in, then at 17:58 says they left at 17:00: a correction for the managers."""
    rig.text(phone, "in")
    rig.clock.advance(hours=10)
    assert rig.text(phone, "out 17:00 forgot").endswith("Sent to your manager for approval. Text HOURS.")


def _email_report(rig: Rig) -> None:
    """Mia runs /report and clicks "Email this report": the lazy listener queues the email."""
    report = rig.slack.command("/report", user="U0MIA")
    [actions] = [block for block in report.json["blocks"] if block["type"] == "actions"]
    [button] = actions["elements"]
    where = {"ts": "1790000000.000300", "channel": "D0MIA"}
    rig.slack.click(
        button["action_id"], button["value"], user="U0MIA", block_id=actions["block_id"], message=where, ephemeral=True
    )


@pytest.fixture
def by_hand(notices: Any) -> Any:
    """The notify function runs when the test pumps it, not after each request."""
    AFTER_REQUEST.clear()
    return notices


def test_ses_failing_keeps_the_report_until_it_goes_then_the_manager_hears(  # type: ignore[no-untyped-def]
    rig, providers, manager, by_hand
):
    # Given SES refuses the first two attempts
    providers.fail("aws", "sesv2.SendEmail", times=2)
    _email_report(rig)

    # When the notify function tries, and tries again
    by_hand.pump()
    # Then nothing went, and the manager was not told it did
    assert sent_emails() == [] and rig.slack_api.dms_to("U0MIA") == []
    by_hand.drain()

    # Then the email went once, and only then the manager heard of it, once
    assert len(sent_emails()) == 1
    assert [m["text"] for m in rig.slack_api.dms_to("U0MIA")] == [REPORT_DM]
    assert by_hand.dead_letters == [] and providers.failed == ["sesv2.SendEmail"] * 2


def test_sns_failing_to_send_a_reply_is_retried_by_lambda_and_answers_once(rig, providers, ana, store, clock):  # type: ignore[no-untyped-def]
    # Given AWS two-way SMS, and SNS failing the reply to an expense
    providers.fail("aws", "sns.Publish")
    event = rig.aws_event(str(ana.phone), "exp 12.50 fuel", "in-sns-1")
    with pytest.raises(Exception, match="ServiceUnavailable"):
        rig.sns(event)  # the function fails: Lambda will deliver the event again

    # When Lambda delivers it again
    assert rig.sns(event) == {"handled": 1}

    # Then one expense, one reply, one upload link
    day = clock.now().date()
    assert len(store.worker_expenses("w-ana", day, day)) == 1
    replies = [text for to, text in sms_sent_by_sns() if to == ana.phone]
    assert len(replies) == 1 and replies[0].startswith("Expense 12.50 USD fuel on 2026-11-16 logged.")
    assert len([key for key in rig.items() if key[0].startswith("UPLOAD#")]) == 1


def test_twilio_failing_to_text_an_invite_keeps_it_until_it_goes_once(rig, manager, by_hand, monkeypatch):  # type: ignore[no-untyped-def]
    from twilio.http.http_client import TwilioHttpClient

    # Given Twilio's API unreachable for the first attempt
    original = TwilioHttpClient.request
    down = iter([True])

    def request(self: Any, *args: Any, **kwargs: Any) -> Any:
        if next(down, False):
            raise ConnectionError("Twilio unreachable")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TwilioHttpClient, "request", request)
    assert rig.text(str(manager.phone), "invite +15550000044 Cleo Park").startswith("Invited Cleo Park")

    by_hand.pump()
    assert rig.twilio_api.texts_to("+15550000044") == []
    by_hand.drain()

    assert len(rig.twilio_api.texts_to("+15550000044")) == 1 and by_hand.dead_letters == []


def test_slack_failing_to_deliver_a_dm_or_a_home_tab_retries_them_once_each(  # type: ignore[no-untyped-def]
    rig, providers, ana, manager, by_hand
):
    # Given Slack failing the approval request and Ana's Home tab once each
    providers.fail("slack", "chat.postMessage")
    providers.fail("slack", "views.publish")
    _correction(rig, str(ana.phone))

    by_hand.drain()

    # Then each went once, on the retry (the fake Slack saw the refused attempt too)
    assert len(rig.slack_api.dms_to("U0MIA")) == 2
    assert by_hand.dead_letters == [] and sorted(providers.failed) == ["chat.postMessage", "views.publish"]


def test_slack_failing_in_the_doors_follow_ups_leaves_the_change_and_says_so(  # type: ignore[no-untyped-def]
    rig, providers, ana, manager, store, clock
):
    # A receipt whose file Slack will not describe: the expense is logged, the DM says the receipt is not
    providers.fail("slack", "files.info")
    form = {
        "amount": {"type": "plain_text_input", "value": "48.20"},
        "currency": {"type": "plain_text_input", "value": "USD"},
        "category": {"type": "static_select", "selected_option": {"value": "parts"}},
        "date": {"type": "datepicker", "selected_date": "2026-11-16"},
        "note": {"type": "plain_text_input", "value": None},
        "receipt": {"type": "file_input", "files": [{"id": "F0RECEIPT", "name": "receipt.jpg"}]},
    }
    assert rig.slack.submit(form).body == {}
    day = clock.now().date()
    [expense] = store.worker_expenses("w-ana", day, day)
    assert expense.receipt_key is None
    [told] = [m["text"] for m in rig.slack_api.dms_to("U0ANA")]
    assert told == (
        "Expense 48.20 USD parts on 2026-11-16 logged. The receipt could not be saved: please send it to your manager."
    )

    # A decision whose DM Slack will not update: the decision stands, the worker hears of it once
    _correction(rig, str(ana.phone))
    [dm] = rig.slack_api.dms_to("U0MIA")
    [pending] = store.pending_corrections("acme")
    message = {"ts": "1790000000.000200", "channel": "D0MIA", "text": dm["text"], "blocks": dm["blocks"]}
    providers.fail("slack", "chat.update")
    assert rig.slack.click("correction.approve", pending.event_id, user="U0MIA", message=message).status == 200
    assert store.pending_corrections("acme") == []
    assert rig.twilio_api.texts_to(str(ana.phone)) == ["Your clock-out 17:00 on Mon 16 Nov was approved by Mia Boss."]


def test_s3_failing_to_keep_a_photo_answers_truly_and_the_retry_keeps_it_once(rig, providers, ana, store, clock):  # type: ignore[no-untyped-def]
    photo = rig.twilio_api.add_media("MEs3", JPEG, "image/jpeg")
    media = ((photo, "image/jpeg"),)
    providers.fail("aws", "s3.PutObject")

    assert rig.text(str(ana.phone), "exp 12.50 fuel", sid="SMs3", media=media) == SMS_ERROR
    day = clock.now().date()
    assert store.worker_expenses("w-ana", day, day) == []  # nothing half-written: no expense without it

    again = rig.text(str(ana.phone), "exp 12.50 fuel", sid="SMs3", media=media)  # Twilio's retry
    assert again == "Expense 12.50 USD fuel on 2026-11-16 logged. Receipt attached."
    [expense] = store.worker_expenses("w-ana", day, day)
    assert expense.receipt_key is not None and rig.outbound().receipts == 1


def test_s3_failing_to_copy_a_slack_receipt_says_it_was_not_saved(rig, providers, ana, store, clock):  # type: ignore[no-untyped-def]
    providers.fail("aws", "s3.PutObject")
    form = {
        "amount": {"type": "plain_text_input", "value": "9"},
        "currency": {"type": "plain_text_input", "value": "USD"},
        "category": {"type": "static_select", "selected_option": {"value": "fuel"}},
        "date": {"type": "datepicker", "selected_date": "2026-11-16"},
        "receipt": {"type": "file_input", "files": [{"id": "F0RECEIPT", "name": "receipt.jpg"}]},
    }
    assert rig.slack.submit(form, view_id="V0S3").body == {}
    day = clock.now().date()
    [expense] = store.worker_expenses("w-ana", day, day)
    assert expense.receipt_key is None and rig.outbound().receipts == 0
    assert rig.slack_api.dms_to("U0ANA")[-1]["text"].endswith(
        "The receipt could not be saved: please send it to your manager."
    )


# -- DynamoDB under the notify function and the sweeps ---------------------------------------------


def test_the_notify_function_failing_to_record_a_message_as_sent_does_not_send_it_again(  # type: ignore[no-untyped-def]
    rig, ana, manager, by_hand, clock
):
    # Given Mia's approval request ready to go, and DynamoDB failing the record that it went
    _correction(rig, str(ana.phone))
    by_hand.peek()
    rig.faults.arm(Fault.THROTTLED, at=2, operation="PutItem")  # begin_send, the DM, then finish_send
    by_hand.pump()
    rig.faults.disarm()
    assert len(rig.slack_api.dms_to("U0MIA")) == 1

    # When the stream hands the records over again, now and after the send lease ran out
    by_hand.drain()
    clock.advance(minutes=5)
    by_hand.drain()

    # Then the DM went once, and nothing waits in the dead-letter queue for an operator
    assert len(rig.slack_api.dms_to("U0MIA")) == 1
    assert by_hand.dead_letters == [] and by_hand.waiting == 0


def test_a_sweep_failing_for_one_worker_raises_and_its_retry_reminds_once(rig, ana, ben, store, clock):  # type: ignore[no-untyped-def]
    # Given Ana and Ben both on shift for ten hours: both are due a "still clocked in?" reminder
    rig.text(str(ana.phone), "in")
    rig.text(str(ben.phone), "in")
    clock.advance(hours=10)

    # When DynamoDB fails the first worker's reminder write
    rig.faults.arm(Fault.INTERNAL, at=1, operation="TransactWriteItems")
    with pytest.raises(Exception, match="1 failed"):
        rig.job("reminders")  # the run raises: Scheduler retries it
    rig.faults.disarm()
    assert rig.job("reminders", attempt=2)["reminded"] == 1

    # Then each was asked once
    asked = [t for t in rig.twilio_api.texts_to(str(ben.phone)) if t.startswith("Still clocked in")]
    assert len(asked) == 1
    assert len([m for m in rig.slack_api.dms_to("U0ANA") if "Still clocked in" in m["text"]]) == 1
