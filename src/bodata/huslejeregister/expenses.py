"""Boligudgift (huslejeregister.md §4.5): a dwelling's monthly expenses, not bitemporal, six methods.

An expense is one row of ``hr_boligudgift``: its type, start date and inclusive end date in columns, the other
reported fields in ``data`` under their element names (the amount as a string), the four DatoTid elements kept by
the server. Two categories:

* **Fixed expenses** (types 1-7 and 10) of one type form a *chain* per dwelling: each ends the day before the next
  starts. Only StartDato is given; creating one ends the latest one before it (SlutDato = StartDato - 1 day),
  deleting the newest one makes the previous one current again (SlutDato back to NULL).
* **Special services** (types 8 and 9) have a StartDato and optionally a SlutDato, may overlap and may always be
  deleted.

Drafts (``KladdeIndikator``, default True) are not validated and stay outside the chains and out of the rules
that compare an expense with the dwelling's others: they join them when submitted (Opret or Ret with
``KladdeIndikator`` false), which checks them in full. Only what the table and the chains need is checked on a
draft too: the type (1000, 2105, 1001), the StartDato (1000), the SlutDato rules (2107, 2109, 2110) and the unique
EksternReference (2103). A submitted expense stays submitted: ``KladdeIndikator`` true on its Ret is ignored, as
there is no separate draft edition to hold it and withdrawing it would get round 2014 and 2126.

The DatoTid elements: OprettetDatoTid at creation; OpdateretDatoTid at every save; AendretDatoTid when a value
changes (also when the chain changes a neighbour's SlutDato); OphoertDatoTid is when the expense got its current
SlutDato (by the chain or, for special services, by the client) and is NULL while it has none.

Opret always gives the expense a new UnikIdentifikator (one sent is ignored); ObjektStatusKode is ignored (§2.5).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import rules
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, method_output, not_found
from bodata.huslejeregister.models import Bolig, Boligudgift, BoligVersion
from bodata.huslejeregister.organisations import bolig_identification, find_bolig, reference_taken, updated_reference
from bodata.huslejeregister.rules import Finding, required

ENTITY = "Boligudgift"
TYPES = tuple(range(1, 11))
FIXED_TYPES = (1, 2, 3, 4, 5, 6, 7, 10)
"""Fixed expenses: chained per type; 1-7 are required (rules.FIXED_EXPENSE_TYPES), 10 (hot water) optional."""
SPECIAL_TYPES = (8, 9)
NET_RENT = 1
LANDLORD, UTILITY = 1, 2
MAX_AMOUNT = Decimal(1_000_000)
"""2118: an amount (kr. per month) must be below this; LBF's bound is lost (huslejeregister.md §9 C3)."""
CHANGE_SHARE = Decimal("0.05")
"""2121: an amount changed by more than this share of the stored amount is reported."""

