"""The admin CLI against moto, through the same core services."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.cli import build_parser, main
from core.domain.model import BreakPolicy


def run(ports, capsys, *argv: str):  # type: ignore[no-untyped-def]
    code = main(list(argv), ports=ports)
    out, err = capsys.readouterr()
    return code, out, err


def test_org_and_workers(ports, capsys):  # type: ignore[no-untyped-def]
    code, out, _ = run(
        ports,
        capsys,
        "org",
        "create",
        "--id",
        "o1",
        "--name",
        "Cleaners Co",
        "--timezone",
        "America/Los_Angeles",
        "--overtime",
        "california",
        "--workweek-start",
        "sun",
        "--manager-email",
        "m@c.test",
        "--slack-team",
        "T9",
    )
    assert code == 0 and json.loads(out)["overtime_policy"] == "california"
    code, out, _ = run(
        ports,
        capsys,
        "worker",
        "add",
        "--org",
        "o1",
        "--name",
        "Ben",
        "--phone",
        "(555) 222-3333",
        "--slack",
        "T9/U9",
        "--id",
        "ben",
    )
    assert code == 0 and json.loads(out)["phone"] == "+15552223333"
    code, _, err = run(ports, capsys, "worker", "add", "--org", "o1", "--name", "Dup", "--phone", "+15552223333")
    assert code == 2 and "already belongs" in err
    code, out, _ = run(ports, capsys, "worker", "update", "--id", "ben", "--role", "manager")
    assert json.loads(out)["role"] == "manager" and json.loads(out)["language"] == "en"
    code, out, _ = run(ports, capsys, "worker", "update", "--id", "ben", "--language", "es")
    assert json.loads(out)["language"] == "es"
    assert ports.store.get_worker("ben", fresh=True).language == "es"
    code, out, _ = run(ports, capsys, "worker", "list", "--org", "o1")
    assert [w["name"] for w in json.loads(out)] == ["Ben"]
    code, out, _ = run(ports, capsys, "org", "update", "--id", "o1", "--workday-start", "18:00")
    assert json.loads(out)["workday_start"] == "18:00"


def test_bad_options_are_refused_with_a_reason(ports, capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        main(["org", "create", "--name", "x", "--timezone", "Mars/Base"], ports=ports)
    assert "not an IANA time zone" in capsys.readouterr().err


def test_every_command_has_help(capsys):  # type: ignore[no-untyped-def]
    for argv in (
        ["--help"],
        ["org", "create", "--help"],
        ["worker", "invite", "--help"],
        ["punches", "import", "--help"],
        ["timesheet", "--help"],
        ["report", "daily", "--help"],
        ["report", "weekly", "--help"],
    ):
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args(argv)
        assert done.value.code == 0
    assert "usage: punchclock" in capsys.readouterr().out


CSV_OK = """worker,kind,time,break_kind,note
w-ana,in,2026-11-02T08:00:00-05:00,,
w-ana,break_start,2026-11-02T12:00:00-05:00,meal,
w-ana,break_end,2026-11-02T12:30:00-05:00,meal,
w-ana,out,2026-11-02T16:30:00-05:00,,=HYPERLINK("x")
+15550000001,in,2026-11-03T08:00:00-05:00,,
+15550000001,out,2026-11-03T17:00:00-05:00,,
"""


def test_import_then_timesheet_csv(ports, org, ana, capsys, tmp_path):  # type: ignore[no-untyped-def]
    f = tmp_path / "history.csv"
    f.write_text(CSV_OK)
    code, out, err = run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)
    assert code == 0, err
    assert json.loads(out) == {"imported": 6}
    # the same file again adds nothing (idempotent re-run)
    code, out, _ = run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)
    assert json.loads(out) == {"imported": 0}
    events = ports.store.worker_events(
        ana.worker_id, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC)
    )
    assert len(events.punches) == 6
    code, out, _ = run(
        ports, capsys, "timesheet", "--worker", ana.worker_id, "--from", "2026-11-02", "--to", "2026-11-03", "--csv"
    )
    lines = out.splitlines()
    assert lines[0].startswith("worker_id,worker,day,first_in,last_out,on_task_min,paid_break_min,unpaid_break_min,")
    assert lines[1].startswith("w-ana,Ana Lopez,2026-11-02,2026-11-02 08:00,2026-11-02 16:30,480,0,30,480,480,0,0")
    assert lines[2].startswith("w-ana,Ana Lopez,2026-11-03,2026-11-03 08:00,2026-11-03 17:00,540,0,0,540,540,0,0")
    assert "meal_missed" in lines[2]
    code, out, _ = run(
        ports, capsys, "timesheet", "--worker", ana.worker_id, "--from", "2026-11-02", "--to", "2026-11-02", "--json"
    )
    assert json.loads(out)["days"][0]["unpaid_break_min"] == 30


def six_day_week_with_meals() -> str:
    """Monday 2 to Saturday 7 November 2026: 08:00-16:30 with a 12:00-12:30 meal, every day."""
    rows = ["worker,kind,time,break_kind"]
    for day in range(2, 8):
        stamp = f"2026-11-{day:02d}T{{}}:00-05:00"
        rows += [
            f"w-ana,in,{stamp.format('08:00')},",
            f"w-ana,break_start,{stamp.format('12:00')},meal",
            f"w-ana,break_end,{stamp.format('12:30')},",
            f"w-ana,out,{stamp.format('16:30')},",
        ]
    return "\n".join(rows) + "\n"


def test_an_imported_week_with_meal_breaks_keeps_every_day_whole(ports, org, ana, capsys, tmp_path):  # type: ignore[no-untyped-def]
    # Given a six-day week of 8 h days with a 30-minute meal, imported in one go (one recorded time)
    f = tmp_path / "week.csv"
    f.write_text(six_day_week_with_meals())
    code, out, err = run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)
    assert code == 0, err
    # When payroll reads the timesheet
    code, out, _ = run(
        ports, capsys, "timesheet", "--worker", ana.worker_id, "--from", "2026-11-02", "--to", "2026-11-07", "--json"
    )
    days = json.loads(out)["days"]
    # Then every day is 8 h of hours worked with a 30-minute unpaid meal, and no odd punches
    assert [(d["hours_worked_min"], d["unpaid_break_min"]) for d in days] == [(480, 30)] * 6
    assert all("orphan_punch" not in d["flags"] for d in days)
    # And the week's 48 h are 40 regular and 8 overtime
    assert [d["overtime_min"] for d in days] == [0, 0, 0, 0, 0, 480]


def test_import_with_any_bad_row_is_refused_whole(ports, org, ana, capsys, tmp_path):  # type: ignore[no-untyped-def]
    bad = (
        CSV_OK
        + "nobody,in,2026-11-04T08:00:00-05:00,,\n"
        + "w-ana,sideways,2026-11-05T08:00:00-05:00,,\n"
        + "w-ana,in,2026-11-06T08:00:00,,\n"
    )
    f = tmp_path / "bad.csv"
    f.write_text(bad)
    code, _, err = run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)
    assert code == 2
    assert "line 8: unknown worker 'nobody'" in err
    assert "line 9: kind must be" in err
    assert "line 10: time has no UTC offset" in err
    events = ports.store.worker_events(
        ana.worker_id, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC)
    )
    assert events.punches == []


def test_import_refuses_out_of_order_and_open_shifts(ports, org, ana, capsys, tmp_path):  # type: ignore[no-untyped-def]
    f = tmp_path / "seq.csv"
    f.write_text("worker,kind,time\nw-ana,out,2026-11-02T08:00:00-05:00\nw-ana,in,2026-11-02T09:00:00-05:00\n")
    code, _, err = run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)
    assert code == 2
    assert "line 2: clock_out cannot follow nothing" in err
    assert "is left open" in err


def test_audit_shows_every_event_with_who_and_why(ports, org, ana, manager, clock, capsys):  # type: ignore[no-untyped-def]
    from core import commands as c
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services.dispatch import handle

    handle(c.ClockIn(), ana, org, Origin(Channel.SMS, "1"), ports)
    clock.advance(hours=9)
    handle(c.ClockOut(), ports.store.get_worker(ana.worker_id), org, Origin(Channel.SLACK, "2"), ports)
    clock.advance(minutes=30)
    handle(
        c.ClockOut(at=__import__("datetime").time(16, 0), reason="left at 4"),
        ports.store.get_worker(ana.worker_id),
        org,
        Origin(Channel.SMS, "3"),
        ports,
    )
    handle(c.Decide(approve=False), manager, org, Origin(Channel.SLACK, "4"), ports)
    handle(c.LogExpense(Decimal("9"), "parking"), ana, org, Origin(Channel.SMS, "5"), ports)
    handle(c.Decide(approve=True, note="ok"), manager, org, Origin(Channel.SMS, "6"), ports)
    _, out, _ = run(ports, capsys, "audit", "--worker", ana.worker_id, "--from", "2026-11-16", "--to", "2026-11-16")
    rows = json.loads(out)
    assert [(r["kind"], r["channel"], r["reason"]) for r in rows] == [
        ("clock_in", "sms", None),
        ("clock_out", "sms", "left at 4"),
        ("clock_out", "slack", None),
        ("expense", "sms", "ok"),
    ]
    assert rows[1]["decision"].startswith("rejected by w-mia")
    assert rows[1]["amends"] == rows[2]["event_id"]
    assert rows[3]["decision"].startswith("approved by w-mia") and rows[3]["amount"] == "9 USD parking"


def test_invite_texts_a_join_code_through_the_configured_provider(
    ports, org, manager, ana, capsys, monkeypatch, notices
):  # type: ignore[no-untyped-def]
    from moto.sns.models import sns_backends

    monkeypatch.setenv("SMS_PROVIDER", "aws")
    code, out, err = run(
        ports,
        capsys,
        "worker",
        "invite",
        "--org",
        org.org_id,
        "--phone",
        "555-010-2030",
        "--name",
        "Cy",
        "--by",
        "w-mia",
    )
    assert code == 0, err
    sent = json.loads(out)
    assert sent["phone"] == "+15550102030" and sent["sms"] == "queued"
    notices.drain()  # the notify function texts the code from the invite's notice
    texts = sns_backends["123456789012"]["us-east-1"].sms_messages
    assert [(to, body) for to, body, *_ in texts.values()] == [
        ("+15550102030", f"Acme Field Services invites you to Punchclock. Reply JOIN {sent['code']} to start.")
    ]
    # a worker cannot invite
    code, _, err = run(
        ports, capsys, "worker", "invite", "--org", org.org_id, "--phone", "5550102031", "--name", "D", "--by", "w-ana"
    )
    assert code == 2 and "managers_only" in err


def test_an_overlapping_second_file_is_refused_not_doubled(ports, org, ana, capsys, tmp_path):  # type: ignore[no-untyped-def]
    first = tmp_path / "a.csv"
    first.write_text(CSV_OK)
    run(ports, capsys, "punches", "import", str(first), "--org", org.org_id)
    # the same history plus one more day, as a new export from the old tracker would be
    bigger = tmp_path / "b.csv"
    bigger.write_text(CSV_OK + "w-ana,in,2026-11-04T08:00:00-05:00,,\nw-ana,out,2026-11-04T12:00:00-05:00,,\n")
    code, out, _ = run(ports, capsys, "punches", "import", str(bigger), "--org", org.org_id)
    assert code == 0 and json.loads(out) == {"imported": 2}
    events = ports.store.worker_events(
        ana.worker_id, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC)
    )
    assert len(events.punches) == 8
    # a file whose punches differ from what is recorded in the same span is refused
    other = tmp_path / "c.csv"
    other.write_text("worker,kind,time\nw-ana,in,2026-11-02T09:00:00-05:00\nw-ana,out,2026-11-02T10:00:00-05:00\n")
    code, _, err = run(ports, capsys, "punches", "import", str(other), "--org", org.org_id)
    assert code == 2 and "overlaps punches already recorded" in err


def test_meal_rules_are_an_org_setting_apart_from_overtime(ports, capsys):  # type: ignore[no-untyped-def]
    # Given orgs created with each overtime policy and no meal rules named
    _, out, _ = run(ports, capsys, "org", "create", "--id", "tx", "--name", "Texas Crew")
    texas = json.loads(out)
    _, out, _ = run(ports, capsys, "org", "create", "--id", "ca", "--name", "CA Crew", "--overtime", "california")
    california = json.loads(out)
    # Then the FLSA org has no meal rules and the California one California's, by default
    assert (texas["meal_rules"], texas["meal_rules_chosen"]) == ("none", "default for the overtime policy")
    assert (california["meal_rules"], california["meal_rules_source"]) == ("california", "Labor Code 512, IWC orders")
    assert (california["first_meal_waiver"], california["second_meal_waiver"], california["short_meal_paid"]) == (
        True,
        False,
        True,
    )
    # When the Texas org moves to Washington's rules and turns off paying short meals
    code, out, _ = run(
        ports, capsys, "org", "update", "--id", "tx", "--meal-rules", "washington", "--no-short-meal-paid"
    )
    assert code == 0
    # Then `org show` says so, and its overtime policy is untouched
    _, out, _ = run(ports, capsys, "org", "show", "--id", "tx")
    shown = json.loads(out)
    assert (shown["meal_rules"], shown["meal_rules_chosen"], shown["overtime_policy"]) == (
        "washington",
        "by the org",
        "flsa",
    )
    assert shown["short_meal_paid"] is False
    # And `--meal-rules default` goes back to following the overtime policy
    _, out, _ = run(ports, capsys, "org", "update", "--id", "tx", "--meal-rules", "default")
    assert json.loads(out)["meal_rules"] == "none"


FLSA_DAYS_WITHOUT_MEALS = """worker,kind,time,break_kind
w-ana,in,2026-11-02T08:00:00-05:00,
w-ana,break_start,2026-11-02T10:00:00-05:00,rest
w-ana,break_end,2026-11-02T10:10:00-05:00,
w-ana,out,2026-11-02T16:00:00-05:00,
w-ana,in,2026-11-03T08:00:00-05:00,
w-ana,break_start,2026-11-03T12:00:00-05:00,meal
w-ana,break_end,2026-11-03T12:20:00-05:00,
w-ana,out,2026-11-03T16:00:00-05:00,
"""


def test_timesheet_json_says_which_figure_is_hours_worked_and_which_breaks_were_paid(  # type: ignore[no-untyped-def]
    ports, store, org, ana, capsys, tmp_path
):
    # Given an FLSA org with no meal rules, and two 8 h days: one with a rest break, one with a 20-minute meal
    store.save_org(replace(org, break_policy=BreakPolicy(meal_rules=None)))
    f = tmp_path / "days.csv"
    f.write_text(FLSA_DAYS_WITHOUT_MEALS)
    assert run(ports, capsys, "punches", "import", str(f), "--org", org.org_id)[0] == 0
    # When payroll reads the JSON timesheet
    _, out, _ = run(
        ports, capsys, "timesheet", "--worker", ana.worker_id, "--from", "2026-11-02", "--to", "2026-11-03", "--json"
    )
    sheet = json.loads(out)
    # Then it names the rules applied
    assert sheet["overtime_policy"] == "flsa"
    assert sheet["meal_rules"]["name"] == "none"
    monday, tuesday = sheet["days"]
    # And every break with its kind, minutes and whether it was paid; no meal flag under the FLSA
    assert monday["breaks"] == [
        {"start": "2026-11-02 10:00", "end": "2026-11-02 10:10", "kind": "rest", "minutes": 10, "paid": True}
    ]
    assert tuesday["breaks"] == [
        {"start": "2026-11-03 12:00", "end": "2026-11-03 12:20", "kind": "meal", "minutes": 20, "paid": True}
    ]
    assert monday["flags"] == tuesday["flags"] == ""
    # And hours worked = on task + paid breaks = regular + overtime + double time, every day and in total
    for row in [monday, tuesday, sheet["totals"]]:
        assert row["hours_worked_min"] == row["on_task_min"] + row["paid_break_min"]
        assert row["hours_worked_min"] == row["regular_min"] + row["overtime_min"] + row["double_time_min"]
    assert [monday["hours_worked_min"], tuesday["hours_worked_min"], sheet["totals"]["hours_worked_min"]] == [
        480,
        480,
        960,
    ]
    assert [monday["on_task_min"], tuesday["on_task_min"]] == [470, 460]


def test_timesheet_help_documents_every_field(capsys):  # type: ignore[no-untyped-def]
    from core.timesheet_export import FIELDS

    with pytest.raises(SystemExit):
        build_parser().parse_args(["timesheet", "--help"])
    shown = capsys.readouterr().out
    for field, meaning in FIELDS.items():
        assert field in shown and meaning.split(":")[0] in shown
    assert "hours worked (FLSA) = on_task + paid_break = regular + overtime + double_time" in " ".join(shown.split())


def test_org_shows_its_scheduled_runs_and_reminder_policy_and_jobs_run_now(ports, org, capsys) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    assert main(["org", "update", "--id", org.org_id, "--summary-time", "17:30", "--remind-after", "480"], ports) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["scheduled"]["daily"] == {"next_run": "2026-11-16T17:30:00-05:00", "reports_on": "2026-11-16"}
    # it is Monday 07:58 there: last week's timesheet goes at 08:00 today
    assert shown["scheduled"]["weekly"] == {"next_run": "2026-11-16T08:00:00-05:00", "reports_on": "2026-11-09"}
    assert shown["reminders"]["remind_after_minutes"] == 480
    assert main(["org", "update", "--id", org.org_id, "--max-shift", "400"], ports) == 2
    assert "--max-shift must be longer than --remind-after" in capsys.readouterr().err
    assert main(["jobs", "run", "reminders"], ports) == 0
    assert json.loads(capsys.readouterr().out) == {
        "job": "reminders",
        "due": 0,
        "reminded": 0,
        "closed": 0,
        "rescheduled": 0,
        "failed": 0,
    }
    assert main(["jobs", "schedule", "--all"], ports) == 0
    assert json.loads(capsys.readouterr().out)[0]["org_id"] == org.org_id


def test_pay_periods_expense_policy_and_locks_from_the_cli(ports, capsys, org, ana, manager, clock):  # type: ignore[no-untyped-def]
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.grammar import parse
    from core.services.dispatch import handle

    # Given the operator sets a biweekly pay period, an approval threshold and a synonym of its own
    code, out, _ = run(
        ports,
        capsys,
        *("org", "update", "--id", "acme", "--pay-period", "biweekly", "--pay-period-anchor", "2026-11-02"),
        *("--expense-approval-above", "25", "--category-synonym", "hinge=parts", "--expense-limit", "5000"),
    )
    shown = json.loads(out)
    assert code == 0
    assert (shown["pay_period"], shown["pay_period_anchor"], shown["expense_approval_above"]) == (
        "biweekly",
        "2026-11-02",
        "25",
    )
    assert shown["category_synonyms"] == {"hinge": "parts"} and shown["expense_limit"] == "5000"
    with pytest.raises(SystemExit):  # argparse refuses it
        run(ports, capsys, "org", "update", "--id", "acme", "--expense-limit", "2000000")
    assert "at most 1000000" in capsys.readouterr().err
    # And Ana logs two expenses: one the policy approves, one that waits for a manager
    for i, text in enumerate(("exp 12 hinge", "exp 40 fuel")):
        clock.advance(minutes=1)
        handle(
            parse(text),
            ports.store.get_worker("w-ana"),
            ports.store.get_org("acme"),
            Origin(Channel.SMS, f"e{i}"),
            ports,
        )
    code, out, _ = run(
        ports, capsys, "expenses", "--org", "acme", "--from", "2026-11-16", "--to", "2026-11-16", "--csv"
    )
    assert code == 0
    assert out.splitlines() == [
        "worker_id,worker,day,amount,currency,category,status,decided_by,note",
        "w-ana,Ana Lopez,2026-11-16,12,USD,parts,approved,,",
        "w-ana,Ana Lopez,2026-11-16,40,USD,fuel,submitted,,",
    ]
    # When the period holding today is shown, and the last one that ended is locked
    code, out, _ = run(ports, capsys, "period", "show", "--org", "acme")
    assert json.loads(out) == {
        "start": "2026-11-16",
        "end": "2026-11-29",
        "locked": False,
        "locked_by": None,
        "locked_at": None,
        "pay_period": "biweekly",
    }
    code, _, err = run(ports, capsys, "period", "lock", "--org", "acme", "--by", "w-ana")
    assert code == 2 and "no active manager" in err
    code, out, _ = run(ports, capsys, "period", "lock", "--org", "acme", "--by", "w-mia")
    assert code == 0 and json.loads(out) == {"result": "period_now_locked", "start": "2026-11-02", "end": "2026-11-15"}
    code, _, err = run(ports, capsys, "period", "lock", "--org", "acme", "--by", "w-mia", "--day", "2026-11-20")
    assert code == 2 and "period_not_over" in err
    # Then the timesheet says which of its pay periods are locked
    code, out, _ = run(ports, capsys, "timesheet", "--worker", "w-ana", "--from", "2026-11-13", "--to", "2026-11-16")
    assert "pay period 2026-11-02..2026-11-15: locked" in out and "pay period 2026-11-16..2026-11-29: open" in out
    code, out, _ = run(
        ports, capsys, "timesheet", "--worker", "w-ana", "--from", "2026-11-13", "--to", "2026-11-16", "--json"
    )
    assert [p["locked"] for p in json.loads(out)["pay_periods"]] == [True, False]
    code, out, _ = run(ports, capsys, "period", "list", "--org", "acme")
    assert [lock["start"] for lock in json.loads(out)] == ["2026-11-02"]
