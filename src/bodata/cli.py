"""The ``bodata`` command.

It starts fast: a service's modules are imported only when its own commands run (``bodata portal ...``) or when
a command needs every service (``serve``, ``seed demo``), so ``bodata --help`` does not load four applications.
"""

from __future__ import annotations

import importlib
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from bodata import __version__
from bodata.core import failures
from bodata.core.config import ConfigError, Settings, load_env_file

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
_read_env_file: Path | None = None
"""The ``.env`` file the settings came from (``load_env_file``), named when ``serve`` starts."""
app = typer.Typer(
    cls=_ServiceCommands,
    help="bodata: an open-source housing data platform. Configuration comes from BODATA_* environment "
    "variables (see `bodata config`).",
    no_args_is_help=True,
    rich_markup_mode=None,  # click's plain help: flags read as flags, env-var hints in [brackets] survive
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
        console.print(f"[red]configuration error:[/red] {exc}", soft_wrap=True, highlight=False)
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
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="BODATA_DEBUG", help="Show the full traceback when a command fails."),
    ] = False,
) -> None:
    """bodata: residents register, tenant portal, Danish rent register and Swedish land registration."""
    failures.debug = debug


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(envvar="BODATA_HOST", show_envvar=True, show_default="127.0.0.1", help="Interface to listen on."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=1, max=65535, envvar="BODATA_PORT", show_envvar=True, show_default="8000", help="Port to listen on."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, envvar="BODATA_WORKERS", show_envvar=True, show_default="1", help="Worker processes."),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo",
            envvar="BODATA_DEMO",
            show_envvar=True,
            help="Load the demo data (idempotent) and mount the Axema stand-in.",
        ),
    ] = False,
    stand_in: Annotated[
        bool,
        typer.Option(
            "--stand-in/--no-stand-in",
            envvar="BODATA_STANDIN",
            show_envvar=True,
            help="Turn on the stand-in controls under /_bodata/ (docs/stand-in.md).",
        ),
    ] = False,
) -> None:
    """Migrate the database, optionally load demo data, and serve every service on one port.

    Every failure to start (settings, database, secret key, port) is one line saying what to do.
    """
    if demo:
        os.environ["BODATA_DEMO"] = "true"  # workers read the environment: mount the Axema stand-in
    if stand_in:
        os.environ["BODATA_STANDIN"] = "true"
    settings = _settings()
    host, port, workers = host or settings.host, port or settings.port, workers or settings.workers
    _check_port_free(host, port)
    from bodata.core.cors import origins_by_service
    from bodata.services import installed_services

    origins_by_service(settings, installed_services(settings))  # a misnamed service fails here, not in a worker
    if settings.standin or settings.demo:
        from bodata.core.standin.serving import prepare_standin

        settings, workers = prepare_standin(settings, workers, console)
    from bodata.core.logging import configure_logging

    configure_logging(settings.log_level, settings.resolved_log_format())
    _print_storage(settings)
    settings.resolved_secret_key()  # create the key file once, before any worker starts
    listening = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    database = _open_database(settings)
    try:
        _migrate(database)
        failures.check_secrets(database, settings)
        if demo:
            _seed(database, settings, server_url=settings.public_url.rstrip("/") or listening)
    finally:
        database.dispose()
    _run_server(settings, host=host, port=port, workers=workers, listening=listening, demo=demo)


def _run_server(settings: Settings, *, host: str, port: int, workers: int, listening: str, demo: bool) -> None:
    import uvicorn

    from bodata.core.metrics import multiprocess_directory
    from bodata.services import installed_services

    _print_banner(listening, settings, installed_services(settings), demo=demo)
    with multiprocess_directory(workers > 1 and settings.metrics):
        uvicorn.run(
            "bodata.app:create_served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            server_header=False,
            proxy_headers=settings.proxy_headers,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )


def _check_port_free(host: str, port: int) -> None:
    """Fail with one line, before anything is printed or started, when ``host:port`` cannot be listened on."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as exc:
        raise failures.ListenError(host, port, exc) from exc


def _open_database(settings: Settings) -> Database:
    from bodata.core.db import Database

    settings.prepare_data_dir()
    return Database.from_settings(settings)


def _print_storage(settings: Settings) -> None:
    shown = settings.masked()
    if _read_env_file is not None:
        console.print(f"settings from:  {_read_env_file} (and the environment)", soft_wrap=True, highlight=False)
    console.print(f"data directory: {settings.data_dir}", soft_wrap=True, highlight=False)
    console.print(f"database:       {shown['BODATA_DATABASE_URL']}", soft_wrap=True, highlight=False)
    key = "from BODATA_SECRET_KEY" if settings.secret_key else f"from {settings.secret_key_file}"
    console.print(f"secret key:     {key}", soft_wrap=True, highlight=False)


def _migrate(database: Database) -> None:
    from bodata.core.db.migrate import upgrade

    before, after = upgrade(database.engine)
    if before != after:
        console.print(f"database schema: {before or 'empty'} → {after}")


def _seed(database: Database, settings: Settings, *, server_url: str) -> None:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from bodata.core.clock import SystemClock
    from bodata.core.demo import seed_demo
    from bodata.core.security import SecretBox
    from bodata.services import installed_services

    services = [service for service in installed_services(settings) if service.seed_demo is not None]
    secrets = SecretBox(settings.resolved_secret_key())
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("demo data", total=len(services))
        for service in services:
            progress.update(task, description=f"demo data: {service.title}")
            for outcome in seed_demo(database, [service], clock=SystemClock(), secrets=secrets, server_url=server_url):
                progress.console.print(f"demo data {outcome.service}: {outcome.reason}")
            progress.advance(task)


def _print_banner(listening: str, settings: Settings, services: tuple[Service, ...], *, demo: bool) -> None:
    """The services' URLs and (with ``--demo``) the demo accounts, one per line: never cut at the terminal's edge."""
    base = settings.public_url.rstrip("/") or listening

    def line(text: str) -> None:
        console.print(text, soft_wrap=True, highlight=False)

    line(f"[bold]bodata {__version__}[/bold] listening on {listening}")
    if settings.public_url:
        line(f"public URL: {base}")
    rows = [("health", "/health"), ("readiness", "/ready"), ("index", "/"), ("API docs", "/docs")]
    for service in services:
        rows.append((service.title, service.prefix))
        rows += [(f"  {label}", path) for label, path in service.links.items()]
    width = max(len(label) for label, _ in rows)
    for label, path in rows:
        line(f"  {label.ljust(width)}  {base}{path}")
    if demo:
        accounts = [(service.title, account) for service in services for account in service.demo_accounts]
        if not accounts:
            line("no service with demo accounts is installed")
        else:
            line("[bold]demo accounts[/bold] (user / password):")
        for title, account in accounts:
            line(f"  {title}, {account.interface}: {account.username} / {account.password}")


@app.command()
def config() -> None:
    """Print the effective configuration (secrets masked)."""
    table = Table(title="bodata configuration")
    table.add_column("variable", no_wrap=True)
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
    from bodata.core.db.migrate import upgrade

    database = _open_database(_settings())
    try:
        before, after = upgrade(database.engine, revision)
    finally:
        database.dispose()
    console.print(f"database schema: {before or 'empty'} → {after}" if before != after else f"up to date ({after})")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database and the newest one this bodata has."""
    from bodata.core.db.migrate import current_revision, head_revision

    database = _open_database(_settings())
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
    from bodata.core.db.migrate import downgrade_to_base, upgrade

    settings = _settings()
    target = settings.masked()["BODATA_DATABASE_URL"]
    if not yes and not typer.confirm(f"Delete ALL data in {target}?"):
        raise typer.Exit(1)
    database = _open_database(settings)
    try:
        downgrade_to_base(database.engine)
        upgrade(database.engine)
    finally:
        database.dispose()
    console.print("database reset: schema recreated, no data")


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the deterministic demo data of every service (idempotent)."""
    settings = _settings()
    database = _open_database(settings)
    try:
        _migrate(database)
        _seed(
            database, settings, server_url=settings.public_url.rstrip("/") or f"http://{settings.host}:{settings.port}"
        )
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
    """The ``bodata`` command: reads ``.env``, runs the command, and turns a known failure into one line."""
    try:
        global _read_env_file  # read once per process, named by `serve`
        _read_env_file = load_env_file()
        app(prog_name="bodata")
    except Exception as exc:
        message = failures.describe(exc)
        if message is None or failures.debug:
            raise
        console.print(f"[red]{message}[/red]", soft_wrap=True, highlight=False)
        console.print("(run `bodata --debug ...` for the traceback)", highlight=False)
        raise SystemExit(1) from None
