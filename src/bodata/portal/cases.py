"""Cases (Ärende) in the tenant portal: reading them, the node picker, fault reports, offer answers (portal.md §2.5,
§2.6, E4–E7, E14, E16).

A case is the customer's when they own it (``Case.customer_id``) or, for an inspection, move in
(``Case.incoming_customer_id``). Reading cases costs a constant number of queries however many cases and rows
there are. A fault report (E5) is checked whole before anything is written: any problem answers one Felmeddelande
listing every problem, and nothing is saved.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bodata.core.errors import ApiError
from bodata.core.inputs import id_in_range
from bodata.core.security import token_digest
from bodata.portal import service
from bodata.portal.customers import EMAIL, HOME_PHONE, MOBILE, local_now, parse_day
from bodata.portal.freshness import take_write_turn
from bodata.portal.images import ACCEPTED as IMAGE_FORMATS
from bodata.portal.images import image_type
from bodata.portal.models import (
    Actor,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    Company,
    ContactDetail,
    Customer,
    FaultDescriptionType,
    KeyHandlingType,
    Node,
    NodeClass,
    StoredFile,
)
from bodata.portal.nodes import (
    available_nodes,
    available_path,
    children_of,
    inherited_address,
    parse_path,
    path_text,
    path_to_root,
    resolve_paths,
    stored_path_ids,
    with_ancestors,
)
from bodata.portal.pdf import render_inspection_protocol
from bodata.portal.shapes import Json, amount, blob, day, moment, node_part

ORDER = "Order"
MAINTENANCE = "Underhall"
INSPECTION = "Besiktning"
CASE_TYPES = {"order": ORDER, "besiktning": INSPECTION}
"""E4's ArendeTyp values (ASCII-folded, lower case) and their reference names."""
FAULT_REPORT_TYPES = {"felanmalan", "order"}
"""E5's accepted Ärendetyp values (ASCII-folded, lower case); the case is created as an ``Order`` (A-9)."""
SOURCES = ("MinaSidor", "Internt", "Korning", "Externt")
"""ÄrendeKällaTyp: where a case came from."""
FAULT_REPORT = "Felanmälan"
FIRST_STEP = ("Handlaggare", "Hos handläggare")

TIME_UNITS = {
    "minut": ("Minut", "Minuter"),
    "timme": ("Timme", "Timmar"),
    "dag": ("Dag", "Dagar"),
    "vecka": ("Vecka", "Veckor"),
    "manad": ("Månad", "Månader"),
    "ar": ("År", "År"),
}
"""TidEnhet by ReferensNamn: the capture names minut, timme and ar; dag, vecka and manad are bodata's additions."""

MAX_ROWS = 20
MAX_MEDIA_PER_ROW = 10
TEXT_LIMITS = {
    "Husdjur": 500,
    "Beskrivning": 4000,
    "Specifikation": 4000,
    "Nyckelhanteringsnotering": 500,
    "Notering": 1000,
    "Visningsnamn": 200,
    "Förnamn": 100,
    "Efternamn": 100,
    "Telefon": 50,
    "Mobil": 50,
    "Epost": 200,
}
"""The longest text each E5 field may carry (the column lengths)."""


def fold(text: str) -> str:
    """Lower case without diacritics, for matching value sets (``Felanmälan`` → ``felanmalan``, A-31)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


# --- Reading cases (E1, E6) -----------------------------------------------------------------------


def customer_cases(session: Session, *, customer_id: int) -> list[Case]:
    """The customer's cases that are not deleted (also inspections where they are the incoming tenant), by id."""
    statement = (
        select(Case)
        .where(or_(Case.customer_id == customer_id, Case.incoming_customer_id == customer_id))
        .where(Case.borttagen.is_(False))
        .order_by(Case.id)
    )
    return list(session.scalars(statement))


def own_case(session: Session, *, customer_id: int, case_id: int) -> Case:
    """One of the customer's cases (deleted ones too, A-37); 404 for an unknown case or someone else's."""
    case = session.scalar(
        select(Case).where(
            Case.id == case_id, or_(Case.customer_id == customer_id, Case.incoming_customer_id == customer_id)
        )
    )
    if case is None:
        raise service.not_found(f"Ärendet {case_id} finns inte.")
    return case


def shared_case(session: Session, *, share_key: str) -> Case:
    """The case a share key (Delningsnyckel) opens, unless it is deleted; 404 otherwise (A-25)."""
    case = session.scalar(
        select(Case).where(Case.share_key_digest == token_digest(share_key), Case.borttagen.is_(False))
    )
    if case is None:
        raise service.not_found("Delningsnyckeln är okänd.")
    return case


@dataclass
class _CaseData:
    """Everything the Ärende documents of some cases refer to, loaded once for all of them."""

    rows: dict[int, list[CaseRow]]
    participants: dict[int, list[CaseParticipant]]
    nodes: dict[int, Node]
    customers: dict[int, Customer]
    contact_details: dict[int, dict[str, str]]
    actors: dict[int, Actor]
    file_data: dict[int, bytes] | None
    """The images' bytes by file id; None when they were not asked for."""
    aliases: bool


