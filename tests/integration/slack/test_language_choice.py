"""Where a Slack worker's language comes from besides their words: their Slack locale when they are
enrolled from Slack (read off the request path by the notify function), and the Home tab's menu.

The clock starts on Monday 16 Nov 2026, 07:58 in New York.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from notifications.interface import CHOOSE_LANGUAGE
from tests.integration.slack.fake_slack import view_text


def _enrolling(store, org) -> None:  # type: ignore[no-untyped-def]
    store.save_org(replace(org, auto_enroll_slack=True))


def _menu(home: dict[str, Any]) -> dict[str, Any]:
    [block] = [b for b in home["blocks"] if b.get("block_id") == "home_language"]
    return dict(block["accessory"])


def test_a_worker_enrolled_from_a_spanish_slack_reads_spanish_from_the_next_reply(slack, org, store, fake_slack):  # type: ignore[no-untyped-def]
    # Given a workspace that enrols newcomers, and Luis, whose Slack is in Spanish (Latin America)
    _enrolling(store, org)
    fake_slack.locales["U0LUIS"] = "es-LA"
    # When Luis clocks in for the first time
    answer = slack.command("/clockin", user="U0LUIS", user_name="luis")
    # Then that first reply could not wait for Slack: it is in English
    assert answer.text.startswith("Clocked in 07:58.")
    # And, after it, Slack was asked his locale once, and his language stored
    [asked] = fake_slack.made("users.info")
    assert asked.args["user"] == "U0LUIS" and asked.args["include_locale"] in ("1", "true")
    luis = store.find_worker_by_slack("T0ACME", "U0LUIS")
    assert luis.language == "es"
    # And he is told why, in Spanish, with the way back in English
    assert [dm["text"] for dm in fake_slack.dms_to("U0LUIS")] == [
        "Tu Slack esta en español, asi que te escribimos en español. For English: /punch language en"
    ]
    # And his Home tab is drawn in Spanish, its menu on Español
    home = fake_slack.homes_of("U0LUIS")[-1]
    assert "*En turno* desde 07:58" in view_text(home) and "*Idioma*" in view_text(home)
    assert _menu(home)["initial_option"]["value"] == "es"
    # And every reply from then on is Spanish
    assert slack.command("/status", user="U0LUIS", timestamp=slack.later(1)).text.startswith("En turno desde 07:58")
    assert len(fake_slack.made("users.info")) == 1  # asked at enrolment only


def test_an_english_slack_stores_nothing_so_a_spanish_keyword_still_switches(slack, org, store, fake_slack):  # type: ignore[no-untyped-def]
    _enrolling(store, org)
    slack.command("/clockin", user="U0NEW", user_name="new")
    assert len(fake_slack.made("users.info")) == 1
    assert store.find_worker_by_slack("T0ACME", "U0NEW").language is None
    assert fake_slack.dms_to("U0NEW") == []
    answer = slack.command("/punch", "estado", user="U0NEW", timestamp=slack.later(1))
    assert answer.text.startswith("En turno desde 07:58") and answer.text.endswith("For English: /punch language en")


def test_a_language_chosen_before_the_locale_is_read_stands(slack, org, store, fake_slack, notices):  # type: ignore[no-untyped-def]
    # Given Luis's Slack is Spanish, but he chooses English before the notify function reads it
    _enrolling(store, org)
    fake_slack.locales["U0LUIS"] = "es-ES"
    slack.command("/clockin", user="U0LUIS", user_name="luis", lazy=False)
    chose = slack.command("/punch", "language en", user="U0LUIS", timestamp=slack.later(1), lazy=False)
    assert chose.text.startswith("OK: we will write to you in English.")
    # When the enrolment's notice is delivered
    notices.drain()
    # Then his choice stands, and nobody tells him otherwise
    assert store.find_worker_by_slack("T0ACME", "U0LUIS").language == "en"
    assert fake_slack.dms_to("U0LUIS") == []


def test_a_slack_that_refuses_users_info_costs_nothing_but_the_locale(slack, org, store, fake_slack, notices):  # type: ignore[no-untyped-def]
    # Given an app installed before it asked for users:read: Slack refuses users.info
    _enrolling(store, org)
    fake_slack.refusals["users.info"] = "missing_scope"
    # When a newcomer clocks in
    assert slack.command("/clockin", user="U0NEW", user_name="new").text.startswith("Clocked in 07:58.")
    # Then the notice is delivered, not retried into the dead-letter queue; the language is untouched
    assert len(fake_slack.made("users.info")) == 1 and notices.dead_letters == []
    assert store.find_worker_by_slack("T0ACME", "U0NEW").language is None
    assert fake_slack.homes_of("U0NEW")


def test_the_home_tab_menu_changes_the_language_and_redraws_the_home(slack, ana, store, fake_slack):  # type: ignore[no-untyped-def]
    # Given Ana opens her Home tab: a menu names each language in itself, hers chosen
    slack.home_opened()
    menu = _menu(fake_slack.homes_of("U0ANA")[-1])
    assert [(o["value"], o["text"]["text"]) for o in menu["options"]] == [("en", "English"), ("es", "Español")]
    assert menu["initial_option"]["value"] == "en" and menu["action_id"] == CHOOSE_LANGUAGE
    fake_slack.reset()
    # When she picks Español
    answer = slack.pick(CHOOSE_LANGUAGE, "es", block_id="home_language")
    # Then it is acknowledged, stored as her choice, and her Home tab redrawn in Spanish
    assert answer.status == 200
    assert store.get_worker("w-ana", fresh=True).language == "es"
    [home] = fake_slack.homes_of("U0ANA")
    assert "*Fuera de turno*" in view_text(home) and _menu(home)["initial_option"]["value"] == "es"
    assert slack.command("/status", timestamp=slack.later(1)).text == "Fuera de turno. /clockin /timesheet"
    # When she picks it again (a double click), nothing is written and nothing redrawn
    fake_slack.reset()
    version = store.get_worker("w-ana", fresh=True).version
    slack.pick(CHOOSE_LANGUAGE, "es", block_id="home_language")
    assert store.get_worker("w-ana", fresh=True).version == version
    assert fake_slack.homes_of("U0ANA") == []


def test_a_language_the_menu_never_offered_changes_nothing(slack, ana, store, fake_slack):  # type: ignore[no-untyped-def]
    version = store.get_worker("w-ana", fresh=True).version
    answer = slack.pick(CHOOSE_LANGUAGE, "klingon", block_id="home_language")
    assert answer.status == 200
    worker = store.get_worker("w-ana", fresh=True)
    assert (worker.language, worker.version) == (None, version)
    assert fake_slack.homes_of("U0ANA") == []


def test_a_stranger_picking_a_language_writes_nothing(slack, org, store, fake_slack):  # type: ignore[no-untyped-def]
    _enrolling(store, org)
    slack.pick(CHOOSE_LANGUAGE, "es", user="U0NOBODY", block_id="home_language")
    assert store.find_worker_by_slack("T0ACME", "U0NOBODY") is None
