"""``bodata boenderegister``: accounts, users, API tokens, integrations, and running a sync now."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from bodata.boenderegister import service
from bodata.boenderegister.messages import CATALOGUE, issue_reason, run_message
from bodata.boenderegister.models import Account, ApiToken, Integration, IntegrationRun, User
from bodata.boenderegister.sources.csvfile import CsvPersonSource
from bodata.boenderegister.sync import IntegrationBusy, IntegrationPaused, run_integration, source_for
from bodata.core.cli import clock, console, group
from bodata.core.cli import database as _database
from bodata.core.cli import failure as _fail
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.i18n import Message, Translator, environment_language
from bodata.core.security import SecretBox

cli = typer.Typer(help="Residents register: accounts, users, API tokens, integrations, sync.", no_args_is_help=True)
accounts_cli = group(cli, "accounts", "Accounts (property owners, housing co-ops).")
users_cli = group(cli, "users", "Web UI users.")
tokens_cli = group(cli, "tokens", "REST API tokens.")
integrations_cli = group(cli, "integrations", "Integrations with Axema Vaka systems.")


def _language() -> Translator:
    """Run reports and refusals in the language of the environment (LANG …), Swedish by default."""
    return CATALOGUE.translator(environment_language(CATALOGUE.languages))


def _text(message: Message | str) -> str:
    return _language().render(message)


def _account(session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        console.print(f"[red]no account {account_id}[/red] (see `bodata boenderegister accounts list`)")
        raise typer.Exit(1)
    return account


@accounts_cli.command("add")
def accounts_add(name: str) -> None:
    """Create an account."""
    with _database().transaction() as session:
        account = service.create_account(session, name=name, now=clock.now())
        console.print(f"account {account.id}: {account.name}")


@accounts_cli.command("list")
def accounts_list() -> None:
    """List the accounts."""
    table = Table("id", "name", "shown number")
    with _database().transaction() as session:
        for account in session.scalars(select(Account).order_by(Account.id)):
            table.add_row(str(account.id), account.name, account.shown_number)
    console.print(table)


@users_cli.command("add")
def users_add(
    username: str,
    account_id: Annotated[int, typer.Option("--account", help="The account the user belongs to.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    email: Annotated[
        str | None, typer.Option(help="Where alerts go when the account's nightly runs keep failing.")
    ] = None,
) -> None:
    """Create a web UI user (the password is asked for and stored hashed)."""
    with _database().transaction() as session:
        try:
            service.create_user(
                session,
                account=_account(session, account_id),
                username=username,
                password=password,
                now=clock.now(),
                email=email,
            )
        except service.InvalidInput as exc:
            raise _fail(_text(exc.message)) from None
    console.print(f"user {username} added")


@users_cli.command("list")
def users_list() -> None:
    """List the users and their accounts."""
    table = Table("user", "account", "e-mail")
    with _database().transaction() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            table.add_row(user.username, f"{user.account_id}: {user.account.name}", user.email or "")
    console.print(table)


@users_cli.command("remove")
def users_remove(username: str) -> None:
    """Remove a user (and end their sessions)."""
    with _database().transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise _fail(f"no user {username}")
        session.delete(user)
    console.print(f"user {username} removed")


@tokens_cli.command("add")
def tokens_add(
    name: str,
    account_id: Annotated[int, typer.Option("--account", help="The account the token reads.")],
    days: Annotated[int | None, typer.Option(help="Valid for this many days (default: until revoked).")] = None,
) -> None:
    """Create an API token; it is printed once and stored only as a digest."""
    with _database().transaction() as session:
        token = service.issue_api_token(
            session,
            account=_account(session, account_id),
            name=name,
            now=clock.now(),
            valid_for=timedelta(days=days) if days else None,
        )
    console.print(f"token (shown once, keep it safe): [bold]{token}[/bold]")


@tokens_cli.command("list")
def tokens_list() -> None:
    """List the API tokens (never their values)."""
    table = Table("id", "account", "name", "created", "expires")
    with _database().transaction() as session:
        for token in session.scalars(select(ApiToken).order_by(ApiToken.id)):
            expires = token.expires_at.isoformat(timespec="minutes") if token.expires_at else "never"
            table.add_row(
                str(token.id),
                str(token.account_id),
                token.name,
                token.created_at.isoformat(timespec="minutes"),
                expires,
            )
    console.print(table)


@tokens_cli.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke an API token."""
    with _database().transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise _fail(f"no token {token_id}")
        session.delete(token)
    console.print(f"token {token_id} revoked")


