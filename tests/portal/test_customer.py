"""The customer endpoints in-process: notice PDFs (E3), temporary addresses (E8, E9), contact details (E10) with
their confirmation, files (E2, E15), addresses (E18), and the shared JSON builders."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from bodata.app import create_app
from bodata.core.db import Database
from bodata.core.security import token_digest
from bodata.portal.customers import document_json, message_json
from bodata.portal.models import (
    ContactDetail,
    CustomerAddress,
    Document,
    FileType,
    Invoice,
    InvoiceDistribution,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    OutboxMessage,
    StoredFile,
)
from bodata.portal.service_entry import SERVICE

from .conftest import Portal, portal_settings
from .fixtures import API_KEY, World

pytestmark = pytest.mark.sqlite_only  # plain rules: see tests/conftest.py

PDF_BYTES = b"%PDF-1.4 hyresavtal"
JPEG_BYTES = b"\xff\xd8\xff\xe0 bilaga"


@dataclass
class Records:
    """What ``add_records`` built on top of the small world."""

    anna_document: int
    anna_link: int
    bertil_document: int
    anna_message: int
    bertil_message: int
    attachment_external_id: int


def _file(session: Session, data: bytes, mime_type: str, extension: str, now: datetime) -> int:
    file = StoredFile(
        mime_type=mime_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=now,
    )
    session.add(file)
    session.flush()
    return file.id


def _message(session: Session, customer_id: int, file_id: int, external_id: int, now: datetime) -> int:
    notification = Notification(customer_id=customer_id, created_at=now)
    session.add(notification)
    session.flush()
    session.add_all(
        [
            NotificationChannel(
                notification_id=notification.id,
                kanal_system_name="Nyhet",
                kanal_beteckning="Utsida nyhet",
                kanal_hjalptext="Nyheter på webben",
                notifierad=True,
                klar_utc=now,
                amne="Stambyte",
                brodtext="Hej, stambytet börjar i mars.",
            ),
            NotificationAttachment(
                notification_id=notification.id, externt_id=external_id, externt_namn="Bilaga1.jpeg", file_id=file_id
            ),
        ]
    )
    return notification.id


def add_records(session: Session, world: World, now: datetime) -> Records:
    """Documents, messages with attachments and a visiting address for Anna and Bertil."""
    lease, manual = FileType(beteckning="Hyresavtal", ordning=10), FileType(beteckning="Bruksanvisning", ordning=50)
    session.add_all([lease, manual])
    session.flush()
    anna_file = _file(session, PDF_BYTES, "application/pdf", ".pdf", now)
    bertil_file = _file(session, PDF_BYTES, "application/pdf", ".pdf", now)
    documents = [
        Document(
            customer_id=world.anna,
            contract_id=world.anna_contract,
            node_id=world.flat1,
            file_type_id=lease.id,
            file_id=anna_file,
            beteckning="Hyresavtal Skärgatan",
        ),
        Document(
            customer_id=world.anna,
            contract_id=world.anna_contract,
            node_id=world.flat1,
            file_type_id=manual.id,
            beteckning="Tvättmaskin 1",
            webbadress="https://example.se/tvatt.html",
            meddelande="Bruksanvisning för tvättmaskin 1.",
        ),
        Document(
            customer_id=world.bertil,
            contract_id=world.bertil_contract,
            node_id=world.flat2,
            file_type_id=lease.id,
            file_id=bertil_file,
            beteckning="Hyresavtal",
        ),
    ]
    session.add_all(documents)
    session.add(
        CustomerAddress(
            customer_id=world.anna,
            kind="kund.besok",
            gatuadress1="Skärgatan 4",
            gatuadress2="Lgh 1101",
            care_of="Berit Andersson",
            postnummer="72131",
            postort="Västerås",
            land="SE",
        )
    )
    attachment = _file(session, JPEG_BYTES, "image/jpeg", ".jpeg", now)
    anna_message = _message(session, world.anna, attachment, 12345, now)
    bertil_message = _message(session, world.bertil, attachment, 12345, now)
    session.flush()
    return Records(
        anna_document=documents[0].id,
        anna_link=documents[1].id,
        bertil_document=documents[2].id,
        anna_message=anna_message,
        bertil_message=bertil_message,
        attachment_external_id=12345,
    )


@pytest.fixture
def records(portal: Portal) -> Records:
    with portal.database.transaction() as session:
        return add_records(session, portal.world, portal.clock.now())


def _count(database: Database, model: type, **where: object) -> int:
    with database.transaction() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.scalar(query)


def _rejected(response: httpx.Response, code: str, *, wrapped: bool = False) -> dict:
    """The Felmeddelande of a business-rule refusal: HTTP 200, with ``code``."""
    assert response.status_code == 200, response.text
    body = response.json()["Fel"] if wrapped else response.json()
    assert set(body) == {"Felkod", "Meddelande", "Detaljer"}
    assert body["Felkod"] == code, body
    return body


def _not_found(response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert response.json()["Felkod"] == "HittadesInte"


# --- E2 -------------------------------------------------------------------------------------------


def test_an_attachment_of_the_customers_message_is_json_with_base64_data(portal: Portal, records: Records) -> None:
    response = portal.get(f"/session/notifieringBilagaFil/{records.anna_message}/{records.attachment_external_id}")
    assert response.status_code == 200
    assert response.json() == {
        "MimeTyp": "image/jpeg",
        "Extension": ".jpeg",
        "Data": base64.b64encode(JPEG_BYTES).decode("ascii"),
    }


@pytest.mark.parametrize("which", ["bertils message", "unknown message", "unknown attachment"])
def test_attachments_of_other_customers_or_unknown_ids_are_404(portal: Portal, records: Records, which: str) -> None:
    message, external = {
        "bertils message": (records.bertil_message, records.attachment_external_id),
        "unknown message": (999999, records.attachment_external_id),
        "unknown attachment": (records.anna_message, 54321),
    }[which]
    _not_found(portal.get(f"/session/notifieringBilagaFil/{message}/{external}"))


# --- E3 -------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_notice_is_a_pdf_with_its_number_ocr_and_amount(portal: Portal) -> None:
    response = portal.get(f"/session/kund/ekonomi/avisering/{portal.world.anna_invoice}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('inline; filename="avi-9213210.pdf"')
    text = _pdf_text(response.content)
    assert "9213210" in text
    assert "1234567897" in text
    assert "1 900,00" in text
    assert "Skärgatan 4" in text
    assert "721 31 Västerås" in text


def _temporary_address(portal: Portal, street: str, postcode: str, town: str, days: range, **fields: str) -> None:
    """A temporary address of Anna's in force from ``days.start`` to ``days.stop`` days from today."""
    today = portal.clock.now().date()
    with portal.database.transaction() as session:
        session.add(
            CustomerAddress(
                customer_id=portal.world.anna,
                kind="tillfallig",
                gatuadress1=street,
                postnummer=postcode,
                postort=town,
                land="SE",
                fom=today + timedelta(days=days.start),
                tom=today + timedelta(days=days.stop),
                **fields,
            )
        )


