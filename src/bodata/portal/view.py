"""The session view (E1 "Hämta session"): the ``PortalSession`` a logged-in customer sees, section by section.

``PortalSession`` is ``{Kund, Ärenden, TillgängligaObjekt}`` (§2.1); the ``Hämta*`` flags decide which sections
and sub-sections are filled, and unrequested ones are ``null`` (A-6). ``SessionFlags.resolve`` applies A-6:
absent flags are false, except ``HämtaKund`` and ``HämtaTillgängligaObjekt`` when no flag is given at all, and a
child flag implies its parent. The market profile sits directly on ``SessionKund`` (A-7), messages in
``SessionKund.Meddelanden`` (A-8).

Everything is loaded in a fixed number of SQL statements whatever the number of notices, cases, rows or readings:
one statement per table, filtered by the customer or by the ids of the available objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import RowMapping, bindparam, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from bodata.portal.cases import case_documents, customer_cases
from bodata.portal.customers import (
    contact_detail_json,
    current_temporary_addresses,
    document_json,
    message_json,
    temporary_address_json,
)
from bodata.portal.economy import by_parent, economy_json, object_type_label
from bodata.portal.models import (
    ContactDetail,
    Customer,
    Document,
    FileType,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Node,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    StoredFile,
)
from bodata.portal.nodes import available_nodes
from bodata.portal.shapes import Json, address, amount, day, node_part, offset_moment

MARKET_PROFILE_FIELDS = (
    "Skapad",
    "MarknadAktörInkomst",
    "MarknadAktörUtbildning",
    "MarknadAktörBoende",
    "MarknadAktörHushåll",
    "MarknadIntresse",
    "MarknadEkonomi",
)
"""The seven ``SessionMarknadProfil`` fields, put directly on ``SessionKund`` (A-7), as keys of
``Customer.market_profile``."""

_installation = MeterInstallation.__table__
_meter = Meter.__table__
_reading = MeterReading.__table__
_maintenance = MaintenanceItem.__table__
_ON_NODES = bindparam("node_ids", expanding=True)
_OF_CUSTOMER = bindparam("customer_id")

_CONTACT_DETAILS = select(ContactDetail).where(ContactDetail.customer_id == _OF_CUSTOMER).order_by(ContactDetail.id)
_DOCUMENTS = (
    select(Document, StoredFile.extension)
    .join(FileType, FileType.id == Document.file_type_id)
    .outerjoin(StoredFile, StoredFile.id == Document.file_id)
    .where(Document.customer_id == _OF_CUSTOMER)
    .order_by(FileType.ordning, Document.ordning, Document.id)
    .options(joinedload(Document.node))
)
_MESSAGES = (
    select(Notification)
    .where(Notification.customer_id == _OF_CUSTOMER)
    .order_by(Notification.created_at.desc(), Notification.id.desc())
)
_MESSAGE_CHANNELS = (
    select(NotificationChannel)
    .join(Notification, Notification.id == NotificationChannel.notification_id)
    .where(Notification.customer_id == _OF_CUSTOMER)
    .order_by(NotificationChannel.id)
)
_MESSAGE_ATTACHMENTS = (
    select(NotificationAttachment)
    .join(Notification, Notification.id == NotificationAttachment.notification_id)
    .where(Notification.customer_id == _OF_CUSTOMER)
    .order_by(NotificationAttachment.id)
)
_MAINTENANCE = (
    select(_maintenance)
    .where(_maintenance.c.node_id.in_(_ON_NODES))
    .order_by(_maintenance.c.planerat.is_(None), _maintenance.c.planerat, _maintenance.c.id)
)
_METER_INSTALLATIONS = select(_installation).where(_installation.c.node_id.in_(_ON_NODES)).order_by(_installation.c.id)
_METERS = (
    select(_meter)
    .join(_installation, _installation.c.id == _meter.c.installation_id)
    .where(_installation.c.node_id.in_(_ON_NODES))
    .order_by(_meter.c.id)
)
_METER_READINGS = (
    select(_reading)
    .join(_meter, _meter.c.id == _reading.c.meter_id)
    .join(_installation, _installation.c.id == _meter.c.installation_id)
    .where(_installation.c.node_id.in_(_ON_NODES))
    .order_by(_reading.c.meter_id, _reading.c.datum)
)
"""The statements of the session view, built once (a session view runs them on every call); each reads one table
for the customer or the available objects, whatever the number of rows."""


@dataclass(frozen=True)
class SessionFlags:
    """What ``GET /session`` fills, after A-6's defaults and implications (see ``resolve``)."""

    customer: bool = False
    market_profile: bool = False
    contact_details: bool = False
    economy: bool = False
    temporary_addresses: bool = False
    documents: bool = False
    notices: bool = False
    cases: bool = False
    case_rows: bool = False
    objects: bool = False
    maintenance: bool = False
    meter_data: bool = False
    messages: bool = False
    media_bytes: bool = False
    notice_months: int = 0
    """Keep the notices due within the last N months; 0 keeps all (``HämtaKundAviseringarAntMån``)."""

    @classmethod
    def resolve(cls, given: Mapping[str, bool], *, notice_months: int = 0) -> SessionFlags:
        """The flags from the ``Hämta*`` parameters the client sent (by their documented names).

        With none given, ``HämtaKund`` and ``HämtaTillgängligaObjekt`` are on (the E1 example); a child flag turns
        its parent on (``HämtaKundEkonomiAviseringar`` → ``HämtaKundEkonomi`` → ``HämtaKund``).
        """
        values = dict(given) if given else {"HämtaKund": True, "HämtaTillgängligaObjekt": True}
        for child, parent in FLAG_PARENTS.items():
            if values.get(child):
                values[parent] = True
        return cls(notice_months=notice_months, **{FLAGS[name]: value for name, value in values.items()})


