"""Who may act: known workers, auto-enrolled newcomers of a linked workspace, nobody else."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.domain.model import Role, Status


def test_an_unlinked_workspace_is_told_and_nothing_is_written(slack, ana, calls):
    calls.reset()

    answer = slack.command("/clockin", team="T0ELSEWHERE", user="U0ANA")

    assert answer.text.startswith("This Slack workspace is not linked to Punchclock yet.")
    assert "T0ELSEWHERE" in answer.text
    assert set(calls.calls) == {"GetItem"}


def test_a_stranger_in_a_linked_workspace_is_sent_to_a_manager(slack, store, calls):
    calls.reset()

    answer = slack.command("/clockin", user="U0NEW")

    assert answer.text == "You are not set up in Punchclock yet. Ask a manager to add you (your Slack id is U0NEW)."
    assert set(calls.calls) == {"GetItem"}
    assert store.find_worker_by_slack("T0ACME", "U0NEW") is None


def test_auto_enrolment_makes_a_worker_and_runs_the_command(slack, org, store):
    store.save_org(replace(org, auto_enroll_slack=True))

    answer = slack.command("/clockin", "depot", user="U0NEW", user_name="ben.ng")

    assert answer.text.startswith("Clocked in 07:58 at depot.")
    ben = store.find_worker_by_slack("T0ACME", "U0NEW")
    assert ben is not None
    assert (ben.org_id, ben.name, ben.role, ben.state.status) == ("acme", "ben.ng", Role.WORKER, Status.ON_SHIFT)


def test_an_enrolled_newcomer_is_no_manager(slack, org, store, manager):
    store.save_org(replace(org, auto_enroll_slack=True))

    answer = slack.command("/team", user="U0NEW")

    assert answer.text == "Only managers can do that."


def test_a_switched_off_worker_is_refused(slack, ana, store):
    store.update_worker(replace(ana, active=False), ana.version)

    answer = slack.command("/clockin")

    assert answer.text.startswith("Your Punchclock account is switched off.")
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF


SWITCHED_OFF = "Your Punchclock access is switched off. Ask your manager."
INACTIVE = "Your Punchclock account is switched off. Ask a manager if that is a mistake."


def _elsewhere(ddb, worker_id: str, **changes):  # type: ignore[no-untyped-def]
    """An admin changes a worker through another container: this one's cache still holds the old worker."""
    from core.store.dynamodb import DynamoStore
    from tests.conftest import TABLE

    other = DynamoStore(ddb, TABLE)
    current = other.get_worker(worker_id, fresh=True)
    return other.update_worker(replace(current, **changes), current.version)


def test_a_demoted_manager_loses_manager_tools_in_a_warm_container(slack, ana, manager, ddb, ses, fake_slack):
    from tests.integration.slack.test_report_email import click_email, replies, sent_emails

    # Given Mia used her manager tools, so this container has her cached as a manager
    assert slack.command("/team", user="U0MIA").text.startswith("On shift 0.")
    report = slack.command("/report", user="U0MIA")
    # When an admin demotes her elsewhere
    _elsewhere(ddb, "w-mia", role=Role.WORKER)

    # Then every manager tool refuses her at once
    assert slack.command("/team", user="U0MIA").text == "Only managers can do that."
    assert slack.command("/report", user="U0MIA").text == "Only managers can do that."
    invite = slack.command("/punch", "invite +1 555 010 7777 Dee Vance", user="U0MIA", timestamp=slack.later(3))
    assert invite.text == "Only managers can do that."
    click_email(slack, report)
    assert replies(fake_slack) == ["Only managers can do that."]
    assert sent_emails() == []


def test_a_deactivated_worker_is_refused_at_once_in_a_warm_container(slack, ana, ddb, store):
    from datetime import date

    # Given Ana's container knows her as active
    slack.command("/status")
    # When an admin switches her off elsewhere
    _elsewhere(ddb, "w-ana", active=False)

    # Then whatever she asks is refused (by the core, then by the door once it has cached her as
    # switched off), and nothing is written
    for command, text in [
        ("/status", ""),
        ("/timesheet", ""),
        ("/timesheet", "last week"),
        ("/clockin", ""),
        ("/expense", "12.50 fuel"),
        ("/punch", "hours today"),
    ]:
        answer = slack.command(command, text).text
        assert answer in (SWITCHED_OFF, INACTIVE), (command, text, answer)
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 11, 30)) == []
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF


def test_a_deactivated_managers_home_tab_shows_no_team(slack, ana, manager, ddb, fake_slack):
    from tests.integration.slack.fake_slack import view_text

    slack.command("/team", user="U0MIA")
    _elsewhere(ddb, "w-mia", active=False)

    slack.home_opened(user="U0MIA")

    home = view_text(fake_slack.homes_of("U0MIA")[-1])
    assert "Ana Lopez" not in home and "Team" not in home
    assert "switched off" in home


@pytest.mark.parametrize(
    ("command", "text"),
    [("/status", ""), ("/timesheet", ""), ("/punch", "hours last week"), ("/clockin", ""), ("/expense", "12.50 fuel")],
)
def test_the_first_command_after_a_switch_off_elsewhere_is_refused(slack, ana, ddb, store, command, text):
    from datetime import date

    # Given Ana's container knows her as active, and an admin switches her off elsewhere
    slack.command("/status")
    _elsewhere(ddb, "w-ana", active=False)

    # When her next command reaches the warm container
    answer = slack.command(command, text)

    # Then the core refuses it on the stored worker, and nothing is written
    assert answer.text == SWITCHED_OFF
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 11, 30)) == []
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF
