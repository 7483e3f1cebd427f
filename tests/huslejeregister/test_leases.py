"""Lejekontrakt (huslejeregister.md §4.6): the six methods on the real databases (SQLite and PostgreSQL).

The service-level tests call the handlers of :mod:`bodata.huslejeregister.leases` in a transaction that is
committed even when the call reports errors, so "nothing saved" is the handler's own doing (the web service rolls
back as well). Each test builds its own organisations and dwellings in one module-wide database. The end-to-end
tests at the bottom use zeep against a live server (``hr_module_service``).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from bodata.core.db import Database, create_database_engine
from bodata.core.temporal import replace_versions
from bodata.huslejeregister import leases
from bodata.huslejeregister.api import answer
from bodata.huslejeregister.calls import Call, Caller, RegisterRules
from bodata.huslejeregister.models import (
    Afdeling,
    Bolig,
    Boligorganisation,
    BoligVersion,
    Byggeafsnit,
    Lejekontrakt,
)
from bodata.huslejeregister.rules import Finding
from bodata.huslejeregister.soap import SoapFault

from ..databases import scratch_database_url
from .conftest import BOLIG_COMPLETE, HrService, bolig_ident

NOW = datetime(2025, 6, 15, 10, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"
AELDRE = leases.AELDREBOLIGLOV


# --- A database per module, fresh dwellings per test ----------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def lease_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with scratch_database_url(
        request.param, tmp_path_factory.mktemp(f"leases-{request.param}"), content="schema"
    ) as url:
        database = Database(create_database_engine(url))
        try:
            yield database
        finally:
            database.dispose()


_NUMBERS = itertools.count(7001)


@dataclass(frozen=True)
class World:
    """Organisation A (dwellings x and y) administered by ``caller``; organisation B (dwelling z) by ``other``."""

    caller: Caller
    other: Caller
    x: uuid.UUID
    y: uuid.UUID
    z: uuid.UUID
    x_id: uuid.UUID


def _organisation(session: Any, units: int) -> tuple[uuid.UUID, list[Bolig]]:
    organisation = Boligorganisation(id=uuid.uuid4(), nummer=next(_NUMBERS), navn="Org")
    session.add(organisation)
    session.flush()
    afdeling = Afdeling(id=uuid.uuid4(), boligorganisation_id=organisation.id, nummer=1, navn="Afd")
    session.add(afdeling)
    session.flush()
    section = Byggeafsnit(id=uuid.uuid4(), afdeling_id=afdeling.id, nummer=1)
    session.add(section)
    session.flush()
    boliger = [
        Bolig(
            id=uuid.uuid4(),
            bbr_id=uuid.uuid4(),
            byggeafsnit_id=section.id,
            vejkode=1,
            vejnavn="Fjordvej",
            husnummer=str(index + 1),
            postnummer=2400,
            kommunekode=101,
        )
        for index in range(units)
    ]
    session.add_all(boliger)
    session.flush()
    return organisation.id, boliger


@pytest.fixture
def world(lease_db: Database) -> World:
    with lease_db.transaction() as session:
        mine, (x, y) = _organisation(session, 2)
        theirs, (z,) = _organisation(session, 1)
        return World(
            Caller("a", frozenset({mine})), Caller("b", frozenset({theirs})), x.bbr_id, y.bbr_id, z.bbr_id, x.id
        )


def call(database: Database, caller: Caller, operation: str, now: datetime = NOW, **arguments: Any) -> dict:
    with database.transaction() as session:
        return answer(leases.HANDLERS[operation], Call(session, caller, arguments, now, RegisterRules(), operation))


def lease(bbr: uuid.UUID | None, start: date | None, *, draft: bool | None = False, **fields: Any) -> dict[str, Any]:
    """A complete, valid LejekontraktStruktur (``fields`` override; None removes)."""
    values: dict[str, Any] = {
        "LejekontraktIdentifikator": f"L-{uuid.uuid4().hex[:8]}",
        "LejekontraktStartDato": start,
        "LejekontraktIndskudBeloeb": Decimal("15000.00"),
        AELDRE: False,
        "AnvisningstypeKode": 1,
        "LejekontraktTomgangsledigIndikator": False,
        "LejekontraktDepositumBeloeb": Decimal("0"),
        "LejekontraktAfdelingsinternFraflytning": False,
        "LejerStruktur": [{"PersonCivilRegistrationIdentifier": "0101900000", "LejerNavnTekst": "Anna Hansen"}],
    }
    if bbr is not None:
        values["BoligIdentifikationStruktur"] = {"BuildingUnitUniversalIdentifier": bbr}
    if draft is not None:
        values["KladdeIndikator"] = draft
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def result(answer: dict) -> dict:
    return answer.get("MetodeResultatStruktur") or answer["MetodeOpretResultatStruktur"]


def found(answer: dict) -> list[int]:
    """The error and info numbers of a method result, sorted."""
    outcome = result(answer)
    items = outcome["ValideringsfejlStruktur"] + outcome["ValideringsinfoStruktur"]
    return sorted(item["ResultatStruktur"]["ResultatKode"] for item in items)


def texts(answer: dict) -> set[tuple[int, str, str]]:
    outcome = result(answer)
    return {
        (item["ResultatStruktur"]["ResultatKode"], item["ResultatStruktur"]["ResultatTekst"], item["FeltNavnTekst"])
        for item in outcome["ValideringsfejlStruktur"] + outcome["ValideringsinfoStruktur"]
    }


def opret(database: Database, world: World, start: date, now: datetime = NOW, **fields: Any) -> uuid.UUID:
    """Create a lease on dwelling x (valid unless ``fields`` say otherwise) and return its id."""
    bbr = fields.pop("bbr", world.x)
    answer = call(database, world.caller, "LejekontraktOpret", now, LejekontraktStruktur=lease(bbr, start, **fields))
    assert found(answer) == [], texts(answer)
    return result(answer)["EntitetReference"]


def hent(database: Database, caller: Caller, ident: dict) -> dict:
    return call(database, caller, "LejekontraktHent", LejekontraktIdentifikationStruktur=ident)["LejekontraktStruktur"]


def unit_of(bbr: uuid.UUID) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": bbr}


def by_id(lease_id: uuid.UUID) -> dict[str, Any]:
    return {"LejekontraktUnikIdentifikator": lease_id}


def rows(database: Database) -> list[tuple]:
    with database.transaction() as session:
        return sorted(
            (
                *(str(row.id), row.ekstern_reference, row.kladde, row.start_dato, row.slut_dato, str(row.data)),
                *(row.oprettet, row.aendret, row.opdateret, row.ophoert),
            )
            for row in session.scalars(select(Lejekontrakt))
        )


# --- Opret and Hent ----------------------------------------------------------------------------------------------


def test_opret_saves_every_field_and_hent_answers_them_by_either_key(lease_db: Database, world: World) -> None:
    reference = f"ref-{uuid.uuid4()}"
    structure = lease(
        world.x,
        date(2024, 5, 1),
        LejekontraktIdentifikationStruktur={
            "LejekontraktUnikIdentifikator": uuid.uuid4(),
            "EksternReference": reference,
        },
        LejekontraktIdentifikator="0501-001-0001",
        LejekontraktTomgangsledigVisesIkkeIndikator=True,
        LejekontraktLedigIndikator=True,
        ObjektStatusKode=3,
        LejerStruktur=[
            {"PersonCivilRegistrationIdentifier": "2902000000", "LejerNavnTekst": "Anna Hansen"},
            {"PersonCivilRegistrationIdentifier": " ", "LejerNavnTekst": "Bo Hansen"},
        ],
    )
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=structure)
    outcome = answer["MetodeOpretResultatStruktur"]
    assert outcome["ResultatStruktur"]["ResultatTypeKode"] == 0
    created = outcome["EntitetReference"]
    assert created != structure["LejekontraktIdentifikationStruktur"]["LejekontraktUnikIdentifikator"]
    expected = {
        "LejekontraktIdentifikationStruktur": {"LejekontraktUnikIdentifikator": created, "EksternReference": reference},
        "LejekontraktIdentifikator": "0501-001-0001",
        "BoligIdentifikationStruktur": {
            "BoligUnikIdentifikator": world.x_id,
            "BuildingUnitUniversalIdentifier": world.x,
        },
        "KladdeIndikator": False,
        "LejekontraktStartDato": date(2024, 5, 1),
        "LejekontraktSlutDato": None,
        "LejekontraktIndskudBeloeb": Decimal("15000.00"),
        AELDRE: False,
        "AnvisningstypeKode": 1,
        "LejekontraktTomgangsledigIndikator": False,
        "LejekontraktTomgangsledigVisesIkkeIndikator": True,
        "LejekontraktDepositumBeloeb": Decimal("0"),
        "LejekontraktLedigIndikator": True,
        "LejekontraktAfdelingsinternFraflytning": False,
        "LejerStruktur": [
            {"PersonCivilRegistrationIdentifier": "2902000000", "LejerNavnTekst": "Anna Hansen"},
            {"LejerNavnTekst": "Bo Hansen"},
        ],
        "OprettetDatoTid": NOW,
        "AendretDatoTid": NOW,
        "OpdateretDatoTid": NOW,
        "OphoertDatoTid": None,
    }
    assert hent(lease_db, world.caller, by_id(created)) == expected
    assert hent(lease_db, world.caller, {"EksternReference": reference}) == expected
    # the UnikIdentifikator wins over an EksternReference that names nothing
    assert hent(lease_db, world.caller, {**by_id(created), "EksternReference": "nothing"}) == expected


def test_a_draft_is_saved_unvalidated_and_kladde_is_the_default(lease_db: Database, world: World) -> None:
    bare = {"LejekontraktStartDato": date(2024, 1, 1), "BoligIdentifikationStruktur": unit_of(world.x)}
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=bare)
    assert found(answer) == []
    read = hent(lease_db, world.caller, by_id(result(answer)["EntitetReference"]))
    assert read["KladdeIndikator"] is True
    assert "LejerStruktur" not in read
    assert read["LejekontraktIdentifikator"] is None


def test_the_sequence_rules_hold_for_drafts_too_and_nothing_is_saved(lease_db: Database, world: World) -> None:
    opret(lease_db, world, date(2024, 1, 1))
    before = rows(lease_db)
    for draft in (True, False):
        cases = [
            (lease(world.x, None, draft=draft), [1000]),
            (lease(world.x, date(2024, 1, 1), draft=draft), [2204]),
            (lease(world.x, date(2023, 1, 1), draft=draft), [2204]),
            (lease(world.x, date(2025, 1, 1), draft=draft, LejekontraktSlutDato=date(2026, 1, 1)), [2211]),
        ]
        for structure, expected in cases:
            answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=structure)
            assert found(answer) == expected, (draft, structure)
            assert "EntitetReference" not in result(answer)
            assert result(answer)["ResultatStruktur"]["ResultatTypeKode"] == 20
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=lease(world.x, None))
    assert (1000, "Lejekontrakt.StartDato skal udfyldes", "LejekontraktStartDato") in texts(answer)
    assert rows(lease_db) == before


def test_2204_compares_with_the_end_dates_too(lease_db: Database, world: World) -> None:
    with lease_db.transaction() as session:
        session.add(
            Lejekontrakt(
                bolig_id=world.x_id,
                kladde=False,
                start_dato=date(2020, 1, 1),
                slut_dato=date(2022, 12, 31),
                data={},
                oprettet=NOW,
                aendret=NOW,
                opdateret=NOW,
            )
        )
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=lease(world.x, date(2022, 12, 31)))
    assert texts(answer) == {(2204, leases.TEXTS[2204], "LejekontraktStartDato")}
    # after the end date: allowed; the earlier lease keeps its own end and is not "ended" by this one (no 2222)
    lease_id = opret(lease_db, world, date(2023, 2, 1), LejekontraktAfdelingsinternFraflytning=None)
    assert hent(lease_db, world.caller, by_id(lease_id))["LejekontraktSlutDato"] is None


def test_opret_ends_the_latest_lease_and_slet_opens_it_again(lease_db: Database, world: World) -> None:
    first = opret(lease_db, world, date(2020, 1, 1))
    second = opret(lease_db, world, date(2021, 3, 1), now=LATER)
    ended = hent(lease_db, world.caller, by_id(first))
    assert ended["LejekontraktSlutDato"] == date(2021, 2, 28)
    assert (ended["AendretDatoTid"], ended["OpdateretDatoTid"], ended["OphoertDatoTid"]) == (LATER, LATER, LATER)
    assert ended["OprettetDatoTid"] == NOW
    third = opret(lease_db, world, date(2021, 3, 3), now=LATER)  # a two-day lease (one day is 2206)
    assert hent(lease_db, world.caller, by_id(second))["LejekontraktSlutDato"] == date(2021, 3, 2)
    # only the latest may be deleted
    before = rows(lease_db)
    for older in (first, second):
        answer = call(lease_db, world.caller, "LejekontraktSlet", LejekontraktIdentifikationStruktur=by_id(older))
        assert texts(answer) == {(2221, "Kun den seneste lejekontrakt må slettes", "LejekontraktUnikIdentifikator")}
        assert result(answer)["ValideringsfejlStruktur"][0]["EntitetReference"] == str(older)
    assert rows(lease_db) == before
    later = LATER + timedelta(hours=1)
    answer = call(lease_db, world.caller, "LejekontraktSlet", later, LejekontraktIdentifikationStruktur=by_id(third))
    assert found(answer) == []
    reopened = hent(lease_db, world.caller, by_id(second))
    assert (reopened["LejekontraktSlutDato"], reopened["OphoertDatoTid"], reopened["AendretDatoTid"]) == (
        None,
        None,
        later,
    )
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] == date(2021, 2, 28)
    with pytest.raises(SoapFault, match=NOT_FOUND):
        hent(lease_db, world.caller, by_id(third))


def test_the_last_lease_of_a_submitted_bolig_cannot_be_deleted(lease_db: Database, world: World) -> None:
    only = opret(lease_db, world, date(2020, 1, 1))
    on_y = opret(lease_db, world, date(2020, 1, 1), bbr=world.y)
    with lease_db.transaction() as session:
        x = session.scalar(select(Bolig).where(Bolig.bbr_id == world.x))
        replace_versions(
            session, BoligVersion, (x.id, False), [{"effective_from": NOW, "effective_to": None, "data": {}}], NOW
        )
        y = session.scalar(select(Bolig).where(Bolig.bbr_id == world.y))
        replace_versions(
            session, BoligVersion, (y.id, True), [{"effective_from": NOW, "effective_to": None, "data": {}}], NOW
        )
    before = rows(lease_db)
    answer = call(lease_db, world.caller, "LejekontraktSlet", LejekontraktIdentifikationStruktur=by_id(only))
    assert texts(answer) == {(2220, "Den sidste lejekontrakt må ikke slettes", "LejekontraktUnikIdentifikator")}
    assert rows(lease_db) == before
    # a Bolig with a draft version only is not submitted (§9 D28): its last lease may go
    answer = call(lease_db, world.caller, "LejekontraktSlet", LejekontraktIdentifikationStruktur=by_id(on_y))
    assert found(answer) == []
    # with a newer lease, the submitted Bolig's latest lease may be deleted
    newer = opret(lease_db, world, date(2021, 1, 1))
    answer = call(lease_db, world.caller, "LejekontraktSlet", LejekontraktIdentifikationStruktur=by_id(newer))
    assert found(answer) == []


# --- The field rules -----------------------------------------------------------------------------------------------


def test_every_field_rule_triggered_and_not_triggered(lease_db: Database, world: World) -> None:
    """Valider of a new lease (as Opret, §9 D30) on an empty dwelling: one rule at a time."""
    vacant = {
        "LejekontraktTomgangsledigIndikator": True,
        "AnvisningstypeKode": None,
        AELDRE: None,
        "LejerStruktur": None,
    }
    cases: list[tuple[dict[str, Any], set[tuple[int, str]]]] = [
        ({}, set()),
        ({"LejekontraktIdentifikator": None}, {(1000, "Lejekontrakt.Nummer skal udfyldes")}),
        ({"LejekontraktIdentifikator": "  "}, {(1000, "Lejekontrakt.Nummer skal udfyldes")}),
        (
            {AELDRE: None, "LejekontraktTomgangsledigIndikator": None},
            {(1000, "Lejekontrakt.AnvistTidligereAeldreboliglov skal udfyldes")},
        ),
        ({AELDRE: None}, {(2214, leases.TEXTS[2214])}),
        (vacant, set()),
        ({**vacant, "LejekontraktLedigIndikator": True}, {(2219, leases.TEXTS[2219])}),
        ({"LejekontraktLedigIndikator": True}, set()),
        ({"LejerStruktur": [{"LejerNavnTekst": " "}]}, {(1000, "Lejer.Navn skal udfyldes")}),
        ({"LejerStruktur": [{"LejerNavnTekst": "Ingen"}]}, set()),
        ({"LejerStruktur": None}, {(2213, leases.TEXTS[2213])}),
        ({"LejerStruktur": []}, {(2213, leases.TEXTS[2213])}),
        ({"LejekontraktIndskudBeloeb": Decimal("-0.01")}, {(2201, "Lejekontrakt.Indskud må ikke være mindre end 0")}),
        ({"LejekontraktDepositumBeloeb": Decimal("-1")}, {(2216, "Lejekontrakt.Depositum må ikke være mindre end 0")}),
        ({"LejekontraktIndskudBeloeb": None, "LejekontraktDepositumBeloeb": None}, {(2218, leases.TEXTS[2218])}),
        ({"LejekontraktIndskudBeloeb": None}, set()),
        ({"LejekontraktDepositumBeloeb": None, "LejekontraktIndskudBeloeb": Decimal(0)}, set()),
        ({"AnvisningstypeKode": 11}, {(2202, leases.TEXTS[2202])}),
        ({"AnvisningstypeKode": 0}, {(2202, leases.TEXTS[2202])}),
        ({"AnvisningstypeKode": 10}, set()),
        ({"AnvisningstypeKode": None}, {(2208, leases.TEXTS[2208])}),
        ({AELDRE: True, "AnvisningstypeKode": 4}, {(2209, leases.TEXTS[2209])}),
        ({AELDRE: True, "AnvisningstypeKode": 5}, set()),
        ({AELDRE: False, "AnvisningstypeKode": 5}, {(2217, leases.TEXTS[2217])}),
        ({"LejekontraktAfdelingsinternFraflytning": None}, set()),  # nothing is ended on an empty dwelling
    ]
    before = rows(lease_db)
    for overrides, expected in cases:
        structure = lease(world.y, date(2024, 1, 1), **overrides)
        answer = call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=structure)
        assert {(number, text) for number, text, _ in texts(answer)} == expected, overrides
        assert "MetodeResultatStruktur" in answer
        # the same on a submitting Opret; a draft Opret is not validated
        for draft, wanted in ((False, expected), (True, set())):
            structure = lease(world.y, date(2024, 1, 1), draft=draft, **overrides)
            with lease_db.transaction() as session:
                plan = leases.plan_opret(session, world.caller, structure, validate=not draft)
            assert {(item.number, item.text) for item in plan.findings} == wanted, (draft, overrides)
    assert rows(lease_db) == before


def test_the_texts_are_the_documents(lease_db: Database, world: World) -> None:
    assert leases.TEXTS[2204] == (
        "Lejekontrakt.StartDato skal være større end Lejekontrakt.StartDato og Lejekontrakt.SlutDato på alle de "
        "øvrige lejekontrakter på samme bolig"
    )
    assert leases.TEXTS[2202] == "Lejekontrakt.Anvisningstype skal være 1, 2, 3, 4, 5, 6, 7, 8, 9 eller 10"
    assert Finding(2223, "", "").is_info
    assert not Finding(2222, "", "").is_info
    assert sorted(leases.TEXTS) == [*range(2201, 2212), *range(2213, 2224)]


def test_2222_the_lease_that_ends_its_predecessor_states_afdelingsintern_fraflytning(
    lease_db: Database, world: World
) -> None:
    opret(lease_db, world, date(2020, 1, 1), LejekontraktAfdelingsinternFraflytning=None)  # ends nothing
    before = rows(lease_db)
    structure = lease(world.x, date(2022, 1, 1), LejekontraktAfdelingsinternFraflytning=None)
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=structure)
    assert texts(answer) == {(2222, leases.TEXTS[2222], "LejekontraktAfdelingsinternFraflytning")}
    assert rows(lease_db) == before
    # false is an answer too
    opret(lease_db, world, date(2022, 1, 1), LejekontraktAfdelingsinternFraflytning=False)
    # a draft may leave it out, but its submission (Ret) may not
    draft = opret(lease_db, world, date(2023, 1, 1), draft=True, LejekontraktAfdelingsinternFraflytning=None)
    submit = lease(None, date(2023, 1, 1), LejekontraktIdentifikationStruktur=by_id(draft))
    submit.pop("LejekontraktAfdelingsinternFraflytning")
    answer = call(lease_db, world.caller, "LejekontraktRet", LejekontraktStruktur=submit)
    assert found(answer) == [2222]
    answer = call(
        lease_db,
        world.caller,
        "LejekontraktRet",
        LejekontraktStruktur={**submit, "LejekontraktAfdelingsinternFraflytning": True},
    )
    assert found(answer) == []


def test_2205_the_lease_number_is_unique_within_the_bolig(lease_db: Database, world: World) -> None:
    opret(lease_db, world, date(2020, 1, 1), LejekontraktIdentifikator="0501-001-0001")
    structure = lease(world.x, date(2021, 1, 1), LejekontraktIdentifikator=" 0501-001-0001 ")
    answer = call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=structure)
    assert texts(answer) == {
        (2205, "Lejekontrakt.Nummer findes allerede inden for boligen", "LejekontraktIdentifikator")
    }
    # another dwelling may use it
    opret(lease_db, world, date(2020, 1, 1), bbr=world.y, LejekontraktIdentifikator="0501-001-0001")
    # a Ret keeping its own number is no conflict
    second = opret(lease_db, world, date(2021, 1, 1), LejekontraktIdentifikator="0501-001-0002")
    keep = lease(
        None,
        date(2021, 1, 1),
        LejekontraktIdentifikationStruktur=by_id(second),
        LejekontraktIdentifikator="0501-001-0002",
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", LejekontraktStruktur=keep)) == []


def test_2203_the_external_reference_is_unique_in_the_whole_register(lease_db: Database, world: World) -> None:
    reference = f"ref-{uuid.uuid4()}"
    theirs = lease(world.z, date(2020, 1, 1), LejekontraktIdentifikationStruktur={"EksternReference": reference})
    assert found(call(lease_db, world.other, "LejekontraktOpret", LejekontraktStruktur=theirs)) == []
    before = rows(lease_db)
    mine = lease(world.x, date(2020, 1, 1), LejekontraktIdentifikationStruktur={"EksternReference": reference})
    answer = call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=mine)
    assert texts(answer) == {(2203, "Lejekontrakt.EksternReference findes allerede", "EksternReference")}
    assert rows(lease_db) == before
    # on Ret too, when the sent reference would replace the stored one
    own = opret(lease_db, world, date(2020, 1, 1))
    change = lease(
        None, date(2020, 1, 1), LejekontraktIdentifikationStruktur={**by_id(own), "EksternReference": reference}
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", LejekontraktStruktur=change)) == [2203]


# --- Ret -------------------------------------------------------------------------------------------------------


def test_ret_replaces_the_fields_and_keeps_the_times_honest(lease_db: Database, world: World) -> None:
    reference = f"ref-{uuid.uuid4()}"
    lease_id = opret(
        lease_db, world, date(2020, 1, 1), LejekontraktIdentifikationStruktur={"EksternReference": reference}
    )
    original = hent(lease_db, world.caller, by_id(lease_id))
    # a Ret that changes nothing: only OpdateretDatoTid moves
    same = lease(
        None,
        date(2020, 1, 1),
        LejekontraktIdentifikationStruktur={"EksternReference": reference},
        LejekontraktIdentifikator=original["LejekontraktIdentifikator"],
        LejekontraktSlutDato=None,
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", LATER, LejekontraktStruktur=same)) == []
    read = hent(lease_db, world.caller, by_id(lease_id))
    assert (read["AendretDatoTid"], read["OpdateretDatoTid"]) == (NOW, LATER)
    assert read == {**original, "OpdateretDatoTid": LATER}
    # a real change, the reference updated, the Bolig (even another organisation's) ignored, elements left out
    # removed, a blank EksternReference never clears
    later = LATER + timedelta(hours=1)
    new_reference = f"ref-{uuid.uuid4()}"
    change = lease(
        world.z,
        date(2020, 1, 1),
        LejekontraktIdentifikationStruktur={**by_id(lease_id), "EksternReference": new_reference},
        LejekontraktIdentifikator=original["LejekontraktIdentifikator"],
        LejekontraktIndskudBeloeb=None,
        LejekontraktDepositumBeloeb=Decimal("9000.50"),
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", later, LejekontraktStruktur=change)) == []
    read = hent(lease_db, world.caller, {"EksternReference": new_reference})
    assert read["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] == world.x
    assert read["LejekontraktDepositumBeloeb"] == Decimal("9000.50")
    assert "LejekontraktIndskudBeloeb" not in read
    assert (read["AendretDatoTid"], read["OpdateretDatoTid"], read["OprettetDatoTid"]) == (later, later, NOW)
    blank = {**change, "LejekontraktIdentifikationStruktur": {**by_id(lease_id), "EksternReference": ""}}
    assert found(call(lease_db, world.caller, "LejekontraktRet", later, LejekontraktStruktur=blank)) == []
    assert hent(lease_db, world.caller, by_id(lease_id))["LejekontraktIdentifikationStruktur"]["EksternReference"] == (
        new_reference
    )
    # KladdeIndikator left out: a submitted lease stays submitted and is validated in full
    draft = lease(
        None, date(2020, 1, 1), draft=None, LejekontraktIdentifikationStruktur=by_id(lease_id), AnvisningstypeKode=None
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", later, LejekontraktStruktur=draft)) == [2208]
    assert hent(lease_db, world.caller, by_id(lease_id))["KladdeIndikator"] is False


def test_ret_moves_startdato_between_the_neighbours_only(lease_db: Database, world: World) -> None:
    first = opret(lease_db, world, date(2020, 1, 1))
    middle = opret(lease_db, world, date(2021, 1, 1))
    last = opret(lease_db, world, date(2022, 1, 1))

    def ret(lease_id: uuid.UUID, start: date | None, **fields: Any) -> dict:
        structure = lease(None, start, LejekontraktIdentifikationStruktur=by_id(lease_id), **fields)
        return call(lease_db, world.caller, "LejekontraktRet", LATER, LejekontraktStruktur=structure)

    before = rows(lease_db)
    cases: list[tuple[uuid.UUID, date | None, list[int], dict[str, Any]]] = [
        (middle, date(2020, 1, 1), [2207, 2223], {}),
        (middle, date(2019, 6, 1), [2207, 2223], {}),
        (middle, date(2022, 1, 1), [2206, 2215, 2223], {}),
        (middle, None, [1000], {}),
        (middle, date(2021, 1, 1), [2210], {"LejekontraktSlutDato": date(2021, 12, 30)}),
        (first, date(2020, 1, 1), [2210], {"LejekontraktSlutDato": date(2020, 1, 2)}),
        (last, date(2022, 1, 1), [2210], {"LejekontraktSlutDato": date(2030, 1, 1)}),
    ]
    for lease_id, start, expected, extra in cases:
        assert found(ret(lease_id, start, **extra)) == expected, (start, extra)
    assert rows(lease_db) == before
    # the stored SlutDato may be sent back unchanged
    assert found(ret(first, date(2020, 1, 1), LejekontraktSlutDato=date(2020, 12, 31))) == []
    # moving back and forth: info 2223, saved, and the previous lease's SlutDato follows
    answer = ret(middle, date(2020, 7, 1))
    assert texts(answer) == {
        (2223, "StartDato ændret, skulle det have været en ny lejekontrakt?", "LejekontraktStartDato")
    }
    assert result(answer)["ResultatStruktur"]["ResultatTypeKode"] == 40
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] == date(2020, 6, 30)
    assert found(ret(middle, date(2021, 12, 30))) == [2223]
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] == date(2021, 12, 29)
    assert hent(lease_db, world.caller, by_id(middle))["LejekontraktSlutDato"] == date(2021, 12, 31)
    # the latest lease may move forward freely
    assert found(ret(last, date(2024, 1, 1))) == [2223]
    assert hent(lease_db, world.caller, by_id(middle))["LejekontraktSlutDato"] == date(2023, 12, 31)


def test_2206_a_lease_may_not_end_on_its_start_date(lease_db: Database, world: World) -> None:
    """Tabel 22: "SlutDato skal ligge efter StartDato", for the lease moved and for the one the sequence ends."""
    first = opret(lease_db, world, date(2025, 1, 1))
    closed = opret(lease_db, world, date(2025, 6, 1))
    opret(lease_db, world, date(2026, 1, 1))  # closed: 2025-06-01..2025-12-31
    before = rows(lease_db)
    moved = lease(None, date(2025, 12, 31), LejekontraktIdentifikationStruktur=by_id(closed))
    assert found(call(lease_db, world.caller, "LejekontraktRet", LATER, LejekontraktStruktur=moved)) == [2206, 2223]
    # moving a StartDato to the day after the previous lease's start would end that lease on its start date
    moved = lease(None, date(2025, 1, 2), LejekontraktIdentifikationStruktur=by_id(closed))
    assert found(call(lease_db, world.caller, "LejekontraktRet", LATER, LejekontraktStruktur=moved)) == [2206, 2223]
    assert rows(lease_db) == before
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] == date(2025, 5, 31)
    # a new lease the day after the latest one starts would end the latest on its start date
    opret(lease_db, world, date(2027, 1, 1), bbr=world.y)
    before = rows(lease_db)
    next_day = lease(world.y, date(2027, 1, 2))
    assert found(call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=next_day)) == [2206]
    assert rows(lease_db) == before


# --- List ----------------------------------------------------------------------------------------------------------


def test_list_without_and_with_an_interval(lease_db: Database, world: World) -> None:
    today = date(2025, 6, 15)  # NOW in Danish time
    ended = opret(lease_db, world, date(2020, 1, 1))
    ends_today = opret(lease_db, world, date(2021, 1, 1))
    current = opret(lease_db, world, today + timedelta(days=1))
    future = opret(lease_db, world, date(2026, 1, 1))

    def listed(**interval: Any) -> list[uuid.UUID]:
        answer = call(
            lease_db, world.caller, "LejekontraktList", BoligIdentifikationStruktur=unit_of(world.x), **interval
        )
        return [
            item["LejekontraktIdentifikationStruktur"]["LejekontraktUnikIdentifikator"]
            for item in answer["LejekontraktStruktur"]
        ]

    # ended: 2020-01-01..2020-12-31, ends_today: 2021-01-01..2025-06-15, current: 2025-06-16..2025-12-31, future
    assert listed() == [ends_today, current, future]
    interval = {"LejekontraktStartDato": date(2020, 12, 31), "LejekontraktSlutDato": date(2021, 1, 1)}
    assert listed(**interval) == [ended, ends_today]
    # a lease spanning the whole interval is not in it (its start and end lie outside, §9 D4)
    assert listed(LejekontraktStartDato=date(2022, 1, 1), LejekontraktSlutDato=date(2022, 12, 31)) == []
    assert listed(LejekontraktStartDato=date(2025, 12, 31)) == [current, future]
    assert listed(LejekontraktSlutDato=date(2020, 12, 31)) == [ended]
    assert listed(LejekontraktStartDato=date(2030, 1, 1), LejekontraktSlutDato=date(2020, 1, 1)) == []
    empty = call(lease_db, world.caller, "LejekontraktList", BoligIdentifikationStruktur=unit_of(world.y))
    assert empty == {"LejekontraktStruktur": []}
    with pytest.raises(SoapFault, match=NOT_FOUND):
        call(lease_db, world.caller, "LejekontraktList", BoligIdentifikationStruktur=unit_of(world.z))


# --- Authorisation, identification, CPR, Valider ------------------------------------------------------------------


def test_other_organisations_leases_are_answered_as_unknown(lease_db: Database, world: World) -> None:
    reference = f"ref-{uuid.uuid4()}"
    theirs = lease(world.z, date(2020, 1, 1), LejekontraktIdentifikationStruktur={"EksternReference": reference})
    their_id = result(call(lease_db, world.other, "LejekontraktOpret", LejekontraktStruktur=theirs))["EntitetReference"]
    before = rows(lease_db)
    unknown = uuid.uuid4()
    for ident, name in (
        (by_id(their_id), their_id),
        ({"EksternReference": reference}, reference),
        (by_id(unknown), unknown),
    ):
        expected = f"Lejekontrakt {name} {NOT_FOUND}"
        for operation in ("LejekontraktHent", "LejekontraktSlet"):
            with pytest.raises(SoapFault) as refused:
                call(lease_db, world.caller, operation, LejekontraktIdentifikationStruktur=ident)
            assert (refused.value.code, refused.value.message) == ("soap:Client", expected)
        change = lease(None, date(2020, 1, 1), LejekontraktIdentifikationStruktur=ident)
        with pytest.raises(SoapFault, match=NOT_FOUND):
            call(lease_db, world.caller, "LejekontraktRet", LejekontraktStruktur=change)
    # Valider of another organisation's lease is answered as for a lease that does not exist (as an Opret)
    answers = []
    for ident in (by_id(their_id), by_id(uuid.uuid4())):
        valider = lease(world.x, date(2020, 1, 1), LejekontraktIdentifikationStruktur=ident)
        answers.append(found(call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=valider)))
    assert answers[0] == answers[1]
    with pytest.raises(SoapFault, match=f"Bolig {world.z} {NOT_FOUND}"):
        call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=lease(world.z, date(2030, 1, 1)))
    with pytest.raises(SoapFault, match="BoligIdentifikationStruktur skal udfyldes"):
        call(lease_db, world.caller, "LejekontraktOpret", LejekontraktStruktur=lease(None, date(2030, 1, 1)))
    with pytest.raises(SoapFault, match="LejekontraktUnikIdentifikator eller EksternReference skal udfyldes"):
        call(lease_db, world.caller, "LejekontraktHent", LejekontraktIdentifikationStruktur={"EksternReference": ""})
    assert rows(lease_db) == before


def test_cpr_numbers_are_ten_digits_with_a_real_birth_date(lease_db: Database, world: World) -> None:
    assert all(leases.valid_cpr(cpr) for cpr in ("0101900000", "3112991234", "2902000000", "2902960000", "0107251234"))
    assert not any(
        leases.valid_cpr(cpr)
        for cpr in ("010190000", "01019000000", "010190-000", "3202901234", "0013901234", "2902011234", "abcdefghij")
    )
    before = rows(lease_db)
    for draft in (True, False):
        tenants = [
            {"LejerNavnTekst": "Anna"},
            {"PersonCivilRegistrationIdentifier": "3102901234", "LejerNavnTekst": "Bo"},
        ]
        for operation in ("LejekontraktOpret", "LejekontraktValider"):
            structure = lease(world.x, date(2020, 1, 1), draft=draft, LejerStruktur=tenants)
            with pytest.raises(SoapFault) as refused:
                call(lease_db, world.caller, operation, LejekontraktStruktur=structure)
            assert refused.value.code == "soap:Client"
            assert refused.value.message.startswith("LejerStruktur nr. 2: PersonCivilRegistrationIdentifier")
            assert "3102901234" not in refused.value.message
    assert rows(lease_db) == before


def test_valider_checks_as_opret_or_as_ret_and_never_saves(lease_db: Database, world: World) -> None:
    lease_id = opret(lease_db, world, date(2020, 1, 1))
    before = rows(lease_db)
    # an unknown identification: as Opret (2204 against the existing lease, 2211 for a SlutDato)
    new = lease(
        world.x,
        date(2019, 1, 1),
        LejekontraktIdentifikationStruktur={"EksternReference": "ny"},
        LejekontraktSlutDato=date(2030, 1, 1),
    )
    assert found(call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=new)) == [2204, 2211]
    # a known one: as Ret, fully validated even as a draft (2223 and 2208), nothing saved
    known = lease(
        None, date(2020, 2, 1), draft=True, LejekontraktIdentifikationStruktur=by_id(lease_id), AnvisningstypeKode=None
    )
    answer = call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=known)
    assert found(answer) == [2208, 2223]
    valid = lease(world.x, date(2021, 1, 1))
    assert found(call(lease_db, world.caller, "LejekontraktValider", LejekontraktStruktur=valid)) == []
    assert rows(lease_db) == before


# --- End to end: zeep against the live server ------------------------------------------------------------------------


def _zeep_lease(start: str, number: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "LejekontraktIdentifikator": number,
        "KladdeIndikator": False,
        "LejekontraktStartDato": start,
        "LejekontraktIndskudBeloeb": Decimal("12000.00"),
        AELDRE: False,
        "AnvisningstypeKode": 4,
        "LejekontraktTomgangsledigIndikator": False,
        "LejekontraktAfdelingsinternFraflytning": True,
        "LejerStruktur": [{"PersonCivilRegistrationIdentifier": "1205880000", "LejerNavnTekst": "Karen Jensen"}],
    }
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def _outcome(answer: Any) -> tuple[int, list[int]]:
    errors = [item.ResultatStruktur.ResultatKode for item in answer.ValideringsfejlStruktur]
    infos = [item.ResultatStruktur.ResultatKode for item in answer.ValideringsinfoStruktur]
    return answer.ResultatStruktur.ResultatTypeKode, sorted(errors + infos)


@pytest.mark.e2e
def test_e2e_the_life_of_a_lease(hr_module_service: HrService) -> None:
    alice = hr_module_service.client("alice").service
    unit = hr_module_service.register.unit(501, 1, 1, 1)
    listed = alice.LejekontraktList(BoligIdentifikationStruktur=bolig_ident(unit))
    assert [item.LejekontraktStartDato for item in listed] == [date(2022, 3, 1)]
    old_id = listed[0].LejekontraktIdentifikationStruktur.LejekontraktUnikIdentifikator
    reference = f"e2e-{uuid.uuid4()}"
    structure = _zeep_lease(
        "2025-02-01",
        "0501-001-0042",
        LejekontraktIdentifikationStruktur={"EksternReference": reference},
        BoligIdentifikationStruktur=bolig_ident(unit),
    )
    created = alice.LejekontraktOpret(LejekontraktStruktur=structure)
    assert _outcome(created) == (0, [])
    new_id = created.EntitetReference
    read = alice.LejekontraktHent(LejekontraktIdentifikationStruktur={"EksternReference": reference})
    assert read.LejekontraktIdentifikationStruktur.LejekontraktUnikIdentifikator == new_id
    assert (read.LejekontraktIdentifikator, read.KladdeIndikator, read.LejekontraktStartDato) == (
        "0501-001-0042",
        False,
        date(2025, 2, 1),
    )
    assert read.LejekontraktIndskudBeloeb == Decimal("12000.00")
    assert [(t.PersonCivilRegistrationIdentifier, t.LejerNavnTekst) for t in read.LejerStruktur] == [
        ("1205880000", "Karen Jensen")
    ]
    assert read.BoligIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(unit.bbr_id)
    assert read.OprettetDatoTid == read.AendretDatoTid == read.OpdateretDatoTid
    assert read.OphoertDatoTid is None
    old = alice.LejekontraktHent(LejekontraktIdentifikationStruktur={"LejekontraktUnikIdentifikator": old_id})
    assert old.LejekontraktSlutDato == date(2025, 1, 31)
    assert old.OphoertDatoTid is not None
    # the interval finds both; Ret changes the deposit, Valider says what a change would give
    interval = alice.LejekontraktList(
        BoligIdentifikationStruktur=bolig_ident(unit),
        LejekontraktStartDato="2025-01-31",
        LejekontraktSlutDato="2025-02-01",
    )
    assert [item.LejekontraktIdentifikationStruktur.LejekontraktUnikIdentifikator for item in interval] == [
        old_id,
        new_id,
    ]
    change = {
        **structure,
        "LejekontraktIdentifikationStruktur": {"LejekontraktUnikIdentifikator": new_id},
        "LejekontraktDepositumBeloeb": Decimal("3000"),
    }
    assert _outcome(alice.LejekontraktRet(LejekontraktStruktur=change)) == (0, [])
    assert alice.LejekontraktHent(
        LejekontraktIdentifikationStruktur={"EksternReference": reference}
    ).LejekontraktDepositumBeloeb == Decimal("3000")
    moved = {**change, "LejekontraktStartDato": "2025-03-01"}
    assert _outcome(alice.LejekontraktValider(LejekontraktStruktur=moved)) == (40, [2223])
    # Slet: the old lease is not the latest; the new one is, and the old one applies again
    before = hr_module_service.snapshot()
    assert _outcome(
        alice.LejekontraktSlet(LejekontraktIdentifikationStruktur={"LejekontraktUnikIdentifikator": old_id})
    ) == (20, [2221])
    assert hr_module_service.snapshot() == before
    assert _outcome(alice.LejekontraktSlet(LejekontraktIdentifikationStruktur={"EksternReference": reference})) == (
        0,
        [],
    )
    listed = alice.LejekontraktList(BoligIdentifikationStruktur=bolig_ident(unit))
    assert [(item.LejekontraktStartDato, item.LejekontraktSlutDato) for item in listed] == [(date(2022, 3, 1), None)]


@pytest.mark.e2e
def test_e2e_bad_input_saves_nothing(hr_module_service: HrService) -> None:
    service = hr_module_service
    alice, bob = service.client("alice").service, service.client("bob").service
    unit, bobs_unit = service.register.unit(501, 1, 2, 1), service.register.unit(503, 1, 1, 1)
    bobs_lease = bob.LejekontraktList(BoligIdentifikationStruktur=bolig_ident(bobs_unit))[0]
    bobs_id = bobs_lease.LejekontraktIdentifikationStruktur.LejekontraktUnikIdentifikator
    reference = f"e2e-{uuid.uuid4()}"
    created = bob.LejekontraktOpret(
        LejekontraktStruktur=_zeep_lease(
            "2025-01-01",
            "B-1",
            LejekontraktIdentifikationStruktur={"EksternReference": reference},
            BoligIdentifikationStruktur=bolig_ident(bobs_unit),
        )
    )
    assert _outcome(created) == (0, [])
    before = service.snapshot()
    for operation, arguments in (
        ("LejekontraktHent", {"LejekontraktIdentifikationStruktur": {"LejekontraktUnikIdentifikator": bobs_id}}),
        ("LejekontraktSlet", {"LejekontraktIdentifikationStruktur": {"EksternReference": reference}}),
        ("LejekontraktList", {"BoligIdentifikationStruktur": bolig_ident(bobs_unit)}),
        (
            "LejekontraktOpret",
            {
                "LejekontraktStruktur": _zeep_lease(
                    "2026-01-01", "X", BoligIdentifikationStruktur=bolig_ident(bobs_unit)
                )
            },
        ),
        (
            "LejekontraktRet",
            {
                "LejekontraktStruktur": _zeep_lease(
                    "2026-01-01", "X", LejekontraktIdentifikationStruktur={"LejekontraktUnikIdentifikator": bobs_id}
                )
            },
        ),
    ):
        with pytest.raises(zeep.exceptions.Fault) as refused:
            getattr(alice, operation)(**arguments)
        assert (refused.value.code, refused.value.message.endswith(NOT_FOUND)) == ("soap:Client", True), operation
    mine = bolig_ident(unit)
    duplicate = _zeep_lease(
        "2025-01-01",
        "A-1",
        LejekontraktIdentifikationStruktur={"EksternReference": reference},
        BoligIdentifikationStruktur=mine,
    )
    assert _outcome(alice.LejekontraktOpret(LejekontraktStruktur=duplicate)) == (20, [2203])
    too_early = _zeep_lease("2022-03-01", "A-1", BoligIdentifikationStruktur=mine, LejekontraktSlutDato="2030-01-01")
    assert _outcome(alice.LejekontraktOpret(LejekontraktStruktur=too_early)) == (20, [2204, 2211])
    incomplete = _zeep_lease(
        "2025-01-01",
        None,
        BoligIdentifikationStruktur=mine,
        AnvisningstypeKode=5,
        LejerStruktur=[{"LejerNavnTekst": ""}],
        LejekontraktAfdelingsinternFraflytning=None,
    )
    assert _outcome(alice.LejekontraktOpret(LejekontraktStruktur=incomplete)) == (20, [1000, 1000, 2217, 2222])
    bad_cpr = _zeep_lease(
        "2025-01-01",
        "A-1",
        BoligIdentifikationStruktur=mine,
        LejerStruktur=[{"PersonCivilRegistrationIdentifier": "3013881234", "LejerNavnTekst": "X"}],
    )
    with pytest.raises(zeep.exceptions.Fault) as refused:
        alice.LejekontraktOpret(LejekontraktStruktur=bad_cpr)
    assert refused.value.code == "soap:Client"
    assert "PersonCivilRegistrationIdentifier" in refused.value.message
    assert service.snapshot() == before


@pytest.mark.e2e
def test_e2e_the_last_lease_of_a_submitted_bolig_stays(hr_module_service: HrService) -> None:
    service = hr_module_service
    alice = service.client("alice").service
    unit = service.register.unit(501, 2, 1, 1)
    version = {
        **BOLIG_COMPLETE,
        "VirkningFraDatoTid": datetime(2020, 1, 1, tzinfo=UTC),
        "BoligAktueltIndskudBeloeb": Decimal("10000"),
    }
    submitted = alice.BoligRet(
        BoligStruktur={
            "BoligIdentifikationStruktur": bolig_ident(unit),
            "KladdeIndikator": False,
            "BoligVersionStruktur": [version],
        }
    )
    assert submitted.ResultatStruktur.ResultatTypeKode == 0, submitted
    only = alice.LejekontraktList(BoligIdentifikationStruktur=bolig_ident(unit))[0]
    before = service.snapshot()
    ident = {"LejekontraktUnikIdentifikator": only.LejekontraktIdentifikationStruktur.LejekontraktUnikIdentifikator}
    answer = alice.LejekontraktSlet(LejekontraktIdentifikationStruktur=ident)
    assert _outcome(answer) == (20, [2220])
    assert answer.ValideringsfejlStruktur[0].ResultatStruktur.ResultatTekst == "Den sidste lejekontrakt må ikke slettes"
    assert service.snapshot() == before


def test_a_draft_lease_ends_its_predecessor_only_when_submitted(lease_db: Database, world: World) -> None:
    first = opret(lease_db, world, date(2020, 1, 1), bbr=world.y)
    draft = opret(
        lease_db, world, date(2024, 3, 1), bbr=world.y, draft=True, LejekontraktAfdelingsinternFraflytning=None
    )
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] is None  # still the tenant
    submitted = lease(
        None,
        date(2024, 3, 1),
        LejekontraktIdentifikationStruktur=by_id(draft),
        LejekontraktAfdelingsinternFraflytning=False,
    )
    assert found(call(lease_db, world.caller, "LejekontraktRet", LejekontraktStruktur=submitted)) == []
    assert hent(lease_db, world.caller, by_id(first))["LejekontraktSlutDato"] == date(2024, 2, 29)
    assert hent(lease_db, world.caller, by_id(draft))["KladdeIndikator"] is False
