"""InskrivningClient against a live ``bodata serve``: tokens, both formats, batching, refresh and Faults."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from bodata.core.db import Database, create_database_engine
from bodata.inskrivning import service
from bodata.inskrivning.client import InskrivningClient, InskrivningError
from bodata.inskrivning.datatypes import Fastighetsreferens, Inskrivningsinformation
from bodata.inskrivning.documents import to_typed
from bodata.inskrivning.generator import GeneratedProperty
from bodata.inskrivning.models import AccessToken
from bodata.inskrivning.selection import TOTAL, select
from bodata.inskrivning.service_entry import PREFIX

from ..live import LiveServer, start_live_server
from .world import store_register

pytestmark = pytest.mark.e2e

FORMATS = ("json", "xml")


class Recorder(httpx.BaseTransport):
    """Real HTTP, recording (method, path, status) of every exchange; can shorten the tokens' ``expires_in``."""

    def __init__(self, token_lifetime: int | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.token_lifetime = token_lifetime
        self.calls: list[tuple[str, str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.calls.append((request.method, request.url.path, response.status_code))
        if self.token_lifetime is not None and request.url.path == "/token" and response.status_code == 200:
            response.read()
            response = httpx.Response(200, json={**response.json(), "expires_in": self.token_lifetime})
        return response

    def close(self) -> None:
        self.inner.close()

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p, _ in self.calls if (m, p) == (method, path))


Connect = Callable[..., tuple[InskrivningClient, Recorder]]


@pytest.fixture(scope="module")
def database(module_database_url: str) -> Iterator[Database]:
    """One database for the module: the tests only read the register (and revoke their own tokens)."""
    database = Database(create_database_engine(module_database_url))
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def register(database: Database) -> list[GeneratedProperty]:
    """40 generated registrations and the API client c1/s1, stored before the server starts."""
    return store_register(database, 40, seed=1)


@pytest.fixture(scope="module")
def live_server(
    register: list[GeneratedProperty], module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server for the module, started on the stored register."""
    server = start_live_server(database_url=module_database_url, workdir=tmp_path_factory.mktemp("inskrivning-client"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def connect(live_server: LiveServer) -> Iterator[Connect]:
    """Makes clients of the live server, each over its own recording transport; closes them afterwards."""
    opened: list[httpx.Client] = []

    def make(
        format: str = "json",
        *,
        secret: str = "s1",  # noqa: S107  (the test client's secret)
        scope: str = service.SCOPE,
        token_lifetime: int | None = None,
    ) -> tuple[InskrivningClient, Recorder]:
        recorder = Recorder(token_lifetime)
        http = httpx.Client(transport=recorder)
        opened.append(http)
        client = InskrivningClient(live_server.url + PREFIX, "c1", secret, format=format, scope=scope, http=http)
        return client, recorder

    yield make
    for http in opened:
        http.close()


def _expected(document: dict[str, Any]) -> Inskrivningsinformation:
    """What ``includeData=total`` answers for a stored document, typed."""
    return to_typed(Inskrivningsinformation, select(document, TOTAL, exclude_personid=False))


def _mortgages(document: dict[str, Any]) -> list[str]:
    return [
        entry["inskrivenBelastning"]["objektidentitet"]
        for entry in document.get("belastar", ())
        if entry["inskrivenBelastning"]["typ"] == "Inteckning"
    ]


def test_token_is_fetched_once_and_reused(connect: Connect, live_server: LiveServer) -> None:
    client, recorder = connect()
    assert client.token_url == f"{live_server.url}/token"
    assert client.base_url == live_server.url + PREFIX
    for _ in range(3):
        assert client.get(uuid.uuid4()) == []
    assert recorder.count("POST", "/token") == 1
    assert [status for _, _, status in recorder.calls] == [200, 200, 200, 200]


def test_the_operations_give_equal_typed_results_in_json_and_xml(
    connect: Connect, register: list[GeneratedProperty]
) -> None:
    first, second = register[0], register[1]
    mortgage, encumbered = next(
        (m, {p.fastighet_id for p in register if m in _mortgages(p.history[-1].document)})
        for p in register
        for m in _mortgages(p.history[-1].document)
    )
    answers = {}
    for format in FORMATS:
        client, recorder = connect(format)
        answers[format] = {
            "get": client.get(first.inskrivning_id, include_data=["total"]),
            "get_plain": client.get(str(first.inskrivning_id).upper()),
            "get_many": client.get_many([second.inskrivning_id, str(first.inskrivning_id)], include_data="total"),
            "by_property": client.get_by_property(first.fastighet_id, include_data=["total"]),
            "many_by_property": client.get_many_by_property(
                [second.fastighet_id, first.fastighet_id], include_data=["inskrivningsfastighet", "inteckning"]
            ),
            "encumbered": client.encumbered_properties(mortgage),
            "unknown_mortgage": client.encumbered_properties(uuid.uuid4()),
        }
        assert recorder.count("POST", "/token") == 1
    assert answers["json"] == answers["xml"]
    answer = answers["json"]
    assert answer["get"] == [_expected(first.history[-1].document)]
    first_reference = Fastighetsreferens(objektidentitet=first.fastighet_id, beteckning=first.beteckning)
    plain = Inskrivningsinformation(objektidentitet=first.inskrivning_id, fastighetsreferens=first_reference)
    assert answer["get_plain"] == [plain]
    assert answer["get_many"] == [_expected(second.history[-1].document), *answer["get"]]
    assert answer["by_property"] == answer["get"]
    assert [r.objektidentitet for r in answer["many_by_property"]] == [second.inskrivning_id, first.inskrivning_id]
    assert answer["many_by_property"][1].irfastighet == answer["get"][0].irfastighet
    assert all(isinstance(reference, Fastighetsreferens) for reference in answer["encumbered"])
    assert {reference.objektidentitet for reference in answer["encumbered"]} == encumbered
    assert answer["unknown_mortgage"] == []


@pytest.mark.parametrize("format", FORMATS)
def test_instant_and_exclude_personid(connect: Connect, register: list[GeneratedProperty], format: str) -> None:
    client, _ = connect(format)
    changed = next(p for p in register if len(p.history) > 1)
    earlier, later = changed.history[0], changed.history[1]
    between = earlier.registered_at + (later.registered_at - earlier.registered_at) / 2
    as_then = [_expected(earlier.document)]
    assert client.get(changed.inskrivning_id, include_data=["total"], instant=between) == as_then
    milliseconds = int(between.timestamp() * 1000)
    assert client.get_many([changed.inskrivning_id], include_data=["total"], instant=milliseconds) == as_then
    before = earlier.registered_at - timedelta(days=1)
    assert client.get(changed.inskrivning_id, instant=before) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        client.get(changed.inskrivning_id, instant=datetime(2020, 1, 1))
    ids = [p.inskrivning_id for p in register]
    for exclude, marketing, numbered in ((False, False, True), (True, False, False), (False, True, False)):
        records = client.get_many(ids, include_data=["agareAlla"], exclude_personid=exclude, marknadsforing=marketing)
        owners = [item.agare for record in records for item in record.agande + record.tidigareAgande if item.agare]
        people = [owner.person for owner in owners if owner.person]
        assert any(person.personnummer for person in people) is numbered
        assert all(person.personnummer for person in people) is numbered


@pytest.mark.parametrize("format", FORMATS)
def test_long_id_lists_go_in_batches_of_250_in_request_order(
    connect: Connect, register: list[GeneratedProperty], format: str
) -> None:
    client, recorder = connect(format)
    known = [p.inskrivning_id for p in reversed(register)]
    unknown = [uuid.uuid4() for _ in range(220)]
    ids = [*unknown[:100], *known, *unknown[100:], known[0], str(known[1]).upper()]
    assert len(ids) == 262
    assert len({uuid.UUID(str(value)) for value in ids}) == 260
    answer = client.get_many(ids)
    assert [record.objektidentitet for record in answer] == known
    assert recorder.count("POST", PREFIX + "/") == 2
    properties = [*unknown, *(p.fastighet_id for p in register)]
    by_property = client.get_many_by_property(properties, include_data=["agareAktuella"])
    assert [record.fastighetsreferens.objektidentitet for record in by_property] == [p.fastighet_id for p in register]
    assert recorder.count("POST", PREFIX + "/beror") == 2
    assert client.get_many([]) == []
    assert recorder.count("POST", "/token") == 1


def test_a_revoked_token_is_replaced_and_the_request_repeated(
    connect: Connect, database: Database, register: list[GeneratedProperty]
) -> None:
    client, recorder = connect("xml")
    path = f"{PREFIX}/{register[0].inskrivning_id}"
    assert client.get(register[0].inskrivning_id)
    with database.transaction() as session:
        session.execute(delete(AccessToken))
    assert client.get(register[0].inskrivning_id)
    assert recorder.calls == [
        ("POST", "/token", 200),
        ("GET", path, 200),
        ("GET", path, 401),
        ("POST", "/token", 200),
        ("GET", path, 200),
    ]


def test_a_token_is_renewed_before_it_expires(connect: Connect, register: list[GeneratedProperty]) -> None:
    client, recorder = connect(token_lifetime=1)
    assert client.get_by_property(register[0].fastighet_id)
    time.sleep(0.6)
    assert client.get_by_property(register[0].fastighet_id)
    assert recorder.count("POST", "/token") == 2
    assert all(status == 200 for _, _, status in recorder.calls)


def test_refused_credentials_and_scope_raise_clear_errors(connect: Connect, register: list[GeneratedProperty]) -> None:
    client, recorder = connect(secret="wrong")
    with pytest.raises(InskrivningError) as refused:
        client.get(register[0].inskrivning_id)
    assert refused.value.status == 401
    assert refused.value.fault is None
    assert str(refused.value) == "HTTP 401: token request refused: invalid_client: Client authentication failed."
    assert recorder.calls == [("POST", "/token", 401)]
    client, _ = connect("xml", scope="other_api_read")
    with pytest.raises(InskrivningError) as forbidden:
        client.get(register[0].inskrivning_id)
    assert forbidden.value.status == 403
    assert forbidden.value.fault.code == 403
    assert "inskrivning_direkt_v3_read" in str(forbidden.value)


@pytest.mark.parametrize("format", FORMATS)
def test_a_fault_becomes_an_inskrivning_error(connect: Connect, register: list[GeneratedProperty], format: str) -> None:
    client, recorder = connect(format)
    with pytest.raises(InskrivningError) as bad:
        client.get_many([register[0].inskrivning_id], include_data=["agareAktuella", "agareAlla"])
    fault = bad.value.fault
    assert bad.value.status == 400
    assert (fault.code, fault.reason) == (400, "Bad Request")
    assert fault.errors == [
        "includeData is not valid.",
        "includeData: only one of agareAktuella and agareAlla can be chosen",
    ]
    assert str(bad.value) == (
        "400 Bad Request: includeData is not valid.; includeData: only one of agareAktuella and agareAlla can be chosen"
    )
    assert recorder.count("POST", PREFIX + "/") == 1
    with pytest.raises(ValueError, match="badly formed"):
        client.get("not-a-uuid")
