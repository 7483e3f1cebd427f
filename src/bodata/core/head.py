"""``HEAD`` wherever ``GET`` is (RFC 9110 §9.3.2): the GET route answers, its headers are sent, its body is not.

FastAPI routes declared with ``@get`` answer only GET, so ``HEAD /health`` was a 405. This pure ASGI middleware runs
a HEAD request as a GET (a read: it takes no write lock) and drops the body. The scope's method is HEAD again once
the request is answered, so the request log and the metrics show what the client sent.
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

        scope["method"] = "GET"
        try:
            await self.app(scope, receive, send_headers_only)
        finally:
            scope["method"] = "HEAD"
