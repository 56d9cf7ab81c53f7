"""Every SMS reply is plain GSM-7 and one segment (help: two), whatever data fills it.

Each code in `core.replies.known_codes()` is rendered with realistic, long-ish data; the door's own
texts are checked too. Every reply a handler gives in this test run is also checked as it is given
(`helpers.assert_one_segment`, called by the test phones).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sms.inbound import MEDIA_REFUSED
from core.catalogue import LANGUAGES, phrase, say
from core.ports import Outcome
from core.replies import Style, known_codes, render
from tests.integration.sms.helpers import BASE_URL, assert_one_segment

AT = "2026-11-16T12:58:00+00:00"
EARLIER = "2026-11-15T23:59:00+00:00"
JOB = "north-site-building-7-loading-dock-east"  # as long as the grammar lets a job be (40)
NAME = "Maria-Fernanda de los Angeles Gutierrez Ocampo"
SAMPLES: dict[str, dict[str, Any]] = {
    "already_decided": {},
    "report_email_queued": {"day": "2026-11-16", "to": "ops@acme.test, boss@acme.test"},
    "report_email_recent": {"day": "2026-11-16", "to": "ops@acme.test, boss@acme.test"},
    "report_emailed": {"day": "2026-11-16", "to": "ops@acme.test, boss@acme.test"},
    "already_in": {"status": "on_shift", "shift_start": AT, "job": JOB},
    "already_joined": {},
    "already_on_break": {"since": AT, "kind": "meal"},
    "amount_over_limit": {"limit": "10000", "currency": "USD"},
    "bad_amount": {"problem": "at most 2 decimals"},
    "bad_code": {},
    "break_ended": {"at": AT, "kind": "meal", "break_minutes": 1439, "shift_minutes": 5999},
    "break_started": {"at": AT, "kind": "rest", "shift_minutes": 5999},
    "busy": {},
    "budget_set": {
        "category": "supplies-and-small-tools",
        "budget": "999999.99",
        "spent": "123456789.99",
        "percent": 12345,
        "currency": "USD",
        "month": "2026-09",
    },
    "budget_cleared": {"category": "supplies-and-small-tools"},
    "budget_not_set": {"category": "supplies-and-small-tools"},
    "budgets": {
        "month": "2026-09",
        "currency": "USD",
        "lines": [{"category": "supplies-and-small-tools", "budget": "999999.99", "spent": "999999.99", "percent": 100}]
        * 12,
    },
    "no_budgets": {"month": "2026-09"},
    "bad_budget": {"problem": "amount_too_precise"},
    "budget_currency": {"currency": "USD"},
    "budget_unknown_category": {"category": "x" * 40, "categories": ["supplies-and-small-tools"] * 12},
    "budget_alert": {
        "category": "supplies-and-small-tools",
        "budget": "999999.99",
        "spent": "123456789.99",
        "percent": 12345,
        "level": 100,
        "currency": "USD",
        "month": "2026-09",
    },
    "clock_in_amended": {"at": EARLIER, "pending": True, "reason": "bus was late " * 10},
    "clock_out_amended": {"at": AT, "shift_start": EARLIER, "shift_minutes": 5999, "pending": True, "reason": "x"},
    "clocked_in": {"at": AT, "job": JOB, "pending": True, "reason": "forgot to text when I arrived"},
    "clocked_out": {
        "at": AT,
        "shift_start": EARLIER,
        "shift_minutes": 5999,
        "break_minutes": 1439,
        "pending": True,
        "reason": "forgot",
    },
    "code_expired": {},
    "correction_decided": {"decision": "rejected", "kind": "clock_out", "claimed_at": AT},
    "deactivated": {},
    "error": {},
    "expense_logged": {
        "expense_id": "0196f1c2a3b4c5d6e7f8a9b0c1",
        "amount": "999999.99",
        "currency": "USD",
        "category": "supplies-and-small-tools",
        "spent_on": "2026-11-16",
        "receipt": True,
    },
    "expense_repeated": {
        "expense_id": "0196f1c2a3b4c5d6e7f8a9b0c1",
        "amount": "999999.99",
        "currency": "USD",
        "category": "supplies-and-small-tools",
        "spent_on": "2026-11-16",
        "receipt": True,
    },
    "help": {"topic": None, "manager": False, "categories": "fuel, mileage, parts, tools, meals, lodging, travel"},
    "hours": {
        "period": None,
        "start": "2026-09-01",
        "end": "2026-10-31",
        "on_task_minutes": 99999,
        "hours_worked_minutes": 99999,
        "overtime_minutes": 99999,
        "days_worked": 61,
        "open_shift": True,
        "pending": 12,
    },
    "invited": {"phone": "+447700900123", "name": NAME, "code": "123456", "expires_at": AT},
    "joined": {"name": NAME},
    "managers_only": {},
    "not_in": {},
    "not_on_break": {"status": "on_shift", "shift_start": AT, "job": JOB},
    "not_registered": {},
    "nothing_pending": {},
    "opted_in": {},
    "language_set": {},
    "opted_out": {},
    "own_correction": {},
    "phone_taken": {"phone": "+447700900123"},
    "phone_opted_out": {"phone": "+447700900123"},
    "range_too_long": {"days": 62},
    "date_out_of_range": {"first": "2000-01-01", "last": "2027-11-17"},
    "bad_expense_date": {"first": "2026-08-18", "last": "2026-11-16"},
    "receipt_waiting": {},
    "status": {"status": "on_break", "now": AT, "break_start": EARLIER, "shift_start": EARLIER, "job": JOB},
    "still_ack": {"shift_start": EARLIER, "ask_at": AT},
    "reason_missing_out": {},
    "clock_out_unchanged": {"at": AT},
    "reminded": {"kinds": ["forgot_clock_out", "meal_due"]},
    "reminders_skipped": {"kinds": []},
    "auto_clocked_out": {"at": AT},
    "reminder.forgot_clock_out": {
        "reminder": "forgot_clock_out",
        "shift_start": EARLIER,
        "shift_minutes": 99 * 60 + 59,
        "suggested_out": AT,
    },
    "reminder.auto_clock_out": {"reminder": "auto_clock_out", "shift_start": EARLIER, "at": AT},
    "reminder.long_break": {"reminder": "long_break", "kind": "meal", "break_minutes": 99 * 60 + 59},
    "reminder.meal_due": {"reminder": "meal_due", "shift_minutes": 99 * 60 + 59, "meal_by": AT},
    "team": {
        "workers": [{"name": NAME, "status": "on_shift"}] * 150 + [{"name": NAME, "status": "on_break"}] * 100,
        "pending": 250,
        "now": AT,
    },
    "time_after_now": {"at": AT},
    "time_in_future": {"at": AT},
    "time_before_last_shift": {"at": EARLIER, "last_end": AT},
    "time_before_start": {"at": EARLIER, "start": AT},
    "unknown": {"problem": "amount_too_large"},
    # Issue 12: corrections of any day, pay periods, deciding by number
    "break_added": {"start": EARLIER, "end": AT, "kind": "meal", "minutes": 45, "pending": True, "day": "2026-11-15"},
    "shift_added": {"start": EARLIER, "end": AT, "shift_minutes": 779, "pending": True, "day": "2026-11-15"},
    "no_shift_that_day": {"day": "2026-11-15"},
    "overlaps_shift": {"start": EARLIER, "end": AT},
    "overlaps_break": {"start": EARLIER, "end": AT},
    "break_outside_shift": {"start": EARLIER, "end": AT},
    "clock_in_unchanged": {"at": AT},
    "day_not_found": {},
    "too_old_to_correct": {"first": "2026-11-02"},
    "period_locked": {"start": "2026-11-02", "end": "2026-11-15"},
    "period_now_locked": {"start": "2026-11-02", "end": "2026-11-15"},
    "period_already_locked": {"start": "2026-11-02", "end": "2026-11-15", "by": NAME, "locked_at": AT},
    "period_not_over": {"start": "2026-11-16", "end": "2026-11-29"},
    "period_has_pending": {"start": "2026-11-02", "end": "2026-11-15", "count": 12},
    "expense_categories": {"categories": "fuel, mileage, parts, tools, meals, lodging, parking, tolls, travel, " * 3},
    "pending_item": {
        "number": 123,
        "position": 123,
        "total": 300,
        "next": 124,
        "name": NAME,
        "what": "expense",
        "amount": "9999.99",
        "currency": "USD",
        "category": "supplies-and-small-tools",
        "day": "2026-11-16",
        "reason": "bought at the hardware store on the way to the north site " * 2,
        "age": 60 * 24 * 40,
    },
    "no_such_number": {"number": 1234},
    "which_item": {
        "number": 123,
        "total": 300,
        "next": 124,
        "name": NAME,
        "what": "shift",
        "at": EARLIER,
        "until": AT,
        "day": EARLIER,
        "reason": "bus broke down on the bridge and the phone was dead " * 2,
        "age": 60 * 24 * 40,
    },
    "own_item": {},
    "item_decided": {
        "decision": "rejected",
        "number": 123,
        "name": NAME,
        "what": "shift",
        "at": EARLIER,
        "until": AT,
        "day": EARLIER,
    },
    "number_decided": {"number": 123, "name": NAME},
    "approve_all_offer": {"count": 250, "names": ", ".join([NAME] * 3)},
    "approve_all_first": {},
    "approve_all_count": {"offered": 250, "count": 251},
    "approved_all": {"approved": 248, "gone": 2},
    "decision_told": {
        "decision": "rejected",
        "what": "expense",
        "amount": "9999.99",
        "currency": "USD",
        "category": "supplies-and-small-tools",
        "day": "2026-11-16",
        "decided_by_name": NAME,
        "note": "no receipt, and over the weekly budget for supplies " * 2,
    },
}
ZONES = [ZoneInfo("America/New_York"), ZoneInfo("Pacific/Chatham"), ZoneInfo("Asia/Kolkata")]


def test_every_reply_code_has_sample_data_here() -> None:
    missing = sorted(set(known_codes()) - set(SAMPLES))
    assert missing == [], f"add realistic data for {missing} so their SMS length is checked"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("code", known_codes())
def test_every_reply_code_fits_one_segment_of_plain_gsm7(code: str, language: str) -> None:
    for zone in ZONES:
        assert_one_segment(render(Outcome(code, SAMPLES.get(code, {})), Style.SMS, zone, language))


def test_the_doors_own_texts_fit_too() -> None:
    for code in MEDIA_REFUSED.values():
        assert_one_segment(say(code, Style.SMS))
    link = f"{BASE_URL}/receipts/upload/AbCdEfGhIjKlMnOp"
    assert_one_segment(phrase("sms.upload_offer_short", channel=Style.SMS, link=link))
    help_text = render(Outcome("help", SAMPLES["help"]), Style.SMS, ZONES[0])
    contact = phrase("sms.help_contact", channel=Style.SMS, contact="payroll.manager@acme-field-services.example")
    assert_one_segment(f"{help_text} {contact}")  # a worker's help leaves room for the manager's address
    for zone in ZONES:  # what a manager is asked by text
        data = {**SAMPLES["pending_item"], "what": "break", "at": EARLIER, "until": AT, "day": EARLIER}
        assert_one_segment(say("approval_request", Style.SMS, zone=zone, **data))
    # Every kind of item, listed one a text (PENDING, or APPROVE with several waiting)
    expense = {k: SAMPLES["pending_item"][k] for k in ("amount", "currency", "category")}
    for what in ("clock_in", "clock_out", "auto_clock_out", "break", "shift", "expense"):
        for code in ("pending_item", "which_item"):
            data = {**SAMPLES[code], **expense, "what": what, "was": EARLIER, "at": AT, "until": AT, "day": EARLIER}
            for zone in ZONES:
                assert_one_segment(render(Outcome(code, data), Style.SMS, zone))
    assert_one_segment(f"{render(Outcome('not_in'), Style.SMS, ZONES[0])} {say('receipt_kept', Style.SMS)}")