TEXTS: dict[int, str] = {
    1001: "Boligudgift.Boligudgiftstype må ikke ændres",
    2101: "Boligudgift.Beloeb må ikke være mindre end 0",
    2102: "Boligudgift.ModtagerType skal være 1 eller 2",
    2103: "Boligudgift.EksternReference findes allerede",
    2104: "Boligudgift.StartDato skal være større end Boligudgift.StartDato og Boligudgift.SlutDato på alle de øvrige "
    "boligudgifter med samme boligudgiftstype på samme bolig",
    2105: "Boligudgift.Boligudgiftstype skal være 1, 2, 3, 4, 5, 6, 7, 8, 9 eller 10",
    2106: "Hvis der er angivet kode 8 eller 9 for Boligudgift.Boligudgiftstype, skal Boligudgift.Beskrivelse være "
    "udfyldt",
    2107: "Boligudgift.SlutDato skal være nyere end Boligudgift.StartDato",
    2108: "Boligudgift.StartDato må ikke rettes længere tilbage end Boligudgift.StartDato på tidligere Boligudgift",
    2109: "Boligudgift.SlutDato må kun ændres for særlige ydelser",
    2110: "Boligudgift.SlutDato må ikke sættes ved oprettelse af en Boligudgift",
    2111: "Indberettede faste Boligudgifter må ikke slettes",  # never raised: 2126/2127 replace it (§9 D10)
    2112: "Boligudgift.StartDato må ikke rettes længere frem end Boligudgift.StartDato på en senere Boligudgift",
    2113: "Når Boligudgift.Boligudgiftstype er 1 (Nettohusleje), skal Boligudgift.IndeholdtIHusleje flaget skal være "
    "sat",
    2114: "Når Boligudgift.Boligudgiftstype er 8 (SaerligeYdelserBoligstoetteberettiget) eller 9 "
    "(SaerligeYdelserUdenBoligstoette), må Boligudgift.IndeholdtIHusleje flaget ikke være sat",
    2115: "Der må ikke være flere Boligudgifter med Boligudgift.Boligudgiftstype 8 og samme Boligudgift.StartDato og "
    "Boligudgift.Beskrivelse",
    2116: "Der må ikke være flere Boligudgifter med Boligudgift.Boligudgiftstype 9 og samme Boligudgift.StartDato og "
    "Boligudgift.Beskrivelse",
    2117: "Hvis Boligudgift.Boligudgiftstype er 1, skal Boligudgift.Beloeb være større end 0",
    2118: "Boligudgift.Beloeb skal være mindre end {maximum}",
    2119: "Hvis Boligudgift.Boligudgiftstype er 1, skal Boligudgift.Modtager være 1",
    2120: "Hvis Boligudgift.IndeholdtIHusleje flaget er sat, skal Boligudgift.Beloeb være 0",
    2121: "Boligudgift.Beloeb er ændret med mere end 5%",
    2122: "Feltet IndeholdtIHusleje ændret fra Nej til Ja for Varme",
    2123: "Feltet IndeholdtIHusleje ændret fra Nej til Ja for Vand",
    2124: "Feltet IndeholdtIHusleje ændret fra Nej til Ja for Vandafledning",
    2125: "Feltet IndeholdtIHusleje ændret fra Nej til Ja for El",
    2126: "Den sidste boligudgift må ikke slettes",
    2127: "Kun den seneste boligudgift må slettes.",
    2128: "En særlig ydelse (Boligudgiftstype 8 eller 9) med samme StartDato findes allerede",
    2129: "StartDato ændret, skulle det have været en ny boligudgift?",
}
INCLUDED_INFOS = {2: 2122, 3: 2123, 4: 2124, 5: 2125}
"""IndeholdtIHusleje changed from false to true: the info for each type that has one."""

AMOUNT = "BoligudgiftBeloeb"
RECIPIENT = "BoligudgiftModtagerTypeKode"
INCLUDED = "BoligudgiftIndeholdtIHuslejeIndikator"
DESCRIPTION = "BoligudgiftBeskrivelseTekst"
TYPE = "BoligudgiftstypeKode"
START, END = "BoligudgiftStartDato", "BoligudgiftSlutDato"
IDENT = "BoligudgiftIdentifikationStruktur"
UNIQUE = "BoligudgiftUnikIdentifikator"
DATA_FIELDS = (AMOUNT, RECIPIENT, INCLUDED, DESCRIPTION)
"""The reported fields kept in ``data``."""


def finding(number: int, element: str | None = None, **values: Any) -> Finding:
    return rules.finding(number, ENTITY, element, texts=TEXTS, **values)


# --- Finding expenses -----------------------------------------------------------------------------------------


def _owner(session: Session, expense: Boligudgift) -> Bolig:
    return session.get(Bolig, expense.bolig_id)


def _administers(caller: Caller, bolig: Bolig) -> bool:
    return bolig.byggeafsnit.afdeling.boligorganisation_id in caller.organisation_ids


def _lookup(session: Session, ident: Mapping[str, Any]) -> Boligudgift | None:
    """The expense a BoligudgiftIdentifikationStruktur names (UnikIdentifikator first, §2.2), or None."""
    if ident.get(UNIQUE) is not None:
        return session.get(Boligudgift, ident[UNIQUE])
    if ident.get("EksternReference"):
        return session.scalar(select(Boligudgift).where(Boligudgift.ekstern_reference == ident["EksternReference"]))
    return None


def find_expense(session: Session, caller: Caller, ident: Mapping[str, Any] | None) -> Boligudgift:
    """The caller's expense; unknown ones and other organisations' get the same Fault."""
    ident = ident or {}
    if ident.get(UNIQUE) is None and not ident.get("EksternReference"):
        raise Refused(f"{UNIQUE} eller EksternReference skal udfyldes")
    expense = _lookup(session, ident)
    if expense is None or not _administers(caller, _owner(session, expense)):
        raise not_found(f"Boligudgift {ident.get(UNIQUE) or ident.get('EksternReference')}")
    return expense


