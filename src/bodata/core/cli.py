"""What every service's ``bodata <service> ...`` commands share: the console, the clock, the database, failure."""

from __future__ import annotations

import typer
from rich.console import Console

from bodata.core.clock import SystemClock
from bodata.core.config import Settings
from bodata.core.db import Database

console = Console()
clock = SystemClock()


def database() -> Database:
    """The database the environment names (``BODATA_DATABASE_URL``)."""
    return Database.from_settings(Settings.from_env())


def failure(message: str) -> typer.Exit:
    """Print ``message`` in red and return the exit (status 1) to raise: ``raise failure("no such user")``."""
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)
