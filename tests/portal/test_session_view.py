"""E1 ``GET /session``: every Hämta flag alone and together, the JSON of each section, defaults and access (A-6)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bodata.app import create_app
from bodata.portal import service
from bodata.portal.models import (
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    Contract,
    Customer,
    CustomerAddress,
    Document,
    FileType,
    Invoice,
    InvoiceDistribution,
    LedgerEntry,
    LedgerRow,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    Payment,
    StoredFile,
)
from bodata.portal.service_entry import SERVICE
from bodata.portal.view import market_profile_json

from .conftest import NOW, Portal, portal_settings
from .fixtures import API_KEY, World

pytestmark = pytest.mark.sqlite_only  # plain rules: see tests/conftest.py

ALL_FLAGS = {
    "HämtaKund": "true",
    "HämtaMarknadProfil": "true",
    "HämtaKontaktuppgifter": "true",
    "HämtaKundEkonomi": "true",
    "HämtaTillfälligaAdresser": "true",
    "HämtaDokument": "true",
    "HämtaKundEkonomiAviseringar": "true",
    "HämtaÄrende": "true",
    "HämtaÄrendeRader": "true",
    "HämtaTillgängligaObjekt": "true",
    "HämtaUnderhåll": "true",
    "HämtaMätdata": "true",
    "HämtaKundMeddelanden": "true",
    "HämtaÄrendeRaderMediaBytes": "true",
}
MARKET_PROFILE = {
    "Skapad": "2019-01-01T10:00:00",
    "MarknadAktörInkomst": {"MarknadAktörInkomstId": 1, "Arbetsgivare": "Momentum Software"},
    "MarknadAktörUtbildning": {"MarknadAktörUtbildningId": 2, "Lärosäte": "Lunds Universitet"},
    "MarknadAktörBoende": {"Namn": "Stena Fastigheter AB"},
    "MarknadAktörHushåll": {"AntalVuxna": 2, "AntalBarn": 0},
    "MarknadIntresse": {"MarknadIntresseId": 3, "Nummer": "339-026-01"},
    "MarknadEkonomi": {"Borgensman": True, "Deposition": True, "Kapital": False},
}
IMAGE = b"\x89PNG\r\n\x1a\n" + b"bild" * 8


# --- Data builders (also used by the statement-count test) -----------------------------------------


def stored_file(session: Session, data: bytes, *, mime_type: str, extension: str) -> StoredFile:
    """A stored file with these bytes."""
    file = StoredFile(
        mime_type=mime_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=NOW,
    )
    session.add(file)
    session.flush()
    return file


def add_invoice(
    session: Session,
    *,
    customer_id: int,
    contract_id: int,
    node_id: int,
    number: str,
    due: date,
    kind: str = "Avi",
    rest: Decimal = Decimal("1900"),
) -> Invoice:
    """A notice of 7900 with one ledger entry (base rent and metered hot water), a payment and a distribution."""
    invoice = Invoice(
        customer_id=customer_id,
        contract_id=contract_id,
        avinummer=number,
        typ_referensnamn=kind,
        typ_beteckning=kind[0],
        betalningsreferens=f"OCR{number}",
        mottagare_nummer="5050-1055",
        forfallodag=due,
        nettobelopp=Decimal("7900"),
        momsbelopp=Decimal("0"),
        bruttobelopp=Decimal("7900"),
        inbetalt_belopp=Decimal("7900") - rest,
        restbelopp=rest,
        fordelat_belopp=Decimal("120"),
        att_betala=rest,
        created_at=NOW,
    )
    session.add(invoice)
    session.flush()
    entry = LedgerEntry(
        invoice_id=invoice.id,
        node_id=node_id,
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
                spec_avser_fom=date(2014, 7, 1),
                spec_avser_tom=date(2014, 7, 31),
                spec_kalla_beteckning="Kök",
                spec_kalla_identitet="432105",
                spec_varde_fom=Decimal("13.432"),
                spec_varde_tom=Decimal("14.532"),
                spec_mangd=Decimal("1.100"),
                spec_mangdenhet="m3",
                spec_apris=Decimal("48"),
                spec_debiteringsfri_tom=date(2014, 4, 30),
                spec_debiteringsfritt_netto=Decimal("53"),
                spec_debiteringsfritt_moms=Decimal("0"),
                spec_debiteringsfritt_total=Decimal("53"),
            ),
            Payment(
                invoice_id=invoice.id,
                betalvag="Manuell inbetalning via bankgiro",
                belopp=Decimal("7900") - rest,
                betalningsdag=due - timedelta(days=3),
                bokforingsdag=due - timedelta(days=2),
            ),
            InvoiceDistribution(
                invoice_id=invoice.id,
                typ="epost",
                adress="anna@example.se",
                distribuerad=datetime.combine(due - timedelta(days=16), datetime.min.time()).replace(hour=13),
            ),
        ]
    )
    session.flush()
    return invoice


def add_case(session: Session, *, customer_id: int, node_path: list[int], number: str, image: bytes = IMAGE) -> Case:
    """A fault report on the first node of ``node_path`` with one row, its history, an officer and an image."""
    case = Case(
        nummer=number,
        typ="Order",
        typ_referensnamn="Order",
        customer_id=customer_id,
        node_id=node_path[0],
        inkommen=datetime(2026, 11, 2, 8, 15),
    )
    session.add(case)
    session.flush()
    row = CaseRow(case_id=case.id, node_path="-".join(f"n{node_id}" for node_id in node_path), beskrivning="Droppar")
    session.add(row)
    session.flush()
    file = stored_file(session, image, mime_type="image/png", extension=".png")
    session.add_all(
        [
            CaseRowHistory(case_row_id=row.id, beteckning="Hos handläggare", tidpunkt=case.inkommen, anvandare="Kalle"),
            CaseRowHistory(
                case_row_id=row.id, beteckning="Hos leverantör", tidpunkt=datetime(2026, 11, 3, 9, 0), anvandare="Kalle"
            ),
            CaseParticipant(case_id=case.id, visningsnamn="Kalle Svensson", telefon="021-123456"),
            CaseRowMedia(case_row_id=row.id, file_id=file.id, notering="Under diskbänken"),
        ]
    )
    session.flush()
    return case


def session_view(portal: Portal, tenant: str = "anna", **params: str) -> dict[str, Any]:
    """``GET /session`` as ``tenant``, asserting 200."""
    response = portal.get("/session", tenant=tenant, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def filled(result: dict[str, Any]) -> set[str]:
    """Which sections and sub-sections of a PortalSession are filled (not null)."""
    sections = set()
    kund = result["Kund"]
    if kund is not None:
        sections.add("Kund")
        parts = ("Kontaktuppgifter", "TillfälligaAdresser", "Dokument", "Meddelanden", "MarknadAktörBoende")
        sections.update(f"Kund.{part}" for part in parts if kund[part] is not None)
        if kund["Ekonomi"] is not None:
            sections.add("Kund.Ekonomi")
            if kund["Ekonomi"]["Aviseringar"] is not None:
                sections.add("Kund.Ekonomi.Aviseringar")
    if result["Ärenden"] is not None:
        sections.add("Ärenden")
        if all(case["Rader"] is not None for case in result["Ärenden"]):
            sections.add("Ärenden.Rader")
            if any(media["Media"] is not None for case in result["Ärenden"] for media in case["Rader"][0]["Media"]):
                sections.add("Ärenden.Rader.MediaBytes")
    if result["TillgängligaObjekt"] is not None:
        sections.add("TillgängligaObjekt")
        for part in ("ÄrendeRader", "Underhåll", "MätdataAnläggningar"):
            if all(item[part] is not None for item in result["TillgängligaObjekt"]):
                sections.add(f"TillgängligaObjekt.{part}")
    return sections


@pytest.fixture
def rich(portal: Portal) -> Portal:
    """The small world plus what every section of Anna's session shows: a market profile, a Faktura, temporary
    addresses, documents, a message, maintenance, meter readings and an image on her case; and Bertil's own."""
    world = portal.world
    with portal.database.transaction() as session:
        session.execute(update(Customer).where(Customer.id == world.anna).values(market_profile=MARKET_PROFILE))
        session.execute(
            update(CaseRow)
            .where(CaseRow.case_id == world.anna_case)
            .values(atgard_bestalld=date(2026, 11, 2), pris_restvarde=Decimal("122.22"))
        )
        add_invoice(
            session,
            customer_id=world.anna,
            contract_id=world.anna_contract,
            node_id=world.flat1,
            number="F-490",
            due=date(2026, 9, 30),
            kind="Faktura",
            rest=Decimal("490"),
        )
        session.add_all(
            [
                CustomerAddress(
                    customer_id=world.anna,
                    kind="tillfallig",
                    namn="Anna Andersson",
                    gatuadress1="Sommarvägen 1",
                    postnummer="80426",
                    postort="Gävle",
                    land="SE",
                    fom=date(2026, 11, 1),
                    tom=date(2026, 11, 30),
                ),
                CustomerAddress(
                    customer_id=world.anna,
                    kind="tillfallig",
                    gatuadress1="Förra sommaren 2",
                    postnummer="80426",
                    postort="Gävle",
                    land="SE",
                    fom=date(2025, 6, 1),
                    tom=date(2025, 8, 31),
                ),
                MaintenanceItem(
                    node_id=world.flat1,
                    atgard="Bytes",
                    avser="Badrum 1 / Handukstork",
                    planerat=date(2027, 9, 1),
                    bestalld=date(2026, 9, 24),
                ),
                MaintenanceItem(node_id=world.flat1, atgard="Målas", avser="Kök", planerat=date(2027, 3, 1)),
                MaintenanceItem(node_id=world.flat2, atgard="Bytes", avser="Bertils kök", planerat=date(2027, 1, 1)),
            ]
        )
        agreement = FileType(beteckning="Hyresavtal", ordning=10)
        manual = FileType(beteckning="Tvättstuga", ordning=50)
        session.add_all([agreement, manual])
        session.flush()
        pdf = stored_file(session, b"%PDF-1.4 avtal", mime_type="application/pdf", extension=".pdf")
        session.add_all(
            [
                Document(
                    customer_id=world.anna,
                    contract_id=world.anna_contract,
                    node_id=world.laundry,
                    file_type_id=manual.id,
                    beteckning="Tvättmaskin 1",
                    webbadress="http://www.exempel.com/Bruksanvisning.html",
                    meddelande="Bruksanvisning för tvättmaskin 1.",
                ),
                Document(
                    customer_id=world.anna,
                    contract_id=world.anna_contract,
                    node_id=world.flat1,
                    file_type_id=agreement.id,
                    file_id=pdf.id,
                    beteckning="Hyresavtal 142-043-01",
                ),
                Document(
                    customer_id=world.bertil, node_id=world.flat2, file_type_id=agreement.id, beteckning="Bertils avtal"
                ),
            ]
        )
        installation = MeterInstallation(node_id=world.flat1, anvandning="Vatten", beteckning="142-043-01 Vatten")
        session.add(installation)
        session.flush()
        meter = Meter(installation_id=installation.id, anvandning="Varmvatten", beteckning="Kök", enhet="m3")
        session.add(meter)
        session.flush()
        session.add_all(
            [
                MeterReading(
                    meter_id=meter.id,
                    datum=date(2026, 9, 30),
                    tom=date(2026, 9, 30),
                    forbrukning=Decimal("1.100"),
                    matarstallning=Decimal("14.532"),
                    kostnad=Decimal("53"),
                    debiterad=True,
                    avlast_tid=datetime(2026, 10, 1, 6, 0),
                    pris=Decimal("85"),
                    apris=Decimal("0.85"),
                    debiteras_tidigast=date(2026, 11, 1),
                ),
                MeterReading(
                    meter_id=meter.id,
                    datum=date(2026, 8, 31),
                    tom=date(2026, 8, 31),
                    forbrukning=Decimal("1.2"),
                    matarstallning=Decimal("13.432"),
                    kostnad=Decimal("58"),
                    avlast_tid=datetime(2026, 9, 1, 6, 0),
                ),
            ]
        )
        notification = Notification(customer_id=world.anna, created_at=NOW - timedelta(days=2))
        session.add(notification)
        session.flush()
        attachment = stored_file(session, b"jpeg", mime_type="image/jpeg", extension=".jpeg")
        session.add_all(
            [
                NotificationChannel(
                    notification_id=notification.id,
                    kanal_system_name="Nyhet",
                    kanal_beteckning="Utsida nyhet",
                    notifierad=True,
                    klar_utc=datetime(2026, 11, 21, 9, 34, 9, 477000, tzinfo=UTC),
                    amne="Stambyte",
                    brodtext="Hej Anna, stambytet börjar i mars.",
                ),
                NotificationAttachment(
                    notification_id=notification.id, externt_id=12345, externt_namn="Bilaga1.jpg", file_id=attachment.id
                ),
            ]
        )
        file = stored_file(session, IMAGE, mime_type="image/png", extension=".png")
        session.add(CaseRowMedia(case_row_id=_first_row(session, world.anna_case), file_id=file.id, notering="Frysen"))
    return portal