def test_a_notice_goes_to_the_temporary_address_in_force_today(portal: Portal) -> None:
    _temporary_address(
        portal, "Strandvägen 9", "38693", "Färjestaden", range(-3, 3), namn="Anna Andersson", care_of="Sommarstugan"
    )
    _temporary_address(portal, "Gamla vägen 1", "11111", "Förr", range(-30, -10))
    text = _pdf_text(portal.get(f"/session/kund/ekonomi/avisering/{portal.world.anna_invoice}").content)
    assert "c/o Sommarstugan" in text
    assert "Strandvägen 9" in text
    assert "386 93 Färjestaden" in text
    assert "Gamla vägen" not in text


def test_a_reprint_goes_to_the_address_the_notice_was_sent_to(portal: Portal) -> None:
    today = portal.clock.now().date()
    sent = datetime.combine(today - timedelta(days=40), time(13, 0))
    with portal.database.transaction() as session:
        session.execute(
            update(Invoice).where(Invoice.id == portal.world.anna_invoice).values(created_at=sent.replace(tzinfo=UTC))
        )
        session.add(
            InvoiceDistribution(
                invoice_id=portal.world.anna_invoice,
                typ="brev.direkt",
                adress="Anna Andersson Box 7 721 31 Västerås",
                distribuerad=sent,
            )
        )
    _temporary_address(portal, "Box 7", "72131", "Västerås", range(-60, -20))
    _temporary_address(portal, "Strandvägen 9", "38693", "Färjestaden", range(-5, 5))
    text = _pdf_text(portal.get(f"/session/kund/ekonomi/avisering/{portal.world.anna_invoice}").content)
    assert "Box 7" in text
    assert "Strandvägen" not in text


