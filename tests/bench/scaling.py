"""`summary_scaling`: the daily summary and the weekly timesheet of orgs of 100, 1,000 and 10,000 workers.

Each worker has a week (Monday to Friday) of one shift with two breaks and one expense a day. The
daily summary (Friday's, with the four weeks before it read for insights) and the weekly timesheet
are built and rendered as the notify function does (core/services/reports.py, then
notifications/daily_report.py and weekly_report.py), through the DynamoDB store.

The store's client is a paging table in memory (`PagedTable`), not moto: moto evaluates every item
of the table for each page of an index query, so its time would grow with the square of the org and
measure moto. This one answers `Query` as DynamoDB does (key condition on a sorted index, 1 MB pages,
LastEvaluatedKey), so the DynamoDB calls counted are DynamoDB's and the time is ours. Peak memory
is the process's peak RSS during the report above its RSS before (Linux's VmHWM, reset first).
"""

from __future__ import annotations

import bisect
import gc
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.bench.common import item_size, verdict

SIZES = (100, 1_000, 10_000)
TARGET_PER_WORKER_RATIO = 1.3
PAGE_BYTES = 1024 * 1024
INDEXES = {None: ("PK", "SK"), "GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "GSI2SK")}
ZONE = "America/New_York"
MONDAY = date(2026, 11, 16)


class PagedTable:
    """A DynamoDB client for reads, over items in memory: GetItem, and Query with the key conditions
    core/store/dynamodb.py writes (`#pk = :pk`, optionally `AND #sk BETWEEN :lo AND :hi`), paged at
    1 MB of items read as DynamoDB pages. Counts its calls."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.calls: Counter[str] = Counter()
        self._by_key = {(i["PK"]["S"], i["SK"]["S"]): i for i in items}
        self._indexes: dict[str | None, dict[str, list[tuple[str, str, str]]]] = {}
        for index, (pk_name, sk_name) in INDEXES.items():
            found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
            for item in items:
                if pk_name in item and sk_name in item:
                    found[item[pk_name]["S"]].append((item[sk_name]["S"], item["PK"]["S"], item["SK"]["S"]))
            for entries in found.values():
                entries.sort()
            self._indexes[index] = found
        self._sizes = {key: item_size(item) for key, item in self._by_key.items()}

    def get_item(self, TableName: str, Key: dict[str, Any], **_: Any) -> dict[str, Any]:
        self.calls["GetItem"] += 1
        item = self._by_key.get((Key["PK"]["S"], Key["SK"]["S"]))
        return {"Item": item} if item else {}

    def query(self, **args: Any) -> dict[str, Any]:
        self.calls["Query"] += 1
        names, values = args["ExpressionAttributeNames"], args["ExpressionAttributeValues"]
        condition = args["KeyConditionExpression"]
        if condition not in ("#pk = :pk", "#pk = :pk AND #sk BETWEEN :lo AND :hi"):
            raise NotImplementedError(condition)
        entries = self._indexes[args.get("IndexName")].get(values[":pk"]["S"], [])
        low, high = (values[":lo"]["S"], values[":hi"]["S"]) if ":lo" in values else ("", "\U0010ffff")
        del names
        first = bisect.bisect_left(entries, (low, "", ""))
        if "ExclusiveStartKey" in args:
            first = int(args["ExclusiveStartKey"]["position"]["N"])
        found, read = [], 0
        position = first
        while position < len(entries) and entries[position][0] <= high:
            key = entries[position][1:]
            found.append(self._by_key[key])
            read += self._sizes[key]
            position += 1
            if read >= PAGE_BYTES:
                more = position < len(entries) and entries[position][0] <= high
                return (
                    {"Items": found, "LastEvaluatedKey": {"position": {"N": str(position)}}}
                    if more
                    else {"Items": found}
                )
        return {"Items": found}


def org_items(workers: int, days: int = 5) -> Iterator[dict[str, Any]]:
    """An org of `workers`, each with `days` workdays from MONDAY of one shift (in, two breaks, out)
    and one expense a day, as the store writes them (core/store/items.py)."""
    from core.domain.ids import new_id
    from core.domain.model import BreakKind, Channel, Expense, Org, Punch, PunchKind, Role, Worker
    from core.store import items as it
    from core.store.dynamodb import to_av

    rng = random.Random(10)
    zone = ZoneInfo(ZONE)
    org = Org(org_id="big", name="Big Crew", timezone=ZONE, manager_emails=("boss@big.test",), version=1)
    yield to_av(it.org_to_item(org))
    kinds = [
        PunchKind.CLOCK_IN,
        PunchKind.BREAK_START,
        PunchKind.BREAK_END,
        PunchKind.BREAK_START,
        PunchKind.BREAK_END,
        PunchKind.CLOCK_OUT,
    ]
    breaks = [None, BreakKind.REST, None, BreakKind.MEAL, None, None]
    minutes = [0, 120, 135, 240, 270, 510]
    for i in range(workers):
        worker_id = f"w-{i:05d}"
        role = Role.MANAGER if i == 0 else Role.WORKER
        yield to_av(it.worker_to_item(Worker(worker_id, org.org_id, f"Worker {i:05d}", role=role, version=1)))
        for day in (MONDAY + timedelta(days=n) for n in range(days)):
            start = datetime(day.year, day.month, day.day, 7, rng.randint(0, 59), tzinfo=zone).astimezone(UTC)
            shift_id = new_id(start)
            for kind, brk, after in zip(kinds, breaks, minutes, strict=True):
                at = start + timedelta(minutes=after + rng.randint(0, 4))
                punch = Punch(
                    new_id(at), worker_id, org.org_id, kind, at, at, Channel.SMS, worker_id, shift_id, break_kind=brk
                )
                yield to_av(it.punch_to_item(punch))
            end = start + timedelta(minutes=515)
            amount = Decimal(rng.randint(500, 9000)) / 100
            yield to_av(
                it.expense_to_item(
                    Expense(
                        new_id(end), worker_id, org.org_id, amount, "USD", "fuel", day, end, Channel.SMS, note="diesel"
                    )
                )
            )


def _reports(client: PagedTable) -> dict[str, Any]:
    """Each report built and rendered once: (seconds, DynamoDB calls, the email's size)."""
    from core.domain.clock import FixedClock
    from core.services.ports import Ports
    from core.services.reports import org_summary, org_week
    from core.store.dynamodb import DynamoStore
    from notifications.daily_report import render_daily_report
    from notifications.weekly_report import render_weekly_report

    friday = MONDAY + timedelta(days=4)
    ports = Ports(DynamoStore(client, "big"), FixedClock(datetime(2026, 11, 21, 15, tzinfo=UTC)))
    org = ports.store.get_org("big")
    assert org is not None
    jobs = {
        "daily_summary": lambda: render_daily_report(org_summary(org, friday, ports)),
        "weekly_timesheet": lambda: render_weekly_report(org_week(org, MONDAY, ports)),
    }
    figures = {}
    for name, job in jobs.items():
        client.calls.clear()
        gc.collect()
        before = _reset_peak_rss()
        started = time.perf_counter()
        email = job()
        took = time.perf_counter() - started
        figures[name] = {
            "seconds": round(took, 3),
            "dynamodb_calls": dict(client.calls),
            "peak_memory_mb": round((_peak_rss() - before) / 1024, 1),
            "email_kb": round(len(str(email)) / 1024, 1),
        }
        del email
    return figures


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss() -> int:
    """Linux: the process's peak RSS set back to its RSS now (clear_refs 5); that RSS, in KiB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


def _peak_rss() -> int:
    return _status_kb("VmHWM")


def bench_scaling(quick: bool = False) -> dict[str, Any]:
    sizes = SIZES[:2] if quick else SIZES
    results: dict[str, Any] = {
        "target_per_worker_ratio": TARGET_PER_WORKER_RATIO,
        "page_bytes": PAGE_BYTES,
        "data": "Mon-Fri, each worker one shift (in, rest, meal, out) and one expense a day",
        "by_workers": {},
    }
    for workers in sizes:
        started = time.perf_counter()
        client = PagedTable(list(org_items(workers)))
        load = time.perf_counter() - started
        figures = _reports(client)
        figures["load_s"] = round(load, 1)
        results["by_workers"][str(workers)] = figures
        del client
        gc.collect()
        print(f"  summary_scaling: {workers} workers done ({load:.0f} s to build the table)", flush=True)
    small, large = str(sizes[0]), str(sizes[-1])
    for report in ("daily_summary", "weekly_timesheet"):
        per_small = results["by_workers"][small][report]["seconds"] / int(small)
        per_large = results["by_workers"][large][report]["seconds"] / int(large)
        results[f"{report}_per_worker_ratio"] = round(per_large / per_small, 2)
    results["ratio_between"] = [int(small), int(large)]
    return results


def print_scaling(results: dict[str, Any]) -> None:
    small, large = results["ratio_between"]
    print(
        f"\nsummary_scaling: seconds / DynamoDB calls / peak MB; per_worker_ratio = time per worker at {large} / at "
        f"{small} (target <= {results['target_per_worker_ratio']})"
    )
    for report in ("daily_summary", "weekly_timesheet"):
        row = []
        for workers, figures in results["by_workers"].items():
            f = figures[report]
            row.append(
                f"{workers}: {f['seconds']} s / {sum(f['dynamodb_calls'].values())} calls / {f['peak_memory_mb']} MB"
            )
        ratio = results[f"{report}_per_worker_ratio"]
        print(
            f"  {report:<17} "
            + "; ".join(row)
            + f"; ratio {ratio} {verdict(ratio <= results['target_per_worker_ratio'])}"
        )
