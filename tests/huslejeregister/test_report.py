"""The batch report (``bodata huslejeregister report FILE``): reading CSV and JSON batch files (good files and
every kind of bad row, found before anything is sent), and batches sent end to end to a live server (SQLite and
PostgreSQL) with their per-row results, through :func:`submit_batch` and through the command.

The live tests use their own dwellings: the bare unit 501-1-1 #4 (no expenses, no lease) for the complete
report, 502-1-1 #1 and #2 for the rest.
"""

from __future__ import annotations

import csv
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bodata.huslejeregister import report
from bodata.huslejeregister.client import HuslejeregisterClient
from bodata.huslejeregister.report import BatchError, BatchItem, read_batch, submit_batch

from .conftest import ALICE, HrService, unit_id

DK = ZoneInfo("Europe/Copenhagen")
BARE = unit_id(501, 1, 1, 4)
OTHER = unit_id(501, 1, 1, 1)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int, str | None, str]]:
    with pytest.raises(BatchError) as caught:
        read_batch(path)
    return [(problem.line, problem.column, problem.message) for problem in caught.value.problems]


# --- Reading -----------------------------------------------------------------------------------------------------

GOOD_CSV = f"""\
type,BuildingUnitUniversalIdentifier,KladdeIndikator,VirkningFraDatoTid,VirkningTilDatoTid,BoligTypeKode,\
BoligAktueltIndskudBeloeb,EksternReference,BoligudgiftstypeKode,BoligudgiftStartDato,BoligudgiftBeloeb,\
LejekontraktIdentifikator,LejerNavnTekst,PersonCivilRegistrationIdentifier,BoligudgiftUnikIdentifikator
bolig,{BARE},,2020-01-01,2024-01-01T00:00:00,3,"1000,50",,,,,,,,
boligudgift,{BARE},ja,,,,,udgift-1,1,2019-01-01,5200.00,,,,
lejekontrakt,{BARE},,,,,,lease-1,,,,0501-001-0004,Karen Hansen; Ole Hansen,0101900000;,
bolig,{BARE},false,2024-01-01T00:00:00+00:00,,3,2000,,,,,,,,
boligudgift,,,,,,,,,,130,,,,{uuid.UUID(int=5)}
"""


def test_reads_a_good_csv_file(tmp_path: Path) -> None:
    items = read_batch(write(tmp_path, "batch.csv", GOOD_CSV))
    assert [(item.type, item.lines) for item in items] == [
        ("bolig", (2, 5)),
        ("boligudgift", (3,)),
        ("lejekontrakt", (4,)),
        ("boligudgift", (6,)),
    ]
    dwelling, expense, lease, update = items
    assert dwelling == BatchItem(
        "bolig",
        (2, 5),
        BARE,
        draft=False,
        versions=(
            {
                "VirkningFraDatoTid": datetime(2020, 1, 1, tzinfo=DK),
                "VirkningTilDatoTid": datetime(2024, 1, 1, tzinfo=DK),
                "BoligTypeKode": 3,
                "BoligAktueltIndskudBeloeb": Decimal("1000.50"),
            },
            {
                "VirkningFraDatoTid": datetime.fromisoformat("2024-01-01T00:00:00+00:00"),
                "BoligTypeKode": 3,
                "BoligAktueltIndskudBeloeb": Decimal(2000),
            },
        ),
    )
    assert dwelling.versions[0]["VirkningTilDatoTid"].utcoffset().total_seconds() == 3600
    assert (expense.draft, expense.reference, expense.unique, expense.bbr_id) == (True, "udgift-1", None, BARE)
    assert expense.fields == {
        "BoligudgiftstypeKode": 1,
        "BoligudgiftStartDato": date(2019, 1, 1),
        "BoligudgiftBeloeb": Decimal("5200.00"),
    }
    assert expense.key == "udgift-1"
    assert lease.fields == {
        "LejekontraktIdentifikator": "0501-001-0004",
        "LejerStruktur": [
            {"PersonCivilRegistrationIdentifier": "0101900000", "LejerNavnTekst": "Karen Hansen"},
            {"LejerNavnTekst": "Ole Hansen"},
        ],
    }
    assert (update.unique, update.bbr_id, update.fields) == (uuid.UUID(int=5), None, {"BoligudgiftBeloeb": 130})


