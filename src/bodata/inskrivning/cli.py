"""``bodata inskrivning``: API clients, importing responses of the real service, generating a register."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bodata.core.cli import clock, console, failure, group
from bodata.core.cli import database as _database
from bodata.inskrivning import service
from bodata.inskrivning.generator import generate_register
from bodata.inskrivning.importer import ImportFileError, import_registrations, read_file, read_registrations

cli = typer.Typer(help="Land register (Inskrivning v3): API clients, import, generate.", no_args_is_help=True)
clients_cli = group(cli, "clients", "OAuth2 clients that may fetch tokens at /token.")


def _batches(items: Iterable[object], size: int) -> Iterator[list[object]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


@clients_cli.command("add")
def clients_add(
    client_id: str,
    secret: Annotated[
        str | None, typer.Option(help="The client secret; a random one is generated and shown once if omitted.")
    ] = None,
    description: Annotated[str, typer.Option(help="Who the client is.")] = "",
) -> None:
    """Create a client with the scope inskrivning_direkt_v3_read (the secret is stored hashed)."""
    with _database().transaction() as session:
        try:
            _, secret = service.add_client(session, client_id, secret=secret, now=clock.now(), description=description)
        except ValueError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None
    console.print(f"client [bold]{client_id}[/bold] created, scope {service.SCOPE}")
    console.print(f"client secret: [bold]{secret}[/bold] (not shown again)")


@clients_cli.command("list")
def clients_list() -> None:
    """List the clients."""
    table = Table("client id", "scopes", "description", "created")
    with _database().transaction() as session:
        for client in service.list_clients(session):
            table.add_row(client.client_id, client.scopes, client.description, client.created_at.isoformat())
    console.print(table)


@clients_cli.command("remove")
def clients_remove(client_id: str) -> None:
    """Delete a client and revoke its tokens."""
    with _database().transaction() as session:
        removed = service.remove_client(session, client_id)
    if not removed:
        console.print(f"[red]no client {client_id!r}[/red]")
        raise typer.Exit(1)
    console.print(f"client {client_id} removed, its tokens revoked")


@cli.command("list")
def list_registrations(
    search: Annotated[str, typer.Option(help="Part of the property designation, e.g. 'Kåbo 5:'.")] = "",
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 20,
) -> None:
    """Current registrations: designation, registration id (GET /{id}) and property id (GET /beror/{id}).

    The ids are never cut (they are there to be copied): they stand one above the other in a column of their own
    width, and the designation folds instead, so the table fits 80 columns.
    """
    table = Table(show_lines=True)
    table.add_column("beteckning", overflow="fold")
    table.add_column("registration id\nproperty id", min_width=36, no_wrap=True)
    table.add_column("since", no_wrap=True)
    with _database().transaction() as session:
        for row in service.list_registrations(session, search=search, limit=limit):
            ids = f"{row.objektidentitet}\n{row.fastighet_id}"
            table.add_row(row.beteckning or "", ids, row.registered_from.date().isoformat())
        total = service.register_size(session)
    console.print(table)
    console.print(f"{total} registrations in the register")


@cli.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="Inskrivning v3 responses, JSON (GeoJSON) or XML (GML).")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Load a file only if every registration in it can be loaded.")
    ] = False,
) -> None:
    """Load responses of the real service (fetched with includeData=total) into the register.

    Each registration is checked against the published schema; those it refuses (e.g. a code value added since)
    are reported with every refused value and left out, the others are loaded. Exits with 1 if anything was left
    out.
    """
    database = _database()
    table = Table("file", "result")
    failed = 0
    with _progress() as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            try:
                read = read_file(path, strict=strict)
                with database.transaction() as session:
                    outcome = import_registrations(session, read.documents, clock.now())
                result = f"{outcome.stored} stored, {outcome.unchanged} unchanged"
                if read.refused:
                    failed += 1
                    result += f", [red]{len(read.refused)} refused[/red]"
                table.add_row(str(path), result)
                for refusal in read.refused:
                    table.add_row("", f"[red]{escape(str(refusal))}[/red]")
            except ImportFileError as error:
                failed += 1
                table.add_row(str(path), f"[red]not imported: {escape(str(error))}[/red]")
            progress.advance(task)
    console.print(table)
    if failed:
        raise typer.Exit(1)


LANTMATERIET_URL = "https://api.lantmateriet.se/distribution/produkter/inskrivning/v3"


@cli.command("fetch")
def fetch(
    ids: Annotated[list[str], typer.Argument(help="Registration ids (or property ids with --by-property).")],
    client_id: Annotated[str, typer.Option(envvar="LANTMATERIET_CLIENT_ID", help="Your API client id.")],
    client_secret: Annotated[
        str, typer.Option(envvar="LANTMATERIET_CLIENT_SECRET", help="Your API client secret.", show_default=False)
    ],
    url: Annotated[str, typer.Option(help="The service's base URL.")] = LANTMATERIET_URL,
    token_url: Annotated[
        str | None, typer.Option(help="The token endpoint [default: /token on the URL's host]")
    ] = None,
    by_property: Annotated[bool, typer.Option("--by-property", help="The ids are property ids (POST /beror).")] = False,
    xml: Annotated[bool, typer.Option("--xml", help="Fetch GML instead of GeoJSON.")] = False,
) -> None:
    """Fetch registrations from Lantmäteriet's API (includeData=total) and store them in this register.

    Each response is checked and imported as `import` does; ids the service does not know are reported.
    """
    from bodata.inskrivning.client import InskrivningClient, InskrivningError

    database, stored, unchanged, found = _database(), 0, 0, set()
    wanted = {value.lower() for value in ids}
    try:
        with (
            InskrivningClient(
                url, client_id, client_secret, format="xml" if xml else "json", token_url=token_url
            ) as client,
            _progress() as progress,
        ):
            task = progress.add_task("fetching", total=len(ids))
            for data in client.responses(ids, by_property=by_property):
                read = read_registrations(data, strict=True)
                with database.transaction() as session:
                    outcome = import_registrations(session, read.documents, clock.now())
                stored, unchanged = stored + outcome.stored, unchanged + outcome.unchanged
                key = "fastighetsreferens" if by_property else "objektidentitet"
                found |= {str(_identity(document, key)).lower() for document in read.documents}
                progress.advance(task, min(len(ids), 250))
    except (InskrivningError, ImportFileError, ValueError) as error:
        raise failure(f"not fetched: {escape(str(error))}") from None
    except httpx.HTTPError as error:
        raise failure(f"cannot reach {url}: {escape(str(error))}") from None
    console.print(f"{stored} registrations stored, {unchanged} unchanged")
    missing = sorted(wanted - found)
    if missing:
        console.print(f"[yellow]not found at the service: {', '.join(missing)}[/yellow]")


def _identity(document: dict[str, object], key: str) -> object:
    """The registration's id, or (``fastighetsreferens``) the id of the property it is of."""
    if key == "objektidentitet":
        return document.get("objektidentitet")
    reference = document.get("fastighetsreferens")
    return reference.get("objektidentitet") if isinstance(reference, dict) else None


@cli.command("generate")
def generate(
    properties: Annotated[int, typer.Option("--properties", min=1, help="How many properties to generate.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same register.")] = 0,
) -> None:
    """Fill the register with a realistic synthetic register (owners, shares, mortgages, easements, history)."""
    database = _database()
    with _progress() as progress:
        task = progress.add_task("generating", total=properties)
        for batch in _batches(generate_register(properties, seed=seed, now=clock.now()), 500):
            with database.transaction() as session:
                service.load_generated(session, batch)
            progress.advance(task, len(batch))
    console.print(f"{properties} properties generated")
