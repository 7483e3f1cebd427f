"""Anvisningsaftale (huslejeregister.md §4.7) and Boligopskrivning (§4.8): bitemporal entities the organisations
create and delete themselves, owned by an organisation or one of its departments and identified by their
UnikIdentifikator or the organisation's EksternReference (§2.2).

Both use the bitemporal machinery of :mod:`~bodata.huslejeregister.bitemporal` (the Hent variants, List in force now,
Ret with overlay and drafts, 5001-5005) and add Opret, Slet, the owner and, for Boligopskrivning, the housing type
of the main structure (one sign-up per BoligTypeKode and owner), kept in ``Boligopskrivning.boligtype``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bodata.core.temporal import current_versions, deregister, replace_versions
from bodata.huslejeregister import bitemporal, organisations, rules
from bodata.huslejeregister.bitemporal import EntityKind
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, RegisterRules, method_output, not_found
from bodata.huslejeregister.models import (
    Afdeling,
    Anvisningsaftale,
    AnvisningsaftaleVersion,
    Bilag,
    Boligopskrivning,
    BoligopskrivningVersion,
    Boligorganisation,
    Udlejningssamarbejde,
)
from bodata.huslejeregister.rules import Finding

AGREEMENT, SIGNUP = "Anvisningsaftale", "Boligopskrivning"

TEXTS: dict[int, str] = {
    2402: "Hvis Boligopskrivning.BK_Udlejningssamarbejde_id er udfyldt, skal det pege på et Udlejningssamarbejde",
    2403: "Boligopskrivning.Boligtype findes allerede",
    2404: "Boligopskrivning.GebyrAjourfoering skal være større end 0",
    2405: "Boligopskrivning.GebyrBoende skal være større end 0",
    2406: "Boligopskrivning.GebyrFleksibelUdlejning skal være større end 0",
    2407: "Boligopskrivning.GebyrUdefraKommende skal være større end 0",
    2408: "Boligopskrivning.EksternReference findes allerede",
    2409: "Boligopskrivning.Email skal indeholde en gyldig emailadresse",
    2410: "Boligopskrivning.Hjemmeside skal indeholde en gyldig Url",
    2411: "Boligopskrivning.Telefon skal indeholde et gyldigt telefonnummer",
    2502: "Der må kun være knyttet én Boligopskrivning pr. Boligtype til en Boligorganisation",
    2603: "Der må kun være knyttet én Boligopskrivning pr. Boligtype til en Afdeling",
    2801: "Der skal knyttes mindst én AnvisningsaftaleAnvisningstype.Anvisningstype til en Anvisningsaftale",
    2802: "AnvisningsaftaleAnvisningstype.Anvisningstype skal være 1, 2, 3, 4, 5, 6, 7, 8 eller 9",
    2803: "AnvisningsaftaleFleksibelUdlejningUndertype.FleksibelUdlejningUndertype skal være 1, 2, 3, 4, 5, 6 eller 7",
    2804: "Hvis AnvisningsaftaleAnvisningstype.Anvisningstype er 'Fleksibel udlejning', så skal der være valgt mindst "
    "én AnvisningsaftaleFleksibelUdlejningUndertype.FleksibelUdlejningUndertype",
    2805: "Anvisningsaftale.EksternReference findes allerede",
    2806: "Der skal knyttes mindst ét dokument til en Anvisningsaftale",
}
REFERENCE_TAKEN = {AGREEMENT: 2805, SIGNUP: 2408}

ALLOCATION_TYPES = range(1, 10)
FLEXIBLE_LETTING = 6
FLEXIBLE_SUBTYPES = range(1, 8)
FEES = (
    (2404, "BoligopskrivningGebyrAjourfoeringBeloeb"),
    (2405, "BoligopskrivningGebyrBoendeBeloeb"),
    (2406, "BoligopskrivningGebyrFleksibelUdlejningBeloeb"),
    (2407, "BoligopskrivningGebyrUdefraKommendeBeloeb"),
)
OWNER_FAULT = "Præcis én af BoligorganisationIdentifikationStruktur og AfdelingIdentifikationStruktur skal udfyldes"

_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,.]+$")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_DANISH_PHONE = re.compile(r"^(\+45|0045)?\d{8}$")
_INTERNATIONAL_PHONE = re.compile(r"^(\+|00)[1-9]\d{6,14}$")


def valid_email(value: str) -> bool:
    """One e-mail address (the address syntax of rules.valid_email_list, no list)."""
    return bool(_EMAIL.match(value.strip()))


def valid_phone(value: str) -> bool:
    """A Danish number (8 digits, optionally after +45 or 0045) or another country's (+ or 00, then 7-15 digits,
    E.164); spaces, hyphens, dots and brackets between the digits are allowed."""
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith(("+45", "0045")):
        return bool(_DANISH_PHONE.match(digits))
    return bool(_DANISH_PHONE.match(digits) or _INTERNATIONAL_PHONE.match(digits))


def _finding(number: int, entity: str, field: str | None) -> Finding:
    return rules.finding(number, entity, field, texts=TEXTS)


# --- Repeated codes in a version ---------------------------------------------------------------------------


def _without_empty_lists(structure: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The structure with empty code lists of its versions left out (stored like absent ones)."""
    versions = [
        {element: value for element, value in version.items() if value != []}
        for version in structure.get(f"{name}VersionStruktur") or []
    ]
    return {**structure, f"{name}VersionStruktur": versions}


