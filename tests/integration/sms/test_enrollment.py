"""Who may text: invites and JOIN codes, and one short answer a day for everyone else."""

from __future__ import annotations

import re

import pytest

from core import commands as c
from core.domain.model import Channel
from core.domain.transitions import Origin
from core.services import enrollment
from tests.conftest import short_lived
from tests.integration.sms.helpers import TwilioPhone, new_sid

BEN = "+15550000002"
EVE = "+15550000666"
NOT_REGISTERED = "This number is not registered with Punchclock. Ask your manager for an invite, then text JOIN <code>."

CLI = Origin(Channel.CLI)  # as `punchclock worker invite` calls it


def invite(ports, manager, org, phone: str = BEN, name: str = "Ben Ortiz") -> str:  # type: ignore[no-untyped-def]
    outcome = enrollment.invite(c.Invite(phone=phone, name=name), manager, org, CLI, ports)
    assert outcome.code == "invited"
    return str(outcome.data["code"])


def sms() -> Origin:
    """A text of its own (a fresh message id), as the SMS door passes it."""
    return Origin(Channel.SMS, new_sid())


def markers(ddb) -> list[str]:  # type: ignore[no-untyped-def]
    return short_lived(ddb)


def test_a_manager_invites_by_text_and_the_worker_joins_by_text(mia_phone, twilio, store, clock):  # type: ignore[no-untyped-def]
    # Given the manager texts an invite
    assert mia_phone.text("invite +1 (555) 000-0002 Ben Ortiz").startswith("Invited Ben Ortiz (+15550000002). Code ")
    # Then Ben gets the code from our number
    [invitation] = twilio.texts_to(BEN)
    assert invitation.startswith("Acme Field Services invites you to Punchclock. Reply JOIN ")
    code = invitation.split("JOIN ")[1].split()[0]
    # When Ben replies with it
    clock.advance(hours=2)
    ben = TwilioPhone(BEN)
    assert ben.text(f"join {code}") == "Welcome Ben Ortiz! You are set up. Text IN, HELP."
    # Then his phone is his, and he can clock in
    assert store.find_worker_by_phone(BEN).name == "Ben Ortiz"
    assert ben.text("in").startswith("Clocked in 09:58.")


def test_a_redelivered_join_gets_the_same_welcome(twilio_door, ports, manager, org):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    ben = TwilioPhone(BEN)
    welcome = ben.text(f"JOIN {code}")
    assert ben.text(f"JOIN {code}", sid=ben.last_sid) == welcome
    assert ben.text(f"JOIN {code}") == "This number is already set up. Text HELP for commands."


@pytest.mark.parametrize("typed", ["JOIN {a}-{b}", "join {a} {b}", "Join: {a}{b}!"])
def test_the_code_may_be_typed_loosely(twilio_door, ports, manager, org, typed):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    ben = TwilioPhone(BEN)
    loose = typed.format(a=code[:3], b=code[3:])  # (string replacement misfired when the code held "456")
    assert ben.text(loose) == "Welcome Ben Ortiz! You are set up. Text IN, HELP."


