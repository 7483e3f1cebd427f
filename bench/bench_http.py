"""What the platform costs per request: bodata's app stack against a bare Starlette app, in-process.

Requests are driven straight through ASGI (no sockets, no client library), so the numbers are the server
side only. Baseline: a bare Starlette route returning the same JSON. Measured: the same route mounted as a
bodata service (request id, log line, body limit, error routing), a route that opens and commits a database
transaction (a sync route with the ``DbSession`` dependency: the route and the commit each take a threadpool hop;
and an async route doing the same in ``in_transaction``'s one hop, as the hot read paths do), an error rendered in
the service's format, and /health.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

import orjson
from fastapi import FastAPI, Request, Response
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from bench.asgi import http_scope, status_of
from bench.report import relative_to, report, time_operation
from bodata.app import create_app
from bodata.core.config import Settings
from bodata.core.context import DbSession, in_transaction
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.core.service import Service


def bare_app() -> Starlette:
    async def ping(_request) -> JSONResponse:
        return JSONResponse({"pong": True})

    return Starlette(routes=[Route("/bench/ping", ping)])


def bench_service() -> Service:
    def create() -> FastAPI:
        app = FastAPI()

        @app.get("/ping")
        async def ping() -> dict[str, bool]:
            return {"pong": True}

        @app.get("/db")
        def db(session: DbSession) -> dict[str, int]:
            return {"one": session.execute(text("SELECT 1")).scalar_one()}

        @app.get("/db-one-hop")
        async def db_one_hop(request: Request) -> Response:
            one = await in_transaction(request, lambda session: session.execute(text("SELECT 1")).scalar_one())
            return Response(orjson.dumps({"one": one}), media_type="application/json")

        return app

    return Service(name="bench", title="Benchmark service", prefix="/bench", create_app=create)


def asgi_get(app: ASGIApp, path: str) -> Callable[[], int]:
    """A callable that sends one GET through ``app`` and returns the status."""
    loop = asyncio.new_event_loop()
    scope = http_scope("GET", path)
    return lambda: loop.run_until_complete(status_of(app, scope))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000, help="requests per timing round")
    args = parser.parse_args(argv)
    logging.getLogger("bodata.request").setLevel(logging.WARNING)  # time the stack, not the terminal

    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'bench.db'}"
        database = Database.from_settings(Settings(database_url=url))
        upgrade(database.engine)
        app = create_app(Settings(database_url=url, secret_key="bench"), services=[bench_service()], database=database)
        operations = {
            "bare Starlette GET (baseline)": asgi_get(bare_app(), "/bench/ping"),
            "bodata service GET": asgi_get(app, "/bench/ping"),
            "bodata GET with a DB transaction (DbSession)": asgi_get(app, "/bench/db"),
            "bodata GET with a DB transaction (in_transaction, one hop)": asgi_get(app, "/bench/db-one-hop"),
            "bodata 404 in the service's format": asgi_get(app, "/bench/missing"),
            "bodata GET /health": asgi_get(app, "/health"),
        }
        for name, operation in operations.items():
            status = operation()
            if status not in (200, 404):
                raise RuntimeError(f"{name} answered {status}")
        timings = {name: time_operation(op, repeat=args.requests) for name, op in operations.items()}
        database.dispose()

    baseline = timings["bare Starlette GET (baseline)"]
    return report(
        "bodata request overhead (in-process ASGI, SQLite)",
        relative_to(baseline, timings),
        filename="http.json",
        context={"requests_per_round": args.requests},
    )


if __name__ == "__main__":
    main()
