"""The expense modal: `/expense` with no text (or Home's Log expense button) opens it.

Amount, currency (the org's by default), category (the org's list), date (the worker's today; the last 90 days),
note and one receipt file. The submission is checked here for what a form can get wrong and by
the core for the rest; problems go back onto the form next to the field, nothing is logged.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.slack.blocks import EXPENSE_MODAL
from core import commands as c
from core.catalogue import say, written
from core.domain.model import Org
from core.domain.money import currency_code, parse_amount, writes_decimal_comma
from core.grammar import NOTE_MAX
from core.replies import Style
from core.services.expenses import EXPENSE_LOOKBACK_DAYS, expense_days
from notifications.interface import slack_words

RECEIPT_TYPES = ["jpg", "jpeg", "png", "heic", "gif", "webp", "pdf"]
MAX_OPTIONS = 100  # Slack's limit for a static select
_LIMITS: dict[str, dict[str, int]] = {
    "currency": {"max_length": 3},
    "note": {"max_length": NOTE_MAX},
    "receipt": {"max_files": 1},
}


def expense_modal(org: Org, today: date) -> dict[str, Any]:
    categories = [
        {"text": {"type": "plain_text", "text": written("category75", name)}, "value": name}
        for name in org.expense_categories[:MAX_OPTIONS]
    ]
    return {
        "type": "modal",
        "callback_id": EXPENSE_MODAL,
        "title": _plain(_words("title")),
        "submit": _plain(_words("submit")),
        "close": _plain(_words("close")),
        "blocks": [
            _input("amount", _words("amount"), {"type": "plain_text_input", "placeholder": _plain("12.50")}),
            _input("currency", _words("currency"), {"type": "plain_text_input", "initial_value": org.currency}),
            _input("category", _words("category"), {"type": "static_select", "options": categories}),
            _input("date", _words("date"), {"type": "datepicker", "initial_date": today.isoformat()}),
            _input("note", _words("note"), {"type": "plain_text_input", "multiline": True}, optional=True),
            _input("receipt", _words("receipt"), {"type": "file_input", "filetypes": RECEIPT_TYPES}, optional=True),
        ],
    }


def read_submission(view: dict[str, Any], org: Org, today: date) -> c.LogExpense | dict[str, str]:
    """The expense the form describes, or the errors to show next to its fields (by block id)."""
    values = _values(view)
    errors: dict[str, str] = {}
    currency = currency_code((values.get("currency") or "").strip().upper())
    if currency is None:
        errors["currency"] = say("expense_form_currency", Style.SLACK)
    typed = (values.get("amount") or "").strip().lstrip("$").strip()
    amount = parse_amount(typed, decimal_comma=writes_decimal_comma(currency or org.currency))
    if amount is None:
        errors["amount"] = say("expense_form_amount", Style.SLACK)
    category = values.get("category")
    if category not in org.expense_categories:
        errors["category"] = say("expense_form_category", Style.SLACK)
    spent_on = _date(values.get("date")) or today
    first, _ = expense_days(today)
    if spent_on > today:
        errors["date"] = say("expense_form_future", Style.SLACK)
    elif spent_on < first:
        errors["date"] = say("expense_form_too_early", Style.SLACK, first=first.isoformat(), days=EXPENSE_LOOKBACK_DAYS)
    if errors or amount is None or category is None:
        return errors
    note = " ".join((values.get("note") or "").split())[:NOTE_MAX] or None
    return c.LogExpense(amount=amount, category=category, currency=currency, note=note, spent_on=spent_on)


def receipt_file_id(view: dict[str, Any]) -> str | None:
    files = _state(view).get("receipt", {}).get("files") or []
    return str(files[0]["id"]) if files else None


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label),
        "element": {**element, "action_id": block_id, **_LIMITS.get(block_id, {})},
    }


def _words(key: str) -> str:
    return slack_words("expense_modal." + key)


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _state(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block id -> the element's state (each block has one element, named like the block)."""
    values = (view.get("state") or {}).get("values") or {}
    return {block: next(iter(actions.values()), {}) for block, actions in values.items() if actions}


def _values(view: dict[str, Any]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for block, state in _state(view).items():
        if "selected_option" in state:
            found[block] = (state.get("selected_option") or {}).get("value")
        elif "selected_date" in state:
            found[block] = state.get("selected_date")
        else:
            found[block] = state.get("value")
    return found


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
