"""What the doors in (bot/) may use of the doors out: the one way from `bot` into `notifications`.

Everything a person should hear about a change goes through the outbox (a notice committed with
the change, core/ports.py), never through here. What remains is the doors' own answers:
- the Slack door draws its replies with the same Block Kit as the notify side, and answers an
  opened App Home tab (a view of the person asking, like a reply);
- the AWS two-way SMS door answers a text by sending one (it has no TwiML to reply with);
- the CLI shows a report email as it would be sent (`punchclock report ...` without --send).
The import contracts in pyproject.toml allow `bot -> notifications.interface` and nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from core.domain.model import Org
from core.domain.schedule import Job
from core.services.ports import Ports
from core.settings import Settings
from notifications.ports import SmsSender
from notifications.slack_home import home_view, stranger_home
from notifications.slack_views import (
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
    Block,
    button,
    capped,
    context,
    esc,
    esc_echoed,
    local_time,
    section,
    slack_words,
    team_blocks,
)

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from notifications.report_html import ReportEmail
    from notifications.slack import SlackWebNotifier

__all__ = [
    "APPROVE",
    "CHOOSE_LANGUAGE",
    "CLOCK_IN",
    "CLOCK_OUT",
    "END_BREAK",
    "LOG_EXPENSE",
    "REJECT",
    "REMINDER_OUT",
    "REMINDER_STILL",
    "START_BREAK",
    "Block",
    "button",
    "capped",
    "context",
    "esc",
    "esc_echoed",
    "home_view",
    "local_time",
    "render_report",
    "section",
    "slack_notifier",
    "slack_words",
    "sms_reply_sender",
    "stranger_home",
    "team_blocks",
    "web_client",
]


def sms_reply_sender(settings: Settings, provider: str, origination: str | None) -> SmsSender | None:
    """How a door that cannot answer in its response sends its reply: from the number texted."""
    from notifications.sms import sms_sender  # deferred: Twilio's client only where a text is sent

    return sms_sender(settings, origination, provider)


def slack_notifier(settings: Settings, ports: Ports) -> SlackWebNotifier | None:
    """The Web API client the notify side uses, for a door answering with a view (App Home)."""
    from notifications.slack import slack_notifier as build  # deferred: slack_sdk only where Slack is

    return build(settings, ports)


def web_client(token: str | None, api_url: str) -> WebClient:
    from notifications.slack import web_client as build

    return build(token, api_url)


def render_report(job: Job, org: Org, period: date, ports: Ports, settings: Settings) -> ReportEmail:
    """The daily summary or the weekly timesheet email exactly as the notify function sends it
    (with receipt links signed by whoever runs this)."""
    from core.services.reports import org_summary, org_week
    from notifications.daily_report import render_daily_report
    from notifications.receipts import links_for, receipt_links
    from notifications.weekly_report import render_weekly_report

    link = links_for(receipt_links(settings), org.org_id)
    if job is Job.WEEKLY_TIMESHEET:
        return render_weekly_report(org_week(org, period, ports), link)
    return render_daily_report(org_summary(org, period, ports), link)
