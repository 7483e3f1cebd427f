"""Rent runs (hyresavisering): the notices of a period from each contract's rent components, previewed, then committed.

A contract's rent is its components (``RentComponent``: Grundhyra, Parkering, Förråd … per month, each in force from
``fom`` to ``tom``; a rent change closes one and opens the next from its effective date). A contract without
components is billed its ``monthly_rent`` as "Hyra". Contracts are billed monthly (``manad``) or quarterly
(``kvartal``: January, April, July and October), in advance; a month the contract or a component covers only in part
is charged pro rata by days. Commercial premises (``vat``) pay 25 % VAT on every line (mervärdesskattelagen).
The due date is the last weekday (vardag: not a Saturday, Sunday or public holiday, nor midsummer, Christmas or
New Year's Eve) before the period, as hyreslagen 12 kap. 20 § has it, unless the contract names a day of the month
before (``due_day``), moved back to a weekday.

A committed run gives each notice an avinummer from the ``avi`` number series (taken under a row lock), the OCR
reference built from it, a PDF and a message in the outbox (e-mail, or a letter for the print batch). A contract
has at most one notice per period (a unique key): running a period again creates only the notices still missing.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bodata.core.metrics import RENT_RUNS
from bodata.portal.amounts import allocated, balance
from bodata.portal.customers import local_now
from bodata.portal.economy import RENT_NOTICE
from bodata.portal.models import (
    Company,
    Contract,
    Invoice,
    LedgerEntry,
    LedgerRow,
    NumberSeries,
    RentComponent,
    RentRun,
)
from bodata.portal.ocr import ocr_reference
from bodata.portal.outbox import enqueue_notices

VAT_RATE = Decimal("0.25")
"""Mervärdesskatt on letting premises under voluntary tax liability (frivillig skattskyldighet)."""
BILLING_PERIODS = {"manad": 1, "kvartal": 3}
"""Aviseringsperiod → months per notice."""
CENT = Decimal("0.01")


class RentError(ValueError):
    """A rent run or rent change that cannot be done (a malformed period, an unknown contract)."""


def money(value: Decimal) -> Decimal:
    """Rounded to öre, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Calendar -------------------------------------------------------------------------------------


def parse_period(period: str) -> date:
    """The first day of a period written ``YYYY-MM`` (years 1900–2999)."""
    try:
        year, month = (int(part) for part in period.split("-"))
        if len(period) != 7 or not 1900 <= year <= 2999:
            raise ValueError(period)
        return date(year, month, 1)
    except ValueError:
        raise RentError(f"Perioden {period!r} ska skrivas ÅÅÅÅ-MM, till exempel 2027-01 (år 1900–2999).") from None


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, 1)


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> set[date]:
    """Swedish public holidays (lagen om allmänna helgdagar), with midsummer, Christmas and New Year's Eve, which
    count as holidays for a due date (lagen om beräkning av lagstadgad tid 2 §)."""
    easter = _easter(year)
    midsummer_eve = next(date(year, 6, day) for day in range(19, 26) if date(year, 6, day).weekday() == 4)
    all_saints = next(
        date(year, 10, 31) + timedelta(days=n)
        for n in range(7)
        if (date(year, 10, 31) + timedelta(days=n)).weekday() == 5
    )
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    return {
        *(date(year, month, day) for month, day in fixed),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        midsummer_eve,
        midsummer_eve + timedelta(days=1),
        all_saints,
    }


def is_weekday(day: date) -> bool:
    """A vardag: Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)


def due_date(period_start: date, due_day: int | None = None) -> date:
    """The last weekday before the period, or the contract's day of the month before, moved back to a weekday."""
    previous = add_months(period_start, -1)
    day = period_start - timedelta(days=1)
    if due_day is not None:
        day = previous.replace(day=min(due_day, calendar.monthrange(previous.year, previous.month)[1]))
    while not is_weekday(day):
        day -= timedelta(days=1)
    return day


