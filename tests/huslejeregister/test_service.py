"""The rent register's domain on the real database (SQLite and PostgreSQL): bitemporal histories written through
``bitemporal.ret`` and read back with every Hent variant (huslejeregister.md §3.4, the illustration of §3.7), the
period rules 5001-5005, drafts (§2.3), Valider, the dwelling rules 2014/2015/2023, authorisation,
authentication, accessibility types, settings, and the composite (entity, edition) key of core.temporal.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bodata.core.db import Database
from bodata.core.temporal import current_versions, deregister, effect_periods, replace_versions, versions_as_of
from bodata.huslejeregister import bitemporal, handicap, organisations
from bodata.huslejeregister.bitemporal import KINDS
from bodata.huslejeregister.calls import Caller, Refused, RegisterRules
from bodata.huslejeregister.models import (
    Bolig,
    Boligorganisation,
    BoligorganisationVersion,
    Boligudgift,
    HandicapBoligType,
    HandicapRegistrering,
    Indstilling,
    Lejekontrakt,
)
from bodata.huslejeregister.rules import Finding

from .builders import (
    BOLIG_X,
    BOLIG_Y,
    BOLIG_Z,
    ORG_NUMBER,
    OTHER_ORG_NUMBER,
    World,
    add_expenses,
    add_lease,
    afdeling_ident,
    bolig_fields,
    bolig_ident,
    byggeafsnit_fields,
    byggeafsnit_ident,
    day,
    editions,
    heating,
    heating_editions,
    make_submittable,
    make_world,
    numbers,
    organisation_ident,
    read,
    ret,
    texts,
    version,
    version_rows,
)

EARLIEST = datetime.min.replace(tzinfo=UTC)
TEXT_5001 = "Der må ikke være huller i virkningsperioder for en entitet"
TEXT_5002 = "VirkningTil skal være null eller større end VirkningFra"
TEXT_5004 = "VirkningFra skal angives."
TEXT_5005 = "En fremtidig version overskrives helt ved denne indberetning."
TEXT_2014 = "Alle faste Boligudgifter skal være indberettet, inden Boligen kan indberettes"
TEXT_2015 = "Der skal være indberettet en Lejekontrakt, når Boligen indberettes"


def text_2023(cutoff: str) -> str:
    return (
        f"Alle faste Boligudgifter skal findes til alle Lejekontrakter med Lejekontrakt.StartDato efter {cutoff}, "
        "inden Boligen kan indberettes"
    )


def details(findings: list[Finding]) -> list[tuple]:
    """(number, text, entity, field, reference, VirkningFra) of each finding, by number and VirkningFra."""
    return sorted(
        ((f.number, f.text, f.entity, f.field, f.reference, f.effective_from) for f in findings),
        key=lambda item: (item[0], item[5] or EARLIEST),
    )


@pytest.fixture
def world(database: Database) -> World:
    return make_world(database)


# --- huslejeregister.md §3.7: registrations 1, 2 and 3 of Bolig X, read back with the predicates of §3.4 ---------

JAN, FEB, MAR, MAY, JUN, JUL, SEP = (day(2017, month, 1) for month in (1, 2, 3, 5, 6, 7, 9))
R1, R2, R3 = day(2017, 1, 10), day(2017, 3, 5), day(2017, 4, 1)
TICK = timedelta(microseconds=1)
V1 = (JAN, None, R1, R2, 1)
V2 = (JAN, JUN, R2, None, 1)
V3 = (JUN, None, R2, None, 2)


@pytest.fixture
def bolig_x(database: Database, world: World) -> World:
    """Registrations 1 (R1: [Jan, ∞) heating 1) and 2 (R2: [Jan, Jun) heating 1, [Jun, ∞) heating 2)."""
    make_submittable(database, world.bolig_x_id)
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=R1) == []
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JAN, JUN, 1), heating(JUN, None, 2)], now=R2) == []
    return world


def test_registrations_1_and_2_stored_and_hent(database: Database, bolig_x: World) -> None:
    rows = [
        (vf, vt, rf, rt, data["BoligOpvarmningsformKode"])
        for *_, rf, rt, vf, vt, data in version_rows(database, "Bolig")
    ]
    assert rows == [V1, V2, V3]
    assert {row[2] for row in version_rows(database, "Bolig")} == {False}  # all submitted, no draft
    answer = read(database, "Bolig", bolig_x.bolig_x_id, "hent")
    assert heating_editions(answer) == [(False, [V2, V3])]
    (edition,) = answer
    assert edition["BoligIdentifikationStruktur"] == {
        "BoligUnikIdentifikator": bolig_x.bolig_x_id,
        "BuildingUnitUniversalIdentifier": BOLIG_X,
    }
    first = edition["BoligVersionStruktur"][0]
    assert first["BoligLejerTypeKode"] == 1
    assert first["BoligAktueltIndskudBeloeb"] == bolig_fields()["BoligAktueltIndskudBeloeb"]
    # the BBR and Stamdata fields come from the register
    assert (first["StreetName"], first["StreetBuildingIdentifier"], first["FloorIdentifier"]) == ("Fjordvej", "7", "1")
    assert (first["SuiteIdentifier"], first["PostalCodeIdentifier"], first["MunicipalityCode"]) == ("tv", 2400, 101)
    assert first["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitIdentifikator"] == 1
    afdeling = first["ByggeafsnitIdentifikationStruktur"]["AfdelingIdentifikationStruktur"]
    assert afdeling["BoligorganisationIdentifikationStruktur"]["BoligorganisationIdentifikator"] == ORG_NUMBER


def check_reads(database: Database, bolig_id: uuid.UUID, how: str, table: list[tuple]) -> None:
    """Each row of ``table``: the arguments of ``bitemporal.<how>`` and the (one) edition's versions expected."""
    for *arguments, expected in table:
        answer = read(database, "Bolig", bolig_id, how, *arguments)
        assert heating_editions(answer) == [(False, expected)], (how, arguments)


def test_hent_specifik_historisk_and_historisk_specifik(database: Database, bolig_x: World) -> None:
    """The predicates of §3.4 with the illustration's rows (§3.7) and the boundaries of each comparison."""
    # HentSpecifik: RT is null AND VF <= V AND (VT is null OR VT > V)
    check_reads(
        database,
        bolig_x.bolig_x_id,
        "hent_specifik",
        [
            (JUL, [V3]),  # §3.7: BoligHentSpecifik(V=2017-07-01)
            (FEB, [V2]),  # §3.7: BoligHentSpecifik(V=2017-02-01)
            (JUN, [V3]),  # VF <= V
            (JUN - TICK, [V2]),  # VT > V
            (JAN, [V2]),
            (JAN - TICK, []),
        ],
    )
    # HentHistorisk: RF <= R AND (RT is null OR RT > R)
    check_reads(
        database,
        bolig_x.bolig_x_id,
        "hent_historisk",
        [
            (FEB, [V1]),  # §3.7: BoligHentHistorisk(R=2017-02-01)
            (R3, [V2, V3]),  # §3.7: BoligHentHistorisk(R=2017-04-01)
            (R1, [V1]),  # RF <= R
            (R1 - TICK, []),
            (R2 - TICK, [V1]),
            (R2, [V2, V3]),  # RT > R
        ],
    )
    # HentHistoriskSpecifik: RF <= R AND (RT is null OR RT > R) AND VF <= V AND (VT is null OR VT > V)
    check_reads(
        database,
        bolig_x.bolig_x_id,
        "hent_historisk_specifik",
        [
            (FEB, JUL, [V1]),  # §3.7: V1, its VT is null so it is also in effect in July
            (FEB, JAN, [V1]),
            (FEB, JAN - TICK, []),
            (R3, FEB, [V2]),
            (R3, JUL, [V3]),
            (R2, JUN - TICK, [V2]),
            (R2 - TICK, JUL, [V1]),
            (R1 - TICK, JUL, []),
        ],
    )


