"""Demo data: three Danish housing organisations with departments, building sections and about 300 dwellings,
their reported extra data (submitted through the same rules as the web service), fixed expenses and leases,
two letting cooperations, an accessibility type, and the users ``demo`` (organisations 1001 and 1002) and
``demo-vest`` (organisation 1003), both with the password ``demo``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.demo import DemoData
from bodata.huslejeregister import handicap, service
from bodata.huslejeregister.models import Bolig, Boligudgift, Lejekontrakt, SoapUser
from bodata.huslejeregister.service import KINDS, Caller, RegisterRules
from bodata.huslejeregister.soap import DANISH_TIME
from bodata.huslejeregister.stamdata import StamdataRow, import_stamdata

DEMO_USER, DEMO_PASSWORD = "demo", "demo"
OTHER_USER = "demo-vest"
REPORTED_FROM = datetime(2024, 1, 1, tzinfo=DANISH_TIME)

# (number, name, municipality, postcode, town street names, departments: (number, name, sections, dwellings))
ORGANISATIONS = (
    (
        1001,
        "Boligselskabet Fjordbo",
        101,
        2400,
        ((1, "Fjordparken", 2, 60), (2, "Kildegården", 1, 36), (3, "Solhøj Ungdomsboliger", 1, 24)),
    ),
    (1002, "Andelsboligforeningen Lindely", 751, 8200, ((1, "Lindely Øst", 2, 54), (2, "Lindely Vest", 1, 40))),
    (1003, "Vestjysk Almene Boliger", 657, 7400, ((1, "Engparken", 2, 48), (2, "Ældreboligerne Hedebo", 1, 30))),
)


def _stamdata(demo: DemoData) -> list[StamdataRow]:
    faker, rng = demo.faker("da_DK"), demo.random()
    rows = []
    for number, name, municipality, postcode, departments in ORGANISATIONS:
        for department, department_name, sections, dwellings in departments:
            per_section = dwellings // sections
            for section in range(1, sections + 1):
                street, street_code = faker.street_name(), rng.randint(100, 9999)
                for index in range(per_section):
                    house, floor = 1 + 2 * (index // 12), index % 12 // 3
                    rows.append(
                        StamdataRow(
                            organisation=number,
                            organisation_name=name,
                            department=department,
                            department_name=department_name,
                            section=section,
                            unit=uuid.UUID(int=rng.getrandbits(128), version=4),
                            street_code=street_code,
                            street=street,
                            house_number=str(house),
                            floor="st" if floor == 0 else str(floor),
                            door=("tv", "mf", "th")[index % 3],
                            postcode=postcode,
                            municipality=municipality,
                            gross_area=Decimal(rng.randrange(38, 120)),
                        )
                    )
    return rows


def _bolig_version(rng: Any, bolig: Bolig, department_name: str) -> dict[str, Any]:
    youth = "Ungdom" in department_name
    senior = "Ældre" in department_name
    version: dict[str, Any] = {
        "VirkningFraDatoTid": REPORTED_FROM,
        "BoligLejerTypeKode": 1,
        "BoligOpvarmningsformKode": rng.choice((1, 1, 1, 2, 3)),
        "BoligKoekkenKunForLejerIndikator": True,
        "BoligGarageKode": rng.choice((2, 2, 3)),
        "BoligCarportKode": rng.choice((1, 2, 2, 3)),
        "BoligIndvendigVedligeholdelseLejerKode": rng.choice((1, 2)),
        "BoligUdvendigVedligeholdelseLejerKode": 1,
        "BoligBevaegelseshaemmetEgnetIndikator": senior or bolig.etage == "st",
        "BoligKollegievaerelseIndikator": False,
        "BoligTypeKode": 2 if youth else 1 if senior else 3,
        "BoligAktueltIndskudBeloeb": Decimal(rng.randrange(8, 40) * 1000),
        "BoligURLTekst": f"https://www.{department_name.split()[0].lower()}.dk/bolig/{bolig.bbr_id.hex[:8]}",
    }
    if rng.random() < 0.1:
        version["BoligStoetteBerettigetArealKvantitet"] = bolig.bruttoareal - 3
        version["BoligStoetteBerettigetArealAarsagKode"] = 1
    return version


def _expenses_and_lease(session: Session, rng: Any, bolig: Bolig, now: datetime) -> None:
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
    rent = Decimal(rng.randrange(4000, 9000))
    for typekode, amount in (
        (1, rent),
        (2, Decimal(650)),
        (3, Decimal(180)),
        (4, Decimal(120)),
        (5, Decimal(0)),
        (6, Decimal(0)),
        (7, Decimal(0)),
    ):
        session.add(
            Boligudgift(
                bolig_id=bolig.id,
                kladde=False,
                typekode=typekode,
                start_dato=date(2019, 1, 1),
                data={"BoligudgiftBeloeb": str(amount)},
                oprettet=now,
                aendret=now,
                opdateret=now,
            )
        )
    session.add(
        Lejekontrakt(
            bolig_id=bolig.id,
            kladde=False,
            start_dato=start,
            data={"AnvisningstypeKode": rng.choice((1, 2, 4))},
            oprettet=now,
            aendret=now,
            opdateret=now,
        )
    )


def seed_demo(session: Session, demo: DemoData) -> None:
    now = demo.clock.now()
    rng = demo.random()
    import_stamdata(session, _stamdata(demo))
    organisations = service.organisations_by_number(session, [number for number, *_ in ORGANISATIONS])
    everyone = Caller("demo-seed", frozenset(organisation.id for organisation in organisations))
    register = RegisterRules()
    if not session.scalar(select(SoapUser).where(SoapUser.username == DEMO_USER)):
        service.add_user(session, DEMO_USER, DEMO_PASSWORD, [1001, 1002], now=now)
        service.add_user(session, OTHER_USER, DEMO_PASSWORD, [1003], now=now)
    for name, description in (
        ("Boligportal Hovedstaden", "Fælles venteliste for almene boliger i Hovedstadsområdet"),
        ("Aarhus Bolignet", "Udlejningssamarbejde mellem boligorganisationerne i Aarhus"),
    ):
        if name not in {item["UdlejningssamarbejdeNavnTekst"] for item in service.list_udlejningssamarbejder(session)}:
            service.add_udlejningssamarbejde(session, name, description)
    for organisation in organisations:
        version = {"VirkningFraDatoTid": REPORTED_FROM, "BoligorganisationBeskrivelseTekst": f"{organisation.navn}."}
        _report(session, "Boligorganisation", organisation, version, now, register)
    for bolig in session.scalars(select(Bolig)):
        if session.scalar(select(Lejekontrakt.id).where(Lejekontrakt.bolig_id == bolig.id)) is None:
            _expenses_and_lease(session, rng, bolig, now)
    session.flush()
    for afdeling in {bolig.byggeafsnit.afdeling for bolig in session.scalars(select(Bolig))}:
        version = {
            "VirkningFraDatoTid": REPORTED_FROM,
            "AfdelingBeskrivelseTekst": f"{afdeling.navn}: grønne fællesarealer, fælleshus og legeplads.",
            "AfdelingMinAlderAeldreboligKvantitet": 65 if "Ældre" in afdeling.navn else None,
            "AfdelingFortrinsretEfterUdlejningsbekendtgoerelseIndikator": False,
        }
        _report(session, "Afdeling", afdeling, version, now, register)
    sections = {bolig.byggeafsnit for bolig in session.scalars(select(Bolig))}
    for byggeafsnit in sections:
        version = {
            "VirkningFraDatoTid": REPORTED_FROM,
            "ByggeafsnitInternetforbindelseIndikator": True,
            "ByggeafsnitAntenneforeningIndikator": rng.random() < 0.5,
            "ByggeafsnitPortTelefonIndikator": True,
            "ByggeafsnitVaskeriIndikator": True,
            "HusdyrStruktur": [
                {
                    "BoligTypeKode": kode,
                    "HusdyrTilladtIndikator": False,
                    "HusdyrKatTilladtIndikator": True,
                    "HusdyrHundTilladtIndikator": kode != 2,
                    "HusdyrMindreDyrTilladtIndikator": True,
                }
                for kode in (1, 2, 3, 4)
            ],
        }
        _report(session, "Byggeafsnit", byggeafsnit, version, now, register)
    first = min(sections, key=lambda item: (item.afdeling.boligorganisation.nummer, item.afdeling.nummer, item.nummer))
    handicap.ret_types(
        session,
        everyone,
        [
            {
                "ObjektStatusKode": handicap.CREATE,
                "ByggeafsnitIdentifikationStruktur": service.byggeafsnit_identification(first),
                "HandicapBoligTypeTitelTekst": "Stueetage med niveaufri adgang",
                "HandicapSpoergsmaalListe": {
                    "HandicapSpoergsmaalStruktur": [
                        {
                            "HandicapSpoergsmaalIdentifikator": "A1",
                            "HandicapRegistreringStruktur": {"HandicapSvarIdentifikator": "J"},
                        },
                        {
                            "HandicapSpoergsmaalIdentifikator": "A2",
                            "HandicapRegistreringStruktur": {"HandicapRegistreringNumeriskVaerdiKvantitet": 0},
                        },
                    ]
                },
            }
        ],
        save=True,
    )
    for bolig in session.scalars(select(Bolig)):
        version = _bolig_version(rng, bolig, bolig.byggeafsnit.afdeling.navn)
        _report(session, "Bolig", bolig, version, now, register)


def _report(
    session: Session, kind: str, entity: Any, version: dict[str, Any], now: datetime, register: RegisterRules
) -> None:
    structure = {"KladdeIndikator": False, f"{kind}VersionStruktur": [version]}
    findings = service.ret(session, KINDS[kind], entity, structure, now=now, register=register)
    errors = [item for item in findings if not item.is_info]
    if errors:
        raise RuntimeError(f"demo {kind} refused: {[(item.number, item.text) for item in errors]}")
