"""How the platform mounts and runs the Boenderegister service."""

from __future__ import annotations

from bodata.boenderegister.api import render_problem
from bodata.boenderegister.app import create_boenderegister_app
from bodata.boenderegister.cli import cli
from bodata.boenderegister.demo import DEMO_API_TOKEN, seed_demo
from bodata.boenderegister.scheduler import start_scheduler
from bodata.core.service import DemoAccount, Service

SERVICE = Service(
    name="boenderegister",
    title="Boenderegister",
    prefix="/boenderegister",
    create_app=create_boenderegister_app,
    render_error=render_problem,
    links={"web UI": "/boenderegister/", "API docs": "/boenderegister/docs"},
    demo_accounts=(
        DemoAccount("web UI login", "demo", "demo"),
        DemoAccount("REST API: Authorization: Bearer <token>", "(token)", DEMO_API_TOKEN),
    ),
    seed_demo=seed_demo,
    cli=cli,
    background=start_scheduler,
)
