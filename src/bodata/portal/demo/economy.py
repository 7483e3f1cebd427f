"""The demo's economy: three years of rent notices and invoices with payments, hot-water specifications, a debt
collection, and the long invoice histories of the benchmark. The amounts follow the back office's arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from bodata.portal.admin.ledger import Amounts, total
from bodata.portal.amounts import allocated, balance
from bodata.portal.demo.base import (
    AUTOGIRO,
    BANKGIRO,
    CENT,
    COLLECTION_DAYS,
    EV_CHARGING,
    EXTRAS,
    FIRST_NOTICE_NUMBER,
    HISTORY_MONTHS,
    HOT_WATER,
    HOT_WATER_PRICE,
    INSPECTION_DAYS_BEFORE,
    INSPECTION_REMARKS,
    INVOICE,
    INVOICE_DAYS,
    KRONA,
    LITRE,
    MANUAL,
    NOTICE_LEAD_DAYS,
    PRICE_YEAR,
    RECENT_MONTHS,
    RENT_NOTICE,
    VAT_RATE,
    ZERO,
    Context,
    People,
    Tenancy,
    Values,
    add_months,
    insert_rows,
    latest_period,
    meter_reading,
    month_end,
    month_start,
    months_between,
    next_weekday,
    price_in,
    printed_postcode,
    utc,
)
from bodata.portal.models import (
    Company,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    Invoice,
    InvoiceDistribution,
    LedgerEntry,
    LedgerRow,
    Meter,
    MeterInstallation,
    MeterReading,
    Payment,
)
from bodata.portal.ocr import ocr_reference

SPECIFICATION = tuple(column.key for column in LedgerRow.__table__.columns if column.key.startswith("spec_"))


CHARGES = (
    ("demo", 400, (("Ny nyckel (borttappad)", "280"), ("Omprogrammering av passerbricka", "120")), True),
    (
        "demo",
        10,
        (("Reparation av tvättmaskin, skada orsakad av hyresgäst", "1160"), ("Framkörningsavgift", "395")),
        False,
    ),
    ("neighbour", 200, (("Ny nyckel (borttappad)", "280"),), True),
)
"""Invoices for other things than rent: whose, how many days ago, rows (with VAT), paid."""


@dataclass(frozen=True)
class _Billing:
    """Who a notice is for, which object it concerns, where it is sent and how it is paid."""

    customer_id: int
    contract_id: int | None
    node_id: int | None
    bankgiro: str
    name: str
    email: str | None
    letters: list[CustomerAddress]
    channel: str

    def distribution(self, sent: datetime) -> Values:
        """By e-mail to a validated address, else a letter to the postal address in force when it was sent."""
        if self.email is not None:
            return {"typ": "epost", "adress": self.email, "distribuerad": sent}
        day = sent.date()
        in_force = [a for a in self.letters if (a.fom is None or a.fom <= day) and (a.tom is None or a.tom >= day)]
        address = (in_force or self.letters or [None])[0]
        return {"typ": "brev.direkt", "adress": _flattened(address, self.name), "distribuerad": sent}


def _flattened(address: CustomerAddress | None, name: str) -> str:
    """A postal address on one line: ``Anna Andersson Gatuvägen 23 B vån 3 123 45 Staden``."""
    if address is None:
        return name
    code = printed_postcode(address.postnummer, address.land)
    care_of = f"c/o {address.care_of}" if address.care_of else None
    parts = (address.namn or name, care_of, address.gatuadress1, address.gatuadress2, code, address.postort)
    return " ".join(part for part in parts if part)


def _billing(session: Session, contract: Contract, company: Company, channel: str) -> _Billing:
    customer = session.get_one(Customer, contract.customer_id)
    email = session.scalar(
        select(ContactDetail.value).where(
            ContactDetail.customer_id == customer.id, ContactDetail.kind == "E-postadress", ContactDetail.validated
        )
    )
    letters = session.scalars(
        select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer.id, CustomerAddress.kind == "kund.post")
        .order_by(CustomerAddress.id)
    )
    return _Billing(
        customer_id=customer.id,
        contract_id=contract.id,
        node_id=contract.node_id,
        bankgiro=company.bankgiro,
        name=f"{customer.fornamn} {customer.efternamn}",
        email=email,
        letters=list(letters),
        channel=channel,
    )


def _ledger_row(text: str, net: Decimal, vat_rate: Decimal = ZERO, **specification: Any) -> Values:
    vat = (net * vat_rate).quantize(CENT)
    return {
        "aviseringstext": text,
        "nettobelopp": net,
        "momsbelopp": vat,
        "bruttobelopp": Amounts(net, vat).brutto,
        "has_specification": bool(specification),
        **dict.fromkeys(SPECIFICATION),
        **specification,
    }


@dataclass(frozen=True)
class _Notice:
    """A notice ready to insert: the invoice, its one ledger entry with rows, its distribution and payments."""

    invoice: Values
    entry: Values
    rows: list[Values]
    distribution: Values
    payments: list[Values]


def _notice(
    billing: _Billing,
    *,
    number: int,
    kind: tuple[str, str],
    period: date,
    due: date,
    sent: datetime,
    rows: list[Values],
    payments: Sequence[tuple[date, Decimal]],
) -> _Notice:
    """A notice with one ledger entry of ``rows``, sent once, with its payments; the amounts add up."""
    lines = [Amounts(row["nettobelopp"], row["momsbelopp"]) for row in rows]
    amounts = total(lines, netto=None, moms=None, where="demo notice")
    paid = sum((amount for _, amount in payments), ZERO)
    rest, to_pay = balance(amounts.brutto, paid)
    invoice = {
        "customer_id": billing.customer_id,
        "contract_id": billing.contract_id,
        "avinummer": str(number),
        "typ_referensnamn": kind[0],
        "typ_beteckning": kind[1],
        "betalningsreferens": ocr_reference(number),
        "mottagare_nummer": billing.bankgiro,
        "forfallodag": due,
        "nettobelopp": amounts.netto,
        "momsbelopp": amounts.moms,
        "bruttobelopp": amounts.brutto,
        "inbetalt_belopp": paid,
        "restbelopp": rest,
        "fordelat_belopp": allocated(amounts.brutto, paid),
        "att_betala": to_pay,
        "created_at": utc(sent),
    }
    entry = {
        "node_id": billing.node_id,
        "period": f"{period:%Y-%m}",
        "forfallodag": due,
        "nettobelopp": amounts.netto,
        "momsbelopp": amounts.moms,
        "bruttobelopp": amounts.brutto,
    }
    return _Notice(
        invoice=invoice,
        entry=entry,
        rows=rows,
        distribution=billing.distribution(sent),
        payments=[
            {"betalvag": billing.channel, "belopp": amount, "betalningsdag": day, "bokforingsdag": next_weekday(day)}
            for day, amount in payments
        ],
    )


def _save_notices(session: Session, notices: Sequence[_Notice]) -> None:
    """Insert notices with their ledger entries, rows, distributions and payments, one executemany per table (the
    new ids are read back: invoices by their unique number, entries by their invoice)."""
    last_invoice, last_entry = (session.scalar(select(func.max(model.id))) or 0 for model in (Invoice, LedgerEntry))
    insert_rows(session, Invoice, [notice.invoice for notice in notices])
    invoice_ids = dict(session.execute(select(Invoice.avinummer, Invoice.id).where(Invoice.id > last_invoice)).all())
    saved = [(notice, invoice_ids[notice.invoice["avinummer"]]) for notice in notices]
    insert_rows(session, LedgerEntry, [notice.entry | {"invoice_id": invoice} for notice, invoice in saved])
    entry_ids = dict(
        session.execute(select(LedgerEntry.invoice_id, LedgerEntry.id).where(LedgerEntry.id > last_entry)).all()
    )
    rows = [row | {"ledger_entry_id": entry_ids[invoice]} for notice, invoice in saved for row in notice.rows]
    insert_rows(session, LedgerRow, rows)
    insert_rows(
        session, InvoiceDistribution, [notice.distribution | {"invoice_id": invoice} for notice, invoice in saved]
    )
    insert_rows(
        session, Payment, [paid | {"invoice_id": invoice} for notice, invoice in saved for paid in notice.payments]
    )


def _next_notice_number(session: Session) -> int:
    """The next free notice number (Avinummer): above every numeric one there is, from the capture's example up."""
    numbers = [int(number) for number in session.scalars(select(Invoice.avinummer)) if number.isdigit()]
    return max([FIRST_NOTICE_NUMBER - 1, *numbers]) + 1


