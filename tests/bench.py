"""`make bench`: timings as ratios against floors measured in the same run (these machines are noisy).

- cold start: a fresh interpreter importing each Lambda handler named in the template, against a
  floor of a bare interpreter and of `import boto3` (every handler needs it);
- core commands: one clock-in/break/back/out cycle through the services on in-process moto,
  against a floor of one moto GetItem;
- grammar: parsing a mixed batch of texts, against a floor of splitting the same texts;
- the local store: `make run`'s stack serving 50 workers with a year of history, on SQLite and on
  the DynamoDB emulator (tests/bench_local_store.py; figures in bench/results.json).

Medians of several runs; bounded in count and time; no network.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from tests.bench_local_store import bench_local_store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 7


def median_seconds(fn: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def python_run(code: str) -> Callable[[], object]:
    env = {**os.environ, "PYTHONPATH": ROOT, "TABLE_NAME": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
    return lambda: subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def bench_cold_start() -> None:
    from infra.template import functions

    bare = median_seconds(python_run("pass"))
    boto = median_seconds(python_run("import boto3; boto3.client('dynamodb')"))
    print(f"cold start floor: bare interpreter {bare * 1000:.0f} ms, boto3 + dynamodb client {boto * 1000:.0f} ms")
    for name, fn in sorted(functions().items()):
        module, _, attr = fn["Handler"].rpartition(".")
        took = median_seconds(python_run(f"import {module}; getattr({module}, {attr!r})"))
        print(f"  {name:<24} import {took * 1000:6.0f} ms = {took / bare:4.1f}x bare, {took / boto:4.2f}x boto3 floor")


def bench_core() -> None:
    import boto3
    from moto import mock_aws

    from core import commands as c
    from core.domain.clock import FixedClock
    from core.domain.model import Channel, Org, Worker
    from core.domain.transitions import Origin
    from core.services.dispatch import handle
    from core.services.ports import Ports
    from core.store.dynamodb import DynamoStore
    from infra.template import table_definition

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**table_definition("bench"))
        store = DynamoStore(client, "bench")
        org = store.save_org(Org(org_id="o", name="Bench"))
        store.add_worker(Worker(worker_id="w", org_id="o", name="W", phone="+15550001111"))
        clock = FixedClock(datetime(2026, 11, 16, 13, tzinfo=UTC))
        ports = Ports(store, clock)
        counter = iter(range(10**9))

        def cycle() -> None:
            for cmd in (c.ClockIn(), c.StartBreak(), c.EndBreak(), c.ClockOut()):
                clock.advance(minutes=5)
                worker = store.find_worker_by_phone("+15550001111")
                assert worker is not None
                handle(cmd, worker, org, Origin(Channel.SMS, f"b{next(counter)}"), ports)

        floor = median_seconds(lambda: client.get_item(TableName="bench", Key={"PK": {"S": "x"}, "SK": {"S": "y"}}), 31)
        took = median_seconds(cycle, 15)
        print(
            f"core: in/break/back/out cycle {took * 1000:.1f} ms = {took / floor:.1f}x one moto GetItem "
            f"({floor * 1000:.2f} ms); 4 commands -> {took / floor / 4:.1f}x per command"
        )


def bench_grammar() -> None:
    from core.grammar import parse

    texts = [
        "in north-site",
        "OUT 17:30 forgot",
        "exp 12.50 fuel diesel",
        "brake",
        "hours last week",
        "$48.20 parts hinge",
        "what is this",
        "join 123456",
        "lunch",
        "back",
    ] * 100
    floor = median_seconds(lambda: [t.lower().split() for t in texts])
    took = median_seconds(lambda: [parse(t) for t in texts])
    per = took / len(texts) * 1e6
    print(f"grammar: {per:.1f} us per text = {took / floor:.0f}x lower+split floor")


def main() -> None:
    os.chdir(ROOT)
    bench_grammar()
    bench_core()
    bench_cold_start()
    bench_local_store()
    from tests.bench_packages import bench_packages  # builds packages: needs PyPI (or pip's cache) and Python 3.12

    bench_packages()


if __name__ == "__main__":
    main()
