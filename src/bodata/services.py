"""The services this installation of bodata serves, in mount order.

Each service package exposes a ``SERVICE`` (``bodata.core.service.Service``) and is listed here; the app,
the CLI, demo seeding and the migrations' model registry all read this list. In demo mode
(``bodata serve --demo``) the Axema Vaka stand-in is mounted too, so the demo integration has a system to read.
"""

from __future__ import annotations

from bodata.axema_sim.app import create_sim_app, render_sim_error
from bodata.axema_sim.seed import SEED_FORMAT as AXEMA_SEED_FORMAT
from bodata.axema_sim.state import SimState
from bodata.boenderegister.service_entry import SERVICE as BOENDEREGISTER
from bodata.core.config import Settings
from bodata.core.service import DemoAccount, Service
from bodata.huslejeregister.service_entry import SERVICE as HUSLEJEREGISTER
from bodata.inskrivning.service_entry import SERVICE as INSKRIVNING
from bodata.portal.service_entry import SERVICE as PORTAL

SERVICES: tuple[Service, ...] = (BOENDEREGISTER, PORTAL, HUSLEJEREGISTER, INSKRIVNING)

DEMO_AXEMA_APARTMENTS = 120

AXEMA_SIM_DEMO = Service(
    name="axema-sim",
    title="Axema Vaka stand-in (demo)",
    prefix="/axema-sim",
    create_app=lambda: create_sim_app(SimState(apartments=DEMO_AXEMA_APARTMENTS)),
    render_error=render_sim_error,
    links={"its data and faults": "/axema-sim/sim/state"},
    demo_accounts=(DemoAccount("Axema integration account (HTTP Basic, also /sim control API)", "demo", "demo"),),
    seed_format=AXEMA_SEED_FORMAT,
)


def installed_services(settings: Settings) -> tuple[Service, ...]:
    """The services to mount: every service, plus the Axema stand-in in demo and stand-in mode."""
    return (*SERVICES, AXEMA_SIM_DEMO) if settings.demo or settings.standin else SERVICES