def test_reads_semicolon_separated_csv_with_a_bom(tmp_path: Path) -> None:
    text = (
        "\ufefftype;BuildingUnitUniversalIdentifier;LejerNavnTekst;LejekontraktDepositumBeloeb\n"
        f'lejekontrakt;{BARE};"A; B";12500,75\n\n'
    )
    path = tmp_path / "semikolon.csv"
    path.write_bytes(text.encode("utf-8"))
    [lease] = read_batch(path)
    assert lease.fields == {
        "LejekontraktDepositumBeloeb": Decimal("12500.75"),
        "LejerStruktur": [{"LejerNavnTekst": "A"}, {"LejerNavnTekst": "B"}],
    }
    assert lease.draft is False


def test_reads_a_good_json_file(tmp_path: Path) -> None:
    items = [
        {"type": "bolig", "BuildingUnitUniversalIdentifier": str(BARE), "VirkningFraDatoTid": "2020-01-01",
         "BoligAktueltIndskudBeloeb": 1000.5, "BoligKoekkenKunForLejerIndikator": True, "BoligGarageKode": 2},
        {"type": "Lejekontrakt", "BuildingUnitUniversalIdentifier": str(BARE), "KladdeIndikator": True,
         "LejerStruktur": [{"LejerNavnTekst": "Karen", "PersonCivilRegistrationIdentifier": "0101900000"}],
         "LejekontraktIndskudBeloeb": 0, "BoligudgiftBeloeb": None},
        {"type": "lejekontrakt", "BuildingUnitUniversalIdentifier": str(BARE), "LejerNavnTekst": ["A", "B"]},
    ]  # fmt: skip
    for document in (items, {"items": items}):
        parsed = read_batch(write(tmp_path, "batch.json", json.dumps(document)))
        assert parsed[0].versions == (
            {
                "VirkningFraDatoTid": datetime(2020, 1, 1, tzinfo=DK),
                "BoligAktueltIndskudBeloeb": Decimal("1000.5"),
                "BoligKoekkenKunForLejerIndikator": True,
                "BoligGarageKode": 2,
            },
        )
        assert parsed[1].draft is True
        assert parsed[1].fields == {
            "LejekontraktIndskudBeloeb": Decimal(0),
            "LejerStruktur": [{"LejerNavnTekst": "Karen", "PersonCivilRegistrationIdentifier": "0101900000"}],
        }
        assert parsed[2].fields == {"LejerStruktur": [{"LejerNavnTekst": "A"}, {"LejerNavnTekst": "B"}]}
        assert [item.lines for item in parsed] == [(1,), (2,), (3,)]


def test_bad_header(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "a.csv", "type,Bogus,type\n")) == [
        (1, "Bogus", "unknown column"),
        (1, "type", "column given twice"),
    ]
    assert problems(write(tmp_path, "b.csv", "BoligTypeKode\n3\n")) == [(1, "type", "the column type is missing")]
    assert problems(write(tmp_path, "c.csv", "")) == [(1, None, "the file is empty")]
    assert problems(write(tmp_path, "d.csv", "type,BoligTypeKode\n")) == [(1, None, "the batch holds no rows")]
    (tmp_path / "e.csv").write_bytes(b"type\n\xff\n")
    [(_, _, message)] = problems(tmp_path / "e.csv")
    assert message.startswith("not UTF-8 text")


