"""Enhed / unit administration (huslejeregister.md §4.12): a unit is a BBR unit of Stamdata (a ``Bolig`` row, keyed
by its BuildingUnitUniversalIdentifier), with a status in the register: 0 Ny, 1 Aktiv, 2 Elimineret.

The status history is bitemporal (``EnhedVersion``, the submitted edition only): every change lays a version
"from VirkningFra on" over the timeline, so a future-dated activation or elimination takes effect at its time and
replaces any change planned after it (info 5005). A unit without status versions is Ny since it was created
(``Bolig.oprettet``, or the register's earliest effect time for units imported before that was kept).

Deleting a unit (EnhedSlet, or the source of EnhedFlytBolig) ends its status timeline at the time of the call and
marks every version with ``OphoertDatoTid``: EnhedHent still shows it, EnhedList no longer lists it and no method
changes it any more. Each change is an event of the organisation's feed (EnhedHaendelser). Every method requires
the organisation's ``IndstillingEnhedsadministrationAktivIndikator``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from bodata.core.temporal import Period, current_versions, deregister, overlay, replace_versions
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import rules
from bodata.huslejeregister.bitemporal import address_order
from bodata.huslejeregister.calls import Call, Handler, Refused, RegisterRules, method_output, not_found
from bodata.huslejeregister.models import (
    Afdeling,
    Bilag,
    Bolig,
    Boligorganisation,
    Boligudgift,
    BoligVersion,
    Byggeafsnit,
    ByggeafsnitEjendom,
    EnhedHaendelse,
    EnhedVersion,
    Lejekontrakt,
)
from bodata.huslejeregister.organisations import (
    byggeafsnit_identification,
    find_byggeafsnit,
    find_organisation,
    indstilling,
)
from bodata.huslejeregister.rules import Finding

ENTITY = "Enhed"
NEW, ACTIVE, ELIMINATED = 0, 1, 2
STATUS_NAMES = {NEW: "Ny", ACTIVE: "Aktiv", ELIMINATED: "Elimineret"}
ELIMINATION_REASONS = frozenset({*range(1, 16), 99})
"""EnhedElimineringAarsagKode: 1 Fælleshus … 15 Systemelimineringer, 99 Øvrige elimineringer."""
STATUS_CHANGED, DELETED, DWELLING_MOVED, DWELLINGS_SWAPPED, SECTION_MOVED = 1, 2, 3, 4, 5
"""EnhedHaendelseTypeKode."""
EVENT_PAGE = 1000
"""EnhedHaendelser answers at most this many events; a client asks again from the last number it got."""
NO_TENANT = 10
"""AnvisningstypeKode 10 Ingen lejer."""

STATUS = "EnhedStatusKode"
REASON = "EnhedElimineringAarsagKode"
CEASED = "OphoertDatoTid"

TEXTS: dict[int, str] = {
    3101: "AlmenboligenhedVersion.Status skal have værdien 0, 1 eller 2",
    3102: "Hvis AlmenboligenhedVersion.Status er 2 (elimineret) så skal der angives en elimineringsårsag/kommentar",
    3103: "Hvis AlmenboligenhedVersion.Status er 0 (ny) eller 1 (aktiv) så må der ikke angives en "
    "elimineringsårsag/kommentar",
    3104: "Der kan kun flyttes oplysninger fra en Aktiv til en Ny, eller fra en Aktiv til en Elimineret almen "
    "boligenhed",
    3105: "Der kan kun byttes oplysninger mellem to Aktive almene boligenheder",
    3106: "Den almene boligenhed kan ikke flyttes til byggeafsnittet da det ikke er tilføjet byggeafsnittet i stamdata",
    3107: "Den aktuelle lejekontrakt er ikke tomgangsledig eller har anvisningstype 10: Ingen Lejer",
    3108: "Den enhed der flyttes fra er nyindberettet i Huslejeregisteret. Derfor kan der ikke flyttes oplysninger "
    "fra denne til en anden enhed.",
}


def finding(number: int, unit: Bolig, field_name: str | None = None, effective_from: datetime | None = None) -> Finding:
    return Finding(number, TEXTS[number], ENTITY, field_name, str(unit.bbr_id), effective_from)


def check_status(data: Mapping[str, Any]) -> list[Finding]:
    """3101-3103 on one status version's data (the findings carry no unit; :func:`_about` adds it)."""
    status, reason = data.get(STATUS), data.get(REASON)
    if status not in STATUS_NAMES:
        return [rules.finding(3101, ENTITY, STATUS, texts=TEXTS)]
    if status == ELIMINATED and reason not in ELIMINATION_REASONS:
        return [rules.finding(3102, ENTITY, REASON, texts=TEXTS)]
    if status != ELIMINATED and reason is not None:
        return [rules.finding(3103, ENTITY, REASON, texts=TEXTS)]
    return []


