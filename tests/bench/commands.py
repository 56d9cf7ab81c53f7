"""`ddb_calls`, `ddb_calls_cold` and `warm_latency`: each command through its door's real handler.

The commands go in signed as Twilio and Slack send them (in-process moto, the rig of
tests/bench/rig.py). DynamoDB calls are counted by a botocore hook on the store's client, per
command, with the worker's container warm (its worker and org cached) and in a fresh container
(nothing cached: what the first request of a new Lambda container costs). The notify function's
work on what a command committed runs after the count (it is another invocation).

Latency: p50 and p99 per command and door, and the floor: the bare boto3 write of the same shape
(the command's own TransactWriteItems, replayed as puts of the same items and sizes on fresh keys)
or, for status, one GetItem, against the same table in the same run.
"""

from __future__ import annotations

import copy
import itertools
import statistics
import time
from collections.abc import Callable
from typing import Any

from tests.bench.common import ms, percentile, timed, verdict
from tests.bench.rig import Rig, deployment, fresh_container, now_stamp
from tests.conftest import TABLE

COMMANDS = ("clock_in", "break_start", "break_end", "expense", "status", "clock_out")
SMS_WORDS = {
    "clock_in": "IN",
    "break_start": "BREAK",
    "break_end": "BACK",
    "expense": "EXP 12.50 fuel",
    "status": "STATUS",
    "clock_out": "OUT",
}
SLACK_WORDS = {
    "clock_in": ("/clockin", ""),
    "break_start": ("/break", ""),
    "break_end": ("/back", ""),
    "expense": ("/expense", "12.50 fuel"),
    "status": ("/status", ""),
    "clock_out": ("/clockout", ""),
}
TARGET_WARM = {"clock_in": 1, "break_start": 1, "break_end": 1, "clock_out": 2, "expense": 1, "status": 1}
OVERHEAD_TARGET = 1.5
_FRESH = itertools.count()  # floor writes go to keys never used before
FAILED_WORDS = ("Sorry", "went wrong", "try again")


def send(rig: Rig, door: str, worker: int, command: str, stamp: int | None = None) -> tuple[int, str]:
    if door == "sms":
        return rig.text(worker, SMS_WORDS[command])
    slash, text = SLACK_WORDS[command]
    return rig.slack(worker, slash, text, stamp)


def _check(command: str, answer: tuple[int, str]) -> None:
    status, reply = answer
    if status != 200 or not reply or any(w in reply for w in FAILED_WORDS):
        raise RuntimeError(f"{command}: {status} {reply!r}")


def count_calls(rig: Rig, door: str, worker: int, *, cold: bool) -> dict[str, dict[str, Any]]:
    """One day of `worker` through `door`, each command's DynamoDB calls (by operation)."""
    figures: dict[str, dict[str, Any]] = {}
    if not cold:
        _check("status", send(rig, door, worker, "status"))  # the container warms on a first request
        rig.deliver_notices()
    for command in COMMANDS:
        rig.clock.advance(minutes=20)
        if cold:
            fresh_container()
        rig.calls.reset()
        answer = send(rig, door, worker, command)
        by_operation = dict(rig.calls.calls)
        _check(command, answer)
        rig.deliver_notices()
        figures[command] = {"calls": sum(by_operation.values()), "by_operation": by_operation}
    return figures


def _capture_write(rig: Rig, door: str, worker: int, command: str) -> dict[str, Any] | None:
    """The TransactWriteItems the command made (its parameters), to replay as the floor."""
    seen: list[dict[str, Any]] = []

    def keep(params: dict[str, Any], **_: Any) -> None:
        seen.append(copy.deepcopy(params))

    rig.ddb.meta.events.register("provide-client-params.dynamodb.TransactWriteItems", keep)
    try:
        _check(command, send(rig, door, worker, command))
    finally:
        rig.ddb.meta.events.unregister("provide-client-params.dynamodb.TransactWriteItems", keep)
    rig.deliver_notices()
    return seen[-1] if seen else None


