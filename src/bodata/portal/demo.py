"""Demo data for the tenant portal: a housing company in Västerås with three properties and a hundred flats.

Bostads AB Mälarporten lets flats in Västerås Skäret 4, Blåklockan 7 and Rektorn 2 (student flats). Every flat has
rooms and components to report faults on, meters and planned maintenance; most have a tenant with contact details,
addresses, a contract, documents, messages and three years of monthly rent notices with payments (earlier tenants
moved out, a few flats stand empty). Each property has a laundry room with bookable times. The demo tenant
``demo``/``demo`` (Kalle Andersson in 142-043-07) has a rich history: open and closed fault reports, a maintenance
offer to answer, the inspection from when they moved in, a disturbance report, a case shared with
``DEMO_SHARE_KEY`` and two invoices; ``granne``/``demo`` lives upstairs. Everything comes from the seeded random
sources of :class:`DemoData` and the clock, so every run gives the same data. ``add_invoice_history`` also makes the
long invoice histories of the benchmark.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from random import Random
from typing import Any

from faker import Faker
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, selectinload
from stdnum import luhn

from bodata.core.demo import DemoData
from bodata.core.security import token_digest
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal import service
from bodata.portal.backoffice import Amounts, allocated, balance, total
from bodata.portal.models import (
    Actor,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    Company,
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    Document,
    FaultDescriptionType,
    FileType,
    Invoice,
    InvoiceDistribution,
    KeyHandlingType,
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
    NotificationAttachment,
    NotificationChannel,
    OutboxMessage,
    Payment,
    StoredFile,
    TimePointType,
)
from bodata.portal.ocr import ocr_reference
from bodata.portal.shapes import node_ref

DEMO_USER, DEMO_PASSWORD = "demo", "demo"
NEIGHBOUR_USER = "granne"
DEMO_API_KEY = "demo-api-key"
DEMO_STAFF_TOKEN = "demo-staff-token"
DEMO_SHARE_KEY = "demo-delningsnyckel"
VALIDATION_KEY = "demo-valideringsnyckel"
"""The key of the one pending e-mail validation (a tenant's outbox message carries it)."""
DEMO_FLAT, NEIGHBOUR_FLAT = "142-043-07", "142-043-10"

ZERO, CENT, KRONA, LITRE = Decimal(0), Decimal("0.01"), Decimal(1), Decimal("0.001")
VAT_RATE = Decimal("0.25")
HISTORY_MONTHS = 36
NOTICE_LEAD_DAYS = 14
"""Rent notices go out two weeks before they fall due."""
INVOICE_DAYS = 30
RECENT_MONTHS = 4
"""A partly paid notice among a history's last four is still partly open; older ones were settled later."""
COLLECTION_DAYS = 45
"""An unpaid notice goes to debt collection this many days after its due date."""
FIRST_NOTICE_NUMBER = 9213210
RENT_NOTICE, INVOICE = ("Avi", "A"), ("Faktura", "F")
AUTOGIRO, BANKGIRO, MANUAL = "Autogiro", "Inbetalning via bankgiro", "Manuell inbetalning via bankgiro"
RENT_INCREASES = {
    **{2017: "0.9", 2018: "1.3", 2019: "1.9", 2020: "1.7", 2021: "1.4"},
    **{2022: "1.9", 2023: "4.0", 2024: "5.0", 2025: "3.5", 2026: "3.0"},
}
"""The yearly rent increase in per cent from 1 January (Västerås negotiations); 2 % for years not listed."""
PRICE_YEAR = 2026
"""The year the prices of hot water and of the extra rows are given for (other years follow the increases)."""
HOT_WATER, HOT_WATER_PRICE = "Varmvatten", Decimal("58.40")
"""The metered hot water on the notices, and its price per m³."""
EXTRAS = (("Parkering", Decimal(450), ZERO, 0.3), ("Förråd", Decimal(150), ZERO, 0.15))
EV_CHARGING = ("Laddplats elbil", Decimal(320), VAT_RATE, 0.2)
"""Extra rows on the notices: text, monthly net amount, VAT rate, share of customers (charging: of those who park).
Parking and storage let with the flat carry no VAT; electricity for charging does."""

COMPANY = {
    "namn": "Bostads AB Mälarporten",
    "organisationsnummer": "556743-2181",
    "gatuadress": "Kopparbergsvägen 22",
    "postnummer": "72213",
    "postort": "Västerås",
    "telefon": "021-39 40 00",
    "epost": "kundservice@malarporten.se",
    "webbadress": "https://www.malarporten.se",
    "bankgiro": "5402-9681",
}

# --- Catalogue ------------------------------------------------------------------------------------

NODE_CLASSES = {
    "Objekt": (
        ("Fastighet", "Fastighet", "F", "Fast"),
        ("Byggnad", "Byggnad", "B", "Bygg"),
        ("Lagenhet", "Lägenhet", "L", "Lgh"),
        ("Studentbostad", "Studentbostad", "SB", "Stud"),
        ("Tvattstuga", "Tvättstuga", "TS", "Tvätt"),
    ),
    "Rum": (
        ("Kok", "Kök", "KO", "Kök"),
        ("Badrum", "Badrum", "BR", "Bad"),
        ("Vardagsrum", "Vardagsrum", "VR", "Vard"),
        ("Sovrum", "Sovrum", "SR", "Sov"),
        ("Hall", "Hall", "HA", "Hall"),
        ("Balkong", "Balkong", "BA", "Balk"),
    ),
    "Komponent": (
        ("KylFrys", "Kyl/Frys", "KF", "Kyl"),
        ("FrysStandard", "Frys - Standard", "FS", "Frys"),
        ("Spis", "Spis", "SP", "Spis"),
        ("Diskmaskin", "Diskmaskin", "DM", "Disk"),
        ("Tvattmaskin", "Tvättmaskin", "TM", "Tvätt"),
        ("Torktumlare", "Torktumlare", "TT", "Tork"),
        ("Torkskap", "Torkskåp", "TK", "Torksk"),
        ("Handdukstork", "Handdukstork", "HT", "Hand"),
        ("Blandare", "Blandare", "BL", "Bland"),
        ("Golvbrunn", "Golvbrunn", "GB", "Golvb"),
        ("Toalett", "Toalett", "WC", "WC"),
        ("Fonster", "Fönster", "FO", "Fönst"),
        ("Dorr", "Dörr", "DO", "Dörr"),
        ("Element", "Element", "EL", "Elem"),
        ("Ventilation", "Ventilation", "VE", "Vent"),
    ),
}
"""Node classes per group: system name, name, code, short name."""
COMPONENT_PARTS = {"KylFrys": ("FrysStandard",)}
"""Components with parts of their own: the fridge/freezer's freezer compartment."""
TIME_POINT_TYPES = (
    ("Intraffat", "Inträffat", False),
    ("Upptackt", "Upptäckt", False),
    ("OnskatDatum", "Önskat datum", False),
    ("Anmalt", "Anmält", True),
)
"""Time point types (system name, name, deleted)."""
GENERAL_CASE_CLASSES = (
    ("Storning", "Störning", "S", "Stör", "ExternWebbArende", ("Intraffat",), False),
    ("Onskemal", "Önskemål", "Ö", "Önsk", "ExternWebbArende", ("OnskatDatum",), False),
    ("Skadegorelse", "Skadegörelse", "SG", "Skad", "ExternWebbArende", ("Intraffat", "Upptackt", "Anmalt"), False),
    ("Grannmedling", "Grannmedling", "GM", "Granne", "InterntArende", (), False),
    ("Klagomal", "Klagomål", "K", "Klag", "ExternWebbArende", ("Intraffat",), True),
)
"""General-case classes (AllmantArende): system name, name, code, short name, usage, time points, deleted."""
GLOBAL_FAULTS = ("Droppar", "Rinner", "Läcker", "Trasig", "Fungerar inte", "Luktar")
CLASS_FAULTS = {
    "KylFrys": ("Kyler inte", "Låter mycket"),
    "FrysStandard": ("Fryser inte", "Is i frysfacket"),
    "Spis": ("Plattan blir inte varm", "Ugnen blir inte varm"),
    "Diskmaskin": ("Tömmer inte ut vattnet", "Diskar inte rent"),
    "Tvattmaskin": ("Startar inte", "Centrifugerar inte"),
    "Element": ("Blir inte varmt", "Porlar"),
    "Fonster": ("Drar kallt", "Går inte att stänga"),
    "Dorr": ("Låset kärvar", "Går inte att låsa"),
    "Golvbrunn": ("Stopp i avloppet",),
    "Ventilation": ("Drar dåligt", "Låter"),
}
KEY_HANDLING = ("Är hemma", "Lämnas på kontoret", "Huvudnyckel får användas")
FILE_TYPES = (
    ("Hyresavtal", 10),
    ("Trivselregler", 20),
    ("Tvättstuga", 30),
    ("Bruksanvisning", 40),
    ("Planlösning", 50),
)

# --- Estate ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _BuildingPlan:
    number: str
    street: str
    flats: int
    per_floor: int


@dataclass(frozen=True)
class _PropertyPlan:
    designation: str
    number: str
    postcode: str
    student: bool
    buildings: tuple[_BuildingPlan, ...]


PROPERTIES = (
    _PropertyPlan(
        "Västerås Skäret 4",
        "142",
        "72341",
        False,
        (_BuildingPlan("043", "Skärgatan 12", 18, 3), _BuildingPlan("044", "Skärgatan 14", 18, 3)),
    ),
    _PropertyPlan("Västerås Blåklockan 7", "302", "72466", False, (_BuildingPlan("074", "Blåklocksvägen 3", 30, 6),)),
    _PropertyPlan(
        "Västerås Rektorn 2",
        "705",
        "72218",
        True,
        (_BuildingPlan("079", "Kandidatgatan 5", 17, 5), _BuildingPlan("080", "Kandidatgatan 7", 17, 5)),
    ),
)
LAUNDRY_EQUIPMENT = (
    ("Tvattmaskin", "Tvättmaskin 1"),
    ("Tvattmaskin", "Tvättmaskin 2"),
    ("Torktumlare", "Torktumlare"),
    ("Torkskap", "Torkskåp"),
)
LAUNDRY_HOURS = ((7, 10), (10, 13), (13, 16), (16, 19), (19, 22))
LAUNDRY_DAYS = range(-7, 22)
"""Laundry times from a week ago to three weeks ahead."""


@dataclass(frozen=True)
class _Catalogue:
    """The types the tree and the cases refer to, by system name (fault descriptions by class and name)."""

    classes: dict[str, NodeClass]
    time_points: dict[str, TimePointType]
    faults: dict[tuple[str | None, str], FaultDescriptionType]
    key_handling: dict[str, KeyHandlingType]
    file_types: dict[str, FileType]


@dataclass(frozen=True)
class _Place:
    """A room or component of a flat: the nodes from the room down, and the class of the last one."""

    nodes: tuple[Node, ...]
    kind: str


@dataclass(eq=False)
class _Flat:
    """A flat as planned: its node, size, rent (of the latest notice period), equipment and places by label."""

    node: Node
    student: bool
    bedrooms: int
    area: int
    rent: Decimal
    washer: bool
    hot_water_meter: bool
    places: dict[str, _Place] = field(default_factory=dict)

    def path(self, place: str | None = None) -> str:
        """The node path of the flat or of one of its places: ``n245612-n512431-n188452``."""
        nodes = (self.node, *self.places[place].nodes) if place else (self.node,)
        return "-".join(node_ref(node.id) for node in nodes)


@dataclass(eq=False)
class _Property:
    """A property's node, its flats and its laundry room."""

    plan: _PropertyPlan
    node: Node
    flats: list[_Flat]
    laundry: Node


@dataclass(eq=False)
class _Tenancy:
    """A customer's contract on a flat (current, ended or starting later)."""

    customer: Customer
    contract: Contract
    flat: _Flat


@dataclass
class _People:
    """Every tenancy, and the ones the demo story is about."""

    tenancies: list[_Tenancy]
    demo: _Tenancy
    neighbour: _Tenancy
    outgoing: _Tenancy
    """The tenant who lived in the demo flat before the demo tenant (the inspection's outgoing tenant)."""

    def current(self, today: date) -> list[_Tenancy]:
        """The tenancies whose contract runs today."""
        return [
            t for t in self.tenancies if t.contract.fom <= today and (t.contract.tom is None or t.contract.tom >= today)
        ]


@dataclass(frozen=True)
class _Context:
    """What every part of the seed uses: the session, the time and the seeded random sources."""

    session: Session
    now: datetime
    today: date
    rng: Random
    faker: Faker

    def local(self, moment: datetime) -> datetime:
        """A UTC moment as naive Swedish time."""
        return moment.astimezone(SWEDISH_TIME).replace(tzinfo=None)


def seed_demo(session: Session, demo: DemoData) -> None:
    """Load the portal's demo data (see the module docstring) in the caller's transaction."""
    now = demo.clock.now()
    context = _Context(session, now, now.astimezone(SWEDISH_TIME).date(), demo.random(), demo.faker("sv_SE"))
    company = Company(**COMPANY)
    session.add(company)
    catalogue = _catalogue(context)
    properties = _estate(context, catalogue)
    _meters(context, properties)
    _maintenance(context, properties)
    people = _people(context, properties)
    files = _Files(context)
    _economy(context, people, company)
    _documents(context, people, catalogue, files)
    _notifications(context, people, files)
    _cases(context, catalogue, people, files)
    _laundry(context, properties, people)
    _access(context, people)
    session.flush()


# --- Dates and amounts ----------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month of ``first``."""
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    return date(year, month + 1, 1)


def _month_end(day: date) -> date:
    return _add_months(day, 1) - timedelta(days=1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _next_weekday(day: date) -> date:
    """The next bank day after ``day`` (weekends skipped)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _utc(local: datetime) -> datetime:
    """Naive Swedish time as an aware UTC moment."""
    return local.replace(tzinfo=SWEDISH_TIME).astimezone(UTC)


def _price_in(year: int, price: Decimal, price_year: int, quantum: Decimal = KRONA) -> Decimal:
    """What a price that is ``price`` in ``price_year`` is in ``year``, by the yearly rent increases."""
    for later in range(year + 1, price_year + 1):
        price /= _increase(later)
    for later in range(price_year + 1, year + 1):
        price *= _increase(later)
    return price.quantize(quantum)


def _increase(year: int) -> Decimal:
    return 1 + Decimal(RENT_INCREASES.get(year, "2.0")) / 100


def _last_period(today: date) -> date:
    """The rent period of the latest notice sent by ``today``: the month after its due date."""
    return _add_months(_month_start(_latest_due(today)), 1)


def _latest_due(today: date) -> date:
    """The due date of the latest rent notice sent by ``today`` (sent two weeks before the end of a month)."""
    due = _month_end(today)
    while due - timedelta(days=NOTICE_LEAD_DAYS) > today:
        due = _month_start(due) - timedelta(days=1)
    return due


def personnummer(born: date, serial: int) -> str:
    """A Swedish personnummer in 12 digits (``YYYYMMDDnnnc``): the Luhn check digit is over the 10-digit form."""
    short = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}{serial:03d}{luhn.calc_check_digit(short)}"


def _ascii(text: str) -> str:
    """``Åsa Öberg-Lind`` → ``asaoberg-lind``: for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in folded if char.isascii() and (char.isalnum() or char == "-"))


# --- Catalogue and estate -------------------------------------------------------------------------


def _catalogue(context: _Context) -> _Catalogue:
    """Node classes, time point types, fault descriptions, key handling and document types."""
    deleted_at = context.now - timedelta(days=400)
    time_points = {
        system: TimePointType(system_name=system, beteckning=name, deleted_at=deleted_at if deleted else None)
        for system, name, deleted in TIME_POINT_TYPES
    }
    classes = {
        system: NodeClass(group_system_name=group, system_name=system, beteckning=name, kod=code, kortbeteckning=short)
        for group, rows in NODE_CLASSES.items()
        for system, name, code, short in rows
    }
    for system, name, code, short, usage, points, deleted in GENERAL_CASE_CLASSES:
        classes[system] = NodeClass(
            group_system_name="AllmantArende",
            system_name=system,
            beteckning=name,
            kod=code,
            kortbeteckning=short,
            usage_system_name=usage,
            deleted=deleted,
            time_point_types=[time_points[point] for point in points],
        )
    key_handling = {name: KeyHandlingType(beteckning=name) for name in KEY_HANDLING}
    file_types = {name: FileType(beteckning=name, ordning=order) for name, order in FILE_TYPES}
    context.session.add_all([*time_points.values(), *classes.values(), *key_handling.values(), *file_types.values()])
    context.session.flush()
    faults: dict[tuple[str | None, str], FaultDescriptionType] = {
        (None, name): FaultDescriptionType(beteckning=name) for name in GLOBAL_FAULTS
    }
    for kind, names in CLASS_FAULTS.items():
        faults |= {
            (kind, name): FaultDescriptionType(node_class_id=classes[kind].id, beteckning=name) for name in names
        }
    context.session.add_all(faults.values())
    return _Catalogue(classes, time_points, faults, key_handling, file_types)


class _Tree:
    """Nodes planned level by level, so each level goes in with one flush once its parents have ids."""

    def __init__(self, classes: dict[str, NodeClass]) -> None:
        self.classes = classes
        self.levels: list[list[tuple[Node, Node | None]]] = []
        self._depth: dict[int, int] = {}

    def add(self, parent: Node | None, kind: str, text: str, order: int = 0, **fields: Any) -> Node:
        node = Node(node_class_id=self.classes[kind].id, visningstext=text, ordning=order, **fields)
        depth = 0 if parent is None else self._depth[id(parent)] + 1
        self._depth[id(node)] = depth
        if depth == len(self.levels):
            self.levels.append([])
        self.levels[depth].append((node, parent))
        return node

    def save(self, session: Session) -> None:
        for level in self.levels:
            for node, parent in level:
                node.parent_id = None if parent is None else parent.id
            session.add_all(node for node, _ in level)
            session.flush()


def _address(street: str, line2: str | None, postcode: str) -> dict[str, Any]:
    return {"gatuadress1": street, "gatuadress2": line2, "postnummer": postcode, "postort": "Västerås", "land": "SE"}


def _estate(context: _Context, catalogue: _Catalogue) -> list[_Property]:
    """Properties with buildings, flats (rooms and components) and a laundry room each."""
    tree = _Tree(catalogue.classes)
    properties = []
    for plan in PROPERTIES:
        first = plan.buildings[0]
        estate = tree.add(
            None, "Fastighet", plan.designation, nummer=plan.number, **_address(first.street, None, plan.postcode)
        )
        flats = []
        for order, building_plan in enumerate(plan.buildings):
            building = tree.add(
                estate,
                "Byggnad",
                building_plan.street,
                order,
                nummer=f"{plan.number}-{building_plan.number}",
                **_address(building_plan.street, None, plan.postcode),
            )
            flats += [
                _flat(context.rng, tree, plan, building_plan, building, index) for index in range(building_plan.flats)
            ]
        laundry = tree.add(
            estate,
            "Tvattstuga",
            "Tvättstuga",
            len(plan.buildings),
            nummer=f"{plan.number}-{first.number}-90",
            object_type="Tvattstuga",
            usages="Felanmälan",
            **_address(first.street, "Källarplan", plan.postcode),
        )
        for order, (kind, name) in enumerate(LAUNDRY_EQUIPMENT):
            tree.add(laundry, kind, name, order)
        properties.append(_Property(plan, estate, flats, laundry))
    tree.save(context.session)
    return properties


def _flat(
    rng: Random, tree: _Tree, plan: _PropertyPlan, building_plan: _BuildingPlan, building: Node, index: int
) -> _Flat:
    number = f"{plan.number}-{building_plan.number}-{index + 1:02d}"
    floor, position = divmod(index, building_plan.per_floor)
    demo = number == DEMO_FLAT
    bedrooms = 1 if plan.student else 2 if demo else rng.choice((1, 1, 2, 2, 2, 3))
    low, high = (22, 32) if plan.student else {1: (38, 48), 2: (56, 68), 3: (72, 86)}[bedrooms]
    area = rng.randint(low, high)
    yearly_per_m2 = rng.randint(1850, 1990) if plan.student else rng.randint(1290, 1420)
    node = tree.add(
        building,
        "Studentbostad" if plan.student else "Lagenhet",
        number,
        index,
        nummer=number,
        object_type="Bostad",
        usages="Felanmälan",
        **_address(building_plan.street, f"Lgh {1000 + 100 * floor + position + 1}", plan.postcode),
    )
    flat = _Flat(
        node=node,
        student=plan.student,
        bedrooms=bedrooms,
        area=area,
        rent=(Decimal(area * yearly_per_m2) / 12).quantize(KRONA),
        washer=demo or (not plan.student and rng.random() < 0.35),
        hot_water_meter=demo or (not plan.student and rng.random() < 0.8),
    )
    balcony = demo or (not plan.student and rng.random() < 0.6)
    for order, (kind, name, components) in enumerate(_rooms(flat, balcony)):
        room = tree.add(node, kind, name, order)
        flat.places[name] = _Place((room,), kind)
        for part_order, component in enumerate(components):
            _component(tree, flat, (room,), name, component, part_order)
    return flat


def _rooms(flat: _Flat, balcony: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """A flat's rooms (class, name, components), hall first."""
    kitchen = ("KylFrys", "Spis", *(() if flat.student else ("Diskmaskin",)), "Blandare", "Ventilation", "Fonster")
    bathroom = ("Handdukstork", "Golvbrunn", "Blandare", "Toalett", *(("Tvattmaskin",) if flat.washer else ()))
    rooms = [
        ("Hall", "Hall", ("Dorr",)),
        ("Kok", "Kök", kitchen),
        ("Badrum", "Badrum", bathroom),
        ("Vardagsrum", "Vardagsrum", ("Fonster", "Element")),
    ]
    rooms += [("Sovrum", f"Sovrum {number}", ("Fonster", "Element")) for number in range(1, flat.bedrooms + 1)]
    if balcony:
        rooms.append(("Balkong", "Balkong", ("Dorr",)))
    return rooms


def _component(tree: _Tree, flat: _Flat, above: tuple[Node, ...], label: str, kind: str, order: int) -> None:
    """A component (and its own parts) under a room, registered as ``Kök / Kyl/Frys / Frys - Standard``."""
    name = tree.classes[kind].beteckning
    node = tree.add(above[-1], kind, name, order)
    label = f"{label} / {name}"
    flat.places[label] = _Place((*above, node), kind)
    for part_order, part in enumerate(COMPONENT_PARTS.get(kind, ())):
        _component(tree, flat, (*above, node), label, part, part_order)


def _meters(context: _Context, properties: list[_Property]) -> None:
    """Water and electricity meters on every flat, cold water and electricity read monthly for three years.

    Hot water is read when it is billed (``add_invoice_history``), so its readings match the notices.
    """
    rng, session = context.rng, context.session
    installations, monthly = [], []
    for flat in (flat for estate in properties for flat in estate.flats):
        number = flat.node.nummer
        water = [Meter(anvandning="Kallvatten", beteckning=str(rng.randint(100000, 999999)), enhet="m³")]
        if flat.hot_water_meter:
            water.append(Meter(anvandning=HOT_WATER, beteckning=str(rng.randint(100000, 999999)), enhet="m³"))
        electricity = Meter(anvandning="Hushållsel", beteckning=str(rng.randint(100000, 999999)), enhet="kWh")
        monthly += [(water[0], (2_500, 7_500), LITRE), (electricity, (60, 160) if flat.student else (120, 380), KRONA)]
        installations += [
            MeterInstallation(node_id=flat.node.id, anvandning="Vatten", beteckning=f"{number} Vatten", meters=water),
            MeterInstallation(node_id=flat.node.id, anvandning="El", beteckning=f"{number} El", meters=[electricity]),
        ]
    session.add_all(installations)
    session.flush()
    months = [_add_months(_month_start(context.today), -offset) for offset in range(HISTORY_MONTHS, 0, -1)]
    readings = []
    for meter, usage, scale in monthly:
        value = rng.randint(200, 900) * 1000 * scale
        for month in months:
            used = rng.randint(*usage) * scale
            value += used
            readings.append(_reading(meter.id, month, used, value))
    _insert(session, MeterReading, readings)


MAINTENANCE = (
    ("Bytes", "Badrum / Handdukstork"),
    ("Målas", "Vardagsrum"),
    ("Bytes", "Kök / Spis"),
    ("Bytes", "Kök / Blandare"),
    ("Tapetseras", "Sovrum 1"),
    ("Bytes", "Kök / Diskmaskin"),
    ("Slipas", "Vardagsrum"),
    ("Bytes", "Hall / Dörr"),
)


def _maintenance(context: _Context, properties: list[_Property]) -> None:
    """Planned, ordered and performed maintenance on every flat (SessionUnderhåll)."""
    rng, today = context.rng, context.today
    items = []
    for flat in (flat for estate in properties for flat in estate.flats):
        choices = [item for item in MAINTENANCE if item[1] in flat.places]
        for action, place in rng.sample(choices, rng.randint(1, 3)):
            state = rng.choice(("planned", "ordered", "done", "done"))
            if state == "done":
                planned = today - timedelta(days=rng.randint(40, 1200))
                ordered, performed = (
                    planned - timedelta(days=rng.randint(14, 60)),
                    planned + timedelta(rng.randint(0, 5)),
                )
            elif state == "ordered":
                planned = today + timedelta(days=rng.randint(5, 60))
                ordered, performed = today - timedelta(days=rng.randint(1, 30)), None
            else:
                planned, ordered, performed = today + timedelta(days=rng.randint(60, 540)), None, None
            items.append(
                MaintenanceItem(
                    node_id=flat.node.id,
                    atgard=action,
                    avser=place,
                    planerat=planned,
                    bestalld=ordered,
                    utford=performed,
                )
            )
    context.session.add_all(items)


# --- Customers and contracts ----------------------------------------------------------------------

FOREIGN_NAMES = (("Olena", "Kovalenko", False), ("Tomasz", "Nowak", True), ("Aino", "Virtanen", False))
"""Tenants without a Swedish personnummer (only their birth date is registered)."""
EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "telia.com", "live.se", "icloud.com", "bredband.net")
INCOME_TYPES = (
    ("Anstallning", "Anställning", "arbetsgivare", "Arbetsgivare"),
    ("Pension", "Pension", "pensionsmyndigheten", "Pensionsmyndigheten"),
    ("Sjukersattning", "Sjukersättning", "forsakringskassa", "Försäkringskassa"),
    ("Forsorjningsstod", "Försörjningsstöd", "socialtjanst", "Socialtjänsten"),
)
STUDENT_INCOME = ("Studiemedel", "Studiemedel", "csn", "CSN")
HOUSING_TYPES = (
    ("hyresratt", "Hyresrätt"),
    ("bostadsratt", "Bostadsrätt"),
    ("andrahand", "Andrahandskontrakt"),
    ("foraldrar", "Hos föräldrar"),
)
EDUCATIONS = (
    ("hogskola", "Högskola", "Mälardalens universitet", "Västerås"),
    ("hogskola", "Högskola", "Uppsala universitet", "Uppsala"),
    ("gymnasium", "Gymnasium", "Rudbeckianska gymnasiet", "Västerås"),
    ("yrkeshogskola", "Yrkeshögskola", "Yrkeshögskolan Västerås", "Västerås"),
)


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    born: date
    personnummer: str | None


def _random_person(context: _Context, *, student: bool, foreign: tuple[str, str, bool] | None = None) -> _Person:
    rng, faker = context.rng, context.faker
    youngest, oldest = (19, 27) if student else (22, 88)
    born = context.today - timedelta(days=rng.randint(youngest * 365, oldest * 365))
    if foreign is not None:
        first, last, _ = foreign
        return _Person(first, last, born, None)
    male = rng.random() < 0.5
    first = faker.first_name_male() if male else faker.first_name_female()
    return _Person(first, faker.last_name(), born, personnummer(born, rng.randrange(0, 500) * 2 + male))


@dataclass(frozen=True, eq=False)
class _TenancyPlan:
    flat: _Flat
    fom: date
    tom: date | None

    @property
    def demo(self) -> bool:
        """Whether this is the demo tenant's tenancy."""
        return self.tom is None and self.flat.node.nummer == DEMO_FLAT


CHOSEN_TENANTS = {
    DEMO_FLAT: ("15555", _Person("Kalle", "Andersson", date(1985, 6, 14), personnummer(date(1985, 6, 14), 987))),
    NEIGHBOUR_FLAT: ("15556", _Person("Eva", "Lindgren", date(1979, 11, 2), personnummer(date(1979, 11, 2), 322))),
}
"""The demo tenant and the neighbour upstairs: customer number and person."""


def _tenancy_plans(context: _Context, properties: list[_Property]) -> list[_TenancyPlan]:
    """Who rents which flat when: current tenants, tenants who moved out (some in the last three years), a few
    empty flats (one let from next month), and the demo tenant who moved in three years ago."""
    rng, today = context.rng, context.today
    this_month = _month_start(today)
    window = _add_months(this_month, -HISTORY_MONTHS)
    flats = [flat for estate in properties for flat in estate.flats]
    others = [flat for flat in flats if flat.node.nummer not in (DEMO_FLAT, NEIGHBOUR_FLAT)]
    empty = rng.sample(others, 5)
    moved = rng.sample([flat for flat in others if flat not in empty], 12)
    plans = []
    for flat in flats:
        moved_in: date | None
        left: date | None
        if flat.node.nummer == DEMO_FLAT:
            moved_in = window
            left = moved_in - timedelta(days=1)
        elif flat in moved:
            moved_in = _add_months(window, rng.randint(3, HISTORY_MONTHS - 3))
            left = moved_in - timedelta(days=1)
        elif flat in empty:
            moved_in = _add_months(this_month, 1) if flat is empty[0] else None
            left = _add_months(this_month, -rng.randint(1, 5)) - timedelta(days=1)
        else:
            moved_in, left = _add_months(this_month, -rng.randint(2, 12 * 12)), None
        if left is not None:
            plans.append(_TenancyPlan(flat, _add_months(_month_start(left), -rng.randint(14, 150)), left))
        if moved_in is not None:
            plans.append(_TenancyPlan(flat, moved_in, None))
    return plans


def _people(context: _Context, properties: list[_Property]) -> _People:
    """Customers with contact details, addresses, market profiles and contracts."""
    rng, session = context.rng, context.session
    plans = _tenancy_plans(context, properties)
    current = [plan for plan in plans if plan.tom is None and plan.flat.node.nummer not in (DEMO_FLAT, NEIGHBOUR_FLAT)]
    foreign = dict(zip(map(id, rng.sample(current, len(FOREIGN_NAMES))), FOREIGN_NAMES, strict=True))
    customers = []
    for number, plan in enumerate(plans, start=10001):
        kundnummer, person = (
            str(number),
            _random_person(context, student=plan.flat.student, foreign=foreign.get(id(plan))),
        )
        if plan.tom is None and plan.flat.node.nummer in CHOSEN_TENANTS:
            kundnummer, person = CHOSEN_TENANTS[plan.flat.node.nummer]
        customers.append(_customer(context, plan, kundnummer, person))
    session.add_all(customers)
    session.flush()
    tenancies = []
    sequence: Counter[str] = Counter()
    rent_year = _last_period(context.today).year
    for plan, customer in zip(plans, customers, strict=True):
        number = plan.flat.node.nummer
        sequence[number] += 1
        rent = plan.flat.rent if plan.tom is None else _price_in(plan.tom.year, plan.flat.rent, rent_year)
        contract = Contract(
            avtalsnummer=f"{number}-{sequence[number]:02d}",
            customer_id=customer.id,
            node_id=plan.flat.node.id,
            fom=plan.fom,
            tom=plan.tom,
            monthly_rent=rent,
        )
        tenancies.append(_Tenancy(customer, contract, plan.flat))
    session.add_all(tenancy.contract for tenancy in tenancies)
    people = _People(
        tenancies=tenancies,
        demo=next(t for t in tenancies if t.customer.kundnummer == CHOSEN_TENANTS[DEMO_FLAT][0]),
        neighbour=next(t for t in tenancies if t.customer.kundnummer == CHOSEN_TENANTS[NEIGHBOUR_FLAT][0]),
        outgoing=next(t for t in tenancies if t.flat.node.nummer == DEMO_FLAT and t.contract.tom is not None),
    )
    for tenancy in tenancies:
        _contact_details(context, tenancy, people)
        _addresses(context, tenancy, people)
    _temporary_addresses(context, people)
    session.flush()
    _pending_validation(context, people)
    return people


def _customer(context: _Context, plan: _TenancyPlan, kundnummer: str, person: _Person) -> Customer:
    rng = context.rng
    signed = datetime.combine(
        plan.fom - timedelta(days=rng.randint(20, 75)), time(rng.randint(9, 16), rng.randint(0, 59))
    )
    profile_wanted = plan.flat.student or plan.demo or rng.random() < 0.25
    return Customer(
        kundnummer=kundnummer,
        fornamn=person.first,
        efternamn=person.last,
        personnummer=person.personnummer,
        fodelsedatum=person.born,
        market_profile=_market_profile(context, plan, signed) if profile_wanted else None,
        created_at=_utc(signed),
    )


def _market_profile(context: _Context, plan: _TenancyPlan, signed: datetime) -> dict[str, Any]:
    """A market profile as the lettings module keeps it (portal.md §2.8; A-7: one object per part)."""
    rng, faker = context.rng, context.faker
    registered = signed - timedelta(days=rng.randint(200, 2000))
    income = STUDENT_INCOME if plan.flat.student else rng.choice(INCOME_TYPES)
    income = INCOME_TYPES[0] if plan.demo else income
    employed = income[0] == "Anstallning"
    education = EDUCATIONS[0] if plan.flat.student else rng.choice(EDUCATIONS)
    studied_from = _month_start(registered.date() - timedelta(days=rng.randint(0, 3000)))
    housing = HOUSING_TYPES[3] if plan.flat.student else rng.choice(HOUSING_TYPES)
    return {
        "Skapad": registered.isoformat(timespec="seconds"),
        "MarknadAktörInkomst": {
            "MarknadAktörInkomstId": rng.randint(100000, 999999),
            "Skapad": registered.date().isoformat(),
            "Arbetsgivare": faker.company() if employed else None,
            "Kontaktperson": faker.name() if employed else None,
            "Telefonnummer": _phone(rng, "021") if employed else None,
            "InkomstSedan": (registered.date() - timedelta(days=rng.randint(100, 4000))).isoformat(),
            "MånadsinkomstNetto": rng.randrange(9_000, 14_000, 100)
            if plan.flat.student
            else rng.randrange(14_000, 42_000, 500),
            "MarknadAktörInkomstTyp": {
                "SystemName": income[0],
                "Beteckning": income[1],
                "MarknadAktörInkomstTypGrupp": {"SystemName": income[2], "Beteckning": income[3]},
            },
        },
        "MarknadAktörUtbildning": {
            "MarknadAktörUtbildningId": rng.randint(100000, 999999),
            "Lärosäte": education[2],
            "Ort": education[3],
            "Kontaktperson": faker.name(),
            "Telefonnummer": _phone(rng, "021"),
            "Fom": studied_from.isoformat(),
            "Tom": None if plan.flat.student else _add_months(studied_from, rng.choice((24, 36, 60))).isoformat(),
            "MarknadAktörUtbildningTyp": {"SystemName": education[0], "Beteckning": education[1]},
        },
        "MarknadAktörBoende": {
            "Namn": faker.name() if housing[0] in ("andrahand", "foraldrar") else faker.company(),
            "Kontaktperson": faker.name(),
            "Telefonnummer": _phone(rng, "021"),
            "MarknadAktörBoendeTyp": {"SystemName": housing[0], "Beteckning": housing[1]},
        },
        "MarknadAktörHushåll": {
            "AntalVuxna": 1 if plan.flat.student else rng.choice((1, 1, 2, 2)),
            "AntalBarn": 0 if plan.flat.student else rng.choice((0, 0, 0, 1, 2)),
        },
        "MarknadIntresse": {
            "MarknadIntresseId": rng.randint(100000, 999999),
            "Skapad": (signed - timedelta(days=rng.randint(10, 90))).isoformat(timespec="seconds"),
            "Nummer": plan.flat.node.nummer,
        },
        "MarknadEkonomi": {
            "Borgensman": plan.flat.student and rng.random() < 0.5,
            "Deposition": rng.random() < 0.3,
            "Kapital": rng.random() < 0.4,
        },
    }


def _phone(rng: Random, prefix: str) -> str:
    """A Swedish phone number: ``021-12 34 56`` (Västerås) or ``070-123 45 67`` (mobile)."""
    if prefix.startswith("07"):
        return f"{prefix}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return f"{prefix}-{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _contact_details(context: _Context, tenancy: _Tenancy, people: _People) -> None:
    """E-mail for most, a mobile number for most, a home phone for some; the demo tenants have all three."""
    rng, customer = context.rng, tenancy.customer
    chosen = tenancy is people.demo or tenancy is people.neighbour
    details = []
    if chosen or rng.random() < 0.9:
        domain = "exempel.se" if chosen else rng.choice(EMAIL_DOMAINS)
        email = f"{_ascii(customer.fornamn)}.{_ascii(customer.efternamn)}@{domain}"
        details.append(("E-postadress", email, chosen or rng.random() < 0.85))
    if chosen or rng.random() < 0.85:
        details.append(
            ("Mobilnummer", _phone(rng, rng.choice(("070", "072", "073", "076"))), chosen or rng.random() < 0.7)
        )
    if chosen or rng.random() < 0.2:
        details.append(("Telefon hem", _phone(rng, "021"), False))
    context.session.add_all(
        ContactDetail(customer_id=customer.id, kind=kind, value=value, validated=validated)
        for kind, value, validated in details
    )


def _pending_validation(context: _Context, people: _People) -> None:
    """One tenant asked to validate their e-mail address an hour ago: the key (``VALIDATION_KEY``) and the message
    with the link are waiting (A-26)."""
    session, now = context.session, context.now
    detail = session.scalars(
        select(ContactDetail)
        .where(
            ContactDetail.customer_id.in_([t.customer.id for t in people.current(context.today)]),
            ContactDetail.kind == "E-postadress",
            ContactDetail.validated.is_(False),
        )
        .order_by(ContactDetail.id)
        .limit(1)
    ).one()
    sent = now - timedelta(hours=1)
    detail.validation_key_digest = token_digest(VALIDATION_KEY)
    detail.validation_expires_at = sent + timedelta(days=7)
    link = f"https://minasidor.malarporten.se/validera?nyckel={VALIDATION_KEY}"
    text = f"Hej!\n\nBekräfta din e-postadress genom att öppna länken nedan inom 7 dagar:\n{link}\n"
    session.add(
        OutboxMessage(
            customer_id=detail.customer_id,
            channel="epost",
            recipient=detail.value,
            subject="Bekräfta din e-postadress",
            body=text,
            created_at=sent,
        )
    )


def _flat_address(tenancy: _Tenancy, kind: str, fom: date | None = None, tom: date | None = None) -> CustomerAddress:
    node = tenancy.flat.node
    return CustomerAddress(
        customer_id=tenancy.customer.id,
        kind=kind,
        namn=f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}",
        gatuadress1=node.gatuadress1,
        gatuadress2=node.gatuadress2,
        postnummer=node.postnummer,
        postort=node.postort,
        land="SE",
        fom=fom,
        tom=tom,
    )


def _other_address(context: _Context, tenancy: _Tenancy, kind: str, **fields: Any) -> CustomerAddress:
    faker = context.faker
    defaults = {
        "namn": f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}",
        "gatuadress1": faker.street_address(),
        "postnummer": faker.postcode().replace(" ", ""),
        "postort": faker.city(),
        "land": "SE",
    }
    return CustomerAddress(customer_id=tenancy.customer.id, kind=kind, **(defaults | fields))


