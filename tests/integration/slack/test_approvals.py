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


def _approval_dm(fake_slack, store, user: str = "U0MIA", manager_id: str = "w-mia"):  # type: ignore[no-untyped-def]
    """The manager's approval DM as Slack would hand it back in a click: where the notify side posted it."""
    [dm] = [dm for dm in fake_slack.dms_to(user) if button_ids(dm)]
    item_id = dm["blocks"][-1]["elements"][0]["value"]
    [posted] = [m for m in store.approval_messages(item_id) if m.manager_id == manager_id]
    return {"ts": posted.ts, "channel": posted.channel, "text": dm["text"], "blocks": dm["blocks"]}


def test_a_correction_asks_the_manager_with_buttons(slack, ana, manager, clock, fake_slack, store):
    answer = _correct_clock_out(slack, clock, fake_slack)

    assert answer.text == "Clocked out 17:30. Shift 9h 32m since 07:58. Sent to your manager for approval. /timesheet"
    [pending] = store.pending_corrections("acme")
    [dm] = fake_slack.dms_to("U0MIA")
    # who, what changes (from -> to, the day), why, and the number the manager may type
    assert dm["text"] == "#1 Ana Lopez: out 17:45->17:30 Mon 16 Nov, forgot. Approve or reject in Slack."
    assert "_(0m ago)_" in view_text(dm) and "`/punch approve 1`" in view_text(dm)
    assert button_ids(dm) == ["correction.approve", "correction.reject"]
    assert {e["value"] for e in dm["blocks"][-1]["elements"]} == {pending.event_id}
    assert fake_slack.dms_to("U0ANA") == []  # the worker's own reply was the ephemeral answer


def test_approve_records_the_decision_and_tells_the_worker(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack, store)
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
    assert (update.args["channel"], update.args["ts"]) == (message["channel"], message["ts"])
    assert "Approved by Mia Boss, Mon 16 Nov 17:55." in view_text(update.args)  # a name, never a raw mention
    assert "<@" not in update.args["text"] and "<@" not in view_text(update.args)
    assert button_ids(update.args) == []
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == [
        "Your clock-out 17:30 on Mon 16 Nov was approved by Mia Boss."
    ]
    assert "Off" in view_text(fake_slack.homes_of("U0ANA")[-1])


def test_reject_and_a_second_click_changes_nothing_more(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack, store)
    [pending] = store.pending_corrections("acme")

    slack.click("correction.reject", pending.event_id, user="U0MIA", message=message)
    slack.click("correction.approve", pending.event_id, user="U0MIA", message=message)

    start = datetime(2026, 11, 16, tzinfo=UTC)
    [decision] = store.worker_events("w-ana", start, start + timedelta(days=2)).decisions
    assert decision.decision is Decision.REJECTED
    first, second = fake_slack.made("chat.update")
    assert "Rejected by Mia Boss, Mon 16 Nov 17:45." in view_text(first.args)
    assert "Nothing changed: this was already decided." in view_text(second.args)
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == [
        "Your clock-out 17:30 on Mon 16 Nov was rejected by Mia Boss."
    ]


def test_a_worker_cannot_decide(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)
    message = _approval_dm(fake_slack, store)
    [pending] = store.pending_corrections("acme")

    slack.click("correction.approve", pending.event_id, user="U0ANA", message=message)

    assert store.pending_corrections("acme") == [pending]
    assert fake_slack.dms_to("U0ANA") == []


def test_managers_can_also_decide_by_typing(slack, ana, manager, clock, fake_slack, store):
    _correct_clock_out(slack, clock, fake_slack)

    answer = slack.command("/punch", "approve 1", user="U0MIA")

    assert answer.text == "Approved #1 Ana Lopez: out 17:45-&gt;17:30 Mon 16 Nov."  # as Slack reads it: ->
    assert store.pending_corrections("acme") == []
    assert [dm["text"] for dm in fake_slack.dms_to("U0ANA")] == [
        "Your clock-out 17:30 on Mon 16 Nov was approved by Mia Boss."
    ]
    # the DM Mia got about it shows who decided, though she decided by typing
    [update] = fake_slack.made("chat.update")
    assert "Approved by Mia Boss" in view_text(update.args) and button_ids(update.args) == []


def test_an_explicit_clock_in_time_is_a_correction_too(slack, ana, manager, fake_slack, store):
    answer = slack.command("/clockin", "7:30 bus was late")

    assert answer.text.startswith("Clocked in 07:30. Sent to your manager for approval.")
    assert len(store.pending_corrections("acme")) == 1
    assert fake_slack.dms_to("U0MIA")[0]["text"].startswith("#1 Ana Lopez: in 07:58->07:30 Mon 16 Nov, bus was late.")


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
    assert phone == "+15550000009"
    assert body == "#1 Ana Lopez: out 17:45->17:30 Mon 16 Nov, forgot. Reply APPROVE 1 or REJECT 1 why."
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
SLACK_CONTROL = re.compile(r"<")  # any mention, link or broadcast: none, not even the decider's


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
    message = _approval_dm(fake_slack, store)
    slack.click("correction.approve", pending.event_id, user="U0MIA", message=message)

    # Then the updated message is escaped too, once, and still names who decided
    [update] = fake_slack.made("chat.update")
    assert not SLACK_CONTROL.search(update.args["text"]), update.args["text"]
    assert "&amp;amp;" not in update.args["text"] and "&amp;lt;" not in update.args["text"]
    assert update.args["text"].endswith("Approved by Mia Boss, Mon 16 Nov 17:45.")
    assert not SLACK_CONTROL.search(view_text(update.args)), view_text(update.args)


def test_a_decision_on_a_message_posted_raw_is_escaped_in_the_update(slack, ana, manager, clock, fake_slack, store):
    # Given an approval DM posted before fallbacks were escaped (Slack hands its text back as posted),
    # and before its place was kept (the click's own update settles it)
    _correct_clock_out(slack, clock, fake_slack)
    [pending] = store.pending_corrections("acme")
    message = {**_approval_dm(fake_slack, store), "ts": "1700000000.000001", "channel": "D0OLD"}
    message["text"] = f"Ana Lopez asks to clock out at 17:30: {HOSTILE_REASON}."

    # When the manager decides
    slack.click("correction.reject", pending.event_id, user="U0MIA", message=message)

    # Then the update does not turn the old text into live markup
    [update] = [call for call in fake_slack.made("chat.update") if call.args["channel"] == "D0OLD"]
    assert not SLACK_CONTROL.search(update.args["text"]), update.args["text"]
    assert update.args["text"].endswith("Rejected by Mia Boss, Mon 16 Nov 17:45.")


def test_the_team_board_fallback_text_escapes_names(slack, ana, manager, store):
    from dataclasses import replace

    store.update_worker(replace(ana, name="<!channel> Ana"), ana.version)
    slack.command("/clockin", timestamp=slack.later(0))

    board = slack.command("/team", user="U0MIA", user_name="mia")

    assert not SLACK_CONTROL.search(board.text), board.text
    assert "&lt;!channel&gt; Ana" in board.text