FLAGS = {
    "HämtaKund": "customer",
    "HämtaMarknadProfil": "market_profile",
    "HämtaKontaktuppgifter": "contact_details",
    "HämtaKundEkonomi": "economy",
    "HämtaTillfälligaAdresser": "temporary_addresses",
    "HämtaDokument": "documents",
    "HämtaKundEkonomiAviseringar": "notices",
    "HämtaÄrende": "cases",
    "HämtaÄrendeRader": "case_rows",
    "HämtaTillgängligaObjekt": "objects",
    "HämtaUnderhåll": "maintenance",
    "HämtaMätdata": "meter_data",
    "HämtaKundMeddelanden": "messages",
    "HämtaÄrendeRaderMediaBytes": "media_bytes",
}
"""The boolean ``Hämta*`` parameters of E1 and the ``SessionFlags`` field each sets."""

FLAG_PARENTS = {
    "HämtaKundEkonomiAviseringar": "HämtaKundEkonomi",
    "HämtaKundEkonomi": "HämtaKund",
    "HämtaKontaktuppgifter": "HämtaKund",
    "HämtaTillfälligaAdresser": "HämtaKund",
    "HämtaDokument": "HämtaKund",
    "HämtaMarknadProfil": "HämtaKund",
    "HämtaKundMeddelanden": "HämtaKund",
    "HämtaUnderhåll": "HämtaTillgängligaObjekt",
    "HämtaMätdata": "HämtaTillgängligaObjekt",
    "HämtaÄrendeRaderMediaBytes": "HämtaÄrendeRader",
    "HämtaÄrendeRader": "HämtaÄrende",
}
"""Which flag a flag implies, by the names' hierarchy (children before their parents, so chains resolve in one
pass). ``HämtaÄrendeRader`` also fills the objects' ``ÄrendeRader`` when the objects are asked for."""


def portal_session(
    session: Session, *, customer_id: int, flags: SessionFlags, today: date, aliases: bool, base_url: str
) -> Json:
    """The ``PortalSession`` of a customer: the sections ``flags`` ask for, ``null`` for the others.

    ``aliases`` adds the example's ``Nod``/``Avser`` keys (A-3); ``base_url`` is the portal's public URL, for the
    documents' ``FilUrl``.
    """
    cases = customer_cases(session, customer_id=customer_id) if flags.cases else []
    documents = (
        case_documents(session, cases, include_rows=flags.case_rows, media_bytes=flags.media_bytes, aliases=aliases)
        if cases
        else []
    )
    objects = None
    if flags.objects:
        rows_by_object: dict[int, list[Any]] = defaultdict(list)
        for case, document in zip(cases, documents, strict=True):
            if case.node_id is not None and document.get("Rader"):
                rows_by_object[case.node_id].extend(document["Rader"])
        objects = available_objects_json(
            session,
            nodes=available_nodes(session, customer_id=customer_id, today=today),
            flags=flags,
            case_rows=rows_by_object,
            aliases=aliases,
        )
    return {
        "Kund": customer_json(session, customer_id=customer_id, flags=flags, today=today, base_url=base_url)
        if flags.customer
        else None,
        "Ärenden": documents if flags.cases else None,
        "TillgängligaObjekt": objects,
    }


