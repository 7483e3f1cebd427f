"""Loading real Inskrivning v3 responses (JSON or XML files, as the service returns them) into the register.

Each file is read whole, decoded, normalised and checked against the published JSON Schema before anything is
written; then its registrations are stored in one transaction. A file with any fault is reported with the
reason and leaves nothing behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.xml import XMLInputError, parse_xml
from bodata.inskrivning import gml
from bodata.inskrivning.contract import json_validator
from bodata.inskrivning.datatypes import Inskrivningsinformation
from bodata.inskrivning.documents import DocumentError, normalize
from bodata.inskrivning.models import RegistrationVersion
from bodata.inskrivning.service import store_registration

MAX_FILE_BYTES = 256 * 1024 * 1024


class ImportFileError(ValueError):
    """A file cannot be imported; the message says why."""


@dataclass(frozen=True)
class ImportOutcome:
    """What one file brought: registrations stored as new states, and those already current unchanged."""

    stored: int
    unchanged: int


def read_registrations(data: bytes) -> list[dict[str, Any]]:
    """The canonical documents of an InskrivningResponse in JSON (GeoJSON) or XML (GML)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    start = data.lstrip()[:1]
    if start == b"<":
        try:
            raw = gml.read_inskrivning_response(parse_xml(data, max_bytes=MAX_FILE_BYTES))
        except (XMLInputError, gml.XmlDecodeError) as error:
            raise ImportFileError(f"not an InskrivningResponse in XML: {error}") from None
    elif start == b"{":
        raw = _features(data)
    else:
        raise ImportFileError("neither JSON (GeoJSON FeatureCollection) nor XML (GML InskrivningResponse)")
    documents = []
    validator = json_validator("Inskrivningsinformation")
    for number, item in enumerate(raw, start=1):
        try:
            document = normalize(Inskrivningsinformation, item, f"/features[{number}]/properties")
        except DocumentError as error:
            raise ImportFileError(str(error)) from None
        problem = next(iter(validator.iter_errors(document)), None)
        if problem is not None:
            where = "/".join(str(part) for part in problem.absolute_path)
            raise ImportFileError(f"registration {number}: /{where}: {problem.message}")
        documents.append(document)
    return documents


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


def read_file(path: Path) -> list[dict[str, Any]]:
    """The canonical documents of one response file."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return read_registrations(path.read_bytes())
    except OSError as error:
        raise ImportFileError(f"cannot read the file: {error.strerror}") from None
