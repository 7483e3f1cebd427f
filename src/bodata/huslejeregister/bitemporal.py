"""The bitemporal entities Boligorganisation, Afdeling, Byggeafsnit and Bolig (huslejeregister.md §3, §4.1-4.4) and
the machinery Anvisningsaftale and Boligopskrivning share: each kind's finding, identification and checks
(:class:`EntityKind`), reading versions the six ways of §3.4 and List, and registering versions (Ret, Valider)
with the overlay of §3.7, drafts and the numbered rules. Functions take a session and plain data (the structures
as dicts of element names, see :mod:`~bodata.huslejeregister.structures`), never a request; a call they cannot
carry out raises :class:`~bodata.huslejeregister.calls.Refused`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.temporal import (
    Period,
    ProblemCode,
    check_timeline,
    current_versions,
    deregister,
    overlay,
    replace_versions,
    select_in_effect,
    version_in_effect,
    versions_as_of,
)
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import rules
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, RegisterRules, method_output
from bodata.huslejeregister.models import (
    Afdeling,
    AfdelingVersion,
    Bolig,
    Boligorganisation,
    BoligorganisationVersion,
    Boligudgift,
    BoligVersion,
    Byggeafsnit,
    ByggeafsnitVersion,
    HandicapBoligType,
    Lejekontrakt,
)
from bodata.huslejeregister.organisations import (
    afdeling_identification,
    bolig_identification,
    bolig_read_only,
    byggeafsnit_identification,
    find_afdeling,
    find_bolig,
    find_byggeafsnit,
    find_organisation,
    organisation_identification,
)
from bodata.huslejeregister.rules import Finding
from bodata.huslejeregister.structures import VERSION_FIELDS, El, from_json, to_json

# --- The bitemporal entities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityKind:
    """How one bitemporal entity is found, identified, checked and stored."""

    name: str
    model: type
    version_model: type
    find: Callable[[Session, Caller, Mapping[str, Any]], Any]
    identification: Callable[[Any], dict[str, Any]]
    check_version: Callable[[Session, Any, Mapping[str, Any]], list[Finding]]
    check_entity: Callable[[Session, Any, RegisterRules, datetime], list[Finding]] | None = None
    read_only: Callable[[Any], dict[str, Any]] | None = None
    check_references: Callable[[Session, Any, Mapping[str, Any]], None] | None = None

    @property
    def fields(self) -> tuple[El, ...]:
        return VERSION_FIELDS[self.name]


def _check_bolig_version(session: Session, bolig: Bolig, version: Mapping[str, Any]) -> list[Finding]:
    return rules.check_bolig(version, bbr_area=bolig.bruttoareal)


def _check_handicap_reference(session: Session, bolig: Bolig, version: Mapping[str, Any]) -> None:
    """A submitted version may only refer to a HandicapBoligType of the dwelling's building section."""
    reference = version.get("HandicapBoligTypeReference")
    if reference is not None:
        handicap_type = session.get(HandicapBoligType, reference)
        if handicap_type is None or handicap_type.byggeafsnit_id != bolig.byggeafsnit_id:
            raise Refused(f"HandicapBoligType {reference} findes ikke i boligens byggeafsnit")


def check_bolig_submission(session: Session, bolig: Bolig, register: RegisterRules, now: datetime) -> list[Finding]:
    """2014, 2015 and 2023: a submitted Bolig needs its fixed expenses and a current or future lease."""
    today = now.astimezone(DANISH_TIME).date()
    expenses = list(session.scalars(select(Boligudgift).where(Boligudgift.bolig_id == bolig.id, ~Boligudgift.kladde)))
    leases = list(session.scalars(select(Lejekontrakt).where(Lejekontrakt.bolig_id == bolig.id, ~Lejekontrakt.kladde)))
    found = []
    current = {expense.typekode for expense in expenses if expense.slut_dato is None or expense.slut_dato >= today}
    if not set(rules.FIXED_EXPENSE_TYPES) <= current:
        found.append(rules.finding(2014, "Bolig"))
    if not any(lease.slut_dato is None or lease.slut_dato >= today for lease in leases):
        found.append(rules.finding(2015, "Bolig"))
    for lease in leases:
        if lease.start_dato <= register.lease_cutoff:
            continue
        covered = {
            expense.typekode
            for expense in expenses
            if expense.start_dato <= lease.start_dato
            and (expense.slut_dato is None or expense.slut_dato >= lease.start_dato)
        }
        if not set(rules.FIXED_EXPENSE_TYPES) <= covered:
            found.append(rules.finding(2023, "Bolig", cutoff=register.lease_cutoff.strftime("%d-%m-%Y")))
            break
    return found


