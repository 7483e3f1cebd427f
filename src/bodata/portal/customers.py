"""The customer's own records in the portal: addresses, contact details, documents, messages and printed notices.

The JSON builders here are shared with the session view (E1): ``SessionTillfälligAdress``/``TillfälligAdress``
(§2.2), ``SessionKontaktuppgift`` (§2.1), ``SessionDokument`` (§2.3) and the messages of A-8 (§2.9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from bodata.core.errors import ApiError
from bodata.core.security import issue_token, token_digest
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal import pdf, service
from bodata.portal.models import (
    Company,
    ContactDetail,
    Customer,
    CustomerAddress,
    Document,
    Invoice,
    LedgerEntry,
    Notification,
    NotificationAttachment,
    OutboxMessage,
    StoredFile,
)
from bodata.portal.shapes import COUNTRIES, Json, blob, country_name, day, utc_moment

TEMPORARY = "tillfallig"
"""The ``CustomerAddress.kind`` of a temporary (notice) address."""

CONTACT_KINDS = {"E-postadress": "Epostadress", "Telefon hem": "TelefonHem", "Mobilnummer": "Mobilnummer"}
"""The PM5 contact-detail types (KontaktuppgiftsTyp.Beteckning) and their reference names (A-5b, invented fold)."""


def temporary_address_json(address: CustomerAddress) -> Json:
    """A SessionTillfälligAdress / TillfälligAdress: the 12 fields, ``Land`` as display name (A-10)."""
    return {
        "AdressId": address.id,
        "Fom": day(address.fom),
        "Tom": day(address.tom),
        "Gatuadress1": address.gatuadress1,
        "Gatuadress2": address.gatuadress2,
        "Attention": address.attention,
        "Namn": address.namn,
        "CareOf": address.care_of,
        "Postnummer": address.postnummer,
        "Postort": address.postort,
        "Land": country_name(address.land),
        "LandReferensnamn": address.land,
    }


def current_temporary_addresses(
    session: Session, *, customer_id: int, today: date, include_ended: bool
) -> list[CustomerAddress]:
    """The customer's temporary addresses sorted by Fom; ended ones (Tom before today) only with ``include_ended``."""
    query = select(CustomerAddress).where(CustomerAddress.customer_id == customer_id, CustomerAddress.kind == TEMPORARY)
    if not include_ended:
        query = query.where(or_(CustomerAddress.tom.is_(None), CustomerAddress.tom >= today))
    return list(session.scalars(query.order_by(CustomerAddress.fom, CustomerAddress.id)))


def contact_detail_json(detail: ContactDetail) -> Json:
    """A SessionKontaktuppgift with its KontaktuppgiftsTyp ``{Referensnamn, Beteckning}`` (A-5b)."""
    return {
        "Värde": detail.value,
        "Validerad": detail.validated,
        "KontaktuppgiftsTyp": {"Referensnamn": CONTACT_KINDS.get(detail.kind, detail.kind), "Beteckning": detail.kind},
    }


def document_json(document: Document, *, base_url: str, extension: str | None) -> Json:
    """A SessionDokument; ``FilUrl`` points at E15 without a key (A-2). ``document.node`` must be loaded.

    ``extension`` is the stored file's extension (``.pdf``); link-only documents have no file, FilUrl or
    EntitetFilId.
    """
    node = document.node
    return {
        "AvtalVersionId": document.contract_id,
        "ObjektTyp": node.node_class.beteckning if node is not None else None,
        "ObjektAdress": node.gatuadress1 if node is not None else None,
        "EntitetFilTypId": document.file_type_id,
        "EntitetFilTypOrdning": document.file_type.ordning,
        "EntitetFilTypBeteckning": document.file_type.beteckning,
        "Filändelse": extension,
        "EntitetFilId": document.id if document.file_id is not None else None,
        "EntitetFilOrdning": document.ordning,
        "Beteckning": document.beteckning,
        "FilUrl": f"{base_url}/session/kund/dokument/{document.id}" if document.file_id is not None else None,
        "Webbadress": document.webbadress,
        "Meddelande": document.meddelande,
    }


