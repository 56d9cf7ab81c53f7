"""The App Home tab: published on open, buttons go through the core, republished after any change."""

from __future__ import annotations

from dataclasses import replace

from core import commands as c
from core.domain.model import Channel, Status
from core.domain.transitions import Origin
from core.services.dispatch import handle
from tests.integration.slack.fake_slack import button_ids, view_text


def test_opening_home_publishes_the_state_and_the_valid_buttons(slack, ana, fake_slack):
    answer = slack.home_opened()

    assert answer.status == 200
    [home] = fake_slack.homes_of("U0ANA")
    assert home["type"] == "home"
    text = view_text(home)
    assert "*Off*" in text
    assert "*Today*\n0m worked" in text
    assert button_ids(home) == ["home.clock_in", "home.log_expense"]


def test_home_buttons_walk_through_the_day(slack, ana, clock, fake_slack, store):
    slack.click("home.clock_in")
    on_shift = fake_slack.homes_of("U0ANA")[-1]
    clock.advance(hours=4)
    slack.click("home.start_break")
    on_break = fake_slack.homes_of("U0ANA")[-1]
    clock.advance(minutes=30)
    slack.click("home.end_break")
    clock.advance(hours=4)
    slack.click("home.clock_out")
    off = fake_slack.homes_of("U0ANA")[-1]

    assert button_ids(on_shift) == ["home.start_break", "home.clock_out", "home.log_expense"]
    assert "*On shift* since 07:58" in view_text(on_shift)
    assert button_ids(on_break) == ["home.end_break", "home.clock_out", "home.log_expense"]
    assert "*On rest break* since 11:58, shift since 07:58" in view_text(on_break)
    assert button_ids(off) == ["home.clock_in", "home.log_expense"]
    assert "*Off*, last out 16:28" in view_text(off)
    assert "*Today*\n8h 30m worked" in view_text(off)  # rest breaks are paid
    assert store.get_worker("w-ana", fresh=True).state.status is Status.OFF


def test_a_stale_button_changes_nothing_and_refreshes_home(slack, ana, fake_slack, store):
    slack.command("/clockin")
    version = store.get_worker("w-ana", fresh=True).version
    fake_slack.reset()

    slack.click("home.clock_in")  # from a Home tab drawn before the clock-in

    assert store.get_worker("w-ana", fresh=True).version == version
    assert button_ids(fake_slack.homes_of("U0ANA")[-1])[0] == "home.start_break"


def test_managers_see_the_team_board(slack, ana, manager, fake_slack):
    slack.command("/clockin", "north-site")

    slack.home_opened(user="U0MIA", event_id="Ev0MIA")

    text = view_text(fake_slack.homes_of("U0MIA")[-1])
    assert "*Team*" in text
    assert "- *Ana Lopez* since 07:58 (north-site)" in text


def test_a_managers_home_lists_what_waits_for_them_numbered_as_they_decide_it(slack, ana, manager, clock, fake_slack):  # type: ignore[no-untyped-def]
    # Given Ana asks to correct her clock-out (Mia is DMed #1)
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=47)
    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(1))
    # When Mia opens her Home tab
    slack.home_opened(user="U0MIA", event_id="Ev0MIA2")
    # Then it lists the item under the number of her DM, with how to decide it
    text = view_text(fake_slack.homes_of("U0MIA")[-1])
    assert "*Waiting for you (1)*" in text
    assert "*#1* *Ana Lopez*: out 17:45->17:30 Mon 16 Nov, forgot" in text
    assert "`/punch approve 2`" in text
    # And once she approves it, her Home no longer lists it
    slack.command("/punch", "approve 1", user="U0MIA", timestamp=slack.later(2))
    slack.home_opened(user="U0MIA", event_id="Ev0MIA3")
    assert "Waiting for you" not in view_text(fake_slack.homes_of("U0MIA")[-1])


def test_a_change_by_sms_republishes_the_slack_home(slack, ana, ports, fake_slack, notices):
    # The SMS door's `IN` commits a notice with the change; the notify function republishes Home.
    handle(c.ClockIn(job="depot"), ana, ports.store.get_org("acme"), Origin(Channel.SMS, "SM1"), ports)
    assert fake_slack.homes_of("U0ANA") == []

    notices.drain()

    assert "*On shift* since 07:58 (depot)" in view_text(fake_slack.homes_of("U0ANA")[-1])


def test_the_messages_tab_is_not_the_home_tab(slack, ana, fake_slack):
    slack.home_opened(tab="messages")

    assert fake_slack.made("views.publish") == []


def test_an_unknown_user_sees_how_to_join_and_nothing_is_written(slack, org, store, fake_slack, calls):
    store.save_org(replace(org, auto_enroll_slack=True))
    calls.reset()

    slack.home_opened(user="U0NEW")

    assert "Run /clockin or /punch help to get started" in view_text(fake_slack.homes_of("U0NEW")[-1])
    assert set(calls.calls) == {"GetItem", "PutItem"}  # the PutItem is the event's once-marker
    assert store.find_worker_by_slack("T0ACME", "U0NEW") is None
