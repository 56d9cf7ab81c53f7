"""The reliability rig: one deployment with every door open at once, two organisations, and the
means to look at everything from outside.

- Doors in: Slack (signed requests through the real handler, lazy listeners run in-process),
  Twilio (signed webhooks), AWS two-way SMS (SNS events), the jobs function (Scheduler's input).
- Doors out: the notify function on the table's stream (pumped after each request), a loopback
  Slack and a loopback Twilio, moto's SNS, SES and S3.
- Audit: every item of the table (the app never scans), everything sent anywhere.
- Faults: `DynamoFaults` fails the store's own DynamoDB calls as DynamoDB or the network would.

Organisations: Acme (the root fixtures' `org`, Ana on Slack and a phone, Mia its manager, Ben on
a phone only) and Globex (its own Slack team, Zed and Yara), whose names and numbers must never
show in anything Acme's people see, and the other way round.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any
from xml.etree import ElementTree

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.ses.models import ses_backends

from bot.slack import handler as slack_lambda
from bot.sms import sns_handler, twilio_handler, wiring
from core import bootstrap
from core.domain.clock import FixedClock
from core.domain.model import BreakPolicy, Org, OvertimePolicy, Role, Worker
from core.services.ports import Ports
from core.store.dynamodb import DynamoStore
from notifications import jobs_handler, notify_handler
from tests.conftest import TABLE, after_request
from tests.integration.slack.driver import BOT_TOKEN, SIGNING_SECRET, InProcessLambda, SlackDriver
from tests.integration.slack.fake_slack import FakeSlack
from tests.integration.sms.fakes import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.integration.sms.helpers import (
    BASE_URL,
    OUR_NUMBER,
    LambdaContext,
    new_sid,
    sms_sent_by_sns,
    sns_sms_event,
    twilio_event,
    twilio_form,
)

BUCKET = "punchclock-receipts-test"
SENDER = "punchclock@acme.test"
GLOBEX_TEAM = "T0GLOBEX"
SCHEDULE_ARN = "arn:aws:scheduler:us-east-1:123456789012:schedule/punchclock-jobs/punchclock-reminders"

# What a person is told when a write may or may not have happened (core/catalogue/en.py "error").
SMS_ERROR = (
    "Sorry, something went wrong on our side and we cannot tell if that was saved. "
    "Text STATUS to check before you send it again."
)
SLACK_ERROR = (
    "Sorry, something went wrong on our side and we cannot tell if that was saved. Check /status before retrying."
)


class JobsContext:
    function_name = "punchclock-JobsFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-JobsFunction"
    aws_request_id = "jobs-test"


# -- faults ------------------------------------------------------------------------------------


class Fault(StrEnum):
    THROTTLED = "ProvisionedThroughputExceededException"  # before the call: nothing happened
    THROTTLING = "ThrottlingException"
    INTERNAL = "InternalServerError"
    TIMEOUT = "connect timeout"  # the request never reached DynamoDB
    CANCELLED = "TransactionCanceledException"  # a transaction refused for throttling (other calls: throttled)
    LOST = "lost answer"  # the call went through, then its answer was lost (a read timeout)


BEFORE = (Fault.THROTTLED, Fault.THROTTLING, Fault.INTERNAL, Fault.TIMEOUT, Fault.CANCELLED)


def client_error(code: str, operation: str, status: int = 400, **extra: Any) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}, **extra}
    return ClientError(response, operation)


@dataclass
class DynamoFaults:
    """Fails one call of the store's DynamoDB client on purpose: the `at`-th call from `arm()`.

    Registered on the client's botocore events, as the app's own calls go: a fault before the
    call (throttled, an internal error, a connection timeout) means nothing reached the table;
    LOST lets the call through and raises after it (the write committed, its answer never came).
    """

    client: Any
    seen: list[str] = field(default_factory=list)  # the calls since `arm()`, until `disarm()`
    fired: list[str] = field(default_factory=list)
    _fault: Fault | None = None
    _at: int = 0
    _operation: str | None = None
    _counting: bool = False

    def __post_init__(self) -> None:
        self.client.meta.events.register("before-call.dynamodb", self._before)
        self.client.meta.events.register("after-call.dynamodb", self._after)

    def arm(self, fault: Fault | None, at: int = 1, operation: str | None = None) -> None:
        """Fail the `at`-th call from now (of `operation`, if named) with `fault` (None: only count)."""
        self._fault, self._at, self._operation, self._counting = fault, at, operation, True
        self.seen.clear()
        self.fired.clear()

    def disarm(self) -> None:
        self._fault, self._counting = None, False

    def _due(self, operation: str, before: bool) -> bool:
        counted = [seen for seen in self.seen if self._operation in (None, seen)]
        if self._fault is None or len(counted) != self._at or (self._fault is Fault.LOST) == before:
            return False
        if self._operation not in (None, operation):
            return False
        self.fired.append(operation)
        return True

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        operation = model.name
        if self._counting:
            self.seen.append(operation)
        if not self._due(operation, before=True):
            return
        fault = self._fault
        if fault is Fault.TIMEOUT:
            raise ConnectTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")
        if fault is Fault.CANCELLED and operation == "TransactWriteItems":
            actions = json.loads(params["body"])["TransactItems"]  # the request as it would be sent
            reasons = [{"Code": "None"} for _ in actions]
            reasons[-1] = {"Code": "ThrottlingError", "Message": "Throttling at the item level"}
            raise client_error("TransactionCanceledException", operation, CancellationReasons=reasons)
        if fault is Fault.INTERNAL:
            raise client_error("InternalServerError", operation, 500)
        code = Fault.THROTTLING.value if fault is Fault.THROTTLING else Fault.THROTTLED.value
        raise client_error(code, operation)

    def _after(self, model: Any, **_: Any) -> None:
        if self._due(model.name, before=False):
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


class ProviderFaults:
    """Fails the other providers wherever they are called, any container, any client: AWS calls by
    service and operation (SES SendEmail, SNS Publish, S3 PutObject...) and Slack Web API methods
    (answered `ok: false`, as Slack answers an error), each the next `times` calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, slack_api: FakeSlack) -> None:
        self.failing: dict[tuple[str, str], int] = {}
        self.failed: list[str] = []
        original = BaseClient._make_api_call
        answer = slack_api.answer

        def aws_call(client: Any, operation: str, params: Any) -> Any:
            service = client.meta.service_model.service_name
            if self._fails("aws", f"{service}.{operation}"):
                raise client_error("ServiceUnavailable", operation, 503)
            return original(client, operation, params)

        def slack_answer(method: str, args: dict[str, Any]) -> dict[str, Any]:
            if self._fails("slack", method):
                return {"ok": False, "error": "internal_error"}
            return answer(method, args)

        monkeypatch.setattr(BaseClient, "_make_api_call", aws_call)
        monkeypatch.setattr(slack_api, "answer", slack_answer)

    def fail(self, where: str, call: str, times: int = 1) -> None:
        """`where`: "aws" ("sesv2.SendEmail", "sns.Publish", "s3.PutObject") or "slack" ("chat.postMessage")."""
        self.failing[(where, call)] = times

    def _fails(self, where: str, call: str) -> bool:
        left = self.failing.get((where, call), 0)
        if left <= 0:
            return False
        self.failing[(where, call)] = left - 1
        self.failed.append(call)
        return True


