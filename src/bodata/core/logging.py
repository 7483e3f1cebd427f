"""Logging set-up on standard error: plain text for a person at a terminal, one JSON object per line otherwise.

``BODATA_LOG_FORMAT`` chooses (``auto``, the default, looks at whether standard error is a terminal).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed through ``extra`` and belongs in the output.
# uvicorn adds ``color_message``, a copy of the message with terminal colours.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line with its ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """One readable line: time, level, logger and message (the request id when there is one)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        duration = getattr(record, "duration_ms", None)
        return line if duration is None else f"{line} ({duration} ms)"


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Send bodata's and uvicorn's logs to standard error in the chosen format (``json`` or ``text``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Alembic announces its dialect each time a revision is read (every health check); bodata reports upgrades.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler says "Running job" and "executed successfully" at every tick; the jobs log what they do.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # httpx logs every outgoing call, query string included (the Axema integration's calls); bodata logs the runs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # bodata logs each request itself (with its request id); uvicorn's access log would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
