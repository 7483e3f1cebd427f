"""What an operator and a browser see of the platform in-process: HEAD, CORS, metrics, offline API docs."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from bodata.app import create_app
from bodata.core.config import ConfigError, Settings
from bodata.core.db import Database
from bodata.core.logging import configure_logging

from .sample_service import SAMPLE, SampleBase

pytestmark = pytest.mark.sqlite_only
APP_ORIGIN = "https://app.example.org"


def client_for(database: Database, **settings: object) -> TestClient:
    SampleBase.metadata.create_all(database.engine)
    return TestClient(create_app(Settings(secret_key="k", **settings), services=[SAMPLE], database=database))


def test_head_answers_wherever_get_does_with_headers_and_no_body(database: Database) -> None:
    client = client_for(database)
    client.post("/sample/notes", content=b"a note")
    for path in ("/health", "/ready", "/sample/notes", "/docs", "/openapi.json", "/sample/openapi.json"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-length"] == str(len(got.content))
        assert head.headers["content-type"] == got.headers["content-type"]
    missing = client.head("/sample/nothing-here")
    assert missing.status_code == 404
    assert missing.content == b""
    assert client.head("/sample/nothing-here").headers["content-type"] == "application/xml"  # the service's format


def test_cors_is_off_unless_a_service_names_the_origins(database: Database) -> None:
    preflight = {"Origin": APP_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x"}
    closed = client_for(database)
    refused = closed.options("/sample/notes", headers=preflight)
    assert refused.status_code == 405
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in closed.get("/sample/notes", headers={"Origin": APP_ORIGIN}).headers

    opened = client_for(database, cors_origins=f"sample={APP_ORIGIN}")
    answered = opened.options("/sample/notes", headers={**preflight, "Access-Control-Request-Headers": "apinyckel"})
    assert answered.status_code == 200
    assert answered.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "POST" in answered.headers["access-control-allow-methods"]
    assert answered.headers["access-control-allow-headers"] == "apinyckel"
    assert "access-control-allow-credentials" not in answered.headers
    simple = opened.get("/sample/notes", headers={"Origin": APP_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
    other = opened.options("/sample/notes", headers={**preflight, "Origin": "https://evil.example"})
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in opened.get("/health", headers={"Origin": APP_ORIGIN}).headers

    with pytest.raises(ConfigError, match="names 'portal', which is not a service here"):
        client_for(database, cors_origins=f"portal={APP_ORIGIN}")


def sample_value(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when it is absent)."""
    wanted = name + "{" + ",".join(f'{key}="{value}"' for key, value in sorted(labels.items())) + "}"
    for line in text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_service_operation_and_status(database: Database) -> None:
    client = client_for(database)

    def scrape() -> str:
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=")
        return response.text

    notes = {"service": "sample", "operation": "GET /notes", "status": "200"}
    before = scrape()
    for _ in range(3):
        client.get("/sample/notes")
    client.post("/sample/notes", content=b"x" * 2000)  # over the sample's limit: 413
    client.get("/sample/no/such/path")
    client.head("/health")
    after = scrape()
    assert (
        sample_value(after, "bodata_requests_total", **notes) - sample_value(before, "bodata_requests_total", **notes)
        == 3
    )
    for labels in (
        {"service": "sample", "operation": "unmatched", "status": "413"},  # refused before routing
        {"service": "sample", "operation": "unmatched", "status": "404"},
        {"service": "platform", "operation": "HEAD /health", "status": "200"},
    ):
        assert sample_value(after, "bodata_requests_total", **labels) >= 1, labels
    latency = {"service": "sample", "operation": "GET /notes"}
    assert sample_value(after, "bodata_request_duration_seconds_count", **latency) >= 3
    for family in ("bodata_integration_runs", "bodata_rent_runs", "bodata_journal_entries"):  # counted elsewhere
        assert f"# TYPE {family}" in after

    assert client_for(database, metrics=False).get("/metrics").status_code == 404


def test_api_docs_work_offline_from_one_index(database: Database) -> None:
    client = client_for(database)
    index = client.get("/docs")
    assert index.status_code == 200
    for link in ('href="/sample/docs"', 'href="/sample/redoc"', 'href="/sample/openapi.json"', 'href="/sample/notes"'):
        assert link in index.text
    assert 'href="/docs/platform"' in index.text
    for page, script in (
        ("/sample/docs", "swagger-ui/swagger-ui-bundle.js"),
        ("/sample/redoc", "redoc/redoc.standalone.js"),
    ):
        html = client.get(page).text
        assert f'src="/docs/assets/{script}"' in html
        assert "'/sample/openapi.json'" in html or '"/sample/openapi.json"' in html
        assert "cdn." not in html
        assert "fonts.googleapis" not in html
        asset = client.get(f"/docs/assets/{script}")
        assert asset.status_code == 200
        assert len(asset.content) > 100_000
    assert client.get("/docs/assets/swagger-ui/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/docs/assets/swagger-ui/LICENSE").status_code == 200
    assert client.get("/docs/assets/redoc/LICENSE").status_code == 200


def test_text_logs_for_people_and_quiet_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    """A terminal gets readable lines; APScheduler's per-tick lines and httpx's per-call lines stay out at INFO."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO", "text")
        logging.getLogger("bodata.request").info("GET /health 200", extra={"duration_ms": 1.5, "request_id": "r"})
        logging.getLogger("apscheduler.executors.default").info('Running job "tick"')
        logging.getLogger("httpx").info("HTTP Request: GET http://axema.example/persons?token=x")
        logging.getLogger("bodata.boenderegister.sync").warning("integration 3 failed")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    assert re.fullmatch(r"\d\d:\d\d:\d\d INFO    bodata\.request: GET /health 200 \(1\.5 ms\)", lines[0])
    assert lines[1].endswith("WARNING bodata.boenderegister.sync: integration 3 failed")
