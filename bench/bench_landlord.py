"""The landlord's bulk work: a rent run for many contracts including their PDFs, and a BgMax file of as many
payments imported and matched.

A SQLite file gets the portal's test world and ``--contracts`` more contracts (each its own customer with an e-mail
address and a postal address). Baselines measured in the same run: rendering the run's notices as PDFs alone (the
same notices, the same renderer) for the rent run (goal: run ≤ 1.3 × render), and parsing the BgMax file alone for
its import (goal: import + match ≤ 3 × parse). The import is timed in transactions rolled back, so each round
imports the same file into the same ledger.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload
from tests.portal.fixtures import BankIn, bgmax_file, make_world

from bench.report import Measurement, report
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.portal import bgmax, rent
from bodata.portal.customers import recipients
from bodata.portal.models import Company, ContactDetail, Contract, Customer, CustomerAddress, Invoice, LedgerEntry, Node
from bodata.portal.pdf import render_invoice

NOW = datetime(2026, 12, 10, 9, tzinfo=UTC)
PERIOD = "2027-01"


def build(path: Path, contracts: int) -> Database:
    """The world and ``contracts`` contracts with rent, customers, e-mail and postal addresses (bulk inserts)."""
    database = Database.from_settings(Settings(database_url=f"sqlite:///{path}", secret_key="bench"))
    upgrade(database.engine)
    with database.transaction() as session:
        world = make_world(session, NOW)
        first = 100_000
        session.execute(
            insert(Customer),
            [
                {
                    "id": first + n,
                    "kundnummer": f"B{n}",
                    "fornamn": "Hyres",
                    "efternamn": f"Gäst {n}",
                    "created_at": NOW,
                }
                for n in range(contracts)
            ],
        )
        session.execute(
            insert(ContactDetail),
            [
                {"customer_id": first + n, "kind": "E-postadress", "value": f"gast{n}@example.se"}
                for n in range(contracts)
            ],
        )
        session.execute(
            insert(CustomerAddress),
            [
                {
                    "customer_id": first + n,
                    "kind": "kund.post",
                    "gatuadress1": f"Storgatan {n % 90 + 1}",
                    "postnummer": "72131",
                    "postort": "Västerås",
                    "land": "SE",
                }
                for n in range(contracts)
            ],
        )
        session.execute(
            insert(Contract),
            [
                {
                    "avtalsnummer": f"B-{n}",
                    "customer_id": first + n,
                    "node_id": world.flat1 if n % 2 else world.flat2,
                    "fom": date(2020, 1, 1),
                    "monthly_rent": Decimal(6000 + n % 3000),
                }
                for n in range(contracts)
            ],
        )
    return database


def render_alone(database: Database, invoice_ids: list[int]) -> float:
    """Seconds to render the run's notices as PDFs, their data loaded beforehand."""
    with database.transaction(write=False) as session:
        company = session.scalar(select(Company))
        invoices = session.scalars(
            select(Invoice)
            .where(Invoice.id.in_(invoice_ids))
            .options(
                selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.rows),
                selectinload(Invoice.payments),
                selectinload(Invoice.distributions),
            )
        ).all()
        customers = {
            c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_({i.customer_id for i in invoices})))
        }
        nodes = {node.id: node for node in session.scalars(select(Node))}
        addresses = recipients(session, customers=list(customers.values()), sent=NOW.date())
        started = time.perf_counter()
        for invoice in invoices:
            render_invoice(
                company=company,
                customer=customers[invoice.customer_id],
                invoice=invoice,
                objects=nodes,
                recipient_lines=addresses[invoice.customer_id],
            )
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000, help="contracts billed (and payments imported)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the BgMax timings (best kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        database = build(Path(directory) / "landlord.db", args.contracts)
        started = time.perf_counter()
        with database.transaction() as session:
            committed = rent.commit_rent_run(session, period=PERIOD, now=NOW, trigger="bench", started_by="bench")
            invoice_ids = [invoice.id for invoice in committed.invoices]
            payments = [
                BankIn(invoice.betalningsreferens, invoice.bruttobelopp, serial)
                for serial, invoice in enumerate(committed.invoices, start=1)
                if invoice.bruttobelopp > 0  # the world's own two contracts have no rent
            ]
        run_s = time.perf_counter() - started
        render_s = render_alone(database, invoice_ids)

        data = bgmax_file(payments, day=date(2026, 12, 28))
        parse_s = import_s = float("inf")
        for _ in range(args.rounds):
            started = time.perf_counter()
            bgmax.parse(data)
            parse_s = min(parse_s, time.perf_counter() - started)
            with database.engine.connect() as connection:
                transaction = connection.begin()
                session = Session(bind=connection)
                started = time.perf_counter()
                result = bgmax.import_file(session, data=data, filename="bench.txt", now=NOW, imported_by="bench")
                session.flush()
                import_s = min(import_s, time.perf_counter() - started)
                assert result.matched == len(payments), result
                session.close()
                transaction.rollback()
        database.dispose()

    notices = len(invoice_ids)
    measurements = [
        Measurement("render the notices' PDFs alone (baseline)", render_s / notices * 1e6, notices / render_s, 1.0),
        Measurement(
            "rent run incl. PDFs and outbox (goal ≤ 1.3)", run_s / notices * 1e6, notices / run_s, run_s / render_s
        ),
        Measurement("parse the BgMax file alone (baseline)", parse_s / notices * 1e6, notices / parse_s, 1.0),
        Measurement(
            "BgMax import + match + allocate (goal ≤ 3)",
            import_s / notices * 1e6,
            notices / import_s,
            import_s / parse_s,
        ),
    ]
    return report(
        "the landlord's bulk work, per notice or payment (bodata.portal.rent, bodata.portal.bgmax)",
        measurements,
        filename="landlord.json",
        context={"contracts": args.contracts, "notices": notices, "database": "sqlite", "rounds": args.rounds},
    )


if __name__ == "__main__":
    main()
