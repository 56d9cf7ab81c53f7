"""Deliver one notice from the outbox: who hears of it, on which channel, each message sent once.

A notice is written in the same transaction as the change it reports (core/store/item_store.py)
and reaches this module through the table's stream (notifications/notify_handler.py), after the
door has answered. It is delivered at least once; each message (one notice, one person, one
channel) is sent once: `begin_send` leases it, `finish_send` records it sent, a failure gives
the lease back and raises, so only what did not go is retried.

Who hears what, on the channels they have:
- the worker's Slack Home tab follows their state and expenses (Slack only);
- managers are asked to decide a correction or an expense by Slack DM with buttons, else by text,
  each showing the item's number in that manager's view; an item of an org's only manager, with
  nobody else to ask, is self-approved and flagged in reports;
- the worker hears the decision where they asked (asked by text: a text) and in Slack if linked,
  and every manager's DM about the item is updated to say who decided and when (no buttons left);
- an invited phone gets its JOIN code by text; a manager's report goes by email, then a DM;
- a worker enrolled from Slack reads their Slack locale's language (asked of Slack here, once);
- an expense in a budgeted category may reach 80% or 100% of its month's budget: that check runs
  here, off the request path (core/services/budgets.py), and commits one BUDGET_ALERT notice,
  which reaches each manager once, by Slack DM, else by text.
Nobody gets a message on a channel they have no identity on, and no text goes to a number that
opted out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from core.catalogue import say
from core.domain.model import DEFAULT_LANGUAGE, Channel, Org, Role, Worker
from core.ports import ApprovalMessage, Notice, NoticeKind, Outcome, SendSlot
from core.replies import Style, plain, render
from core.services.budgets import alert_if_reached
from core.services.corrections import item_data, numbered, self_approve
from core.services.language import adopt_locale
from core.services.ports import Ports
from notifications.ports import SlackNotifier
from notifications.receipts import links_for
from notifications.senders import Senders
from notifications.slack_views import REMINDER_OUT, REMINDER_STILL

log = logging.getLogger(__name__)

# Notices an org sends with no worker behind them (a scheduled report, a budget alert).
ORG_NOTICES = frozenset((NoticeKind.REPORT_EMAIL, NoticeKind.BUDGET_ALERT))
SEND_LEASE = timedelta(seconds=30)  # longer than any one send takes; a sender that died frees it after
APPROVAL_DM_KEPT = timedelta(days=90)  # where a manager's approval DM is: longer than anything waits


class NoticeNotDelivered(Exception):
    """Some messages of a notice did not go: the notify function reports the record failed (retry)."""

    def __init__(self, notice_id: str, failed: list[str]) -> None:
        super().__init__(f"notice {notice_id}: {len(failed)} message(s) not sent")
        self.failed = failed


@dataclass(frozen=True)
class Message:
    """One notice to one person on one channel."""

    recipient: str  # a worker id, or a phone / address for people who are not workers yet
    channel: str  # slack_home | slack_dm | sms | email
    send: Callable[[], object]
    after_the_rest: bool = False  # sent only when every message before it went (a confirmation)


def deliver(notice: Notice, ports: Ports, senders: Senders) -> int:
    """Send what `notice` asks for; the number of messages sent now. Raises NoticeNotDelivered."""
    org = ports.store.get_org(notice.org_id)
    worker = ports.store.get_worker(notice.worker_id, fresh=True) if notice.worker_id else None
    if org is None or (worker is None and notice.kind not in ORG_NOTICES):
        log.warning("notice for a worker or org that is gone", extra={"notice_id": notice.notice_id})
        return 0
    sent, failed = 0, list[str]()
    for message in _messages(notice, worker, org, ports, senders):
        if message.after_the_rest and failed:
            break
        key = f"{notice.notice_id}:{message.recipient}:{message.channel}"
        now = ports.clock.now()
        slot = ports.store.begin_send(key, now, SEND_LEASE)
        if slot is SendSlot.SENT:
            continue
        if slot is SendSlot.BUSY:  # another delivery is sending it, or died doing so: retry after its lease
            failed.append(key)
            continue
        try:
            message.send()
        except Exception:
            ports.store.abandon_send(key)
            log.exception(
                "notice message not sent",
                extra={"notice_id": notice.notice_id, "kind": notice.kind.value, "channel": message.channel},
            )
            failed.append(key)
            continue
        _record_sent(notice, message, key, ports)
        sent += 1
    if failed:
        raise NoticeNotDelivered(notice.notice_id, failed)
    return sent


def _record_sent(notice: Notice, message: Message, key: str, ports: Ports) -> None:
    """It went: record that. If the record cannot be written, it went all the same: failing the
    notice would have it retried and, once the lease runs out, sent a second time."""
    try:
        ports.store.finish_send(key, ports.clock.now())
    except Exception:
        log.warning(
            "notice message sent but not recorded as sent",
            exc_info=True,
            extra={"notice_id": notice.notice_id, "kind": notice.kind.value, "channel": message.channel},
        )


def _messages(notice: Notice, worker: Worker | None, org: Org, ports: Ports, senders: Senders) -> Iterator[Message]:
    if notice.kind is NoticeKind.REPORT_EMAIL:  # an org may send it with no worker (scheduled)
        yield from _report_email(notice, worker, org, ports, senders)
        return
    if notice.kind is NoticeKind.BUDGET_ALERT:  # an org's notice: no worker
        yield from _budget_alert(notice, org, ports, senders)
        return
    assert worker is not None
    match notice.kind:
        case NoticeKind.STATE_CHANGED:
            yield from _home(worker, org, senders)
        case NoticeKind.EXPENSE_LOGGED:
            # Before the Home tab: a failed send retries the notice, and the check is idempotent.
            alert_if_reached(notice, org, ports)
            yield from _home(worker, org, senders)
        case NoticeKind.CORRECTION_REQUESTED | NoticeKind.EXPENSE_SUBMITTED:
            yield from _ask_managers(notice, worker, org, ports, senders)
        case NoticeKind.CORRECTION_DECIDED | NoticeKind.EXPENSE_DECIDED:
            yield from _tell_decision(notice, worker, org, senders)
            yield from _settle_approvals(notice, org, ports, senders)
        case NoticeKind.SEND_INVITE:
            yield from _invite(notice, org, senders)
        case NoticeKind.REMINDER:
            yield from _remind(notice, worker, org, senders)
        case NoticeKind.SLACK_ENROLLED:
            yield from _adopt_slack_locale(worker, ports, senders)


def _home(worker: Worker, org: Org, senders: Senders) -> Iterator[Message]:
    slack = senders.slack
    if slack is not None and worker.slack_user_id:
        yield Message(worker.worker_id, "slack_home", lambda: slack.publish_home(worker, org))


def text_message(senders: Senders, person: Worker, body: str) -> Message | None:
    """A text to a worker who has a phone and did not opt out, when texts can be sent here."""
    sms = senders.sms(None)
    if sms is None or not person.phone or person.sms_opted_out:
        return None
    phone = person.phone
    return Message(person.worker_id, "sms", lambda: sms.send(phone, plain(body, 160)))


def _ask_managers(notice: Notice, worker: Worker, org: Org, ports: Ports, senders: Senders) -> Iterator[Message]:
    """Each other active manager is asked: by Slack DM with buttons, else by text, with the item's
    number in their own view. Nothing is asked once the item was decided (it waits no more)."""
    item_id = str(notice.data.get("event_id") or notice.data.get("expense_id") or "")
    items = ports.store.pending_items(org.org_id)
    item = next((p for p in items if p.item_id == item_id), None)
    if item is None:
        log.info("an item was decided before its managers were asked", extra={"notice_id": notice.notice_id})
        return
    workers = ports.store.list_workers(org.org_id)
    managers = [w for w in workers if w.role is Role.MANAGER and w.active and w.worker_id != worker.worker_id]
    if not managers:
        if worker.is_manager:  # the org's only manager: never lost, never unseen
            outcome = self_approve(item_id, worker, org, ports)
            log.info("item self-approved", extra={"notice_id": notice.notice_id, "outcome": outcome.code})
        else:
            log.warning("no manager to ask about an item", extra={"notice_id": notice.notice_id})
        return
    for manager in managers:
        listed, _ = numbered(manager.worker_id, org, ports, items, workers)
        number = next((entry.number for entry in listed if entry.item.item_id == item_id), None)
        data = item_data(item, worker.name, number, ports.clock.now())
        if senders.slack is not None and manager.slack_user_id:
            yield Message(manager.worker_id, "slack_dm", _approval_request(senders.slack, manager, data, org, ports))
            continue
        text = text_message(
            senders, manager, say("approval_request", Style.SMS, manager.speaks, zone=manager.zone(org), **data)
        )
        if text is not None:
            yield text


def _approval_request(
    slack: SlackNotifier, manager: Worker, data: dict[str, Any], org: Org, ports: Ports
) -> Callable[[], object]:
    def send() -> None:
        posted = slack.request_approval(manager, data, manager.zone(org))
        if posted is not None:  # kept, to show every manager's DM decided once one of them decides
            until = ports.clock.now() + APPROVAL_DM_KEPT
            message = ApprovalMessage(str(data["item_id"]), manager.worker_id, *posted, number=data.get("number"))
            ports.store.remember_approval_message(message, until)

    return send


def _tell_decision(notice: Notice, worker: Worker, org: Org, senders: Senders) -> Iterator[Message]:
    asked_by_text = notice.channel == Channel.SMS.value
    slack = senders.slack
    on_slack = slack is not None and bool(worker.slack_user_id)
    if asked_by_text or not on_slack:
        said = render(Outcome("decision_told", notice.data), Style.SMS, worker.zone(org), worker.speaks)
        text = text_message(senders, worker, said)
        if text is not None:
            yield text
    if slack is not None and worker.slack_user_id:
        said = render(Outcome("decision_told", notice.data), Style.SLACK, worker.zone(org), worker.speaks)
        yield Message(worker.worker_id, "slack_dm", lambda: slack.tell(worker, said))
        yield from _home(worker, org, senders)


def _settle_approvals(notice: Notice, org: Org, ports: Ports, senders: Senders) -> Iterator[Message]:
    """Every manager's DM about the decided item now says who decided and when, and has no buttons."""
    slack = senders.slack
    item_id = str(notice.data.get("item_id") or "")
    if slack is None or not item_id:
        return
    posted = ports.store.approval_messages(item_id)
    if not posted:
        return
    managers = {w.worker_id: w for w in ports.store.list_workers(org.org_id)}
    for dm in posted:
        shown = {**notice.data, "number": dm.number}
        manager = managers.get(dm.manager_id)
        zone, language = (manager.zone(org), manager.speaks) if manager else (org.tz, DEFAULT_LANGUAGE)
        yield Message(dm.manager_id, "slack_settle", _settle(slack, dm, shown, zone, language))