def case_documents(
    session: Session, cases: Sequence[Case], *, include_rows: bool, media_bytes: bool, aliases: bool
) -> list[Json]:
    """The Ärende JSON of each case, in the given order (at most ten queries however many cases and rows).

    ``include_rows`` fills ``Rader`` (else null); ``media_bytes`` puts each image's bytes into ``Media`` (else
    only its id, A-23); ``aliases`` adds the example's ``Avser`` key to node-path elements (A-3).
    """
    if not cases:
        return []
    case_ids = [case.id for case in cases]
    rows: dict[int, list[CaseRow]] = defaultdict(list)
    if include_rows:
        statement = (
            select(CaseRow)
            .where(CaseRow.case_id.in_(case_ids))
            .order_by(CaseRow.id)
            .options(selectinload(CaseRow.history), selectinload(CaseRow.time_points), selectinload(CaseRow.media))
        )
        for row in session.scalars(statement):
            rows[row.case_id].append(row)
    participants: dict[int, list[CaseParticipant]] = defaultdict(list)
    for participant in session.scalars(
        select(CaseParticipant).where(CaseParticipant.case_id.in_(case_ids)).order_by(CaseParticipant.id)
    ):
        participants[participant.case_id].append(participant)
    all_rows = [row for case_rows in rows.values() for row in case_rows]
    node_ids = {case.node_id for case in cases if case.node_id is not None and case.typ_referensnamn == INSPECTION}
    node_ids.update(node_id for row in all_rows for node_id in stored_path_ids(row.node_path))
    customer_ids = {case.customer_id for case in cases if case.contact_actor_id is None}
    actor_ids = {case.contact_actor_id for case in cases if case.contact_actor_id is not None}
    data = _CaseData(
        rows=rows,
        participants=participants,
        nodes=with_ancestors(session, node_ids),
        customers=_by_id(session, Customer, customer_ids),
        contact_details=_contact_details(session, customer_ids),
        actors=_by_id(session, Actor, actor_ids),
        file_data=_file_data(session, all_rows) if media_bytes else None,
        aliases=aliases,
    )
    return [_case_json(case, data, include_rows=include_rows) for case in cases]


_Record = TypeVar("_Record", Customer, Actor)


def _by_id(session: Session, model: type[_Record], ids: set[int]) -> dict[int, _Record]:
    if not ids:
        return {}
    return {item.id: item for item in session.scalars(select(model).where(model.id.in_(ids)))}


def _file_data(session: Session, rows: list[CaseRow]) -> dict[int, bytes]:
    file_ids = {media.file_id for row in rows for media in row.media}
    if not file_ids:
        return {}
    return dict(session.execute(select(StoredFile.id, StoredFile.data).where(StoredFile.id.in_(file_ids))).all())


def _contact_details(session: Session, customer_ids: set[int]) -> dict[int, dict[str, str]]:
    details: dict[int, dict[str, str]] = defaultdict(dict)
    if customer_ids:
        for detail in session.scalars(select(ContactDetail).where(ContactDetail.customer_id.in_(customer_ids))):
            details[detail.customer_id][detail.kind] = detail.value
    return details


def _case_json(case: Case, data: _CaseData, *, include_rows: bool) -> Json:
    events = {
        "ÄrendeInkommen": moment(case.inkommen),
        "ÄrendeKlarSenast": moment(case.klar_senast),
        "ÄrendeAvslutat": moment(case.avslutat),
        "Borttagen": case.borttagen,
        "ÄrendePlaneradKlar": moment(case.planerad_klar),
        "ÄrendePlaneradStart": moment(case.planerad_start),
    }
    rows = [_row_json(row, data, general=case.general) for row in data.rows[case.id]] if include_rows else None
    document: Json = {
        "Id": case.id,
        "Nummer": case.nummer,
        "Typ": case.typ,
        "TypReferensNamn": case.typ_referensnamn,
        "Avser": None,
        "Adress": None,
        "Kontakter": [_contact_json(case, data)],
        "Rader": rows,
        "Processteg": None,
        "Handläggare": None,
        "Händelser": events,
        "UnderhållsErbjudande": None,
    }
    if case.general:
        document["Händelser"] = dict.fromkeys(events) | {"ÄrendeInkommen": events["ÄrendeInkommen"]}
        return document
    document["Handläggare"] = [
        _participant_json(participant) for participant in data.participants[case.id] if participant.case_row_id is None
    ]
    if case.typ_referensnamn == INSPECTION:
        if case.node_id is not None:
            document["Avser"] = [
                node_part(node, aliases=data.aliases) for node in path_to_root(data.nodes, case.node_id)
            ]
            document["Adress"] = inherited_address(data.nodes, case.node_id)
        document["Processteg"] = _step(case.processteg_referensnamn, case.processteg_beteckning)
    if case.typ_referensnamn == MAINTENANCE:
        document["UnderhållsErbjudande"] = {"ErbjudandeEkonomiSerieSvarSenast": day(case.erbjudande_svar_senast)}
    return document


