"""Many simultaneous `in` for one worker (Slack and SMS at once) open exactly one shift."""

from __future__ import annotations

import threading

import boto3

from core import commands as c
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.services.dispatch import handle
from core.services.ports import Ports
from core.store.dynamodb import DynamoStore
from tests.conftest import TABLE


def test_twenty_simultaneous_clock_ins_open_one_shift(ports, org, ana, clock):  # type: ignore[no-untyped-def]
    # Given twenty containers, each with its own client and its own (cached, soon stale) worker
    stores = [DynamoStore(boto3.client("dynamodb", region_name="us-east-1"), TABLE) for _ in range(20)]
    workers = [s.get_worker(ana.worker_id) for s in stores]
    barrier = threading.Barrier(len(stores))
    outcomes = []

    def clock_in(i: int) -> None:
        barrier.wait()
        channel = Channel.SLACK if i % 2 else Channel.SMS
        out = handle(c.ClockIn(), workers[i], org, Origin(channel, f"d{i}"), Ports(stores[i], clock))
        outcomes.append(out.code)

    # When they all clock in at once
    threads = [threading.Thread(target=clock_in, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Then exactly one succeeded and the rest were told they are already in
    assert outcomes.count("clocked_in") == 1, outcomes
    assert outcomes.count("already_in") == len(stores) - 1
    events = ports.store.worker_events(ana.worker_id, clock.now().replace(hour=0), clock.now().replace(hour=23))
    assert [p.kind.value for p in events.punches] == ["clock_in"]


def test_two_managers_deciding_one_item_at_once_make_one_decision(ports, org, ana, manager, clock):  # type: ignore[no-untyped-def]
    from core.domain.model import Role, Worker

    # Given Ana's correction waits, and two managers, each in their own container, are shown it
    other = ports.store.add_worker(Worker(worker_id="w-max", org_id=org.org_id, name="Max Second", role=Role.MANAGER))
    handle(c.ClockIn(), ana, org, Origin(Channel.SMS, "in"), ports)
    handle(
        c.ClockIn(at=clock.now().time().replace(hour=7, minute=30), reason="bus late"),
        ana,
        org,
        Origin(Channel.SMS, "fix"),
        ports,
    )
    managers = [manager, other, manager, other]
    stores = [DynamoStore(boto3.client("dynamodb", region_name="us-east-1"), TABLE) for _ in managers]
    for store, who in zip(stores, managers, strict=True):
        assert handle(c.Pending(), who, org, Origin(Channel.SMS, f"list-{who.worker_id}"), Ports(store, clock)).ok
    barrier = threading.Barrier(len(managers))
    outcomes: list[str] = []

    def decide(i: int) -> None:
        barrier.wait()
        cmd = c.Decide(approve=i % 2 == 0, number=1)
        outcomes.append(handle(cmd, managers[i], org, Origin(Channel.SMS, f"d{i}"), Ports(stores[i], clock)).code)

    # When they all decide it at once (approve and reject)
    threads = [threading.Thread(target=decide, args=(i,)) for i in range(len(managers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Then exactly one decision was recorded, and the others were told it was already decided
    assert outcomes.count("item_decided") == 1, outcomes
    assert outcomes.count("number_decided") == len(managers) - 1, outcomes
    day = (clock.now().replace(hour=0), clock.now().replace(hour=23))
    assert len(ports.store.worker_events(ana.worker_id, *day).decisions) == 1
    assert ports.store.pending_items(org.org_id) == []