KINDS: dict[str, EntityKind] = {
    kind.name: kind
    for kind in (
        EntityKind(
            "Boligorganisation",
            Boligorganisation,
            BoligorganisationVersion,
            find_organisation,
            organisation_identification,
            lambda session, entity, version: [],
        ),
        EntityKind(
            "Afdeling",
            Afdeling,
            AfdelingVersion,
            find_afdeling,
            afdeling_identification,
            lambda session, entity, version: rules.check_afdeling(version),
        ),
        EntityKind(
            "Byggeafsnit",
            Byggeafsnit,
            ByggeafsnitVersion,
            find_byggeafsnit,
            byggeafsnit_identification,
            lambda session, entity, version: rules.check_byggeafsnit(version),
        ),
        EntityKind(
            "Bolig",
            Bolig,
            BoligVersion,
            find_bolig,
            bolig_identification,
            _check_bolig_version,
            check_entity=check_bolig_submission,
            read_only=bolig_read_only,
            check_references=_check_handicap_reference,
        ),
    )
}


def _version_output(kind: EntityKind, entity: Any, row: Any) -> dict[str, Any]:
    output = {
        "VirkningFraDatoTid": row.effective_from,
        "VirkningTilDatoTid": row.effective_to,
        "RegistreringFraDatoTid": row.registered_from,
        "RegistreringTilDatoTid": row.registered_to,
        **from_json(kind.fields, row.data),
    }
    if kind.read_only is not None:
        output.update(kind.read_only(entity))
    return output


def _editions(kind: EntityKind, entity: Any, rows: Iterable[Any]) -> list[dict[str, Any]]:
    """``<E>Struktur`` per edition: the submitted one (always, perhaps without versions), then any draft."""
    by_edition: dict[bool, list[Any]] = {False: [], True: []}
    for row in rows:
        by_edition[row.kladde].append(row)
    identification = kind.identification(entity)
    return [
        {
            f"{kind.name}IdentifikationStruktur": identification,
            "KladdeIndikator": draft,
            f"{kind.name}VersionStruktur": [
                _version_output(kind, entity, row) for row in sorted(rows, key=lambda row: row.effective_from)
            ],
        }
        for draft, rows in by_edition.items()
        if rows or not draft
    ]


def _both_editions(
    session: Session, kind: EntityKind, entity: Any, read: Callable[[Session, type, Any], Iterable[Any]]
) -> list[Any]:
    return [row for draft in (False, True) for row in read(session, kind.version_model, (entity.id, draft))]


def hent(session: Session, kind: EntityKind, entity: Any) -> list[dict[str, Any]]:
    """<E>Hent: every current version of both editions."""
    return _editions(kind, entity, _both_editions(session, kind, entity, current_versions))


def hent_specifik(session: Session, kind: EntityKind, entity: Any, effective_at: datetime) -> list[dict[str, Any]]:
    """<E>HentSpecifik: the current version in effect at ``effective_at`` (and the draft's)."""

    def read(session: Session, model: type, key: Any) -> list[Any]:
        found = version_in_effect(session, model, key, effective_at)
        return [found] if found is not None else []

    return _editions(kind, entity, _both_editions(session, kind, entity, read))


def hent_historisk(session: Session, kind: EntityKind, entity: Any, registered_at: datetime) -> list[dict[str, Any]]:
    """<E>HentHistorisk: the versions that were current at ``registered_at``."""

    def read(session: Session, model: type, key: Any) -> list[Any]:
        return versions_as_of(session, model, key, registered_at)

    return _editions(kind, entity, _both_editions(session, kind, entity, read))


def hent_historisk_specifik(
    session: Session, kind: EntityKind, entity: Any, registered_at: datetime, effective_at: datetime
) -> list[dict[str, Any]]:
    """<E>HentHistoriskSpecifik: as known at ``registered_at``, the version in effect at ``effective_at``."""

    def read(session: Session, model: type, key: Any) -> list[Any]:
        found = version_in_effect(session, model, key, effective_at, registered_at)
        return [found] if found is not None else []

    return _editions(kind, entity, _both_editions(session, kind, entity, read))


def hent_virkningsperioder(
    session: Session, kind: EntityKind, entity: Any, registered_at: datetime | None = None
) -> list[dict[str, Any]]:
    """<E>HentVirkningsperioder(Historisk): the effect periods of the current (or then current) versions."""

    def read(session: Session, model: type, key: Any) -> list[Any]:
        if registered_at is None:
            return current_versions(session, model, key)
        return versions_as_of(session, model, key, registered_at)

    rows = _both_editions(session, kind, entity, read)
    return [
        {
            "VirkningFraDatoTid": row.effective_from,
            "VirkningTilDatoTid": row.effective_to,
            "RegistreringFraDatoTid": row.registered_from,
            "RegistreringTilDatoTid": row.registered_to,
            "KladdeIndikator": row.kladde,
        }
        for row in sorted(rows, key=lambda row: (row.kladde, row.effective_from))
    ]