def _contact_json(case: Case, data: _CaseData) -> Json:
    """ÄrendeDeltagare of the contact: the actor given in the fault report, else the customer (A-9)."""
    if case.contact_actor_id is not None:
        actor = data.actors[case.contact_actor_id]
        return {
            "Visningsnamn": actor.visningsnamn,
            "Telefon": actor.telefon,
            "Mobil": actor.mobil,
            "Epost": actor.epost,
        }
    customer = data.customers[case.customer_id]
    details = data.contact_details[customer.id]
    return {
        "Visningsnamn": f"{customer.fornamn} {customer.efternamn}",
        "Telefon": details.get(HOME_PHONE),
        "Mobil": details.get(MOBILE),
        "Epost": details.get(EMAIL),
    }


def _participant_json(participant: CaseParticipant) -> Json:
    return {
        "Visningsnamn": participant.visningsnamn,
        "Telefon": participant.telefon,
        "Mobil": participant.mobil,
        "Epost": participant.epost,
    }


def _step(reference: str | None, label: str | None) -> Json | None:
    """An ÄrendeStatus or ÄrendeProcessteg."""
    if reference is None and label is None:
        return None
    return {"Referensnamn": reference, "Beteckning": label}


def _row_json(row: CaseRow, data: _CaseData, *, general: bool) -> Json:
    status = _step(row.status_referensnamn, row.status_beteckning)
    time_points = [
        {
            "ÄrendeRadId": row.id,
            "ÄrendeRadTidpunktId": point.id,
            "Värde": moment(point.varde),
            "ÄrendeRadTidpunktTypId": point.time_point_type_id,
            "ÄrendeRadTidpunktTypSystemName": point.time_point_type.system_name,
            "ÄrendeRadTidpunktTybBeteckning": point.time_point_type.beteckning,
        }
        for point in row.time_points
    ]
    classification = None
    if row.klassificering_id is not None or row.klassificering_system_name is not None:
        classification = {
            "ÄrendeRadId": row.id,
            "ÄrendeKlassificeringTypId": row.klassificering_id,
            "ÄrendeKlassificeringSystemName": row.klassificering_system_name,
            "ÄrendeKlassificeringBeteckning": row.klassificering_beteckning,
        }
    document: Json = dict.fromkeys(_ROW_FIELDS) | {
        "Id": row.id,
        "Status": status,
        "Tidpunkter": time_points,
        "Beskrivning": classification,
    }
    if general:
        return document
    path = [data.nodes[node_id] for node_id in stored_path_ids(row.node_path) if node_id in data.nodes]
    root = path[0] if path else None
    return document | {
        "Avser": node_part(path[-1], aliases=data.aliases) if path else None,
        "Adress": inherited_address(data.nodes, path[-1].id) if path else None,
        "Processteg": _step(row.processteg_referensnamn, row.processteg_beteckning),
        "Huvudentitet": root.nummer if root else None,
        "HuvudentitetNodKlassBeteckning": root.node_class.beteckning if root else None,
        "Nodstig": [node_part(node, aliases=data.aliases) for node in path],
        "Handläggare": [
            _participant_json(participant)
            for participant in data.participants[row.case_id]
            if participant.case_row_id == row.id
        ],
        "Historik": [
            {"Beteckning": entry.beteckning, "Tidpunkt": moment(entry.tidpunkt), "Användare": entry.anvandare}
            for entry in row.history
        ],
        "Åtgärd": _measure_json(row),
        "Media": [
            {"Id": media.id, "Media": None if data.file_data is None else blob(data.file_data[media.file_id])}
            for media in row.media
        ],
        "PrisModell": None
        if row.pris_restvarde is None and row.pris_rabatt is None
        else {"RestVärde": amount(row.pris_restvarde), "Rabatt": amount(row.pris_rabatt)},
    }


_ROW_FIELDS = (
    "Id",
    "Avser",
    "Adress",
    "Status",
    "Processteg",
    "Huvudentitet",
    "HuvudentitetNodKlassBeteckning",
    "Nodstig",
    "Handläggare",
    "Historik",
    "Åtgärd",
    "Media",
    "PrisModell",
    "Tidpunkter",
    "Beskrivning",
)
"""ÄrendeRad's fields in the documented order."""


