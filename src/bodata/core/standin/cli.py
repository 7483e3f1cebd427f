"""``bodata stand-in``: the stand-in controls of a running server, over its admin API (``/_bodata/``).

The server is ``--url`` (``BODATA_STANDIN_URL``, default http://127.0.0.1:8000) and the admin token ``--token``
(``BODATA_STANDIN_TOKEN``, the one the server was started with). ``check`` reads seed files without a server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.markup import escape
from rich.table import Table

from bodata.core.cli import clock, console, failure, group
from bodata.core.config import Settings
from bodata.core.standin.seeds import SeedError, read_seed_file

cli = typer.Typer(
    help="Stand-in controls of a running server: reset, seed, snapshots, clock, faults, journal.",
    no_args_is_help=True,
)
snapshot_cli = group(cli, "snapshot", "Save, restore, list, delete, export and import snapshots.")
clock_cli = group(cli, "clock", "Show, set, freeze, advance or release the server's clock.")
faults_cli = group(cli, "faults", "List, add and remove fault rules.")
journal_cli = group(cli, "journal", "Show the request journal or export it as HAR.")

_server: dict[str, str] = {}
ServiceOption = Annotated[str, typer.Option("--service", "-s", help="A service's name, or * for all.")]


@cli.callback()
def _connect(
    url: Annotated[str, typer.Option(envvar="BODATA_STANDIN_URL", help="The server.")] = "http://127.0.0.1:8000",
    token: Annotated[
        str, typer.Option(envvar="BODATA_STANDIN_TOKEN", help="The admin token.", show_default=False)
    ] = "",
) -> None:
    _server.update(url=url.rstrip("/"), token=token)


def _call(method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Call the admin API; a refusal or an unreachable server ends the command with the reason."""
    headers = {"Authorization": f"Bearer {_server['token']}", **kwargs.pop("headers", {})}
    try:
        response = httpx.request(method, f"{_server['url']}/_bodata{path}", headers=headers, timeout=120, **kwargs)
    except httpx.HTTPError as error:
        raise failure(f"cannot reach {_server['url']}: {error}") from None
    if response.status_code >= 400:
        try:
            problem = response.json()
            message = problem.get("detail", response.text)
            details = problem.get("errors", [])
        except ValueError:
            message, details = response.text, []
        raise failure("\n".join([f"{response.status_code}: {escape(str(message))}", *map(escape, details)]))
    return response


def _show(data: Any) -> None:
    console.print_json(json.dumps(data, default=str))


@cli.command("status")
def status() -> None:
    """The services, their clocks and whether their seed state is kept."""
    table = Table("service", "path", "now", "seed files", "seed kept")
    for service in _call("GET", "/services").json():
        table.add_row(
            service["name"], service["path"], service["now"], _yes(service["seed_format"]), _yes(service["seed_cached"])
        )
    console.print(table)


def _yes(value: bool) -> str:
    return "yes" if value else "-"


@cli.command("reset")
def reset(
    services: Annotated[list[str] | None, typer.Argument(help="The services; none: all.")] = None,
    empty: Annotated[bool, typer.Option("--empty", help="Empty instead of back to the seed.")] = False,
) -> None:
    """Reset services to their seed data (or empty), atomically, while the server runs."""
    result = _call("POST", "/reset", json={"services": services or [], "to": "empty" if empty else "seed"}).json()
    console.print(f"reset {', '.join(result['services'])} to {result['to']} in {result['seconds']:.3f} s")


@cli.command("seed")
def seed(
    files: Annotated[list[Path] | None, typer.Argument(help="Seed files (JSON, YAML, Inskrivning responses).")] = None,
    direct: Annotated[
        bool, typer.Option("--direct", help="Write into BODATA_DATABASE_URL's database, without a server.")
    ] = False,
) -> None:
    """Apply seed files on the server (no files: the start-up files of BODATA_STANDIN_SEED_FILES again).

    With --direct the files of the database services go straight into the database (each service's in one
    transaction), e.g. to prepare a database before the server starts; Axema stand-in files need a server.
    """
    if direct:
        _seed_directly(files or [])
        return
    if not files:
        for line in _call("POST", "/seed/startup").json()["applied"]:
            console.print(line)
        return
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise failure(f"{path}: {error.strerror}") from None
        for line in _call("POST", "/seed", params={"name": path.name}, content=data).json()["applied"]:
            console.print(line)