def _addresses(context: _Context, tenancy: _Tenancy, people: _People) -> None:
    """The postal address (the flat, or a box with the flat as visiting address); where earlier tenants moved."""
    contract, rng = tenancy.contract, context.rng
    if contract.tom is not None:
        addresses = [
            _flat_address(tenancy, "kund.post", contract.fom, contract.tom),
            _other_address(context, tenancy, "kund.post", fom=contract.tom + timedelta(days=1)),
        ]
    elif contract.fom > context.today:
        addresses = [_other_address(context, tenancy, "kund.post")]
    elif tenancy is people.demo or rng.random() < 0.08:
        box = f"Box {rng.randint(1000, 9999)}"
        addresses = [
            _other_address(
                context,
                tenancy,
                "kund.post",
                gatuadress1=box,
                postnummer=f"7210{rng.randint(1, 9)}",
                postort="Västerås",
            ),
            _flat_address(tenancy, "kund.besok", contract.fom),
        ]
    else:
        addresses = [_flat_address(tenancy, "kund.post", contract.fom)]
    context.session.add_all(addresses)


def _temporary_addresses(context: _Context, people: _People) -> None:
    """The demo tenant's summer place (ended), work stay in Oslo (current) and next summer (future); one temporary
    address each for a few others."""
    today, demo = context.today, people.demo
    summer = date(today.year - 1 if today.month < 9 else today.year, 6, 20)
    addresses = [
        _other_address(
            context,
            demo,
            "tillfallig",
            gatuadress1="Strandvägen 4",
            postnummer="74291",
            postort="Östhammar",
            fom=summer,
            tom=summer + timedelta(days=60),
        ),
        _other_address(
            context,
            demo,
            "tillfallig",
            care_of="Thon Hotel Opera",
            attention="Kalle Andersson",
            gatuadress1="Dronning Eufemias gate 4",
            postnummer="0191",
            postort="Oslo",
            land="NO",
            fom=today - timedelta(days=20),
            tom=today + timedelta(days=70),
        ),
        _other_address(
            context,
            demo,
            "tillfallig",
            gatuadress1="Strandvägen 4",
            postnummer="74291",
            postort="Östhammar",
            fom=summer.replace(year=summer.year + 1),
            tom=summer.replace(year=summer.year + 1) + timedelta(days=60),
        ),
    ]
    others = [t for t in people.current(today) if t is not demo and t is not people.neighbour]
    for offset, tenancy in zip((-200, -10, 30, 90, -40), context.rng.sample(others, 5), strict=True):
        fom = today + timedelta(days=offset)
        addresses.append(_other_address(context, tenancy, "tillfallig", fom=fom, tom=fom + timedelta(days=60)))
    context.session.add_all(addresses)


