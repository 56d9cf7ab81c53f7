"""Shared fixtures: moto DynamoDB with the template's table, a fixed clock, a seeded org."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from typing import Any
from unittest.mock import patch

import boto3
import botocore.loaders
import botocore.session
import pytest
from boto3.dynamodb.types import TypeDeserializer
from botocore.config import Config
from moto import mock_aws
from moto.core.serialize import BaseJSONSerializer
from moto.dynamodb.responses import DynamoHandler

from core import bootstrap
from core.domain.clock import FixedClock
from core.domain.model import BreakPolicy, Org, OvertimePolicy, Role, Worker
from core.ports import Notice
from core.services.ports import Ports
from core.store.dynamodb import DynamoStore
from core.store.items import notice_from_item
from infra.local.emulator import transactions_checked_before_written
from infra.local.streams import DynamoStream, NoticePump, is_notice
from infra.template import table_definition
from notifications import notify_handler

TABLE = "punchclock-test"

# Never reach real AWS from a test, whatever the developer's shell holds.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ["TABLE_NAME"] = TABLE  # every process's settings name its table; tests that need none drop it
transactions_checked_before_written()  # no table copy per transaction; streams only go forward


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="run the long forms of the reliability suite: 10,000 hostile inputs per door, every fault at every call",
    )


@pytest.fixture(scope="session")
def long(request: pytest.FixtureRequest) -> bool:
    """True under `pytest --long`: tests that sample (fuzzing, fault matrices) take the whole space."""
    return bool(request.config.getoption("--long"))


class CallCounter:
    """Counts DynamoDB API calls through a botocore event hook (what a budget test asserts)."""

    def __init__(self, client: object) -> None:
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb.*", self._seen)  # type: ignore[attr-defined]

    def _seen(self, event_name: str, **_: object) -> None:
        self.calls[event_name.rsplit(".", 1)[-1]] += 1

    def reset(self) -> None:
        self.calls.clear()

    @property
    def total(self) -> int:
        return sum(self.calls.values())


_serial = threading.RLock()
_original_call_action = DynamoHandler.call_action


def _serialised_call_action(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    # DynamoDB applies each request atomically; moto's in-process backend does not guard
    # against threads, so tests that race requests serialise them here, as the service would.
    with _serial:
        return _original_call_action(self, *args, **kwargs)


_serialize_structure = BaseJSONSerializer._serialize_type_structure


def _attribute_values_as_they_are(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    """DynamoDB's AttributeValue, as moto holds it: the very JSON it answers with ({"S": "..."}).
    Walking its ten members through the generic serializer, for every value of every item, was
    most of the cost of a request."""
    if key and shape.name == "AttributeValue" and isinstance(value, dict):
        serialized[key] = value
        return
    _serialize_structure(self, serialized, value, shape, key)


# moto gives each test a fresh boto3 default session, whose loader would parse botocore's JSON
# (endpoints, each service's model) again for every client of every test: a fifth of a second of
# setup per test. The models are read-only data; one loader serves every test's session.
_SHARED_MODELS = botocore.loaders.create_loader()


def _session_sharing_models() -> None:
    session = botocore.session.get_session()
    session.register_component("data_loader", _SHARED_MODELS)
    boto3.setup_default_session(botocore_session=session)


@pytest.fixture
def aws() -> Iterator[None]:
    with (
        mock_aws(),
        patch.object(DynamoHandler, "call_action", _serialised_call_action),
        patch.object(BaseJSONSerializer, "_serialize_type_structure", _attribute_values_as_they_are),
    ):
        _session_sharing_models()  # inside the mock: moto restores boto3's default session after
        yield


@pytest.fixture
def ddb(aws: None):  # type: ignore[no-untyped-def]
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(**table_definition(TABLE))
    return client


@pytest.fixture
def store(ddb) -> DynamoStore:  # type: ignore[no-untyped-def]
    return DynamoStore(ddb, TABLE)


@pytest.fixture
def calls(ddb) -> CallCounter:  # type: ignore[no-untyped-def]
    return CallCounter(ddb)


@pytest.fixture
def clock() -> FixedClock:
    # Monday 2026-11-16 12:58 UTC = 07:58 in New York
    return FixedClock(datetime(2026, 11, 16, 12, 58, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _fresh_root() -> Iterator[None]:
    """Every test builds its own container: settings from its environment, ports from its fixtures."""
    bootstrap.reset()
    notify_handler.reset()
    yield
    AFTER_REQUEST.clear()
    bootstrap.reset()
    notify_handler.reset()


@pytest.fixture
def ports(store: DynamoStore, clock: FixedClock) -> Ports:
    """The test's ports, which every handler gets from the composition root."""
    ports = Ports(store=store, clock=clock)
    bootstrap.override(ports=ports)
    return ports