def _first_row(session: Session, case_id: int) -> int:
    return session.scalars(select(CaseRow.id).where(CaseRow.case_id == case_id).order_by(CaseRow.id)).first()


# --- Defaults and flags ---------------------------------------------------------------------------


def test_without_flags_the_session_holds_the_customer_and_the_available_objects(portal: Portal) -> None:
    world = portal.world
    result = session_view(portal)
    assert list(result) == ["Kund", "Ärenden", "TillgängligaObjekt"]
    assert result["Ärenden"] is None
    kund = result["Kund"]
    assert kund["Kundinformation"] == {
        "Förnamn": "Anna",
        "Efternamn": "Andersson",
        "Personnummer": "198112189876",
        "Kundnummer": "15555",
    }
    assert {name: value for name, value in kund.items() if name != "Kundinformation"} == {
        "Ekonomi": None,
        "Kontaktuppgifter": None,
        "TillfälligaAdresser": None,
        "Dokument": None,
        "Skapad": None,
        "MarknadAktörInkomst": None,
        "MarknadAktörUtbildning": None,
        "MarknadAktörBoende": None,
        "MarknadAktörHushåll": None,
        "MarknadIntresse": None,
        "MarknadEkonomi": None,
        "Meddelanden": None,
    }
    flat = {"Id": f"n{world.flat1}", "Typ": "Nod", "Visningstext": "Lägenhet", "Avser": f"n{world.flat1}"}
    laundry = {"Id": f"n{world.laundry}", "Typ": "Nod", "Visningstext": "Tvättstuga", "Avser": f"n{world.laundry}"}
    address = {
        "Gatuadress1": "Skärgatan 4",
        "Gatuadress2": None,
        "Postnummer": "72131",
        "Postort": "Västerås",
        "Land": "Sverige",
    }
    assert result["TillgängligaObjekt"] == [
        {
            "Typ": "Bostad",
            "Typbeteckning": "Bostad",
            "ObjektTypBeteckning": "Lägenhet",
            "Nummer": "142-043-01",
            "Användning": [{"Referensnamn": "Felanmälan"}],
            "Entitet": flat,
            "Nod": flat,
            "Adress": address,
            "ÄrendeRader": None,
            "Underhåll": None,
            "MätdataAnläggningar": None,
        },
        {
            "Typ": "Tvattstuga",
            "Typbeteckning": "Tvättstuga",
            "ObjektTypBeteckning": "Tvättstuga",
            "Nummer": "142-900-01",
            "Användning": [{"Referensnamn": "Felanmälan"}],
            "Entitet": laundry,
            "Nod": laundry,
            "Adress": address,
            "ÄrendeRader": None,
            "Underhåll": None,
            "MätdataAnläggningar": None,
        },
    ]