def test_an_invoice_is_served_as_faktura_with_its_fakturanummer(portal: Portal) -> None:
    with portal.database.transaction() as session:
        invoice = Invoice.id == portal.world.anna_invoice
        session.execute(update(Invoice).where(invoice).values(typ_referensnamn="Faktura"))
    response = portal.get(f"/session/kund/ekonomi/avisering/{portal.world.anna_invoice}")
    assert response.headers["content-disposition"].startswith('inline; filename="faktura-9213210.pdf"')
    assert "Fakturanummer" in _pdf_text(response.content)


@pytest.mark.parametrize("invoice", ["bertil", "unknown"])
def test_other_customers_notices_are_404(portal: Portal, invoice: str) -> None:
    invoice_id = portal.world.bertil_invoice if invoice == "bertil" else 99999999
    _not_found(portal.get(f"/session/kund/ekonomi/avisering/{invoice_id}"))


# --- E8, E9 ---------------------------------------------------------------------------------------

ADDRESS = {
    "Namn": "Test Kalle",
    "Attention": "Test Testarsson",
    "CareOf": "Test Nisse",
    "Gatuadress1": "Testvägen 1",
    "Gatuadress2": "Testvägen",
    "Postnummer": "804 26",
    "Postort": "Gävle",
    "Fom": "2026-12-01",
    "Tom": "2026-12-31",
    "Land": "SE",
}


