"""Cross-origin requests per service (``BODATA_CORS_ORIGINS``, default: none).

Tenant web apps call the portal from browsers on their own origins; a browser sends an ``OPTIONS`` preflight first
and reads the answer only when the service names the origin. Each service listed in the setting gets Starlette's
CORS middleware (pure ASGI) around its app with the origins given; the others stay closed to other origins.
Credentials (cookies) are never allowed cross-origin: the portal's apps send their keys in headers.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from bodata.core.config import ConfigError, Settings
from bodata.core.service import Service

EXPOSED_HEADERS = ("X-Request-ID", "Retry-After")
PREFLIGHT_MAX_AGE = 600


def origins_by_service(settings: Settings, services: Sequence[Service]) -> dict[str, tuple[str, ...]]:
    """``BODATA_CORS_ORIGINS`` checked against the services this server mounts."""
    allowed = settings.cors()
    names = [service.name for service in services]
    for name in allowed:
        if name not in names:
            raise ConfigError(f"BODATA_CORS_ORIGINS names {name!r}, which is not a service here ({', '.join(names)})")
    return allowed


def allow_origins(app: ASGIApp, origins: Sequence[str]) -> ASGIApp:
    """``app`` answering CORS preflights and requests from ``origins`` (``*``: any origin)."""
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=["*"],
        allow_headers=["*"],
        allow_credentials=False,
        expose_headers=list(EXPOSED_HEADERS),
        max_age=PREFLIGHT_MAX_AGE,
    )
