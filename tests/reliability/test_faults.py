"""Faults: DynamoDB failing on each call of each command, and every provider failing where it is called.

A day of commands runs once cleanly (the reference), then again with one fault at the n-th
DynamoDB call of every command (cold containers: every read is made), for every n. Each time:
- the person gets the reference answer or the catalogue's "error" answer, never one that says
  nothing was recorded when it may have been, and never a refusal the fault made up;
- the table holds nothing or all of what the reference command wrote: nothing half-written;
- the request delivered again (Twilio's retry, the same Slack request) ends as the reference:
  the same answer, exactly the same change to the table.
Before each day the table is put back as it was, so every day starts alike and stays small. (The
notify function is not run here: what it does with the notices committed is another test's.)

By default each n gets one fault before the call (throttled, throttling, internal error, connect
timeout, a transaction cancelled for throttling, in turn) and a lost answer after it (the write
committed); `--long` gives every n every fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from tests.integration.sms.helpers import new_sid
from tests.reliability.conftest import BEFORE, SLACK_ERROR, SMS_ERROR, Fault, Rig, changed

START = datetime(2026, 11, 16, 12, 58, tzinfo=UTC)  # 07:58 in New York
SLACK_APOLOGY = "Sorry, something went wrong on our side. Please try again in a minute."
CODE = re.compile(r"\b\d{6}\b")


@dataclass(frozen=True)
class Step:
    who: str  # a phone, or a Slack user id
    text: str  # may name `{code}`: the JOIN code the day's invite answered
    minutes: int  # after 07:58
    changes: bool = True  # a command that may write (its error answer must not say it did not)


def fault_plan(long: bool, most_calls: int) -> Iterator[tuple[Fault, int]]:
    """(fault, n) for every n: one fault before the call in turn and a lost answer; `long`: all."""
    for n in range(1, most_calls + 1):
        if long:
            yield from ((fault, n) for fault in (*BEFORE, Fault.LOST))
        else:
            yield BEFORE[n % len(BEFORE)], n
            yield Fault.LOST, n


class Day:
    """Runs a day's steps through one door, with or without a fault, and checks each against the reference."""

    def __init__(self, rig: Rig, steps: list[Step], send: Callable[[Step, str, str], str], errors: dict[bool, str]):
        self.rig, self.steps, self.send, self.errors = rig, steps, send, errors
        self.baseline = rig.keep()
        self.reference: list[tuple[str, list[str], int]] = []  # answer, changes, DynamoDB calls

    def everything(self, long: bool) -> None:
        """The reference day, then a day per fault and call: each call of each step was hit."""
        self.run()
        calls = [calls for _, _, calls in self.reference]
        plan = list(fault_plan(long, max(calls)))
        hits = sum(self.run(fault, at) for fault, at in plan)
        assert hits == len(plan) // max(calls) * sum(calls)

    def restore(self) -> None:
        """The table as it was before the first day (the test setting the scene, not the app)."""
        self.rig.put_back(self.baseline)

    def run(self, fault: Fault | None = None, at: int = 0) -> int:
        """The day; the number of steps the fault hit."""
        self.restore()
        hit, code = 0, ""
        for i, step in enumerate(self.steps):
            self.rig.clock.set(START + timedelta(minutes=step.minutes))
            self.rig.cold()
            text = step.text.format(code=code)
            request = new_sid()
            if fault is None:
                before = self.rig.items()
                self.rig.faults.arm(None)
                answer = self.send(step, text, request)
                self.reference.append((answer, changed(before, self.rig.items()), len(self.rig.faults.seen)))
                code = _code(answer) or code
                continue
            expected, changes, calls = self.reference[i]
            if at > calls:  # the fault would not hit this step: run it as it is
                code = _code(self.send(step, text, request)) or code
                continue
            hit += 1
            code = _code(self._faulted(step, text, request, fault, at, expected, changes)) or code
        return hit

    def _faulted(
        self, step: Step, text: str, request: str, fault: Fault, at: int, expected: str, changes: list[str]
    ) -> str:
        what = f"{fault.value} at call {at} of {text!r}"
        before = self.rig.items()
        self.rig.faults.arm(fault, at)
        answer = self.send(step, text, request)
        assert self.rig.faults.fired, what
        # A true answer: as without the fault, or "something went wrong", never a made-up refusal
        assert _masked(answer) in (_masked(expected), self.errors[step.changes]), f"{what}: {answer!r}"
        # Nothing half-written: all of the change or none of it (a manager's numbering, saved
        # before a decision so that `APPROVE 2` means what was shown, may stand alone: no decision)
        assert changed(before, self.rig.items()) in ([], changes, ["+view"]), what
        # The same request again ends as it would have without the fault
        self.rig.cold()
        again = self.send(step, text, request)
        assert _masked(again) == _masked(expected), f"{what}, then again: {again!r}"
        assert changed(before, self.rig.items()) == changes, f"{what}, then again"
        return again