def _measure_json(row: CaseRow) -> Json | None:
    """ÄrendeRadÅtgärd: null when the row has no measure."""
    node_fields = (row.atgard_accepterad, row.atgard_planerad, row.atgard_skapad)
    class_fields = (row.atgard_intervall, row.atgard_intervall_enhet)
    type_fields = (row.atgard_typ_beteckning, row.atgard_typ_kortbeteckning)
    if all(
        value is None for value in (row.atgard_bestalld, row.atgard_utford, *node_fields, *class_fields, *type_fields)
    ):
        return None
    unit = None
    if row.atgard_intervall_enhet is not None:
        singular, plural = TIME_UNITS.get(row.atgard_intervall_enhet, (row.atgard_intervall_enhet,) * 2)
        unit = {"ReferensNamn": row.atgard_intervall_enhet, "Beteckning": singular, "BeteckningPlural": plural}
    return {
        "Beställd": day(row.atgard_bestalld),
        "Utförd": day(row.atgard_utford),
        "ÅtgärdNod": None
        if all(value is None for value in node_fields)
        else {
            "Accepterad": day(row.atgard_accepterad),
            "Planerad": moment(row.atgard_planerad),
            "Skapad": day(row.atgard_skapad),
        },
        "ÅtgärdNodKlass": None
        if all(value is None for value in class_fields)
        else {"Intervall": row.atgard_intervall, "IntervallEnhet": unit},
        "ÅtgärdNodKlassTyp": None
        if all(value is None for value in type_fields)
        else {"Beteckning": row.atgard_typ_beteckning, "KortBeteckning": row.atgard_typ_kortbeteckning},
    }


# --- Node picker (E4) -----------------------------------------------------------------------------


def has_usage(node: Node, usage: str) -> bool:
    """True when the node can be used for ``usage`` (AnvändningTyp, matched case-insensitively and ASCII-folded)."""
    return fold(usage) in {fold(name.strip()) for name in node.usages.split(",") if name.strip()}


def fault_description_types(session: Session, *, node_class_id: int) -> list[FaultDescriptionType]:
    """The fault descriptions for a node class: the class's own first, then the global ones (A-4)."""
    types = session.scalars(
        select(FaultDescriptionType).where(
            or_(FaultDescriptionType.node_class_id == node_class_id, FaultDescriptionType.node_class_id.is_(None))
        )
    )
    return sorted(types, key=lambda kind: (kind.node_class_id is None, kind.id))


def picker_settings(
    session: Session,
    *,
    customer_id: int,
    case_type: str,
    usage: str,
    path: str,
    today: date,
    nodes: bool,
    fault_types: bool,
    key_types: bool,
    aliases: bool,
) -> Json:
    """ÄrendeAvserVäljareInställningar (E4): the children along ``path`` and, when asked for, the fault descriptions
    of its last node and the key-handling types.

    400 for an unknown case type or a malformed path; 404 for a path outside the customer's objects or an object
    without that usage.
    """
    if fold(case_type) not in CASE_TYPES:
        raise service.invalid(f"ArendeTyp ska vara Order eller Besiktning, inte {case_type!r}.")
    path_ids = parse_path(path)
    chain = available_path(session, customer_id=customer_id, path_ids=path_ids, today=today)
    if not has_usage(chain[0], usage):
        raise service.not_found(f"Objektet {path_text(path_ids[:1])} kan inte användas för {usage!r}.")
    children = children_of(session, path_ids) if nodes else None
    faults = fault_description_types(session, node_class_id=chain[-1].node_class_id) if fault_types else None
    keys = session.scalars(select(KeyHandlingType).order_by(KeyHandlingType.id)) if key_types else None
    return {
        "Avser": None
        if children is None
        else [[node_part(child, aliases=aliases) for child in children[node_id]] for node_id in path_ids],
        "Felbeskrivningstyper": None
        if faults is None
        else [{"FelbeskrivningId": kind.id, "Beteckning": kind.beteckning} for kind in faults],
        "Nyckelhanteringstyper": None
        if keys is None
        else [{"NyckelhanteringId": kind.id, "Beteckning": kind.beteckning} for kind in keys],
    }


# --- Fault reports (E5) ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-–]*")


@dataclass(frozen=True)
class MediaUpload:
    """A checked image of a fault report row."""

    data: bytes
    mime_type: str
    extension: str
    note: str | None


@dataclass(frozen=True)
class ReportRow:
    """A checked row of a fault report."""

    path_ids: list[int]
    description: str | None
    specification: str | None
    key_handling_id: int | None
    key_handling_note: str | None
    fault_description_id: int | None
    media: list[MediaUpload]


@dataclass(frozen=True)
class ContactPerson:
    """SparaÄrendeKontakt: the person to contact instead of the customer."""

    display_name: str
    first_name: str | None
    last_name: str | None
    phone: str | None
    mobile: str | None
    email: str | None