def message_json(notification: Notification) -> Json:
    """A message (A-8, invented parent): its channels and attachments (``Bilagor`` null when there are none).

    ``notification.channels`` and ``notification.attachments`` must be loaded.
    """
    attachments = [
        {
            "MeddelandeUtgåendeBilagaId": attachment.id,
            "MeddelandeUtgåendeId": notification.id,
            "ExterntId": attachment.externt_id,
            "ExterntNamn": attachment.externt_namn,
        }
        for attachment in notification.attachments
    ]
    return {
        "MeddelandeUtgåendeId": notification.id,
        "Kanaler": [
            {
                "KanalTyp": {
                    "SystemName": channel.kanal_system_name,
                    "Beteckning": channel.kanal_beteckning,
                    "Hjälptext": channel.kanal_hjalptext,
                },
                "Notifierad": channel.notifierad,
                "KlarUtc": utc_moment(channel.klar_utc),
                "ÖvergivenUtc": utc_moment(channel.overgiven_utc),
                "Ämne": channel.amne,
                "Brödtext": channel.brodtext,
            }
            for channel in notification.channels
        ],
        "Bilagor": attachments or None,
    }


# --- Input values ---------------------------------------------------------------------------------

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?")


def local_now(now: datetime) -> datetime:
    """The Swedish local time (naive, like the ``DateTime`` columns) of an aware moment."""
    return now.astimezone(SWEDISH_TIME).replace(tzinfo=None)


def parse_moment(value: object, name: str) -> datetime:
    """A local date-time in any §5.6 input form (``2014-01-01 14:00``, ``…T…``, with seconds, fraction or offset).

    A value with an offset or ``Z`` is converted to Swedish time; the result is naive. A non-string is malformed
    (400); a string that is no such date is a rejected value (``OgiltigtDatum``).
    """
    if not isinstance(value, str):
        raise service.invalid(f"{name} ska vara ett datum som text, inte {value!r}.")
    text = value.strip()
    if not _DATE_TIME.fullmatch(text):
        raise _bad_date(name, value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad_date(name, value) from None
    return local_now(moment) if moment.tzinfo is not None else moment


def parse_day(value: object, name: str) -> date:
    """A date in any §5.6 input form (a date-time counts by its Swedish date)."""
    return parse_moment(value, name).date()


def _bad_date(name: str, value: str) -> ApiError:
    return service.rejected("OgiltigtDatum", f"{name} är inget giltigt datum: {value!r}.", [f"{name}: {value!r}"])


def _text(value: object, name: str) -> str | None:
    """An optional text field: None for absent, null or blank; 400 for a non-string."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise service.invalid(f"{name} ska vara text, inte {value!r}.")
    return value.strip() or None


def _problems(problems: list[tuple[str, str]]) -> None:
    """Reject with the first problem's code and every problem as a detail, if there are any."""
    if problems:
        code, message = problems[0]
        raise service.rejected(code, message, [detail for _, detail in problems])


# --- Temporary addresses (E8, E9) -----------------------------------------------------------------

_ADDRESS_LENGTHS = {
    "Namn": 200,
    "Attention": 200,
    "CareOf": 200,
    "Gatuadress1": 200,
    "Gatuadress2": 200,
    "Postort": 100,
}
"""The free-text fields of a temporary address and their column lengths."""
_SWEDISH_POSTCODE = re.compile(r"(\d{3}) ?(\d{2})")
_FOREIGN_POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,8}[A-Za-z0-9]")


def country_code(value: str | None) -> str | None:
    """The code of a country given as a code (``se``) or a display name (``Sverige``); None when unknown."""
    if value is None:
        return "SE"
    wanted = value.strip().lower()
    for code, name in COUNTRIES.items():
        if wanted in (code.lower(), name.lower()):
            return code
    return None


