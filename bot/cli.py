"""`punchclock`: the admin command line. It talks to the store through the same core services.

DynamoDB with real AWS credentials, or AWS_ENDPOINT_URL for moto; the table is --table, else
TABLE_NAME. Or the local stack's SQLite file: --sqlite PATH (else STORE=sqlite and SQLITE_PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import commands as c
from core.domain.ids import new_id
from core.domain.meal_rules import RULE_SETS
from core.domain.model import BreakPolicy, Channel, CorrectionDecision, Org, OvertimePolicy, Role, Worker
from core.domain.phone import normalize_phone
from core.domain.transitions import Origin
from core.ports import Conflict, StaleWorker
from core.services import enrollment, imports
from core.services.ports import Ports
from core.services.timesheets import timesheet_for
from core.store import transfer
from core.store.item_store import ItemStore
from core.store.table import Table
from core.timesheet_export import FIELDS, timesheet_document, timesheet_rows, to_csv

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEFAULT_MEAL_RULES = "default"  # --meal-rules default: follow the overtime policy


class CliError(Exception):
    """A mistake in what the operator typed: printed as one line, exit status 2."""


# -- argument types: each refuses bad input with a message that says what is expected ---------


def _zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IANA time zone (e.g. America/Chicago)") from err
    return text


def _hhmm(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 06:00") from err


def _weekday(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise argparse.ArgumentTypeError("workweek start must be a weekday: mon..sun")
    return WEEKDAYS.index(key)


def _phone(text: str) -> str:
    phone = normalize_phone(text)
    if phone is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a phone number (E.164, e.g. +15551234567)")
    return phone


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-02") from err


def _money(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount") from err
    if value <= 0:
        raise argparse.ArgumentTypeError("the limit must be more than 0")
    return value


def _email(text: str) -> str:
    if "@" not in text or any(ch.isspace() for ch in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an email address")
    return text


# -- the commands ------------------------------------------------------------------------------


def _ports(args: argparse.Namespace) -> Ports:
    """The composition root's ports, on `--table` if given (else TABLE_NAME, like every function)."""
    from pydantic import ValidationError

    from core import bootstrap
    from core.settings import Settings

    environ = {**os.environ, "TABLE_NAME": args.table, "STORE": "dynamodb"} if args.table else dict(os.environ)
    if args.sqlite:
        environ |= {"STORE": "sqlite", "SQLITE_PATH": args.sqlite}
    try:
        bootstrap.override(settings=Settings.from_env(environ))
    except ValidationError as err:
        raise CliError("no store: give --table (or set TABLE_NAME), or --sqlite PATH") from err
    return bootstrap.ports()


def _org(ports: Ports, org_id: str) -> Org:
    org = ports.store.get_org(org_id)
    if org is None:
        raise CliError(f"no organisation {org_id!r}")
    return org