EVERYTHING = {
    "Kund",
    "Kund.Kontaktuppgifter",
    "Kund.TillfälligaAdresser",
    "Kund.Dokument",
    "Kund.Meddelanden",
    "Kund.MarknadAktörBoende",
    "Kund.Ekonomi",
    "Kund.Ekonomi.Aviseringar",
    "Ärenden",
    "Ärenden.Rader",
    "Ärenden.Rader.MediaBytes",
    "TillgängligaObjekt",
    "TillgängligaObjekt.ÄrendeRader",
    "TillgängligaObjekt.Underhåll",
    "TillgängligaObjekt.MätdataAnläggningar",
}


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("HämtaKund", {"Kund"}),
        ("HämtaMarknadProfil", {"Kund", "Kund.MarknadAktörBoende"}),
        ("HämtaKontaktuppgifter", {"Kund", "Kund.Kontaktuppgifter"}),
        ("HämtaKundEkonomi", {"Kund", "Kund.Ekonomi"}),
        ("HämtaTillfälligaAdresser", {"Kund", "Kund.TillfälligaAdresser"}),
        ("HämtaDokument", {"Kund", "Kund.Dokument"}),
        ("HämtaKundEkonomiAviseringar", {"Kund", "Kund.Ekonomi", "Kund.Ekonomi.Aviseringar"}),
        ("HämtaÄrende", {"Ärenden"}),
        ("HämtaÄrendeRader", {"Ärenden", "Ärenden.Rader"}),
        ("HämtaTillgängligaObjekt", {"TillgängligaObjekt"}),
        ("HämtaUnderhåll", {"TillgängligaObjekt", "TillgängligaObjekt.Underhåll"}),
        ("HämtaMätdata", {"TillgängligaObjekt", "TillgängligaObjekt.MätdataAnläggningar"}),
        ("HämtaKundMeddelanden", {"Kund", "Kund.Meddelanden"}),
        ("HämtaÄrendeRaderMediaBytes", {"Ärenden", "Ärenden.Rader", "Ärenden.Rader.MediaBytes"}),
    ],
)
def test_each_flag_alone_fills_its_section_and_its_parents_only(rich: Portal, flag: str, expected: set[str]) -> None:
    assert filled(session_view(rich, **{flag: "true"})) == expected


