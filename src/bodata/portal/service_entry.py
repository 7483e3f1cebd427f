"""How the platform mounts and runs the tenant portal."""

from __future__ import annotations

from bodata.core.service import DemoAccount, Service
from bodata.portal.api import MAX_BODY_BYTES, create_portal_app, render_felmeddelande

PREFIX = "/portal"

SERVICE = Service(
    name="portal",
    title="Tenant portal (PM5 Mina sidor V1)",
    prefix=PREFIX,
    create_app=create_portal_app,
    render_error=render_felmeddelande,
    max_body_bytes=MAX_BODY_BYTES,
    links={"API docs": f"{PREFIX}/docs", "login": f"{PREFIX}/session/login", "back office": f"{PREFIX}/admin"},
    demo_accounts=(DemoAccount("Tenant portal login (POST /portal/session/login)", "demo", "demo"),),
)
