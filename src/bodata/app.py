"""Composes bodata's ASGI app: the platform endpoints and every service mounted at its path."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bodata import __version__
from bodata.core.apidocs import add_docs_index, serve_offline
from bodata.core.clock import Clock, SystemClock
from bodata.core.config import Settings
from bodata.core.context import AppContext, context_of
from bodata.core.cors import allow_origins, origins_by_service
from bodata.core.db import Database
from bodata.core.db.migrate import current_revision, head_revision
from bodata.core.errors import install_error_handlers, problem_response
from bodata.core.head import HeadAsGet
from bodata.core.logging import configure_logging
from bodata.core.middleware import PlatformMiddleware
from bodata.core.security import SecretBox
from bodata.core.service import Service
from bodata.core.standin.controls import standin_for
from bodata.services import installed_services

logger = logging.getLogger("bodata.app")


def create_app(
    settings: Settings | None = None,
    *,
    services: Sequence[Service] | None = None,
    database: Database | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the app; with no arguments it reads the environment (this is what ``bodata serve`` runs)."""
    settings = settings or Settings.from_env()
    services = installed_services(settings) if services is None else services
    database = database or Database.from_settings(settings)
    standin = standin_for(settings, clock or SystemClock())  # None unless stand-in or demo mode
    context = AppContext(
        settings=settings,
        db=database,
        clock=standin.clock if standin else clock or SystemClock(),
        secrets=SecretBox(settings.resolved_secret_key()),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if standin:
            await anyio.to_thread.run_sync(standin.start)  # the start-up seed files
        stops = [service.background(context) for service in services if service.background is not None]
        try:
            yield
        finally:
            for stop in reversed(stops):
                stop()
            database.dispose()

    app = FastAPI(
        title="bodata",
        version=__version__,
        summary="Open-source housing data platform",
        lifespan=lifespan,
        docs_url="/docs/platform",
    )
    install_error_handlers(app, problem_response)
    serve_offline(app)
    _add_platform_routes(app, services, expected_revision=head_revision())
    cors = origins_by_service(settings, services)
    documented = []
    for service in services:
        if service.root_routes is not None:
            app.include_router(service.root_routes())
        service_app = service.create_app()
        install_error_handlers(service_app, service.render_error)
        serve_offline(service_app)
        documented.append((service, service_app))
        app.mount(service.prefix, allow_origins(service_app, cors.get(service.name, ())), name=service.name)
    if standin:
        standin.attach(app, context, services)
    add_docs_index(app, documented)
    app.add_middleware(HeadAsGet)
    app.add_middleware(PlatformMiddleware, context=context, services=tuple(services))
    if settings.metrics:
        from bodata.core.metrics import RequestMetrics

        app.add_middleware(RequestMetrics, services=tuple(services))
    return app


def create_served_app() -> FastAPI:
    """What each ``bodata serve`` worker runs: logging set up in this process (workers are spawned, they do
    not inherit the parent's logging), then the app from the environment."""
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.resolved_log_format())
    return create_app(settings)


def _add_platform_routes(app: FastAPI, services: Sequence[Service], *, expected_revision: str) -> None:
    @app.get("/health", tags=["platform"], summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        """200 while the process serves requests; touches no database (use ``/ready`` for that)."""
        return {"status": "ok", "version": __version__}

    @app.get(
        "/ready",
        tags=["platform"],
        summary="Readiness: the database answers and its schema is current",
        responses={503: {"description": "The database is unreachable or its schema is not this bodata's"}},
    )
    def ready(request: Request) -> JSONResponse:
        """200 when the database answers and its schema is current; 503 with the reason otherwise."""
        try:
            revision = current_revision(context_of(request).db.engine)
        except Exception:
            logger.exception("readiness check: database unreachable")
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        if revision != expected_revision:
            return JSONResponse(
                {
                    "status": "unavailable",
                    "database": "ok",
                    "schema": revision,
                    "detail": f"schema is at {revision}, this bodata needs {expected_revision}: "
                    "run `bodata db upgrade`",
                },
                status_code=503,
            )
        return JSONResponse({"status": "ok", "database": "ok", "schema": revision, "version": __version__})

    @app.get("/", tags=["platform"], summary="The services of this server")
    def index() -> dict[str, object]:
        """What this server offers, with the paths of each service."""
        return {
            "name": "bodata",
            "version": __version__,
            "docs": "/docs",
            "services": [
                {"name": service.name, "title": service.title, "path": service.prefix, "links": dict(service.links)}
                for service in services
            ],
        }