def test_all_flags_together_fill_everything(rich: Portal) -> None:
    assert filled(session_view(rich, **ALL_FLAGS)) == EVERYTHING


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"HämtaKund": "false"}, set()),
        ({"HämtaKundAviseringarAntMån": "12"}, {"Kund", "TillgängligaObjekt"}),
        ({"HämtaKund": "false", "HämtaKundEkonomi": "true"}, {"Kund", "Kund.Ekonomi"}),
        ({"HämtaÄrende": "true", "HämtaTillgängligaObjekt": "1"}, {"Ärenden", "TillgängligaObjekt"}),
        (
            {"HämtaTillgängligaObjekt": "true", "HämtaÄrendeRader": "true"},
            {"Ärenden", "Ärenden.Rader", "TillgängligaObjekt", "TillgängligaObjekt.ÄrendeRader"},
        ),
        ({"hämtakund": "TRUE", "HAMTAKUNDEKONOMI": "True"}, {"Kund", "Kund.Ekonomi"}),
        (
            {"HamtaArende": "1", "HamtaMatdata": "1"},
            {"Ärenden", "TillgängligaObjekt", "TillgängligaObjekt.MätdataAnläggningar"},
        ),
        ({"HämtaKund": ""}, {"Kund", "TillgängligaObjekt"}),
    ],
)
def test_flags_combine_with_the_defaults_of_a6(rich: Portal, params: dict[str, str], expected: set[str]) -> None:
    """A given flag turns the defaults off; a child flag implies its parent; names match in any case and
    ASCII-folded; an empty value counts as absent; the month count is not a flag."""
    assert filled(session_view(rich, **params)) == expected


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"HämtaKund": "ja"}, "HämtaKund"),
        ({"HamtaMatdata": "2"}, "HämtaMätdata"),
        ({"HämtaKundAviseringarAntMån": "-1"}, "HämtaKundAviseringarAntMån"),
        ({"HämtaKundAviseringarAntMån": "tolv"}, "HämtaKundAviseringarAntMån"),
        ({"HamtaKundAviseringarAntMan": "1.5"}, "HämtaKundAviseringarAntMån"),
    ],
)
def test_malformed_flags_are_400(portal: Portal, params: dict[str, str], named: str) -> None:
    response = portal.get("/session", **params)
    assert response.status_code == 400
    assert response.json()["Felkod"] == "OgiltigBegaran"
    assert named in response.json()["Meddelande"]