def periods(answer: list[dict]) -> list[tuple]:
    return [
        (
            item["VirkningFraDatoTid"],
            item["VirkningTilDatoTid"],
            item["RegistreringFraDatoTid"],
            item["RegistreringTilDatoTid"],
            item["KladdeIndikator"],
        )
        for item in answer
    ]


def test_hent_virkningsperioder_historisk_and_list(database: Database, bolig_x: World) -> None:
    current = read(database, "Bolig", bolig_x.bolig_x_id, "hent_virkningsperioder")
    assert periods(current) == [(JAN, JUN, R2, None, False), (JUN, None, R2, None, False)]
    assert read(database, "Bolig", bolig_x.bolig_x_id, "hent_virkningsperioder", None) == current
    for registered_at, expected in [
        (FEB, [(JAN, None, R1, R2, False)]),  # §3.7: HentVirkningsperioderHistorisk(R=2017-02-01)
        (R2 - TICK, [(JAN, None, R1, R2, False)]),
        (R2, [(JAN, JUN, R2, None, False), (JUN, None, R2, None, False)]),
        (R1 - TICK, []),
    ]:
        answer = read(database, "Bolig", bolig_x.bolig_x_id, "hent_virkningsperioder", registered_at)
        assert periods(answer) == expected, registered_at
    for now, expected_x in [
        (R3, [V2]),  # §3.7: BoligList on 2017-04-01 gives the V2 data only
        (JUN, [V3]),
        (JUN - TICK, [V2]),
        (day(2016, 12, 1), []),  # no version in force yet: the Bolig is listed without one
    ]:
        with database.transaction() as session:
            section = session.get(Bolig, bolig_x.bolig_x_id).byggeafsnit
            boliger = bitemporal.children(session, KINDS["Bolig"], bolig_x.caller, section)
            answer = bitemporal.list_in_effect(session, KINDS["Bolig"], boliger, now)
        # ordered by address: door "th" (Y) before "tv" (X)
        assert [item["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] for item in answer] == [
            BOLIG_Y,
            BOLIG_X,
        ]
        assert heating_editions(answer) == [(False, []), (False, expected_x)], now


def test_registration_3_overlays_and_warns_5005(database: Database, bolig_x: World) -> None:
    found = ret(database, "Bolig", bolig_x.bolig_x_id, [heating(MAY, None, 3)], now=R3)
    assert details(found) == [(5005, TEXT_5005, "Bolig", "VirkningFraDatoTid", str(BOLIG_X), JUN)]
    assert all(item.is_info for item in found)
    # V2 ends at 2017-05-01, a new version with heating 3 runs from then, V3 is gone
    hent = read(database, "Bolig", bolig_x.bolig_x_id, "hent")
    assert heating_editions(hent) == [(False, [(JAN, MAY, R3, None, 1), (MAY, None, R3, None, 3)])]
    # what was known before stays readable, now with its registration closed
    before = read(database, "Bolig", bolig_x.bolig_x_id, "hent_historisk", R3 - TICK)
    assert heating_editions(before) == [(False, [(JAN, JUN, R2, R3, 1), (JUN, None, R2, R3, 2)])]
    assert heating_editions(read(database, "Bolig", bolig_x.bolig_x_id, "hent_historisk", FEB)) == [(False, [V1])]
    assert heating_editions(read(database, "Bolig", bolig_x.bolig_x_id, "hent_specifik", JUL)) == [
        (False, [(MAY, None, R3, None, 3)])
    ]
    assert len(version_rows(database, "Bolig")) == 5


# --- 5001-5005 -----------------------------------------------------------------------------------------------------


def described(start: datetime | None, end: datetime | None = None, text: str = "") -> dict:
    return version(start, end, BoligorganisationBeskrivelseTekst=text or f"fra {start}")


def org_ret(database: Database, world: World, versions: list[dict], **options) -> list[Finding]:
    return ret(database, "Boligorganisation", world.organisation_id, versions, **options)


def org_hent(database: Database, world: World) -> list[tuple]:
    return editions(read(database, "Boligorganisation", world.organisation_id, "hent"), "Boligorganisation", "x")


def test_5001_gap_between_submitted_versions_not_between_adjacent_ones(database: Database, world: World) -> None:
    found = org_ret(database, world, [described(JAN, MAR), described(JUN)], now=R1)
    reference = str(world.organisation_id)
    assert details(found) == [(5001, TEXT_5001, "Boligorganisation", "VirkningFraDatoTid", reference, JUN)]
    assert version_rows(database, "Boligorganisation") == []
    assert org_ret(database, world, [described(JAN, MAR), described(MAR, JUN), described(JUN)], now=R1) == []
    assert [item[:2] for item in org_hent(database, world)[0][1]] == [(JAN, MAR), (MAR, JUN), (JUN, None)]


def test_5001_gap_against_the_existing_timeline(database: Database, world: World) -> None:
    assert org_ret(database, world, [described(JAN)], now=R1) == []
    before = version_rows(database, "Boligorganisation")
    found = org_ret(database, world, [described(day(2016, 1, 1), day(2016, 6, 1))], now=R2)
    assert numbers(found) == [5001]
    assert found[0].effective_from == JAN
    assert version_rows(database, "Boligorganisation") == before
    # reaching back to where the timeline starts is fine
    assert org_ret(database, world, [described(day(2016, 1, 1), JAN)], now=R2) == []
    assert [item[:2] for item in org_hent(database, world)[0][1]] == [(day(2016, 1, 1), JAN), (JAN, None)]


def test_5001_overlapping_submitted_versions(database: Database, world: World) -> None:
    for draft, save in [(False, True), (True, True), (False, False), (True, False)]:
        found = org_ret(database, world, [described(JAN, JUN), described(MAR)], now=R1, draft=draft, save=save)
        assert details(found) == [
            (5001, TEXT_5001, "Boligorganisation", "VirkningFraDatoTid", str(world.organisation_id), MAR)
        ], (draft, save)
    assert version_rows(database, "Boligorganisation") == []


def test_5001_a_draft_may_have_gaps(database: Database, world: World) -> None:
    assert org_ret(database, world, [described(JAN, MAR), described(JUN)], now=R1, draft=True) == []
    assert [(draft, [item[:2] for item in items]) for draft, items in org_hent(database, world)] == [
        (False, []),
        (True, [(JAN, MAR), (JUN, None)]),
    ]


def test_5002_end_after_start(database: Database, world: World) -> None:
    reference = str(world.organisation_id)
    for draft in (False, True):
        found = org_ret(
            database, world, [described(JAN, JAN), described(JUN, MAR), described(SEP)], now=R1, draft=draft
        )
        assert details(found) == [
            (5002, TEXT_5002, "Boligorganisation", "VirkningTilDatoTid", reference, JAN),
            (5002, TEXT_5002, "Boligorganisation", "VirkningTilDatoTid", reference, JUN),
        ], draft
    assert version_rows(database, "Boligorganisation") == []


def test_5003_earliest_effect_and_default_minimum(database: Database, world: World) -> None:
    register = RegisterRules(earliest_effect=day(2000, 1, 1))
    early = day(1999, 12, 31, 23)
    found = org_ret(database, world, [described(early)], now=R1, register=register)
    text = "VirkningFra skal være større end eller lig med 01-01-2000"
    assert details(found) == [
        (5003, text, "Boligorganisation", "VirkningFraDatoTid", str(world.organisation_id), early)
    ]
    assert version_rows(database, "Boligorganisation") == []
    # Valider of a draft checks in full; a draft is saved without the rule
    assert numbers(org_ret(database, world, [described(early)], now=R1, register=register, draft=True, save=False)) == [
        5003
    ]
    # on the minimum itself it holds
    assert org_ret(database, world, [described(day(2000, 1, 1))], now=R1, register=register) == []
    assert org_ret(database, world, [described(early)], now=R2, register=register, draft=True) == []
    assert [item[:2] for item in org_hent(database, world)[1][1]] == [(early, None)]
    # without RegisterRules of its own the minimum is 1900-01-01
    found = org_ret(database, world, [described(day(1899, 12, 31))], now=R2)
    assert texts(found) == {(5003, "VirkningFra skal være større end eller lig med 01-01-1900")}
    assert org_ret(database, world, [described(day(1900, 1, 1))], now=R2) == []


def test_5003_holds_for_draft_versions_that_a_submission_carries_over(database: Database, world: World) -> None:
    register = RegisterRules(earliest_effect=day(2000, 1, 1))
    early = day(1999, 6, 1)
    assert org_ret(database, world, [described(early)], now=R1, register=register, draft=True) == []
    found = org_ret(database, world, [described(JUN)], now=R2, register=register)
    assert numbers(found) == [5003]


def test_5004_effect_start_required(database: Database, world: World) -> None:
    for draft, save in [(False, True), (True, True), (False, False)]:
        found = org_ret(database, world, [described(None), described(JUN)], now=R1, draft=draft, save=save)
        assert details(found) == [
            (5004, TEXT_5004, "Boligorganisation", "VirkningFraDatoTid", str(world.organisation_id), None)
        ], (draft, save)
    assert version_rows(database, "Boligorganisation") == []


def test_5005_only_for_future_versions_and_data_is_saved(database: Database, world: World) -> None:
    assert org_ret(database, world, [described(JAN, JUN, "a"), described(JUN, None, "b")], now=R1) == []
    # at 2017-07-01 the version from June is no longer future: overwriting it is silent
    assert org_ret(database, world, [described(JAN, None, "c")], now=JUL) == []
    assert org_ret(database, world, [described(JAN, SEP, "d"), described(SEP, None, "e")], now=JUL) == []
    # at 2017-07-02 the September version is future
    found = org_ret(database, world, [described(JUL, None, "f")], now=day(2017, 7, 2))
    assert details(found) == [
        (5005, TEXT_5005, "Boligorganisation", "VirkningFraDatoTid", str(world.organisation_id), SEP)
    ]
    hent = read(database, "Boligorganisation", world.organisation_id, "hent")
    versions = hent[0]["BoligorganisationVersionStruktur"]
    assert [(v["VirkningFraDatoTid"], v["BoligorganisationBeskrivelseTekst"]) for v in versions] == [
        (JAN, "d"),
        (JUL, "f"),
    ]


def test_5005_not_for_a_future_version_only_trimmed(database: Database, world: World) -> None:
    assert org_ret(database, world, [described(JAN, JUN, "a"), described(JUN, None, "b")], now=R1) == []
    assert org_ret(database, world, [described(MAY, SEP, "c")], now=R1) == []
    hent = read(database, "Boligorganisation", world.organisation_id, "hent")
    versions = hent[0]["BoligorganisationVersionStruktur"]
    assert [
        (v["VirkningFraDatoTid"], v["VirkningTilDatoTid"], v["BoligorganisationBeskrivelseTekst"]) for v in versions
    ] == [
        (JAN, MAY, "a"),
        (MAY, SEP, "c"),
        (SEP, None, "b"),
    ]


def test_5005_with_an_error_saves_nothing(database: Database, world: World) -> None:
    good = {"AfdelingMinAlderAeldreboligKvantitet": 65}
    assert ret(database, "Afdeling", world.afdeling_id, [version(JAN, JUN, **good), version(JUN, **good)], now=R1) == []
    before = version_rows(database, "Afdeling")
    found = ret(database, "Afdeling", world.afdeling_id, [version(MAY, AfdelingMinAlderAeldreboligKvantitet=0)], now=R1)
    assert details(found) == [
        (
            2601,
            "Afdeling.MinAlderAeldrebolig skal være større end 0",
            "Afdeling",
            "AfdelingMinAlderAeldreboligKvantitet",
            str(world.afdeling_id),
            MAY,
        ),
        (5005, TEXT_5005, "Afdeling", "VirkningFraDatoTid", str(world.afdeling_id), JUN),
    ]
    assert version_rows(database, "Afdeling") == before


# --- Field rules through Ret ------------------------------------------------------------------------------------


def test_field_rules_run_on_submission_of_each_kind(database: Database, world: World) -> None:
    found = ret(
        database, "Byggeafsnit", world.byggeafsnit_id, [version(JAN, **byggeafsnit_fields(HusdyrStruktur=None))], now=R1
    )
    assert texts(found) == {(2701, "Regler for husdyr skal angives for alle boligtyper")}
    assert found[0].reference == str(world.byggeafsnit_id)
    assert ret(database, "Byggeafsnit", world.byggeafsnit_id, [version(JAN, **byggeafsnit_fields())], now=R1) == []
    found = ret(
        database, "Afdeling", world.afdeling_id, [version(JAN, AfdelingMaxAlderUngdomsboligKvantitet=0)], now=R1
    )
    assert numbers(found) == [2602]


def test_2022_info_saves(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    # the BBR area is 75.50
    fields = {"BoligStoetteBerettigetArealKvantitet": Decimal("75.5"), "BoligStoetteBerettigetArealAarsagKode": 1}
    found = ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1, **fields)], now=R1)
    assert details(found) == [
        (
            2022,
            "Bolig.StoetteBerettigetAreal er det samme som Bruttoetageareal fra BBR",
            "Bolig",
            "BoligStoetteBerettigetArealKvantitet",
            str(BOLIG_X),
            JAN,
        )
    ]
    (stored,) = version_rows(database, "Bolig")
    assert stored[-1]["BoligStoetteBerettigetArealKvantitet"] == "75.5"
    hent = read(database, "Bolig", world.bolig_x_id, "hent")
    assert hent[0]["BoligVersionStruktur"][0]["BoligStoetteBerettigetArealKvantitet"] == Decimal("75.5")