# --- Economy --------------------------------------------------------------------------------------

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

Values = dict[str, Any]


def _insert(session: Session, model: type[Any], rows: Sequence[Values]) -> None:
    """Insert many rows of a table with one executemany (Core, no ORM objects: there are tens of thousands)."""
    if rows:
        session.execute(insert(model.__table__), rows)


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


def _printed_postcode(code: str | None, country: str = "SE") -> str:
    """``72341`` → ``723 41`` (Swedish postcodes as printed)."""
    code = code or ""
    return f"{code[:3]} {code[3:]}" if country == "SE" and len(code) == 5 else code


def _flattened(address: CustomerAddress | None, name: str) -> str:
    """A postal address on one line: ``Anna Andersson Gatuvägen 23 B vån 3 123 45 Staden``."""
    if address is None:
        return name
    code = _printed_postcode(address.postnummer, address.land)
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
        "created_at": _utc(sent),
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
            {"betalvag": billing.channel, "belopp": amount, "betalningsdag": day, "bokforingsdag": _next_weekday(day)}
            for day, amount in payments
        ],
    )


def _save_notices(session: Session, notices: Sequence[_Notice]) -> None:
    """Insert notices with their ledger entries, rows, distributions and payments, one executemany per table (the
    new ids are read back: invoices by their unique number, entries by their invoice)."""
    last_invoice, last_entry = (session.scalar(select(func.max(model.id))) or 0 for model in (Invoice, LedgerEntry))
    _insert(session, Invoice, [notice.invoice for notice in notices])
    invoice_ids = dict(session.execute(select(Invoice.avinummer, Invoice.id).where(Invoice.id > last_invoice)).all())
    saved = [(notice, invoice_ids[notice.invoice["avinummer"]]) for notice in notices]
    _insert(session, LedgerEntry, [notice.entry | {"invoice_id": invoice} for notice, invoice in saved])
    entry_ids = dict(
        session.execute(select(LedgerEntry.invoice_id, LedgerEntry.id).where(LedgerEntry.id > last_entry)).all()
    )
    rows = [row | {"ledger_entry_id": entry_ids[invoice]} for notice, invoice in saved for row in notice.rows]
    _insert(session, LedgerRow, rows)
    _insert(session, InvoiceDistribution, [notice.distribution | {"invoice_id": invoice} for notice, invoice in saved])
    _insert(session, Payment, [paid | {"invoice_id": invoice} for notice, invoice in saved for paid in notice.payments])


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
        month = _add_months(period, -2)
        reading = self.readings.get(month) or self._read(month, random)
        if month < _month_start(contract.fom) or (contract.tom is not None and month > contract.tom):
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
        price = _price_in(month.year, HOT_WATER_PRICE, PRICE_YEAR, CENT)
        cost = (used * price).quantize(CENT)
        reading = _reading(self.meter.id, month, used, start + used, cost=cost, price=price)
        self.readings[month] = reading
        return reading

    def save(self, session: Session) -> None:
        """Insert the new readings, mark the billed ones that were already there."""
        _insert(session, MeterReading, [reading for reading in self.readings.values() if "id" not in reading])
        for reading in self.readings.values():
            if "id" in reading and reading["debiterad"]:
                session.execute(
                    update(MeterReading)
                    .where(MeterReading.id == reading["id"])
                    .values(debiterad=True, debiteras_tidigast=reading["debiteras_tidigast"])
                )