# --- Kund -----------------------------------------------------------------------------------------


def test_the_economy_shows_balances_and_every_field_of_the_notices(rich: Portal) -> None:
    world = rich.world
    economy = session_view(rich, HämtaKundEkonomiAviseringar="true")["Kund"]["Ekonomi"]
    assert economy["Hyressaldo"] == 1900
    assert economy["Fakturasaldo"] == 490
    notices = economy["Aviseringar"]
    assert [notice["Avinummer"] for notice in notices] == ["9213210", "F-490"], "newest due date first"
    faktura = notices[1]
    assert faktura["Typ"]["Referensnamn"] == "Faktura"
    address = {
        "Gatuadress1": "Skärgatan 4",
        "Gatuadress2": None,
        "Postnummer": "72131",
        "Postort": "Västerås",
        "Land": "Sverige",
    }
    assert faktura == {
        "Avinummer": "F-490",
        "Typ": {"AviseringId": faktura["Typ"]["AviseringId"], "Referensnamn": "Faktura", "Beteckning": "F"},
        "Betalningsreferens": "OCRF-490",
        "MottagareNummer": "5050-1055",
        "BetalningsförmedlareSystemnamn": "BG",
        "BetalningsförmedlareBeteckning": "Bankgiro",
        "Förfallodag": "2026-09-30",
        "Nettobelopp": 7900,
        "Momsbelopp": 0,
        "Bruttobelopp": 7900,
        "InbetaltBelopp": 7410,
        "Restbelopp": 490,
        "BetalningFördeladBelopp": 120,
        "AttBetala": 490,
        "DistribueradTill": [{"Typ": "epost", "Adress": "anna@example.se", "Distribuerad": "2026-09-14T13:00:00"}],
        "Reskontror": [
            {
                "Period": "2026-10",
                "Förfallodag": "2026-09-30",
                "Nettobelopp": 7900,
                "Momsbelopp": 0,
                "Bruttobelopp": 7900,
                "SkickadTillInkasso": None,
                "Hyresobjekt": {"Nummer": "142-043-01", "Typbeteckning": "Bostad", "Adress": address},
                "Rader": [
                    {
                        "Aviseringstext": "Grundhyra",
                        "Nettobelopp": 7847,
                        "Momsbelopp": 0,
                        "Bruttobelopp": 7847,
                        "Specifikation": None,
                    },
                    {
                        "Aviseringstext": "Varmvatten",
                        "Nettobelopp": 53,
                        "Momsbelopp": 0,
                        "Bruttobelopp": 53,
                        "Specifikation": {
                            "AvserFom": "2014-07-01",
                            "AvserTom": "2014-07-31",
                            "KällaBeteckning": "Kök",
                            "KällaIdentitet": "432105",
                            "VärdeFom": 13.432,
                            "VärdeTom": 14.532,
                            "Mängd": 1.1,
                            "Mängdenhet": "m3",
                            "Apris": 48,
                            "DebiteringsfriTom": "2014-04-30",
                            "DebiteringsfrittNettobelopp": 53,
                            "DebiteringsfrittMomsbelopp": 0,
                            "DebiteringsfrittTotalbelopp": 53,
                        },
                    },
                ],
            }
        ],
        "Betalningar": [
            {
                "Betalväg": "Manuell inbetalning via bankgiro",
                "Belopp": 7410,
                "Betalningsdag": "2026-09-27",
                "Bokföringsdag": "2026-09-28",
            }
        ],
    }
    assert notices[0]["Typ"] == {"AviseringId": world.anna_invoice, "Referensnamn": "Avi", "Beteckning": "A"}