# --- Planning -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of a planned notice: one component for one month."""

    month: date
    text: str
    netto: Decimal
    moms: Decimal


@dataclass
class PlannedNotice:
    """What a committed run will bill one contract for the period."""

    contract_id: int
    avtalsnummer: str
    customer_id: int
    node_id: int
    period_fom: date
    forfallodag: date
    lines: list[Line] = field(default_factory=list)

    @property
    def netto(self) -> Decimal:
        return sum((line.netto for line in self.lines), Decimal(0))

    @property
    def moms(self) -> Decimal:
        return sum((line.moms for line in self.lines), Decimal(0))

    @property
    def brutto(self) -> Decimal:
        return self.netto + self.moms


@dataclass
class RentPlan:
    """A previewed run: the notices it would make, and how many contracts already have theirs."""

    period: str
    notices: list[PlannedNotice]
    already_noticed: int

    @property
    def total(self) -> Decimal:
        return sum((notice.brutto for notice in self.notices), Decimal(0))


def _overlap(start: date, end: date, fom: date | None, tom: date | None) -> tuple[date, date] | None:
    first, last = max(start, fom or start), min(end, tom or end)
    return (first, last) if first <= last else None


def contract_lines(contract: Contract, components: list[RentComponent], months: list[date]) -> list[Line]:
    """The lines for ``months``: each component in force, pro rata by days where the contract or the component
    covers only part of a month ("Grundhyra 2027-01-15–2027-01-31")."""
    parts = components or [
        RentComponent(aviseringstext="Hyra", monthly_amount=contract.monthly_rent, fom=None, tom=None)
    ]
    lines = []
    for month in months:
        last = add_months(month, 1) - timedelta(days=1)
        days = last.day
        for part in parts:
            span = _overlap(month, last, contract.fom, contract.tom)
            span = span and _overlap(span[0], span[1], part.fom, part.tom)
            if span is None:
                continue
            covered = (span[1] - span[0]).days + 1
            netto = money(part.monthly_amount * covered / days)
            text = part.aviseringstext if covered == days else f"{part.aviseringstext} {span[0]}–{span[1]}"
            moms = money(netto * VAT_RATE) if contract.vat else Decimal(0)
            lines.append(Line(month=month, text=text, netto=netto, moms=moms))
    return lines


def billed_months(contract: Contract, period_start: date) -> list[date]:
    """The months a notice for ``period_start`` covers: that month, or its quarter when billed quarterly and the
    period starts one (none otherwise)."""
    months = BILLING_PERIODS.get(contract.billing_period, 1)
    if (period_start.month - 1) % months:
        return []
    return [add_months(period_start, n) for n in range(months)]


def plan_rent_run(session: Session, *, period: str) -> RentPlan:
    """Preview the run for ``period`` (``YYYY-MM``): a notice for every contract in force in the months it bills
    that has none for the period yet. Nothing is written."""
    start = parse_period(period)
    end = add_months(start, 3) - timedelta(days=1)
    contracts = session.scalars(
        select(Contract)
        .where(Contract.fom <= end, or_(Contract.tom.is_(None), Contract.tom >= start))
        .order_by(Contract.id)
    ).all()
    noticed = set(
        session.scalars(
            select(Invoice.contract_id).where(Invoice.period_fom == start, Invoice.contract_id.is_not(None))
        )
    )
    components: dict[int, list[RentComponent]] = defaultdict(list)
    ids = [contract.id for contract in contracts]
    for chunk in range(0, len(ids), 5000):
        for component in session.scalars(
            select(RentComponent)
            .where(RentComponent.contract_id.in_(ids[chunk : chunk + 5000]))
            .order_by(RentComponent.id)
        ):
            components[component.contract_id].append(component)
    notices, already = [], 0
    for contract in contracts:
        months = billed_months(contract, start)
        if not months:
            continue
        if contract.id in noticed:
            already += 1
            continue
        lines = contract_lines(contract, components[contract.id], months)
        if not lines:
            continue
        notices.append(
            PlannedNotice(
                contract_id=contract.id,
                avtalsnummer=contract.avtalsnummer,
                customer_id=contract.customer_id,
                node_id=contract.node_id,
                period_fom=start,
                forfallodag=due_date(start, contract.due_day),
                lines=lines,
            )
        )
    return RentPlan(period=period, notices=notices, already_noticed=already)


