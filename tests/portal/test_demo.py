"""The portal's demo data: a realistic, consistent and deterministic world on SQLite and PostgreSQL.

The demo is seeded once per database (it takes a few seconds) and the tests read it: the object tree, valid
Swedish identity numbers and payment references, amounts that add up, metered hot water that matches the meters,
the demo tenant's logins and cases, laundry times, and the same data on every run. ``add_invoice_history`` is also
tested the way the benchmark uses it: ten years of notices for one customer.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from stdnum.se import orgnr
from stdnum.se import personnummer as swedish_personnummer

from bodata.core.clock import FixedClock
from bodata.core.db import Base, Database, create_database_engine
from bodata.core.db.migrate import upgrade
from bodata.core.demo import DemoData
from bodata.core.security import SecretBox, token_digest
from bodata.portal import service
from bodata.portal.demo import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_SHARE_KEY,
    DEMO_STAFF_TOKEN,
    DEMO_USER,
    NEIGHBOUR_USER,
    add_invoice_history,
    personnummer,
    seed_demo,
)
from bodata.portal.models import (
    Case,
    CaseRow,
    CaseRowHistory,
    CaseRowTimePoint,
    Company,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    Document,
    Invoice,
    InvoiceDistribution,
    LaundrySlot,
    LedgerEntry,
    LedgerRow,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Node,
    NodeClass,
    Notification,
    Payment,
    StoredFile,
)
from bodata.portal.ocr import valid_bankgiro, valid_ocr

from ..databases import scratch_database_url

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
POLICY = service.LoginPolicy(session_minutes=30, max_failures=5, lockout_minutes=15)
TODAY = date(2026, 1, 1)


def _seed(database: Database) -> None:
    with database.transaction() as session:
        seed_demo(session, DemoData("portal", FixedClock(NOW), SecretBox("k"), "http://127.0.0.1:8000"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated database with the demo seeded once (module scope: seeding takes seconds)."""
    directory = tmp_path_factory.mktemp(f"demo-{request.param}")
    with scratch_database_url(request.param, directory, content="schema") as url:
        database = Database(create_database_engine(url))
        try:
            _seed(database)
            yield database
        finally:
            database.dispose()


@pytest.fixture
def session(demo: Database) -> Iterator[Session]:
    """A session on the demo that is rolled back afterwards (tests that write leave no trace)."""
    with demo.sessions() as session:
        try:
            yield session
        finally:
            session.rollback()


def _customer(session: Session, username: str) -> Customer:
    login = service.log_in(session, username=username, password=DEMO_PASSWORD, now=NOW, policy=POLICY)
    assert isinstance(login, service.NewSession)
    tenant = service.resolve_session(session, key=login.key, now=NOW, minutes=30)
    return session.get_one(Customer, tenant.customer_id)


# --- The object tree ------------------------------------------------------------------------------


