"""The integration engine: turn a source's snapshot into the register's view, and make the register equal it.

Axema is master and the register is slave. A run reads a snapshot, builds the view (addresses → apartments →
residents → keys, with excluded groups and warnings), checks that it can be trusted, and reconciles the
records the integration owns in one transaction: all or nothing, and nothing at all when nothing changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from bodata.boenderegister.messages import issue_reason
from bodata.boenderegister.models import Address, Apartment, Integration, Key, Resident
from bodata.boenderegister.refid import (
    ReferenceIdError,
    implausible_floor,
    is_floor_code,
    parse_reference_id,
    storey,
)
from bodata.boenderegister.sources.base import OrganisationGroup, Snapshot
from bodata.core.i18n import Message
from bodata.core.text import nfc

INTERNAL_NUMBER_MAX_LENGTH = 20
# Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
_ID_CHUNK = 5000


@dataclass(frozen=True)
class GroupIssue:
    """An organisation group the run excluded, or read with a warning; why is a code of
    ``messages.ISSUE_REASONS`` with its parameters."""

    kind: str  # "excluded" or "warning"
    group: OrganisationGroup
    code: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> Message | str:
        return issue_reason(self.code, self.params, "")


@dataclass
class KeyView:
    kind: str
    number: str


@dataclass
class ResidentView:
    first_name: str
    last_name: str
    keys: dict[str, KeyView] = field(default_factory=dict)


@dataclass
class ApartmentView:
    internal_number: str | None
    floor_code: str
    residents: dict[str, ResidentView] = field(default_factory=dict)


@dataclass
class View:
    """What the register must hold after the run: address name → Lantmäteriet number → apartment."""

    addresses: dict[str, dict[str, ApartmentView]] = field(default_factory=dict)
    issues: list[GroupIssue] = field(default_factory=list)
    groups: dict[str, list[OrganisationGroup]] = field(default_factory=dict)  # address name → its groups

    @property
    def resident_count(self) -> int:
        return sum(len(apt.residents) for apartments in self.addresses.values() for apt in apartments.values())


def build_view(snapshot: Snapshot) -> View:
    """The register's view of a snapshot, with every excluded group and warning and the reason for each."""
    view = View()
    apartment_of_group: dict[str, ApartmentView] = {}
    for (identifier, lm_number), groups in _groups_by_reference(snapshot.groups, view.issues).items():
        settings = {_apartment_settings(group, lm_number, view.issues) for group in groups}
        if len(settings) > 1:
            others = ", ".join(f"'{group.name}'" for group in groups)
            for group in groups:
                view.issues.append(GroupIssue("excluded", group, "conflicting_duplicates", {"groups": others}))
            continue
        internal_number, floor_code = settings.pop()
        apartment = ApartmentView(internal_number=internal_number, floor_code=floor_code)
        view.addresses.setdefault(identifier, {})[lm_number] = apartment
        view.groups.setdefault(identifier, []).extend(groups)
        for group in groups:
            apartment_of_group[group.external_id] = apartment
        if len(groups) > 1:
            names = ", ".join(f"'{group.name}'" for group in groups)
            for group in groups:
                view.issues.append(GroupIssue("warning", group, "duplicate_merged", {"groups": names}))
    for person in snapshot.persons:
        for group_id in person.group_ids:
            apartment = apartment_of_group.get(group_id)
            if apartment is None:
                continue
            apartment.residents[person.external_id] = ResidentView(
                first_name=nfc(person.first_name),
                last_name=nfc(person.last_name),
                keys={
                    credential.external_id: KeyView(credential.kind, nfc(credential.number))
                    for credential in person.credentials
                },
            )
    return view


def _groups_by_reference(
    groups: Iterable[OrganisationGroup], issues: list[GroupIssue]
) -> dict[tuple[str, str], list[OrganisationGroup]]:
    by_reference: dict[tuple[str, str], list[OrganisationGroup]] = defaultdict(list)
    for group in groups:
        try:
            reference = parse_reference_id(group.reference_id)
        except ReferenceIdError as exc:
            issues.append(GroupIssue("excluded", group, exc.code, exc.params))
            continue
        by_reference[(reference.identifier, reference.lm_number)].append(group)
    return by_reference