def test_read_only_bolig_fields_are_ignored(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    sent = heating(
        JAN, None, 1, StreetName="Falskvej", PostalCodeIdentifier=9999, BoligUndertrykVideregivelseIndikator=True
    )
    assert ret(database, "Bolig", world.bolig_x_id, [sent], now=R1) == []
    (stored,) = version_rows(database, "Bolig")
    assert not {"StreetName", "PostalCodeIdentifier", "BoligUndertrykVideregivelseIndikator"} & stored[-1].keys()
    first = read(database, "Bolig", world.bolig_x_id, "hent")[0]["BoligVersionStruktur"][0]
    assert (first["StreetName"], first["PostalCodeIdentifier"]) == ("Fjordvej", 2400)
    assert "BoligUndertrykVideregivelseIndikator" not in first


def test_untouched_versions_of_the_edited_timeline_are_checked_too(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    assert (
        ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1, BoligLejerTypeKode=3)], now=R1, draft=True)
        == []
    )
    before = version_rows(database, "Bolig")
    found = ret(database, "Bolig", world.bolig_x_id, [heating(JUN, None, 2)], now=R2)
    assert details(found) == [
        (2001, "Bolig.Lejertype skal være 1 eller 4", "Bolig", "BoligLejerTypeKode", str(BOLIG_X), JAN)
    ]
    assert version_rows(database, "Bolig") == before


# --- Drafts (§2.3) ----------------------------------------------------------------------------------------------


