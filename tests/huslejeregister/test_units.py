"""Enhed / unit administration (huslejeregister.md §4.12): the status machine 0 Ny → 1 Aktiv → 2 Elimineret and
back, future-dated changes read at explicit times, deletion, swapping and moving a dwelling's data with its
expenses, leases and attachments, moving a unit between building sections, the event feed, the validations
3101-3108, authorisation and the Indstilling gate.

Service-level tests call the handlers with an explicit ``now`` on SQLite and PostgreSQL (each in a transaction
that is committed even when the call reports errors, so "nothing was written" is the handler's own doing); the
end-to-end tests call every operation with zeep over the live server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from bodata.core.db import Database
from bodata.core.temporal import replace_versions
from bodata.huslejeregister import units
from bodata.huslejeregister.api import answer
from bodata.huslejeregister.calls import Call, Caller, RegisterRules
from bodata.huslejeregister.models import (
    Bilag,
    Bolig,
    Boligorganisation,
    Boligudgift,
    BoligVersion,
    Byggeafsnit,
    ByggeafsnitEjendom,
    EnhedHaendelse,
    EnhedVersion,
    Indstilling,
    Lejekontrakt,
)
from bodata.huslejeregister.operations import HANDLERS
from bodata.huslejeregister.organisations import indstilling
from bodata.huslejeregister.rules import Finding
from bodata.huslejeregister.soap import SoapFault

from .builders import (
    BOLIG_X,
    BOLIG_Y,
    BOLIG_Z,
    ORG_NUMBER,
    OTHER_ORG_NUMBER,
    World,
    add_expenses,
    byggeafsnit_ident,
    day,
    make_world,
    organisation_ident,
)
from .conftest import HrService, org_ident, sec_ident

T = day(2024, 3, 1, 12)
ORIGIN = RegisterRules().earliest_effect
ACTIVATED, ELIMINATED_AT = T + timedelta(days=10), T + timedelta(days=20)


# --- Calling the handlers ------------------------------------------------------------------------------------------


def unit_ident(bbr_id: uuid.UUID) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": bbr_id}


def invoke(database: Database, world: World, operation: str, now: datetime = T, caller: Caller | None = None, **inp):
    """The handler of ``operation`` on ``inp`` (units named by BBR id are wrapped), committed whatever it answers."""
    for element in ("EnhedIdentifikationStruktur", "EnhedTilIdentifikationStruktur"):
        if isinstance(inp.get(element), uuid.UUID):
            inp[element] = unit_ident(inp[element])
    with database.transaction() as session:
        call = Call(session, caller or world.caller, inp, now, RegisterRules(), operation)
        return answer(HANDLERS[operation], call)


def result(output: dict[str, Any]) -> list[tuple[int, str | None]]:
    """(ResultatKode, FeltNavnTekst) of each error and info, or [] for OK."""
    answer = output["MetodeResultatStruktur"]
    return [
        (item["ResultatStruktur"]["ResultatKode"], item.get("FeltNavnTekst"))
        for item in (*answer["ValideringsfejlStruktur"], *answer["ValideringsinfoStruktur"])
    ]


def refused(database: Database, world: World, operation: str, now: datetime = T, **inp: Any) -> str:
    with pytest.raises(SoapFault) as raised:
        invoke(database, world, operation, now, **inp)
    assert raised.value.code == "soap:Client"
    return raised.value.message


def hent(database: Database, world: World, bbr_id: uuid.UUID, now: datetime = T) -> list[tuple[Any, ...]]:
    """EnhedHent as [(VF, VT, status, reason, ceased), ...]."""
    answer = invoke(database, world, "EnhedHent", now, EnhedIdentifikationStruktur=bbr_id)["EnhedStruktur"]
    assert answer["EnhedIdentifikationStruktur"] == unit_ident(bbr_id)
    return [
        (
            item["VirkningFraDatoTid"],
            item["VirkningTilDatoTid"],
            item["EnhedStatusKode"],
            item["EnhedElimineringAarsagKode"],
            item["OphoertDatoTid"],
        )
        for item in answer["EnhedVersionStruktur"]
    ]


def listed(database: Database, world: World, now: datetime = T, status: int | None = None) -> dict[uuid.UUID, int]:
    inp: dict[str, Any] = {"BoligorganisationIdentifikationStruktur": organisation_ident()}
    if status is not None:
        inp["EnhedStatusKode"] = status
    answer = invoke(database, world, "EnhedList", now, **inp)["EnhedStruktur"]
    return {
        item["EnhedIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"]: item["EnhedVersionStruktur"][0][
            "EnhedStatusKode"
        ]
        for item in answer
    }


def feed(database: Database, world: World, after: int = 0) -> list[tuple[int, uuid.UUID, uuid.UUID | None]]:
    answer = invoke(
        database,
        world,
        "EnhedHaendelser",
        BoligorganisationIdentifikationStruktur=organisation_ident(),
        EnhedHaendelseNummer=after,
    )["EnhedHaendelseStruktur"]
    numbers = [item["EnhedHaendelseNummer"] for item in answer]
    assert numbers == sorted(numbers)
    assert all(number > after for number in numbers)
    return [
        (
            item["EnhedHaendelseTypeKode"],
            item["EnhedIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"],
            (item["EnhedTilIdentifikationStruktur"] or {}).get("BuildingUnitUniversalIdentifier"),
        )
        for item in answer
    ]


def stored(database: Database) -> list[tuple[Any, ...]]:
    """Every row of the tables unit administration writes: equal before and after means nothing was written."""
    with database.transaction() as session:
        found: list[tuple[Any, ...]] = []
        for model in (EnhedVersion, BoligVersion, EnhedHaendelse):
            found += [tuple(sorted(vars(row).items(), key=str))[1:] for row in session.scalars(select(model))]
        found += [(row.id, row.bolig_id) for row in session.scalars(select(Boligudgift))]
        found += [(row.id, row.bolig_id) for row in session.scalars(select(Lejekontrakt))]
        found += [(row.id, row.bolig_id, row.nummer) for row in session.scalars(select(Bilag))]
        found += [(row.id, row.byggeafsnit_id) for row in session.scalars(select(Bolig))]
        return sorted(map(str, found))


# --- Building data -----------------------------------------------------------------------------------------------

_STAMP = day(2016, 1, 1)


@pytest.fixture
def world(database: Database) -> World:
    return make_world(database)


def add_unit(database: Database, section_id: uuid.UUID, door: str, **columns: Any) -> uuid.UUID:
    bbr_id = uuid.uuid4()
    with database.transaction() as session:
        session.add(
            Bolig(
                bbr_id=bbr_id,
                byggeafsnit_id=section_id,
                vejkode=1234,
                vejnavn="Fjordvej",
                husnummer="9",
                etage="2",
                doer=door,
                postnummer=2400,
                kommunekode=101,
                **columns,
            )
        )
    return bbr_id


def bolig_id(database: Database, bbr_id: uuid.UUID) -> uuid.UUID:
    with database.transaction() as session:
        return session.scalar(select(Bolig.id).where(Bolig.bbr_id == bbr_id))


def lease(database: Database, bbr_id: uuid.UUID, start: date, **data: Any) -> uuid.UUID:
    with database.transaction() as session:
        row = Lejekontrakt(
            bolig_id=bolig_id(database, bbr_id),
            kladde=False,
            start_dato=start,
            data=data,
            oprettet=_STAMP,
            aendret=_STAMP,
            opdateret=_STAMP,
        )
        session.add(row)
        session.flush()
        return row.id


def report(database: Database, bbr_id: uuid.UUID, heating: int, *, draft: bool = False) -> None:
    """A Bolig version from 2020 marked by its heating code (the data a swap or move carries)."""
    with database.transaction() as session:
        replace_versions(
            session,
            BoligVersion,
            (bolig_id(database, bbr_id), draft),
            [{"effective_from": day(2020, 1, 1), "data": {"BoligOpvarmningsformKode": heating}}],
            T - timedelta(days=30),
        )


def reported(database: Database, bbr_id: uuid.UUID) -> dict[bool, list[int]]:
    with database.transaction() as session:
        rows = session.scalars(
            select(BoligVersion).where(
                BoligVersion.entity_id == bolig_id(database, bbr_id), BoligVersion.registered_to.is_(None)
            )
        )
        found: dict[bool, list[int]] = {}
        for row in rows:
            found.setdefault(row.kladde, []).append(row.data["BoligOpvarmningsformKode"])
        return found


def attach(database: Database, bbr_id: uuid.UUID, number: int, name: str) -> None:
    with database.transaction() as session:
        session.add(
            Bilag(
                bolig_id=bolig_id(database, bbr_id),
                nummer=number,
                typekode=5000,
                navn=name,
                mimetype="application/pdf",
                indhold=b"%PDF",
                oprettet=_STAMP,
                aendret=_STAMP,
            )
        )


def belongings(database: Database, bbr_id: uuid.UUID) -> tuple[int, int, list[tuple[int, str]]]:
    """(expenses, leases, [(Bilag number, name)]) of a unit."""
    with database.transaction() as session:
        own = bolig_id(database, bbr_id)
        expenses = len(list(session.scalars(select(Boligudgift).where(Boligudgift.bolig_id == own))))
        leases = len(list(session.scalars(select(Lejekontrakt).where(Lejekontrakt.bolig_id == own))))
        attachments = sorted(
            (row.nummer, row.navn) for row in session.scalars(select(Bilag).where(Bilag.bolig_id == own))
        )
        return expenses, leases, attachments


def activate(database: Database, world: World, *bbr_ids: uuid.UUID, at: datetime = T) -> None:
    for bbr_id in bbr_ids:
        assert result(invoke(database, world, "EnhedAktiver", at, EnhedIdentifikationStruktur=bbr_id)) == []


def eliminate(database: Database, world: World, bbr_id: uuid.UUID, reason: int | None = 4, **times: Any) -> Any:
    inp: dict[str, Any] = {"EnhedIdentifikationStruktur": bbr_id, **times}
    if reason is not None:
        inp["EnhedElimineringAarsagKode"] = reason
    return result(invoke(database, world, "EnhedEliminer", T, **inp))


# --- The rules of one status version -----------------------------------------------------------------------------


def test_3101_3102_3103_on_a_status_version() -> None:
    def check(**data: Any) -> list[int]:
        return [item.number for item in units.check_status(data)]

    assert check(EnhedStatusKode=3) == [3101]
    assert check(EnhedStatusKode=2) == [3102]
    assert check(EnhedStatusKode=2, EnhedElimineringAarsagKode=16) == [3102]
    assert check(EnhedStatusKode=1, EnhedElimineringAarsagKode=4) == [3103]
    assert check(EnhedStatusKode=0, EnhedElimineringAarsagKode=4) == [3103]
    assert all(check(EnhedStatusKode=2, EnhedElimineringAarsagKode=code) == [] for code in (*range(1, 16), 99))
    assert check(EnhedStatusKode=0) == check(EnhedStatusKode=1) == []
    [item] = units.check_status({"EnhedStatusKode": 3})
    assert item.text == "AlmenboligenhedVersion.Status skal have værdien 0, 1 eller 2"
    assert Finding(3101, item.text, "Enhed", "EnhedStatusKode") == item


# --- The status machine ------------------------------------------------------------------------------------------


def test_a_unit_without_status_versions_is_new_since_it_was_created(database: Database, world: World) -> None:
    created = day(2023, 5, 1)
    fresh = add_unit(database, world.byggeafsnit_id, "mf", oprettet=created, ejendomsnummer="4711", anvendelseskode=140)
    assert hent(database, world, BOLIG_X) == [(ORIGIN, None, 0, None, None)]  # imported before oprettet was kept
    assert hent(database, world, fresh) == [(created, None, 0, None, None)]
    answer = invoke(database, world, "EnhedHent", EnhedIdentifikationStruktur=fresh)["EnhedStruktur"]
    [version] = answer["EnhedVersionStruktur"]
    assert version["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitIdentifikator"] == 1
    assert (version["Streetcode"], version["Streetname"], version["StreetBuildingIdentifier"]) == (
        1234,
        "Fjordvej",
        "9",
    )
    assert (version["FloorIdentifier"], version["SuiteIdentifier"], version["PostCodeIdentifier"]) == ("2", "mf", 2400)
    assert (version["MunicipalityCode"], version["MunicipalRealPropertyIdentifier"]) == (101, "4711")
    assert (version["OprettetDatoTid"], version["EnhedSlettetIBBRDatoTid"], version["RegistreringFraDatoTid"]) == (
        created,
        None,
        created,
    )
    assert version["EnhedEjendomsnummerDifferenceIndikator"] is True  # no property numbers on the section
    assert version["EnhedAnvendelseKode"] == 140
    assert version["EnhedHarVersionerIndikator"] is False
    assert version["LejekontraktIdentifikator"] is None
    assert version["LejekontraktTomgangsledigIdentifikator"] is None
    with database.transaction() as session:
        session.add(ByggeafsnitEjendom(byggeafsnit_id=world.byggeafsnit_id, ejendomsnummer="4711"))
    lease(database, fresh, date(2020, 1, 1), LejekontraktIdentifikator="L-17", LejekontraktTomgangsledigIndikator=True)
    report(database, fresh, 1, draft=True)
    [version] = invoke(database, world, "EnhedHent", EnhedIdentifikationStruktur=fresh)["EnhedStruktur"][
        "EnhedVersionStruktur"
    ]
    assert version["EnhedEjendomsnummerDifferenceIndikator"] is False
    assert (version["LejekontraktIdentifikator"], version["LejekontraktTomgangsledigIdentifikator"]) == ("L-17", True)
    assert version["EnhedHarVersionerIndikator"] is True


def test_future_activation_and_elimination_take_effect_at_their_times(database: Database, world: World) -> None:
    assert (
        result(
            invoke(database, world, "EnhedAktiver", EnhedIdentifikationStruktur=BOLIG_X, VirkningFraDatoTid=ACTIVATED)
        )
        == []
    )
    assert hent(database, world, BOLIG_X) == [(ORIGIN, ACTIVATED, 0, None, None), (ACTIVATED, None, 1, None, None)]
    assert listed(database, world) == {BOLIG_X: 0, BOLIG_Y: 0}
    assert listed(database, world, status=1) == {}
    assert listed(database, world, ACTIVATED, status=1) == {BOLIG_X: 1}
    assert eliminate(database, world, BOLIG_X, 12, VirkningFraDatoTid=ELIMINATED_AT) == []
    assert hent(database, world, BOLIG_X) == [
        (ORIGIN, ACTIVATED, 0, None, None),
        (ACTIVATED, ELIMINATED_AT, 1, None, None),
        (ELIMINATED_AT, None, 2, 12, None),
    ]
    assert listed(database, world, ACTIVATED + timedelta(days=1)) == {BOLIG_X: 1, BOLIG_Y: 0}
    assert listed(database, world, ELIMINATED_AT, status=2) == {BOLIG_X: 2}
    later = ELIMINATED_AT + timedelta(days=5)
    assert result(invoke(database, world, "EnhedGenaktiver", later, EnhedIdentifikationStruktur=BOLIG_X)) == []
    assert [row[2:4] for row in hent(database, world, BOLIG_X, later)] == [(0, None), (1, None), (2, 12), (1, None)]
    assert listed(database, world, later, status=1) == {BOLIG_X: 1}
    assert feed(database, world) == [(1, BOLIG_X, None)] * 3
    # the history of the status is bitemporal: the first registration is still there, closed
    with database.transaction() as session:
        rows = list(session.scalars(select(EnhedVersion).where(EnhedVersion.registered_to.is_not(None))))
        assert rows
        assert all(not row.kladde for row in rows)


def test_activation_in_the_past_and_elimination_of_a_new_unit(database: Database, world: World) -> None:
    past = day(2021, 1, 1)
    activate(database, world, BOLIG_X, at=T)
    assert (
        result(invoke(database, world, "EnhedAktiver", EnhedIdentifikationStruktur=BOLIG_Y, VirkningFraDatoTid=past))
        == []
    )
    assert hent(database, world, BOLIG_Y) == [(ORIGIN, past, 0, None, None), (past, None, 1, None, None)]
    assert hent(database, world, BOLIG_X) == [(ORIGIN, T, 0, None, None), (T, None, 1, None, None)]
    fresh = add_unit(database, world.byggeafsnit_id, "mf")
    assert eliminate(database, world, fresh, 99) == []  # D18: from Ny too
    assert hent(database, world, fresh)[-1] == (T, None, 2, 99, None)


def test_refused_transitions_are_faults_and_write_nothing(database: Database, world: World) -> None:
    activate(database, world, BOLIG_X)
    before = stored(database)
    assert "kun aktiveres fra status 0 (Ny)" in refused(
        database, world, "EnhedAktiver", EnhedIdentifikationStruktur=BOLIG_X
    )
    assert "status er 0 (Ny)" in refused(database, world, "EnhedGenaktiver", EnhedIdentifikationStruktur=BOLIG_Y)
    assert "status er 1 (Aktiv)" in refused(database, world, "EnhedGenaktiver", EnhedIdentifikationStruktur=BOLIG_X)
    assert eliminate(database, world, BOLIG_X, None) == [(3102, "EnhedElimineringAarsagKode")]
    assert eliminate(database, world, BOLIG_X, 16) == [(3102, "EnhedElimineringAarsagKode")]
    assert eliminate(database, world, BOLIG_X, 4, VirkningFraDatoTid=day(1800, 1, 1)) == [(5003, "VirkningFraDatoTid")]
    assert stored(database) == before
    assert eliminate(database, world, BOLIG_X, 4) == []
    message = refused(
        database, world, "EnhedEliminer", EnhedIdentifikationStruktur=BOLIG_X, EnhedElimineringAarsagKode=5
    )
    assert "allerede elimineret" in message
    assert "kun aktiveres" in refused(database, world, "EnhedAktiver", EnhedIdentifikationStruktur=BOLIG_X)


def test_aktiver_never_ends_an_elimination(database: Database, world: World) -> None:
    """§2.13: Aktiver moves 0 Ny to 1 Aktiv only; an elimination after its VirkningFra, in force or planned,
    stays until Genaktiver ends it."""
    assert eliminate(database, world, BOLIG_X, 4, VirkningFraDatoTid=day(2024, 1, 1)) == []
    assert eliminate(database, world, BOLIG_Y, 4, VirkningFraDatoTid=ELIMINATED_AT) == []  # planned
    before = stored(database)
    for bbr_id, eliminated_from in ((BOLIG_X, day(2024, 1, 1)), (BOLIG_Y, ELIMINATED_AT)):
        message = refused(
            database, world, "EnhedAktiver", EnhedIdentifikationStruktur=bbr_id, VirkningFraDatoTid=day(2023, 6, 1)
        )
        assert f"kun aktiveres fra status 0 (Ny); dens status på {units._shown(eliminated_from)} er 2" in message
    assert stored(database) == before
    assert hent(database, world, BOLIG_X) == [
        (ORIGIN, day(2024, 1, 1), 0, None, None),
        (day(2024, 1, 1), None, 2, 4, None),
    ]
    assert result(invoke(database, world, "EnhedGenaktiver", EnhedIdentifikationStruktur=BOLIG_X)) == []


def test_a_change_replacing_a_planned_one_gives_5005(database: Database, world: World) -> None:
    assert (
        result(
            invoke(database, world, "EnhedAktiver", EnhedIdentifikationStruktur=BOLIG_X, VirkningFraDatoTid=ACTIVATED)
        )
        == []
    )
    assert eliminate(database, world, BOLIG_X, 4) == [(5005, "VirkningFraDatoTid")]  # saved all the same
    assert hent(database, world, BOLIG_X) == [(ORIGIN, T, 0, None, None), (T, None, 2, 4, None)]


def test_3107_a_running_tenancy_blocks_elimination_and_deletion(database: Database, world: World) -> None:
    lease(database, BOLIG_X, date(2022, 1, 1), AnvisningstypeKode=1)
    lease(database, BOLIG_Y, date(2022, 1, 1), AnvisningstypeKode=10)
    with database.transaction() as session:
        session.get(Bolig, world.bolig_x_id).slettet_i_bbr = T - timedelta(days=1)
    before = stored(database)
    assert eliminate(database, world, BOLIG_X) == [(3107, "LejekontraktIdentifikator")]
    slet = invoke(database, world, "EnhedSlet", EnhedIdentifikationStruktur=BOLIG_X)
    assert result(slet) == [(3107, "LejekontraktIdentifikator")]
    [error] = slet["MetodeResultatStruktur"]["ValideringsfejlStruktur"]
    assert error["ResultatStruktur"]["ResultatTekst"] == (
        "Den aktuelle lejekontrakt er ikke tomgangsledig eller har anvisningstype 10: Ingen Lejer"
    )
    assert (error["EntitetNavnTekst"], error["EntitetReference"]) == ("Enhed", str(BOLIG_X))
    assert stored(database) == before
    assert eliminate(database, world, BOLIG_Y) == []  # type 10: Ingen lejer
    vacant = add_unit(database, world.byggeafsnit_id, "mf")
    lease(database, vacant, date(2022, 1, 1), AnvisningstypeKode=1, LejekontraktTomgangsledigIndikator=True)
    assert eliminate(database, world, vacant) == []
    ended = add_unit(database, world.byggeafsnit_id, "mf")
    with database.transaction() as session:
        session.add(
            Lejekontrakt(
                bolig_id=bolig_id(database, ended),
                kladde=False,
                start_dato=date(2020, 1, 1),
                slut_dato=date(2023, 1, 1),
                data={"AnvisningstypeKode": 1},
                oprettet=_STAMP,
                aendret=_STAMP,
                opdateret=_STAMP,
            )
        )
    assert eliminate(database, world, ended) == []  # the tenancy has ended
    # eliminating from a date before the tenancy starts is allowed
    tenant_later = add_unit(database, world.byggeafsnit_id, "mf")
    lease(database, tenant_later, date(2025, 1, 1), AnvisningstypeKode=1)
    assert eliminate(database, world, tenant_later) == []


def test_slet_needs_the_unit_deleted_in_bbr_and_keeps_its_history(database: Database, world: World) -> None:
    activate(database, world, BOLIG_X, at=day(2023, 1, 1))
    before = stored(database)
    assert "ikke slettet i BBR" in refused(database, world, "EnhedSlet", EnhedIdentifikationStruktur=BOLIG_X)
    with database.transaction() as session:
        session.get(Bolig, world.bolig_x_id).slettet_i_bbr = T + timedelta(days=1)  # not yet
    assert "ikke slettet i BBR" in refused(database, world, "EnhedSlet", EnhedIdentifikationStruktur=BOLIG_X)
    assert stored(database) == before
    with database.transaction() as session:
        session.get(Bolig, world.bolig_x_id).slettet_i_bbr = day(2024, 2, 1)
    assert result(invoke(database, world, "EnhedSlet", EnhedIdentifikationStruktur=BOLIG_X)) == []
    assert hent(database, world, BOLIG_X) == [(ORIGIN, day(2023, 1, 1), 0, None, T), (day(2023, 1, 1), T, 1, None, T)]
    answer = invoke(database, world, "EnhedHent", EnhedIdentifikationStruktur=BOLIG_X)["EnhedStruktur"]
    assert answer["EnhedVersionStruktur"][0]["EnhedSlettetIBBRDatoTid"] == day(2024, 2, 1)
    assert listed(database, world) == {BOLIG_Y: 0}
    for operation in ("EnhedAktiver", "EnhedGenaktiver", "EnhedSlet"):
        assert "slettet i Huslejeregisteret" in refused(database, world, operation, EnhedIdentifikationStruktur=BOLIG_X)
    assert feed(database, world) == [(1, BOLIG_X, None), (2, BOLIG_X, None)]


# --- Two units -------------------------------------------------------------------------------------------------------


def test_byt_bolig_swaps_versions_expenses_leases_and_attachments(database: Database, world: World) -> None:
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2019, 1, 1))
    lease(database, BOLIG_X, date(2022, 1, 1), AnvisningstypeKode=1)
    report(database, BOLIG_X, 1)
    report(database, BOLIG_X, 3, draft=True)
    report(database, BOLIG_Y, 2)
    attach(database, BOLIG_X, 1, "x.pdf")
    attach(database, BOLIG_Y, 1, "y.pdf")
    activate(database, world, BOLIG_X)
    before = stored(database)
    assert result(
        invoke(
            database,
            world,
            "EnhedBytBolig",
            EnhedIdentifikationStruktur=BOLIG_X,
            EnhedTilIdentifikationStruktur=BOLIG_Y,
        )
    ) == [(3105, "EnhedStatusKode")]
    assert stored(database) == before
    activate(database, world, BOLIG_Y)
    assert (
        result(
            invoke(
                database,
                world,
                "EnhedBytBolig",
                EnhedIdentifikationStruktur=BOLIG_X,
                EnhedTilIdentifikationStruktur=BOLIG_Y,
            )
        )
        == []
    )
    assert reported(database, BOLIG_X) == {False: [2]}
    assert reported(database, BOLIG_Y) == {False: [1], True: [3]}
    assert belongings(database, BOLIG_X) == (0, 0, [(1, "y.pdf")])
    assert belongings(database, BOLIG_Y) == (7, 1, [(1, "x.pdf")])
    assert listed(database, world) == {BOLIG_X: 1, BOLIG_Y: 1}  # statuses stay
    assert feed(database, world)[-1] == (4, BOLIG_X, BOLIG_Y)


def test_flyt_bolig_moves_the_data_activates_the_target_and_deletes_the_source(
    database: Database, world: World
) -> None:
    target = add_unit(database, world.byggeafsnit_id, "mf", oprettet=day(2024, 1, 1))
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2019, 1, 1))
    lease(database, BOLIG_X, date(2022, 1, 1), AnvisningstypeKode=1)
    attach(database, BOLIG_X, 1, "plan.pdf")
    attach(database, BOLIG_X, 2, "foto.jpg")
    attach(database, target, 1, "target.pdf")
    activate(database, world, BOLIG_X, at=day(2023, 1, 1))
    move = {"EnhedIdentifikationStruktur": BOLIG_X, "EnhedTilIdentifikationStruktur": target}
    before = stored(database)
    assert result(invoke(database, world, "EnhedFlytBolig", **move)) == [(3108, None)]  # nothing reported yet
    report(database, BOLIG_X, 1)
    report(database, BOLIG_X, 4, draft=True)
    before = stored(database)
    wrong_way = {"EnhedIdentifikationStruktur": target, "EnhedTilIdentifikationStruktur": BOLIG_X}
    assert result(invoke(database, world, "EnhedFlytBolig", **wrong_way)) == [(3104, "EnhedStatusKode")]
    activate(database, world, BOLIG_Y)
    to_active = {"EnhedIdentifikationStruktur": BOLIG_X, "EnhedTilIdentifikationStruktur": BOLIG_Y}
    assert result(invoke(database, world, "EnhedFlytBolig", **to_active)) == [(3104, "EnhedStatusKode")]
    before = stored(database)
    assert result(invoke(database, world, "EnhedFlytBolig", **move)) == []
    assert reported(database, BOLIG_X) == {}
    assert reported(database, target) == {False: [1], True: [4]}
    assert belongings(database, BOLIG_X) == (0, 0, [])
    assert belongings(database, target) == (7, 1, [(1, "target.pdf"), (2, "plan.pdf"), (3, "foto.jpg")])
    assert hent(database, world, target) == [(day(2024, 1, 1), T, 0, None, None), (T, None, 1, None, None)]
    assert hent(database, world, BOLIG_X)[-1] == (day(2023, 1, 1), T, 1, None, T)
    assert listed(database, world) == {BOLIG_Y: 1, target: 1}
    assert feed(database, world)[-1] == (3, BOLIG_X, target)
    # the deleted source's Bolig history stays readable (§2.1.5): as registered before the move, and after it
    historic = {"BoligIdentifikationStruktur": unit_ident(BOLIG_X), "RegistreringstidDatoTid": T - timedelta(days=1)}
    editions = invoke(database, world, "BoligHentHistorisk", **historic)["BoligStruktur"]
    assert [[v["BoligOpvarmningsformKode"] for v in e["BoligVersionStruktur"]] for e in editions] == [[1], [4]]
    historic["RegistreringstidDatoTid"] = T + timedelta(seconds=1)
    editions = invoke(database, world, "BoligHentHistorisk", **historic)["BoligStruktur"]
    assert [e["BoligVersionStruktur"] for e in editions] == [[]]
    assert stored(database) != before


def test_flyt_bolig_to_an_eliminated_unit_and_targets_with_leases(database: Database, world: World) -> None:
    target = add_unit(database, world.byggeafsnit_id, "mf")
    occupied = add_unit(database, world.byggeafsnit_id, "mf")
    lease(database, occupied, date(2020, 1, 1), AnvisningstypeKode=10)
    activate(database, world, BOLIG_X)
    report(database, BOLIG_X, 2)
    assert eliminate(database, world, target, 13) == []
    assert "har allerede boligudgifter eller lejekontrakter" in refused(
        database, world, "EnhedFlytBolig", EnhedIdentifikationStruktur=BOLIG_X, EnhedTilIdentifikationStruktur=occupied
    )
    later = T + timedelta(hours=1)
    output = invoke(
        database,
        world,
        "EnhedFlytBolig",
        later,
        EnhedIdentifikationStruktur=BOLIG_X,
        EnhedTilIdentifikationStruktur=target,
    )
    assert result(output) == []
    assert [row[2:4] for row in hent(database, world, target, later)] == [(0, None), (2, 13), (1, None)]


def test_two_units_must_differ_and_share_an_organisation(database: Database, world: World) -> None:
    both = Caller("begge", frozenset({world.organisation_id, world.other_organisation_id}))
    for operation in ("EnhedBytBolig", "EnhedFlytBolig"):
        with pytest.raises(SoapFault, match="samme boligorganisation"):
            invoke(
                database,
                world,
                operation,
                T,
                both,
                EnhedIdentifikationStruktur=BOLIG_X,
                EnhedTilIdentifikationStruktur=BOLIG_Z,
            )
        with pytest.raises(SoapFault, match="samme enhed"):
            invoke(
                database, world, operation, EnhedIdentifikationStruktur=BOLIG_X, EnhedTilIdentifikationStruktur=BOLIG_X
            )
        with pytest.raises(SoapFault, match="findes ikke eller administreres ikke"):
            invoke(
                database, world, operation, EnhedIdentifikationStruktur=BOLIG_X, EnhedTilIdentifikationStruktur=BOLIG_Z
            )


def test_flyt_byggeafsnit_needs_the_property_number_on_the_section(database: Database, world: World) -> None:
    with database.transaction() as session:
        section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=world.afdeling_id, nummer=2)
        session.add(section)
        session.flush()
        session.add(ByggeafsnitEjendom(byggeafsnit_id=section.id, ejendomsnummer="4711"))
        session.get(Bolig, world.bolig_x_id).ejendomsnummer = "4711"
        session.get(Bolig, world.bolig_y_id).ejendomsnummer = "0815"
    before = stored(database)
    move = {"ByggeafsnitIdentifikationStruktur": byggeafsnit_ident(byggeafsnit=2)}
    assert result(invoke(database, world, "EnhedFlytByggeafsnit", EnhedIdentifikationStruktur=BOLIG_Y, **move)) == [
        (3106, "ByggeafsnitIdentifikationStruktur")
    ]
    assert stored(database) == before
    assert "findes ikke" in refused(
        database,
        world,
        "EnhedFlytByggeafsnit",
        EnhedIdentifikationStruktur=BOLIG_X,
        ByggeafsnitIdentifikationStruktur=byggeafsnit_ident(OTHER_ORG_NUMBER),
    )
    assert result(invoke(database, world, "EnhedFlytByggeafsnit", EnhedIdentifikationStruktur=BOLIG_X, **move)) == []
    answer = invoke(database, world, "EnhedHent", EnhedIdentifikationStruktur=BOLIG_X)["EnhedStruktur"]
    [version] = answer["EnhedVersionStruktur"]
    assert version["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitIdentifikator"] == 2
    assert version["EnhedEjendomsnummerDifferenceIndikator"] is False
    assert feed(database, world) == [(5, BOLIG_X, None)]
    assert result(invoke(database, world, "EnhedFlytByggeafsnit", EnhedIdentifikationStruktur=BOLIG_X, **move)) == []
    assert len(feed(database, world)) == 1  # already there: no event


# --- The feed, authorisation, the gate --------------------------------------------------------------------------


def test_the_event_feed_is_per_organisation_ascending_and_paged(
    database: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    activate(database, world, BOLIG_X, BOLIG_Y)
    assert eliminate(database, world, BOLIG_X) == []
    invoke(database, world, "EnhedAktiver", T, world.other_caller, EnhedIdentifikationStruktur=BOLIG_Z)
    everything = feed(database, world)
    assert everything == [(1, BOLIG_X, None), (1, BOLIG_Y, None), (1, BOLIG_X, None)]
    with database.transaction() as session:
        numbers = list(session.scalars(select(EnhedHaendelse.nummer).order_by(EnhedHaendelse.nummer)))
    assert feed(database, world, numbers[0]) == everything[1:]
    assert feed(database, world, numbers[-1]) == []
    monkeypatch.setattr(units, "EVENT_PAGE", 2)
    assert feed(database, world) == everything[:2]
    other = invoke(
        database,
        world,
        "EnhedHaendelser",
        T,
        world.other_caller,
        BoligorganisationIdentifikationStruktur=organisation_ident(OTHER_ORG_NUMBER),
        EnhedHaendelseNummer=0,
    )["EnhedHaendelseStruktur"]
    assert [item["EnhedIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] for item in other] == [BOLIG_Z]
    assert other[0]["EnhedHaendelseDatoTid"] == T
    assert other[0]["EnhedTilIdentifikationStruktur"] is None


def test_other_organisations_units_are_not_found(database: Database, world: World) -> None:
    for operation in ("EnhedHent", "EnhedAktiver", "EnhedGenaktiver", "EnhedEliminer", "EnhedSlet"):
        message = refused(database, world, operation, EnhedIdentifikationStruktur=BOLIG_Z)
        assert message == f"Enhed {BOLIG_Z} findes ikke eller administreres ikke af brugeren"
        unknown = uuid.uuid4()
        assert refused(database, world, operation, EnhedIdentifikationStruktur=unknown) == message.replace(
            str(BOLIG_Z), str(unknown)
        )
    for operation in ("EnhedList", "EnhedHaendelser"):
        with pytest.raises(SoapFault, match="findes ikke"):
            invoke(
                database,
                world,
                operation,
                BoligorganisationIdentifikationStruktur=organisation_ident(OTHER_ORG_NUMBER),
                EnhedHaendelseNummer=0,
            )


def test_3101_on_the_list_filter(database: Database, world: World) -> None:
    message = refused(
        database, world, "EnhedList", BoligorganisationIdentifikationStruktur=organisation_ident(), EnhedStatusKode=3
    )
    assert message == "3101: AlmenboligenhedVersion.Status skal have værdien 0, 1 eller 2"


def test_every_method_needs_unit_administration_on(database: Database, world: World) -> None:
    with database.transaction() as session:
        indstilling(
            session, session.get(Boligorganisation, world.organisation_id), T
        ).enhedsadministration_aktiv = False
    before = stored(database)
    unit_input = {"EnhedIdentifikationStruktur": BOLIG_X, "EnhedTilIdentifikationStruktur": BOLIG_Y}
    calls = {
        "EnhedHent": unit_input,
        "EnhedAktiver": unit_input,
        "EnhedEliminer": {**unit_input, "EnhedElimineringAarsagKode": 4},
        "EnhedGenaktiver": unit_input,
        "EnhedSlet": unit_input,
        "EnhedBytBolig": unit_input,
        "EnhedFlytBolig": unit_input,
        "EnhedFlytByggeafsnit": {**unit_input, "ByggeafsnitIdentifikationStruktur": byggeafsnit_ident()},
        "EnhedList": {"BoligorganisationIdentifikationStruktur": organisation_ident()},
        "EnhedHaendelser": {"BoligorganisationIdentifikationStruktur": organisation_ident(), "EnhedHaendelseNummer": 0},
    }
    assert set(calls) == set(units.HANDLERS)
    for operation, inp in calls.items():
        message = refused(database, world, operation, **inp)
        assert message == (
            f"Enhedsadministration er ikke aktiv for boligorganisation {ORG_NUMBER} "
            "(IndstillingEnhedsadministrationAktivIndikator er false)"
        )
    assert stored(database) == before
    with database.transaction() as session:
        assert session.get(Indstilling, world.other_organisation_id) is None
    other = invoke(database, world, "EnhedHent", T, world.other_caller, EnhedIdentifikationStruktur=BOLIG_Z)
    assert other["EnhedStruktur"]["EnhedVersionStruktur"][0]["EnhedStatusKode"] == 0


# --- End to end ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def e2e(hr_module_service: HrService) -> Iterator[HrService]:
    """The module's live server, with a building section 501-1-3 carrying property number 9001."""
    with hr_module_service.database.transaction() as session:
        section_of = session.get(Bolig, _bolig_id(session, hr_module_service.register.unit(501, 1, 1, 1).bbr_id))
        afdeling = section_of.byggeafsnit.afdeling_id
        section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=afdeling, nummer=3)
        session.add(section)
        session.flush()
        session.add(ByggeafsnitEjendom(byggeafsnit_id=section.id, ejendomsnummer="9001"))
    return hr_module_service


