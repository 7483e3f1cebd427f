"""The REST API for devices: token auth, account scoping, the name board with ETag polling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bodata.app import create_app
from bodata.boenderegister import service
from bodata.boenderegister.models import Account
from bodata.boenderegister.service_entry import SERVICE
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.inputs import ID_MAX

from .factories import NOW, feed_torget, make_account


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def world(database: Database, clock: FixedClock) -> dict:
    """Two accounts: A with an integration-fed address and a hand-kept one, B with one address of its own."""
    with database.transaction() as session:
        account = make_account(session, "Brf A")
        feed_torget(session, account)
        manual = service.add_address(session, account=account, name="Handgatan 1")
        other = make_account(session, "Brf B")
        foreign = service.add_address(session, account=other, name="Främmande 1")
        token_a = service.issue_api_token(session, account=account, name="board", now=NOW)
        token_b = service.issue_api_token(session, account=other, name="board", now=NOW)
        expired = service.issue_api_token(
            session, account=account, name="old", now=NOW - timedelta(days=2), valid_for=timedelta(days=1)
        )
        addresses = {address.name: address.id for address, _ in service.list_addresses(session, account=account)}
    client = TestClient(create_app(Settings(secret_key="k"), services=[SERVICE], database=database, clock=clock))
    return {
        "client": client,
        "torget": addresses["Torget 1"],
        "manual": manual.id,
        "foreign": foreign.id,
        "a": {"Authorization": f"Bearer {token_a}"},
        "b": {"Authorization": f"Bearer {token_b}"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "database": database,
        "account_id": account.id,
    }


def test_a_token_is_required_and_checked(world) -> None:
    client = world["client"]
    for headers in ({}, {"Authorization": "Bearer nonsense"}, world["expired"]):
        response = client.get("/boenderegister/api/addresses", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/boenderegister/api/addresses").json()["detail"].startswith("En API-token krävs")
    english = client.get("/boenderegister/api/addresses/999", headers={**world["a"], "Accept-Language": "en"})
    assert (english.status_code, english.json()["detail"]) == (404, "address 999 not found")


def test_addresses_are_those_of_the_tokens_account(world) -> None:
    listed = world["client"].get("/boenderegister/api/addresses", headers=world["a"]).json()
    assert [(a["name"], a["apartments"], a["from_integration"]) for a in listed] == [
        ("Handgatan 1", 0, False),
        ("Torget 1", 3, True),
    ]
    other = world["client"].get("/boenderegister/api/addresses", headers=world["b"]).json()
    assert [a["name"] for a in other] == ["Främmande 1"]


def test_another_accounts_records_are_not_found(world) -> None:
    client = world["client"]
    assert client.get(f"/boenderegister/api/addresses/{world['foreign']}", headers=world["a"]).status_code == 404
    assert (
        client.get(f"/boenderegister/api/addresses/{world['torget']}/nameboard", headers=world["b"]).status_code == 404
    )
    apartment_id = client.get(f"/boenderegister/api/addresses/{world['torget']}", headers=world["a"]).json()[
        "apartments"
    ][0]["id"]
    assert client.get(f"/boenderegister/api/apartments/{apartment_id}", headers=world["b"]).status_code == 404
    assert client.get(f"/boenderegister/api/apartments/{apartment_id}", headers=world["a"]).status_code == 200


def test_name_board_lists_floors_top_down_with_names(world) -> None:
    board = world["client"].get(f"/boenderegister/api/addresses/{world['torget']}/nameboard", headers=world["a"]).json()
    assert board["address"] == "Torget 1"
    assert [floor["floor_code"] for floor in board["floors"]] == ["12", "11", "10"]
    assert [floor["label"] for floor in board["floors"]] == ["2 tr", "1 tr", "Entréplan"]
    entrance = board["floors"][-1]["apartments"]
    assert entrance == [
        {"id": entrance[0]["id"], "number": "1001", "lm_number": "1001", "names": ["Andersson Anna", "Berg Bo"]}
    ]
    assert board["floors"][0]["apartments"][0]["names"] == ["Ceder Cilla"]  # floor override 12


def test_internal_numbers_are_shown_when_chosen(world) -> None:
    database = world["database"]
    with database.transaction() as session:
        account = session.get(Account, world["account_id"])
        service.set_shown_number(session, account=account, choice="internal")
    board = world["client"].get(f"/boenderegister/api/addresses/{world['torget']}/nameboard", headers=world["a"]).json()
    numbers = [apartment["number"] for floor in board["floors"] for apartment in floor["apartments"]]
    assert numbers == ["1102", "1101", "101"]  # only 1001 has an internal number
    with database.transaction() as session:
        account = session.get(Account, world["account_id"])
        service.set_shown_number(session, account=account, choice="lantmateriet", address_id=world["torget"])
    board = world["client"].get(f"/boenderegister/api/addresses/{world['torget']}/nameboard", headers=world["a"]).json()
    assert board["shown_number"] == "lantmateriet"


def test_devices_poll_the_board_cheaply_with_etags(world) -> None:
    client, url = world["client"], f"/boenderegister/api/addresses/{world['torget']}/nameboard"
    first = client.get(url, headers=world["a"])
    etag = first.headers["etag"]
    unchanged = client.get(url, headers={**world["a"], "If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert client.get(url, headers={**world["a"], "If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    with world["database"].transaction() as session:
        account = session.get(Account, world["account_id"])
        apartment = service.add_apartment(session, account=account, address_id=world["manual"], lm_number="1001")
        service.add_resident(session, account=account, apartment_id=apartment.id, first_name="X", last_name="Y")
    assert client.get(url, headers={**world["a"], "If-None-Match": etag}).status_code == 304  # other address
    with world["database"].transaction() as session:
        account = session.get(Account, world["account_id"])
        service.set_shown_number(session, account=account, choice="internal")
    changed = client.get(url, headers={**world["a"], "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_keys_list_who_and_where(world) -> None:
    keys = world["client"].get("/boenderegister/api/keys", headers=world["a"]).json()
    assert [(key["number"], key["resident"], key["address"], key["from_integration"]) for key in keys] == [
        ("111", "Andersson Anna", "Torget 1", True)
    ]


def test_the_api_is_documented(world) -> None:
    spec = world["client"].get("/boenderegister/openapi.json").json()
    assert "/api/addresses/{address_id}/nameboard" in spec["paths"]
    assert not any(path.startswith("/login") for path in spec["paths"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(st.integers(max_value=0), st.integers(min_value=ID_MAX + 1)),
    kind=st.sampled_from(["addresses", "apartments", "residents", "addresses/{}/nameboard"]),
)
def test_ids_beyond_the_columns_range_are_404_not_500(world, value: int, kind: str) -> None:
    path = kind.format(value) if "{}" in kind else f"{kind}/{value}"
    response = world["client"].get(f"/boenderegister/api/{path}", headers=world["a"])
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_the_issues_example_id_is_404(world) -> None:
    response = world["client"].get("/boenderegister/api/addresses/99999999999999999999", headers=world["a"])
    assert response.status_code == 404, response.text
