"""``bodata serve`` as a real process on loopback, spoken to by httpx over TCP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bodata.core.db import Database, create_database_engine
from bodata.core.demo import SeedRun

from ..live import LiveServer, start_live_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live_server(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module's tests that only ask it questions."""
    server = start_live_server(database_url=module_database_url, workdir=tmp_path_factory.mktemp("server"))
    try:
        yield server
    finally:
        server.stop()


def test_serve_migrates_and_answers_health(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
    for path in ("/health", "/ready", "/docs", "/portal/openapi.json"):  # uvicorn holds HEAD to no body
        head = httpx.head(f"{live_server.url}{path}", timeout=60)  # the first OpenAPI document is built on demand
        assert head.status_code == 200, path
        assert head.content == b""
        assert int(head.headers["content-length"]) > 0
    assert "without completing response" not in live_server.log()


def test_bad_input_gets_clean_errors_over_the_wire(live_server: LiveServer) -> None:
    unknown = httpx.get(f"{live_server.url}/does-not-exist")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    oversized = httpx.post(f"{live_server.url}/health", content=b"x" * (10 * 1024 * 1024 + 1))
    assert oversized.status_code == 413
    assert oversized.json()["type"] == "urn:bodata:error:body_too_large"
    for response in (unknown, oversized):
        assert "Traceback" not in response.text


def test_requests_are_logged_as_json(live_server: LiveServer) -> None:
    httpx.get(f"{live_server.url}/health", headers={"X-Request-ID": "e2e-log-check"})
    lines: list[str] = []
    for _ in range(1200):  # the access log is written just after the response: wait for it (a guard, not a deadline)
        lines = [line for line in live_server.log().splitlines() if "e2e-log-check" in line]
        if lines:
            break
        time.sleep(0.05)
    assert lines
    assert '"path": "/health"' in lines[0]
    assert '"status": 200' in lines[0]


def test_restart_on_an_existing_database_keeps_the_data(empty_database_url: str, tmp_path: Path) -> None:
    first = start_live_server(database_url=empty_database_url, workdir=tmp_path)
    first.stop()
    database = Database(create_database_engine(empty_database_url))
    with database.transaction() as session:
        session.add(SeedRun(name="marker", version=7, applied_at=datetime.now(UTC)))
    second = start_live_server(database_url=empty_database_url, workdir=tmp_path)
    try:
        assert httpx.get(f"{second.url}/health").json()["status"] == "ok"
    finally:
        second.stop()
    with database.transaction() as session:
        assert session.get(SeedRun, "marker").version == 7
    database.dispose()


def test_several_workers_serve_one_database(demo_database_url: str, tmp_path: Path) -> None:
    # Not --demo: demo mode turns the stand-in controls on, and they serve with one worker.
    server = start_live_server(database_url=demo_database_url, workdir=tmp_path, args=("--workers", "2"))
    try:
        statuses = {httpx.get(f"{server.url}/health", timeout=60).status_code for _ in range(20)}  # new connections
        metrics = httpx.get(f"{server.url}/metrics", timeout=60).text  # every worker's counts, added up
        assert statuses == {200}
        assert 'bodata_requests_total{operation="GET /health",service="platform",status="200"} 20.0' in metrics
    finally:
        server.stop()
