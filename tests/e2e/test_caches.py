"""The request path's caches stay true across two server processes on one database (issue 16).

Each ``bodata serve`` remembers token lookups and rendered Inskrivning answers; a revocation, a new registration
version or an If-None-Match must be seen by both at once. The walk: a token used on both servers (so both cache it),
the answer's ETag the same on both and a 304 for it, a changed registration served fresh by both with a new ETag,
then the client removed by the register's own code and its token refused by both at the next request.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bodata.core.db import Database, create_database_engine
from bodata.inskrivning import service
from bodata.inskrivning.generator import GeneratedProperty, generate_register
from bodata.inskrivning.service_entry import PREFIX

from ..live import LiveServer, start_live_server

pytestmark = pytest.mark.e2e
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def register(module_database_url: str) -> Iterator[tuple[Database, list[GeneratedProperty]]]:
    database = Database(create_database_engine(module_database_url))
    properties = list(generate_register(3, seed=16, now=NOW - timedelta(days=2)))
    with database.transaction() as session:
        service.add_client(session, "cache-test", secret="s", now=NOW)
        service.load_generated(session, properties)
    yield database, properties
    database.dispose()


@pytest.fixture(scope="module")
def servers(register: object, module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list]:
    """Two ``bodata serve`` processes on the one database (started side by side), as httpx clients."""
    workdirs = [tmp_path_factory.mktemp(f"server-{name}") for name in ("a", "b")]
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(start_live_server, database_url=module_database_url, workdir=w) for w in workdirs]
    started: list[LiveServer] = [future.result() for future in futures if future.exception() is None]
    try:
        if len(started) < 2:
            raise next(future.exception() for future in futures if future.exception() is not None)
        clients = [httpx.Client(base_url=server.url, timeout=60) for server in started]
        yield clients
        for client in clients:
            client.close()
    finally:
        for server in started:
            server.stop()


def _get(client: httpx.Client, key: uuid.UUID, token: str, **headers: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", **headers}
    return client.get(f"{PREFIX}/{key}", params={"includeData": "total"}, headers=headers)


def test_tokens_and_answers_are_cached_and_invalidated_across_two_servers(
    register: tuple[Database, list[GeneratedProperty]], servers: list[httpx.Client]
) -> None:
    database, properties = register
    first = servers[0]
    key = properties[0].inskrivning_id
    granted = first.post("/token", data={"grant_type": "client_credentials"}, auth=("cache-test", "s"))
    token = granted.json()["access_token"]

    answers = [_get(client, key, token) for client in servers for _ in range(2)]
    assert {response.status_code for response in answers} == {200}
    assert len({response.headers["etag"] for response in answers}) == 1
    assert len({response.content for response in answers}) == 1
    etag = answers[0].headers["etag"]
    for client in servers:
        unchanged = _get(client, key, token, **{"If-None-Match": f'"other", {etag}'})
        assert (unchanged.status_code, unchanged.content, unchanged.headers["etag"]) == (304, b"", etag)
        assert _get(client, key, token, **{"If-None-Match": '"other"'}).status_code == 200
    xml = _get(first, key, token, Accept="application/xml")
    assert xml.status_code == 200
    assert xml.headers["etag"] != etag
    past = first.get(
        f"{PREFIX}/{key}",
        params={"includeData": "total", "instant": int((NOW - timedelta(days=1)).timestamp() * 1000)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert past.status_code == 200
    assert "etag" not in past.headers

    document = copy.deepcopy(properties[0].history[-1].document)
    document["fastighetsreferens"]["beteckning"] = "Uppsala Cachegränd 16:1"
    with database.transaction() as session:
        service.store_registration(session, document, datetime.now(UTC))
    for client in servers:
        fresh = _get(client, key, token, **{"If-None-Match": etag})
        assert fresh.status_code == 200
        assert fresh.headers["etag"] != etag
        assert (
            fresh.json()["features"][0]["properties"]["fastighetsreferens"]["beteckning"] == "Uppsala Cachegränd 16:1"
        )

    with database.transaction() as session:
        assert service.remove_client(session, "cache-test")
    for client in servers:
        refused = _get(client, key, token)
        assert refused.status_code == 401
        assert "invalid or has expired" in refused.json()["errors"][0]