def _seed_directly(files: list[Path]) -> None:
    from bodata.core.cli import database
    from bodata.core.security import SecretBox
    from bodata.core.standin.seeds import SeedTarget, apply_seeds
    from bodata.services import SERVICES

    documents = _read_seeds(files)
    in_memory = sorted({document.file for document in documents if document.service not in _formats(SERVICES)})
    if in_memory:
        raise failure(f"these need a running server (the Axema stand-in lives in it): {', '.join(in_memory)}")
    db, settings = database(), Settings.from_env()
    target_secrets = SecretBox(settings.resolved_secret_key())
    try:
        for name, seed_format in _formats(SERVICES).items():
            own = [document for document in documents if document.service == name]
            if own:
                with db.transaction() as session:
                    lines = apply_seeds(own, seed_format, SeedTarget(session, clock, target_secrets))
                for line in lines:
                    console.print(line)
    except SeedError as error:
        raise failure("\n".join(escape(str(problem)) for problem in error.problems)) from None
    finally:
        db.dispose()


def _formats(services: Any) -> dict[str, Any]:
    return {s.name: s.seed_format for s in services if s.seed_format is not None}


def _read_seeds(files: list[Path]) -> list[Any]:
    """The files read and checked; every problem of every file listed before the command ends."""
    from bodata.services import AXEMA_SIM_DEMO, SERVICES

    formats, documents, problems = _formats((*SERVICES, AXEMA_SIM_DEMO)), [], []
    for path in files:
        try:
            documents.append(read_seed_file(path, formats))
        except SeedError as error:
            problems += error.problems
    for problem in problems:
        console.print(f"[red]{escape(str(problem))}[/red]")
    if problems:
        raise typer.Exit(1)
    return documents


@cli.command("check")
def check(files: Annotated[list[Path], typer.Argument(help="Seed files to check.")]) -> None:
    """Check seed files (format, structure, field values) without a server; exit 1 listing every problem."""
    for document in _read_seeds(files):
        console.print(f"{document.file}: {document.service} seed, ok")


@snapshot_cli.command("save")
def snapshot_save(
    name: str, services: Annotated[list[str] | None, typer.Option("--service", "-s", help="Only these.")] = None
) -> None:
    """Save the state of the services (all unless --service) under NAME."""
    result = _call("POST", "/snapshots", json={"name": name, "services": services or []}).json()
    console.print(f"snapshot {result['name']}: {', '.join(result['services'])} ({result['size']} bytes)")


@snapshot_cli.command("restore")
def snapshot_restore(name: str) -> None:
    """Restore snapshot NAME (one transaction)."""
    result = _call("POST", f"/snapshots/{name}/restore").json()
    console.print(f"restored {result['name']} ({', '.join(result['services'])}) in {result['seconds']:.3f} s")


@snapshot_cli.command("list")
def snapshot_list() -> None:
    """The saved snapshots."""
    table = Table("name", "created", "services", "bytes")
    for item in _call("GET", "/snapshots").json():
        table.add_row(item["name"], item["created"], ", ".join(item["services"]), str(item["size"]))
    console.print(table)


@snapshot_cli.command("delete")
def snapshot_delete(name: str) -> None:
    """Delete snapshot NAME."""
    _call("DELETE", f"/snapshots/{name}")
    console.print(f"snapshot {name} deleted")


@snapshot_cli.command("export")
def snapshot_export(name: str, file: Path) -> None:
    """Write snapshot NAME to FILE (gzip-compressed JSON), to import it on another machine."""
    data = _call("GET", f"/snapshots/{name}").content
    file.write_bytes(data)
    console.print(f"snapshot {name} written to {file} ({len(data)} bytes)")


@snapshot_cli.command("import")
def snapshot_import(
    file: Path, name: Annotated[str | None, typer.Option(help="Its name [default: the file's name]")] = None
) -> None:
    """Keep the snapshot in FILE on the server (then `snapshot restore` it)."""
    name = name or file.name.split(".")[0]
    result = _call("PUT", f"/snapshots/{name}", content=file.read_bytes(), headers={"Content-Type": "application/gzip"})
    console.print(f"snapshot {result.json()['name']} imported")


@clock_cli.command("show")
def clock_show() -> None:
    """The real time and every clock."""
    _show(_call("GET", "/clock").json())


@clock_cli.command("set")
def clock_set(
    moment: Annotated[str, typer.Argument(help="ISO 8601 with a zone, e.g. 2027-01-01T12:00:00Z")],
    service: ServiceOption = "*",
    freeze: Annotated[bool, typer.Option("--freeze", help="Stand still at MOMENT.")] = False,
) -> None:
    """Make it MOMENT now (globally or for one service)."""
    _show(
        _call("POST", "/clock", json={"action": "set", "moment": moment, "freeze": freeze, "service": service}).json()
    )


@clock_cli.command("advance")
def clock_advance(
    amount: Annotated[str, typer.Argument(help="How far: 90s, 30m, 2h, 14d (a leading - goes back).")],
    service: ServiceOption = "*",
) -> None:
    """Move the clock on."""
    _show(_call("POST", "/clock", json={"action": "advance", "seconds": _seconds(amount), "service": service}).json())


