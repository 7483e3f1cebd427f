"""Reporting a batch of dwellings, expenses and leases to HuslejeregisterV3 from a CSV or JSON file.

The batch file
--------------
One row (CSV) or object (JSON) per item, with a ``type`` and the fields under the spec's element names:

``type``
    ``bolig`` (a version of a dwelling), ``boligudgift`` (an expense) or ``lejekontrakt`` (a lease).
``BuildingUnitUniversalIdentifier``
    The dwelling's BBR id. Required, except on an expense or lease row that updates an entity identified by its
    UnikIdentifikator or EksternReference (a row that creates needs it: it fails when the reference is unknown).
``KladdeIndikator``
    ``true`` saves a draft; **default false**: a batch reports (submits), so rows are validated. (The service's
    own default, when the element is left out, is a draft; the batch always sends the flag.)

``bolig`` rows: ``VirkningFraDatoTid`` (required), ``VirkningTilDatoTid`` and the fields of
BoligVersionStruktur (``BoligTypeKode``, ``BoligGarageKode``, ``BoligAktueltIndskudBeloeb``, …; the read-only
BBR/Stamdata fields are not accepted). Each row is one complete version. **All rows of one dwelling are sent
together as one BoligRet**, in file order, so a dwelling's timeline is reported at once (and all or nothing);
they must agree on KladdeIndikator.

``boligudgift`` rows: ``BoligudgiftUnikIdentifikator``, ``EksternReference``, ``BoligudgiftStartDato``,
``BoligudgiftSlutDato``, ``BoligudgiftBeloeb``, ``BoligudgiftModtagerTypeKode``,
``BoligudgiftIndeholdtIHuslejeIndikator``, ``BoligudgiftstypeKode``, ``BoligudgiftBeskrivelseTekst``.

``lejekontrakt`` rows: ``LejekontraktUnikIdentifikator``, ``EksternReference``, ``LejekontraktIdentifikator``,
``LejekontraktStartDato``, ``LejekontraktIndskudBeloeb``, ``AnvisningstypeKode``, the ``Lejekontrakt…Indikator``
flags, ``LejekontraktDepositumBeloeb``, … and the tenants: ``LejerNavnTekst`` with one or more names separated by
``;`` and, optionally, ``PersonCivilRegistrationIdentifier`` with as many ``;``-separated entries (empty ones
allowed). In JSON the tenants may also be lists, or ``LejerStruktur`` a list of objects.

**Create or update.** An expense or lease row with a UnikIdentifikator updates (Ret) that entity. A row with an
EksternReference that the register already knows updates the entity with that reference; otherwise the row
creates (Opret) a new one, with that EksternReference. A row with neither creates. An update needs only the
fields it changes: the others are taken from the stored entity (so an empty cell never clears a value).

**Order.** Expenses are sent first, then leases, then dwellings, each in file order: submitting a dwelling needs
its expenses and lease (rules 2014 and 2015), so the file's order does not matter. Later rows see what earlier
rows did (a second row with the same EksternReference updates what the first created).

**Values.** An empty cell (or JSON null) leaves the element out. Booleans: ``true``/``false``, ``1``/``0``,
``ja``/``nej``, ``yes``/``no``. Dates ``YYYY-MM-DD``. Date-times ISO 8601; without an offset they are Danish time,
and a date alone is midnight. Amounts with ``.`` or ``,`` as the decimal sign. CSV files are UTF-8 (a BOM is
fine), separated by ``,`` or ``;`` (whichever the header line uses). A JSON file is a list of objects, or an object
with the list under ``items``.

Every row is checked (type, columns, values, lengths) before anything is sent; :class:`BatchError` lists every
problem with its file, line (JSON: item number) and column. Business rules are the service's: its numbered errors
come back per row.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister.client import (
    HuslejeregisterClient,
    HuslejeregisterError,
    HuslejeregisterFault,
    Message,
    Result,
    dwelling_ident,
    record_ident,
)
from bodata.huslejeregister.structures import ENTITIES, READ_ONLY_FIELDS, SCALARS, VERSION_FIELDS, El

ENTITY = {"bolig": "Bolig", "boligudgift": "Boligudgift", "lejekontrakt": "Lejekontrakt"}
"""Row type → the register's entity."""
SEND_ORDER = ("boligudgift", "lejekontrakt", "bolig")
TENANT_FIELDS = ("LejerNavnTekst", "PersonCivilRegistrationIdentifier")
_SYSTEM = {
    "KladdeIndikator",
    "ObjektStatusKode",
    "OprettetDatoTid",
    "AendretDatoTid",
    "OpdateretDatoTid",
    "OphoertDatoTid",
}


