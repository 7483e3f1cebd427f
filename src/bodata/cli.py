"""The ``bodata`` command.

It starts fast: a service's modules are imported only when its own commands run (``bodata portal ...``) or when
a command needs every service (``serve``, ``seed demo``), so ``bodata --help`` does not load four applications.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from bodata import __version__
from bodata.core.config import ConfigError, Settings

if TYPE_CHECKING:
    from bodata.core.db import Database
    from bodata.core.service import Service

SERVICE_COMMANDS: dict[str, tuple[str, str]] = {
    "boenderegister": ("bodata.boenderegister.cli", "Boenderegister"),
    "portal": ("bodata.portal.cli", "Tenant portal (PM5 Mina sidor V1)"),
    "huslejeregister": ("bodata.huslejeregister.cli", "HuslejeregisterV3 (Landsbyggefonden)"),
    "inskrivning": ("bodata.inskrivning.cli", "Inskrivning v3 (Lantmäteriet)"),
    "stand-in": ("bodata.core.standin.cli", "Stand-in controls of a running server (docs/stand-in.md)"),
}
"""Each service's command group: the module whose ``cli`` it is, and its help (the service's title)."""


class _ServiceCommands(TyperGroup):
    """The top-level group: lists the services' command groups by name, and imports one only to run it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(name for name in SERVICE_COMMANDS if name not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SERVICE_COMMANDS and cmd_name not in self.commands:
            return click.Group(cmd_name, help=SERVICE_COMMANDS[cmd_name][1])  # for the help listing only
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in SERVICE_COMMANDS and args[0] not in self.commands:
            module, title = SERVICE_COMMANDS[args[0]]
            holder = typer.Typer(add_completion=False, rich_markup_mode="rich")
            holder.add_typer(importlib.import_module(module).cli, name=args[0], help=title)
            self.add_command(typer.main.get_group(holder).commands[args[0]], args[0])
        return super().resolve_command(ctx, args)