# -- the rig -----------------------------------------------------------------------------------


@dataclass
class Outbound:
    """Everything sent anywhere, as counts a test compares before and after."""

    slack: int
    twilio: int
    sns: int
    email: int
    receipts: int

    def __sub__(self, other: Outbound) -> Outbound:
        return Outbound(*(a - b for a, b in zip(self.__dict__.values(), other.__dict__.values(), strict=True)))


NOTHING_SENT = Outbound(0, 0, 0, 0, 0)


@dataclass
class Rig:
    ddb: Any  # the store's own client: faults go here
    ports: Ports
    clock: FixedClock
    slack: SlackDriver
    slack_api: FakeSlack
    twilio_api: FakeTwilio
    topic_arn: str
    faults: DynamoFaults

    # -- doors in ------------------------------------------------------------------------------

    def twilio(self, form: dict[str, str], *, pump: bool = True) -> dict[str, Any]:
        """A signed webhook through the Twilio handler; the raw response."""
        response: dict[str, Any] = twilio_handler.handler(twilio_event(form), LambdaContext())
        self._settle(pump)
        return response

    def text(
        self,
        phone: str,
        body: str = "",
        *,
        sid: str | None = None,
        media: tuple[tuple[str, str], ...] = (),
        pump: bool = True,
        **extra: str,
    ) -> str:
        """A text by Twilio (`media`: (url, content type) of each photo): the reply in its TwiML ("" for none)."""
        form = twilio_form(phone, body, sid or new_sid(), media) | extra
        return twiml_text(self.twilio(form, pump=pump))

    def aws_event(self, phone: str, body: str, message_id: str | None = None) -> dict[str, Any]:
        payload = {
            "originationNumber": phone,
            "destinationNumber": OUR_NUMBER,
            "messageKeyword": "KEYWORD_123456789012",
            "messageBody": body,
            "inboundMessageId": message_id or str(uuid.uuid4()),
            "previousPublishedMessageId": "wJ0UQrLnhb7qIrTw2vcoRlWqUZh4Yh8LtjX4P3YvQUm",
        }
        return sns_sms_event(self.topic_arn, payload, self.clock.now())

    def sns(self, event: dict[str, Any], *, pump: bool = True) -> Any:
        """An SNS delivery to the two-way SMS function (raises what the function raises)."""
        try:
            return sns_handler.handler(event, LambdaContext())
        finally:
            self._settle(pump)

    def aws_text(self, phone: str, body: str, *, message_id: str | None = None) -> str:
        """A text by AWS two-way SMS: the reply our number sent back ("" for none)."""
        before = len(sms_sent_by_sns())
        self.sns(self.aws_event(phone, body, message_id))
        replies = [text for to, text in sms_sent_by_sns()[before:] if to == phone]
        assert len(replies) <= 1, replies
        return replies[0] if replies else ""

    def job(self, job: str, attempt: int = 1, at: datetime | None = None) -> dict[str, Any]:
        """The jobs function, invoked with the schedule's Input as Scheduler substitutes it."""
        when = at or self.clock.now()
        event = {
            "job": job,
            "scheduled_time": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "schedule_arn": SCHEDULE_ARN,
            "attempt": str(attempt),
        }
        try:
            return dict(jobs_handler.handler(event, JobsContext()))
        finally:
            after_request()

    def _settle(self, pump: bool) -> None:
        self.faults.disarm()  # what a fault hit was the request; the notify function runs on its own
        if pump:
            after_request()

    def cold(self) -> None:
        """The next requests land on new containers: nothing cached, every read made again."""
        self.ports = Ports(store=DynamoStore(self.ddb, TABLE), clock=self.clock)
        bootstrap.override(ports=self.ports)
        slack_lambda.reset()
        wiring.door.cache_clear()
        notify_handler.reset()

    # -- audit ---------------------------------------------------------------------------------

    def items(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every item in the table by key, as a Scan would give it (the test's look at the whole
        table, the app never scans), read from the emulator itself: moto's answer to a Scan costs
        far more to serialise than the requests it audits."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for by_sort_key in _emulated_table().items.values():
            for item in by_sort_key.values():
                attributes = item.to_json()["Attributes"]
                found[(attributes["PK"]["S"], attributes["SK"]["S"])] = attributes
        return found

    def keep(self) -> Any:
        """The table's items as they are, for `put_back` and to compare (moto replaces an item on
        every write; a read of a missing partition leaves an empty one behind, which is no item)."""
        return {key: dict(by_sort_key) for key, by_sort_key in _emulated_table().items.items() if by_sort_key}

    def put_back(self, kept: Any) -> None:
        """The table's items as they were when kept (a test setting the scene again, not the app)."""
        _emulated_table().items = defaultdict(dict, {key: dict(by_sort_key) for key, by_sort_key in kept.items()})

    def outbound(self) -> Outbound:
        s3 = boto3.client("s3", region_name="us-east-1")
        receipts = s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
        return Outbound(
            slack=len(self.slack_api.calls),
            twilio=len(self.twilio_api.sent),
            sns=len(sms_sent_by_sns()),
            email=len(sent_emails()),
            receipts=receipts,
        )

    def heard(self) -> str:
        """Everything anyone was sent, as one text (to look for what must not be there)."""
        slack = json.dumps([call.args for call in self.slack_api.calls])
        texts = json.dumps(self.twilio_api.sent) + json.dumps(sms_sent_by_sns())
        emails = "\n".join(m.raw_data if hasattr(m, "raw_data") else str(m.__dict__) for m in sent_emails())
        return "\n".join((slack, texts, emails))


def _emulated_table() -> Any:
    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].tables[TABLE]