def _about(unit: Bolig, found: Sequence[Finding], effective_from: datetime | None = None) -> list[Finding]:
    return [
        Finding(item.number, item.text, item.entity, item.field, str(unit.bbr_id), effective_from) for item in found
    ]


# --- Finding units and the gate ---------------------------------------------------------------------------------


def find_unit(call: Call, element: str = "EnhedIdentifikationStruktur") -> Bolig:
    """The unit the input's ``element`` names, if it is one of the caller's organisations' and the organisation
    administers units (the gate)."""
    ident = call.input[element]["BuildingUnitUniversalIdentifier"]
    unit = call.session.scalar(select(Bolig).where(Bolig.bbr_id == ident))
    if unit is None or organisation_of(unit) not in call.caller.organisation_ids:
        raise not_found(f"Enhed {ident}")
    require_unit_administration(call.session, call.session.get(Boligorganisation, organisation_of(unit)), call.now)
    return unit


def organisation_of(unit: Bolig) -> uuid.UUID:
    return unit.byggeafsnit.afdeling.boligorganisation_id


def require_unit_administration(session: Session, organisation: Boligorganisation, now: datetime) -> None:
    """The gate: every Enhed method needs IndstillingEnhedsadministrationAktivIndikator (on by default)."""
    if not indstilling(session, organisation, now).enhedsadministration_aktiv:
        raise Refused(
            f"Enhedsadministration er ikke aktiv for boligorganisation {organisation.nummer} "
            "(IndstillingEnhedsadministrationAktivIndikator er false)"
        )


# --- The status timeline ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusVersion:
    period: Period
    data: dict[str, Any]
    registered_from: datetime
    registered_to: datetime | None = None

    @property
    def status(self) -> int:
        return self.data[STATUS]

    @property
    def ceased(self) -> datetime | None:
        raw = self.data.get(CEASED)
        return datetime.fromisoformat(raw) if raw else None


def _origin(unit: Bolig, register: RegisterRules, now: datetime) -> datetime:
    """Since when a unit without status versions is Ny: its creation, never after ``now``."""
    return min(unit.oprettet or register.earliest_effect, now)


def _timeline(unit: Bolig, rows: Sequence[EnhedVersion], register: RegisterRules, now: datetime) -> list[StatusVersion]:
    if rows:
        return [StatusVersion(row.effect_period, dict(row.data), row.registered_from) for row in rows]
    origin = _origin(unit, register, now)
    return [StatusVersion(Period(origin), {STATUS: NEW}, origin)]


def status_timeline(session: Session, unit: Bolig, register: RegisterRules, now: datetime) -> list[StatusVersion]:
    """The unit's current status versions by effect start (one synthetic Ny version when none are stored)."""
    return _timeline(unit, current_versions(session, EnhedVersion, (unit.id, False)), register, now)


def in_effect(timeline: Sequence[StatusVersion], at: datetime) -> StatusVersion | None:
    return next((version for version in timeline if version.period.contains(at)), None)


def is_ceased(timeline: Sequence[StatusVersion]) -> bool:
    return any(version.ceased is not None for version in timeline)


def _status_at(unit: Bolig, timeline: Sequence[StatusVersion], at: datetime) -> int:
    """The status in force at ``at``; a deleted unit is a Fault (nothing may change it)."""
    if is_ceased(timeline):
        raise Refused(f"Enhed {unit.bbr_id} er slettet i Huslejeregisteret og kan ikke ændres")
    version = in_effect(timeline, at)
    return version.status if version is not None else NEW  # before its first version the unit was new


def _shown(moment: datetime) -> str:
    return moment.astimezone(DANISH_TIME).strftime("%d-%m-%Y %H:%M")


def _status_text(status: int) -> str:
    return f"{status} ({STATUS_NAMES[status]})"