def _reading(
    meter_id: int, month: date, used: Decimal, value: Decimal, *, cost: Decimal = ZERO, price: Decimal | None = None
) -> Values:
    """A month's reading of a meter (read at night after the month); priced when the consumption is billed."""
    return {
        "meter_id": meter_id,
        "datum": month,
        "tom": _month_end(month),
        "forbrukning": used,
        "matarstallning": value,
        "kostnad": cost,
        "pris": None if price is None else cost,
        "apris": price,
        "debiterad": False,
        "debiteras_tidigast": None,
        "avlast_tid": datetime.combine(_add_months(month, 1), time(2, 0)),
    }


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
    last_period = _add_months(_month_start(last_due), 1)
    settled = contract.tom is not None and contract.tom <= _month_end(last_period)
    rent = Decimal(contract.monthly_rent)
    notices = []
    for index in range(months):
        period = _add_months(last_period, index + 1 - months)
        due = period - timedelta(days=1)
        rows = [_ledger_row("Grundhyra", _price_in(period.year, rent, last_period.year))]
        if meter is not None:
            rows += meter.bill(period, due, contract, random)
        rows += [_ledger_row(text, _price_in(period.year, price, PRICE_YEAR), rate) for text, price, rate in extras]
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


def _economy(context: _Context, people: _People, company: Company) -> None:
    """Three years of rent notices for everyone who rented in that time (as ``add_invoice_history`` makes them, but
    saved all at once), a few invoices, and one notice sent to debt collection."""
    session, rng = context.session, context.rng
    last_period = _last_period(context.today)
    first_period = _add_months(last_period, 1 - HISTORY_MONTHS)
    first_number = _next_notice_number(session)
    meters: dict[int, _HotWaterMeter | None] = {}
    notices: list[_Notice] = []
    for tenancy in sorted(people.tenancies, key=lambda tenancy: (tenancy.contract.fom, tenancy.customer.id)):
        contract = tenancy.contract
        start = max(first_period, _month_start(contract.fom))
        end = last_period if contract.tom is None else min(last_period, _month_start(contract.tom))
        if start > end:
            continue
        if contract.node_id not in meters:
            meters[contract.node_id] = _HotWaterMeter.find(session, contract.node_id)
        notices += _rent_notices(
            contract,
            _billing(session, contract, company, _payment_channel(rng)),
            meters[contract.node_id],
            months=_months_between(start, end) + 1,
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
            period=_month_start(invoiced),
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


def _charges(context: _Context, people: _People) -> list[tuple[_Tenancy, date, list[Values], bool]]:
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


def _debt_collection(context: _Context, people: _People) -> None:
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


# --- Files, documents and messages ----------------------------------------------------------------

PDF, JPEG = ("application/pdf", ".pdf"), ("image/jpeg", ".jpeg")
HOUSE_RULES = (
    "Visa hänsyn mot dina grannar: det ska vara tyst i huset mellan kl. 22.00 och 07.00.",
    "Rökning är inte tillåten i trapphus, tvättstuga, förråd eller på balkonger.",
    "Sortera ditt avfall i miljöhuset. Grovsopor lämnas på återvinningscentralen.",
    "Cyklar ställs i cykelrummet eller i cykelställen, inte i trapphuset.",
    "Grilla inte med kol på balkongen; elgrill går bra.",
    "Anmäl fel i lägenheten på Mina sidor eller till kundservice, 021-39 40 00.",
)
LAUNDRY_RULES = (
    "Tvättstugan är öppen varje dag kl. 07.00-22.00. Boka tid på Mina sidor.",
    "Bokade pass: 07-10, 10-13, 13-16, 16-19 och 19-22. Du kan ha två bokade pass i taget.",
    "Passet är ditt om du börjar inom en halvtimme, annars får någon annan ta det.",
    "Städa efter dig: torka av maskinerna, rensa luddfilter och torka golvet.",
    "Färgade textilier tvättas inte i 90 grader. Mattor tvättas inte i maskinerna.",
)


class _Files:
    """The stored files of the demo: PDFs written with reportlab, small JPEGs drawn with Pillow."""

    def __init__(self, context: _Context) -> None:
        self.context = context
        self.tap = self.jpeg(_dripping_tap)
        self.drain = self.jpeg(_blocked_drain)
        self.building = self.jpeg(_apartment_block)
        context.session.flush()

    def add(self, data: bytes, kind: tuple[str, str]) -> StoredFile:
        """A stored file (saved with the next flush: its id is known after it)."""
        stored = StoredFile(
            mime_type=kind[0],
            extension=kind[1],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            created_at=self.context.now,
        )
        self.context.session.add(stored)
        return stored

    def pdf(self, title: str, lines: Sequence[str]) -> StoredFile:
        return self.add(_pdf(title, lines), PDF)

    def jpeg(self, draw: Callable[[ImageDraw.ImageDraw], None]) -> StoredFile:
        image = Image.new("RGB", (64, 48), (232, 236, 240))
        draw(ImageDraw.Draw(image))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return self.add(buffer.getvalue(), JPEG)


def _pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF with a title, lines of text and the company's footer (deterministic bytes)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(COMPANY["namn"])
    _, height = A4
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(56, height - 72, title)
    canvas.setFont("Helvetica", 10)
    for number, line in enumerate(lines):
        canvas.drawString(56, height - 104 - 16 * number, line)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(
        56, 40, f"{COMPANY['namn']} · {COMPANY['gatuadress']} · {COMPANY['postort']} · {COMPANY['telefon']}"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _dripping_tap(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 36, 63, 47), fill=(250, 250, 250))  # the sink
    draw.rectangle((14, 8, 44, 14), fill=(150, 155, 160))  # the spout
    draw.rectangle((38, 14, 44, 22), fill=(150, 155, 160))
    draw.rectangle((24, 2, 30, 8), fill=(120, 125, 130))  # the handle
    for y in (26, 32):
        draw.ellipse((39, y, 43, y + 4), fill=(60, 120, 220))


def _blocked_drain(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 63, 47), fill=(205, 210, 205))  # the tiles
    for x in range(0, 64, 16):
        draw.line((x, 0, x, 47), fill=(180, 185, 180))
    draw.ellipse((20, 12, 44, 36), fill=(90, 95, 100))
    draw.ellipse((12, 6, 52, 42), outline=(70, 110, 200), width=2)  # standing water


