"""``bodata boenderegister``: managing accounts, users, tokens and integrations, and syncing from the shell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bodata.axema_sim import SimState, start_sim
from bodata.boenderegister import service
from bodata.boenderegister.models import Address, Integration, IntegrationRun, Resident, User
from bodata.cli import app
from bodata.core.db import Database

runner = CliRunner()


@pytest.fixture
def env(database: Database, database_url: str) -> dict[str, str]:
    return {
        "BODATA_DATABASE_URL": database_url,
        "BODATA_SECRET_KEY": "cli-key",
        "COLUMNS": "200",
        **dict.fromkeys(("LANGUAGE", "LC_ALL", "LC_MESSAGES"), ""),
        "LANG": "sv_SE.UTF-8",  # run reports in the environment's language
    }


def invoke(env: dict[str, str], *args: str, input: str | None = None):
    return runner.invoke(app, ["boenderegister", *args], env=env, input=input)


def test_accounts_users_and_tokens(env, database: Database) -> None:
    assert "account 1: Brf Ek" in invoke(env, "accounts", "add", "Brf Ek").output
    added = invoke(env, "users", "add", "anna", "--account", "1", input="hemligt-lösen\nhemligt-lösen\n")
    assert added.exit_code == 0, added.output
    assert invoke(env, "users", "add", "anna", "--account", "1", input="x\nx\n").exit_code == 1  # taken
    assert invoke(env, "users", "add", "bo", "--account", "99", input="x\nx\n").exit_code == 1  # no account
    token_output = invoke(env, "tokens", "add", "board", "--account", "1", "--days", "30").output
    token = re.search(r"br_\S+", token_output).group(0)
    with database.transaction() as session:
        user = session.scalar(select(User).where(User.username == "anna"))
        assert "hemligt" not in user.password_hash
        assert service.authenticate(session, username="anna", password="hemligt-lösen") is not None
        assert service.account_for_token(session, token=token, now=user.created_at).name == "Brf Ek"
    assert token not in invoke(env, "tokens", "list").output
    assert invoke(env, "tokens", "revoke", "1").exit_code == 0
    assert invoke(env, "users", "remove", "anna").exit_code == 0
    assert "anna" not in invoke(env, "users", "list").output


def test_add_an_integration_and_sync_it_now(env, database: Database) -> None:
    invoke(env, "accounts", "add", "Brf Ek")
    with start_sim(SimState(seed=5, apartments=30)) as sim:
        added = invoke(env, "integrations", "add", "Axema", "--account", "1", "--url", sim.url, "--username", "demo",
                       input="demo\n")  # fmt: skip
        assert added.exit_code == 0, added.output
        synced = invoke(env, "sync", "--integration", "1")
    assert synced.exit_code == 0, synced.output
    assert "succeeded" in synced.output
    assert "excluded: group" in synced.output  # the stand-in has bad Reference IDs
    with database.transaction() as session:
        assert session.scalar(select(Integration.password_encrypted)) != "demo"
        assert session.scalars(select(Address)).first() is not None


def test_a_failing_sync_exits_non_zero(env) -> None:
    invoke(env, "accounts", "add", "Brf Ek")
    invoke(env, "integrations", "add", "Axema", "--account", "1", "--url", "http://127.0.0.1:9", "--username", "x",
           input="y\n")  # fmt: skip
    result = invoke(env, "sync")
    assert result.exit_code == 1
    assert "kunde inte nås" in result.output
    english = invoke({**env, "LANG": "en_GB.UTF-8"}, "sync")
    assert "The Axema system could not be reached. Nothing was changed." in english.output


def test_sync_from_axemas_csv_export(env, database: Database, tmp_path: Path) -> None:
    invoke(env, "accounts", "add", "Brf Ek")
    invoke(env, "integrations", "add", "Export", "--account", "1", "--url", "http://127.0.0.1:9", "--username", "x",
           input="y\n")  # fmt: skip
    export = tmp_path / "personer.csv"
    export.write_text(
        "Person-ID;Förnamn;Efternamn;Referens ID;Kort\n"
        "1;Anna;Andersson;1001_Ekvägen 1;111,112\n"
        "2;Bo;Berg;1101_Ekvägen 1;\n"
        "3;Cilla;Ceder;felaktig;333\n",
        encoding="utf-8",
    )
    needs_integration = invoke(env, "sync", "--csv", str(export))
    assert needs_integration.exit_code == 1
    result = invoke(env, "sync", "--integration", "1", "--csv", str(export), "--column", "cards=Kort")
    assert result.exit_code == 0, result.output
    with database.transaction() as session:
        assert sorted(session.scalars(select(Resident.last_name))) == ["Andersson", "Berg"]
        assert session.scalar(select(IntegrationRun.trigger)) == "csv"
