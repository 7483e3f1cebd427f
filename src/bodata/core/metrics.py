"""Prometheus metrics at ``GET /metrics`` (``BODATA_METRICS``, on by default): requests, latencies and the work
the services do, in the text format Prometheus scrapes.

The platform counts every request by service, operation and status (``RequestMetrics``, a pure ASGI middleware:
two dictionary look-ups and a histogram observation per request). The operation is the route's path template
(``GET /session/{Sessionsnyckel}``), or what the service names with ``name_operation`` (the SOAP method of the
rent register); a path no route matched is ``unmatched``, so a scanner cannot grow the label set.

Services count their own work on the counters below: ``INTEGRATION_RUNS`` (Boenderegister's Axema runs),
``RENT_RUNS`` (the portal's rent runs), ``JOURNAL_ENTRIES`` (the stand-in request journal's size, per service).
With several workers (``bodata serve --workers N``) every worker writes its numbers to a shared directory and
``/metrics`` adds them up (prometheus_client's multiprocess mode, set up by ``multiprocess_directory``).
"""

from __future__ import annotations

import inspect
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as _multiprocess
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bodata.core.service import Service

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
OPERATION_KEY = "bodata.operation"
UNMATCHED = "unmatched"

REQUESTS = Counter(
    "bodata_requests", "HTTP requests answered, by service, operation and status", ["service", "operation", "status"]
)
LATENCY = Histogram(
    "bodata_request_duration_seconds",
    "Time from a request's arrival to the end of its response",
    ["service", "operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INTEGRATION_RUNS = Counter(
    "bodata_integration_runs", "Boenderegister integration runs finished, by trigger and outcome", ["trigger", "status"]
)
RENT_RUNS = Counter(
    "bodata_rent_runs", "Portal rent runs: committed, or failed for want of the landlord's details", ["status"]
)
JOURNAL_ENTRIES = Gauge(
    "bodata_journal_entries", "Requests held in the stand-in request journal", ["service"], multiprocess_mode="livemax"
)


def name_operation(scope: Scope, operation: str) -> None:
    """Name the operation of the request in ``scope`` for the metrics (e.g. a SOAP method); call it on dispatch."""
    scope[OPERATION_KEY] = operation


def _operation(scope: Scope) -> str:
    named = scope.get(OPERATION_KEY)
    if named:
        return named
    path = getattr(scope.get("route"), "path", None)
    if path is not None:
        return f"{scope['method']} {path}"
    endpoint = scope.get("endpoint")  # a plain Starlette route's function (the docs pages), or a mounted app
    if not inspect.isfunction(endpoint):
        return UNMATCHED
    return f"{scope['method']} {endpoint.__name__}"


class RequestMetrics:
    """Counts each request and observes its duration; answers ``GET /metrics`` itself."""

    def __init__(self, app: ASGIApp, *, services: Sequence[Service]) -> None:
        self.app = app
        self.services = tuple(services)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == "/metrics":
            await metrics_endpoint(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            path = scope["path"]
            service = next((s.name for s in self.services if s.owns(path)), "platform")
            operation = _operation(scope)
            REQUESTS.labels(service, operation, str(status)).inc()
            LATENCY.labels(service, operation).observe(time.perf_counter() - started)


async def metrics_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The Prometheus text exposition of this process (or of every worker, in multiprocess mode)."""
    request = Request(scope, receive)
    if request.method not in ("GET", "HEAD"):
        response = Response(status_code=405, headers={"Allow": "GET, HEAD"})
    else:
        if os.environ.get(MULTIPROCESS_ENV):
            registry = CollectorRegistry()
            _multiprocess.MultiProcessCollector(registry)
            body = generate_latest(registry)
        else:
            body = generate_latest()
        response = Response(body, media_type=CONTENT_TYPE_LATEST)
    await response(scope, receive, send)


@contextmanager
def multiprocess_directory(enabled: bool) -> Iterator[None]:
    """While serving with several workers: a fresh directory where each worker writes its metrics, removed after.

    Must be entered before the workers start (prometheus_client reads the variable when it is first imported).
    """
    if not enabled or os.environ.get(MULTIPROCESS_ENV):
        yield
        return
    directory = tempfile.mkdtemp(prefix="bodata-metrics-")
    os.environ[MULTIPROCESS_ENV] = directory
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_ENV]
        shutil.rmtree(directory, ignore_errors=True)