def _code(answer: str) -> str:
    found = CODE.search(answer) if answer.startswith("Invited") else None
    return found.group(0) if found else ""


def _masked(answer: str) -> str:
    return CODE.sub("######", answer)


# -- DynamoDB, door by door ------------------------------------------------------------------------

SMS_DAY = [
    Step("ana", "in north-site", 0),
    Step("ana", "lunch", 240),
    Step("ana", "back", 272),
    Step("ana", "exp 12.50 fuel", 273),
    Step("ana", "status", 274, changes=False),
    Step("ana", "hours", 275, changes=False),
    Step("ana", "out 17:00 forgot", 600),
    Step("mia", "APPROVE", 610),
    Step("mia", "invite +15550000044 Cleo Park", 611),
    Step("+15550000044", "JOIN {code}", 612),
]


def test_dynamodb_failing_at_each_call_of_each_text(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    phones = {"ana": str(ana.phone), "mia": str(manager.phone)}

    def send(step: Step, text: str, sid: str) -> str:
        return rig.text(phones.get(step.who, step.who), text, sid=sid, pump=False)

    day = Day(rig, SMS_DAY, send, {True: SMS_ERROR, False: SMS_ERROR})
    day.everything(long)


SLACK_DAY = [
    Step("U0ANA", "/clockin north-site", 0),
    Step("U0ANA", "/break", 240),
    Step("U0ANA", "/back", 252),
    Step("U0ANA", "/expense 12.50 fuel", 253),
    Step("U0ANA", "/status", 254, changes=False),
    Step("U0ANA", "/timesheet", 255, changes=False),
    Step("U0ANA", "/clockout 17:00 forgot", 600),
    Step("U0MIA", "/punch approve", 610),
]


def test_dynamodb_failing_at_each_call_of_each_slack_command(rig, ana, manager, long):  # type: ignore[no-untyped-def]
    def send(step: Step, text: str, request: str) -> str:
        command, _, words = text.partition(" ")
        fields = dict(parse_qsl(rig.slack.command_body(command, words, user=step.who)))
        body = urlencode({**fields, "trigger_id": f"1337.{request[-8:]}"})  # the same request, byte for byte
        answer = rig.slack.post(body, "application/x-www-form-urlencoded", lazy=False)
        rig.faults.disarm()
        assert answer.status == 200 and rig.slack.lambda_client.queued == []  # commands start no lazy work
        return answer.text

    day = Day(rig, SLACK_DAY, send, {True: SLACK_ERROR, False: SLACK_APOLOGY})
    day.everything(long)


def test_a_transaction_cancelled_by_throttling_is_not_a_refusal(rig, ana, manager, store, clock):  # type: ignore[no-untyped-def]
    """DynamoDB may cancel a transaction for throttling (or a conflict that does not clear): no
    condition failed, so nothing may be answered as if one had ("already decided", "bad code")."""
    rig.text(str(ana.phone), "in")
    clock.advance(hours=10)
    rig.text(str(ana.phone), "out 17:00 forgot")

    rig.faults.arm(Fault.CANCELLED, operation="TransactWriteItems")
    assert rig.text(str(manager.phone), "APPROVE", sid="SMapprove") == SMS_ERROR
    assert len(store.pending_corrections("acme")) == 1  # still waiting: nobody decided it
    assert (
        rig.text(str(manager.phone), "APPROVE", sid="SMapprove")
        == "Approved #1 Ana Lopez: out 17:58->17:00 Mon 16 Nov."
    )

    code = _code(rig.text(str(manager.phone), "invite +15550000044 Cleo Park"))
    rig.faults.arm(Fault.CANCELLED, operation="TransactWriteItems")
    assert rig.text("+15550000044", f"JOIN {code}", sid="SMjoin") == SMS_ERROR  # the code is good
    assert rig.text("+15550000044", f"JOIN {code}", sid="SMjoin").startswith("Welcome Cleo Park!")


def test_a_slack_expense_whose_answer_was_lost_typed_again_minutes_later_is_logged_once(rig, ana, store, clock):  # type: ignore[no-untyped-def]
    # Given /expense committed, but its answer was lost on the way back
    rig.faults.arm(Fault.LOST, operation="TransactWriteItems")
    first = rig.slack.command("/expense", "12.50 fuel", timestamp=rig.slack.later(0))
    rig.faults.disarm()
    assert first.text == SLACK_ERROR  # it may have been saved: the answer does not say it was not

    # When Ana types it again two minutes later (a new submission, as far as Slack is concerned)
    clock.advance(minutes=2)
    again = rig.slack.command("/expense", "12.50 fuel", timestamp=rig.slack.later(1))

    # Then it is the same expense, and she is told how to log a second one if she meant to
    assert again.text == (
        "Already logged: 12.50 USD fuel on 2026-11-16. Another one? Add a word, e.g. /expense 12.50 fuel 2nd"
    )
    day = clock.now().date()
    assert len(store.worker_expenses("w-ana", day, day)) == 1
    assert rig.slack.command("/expense", "12.50 fuel 2nd", timestamp=rig.slack.later(2)).text.startswith("Expense")
    assert len(store.worker_expenses("w-ana", day, day)) == 2


def test_an_approval_click_that_failed_on_our_side_keeps_its_buttons(rig, ana, manager, store, clock):  # type: ignore[no-untyped-def]
    # Given Ana's correction in Mia's Slack DM, with its Approve and Reject buttons
    rig.text(str(ana.phone), "in")
    clock.advance(hours=10)
    rig.text(str(ana.phone), "out 17:00 forgot")
    [dm] = rig.slack_api.dms_to("U0MIA")
    [pending] = store.pending_corrections("acme")
    [posted] = store.approval_messages(pending.event_id)  # where the DM went (issue 12 keeps it)
    message = {"ts": posted.ts, "channel": posted.channel, "text": dm["text"], "blocks": dm["blocks"]}

    # When her Approve click is throttled by DynamoDB (nothing decided)
    rig.faults.arm(Fault.THROTTLED, operation="TransactWriteItems")
    rig.slack.click("correction.approve", pending.event_id, user="U0MIA", message=message, action_ts="1790000600.1")
    rig.faults.disarm()

    # Then the DM does not claim it was decided already, and she is told to try again
    assert len(store.pending_corrections("acme")) == 1
    assert rig.slack_api.made("chat.update") == []
    assert [r["text"] for r in rig.slack_api.responses()] == [
        "Sorry, something went wrong on our side. Please try again in a minute."
    ]
    # And the next click decides it
    rig.slack.click("correction.approve", pending.event_id, user="U0MIA", message=message, action_ts="1790000600.2")
    assert store.pending_corrections("acme") == []
    [update] = rig.slack_api.made("chat.update")
    assert "Approved by Mia Boss" in update.args["text"] and "<@" not in update.args["text"]
