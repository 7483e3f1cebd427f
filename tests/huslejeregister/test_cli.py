"""``bodata huslejeregister``: users, Stamdata import (all or nothing), letting cooperations, through the real
command on a migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func, select
from typer.testing import CliRunner

from bodata.cli import app
from bodata.core.db import Database
from bodata.huslejeregister import cli as hr_cli
from bodata.huslejeregister import organisations
from bodata.huslejeregister.models import (
    Afdeling,
    Bolig,
    Boligorganisation,
    Byggeafsnit,
    SoapUser,
    Udlejningssamarbejde,
)
from bodata.huslejeregister.stamdata import COLUMNS

from .builders import make_world

runner = CliRunner()


@pytest.fixture
def env(database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # a wide console, so that tables and messages are not wrapped (the width is not what is tested)
    monkeypatch.setattr(hr_cli, "console", Console(width=250))
    monkeypatch.setattr(organisations, "_VERIFIED", {})
    return {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "cli-key", "COLUMNS": "250"}


def invoke(env: dict[str, str], *args: str):
    return runner.invoke(app, ["huslejeregister", *args], env=env)


def flat(output: str) -> str:
    return " ".join(output.split())


def count(database: Database, model: type) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


# --- users ------------------------------------------------------------------------------------------------------


def test_users_add_list_remove(env: dict[str, str], database: Database) -> None:
    make_world(database)  # organisations 1001 and 2002
    added = invoke(env, "users", "add", "fjordbo", "-o", "1001", "--organisation", "2002", "--password", "hemmelig")
    assert added.exit_code == 0, added.output
    assert "user fjordbo created for organisation(s) 1001, 2002" in flat(added.output)
    again = invoke(env, "users", "add", "fjordbo", "-o", "1001", "--password", "x")
    assert again.exit_code == 1
    assert "user 'fjordbo' already exists" in flat(again.output)
    unknown = invoke(env, "users", "add", "ny", "-o", "1001", "-o", "4242", "--password", "x")
    assert unknown.exit_code == 1
    assert "no Boligorganisation with number 4242 in Stamdata" in flat(unknown.output)
    assert count(database, SoapUser) == 1

    listing = flat(invoke(env, "users", "list").output)
    assert "fjordbo" in listing
    assert "1001 Boligselskabet Fjordbo, 2002 Vestjysk Almene Boliger" in listing
    assert "ny" not in listing.split()
    with database.transaction() as session:
        caller = organisations.authenticate(session, "fjordbo", "hemmelig")
        numbers = {item.nummer for item in session.scalars(select(Boligorganisation))}
        assert caller is not None
        assert len(caller.organisation_ids) == len(numbers) == 2
        assert organisations.authenticate(session, "fjordbo", "x") is None

    changed = invoke(env, "users", "password", "fjordbo", "--password", "nyt")
    assert changed.exit_code == 0, changed.output
    assert "password of fjordbo changed" in flat(changed.output)
    assert invoke(env, "users", "password", "ukendt", "--password", "nyt").exit_code == 1
    with database.transaction() as session:
        assert organisations.authenticate(session, "fjordbo", "hemmelig") is None
        assert organisations.authenticate(session, "fjordbo", "nyt") is not None

    removed = invoke(env, "users", "remove", "fjordbo")
    assert removed.exit_code == 0, removed.output
    assert "user fjordbo removed" in flat(removed.output)
    gone = invoke(env, "users", "remove", "fjordbo")
    assert gone.exit_code == 1
    assert "no user 'fjordbo'" in flat(gone.output)
    assert count(database, SoapUser) == 0
    with database.transaction() as session:
        assert organisations.authenticate(session, "fjordbo", "hemmelig") is None


def test_users_add_needs_an_organisation(env: dict[str, str], database: Database) -> None:
    make_world(database)
    result = invoke(env, "users", "add", "fjordbo", "--password", "x")
    assert result.exit_code == 2  # a usage error
    assert count(database, SoapUser) == 0


def test_users_password_asked_for_twice(env: dict[str, str], database: Database) -> None:
    make_world(database)
    mismatch = runner.invoke(app, ["huslejeregister", "users", "add", "fjordbo", "-o", "1001"], env=env, input="a\nb\n")
    assert mismatch.exit_code != 0
    assert count(database, SoapUser) == 0
    added = runner.invoke(
        app, ["huslejeregister", "users", "add", "fjordbo", "-o", "1001"], env=env, input="hemmelig\nhemmelig\n"
    )
    assert added.exit_code == 0, added.output
    assert "hemmelig" not in added.output  # the input is hidden
    with database.transaction() as session:
        assert organisations.authenticate(session, "fjordbo", "hemmelig") is not None


# --- stamdata import --------------------------------------------------------------------------------------------


def stamdata_file(path: Path, rows: list[tuple[int, int, int, str]]) -> Path:
    """(organisation, department, section, door) per dwelling."""
    lines = [";".join(COLUMNS)]
    for index, (organisation, department, section, door) in enumerate(rows, start=1):
        unit = uuid.UUID(int=index, version=4)
        lines.append(
            f"{organisation};Org {organisation};{department};Afd {department};{section};{unit};100;Engvej;{index};"
            f"1;{door};7400;657;55,5"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_stamdata_import(env: dict[str, str], database: Database, tmp_path: Path) -> None:
    path = stamdata_file(
        tmp_path / "lbf.csv",
        [(1001, 1, 1, "tv"), (1001, 1, 1, "th"), (1001, 1, 2, "tv"), (1001, 2, 1, "tv"), (1002, 1, 1, "mf")],
    )
    result = invoke(env, "stamdata", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 organisation(s), 3 department(s), 4 section(s); 5 dwelling(s) added, 0 updated" in flat(result.output)
    assert [count(database, model) for model in (Boligorganisation, Afdeling, Byggeafsnit, Bolig)] == [2, 3, 4, 5]
    again = invoke(env, "stamdata", "import", str(path))
    assert again.exit_code == 0, again.output
    assert "0 dwelling(s) added, 5 updated" in flat(again.output)
    assert count(database, Bolig) == 5


def test_stamdata_import_bad_file_writes_nothing(env: dict[str, str], database: Database, tmp_path: Path) -> None:
    path = stamdata_file(tmp_path / "bad.csv", [(1001, 1, 1, "tv"), (1001, 1, 1, "th")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(";7400;", ";74OO;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(env, "stamdata", "import", str(path))
    assert result.exit_code == 1
    assert "bad.csv, line 3: postnummer must be a positive whole number, got '74OO'" in flat(result.output)
    assert [count(database, model) for model in (Boligorganisation, Afdeling, Byggeafsnit, Bolig)] == [0, 0, 0, 0]
    missing = invoke(env, "stamdata", "import", str(tmp_path / "missing.csv"))
    assert missing.exit_code == 1
    assert "missing.csv" in flat(missing.output)
    assert count(database, Bolig) == 0


# --- samarbejder -------------------------------------------------------------------------------------------------


def test_samarbejder_add_list(env: dict[str, str], database: Database) -> None:
    first = invoke(env, "samarbejder", "add", "Aarhus Bolignet", "--beskrivelse", "Fælles venteliste i Aarhus")
    assert first.exit_code == 0, first.output
    second = invoke(env, "samarbejder", "add", "Aalborg Boligportal")
    assert second.exit_code == 0, second.output
    duplicate = invoke(env, "samarbejder", "add", "Aarhus Bolignet")
    assert duplicate.exit_code == 1
    assert "Udlejningssamarbejde 'Aarhus Bolignet' already exists" in flat(duplicate.output)
    with database.transaction() as session:
        stored = {item.navn: item for item in session.scalars(select(Udlejningssamarbejde))}
    assert set(stored) == {"Aarhus Bolignet", "Aalborg Boligportal"}
    assert stored["Aarhus Bolignet"].beskrivelse == "Fælles venteliste i Aarhus"
    assert stored["Aalborg Boligportal"].beskrivelse is None
    assert f"Udlejningssamarbejde Aarhus Bolignet: {stored['Aarhus Bolignet'].id}" in flat(first.output)

    listing = invoke(env, "samarbejder", "list")
    assert listing.exit_code == 0, listing.output
    lines = [line for line in listing.output.splitlines() if "Aa" in line]
    assert len(lines) == 2
    assert str(stored["Aalborg Boligportal"].id) in lines[0]  # by name
    assert str(stored["Aarhus Bolignet"].id) in lines[1]
    assert "Fælles venteliste i Aarhus" in lines[1]
