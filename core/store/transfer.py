"""An organisation's history from one table into another (SQLite on a laptop <-> DynamoDB in AWS).

An export is JSON lines: a header, then every item that is the organisation's record, exactly as
stored (numbers exact, core/store/json_items.py), so an import writes the very same items:

- the organisation, its Slack team link, what waits for a manager (corrections, expenses) and
  its locked pay periods (its own partition);
- each worker with everything in the worker's partition: punches, correction and expense decisions,
  expenses, and the state machine's item (status, open shift, version);
- each worker's phone and Slack lookups, which keep phones and Slack ids unique.

Short-lived items stay behind: deliveries, invites, markers, notices and send records (they
expire within days, and a notice imported would be sent again). Every read is a GetItem or a
Query of one partition; nothing scans the table.

An import writes each item only where its key is free (a condition, in transactions of
`BATCH` items): an item already there as it is in the file counts as already imported, so an
interrupted import can simply run again; one that differs is a conflict, reported and left as is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.store import json_items, keys
from core.store.table import IfAbsent, Item, Put, Table, as_stored

FORMAT = "punchclock-export"
VERSION = 1
BATCH = 25


class TransferError(Exception):
    """The file is not an export this code reads, or the organisation is not there."""


def export_org(table: Table, org_id: str) -> Iterator[Item]:
    """Every item of the organisation's record, the organisation's own first."""
    org_pk = keys.org_key(org_id)["PK"]
    own = list(table.query("PK", org_pk))  # the organisation item and its open correction requests
    if not any(item["SK"] == keys.org_key(org_id)["SK"] for item in own):
        raise TransferError(f"no organisation {org_id!r}")
    yield from sorted(own, key=lambda item: item["SK"] != "ORG")
    org = next(item for item in own if item["SK"] == "ORG")
    if org.get("slack_team_id"):
        link = table.get(keys.slack_team_key(org["slack_team_id"]))
        if link is not None and link.get("org_id") == org_id:
            yield link
    for worker in table.query("GSI1PK", keys.org_workers_pk(org_id), index="GSI1"):
        yield from table.query("PK", keys.worker_pk(worker["worker_id"]))
        yield from _lookups(table, worker)


def _lookups(table: Table, worker: Item) -> Iterator[Item]:
    wanted = []
    if worker.get("phone"):
        wanted.append(keys.phone_key(worker["phone"]))
    if worker.get("slack_team_id") and worker.get("slack_user_id"):
        wanted.append(keys.slack_user_key(worker["slack_team_id"], worker["slack_user_id"]))
    for key in wanted:
        found = table.get(key)
        if found is not None and found.get("worker_id") == worker["worker_id"]:
            yield found


def export_lines(table: Table, org_id: str, now: datetime | None = None) -> Iterator[str]:
    """The export file, line by line (each ends with a newline)."""
    items = export_org(table, org_id)
    first = next(items)  # raises TransferError before the header is written
    at = (now or datetime.now(UTC)).isoformat()
    yield json.dumps({"format": FORMAT, "version": VERSION, "org_id": org_id, "exported_at": at}) + "\n"
    yield json_items.dumps({"item": first}) + "\n"
    for item in items:
        yield json_items.dumps({"item": item}) + "\n"


def read_export(lines: Iterable[str]) -> tuple[dict[str, Any], Iterator[Item]]:
    """The header, and the items (read as they are asked for); TransferError if it is no export."""
    stream = iter(lines)
    try:
        header = json.loads(next(stream))
    except (StopIteration, ValueError) as err:
        raise TransferError("not a Punchclock export: the first line is no header") from err
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise TransferError("not a Punchclock export: the first line is no header")
    if header.get("version") != VERSION:
        raise TransferError(f"export version {header.get('version')}; this code reads version {VERSION}")

    def items() -> Iterator[Item]:
        for number, line in enumerate(stream, start=2):
            if not line.strip():
                continue
            try:
                item = json_items.loads(line)["item"]
            except (ValueError, KeyError, TypeError) as err:
                raise TransferError(f"line {number} is not an item") from err
            if not (isinstance(item, dict) and isinstance(item.get("PK"), str) and isinstance(item.get("SK"), str)):
                raise TransferError(f"line {number} is not an item")
            yield item

    return header, items()


@dataclass
class ImportResult:
    written: int = 0
    already: int = 0  # there already, exactly as in the file
    conflicts: list[str] = field(default_factory=list)  # "PK / SK" of items there with other contents


def import_items(table: Table, items: Iterable[Item]) -> ImportResult:
    result = ImportResult()
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            _import_batch(table, batch, result)
            batch = []
    if batch:
        _import_batch(table, batch, result)
    return result


def _import_batch(table: Table, batch: list[Item], result: ImportResult) -> None:
    if table.transact([Put(item, IfAbsent()) for item in batch]) is None:
        result.written += len(batch)
        return
    for item in batch:  # some are there already: one at a time, to tell which
        refused = table.put(Put(item, IfAbsent(), return_old_on_failure=True))
        if refused is None:
            result.written += 1
        elif refused.old == as_stored(item):
            result.already += 1
        else:
            result.conflicts.append(f"{item['PK']} / {item['SK']}")
