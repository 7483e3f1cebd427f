"""Cached session views are reused until the records behind them change, and never served stale."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bodata.app import create_app
from bodata.core.db import Database
from bodata.portal.freshness import current_generation
from bodata.portal.models import ContactDetail, LaundrySlot
from bodata.portal.service_entry import SERVICE

from .conftest import Portal, portal_settings
from .fixtures import API_KEY
from .test_session_view import ALL_FLAGS
from .test_statement_count import counted_statements


def _generation(database: Database) -> int:
    with database.transaction() as session:
        return current_generation(session)


def _all_flags(portal: Portal, tenant: str = "anna") -> tuple[dict, int]:
    with counted_statements(portal.database.engine) as statements:
        response = portal.get("/session", tenant=tenant, **ALL_FLAGS)
    assert response.status_code == 200, response.text
    return response.json(), len(statements)


def test_a_repeated_call_is_answered_from_the_cache(portal: Portal) -> None:
    first, cold = _all_flags(portal)
    second, warm = _all_flags(portal)
    assert second == first
    assert warm < cold, "the second call read the records again"


def test_logging_in_and_booking_laundry_keep_the_cache(portal: Portal) -> None:
    before = _generation(portal.database)
    assert portal.login("anna").status_code == 200
    with portal.database.transaction() as session:
        slot = session.get(LaundrySlot, portal.world.slots[0])
        slot.customer_id = portal.world.anna
    assert _generation(portal.database) == before


def test_a_tenant_write_makes_a_fresh_answer(portal: Portal) -> None:
    _all_flags(portal)
    before = _generation(portal.database)
    saved = portal.post(
        "/session/kund/sparatillfalligadress/",
        {"Gatuadress1": "Sommarvägen 3", "Postnummer": "76190", "Postort": "Norrtälje", "Fom": "2026-12-01"},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() is None
    assert _generation(portal.database) == before + 1
    after, _ = _all_flags(portal)
    streets = [address["Gatuadress1"] for address in after["Kund"]["TillfälligaAdresser"]]
    assert "Sommarvägen 3" in streets


def test_a_refused_write_leaves_the_generation(portal: Portal) -> None:
    before = _generation(portal.database)
    refused = portal.post("/session/kund/sparatillfalligadress/", {"Gatuadress1": "X", "Fom": "igår"})
    assert refused.status_code == 200
    assert refused.json()["Felkod"]
    assert _generation(portal.database) == before


def test_a_back_office_change_is_seen_at_once(portal: Portal) -> None:
    first, _ = _all_flags(portal)
    assert first["Kund"]["Kundinformation"]["Förnamn"] == "Anna"
    with portal.database.transaction() as session:
        detail = session.scalar(select(ContactDetail).where(ContactDetail.customer_id == portal.world.anna).limit(1))
        detail.value = "ny.adress@example.se"
    after, _ = _all_flags(portal)
    assert "ny.adress@example.se" in [detail["Värde"] for detail in after["Kund"]["Kontaktuppgifter"]]


def test_customers_never_share_a_cached_answer(portal: Portal) -> None:
    anna, _ = _all_flags(portal, "anna")
    bertil, _ = _all_flags(portal, "bertil")
    assert anna["Kund"]["Kundinformation"]["Förnamn"] == "Anna"
    assert bertil["Kund"]["Kundinformation"]["Förnamn"] == "Bertil"


def test_a_new_day_makes_a_fresh_answer(portal: Portal) -> None:
    _all_flags(portal)
    portal.clock.set(portal.clock.now().replace(day=24))
    portal.keys["anna"] = portal.login("anna").json()["Sessionsnyckel"]
    _, statements = _all_flags(portal)
    assert statements > 5, "the answer for the new day was read, not taken from yesterday's cache"
    assert portal.clock.now().date() == date(2026, 11, 24)


@pytest.mark.parametrize("entries", [0])
def test_the_cache_can_be_switched_off(portal: Portal, entries: int) -> None:
    client = TestClient(
        create_app(
            portal_settings(portal_session_cache_entries=entries),
            services=[SERVICE],
            database=portal.database,
            clock=portal.clock,
        )
    )
    params = {"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY, **ALL_FLAGS}
    counts = []
    for _ in range(2):
        with counted_statements(portal.database.engine) as statements:
            assert client.get("/portal/session", params=params).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