def test_about_a_hundred_flats_each_with_rooms_and_components(session: Session) -> None:
    nodes = list(session.scalars(select(Node)))
    groups = {node_class.id: node_class.group_system_name for node_class in session.scalars(select(NodeClass))}
    children: dict[int, list[Node]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            children[node.parent_id].append(node)
    flats = [node for node in nodes if node.object_type == "Bostad"]
    assert len(flats) == 100
    for flat in flats:
        assert flat.usages == "Felanmälan"
        assert flat.nummer is not None
        assert flat.nummer.count("-") == 2
        assert (flat.gatuadress1, flat.postort, flat.land) != (None, None, None)
        assert len(flat.postnummer or "") == 5
        rooms = children[flat.id]
        assert {"Kök", "Badrum", "Vardagsrum", "Hall", "Sovrum 1"} <= {room.visningstext for room in rooms}
        assert all(groups[room.node_class_id] == "Rum" for room in rooms)
        for room in rooms:
            assert children[room.id], f"{flat.nummer} {room.visningstext} has no components"
            assert all(groups[part.node_class_id] == "Komponent" for part in children[room.id])
        kitchen = next(room for room in rooms if room.visningstext == "Kök")
        fridge = next(part for part in children[kitchen.id] if part.visningstext == "Kyl/Frys")
        assert [part.visningstext for part in children[fridge.id]] == ["Frys - Standard"]
    properties = [node for node in nodes if node.parent_id is None]
    assert len(properties) == 3
    laundries = [node for node in nodes if node.object_type == "Tvattstuga"]
    assert sorted(node.parent_id for node in laundries) == sorted(node.id for node in properties)
    assert all(node.usages == "Felanmälan" and children[node.id] for node in laundries)


def test_node_classes_of_every_group(session: Session) -> None:
    classes = {(c.group_system_name, c.system_name): c for c in session.scalars(select(NodeClass))}
    assert {group for group, _ in classes} == {"Objekt", "Rum", "Komponent", "AllmantArende"}
    disturbance = classes["AllmantArende", "Storning"]
    assert (disturbance.beteckning, disturbance.kod, disturbance.kortbeteckning) == ("Störning", "S", "Stör")
    assert disturbance.usage_system_name == "ExternWebbArende"
    loaded = session.scalars(select(NodeClass).where(NodeClass.group_system_name == "AllmantArende")).all()
    session.refresh(disturbance, ["time_point_types"])
    assert [point.system_name for point in disturbance.time_point_types] == ["Intraffat"]
    assert any(node_class.deleted for node_class in loaded)


# --- Customers ------------------------------------------------------------------------------------


def test_personnummer_are_valid_and_match_the_birth_date(session: Session) -> None:
    customers = list(session.scalars(select(Customer)))
    assert 100 <= len(customers) <= 130
    with_number = [customer for customer in customers if customer.personnummer is not None]
    without = [customer for customer in customers if customer.personnummer is None]
    assert with_number
    assert without
    for customer in with_number:
        assert len(customer.personnummer) == 12
        assert swedish_personnummer.is_valid(customer.personnummer), customer.personnummer
        assert customer.personnummer[:8] == f"{customer.fodelsedatum:%Y%m%d}"
    assert all(customer.fodelsedatum is not None for customer in without)
    assert len({customer.kundnummer for customer in customers}) == len(customers)


def test_personnummer_check_digit() -> None:
    assert personnummer(date(1981, 12, 28), 987) == "198112289874"
    assert swedish_personnummer.is_valid(personnummer(date(2001, 2, 3), 0))


def test_company_identifiers_are_valid(session: Session) -> None:
    company = session.scalars(select(Company)).one()
    assert orgnr.is_valid(company.organisationsnummer)
    assert valid_bankgiro(company.bankgiro)
    assert company.postort == "Västerås"


def test_market_profiles_have_every_part(session: Session) -> None:
    profiles = [p for p in session.scalars(select(Customer.market_profile)) if p is not None]
    assert len(profiles) >= 20
    parts = (
        "MarknadAktörInkomst",
        "MarknadAktörUtbildning",
        "MarknadAktörBoende",
        "MarknadAktörHushåll",
        "MarknadIntresse",
        "MarknadEkonomi",
    )
    for profile in profiles:
        assert set(profile) == {"Skapad", *parts}
        assert all(isinstance(profile[part], dict) for part in parts)
        assert profile["MarknadAktörInkomst"]["MarknadAktörInkomstTyp"]["MarknadAktörInkomstTypGrupp"]["SystemName"]
        assert set(profile["MarknadEkonomi"]) == {"Borgensman", "Deposition", "Kapital"}


def test_every_tenant_has_a_postal_address_and_contract(session: Session) -> None:
    customers = set(session.scalars(select(Customer.id)))
    posted = set(session.scalars(select(CustomerAddress.customer_id).where(CustomerAddress.kind == "kund.post")))
    contracted = set(session.scalars(select(Contract.customer_id)))
    assert customers == posted == contracted
    kinds = Counter(session.scalars(select(CustomerAddress.kind)))
    assert kinds["kund.besok"] > 0
    assert kinds["tillfallig"] >= 5
    active = session.scalar(
        select(func.count()).select_from(Contract).where(Contract.fom <= TODAY, Contract.tom.is_(None))
    )
    assert 90 <= active <= 100
    for contract in session.scalars(select(Contract)):
        assert contract.fom.day == 1
        assert contract.tom is None or (contract.tom + timedelta(days=1)).day == 1
        assert contract.monthly_rent > 3000


# --- Economy --------------------------------------------------------------------------------------


HISTORY = Invoice.rent_run_id.is_(None)
"""The demo's three years of notices; next month's, from the demo's rent run, are tested with the rent runs."""


def _ledger(session: Session) -> tuple[list[Invoice], dict[int, list[LedgerEntry]], dict[int, list[LedgerRow]]]:
    invoices = list(session.scalars(select(Invoice).where(HISTORY).order_by(Invoice.id)))
    entries: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)):
        entries[entry.invoice_id].append(entry)
    rows: dict[int, list[LedgerRow]] = defaultdict(list)
    for row in session.scalars(select(LedgerRow).order_by(LedgerRow.id)):
        rows[row.ledger_entry_id].append(row)
    return invoices, entries, rows