def _scalars(elements: Iterable[El], skip: Iterable[str] = ()) -> dict[str, El]:
    skipped = set(skip)
    return {element.name: element for element in elements if element.type in SCALARS and element.name not in skipped}


_COMMON = {
    "BuildingUnitUniversalIdentifier": El("BuildingUnitUniversalIdentifier", "uuid"),
    "KladdeIndikator": El("KladdeIndikator", "boolean"),
}
_REFERENCE = El("EksternReference", "string", max_length=256)
FIELDS: dict[str, dict[str, El]] = {
    "bolig": {
        **_COMMON,
        "VirkningFraDatoTid": El("VirkningFraDatoTid", "dateTime", required=True),
        "VirkningTilDatoTid": El("VirkningTilDatoTid", "dateTime"),
        **_scalars(VERSION_FIELDS["Bolig"], READ_ONLY_FIELDS),
    },
    "boligudgift": {
        **_COMMON,
        "BoligudgiftUnikIdentifikator": El("BoligudgiftUnikIdentifikator", "uuid"),
        "EksternReference": _REFERENCE,
        **_scalars(ENTITIES["BoligudgiftStruktur"], _SYSTEM),
    },
    "lejekontrakt": {
        **_COMMON,
        "LejekontraktUnikIdentifikator": El("LejekontraktUnikIdentifikator", "uuid"),
        "EksternReference": _REFERENCE,
        **_scalars(ENTITIES["LejekontraktStruktur"], _SYSTEM),
        **_scalars(ENTITIES["LejerStruktur"]),
    },
}
"""The columns each row type accepts (besides ``type``), with their XSD types and lengths."""
COLUMNS = frozenset(
    {"type", "LejerStruktur"} | {name for fields in FIELDS.values() for name in fields} | READ_ONLY_FIELDS
)
_TRUE, _FALSE = {"true", "1", "ja", "yes"}, {"false", "0", "nej", "no"}


