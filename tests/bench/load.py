"""`load`: the `make run` stack (SQLite, as it starts by default) under 200 simulated workers.

Each worker does a full day in 60 s: in, break, back, expense, out, half of them by Slack and half
by SMS, signed as the vendors sign, all at once on loopback (the load generator, the senders and
the audit of tests/bench_local_store.py). Measured: requests/s, p50/p99 as the sender sees them,
non-2xx, error replies, and the audit afterwards: every punch the plan makes is stored once (lost 0,
duplicated 0). The floor: a loopback round trip to the stack's gateway (a 404), in the same run.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.bench.common import ms, verdict

WORKERS = 200
SECONDS = 60.0
DAY = ("in", "break", "back", "expense", "out")
PUNCHES = {"in": "clock_in", "break": "break_start", "back": "break_end", "out": "clock_out"}


def day_plan(workers: int, seconds: float, seed: int = 10) -> dict[int, list[Any]]:
    """Each worker's day spread over `seconds`: a start in the first third, then the steps apart."""
    from tests.bench_local_store import Step

    rng = random.Random(seed)
    plan = {}
    for i in range(workers):
        channel = "slack" if i % 2 else "sms"
        at = rng.uniform(0, seconds / 3)
        steps = []
        for action in DAY:
            steps.append(Step(at, action, channel))
            at += rng.uniform(seconds / 20, seconds * 2 / 15)
        plan[i] = steps
    return plan


def _floor(gateway: str, runs: int = 31) -> float:
    import urllib.error
    import urllib.request

    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            urllib.request.urlopen(gateway + "/bench-floor", timeout=10).read()
        except urllib.error.HTTPError as err:
            err.read()
        taken.append(time.perf_counter() - started)
    return statistics.median(taken)


def bench_load(quick: bool = False) -> dict[str, Any]:
    from tests.bench_local_store import (
        BENCH_DIR,
        ZONE,
        Senders,
        audit,
        burst_figures,
        crew_items,
        load_sqlite,
        memory_mb,
        run_burst,
        store_of,
    )
    from tests.e2e import conftest
    from tests.e2e.conftest import StackProcess

    workers, seconds = (50, 20.0) if quick else (WORKERS, SECONDS)
    conftest.START_TIMEOUT = 300.0
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="load-", dir=BENCH_DIR))
    data_dir = work / "local"
    data_dir.mkdir()
    load_sqlite(data_dir / "punchclock.db", list(crew_items(0, datetime.now(ZoneInfo(ZONE)).date(), workers)))
    stack = StackProcess(data_dir, store="sqlite")
    try:
        urls = stack.start()
        senders = Senders(urls["gateway"], data_dir)
        for channel in ("sms", "slack"):  # each door's first request imports its handler: a cold start, apart
            senders.send(0, "status", channel)
        floor = _floor(urls["gateway"])
        plan = day_plan(workers, seconds)
        answers, started, ended = run_burst(senders, plan)
        time.sleep(1)
        figures = burst_figures(answers, started, ended)
        checked = audit(store_of(stack), plan, started, ended, PUNCHES)
        assert stack.process is not None
        memory = memory_mb(stack.process.pid)
        assert stack.stop() == 0
    finally:
        stack.kill()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "workers": workers,
        "plan": f"each worker {', '.join(DAY)} within {seconds:.0f} s, half by Slack, half by SMS, all at once",
        "store": "sqlite (make run's default)",
        "requests_per_s": round(figures["requests"] / max(figures["seconds"], 0.001), 1),
        **figures,
        "floor_gateway_round_trip_ms": ms(floor),
        "p50_over_floor": round(figures["p50_s"] / floor, 1),
        "audit": checked,
        "stack_memory": memory,
        "targets": {"lost": 0, "duplicated": 0, "non_2xx": 0},
    }


def print_load(figures: dict[str, Any]) -> None:
    checked = figures["audit"]
    ok = checked["lost"] == 0 and checked["duplicated"] == 0 and figures["non_2xx"] == 0
    print(
        f"\nload: {figures['workers']} workers, {figures['requests']} requests in {figures['seconds']} s = "
        f"{figures['requests_per_s']} req/s; p50 {figures['p50_s']} s, p99 {figures['p99_s']} s "
        f"(p50 = {figures['p50_over_floor']}x the gateway round trip {figures['floor_gateway_round_trip_ms']} ms)"
    )
    print(
        f"  audit: lost {checked['lost']}, duplicated {checked['duplicated']}, non-2xx {figures['non_2xx']}, "
        f"error replies {figures['error_replies']} (target 0/0/0): {verdict(ok)}"
    )
