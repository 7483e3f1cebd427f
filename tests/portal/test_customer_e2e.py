"""The customer and laundry endpoints over a live ``bodata serve`` with httpx, in the path-key forms of the capture:
the notice PDF (E3), E8 → E9, E10 with its validation link and confirmation, a document through its FilUrl (E15),
the addresses (E18), and booking and cancelling a laundry time (E11–E13), also two at once."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bodata.core.db import Database, create_database_engine
from bodata.portal.models import LaundrySlot, OutboxMessage

from ..live import LiveServer
from .fixtures import API_KEY, PASSWORD, World
from .test_customer import ADDRESS, PDF_BYTES, Records, add_records

pytestmark = pytest.mark.e2e

KEY = {"ApiNyckel": API_KEY}


@pytest.fixture
def live(
    live_portal: tuple[LiveServer, World], module_database_url: str
) -> Iterator[tuple[httpx.Client, World, Database]]:
    """An httpx client on the live server, the world, and the server's database (for what only the database shows)."""
    server, world = live_portal
    database = Database(create_database_engine(module_database_url))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, world, database
    database.dispose()


def _log_in(client: httpx.Client, username: str) -> str:
    response = client.post("/portal/session/login", json={"Användarnamn": username, "Lösenord": PASSWORD}, params=KEY)
    assert response.status_code == 200, response.text
    return response.json()["Sessionsnyckel"]


