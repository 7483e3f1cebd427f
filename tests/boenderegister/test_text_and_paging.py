"""Text and scale (issue 20, problems 5, 6 and 7): NFC normalisation, Swedish order, floor and door warnings,
search and paging in the UI's address list and limit/cursor paging in the API."""

from __future__ import annotations

import unicodedata

import pytest

from bodata.boenderegister import service
from bodata.boenderegister.engine import build_view, reconcile
from bodata.boenderegister.models import Account
from bodata.boenderegister.refid import parse_reference_id
from bodata.core.clock import FixedClock
from bodata.core.db import Database
from bodata.core.text import swedish_key

from .factories import NOW, english, group, make_account, make_integration, person, snapshot
from .web_fixtures import BASE, log_in, web_client


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_composed_and_decomposed_spellings_are_one_address() -> None:
    view = build_view(
        snapshot(
            [group("g1", "1001_Qvägen 99"), group("g2", nfd("1002_Qvägen 99"))],
            [person("p1", nfd("Åsa"), nfd("Ödman"), "g1")],
        )
    )
    assert list(view.addresses) == ["Qvägen 99"]
    assert sorted(view.addresses["Qvägen 99"]) == ["1001", "1002"]
    resident = view.addresses["Qvägen 99"]["1001"].residents["p1"]
    assert (resident.first_name, resident.last_name) == ("Åsa", "Ödman")


def test_a_decomposed_identifier_is_counted_in_characters_a_reader_sees() -> None:
    identifier = "Östra Ågatan 5Ä"  # 15 letters; 18 code points decomposed
    assert len(nfd(identifier)) > 15
    assert parse_reference_id(nfd(f"1001_{identifier}")).identifier == identifier


def test_an_address_typed_decomposed_is_adopted_by_the_composed_group(database: Database) -> None:
    with database.transaction() as session:
        account = make_account(session)
        typed = service.add_address(session, account=account, name=nfd("Qvägen 99"))
        integration = make_integration(session, account)
        view = build_view(snapshot([group("g1", "1001_Qvägen 99")], []))
        changes = reconcile(session, account_id=account.id, integration_id=integration.id, view=view)
        assert changes.addresses.updated == 1  # adopted, not a second look-alike address
        assert typed.name == "Qvägen 99"


def test_swedish_order() -> None:
    names = ["Östra 1", "Zeta 1", "Ängsvägen 2", "Åsgatan 3", "Kvistvägen 12", "Kvistvägen 2", "Ebbe", "Émile"]
    assert sorted(names, key=swedish_key) == [
        "Ebbe",
        "Émile",
        "Kvistvägen 2",
        "Kvistvägen 12",
        "Zeta 1",
        "Åsgatan 3",
        "Ängsvägen 2",
        "Östra 1",
    ]


def test_implausible_floor_codes_and_door_numbers_are_warned_about() -> None:
    view = build_view(
        snapshot(
            [
                group("a", "9901_Torget 1"),
                group("b", "0001_Torget 1"),
                group("c", "1100_Torget 1"),
                group("d", "1101_Torget 1", floor="99"),
                group("ok", "1102_Torget 1"),
            ],
            [],
        )
    )
    warned = {issue.group.external_id: english(issue.reason) for issue in view.issues if issue.kind == "warning"}
    assert set(warned) == {"a", "b", "c", "d"}
    assert "floor code 99 is implausible" in warned["a"]
    assert "floor code 00 is implausible" in warned["b"]
    assert "door 00" in warned["c"]
    assert len(view.addresses["Torget 1"]) == 5  # warnings: every group is still included


@pytest.fixture
def many(database: Database) -> dict:
    """An account with addresses whose names test Swedish order, residents with keys, and an API token."""
    names = ["Östra 1", "Zeta 1", "Ängsvägen 2", "Åsgatan 3", "Kvistvägen 12", "Kvistvägen 2", "Ebbe 1"]
    with database.transaction() as session:
        account = make_account(session, username="anna")
        for name in names:
            address = service.add_address(session, account=account, name=name)
            apartment = service.add_apartment(session, account=account, address_id=address.id, lm_number="1001")
            for last in ("Öberg", "Zorn", "Åberg", "Ahl"):
                resident = service.add_resident(
                    session, account=account, apartment_id=apartment.id, first_name="X", last_name=last
                )
                service.add_key(session, account=account, resident_id=resident.id, kind="tag", number=f"{name}-{last}")
        token = service.issue_api_token(session, account=account, name="t", now=NOW)
        account_id = account.id
    client = web_client(database, FixedClock(NOW))
    return {"client": client, "api": {"Authorization": f"Bearer {token}"}, "account": account_id, "db": database}


def follow(client, url: str, headers: dict) -> list[list]:
    pages = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        link = response.headers.get("link")
        url = link[1 : link.index(">")] if link else None
    return pages


def test_the_api_pages_addresses_in_swedish_order(many) -> None:
    pages = follow(many["client"], f"{BASE}/api/addresses?limit=3", many["api"])
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [item["name"] for page in pages for item in page] == [
        "Ebbe 1",
        "Kvistvägen 2",
        "Kvistvägen 12",
        "Zeta 1",
        "Åsgatan 3",
        "Ängsvägen 2",
        "Östra 1",
    ]
    found = many["client"].get(f"{BASE}/api/addresses?search=VÄGEN", headers=many["api"]).json()
    assert [item["name"] for item in found] == ["Kvistvägen 2", "Kvistvägen 12", "Ängsvägen 2"]
    assert many["client"].get(f"{BASE}/api/addresses?cursor=!!", headers=many["api"]).status_code == 422
    assert many["client"].get(f"{BASE}/api/addresses?limit=0", headers=many["api"]).status_code == 422


def test_the_api_pages_keys_without_repeating_or_skipping(many) -> None:
    everything = many["client"].get(f"{BASE}/api/keys", headers=many["api"]).json()
    assert len(everything) == 28
    pages = follow(many["client"], f"{BASE}/api/keys?limit=5", many["api"])
    assert [key["id"] for page in pages for key in page] == [key["id"] for key in everything]
    first = [key["resident"] for key in everything[:4]]
    assert first == ["Ahl X", "Zorn X", "Åberg X", "Öberg X"]


def test_the_name_board_sorts_names_in_swedish_order(many) -> None:
    with many["db"].transaction() as session:
        account = session.get(Account, many["account"])
        address = service.list_addresses(session, account=account)[0][0]
        board = service.name_board(session, account=account, address_id=address.id)
    assert board.floors[0].apartments[0].names == ["Ahl X", "Zorn X", "Åberg X", "Öberg X"]


def test_the_address_list_searches_and_pages(many, monkeypatch) -> None:
    monkeypatch.setattr("bodata.boenderegister.web.addresses.ADDRESSES_PER_PAGE", 4)
    client = many["client"]
    log_in(client, "anna")
    first = client.get(f"{BASE}/addresses").text
    assert first.index("Kvistvägen 2<") < first.index("Kvistvägen 12<") < first.index("Zeta 1")
    assert "Åsgatan" not in first
    next_url = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url).text
    assert "Åsgatan 3" in second
    assert "Östra 1" in second
    assert "Zeta 1" not in second
    searched = client.get(f"{BASE}/addresses?q=gatan").text
    assert "Åsgatan 3" in searched
    assert "Zeta" not in searched