def _months_of_notices(portal: Portal) -> None:
    """Anna's notices due on the 23rd of each month from 2025-10 to 2027-01 (the clock stands at 2026-11-23)."""
    world = portal.world
    with portal.database.transaction() as session:
        for months_back in range(-2, 14):
            index = 2026 * 12 + 10 - months_back
            due = date(index // 12, index % 12 + 1, 23)
            add_invoice(
                session,
                customer_id=world.anna,
                contract_id=world.anna_contract,
                node_id=world.flat1,
                number=f"M{due:%Y%m}",
                due=due,
            )


def _due_dates(portal: Portal, months: str) -> list[str]:
    economy = session_view(portal, HämtaKundEkonomiAviseringar="true", HämtaKundAviseringarAntMån=months)["Kund"]
    return [notice["Förfallodag"] for notice in economy["Ekonomi"]["Aviseringar"]]


def test_hamta_kund_aviseringar_ant_man_keeps_the_notices_due_within_the_last_months(portal: Portal) -> None:
    _months_of_notices(portal)
    everything = _due_dates(portal, "0")
    assert len(everything) == 17
    assert everything == sorted(everything, reverse=True)
    assert _due_dates(portal, "99999999999") == everything
    assert _due_dates(portal, "12") == [due for due in everything if due >= "2025-11-23"]
    assert _due_dates(portal, "1") == ["2027-01-23", "2026-12-23", "2026-11-23", "2026-10-31", "2026-10-23"]
    balances = session_view(portal, HämtaKundEkonomi="true", HämtaKundAviseringarAntMån="1")["Kund"]["Ekonomi"]
    assert balances["Hyressaldo"] == 17 * 1900, "the balances count every notice, whatever the month limit"

    portal.clock.set(datetime(2027, 3, 31, 10, 0, tzinfo=UTC))
    portal.keys["anna"] = portal.login("anna").json()["Sessionsnyckel"]
    assert _due_dates(portal, "2") == [], "since 2027-01-31"
    assert _due_dates(portal, "3") == ["2027-01-23"]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("1997-07-16T19:20:30", "1997-07-16T19:20:30+02:00"),
        ("1997-01-16T19:20:30", "1997-01-16T19:20:30+01:00"),
        ("1997-07-16T18:20:30+01:00", "1997-07-16T19:20:30+02:00"),
        ("1997-07-16", "1997-07-16"),
    ],
)
def test_market_profile_times_have_the_examples_forms(stored: str, shown: str) -> None:
    """Skapad as in its example (1997-07-16T19:20:30+01:00), with Swedish time's offset; Inkomst's Skapad a date."""
    profile = {
        "Skapad": stored,
        "MarknadIntresse": {"MarknadIntresseId": 3, "Skapad": stored},
        "MarknadAktörInkomst": {"Skapad": "2019-01-01T08:00:00"},
    }
    fields = market_profile_json(profile)
    assert (fields["Skapad"], fields["MarknadIntresse"]["Skapad"]) == (shown, shown)
    assert fields["MarknadAktörInkomst"]["Skapad"] == "2019-01-01"
    assert fields["MarknadEkonomi"] is None