def test_every_ocr_reference_is_valid(session: Session) -> None:
    company = session.scalars(select(Company)).one()
    references = list(session.execute(select(Invoice.betalningsreferens, Invoice.mottagare_nummer)))
    assert len(references) > 3000
    for reference, recipient in references:
        assert valid_ocr(reference, length_digit=True), reference
        assert recipient == company.bankgiro
    assert len({reference for reference, _ in references}) == len(references)


def test_amounts_add_up_on_every_notice_entry_and_row(session: Session) -> None:
    invoices, entries, rows = _ledger(session)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for payment in session.scalars(select(Payment)):
        assert payment.belopp > 0
        paid[payment.invoice_id] += payment.belopp
    for invoice in invoices:
        assert invoice.bruttobelopp == invoice.nettobelopp + invoice.momsbelopp
        assert invoice.restbelopp == invoice.bruttobelopp - invoice.inbetalt_belopp
        assert invoice.att_betala == invoice.restbelopp
        assert invoice.inbetalt_belopp == paid[invoice.id]
        assert invoice.restbelopp >= 0
        [entry] = entries[invoice.id]
        assert (entry.nettobelopp, entry.momsbelopp, entry.bruttobelopp) == (
            invoice.nettobelopp,
            invoice.momsbelopp,
            invoice.bruttobelopp,
        )
        assert entry.forfallodag == invoice.forfallodag
        lines = rows[entry.id]
        assert lines
        assert sum(row.nettobelopp for row in lines) == entry.nettobelopp
        assert sum(row.momsbelopp for row in lines) == entry.momsbelopp
        for row in lines:
            assert row.bruttobelopp == row.nettobelopp + row.momsbelopp
            assert row.momsbelopp in (0, (row.nettobelopp * Decimal("0.25")).quantize(Decimal("0.01")))