def _apartment_block(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 63, 47), fill=(170, 205, 240))  # the sky
    draw.rectangle((10, 8, 54, 47), fill=(190, 120, 90))
    for x in range(14, 52, 10):
        for y in range(12, 40, 9):
            draw.rectangle((x, y, x + 5, y + 5), fill=(250, 240, 200))


def _designation(flat: _Flat) -> str:
    return next(plan.designation for plan in PROPERTIES if flat.node.nummer.startswith(plan.number + "-"))


def _documents(context: _Context, people: _People, catalogue: _Catalogue, files: _Files) -> None:
    """Every tenant's contract, house rules, laundry rules and manuals (some only as links); a floor plan for the
    demo tenant."""
    site = COMPANY["webbadress"]
    tenancies = [t for t in people.tenancies if t.contract.tom is None]
    rules = {plan.designation: files.pdf(f"Trivselregler {plan.designation}", HOUSE_RULES) for plan in PROPERTIES}
    laundry_rules = files.pdf("Tvättstugeregler", LAUNDRY_RULES)
    contracts = {
        id(tenancy): files.pdf("Hyresavtal för bostadslägenhet", _contract_lines(tenancy)) for tenancy in tenancies
    }
    demo_flat = people.demo.flat
    floor_plan = files.pdf(
        f"Planlösning {demo_flat.bedrooms + 1} rum och kök",
        [
            f"Lägenhet {demo_flat.node.nummer}, {demo_flat.area} m²",
            *(f"- {place}" for place in demo_flat.places if " / " not in place),
        ],
    )
    context.session.flush()
    documents = []
    for tenancy in tenancies:
        flat, contract = tenancy.flat, tenancy.contract
        entries: list[tuple[str, StoredFile | None, str, str | None, str | None]] = [
            (
                "Hyresavtal",
                contracts[id(tenancy)],
                f"Hyresavtal {contract.avtalsnummer}",
                None,
                f"Ditt hyresavtal för {flat.node.nummer}.",
            ),
            ("Trivselregler", rules[_designation(flat)], f"Trivselregler {_designation(flat)}", None, None),
            ("Tvättstuga", laundry_rules, "Tvättstugeregler", f"{site}/tvattstuga", "Boka tvättid här på Mina sidor."),
        ]
        for place, name in (("Kök / Diskmaskin", "diskmaskin"), ("Badrum / Tvättmaskin", "tvattmaskin")):
            if place in flat.places:
                label = place.split(" / ")[1]
                entries.append(
                    (
                        "Bruksanvisning",
                        None,
                        f"Bruksanvisning {label.lower()}",
                        f"{site}/bruksanvisningar/{name}.html",
                        f"Bruksanvisning för {label.lower()}en.",
                    )
                )
        if tenancy is people.demo:
            entries.append(("Planlösning", floor_plan, f"Planlösning {flat.node.nummer}", None, None))
        documents += [
            Document(
                customer_id=tenancy.customer.id,
                contract_id=contract.id,
                node_id=flat.node.id,
                file_type_id=catalogue.file_types[kind].id,
                file_id=None if stored is None else stored.id,
                ordning=10 * (order + 1),
                beteckning=name,
                webbadress=url,
                meddelande=message,
            )
            for order, (kind, stored, name, url, message) in enumerate(entries)
        ]
    context.session.add_all(documents)


