"""Who is asking: a Slack user becomes a worker of an org, or a polite refusal that writes nothing.

- A known, active user: their worker and org (worker and Slack id are cached by the store,
  the org here, so a warm container resolves a known user with no DynamoDB call).
- An unknown user of a linked workspace: enrolled as a worker when `org.auto_enroll_slack`
  (one conditional write), otherwise told to ask a manager.
- A workspace linked to no org: told so; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.catalogue import say
from core.domain.model import Org, Worker
from core.replies import Style
from core.services.enrollment import enroll_slack_user
from core.services.ports import Ports


@dataclass(frozen=True)
class Member:
    worker: Worker
    org: Org


@dataclass(frozen=True)
class Stranger:
    """Someone Punchclock will not act for; `text` tells them why and what to do."""

    text: str
    linked: bool


def resolve(team_id: str, user_id: str, name: str | None, ports: Ports, *, enroll: bool = True) -> Member | Stranger:
    """The member behind a Slack user; `enroll=False` for passive events (opening the Home tab)."""
    worker = ports.store.find_worker_by_slack(team_id, user_id)
    if worker is not None:
        org = ports.store.get_org(worker.org_id)  # cached a minute by the store
        if org is None:
            return Stranger(say("workspace_not_linked", Style.SLACK, team_id=team_id), linked=False)
        if not worker.active:
            return Stranger(say("account_off", Style.SLACK), linked=True)
        return Member(worker, org)
    org = ports.store.find_org_by_slack_team(team_id)
    if org is None:
        return Stranger(say("workspace_not_linked", Style.SLACK, team_id=team_id), linked=False)
    if not enroll and org.auto_enroll_slack:
        return Stranger(say("join_by_command", Style.SLACK), linked=True)
    if enroll:
        enrolled = enroll_slack_user(org, team_id, user_id, (name or user_id)[:100], ports)
        if enrolled is not None:
            return Member(enrolled, org)
    return Stranger(say("not_enrolled", Style.SLACK, user_id=user_id), linked=True)
