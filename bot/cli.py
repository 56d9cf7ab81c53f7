"""`punchclock`: the admin command line. It talks to the store through the same core services.

DynamoDB with real AWS credentials, or AWS_ENDPOINT_URL for moto; the table is --table, else
TABLE_NAME. Or the local stack's SQLite file: --sqlite PATH (else STORE=sqlite and SQLITE_PATH).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import commands as c
from core.catalogue import LANGUAGES
from core.domain.budgets import month_name
from core.domain.durations import ROUNDING_CHOICES
from core.domain.ids import new_id
from core.domain.meal_rules import RULE_SETS
from core.domain.model import (
    BreakPolicy,
    Channel,
    CorrectionDecision,
    Expense,
    Org,
    OvertimePolicy,
    PayPeriod,
    ReminderPolicy,
    Role,
    Worker,
)
from core.domain.money import MAX_AMOUNT, check_amount
from core.domain.phone import normalize_phone
from core.domain.schedule import Job
from core.domain.transitions import Origin
from core.periods import workday_of, workweek_start
from core.ports import Conflict, StaleWorker
from core.services import budgets, enrollment, imports, periods
from core.services.ports import Ports
from core.services.reports import approved_totals
from core.services.timesheets import timesheet_for
from core.store import transfer
from core.store.item_store import ItemStore
from core.store.table import Table
from core.timesheet_export import FIELDS, safe_cell, timesheet_document, timesheet_rows, to_csv

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
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError("the limit must be more than 0")
    if value > MAX_AMOUNT:
        raise argparse.ArgumentTypeError(f"the limit must be at most {MAX_AMOUNT}")
    return value


def _threshold(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount") from err
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError("the threshold must be 0 (every expense) or more")
    return value


def _synonym(text: str) -> tuple[str, str]:
    word, sep, category = text.partition("=")
    if not sep or not word.strip() or not category.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not WORD=CATEGORY, e.g. diesel=fuel")
    return word.strip().lower(), category.strip().lower()


def _categories(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip().lower() for name in text.split(",") if name.strip()))
    if not names:
        raise argparse.ArgumentTypeError("give categories separated by commas, e.g. fuel,meals,travel,other")
    return names


def _budget_amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount, e.g. 500 or 1250.50") from err
    problem = check_amount(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text!r}: more than 0, at most {MAX_AMOUNT}, at most 2 decimals")
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
        "weekly_report_time": args.weekly_time,
        "slack_team_id": args.slack_team,
        "auto_enroll_slack": args.auto_enroll,
        "pay_period": PayPeriod(args.pay_period) if args.pay_period else None,
        "pay_period_anchor": args.pay_period_anchor,
        "expense_approval_above": args.expense_approval_above,
        "expense_categories": args.categories,
        "expense_synonyms": tuple(args.category_synonym) if args.category_synonym else None,
        "rounding_minutes": args.rounding,
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


def _reminder_policy(args: argparse.Namespace, current: ReminderPolicy) -> ReminderPolicy:
    changes = {
        "forgot_clock_out_minutes": args.remind_after,
        "max_shift_minutes": args.max_shift,
        "long_break_minutes": args.long_meal,
        "long_rest_minutes": args.long_rest,
    }
    policy = replace(current, **{k: v for k, v in changes.items() if v is not None})
    if policy.max_shift_minutes <= policy.forgot_clock_out_minutes:
        raise CliError("--max-shift must be longer than --remind-after (the worker is asked first)")
    return policy


def org_create(args: argparse.Namespace, ports: Ports) -> Any:
    if not args.name:
        raise CliError("--name is required")
    org = Org(org_id=args.id or new_id(), **_org_fields(args))
    org = replace(org, reminders=_reminder_policy(args, org.reminders))
    try:
        org = ports.store.save_org(replace(org, break_policy=_break_policy(args, org.break_policy)), ports.clock.now())
    except Conflict as err:
        raise CliError(str(err)) from err
    return _org_json(org, ports)


def org_update(args: argparse.Namespace, ports: Ports) -> Any:
    org = replace(_org(ports, args.id), **_org_fields(args))
    org = replace(
        org, break_policy=_break_policy(args, org.break_policy), reminders=_reminder_policy(args, org.reminders)
    )
    try:
        return _org_json(ports.store.save_org(org, ports.clock.now()), ports)
    except Conflict as err:
        raise CliError(str(err)) from err


def org_show(args: argparse.Namespace, ports: Ports) -> Any:
    return _org_json(_org(ports, args.id), ports)


def _org_json(org: Org, ports: Ports) -> dict[str, Any]:
    zone = org.tz
    scheduled = {
        run.job.value: {"next_run": run.due_at.astimezone(zone).isoformat(), "reports_on": run.period.isoformat()}
        for run in ports.store.org_jobs(org.org_id)
    }
    rp = org.reminders
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
        "budgets": {category: str(amount) for category, amount in org.budgets},  # monthly, in `currency`
        "daily_summary_time": org.daily_summary_time.strftime("%H:%M"),
        "weekly_report_time": f"{WEEKDAYS[org.workweek_start]} {org.weekly_report_time.strftime('%H:%M')}",
        "scheduled": scheduled,
        "reminders": {
            "remind_after_minutes": rp.forgot_clock_out_minutes,
            "max_shift_minutes": rp.max_shift_minutes,
            "long_meal_minutes": rp.long_break_minutes,
            "long_rest_minutes": rp.long_rest_minutes,
        },
        "slack_team_id": org.slack_team_id,
        "auto_enroll_slack": org.auto_enroll_slack,
        "pay_period": org.pay_period.value,
        "pay_period_anchor": org.pay_period_anchor.isoformat() if org.pay_period_anchor else None,
        "expense_approval_above": str(org.expense_approval_above),
        "expense_categories": list(org.expense_categories),
        "category_synonyms": {word: category for word, category in org.expense_synonyms},
        "rounding_minutes": org.rounding_minutes,
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
        "language": w.speaks,
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
        language=args.language,
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
            "language": args.language,
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
    pay_periods = _pay_periods(org, args.from_, args.to, ports)
    if args.json:
        return timesheet_document(sheet, worker.worker_id, worker.name, org, zone) | {"pay_periods": pay_periods}
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
    lines += [f"pay period {p['start']}..{p['end']}: {'locked' if p['locked'] else 'open'}" for p in pay_periods]
    return "\n".join(lines)


def _pay_periods(org: Org, first: date, last: date, ports: Ports) -> list[dict[str, Any]]:
    """The pay periods a report covers, each saying whether a manager locked it."""
    found = []
    day = first
    while day <= last:
        status = periods.period_status(org, day, ports)
        lock = status.lock
        found.append(
            {
                "start": status.start.isoformat(),
                "end": status.end.isoformat(),
                "locked": status.locked,
                "locked_by": lock.locked_by if lock else None,
                "locked_at": lock.locked_at.isoformat() if lock else None,
            }
        )
        day = status.end + timedelta(days=1)
    return found


def period_lock(args: argparse.Namespace, ports: Ports) -> Any:
    """Lock a pay period that ended (the last one by default), in a manager's name."""
    org = _org(ports, args.org)
    manager = ports.store.get_worker(args.by, fresh=True)
    if manager is None or manager.org_id != org.org_id or not manager.is_manager or not manager.active:
        raise CliError(f"no active manager {args.by!r} in {org.org_id!r}")
    on = c.OnDay(year=args.day.year, month=args.day.month, day=args.day.day) if args.day else None
    outcome = periods.lock(manager, org, on, ports)
    if not outcome.ok:
        raise CliError(f"not locked: {outcome.code} {outcome.data}")
    return {"result": outcome.code, **outcome.data}


