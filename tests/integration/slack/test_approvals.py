"""Explicit-time corrections: pending, a DM with Approve / Reject to managers, the decision, the worker told."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from core.domain.model import Decision
from tests.integration.slack.fake_slack import button_ids, view_text


def _correct_clock_out(slack, clock, fake_slack):  # type: ignore[no-untyped-def]
    """Ana clocked in at 07:58, forgot to clock out, says 17:30 at 17:45."""
    slack.command("/clockin", "north-site", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=47)
    fake_slack.reset()
    return slack.command("/clockout", "17:30 forgot", timestamp=slack.later(1))


def _approval_dm(fake_slack):  # type: ignore[no-untyped-def]
    [dm] = fake_slack.dms_to("U0MIA")
    return {"ts": "1790000000.000200", "channel": "D0MIA", "text": dm["text"], "blocks": dm["blocks"]}


def test_a_correction_asks_the_manager_with_buttons(slack, ana, manager, clock, fake_slack, store):
    answer = _correct_clock_out(slack, clock, fake_slack)

    assert answer.text == "Clocked out 17:30. Shift 9h 32m since 07:58. Sent to your manager for approval. /timesheet"
    [pending] = store.pending_corrections("acme")
    [dm] = fake_slack.dms_to("U0MIA")
    assert dm["text"].startswith("Ana Lopez asks to clock out at 17:30 on Mon 16 Nov: forgot.")
    assert button_ids(dm) == ["correction.approve", "correction.reject"]
    assert {e["value"] for e in dm["blocks"][-1]["elements"]} == {pending.event_id}
    assert fake_slack.dms_to("U0ANA") == []  # the worker's own reply was the ephemeral answer


def test_approve_records_the_decision_and_tells_the_worker(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack)
    [pending] = store.pending_corrections("acme")

    clock.advance(minutes=10)
    answer = slack.click("correction.approve", pending.event_id, user="U0MIA", message=message)

    assert answer.status == 200
    assert store.pending_corrections("acme") == []
    start = datetime(2026, 11, 16, tzinfo=UTC)
    [decision] = store.worker_events("w-ana", start, start + timedelta(days=2)).decisions
    assert (decision.decision, decision.decided_by, decision.target_event_id) == (
        Decision.APPROVED,
        "w-mia",
        pending.event_id,
    )
    [update] = fake_slack.made("chat.update")
    assert update.args["ts"] == message["ts"]
    assert update.args["channel"] == "D0MIA"
    assert "Approved by <@U0MIA>." in view_text(update.args)
    assert button_ids(update.args) == []
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == ["Punch correction to 17:30 approved."]
    assert "Off" in view_text(fake_slack.homes_of("U0ANA")[-1])


def test_reject_and_a_second_click_changes_nothing_more(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack)
    [pending] = store.pending_corrections("acme")

    slack.click("correction.reject", pending.event_id, user="U0MIA", message=message)
    slack.click("correction.approve", pending.event_id, user="U0MIA", message=message)

    start = datetime(2026, 11, 16, tzinfo=UTC)
    [decision] = store.worker_events("w-ana", start, start + timedelta(days=2)).decisions
    assert decision.decision is Decision.REJECTED
    first, second = fake_slack.made("chat.update")
    assert "Rejected by <@U0MIA>." in view_text(first.args)
    assert "Nothing changed: this correction was already decided." in view_text(second.args)
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == ["Punch correction to 17:30 rejected."]


def test_a_worker_cannot_decide(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack)
    [pending] = store.pending_corrections("acme")

    slack.click("correction.approve", pending.event_id, user="U0ANA", message=message)

    assert store.pending_corrections("acme") == [pending]
    assert fake_slack.dms_to("U0ANA") == []


def test_managers_can_also_decide_by_typing(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    [pending] = store.pending_corrections("acme")

    answer = slack.command("/punch", f"approve {pending.event_id[-4:]}", user="U0MIA")

    assert answer.text == "Punch correction to 17:30 approved."
    assert store.pending_corrections("acme") == []
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == ["Punch correction to 17:30 approved."]


def test_an_explicit_clock_in_time_is_a_correction_too(slack, ana, manager, fake_slack, store):
    answer = slack.command("/clockin", "7:30 bus was late")

    assert answer.text.startswith("Clocked in 07:30. Sent to your manager for approval.")
    assert len(store.pending_corrections("acme")) == 1
    assert fake_slack.dms_to("U0MIA")[0]["text"].startswith("Ana Lopez asks to clock in at 07:30")


def test_a_manager_without_slack_is_asked_by_sms_when_the_deployment_texts(
    slack, ana, manager, clock, fake_slack, store, monkeypatch
):
    from dataclasses import replace

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    from bot.slack import handler

    store.update_worker(replace(manager, slack_team_id=None, slack_user_id=None), manager.version)
    monkeypatch.setenv("SMS_PROVIDER", "aws")
    handler.reset()

    _correct_clock_out(slack, clock, fake_slack)

    texts = list(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values())
    [(phone, body)] = [(t[0], t[1]) for t in texts]
    ref = store.pending_corrections("acme")[0].event_id[-4:]
    assert phone == "+15550000009"
    assert body == f"Ana Lopez asks to clock out at 17:30: forgot. Reply APPROVE {ref} or REJECT {ref}."
    assert fake_slack.dms_to("U0MIA") == []


def test_a_manager_invites_a_phone_from_slack_and_the_code_is_texted(slack, manager, store, monkeypatch):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    from bot.slack import handler

    monkeypatch.setenv("SMS_PROVIDER", "aws")
    handler.reset()

    answer = slack.command("/punch", "invite +1 555 010 7777 Dee Vance", user="U0MIA", user_name="mia")

    assert answer.text.startswith("Invited Dee Vance (+15550107777). Code ")
    code = answer.text.split("Code ")[1][:6]
    texts = [(t[0], t[1]) for t in sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values()]
    assert texts == [("+15550107777", f"Acme Field Services invites you to Punchclock. Reply JOIN {code} to start.")]
    assert store.get_invite(code) is not None


def test_a_look_alike_command_gets_its_own_follow_up(slack, ana, store, fake_slack, clock):
    window = 60
    start = (slack.now // window) * window - window
    slack.command("/clockin", timestamp=start + 1)
    clock.advance(seconds=20)
    slack.command("/clockout", timestamp=start + 21)
    clock.advance(seconds=20)
    published = len(fake_slack.made("views.publish"))
    slack.command("/clockin", timestamp=start + 41)
    # the third command's Home tab republish ran (it is not mistaken for the first one's)
    assert len(fake_slack.made("views.publish")) == published + 1


def test_the_team_board_shows_who_turned_texts_off(slack, ana, manager, store):
    from dataclasses import replace

    store.update_worker(replace(ana, sms_opted_out=True), ana.version)
    board = slack.command("/team", user="U0MIA", user_name="mia")
    assert "Ana Lopez* _(texts off: replied STOP)_" in view_text({"blocks": board.body["blocks"]})


HOSTILE_REASON = "<!channel> <https://evil.example|Approve here> & <!here>"
SLACK_CONTROL = re.compile(r"<(?!@U0MIA>)")  # any mention, link or broadcast but the decider's own mention


def test_worker_typed_text_reaches_managers_escaped_in_fallbacks_too(slack, ana, manager, clock, fake_slack, store):
    from dataclasses import replace

    # Given a worker whose name and correction reason are Slack markup
    store.update_worker(replace(ana, name="Ana <!here>"), ana.version)
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=47)
    fake_slack.reset()
    slack.command("/clockout", f"17:30 {HOSTILE_REASON}", timestamp=slack.later(1))

    # Then the manager's DM shows it as typed, in the blocks and in the text fallback alike
    [dm] = fake_slack.dms_to("U0MIA")
    assert not SLACK_CONTROL.search(dm["text"]), dm["text"]
    assert "&lt;!channel&gt; &lt;https://evil.example|Approve here&gt; &amp; &lt;!here&gt;" in dm["text"]
    assert not SLACK_CONTROL.search(view_text(dm)), view_text(dm)

    # When the manager approves, and Slack hands the message back as it was posted
    [pending] = store.pending_corrections("acme")
    message = _approval_dm(fake_slack)
    slack.click("correction.approve", pending.event_id, user="U0MIA", message=message)

    # Then the updated message is escaped too, once, and still names who decided
    [update] = fake_slack.made("chat.update")
    assert not SLACK_CONTROL.search(update.args["text"]), update.args["text"]
    assert "&amp;amp;" not in update.args["text"] and "&amp;lt;" not in update.args["text"]
    assert update.args["text"].endswith("Approved by <@U0MIA>.")
    assert not SLACK_CONTROL.search(view_text(update.args)), view_text(update.args)


def test_a_decision_on_a_message_posted_raw_is_escaped_in_the_update(slack, ana, manager, clock, fake_slack, store):
    # Given an approval DM posted before fallbacks were escaped (Slack hands its text back as posted)
    _correct_clock_out(slack, clock, fake_slack)
    [pending] = store.pending_corrections("acme")
    message = {**_approval_dm(fake_slack), "text": f"Ana Lopez asks to clock out at 17:30: {HOSTILE_REASON}."}

    # When the manager decides
    slack.click("correction.reject", pending.event_id, user="U0MIA", message=message)

    # Then the update does not turn the old text into live markup
    [update] = fake_slack.made("chat.update")
    assert not SLACK_CONTROL.search(update.args["text"]), update.args["text"]


def test_the_team_board_fallback_text_escapes_names(slack, ana, manager, store):
    from dataclasses import replace

    store.update_worker(replace(ana, name="<!channel> Ana"), ana.version)
    slack.command("/clockin", timestamp=slack.later(0))

    board = slack.command("/team", user="U0MIA", user_name="mia")

    assert not SLACK_CONTROL.search(board.text), board.text
    assert "&lt;!channel&gt; Ana" in board.text
