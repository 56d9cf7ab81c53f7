"""A deployment in this process, as the integration tests build one: in-process moto with the
template's table, the Slack and Twilio doors on loopback fakes, the notify function on the table's
stream, and an org of N workers (even ones text, odd ones use Slack). Requests are signed as Slack
and Twilio sign them (tests/integration/slack/driver.py, tests/integration/sms/helpers.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

import boto3
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider as EMFProvider
from moto import mock_aws
from moto.dynamodb.responses import DynamoHandler

from core import bootstrap
from core.domain.clock import FixedClock
from core.domain.model import Org, Role, Worker
from core.services.ports import Ports
from core.store.dynamodb import DynamoStore
from infra.local.streams import NoticePump
from infra.template import table_definition
from tests.bench.common import AwsMeter
from tests.conftest import AFTER_REQUEST, TABLE, CallCounter, _serialised_call_action, _stream, invoke_notify

PHONE = "+1555770{:04d}"
SLACK_USER = "U0BENCH{:05d}"
RECEIPTS = "punchclock-receipts-bench"
SENDER = "punchclock@acme.test"
MONDAY = datetime(2026, 11, 16, 12, 58, tzinfo=UTC)  # 07:58 in New York


@dataclass
class Rig:
    ddb: Any
    store: DynamoStore
    clock: FixedClock
    ports: Ports
    org: Org
    workers: list[Worker]
    calls: CallCounter  # the store's DynamoDB client
    meter: AwsMeter  # every client's AWS calls (boto3's default session), with DynamoDB units
    pump: NoticePump
    slack_api: Any
    twilio_api: Any
    lazy: Any  # Bolt's lazy runner, in-process

    def text(self, i: int, body: str, sid: str | None = None) -> tuple[int, str]:
        """Worker i texts `body` through the Twilio webhook handler: (status, reply)."""
        from bot.sms import twilio_handler
        from tests.integration.sms.helpers import LambdaContext, new_sid, twilio_event, twilio_form

        form = twilio_form(PHONE.format(i), body, sid or new_sid())
        response = twilio_handler.handler(twilio_event(form), LambdaContext())
        return int(response["statusCode"]), _twiml(response.get("body") or "")

    def slack(self, i: int, command: str, text: str = "", stamp: int | None = None) -> tuple[int, str]:
        """Worker i types `command text` in Slack, signed at `stamp` (now): (status, reply)."""
        from tests.integration.slack.driver import SlackDriver

        driver = SlackDriver(self.lazy)
        answer = driver.command(command, text, user=SLACK_USER.format(i), timestamp=stamp, lazy=False)
        self.lazy.drain()  # lazy listeners Bolt asked Lambda to run, through the same handler
        return answer.status, answer.text

    def deliver_notices(self) -> int:
        """The notify function on what was committed since (the event source mapping's work)."""
        return self.pump.pump()


def _twiml(body: str) -> str:
    from xml.etree import ElementTree

    if not body:
        return ""
    root = ElementTree.fromstring(body)
    return " ".join(m.text or "" for m in root.findall("Message"))


ORG = Org(
    org_id="acme",
    name="Acme Field Services",
    timezone="America/New_York",
    manager_emails=("boss@acme.test",),
    slack_team_id="T0ACME",
)


def bench_worker(i: int, org: Org = ORG) -> Worker:
    return Worker(
        worker_id=f"w-{i:05d}",
        org_id=org.org_id,
        name=f"Worker {i:05d}",
        phone=PHONE.format(i),
        slack_team_id=org.slack_team_id,
        slack_user_id=SLACK_USER.format(i),
        role=Role.MANAGER if i == 0 else Role.WORKER,
        email="boss@acme.test" if i == 0 else None,
    )


@contextmanager
def deployment(workers: int = 50, clock: FixedClock | None = None) -> Iterator[Rig]:
    from bot.slack import handler as slack_lambda
    from bot.sms import wiring
    from notifications import notify_handler
    from tests.integration.slack.driver import BOT_TOKEN, SIGNING_SECRET, InProcessLambda
    from tests.integration.slack.fake_slack import FakeSlack
    from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
    from tests.integration.sms.helpers import BASE_URL, OUR_NUMBER

    clock = clock or FixedClock(MONDAY)
    saved_env = dict(os.environ)
    with ExitStack() as stack:
        stack.enter_context(mock_aws())  # (it drops boto3's default session: the meter goes on the next one)
        meter = AwsMeter()
        boto3.setup_default_session()
        meter.watch(boto3.DEFAULT_SESSION._session)  # every client made from here on
        # Powertools prints a metrics blob every 100 values even when disabled: dropped, not printed.
        stack.enter_context(patch.object(EMFProvider, "flush_metrics", lambda self, **_: self.clear_metrics()))
        stack.enter_context(patch.object(DynamoHandler, "call_action", _serialised_call_action))
        slack_api, twilio_api = FakeSlack().start(), FakeTwilio().start()
        stack.callback(slack_api.stop)
        stack.callback(twilio_api.stop)
        os.environ.update(
            TABLE_NAME=TABLE,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=f"{slack_api.url}api/",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_FROM=OUR_NUMBER,
            TWILIO_API_URL=twilio_api.url,
            PUBLIC_BASE_URL=BASE_URL,
            SMS_PROVIDER="twilio",
            RECEIPTS_BUCKET=RECEIPTS,
            SENDER_EMAIL=SENDER,
            POWERTOOLS_SERVICE_NAME="punchclock",
            POWERTOOLS_METRICS_DISABLED="true",
            POWERTOOLS_TRACE_DISABLED="true",
            POWERTOOLS_LOG_LEVEL="ERROR",
        )
        for name in ("SLACK_SIGNING_SECRET_PARAM", "SLACK_BOT_TOKEN_PARAM", "SLACK_CLIENT_ID", "RECEIPTS_BUCKET_X"):
            os.environ.pop(name, None)
        stack.callback(lambda: (os.environ.clear(), os.environ.update(saved_env)))
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        ddb.create_table(**table_definition(TABLE))
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=RECEIPTS)
        boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
        store = DynamoStore(ddb, TABLE)
        org = store.save_org(ORG, clock.now())  # its report runs placed from the bench clock
        crew = [store.add_worker(bench_worker(i, org)) for i in range(workers)]
        ports = Ports(store=store, clock=clock)
        bootstrap.reset()
        notify_handler.reset()
        bootstrap.override(ports=ports)
        lazy = InProcessLambda()
        stack.enter_context(patch.object(slack_lambda, "make_lambda_client", lambda: lazy))
        slack_lambda.reset()
        wiring.door.cache_clear()
        stack.callback(bootstrap.reset)
        stack.callback(slack_lambda.reset)
        stack.callback(wiring.door.cache_clear)
        pump = NoticePump(_stream(ddb), invoke_notify)
        AFTER_REQUEST.clear()
        yield Rig(ddb, store, clock, ports, org, crew, CallCounter(ddb), meter, pump, slack_api, twilio_api, lazy)
        AFTER_REQUEST.clear()


def fresh_container() -> None:
    """What a new Lambda container holds: nothing cached (the doors, their settings, the store's
    worker cache); the test's ports stay (the same table, the same clock)."""
    from bot.slack import handler as slack_lambda
    from bot.sms import wiring

    ports = bootstrap.ports()
    ports.store.forget_cache()  # type: ignore[attr-defined]
    bootstrap.reset()
    bootstrap.override(ports=replace(ports))
    slack_lambda.reset()
    wiring.door.cache_clear()


def now_stamp() -> int:
    return int(time.time())