def period_show(args: argparse.Namespace, ports: Ports) -> Any:
    org = _org(ports, args.org)
    day = args.day or ports.clock.now().astimezone(org.tz).date()
    return _pay_periods(org, day, day, ports)[0] | {"pay_period": org.pay_period.value}


def period_list(args: argparse.Namespace, ports: Ports) -> Any:
    org = _org(ports, args.org)
    return [
        {"start": lock.start.isoformat(), "end": lock.end.isoformat(), "locked_by": lock.locked_by}
        | {"locked_at": lock.locked_at.isoformat()}
        for lock in ports.store.period_locks(org.org_id)
    ]


EXPENSE_COLUMNS = ("worker_id", "worker", "day", "amount", "currency", "category", "status", "decided_by", "note")


def expenses(args: argparse.Namespace, ports: Ports) -> Any:
    """An org's expenses in a range with their status, and each worker's approved total to reimburse."""
    org = _org(ports, args.org)
    if args.to < args.from_:
        raise CliError("--to is before --from")
    names = {w.worker_id: w.name for w in ports.store.list_workers(org.org_id)}
    found = sorted(ports.store.org_expenses(org.org_id, args.from_, args.to), key=lambda e: (e.spent_on, e.recorded_at))
    rows = [
        {
            "worker_id": e.worker_id,
            "worker": names.get(e.worker_id, e.worker_id),
            "day": e.spent_on.isoformat(),
            "amount": str(e.amount),
            "currency": e.currency,
            "category": e.category,
            "status": e.status.value,
            "decided_by": names.get(e.decided_by, e.decided_by) if e.decided_by else "",
            "note": e.note or "",
        }
        for e in found
    ]
    reimburse = {
        names.get(worker_id, worker_id): {currency: str(total) for currency, total in totals.items()}
        for worker_id, totals in approved_totals(found).items()
    }
    if args.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPENSE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: safe_cell(row[column]) for column in EXPENSE_COLUMNS} for row in rows)
        return out.getvalue()
    return {"expenses": rows, "approved_to_reimburse": reimburse}


