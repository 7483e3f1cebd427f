"""The landlord's side of the demo: rent components, reference rates, next month's rent run (its notices in the
outbox) and a BgMax file that pays a few of them, with one payment left in the queue for staff."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bodata.portal import bgmax, rent
from bodata.portal.demo.base import Context
from bodata.portal.demo.customers import People
from bodata.portal.models import Company, ReferenceRate, RentComponent

REFERENCE_RATES = ((date(2025, 1, 1), Decimal("2.500")), (date(2025, 7, 1), Decimal("2.000")))
"""Reference rates for the demo's late-payment interest (enter Riksbanken's own in a real installation)."""
PARKING = Decimal(450)
PAID = 5
"""How many of the run's notices the demo's BgMax file pays."""


def add_landlord(context: Context, people: People, company: Company) -> None:
    """Rent components for the open contracts (base rent, a parking space for every fifth), reference rates, the
    rent run for next month and a BgMax file paying the first few of its notices and one unknown reference."""
    session = context.session
    for number, tenancy in enumerate(people.tenancies):
        contract = tenancy.contract
        if contract.tom is not None:
            continue
        parts = [("Grundhyra", contract.monthly_rent)] + ([("Parkering", PARKING)] if number % 5 == 0 else [])
        session.add_all(
            RentComponent(contract_id=contract.id, aviseringstext=text, monthly_amount=amount) for text, amount in parts
        )
    session.add_all(ReferenceRate(fom=fom, rate=rate) for fom, rate in REFERENCE_RATES)
    session.flush()
    committed = rent.commit_rent_run(
        session, period=rent.next_period(context.now), now=context.now, trigger="demo", started_by="demo"
    )
    payments = [
        bgmax.FilePayment(invoice.betalningsreferens, invoice.bruttobelopp, serial)
        for serial, invoice in enumerate(committed.invoices[:PAID], start=1)
    ]
    payments.append(bgmax.FilePayment("", Decimal(1250), PAID + 1, name="Okänd Inbetalare"))
    data = bgmax.write_file(payments, bankgiro=company.bankgiro, day=context.today - timedelta(days=1))
    bgmax.import_file(session, data=data, filename="BgMax-demo.txt", now=context.now, imported_by="demo")
