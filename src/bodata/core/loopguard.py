"""The event-loop guard: database work and password hashing never run on the event loop's thread.

A route declared ``async def`` runs on the event loop; blocking work there stalls every other request, and on
PostgreSQL it can deadlock the server (a request waiting for a row lock on the loop while the holder needs the loop
to commit). Sync routes and dependencies run in the threadpool, where this work belongs.

``check_off_loop`` is called on every connection checkout, every statement and every password hash. With
``BODATA_EVENT_LOOP_GUARD=raise`` (the test suite sets it) a call on the loop raises ``BlockingOnEventLoop``;
with ``warn`` (the default) it logs a warning once per call site; ``off`` skips the check.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback

logger = logging.getLogger("bodata.loopguard")
MODES = ("raise", "warn", "off")
_warned: set[str] = set()


class BlockingOnEventLoop(RuntimeError):
    """Blocking work (database, password hashing) was started on the event loop's thread."""


def guard_mode() -> str:
    """The mode from ``BODATA_EVENT_LOOP_GUARD`` (read each time, so tests and servers can set it late)."""
    mode = os.environ.get("BODATA_EVENT_LOOP_GUARD", "warn").strip().lower() or "warn"
    return mode if mode in MODES else "warn"


def on_event_loop() -> bool:
    """True when the calling thread is running an asyncio event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def check_off_loop(what: str) -> None:
    """Raise or warn (per the mode) when ``what`` is about to block the event loop."""
    mode = guard_mode()
    if mode == "off" or not on_event_loop():
        return
    message = f"{what} on the event loop: make the route or dependency sync, or use run_in_threadpool"
    if mode == "raise":
        raise BlockingOnEventLoop(message)
    site = "".join(traceback.format_stack(limit=6)[:-2])
    if site not in _warned:
        _warned.add(site)
        logger.warning("%s\n%s", message, site)
