"""HuslejeregisterV3's stand-in seed files (docs/stand-in.md): users, organisations, departments, building
sections and dwellings, and their versions.

The structure is the stamdata file's (``bodata huslejeregister import-stamdata``), nested; versions use the
spec's element names (``BoligVersionStruktur`` items) and are reported as a submission (``KladdeIndikator``
false) through the same rules as <E>Ret, so a version the register would refuse is refused here with its
validation numbers. A dwelling with ``aktiv: true`` is activated (EnhedAktiver) from its first version.
Applying a file again changes nothing: entities are matched by their numbers and BBR ids, versions already
current as the file has them are not reported again, users keep their names and get the file's password and
organisations.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from bodata.core.security import hash_password, verify_password
from bodata.core.standin.seeds import Refused, SeedFormat, SeedTarget
from bodata.core.temporal import current_versions
from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import bitemporal, organisations
from bodata.huslejeregister.bitemporal import KINDS
from bodata.huslejeregister.calls import Call, Caller, RegisterRules
from bodata.huslejeregister.demo import OperationRefused, run_operation
from bodata.huslejeregister.models import Afdeling, Bolig, Byggeafsnit, SoapUser
from bodata.huslejeregister.stamdata import OPTIONAL_COLUMNS, StamdataRow, import_stamdata
from bodata.huslejeregister.structures import STRUCTURES, TIME_ELEMENTS, El, to_json

Version = dict[str, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BoligSeed(_Strict):
    """A dwelling (the stamdata file's columns) and its versions."""

    bbr_enhed_id: uuid.UUID
    vejkode: int = Field(ge=1, le=9999)
    vejnavn: str = Field(min_length=1, max_length=100)
    husnummer: str = Field(min_length=1, max_length=10)
    etage: str | None = Field(None, max_length=10)
    doer: str | None = Field(None, max_length=10)
    postnummer: int = Field(ge=100, le=9999)
    kommunekode: int = Field(ge=1, le=999)
    bruttoareal: Decimal | None = Field(None, ge=0, le=100_000_000)
    ejendomsnummer: str | None = Field(None, max_length=20)
    anvendelseskode: int | None = None
    aktiv: bool = False
    versions: list[Version] = Field(default_factory=list)


class ByggeafsnitSeed(_Strict):
    nummer: int = Field(ge=1)
    versions: list[Version] = Field(default_factory=list)
    boliger: list[BoligSeed] = Field(default_factory=list)


class AfdelingSeed(_Strict):
    nummer: int = Field(ge=1)
    navn: str = ""
    versions: list[Version] = Field(default_factory=list)
    byggeafsnit: list[ByggeafsnitSeed] = Field(default_factory=list)


class OrganisationSeed(_Strict):
    nummer: int = Field(ge=1, description="The organisation's LBF number.")
    navn: str = ""
    versions: list[Version] = Field(default_factory=list)
    afdelinger: list[AfdelingSeed] = Field(default_factory=list)


class UserSeed(_Strict):
    """A SOAP user (WS-Security UsernameToken) administering some organisations."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    organisations: list[int] = Field(default_factory=list)


class HuslejeregisterSeed(_Strict):
    """The ``bodata-seed`` document of HuslejeregisterV3."""

    organisations: list[OrganisationSeed] = Field(default_factory=list)
    users: list[UserSeed] = Field(default_factory=list)


def apply_seed(target: SeedTarget, seed: HuslejeregisterSeed) -> str:
    session, now = target.db(), target.clock.now()
    rows = [
        _stamdata_row(organisation, afdeling, byggeafsnit, bolig)
        for organisation in seed.organisations
        for afdeling in organisation.afdelinger
        for byggeafsnit in afdeling.byggeafsnit
        for bolig in byggeafsnit.boliger
    ]
    import_stamdata(session, rows, now=now)
    numbers = [organisation.nummer for organisation in seed.organisations]
    found = {
        organisation.nummer: organisation for organisation in organisations.organisations_by_number(session, numbers)
    }
    missing = [number for number in numbers if number not in found]
    if missing:
        raise Refused("/organisations", f"organisations without dwellings cannot be created: {missing}")
    register = RegisterRules()
    caller = Caller("seed", frozenset(organisation.id for organisation in found.values()))
    call = Call(session, caller, {}, now, register, "")
    reported = 0
    for o, organisation in enumerate(seed.organisations):
        entity = found[organisation.nummer]
        path = f"/organisations[{o}]"
        reported += _report(call, "Boligorganisation", entity, organisation.versions, path)
        for a, afdeling in enumerate(organisation.afdelinger):
            afdeling_entity = _numbered(session, Afdeling, Afdeling.boligorganisation_id == entity.id, afdeling.nummer)
            reported += _report(call, "Afdeling", afdeling_entity, afdeling.versions, f"{path}/afdelinger[{a}]")
            for b, byggeafsnit in enumerate(afdeling.byggeafsnit):
                section_path = f"{path}/afdelinger[{a}]/byggeafsnit[{b}]"
                where = Byggeafsnit.afdeling_id == afdeling_entity.id
                section = _numbered(session, Byggeafsnit, where, byggeafsnit.nummer)
                reported += _report(call, "Byggeafsnit", section, byggeafsnit.versions, section_path)
                for d, bolig in enumerate(byggeafsnit.boliger):
                    reported += _bolig(call, bolig, f"{section_path}/boliger[{d}]")
    for u, user in enumerate(seed.users):
        _user(session, user, now, f"/users[{u}]")
    return f"{len(seed.organisations)} organisations, {len(rows)} dwellings, {reported} entities reported"


def _stamdata_row(
    organisation: OrganisationSeed, afdeling: AfdelingSeed, byggeafsnit: ByggeafsnitSeed, bolig: BoligSeed
) -> StamdataRow:
    return StamdataRow(
        organisation=organisation.nummer,
        organisation_name=organisation.navn,
        department=afdeling.nummer,
        department_name=afdeling.navn,
        section=byggeafsnit.nummer,
        unit=bolig.bbr_enhed_id,
        street_code=bolig.vejkode,
        street=bolig.vejnavn,
        house_number=bolig.husnummer,
        floor=bolig.etage,
        door=bolig.doer,
        postcode=bolig.postnummer,
        municipality=bolig.kommunekode,
        gross_area=bolig.bruttoareal,
        property_number=bolig.ejendomsnummer,
        use_code=bolig.anvendelseskode,
        optional_columns=frozenset(OPTIONAL_COLUMNS) - {"slettet_i_bbr"},
    )


def _numbered(session: Any, model: type, parent: Any, nummer: int) -> Any:
    """The department or building section with this number under its parent (import_stamdata made it)."""
    return session.scalar(select(model).where(parent, model.nummer == nummer))


def _bolig(call: Call, bolig: BoligSeed, path: str) -> int:
    entity = call.session.scalar(select(Bolig).where(Bolig.bbr_id == bolig.bbr_enhed_id))
    reported = _report(call, "Bolig", entity, bolig.versions, path)
    if bolig.aktiv and reported and bolig.versions:
        start = _typed(KINDS["Bolig"].fields, bolig.versions[0], f"{path}/versions[0]")["VirkningFraDatoTid"]
        unit = {"BuildingUnitUniversalIdentifier": bolig.bbr_enhed_id}
        try:
            run_operation(call, "EnhedAktiver", EnhedIdentifikationStruktur=unit, VirkningFraDatoTid=start)
        except OperationRefused as error:
            raise Refused(f"{path}/aktiv", str(error)) from None
    return reported


def _report(call: Call, kind_name: str, entity: Any, versions: list[Version], path: str) -> int:
    """Report ``versions`` as the entity's submitted edition, unless they are what it holds already (1 or 0)."""
    if not versions:
        return 0
    kind = KINDS[kind_name]
    typed = [_typed(kind.fields, version, f"{path}/versions[{n}]") for n, version in enumerate(versions)]
    held = [
        (row.effective_from, row.effective_to, row.data)
        for row in current_versions(call.session, kind.version_model, (entity.id, False))
    ]
    wanted = [
        (version["VirkningFraDatoTid"], version.get("VirkningTilDatoTid"), to_json(kind.fields, version))
        for version in typed
    ]
    if held == wanted:
        return 0
    structure = {"KladdeIndikator": False, f"{kind_name}VersionStruktur": typed}
    findings = bitemporal.ret(call.session, kind, entity, structure, now=call.now, register=call.register)
    errors = [finding for finding in findings if not finding.is_info]
    if errors:
        raise Refused(path + "/versions", "; ".join(f"{item.number} {item.text}" for item in errors))
    return 1


def _user(session: Any, user: UserSeed, now: datetime, path: str) -> None:
    found = organisations.organisations_by_number(session, user.organisations)
    missing = sorted(set(user.organisations) - {organisation.nummer for organisation in found})
    if missing:
        raise Refused(f"{path}/organisations", f"no organisations {missing}")
    stored = session.scalar(select(SoapUser).where(SoapUser.username == user.username))
    if stored is None:
        organisations.add_user(session, user.username, user.password, user.organisations, now=now)
        return
    if not verify_password(stored.password_hash, user.password):
        stored.password_hash = hash_password(user.password)
    stored.organisations = found


def _typed(fields: tuple[El, ...], values: Version, path: str) -> Version:
    """A version as the SOAP codec would have read it: each element converted to its type, unknown ones refused."""
    known = {spec.name: spec for spec in fields} | {name: El(name, "dateTime") for name in TIME_ELEMENTS}
    typed: Version = {}
    for name, value in values.items():
        spec = known.get(name)
        if spec is None:
            raise Refused(f"{path}/{name}", "not an element of this version structure")
        if value is None:
            continue
        try:
            typed[name] = (
                [_value(spec, item, f"{path}/{name}[{n}]") for n, item in enumerate(value)]
                if spec.many
                else _value(spec, value, f"{path}/{name}")
            )
        except (TypeError, ValueError, ArithmeticError) as error:
            raise Refused(f"{path}/{name}", f"not a {spec.type}: {error}") from None
    if "VirkningFraDatoTid" not in typed:
        raise Refused(f"{path}/VirkningFraDatoTid", "a version needs its effect start")
    return typed


def _value(spec: El, value: Any, path: str) -> Any:
    kind = spec.type
    if kind in STRUCTURES:
        if not isinstance(value, dict):
            raise ValueError("a structure is a mapping")
        return _typed_structure(STRUCTURES[kind], value, path)
    if kind == "string":
        return str(value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(repr(value))
        return int(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(repr(value))
        return value
    if kind == "decimal":
        return Decimal(str(value))
    if kind == "date":
        return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value))
    if kind == "dateTime":
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=DANISH_TIME)
    if kind == "uuid":
        return uuid.UUID(str(value))
    raise ValueError(f"elements of type {kind} cannot be seeded")


def _typed_structure(fields: tuple[El, ...], values: Version, path: str) -> Version:
    known = {spec.name: spec for spec in fields}
    unknown = [name for name in values if name not in known]
    if unknown:
        raise Refused(f"{path}/{unknown[0]}", "not an element of this structure")
    return {
        name: [_value(known[name], item, path) for item in value]
        if known[name].many
        else _value(known[name], value, path)
        for name, value in values.items()
        if value is not None
    }


SEED_FORMAT = SeedFormat(service="huslejeregister", model=HuslejeregisterSeed, apply=apply_seed)