def test_contact_details_temporary_addresses_documents_profile_and_messages(rich: Portal) -> None:
    world = rich.world
    kund = session_view(
        rich,
        HämtaKontaktuppgifter="true",
        HämtaTillfälligaAdresser="true",
        HämtaDokument="true",
        HämtaMarknadProfil="true",
        HämtaKundMeddelanden="true",
    )["Kund"]
    assert kund["Kontaktuppgifter"] == [
        {
            "Värde": "anna@example.se",
            "Validerad": True,
            "KontaktuppgiftsTyp": {"Referensnamn": "Epostadress", "Beteckning": "E-postadress"},
        },
        {
            "Värde": "070-1234567",
            "Validerad": False,
            "KontaktuppgiftsTyp": {"Referensnamn": "Mobilnummer", "Beteckning": "Mobilnummer"},
        },
    ]
    [address] = kund["TillfälligaAdresser"]
    assert address["Gatuadress1"] == "Sommarvägen 1", "the ended address is left out"
    assert (address["Fom"], address["Tom"], address["Land"], address["LandReferensnamn"]) == (
        "2026-11-01",
        "2026-11-30",
        "Sverige",
        "SE",
    )
    agreement, manual = kund["Dokument"]
    assert agreement["Beteckning"] == "Hyresavtal 142-043-01", "sorted by the file type's order"
    assert agreement["Filändelse"] == ".pdf"
    assert agreement["FilUrl"] == f"http://testserver/portal/session/kund/dokument/{agreement['EntitetFilId']}"
    assert (agreement["ObjektTyp"], agreement["AvtalVersionId"]) == ("Lägenhet", world.anna_contract)
    assert (manual["FilUrl"], manual["Webbadress"]) == (None, "http://www.exempel.com/Bruksanvisning.html")
    assert {name: kund[name] for name in MARKET_PROFILE} == MARKET_PROFILE | {"Skapad": "2019-01-01T10:00:00+01:00"}
    [message] = kund["Meddelanden"]
    assert message["Kanaler"][0]["Ämne"] == "Stambyte"
    assert message["Kanaler"][0]["KlarUtc"] == "2026-11-21T09:34:09.477Z"
    assert message["Bilagor"][0]["ExterntId"] == 12345


def test_a_customer_with_only_a_birth_date_gets_yyyymmdd(portal: Portal) -> None:
    with portal.database.transaction() as session:
        customer = Customer(
            kundnummer="15557", fornamn="Cecilia", efternamn="Ek", fodelsedatum=date(1990, 2, 3), created_at=NOW
        )
        session.add(customer)
        session.flush()
        portal.keys["cecilia"] = service.open_session(session, customer_id=customer.id, now=NOW, minutes=30).key
    result = session_view(portal, tenant="cecilia")
    assert result["Kund"]["Kundinformation"]["Personnummer"] == "19900203"
    assert result["TillgängligaObjekt"] == [], "no contract, no objects"


# --- Ärenden and TillgängligaObjekt ---------------------------------------------------------------


def test_cases_with_rows_and_the_rows_on_the_objects(rich: Portal) -> None:
    world = rich.world
    result = session_view(rich, HämtaÄrende="true", HämtaÄrendeRader="true", HämtaTillgängligaObjekt="true")
    [case] = result["Ärenden"]
    assert (case["Id"], case["Nummer"], case["Typ"]) == (world.anna_case, "R-2611-1000", "Order")
    [row] = case["Rader"]
    assert [step["Id"] for step in row["Nodstig"]] == [
        f"n{node}" for node in (world.flat1, world.kitchen1, world.fridge1, world.freezer1)
    ]
    assert [entry["Beteckning"] for entry in row["Historik"]] == ["Hos handläggare"]
    assert row["Media"] == [{"Id": row["Media"][0]["Id"], "Media": None}], "bytes only with the media flag"
    flat, laundry = result["TillgängligaObjekt"]
    assert flat["ÄrendeRader"] == [row]
    assert laundry["ÄrendeRader"] == []


def test_media_bytes_only_with_hamta_arende_rader_media_bytes(rich: Portal) -> None:
    [case] = session_view(rich, HämtaÄrendeRaderMediaBytes="true")["Ärenden"]
    assert [base64.b64decode(media["Media"]) for media in case["Rader"][0]["Media"]] == [IMAGE]


def test_a_deleted_case_is_left_out(rich: Portal) -> None:
    world = rich.world
    with rich.database.transaction() as session:
        add_case(session, customer_id=world.anna, node_path=[world.flat1, world.bathroom1], number="R-2611-1002")
        session.execute(update(Case).where(Case.id == world.anna_case).values(borttagen=True))
    result = session_view(rich, HämtaÄrendeRader="true", HämtaTillgängligaObjekt="true")
    assert [case["Nummer"] for case in result["Ärenden"]] == ["R-2611-1002"]
    assert [row["Id"] for row in result["TillgängligaObjekt"][0]["ÄrendeRader"]] == [
        result["Ärenden"][0]["Rader"][0]["Id"]
    ]


def test_an_inspection_belongs_to_the_incoming_tenant_too(rich: Portal) -> None:
    world = rich.world
    with rich.database.transaction() as session:
        inspection = add_case(session, customer_id=world.bertil, node_path=[world.flat1], number="R-2611-1003")
        inspection.typ, inspection.typ_referensnamn = "Besiktning", "Besiktning"
        inspection.incoming_customer_id = world.anna
    numbers = [case["Nummer"] for case in session_view(rich, HämtaÄrende="true")["Ärenden"]]
    assert numbers == ["R-2611-1000", "R-2611-1003"]
    assert [case["Nummer"] for case in session_view(rich, "bertil", HämtaÄrende="true")["Ärenden"]] == [
        "R-2611-1001",
        "R-2611-1003",
    ]


