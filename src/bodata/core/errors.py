"""One error type for the platform, and the hook through which each service renders it in its own format.

Code raises ``ApiError`` (or lets the framework raise 404/405/422); the handlers installed by
``install_error_handlers`` turn every error into the response of the service that owns the path:
a Lantmäteriet Fault, a SOAP Fault, a Felmeddelande, or the platform's RFC 9457 problem document.
Unexpected exceptions become a 500 with no internal detail; the traceback goes to the log only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


@dataclass
class ApiError(Exception):
    """An error the client should see: HTTP status, a stable machine code, a human message, details."""

    status: int
    code: str
    message: str
    details: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


ErrorRenderer = Callable[[Request, ApiError], Response]


def problem_response(request: Request, error: ApiError) -> Response:
    """The platform's own error format: an RFC 9457 problem document."""
    body: dict[str, object] = {
        "type": f"urn:bodata:error:{error.code}",
        "title": HTTPStatus(error.status).phrase,
        "status": error.status,
        "detail": error.message,
        "instance": request.url.path,
    }
    if error.details:
        body["errors"] = error.details
    headers = dict(error.headers)
    if "bodata.allow" in request.scope:
        headers["Allow"] = request.scope["bodata.allow"]
    return JSONResponse(body, status_code=error.status, media_type="application/problem+json", headers=headers)


def error_from_http_exception(exc: StarletteHTTPException) -> ApiError:
    """Translate the framework's 404/405/… into an ApiError with a clear message."""
    codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    default = HTTPStatus(exc.status_code).phrase
    message = exc.detail if isinstance(exc.detail, str) and exc.detail != default else _default_message(exc)
    return ApiError(exc.status_code, code, message)


def _default_message(exc: StarletteHTTPException) -> str:
    if exc.status_code == 404:
        return "No resource at this path."
    if exc.status_code == 405:
        return "This method is not allowed on this path."
    return HTTPStatus(exc.status_code).description or HTTPStatus(exc.status_code).phrase


def error_from_validation(exc: RequestValidationError) -> ApiError:
    """Translate FastAPI's request validation errors into one ApiError listing each problem."""
    details = []
    for problem in exc.errors():
        location = ".".join(str(part) for part in problem.get("loc", ()))
        details.append(f"{location}: {problem.get('msg', 'invalid')}")
    return ApiError(422, "invalid_request", "The request does not have the expected form.", details)


def install_error_handlers(app: FastAPI, render: ErrorRenderer) -> None:
    """Route every error raised inside ``app`` through ``render``."""

    async def on_api_error(request: Request, exc: ApiError) -> Response:
        return render(request, exc)

    async def on_http_exception(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405 and exc.headers and "Allow" in exc.headers:
            request.scope["bodata.allow"] = exc.headers["Allow"]
        return render(request, error_from_http_exception(exc))

    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return render(request, error_from_validation(exc))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        return render(request, internal_error())

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)


def internal_error() -> ApiError:
    """The error shown for a fault inside bodata: no detail leaks, the request id ties it to the log."""
    return ApiError(500, "internal_error", "An internal error occurred; it has been logged.")
