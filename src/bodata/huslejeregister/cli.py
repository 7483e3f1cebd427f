"""``bodata huslejeregister``: web-service users, LBF Stamdata, letting cooperations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bodata.core.cli import clock, console, group
from bodata.core.cli import database as _database
from bodata.core.cli import failure as _fail
from bodata.huslejeregister import organisations
from bodata.huslejeregister.report import report_command
from bodata.huslejeregister.stamdata import StamdataError, import_stamdata, read_stamdata

cli = typer.Typer(
    help="Rent register (HuslejeregisterV3): users, Stamdata, letting cooperations.", no_args_is_help=True
)
users_cli = group(cli, "users", "Web-service users (WS-Security UsernameToken) and their organisations.")
stamdata_cli = group(cli, "stamdata", "LBF master data: organisations, departments, sections, dwellings.")
samarbejde_cli = group(cli, "samarbejder", "Letting cooperations (Udlejningssamarbejde).")
cli.command("report")(report_command)


@users_cli.command("add")
def users_add(
    username: str,
    organisation: Annotated[
        list[int], typer.Option("--organisation", "-o", help="LBF number of an organisation the user administers.")
    ],
    password: Annotated[str | None, typer.Option(help="The password; asked for when omitted.")] = None,
) -> None:
    """Create a user administering the given organisations (the password is stored hashed)."""
    password = password or typer.prompt(f"password for {username}", hide_input=True, confirmation_prompt=True)
    with _database().transaction() as session:
        try:
            organisations.add_user(session, username, password, organisation, now=clock.now())
        except ValueError as error:
            raise _fail(str(error)) from None
    console.print(f"user [bold]{username}[/bold] created for organisation(s) {', '.join(map(str, organisation))}")


@users_cli.command("password")
def users_password(
    username: str,
    password: Annotated[str | None, typer.Option(help="The new password; asked for when omitted.")] = None,
) -> None:
    """Set a new password; calls with the old one are refused at once."""
    password = password or typer.prompt(f"new password for {username}", hide_input=True, confirmation_prompt=True)
    with _database().transaction() as session:
        if not organisations.set_password(session, username, password):
            raise _fail(f"no user {username!r}")
    console.print(f"password of [bold]{username}[/bold] changed")


@users_cli.command("list")
def users_list() -> None:
    """The users and the organisations they administer."""
    table = Table("user", "organisations", "created")
    with _database().transaction() as session:
        for user in organisations.list_users(session):
            administered = ", ".join(f"{item.nummer} {item.navn}".strip() for item in user.organisations)
            table.add_row(user.username, administered, user.created_at.isoformat(timespec="seconds"))
    console.print(table)


@users_cli.command("remove")
def users_remove(username: str) -> None:
    """Delete a user; its calls are refused from then on."""
    with _database().transaction() as session:
        if not organisations.remove_user(session, username):
            raise _fail(f"no user {username!r}")
    console.print(f"user [bold]{username}[/bold] removed")


@stamdata_cli.command("import")
def stamdata_import(file: Path) -> None:
    """Load a Stamdata CSV file (one row per dwelling); all of it or, on any error, nothing."""
    try:
        rows = read_stamdata(file)
    except (OSError, StamdataError) as error:
        raise _fail(str(error)) from None
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )
    with progress, _database().transaction() as session:
        task = progress.add_task(f"importing {file.name}", total=len(rows))
        outcome = import_stamdata(session, rows, advance=lambda count: progress.advance(task, count))
    console.print(
        f"{outcome.organisations} organisation(s), {outcome.departments} department(s), {outcome.sections} "
        f"section(s); {outcome.dwellings_added} dwelling(s) added, {outcome.dwellings_updated} updated"
    )


@samarbejde_cli.command("add")
def samarbejde_add(navn: str, beskrivelse: Annotated[str | None, typer.Option(help="A description.")] = None) -> None:
    """Create a letting cooperation that Boligopskrivninger can refer to."""
    with _database().transaction() as session:
        try:
            item = organisations.add_udlejningssamarbejde(session, navn, beskrivelse)
        except ValueError as error:
            raise _fail(str(error)) from None
        console.print(f"Udlejningssamarbejde [bold]{navn}[/bold]: {item.id}")


@samarbejde_cli.command("list")
def samarbejde_list() -> None:
    """Every letting cooperation with its UnikIdentifikator."""
    table = Table("UnikIdentifikator", "navn", "beskrivelse")
    table.columns[0].no_wrap = True
    with _database().transaction() as session:
        for item in organisations.list_udlejningssamarbejder(session):
            table.add_row(
                str(item["UdlejningssamarbejdeUnikIdentifikator"]),
                item["UdlejningssamarbejdeNavnTekst"],
                item["UdlejningssamarbejdeBeskrivelseTekst"] or "",
            )
    console.print(table)
