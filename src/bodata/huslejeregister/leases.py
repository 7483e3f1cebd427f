"""Lejekontrakt (huslejeregister.md §4.6): the leases of a dwelling, one sequence per Bolig.

A lease is a plain record (not bitemporal) keyed by its UnikIdentifikator or the organisation's EksternReference
(§2.2) and reached through its Bolig, which decides who may see and change it. The leases of a Bolig follow each
other: LejekontraktOpret starts a new lease after every other one (2204) and ends the latest lease the day before
the new one starts (SlutDato is never reported, 2210/2211, decisions.md); LejekontraktSlet deletes only the latest
lease (2221) and opens the previous one again. Moving a StartDato (Ret) stays between the neighbours (2207/2215)
and moves the linked SlutDato of the previous lease with it.

The sequence rules (StartDato, 2203, 2204, 2206, 2207, 2210, 2211, 2215, 2220, 2221) hold for drafts too, since a
draft takes its place in the sequence; the field rules run when a lease is submitted (KladdeIndikator false) and
always in LejekontraktValider, which never saves. A malformed PersonCivilRegistrationIdentifier is a Fault, like
any other value outside the contract.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.temporal import current_versions
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import rules
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, method_output, not_found
from bodata.huslejeregister.models import Bolig, BoligVersion, Lejekontrakt
from bodata.huslejeregister.organisations import (
    bolig_identification,
    find_bolig,
    find_by_reference,
    reference_taken,
    updated_reference,
)
from bodata.huslejeregister.rules import Finding, required
from bodata.huslejeregister.structures import STRUCTURES, from_json, to_json

ENTITY = "Lejekontrakt"
UNIQUE = "LejekontraktUnikIdentifikator"
MUNICIPAL_ALLOCATION = 5
"""AnvisningstypeKode 5, Kommunal anvisning."""
ALLOCATION_TYPES = range(1, 11)

TEXTS: dict[int, str] = {
    2201: "Lejekontrakt.Indskud må ikke være mindre end 0",
    2202: "Lejekontrakt.Anvisningstype skal være 1, 2, 3, 4, 5, 6, 7, 8, 9 eller 10",
    2203: "Lejekontrakt.EksternReference findes allerede",
    2204: "Lejekontrakt.StartDato skal være større end Lejekontrakt.StartDato og Lejekontrakt.SlutDato på alle de "
    "øvrige lejekontrakter på samme bolig",
    2205: "Lejekontrakt.Nummer findes allerede inden for boligen",
    2206: "Lejekontrakt.SlutDato skal ligge efter Lejekontrakt.StartDato",
    2207: "Lejekontrakt.StartDato må ikke rettes længere tilbage end Lejekontrakt.StartDato på tidligere Lejekontrakt",
    2208: "Der skal være angivet en Lejekontrakt.Anvisningstype til en Lejekontrakt, hvis Lejekontrakt.Tomgangsledig "
    "flaget ikke er sat",
    2209: "Hvis Lejekontrakt.AnvistTidligereAeldreboliglov flaget er sat, skal Lejekontrakt.Anvisningstype være "
    "'Kommunal anvisning'",
    2210: "Lejekontrakt.SlutDato må ikke ændres",
    2211: "Lejekontrakt.SlutDato må ikke sættes ved oprettelse af en Lejekontrakt",
    2213: "Der skal knyttes en Lejer til en Lejekontrakt som ikke er tomgangsledig",
    2214: "Lejekontrakt.AnvistTidligereAeldreboliglov skal være angivet til en Lejekontrakt, hvis "
    "Lejekontrakt.Tomgangsledig flaget ikke er sat",
    2215: "Lejekontrakt.StartDato må ikke rettes længere frem end Lejekontrakt.StartDato på en senere Lejekontrakt",
    2216: "Lejekontrakt.Depositum må ikke være mindre end 0",
    2217: "Hvis Lejekontrakt.Anvisningstype er 'Kommunal anvisning', skal Lejekontrakt.AnvistTidligereAeldreboliglov "
    "flaget være sat",
    2218: "Lejekontrakt.Indskud eller Lejekontrakt.Depositum skal være angivet",
    2219: "Lejekontrakt.TomgangsledigIndikator og Lejekontrakt.LedigIndikator må ikke begge være sat",
    2220: "Den sidste lejekontrakt må ikke slettes",
    2221: "Kun den seneste lejekontrakt må slettes",
    2222: "Lejekontrakt.AfdelingsinternFraflytning flaget skal være sat, når Lejekontrakt.SlutDato bliver sat",
    2223: "StartDato ændret, skulle det have været en ny lejekontrakt?",
}

_NOT_DATA = frozenset(
    {
        "LejekontraktIdentifikationStruktur",
        "BoligIdentifikationStruktur",
        "KladdeIndikator",
        "ObjektStatusKode",
        "LejekontraktStartDato",
        "LejekontraktSlutDato",
        "OprettetDatoTid",
        "AendretDatoTid",
        "OpdateretDatoTid",
        "OphoertDatoTid",
    }
)
DATA_FIELDS = tuple(spec for spec in STRUCTURES["LejekontraktStruktur"] if spec.name not in _NOT_DATA)
"""The reported fields kept in ``Lejekontrakt.data`` (element names as keys, amounts as their XML text)."""

AELDREBOLIGLOV = "LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator"
TOMGANGSLEDIG = "LejekontraktTomgangsledigIndikator"
FRAFLYTNING = "LejekontraktAfdelingsinternFraflytning"
INDSKUD, DEPOSITUM = "LejekontraktIndskudBeloeb", "LejekontraktDepositumBeloeb"
NUMMER = "LejekontraktIdentifikator"


def _finding(number: int, field_name: str | None = None) -> Finding:
    return rules.finding(number, ENTITY, field_name, texts=TEXTS)


# --- Finding leases -------------------------------------------------------------------------------------------


def _lookup(session: Session, ident: Mapping[str, Any]) -> Lejekontrakt | None:
    """The lease an identification names (UnikIdentifikator first, §2.2), or None."""
    unique, reference = ident.get(UNIQUE), ident.get("EksternReference")
    if unique is not None:
        return session.get(Lejekontrakt, unique)
    if reference:
        return session.scalar(select(Lejekontrakt).where(Lejekontrakt.ekstern_reference == reference))
    return None


def _named(ident: Mapping[str, Any]) -> str:
    """How the client named the lease: the key that identified it (§2.2)."""
    unique = ident.get(UNIQUE)
    return str(unique if unique is not None else ident.get("EksternReference"))


def _in_scope(session: Session, caller: Caller, lease: Lejekontrakt, ident: Mapping[str, Any]) -> Bolig:
    """The lease's Bolig, if the caller administers it; otherwise the same Fault as for an unknown lease, naming
    what the client sent (never the lease's own id)."""
    bolig = session.get(Bolig, lease.bolig_id)
    if bolig is None or bolig.byggeafsnit.afdeling.boligorganisation_id not in caller.organisation_ids:
        raise not_found(f"{ENTITY} {_named(ident)}")
    return bolig


def find_lease(session: Session, caller: Caller, ident: Mapping[str, Any]) -> tuple[Lejekontrakt, Bolig]:
    """The lease and its Bolig; the not-found Fault for unknown leases and other organisations' alike."""
    lease = find_by_reference(session, Lejekontrakt, ident, ENTITY, UNIQUE)
    return lease, _in_scope(session, caller, lease, ident)


def leases_of(session: Session, bolig: Bolig) -> list[Lejekontrakt]:
    """Every lease of the Bolig (drafts included), oldest first."""
    statement = select(Lejekontrakt).where(Lejekontrakt.bolig_id == bolig.id)
    return sorted(session.scalars(statement), key=lambda lease: (lease.start_dato, lease.oprettet, str(lease.id)))


# --- Output -----------------------------------------------------------------------------------------------------


def lease_output(lease: Lejekontrakt, bolig: Bolig) -> dict[str, Any]:
    """LejekontraktStruktur: the identification, the Bolig, the edition, the period, the fields and the times."""
    fields = from_json(DATA_FIELDS, lease.data or {})
    return {
        "LejekontraktIdentifikationStruktur": {UNIQUE: lease.id, "EksternReference": lease.ekstern_reference},
        NUMMER: fields.pop(NUMMER, None),
        "BoligIdentifikationStruktur": bolig_identification(bolig),
        "KladdeIndikator": lease.kladde,
        "LejekontraktStartDato": lease.start_dato,
        "LejekontraktSlutDato": lease.slut_dato,
        **fields,
        "OprettetDatoTid": lease.oprettet,
        "AendretDatoTid": lease.aendret,
        "OpdateretDatoTid": lease.opdateret,
        "OphoertDatoTid": lease.ophoert,
    }


def list_leases(
    session: Session, bolig: Bolig, start: date | None, end: date | None, today: date
) -> list[Lejekontrakt]:
    """LejekontraktList: without an interval the current and future leases (no SlutDato, or one on or after
    today); with one, the leases whose StartDato or SlutDato lies in it, bounds included; a bound left out is
    open (decisions.md)."""
    leases = leases_of(session, bolig)
    if start is None and end is None:
        return [lease for lease in leases if lease.slut_dato is None or lease.slut_dato >= today]

    def inside(day: date | None) -> bool:
        return day is not None and (start is None or day >= start) and (end is None or day <= end)

    return [lease for lease in leases if inside(lease.start_dato) or inside(lease.slut_dato)]


# --- Checking -------------------------------------------------------------------------------------------------

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")


def valid_cpr(value: str) -> bool:
    """Ten digits, ddmmåå and four more (0000 when only the birth date is reported, §4.6); the date must exist
    in the 1900s or the 2000s (the century is in the last four digits, which 0000 does not give)."""
    match = _CPR.match(value)
    if match is None:
        return False
    day, month, year = (int(part) for part in match.groups()[:3])
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def _check_tenants(tenants: Sequence[Mapping[str, Any]]) -> None:
    """A malformed PersonCivilRegistrationIdentifier is a Fault (decisions.md); its value is not echoed."""
    for number, tenant in enumerate(tenants, start=1):
        cpr = tenant.get("PersonCivilRegistrationIdentifier")
        if cpr is not None and cpr.strip() and not valid_cpr(cpr.strip()):
            raise Refused(
                f"LejerStruktur nr. {number}: PersonCivilRegistrationIdentifier skal være 10 cifre, en gyldig "
                "fødselsdato (ddmmåå) efterfulgt af 4 cifre eller 0000"
            )


def _normalised(structure: Mapping[str, Any]) -> dict[str, Any]:
    """The reported fields of a structure as stored: blank CPR numbers left out, the lease number trimmed."""
    values = dict(structure)
    tenants = []
    for tenant in values.get("LejerStruktur") or []:
        tenant = dict(tenant)
        cpr = (tenant.get("PersonCivilRegistrationIdentifier") or "").strip()
        tenant["PersonCivilRegistrationIdentifier"] = cpr or None
        tenants.append(tenant)
    values["LejerStruktur"] = tenants or None
    number = (values.get(NUMMER) or "").strip()
    values[NUMMER] = number or None
    return to_json(DATA_FIELDS, values)


def check_fields(values: Mapping[str, Any], number_taken: bool) -> list[Finding]:
    """The field rules of Tabel 22 on a lease's reported fields (``values`` as :func:`from_json` gives them)."""
    found: list[Finding] = []
    vacant = values.get(TOMGANGSLEDIG) is True
    flag = values.get(AELDREBOLIGLOV)
    kind = values.get("AnvisningstypeKode")
    if not values.get(NUMMER):
        found.append(required(ENTITY, "Nummer", NUMMER))
    elif number_taken:
        found.append(_finding(2205, NUMMER))
    if flag is None and not vacant:
        # 1000 when the client said nothing about vacancy, 2214 when it said "not tomgangsledig" (decisions.md)
        if TOMGANGSLEDIG in values:
            found.append(_finding(2214, AELDREBOLIGLOV))
        else:
            found.append(required(ENTITY, "AnvistTidligereAeldreboliglov", AELDREBOLIGLOV))
    for tenant in values.get("LejerStruktur") or []:
        if not (tenant.get("LejerNavnTekst") or "").strip():
            found.append(required("Lejer", "Navn", "LejerNavnTekst"))
    if kind is None and not vacant:
        found.append(_finding(2208, "AnvisningstypeKode"))
    if kind is not None and kind not in ALLOCATION_TYPES:
        found.append(_finding(2202, "AnvisningstypeKode"))
    if flag is True and kind != MUNICIPAL_ALLOCATION:
        found.append(_finding(2209, "AnvisningstypeKode"))
    if kind == MUNICIPAL_ALLOCATION and flag is not True:
        found.append(_finding(2217, AELDREBOLIGLOV))
    if not values.get("LejerStruktur") and not vacant:
        found.append(_finding(2213, "LejerStruktur"))
    indskud, depositum = values.get(INDSKUD), values.get(DEPOSITUM)
    if indskud is not None and indskud < 0:
        found.append(_finding(2201, INDSKUD))
    if depositum is not None and depositum < 0:
        found.append(_finding(2216, DEPOSITUM))
    if indskud is None and depositum is None:
        found.append(_finding(2218, INDSKUD))
    if vacant and values.get("LejekontraktLedigIndikator") is True:
        found.append(_finding(2219, "LejekontraktLedigIndikator"))
    return found


@dataclass
class Plan:
    """What a checked Opret or Ret would write: the lease's new state and the SlutDato of its predecessor."""

    bolig: Bolig
    lease: Lejekontrakt | None
    reference: str | None
    draft: bool
    start: date | None
    data: dict[str, Any]
    predecessor: Lejekontrakt | None = None
    predecessor_end: date | None = None
    findings: list[Finding] = field(default_factory=list)


def _about(found: list[Finding], reference: str | None) -> list[Finding]:
    return [Finding(item.number, item.text, item.entity, item.field, reference) for item in found]


def _number_taken(others: Sequence[Lejekontrakt], data: Mapping[str, Any]) -> bool:
    number = data.get(NUMMER)
    return number is not None and any(((other.data or {}).get(NUMMER) or "").strip() == number for other in others)


def _ends_predecessor(plan: Plan) -> bool:
    """Whether the lease ends its predecessor: the previous lease ends the day before this one starts."""
    return (
        plan.predecessor is not None
        and plan.start is not None
        and plan.predecessor_end == plan.start - timedelta(days=1)
    )


def _predecessor_ends_too_soon(plan: Plan) -> list[Finding]:
    """2206 for the SlutDato the sequence gives the previous lease: it too must lie after its StartDato (an end
    before it means a StartDato not after the previous one's, which 2207 reports)."""
    end = plan.predecessor_end
    if plan.predecessor is not None and end is not None and end == plan.predecessor.start_dato:
        return [_finding(2206, "LejekontraktStartDato")]
    return []


def _field_findings(plan: Plan, others: Sequence[Lejekontrakt]) -> list[Finding]:
    values = from_json(DATA_FIELDS, plan.data)
    found = check_fields(values, _number_taken(others, plan.data))
    if _ends_predecessor(plan) and values.get(FRAFLYTNING) is None:
        found.append(_finding(2222, FRAFLYTNING))
    return found


def plan_opret(session: Session, caller: Caller, structure: Mapping[str, Any], *, validate: bool) -> Plan:
    """LejekontraktOpret (or Valider of a new lease): the new lease comes after every other lease of the Bolig
    and ends the latest one."""
    if structure.get("BoligIdentifikationStruktur") is None:
        raise Refused("BoligIdentifikationStruktur skal udfyldes ved oprettelse af en Lejekontrakt")
    bolig = find_bolig(session, caller, structure["BoligIdentifikationStruktur"])
    _check_tenants(structure.get("LejerStruktur") or [])
    ident = structure.get("LejekontraktIdentifikationStruktur") or {}
    reference = ident.get("EksternReference") or None
    start = structure.get("LejekontraktStartDato")
    plan = Plan(bolig, None, reference, structure.get("KladdeIndikator", True), start, _normalised(structure))
    others = leases_of(session, bolig)
    found = plan.findings
    if reference_taken(session, Lejekontrakt, reference, None):
        found.append(_finding(2203, "EksternReference"))
    if start is None:
        found.append(required(ENTITY, "StartDato", "LejekontraktStartDato"))
    if structure.get("LejekontraktSlutDato") is not None:
        found.append(_finding(2211, "LejekontraktSlutDato"))
    if start is not None:
        if any(start <= other.start_dato or (other.slut_dato and start <= other.slut_dato) for other in others):
            found.append(_finding(2204, "LejekontraktStartDato"))
        elif others and not plan.draft:  # a draft ends nothing until it is submitted
            latest = others[-1]
            plan.predecessor = latest
            plan.predecessor_end = latest.slut_dato or start - timedelta(days=1)
            found += _predecessor_ends_too_soon(plan)
    if validate:
        found += _field_findings(plan, others)
    plan.findings = _about(found, reference)
    return plan


def stays_draft(lease: Lejekontrakt, structure: Mapping[str, Any]) -> bool:
    """Whether a Ret leaves the lease a draft: a submitted lease stays submitted (as a Boligudgift does), since a
    single record has no separate draft edition and withdrawing it would undo 2015 behind the Bolig's back."""
    return lease.kladde and bool(structure.get("KladdeIndikator", True))


def plan_ret(
    session: Session, lease: Lejekontrakt, bolig: Bolig, structure: Mapping[str, Any], *, validate: bool
) -> Plan:
    """LejekontraktRet (or Valider of an existing lease): the fields are replaced, SlutDato stays, StartDato
    moves between the neighbours and takes the previous lease's linked SlutDato with it."""
    _check_tenants(structure.get("LejerStruktur") or [])
    ident = structure.get("LejekontraktIdentifikationStruktur") or {}
    reference = updated_reference(lease.ekstern_reference, ident.get("EksternReference"))
    start = structure.get("LejekontraktStartDato")
    draft = stays_draft(lease, structure)
    plan = Plan(bolig, lease, reference, draft, start, _normalised(structure))
    others = [other for other in leases_of(session, bolig) if other.id != lease.id]
    found = plan.findings
    if reference != lease.ekstern_reference and reference_taken(session, Lejekontrakt, reference, lease.id):
        found.append(_finding(2203, "EksternReference"))
    end = structure.get("LejekontraktSlutDato")
    if end is not None and end != lease.slut_dato:
        found.append(_finding(2210, "LejekontraktSlutDato"))
    earlier = [other for other in others if other.start_dato < lease.start_dato]
    later = [other for other in others if other.start_dato > lease.start_dato]
    if start is None:
        found.append(required(ENTITY, "StartDato", "LejekontraktStartDato"))
    else:
        if earlier and start <= earlier[-1].start_dato:
            found.append(_finding(2207, "LejekontraktStartDato"))
        if later and start >= later[0].start_dato:
            found.append(_finding(2215, "LejekontraktStartDato"))
        if lease.slut_dato is not None and lease.slut_dato <= start:
            found.append(_finding(2206, "LejekontraktSlutDato"))
        if start != lease.start_dato:
            found.append(_finding(2223, "LejekontraktStartDato"))
    if earlier:
        plan.predecessor = earlier[-1]
        plan.predecessor_end = earlier[-1].slut_dato
        if start is not None and plan.predecessor_end == lease.start_dato - timedelta(days=1):
            plan.predecessor_end = start - timedelta(days=1)
        elif start is not None and lease.kladde and not draft and plan.predecessor_end is None:
            plan.predecessor_end = start - timedelta(days=1)  # a draft being submitted ends its predecessor now
        found += _predecessor_ends_too_soon(plan)
    if validate:
        found += _field_findings(plan, others)
    plan.findings = _about(found, str(lease.id))
    return plan


def _touch(lease: Lejekontrakt, changed: bool, now: datetime) -> None:
    if changed:
        lease.aendret = now
    lease.opdateret = now


def _end(predecessor: Lejekontrakt, end: date | None, now: datetime) -> None:
    """Set (or clear) the SlutDato of a lease as the sequence demands; OphoertDatoTid follows it."""
    if predecessor.slut_dato == end:
        return
    predecessor.slut_dato = end
    predecessor.ophoert = now if end is not None else None
    _touch(predecessor, True, now)


def save(session: Session, plan: Plan, now: datetime) -> Lejekontrakt:
    """Write a plan without errors: the lease and its predecessor's SlutDato."""
    lease = plan.lease
    if lease is None:
        lease = Lejekontrakt(
            id=uuid.uuid4(), bolig_id=plan.bolig.id, oprettet=now, aendret=now, opdateret=now, slut_dato=None
        )
        session.add(lease)
        changed = True
    else:
        before = (lease.ekstern_reference, lease.kladde, lease.start_dato, lease.data)
        changed = before != (plan.reference, plan.draft, plan.start, plan.data)
    lease.ekstern_reference = plan.reference
    lease.kladde = plan.draft
    lease.start_dato = plan.start
    lease.data = plan.data
    _touch(lease, changed, now)
    if plan.predecessor is not None:
        _end(plan.predecessor, plan.predecessor_end, now)
    session.flush()
    return lease


# --- Slet -------------------------------------------------------------------------------------------------------


def submitted(session: Session, bolig: Bolig) -> bool:
    """Whether the Bolig has been submitted: it has a current non-draft version."""
    return bool(current_versions(session, BoligVersion, (bolig.id, False)))


def slet(session: Session, lease: Lejekontrakt, bolig: Bolig, now: datetime) -> list[Finding]:
    """LejekontraktSlet: only the latest lease (2221), never the only lease of a submitted Bolig (2220); the
    previous lease's SlutDato is cleared, so it applies again."""
    others = [other for other in leases_of(session, bolig) if other.id != lease.id]
    found = []
    if any(other.start_dato >= lease.start_dato for other in others):
        found.append(_finding(2221, UNIQUE))
    elif not others and submitted(session, bolig):
        found.append(_finding(2220, UNIQUE))
    if found:
        return _about(found, str(lease.id))
    if others:
        _end(others[-1], None, now)
    session.delete(lease)
    session.flush()
    return []


# --- Handlers ---------------------------------------------------------------------------------------------------


def _today(call: Call) -> date:
    return call.now.astimezone(DANISH_TIME).date()


def _hent(call: Call) -> dict[str, Any]:
    lease, bolig = find_lease(call.session, call.caller, call.input["LejekontraktIdentifikationStruktur"])
    return {"LejekontraktStruktur": lease_output(lease, bolig)}


def _list(call: Call) -> dict[str, Any]:
    bolig = find_bolig(call.session, call.caller, call.input["BoligIdentifikationStruktur"])
    start, end = call.input.get("LejekontraktStartDato"), call.input.get("LejekontraktSlutDato")
    leases = list_leases(call.session, bolig, start, end, _today(call))
    return {"LejekontraktStruktur": [lease_output(lease, bolig) for lease in leases]}


def _opret(call: Call) -> dict[str, Any]:
    structure = call.input["LejekontraktStruktur"]
    draft = structure.get("KladdeIndikator", True)
    plan = plan_opret(call.session, call.caller, structure, validate=not draft)
    if rules.errors_in(plan.findings):
        return method_output(plan.findings, call.operation, created=uuid.uuid4())
    lease = save(call.session, plan, call.now)
    return method_output(plan.findings, call.operation, created=lease.id)


def _ret(call: Call) -> dict[str, Any]:
    structure = call.input["LejekontraktStruktur"]
    ident = structure.get("LejekontraktIdentifikationStruktur")
    if ident is None:
        raise Refused("LejekontraktIdentifikationStruktur skal udfyldes")
    lease, bolig = find_lease(call.session, call.caller, ident)
    plan = plan_ret(call.session, lease, bolig, structure, validate=not stays_draft(lease, structure))
    if not rules.errors_in(plan.findings):
        save(call.session, plan, call.now)
    return method_output(plan.findings, call.operation)


def _slet(call: Call) -> dict[str, Any]:
    lease, bolig = find_lease(call.session, call.caller, call.input["LejekontraktIdentifikationStruktur"])
    return method_output(slet(call.session, lease, bolig, call.now), call.operation)


def _valider(call: Call) -> dict[str, Any]:
    """As Opret when the identification names no lease, otherwise as Ret (§9 D30); checks fully, never saves."""
    structure = call.input["LejekontraktStruktur"]
    lease = _lookup(call.session, structure.get("LejekontraktIdentifikationStruktur") or {})
    bolig = None
    if lease is not None:
        owner = call.session.get(Bolig, lease.bolig_id)
        if owner.byggeafsnit.afdeling.boligorganisation_id in call.caller.organisation_ids:
            bolig = owner
    if bolig is None:  # unknown, or another organisation's: validated as a new lease, revealing nothing
        plan = plan_opret(call.session, call.caller, structure, validate=True)
    else:
        plan = plan_ret(call.session, lease, bolig, structure, validate=True)
    return method_output(plan.findings, call.operation)


HANDLERS: dict[str, Handler] = {
    "LejekontraktHent": _hent,
    "LejekontraktList": _list,
    "LejekontraktOpret": _opret,
    "LejekontraktRet": _ret,
    "LejekontraktSlet": _slet,
    "LejekontraktValider": _valider,
}