def postcode(value: str | None, *, country: str) -> str | None:
    """A postcode as stored (Swedish ones as five digits, ``721 31`` → ``72131``); None when it is not valid."""
    if value is None:
        return None
    if country == "SE":
        match = _SWEDISH_POSTCODE.fullmatch(value)
        return match.group(1) + match.group(2) if match else None
    return value.upper() if _FOREIGN_POSTCODE.fullmatch(value) else None


def save_temporary_address(
    session: Session, *, customer_id: int, address_id: object, fields: dict[str, object]
) -> CustomerAddress:
    """Create (``address_id`` None) or replace a temporary notice address of the customer (E8, A-10).

    ``fields`` holds the request's Namn, Attention, CareOf, Gatuadress1, Gatuadress2, Postnummer, Postort, Fom, Tom
    and Land. Every problem is collected; the first one's code is the Felkod, all are listed in Detaljer.
    """
    address = _own_temporary_address(session, customer_id=customer_id, address_id=address_id)
    texts = {name: _text(fields.get(name), name) for name in (*_ADDRESS_LENGTHS, "Postnummer", "Land")}
    problems: list[tuple[str, str]] = []
    for name, limit in _ADDRESS_LENGTHS.items():
        if texts[name] is not None and len(texts[name]) > limit:
            problems.append(("ForLangtVarde", f"{name} får vara högst {limit} tecken."))
    for name in ("Gatuadress1", "Postort"):
        if texts[name] is None:
            problems.append(("UppgiftSaknas", f"{name} måste anges."))
    country = country_code(texts["Land"])
    if country is None:
        problems.append(("OkantLand", f"Landet {texts['Land']!r} är okänt; ange en landskod som SE."))
    code = postcode(texts["Postnummer"], country=country or "SE")
    if texts["Postnummer"] is None:
        problems.append(("UppgiftSaknas", "Postnummer måste anges."))
    elif code is None and country is not None:
        rule = "fem siffror" if country == "SE" else "2–10 bokstäver eller siffror"
        problems.append(("OgiltigtPostnummer", f"Postnumret {texts['Postnummer']!r} är ogiltigt: {rule}."))
    fom, tom = _period(fields.get("Fom"), fields.get("Tom"), problems)
    _problems(problems)

    if address is None:
        address = CustomerAddress(customer_id=customer_id, kind=TEMPORARY)
        session.add(address)
    address.namn, address.attention, address.care_of = texts["Namn"], texts["Attention"], texts["CareOf"]
    address.gatuadress1, address.gatuadress2 = texts["Gatuadress1"], texts["Gatuadress2"]
    address.postnummer, address.postort, address.land = code, texts["Postort"], country
    address.fom, address.tom = fom, tom
    session.flush()
    return address


def _own_temporary_address(session: Session, *, customer_id: int, address_id: object) -> CustomerAddress | None:
    if address_id is None:
        return None
    address = session.get(CustomerAddress, service.known_id(address_id, "AdressId"))
    if address is None or address.customer_id != customer_id or address.kind != TEMPORARY:
        raise service.not_found(f"Den tillfälliga adressen {address_id} finns inte.")
    return address


def _period(fom_value: object, tom_value: object, problems: list[tuple[str, str]]) -> tuple[date | None, date | None]:
    """Fom (required) and Tom (optional), Fom ≤ Tom; date problems are added to ``problems``."""
    fom = tom = None
    if fom_value is None or fom_value == "":
        problems.append(("UppgiftSaknas", "Fom måste anges."))
    else:
        fom = _collect_day(fom_value, "Fom", problems)
    if tom_value is not None and tom_value != "":
        tom = _collect_day(tom_value, "Tom", problems)
    if fom is not None and tom is not None and fom > tom:
        problems.append(("OgiltigPeriod", f"Fom ({fom}) ligger efter Tom ({tom})."))
    return fom, tom


def _collect_day(value: object, name: str, problems: list[tuple[str, str]]) -> date | None:
    try:
        return parse_day(value, name)
    except ApiError as error:
        if error.status != 200:
            raise
        problems.append((error.code, error.message))
        return None


