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

from bodata.boenderegister.models import Address, Apartment, Key, Resident
from bodata.boenderegister.refid import ReferenceIdError, is_floor_code, parse_reference_id
from bodata.boenderegister.sources.base import OrganisationGroup, Snapshot

INTERNAL_NUMBER_MAX_LENGTH = 20
# Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
_ID_CHUNK = 5000


@dataclass(frozen=True)
class GroupIssue:
    """An organisation group the run excluded, or read with a warning."""

    kind: str  # "excluded" or "warning"
    group: OrganisationGroup
    reason: str


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
                view.issues.append(
                    GroupIssue(
                        "excluded",
                        group,
                        f"the groups {others} share this Reference ID but give different Apartment number or "
                        "Floor values",
                    )
                )
            continue
        internal_number, floor_code = settings.pop()
        apartment = ApartmentView(internal_number=internal_number, floor_code=floor_code)
        view.addresses.setdefault(identifier, {})[lm_number] = apartment
        for group in groups:
            apartment_of_group[group.external_id] = apartment
        if len(groups) > 1:
            names = ", ".join(f"'{group.name}'" for group in groups)
            for group in groups:
                view.issues.append(
                    GroupIssue("warning", group, f"the groups {names} share this Reference ID; residents merged")
                )
    for person in snapshot.persons:
        for group_id in person.group_ids:
            apartment = apartment_of_group.get(group_id)
            if apartment is None:
                continue
            apartment.residents[person.external_id] = ResidentView(
                first_name=person.first_name,
                last_name=person.last_name,
                keys={
                    credential.external_id: KeyView(credential.kind, credential.number)
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
            issues.append(GroupIssue("excluded", group, str(exc)))
            continue
        by_reference[(reference.identifier, reference.lm_number)].append(group)
    return by_reference


def _apartment_settings(group: OrganisationGroup, lm_number: str, issues: list[GroupIssue]) -> tuple[str | None, str]:
    """(internal number, floor code) of a group with a correct Reference ID, applying its two overrides."""
    floor_code = lm_number[:2]
    floor = (group.floor or "").strip()
    if floor:
        if is_floor_code(floor):
            floor_code = floor
        else:
            issues.append(
                GroupIssue("warning", group, f"Floor '{floor}' is not a Lantmäteriet floor code; the number's is used")
            )
    internal_number = (group.apartment_number or "").strip() or None
    if internal_number and len(internal_number) > INTERNAL_NUMBER_MAX_LENGTH:
        issues.append(
            GroupIssue(
                "warning",
                group,
                f"Apartment number '{internal_number}' is longer than {INTERNAL_NUMBER_MAX_LENGTH} characters; ignored",
            )
        )
        internal_number = None
    return internal_number, floor_code


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    removed: int = 0


@dataclass
class Changes:
    """What a reconciliation created, updated and removed, per kind of record."""

    addresses: Counts = field(default_factory=Counts)
    apartments: Counts = field(default_factory=Counts)
    residents: Counts = field(default_factory=Counts)
    keys: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(getattr(self, name)).copy() for name in ("addresses", "apartments", "residents", "keys")}

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.as_dict().values())


def reconcile(session: Session, *, account_id: int, integration_id: int, view: View) -> Changes:
    """Create, update and remove the integration's records so the register equals ``view``.

    Records of the account with the same address name or apartment number that nobody owns are adopted by
    the integration. Only differences are written: an unchanged view writes nothing.
    """
    changes = Changes()
    address_ids = _reconcile_addresses(session, account_id, integration_id, view, changes)
    apartment_ids = _reconcile_apartments(session, integration_id, view, address_ids, changes)
    _reconcile_residents_and_keys(session, integration_id, view, apartment_ids, changes)
    return changes


