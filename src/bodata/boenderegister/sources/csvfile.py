"""Axema's CSV person export as a source: one row per person and organisation group, merged into a ``Snapshot``.

The export's layout is not public, so the header names are configurable; the defaults are the Swedish names
a VAKA export is expected to use. A person in two groups appears on two rows with the same person id.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bodata.boenderegister.sources.base import Credential, OrganisationGroup, Person, Progress, Snapshot, SourceError

DEFAULT_COLUMNS: Mapping[str, str] = {
    "person_id": "Person-ID",
    "first_name": "Förnamn",
    "last_name": "Efternamn",
    "group_id": "Grupp-ID",
    "group_name": "Organisationsgrupp",
    "reference_id": "Referens ID",
    "apartment_number": "Lägenhetsnummer",
    "floor": "Våning",
    "cards": "Kortnummer",
    "radio_keys": "Radionyckel",
}
REQUIRED_FIELDS = ("person_id", "first_name", "last_name", "reference_id", "cards")
"""Without these the snapshot would silently lose residents' apartments or keys, so the file is refused."""
KEY_SEPARATOR = ","
PROGRESS_EVERY = 1000


@dataclass
class _PersonRows:
    """A person merged from their rows."""

    first_name: str
    last_name: str
    line: int
    group_ids: dict[str, None] = field(default_factory=dict)
    credentials: dict[tuple[str, str], None] = field(default_factory=dict)


class CsvPersonSource:
    """Reads Axema's CSV person export; ``columns`` maps our field names to the file's header names."""

    def __init__(
        self,
        path: str | Path,
        *,
        columns: Mapping[str, str] | None = None,
        delimiter: str = ";",
        encoding: str = "utf-8-sig",
    ) -> None:
        unknown = sorted(set(columns or {}) - set(DEFAULT_COLUMNS))
        if unknown:
            raise ValueError(f"unknown fields in columns: {', '.join(unknown)} (known: {', '.join(DEFAULT_COLUMNS)})")
        self.path = Path(path)
        self.columns = {**DEFAULT_COLUMNS, **(columns or {})}
        self.delimiter = delimiter
        self.encoding = encoding

    def fetch(self, progress: Progress | None = None) -> Snapshot:
        """Read and merge the whole file; raise ``SourceError`` naming the column or line that is wrong."""
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                return self._read(self._rows(handle), progress)
        except OSError as exc:
            raise SourceError("unreachable", f"cannot read {self.path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise SourceError("invalid", f"{self.path} is not {self.encoding} text: {exc.reason}") from exc

    def _read(self, rows: Iterator[tuple[int, list[str]]], progress: Progress | None) -> Snapshot:
        _line, header = next(rows, (0, []))
        if not header:
            raise SourceError("invalid", f"{self.path} is empty: expected a header line")
        positions = self._positions(header)
        groups: dict[str, tuple[OrganisationGroup, int]] = {}
        persons: dict[str, _PersonRows] = {}
        count = 0
        for line, cells in rows:
            if len(cells) != len(header):
                raise SourceError("invalid", f"line {line}: {len(cells)} fields where the header has {len(header)}")
            values = {name: cells[index].strip() for name, index in positions.items()}
            group = _group(values)
            if group is not None:
                _merge_group(groups, group, line)
            _merge_person(persons, values, group, line)
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count, None)
        if progress is not None:
            progress(count, count)
        return Snapshot(
            groups=tuple(group for group, _first_line in groups.values()),
            persons=tuple(_person(key, merged) for key, merged in persons.items()),
            domain_controllers=None,
            system_name=f"Axema CSV export {self.path.name}",
            details={"file": str(self.path), "rows": str(count)},
        )

    def _rows(self, handle: TextIO) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) of every non-blank line, with csv errors turned into ``SourceError``."""
        reader = csv.reader(handle, delimiter=self.delimiter)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise SourceError("invalid", f"line {reader.line_num}: {exc}") from exc

    def _positions(self, header: list[str]) -> dict[str, int]:
        """Where each of our fields is in the file; a required one missing raises ``SourceError``."""
        names = [name.strip() for name in header]
        missing = [self.columns[logical] for logical in REQUIRED_FIELDS if self.columns[logical] not in names]
        if missing:
            quoted = ", ".join(f"'{name}'" for name in missing)
            raise SourceError("invalid", f"{self.path}: missing column {quoted} (header: {'; '.join(names)})")
        return {logical: names.index(name) for logical, name in self.columns.items() if name in names}


def _group(values: Mapping[str, str]) -> OrganisationGroup | None:
    """The row's organisation group, identified by its id, else its name, else its Reference ID; None if none."""
    key = values.get("group_id") or values.get("group_name") or values.get("reference_id")
    if not key:
        return None
    return OrganisationGroup(
        external_id=key,
        name=values.get("group_name", ""),
        reference_id=values.get("reference_id") or None,
        apartment_number=values.get("apartment_number") or None,
        floor=values.get("floor") or None,
    )


def _merge_group(groups: dict[str, tuple[OrganisationGroup, int]], group: OrganisationGroup, line: int) -> None:
    """Record a group; the same group on another row must have the same fields."""
    seen = groups.setdefault(group.external_id, (group, line))
    if seen[0] != group:
        raise SourceError(
            "invalid", f"line {line}: organisation group {group.external_id!r} differs from the one on line {seen[1]}"
        )


def _merge_person(
    persons: dict[str, _PersonRows], values: Mapping[str, str], group: OrganisationGroup | None, line: int
) -> None:
    """Add a row to its person: the names must agree with earlier rows; groups and keys accumulate."""
    key = values["person_id"]
    if not key:
        raise SourceError("invalid", f"line {line}: empty person id")
    rows = persons.setdefault(key, _PersonRows(values["first_name"], values["last_name"], line))
    if (rows.first_name, rows.last_name) != (values["first_name"], values["last_name"]):
        raise SourceError("invalid", f"line {line}: person {key!r} has another name than on line {rows.line}")
    if group is not None:
        rows.group_ids[group.external_id] = None
    for kind, column in (("tag", "cards"), ("radio", "radio_keys")):
        for number in values.get(column, "").split(KEY_SEPARATOR):
            if number.strip():
                rows.credentials[(kind, number.strip())] = None


def _person(key: str, rows: _PersonRows) -> Person:
    credentials = tuple(Credential(f"{kind}:{number}", kind, number) for kind, number in rows.credentials)
    return Person(key, rows.first_name, rows.last_name, tuple(rows.group_ids), credentials)
