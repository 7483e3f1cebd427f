"""Demo data: the API client ``demo``/``demo`` and a generated register of a few hundred properties."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bodata.core.demo import DemoData
from bodata.inskrivning import service
from bodata.inskrivning.generator import generate_register

DEMO_CLIENT_ID = "demo"
DEMO_CLIENT_SECRET = "demo"
DEMO_PROPERTIES = 300
DEMO_SEED = 2026


def seed_demo(session: Session, demo: DemoData) -> None:
    now = demo.clock.now()
    if not any(client.client_id == DEMO_CLIENT_ID for client in service.list_clients(session)):
        service.add_client(session, DEMO_CLIENT_ID, secret=DEMO_CLIENT_SECRET, now=now, description="demo client")
    service.load_generated(session, generate_register(DEMO_PROPERTIES, seed=DEMO_SEED, now=now))
