"""The language a worker reads: chosen (`ESPANOL`, `/punch idioma es`, the CLI's --language), or
taken from the first Spanish keyword of a worker who never chose (`ENTRADA` -> Spanish, and the
reply says how to switch back). English keywords keep working whatever the worker reads."""

from __future__ import annotations

from dataclasses import replace

from core.domain.model import Worker
from core.ports import Outcome, StaleWorker
from core.services.ports import Ports


def set_language(worker: Worker, language: str, ports: Ports) -> Outcome:
    """The worker's own choice, stored; the reply is said in the language chosen."""
    _store(worker, language, ports)
    return Outcome("language_set", language=language)


def adopt_spoken(worker: Worker, spoken: str | None, ports: Ports) -> tuple[Worker, bool]:
    """A worker who never chose reads the language of their first non-English keyword; (worker, switched)."""
    if worker.language is not None or spoken is None or spoken == worker.speaks:
        return worker, False
    return _store(worker, spoken, ports), True


def _store(worker: Worker, language: str, ports: Ports) -> Worker:
    current = worker
    for _ in range(3):
        if current.language == language:
            return current
        try:
            return ports.store.update_worker(replace(current, language=language), current.version)
        except StaleWorker as stale:
            if stale.current is None:
                return replace(worker, language=language)
            current = stale.current
    return replace(current, language=language)  # said in it now; busy: stored by their next Spanish word