def _org_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields = {
        "name": args.name,
        "timezone": args.timezone,
        "workday_start": args.workday_start,
        "workweek_start": args.workweek_start,
        "overtime_policy": OvertimePolicy(args.overtime) if args.overtime else None,
        "manager_emails": tuple(args.manager_email) if args.manager_email else None,
        "currency": args.currency.upper() if args.currency else None,
        "expense_limit": args.expense_limit,
        "daily_summary_time": args.summary_time,
        "slack_team_id": args.slack_team,
        "auto_enroll_slack": args.auto_enroll,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _break_policy(args: argparse.Namespace, current: BreakPolicy) -> BreakPolicy:
    changes: dict[str, Any] = {
        "first_meal_waiver": args.first_meal_waiver,
        "second_meal_waiver": args.second_meal_waiver,
        "short_meal_paid": args.short_meal_paid,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.meal_rules is not None:
        changes["meal_rules"] = None if args.meal_rules == DEFAULT_MEAL_RULES else args.meal_rules
    return replace(current, **changes)


def org_create(args: argparse.Namespace, ports: Ports) -> Any:
    if not args.name:
        raise CliError("--name is required")
    org = Org(org_id=args.id or new_id(), **_org_fields(args))
    try:
        org = ports.store.save_org(replace(org, break_policy=_break_policy(args, org.break_policy)))
    except Conflict as err:
        raise CliError(str(err)) from err
    return _org_json(org)


def org_update(args: argparse.Namespace, ports: Ports) -> Any:
    org = replace(_org(ports, args.id), **_org_fields(args))
    org = replace(org, break_policy=_break_policy(args, org.break_policy))
    try:
        return _org_json(ports.store.save_org(org))
    except Conflict as err:
        raise CliError(str(err)) from err


def org_show(args: argparse.Namespace, ports: Ports) -> Any:
    return _org_json(_org(ports, args.id))


def _org_json(org: Org) -> dict[str, Any]:
    return {
        "org_id": org.org_id,
        "name": org.name,
        "timezone": org.timezone,
        "workday_start": org.workday_start.strftime("%H:%M"),
        "workweek_start": WEEKDAYS[org.workweek_start],
        "overtime_policy": org.overtime_policy.value,
        "meal_rules": org.meal_rule_set.name,
        "meal_rules_chosen": "by the org" if org.break_policy.meal_rules else "default for the overtime policy",
        "meal_rules_source": org.meal_rule_set.source,
        "first_meal_waiver": org.break_policy.first_meal_waiver,
        "second_meal_waiver": org.break_policy.second_meal_waiver,
        "short_meal_paid": org.break_policy.short_meal_paid,
        "manager_emails": list(org.manager_emails),
        "currency": org.currency,
        "expense_limit": str(org.expense_limit),
        "daily_summary_time": org.daily_summary_time.strftime("%H:%M"),
        "slack_team_id": org.slack_team_id,
        "auto_enroll_slack": org.auto_enroll_slack,
    }


def _worker_json(w: Worker) -> dict[str, Any]:
    return {
        "worker_id": w.worker_id,
        "org_id": w.org_id,
        "name": w.name,
        "role": w.role.value,
        "timezone": w.timezone,
        "phone": w.phone,
        "slack": f"{w.slack_team_id}/{w.slack_user_id}" if w.slack_user_id else None,
        "email": w.email,
        "sms_opted_out": w.sms_opted_out,
        "status": w.state.status.value,
    }


def _slack_ids(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    team, sep, user = text.partition("/")
    if not sep or not team or not user:
        raise CliError("--slack must be TEAM_ID/USER_ID, e.g. T0123/U0456")
    return team, user


def worker_add(args: argparse.Namespace, ports: Ports) -> Any:
    org = _org(ports, args.org)
    team, user = _slack_ids(args.slack)
    worker = Worker(
        worker_id=args.id or new_id(),
        org_id=org.org_id,
        name=args.name,
        role=Role(args.role),
        timezone=args.timezone,
        phone=args.phone,
        slack_team_id=team,
        slack_user_id=user,
        email=args.email,
    )
    try:
        return _worker_json(ports.store.add_worker(worker))
    except Conflict as err:
        raise CliError(str(err)) from err


def worker_list(args: argparse.Namespace, ports: Ports) -> Any:
    _org(ports, args.org)
    return [_worker_json(w) for w in ports.store.list_workers(args.org)]


def worker_update(args: argparse.Namespace, ports: Ports) -> Any:
    worker = ports.store.get_worker(args.id, fresh=True)
    if worker is None:
        raise CliError(f"no worker {args.id!r}")
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "name": args.name,
            "role": Role(args.role) if args.role else None,
            "timezone": args.timezone,
            "phone": args.phone,
            "email": args.email,
        }.items()
        if v is not None
    }
    if args.slack:
        changes["slack_team_id"], changes["slack_user_id"] = _slack_ids(args.slack)
    if args.deactivate:
        changes["active"] = False
    try:
        return _worker_json(ports.store.update_worker(replace(worker, **changes), worker.version))
    except (Conflict, StaleWorker) as err:
        raise CliError(f"not updated: {err}") from err


def worker_invite(args: argparse.Namespace, ports: Ports) -> Any:
    org = _org(ports, args.org)
    manager = ports.store.get_worker(args.by)
    if manager is None or manager.org_id != org.org_id:
        raise CliError(f"no manager {args.by!r} in {org.org_id!r}")
    outcome = enrollment.invite(c.Invite(phone=args.phone, name=args.name), manager, org, Origin(Channel.CLI), ports)
    if not outcome.ok:
        raise CliError(f"not invited: {outcome.code} {outcome.data}")
    # The code is texted by the notify function from the invite's notice, like every notice.
    return {**outcome.data, "sms": "queued"}


def punches_import(args: argparse.Namespace, ports: Ports) -> Any:
    org = _org(ports, args.org)
    text = Path(args.file).read_text(encoding="utf-8-sig")
    result = imports.import_punches(text, org, args.actor, ports)
    if not result.ok:
        raise CliError("file refused, nothing imported:\n  " + "\n  ".join(result.errors))
    return {"imported": result.written}


def _table(ports: Ports) -> Table:
    if not isinstance(ports.store, ItemStore):
        raise CliError("this store cannot export or import")
    return ports.store.table


def export(args: argparse.Namespace, ports: Ports) -> Any:
    """An organisation's whole record as JSON lines, to --out or standard output."""
    try:
        lines = transfer.export_lines(_table(ports), args.org)
        if args.out is None:
            sys.stdout.writelines(lines)
            return ""
        count = _write_export(Path(args.out), lines)
    except transfer.TransferError as err:
        raise CliError(str(err)) from err
    return {"org": args.org, "items": count, "file": args.out}


def _write_export(path: Path, lines: Iterator[str]) -> int:
    """Written to a temporary name first: a failed export never leaves a file that looks whole."""
    partial = path.with_name(path.name + ".partial")
    count = -1  # the header is no item
    with partial.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            count += 1
    partial.replace(path)
    return count


def import_export(args: argparse.Namespace, ports: Ports) -> Any:
    """An export's items, written where they are absent (an interrupted import can run again)."""
    with Path(args.file).open(encoding="utf-8") as lines:
        try:
            header, items = transfer.read_export(lines)
        except transfer.TransferError as err:
            raise CliError(f"{err}; nothing imported") from err
        try:
            result = transfer.import_items(_table(ports), items)
        except transfer.TransferError as err:
            raise CliError(
                f"{err}: the items before it were imported (run again once fixed: they are skipped)"
            ) from err
    if result.conflicts:
        shown = "\n  ".join(result.conflicts[:20])
        raise CliError(
            f"{len(result.conflicts)} items are stored with other contents and were left as they are "
            f"({result.written} written, {result.already} already there):\n  {shown}"
        )
    return {"org": header.get("org_id"), "written": result.written, "already_there": result.already}


def timesheet(args: argparse.Namespace, ports: Ports) -> Any:
    worker = ports.store.get_worker(args.worker, fresh=True)
    if worker is None:
        raise CliError(f"no worker {args.worker!r}")
    if args.to < args.from_:
        raise CliError("--to is before --from")
    org = _org(ports, worker.org_id)
    sheet = timesheet_for(worker, org, args.from_, args.to, ports)
    zone = worker.zone(org)
    if args.json:
        return timesheet_document(sheet, worker.worker_id, worker.name, org, zone)
    rows = timesheet_rows(sheet, worker.worker_id, worker.name, zone)
    if args.csv:
        return to_csv(rows)
    header = ("day", "in", "out", "on task", "breaks p/u", "worked", "reg", "OT", "DT")
    lines = [f"{header[0]:<11}" + "".join(f"{h:>11}" for h in header[1:]) + "  flags"]
    for r in rows:
        breaks = f"{r['paid_break_min']}/{r['unpaid_break_min']}"
        cells = [r["first_in"][-5:], r["last_out"][-5:], r["on_task_min"], breaks, r["hours_worked_min"]]
        cells += [r["regular_min"], r["overtime_min"], r["double_time_min"]]
        lines.append(f"{r['day']:<11}" + "".join(f"{cell:>11}" for cell in cells) + f"  {r['flags']}")
    rules = org.meal_rule_set
    lines.append(f"minutes; worked = hours worked (on task + paid breaks); meal rules: {rules.name} ({rules.source})")
    return "\n".join(lines)


def audit(args: argparse.Namespace, ports: Ports) -> Any:
    """Every event behind a worker's shifts in a range: who, when, from where, why. Nothing is edited in place."""
    worker = ports.store.get_worker(args.worker, fresh=True)
    if worker is None:
        raise CliError(f"no worker {args.worker!r}")
    org = _org(ports, worker.org_id)
    zone = worker.zone(org)
    start = datetime.combine(args.from_, time(0), tzinfo=zone)
    end = datetime.combine(args.to, time(23, 59, 59), tzinfo=zone)
    events = ports.store.worker_events(worker.worker_id, start, end)
    decided = {d.target_event_id: d for d in events.decisions}
    rows = []
    for p in sorted(events.punches, key=lambda p: (p.at, p.recorded_at)):
        decision = decided.get(p.event_id)
        rows.append(
            {
                "event_id": p.event_id,
                "shift_id": p.shift_id,
                "kind": p.kind.value,
                "at": p.at.astimezone(zone).isoformat(),
                "recorded_at": p.recorded_at.astimezone(zone).isoformat(),
                "channel": p.channel.value,
                "by": p.actor_id,
                "reason": p.correction.reason if p.correction else None,
                "amends": p.correction.amends if p.correction else None,
                "decision": _decision_text(decision, zone) if decision else ("pending" if p.correction else None),
            }
        )
    return rows


def _decision_text(decision: CorrectionDecision, zone: ZoneInfo) -> str:
    return (
        f"{decision.decision.value} by {decision.decided_by} at {decision.decided_at.astimezone(zone):%Y-%m-%d %H:%M}"
    )


# -- the parser --------------------------------------------------------------------------------


def _org_options(p: argparse.ArgumentParser, create: bool) -> None:
    p.add_argument("--id", required=not create, help="organisation id (create: generated when omitted)")
    p.add_argument("--name", help="display name")
    p.add_argument("--timezone", type=_zone, help="IANA zone, e.g. America/New_York")
    p.add_argument("--workday-start", type=_hhmm, help="local time the workday starts (default 00:00)")
    p.add_argument("--workweek-start", type=_weekday, help="first day of the workweek (mon..sun)")
    p.add_argument("--overtime", choices=[o.value for o in OvertimePolicy], help="overtime policy")
    p.add_argument(
        "--meal-rules",
        choices=[*RULE_SETS, DEFAULT_MEAL_RULES],
        help="meal-break rules, apart from overtime (default: california under the california overtime policy, "
        "none otherwise)",
    )
    p.add_argument(
        "--first-meal-waiver",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="California: a work period of at most 6 h may skip its meal (default: on)",
    )
    p.add_argument(
        "--second-meal-waiver",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="California: a period of at most 12 h may skip its second meal if the first was taken (default: off)",
    )
    p.add_argument(
        "--short-meal-paid",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="pay the minutes of a meal under 30 min, which is not bona fide (default: on, 29 CFR 785.18-19)",
    )
    p.add_argument("--manager-email", type=_email, action="append", help="repeat for several")
    p.add_argument("--currency", help="ISO 4217 default currency, e.g. USD")
    p.add_argument("--expense-limit", type=_money, help="largest single expense accepted")
    p.add_argument("--summary-time", type=_hhmm, help="local time of the daily summary email")
    p.add_argument("--slack-team", help="Slack team id linked to this organisation")
    p.add_argument(
        "--auto-enroll", action=argparse.BooleanOptionalAction, default=None, help="enrol unknown Slack users"
    )


def _worker_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--timezone", type=_zone, help="defaults to the organisation's")
    p.add_argument("--phone", type=_phone, help="E.164, e.g. +15551234567")
    p.add_argument("--slack", help="TEAM_ID/USER_ID")
    p.add_argument("--email", type=_email)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="punchclock", description=__doc__.splitlines()[0])
    parser.add_argument("--table", help="DynamoDB table (default: $TABLE_NAME)")
    parser.add_argument("--sqlite", metavar="PATH", help="the local stack's database instead (.local/punchclock.db)")
    top = parser.add_subparsers(dest="area", required=True)

    org = top.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    p = org.add_parser("create", help="create an organisation")
    _org_options(p, create=True)
    p.set_defaults(run=org_create)
    p = org.add_parser("update", help="change an organisation's settings")
    _org_options(p, create=False)
    p.set_defaults(run=org_update)
    p = org.add_parser("show", help="show an organisation")
    p.add_argument("--id", required=True)
    p.set_defaults(run=org_show)

    worker = top.add_parser("worker", help="workers and managers").add_subparsers(dest="action", required=True)
    p = worker.add_parser("add", help="add a worker")
    p.add_argument("--org", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--id", help="generated when omitted")
    _worker_options(p)
    p.set_defaults(run=worker_add, role=Role.WORKER.value)
    p = worker.add_parser("list", help="list an organisation's workers")
    p.add_argument("--org", required=True)
    p.set_defaults(run=worker_list)
    p = worker.add_parser("update", help="change a worker")
    p.add_argument("--id", required=True)
    p.add_argument("--name")
    p.add_argument("--deactivate", action="store_true", help="keep the records, stop the access")
    _worker_options(p)
    p.set_defaults(run=worker_update)
    p = worker.add_parser("invite", help="text a phone a JOIN code (valid 48 h)")
    p.add_argument("--org", required=True)
    p.add_argument("--phone", type=_phone, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--by", required=True, help="the inviting manager's worker id")
    p.set_defaults(run=worker_invite)

    punches = top.add_parser("punches", help="punch history").add_subparsers(dest="action", required=True)
    p = punches.add_parser("import", help="import punches from CSV: worker,kind,time,break_kind,note")
    p.add_argument("file")
    p.add_argument("--org", required=True)
    p.add_argument("--actor", default="admin-import", help="who is recorded as making the punches")
    p.set_defaults(run=punches_import)

    p = top.add_parser(
        "timesheet",
        help="a worker's timesheet per local workday",
        description="A worker's timesheet per local workday, in minutes; --json adds the rules applied, "
        "each break (kind, minutes, paid or not) and totals (each total is the sum of its rows).",
        epilog="fields:\n" + "\n".join(f"  {name:<20} {meaning}" for name, meaning in FIELDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--worker", required=True)
    p.add_argument("--from", dest="from_", type=_day, required=True)
    p.add_argument("--to", type=_day, required=True)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true")
    fmt.add_argument("--json", action="store_true")
    p.set_defaults(run=timesheet)

    p = top.add_parser(
        "export",
        help="an organisation's whole history as JSON lines (for `punchclock import` into another store)",
        description="Writes the organisation, its workers, every punch, decision, expense and open correction "
        "request, exactly as stored. Stop the stack first for a consistent copy.",
    )
    p.add_argument("--org", required=True)
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(run=export)
    p = top.add_parser(
        "import",
        help="write an export's items into this store (only where absent: safe to run again)",
    )
    p.add_argument("file")
    p.set_defaults(run=import_export)

    p = top.add_parser("audit", help="every punch, correction and decision behind a worker's shifts")
    p.add_argument("--worker", required=True)
    p.add_argument("--from", dest="from_", type=_day, required=True)
    p.add_argument("--to", type=_day, required=True)
    p.set_defaults(run=audit)
    return parser


def main(argv: Sequence[str] | None = None, ports: Ports | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace, Ports], Any] = args.run
    try:
        result = run(args, ports or _ports(args))
    except CliError as err:
        print(f"punchclock: {err}", file=sys.stderr)
        return 2
    if isinstance(result, str):
        if result:
            print(result, end="" if result.endswith("\n") else "\n")
    else:
        print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