# --- Contact details (E10) ------------------------------------------------------------------------

EMAIL = "E-postadress"
HOME_PHONE = "Telefon hem"
MOBILE = "Mobilnummer"
VALIDATION_DAYS = 7
PHONE_MAX_LENGTH = 30
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"(?:\+46|\d)[\d -]*")


@dataclass(frozen=True)
class ContactChange:
    """E10's request: None leaves a value unchanged, ``""`` removes it (A-26)."""

    email: str | None
    phone: str | None
    mobile: str | None
    validate: bool
    validation_url: str | None


def _email_problem(value: str) -> str | None:
    if len(value) > 200 or not _EMAIL.fullmatch(value):
        return f"E-postadressen {value!r} är ogiltig."
    return None


def _phone_problem(value: str, *, mobile: bool) -> str | None:
    digits = value.replace(" ", "").replace("-", "")
    if len(value) > PHONE_MAX_LENGTH or not _PHONE.fullmatch(value) or not 7 <= len(digits.lstrip("+")) <= 15:
        return f"Telefonnumret {value!r} är ogiltigt: 7–15 siffror, med mellanslag, bindestreck och +46."
    if mobile and not digits.startswith(("07", "+467")):
        return f"Mobilnumret {value!r} ska börja med 07 eller +467."
    return None


def change_contact_details(session: Session, *, customer_id: int, change: ContactChange, now: datetime) -> None:
    """Apply E10: validate every given value, then set, remove or keep each contact detail (A-26).

    A changed value is no longer validated. With ``validate``, an e-mail address that is given and not validated
    gets a validation key (7 days) and an outbox message with ``validation_url``'s ``{0}`` replaced by the key.
    """
    problems: list[tuple[str, str]] = []
    if change.email and (problem := _email_problem(change.email)):
        problems.append(("OgiltigEpost", problem))
    for value, mobile in ((change.phone, False), (change.mobile, True)):
        if value and (problem := _phone_problem(value, mobile=mobile)):
            problems.append(("OgiltigtTelefonnummer", problem))
    if change.validate:
        url = change.validation_url or ""
        if "{0}" not in url or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            problems.append(("OgiltigValideringsUrl", "ValideringsUrl ska vara en http(s)-adress som innehåller {0}."))
    _problems(problems)

    details = {
        detail.kind: detail
        for detail in session.scalars(select(ContactDetail).where(ContactDetail.customer_id == customer_id))
    }
    for kind, value in ((HOME_PHONE, change.phone), (MOBILE, change.mobile)):
        _set_detail(session, customer_id=customer_id, detail=details.get(kind), kind=kind, value=value)
    email = _set_detail(session, customer_id=customer_id, detail=details.get(EMAIL), kind=EMAIL, value=change.email)
    session.flush()
    if change.validate and change.email and email is not None and not email.validated:
        _send_validation(session, detail=email, url=change.validation_url or "", now=now)


def _set_detail(
    session: Session, *, customer_id: int, detail: ContactDetail | None, kind: str, value: str | None
) -> ContactDetail | None:
    """Set, remove (``""``) or keep (None or the same value) one contact detail; returns what remains."""
    if value is None or (detail is not None and detail.value == value):
        return detail
    if value == "":
        if detail is not None:
            session.delete(detail)
        return None
    if detail is None:
        detail = ContactDetail(customer_id=customer_id, kind=kind, value=value, validated=False)
        session.add(detail)
        return detail
    detail.value, detail.validated = value, False
    detail.validation_key_digest = detail.validation_expires_at = None
    return detail


def _send_validation(session: Session, *, detail: ContactDetail, url: str, now: datetime) -> None:
    token = issue_token()
    detail.validation_key_digest = token.digest
    detail.validation_expires_at = now + timedelta(days=VALIDATION_DAYS)
    link = url.replace("{0}", token.value)
    session.add(
        OutboxMessage(
            customer_id=detail.customer_id,
            channel="epost",
            recipient=detail.value,
            subject="Bekräfta din e-postadress",
            body=f"Hej!\n\nBekräfta din e-postadress genom att öppna länken nedan inom {VALIDATION_DAYS} dagar:\n"
            f"{link}\n",
            created_at=now,
        )
    )


