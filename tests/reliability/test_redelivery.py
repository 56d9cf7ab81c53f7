"""Redelivery: every inbound request delivered three times has one effect, one answer, one message.

Providers deliver at least once: Twilio retries a webhook with the same MessageSid, SNS delivers
an inbound text again with the same message id, people double-click and retype in Slack, Lambda
retries an asynchronous invocation (a lazy listener) and hands a stream batch to the notify
function again, Scheduler retries a job. After the first delivery of each, the second and third
get the same answer, send nothing, and leave the table exactly as it was: no record is added,
changed or removed (the test scans the table to see it; the app never scans).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from bot.slack import handler as slack_lambda
from bot.slack.blocks import REPORT_EMAIL
from tests.conftest import invoke_notify
from tests.integration.slack.driver import LambdaContext as SlackContext
from tests.integration.slack.fake_slack import RECEIPT_BYTES
from tests.integration.sms.helpers import sms_sent_by_sns
from tests.reliability.conftest import Rig, changed

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"receipt" * 50
DAY = date(2026, 11, 16)


def thrice(rig: Rig, send: Callable[[], Any], *, same_answer: bool = True) -> Any:
    """Deliver the same request three times: the first answer each time (for a person's request;
    a job's run summary says what that run did), and after the first nothing sent and nothing in
    the table changed."""
    first = send()
    items, sent = rig.items(), rig.outbound()
    for _ in range(2):
        again = send()
        assert again == first or not same_answer
    assert changed(items, rig.items()) == [], "a repeat changed the table"
    assert rig.outbound() == sent, "a repeat sent something"
    return first


@dataclass
class Deliveries:
    """What Lambda handed the notify function and the Slack function's lazy listeners, to hand again."""

    notices: list[dict[str, Any]] = field(default_factory=list)
    lazy: list[dict[str, Any]] = field(default_factory=list)

    def again(self, rig: Rig) -> None:
        """Every notice batch and every lazy invocation delivered twice more: nothing happens."""
        assert self.notices, "no notice was delivered"
        items, sent = rig.items(), rig.outbound()
        for _ in range(2):
            for event in self.notices:
                assert invoke_notify(event) == {"batchItemFailures": []}
            for invocation in self.lazy:
                slack_lambda.handler(json.loads(invocation["Payload"]), SlackContext())
        assert changed(items, rig.items()) == []
        assert rig.outbound() == sent


@pytest.fixture
def delivered(rig: Rig, notices: Any) -> Iterator[Deliveries]:
    found = Deliveries(lazy=rig.slack.lambda_client.invoked)
    invoke = notices._invoke

    def recorded(event: dict[str, Any]) -> Any:
        found.notices.append(event)
        return invoke(event)

    notices._invoke = recorded
    yield found


def test_a_day_by_twilio_with_every_text_delivered_three_times(rig, delivered, ana, ben, manager, store, clock):  # type: ignore[no-untyped-def]
    phone = str(ana.phone)
    sids: dict[tuple[str, str], str] = {}

    def text(body: str, who: str = phone, **kwargs: Any) -> str:
        sid = sids.setdefault((who, body), f"SM{len(sids):032d}")
        return str(thrice(rig, lambda: rig.text(who, body, sid=sid, **kwargs)))

    assert text("in north-site").startswith("Clocked in 07:58 at north-site.")
    clock.advance(hours=4)
    assert text("lunch").startswith("Meal break started 11:58.")
    clock.advance(minutes=31)
    assert text("back").startswith("Break 31m.")
    assert text("exp 12.50 fuel") == "Expense 12.50 USD fuel on 2026-11-16 logged."
    photo = rig.twilio_api.add_media("ME1", JPEG, "image/jpeg")
    assert text("", media=((photo, "image/jpeg"),)).startswith("Got your receipt.")
    assert text("exp 8 parking") == "Expense 8 USD parking on 2026-11-16 logged. Receipt attached."
    assert text("status").startswith("On shift since 07:58")
    assert text("hours").startswith("This week:")
    assert text("help").startswith("Punchclock:")
    clock.advance(hours=6)
    assert text("out 17:00 forgot").endswith("Sent to your manager for approval. Text HOURS.")
    assert text("APPROVE", str(manager.phone)) == "Approved #1 Ana Lopez: out 18:29->17:00 Mon 16 Nov."
    invited = text("invite +15550000044 Cleo Park", str(manager.phone))
    code = invited.split("Code ")[1][:6]
    assert text(f"JOIN {code}", "+15550000044").startswith("Welcome Cleo Park!")
    # Twilio's retry of the invite may come after the join: it is still the invite it answered
    assert text("invite +15550000044 Cleo Park", str(manager.phone)) == invited
    assert text("hello there", "+15550000999").startswith("This number is not registered")
    assert text("STOP", str(ben.phone)) == ""
    assert text("START", str(ben.phone)) == ""
    # Each message went once: the manager was asked once (in Slack), Ana told once (by text, where
    # she asked, and in Slack), Cleo got her code once
    assert len(rig.slack_api.dms_to("U0MIA")) == 1
    assert rig.twilio_api.texts_to(phone) == ["Your clock-out 17:00 on Mon 16 Nov was approved by Mia Boss."]
    assert len(rig.twilio_api.texts_to("+15550000044")) == 1
    delivered.again(rig)


def test_a_photo_delivered_again_after_its_expense_is_not_held_again(rig, ana, store, clock):  # type: ignore[no-untyped-def]
    # Given a photo that waited for the next expense, and that expense, which took it
    photo = rig.twilio_api.add_media("ME2", JPEG, "image/jpeg")
    media = ((photo, "image/jpeg"),)
    assert rig.text(str(ana.phone), "", sid="SMphoto", media=media).startswith("Got your receipt.")
    assert rig.text(str(ana.phone), "exp 9 tolls").endswith("Receipt attached.")
    items = rig.items()

    # When Twilio delivers the photo's message again, twice
    for _ in range(2):
        assert rig.text(str(ana.phone), "", sid="SMphoto", media=media).startswith("Got your receipt.")

    # Then nothing is held for the next expense: the photo belongs to the tolls
    assert changed(items, rig.items()) == []
    assert rig.text(str(ana.phone), "exp 5 parking") == "Expense 5 USD parking on 2026-11-16 logged."


def test_a_day_by_aws_two_way_sms_with_every_text_delivered_three_times(rig, delivered, ana, store, clock):  # type: ignore[no-untyped-def]
    phone = str(ana.phone)

    def text(body: str, who: str = phone) -> str:
        message_id = f"in-{abs(hash((who, body, clock.now())))}"
        event = rig.aws_event(who, body, message_id)
        before = len(sms_sent_by_sns())

        def deliver() -> list[tuple[str, str]]:
            assert rig.sns(event) == {"handled": 1}
            return sms_sent_by_sns()[before:]

        [(to, reply)] = thrice(rig, deliver)
        assert to == who
        return reply

    assert text("in").startswith("Clocked in 07:58.")
    link = text("exp 12.50 fuel")
    assert link.startswith("Expense 12.50 USD fuel on 2026-11-16 logged.") and "/receipts/upload/" in link
    assert text("status").startswith("On shift since 07:58")
    clock.advance(hours=8)
    assert text("out").startswith("Clocked out 15:58.")
    assert text("who is this", "+15550000999").startswith("This number is not registered")
    delivered.again(rig)


def test_a_slack_day_with_every_request_sent_three_times(rig, delivered, ana, manager, store, clock):  # type: ignore[no-untyped-def]
    slack = rig.slack

    def command(name: str, text: str = "", user: str = "U0ANA") -> str:
        body = slack.command_body(name, text, user=user)  # the very same request, trigger id and all
        return str(thrice(rig, lambda: slack.post(body, "application/x-www-form-urlencoded").text))

    assert command("/clockin", "north-site").startswith("Clocked in 07:58 at north-site.")
    clock.advance(hours=4)
    assert command("/break").startswith("Rest break started 11:58.")
    clock.advance(minutes=10)
    assert command("/back").startswith("Break 10m.")
    assert command("/expense", "12.50 fuel") == "Expense 12.50 USD fuel on 2026-11-16 logged."
    assert command("/status").startswith("On shift since 07:58")
    assert command("/timesheet").startswith("This week:")
    clock.advance(hours=6)
    assert "Sent to your manager for approval." in command("/clockout", "17:00 forgot")

    # Mia's Approve, clicked three times (one click delivered thrice: one action_ts)
    [dm] = rig.slack_api.dms_to("U0MIA")
    [pending] = store.pending_corrections("acme")
    [posted] = store.approval_messages(pending.event_id)  # where the DM went (issue 12 keeps it)
    message = {"ts": posted.ts, "channel": posted.channel, "text": dm["text"], "blocks": dm["blocks"]}
    approve = thrice(
        rig,
        lambda: (
            slack.click(
                "correction.approve", pending.event_id, user="U0MIA", message=message, action_ts="1790000300.000001"
            ).status
        ),
    )
    assert approve == 200 and store.pending_corrections("acme") == []
    assert len(rig.slack_api.made("chat.update")) == 1
    assert [m["text"] for m in rig.slack_api.dms_to("U0ANA")] == [
        "Your clock-out 17:00 on Mon 16 Nov was approved by Mia Boss."
    ]

    # A Home tab button, a refused one (a second Clock in: its Home tab is redrawn), the opened Home tab
    assert thrice(rig, lambda: slack.click("home.clock_in", action_ts="1790000400.000001").status) == 200
    assert thrice(rig, lambda: slack.click("home.clock_in", action_ts="1790000400.000002").status) == 200
    assert thrice(rig, lambda: slack.home_opened(event_id="Ev0OPEN").status) == 200

    # The expense modal submitted three times, with a receipt: one expense, one copy, one DM
    form = {
        "amount": {"type": "plain_text_input", "value": "48.20"},
        "currency": {"type": "plain_text_input", "value": "USD"},
        "category": {"type": "static_select", "selected_option": {"value": "parts"}},
        "date": {"type": "datepicker", "selected_date": "2026-11-16"},
        "note": {"type": "plain_text_input", "value": "hinge"},
        "receipt": {"type": "file_input", "files": [{"id": "F0RECEIPT", "name": "receipt.jpg"}]},
    }
    assert thrice(rig, lambda: slack.submit(form, view_id="V0EXPENSE").body) == {}
    [expense] = [e for e in store.worker_expenses("w-ana", DAY, DAY) if e.category == "parts"]
    assert expense.receipt_key is not None
    assert [m["text"] for m in rig.slack_api.dms_to("U0ANA")][-1].endswith("Receipt attached.")

    # /report and "Email this report", clicked three times: one email
    report = slack.command("/report", user="U0MIA")
    [actions] = [block for block in report.json["blocks"] if block["type"] == "actions"]
    [button] = actions["elements"]
    where = {"ts": "1790000000.000300", "channel": "D0MIA"}
    thrice(
        rig,
        lambda: (
            slack.click(
                REPORT_EMAIL,
                button["value"],
                user="U0MIA",
                block_id=actions["block_id"],
                message=where,
                ephemeral=True,
                action_ts="1790000500.000001",
            ).status
        ),
    )
    assert rig.outbound().email == 1
    assert RECEIPT_BYTES  # the fake's file, copied once (counted in outbound().receipts)
    delivered.again(rig)


def test_scheduler_retries_of_each_job_do_it_once(rig, delivered, ana, ben, manager, org, store, clock):  # type: ignore[no-untyped-def]
    # Given Ben clocked in ten hours ago (a reminder due) and the daily summary due at 18:00 (its
    # entries placed from an hour from now: Monday's weekly timesheet is not this test's)
    store.save_org(org, now=clock.now() + timedelta(hours=1))
    rig.text(str(ben.phone), "in")
    clock.advance(hours=10, minutes=5)

    # When Scheduler invokes each job three times for the same scheduled time (attempts 1, 2, 3)
    at = clock.now()
    reminders = thrice(rig, lambda: rig.job("reminders", at=at), same_answer=False)
    reports = thrice(rig, lambda: rig.job("reports", at=at), same_answer=False)

    # Then Ben was asked once, and each report address got one email
    assert reminders["reminded"] == 1
    assert len([t for t in rig.twilio_api.texts_to(str(ben.phone)) if t.startswith("Still clocked in")]) == 1
    assert reports["ran"] == 1 and rig.outbound().email == reports["emails"] >= 1
    delivered.again(rig)