def _apartment_settings(group: OrganisationGroup, lm_number: str, issues: list[GroupIssue]) -> tuple[str | None, str]:
    """(internal number, floor code) of a group with a correct Reference ID, applying its two overrides."""
    floor_code = lm_number[:2]
    floor = nfc((group.floor or "").strip())
    if floor:
        if is_floor_code(floor):
            floor_code = floor
        else:
            issues.append(GroupIssue("warning", group, "floor_not_a_code", {"floor": floor}))
    if implausible_floor(floor_code):
        issues.append(
            GroupIssue("warning", group, "floor_implausible", {"code": floor_code, "storey": storey(floor_code)})
        )
    if lm_number[2:] == "00":
        issues.append(GroupIssue("warning", group, "door_zero", {"number": lm_number}))
    internal_number = nfc((group.apartment_number or "").strip()) or None
    if internal_number and len(internal_number) > INTERNAL_NUMBER_MAX_LENGTH:
        issues.append(
            GroupIssue(
                "warning",
                group,
                "internal_number_too_long",
                {"number": internal_number, "max": INTERNAL_NUMBER_MAX_LENGTH},
            )
        )
        internal_number = None
    return internal_number, floor_code


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    removed: int = 0
    released: int = 0  # given back to the account as typed in by hand


@dataclass(frozen=True)
class ChangedRecord:
    """One record a run created, updated, adopted, removed or released, named for the run report."""

    kind: str  # "address", "apartment", "resident" or "key"
    action: str  # "created", "updated", "adopted", "removed" or "released"
    label: str


_KINDS = {"address": "addresses", "apartment": "apartments", "resident": "residents", "key": "keys"}
_COUNTED_AS = {"created": "created", "updated": "updated", "adopted": "updated", "removed": "removed"}


@dataclass
class Changes:
    """What a reconciliation did, per kind of record: counts, and every record by name."""

    addresses: Counts = field(default_factory=Counts)
    apartments: Counts = field(default_factory=Counts)
    residents: Counts = field(default_factory=Counts)
    keys: Counts = field(default_factory=Counts)
    records: list[ChangedRecord] = field(default_factory=list)

    def note(self, kind: str, action: str, labels: Iterable[str]) -> None:
        """Record that ``action`` was done to the records named ``labels``."""
        added = [ChangedRecord(kind, action, label) for label in labels]
        counts = getattr(self, _KINDS[kind])
        name = _COUNTED_AS.get(action, action)
        setattr(counts, name, getattr(counts, name) + len(added))
        self.records.extend(added)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(getattr(self, name)).copy() for name in _KINDS.values()}

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.as_dict().values())


def reconcile(session: Session, *, account_id: int, integration_id: int, view: View) -> Changes:
    """Create, update and remove the integration's records so that its part of the register equals ``view``.

    Ownership (docs/boenderegister.md, "Who owns a record"): a run writes only records its integration owns.
    It adopts a record nobody owns only by name: an address with exactly the identifier, an apartment with the
    Lantmäteriet number at an address it owns, a resident or key with the source's id (left behind by a deleted
    integration) under a record it owns. When Axema no longer delivers a record, a record it created is removed
    and an adopted one (or one with hand-typed records below it) is given back, never deleted. Groups whose
    address belongs to another integration are excluded, so two integrations never touch each other's records.
    Only differences are written: an unchanged view writes nothing.
    """
    changes = Changes()
    run = _Run(session, integration_id, changes)
    address_ids = run.addresses(account_id, view)
    apartment_ids = run.apartments(view, address_ids)
    resident_ids, wanted_residents = run.residents(view, apartment_ids)
    run.keys(wanted_residents, resident_ids)
    run.remove_gone()
    return changes