def test_rent_notices_fall_due_before_their_period_and_are_mostly_paid(session: Session) -> None:
    invoices, entries, rows = _ledger(session)
    notices = [invoice for invoice in invoices if invoice.typ_referensnamn == "Avi"]
    assert all(invoice.typ_beteckning == "A" for invoice in notices)
    for invoice in notices:
        [entry] = entries[invoice.id]
        period = date.fromisoformat(entry.period + "-01")
        assert invoice.forfallodag == period - timedelta(days=1)
        assert entry.node_id is not None
        assert rows[entry.id][0].aviseringstext == "Grundhyra"
    customers = {invoice.customer_id for invoice in notices}
    assert len(customers) >= 95
    assert max(len([i for i in notices if i.customer_id == c]) for c in customers) == 36
    latest = max(invoice.forfallodag for invoice in notices)
    assert latest == date(2025, 12, 31)
    assert all(invoice.restbelopp == invoice.bruttobelopp for invoice in notices if invoice.forfallodag == latest)
    older = [invoice for invoice in notices if invoice.forfallodag < latest]
    settled = [invoice for invoice in older if invoice.restbelopp == 0]
    partly = [invoice for invoice in older if 0 < invoice.inbetalt_belopp < invoice.bruttobelopp]
    assert len(settled) > 0.95 * len(older)
    assert partly
    texts = Counter(row.aviseringstext for lines in rows.values() for row in lines)
    assert texts["Varmvatten"] > 1000
    assert texts["Parkering"] > 0
    assert texts["Förråd"] > 0
    assert any(row.momsbelopp > 0 for lines in rows.values() for row in lines if row.aviseringstext != "Grundhyra")
    collected = [entry for found in entries.values() for entry in found if entry.skickad_till_inkasso is not None]
    assert len(collected) == 1
    assert collected[0].skickad_till_inkasso <= TODAY


def test_notices_were_sent_by_email_or_letter_before_they_fell_due(session: Session) -> None:
    invoices = {invoice.id: invoice for invoice in session.scalars(select(Invoice).where(HISTORY))}
    names = dict(session.execute(select(Customer.id, Customer.fornamn)).all())
    emails = dict(
        session.execute(
            select(ContactDetail.customer_id, ContactDetail.value).where(ContactDetail.kind == "E-postadress")
        ).all()
    )
    kinds: Counter[str] = Counter()
    for sent in session.scalars(select(InvoiceDistribution)):
        invoice = invoices[sent.invoice_id]
        kinds[sent.typ] += 1
        lead = 14 if invoice.typ_referensnamn == "Avi" else 30
        assert sent.distribuerad.date() == invoice.forfallodag - timedelta(days=lead)
        if sent.typ == "epost":
            assert sent.adress == emails[invoice.customer_id]
        else:
            assert sent.typ == "brev.direkt"
            assert sent.adress.startswith(names[invoice.customer_id])
            assert re.search(r" \d{3} \d{2} \S+$", sent.adress), sent.adress
    assert len(invoices) == sum(kinds.values())
    assert kinds["epost"] > 0
    assert kinds["brev.direkt"] > 0


def test_hot_water_specifications_match_the_meter_readings(session: Session) -> None:
    readings = {
        (beteckning, reading.datum): reading
        for reading, beteckning in session.execute(
            select(MeterReading, Meter.beteckning).join(Meter, MeterReading.meter_id == Meter.id)
        )
    }
    specified = list(session.scalars(select(LedgerRow).where(LedgerRow.has_specification)))
    assert len(specified) > 1000
    for row in specified:
        assert row.spec_varde_tom - row.spec_varde_fom == row.spec_mangd
        assert abs(row.spec_mangd * row.spec_apris - row.nettobelopp) <= Decimal("0.005")
        last_day = calendar.monthrange(row.spec_avser_fom.year, row.spec_avser_fom.month)[1]
        assert (row.spec_avser_fom.day, row.spec_avser_tom) == (1, row.spec_avser_fom.replace(day=last_day))
        reading = readings[row.spec_kalla_identitet, row.spec_avser_fom]
        assert reading.debiterad
        assert (reading.forbrukning, reading.matarstallning, reading.kostnad) == (
            row.spec_mangd,
            row.spec_varde_tom,
            row.nettobelopp,
        )


def test_meter_readings_keep_rising(session: Session) -> None:
    installations = Counter(session.scalars(select(MeterInstallation.anvandning)))
    assert installations == {"Vatten": 100, "El": 100}
    series: dict[int, list[MeterReading]] = defaultdict(list)
    for reading in session.scalars(select(MeterReading).order_by(MeterReading.meter_id, MeterReading.datum)):
        series[reading.meter_id].append(reading)
    uses = Counter(session.scalars(select(Meter.anvandning).where(Meter.id.in_(series))))
    assert set(uses) == {"Kallvatten", "Varmvatten", "Hushållsel"}
    for readings in series.values():
        for before, after in pairwise(readings):
            assert after.matarstallning - after.forbrukning == before.matarstallning
            assert after.datum > before.datum
        assert all(reading.avlast_tid.date() <= TODAY for reading in readings)


