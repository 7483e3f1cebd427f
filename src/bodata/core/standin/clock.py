"""The stand-in clock: set, freeze, advance or release "now", for every service at once or for one.

Every rule that reads the time asks ``AppContext.clock``; in stand-in mode that is a ``ControlledClock``. A request
runs with its service's name in ``CURRENT_SERVICE`` (set by the stand-in middleware), so a service with a clock
of its own sees that one; work outside requests (schedulers) sees the global clock.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bodata.core.clock import Clock

CURRENT_SERVICE: ContextVar[str | None] = ContextVar("bodata_standin_service", default=None)
GLOBAL = "*"


@dataclass(frozen=True)
class Setting:
    """A clock setting: an offset from the real time, or a moment it stands still at."""

    offset: timedelta = timedelta(0)
    frozen_at: datetime | None = None

    def now(self, real: datetime) -> datetime:
        return self.frozen_at if self.frozen_at is not None else real + self.offset


class ControlledClock:
    """A clock over a base clock, moved by the stand-in controls; thread-safe."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self._lock = threading.Lock()
        self._settings: dict[str, Setting] = {GLOBAL: Setting()}

    def now(self) -> datetime:
        service = CURRENT_SERVICE.get()
        settings = self._settings
        setting = settings.get(service, settings[GLOBAL]) if service else settings[GLOBAL]
        return setting.now(self.base.now())

    def now_for(self, service: str = GLOBAL) -> datetime:
        """What "now" is for ``service`` (``*``: the global clock)."""
        return self._setting(service).now(self.base.now())

    def set(self, moment: datetime, *, service: str = GLOBAL, freeze: bool = False) -> None:
        """Make it ``moment`` now; the clock runs on from there unless ``freeze``."""
        if moment.tzinfo is None:
            raise ValueError("the moment needs a time zone (e.g. 2026-03-01T12:00:00Z)")
        real = self.base.now()
        self._put(service, Setting(frozen_at=moment) if freeze else Setting(offset=moment - real))

    def freeze(self, *, service: str = GLOBAL) -> None:
        """Stop the clock at the current moment."""
        self._put(service, Setting(frozen_at=self.now_for(service)))

    def advance(self, delta: timedelta, *, service: str = GLOBAL) -> None:
        """Move the clock on by ``delta`` (back when negative), frozen or running."""
        setting = self._setting(service)
        if setting.frozen_at is not None:
            self._put(service, replace(setting, frozen_at=setting.frozen_at + delta))
        else:
            self._put(service, replace(setting, offset=setting.offset + delta))

    def release(self, *, service: str = GLOBAL) -> None:
        """Back to the real time (a service's own clock: back to the global one)."""
        with self._lock:
            settings = dict(self._settings)
            if service == GLOBAL:
                settings[GLOBAL] = Setting()
            else:
                settings.pop(service, None)
            self._settings = settings

    def describe(self) -> dict[str, Any]:
        """Every clock: its current moment, whether it stands still, and its offset from the real time."""
        real = self.base.now()
        return {
            "real": real.isoformat(),
            "clocks": {
                name: {
                    "now": setting.now(real).isoformat(),
                    "frozen": setting.frozen_at is not None,
                    "offset_seconds": (setting.now(real) - real).total_seconds(),
                }
                for name, setting in self._settings.items()
            },
        }

    def _setting(self, service: str) -> Setting:
        settings = self._settings
        return settings.get(service, settings[GLOBAL])

    def _put(self, service: str, setting: Setting) -> None:
        with self._lock:
            self._settings = {**self._settings, service: setting}