def _payments(random: Random, gross: Decimal, due: date, channel: str, *, recent: bool) -> list[tuple[date, Decimal]]:
    """How a notice was paid: autogiro on the due date; otherwise mostly on time, some late or in two parts, a few
    only partly: the rest follows a month later, or is still open when the notice is ``recent``. Payments after the
    due date come within two weeks, or (the rest of a partly paid notice) only for notices that are not recent."""
    if channel == AUTOGIRO:
        return [(due, gross)]
    draw = random.random()
    if draw < 0.02:
        part = (gross * random.randint(40, 80) / 100).quantize(Decimal("1E2"))
        part = part if ZERO < part < gross else (gross / 2).quantize(CENT)
        paid = [(due - timedelta(days=random.randint(0, 3)), part)]
        return paid if recent else [*paid, (due + timedelta(days=random.randint(20, 40)), gross - part)]
    if draw < 0.04:
        return [(due + timedelta(days=random.randint(3, 14)), gross)]
    if draw < 0.055:
        first = (gross / 2).quantize(KRONA)
        return [(due - timedelta(days=1), first), (due + timedelta(days=random.randint(8, 14)), gross - first)]
    return [(due - timedelta(days=random.randint(0, 6)), gross)]


@dataclass
class _HotWaterMeter:
    """The hot-water meter of an object and its readings by month; it reads the months it bills."""

    meter: Meter
    readings: dict[date, Values]
    location: str = "Kök"

    @classmethod
    def find(cls, session: Session, node_id: int) -> _HotWaterMeter | None:
        meter = session.scalar(
            select(Meter)
            .join(MeterInstallation, Meter.installation_id == MeterInstallation.id)
            .where(MeterInstallation.node_id == node_id, Meter.anvandning == HOT_WATER)
            .order_by(Meter.id)
            .limit(1)
        )
        if meter is None:
            return None
        readings = session.execute(select(MeterReading.__table__).where(MeterReading.meter_id == meter.id)).mappings()
        return cls(meter, {reading["datum"]: dict(reading) for reading in readings})

    def bill(self, period: date, due: date, contract: Contract, random: Random) -> list[Values]:
        """The hot-water row of the notice for ``period``: the consumption two months before, when it was the
        contract's (the month is read here unless it already was)."""
        month = add_months(period, -2)
        reading = self.readings.get(month) or self._read(month, random)
        if month < month_start(contract.fom) or (contract.tom is not None and month > contract.tom):
            return []
        reading |= {"debiterad": True, "debiteras_tidigast": due}
        used = reading["forbrukning"]
        return [
            _ledger_row(
                HOT_WATER,
                reading["kostnad"],
                spec_avser_fom=reading["datum"],
                spec_avser_tom=reading["tom"],
                spec_kalla_beteckning=self.location,
                spec_kalla_identitet=self.meter.beteckning,
                spec_varde_fom=reading["matarstallning"] - used,
                spec_varde_tom=reading["matarstallning"],
                spec_mangd=used,
                spec_mangdenhet=self.meter.enhet,
                spec_apris=reading["apris"],
            )
        ]

    def _read(self, month: date, random: Random) -> Values:
        earlier = [day for day in self.readings if day < month]
        start = self.readings[max(earlier)]["matarstallning"] if earlier else random.randint(50_000, 600_000) * LITRE
        used = random.randint(1_200, 4_800) * LITRE
        price = price_in(month.year, HOT_WATER_PRICE, PRICE_YEAR, CENT)
        cost = (used * price).quantize(CENT)
        reading = meter_reading(self.meter.id, month, used, start + used, cost=cost, price=price)
        self.readings[month] = reading
        return reading

    def save(self, session: Session) -> None:
        """Insert the new readings, mark the billed ones that were already there."""
        insert_rows(session, MeterReading, [reading for reading in self.readings.values() if "id" not in reading])
        for reading in self.readings.values():
            if "id" in reading and reading["debiterad"]:
                session.execute(
                    update(MeterReading)
                    .where(MeterReading.id == reading["id"])
                    .values(debiterad=True, debiteras_tidigast=reading["debiteras_tidigast"])
                )


