"""Importing punch history from another tracker: all rows valid, or nothing written.

Every row is checked first (worker known, kind valid, time with offset and in the
past, punches in a sensible order per worker, no overlap with what is already
recorded); a file with any bad row is refused with every bad line listed. Event
ids are derived from the file's content, so re-running an interrupted import
completes it without duplicates.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from core.domain.model import BreakKind, Channel, Org, Punch, PunchKind, Worker
from core.ports import Change, Conflict
from core.services.ports import Ports

REQUIRED = ("worker", "kind", "time")
_KINDS = {k.value: k for k in PunchKind} | {"in": PunchKind.CLOCK_IN, "out": PunchKind.CLOCK_OUT}
_NEXT = {  # which punch may follow which, within one worker's history
    None: {PunchKind.CLOCK_IN},
    PunchKind.CLOCK_IN: {PunchKind.BREAK_START, PunchKind.CLOCK_OUT},
    PunchKind.BREAK_START: {PunchKind.BREAK_END},
    PunchKind.BREAK_END: {PunchKind.BREAK_START, PunchKind.CLOCK_OUT},
    PunchKind.CLOCK_OUT: {PunchKind.CLOCK_IN},
}
BATCH = 90  # below DynamoDB's 100 actions per transaction


@dataclass(frozen=True)
class ImportRow:
    line: int
    worker: Worker
    kind: PunchKind
    at: datetime
    break_kind: BreakKind | None
    note: str | None


@dataclass(frozen=True)
class ImportResult:
    errors: list[str]
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _find_worker(ref: str, workers: dict[str, Worker]) -> Worker | None:
    return workers.get(ref) or next((w for w in workers.values() if ref in (w.phone, w.email)), None)


def _parse_row(line: int, raw: dict[str, str], workers: dict[str, Worker], now: datetime) -> ImportRow | str:
    missing = [k for k in REQUIRED if not (raw.get(k) or "").strip()]
    if missing:
        return f"line {line}: missing {', '.join(missing)}"
    worker = _find_worker(raw["worker"].strip(), workers)
    if worker is None:
        return f"line {line}: unknown worker {raw['worker'].strip()!r}"
    kind = _KINDS.get(raw["kind"].strip().lower())
    if kind is None:
        return f"line {line}: kind must be one of in, out, break_start, break_end"
    try:
        at = datetime.fromisoformat(raw["time"].strip())
    except ValueError:
        return f"line {line}: time must be ISO-8601 with an offset, e.g. 2026-11-02T08:00:00-05:00"
    if at.tzinfo is None:
        return f"line {line}: time has no UTC offset"
    if at > now:
        return f"line {line}: time is in the future"
    break_text = (raw.get("break_kind") or "").strip().lower()
    if break_text and break_text not in {"meal", "rest"}:
        return f"line {line}: break_kind must be meal or rest"
    note = (raw.get("note") or "").strip()[:200] or None
    return ImportRow(line, worker, kind, at, BreakKind(break_text) if break_text else None, note)


def _check_sequences(rows: list[ImportRow]) -> list[str]:
    errors: list[str] = []
    by_worker: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_worker[row.worker.worker_id].append(row)
    for worker_rows in by_worker.values():
        worker_rows.sort(key=lambda r: r.at)
        last: PunchKind | None = None
        for row in worker_rows:
            if row.kind not in _NEXT[last]:
                errors.append(f"line {row.line}: {row.kind.value} cannot follow {last.value if last else 'nothing'}")
            last = row.kind
        if last not in (None, PunchKind.CLOCK_OUT):
            errors.append(f"line {worker_rows[-1].line}: the last shift of {worker_rows[-1].worker.name} is left open")
    return errors


def _event_id(source: bytes, row: ImportRow) -> str:
    digest = hashlib.sha256(source + f"|{row.line}|{row.worker.worker_id}|{row.at.isoformat()}".encode())
    return "imp" + digest.hexdigest()[:23]


def _punches(rows: list[ImportRow], source: bytes, now: datetime, actor_id: str) -> list[Punch]:
    punches: list[Punch] = []
    shift_of: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r.worker.worker_id, r.at)):
        event_id = _event_id(source, row)
        if row.kind is PunchKind.CLOCK_IN:
            shift_of[row.worker.worker_id] = event_id
        punches.append(
            Punch(
                event_id=event_id,
                worker_id=row.worker.worker_id,
                org_id=row.worker.org_id,
                kind=row.kind,
                at=row.at,
                recorded_at=now,
                channel=Channel.IMPORT,
                actor_id=actor_id,
                shift_id=shift_of[row.worker.worker_id],
                note=row.note,
                break_kind=row.break_kind,
            )
        )
    return punches


def _overlaps(rows: list[ImportRow], ports: Ports) -> list[str]:
    errors = []
    spans: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        spans[row.worker.worker_id].append(row)
    for worker_id, worker_rows in spans.items():
        first, last = min(r.at for r in worker_rows), max(r.at for r in worker_rows)
        existing = ports.store.worker_events(worker_id, first, last).punches
        if existing and any(p.channel is not Channel.IMPORT for p in existing):
            errors.append(f"{worker_rows[0].worker.name}: the file overlaps punches already recorded")
    return errors


def import_punches(text: str, org: Org, actor_id: str, ports: Ports) -> ImportResult:
    now = ports.clock.now()
    workers = {w.worker_id: w for w in ports.store.list_workers(org.org_id)}
    reader = csv.DictReader(io.StringIO(text))
    missing_columns = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing_columns:
        return ImportResult([f"header: missing column(s) {', '.join(missing_columns)}"])
    rows: list[ImportRow] = []
    errors: list[str] = []
    for line, raw in enumerate(reader, start=2):
        parsed = _parse_row(line, raw, workers, now)
        if isinstance(parsed, str):
            errors.append(parsed)
        else:
            rows.append(parsed)
    errors += _check_sequences(rows)
    if not errors:
        errors += _overlaps(rows, ports)
    if errors:
        return ImportResult(errors)
    punches = _punches(rows, text.encode(), now, actor_id)
    written = 0
    for i in range(0, len(punches), BATCH):
        batch = tuple(punches[i : i + BATCH])
        with contextlib.suppress(Conflict):  # written by an earlier, interrupted run of the same file
            ports.store.commit(Change(org_id=org.org_id, punches=batch))
        written += len(batch)
    return ImportResult([], written)