def _temporary(portal: Portal, tenant: str = "anna", **params: object) -> list[dict]:
    response = portal.get("/session/kund/tillfalligaadresser/", tenant=tenant, **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_temporary_address_is_created_and_read_back(portal: Portal) -> None:
    response = portal.post("/session/kund/sparatillfalligadress/", ADDRESS)
    assert response.status_code == 200
    assert response.json() is None
    [address] = _temporary(portal)
    assert address == {
        "AdressId": address["AdressId"],
        "Fom": "2026-12-01",
        "Tom": "2026-12-31",
        "Gatuadress1": "Testvägen 1",
        "Gatuadress2": "Testvägen",
        "Attention": "Test Testarsson",
        "Namn": "Test Kalle",
        "CareOf": "Test Nisse",
        "Postnummer": "80426",
        "Postort": "Gävle",
        "Land": "Sverige",
        "LandReferensnamn": "SE",
    }
    assert isinstance(address["AdressId"], int)
    assert _temporary(portal, tenant="bertil") == []


def test_a_temporary_address_is_changed_by_its_adressid(portal: Portal) -> None:
    portal.post("/session/kund/sparatillfalligadress/", ADDRESS)
    [address] = _temporary(portal)
    changed = {**ADDRESS, "AdressId": address["AdressId"], "Gatuadress1": "Nya vägen 2", "Land": "Sverige"}
    changed.pop("Tom")
    assert portal.post("/session/kund/sparatillfalligadress/", changed).json() is None
    [after] = _temporary(portal)
    assert after["AdressId"] == address["AdressId"]
    assert (after["Gatuadress1"], after["Tom"], after["LandReferensnamn"]) == ("Nya vägen 2", None, "SE")


@pytest.mark.parametrize(
    ("fields", "postcode", "country"),
    [
        ({"Land": "NO", "Postnummer": "0150"}, "0150", "Norge"),
        ({"Land": "storbritannien", "Postnummer": "sw1a 1aa"}, "SW1A 1AA", "Storbritannien"),
        ({"Land": None, "Postnummer": "80426"}, "80426", "Sverige"),
        ({"Fom": "2026-12-01 00:00", "Tom": "2026-12-31T23:00:00+01:00"}, "80426", "Sverige"),
    ],
)
def test_countries_postcodes_and_date_forms_are_accepted(
    portal: Portal, fields: dict, postcode: str, country: str
) -> None:
    assert portal.post("/session/kund/sparatillfalligadress/", {**ADDRESS, **fields}).json() is None
    [address] = _temporary(portal)
    assert (address["Postnummer"], address["Land"], address["Fom"], address["Tom"]) == (
        postcode,
        country,
        "2026-12-01",
        "2026-12-31",
    )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"Fom": "2016-13-01"}, "OgiltigtDatum"),
        ({"Fom": "igår"}, "OgiltigtDatum"),
        ({"Tom": "2016-11-31"}, "OgiltigtDatum"),
        ({"Fom": "20161101"}, "OgiltigtDatum"),
        ({"Fom": "2027-01-01", "Tom": "2026-12-31"}, "OgiltigPeriod"),
        ({"Fom": None}, "UppgiftSaknas"),
        ({"Postnummer": "1234"}, "OgiltigtPostnummer"),
        ({"Postnummer": "ABCDE"}, "OgiltigtPostnummer"),
        ({"Postnummer": "8042 6"}, "OgiltigtPostnummer"),
        ({"Land": "NO", "Postnummer": "0"}, "OgiltigtPostnummer"),
        ({"Postnummer": ""}, "UppgiftSaknas"),
        ({"Land": "Atlantis"}, "OkantLand"),
        ({"Gatuadress1": " "}, "UppgiftSaknas"),
        ({"Postort": None}, "UppgiftSaknas"),
        ({"Postort": "x" * 101}, "ForLangtVarde"),
        ({"Namn": "x" * 201}, "ForLangtVarde"),
    ],
)
def test_invalid_temporary_addresses_are_refused_and_nothing_is_saved(portal: Portal, fields: dict, code: str) -> None:
    body = _rejected(portal.post("/session/kund/sparatillfalligadress/", {**ADDRESS, **fields}), code)
    assert body["Meddelande"]
    assert _count(portal.database, CustomerAddress, kind="tillfallig") == 0


def test_every_problem_of_a_temporary_address_is_listed(portal: Portal) -> None:
    body = _rejected(
        portal.post("/session/kund/sparatillfalligadress/", {**ADDRESS, "Fom": "igår", "Postnummer": "1234"}),
        "OgiltigtPostnummer",
    )
    assert len(body["Detaljer"]) == 2
    assert any("igår" in detail for detail in body["Detaljer"])


def test_a_change_of_an_address_that_is_not_the_customers_temporary_one_is_404(portal: Portal) -> None:
    portal.post("/session/kund/sparatillfalligadress/", ADDRESS, tenant="bertil")
    [bertils] = _temporary(portal, tenant="bertil")
    with portal.database.transaction() as session:
        postal = session.scalar(
            select(CustomerAddress.id).where(
                CustomerAddress.customer_id == portal.world.anna, CustomerAddress.kind == "kund.post"
            )
        )
    for address_id in (bertils["AdressId"], postal, 999999):
        _not_found(portal.post("/session/kund/sparatillfalligadress/", {**ADDRESS, "AdressId": address_id}))
    assert _temporary(portal, tenant="bertil") == [bertils]
    assert _temporary(portal) == []


def test_malformed_temporary_address_fields_are_400(portal: Portal) -> None:
    for fields in ({"AdressId": "tre"}, {"Fom": 20161101}, {"Gatuadress1": ["Testvägen"]}):
        response = portal.post("/session/kund/sparatillfalligadress/", {**ADDRESS, **fields})
        assert response.status_code == 400, fields
        assert response.json()["Felkod"] == "OgiltigBegaran"