def test_every_kind_of_bad_row_is_reported_with_line_and_column(tmp_path: Path) -> None:
    header = (
        "type,BuildingUnitUniversalIdentifier,KladdeIndikator,VirkningFraDatoTid,BoligTypeKode,BoligAktueltIndskudBeloeb,"
        "BoligudgiftStartDato,BoligudgiftBeskrivelseTekst,LejerNavnTekst,PersonCivilRegistrationIdentifier,"
        "BoligudgiftUnikIdentifikator,StreetName"
    )
    rows = [
        f"hus,{BARE},,,,,,,,,,",  # 2 bad type
        f"bolig,{BARE},,2020-01-01,tre,abc,,,,,,",  # 3 bad int, bad decimal
        f"bolig,{BARE},måske,2020-13-01,,,,,,,,",  # 4 bad boolean, bad date-time
        "bolig,not-a-uuid,,,,,,,,,,",  # 5 bad uuid, VirkningFra missing
        f"boligudgift,{BARE},,,,,2024-02-30,{'x' * 257},,,,",  # 6 bad date, too long
        f"boligudgift,{BARE},,,3,,,,,,,",  # 7 a bolig field on an expense row
        f"lejekontrakt,{BARE},,,,,,,A;B,0101900000,,",  # 8 one CPR for two tenants
        "lejekontrakt,,,,,,,,A,,,",  # 9 no dwelling, no UnikIdentifikator
        f"bolig,{BARE},true,2021-01-01,,,,,,,,",  # 10 draft flag differs from line 3 (line 3 is bad itself)
        f"bolig,{OTHER},,2021-01-01,,,,,,,,",  # 11 good
        f"bolig,{OTHER},true,2022-01-01,,,,,,,,",  # 12 draft flag differs from line 11
        f"bolig,{OTHER},,2023-01-01,,,,,,,,Vejen",  # 13 a read-only field
        f"bolig,{OTHER}",  # 14 too few cells
    ]
    found = problems(write(tmp_path, "bad.csv", "\n".join([header, *rows]) + "\n"))
    assert found == [(14, None, "2 cells, the header has 12")]  # the row shape is checked first
    found = problems(write(tmp_path, "bad.csv", "\n".join([header, *rows[:-1]]) + "\n"))
    assert found == [
        (2, "type", "type must be bolig, boligudgift or lejekontrakt, not 'hus'"),
        (3, "BoligTypeKode", "'tre' is not a whole number"),
        (3, "BoligAktueltIndskudBeloeb", "'abc' is not an amount"),
        (4, "KladdeIndikator", "'måske' is not a boolean (true/false, 1/0, ja/nej)"),
        (4, "VirkningFraDatoTid", "'2020-13-01' is not a date-time (ISO 8601, e.g. 2024-01-01T00:00:00)"),
        (5, "BuildingUnitUniversalIdentifier", "'not-a-uuid' is not a UUID"),
        (5, "VirkningFraDatoTid", "required"),
        (6, "BoligudgiftStartDato", "'2024-02-30' is not a date (YYYY-MM-DD)"),
        (6, "BoligudgiftBeskrivelseTekst", "longer than 256 characters (257)"),
        (7, "BoligTypeKode", "not a field of a boligudgift row"),
        (8, "PersonCivilRegistrationIdentifier", "1 entries for 2 tenant name(s)"),
        (
            9,
            "BuildingUnitUniversalIdentifier",
            "required unless LejekontraktUnikIdentifikator or EksternReference is given",
        ),
        (12, "KladdeIndikator", "differs from line 11 of the same dwelling"),
        (13, "StreetName", "read-only (from BBR and Stamdata), cannot be reported"),
    ]
    # line 10 is fine on its own: its first line (3) was refused, so it starts the dwelling
    assert str(BatchError([report.Problem("bad.csv", 3, "BoligTypeKode", "x")])) == "bad.csv:3, column BoligTypeKode: x"