# --- The batch ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong in the batch file: where (file, line or JSON item number, column) and what."""

    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class BatchError(Exception):
    """The batch file cannot be sent; ``problems`` lists every problem found (nothing was sent)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class BatchItem:
    """One call: an expense or a lease (one row), or a dwelling with its versions (one row per version)."""

    type: str
    lines: tuple[int, ...]
    """The rows it came from (CSV lines, JSON item numbers)."""
    bbr_id: uuid.UUID | None
    draft: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    """Expenses and leases: the elements of the structure (tenants as ``LejerStruktur``)."""
    versions: tuple[dict[str, Any], ...] = ()
    """Dwellings: the BoligVersionStruktur of each row."""
    unique: uuid.UUID | None = None
    reference: str | None = None
    """EksternReference."""

    @property
    def entity(self) -> str:
        return ENTITY[self.type]

    @property
    def key(self) -> str:
        """How the user knows the item: its EksternReference, UnikIdentifikator or dwelling."""
        return self.reference or str(self.unique or self.bbr_id or "")


def read_batch(path: Path | str) -> list[BatchItem]:
    """The items of a CSV or JSON batch file (by its suffix ``.json``, else CSV), in file order; raises
    :class:`BatchError` listing every problem, or OSError when the file cannot be read."""
    path = Path(path)
    content = path.read_bytes()
    rows = _json_rows(path.name, content) if path.suffix.lower() == ".json" else _csv_rows(path.name, content)
    return _items(path.name, rows)


Row = tuple[int, dict[str, Any]]


def _csv_rows(name: str, content: bytes) -> list[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchError([Problem(name, 1, None, f"not UTF-8 text ({error})")]) from None
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [column.strip() for column in next(reader)]
    except StopIteration:
        raise BatchError([Problem(name, 1, None, "the file is empty")]) from None
    problems = [Problem(name, 1, column, "unknown column") for column in columns if column not in COLUMNS]
    problems += [Problem(name, 1, column, "column given twice") for column in set(columns) if columns.count(column) > 1]
    if "type" not in columns:
        problems.append(Problem(name, 1, "type", "the column type is missing"))
    if problems:
        raise BatchError(problems)
    rows: list[Row] = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.append(Problem(name, line, None, f"{len(cells)} cells, the header has {len(columns)}"))
            continue
        rows.append((line, {column: cell.strip() for column, cell in zip(columns, cells, strict=True) if cell.strip()}))
    if problems:
        raise BatchError(problems)
    return rows


def _json_rows(name: str, content: bytes) -> list[Row]:
    try:
        document = json.loads(content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise BatchError([Problem(name, getattr(error, "lineno", 1), None, f"not JSON ({error})")]) from None
    if isinstance(document, dict) and set(document) == {"items"}:
        document = document["items"]
    if not isinstance(document, list):
        raise BatchError([Problem(name, 1, None, 'expected a list of objects, or {"items": [...]}')])
    rows: list[Row] = []
    problems = []
    for number, item in enumerate(document, 1):
        if not isinstance(item, dict):
            problems.append(Problem(name, number, None, "an item must be an object"))
            continue
        problems += [Problem(name, number, key, "unknown field") for key in item if key not in COLUMNS]
        rows.append((number, {key: value for key, value in item.items() if value is not None and value != ""}))
    if problems:
        raise BatchError(problems)
    return rows


def _items(name: str, rows: list[Row]) -> list[BatchItem]:
    problems: list[Problem] = []
    items: list[BatchItem] = []
    dwellings: dict[uuid.UUID, int] = {}
    for line, row in rows:
        found: list[Problem] = []

        def problem(column: str | None, message: str, line: int = line, found: list[Problem] = found) -> None:
            found.append(Problem(name, line, column, message))

        kind = str(row.get("type", "")).strip().lower()
        if kind not in FIELDS:
            problem("type", f"type must be bolig, boligudgift or lejekontrakt, not {row.get('type', '')!r}")
            problems += found
            continue
        allowed = FIELDS[kind]
        values: dict[str, Any] = {}
        for column, raw in row.items():
            if column == "type":
                continue
            if kind == "bolig" and column in READ_ONLY_FIELDS:
                problem(column, "read-only (from BBR and Stamdata), cannot be reported")
            elif column not in allowed and not (kind == "lejekontrakt" and column == "LejerStruktur"):
                problem(column, f"not a field of a {kind} row")
            elif column in TENANT_FIELDS or column == "LejerStruktur":
                continue
            else:
                try:
                    values[column] = parse_value(allowed[column], raw)
                except ValueError as error:
                    problem(column, str(error))
        for element in allowed.values():
            if element.required and element.name not in row:
                problem(element.name, "required")
        draft = values.pop("KladdeIndikator", False)
        bbr_id = values.pop("BuildingUnitUniversalIdentifier", None)
        if kind == "bolig":
            if bbr_id is None and "BuildingUnitUniversalIdentifier" not in row:
                problem("BuildingUnitUniversalIdentifier", "required")
            if found:
                problems += found
                continue
            if bbr_id in dwellings:
                index = dwellings[bbr_id]
                first = items[index]
                if first.draft != draft:
                    problem("KladdeIndikator", f"differs from line {first.lines[0]} of the same dwelling")
                    problems += found
                    continue
                items[index] = BatchItem(
                    "bolig", (*first.lines, line), bbr_id, draft, versions=(*first.versions, values)
                )
            else:
                dwellings[bbr_id] = len(items)
                items.append(BatchItem("bolig", (line,), bbr_id, draft, versions=(values,)))
            continue
        entity = ENTITY[kind]
        unique = values.pop(f"{entity}UnikIdentifikator", None)
        reference = values.pop("EksternReference", None)
        if bbr_id is None and unique is None and not reference and "BuildingUnitUniversalIdentifier" not in row:
            problem(
                "BuildingUnitUniversalIdentifier",
                f"required unless {entity}UnikIdentifikator or EksternReference is given",
            )
        if kind == "lejekontrakt":
            try:
                tenants = _tenants(row)
            except ValueError as error:
                problem(getattr(error, "column", "LejerNavnTekst"), str(error))
            else:
                if tenants:
                    values["LejerStruktur"] = tenants
        if found:
            problems += found
            continue
        items.append(BatchItem(kind, (line,), bbr_id, draft, values, unique=unique, reference=reference))
    if problems:
        raise BatchError(problems)
    if not items:
        raise BatchError([Problem(name, 1, None, "the batch holds no rows")])
    return items


class _TenantError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _split(value: Any, column: str) -> list[str]:
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise _TenantError(column, "a list of texts expected")
        return [item.strip() for item in value]
    if not isinstance(value, str):
        raise _TenantError(column, "a text expected")
    return [part.strip() for part in value.split(";")]


def _tenants(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """LejerStruktur from ``LejerStruktur`` (JSON) or the ``;``-separated tenant columns."""
    elements = _scalars(ENTITIES["LejerStruktur"])
    if "LejerStruktur" in row:
        if any(column in row for column in TENANT_FIELDS):
            raise _TenantError("LejerStruktur", "give LejerStruktur or the tenant columns, not both")
        tenants = row["LejerStruktur"]
        if not isinstance(tenants, list) or not all(isinstance(item, dict) for item in tenants):
            raise _TenantError("LejerStruktur", "a list of objects expected")
        result = []
        for tenant in tenants:
            unknown = set(tenant) - set(elements)
            if unknown:
                raise _TenantError("LejerStruktur", f"unknown field(s) {', '.join(sorted(unknown))}")
            result.append(
                {key: parse_value(elements[key], value) for key, value in tenant.items() if value not in (None, "")}
            )
        return result
    names = _split(row["LejerNavnTekst"], "LejerNavnTekst") if "LejerNavnTekst" in row else []
    numbers = (
        _split(row["PersonCivilRegistrationIdentifier"], "PersonCivilRegistrationIdentifier")
        if "PersonCivilRegistrationIdentifier" in row
        else []
    )
    if numbers and len(numbers) != len(names):
        raise _TenantError(
            "PersonCivilRegistrationIdentifier", f"{len(numbers)} entries for {len(names)} tenant name(s)"
        )
    tenants = []
    for index, tenant_name in enumerate(names):
        tenant: dict[str, Any] = {}
        if numbers and numbers[index]:
            tenant["PersonCivilRegistrationIdentifier"] = _checked(
                elements["PersonCivilRegistrationIdentifier"], numbers[index], "PersonCivilRegistrationIdentifier"
            )
        if tenant_name:
            tenant["LejerNavnTekst"] = _checked(elements["LejerNavnTekst"], tenant_name, "LejerNavnTekst")
        tenants.append(tenant)
    return tenants


def _checked(element: El, value: str, column: str) -> str:
    try:
        return parse_value(element, value)
    except ValueError as error:
        raise _TenantError(column, str(error)) from None


def parse_value(element: El, raw: Any) -> Any:
    """A cell (a string) or JSON value as the Python value of ``element``'s XSD type; ValueError says why not."""
    kind = element.type
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not a boolean (true/false, 1/0, ja/nej)")
    if isinstance(raw, bool | list | dict):
        raise ValueError(f"{raw!r} is not a {_TYPE_WORDS[kind]}")
    if kind == "int":
        if isinstance(raw, int):
            return raw
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if kind == "decimal":
        text = str(raw).strip()
        if isinstance(raw, str) and "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not an amount") from None
        if not number.is_finite():
            raise ValueError(f"{raw!r} is not an amount")
        return number
    if not isinstance(raw, str):
        raise ValueError(f"{raw!r} is not a {_TYPE_WORDS[kind]}")
    text = raw.strip()
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if kind == "dateTime":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a date-time (ISO 8601, e.g. 2024-01-01T00:00:00)") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=DANISH_TIME)
    if kind == "uuid":
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a UUID") from None
    if element.max_length is not None and len(text) > element.max_length:
        raise ValueError(f"longer than {element.max_length} characters ({len(text)})")
    return text


