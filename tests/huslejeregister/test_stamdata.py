"""LBF Stamdata files: reading and checking them whole (parse_stamdata, read_stamdata), and importing them into
the register (import_stamdata) on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bodata.core.db import Database
from bodata.huslejeregister.models import Afdeling, Bolig, Boligorganisation, Byggeafsnit, ByggeafsnitEjendom
from bodata.huslejeregister.stamdata import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    ImportOutcome,
    StamdataError,
    StamdataRow,
    import_stamdata,
    parse_stamdata,
    read_stamdata,
)

UNITS = [uuid.UUID(f"00000000-0000-4000-8000-{index:012d}") for index in range(1, 10)]


def record(unit: uuid.UUID, **overrides: str) -> dict[str, str]:
    values = {
        "boligorganisation_nr": "1001",
        "boligorganisation_navn": "Boligselskabet Fjordbo",
        "afdeling_nr": "1",
        "afdeling_navn": "Fjordparken",
        "byggeafsnit_nr": "1",
        "bbr_enhed_id": str(unit),
        "vejkode": "1234",
        "vejnavn": "Fjordvej",
        "husnummer": "7A",
        "etage": "st",
        "doer": "tv",
        "postnummer": "2400",
        "kommunekode": "101",
        "bruttoareal": "62,5",
    }
    values.update(overrides)
    return values


def csv_text(records: list[dict[str, str]], delimiter: str = ";", columns: tuple[str, ...] = COLUMNS) -> str:
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(item.get(column, "") for column in columns) for item in records]
    return "\n".join(lines) + "\n"


def error_of(text: str, name: str = "stamdata.csv") -> str:
    with pytest.raises(StamdataError) as raised:
        parse_stamdata(text, name)
    return str(raised.value)


# --- Reading ------------------------------------------------------------------------------------------------------


def test_semicolon_file() -> None:
    text = csv_text([record(UNITS[0]), record(UNITS[1], etage="", doer="", bruttoareal="", husnummer="9")])
    first, second = parse_stamdata(text)
    assert first == StamdataRow(
        organisation=1001,
        organisation_name="Boligselskabet Fjordbo",
        department=1,
        department_name="Fjordparken",
        section=1,
        unit=UNITS[0],
        street_code=1234,
        street="Fjordvej",
        house_number="7A",
        floor="st",
        door="tv",
        postcode=2400,
        municipality=101,
        gross_area=Decimal("62.5"),
    )
    assert (second.floor, second.door, second.gross_area, second.house_number) == (None, None, None, "9")


def test_comma_file_with_quoted_fields_and_any_column_order() -> None:
    columns = (*reversed(COLUMNS), "ekstra")
    named = record(UNITS[0], boligorganisation_navn='"Fjordbo, Nord"', bruttoareal="70.25", ekstra="x")
    (row,) = parse_stamdata(csv_text([named], ",", columns))
    assert (row.organisation_name, row.gross_area, row.unit) == ("Fjordbo, Nord", Decimal("70.25"), UNITS[0])


def test_blanks_around_header_and_values_are_ignored() -> None:
    header = ";".join(f" {column} " for column in COLUMNS)
    values = ";".join(f"  {value}  " for value in record(UNITS[0]).values())
    (row,) = parse_stamdata(f"{header}\r\n{values}\r\n")
    assert (row.organisation, row.street, row.unit, row.floor) == (1001, "Fjordvej", UNITS[0], "st")


def test_missing_columns() -> None:
    columns = tuple(column for column in COLUMNS if column not in ("vejkode", "etage"))
    message = error_of(csv_text([record(UNITS[0])], columns=columns))
    assert message == "stamdata.csv: the header lacks the column(s) vejkode, etage"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"vejnavn": ""}, "stamdata.csv, line 3: vejnavn is empty"),
        ({"bbr_enhed_id": "   "}, "stamdata.csv, line 3: bbr_enhed_id is empty"),
        ({"bbr_enhed_id": "not-a-uuid"}, "stamdata.csv, line 3: bbr_enhed_id is not a UUID: 'not-a-uuid'"),
        ({"postnummer": "24OO"}, "stamdata.csv, line 3: postnummer must be a positive whole number, got '24OO'"),
        ({"afdeling_nr": "1.5"}, "stamdata.csv, line 3: afdeling_nr must be a positive whole number, got '1.5'"),
        ({"bruttoareal": "stor"}, "stamdata.csv, line 3: bruttoareal must be a positive number of m², got 'stor'"),
    ],
)
def test_bad_values_name_line_and_column(overrides: dict[str, str], message: str) -> None:
    assert error_of(csv_text([record(UNITS[0]), record(UNITS[1], **overrides)])) == message


def test_duplicate_unit() -> None:
    text = csv_text([record(UNITS[0]), record(UNITS[1]), record(UNITS[0], husnummer="9")])
    assert error_of(text) == f"stamdata.csv, line 4: bbr_enhed_id {UNITS[0]} also on line 2"


def test_duplicate_unit_after_a_blank_line_names_the_right_lines() -> None:
    header, first, second = csv_text([record(UNITS[0]), record(UNITS[0])]).splitlines()
    text = f"{header}\n\n{first}\n{second}\n"
    assert error_of(text) == f"stamdata.csv, line 4: bbr_enhed_id {UNITS[0]} also on line 3"


def test_empty_file_and_header_only() -> None:
    assert error_of("") == f"stamdata.csv: the header lacks the column(s) {', '.join(COLUMNS)}"
    assert error_of(csv_text([])) == "stamdata.csv: no dwellings"


def test_read_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "lbf.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([record(UNITS[0], vejnavn="Ørstedsvej")]).encode())
    (row,) = read_stamdata(path)
    assert (row.organisation, row.street) == (1001, "Ørstedsvej")


def test_read_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text([record(UNITS[0], vejnavn="Ørstedsvej")]).encode("latin-1"))
    with pytest.raises(StamdataError, match=r"^latin1\.csv: not UTF-8 text"):
        read_stamdata(path)


def test_read_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lbf.csv"
    path.write_text(csv_text([record(UNITS[0], kommunekode="x")]), encoding="utf-8")
    with pytest.raises(
        StamdataError, match=r"^lbf\.csv, line 2: kommunekode must be a positive whole number, got 'x'$"
    ):
        read_stamdata(path)


# --- Importing -------------------------------------------------------------------------------------------------


def rows(*records: dict[str, str]) -> list[StamdataRow]:
    return parse_stamdata(csv_text(list(records)))


FIRST_FILE = [
    record(UNITS[0]),
    record(UNITS[1], doer="th"),
    record(UNITS[2], byggeafsnit_nr="2"),
    record(UNITS[3], afdeling_nr="2", afdeling_navn="Kildegården"),
    record(UNITS[4], boligorganisation_nr="1002", boligorganisation_navn="Lindely", afdeling_navn="Lindely Øst"),
]


def counts(database: Database) -> tuple[int, int, int, int]:
    with database.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Boligorganisation, Afdeling, Byggeafsnit, Bolig)
        )


def test_import_adds_everything(database: Database) -> None:
    advanced = []
    with database.transaction() as session:
        outcome = import_stamdata(session, rows(*FIRST_FILE), advance=advanced.append)
    assert outcome == ImportOutcome(organisations=2, departments=3, sections=4, dwellings_added=5, dwellings_updated=0)
    assert advanced == [1] * 5
    assert counts(database) == (2, 3, 4, 5)
    with database.transaction() as session:
        bolig = session.scalar(select(Bolig).where(Bolig.bbr_id == UNITS[1]))
        assert (bolig.vejkode, bolig.vejnavn, bolig.husnummer, bolig.etage, bolig.doer) == (
            1234,
            "Fjordvej",
            "7A",
            "st",
            "th",
        )
        assert (bolig.postnummer, bolig.kommunekode, bolig.bruttoareal) == (2400, 101, Decimal("62.50"))
        section = bolig.byggeafsnit
        assert (section.nummer, section.afdeling.nummer, section.afdeling.navn) == (1, 1, "Fjordparken")
        organisation = section.afdeling.boligorganisation
        assert (organisation.nummer, organisation.navn) == (1001, "Boligselskabet Fjordbo")
        other = session.scalar(select(Bolig).where(Bolig.bbr_id == UNITS[4])).byggeafsnit.afdeling
        assert (other.boligorganisation.nummer, other.boligorganisation.navn, other.navn) == (
            1002,
            "Lindely",
            "Lindely Øst",
        )


def test_reimport_updates_without_duplicates(database: Database) -> None:
    with database.transaction() as session:
        import_stamdata(session, rows(*FIRST_FILE))
        ids = {item.bbr_id: item.id for item in session.scalars(select(Bolig))}
    second_file = [
        record(UNITS[0], vejnavn="Fjordgade", husnummer="9", etage="", doer="", bruttoareal=""),  # new address
        record(UNITS[1], doer="th", boligorganisation_navn="", afdeling_navn=""),  # blank names keep the old ones
        record(UNITS[2], byggeafsnit_nr="3"),  # moved to a new section
        record(UNITS[5], boligorganisation_navn="Boligselskabet Fjordbo A/S"),  # new dwelling, organisation renamed
    ]
    with database.transaction() as session:
        outcome = import_stamdata(session, rows(*second_file))
    assert outcome == ImportOutcome(organisations=1, departments=1, sections=2, dwellings_added=1, dwellings_updated=3)
    assert counts(database) == (2, 3, 5, 6)
    with database.transaction() as session:
        by_unit = {item.bbr_id: item for item in session.scalars(select(Bolig))}
        moved = by_unit[UNITS[0]]
        assert moved.id == ids[UNITS[0]]  # the same dwelling, updated in place
        assert (moved.vejnavn, moved.husnummer, moved.etage, moved.doer, moved.bruttoareal) == (
            "Fjordgade",
            "9",
            None,
            None,
            None,
        )
        assert by_unit[UNITS[2]].byggeafsnit.nummer == 3
        assert by_unit[UNITS[1]].byggeafsnit.afdeling.navn == "Fjordparken"
        assert by_unit[UNITS[1]].byggeafsnit.afdeling.boligorganisation.navn == "Boligselskabet Fjordbo A/S"
        assert by_unit[UNITS[3]].vejnavn == "Fjordvej"  # not in the second file: left alone


# --- The optional columns: property number, BBR use code, deletion in BBR ----------------------------------------

WITH_BBR = (*COLUMNS, *OPTIONAL_COLUMNS)


def test_optional_columns_are_read_when_present() -> None:
    text = csv_text(
        [
            record(UNITS[0], ejendomsnummer="4711", anvendelseskode="140", slettet_i_bbr="2024-02-01"),
            record(UNITS[1], slettet_i_bbr="2024-02-01T10:30:00+00:00"),
            record(UNITS[2], slettet_i_bbr="2024-07-01T12:00:00"),
        ],
        columns=WITH_BBR,
    )
    first, second, third = parse_stamdata(text)
    assert (first.property_number, first.use_code) == ("4711", 140)
    assert first.deleted_in_bbr == datetime(2024, 1, 31, 23, 0, tzinfo=UTC)  # midnight Danish time
    assert second.deleted_in_bbr == datetime(2024, 2, 1, 10, 30, tzinfo=UTC)
    assert third.deleted_in_bbr == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)  # summer time
    assert (second.property_number, second.use_code) == (None, None)
    assert first.optional_columns == frozenset(OPTIONAL_COLUMNS)
    (old,) = parse_stamdata(csv_text([record(UNITS[0])]))
    assert old.optional_columns == frozenset()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("ejendomsnummer", "1" * 21, "ejendomsnummer must be at most 20 characters"),
        ("ejendomsnummer", "47 11", "ejendomsnummer must be at most 20 characters without spaces"),
        ("anvendelseskode", "14x", "anvendelseskode must be a positive whole number"),
        ("anvendelseskode", "0", "anvendelseskode must be a positive whole number"),
        ("slettet_i_bbr", "01-02-2024", "slettet_i_bbr must be an ISO date or date-time"),
    ],
)
def test_bad_optional_values_name_line_and_column(column: str, value: str, message: str) -> None:
    text = csv_text([record(UNITS[0]), record(UNITS[1], **{column: value})], columns=WITH_BBR)
    assert error_of(text).startswith(f"stamdata.csv, line 3: {message}")


def test_import_sets_the_bbr_facts_and_the_sections_property_numbers(database: Database) -> None:
    created = datetime(2024, 3, 1, 12, tzinfo=UTC)
    first_file = [
        record(UNITS[0], ejendomsnummer="4711", anvendelseskode="140", slettet_i_bbr="2024-02-01"),
        record(UNITS[1], ejendomsnummer="4711"),
        record(UNITS[2], ejendomsnummer="0815"),
        record(UNITS[3], byggeafsnit_nr="2", ejendomsnummer="4711"),
    ]
    with database.transaction() as session:
        import_stamdata(session, parse_stamdata(csv_text(first_file, columns=WITH_BBR)), now=created)
    with database.transaction() as session:
        by_unit = {item.bbr_id: item for item in session.scalars(select(Bolig))}
        first = by_unit[UNITS[0]]
        assert (first.ejendomsnummer, first.anvendelseskode, first.oprettet) == ("4711", 140, created)
        assert first.slettet_i_bbr == datetime(2024, 1, 31, 23, tzinfo=UTC)
        numbers = {
            (session.get(Byggeafsnit, row.byggeafsnit_id).nummer, row.ejendomsnummer)
            for row in session.scalars(select(ByggeafsnitEjendom))
        }
        assert numbers == {(1, "4711"), (1, "0815"), (2, "4711")}
    # a file without the columns leaves them alone; oprettet is kept from the first import
    with database.transaction() as session:
        import_stamdata(session, rows(record(UNITS[0], vejnavn="Fjordgade")), now=created + timedelta(days=1))
    with database.transaction() as session:
        first = session.scalar(select(Bolig).where(Bolig.bbr_id == UNITS[0]))
        assert (first.vejnavn, first.ejendomsnummer, first.anvendelseskode, first.oprettet) == (
            "Fjordgade",
            "4711",
            140,
            created,
        )
        assert first.slettet_i_bbr is not None
    # empty cells in a file with the columns clear them; known numbers are not added twice
    with database.transaction() as session:
        import_stamdata(session, parse_stamdata(csv_text([record(UNITS[0]), first_file[1]], columns=WITH_BBR)))
    with database.transaction() as session:
        first = session.scalar(select(Bolig).where(Bolig.bbr_id == UNITS[0]))
        assert (first.ejendomsnummer, first.anvendelseskode, first.slettet_i_bbr) == (None, None, None)
        assert session.scalar(select(func.count()).select_from(ByggeafsnitEjendom)) == 3