REPORT_JOBS = {"daily": Job.DAILY_SUMMARY, "weekly": Job.WEEKLY_TIMESHEET}


def report(args: argparse.Namespace, ports: Ports) -> Any:
    """The daily summary or the weekly timesheet email: shown, written to --out, or --send'd.

    --send queues it as the scheduled run does (one notice per recipient, core/services/reports.py);
    the deployment's notify function renders and sends it (in AWS off the table's stream, under
    `make run` its local pump). Without --send it is rendered here, exactly as it would be sent.
    """
    from core import bootstrap
    from core.services.jobs import recipients
    from core.services.reports import queue_report
    from core.services.timesheets import out_of_range
    from notifications.interface import render_report

    org = _org(ports, args.org)
    job = REPORT_JOBS[args.report]
    period = args.date if job is Job.DAILY_SUMMARY else workweek_start(org, args.week_start)
    if out_of_range(workday_of(org, org.tz, ports.clock.now()), period) is not None:
        raise CliError(f"{period} is out of range")
    if args.send:
        to = list(dict.fromkeys(args.to)) if args.to else recipients(org, ports)
        if not to:
            raise CliError("no recipients: give --to, or set the org's --manager-email or a manager's --email")
        queued = queue_report(org, job, period, to, ports)
        return {"report": args.report, "period": period.isoformat(), "queued": len(queued), "to": to}
    email = render_report(job, org, period, ports, bootstrap.settings())
    if args.out is None:
        names = "\n".join(f"  {a.filename} ({len(a.content)} bytes)" for a in email.attachments)
        return f"Subject: {email.subject}\n\n{email.text}\nAttachments:\n{names}\n"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = {"email.html": email.html.encode(), "email.txt": f"Subject: {email.subject}\n\n{email.text}".encode()}
    written |= {Path(a.filename).name: a.content for a in email.attachments}
    for name, content in written.items():
        (out / name).write_bytes(content)
    return {
        "subject": email.subject,
        "dir": str(out),
        "files": sorted(written),
        "html_bytes": len(written["email.html"]),
    }


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
    rows += [_expense_audit(e, zone) for e in ports.store.worker_expenses(worker.worker_id, args.from_, args.to)]
    return rows


def _expense_audit(e: Expense, zone: ZoneInfo) -> dict[str, Any]:
    """An expense in the audit: who logged it, from where, and its decision (an event of its own)."""
    decided = (
        f"{e.status.value} by {e.decided_by} at {e.decided_at.astimezone(zone):%Y-%m-%d %H:%M}"
        if e.decided_by and e.decided_at
        else e.status.value
    )
    return {
        "event_id": e.expense_id,
        "kind": "expense",
        "at": e.spent_on.isoformat(),
        "recorded_at": e.recorded_at.astimezone(zone).isoformat(),
        "channel": e.channel.value,
        "by": e.worker_id,
        "amount": f"{e.amount} {e.currency} {e.category}",
        "reason": e.decision_note,
        "decision": decided,
    }


def budget_set(args: argparse.Namespace, ports: Ports) -> Any:
    _org(ports, args.org)
    outcome = budgets.change_budget(args.org, args.category, args.amount, ports, args.currency)
    if not outcome.ok:
        raise CliError(f"not set: {outcome.code} {outcome.data}")
    return outcome.data


def budget_clear(args: argparse.Namespace, ports: Ports) -> Any:
    _org(ports, args.org)
    outcome = budgets.change_budget(args.org, args.category, None, ports)
    if not outcome.ok:
        raise CliError(f"not cleared: {outcome.code} {outcome.data}")
    return outcome.data


