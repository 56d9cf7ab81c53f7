"""Importing punch history from another tracker: all rows valid, or nothing written.

Every row is checked first (worker known, kind valid, time with offset and in the
past, punches in a sensible order per worker, no overlap with what is already
recorded); a file with any bad row is refused with every bad line listed. Event
ids are derived from each punch itself (worker, kind, instant), so re-running an
interrupted import writes only what is missing, and a different file that overlaps
anything already recorded is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.domain.model import BreakKind, Channel, Org, Punch, PunchKind, Worker
from core.ports import Change
from core.services.ports import Ports
from core.timesheet import resolve_shifts

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
OVERLAP_MARGIN = timedelta(hours=24)  # a recorded shift that began before the file's first punch


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


def _event_id(row: ImportRow, repeat: int = 0) -> str:
    """The same row of the same file always makes the same id (a re-import adds nothing). The
    nth repeat of one worker's kind at one instant (a zero-length break, then another) counts."""
    instant = row.at.astimezone(UTC).isoformat()
    name = f"{row.worker.worker_id}|{row.kind.value}|{instant}" + (f"|{repeat}" if repeat else "")
    return "imp" + hashlib.sha256(name.encode()).hexdigest()[:23]


def _event_ids(rows: list[ImportRow]) -> list[str]:
    seen: dict[tuple[str, PunchKind, datetime], int] = {}
    ids = []
    for row in rows:
        key = (row.worker.worker_id, row.kind, row.at)
        ids.append(_event_id(row, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return ids


def _in_order(rows: list[ImportRow]) -> list[ImportRow]:
    """Each worker's rows by time; rows at one instant keep the order of the file."""
    return sorted(rows, key=lambda r: (r.worker.worker_id, r.at))


def _punches(rows: list[ImportRow], now: datetime, actor_id: str) -> list[Punch]:
    punches: list[Punch] = []
    shift_of: dict[str, str] = {}
    ordered = _in_order(rows)
    for index, (row, event_id) in enumerate(zip(ordered, _event_ids(ordered), strict=True)):
        if row.kind is PunchKind.CLOCK_IN:
            shift_of[row.worker.worker_id] = event_id
        punches.append(
            Punch(
                event_id=event_id,
                worker_id=row.worker.worker_id,
                org_id=row.worker.org_id,
                kind=row.kind,
                at=row.at,
                # recorded in the order of the file: what orders punches claiming one instant
                recorded_at=now + timedelta(microseconds=index),
                channel=Channel.IMPORT,
                actor_id=actor_id,
                shift_id=shift_of[row.worker.worker_id],
                note=row.note,
                break_kind=row.break_kind,
            )
        )
    return punches


def _already_recorded(rows: list[ImportRow], ports: Ports) -> tuple[list[str], set[str]]:
    """(errors, ids of this file's punches already stored by an earlier run of it)."""
    errors: list[str] = []
    done: set[str] = set()
    spans: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        spans[row.worker.worker_id].append(row)
    now = ports.clock.now()
    for worker_id, worker_rows in spans.items():
        mine = set(_event_ids(_in_order(worker_rows)))
        first, last = min(r.at for r in worker_rows), max(r.at for r in worker_rows)
        events = ports.store.worker_events(worker_id, first - OVERLAP_MARGIN, last + OVERLAP_MARGIN)
        others = [p for p in events.punches if p.event_id not in mine]
        done |= {p.event_id for p in events.punches} & mine
        shifts = resolve_shifts(others, events.decisions, now)
        inside = any(s.start <= r.at <= (s.end or now) for s in shifts for r in worker_rows)
        if inside or any(first <= p.at <= last for p in others):
            errors.append(f"{worker_rows[0].worker.name}: the file overlaps punches already recorded")
    return errors, done


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
    done: set[str] = set()
    if not errors:
        overlap, done = _already_recorded(rows, ports)
        errors += overlap
    if errors:
        return ImportResult(errors)
    punches = [p for p in _punches(rows, now, actor_id) if p.event_id not in done]
    for i in range(0, len(punches), BATCH):
        ports.store.commit(Change(org_id=org.org_id, punches=tuple(punches[i : i + BATCH])))
    return ImportResult([], len(punches))
