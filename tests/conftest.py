"""Shared fixtures: moto DynamoDB with the template's table, a fixed clock, a seeded org."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time
from unittest.mock import patch

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.responses import DynamoHandler

from core.domain.clock import FixedClock
from core.domain.model import BreakPolicy, Org, OvertimePolicy, Role, Worker
from core.services.ports import Ports
from core.store.dynamodb import DynamoStore
from infra.template import table_definition

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


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws(), patch.object(DynamoHandler, "call_action", _serialised_call_action):
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


@pytest.fixture
def ports(store: DynamoStore, clock: FixedClock) -> Ports:
    return Ports(store=store, clock=clock)


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
