"""Bitemporal history ("dobbelthistorik"): versions with a registration time and an effect time.

Every version row carries two half-open intervals ``[from, to)``, ``to = None`` meaning open:

* **registration time** — when the system held the version as current (RegistreringFra/Til);
* **effect time** — when the version is true in reality (VirkningFra/Til).

A version is *current* while ``registered_to IS NULL``. Rows are never updated except to close their
registration: a correction closes the key's current rows and inserts the new timeline, so any past state of
knowledge can be reconstructed (see huslejeregister.md §3).

This module holds the pure interval rules (:class:`Period`, :func:`check_timeline`, :func:`overlay`), the
mapping mixin (:class:`BitemporalMixin`, :func:`bitemporal_index`), query builders returning ``Select``
statements for callers to refine, and session helpers that read and write one entity's versions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Index, Select, and_, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bodata.core.db.base import UTCDateTime

T = TypeVar("T")


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} is a naive datetime ({value.isoformat()}); give an aware one")


# --- Pure interval rules --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval ``[start, end)`` of aware datetimes; ``end = None`` means open-ended.

    A period whose end is not after its start is representable (so it can be reported) but contains nothing.
    """

    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware("Period.start", self.start)
        if self.end is not None:
            _require_aware("Period.end", self.end)

    @property
    def is_valid(self) -> bool:
        """Whether the period is non-empty: open-ended, or ending after it starts."""
        return self.end is None or self.end > self.start

    def contains(self, instant: datetime) -> bool:
        """Whether ``instant`` lies in ``[start, end)``."""
        _require_aware("instant", instant)
        return self.start <= instant and (self.end is None or instant < self.end)

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one instant."""
        latest_start = max(self.start, other.start)
        ends = [end for end in (self.end, other.end) if end is not None]
        return not ends or latest_start < min(ends)


class ProblemCode(StrEnum):
    """Machine codes of timeline problems; services map them to their own numbered errors."""

    END_NOT_AFTER_START = "end_not_after_start"
    OVERLAP = "overlap"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class TimelineProblem:
    """One problem in a set of periods; ``positions`` index the periods concerned in the checked sequence."""

    code: ProblemCode
    positions: tuple[int, ...]
    periods: tuple[Period, ...]

    @property
    def message(self) -> str:
        """A readable English description of the problem."""
        shown = " and ".join(_describe(period) for period in self.periods)
        return {
            ProblemCode.END_NOT_AFTER_START: f"period {shown} ends at or before its start",
            ProblemCode.OVERLAP: f"periods {shown} overlap",
            ProblemCode.GAP: f"gap between periods {shown}",
        }[self.code]


def _describe(period: Period) -> str:
    end = "open" if period.end is None else period.end.isoformat()
    return f"[{period.start.isoformat()}, {end})"


class TimelineError(ValueError):
    """A set of versions was refused because of the timeline problems it carries."""

    def __init__(self, problems: Sequence[TimelineProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


def check_timeline(periods: Sequence[Period]) -> list[TimelineProblem]:
    """Report empty periods, overlaps and gaps in ``periods`` (given in any order).

    Periods are taken in order of start. Each period that overlaps an earlier one is reported once, paired
    with the earlier period that reaches furthest; a gap is reported wherever the next period starts after
    everything before it has ended. Empty periods are reported and otherwise ignored. No problems means the
    periods form one contiguous timeline.
    """
    problems = [
        TimelineProblem(ProblemCode.END_NOT_AFTER_START, (index,), (period,))
        for index, period in enumerate(periods)
        if not period.is_valid
    ]
    ordered = sorted(
        ((index, period) for index, period in enumerate(periods) if period.is_valid),
        key=lambda item: item[1].start,
    )
    reach: tuple[int, Period] | None = None  # the earlier period ending last (None end: never ends)
    for index, period in ordered:
        if reach is not None:
            reach_index, reach_period = reach
            pair = ((reach_index, index), (reach_period, period))
            if reach_period.end is None or period.start < reach_period.end:
                problems.append(TimelineProblem(ProblemCode.OVERLAP, *pair))
            elif period.start > reach_period.end:
                problems.append(TimelineProblem(ProblemCode.GAP, *pair))
        if reach is None or (reach[1].end is not None and (period.end is None or period.end > reach[1].end)):
            reach = (index, period)
    return problems


def _refuse_invalid_or_overlapping(periods: Sequence[Period]) -> None:
    problems = [problem for problem in check_timeline(periods) if problem.code is not ProblemCode.GAP]
    if problems:
        raise TimelineError(problems)


@dataclass(frozen=True, slots=True)
class OverlayResult(Generic[T]):
    """The timeline after an overlay, sorted by start, and the existing versions it covered completely."""

    timeline: list[tuple[Period, T]]
    overwritten: list[tuple[Period, T]]


def overlay(existing: Sequence[tuple[Period, T]], submitted: Sequence[tuple[Period, T]]) -> OverlayResult[T]:
    """Lay ``submitted`` versions over ``existing`` ones.

    Where a submitted version covers an existing one, the existing one is trimmed or split; elsewhere it is
    kept. Existing versions that are covered completely are left out and listed in ``overwritten`` (the caller
    decides whether that deserves a warning, e.g. Huslejeregister 5005 for future versions). Both inputs must
    be sets of non-empty, non-overlapping periods; otherwise :class:`TimelineError` (a ValueError) is raised.
    """
    _refuse_invalid_or_overlapping([period for period, _ in existing])
    _refuse_invalid_or_overlapping([period for period, _ in submitted])
    covering = [period for period, _ in submitted]
    timeline = list(submitted)
    overwritten = []
    for period, payload in existing:
        remainder = _subtract(period, covering)
        if remainder:
            timeline.extend((piece, payload) for piece in remainder)
        else:
            overwritten.append((period, payload))
    timeline.sort(key=lambda item: item[0].start)
    return OverlayResult(timeline=timeline, overwritten=overwritten)


def _subtract(period: Period, covering: Sequence[Period]) -> list[Period]:
    """The parts of ``period`` that none of ``covering`` contains."""
    pieces = [period]
    for cover in covering:
        remaining = []
        for piece in pieces:
            if not piece.overlaps(cover):
                remaining.append(piece)
                continue
            if piece.start < cover.start:
                remaining.append(Period(piece.start, cover.start))
            if cover.end is not None and (piece.end is None or piece.end > cover.end):
                remaining.append(Period(cover.end, piece.end))
        pieces = remaining
    return pieces


# --- Mapping --------------------------------------------------------------------------------------


class BitemporalMixin:
    """The four time columns of a bitemporal version table.

    ============================  =========================  ==========================================
    Column                        Huslejeregister element    Meaning
    ============================  =========================  ==========================================
    ``registered_from``           RegistreringFraDatoTid     when this version was registered
    ``registered_to``             RegistreringTilDatoTid     when it stopped being current (NULL: current)
    ``effective_from``            VirkningFraDatoTid         when it starts being true in reality
    ``effective_to``              VirkningTilDatoTid         when it stops being true (NULL: open-ended)
    ============================  =========================  ==========================================

    A concrete model adds its own surrogate primary key, the entity key column named by ``__entity_key__`` (or
    several, named by a tuple: then keys are tuples in that order) and its data columns, and declares
    :func:`bitemporal_index` in ``__table_args__``.
    """

    __entity_key__: ClassVar[str | tuple[str, ...]]

    registered_from: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime())
    effective_to: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def effect_period(self) -> Period:
        """The version's effect period ``[effective_from, effective_to)``."""
        return Period(self.effective_from, self.effective_to)