def _store(session: Session, unit: Bolig, timeline: Sequence[tuple[Period, dict[str, Any]]], now: datetime) -> None:
    replace_versions(
        session,
        EnhedVersion,
        (unit.id, False),
        [{"effective_from": period.start, "effective_to": period.end, "data": data} for period, data in timeline],
        now,
    )


def set_status(
    session: Session,
    unit: Bolig,
    timeline: Sequence[StatusVersion],
    start: datetime,
    data: dict[str, Any],
    now: datetime,
) -> list[Finding]:
    """Lay ``data`` over the timeline from ``start`` on; info 5005 for each planned (future) change replaced."""
    result = overlay([(version.period, version.data) for version in timeline], [(Period(start), data)])
    _store(session, unit, result.timeline, now)
    return [finding_5005(unit, period.start) for period, _ in result.overwritten if period.start > now]


def finding_5005(unit: Bolig, effective_from: datetime) -> Finding:
    item = rules.finding(5005, ENTITY, "VirkningFraDatoTid")
    return Finding(item.number, item.text, ENTITY, item.field, str(unit.bbr_id), effective_from)


def cease(session: Session, unit: Bolig, timeline: Sequence[StatusVersion], now: datetime) -> None:
    """End the status timeline at ``now``: planned changes are dropped, every version gets OphoertDatoTid."""
    stamp = now.isoformat()
    kept = [
        (Period(version.period.start, now if version.period.contains(now) else version.period.end), version.data)
        for version in timeline
        if version.period.start < now
    ]
    if not kept:
        raise Refused(f"Enhed {unit.bbr_id} kan ikke slettes før den er oprettet")
    _store(session, unit, [(period, {**data, CEASED: stamp}) for period, data in kept], now)


def add_event(session: Session, unit: Bolig, kind: int, now: datetime, target: Bolig | None = None) -> None:
    session.add(
        EnhedHaendelse(
            boligorganisation_id=organisation_of(unit),
            typekode=kind,
            enhed=unit.bbr_id,
            til_enhed=target.bbr_id if target is not None else None,
            tidspunkt=now,
        )
    )
    session.flush()


# --- Leases, data and property numbers --------------------------------------------------------------------------


def _today(now: datetime) -> date:
    return now.astimezone(DANISH_TIME).date()


def _lease_filter(statement: Select[Any], on: date) -> Select[Any]:
    return statement.where(
        ~Lejekontrakt.kladde,
        Lejekontrakt.start_dato <= on,
        or_(Lejekontrakt.slut_dato.is_(None), Lejekontrakt.slut_dato >= on),
    )


def current_lease(session: Session, unit: Bolig, on: date) -> Lejekontrakt | None:
    """The submitted lease running on ``on`` (the newest, should periods touch)."""
    statement = _lease_filter(select(Lejekontrakt).where(Lejekontrakt.bolig_id == unit.id), on)
    return session.scalars(statement.order_by(Lejekontrakt.start_dato.desc())).first()


def occupied(lease: Lejekontrakt | None) -> bool:
    """3107: a running lease that is neither a vacancy lease nor of AnvisningstypeKode 10 (Ingen lejer)."""
    if lease is None:
        return False
    return (
        not lease.data.get("LejekontraktTomgangsledigIndikator") and lease.data.get("AnvisningstypeKode") != NO_TENANT
    )


def has_submitted_version(session: Session, unit: Bolig) -> bool:
    return bool(current_versions(session, BoligVersion, (unit.id, False)))


# --- Reading: EnhedHent and EnhedList ---------------------------------------------------------------------------


@dataclass
class _Facts:
    """What the version output needs beyond the unit itself, read in bulk for a set of units."""

    leases: dict[uuid.UUID, Lejekontrakt] = field(default_factory=dict)
    with_versions: set[uuid.UUID] = field(default_factory=set)
    section_numbers: dict[uuid.UUID, set[str]] = field(default_factory=dict)
    status_rows: dict[uuid.UUID, list[EnhedVersion]] = field(default_factory=dict)