def test_draft_is_the_default_and_is_not_validated(database: Database, world: World) -> None:
    sent = version(JAN, BoligLejerTypeKode=3)  # 2001, nine 1000s, 2021; no expenses or lease (2014, 2015)
    assert ret(database, "Bolig", world.bolig_x_id, [sent], now=R1, draft=None) == []
    assert editions(read(database, "Bolig", world.bolig_x_id, "hent"), "Bolig", "BoligLejerTypeKode") == [
        (False, []),
        (True, [(JAN, None, R1, None, 3)]),
    ]
    (row,) = version_rows(database, "Bolig")
    assert row[2] is True
    # the same as a submission is refused and writes nothing
    found = ret(database, "Bolig", world.bolig_x_id, [sent], now=R2, draft=False)
    assert {2001, 1000, 2021, 2014, 2015} == set(numbers(found))
    assert numbers(found).count(1000) == 10 - 1  # Lejertype is given
    assert version_rows(database, "Bolig") == [row]


def test_both_editions_in_every_hent_variant(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=R1) == []
    # the draft starts as a copy of the submitted edition, with the submitted versions laid over it
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JUN, None, 2)], now=R2, draft=True) == []
    submitted = (JAN, None, R1, None, 1)
    draft_jan, draft_jun = (JAN, JUN, R2, None, 1), (JUN, None, R2, None, 2)
    x = world.bolig_x_id
    assert heating_editions(read(database, "Bolig", x, "hent")) == [
        (False, [submitted]),
        (True, [draft_jan, draft_jun]),
    ]
    assert heating_editions(read(database, "Bolig", x, "hent_specifik", JUL)) == [
        (False, [submitted]),
        (True, [draft_jun]),
    ]
    assert heating_editions(read(database, "Bolig", x, "hent_historisk", R2)) == [
        (False, [submitted]),
        (True, [draft_jan, draft_jun]),
    ]
    assert heating_editions(read(database, "Bolig", x, "hent_historisk", FEB)) == [(False, [submitted])]
    assert heating_editions(read(database, "Bolig", x, "hent_historisk_specifik", R3, FEB)) == [
        (False, [submitted]),
        (True, [draft_jan]),
    ]
    assert periods(read(database, "Bolig", x, "hent_virkningsperioder")) == [
        (JAN, None, R1, None, False),
        (JAN, JUN, R2, None, True),
        (JUN, None, R2, None, True),
    ]
    assert periods(read(database, "Bolig", x, "hent_virkningsperioder", FEB)) == [(JAN, None, R1, None, False)]
    with database.transaction() as session:
        listed = bitemporal.list_in_effect(session, KINDS["Bolig"], [session.get(Bolig, x)], JUL)
    assert heating_editions(listed) == [(False, [submitted])]  # §2.x.2: one structure, the one in force


def test_editing_goes_to_the_draft_and_submission_ends_it(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    x = world.bolig_x_id
    assert ret(database, "Bolig", x, [heating(JAN, None, 1)], now=R1) == []
    assert ret(database, "Bolig", x, [heating(JUN, None, 2)], now=R2, draft=True) == []
    # a second draft edit builds on the draft, not on the submitted edition
    assert ret(database, "Bolig", x, [heating(SEP, None, 3)], now=R3, draft=True) == []
    assert heating_editions(read(database, "Bolig", x, "hent"))[1] == (
        True,
        [(JAN, JUN, R3, None, 1), (JUN, SEP, R3, None, 2), (SEP, None, R3, None, 3)],
    )
    # the submission edits the draft as well, replaces the submitted edition and ends the draft
    r4 = day(2017, 4, 20)
    assert ret(database, "Bolig", x, [heating(day(2017, 10, 1), None, 4)], now=r4) == []
    october = day(2017, 10, 1)
    assert heating_editions(read(database, "Bolig", x, "hent")) == [
        (
            False,
            [
                (JAN, JUN, r4, None, 1),
                (JUN, SEP, r4, None, 2),
                (SEP, october, r4, None, 3),
                (october, None, r4, None, 4),
            ],
        )
    ]
    # the draft's history is kept
    assert heating_editions(read(database, "Bolig", x, "hent_historisk", r4 - TICK))[1] == (
        True,
        [(JAN, JUN, R3, r4, 1), (JUN, SEP, R3, r4, 2), (SEP, None, R3, r4, 3)],
    )
    # the next draft starts from the submitted edition again
    assert ret(database, "Bolig", x, [heating(day(2018, 1, 1), None, 1)], now=day(2017, 5, 1), draft=True) == []
    assert len(heating_editions(read(database, "Bolig", x, "hent"))[1][1]) == 5


def test_submitting_without_versions_submits_the_draft(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    x = world.bolig_x_id
    assert ret(database, "Bolig", x, [heating(JAN, None, 1)], now=R1) == []
    assert ret(database, "Bolig", x, [heating(JUN, None, 2)], now=R2, draft=True) == []
    assert ret(database, "Bolig", x, [], now=R3) == []
    assert heating_editions(read(database, "Bolig", x, "hent")) == [
        (False, [(JAN, JUN, R3, None, 1), (JUN, None, R3, None, 2)])
    ]


def test_a_refused_submission_keeps_the_draft(database: Database, world: World) -> None:
    x = world.bolig_x_id  # no expenses, no lease: 2014 and 2015
    assert ret(database, "Bolig", x, [heating(JAN, None, 1)], now=R1, draft=True) == []
    before = version_rows(database, "Bolig")
    assert numbers(ret(database, "Bolig", x, [heating(JUN, None, 2)], now=R2)) == [2014, 2015]
    assert version_rows(database, "Bolig") == before
    assert heating_editions(read(database, "Bolig", x, "hent")) == [(False, []), (True, [(JAN, None, R1, None, 1)])]


# --- Valider ----------------------------------------------------------------------------------------------------


def test_valider_writes_nothing(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    x = world.bolig_x_id
    assert ret(database, "Bolig", x, [heating(JAN, JUN, 1), heating(JUN, None, 2)], now=R1) == []
    before = version_rows(database, "Bolig")
    # valid, submitted or as a draft: no findings, nothing written
    assert ret(database, "Bolig", x, [heating(FEB, MAR, 3)], now=R1, save=False) == []
    assert ret(database, "Bolig", x, [heating(MAR, MAY, 3)], now=R1, save=False, draft=True) == []
    # infos are reported, still nothing written
    found = ret(database, "Bolig", x, [heating(MAY, None, 3)], now=R1, save=False)
    assert numbers(found) == [5005]
    # errors are reported, also for a draft (Valider always checks in full)
    assert numbers(ret(database, "Bolig", x, [heating(MAY, None, 9)], now=R1, save=False)) == [2004, 5005]
    assert numbers(ret(database, "Bolig", x, [heating(MAY, None, 9)], now=R1, save=False, draft=True)) == [2004, 5005]
    assert version_rows(database, "Bolig") == before
    assert ret(database, "Afdeling", world.afdeling_id, [version(JAN)], now=R1, save=False) == []
    assert version_rows(database, "Afdeling") == []
    # Valider checks in full even for KladdeIndikator True, where Ret saves the draft unchecked: Bolig Y has
    # neither expenses nor a lease
    found = ret(database, "Bolig", world.bolig_y_id, [heating(JAN, None, 1)], now=R1, save=False, draft=True)
    assert numbers(found) == [2014, 2015]
    assert version_rows(database, "Bolig") == before
    assert ret(database, "Bolig", world.bolig_y_id, [heating(JAN, None, 1)], now=R1, draft=True) == []


# --- Registration time ------------------------------------------------------------------------------------------


def test_registration_time_never_goes_backwards(database: Database, world: World) -> None:
    assert org_ret(database, world, [described(JAN, None, "a")], now=R2) == []
    assert org_ret(database, world, [described(JAN, None, "b")], now=R1) == []  # a clock behind the last write
    rows = version_rows(database, "Boligorganisation")
    assert [(rf, rt, data["BoligorganisationBeskrivelseTekst"]) for _, _, _, rf, rt, _, _, data in rows] == [
        (R2, R2, "a"),
        (R2, None, "b"),
    ]
    assert [item[2:4] for item in org_hent(database, world)[0][1]] == [(R2, None)]
    answer = read(database, "Boligorganisation", world.organisation_id, "hent_historisk", R2)
    assert [v["BoligorganisationBeskrivelseTekst"] for v in answer[0]["BoligorganisationVersionStruktur"]] == ["b"]
    # later writes move on from there
    assert org_ret(database, world, [described(JAN, None, "c")], now=R3) == []
    assert [item[2:4] for item in org_hent(database, world)[0][1]] == [(R3, None)]


def test_errors_write_nothing(database: Database, world: World) -> None:
    make_submittable(database, world.bolig_x_id)
    x = world.bolig_x_id
    assert ret(database, "Bolig", x, [heating(JAN, None, 1)], now=R1) == []
    before = version_rows(database, "Bolig")
    found = ret(database, "Bolig", x, [heating(JUN, None, 1, BoligGarageKode=7, BoligURLTekst="fjordbo")], now=R2)
    assert details(found) == [
        (2005, "Bolig.Garage skal være 1, 2 eller 3", "Bolig", "BoligGarageKode", str(BOLIG_X), JUN),
        (2016, "Bolig.URL skal indeholde en gyldig Url", "Bolig", "BoligURLTekst", str(BOLIG_X), JUN),
    ]
    assert version_rows(database, "Bolig") == before
    # and the draft edition was not touched either
    assert numbers(ret(database, "Bolig", x, [heating(JUN, JAN, 1)], now=R2, draft=True)) == [5002]
    assert version_rows(database, "Bolig") == before


# --- 2014, 2015, 2023 -------------------------------------------------------------------------------------------

TODAY = date(2024, 6, 1)
NOW = day(2024, 6, 1, 12)


def submission(database: Database, world: World, register: RegisterRules | None = None) -> list[int]:
    with database.transaction() as session:
        bolig = session.get(Bolig, world.bolig_x_id)
        return numbers(bitemporal.check_bolig_submission(session, bolig, register or RegisterRules(), NOW))


def test_2014_2015_nothing_reported(database: Database, world: World) -> None:
    found = ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=NOW)
    assert details(found) == [
        (2014, TEXT_2014, "Bolig", None, str(BOLIG_X), None),
        (2015, TEXT_2015, "Bolig", None, str(BOLIG_X), None),
    ]
    assert version_rows(database, "Bolig") == []
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=NOW, draft=True) == []


def test_2014_every_fixed_type_current_or_future(database: Database, world: World) -> None:
    with database.transaction() as session:
        add_lease(session, world.bolig_x_id, date(2020, 1, 1))
        add_expenses(session, world.bolig_x_id, date(2020, 1, 1), types=range(1, 7))  # no 7
        add_expenses(session, world.bolig_x_id, date(2020, 1, 1), types=[7], kladde=True)  # a draft does not count
        add_expenses(session, world.bolig_x_id, date(2020, 1, 1), TODAY - timedelta(days=1), types=[7])  # ended
    assert submission(database, world) == [2014]
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2020, 1, 1), TODAY, types=[7])  # the end date is inclusive
    assert submission(database, world) == []
    # expenses that start in the future suffice (since 1.9)
    with database.transaction() as session:
        session.execute(delete(Boligudgift))
        add_expenses(session, world.bolig_x_id, date(2025, 1, 1))
    assert submission(database, world) == []


