"""The console playing Slack: only the manifest's commands reach the app; clicks and form submissions
carry what Slack's own payloads carry."""

from __future__ import annotations

from datetime import date

from bot.slack import commands
from bot.slack.modals import expense_modal
from core.domain.model import Org
from infra.local.console import _button, _element_state, manifest_commands


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
