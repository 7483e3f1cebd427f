"""``bodata portal``: logins, API keys, staff tokens and session clean-up, against a database file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bodata.core.db import Database
from bodata.core.errors import ApiError
from bodata.portal import service
from bodata.portal.cli import cli
from bodata.portal.models import Customer, Login, PortalSession

runner = CliRunner()
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def env(database: Database, database_url: str) -> dict[str, str]:
    return {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "cli-key", "COLUMNS": "250"}


def invoke(env: dict[str, str], *args: str, typed: str | None = None):
    return runner.invoke(cli, list(args), env=env, input=typed)


def _customer(database: Database) -> int:
    with database.transaction() as session:
        customer = Customer(kundnummer="15555", fornamn="Anna", efternamn="Andersson", created_at=NOW)
        session.add(customer)
        session.flush()
        return customer.id


def _can_log_in(database: Database, username: str, password: str) -> bool:
    policy = service.LoginPolicy(session_minutes=30, max_failures=0, lockout_minutes=15)
    with database.transaction() as session:
        return not isinstance(
            service.log_in(session, username=username, password=password, now=NOW, policy=policy), ApiError
        )


def test_logins_add_list_password_remove(env, database: Database) -> None:
    customer_id = _customer(database)
    added = invoke(env, "logins", "add", "15555", "anna", typed="hemligt\nhemligt\n")
    assert added.exit_code == 0, added.output
    assert "login anna added for customer 15555" in added.output
    assert _can_log_in(database, "anna", "hemligt")
    with database.transaction() as session:
        login = session.scalar(select(Login).where(Login.username == "anna"))
        assert (login.customer_id, login.password_hash.startswith("$argon2")) == (customer_id, True)

    unknown = invoke(env, "logins", "add", "99999", "bertil", "--password", "x")
    assert unknown.exit_code == 1
    assert "no customer with kundnummer '99999'" in unknown.output
    taken = invoke(env, "logins", "add", "15555", "anna", "--password", "x")
    assert taken.exit_code == 1
    assert "upptaget" in taken.output

    listing = invoke(env, "logins", "list")
    assert listing.exit_code == 0
    assert re.search(r"anna\s.*15555\s.*Anna Andersson", listing.output)

    changed = invoke(env, "logins", "password", "anna", "--password", "nytt-losen")
    assert changed.exit_code == 0, changed.output
    assert not _can_log_in(database, "anna", "hemligt")
    assert _can_log_in(database, "anna", "nytt-losen")
    assert invoke(env, "logins", "password", "nobody", "--password", "x").exit_code == 1

    def lock(until: datetime) -> None:
        with database.transaction() as session:
            session.scalars(select(Login).where(Login.username == "anna")).one().locked_until = until

    expired = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    lock(expired)
    assert expired.isoformat(timespec="seconds") not in invoke(env, "logins", "list").output, "an expired lock"
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    lock(until)
    assert not _can_log_in(database, "anna", "nytt-losen")
    assert re.search(r"anna\s.*" + re.escape(until.isoformat(timespec="seconds")), invoke(env, "logins", "list").output)
    unlocked = invoke(env, "logins", "unlock", "anna")
    assert unlocked.exit_code == 0, unlocked.output
    assert "login anna unlocked" in unlocked.output
    assert _can_log_in(database, "anna", "nytt-losen")
    assert invoke(env, "logins", "unlock", "nobody").exit_code == 1

    assert invoke(env, "logins", "remove", "anna").exit_code == 0
    assert not _can_log_in(database, "anna", "nytt-losen")
    missing = invoke(env, "logins", "remove", "anna")
    assert missing.exit_code == 1
    assert "no login 'anna'" in missing.output


@pytest.mark.parametrize(
    ("group", "valid"), [("api-keys", service.api_key_valid), ("staff-tokens", service.staff_token_valid)]
)
def test_keys_are_shown_once_listed_and_revoked(env, database: Database, group: str, valid) -> None:
    added = invoke(env, group, "add", "hyresgastappen")
    assert added.exit_code == 0, added.output
    key = re.search(r"hyresgastappen: (\S+) \(not shown again\)", added.output).group(1)
    with database.transaction() as session:
        assert valid(session, key)
    assert invoke(env, group, "add", "hyresgastappen").exit_code == 1

    listing = invoke(env, group, "list").output
    assert "hyresgastappen" in listing
    assert key not in listing

    assert invoke(env, group, "revoke", "hyresgastappen").exit_code == 0
    with database.transaction() as session:
        assert not valid(session, key)
    assert invoke(env, group, "revoke", "hyresgastappen").exit_code == 1


def test_sessions_purge_deletes_ended_and_expired_sessions(env, database: Database) -> None:
    customer_id = _customer(database)
    now = datetime.now(UTC)
    with database.transaction() as session:
        live = service.open_session(session, customer_id=customer_id, now=now, minutes=30)
        service.open_session(session, customer_id=customer_id, now=now - timedelta(hours=2), minutes=30)
        ended = service.open_session(session, customer_id=customer_id, now=now, minutes=30)
        tenant = service.resolve_session(session, key=ended.key, now=now, minutes=30)
        service.log_out(session, tenant=tenant, now=now)
    result = invoke(env, "sessions", "purge")
    assert result.exit_code == 0, result.output
    assert "2 ended or expired sessions deleted" in result.output
    with database.transaction() as session:
        assert session.scalar(select(PortalSession.customer_id)) == customer_id
        assert service.resolve_session(session, key=live.key, now=now, minutes=30).customer_id == customer_id
        assert len(session.scalars(select(PortalSession)).all()) == 1
