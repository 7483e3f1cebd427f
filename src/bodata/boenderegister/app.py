"""The Boenderegister service: web UI at ``/boenderegister/``, REST API at ``/boenderegister/api``."""

from __future__ import annotations

from fastapi import FastAPI

from bodata.boenderegister.api import router as api_router
from bodata.boenderegister.api_integrations import router as integrations_api_router
from bodata.boenderegister.web.views import router as web_router
from bodata.boenderegister.web.views import static_files
from bodata.core.web import pages


def create_boenderegister_app() -> FastAPI:
    app = FastAPI(
        title="bodata Boenderegister",
        summary="Residents register: addresses, apartments, residents, keys and name boards",
        description="Read the register with an API token (`bodata boenderegister tokens add`) as "
        "`Authorization: Bearer <token>`. The web UI is at /boenderegister/.",
    )
    app.include_router(api_router)
    app.include_router(integrations_api_router)
    app.include_router(web_router)
    app.mount("/static", static_files, name="static")
    app.mount("/shared", pages.shared_static, name="shared")
    return app