_TYPE_WORDS = {
    "int": "whole number",
    "decimal": "amount",
    "date": "date",
    "dateTime": "date-time",
    "uuid": "UUID",
    "string": "text",
    "base64": "base64 text",
}


# --- Sending -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowResult:
    """What the service answered for one item: its operation's Result, or the Fault/transport error."""

    item: BatchItem
    operation: str
    result: Result | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None and self.result is not None and self.result.ok

    @property
    def errors(self) -> list[Message]:
        return self.result.errors if self.result else []

    @property
    def infos(self) -> list[Message]:
        return self.result.infos if self.result else []

    @property
    def reference(self) -> uuid.UUID | None:
        """The UnikIdentifikator of what an Opret created."""
        return self.result.reference if self.result else None

    @property
    def status(self) -> str:
        if self.fault is not None:
            return "fault"
        return "ok" if self.ok else "errors"


def submit_batch(
    client: HuslejeregisterClient,
    items: Sequence[BatchItem],
    *,
    progress: Callable[[RowResult], None] | None = None,
    validate: bool = False,
) -> list[RowResult]:
    """Send the items (expenses, then leases, then dwellings; file order within each) one call each and collect
    the results, in file order. ``validate`` calls the Valider operations instead: nothing is saved. A Fault or a
    transport error fails that item only; ``progress`` is called after each item."""
    ordered = sorted(items, key=lambda item: SEND_ORDER.index(item.type))
    results = []
    for item in ordered:
        outcome = _send(client, item, validate)
        results.append(outcome)
        if progress is not None:
            progress(outcome)
    return sorted(results, key=lambda outcome: outcome.item.lines[0])


