"""Who may act: known workers, auto-enrolled newcomers of a linked workspace, nobody else."""

from __future__ import annotations

from dataclasses import replace

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
