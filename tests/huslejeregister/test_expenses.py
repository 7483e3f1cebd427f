"""Boligudgift (huslejeregister.md §4.5): the service's rules, chains and DatoTid elements on one database per module
(SQLite and PostgreSQL), then the six methods end to end with zeep over a live server.

Each service test works on dwellings of its own (:func:`new_bolig`), so the tests share the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from bodata.core.db import Database, create_database_engine
from bodata.huslejeregister import bitemporal, expenses, organisations
from bodata.huslejeregister.calls import Caller, Refused, RegisterRules
from bodata.huslejeregister.models import Bolig, Boligudgift, BoligVersion
from bodata.huslejeregister.rules import Finding

from ..databases import scratch_database_url
from .builders import World, seed_world
from .builders import bolig_ident as service_ident
from .conftest import HrService, bolig_ident, unit_id

NOW = datetime(2025, 6, 2, 10, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
BY_TYPE: Any = object()
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"


# --- A database per module ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, World]]:
    with scratch_database_url(
        request.param, tmp_path_factory.mktemp(f"expenses-{request.param}"), content="schema"
    ) as url:
        database = Database(create_database_engine(url))
        try:
            with database.transaction() as session:
                seeded = seed_world(session)
            yield database, seeded
        finally:
            database.dispose()


@pytest.fixture
def db(world: tuple[Database, World]) -> Database:
    return world[0]


@pytest.fixture
def caller(world: tuple[Database, World]) -> Caller:
    return world[1].caller


def new_bolig(world: tuple[Database, World], *, other: bool = False) -> uuid.UUID:
    """A fresh dwelling (its BBR id) in organisation 1001's building section (2002's with ``other``)."""
    database, seeded = world
    bbr_id = uuid.uuid4()
    with database.transaction() as session:
        session.add(
            Bolig(
                bbr_id=bbr_id,
                byggeafsnit_id=seeded.other_byggeafsnit_id if other else seeded.byggeafsnit_id,
                vejkode=1,
                vejnavn="Udgiftsvej",
                husnummer="1",
                postnummer=2400,
                kommunekode=101,
            )
        )
    return bbr_id


@pytest.fixture
def bolig(world: tuple[Database, World]) -> uuid.UUID:
    return new_bolig(world)


def structure(
    bbr_id: uuid.UUID | None,
    typekode: int | None = 2,
    start: date | None = date(2020, 1, 1),
    *,
    amount: Decimal | None = Decimal("450.00"),
    recipient: Any = BY_TYPE,
    included: Any = BY_TYPE,
    description: str | None = None,
    end: date | None = None,
    kladde: bool | None = False,
    reference: str | None = None,
    unique: uuid.UUID | None = None,
) -> dict[str, Any]:
    """A BoligudgiftStruktur, valid by default (a submitted heating expense); None leaves an element out. The
    recipient and IndeholdtIHusleje default to what the type needs (landlord and included for net rent)."""
    if recipient is BY_TYPE:
        recipient = 1 if typekode == 1 else 2
    if included is BY_TYPE:
        included = typekode == 1
    values = {
        "BoligIdentifikationStruktur": None if bbr_id is None else service_ident(bbr_id),
        "KladdeIndikator": kladde,
        "BoligudgiftStartDato": start,
        "BoligudgiftSlutDato": end,
        "BoligudgiftBeloeb": amount,
        "BoligudgiftModtagerTypeKode": recipient,
        "BoligudgiftIndeholdtIHuslejeIndikator": included,
        "BoligudgiftstypeKode": typekode,
        "BoligudgiftBeskrivelseTekst": description,
    }
    ident = {"BoligudgiftUnikIdentifikator": unique, "EksternReference": reference}
    if any(value is not None for value in ident.values()):
        values["BoligudgiftIdentifikationStruktur"] = {k: v for k, v in ident.items() if v is not None}
    return {key: value for key, value in values.items() if value is not None}


def special(bbr_id: uuid.UUID, typekode: int = 8, start: date = date(2021, 1, 1), **overrides: Any) -> dict:
    values: dict[str, Any] = {"description": "Vaskemaskine", "recipient": 1, **overrides}
    return structure(bbr_id, typekode, start, **values)


def opret(db: Database, caller: Caller, values: dict[str, Any], now: datetime = NOW) -> tuple[list[Finding], uuid.UUID]:
    with db.transaction() as session:
        return expenses.opret(session, caller, values, now=now)


def created(db: Database, caller: Caller, values: dict[str, Any], now: datetime = NOW) -> uuid.UUID:
    found, new_id = opret(db, caller, values, now)
    assert numbers(found) == [], found
    return new_id


def ret(db: Database, caller: Caller, values: dict[str, Any], now: datetime = LATER) -> list[Finding]:
    with db.transaction() as session:
        expense = expenses.find_expense(session, caller, values.get("BoligudgiftIdentifikationStruktur"))
        return expenses.ret(session, expense, values, now=now)


def slet(db: Database, caller: Caller, expense_id: uuid.UUID, now: datetime = LATER) -> list[Finding]:
    with db.transaction() as session:
        expense = expenses.find_expense(session, caller, {"BoligudgiftUnikIdentifikator": expense_id})
        return expenses.slet(session, expense, now=now)


def valider(db: Database, caller: Caller, values: dict[str, Any]) -> list[Finding]:
    with db.transaction() as session:
        return expenses.valider(session, caller, values, now=LATER)


def hent(db: Database, caller: Caller, expense_id: uuid.UUID) -> dict[str, Any]:
    with db.transaction() as session:
        expense = expenses.find_expense(session, caller, {"BoligudgiftUnikIdentifikator": expense_id})
        return expenses.expense_output(expense, session.get(Bolig, expense.bolig_id))


def listed(db: Database, caller: Caller, bbr_id: uuid.UUID, start: date | None = None, end: date | None = None):
    with db.transaction() as session:
        bolig = organisations.find_bolig(session, caller, service_ident(bbr_id))
        found = expenses.list_expenses(session, bolig, start, end, now=NOW)
    return [(item["BoligudgiftstypeKode"], item["BoligudgiftStartDato"], item["BoligudgiftSlutDato"]) for item in found]


def rows(db: Database, bbr_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """Every stored expense of the dwelling, with every column: what "nothing was written" compares."""
    with db.transaction() as session:
        bolig = session.scalar(select(Bolig).where(Bolig.bbr_id == bbr_id))
        found = session.scalars(select(Boligudgift).where(Boligudgift.bolig_id == bolig.id))
        columns = ("typekode", "start_dato", "slut_dato", "kladde", "id", "ekstern_reference", "data")
        stamps = ("oprettet", "aendret", "opdateret", "ophoert")
        return sorted(
            (
                tuple(str(getattr(row, name)) if name in ("id", "data") else getattr(row, name) for name in columns)
                + tuple(getattr(row, name) for name in stamps)
                for row in found
            ),
            key=str,
        )


def chain(db: Database, bbr_id: uuid.UUID, typekode: int) -> list[tuple[date, date | None]]:
    return [(row[1], row[2]) for row in sorted(rows(db, bbr_id), key=lambda row: row[1]) if row[0] == typekode]


def numbers(found: list[Finding]) -> list[int]:
    return sorted(item.number for item in found)


def submit_bolig(db: Database, bbr_id: uuid.UUID) -> None:
    """A current submitted BoligVersion, written directly: the dwelling counts as submitted (2126)."""
    with db.transaction() as session:
        bolig = session.scalar(select(Bolig).where(Bolig.bbr_id == bbr_id))
        session.add(BoligVersion(entity_id=bolig.id, kladde=False, registered_from=NOW, effective_from=NOW, data={}))


# --- Opret and the chain of fixed expenses ------------------------------------------------------------------------


def test_opret_stores_every_field_and_the_server_times(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    new_id = created(db, caller, structure(bolig, 3, amount=Decimal("123.45"), reference=f"ref-{bolig}"))
    answer = hent(db, caller, new_id)
    assert answer["BoligudgiftIdentifikationStruktur"] == {
        "BoligudgiftUnikIdentifikator": new_id,
        "EksternReference": f"ref-{bolig}",
    }
    assert answer["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] == bolig
    assert answer["KladdeIndikator"] is False
    assert (answer["BoligudgiftstypeKode"], answer["BoligudgiftStartDato"], answer["BoligudgiftSlutDato"]) == (
        3,
        date(2020, 1, 1),
        None,
    )
    assert answer["BoligudgiftBeloeb"] == Decimal("123.45")
    assert answer["BoligudgiftModtagerTypeKode"] == 2
    assert answer["BoligudgiftIndeholdtIHuslejeIndikator"] is False
    assert [answer[name] for name in ("OprettetDatoTid", "AendretDatoTid", "OpdateretDatoTid")] == [NOW] * 3
    assert answer["OphoertDatoTid"] is None
    # found by its EksternReference too
    with db.transaction() as session:
        assert expenses.find_expense(session, caller, {"EksternReference": f"ref-{bolig}"}).id == new_id


def test_a_new_fixed_expense_ends_the_latest_of_its_type(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    first = created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    created(db, caller, structure(bolig, 3, date(2020, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2021, 3, 1)), now=LATER)
    assert chain(db, bolig, 2) == [(date(2020, 1, 1), date(2021, 2, 28)), (date(2021, 3, 1), None)]
    assert chain(db, bolig, 3) == [(date(2020, 1, 1), None)]  # another type is not touched
    ended = hent(db, caller, first)
    assert (ended["OprettetDatoTid"], ended["AendretDatoTid"], ended["OphoertDatoTid"]) == (NOW, LATER, LATER)


@pytest.mark.parametrize("start", [date(2019, 12, 31), date(2020, 1, 1), date(2020, 6, 30)])
def test_2104_a_fixed_expense_must_start_after_the_others_of_its_type(
    db: Database, caller: Caller, bolig: uuid.UUID, start: date
) -> None:
    created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2020, 7, 1)))
    before = rows(db, bolig)
    found, _ = opret(db, caller, structure(bolig, 2, start))
    assert numbers(found) == [2104]
    assert found[0].text == expenses.TEXTS[2104]
    assert rows(db, bolig) == before
    # the same date for another type, or a later one, is fine
    assert numbers(opret(db, caller, structure(bolig, 4, start))[0]) == []
    assert numbers(opret(db, caller, structure(bolig, 2, date(2020, 7, 2)))[0]) == []


def test_2110_no_slutdato_on_a_new_fixed_expense_and_2107_on_special_services(
    db: Database, caller: Caller, bolig: uuid.UUID
) -> None:
    assert numbers(opret(db, caller, structure(bolig, 2, end=date(2020, 12, 31)))[0]) == [2110]
    assert numbers(opret(db, caller, special(bolig, end=date(2021, 1, 1)))[0]) == [2107]
    assert numbers(opret(db, caller, special(bolig, end=date(2020, 12, 1)))[0]) == [2107]
    assert rows(db, bolig) == []
    new_id = created(db, caller, special(bolig, end=date(2021, 1, 2)))
    assert hent(db, caller, new_id)["OphoertDatoTid"] == NOW


def test_1000_required_fields_with_their_exact_texts(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    empty = structure(bolig, None, None, amount=None, recipient=None, included=None)
    found, _ = opret(db, caller, empty)
    assert {(item.number, item.text, item.field) for item in found} == {
        (1000, "Boligudgift.Beloeb skal udfyldes", "BoligudgiftBeloeb"),
        (1000, "Boligudgift.Boligudgiftstype skal udfyldes", "BoligudgiftstypeKode"),
        (1000, "Boligudgift.IndeholdtIHusleje skal udfyldes", "BoligudgiftIndeholdtIHuslejeIndikator"),
        (1000, "Boligudgift.ModtagerType skal udfyldes", "BoligudgiftModtagerTypeKode"),
        (1000, "Boligudgift.StartDato skal udfyldes", "BoligudgiftStartDato"),
    }
    assert all(item.entity == "Boligudgift" for item in found)
    assert rows(db, bolig) == []


def test_drafts_are_not_validated_but_need_type_and_start(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    draft = structure(bolig, 2, amount=Decimal(-5), recipient=7, included=None, kladde=None)
    new_id = created(db, caller, draft)
    assert hent(db, caller, new_id)["KladdeIndikator"] is True
    assert numbers(opret(db, caller, structure(bolig, None, kladde=True))[0]) == [1000]
    assert numbers(opret(db, caller, structure(bolig, 2, None, kladde=True))[0]) == [1000]
    assert numbers(opret(db, caller, structure(bolig, 11, kladde=True))[0]) == [2105]
    assert numbers(opret(db, caller, structure(bolig, 2, end=date(2021, 1, 1), kladde=True))[0]) == [2110]
    # a draft stays out of the chain: a submitted expense before it is not ended, and a second draft is fine
    created(db, caller, structure(bolig, 2, date(2019, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2018, 1, 1), kladde=True))
    assert chain(db, bolig, 2) == [(date(2018, 1, 1), None), (date(2019, 1, 1), None), (date(2020, 1, 1), None)]


FIELD_RULES = [
    # (overrides, expected errors)
    ({"amount": Decimal("-0.01")}, [2101]),
    ({"amount": Decimal(0)}, []),
    ({"recipient": 3}, [2102]),
    ({"recipient": 1}, []),
    ({"typekode": 0}, [2105]),
    ({"typekode": 11}, [2105]),
    ({"typekode": 10}, []),
    ({"typekode": 8, "recipient": 1}, [2106]),
    ({"typekode": 9, "description": "   "}, [2106]),
    ({"typekode": 9, "description": "Kabel-tv"}, []),
    ({"typekode": 1, "included": False}, [2113]),
    ({"typekode": 8, "description": "Vask", "included": True, "amount": Decimal(0)}, [2114]),
    ({"typekode": 1, "amount": Decimal(0)}, [2117]),
    ({"typekode": 1, "amount": Decimal(-1)}, [2101]),
    ({"amount": Decimal(1_000_000)}, [2118]),
    ({"amount": Decimal("999999.99")}, []),
    ({"typekode": 1, "recipient": 2, "included": True}, [2119]),
    ({"included": True, "amount": Decimal(10)}, [2120]),
    ({"included": True, "amount": Decimal(0)}, []),
    ({"typekode": 1, "amount": Decimal(5200)}, []),
]


@pytest.mark.parametrize(("overrides", "expected"), FIELD_RULES)
def test_field_rules(db: Database, caller: Caller, bolig: uuid.UUID, overrides: dict, expected: list[int]) -> None:
    values = structure(bolig, **overrides)
    found, _ = opret(db, caller, values)
    assert numbers(found) == expected
    assert all(item.text == expenses.TEXTS[item.number] for item in found if item.number != 2118)
    if expected == [2118]:
        assert found[0].text == "Boligudgift.Beloeb skal være mindre end 1000000"
    assert len(rows(db, bolig)) == (0 if expected else 1)
    # the same as a draft: nothing but the type is checked
    values["KladdeIndikator"] = True
    assert numbers(opret(db, caller, values)[0]) == ([2105] if expected == [2105] else [])


def test_2103_eksternreference_is_unique_in_the_whole_register(
    world: tuple[Database, World], db: Database, caller: Caller, bolig: uuid.UUID
) -> None:
    other_bolig = new_bolig(world, other=True)
    reference = f"taken-{bolig}"
    created(db, world[1].other_caller, structure(other_bolig, reference=reference))
    found, _ = opret(db, caller, structure(bolig, reference=reference, kladde=True))
    assert [(item.number, item.text) for item in found] == [(2103, "Boligudgift.EksternReference findes allerede")]
    mine = created(db, caller, structure(bolig, reference=f"mine-{bolig}"))
    assert numbers(ret(db, caller, structure(None, unique=mine, reference=reference))) == [2103]
    # an empty or absent EksternReference on Ret keeps the stored one; a new free one replaces it
    assert numbers(ret(db, caller, structure(None, unique=mine, reference=""))) == []
    assert hent(db, caller, mine)["BoligudgiftIdentifikationStruktur"]["EksternReference"] == f"mine-{bolig}"
    assert numbers(ret(db, caller, structure(None, unique=mine, reference=f"new-{bolig}"))) == []
    assert hent(db, caller, mine)["BoligudgiftIdentifikationStruktur"]["EksternReference"] == f"new-{bolig}"


# --- Ret ------------------------------------------------------------------------------------------------------------


def test_ret_replaces_the_fields_and_keeps_the_times_honest(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    new_id = created(db, caller, structure(bolig, 4, amount=Decimal("100.00")))
    # the same values (100 is 100.00): only OpdateretDatoTid moves
    assert numbers(ret(db, caller, structure(None, 4, unique=new_id, amount=Decimal(100)), now=LATER)) == []
    answer = hent(db, caller, new_id)
    assert (answer["AendretDatoTid"], answer["OpdateretDatoTid"]) == (NOW, LATER)
    # a real change moves AendretDatoTid; the type may be left out, BoligIdentifikationStruktur is ignored
    third = LATER + timedelta(hours=1)
    values = structure(uuid.uuid4(), None, unique=new_id, amount=Decimal("104.00"), recipient=1)
    assert numbers(ret(db, caller, values, now=third)) == []
    answer = hent(db, caller, new_id)
    assert (answer["AendretDatoTid"], answer["OpdateretDatoTid"]) == (third, third)
    assert (answer["BoligudgiftModtagerTypeKode"], answer["BoligudgiftBeloeb"]) == (1, Decimal("104.00"))
    assert answer["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] == bolig


def test_1001_the_type_cannot_change(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    new_id = created(db, caller, structure(bolig, 2, kladde=True))
    before = rows(db, bolig)
    found = ret(db, caller, structure(None, 3, unique=new_id, kladde=True))
    assert [(item.number, item.text) for item in found] == [(1001, "Boligudgift.Boligudgiftstype må ikke ændres")]
    assert found[0].reference == str(new_id)
    assert rows(db, bolig) == before


def test_2109_slutdato_of_fixed_expenses_is_the_servers(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    first = created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2021, 1, 1)))
    assert numbers(ret(db, caller, structure(None, 2, unique=first, end=date(2020, 6, 30)))) == [2109]
    # sent unchanged or left out: fine, and kept
    assert numbers(ret(db, caller, structure(None, 2, unique=first, end=date(2020, 12, 31)))) == []
    assert numbers(ret(db, caller, structure(None, 2, unique=first))) == []
    assert chain(db, bolig, 2)[0] == (date(2020, 1, 1), date(2020, 12, 31))


def test_special_services_may_change_their_slutdato(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    new_id = created(db, caller, special(bolig, 9))
    assert numbers(ret(db, caller, special(bolig, 9, end=date(2021, 5, 31), unique=new_id))) == []
    answer = hent(db, caller, new_id)
    assert (answer["BoligudgiftSlutDato"], answer["OphoertDatoTid"]) == (date(2021, 5, 31), LATER)
    assert numbers(ret(db, caller, special(bolig, 9, end=date(2020, 5, 31), unique=new_id))) == [2107]
    assert numbers(ret(db, caller, special(bolig, 9, unique=new_id))) == []  # left out: no end any more
    answer = hent(db, caller, new_id)
    assert (answer["BoligudgiftSlutDato"], answer["OphoertDatoTid"]) == (None, None)


def test_startdato_moves_only_between_the_neighbours(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    ids = [created(db, caller, structure(bolig, 5, date(year, 1, 1))) for year in (2020, 2021, 2022)]
    middle = ids[1]
    before = rows(db, bolig)
    for start, expected in ((date(2020, 1, 1), 2108), (date(2019, 6, 1), 2108), (date(2022, 1, 1), 2112)):
        found = ret(db, caller, structure(None, 5, start, unique=middle))
        assert numbers(found) == [expected, 2129]  # the info is true even though nothing is saved
        assert found[0].text == expenses.TEXTS[expected]
    assert rows(db, bolig) == before
    found = ret(db, caller, structure(None, 5, date(2021, 7, 1), unique=middle))
    assert ([item.number for item in found], found[0].is_info, found[0].text) == (
        [2129],
        True,
        "StartDato ændret, skulle det have været en ny boligudgift?",
    )
    assert chain(db, bolig, 5) == [
        (date(2020, 1, 1), date(2021, 6, 30)),
        (date(2021, 7, 1), date(2021, 12, 31)),
        (date(2022, 1, 1), None),
    ]
    # the newest may move forward freely, the oldest back freely
    assert numbers(ret(db, caller, structure(None, 5, date(2030, 1, 1), unique=ids[2]))) == [2129]
    assert numbers(ret(db, caller, structure(None, 5, date(2010, 1, 1), unique=ids[0]))) == [2129]
    assert chain(db, bolig, 5)[1:] == [(date(2021, 7, 1), date(2029, 12, 31)), (date(2030, 1, 1), None)]


@pytest.mark.parametrize(
    ("old", "new", "infos"),
    [(Decimal(100), Decimal(105), []), (Decimal(100), Decimal("105.01"), [2121]), (Decimal(100), Decimal(94), [2121])],
)
def test_2121_amount_changed_by_more_than_5_percent(
    db: Database, caller: Caller, bolig: uuid.UUID, old: Decimal, new: Decimal, infos: list[int]
) -> None:
    new_id = created(db, caller, structure(bolig, 6, amount=old))
    found = ret(db, caller, structure(None, 6, unique=new_id, amount=new))
    assert numbers(found) == infos
    assert hent(db, caller, new_id)["BoligudgiftBeloeb"] == new  # an info does not stop the save


@pytest.mark.parametrize(("typekode", "info"), [(2, 2122), (3, 2123), (4, 2124), (5, 2125), (6, None), (10, None)])
def test_2122_to_2125_included_in_the_rent_from_no_to_yes(
    db: Database, caller: Caller, bolig: uuid.UUID, typekode: int, info: int | None
) -> None:
    new_id = created(db, caller, structure(bolig, typekode, amount=Decimal(0)))
    found = ret(db, caller, structure(None, typekode, unique=new_id, amount=Decimal(0), included=True))
    assert numbers(found) == ([] if info is None else [info])
    if info is not None:
        assert found[0].text == expenses.TEXTS[info]
        assert found[0].text.startswith("Feltet IndeholdtIHusleje ændret fra Nej til Ja for ")
    # back to no, and no change at all: nothing to say
    assert numbers(ret(db, caller, structure(None, typekode, unique=new_id, amount=Decimal(0)))) == []


def test_a_draft_joins_the_chain_when_submitted(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    created(db, caller, structure(bolig, 7, date(2020, 1, 1)))
    draft = created(db, caller, structure(bolig, 7, date(2022, 1, 1), amount=None, kladde=True))
    assert chain(db, bolig, 7) == [(date(2020, 1, 1), None), (date(2022, 1, 1), None)]
    # submitting checks in full, and gives no change infos for a draft's values
    assert numbers(ret(db, caller, structure(None, 7, date(2022, 1, 1), unique=draft, amount=None))) == [1000]
    assert numbers(ret(db, caller, structure(None, 7, date(2022, 2, 1), unique=draft, amount=Decimal(9)))) == []
    assert chain(db, bolig, 7) == [(date(2020, 1, 1), date(2022, 1, 31)), (date(2022, 2, 1), None)]
    assert hent(db, caller, draft)["KladdeIndikator"] is False
    # a submitted expense stays submitted: KladdeIndikator left out (true) is ignored and the Ret is checked
    assert numbers(ret(db, caller, structure(None, 7, date(2022, 2, 1), unique=draft, amount=None, kladde=None))) == [
        1000
    ]
    assert numbers(ret(db, caller, structure(None, 7, date(2022, 2, 1), unique=draft, kladde=True))) == [2121]
    assert hent(db, caller, draft)["KladdeIndikator"] is False


def test_a_draft_submitted_before_the_latest_is_2104(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    draft = created(db, caller, structure(bolig, 2, date(2019, 1, 1), kladde=True))
    created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    assert numbers(ret(db, caller, structure(None, 2, date(2019, 1, 1), unique=draft))) == [2104]


# --- Special services -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typekode", "error"), [(8, 2115), (9, 2116)])
def test_2115_2116_no_duplicate_special_services_and_2128(
    db: Database, caller: Caller, bolig: uuid.UUID, typekode: int, error: int
) -> None:
    created(db, caller, special(bolig, typekode, description="Vaskemaskine"))
    found, _ = opret(db, caller, special(bolig, typekode, description="Vaskemaskine"))
    assert [(item.number, item.text) for item in found] == [(error, expenses.TEXTS[error])]
    # same StartDato, another description, or the other special type: saved with info 2128
    for values in (special(bolig, typekode, description="Tørretumbler"), special(bolig, 17 - typekode)):
        found, _ = opret(db, caller, values)
        assert [(item.number, item.is_info) for item in found] == [(2128, True)]
    # overlapping special services of one type are fine, and none ends another
    assert numbers(opret(db, caller, special(bolig, typekode, date(2021, 2, 1), description="Vaskemaskine"))[0]) == []
    assert all(row[2] is None for row in rows(db, bolig))
    # Ret of one of them does not collide with itself
    [mine] = [row for row in rows(db, bolig) if row[1] == date(2021, 2, 1)]
    assert numbers(ret(db, caller, special(bolig, typekode, date(2021, 2, 1), unique=uuid.UUID(mine[4])))) == []


# --- Slet -----------------------------------------------------------------------------------------------------------


def test_slet_only_the_newest_fixed_expense_which_reopens_the_previous(
    db: Database, caller: Caller, bolig: uuid.UUID
) -> None:
    first = created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    second = created(db, caller, structure(bolig, 2, date(2021, 1, 1)))
    before = rows(db, bolig)
    found = slet(db, caller, first)
    assert [(item.number, item.text) for item in found] == [(2127, "Kun den seneste boligudgift må slettes.")]
    assert rows(db, bolig) == before
    assert slet(db, caller, second) == []
    assert chain(db, bolig, 2) == [(date(2020, 1, 1), None)]
    answer = hent(db, caller, first)
    assert (answer["OphoertDatoTid"], answer["AendretDatoTid"]) == (None, LATER)
    # the dwelling is not submitted: the last one may go too
    assert slet(db, caller, first) == []
    assert rows(db, bolig) == []


@pytest.mark.parametrize("typekode", [1, 7, 10])
def test_2126_the_last_fixed_expense_of_a_submitted_bolig_stays(
    db: Database, caller: Caller, bolig: uuid.UUID, typekode: int
) -> None:
    only = created(db, caller, structure(bolig, typekode, amount=Decimal(5000) if typekode == 1 else Decimal(0)))
    draft = created(db, caller, structure(bolig, typekode, date(2030, 1, 1), kladde=True))
    extra = created(db, caller, special(bolig))
    submit_bolig(db, bolig)
    found = slet(db, caller, only)
    assert [(item.number, item.text) for item in found] == [(2126, "Den sidste boligudgift må ikke slettes")]
    assert len(rows(db, bolig)) == 3
    # drafts and special services may always be deleted
    assert slet(db, caller, draft) == []
    assert slet(db, caller, extra) == []
    assert [row[4] for row in rows(db, bolig)] == [str(only)]


def test_rows_written_by_opret_satisfy_the_bolig_rule_2014(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    for typekode in range(1, 8):
        created(db, caller, structure(bolig, typekode, amount=Decimal(5000) if typekode == 1 else Decimal(0)))
    with db.transaction() as session:
        entity = session.scalar(select(Bolig).where(Bolig.bbr_id == bolig))
        found = bitemporal.check_bolig_submission(session, entity, RegisterRules(), NOW)
    assert 2014 not in numbers(found)


# --- List, Valider, authorisation ------------------------------------------------------------------------------------


def test_list_current_and_future_or_an_interval(db: Database, caller: Caller, bolig: uuid.UUID) -> None:
    created(db, caller, structure(bolig, 2, date(2020, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2023, 1, 1)))
    created(db, caller, structure(bolig, 2, date(2025, 6, 2)))  # NOW is 2025-06-02: ends 2025-06-01, yesterday
    created(db, caller, structure(bolig, 3, date(2026, 1, 1), kladde=True))
    created(db, caller, special(bolig, 9, date(2024, 1, 1), end=date(2025, 6, 2)))
    assert listed(db, caller, bolig) == [
        (2, date(2025, 6, 2), None),
        (3, date(2026, 1, 1), None),
        (9, date(2024, 1, 1), date(2025, 6, 2)),
    ]
    assert listed(db, caller, bolig, date(2022, 12, 31), date(2023, 1, 1)) == [
        (2, date(2020, 1, 1), date(2022, 12, 31)),
        (2, date(2023, 1, 1), date(2025, 6, 1)),
    ]
    # by the end date alone (inclusive), and a start bound alone open to the future
    assert listed(db, caller, bolig, date(2022, 12, 31), date(2022, 12, 31)) == [
        (2, date(2020, 1, 1), date(2022, 12, 31))
    ]
    assert listed(db, caller, bolig, date(2025, 6, 2)) == [
        (2, date(2025, 6, 2), None),
        (3, date(2026, 1, 1), None),
        (9, date(2024, 1, 1), date(2025, 6, 2)),
    ]
    assert listed(db, caller, bolig, None, date(2020, 1, 1)) == [(2, date(2020, 1, 1), date(2022, 12, 31))]
    # an expense spanning the whole interval has neither date in it (the document's words)
    assert listed(db, caller, bolig, date(2021, 1, 1), date(2021, 12, 31)) == []


def test_valider_as_opret_or_as_ret_and_never_saves(
    world: tuple[Database, World], db: Database, caller: Caller, bolig: uuid.UUID
) -> None:
    new_id = created(db, caller, structure(bolig, 2, reference=f"v-{bolig}"))
    before = rows(db, bolig)
    # names an existing expense: a Ret (1001 exists only there), whether by UnikIdentifikator or EksternReference
    assert numbers(valider(db, caller, structure(None, 3, unique=new_id))) == [1001]
    assert numbers(valider(db, caller, structure(None, 3, reference=f"v-{bolig}"))) == [1001]
    # names nothing: an Opret (a chain rule, 2104, against the stored one); a draft is validated in full
    assert numbers(valider(db, caller, structure(bolig, 2, date(2019, 1, 1), kladde=True))) == [2104]
    assert numbers(valider(db, caller, structure(bolig, 2, unique=uuid.uuid4(), amount=None))) == [1000, 2104]
    assert numbers(valider(db, caller, structure(bolig, 2, date(2024, 1, 1)))) == []
    assert rows(db, bolig) == before
    # another organisation's expense counts as none: validated as an Opret (its reference is taken: 2103)
    other_bolig = new_bolig(world, other=True)
    theirs = created(db, world[1].other_caller, structure(other_bolig, reference=f"theirs-{bolig}"))
    assert numbers(valider(db, caller, structure(bolig, 2, date(2024, 1, 1), unique=theirs))) == []
    assert numbers(valider(db, caller, structure(bolig, 2, date(2024, 1, 1), reference=f"theirs-{bolig}"))) == [2103]
    with pytest.raises(Refused, match="BoligIdentifikationStruktur skal udfyldes"):
        valider(db, caller, structure(None, 2, unique=theirs))


def test_other_organisations_expenses_and_dwellings_are_not_found(
    world: tuple[Database, World], db: Database, caller: Caller
) -> None:
    other_bolig = new_bolig(world, other=True)
    theirs = created(db, world[1].other_caller, structure(other_bolig, reference=f"o-{other_bolig}"))
    for ident in ({"BoligudgiftUnikIdentifikator": theirs}, {"EksternReference": f"o-{other_bolig}"}):
        with pytest.raises(Refused, match=NOT_FOUND), db.transaction() as session:
            expenses.find_expense(session, caller, ident)
    with pytest.raises(Refused, match=NOT_FOUND):
        opret(db, caller, structure(other_bolig))
    with pytest.raises(Refused, match="UnikIdentifikator eller EksternReference"), db.transaction() as session:
        expenses.find_expense(session, caller, {})
    with pytest.raises(Refused, match="BoligIdentifikationStruktur skal udfyldes"):
        opret(db, caller, structure(None))
    assert len(rows(db, other_bolig)) == 1


# --- End to end --------------------------------------------------------------------------------------------------


def soap_outcome(result: Any) -> tuple[int, list[int], list[int]]:
    head = result.ResultatStruktur
    return (
        head.ResultatTypeKode,
        sorted(item.ResultatStruktur.ResultatKode for item in result.ValideringsfejlStruktur),
        sorted(item.ResultatStruktur.ResultatKode for item in result.ValideringsinfoStruktur),
    )


OK = (0, [], [])


def soap_structure(unit: uuid.UUID, typekode: int, start: date, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "BoligIdentifikationStruktur": bolig_ident(unit),
        "KladdeIndikator": False,
        "BoligudgiftStartDato": start,
        "BoligudgiftBeloeb": Decimal("410.00"),
        "BoligudgiftModtagerTypeKode": 2,
        "BoligudgiftIndeholdtIHuslejeIndikator": False,
        "BoligudgiftstypeKode": typekode,
    }
    values.update(extra)
    return values


@pytest.mark.e2e
def test_e2e_every_method_on_a_registered_dwelling(hr_module_service: HrService) -> None:
    """Unit 501-1-2 #1 has the register's fixed expenses 1-7 from 2019-01-01."""
    client = hr_module_service.client("alice")
    unit = unit_id(501, 1, 2, 1)
    current = client.service.BoligudgiftList(BoligIdentifikationStruktur=bolig_ident(unit))
    assert sorted(item.BoligudgiftstypeKode for item in current) == [1, 2, 3, 4, 5, 6, 7]
    assert all(item.KladdeIndikator is False and item.BoligudgiftSlutDato is None for item in current)

    reference = f"e2e-{uuid.uuid4()}"
    values = soap_structure(
        unit, 2, date(2024, 1, 1), BoligudgiftIdentifikationStruktur={"EksternReference": reference}
    )
    result = client.service.BoligudgiftOpret(BoligudgiftStruktur=values)
    assert soap_outcome(result) == OK
    new_id = result.EntitetReference
    answer = client.service.BoligudgiftHent(BoligudgiftIdentifikationStruktur={"EksternReference": reference})
    assert answer.BoligudgiftIdentifikationStruktur.BoligudgiftUnikIdentifikator == new_id
    assert (answer.BoligudgiftBeloeb, answer.BoligudgiftStartDato, answer.KladdeIndikator) == (
        Decimal("410.00"),
        date(2024, 1, 1),
        False,
    )
    assert answer.OprettetDatoTid == answer.AendretDatoTid == answer.OpdateretDatoTid
    assert answer.OphoertDatoTid is None
    assert answer.BoligIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(unit)
    previous = client.service.BoligudgiftList(
        BoligIdentifikationStruktur=bolig_ident(unit),
        BoligudgiftStartDato=date(2023, 12, 31),
        BoligudgiftSlutDato=date(2023, 12, 31),
    )
    assert [(item.BoligudgiftstypeKode, item.BoligudgiftSlutDato) for item in previous] == [(2, date(2023, 12, 31))]
    assert previous[0].OphoertDatoTid is not None

    changed = {**values, "BoligudgiftIdentifikationStruktur": {"BoligudgiftUnikIdentifikator": new_id}}
    changed["BoligudgiftBeloeb"] = Decimal("500.00")
    assert soap_outcome(client.service.BoligudgiftValider(BoligudgiftStruktur=changed)) == (40, [], [2121])
    assert client.service.BoligudgiftHent(
        BoligudgiftIdentifikationStruktur={"BoligudgiftUnikIdentifikator": new_id}
    ).BoligudgiftBeloeb == Decimal("410.00")
    assert soap_outcome(client.service.BoligudgiftRet(BoligudgiftStruktur=changed)) == (40, [], [2121])
    again = client.service.BoligudgiftHent(BoligudgiftIdentifikationStruktur={"BoligudgiftUnikIdentifikator": new_id})
    assert again.BoligudgiftBeloeb == Decimal("500.00")
    assert again.AendretDatoTid > answer.AendretDatoTid

    old = next(item for item in current if item.BoligudgiftstypeKode == 2)
    old_ident = {"BoligudgiftUnikIdentifikator": old.BoligudgiftIdentifikationStruktur.BoligudgiftUnikIdentifikator}
    snapshot = hr_module_service.snapshot()
    assert soap_outcome(client.service.BoligudgiftSlet(BoligudgiftIdentifikationStruktur=old_ident)) == (
        20,
        [2127],
        [],
    )
    assert hr_module_service.snapshot() == snapshot
    assert (
        soap_outcome(client.service.BoligudgiftSlet(BoligudgiftIdentifikationStruktur={"EksternReference": reference}))
        == OK
    )
    reopened = client.service.BoligudgiftHent(BoligudgiftIdentifikationStruktur=old_ident)
    assert (reopened.BoligudgiftSlutDato, reopened.OphoertDatoTid) == (None, None)
    assert set(hr_module_service.check.outputs) >= {f"Boligudgift{name}" for name in ("Hent", "List", "Opret")} | {
        f"Boligudgift{name}" for name in ("Ret", "Slet", "Valider")
    }