def sent_emails() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def twiml_text(response: dict[str, Any]) -> str:
    """The message in a TwiML answer ("" for `<Response />`); fails on anything but valid TwiML."""
    assert response["statusCode"] == 200, response
    assert response["headers"]["Content-Type"] == "text/xml"
    root = ElementTree.fromstring(response["body"])
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return (messages[0].text or "") if messages else ""


def changed(before: dict[Any, Any], after: dict[Any, Any]) -> list[str]:
    """What a request did to the table, by item type: `+punch`, `~worker`, `-pending`... (sorted)."""
    kinds = []
    for key in before.keys() | after.keys():
        if key not in before:
            kinds.append(f"+{_kind(after[key])}")
        elif key not in after:
            kinds.append(f"-{_kind(before[key])}")
        elif before[key] != after[key]:
            kinds.append(f"~{_kind(after[key])}")
    return sorted(kinds)


def _kind(item: dict[str, Any]) -> str:
    """An item's `type`, else the start of its sort key (items as the emulator holds them: {"S": ...})."""
    kind = (item.get("type") or {}).get("S")
    return str(kind or item["SK"]["S"].split("#", 1)[0].lower())


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def slack_api() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def twilio_api() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def ben(store: DynamoStore, org: Org) -> Worker:
    """Acme's worker with a phone and no Slack."""
    return store.add_worker(Worker(worker_id="w-ben", org_id=org.org_id, name="Ben Carter", phone="+15550000002"))


