"""Keeps cached session views fresh: a data generation that every write to the portal's records moves on.

``GET /session`` with many flags reads a dozen tables (ten years of notices are ~700 rows); its answer only
changes when the records behind it do. Every flush or DML statement of an ORM session that touches a ``pm_``
table the view reads increments ``pm_data_generation`` once per transaction, in that transaction, so the new
generation becomes visible exactly when the change does, to every worker and server. ``SessionViewCache`` keeps
recent answers keyed by the generation they were read at (plus customer, flags, day and URL base): a write makes
every older entry unreachable, nothing is ever served stale. Writes that bypass bodata (SQL typed by hand) are
not seen; turn the cache off with ``BODATA_PORTAL_SESSION_CACHE_ENTRIES=0`` when records are edited that way.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from bodata.core.cache import LruCache
from bodata.portal.models import DataGeneration

UNCACHED_TABLES = frozenset(
    {
        "pm_data_generation",
        "pm_session",
        "pm_login",
        "pm_api_key",
        "pm_staff_token",
        "pm_outbox_message",
        "pm_laundry_slot",
    }
)
"""Portal tables no session view reads: writing them (a login, a sliding session, a booking) keeps the cache."""

_BUMPED = "bodata.portal.generation_bumped"


def current_generation(session: Session) -> int:
    """The data generation this transaction sees."""
    return session.scalar(select(DataGeneration.value).where(DataGeneration.id == 1)) or 0


def _touches_read_model(table_names: set[str]) -> bool:
    return any(name.startswith("pm_") and name not in UNCACHED_TABLES for name in table_names)


def _bump(session: Session) -> None:
    transaction = session.get_transaction()
    if transaction is None or session.info.get(_BUMPED) is transaction:
        return
    session.info[_BUMPED] = transaction
    session.execute(update(DataGeneration).where(DataGeneration.id == 1).values(value=DataGeneration.value + 1))


def take_write_turn(session: Session) -> None:
    """Move the generation on now rather than at the first flush.

    The generation row is locked until commit (on PostgreSQL; SQLite serialises writers anyway), so transactions
    that call this first take turns: what one reads afterwards includes everything the one before it wrote.
    """
    session.connection()
    _bump(session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    changed = {*session.new, *session.dirty, *session.deleted}
    if changed and _touches_read_model({getattr(obj, "__tablename__", "") for obj in changed}):
        _bump(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and _touches_read_model({table.name}):
        _bump(state.session)


class SessionViewCache(LruCache[Hashable, bytes]):
    """A bounded, thread-safe LRU of rendered session views (bytes) keyed by generation and request."""
