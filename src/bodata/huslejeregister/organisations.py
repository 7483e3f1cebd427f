"""The organisations and their users (huslejeregister.md §2.2, §4.11, §4.13; decisions.md "Users are linked to the
organisations they administer"): the users and their WS-Security authentication, finding Boligorganisation,
Afdeling, Byggeafsnit and Bolig within a caller's organisations and by EksternReference, their identification
structures, the organisations' settings (Indstilling) and the letting cooperations.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.credentials import check_password
from bodata.core.db import generations
from bodata.core.security import hash_password, verify_password
from bodata.core.throttle import LoginFailures
from bodata.huslejeregister import rules
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, method_output, not_found
from bodata.huslejeregister.models import (
    Afdeling,
    Bolig,
    Boligorganisation,
    Byggeafsnit,
    Indstilling,
    SoapUser,
    Udlejningssamarbejde,
)
from bodata.huslejeregister.rules import Finding


def find_by_reference(session: Session, model: type, ident: Mapping[str, Any], entity: str, unique_element: str) -> Any:
    """An entity by its IdentifikationStruktur: the UnikIdentifikator if given, otherwise EksternReference (§2.2).
    Raises the not-found Fault when neither finds one; the caller still checks that it is the caller's."""
    unique, reference = ident.get(unique_element), ident.get("EksternReference")
    found = None
    if unique is not None:
        found = session.get(model, unique)
    elif reference:
        found = session.scalar(select(model).where(model.ekstern_reference == reference))
    else:
        raise Refused(f"{unique_element} eller EksternReference skal udfyldes")
    if found is None:
        raise not_found(f"{entity} {unique if unique is not None else reference}")
    return found


def reference_taken(session: Session, model: type, reference: str | None, own_id: uuid.UUID | None) -> bool:
    """Whether another entity of ``model`` already has EksternReference ``reference`` (unique in the register)."""
    if not reference:
        return False
    other = session.scalar(select(model.id).where(model.ekstern_reference == reference))
    return other is not None and other != own_id


def updated_reference(stored: str | None, sent: str | None) -> str | None:
    """EksternReference after a Ret: the sent one when it is non-empty and differs, else the stored one (§2.2)."""
    return sent if sent and sent != stored else stored


# --- Users ----------------------------------------------------------------------------------------------


def add_user(
    session: Session, username: str, password: str, organisations: Sequence[int], *, now: datetime
) -> SoapUser:
    """Create a user administering the organisations with the given LBF numbers."""
    if session.scalar(select(SoapUser).where(SoapUser.username == username)):
        raise ValueError(f"user {username!r} already exists")
    user = SoapUser(username=username, password_hash=hash_password(password), created_at=now)
    user.organisations = organisations_by_number(session, organisations)
    session.add(user)
    session.flush()
    return user


def organisations_by_number(session: Session, numbers: Sequence[int]) -> list[Boligorganisation]:
    found = list(session.scalars(select(Boligorganisation).where(Boligorganisation.nummer.in_(numbers))))
    missing = sorted(set(numbers) - {organisation.nummer for organisation in found})
    if missing:
        raise ValueError(f"no Boligorganisation with number {', '.join(map(str, missing))} in Stamdata")
    return found


def remove_user(session: Session, username: str) -> bool:
    user = session.scalar(select(SoapUser).where(SoapUser.username == username))
    if user is None:
        return False
    session.delete(user)
    return True


def set_password(session: Session, username: str, password: str) -> bool:
    user = session.scalar(select(SoapUser).where(SoapUser.username == username))
    if user is None:
        return False
    user.password_hash = hash_password(password)
    return True


def list_users(session: Session) -> list[SoapUser]:
    return list(session.scalars(select(SoapUser).order_by(SoapUser.username)))


# --- Finding entities -------------------------------------------------------------------------------------


def find_organisation(
    session: Session, caller: Caller, ident: Mapping[str, Any], *, by_unique: bool = False
) -> Boligorganisation:
    """BoligorganisationIdentifikationStruktur → the organisation, by its number. The UnikIdentifikator is not
    used (§2.2), except where ``by_unique`` allows it (HandicapBoligTypeList): then either key will do, and if
    both are given they must name the same organisation."""
    number = ident.get("BoligorganisationIdentifikator")
    unique = ident.get("BoligorganisationUnikIdentifikator") if by_unique else None
    if number is None and unique is None:
        raise Refused("BoligorganisationIdentifikator skal udfyldes")
    statement = select(Boligorganisation)
    if number is not None:
        statement = statement.where(Boligorganisation.nummer == number)
    if unique is not None:
        statement = statement.where(Boligorganisation.id == unique)
    organisation = session.scalar(statement)
    if organisation is None or organisation.id not in caller.organisation_ids:
        raise not_found(f"Boligorganisation {number if number is not None else unique}")
    return organisation