def bare_write(rig: Rig, params: dict[str, Any]) -> Callable[[], object]:
    """The same transaction as bare puts: the same items (an update as its key and values) on fresh keys."""

    def write() -> object:
        n = next(_FRESH)
        actions = []
        for action in params["TransactItems"]:
            ((_, body),) = action.items()
            item = dict(body.get("Item") or {**body["Key"], **(body.get("ExpressionAttributeValues") or {})})
            item = {k.lstrip(":"): v for k, v in item.items()}
            item["PK"] = {"S": f"FLOOR#{n}#{item['PK']['S']}"}
            actions.append(
                {
                    "Put": {
                        "TableName": body["TableName"],
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        return rig.ddb.transact_write_items(TransactItems=actions)

    return write


def bench_commands(quick: bool = False) -> dict[str, Any]:
    """ddb_calls, ddb_calls_cold and warm_latency, as result keys."""
    samples = 8 if quick else 40
    with deployment(workers=10 + min(samples, 40)) as rig:
        warm = {door: count_calls(rig, door, worker, cold=False) for door, worker in (("sms", 2), ("slack", 3))}
        cold = {door: count_calls(rig, door, worker, cold=True) for door, worker in (("sms", 4), ("slack", 5))}
        latency = warm_latency(rig, samples)
    return {
        "ddb_calls": {"targets": TARGET_WARM, "by_door": warm},
        "ddb_calls_cold": {"by_door": cold},
        "warm_latency": latency,
    }


def warm_latency(rig: Rig, samples: int) -> dict[str, Any]:
    """p50/p99 per command and door; each sample followed by one of its floor (interleaved, so both
    see the same machine); overhead_ratio = p50 / floor p50."""
    seconds: dict[str, dict[str, list[float]]] = {door: {c: [] for c in COMMANDS} for door in ("sms", "slack")}
    floor_seconds: dict[str, list[float]] = {c: [] for c in COMMANDS}
    _check("status", send(rig, "sms", 9, "status"))
    writes = {c: _capture_write(rig, "sms", 9, c) for c in COMMANDS if c != "status"}  # one untimed day
    key = {"PK": {"S": "ORG#acme"}, "SK": {"S": "ORG"}}
    floors: dict[str, Callable[[], object]] = {"status": lambda: rig.ddb.get_item(TableName=TABLE, Key=key)}
    floors.update({c: bare_write(rig, params) for c, params in writes.items() if params})
    for door in ("sms", "slack"):
        for k in range(samples):
            worker, round_ = 10 + k % 40, k // 40  # Slack: a worker's next cycle in the next minute
            stamp = now_stamp() - 250 + 70 * round_ if door == "slack" else None  # inside the 5-minute window
            _check("status", send(rig, door, worker, "status", stamp))  # warm this worker's cache
            rig.deliver_notices()
            for command in COMMANDS:
                rig.clock.advance(minutes=5)
                started = time.perf_counter()
                answer = send(rig, door, worker, command, stamp)
                seconds[door][command].append(time.perf_counter() - started)
                _check(command, answer)
                rig.deliver_notices()
                floor_seconds[command].append(timed(floors[command]))
    figures: dict[str, Any] = {
        "target_overhead_ratio": OVERHEAD_TARGET,
        "samples_per_command": samples,
        "floor": {
            c: {
                "p50_ms": ms(statistics.median(f)),
                "what": "GetItem" if c == "status" else f"TransactWriteItems of {len(writes[c]['TransactItems'])} puts",
            }
            for c, f in floor_seconds.items()
        },
    }
    for door, by_command in seconds.items():
        figures[door] = {}
        for command, taken in by_command.items():
            p50 = statistics.median(taken)
            figures[door][command] = {
                "p50_ms": ms(p50),
                "p99_ms": ms(percentile(taken, 0.99)),
                "overhead_ratio": round(p50 / statistics.median(floor_seconds[command]), 2),
            }
    return figures


def print_commands(results: dict[str, Any]) -> None:
    calls, cold = results["ddb_calls"], results["ddb_calls_cold"]
    print("\nddb_calls: DynamoDB calls per command (warm container / fresh container), target warm")
    for command in COMMANDS:
        target = TARGET_WARM[command]
        row = []
        for door in ("sms", "slack"):
            got = calls["by_door"][door][command]["calls"]
            row.append(f"{door} {got}/{cold['by_door'][door][command]['calls']} {verdict(got <= target)}")
        print(f"  {command:<12} target <= {target}: " + ", ".join(row))
    lat = results["warm_latency"]
    print(
        "\nwarm_latency: p50/p99 ms through the handler; overhead_ratio = p50 / bare write p50 "
        f"(target <= {OVERHEAD_TARGET})"
    )
    for command in COMMANDS:
        floor = lat["floor"].get(command, {})
        row = []
        for door in ("sms", "slack"):
            f = lat[door][command]
            row.append(
                f"{door} {f['p50_ms']}/{f['p99_ms']} x{f['overhead_ratio']} "
                + verdict(f["overhead_ratio"] <= OVERHEAD_TARGET)
            )
        print(f"  {command:<12} floor {floor.get('p50_ms')} ms ({floor.get('what')}): " + ", ".join(row))