def _submitted_of_type(session: Session, bolig_id: uuid.UUID, typekode: int, own_id: uuid.UUID) -> list[Boligudgift]:
    """The dwelling's other submitted expenses of one type, oldest first."""
    statement = select(Boligudgift).where(
        Boligudgift.bolig_id == bolig_id,
        Boligudgift.typekode == typekode,
        ~Boligudgift.kladde,
        Boligudgift.id != own_id,
    )
    return sorted(session.scalars(statement), key=lambda row: (row.start_dato, row.oprettet))


def bolig_submitted(session: Session, bolig: Bolig) -> bool:
    """Whether the dwelling has a current submitted (non-draft) version."""
    statement = select(BoligVersion.id).where(
        BoligVersion.entity_id == bolig.id, ~BoligVersion.kladde, BoligVersion.registered_to.is_(None)
    )
    return session.scalar(statement.limit(1)) is not None


# --- Output -----------------------------------------------------------------------------------------------------


def amount_of(data: Mapping[str, Any]) -> Decimal | None:
    value = data.get(AMOUNT)
    return None if value is None else Decimal(str(value))


def expense_output(expense: Boligudgift, bolig: Bolig) -> dict[str, Any]:
    """BoligudgiftStruktur of a stored expense."""
    data = expense.data or {}
    return {
        IDENT: {UNIQUE: expense.id, "EksternReference": expense.ekstern_reference},
        "BoligIdentifikationStruktur": bolig_identification(bolig),
        "KladdeIndikator": expense.kladde,
        START: expense.start_dato,
        END: expense.slut_dato,
        AMOUNT: amount_of(data),
        RECIPIENT: data.get(RECIPIENT),
        INCLUDED: data.get(INCLUDED),
        TYPE: expense.typekode,
        DESCRIPTION: data.get(DESCRIPTION),
        "OprettetDatoTid": expense.oprettet,
        "AendretDatoTid": expense.aendret,
        "OpdateretDatoTid": expense.opdateret,
        "OphoertDatoTid": expense.ophoert,
    }


def list_expenses(
    session: Session, bolig: Bolig, start: date | None, end: date | None, *, now: datetime
) -> list[dict[str, Any]]:
    """BoligudgiftList. Without an interval: the current and future expenses (no SlutDato, or one today or later in
    Danish time). With one: those whose StartDato or SlutDato lies in [start, end], both bounds inclusive; a bound
    left out leaves that side open. Drafts are included (marked KladdeIndikator). Ordered by type and StartDato."""
    rows = session.scalars(select(Boligudgift).where(Boligudgift.bolig_id == bolig.id))
    if start is None and end is None:
        today = now.astimezone(DANISH_TIME).date()
        wanted = [row for row in rows if row.slut_dato is None or row.slut_dato >= today]
    else:

        def inside(value: date | None) -> bool:
            return value is not None and (start is None or value >= start) and (end is None or value <= end)

        wanted = [row for row in rows if inside(row.start_dato) or inside(row.slut_dato)]
    wanted.sort(key=lambda row: (row.typekode, row.start_dato, row.oprettet, str(row.id)))
    return [expense_output(row, bolig) for row in wanted]


# --- Opret, Ret, Valider ---------------------------------------------------------------------------------------


@dataclass
class _Proposal:
    """The expense as it would be after the call, and what saving it would change elsewhere."""

    id: uuid.UUID
    bolig: Bolig
    kladde: bool
    typekode: int | None
    start: date | None
    end: date | None
    reference: str | None
    data: dict[str, Any]
    neighbour_ends: list[tuple[Boligudgift, date | None]] = field(default_factory=list)


def _data(structure: Mapping[str, Any]) -> dict[str, Any]:
    data = {name: structure[name] for name in DATA_FIELDS if structure.get(name) is not None}
    if AMOUNT in data:
        data[AMOUNT] = str(data[AMOUNT])
    return data


