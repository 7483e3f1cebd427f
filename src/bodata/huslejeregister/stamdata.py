"""LBF Stamdata: the organisations, departments, building sections and BBR units the register accepts reports
for, loaded from a CSV file with one row per dwelling (docs/huslejeregister.md lists the columns).

A file is checked whole before anything is written; an import adds what is new and updates addresses and
names of what exists, in one transaction.

Three columns are optional (:data:`OPTIONAL_COLUMNS`): the unit's property number (``ejendomsnummer``, which is
also added to its building section's property numbers, what EnhedFlytByggeafsnit checks), its BBR use code
(``anvendelseskode``) and when BBR deleted it (``slettet_i_bbr``, what EnhedSlet requires). A file without such a
column leaves the stored values alone; an empty cell in a file with the column clears the value.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.clock import SystemClock
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister.models import Afdeling, Bolig, Boligorganisation, Byggeafsnit, ByggeafsnitEjendom

COLUMNS = (
    "boligorganisation_nr",
    "boligorganisation_navn",
    "afdeling_nr",
    "afdeling_navn",
    "byggeafsnit_nr",
    "bbr_enhed_id",
    "vejkode",
    "vejnavn",
    "husnummer",
    "etage",
    "doer",
    "postnummer",
    "kommunekode",
    "bruttoareal",
)
OPTIONAL_COLUMNS = ("ejendomsnummer", "anvendelseskode", "slettet_i_bbr")
"""Columns a file may have: the property number, the BBR use code, the deletion in BBR (ISO date or date-time;
a date is midnight Danish time, a time without a zone Danish time)."""
_LARGEST_NUMBER = 2**31 - 1
_LONGEST_PROPERTY_NUMBER = 20
_LARGEST_AREA = 100_000_000
_REQUIRED = frozenset(COLUMNS) - {"boligorganisation_navn", "afdeling_navn", "etage", "doer", "bruttoareal"}


class StamdataError(ValueError):
    """The file cannot be imported; the message names the line and the column."""


@dataclass(frozen=True, slots=True)
class StamdataRow:
    """One dwelling of the file, with its organisation, department and building section."""

    organisation: int
    organisation_name: str
    department: int
    department_name: str
    section: int
    unit: uuid.UUID
    street_code: int
    street: str
    house_number: str
    floor: str | None
    door: str | None
    postcode: int
    municipality: int
    gross_area: Decimal | None
    property_number: str | None = None
    use_code: int | None = None
    deleted_in_bbr: datetime | None = None
    optional_columns: frozenset[str] = frozenset()
    """Which of :data:`OPTIONAL_COLUMNS` the file had: only those are written to the dwelling."""


def read_stamdata(path: Path) -> list[StamdataRow]:
    """Read and check a Stamdata CSV file (UTF-8, ``;`` or ``,`` separated, a header row)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise StamdataError(f"{path.name}: not UTF-8 text ({error.reason})") from None
    return parse_stamdata(text, path.name)


