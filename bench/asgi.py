"""Driving an ASGI app in-process (no sockets, no client library): the server side of a request only."""

from __future__ import annotations

from starlette.types import ASGIApp


def http_scope(method: str, path: str) -> dict:
    """The scope of a bodiless HTTP/1.1 request for ``path`` from loopback."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 40000),
    }


async def status_of(app: ASGIApp, scope: dict) -> int:
    """Send the request of ``scope`` (a copy: the app may change it) through ``app``; the answer's status."""
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    return status
