"""The console playing Slack: only the manifest's commands reach the app; clicks and form submissions
carry what Slack's own payloads carry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest

from bot.slack import commands
from bot.slack.modals import expense_modal
from core.domain.clock import FixedClock
from core.domain.model import Org
from core.services.ports import Ports
from core.store.memory import MemoryStore
from infra.local import console as console_module
from infra.local.console import (
    Console,
    Secrets,
    Sent,
    _action,
    _button,
    _element,
    _element_state,
    manifest_commands,
)
from infra.local.fakes import FakeSlack, FakeTwilio
from infra.local.http import Request
from infra.local.mail import SentMail
from infra.local.outbox import Outbox
from infra.local.signing import slack_signature

ENGLISH = {"text": {"type": "plain_text", "text": "English"}, "value": "en"}
SPANISH = {"text": {"type": "plain_text", "text": "Español"}, "value": "es"}
# The Home tab's language menu, as the app draws it: a section with a static_select accessory.
LANGUAGE_MENU = {
    "type": "static_select",
    "action_id": "home_language",
    "options": [ENGLISH, SPANISH],
    "initial_option": ENGLISH,
}
LANGUAGE = {
    "type": "section",
    "block_id": "home_language",
    "text": {"type": "mrkdwn", "text": "*Language*"},
    "accessory": LANGUAGE_MENU,
}
ANA = "U0ANA"
SIGNING_SECRET = "local-signing-secret"


def test_the_console_sends_the_commands_the_manifest_declares_which_the_app_answers() -> None:
    assert manifest_commands() == set(commands.ALL)


def test_a_button_is_found_in_an_actions_block_or_as_a_sections_accessory() -> None:
    approve = {"type": "button", "action_id": "approve", "value": "e1"}
    more = {"type": "button", "action_id": "more"}
    blocks = [
        {"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": "hi"}, "accessory": more},
        {"type": "actions", "block_id": "a", "elements": [approve]},
    ]
    assert _button(blocks, "approve") == ("a", approve)
    assert _button(blocks, "more") == ("s", more)
    assert _button(blocks, "missing") is None


def test_the_expense_forms_state_is_what_slack_sends_and_the_app_reads_it() -> None:
    from bot.slack.modals import read_submission

    org = Org(org_id="acme", name="Acme")
    today = date(2026, 11, 16)
    view = expense_modal(org, today)
    typed = {"amount": "48.20", "currency": "USD", "category": "parts", "date": "2026-11-16", "note": " hinge "}
    state = {
        block["block_id"]: {
            block["element"]["action_id"]: _element_state(block["element"], typed.get(block["block_id"]))
        }
        for block in view["blocks"]
    }
    assert state["category"]["category"]["selected_option"]["value"] == "parts"
    assert state["receipt"]["receipt"] == {"type": "file_input", "files": []}
    expense = read_submission({**view, "state": {"values": state}}, org, today)
    assert not isinstance(expense, dict), expense
    assert (str(expense.amount), expense.category, expense.note, expense.spent_on) == ("48.20", "parts", "hinge", today)


def test_a_menu_is_found_as_a_sections_accessory_or_in_an_actions_block_but_not_as_a_button() -> None:
    shift = {"type": "static_select", "action_id": "shift", "options": [{"text": {}, "value": "day"}]}
    blocks = [LANGUAGE, {"type": "actions", "block_id": "a", "elements": [shift]}]
    assert _element(blocks, "home_language") == ("home_language", LANGUAGE_MENU)
    assert _element(blocks, "shift") == ("a", shift)
    assert _element(blocks, "missing") is None
    assert _button(blocks, "home_language") is None


def test_a_pick_from_a_menu_carries_the_option_picked_as_slack_sends_it() -> None:
    action = _action("home_language", LANGUAGE_MENU, "es")
    assert action is not None
    assert action.pop("action_ts")
    assert action == {
        "type": "static_select",
        "action_id": "home_language",
        "block_id": "home_language",
        "selected_option": SPANISH,
    }


@pytest.mark.parametrize("value", ["fr", "", None])
def test_a_value_that_is_none_of_the_menus_options_is_refused(value: str | None) -> None:
    assert _action("home_language", LANGUAGE_MENU, value) is None


# -- the console's API, with the gateway replaced by a fake poster ------------------------------------


@pytest.fixture
def posted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes, dict[str, str]]]:
    """What the console posts to the gateway (it answers 200 with nothing, as an ack)."""
    calls: list[tuple[str, bytes, dict[str, str]]] = []

    def post(url: str, body: bytes, headers: dict[str, str]) -> Sent:
        calls.append((url, body, headers))
        return Sent(200, "", b"")

    monkeypatch.setattr(console_module, "_post", post)
    return calls


@pytest.fixture
def console() -> Console:
    """A console with Ana's Home tab published: the language menu and a button."""
    outbox = Outbox(None)
    slack = FakeSlack(outbox)
    refresh = {"type": "button", "action_id": "home_refresh", "text": {"type": "plain_text", "text": "Refresh"}}
    slack.home_views[ANA] = {
        "type": "home",
        "id": "V00000001",
        "blocks": [LANGUAGE, {"type": "actions", "block_id": "home_buttons", "elements": [refresh]}],
    }
    return Console(
        outbox=outbox,
        slack=slack,
        twilio=FakeTwilio(outbox, "AC00000000000000000000000000000000", "twilio-token"),
        secrets=Secrets(SIGNING_SECRET, "xoxb-local", "AC00000000000000000000000000000000", "twilio-token"),
        ports=Ports(MemoryStore(), FixedClock(datetime(2026, 11, 16, 15, tzinfo=UTC))),
        gateway_url="http://gateway.test",
        public_base_url="http://public.test",
        console_url="http://console.test",
        sent_mail=SentMail(outbox),
        run_job=lambda job: {},
    )


