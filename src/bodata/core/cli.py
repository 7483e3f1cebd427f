"""What every service's ``bodata <service> ...`` commands share: the console, the clock, the database, failure."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from bodata.core.clock import SystemClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.failures import MissingSchema, missing_schema_message

console = Console()
clock = SystemClock()


def database() -> Database:
    """The database the environment names (``BODATA_DATABASE_URL``).

    A SQLite file that does not exist is not created here (a command run with the wrong settings would leave an
    empty database behind and fail on its first table): it fails with one line saying how to make it.
    """
    settings = Settings.from_env()
    url = make_url(settings.database_url)
    on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_file and not Path(url.database).exists():
        raise MissingSchema(missing_schema_message(settings.masked()["BODATA_DATABASE_URL"]))
    return Database.from_settings(settings)


def group(parent: typer.Typer, name: str, help: str) -> typer.Typer:
    """A group of commands ``<parent> NAME ...`` (its help shown when called without a command)."""
    commands = typer.Typer(help=help, no_args_is_help=True)
    parent.add_typer(commands, name=name)
    return commands


def failure(message: str) -> typer.Exit:
    """Print ``message`` in red and return the exit (status 1) to raise: ``raise failure("no such user")``."""
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)