@pytest.fixture
def globex(store: DynamoStore) -> Org:
    return store.save_org(
        Org(
            org_id="globex",
            name="Globex Hauling",
            timezone="America/Los_Angeles",
            workday_start=time(0, 0),
            overtime_policy=OvertimePolicy.CALIFORNIA,
            break_policy=BreakPolicy(meal_rules="california"),
            manager_emails=("yara@globex.test",),
            slack_team_id=GLOBEX_TEAM,
        )
    )


@pytest.fixture
def zed(store: DynamoStore, globex: Org) -> Worker:
    return store.add_worker(
        Worker(
            worker_id="w-zed",
            org_id=globex.org_id,
            name="Zed Quillfeather",
            phone="+15550000077",
            slack_team_id=GLOBEX_TEAM,
            slack_user_id="U0ZED",
        )
    )


@pytest.fixture
def yara(store: DynamoStore, globex: Org) -> Worker:
    return store.add_worker(
        Worker(
            worker_id="w-yara",
            org_id=globex.org_id,
            name="Yara Vexley",
            role=Role.MANAGER,
            phone="+15550000078",
            slack_team_id=GLOBEX_TEAM,
            slack_user_id="U0YARA",
            email="yara@globex.test",
        )
    )


_NOT_HERE = (
    "SLACK_SIGNING_SECRET_PARAM",
    "SLACK_BOT_TOKEN_PARAM",
    "TWILIO_ACCOUNT_SID_PARAM",
    "TWILIO_AUTH_TOKEN_PARAM",
    "TWILIO_FROM_PARAM",
    "SMS_ORIGINATION_NUMBER",
    "SMS_ORIGINATION_NUMBER_PARAM",
)


@pytest.fixture
def rig(  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, ddb, ports, clock, org, notices, slack_api, twilio_api
) -> Iterator[Rig]:
    """Every door of one deployment on the test's table and clock, Acme's org in it."""
    slack_api.reset()
    twilio_api.reset()
    for name in _NOT_HERE:
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "TABLE_NAME": TABLE,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": f"{slack_api.url}api/",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": OUR_NUMBER,
        "TWILIO_API_URL": twilio_api.url,
        "PUBLIC_BASE_URL": BASE_URL,
        "SMS_PROVIDER": "twilio",
        "RECEIPTS_BUCKET": BUCKET,
        "SENDER_EMAIL": SENDER,
        "POWERTOOLS_SERVICE_NAME": "punchclock",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    topic = boto3.client("sns", region_name="us-east-1").create_topic(Name="punchclock-inbound-sms")["TopicArn"]
    bootstrap.reset()  # settings from this environment, on the test's ports
    bootstrap.override(ports=ports)
    lam = InProcessLambda()
    monkeypatch.setattr(slack_lambda, "make_lambda_client", lambda: lam)
    slack_lambda.reset()
    wiring.door.cache_clear()
    faults = DynamoFaults(ddb)
    yield Rig(
        ddb=ddb,
        ports=ports,
        clock=clock,
        slack=SlackDriver(lam, response_base=f"{slack_api.url}respond/"),
        slack_api=slack_api,
        twilio_api=twilio_api,
        topic_arn=str(topic),
        faults=faults,
    )
    faults.disarm()
    slack_lambda.reset()
    wiring.door.cache_clear()


@pytest.fixture
def providers(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> ProviderFaults:
    return ProviderFaults(monkeypatch, rig.slack_api)


@pytest.fixture
def two_orgs(rig: Rig, ana: Worker, manager: Worker, ben: Worker, zed: Worker, yara: Worker) -> Rig:
    """The rig with both organisations' people in it."""
    return rig


@pytest.fixture
def org(org: Org, store: DynamoStore) -> Org:
    """Acme, whose expenses up to 10,000 need no approval here: these suites count the replies and
    messages of a day's work, not approvals (issue 12's are in tests/integration)."""
    from dataclasses import replace
    from decimal import Decimal

    return store.save_org(replace(org, expense_approval_above=Decimal("10000")))
