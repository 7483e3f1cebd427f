"""Property tests of the bitemporal interval rules, against pure-Python models, on SQLite and PostgreSQL.

Instants lie on a grid of 73-day steps over 2000-2040, so generated periods often share boundaries; probing
each boundary and the half-steps around it visits every piece of a piecewise-constant timeline.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bodata.core.db import Database
from bodata.core.temporal import (
    BitemporalMixin,
    Period,
    ProblemCode,
    bitemporal_index,
    check_timeline,
    deregister,
    overlay,
    replace_versions,
    version_in_effect,
    versions_as_of,
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
STEP = timedelta(days=73)
GRID_POINTS = 200  # 200 steps of 73 days: 2000-2040

database_settings = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
pure_settings = settings(max_examples=300, deadline=None)


class PropertyBase(DeclarativeBase):
    metadata = MetaData()


class Version(PropertyBase, BitemporalMixin):
    __tablename__ = "temporal_property_version"
    __entity_key__ = "entity_id"
    __table_args__ = (bitemporal_index(__tablename__, "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(40))
    payload: Mapped[int]


@pytest.fixture
def db(empty_database: Database) -> Database:
    PropertyBase.metadata.create_all(empty_database.engine)
    return empty_database


# --- Strategies -----------------------------------------------------------------------------------


instants = st.integers(0, GRID_POINTS).map(lambda step: EPOCH + step * STEP)
any_periods = st.builds(Period, instants, st.none() | instants)


@st.composite
def timelines(draw: st.DrawFn, *, gaps: bool = True) -> list[Period]:
    """Sorted, non-empty, non-overlapping periods; contiguous unless ``gaps``; the last one maybe open."""
    bounds = sorted(draw(st.sets(instants, max_size=6)))
    periods = [Period(start, end) for start, end in itertools.pairwise(bounds)]
    if bounds and draw(st.booleans()):
        periods.append(Period(bounds[-1], None))
    if gaps:
        periods = [period for period in periods if draw(st.booleans())]
    return periods


@st.composite
def versions(draw: st.DrawFn) -> list[tuple[Period, int]]:
    """A valid set of versions: a possibly gapped timeline with an integer payload per period."""
    return [(period, draw(st.integers(0, 3))) for period in draw(timelines())]


@dataclass(frozen=True)
class Replace:
    now: datetime
    versions: list[tuple[Period, int]]


@dataclass(frozen=True)
class Deregister:
    now: datetime


operations = st.lists(
    st.one_of(st.builds(Replace, instants, versions()), st.builds(Deregister, instants)),
    min_size=1,
    max_size=5,
)


# --- Pure-Python model of a key's registration history ---------------------------------------------------


State = frozenset[tuple[Period, int]]


def model_history(ops: list[Replace | Deregister]) -> list[tuple[datetime, State]]:
    """The (registration instant, current versions) after each operation.

    The instant is ``now`` unless an earlier write was registered later (registration never goes backwards);
    operations that write nothing (replacing nothing by nothing) leave no trace and do not move it.
    """
    history: list[tuple[datetime, State]] = []
    state: State = frozenset()
    latest: datetime | None = None
    for op in ops:
        new_state: State = frozenset(op.versions) if isinstance(op, Replace) else frozenset()
        instant = op.now if latest is None else max(op.now, latest)
        if state or new_state:
            latest = instant
        state = new_state
        history.append((instant, state))
    return history


def known_at(history: list[tuple[datetime, State]], registered_at: datetime) -> State:
    """The versions the last operation registered at or before ``registered_at`` left current."""
    known: State = frozenset()
    for instant, state in history:
        if instant <= registered_at:
            known = state
    return known


def probes(moments: list[datetime]) -> list[datetime]:
    """Every moment and the half-steps on either side: one probe in each piece of a grid timeline."""
    return sorted({moment + offset for moment in moments for offset in (-STEP / 2, timedelta(0), STEP / 2)})


def bounds_of(periods: list[Period]) -> list[datetime]:
    return [moment for period in periods for moment in (period.start, period.end) if moment is not None]


def apply(db: Database, key: str, ops: list[Replace | Deregister]) -> None:
    for op in ops:
        with db.transaction() as session:
            if isinstance(op, Replace):
                rows = [
                    {"effective_from": period.start, "effective_to": period.end, "payload": payload}
                    for period, payload in op.versions
                ]
                replace_versions(session, Version, key, rows, op.now)
            else:
                deregister(session, Version, key, op.now)


def as_state(rows: list[Version]) -> State:
    return frozenset((row.effect_period, row.payload) for row in rows)


# --- (a), (b): the database agrees with the model ----------------------------------------------------


@database_settings
@given(ops=operations)
def test_versions_as_of_match_the_model_history(db: Database, ops: list[Replace | Deregister]) -> None:
    key = uuid.uuid4().hex
    apply(db, key, ops)
    history = model_history(ops)
    with db.transaction() as session:
        for registered_at in probes([instant for instant, _ in history]):
            rows = versions_as_of(session, Version, key, registered_at)
            assert [row.effective_from for row in rows] == sorted(row.effective_from for row in rows)
            assert as_state(rows) == known_at(history, registered_at)
            assert all(row.registered_from <= registered_at for row in rows)


@database_settings
@given(ops=operations, extra_probes=st.lists(instants, max_size=3))
def test_version_in_effect_agrees_with_period_contains(
    db: Database, ops: list[Replace | Deregister], extra_probes: list[datetime]
) -> None:
    key = uuid.uuid4().hex
    apply(db, key, ops)
    history = model_history(ops)
    current = history[-1][1]
    registered_probes = [None, *(instant for instant, _ in history)]
    submitted = [period for op in ops if isinstance(op, Replace) for period, _ in op.versions]
    effect_probes = probes(bounds_of(submitted))
    with db.transaction() as session:
        for registered_at in registered_probes:
            known = current if registered_at is None else known_at(history, registered_at)
            for effective_at in [*effect_probes, *extra_probes]:
                found = version_in_effect(session, Version, key, effective_at, registered_at)
                expected = [payload for period, payload in known if period.contains(effective_at)]
                assert ([] if found is None else [found.payload]) == expected


# --- (c): overlay ---------------------------------------------------------------------------------------


def covering(timeline: list[tuple[Period, str]], instant: datetime) -> list[str]:
    return [payload for period, payload in timeline if period.contains(instant)]


@pure_settings
@given(existing_periods=timelines(), submitted_periods=timelines())
def test_overlay_lays_submitted_versions_over_existing_ones(
    existing_periods: list[Period], submitted_periods: list[Period]
) -> None:
    existing = [(period, f"existing {index}") for index, period in enumerate(existing_periods)]
    submitted = [(period, f"submitted {index}") for index, period in enumerate(submitted_periods)]
    result = overlay(existing, submitted)

    result_periods = [period for period, _ in result.timeline]
    assert {problem.code for problem in check_timeline(result_periods)} <= {ProblemCode.GAP}
    assert [period.start for period in result_periods] == sorted(period.start for period in result_periods)

    moments = probes(bounds_of(existing_periods + submitted_periods))
    for instant in moments:
        assert covering(result.timeline, instant) == (covering(submitted, instant) or covering(existing, instant))

    fully_covered = [
        (period, payload)
        for period, payload in existing
        if all(covering(submitted, instant) for instant in moments if period.contains(instant))
    ]
    assert result.overwritten == fully_covered


def test_overlay_refuses_an_invalid_submission() -> None:
    start = EPOCH + STEP
    with pytest.raises(ValueError, match="ends at or before"):
        overlay([], [(Period(start, start), "empty")])


# --- (d): check_timeline ----------------------------------------------------------------------------------


@st.composite
def period_sets(draw: st.DrawFn) -> list[Period]:
    """Mostly contiguous timelines, some with one bound moved or extra periods added, in any order."""
    periods = draw(timelines(gaps=False))
    if periods and draw(st.booleans()):
        index = draw(st.integers(0, len(periods) - 1))
        moved = periods[index]
        periods[index] = draw(
            st.builds(Period, instants, st.just(moved.end)) | st.builds(Period, st.just(moved.start), instants)
        )
    periods += draw(st.lists(any_periods, max_size=2))
    return draw(st.permutations(periods))


def is_contiguous(periods: list[Period]) -> bool:
    ordered = sorted(periods, key=lambda period: period.start)
    return all(period.end is None or period.end > period.start for period in ordered) and all(
        earlier.end == later.start for earlier, later in itertools.pairwise(ordered)
    )


def share_an_instant(first: Period, second: Period) -> bool:
    return first.contains(second.start) or second.contains(first.start)


@pure_settings
@given(periods=period_sets())
def test_check_timeline_finds_problems_exactly_when_periods_are_not_contiguous(periods: list[Period]) -> None:
    problems = check_timeline(periods)
    assert (problems == []) == is_contiguous(periods)

    empty = {index for index, period in enumerate(periods) if period.end is not None and period.end <= period.start}
    reported_empty = {problem.positions[0] for problem in problems if problem.code is ProblemCode.END_NOT_AFTER_START}
    assert reported_empty == empty

    valid = {index: period for index, period in enumerate(periods) if index not in empty}
    overlapping = {
        index
        for index, period in valid.items()
        for other_index, other in valid.items()
        if index != other_index and share_an_instant(period, other)
    }
    overlaps = [problem for problem in problems if problem.code is ProblemCode.OVERLAP]
    assert all(share_an_instant(*problem.periods) for problem in overlaps)
    assert {index for problem in overlaps for index in problem.positions} == overlapping

    gaps = [problem for problem in problems if problem.code is ProblemCode.GAP]
    for problem in gaps:
        earlier, later = problem.periods
        assert earlier.end < later.start
        assert not any(period.contains(earlier.end) for period in valid.values())
    if not overlapping:
        assert bool(gaps) == (not is_contiguous(list(valid.values())))
