"""/report's "Email this report" button: acked at once, checked again in the lazy run, which queues the
email as a notice; the notify function renders it, sends it through SES and tells the manager."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from email import message_from_string
from email.message import EmailMessage
from email.policy import default

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from bot.slack.blocks import REPORT_EMAIL
from core.domain.model import Org, Role, Worker
from tests.integration.slack.conftest import SENDER

OTHER_ORG = "That report belongs to another organisation: run /report for your own."
NO_ADDRESS = "No email address is known for you or your organisation. Ask a Punchclock admin to add yours."
EMAIL_OFF = "Email is not set up for this Punchclock yet. Ask a Punchclock admin."

HOSTILE = "<script>alert(1)</script> Eve"
REPORT_MESSAGE = {"ts": "1790000000.000100", "channel": "D0MIA"}  # where Slack showed the ephemeral report


def sent_emails() -> list[tuple[set[str], EmailMessage]]:
    """(recipients, message) for everything moto's SES accepted."""
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return [(set(m.destinations), message_from_string(m.raw_data, policy=default)) for m in sent]  # type: ignore[misc]


def part(email: EmailMessage, subtype: str) -> str:
    body = email.get_body((subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content())


def email_button(report) -> tuple[str, dict]:  # type: ignore[no-untyped-def, type-arg]
    [actions] = [block for block in report.json["blocks"] if block["type"] == "actions"]
    [button] = actions["elements"]
    return actions["block_id"], button


def click_email(slack, report, *, user: str = "U0MIA", team: str = "T0ACME", action_ts: str | None = None):  # type: ignore[no-untyped-def]
    block_id, button = email_button(report)
    return slack.click(
        button["action_id"],
        button["value"],
        user=user,
        team=team,
        block_id=block_id,
        message=REPORT_MESSAGE,
        ephemeral=True,
        action_ts=action_ts,
    )


def replies(fake_slack) -> list[str]:  # type: ignore[no-untyped-def]
    """What the click's lazy run answered (ephemeral, through the response URL)."""
    return [reply["text"] for reply in fake_slack.responses()]


def told(fake_slack, user: str = "U0MIA") -> list[str]:  # type: ignore[no-untyped-def]
    """What the notify function told the manager by DM once the email went (not the approval DMs
    the day's expenses asked for)."""
    return [dm["text"] for dm in fake_slack.dms_to(user) if "Approve or reject" not in dm["text"]]


QUEUED = "Emailing the report for 2026-11-16 to boss@acme.test. You will get a message here when it is sent."
SENT = "Emailed the report for 2026-11-16 to boss@acme.test."


@pytest.fixture
def eve(store, org) -> Worker:  # type: ignore[no-untyped-def]
    return store.add_worker(
        Worker(worker_id="w-eve", org_id=org.org_id, name=HOSTILE, slack_team_id="T0ACME", slack_user_id="U0EVE")
    )


@pytest.fixture
def report(slack, manager):  # type: ignore[no-untyped-def]
    """The manager's /report of a quiet day, as Slack showed it."""
    return slack.command("/report", user="U0MIA")


@pytest.fixture
def a_day(slack, ana, eve, manager, clock):  # type: ignore[no-untyped-def]
    """Ana and Eve clock in; Ana works 8 hours and logs fuel; Eve is still in. Then the manager's /report."""
    slack.command("/clockin", "north-site", timestamp=slack.later(0))
    slack.command("/clockin", user="U0EVE", timestamp=slack.later(0))
    clock.advance(hours=8)
    slack.command("/clockout", timestamp=slack.later(1))
    slack.command("/expense", "12.50 fuel <b>van</b> & co", timestamp=slack.later(1))
    return slack.command("/report", user="U0MIA", timestamp=slack.later(2))


def test_the_report_offers_a_button_to_email_it(report):
    block_id, button = email_button(report)

    assert button["text"]["text"] == "Email this report"
    assert (button["action_id"], button["value"], block_id) == (REPORT_EMAIL, "2026-11-16", "report_actions:acme")


def test_a_click_emails_the_day_to_the_manager(slack, a_day, ses, fake_slack):
    answer = click_email(slack, a_day)

    assert answer.status == 200 and answer.body == {}  # acked at once; the work ran lazily
    [(to, email)] = sent_emails()
    assert to == {"boss@acme.test"}
    assert email["From"] == f"Punchclock <{SENDER}>"
    assert email["Subject"] == ("Punchclock daily summary - Acme Field Services - 2026-11-16: 2 worked, 16h 00m, OT 0m")
    text, html = part(email, "plain"), part(email, "html")
    assert "Ana Lopez | 07:58 | 15:58 | 8h 00m | 0m | 0m | 8h 00m | 0m | north-site | meal missed" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Eve" in html
    assert "<script>" not in html and "<b>van</b>" not in html
    assert "&lt;b&gt;van&lt;/b&gt; &amp; co" in html
    files = list(email.iter_attachments())
    assert [f.get_filename() for f in files] == [
        "punchclock-acme-2026-11-16.csv",
        "punchclock-acme-2026-11-16-punches.csv",
        "punchclock-acme-2026-11-16-expenses.csv",
    ]
    assert {f.get_content_type() for f in files} == {"text/csv"}
    assert replies(fake_slack) == [QUEUED]
    assert fake_slack.responses()[0]["replace_original"] is False  # the report stays on screen
    assert told(fake_slack) == [SENT]


def test_a_click_delivered_twice_sends_once(slack, report, ses, fake_slack):
    click_email(slack, report, action_ts="1790000100.000001")
    click_email(slack, report, action_ts="1790000100.000001")  # Slack or Lambda delivering it again

    assert len(sent_emails()) == 1
    assert replies(fake_slack) == [QUEUED]
    assert told(fake_slack) == [SENT]


def test_a_double_click_sends_once_and_says_so(slack, report, ses, fake_slack, clock):
    click_email(slack, report)
    click_email(slack, report)  # a second click, a new action_ts
    clock.advance(minutes=2)
    click_email(slack, report)  # later on purpose: sent again

    assert len(sent_emails()) == 2
    assert replies(fake_slack) == [
        QUEUED,
        "Already emailing the report for 2026-11-16 to boss@acme.test: one email per minute.",
        QUEUED,
    ]
    assert told(fake_slack) == [SENT, SENT]


def test_a_worker_clicking_is_refused_and_nothing_is_read_or_sent(slack, report, ana, ses, fake_slack, calls):
    slack.command("/status")  # a warm container: Ana is known
    calls.reset()

    click_email(slack, report, user="U0ANA")

    assert replies(fake_slack) == ["Only managers can do that."]
    assert sent_emails() == []
    assert Counter(calls.calls) == {"PutItem": 1}  # the click's once-marker, nothing of the team


def test_a_manager_of_another_org_is_refused(slack, report, ses, fake_slack, store):
    store.save_org(Org(org_id="rival", name="Rival Co", slack_team_id="T0RIVAL", manager_emails=("r@rival.test",)))
    store.add_worker(
        Worker(
            worker_id="w-rex",
            org_id="rival",
            name="Rex Rival",
            role=Role.MANAGER,
            email="rex@rival.test",
            slack_team_id="T0RIVAL",
            slack_user_id="U0REX",
        )
    )

    click_email(slack, report, user="U0REX", team="T0RIVAL")

    assert replies(fake_slack) == [OTHER_ORG]
    assert sent_emails() == []


def test_without_an_own_address_the_orgs_manager_emails_get_it(slack, report, ses, fake_slack, store, manager, org):
    store.update_worker(replace(manager, email=None), manager.version)
    store.save_org(replace(org, manager_emails=("ops@acme.test", "boss@acme.test")))
    slack.lambda_client.drain()
    from bot.slack import handler

    handler.reset()  # a new container: no cached worker or org

    click_email(slack, report)

    [(to, _)] = sent_emails()
    assert to == {"ops@acme.test", "boss@acme.test"}
    assert told(fake_slack) == ["Emailed the report for 2026-11-16 to ops@acme.test, boss@acme.test."]


def test_without_any_address_the_manager_is_told(slack, report, ses, fake_slack, store, manager, org):
    store.update_worker(replace(manager, email=None), manager.version)
    store.save_org(replace(org, manager_emails=()))
    from bot.slack import handler

    handler.reset()

    click_email(slack, report)

    assert replies(fake_slack) == [NO_ADDRESS]
    assert sent_emails() == []


def test_without_sender_email_it_fails_closed_politely(slack, report, ses, fake_slack, monkeypatch):
    from bot.slack import handler
    from core import bootstrap

    monkeypatch.delenv("SENDER_EMAIL")
    ports = bootstrap.ports()
    bootstrap.reset()  # a container started without it
    bootstrap.override(ports=ports)
    handler.reset()

    click_email(slack, report)

    assert replies(fake_slack) == [EMAIL_OFF]
    assert sent_emails() == []


def test_a_send_ses_keeps_refusing_is_parked_and_a_later_click_sends(slack, report, fake_slack, notices, caplog, clock):  # type: ignore[no-untyped-def]
    # Given SES has not verified the sender yet: it refuses the message on every retry
    click_email(slack, report)

    assert replies(fake_slack) == [QUEUED]
    assert "notice message not sent" in caplog.text
    assert sent_emails() == [] and told(fake_slack) == []
    assert notices.waiting == 0 and len(notices.dead_letters) == 1  # parked, where an alarm waits

    # When the identity is verified and the manager clicks again after the minute
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    clock.advance(minutes=2)
    click_email(slack, report)

    assert len(sent_emails()) == 1
    assert told(fake_slack) == [SENT]


def test_a_send_that_fails_once_goes_on_the_retry(slack, report, ses, fake_slack, notices, monkeypatch):
    from notifications import email as email_module

    original = email_module.SesEmailSender.send
    failures = iter([RuntimeError("SES throttled")])

    def flaky(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return original(self, *args, **kwargs)

    monkeypatch.setattr(email_module.SesEmailSender, "send", flaky)

    click_email(slack, report)  # the driver pumps the notices: a first try, then the retry

    assert len(sent_emails()) == 1
    assert told(fake_slack) == [SENT]


def test_the_click_costs_a_marker_a_fresh_role_and_one_write_and_the_email_the_days_queries(
    slack, report, ses, calls, notices, monkeypatch
):  # type: ignore[no-untyped-def]
    slack.command("/status", user="U0MIA")  # warm
    calls.reset()
    monkeypatch.setattr("tests.conftest.AFTER_REQUEST", [])  # the notices wait until drained below

    click_email(slack, report)
    assert Counter(calls.calls) == {"PutItem": 1, "GetItem": 1, "TransactWriteItems": 1}  # once, still a manager?
    calls.reset()
    notices.drain()
    # the notice's worker, the email's lease and record, the day's four queries and its pay period's
    # lock, the DM's lease and record
    assert Counter(calls.calls) == {"GetItem": 2, "PutItem": 4, "Query": 4}
