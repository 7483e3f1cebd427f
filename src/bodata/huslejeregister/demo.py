"""Demo data: three Danish housing organisations with departments, building sections and about 300 dwellings,
and every entity of the interface reported through the same operations and rules as the web service: the
organisations', departments' and sections' extra data, each dwelling's fixed expenses, lease and extra data, unit
statuses (active, one eliminated, three new), an allocation agreement with its document and a sign-up per
organisation, a floor plan, two letting cooperations and an accessibility type. Users ``demo`` (organisations 1001
and 1002) and ``demo-vest`` (organisation 1003), both with the password ``demo``.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.demo import DemoData
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import bitemporal, handicap, organisations
from bodata.huslejeregister.bitemporal import KINDS
from bodata.huslejeregister.calls import Call, Caller, RegisterRules
from bodata.huslejeregister.models import Bolig, SoapUser
from bodata.huslejeregister.operations import HANDLERS
from bodata.huslejeregister.stamdata import OPTIONAL_COLUMNS, StamdataRow, import_stamdata

DEMO_USER, DEMO_PASSWORD = "demo", "demo"
OTHER_USER = "demo-vest"
REPORTED_FROM = datetime(2024, 1, 1, tzinfo=DANISH_TIME)
DELETED_IN_BBR = datetime(2024, 6, 1, tzinfo=DANISH_TIME)
SOLHOEJ = (1001, 3)
"""The department whose first dwelling is eliminated (a common room), the next three new units (status 0, never
reported; the third deleted in BBR): units to try the Enhed methods on."""

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
                            property_number=f"{municipality:03d}{number % 1000:03d}{department:03d}",
                            use_code=140,  # BBR: etagebolig
                            deleted_in_bbr=DELETED_IN_BBR if (number, department, index) == (*SOLHOEJ, 3) else None,
                            optional_columns=OPTIONAL_COLUMNS,
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


_EXPENSES = (
    # type, recipient (1 Udlejer, 2 Forsyningsselskab), included in the rent, amount per month (None: the rent)
    (1, 1, True, None),
    (2, 1, False, Decimal(650)),
    (3, 2, False, Decimal(180)),
    (4, 2, False, Decimal(120)),
    (5, 2, False, Decimal(0)),
    (6, 1, False, Decimal(0)),
    (7, 1, False, Decimal(0)),
)
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5f4b1f20000000049454e44ae426082"
)
PDF_NOTE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class OperationRefused(RuntimeError):
    """The register's rules refused an operation run by the demo or a seed file (the message lists the numbers)."""


def run_operation(call: Call, operation: str, **structure: Any) -> dict[str, Any]:
    """Run one operation as the web service would, refusing data the rules refuse (demo and seed files)."""
    output = HANDLERS[operation](replace(call, operation=operation, input=structure))
    result = output.get("MetodeResultatStruktur") or output.get("MetodeOpretResultatStruktur") or {}
    errors = result.get("ValideringsfejlStruktur") or []
    if errors:
        texts = [
            (item["ResultatStruktur"]["ResultatKode"], item["ResultatStruktur"]["ResultatTekst"]) for item in errors
        ]
        raise OperationRefused(f"{operation} refused: {texts}")
    return result