# --- Numbers and committing -----------------------------------------------------------------------


def take_numbers(session: Session, *, name: str, count: int) -> int:
    """The first of ``count`` consecutive numbers of a series, under a row lock held to the end of the transaction.

    A series still at 0 starts after the largest numeric avinummer on record."""
    series = session.scalar(select(NumberSeries).where(NumberSeries.name == name).with_for_update())
    if series is None:
        series = NumberSeries(name=name, next_value=0)
        session.add(series)
    if series.next_value == 0:
        numeric = session.scalars(select(Invoice.avinummer).where(func.length(Invoice.avinummer) <= 18))
        series.next_value = max((int(number) for number in numeric if number.isdigit()), default=1_000_000) + 1
    first = series.next_value
    series.next_value += count
    session.flush()
    return first


@dataclass
class CommittedRun:
    """A committed run and the notices it made (with their ledgers attached, ready to print)."""

    run: RentRun
    invoices: list[Invoice]


def commit_rent_run(
    session: Session, *, period: str, now: datetime, trigger: str, started_by: str, send: bool = True
) -> CommittedRun:
    """Make the period's missing notices; with ``send``, each gets its PDF and a message in the outbox.

    The number series is locked before planning, so a concurrent run of the same period waits and then finds the
    notices made: it creates nothing twice (the unique contract-and-period key guards it too)."""
    parse_period(period)
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        RENT_RUNS.labels("failed").inc()
        raise RentError("Hyresvärdens uppgifter (med bankgiro) saknas: lägg in dem först.")
    session.execute(select(NumberSeries.name).where(NumberSeries.name == "avi").with_for_update())
    plan = plan_rent_run(session, period=period)
    run = RentRun(
        period=period,
        trigger=trigger,
        started_by=started_by,
        created_at=now,
        notices=len(plan.notices),
        total=plan.total,
    )
    session.add(run)
    session.flush()
    first = take_numbers(session, name="avi", count=len(plan.notices)) if plan.notices else 0
    invoices = []
    for offset, notice in enumerate(plan.notices):
        invoices.append(
            unpaid_notice(
                number=str(first + offset),
                customer_id=notice.customer_id,
                contract_id=notice.contract_id,
                kind=(RENT_NOTICE, "A"),
                bankgiro=company.bankgiro,
                due=notice.forfallodag,
                amounts=(notice.netto, notice.moms),
                now=now,
                rent_run_id=run.id,
                period_fom=notice.period_fom,
            )
        )
    session.add_all(invoices)
    session.flush()
    entries = _ledger(session, plan.notices, invoices)
    for invoice in invoices:
        set_committed_value(invoice, "payments", [])
        set_committed_value(invoice, "distributions", [])
    if send and invoices:
        enqueue_notices(session, company=company, invoices=invoices, entries=entries, now=now)
    RENT_RUNS.labels("committed").inc()
    return CommittedRun(run=run, invoices=invoices)