def _bolig_id(session: Any, bbr_id: uuid.UUID) -> uuid.UUID:
    return session.scalar(select(Bolig.id).where(Bolig.bbr_id == bbr_id))


def e2e_unit(service: HrService, **columns: Any) -> uuid.UUID:
    """A fresh unit in section 501-1-1 (the module's tests share the server)."""
    with service.database.transaction() as session:
        section = session.get(Bolig, _bolig_id(session, service.register.unit(501, 1, 1, 1).bbr_id)).byggeafsnit_id
        bbr_id = uuid.uuid4()
        session.add(
            Bolig(
                bbr_id=bbr_id,
                byggeafsnit_id=section,
                vejkode=1011,
                vejnavn="Fjordparkenvej",
                husnummer="99",
                postnummer=2400,
                kommunekode=101,
                oprettet=datetime.now(UTC),
                **columns,
            )
        )
    return bbr_id


def ok(answer: Any) -> None:
    assert answer.ResultatStruktur.ResultatTypeKode == 0, answer


def codes(answer: Any) -> list[int]:
    return [item.ResultatStruktur.ResultatKode for item in answer.ValideringsfejlStruktur]


def zident(bbr_id: uuid.UUID) -> dict[str, str]:
    return {"BuildingUnitUniversalIdentifier": str(bbr_id)}