def test_ended_temporary_addresses_are_listed_only_when_asked(portal: Portal) -> None:
    today = portal.clock.now().date()
    periods = [
        (today - timedelta(days=60), today - timedelta(days=1)),
        (today, today),
        (today + timedelta(days=5), None),
    ]
    for fom, tom in reversed(periods):
        body = {**ADDRESS, "Fom": fom.isoformat(), "Tom": tom.isoformat() if tom else None}
        assert portal.post("/session/kund/sparatillfalligadress/", body).json() is None
    current = _temporary(portal)
    assert [(a["Fom"], a["Tom"]) for a in current] == [
        (today.isoformat(), today.isoformat()),
        (periods[2][0].isoformat(), None),
    ]
    assert [a["Fom"] for a in _temporary(portal, VisaAvslutade="true")] == [p[0].isoformat() for p in periods]
    assert len(_temporary(portal, visaavslutade="False")) == 2
    response = portal.get("/session/kund/tillfalligaadresser", VisaAvslutade="kanske")
    assert response.status_code == 400


# --- E10 and the confirmation ---------------------------------------------------------------------


def _details(database: Database, customer_id: int) -> dict[str, tuple[str, bool]]:
    with database.transaction() as session:
        rows = session.scalars(select(ContactDetail).where(ContactDetail.customer_id == customer_id))
        return {row.kind: (row.value, row.validated) for row in rows}


def test_contact_details_are_set_removed_and_kept(portal: Portal) -> None:
    before = _details(portal.database, portal.world.anna)
    assert before == {"E-postadress": ("anna@example.se", True), "Mobilnummer": ("070-1234567", False)}
    response = portal.post(
        "/session/andrakontaktuppgift/",
        {"Epost": "anna@example.se", "Telefonnummer": "040-5555555", "Mobiltelefonnummer": ""},
    )
    assert response.status_code == 200
    assert response.json() == {"Fel": None}
    assert _details(portal.database, portal.world.anna) == {
        "E-postadress": ("anna@example.se", True),
        "Telefon hem": ("040-5555555", False),
    }
    assert portal.post("/session/andrakontaktuppgift/", {"Epost": " ny@example.se "}).json() == {"Fel": None}
    assert _details(portal.database, portal.world.anna)["E-postadress"] == ("ny@example.se", False)
    assert _details(portal.database, portal.world.bertil) == {
        "E-postadress": ("bertil@example.se", True),
        "Mobilnummer": ("070-1234567", False),
    }
    assert _count(portal.database, OutboxMessage) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"Mobiltelefonnummer": "+46 70 123 45 67"},
        {"Mobiltelefonnummer": "0701234567"},
        {"Telefonnummer": "+46-40-555 55 55"},
        {"Telefonnummer": "08-123 45"},
    ],
)
def test_swedish_phone_numbers_are_accepted(portal: Portal, change: dict) -> None:
    assert portal.post("/session/andrakontaktuppgift/", change).json() == {"Fel": None}
    kind = "Mobilnummer" if "Mobiltelefonnummer" in change else "Telefon hem"
    assert _details(portal.database, portal.world.anna)[kind] == (next(iter(change.values())), False)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"Epost": "kalle@"}, "OgiltigEpost"),
        ({"Epost": "@x.se"}, "OgiltigEpost"),
        ({"Epost": "kalle anka@x.se"}, "OgiltigEpost"),
        ({"Epost": "kalle@x"}, "OgiltigEpost"),
        ({"Epost": "kalle@@x.se"}, "OgiltigEpost"),
        ({"Telefonnummer": "040-abc"}, "OgiltigtTelefonnummer"),
        ({"Telefonnummer": "12345"}, "OgiltigtTelefonnummer"),
        ({"Telefonnummer": "+47 22 12 34 56"}, "OgiltigtTelefonnummer"),
        ({"Telefonnummer": "0" * 16}, "OgiltigtTelefonnummer"),
        ({"Telefonnummer": "08" + " " * 30 + "12345"}, "OgiltigtTelefonnummer"),
        ({"Mobiltelefonnummer": "040-5555555"}, "OgiltigtTelefonnummer"),
        ({"Epost": "ok@x.se", "Validera": True, "ValideringsUrl": "https://x.se/bekrafta"}, "OgiltigValideringsUrl"),
        ({"Epost": "ok@x.se", "Validera": True}, "OgiltigValideringsUrl"),
        ({"Epost": "ok@x.se", "Validera": True, "ValideringsUrl": "ftp://x.se/{0}"}, "OgiltigValideringsUrl"),
        ({"Epost": "ok@x.se", "Telefonnummer": "abc"}, "OgiltigtTelefonnummer"),
    ],
)
def test_invalid_contact_details_are_refused_and_nothing_is_saved(portal: Portal, change: dict, code: str) -> None:
    before = _details(portal.database, portal.world.anna)
    _rejected(portal.post("/session/andrakontaktuppgift/", change), code, wrapped=True)
    assert _details(portal.database, portal.world.anna) == before
    assert _count(portal.database, OutboxMessage) == 0