# --- The field rules --------------------------------------------------------------------------------------------


def check_agreement(session: Session, entity: Any, version: Mapping[str, Any]) -> list[Finding]:
    """Tabel 25 on one version: the name and the allocation types."""
    found = []
    if not (version.get("AnvisningsaftaleNavnTekst") or "").strip():
        found.append(rules.required(AGREEMENT, "Navn", "AnvisningsaftaleNavnTekst"))
    types = version.get("AnvisningstypeKode") or []
    subtypes = version.get("FleksibelUdlejningUnderTypeKode") or []
    if not types:
        found.append(_finding(2801, AGREEMENT, "AnvisningstypeKode"))
    if any(code not in ALLOCATION_TYPES for code in types):
        found.append(_finding(2802, AGREEMENT, "AnvisningstypeKode"))
    if any(code not in FLEXIBLE_SUBTYPES for code in subtypes):
        found.append(_finding(2803, AGREEMENT, "FleksibelUdlejningUnderTypeKode"))
    if FLEXIBLE_LETTING in types and not subtypes:
        found.append(_finding(2804, AGREEMENT, "FleksibelUdlejningUnderTypeKode"))
    return found


def check_documents(session: Session, entity: Any, register: RegisterRules, now: datetime) -> list[Finding]:
    """2806 on submission: at least one Bilag attached (decision D14: create as draft, attach, submit)."""
    count = session.scalar(select(func.count()).select_from(Bilag).where(Bilag.anvisningsaftale_id == entity.id))
    return [] if count else [_finding(2806, AGREEMENT, None)]


def check_signup(session: Session, entity: Any, version: Mapping[str, Any]) -> list[Finding]:
    """Tabel 28 on one version (the housing type is the entity's: see :func:`_signup_type`)."""
    found = []
    email = version.get("BoligopskrivningEmailTekst")
    if not (email or "").strip():
        found.append(rules.required(SIGNUP, "Email", "BoligopskrivningEmailTekst"))
    elif not valid_email(email):
        found.append(_finding(2409, SIGNUP, "BoligopskrivningEmailTekst"))
    cooperation = version.get("UdlejningssamarbejdeReference")
    if cooperation is not None and session.get(Udlejningssamarbejde, cooperation) is None:
        found.append(_finding(2402, SIGNUP, "UdlejningssamarbejdeReference"))
    for number, field in FEES:
        if version.get(field) is not None and version[field] <= 0:
            found.append(_finding(number, SIGNUP, field))
    website = version.get("BoligopskrivningHjemmesideTekst")
    if website is not None and website.strip() and not rules.valid_url(website):
        found.append(_finding(2410, SIGNUP, "BoligopskrivningHjemmesideTekst"))
    phone = version.get("BoligopskrivningTelefonTekst")
    if phone is not None and phone.strip() and not valid_phone(phone):
        found.append(_finding(2411, SIGNUP, "BoligopskrivningTelefonTekst"))
    return found