def test_e2e_every_operation(e2e: HrService) -> None:
    client = e2e.client("alice")
    first, second = e2e_unit(e2e, ejendomsnummer="9001", anvendelseskode=140), e2e_unit(e2e)
    checked = len(e2e.check.outputs)
    known = client.service.EnhedHaendelser(org_ident(501), 0) or []
    last = max((item.EnhedHaendelseNummer for item in known), default=0)

    ok(client.service.EnhedAktiver(zident(first)))
    ok(client.service.EnhedAktiver(zident(second), datetime.now(UTC) - timedelta(days=1)))
    ok(client.service.EnhedBytBolig(zident(first), zident(second)))
    ok(client.service.EnhedFlytByggeafsnit(zident(first), sec_ident(501, 1, 3)))
    ok(client.service.EnhedEliminer(zident(second), None, 11))
    ok(client.service.EnhedGenaktiver(zident(second)))
    moved_to = e2e_unit(e2e)
    answer = client.service.EnhedFlytBolig(zident(second), zident(moved_to))
    assert codes(answer) == [3108]  # nothing reported on it
    deleted = e2e_unit(e2e, slettet_i_bbr=datetime.now(UTC) - timedelta(days=3))
    ok(client.service.EnhedSlet(zident(deleted)))

    hentet = client.service.EnhedHent(zident(first))
    assert hentet.EnhedIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(first)
    current = hentet.EnhedVersionStruktur[-1]
    assert (current.EnhedStatusKode, current.MunicipalRealPropertyIdentifier, current.EnhedAnvendelseKode) == (
        1,
        "9001",
        140,
    )
    assert current.ByggeafsnitIdentifikationStruktur.ByggeafsnitIdentifikator == 3
    assert (current.Streetcode, current.Streetname, current.PostCodeIdentifier) == (1011, "Fjordparkenvej", 2400)
    assert current.EnhedEjendomsnummerDifferenceIndikator is False
    assert current.OprettetDatoTid is not None
    assert current.OphoertDatoTid is None
    deleted_versions = client.service.EnhedHent(zident(deleted)).EnhedVersionStruktur
    assert deleted_versions[-1].OphoertDatoTid is not None
    assert deleted_versions[-1].EnhedSlettetIBBRDatoTid is not None

    listed_units = client.service.EnhedList(org_ident(501), 1)
    ids = {item.EnhedIdentifikationStruktur.BuildingUnitUniversalIdentifier for item in listed_units}
    assert {str(first), str(second)} <= ids
    assert str(deleted) not in ids
    assert all(item.EnhedVersionStruktur[0].EnhedStatusKode == 1 for item in listed_units)
    everything = client.service.EnhedList(org_ident(501))
    assert str(deleted) not in {item.EnhedIdentifikationStruktur.BuildingUnitUniversalIdentifier for item in everything}
    assert str(moved_to) in {item.EnhedIdentifikationStruktur.BuildingUnitUniversalIdentifier for item in everything}

    new_events = client.service.EnhedHaendelser(org_ident(501), last)
    assert [
        (item.EnhedHaendelseTypeKode, item.EnhedIdentifikationStruktur.BuildingUnitUniversalIdentifier)
        for item in new_events
    ] == [
        (1, str(first)),
        (1, str(second)),
        (4, str(first)),
        (5, str(first)),
        (1, str(second)),
        (1, str(second)),
        (2, str(deleted)),
    ]
    assert new_events[2].EnhedTilIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(second)
    assert len(e2e.check.outputs) - checked == 14