def _settle(
    slack: SlackNotifier, dm: ApprovalMessage, shown: dict[str, Any], zone: ZoneInfo, language: str
) -> Callable[[], object]:
    return lambda: slack.settle_approval(dm.channel, dm.ts, shown, zone, language)


def _invite(notice: Notice, org: Org, senders: Senders) -> Iterator[Message]:
    sms = senders.sms(None)
    phone, code = str(notice.data.get("phone") or ""), str(notice.data.get("code") or "")
    if sms is None or not phone or not code:
        log.error("an invite cannot be texted here", extra={"notice_id": notice.notice_id})
        return
    body = say("invite", Style.SMS, org=org.name, code=code)
    yield Message(phone, "sms", lambda: sms.send(phone, body))


def _report_email(notice: Notice, worker: Worker | None, org: Org, ports: Ports, senders: Senders) -> Iterator[Message]:
    """A report by email: the daily summary (a manager's button, the CLI, the schedule) or the weekly
    timesheet (the CLI, the schedule), rendered now from the table. A manager who asked from
    Slack hears when it went."""
    recipients = [str(r) for r in notice.data.get("recipients") or []]
    email = senders.email
    if email is None or not recipients:
        log.error("a report email cannot be sent here", extra={"notice_id": notice.notice_id})
        return
    link = links_for(senders.receipts, org.org_id)
    if notice.data.get("report") == "weekly":
        from notifications.weekly_report import email_weekly_report  # deferred: only report emails render one

        week = date.fromisoformat(str(notice.data["week_start"]))
        yield Message(
            ",".join(recipients), "email", lambda: email_weekly_report(org, week, recipients, ports, email, link)
        )
        return
    from notifications.daily_report import email_daily_report  # deferred: only report emails render one

    day = date.fromisoformat(str(notice.data["day"]))
    yield Message(",".join(recipients), "email", lambda: email_daily_report(org, day, recipients, ports, email, link))
    slack = senders.slack
    if slack is not None and worker is not None and worker.slack_user_id:
        done = say("report_emailed", Style.SLACK, worker.speaks, day=day.isoformat(), to=", ".join(recipients))
        yield Message(worker.worker_id, "slack_dm", lambda: slack.tell(worker, done), after_the_rest=True)


