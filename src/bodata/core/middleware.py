"""The platform middleware: request ids, structured request logs, body size limits, last-resort errors."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bodata.core.context import SCOPE_KEY, AppContext
from bodata.core.errors import ApiError, ErrorRenderer, internal_error, problem_response
from bodata.core.service import Service

logger = logging.getLogger("bodata.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# A path segment that looks like a key (portal session keys, share keys, API tokens): 16+ URL-safe characters with
# a letter and a digit or - or _. UUIDs (register ids, not secrets) stay readable.
_KEY_LIKE = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9_-]{16,}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
REDACTED = "***"


def redact_path(path: str) -> str:
    """``path`` for the log: key-like segments replaced by ``***`` (query strings are never logged at all)."""
    return "/".join(
        REDACTED if _KEY_LIKE.match(segment) and not _UUID.match(segment) else segment for segment in path.split("/")
    )


class BodyTooLarge(ApiError):
    """The request body is larger than the limit for its path."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "body_too_large", f"The request body is larger than {limit} bytes.")


class PlatformMiddleware:
    """Wraps the whole app: every request gets an id, a log line, a body limit and a clean 500 on faults.

    Errors are rendered by the service that owns the path, so even a 413 or a 500 comes in its format.
    """

    def __init__(self, app: ASGIApp, *, context: AppContext, services: Sequence[Service]) -> None:
        self.app = app
        self.context = context
        self.services = services

    def _service_for(self, path: str) -> Service | None:
        return next((service for service in self.services if service.owns(path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[SCOPE_KEY] = self.context
        service = self._service_for(scope["path"])
        render: ErrorRenderer = service.render_error if service else problem_response
        limit = (service.max_body_bytes if service else None) or self.context.settings.max_body_bytes
        request_id = _request_id(scope)
        logged_path = redact_path(scope["path"])
        started = time.perf_counter()
        state = {"status": 0, "started": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                headers = list(message.get("headers", []))
                headers += [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]
                message = {**message, "headers": headers}
            await send(message)

        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            if _declared_length(scope) > limit:
                await render(Request(scope), BodyTooLarge(limit))(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive_limited, send_with_headers)
        except Exception as exc:
            logger.error("unhandled error", exc_info=exc, extra={"request_id": request_id, "path": logged_path})
            if not state["started"]:
                await render(Request(scope), internal_error())(scope, receive, send_with_headers)
        finally:
            logger.info(
                "%s %s %s",
                scope["method"],
                logged_path,
                state["status"],
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": logged_path,
                    "status": state["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": scope["client"][0] if scope.get("client") else None,
                    "service": service.name if service else None,
                },
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
