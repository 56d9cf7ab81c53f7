"""Route the notices a command produced to the people who should hear of them.

Slack first for people who have Slack, SMS otherwise; never SMS to a number that
opted out. A failed send is logged and never undoes what the user did.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from core.domain.model import Org, PendingCorrection, PunchKind, Role, Worker
from core.ports import Notice, Outcome, Store
from core.replies import Style, plain, render
from notifications.ports import SlackNotifier, SmsSender

log = logging.getLogger(__name__)


def text_worker(sms: SmsSender | None, worker: Worker, body: str) -> bool:
    """Text a worker unless they opted out or have no phone. True when sent."""
    if sms is None or not worker.phone or worker.sms_opted_out:
        return False
    sms.send(worker.phone, plain(body, 160))
    return True


def _managers(store: Store, org_id: str) -> list[Worker]:
    return [w for w in store.list_workers(org_id) if w.role is Role.MANAGER and w.active]


def _pending_from(notice: Notice) -> PendingCorrection:
    from datetime import datetime

    d = notice.data
    claimed = datetime.fromisoformat(d["claimed_at"])
    return PendingCorrection(
        org_id=notice.org_id,
        worker_id=notice.worker_id,
        event_id=d["event_id"],
        kind=PunchKind(d["kind"]),
        claimed_at=claimed,
        recorded_at=claimed,
        reason=d.get("reason") or "",
    )


def deliver(notices: Iterable[Notice], store: Store, slack: SlackNotifier | None, sms: SmsSender | None) -> None:
    for notice in notices:
        try:
            _deliver_one(notice, store, slack, sms)
        except Exception:  # a notice is best effort: the punch is already safe
            log.exception("notice not delivered", extra={"kind": notice.kind, "worker_id": notice.worker_id})


def _deliver_one(notice: Notice, store: Store, slack: SlackNotifier | None, sms: SmsSender | None) -> None:
    org = store.get_org(notice.org_id)
    worker = store.get_worker(notice.worker_id)
    if org is None or worker is None:
        return
    if notice.kind in ("state_changed", "expense_logged") and slack is not None and worker.slack_user_id:
        slack.publish_home(worker, org)
    elif notice.kind == "correction_requested":
        _ask_managers(_pending_from(notice), worker, org, store, slack, sms)
    elif notice.kind == "correction_decided":
        text = render(Outcome("correction_decided", notice.data), Style.SMS, worker.zone(org))
        if slack is not None and worker.slack_user_id:
            slack.tell(worker, text)
            slack.publish_home(worker, org)
        else:
            text_worker(sms, worker, text)
    elif notice.kind == "send_invite" and sms is not None:
        d = notice.data
        sms.send(d["phone"], f"{plain(org.name, 40)} invites you to Punchclock. Reply JOIN {d['code']} to start.")


def _ask_managers(
    pending: PendingCorrection,
    worker: Worker,
    org: Org,
    store: Store,
    slack: SlackNotifier | None,
    sms: SmsSender | None,
) -> None:
    for manager in _managers(store, org.org_id):
        if manager.worker_id == worker.worker_id:
            continue
        if slack is not None and manager.slack_user_id:
            slack.request_approval(manager, worker, pending, org)
            continue
        when = pending.claimed_at.astimezone(manager.zone(org)).strftime("%H:%M")
        what = "in" if pending.kind is PunchKind.CLOCK_IN else "out"
        text = (
            f"{plain(worker.name, 24)} asks to clock {what} at {when}: {plain(pending.reason, 40)}. "
            f"Reply APPROVE {pending.event_id[-4:]} or REJECT {pending.event_id[-4:]}."
        )
        text_worker(sms, manager, text)