def find_afdeling(session: Session, caller: Caller, ident: Mapping[str, Any]) -> Afdeling:
    organisation = find_organisation(session, caller, ident["BoligorganisationIdentifikationStruktur"])
    number = ident["AfdelingIdentifikator"]
    found = session.scalar(
        select(Afdeling).where(Afdeling.boligorganisation_id == organisation.id, Afdeling.nummer == number)
    )
    if found is None:
        raise not_found(f"Afdeling {organisation.nummer}-{number}")
    return found


def find_byggeafsnit(session: Session, caller: Caller, ident: Mapping[str, Any]) -> Byggeafsnit:
    afdeling = find_afdeling(session, caller, ident["AfdelingIdentifikationStruktur"])
    number = ident["ByggeafsnitIdentifikator"]
    found = session.scalar(
        select(Byggeafsnit).where(Byggeafsnit.afdeling_id == afdeling.id, Byggeafsnit.nummer == number)
    )
    if found is None:
        raise not_found(f"Byggeafsnit {afdeling.boligorganisation.nummer}-{afdeling.nummer}-{number}")
    return found


def find_bolig(session: Session, caller: Caller, ident: Mapping[str, Any]) -> Bolig:
    unit = ident["BuildingUnitUniversalIdentifier"]
    found = session.scalar(select(Bolig).where(Bolig.bbr_id == unit))
    if found is None or found.byggeafsnit.afdeling.boligorganisation_id not in caller.organisation_ids:
        raise not_found(f"Bolig {unit}")
    return found


def organisation_identification(organisation: Boligorganisation) -> dict[str, Any]:
    return {
        "BoligorganisationUnikIdentifikator": organisation.id,
        "BoligorganisationIdentifikator": organisation.nummer,
    }


def afdeling_identification(afdeling: Afdeling) -> dict[str, Any]:
    return {
        "AfdelingUnikIdentifikator": afdeling.id,
        "BoligorganisationIdentifikationStruktur": organisation_identification(afdeling.boligorganisation),
        "AfdelingIdentifikator": afdeling.nummer,
    }


def byggeafsnit_identification(byggeafsnit: Byggeafsnit) -> dict[str, Any]:
    return {
        "ByggeafsnitUnikIdentifikator": byggeafsnit.id,
        "AfdelingIdentifikationStruktur": afdeling_identification(byggeafsnit.afdeling),
        "ByggeafsnitIdentifikator": byggeafsnit.nummer,
    }


def bolig_identification(bolig: Bolig) -> dict[str, Any]:
    return {"BoligUnikIdentifikator": bolig.id, "BuildingUnitUniversalIdentifier": bolig.bbr_id}


def bolig_read_only(bolig: Bolig) -> dict[str, Any]:
    """The BBR and Stamdata fields of a Bolig version, as the register knows them now."""
    return {
        "ByggeafsnitIdentifikationStruktur": byggeafsnit_identification(bolig.byggeafsnit),
        "StreetCode": bolig.vejkode,
        "StreetName": bolig.vejnavn,
        "StreetBuildingIdentifier": bolig.husnummer,
        "SuiteIdentifier": bolig.doer,
        "FloorIdentifier": bolig.etage,
        "PostalCodeIdentifier": bolig.postnummer,
        "MunicipalityCode": bolig.kommunekode,
    }


# --- Indstilling (§4.13) --------------------------------------------------------------------------------------

_SETTINGS = (
    ("IndstillingEnhedsadministrationAktivIndikator", "enhedsadministration_aktiv"),
    ("IndstillingNotifikationNyeEnhederEmailsTekst", "notifikation_nye_enheder_emails"),
    ("IndstillingNotifikationsEmailsTekst", "notifikations_emails"),
    ("IndstillingNyeEnhederEmailsAktivIndikator", "nye_enheder_emails_aktiv"),
)


def indstilling(session: Session, organisation: Boligorganisation, now: datetime) -> Indstilling:
    """The organisation's settings, created with the initial values (unit administration on) on first use."""
    found = session.get(Indstilling, organisation.id)
    if found is None:
        found = Indstilling(
            boligorganisation_id=organisation.id,
            enhedsadministration_aktiv=True,
            nye_enheder_emails_aktiv=False,
            oprettet=now,
            aendret=now,
        )
        session.add(found)
        session.flush()
    return found


def indstilling_output(organisation: Boligorganisation, settings: Indstilling) -> dict[str, Any]:
    return {
        "IndstillingIdentifikationStruktur": {
            "BoligorganisationIdentifikationStruktur": organisation_identification(organisation)
        },
        **{element: getattr(settings, column) for element, column in _SETTINGS},
        "OprettetDatoTid": settings.oprettet,
        "AendretDatoTid": settings.aendret,
    }


