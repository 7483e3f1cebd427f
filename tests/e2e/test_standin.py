"""Stand-in controls end to end: what an integrator's test suite does against one running server, per service.

One live ``bodata serve --stand-in`` per module and database, started with the example seed files of
docs/stand-in/. Each test walks one service through the issue's list: seed, run, inspect the journal, inject a
fault for one operation, advance the clock past a deadline, snapshot, reset, restore, with that service's real
client (zeep for the rent register, the Inskrivning client, plain HTTP for the portal and the Axema API).
Each test starts by resetting its service to the seed, so the tests do not depend on each other's order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import zeep
import zeep.exceptions
from typer.testing import CliRunner
from zeep.wsse.username import UsernameToken

from bodata.cli import app as bodata_cli
from bodata.core.db import Database, create_database_engine
from bodata.inskrivning.client import InskrivningClient, InskrivningError
from bodata.inskrivning.service import list_registrations

from ..databases import scratch_database_url
from ..inskrivning.spec_examples import FEATURE_ID, inskrivning_response_json
from ..live import LiveServer, start_live_server

pytestmark = pytest.mark.e2e

TOKEN = "stand-in-test-admin-token"
SEEDS = Path(__file__).parents[2] / "docs" / "stand-in"
INSKRIVNING = "/distribution/produkter/inskrivning/v3"
PORTAL_KEY, ANNA = "my-app-api-key-0001", {"Användarnamn": "anna", "Lösenord": "anna-losenord-1"}


@pytest.fixture(scope="module")
def server(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    seeds = os.pathsep.join(str(path) for path in sorted(SEEDS.glob("*.yaml")))
    env = {"BODATA_STANDIN_TOKEN": TOKEN, "BODATA_STANDIN_SEED_FILES": seeds, "BODATA_SCHEDULER": "false"}
    server = start_live_server(
        database_url=module_database_url, workdir=tmp_path_factory.mktemp("standin"), args=("--stand-in",), env=env
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def admin(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/_bodata", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
        yield c


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def journal(admin: httpx.Client, **filters: Any) -> list[dict[str, Any]]:
    return ok(admin.get("/journal", params={"full": True, **filters}))


def walk_snapshot(admin: httpx.Client, service: str, name: str) -> None:
    """Save ``service`` as ``name``, export it and import it back under a second name (the file round trip)."""
    ok(admin.post("/snapshots", json={"name": name, "services": [service]}), 201)
    exported = admin.get(f"/snapshots/{name}")
    assert exported.headers["content-type"] == "application/gzip"
    headers = {"Content-Type": "application/gzip"}
    assert ok(admin.put(f"/snapshots/{name}-copy", content=exported.content, headers=headers))["services"] == [service]


def test_the_admin_surface_is_authenticated_and_documented(server: LiveServer, http: httpx.Client) -> None:
    refused = http.get("/_bodata/services", headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert http.get("/_bodata/journal").status_code == 401
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/_bodata/reset", "/_bodata/snapshots", "/_bodata/clock", "/_bodata/faults", "/_bodata/journal"} <= set(
        paths
    )


def test_portal_seed_journal_fault_clock_snapshot_reset_restore(admin: httpx.Client, http: httpx.Client) -> None:
    assert ok(admin.post("/reset", json={"services": ["portal"]}))["to"] == "seed"
    ok(admin.delete("/journal"), 204)
    # seed + run: the seeded tenant logs in with the seeded API key
    key = ok(http.post("/portal/session/login", json=ANNA, params={"ApiNyckel": PORTAL_KEY}))["Sessionsnyckel"]
    session = ok(http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY}))
    assert "15555" in json.dumps(session, ensure_ascii=False)
    # journal: the login with its operation and status, the password, API key and session key never in it
    entries = journal(admin, service="portal", operation="login")
    assert [(entry["operation"], entry["status"]) for entry in entries] == [("POST /portal/session/login", 200)]
    everything = json.dumps(journal(admin), ensure_ascii=False)
    for secret in ("anna-losenord-1", PORTAL_KEY, key):
        assert secret not in everything
    # a fault for one operation, once, as a Felmeddelande
    rule = ok(
        admin.post(
            "/faults",
            json={
                "service": "portal",
                "operation": "GET /portal/session/*",
                "status": 503,
                "code": "TjanstenNere",
                "message": "Underhåll pågår.",
                "times": 1,
            },
        ),
        201,
    )
    faulted = http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY})
    assert (faulted.status_code, faulted.json()["Felkod"]) == (503, "TjanstenNere")
    assert http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY}).status_code == 200
    assert ok(admin.get("/faults")) == []
    assert journal(admin, service="portal", status=503)[0]["fault_rule"] == rule["id"]
    # snapshot with the session open
    walk_snapshot(admin, "portal", "portal-open")
    # the clock past the session's 30 minutes: the key is no longer valid
    ok(admin.post("/clock", json={"action": "advance", "seconds": 31 * 60, "service": "portal"}))
    expired = http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY})
    assert (expired.status_code, expired.json()["Felkod"]) == (401, "SessionOgiltig")
    ok(admin.post("/clock", json={"action": "release", "service": "portal"}))
    # reset: the session is gone; restore the copy of the snapshot: it is back
    ok(admin.post("/reset", json={"services": ["portal"]}))
    assert http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY}).status_code == 401
    assert ok(admin.post("/snapshots/portal-open-copy/restore"))["services"] == ["portal"]
    assert http.get(f"/portal/session/{key}", params={"ApiNyckel": PORTAL_KEY}).status_code == 200


def hr_client(server: LiveServer) -> zeep.Client:
    return zeep.Client(f"{server.url}/huslejeregister/v3?wsdl", wsse=UsernameToken("strandbo", "strandbo-kode-1"))


def organisation_text(client: zeep.Client) -> str:
    structures = client.service.BoligorganisationHent(BoligorganisationIdentifikationStruktur=ORG)
    submitted = next(item for item in structures if not item.KladdeIndikator)
    return submitted.BoligorganisationVersionStruktur[-1].BoligorganisationBeskrivelseTekst


ORG = {"BoligorganisationIdentifikator": 2001}


def report(client: zeep.Client, versions: list[dict[str, Any]]) -> list[int]:
    """BoligorganisationRet as a submission; the numbers of its errors and infos."""
    result = client.service.BoligorganisationRet(
        BoligorganisationStruktur={
            "BoligorganisationIdentifikationStruktur": ORG,
            "KladdeIndikator": False,
            "BoligorganisationVersionStruktur": versions,
        }
    )
    found = [*(result.ValideringsfejlStruktur or []), *(result.ValideringsinfoStruktur or [])]
    return [item.ResultatStruktur.ResultatKode for item in found]


def test_huslejeregister_over_zeep(server: LiveServer, admin: httpx.Client) -> None:
    ok(admin.post("/reset", json={"services": ["huslejeregister"]}))
    client = hr_client(server)
    assert organisation_text(client) == "Strandbo."
    # journal: the SOAP operation's name, the UsernameToken's password redacted
    entry = journal(admin, service="huslejeregister", operation="BoligorganisationHent")[0]
    assert entry["status"] == 200
    assert entry["caller"] == "strandbo"
    assert "strandbo-kode-1" not in entry["request_body"]
    assert "***" in entry["request_body"]
    # a SOAP Fault for one operation; another operation is untouched
    ok(
        admin.post(
            "/faults",
            json={
                "service": "huslejeregister",
                "operation": "BoligorganisationHent",
                "status": 500,
                "message": "Registret er midlertidigt utilgængeligt.",
            },
        ),
        201,
    )
    with pytest.raises(zeep.exceptions.Fault, match="midlertidigt utilgængeligt"):
        organisation_text(client)
    assert client.service.AfdelingList(BoligorganisationIdentifikationStruktur=ORG)
    assert journal(admin, service="huslejeregister", status=500)[0]["outcome"] == ["faultcode soap:Server"]
    ok(admin.delete("/faults"))
    # a version that starts in the future is overwritten (info 5005) until the clock passes its start
    future = datetime.now(UTC).replace(microsecond=0) + timedelta(days=365)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    two = [
        {"VirkningFraDatoTid": start, "VirkningTilDatoTid": future, "BoligorganisationBeskrivelseTekst": "Nu."},
        {"VirkningFraDatoTid": future, "BoligorganisationBeskrivelseTekst": "Senere."},
    ]
    one = [{"VirkningFraDatoTid": start, "BoligorganisationBeskrivelseTekst": "Samlet."}]
    assert report(client, two) == []
    assert report(client, one) == [5005]
    assert "ResultatKode 5005" in journal(admin, service="huslejeregister", operation="Ret")[0]["outcome"]
    ok(admin.post("/clock", json={"action": "advance", "seconds": 2 * 365 * 86400, "service": "huslejeregister"}))
    assert report(client, two) == []
    assert report(client, one) == []
    ok(admin.post("/clock", json={"action": "release", "service": "huslejeregister"}))
    # snapshot, reset to the seed, restore
    walk_snapshot(admin, "huslejeregister", "hr-samlet")
    ok(admin.post("/reset", json={"services": ["huslejeregister"]}))
    assert organisation_text(client) == "Strandbo."
    ok(admin.post("/snapshots/hr-samlet/restore"))
    assert organisation_text(client) == "Samlet."


def test_inskrivning_with_its_client_and_fetch(
    server: LiveServer, admin: httpx.Client, http: httpx.Client, tmp_path: Path
) -> None:
    ok(admin.post("/reset", json={"services": ["inskrivning"]}))
    # seed: the spec's example response, as a response file is a seed file
    response = json.dumps(inskrivning_response_json(), ensure_ascii=False).encode()
    assert (
        "2 registrations stored"
        in ok(admin.post("/seed", params={"name": "spec.json"}, content=response))["applied"][0]
    )
    base = f"{server.url}{INSKRIVNING}"
    with InskrivningClient(base, "my-app", "my-app-secret-1") as client:
        assert [str(item.objektidentitet) for item in client.get(FEATURE_ID)] == [FEATURE_ID]
        entry = journal(admin, service="inskrivning", operation="GET")[0]
        assert entry["operation"] == f"GET {INSKRIVNING}/{{id}}"
        assert entry["status"] == 200
        assert ("authorization", "***") in [tuple(pair) for pair in entry["request_headers"]]
        # a Lantmäteriet Fault for POST / only
        ok(
            admin.post(
                "/faults",
                json={
                    "service": "inskrivning",
                    "operation": f"POST {INSKRIVNING}/",
                    "status": 503,
                    "message": "Tjänsten är inte tillgänglig.",
                },
            ),
            201,
        )
        with pytest.raises(InskrivningError) as refused:
            client.get_many([FEATURE_ID])
        assert refused.value.fault is not None
        assert refused.value.fault.code == 503
        assert client.get(FEATURE_ID)
        ok(admin.delete("/faults"))
    # the clock past the token's lifetime: the token is refused
    token = ok(http.post("/token", data={"grant_type": "client_credentials"}, auth=("my-app", "my-app-secret-1")))
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert http.get(f"{INSKRIVNING}/{FEATURE_ID}", headers=bearer).status_code == 200
    ok(admin.post("/clock", json={"action": "advance", "seconds": token["expires_in"] + 60}))
    assert http.get(f"{INSKRIVNING}/{FEATURE_ID}", headers=bearer).status_code == 401
    ok(admin.post("/clock", json={"action": "release"}))
    # snapshot holding the example, reset (the seed has no such registration), restore
    walk_snapshot(admin, "inskrivning", "lm-example")
    ok(admin.post("/reset", json={"services": ["inskrivning"]}))
    with InskrivningClient(base, "my-app", "my-app-secret-1") as client:
        assert client.get(FEATURE_ID) == []
        ok(admin.post("/snapshots/lm-example/restore"))
        assert len(client.get(FEATURE_ID)) == 1
    # `bodata inskrivning fetch` with this server as "Lantmäteriet", into a developer's own register
    with scratch_database_url("sqlite", tmp_path, content="schema") as local:
        result = CliRunner().invoke(
            bodata_cli,
            [
                "inskrivning",
                "fetch",
                FEATURE_ID,
                "--url",
                base,
                "--client-id",
                "my-app",
                "--client-secret",
                "my-app-secret-1",
            ],
            env={"BODATA_DATABASE_URL": local},
        )
        assert result.exit_code == 0, result.output
        assert "1 registrations stored" in result.output
        database = Database(create_database_engine(local))
        try:
            with database.transaction(write=False) as session:
                assert [str(row.objektidentitet) for row in list_registrations(session)] == [FEATURE_ID]
        finally:
            database.dispose()


def test_axema_stand_in(admin: httpx.Client, http: httpx.Client) -> None:
    ok(admin.post("/reset", json={"services": ["axema-sim"]}))
    token = ok(http.post("/axema-sim/api/v1/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo")))
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    groups = ok(http.get("/axema-sim/api/v1/organisation-groups", headers=bearer))
    assert [group["referenceId"] for group in groups["items"]] == ["1101", "1102"]
    entry = journal(admin, service="axema-sim", operation="organisation-groups")[0]
    assert (entry["operation"], entry["status"]) == ("GET /axema-sim/api/v1/organisation-groups", 200)
    # a fault on the persons listing only, in the Axema API's error format
    ok(
        admin.post(
            "/faults",
            json={
                "service": "axema-sim",
                "operation": "GET /axema-sim/api/v1/persons",
                "status": 503,
                "code": "temporarily_unavailable",
                "latency_ms": 50,
            },
        ),
        201,
    )
    failed = http.get("/axema-sim/api/v1/persons", headers=bearer)
    assert (failed.status_code, failed.json()["error"]) == (503, "temporarily_unavailable")
    assert journal(admin, service="axema-sim", status=503)[0]["fault_rule"] is not None
    ok(admin.delete("/faults"))
    # the clock past the token's hour
    ok(admin.post("/clock", json={"action": "advance", "seconds": 2 * 3600, "service": "axema-sim"}))
    assert http.get("/axema-sim/api/v1/persons", headers=bearer).status_code == 401
    ok(admin.post("/clock", json={"action": "release", "service": "axema-sim"}))
    # a third apartment, snapshot, reset (two again), restore (three)
    ok(http.post("/axema-sim/sim/groups", json={"name": "Lgh 1103", "referenceId": "1103"}, auth=("demo", "demo")), 201)
    walk_snapshot(admin, "axema-sim", "axema-three")
    ok(admin.post("/reset", json={"services": ["axema-sim"]}))
    assert ok(http.get("/axema-sim/sim/state", auth=("demo", "demo")))["groups"] == 2
    ok(admin.post("/snapshots/axema-three/restore"))
    assert ok(http.get("/axema-sim/sim/state", auth=("demo", "demo")))["groups"] == 3


def test_the_cli_against_the_server(server: LiveServer, tmp_path: Path) -> None:
    """`bodata stand-in` over HTTP: status, reset, a snapshot's round trip, the clock, faults, the journal as HAR."""
    runner, env = CliRunner(), {"BODATA_STANDIN_URL": server.url, "BODATA_STANDIN_TOKEN": TOKEN, "COLUMNS": "200"}

    def run(*args: str) -> str:
        result = runner.invoke(bodata_cli, ["stand-in", *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    assert "huslejeregister" in run("status")
    assert "reset portal to empty" in run("reset", "portal", "--empty")
    assert "reset portal to seed" in run("reset", "portal")
    run("snapshot", "save", "cli-1", "--service", "portal")
    run("snapshot", "export", "cli-1", str(tmp_path / "cli-1.gz"))
    run("snapshot", "import", str(tmp_path / "cli-1.gz"), "--name", "cli-2")
    assert "cli-2" in run("snapshot", "list")
    run("snapshot", "restore", "cli-2")
    run("snapshot", "delete", "cli-2")
    assert "2030-01-01T00:00:00+00:00" in run("clock", "set", "2030-01-01T00:00:00Z", "--freeze")
    run("clock", "release")
    run("faults", "add", "portal", "GET /portal/*", "--status", "500", "--times", "1")
    assert "GET /portal/*" in run("faults", "list")
    run("faults", "remove")
    run("journal", "har", str(tmp_path / "journal.har"))
    assert json.loads((tmp_path / "journal.har").read_text())["log"]["version"] == "1.2"
    wrong = runner.invoke(bodata_cli, ["stand-in", "status"], env={**env, "BODATA_STANDIN_TOKEN": "wrong"})
    assert wrong.exit_code == 1
    assert "401" in wrong.output