def add_invoice_history(
    session: Session,
    *,
    customer_id: int,
    contract_id: int,
    node_id: int,
    company: Company,
    months: int,
    last_due: date,
    random: Random,
) -> int:
    """Monthly rent notices for a contract, ``months`` of them, the last falling due on ``last_due``; returns how
    many were added.

    Rent is paid in advance: the notice for period 2014-09 falls due on 2014-08-31 and is sent two weeks before.
    Each notice has one ledger entry (the period, the object ``node_id``) with the base rent of its year (the
    contract's ``monthly_rent`` in the last period, less the yearly increases), the metered hot water of two months
    before when the object has a hot-water meter (read here unless it already was, so meter and notices agree),
    and parking, storage and charging for some customers. Every notice but the last is paid, mostly on time (a few
    late, in two parts or only in part); the last stays open unless the contract ends with it. Call it in date
    order for one object, so its meter readings keep rising. The rows are inserted in bulk, not as ORM objects.
    """
    contract = session.get_one(Contract, contract_id)
    if contract.customer_id != customer_id:
        raise ValueError(f"contract {contract_id} is not customer {customer_id}'s")
    billing = replace(_billing(session, contract, company, _payment_channel(random)), node_id=node_id)
    meter = _HotWaterMeter.find(session, node_id)
    notices = _rent_notices(
        contract, billing, meter, months=months, last_due=last_due, number=_next_notice_number(session), random=random
    )
    _save_notices(session, notices)
    if meter is not None:
        meter.save(session)
    return len(notices)