def test_a_code_is_only_good_for_the_invited_number(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    eve = TwilioPhone(EVE)
    assert eve.text(f"JOIN {code}") == "That code is not valid for this number. Ask your manager for a new invite."
    assert store.find_worker_by_phone(EVE) is None
    # and the invited number can still use it
    assert TwilioPhone(BEN).text(f"JOIN {code}").startswith("Welcome Ben Ortiz!")


def test_an_expired_code_is_refused(twilio_door, ports, manager, org, clock, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    clock.advance(hours=48, minutes=1)
    assert TwilioPhone(BEN).text(f"JOIN {code}") == "That code has expired. Ask your manager for a new invite."
    assert store.find_worker_by_phone(BEN) is None


def test_a_used_code_cannot_be_used_again(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    assert TwilioPhone(BEN).text(f"JOIN {code}").startswith("Welcome")
    # Ben's number moves on; someone else now holds a phone invited with the same (spent) code
    assert TwilioPhone(EVE).text(f"JOIN {code}") == (
        "That code is not valid for this number. Ask your manager for a new invite."
    )
    assert store.get_invite(code) is None


def test_a_wrong_code_is_refused(twilio_door, ports, manager, org):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert TwilioPhone(BEN).text(f"JOIN {wrong}").startswith("That code is not valid for this number.")


def test_an_unknown_number_gets_one_answer_a_day_and_nothing_else_is_written(twilio_door, ddb, clock, twilio):  # type: ignore[no-untyped-def]
    stranger = TwilioPhone(EVE)
    # Given a number nobody invited texts, again and again
    assert stranger.text("in") == NOT_REGISTERED
    first_sid = stranger.last_sid
    assert stranger.text("hello?") == ""
    assert stranger.text("HELP") == ""
    assert stranger.text("JOIN 000000") == ""  # guessing codes earns no free texts either
    clock.advance(hours=23, minutes=59)
    assert stranger.text("in") == ""
    # Then the only thing written is the one marker that says we answered
    assert markers(ddb) == [f"RATE#stranger-reply:{EVE}/RATE"]
    # A redelivery of the text we answered gets the same answer
    assert stranger.text("in", sid=first_sid) == NOT_REGISTERED
    # And a day later, one more answer
    clock.advance(minutes=2)
    assert stranger.text("in") == NOT_REGISTERED
    assert twilio.sent == []  # all of it in TwiML, nothing through the REST API


def test_texts_from_short_codes_and_names_are_ignored(twilio_door, ddb):  # type: ignore[no-untyped-def]
    assert TwilioPhone("22395").text("Your code is 1234") == ""
    assert TwilioPhone("ACMEBANK").text("Hello") == ""
    assert markers(ddb) == []


def test_a_deactivated_worker_hears_so_once_a_day_and_can_still_opt_out(twilio_door, store, ana, clock):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    store.update_worker(replace(ana, active=False), ana.version)
    phone = TwilioPhone(ana.phone)
    assert phone.text("in") == "Your Punchclock access is switched off. Ask your manager."
    assert phone.text("in") == ""
    assert phone.text("STOP") == ""
    worker = store.get_worker("w-ana", fresh=True)
    assert worker.sms_opted_out is True and worker.state.status.value == "off"


def test_a_number_that_texted_stop_is_not_invited(ports, org, manager, clock):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from core import commands as c
    from core.domain.model import Channel
    from core.domain.transitions import Origin
    from core.services import enrollment

    stranger = "+15557770000"
    ports.store.record_sms_stop(stranger, clock.now(), clock.now() + timedelta(days=365))
    out = enrollment.invite(c.Invite(phone=stranger, name="Zed"), manager, org, Origin(Channel.CLI), ports)
    assert out.code == "phone_opted_out"
    assert ports.store.get_invite("000000") is None


GLOBEX_PHONE = "+15550000777"


def _globex_worker(store, **changes):  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import time

    from core.domain.model import Org, Worker

    store.save_org(Org(org_id="globex", name="Globex", timezone="America/Chicago", workday_start=time(0, 0)))
    worker = store.add_worker(Worker(worker_id="w-gus", org_id="globex", name="Gus Globex", phone=GLOBEX_PHONE))
    return store.update_worker(replace(worker, **changes), worker.version) if changes else worker


def test_inviting_a_phone_of_another_org_reveals_nothing_about_it(ports, org, manager, store, mia_phone, twilio):  # type: ignore[no-untyped-def]
    # Given a phone registered to a worker of another organisation, and one nobody registered
    _globex_worker(store)
    free = "+15550000778"

    # When Acme's manager invites each of them
    theirs = mia_phone.text(f"invite {GLOBEX_PHONE} Gus G")
    unknown = mia_phone.text(f"invite {free} Gus G")

    # Then both answers read alike: nothing says the first one is anybody's
    assert "belongs" not in theirs
    code = re.compile(r"Code \d{6} ")
    assert code.sub("Code ###### ", theirs).replace(GLOBEX_PHONE, "PHONE") == code.sub("Code ###### ", unknown).replace(
        free, "PHONE"
    )
    # And Globex's worker keeps their phone
    assert store.find_worker_by_phone(GLOBEX_PHONE).org_id == "globex"


def test_a_phone_of_another_org_that_turned_texts_off_reads_like_any_number_that_texted_stop(
    ports, org, manager, store, clock
):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    _globex_worker(store, sms_opted_out=True)
    stopped = "+15550000779"
    ports.store.record_sms_stop(stopped, clock.now(), clock.now() + timedelta(days=365))

    theirs = enrollment.invite(c.Invite(phone=GLOBEX_PHONE, name="Gus"), manager, org, CLI, ports)
    stranger = enrollment.invite(c.Invite(phone=stopped, name="Gus"), manager, org, CLI, ports)

    assert (theirs.code, stranger.code) == ("phone_opted_out", "phone_opted_out")


def test_a_phone_of_the_managers_own_org_is_still_named_as_taken(ports, org, manager, ana):  # type: ignore[no-untyped-def]
    outcome = enrollment.invite(c.Invite(phone=ana.phone, name="Ana again"), manager, org, CLI, ports)
    assert outcome.code == "phone_taken"


def _wrong(code: str, n: int) -> str:
    return f"{(int(code) + 1 + n) % 1_000_000:06d}"


def test_wrong_codes_from_the_invited_number_void_the_invite_after_five(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    # Given Ben is invited, and someone texting as Ben's number guesses codes
    code = invite(ports, manager, org)
    ben = TwilioPhone(BEN)
    for n in range(enrollment.JOIN_FAILURE_LIMIT):
        ben.text(f"JOIN {_wrong(code, n)}")

    # When the right code comes after that
    ben.text(f"JOIN {code}")

    # Then it joins nobody: the invite was voided at the fifth wrong code
    assert store.find_worker_by_phone(BEN) is None
    assert store.get_invite(code) is None


def test_three_hundred_guesses_then_the_right_code_join_nobody(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    for n in range(300):
        outcome, worker = enrollment.join(_wrong(code, n), BEN, sms(), ports)
        assert worker is None and outcome.code == "bad_code"

    outcome, worker = enrollment.join(code, BEN, sms(), ports)

    assert (outcome.code, worker) == ("bad_code", None)
    assert store.find_worker_by_phone(BEN) is None


def test_a_few_typos_still_let_the_worker_join(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    for n in range(enrollment.JOIN_FAILURE_LIMIT - 1):
        enrollment.join(_wrong(code, n), BEN, sms(), ports)

    outcome, worker = enrollment.join(code, BEN, sms(), ports)

    assert outcome.code == "joined" and worker is not None


def test_a_new_invite_after_a_voided_one_gets_a_fresh_budget(twilio_door, ports, manager, org, store, clock):  # type: ignore[no-untyped-def]
    # Given Ben's number used up its tries on the first invite
    first = invite(ports, manager, org)
    for n in range(enrollment.JOIN_FAILURE_LIMIT):
        enrollment.join(_wrong(first, n), BEN, sms(), ports)
    # When the manager invites Ben again, and Ben mistypes once before getting it right
    clock.advance(minutes=5)
    second = invite(ports, manager, org)
    enrollment.join(_wrong(second, 0), BEN, sms(), ports)
    outcome, worker = enrollment.join(second, BEN, sms(), ports)
    # Then Ben joins with the new code, and the first is still void
    assert outcome.code == "joined" and worker is not None
    assert store.get_invite(first) is None


def test_wrong_codes_from_other_numbers_do_not_void_someone_elses_invite(twilio_door, ports, manager, org, store):  # type: ignore[no-untyped-def]
    code = invite(ports, manager, org)
    for n in range(2 * enrollment.JOIN_FAILURE_LIMIT):
        enrollment.join(code, f"+1555099{n:04d}", sms(), ports)  # the right code, from numbers it was not sent to

    outcome, _ = enrollment.join(code, BEN, sms(), ports)

    assert outcome.code == "joined"


def test_a_worker_switched_off_elsewhere_is_refused_by_a_warm_container(ana_phone, ddb, store):  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import date

    from core.store.dynamodb import DynamoStore
    from tests.conftest import TABLE

    # Given Ana's number is cached as an active worker's
    ana_phone.text("status")
    # When an admin switches her off through another container
    other = DynamoStore(ddb, TABLE)
    ana = other.get_worker("w-ana", fresh=True)
    other.update_worker(replace(ana, active=False), ana.version)

    # Then her texts are refused (once a day in words, as for any switched-off number) and nothing is written
    replies = [ana_phone.text(text) for text in ("status", "hours", "exp 12.50 fuel", "in")]
    assert replies[0] == "Your Punchclock access is switched off. Ask your manager."
    assert set(replies[1:]) <= {"", replies[0]}
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 11, 30)) == []
    assert store.get_worker("w-ana", fresh=True).state.status.value == "off"


def test_a_manager_demoted_elsewhere_cannot_invite_by_text(mia_phone, ddb, store, twilio):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from core.domain.model import Role
    from core.store.dynamodb import DynamoStore
    from tests.conftest import TABLE

    mia_phone.text("status")
    other = DynamoStore(ddb, TABLE)
    mia = other.get_worker("w-mia", fresh=True)
    other.update_worker(replace(mia, role=Role.WORKER), mia.version)

    assert mia_phone.text("invite +1 555 010 7777 Dee Vance") == "Only managers can do that."
    assert twilio.texts_to("+15550107777") == []


@pytest.mark.parametrize("text", ["exp 12.50 fuel", "hours", "status", "out 17:00 forgot"])
def test_the_first_text_after_a_switch_off_elsewhere_is_refused(ana_phone, ddb, store, text):  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import date

    from core.store.dynamodb import DynamoStore
    from tests.conftest import TABLE

    ana_phone.text("status")
    other = DynamoStore(ddb, TABLE)
    ana = other.get_worker("w-ana", fresh=True)
    other.update_worker(replace(ana, active=False), ana.version)

    assert ana_phone.text(text) == "Your Punchclock access is switched off. Ask your manager."
    assert store.worker_expenses("w-ana", date(2026, 11, 1), date(2026, 11, 30)) == []
    assert store.pending_corrections("acme") == []
