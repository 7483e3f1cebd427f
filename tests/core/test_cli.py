"""The ``bodata`` command, run in-process on a temporary database."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from bodata import __version__
from bodata.cli import SERVICE_COMMANDS, app
from bodata.core.db import Database, create_database_engine
from bodata.core.db.migrate import current_revision, head_revision
from bodata.services import SERVICES

runner = CliRunner()


@pytest.fixture
def env(empty_database_url: str) -> dict[str, str]:
    return {"BODATA_DATABASE_URL": empty_database_url, "BODATA_SECRET_KEY": "cli-test-secret"}


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "config", "db", "seed"):
        assert command in result.output


def test_help_lists_every_service_without_importing_it() -> None:
    """``bodata --help`` names each service's command group with its title, yet loads no service (it starts fast)."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from bodata.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'], terminal_width=200)\n"
        "print(result.output)\n"
        f"packages = {[f'bodata.{name}' for name in SERVICE_COMMANDS]!r}\n"
        "print('LOADED', sorted(m for m in sys.modules if m.rpartition('.')[0] in packages or m in packages))"
    )
    shown = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert shown.splitlines()[-1] == "LOADED []"
    for service in SERVICES:
        assert service.name in SERVICE_COMMANDS
        assert SERVICE_COMMANDS[service.name][1] == service.title
        assert re.search(rf"{service.name}\s+{re.escape(service.title)}", shown)


def test_a_service_command_group_runs_when_named() -> None:
    result = runner.invoke(app, ["portal", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Tenant portal (PM5 Mina sidor V1)" in result.output
    assert "logins" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.output.strip() == f"bodata {__version__}"


def test_config_masks_secrets() -> None:
    result = runner.invoke(
        app,
        ["config"],
        env={"BODATA_SECRET_KEY": "s3cr3t-value", "BODATA_DATABASE_URL": "postgresql+psycopg://u:dbpass@h/d"},
        terminal_width=200,
    )
    assert result.exit_code == 0
    assert "s3cr3t-value" not in result.output
    assert "dbpass" not in result.output
    assert "postgresql+psycopg://u:***@h/d" in result.output


def test_config_error_is_reported_not_raised() -> None:
    result = runner.invoke(app, ["config"], env={"BODATA_PORT": "http"})
    assert result.exit_code == 2
    assert "BODATA_PORT must be an integer" in result.output


def test_db_upgrade_current_and_reset(env: dict[str, str], empty_database_url: str) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert f"empty → {head_revision()}" in upgraded.output
    assert "up to date" in runner.invoke(app, ["db", "upgrade"], env=env).output
    current = runner.invoke(app, ["db", "current"], env=env)
    assert f"database: {head_revision()}" in current.output
    refused = runner.invoke(app, ["db", "reset"], env=env, input="n\n")
    assert refused.exit_code == 1
    reset = runner.invoke(app, ["db", "reset", "--yes"], env=env)
    assert reset.exit_code == 0, reset.output
    database = Database(create_database_engine(empty_database_url))
    assert current_revision(database.engine) == head_revision()
    database.dispose()


@pytest.mark.sqlite_only  # seeding the demo on PostgreSQL builds the test template and runs in e2e/test_demo
def test_seed_demo_migrates_first(env: dict[str, str], empty_database_url: str) -> None:
    result = runner.invoke(app, ["seed", "demo"], env=env)
    assert result.exit_code == 0, result.output
    database = Database(create_database_engine(empty_database_url))
    assert current_revision(database.engine) == head_revision()
    database.dispose()