def _send(client: HuslejeregisterClient, item: BatchItem, validate: bool) -> RowResult:
    entity = item.entity
    operation = f"{entity}Valider" if validate else f"{entity}Ret"
    try:
        if item.type == "bolig":
            structure: dict[str, Any] = {
                "BoligIdentifikationStruktur": dwelling_ident(item.bbr_id or ""),
                "KladdeIndikator": item.draft,
                "BoligVersionStruktur": [dict(version) for version in item.versions],
            }
            return RowResult(item, operation, client.call(operation, BoligStruktur=structure))
        stored = _stored(client, item)
        if stored is None:
            if item.bbr_id is None:
                return RowResult(
                    item,
                    f"{entity}Opret",
                    fault=f"{entity} {item.reference} does not exist; "
                    "BuildingUnitUniversalIdentifier is required to create it",
                )
            operation = f"{entity}Valider" if validate else f"{entity}Opret"
            ident = {"EksternReference": item.reference} if item.reference else {}
            structure = {
                f"{entity}IdentifikationStruktur": ident,
                "BoligIdentifikationStruktur": dwelling_ident(item.bbr_id),
                "KladdeIndikator": item.draft,
                **item.fields,
            }
        else:
            ident = (
                record_ident(entity, item.unique, item.reference)
                if item.unique
                else record_ident(entity, item.reference or "")
            )
            structure = {
                **{
                    key: value
                    for key, value in stored.items()
                    if key not in _SYSTEM and not key.endswith("IdentifikationStruktur")
                },
                **item.fields,
                f"{entity}IdentifikationStruktur": ident,
                "KladdeIndikator": item.draft,
            }
        return RowResult(item, operation, client.call(operation, **{f"{entity}Struktur": structure}))
    except HuslejeregisterFault as fault:
        return RowResult(item, operation, fault=f"{fault.code}: {fault.message}")
    except HuslejeregisterError as error:
        return RowResult(item, operation, fault=str(error))


def _stored(client: HuslejeregisterClient, item: BatchItem) -> dict[str, Any] | None:
    """The stored expense or lease the row updates, or None when it is to be created. A row with a
    UnikIdentifikator must find it (the Fault fails the row); one with only an EksternReference creates when the
    service does not know it (a client Fault, or an empty answer)."""
    if item.unique is None and not item.reference:
        return None
    operation = f"{item.entity}Hent"
    ident = {f"{item.entity}IdentifikationStruktur": record_ident(item.entity, item.unique or item.reference or "")}
    try:
        stored = client.call(operation, **ident)
    except HuslejeregisterFault as fault:
        if item.unique is None and fault.is_client_fault:
            return None
        raise
    return stored if isinstance(stored, dict) and stored else None


