"""How the platform mounts and runs the tenant portal."""

from __future__ import annotations

from bodata.core.service import DemoAccount, Service
from bodata.portal.api import MAX_BODY_BYTES, create_portal_app, render_felmeddelande
from bodata.portal.cli import cli
from bodata.portal.demo import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_STAFF_TOKEN,
    DEMO_STAFF_USER,
    DEMO_USER,
    NEIGHBOUR_USER,
    seed_demo,
)
from bodata.portal.scheduler import start_scheduler
from bodata.portal.seed import SEED_FORMAT

PREFIX = "/portal"

SERVICE = Service(
    name="portal",
    title="Tenant portal (PM5 Mina sidor V1)",
    prefix=PREFIX,
    create_app=create_portal_app,
    render_error=render_felmeddelande,
    max_body_bytes=MAX_BODY_BYTES,
    links={
        "API docs": f"{PREFIX}/docs",
        "login": f"{PREFIX}/session/login",
        "back office": f"{PREFIX}/admin",
        "staff UI": f"{PREFIX}/personal/",
    },
    demo_accounts=(
        DemoAccount(f"Tenant portal (POST /portal/session/login, ApiNyckel {DEMO_API_KEY})", DEMO_USER, DEMO_PASSWORD),
        DemoAccount("Tenant portal, a neighbour (access control)", NEIGHBOUR_USER, DEMO_PASSWORD),
        DemoAccount("Portal back office (/portal/admin, Authorization: Bearer)", "(staff token)", DEMO_STAFF_TOKEN),
        DemoAccount("Landlord's staff UI (/portal/personal)", DEMO_STAFF_USER, DEMO_PASSWORD),
    ),
    seed_demo=seed_demo,
    cli=cli,
    seed_format=SEED_FORMAT,
    background=start_scheduler,
)