def _facts(session: Session, units: Select[Any], sections: Select[Any], today: date) -> _Facts:
    """``units``/``sections`` select the ids of the units and of their building sections."""
    facts = _Facts()
    leases = _lease_filter(select(Lejekontrakt).where(Lejekontrakt.bolig_id.in_(units)), today)
    for lease in session.scalars(leases.order_by(Lejekontrakt.start_dato)):
        facts.leases[lease.bolig_id] = lease  # the newest wins
    facts.with_versions = set(
        session.scalars(
            select(BoligVersion.entity_id).where(
                BoligVersion.entity_id.in_(units), BoligVersion.registered_to.is_(None)
            )
        )
    )
    numbers = select(ByggeafsnitEjendom).where(ByggeafsnitEjendom.byggeafsnit_id.in_(sections))
    for row in session.scalars(numbers):
        facts.section_numbers.setdefault(row.byggeafsnit_id, set()).add(row.ejendomsnummer)
    statuses = select(EnhedVersion).where(
        EnhedVersion.entity_id.in_(units), ~EnhedVersion.kladde, EnhedVersion.registered_to.is_(None)
    )
    for row in session.scalars(statuses.order_by(EnhedVersion.effective_from)):
        facts.status_rows.setdefault(row.entity_id, []).append(row)
    return facts


def _version_output(unit: Bolig, version: StatusVersion, facts: _Facts) -> dict[str, Any]:
    lease = facts.leases.get(unit.id)
    numbers = facts.section_numbers.get(unit.byggeafsnit_id, set())
    return {
        "VirkningFraDatoTid": version.period.start,
        "VirkningTilDatoTid": version.period.end,
        "RegistreringFraDatoTid": version.registered_from,
        "RegistreringTilDatoTid": version.registered_to,
        "ByggeafsnitIdentifikationStruktur": byggeafsnit_identification(unit.byggeafsnit),
        "Streetcode": unit.vejkode,
        "Streetname": unit.vejnavn,
        "StreetBuildingIdentifier": unit.husnummer,
        "SuiteIdentifier": unit.doer,
        "FloorIdentifier": unit.etage,
        "PostCodeIdentifier": unit.postnummer,
        "EnhedStatusKode": version.status,
        "OprettetDatoTid": unit.oprettet,
        "EnhedSlettetIBBRDatoTid": unit.slettet_i_bbr,
        "OphoertDatoTid": version.ceased,
        "LejekontraktIdentifikator": lease.data.get("LejekontraktIdentifikator") if lease is not None else None,
        "LejekontraktTomgangsledigIdentifikator": (
            bool(lease.data.get("LejekontraktTomgangsledigIndikator")) if lease is not None else None
        ),
        "MunicipalityCode": unit.kommunekode,
        "MunicipalRealPropertyIdentifier": unit.ejendomsnummer,
        "EnhedEjendomsnummerDifferenceIndikator": (
            unit.ejendomsnummer not in numbers if unit.ejendomsnummer is not None else None
        ),
        "EnhedAnvendelseKode": unit.anvendelseskode,
        "EnhedHarVersionerIndikator": unit.id in facts.with_versions,
        "EnhedElimineringAarsagKode": version.data.get(REASON),
    }


def _structure(unit: Bolig, versions: Sequence[StatusVersion], facts: _Facts) -> dict[str, Any]:
    return {
        "EnhedIdentifikationStruktur": {"BuildingUnitUniversalIdentifier": unit.bbr_id},
        "EnhedVersionStruktur": [_version_output(unit, version, facts) for version in versions],
    }


def hent(session: Session, unit: Bolig, register: RegisterRules, now: datetime) -> dict[str, Any]:
    """EnhedStruktur with every current status version."""
    facts = _facts(
        session,
        select(Bolig.id).where(Bolig.id == unit.id),
        select(Bolig.byggeafsnit_id).where(Bolig.id == unit.id),
        _today(now),
    )
    return _structure(unit, _timeline(unit, facts.status_rows.get(unit.id, []), register, now), facts)


def list_units(
    session: Session, organisation: Boligorganisation, status: int | None, register: RegisterRules, now: datetime
) -> list[dict[str, Any]]:
    """The organisation's units with the status version in force now (filtered by ``status``), deleted units
    left out; by department, building section and address."""
    sections = (
        select(Byggeafsnit.id)
        .join(Afdeling, Byggeafsnit.afdeling_id == Afdeling.id)
        .where(Afdeling.boligorganisation_id == organisation.id)
    )
    units = select(Bolig.id).where(Bolig.byggeafsnit_id.in_(sections))
    facts = _facts(session, units, sections, _today(now))
    found = []
    for unit in session.scalars(select(Bolig).where(Bolig.id.in_(units))):
        timeline = _timeline(unit, facts.status_rows.get(unit.id, []), register, now)
        if is_ceased(timeline):
            continue
        version = in_effect(timeline, now)
        if status is not None and (version is None or version.status != status):
            continue
        found.append((unit, version))
    found.sort(
        key=lambda item: (item[0].byggeafsnit.afdeling.nummer, item[0].byggeafsnit.nummer, address_order(item[0]))
    )
    return [_structure(unit, [version] if version is not None else [], facts) for unit, version in found]