def short_lived(ddb) -> list[str]:  # type: ignore[no-untyped-def]
    """The keys (PK/SK) of the short-lived records in the table: rate limits, stops, held photos,
    upload links, once flags, repeat guards (not deliveries, invites, notices or send records)."""
    kept = ("DELIVERY#", "INVITE#", "NOTICE#", "SENT#")
    items = ddb.scan(TableName=TABLE)["Items"]  # a test looking at the whole table, never the app
    return sorted(
        f"{i['PK']['S']}/{i['SK']['S']}" for i in items if "expires_at_epoch" in i and not i["PK"]["S"].startswith(kept)
    )


def reload_settings() -> None:
    """A container started with the environment as a test changed it (the test's ports kept)."""
    ports = bootstrap.ports()
    bootstrap.reset()
    bootstrap.override(ports=ports)


# What runs after each request a test driver sends (the notice pump, when a test has one).
AFTER_REQUEST: list[Callable[[], object]] = []


def after_request() -> None:
    for run in AFTER_REQUEST:
        run()


class NotifyContext:
    function_name = "punchclock-NotifyFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:punchclock-NotifyFunction"
    aws_request_id = "notify-test"


def invoke_notify(event: dict[str, object]) -> object:
    return notify_handler.handler(event, NotifyContext())


def _stream(ddb) -> DynamoStream:  # type: ignore[no-untyped-def]
    streams = boto3.client(
        "dynamodbstreams", region_name="us-east-1", config=Config(account_id_endpoint_mode="disabled")
    )
    arn = ddb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    return DynamoStream(streams, arn, boto3.client("dynamodb", region_name="us-east-1"))  # not the counted client


@pytest.fixture
def outbox(ddb) -> Callable[[], list[Notice]]:  # type: ignore[no-untyped-def]
    """The notices committed since the last call, read off the table's stream (nothing is sent)."""
    stream = _stream(ddb)
    deserialize = TypeDeserializer().deserialize

    def committed() -> list[Notice]:
        images = [record["dynamodb"]["NewImage"] for record in stream.read() if is_notice(record)]
        return [notice_from_item({k: deserialize(v) for k, v in image.items()}) for image in images]

    return committed


@pytest.fixture
def notices(ddb, ports: Ports) -> NoticePump:  # type: ignore[no-untyped-def]
    """The notify function on the table's stream, as Lambda's event source runs it; drivers pump
    it after each request (`drain()` by hand in tests that look between the two)."""
    pump = NoticePump(_stream(ddb), invoke_notify)
    AFTER_REQUEST.append(pump.drain)
    return pump


@pytest.fixture
def org(store: DynamoStore) -> Org:
    return store.save_org(
        Org(
            org_id="acme",
            name="Acme Field Services",
            timezone="America/New_York",
            workday_start=time(0, 0),
            overtime_policy=OvertimePolicy.FLSA,
            # California's meal rules chosen apart from the FLSA overtime, so days show meal flags
            break_policy=BreakPolicy(meal_rules="california"),
            manager_emails=("boss@acme.test",),
            slack_team_id="T0ACME",
        )
    )


@pytest.fixture
def ana(store: DynamoStore, org: Org) -> Worker:
    return store.add_worker(
        Worker(
            worker_id="w-ana",
            org_id=org.org_id,
            name="Ana Lopez",
            phone="+15550000001",
            slack_team_id="T0ACME",
            slack_user_id="U0ANA",
        )
    )


@pytest.fixture
def manager(store: DynamoStore, org: Org) -> Worker:
    return store.add_worker(
        Worker(
            worker_id="w-mia",
            org_id=org.org_id,
            name="Mia Boss",
            role=Role.MANAGER,
            phone="+15550000009",
            slack_team_id="T0ACME",
            slack_user_id="U0MIA",
            email="boss@acme.test",
        )
    )