def test_2015_a_current_or_future_lease(database: Database, world: World) -> None:
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2019, 1, 1))
    for start, end, kladde, expected in [
        (date(2020, 1, 1), None, False, []),
        (date(2020, 1, 1), TODAY, False, []),  # ends today: still current
        (date(2020, 1, 1), TODAY - timedelta(days=1), False, [2015]),  # ended
        (date(2025, 1, 1), None, False, []),  # future
        (date(2020, 1, 1), None, True, [2015]),  # a draft lease does not count
    ]:
        with database.transaction() as session:
            session.execute(delete(Lejekontrakt))
            add_lease(session, world.bolig_x_id, start, end, kladde=kladde)
        assert submission(database, world) == expected, (start, end, kladde)


def test_2023_expenses_for_every_lease_after_the_cutoff(database: Database, world: World) -> None:
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2022, 1, 1))
        add_lease(session, world.bolig_x_id, date(2021, 6, 1), date(2021, 12, 31))
        add_lease(session, world.bolig_x_id, date(2022, 1, 1))
    found = ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=NOW)
    assert details(found) == [(2023, text_2023("01-01-2021"), "Bolig", None, str(BOLIG_X), None)]
    assert version_rows(database, "Bolig") == []
    # the lease starts on the cutoff, not after it
    assert submission(database, world, RegisterRules(lease_cutoff=date(2021, 6, 1))) == []
    found = ret(
        database,
        "Bolig",
        world.bolig_x_id,
        [heating(JAN, None, 1)],
        now=NOW,
        register=RegisterRules(lease_cutoff=date(2021, 5, 31)),
    )
    assert texts(found) == {(2023, text_2023("31-05-2021"))}


def test_2014_2015_today_is_the_danish_date(database: Database, world: World) -> None:
    """End dates are Danish calendar dates: just after Danish midnight yesterday's lease has ended."""
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2020, 1, 1))
        add_lease(session, world.bolig_x_id, date(2020, 1, 1), date(2024, 5, 31))
        bolig = session.get(Bolig, world.bolig_x_id)
        just_after_danish_midnight = day(2024, 5, 31, 22) + timedelta(minutes=30)  # 2024-06-01 00:30 in Denmark
        found = bitemporal.check_bolig_submission(session, bolig, RegisterRules(), just_after_danish_midnight)
    assert numbers(found) == [2015]


def test_2023_an_ended_expense_in_force_at_the_lease_start_counts(database: Database, world: World) -> None:
    with database.transaction() as session:
        add_expenses(session, world.bolig_x_id, date(2021, 1, 1), date(2021, 12, 31), types=range(1, 7))
        add_expenses(session, world.bolig_x_id, date(2021, 6, 1), date(2021, 12, 31), types=[7])  # from the start
        add_expenses(session, world.bolig_x_id, date(2022, 1, 1))
        add_lease(session, world.bolig_x_id, date(2021, 6, 1))
        add_lease(session, world.bolig_x_id, date(2023, 3, 1), kladde=True)  # drafts are not checked
    assert submission(database, world) == []
    with database.transaction() as session:
        add_lease(session, world.bolig_x_id, date(2021, 5, 31), date(2021, 5, 31))  # type 7 starts a day late
    assert submission(database, world) == [2023]


# --- Authorisation ----------------------------------------------------------------------------------------------


def not_found(call) -> str:
    with pytest.raises(Refused) as raised:
        call()
    return raised.value.message


def test_the_user_guide_identifies_an_organisation_as_the_service_does() -> None:
    """docs/huslejeregister.md "Identifying things": the LBF number; the UnikIdentifikator alone only for
    HandicapBoligTypeList (what the next test shows the service doing)."""
    guide = Path(__file__).parents[2] / "docs" / "huslejeregister.md"
    (row,) = [
        line for line in guide.read_text(encoding="utf-8").splitlines() if line.startswith("| Boligorganisation |")
    ]
    assert "`BoligorganisationUnikIdentifikator` is ignored (§2.1.2), except by `HandicapBoligTypeList`" in row