def bitemporal_index(table_name: str, *key_columns: str) -> Index:
    """The composite index (entity key, registered_to, effective_from) that every version lookup uses."""
    return Index(f"ix_{table_name}_bitemporal", *key_columns, "registered_to", "effective_from")


M = TypeVar("M", bound=BitemporalMixin)


def _key_names(model: type[BitemporalMixin]) -> tuple[str, ...]:
    names = getattr(model, "__entity_key__", None)
    names = (names,) if isinstance(names, str) else names
    if not names or not all(hasattr(model, name) for name in names):
        raise TypeError(f"{model.__name__} must name its entity key column(s) in __entity_key__")
    return tuple(names)


def _key_clause(model: type[BitemporalMixin], key: Any) -> Any:
    """``key column = key``; for a composite ``__entity_key__`` the key is a tuple in the same order."""
    return and_(*(getattr(model, name) == value for name, value in _key_values(model, key).items()))


def _key_values(model: type[BitemporalMixin], key: Any) -> dict[str, Any]:
    names = _key_names(model)
    if len(names) == 1:
        return {names[0]: key}
    if not isinstance(key, tuple) or len(key) != len(names):
        raise ValueError(f"{model.__name__} is keyed by ({', '.join(names)}); give a tuple of those, not {key!r}")
    return dict(zip(names, key, strict=True))


# --- Query builders -------------------------------------------------------------------------------


def select_current(model: type[M]) -> Select[tuple[M]]:
    """Current versions (``registered_to IS NULL``) of all entities, unordered."""
    return select(model).where(model.registered_to.is_(None))


def select_as_of(model: type[M], registered_at: datetime) -> Select[tuple[M]]:
    """Versions that were current at registration instant ``registered_at``, unordered."""
    _require_aware("registered_at", registered_at)
    return select(model).where(
        model.registered_from <= registered_at,
        or_(model.registered_to.is_(None), model.registered_to > registered_at),
    )


def select_in_effect(model: type[M], effective_at: datetime, registered_at: datetime | None = None) -> Select[tuple[M]]:
    """Versions in effect at ``effective_at``: current ones, or those current at ``registered_at``."""
    _require_aware("effective_at", effective_at)
    base = select_current(model) if registered_at is None else select_as_of(model, registered_at)
    return base.where(
        model.effective_from <= effective_at,
        or_(model.effective_to.is_(None), model.effective_to > effective_at),
    )


