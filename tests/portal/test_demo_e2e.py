"""The demo tenant's portal over a live server with httpx: the endpoints the other end-to-end walks leave out
(E2 notification attachments, E7 inspection protocols, E14 offer answers, E17 node classes, the share-key route,
logout), on the demo data a new installation shows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from bodata.portal.demo import DEMO_API_KEY, DEMO_PASSWORD, DEMO_SHARE_KEY, DEMO_USER, NEIGHBOUR_USER

from ..live import start_live_server

# SQLite alone: PostgreSQL holds the demo in test_demo.py and walks the API in the other e2e modules
pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


@pytest.fixture
def demo_portal(demo_database_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    """A live server on a database holding the portal's demo data; an httpx client with the demo API key."""
    server = start_live_server(database_url=demo_database_url, workdir=tmp_path)
    try:
        with httpx.Client(base_url=server.url + "/portal", headers={"ApiNyckel": DEMO_API_KEY}, timeout=30) as client:
            yield client
    finally:
        server.stop()


def _login(client: httpx.Client, username: str) -> str:
    response = client.post("/session/login", json={"Användarnamn": username, "Lösenord": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["Sessionsnyckel"]


def test_the_demo_tenants_portal_end_to_end(demo_portal: httpx.Client) -> None:
    key = _login(demo_portal, DEMO_USER)
    view = demo_portal.get(
        f"/session/{key}", params={"HamtaKundMeddelanden": "true", "HamtaArende": "true", "HamtaArendeRader": "true"}
    ).json()

    # E2: an attachment of one of the tenant's messages, as JSON with the bytes in base64
    attachment = next(bilaga for message in view["Kund"]["Meddelanden"] for bilaga in (message["Bilagor"] or []))
    fetched = demo_portal.get(
        f"/session/{key}/notifieringBilagaFil/{attachment['MeddelandeUtgåendeId']}/{attachment['ExterntId']}"
    )
    assert fetched.status_code == 200, fetched.text
    assert set(fetched.json()) == {"MimeTyp", "Extension", "Data"}
    assert fetched.json()["Data"]

    # E7: the move-in inspection, the incoming tenant's version
    inspection = next(case for case in view["Ärenden"] if case["Typ"] == "Besiktning")
    protocol = demo_portal.get(f"/session/{key}/arende/protokoll/{inspection['Id']}/true")
    assert protocol.status_code == 200
    assert protocol.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(protocol.content)).pages)
    assert "Besiktningsprotokoll" in text
    assert "inflyttande" in text
    assert demo_portal.get(f"/session/{key}/arende/protokoll/{inspection['Id']}/false").status_code == 404

    # E14: accept a row of the open maintenance offer; it shows as accepted afterwards
    offer = next(case for case in view["Ärenden"] if case["UnderhållsErbjudande"] is not None)
    row_id = offer["Rader"][0]["Id"]
    answered = demo_portal.post(
        "/session/arende/sparaerbjudanden",
        params={"Sessionsnyckel": key},
        json={"Rader": [{"ÄrendeRadId": row_id, "Accepterad": "2026-11-23"}]},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json() is None
    again = demo_portal.get(f"/session/{key}/arende/{offer['Id']}").json()
    accepted = next(row for row in again["Rader"] if row["Id"] == row_id)
    assert accepted["Åtgärd"]["ÅtgärdNod"]["Accepterad"] == "2026-11-23"

    # E17: the general-case classes, with the key in the path and in the query
    classes = demo_portal.get(f"/session/{key}/AllmantArende").json()
    assert "Störning" in [node_class["Beteckning"] for node_class in classes]
    assert demo_portal.get("/session/AllmantArende", params={"Sessionsnyckel": key}).json() == classes

    # the share-key route needs no session
    shared = demo_portal.get(f"/arende/{DEMO_SHARE_KEY}")
    assert shared.status_code == 200
    assert shared.json()["Nummer"].startswith("R-")
    assert demo_portal.get("/arende/ingen-sadan-nyckel").status_code == 404

    # the neighbour sees none of it
    neighbour = _login(demo_portal, NEIGHBOUR_USER)
    assert demo_portal.get(f"/session/{neighbour}/arende/{offer['Id']}").status_code == 404
    assert demo_portal.get(f"/session/{neighbour}/arende/protokoll/{inspection['Id']}/true").status_code == 404

    # logout ends the session
    assert demo_portal.post(f"/session/{key}/logout").json() == {"Fel": None}
    assert demo_portal.get(f"/session/{key}").status_code == 401
