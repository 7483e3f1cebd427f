"""Bilag (huslejeregister.md §4.9): pictures and documents attached to an Afdeling, a Byggeafsnit, a Bolig or an
Anvisningsaftale, numbered within that parent (BilagIdentifikator). Not bitemporal, no drafts: every Opret, Ret and
Valider is validated in full.

BilagTypeKode (§9 C8): only the new codes may be written, and which ones depends on the parent. An Anvisningsaftale
takes the document codes 1001-1511 (1000 + a bitmask of the nine allocation types, Tabel 32); an Afdeling, a
Byggeafsnit or a Bolig takes floor plans 2000-2999, pictures 3000-3999, 360° animations 4000-4999 and 5000 "Andet"
(Tabel 31 and 33; the individual numbers are lost, so the whole ranges are accepted). Any other code, the old codes
1-5 among them (still answered when stored), is error 2902.

The content is stored in the database and checked before it is (§9 D23): at most :data:`MAX_CONTENT_BYTES`, a MIME
type of the formats Tabel 33 lists for the type code, content that really is that format (its magic bytes) and a
file name with that format's extension. The document numbers no error for these, so they are Faults (``soap:Client``)
that say what is wrong, as an over-long text is (decisions.md). The client's MIME type is never trusted alone.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from bodata.huslejeregister import organisations, rules
from bodata.huslejeregister.allocation import ANVISNINGSAFTALE
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, RegisterRules, method_output, not_found
from bodata.huslejeregister.models import Bilag
from bodata.huslejeregister.rules import Finding

ENTITY = "Bilag"
TEXTS: dict[int, str] = {
    2901: "Bilag.Nummer findes allerede",
    2902: "Bilag.Type er ikke en gyldig bilagstype",
}

MAX_CONTENT_BYTES = RegisterRules.attachment_max_bytes
"""The default largest BilagIndholdData (decoded), set by BODATA_HUSLEJEREGISTER_ATTACHMENT_MAX_BYTES. It must fit in
a request: base64 makes it 4/3 as long, and the whole request may be at most BODATA_MAX_XML_BYTES (5 MiB by
default), so 3 MiB (4 MiB of base64) leaves room for the envelope."""

# --- Formats (Tabel 33) ------------------------------------------------------------------------------------


def _docx(data: bytes) -> bool:
    """A Word 2007+ document: a zip holding the OOXML content types and the word/ part, without macros."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return (
        "[Content_Types].xml" in names
        and any(name.startswith("word/") for name in names)
        and not any(name.lower().endswith("vbaproject.bin") for name in names)
    )


@dataclass(frozen=True, slots=True)
class Format:
    """A file format Tabel 33 allows: its MIME types (the canonical one first), file name extensions and a test of
    the content's magic bytes."""

    label: str
    mimetypes: tuple[str, ...]
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]


