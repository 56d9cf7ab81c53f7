"""A reminder by text through AWS End User Messaging (moto's SNS), answered by a text back."""

from __future__ import annotations

from dataclasses import replace

from core.domain.model import BreakPolicy, Worker
from notifications import jobs_handler
from tests.conftest import after_request
from tests.integration.sms.helpers import AwsPhone, sms_sent_by_sns


class JobsContext:
    function_name = "punchclock-JobsFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-JobsFunction"
    aws_request_id = "jobs-test"


def test_a_reminder_goes_out_through_sns_and_out_1700_answers_it(  # type: ignore[no-untyped-def]
    aws_door, topic_arn, store, org, clock
):
    store.save_org(replace(org, break_policy=BreakPolicy(meal_rules="none")))
    bo = store.add_worker(Worker(worker_id="w-bo", org_id=org.org_id, name="Bo Diaz", phone="+15550000002"))
    phone = AwsPhone(bo.phone, topic_arn, clock)
    phone.text("in")
    clock.advance(hours=9, minutes=5)
    before = len(sms_sent_by_sns())

    jobs_handler.handler({"job": "reminders", "scheduled_time": "2026-11-17T02:03:00Z"}, JobsContext())
    after_request()
    jobs_handler.handler({"job": "reminders", "scheduled_time": "2026-11-17T02:04:00Z"}, JobsContext())
    after_request()

    sent = sms_sent_by_sns()[before:]
    assert [(to, text) for to, text, *_ in sent] == [
        (
            bo.phone,
            "Still clocked in since 07:58 (9h 05m). Reply OUT 17:00 to clock out at 17:00, or STILL to keep going.",
        )
    ]
    phone.text("out 17:00")
    [pending] = store.pending_corrections(org.org_id)
    assert pending.reason == "reminder"
