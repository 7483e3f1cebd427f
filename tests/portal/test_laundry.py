"""Laundry rooms (E11–E13) in-process: free times, booking, cancelling, the booking limit, rooms a tenant may not
use, and two simultaneous bookings of one time; on SQLite and PostgreSQL.

The clock stands at 2026-11-23 12:00 UTC (13:00 in Sweden); the world's slots start tomorrow at 07, 10 and 13.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bodata.app import create_app
from bodata.portal.models import LaundrySlot, Node
from bodata.portal.service_entry import SERVICE

from .conftest import Portal, portal_settings
from .fixtures import API_KEY

FIRST = "2026-11-24T07:00:00"


def _slot(portal: Portal, node_id: int, start: datetime) -> int:
    with portal.database.transaction() as session:
        slot = LaundrySlot(node_id=node_id, start=start, end=start + timedelta(hours=3))
        session.add(slot)
        session.flush()
        return slot.id


def _owner(portal: Portal, slot_id: int) -> int | None:
    with portal.database.transaction() as session:
        return session.scalar(select(LaundrySlot.customer_id).where(LaundrySlot.id == slot_id))


def _rooms(portal: Portal, tenant: str = "anna") -> list[dict]:
    response = portal.get("/session/Tvättstugor", tenant=tenant)
    assert response.status_code == 200, response.text
    return response.json()


def _book(portal: Portal, slot_id: object, time: object, tenant: str = "anna") -> httpx.Response:
    return portal.post("/session/Boka", {"Tid": time, "Id": slot_id}, tenant=tenant)


def _cancel(portal: Portal, slot_id: object, time: object, tenant: str = "anna") -> httpx.Response:
    return portal.post("/session/Avboka", {"Tid": time, "Id": slot_id}, tenant=tenant)


def _refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 200, response.text
    assert response.json()["Fel"]["Felkod"] == code, response.json()


def test_the_laundry_room_with_its_free_times(portal: Portal) -> None:
    world = portal.world
    [room] = _rooms(portal)
    assert room == {
        "Nummer": "142-900-01",
        "Entitet": {
            "Id": f"n{world.laundry}",
            "Typ": "Nod",
            "Visningstext": "Tvättstuga",
            "Avser": f"n{world.laundry}",
        },
        "Adress": {
            "Gatuadress1": "Skärgatan 4",
            "Gatuadress2": None,
            "Postnummer": "72131",
            "Postort": "Västerås",
            "Land": "Sverige",
        },
        "Tider": [
            {"Tid": f"2026-11-{day}T{hour}:00:00", "Id": slot_id, "Bokad": False}
            for (day, hour), slot_id in zip(
                [(day, hour) for day in (24, 25, 26) for hour in ("07", "10", "13")], world.slots, strict=True
            )
        ],
        "BokadeTider": [],
    }
    assert _rooms(portal, tenant="bertil") == [room]


def test_only_future_times_of_the_next_fourteen_days_are_free(portal: Portal) -> None:
    laundry = portal.world.laundry
    now = datetime(2026, 11, 23, 13, 0)
    _slot(portal, laundry, now)
    _slot(portal, laundry, now - timedelta(hours=3))
    last = _slot(portal, laundry, now + timedelta(days=14, minutes=-1))
    _slot(portal, laundry, now + timedelta(days=14))
    [room] = _rooms(portal)
    assert [time["Id"] for time in room["Tider"]] == [*portal.world.slots, last]


def test_a_booking_moves_the_time_to_the_customers_bookings(portal: Portal) -> None:
    slot = portal.world.slots[0]
    response = _book(portal, slot, "2026-11-24 07:00")
    assert response.status_code == 200
    assert response.json() == {"Fel": None}
    assert _owner(portal, slot) == portal.world.anna
    [room] = _rooms(portal)
    assert room["BokadeTider"] == [{"Tid": FIRST, "Id": slot, "Bokad": True}]
    assert slot not in [time["Id"] for time in room["Tider"]]
    [bertils] = _rooms(portal, tenant="bertil")
    assert bertils["BokadeTider"] == []
    assert slot not in [time["Id"] for time in bertils["Tider"]]


@pytest.mark.parametrize("time", [FIRST, "2026-11-24 07:00:00", "2026-11-24T06:00:00Z", "2026-11-24T07:00:00+01:00"])
def test_tid_is_accepted_in_every_date_form(portal: Portal, time: str) -> None:
    assert _book(portal, portal.world.slots[0], time).json() == {"Fel": None}


def test_a_time_booked_by_someone_else_cannot_be_booked(portal: Portal) -> None:
    slot = portal.world.slots[1]
    assert _book(portal, slot, "2026-11-24 10:00", tenant="bertil").json() == {"Fel": None}
    _refused(_book(portal, slot, "2026-11-24 10:00"), "RedanBokad")
    _refused(_book(portal, slot, "2026-11-24 10:00", tenant="bertil"), "RedanBokad")
    assert _owner(portal, slot) == portal.world.bertil


def test_a_customer_holds_at_most_the_configured_number_of_bookings(portal: Portal) -> None:
    first, second, third = portal.world.slots[:3]
    assert _book(portal, first, "2026-11-24 07:00").json() == {"Fel": None}
    assert _book(portal, second, "2026-11-24 10:00").json() == {"Fel": None}
    _refused(_book(portal, third, "2026-11-24 13:00"), "ForMangaBokningar")
    assert _owner(portal, third) is None
    assert _book(portal, third, "2026-11-24 13:00", tenant="bertil").json() == {"Fel": None}
    assert _cancel(portal, first, "2026-11-24 07:00").json() == {"Fel": None}
    assert _book(portal, portal.world.slots[3], "2026-11-25 07:00").json() == {"Fel": None}


def test_past_bookings_do_not_count_against_the_limit(portal: Portal) -> None:
    past = _slot(portal, portal.world.laundry, datetime(2026, 11, 23, 7, 0))
    with portal.database.transaction() as session:
        session.get(LaundrySlot, past).customer_id = portal.world.anna
    assert _book(portal, portal.world.slots[0], FIRST).json() == {"Fel": None}
    assert _book(portal, portal.world.slots[1], "2026-11-24 10:00").json() == {"Fel": None}


@pytest.mark.parametrize(
    ("time", "code"),
    [
        ("2026-11-24 10:00", "FelTid"),
        ("2026-11-25 07:00", "FelTid"),
        ("igår", "OgiltigtDatum"),
        ("2026-13-01", "OgiltigtDatum"),
    ],
)
def test_a_tid_that_is_not_the_times_start_is_refused(portal: Portal, time: str, code: str) -> None:
    _refused(_book(portal, portal.world.slots[0], time), code)
    assert _owner(portal, portal.world.slots[0]) is None


@pytest.mark.parametrize("start", [datetime(2026, 11, 23, 13, 0), datetime(2026, 11, 23, 10, 0)])
def test_times_that_have_begun_cannot_be_booked(portal: Portal, start: datetime) -> None:
    slot = _slot(portal, portal.world.laundry, start)
    _refused(_book(portal, slot, start.isoformat()), "TidenHarPasserat")
    assert _owner(portal, slot) is None


def test_rooms_the_customer_may_not_use_and_unknown_times_are_404(portal: Portal) -> None:
    with portal.database.transaction() as session:
        laundry = session.get(Node, portal.world.laundry)
        other_property = Node(node_class_id=laundry.node_class_id, visningstext="Annan fastighet")
        session.add(other_property)
        session.flush()
        other_room = Node(
            parent_id=other_property.id,
            node_class_id=laundry.node_class_id,
            visningstext="Tvättstuga",
            object_type="Tvattstuga",
        )
        session.add(other_room)
        session.flush()
        other_room_id = other_room.id
    foreign = _slot(portal, other_room_id, datetime(2026, 11, 24, 7, 0))
    for slot in (foreign, 999999):
        response = _book(portal, slot, FIRST)
        assert response.status_code == 404
        assert response.json()["Felkod"] == "HittadesInte"
    assert _owner(portal, foreign) is None
    assert [room["Nummer"] for room in _rooms(portal)] == ["142-900-01"]


@pytest.mark.parametrize("body", [{"Id": "ett", "Tid": FIRST}, {"Tid": FIRST}, {"Id": True, "Tid": FIRST}, {"Id": 1}])
def test_malformed_bookings_are_400(portal: Portal, body: dict) -> None:
    response = portal.post("/session/Boka", body)
    assert response.status_code == 400
    assert response.json()["Felkod"] == "OgiltigBegaran"


def test_a_customer_cancels_their_own_booking(portal: Portal) -> None:
    slot = portal.world.slots[0]
    _book(portal, slot, FIRST)
    response = _cancel(portal, slot, "2026-11-24 07:00")
    assert response.status_code == 200
    assert response.json() == {"Fel": None}
    assert _owner(portal, slot) is None
    [room] = _rooms(portal)
    assert room["BokadeTider"] == []
    assert room["Tider"][0] == {"Tid": FIRST, "Id": slot, "Bokad": False}


def test_someone_elses_booking_or_a_free_time_cannot_be_cancelled(portal: Portal) -> None:
    booked, free = portal.world.slots[:2]
    _book(portal, booked, FIRST, tenant="bertil")
    _refused(_cancel(portal, booked, FIRST), "InteBokad")
    assert _owner(portal, booked) == portal.world.bertil
    _refused(_cancel(portal, free, "2026-11-24 10:00"), "InteBokad")
    _refused(_cancel(portal, booked, "2026-11-24 10:00", tenant="bertil"), "FelTid")
    assert _owner(portal, booked) == portal.world.bertil


def test_a_booking_that_has_begun_cannot_be_cancelled(portal: Portal) -> None:
    start = datetime(2026, 11, 23, 12, 0)
    slot = _slot(portal, portal.world.laundry, start)
    with portal.database.transaction() as session:
        session.get(LaundrySlot, slot).customer_id = portal.world.anna
    _refused(_cancel(portal, slot, start.isoformat()), "TidenHarPasserat")
    assert _owner(portal, slot) == portal.world.anna


def _race(clients: dict[str, TestClient], keys: dict[str, str], slot: int, start: str) -> dict[str, dict]:
    """Every client books ``slot`` at the same moment (a barrier releases them together); their answers."""
    barrier = threading.Barrier(len(clients))
    answers: dict[str, dict] = {}

    def book(tenant: str) -> None:
        barrier.wait()
        response = clients[tenant].post(
            "/portal/session/Boka",
            json={"Tid": start, "Id": slot},
            params={"Sessionsnyckel": keys[tenant], "ApiNyckel": API_KEY},
        )
        answers[tenant] = response.json()

    threads = [threading.Thread(target=book, args=(tenant,)) for tenant in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_two_simultaneous_bookings_of_one_time_have_exactly_one_winner(portal: Portal) -> None:
    settings = portal_settings(portal_laundry_max_bookings=100)
    app = create_app(settings, services=[SERVICE], database=portal.database, clock=portal.clock)
    clients = {tenant: TestClient(app) for tenant in ("anna", "bertil")}
    starts = [time["Tid"] for time in _rooms(portal)[0]["Tider"]]
    for slot, start in zip(portal.world.slots, starts, strict=True):
        answers = _race(clients, portal.keys, slot, start)
        winners = [tenant for tenant, answer in answers.items() if answer == {"Fel": None}]
        losers = [
            tenant for tenant, answer in answers.items() if answer["Fel"] and answer["Fel"]["Felkod"] == "RedanBokad"
        ]
        assert len(winners) == 1, answers
        assert len(losers) == 1, answers
        assert _owner(portal, slot) == getattr(portal.world, winners[0])