def _signup_type(
    session: Session, entity: Boligopskrivning, housing_type: int | None, *, checked: bool
) -> list[Finding]:
    """1000 (on a checked save) and one sign-up per housing type and owner: 2403, with 2502 or 2603 for the
    owner's kind (always, drafts too: the type is the sign-up's key). An unknown type is a Fault."""
    if housing_type is None:
        return [rules.required(SIGNUP, "Boligtype", "BoligTypeKode")] if checked else []
    if housing_type not in rules.HOUSING_TYPES:
        raise Refused(f"BoligTypeKode {housing_type} findes ikke (1, 2, 3 eller 4)")
    if entity.boligorganisation_id is not None:
        owner = Boligopskrivning.boligorganisation_id == entity.boligorganisation_id
        owner_rule = (2502, "Boligorganisation")
    else:
        owner, owner_rule = Boligopskrivning.afdeling_id == entity.afdeling_id, (2603, "Afdeling")
    clash = session.scalar(
        select(Boligopskrivning.id).where(
            owner,
            Boligopskrivning.boligtype == housing_type,
            Boligopskrivning.slettet.is_(None),
            Boligopskrivning.id != entity.id,
        )
    )
    if clash is None:
        return []
    return [_finding(2403, SIGNUP, "BoligTypeKode"), _finding(*owner_rule, "BoligTypeKode")]


# --- Finding and answering ------------------------------------------------------------------------------------


def owner_organisation_id(session: Session, entity: Any) -> uuid.UUID:
    if entity.boligorganisation_id is not None:
        return entity.boligorganisation_id
    return session.get(Afdeling, entity.afdeling_id).boligorganisation_id


def _finder(name: str, model: type) -> Callable[..., Any]:
    def find(session: Session, caller: Caller, ident: Mapping[str, Any], registered_at: datetime | None = None) -> Any:
        """The entity by UnikIdentifikator or EksternReference, if the caller's and not deleted (at
        ``registered_at``, for the historic reads: a deleted entity's history stays readable, §2.1.5); else the
        uniform not-found Fault."""
        found = organisations.find_by_reference(session, model, ident, name, f"{name}UnikIdentifikator")
        deleted = found.slettet is not None and (registered_at is None or found.slettet <= registered_at)
        if deleted or owner_organisation_id(session, found) not in caller.organisation_ids:
            unique = ident.get(f"{name}UnikIdentifikator")
            raise not_found(f"{name} {unique if unique is not None else ident.get('EksternReference')}")
        return found

    return find


def _kind(name: str, model: type, version_model: type, check_version: Any, check_entity: Any = None) -> EntityKind:
    return EntityKind(
        name,
        model,
        version_model,
        _finder(name, model),
        lambda entity: {f"{name}UnikIdentifikator": entity.id, "EksternReference": entity.ekstern_reference},
        check_version,
        check_entity=check_entity,
    )


ANVISNINGSAFTALE = _kind(AGREEMENT, Anvisningsaftale, AnvisningsaftaleVersion, check_agreement, check_documents)
BOLIGOPSKRIVNING = _kind(SIGNUP, Boligopskrivning, BoligopskrivningVersion, check_signup)
KINDS = {kind.name: kind for kind in (ANVISNINGSAFTALE, BOLIGOPSKRIVNING)}


def owner_output(session: Session, entity: Any) -> dict[str, Any]:
    """The owner element of ``<E>Struktur`` and, for a sign-up, its BoligTypeKode."""
    if entity.boligorganisation_id is not None:
        organisation = session.get(Boligorganisation, entity.boligorganisation_id)
        output = {"BoligorganisationIdentifikationStruktur": organisations.organisation_identification(organisation)}
    else:
        afdeling = session.get(Afdeling, entity.afdeling_id)
        output = {"AfdelingIdentifikationStruktur": organisations.afdeling_identification(afdeling)}
    if isinstance(entity, Boligopskrivning):
        output["BoligTypeKode"] = entity.boligtype
    return output