def test_find_within_the_callers_organisations_only(database: Database, world: World) -> None:
    with database.transaction() as session:
        assert organisations.find_organisation(session, world.caller, organisation_ident()).id == world.organisation_id
        unique = {"BoligorganisationUnikIdentifikator": world.organisation_id}
        assert organisations.find_organisation(session, world.caller, unique, by_unique=True).nummer == ORG_NUMBER
        with pytest.raises(Refused, match="BoligorganisationIdentifikator skal udfyldes"):
            organisations.find_organisation(session, world.caller, unique)  # the UnikIdentifikator is not used (§2.2)
        assert organisations.find_afdeling(session, world.caller, afdeling_ident()).id == world.afdeling_id
        assert organisations.find_byggeafsnit(session, world.caller, byggeafsnit_ident()).id == world.byggeafsnit_id
        assert organisations.find_bolig(session, world.caller, bolig_ident()).id == world.bolig_x_id
        assert organisations.find_bolig(session, world.other_caller, bolig_ident(BOLIG_Z)).id == world.bolig_z_id
        listed = bitemporal.children(session, KINDS["Boligorganisation"], world.caller, None)
        assert [item.nummer for item in listed] == [ORG_NUMBER]
    suffix = " findes ikke eller administreres ikke af brugeren"
    other = world.other_caller
    with database.transaction() as session:
        assert (
            not_found(lambda: organisations.find_organisation(session, other, organisation_ident()))
            == f"Boligorganisation {ORG_NUMBER}{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_organisation(session, other, organisation_ident(9999)))
            == f"Boligorganisation 9999{suffix}"
        )
        both = {
            "BoligorganisationIdentifikator": ORG_NUMBER,
            "BoligorganisationUnikIdentifikator": world.other_organisation_id,
        }
        assert not_found(
            lambda: organisations.find_organisation(
                session,
                Caller("all", frozenset({world.organisation_id, world.other_organisation_id})),
                both,
                by_unique=True,
            )
        ).endswith(suffix)
        assert (
            not_found(lambda: organisations.find_afdeling(session, other, afdeling_ident()))
            == f"Boligorganisation {ORG_NUMBER}{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_afdeling(session, world.caller, afdeling_ident(afdeling=9)))
            == f"Afdeling {ORG_NUMBER}-9{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_byggeafsnit(session, other, byggeafsnit_ident()))
            == f"Boligorganisation {ORG_NUMBER}{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_byggeafsnit(session, world.caller, byggeafsnit_ident(byggeafsnit=9)))
            == f"Byggeafsnit {ORG_NUMBER}-1-9{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_bolig(session, other, bolig_ident(BOLIG_X)))
            == f"Bolig {BOLIG_X}{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_bolig(session, world.caller, bolig_ident(BOLIG_Z)))
            == f"Bolig {BOLIG_Z}{suffix}"
        )
        unknown = uuid.uuid4()
        assert (
            not_found(lambda: organisations.find_bolig(session, world.caller, bolig_ident(unknown)))
            == f"Bolig {unknown}{suffix}"
        )
        assert (
            not_found(lambda: organisations.find_organisation(session, world.caller, {}))
            == "BoligorganisationIdentifikator skal udfyldes"
        )
        nobody = Caller("nobody", frozenset())
        assert bitemporal.children(session, KINDS["Boligorganisation"], nobody, None) == []


# --- Users and authentication -----------------------------------------------------------------------------------


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> dict:
    cache: dict = {}
    monkeypatch.setattr(organisations, "_VERIFIED", cache)
    return cache


def test_authenticate(database: Database, world: World, fresh_cache: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    with database.transaction() as session:
        organisations.add_user(session, "fjordbo", "hemmelig", [ORG_NUMBER, OTHER_ORG_NUMBER], now=R1)
    verified = []
    real_verify = organisations.verify_password
    monkeypatch.setattr(organisations, "verify_password", lambda h, p: verified.append(p) or real_verify(h, p))

    def login(username: str, password: str) -> Caller | None:
        with database.transaction() as session:
            return organisations.authenticate(session, username, password)

    caller = login("fjordbo", "hemmelig")
    assert caller == Caller("fjordbo", frozenset({world.organisation_id, world.other_organisation_id}))
    assert login("fjordbo", "hemmelig") == caller
    assert verified == ["hemmelig"]  # the second call used the cache
    assert login("fjordbo", "forkert") is None
    assert login("ukendt", "hemmelig") is None
    # a changed password takes effect at once, although the old one is cached
    with database.transaction() as session:
        assert organisations.set_password(session, "fjordbo", "nyt") is True
        assert organisations.set_password(session, "ukendt", "nyt") is False
    assert login("fjordbo", "hemmelig") is None
    assert login("fjordbo", "nyt") == caller
    # so does removing the user
    with database.transaction() as session:
        assert organisations.remove_user(session, "fjordbo") is True
        assert organisations.remove_user(session, "fjordbo") is False
    assert login("fjordbo", "nyt") is None
    assert fresh_cache  # the cache was used all along
    # a new user of the same name: a new hash, and its own organisations
    with database.transaction() as session:
        user = organisations.add_user(session, "fjordbo", "hemmelig", [ORG_NUMBER], now=R1)
        assert user.password_hash != "hemmelig"
        with pytest.raises(ValueError, match="already exists"):
            organisations.add_user(session, "fjordbo", "x", [ORG_NUMBER], now=R1)
        with pytest.raises(ValueError, match="no Boligorganisation with number 4242, 4343 in Stamdata"):
            organisations.add_user(session, "ny", "x", [ORG_NUMBER, 4343, 4242], now=R1)
        assert [u.username for u in organisations.list_users(session)] == ["fjordbo"]
        assert [o.nummer for o in organisations.list_users(session)[0].organisations] == [ORG_NUMBER]
    assert login("fjordbo", "hemmelig") == Caller("fjordbo", frozenset({world.organisation_id}))


# --- HandicapBoligType (§4.10) ----------------------------------------------------------------------------------


def question(ident: str, **answer) -> dict:
    return {"HandicapSpoergsmaalIdentifikator": ident, "HandicapRegistreringStruktur": answer}


def handicap_type(*questions: dict, status: int | None = handicap.CREATE, **extra) -> dict:
    found = {
        "ByggeafsnitIdentifikationStruktur": byggeafsnit_ident(),
        "HandicapBoligTypeTitelTekst": "Stueetage med niveaufri adgang",
        "HandicapSpoergsmaalListe": {"HandicapSpoergsmaalStruktur": list(questions)},
        **extra,
    }
    if status is not None:
        found["ObjektStatusKode"] = status
    return found


def ret_types(database: Database, caller: Caller, *structures: dict, save: bool = True) -> list[Finding]:
    with database.transaction() as session:
        return handicap.ret_types(session, caller, list(structures), save=save)


def list_types(database: Database, world: World) -> list[dict]:
    with database.transaction() as session:
        return handicap.list_types(session, world.organisation_id)


def answers(item: dict) -> dict[str, tuple]:
    return {
        q["HandicapSpoergsmaalIdentifikator"]: tuple(q["HandicapRegistreringStruktur"].values())
        for q in item["HandicapSpoergsmaalListe"]["HandicapSpoergsmaalStruktur"]
        if "HandicapRegistreringStruktur" in q
    }


def create_type(database: Database, world: World) -> uuid.UUID:
    found = ret_types(
        database,
        world.caller,
        handicap_type(
            question("A1", HandicapSvarIdentifikator="J"),
            question("A2", HandicapRegistreringNumeriskVaerdiKvantitet=0),
            question("B3", HandicapRegistreringTekstVaerdiTekst="Greb ved toilet"),
            question("U1", HandicapRegistreringIkkeRelevantIndikator=True),
            HandicapBoligTypeBeskrivelseTekst="Boliger i stueetagen",
        ),
    )
    assert found == []
    (item,) = list_types(database, world)
    return item["HandicapBoligTypeUnikIdentifikator"]


def test_handicap_create(database: Database, world: World) -> None:
    ident = create_type(database, world)
    (item,) = list_types(database, world)
    assert item["HandicapBoligTypeUnikIdentifikator"] == ident
    assert item["HandicapBoligTypeTitelTekst"] == "Stueetage med niveaufri adgang"
    assert item["HandicapBoligTypeBeskrivelseTekst"] == "Boliger i stueetagen"
    assert item["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitUnikIdentifikator"] == world.byggeafsnit_id
    questions = item["HandicapSpoergsmaalListe"]["HandicapSpoergsmaalStruktur"]
    assert [q["HandicapSpoergsmaalIdentifikator"] for q in questions] == [q.ident for q in handicap.CATALOGUE]
    a3 = next(q for q in questions if q["HandicapSpoergsmaalIdentifikator"] == "A3")
    assert a3["HandicapSpoergsmaalTypeKode"] == handicap.CHOICE
    assert [s["HandicapSvarIdentifikator"] for s in a3["HandicapSvarStruktur"]] == ["J", "N", "D"]
    assert answers(item) == {
        "A1": (None, None, "J", False),
        "A2": (0, None, None, False),
        "B3": (None, "Greb ved toilet", None, False),
        "U1": (None, None, None, True),
    }
    with database.transaction() as session:
        assert handicap.list_types(session, world.other_organisation_id) == []


def test_handicap_update_answer_statuses_and_delete(database: Database, world: World) -> None:
    ident = create_type(database, world)
    update = handicap_type(
        question("A1", HandicapSvarIdentifikator="N"),  # Ret by default
        question("A2", ObjektStatusKode=handicap.DELETE),
        question("K1", ObjektStatusKode=handicap.CREATE, HandicapSvarIdentifikator="J"),
        question("B3", ObjektStatusKode=handicap.NONE, HandicapRegistreringTekstVaerdiTekst="ignoreret"),
        question("A3", HandicapSvarIdentifikator="D"),
        status=None,  # with a UnikIdentifikator: Ret
        HandicapBoligTypeUnikIdentifikator=ident,
        HandicapBoligTypeTitelTekst="  Ny titel ",
    )
    assert ret_types(database, world.caller, update) == []
    (item,) = list_types(database, world)
    assert item["HandicapBoligTypeTitelTekst"] == "Ny titel"
    assert item["HandicapBoligTypeBeskrivelseTekst"] is None
    assert answers(item) == {
        "A1": (None, None, "N", False),
        "A3": (None, None, "D", False),
        "B3": (None, "Greb ved toilet", None, False),
        "K1": (None, None, "J", False),
        "U1": (None, None, None, True),
    }
    # ObjektStatusKode 0 on the type: the type stays, its answers are still applied
    none = handicap_type(question("A2", HandicapRegistreringNumeriskVaerdiKvantitet=3), status=handicap.NONE)
    none["HandicapBoligTypeUnikIdentifikator"] = ident
    assert ret_types(database, world.caller, none) == []
    (item,) = list_types(database, world)
    assert (item["HandicapBoligTypeTitelTekst"], answers(item)["A2"]) == ("Ny titel", (3, None, None, False))
    # Slet: the type and its answers go
    delete = {"ObjektStatusKode": handicap.DELETE, "HandicapBoligTypeUnikIdentifikator": ident}
    assert ret_types(database, world.caller, delete) == []
    assert list_types(database, world) == []
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(HandicapRegistrering)) == 0