def _contract_lines(tenancy: _Tenancy) -> list[str]:
    customer, contract, flat = tenancy.customer, tenancy.contract, tenancy.flat
    node = flat.node
    identity = customer.personnummer or f"{customer.fodelsedatum:%Y%m%d}"
    if customer.personnummer:
        identity = f"{identity[:8]}-{identity[8:]}"
    return [
        f"Avtalsnummer: {contract.avtalsnummer}",
        f"Hyresvärd: {COMPANY['namn']}, organisationsnummer {COMPANY['organisationsnummer']}",
        f"Hyresgäst: {customer.fornamn} {customer.efternamn}, {identity}",
        f"Lägenhet: {node.nummer}, {node.gatuadress1}, {node.gatuadress2}",
        f"Postadress: {_printed_postcode(node.postnummer)} {node.postort}",
        f"Storlek: {flat.bedrooms + 1} rum och kök, {flat.area} m²",
        f"Hyrestid: från och med {contract.fom:%Y-%m-%d} och tills vidare. Uppsägningstid tre månader.",
        f"Hyra: {contract.monthly_rent} kr per månad, betalas i förskott senast sista dagen före månaden.",
        "Hyran omfattar värme. Varmvatten debiteras efter förbrukning där mätare finns.",
        "Hyresgästen ska vårda lägenheten och följa husets trivselregler.",
    ]


CHANNELS = {
    "Nyhet": ("Utsida nyhet", "Meddelandet visas som en nyhet på Mina sidor."),
    "Epost": ("E-post", "Meddelandet skickas till din e-postadress."),
    "Sms": ("SMS", "Meddelandet skickas som sms till ditt mobilnummer."),
}
PIPE_NEWS = "Stambyte i Skäret 4 under våren"
PIPE_LETTER = (
    "Under våren byter vi vatten- och avloppsrör i Skäret 4.",
    "Arbetet tar cirka fyra veckor per trappuppgång.",
    "Under arbetet finns duschvagn och toalett på gården.",
)
WATER_SMS = "Vattnet i Skärgatan 12 stängs av på tisdag kl. 10-12 för reparation."
SIGNATURE = f"Med vänliga hälsningar\n{COMPANY['namn']}, telefon {COMPANY['telefon']}"


def _notifications(context: _Context, people: _People, files: _Files) -> None:
    """News about the pipe renovation in Skäret 4 (with a picture and a letter), an SMS about the water being shut
    off in Skärgatan 12, the new rent by e-mail to everyone, and for the demo tenant a reminder that could not be
    sent."""
    session, now, today = context.session, context.now, context.today
    contacts = {
        (row.customer_id, row.kind) for row in session.execute(select(ContactDetail.customer_id, ContactDetail.kind))
    }
    year = _last_period(today).year
    increase = RENT_INCREASES.get(year, "2.0").replace(".", ",")
    letter = files.pdf("Information om stambyte", PIPE_LETTER)
    rent_letter = files.pdf(
        f"Hyresförhandling {year}",
        [
            f"Hyrorna höjs med {increase} % från 1 januari {year}.",
            "Överenskommelsen är träffad med Hyresgästföreningen.",
        ],
    )
    session.flush()
    numbers = count(12345)
    messages = []
    for tenancy in people.current(today):
        customer, number = tenancy.customer, tenancy.flat.node.nummer
        email = (customer.id, "E-postadress") in contacts
        if number.startswith("142-"):
            attached = [(next(numbers), "Skäret 4.jpeg", files.building), (next(numbers), "Stambyte.pdf", letter)]
            channels = ("Nyhet", "Epost") if email else ("Nyhet",)
            messages.append(_message(customer, now - timedelta(days=21), channels, PIPE_NEWS, PIPE_LETTER[0], attached))
        if number.startswith("142-043-") and (customer.id, "Mobilnummer") in contacts:
            messages.append(_message(customer, now - timedelta(days=5), ("Sms",), "Vattenavstängning", WATER_SMS, []))
        if email:
            text = f"Din hyra blir {tenancy.contract.monthly_rent} kr per månad från 1 januari {year}."
            attached = [(next(numbers), f"Hyresförhandling {year}.pdf", rent_letter)]
            subject = f"Ny hyra från 1 januari {year}"
            messages.append(_message(customer, now - timedelta(days=30), ("Epost",), subject, text, attached))
    reminder = "Vi kontrollerar brandvarnarna på torsdag mellan kl. 8 och 16."
    sms = _message(
        people.demo.customer, now - timedelta(days=2), ("Sms",), "Brandvarnare", reminder, [], abandoned=True
    )
    messages.append(sms)
    session.add_all(messages)


def _message(
    customer: Customer,
    sent: datetime,
    channels: Sequence[str],
    subject: str,
    text: str,
    attachments: Sequence[tuple[int, str, StoredFile]],
    *,
    abandoned: bool = False,
) -> Notification:
    """A message to a customer sent on some channels (abandoned: given up before it went out), with attachments."""
    body = f"Hej {customer.fornamn},\n\n{text}\n\n{SIGNATURE}"
    return Notification(
        customer_id=customer.id,
        created_at=sent,
        channels=[
            NotificationChannel(
                kanal_system_name=channel,
                kanal_beteckning=CHANNELS[channel][0],
                kanal_hjalptext=CHANNELS[channel][1],
                notifierad=not abandoned,
                klar_utc=None if abandoned else sent + timedelta(minutes=2),
                overgiven_utc=sent + timedelta(minutes=30) if abandoned else None,
                amne=subject,
                brodtext=body,
            )
            for channel in channels
        ],
        attachments=[
            NotificationAttachment(externt_id=number, externt_namn=name, file_id=stored.id)
            for number, name, stored in attachments
        ],
    )


# --- Cases ----------------------------------------------------------------------------------------