GIF = Format("GIF", ("image/gif",), (".gif",), lambda data: data.startswith((b"GIF87a", b"GIF89a")))
PNG = Format("PNG", ("image/png",), (".png",), lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"))
JPEG = Format(
    "JPEG", ("image/jpeg", "image/jpg", "image/pjpeg"), (".jpg", ".jpeg"), lambda data: data.startswith(b"\xff\xd8\xff")
)
PDF = Format("PDF", ("application/pdf",), (".pdf",), lambda data: data.startswith(b"%PDF-"))
DOC = Format(
    "Word (.doc)",
    ("application/msword",),
    (".doc",),
    lambda data: data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
)
DOCX = Format(
    "Word (.docx)",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    (".docx",),
    _docx,
)
MP4 = Format("MP4", ("video/mp4",), (".mp4", ".m4v"), lambda data: data[4:8] == b"ftyp")
WEBM = Format(
    "WebM", ("video/webm",), (".webm",), lambda data: data.startswith(b"\x1aE\xdf\xa3") and b"webm" in data[:1024]
)
OGG = Format("Ogg", ("video/ogg",), (".ogv", ".ogg"), lambda data: data.startswith(b"OggS"))
FORMATS = (GIF, PNG, JPEG, PDF, DOC, DOCX, MP4, WEBM, OGG)

PICTURES = (GIF, PNG, JPEG)
PLANS = (*PICTURES, PDF, DOC, DOCX)
ANIMATIONS = (MP4, WEBM, OGG)
OTHER = (PDF,)
DOCUMENTS = (PDF, DOC, DOCX)

OLD_CODES = range(1, 6)
"""1 Billede, 2 360 graders animation, 3 Plantegning, 4 Dokument, 5 Andet: readable, refused on write."""
DOCUMENT_CODES = range(1001, 1512)
"""1000 + any non-empty combination of the nine allocation-type bits 1..256 (Tabel 32)."""


def formats_of(code: int) -> tuple[Format, ...]:
    """The formats Tabel 33 allows for a (new) BilagTypeKode; empty for codes that cannot be written."""
    if code in DOCUMENT_CODES:
        return DOCUMENTS
    if 2000 <= code <= 2999:
        return PLANS
    if 3000 <= code <= 3999:
        return PICTURES
    if 4000 <= code <= 4999:
        return ANIMATIONS
    if code == 5000:
        return OTHER
    return ()


def valid_code(code: int, parent_kind: str) -> bool:
    """Whether a BilagTypeKode may be written for a parent: document codes on an Anvisningsaftale only, the
    others on an Afdeling, a Byggeafsnit or a Bolig only."""
    if parent_kind == "Anvisningsaftale":
        return code in DOCUMENT_CODES
    return bool(formats_of(code)) and code not in DOCUMENT_CODES


def _mimetype(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def detect(data: bytes) -> Format | None:
    """The format the content's magic bytes show, if any of :data:`FORMATS`."""
    return next((item for item in FORMATS if item.sniff(data)), None)


def check_content(code: int, name: str, mimetype: str, data: bytes) -> Format:
    """The format of an attachment whose numbered rules passed; a Fault when the MIME type, the content or the
    file name's extension does not fit the type code, or the name is not a plain file name."""
    allowed = formats_of(code)
    sent = _mimetype(mimetype)
    declared = next((item for item in allowed if sent in item.mimetypes), None)
    if declared is None:
        supported = ", ".join(item.mimetypes[0] for item in allowed)
        raise Refused(f"Bilag.Mimetype {mimetype} understøttes ikke for bilagstype {code} (tilladt: {supported})")
    if not declared.sniff(data):
        found = detect(data)
        actual = f"er {found.label}" if found is not None else "er ikke et understøttet format"
        raise Refused(f"Bilag.Data er ikke {declared.label}, som Bilag.Mimetype {mimetype} angiver: indholdet {actual}")
    if any(char in name for char in "/\\") or any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise Refused("Bilag.Navn skal være et filnavn uden sti og kontroltegn")
    if not name.lower().endswith(declared.extensions):
        raise Refused(f"Bilag.Navn {name} skal have filtypen {' eller '.join(declared.extensions)}")
    return declared


# --- Identification -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parent:
    """The entity a Bilag is attached to: its kind, the Bilag column that refers to it, and the entity."""

    kind: str
    column: str
    entity: Any

    @property
    def element(self) -> str:
        return f"{self.kind}IdentifikationStruktur"

    def identification(self) -> dict[str, Any]:
        if self.kind == "Afdeling":
            return organisations.afdeling_identification(self.entity)
        if self.kind == "Byggeafsnit":
            return organisations.byggeafsnit_identification(self.entity)
        if self.kind == "Bolig":
            return organisations.bolig_identification(self.entity)
        return {"AnvisningsaftaleUnikIdentifikator": self.entity.id, "EksternReference": self.entity.ekstern_reference}


_FINDERS: dict[str, tuple[str, Callable[[Session, Caller, Mapping[str, Any]], Any]]] = {
    "Afdeling": ("afdeling_id", organisations.find_afdeling),
    "Byggeafsnit": ("byggeafsnit_id", organisations.find_byggeafsnit),
    "Bolig": ("bolig_id", organisations.find_bolig),
    "Anvisningsaftale": ("anvisningsaftale_id", ANVISNINGSAFTALE.find),
}


def find_parent(session: Session, caller: Caller, ident: Mapping[str, Any]) -> Parent:
    """The one parent identification of a BilagIdentifikationStruktur (or a BilagList input); a Fault unless
    exactly one is given, and the uniform not-found Fault for unknown parents and other organisations'."""
    given = [kind for kind in _FINDERS if ident.get(f"{kind}IdentifikationStruktur") is not None]
    if len(given) != 1:
        raise Refused(
            "Præcis én af AfdelingIdentifikationStruktur, ByggeafsnitIdentifikationStruktur, "
            "BoligIdentifikationStruktur og AnvisningsaftaleIdentifikationStruktur skal udfyldes"
        )
    kind = given[0]
    column, find = _FINDERS[kind]
    return Parent(kind, column, find(session, caller, ident[f"{kind}IdentifikationStruktur"]))


def _statement(parent: Parent) -> Any:
    return select(Bilag).where(getattr(Bilag, parent.column) == parent.entity.id)


def find_bilag(session: Session, parent: Parent, number: int | None) -> Bilag | None:
    if number is None:
        return None
    return session.scalar(_statement(parent).where(Bilag.nummer == number))


def _existing(call: Call, ident: Mapping[str, Any]) -> tuple[Parent, Bilag]:
    """The Bilag a Hent, Ret or Slet names; a Fault when there is none."""
    parent = find_parent(call.session, call.caller, ident)
    number = ident.get("BilagIdentifikator")
    if number is None:
        raise Refused("BilagIdentifikator skal udfyldes")
    bilag = find_bilag(call.session, parent, number)
    if bilag is None:
        raise not_found(f"Bilag {number} på {parent.kind}")
    return parent, bilag


def output(bilag: Bilag, parent: Parent, *, content: bool) -> dict[str, Any]:
    """BilagStruktur; the content only when asked for (Hent, not List)."""
    return {
        "BilagIdentifikationStruktur": {
            "BilagUnikIdentifikator": bilag.id,
            parent.element: parent.identification(),
            "BilagIdentifikator": bilag.nummer,
        },
        "BilagTypeKode": bilag.typekode,
        "BilagNavnTekst": bilag.navn,
        "BilagIndholdData": bilag.indhold if content else None,
        "BilagBeskrivelseTekst": bilag.beskrivelse,
        "BilagMimetypeTekst": bilag.mimetype,
    }


# --- Validation ------------------------------------------------------------------------------------------------

_REQUIRED = (
    ("Data", "BilagIndholdData"),
    ("Mimetype", "BilagMimetypeTekst"),
    ("Navn", "BilagNavnTekst"),
    ("Type", "BilagTypeKode"),
)


def max_bytes(call: Call) -> int:
    return call.register.attachment_max_bytes


def check(
    structure: Mapping[str, Any], parent: Parent, *, limit: int, existing: Bilag | None = None, duplicate: bool = False
) -> tuple[list[Finding], Format | None]:
    """The numbered rules of Tabel 34 (2901 when ``duplicate``: only Opret meets it) and, when they pass, the
    content checks (Faults). Returns the findings and the content's format (None when there are errors)."""
    data = structure.get("BilagIndholdData")
    if data is not None and len(data) > limit:
        raise Refused(f"Bilag.Data fylder {len(data)} bytes; højst {limit} bytes er tilladt")
    number = structure["BilagIdentifikationStruktur"].get("BilagIdentifikator")
    found = [rules.required(ENTITY, "Nummer", "BilagIdentifikator")] if number is None else []
    for name, field in _REQUIRED:
        value = structure.get(field)
        if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, bytes) and not value):
            found.append(rules.required(ENTITY, name, field))
    code = structure.get("BilagTypeKode")
    if code is not None and not valid_code(code, parent.kind):
        found.append(rules.finding(2902, ENTITY, "BilagTypeKode", texts=TEXTS))
    if duplicate:
        found.append(rules.finding(2901, ENTITY, "BilagIdentifikator", texts=TEXTS))
    found = _about(found, existing)
    if rules.errors_in(found):
        return found, None
    return found, check_content(code, structure["BilagNavnTekst"], structure["BilagMimetypeTekst"], data)


