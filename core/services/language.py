"""The language a worker reads: chosen (`ESPANOL`, `/punch idioma es`, the Home tab's menu, the
CLI's --language), taken from the Slack locale of a worker enrolled from Slack, or taken from the
first Spanish keyword of a worker who never chose (`ENTRADA` -> Spanish, and the reply says how to
switch back). English keywords keep working whatever the worker reads."""

from __future__ import annotations

from dataclasses import replace

from core.catalogue import language_of_locale
from core.domain.model import Channel, Worker
from core.domain.transitions import Origin, new_notice
from core.ports import Notice, NoticeKind, Outcome, StaleWorker
from core.services.ports import Ports


def set_language(worker: Worker, language: str, ports: Ports) -> Outcome:
    """The worker's own choice, stored; the reply is said in the language chosen."""
    _store(worker, language, ports, overriding=True)
    return Outcome("language_set", language=language)


def adopt_spoken(worker: Worker, spoken: str | None, ports: Ports) -> tuple[Worker, bool]:
    """A worker who never chose reads the language of their first non-English keyword; (worker, switched)."""
    if worker.language is not None or spoken is None or spoken == worker.speaks:
        return worker, False
    return _store(worker, spoken, ports, overriding=False), True


def adopt_locale(worker: Worker, locale: str | None, ports: Ports) -> Worker | None:
    """A worker enrolled from Slack who never chose reads the language of their Slack locale, when
    we write in it; the worker as stored when that changed what they read, else None. A locale of
    the default language stores nothing, so their first Spanish keyword can still switch them."""
    language = language_of_locale(locale)
    if worker.language is not None or language is None or language == worker.speaks:
        return None
    stored = _store(worker, language, ports, overriding=False)
    return stored if stored.language == language else None


def _store(worker: Worker, language: str, ports: Ports, *, overriding: bool) -> Worker:
    """Store `language` for the worker (3 tries against concurrent changes). Not `overriding`, a
    language the worker chose meanwhile stands. The Slack Home tab is redrawn in it (a notice in
    the same write)."""
    current = worker
    for _ in range(3):
        if current.language == language or (not overriding and current.language is not None):
            return current
        try:
            redraw = _home_redrawn(current, ports)
            return ports.store.update_worker(replace(current, language=language), current.version, redraw)
        except StaleWorker as stale:
            if stale.current is None:
                return replace(worker, language=language)
            current = stale.current
    return replace(current, language=language)  # said in it now; busy: stored by their next Spanish word


def _home_redrawn(worker: Worker, ports: Ports) -> tuple[Notice, ...]:
    if not worker.slack_user_id:
        return ()
    return (new_notice(NoticeKind.STATE_CHANGED, worker, Origin(Channel.SLACK), ports.clock.now(), {}),)