class _Run:
    """One reconciliation: the levels are reconciled top down, the records gone from Axema removed bottom up."""

    def __init__(self, session: Session, integration_id: int, changes: Changes) -> None:
        self.session, self.integration_id, self.changes = session, integration_id, changes
        self.gone: dict[str, list[tuple[int, bool, str]]] = {kind: [] for kind in _KINDS}  # (id, adopted, label)
        # What the report's labels are made of, kept as read (a label is made only for a record that changes).
        self.apartment_at: dict[int, tuple[str, str]] = {}  # apartment id → (address name, Lantmäteriet number)
        self.resident_rows: dict[int, tuple] = {}  # resident id → (id, apartment id, person id, first, last, …)

    def _owned(self, model):
        return model.integration_id == self.integration_id

    def _rows(self, query) -> list:
        """A query's rows as plain tuples (Core execution: no ORM row processing for 100,000 rows)."""
        return self.session.connection().execute(query).all()

    def _insert(self, model, rows: list[dict]) -> None:
        """One plain executemany: no ORM bookkeeping and no RETURNING, which SQLite would answer row by row
        when the order must be kept; the new ids are read back by their natural keys."""
        self.session.execute(insert(model.__table__), rows)

    def _adopt(self, model, kind: str, rows: list[dict], labels: list[str]) -> None:
        if rows:
            self.session.execute(update(model), [{**row, "integration_id": self.integration_id} for row in rows])
            self.changes.note(kind, "adopted", labels)

    def addresses(self, account_id: int, view: View) -> dict[str, int]:
        rows = self._rows(
            select(Address.id, Address.name, Address.integration_id, Address.adopted).where(
                Address.account_id == account_id
            )
        )
        existing = {row.name: row for row in rows}
        others = {row.integration_id for row in rows if row.integration_id not in (None, self.integration_id)}
        names = (
            dict(self.session.execute(select(Integration.id, Integration.name).where(Integration.id.in_(others))).all())
            if others
            else {}
        )
        ids, adopt = {}, []
        for name in list(view.addresses):
            row = existing.get(name)
            if row is None:
                continue
            if row.integration_id == self.integration_id:
                ids[name] = row.id
            elif row.integration_id is None:
                ids[name] = row.id
                adopt.append(row)
            else:
                owner = names.get(row.integration_id, row.integration_id)
                for group in view.groups.get(name, []):
                    view.issues.append(
                        GroupIssue(
                            "excluded", group, "address_of_another_integration", {"address": name, "owner": owner}
                        )
                    )
                del view.addresses[name]
        self._adopt(Address, "address", [{"id": row.id, "adopted": True} for row in adopt], [r.name for r in adopt])
        self.gone["address"] = [
            (row.id, row.adopted, row.name)
            for name, row in existing.items()
            if row.integration_id == self.integration_id and name not in view.addresses
        ]
        new = [name for name in view.addresses if name not in existing]
        if new:
            self._insert(
                Address,
                [{"account_id": account_id, "name": name, "integration_id": self.integration_id} for name in new],
            )
            created = self._rows(select(Address.name, Address.id).where(self._owned(Address)))
            ids.update({name: address_id for name, address_id in created if name in view.addresses})
            self.changes.note("address", "created", new)
        ids_of_gone = {address_id: label for address_id, _, label in self.gone["address"]}
        self.address_names = {address_id: name for name, address_id in ids.items()} | ids_of_gone
        return ids

    def apartment_label(self, apartment_id: int) -> str:
        name, lm_number = self.apartment_at.get(apartment_id, ("?", "?"))
        return f"{name}, {lm_number}"

    def resident_label(self, resident_id: int) -> str:
        row = self.resident_rows.get(resident_id)
        if row is None:
            return "?"
        return f"{self.apartment_label(row[1])}: {row[4]} {row[3]}".strip()

    def apartments(self, view: View, address_ids: dict[str, int]) -> dict[tuple[str, str], int]:
        rows = self._rows(
            select(
                Apartment.id,
                Apartment.address_id,
                Apartment.lm_number,
                Apartment.internal_number,
                Apartment.floor_code,
                Apartment.integration_id,
                Apartment.adopted,
            ).where(Apartment.address_id.in_(select(Address.id).where(self._owned(Address))))
        )
        ids: dict[tuple[str, str], int] = {}
        changed, adopt, taken = [], [], set()
        no_apartments: dict[str, ApartmentView] = {}
        for apartment_id, address_id, lm_number, internal_number, floor_code, owner, adopted in rows:
            name = self.address_names[address_id]
            self.apartment_at[apartment_id] = (name, lm_number)
            wanted = view.addresses.get(name, no_apartments).get(lm_number)
            if owner is not None and owner != self.integration_id:
                taken.add((name, lm_number))  # another integration's: never touched
                continue
            if wanted is None:
                if owner == self.integration_id:
                    self.gone["apartment"].append((apartment_id, adopted, self.apartment_label(apartment_id)))
                continue
            ids[(name, lm_number)] = apartment_id
            if owner is None:
                values = {"id": apartment_id, "internal_number": wanted.internal_number}
                adopt.append({**values, "floor_code": wanted.floor_code, "adopted": True})
            elif internal_number != wanted.internal_number or floor_code != wanted.floor_code:
                changed.append(
                    {"id": apartment_id, "internal_number": wanted.internal_number, "floor_code": wanted.floor_code}
                )
        self._adopt(Apartment, "apartment", adopt, [self.apartment_label(values["id"]) for values in adopt])
        if changed:
            self.session.execute(update(Apartment), changed)
            self.changes.note("apartment", "updated", [self.apartment_label(values["id"]) for values in changed])
        new = [
            (name, lm_number, apartment)
            for name, apartments in view.addresses.items()
            for lm_number, apartment in apartments.items()
            if (name, lm_number) not in ids and (name, lm_number) not in taken
        ]
        if new:
            self._insert(
                Apartment,
                [
                    {
                        "address_id": address_ids[name],
                        "lm_number": lm_number,
                        "internal_number": apartment.internal_number,
                        "floor_code": apartment.floor_code,
                        "integration_id": self.integration_id,
                    }
                    for name, lm_number, apartment in new
                ],
            )
            created = {
                (address_id, lm_number): apartment_id
                for apartment_id, address_id, lm_number in self._rows(
                    select(Apartment.id, Apartment.address_id, Apartment.lm_number).where(self._owned(Apartment))
                )
            }
            for name, lm_number, _ in new:
                apartment_id = ids[(name, lm_number)] = created[(address_ids[name], lm_number)]
                self.apartment_at[apartment_id] = (name, lm_number)
            self.changes.note("apartment", "created", [f"{name}, {lm_number}" for name, lm_number, _ in new])
        return ids

    def residents(
        self, view: View, apartment_ids: dict[tuple[str, str], int]
    ) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], ResidentView]]:
        wanted: dict[tuple[int, str], ResidentView] = {
            (apartment_ids[(name, lm_number)], person_id): resident
            for name, apartments in view.addresses.items()
            for lm_number, apartment in apartments.items()
            if (name, lm_number) in apartment_ids
            for person_id, resident in apartment.residents.items()
        }
        columns = (
            Resident.id,
            Resident.apartment_id,
            Resident.external_key,
            Resident.first_name,
            Resident.last_name,
            Resident.integration_id,
            Resident.adopted,
        )
        rows = self._rows(select(*columns).where(self._owned(Resident))) + self._rows(
            select(*columns)
            .join(Apartment, Resident.apartment_id == Apartment.id)
            .where(Resident.integration_id.is_(None), Resident.external_key.is_not(None), self._owned(Apartment))
        )
        ids: dict[tuple[int, str], int] = {}
        changed, adopt = [], []
        for row in rows:
            resident_id, apartment_id, person_id, first_name, last_name, owner, adopted = row
            self.resident_rows[resident_id] = row
            resident = wanted.get((apartment_id, person_id))
            if resident is None:
                if owner == self.integration_id:
                    self.gone["resident"].append((resident_id, adopted, self.resident_label(resident_id)))
                continue
            ids[(apartment_id, person_id)] = resident_id
            if owner is None or first_name != resident.first_name or last_name != resident.last_name:
                values = {"id": resident_id, "first_name": resident.first_name, "last_name": resident.last_name}
                self.resident_rows[resident_id] = (
                    resident_id,
                    apartment_id,
                    person_id,
                    resident.first_name,
                    resident.last_name,
                )
                if owner is None:
                    adopt.append({**values, "adopted": False})  # left by a deleted integration: taken over
                else:
                    changed.append(values)
        self._adopt(Resident, "resident", adopt, [self.resident_label(values["id"]) for values in adopt])
        if changed:
            self.session.execute(update(Resident), changed)
            self.changes.note("resident", "updated", [self.resident_label(values["id"]) for values in changed])
        new = [key for key in wanted if key not in ids]
        if new:
            self._insert(
                Resident,
                [
                    {
                        "apartment_id": apartment_id,
                        "external_key": person_id,
                        "first_name": wanted[(apartment_id, person_id)].first_name,
                        "last_name": wanted[(apartment_id, person_id)].last_name,
                        "integration_id": self.integration_id,
                    }
                    for apartment_id, person_id in new
                ],
            )
            created = {
                (apartment_id, person_id): resident_id
                for resident_id, apartment_id, person_id in self._rows(
                    select(Resident.id, Resident.apartment_id, Resident.external_key).where(self._owned(Resident))
                )
            }
            for key in new:
                resident_id = ids[key] = created[key]
                resident = wanted[key]
                self.resident_rows[resident_id] = (resident_id, key[0], key[1], resident.first_name, resident.last_name)
            self.changes.note("resident", "created", [self.resident_label(ids[key]) for key in new])
        return ids, wanted

    def keys(
        self, wanted_residents: dict[tuple[int, str], ResidentView], resident_ids: dict[tuple[int, str], int]
    ) -> None:
        wanted = {
            (resident_ids[resident_key], credential_id): key
            for resident_key, resident in wanted_residents.items()
            for credential_id, key in resident.keys.items()
        }
        columns = (Key.id, Key.resident_id, Key.external_key, Key.kind, Key.number, Key.integration_id, Key.adopted)
        rows = self._rows(select(*columns).where(self._owned(Key))) + self._rows(
            select(*columns)
            .join(Resident, Key.resident_id == Resident.id)
            .where(Key.integration_id.is_(None), Key.external_key.is_not(None), self._owned(Resident))
        )
        seen, changed, adopt = set(), [], []
        for key_id, resident_id, credential_id, kind, number, owner, adopted in rows:
            key = wanted.get((resident_id, credential_id))
            if key is None:
                if owner == self.integration_id:
                    self.gone["key"].append((key_id, adopted, f"{self.resident_label(resident_id)}, {number}"))
                continue
            seen.add((resident_id, credential_id))
            if owner is None or kind != key.kind or number != key.number:
                values = {"id": key_id, "kind": key.kind, "number": key.number}
                label = f"{self.resident_label(resident_id)}, {key.number}"
                if owner is None:
                    adopt.append(({**values, "adopted": False}, label))
                else:
                    changed.append((values, label))
        self._adopt(Key, "key", [values for values, _ in adopt], [label for _, label in adopt])
        if changed:
            self.session.execute(update(Key), [values for values, _ in changed])
            self.changes.note("key", "updated", [label for _, label in changed])
        new = [
            (resident_id, credential_id, key)
            for (resident_id, credential_id), key in wanted.items()
            if (resident_id, credential_id) not in seen
        ]
        if new:
            self._insert(
                Key,
                [
                    {
                        "resident_id": resident_id,
                        "external_key": credential_id,
                        "kind": key.kind,
                        "number": key.number,
                        "integration_id": self.integration_id,
                    }
                    for resident_id, credential_id, key in new
                ],
            )
            self.changes.note(
                "key", "created", [f"{self.resident_label(resident_id)}, {key.number}" for resident_id, _, key in new]
            )

    def remove_gone(self) -> None:
        """Remove what Axema no longer delivers, bottom up: what the integration created goes; what it adopted,
        or what still has records of others below it, is given back to the account as typed in by hand."""
        for kind, model, child_parent in (
            ("key", Key, None),
            ("resident", Resident, Key.resident_id),
            ("apartment", Apartment, Resident.apartment_id),
            ("address", Address, Apartment.address_id),
        ):
            gone = self.gone[kind]
            if not gone:
                continue
            keeping = {record_id for record_id, adopted, _ in gone if adopted}
            candidates = [record_id for record_id, adopted, _ in gone if not adopted]
            if child_parent is not None and candidates:
                keeping.update(_ids_where(self.session, child_parent, child_parent, candidates))
            released = [(record_id, label) for record_id, _, label in gone if record_id in keeping]
            removed = [(record_id, label) for record_id, _, label in gone if record_id not in keeping]
            for start in range(0, len(released), _ID_CHUNK):
                chunk = [record_id for record_id, _ in released[start : start + _ID_CHUNK]]
                self.session.execute(
                    update(model).where(model.id.in_(chunk)).values(integration_id=None, adopted=False)
                )
            _delete_ids(self.session, model, [record_id for record_id, _ in removed])
            self.changes.note(kind, "released", [label for _, label in released])
            self.changes.note(kind, "removed", [label for _, label in removed])


def _ids_where(session: Session, id_column, parent_column, parent_ids: list[int]) -> set[int]:
    """The distinct ``id_column`` values of rows whose ``parent_column`` is one of ``parent_ids`` (in chunks)."""
    found: set[int] = set()
    for start in range(0, len(parent_ids), _ID_CHUNK):
        chunk = parent_ids[start : start + _ID_CHUNK]
        found.update(session.scalars(select(id_column).where(parent_column.in_(chunk)).distinct()))
    return found


def _delete_ids(session: Session, model, ids: list[int]) -> None:
    """Delete rows by id, in chunks (nothing is left below them: what was is removed or kept the row)."""
    for start in range(0, len(ids), _ID_CHUNK):
        session.execute(delete(model).where(model.id.in_(ids[start : start + _ID_CHUNK])))
