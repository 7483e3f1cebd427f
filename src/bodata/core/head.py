"""``HEAD`` wherever ``GET`` is (RFC 9110 §9.3.2): the GET route answers, its headers are sent, its body is not.

FastAPI routes declared with ``@get`` answer only GET, so ``HEAD /health`` was a 405. This pure ASGI middleware runs
a HEAD request as a GET (a read: it takes no write lock) on a copy of the scope and drops the body. The server, the
request log and the metrics keep the original scope and see what the client sent (uvicorn expects no body for a
HEAD); what routing adds to the copy (the route, for the metrics) is copied back.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, send_headers_only)
        finally:
            scope.update({key: value for key, value in as_get.items() if key not in scope})
