"""Example-based tests of the bitemporal machinery, on SQLite and PostgreSQL.

The centrepiece reproduces the illustration of huslejeregister.md §3.7 (Bolig X, registrations 1-3).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import MetaData, String, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bodata.core.db import Database
from bodata.core.temporal import (
    BitemporalMixin,
    Period,
    ProblemCode,
    TimelineError,
    bitemporal_index,
    check_timeline,
    current_versions,
    deregister,
    effect_periods,
    overlay,
    replace_versions,
    select_as_of,
    select_in_effect,
    version_in_effect,
    versions_as_of,
)


class TestBase(DeclarativeBase):
    """A base of its own, so the test table never reaches bodata's schema or migrations."""

    __test__ = False
    metadata = MetaData()


class Dwelling(TestBase, BitemporalMixin):
    """A bitemporal version table in the shape of BoligVersion, with one data column."""

    __tablename__ = "temporal_test_dwelling"
    __entity_key__ = "entity_id"
    __table_args__ = (bitemporal_index(__tablename__, "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(40))
    heating: Mapped[int]


def day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def version(start: datetime, end: datetime | None, heating: int) -> dict:
    return {"effective_from": start, "effective_to": end, "heating": heating}


@pytest.fixture
def db(empty_database: Database) -> Database:
    TestBase.metadata.create_all(empty_database.engine)
    return empty_database


@pytest.fixture
def bolig_x(db: Database) -> dict[str, int]:
    """Registrations 1 and 2 of §3.7; returns the row ids of V1, V2 and V3."""
    with db.transaction() as session:
        (v1,) = replace_versions(session, Dwelling, "X", [version(day(2017, 1, 1), None, 1)], day(2017, 1, 10))
    with db.transaction() as session:
        v2, v3 = replace_versions(
            session,
            Dwelling,
            "X",
            [version(day(2017, 1, 1), day(2017, 6, 1), 1), version(day(2017, 6, 1), None, 2)],
            day(2017, 3, 5),
        )
    return {"V1": v1.id, "V2": v2.id, "V3": v3.id}


def names(rows: list[Dwelling], ids: dict[str, int]) -> list[str]:
    by_id = {row_id: name for name, row_id in ids.items()}
    return [by_id[row.id] for row in rows]


# --- The §3.7 illustration ------------------------------------------------------------------------


def test_stored_rows_after_registration_2(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        rows = {name: session.get(Dwelling, row_id) for name, row_id in bolig_x.items()}
    stored = {
        name: (row.effective_from, row.effective_to, row.registered_from, row.registered_to, row.heating)
        for name, row in rows.items()
    }
    assert stored == {
        "V1": (day(2017, 1, 1), None, day(2017, 1, 10), day(2017, 3, 5), 1),
        "V2": (day(2017, 1, 1), day(2017, 6, 1), day(2017, 3, 5), None, 1),
        "V3": (day(2017, 6, 1), None, day(2017, 3, 5), None, 2),
    }


def test_hent_methods_of_the_illustration(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        # Hent
        assert names(current_versions(session, Dwelling, "X"), bolig_x) == ["V2", "V3"]
        # HentSpecifik
        assert version_in_effect(session, Dwelling, "X", day(2017, 7, 1)).id == bolig_x["V3"]
        assert version_in_effect(session, Dwelling, "X", day(2017, 2, 1)).id == bolig_x["V2"]
        # HentHistorisk
        assert names(versions_as_of(session, Dwelling, "X", day(2017, 2, 1)), bolig_x) == ["V1"]
        assert names(versions_as_of(session, Dwelling, "X", day(2017, 4, 1)), bolig_x) == ["V2", "V3"]
        # HentHistoriskSpecifik
        historic = version_in_effect(session, Dwelling, "X", day(2017, 7, 1), registered_at=day(2017, 2, 1))
        assert historic.id == bolig_x["V1"]
        # HentVirkningsperioder and HentVirkningsperioderHistorisk
        assert effect_periods(session, Dwelling, "X") == [
            Period(day(2017, 1, 1), day(2017, 6, 1)),
            Period(day(2017, 6, 1), None),
        ]
        assert effect_periods(session, Dwelling, "X", registered_at=day(2017, 2, 1)) == [Period(day(2017, 1, 1), None)]


def test_before_the_first_registration_nothing_is_known(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        assert versions_as_of(session, Dwelling, "X", day(2017, 1, 9)) == []
        assert version_in_effect(session, Dwelling, "X", day(2017, 2, 1), registered_at=day(2017, 1, 9)) is None


def test_list_returns_the_version_in_effect_now_for_a_batch_of_entities(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        replace_versions(session, Dwelling, "Y", [version(day(2018, 1, 1), None, 4)], day(2017, 3, 5))
        replace_versions(session, Dwelling, "Z", [version(day(2017, 1, 1), None, 5)], day(2017, 3, 5))
    listing = select_in_effect(Dwelling, day(2017, 4, 1)).where(Dwelling.entity_id.in_(["X", "Y"]))
    with db.transaction() as session:
        rows = session.scalars(listing).all()
    # Y only takes effect in 2018 and Z is not asked for.
    assert [(row.id, row.heating) for row in rows] == [(bolig_x["V2"], 1)]


def test_registration_3_overlays_the_timeline_and_overwrites_the_future_version(
    db: Database, bolig_x: dict[str, int]
) -> None:
    registered = day(2017, 4, 1)
    with db.transaction() as session:
        existing = [
            (row.effect_period, {"id": row.id, "heating": row.heating})
            for row in current_versions(session, Dwelling, "X")
        ]
        result = overlay(existing, [(Period(day(2017, 5, 1), None), {"heating": 3})])

        assert [payload["id"] for _, payload in result.overwritten] == [bolig_x["V3"]]
        future = [payload for period, payload in result.overwritten if period.start > registered]
        assert len(future) == 1  # the service reports info 5005 for it

        timeline = [
            {"effective_from": period.start, "effective_to": period.end, "heating": payload["heating"]}
            for period, payload in result.timeline
        ]
        replace_versions(session, Dwelling, "X", timeline, registered)

    with db.transaction() as session:
        now = [(r.effective_from, r.effective_to, r.heating) for r in current_versions(session, Dwelling, "X")]
        assert now == [(day(2017, 1, 1), day(2017, 5, 1), 1), (day(2017, 5, 1), None, 3)]
        before = versions_as_of(session, Dwelling, "X", day(2017, 3, 10))
        assert names(before, bolig_x) == ["V2", "V3"]


# --- Writing ----------------------------------------------------------------------------------------------


def test_overlapping_or_empty_versions_are_refused_and_nothing_changes(db: Database, bolig_x: dict[str, int]) -> None:
    overlapping = [version(day(2017, 1, 1), day(2017, 8, 1), 1), version(day(2017, 6, 1), None, 2)]
    empty = [version(day(2017, 1, 1), day(2017, 1, 1), 1)]
    for versions, code in ((overlapping, ProblemCode.OVERLAP), (empty, ProblemCode.END_NOT_AFTER_START)):
        with pytest.raises(TimelineError) as raised, db.transaction() as session:
            replace_versions(session, Dwelling, "X", versions, day(2017, 4, 1))
        assert [problem.code for problem in raised.value.problems] == [code]
    with db.transaction() as session:
        assert names(current_versions(session, Dwelling, "X"), bolig_x) == ["V2", "V3"]


def test_gaps_are_allowed_at_this_level(db: Database) -> None:
    gapped = [version(day(2017, 1, 1), day(2017, 2, 1), 1), version(day(2017, 3, 1), None, 2)]
    with db.transaction() as session:
        replace_versions(session, Dwelling, "G", gapped, day(2017, 1, 1))
        assert version_in_effect(session, Dwelling, "G", day(2017, 2, 15)) is None
        assert len(current_versions(session, Dwelling, "G")) == 2


def test_versions_may_not_set_registration_times_or_the_key(db: Database) -> None:
    for extra in ({"registered_from": day(2017, 1, 1)}, {"entity_id": "other"}):
        with pytest.raises(ValueError, match="may not set"), db.transaction() as session:
            replace_versions(session, Dwelling, "X", [{**version(day(2017, 1, 1), None, 1), **extra}], day(2017, 1, 1))


def test_deregister_hides_the_entity_but_keeps_its_history(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        assert deregister(session, Dwelling, "X", day(2017, 5, 1)) == 2
    with db.transaction() as session:
        assert current_versions(session, Dwelling, "X") == []
        assert version_in_effect(session, Dwelling, "X", day(2017, 7, 1)) is None
        assert effect_periods(session, Dwelling, "X") == []
        assert names(versions_as_of(session, Dwelling, "X", day(2017, 4, 30)), bolig_x) == ["V2", "V3"]
        assert versions_as_of(session, Dwelling, "X", day(2017, 5, 1)) == []
        assert deregister(session, Dwelling, "X", day(2017, 6, 1)) == 0


def test_registration_time_never_goes_backwards(db: Database, bolig_x: dict[str, int]) -> None:
    with db.transaction() as session:
        (late,) = replace_versions(session, Dwelling, "X", [version(day(2017, 1, 1), None, 7)], day(2017, 2, 1))
        assert late.registered_from == day(2017, 3, 5)
    with db.transaction() as session:
        deregister(session, Dwelling, "X", day(2017, 9, 1))
    with db.transaction() as session:
        (again,) = replace_versions(session, Dwelling, "X", [version(day(2017, 1, 1), None, 8)], day(2017, 8, 1))
        assert again.registered_from == day(2017, 9, 1)
    with db.transaction() as session:
        rows = session.scalars(select(Dwelling).where(Dwelling.entity_id == "X")).all()
        assert all(row.registered_to is None or row.registered_to >= row.registered_from for row in rows)
        assert [row.heating for row in versions_as_of(session, Dwelling, "X", day(2017, 8, 15))] == [7]
        assert [row.heating for row in versions_as_of(session, Dwelling, "X", day(2017, 9, 1))] == [8]


def test_naive_datetimes_are_refused(db: Database) -> None:
    naive = datetime(2017, 1, 1)
    aware = day(2017, 1, 1)
    refusals = [
        lambda: Period(naive),
        lambda: Period(aware, naive),
        lambda: Period(aware).contains(naive),
        lambda: select_as_of(Dwelling, naive),
        lambda: select_in_effect(Dwelling, naive),
    ]
    for refusal in refusals:
        with pytest.raises(ValueError, match="naive"):
            refusal()
    with db.transaction() as session:
        with pytest.raises(ValueError, match="naive"):
            replace_versions(session, Dwelling, "N", [version(aware, None, 1)], naive)
        with pytest.raises(ValueError, match="naive"):
            replace_versions(session, Dwelling, "N", [version(naive, None, 1)], aware)
        with pytest.raises(ValueError, match="naive"):
            version_in_effect(session, Dwelling, "N", aware, registered_at=naive)
        with pytest.raises(ValueError, match="naive"):
            deregister(session, Dwelling, "N", naive)


def test_the_bitemporal_index_is_created(db: Database) -> None:
    indexes = inspect(db.engine).get_indexes(Dwelling.__tablename__)
    assert [(index["name"], index["column_names"]) for index in indexes] == [
        ("ix_temporal_test_dwelling_bitemporal", ["entity_id", "registered_to", "effective_from"])
    ]


def test_concurrent_writers_never_leave_two_current_timelines(db: Database, bolig_x: dict[str, int]) -> None:
    """The second writer waits (PostgreSQL: the entity's advisory lock; SQLite: its write lock, taken when the
    unit of work begins), then writes on top of the first one's result."""
    failures: list[Exception] = []
    second = threading.Thread(target=second_writer, args=(db, failures))
    first = db.sessions()
    try:
        replace_versions(first, Dwelling, "X", [version(day(2017, 1, 1), None, 10)], day(2017, 4, 1))
        second.start()
        second.join(timeout=0.5)
        waited = second.is_alive()
        first.commit()
    finally:
        first.close()
    second.join(timeout=10)
    assert not second.is_alive()
    with db.transaction() as session:
        current = [row.heating for row in current_versions(session, Dwelling, "X")]
    assert waited
    assert (current, failures) == ([20], [])


def second_writer(db: Database, failures: list[Exception]) -> None:
    try:
        with db.transaction() as session:
            replace_versions(session, Dwelling, "X", [version(day(2017, 1, 1), None, 20)], day(2017, 4, 2))
    except OperationalError as error:
        failures.append(error)


# --- Pure interval rules ----------------------------------------------------------------------------------


def test_period_contains_and_overlaps() -> None:
    spring = Period(day(2017, 3, 1), day(2017, 6, 1))
    assert spring.contains(day(2017, 3, 1))
    assert not spring.contains(day(2017, 6, 1))
    assert Period(day(2017, 3, 1)).contains(day(2999, 1, 1))
    assert spring.overlaps(Period(day(2017, 5, 31)))
    assert not spring.overlaps(Period(day(2017, 6, 1)))
    assert not Period(day(2017, 4, 1), day(2017, 4, 1)).overlaps(spring)


def test_check_timeline_codes_and_positions() -> None:
    jan, feb, mar = day(2017, 1, 1), day(2017, 2, 1), day(2017, 3, 1)
    assert check_timeline([Period(feb, None), Period(jan, feb)]) == []
    assert check_timeline([]) == []

    (gap,) = check_timeline([Period(mar, None), Period(jan, feb)])
    assert (gap.code, gap.positions) == (ProblemCode.GAP, (1, 0))

    (overlap,) = check_timeline([Period(jan, mar), Period(feb, None)])
    assert (overlap.code, overlap.positions) == (ProblemCode.OVERLAP, (0, 1))

    # An open-ended period followed by another overlaps it.
    (open_ended,) = check_timeline([Period(jan, None), Period(feb, mar)])
    assert open_ended.code is ProblemCode.OVERLAP

    (empty,) = check_timeline([Period(feb, jan)])
    assert (empty.code, empty.positions) == (ProblemCode.END_NOT_AFTER_START, (0,))
    assert "ends at or before its start" in empty.message


def test_overlay_splits_an_existing_version_and_refuses_overlapping_submissions() -> None:
    jan, feb, mar, apr = day(2017, 1, 1), day(2017, 2, 1), day(2017, 3, 1), day(2017, 4, 1)
    result = overlay([(Period(jan, None), "old")], [(Period(feb, mar), "new")])
    assert result.timeline == [
        (Period(jan, feb), "old"),
        (Period(feb, mar), "new"),
        (Period(mar, None), "old"),
    ]
    assert result.overwritten == []

    with pytest.raises(ValueError, match="overlap"):
        overlay([], [(Period(jan, mar), "a"), (Period(feb, apr), "b")])
