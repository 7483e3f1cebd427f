"""The back office (/portal/admin) in-process: staff tokens, a whole world built and read back through the API,
computed amounts and OCR references, case rows and their history, share keys, laundry times, and every kind of
refusal (404, 409, 422) leaving the database as it was."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Base, Database, create_database_engine
from bodata.core.errors import ApiError
from bodata.core.security import token_digest
from bodata.portal import amounts, cases, images, service
from bodata.portal.admin import case_rows, ledger, logins
from bodata.portal.models import Case, LaundrySlot, OutboxMessage, PortalSession, StoredFile
from bodata.portal.ocr import ocr_reference, valid_ocr
from bodata.portal.service_entry import SERVICE

MEDIA_LIMIT = 4096


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 40, 40)).save(buffer, kind)
    return buffer.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")
PDF = b"%PDF-1.4\n% a tenancy agreement\n"
API_KEY = "admin-test-api-key"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass
class Admin:
    """The app in-process, called with a staff token."""

    client: TestClient
    database: Database
    clock: FixedClock
    token: str

    def call(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.client.request(method, "/portal/admin" + path, headers=headers, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """Call and check the status; the JSON answer (None for 204)."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def problem(self, method: str, path: str, status: int, **kwargs: Any) -> dict:
        """Call expecting an RFC 9457 problem document with ``status``."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        return response.json()


@pytest.fixture
def admin(database: Database, clock: FixedClock) -> Admin:
    with database.transaction() as session:
        token = service.add_staff_token(session, name="staff", now=clock.now())
    settings = Settings(secret_key="k", portal_media_max_bytes=MEDIA_LIMIT)
    client = TestClient(create_app(settings, services=[SERVICE], database=database, clock=clock))
    return Admin(client=client, database=database, clock=clock, token=token)


def row_counts(database: Database) -> dict[str, int]:
    """How many rows each portal table holds."""
    with database.transaction() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name.startswith("pm_")
        }


# --- A world built through the API ----------------------------------------------------------------


def build_world(admin: Admin) -> dict[str, Any]:
    """The company, vocabularies, a property with a flat and a laundry room, a customer with a login and a contract."""
    ids: dict[str, Any] = {}
    admin.ok(
        "PUT",
        "/company",
        json={
            "namn": "Bostads AB Mälarporten",
            "organisationsnummer": "556677-8899",
            "gatuadress": "Stora Gatan 1",
            "postnummer": "722 12",
            "postort": "Västerås",
            "bankgiro": "5050-1055",
        },
    )
    ids["occurred"] = admin.ok(
        "POST", "/time-point-types", 201, json={"system_name": "Intraffat", "beteckning": "Inträffat"}
    )["id"]
    classes = {}
    for group, name, label in [
        ("Objekt", "Fastighet", "Fastighet"),
        ("Objekt", "Lagenhet", "Lägenhet"),
        ("Objekt", "Tvattstuga", "Tvättstuga"),
        ("Rum", "Kok", "Kök"),
        ("Komponent", "Frys", "Frys"),
    ]:
        body = {"group_system_name": group, "system_name": name, "beteckning": label}
        classes[name] = admin.ok("POST", "/node-classes", 201, json=body)["id"]
    disturbance = {
        "group_system_name": "AllmantArende",
        "system_name": "Storning",
        "beteckning": "Störning",
        "usage_system_name": "ExternWebbArende",
        "time_point_type_ids": [ids["occurred"]],
    }
    ids["disturbance"] = admin.ok("POST", "/node-classes", 201, json=disturbance)["id"]
    ids["classes"] = classes
    ids["warm"] = admin.ok(
        "POST", "/fault-description-types", 201, json={"node_class_id": classes["Frys"], "beteckning": "Blir inte kall"}
    )["id"]
    ids["at_home"] = admin.ok("POST", "/key-handling-types", 201, json={"beteckning": "Är hemma"})["id"]

    address = {"gatuadress1": "Skärgatan 4", "postnummer": "72131", "postort": "Västerås", "land": "SE"}

    def node(parent: int | None, node_class: str, text: str, **fields: Any) -> int:
        body = {"parent_id": parent, "node_class_id": classes[node_class], "visningstext": text, **fields}
        return admin.ok("POST", "/nodes", 201, json=body)["id"]

    ids["property"] = node(None, "Fastighet", "Västerås Skäret 4", nummer="142", **address)
    ids["flat"] = node(
        ids["property"],
        "Lagenhet",
        "Lägenhet",
        nummer="142-043-01",
        object_type="Bostad",
        usages="Felanmälan",
        **address,
    )
    ids["kitchen"] = node(ids["flat"], "Kok", "Kök")
    ids["freezer"] = node(ids["kitchen"], "Frys", "Frys", ordning=1)
    ids["laundry"] = node(ids["property"], "Tvattstuga", "Tvättstuga", nummer="142-900-01", object_type="Tvattstuga")

    customer = {
        "kundnummer": "15555",
        "fornamn": "Anna",
        "efternamn": "Andersson",
        "personnummer": "198112189876",
        "market_profile": {
            "Skapad": "2024-02-01T10:00:00+01:00",
            "MarknadAktörInkomst": {
                "Arbetsgivare": "Momentum Software",
                "MånadsinkomstNetto": 28500.5,
                "MarknadAktörInkomstTyp": {
                    "SystemName": "Lon",
                    "Beteckning": "Lön",
                    "MarknadAktörInkomstTypGrupp": {"SystemName": "arbete", "Beteckning": "Arbete"},
                },
            },
            "MarknadAktörHushåll": {"AntalVuxna": 2, "AntalBarn": 1},
            "MarknadEkonomi": {"Borgensman": False, "Deposition": True, "Kapital": False},
        },
        "contact_details": [
            {"kind": "E-postadress", "value": "anna@example.se", "validated": True},
            {"kind": "Mobilnummer", "value": "070-1234567"},
        ],
        "addresses": [
            {"kind": "kund.post", "namn": "Anna Andersson", **address},
            {"kind": "tillfallig", "gatuadress1": "Sommarvägen 3", "postnummer": "762 91", "fom": "2026-06-01"},
        ],
    }
    ids["anna"] = admin.ok("POST", "/customers", 201, json=customer)["id"]
    ids["login"] = admin.ok(
        "POST", f"/customers/{ids['anna']}/logins", 201, json={"username": "anna", "password": "hemligt"}
    )["id"]
    contract = {"avtalsnummer": "A-1", "customer_id": ids["anna"], "node_id": ids["flat"], "fom": "2020-01-01"}
    ids["contract"] = admin.ok("POST", "/contracts", 201, json={**contract, "monthly_rent": 7900})["id"]
    return ids


def invoice_body(ids: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A rent notice: base rent and metered hot water (with its consumption specification), one payment."""
    return {
        "customer_id": ids["anna"],
        "contract_id": ids["contract"],
        "avinummer": "9213210",
        "typ_referensnamn": "Avi",
        "forfallodag": "2026-10-31",
        "ledger_entries": [
            {
                "node_id": ids["flat"],
                "period": "2026-11",
                "rows": [
                    {"aviseringstext": "Grundhyra", "nettobelopp": 7847},
                    {
                        "aviseringstext": "Varmvatten",
                        "nettobelopp": 42.4,
                        "momsbelopp": 10.6,
                        "specification": {
                            "avser_fom": "2026-09-01",
                            "avser_tom": "2026-09-30",
                            "kalla_beteckning": "Kök",
                            "kalla_identitet": "432105",
                            "varde_fom": 13.432,
                            "varde_tom": 14.532,
                            "mangdenhet": "m3",
                            "apris": 48,
                            "debiteringsfritt_netto": 40,
                            "debiteringsfritt_moms": 10,
                        },
                    },
                ],
            }
        ],
        "distributions": [{"typ": "epost", "adress": "anna@example.se", "distribuerad": "2026-10-15T13:00:00"}],
        "payments": [{"betalvag": "Manuell inbetalning via bankgiro", "belopp": 6000, "betalningsdag": "2026-10-28"}],
        **overrides,
    }