console = Console(stderr=True)
app = typer.Typer(
    cls=_ServiceCommands,
    help="bodata: an open-source housing data platform. Configuration comes from BODATA_* environment "
    "variables (see `bodata config`).",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,  # locals may hold secrets
)
db_app = typer.Typer(help="Database schema: migrate, inspect, reset.", no_args_is_help=True)
seed_app = typer.Typer(help="Load data into the database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _version(value: bool) -> None:
    if value:
        print(f"bodata {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    _version_flag: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """bodata: residents register, tenant portal, Danish rent register and Swedish land registration."""


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default: BODATA_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: BODATA_PORT]")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes [default: BODATA_WORKERS]")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo data (idempotent) before serving.")] = False,
    stand_in: Annotated[
        bool, typer.Option("--stand-in", help="Turn on the stand-in controls under /_bodata/ (docs/stand-in.md).")
    ] = False,
) -> None:
    """Migrate the database, optionally load demo data, and serve every service on one port."""
    import uvicorn

    from bodata.core.db import Database
    from bodata.core.logging import configure_logging
    from bodata.services import installed_services

    if demo:
        os.environ["BODATA_DEMO"] = "true"  # workers read the environment: mount the Axema stand-in
    if stand_in:
        os.environ["BODATA_STANDIN"] = "true"
    settings = _settings()
    host, port, workers = host or settings.host, port or settings.port, workers or settings.workers
    if settings.standin or settings.demo:
        from bodata.core.standin.serving import prepare_standin

        settings, workers = prepare_standin(settings, workers, console)
    configure_logging(settings.log_level, settings.log_format)
    settings.resolved_secret_key()  # create the key file once, before any worker starts
    base_url = f"http://{host}:{port}"
    database = Database.from_settings(settings)
    try:
        _migrate(database)
        if demo:
            _seed(database, settings, server_url=base_url)
    finally:
        database.dispose()
    _print_banner(base_url, installed_services(settings), demo=demo)
    uvicorn.run(
        "bodata.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        server_header=False,
        proxy_headers=False,
    )


def _migrate(database: Database) -> None:
    from bodata.core.db.migrate import upgrade

    before, after = upgrade(database.engine)
    if before != after:
        console.print(f"database schema: {before or 'empty'} → {after}")


def _seed(database: Database, settings: Settings, *, server_url: str) -> None:
    from bodata.core.clock import SystemClock
    from bodata.core.demo import seed_demo
    from bodata.core.security import SecretBox
    from bodata.services import installed_services

    outcomes = seed_demo(
        database,
        installed_services(settings),
        clock=SystemClock(),
        secrets=SecretBox(settings.resolved_secret_key()),
        server_url=server_url,
    )
    for outcome in outcomes:
        console.print(f"demo data {outcome.service}: {outcome.reason}")


def _print_banner(base_url: str, services: tuple[Service, ...], *, demo: bool) -> None:
    table = Table(title=f"bodata {__version__} on {base_url}", show_lines=False)
    table.add_column("service")
    table.add_column("URL")
    table.add_row("health", f"{base_url}/health")
    table.add_row("index", f"{base_url}/")
    for service in services:
        table.add_row(service.title, f"{base_url}{service.prefix}")
        for label, path in service.links.items():
            table.add_row(f"  {label}", f"{base_url}{path}")
    console.print(table)
    if demo:
        accounts = Table(title="demo accounts")
        for column in ("service", "interface", "user", "password"):
            accounts.add_column(column)
        for service in services:
            for account in service.demo_accounts:
                accounts.add_row(service.title, account.interface, account.username, account.password)
        console.print(accounts if accounts.row_count else "no service with demo accounts is installed")


@app.command()
def config() -> None:
    """Print the effective configuration (secrets masked)."""
    table = Table(title="bodata configuration")
    table.add_column("variable")
    table.add_column("value", overflow="fold")
    defaults = Settings().masked()
    for name, value in _settings().masked().items():
        table.add_row(name, value if value == defaults[name] else f"[bold]{value}[/bold]")
    Console().print(table)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from bodata.core.db import Database
    from bodata.core.db.migrate import upgrade

    database = Database.from_settings(_settings())
    try:
        before, after = upgrade(database.engine, revision)
    finally:
        database.dispose()
    console.print(f"database schema: {before or 'empty'} → {after}" if before != after else f"up to date ({after})")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database and the newest one this bodata has."""
    from bodata.core.db import Database
    from bodata.core.db.migrate import current_revision, head_revision

    database = Database.from_settings(_settings())
    try:
        revision = current_revision(database.engine)
    finally:
        database.dispose()
    print(f"database: {revision or 'empty'}\nnewest:   {head_revision()}")


@db_app.command("reset")
def db_reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete every bodata table and recreate the schema empty."""
    from bodata.core.db import Database
    from bodata.core.db.migrate import downgrade_to_base, upgrade

    settings = _settings()
    target = settings.masked()["BODATA_DATABASE_URL"]
    if not yes and not typer.confirm(f"Delete ALL data in {target}?"):
        raise typer.Exit(1)
    database = Database.from_settings(settings)
    try:
        downgrade_to_base(database.engine)
        upgrade(database.engine)
    finally:
        database.dispose()
    console.print("database reset: schema recreated, no data")


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the deterministic demo data of every service (idempotent)."""
    from bodata.core.db import Database

    settings = _settings()
    database = Database.from_settings(settings)
    try:
        _migrate(database)
        _seed(database, settings, server_url=f"http://{settings.host}:{settings.port}")
    finally:
        database.dispose()


@app.command("axema-sim")
def axema_sim(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8100,
    apartments: Annotated[int, typer.Option(help="Apartments to generate.")] = 500,
    seed: Annotated[int, typer.Option(help="Seed of the generated data.")] = 2026,
    username: Annotated[str, typer.Option(help="The integration account's user name.")] = "demo",
    password: Annotated[str, typer.Option(help="The integration account's password.")] = "demo",  # noqa: S107
) -> None:
    """Serve a stand-in Axema Vaka system with generated data (for demos, tests and benchmarks)."""
    from bodata.axema_sim.server import run_sim
    from bodata.axema_sim.state import SimState

    console.print(f"Axema Vaka stand-in on http://{host}:{port} (user {username}); control API under /sim/")
    run_sim(host, port, SimState(seed=seed, apartments=apartments, username=username, password=password))


def main() -> None:
    app(prog_name="bodata")
