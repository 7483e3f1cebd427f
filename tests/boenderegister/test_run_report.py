"""Run reports (issue 20, problem 4 and 7): every created, updated, removed or given-back record and every
excluded group by name, on the run page and in the API; "No groups were excluded" only when groups were read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bodata.boenderegister import service
from bodata.boenderegister.sources.base import Snapshot
from bodata.boenderegister.sync import run_integration, source_for
from bodata.core.clock import FixedClock
from bodata.core.db import Database

from .factories import NOW, SECRETS, group, make_account, make_integration, person, snapshot
from .web_fixtures import BASE, log_in, web_client


class _Source:
    def __init__(self, value: Snapshot) -> None:
        self.value = value

    def fetch(self, progress=None) -> Snapshot:
        return self.value


@pytest.fixture
def world(database: Database) -> dict:
    with database.transaction() as session:
        account = make_account(session, username="anna")
        service.add_address(session, account=account, name="Torget 1")
        integration_id = make_integration(session, account).id
        token = service.issue_api_token(session, account=account, name="t", now=NOW)
    clock = FixedClock(NOW)

    def run(groups, people, make_source=None):
        clock.advance(timedelta(minutes=1))
        source = make_source or (lambda integration: _Source(snapshot(groups, people)))
        return run_integration(database, integration_id, make_source=source, clock=clock, trigger="manual")

    client = web_client(database, clock)
    log_in(client, "anna")
    return {"run": run, "client": client, "api": {"Authorization": f"Bearer {token}"}, "id": integration_id}


def test_the_report_names_every_changed_record_and_excluded_group(world) -> None:
    groups = [group("g1", "1001_Torget 1"), group("g2", "1101_Torget 3"), group("bad", "12_Fel", name="Familjen Fel")]
    neighbours = [person(f"n{number}", "Granne", f"G{number}", "g1") for number in range(4)]
    people = [person("p1", "Anna", "Ek", "g1", keys=(("c1", "tag", "555"),)), person("p2", "Bo", "Al", "g2")]
    world["run"](groups, people + neighbours)
    second = world["run"](groups[:1], [person("p1", "Anna", "Lind", "g1", keys=(("c1", "tag", "555"),)), *neighbours])
    assert second.status == "succeeded", second.message
    page = world["client"].get(f"{BASE}/runs/{second.id}").text
    for text in ("Torget 1, 1001: Lind Anna", "Torget 3", "Torget 3, 1101: Al Bo"):
        assert text in page
    report = world["client"].get(f"{BASE}/api/runs/{second.id}", headers=world["api"]).json()
    assert {(record["kind"], record["action"], record["label"]) for record in report["records"]} == {
        ("resident", "updated", "Torget 1, 1001: Lind Anna"),
        ("address", "removed", "Torget 3"),
        ("apartment", "removed", "Torget 3, 1101"),
        ("resident", "removed", "Torget 3, 1101: Al Bo"),
    }
    first = world["client"].get(f"{BASE}/api/integrations/{world['id']}/runs", headers=world["api"]).json()[-1]
    assert first["excluded"] == 1
    assert first["changes"]["addresses"] == {"created": 1, "updated": 1, "removed": 0, "released": 0}
    first_report = world["client"].get(f"{BASE}/api/runs/{first['id']}", headers=world["api"]).json()
    assert ("address", "adopted", "Torget 1") in {(r["kind"], r["action"], r["label"]) for r in first_report["records"]}
    assert [issue["group_name"] for issue in first_report["issues"]] == ["Familjen Fel"]
    assert first_report["issues"][0]["code"] == "refid_no_number"
    assert first_report["issues"][0]["reason"] == "Referens ID börjar inte med ett 4-siffrigt lantmäterinummer"
    english = (
        world["client"].get(f"{BASE}/api/runs/{first['id']}", headers={**world["api"], "Accept-Language": "en"}).json()
    )
    assert english["issues"][0]["reason"] == "Reference ID does not start with a 4-digit Lantmäteriet number"
    assert (
        english["message"]
        == "addresses: 1 created, 1 updated; apartments: 2 created; residents: 6 created; keys: 1 created."
    )
    history = world["client"].get(f"{BASE}/integrations/{world['id']}").text
    assert "Exkluderade grupper" in history


def test_a_run_that_never_read_axema_does_not_claim_no_groups_were_excluded(world) -> None:
    failed = world["run"]([], [], make_source=lambda integration: source_for(integration, SECRETS))
    assert failed.status == "failed"
    page = world["client"].get(f"{BASE}/runs/{failed.id}").text
    assert "Inga grupper exkluderades" not in page
    assert "Inga grupper bedömdes" in page