def test_handicap_answer_in_the_element_of_the_question_kind(database: Database, world: World) -> None:
    numeric = ("HandicapRegistrering.NumeriskVaerdi skal udfyldes", "HandicapRegistreringNumeriskVaerdiKvantitet")
    for ident, answer, (text, field) in [
        ("A2", {}, numeric),
        ("A2", {"HandicapRegistreringTekstVaerdiTekst": "3"}, numeric),  # the element of another kind
        (
            "B3",
            {"HandicapRegistreringTekstVaerdiTekst": "  "},
            ("HandicapRegistrering.TekstVaerdi skal udfyldes", "HandicapRegistreringTekstVaerdiTekst"),
        ),
        (
            "A1",
            {"HandicapRegistreringNumeriskVaerdiKvantitet": 1},
            ("HandicapRegistrering.Svar skal udfyldes", "HandicapSvarIdentifikator"),
        ),
    ]:
        found = ret_types(database, world.caller, handicap_type(question(ident, **answer)))
        assert [(f.number, f.text, f.entity, f.field) for f in found] == [(1000, text, "HandicapRegistrering", field)]
    assert list_types(database, world) == []
    # not relevant: no value needed
    not_relevant = [question(q, HandicapRegistreringIkkeRelevantIndikator=True) for q in ("A1", "A2", "B3")]
    assert ret_types(database, world.caller, handicap_type(*not_relevant)) == []
    (item,) = list_types(database, world)
    assert answers(item) == dict.fromkeys(("A1", "A2", "B3"), (None, None, None, True))


def test_handicap_faults(database: Database, world: World) -> None:
    message = not_found(
        lambda: ret_types(database, world.caller, handicap_type(question("Z9", HandicapSvarIdentifikator="J")))
    )
    assert message == "HandicapSpoergsmaal Z9 findes ikke i spørgsmålskataloget"
    message = not_found(
        lambda: ret_types(database, world.caller, handicap_type(question("A1", HandicapSvarIdentifikator="D")))
    )
    assert message == "HandicapSvar D findes ikke for HandicapSpoergsmaal A1"
    assert (
        not_found(lambda: ret_types(database, world.caller, handicap_type(status=7)))
        == "ObjektStatusKode 7 findes ikke (0, 1, 2 eller 3)"
    )
    other_section = handicap_type(ByggeafsnitIdentifikationStruktur=byggeafsnit_ident(OTHER_ORG_NUMBER))
    assert not_found(lambda: ret_types(database, world.caller, other_section)).endswith(
        "administreres ikke af brugeren"
    )
    ident = create_type(database, world)
    update = {
        "ObjektStatusKode": handicap.UPDATE,
        "HandicapBoligTypeUnikIdentifikator": ident,
        "HandicapBoligTypeTitelTekst": "x",
    }
    message = not_found(lambda: ret_types(database, world.other_caller, update))
    assert message == f"HandicapBoligType {ident} findes ikke eller administreres ikke af brugeren"
    message = not_found(lambda: ret_types(database, world.caller, {"ObjektStatusKode": handicap.DELETE}))
    assert message == "HandicapBoligTypeUnikIdentifikator skal udfyldes for at rette eller slette"
    assert len(list_types(database, world)) == 1


def test_handicap_required_fields_all_or_nothing_and_valider(database: Database, world: World) -> None:
    found = ret_types(database, world.caller, handicap_type(HandicapBoligTypeTitelTekst=" "))
    assert [(f.number, f.text, f.field) for f in found] == [
        (1000, "HandicapBoligType.Titel skal udfyldes", "HandicapBoligTypeTitelTekst")
    ]
    found = ret_types(database, world.caller, handicap_type(ByggeafsnitIdentifikationStruktur=None))
    assert [(f.number, f.text, f.field) for f in found] == [
        (1000, "HandicapBoligType.Byggeafsnit skal udfyldes", "ByggeafsnitIdentifikationStruktur")
    ]
    assert list_types(database, world) == []
    good, bad = handicap_type(), handicap_type(HandicapBoligTypeTitelTekst="")
    assert numbers(ret_types(database, world.caller, good, bad)) == [1000]
    assert list_types(database, world) == []
    assert ret_types(database, world.caller, good, save=False) == []
    assert list_types(database, world) == []


def test_handicap_type_in_use_cannot_be_deleted(database: Database, world: World) -> None:
    ident = create_type(database, world)
    referencing = heating(JAN, None, 1, HandicapBoligTypeReference=ident)
    assert ret(database, "Bolig", world.bolig_x_id, [referencing], now=R1, draft=True) == []
    delete = {"ObjektStatusKode": handicap.DELETE, "HandicapBoligTypeUnikIdentifikator": ident}
    assert not_found(lambda: ret_types(database, world.caller, delete)) == (
        f"HandicapBoligType {ident} er knyttet til boliger og kan ikke slettes"
    )
    assert len(list_types(database, world)) == 1
    # once no current version refers to it (only the history does), it can go
    assert ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1)], now=R2, draft=True) == []
    assert ret_types(database, world.caller, delete) == []
    with database.transaction() as session:
        assert session.get(HandicapBoligType, ident) is None


