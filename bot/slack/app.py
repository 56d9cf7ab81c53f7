"""The Bolt app: which Slack request goes to which listener, in the ack path or lazily.

`process_before_response=True`: Lambda stops when it answers, so every listener finishes before
the response and slow work is handed to lazy listeners (Bolt re-invokes this function
asynchronously). `authorize` is ours, so no request and no cold start ever calls `auth.test`.
Any listener error is logged with ids and answered with a short apology, never a stack trace (for a
command that may have changed something, one that does not claim it did not: the catalogue's "error").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools import Logger
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_bolt.authorization import AuthorizeResult

from bot import metrics as door_metrics
from bot.slack import commands, listeners
from bot.slack.blocks import EXPENSE_MODAL, REPORT_EMAIL, ephemeral
from bot.slack.door import Door
from core.catalogue import say
from core.ports import Outcome
from core.replies import Style, render
from notifications.interface import (
    APPROVE,
    CHOOSE_LANGUAGE,
    CLOCK_IN,
    CLOCK_OUT,
    END_BREAK,
    LOG_EXPENSE,
    REJECT,
    REMINDER_OUT,
    REMINDER_STILL,
    START_BREAK,
    web_client,
)

logger = Logger(child=True)

UTC_ZONE = ZoneInfo("UTC")  # an apology names no time

REMINDER_ANSWERS = re.compile("^(" + re.escape(REMINDER_OUT) + "|" + re.escape(REMINDER_STILL) + ")$")
HOME_BUTTONS = re.compile("^(" + "|".join(re.escape(a) for a in (CLOCK_IN, START_BREAK, END_BREAK, CLOCK_OUT)) + ")$")
DECISIONS = re.compile("^(" + re.escape(APPROVE) + "|" + re.escape(REJECT) + ")$")

# Bolt logs request bodies at INFO/DEBUG (e.g. on a bad signature): keep its loggers at WARNING.
_bolt_logger = logging.getLogger("punchclock.slack.bolt")
_bolt_logger.setLevel(logging.WARNING)


def _authorizer(bot_token: str) -> Callable[..., AuthorizeResult]:
    def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, bot_token=bot_token)

    return authorize


def _acknowledge(ack: Ack) -> None:
    ack()


def _safely(what: str, work: Callable[[], Any]) -> Any:
    """The listener's result, or None after logging the error with its ids (never the text)."""
    try:
        return work()
    except Exception:
        logger.exception("slack listener failed", extra={"listener": what})
        door_metrics.failed()
        return None


def _failed(command: str) -> str:
    """What a person hears when their command failed on our side. A change may have been recorded
    before the failure (its answer lost on the way back): never "try again" for one of those."""
    if command in commands.READING:
        return say("apology", Style.SLACK)
    return render(Outcome("error", ok=False), Style.SLACK, UTC_ZONE)


def build_app(door: Door) -> App:
    app = App(
        name="punchclock",
        logger=_bolt_logger,
        process_before_response=True,
        signing_secret=door.secrets.signing_secret,
        client=web_client(None, door.settings.slack_api_url),  # the token comes from authorize, per request
        authorize=_authorizer(door.secrets.bot_token),
    )
    _slash_commands(app, door)
    _buttons(app, door)
    _expense_modal(app, door)
    _events(app, door)
    return app


def _slash_commands(app: App, door: Door) -> None:
    """Every command is answered in the ack: what others should hear goes out through the outbox."""

    def answer_command(ack: Ack, body: dict[str, Any], request: BoltRequest, client: Any) -> None:
        answer = _safely("command", lambda: listeners.answer_command(door, body, request.headers, client))
        ack(**(answer if answer is not None else ephemeral(_failed(body.get("command", "")))))

    for name in commands.ALL:
        app.command(name)(answer_command)


def _buttons(app: App, door: Door) -> None:
    """App Home's buttons, Approve / Reject in a manager's DM, and "Email this report"."""

    def press_home_button(ack: Ack, body: dict[str, Any]) -> None:
        _safely("home button", lambda: listeners.press_home_button(door, body))
        ack()

    def refresh_home(body: dict[str, Any]) -> None:
        _safely("home refresh", lambda: listeners.refresh_home(door, body))

    def choose_language(ack: Ack, body: dict[str, Any]) -> None:
        _safely("language menu", lambda: listeners.choose_language(door, body))
        ack()

    def open_expense_modal(ack: Ack, body: dict[str, Any], client: Any) -> None:
        _safely("expense modal", lambda: listeners.open_expense_modal(door, body, client))
        ack()

    def decide(ack: Ack, body: dict[str, Any]) -> None:
        _safely("decision", lambda: listeners.decide(door, body))
        ack()

    def settle_decision(body: dict[str, Any], client: Any, respond: Respond) -> None:
        _safely("decision follow-up", lambda: listeners.settle_decision(door, body, client, respond))

    def answer_reminder(ack: Ack, body: dict[str, Any]) -> None:
        _safely("reminder answer", lambda: listeners.answer_reminder(door, body))
        ack()

    def settle_reminder(body: dict[str, Any], client: Any) -> None:
        _safely("reminder follow-up", lambda: listeners.settle_reminder(door, body, client))

    def email_report(body: dict[str, Any], respond: Respond) -> None:
        _safely("report email", lambda: listeners.email_report(door, body, respond))

    app.action(HOME_BUTTONS)(ack=press_home_button, lazy=[refresh_home])
    app.action(LOG_EXPENSE)(open_expense_modal)
    app.action(CHOOSE_LANGUAGE)(choose_language)  # the Home tab redraws through the change's notice
    app.action(DECISIONS)(ack=decide, lazy=[settle_decision])
    # "Still clocked in?": the answer is a command like any other, then the DM shows what it did.
    app.action(REMINDER_ANSWERS)(ack=answer_reminder, lazy=[settle_reminder])
    # Acked at once: who clicked is checked in the lazy run, which reads the day and sends the email.
    app.action(REPORT_EMAIL)(ack=_acknowledge, lazy=[email_report])


def _expense_modal(app: App, door: Door) -> None:
    def submit_expense(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        answer = _safely("expense submission", lambda: listeners.submit_expense(door, body, view))
        if answer is None:
            answer = {"response_action": "errors", "errors": {"amount": say("apology", Style.SLACK)}}
        ack(**answer)

    def file_receipt(body: dict[str, Any], view: dict[str, Any]) -> None:
        _safely("expense follow-up", lambda: listeners.file_receipt(door, body, view))

    app.view(EXPENSE_MODAL)(ack=submit_expense, lazy=[file_receipt])


def _events(app: App, door: Door) -> None:
    def publish_home(body: dict[str, Any]) -> None:
        _safely("home opened", lambda: listeners.publish_home_on_open(door, body))

    app.event("app_home_opened")(ack=_acknowledge, lazy=[publish_home])