def test_a_notice_pdf_over_the_wire(live: tuple[httpx.Client, World, Database]) -> None:
    client, world, _ = live
    key = _log_in(client, "anna")
    response = client.get(f"/portal/session/{key}/kund/ekonomi/avisering/{world.anna_invoice}", params=KEY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "9213210" in text
    assert "1234567897" in text
    assert "1 900,00" in text
    other = client.get(f"/portal/session/{key}/kund/ekonomi/avisering/{world.bertil_invoice}", params=KEY)
    assert other.status_code == 404


def test_a_temporary_address_is_saved_changed_and_listed(live: tuple[httpx.Client, World, Database]) -> None:
    client, _, _ = live
    key = _log_in(client, "anna")
    saved = client.post(f"/portal/session/{key}/kund/sparatillfalligadress/", json=ADDRESS, params=KEY)
    assert saved.status_code == 200
    assert saved.json() is None
    [address] = client.get(f"/portal/Session/{key}/kund/tillfalligaadresser/", params=KEY).json()
    assert (address["Postnummer"], address["Land"], address["LandReferensnamn"]) == ("80426", "Sverige", "SE")
    changed = {**ADDRESS, "AdressId": address["AdressId"], "Postort": "Sandviken", "Sessionsnyckel": key}
    assert client.post("/portal/session/kund/sparatillfalligadress", json=changed, params=KEY).json() is None
    refused = client.post(
        f"/portal/session/{key}/kund/sparatillfalligadress/", json={**ADDRESS, "Fom": "igår"}, params=KEY
    )
    assert refused.json()["Felkod"] == "OgiltigtDatum"
    listed = client.get(
        "/portal/v1/session/kund/tillfalligaadresser", params={**KEY, "Sessionsnyckel": key, "VisaAvslutade": "true"}
    ).json()
    assert [(row["AdressId"], row["Postort"]) for row in listed] == [(address["AdressId"], "Sandviken")]


def test_a_changed_email_is_confirmed_through_the_validation_link(live: tuple[httpx.Client, World, Database]) -> None:
    client, _, database = live
    key = _log_in(client, "anna")
    change = {
        "Epost": "anna.ny@example.se",
        "Mobiltelefonnummer": "+46 70 765 43 21",
        "Validera": True,
        "ValideringsUrl": "https://minasidor.example.se/uppgifter/?nyckel={0}&c=1",
    }
    response = client.post(f"/portal/session/{key}/andrakontaktuppgift/", json=change, params=KEY)
    assert response.json() == {"Fel": None}
    with database.transaction() as session:
        [message] = session.scalars(select(OutboxMessage))
        link = re.search(r"nyckel=([\w-]+)&c=1", message.body)
    assert link is not None
    confirmed = client.post("/portal/kontaktuppgift/validera", json={"Nyckel": link.group(1)}, params=KEY)
    assert confirmed.json() == {"Fel": None}
    details = client.get(f"/portal/session/{key}", params={**KEY, "HämtaKontaktuppgifter": "true"}).json()
    assert {row["Värde"]: row["Validerad"] for row in details["Kund"]["Kontaktuppgifter"]} == {
        "anna.ny@example.se": True,
        "+46 70 765 43 21": False,
    }
    bad = client.post(f"/portal/session/{key}/andrakontaktuppgift/", json={"Epost": "kalle@"}, params=KEY)
    assert bad.json()["Fel"]["Felkod"] == "OgiltigEpost"


def test_a_document_is_fetched_through_its_filurl(live: tuple[httpx.Client, World, Database]) -> None:
    client, world, database = live
    with database.transaction() as session:
        records: Records = add_records(session, world, datetime.now(UTC))
    key = _log_in(client, "anna")
    session_view = client.get(f"/portal/session/{key}", params={**KEY, "HämtaDokument": "true"}).json()
    file_urls = [document["FilUrl"] for document in session_view["Kund"]["Dokument"] if document["FilUrl"]]
    assert file_urls == [f"{str(client.base_url).rstrip('/')}/portal/session/kund/dokument/{records.anna_document}"]
    response = client.get(file_urls[0], params={**KEY, "Sessionsnyckel": key})
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert client.get(f"/portal/session/{key}/kund/dokument/{records.bertil_document}", params=KEY).status_code == 404


def test_the_addresses_in_the_v1_path_key_form(live: tuple[httpx.Client, World, Database]) -> None:
    client, _, _ = live
    key = _log_in(client, "anna")
    response = client.get(f"/portal/v1/session/{key}/kund/adresser/", params=KEY)
    assert response.status_code == 200
    # the module's temporary-address test may have added one beside it
    [postal] = [row for row in response.json() if row["AdressTypReferensnamn"] == "kund.post"]
    assert postal["FullständigAdress"] == "Skärgatan 4, 72131 Västerås, Sverige"


def test_a_laundry_time_is_booked_and_cancelled(live: tuple[httpx.Client, World, Database]) -> None:
    client, world, _ = live
    key = _log_in(client, "anna")
    [room] = client.get(f"/portal/Session/{key}/Tvättstugor", params=KEY).json()
    first = room["Tider"][0]
    assert first["Id"] == world.slots[0]
    booked = client.post(f"/portal/Session/{key}/Boka", json={"Tid": first["Tid"], "Id": first["Id"]}, params=KEY)
    assert booked.json() == {"Fel": None}
    [room] = client.get(f"/portal/session/{key}/tvattstugor", params=KEY).json()
    assert room["BokadeTider"] == [{**first, "Bokad": True}]
    bertil = _log_in(client, "bertil")
    again = client.post(f"/portal/Session/{bertil}/Boka", json={"Tid": first["Tid"], "Id": first["Id"]}, params=KEY)
    assert again.json()["Fel"]["Felkod"] == "RedanBokad"
    cancelled = client.post(f"/portal/Session/{key}/Avboka", json={"Tid": first["Tid"], "Id": first["Id"]}, params=KEY)
    assert cancelled.json() == {"Fel": None}
    [room] = client.get(f"/portal/Session/{key}/Tvättstugor", params=KEY).json()
    assert room["BokadeTider"] == []
    assert room["Tider"][0] == first


def test_two_live_bookings_of_one_time_have_one_winner(live: tuple[httpx.Client, World, Database]) -> None:
    client, world, database = live
    keys = {name: _log_in(client, name) for name in ("anna", "bertil")}
    [room] = client.get(f"/portal/Session/{keys['anna']}/Tvättstugor", params=KEY).json()
    slot = {"Tid": room["Tider"][0]["Tid"], "Id": room["Tider"][0]["Id"]}
    barrier = threading.Barrier(2)
    answers: dict[str, dict] = {}

    def book(name: str) -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=30) as own:
            barrier.wait()
            answers[name] = own.post(f"/portal/Session/{keys[name]}/Boka", json=slot, params=KEY).json()

    threads = [threading.Thread(target=book, args=(name,)) for name in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [name for name, answer in answers.items() if answer == {"Fel": None}]
    assert len(winners) == 1, answers
    [loser] = set(keys) - set(winners)
    assert answers[loser]["Fel"]["Felkod"] == "RedanBokad"
    with database.transaction() as session:
        owner = session.scalar(select(LaundrySlot.customer_id).where(LaundrySlot.id == slot["Id"]))
    assert owner == getattr(world, winners[0])
    cancelled = client.post(f"/portal/Session/{keys[winners[0]]}/Avboka", json=slot, params=KEY)
    assert cancelled.json() == {"Fel": None}  # the module's next test finds the time free