class _Problems:
    """The problems found in a request, collected so one answer can list them all."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, message: str) -> None:
        self.found.append(message)

    def text(self, body: dict[str, Any], key: str, field: str) -> str | None:
        """An optional text: None for absent, null or blank; a problem for a non-string or one that is too long."""
        value = body.get(key)
        if value is None:
            return None
        limit = TEXT_LIMITS[key]
        if not isinstance(value, str):
            self.add(f"{field} ska vara text.")
            return None
        if len(value) > limit:
            self.add(f"{field} får vara högst {limit} tecken lång.")
            return None
        return value.strip() or None

    def identifier(self, body: dict[str, Any], key: str, field: str) -> int | None:
        """An optional positive integer id."""
        value = body.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not id_in_range(value):
            self.add(f"{field} ska vara ett heltals-id.")
            return None
        return value

    def path(self, value: object, field: str) -> list[int] | None:
        """A node path (see nodes.parse_path)."""
        if not isinstance(value, str):
            self.add(f"{field} ska vara en nodstig som text (n245612-n512431).")
            return None
        try:
            return parse_path(value)
        except ApiError as error:
            self.add(f"{field}: {error.message}")
            return None


def _media(value: object, field: str, problems: _Problems, *, max_bytes: int) -> list[MediaUpload]:
    """SparaÄrendeRadMedia: one object or a list (A-18), base64 images of at most ``max_bytes`` each (else 413)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_MEDIA_PER_ROW:
        problems.add(f"{field}: högst {MAX_MEDIA_PER_ROW} bilder per rad.")
        return []
    uploads = []
    for index, item in enumerate(items):
        name = f"{field}[{index}]"
        if not isinstance(item, dict):
            problems.add(f"{name} ska vara ett objekt med MediaByte och Notering.")
            continue
        note = problems.text(item, "Notering", f"{name}.Notering")
        encoded = item.get("MediaByte")
        if not isinstance(encoded, str) or not encoded:
            problems.add(f"{name}.MediaByte ska vara bildens bytes i base64.")
            continue
        if len(encoded) > (max_bytes + 2) // 3 * 4 + 4:
            raise _too_large(name, max_bytes)
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            problems.add(f"{name}.MediaByte är inte giltig base64.")
            continue
        if len(data) > max_bytes:
            raise _too_large(name, max_bytes)
        kind = image_type(data)
        if kind is None:
            problems.add(f"{name}.MediaByte är ingen bild ({IMAGE_FORMATS}).")
            continue
        uploads.append(MediaUpload(data=data, mime_type=kind[0], extension=kind[1], note=note))
    return uploads


def _too_large(field: str, max_bytes: int) -> ApiError:
    return ApiError(413, "ForStorFil", f"{field}: bilden är större än {max_bytes} byte.")


