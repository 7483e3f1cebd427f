"""Loading real Inskrivning v3 responses (JSON or XML files, as the service returns them) into the register.

A file is read whole and each registration in it is checked against the published schema of its format (the JSON
Schema or the XSD) before anything is written, so the importer accepts exactly what the schemas accept: the forms
the specification's own examples use included. A registration the schema refuses (say, a code value Lantmäteriet
added after this schema was written) is left out and reported with every refused value; the others are stored in
one transaction. A file that is not a response at all is reported whole. ``strict`` turns any refusal into a refusal
of the whole file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.xml import XMLInputError, parse_xml
from bodata.inskrivning import gml
from bodata.inskrivning.contract import inskrivning_xml_schema, json_validator
from bodata.inskrivning.datatypes import Inskrivningsinformation
from bodata.inskrivning.documents import DocumentError, normalize
from bodata.inskrivning.models import RegistrationVersion
from bodata.inskrivning.service import store_registration

MAX_FILE_BYTES = 256 * 1024 * 1024
_MEMBER = "/InskrivningResponse/InskrivningMember"


class ImportFileError(ValueError):
    """A file cannot be imported; the message says why."""


@dataclass(frozen=True)
class Refusal:
    """A registration left out of an import: its place in the file, its id when it has one, and each problem."""

    number: int
    objektidentitet: str | None
    problems: list[str]

    def __str__(self) -> str:
        name = f"registration {self.number}" + (f" ({self.objektidentitet})" if self.objektidentitet else "")
        return f"{name} refused: " + "; ".join(self.problems)


@dataclass(frozen=True)
class ReadFile:
    """The registrations of a file that can be stored (canonical documents) and those refused."""

    documents: list[dict[str, Any]]
    refused: list[Refusal] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOutcome:
    """What one file brought: registrations stored as new states, and those already current unchanged."""

    stored: int
    unchanged: int


def read_registrations(data: bytes, *, strict: bool = False) -> ReadFile:
    """The registrations of an InskrivningResponse in JSON (GeoJSON) or XML (GML), each checked by the schema.

    With ``strict`` a single refused registration refuses the file (:class:`ImportFileError`).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    start = data.lstrip()[:1]
    if start == b"<":
        read = _xml_registrations(data)
    elif start == b"{":
        read = _json_registrations(data)
    else:
        raise ImportFileError("neither JSON (GeoJSON FeatureCollection) nor XML (GML InskrivningResponse)")
    if strict and read.refused:
        raise ImportFileError("; ".join(map(str, read.refused)))
    return read


def _canonical(raw: dict[str, Any], number: int, path: str) -> dict[str, Any] | Refusal:
    try:
        return normalize(Inskrivningsinformation, raw, path)
    except DocumentError as error:
        return Refusal(number, _identity(raw), [str(error)])


def _identity(raw: Any) -> str | None:
    value = raw.get("objektidentitet") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _sorted(outcomes: list[dict[str, Any] | Refusal]) -> ReadFile:
    return ReadFile(
        [item for item in outcomes if not isinstance(item, Refusal)], [r for r in outcomes if isinstance(r, Refusal)]
    )


def _json_registrations(data: bytes) -> ReadFile:
    validator = json_validator("Inskrivningsinformation")
    outcomes: list[dict[str, Any] | Refusal] = []
    for number, raw in enumerate(_features(data), start=1):
        path = f"/features[{number}]/properties"
        problems = [f"{path}{_json_path(error.absolute_path)}: {error.message}" for error in validator.iter_errors(raw)]
        outcomes.append(Refusal(number, _identity(raw), problems) if problems else _canonical(raw, number, path))
    return _sorted(outcomes)


def _json_path(parts: Any) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f"/{part}" for part in parts)


def _xml_registrations(data: bytes) -> ReadFile:
    try:
        root = parse_xml(data, max_bytes=MAX_FILE_BYTES)
    except XMLInputError as error:
        raise ImportFileError(f"not an InskrivningResponse in XML: {error}") from None
    if etree.QName(root) != etree.QName(gml.NS, "InskrivningResponse"):
        raise ImportFileError(
            f"the root element {root.tag} is not InskrivningResponse or not in the namespace {gml.NS}"
        )
    problems: dict[int, list[str]] = {}
    for error in inskrivning_xml_schema().iter_errors(root):
        where = error.path or "/InskrivningResponse"
        if not where.startswith(f"{_MEMBER}["):
            raise ImportFileError(f"not an InskrivningResponse in XML: {where}: {error.reason}")
        number = int(where[len(_MEMBER) + 1 : where.index("]", len(_MEMBER))])
        value = f" (value {error.obj!r})" if isinstance(error.obj, str) else ""
        problems.setdefault(number, []).append(f"{where}: {error.reason}{value}")
    outcomes: list[dict[str, Any] | Refusal] = []
    members = [child for child in root if isinstance(child.tag, str) and etree.QName(child).localname != "boundedBy"]
    for number, member in enumerate(members, start=1):
        information = member.find(f"{{{gml.NS}}}Inskrivningsinformation")
        path = f"{_MEMBER}[{number}]/Inskrivningsinformation"
        if number in problems or information is None:
            identity = None if information is None else information.findtext(f"{{{gml.NS}}}objektidentitet")
            outcomes.append(Refusal(number, identity, problems.get(number, ["no Inskrivningsinformation"])))
            continue
        try:
            raw = gml.read_object(information, Inskrivningsinformation, path)
        except gml.XmlDecodeError as error:
            outcomes.append(Refusal(number, None, [str(error)]))
            continue
        outcomes.append(_canonical(raw, number, path))
    return _sorted(outcomes)


def _features(data: bytes) -> list[Any]:
    try:
        collection = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ImportFileError(f"not JSON: {error}") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError('expected a GeoJSON FeatureCollection ({"type": "FeatureCollection", ...})')
    features = collection.get("features")
    if not isinstance(features, list):
        raise ImportFileError("the FeatureCollection has no features array")
    properties = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature" or "properties" not in feature:
            raise ImportFileError(f"feature {number} is not a GeoJSON Feature with properties")
        if feature.get("id") != (feature["properties"] or {}).get("objektidentitet"):
            raise ImportFileError(f"feature {number}: its id differs from properties.objektidentitet")
        properties.append(feature["properties"])
    return properties


def import_registrations(session: Session, documents: list[dict[str, Any]], now: datetime) -> ImportOutcome:
    """Store each document as its registration's current state, unless it is already exactly that."""
    stored = unchanged = 0
    for document in documents:
        current = session.scalar(
            select(RegistrationVersion.document).where(
                RegistrationVersion.objektidentitet == uuid.UUID(document["objektidentitet"]),
                RegistrationVersion.registered_to.is_(None),
            )
        )
        if current is not None and orjson.loads(current) == document:
            unchanged += 1
            continue
        store_registration(session, document, now)
        stored += 1
    return ImportOutcome(stored, unchanged)


def read_file(path: Path, *, strict: bool = False) -> ReadFile:
    """The registrations of one response file (see :func:`read_registrations`)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return read_registrations(path.read_bytes(), strict=strict)
    except OSError as error:
        raise ImportFileError(f"cannot read the file: {error.strerror}") from None