def case_body(ids: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A fault report on the freezer with an officer, a history step, a time point and an image."""
    return {
        "typ": "Order",
        "customer_id": ids["anna"],
        "node_id": ids["flat"],
        "participants": [{"visningsnamn": "Kalle Svensson", "telefon": "021-123456"}],
        "rows": [
            {
                "node_path": f"n{ids['flat']}-n{ids['kitchen']}-n{ids['freezer']}",
                "beskrivning": "Frysen är varm",
                "fault_description_type_id": ids["warm"],
                "key_handling_type_id": ids["at_home"],
                "history": [
                    {"beteckning": "Hos handläggare", "tidpunkt": "2026-11-23T12:30:00", "anvandare": "Kalle Svensson"}
                ],
                "time_points": [{"time_point_type_id": ids["occurred"], "varde": "2026-11-22T21:00:00Z"}],
                "media": [{"file": {"data": b64(PNG)}, "notering": "Isen smälter"}],
            }
        ],
        **overrides,
    }


# --- Authentication -------------------------------------------------------------------------------


def test_no_token_a_wrong_token_and_a_revoked_token_are_refused(admin: Admin) -> None:
    missing = admin.client.get("/portal/admin/nodes")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["type"] == "urn:bodata:error:unauthorized"
    basic = admin.client.get("/portal/admin/nodes", headers={"Authorization": "Basic c3RhZmY6c3RhZmY="})
    assert basic.status_code == 401
    assert admin.call("GET", "/nodes", token="st_not-a-token").status_code == 401

    other = admin.ok("POST", "/staff-tokens", 201, json={"name": "integration"})["key"]
    assert admin.call("GET", "/nodes", token=other).status_code == 200
    admin.ok("DELETE", "/staff-tokens/integration", 204)
    revoked = admin.call("GET", "/nodes", token=other)
    assert revoked.status_code == 401
    assert revoked.headers["www-authenticate"].startswith("Bearer")
    assert admin.call("GET", "/nodes").status_code == 200

    before = row_counts(admin.database)
    refused = admin.call("POST", "/key-handling-types", token=other, json={"beteckning": "Är hemma"})
    assert refused.status_code == 401
    assert row_counts(admin.database) == before


# --- Building and reading back --------------------------------------------------------------------


def test_a_world_built_through_the_api_reads_back(admin: Admin) -> None:
    ids = build_world(admin)

    company = admin.ok("GET", "/company")
    assert (company["namn"], company["postnummer"], company["bankgiro"]) == (
        "Bostads AB Mälarporten",
        "72212",
        "5050-1055",
    )

    disturbance = admin.ok("GET", f"/node-classes/{ids['disturbance']}")
    assert [t["system_name"] for t in disturbance["time_point_types"]] == ["Intraffat"]
    general = admin.ok("GET", "/node-classes", params={"group_system_name": "AllmantArende"})
    assert [c["id"] for c in general["items"]] == [ids["disturbance"]]

    children = admin.ok("GET", f"/nodes/{ids['property']}/children")
    assert [child["id"] for child in children] == [ids["flat"], ids["laundry"]]
    flat = admin.ok("GET", f"/nodes/{ids['flat']}")
    assert (flat["nummer"], flat["object_type"], flat["usages"], flat["land"]) == (
        "142-043-01",
        "Bostad",
        "Felanmälan",
        "SE",
    )

    anna = admin.ok("GET", f"/customers/{ids['anna']}")
    assert anna["fodelsedatum"] == "1981-12-18"
    assert anna["market_profile"]["MarknadAktörHushåll"] == {"AntalVuxna": 2, "AntalBarn": 1}
    assert anna["market_profile"]["MarknadAktörInkomst"]["MarknadAktörInkomstTyp"]["MarknadAktörInkomstTypGrupp"] == {
        "SystemName": "arbete",
        "Beteckning": "Arbete",
    }
    assert {(c["kind"], c["value"], c["validated"]) for c in anna["contact_details"]} == {
        ("E-postadress", "anna@example.se", True),
        ("Mobilnummer", "070-1234567", False),
    }
    temporary = next(a for a in anna["addresses"] if a["kind"] == "tillfallig")
    assert (temporary["postnummer"], temporary["fom"], temporary["tom"]) == ("76291", "2026-06-01", None)
    assert [login["username"] for login in anna["logins"]] == ["anna"]
    assert set(anna["logins"][0]) == {
        "id",
        "customer_id",
        "username",
        "created_at",
        "last_login_at",
        "failed_logins",
        "locked_until",
    }, "never the password hash"
    listed = admin.ok("GET", "/customers", params={"kundnummer": "15555"})
    assert listed["total"] == 1
    assert "contact_details" not in listed["items"][0]

    contract = admin.ok("GET", f"/contracts/{ids['contract']}")
    assert (contract["fom"], contract["tom"], contract["monthly_rent"]) == ("2020-01-01", None, 7900)

    # The login works on the tenant side, with an API key issued through the back office.
    admin.ok("POST", "/api-keys", 201, json={"name": "app", "key": API_KEY})
    login = admin.client.post(
        "/portal/session/login", json={"Användarnamn": "anna", "Lösenord": "hemligt"}, params={"ApiNyckel": API_KEY}
    )
    assert login.status_code == 200, login.text


def test_invoice_amounts_ocr_reference_and_payments(admin: Admin) -> None:
    ids = build_world(admin)
    invoice = admin.ok("POST", "/invoices", 201, json=invoice_body(ids))
    (entry,) = invoice["ledger_entries"]
    rent, water = entry["rows"]
    assert (rent["nettobelopp"], rent["momsbelopp"], rent["bruttobelopp"], rent["specification"]) == (
        7847,
        0,
        7847,
        None,
    )
    assert (water["nettobelopp"], water["momsbelopp"], water["bruttobelopp"]) == (42.4, 10.6, 53)
    spec = water["specification"]
    assert (spec["mangd"], spec["apris"], spec["debiteringsfritt_total"]) == (1.1, 48, 50)
    assert (entry["nettobelopp"], entry["momsbelopp"], entry["bruttobelopp"]) == (7889.4, 10.6, 7900)
    assert entry["forfallodag"] == "2026-10-31"
    assert (invoice["nettobelopp"], invoice["momsbelopp"], invoice["bruttobelopp"]) == (7889.4, 10.6, 7900)
    assert (invoice["inbetalt_belopp"], invoice["restbelopp"], invoice["att_betala"]) == (6000, 1900, 1900)
    assert invoice["betalningsreferens"] == ocr_reference("9213210")
    assert valid_ocr(invoice["betalningsreferens"], length_digit=True)
    assert (invoice["typ_beteckning"], invoice["mottagare_nummer"]) == ("A", "5050-1055")
    assert invoice["distributions"][0]["distribuerad"] == "2026-10-15T13:00:00+02:00"

    paid = admin.ok(
        "POST",
        f"/invoices/{invoice['id']}/payments",
        201,
        json={"betalvag": "Autogiro", "belopp": 2500, "betalningsdag": "2026-11-02"},
    )
    assert (paid["inbetalt_belopp"], paid["restbelopp"], paid["att_betala"]) == (8500, -600, 0)
    assert [p["belopp"] for p in paid["payments"]] == [6000, 2500]

    summary = admin.ok("GET", "/invoices", params={"customer_id": ids["anna"]})
    assert summary["total"] == 1
    assert summary["items"][0]["restbelopp"] == -600
    assert "ledger_entries" not in summary["items"][0]

    given = invoice_body(ids, avinummer="9213211", betalningsreferens="1234567897", ledger_entries=[], nettobelopp=100)
    second = admin.ok("POST", "/invoices", 201, json={**given, "payments": []})
    assert (second["betalningsreferens"], second["bruttobelopp"], second["att_betala"]) == ("1234567897", 100, 100)
    changed = admin.ok(
        "PATCH", f"/invoices/{second['id']}", json={"betalningsreferens": None, "forfallodag": "2026-11-30"}
    )
    assert changed["betalningsreferens"] == ocr_reference("9213211")
    assert changed["forfallodag"] == "2026-11-30"


def test_a_case_with_rows_media_history_and_a_share_key(admin: Admin) -> None:
    ids = build_world(admin)
    case = admin.ok(
        "POST", "/cases", 201, json=case_body(ids, contact={"visningsnamn": "Bo Granne", "mobil": "070-111"})
    )
    assert case["nummer"] == "R-2611-1000"
    assert (case["typ"], case["typ_referensnamn"], case["inkommen"]) == ("Order", "Order", "2026-11-23T13:00:00+01:00")
    assert case["contact"]["visningsnamn"] == "Bo Granne"
    assert [p["visningsnamn"] for p in case["participants"]] == ["Kalle Svensson"]
    (row,) = case["rows"]
    assert (row["status_referensnamn"], row["status_beteckning"]) == ("Pagaende", "Pågående")
    assert (row["processteg_referensnamn"], row["processteg_beteckning"]) == ("Handlaggare", "Hos handläggare")
    assert row["time_points"][0]["varde"] == "2026-11-22T22:00:00+01:00"  # 21:00 UTC is 22:00 in Stockholm
    assert row["time_points"][0]["time_point_type"]["system_name"] == "Intraffat"
    (media,) = row["media"]
    assert media["notering"] == "Isen smälter"
    content = admin.call("GET", f"/files/{media['file_id']}/content")
    assert (content.content, content.headers["content-type"]) == (PNG, "image/png")

    assert admin.ok("POST", "/cases", 201, json=case_body(ids, rows=[]))["nummer"] == "R-2611-1001"

    # Status and process-step changes are recorded in the history, by whoever made them.
    base = f"/cases/{case['id']}/rows/{row['id']}"
    changed = admin.ok("PATCH", base, json={"processteg_referensnamn": "Leverantor", "anvandare": "Eva Ek"})
    assert changed["processteg_beteckning"] == "Hos leverantör"
    admin.clock.advance(timedelta(minutes=10))
    changed = admin.ok("PATCH", base, json={"status_referensnamn": "Vantar"})
    assert changed["status_beteckning"] == "Väntar på användaren"
    admin.clock.advance(timedelta(minutes=10))
    changed = admin.ok("PATCH", base, json={"beskrivning": "Frysen är fortfarande varm"})
    assert [(h["beteckning"], h["anvandare"], h["tidpunkt"]) for h in changed["history"]] == [
        ("Hos handläggare", "Kalle Svensson", "2026-11-23T12:30:00+01:00"),
        ("Hos leverantör", "Eva Ek", "2026-11-23T13:00:00+01:00"),
        ("Väntar på användaren", case_rows.DEFAULT_HISTORY_USER, "2026-11-23T13:10:00+01:00"),
    ]
    admin.problem("PATCH", base, 422, json={"status_referensnamn": "Bestalld"})
    custom = admin.ok("PATCH", base, json={"status_referensnamn": "Bestalld", "status_beteckning": "Beställd"})
    assert [h["beteckning"] for h in custom["history"]][-1] == "Beställd"

    officer = admin.ok(
        "POST", f"/cases/{case['id']}/participants", 201, json={"visningsnamn": "Eva Ek", "case_row_id": row["id"]}
    )
    jpeg = admin.ok("POST", f"{base}/media", 201, json={"file": {"data": b64(JPEG)}})
    point = admin.ok(
        "POST", f"{base}/time-points", 201, json={"time_point_type_id": ids["occurred"], "varde": "2026-11-23T08:00:00"}
    )
    step = admin.ok(
        "POST",
        f"{base}/history",
        201,
        json={"beteckning": "Åtgärdad", "tidpunkt": "2026-11-24T10:00:00", "anvandare": "Eva Ek"},
    )
    detail = admin.ok("GET", f"/cases/{case['id']}")
    assert [p["visningsnamn"] for p in detail["participants"]] == ["Kalle Svensson"]
    assert [p["id"] for p in detail["rows"][0]["participants"]] == [officer["id"]]
    assert len(detail["rows"][0]["media"]) == 2
    for path in (f"{base}/media/{jpeg['id']}", f"{base}/time-points/{point['id']}", f"{base}/history/{step['id']}"):
        admin.ok("DELETE", path, 204)
    with admin.database.transaction() as session:
        assert session.get(StoredFile, jpeg["file_id"]) is None  # the removed image's file went with it

    # The share key is shown once and stored as a digest.
    assert detail["has_share_key"] is False
    key = admin.ok("POST", f"/cases/{case['id']}/share-key", 201)["share_key"]
    with admin.database.transaction() as session:
        assert session.get(Case, case["id"]).share_key_digest == token_digest(key)
    assert admin.ok("GET", f"/cases/{case['id']}")["has_share_key"] is True
    admin.ok("DELETE", f"/cases/{case['id']}/share-key", 204)
    assert admin.ok("GET", f"/cases/{case['id']}")["has_share_key"] is False

    closed = admin.ok("POST", f"/cases/{case['id']}/close", json={"avslutat": "2026-11-25T16:00:00"})
    assert closed["avslutat"] == "2026-11-25T16:00:00+01:00"
    assert admin.problem("POST", f"/cases/{case['id']}/close", 409, json={})["type"] == "urn:bodata:error:conflict"

    admin.ok("DELETE", f"/cases/{case['id']}", 204)
    assert admin.ok("GET", f"/cases/{case['id']}")["borttagen"] is True
    assert admin.ok("GET", "/cases", params={"borttagen": False})["total"] == 1


def tenant_get(admin: Admin, path: str, **params: Any) -> Any:
    """GET a tenant endpoint as Anna of ``build_world`` (registers the app's API key on first use)."""
    with admin.database.transaction() as session:
        if not service.api_key_valid(session, API_KEY):
            service.add_api_key(session, name="app", now=admin.clock.now(), value=API_KEY)
    body = {"Användarnamn": "anna", "Lösenord": "hemligt"}
    login = admin.client.post("/portal/session/login", json=body, params={"ApiNyckel": API_KEY})
    key = login.json()["Sessionsnyckel"]
    response = admin.client.get("/portal" + path, params={"Sessionsnyckel": key, "ApiNyckel": API_KEY, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_closing_a_case_closes_its_rows(admin: Admin) -> None:
    ids = build_world(admin)
    case = admin.ok("POST", "/cases", 201, json=case_body(ids))
    assert [row["Status"]["Referensnamn"] for row in tenant_get(admin, f"/session/arende/{case['id']}")["Rader"]] == [
        "Pagaende"
    ]
    closed = admin.ok("POST", f"/cases/{case['id']}/close", json={"avslutat": "2026-11-25T16:00:00"})
    assert [(row["status_referensnamn"], row["status_beteckning"]) for row in closed["rows"]] == [
        ("Avslutad", "Avslutad")
    ]
    shown = tenant_get(admin, f"/session/arende/{case['id']}")
    assert shown["Händelser"]["ÄrendeAvslutat"] == "2026-11-25T16:00:00"
    (row,) = shown["Rader"]
    assert row["Status"] == {"Referensnamn": "Avslutad", "Beteckning": "Avslutad"}
    assert row["Historik"][-1] == {
        "Beteckning": "Avslutad",
        "Tidpunkt": "2026-11-25T16:00:00",
        "Användare": case_rows.DEFAULT_HISTORY_USER,
    }


def test_payments_are_dated_today_or_earlier_and_allocated_to_the_notice(admin: Admin) -> None:
    ids = build_world(admin)
    ahead = (admin.clock.now() + timedelta(days=40)).date().isoformat()
    future = [{"betalvag": "Autogiro", "belopp": 100, "betalningsdag": ahead}]
    before = row_counts(admin.database)
    admin.problem("POST", "/invoices", 422, json=invoice_body(ids, payments=future))
    assert row_counts(admin.database) == before
    invoice = admin.ok("POST", "/invoices", 201, json=invoice_body(ids))
    assert invoice["fordelat_belopp"] == 6000
    payments = f"/invoices/{invoice['id']}/payments"
    admin.problem("POST", payments, 422, json=future[0])
    admin.problem("POST", payments, 422, json={**future[0], "betalningsdag": "2026-11-01", "bokforingsdag": ahead})
    today = admin.clock.now().date().isoformat()
    paid = admin.ok("POST", payments, 201, json={"betalvag": "Autogiro", "belopp": 2500, "betalningsdag": today})
    assert (paid["inbetalt_belopp"], paid["fordelat_belopp"], paid["restbelopp"], paid["att_betala"]) == (
        8500,
        7900,
        -600,
        0,
    )
    kund = tenant_get(admin, "/session", HämtaKundEkonomiAviseringar="true")["Kund"]
    (notice,) = kund["Ekonomi"]["Aviseringar"]
    assert (notice["InbetaltBelopp"], notice["BetalningFördeladBelopp"], notice["AttBetala"]) == (8500, 7900, 0)


def test_a_maintenance_offer_is_a_case_of_type_underhall(admin: Admin) -> None:
    ids = build_world(admin)
    offer = {
        "customer_id": ids["anna"],
        "node_id": ids["flat"],
        "erbjudande_svar_senast": "2026-12-15",
        "rows": [
            {
                "node_path": f"n{ids['flat']}-n{ids['kitchen']}",
                "atgard_typ_beteckning": "Målas",
                "atgard_typ_kortbeteckning": "Malas",
                "atgard_planerad": "2027-02-01T08:00:00",
                "atgard_intervall": 10,
                "atgard_intervall_enhet": "ar",
                "pris_restvarde": -122.22,
                "pris_rabatt": 122.22,
            }
        ],
    }
    created = admin.ok("POST", "/maintenance-offers", 201, json=offer)
    assert (created["typ"], created["typ_referensnamn"], created["erbjudande_svar_senast"]) == (
        "Underhåll",
        "Underhall",
        "2026-12-15",
    )
    assert (created["rows"][0]["pris_restvarde"], created["rows"][0]["atgard_intervall_enhet"]) == (-122.22, "ar")
    listed = admin.ok("GET", "/cases", params={"typ_referensnamn": "Underhall"})
    assert [case["id"] for case in listed["items"]] == [created["id"]]
    missing_deadline = {key: value for key, value in offer.items() if key != "erbjudande_svar_senast"}
    admin.problem("POST", "/maintenance-offers", 422, json=missing_deadline)


def test_meters_maintenance_documents_notifications_and_laundry(admin: Admin) -> None:
    ids = build_world(admin)
    installation = admin.ok(
        "POST",
        "/meter-installations",
        201,
        json={"node_id": ids["flat"], "anvandning": "Vatten", "beteckning": "705-079-01 Vatten"},
    )
    meter = admin.ok(
        "POST",
        "/meters",
        201,
        json={"installation_id": installation["id"], "anvandning": "Varmvatten", "beteckning": "Kök", "enhet": "m3"},
    )
    reading = {
        "meter_id": meter["id"],
        "datum": "2026-09-01",
        "tom": "2026-09-30",
        "forbrukning": 1.1,
        "matarstallning": 14.532,
        "kostnad": 53,
        "debiterad": True,
        "avlast_tid": "2026-10-01T06:00:00",
        "apris": 0.85,
    }
    admin.ok("POST", "/meter-readings", 201, json=reading)
    readings = admin.ok("GET", "/meter-readings", params={"meter_id": meter["id"]})["items"]
    assert [(r["forbrukning"], r["matarstallning"], r["apris"]) for r in readings] == [(1.1, 14.532, 0.85)]
    assert admin.problem("POST", "/meter-readings", 409, json=reading)["detail"].startswith(
        "There already is a meter reading"
    )
    item = admin.ok(
        "POST",
        "/maintenance-items",
        201,
        json={"node_id": ids["flat"], "atgard": "Bytes", "avser": "Badrum 1 / Handukstork", "planerat": "2027-03-01"},
    )
    assert admin.ok("GET", "/maintenance-items", params={"node_id": ids["flat"]})["items"] == [item]

    file_type = admin.ok("POST", "/file-types", 201, json={"beteckning": "Hyresavtal", "ordning": 10})
    inline = admin.ok(
        "POST",
        "/documents",
        201,
        json={
            "customer_id": ids["anna"],
            "contract_id": ids["contract"],
            "file_type_id": file_type["id"],
            "beteckning": "Hyresavtal",
            "file": {"data": b64(PDF), "mime_type": "application/pdf"},
        },
    )
    assert inline["node_id"] == ids["flat"]  # the contract's object
    stored = admin.ok("GET", f"/files/{inline['file_id']}")
    assert (stored["mime_type"], stored["extension"], stored["size"]) == ("application/pdf", ".pdf", len(PDF))
    uploaded = admin.ok("POST", "/files", 201, files={"file": ("Bruksanvisning.PDF", PDF, "application/pdf")})
    assert (uploaded["mime_type"], uploaded["extension"]) == ("application/pdf", ".pdf")
    linked = admin.ok(
        "POST",
        "/documents",
        201,
        json={
            "customer_id": ids["anna"],
            "file_type_id": file_type["id"],
            "beteckning": "Tvättmaskin 1",
            "file_id": uploaded["id"],
            "webbadress": "https://www.exempel.com/Bruksanvisning.html",
            "meddelande": "Bruksanvisning för tvättmaskin 1.",
        },
    )
    assert admin.ok("GET", "/documents", params={"customer_id": ids["anna"]})["total"] == 2
    admin.problem("DELETE", f"/files/{uploaded['id']}", 409)
    admin.problem("PATCH", f"/documents/{linked['id']}", 422, json={"file_id": None, "webbadress": None})

    notification = admin.ok(
        "POST",
        "/notifications",
        201,
        json={
            "customer_id": ids["anna"],
            "channels": [
                {
                    "kanal_system_name": "Nyhet",
                    "kanal_beteckning": "Utsida nyhet",
                    "notifierad": True,
                    "klar_utc": "2026-11-20T09:34:09.477Z",
                    "amne": "Vattenavstängning",
                    "brodtext": "Vattnet stängs av tisdag 08–12.",
                }
            ],
            "attachments": [{"externt_namn": "Bilaga1.jpg", "file": {"data": b64(JPEG)}}],
        },
    )
    assert notification["channels"][0]["klar_utc"] == "2026-11-20T09:34:09.477000Z"
    second = admin.ok(
        "POST",
        f"/notifications/{notification['id']}/attachments",
        201,
        json={"externt_namn": "Avtal.pdf", "file_id": uploaded["id"]},
    )
    assert [a["externt_id"] for a in admin.ok("GET", f"/notifications/{notification['id']}")["attachments"]] == [1, 2]
    admin.ok("DELETE", f"/notifications/{notification['id']}/attachments/{second['id']}", 204)

    windows = [{"start": "07:00", "end": "10:00"}, {"start": "10:00", "end": "13:00"}]
    generated = admin.ok(
        "POST",
        f"/laundry/{ids['laundry']}/slots",
        201,
        json={"fom": "2026-12-01", "tom": "2026-12-03", "windows": windows},
    )
    assert generated == {"created": 6, "existing": 0}
    again = admin.ok(
        "POST",
        f"/laundry/{ids['laundry']}/slots",
        201,
        json={"fom": "2026-12-03", "tom": "2026-12-04", "windows": windows},
    )
    assert again == {"created": 2, "existing": 2}
    slots = admin.ok("GET", f"/laundry/{ids['laundry']}/slots", params={"fom": "2026-12-02", "tom": "2026-12-02"})
    assert [(s["start"], s["end"]) for s in slots] == [
        ("2026-12-02T07:00:00", "2026-12-02T10:00:00"),
        ("2026-12-02T10:00:00", "2026-12-02T13:00:00"),
    ]
    with admin.database.transaction() as session:
        booked = session.get(LaundrySlot, slots[0]["id"])
        booked.customer_id, booked.booked_at = ids["anna"], admin.clock.now()
    bookings = admin.ok("GET", f"/laundry/{ids['laundry']}/bookings")
    assert [(b["id"], b["customer_id"]) for b in bookings] == [(slots[0]["id"], ids["anna"])]
    assert len(admin.ok("GET", f"/laundry/{ids['laundry']}/slots", params={"booked": False})) == 7
    admin.problem("DELETE", f"/laundry-slots/{slots[0]['id']}", 409)
    admin.ok("DELETE", f"/laundry-slots/{slots[1]['id']}", 204)
    admin.problem(
        "POST",
        f"/laundry/{ids['flat']}/slots",
        422,
        json={"fom": "2026-12-01", "tom": "2026-12-01", "windows": windows},
    )


# --- Lists, changes and credentials ---------------------------------------------------------------


def test_listing_filters_and_pages(admin: Admin) -> None:
    ids = build_world(admin)
    everything = admin.ok("GET", "/nodes")
    assert everything["total"] == 5
    page = admin.ok("GET", "/nodes", params={"limit": 2, "offset": 2})
    assert [n["id"] for n in page["items"]] == [n["id"] for n in everything["items"][2:4]]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    under_property = admin.ok("GET", "/nodes", params={"parent_id": ids["property"]})
    assert {n["id"] for n in under_property["items"]} == {ids["flat"], ids["laundry"]}
    assert admin.ok("GET", "/nodes", params={"object_type": "Tvattstuga"})["items"][0]["id"] == ids["laundry"]
    assert admin.problem("GET", "/nodes", 422, params={"limit": 0})["status"] == 422


def test_a_change_is_validated_as_a_whole(admin: Admin) -> None:
    ids = build_world(admin)
    admin.problem("PATCH", f"/contracts/{ids['contract']}", 422, json={"tom": "2019-12-31"})
    ended = admin.ok("PATCH", f"/contracts/{ids['contract']}", json={"tom": "2027-01-31"})
    assert (ended["fom"], ended["tom"]) == ("2020-01-01", "2027-01-31")
    moved = admin.ok(
        "PATCH", f"/nodes/{ids['freezer']}", json={"parent_id": ids["flat"], "land": "dk", "postnummer": "2100"}
    )
    assert (moved["parent_id"], moved["land"], moved["postnummer"], moved["visningstext"]) == (
        ids["flat"],
        "DK",
        "2100",
        "Frys",
    )
    admin.problem("PATCH", f"/nodes/{ids['freezer']}", 422, json={"visningstext": None})
    admin.problem("PATCH", f"/nodes/{ids['freezer']}", 422, json={"colour": "blue"})
    changed = admin.ok("PATCH", f"/node-classes/{ids['disturbance']}", json={"time_point_type_ids": [], "kod": "S"})
    assert (changed["kod"], changed["time_point_types"]) == ("S", [])
    profile = admin.ok(
        "PATCH", f"/customers/{ids['anna']}", json={"market_profile": {"MarknadEkonomi": {"Kapital": True}}}
    )
    assert profile["market_profile"] == {"MarknadEkonomi": {"Kapital": True}}
    assert profile["fornamn"] == "Anna"


def test_a_locked_login_is_opened_by_staff_or_a_password_reset(admin: Admin) -> None:
    ids = build_world(admin)
    admin.ok("POST", "/api-keys", 201, json={"name": "app", "key": API_KEY})

    def log_in(password: str) -> int:
        body = {"Användarnamn": "anna", "Lösenord": password}
        return admin.client.post("/portal/session/login", json=body, params={"ApiNyckel": API_KEY}).status_code

    assert [log_in("fel") for _ in range(5)] == [401, 401, 401, 401, 429]
    assert log_in("hemligt") == 429
    [login] = admin.ok("GET", "/logins", params={"customer_id": ids["anna"]})["items"]
    assert login["locked_until"] is not None
    admin.ok("POST", f"/logins/{ids['login']}/unlock", 204)
    assert log_in("hemligt") == 200
    assert [log_in("fel") for _ in range(5)][-1] == 429
    admin.ok("PUT", f"/logins/{ids['login']}/password", 204, json={"password": "nytt-losen"})
    assert log_in("nytt-losen") == 200
    admin.problem("POST", "/logins/9999/unlock", 404)


def test_logins_sessions_and_api_keys(admin: Admin) -> None:
    ids = build_world(admin)
    admin.ok("POST", "/api-keys", 201, json={"name": "app", "key": API_KEY})
    assert [k["name"] for k in admin.ok("GET", "/api-keys")] == ["app"]
    assert "key" not in admin.ok("GET", "/api-keys")[0]

    def log_in(password: str) -> httpx.Response:
        body = {"Användarnamn": "anna", "Lösenord": password}
        return admin.client.post("/portal/session/login", json=body, params={"ApiNyckel": API_KEY})

    first, second = log_in("hemligt").json()["Sessionsnyckel"], log_in("hemligt").json()["Sessionsnyckel"]
    admin.ok("PUT", f"/logins/{ids['login']}/password", 204, json={"password": "nytt-losen"})
    assert log_in("hemligt").status_code == 401
    assert log_in("nytt-losen").status_code == 200

    sessions = admin.ok("GET", f"/customers/{ids['anna']}/sessions")
    assert len(sessions) == 3
    assert all(s["active"] for s in sessions)
    admin.ok("DELETE", f"/customers/{ids['anna']}/sessions/{sessions[-1]['id']}", 204)
    assert admin.ok("DELETE", f"/customers/{ids['anna']}/sessions")["ended"] == 2
    assert not any(s["active"] for s in admin.ok("GET", f"/customers/{ids['anna']}/sessions"))
    with admin.database.transaction() as session:
        for key in (first, second):
            with pytest.raises(ApiError):
                service.resolve_session(session, key=key, now=admin.clock.now(), minutes=30)
        assert session.scalar(select(func.count()).select_from(PortalSession)) == 3
        assert logins.purge_sessions(session, now=admin.clock.now()) == 3

    admin.problem("POST", f"/customers/{ids['anna']}/logins", 409, json={"username": "anna", "password": "x"})
    admin.ok("DELETE", "/api-keys/app", 204)
    assert log_in("nytt-losen").status_code == 401
    admin.problem("DELETE", "/api-keys/app", 404)
    admin.ok("DELETE", f"/logins/{ids['login']}", 204)
    assert admin.ok("GET", "/logins", params={"customer_id": ids["anna"]})["total"] == 0


def test_the_outbox_lists_the_messages_bodata_would_send(admin: Admin) -> None:
    ids = build_world(admin)
    with admin.database.transaction() as session:
        session.add(
            OutboxMessage(
                customer_id=ids["anna"],
                channel="epost",
                recipient="anna@example.se",
                subject="Bekräfta din e-postadress",
                body="https://example.se/validera/abc",
                created_at=admin.clock.now(),
            )
        )
    (message,) = admin.ok("GET", "/outbox", params={"customer_id": ids["anna"]})["items"]
    assert (message["recipient"], message["subject"]) == ("anna@example.se", "Bekräfta din e-postadress")
    assert admin.call("DELETE", f"/outbox/{message['id']}").status_code == 405


# --- Refusals -------------------------------------------------------------------------------------


UNKNOWN = [
    ("GET", "/nodes/999999"),
    ("PATCH", "/nodes/999999"),
    ("DELETE", "/nodes/999999"),
    ("GET", "/customers/999999"),
    ("GET", "/invoices/999999"),
    ("POST", "/invoices/999999/payments"),
    ("GET", "/cases/999999"),
    ("POST", "/cases/999999/share-key"),
    ("GET", "/nodes/999999/children"),
    ("GET", "/customers/999999/sessions"),
    ("POST", "/customers/999999/logins"),
    ("PUT", "/logins/999999/password"),
    ("GET", "/files/999999/content"),
    ("DELETE", "/api-keys/nobody"),
    ("GET", "/laundry/999999/slots"),
]


def test_unknown_ids_are_404(admin: Admin) -> None:
    bodies = {
        "/logins": {"username": "x", "password": "y"},
        "/password": {"password": "y"},
        "/payments": {"betalvag": "BG", "belopp": 1, "betalningsdag": "2026-11-01"},
    }
    for method, path in UNKNOWN:
        body = next((body for suffix, body in bodies.items() if path.endswith(suffix)), {})
        problem = admin.problem(method, path, 404, json=body)
        assert problem["type"] == "urn:bodata:error:not_found", path


def test_a_row_of_another_case_is_404(admin: Admin) -> None:
    ids = build_world(admin)
    first = admin.ok("POST", "/cases", 201, json=case_body(ids))
    second = admin.ok("POST", "/cases", 201, json=case_body(ids))
    other_row = second["rows"][0]["id"]
    admin.problem("PATCH", f"/cases/{first['id']}/rows/{other_row}", 404, json={"beskrivning": "x"})
    media = second["rows"][0]["media"][0]["id"]
    admin.problem("DELETE", f"/cases/{first['id']}/rows/{first['rows'][0]['id']}/media/{media}", 404)


def test_records_others_depend_on_are_not_deleted(admin: Admin) -> None:
    ids = build_world(admin)
    before = row_counts(admin.database)
    node = admin.problem("DELETE", f"/nodes/{ids['kitchen']}", 409)
    assert node["errors"] == ["1 node (parent_id)"]
    customer = admin.problem("DELETE", f"/customers/{ids['anna']}", 409)
    assert "1 contract (customer_id)" in customer["errors"]
    admin.problem("DELETE", f"/node-classes/{ids['classes']['Frys']}", 409)
    assert row_counts(admin.database) == before

    admin.ok("DELETE", f"/nodes/{ids['freezer']}", 204)
    admin.ok("DELETE", f"/contracts/{ids['contract']}", 204)
    admin.ok("DELETE", f"/customers/{ids['anna']}", 204)  # with its contact details, addresses and login
    after = row_counts(admin.database)
    assert (after["pm_customer"], after["pm_contact_detail"], after["pm_customer_address"], after["pm_login"]) == (
        0,
        0,
        0,
        0,
    )


def test_duplicate_keys_are_conflicts(admin: Admin) -> None:
    ids = build_world(admin)
    customer = {"kundnummer": "15555", "fornamn": "Anna", "efternamn": "Annan"}
    assert "kundnummer '15555'" in admin.problem("POST", "/customers", 409, json=customer)["detail"]
    contact = {"customer_id": ids["anna"], "kind": "E-postadress", "value": "annan@example.se"}
    admin.problem("POST", "/contact-details", 409, json=contact)
    admin.ok("POST", "/invoices", 201, json=invoice_body(ids))
    assert "avinummer '9213210'" in admin.problem("POST", "/invoices", 409, json=invoice_body(ids))["detail"]
    admin.ok("POST", "/api-keys", 201, json={"name": "app"})
    admin.problem("POST", "/api-keys", 409, json={"name": "app"})


def _bad_requests(ids: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, body, words of the expected problem) of requests that break a rule."""
    flat, kitchen = ids["flat"], ids["kitchen"]
    contract = {"avtalsnummer": "A-9", "customer_id": ids["anna"], "node_id": flat, "fom": "2026-01-01"}
    oversized = bytes(PNG) + bytes(MEDIA_LIMIT)

    def rows_with(media: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"node_path": f"n{flat}", "beskrivning": "ok"}, {"node_path": f"n{flat}-n{kitchen}", "media": [media]}]

    return [
        ("POST", "/contracts", {**contract, "tom": "2025-12-31"}, "before the start"),
        ("POST", "/contracts", {**contract, "node_id": 999999}, "no node with id 999999"),
        (
            "POST",
            "/nodes",
            {"parent_id": 999999, "node_class_id": ids["classes"]["Kok"], "visningstext": "Kök"},
            "parent_id",
        ),
        ("PATCH", f"/nodes/{ids['property']}", {"parent_id": ids["freezer"]}, "cycle"),
        ("PATCH", f"/nodes/{flat}", {"parent_id": flat}, "cycle"),
        ("POST", "/cases", case_body(ids, rows=rows_with({"file": {"data": b64(PDF)}})), "not an image"),
        ("POST", "/cases", case_body(ids, rows=rows_with({"file": {"data": b64(oversized)}})), "at most 4096"),
        ("POST", "/cases", case_body(ids, rows=[{"node_path": f"n{kitchen}-n{flat}"}]), "not a child"),
        ("POST", "/cases", case_body(ids, contact={"visningsnamn": "Bo"}, node_id=999999), "no node with id"),
        ("POST", "/invoices", invoice_body(ids, betalningsreferens="1234567890"), "OCR"),
        ("POST", "/invoices", invoice_body(ids, nettobelopp=1), "not the sum of its rows"),
        ("POST", "/invoices", invoice_body(ids, contract_id=ids["contract"], customer_id=999999), "customer_id"),
        (
            "POST",
            "/customers",
            {"kundnummer": "9", "fornamn": "A", "efternamn": "B", "personnummer": "198112189875"},
            "personnummer",
        ),
        (
            "POST",
            "/customers",
            {"kundnummer": "9", "fornamn": "A", "efternamn": "B", "market_profile": {"Lön": 1}},
            "Lön",
        ),
        ("POST", "/addresses", {"customer_id": ids["anna"], "kind": "kund.post", "postnummer": "1234"}, "postnummer"),
        (
            "POST",
            "/node-classes",
            {"group_system_name": "Rum", "system_name": "Hall", "beteckning": "Hall", "time_point_type_ids": [999]},
            "999",
        ),
        (
            "POST",
            "/laundry/{laundry}/slots".format(**ids),
            {
                "fom": "2026-12-01",
                "tom": "2026-12-02",
                "windows": [{"start": "07:00", "end": "10:00"}, {"start": "09:00", "end": "12:00"}],
            },
            "overlap",
        ),
        (
            "POST",
            "/documents",
            {"customer_id": ids["anna"], "file_type_id": 999999, "beteckning": "X", "webbadress": "https://x.se"},
            "file_type_id",
        ),
        ("POST", "/documents", {"customer_id": ids["anna"], "file_type_id": 1, "beteckning": "X"}, "file_id"),
    ]


def test_bad_input_is_422_and_writes_nothing(admin: Admin) -> None:
    ids = build_world(admin)
    admin.ok("POST", "/file-types", 201, json={"beteckning": "Hyresavtal"})
    before = row_counts(admin.database)
    for method, path, body, words in _bad_requests(ids):
        problem = admin.problem(method, path, 422, json=body)
        assert words in problem["detail"] + " ".join(problem.get("errors", [])), (path, problem)
        assert row_counts(admin.database) == before, (path, body)


def test_case_numbers_run_within_each_month(admin: Admin) -> None:
    ids = build_world(admin)
    november = [admin.ok("POST", "/cases", 201, json=case_body(ids, rows=[]))["nummer"] for _ in range(2)]
    admin.ok("POST", "/cases", 201, json=case_body(ids, rows=[], nummer="R-2611-1500"))
    assert november == ["R-2611-1000", "R-2611-1001"]
    admin.clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=admin.clock.now().tzinfo))  # 00:30 on 1 December in Sweden
    with admin.database.transaction() as session:
        assert cases.next_case_number(session, admin.clock.now()) == "R-2612-1000"
        assert cases.next_case_number(session, admin.clock.now() - timedelta(hours=1)) == "R-2611-1501"


def test_the_media_limit_and_image_check_apply_to_uploaded_files_too(admin: Admin) -> None:
    ids = build_world(admin)
    case = admin.ok("POST", "/cases", 201, json=case_body(ids))
    base = f"/cases/{case['id']}/rows/{case['rows'][0]['id']}/media"
    pdf = admin.ok("POST", "/files", 201, files={"file": ("a.pdf", PDF, "application/pdf")})
    big = admin.ok("POST", "/files", 201, files={"file": ("big.png", PNG + bytes(MEDIA_LIMIT), "image/png")})
    small = admin.ok("POST", "/files", 201, files={"file": ("photo", JPEG, "application/octet-stream")})
    assert (small["mime_type"], small["extension"]) == ("image/jpeg", ".jpg")
    admin.problem("POST", base, 422, json={"file_id": pdf["id"]})
    admin.problem("POST", base, 422, json={"file_id": big["id"]})
    admin.problem("POST", base, 422, json={"file_id": small["id"], "file": {"data": b64(JPEG)}})
    admin.problem("POST", base, 422, json={"file": {"data": "not base64!"}})
    assert admin.ok("POST", base, 201, json={"file_id": small["id"]})["file_id"] == small["id"]
    uploaded = admin.ok("POST", f"{base}/upload", 201, files={"file": ("bild.png", PNG)}, data={"notering": "Golvet"})
    assert uploaded["notering"] == "Golvet"
    assert admin.call("GET", f"/files/{uploaded['file_id']}/content").headers["content-type"] == "image/png"
    before = row_counts(admin.database)
    admin.problem("POST", f"{base}/upload", 422, files={"file": ("bild.png", PDF)})
    admin.problem("POST", f"{base}/upload", 422, files={"file": ("bild.png", PNG + bytes(MEDIA_LIMIT))})
    assert row_counts(admin.database) == before


def test_amount_rules_without_http() -> None:
    rows = [ledger.Amounts(Decimal("7847"), Decimal("0")), ledger.Amounts(Decimal("42.40"), Decimal("10.60"))]
    entry = ledger.total(rows, netto=None, moms=None, where="entry")
    assert (entry.netto, entry.moms, entry.brutto) == (Decimal("7889.40"), Decimal("10.60"), Decimal("7900.00"))
    assert ledger.total([], netto=Decimal(100), moms=None, where="x").brutto == Decimal(100)
    with pytest.raises(ApiError):
        ledger.total(rows, netto=Decimal(1), moms=None, where="entry")
    with pytest.raises(ApiError):
        ledger.total([], netto=None, moms=Decimal(1), where="entry")
    assert amounts.balance(Decimal(7900), Decimal(6000)) == (Decimal(1900), Decimal(1900))
    assert amounts.balance(Decimal(7900), Decimal(8000)) == (Decimal(-100), Decimal(0))


def test_the_back_office_recognises_images_like_the_tenant_api() -> None:
    assert images.image_type(PNG) == ("image/png", ".png")
    assert images.image_type(JPEG) == ("image/jpeg", ".jpg")
    assert images.image_type(b"\x00\x00\x00\x18ftypheic") == ("image/heic", ".heic")
    assert images.image_type(PDF) is None
    assert images.image_type(b"") is None


def test_openapi_documents_the_back_office(tmp_path: Path) -> None:
    database = Database(create_database_engine(f"sqlite:///{tmp_path / 'unused.db'}"))  # the document needs no data
    client = TestClient(create_app(Settings(secret_key="k"), services=[SERVICE], database=database))
    document = client.get("/portal/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/admin/company",
        "/admin/nodes",
        "/admin/nodes/{id}",
        "/admin/nodes/{id}/children",
        "/admin/customers/{id}/logins",
        "/admin/invoices/{id}/payments",
        "/admin/cases/{id}/rows/{row_id}",
        "/admin/cases/{id}/share-key",
        "/admin/maintenance-offers",
        "/admin/laundry/{node_id}/slots",
        "/admin/api-keys/{name}",
        "/admin/staff-tokens",
        "/admin/outbox",
    ):
        assert path in paths, path
    assert set(paths["/admin/nodes/{id}"]) == {"get", "patch", "delete"}
    assert paths["/admin/invoices"]["post"]["summary"] == "Create an invoice"
    schemas = document["components"]["schemas"]
    assert schemas["InvoiceCreate"]["examples"][0]["avinummer"] == "9213210"
    assert "HTTPBearer" in document["components"]["securitySchemes"]


@pytest.mark.parametrize("username", ["an\x00na", "an\nna", "anna\x07", "   ", "\t"])
def test_login_names_with_nul_control_characters_line_breaks_or_only_blanks_are_refused(
    admin: Admin, username: str
) -> None:
    ids = build_world(admin)
    before = row_counts(admin.database)["pm_login"]
    problem = admin.problem(
        "POST", f"/customers/{ids['anna']}/logins", 422, json={"username": username, "password": "hemligt"}
    )
    assert any("username" in detail for detail in problem["errors"])
    assert row_counts(admin.database)["pm_login"] == before