# --- Output ------------------------------------------------------------------------------------------------------

RESULT_COLUMNS = ("line", "type", "key", "operation", "status", "reference", "errors", "infos", "result_id")


def _messages(messages: Iterable[Message]) -> str:
    return "; ".join(str(message) for message in messages)


def result_row(outcome: RowResult) -> dict[str, str]:
    result = outcome.result
    return {
        "line": ",".join(map(str, outcome.item.lines)),
        "type": outcome.item.type,
        "key": outcome.item.key,
        "operation": outcome.operation,
        "status": outcome.status,
        "reference": str(outcome.reference or ""),
        "errors": outcome.fault or _messages(outcome.errors),
        "infos": _messages(outcome.infos),
        "result_id": str(result.result_id or "") if result else "",
    }


def write_results(path: Path | str, results: Iterable[RowResult]) -> None:
    """The per-row results as CSV (UTF-8, ``,``-separated), one line per item."""
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, RESULT_COLUMNS)
        writer.writeheader()
        writer.writerows(result_row(outcome) for outcome in results)


# --- The command ---------------------------------------------------------------------------------------------------

console = Console()


def report_command(
    file: Annotated[Path, typer.Argument(help="The batch: a CSV or JSON file (see `bodata.huslejeregister.report`).")],
    url: Annotated[
        str,
        typer.Option(
            "--url",
            envvar="HUSLEJEREGISTER_URL",
            help="The service's WSDL, e.g. https://bodata.example.dk/huslejeregister/v3?wsdl.",
        ),
    ],
    user: Annotated[str, typer.Option("--user", envvar="HUSLEJEREGISTER_USER", help="The web-service user.")],
    password: Annotated[
        str | None,
        typer.Option(envvar="HUSLEJEREGISTER_PASSWORD", help="The user's password; asked for when omitted."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the per-row results to this CSV file.")
    ] = None,
    validate: Annotated[
        bool, typer.Option("--validate", help="Call the Valider operations: nothing is saved.")
    ] = False,
) -> None:
    """Report a batch of dwellings, expenses and leases; exit code 1 if any row failed."""
    try:
        items = read_batch(file)
    except OSError as error:
        console.print(f"[red]cannot read {file}: {error.strerror or error}[/red]")
        raise typer.Exit(1) from None
    except BatchError as error:
        console.print(f"[red]{len(error.problems)} problem(s) in {file.name}; nothing was sent:[/red]")
        for problem in error.problems:
            console.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    password = password or typer.prompt(f"password for {user}", hide_input=True)
    try:
        client = HuslejeregisterClient(url, user, password)
    except HuslejeregisterError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )
    with client, progress:
        task = progress.add_task(f"{'validating' if validate else 'reporting'} {file.name}", total=len(items))
        results = submit_batch(client, items, progress=lambda _: progress.advance(task), validate=validate)
    table = Table("line", "type", "key", "operation", "status", "reference", "errors / infos")
    for outcome in results:
        row = result_row(outcome)
        colour = {"ok": "green", "errors": "red", "fault": "red"}[outcome.status]
        notes = "\n".join(filter(None, [row["errors"], row["infos"] and f"info: {row['infos']}"]))
        table.add_row(
            *(Text(row[column]) for column in ("line", "type", "key", "operation")),
            Text(row["status"], style=colour),
            Text(row["reference"]),
            Text(notes),
        )
    console.print(table)
    failed = sum(not outcome.ok for outcome in results)
    console.print(f"{len(results) - failed} of {len(results)} item(s) ok, {failed} failed")
    if output is not None:
        write_results(output, results)
        console.print(f"results written to {output}")
    if failed:
        raise typer.Exit(1)


report_cli = typer.Typer(help="Report to a HuslejeregisterV3 service (LBF's or bodata's).")
report_cli.command("report")(report_command)