OFFICERS = (
    ("Karin Lindqvist", "021-39 40 11", "070-311 22 33", "karin.lindqvist@malarporten.se"),
    ("Mikael Berg", "021-39 40 12", "070-311 22 44", "mikael.berg@malarporten.se"),
    ("Sara Holm", "021-39 40 13", "070-311 22 55", "sara.holm@malarporten.se"),
)
"""The case officer of each property (in the order of PROPERTIES)."""
INSPECTOR = ("Lars Öberg", "021-39 40 20", "070-311 22 66", "lars.oberg@malarporten.se")
SUPPLIERS = {
    "rör": ("Mälardalens Rör AB, Ahmed Hassan", "021-13 50 00", "073-512 33 10", "service@malardalensror.se"),
    "vitvaror": ("Vitvaruservice i Västerås, Lena Ström", "021-18 20 30", "070-218 20 31", "order@vitvaruservice.se"),
    "bygg": ("Fastighetsservice Mälardalen, Johan Ek", "021-44 10 00", "076-441 00 12", "johan.ek@fsmalardalen.se"),
}
TRADES = dict.fromkeys(("Blandare", "Golvbrunn", "Toalett", "Handdukstork", "Element"), "rör")
TRADES |= dict.fromkeys(
    ("KylFrys", "FrysStandard", "Spis", "Diskmaskin", "Tvattmaskin", "Torktumlare", "Torkskap"), "vitvaror"
)
CLASSIFICATIONS = {"Akut": 1, "Allvarligt": 2, "Normal": 3}
SERIOUS_FAULTS = ("Läcker", "Rinner", "Stopp i avloppet")
FAULTS = (
    ("Kök / Blandare", "Droppar", "Kranen i köket droppar hela tiden."),
    ("Kök / Kyl/Frys", "Kyler inte", "Kylskåpet håller bara 12 grader."),
    ("Kök / Kyl/Frys / Frys - Standard", "Is i frysfacket", "Det bildas tjock is i frysen."),
    ("Kök / Spis", "Plattan blir inte varm", "Den bakre vänstra plattan blir inte varm."),
    ("Kök / Diskmaskin", "Läcker", "Diskmaskinen läcker vatten på golvet."),
    ("Kök / Ventilation", "Drar dåligt", "Köksfläkten drar dåligt, det luktar mat i hela lägenheten."),
    ("Badrum / Golvbrunn", "Luktar", "Det luktar avlopp från golvbrunnen."),
    ("Badrum / Handdukstork", "Fungerar inte", "Handdukstorken blir inte varm."),
    ("Badrum / Toalett", "Rinner", "Toaletten står och rinner hela tiden."),
    ("Vardagsrum / Element", "Blir inte varmt", "Elementet är kallt fast termostaten står på max."),
    ("Sovrum 1 / Fönster", "Drar kallt", "Det drar kallt från fönstret i sovrummet."),
    ("Hall / Dörr", "Låset kärvar", "Låset i ytterdörren kärvar."),
)
"""Fault reports of the other tenants: place, fault description, what the tenant wrote."""
DEMO_OFFERS = (
    ("Vardagsrum", "Målas", "Malas", 10, "1840.00", "0.00", "Målning av väggar och tak, kulör enligt kulörkarta."),
    ("Sovrum 1", "Tapetseras", "Tapetseras", 12, "-350.00", "500.00", "Tapetsering, tapet ur standardsortimentet."),
    ("Kök", "Bytes", "Bytes", 20, "4200.00", "1000.00", "Byte av köksluckor och bänkskiva."),
)
"""The demo tenant's maintenance offer: place, measure, short name, interval (years), residual value, discount."""
INSPECTION_REMARKS = (
    ("Vardagsrum", "Djupa repor i parkettgolvet framför balkongdörren.", "Slipas", "Slipas", "2400.00"),
    ("Sovrum 1", "Hål i väggen efter hyllmontering, ej lagade.", "Spacklas och målas", "Malas", "850.00"),
    ("Kök / Spis", "Ugnen ej rengjord vid avflyttning.", "Rengörs", "Rengors", "600.00"),
    ("Badrum / Golvbrunn", "Golvbrunnen ej rensad.", "Rensas", "Rensas", "350.00"),
    ("Hall", "Normalt slitage på golvet, ingen anmärkning.", "Ingen åtgärd", "Ingen", "0.00"),
)
"""The move-out inspection of the demo flat: place, remark, measure, short name, charged to the outgoing tenant."""
INSPECTION_DAYS_BEFORE = 12


@dataclass(frozen=True)
class _Stage:
    """How far a case row has come: its status, process step and the history steps after it was registered."""

    status: tuple[str, str]
    step: tuple[str, str]
    history: tuple[str, ...]

    @property
    def closed(self) -> bool:
        return self.status[0] == "Avslutad"

    @property
    def with_supplier(self) -> bool:
        return "Hos leverantör" in self.history


NEW = _Stage(("Pagaende", "Pågående"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare",))
AT_SUPPLIER = _Stage(("Pagaende", "Pågående"), ("Leverantor", "Hos leverantör"), ("Hos handläggare", "Hos leverantör"))
WAITING = _Stage(
    ("Vantar", "Väntar på användaren"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare", "Väntar på hyresgästen")
)
DORMANT = _Stage(("Vilande", "Vilande"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare", "Vilande"))
DONE = _Stage(("Avslutad", "Avslutad"), ("Avslutad", "Avslutad"), ("Hos handläggare", "Hos leverantör", "Avslutad"))
CANCELLED = _Stage(("Avslutad", "Avslutad"), ("Annullerad", "Annullerad"), ("Hos handläggare", "Annullerad"))
INSPECTED = _Stage(("Avslutad", "Avslutad"), ("Avslutad", "Avslutad"), ("Hos besiktningsman", "Besiktad"))


@dataclass(frozen=True)
class _Fault:
    place: str
    fault: str
    text: str
    stage: _Stage
    image: tuple[StoredFile, str] | None = None


def _participant(person: tuple[str, str, str, str], **fields: Any) -> CaseParticipant:
    name, phone, mobile, email = person
    return CaseParticipant(role="handlaggare", visningsnamn=name, telefon=phone, mobil=mobile, epost=email, **fields)


class _CaseBook:
    """Builds the cases: numbers ``R-{YYMM}-{n from 1000}`` per month (A-30), rows with history, officers."""

    def __init__(self, context: _Context, catalogue: _Catalogue) -> None:
        self.context, self.catalogue = context, catalogue
        self.cases: list[Case] = []
        self.suppliers: list[tuple[Case, CaseRow, tuple[str, str, str, str]]] = []
        self._numbers: Counter[str] = Counter()

    def case(
        self,
        tenancy: _Tenancy,
        *,
        typ: str,
        ref: str,
        received: datetime,
        officer: tuple[str, str, str, str],
        **fields: Any,
    ) -> Case:
        month = f"{received:%y%m}"
        number = f"R-{month}-{1000 + self._numbers[month]}"
        self._numbers[month] += 1
        case = Case(
            nummer=number,
            typ=typ,
            typ_referensnamn=ref,
            customer_id=tenancy.customer.id,
            node_id=tenancy.flat.node.id,
            inkommen=received,
            participants=[_participant(officer)],
            rows=[],
            **fields,
        )
        self.cases.append(case)
        return case

    def row(
        self,
        case: Case,
        flat: _Flat,
        place: str | None,
        *,
        stage: _Stage,
        received: datetime,
        closed: datetime | None,
        reporter: str,
        officer: str,
        **fields: Any,
    ) -> CaseRow:
        """A row on ``place`` (the flat itself when None) with its history up to ``stage``."""
        steps = [("Registrerad", received, reporter)]
        for number, label in enumerate(stage.history, start=1):
            last = number == len(stage.history)
            moment = closed if last and closed is not None else received + timedelta(hours=2 + 22 * (number - 1))
            steps.append((label, moment, officer))
        row = CaseRow(
            node_path=flat.path(place),
            status_referensnamn=stage.status[0],
            status_beteckning=stage.status[1],
            processteg_referensnamn=stage.step[0],
            processteg_beteckning=stage.step[1],
            history=[
                CaseRowHistory(beteckning=label, tidpunkt=moment, anvandare=user) for label, moment, user in steps
            ],
            **fields,
        )
        case.rows.append(row)
        return row

    def time_point(self, kind: str, moment: datetime) -> CaseRowTimePoint:
        return CaseRowTimePoint(time_point_type_id=self.catalogue.time_points[kind].id, varde=moment)

    def save(self) -> None:
        """Insert the cases, then the suppliers handling single rows (they need the rows' ids)."""
        session = self.context.session
        session.add_all(self.cases)
        session.flush()
        session.add_all(
            _participant(person, case_id=case.id, case_row_id=row.id) for case, row, person in self.suppliers
        )


def _officer(flat: _Flat) -> tuple[str, str, str, str]:
    return OFFICERS[next(index for index, plan in enumerate(PROPERTIES) if flat.node.nummer.startswith(plan.number))]


def _fault_report(
    book: _CaseBook,
    tenancy: _Tenancy,
    *,
    received: datetime,
    faults: Sequence[_Fault],
    key: str = "Är hemma",
    key_note: str | None = None,
    **fields: Any,
) -> Case:
    """A fault report (``Order``) with a row per fault, each with its history, occurrence time point and image."""
    rng, catalogue = book.context.rng, book.catalogue
    latest = book.context.local(book.context.now) - timedelta(hours=1)
    officer = _officer(tenancy.flat)
    closing = [min(received + timedelta(days=rng.randint(2, 12), hours=rng.randint(1, 6)), latest) for _ in faults]
    case = book.case(
        tenancy,
        typ="Order",
        ref="Order",
        received=received,
        officer=officer,
        klar_senast=received + timedelta(days=14),
        avslutat=max(closing) if all(fault.stage.closed for fault in faults) else None,
        planerad_start=received + timedelta(days=3, hours=2) if any(f.stage.with_supplier for f in faults) else None,
        planerad_klar=received + timedelta(days=4, hours=8) if any(f.stage.with_supplier for f in faults) else None,
        **fields,
    )
    reporter = f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}"
    for fault, closed in zip(faults, closing, strict=True):
        place = tenancy.flat.places[fault.place]
        kind = place.kind if (place.kind, fault.fault) in catalogue.faults else None
        severity = "Allvarligt" if fault.fault in SERIOUS_FAULTS else "Normal"
        row = book.row(
            case,
            tenancy.flat,
            fault.place,
            stage=fault.stage,
            received=received,
            closed=closed if fault.stage.closed else None,
            reporter=reporter,
            officer=officer[0],
            beskrivning=fault.text,
            key_handling_type_id=catalogue.key_handling[key].id,
            key_handling_note=key_note,
            fault_description_type_id=catalogue.faults[(kind, fault.fault)].id,
            klassificering_id=CLASSIFICATIONS[severity],
            klassificering_system_name=severity,
            klassificering_beteckning=severity,
            atgard_skapad=received.date(),
            atgard_bestalld=(received + timedelta(days=1)).date() if fault.stage.with_supplier else None,
            atgard_planerad=received + timedelta(days=3, hours=2) if fault.stage.with_supplier else None,
            atgard_utford=closed.date() if fault.stage is DONE else None,
            time_points=[book.time_point("Intraffat", received - timedelta(hours=rng.randint(2, 48)))],
            media=[] if fault.image is None else [CaseRowMedia(file_id=fault.image[0].id, notering=fault.image[1])],
        )
        if fault.stage.with_supplier:
            book.suppliers.append((case, row, SUPPLIERS[TRADES.get(place.kind, "bygg")]))
    return case


def _cases(context: _Context, catalogue: _Catalogue, people: _People, files: _Files) -> None:
    """The demo tenant's cases, the neighbour's, and fault reports of other tenants over the last year."""
    book = _CaseBook(context, catalogue)
    _demo_cases(book, people, files)
    neighbour = people.neighbour
    now, rng = context.local(context.now), context.rng
    _fault_report(
        book,
        neighbour,
        received=now - timedelta(days=1, hours=3),
        faults=[
            _Fault(
                "Badrum / Golvbrunn",
                "Stopp i avloppet",
                "Vattnet rinner inte undan i duschen.",
                NEW,
                (files.drain, "Vattnet står kvar."),
            )
        ],
    )
    _maintenance_offer(
        book,
        neighbour,
        received=now - timedelta(days=40),
        answer_by=context.today - timedelta(days=5),
        offers=DEMO_OFFERS[:1],
    )
    others = [t for t in people.current(context.today) if t is not people.demo and t is not neighbour]
    for tenancy in rng.sample(others, 22):
        age = rng.randint(3, 400)
        stages = (DONE, DONE, DONE, CANCELLED) if age > 45 else (NEW, AT_SUPPLIER, WAITING, DORMANT, DONE)
        choices = [item for item in FAULTS if item[0] in tenancy.flat.places]
        faults = [
            _Fault(place, fault, text, rng.choice(stages))
            for place, fault, text in rng.sample(choices, rng.choice((1, 1, 2)))
        ]
        received = now.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59), second=0, microsecond=0) - timedelta(
            days=age
        )
        _fault_report(book, tenancy, received=received, faults=faults, key=rng.choice(KEY_HANDLING))
    book.save()


def _demo_cases(book: _CaseBook, people: _People, files: _Files) -> None:
    """Open and closed fault reports (one shared, one deleted), a maintenance offer to answer, the move-in inspection,
    a disturbance report and a closed request."""
    context, demo = book.context, people.demo
    now = context.local(context.now).replace(second=0, microsecond=0)
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=1, hours=20),
        faults=[
            _Fault(
                "Kök / Blandare",
                "Droppar",
                "Blandaren i köket droppar, även när den är helt avstängd.",
                AT_SUPPLIER,
                (files.tap, "Det droppar hela tiden."),
            ),
            _Fault("Kök / Kyl/Frys / Frys - Standard", "Fryser inte", "Frysen håller bara minus fem grader.", NEW),
        ],
        key="Huvudnyckel får användas",
        key_note="Katten är inne, stäng dörren efter er.",
        husdjur="Katt",
        share_key_digest=token_digest(DEMO_SHARE_KEY),
    )
    partner = Actor(
        visningsnamn="Jonas Andersson",
        fornamn="Jonas",
        efternamn="Andersson",
        mobil="070-987 65 43",
        epost="jonas.andersson@exempel.se",
        created_at=_utc(now - timedelta(days=2)),
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=2),
        faults=[_Fault("Sovrum 2 / Element", "Blir inte varmt", "Elementet i det lilla sovrummet är kallt.", WAITING)],
        key="Är hemma",
        contact_actor=partner,
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=150),
        faults=[_Fault("Badrum / Handdukstork", "Fungerar inte", "Handdukstorken är kall.", DONE)],
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=420),
        faults=[_Fault("Hall / Dörr", "Låset kärvar", "Låset kärvar, men det löste sig med låsspray.", CANCELLED)],
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=700),
        faults=[_Fault("Vardagsrum / Fönster", "Drar kallt", "Det drar från fönstret.", DONE)],
        borttagen=True,
    )
    _maintenance_offer(
        book, demo, received=now - timedelta(days=10), answer_by=context.today + timedelta(days=30), offers=DEMO_OFFERS
    )
    _inspection(book, people)
    disturbance = now - timedelta(days=3)
    disturbed = disturbance.replace(hour=23, minute=40) - timedelta(days=2)
    _general_case(
        book,
        demo,
        "Storning",
        received=disturbance,
        text="Hög musik och fest i lägenheten ovanför efter midnatt flera helger i rad.",
        stage=NEW,
        time_points={"Intraffat": disturbed},
    )
    wish = now - timedelta(days=90)
    _general_case(
        book,
        demo,
        "Onskemal",
        received=wish,
        text="Vi önskar fler cykelställ vid entrén till Skärgatan 12.",
        stage=CANCELLED,
        time_points={"OnskatDatum": (wish + timedelta(days=60)).replace(hour=12, minute=0)},
        closed=wish + timedelta(days=14),
    )


