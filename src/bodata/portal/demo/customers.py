"""The demo's customers and contracts: tenants past and present with contact details, addresses, market profiles
and logins."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from sqlalchemy import select

from bodata.core.security import token_digest
from bodata.portal.demo.base import (
    DEMO_FLAT,
    HISTORY_MONTHS,
    NEIGHBOUR_FLAT,
    VALIDATION_KEY,
    Context,
    Flat,
    People,
    Property,
    Tenancy,
    add_months,
    ascii_folded,
    latest_period,
    month_start,
    personnummer,
    price_in,
    utc,
)
from bodata.portal.models import (
    ContactDetail,
    Contract,
    Customer,
    CustomerAddress,
    OutboxMessage,
)

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


def _random_person(context: Context, *, student: bool, foreign: tuple[str, str, bool] | None = None) -> _Person:
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
    flat: Flat
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


def _tenancy_plans(context: Context, properties: list[Property]) -> list[_TenancyPlan]:
    """Who rents which flat when: current tenants, tenants who moved out (some in the last three years), a few
    empty flats (one let from next month), and the demo tenant who moved in three years ago."""
    rng, today = context.rng, context.today
    this_month = month_start(today)
    window = add_months(this_month, -HISTORY_MONTHS)
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
            moved_in = add_months(window, rng.randint(3, HISTORY_MONTHS - 3))
            left = moved_in - timedelta(days=1)
        elif flat in empty:
            moved_in = add_months(this_month, 1) if flat is empty[0] else None
            left = add_months(this_month, -rng.randint(1, 5)) - timedelta(days=1)
        else:
            moved_in, left = add_months(this_month, -rng.randint(2, 12 * 12)), None
        if left is not None:
            plans.append(_TenancyPlan(flat, add_months(month_start(left), -rng.randint(14, 150)), left))
        if moved_in is not None:
            plans.append(_TenancyPlan(flat, moved_in, None))
    return plans


def add_people(context: Context, properties: list[Property]) -> People:
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
    rent_year = latest_period(context.today).year
    for plan, customer in zip(plans, customers, strict=True):
        number = plan.flat.node.nummer
        sequence[number] += 1
        rent = plan.flat.rent if plan.tom is None else price_in(plan.tom.year, plan.flat.rent, rent_year)
        contract = Contract(
            avtalsnummer=f"{number}-{sequence[number]:02d}",
            customer_id=customer.id,
            node_id=plan.flat.node.id,
            fom=plan.fom,
            tom=plan.tom,
            monthly_rent=rent,
        )
        tenancies.append(Tenancy(customer, contract, plan.flat))
    session.add_all(tenancy.contract for tenancy in tenancies)
    people = People(
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


def _customer(context: Context, plan: _TenancyPlan, kundnummer: str, person: _Person) -> Customer:
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
        created_at=utc(signed),
    )


def _market_profile(context: Context, plan: _TenancyPlan, signed: datetime) -> dict[str, Any]:
    """A market profile as the lettings module keeps it (portal.md §2.8; A-7: one object per part)."""
    rng, faker = context.rng, context.faker
    registered = signed - timedelta(days=rng.randint(200, 2000))
    income = STUDENT_INCOME if plan.flat.student else rng.choice(INCOME_TYPES)
    income = INCOME_TYPES[0] if plan.demo else income
    employed = income[0] == "Anstallning"
    education = EDUCATIONS[0] if plan.flat.student else rng.choice(EDUCATIONS)
    studied_from = month_start(registered.date() - timedelta(days=rng.randint(0, 3000)))
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
            "Tom": None if plan.flat.student else add_months(studied_from, rng.choice((24, 36, 60))).isoformat(),
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


def _contact_details(context: Context, tenancy: Tenancy, people: People) -> None:
    """E-mail for most, a mobile number for most, a home phone for some; the demo tenants have all three."""
    rng, customer = context.rng, tenancy.customer
    chosen = tenancy is people.demo or tenancy is people.neighbour
    details = []
    if chosen or rng.random() < 0.9:
        domain = "exempel.se" if chosen else rng.choice(EMAIL_DOMAINS)
        email = f"{ascii_folded(customer.fornamn)}.{ascii_folded(customer.efternamn)}@{domain}"
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


def _pending_validation(context: Context, people: People) -> None:
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


def _flat_address(tenancy: Tenancy, kind: str, fom: date | None = None, tom: date | None = None) -> CustomerAddress:
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


def _other_address(context: Context, tenancy: Tenancy, kind: str, **fields: Any) -> CustomerAddress:
    faker = context.faker
    defaults = {
        "namn": f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}",
        "gatuadress1": faker.street_address(),
        "postnummer": faker.postcode().replace(" ", ""),
        "postort": faker.city(),
        "land": "SE",
    }
    return CustomerAddress(customer_id=tenancy.customer.id, kind=kind, **(defaults | fields))


def _addresses(context: Context, tenancy: Tenancy, people: People) -> None:
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


def _temporary_addresses(context: Context, people: People) -> None:
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
