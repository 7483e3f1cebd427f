"""``bodata`` as a newcomer or an operator meets it when something is wrong: one line with the remedy, or --debug.

Each case runs the real command in a subprocess from a directory of its own, with its own data directory, as a
user would from a shell; none starts a server (every failure happens before the banner).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bodata.boenderegister import service as boenderegister
from bodata.core import failures
from bodata.core.db import Database
from bodata.core.security import SecretBox

pytestmark = pytest.mark.sqlite_only
UNREACHABLE = "postgresql+psycopg://bodata@127.0.0.1:1/bodata"  # nothing listens on port 1
HINT = "(run `bodata --debug ...` for the traceback)"


def bodata(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("BODATA_") or name.endswith("GUARD")
    }
    environment |= {"XDG_DATA_HOME": str(cwd / "xdg"), "COLUMNS": "80", **env}
    return subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-m", "bodata", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


def one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    """The failure's single line (the output is that line and the --debug hint, nothing else)."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert lines[-1] == HINT, result.stderr
    return lines[-2]


def test_serve_refuses_a_taken_port_before_anything_else(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        database = tmp_path / "never.db"
        result = bodata("serve", "--port", str(port), cwd=tmp_path, BODATA_DATABASE_URL=f"sqlite:///{database}")
        (tmp_path / ".env").write_text(f"BODATA_PORT={port}\n")  # the port from a .env file is checked the same
        from_file = bodata("serve", cwd=tmp_path, BODATA_DATABASE_URL=f"sqlite:///{database}")
    line = one_line_failure(result)
    assert line.startswith(f"cannot listen on 127.0.0.1:{port}: the port is already in use")
    assert "--port or BODATA_PORT" in line
    assert result.stderr.strip().splitlines()[0] == line  # no banner, no demo accounts, no scheduler first
    assert not database.exists()  # nor a migration
    assert one_line_failure(from_file).startswith(f"cannot listen on 127.0.0.1:{port}")

    out_of_range = bodata("serve", "--port", "99999", cwd=tmp_path)
    assert out_of_range.returncode == 2
    assert "Invalid value for '--port'" in out_of_range.stderr
    assert "65535" in out_of_range.stderr


def test_database_failures_are_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable = one_line_failure(bodata("db", "current", cwd=tmp_path, BODATA_DATABASE_URL=UNREACHABLE))
    assert unreachable.startswith("cannot use the database postgresql+psycopg://bodata@127.0.0.1:1/bodata:")
    assert "Check BODATA_DATABASE_URL" in unreachable

    debug = bodata("--debug", "db", "current", cwd=tmp_path, BODATA_DATABASE_URL=UNREACHABLE)
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr
    assert "OperationalError" in debug.stderr

    # A service command run where there is no database yet creates none and says how to make it.
    missing = one_line_failure(bodata("boenderegister", "accounts", "list", cwd=tmp_path))
    default_database = tmp_path / "xdg" / "bodata" / "bodata.db"
    assert missing.startswith(f"the database sqlite:///{default_database} has no bodata schema")
    assert "run `bodata db upgrade`" in missing
    assert not default_database.exists()
    assert not (tmp_path / "bodata.db").exists()  # nothing in the current directory either

    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # a database without bodata's tables: what a command's query meets there
    engine = create_engine(f"sqlite:///{empty}")
    with pytest.raises(OperationalError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT id FROM br_account"))
    engine.dispose()
    monkeypatch.setenv("BODATA_DATABASE_URL", f"sqlite:///{empty}")
    assert failures.describe(raised.value).startswith(f"the database sqlite:///{empty} has no bodata schema")


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_serve_with_the_wrong_secret_key_says_so_before_serving(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    """An Axema integration's password was encrypted with another key: caught at start, not in the nightly run."""
    with database.transaction() as session:
        account = boenderegister.create_account(session, name="Brf Nyckeln", now=datetime.now(UTC))
        boenderegister.create_integration(
            session,
            account=account,
            secrets=SecretBox("the-key-it-was-made-with"),
            now=datetime.now(UTC),
            name="Axema",
            base_url="http://127.0.0.1:9",
            username="demo",
            password="demo",
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "another-key"}
    line = one_line_failure(bodata("serve", "--port", str(port), cwd=tmp_path, **env))
    assert "cannot be decrypted" in line
    assert "Set BODATA_SECRET_KEY" in line
    assert "listening on" not in line


def test_bad_settings_are_one_line_naming_the_variable(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BODATA_DATABASE_URL=postgresql+psycopg2://bo@db/bodata\n")
    result = bodata("config", cwd=tmp_path)  # the .env file in the current directory is read
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: BODATA_DATABASE_URL names the driver postgresql+psycopg2")
    assert len(result.stderr.strip().splitlines()) == 1
