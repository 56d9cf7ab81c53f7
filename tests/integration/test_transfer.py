"""`punchclock export` / `import`: a crew's history moves from the SQLite file into DynamoDB (moto)
and back without loss, and the state machine carries on where it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import main
from core import commands as c
from core.domain.clock import FixedClock
from core.domain.model import Channel, Org, Role, Status, Worker
from core.domain.transitions import Origin
from core.services.dispatch import handle
from core.services.ports import Ports
from core.store import json_items
from core.store.dynamodb import DynamoStore
from core.store.item_store import ItemStore
from core.store.sqlite import SqliteStore
from tests.conftest import TABLE

MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)  # 08:00 in Chicago


def a_crews_history(store: ItemStore) -> None:
    """Three days of a small crew: shifts, breaks, an expense, corrections decided and open."""
    org = store.save_org(
        Org(org_id="acme", name="Acme", timezone="America/Chicago", slack_team_id="T0ACME", currency="USD")
    )
    store.add_worker(
        Worker(worker_id="w-mia", org_id="acme", name="Mia", role=Role.MANAGER, phone="+15550000009", email="m@a.test")
    )
    store.add_worker(
        Worker(
            worker_id="w-ana",
            org_id="acme",
            name="Ana",
            phone="+15550000001",
            slack_team_id="T0ACME",
            slack_user_id="U0ANA",
        )
    )
    store.add_worker(Worker(worker_id="w-bo", org_id="acme", name="Bo", phone="+15550000002"))
    clock = FixedClock(MONDAY)
    ports = Ports(store, clock)
    deliveries = iter(range(1000))

    def do(worker_id: str, command: c.Command, minutes: int = 0, channel: Channel = Channel.SMS) -> str:
        clock.advance(minutes=minutes)
        worker = store.get_worker(worker_id, fresh=True)
        assert worker is not None
        return handle(command, worker, org, Origin(channel, f"d{next(deliveries)}"), ports).code

    for worker_id in ("w-ana", "w-bo"):
        assert do(worker_id, c.ClockIn(job="north")) == "clocked_in"
    assert do("w-ana", c.StartBreak(), 120) == "break_started"
    assert do("w-ana", c.EndBreak(), 30, Channel.SLACK) == "break_ended"
    assert do("w-ana", c.LogExpense(Decimal("12.50"), "fuel", note="diesel"), 5) == "expense_logged"
    for worker_id in ("w-ana", "w-bo"):
        assert do(worker_id, c.ClockOut(), 300) == "clocked_out"
    clock.advance(hours=14)  # Tuesday: Ana forgot to clock in, says when; Mia approves
    do("w-ana", c.ClockIn(at=time(7, 30), reason="forgot"))
    assert do("w-mia", c.Decide(approve=True, every=True), 5) == "approve_all_offer"  # the expense, the correction
    assert do("w-mia", c.Decide(approve=True, every=True, count=2)) == "approved_all"
    do("w-ana", c.ClockOut(at=time(15, 0), reason="left early"), 600)  # still open at export time
    clock.advance(hours=12)
    assert do("w-bo", c.ClockIn()) == "clocked_in"  # Bo is on shift when the crew moves


def export(capsys: pytest.CaptureFixture[str], *store: str, to: Path) -> list[dict[str, object]]:
    assert main([*store, "export", "--org", "acme", "--out", str(to)]) == 0
    capsys.readouterr()
    lines = to.read_text().splitlines()
    assert json.loads(lines[0])["format"] == "punchclock-export"
    return [json_items.loads(line)["item"] for line in lines[1:]]


def import_(capsys: pytest.CaptureFixture[str], *store: str, file: Path) -> dict[str, object]:
    code = main([*store, "import", str(file)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return dict(json.loads(out))


def _key(item: dict[str, object]) -> tuple[object, object]:
    return item["PK"], item["SK"]


def test_a_crew_moves_from_sqlite_to_dynamodb_and_back_without_loss(
    ddb: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given three days of a crew's history in the local stack's SQLite file
    laptop = tmp_path / "punchclock.db"
    a_crews_history(SqliteStore(laptop))

    # When it is exported, and imported into DynamoDB
    exported = export(capsys, "--sqlite", str(laptop), to=tmp_path / "acme.jsonl")
    kinds = {str(item.get("type")) for item in exported}
    assert {"org", "link", "worker", "lookup", "punch", "decision", "expense", "expense_decision", "pending"} <= kinds
    assert not kinds & {"delivery", "notice", "marker", "send", "invite"}
    assert import_(capsys, "--table", TABLE, file=tmp_path / "acme.jsonl") == {
        "org": "acme",
        "written": len(exported),
        "already_there": 0,
    }

    # Then DynamoDB exports exactly the same items
    in_aws = export(capsys, "--table", TABLE, to=tmp_path / "from-aws.jsonl")
    assert sorted(in_aws, key=_key) == sorted(exported, key=_key)
    # And the crew carries on there: found by phone and Slack, the open shift can be closed
    cloud = DynamoStore(ddb, TABLE)
    org = cloud.get_org("acme")
    bo = cloud.find_worker_by_phone("+15550000002")
    assert org is not None and bo is not None and bo.state.status is Status.ON_SHIFT
    assert cloud.find_worker_by_slack("T0ACME", "U0ANA").worker_id == "w-ana"  # type: ignore[union-attr]
    assert cloud.find_org_by_slack_team("T0ACME").org_id == "acme"  # type: ignore[union-attr]
    clock = FixedClock(MONDAY + timedelta(days=3))
    assert handle(c.ClockOut(), bo, org, Origin(Channel.SMS, "after-move"), Ports(cloud, clock)).code == "clocked_out"
    laptop_store = SqliteStore(laptop)
    week = (MONDAY - timedelta(days=1), MONDAY + timedelta(days=3))
    assert laptop_store.worker_events("w-ana", *week) == cloud.worker_events("w-ana", *week)
    assert laptop_store.org_expenses("acme", MONDAY.date(), MONDAY.date()) == cloud.org_expenses(
        "acme", MONDAY.date(), MONDAY.date()
    )
    assert laptop_store.pending_corrections("acme") == cloud.pending_corrections("acme")

    # When DynamoDB's export goes back into a new SQLite file, it holds the same again
    back = tmp_path / "back.db"
    assert import_(capsys, "--sqlite", str(back), file=tmp_path / "from-aws.jsonl")["written"] == len(in_aws)
    assert sorted(export(capsys, "--sqlite", str(back), to=tmp_path / "back.jsonl"), key=_key) == sorted(
        in_aws, key=_key
    )


def test_an_import_runs_again_safely_and_reports_what_differs(
    ddb: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = tmp_path / "punchclock.db"
    a_crews_history(SqliteStore(laptop))
    exported = export(capsys, "--sqlite", str(laptop), to=tmp_path / "acme.jsonl")
    # Given an import interrupted after some items (here: a first run), run again
    assert import_(capsys, "--table", TABLE, file=tmp_path / "acme.jsonl")["written"] == len(exported)
    again = import_(capsys, "--table", TABLE, file=tmp_path / "acme.jsonl")
    # Then nothing is written twice
    assert again == {"org": "acme", "written": 0, "already_there": len(exported)}
    # Given the target changed since (Bo clocked out there), an import says so and leaves it
    cloud = DynamoStore(ddb, TABLE)
    bo = cloud.get_worker("w-bo", fresh=True)
    org = cloud.get_org("acme")
    assert bo is not None and org is not None
    handle(c.ClockOut(), bo, org, Origin(Channel.SMS, "x"), Ports(cloud, FixedClock(MONDAY + timedelta(days=3))))
    assert main(["--table", TABLE, "import", str(tmp_path / "acme.jsonl")]) == 2
    assert "WORKER#w-bo / WORKER" in capsys.readouterr().err
    assert cloud.get_worker("w-bo", fresh=True).state.status is Status.OFF  # type: ignore[union-attr]


def test_what_is_not_an_export_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "history.csv").write_text("worker,kind,time\n")
    assert main(["--sqlite", str(tmp_path / "x.db"), "import", str(tmp_path / "history.csv")]) == 2
    assert "not a Punchclock export" in capsys.readouterr().err
    assert main(["--sqlite", str(tmp_path / "x.db"), "export", "--org", "nobody"]) == 2
    assert "no organisation 'nobody'" in capsys.readouterr().err