def events(session: Session, organisation: Boligorganisation, after: int) -> list[dict[str, Any]]:
    """The organisation's events numbered after ``after``, ascending, at most :data:`EVENT_PAGE`."""
    statement = (
        select(EnhedHaendelse)
        .where(EnhedHaendelse.boligorganisation_id == organisation.id, EnhedHaendelse.nummer > after)
        .order_by(EnhedHaendelse.nummer)
        .limit(EVENT_PAGE)
    )
    return [
        {
            "EnhedHaendelseDatoTid": event.tidspunkt,
            "EnhedHaendelseTypeKode": event.typekode,
            "EnhedHaendelseNummer": event.nummer,
            "EnhedIdentifikationStruktur": {"BuildingUnitUniversalIdentifier": event.enhed},
            "EnhedTilIdentifikationStruktur": (
                {"BuildingUnitUniversalIdentifier": event.til_enhed} if event.til_enhed is not None else None
            ),
        }
        for event in session.scalars(statement)
    ]


# --- Changing the status: Aktiver, Eliminer, Genaktiver, Slet ----------------------------------------------------


def _start(call: Call, unit: Bolig) -> tuple[datetime, list[Finding]]:
    """VirkningFraDatoTid (default: now) and 5003 when it is before the register's earliest effect time."""
    start = call.input.get("VirkningFraDatoTid") or call.now
    if start < call.register.earliest_effect:
        minimum = call.register.earliest_effect.astimezone(DANISH_TIME).strftime("%d-%m-%Y")
        item = rules.finding(5003, ENTITY, "VirkningFraDatoTid", minimum=minimum)
        return start, _about(unit, [item], start)
    return start, []


def aktiver(call: Call) -> dict[str, Any]:
    """0 Ny → 1 Aktiv from VirkningFraDatoTid (now, or a time in the past or the future). Only Ny moves (§2.13):
    an elimination from that time on, in force or planned, is Genaktiver's to end, so it refuses the call."""
    unit = find_unit(call)
    start, found = _start(call, unit)
    if found:
        return method_output(found, call.operation)
    timeline = status_timeline(call.session, unit, call.register, call.now)
    status = _status_at(unit, timeline, start)
    eliminated = next(
        (version for version in timeline if version.status == ELIMINATED and version.period.overlaps(Period(start))),
        None,
    )
    if status != NEW or eliminated is not None:
        at = start if eliminated is None else max(start, eliminated.period.start)
        raise Refused(
            f"Enhed {unit.bbr_id} kan kun aktiveres fra status 0 (Ny); dens status på {_shown(at)} er "
            f"{_status_text(status if eliminated is None else ELIMINATED)}"
        )
    found = set_status(call.session, unit, timeline, start, {STATUS: ACTIVE}, call.now)
    add_event(call.session, unit, STATUS_CHANGED, call.now)
    return method_output(found, call.operation)


def eliminer(call: Call) -> dict[str, Any]:
    """0 Ny or 1 Aktiv → 2 Elimineret with a reason (3102), from VirkningFraDatoTid; not while a tenant's lease
    runs then (3107)."""
    unit = find_unit(call)
    start, found = _start(call, unit)
    data = {STATUS: ELIMINATED, REASON: call.input.get(REASON)}
    found += _about(unit, check_status(data), start)
    timeline = status_timeline(call.session, unit, call.register, call.now)
    status = _status_at(unit, timeline, start)
    if status == ELIMINATED:
        raise Refused(f"Enhed {unit.bbr_id} er allerede elimineret på {_shown(start)}")
    if occupied(current_lease(call.session, unit, _today(start))):
        found.append(finding(3107, unit, "LejekontraktIdentifikator", start))
    if rules.errors_in(found):
        return method_output(found, call.operation)
    found += set_status(call.session, unit, timeline, start, data, call.now)
    add_event(call.session, unit, STATUS_CHANGED, call.now)
    return method_output(found, call.operation)


