"""Demo data for the tenant portal: a housing company in Västerås with three properties and a hundred flats.

Bostads AB Mälarporten lets flats in Västerås Skäret 4, Blåklockan 7 and Rektorn 2 (student flats). Every flat has
rooms and components to report faults on, meters and planned maintenance; most have a tenant with contact details,
addresses, a contract, documents, messages and three years of monthly rent notices with payments (earlier tenants
moved out, a few flats stand empty). Each property has a laundry room with bookable times. The demo tenant
``demo``/``demo`` (Kalle Andersson in 142-043-07) has a rich history: open and closed fault reports, a maintenance
offer to answer, the inspection from when they moved in, a disturbance report, a case shared with
``DEMO_SHARE_KEY`` and two invoices; ``granne``/``demo`` lives upstairs. Staff log in to ``/portal/personal`` as
``personal``/``demo``. Everything comes from the seeded random sources of :class:`DemoData` and the clock, so every
run gives the same data. ``add_invoice_history`` also makes the
long invoice histories of the benchmark.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bodata.core.demo import DemoData
from bodata.core.security import hash_password
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.demo.base import (
    COMPANY,
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_SHARE_KEY,
    DEMO_STAFF_TOKEN,
    DEMO_USER,
    NEIGHBOUR_USER,
    Context,
    personnummer,
)
from bodata.portal.demo.cases import add_cases
from bodata.portal.demo.customers import add_people
from bodata.portal.demo.documents import Files, add_documents, add_notifications
from bodata.portal.demo.economy import add_economy, add_invoice_history
from bodata.portal.demo.estate import add_maintenance, add_meters, build_catalogue, build_estate
from bodata.portal.demo.landlord import add_landlord
from bodata.portal.demo.laundry import add_access, add_laundry
from bodata.portal.models import Company, StaffUser
from bodata.portal.staff.accounts import STAFF

DEMO_STAFF_USER = "personal"
"""The demo staff account of the web UI at ``/portal/personal`` (password ``DEMO_PASSWORD``)."""

__all__ = [
    "DEMO_API_KEY",
    "DEMO_PASSWORD",
    "DEMO_SHARE_KEY",
    "DEMO_STAFF_TOKEN",
    "DEMO_STAFF_USER",
    "DEMO_USER",
    "NEIGHBOUR_USER",
    "add_invoice_history",
    "personnummer",
    "seed_demo",
]


def seed_demo(session: Session, demo: DemoData) -> None:
    """Load the portal's demo data (see the module docstring) in the caller's transaction."""
    now = demo.clock.now()
    context = Context(session, now, now.astimezone(SWEDISH_TIME).date(), demo.random(), demo.faker("sv_SE"))
    company = Company(**COMPANY)
    session.add(company)
    catalogue = build_catalogue(context)
    properties = build_estate(context, catalogue)
    add_meters(context, properties)
    add_maintenance(context, properties)
    people = add_people(context, properties)
    files = Files(context)
    add_economy(context, people, company)
    add_documents(context, people, catalogue, files)
    add_notifications(context, people, files)
    add_cases(context, catalogue, people, files)
    add_laundry(context, properties, people)
    add_access(context, people)
    add_landlord(context, people, company)
    session.add(
        StaffUser(
            username=DEMO_STAFF_USER,
            name="Eva Ek",
            password_hash=hash_password(DEMO_PASSWORD),
            role=STAFF,
            created_at=now,
        )
    )
    session.flush()