def _remind(notice: Notice, worker: Worker, org: Org, senders: Senders) -> Iterator[Message]:
    """A reminder goes where the worker is: a Slack DM with its answers as buttons when they are
    on Slack, else a text (never to a number that opted out). An unreachable worker is logged."""
    code = f"reminder.{notice.data.get('reminder')}"
    zone, language = worker.zone(org), worker.speaks
    slack = senders.slack
    if slack is not None and worker.slack_user_id:
        text = say(code, Style.SLACK, language, zone=zone, **notice.data)
        buttons = _reminder_buttons(notice, zone, language)
        yield Message(worker.worker_id, "slack_dm", lambda: slack.remind(worker, text, buttons))
        yield from _home(worker, org, senders)
        return
    message = text_message(senders, worker, say(code, Style.SMS, language, zone=zone, **notice.data))
    if message is None:
        log.warning("a reminder reaches nobody", extra={"notice_id": notice.notice_id, "worker_id": worker.worker_id})
        return
    yield message


def _adopt_slack_locale(worker: Worker, ports: Ports, senders: Senders) -> Iterator[Message]:
    """A worker just enrolled from Slack reads their Slack locale's language, unless they chose one:
    Slack is asked once (`users.info`), the language stored (which redraws their Home tab in it),
    then they are told, in it, why and how to switch back. Only a language other than the default
    is worth a message: the first reply they saw was in the default one."""
    slack = senders.slack
    user_id = worker.slack_user_id
    if slack is None or not user_id:
        return
    yield Message(worker.worker_id, "slack_locale", lambda: adopt_locale(worker, slack.locale_of(user_id), ports))
    # Read again: on a retry of this notice the locale was read and stored by an earlier delivery.
    now = ports.store.get_worker(worker.worker_id, fresh=True)
    if now is not None and now.language not in (None, DEFAULT_LANGUAGE):
        said = say("language_from_slack", Style.SLACK, now.speaks)
        yield Message(now.worker_id, "slack_dm", lambda: slack.tell(now, said))