def genaktiver(call: Call) -> dict[str, Any]:
    """2 Elimineret → 1 Aktiv from now."""
    unit = find_unit(call)
    timeline = status_timeline(call.session, unit, call.register, call.now)
    status = _status_at(unit, timeline, call.now)
    if status != ELIMINATED:
        raise Refused(
            f"Enhed {unit.bbr_id} kan kun genaktiveres fra status 2 (Elimineret); dens status er {_status_text(status)}"
        )
    found = set_status(call.session, unit, timeline, call.now, {STATUS: ACTIVE}, call.now)
    add_event(call.session, unit, STATUS_CHANGED, call.now)
    return method_output(found, call.operation)


def slet(call: Call) -> dict[str, Any]:
    """Delete a unit that BBR has deleted: its status ends now (OphoertDatoTid), its history stays."""
    unit = find_unit(call)
    timeline = status_timeline(call.session, unit, call.register, call.now)
    _status_at(unit, timeline, call.now)
    if unit.slettet_i_bbr is None or unit.slettet_i_bbr > call.now:
        raise Refused(f"Enhed {unit.bbr_id} er ikke slettet i BBR og kan derfor ikke slettes i Huslejeregisteret")
    if occupied(current_lease(call.session, unit, _today(call.now))):
        return method_output([finding(3107, unit, "LejekontraktIdentifikator")], call.operation)
    cease(call.session, unit, timeline, call.now)
    add_event(call.session, unit, DELETED, call.now)
    return method_output([], call.operation)


# --- Two units: BytBolig, FlytBolig; FlytByggeafsnit ------------------------------------------------------------


def _pair(call: Call) -> tuple[Bolig, Bolig, list[StatusVersion], list[StatusVersion]]:
    source, target = find_unit(call), find_unit(call, "EnhedTilIdentifikationStruktur")
    if source.id == target.id:
        raise Refused(f"EnhedIdentifikationStruktur og EnhedTilIdentifikationStruktur er samme enhed {source.bbr_id}")
    if organisation_of(source) != organisation_of(target):
        raise Refused("De to enheder skal tilhøre samme boligorganisation")
    return (
        source,
        target,
        status_timeline(call.session, source, call.register, call.now),
        status_timeline(call.session, target, call.register, call.now),
    )


def _bolig_versions(session: Session, unit: Bolig) -> dict[bool, list[dict[str, Any]]]:
    """The unit's current Bolig versions of both editions, as replace_versions takes them."""
    return {
        draft: [
            {"effective_from": row.effective_from, "effective_to": row.effective_to, "data": dict(row.data)}
            for row in current_versions(session, BoligVersion, (unit.id, draft))
        ]
        for draft in (False, True)
    }


def _write_bolig_versions(
    session: Session, unit: Bolig, versions: dict[bool, list[dict[str, Any]]], now: datetime
) -> None:
    for draft, rows in versions.items():
        if rows:
            replace_versions(session, BoligVersion, (unit.id, draft), rows, now)
        else:
            deregister(session, BoligVersion, (unit.id, draft), now)


def _records(session: Session, unit: Bolig) -> list[Any]:
    return [
        *session.scalars(select(Boligudgift).where(Boligudgift.bolig_id == unit.id)),
        *session.scalars(select(Lejekontrakt).where(Lejekontrakt.bolig_id == unit.id)),
    ]


def _attachments(session: Session, unit: Bolig) -> list[Bilag]:
    return list(session.scalars(select(Bilag).where(Bilag.bolig_id == unit.id).order_by(Bilag.nummer)))


def byt_bolig(call: Call) -> dict[str, Any]:
    """Swap the reported data of two active units: Bolig versions (both editions), expenses, leases, attachments."""
    first, second, first_timeline, second_timeline = _pair(call)
    statuses = (_status_at(first, first_timeline, call.now), _status_at(second, second_timeline, call.now))
    if statuses != (ACTIVE, ACTIVE):
        return method_output([finding(3105, first, "EnhedStatusKode")], call.operation)
    session = call.session
    first_versions, second_versions = _bolig_versions(session, first), _bolig_versions(session, second)
    first_rows = [*_records(session, first), *_attachments(session, first)]
    second_rows = [*_records(session, second), *_attachments(session, second)]
    _write_bolig_versions(session, first, second_versions, call.now)
    _write_bolig_versions(session, second, first_versions, call.now)
    for row in first_rows:
        row.bolig_id = second.id
    for row in second_rows:
        row.bolig_id = first.id
    session.flush()
    add_event(session, first, DWELLINGS_SWAPPED, call.now, second)
    return method_output([], call.operation)


