"""A small property-management world for portal tests, built straight into the database.

One housing company with one property ("Skäret 4"): a building with two flats, each with a kitchen (fridge/freezer
with a standard freezer below it, a stove) and a bathroom (towel warmer); a laundry room with slots; two tenants
(Anna in flat 1, Bertil in flat 2) with logins ``anna``/``hemligt`` and ``bertil``/``hemligt``; the API key
``test-api-key``. ``make_world`` returns the ids tests need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bodata.core.security import token_digest
from bodata.portal import service
from bodata.portal.bgmax import FilePayment, write_file
from bodata.portal.models import (
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    Company,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    FaultDescriptionType,
    Invoice,
    KeyHandlingType,
    LaundrySlot,
    LedgerEntry,
    LedgerRow,
    Node,
    NodeClass,
    Payment,
)

API_KEY = "test-api-key"
PASSWORD = "hemligt"
SHARE_KEY = "anna-delar-sitt-arende"


@dataclass
class World:
    """The ids of what ``make_world`` built."""

    company: int
    property: int
    building: int
    flat1: int
    flat2: int
    kitchen1: int
    fridge1: int
    freezer1: int
    stove1: int
    bathroom1: int
    kitchen2: int
    laundry: int
    anna: int
    bertil: int
    anna_contract: int
    bertil_contract: int
    anna_invoice: int
    bertil_invoice: int
    anna_case: int
    bertil_case: int
    freezer_fault: int
    leaks: int
    at_home: int
    slots: list[int]


def _node(session: Session, parent: Node | None, node_class: NodeClass, text: str, **fields: object) -> Node:
    node = Node(parent_id=parent.id if parent else None, node_class_id=node_class.id, visningstext=text, **fields)
    session.add(node)
    session.flush()
    return node


def _classes(session: Session) -> dict[str, NodeClass]:
    specs = [
        ("Objekt", "Fastighet", "Fastighet"),
        ("Objekt", "Byggnad", "Byggnad"),
        ("Objekt", "Lagenhet", "Lägenhet"),
        ("Objekt", "Tvattstuga", "Tvättstuga"),
        ("Rum", "Kok", "Kök"),
        ("Rum", "Badrum", "Badrum"),
        ("Komponent", "KylFrys", "Kyl/Frys"),
        ("Komponent", "Frys", "Frys - Standard"),
        ("Komponent", "Spis", "Spis"),
        ("Komponent", "Handdukstork", "Handdukstork"),
        ("AllmantArende", "Storning", "Störning"),
        ("AllmantArende", "Onskemal", "Önskemål"),
    ]
    classes = {}
    for group, system_name, label in specs:
        general = group == "AllmantArende"
        classes[system_name] = NodeClass(
            group_system_name=group,
            system_name=system_name,
            beteckning=label,
            kod=label[0],
            kortbeteckning=label[:4],
            usage_system_name="ExternWebbArende" if general else None,
        )
    session.add_all(classes.values())
    session.flush()
    return classes


def _customer(session: Session, number: str, first: str, last: str, pnr: str, email: str, now: datetime) -> Customer:
    customer = Customer(kundnummer=number, fornamn=first, efternamn=last, personnummer=pnr, created_at=now)
    session.add(customer)
    session.flush()
    session.add_all(
        [
            ContactDetail(customer_id=customer.id, kind="E-postadress", value=email, validated=True),
            ContactDetail(customer_id=customer.id, kind="Mobilnummer", value="070-1234567", validated=False),
            CustomerAddress(
                customer_id=customer.id,
                kind="kund.post",
                namn=f"{first} {last}",
                gatuadress1="Skärgatan 4",
                postnummer="72131",
                postort="Västerås",
                land="SE",
            ),
        ]
    )
    service.add_login(session, customer_id=customer.id, username=first.lower(), password=PASSWORD, now=now)
    return customer


def _invoice(session: Session, customer: Customer, contract: Contract, number: str, due: date, now: datetime) -> int:
    invoice = Invoice(
        customer_id=customer.id,
        contract_id=contract.id,
        avinummer=number,
        typ_referensnamn="Avi",
        typ_beteckning="A",
        betalningsreferens="1234567897",
        mottagare_nummer="5050-1055",
        forfallodag=due,
        nettobelopp=Decimal("7900"),
        momsbelopp=Decimal("0"),
        bruttobelopp=Decimal("7900"),
        inbetalt_belopp=Decimal("6000"),
        restbelopp=Decimal("1900"),
        att_betala=Decimal("1900"),
        created_at=now,
    )
    session.add(invoice)
    session.flush()
    entry = LedgerEntry(
        invoice_id=invoice.id,
        node_id=contract.node_id,
        period=(due + timedelta(days=1)).strftime("%Y-%m"),
        forfallodag=due,
        nettobelopp=Decimal("7900"),
        momsbelopp=Decimal("0"),
        bruttobelopp=Decimal("7900"),
    )
    session.add(entry)
    session.flush()
    session.add_all(
        [
            LedgerRow(
                ledger_entry_id=entry.id,
                aviseringstext="Grundhyra",
                nettobelopp=Decimal("7847"),
                momsbelopp=Decimal("0"),
                bruttobelopp=Decimal("7847"),
            ),
            LedgerRow(
                ledger_entry_id=entry.id,
                aviseringstext="Varmvatten",
                nettobelopp=Decimal("53"),
                momsbelopp=Decimal("0"),
                bruttobelopp=Decimal("53"),
                has_specification=True,
                spec_avser_fom=date(2026, 9, 1),
                spec_avser_tom=date(2026, 9, 30),
                spec_kalla_beteckning="Kök",
                spec_kalla_identitet="432105",
                spec_varde_fom=Decimal("13.432"),
                spec_varde_tom=Decimal("14.532"),
                spec_mangd=Decimal("1.100"),
                spec_mangdenhet="m3",
                spec_apris=Decimal("48"),
            ),
            Payment(
                invoice_id=invoice.id,
                betalvag="Manuell inbetalning via bankgiro",
                belopp=Decimal("6000"),
                betalningsdag=due - timedelta(days=3),
                bokforingsdag=due - timedelta(days=2),
            ),
        ]
    )
    return invoice.id


def _fault_case(session: Session, customer: Customer, nodes: list[Node], number: str, now: datetime) -> Case:
    case = Case(
        nummer=number,
        typ="Order",
        typ_referensnamn="Order",
        customer_id=customer.id,
        node_id=nodes[0].id,
        inkommen=datetime(2026, 11, 1, 9, 30),
    )
    session.add(case)
    session.flush()
    row = CaseRow(case_id=case.id, node_path="-".join(f"n{node.id}" for node in nodes), beskrivning="Frysen är varm")
    session.add(row)
    session.flush()
    session.add_all(
        [
            CaseRowHistory(
                case_row_id=row.id, beteckning="Hos handläggare", tidpunkt=case.inkommen, anvandare="Kalle Svensson"
            ),
            CaseParticipant(case_id=case.id, visningsnamn="Kalle Svensson", telefon="021-123456"),
        ]
    )
    return case


def make_world(session: Session, now: datetime) -> World:
    """Build the world and return its ids (the caller's transaction commits it)."""
    session.add(
        Company(
            namn="Bostads AB Mälarporten",
            organisationsnummer="556677-8899",
            gatuadress="Stora Gatan 1",
            postnummer="72212",
            postort="Västerås",
            bankgiro="5050-1055",
        )
    )
    classes = _classes(session)
    address = {"gatuadress1": "Skärgatan 4", "postnummer": "72131", "postort": "Västerås", "land": "SE"}
    prop = _node(session, None, classes["Fastighet"], "Västerås Skäret 4", nummer="142", **address)
    building = _node(session, prop, classes["Byggnad"], "Hus A", nummer="142-043", **address)
    flat_fields = {"object_type": "Bostad", "usages": "Felanmälan", **address}
    flat1 = _node(session, building, classes["Lagenhet"], "Lägenhet", nummer="142-043-01", **flat_fields)
    flat2 = _node(session, building, classes["Lagenhet"], "Lägenhet", nummer="142-043-02", **flat_fields)
    kitchen1 = _node(session, flat1, classes["Kok"], "Kök")
    fridge1 = _node(session, kitchen1, classes["KylFrys"], "Kyl/Frys")
    freezer1 = _node(session, fridge1, classes["Frys"], "Frys - Standard")
    stove1 = _node(session, kitchen1, classes["Spis"], "Spis")
    bathroom1 = _node(session, flat1, classes["Badrum"], "Badrum")
    _node(session, bathroom1, classes["Handdukstork"], "Handdukstork")
    kitchen2 = _node(session, flat2, classes["Kok"], "Kök")
    _node(session, kitchen2, classes["Spis"], "Spis")
    laundry = _node(
        session,
        prop,
        classes["Tvattstuga"],
        "Tvättstuga",
        nummer="142-900-01",
        object_type="Tvattstuga",
        usages="Felanmälan",
        **address,
    )

    leaks = FaultDescriptionType(beteckning="Läcker")
    warm = FaultDescriptionType(beteckning="Blir inte kall", node_class_id=classes["Frys"].id)
    at_home = KeyHandlingType(beteckning="Är hemma")
    session.add_all([leaks, warm, at_home, KeyHandlingType(beteckning="Lämnas på kontoret")])

    anna = _customer(session, "15555", "Anna", "Andersson", "198112189876", "anna@example.se", now)
    bertil = _customer(session, "15556", "Bertil", "Berg", "197005051234", "bertil@example.se", now)
    anna_contract = Contract(avtalsnummer="A-1", customer_id=anna.id, node_id=flat1.id, fom=date(2020, 1, 1))
    bertil_contract = Contract(avtalsnummer="A-2", customer_id=bertil.id, node_id=flat2.id, fom=date(2021, 4, 1))
    session.add_all([anna_contract, bertil_contract])
    session.flush()

    anna_invoice = _invoice(session, anna, anna_contract, "9213210", date(2026, 10, 31), now)
    bertil_invoice = _invoice(session, bertil, bertil_contract, "9213211", date(2026, 10, 31), now)
    anna_case = _fault_case(session, anna, [flat1, kitchen1, fridge1, freezer1], "R-2611-1000", now)
    anna_case.share_key_digest = token_digest(SHARE_KEY)
    bertil_case = _fault_case(session, bertil, [flat2, kitchen2], "R-2611-1001", now)

    slots = []
    first_day = now.date() + timedelta(days=1)
    for day_offset in range(3):
        for hour in (7, 10, 13):
            start = datetime.combine(first_day + timedelta(days=day_offset), datetime.min.time()).replace(hour=hour)
            slot = LaundrySlot(node_id=laundry.id, start=start, end=start + timedelta(hours=3))
            session.add(slot)
            session.flush()
            slots.append(slot.id)

    service.add_api_key(session, name="test", now=now, value=API_KEY)
    session.flush()
    return World(
        company=1,
        property=prop.id,
        building=building.id,
        flat1=flat1.id,
        flat2=flat2.id,
        kitchen1=kitchen1.id,
        fridge1=fridge1.id,
        freezer1=freezer1.id,
        stove1=stove1.id,
        bathroom1=bathroom1.id,
        kitchen2=kitchen2.id,
        laundry=laundry.id,
        anna=anna.id,
        bertil=bertil.id,
        anna_contract=anna_contract.id,
        bertil_contract=bertil_contract.id,
        anna_invoice=anna_invoice,
        bertil_invoice=bertil_invoice,
        anna_case=anna_case.id,
        bertil_case=bertil_case.id,
        freezer_fault=warm.id,
        leaks=leaks.id,
        at_home=at_home.id,
        slots=slots,
    )


# --- BgMax files (Bankgiro Inbetalningar) ---------------------------------------------------------------------------

BankIn = FilePayment


def bgmax_file(payments: list[FilePayment], *, bankgiro: str = "50501055", day: date = date(2026, 11, 23)) -> bytes:
    """A BgMax file of one deposit to the world's bankgiro on ``day``."""
    return write_file(payments, bankgiro=bankgiro, day=day)
