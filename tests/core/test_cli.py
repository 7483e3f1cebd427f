"""The ``bodata`` command, run in-process on a temporary database."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


def test_serve_help_names_each_option_and_its_environment_variable() -> None:
    result = runner.invoke(app, ["serve", "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # click wraps at 80 columns
    for variable in ("BODATA_HOST", "BODATA_PORT", "BODATA_WORKERS", "BODATA_DEMO"):
        assert f"env var: {variable}" in text
    assert "--demo / --no-demo" in text  # a flag, not an option taking a value
    assert "1<=x<=65535" in text


def test_every_command_the_readme_lists_exists() -> None:
    """The README's `bodata ...` lines name real commands (each answers --help)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("## The `bodata` command", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = set()
    for line in block.splitlines():
        words = line.split("#", 1)[0].replace(" | ", "|").split()
        if not words or words[0] != "bodata":
            continue
        names = [word for word in words[1:] if re.fullmatch(r"[a-z-]+(\|[a-z-]+)*", word)]
        if not names:
            continue
        group, *rest = names
        for sub in rest[0].split("|") if rest else [""]:
            commands.add(tuple(filter(None, (group, sub))))
    assert ("serve",) in commands
    assert {("portal", "logins"), ("db", "reset"), ("boenderegister", "sync")} <= commands
    for command in sorted(commands):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, f"bodata {' '.join(command)}: {result.output}"
