"""`/expense` with no text: the modal, its submission, the receipt copied to the private bucket."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import boto3

from tests.integration.slack.driver import BOT_TOKEN
from tests.integration.slack.fake_slack import RECEIPT_BYTES, view_text

DAY = date(2026, 11, 16)


def _form(
    amount: str = "48.20",
    currency: str = "USD",
    category: str | None = "parts",
    day: str = "2026-11-16",
    note: str | None = "hinge for unit 4",
    files: list[dict] | None = None,
) -> dict:
    return {
        "amount": {"type": "plain_text_input", "value": amount},
        "currency": {"type": "plain_text_input", "value": currency},
        "category": {"type": "static_select", "selected_option": {"value": category} if category else None},
        "date": {"type": "datepicker", "selected_date": day},
        "note": {"type": "plain_text_input", "value": note},
        "receipt": {"type": "file_input", "files": files or []},
    }


def test_expense_without_text_opens_the_modal(slack, ana, fake_slack):
    answer = slack.command("/expense")

    assert answer.status == 200
    assert answer.body == {}  # the modal is the answer
    [opened] = fake_slack.made("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "expense_modal"
    elements = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert [o["value"] for o in elements["category"]["options"]][:3] == ["fuel", "mileage", "parts"]
    assert elements["currency"]["initial_value"] == "USD"
    assert elements["date"]["initial_date"] == "2026-11-16"
    assert elements["receipt"]["type"] == "file_input"
    assert opened.args["trigger_id"].startswith("1337.")


def test_home_log_expense_button_opens_the_modal(slack, ana, fake_slack):
    slack.click("home.log_expense")

    [opened] = fake_slack.made("views.open")
    assert opened.args["view"]["callback_id"] == "expense_modal"


def test_submission_logs_the_expense_and_files_the_receipt(slack, ana, fake_slack, store, receipts):
    answer = slack.submit(_form(files=[{"id": "F0RECEIPT", "name": "receipt.jpg"}]))

    assert answer.status == 200
    assert answer.body == {}  # closes the modal
    [expense] = store.worker_expenses("w-ana", DAY, DAY)
    assert (expense.amount, expense.currency, expense.category, expense.note) == (
        Decimal("48.20"),
        "USD",
        "parts",
        "hinge for unit 4",
    )
    assert expense.receipt_key == f"receipts/acme/w-ana/{expense.expense_id}.jpg"
    s3 = boto3.client("s3", region_name="us-east-1")
    stored = s3.get_object(Bucket=receipts, Key=expense.receipt_key)
    assert stored["Body"].read() == RECEIPT_BYTES
    assert stored["ServerSideEncryption"] == "AES256"
    assert stored["ContentType"] == "image/jpeg"
    [download] = [c for c in fake_slack.calls if c.method.startswith("/files-pri/")]
    assert download.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == [
        "Expense 48.20 USD parts on 2026-11-16 logged. Receipt attached. Sent to your manager for approval."
    ]
    assert "48.20 USD parts, hinge for unit 4 :paperclip:" in view_text(fake_slack.homes_of("U0ANA")[-1])


def test_mistakes_go_back_onto_the_form_and_nothing_is_logged(slack, ana, store):
    bad = slack.submit(_form(amount="twelve", currency="dollars", category=None, day="2026-12-24"))
    too_much = slack.submit(_form(amount="20000"), view_id="V0MODAL2")

    assert bad.json == {
        "response_action": "errors",
        "errors": {
            "amount": "Enter an amount like 12.50",
            "currency": "Use a 3-letter currency code like USD",
            "category": "Pick a category",
            "date": "That date is in the future",
        },
    }
    assert too_much.json["errors"] == {"amount": "Amounts over 10,000 USD need your manager. Nothing logged."}
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 12, 31)) == []


def test_submitting_the_same_modal_twice_logs_once(slack, ana, store, fake_slack):
    slack.submit(_form())
    slack.submit(_form())

    assert len(store.worker_expenses("w-ana", DAY, DAY)) == 1
    assert len(fake_slack.dms_to("U0ANA")) == 1


def test_a_receipt_that_cannot_be_copied_leaves_the_expense_logged(slack, ana, store, fake_slack, monkeypatch):
    monkeypatch.delenv("RECEIPTS_BUCKET")
    from bot.slack import handler

    handler.reset()

    slack.submit(_form(files=[{"id": "F0RECEIPT"}]))

    [expense] = store.worker_expenses("w-ana", DAY, DAY)
    assert expense.receipt_key is None
    [dm] = fake_slack.dms_to("U0ANA")
    assert dm["text"].endswith("The receipt could not be saved: please send it to your manager.")


def test_the_bot_token_is_never_sent_outside_slack(slack, ana, store, fake_slack, monkeypatch):
    answer = fake_slack.answer

    def elsewhere(method: str, args: dict) -> dict:
        found = answer(method, args)
        if method == "files.info":
            found["file"]["url_private_download"] = "https://files.example.net/receipt.jpg"
        return found

    monkeypatch.setattr(fake_slack, "answer", elsewhere)

    slack.submit(_form(files=[{"id": "F0RECEIPT"}]))

    [expense] = store.worker_expenses("w-ana", DAY, DAY)
    assert expense.receipt_key is None
    assert [c for c in fake_slack.calls if c.method.startswith("/files-pri/")] == []
    assert fake_slack.dms_to("U0ANA")[0]["text"].endswith("please send it to your manager.")


def test_a_date_older_than_90_days_goes_back_onto_the_form(slack, ana, store):
    # Given the form's date is year 1, or one day before the 90-day window
    ancient = slack.submit(_form(day="0001-01-01"))
    too_old = slack.submit(_form(day="2026-08-17"), view_id="V0MODAL2")
    oldest = slack.submit(_form(day="2026-08-18"), view_id="V0MODAL3")

    # Then both are refused next to the date, and only the oldest day inside the window is logged
    for refused in (ancient, too_old):
        assert refused.json == {
            "response_action": "errors",
            "errors": {"date": "Pick a date from 2026-08-18 (90 days ago) to today"},
        }
    assert oldest.body == {}
    [logged] = store.worker_expenses("w-ana", date(1, 1, 1), date(2026, 12, 31))
    assert logged.spent_on == date(2026, 8, 18)


def test_the_core_refuses_an_expense_date_outside_the_window_whatever_the_door(ports, ana, org):
    from core import commands as c
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services.expenses import log_expense

    # Given a door that did not check the date (a script, a future form)
    for day in (date(1, 1, 1), date(2026, 8, 17), date(2026, 11, 17)):
        cmd = c.LogExpense(amount=Decimal("5"), category="fuel", spent_on=day)

        outcome = log_expense(cmd, ana, org, Origin(Channel.CLI), ports)

        # Then nothing is logged, and the answer says which days work
        assert (outcome.code, outcome.data) == ("bad_expense_date", {"first": "2026-08-18", "last": "2026-11-16"})
    assert ports.store.worker_expenses("w-ana", date(1, 1, 1), date(2026, 12, 31)) == []
