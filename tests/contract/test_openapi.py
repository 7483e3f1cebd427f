"""Every OpenAPI document the server publishes holds: a bounded schemathesis run per document (issue 15, item 9).

A few generated requests per operation, in-process on SQLite, with valid credentials so calls get past the door:
no answer is a 500 and every answer with a documented schema conforms to it. Kept small on purpose (about a minute
for all four documents); run more examples with ``--hypothesis-seed`` and a higher ``CONTRACT_EXAMPLES`` locally.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bodata.app import create_app
from bodata.boenderegister import service as boenderegister
from bodata.core.config import Settings
from bodata.core.db import Database, create_database_engine
from bodata.core.db.migrate import upgrade
from bodata.inskrivning import service as inskrivning
from bodata.portal import service as portal

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "2"))
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
INSKRIVNING = "/distribution/produkter/inskrivning/v3"
CHECKS = [not_a_server_error, response_schema_conformance]
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The whole app on a migrated SQLite file, with a credential for each interface."""
    path: Path = tmp_path_factory.mktemp("contract") / "contract.db"
    database = Database(create_database_engine(f"sqlite:///{path}"))
    upgrade(database.engine)
    with database.transaction() as session:
        account = boenderegister.create_account(session, name="Brf Kontrakt", now=NOW)
        register_token = boenderegister.issue_api_token(session, account=account, name="contract", now=NOW)
        api_key = portal.add_api_key(session, name="contract", now=NOW)
        staff = portal.add_staff_token(session, name="contract", now=NOW)
        inskrivning.add_client(session, "contract", secret="contract-secret", now=NOW)
    app = create_app(Settings(secret_key="contract", scheduler=False), database=database)
    client = TestClient(app)
    token = client.post(
        "/token", data={"grant_type": "client_credentials"}, auth=("contract", "contract-secret")
    ).json()["access_token"]
    yield {
        "app": app,
        "headers": {
            "/boenderegister": {"Authorization": f"Bearer {register_token}"},
            "/portal": {"ApiNyckel": api_key, "Authorization": f"Bearer {staff}"},
            INSKRIVNING: {"Authorization": f"Bearer {token}"},
            "": {},
        },
    }
    database.dispose()


def _run_document(server: dict[str, Any], prefix: str) -> tuple[int, int, list[str]]:
    """Run every operation of ``{prefix}/openapi.json``: (operations, cases, failures)."""
    schema = schemathesis.openapi.from_asgi(f"{prefix}/openapi.json", server["app"])
    headers = server["headers"][prefix]
    operations, cases, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @BOUNDED
        def run(case: Any) -> None:
            nonlocal cases
            cases += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:
            failures.append(f"{operation.label}: {str(error).strip().splitlines()[0][:300]}")
    print(f"{prefix or '/'}: {operations} operations, {cases} cases")
    return operations, cases, failures


@pytest.mark.parametrize("prefix", ["", "/boenderegister", "/portal", INSKRIVNING])
def test_each_published_openapi_document_holds(server: dict[str, Any], prefix: str) -> None:
    operations, cases, failures = _run_document(server, prefix)
    assert operations > 0
    assert cases >= operations
    assert failures == []