def _comparable(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the amount as a number: 100 and 100.00 are the same amount (AendretDatoTid)."""
    return {**data, AMOUNT: amount_of(data)}


def _structural(proposal: _Proposal, stored: Boligudgift | None, session: Session, sent_type: Any) -> list[Finding]:
    """The rules a draft is held to as well: what the table and the chains cannot do without."""
    found = []
    if proposal.typekode is None:
        found.append(required(ENTITY, "Boligudgiftstype", TYPE))
    elif stored is not None and sent_type is not None and sent_type != stored.typekode:
        found.append(finding(1001, TYPE))
    elif proposal.typekode not in TYPES:
        found.append(finding(2105, TYPE))
    if proposal.start is None:
        found.append(required(ENTITY, "StartDato", START))
    special = proposal.typekode in SPECIAL_TYPES
    if not special and proposal.end != (stored.slut_dato if stored is not None else None):
        found.append(finding(2110 if stored is None else 2109, END))
    if special and proposal.end is not None and proposal.start is not None and proposal.end <= proposal.start:
        found.append(finding(2107, END))
    if reference_taken(session, Boligudgift, proposal.reference, proposal.id):
        found.append(finding(2103, "EksternReference"))
    return found


def _field_rules(proposal: _Proposal) -> list[Finding]:
    """Tabel 19's rules on the expense's own fields (submission and Valider)."""
    data, typekode = proposal.data, proposal.typekode
    amount, recipient, included = amount_of(data), data.get(RECIPIENT), data.get(INCLUDED)
    found = [
        required(ENTITY, name, element)
        for name, element in (("Beloeb", AMOUNT), ("IndeholdtIHusleje", INCLUDED), ("ModtagerType", RECIPIENT))
        if data.get(element) is None
    ]
    if amount is not None:
        if amount < 0:
            found.append(finding(2101, AMOUNT))
        elif typekode == NET_RENT and amount == 0:
            found.append(finding(2117, AMOUNT))
        if amount >= MAX_AMOUNT:
            found.append(finding(2118, AMOUNT, maximum=format(MAX_AMOUNT, "f")))
        if included is True and typekode != NET_RENT and amount != 0:
            found.append(finding(2120, AMOUNT))
    if recipient is not None and recipient not in (LANDLORD, UTILITY):
        found.append(finding(2102, RECIPIENT))
    if typekode == NET_RENT and recipient is not None and recipient != LANDLORD:
        found.append(finding(2119, RECIPIENT))
    if typekode == NET_RENT and included is False:
        found.append(finding(2113, INCLUDED))
    if typekode in SPECIAL_TYPES:
        if included is True:
            found.append(finding(2114, INCLUDED))
        if not (data.get(DESCRIPTION) or "").strip():
            found.append(finding(2106, DESCRIPTION))
    return found


def _chain_rules(proposal: _Proposal, stored: Boligudgift | None, session: Session) -> list[Finding]:
    """The rules between the expense and the dwelling's other submitted ones; plans the neighbours' new SlutDato."""
    typekode, start = proposal.typekode, proposal.start
    if typekode not in TYPES or start is None:
        return []
    others = _submitted_of_type(session, proposal.bolig.id, typekode, proposal.id)
    if typekode in SPECIAL_TYPES:
        description = (proposal.data.get(DESCRIPTION) or "").strip()
        if any(row.start_dato == start and (row.data.get(DESCRIPTION) or "").strip() == description for row in others):
            return [finding(2115 if typekode == 8 else 2116, START)]
        other_special = 9 if typekode == 8 else 8
        specials = others + _submitted_of_type(session, proposal.bolig.id, other_special, proposal.id)
        return [finding(2128, START)] if any(row.start_dato == start for row in specials) else []
    if stored is None or stored.kladde:  # joins the chain: after all the others, ending the latest of them
        if any(row.start_dato >= start or (row.slut_dato is not None and row.slut_dato >= start) for row in others):
            return [finding(2104, START)]
        if others:
            proposal.neighbour_ends.append((others[-1], start - timedelta(days=1)))
        return []
    found = []
    before = [row for row in others if row.start_dato < stored.start_dato]
    after = [row for row in others if row.start_dato > stored.start_dato]
    if before and start <= before[-1].start_dato:
        found.append(finding(2108, START))
    if after and start >= after[0].start_dato:
        found.append(finding(2112, START))
    if not found and before and start != stored.start_dato:
        proposal.neighbour_ends.append((before[-1], start - timedelta(days=1)))
    return found


def _change_infos(proposal: _Proposal, stored: Boligudgift) -> list[Finding]:
    """The infos on a Ret of a submitted expense: what changed that might be a mistake."""
    found = []
    old, new = amount_of(stored.data or {}), amount_of(proposal.data)
    if old is not None and new is not None and abs(new - old) > CHANGE_SHARE * old:
        found.append(finding(2121, AMOUNT))
    now_included = (stored.data or {}).get(INCLUDED) is False and proposal.data.get(INCLUDED) is True
    if now_included and stored.typekode in INCLUDED_INFOS:
        found.append(finding(INCLUDED_INFOS[stored.typekode], INCLUDED))
    if proposal.start is not None and proposal.start != stored.start_dato:
        found.append(finding(2129, START))
    return found


def _check(
    session: Session, proposal: _Proposal, stored: Boligudgift | None, sent_type: Any, *, full: bool
) -> list[Finding]:
    """The structural rules always; with ``full`` (a submission, or Valider) the field and chain rules and the
    infos too. Every finding refers to the expense's UnikIdentifikator."""
    found = _structural(proposal, stored, session, sent_type)
    if full:
        found += _field_rules(proposal)
        found += _chain_rules(proposal, stored, session)
        if stored is not None and not stored.kladde:
            found += _change_infos(proposal, stored)
    reference = str(proposal.id)
    return [Finding(item.number, item.text, item.entity, item.field, reference) for item in found]


def _set_end(row: Boligudgift, end: date | None, now: datetime) -> None:
    if row.slut_dato != end:
        row.slut_dato = end
        row.ophoert = now if end is not None else None
        row.aendret = now
    row.opdateret = now


def _save_neighbours(proposal: _Proposal, now: datetime) -> None:
    for row, end in proposal.neighbour_ends:
        _set_end(row, end, now)


def opret(
    session: Session, caller: Caller, structure: Mapping[str, Any], *, now: datetime, save: bool = True
) -> tuple[list[Finding], uuid.UUID]:
    """BoligudgiftOpret (or BoligudgiftValider of a new expense, ``save`` false): the findings and the new id."""
    ident = structure.get("BoligIdentifikationStruktur")
    if ident is None:
        raise Refused("BoligIdentifikationStruktur skal udfyldes ved oprettelse af en Boligudgift")
    bolig = find_bolig(session, caller, ident)
    draft = bool(structure.get("KladdeIndikator", True))
    proposal = _Proposal(
        id=uuid.uuid4(),
        bolig=bolig,
        kladde=draft,
        typekode=structure.get(TYPE),
        start=structure.get(START),
        end=structure.get(END),
        reference=(structure.get(IDENT) or {}).get("EksternReference") or None,
        data=_data(structure),
    )
    found = _check(session, proposal, None, None, full=not draft or not save)
    if rules.errors_in(found) or not save:
        return found, proposal.id
    _save_neighbours(proposal, now)
    session.add(
        Boligudgift(
            id=proposal.id,
            bolig_id=bolig.id,
            ekstern_reference=proposal.reference,
            kladde=draft,
            typekode=proposal.typekode,
            start_dato=proposal.start,
            slut_dato=proposal.end,
            data=proposal.data,
            oprettet=now,
            aendret=now,
            opdateret=now,
            ophoert=now if proposal.end is not None else None,
        )
    )
    session.flush()
    return found, proposal.id


def ret(
    session: Session,
    stored: Boligudgift,
    structure: Mapping[str, Any],
    *,
    now: datetime,
    save: bool = True,
) -> list[Finding]:
    """BoligudgiftRet (or BoligudgiftValider of an existing expense): the sent structure replaces the reported
    fields. The type may be left out (it cannot change); a fixed expense's SlutDato left out is kept (the chain
    sets it); BoligIdentifikationStruktur is ignored (an expense cannot move)."""
    draft = stored.kladde and bool(structure.get("KladdeIndikator", True))
    sent_type = structure.get(TYPE)
    typekode = stored.typekode if sent_type is None else sent_type
    end = structure.get(END)
    if typekode not in SPECIAL_TYPES and END not in structure:
        end = stored.slut_dato
    proposal = _Proposal(
        id=stored.id,
        bolig=_owner(session, stored),
        kladde=draft,
        typekode=typekode,
        start=structure.get(START),
        end=end,
        reference=updated_reference(stored.ekstern_reference, (structure.get(IDENT) or {}).get("EksternReference")),
        data=_data(structure),
    )
    found = _check(session, proposal, stored, sent_type, full=not draft or not save)
    if rules.errors_in(found) or not save:
        return found
    _save_neighbours(proposal, now)
    changed = (
        stored.kladde != draft
        or stored.start_dato != proposal.start
        or stored.ekstern_reference != proposal.reference
        or _comparable(stored.data or {}) != _comparable(proposal.data)
    )
    if changed:
        stored.kladde, stored.start_dato, stored.ekstern_reference = draft, proposal.start, proposal.reference
        stored.data = dict(proposal.data)
        stored.aendret = now
    _set_end(stored, proposal.end, now)
    session.flush()
    return found


def valider(session: Session, caller: Caller, structure: Mapping[str, Any], *, now: datetime) -> list[Finding]:
    """BoligudgiftValider: as a Ret of the caller's expense the identification names, otherwise as an Opret
    (§9 D30; another organisation's expense counts as none, so nothing is revealed). Never saves."""
    stored = _lookup(session, structure.get(IDENT) or {})
    if stored is not None and _administers(caller, _owner(session, stored)):
        return ret(session, stored, structure, now=now, save=False)
    return opret(session, caller, structure, now=now, save=False)[0]


# --- Slet -------------------------------------------------------------------------------------------------------


def slet(session: Session, expense: Boligudgift, *, now: datetime) -> list[Finding]:
    """BoligudgiftSlet. Drafts and special services go freely. A submitted fixed expense only if it is the newest
    of its type (2127), and not the last one of its type on a submitted dwelling (2126); the one before it then
    applies again (SlutDato back to NULL). 2111 is not raised (§9 D10)."""
    found: list[Finding] = []
    previous = None
    if not expense.kladde and expense.typekode in FIXED_TYPES:
        bolig = _owner(session, expense)
        others = _submitted_of_type(session, bolig.id, expense.typekode, expense.id)
        if any(row.start_dato > expense.start_dato for row in others):
            found.append(finding(2127, START))
        elif not others and bolig_submitted(session, bolig):
            found.append(finding(2126, TYPE))
        previous = others[-1] if others else None
    found = [Finding(item.number, item.text, item.entity, item.field, str(expense.id)) for item in found]
    if found:
        return found
    if previous is not None:
        _set_end(previous, None, now)
    session.delete(expense)
    session.flush()
    return found


# --- Handlers ---------------------------------------------------------------------------------------------------


def _hent(call: Call) -> dict[str, Any]:
    expense = find_expense(call.session, call.caller, call.input[IDENT])
    return {"BoligudgiftStruktur": expense_output(expense, _owner(call.session, expense))}


def _list(call: Call) -> dict[str, Any]:
    bolig = find_bolig(call.session, call.caller, call.input["BoligIdentifikationStruktur"])
    found = list_expenses(call.session, bolig, call.input.get(START), call.input.get(END), now=call.now)
    return {"BoligudgiftStruktur": found}


def _opret(call: Call) -> dict[str, Any]:
    found, created = opret(call.session, call.caller, call.input["BoligudgiftStruktur"], now=call.now)
    return method_output(found, call.operation, created=created)


def _ret(call: Call) -> dict[str, Any]:
    structure = call.input["BoligudgiftStruktur"]
    expense = find_expense(call.session, call.caller, structure.get(IDENT))
    return method_output(ret(call.session, expense, structure, now=call.now), call.operation)


def _slet(call: Call) -> dict[str, Any]:
    expense = find_expense(call.session, call.caller, call.input[IDENT])
    return method_output(slet(call.session, expense, now=call.now), call.operation)


def _valider(call: Call) -> dict[str, Any]:
    found = valider(call.session, call.caller, call.input["BoligudgiftStruktur"], now=call.now)
    return method_output(found, call.operation)


HANDLERS: dict[str, Handler] = {
    "BoligudgiftHent": _hent,
    "BoligudgiftList": _list,
    "BoligudgiftOpret": _opret,
    "BoligudgiftRet": _ret,
    "BoligudgiftSlet": _slet,
    "BoligudgiftValider": _valider,
}