def list_in_effect(session: Session, kind: EntityKind, entities: Sequence[Any], now: datetime) -> list[dict[str, Any]]:
    """<E>List: one structure per entity, with the submitted version in force at call time ("kun den version som
    er gældende", §2.x.2; a draft is read by Hent), in one query."""
    model = kind.version_model
    rows_by_entity: dict[uuid.UUID, list[Any]] = {entity.id: [] for entity in entities}
    if entities:
        statement = select_in_effect(model, now).where(model.entity_id.in_(list(rows_by_entity)), ~model.kladde)
        for row in session.scalars(statement):
            rows_by_entity[row.entity_id].append(row)
    return [edition for entity in entities for edition in _editions(kind, entity, rows_by_entity[entity.id])]


def children(session: Session, kind: EntityKind, caller: Caller, parent: Any | None) -> list[Any]:
    """The entities a List returns: the caller's organisations, or the children of ``parent``."""
    if kind.name == "Boligorganisation":
        statement = select(Boligorganisation).where(Boligorganisation.id.in_(caller.organisation_ids))
        return list(session.scalars(statement.order_by(Boligorganisation.nummer)))
    if kind.name == "Afdeling":
        statement = select(Afdeling).where(Afdeling.boligorganisation_id == parent.id).order_by(Afdeling.nummer)
    elif kind.name == "Byggeafsnit":
        statement = select(Byggeafsnit).where(Byggeafsnit.afdeling_id == parent.id).order_by(Byggeafsnit.nummer)
    else:
        dwellings = session.scalars(select(Bolig).where(Bolig.byggeafsnit_id == parent.id))
        return sorted(dwellings, key=address_order)
    return list(session.scalars(statement))


_FLOORS = {"kl": -1, "st": 0}


def address_order(bolig: Bolig) -> tuple[Any, ...]:
    """Street, house number (2 before 10, 2 before 2A), floor (kl, st, 1, 2, …), door: the same on every database."""
    number = re.match(r"(\d*)(.*)", bolig.husnummer or "")
    floor = (bolig.etage or "").lower()
    floor_rank = _FLOORS.get(floor, int(floor) if floor.isdigit() else 1000)
    return (bolig.vejnavn, int(number[1] or 0), number[2], floor_rank, floor, bolig.doer or "")


# --- Ret and Valider ----------------------------------------------------------------------------------------


def ret(
    session: Session,
    kind: EntityKind,
    entity: Any,
    structure: Mapping[str, Any],
    *,
    now: datetime,
    register: RegisterRules,
    save: bool = True,
) -> list[Finding]:
    """<E>Ret (``save``) or <E>Valider: lay the submitted versions over the edition being edited, check, save.

    KladdeIndikator (default True) chooses the edition written: a draft is saved without the field rules; a
    submission is checked in full, replaces the submitted edition and ends the draft. The edition edited is the
    draft if there is one, otherwise the submitted edition. Valider always checks in full and never saves.
    Returns the findings; when any of them is an error nothing has been written.
    """
    draft = structure.get("KladdeIndikator", True)
    checked = not draft or not save
    submitted = structure.get(f"{kind.name}VersionStruktur", [])
    found = _check_submitted_periods(kind, submitted)
    if kind.check_references is not None:
        for version in submitted:
            kind.check_references(session, entity, version)
    if rules.errors_in(found):
        return _about(kind, entity, found)
    base = current_versions(session, kind.version_model, (entity.id, True)) or current_versions(
        session, kind.version_model, (entity.id, False)
    )
    result = overlay(
        [(row.effect_period, row.data) for row in base],
        [
            (Period(version["VirkningFraDatoTid"], version.get("VirkningTilDatoTid")), to_json(kind.fields, version))
            for version in submitted
        ],
    )
    found += [
        _at(rules.finding(5005, kind.name, "VirkningFraDatoTid"), period.start)
        for period, _ in result.overwritten
        if period.start > now
    ]
    if checked:
        found += _check_timeline(kind, entity, session, result.timeline, register)
        if kind.check_entity is not None:
            found += kind.check_entity(session, entity, register, now)
    found = _about(kind, entity, found)
    if rules.errors_in(found) or not save:
        return found
    versions = [
        {"effective_from": period.start, "effective_to": period.end, "data": data} for period, data in result.timeline
    ]
    replace_versions(session, kind.version_model, (entity.id, draft), versions, now)
    if not draft:
        deregister(session, kind.version_model, (entity.id, True), now)
    return found


def _at(item: Finding, effective_from: datetime | None) -> Finding:
    return Finding(item.number, item.text, item.entity, item.field, item.reference, effective_from)