def budget_list(args: argparse.Namespace, ports: Ports) -> Any:
    """Each budget with what is spent of it this month (the org's calendar month, its currency)."""
    org = _org(ports, args.org)
    month = budgets.this_month(org, ports)
    lines = budgets.budget_lines(org, month, ports)
    return {
        "org_id": org.org_id,
        "month": month_name(month),
        "currency": org.currency,
        "budgets": [line.to_json() for line in lines],
    }


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
    p.add_argument("--summary-time", type=_hhmm, help="local time of the daily summary email (default 18:00)")
    p.add_argument(
        "--weekly-time", type=_hhmm, help="local time, on the workweek's first day, of last week's timesheet (08:00)"
    )
    p.add_argument("--remind-after", type=_minutes, help="minutes on shift before 'still clocked in?' (540)")
    p.add_argument(
        "--max-shift", type=_minutes, help="minutes on shift, unanswered, before the pending automatic clock-out (840)"
    )
    p.add_argument("--long-meal", type=_minutes, help="minutes of a meal break before one reminder (45)")
    p.add_argument("--long-rest", type=_minutes, help="minutes of a rest break before one reminder (15)")
    p.add_argument("--pay-period", choices=[period.value for period in PayPeriod], help="pay period (weekly)")
    p.add_argument(
        "--pay-period-anchor",
        type=_day,
        help="biweekly: the first day of any one pay period (default: 2024-01-01's week)",
    )
    p.add_argument(
        "--expense-approval-above",
        type=_threshold,
        help="expenses above this amount wait for a manager's approval (default 0: every expense)",
    )
    p.add_argument("--categories", type=_categories, help="the expense categories, comma-separated")
    p.add_argument(
        "--category-synonym",
        type=_synonym,
        action="append",
        help="WORD=CATEGORY, a word that means one of the categories (repeat; replaces the org's own list)",
    )
    p.add_argument(
        "--rounding",
        type=int,
        choices=ROUNDING_CHOICES,
        help="timesheets and reports count clock-in/out at the nearest N minutes of the local clock, as often up "
        "as down (29 CFR 785.48(b)); breaks are never rounded; 0: as punched (default)",
    )
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
    p.add_argument("--language", choices=sorted(LANGUAGES), help="what the worker reads (default: en)")


def jobs_run(args: argparse.Namespace, ports: Ports) -> Any:
    """What the scheduled sweeps do, now: the same core services the jobs function runs."""
    from core.services.jobs import run_due_jobs
    from core.services.reminders import send_due_reminders

    if args.job == "reminders":
        return {"job": "reminders", **send_due_reminders(ports).to_json()}
    return {"job": "reports", **run_due_jobs(ports).to_json()}


