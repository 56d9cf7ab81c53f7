"""The ports every service takes: the store and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.clock import Clock
from core.ports import Store


@dataclass(frozen=True)
class Ports:
    store: Store
    clock: Clock