def _about(kind: EntityKind, entity: Any, found: list[Finding]) -> list[Finding]:
    reference = str(entity.bbr_id if isinstance(entity, Bolig) else entity.id)
    return [Finding(item.number, item.text, item.entity, item.field, reference, item.effective_from) for item in found]


def _check_submitted_periods(kind: EntityKind, submitted: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """5004 and 5002 on the submitted versions, and 5001 when they overlap each other: a timeline cannot hold
    them, so these hold for drafts too."""
    found = []
    periods = []
    for version in submitted:
        start, end = version.get("VirkningFraDatoTid"), version.get("VirkningTilDatoTid")
        if start is None:
            found.append(rules.finding(5004, kind.name, "VirkningFraDatoTid"))
            continue
        if end is not None and end <= start:
            found.append(_at(rules.finding(5002, kind.name, "VirkningTilDatoTid"), start))
            continue
        periods.append(Period(start, end))
    for problem in check_timeline(periods):
        if problem.code is ProblemCode.OVERLAP:
            found.append(_at(rules.finding(5001, kind.name, "VirkningFraDatoTid"), problem.periods[1].start))
    return found


def _check_timeline(
    kind: EntityKind,
    entity: Any,
    session: Session,
    timeline: Sequence[tuple[Period, dict[str, Any]]],
    register: RegisterRules,
) -> list[Finding]:
    """5001 and 5003 on the resulting timeline (drafts included) and the field rules of every version in it."""
    found = [
        _at(rules.finding(5001, kind.name, "VirkningFraDatoTid"), problem.periods[1].start)
        for problem in check_timeline([period for period, _ in timeline])
        if problem.code is ProblemCode.GAP
    ]
    minimum = register.earliest_effect.astimezone(DANISH_TIME).strftime("%d-%m-%Y")
    found += [
        _at(rules.finding(5003, kind.name, "VirkningFraDatoTid", minimum=minimum), period.start)
        for period, _ in timeline
        if period.start < register.earliest_effect
    ]
    for period, data in timeline:
        version = from_json(kind.fields, data)
        found += [_at(item, period.start) for item in kind.check_version(session, entity, version)]
    return found


# --- Handlers ---------------------------------------------------------------------------------------------------

_PARENTS = {
    "BoligorganisationIdentifikationStruktur": find_organisation,
    "AfdelingIdentifikationStruktur": find_afdeling,
    "ByggeafsnitIdentifikationStruktur": find_byggeafsnit,
}


def _handlers(kind: EntityKind) -> dict[str, Handler]:
    """The nine methods of one bitemporal kind (§2.1.8.1, §2.x.2, §2.1.8.2, §2.1.8.3)."""
    name, editions = kind.name, f"{kind.name}Struktur"

    def entity(call: Call, structure: dict[str, Any] | None = None) -> Any:
        source = structure if structure is not None else call.input
        return kind.find(call.session, call.caller, source[f"{name}IdentifikationStruktur"])

    def list_entities(call: Call) -> dict[str, Any]:
        parent = None
        for element, find in _PARENTS.items():
            if element in call.input:
                parent = find(call.session, call.caller, call.input[element])
        found = children(call.session, kind, call.caller, parent)
        return {editions: list_in_effect(call.session, kind, found, call.now)}

    def write(save: bool) -> Handler:
        def handle(call: Call) -> dict[str, Any]:
            structure = call.input[editions]
            found = entity(call, structure)
            findings = ret(call.session, kind, found, structure, now=call.now, register=call.register, save=save)
            return method_output(findings, call.operation)

        return handle

    return {
        f"{name}Hent": lambda call: {editions: hent(call.session, kind, entity(call))},
        f"{name}HentSpecifik": lambda call: {
            editions: hent_specifik(call.session, kind, entity(call), call.input["VirkningsdatoDatoTid"])
        },
        f"{name}HentHistorisk": lambda call: {
            editions: hent_historisk(call.session, kind, entity(call), call.input["RegistreringstidDatoTid"])
        },
        f"{name}HentHistoriskSpecifik": lambda call: {
            editions: hent_historisk_specifik(
                call.session,
                kind,
                entity(call),
                call.input["RegistreringstidDatoTid"],
                call.input["VirkningsdatoDatoTid"],
            )
        },
        f"{name}HentVirkningsperioder": lambda call: {
            "VirkningsperiodeStruktur": hent_virkningsperioder(call.session, kind, entity(call))
        },
        f"{name}HentVirkningsperioderHistorisk": lambda call: {
            "VirkningsperiodeStruktur": hent_virkningsperioder(
                call.session, kind, entity(call), call.input["RegistreringstidDatoTid"]
            )
        },
        f"{name}List": list_entities,
        f"{name}Ret": write(save=True),
        f"{name}Valider": write(save=False),
    }


HANDLERS: dict[str, Handler] = {name: handler for kind in KINDS.values() for name, handler in _handlers(kind).items()}