def confirm_contact_detail(session: Session, *, key: str, now: datetime) -> ContactDetail:
    """Confirm a contact detail with the key from its validation message: it becomes validated (bodata, A-26)."""
    detail = session.scalar(select(ContactDetail).where(ContactDetail.validation_key_digest == token_digest(key)))
    if detail is None or detail.validation_expires_at is None or detail.validation_expires_at <= now:
        raise service.rejected("OgiltigNyckel", "Valideringsnyckeln är okänd eller har gått ut.")
    detail.validated = True
    detail.validation_key_digest = detail.validation_expires_at = None
    return detail


# --- Files of messages and documents (E2, E15) ---------------------------------------------------


def attachment_file(session: Session, *, customer_id: int, message_id: int, external_id: int) -> StoredFile:
    """The file of an attachment of one of the customer's messages (E2); 404 for anything else."""
    file = session.scalar(
        select(StoredFile)
        .join(NotificationAttachment, NotificationAttachment.file_id == StoredFile.id)
        .join(Notification, Notification.id == NotificationAttachment.notification_id)
        .where(
            Notification.id == message_id,
            Notification.customer_id == customer_id,
            NotificationAttachment.externt_id == external_id,
        )
    )
    if file is None:
        raise service.not_found(f"Bilagan {external_id} till meddelandet {message_id} finns inte.")
    return file


def attachment_file_json(file: StoredFile) -> Json:
    """A NotifieringBilagaFil: MIME type, extension and the bytes as base64 (§2.9, A-23)."""
    return {"MimeTyp": file.mime_type, "Extension": file.extension, "Data": blob(file.data)}


def document_file(session: Session, *, customer_id: int, document_id: int) -> tuple[Document, StoredFile]:
    """One of the customer's documents that has a stored file, and the file (E15); 404 for anything else."""
    row = session.execute(
        select(Document, StoredFile)
        .join(StoredFile, StoredFile.id == Document.file_id)
        .where(Document.id == document_id, Document.customer_id == customer_id)
    ).first()
    if row is None:
        raise service.not_found(f"Dokumentet {document_id} finns inte.")
    return row[0], row[1]


# --- Customer addresses (E18) and the notice recipient (E3) ---------------------------------------

ADDRESS_TYPES = {"kund.post": "Postadress", "kund.besok": "Besöksadress"}
"""E18's address types (AdressTypReferensnamn) and their display names (A-11, invented)."""


def _in_force(today: date) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (
        or_(CustomerAddress.fom.is_(None), CustomerAddress.fom <= today),
        or_(CustomerAddress.tom.is_(None), CustomerAddress.tom >= today),
    )


def customer_addresses(session: Session, *, customer_id: int, today: date) -> list[CustomerAddress]:
    """The customer's postal and visiting addresses in force today, postal first (E18)."""
    addresses = session.scalars(
        select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer_id, CustomerAddress.kind.in_(ADDRESS_TYPES), *_in_force(today))
        .order_by(CustomerAddress.fom, CustomerAddress.id)
    )
    return sorted(addresses, key=lambda address: list(ADDRESS_TYPES).index(address.kind))


def full_address(address: CustomerAddress) -> str:
    """FullständigAdress (A-11, invented rule): CareOf, street lines, "Postnummer Postort" and Land, joined by ", "."""
    town = " ".join(part for part in (address.postnummer, address.postort) if part)
    parts = (address.care_of, address.gatuadress1, address.gatuadress2, town, country_name(address.land))
    return ", ".join(part for part in parts if part)


def address_row_json(address: CustomerAddress) -> Json:
    """An E18 address row: the 12 address fields, the address type and FullständigAdress (once, A-11)."""
    return {
        **temporary_address_json(address),
        "AdressTypReferensnamn": address.kind,
        "AdressTypBeteckning": ADDRESS_TYPES.get(address.kind, address.kind),
        "FullständigAdress": full_address(address),
    }


