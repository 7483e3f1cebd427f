"""How the platform mounts and runs the HuslejeregisterV3 service."""

from __future__ import annotations

from bodata.core.service import DemoAccount, Service
from bodata.huslejeregister.api import create_huslejeregister_app, render_soap_fault
from bodata.huslejeregister.cli import cli
from bodata.huslejeregister.demo import DEMO_PASSWORD, DEMO_USER, OTHER_USER, seed_demo
from bodata.huslejeregister.seed import SEED_FORMAT

PREFIX = "/huslejeregister"

SERVICE = Service(
    name="huslejeregister",
    title="HuslejeregisterV3 (Landsbyggefonden)",
    prefix=PREFIX,
    create_app=create_huslejeregister_app,
    render_error=render_soap_fault,
    links={"endpoint": f"{PREFIX}/v3", "WSDL": f"{PREFIX}/v3?wsdl"},
    demo_accounts=(
        DemoAccount("SOAP user, organisations 1001 and 1002 (WS-Security UsernameToken)", DEMO_USER, DEMO_PASSWORD),
        DemoAccount("SOAP user, organisation 1003", OTHER_USER, DEMO_PASSWORD),
    ),
    seed_demo=seed_demo,
    cli=cli,
    seed_format=SEED_FORMAT,
)