def _about(found: list[Finding], bilag: Bilag | None) -> list[Finding]:
    reference = str(bilag.id) if bilag is not None else None
    return [Finding(item.number, item.text, item.entity, item.field, reference) for item in found]


def _apply(bilag: Bilag, structure: Mapping[str, Any], found_format: Format) -> bool:
    """Write the structure's fields into ``bilag``; whether anything changed."""
    values = {
        "typekode": structure["BilagTypeKode"],
        "navn": structure["BilagNavnTekst"],
        "mimetype": found_format.mimetypes[0],
        "beskrivelse": structure.get("BilagBeskrivelseTekst"),
        "indhold": bytes(structure["BilagIndholdData"]),
    }
    changed = False
    for column, value in values.items():
        if getattr(bilag, column) != value:
            setattr(bilag, column, value)
            changed = True
    return changed


# --- The operations ------------------------------------------------------------------------------------------


def _hent(call: Call) -> dict[str, Any]:
    parent, bilag = _existing(call, call.input["BilagIdentifikationStruktur"])
    return {"BilagStruktur": output(bilag, parent, content=True)}


def _list(call: Call) -> dict[str, Any]:
    """Every Bilag of the parent, by number, without the content (BilagHent gives it)."""
    parent = find_parent(call.session, call.caller, call.input)
    statement = _statement(parent).options(defer(Bilag.indhold)).order_by(Bilag.nummer)
    return {"BilagStruktur": [output(bilag, parent, content=False) for bilag in call.session.scalars(statement)]}