def recipient_lines(session: Session, *, customer: Customer, sent: date) -> list[str]:
    """The address block of a printed notice: the temporary address in force the day it was sent, else the postal
    address of that day, so a reprint goes where the notice went. Without either, just the customer's name.
    """
    return recipients(session, customers=[customer], sent=sent)[customer.id]


def recipients(session: Session, *, customers: list[Customer], sent: date) -> dict[int, list[str]]:
    """``recipient_lines`` of many customers at once (a rent run's letters): one statement per 5,000 customers."""
    chosen: dict[int, CustomerAddress] = {}
    ids = [customer.id for customer in customers]
    for start in range(0, len(ids), 5000):
        rows = session.scalars(
            select(CustomerAddress)
            .where(
                CustomerAddress.customer_id.in_(ids[start : start + 5000]),
                CustomerAddress.kind.in_((TEMPORARY, "kund.post")),
                *_in_force(sent),
            )
            .order_by(CustomerAddress.customer_id, CustomerAddress.id)
        )
        for address in rows:
            current = chosen.get(address.customer_id)
            if current is None or _preferred(address, current):
                chosen[address.customer_id] = address
    return {customer.id: _address_lines(customer, chosen.get(customer.id)) for customer in customers}


def _preferred(address: CustomerAddress, current: CustomerAddress) -> bool:
    """A temporary address wins over the postal one; of two temporary ones, the one that began last."""
    if address.kind != current.kind:
        return address.kind == TEMPORARY
    return address.kind == TEMPORARY and (address.fom or date.min) > (current.fom or date.min)


def _address_lines(customer: Customer, address: CustomerAddress | None) -> list[str]:
    name = f"{customer.fornamn} {customer.efternamn}"
    if address is None:
        return [name]
    code = address.postnummer or ""
    if address.land == "SE" and len(code) == 5:
        code = f"{code[:3]} {code[3:]}"
    lines = [
        address.namn or name,
        f"c/o {address.care_of}" if address.care_of else None,
        f"Att: {address.attention}" if address.attention else None,
        address.gatuadress1,
        address.gatuadress2,
        " ".join(part for part in (code, address.postort) if part),
        country_name(address.land) if address.land != "SE" else None,
    ]
    return [line for line in lines if line]


# --- Printed notices (E3) -------------------------------------------------------------------------


def sending_day(invoice: Invoice) -> date:
    """The day a notice was sent: its first letter's (``brev.direkt``), else its first distribution's, else the day
    it was made (Swedish time). ``invoice.distributions`` must be loaded."""
    letters = [sent for sent in invoice.distributions if sent.typ == "brev.direkt"] or invoice.distributions
    if letters:
        return min(sent.distribuerad for sent in letters).date()
    return local_now(invoice.created_at).date()


def invoice_pdf(session: Session, *, customer_id: int, invoice_id: int) -> tuple[Invoice, bytes]:
    """One of the customer's notices (by ``Invoice.id``, A-19) printed as a PDF to the address it was sent to;
    404 for anything else."""
    invoice = session.scalar(
        select(Invoice)
        .where(Invoice.id == invoice_id, Invoice.customer_id == customer_id)
        .options(
            selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.rows),
            selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.node),
            selectinload(Invoice.payments),
            selectinload(Invoice.distributions),
        )
    )
    if invoice is None:
        raise service.not_found(f"Aviseringen {invoice_id} finns inte.")
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        raise ApiError(500, "HyresvardSaknas", "Hyresvärdens uppgifter saknas; aviseringen kan inte skrivas ut.")
    customer = session.get_one(Customer, customer_id)
    objects = {entry.node.id: entry.node for entry in invoice.ledger_entries if entry.node is not None}
    document = pdf.render_invoice(
        company=company,
        customer=customer,
        invoice=invoice,
        objects=objects,
        recipient_lines=recipient_lines(session, customer=customer, sent=sending_day(invoice)),
    )
    return invoice, document
