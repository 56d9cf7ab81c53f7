"""Managers decide pending corrections; the decision is an event, the worker hears of it."""

from __future__ import annotations

from core.domain import transitions as t
from core.domain.ids import new_id
from core.domain.model import Channel, CorrectionDecision, Decision, Org, PendingCorrection, Worker
from core.ports import Change, Conflict, DuplicateDelivery, Notice, NoticeKind, Outcome
from core.services import deliveries
from core.services.access import manager_now
from core.services.ports import Ports


def short_ref(event_id: str) -> str:
    """What a manager types to pick a correction by reply: the id's last four characters."""
    return event_id[-4:]


def pending_for(org: Org, ports: Ports) -> list[PendingCorrection]:
    return sorted(ports.store.pending_corrections(org.org_id), key=lambda p: p.recorded_at)


def _pick(pending: list[PendingCorrection], ref: str | None) -> PendingCorrection | Outcome:
    if not pending:
        return Outcome("nothing_pending", ok=False)
    if ref is None:
        if len(pending) == 1:
            return pending[0]
        return Outcome("which_correction", {"refs": [short_ref(p.event_id) for p in pending[:5]]}, ok=False)
    found = [p for p in pending if p.event_id == ref or short_ref(p.event_id) == ref.lower()]
    if len(found) != 1:
        return Outcome("which_correction", {"refs": [short_ref(p.event_id) for p in pending[:5]]}, ok=False)
    return found[0]


def decide_correction(
    manager: Worker, org: Org, ref: str | None, approve: bool, origin: t.Origin, ports: Ports
) -> Outcome:
    # Read fresh: a cached role could be minutes old, and approving is a manager's power.
    current = manager_now(manager, org, ports)
    if isinstance(current, Outcome):
        return current
    manager = current
    picked = _pick(pending_for(org, ports), ref)
    if isinstance(picked, Outcome):
        # The same request delivered again finds the correction it decided gone: answer as then.
        return deliveries.stored_answer(origin, ports) or picked
    if picked.worker_id == manager.worker_id:
        return Outcome("own_correction", ok=False)
    now = ports.clock.now()
    decision = CorrectionDecision(
        event_id=new_id(now),
        worker_id=picked.worker_id,
        org_id=org.org_id,
        target_event_id=picked.event_id,
        decision=Decision.APPROVED if approve else Decision.REJECTED,
        decided_by=manager.worker_id,
        decided_at=now,
        channel=origin.channel,
    )
    data = {
        "decision": decision.decision.value,
        "worker_id": picked.worker_id,
        "event_id": picked.event_id,
        "kind": picked.kind.value,
        "claimed_at": t.iso(picked.claimed_at),
        "recorded_at": t.iso(picked.recorded_at),
    }
    outcome = Outcome("correction_decided", data)
    # The worker hears of it where they asked (by text: by text), and in Slack if they have it.
    notice = Notice(
        NoticeKind.CORRECTION_DECIDED,
        org.org_id,
        picked.worker_id,
        {**data, "decided_by": manager.worker_id},
        new_id(now),
        picked.channel.value if picked.channel else None,
    )
    key = origin.delivery_key
    change = Change(org_id=org.org_id, decision=decision, closed=picked, notices=(notice,))
    try:
        ports.store.commit(change, (key, outcome) if key else None)
    except DuplicateDelivery as dup:
        return dup.outcome
    except Conflict:
        return Outcome("already_decided", ok=False)
    return outcome


def self_approve(event_id: str, worker: Worker, org: Org, ports: Ports) -> Outcome:
    """A correction asked by an org's only manager, with no other manager to ask: approved in their
    own name and flagged `self_approved` in every report and timesheet, so it is never lost and
    never passes unseen. Nothing changes if it was decided meanwhile."""
    picked = next((p for p in ports.store.pending_corrections(org.org_id) if p.event_id == event_id), None)
    if picked is None or picked.worker_id != worker.worker_id:
        return Outcome("already_decided", ok=False)
    now = ports.clock.now()
    decision = CorrectionDecision(
        event_id=new_id(now),
        worker_id=worker.worker_id,
        org_id=org.org_id,
        target_event_id=picked.event_id,
        decision=Decision.APPROVED,
        decided_by=worker.worker_id,
        decided_at=now,
        channel=Channel.SYSTEM,
        note="self-approved: no other manager",
    )
    try:
        ports.store.commit(Change(org_id=org.org_id, decision=decision, closed=picked))
    except Conflict:
        return Outcome("already_decided", ok=False)
    return Outcome("correction_decided", {"decision": decision.decision.value, "event_id": picked.event_id})