def _contact(value: object, problems: _Problems) -> ContactPerson | None:
    """SparaÄrendeKontakt, or None when the customer is the contact."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.add("Kontakt ska vara ett objekt eller null.")
        return None
    first = problems.text(value, "Förnamn", "Kontakt.Förnamn")
    last = problems.text(value, "Efternamn", "Kontakt.Efternamn")
    display = problems.text(value, "Visningsnamn", "Kontakt.Visningsnamn") or " ".join(filter(None, (first, last)))
    phone = problems.text(value, "Telefon", "Kontakt.Telefon")
    mobile = problems.text(value, "Mobil", "Kontakt.Mobil")
    email = problems.text(value, "Epost", "Kontakt.Epost")
    if not display:
        problems.add("Kontakt: ange Visningsnamn eller Förnamn och Efternamn.")
    if not (phone or mobile or email):
        problems.add("Kontakt: ange Telefon, Mobil eller Epost.")
    if email and not _EMAIL.fullmatch(email):
        problems.add(f"Kontakt.Epost: {email!r} är ingen e-postadress.")
    for field, number in (("Telefon", phone), ("Mobil", mobile)):
        digits = sum(char.isdigit() for char in number or "")
        if number and (not _PHONE.fullmatch(number) or not 6 <= digits <= 15):
            problems.add(f"Kontakt.{field}: {number!r} är inget telefonnummer (6–15 siffror).")
    return ContactPerson(display, first, last, phone, mobile, email)


def _usage(value: object, problems: _Problems) -> str:
    """Användningstyp: a name or ``{"Referensnamn": name}``; Felanmälan when absent (A-9)."""
    if value is None:
        return FAULT_REPORT
    if isinstance(value, dict):
        value = value.get("Referensnamn")
    if not isinstance(value, str) or not value.strip():
        problems.add('Användningstyp ska vara ett namn eller {"Referensnamn": namn}.')
        return FAULT_REPORT
    return value.strip()


def _source(value: object, problems: _Problems) -> str:
    """ÄrendeKällaSystemnamn: one of SOURCES (any case, ``Körning`` too); MinaSidor when absent."""
    if value is None:
        return SOURCES[0]
    known = {fold(source): source for source in SOURCES}
    if not isinstance(value, str) or fold(value.strip()) not in known:
        problems.add(f"ÄrendeKällaSystemnamn ska vara något av {', '.join(SOURCES)}.")
        return SOURCES[0]
    return known[fold(value.strip())]


def _report_row(item: object, field: str, problems: _Problems, *, max_bytes: int) -> ReportRow:
    """One SparaÄrendeRad, checked for form (its path, ids and fault description are checked against the database
    afterwards); an unusable path is an empty one."""
    if not isinstance(item, dict):
        problems.add(f"{field} ska vara ett objekt.")
        item = {}
    return ReportRow(
        path_ids=problems.path(item.get("Avser"), f"{field}.Avser") or [],
        description=problems.text(item, "Beskrivning", f"{field}.Beskrivning"),
        specification=problems.text(item, "Specifikation", f"{field}.Specifikation"),
        key_handling_id=problems.identifier(item, "NyckelhanteringId", f"{field}.NyckelhanteringId"),
        key_handling_note=problems.text(item, "Nyckelhanteringsnotering", f"{field}.Nyckelhanteringsnotering"),
        fault_description_id=problems.identifier(item, "FelbeskrivningstypId", f"{field}.FelbeskrivningstypId"),
        media=_media(item.get("Media"), f"{field}.Media", problems, max_bytes=max_bytes),
    )


@dataclass(frozen=True)
class FaultReport:
    """A checked fault report (E5), ready to be saved."""

    root_id: int
    source: str
    pets: str | None
    contact: ContactPerson | None
    rows: list[ReportRow]


def check_fault_report(
    session: Session, *, customer_id: int, body: dict[str, Any], today: date, media_max_bytes: int
) -> FaultReport:
    """Check E5's request whole (A-9); 400 listing every problem, 413 for an image over ``media_max_bytes``.

    The top-level Avser is one of the customer's available objects (the first step if a path is sent) with the
    usage asked for; each row's Avser is a path from that object down the tree, as E4 offers it; the key-handling
    and fault-description ids exist, the latter for the row's last node.
    """
    problems = _Problems()
    root_path = problems.path(body.get("Avser"), "Avser")
    available = {node.id: node for node in available_nodes(session, customer_id=customer_id, today=today)}
    root = available.get(root_path[0]) if root_path else None
    if root_path and root is None:
        problems.add(f"Avser: {path_text(root_path[:1])} är inget av dina objekt.")
    kind = body.get("Ärendetyp")
    if kind is not None and (not isinstance(kind, str) or fold(kind) not in FAULT_REPORT_TYPES):
        problems.add(f"Ärendetyp ska vara {FAULT_REPORT}.")
    usage = _usage(body.get("Användningstyp"), problems)
    if root is not None and not has_usage(root, usage):
        problems.add(f"Avser: objektet {path_text([root.id])} kan inte användas för {usage!r}.")
    source = _source(body.get("ÄrendeKällaSystemnamn"), problems)
    pets = problems.text(body, "Husdjur", "Husdjur")
    contact = _contact(body.get("Kontakt"), problems)
    items = body.get("Rader")
    if not isinstance(items, list) or not items:
        problems.add("Rader ska vara en lista med minst en rad.")
        items = []
    elif len(items) > MAX_ROWS:
        problems.add(f"Rader: högst {MAX_ROWS} rader.")
        items = []
    rows = [
        _report_row(item, f"Rader[{index}]", problems, max_bytes=media_max_bytes) for index, item in enumerate(items)
    ]
    _check_rows_against_tree(session, rows, root, problems)
    if problems.found or root is None:
        raise service.invalid("Felanmälan kunde inte sparas.", problems.found)
    return FaultReport(root_id=root.id, source=source, pets=pets, contact=contact, rows=rows)


def _check_rows_against_tree(session: Session, rows: list[ReportRow], root: Node | None, problems: _Problems) -> None:
    """Each row's path from ``root``, its key-handling type and its fault description (three queries)."""
    chains = resolve_paths(session, [row.path_ids for row in rows if row.path_ids])
    key_ids = {row.key_handling_id for row in rows} - {None}
    fault_ids = {row.fault_description_id for row in rows} - {None}
    known_keys = (
        set(session.scalars(select(KeyHandlingType.id).where(KeyHandlingType.id.in_(key_ids)))) if key_ids else set()
    )
    faults = (
        dict(
            session.execute(
                select(FaultDescriptionType.id, FaultDescriptionType.node_class_id).where(
                    FaultDescriptionType.id.in_(fault_ids)
                )
            ).all()
        )
        if fault_ids
        else {}
    )
    chain_of = iter(chains)
    for index, row in enumerate(rows):
        field = f"Rader[{index}]"
        chain = next(chain_of) if row.path_ids else None
        if row.path_ids and (root is None or row.path_ids[0] != root.id or chain is None):
            problems.add(f"{field}.Avser: {path_text(row.path_ids)} är ingen nodstig under det anmälda objektet.")
            chain = None
        if row.key_handling_id is not None and row.key_handling_id not in known_keys:
            problems.add(f"{field}.NyckelhanteringId: {row.key_handling_id} finns inte.")
        if row.fault_description_id is None:
            continue
        if row.fault_description_id not in faults:
            problems.add(f"{field}.FelbeskrivningstypId: {row.fault_description_id} finns inte.")
        elif chain is not None and faults[row.fault_description_id] not in (None, chain[-1].node_class_id):
            problems.add(
                f"{field}.FelbeskrivningstypId: {row.fault_description_id} gäller inte {chain[-1].visningstext}."
            )