def _reconcile_addresses(
    session: Session, account_id: int, integration_id: int, view: View, changes: Changes
) -> dict[str, int]:
    counts = changes.addresses
    rows = session.execute(
        select(Address.id, Address.name, Address.integration_id).where(Address.account_id == account_id)
    ).all()
    existing = {row.name: row for row in rows}
    adopt = [
        row.id for name, row in existing.items() if name in view.addresses and row.integration_id != integration_id
    ]
    if adopt:
        for start in range(0, len(adopt), _ID_CHUNK):
            chunk = adopt[start : start + _ID_CHUNK]
            session.execute(update(Address).where(Address.id.in_(chunk)).values(integration_id=integration_id))
        counts.updated += len(adopt)
    gone = [
        row.id for name, row in existing.items() if row.integration_id == integration_id and name not in view.addresses
    ]
    if gone:
        apartments = _ids_where(session, Apartment.id, Apartment.address_id, gone)
        changes.apartments.removed += len(apartments)
        _count_removed_below(session, apartments, changes)
        _delete_ids(session, Address, gone)
        counts.removed += len(gone)
    new = [name for name in view.addresses if name not in existing]
    ids = {name: row.id for name, row in existing.items() if name in view.addresses}
    if new:
        created = session.execute(
            insert(Address).returning(Address.id, Address.name, sort_by_parameter_order=True),
            [{"account_id": account_id, "name": name, "integration_id": integration_id} for name in new],
        )
        ids.update({row.name: row.id for row in created})
        counts.created += len(new)
    return ids


def _reconcile_apartments(
    session: Session, integration_id: int, view: View, address_ids: dict[str, int], changes: Changes
) -> dict[tuple[str, str], int]:
    names_by_id = {address_id: name for name, address_id in address_ids.items()}
    rows = session.execute(
        select(
            Apartment.id,
            Apartment.address_id,
            Apartment.lm_number,
            Apartment.internal_number,
            Apartment.floor_code,
            Apartment.integration_id,
        ).where(Apartment.address_id.in_(select(Address.id).where(Address.integration_id == integration_id)))
    ).all()
    ids: dict[tuple[str, str], int] = {}
    changed, gone = [], []
    for row in rows:
        name = names_by_id.get(row.address_id)
        wanted = view.addresses.get(name, {}).get(row.lm_number) if name else None
        if wanted is None:
            if row.integration_id == integration_id:
                gone.append(row.id)
            continue
        ids[(name, row.lm_number)] = row.id
        if (row.internal_number, row.floor_code, row.integration_id) != (
            wanted.internal_number,
            wanted.floor_code,
            integration_id,
        ):
            changed.append(
                {
                    "id": row.id,
                    "internal_number": wanted.internal_number,
                    "floor_code": wanted.floor_code,
                    "integration_id": integration_id,
                }
            )
    if changed:
        session.execute(update(Apartment), changed)
        changes.apartments.updated += len(changed)
    if gone:
        _count_removed_below(session, gone, changes)
        _delete_ids(session, Apartment, gone)
        changes.apartments.removed += len(gone)
    new = [
        (name, lm_number, apartment)
        for name, apartments in view.addresses.items()
        for lm_number, apartment in apartments.items()
        if (name, lm_number) not in ids
    ]
    if new:
        created = session.execute(
            insert(Apartment).returning(Apartment.id, sort_by_parameter_order=True),
            [
                {
                    "address_id": address_ids[name],
                    "lm_number": lm_number,
                    "internal_number": apartment.internal_number,
                    "floor_code": apartment.floor_code,
                    "integration_id": integration_id,
                }
                for name, lm_number, apartment in new
            ],
        )
        for (name, lm_number, _), row in zip(new, created, strict=True):
            ids[(name, lm_number)] = row.id
        changes.apartments.created += len(new)
    return ids


def _count_removed_below(session: Session, apartment_ids: list[int], changes: Changes) -> None:
    """Count the residents and keys that go with removed apartments (the database cascades the delete)."""
    resident_ids = _ids_where(session, Resident.id, Resident.apartment_id, apartment_ids)
    changes.residents.removed += len(resident_ids)
    changes.keys.removed += len(_ids_where(session, Key.id, Key.resident_id, resident_ids))


def _ids_where(session: Session, id_column, parent_column, parent_ids: list[int]) -> list[int]:
    """The ids of rows whose ``parent_column`` is one of ``parent_ids`` (queried in chunks)."""
    found: list[int] = []
    for start in range(0, len(parent_ids), _ID_CHUNK):
        chunk = parent_ids[start : start + _ID_CHUNK]
        found.extend(session.scalars(select(id_column).where(parent_column.in_(chunk))))
    return found


