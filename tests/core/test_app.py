"""The composed app in-process: platform routes, service mounting, error formats, limits, transactions."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bodata.app import create_app
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import head_revision

from .sample_service import SAMPLE, Note, SampleBase


def make_client(database: Database, **settings: object) -> TestClient:
    app = create_app(Settings(secret_key="test-key", **settings), services=[SAMPLE], database=database)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(database: Database) -> TestClient:
    SampleBase.metadata.create_all(database.engine)
    return make_client(database)


def note_count(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Note))


def test_readiness_reports_database_and_schema(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["schema"] == head_revision()


def test_readiness_is_unavailable_on_an_unmigrated_database_but_liveness_is_not(empty_database: Database) -> None:
    client = make_client(empty_database)
    response = client.get("/ready")
    assert response.status_code == 503
    assert "bodata db upgrade" in response.json()["detail"]
    assert client.get("/health").json()["status"] == "ok"  # the process lives: liveness asks no database


def test_index_lists_mounted_services(client: TestClient) -> None:
    services = client.get("/").json()["services"]
    assert services == [
        {"name": "sample", "title": "Sample service", "path": "/sample", "links": {"notes": "/sample/notes"}}
    ]


def test_unknown_platform_path_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:bodata:error:not_found"
    assert response.json()["instance"] == "/no/such/thing"


def test_wrong_method_names_the_allowed_ones(client: TestClient) -> None:
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_errors_under_a_service_come_in_its_own_format(client: TestClient) -> None:
    response = client.get("/sample/unknown")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/xml"
    assert response.text.startswith("<Fault><code>not_found</code>")


def test_a_request_is_one_transaction(client: TestClient, database: Database) -> None:
    assert client.post("/sample/notes", content=b"kept").status_code == 200
    rejected = client.post("/sample/notes?fail=after-write", content=b"rolled back")
    assert rejected.status_code == 409
    assert "<code>rejected</code>" in rejected.text
    assert client.get("/sample/notes").json() == ["kept"]
    assert note_count(database) == 1


def test_database_error_is_an_error_and_saves_nothing(client: TestClient) -> None:
    assert client.post("/sample/notes", content=b"unique").status_code == 200
    duplicate = client.post("/sample/notes", content=b"unique")  # the unique constraint fails
    assert duplicate.status_code == 500
    assert "<code>internal_error</code>" in duplicate.text
    assert client.get("/sample/notes").json() == ["unique"]


def test_unexpected_fault_leaks_nothing(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bodata.request"):
        response = client.post("/sample/notes?fail=crash", content=b"x")
    assert response.status_code == 500
    assert "<code>internal_error</code>" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    logged = [record for record in caplog.records if record.getMessage() == "unhandled error"]
    assert logged
    assert "secret internal detail" in str(logged[0].exc_info[1])


def test_body_over_the_declared_limit_is_refused_before_reading(client: TestClient, database: Database) -> None:
    response = client.post("/sample/notes", content=b"x" * 1001)
    assert response.status_code == 413
    assert "<code>body_too_large</code>" in response.text
    assert note_count(database) == 0


def test_streamed_body_over_the_limit_is_refused(client: TestClient, database: Database) -> None:
    def chunks():
        for _ in range(20):
            yield b"y" * 100

    response = client.post("/sample/notes", content=chunks())  # chunked: no Content-Length
    assert response.status_code == 413
    assert note_count(database) == 0


def test_platform_limit_applies_outside_services(database: Database) -> None:
    response = make_client(database, max_body_bytes=10).post("/health", content=b"z" * 11)
    assert response.status_code == 413
    assert response.json()["type"] == "urn:bodata:error:body_too_large"


def test_request_ids_are_echoed_or_made(client: TestClient) -> None:
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    made = client.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert made != "bad id with spaces"
    assert len(made) == 32


def test_each_request_is_logged_with_structure(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bodata.request"):
        client.get("/sample/notes", headers={"X-Request-ID": "req-1"})
    record = next(record for record in caplog.records if getattr(record, "request_id", None) == "req-1")
    assert (record.method, record.path, record.status, record.service) == ("GET", "/sample/notes", 200, "sample")
    assert record.duration_ms >= 0


def test_validation_errors_list_each_problem(database: Database) -> None:
    from fastapi import FastAPI

    from bodata.core.service import Service

    def create_typed_app() -> FastAPI:
        app = FastAPI()

        @app.get("/square")
        def square(n: int) -> int:
            return n * n

        return app

    typed = Service(name="typed", title="Typed", prefix="/typed", create_app=create_typed_app)
    client = TestClient(create_app(Settings(secret_key="k"), services=[typed], database=database))
    assert client.get("/typed/square", params={"n": 4}).json() == 16
    response = client.get("/typed/square", params={"n": "four"})
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("query.n:")