# --- Reading one entity ---------------------------------------------------------------------------


def _of_entity(statement: Select[tuple[M]], model: type[M], key: Any) -> Select[tuple[M]]:
    return statement.where(_key_clause(model, key)).order_by(model.effective_from)


def current_versions(session: Session, model: type[M], key: Any) -> list[M]:
    """The entity's current versions by effect start (Hent)."""
    return list(session.scalars(_of_entity(select_current(model), model, key)))


def versions_as_of(session: Session, model: type[M], key: Any, registered_at: datetime) -> list[M]:
    """The entity's versions as known at ``registered_at``, by effect start (HentHistorisk)."""
    return list(session.scalars(_of_entity(select_as_of(model, registered_at), model, key)))


def version_in_effect(
    session: Session, model: type[M], key: Any, effective_at: datetime, registered_at: datetime | None = None
) -> M | None:
    """The entity's version in effect at ``effective_at``, now or as known at ``registered_at``.

    HentSpecifik without ``registered_at``, HentHistoriskSpecifik with it. The timeline of one registration
    never overlaps, so there is at most one such version.
    """
    statement = _of_entity(select_in_effect(model, effective_at, registered_at), model, key)
    return session.scalars(statement).one_or_none()


def effect_periods(session: Session, model: type[M], key: Any, registered_at: datetime | None = None) -> list[Period]:
    """The effect periods of the entity's current versions, or of those current at ``registered_at``.

    HentVirkningsperioder and HentVirkningsperioderHistorisk.
    """
    versions = select_current(model) if registered_at is None else select_as_of(model, registered_at)
    statement = _of_entity(versions, model, key).with_only_columns(model.effective_from, model.effective_to)
    return [Period(start, end) for start, end in session.execute(statement)]


# --- Writing one entity ---------------------------------------------------------------------------

_SYSTEM_COLUMNS = frozenset({"registered_from", "registered_to"})


def replace_versions(
    session: Session, model: type[M], key: Any, versions: Sequence[Mapping[str, Any]], now: datetime
) -> list[M]:
    """Register ``versions`` as the entity's complete current timeline and return the new rows (flushed).

    Each mapping holds ``effective_from``, optionally ``effective_to`` (default open-ended) and the model's
    data columns. Empty or overlapping effect periods raise :class:`TimelineError`; gaps are allowed here
    (forbidding them is a service rule). The entity's current rows are closed and the new ones inserted at
    one registration instant, inside the caller's transaction. That instant is ``now``, or the entity's latest
    registration time if that is later: registration time never goes backwards.
    """
    key_values = _key_values(model, key)
    for version in versions:
        refused = (_SYSTEM_COLUMNS | key_values.keys()) & version.keys()
        if refused:
            raise ValueError(f"versions may not set {', '.join(sorted(refused))}")
    _refuse_invalid_or_overlapping([Period(v["effective_from"], v.get("effective_to")) for v in versions])
    instant, _ = _close_current(session, model, key, now)
    rows = [
        model(**{**version, **key_values, "registered_from": instant, "registered_to": None}) for version in versions
    ]
    session.add_all(rows)
    session.flush()
    return rows


def deregister(session: Session, model: type[M], key: Any, now: datetime) -> int:
    """Close the entity's current registrations without replacing them (a deletion); return how many.

    Afterwards the entity has no current versions, while its history stays readable as of earlier instants.
    """
    _, closed = _close_current(session, model, key, now)
    return closed


def _close_current(session: Session, model: type[M], key: Any, now: datetime) -> tuple[datetime, int]:
    """Close the entity's current rows at its next registration instant; return the instant and the count."""
    _require_aware("now", now)
    _lock_entity(session, model, key)
    instant = _registration_instant(session, model, key, now)
    result = session.execute(
        update(model).where(_key_clause(model, key), model.registered_to.is_(None)).values(registered_to=instant)
    )
    return instant, result.rowcount


def _registration_instant(session: Session, model: type[M], key: Any, now: datetime) -> datetime:
    """``now``, unless the entity already has a later registration time: registration never goes backwards.

    Clock skew between processes must not produce a row registered before the one it replaces, nor a new
    registration overlapping the closed period of a deleted entity, so the latest registration time of the
    key (its latest ``registered_from`` or ``registered_to``) is used instead when it is later than ``now``.
    """
    latest = select(func.max(model.registered_from), func.max(model.registered_to))
    latest_from, latest_to = session.execute(latest.where(_key_clause(model, key))).one()
    return max([now, *(moment for moment in (latest_from, latest_to) if moment is not None)])


def _lock_entity(session: Session, model: type[M], key: Any) -> None:
    """Serialise writers of one entity until the transaction ends.

    On PostgreSQL two transactions could otherwise both close the same current rows and each insert a
    timeline; a transaction-scoped advisory lock on (table, key) prevents that. SQLite admits one writer at a
    time, and a transaction that read before another one's commit fails ("database is locked") when it writes.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"{model.__table__.name}:{key}".encode(), digest_size=8).digest()
    session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))