def _validation_key(database: Database) -> str:
    with database.transaction() as session:
        [message] = session.scalars(select(OutboxMessage))
        assert message.channel == "epost"
        assert message.recipient == "ny@example.se"
        match = re.search(r"https://minasidor\.example\.se/uppgifter/\?nyckel=([\w-]+)&c=1", message.body)
        assert match, message.body
        return match.group(1)


def _confirm(portal: Portal, key: str) -> httpx.Response:
    return portal.client.post("/portal/kontaktuppgift/validera", json={"Nyckel": key}, params={"ApiNyckel": API_KEY})


VALIDATE = {
    "Epost": "ny@example.se",
    "Validera": True,
    "ValideringsUrl": "https://minasidor.example.se/uppgifter/?nyckel={0}&c=1",
}


def test_a_changed_email_is_validated_through_the_link(portal: Portal) -> None:
    assert portal.post("/session/andrakontaktuppgift/", VALIDATE).json() == {"Fel": None}
    assert _details(portal.database, portal.world.anna)["E-postadress"] == ("ny@example.se", False)
    key = _validation_key(portal.database)
    with portal.database.transaction() as session:
        stored = session.scalar(
            select(ContactDetail.validation_key_digest).where(ContactDetail.value == "ny@example.se")
        )
    assert stored == token_digest(key)
    response = _confirm(portal, key)
    assert response.status_code == 200
    assert response.json() == {"Fel": None}
    assert _details(portal.database, portal.world.anna)["E-postadress"] == ("ny@example.se", True)
    assert _confirm(portal, key).json()["Fel"]["Felkod"] == "OgiltigNyckel", "a key works once"


def test_an_expired_or_unknown_validation_key_is_refused(portal: Portal) -> None:
    portal.post("/session/andrakontaktuppgift/", VALIDATE)
    key = _validation_key(portal.database)
    assert _confirm(portal, "okand-nyckel").json()["Fel"]["Felkod"] == "OgiltigNyckel"
    portal.clock.advance(timedelta(days=7, seconds=1))
    assert _confirm(portal, key).json()["Fel"]["Felkod"] == "OgiltigNyckel"
    assert _details(portal.database, portal.world.anna)["E-postadress"] == ("ny@example.se", False)
    assert _confirm(portal, "").status_code == 400


def test_a_new_validation_replaces_the_old_key(portal: Portal) -> None:
    portal.post("/session/andrakontaktuppgift/", VALIDATE)
    first = _validation_key(portal.database)
    with portal.database.transaction() as session:
        session.execute(OutboxMessage.__table__.delete())
    assert portal.post("/session/andrakontaktuppgift/", VALIDATE).json() == {"Fel": None}, "resend for the same address"
    second = _validation_key(portal.database)
    assert first != second
    assert _confirm(portal, first).json()["Fel"]["Felkod"] == "OgiltigNyckel"
    assert _confirm(portal, second).json() == {"Fel": None}