def test_e2e_errors_faults_and_other_users(e2e: HrService) -> None:
    alice, bob = e2e.client("alice"), e2e.client("bob")
    unit, other = e2e_unit(e2e), e2e_unit(e2e)
    bobs = e2e.register.unit(503, 1, 1, 1).bbr_id
    ok(alice.service.EnhedAktiver(zident(unit)))
    before = e2e.snapshot()
    assert codes(alice.service.EnhedEliminer(zident(unit), None, None)) == [3102]
    assert codes(alice.service.EnhedBytBolig(zident(unit), zident(other))) == [3105]
    assert codes(alice.service.EnhedFlytBolig(zident(other), zident(unit))) == [3104]
    assert codes(alice.service.EnhedFlytByggeafsnit(zident(unit), sec_ident(501, 1, 3))) == [3106]
    leased = e2e.register.unit(501, 1, 2, 1).bbr_id  # has a running lease of AnvisningstypeKode 1
    assert codes(alice.service.EnhedEliminer(zident(leased), None, 4)) == [3107]
    with pytest.raises(zeep.exceptions.Fault) as raised:
        alice.service.EnhedAktiver(zident(unit))
    assert raised.value.code == "soap:Client"
    assert "kun aktiveres" in raised.value.message
    for client, foreign in ((alice, bobs), (bob, unit)):
        with pytest.raises(zeep.exceptions.Fault) as raised:
            client.service.EnhedHent(zident(foreign))
        assert raised.value.message == f"Enhed {foreign} findes ikke eller administreres ikke af brugeren"
    with pytest.raises(zeep.exceptions.Fault, match="findes ikke"):
        bob.service.EnhedList(org_ident(501))
    with pytest.raises(zeep.exceptions.Fault, match="findes ikke"):
        bob.service.EnhedHaendelser(org_ident(501), 0)
    with pytest.raises(zeep.exceptions.Fault, match="3101"):
        alice.service.EnhedList(org_ident(501), 7)
    with pytest.raises(zeep.exceptions.Fault, match="ikke slettet i BBR"):
        alice.service.EnhedSlet(zident(unit))
    assert e2e.snapshot() == before


