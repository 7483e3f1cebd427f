"""``bodata portal``: tenant logins, API keys for apps, staff tokens for the back office, and session clean-up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bodata.core.cli import clock, console, group
from bodata.core.cli import database as _database
from bodata.core.cli import failure as _fail
from bodata.core.errors import ApiError
from bodata.portal import bgmax, outbox, reminders, rent, service
from bodata.portal.admin import crud, logins
from bodata.portal.admin.customers import customer_by_number
from bodata.portal.models import ApiKey, StaffToken
from bodata.portal.staff import accounts as staff_accounts

cli = typer.Typer(help="Tenant portal: logins, API keys, staff tokens, sessions.", no_args_is_help=True)
logins_cli = group(cli, "logins", "Tenants' portal logins (POST /portal/session/login).")
api_keys_cli = group(cli, "api-keys", "API keys the tenant apps send (ApiNyckel).")
staff_tokens_cli = group(cli, "staff-tokens", "Staff tokens for the back office (/portal/admin).")
sessions_cli = group(cli, "sessions", "Tenants' portal sessions.")

Password = Annotated[
    str, typer.Option(prompt=True, confirmation_prompt=True, hide_input=True, help="Asked for when left out.")
]


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="seconds")


# --- Logins ---------------------------------------------------------------------------------------


@logins_cli.command("add")
def logins_add(customer_number: str, username: str, password: Password) -> None:
    """Give the customer with CUSTOMER_NUMBER (kundnummer) a login; the password is stored hashed."""
    try:
        with _database().transaction() as session:
            customer = customer_by_number(session, customer_number)
            service.add_login(session, customer_id=customer.id, username=username, password=password, now=clock.now())
    except ApiError as error:
        raise _fail(error.message) from None
    console.print(f"login [bold]{username}[/bold] added for customer {customer_number}")


@logins_cli.command("list")
def logins_list() -> None:
    """List the logins with their customers, and the locks still in force (an expired one no longer locks)."""
    table = Table("username", "customer number", "name", "created", "last login", "locked until")
    now = clock.now()
    with _database().transaction() as session:
        for login, customer in logins.all_logins(session):
            name = f"{customer.fornamn} {customer.efternamn}"
            table.add_row(
                login.username,
                customer.kundnummer,
                name,
                _moment(login.created_at),
                _moment(login.last_login_at),
                _moment(login.locked_until if login.locked_until and login.locked_until > now else None),
            )
    console.print(table)


@logins_cli.command("password")
def logins_password(username: str, password: Password) -> None:
    """Set a new password for a login (its open sessions stay open)."""
    try:
        with _database().transaction() as session:
            logins.set_password(session, login=logins.login_by_username(session, username), password=password)
    except ApiError as error:
        raise _fail(error.message) from None
    console.print(f"password of [bold]{username}[/bold] changed")


@logins_cli.command("unlock")
def logins_unlock(username: str) -> None:
    """Lift the lock that too many wrong passwords in a row put on a login."""
    try:
        with _database().transaction() as session:
            logins.unlock(session, login=logins.login_by_username(session, username))
    except ApiError as error:
        raise _fail(error.message) from None
    console.print(f"login [bold]{username}[/bold] unlocked")


@logins_cli.command("remove")
def logins_remove(username: str) -> None:
    """Delete a login."""
    try:
        with _database().transaction() as session:
            crud.delete_record(session, logins.login_by_username(session, username))
    except ApiError as error:
        raise _fail(error.message) from None
    console.print(f"login {username} removed")


# --- API keys and staff tokens --------------------------------------------------------------------


def _add_credential_commands(
    app: typer.Typer, model: type[ApiKey] | type[StaffToken], issue: Callable[..., str], what: str
) -> None:
    @app.command("add")
    def add(name: str) -> None:
        """Issue a new one under NAME; it is shown once (only its digest is stored)."""
        try:
            with _database().transaction() as session:
                key = issue(session, name=name, now=clock.now())
        except ApiError as error:
            raise _fail(error.message) from None
        console.print(f"{what} [bold]{name}[/bold]: [bold]{key}[/bold] (not shown again)")

    @app.command("list")
    def list_() -> None:
        """List them (names and dates; the secrets are not stored)."""
        table = Table("name", "created", "revoked")
        with _database().transaction() as session:
            for credential in logins.credentials(session, model):
                table.add_row(credential.name, _moment(credential.created_at), _moment(credential.revoked_at))
        console.print(table)

    @app.command("revoke")
    def revoke(name: str) -> None:
        """Revoke the one named NAME: it stops working at once."""
        with _database().transaction() as session:
            revoked = service.revoke(session, model=model, name=name, now=clock.now())
        if not revoked:
            raise _fail(f"no unrevoked {what} {name!r}")
        console.print(f"{what} {name} revoked")


_add_credential_commands(api_keys_cli, ApiKey, service.add_api_key, "API key")
_add_credential_commands(staff_tokens_cli, StaffToken, service.add_staff_token, "staff token")


# --- Sessions -------------------------------------------------------------------------------------


@sessions_cli.command("purge")
def sessions_purge() -> None:
    """Delete the sessions that have ended or expired."""
    with _database().transaction() as session:
        purged = logins.purge_sessions(session, now=clock.now())
    console.print(f"{purged} ended or expired sessions deleted")


# --- The landlord's work --------------------------------------------------------------------------

rent_cli = group(cli, "rent", "Rent runs (hyresavisering): preview, then commit a period's notices.")
payments_cli = group(cli, "payments", "Payments from Bankgirot (BgMax files).")
outbox_cli = group(cli, "outbox", "The outbox: e-mails and the print batch of letters.")
staff_cli = group(cli, "staff", "Staff accounts of the web UI (/portal/personal).")


@rent_cli.command("preview")
def rent_preview(period: Annotated[str, typer.Argument(help="YYYY-MM")]) -> None:
    """Show the notices a run for PERIOD would make; nothing is written."""
    try:
        with _database().transaction(write=False) as session:
            plan = rent.plan_rent_run(session, period=period)
    except rent.RentError as error:
        raise _fail(str(error)) from None
    table = Table("contract", "customer", "due", "net", "VAT", "total")
    for notice in plan.notices:
        table.add_row(
            notice.avtalsnummer,
            str(notice.customer_id),
            str(notice.forfallodag),
            str(notice.netto),
            str(notice.moms),
            str(notice.brutto),
        )
    console.print(table)
    console.print(f"{len(plan.notices)} notices, {plan.total:.2f} kr; {plan.already_noticed} contracts already noticed")


@rent_cli.command("run")
def rent_run(period: Annotated[str, typer.Argument(help="YYYY-MM")]) -> None:
    """Commit the run for PERIOD: the missing notices, with OCR references and PDFs, into the outbox."""
    try:
        with _database().transaction() as session:
            committed = rent.commit_rent_run(session, period=period, now=clock.now(), trigger="cli", started_by="cli")
            made, total = len(committed.invoices), committed.run.total
    except rent.RentError as error:
        raise _fail(str(error)) from None
    console.print(f"rent run {period}: {made} notices, {total:.2f} kr")


@payments_cli.command("import")
def payments_import(path: Path) -> None:
    """Import a BgMax file: matched payments are allocated, the rest wait in the queue."""
    try:
        data = path.read_bytes()
        with _database().transaction() as session:
            report = bgmax.import_file(session, data=data, filename=path.name, now=clock.now(), imported_by="cli")
    except (OSError, bgmax.BgMaxError) as error:
        raise _fail(f"{path}: {error}") from None
    if report.already_imported:
        console.print(f"{path.name} was imported before: nothing changed")
        return
    console.print(
        f"{report.payments} payments ({report.total:.2f} kr): {report.matched} matched, "
        f"{report.unmatched} to the queue, {report.duplicates} seen before"
    )


@payments_cli.command("remind")
def payments_remind() -> None:
    """Send the reminders that are due (as the scheduler does each morning)."""
    with _database().transaction() as session:
        made = reminders.send_reminders(session, now=clock.now())
    console.print(f"{len(made)} reminders")


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send the e-mails that are due over SMTP (BODATA_SMTP_*)."""
    from bodata.core.config import Settings

    report = outbox.send_due(_database(), Settings.from_env(), now=clock.now())
    console.print(f"{report.sent} sent, {report.retried} to retry, {report.failed} failed")


@outbox_cli.command("print")
def outbox_print(path: Path) -> None:
    """Write every waiting letter into one PDF at PATH for printing; they are then marked printed."""
    with _database().transaction() as session:
        count, document = outbox.print_batch(session, now=clock.now())
        if document is not None:
            path.write_bytes(document)
    console.print(f"{count} letters" + (f" in {path}" if document else ""))


@staff_cli.command("add")
def staff_add(
    username: str,
    password: Password,
    name: Annotated[str, typer.Option(help="The name shown in the UI.")] = "",
    read_only: Annotated[bool, typer.Option("--read-only", help="May read, not change.")] = False,
) -> None:
    """Add a staff account for the web UI; the password is stored hashed."""
    try:
        with _database().transaction() as session:
            staff_accounts.add_staff_user(
                session,
                username=username,
                name=name or username,
                password=password,
                read_only=read_only,
                now=clock.now(),
            )
    except staff_accounts.AccountError as error:
        raise _fail(str(error)) from None
    console.print(f"staff account [bold]{username}[/bold] added" + (" (read only)" if read_only else ""))