def test_bolig_handicap_reference_must_be_a_type_of_its_section(database: Database, world: World) -> None:
    ident = create_type(database, world)  # in Byggeafsnit 1001-1-1, where Bolig X is
    with database.transaction() as session:
        other = handicap.ret_types(
            session,
            world.other_caller,
            [handicap_type(ByggeafsnitIdentifikationStruktur=byggeafsnit_ident(OTHER_ORG_NUMBER))],
            save=True,
        )
        assert other == []
        other_ident = next(
            item.id
            for item in session.scalars(select(HandicapBoligType))
            if item.byggeafsnit_id != world.byggeafsnit_id
        )
    make_submittable(database, world.bolig_x_id)
    for reference in (other_ident, uuid.uuid4()):
        sent = heating(JAN, None, 1, HandicapBoligTypeReference=reference)
        for save in (True, False):
            with pytest.raises(Refused) as raised:
                ret(database, "Bolig", world.bolig_x_id, [sent], now=R1, save=save)
            assert raised.value.message == f"HandicapBoligType {reference} findes ikke i boligens byggeafsnit"
    assert version_rows(database, "Bolig") == []
    assert (
        ret(database, "Bolig", world.bolig_x_id, [heating(JAN, None, 1, HandicapBoligTypeReference=ident)], now=R1)
        == []
    )
    stored = read(database, "Bolig", world.bolig_x_id, "hent")[0]["BoligVersionStruktur"][0]
    assert stored["HandicapBoligTypeReference"] == ident


# --- Indstilling and Udlejningssamarbejde ----------------------------------------------------------------------


def test_indstilling(database: Database, world: World) -> None:
    def settings() -> tuple:
        with database.transaction() as session:
            found = session.get(Indstilling, world.organisation_id)
            if found is None:
                return ()
            return (found.enhedsadministration_aktiv, found.notifikations_emails, found.oprettet, found.aendret)

    with database.transaction() as session:
        organisation = session.get(Boligorganisation, world.organisation_id)
        valid = {"IndstillingNotifikationsEmailsTekst": "drift@fjordbo.dk"}
        assert organisations.ret_indstilling(session, organisation, valid, now=R1, save=False) == []
    assert settings() == ()  # Valider creates nothing
    with database.transaction() as session:
        organisation = session.get(Boligorganisation, world.organisation_id)
        assert organisations.ret_indstilling(session, organisation, valid, now=R1, save=True) == []
    assert settings() == (True, "drift@fjordbo.dk", R1, R1)  # initial EnhedsadministrationAktiv: True
    with database.transaction() as session:
        organisation = session.get(Boligorganisation, world.organisation_id)
        organisations.ret_indstilling(session, organisation, valid, now=R2, save=True)  # no real change
    assert settings() == (True, "drift@fjordbo.dk", R1, R1)
    with database.transaction() as session:
        organisation = session.get(Boligorganisation, world.organisation_id)
        found = organisations.ret_indstilling(
            session, organisation, {"IndstillingNotifikationsEmailsTekst": "x@y"}, now=R2, save=True
        )
        assert [(f.number, f.reference) for f in found] == [(2501, str(world.organisation_id))]
    assert settings() == (True, "drift@fjordbo.dk", R1, R1)
    with database.transaction() as session:
        organisation = session.get(Boligorganisation, world.organisation_id)
        change = {"IndstillingEnhedsadministrationAktivIndikator": False}
        assert organisations.ret_indstilling(session, organisation, change, now=R3, save=True) == []
        output = organisations.indstilling_output(organisation, organisations.indstilling(session, organisation, R3))
    assert settings() == (False, "drift@fjordbo.dk", R1, R3)  # left-out elements keep their value
    assert output["IndstillingNyeEnhederEmailsAktivIndikator"] is False
    assert output["IndstillingIdentifikationStruktur"]["BoligorganisationIdentifikationStruktur"] == {
        "BoligorganisationUnikIdentifikator": world.organisation_id,
        "BoligorganisationIdentifikator": ORG_NUMBER,
    }


def test_udlejningssamarbejder(database: Database) -> None:
    with database.transaction() as session:
        assert organisations.list_udlejningssamarbejder(session) == []
        second = organisations.add_udlejningssamarbejde(session, "Aarhus Bolignet", "Aarhus")
        first = organisations.add_udlejningssamarbejde(session, "Aalborg Boligportal")
        with pytest.raises(ValueError, match="already exists"):
            organisations.add_udlejningssamarbejde(session, "Aarhus Bolignet")
    with database.transaction() as session:
        assert organisations.list_udlejningssamarbejder(session) == [
            {
                "UdlejningssamarbejdeUnikIdentifikator": first.id,
                "UdlejningssamarbejdeNavnTekst": "Aalborg Boligportal",
                "UdlejningssamarbejdeBeskrivelseTekst": None,
            },
            {
                "UdlejningssamarbejdeUnikIdentifikator": second.id,
                "UdlejningssamarbejdeNavnTekst": "Aarhus Bolignet",
                "UdlejningssamarbejdeBeskrivelseTekst": "Aarhus",
            },
        ]


# --- core.temporal with the composite key (entity, kladde) ------------------------------------------------------


def test_two_editions_are_independent_timelines(database: Database, world: World) -> None:
    model, org = BoligorganisationVersion, world.organisation_id
    submitted, draft = (org, False), (org, True)

    def rows(**data) -> list[dict]:
        return [{"effective_from": JAN, "data": data}]

    with database.transaction() as session:
        replace_versions(session, model, submitted, rows(n=1), R1)
        replace_versions(session, model, draft, rows(n=2), R2)
    with database.transaction() as session:
        assert [
            (r.kladde, r.data, r.registered_from, r.registered_to) for r in current_versions(session, model, submitted)
        ] == [(False, {"n": 1}, R1, None)]
        assert [(r.kladde, r.data) for r in current_versions(session, model, draft)] == [(True, {"n": 2})]
        # re-registering the submitted edition leaves the draft's registration open
        replace_versions(session, model, submitted, rows(n=3), R3)
        # registration time is kept per timeline: the draft's next registration may lie before R3
        between = R2 + timedelta(days=1)
        replace_versions(session, model, draft, rows(n=4), between)
    with database.transaction() as session:
        assert [(r.data, r.registered_from) for r in current_versions(session, model, submitted)] == [({"n": 3}, R3)]
        assert [(r.data, r.registered_from) for r in current_versions(session, model, draft)] == [({"n": 4}, between)]
        assert [r.data for r in versions_as_of(session, model, draft, R2)] == [{"n": 2}]
        assert [r.data for r in versions_as_of(session, model, submitted, R2)] == [{"n": 1}]
        assert effect_periods(session, model, draft) == effect_periods(session, model, submitted)
        assert deregister(session, model, draft, R3) == 1
    with database.transaction() as session:
        assert current_versions(session, model, draft) == []
        assert [r.data for r in current_versions(session, model, submitted)] == [{"n": 3}]
        assert session.scalar(select(func.count()).select_from(model)) == 4
        # other entities are separate timelines too
        assert current_versions(session, model, (world.other_organisation_id, False)) == []
    with database.transaction() as session:
        with pytest.raises(ValueError, match=r"keyed by \(entity_id, kladde\)"):
            current_versions(session, BoligorganisationVersion, (world.organisation_id, False, 1))
        with pytest.raises(ValueError, match="versions may not set kladde"):
            replace_versions(
                session,
                BoligorganisationVersion,
                (world.organisation_id, False),
                [{"effective_from": JAN, "data": {}, "kladde": True}],
                R1,
            )
