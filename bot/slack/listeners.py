"""What each Slack request does, as functions of the door and the request.

Ack path (`answer_*`, `press_*`, `decide`, `submit_*`): identify the user, one core call, the
reply. Nothing here calls Slack except `views.open`, which must use the trigger id within 3 s.
What others should hear of a change (managers' DMs, the worker's Home tab) is a notice the core
commits with it, delivered by the notify function. The lazy path does only the door's own
follow-ups, once per click (see `Door.once`): a Home tab after a refused button, the decided
DM's buttons replaced, a receipt copied, a report email queued, an opened Home tab drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from aws_lambda_powertools import Logger

from bot import metrics as door_metrics
from bot.slack import commands
from bot.slack.blocks import REPORT_ACTIONS, ephemeral, reply, report_reply, settled_message
from bot.slack.commands import Submission
from bot.slack.door import Door, slack_user
from bot.slack.identity import Member, Stranger
from bot.slack.modals import expense_modal, read_submission, receipt_file_id
from bot.slack.receipts import copy_receipt
from core import commands as c
from core.catalogue import LANGUAGES, in_language, say
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.periods import local_today, workday_of
from core.ports import Outcome
from core.replies import Style, render
from core.services.access import manager_now
from core.services.corrections import decide_correction
from core.services.dispatch import handle
from core.services.language import adopt_spoken, set_language
from core.services.reports import org_day, request_report_email
from core.services.timesheets import out_of_range
from notifications.interface import (
    APPROVE,
    CLOCK_IN,
    CLOCK_OUT,
    END_BREAK,
    REMINDER_OUT,
    START_BREAK,
    esc_echoed,
    stranger_home,
)

logger = Logger(child=True)

HOME_COMMANDS: dict[str, c.Command] = {
    CLOCK_IN: c.ClockIn(),
    START_BREAK: c.StartBreak(),
    END_BREAK: c.EndBreak(),
    CLOCK_OUT: c.ClockOut(),
}


def _note(
    message: str,
    member: Member | None,
    outcome: Outcome | None = None,
    *,
    code: str | None = None,
    ok: bool = False,
    **ids: object,
) -> None:
    """One structured line per request: ids and outcome codes only, never what people typed; the
    outcome (or the door's own answer, `code`, a refusal unless `ok`) counted for the operators
    (bot/metrics.py)."""
    if outcome is not None:
        code, ok = outcome.code, outcome.ok
    if code is not None:
        ids["outcome"] = code
        door_metrics.counted(code, ok)
    if member is not None:
        ids |= {"worker_id": member.worker.worker_id, "org_id": member.org.org_id}
    logger.info(message, extra=ids)


# ---------------------------------------------------------------------------------------------
# Slash commands


def answer_command(door: Door, body: dict[str, Any], headers: dict[str, Any], client: Any) -> dict[str, Any]:
    command, text = body.get("command", ""), body.get("text") or ""
    who = door.identify(body)
    if isinstance(who, Stranger):
        _note("slack command refused", None, code="stranger", command=command, linked=who.linked)
        return ephemeral(who.text)
    zone, now = who.worker.zone(who.org), door.ports.clock.now()
    if command == "/expense" and not text.strip():
        with in_language(who.worker.speaks):
            view = expense_modal(who.org, local_today(zone, now))
        client.views_open(trigger_id=body["trigger_id"], view=view)
        _note("slack expense modal opened", who, command=command)
        return {}
    if command == "/report":
        with in_language(who.worker.speaks):  # the report's words, in the manager's language
            return answer_report(door, who, text)
    cmd = commands.read(command, text)
    worker, switched = who.worker, False
    if not isinstance(cmd, c.SetLanguage):
        worker, switched = adopt_spoken(worker, commands.spoken(command, text), door.ports)
    outcome = commands.run(cmd, worker, who.org, Submission.of(body, headers), door.ports)
    _note("slack command", who, outcome, command=command)
    with in_language(worker.speaks):  # blocks too (the team board)
        return reply(outcome, zone, who.org, worker.speaks, switched)


def answer_report(door: Door, who: Member, text: str) -> dict[str, Any]:
    """Managers only, as stored now: a worker is refused before anything about the team is read."""
    manager = manager_now(who.worker, who.org, door.ports)
    if isinstance(manager, Outcome):
        _note("slack command", who, manager, command="/report")
        return reply(manager, who.worker.zone(who.org), who.org)
    day = commands.report_day(text, who.org, door.ports)
    if day is None:
        return ephemeral(say("report_day_unreadable", Style.SLACK))
    refused = out_of_range(workday_of(who.org, who.org.tz, door.ports.clock.now()), day)
    if refused is not None:
        return reply(refused, who.worker.zone(who.org), who.org)
    _note("slack command", who, code="report", ok=True, command="/report")
    return report_reply(org_day(who.org, day, door.ports), who.worker.zone(who.org))


# ---------------------------------------------------------------------------------------------
# Buttons


def action_origin(body: dict[str, Any]) -> Origin:
    """A click's delivery id: where it was clicked and its action_ts (one per click)."""
    action = body["actions"][0]
    container = body.get("container") or {}
    where = container.get("view_id") or container.get("message_ts") or ""
    sent = datetime.fromtimestamp(float(action.get("action_ts") or 0), UTC)
    return Origin(Channel.SLACK, delivery_id=f"act-{where}-{action.get('action_ts', '')}", sent_at=sent)


def press_home_button(door: Door, body: dict[str, Any]) -> None:
    who = door.identify(body)
    if isinstance(who, Stranger):
        return
    action_id = body["actions"][0]["action_id"]
    outcome = handle(HOME_COMMANDS[action_id], who.worker, who.org, action_origin(body), door.ports)
    _note("slack home button", who, outcome, action=action_id)


def choose_language(door: Door, body: dict[str, Any]) -> None:
    """The Home tab's language menu: stored as the worker's own choice, like `/punch idioma es`.
    The change commits a notice that redraws the Home tab in it; a value the menu never offered
    changes nothing."""
    who = door.identify(body, enroll=False)
    if isinstance(who, Stranger):
        return
    chosen = (body["actions"][0].get("selected_option") or {}).get("value")
    if chosen not in LANGUAGES:
        _note("slack language menu", who, code="language_unreadable")
        return
    _note("slack language menu", who, set_language(who.worker, chosen, door.ports))


def refresh_home(door: Door, body: dict[str, Any]) -> None:
    """After a Home button that changed nothing (a refusal), redraw the Home tab: it was out of date.
    A change republishes it through its notice. Once per click, however often Lambda runs this."""
    key = action_origin(body).delivery_key
    if key is not None and (door.stored_outcome(key) is not None or not door.once(f"home-refresh:{key}")):
        return
    publish_home_for(door, body)


def open_expense_modal(door: Door, body: dict[str, Any], client: Any) -> None:
    who = door.identify(body)
    if isinstance(who, Stranger):
        return
    today = local_today(who.worker.zone(who.org), door.ports.clock.now())
    with in_language(who.worker.speaks):
        view = expense_modal(who.org, today)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def decide(door: Door, body: dict[str, Any]) -> None:
    """A manager's Approve / Reject click: the button carries the pending correction's event id."""
    who = door.identify(body)
    if isinstance(who, Stranger):
        return
    action = body["actions"][0]
    approve = action["action_id"] == APPROVE
    outcome = decide_correction(who.worker, who.org, action.get("value"), approve, action_origin(body), door.ports)
    _note("slack correction decision", who, outcome, event_id=action.get("value"))


def settle_decision(door: Door, body: dict[str, Any], client: Any, respond: Callable[..., Any]) -> None:
    """A click that changed nothing (decided meanwhile): the DM says so instead of its buttons.
    A decision's notice updates every manager's DM about the item, the clicked one too (and tells
    the worker); a DM it does not know of (posted before they were kept) is updated here. A click
    that decided nothing while the item still waits (a refusal, or a failure of ours) keeps the
    buttons and says why."""
    key = action_origin(body).delivery_key
    outcome = door.stored_outcome(key)
    if key is None or not door.once(key):
        return
    if outcome is None and (not_decided := _not_decided(door, body)) is not None:
        respond(**ephemeral(not_decided), replace_original=False)
        return
    container = body.get("container") or {}
    message = body.get("message") or {}
    if outcome is None:
        note = say("decision_already_settled", Style.SLACK)
    else:
        item_id = str(body["actions"][0].get("value") or "")
        known = door.ports.store.approval_messages(item_id)
        if any(m.channel == container.get("channel_id") and m.ts == container.get("message_ts") for m in known):
            return
        who = door.identify(body, enroll=False)
        name = who.worker.name if isinstance(who, Member) else ""
        zone = who.worker.zone(who.org) if isinstance(who, Member) else UTC
        language = who.worker.speaks if isinstance(who, Member) else None
        decided = outcome.data.get("decision")
        now = door.ports.clock.now()
        note = say("decision_settled", Style.SLACK, language, zone=zone, decision=decided, name=name, at=now)
    client.chat_update(
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        text=f"{esc_echoed(str(message.get('text') or ''))} {note}".strip(),
        blocks=settled_message(message.get("blocks") or [], note),
    )


def _not_decided(door: Door, body: dict[str, Any]) -> str | None:
    """Why a click on an item that still waits decided nothing; None if it waits no more."""
    who = door.identify(body, enroll=False)
    if isinstance(who, Stranger):
        return who.text
    item_id = body["actions"][0].get("value")
    if not any(p.item_id == item_id for p in door.ports.store.pending_items(who.org.org_id)):
        return None
    refused = manager_now(who.worker, who.org, door.ports)
    if isinstance(refused, Outcome):
        return render(refused, Style.SLACK, who.worker.zone(who.org), who.worker.speaks)
    return say("apology", Style.SLACK, who.worker.speaks)  # it still waits: nothing recorded, trying again is safe


def answer_reminder(door: Door, body: dict[str, Any]) -> None:
    """A click under "Still clocked in?": clock out at the time offered (a correction the
    manager approves, reason "reminder"), or keep going (asked again after the threshold)."""
    who = door.identify(body)
    if isinstance(who, Stranger):
        return
    action = body["actions"][0]
    command: c.Command = c.Still()
    if action["action_id"] == REMINDER_OUT:
        offered = _offered_time(action.get("value"), who.worker.zone(who.org))
        if offered is None:
            return
        command = c.ClockOut(at=offered)
    outcome = handle(command, who.worker, who.org, action_origin(body), door.ports)
    _note("slack reminder answer", who, outcome, action=action["action_id"])


def _offered_time(value: object, zone: tzinfo) -> time | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(zone).time().replace(second=0, microsecond=0)
    except ValueError:
        return None


def settle_reminder(door: Door, body: dict[str, Any], client: Any) -> None:
    """The reminder DM shows the answer instead of its buttons (once per click)."""
    key = action_origin(body).delivery_key
    if key is None or not door.once(key):
        return
    who = door.identify(body, enroll=False)
    if isinstance(who, Stranger):
        return
    # A refusal stores no answer (nothing was written): show where the worker stands instead.
    outcome = door.stored_outcome(key) or handle(c.Status(), who.worker, who.org, action_origin(body), door.ports)
    note = render(outcome, Style.SLACK, who.worker.zone(who.org), who.worker.speaks)
    container = body.get("container") or {}
    message = body.get("message") or {}
    client.chat_update(
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        text=f"{esc_echoed(str(message.get('text') or ''))} {esc_echoed(note)}".strip(),
        blocks=settled_message(message.get("blocks") or [], esc_echoed(note)),
    )


def email_report(door: Door, body: dict[str, Any], respond: Callable[..., Any]) -> None:
    """After a click on "Email this report" (acked already): who clicked is checked again (a manager
    of the report's org), then the email is queued for the notify function, which renders and
    sends it and tells the manager; here the manager hears where it is going."""
    if not door.once(f"report-email:{action_origin(body).delivery_id}"):
        return  # Lambda delivered this click again: the first run answered
    respond(**ephemeral(_email_report(door, body)), replace_original=False)


def _email_report(door: Door, body: dict[str, Any]) -> str:
    who = door.identify(body, enroll=False)
    if isinstance(who, Stranger):
        return who.text
    action = body["actions"][0]
    manager = manager_now(who.worker, who.org, door.ports)
    if isinstance(manager, Outcome):
        _note("slack report email refused", who, manager)
        return render(manager, Style.SLACK, who.worker.zone(who.org), who.worker.speaks)
    who = Member(manager, who.org)
    if _report_org(action) != who.org.org_id:
        _note("slack report email refused", who, code="other_org")
        return say("report_other_org", Style.SLACK, who.worker.speaks)
    day = _iso_day(action.get("value"))
    if day is None:
        return say("report_button_stale", Style.SLACK, who.worker.speaks)
    recipients = [who.worker.email] if who.worker.email else list(who.org.manager_emails)
    if not recipients:
        _note("slack report email refused", who, code="no_address")
        return say("report_no_address", Style.SLACK, who.worker.speaks)
    if not door.settings.sender_email:
        _note("slack report email refused", who, code="email_not_configured")
        return say("email_not_set_up", Style.SLACK, who.worker.speaks)
    queued = request_report_email(who.worker, who.org, day, recipients, action_origin(body), door.ports)
    _note("slack report email", who, queued, day=day.isoformat(), recipients=len(recipients))
    return render(queued, Style.SLACK, who.worker.zone(who.org), who.worker.speaks)


def _report_org(action: dict[str, Any]) -> str | None:
    """The org a report button was shown for: its block id is `report_actions:<org id>`."""
    prefix, _, org_id = str(action.get("block_id") or "").partition(":")
    return org_id if prefix == REPORT_ACTIONS else None


def _iso_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# The expense modal


def view_origin(view: dict[str, Any]) -> Origin:
    """A modal's id: submitting the same modal twice is one submission."""
    return Origin(Channel.SLACK, delivery_id=f"view-{view['id']}")


def submit_expense(door: Door, body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """The `ack()` arguments: errors next to the fields, or nothing (closes the modal)."""
    who = door.identify(body)
    if isinstance(who, Stranger):
        return {"response_action": "errors", "errors": {"amount": who.text[:150]}}
    zone = who.worker.zone(who.org)
    with in_language(who.worker.speaks):
        read = read_submission(view, who.org, local_today(zone, door.ports.clock.now()))
    if isinstance(read, dict):
        return {"response_action": "errors", "errors": read}
    outcome = handle(read, who.worker, who.org, view_origin(view), door.ports)
    _note("slack expense submitted", who, outcome)
    if not outcome.ok:
        return {
            "response_action": "errors",
            "errors": {"amount": render(outcome, Style.SLACK, zone, who.worker.speaks)},
        }
    return {}


def file_receipt(door: Door, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Copy the receipt, then DM the worker what was logged (the modal closed without a word)."""
    key = view_origin(view).delivery_key
    outcome = door.stored_outcome(key)
    if key is None or outcome is None or not door.once(key):
        return
    who = door.identify(body, enroll=False)
    if not isinstance(who, Member):
        return
    data = dict(outcome.data)
    file_id = receipt_file_id(view)
    failed = ""
    if file_id:
        try:
            copy_receipt(door, who.worker, data["expense_id"], date.fromisoformat(data["spent_on"]), file_id)
            data["receipt"] = True
        except Exception:  # the expense is safe; only the copy failed
            logger.exception("receipt not copied", extra={"expense_id": data.get("expense_id"), "file_id": file_id})
            failed = " " + say("receipt_not_saved", Style.SLACK, who.worker.speaks)
    text = render(Outcome(outcome.code, data), Style.SLACK, who.worker.zone(who.org), who.worker.speaks) + failed
    door.notifier.tell(who.worker, text)


# ---------------------------------------------------------------------------------------------
# Events


def publish_home_on_open(door: Door, body: dict[str, Any]) -> None:
    """app_home_opened: one publish per event id, whatever Slack's retries (X-Slack-Retry-Num)."""
    event = body.get("event") or {}
    if event.get("tab") != "home" or not door.once(f"event-{body.get('event_id')}"):
        return
    publish_home_for(door, body)


def publish_home_for(door: Door, body: dict[str, Any]) -> None:
    who = door.identify(body, enroll=False)
    if isinstance(who, Member):
        door.notifier.publish_home(who.worker, who.org)
        return
    _, user_id, _ = slack_user(body)
    if user_id:
        door.notifier.publish_view(user_id, stranger_home(who.text))