def _delete_ids(session: Session, model, ids: list[int]) -> None:
    """Delete rows by id, in chunks; the database cascades to the rows below."""
    for start in range(0, len(ids), _ID_CHUNK):
        session.execute(delete(model).where(model.id.in_(ids[start : start + _ID_CHUNK])))


def _reconcile_residents_and_keys(
    session: Session, integration_id: int, view: View, apartment_ids: dict[tuple[str, str], int], changes: Changes
) -> None:
    wanted: dict[tuple[int, str], ResidentView] = {
        (apartment_ids[(name, lm_number)], person_id): resident
        for name, apartments in view.addresses.items()
        for lm_number, apartment in apartments.items()
        for person_id, resident in apartment.residents.items()
    }
    rows = session.execute(
        select(
            Resident.id, Resident.apartment_id, Resident.external_key, Resident.first_name, Resident.last_name
        ).where(Resident.integration_id == integration_id)
    ).all()
    resident_ids: dict[tuple[int, str], int] = {}
    changed, gone = [], []
    for row in rows:
        resident = wanted.get((row.apartment_id, row.external_key))
        if resident is None:
            gone.append(row.id)
            continue
        resident_ids[(row.apartment_id, row.external_key)] = row.id
        if (row.first_name, row.last_name) != (resident.first_name, resident.last_name):
            changed.append({"id": row.id, "first_name": resident.first_name, "last_name": resident.last_name})
    if changed:
        session.execute(update(Resident), changed)
        changes.residents.updated += len(changed)
    if gone:
        changes.keys.removed += len(_ids_where(session, Key.id, Key.resident_id, gone))
        _delete_ids(session, Resident, gone)
        changes.residents.removed += len(gone)
    new = [key for key in wanted if key not in resident_ids]
    if new:
        created = session.execute(
            insert(Resident).returning(Resident.id, sort_by_parameter_order=True),
            [
                {
                    "apartment_id": apartment_id,
                    "external_key": person_id,
                    "first_name": wanted[(apartment_id, person_id)].first_name,
                    "last_name": wanted[(apartment_id, person_id)].last_name,
                    "integration_id": integration_id,
                }
                for apartment_id, person_id in new
            ],
        )
        for key, row in zip(new, created, strict=True):
            resident_ids[key] = row.id
        changes.residents.created += len(new)
    _reconcile_keys(session, integration_id, wanted, resident_ids, changes.keys)


def _reconcile_keys(
    session: Session,
    integration_id: int,
    wanted_residents: dict[tuple[int, str], ResidentView],
    resident_ids: dict[tuple[int, str], int],
    counts: Counts,
) -> None:
    wanted = {
        (resident_ids[resident_key], credential_id): key
        for resident_key, resident in wanted_residents.items()
        for credential_id, key in resident.keys.items()
    }
    rows = session.execute(
        select(Key.id, Key.resident_id, Key.external_key, Key.kind, Key.number).where(
            Key.integration_id == integration_id
        )
    ).all()
    seen, changed, gone = set(), [], []
    for row in rows:
        key = wanted.get((row.resident_id, row.external_key))
        if key is None:
            gone.append(row.id)
            continue
        seen.add((row.resident_id, row.external_key))
        if (row.kind, row.number) != (key.kind, key.number):
            changed.append({"id": row.id, "kind": key.kind, "number": key.number})
    if changed:
        session.execute(update(Key), changed)
        counts.updated += len(changed)
    if gone:
        _delete_ids(session, Key, gone)
        counts.removed += len(gone)
    new = [
        {
            "resident_id": resident_id,
            "external_key": credential_id,
            "kind": key.kind,
            "number": key.number,
            "integration_id": integration_id,
        }
        for (resident_id, credential_id), key in wanted.items()
        if (resident_id, credential_id) not in seen
    ]
    if new:
        session.execute(insert(Key), new)
        counts.created += len(new)