def test_e2e_the_gate(e2e: HrService) -> None:
    bob = e2e.client("bob")
    unit = e2e.register.unit(503, 1, 1, 2).bbr_id
    assert bob.service.EnhedHent(zident(unit)).EnhedVersionStruktur[0].EnhedStatusKode == 0
    ok(
        bob.service.IndstillingRet(
            {
                "IndstillingIdentifikationStruktur": {"BoligorganisationIdentifikationStruktur": org_ident(503)},
                "IndstillingEnhedsadministrationAktivIndikator": False,
            }
        )
    )
    try:
        before = e2e.snapshot()
        for call in (
            lambda: bob.service.EnhedHent(zident(unit)),
            lambda: bob.service.EnhedAktiver(zident(unit)),
            lambda: bob.service.EnhedList(org_ident(503)),
            lambda: bob.service.EnhedHaendelser(org_ident(503), 0),
        ):
            with pytest.raises(
                zeep.exceptions.Fault, match="Enhedsadministration er ikke aktiv for boligorganisation 503"
            ):
                call()
        assert e2e.snapshot() == before
    finally:
        ok(
            bob.service.IndstillingRet(
                {
                    "IndstillingIdentifikationStruktur": {"BoligorganisationIdentifikationStruktur": org_ident(503)},
                    "IndstillingEnhedsadministrationAktivIndikator": True,
                }
            )
        )
    ok(bob.service.EnhedAktiver(zident(unit)))