@pytest.mark.e2e
def test_e2e_bad_input_saves_nothing(hr_module_service: HrService) -> None:
    alice, bob = hr_module_service.client("alice"), hr_module_service.client("bob")
    unit, bobs_unit = unit_id(501, 2, 1, 1), unit_id(503, 1, 1, 1)
    reference = f"bad-{uuid.uuid4()}"
    ident = {"EksternReference": reference}
    result = alice.service.BoligudgiftOpret(
        BoligudgiftStruktur=soap_structure(unit, 9, date(2024, 5, 1), BoligudgiftIdentifikationStruktur=ident)
        | {"BoligudgiftBeskrivelseTekst": "Antenne", "BoligudgiftModtagerTypeKode": 1}
    )
    assert soap_outcome(result) == OK
    snapshot = hr_module_service.snapshot()

    # another organisation: its dwelling and the expense are "not found"
    with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
        alice.service.BoligudgiftOpret(BoligudgiftStruktur=soap_structure(bobs_unit, 9, date(2024, 5, 1)))
    for operation in ("BoligudgiftHent", "BoligudgiftSlet"):
        with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
            getattr(bob.service, operation)(BoligudgiftIdentifikationStruktur=ident)
    with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
        bob.service.BoligudgiftList(BoligIdentifikationStruktur=bolig_ident(unit))
    with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
        bob.service.BoligudgiftRet(BoligudgiftStruktur={"BoligudgiftIdentifikationStruktur": ident})

    # a duplicate EksternReference, a duplicate special service, a changed type, a fixed expense with SlutDato
    duplicate = soap_structure(unit, 2, date(2024, 1, 1), BoligudgiftIdentifikationStruktur=ident)
    result = alice.service.BoligudgiftOpret(BoligudgiftStruktur=duplicate)
    assert soap_outcome(result) == (20, [2103], [])
    assert result.EntitetReference is None
    same = soap_structure(unit, 9, date(2024, 5, 1), BoligudgiftBeskrivelseTekst="Antenne")
    assert soap_outcome(alice.service.BoligudgiftOpret(BoligudgiftStruktur=same | {"BoligudgiftModtagerTypeKode": 1}))[
        :2
    ] == (20, [2116])
    retyped = {**same, "BoligudgiftIdentifikationStruktur": ident, "BoligudgiftstypeKode": 8}
    assert soap_outcome(alice.service.BoligudgiftRet(BoligudgiftStruktur=retyped)) == (20, [1001], [])
    ended = soap_structure(unit, 3, date(2024, 1, 1), BoligudgiftSlutDato=date(2024, 12, 31))
    assert soap_outcome(alice.service.BoligudgiftValider(BoligudgiftStruktur=ended)) == (20, [2110], [])
    assert soap_outcome(alice.service.BoligudgiftOpret(BoligudgiftStruktur=ended)) == (20, [2110], [])
    assert hr_module_service.snapshot() == snapshot