def test_validation_is_not_sent_for_an_already_validated_email(portal: Portal) -> None:
    unchanged = {**VALIDATE, "Epost": "anna@example.se"}
    assert portal.post("/session/andrakontaktuppgift/", unchanged).json() == {"Fel": None}
    assert _count(portal.database, OutboxMessage) == 0


# --- E15 and FilUrl -------------------------------------------------------------------------------


def test_a_document_file_is_served_with_its_mime_type(portal: Portal, records: Records) -> None:
    response = portal.get(f"/session/kund/dokument/{records.anna_document}")
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert "Hyresavtal%20Sk%C3%A4rgatan.pdf" in response.headers["content-disposition"]


@pytest.mark.parametrize("which", ["bertils", "link only", "unknown"])
def test_other_customers_link_only_or_unknown_documents_are_404(portal: Portal, records: Records, which: str) -> None:
    document = {"bertils": records.bertil_document, "link only": records.anna_link, "unknown": 999999}[which]
    _not_found(portal.get(f"/session/kund/dokument/{document}"))


def test_document_json_points_filurl_at_e15_and_leaves_links_without_file(portal: Portal, records: Records) -> None:
    with portal.database.transaction() as session:
        documents = {
            document.id: document for document in session.scalars(select(Document).options(selectinload(Document.node)))
        }
        stored = document_json(documents[records.anna_document], base_url="http://testserver/portal", extension=".pdf")
        link = document_json(documents[records.anna_link], base_url="http://testserver/portal", extension=None)
    assert stored == {
        "AvtalVersionId": portal.world.anna_contract,
        "ObjektTyp": "Lägenhet",
        "ObjektAdress": "Skärgatan 4",
        "EntitetFilTypId": stored["EntitetFilTypId"],
        "EntitetFilTypOrdning": 10,
        "EntitetFilTypBeteckning": "Hyresavtal",
        "Filändelse": ".pdf",
        "EntitetFilId": records.anna_document,
        "EntitetFilOrdning": 0,
        "Beteckning": "Hyresavtal Skärgatan",
        "FilUrl": f"http://testserver/portal/session/kund/dokument/{records.anna_document}",
        "Webbadress": None,
        "Meddelande": None,
    }
    assert (link["EntitetFilId"], link["FilUrl"], link["Filändelse"]) == (None, None, None)
    assert link["Webbadress"] == "https://example.se/tvatt.html"
    response = portal.client.get(stored["FilUrl"], params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY})
    assert response.content == PDF_BYTES


def test_message_json_has_channels_and_null_attachments_when_there_are_none(portal: Portal, records: Records) -> None:
    with portal.database.transaction() as session:
        loaded = select(Notification).options(
            selectinload(Notification.channels), selectinload(Notification.attachments)
        )
        message = message_json(session.scalar(loaded.where(Notification.id == records.anna_message)))
        bare = Notification(customer_id=portal.world.anna, created_at=portal.clock.now())
        session.add(bare)
        session.flush()
        empty = message_json(session.scalar(loaded.where(Notification.id == bare.id)))
    assert message["Kanaler"] == [
        {
            "KanalTyp": {"SystemName": "Nyhet", "Beteckning": "Utsida nyhet", "Hjälptext": "Nyheter på webben"},
            "Notifierad": True,
            "KlarUtc": "2026-11-23T12:00:00.000Z",
            "ÖvergivenUtc": None,
            "Ämne": "Stambyte",
            "Brödtext": "Hej, stambytet börjar i mars.",
        }
    ]
    [attachment] = message["Bilagor"]
    assert attachment["MeddelandeUtgåendeId"] == message["MeddelandeUtgåendeId"] == records.anna_message
    assert (attachment["ExterntId"], attachment["ExterntNamn"]) == (12345, "Bilaga1.jpeg")
    assert isinstance(attachment["MeddelandeUtgåendeBilagaId"], int)
    assert empty == {"MeddelandeUtgåendeId": bare.id, "Kanaler": [], "Bilagor": None}


# --- E18 ------------------------------------------------------------------------------------------