@integrations_cli.command("add")
def integrations_add(
    name: str,
    account_id: Annotated[int, typer.Option("--account")],
    url: Annotated[str, typer.Option(help="The Axema system's address, e.g. https://axema.example:8443")],
    username: Annotated[str, typer.Option(help="The integration account in Axema.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    api_key: Annotated[str | None, typer.Option(help="x-api-key, if the Axema side requires one.")] = None,
    schedule: Annotated[str, typer.Option(help="Daily run time HH:MM (Europe/Stockholm).")] = "02:00",
    threshold: Annotated[float, typer.Option(help="Stop for confirmation when residents drop by more.")] = 0.2,
) -> None:
    """Add an Axema integration (its password is stored encrypted)."""
    settings = Settings.from_env()
    with Database.from_settings(settings).transaction() as session:
        try:
            integration = service.create_integration(
                session,
                account=_account(session, account_id),
                secrets=SecretBox(settings.resolved_secret_key()),
                now=clock.now(),
                name=name,
                base_url=url,
                username=username,
                password=password,
                api_key=api_key,
                schedule_time=schedule,
                removal_threshold=threshold,
            )
        except service.InvalidInput as exc:
            raise _fail(_text(exc.message)) from None
        console.print(f"integration {integration.id} added; next run {integration.next_run_at:%Y-%m-%d %H:%M} UTC")


@integrations_cli.command("list")
def integrations_list() -> None:
    """List the integrations."""
    table = Table("id", "account", "name", "address", "schedule", "next run (UTC)", "state")
    with _database().transaction() as session:
        for integration in session.scalars(select(Integration).order_by(Integration.id)):
            next_run = integration.next_run_at.strftime("%Y-%m-%d %H:%M") if integration.next_run_at else "-"
            table.add_row(
                str(integration.id),
                str(integration.account_id),
                integration.name,
                integration.base_url,
                f"{integration.schedule_time} {integration.timezone}",
                next_run,
                ("paused" if not integration.enabled else "active")
                + (f": {integration.alert}" if integration.alert else ""),
            )
    console.print(table)


def _integration(session, integration_id: int) -> Integration:
    integration = session.get(Integration, integration_id)
    if integration is None:
        raise _fail(f"no integration {integration_id} (see `bodata boenderegister integrations list`)")
    return integration


_CLI_ACTOR = "command line"


@integrations_cli.command("edit")
def integrations_edit(
    integration_id: int,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    url: Annotated[str | None, typer.Option(help="The Axema system's new address.")] = None,
    username: Annotated[str | None, typer.Option(help="The integration account in Axema.")] = None,
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a new password (after a change in Axema).")
    ] = False,
    api_key: Annotated[str | None, typer.Option(help="A new x-api-key; an empty value removes it.")] = None,
    schedule: Annotated[str | None, typer.Option(help="Daily run time HH:MM.")] = None,
    threshold: Annotated[float | None, typer.Option(help="Removal threshold, e.g. 0.2.")] = None,
) -> None:
    """Change an integration's settings (recorded in its audit trail)."""
    new_password = typer.prompt("New password", hide_input=True, confirmation_prompt=True) if password else None
    settings = Settings.from_env()
    with Database.from_settings(settings).transaction() as session:
        try:
            changed = service.update_integration(
                session,
                integration=_integration(session, integration_id),
                secrets=SecretBox(settings.resolved_secret_key()),
                now=clock.now(),
                actor=_CLI_ACTOR,
                name=name,
                base_url=url,
                username=username,
                password=new_password,
                api_key=api_key,
                schedule_time=schedule,
                removal_threshold=threshold,
            )
        except service.InvalidInput as exc:
            raise _fail(_text(exc.message)) from None
    console.print(f"integration {integration_id}: " + (f"changed {', '.join(changed)}" if changed else "no change"))


def _set_paused(integration_id: int, paused: bool) -> None:
    with _database().transaction() as session:
        service.set_integration_paused(
            session, integration=_integration(session, integration_id), paused=paused, now=clock.now(), actor=_CLI_ACTOR
        )
    console.print(f"integration {integration_id} {'paused' if paused else 'resumed'}")


@integrations_cli.command("pause")
def integrations_pause(integration_id: int) -> None:
    """Pause an integration: no scheduled or manual runs until it is resumed."""
    _set_paused(integration_id, True)


@integrations_cli.command("resume")
def integrations_resume(integration_id: int) -> None:
    """Resume a paused integration; its next run is scheduled."""
    _set_paused(integration_id, False)


@integrations_cli.command("remove")
def integrations_remove(
    integration_id: int,
    records: Annotated[
        str,
        typer.Option(
            help="keep: its records stay, as typed in by hand; remove: they are removed (adopted ones given back)."
        ),
    ],
) -> None:
    """Delete an integration, with an explicit choice of what becomes of its records."""
    with _database().transaction() as session:
        try:
            counts = service.delete_integration(
                session,
                integration=_integration(session, integration_id),
                records=records,
                now=clock.now(),
                actor=_CLI_ACTOR,
            )
        except service.InvalidInput as exc:
            raise _fail(_text(exc.message)) from None
    console.print(f"integration {integration_id} deleted; records {records}: {counts}")


@integrations_cli.command("audit")
def integrations_audit(account_id: Annotated[int, typer.Option("--account")]) -> None:
    """Who changed what in an account's integrations, newest first."""
    table = Table("when (UTC)", "integration", "who", "what", "details")
    with _database().transaction() as session:
        for entry in service.audit_trail(session, account=_account(session, account_id)):
            table.add_row(
                f"{entry.at:%Y-%m-%d %H:%M}", str(entry.integration_id), entry.actor, entry.action, str(entry.details)
            )
    console.print(table)


@cli.command("sync")
def sync(
    integration_id: Annotated[int | None, typer.Option("--integration", help="Run only this one.")] = None,
    confirm_removals: Annotated[
        bool, typer.Option("--confirm-removals", help="Apply a run that removes more residents than the threshold.")
    ] = False,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Read Axema's CSV person export from this file instead (needs --integration).", exists=True
        ),
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option("--column", help="FIELD=HEADER for a CSV column with another name, e.g. cards=Kort (repeatable)."),
    ] = None,
    delimiter: Annotated[str, typer.Option(help="CSV field separator.")] = ";",
) -> None:
    """Run integrations now (all of them, or one), with a progress bar and the run report."""
    settings = Settings.from_env()
    database, secrets = Database.from_settings(settings), SecretBox(settings.resolved_secret_key())
    make_source = lambda integration: source_for(integration, secrets)  # noqa: E731
    if csv_file is not None:
        if integration_id is None:
            raise _fail("--csv needs --integration: the file's records will belong to that integration")
        make_source = _csv_source_factory(csv_file, columns or [], delimiter)
    with database.transaction() as session:
        query = select(Integration.id, Integration.name).order_by(Integration.id)
        if integration_id is not None:
            query = query.where(Integration.id == integration_id)
        targets = session.execute(query).all()
    if not targets:
        raise _fail("no such integration" if integration_id is not None else "no integrations")
    failed = False
    for target in targets:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
            task = bar.add_task(f"{target.name}: reading Axema", total=None)
            try:
                run = run_integration(
                    database,
                    target.id,
                    make_source=make_source,
                    clock=clock,
                    trigger="cli" if csv_file is None else "csv",
                    confirm_removals=confirm_removals,
                    progress=lambda done, total, task=task: bar.update(task, completed=done, total=total),
                )
            except (IntegrationBusy, IntegrationPaused) as exc:
                console.print(f"[yellow]{exc}[/yellow]")
                failed = True
                continue
        colour = "green" if run.status == "succeeded" else "red"
        message = run_message(_language(), run.message_code, run.message_params, run.message)
        console.print(f"[{colour}]{target.name}: {run.status}[/{colour}] {message}")
        with database.transaction() as session:
            for issue in session.get_one(IntegrationRun, run.id).issues:
                reason = _text(issue_reason(issue.code, issue.params, issue.reason))
                console.print(f"  {issue.kind}: group '{issue.group_name}' ({issue.reference_id!r}): {reason}")
        failed = failed or run.status != "succeeded"
    raise typer.Exit(1 if failed else 0)


def _csv_source_factory(path: Path, columns: list[str], delimiter: str):
    mapping = {}
    for column in columns:
        field, separator, header = column.partition("=")
        if not separator or not header:
            raise _fail(f"--column {column!r} must look like FIELD=HEADER")
        mapping[field.strip()] = header.strip()
    try:
        source = CsvPersonSource(path, columns=mapping, delimiter=delimiter)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    return lambda integration: source