def _opret(call: Call) -> dict[str, Any]:
    structure = call.input["BilagStruktur"]
    ident = structure["BilagIdentifikationStruktur"]
    parent = find_parent(call.session, call.caller, ident)
    duplicate = find_bilag(call.session, parent, ident.get("BilagIdentifikator")) is not None
    found, found_format = check(structure, parent, limit=max_bytes(call), duplicate=duplicate)
    if rules.errors_in(found) or found_format is None:
        return method_output(found, call.operation, created=uuid.uuid4())
    bilag = Bilag(
        id=uuid.uuid4(),
        nummer=ident["BilagIdentifikator"],
        oprettet=call.now,
        aendret=call.now,
        **{parent.column: parent.entity.id},
    )
    _apply(bilag, structure, found_format)
    call.session.add(bilag)
    call.session.flush()
    return method_output(found, call.operation, created=bilag.id)


def _ret(call: Call) -> dict[str, Any]:
    structure = call.input["BilagStruktur"]
    ident = structure["BilagIdentifikationStruktur"]
    if ident.get("BilagIdentifikator") is None:  # 1000 and whatever else is missing; nothing to change
        parent = find_parent(call.session, call.caller, ident)
        return method_output(check(structure, parent, limit=max_bytes(call))[0], call.operation)
    parent, bilag = _existing(call, ident)
    found, found_format = check(structure, parent, limit=max_bytes(call), existing=bilag)
    if found_format is not None and not rules.errors_in(found) and _apply(bilag, structure, found_format):
        bilag.aendret = call.now
    return method_output(found, call.operation)


def _slet(call: Call) -> dict[str, Any]:
    ident = call.input["BilagIdentifikationStruktur"]
    if ident.get("BilagIdentifikator") is None:
        find_parent(call.session, call.caller, ident)
        return method_output([rules.required(ENTITY, "Nummer", "BilagIdentifikator")], call.operation)
    _, bilag = _existing(call, ident)
    call.session.delete(bilag)
    call.session.flush()
    return method_output([], call.operation)


def _valider(call: Call) -> dict[str, Any]:
    """Validated as an Opret when the number is new in the parent, else as a Ret; never saved."""
    structure = call.input["BilagStruktur"]
    ident = structure["BilagIdentifikationStruktur"]
    parent = find_parent(call.session, call.caller, ident)
    existing = find_bilag(call.session, parent, ident.get("BilagIdentifikator"))
    found, _ = check(structure, parent, limit=max_bytes(call), existing=existing)
    return method_output(found, call.operation)


HANDLERS: dict[str, Handler] = {
    "BilagHent": _hent,
    "BilagList": _list,
    "BilagOpret": _opret,
    "BilagRet": _ret,
    "BilagSlet": _slet,
    "BilagValider": _valider,
}
