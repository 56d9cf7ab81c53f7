"""Duplicate requests, in one place: a request delivered again gets its first answer and has no effect.

The doors only supply a request id (`Origin.delivery_id`): Twilio's MessageSid, AWS's inbound
message id, a Slack click's action_ts, or, for a slash command (which Slack gives no id), a hash
of what was typed in its minute. Everything else is here:

- A change stores its answer with the id, in the change's own transaction; the same id again
  fails that write and gets the stored answer back (`DuplicateDelivery`), so nothing is written
  twice. A request that wrote nothing (a refusal) is answered again the same way for free.
- A guessed id (a slash command) replays only while the worker is as that answer left them:
  `/clockin`, `/clockout`, `/clockin` within a minute is three commands. A command the state
  machine would apply twice (a break toggle, an expense) stores its answer under the next minute's
  id too (`Origin.next_delivery_id`), so a retype across the minutes' edge fails its own write the
  same way: no read before the change.
- Work done after an answer (a Slack lazy listener, an SMS reply we send ourselves) runs once per
  request: `once`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.domain.model import Worker
from core.domain.transitions import Origin
from core.ports import Outcome
from core.services.ports import Ports

MAX_LOOK_ALIKES = 4
ONCE_FOR = timedelta(days=3)  # as long as deliveries are kept, and longer than any retry


def stored_answer(origin: Origin, ports: Ports) -> Outcome | None:
    """The answer a change stored with this request's id; None for a new request or a refusal."""
    key = origin.delivery_key
    return ports.store.get_delivery(key) if key else None


def still_applies(earlier: Outcome, origin: Origin, current: Worker | None) -> bool:
    """A provider's id always replays; a guessed one only while nothing changed since that answer."""
    if not origin.guessed_id or earlier.worker_version is None:
        return True
    return current is not None and current.version == earlier.worker_version


def look_alike(origin: Origin, earlier: Outcome) -> Origin:
    """The id of a new request that happens to look like an earlier one (chained, so retyping it is caught)."""
    after = f".after{earlier.worker_version}"
    following = f"{origin.next_delivery_id}{after}" if origin.next_delivery_id else None
    return replace(origin, delivery_id=f"{origin.delivery_id}{after}", next_delivery_id=following)


def replayed(origin: Origin, ports: Ports, current: Worker | None) -> tuple[Outcome | None, Origin]:
    """The earlier answer to this request, if any, and the id it is recorded under; with a guessed
    id, following the chain of look-alikes to the one that still applies."""
    for _ in range(MAX_LOOK_ALIKES):
        earlier = stored_answer(origin, ports)
        if earlier is None or still_applies(earlier, origin, current):
            return earlier, origin
        origin = look_alike(origin, earlier)  # out of date: a new request that looks like that one
    return None, origin


def delivery(origin: Origin, outcome: Outcome) -> tuple[str, Outcome] | None:
    """What a change stores with its answer, so that the same request again replays it."""
    key = origin.delivery_key
    return (key, outcome) if key else None


def once(work: str, ports: Ports, lasting: timedelta = ONCE_FOR) -> bool:
    """True the first time `work` (named by its request) is claimed: it runs once however often
    the request comes back (a double submission, Lambda's retry of an async invocation)."""
    now = ports.clock.now()
    return ports.store.claim_once(work, now, now + lasting)


def undo_once(work: str, ports: Ports) -> None:
    """The work failed before it did anything: let the retry do it."""
    ports.store.release_once(work)