def test_bad_json(tmp_path: Path) -> None:
    [(line, column, message)] = problems(write(tmp_path, "a.json", '[{"type": "bolig",}\n]'))
    assert (line, column) == (1, None)
    assert message.startswith("not JSON")
    assert problems(write(tmp_path, "b.json", '{"type": "bolig"}')) == [
        (1, None, 'expected a list of objects, or {"items": [...]}')
    ]
    bbr = str(BARE)
    document = [
        "bolig",
        {"type": "bolig", "BuildingUnitUniversalIdentifier": bbr, "VirkningFraDatoTid": "2020-01-01", "Bogus": 1},
        {"type": "bolig", "BuildingUnitUniversalIdentifier": bbr, "VirkningFraDatoTid": 2020},
        {"type": "bolig", "BuildingUnitUniversalIdentifier": bbr, "VirkningFraDatoTid": "2020-01-01",
         "BoligGarageKode": "2", "BoligKoekkenKunForLejerIndikator": "nej", "BoligTypeKode": True},
        {"type": "lejekontrakt", "BuildingUnitUniversalIdentifier": bbr, "LejerStruktur": {"LejerNavnTekst": "A"}},
        {"type": "lejekontrakt", "BuildingUnitUniversalIdentifier": bbr, "LejerStruktur": [{"Navn": "A"}]},
        {"type": "lejekontrakt", "BuildingUnitUniversalIdentifier": bbr, "LejerStruktur": [], "LejerNavnTekst": "A"},
        {"type": "lejekontrakt", "BuildingUnitUniversalIdentifier": bbr, "LejerNavnTekst": ["A", 1]},
    ]  # fmt: skip
    assert problems(write(tmp_path, "c.json", json.dumps(document))) == [
        (1, None, "an item must be an object"),
        (2, "Bogus", "unknown field"),
    ]
    del document[:2]
    assert problems(write(tmp_path, "d.json", json.dumps(document))) == [
        (1, "VirkningFraDatoTid", "2020 is not a date-time"),
        (2, "BoligTypeKode", "True is not a whole number"),
        (3, "LejerStruktur", "a list of objects expected"),
        (4, "LejerStruktur", "unknown field(s) Navn"),
        (5, "LejerStruktur", "give LejerStruktur or the tenant columns, not both"),
        (6, "LejerNavnTekst", "a list of texts expected"),
    ]


# --- Sending to a live server ------------------------------------------------------------------------------------

BOLIG_COMPLETE = (
    "BoligLejerTypeKode=1 BoligOpvarmningsformKode=1 BoligKoekkenKunForLejerIndikator=true BoligGarageKode=2 "
    "BoligCarportKode=3 BoligIndvendigVedligeholdelseLejerKode=1 BoligUdvendigVedligeholdelseLejerKode=1 "
    "BoligBevaegelseshaemmetEgnetIndikator=false BoligKollegievaerelseIndikator=false BoligTypeKode=3"
)