def _complete(
    session: Session, kind: EntityKind, entities: Sequence[Any], editions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """service's editions (identification, KladdeIndikator, versions) with the owner and the housing type."""
    by_id = {entity.id: entity for entity in entities}
    for edition in editions:
        entity = by_id[edition[f"{kind.name}IdentifikationStruktur"][f"{kind.name}UnikIdentifikator"]]
        edition.update(owner_output(session, entity))
    return editions


def _list_order(entity: Any) -> tuple[Any, ...]:
    reference = entity.ekstern_reference
    return (getattr(entity, "boligtype", None) or 0, reference is None, reference or "", str(entity.id))


# --- Opret, Ret, Valider -----------------------------------------------------------------------------------------


def _owner(call: Call, structure: Mapping[str, Any]) -> dict[str, uuid.UUID | None]:
    organisation = structure.get("BoligorganisationIdentifikationStruktur")
    afdeling = structure.get("AfdelingIdentifikationStruktur")
    if (organisation is None) == (afdeling is None):
        raise Refused(OWNER_FAULT)
    if organisation is not None:
        return {"boligorganisation_id": organisations.find_organisation(call.session, call.caller, organisation).id}
    return {"afdeling_id": organisations.find_afdeling(call.session, call.caller, afdeling).id}


def _has_versions(session: Session, kind: EntityKind, entity: Any) -> bool:
    return any(current_versions(session, kind.version_model, (entity.id, draft)) for draft in (False, True))


def write(call: Call, kind: EntityKind, *, create: bool, save: bool) -> dict[str, Any]:
    """<E>Opret (``create``), <E>Ret (``save``) or <E>Valider (neither: as Opret when the identification finds
    none of the caller's entities, else as Ret; never saved)."""
    name, session = kind.name, call.session
    structure = _without_empty_lists(call.input[f"{name}Struktur"], name)
    ident = structure.get(f"{name}IdentifikationStruktur") or {}
    entity = None
    if not create:
        try:
            entity = kind.find(session, call.caller, ident)
        except Refused:
            if save:
                raise
    new = entity is None
    if new:  # the register assigns the UnikIdentifikator; a sent one is not used
        entity = kind.model(id=uuid.uuid4(), **_owner(call, structure))
        reference = ident.get("EksternReference") or None
        housing_type = structure.get("BoligTypeKode")
    else:
        reference = organisations.updated_reference(entity.ekstern_reference, ident.get("EksternReference"))
        housing_type = structure.get("BoligTypeKode", getattr(entity, "boligtype", None))
    checked = not structure.get("KladdeIndikator", True) or not save
    found = []
    if reference != entity.ekstern_reference and organisations.reference_taken(
        session, kind.model, reference, entity.id
    ):
        found.append(_finding(REFERENCE_TAKEN[name], name, "EksternReference"))
    if name == SIGNUP:
        found += _signup_type(session, entity, housing_type, checked=checked)
    if checked and not structure.get(f"{name}VersionStruktur") and (new or not _has_versions(session, kind, entity)):
        found.append(rules.finding(5004, name, "VirkningFraDatoTid"))
    found = [Finding(item.number, item.text, item.entity, item.field, str(entity.id)) for item in found]
    refused = bool(rules.errors_in(found))
    if new and save and not refused:
        entity.ekstern_reference = reference
        if name == SIGNUP:
            entity.boligtype = housing_type
        session.add(entity)
        session.flush()
    if checked or not refused:  # a refused draft is not checked in full: drafts are not validated
        found += bitemporal.ret(
            session, kind, entity, structure, now=call.now, register=call.register, save=save and not refused
        )
    if save and not new and not rules.errors_in(found):
        entity.ekstern_reference = reference
        if name == SIGNUP:
            entity.boligtype = housing_type
    return method_output(found, call.operation, created=entity.id if create else None)


# --- Slet and List ----------------------------------------------------------------------------------------------


def slet(call: Call, kind: EntityKind) -> dict[str, Any]:
    """Without VirkningTilDatoTid: deregister both editions and mark the entity deleted (its history stays).
    With it: the last version of the submitted edition ends then (5002 unless after its VirkningFra)."""
    session, model = call.session, kind.version_model
    entity = kind.find(session, call.caller, call.input[f"{kind.name}IdentifikationStruktur"])
    end = call.input.get("VirkningTilDatoTid")
    if end is None:
        for draft in (False, True):
            deregister(session, model, (entity.id, draft), call.now)
        entity.slettet = call.now
        session.flush()
        return method_output([], call.operation)
    rows = current_versions(session, model, (entity.id, False))
    if not rows:
        raise Refused(f"{kind.name} {entity.id} har ingen indberettet version at sætte VirkningTil på")
    last = rows[-1]
    if end <= last.effective_from:
        item = rules.finding(5002, kind.name, "VirkningTilDatoTid")
        item = Finding(item.number, item.text, item.entity, item.field, str(entity.id), last.effective_from)
        return method_output([item], call.operation)
    if end != last.effective_to:
        versions = [
            {
                "effective_from": row.effective_from,
                "effective_to": end if row is last else row.effective_to,
                "data": row.data,
            }
            for row in rows
        ]
        replace_versions(session, model, (entity.id, False), versions, call.now)
    return method_output([], call.operation)


def list_entities(call: Call, kind: EntityKind) -> dict[str, Any]:
    """The entities owned by exactly the given organisation or department (an organisation's list does not
    include its departments' entities), not deleted, each with its version in force now."""
    model, session = kind.model, call.session
    owner = _owner(call, call.input)
    column, owner_id = next(iter(owner.items()))
    statement = select(model).where(getattr(model, column) == owner_id, model.slettet.is_(None))
    entities = sorted(session.scalars(statement), key=_list_order)
    editions = bitemporal.list_in_effect(session, kind, entities, call.now)
    return {f"{kind.name}Struktur": _complete(session, kind, entities, editions)}


# --- Wiring ------------------------------------------------------------------------------------------------------

_READS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "Hent": (bitemporal.hent, ()),
    "HentSpecifik": (bitemporal.hent_specifik, ("VirkningsdatoDatoTid",)),
    "HentHistorisk": (bitemporal.hent_historisk, ("RegistreringstidDatoTid",)),
    "HentHistoriskSpecifik": (bitemporal.hent_historisk_specifik, ("RegistreringstidDatoTid", "VirkningsdatoDatoTid")),
}