def _ask(console: Console, asked: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = Request(
        "POST",
        "/api/slack/action",
        "",
        [("Content-Type", "application/json")],
        json.dumps(asked).encode(),
        "127.0.0.1",
    )
    response = console._click_slack(request)
    return response.status, json.loads(response.body)


def _payload(post: tuple[str, bytes, dict[str, str]]) -> dict[str, Any]:
    """The block_actions payload of a post, once its Slack signature is checked."""
    url, body, headers = post
    assert url == "http://gateway.test/slack/events"
    timestamp = headers["X-Slack-Request-Timestamp"]
    assert headers["X-Slack-Signature"] == slack_signature(SIGNING_SECRET, timestamp, body)
    payload: dict[str, Any] = json.loads(parse_qs(body.decode())["payload"][0])
    return payload


def test_a_pick_on_the_home_tab_is_posted_as_slacks_block_actions(console: Console, posted: list[Any]) -> None:
    status, answer = _ask(console, {"user_id": ANA, "message_id": "home", "action_id": "home_language", "value": "es"})
    assert (status, answer["status"]) == (200, 200)
    payload = _payload(posted[0])
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == ANA
    assert payload["container"] == {"type": "view", "view_id": "V00000001"}
    assert payload["view"]["id"] == "V00000001"
    [action] = payload["actions"]
    assert action["type"] == "static_select"
    assert (action["action_id"], action["block_id"]) == ("home_language", "home_language")
    assert action["selected_option"] == SPANISH


def test_a_home_button_still_sends_its_own_value(console: Console, posted: list[Any]) -> None:
    status, _ = _ask(console, {"user_id": ANA, "message_id": "home", "action_id": "home_refresh", "value": "es"})
    assert status == 200
    [action] = _payload(posted[0])["actions"]
    assert (action["type"], action["block_id"], action["value"]) == ("button", "home_buttons", "")
    assert "selected_option" not in action


@pytest.mark.parametrize("value", ["fr", None])
def test_a_pick_outside_the_menus_options_is_refused_and_nothing_is_sent(
    console: Console, posted: list[Any], value: str | None
) -> None:
    asked = {"user_id": ANA, "message_id": "home", "action_id": "home_language", "value": value}
    status, answer = _ask(console, asked)
    assert status == 400
    assert answer["error"]
    assert posted == []