def _ledger(session: Session, notices: list[PlannedNotice], invoices: list[Invoice]) -> dict[int, list[LedgerEntry]]:
    """One ledger entry per billed month with a row per line; attached to the invoices for printing."""
    by_invoice: dict[int, list[LedgerEntry]] = {}
    pending: list[tuple[LedgerEntry, list[Line]]] = []
    for notice, invoice in zip(notices, invoices, strict=True):
        months: dict[date, list[Line]] = defaultdict(list)
        for line in notice.lines:
            months[line.month].append(line)
        entries = []
        for month, lines in months.items():
            netto = sum((line.netto for line in lines), Decimal(0))
            moms = sum((line.moms for line in lines), Decimal(0))
            entry = LedgerEntry(
                invoice_id=invoice.id,
                node_id=notice.node_id,
                period=month.strftime("%Y-%m"),
                forfallodag=notice.forfallodag,
                nettobelopp=netto,
                momsbelopp=moms,
                bruttobelopp=netto + moms,
            )
            entries.append(entry)
            pending.append((entry, lines))
        by_invoice[invoice.id] = entries
    session.add_all(entry for entry, _ in pending)
    session.flush()
    for entry, lines in pending:
        add_rows(session, entry=entry, lines=[(line.text, line.netto, line.moms) for line in lines])
    session.flush()
    for invoice in invoices:
        set_committed_value(invoice, "ledger_entries", by_invoice[invoice.id])
    return by_invoice


def unpaid_notice(
    *,
    number: str,
    customer_id: int,
    contract_id: int | None,
    kind: tuple[str, str],
    bankgiro: str,
    due: date,
    amounts: tuple[Decimal, Decimal],
    now: datetime,
    **extra: object,
) -> Invoice:
    """A new notice with nothing paid yet: ``kind`` is (Referensnamn, Beteckning), ``amounts`` (net, VAT); its OCR
    reference is built from ``number``."""
    netto, moms = amounts
    rest, to_pay = balance(netto + moms, Decimal(0))
    return Invoice(
        customer_id=customer_id,
        contract_id=contract_id,
        avinummer=number,
        typ_referensnamn=kind[0],
        typ_beteckning=kind[1],
        betalningsreferens=ocr_reference(number),
        mottagare_nummer=bankgiro,
        forfallodag=due,
        nettobelopp=netto,
        momsbelopp=moms,
        bruttobelopp=netto + moms,
        inbetalt_belopp=Decimal(0),
        restbelopp=rest,
        fordelat_belopp=allocated(netto + moms, Decimal(0)),
        att_betala=to_pay,
        created_at=now,
        **extra,
    )


def add_rows(session: Session, *, entry: LedgerEntry, lines: list[tuple[str, Decimal, Decimal]]) -> None:
    """A ledger entry's rows from ``(text, net, VAT)``, attached to the entry for printing."""
    rows = [
        LedgerRow(
            ledger_entry_id=entry.id,
            aviseringstext=text[:200],
            nettobelopp=netto,
            momsbelopp=moms,
            bruttobelopp=netto + moms,
            has_specification=False,
        )
        for text, netto, moms in lines
    ]
    session.add_all(rows)
    set_committed_value(entry, "rows", rows)


def next_period(now: datetime) -> str:
    """The period a run made today bills: next month (rent is paid in advance)."""
    today = local_now(now).date()
    return add_months(today, 1).strftime("%Y-%m")


# --- Rent changes ---------------------------------------------------------------------------------


def change_rent(
    session: Session, *, contract_id: int, aviseringstext: str, monthly_amount: Decimal, fom: date | None
) -> RentComponent:
    """Set a component's monthly amount from ``fom`` (a rent change, hyresändring): the one in force then ends the
    day before; without ``fom`` (or a new component) it applies from the contract's start."""
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise RentError(f"Avtalet {contract_id} finns inte.")
    text = aviseringstext.strip()
    if not text or monthly_amount < 0:
        raise RentError("En hyresdel behöver en text och ett belopp som inte är negativt.")
    current = session.scalars(
        select(RentComponent).where(
            RentComponent.contract_id == contract_id,
            RentComponent.aviseringstext == text,
            or_(RentComponent.tom.is_(None), RentComponent.tom >= (fom or date.min)),
        )
    ).all()
    for part in current:
        if fom is None or (part.fom is not None and part.fom >= fom):
            session.delete(part)
        else:
            part.tom = fom - timedelta(days=1)
    component = RentComponent(contract_id=contract_id, aviseringstext=text, monthly_amount=monthly_amount, fom=fom)
    session.add(component)
    session.flush()
    return component
