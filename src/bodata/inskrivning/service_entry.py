"""How the platform mounts and runs the Inskrivning v3 service."""

from __future__ import annotations

from fastapi import APIRouter

from bodata.core.service import DemoAccount, Service
from bodata.inskrivning.api import MAX_BODY_BYTES, base_path_route, create_inskrivning_app, render_fault
from bodata.inskrivning.cli import cli
from bodata.inskrivning.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, seed_demo
from bodata.inskrivning.gateway import router as gateway_router
from bodata.inskrivning.seed import SEED_FORMAT

PREFIX = "/distribution/produkter/inskrivning/v3"


def _root_routes() -> APIRouter:
    """``POST /token`` and the base path without its trailing slash."""
    router = APIRouter()
    router.include_router(gateway_router)
    router.routes.append(base_path_route(PREFIX))
    return router


SERVICE = Service(
    name="inskrivning",
    title="Inskrivning v3 (Lantmäteriet)",
    prefix=PREFIX,
    create_app=create_inskrivning_app,
    render_error=render_fault,
    max_body_bytes=MAX_BODY_BYTES,
    links={"API docs": f"{PREFIX}/docs", "token": "/token", "XSD": f"{PREFIX}/inskrivning-3.0.0.xsd"},
    demo_accounts=(DemoAccount("OAuth2 client (POST /token, HTTP Basic)", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),),
    seed_demo=seed_demo,
    cli=cli,
    seed_format=SEED_FORMAT,
    root_routes=_root_routes,
)
