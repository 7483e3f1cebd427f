"""What every part of the demo shares: its accounts and constants, the plan of the world, the build context, and
date and amount helpers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from faker import Faker
from sqlalchemy import insert
from sqlalchemy.orm import Session
from stdnum import luhn

from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.models import (
    Contract,
    Customer,
    FaultDescriptionType,
    FileType,
    KeyHandlingType,
    Node,
    NodeClass,
    TimePointType,
)
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


@dataclass(frozen=True)
class Catalogue:
    """The types the tree and the cases refer to, by system name (fault descriptions by class and name)."""

    classes: dict[str, NodeClass]
    time_points: dict[str, TimePointType]
    faults: dict[tuple[str | None, str], FaultDescriptionType]
    key_handling: dict[str, KeyHandlingType]
    file_types: dict[str, FileType]


@dataclass(frozen=True)
class Place:
    """A room or component of a flat: the nodes from the room down, and the class of the last one."""

    nodes: tuple[Node, ...]
    kind: str


@dataclass(eq=False)
class Flat:
    """A flat as planned: its node, size, rent (of the latest notice period), equipment and places by label."""

    node: Node
    student: bool
    bedrooms: int
    area: int
    rent: Decimal
    washer: bool
    hot_water_meter: bool
    places: dict[str, Place] = field(default_factory=dict)

    def path(self, place: str | None = None) -> str:
        """The node path of the flat or of one of its places: ``n245612-n512431-n188452``."""
        nodes = (self.node, *self.places[place].nodes) if place else (self.node,)
        return "-".join(node_ref(node.id) for node in nodes)


@dataclass(eq=False)
class Property:
    """A property's node, its flats and its laundry room."""

    plan: PropertyPlan
    node: Node
    flats: list[Flat]
    laundry: Node


@dataclass(eq=False)
class Tenancy:
    """A customer's contract on a flat (current, ended or starting later)."""

    customer: Customer
    contract: Contract
    flat: Flat


@dataclass
class People:
    """Every tenancy, and the ones the demo story is about."""

    tenancies: list[Tenancy]
    demo: Tenancy
    neighbour: Tenancy
    outgoing: Tenancy
    """The tenant who lived in the demo flat before the demo tenant (the inspection's outgoing tenant)."""

    def current(self, today: date) -> list[Tenancy]:
        """The tenancies whose contract runs today."""
        return [
            t for t in self.tenancies if t.contract.fom <= today and (t.contract.tom is None or t.contract.tom >= today)
        ]


@dataclass(frozen=True)
class Context:
    """What every part of the seed uses: the session, the time and the seeded random sources."""

    session: Session
    now: datetime
    today: date
    rng: Random
    faker: Faker

    def local(self, moment: datetime) -> datetime:
        """A UTC moment as naive Swedish time."""
        return moment.astimezone(SWEDISH_TIME).replace(tzinfo=None)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month of ``first``."""
    year, month = divmod(first.year * 12 + first.month - 1 + months, 12)
    return date(year, month + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def next_weekday(day: date) -> date:
    """The next bank day after ``day`` (weekends skipped)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def utc(local: datetime) -> datetime:
    """Naive Swedish time as an aware UTC moment."""
    return local.replace(tzinfo=SWEDISH_TIME).astimezone(UTC)


def price_in(year: int, price: Decimal, price_year: int, quantum: Decimal = KRONA) -> Decimal:
    """What a price that is ``price`` in ``price_year`` is in ``year``, by the yearly rent increases."""
    for later in range(year + 1, price_year + 1):
        price /= _increase(later)
    for later in range(price_year + 1, year + 1):
        price *= _increase(later)
    return price.quantize(quantum)


def _increase(year: int) -> Decimal:
    return 1 + Decimal(RENT_INCREASES.get(year, "2.0")) / 100


def latest_period(today: date) -> date:
    """The rent period of the latest notice sent by ``today``: the month after its due date."""
    return add_months(month_start(_latest_due(today)), 1)


def _latest_due(today: date) -> date:
    """The due date of the latest rent notice sent by ``today`` (sent two weeks before the end of a month)."""
    due = month_end(today)
    while due - timedelta(days=NOTICE_LEAD_DAYS) > today:
        due = month_start(due) - timedelta(days=1)
    return due


def personnummer(born: date, serial: int) -> str:
    """A Swedish personnummer in 12 digits (``YYYYMMDDnnnc``): the Luhn check digit is over the 10-digit form."""
    short = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}{serial:03d}{luhn.calc_check_digit(short)}"


def ascii_folded(text: str) -> str:
    """``Åsa Öberg-Lind`` → ``asaoberg-lind``: for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in folded if char.isascii() and (char.isalnum() or char == "-"))


@dataclass(frozen=True)
class _BuildingPlan:
    number: str
    street: str
    flats: int
    per_floor: int


@dataclass(frozen=True)
class PropertyPlan:
    designation: str
    number: str
    postcode: str
    student: bool
    buildings: tuple[_BuildingPlan, ...]


Values = dict[str, Any]


def insert_rows(session: Session, model: type[Any], rows: Sequence[Values]) -> None:
    """Insert many rows of a table with one executemany (Core, no ORM objects: there are tens of thousands)."""
    if rows:
        session.execute(insert(model.__table__), rows)


def printed_postcode(code: str | None, country: str = "SE") -> str:
    """``72341`` → ``723 41`` (Swedish postcodes as printed)."""
    code = code or ""
    return f"{code[:3]} {code[3:]}" if country == "SE" and len(code) == 5 else code


def meter_reading(
    meter_id: int, month: date, used: Decimal, value: Decimal, *, cost: Decimal = ZERO, price: Decimal | None = None
) -> Values:
    """A month's reading of a meter (read at night after the month); priced when the consumption is billed."""
    return {
        "meter_id": meter_id,
        "datum": month,
        "tom": month_end(month),
        "forbrukning": used,
        "matarstallning": value,
        "kostnad": cost,
        "pris": None if price is None else cost,
        "apris": price,
        "debiterad": False,
        "debiteras_tidigast": None,
        "avlast_tid": datetime.combine(add_months(month, 1), time(2, 0)),
    }


INSPECTION_REMARKS = (
    ("Vardagsrum", "Djupa repor i parkettgolvet framför balkongdörren.", "Slipas", "Slipas", "2400.00"),
    ("Sovrum 1", "Hål i väggen efter hyllmontering, ej lagade.", "Spacklas och målas", "Malas", "850.00"),
    ("Kök / Spis", "Ugnen ej rengjord vid avflyttning.", "Rengörs", "Rengors", "600.00"),
    ("Badrum / Golvbrunn", "Golvbrunnen ej rensad.", "Rensas", "Rensas", "350.00"),
    ("Hall", "Normalt slitage på golvet, ingen anmärkning.", "Ingen åtgärd", "Ingen", "0.00"),
)
"""The move-out inspection of the demo flat: place, remark, measure, short name, charged to the outgoing tenant."""


INSPECTION_DAYS_BEFORE = 12