def parse_stamdata(text: str, name: str = "stamdata") -> list[StamdataRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise StamdataError(f"{name}: the header lacks the column(s) {', '.join(missing)}")
    reader.fieldnames = header
    optional = frozenset(column for column in OPTIONAL_COLUMNS if column in header)
    rows = []
    seen: dict[uuid.UUID, int] = {}
    for record in reader:
        row = _row(record, f"{name}, line {reader.line_num}", optional)
        if row.unit in seen:
            raise StamdataError(
                f"{name}, line {reader.line_num}: bbr_enhed_id {row.unit} also on line {seen[row.unit]}"
            )
        seen[row.unit] = reader.line_num
        rows.append(row)
    if not rows:
        raise StamdataError(f"{name}: no dwellings")
    return rows


def _row(record: dict[str, str | None], where: str, optional: frozenset[str] = frozenset()) -> StamdataRow:
    values = {key: (value or "").strip() for key, value in record.items() if key in COLUMNS or key in optional}
    for column in _REQUIRED:
        if not values.get(column):
            raise StamdataError(f"{where}: {column} is empty")

    def number(column: str) -> int:
        raw = values[column]
        if not raw.isdigit() or not 0 < int(raw) <= _LARGEST_NUMBER:
            raise StamdataError(f"{where}: {column} must be a positive whole number, got {raw!r}")
        return int(raw)

    try:
        unit = uuid.UUID(values["bbr_enhed_id"])
    except ValueError:
        raise StamdataError(f"{where}: bbr_enhed_id is not a UUID: {values['bbr_enhed_id']!r}") from None
    area = None
    if values.get("bruttoareal"):
        try:
            area = Decimal(values["bruttoareal"].replace(",", "."))
        except InvalidOperation:
            area = None
        if area is None or not area.is_finite() or not 0 < area < _LARGEST_AREA or "_" in values["bruttoareal"]:
            raise StamdataError(f"{where}: bruttoareal must be a positive number of m², got {values['bruttoareal']!r}")
    return StamdataRow(
        organisation=number("boligorganisation_nr"),
        organisation_name=values.get("boligorganisation_navn", ""),
        department=number("afdeling_nr"),
        department_name=values.get("afdeling_navn", ""),
        section=number("byggeafsnit_nr"),
        unit=unit,
        street_code=number("vejkode"),
        street=values["vejnavn"],
        house_number=values["husnummer"],
        floor=values.get("etage") or None,
        door=values.get("doer") or None,
        postcode=number("postnummer"),
        municipality=number("kommunekode"),
        gross_area=area,
        **_optional_values(values, where, optional),
    )


def _optional_values(values: dict[str, str], where: str, optional: frozenset[str]) -> dict[str, object]:
    found: dict[str, object] = {"optional_columns": optional}
    property_number = values.get("ejendomsnummer")
    if property_number:
        if len(property_number) > _LONGEST_PROPERTY_NUMBER or any(char.isspace() for char in property_number):
            raise StamdataError(
                f"{where}: ejendomsnummer must be at most {_LONGEST_PROPERTY_NUMBER} characters without spaces, "
                f"got {property_number!r}"
            )
        found["property_number"] = property_number
    use_code = values.get("anvendelseskode")
    if use_code:
        if not use_code.isdigit() or not 0 < int(use_code) <= _LARGEST_NUMBER:
            raise StamdataError(f"{where}: anvendelseskode must be a positive whole number, got {use_code!r}")
        found["use_code"] = int(use_code)
    deleted = values.get("slettet_i_bbr")
    if deleted:
        found["deleted_in_bbr"] = _moment(deleted, where)
    return found


def _moment(raw: str, where: str) -> datetime:
    """An ISO date (midnight Danish time) or date-time (Danish time unless it has a zone), as aware UTC."""
    try:
        if len(raw) == 10:
            moment = datetime.combine(date.fromisoformat(raw), datetime.min.time())
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise StamdataError(f"{where}: slettet_i_bbr must be an ISO date or date-time, got {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DANISH_TIME)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    organisations: int
    departments: int
    sections: int
    dwellings_added: int
    dwellings_updated: int


def import_stamdata(
    session: Session,
    rows: Iterable[StamdataRow],
    *,
    advance: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> ImportOutcome:
    """Add or update the rows' entities in ``session`` (the caller's transaction); ``advance`` counts rows. A new
    dwelling is created (``oprettet``, the unit's OprettetDatoTid) at ``now``, by default the current time."""
    now = now if now is not None else SystemClock().now()
    organisations = {item.nummer: item for item in session.scalars(select(Boligorganisation))}
    departments = {(item.boligorganisation_id, item.nummer): item for item in session.scalars(select(Afdeling))}
    sections = {(item.afdeling_id, item.nummer): item for item in session.scalars(select(Byggeafsnit))}
    dwellings = {item.bbr_id: item for item in session.scalars(select(Bolig))}
    properties = {
        (section_id, number)
        for section_id, number in session.execute(
            select(ByggeafsnitEjendom.byggeafsnit_id, ByggeafsnitEjendom.ejendomsnummer)
        )
    }
    new_properties: list[ByggeafsnitEjendom] = []
    added = updated = 0
    touched: set[tuple[str, object]] = set()
    for row in rows:
        organisation = organisations.get(row.organisation)
        if organisation is None:
            organisation = organisations[row.organisation] = Boligorganisation(id=uuid.uuid4(), nummer=row.organisation)
            session.add(organisation)
        organisation.navn = row.organisation_name or organisation.navn or ""
        department = departments.get((organisation.id, row.department))
        if department is None:
            department = Afdeling(id=uuid.uuid4(), boligorganisation_id=organisation.id, nummer=row.department)
            departments[(organisation.id, row.department)] = department
            session.add(department)
        department.navn = row.department_name or department.navn or ""
        section = sections.get((department.id, row.section))
        if section is None:
            section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=department.id, nummer=row.section)
            sections[(department.id, row.section)] = section
            session.add(section)
        touched |= {("o", organisation.id), ("a", department.id), ("b", section.id)}
        dwelling = dwellings.get(row.unit)
        if dwelling is None:
            dwelling = dwellings[row.unit] = Bolig(id=uuid.uuid4(), bbr_id=row.unit, oprettet=now)
            session.add(dwelling)
            added += 1
        else:
            updated += 1
        dwelling.byggeafsnit_id = section.id
        dwelling.vejkode, dwelling.vejnavn, dwelling.husnummer = row.street_code, row.street, row.house_number
        dwelling.etage, dwelling.doer, dwelling.postnummer = row.floor, row.door, row.postcode
        dwelling.kommunekode, dwelling.bruttoareal = row.municipality, row.gross_area
        if "ejendomsnummer" in row.optional_columns:
            dwelling.ejendomsnummer = row.property_number
        if "anvendelseskode" in row.optional_columns:
            dwelling.anvendelseskode = row.use_code
        if "slettet_i_bbr" in row.optional_columns:
            dwelling.slettet_i_bbr = row.deleted_in_bbr
        if row.property_number and (section.id, row.property_number) not in properties:
            properties.add((section.id, row.property_number))
            new_properties.append(ByggeafsnitEjendom(byggeafsnit_id=section.id, ejendomsnummer=row.property_number))
        if advance is not None:
            advance(1)
    session.flush()
    session.add_all(new_properties)  # after the sections they refer to: the mapping has no relationship to order by
    session.flush()
    counts = {kind: sum(1 for item in touched if item[0] == kind) for kind in "oab"}
    return ImportOutcome(counts["o"], counts["a"], counts["b"], added, updated)
