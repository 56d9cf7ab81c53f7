"""Short numbers for what waits for a manager: `APPROVE 2` picks what that manager was shown as 2.

Each manager has a view of their own (they never see their own items): the pending items
(corrections, automatic clock-outs, expenses) numbered 1, 2, 3 in the order they were asked.
A number stays with its item for as long as the manager may still be reading it somewhere (a
text, a Slack DM, a listing): new items take the lowest number free, and a number whose item
was decided is free again only a day later. Meanwhile `APPROVE 2` for it gets a clear "already
decided", never another item's decision. `APPROVE ALL` offers what is pending now and decides
exactly those once the manager confirms their count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# How long the number of a decided item stays taken: an old message naming it is answered
# "already decided" rather than meaning a newer item.
NUMBER_KEPT = timedelta(hours=24)
OFFER_VALID = timedelta(minutes=30)  # APPROVE ALL: how long its count may be confirmed


@dataclass(frozen=True)
class Numbered:
    number: int
    item_id: str
    name: str  # the worker's name, as shown then (for "2 (Ana Lopez) was already decided")
    gone_at: datetime | None = None  # when the view first found it no longer pending


@dataclass(frozen=True)
class ManagerView:
    manager_id: str
    numbers: tuple[Numbered, ...] = ()
    offer: tuple[str, ...] = ()  # APPROVE ALL: the item ids offered, waiting for the count
    offered_at: datetime | None = None
    version: int = 0  # bumped by every save: two listings at once never hand out one number twice

    def find(self, number: int) -> Numbered | None:
        return next((entry for entry in self.numbers if entry.number == number), None)

    def number_of(self, item_id: str) -> int | None:
        return next((entry.number for entry in self.numbers if entry.item_id == item_id), None)

    def live_offer(self, now: datetime) -> tuple[str, ...]:
        if self.offered_at is None or now - self.offered_at > OFFER_VALID:
            return ()
        return self.offer


def renumber(view: ManagerView, pending: Sequence[tuple[str, str]], now: datetime) -> ManagerView:
    """The view with every pending item (id, worker name; oldest first) numbered.

    Items already numbered keep their numbers; items no longer pending are marked gone (their
    numbers stay taken for NUMBER_KEPT); new items take the lowest free numbers, oldest first.
    """
    waiting = {item_id for item_id, _ in pending}
    kept: list[Numbered] = []
    for entry in view.numbers:
        if entry.item_id in waiting:
            kept.append(replace(entry, gone_at=None))
        elif entry.gone_at is None:
            kept.append(replace(entry, gone_at=now))
        elif now - entry.gone_at < NUMBER_KEPT:
            kept.append(entry)
    taken = {entry.number for entry in kept}
    known = {entry.item_id for entry in kept}
    free = (number for number in range(1, len(kept) + len(pending) + 2) if number not in taken)
    for item_id, name in pending:
        if item_id not in known:
            kept.append(Numbered(next(free), item_id, name))
    return replace(view, numbers=tuple(sorted(kept, key=lambda entry: entry.number)))