CASE_NUMBER_START = 1000
"""The first running number of each month's case numbers (A-30, invented)."""


def next_case_number(session: Session, now: datetime) -> str:
    """The next case number of the month: ``R-{YYMM}-{n}``, n running from 1000 within each month (A-30).

    Takes the write turn first, so two cases created at the same moment read each other's numbers and differ.
    """
    take_write_turn(session)
    prefix = f"R-{local_now(now):%y%m}-"
    numbers = session.scalars(select(Case.nummer).where(Case.nummer.startswith(prefix, autoescape=True)))
    running = [int(number[len(prefix) :]) for number in numbers if number[len(prefix) :].isdigit()]
    return f"{prefix}{max(running, default=CASE_NUMBER_START - 1) + 1}"


def create_fault_report(
    session: Session, *, customer_id: int, body: dict[str, Any], now: datetime, media_max_bytes: int
) -> int:
    """Check and save a fault report (E5): an ``Order`` case with its rows at the case officer, a first history
    entry per row, the images, and the contact actor if one is given. Returns the new ÄrendeId."""
    received = local_now(now).replace(microsecond=0)
    report = check_fault_report(
        session, customer_id=customer_id, body=body, today=received.date(), media_max_bytes=media_max_bytes
    )
    actor = None
    if report.contact is not None:
        person = report.contact
        actor = Actor(
            visningsnamn=person.display_name,
            fornamn=person.first_name,
            efternamn=person.last_name,
            telefon=person.phone,
            mobil=person.mobile,
            epost=person.email,
            created_at=now,
        )
        session.add(actor)
        session.flush()
    case = Case(
        nummer=next_case_number(session, now),
        typ=ORDER,
        typ_referensnamn=ORDER,
        customer_id=customer_id,
        node_id=report.root_id,
        kalla_systemnamn=report.source,
        husdjur=report.pets,
        contact_actor_id=actor.id if actor else None,
        inkommen=received,
    )
    session.add(case)
    session.flush()
    customer = session.get_one(Customer, customer_id)
    for row in report.rows:
        case_row = CaseRow(
            case_id=case.id,
            node_path=path_text(row.path_ids),
            status_referensnamn="Pagaende",
            status_beteckning="Pågående",
            processteg_referensnamn=FIRST_STEP[0],
            processteg_beteckning=FIRST_STEP[1],
            beskrivning=row.description,
            specifikation=row.specification,
            key_handling_type_id=row.key_handling_id,
            key_handling_note=row.key_handling_note,
            fault_description_type_id=row.fault_description_id,
        )
        session.add(case_row)
        session.flush()
        session.add(
            CaseRowHistory(
                case_row_id=case_row.id,
                beteckning=FIRST_STEP[1],
                tidpunkt=received,
                anvandare=f"{customer.fornamn} {customer.efternamn}",
            )
        )
        for upload in row.media:
            stored = StoredFile(
                mime_type=upload.mime_type,
                extension=upload.extension,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                data=upload.data,
                created_at=now,
            )
            session.add(stored)
            session.flush()
            session.add(CaseRowMedia(case_row_id=case_row.id, file_id=stored.id, notering=upload.note))
    session.flush()
    return case.id


# --- Inspection protocols (E7), offer answers (E14), row files (E16), node classes (E17) -----------


def inspection_protocol(session: Session, *, customer_id: int, case_id: int, for_incoming_tenant: bool) -> bytes:
    """The inspection protocol PDF in the incoming or the outgoing tenant's version; each tenant gets only the
    version for their own role (404 otherwise, and for a case that is not their inspection)."""
    tenant_column = Case.incoming_customer_id if for_incoming_tenant else Case.customer_id
    case = session.scalar(
        select(Case).where(Case.id == case_id, Case.typ_referensnamn == INSPECTION, tenant_column == customer_id)
    )
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if case is None or company is None:
        raise service.not_found(f"Besiktningsprotokollet för ärende {case_id} finns inte.")
    rows = list(session.scalars(select(CaseRow).where(CaseRow.case_id == case.id).order_by(CaseRow.id)))
    node_ids = {node_id for row in rows for node_id in stored_path_ids(row.node_path)}
    if case.node_id is not None:
        node_ids.add(case.node_id)
    names = dict(session.execute(select(Node.id, Node.visningstext).where(Node.id.in_(node_ids))).all())
    customers = _by_id(session, Customer, {case.customer_id, case.incoming_customer_id} - {None})
    inspector = session.scalar(
        select(CaseParticipant.visningsnamn)
        .where(CaseParticipant.case_id == case.id, CaseParticipant.case_row_id.is_(None))
        .order_by(CaseParticipant.id)
        .limit(1)
    )
    return render_inspection_protocol(
        company=company,
        case=case,
        rows=rows,
        node_names=names,
        outgoing=customers.get(case.customer_id),
        incoming=customers.get(case.incoming_customer_id) if case.incoming_customer_id else None,
        for_incoming_tenant=for_incoming_tenant,
        inspector=inspector,
    )