def test_add_invoice_history_makes_ten_years_for_the_benchmark(session: Session) -> None:
    company = session.scalars(select(Company)).one()
    flat = session.scalars(select(Node).where(Node.nummer == "302-074-03")).one()
    customer = Customer(kundnummer="99999", fornamn="Bo", efternamn="Bench", created_at=NOW)
    session.add(customer)
    session.flush()
    contract = Contract(
        avtalsnummer="bench-1", customer_id=customer.id, node_id=flat.id, fom=date(2016, 2, 1), monthly_rent=8123
    )
    session.add(contract)
    session.flush()
    count = add_invoice_history(
        session,
        customer_id=customer.id,
        contract_id=contract.id,
        node_id=flat.id,
        company=company,
        months=120,
        last_due=date(2025, 12, 31),
        random=random.Random(7),
    )
    assert count == 120
    invoices = list(
        session.scalars(select(Invoice).where(Invoice.customer_id == customer.id).order_by(Invoice.forfallodag))
    )
    assert len(invoices) == 120
    assert invoices[0].forfallodag == date(2016, 1, 31)
    assert invoices[-1].forfallodag == date(2025, 12, 31)
    assert invoices[-1].restbelopp == invoices[-1].bruttobelopp
    assert all(invoice.inbetalt_belopp > 0 for invoice in invoices[:-1])
    ids = [invoice.id for invoice in invoices]
    entries = {e.invoice_id: e for e in session.scalars(select(LedgerEntry).where(LedgerEntry.invoice_id.in_(ids)))}
    assert [entries[invoice.id].period for invoice in invoices][:2] == ["2016-02", "2016-03"]
    rents = [
        row.nettobelopp
        for row in session.scalars(
            select(LedgerRow)
            .join(LedgerEntry, LedgerRow.ledger_entry_id == LedgerEntry.id)
            .where(LedgerEntry.invoice_id.in_(entries), LedgerRow.aviseringstext == "Grundhyra")
            .order_by(LedgerEntry.forfallodag)
        )
    ]
    assert rents[-1] == 8123
    assert rents == sorted(rents)
    assert rents[0] < rents[-1] * Decimal("0.85")
    assert all(valid_ocr(invoice.betalningsreferens, length_digit=True) for invoice in invoices)
    assert len({invoice.avinummer for invoice in session.scalars(select(Invoice))}) == session.scalar(
        select(func.count()).select_from(Invoice)
    )


# --- The demo tenant ------------------------------------------------------------------------------


def test_demo_logins_api_key_and_staff_token(session: Session) -> None:
    demo = _customer(session, DEMO_USER)
    neighbour = _customer(session, NEIGHBOUR_USER)
    assert (demo.fornamn, demo.efternamn, demo.kundnummer) == ("Kalle", "Andersson", "15555")
    assert neighbour.id != demo.id
    assert service.api_key_valid(session, DEMO_API_KEY)
    assert service.staff_token_valid(session, DEMO_STAFF_TOKEN)
    refusal = service.log_in(session, username=DEMO_USER, password="fel", now=NOW, policy=POLICY)
    assert isinstance(refusal, service.ApiError)
    assert refusal.status == 401