def _payment_channel(random: Random) -> str:
    return random.choices((AUTOGIRO, BANKGIRO, MANUAL), weights=(35, 50, 15))[0]


def _rent_notices(
    contract: Contract,
    billing: _Billing,
    meter: _HotWaterMeter | None,
    *,
    months: int,
    last_due: date,
    number: int,
    random: Random,
) -> list[_Notice]:
    """The rent notices of ``add_invoice_history``, numbered from ``number`` (nothing is saved here)."""
    extras = [(text, price, rate) for text, price, rate, share in EXTRAS if random.random() < share]
    if any(text == "Parkering" for text, _, _ in extras) and random.random() < EV_CHARGING[3]:
        extras.append(EV_CHARGING[:3])
    last_period = add_months(month_start(last_due), 1)
    settled = contract.tom is not None and contract.tom <= month_end(last_period)
    rent = Decimal(contract.monthly_rent)
    notices = []
    for index in range(months):
        period = add_months(last_period, index + 1 - months)
        due = period - timedelta(days=1)
        rows = [_ledger_row("Grundhyra", price_in(period.year, rent, last_period.year))]
        if meter is not None:
            rows += meter.bill(period, due, contract, random)
        rows += [_ledger_row(text, price_in(period.year, price, PRICE_YEAR), rate) for text, price, rate in extras]
        gross = sum((row["bruttobelopp"] for row in rows), ZERO)
        open_notice = index == months - 1 and not settled
        recent = index >= months - RECENT_MONTHS
        notices.append(
            _notice(
                billing,
                number=number + index,
                kind=RENT_NOTICE,
                period=period,
                due=due,
                sent=datetime.combine(due - timedelta(days=NOTICE_LEAD_DAYS), time(13, 0)),
                rows=rows,
                payments=[] if open_notice else _payments(random, gross, due, billing.channel, recent=recent),
            )
        )
    return notices