def flyt_bolig(call: Call) -> dict[str, Any]:
    """Move the reported data of an active unit to a new or eliminated one, which becomes active; the source is
    deleted in the register."""
    source, target, source_timeline, target_timeline = _pair(call)
    session = call.session
    found = []
    source_status = _status_at(source, source_timeline, call.now)
    target_status = _status_at(target, target_timeline, call.now)
    if source_status != ACTIVE or target_status not in (NEW, ELIMINATED):
        found.append(finding(3104, source, "EnhedStatusKode"))
    if source_status == ACTIVE and not has_submitted_version(session, source):
        found.append(finding(3108, source))
    if found:
        return method_output(found, call.operation)
    if _records(session, target):
        raise Refused(
            f"Enhed {target.bbr_id} har allerede boligudgifter eller lejekontrakter; oplysninger kan kun flyttes til "
            "en enhed uden"
        )
    _write_bolig_versions(session, target, _bolig_versions(session, source), call.now)
    _write_bolig_versions(session, source, {False: [], True: []}, call.now)
    for row in _records(session, source):
        row.bolig_id = target.id
    taken = max((item.nummer for item in _attachments(session, target)), default=0)
    for offset, attachment in enumerate(_attachments(session, source), start=1):
        attachment.bolig_id = target.id
        if taken:
            attachment.nummer = taken + offset
    session.flush()
    found = set_status(session, target, target_timeline, call.now, {STATUS: ACTIVE}, call.now)
    cease(session, source, source_timeline, call.now)
    add_event(session, source, DWELLING_MOVED, call.now, target)
    return method_output(found, call.operation)


def flyt_byggeafsnit(call: Call) -> dict[str, Any]:
    """Move a unit to another building section of its organisation that has the unit's property number (3106)."""
    unit = find_unit(call)
    section = find_byggeafsnit(call.session, call.caller, call.input["ByggeafsnitIdentifikationStruktur"])
    if section.afdeling.boligorganisation_id != organisation_of(unit):
        raise Refused("Enheden kan kun flyttes til et byggeafsnit i sin egen boligorganisation")
    _status_at(unit, status_timeline(call.session, unit, call.register, call.now), call.now)
    numbers = set(
        call.session.scalars(
            select(ByggeafsnitEjendom.ejendomsnummer).where(ByggeafsnitEjendom.byggeafsnit_id == section.id)
        )
    )
    if unit.ejendomsnummer is None or unit.ejendomsnummer not in numbers:
        return method_output([finding(3106, unit, "ByggeafsnitIdentifikationStruktur")], call.operation)
    if section.id != unit.byggeafsnit_id:
        unit.byggeafsnit_id = section.id
        call.session.flush()
        call.session.expire(unit, ["byggeafsnit"])
        add_event(call.session, unit, SECTION_MOVED, call.now)
    return method_output([], call.operation)


# --- Handlers ---------------------------------------------------------------------------------------------------


def _hent(call: Call) -> dict[str, Any]:
    return {"EnhedStruktur": hent(call.session, find_unit(call), call.register, call.now)}


def _organisation(call: Call) -> Boligorganisation:
    organisation = find_organisation(call.session, call.caller, call.input["BoligorganisationIdentifikationStruktur"])
    require_unit_administration(call.session, organisation, call.now)
    return organisation


def _list(call: Call) -> dict[str, Any]:
    organisation = _organisation(call)
    status = call.input.get(STATUS)
    if status is not None and status not in STATUS_NAMES:
        raise Refused(f"3101: {TEXTS[3101]}")
    return {"EnhedStruktur": list_units(call.session, organisation, status, call.register, call.now)}


def _haendelser(call: Call) -> dict[str, Any]:
    organisation = _organisation(call)
    return {"EnhedHaendelseStruktur": events(call.session, organisation, call.input["EnhedHaendelseNummer"])}


HANDLERS: dict[str, Handler] = {
    "EnhedAktiver": aktiver,
    "EnhedBytBolig": byt_bolig,
    "EnhedEliminer": eliminer,
    "EnhedFlytBolig": flyt_bolig,
    "EnhedFlytByggeafsnit": flyt_byggeafsnit,
    "EnhedGenaktiver": genaktiver,
    "EnhedHaendelser": _haendelser,
    "EnhedHent": _hent,
    "EnhedList": _list,
    "EnhedSlet": slet,
}
