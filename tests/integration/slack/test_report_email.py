"""/report's "Email this report" button: acked at once, checked again and emailed through SES in the lazy run."""

from __future__ import annotations

import logging
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
from bot.slack.listeners import EMAIL_FAILED, EMAIL_OFF, NO_ADDRESS, OTHER_ORG
from core.domain.model import Org, Role, Worker
from tests.integration.slack.conftest import SENDER

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
    return [reply["text"] for reply in fake_slack.responses()]


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
    assert email["Subject"] == "Punchclock daily summary - Acme Field Services - 2026-11-16"
    text, html = part(email, "plain"), part(email, "html")
    assert "Ana Lopez | 07:58 | 15:58 | 8h 00m | 0m | 0m | 8h 00m | 0m | meal missed" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Eve" in html
    assert "<script>" not in html and "<b>van</b>" not in html
    assert "&lt;b&gt;van&lt;/b&gt; &amp; co" in html
    [csv] = list(email.iter_attachments())
    assert csv.get_filename() == "punchclock-acme-2026-11-16.csv"
    assert csv.get_content_type() == "text/csv"
    assert replies(fake_slack) == ["Emailed to boss@acme.test."]
    assert fake_slack.responses()[0]["replace_original"] is False  # the report stays on screen


def test_a_click_delivered_twice_sends_once(slack, report, ses, fake_slack):
    click_email(slack, report, action_ts="1790000100.000001")
    click_email(slack, report, action_ts="1790000100.000001")  # Slack or Lambda delivering it again

    assert len(sent_emails()) == 1
    assert replies(fake_slack) == ["Emailed to boss@acme.test."]


def test_a_double_click_sends_once_and_says_so(slack, report, ses, fake_slack, clock):
    click_email(slack, report)
    click_email(slack, report)  # a second click, a new action_ts
    clock.advance(minutes=2)
    click_email(slack, report)  # later on purpose: sent again

    assert len(sent_emails()) == 2
    assert replies(fake_slack) == [
        "Emailed to boss@acme.test.",
        "Already emailed to boss@acme.test a moment ago.",
        "Emailed to boss@acme.test.",
    ]


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
    assert replies(fake_slack) == ["Emailed to ops@acme.test, boss@acme.test."]


def test_without_any_address_the_manager_is_told(slack, report, ses, fake_slack, store, manager, org):
    store.update_worker(replace(manager, email=None), manager.version)
    store.save_org(replace(org, manager_emails=()))
    from bot.slack import handler

    handler.reset()

    click_email(slack, report)

    assert replies(fake_slack) == [NO_ADDRESS]
    assert sent_emails() == []


def test_without_sender_email_it_fails_closed_politely(slack, report, ses, fake_slack, monkeypatch, caplog):
    from bot.slack import handler

    monkeypatch.delenv("SENDER_EMAIL")
    handler.reset()  # a container started without it
    caplog.set_level(logging.INFO)

    click_email(slack, report)

    assert replies(fake_slack) == [EMAIL_OFF]
    assert sent_emails() == []
    assert "SENDER_EMAIL is not set" in caplog.text


def test_a_refused_send_is_an_apology_and_the_next_click_can_send(slack, report, fake_slack, caplog):
    # Given SES has not verified the sender yet: it refuses the message
    click_email(slack, report)

    assert replies(fake_slack) == [EMAIL_FAILED]
    assert "report email not sent" in caplog.text
    assert sent_emails() == []

    # When the identity is verified and the manager clicks again, at once
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(EmailIdentity=SENDER)
    click_email(slack, report)

    assert len(sent_emails()) == 1
    assert replies(fake_slack)[-1] == "Emailed to boss@acme.test."


def test_the_lazy_run_costs_two_markers_a_fresh_role_and_the_days_four_queries(slack, report, ses, calls):
    slack.command("/status", user="U0MIA")  # warm
    calls.reset()

    click_email(slack, report)

    assert Counter(calls.calls) == {"PutItem": 2, "GetItem": 1, "Query": 4}  # GetItem: still a manager?