# --- Kund -----------------------------------------------------------------------------------------


def personnummer(customer: Customer) -> str | None:
    """``YYYYMMDDnnnn`` when a Swedish personnummer is registered, else the birth date ``YYYYMMDD`` (A-36)."""
    if customer.personnummer:
        return customer.personnummer
    return customer.fodelsedatum.strftime("%Y%m%d") if customer.fodelsedatum else None


def customer_json(session: Session, *, customer_id: int, flags: SessionFlags, today: date, base_url: str) -> Json:
    """A ``SessionKund``: ``Kundinformation`` always, the other parts as ``flags`` ask (else null)."""
    customer = session.get_one(Customer, customer_id)
    profile = (customer.market_profile or {}) if flags.market_profile else {}
    return {
        "Ekonomi": economy_json(
            session, customer_id=customer_id, include_notices=flags.notices, months=flags.notice_months, today=today
        )
        if flags.economy
        else None,
        "Kontaktuppgifter": [
            contact_detail_json(detail) for detail in session.scalars(_CONTACT_DETAILS, {"customer_id": customer_id})
        ]
        if flags.contact_details
        else None,
        "Kundinformation": {
            "Förnamn": customer.fornamn,
            "Efternamn": customer.efternamn,
            "Personnummer": personnummer(customer),
            "Kundnummer": customer.kundnummer,
        },
        "TillfälligaAdresser": [
            temporary_address_json(address)
            for address in current_temporary_addresses(
                session, customer_id=customer_id, today=today, include_ended=False
            )
        ]
        if flags.temporary_addresses
        else None,
        "Dokument": customer_documents_json(session, customer_id=customer_id, base_url=base_url)
        if flags.documents
        else None,
        **market_profile_json(profile),
        "Meddelanden": customer_messages_json(session, customer_id=customer_id) if flags.messages else None,
    }


def market_profile_json(profile: Mapping[str, Any]) -> Json:
    """The seven market-profile fields as stored, with their times in the examples' forms: ``Skapad`` and
    ``MarknadIntresse.Skapad`` with Swedish time's offset (``1997-07-16T19:20:30+01:00``),
    ``MarknadAktörInkomst.Skapad`` a date (``2019-01-01``)."""
    fields = {name: profile.get(name) for name in MARKET_PROFILE_FIELDS}
    fields["Skapad"] = offset_moment(fields["Skapad"])
    for part, form in (("MarknadIntresse", offset_moment), ("MarknadAktörInkomst", _date_part)):
        if fields[part] is not None and fields[part].get("Skapad") is not None:
            fields[part] = {**fields[part], "Skapad": form(fields[part]["Skapad"])}
    return fields


def _date_part(value: str) -> str:
    return value[: len("YYYY-MM-DD")]


def customer_documents_json(session: Session, *, customer_id: int, base_url: str) -> list[Json]:
    """The customer's ``SessionDokument`` list, by file-type order, then file order (one statement)."""
    return [
        document_json(document, base_url=base_url, extension=extension)
        for document, extension in session.execute(_DOCUMENTS, {"customer_id": customer_id})
    ]


def customer_messages_json(session: Session, *, customer_id: int) -> list[Json]:
    """The customer's messages (A-8), newest first, with channels and attachments (three statements)."""
    customer = {"customer_id": customer_id}
    notifications = session.scalars(_MESSAGES, customer).all()
    channels = by_parent(session.scalars(_MESSAGE_CHANNELS, customer), attrgetter("notification_id"))
    attachments = by_parent(session.scalars(_MESSAGE_ATTACHMENTS, customer), attrgetter("notification_id"))
    for notification in notifications:
        set_committed_value(notification, "channels", channels[notification.id])
        set_committed_value(notification, "attachments", attachments[notification.id])
    return [message_json(notification) for notification in notifications]


