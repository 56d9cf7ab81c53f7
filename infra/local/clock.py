"""The service clock of `make run`: what every handler's `ports.clock` reads there.

Real time by default. `--fast N` runs it N times faster than real time from the moment the
stack starts (FAST_DEFAULT: a day in 10 minutes), to watch reminders and reports come due in a
demo. Only the service clock is sped up (installed through the composition root, so every
handler and the local scheduler read it); request signatures (Slack's five minutes), TTLs,
the outbox's own timestamps and the files stay on real time, as in the cloud.

Honest: the start line and the console's header show the service time and the speed. Safe: a
data dir's clock never goes back. The service time is saved in the data dir (clock.json) while
the stack runs and as it stops, and a later start, fast or not, resumes from there when that is
ahead of real time: punches and scheduled runs written at demo speed never end up in the future
of the next run's clock. `--fast` uses a data dir of its own by default (.local-fast), so a demo
leaves the everyday one on real time.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

FAST_DEFAULT = 144.0  # a day in 10 minutes; an hour in 25 seconds
CLOCK_FILE = "clock.json"


class StackClock:
    """Now, `speed` times faster than real time from `start` (default: real now)."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None) -> None:
        if speed < 1:
            raise ValueError("the clock runs at real time or faster (speed >= 1)")
        real = datetime.now(UTC)
        self.speed = speed
        self._start = max(real, start) if start is not None else real
        self._offset = self._start - real  # at real speed: the wall clock, moved by what a fast run added
        self.resumed_ahead = self._offset  # how far ahead of real time it started: an earlier fast run's lead
        self._started = time.monotonic()

    def now(self) -> datetime:
        if self.speed == 1:
            return datetime.now(UTC) + self._offset
        return self._start + timedelta(seconds=(time.monotonic() - self._started) * self.speed)

    def ahead(self) -> timedelta:
        """How far the service clock is ahead of real time (zero, or what fast runs added)."""
        return max(timedelta(0), self.now() - datetime.now(UTC))

    @property
    def is_real_time(self) -> bool:
        """Real speed and not ahead of real time (by more than a minute): the system clock, in effect."""
        return self.speed == 1 and self.ahead() <= timedelta(minutes=1)

    def real_seconds(self, service: timedelta) -> float:
        """How long `service` of this clock's time takes in real time."""
        return service.total_seconds() / self.speed

    def describe(self) -> str:
        """The start line's words for it."""
        now = self.now()
        speed = f"fast: {self.speed:g}x real time, a day in {24 * 60 / self.speed:.3g} min" if self.speed > 1 else ""
        lead = self.resumed_ahead
        resumed = (
            f"resumed {_span(lead)} ahead of real time, where a fast run left it" if lead > timedelta(minutes=1) else ""
        )
        notes = "; ".join(part for part in (speed, resumed) if part)
        return f"{now:%Y-%m-%d %H:%M:%S} UTC" + (f" ({notes})" if notes else " (real time)")


def _span(delta: timedelta) -> str:
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    return (f"{days}d " if days else "") + f"{hours}h {rest // 60:02d}m"


def load_clock(data_dir: Path, speed: float = 1.0) -> StackClock:
    """The data dir's clock, resumed where its last run left it when that is ahead of real time."""
    path = data_dir / CLOCK_FILE
    saved = None
    if path.exists():
        try:
            saved = datetime.fromisoformat(json.loads(path.read_text())["service_time"])
        except (ValueError, KeyError, TypeError):
            saved = None  # unreadable: real time (the punches' own times still stand)
    return StackClock(speed, saved if saved is not None and saved.tzinfo else None)


def save_clock(data_dir: Path, clock: StackClock) -> None:
    path = data_dir / CLOCK_FILE
    tmp = path.with_suffix(".tmp")
    saved = {"service_time": clock.now().isoformat(), "speed": clock.speed, "saved_at": datetime.now(UTC).isoformat()}
    tmp.write_text(json.dumps(saved))
    tmp.replace(path)