def test_the_customers_postal_and_visiting_addresses(portal: Portal, records: Records) -> None:
    response = portal.client.get(
        f"/portal/v1/session/{portal.keys['anna']}/kund/adresser/", params={"ApiNyckel": API_KEY}
    )
    assert response.status_code == 200
    postal, visiting = response.json()
    assert postal == {
        "AdressId": postal["AdressId"],
        "Fom": None,
        "Tom": None,
        "Gatuadress1": "Skärgatan 4",
        "Gatuadress2": None,
        "Attention": None,
        "Namn": "Anna Andersson",
        "CareOf": None,
        "Postnummer": "72131",
        "Postort": "Västerås",
        "Land": "Sverige",
        "LandReferensnamn": "SE",
        "AdressTypReferensnamn": "kund.post",
        "AdressTypBeteckning": "Postadress",
        "FullständigAdress": "Skärgatan 4, 72131 Västerås, Sverige",
    }
    assert (visiting["AdressTypReferensnamn"], visiting["AdressTypBeteckning"]) == ("kund.besok", "Besöksadress")
    assert visiting["FullständigAdress"] == "Berit Andersson, Skärgatan 4, Lgh 1101, 72131 Västerås, Sverige"
    bertils = portal.get("/session/kund/adresser", tenant="bertil").json()
    assert [row["Namn"] for row in bertils] == ["Bertil Berg"]


def test_addresses_not_in_force_and_temporary_ones_are_not_customer_addresses(portal: Portal) -> None:
    today = portal.clock.now().date()
    with portal.database.transaction() as session:
        session.add_all(
            [
                CustomerAddress(
                    customer_id=portal.world.anna,
                    kind="kund.besok",
                    gatuadress1="Gammal",
                    tom=today - timedelta(days=1),
                ),
                CustomerAddress(
                    customer_id=portal.world.anna,
                    kind="kund.besok",
                    gatuadress1="Framtida",
                    fom=today + timedelta(days=1),
                ),
                CustomerAddress(
                    customer_id=portal.world.anna, kind="tillfallig", gatuadress1="Tillfällig", fom=date(2026, 1, 1)
                ),
            ]
        )
    assert [row["Gatuadress1"] for row in portal.get("/session/kund/adresser").json()] == ["Skärgatan 4"]


def test_filurl_ignores_the_host_header_and_follows_bodata_public_url(portal: Portal, records: Records) -> None:
    params = {"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY, "HämtaKund": "true", "HämtaDokument": "true"}
    attacked = portal.client.get("/portal/session", params=params, headers={"Host": "attacker.example"})
    assert attacked.status_code == 200, attacked.text
    assert "attacker.example" not in attacked.text
    settings = portal_settings(public_url="https://bo.example.org/")
    client = TestClient(create_app(settings, services=[SERVICE], database=portal.database, clock=portal.clock))
    shown = client.get("/portal/session", params=params, headers={"Host": "attacker.example"}).json()
    urls = [document["FilUrl"] for document in shown["Kund"]["Dokument"] if document["FilUrl"]]
    assert urls == [f"https://bo.example.org/portal/session/kund/dokument/{records.anna_document}"]


@pytest.mark.parametrize("value", [2**31, 2**63, 10**20, -1])
@pytest.mark.parametrize(
    "path",
    ["/session/notifieringBilagaFil/{}/1", "/session/kund/ekonomi/avisering/{}", "/session/kund/dokument/{}"],
)
def test_ids_beyond_the_columns_range_are_404_not_500(portal: Portal, path: str, value: int) -> None:
    response = portal.get(path.format(value))
    assert response.status_code == 404, response.text
    assert response.json()["Felkod"] == "HittadesInte"


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [(2**31, 404, "HittadesInte"), (2**63 - 1, 404, "HittadesInte"), (10**20, 400, "OgiltigBegaran")],
)
def test_a_laundry_booking_beyond_the_id_range_is_not_500(portal: Portal, value: int, status: int, code: str) -> None:
    response = portal.post("/session/Boka", {"Id": value, "Tid": "2026-12-02T07:00:00"})
    assert response.status_code == status, response.text
    assert response.json()["Felkod"] == code