def test_demo_tenant_has_a_rich_history(session: Session) -> None:
    demo = _customer(session, DEMO_USER)
    [contract] = session.scalars(select(Contract).where(Contract.customer_id == demo.id))
    assert contract.fom == date(2023, 1, 1)
    assert contract.tom is None
    kinds = {
        detail.kind for detail in session.scalars(select(ContactDetail).where(ContactDetail.customer_id == demo.id))
    }
    assert kinds == {"E-postadress", "Telefon hem", "Mobilnummer"}
    temporary = list(
        session.scalars(
            select(CustomerAddress).where(CustomerAddress.customer_id == demo.id, CustomerAddress.kind == "tillfallig")
        )
    )
    assert sorted(("ended" if a.tom < TODAY else "future" if a.fom > TODAY else "current") for a in temporary) == [
        "current",
        "ended",
        "future",
    ]
    assert demo.market_profile is not None
    documents = list(session.scalars(select(Document).where(Document.customer_id == demo.id)))
    assert any(document.file_id is None and document.webbadress for document in documents)
    stored = [session.get_one(StoredFile, document.file_id) for document in documents if document.file_id]
    assert stored
    assert all(file.data.startswith(b"%PDF-") and file.size == len(file.data) for file in stored)
    assert all(file.sha256 == hashlib.sha256(file.data).hexdigest() for file in stored)
    notifications = list(session.scalars(select(Notification).where(Notification.customer_id == demo.id)))
    assert len(notifications) >= 3
    for notification in notifications:
        session.refresh(notification, ["channels", "attachments"])
    assert any(channel.overgiven_utc is not None for n in notifications for channel in n.channels)
    attached = [session.get_one(StoredFile, a.file_id) for n in notifications for a in n.attachments]
    assert {file.mime_type for file in attached} == {"image/jpeg", "application/pdf"}
    assert all(file.data[:3] == b"\xff\xd8\xff" for file in attached if file.mime_type == "image/jpeg")
    invoices = list(session.scalars(select(Invoice).where(Invoice.customer_id == demo.id, HISTORY)))
    assert Counter(invoice.typ_referensnamn for invoice in invoices) == {"Avi": 36, "Faktura": 2}
    assert any(invoice.restbelopp > 0 for invoice in invoices if invoice.typ_referensnamn == "Faktura")


def test_demo_tenant_cases(session: Session) -> None:
    demo = _customer(session, DEMO_USER)
    cases = list(
        session.scalars(
            select(Case).where((Case.customer_id == demo.id) | (Case.incoming_customer_id == demo.id)).order_by(Case.id)
        )
    )
    faults = [case for case in cases if case.typ == "Order" and not case.borttagen]
    assert any(case.avslutat is None for case in faults)
    assert any(case.avslutat is not None for case in faults)
    assert any(case.borttagen for case in cases)
    [inspection] = [case for case in cases if case.typ == "Besiktning"]
    assert inspection.incoming_customer_id == demo.id
    assert inspection.customer_id != demo.id
    inspection_rows = session.scalars(select(CaseRow).where(CaseRow.case_id == inspection.id)).all()
    assert all(row.inspection_remark and row.atgard_typ_beteckning for row in inspection_rows)
    assert sum(row.charged_outgoing for row in inspection_rows) > 0
    [offer] = [case for case in cases if case.typ == "Underhåll"]
    assert offer.typ_referensnamn == "Underhall"
    assert offer.erbjudande_svar_senast > TODAY
    disturbance = next(case for case in cases if case.general and case.typ_referensnamn == "Storning")
    storning = session.scalars(select(NodeClass).where(NodeClass.system_name == "Storning")).one()
    assert disturbance.node_class_id == storning.id
    shared = session.scalars(select(Case).where(Case.share_key_digest == token_digest(DEMO_SHARE_KEY))).one()
    assert shared.customer_id == demo.id
    session.refresh(shared, ["rows", "participants"])
    assert shared.participants
    row = shared.rows[0]
    session.refresh(row, ["history", "time_points", "media"])
    assert row.history
    assert row.time_points
    [media] = row.media
    image = session.get_one(StoredFile, media.file_id)
    assert image.mime_type == "image/jpeg"
    assert image.data.startswith(b"\xff\xd8\xff")
    assert len({case.nummer for case in session.scalars(select(Case))}) == session.scalar(
        select(func.count()).select_from(Case)
    )


