"""Concurrent tenant and back-office writes over a live server: nothing hangs (issue 15, item 1).

On PostgreSQL, fault reports (E5) and offer answers (E14) once ran their database work on the event loop: one
request waited there for the data generation's row lock while the holder needed the loop to commit, and the whole
server froze (/health included). The client timeout is generous, so a failure is a failure, not a hang.
"""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import httpx
import pytest

from bodata.core.db import Database, create_database_engine
from bodata.portal import service
from bodata.portal.models import Case, CaseRow

from ..live import LiveServer
from .fixtures import API_KEY, PASSWORD, World

pytestmark = pytest.mark.e2e
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
TIMEOUT = 120


def _seed_offer_and_staff(database_url: str, w: World) -> tuple[list[int], str]:
    """Maintenance-offer rows of anna's to answer, and a staff token for the back office."""
    database = Database(create_database_engine(database_url))
    try:
        with database.transaction() as session:
            offer = Case(
                nummer="R-2611-1900",
                typ="Underhåll",
                typ_referensnamn="Underhall",
                customer_id=w.anna,
                node_id=w.flat1,
                inkommen=datetime(2026, 11, 2, 8, 0),
                erbjudande_svar_senast=date(2099, 12, 15),
            )
            session.add(offer)
            session.flush()
            rows = [CaseRow(case_id=offer.id, node_path=f"n{w.flat1}-n{w.kitchen1}") for _ in range(4)]
            session.add_all(rows)
            session.flush()
            token = service.add_staff_token(session, name="staff", now=datetime.now().astimezone())
            return [row.id for row in rows], token
    finally:
        database.dispose()


def _fault_report(w: World) -> dict[str, object]:
    return {
        "Avser": f"n{w.flat1}",
        "Ärendetyp": "Felanmälan",
        "Användningstyp": {"Referensnamn": "Felanmälan"},
        "Kontakt": None,
        "Husdjur": None,
        "ÄrendeKällaSystemnamn": "MinaSidor",
        "Rader": [
            {
                "Avser": f"n{w.flat1}-n{w.kitchen1}-n{w.fridge1}-n{w.freezer1}",
                "Beskrivning": "Frysen blir inte kall",
                "NyckelhanteringId": w.at_home,
                "FelbeskrivningstypId": w.freezer_fault,
                "Media": [{"MediaByte": base64.b64encode(PNG).decode(), "Notering": "Frysen"}],
            }
        ],
    }


def test_concurrent_fault_reports_offer_answers_and_back_office_writes_all_answer(
    live_portal: tuple[LiveServer, World], module_database_url: str
) -> None:
    server, w = live_portal
    offer_rows, staff_token = _seed_offer_and_staff(module_database_url, w)
    with httpx.Client(base_url=server.url, timeout=TIMEOUT, params={"ApiNyckel": API_KEY}) as client:
        keys = {}
        for name in ("anna", "bertil"):
            login = client.post("/portal/session/login", json={"Användarnamn": name, "Lösenord": PASSWORD})
            assert login.status_code == 200, login.text
            keys[name] = login.json()["Sessionsnyckel"]

        def fault_report(n: int) -> int:
            return client.post(f"/portal/session/{keys['anna']}/arende/", json=_fault_report(w)).status_code

        def offer_answer(n: int) -> int:
            body = {"Rader": [{"ÄrendeRadId": offer_rows[n % len(offer_rows)], "Accepterad": "2026-11-25"}]}
            return client.post(f"/portal/session/{keys['anna']}/arende/sparaerbjudanden", json=body).status_code

        def back_office(n: int) -> int:
            body = {"typ": "Order", "customer_id": w.bertil, "node_id": w.flat2, "rows": []}
            headers = {"Authorization": f"Bearer {staff_token}"}
            return client.post("/portal/admin/cases", json=body, headers=headers).status_code

        def health(n: int) -> int:
            return client.get("/health").status_code

        calls = [(call, n) for n in range(6) for call in (fault_report, offer_answer, back_office, health)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda item: (item[0].__name__, item[0](item[1])), calls))

    expected = {"fault_report": 200, "offer_answer": 200, "back_office": 201, "health": 200}
    assert [(name, status) for name, status in statuses if status != expected[name]] == []
    assert client.is_closed
