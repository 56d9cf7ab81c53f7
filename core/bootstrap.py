"""The composition root: every handler, the CLI and the local stack get their settings and ports here.

Built once per container, on first use: the settings from the environment (core/settings.py),
the store they name (DynamoDB through one client; the local stack's SQLite file with
STORE=sqlite), the system clock. Tests `override` what they provide instead (an in-memory store,
a fixed clock, other settings) and `reset` afterwards.
"""

from __future__ import annotations

import os
from functools import cache

from core.domain.clock import SystemClock
from core.services.ports import Ports
from core.settings import Settings

_overrides: dict[str, object] = {}


def settings() -> Settings:
    given = _overrides.get("settings")
    return given if isinstance(given, Settings) else _settings_from_env()


def ports() -> Ports:
    given = _overrides.get("ports")
    if isinstance(given, Ports):
        return given
    chosen = settings()
    if chosen.store == "sqlite":
        return _sqlite_ports(chosen.sqlite_path)
    return _production_ports(chosen.table_name)


@cache
def _settings_from_env() -> Settings:
    return Settings.from_env(os.environ)


@cache
def _production_ports(table_name: str) -> Ports:
    from core.store.dynamodb import DynamoStore  # deferred: a request refused before any work never loads boto3

    return Ports(store=DynamoStore.for_table(table_name), clock=SystemClock())


@cache
def _sqlite_ports(path: str) -> Ports:
    from core.store.sqlite import SqliteStore  # deferred: no deployed function loads it

    return Ports(store=SqliteStore(path), clock=SystemClock())


def override(*, settings: Settings | None = None, ports: Ports | None = None) -> None:
    """Use these instead of what the environment would build (tests, the local stack)."""
    if settings is not None:
        _overrides["settings"] = settings
    if ports is not None:
        _overrides["ports"] = ports


def reset() -> None:
    """Forget overrides and everything built (after a test changes the environment)."""
    _overrides.clear()
    _settings_from_env.cache_clear()
    _production_ports.cache_clear()
    _sqlite_ports.cache_clear()