def add_economy(context: Context, people: People, company: Company) -> None:
    """Three years of rent notices for everyone who rented in that time (as ``add_invoice_history`` makes them, but
    saved all at once), a few invoices, and one notice sent to debt collection."""
    session, rng = context.session, context.rng
    last_period = latest_period(context.today)
    first_period = add_months(last_period, 1 - HISTORY_MONTHS)
    first_number = _next_notice_number(session)
    meters: dict[int, _HotWaterMeter | None] = {}
    notices: list[_Notice] = []
    for tenancy in sorted(people.tenancies, key=lambda tenancy: (tenancy.contract.fom, tenancy.customer.id)):
        contract = tenancy.contract
        start = max(first_period, month_start(contract.fom))
        end = last_period if contract.tom is None else min(last_period, month_start(contract.tom))
        if start > end:
            continue
        if contract.node_id not in meters:
            meters[contract.node_id] = _HotWaterMeter.find(session, contract.node_id)
        notices += _rent_notices(
            contract,
            _billing(session, contract, company, _payment_channel(rng)),
            meters[contract.node_id],
            months=months_between(start, end) + 1,
            last_due=end - timedelta(days=1),
            number=first_number + len(notices),
            random=rng,
        )
    for tenancy, invoiced, rows, paid in _charges(context, people):
        billing = _billing(session, tenancy.contract, company, BANKGIRO)
        due = invoiced + timedelta(days=INVOICE_DAYS)
        gross = sum((row["bruttobelopp"] for row in rows), ZERO)
        notice = _notice(
            billing,
            number=first_number + len(notices),
            kind=INVOICE,
            period=month_start(invoiced),
            due=due,
            sent=datetime.combine(invoiced, time(13, 0)),
            rows=rows,
            payments=[(due - timedelta(days=rng.randint(1, 9)), gross)] if paid else [],
        )
        notices.append(notice)
    _save_notices(session, notices)
    for meter in meters.values():
        if meter is not None:
            meter.save(session)
    _debt_collection(context, people)


def _charges(context: Context, people: People) -> list[tuple[Tenancy, date, list[Values], bool]]:
    """Invoices for other things than rent (tenant, invoice date, rows, paid): keys and a repair with VAT, and the
    damages found when the demo flat's earlier tenant moved out (no VAT)."""
    tenants = {"demo": people.demo, "neighbour": people.neighbour}
    charges = [
        (
            tenants[who],
            context.today - timedelta(days=days_ago),
            [_ledger_row(text, Decimal(amount), VAT_RATE) for text, amount in rows],
            paid,
        )
        for who, days_ago, rows, paid in CHARGES
    ]
    inspected = people.demo.contract.fom - timedelta(days=INSPECTION_DAYS_BEFORE)
    damages = [
        _ledger_row(f"Avflyttningsskada: {action.lower()} ({place.lower()})", Decimal(charged))
        for place, _, action, _, charged in INSPECTION_REMARKS
        if Decimal(charged) > 0
    ]
    return [*charges, (people.outgoing, inspected + timedelta(days=14), damages, True)]


def _debt_collection(context: Context, people: People) -> None:
    """The tenant who moved out most recently (but long enough ago) left the last rent unpaid: it went to debt
    collection."""
    cutoff = context.today - timedelta(days=COLLECTION_DAYS + 60)
    moved_out = [t.customer.id for t in people.tenancies if t.contract.tom is not None and t.contract.tom <= cutoff]
    invoice = context.session.scalars(
        select(Invoice)
        .where(Invoice.customer_id.in_(moved_out), Invoice.typ_referensnamn == RENT_NOTICE[0])
        .order_by(Invoice.forfallodag.desc(), Invoice.id.desc())
        .limit(1)
        .options(selectinload(Invoice.payments), selectinload(Invoice.ledger_entries))
    ).one()
    for payment in invoice.payments:
        context.session.delete(payment)
    invoice.inbetalt_belopp = invoice.fordelat_belopp = allocated(invoice.bruttobelopp, ZERO)
    invoice.restbelopp, invoice.att_betala = balance(invoice.bruttobelopp, ZERO)
    invoice.ledger_entries[0].skickad_till_inkasso = invoice.forfallodag + timedelta(days=COLLECTION_DAYS)
