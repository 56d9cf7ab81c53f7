"""Every reply is plain GSM-7 ASCII and fits one SMS segment (help may use two)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from core.catalogue.gsm import latin_text
from core.ports import Outcome
from core.replies import Style, known_codes, plain, render

ZONE = ZoneInfo("America/Los_Angeles")
LONG = "x" * 300
AT = "2026-11-16T15:58:00+00:00"

# Realistic, and where a user can make them long, the longest data each outcome can carry.
DATA = {
    "at": AT,
    "shift_start": AT,
    "break_start": AT,
    "last_end": AT,
    "since": AT,
    "claimed_at": AT,
    "recorded_at": AT,
    "start": "2026-11-01",
    "end": "2026-11-30",
    "now": AT,
    "job": "Nördlicher-Standort 🚧 " + LONG,
    "shift_minutes": 99 * 60 + 59,
    "break_minutes": 600,
    "pending": True,
    "reason": LONG,
    "kind": "meal",
    "status": "on_break",
    "amount": "9999.99",
    "currency": "USD",
    "category": "supplies",
    "spent_on": "2026-11-16",
    "receipt": True,
    "period": "last week",
    "on_task_minutes": 9999,
    "hours_worked_minutes": 9999,
    "overtime_minutes": 999,
    "days_worked": 7,
    "open_shift": True,
    "refs": ["a1b2", "c3d4", "e5f6", "a7b8", "c9d0"],
    "decision": "approved",
    "problem": LONG,
    "limit": "10000",
    "phone": "+155512345678",
    "name": "José “Pepe” Álvarez-Fernández de la Cruz",
    "code": "123456",
    "days": 62,
    "first": "2000-01-01",
    "last": "2027-11-17",
    "workers": [{"name": LONG, "status": "on_shift"}] * 40,
    "manager": True,
}


@pytest.mark.parametrize("code", known_codes())
@pytest.mark.parametrize("style", list(Style))
def test_every_reply_fits_its_channel(code: str, style: Style) -> None:
    text = render(Outcome(code, DATA), style, ZONE)
    assert text, code
    if style is Style.SMS:
        assert text == plain(text), text
        assert not set(text) & set("áíóúÁÍÓÚ"), text  # outside GSM-7: a text of 70-character segments
        assert len(text) <= (306 if code == "help" else 160), (len(text), text)
    else:
        assert text == latin_text(text), text
        assert len(text) <= 3000


def test_unknown_codes_get_an_apology_not_a_crash() -> None:
    assert render(Outcome("no_such_code", {}), Style.SMS, ZONE).startswith("Sorry, something went wrong")


def test_plain_keeps_gsm7_letters_and_folds_the_rest() -> None:
    assert plain("Jos\u00e9\u2019s \u201ccaf\u00e9\u201d \u2013 ok \U0001f44d") == 'Jos\u00e9\'s "caf\u00e9" - ok '
    assert plain("Mar\u00eda, \u00bfqu\u00e9 a\u00f1o? \u00a1Ol\u00e1! \u00daltimo c\u00f3digo") == (
        "Maria, \u00bfqu\u00e9 a\u00f1o? \u00a1Ola! Ultimo codigo"
    )
    assert plain("Jose\u0301 N\u0303andu\u0301") == "Jos\u00e9 \u00d1andu"  # decomposed accents too


def test_local_time_is_the_workers() -> None:
    text = render(Outcome("clocked_in", {"at": AT}), Style.SMS, ZONE)
    assert text.startswith("Clocked in 07:58.")
    slack = render(Outcome("clocked_in", {"at": AT}), Style.SLACK, ZONE)
    assert "/break /clockout" in slack


def test_slack_keeps_what_slack_can_show() -> None:
    text = render(Outcome("help", {"manager": True}), Style.SLACK, ZONE)
    assert "/clockin [job]" in text and "/break [meal|rest]" in text