def _maintenance_offer(
    book: _CaseBook, tenancy: _Tenancy, *, received: datetime, answer_by: date, offers: Sequence[tuple[Any, ...]]
) -> Case:
    """A maintenance offer (``Underhåll``): optional work the tenant can accept until ``answer_by``."""
    officer = _officer(tenancy.flat)
    case = book.case(
        tenancy, typ="Underhåll", ref="Underhall", received=received, officer=officer, erbjudande_svar_senast=answer_by
    )
    for place, action, short, years, residual, discount, text in offers:
        book.row(
            case,
            tenancy.flat,
            place,
            stage=NEW,
            received=received,
            closed=None,
            reporter=officer[0],
            officer=officer[0],
            beskrivning=text,
            atgard_typ_beteckning=action,
            atgard_typ_kortbeteckning=short,
            atgard_intervall=years,
            atgard_intervall_enhet="ar",
            atgard_skapad=received.date(),
            atgard_planerad=datetime.combine(answer_by + timedelta(days=45), time(8, 0)),
            pris_restvarde=Decimal(residual),
            pris_rabatt=Decimal(discount),
        )
    return case


def _inspection(book: _CaseBook, people: _People) -> Case:
    """The inspection of the demo flat when the earlier tenant moved out and the demo tenant moved in."""
    outgoing, incoming = people.outgoing, people.demo
    inspected = datetime.combine(incoming.contract.fom - timedelta(days=INSPECTION_DAYS_BEFORE), time(10, 0))
    finished = inspected + timedelta(minutes=90)
    case = book.case(
        outgoing,
        typ="Besiktning",
        ref="Besiktning",
        received=inspected - timedelta(days=30),
        officer=INSPECTOR,
        incoming_customer_id=incoming.customer.id,
        processteg_referensnamn="Avslutad",
        processteg_beteckning="Avslutad",
        planerad_start=inspected,
        planerad_klar=finished,
        avslutat=finished,
    )
    for place, remark, action, short, charged in INSPECTION_REMARKS:
        book.row(
            case,
            incoming.flat,
            place,
            stage=INSPECTED,
            received=inspected - timedelta(days=30),
            closed=finished,
            reporter=INSPECTOR[0],
            officer=INSPECTOR[0],
            inspection_remark=remark,
            atgard_typ_beteckning=action,
            atgard_typ_kortbeteckning=short,
            atgard_skapad=inspected.date(),
            charged_outgoing=Decimal(charged),
        )
    return case


def _general_case(
    book: _CaseBook,
    tenancy: _Tenancy,
    kind: str,
    *,
    received: datetime,
    text: str,
    stage: _Stage,
    time_points: dict[str, datetime],
    closed: datetime | None = None,
) -> Case:
    """A general case (AllmantArende: disturbance, request) on the tenant's flat, with one row."""
    case_class = book.catalogue.classes[kind]
    officer = _officer(tenancy.flat)
    case = book.case(
        tenancy,
        typ=case_class.beteckning,
        ref=case_class.system_name,
        received=received,
        officer=officer,
        general=True,
        node_class_id=case_class.id,
        avslutat=closed,
    )
    book.row(
        case,
        tenancy.flat,
        None,
        stage=stage,
        received=received,
        closed=closed,
        reporter=f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}",
        officer=officer[0],
        beskrivning=text,
        klassificering_id=CLASSIFICATIONS["Normal"],
        klassificering_system_name="Normal",
        klassificering_beteckning="Normal",
        time_points=[book.time_point(point, moment) for point, moment in time_points.items()],
    )
    return case


# --- Laundry and access ---------------------------------------------------------------------------


def _laundry(context: _Context, properties: list[_Property], people: _People) -> None:
    """Laundry times in every laundry room, most past ones and some future ones booked by tenants of the property
    (at most two future bookings each); the demo tenant has two past and one coming booking, the neighbour one."""
    rng, today, now = context.rng, context.today, context.local(context.now)
    chosen = {
        (today - timedelta(days=6), 16): people.demo.customer,
        (today - timedelta(days=3), 10): people.demo.customer,
        (today + timedelta(days=2), 19): people.demo.customer,
        (today + timedelta(days=1), 7): people.neighbour.customer,
    }
    current = people.current(today)
    slots = []
    for estate in properties:
        fixed = chosen if people.demo.flat in estate.flats else {}
        tenants = [t.customer for t in current if t.flat in estate.flats and t not in (people.demo, people.neighbour)]
        coming: Counter[int] = Counter()
        for day in (today + timedelta(days=offset) for offset in LAUNDRY_DAYS):
            for start_hour, end_hour in LAUNDRY_HOURS:
                start, end = datetime.combine(day, time(start_hour)), datetime.combine(day, time(end_hour))
                customer = fixed.get((day, start_hour))
                if customer is None and rng.random() < (0.55 if start < now else 0.2):
                    customer = rng.choice(tenants)
                    if start >= now and coming[customer.id] >= 2:
                        customer = None
                booked = None if customer is None else _utc(min(start, now) - timedelta(hours=rng.randint(1, 96)))
                if customer is not None:
                    coming[customer.id] += start >= now
                slots.append(
                    {
                        "node_id": estate.laundry.id,
                        "start": start,
                        "end": end,
                        "customer_id": None if customer is None else customer.id,
                        "booked_at": booked,
                    }
                )
    _insert(context.session, LaundrySlot, slots)


def _access(context: _Context, people: _People) -> None:
    """The demo logins, the demo app's API key and the back office's staff token."""
    session, now = context.session, context.now
    service.add_login(session, customer_id=people.demo.customer.id, username=DEMO_USER, password=DEMO_PASSWORD, now=now)
    service.add_login(
        session, customer_id=people.neighbour.customer.id, username=NEIGHBOUR_USER, password=DEMO_PASSWORD, now=now
    )
    service.add_api_key(session, name="demo", now=now, value=DEMO_API_KEY)
    service.add_staff_token(session, name="demo", now=now, value=DEMO_STAFF_TOKEN)
