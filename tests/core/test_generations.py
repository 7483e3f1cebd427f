"""Named data generations (core/db/generations.py) and the caches they keep true (core/cache.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update

from bodata.core.cache import CredentialCache, etag_matches
from bodata.core.db import Database, generations
from bodata.core.throttle import LoginFailures

WATCHED = "test.login_failures"
generations.watch(WATCHED, {LoginFailures.__tablename__}, inserts=False)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _current(database: Database) -> int:
    with database.transaction(write=False) as session:
        return generations.current(session, WATCHED)


def test_writes_move_a_generation_once_per_committed_transaction(database: Database) -> None:
    assert _current(database) == 0
    with database.transaction() as session:  # an insert: not watched for this generation
        session.add(LoginFailures(realm="r", name_digest="a", failures=1, updated_at=NOW))
    assert _current(database) == 0
    with database.transaction() as session:  # a flush and a statement in one transaction: one step
        session.get_one(LoginFailures, ("r", "a")).failures = 2
        session.flush()
        session.execute(update(LoginFailures).values(failures=3))
    assert _current(database) == 1
    session = database.session()
    session.execute(delete(LoginFailures))
    database.end(session, commit=False)  # rolled back: nothing moves
    assert _current(database) == 1
    with database.transaction() as session:
        session.execute(delete(LoginFailures))
    assert _current(database) == 2
    with database.engine.begin() as connection:  # a stand-in reset replaces rows without the ORM
        generations.bump_service(connection, "test")
    assert _current(database) == 3


def test_a_credential_cache_forgets_at_a_new_generation_and_checks_expiry(database: Database) -> None:
    cache: CredentialCache[str] = CredentialCache(WATCHED)
    loads: list[str] = []

    def lookup(secret: str, now: datetime = NOW) -> str | None:
        with database.transaction(write=False) as session:
            return cache.lookup(session, secret, now=now, load=lambda _: loads.append(secret) or found.get(secret))

    found = {"s1": ("grant", NOW + timedelta(hours=1))}
    assert lookup("s1") == lookup("s1") == "grant"
    assert lookup("unknown") is None
    assert lookup("unknown") is None
    assert loads == ["s1", "unknown", "unknown"]  # refusals are never remembered
    assert lookup("s1", NOW + timedelta(hours=1)) is None  # expired, though remembered
    del found["s1"]
    assert lookup("s1") == "grant"  # still the same generation: remembered
    with database.transaction() as session:
        session.add(LoginFailures(realm="r", name_digest="b", failures=1, updated_at=NOW))
        session.flush()
        session.execute(delete(LoginFailures))
    assert lookup("s1") is None


def test_etag_matching() -> None:
    assert etag_matches('"a", W/"b"', '"b"')
    assert etag_matches("*", '"b"')
    assert not etag_matches('"a"', '"b"')
    assert not etag_matches(None, '"b"')