@clock_cli.command("freeze")
def clock_freeze(service: ServiceOption = "*") -> None:
    """Stop the clock where it is."""
    _show(_call("POST", "/clock", json={"action": "freeze", "service": service}).json())


@clock_cli.command("release")
def clock_release(service: ServiceOption = "*") -> None:
    """Back to the real time (a service: back to the global clock)."""
    _show(_call("POST", "/clock", json={"action": "release", "service": service}).json())


def _seconds(amount: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        return float(amount[:-1]) * units[amount[-1]] if amount[-1:] in units else float(amount)
    except ValueError:
        raise failure(f"{amount!r} is not an amount of time like 90s, 30m, 2h or 14d") from None


@faults_cli.command("list")
def faults_list() -> None:
    """The rules in force."""
    table = Table("id", "service", "operation", "caller", "status", "latency ms", "probability", "left", "fired")
    for rule in _call("GET", "/faults").json():
        left = "∞" if rule["times"] is None else str(rule["times"] - rule["fired"])
        table.add_row(
            str(rule["id"]),
            rule["service"],
            rule["operation"],
            rule["caller"] or "*",
            str(rule["status"] or "-"),
            str(rule["latency_ms"]),
            str(rule["probability"]),
            left,
            str(rule["fired"]),
        )
    console.print(table)


@faults_cli.command("add")
def faults_add(
    service: str,
    operation: Annotated[str, typer.Argument(help="SOAP operation name, or 'METHOD /path/*'.")] = "*",
    status: Annotated[int | None, typer.Option(help="Answer with this status.")] = None,
    code: Annotated[str | None, typer.Option(help="The error code in the interface's format.")] = None,
    message: Annotated[str | None, typer.Option(help="The error text.")] = None,
    latency_ms: Annotated[int, typer.Option(help="Added latency.")] = 0,
    probability: Annotated[float, typer.Option(help="Share of matching requests.")] = 1.0,
    times: Annotated[int | None, typer.Option(help="Fire this many times.")] = None,
    caller: Annotated[str | None, typer.Option(help="Only this caller.")] = None,
) -> None:
    """Add a rule: e.g. `faults add huslejeregister LejekontraktOpret --status 500 --times 1`."""
    body: dict[str, Any] = {"service": service, "operation": operation, "status": status, "code": code}
    body |= {"latency_ms": latency_ms, "probability": probability, "times": times, "caller": caller}
    if message:
        body["message"] = message
    rule = _call("POST", "/faults", json=body).json()
    console.print(f"fault rule {rule['id']} added")


@faults_cli.command("remove")
def faults_remove(rule_id: Annotated[int | None, typer.Argument(help="The rule; none: every rule.")] = None) -> None:
    """Remove a rule, or every rule."""
    if rule_id is None:
        console.print(f"{_call('DELETE', '/faults').json()['removed']} rules removed")
    else:
        _call("DELETE", f"/faults/{rule_id}")
        console.print(f"fault rule {rule_id} removed")


@journal_cli.command("show")
def journal_show(
    service: Annotated[str | None, typer.Option("--service", "-s")] = None,
    operation: Annotated[str | None, typer.Option("--operation", "-o", help="Part of the operation.")] = None,
    status: Annotated[int | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option()] = 20,
    entry: Annotated[int | None, typer.Option(help="Show this entry whole (headers and bodies).")] = None,
) -> None:
    """The last requests, newest first."""
    if entry is not None:
        _show(_call("GET", f"/journal/{entry}").json())
        return
    params = {k: v for k, v in {"service": service, "operation": operation, "status": status}.items() if v}
    table = Table("id", "started", "service", "operation", "status", "ms", "outcome")
    for item in _call("GET", "/journal", params={**params, "limit": limit}).json():
        table.add_row(
            str(item["id"]),
            item["started"][11:23],
            item["service"],
            escape(item["operation"]),
            str(item["status"]),
            str(item["duration_ms"]),
            escape(", ".join(item["outcome"])),
        )
    console.print(table)


@journal_cli.command("har")
def journal_har(
    file: Path,
    service: Annotated[str | None, typer.Option("--service", "-s")] = None,
) -> None:
    """Write the journal to FILE as HAR 1.2 (open it in a browser's dev tools)."""
    data = _call("GET", "/journal.har", params={"service": service} if service else {}).content
    file.write_bytes(data)
    console.print(f"{len(json.loads(data)['log']['entries'])} entries written to {file}")


@journal_cli.command("clear")
def journal_clear(service: Annotated[str | None, typer.Option("--service", "-s")] = None) -> None:
    """Empty the journal."""
    _call("DELETE", "/journal", params={"service": service} if service else {})
    console.print("journal emptied")