def ret_indstilling(
    session: Session, organisation: Boligorganisation, structure: Mapping[str, Any], *, now: datetime, save: bool
) -> list[Finding]:
    """IndstillingRet / IndstillingValider: elements left out keep their value; AendretDatoTid moves on a real
    change only."""
    found = [
        Finding(item.number, item.text, item.entity, item.field, str(organisation.id))
        for item in rules.check_indstilling(structure)
    ]
    if found or not save:
        return found
    settings = indstilling(session, organisation, now)
    changed = False
    for element, column in _SETTINGS:
        if element in structure and getattr(settings, column) != structure[element]:
            setattr(settings, column, structure[element])
            changed = True
    if changed:
        settings.aendret = now
    return found


# --- Udlejningssamarbejde (§4.11) -------------------------------------------------------------------------------


def list_udlejningssamarbejder(session: Session) -> list[dict[str, Any]]:
    """Every letting cooperation of the register (they are shared between organisations, decisions.md)."""
    return [
        {
            "UdlejningssamarbejdeUnikIdentifikator": item.id,
            "UdlejningssamarbejdeNavnTekst": item.navn,
            "UdlejningssamarbejdeBeskrivelseTekst": item.beskrivelse,
        }
        for item in session.scalars(select(Udlejningssamarbejde).order_by(Udlejningssamarbejde.navn))
    ]


def add_udlejningssamarbejde(session: Session, navn: str, beskrivelse: str | None = None) -> Udlejningssamarbejde:
    if session.scalar(select(Udlejningssamarbejde).where(Udlejningssamarbejde.navn == navn)):
        raise ValueError(f"Udlejningssamarbejde {navn!r} already exists")
    item = Udlejningssamarbejde(navn=navn, beskrivelse=beskrivelse)
    session.add(item)
    session.flush()
    return item


# --- Authentication --------------------------------------------------------------------------------------------

CALLERS = "huslejeregister.callers"
"""The data generation behind callers remembered by the SOAP layer: a change to a user or a user's organisations, or
any counted login failure (which may lock the name), moves it on (core/db/generations.py)."""
generations.watch(CALLERS, {SoapUser.__tablename__, "hr_user_organisation", LoginFailures.__tablename__})

_VERIFIED: dict[tuple[str, str], str] = {}
_VERIFIED_LIMIT = 4096
_PROCESS_SALT = secrets.token_bytes(16)


def authenticate(session: Session, username: str, password: str) -> Caller | None:
    """The caller for a UsernameToken, or None when the user is unknown or the password wrong.

    Argon2 runs once per user and password: a verified pair is remembered (as a salted digest) together with the
    password hash it matched, so a changed password or a removed user takes effect at the next call.
    """
    user = session.scalar(select(SoapUser).where(SoapUser.username == username))
    if user is None:
        check_password(None, password)  # as slow as a wrong password: names are not revealed
        return None
    key = (username, hashlib.sha256(_PROCESS_SALT + password.encode()).hexdigest())
    if _VERIFIED.get(key) != user.password_hash:
        if not verify_password(user.password_hash, password):
            return None
        if len(_VERIFIED) >= _VERIFIED_LIMIT:
            _VERIFIED.clear()
        _VERIFIED[key] = user.password_hash
    return Caller(username, frozenset(organisation.id for organisation in user.organisations))


# --- Handlers ---------------------------------------------------------------------------------------------------


def _settings_organisation(call: Call, structure: dict[str, Any]) -> Any:
    ident = structure["IndstillingIdentifikationStruktur"]["BoligorganisationIdentifikationStruktur"]
    return find_organisation(call.session, call.caller, ident)


def _indstilling_hent(call: Call) -> dict[str, Any]:
    organisation = _settings_organisation(call, call.input)
    settings = indstilling(call.session, organisation, call.now)
    return {"IndstillingStruktur": indstilling_output(organisation, settings)}


def _indstilling_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structure = call.input["IndstillingStruktur"]
        organisation = _settings_organisation(call, structure)
        return method_output(
            ret_indstilling(call.session, organisation, structure, now=call.now, save=save), call.operation
        )

    return handle


HANDLERS: dict[str, Handler] = {
    "IndstillingHent": _indstilling_hent,
    "IndstillingRet": _indstilling_ret(save=True),
    "IndstillingValider": _indstilling_ret(save=False),
    "UdlejningssamarbejdeList": lambda call: {"UdlejningssamarbejdeStruktur": list_udlejningssamarbejder(call.session)},
}
