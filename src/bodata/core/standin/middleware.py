"""The stand-in middleware: journal, fault injection, the service's clock and the reset gate on every request.

Installed only in stand-in mode (``core/standin/__init__.py``), inside the platform middleware, so it costs
nothing otherwise. Requests under ``/_bodata/`` and paths no service owns pass straight through.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bodata.core.errors import ApiError
from bodata.core.middleware import redact_path
from bodata.core.service import Service
from bodata.core.standin.clock import CURRENT_SERVICE
from bodata.core.standin.faults import FaultRule, Faults, default_message
from bodata.core.standin.journal import (
    MAX_BODY,
    Entry,
    Journal,
    outcome_of,
    redact_body,
    redact_headers,
    redact_query,
)

ADMIN_PREFIX = "/_bodata"
DRAIN_LIMIT_S = 30.0
_SOAP_OPERATION = re.compile(rb"<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)")
_WSSE_USER = re.compile(rb"<(?:[\w.-]+:)?Username\b[^>]*>\s*([^<\s]+)\s*<")


class Busy(Exception):
    """Requests were still in flight when a reset or restore gave up waiting for them."""


class Gate:
    """Requests pass shared; a reset or restore passes alone, after the requests in flight have finished.

    So no request sees half a reset, and none writes into tables a restore is replacing (within this process:
    stand-in mode serves with one worker).
    """

    def __init__(self) -> None:
        self._condition = asyncio.Condition()
        self._inside = 0
        self._closed = False

    @asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        async with self._condition:
            await self._condition.wait_for(lambda: not self._closed)
            self._inside += 1
        try:
            yield
        finally:
            async with self._condition:
                self._inside -= 1
                self._condition.notify_all()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        async with self._condition:
            await self._condition.wait_for(lambda: not self._closed)
            self._closed = True
            try:
                async with asyncio.timeout(DRAIN_LIMIT_S):
                    await self._condition.wait_for(lambda: self._inside == 0)
            except TimeoutError:
                self._closed = False
                self._condition.notify_all()
                raise Busy(f"requests still in flight after {DRAIN_LIMIT_S:.0f} s") from None
        try:
            yield
        finally:
            async with self._condition:
                self._closed = False
                self._condition.notify_all()


class StandInMiddleware:
    """Journal every request of a service, inject the faults that match it, and run it on its service's clock."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        services: Sequence[Service],
        root_paths: dict[str, str],
        journal: Journal,
        faults: Faults,
        gate: Gate,
    ) -> None:
        self.app = app
        self.services = services
        self.root_paths = root_paths
        self.journal = journal
        self.faults = faults
        self.gate = gate

    def _service_for(self, path: str) -> Service | None:
        owner = self.root_paths.get(path)
        return next((s for s in self.services if s.name == owner or s.owns(path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self._service_for(scope["path"]) if scope["type"] == "http" else None
        if service is None or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        token = CURRENT_SERVICE.set(service.name)
        try:
            async with self.gate.shared():
                await self._journaled(service, scope, receive, send)
        finally:
            CURRENT_SERVICE.reset(token)

    async def _journaled(self, service: Service, scope: Scope, receive: Receive, send: Send) -> None:
        started, wall = time.perf_counter(), datetime.now(UTC)
        headers = scope["headers"]
        content_type = _header(headers, b"content-type").lower()
        response = _Captured()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                response.status, response.headers = message["status"], message.get("headers", [])
            elif message["type"] == "http.response.body" and len(response.body) <= MAX_BODY:
                response.body += message.get("body", b"")
            await send(message)

        try:
            body = await _read_body(receive)
        except ApiError as error:  # the platform's body limit
            await _render(service, scope, error)(scope, receive, capture)
            body, soap_operation, caller, rule = b"", None, None, None
        else:
            soap_operation = _soap_operation(headers, body, content_type)
            caller = _caller(headers, body, scope)
            rule = (
                self.faults.fire(
                    service=service.name,
                    method=scope["method"],
                    path=scope["path"],
                    soap_operation=soap_operation,
                    caller=caller,
                )
                if self.faults
                else None
            )
            await self._answer(service, scope, _replay(body, receive), capture, rule)
        response_type = _header(response.headers, b"content-type").lower()
        self.journal.add(
            Entry(
                id=self.journal.next_id(),
                started=wall,
                service=service.name,
                operation=soap_operation or f"{scope['method']} {_route_pattern(scope, service)}",
                method=scope["method"],
                path=redact_path(scope["path"]),
                query=redact_query(scope.get("query_string", b"").decode("latin-1")),
                status=response.status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                caller=caller,
                request_headers=redact_headers(headers),
                request_body=redact_body(body, content_type),
                response_headers=redact_headers(response.headers),
                response_body=_response_text(scope["path"], response.body, response_type),
                outcome=outcome_of(response.body, response_type),
                fault_rule=rule.id if rule else None,
            )
        )

    async def _answer(
        self, service: Service, scope: Scope, receive: Receive, send: Send, rule: FaultRule | None
    ) -> None:
        if rule is not None and rule.latency_ms:
            await asyncio.sleep(rule.latency_ms / 1000)
        if rule is None or rule.status is None:
            await self.app(scope, receive, send)
        elif rule.body is not None:
            await Response(rule.body, rule.status, media_type=rule.content_type)(scope, receive, send)
        else:
            message = rule.message or default_message(service.name)
            error = ApiError(rule.status, rule.code or "injected_fault", message)
            await _render(service, scope, error)(scope, receive, send)


@dataclass
class _Captured:
    """What the journal keeps of a response while it is sent."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""


def _render(service: Service, scope: Scope, error: ApiError) -> Response:
    """``error`` in the service's own format, rendered as if inside the service's app."""
    return service.render_error(Request({**scope, "root_path": service.prefix}), error)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((value.decode("latin-1") for key, value in headers if key.lower() == name), "")


def _soap_operation(headers: list[tuple[bytes, bytes]], body: bytes, content_type: str) -> str | None:
    """A SOAP call's operation: the SOAPAction header's last segment, else the Body's first element's name."""
    if "xml" not in content_type:
        return None
    action = _header(headers, b"soapaction").strip().strip('"').rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    if action:
        return action
    found = _SOAP_OPERATION.search(body[:MAX_BODY])
    return found.group(1).decode() if found else None


def _caller(headers: list[tuple[bytes, bytes]], body: bytes, scope: Scope) -> str | None:
    """Who calls: the HTTP Basic or WS-Security user name, else the client's address."""
    scheme, _, encoded = _header(headers, b"authorization").partition(" ")
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            pass
    found = _WSSE_USER.search(body[:MAX_BODY])
    if found:
        return found.group(1).decode("utf-8", errors="replace")
    client = scope.get("client")
    return client[0] if client else None


def _route_pattern(scope: Scope, service: Service) -> str:
    """The matched route's pattern (``/portal/session/{key}``), else the redacted path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return redact_path(scope["path"])
    return path if path.startswith(service.prefix) or scope["path"] == path else service.prefix + path


def _response_text(path: str, body: bytes, content_type: str) -> str:
    if path == "/token":
        return "(token answer: not kept)"
    return redact_body(body, content_type)