# --- TillgängligaObjekt ---------------------------------------------------------------------------


def available_objects_json(
    session: Session,
    *,
    nodes: Sequence[Node],
    flags: SessionFlags,
    case_rows: Mapping[int, list[Any]],
    aliases: bool,
) -> list[Json]:
    """``SessionTillgängligtObjekt`` for each node; ``ÄrendeRader`` (the customer's case rows on the object, from
    ``case_rows`` by node id), ``Underhåll`` and ``MätdataAnläggningar`` are lists when asked for, else null (A-18).
    """
    ids = [node.id for node in nodes]
    maintenance = _maintenance_by_node(session, node_ids=ids) if flags.maintenance else {}
    meters = _meter_installations_by_node(session, node_ids=ids) if flags.meter_data else {}
    result = []
    for node in nodes:
        entity = node_part(node, aliases=aliases)
        item: Json = {
            "Typ": node.object_type,
            "Typbeteckning": object_type_label(node),
            "ObjektTypBeteckning": node.node_class.beteckning,
            "Nummer": node.nummer,
            "Användning": [{"Referensnamn": usage.strip()} for usage in node.usages.split(",") if usage.strip()],
            "Entitet": entity,
        }
        if aliases:
            item["Nod"] = entity
        item.update(
            {
                "Adress": address(node),
                "ÄrendeRader": list(case_rows.get(node.id, [])) if flags.case_rows else None,
                "Underhåll": maintenance.get(node.id, []) if flags.maintenance else None,
                "MätdataAnläggningar": meters.get(node.id, []) if flags.meter_data else None,
            }
        )
        result.append(item)
    return result


def _maintenance_by_node(session: Session, *, node_ids: Sequence[int]) -> dict[int, list[Json]]:
    by_node: dict[int, list[Json]] = defaultdict(list)
    for item in session.connection().execute(_MAINTENANCE, {"node_ids": node_ids}).mappings():
        by_node[item["node_id"]].append(
            {
                "Åtgärd": item["atgard"],
                "Planeratdatum": day(item["planerat"]),
                "Avser": item["avser"],
                "Utförd": day(item["utford"]),
                "Beställd": day(item["bestalld"]),
            }
        )
    return by_node


def _meter_installations_by_node(session: Session, *, node_ids: Sequence[int]) -> dict[int, list[Json]]:
    connection = session.connection()
    on_nodes = {"node_ids": node_ids}
    meters = by_parent(connection.execute(_METERS, on_nodes).mappings(), itemgetter("installation_id"))
    readings = by_parent(connection.execute(_METER_READINGS, on_nodes).mappings(), itemgetter("meter_id"))
    by_node: dict[int, list[Json]] = defaultdict(list)
    for installation in connection.execute(_METER_INSTALLATIONS, on_nodes).mappings():
        by_node[installation["node_id"]].append(
            {
                "Användning": installation["anvandning"],
                "Mätare": [_meter_json(meter, readings[meter["id"]]) for meter in meters[installation["id"]]],
                "Beteckning": installation["beteckning"],
            }
        )
    return by_node


def _meter_json(meter: RowMapping, readings: list[RowMapping]) -> Json:
    return {
        "Användning": meter["anvandning"],
        "Mätdata": [
            {
                "Förbrukning": amount(reading["forbrukning"]),
                "Mätarställning": amount(reading["matarstallning"]),
                "Enhet": meter["enhet"],
                "Tom": day(reading["tom"]),
                "Datum": day(reading["datum"]),
                "Kostnad": amount(reading["kostnad"]),
                "Debiterad": reading["debiterad"],
                "AvlästTid": day(reading["avlast_tid"]),
                "Pris": amount(reading["pris"]),
                "Apris": amount(reading["apris"]),
                "DebiterasTidigast": day(reading["debiteras_tidigast"]),
            }
            for reading in readings
        ],
        "Beteckning": meter["beteckning"],
    }
