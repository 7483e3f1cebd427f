"""Named data generations: counters that every write to a watched table moves on, for caches in every process.

A process may keep what it read (a token's scopes, a rendered answer) as long as the generation it was read at is
still the database's. ``watch(name, tables)`` makes every ORM flush and every ORM UPDATE/DELETE statement that
touches one of ``tables`` increment the generation ``name`` once per transaction, in that transaction: the new
generation becomes visible exactly when the change does, to every worker and every server on the database, and a
rolled-back change moves nothing. Reading a generation is one primary-key lookup (``current``), which is what a
cache pays per request instead of the work it saves. Inserts can be left out of a watch (``inserts=False``) when a
cache only remembers rows that exist (a new token is simply not cached yet).

Names are ``<service>.<what>``: writes that bypass the ORM on purpose (stand-in resets and restores, which replace a
service's rows through a connection) call ``bump_service`` for the service. This is the portal's ``freshness`` idea
(pm_data_generation) made shared. Writes that bypass bodata (SQL typed by hand) are not seen; restart the servers
after such edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Connection, String, bindparam, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column
from sqlalchemy.sql.selectable import ScalarSelect

from bodata.core.db.base import Base


class Generation(Base):
    """One named counter; a missing row is generation 0."""

    __tablename__ = "core_generation"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


@dataclass(frozen=True)
class _Watch:
    name: str
    tables: frozenset[str]
    inserts: bool


_WATCHES: list[_Watch] = []
_BUMPED = "bodata.generations.bumped"
_CURRENT = select(Generation.value).where(Generation.name == bindparam("name"))


def watch(name: str, tables: Iterable[str], *, inserts: bool = True) -> None:
    """Move generation ``name`` on whenever an ORM session writes one of ``tables`` (inserts too, unless told)."""
    _WATCHES.append(_Watch(name, frozenset(tables), inserts))


def current(session: Session, name: str) -> int:
    """The generation ``name`` as this transaction sees it (0 before its first write)."""
    return session.connection().execute(_CURRENT, {"name": name}).scalar() or 0


def value_of(name: str) -> ScalarSelect[int]:
    """Generation ``name`` as a scalar subquery (NULL before its first write), to read it in a statement that
    reads something else too (one round trip on a hot path)."""
    return select(Generation.value).where(Generation.name == name).scalar_subquery()


def bump(session: Session, name: str) -> None:
    """Move generation ``name`` on, once per transaction of ``session`` (an upsert: the row may not exist yet)."""
    session.connection()  # begins the transaction when this is its first statement
    transaction = session.get_transaction()
    done: dict[str, Any] = session.info.setdefault(_BUMPED, {})
    if done.get(name) is transaction:
        return
    done[name] = transaction
    session.execute(_upsert(session.get_bind().dialect.name), {"name": name, "value": 1})


def bump_service(connection: Connection, service: str) -> None:
    """Move on every watched generation of ``service`` (names ``<service>.…``) in ``connection``'s transaction."""
    names = sorted({item.name for item in _WATCHES if item.name.startswith(f"{service}.")})
    if names:
        connection.execute(_upsert(connection.dialect.name), [{"name": name, "value": 1} for name in names])


def _upsert(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Generation).on_conflict_do_update(
        index_elements=[Generation.name], set_={"value": Generation.value + 1}
    )


def _bump_for(session: Session, tables: set[str], *, inserting: bool) -> None:
    for item in _WATCHES:
        if (inserting is False or item.inserts) and not item.tables.isdisjoint(tables):
            bump(session, item.name)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    if not _WATCHES:
        return
    changed = {getattr(obj, "__tablename__", "") for obj in (*session.dirty, *session.deleted)}
    _bump_for(session, changed, inserting=False)
    _bump_for(session, {getattr(obj, "__tablename__", "") for obj in session.new}, inserting=True)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not _WATCHES or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name != Generation.__tablename__:
        _bump_for(state.session, {table.name}, inserting=state.is_insert)