def jobs_schedule(args: argparse.Namespace, ports: Ports) -> Any:
    """Write an org's scheduled runs again (an org saved before scheduled reports existed has none)."""
    orgs = ports.store.list_orgs() if args.all else [_org(ports, args.org)]
    return [
        _org_json(ports.store.save_org(org, ports.clock.now()), ports)["scheduled"] | {"org_id": org.org_id}
        for org in orgs
    ]


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 1 <= value <= 24 * 60:
        raise argparse.ArgumentTypeError("give between 1 and 1440 minutes")
    return value


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

    jobs = top.add_parser("jobs", help="the scheduled sweeps").add_subparsers(dest="action", required=True)
    p = jobs.add_parser("run", help="run a sweep now: reminders due, or reports due")
    p.add_argument("job", choices=["reminders", "reports"])
    p.set_defaults(run=jobs_run)
    p = jobs.add_parser("schedule", help="write an organisation's scheduled runs again")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--org")
    target.add_argument("--all", action="store_true", help="every organisation")
    p.set_defaults(run=jobs_schedule)

    pay_periods = top.add_parser("period", help="pay periods").add_subparsers(dest="action", required=True)
    p = pay_periods.add_parser("lock", help="lock a pay period that ended (default: the last one): no more corrections")
    p.add_argument("--org", required=True)
    p.add_argument("--by", required=True, help="the locking manager's worker id")
    p.add_argument("--day", type=_day, help="a day in the period to lock (default: the last period that ended)")
    p.set_defaults(run=period_lock)
    p = pay_periods.add_parser("show", help="the pay period holding a day (default today), and whether it is locked")
    p.add_argument("--org", required=True)
    p.add_argument("--day", type=_day)
    p.set_defaults(run=period_show)
    p = pay_periods.add_parser("list", help="every locked pay period")
    p.add_argument("--org", required=True)
    p.set_defaults(run=period_list)

    p = top.add_parser("expenses", help="an organisation's expenses with their status, and approved totals")
    p.add_argument("--org", required=True)
    p.add_argument("--from", dest="from_", type=_day, required=True)
    p.add_argument("--to", type=_day, required=True)
    p.add_argument("--csv", action="store_true", help="one row per expense, as CSV")
    p.set_defaults(run=expenses)

    budget = top.add_parser(
        "budget",
        help="monthly budgets per expense category; managers hear at 80%% and 100%%",
    ).add_subparsers(dest="action", required=True)
    p = budget.add_parser("set", help="set a category's monthly budget, in the org's currency")
    p.add_argument("--org", required=True)
    p.add_argument("--category", required=True, help="one of the org's expense categories, e.g. fuel")
    p.add_argument("--amount", type=_budget_amount, required=True, help="per calendar month, e.g. 500")
    p.add_argument("--currency", help="must be the org's currency (checked), e.g. USD")
    p.set_defaults(run=budget_set)
    p = budget.add_parser("clear", help="remove a category's budget (no more alerts for it)")
    p.add_argument("--org", required=True)
    p.add_argument("--category", required=True)
    p.set_defaults(run=budget_clear)
    p = budget.add_parser("list", help="the budgets, with what is spent of each this month and the percent")
    p.add_argument("--org", required=True)
    p.set_defaults(run=budget_list)

    reports = top.add_parser(
        "report",
        help="the daily summary or the weekly timesheet email: show it, write it out, or send it",
        description="Without --send: the email exactly as it would be sent, its plain text on stdout, or with "
        "--out DIR its HTML (email.html), text (email.txt) and attachments written there. With --send: queued "
        "for the org's report recipients (or --to), one email each, sent by the deployment's notify function "
        "like the scheduled run.",
    ).add_subparsers(dest="report", required=True)
    for name, period in (("daily", "--date"), ("weekly", "--week-start")):
        p = reports.add_parser(name, help=f"the {name} report email")
        p.add_argument("--org", required=True)
        if period == "--date":
            p.add_argument("--date", type=_day, required=True, help="the workday, e.g. 2026-11-16")
        else:
            p.add_argument(
                "--week-start", type=_day, required=True, help="a day of the workweek (its first day is used)"
            )
        p.add_argument("--send", action="store_true", help="email it (through the notify function)")
        p.add_argument("--to", type=_email, action="append", help="with --send: these addresses instead")
        p.add_argument("--out", help="without --send: write email.html, email.txt and the attachments here")
        p.set_defaults(run=report)

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


def aws_problem(err: Exception, table: str | None = None) -> str | None:
    """One line saying what is wrong with the AWS setup behind `err`, or None when it is not that."""
    if not type(err).__module__.startswith("botocore"):
        return None
    from botocore import exceptions as aws

    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
    where = f" at {endpoint}" if endpoint else ""
    local = "(the local stack: the line `make run --store dynamodb` prints; or --sqlite PATH for its SQLite file)"
    if isinstance(err, aws.NoRegionError):
        return f"no AWS region: set AWS_DEFAULT_REGION (e.g. us-east-1) {local}"
    if isinstance(err, aws.NoCredentialsError | aws.PartialCredentialsError):
        return f"no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY {local}"
    if isinstance(err, aws.EndpointConnectionError):
        return (
            f"cannot reach {getattr(err, 'kwargs', {}).get('endpoint_url', endpoint or 'AWS')}: is it running? {local}"
        )
    if isinstance(err, aws.ClientError):
        error = err.response.get("Error", {})
        code, message = error.get("Code", "?"), error.get("Message", "")
        if code == "ResourceNotFoundException":
            return f"no table {table or '(TABLE_NAME)'}{where}: check --table and AWS_DEFAULT_REGION ({message})"
        if code in ("UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException"):
            return f"AWS refused the credentials{where} ({code}): check AWS_PROFILE or the access keys"
        if code in ("AccessDeniedException", "AccessDenied"):
            return f"not allowed{where} ({code}): {message}"
        return f"AWS said {code}{where}: {message}"
    return f"AWS: {err}"


def main(argv: Sequence[str] | None = None, ports: Ports | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace, Ports], Any] = args.run
    try:
        result = run(args, ports or _ports(args))
    except CliError as err:
        print(f"punchclock: {err}", file=sys.stderr)
        return 2
    except Exception as err:
        problem = aws_problem(err, args.table or os.environ.get("TABLE_NAME"))
        if problem is None:
            raise
        print(f"punchclock: {problem}", file=sys.stderr)
        return 1
    if isinstance(result, str):
        if result:
            print(result, end="" if result.endswith("\n") else "\n")
    else:
        print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
