"""What every section shares: bench/results.json, the machine, medians and percentiles, AWS call meters."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results.json"


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    memory_gb = 0.0
    try:
        kib = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        memory_gb = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return {
        "cpus": os.cpu_count() or 1,
        "cpu": cpu,
        "memory_gb": memory_gb,
        "python": sys.version.split()[0],
        "system": f"{platform.system()} {platform.release()}",
    }


def save_section(key: str, figures: dict[str, Any]) -> None:
    """Merged into bench/results.json under `key`: the other sections' figures stay."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current[key] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(), **figures}
    RESULTS.write_text(json.dumps(current, indent=2, default=str) + "\n")


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentile(samples: Iterable[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


class AwsMeter:
    """Every AWS call the clients made, by `service.Operation`, through botocore's event hooks.

    Registered on a session (boto3's default one), it sees every client made from it afterwards;
    `watch(client)` adds one made before. DynamoDB reads and writes are also sized: item sizes as
    DynamoDB bills them, so the cost model can turn them into read and write units.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.read_units = 0.0
        self.write_units = 0.0
        self._sizer: Callable[[str, dict[str, Any]], None] | None = None

    def watch(self, emitter_owner: Any) -> AwsMeter:
        register = emitter_owner.meta.events.register if hasattr(emitter_owner, "meta") else emitter_owner.register
        register("provide-client-params", self._seen)  # the first event of a call: nothing skips it
        register("provide-client-params.dynamodb", _keep_params)
        register("after-call.dynamodb", self._sized)
        return self

    def _seen(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}.{model.name}"] += 1

    def _sized(self, model: Any, parsed: dict[str, Any], **kwargs: Any) -> None:
        params = kwargs.get("context", {}).get("bench_params") or {}
        read, write = capacity_units(model.name, params, parsed)
        self.read_units += read
        self.write_units += write

    def reset(self) -> None:
        self.calls.clear()
        self.read_units = self.write_units = 0.0

    def of(self, service: str) -> Counter[str]:
        prefix = service + "."
        return Counter({k[len(prefix) :]: v for k, v in self.calls.items() if k.startswith(prefix)})

    def total(self, service: str) -> int:
        return sum(self.of(service).values())


def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    """Each DynamoDB request's parameters, kept for sizing its writes after the call."""
    context["bench_params"] = params


# -- DynamoDB's billing units from item sizes ----------------------------------------------------


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value as DynamoDB counts them (docs: "Item sizes and formats")."""
    ((kind, data),) = value.items()
    if kind == "S":
        return len(str(data).encode())
    if kind == "N":
        digits = str(data).lstrip("-").replace(".", "").lstrip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(attribute_size({kind[0]: v}) for v in data)
    if kind == "L":
        return 3 + sum(1 + attribute_size(v) for v in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + attribute_size(v) for k, v in data.items())
    return 0


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def _write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def _read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def capacity_units(operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> tuple[float, float]:
    """(read units, write units) of one call. Writes are sized from what was written (an update from
    its key and values, a lower bound); transactions cost twice. Reads from what came back."""
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return _read_units(item_size(parsed.get("Item") or {}), consistent), 0.0
    if operation == "Query":
        size = sum(item_size(i) for i in parsed.get("Items") or [])
        return _read_units(size, consistent), 0.0
    if operation == "BatchGetItem":
        items = [i for found in (parsed.get("Responses") or {}).values() for i in found]
        return sum(_read_units(item_size(i), consistent) for i in items), 0.0
    if operation == "TransactGetItems":
        items = [r.get("Item") or {} for r in parsed.get("Responses") or []]
        return sum(2 * _read_units(item_size(i), True) for i in items), 0.0
    if operation in ("PutItem", "DeleteItem", "UpdateItem"):
        return 0.0, float(_write_units(_written_size(params)))
    if operation == "BatchWriteItem":
        requests = [r for found in (params.get("RequestItems") or {}).values() for r in found]
        sizes = [
            item_size((r.get("PutRequest") or {}).get("Item") or (r.get("DeleteRequest") or {}).get("Key") or {})
            for r in requests
        ]
        return 0.0, float(sum(_write_units(s) for s in sizes))
    if operation == "TransactWriteItems":
        actions = [next(iter(a.values())) for a in params.get("TransactItems") or []]
        return 0.0, float(sum(2 * _write_units(_written_size(a)) for a in actions))
    return 0.0, 0.0


def _written_size(action: dict[str, Any]) -> int:
    if "Item" in action:
        return item_size(action["Item"])
    values = action.get("ExpressionAttributeValues") or {}
    return item_size(action.get("Key") or {}) + sum(attribute_size(v) for v in values.values())
