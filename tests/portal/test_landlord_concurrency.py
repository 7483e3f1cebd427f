"""Rent runs under concurrency, on SQLite and PostgreSQL: two runs of the same period at once make each notice once,
with distinct numbers from the series (its row lock), and a run and an import at once leave the ledger consistent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from bodata.core.db import Database
from bodata.portal import bgmax, rent
from bodata.portal.models import Contract, Customer, Invoice, Node, Payment

from .fixtures import BankIn, World, bgmax_file

NOW = datetime(2026, 12, 10, 9, tzinfo=UTC)
CONTRACTS = 40


def test_concurrent_runs_make_each_notice_once_with_distinct_numbers(database: Database, world: World) -> None:
    with database.transaction() as session:
        flat = session.get_one(Node, world.flat1)
        for number in range(CONTRACTS):
            customer = Customer(kundnummer=f"K{number}", fornamn="Hyres", efternamn=f"Gäst {number}", created_at=NOW)
            session.add(customer)
            session.flush()
            session.add(
                Contract(
                    avtalsnummer=f"B-{number}",
                    customer_id=customer.id,
                    node_id=flat.id,
                    fom=datetime(2026, 1, 1).date(),
                    monthly_rent=Decimal(5000 + number),
                )
            )

    def run(_: int) -> int:
        with database.transaction() as session:
            return len(
                rent.commit_rent_run(session, period="2027-01", now=NOW, trigger="test", started_by="t").invoices
            )

    with ThreadPoolExecutor(max_workers=3) as pool:
        made = list(pool.map(run, range(3)))
    assert sorted(made) == [0, 0, CONTRACTS + 2]  # the world's two contracts have no rent: billed 0 kr, still noticed
    with database.transaction() as session:
        notices = session.scalars(select(Invoice).where(Invoice.period_fom.is_not(None))).all()
        assert len({notice.avinummer for notice in notices}) == len(notices) == CONTRACTS + 2
        assert len({notice.contract_id for notice in notices}) == CONTRACTS + 2
        first = min(notices, key=lambda notice: int(notice.avinummer))
        session.expunge_all()

    payment = bgmax_file([BankIn(first.betalningsreferens, Decimal(1), 7)], day=NOW.date())

    def import_twice(_: int) -> bool:
        with database.transaction() as session:
            return bgmax.import_file(session, data=payment, filename="f", now=NOW, imported_by="t").already_imported

    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            outcomes = list(pool.map(import_twice, range(2)))
        except Exception as exc:  # the loser of the race hits the unique key: refused whole, never half written
            outcomes = [type(exc).__name__]
    with database.transaction() as session:
        assert session.scalar(select(func.count(Payment.id)).where(Payment.bank_payment_id.is_not(None))) == 1
        assert outcomes in ([False, True], [True, False], ["IntegrityError"])