def test_case_row_paths_walk_down_from_the_case_object(session: Session) -> None:
    parents = dict(session.execute(select(Node.id, Node.parent_id)).all())
    cases = {case.id: case for case in session.scalars(select(Case))}
    for row in session.scalars(select(CaseRow)):
        steps = [int(step.removeprefix("n")) for step in row.node_path.split("-")]
        assert steps[0] == cases[row.case_id].node_id
        for parent, child in pairwise(steps):
            assert parents[child] == parent


def test_nothing_has_happened_after_now(session: Session) -> None:
    local_now = NOW.astimezone(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)
    assert session.scalar(select(func.max(Case.inkommen))) <= local_now
    assert session.scalar(select(func.max(CaseRowHistory.tidpunkt))) <= local_now
    assert session.scalar(select(func.max(CaseRowTimePoint.varde))) <= local_now
    assert session.scalar(select(func.max(Payment.betalningsdag))) <= TODAY
    assert session.scalar(select(func.max(InvoiceDistribution.distribuerad))) <= local_now
    assert session.scalar(select(func.max(MaintenanceItem.utford))) <= TODAY
    closed = session.scalars(select(Case).where(Case.avslutat.is_not(None))).all()
    assert all(case.inkommen <= case.avslutat <= local_now for case in closed)


# --- Laundry --------------------------------------------------------------------------------------


def test_laundry_slots_every_day_without_duplicates(session: Session) -> None:
    slots = list(session.scalars(select(LaundrySlot)))
    laundries = set(session.scalars(select(Node.id).where(Node.object_type == "Tvattstuga")))
    assert {slot.node_id for slot in slots} == laundries
    assert len(slots) == 3 * 29 * 5
    assert len({(slot.node_id, slot.start) for slot in slots}) == len(slots)
    assert {(slot.start.hour, slot.end.hour) for slot in slots} == {(7, 10), (10, 13), (13, 16), (16, 19), (19, 22)}
    assert min(slot.start.date() for slot in slots) == TODAY - timedelta(days=7)
    assert max(slot.start.date() for slot in slots) == TODAY + timedelta(days=21)
    booked = [slot for slot in slots if slot.customer_id is not None]
    assert 0 < len(booked) < len(slots)
    assert all(slot.booked_at is not None and slot.booked_at <= NOW for slot in booked)
    local_now = NOW.astimezone(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)
    coming = Counter(slot.customer_id for slot in booked if slot.start >= local_now)
    assert max(coming.values()) <= 2
    demo = _customer(session, DEMO_USER)
    assert coming[demo.id] == 1


# --- Completeness and determinism -----------------------------------------------------------------


def _portal_tables() -> list[Table]:
    return [table for name, table in sorted(Base.metadata.tables.items()) if name.startswith("pm_")]


def test_every_table_has_rows(session: Session) -> None:
    empty = [
        table.name
        for table in _portal_tables()
        if table.name not in ("pm_session", "pm_staff_web_session")  # logged-in sessions are no demo data
        and not session.scalar(select(func.count()).select_from(table))
    ]
    assert empty == []


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:.3f}"
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def _digest(database: Database) -> str:
    """A digest of every portal table but the logins and staff accounts (their password hashes are salted)."""
    digest = hashlib.sha256()
    with database.engine.connect() as connection:
        for table in _portal_tables():
            if table.name in ("pm_login", "pm_staff_user"):
                continue
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr((table.name, *map(_plain, row))).encode())
    return digest.hexdigest()


def test_seeding_is_deterministic(demo: Database, tmp_path: Path) -> None:
    other = Database(create_database_engine(f"sqlite:///{tmp_path / 'again.db'}"))
    try:
        upgrade(other.engine)
        _seed(other)
        assert _digest(other) == _digest(demo)
    finally:
        other.dispose()
