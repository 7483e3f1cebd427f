"""What the operations layer costs a request: the metrics middleware and HEAD, against the same app without metrics.

The whole bodata app (every service) is called in-process through ASGI, without a server or a client, so the
table shows the platform's own per-request work: ``GET /health`` (no database) with ``BODATA_METRICS`` off is the
baseline; the same with metrics on, ``HEAD /health``, ``GET /docs`` (the offline docs index) and ``GET /metrics``
(one scrape) are compared with it.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

from bodata.app import create_app
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade

from .asgi import http_scope, status_of
from .report import relative_to, report, time_operation


def _caller(app, method: str, path: str, batch: int) -> Callable[[], None]:
    """A function that sends ``batch`` requests to ``app`` and checks each answered 200."""
    scope = http_scope(method, path)

    async def many() -> None:
        for _ in range(batch):
            status = await status_of(app, scope)
            assert status == 200, (method, path, status)

    loop = asyncio.new_event_loop()
    return lambda: loop.run_until_complete(many())


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench bench_operations")
    parser.add_argument("--batch", type=int, default=500, help="requests per timed call")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="bodata-bench-operations-"))
    url = f"sqlite:///{directory / 'bench.db'}"
    database = Database.from_settings(Settings(database_url=url, secret_key="bench"))
    upgrade(database.engine)
    plain = create_app(Settings(database_url=url, secret_key="bench", metrics=False), database=database)
    measured = create_app(Settings(database_url=url, secret_key="bench"), database=database)
    timings = {
        "GET /health, metrics off (baseline)": _caller(plain, "GET", "/health", args.batch),
        "GET /health, metrics on": _caller(measured, "GET", "/health", args.batch),
        "HEAD /health, metrics on": _caller(measured, "HEAD", "/health", args.batch),
        "GET /docs (the docs index)": _caller(measured, "GET", "/docs", args.batch),
        "GET /metrics (a scrape)": _caller(measured, "GET", "/metrics", max(1, args.batch // 10)),
    }
    batches = {name: (max(1, args.batch // 10) if "scrape" in name else args.batch) for name in timings}
    means = {name: time_operation(call, repeat=1) / batches[name] for name, call in timings.items()}
    baseline = means["GET /health, metrics off (baseline)"]
    database.dispose()
    return report(
        "Operations layer per request (in-process ASGI, no server)",
        relative_to(baseline, means),
        filename="operations.json",
        context={"batch": args.batch},
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