def _expenses_and_lease(call: Call, rng: Any, faker: Any, bolig: Bolig, number: int) -> None:
    unit = organisations.bolig_identification(bolig)
    rent = Decimal(rng.randrange(4000, 9000))
    for typekode, recipient, included, amount in _EXPENSES:
        run_operation(
            call,
            "BoligudgiftOpret",
            BoligudgiftStruktur={
                "BoligIdentifikationStruktur": unit,
                "KladdeIndikator": False,
                "BoligudgiftStartDato": date(2019, 1, 1),
                "BoligudgiftBeloeb": rent if amount is None else amount,
                "BoligudgiftModtagerTypeKode": recipient,
                "BoligudgiftIndeholdtIHuslejeIndikator": included,
                "BoligudgiftstypeKode": typekode,
            },
        )
    born = faker.date_of_birth(minimum_age=20, maximum_age=90)
    afdeling = bolig.byggeafsnit.afdeling
    run_operation(
        call,
        "LejekontraktOpret",
        LejekontraktStruktur={
            "LejekontraktIdentifikator": f"{afdeling.boligorganisation.nummer}-{afdeling.nummer}-{number:03d}",
            "BoligIdentifikationStruktur": unit,
            "KladdeIndikator": False,
            "LejekontraktStartDato": date(2019, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365)),
            "LejekontraktIndskudBeloeb": Decimal(rng.randrange(8, 40) * 1000),
            "LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator": False,
            "AnvisningstypeKode": rng.choice((1, 2, 4)),
            "LejerStruktur": [
                {"LejerNavnTekst": faker.name(), "PersonCivilRegistrationIdentifier": born.strftime("%d%m%y") + "0000"}
            ],
        },
    )


def _allocation(call: Call, organisation: Any, cooperation: uuid.UUID | None) -> None:
    """An allocation agreement with its document, and a sign-up for family dwellings, for one organisation."""
    owner = {"BoligorganisationIdentifikationStruktur": organisations.organisation_identification(organisation)}
    created = run_operation(
        call,
        "AnvisningsaftaleOpret",
        AnvisningsaftaleStruktur={**owner, "KladdeIndikator": True, "AnvisningsaftaleVersionStruktur": []},
    )
    agreement = {"AnvisningsaftaleUnikIdentifikator": created["EntitetReference"]}
    run_operation(
        call,
        "BilagOpret",
        BilagStruktur={
            "BilagIdentifikationStruktur": {
                "AnvisningsaftaleIdentifikationStruktur": agreement,
                "BilagIdentifikator": 1,
            },
            "BilagTypeKode": 1003,  # 1000 + Afdelingsintern (1) + Organisationsintern (2)
            "BilagNavnTekst": "anvisningsregler.pdf",
            "BilagIndholdData": PDF_NOTE,
            "BilagMimetypeTekst": "application/pdf",
        },
    )
    run_operation(
        call,
        "AnvisningsaftaleRet",
        AnvisningsaftaleStruktur={
            "AnvisningsaftaleIdentifikationStruktur": agreement,
            "KladdeIndikator": False,
            "AnvisningsaftaleVersionStruktur": [
                {
                    "VirkningFraDatoTid": REPORTED_FROM,
                    "AnvisningsaftaleNavnTekst": f"Intern oprykning i {organisation.navn}",
                    "AnvisningstypeKode": [1, 2],
                }
            ],
        },
    )
    version: dict[str, Any] = {
        "VirkningFraDatoTid": REPORTED_FROM,
        "BoligopskrivningEmailTekst": f"udlejning@org{organisation.nummer}.dk",
        "BoligopskrivningHjemmesideTekst": f"https://www.org{organisation.nummer}.dk/venteliste",
        "BoligopskrivningTelefonTekst": "+45 70 20 30 40",
        "BoligopskrivningGebyrUdefraKommendeBeloeb": Decimal(200),
        "BoligopskrivningGebyrAjourfoeringBeloeb": Decimal(100),
    }
    if cooperation is not None:
        version["UdlejningssamarbejdeReference"] = cooperation
    run_operation(
        call,
        "BoligopskrivningOpret",
        BoligopskrivningStruktur={
            **owner,
            "BoligTypeKode": 3,
            "KladdeIndikator": False,
            "BoligopskrivningVersionStruktur": [version],
        },
    )


