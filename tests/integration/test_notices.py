"""Notices: out of the request path, never lost, sent once, on the channels people have.

The doors commit a notice with the change it reports; the notify function (here driven by the
stream pump, as Lambda's event source drives it) delivers it later to Slack (a loopback fake)
and by text (a loopback Twilio).
"""

from __future__ import annotations

import http.client
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from core import bootstrap
from core.domain.model import Role, Worker
from core.timesheet import Flag
from notifications import notify_handler
from tests.conftest import AFTER_REQUEST, reload_settings
from tests.integration.sms.helpers import TwilioPhone


class OutboundHttp:
    """Counts every HTTP request this process opens (Slack's SDK and Twilio's client both use http.client)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.requests: list[str] = []
        original = http.client.HTTPConnection.request

        def counted(connection, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.requests.append(f"{method} {connection.host}:{connection.port}{url}")
            return original(connection, method, url, *args, **kwargs)

        monkeypatch.setattr(http.client.HTTPConnection, "request", counted)


def test_an_sms_reply_goes_out_with_no_outbound_call_though_the_slack_home_must_change(  # type: ignore[no-untyped-def]
    deployment, ana, slack_api, notices, monkeypatch
):
    # Given Ana, who has both a phone and Slack
    outbound = OutboundHttp(monkeypatch)
    AFTER_REQUEST.clear()  # the notify function runs when we say, not after the text

    # When she texts IN: the webhook answers in TwiML
    reply = TwilioPhone(ana.phone).text("in")

    # Then the reply was made without a single outbound HTTP call (no Slack, no Twilio REST)
    assert reply.startswith("Clocked in 07:58.")
    assert outbound.requests == []
    assert slack_api.homes_of("U0ANA") == []
    # And the notify function, later, redraws her Slack Home tab
    notices.drain()
    assert [r for r in outbound.requests if "views.publish" in r] != []
    assert len(slack_api.homes_of("U0ANA")) == 1


def test_every_send_failing_then_delivery_resuming_delivers_once(  # type: ignore[no-untyped-def]
    deployment, ana, manager, slack_api, clock, notices, monkeypatch
):
    # Given Slack is down: every send fails
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    reload_settings()
    notify_handler.reset()
    AFTER_REQUEST.clear()
    phone = TwilioPhone(ana.phone)
    phone.text("in")
    clock.advance(hours=10)
    phone.text("out 17:30 forgot")  # Mia, the manager, must be asked to decide

    # When the notify function tries (as often as Lambda retries before giving up, here twice)
    notices.pump()
    notices.pump()
    # Then nothing reached Slack, and nothing is lost: the notices still wait
    assert slack_api.dms_to("U0MIA") == [] and notices.waiting == 3
    assert notices.dead_letters == []

    # When Slack is back (a new container: the deployment's settings are right again)
    monkeypatch.setenv("SLACK_API_URL", f"{slack_api.url}api/")
    reload_settings()
    notify_handler.reset()
    notices.drain()
    notices.drain()  # and the stream delivers the same records again, as it may

    # Then Mia was asked once, and Ana's Home tab drawn once per change
    assert len(slack_api.dms_to("U0MIA")) == 1
    assert len(slack_api.homes_of("U0ANA")) == 2
    assert notices.waiting == 0


def test_a_process_killed_after_the_commit_leaves_the_notice_to_a_new_one(  # type: ignore[no-untyped-def]
    deployment, ana, manager, slack_api, clock, notices, ddb
):
    from infra.local.streams import NoticePump
    from tests.conftest import _stream, invoke_notify

    AFTER_REQUEST.clear()
    phone = TwilioPhone(ana.phone)
    phone.text("in")
    clock.advance(hours=10)
    phone.text("out 17:30 forgot")
    # The process that committed it died before any notice went out: a new one reads the stream
    restarted = NoticePump(_stream(ddb), invoke_notify)
    restarted.drain()

    assert len(slack_api.dms_to("U0MIA")) == 1
    assert notices.drain() == 3  # the first reader, resuming too, sends nothing twice
    assert len(slack_api.dms_to("U0MIA")) == 1


def test_a_sender_dying_mid_send_frees_the_message_when_its_lease_runs_out(  # type: ignore[no-untyped-def]
    deployment, ana, manager, slack_api, clock, notices, ports
):
    from notifications.notices import SEND_LEASE

    AFTER_REQUEST.clear()
    phone = TwilioPhone(ana.phone)
    phone.text("in")
    notices.drain()
    clock.advance(hours=10)
    phone.text("out 17:30 forgot")
    [ask] = [r for r in notices.peek() if r["dynamodb"]["NewImage"]["kind"]["S"] == "correction_requested"]
    notice_id = ask["dynamodb"]["NewImage"]["notice_id"]["S"]
    # Given a delivery that took the lease on Mia's DM and died before sending it
    ports.store.begin_send(f"{notice_id}:{manager.worker_id}:slack_dm", clock.now(), SEND_LEASE)

    notices.pump()  # the lease still runs: nothing sent, the record waits
    assert slack_api.dms_to("U0MIA") == [] and notices.waiting == 1
    clock.advance(seconds=SEND_LEASE.total_seconds() + 1)
    notices.pump()

    assert len(slack_api.dms_to("U0MIA")) == 1 and notices.waiting == 0


def test_a_worker_who_asked_by_text_hears_the_decision_by_text_and_in_slack(  # type: ignore[no-untyped-def]
    deployment, ana, manager, slack_api, twilio_api, clock, ports, org
):
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services.corrections import decide_correction

    phone = TwilioPhone(ana.phone)
    phone.text("in")
    clock.advance(hours=10)
    phone.text("out 17:30 forgot")
    decide_correction(manager, org, None, True, Origin(Channel.SLACK, "act-1"), ports)
    from tests.conftest import after_request

    after_request()

    assert twilio_api.texts_to(ana.phone) == ["Your clock-out 17:30 on Mon 16 Nov was approved by Mia Boss."]
    assert [dm["text"] for dm in slack_api.dms_to("U0ANA")] == [
        "Your clock-out 17:30 on Mon 16 Nov was approved by Mia Boss."
    ]


def test_a_manager_with_only_a_phone_is_asked_by_text_and_nobody_on_a_channel_they_lack(  # type: ignore[no-untyped-def]
    deployment, store, org, slack_api, twilio_api, clock
):
    # Given a worker with Slack only, and a manager with a phone only
    cy = store.add_worker(
        Worker(worker_id="w-cy", org_id=org.org_id, name="Cy Slack", slack_team_id="T0ACME", slack_user_id="U0CY")
    )
    store.add_worker(
        Worker(worker_id="w-moe", org_id=org.org_id, name="Moe Phone", role=Role.MANAGER, phone="+15550000077")
    )
    from core import commands as c
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services.dispatch import handle
    from tests.conftest import after_request

    ports = bootstrap.ports()
    handle(c.ClockIn(), cy, org, Origin(Channel.SLACK, "s1"), ports)
    clock.advance(hours=9)
    out = c.ClockOut(at=datetime(2026, 11, 16, 16, 30).time(), reason="forgot")
    handle(out, store.get_worker("w-cy"), org, Origin(Channel.SLACK, "s2"), ports)
    after_request()

    [text] = twilio_api.texts_to("+15550000077")
    assert text == "#1 Cy Slack: out 16:58->16:30 Mon 16 Nov, forgot. Reply APPROVE 1 or REJECT 1 why."
    assert slack_api.dms_to("U0MOE") == []  # Moe has no Slack: nothing is tried there
    assert twilio_api.texts_to("+15550000001") == []  # and nobody else is texted


def test_an_orgs_only_manager_correcting_themselves_is_self_approved_and_flagged(  # type: ignore[no-untyped-def]
    deployment, store, org, manager, slack_api, clock, ports
):
    from datetime import date

    from core.services.timesheets import timesheet_for

    # Given Mia is the org's only manager (no other manager to ask)
    mia = TwilioPhone(manager.phone)
    mia.text("in")
    clock.advance(hours=9)
    mia.text("out 16:30 forgot")

    # Then the correction is not left waiting for nobody: approved in her own name, and flagged
    assert store.pending_corrections(org.org_id) == []
    monday = date(2026, 11, 16)
    day = timesheet_for(store.get_worker(manager.worker_id, fresh=True), org, monday, monday, ports)
    assert Flag.SELF_APPROVED in day.days[0].flags
    assert day.days[0].last_out == datetime(2026, 11, 16, 21, 30, tzinfo=UTC)
    assert slack_api.dms_to("U0MIA") == []


def test_with_another_manager_the_correction_goes_to_them_not_self_approved(  # type: ignore[no-untyped-def]
    deployment, store, org, manager, slack_api, clock
):
    store.add_worker(
        replace(manager, worker_id="w-max", name="Max Second", phone="+15550000066", slack_user_id="U0MAX", email=None)
    )
    mia = TwilioPhone(manager.phone)
    mia.text("in")
    clock.advance(hours=9)
    mia.text("out 16:30 forgot")

    assert len(store.pending_corrections(org.org_id)) == 1
    assert len(slack_api.dms_to("U0MAX")) == 1
    assert slack_api.dms_to("U0MIA") == []
