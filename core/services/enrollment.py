"""Who may use Punchclock: invites, JOIN codes, Slack auto-enrolment, SMS opt-out."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from core import commands as c
from core.domain.ids import new_id
from core.domain.model import Channel, Org, Role, Worker
from core.domain.transitions import Origin, iso, new_notice
from core.ports import Change, Conflict, DuplicateDelivery, Invite, NoticeKind, Outcome, StaleWorker
from core.services import deliveries
from core.services.access import manager_now
from core.services.ports import Ports

INVITE_LIFETIME = timedelta(hours=48)
# Wrong JOIN codes an invited number may send: each counts against every live invite of that
# number, and an invite that reaches the limit is void (the manager invites again). Five guesses
# at a six-digit code succeed once in 200,000 invites.
JOIN_FAILURE_LIMIT = 5


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def invite(cmd: c.Invite, manager: Worker, org: Org, origin: Origin, ports: Ports) -> Outcome:
    """A manager invites a phone; the door texts the code (see the `send_invite` notice).

    The invite and the delivery record are one write, so a redelivered request returns the
    same code instead of minting a second one.
    """
    found = manager_now(manager, org, ports)
    if isinstance(found, Outcome):
        return found
    manager = found
    refused = _not_invitable(cmd.phone, org, ports)
    if refused is not None:
        # The same request delivered again (after the phone joined, say): the invite it made.
        return deliveries.stored_answer(origin, ports) or refused
    expires = ports.clock.now() + INVITE_LIFETIME
    key = origin.delivery_key
    for _ in range(5):
        code = _new_code()
        data = {"phone": cmd.phone, "name": cmd.name, "code": code, "expires_at": iso(expires)}
        outcome = Outcome("invited", data)
        text_code = new_notice(NoticeKind.SEND_INVITE, manager, origin, ports.clock.now(), data)
        pending = Invite(code, org.org_id, cmd.phone, cmd.name, manager.worker_id, expires)
        change = Change(org_id=org.org_id, invite=pending, notices=(text_code,))
        try:
            ports.store.commit(change, (key, outcome) if key else None)
        except DuplicateDelivery as dup:
            return dup.outcome
        except Conflict:
            continue  # that code is taken by a live invite: draw another
        return outcome
    return Outcome("busy", ok=False)


def _not_invitable(phone: str, org: Org, ports: Ports) -> Outcome | None:
    holder = ports.store.find_worker_by_phone(phone)
    if holder is not None and holder.org_id == org.org_id:
        return Outcome("phone_taken", {"phone": phone}, ok=False)
    # Another org's worker is answered like any number: the invite goes out (joining from a
    # registered phone is refused there), and nothing here says whose the phone is.
    stopped = ports.store.sms_stopped(phone, ports.clock.now())
    if stopped or (holder is not None and holder.sms_opted_out):
        return Outcome("phone_opted_out", {"phone": phone}, ok=False)
    return None


def join(code: str, phone: str, origin: Origin, ports: Ports) -> tuple[Outcome, Worker | None]:
    """`JOIN 123456` from a phone: single-use, 48 h, only from the invited number, and void after
    `JOIN_FAILURE_LIMIT` wrong codes from that number. The answer is stored with the request's id:
    the same JOIN delivered again gets it again."""
    now = ports.clock.now()
    found = ports.store.get_invite(code)
    if found is None or found.phone != phone:
        replay = deliveries.stored_answer(origin, ports)
        if replay is not None:  # the JOIN that linked this phone (its invite spent), delivered again
            return replay, ports.store.find_worker_by_phone(phone)
        _count_wrong_code(phone, ports)
        return Outcome("bad_code", ok=False), None
    if found.expires_at < now:
        return Outcome("code_expired", ok=False), None
    existing = ports.store.get_worker(found.worker_id, fresh=True) if found.worker_id else None
    worker = (
        replace(existing, phone=phone, sms_opted_out=False)
        if existing
        else Worker(worker_id=new_id(now), org_id=found.org_id, name=found.name, phone=phone)
    )
    outcome = Outcome("joined", {"name": worker.name})
    try:
        saved = ports.store.redeem_invite(found, worker, existing, deliveries.delivery(origin, outcome))
    except DuplicateDelivery as dup:
        return dup.outcome, ports.store.find_worker_by_phone(phone)
    except Conflict:
        return Outcome("bad_code", ok=False), None
    return outcome, saved


def _count_wrong_code(phone: str, ports: Ports) -> None:
    """A wrong code from `phone` counts against each invite of that number (a number nobody
    invited has nothing to guess, and nothing is written for it); at the limit the invite is void,
    so guessing and then sending the right code joins nobody."""
    for pending in ports.store.invites_for_phone(phone):
        wrong = ports.store.count_wrong_code(pending)
        if wrong is not None and wrong >= JOIN_FAILURE_LIMIT:
            ports.store.void_invite(pending)


def set_sms_opt_out(worker: Worker, opted_out: bool, ports: Ports) -> Outcome:
    """STOP / START. Recorded on the worker so no reminder or report goes to that number."""
    current = worker
    for _ in range(3):
        if current.sms_opted_out == opted_out:
            break
        try:
            current = ports.store.update_worker(replace(current, sms_opted_out=opted_out), current.version)
            break
        except StaleWorker as stale:
            if stale.current is None:
                return Outcome("not_registered", ok=False)
            current = stale.current
    return Outcome("opted_out" if opted_out else "opted_in")


def enroll_slack_user(org: Org, team_id: str, user_id: str, name: str, ports: Ports) -> Worker | None:
    """An unknown Slack user of a linked workspace becomes a worker, if the org allows it.

    Their language comes from their Slack locale, read off the request path: the enrolment's
    notice has the notify function ask Slack (`users.info`) and store it. The first reply is in
    the default language; the Home tab and every reply after it are in theirs."""
    if not org.auto_enroll_slack:
        return None
    now = ports.clock.now()
    worker = Worker(
        worker_id=new_id(now),
        org_id=org.org_id,
        name=name,
        role=Role.WORKER,
        slack_team_id=team_id,
        slack_user_id=user_id,
    )
    read_locale = new_notice(NoticeKind.SLACK_ENROLLED, worker, Origin(Channel.SLACK), now, {})
    try:
        return ports.store.add_worker(worker, (read_locale,))
    except Conflict:
        return ports.store.find_worker_by_slack(team_id, user_id)