def complete_dwelling(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(pair.split("=") for pair in BOLIG_COMPLETE.split())
    return {"type": "bolig", **values, **fields}


def expense(bbr: uuid.UUID, typekode: int, **fields: Any) -> dict[str, Any]:
    return {
        "type": "boligudgift",
        "BuildingUnitUniversalIdentifier": str(bbr),
        "BoligudgiftstypeKode": typekode,
        "BoligudgiftStartDato": "2019-01-01",
        "BoligudgiftBeloeb": "5200" if typekode == 1 else "150",
        "BoligudgiftModtagerTypeKode": 1,
        "BoligudgiftIndeholdtIHuslejeIndikator": typekode == 1,
        **fields,
    }


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def client(hr_module_service: HrService) -> Any:
    with HuslejeregisterClient(
        hr_module_service.wsdl_url, ALICE.username, ALICE.password, plugins=[hr_module_service.check]
    ) as made:
        yield made


def test_a_batch_reports_a_bare_dwelling_completely(
    client: HuslejeregisterClient, hr_module_service: HrService, tmp_path: Path
) -> None:
    """The dwelling comes first in the file but is sent last, after its expenses and lease; a row whose
    EksternReference exists updates; failing rows fail alone, with their numbers, texts or Fault."""
    register = hr_module_service.register
    bobs = register.unit(503, 1, 1, 1).bbr_id
    tag = uuid.uuid4().hex[:8]
    rows = [
        complete_dwelling(  # line 2
            BuildingUnitUniversalIdentifier=str(BARE), VirkningFraDatoTid="2020-01-01", BoligAktueltIndskudBeloeb="1000"
        ),
        *(expense(BARE, typekode, EksternReference=f"{tag}-{typekode}") for typekode in range(1, 8)),  # lines 3-9
        {  # line 10
            "type": "lejekontrakt",
            "BuildingUnitUniversalIdentifier": str(BARE),
            "EksternReference": f"{tag}-lease",
            "LejekontraktIdentifikator": "0501-001-0004",
            "LejekontraktStartDato": "2020-06-01",
            "LejekontraktDepositumBeloeb": "12000",
            "LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator": "false",
            "AnvisningstypeKode": 4,
            "LejerNavnTekst": "Karen Hansen;Ole Hansen",
        },
        {"type": "boligudgift", "EksternReference": f"{tag}-2", "BoligudgiftBeloeb": "175"},  # line 11: Ret
        expense(BARE, 8, BoligudgiftBeloeb="40"),  # line 12: 2106 (no description)
        expense(bobs, 8, BoligudgiftBeskrivelseTekst="Vaskeri"),  # line 13: another organisation's dwelling
        {"type": "lejekontrakt", "LejekontraktUnikIdentifikator": str(uuid.uuid4()), "LejerNavnTekst": "X"},  # 14
    ]
    items = read_batch(write_csv(tmp_path / "batch.csv", rows))
    seen: list[str] = []
    before = len(hr_module_service.check.outputs)
    results = submit_batch(client, items, progress=lambda outcome: seen.append(outcome.operation))
    assert seen[-1] == "BoligRet"  # sent last
    assert len(seen) == len(results) == 13
    assert [(outcome.item.lines, outcome.operation, outcome.status) for outcome in results] == [
        ((2,), "BoligRet", "ok"),
        *(((line,), "BoligudgiftOpret", "ok") for line in range(3, 10)),
        ((10,), "LejekontraktOpret", "ok"),
        ((11,), "BoligudgiftRet", "ok"),
        ((12,), "BoligudgiftOpret", "errors"),
        ((13,), "BoligudgiftOpret", "fault"),
        ((14,), "LejekontraktRet", "fault"),
    ]
    assert all(isinstance(outcome.reference, uuid.UUID) for outcome in results[1:9])
    assert results[0].reference is None
    assert [(error.number, error.text) for error in results[10].errors] == [
        (
            2106,
            "Hvis der er angivet kode 8 eller 9 for Boligudgift.Boligudgiftstype, "
            "skal Boligudgift.Beskrivelse være udfyldt",
        )
    ]
    assert "findes ikke eller administreres ikke af brugeren" in results[11].fault
    assert results[12].fault.startswith("soap:Client: ")
    assert len(hr_module_service.check.outputs) > before  # the answers were checked against the XSD

    # what the register holds now
    [edition] = client.get_dwelling(BARE)
    assert edition["KladdeIndikator"] is False
    assert [version["BoligAktueltIndskudBeloeb"] for version in edition["BoligVersionStruktur"]] == [Decimal(1000)]
    updated = client.get_expense(f"{tag}-2")
    assert updated["BoligudgiftBeloeb"] == Decimal(175)
    assert updated["BoligudgiftModtagerTypeKode"] == 1  # kept from the stored expense
    assert updated["BoligudgiftStartDato"] == date(2019, 1, 1)
    lease = client.get_lease(f"{tag}-lease")
    assert [tenant["LejerNavnTekst"] for tenant in lease["LejerStruktur"]] == ["Karen Hansen", "Ole Hansen"]

    # the results file
    report.write_results(tmp_path / "results.csv", results)
    with (tmp_path / "results.csv").open(encoding="utf-8") as file:
        written = list(csv.DictReader(file))
    assert [row["status"] for row in written] == [outcome.status for outcome in results]
    assert written[10]["errors"].startswith("2106 Hvis der er angivet kode 8 eller 9")
    assert written[1]["reference"] == str(results[1].reference)
    assert written[1]["key"] == f"{tag}-1"


# --- The command -----------------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "console", Console(width=250))


def test_the_command_reports_and_fails_on_a_bad_row(
    hr_module_service: HrService, tmp_path: Path, wide_console: None
) -> None:
    unit = unit_id(502, 1, 1, 1)
    tag = uuid.uuid4().hex[:8]
    rows = [
        expense(unit, 8, BoligudgiftBeskrivelseTekst="Vaskeri", EksternReference=f"{tag}-ok"),
        expense(unit, 9, EksternReference=f"{tag}-bad"),  # 2106
    ]
    batch = write_csv(tmp_path / "batch.csv", rows)
    output = tmp_path / "results.csv"
    arguments = [str(batch), "--url", hr_module_service.wsdl_url, "--user", "alice", "--output", str(output)]

    validated = runner.invoke(report.report_cli, [*arguments, "--password", ALICE.password, "--validate"])
    assert validated.exit_code == 1, validated.output
    assert "BoligudgiftValider" in validated.output
    snapshot = hr_module_service.snapshot()

    done = runner.invoke(report.report_cli, arguments, input=f"{ALICE.password}\n")  # the password is asked for
    assert done.exit_code == 1, done.output
    flat = " ".join(done.output.split())
    assert "password for alice" in flat
    assert "BoligudgiftOpret" in flat
    assert "2106 Hvis der er angivet kode 8 eller 9" in flat
    assert "1 of 2 item(s) ok, 1 failed" in flat
    assert f"results written to {output}" in flat
    with output.open(encoding="utf-8") as file:
        assert [row["status"] for row in csv.DictReader(file)] == ["ok", "errors"]
    assert hr_module_service.snapshot() != snapshot

    # only the good row again, now an update of what the first run created: exit code 0
    write_csv(batch, rows[:1])
    again = runner.invoke(report.report_cli, [*arguments, "--password", ALICE.password])
    assert again.exit_code == 0, again.output
    assert "BoligudgiftRet" in again.output
    assert "1 of 1 item(s) ok, 0 failed" in again.output


def test_the_command_sends_nothing_from_a_bad_file(
    hr_module_service: HrService, tmp_path: Path, wide_console: None
) -> None:
    batch = write(tmp_path, "bad.csv", "type,BoligTypeKode\nhus,3\nbolig,x\n")
    before = hr_module_service.snapshot()
    result = runner.invoke(
        report.report_cli, [str(batch), "--url", "http://127.0.0.1:9/unused?wsdl", "--user", "a", "--password", "b"]
    )
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert "4 problem(s) in bad.csv; nothing was sent:" in flat
    assert "bad.csv:2, column type: type must be bolig, boligudgift or lejekontrakt, not 'hus'" in flat
    assert "bad.csv:3, column BoligTypeKode: 'x' is not a whole number" in flat
    assert hr_module_service.snapshot() == before

    missing = runner.invoke(
        report.report_cli, [str(tmp_path / "nope.csv"), "--url", "u", "--user", "a", "--password", "b"]
    )
    assert missing.exit_code == 1
    assert "cannot read" in missing.output

    unreachable = write_csv(tmp_path / "ok.csv", [expense(BARE, 8, BoligudgiftBeskrivelseTekst="x")])
    refused = runner.invoke(
        report.report_cli, [str(unreachable), "--url", "http://127.0.0.1:9/x?wsdl", "--user", "a", "--password", "b"]
    )
    assert refused.exit_code == 1
    assert "cannot load the WSDL" in refused.output