def save_offer_answers(session: Session, *, customer_id: int, body: dict[str, Any], today: date) -> None:
    """E14: set the accepted date of each row of the customer's maintenance offers, all or nothing (A-27).

    400 for a malformed request; 404 for a row that is not on one of the customer's offers; rejected
    (``OgiltigtDatum``) for a missing or invalid date and (``SvarstidenHarGattUt``) after the answer deadline.
    """
    items = body.get("Rader")
    if not isinstance(items, list) or not items:
        raise service.invalid("Rader ska vara en lista med minst en SparaUnderhållErbjudandeRad.")
    answers: dict[int, object] = {}
    for index, item in enumerate(items):
        row_id = item.get("ÄrendeRadId") if isinstance(item, dict) else None
        if isinstance(row_id, bool) or not isinstance(row_id, int) or not id_in_range(row_id):
            raise service.invalid(f"Rader[{index}].ÄrendeRadId ska vara ett heltals-id.")
        if row_id in answers:
            raise service.invalid(f"Rader[{index}]: ärenderaden {row_id} förekommer två gånger.")
        answers[row_id] = item.get("Accepterad")
    found = {
        row.id: (row, deadline)
        for row, deadline in session.execute(
            select(CaseRow, Case.erbjudande_svar_senast)
            .join(Case, Case.id == CaseRow.case_id)
            .where(
                CaseRow.id.in_(answers),
                Case.customer_id == customer_id,
                Case.typ_referensnamn == MAINTENANCE,
                Case.borttagen.is_(False),
            )
        )
    }
    for row_id in answers:
        if row_id not in found:
            raise service.not_found(f"Ärenderaden {row_id} finns inte bland dina underhållserbjudanden.")
    accepted: dict[int, date] = {}
    for index, (row_id, value) in enumerate(answers.items()):
        name = f"Rader[{index}].Accepterad"
        if not isinstance(value, str):
            raise service.rejected("OgiltigtDatum", f"{name} ska vara ett datum (ÅÅÅÅ-MM-DD).", [f"{name}: {value!r}"])
        accepted[row_id] = parse_day(value, name)
        deadline = found[row_id][1]
        if deadline is not None and deadline < today:
            raise service.rejected(
                "SvarstidenHarGattUt",
                f"Svarstiden för erbjudandet gick ut {deadline.isoformat()}.",
                [f"Rader[{index}].ÄrendeRadId: {row_id}"],
            )
    for row_id, value in accepted.items():
        found[row_id][0].atgard_accepterad = value


def case_row_file(session: Session, *, customer_id: int, case_id: int, row_id: int, media_id: int) -> StoredFile:
    """An image of a row of one of the customer's cases (E16); 404 unless the media, row and case belong together."""
    stored = session.scalar(
        select(StoredFile)
        .join(CaseRowMedia, CaseRowMedia.file_id == StoredFile.id)
        .join(CaseRow, CaseRow.id == CaseRowMedia.case_row_id)
        .join(Case, Case.id == CaseRow.case_id)
        .where(
            CaseRowMedia.id == media_id,
            CaseRow.id == row_id,
            Case.id == case_id,
            or_(Case.customer_id == customer_id, Case.incoming_customer_id == customer_id),
        )
    )
    if stored is None:
        raise service.not_found(f"Filen {media_id} finns inte på ärenderad {row_id} i ärende {case_id}.")
    return stored


def node_classes(session: Session, *, group: str, usage: str | None) -> list[Json]:
    """NodKlass (E17): the classes of a group that are not deleted, optionally of one usage; both matched
    case-insensitively."""
    statement = (
        select(NodeClass)
        .where(func.lower(NodeClass.group_system_name) == group.lower(), NodeClass.deleted.is_(False))
        .options(selectinload(NodeClass.time_point_types))
        .order_by(NodeClass.id)
    )
    if usage:
        statement = statement.where(func.lower(NodeClass.usage_system_name) == usage.lower())
    return [
        {
            "NodKlassId": node_class.id,
            "Beteckning": node_class.beteckning,
            "Kod": node_class.kod,
            "Borttagen": node_class.deleted,
            "Kortbeteckning": node_class.kortbeteckning,
            "SystemName": node_class.system_name,
            "ÄrendeKlassTidpunktLista": [
                {
                    "ÄrendeTidpunktTypId": kind.id,
                    "ÄrendeTidpunktTypBorttagen": moment(local_now(kind.deleted_at)) if kind.deleted_at else None,
                    "ÄrendeTidpunktTypBeteckning": kind.beteckning,
                    "ÄrendeTidpunktTypSystemName": kind.system_name,
                }
                for kind in sorted(node_class.time_point_types, key=lambda kind: kind.id)
            ],
        }
        for node_class in session.scalars(statement)
    ]