def _budget_alert(notice: Notice, org: Org, ports: Ports, senders: Senders) -> Iterator[Message]:
    """Each active manager hears it once: a Slack DM when they are on Slack, else a text (never to
    a number that opted out). A manager nobody can reach is logged."""
    outcome = Outcome("budget_alert", notice.data)
    slack = senders.slack
    for manager in _managers(org, ports):
        zone, language = manager.zone(org), manager.speaks
        if slack is not None and manager.slack_user_id:
            said = render(outcome, Style.SLACK, zone, language)
            yield Message(manager.worker_id, "slack_dm", _tell(slack, manager, said))
            continue
        text = text_message(senders, manager, render(outcome, Style.SMS, zone, language))
        if text is None:
            log.warning("a budget alert reaches a manager nowhere", extra={"notice_id": notice.notice_id})
            continue
        yield text


def _managers(org: Org, ports: Ports) -> list[Worker]:
    return [w for w in ports.store.list_workers(org.org_id) if w.role is Role.MANAGER and w.active]


def _tell(slack: SlackNotifier, person: Worker, text: str) -> Callable[[], object]:
    return lambda: slack.tell(person, text)


def _reminder_buttons(notice: Notice, zone: tzinfo, language: str) -> list[tuple[str, str, str]]:
    if notice.data.get("reminder") != "forgot_clock_out":
        return []
    at = str(notice.data.get("suggested_out") or "")
    return [
        (say("button.reminder_out", Style.SLACK, language, zone=zone, at=at), REMINDER_OUT, at),
        (say("button.still", Style.SLACK, language), REMINDER_STILL, notice.data.get("shift_id") or "still"),
    ]
