"""Managing integrations (issue 20, problem 2): edit, pause and resume, delete with a choice of what becomes of
the records, with an audit trail, in the web UI, the REST API and the command line."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bodata.boenderegister import service
from bodata.boenderegister.models import Account, Address, AuditEntry, Integration, IntegrationRun, Resident
from bodata.boenderegister.sync import IntegrationPaused, run_integration, source_for
from bodata.cli import app
from bodata.core.clock import FixedClock
from bodata.core.db import Database

from .factories import NOW, SECRETS, feed_torget, make_account
from .web_fixtures import BASE, csrf_of, log_in, web_client


@pytest.fixture
def world(database: Database) -> dict:
    """Account A (user anna) with an integration that delivered Torget 1; an API token."""
    with database.transaction() as session:
        account = make_account(session, "Brf A", username="anna")
        integration = feed_torget(session, account)
        token = service.issue_api_token(session, account=account, name="styrelsen", now=NOW)
        other = make_account(session, "Brf B")
        foreign = feed_torget(session, other)
        return {
            "database": database,
            "integration": integration.id,
            "foreign": foreign.id,
            "api": {"Authorization": f"Bearer {token}"},
        }


def stored(database: Database, integration_id: int) -> Integration | None:
    with database.transaction() as session:
        integration = session.get(Integration, integration_id)
        if integration is not None:
            session.expunge(integration)
        return integration


def audit(database: Database) -> list[tuple[str, str, dict]]:
    with database.transaction() as session:
        return [
            (entry.actor, entry.action, entry.details)
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def owners(database: Database, account_name: str = "Brf A") -> set:
    with database.transaction() as session:
        return set(
            session.execute(
                select(Address.integration_id, Resident.integration_id)
                .join(Account, Account.id == Address.account_id)
                .join(Address.apartments)
                .join(Resident, isouter=True)
                .where(Account.name == account_name)
            ).all()
        )


def test_a_new_password_is_stored_encrypted_and_audited_without_its_value(world) -> None:
    database = world["database"]
    with database.transaction() as session:
        changed = service.update_integration(
            session,
            integration=session.get(Integration, world["integration"]),
            secrets=SECRETS,
            now=NOW,
            actor="anna",
            password="nytt-lösen",
            schedule_time="03:30",
        )
    assert changed == ["schedule_time", "password"]
    integration = stored(database, world["integration"])
    assert SECRETS.decrypt(integration.password_encrypted) == "nytt-lösen"
    assert integration.next_run_at.hour == 2  # 03:30 in Stockholm (UTC+1 in March)
    actor, action, details = audit(database)[-1]
    assert (actor, action) == ("anna", "updated")
    assert details == {"schedule_time": ["02:00", "03:30"], "password": "changed"}
    assert "nytt" not in str(audit(database))


def test_a_paused_integration_runs_neither_on_demand_nor_on_schedule(world) -> None:
    database = world["database"]
    with database.transaction() as session:
        service.set_integration_paused(
            session, integration=session.get(Integration, world["integration"]), paused=True, now=NOW, actor="anna"
        )
    assert stored(database, world["integration"]).next_run_at is None
    with pytest.raises(IntegrationPaused):
        run_integration(
            database,
            world["integration"],
            make_source=lambda integration: source_for(integration, SECRETS),
            clock=FixedClock(NOW),
            trigger="manual",
        )
    with database.transaction() as session:
        service.set_integration_paused(
            session, integration=session.get(Integration, world["integration"]), paused=False, now=NOW, actor="anna"
        )
    assert stored(database, world["integration"]).next_run_at is not None
    assert [action for _, action, _ in audit(database)][-2:] == ["paused", "resumed"]


def test_the_web_ui_edits_pauses_and_deletes_keeping_the_records(world, clock) -> None:
    database, integration_id = world["database"], world["integration"]
    client = web_client(database, FixedClock(NOW))
    token = log_in(client, "anna")
    page = client.get(f"{BASE}/integrations/{integration_id}")
    assert 'action="/boenderegister/integrations/1/edit"' in page.text
    response = client.post(
        f"{BASE}/integrations/{integration_id}/edit",
        data={
            "csrf_token": token,
            "name": "Axema Kvisten",
            "base_url": "https://axema.example.se",
            "username": "integration",
            "password": "efter-bytet",
            "schedule_time": "02:00",
            "removal_threshold": "25",
        },
    )
    assert response.status_code == 303, response.text
    integration = stored(database, integration_id)
    assert (integration.name, integration.base_url, integration.removal_threshold) == (
        "Axema Kvisten",
        "https://axema.example.se",
        0.25,
    )
    assert SECRETS.decrypt(integration.password_encrypted) == "efter-bytet"
    bad = client.post(
        f"{BASE}/integrations/{integration_id}/edit",
        data={"csrf_token": token, "base_url": "ftp://nej", "schedule_time": "02:00", "removal_threshold": "20"},
    )
    assert bad.status_code == 400
    assert stored(database, integration_id).base_url == "https://axema.example.se"
    client.post(f"{BASE}/integrations/{integration_id}/pause", data={"csrf_token": token})
    assert not stored(database, integration_id).enabled
    assert "Integrationen är pausad" in client.get(f"{BASE}/integrations/{integration_id}").text
    refused = client.post(f"{BASE}/integrations/{integration_id}/delete", data={"csrf_token": token})
    assert refused.status_code == 400  # no choice made: nothing deleted
    assert stored(database, integration_id) is not None
    deleted = client.post(f"{BASE}/integrations/{integration_id}/delete", data={"csrf_token": token, "records": "keep"})
    assert deleted.headers["location"] == f"{BASE}/integrations?done=integration-deleted-keep"
    assert stored(database, integration_id) is None
    assert owners(database) == {(None, None)}  # Torget 1 and its residents stay, as typed in by hand
    assert [(actor, action) for actor, action, _ in audit(database) if actor == "anna"] == [
        ("anna", "updated"),
        ("anna", "paused"),
        ("anna", "deleted"),
    ]
    assert csrf_of(client.get(f"{BASE}/integrations").text)


def test_the_api_manages_integrations_of_its_own_account_only(world) -> None:
    database, integration_id = world["database"], world["integration"]
    client = web_client(database, FixedClock(NOW))
    api, url = world["api"], f"{BASE}/api/integrations/{integration_id}"
    listed = client.get(f"{BASE}/api/integrations", headers=api).json()
    assert [item["id"] for item in listed] == [integration_id]
    assert "password" not in str(listed)
    assert client.get(f"{BASE}/api/integrations/{world['foreign']}", headers=api).status_code == 404
    patched = client.patch(url, headers=api, json={"password": "nytt", "removal_threshold": 0.3})
    assert patched.status_code == 200, patched.text
    assert patched.json()["removal_threshold"] == 0.3
    assert client.patch(url, headers=api, json={"schedule_time": "25:00"}).status_code == 422
    assert client.post(f"{url}/pause", headers=api).json()["paused"] is True
    assert client.post(f"{url}/resume", headers=api).json()["paused"] is False
    assert client.delete(url, headers=api).status_code == 422  # the choice is required
    removed = client.delete(f"{url}?records=remove", headers=api)
    assert removed.status_code == 200, removed.text
    assert removed.json()["counts"]["residents"]["removed"] == 3
    assert owners(database) == set()
    assert owners(database, "Brf B")  # the other account's integration and records are untouched
    actors = {actor for actor, *_ in audit(database) if actor != "system"}
    assert actors == {"API token 1 (styrelsen)"}


def test_the_cli_edits_pauses_and_removes(world, database_url: str, monkeypatch) -> None:
    env = {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "boenderegister-tests", "COLUMNS": "200"}
    runner = CliRunner()
    integration_id = str(world["integration"])

    def invoke(*args: str, input: str | None = None):
        result = runner.invoke(app, ["boenderegister", "integrations", *args], env=env, input=input)
        assert result.exit_code == 0, result.output
        return result.output

    assert "changed password" in invoke("edit", integration_id, "--password", input="nytt\nnytt\n")
    assert SECRETS.decrypt(stored(world["database"], world["integration"]).password_encrypted) == "nytt"
    invoke("pause", integration_id)
    assert re.search(r"paused", invoke("list"))
    invoke("resume", integration_id)
    refused = runner.invoke(app, ["boenderegister", "integrations", "remove", integration_id], env=env)
    assert refused.exit_code != 0  # --records is required
    invoke("remove", integration_id, "--records", "keep")
    assert "deleted" in invoke("audit", "--account", "1")
    with world["database"].transaction() as session:
        assert session.scalar(select(func.count()).select_from(IntegrationRun)) == 0
        assert session.scalar(select(func.count()).select_from(Resident)) == 6