def seed_demo(session: Session, demo: DemoData) -> None:
    now = demo.clock.now()
    rng = demo.random()
    rows = _stamdata(demo)
    import_stamdata(session, rows, now=now)
    registered = organisations.organisations_by_number(session, [number for number, *_ in ORGANISATIONS])
    everyone = Caller("demo-seed", frozenset(organisation.id for organisation in registered))
    register = RegisterRules()
    if not session.scalar(select(SoapUser).where(SoapUser.username == DEMO_USER)):
        organisations.add_user(session, DEMO_USER, DEMO_PASSWORD, [1001, 1002], now=now)
        organisations.add_user(session, OTHER_USER, DEMO_PASSWORD, [1003], now=now)
    for name, description in (
        ("Boligportal Hovedstaden", "Fælles venteliste for almene boliger i Hovedstadsområdet"),
        ("Aarhus Bolignet", "Udlejningssamarbejde mellem boligorganisationerne i Aarhus"),
    ):
        if name not in {
            item["UdlejningssamarbejdeNavnTekst"] for item in organisations.list_udlejningssamarbejder(session)
        }:
            organisations.add_udlejningssamarbejde(session, name, description)
    for organisation in registered:
        version = {"VirkningFraDatoTid": REPORTED_FROM, "BoligorganisationBeskrivelseTekst": f"{organisation.navn}."}
        _report(session, "Boligorganisation", organisation, version, now, register)
    call = Call(session, everyone, {}, now, register, "")
    faker = demo.faker("da_DK")
    by_unit = {bolig.bbr_id: bolig for bolig in session.scalars(select(Bolig))}
    solhoej = [by_unit[row.unit] for row in rows if (row.organisation, row.department) == SOLHOEJ]
    eliminated = solhoej[0]
    reported = [by_unit[row.unit] for row in rows if by_unit[row.unit] not in solhoej[:4]]
    for number, bolig in enumerate(reported, start=1):
        _expenses_and_lease(call, rng, faker, bolig, number)
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
                "ByggeafsnitIdentifikationStruktur": organisations.byggeafsnit_identification(first),
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
    for bolig in reported:
        version = _bolig_version(rng, bolig, bolig.byggeafsnit.afdeling.navn)
        _report(session, "Bolig", bolig, version, now, register)
        run_operation(call, "EnhedAktiver", EnhedIdentifikationStruktur=_unit(bolig), VirkningFraDatoTid=REPORTED_FROM)
    run_operation(
        call,
        "EnhedEliminer",
        EnhedIdentifikationStruktur=_unit(eliminated),
        VirkningFraDatoTid=REPORTED_FROM,
        EnhedElimineringAarsagKode=2,  # Fælleslokale
    )
    cooperations = {
        item["UdlejningssamarbejdeNavnTekst"]: item for item in organisations.list_udlejningssamarbejder(session)
    }
    hovedstaden = cooperations["Boligportal Hovedstaden"]["UdlejningssamarbejdeUnikIdentifikator"]
    for organisation in registered:
        _allocation(call, organisation, hovedstaden if organisation.nummer == 1001 else None)
    run_operation(
        call,
        "BilagOpret",
        BilagStruktur={
            "BilagIdentifikationStruktur": {
                "BoligIdentifikationStruktur": organisations.bolig_identification(reported[0]),
                "BilagIdentifikator": 1,
            },
            "BilagTypeKode": 2000,  # Plantegning
            "BilagNavnTekst": "plantegning.png",
            "BilagIndholdData": PNG_1X1,
            "BilagMimetypeTekst": "image/png",
        },
    )


def _unit(bolig: Bolig) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": bolig.bbr_id}


def _report(
    session: Session, kind: str, entity: Any, version: dict[str, Any], now: datetime, register: RegisterRules
) -> None:
    structure = {"KladdeIndikator": False, f"{kind}VersionStruktur": [version]}
    findings = bitemporal.ret(session, KINDS[kind], entity, structure, now=now, register=register)
    errors = [item for item in findings if not item.is_info]
    if errors:
        raise RuntimeError(f"demo {kind} refused: {[(item.number, item.text) for item in errors]}")