def test_maintenance_and_meter_data_on_the_objects(rich: Portal) -> None:
    flat, laundry = session_view(rich, HämtaUnderhåll="true", HämtaMätdata="true")["TillgängligaObjekt"]
    assert flat["Underhåll"] == [
        {"Åtgärd": "Målas", "Planeratdatum": "2027-03-01", "Avser": "Kök", "Utförd": None, "Beställd": None},
        {
            "Åtgärd": "Bytes",
            "Planeratdatum": "2027-09-01",
            "Avser": "Badrum 1 / Handukstork",
            "Utförd": None,
            "Beställd": "2026-09-24",
        },
    ]
    assert flat["MätdataAnläggningar"] == [
        {
            "Användning": "Vatten",
            "Mätare": [
                {
                    "Användning": "Varmvatten",
                    "Mätdata": [
                        {
                            "Förbrukning": 1.2,
                            "Mätarställning": 13.432,
                            "Enhet": "m3",
                            "Tom": "2026-08-31",
                            "Datum": "2026-08-31",
                            "Kostnad": 58,
                            "Debiterad": False,
                            "AvlästTid": "2026-09-01",
                            "Pris": None,
                            "Apris": None,
                            "DebiterasTidigast": None,
                        },
                        {
                            "Förbrukning": 1.1,
                            "Mätarställning": 14.532,
                            "Enhet": "m3",
                            "Tom": "2026-09-30",
                            "Datum": "2026-09-30",
                            "Kostnad": 53,
                            "Debiterad": True,
                            "AvlästTid": "2026-10-01",
                            "Pris": 85,
                            "Apris": 0.85,
                            "DebiterasTidigast": "2026-11-01",
                        },
                    ],
                    "Beteckning": "Kök",
                }
            ],
            "Beteckning": "142-043-01 Vatten",
        }
    ]
    assert (laundry["Underhåll"], laundry["MätdataAnläggningar"]) == ([], [])


def test_an_ended_contract_takes_its_object_away(portal: Portal) -> None:
    with portal.database.transaction() as session:
        session.execute(
            update(Contract).where(Contract.id == portal.world.anna_contract).values(tom=date(2026, 11, 22))
        )
    assert session_view(portal)["TillgängligaObjekt"] == []


def test_without_example_aliases_there_is_no_nod_or_avser(portal: Portal) -> None:
    settings = portal_settings(portal_example_aliases=False)
    with TestClient(create_app(settings, services=[SERVICE], database=portal.database, clock=portal.clock)) as client:
        response = client.get(
            "/portal/session",
            params={
                "Sessionsnyckel": portal.keys["anna"],
                "ApiNyckel": API_KEY,
                "HämtaÄrendeRader": "1",
                "HämtaTillgängligaObjekt": "1",
            },
        )
    [flat, _laundry] = response.json()["TillgängligaObjekt"]
    assert "Nod" not in flat
    assert flat["Entitet"] == {"Id": f"n{portal.world.flat1}", "Typ": "Nod", "Visningstext": "Lägenhet"}
    assert "Avser" not in response.json()["Ärenden"][0]["Rader"][0]["Nodstig"][0]


# --- Access ---------------------------------------------------------------------------------------


def _ids(result: dict[str, Any]) -> dict[str, set[object]]:
    return {
        "invoices": {notice["Typ"]["AviseringId"] for notice in result["Kund"]["Ekonomi"]["Aviseringar"]},
        "cases": {case["Id"] for case in result["Ärenden"]},
        "objects": {item["Entitet"]["Id"] for item in result["TillgängligaObjekt"]},
        "documents": {document["Beteckning"] for document in result["Kund"]["Dokument"]},
        "maintenance": {item["Avser"] for obj in result["TillgängligaObjekt"] for item in obj["Underhåll"]},
    }


def test_anna_never_sees_bertils_notices_cases_objects_or_documents(rich: Portal) -> None:
    world: World = rich.world
    anna = _ids(session_view(rich, **ALL_FLAGS))
    bertil = _ids(session_view(rich, "bertil", **ALL_FLAGS))
    assert world.anna_invoice in anna["invoices"]
    assert world.bertil_invoice not in anna["invoices"]
    assert anna["cases"] == {world.anna_case}
    assert bertil["cases"] == {world.bertil_case}
    assert anna["objects"] == {f"n{world.flat1}", f"n{world.laundry}"}
    assert bertil["objects"] == {f"n{world.flat2}", f"n{world.laundry}"}
    assert bertil["invoices"] == {world.bertil_invoice}
    assert "Bertils avtal" not in anna["documents"]
    assert bertil["documents"] == {"Bertils avtal"}
    assert anna["maintenance"] == {"Kök", "Badrum 1 / Handukstork"}
    assert bertil["maintenance"] == {"Bertils kök"}