def _handlers(kind: EntityKind) -> dict[str, Handler]:
    name = kind.name

    def entity(call: Call) -> Any:
        """The entity named, as of RegistreringstidDatoTid when the read has one (a deleted one's history)."""
        ident = call.input[f"{name}IdentifikationStruktur"]
        return kind.find(call.session, call.caller, ident, call.input.get("RegistreringstidDatoTid"))

    def read(how: Callable[..., Any], times: tuple[str, ...]) -> Handler:
        def handle(call: Call) -> dict[str, Any]:
            found = entity(call)
            editions = how(call.session, kind, found, *(call.input[element] for element in times))
            return {f"{name}Struktur": _complete(call.session, kind, [found], editions)}

        return handle

    def periods(historic: bool) -> Handler:
        def handle(call: Call) -> dict[str, Any]:
            at = call.input["RegistreringstidDatoTid"] if historic else None
            return {"VirkningsperiodeStruktur": bitemporal.hent_virkningsperioder(call.session, kind, entity(call), at)}

        return handle

    return {
        **{f"{name}{variant}": read(how, times) for variant, (how, times) in _READS.items()},
        f"{name}HentVirkningsperioder": periods(historic=False),
        f"{name}HentVirkningsperioderHistorisk": periods(historic=True),
        f"{name}List": lambda call: list_entities(call, kind),
        f"{name}Opret": lambda call: write(call, kind, create=True, save=True),
        f"{name}Ret": lambda call: write(call, kind, create=False, save=True),
        f"{name}Slet": lambda call: slet(call, kind),
        f"{name}Valider": lambda call: write(call, kind, create=False, save=False),
    }


HANDLERS: dict[str, Handler] = {**_handlers(ANVISNINGSAFTALE), **_handlers(BOLIGOPSKRIVNING)}
