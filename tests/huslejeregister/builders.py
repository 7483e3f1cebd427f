"""Builders shared by the rent register's service-level tests: Stamdata, valid versions, expenses and leases,
and readers that reduce Hent answers to comparable tuples. Plain functions, no fixtures (conftest.py is not ours).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.db import Database
from bodata.huslejeregister import bitemporal
from bodata.huslejeregister.bitemporal import KINDS
from bodata.huslejeregister.calls import Caller, RegisterRules
from bodata.huslejeregister.models import (
    Afdeling,
    Bolig,
    Boligorganisation,
    Boligudgift,
    Byggeafsnit,
    Lejekontrakt,
)
from bodata.huslejeregister.rules import FIXED_EXPENSE_TYPES, Finding


def day(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """An aware UTC instant."""
    return datetime(year, month, day, hour, tzinfo=UTC)


# --- Stamdata ------------------------------------------------------------------------------------------------

ORG_NUMBER, OTHER_ORG_NUMBER = 1001, 2002
BOLIG_X = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000001")
BOLIG_Y = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000002")
BOLIG_Z = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000003")  # in the other organisation
BBR_AREA = Decimal("75.50")


@dataclass(frozen=True)
class World:
    """Two organisations: 1001 (Afdeling 1, Byggeafsnit 1, Bolig X and Y) and 2002 (Afdeling 1, Byggeafsnit 1,
    Bolig Z)."""

    organisation_id: uuid.UUID
    afdeling_id: uuid.UUID
    byggeafsnit_id: uuid.UUID
    bolig_x_id: uuid.UUID
    bolig_y_id: uuid.UUID
    other_organisation_id: uuid.UUID
    other_byggeafsnit_id: uuid.UUID
    bolig_z_id: uuid.UUID

    @property
    def caller(self) -> Caller:
        """A user administering organisation 1001 only."""
        return Caller("fjordbo", frozenset({self.organisation_id}))

    @property
    def other_caller(self) -> Caller:
        """A user administering organisation 2002 only."""
        return Caller("vest", frozenset({self.other_organisation_id}))


def _bolig(section: Byggeafsnit, bbr_id: uuid.UUID, door: str) -> Bolig:
    return Bolig(
        id=uuid.uuid4(),
        bbr_id=bbr_id,
        byggeafsnit_id=section.id,
        vejkode=1234,
        vejnavn="Fjordvej",
        husnummer="7",
        etage="1",
        doer=door,
        postnummer=2400,
        kommunekode=101,
        bruttoareal=BBR_AREA,
    )


def seed_world(session: Session) -> World:
    """Stamdata of the two organisations (added directly, independent of the Stamdata import)."""
    organisation = Boligorganisation(id=uuid.uuid4(), nummer=ORG_NUMBER, navn="Boligselskabet Fjordbo")
    other = Boligorganisation(id=uuid.uuid4(), nummer=OTHER_ORG_NUMBER, navn="Vestjysk Almene Boliger")
    afdeling = Afdeling(id=uuid.uuid4(), boligorganisation_id=organisation.id, nummer=1, navn="Fjordparken")
    other_afdeling = Afdeling(id=uuid.uuid4(), boligorganisation_id=other.id, nummer=1, navn="Engparken")
    section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=afdeling.id, nummer=1)
    other_section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=other_afdeling.id, nummer=1)
    x, y, z = _bolig(section, BOLIG_X, "tv"), _bolig(section, BOLIG_Y, "th"), _bolig(other_section, BOLIG_Z, "mf")
    session.add_all([organisation, other])
    session.flush()
    session.add_all([afdeling, other_afdeling])
    session.flush()
    session.add_all([section, other_section])
    session.flush()
    session.add_all([x, y, z])
    session.flush()
    return World(organisation.id, afdeling.id, section.id, x.id, y.id, other.id, other_section.id, z.id)


def make_world(database: Database) -> World:
    with database.transaction() as session:
        return seed_world(session)


# --- Identifications as a client sends them ---------------------------------------------------------------------


def organisation_ident(number: int = ORG_NUMBER) -> dict[str, Any]:
    return {"BoligorganisationIdentifikator": number}


def afdeling_ident(organisation: int = ORG_NUMBER, afdeling: int = 1) -> dict[str, Any]:
    return {
        "BoligorganisationIdentifikationStruktur": organisation_ident(organisation),
        "AfdelingIdentifikator": afdeling,
    }


def byggeafsnit_ident(organisation: int = ORG_NUMBER, afdeling: int = 1, byggeafsnit: int = 1) -> dict[str, Any]:
    return {
        "AfdelingIdentifikationStruktur": afdeling_ident(organisation, afdeling),
        "ByggeafsnitIdentifikator": byggeafsnit,
    }


def bolig_ident(bbr_id: uuid.UUID = BOLIG_X) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": bbr_id}


# --- Versions ----------------------------------------------------------------------------------------------------


def bolig_fields(**overrides: Any) -> dict[str, Any]:
    """Every field of a Bolig version that the rules need, valid (no 2022: the area is not reported)."""
    fields: dict[str, Any] = {
        "BoligLejerTypeKode": 1,
        "BoligOpvarmningsformKode": 1,
        "BoligKoekkenKunForLejerIndikator": True,
        "BoligGarageKode": 2,
        "BoligCarportKode": 2,
        "BoligIndvendigVedligeholdelseLejerKode": 1,
        "BoligUdvendigVedligeholdelseLejerKode": 1,
        "BoligBevaegelseshaemmetEgnetIndikator": False,
        "BoligKollegievaerelseIndikator": False,
        "BoligTypeKode": 3,
        "BoligAktueltIndskudBeloeb": Decimal("12000.00"),
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def pet_rules(allowed: bool = True) -> list[dict[str, Any]]:
    """Husdyr rules for all four housing types, valid."""
    if allowed:
        return [{"BoligTypeKode": code, "HusdyrTilladtIndikator": True} for code in (1, 2, 3, 4)]
    return [
        {
            "BoligTypeKode": code,
            "HusdyrTilladtIndikator": False,
            "HusdyrKatTilladtIndikator": True,
            "HusdyrHundTilladtIndikator": False,
            "HusdyrMindreDyrTilladtIndikator": True,
        }
        for code in (1, 2, 3, 4)
    ]


def byggeafsnit_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ByggeafsnitInternetforbindelseIndikator": True,
        "ByggeafsnitAntenneforeningIndikator": False,
        "ByggeafsnitPortTelefonIndikator": True,
        "ByggeafsnitVaskeriIndikator": True,
        "HusdyrStruktur": pet_rules(),
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def version(start: datetime | None, end: datetime | None = None, **fields: Any) -> dict[str, Any]:
    """A <E>VersionStruktur: the effect period and the given fields (VirkningFra left out when ``start`` is None)."""
    found: dict[str, Any] = dict(fields)
    if start is not None:
        found["VirkningFraDatoTid"] = start
    if end is not None:
        found["VirkningTilDatoTid"] = end
    return found


def heating(start: datetime | None, end: datetime | None, code: int, **overrides: Any) -> dict[str, Any]:
    """A valid Bolig version with BoligOpvarmningsformKode ``code`` (the "Heating" of huslejeregister.md §3.7)."""
    return version(start, end, **bolig_fields(BoligOpvarmningsformKode=code, **overrides))


def structure(kind: str, versions: Sequence[Mapping[str, Any]], *, draft: bool | None) -> dict[str, Any]:
    """A <E>Struktur; ``draft=None`` leaves KladdeIndikator out (the default: True)."""
    found: dict[str, Any] = {f"{kind}VersionStruktur": list(versions)}
    if draft is not None:
        found["KladdeIndikator"] = draft
    return found


# --- Expenses and leases -----------------------------------------------------------------------------------------

_STAMP = day(2016, 1, 1)


def add_expenses(
    session: Session,
    bolig_id: uuid.UUID,
    start: date,
    end: date | None = None,
    *,
    types: Iterable[int] = FIXED_EXPENSE_TYPES,
    kladde: bool = False,
) -> None:
    for typekode in types:
        session.add(
            Boligudgift(
                bolig_id=bolig_id,
                kladde=kladde,
                typekode=typekode,
                start_dato=start,
                slut_dato=end,
                data={},
                oprettet=_STAMP,
                aendret=_STAMP,
                opdateret=_STAMP,
            )
        )
    session.flush()


def add_lease(
    session: Session, bolig_id: uuid.UUID, start: date, end: date | None = None, *, kladde: bool = False
) -> None:
    session.add(
        Lejekontrakt(
            bolig_id=bolig_id,
            kladde=kladde,
            start_dato=start,
            slut_dato=end,
            data={},
            oprettet=_STAMP,
            aendret=_STAMP,
            opdateret=_STAMP,
        )
    )
    session.flush()


def make_submittable(database: Database, bolig_id: uuid.UUID, since: date = date(2016, 1, 1)) -> None:
    """All seven fixed expenses and an open lease from ``since``: what rules 2014 and 2015 ask for."""
    with database.transaction() as session:
        add_expenses(session, bolig_id, since)
        add_lease(session, bolig_id, since)


# --- Calling the service ---------------------------------------------------------------------------------------


ENTITY_MODELS = {
    "Boligorganisation": Boligorganisation,
    "Afdeling": Afdeling,
    "Byggeafsnit": Byggeafsnit,
    "Bolig": Bolig,
}


def ret(
    database: Database,
    kind: str,
    entity_id: uuid.UUID,
    versions: Sequence[Mapping[str, Any]],
    *,
    now: datetime,
    draft: bool | None = False,
    register: RegisterRules | None = None,
    save: bool = True,
) -> list[Finding]:
    """<kind>Ret (or Valider with ``save=False``) in a transaction of its own, which is committed even when the
    call reports errors: the service itself must have written nothing then."""
    with database.transaction() as session:
        entity = session.get(ENTITY_MODELS[kind], entity_id)
        return bitemporal.ret(
            session,
            KINDS[kind],
            entity,
            structure(kind, versions, draft=draft),
            now=now,
            register=register or RegisterRules(),
            save=save,
        )


def read(database: Database, kind: str, entity_id: uuid.UUID, how: str, *args: Any) -> Any:
    """Call ``bitemporal.<how>(session, kind, entity, *args)`` in a transaction."""
    with database.transaction() as session:
        entity = session.get(ENTITY_MODELS[kind], entity_id)
        return getattr(bitemporal, how)(session, KINDS[kind], entity, *args)


def numbers(findings: Iterable[Finding]) -> list[int]:
    return sorted(item.number for item in findings)


def texts(findings: Iterable[Finding]) -> set[tuple[int, str]]:
    return {(item.number, item.text) for item in findings}


def version_rows(database: Database, kind: str) -> list[tuple[Any, ...]]:
    """Every stored version row of ``kind`` (all registrations): what "nothing was written" compares."""
    model = KINDS[kind].version_model
    with database.transaction() as session:
        rows = session.scalars(select(model).order_by(model.id))
        return [
            (
                row.id,
                row.entity_id,
                row.kladde,
                row.registered_from,
                row.registered_to,
                row.effective_from,
                row.effective_to,
                row.data,
            )
            for row in rows
        ]


# --- Reading answers -----------------------------------------------------------------------------------------


def editions(answer: Sequence[Mapping[str, Any]], kind: str, field: str) -> list[tuple[bool, list[tuple]]]:
    """A Hent answer as [(KladdeIndikator, [(VF, VT, RF, RT, field value), ...]), ...]."""
    return [
        (
            edition["KladdeIndikator"],
            [
                (
                    item["VirkningFraDatoTid"],
                    item["VirkningTilDatoTid"],
                    item["RegistreringFraDatoTid"],
                    item["RegistreringTilDatoTid"],
                    item.get(field),
                )
                for item in edition[f"{kind}VersionStruktur"]
            ],
        )
        for edition in answer
    ]


def heating_editions(answer: Sequence[Mapping[str, Any]]) -> list[tuple[bool, list[tuple]]]:
    return editions(answer, "Bolig", "BoligOpvarmningsformKode")
