"""Logging in and out, session keys in every documented place, expiry, API keys and the path forms of §5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bodata.core.security import token_digest
from bodata.portal.models import Login, PortalSession
from bodata.portal.paths import normalize

from .conftest import Portal
from .fixtures import API_KEY
from .test_nodes import client_with


def test_login_returns_a_session_key_stored_only_as_a_digest(portal: Portal) -> None:
    response = portal.login("anna")
    assert response.status_code == 200
    key = response.json()["Sessionsnyckel"]
    assert len(key) >= 40
    assert response.json()["GiltigTill"].endswith("Z")
    with portal.database.transaction() as session:
        digests = set(session.scalars(select(PortalSession.digest)))
    assert token_digest(key) in digests
    assert key not in digests


@pytest.mark.parametrize(("username", "password"), [("anna", "fel"), ("ingen", "hemligt"), ("ANNA", "hemligt")])
def test_wrong_credentials_get_the_same_felmeddelande(portal: Portal, username: str, password: str) -> None:
    response = portal.login(username, password)
    assert response.status_code == 401
    assert response.json() == {
        "Felkod": "SessionOgiltig",
        "Meddelande": "Fel användarnamn eller lösenord.",
        "Detaljer": [],
    }


def test_five_wrong_passwords_in_a_row_lock_the_login_for_fifteen_minutes(portal: Portal) -> None:
    for _ in range(4):
        assert portal.login("anna", "fel").status_code == 401
    locked = portal.login("anna", "fel")
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert locked.json() == {
        "Felkod": "InloggningSparrad",
        "Meddelande": "För många felaktiga lösenord i rad: inloggningen är spärrad en stund.",
        "Detaljer": ["Försök igen efter 2026-11-23T12:15:00Z."],
    }
    portal.clock.advance(timedelta(minutes=14))
    still = portal.login("anna")
    assert (still.status_code, still.headers["retry-after"]) == (429, "60"), "the right password waits too"
    assert portal.login("bertil").status_code == 200, "other logins are not affected"
    assert portal.get("/session").status_code == 200, "open sessions stay open"
    portal.clock.advance(timedelta(minutes=1))
    assert portal.login("anna").status_code == 200
    with portal.database.transaction() as session:
        login = session.scalars(select(Login).where(Login.username == "anna")).one()
        assert (login.failed_logins, login.locked_until) == (0, None)


def test_a_right_password_starts_the_count_again(portal: Portal) -> None:
    for _ in range(4):
        assert portal.login("anna", "fel").status_code == 401
    assert portal.login("anna").status_code == 200
    for _ in range(4):
        assert portal.login("anna", "fel").status_code == 401
    assert portal.login("anna").status_code == 200


def test_unknown_users_lock_nothing_and_the_lockout_can_be_turned_off(portal: Portal) -> None:
    client = client_with(portal, portal_login_max_failures=0)
    for username in ("anna", "ingen"):
        body = {"Användarnamn": username, "Lösenord": "fel"}
        for _ in range(7):
            assert client.post("/portal/session/login", json=body, params={"ApiNyckel": API_KEY}).status_code == 401
    with portal.database.transaction() as session:
        assert session.scalars(select(Login.locked_until)).all() == [None, None]


def test_login_without_body_fields_is_a_felmeddelande(portal: Portal) -> None:
    response = portal.client.post("/portal/session/login", json={"Användarnamn": "anna"}, params={"ApiNyckel": API_KEY})
    assert response.status_code == 400
    assert response.json() == {
        "Felkod": "OgiltigBegaran",
        "Meddelande": "Anropet har inte den förväntade formen.",
        "Detaljer": ["Lösenord: saknas"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/portal/session/{key}",
        "/portal/Session/{key}",
        "/portal/session/{key}/",
        "/portal/v1/session/{key}",
        "/portal/session?Sessionsnyckel={key}",
        "/portal/session?sessionsnyckel={key}",
    ],
)
def test_the_session_key_is_accepted_where_the_spec_puts_it(portal: Portal, path: str) -> None:
    url = path.format(key=portal.keys["anna"])
    separator = "&" if "?" in url else "?"
    response = portal.client.get(f"{url}{separator}ApiNyckel={API_KEY}")
    assert response.status_code == 200, response.text


def test_the_session_key_as_a_header(portal: Portal) -> None:
    response = portal.client.get(
        "/portal/session", headers={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("key", ["", "okand-nyckel", "jCYrQ4tb"])
def test_unknown_or_missing_session_keys_are_401(portal: Portal, key: str) -> None:
    response = portal.client.get("/portal/session", params={"Sessionsnyckel": key, "ApiNyckel": API_KEY})
    assert response.status_code == 401
    assert response.json()["Felkod"] == "SessionOgiltig"
    assert response.headers["www-authenticate"].startswith("Sessionsnyckel")


def test_sessions_expire_after_the_idle_time_and_slide_while_used(portal: Portal) -> None:
    portal.clock.advance(timedelta(minutes=20))
    assert portal.get("/session").status_code == 200
    portal.clock.advance(timedelta(minutes=25))
    assert portal.get("/session").status_code == 200, "the call 20 minutes in extended the session"
    portal.clock.advance(timedelta(minutes=31))
    response = portal.get("/session")
    assert response.status_code == 401
    assert "gått ut" in response.json()["Meddelande"]


def test_logout_ends_the_session_at_once(portal: Portal) -> None:
    response = portal.post("/session/logout", {})
    assert response.status_code == 200
    assert response.json() == {"Fel": None}
    assert portal.get("/session").status_code == 401
    assert portal.get("/session", tenant="bertil").status_code == 200


@pytest.mark.parametrize("api_key", [None, "fel-nyckel"])
def test_every_call_needs_the_api_key(portal: Portal, api_key: str | None) -> None:
    params = {"Sessionsnyckel": portal.keys["anna"]}
    if api_key:
        params["ApiNyckel"] = api_key
    response = portal.client.get("/portal/session", params=params)
    assert response.status_code == 401
    assert response.json()["Felkod"] == ("ApiNyckelOgiltig" if api_key else "ApiNyckelSaknas")
    login = portal.client.post("/portal/session/login", json={"Användarnamn": "anna", "Lösenord": "hemligt"})
    assert login.status_code == 401


def test_unknown_routes_answer_a_felmeddelande(portal: Portal) -> None:
    response = portal.get("/session/finns/inte/alls")
    assert response.status_code == 404
    assert set(response.json()) == {"Felkod", "Meddelande", "Detaljer"}


ID_PATHS = [
    "/session/kund/ekonomi/avisering/{id}",
    "/session/kund/dokument/{id}",
    "/session/notifieringBilagaFil/{id}/1",
    "/session/notifieringBilagaFil/1/{id}",
    "/session/arende/{id}",
    "/session/arende/protokoll/{id}/true",
    "/session/arenderadfil/{id}/1/1",
    "/session/arenderadfil/1/1/{id}",
]
"""Every tenant route with an integer (Heltal) id in its path."""


@pytest.mark.parametrize("path", ID_PATHS)
@pytest.mark.parametrize("number", ["9223372036854775808", "2147483648", "0"])
def test_ids_no_record_can_have_are_404_not_500(portal: Portal, path: str, number: str) -> None:
    response = portal.get(path.format(id=number))
    assert response.status_code == 404, response.text
    assert response.json()["Felkod"] == "HittadesInte"


@pytest.mark.parametrize("path", ID_PATHS)
def test_non_numeric_ids_are_400_ogiltig_begaran_in_swedish(portal: Portal, path: str) -> None:
    response = portal.get(path.format(id="abc"))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["Felkod"] == "OgiltigBegaran"
    assert "heltal" in body["Meddelande"]


def test_huge_ids_in_a_body_are_unknown_ids(portal: Portal) -> None:
    response = portal.post("/session/Boka", {"Id": 2**63, "Tid": "2026-11-24T08:00:00"})
    assert (response.status_code, response.json()["Felkod"]) == (404, "HittadesInte")
    address = {"AdressId": 2**63, "Gatuadress1": "Testvägen 1", "Postnummer": "79156", "Postort": "Malmö"}
    response = portal.post("/session/kund/sparatillfalligadress/", address)
    assert (response.status_code, response.json()["Felkod"]) == (404, "HittadesInte")


ENGLISH = ("not", "found", "request", "invalid", "method", "allowed", "field", "required", "error", "the ")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/portal/finns-inte", 404, "HittadesInte"),
        ("GET", "/portal/session/kund/finns/inte", 404, "HittadesInte"),
        ("DELETE", "/portal/session/login", 405, "MetodEjTillaten"),
        ("GET", "/portal/session/kund/ekonomi/avisering/x1", 400, "OgiltigBegaran"),
    ],
)
def test_every_portal_error_is_a_swedish_felmeddelande(
    portal: Portal, method: str, path: str, status: int, code: str
) -> None:
    response = portal.client.request(method, path, params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY})
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"Felkod", "Meddelande", "Detaljer"}
    assert body["Felkod"] == code
    text = " ".join([body["Meddelande"], *body["Detaljer"]]).lower()
    assert not [word for word in ENGLISH if word in text], text


def test_a_too_large_body_is_a_swedish_felmeddelande(portal: Portal) -> None:
    response = portal.client.post(
        "/portal/session/arende/",
        content=b"x" * (13 * 1024 * 1024),
        params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY},
    )
    assert response.status_code == 413
    assert response.json()["Felkod"] == "ForStorBegaran"


@pytest.mark.parametrize(
    ("path", "key_elsewhere", "expected"),
    [
        ("/session/KEY", False, ("/session", "KEY")),
        ("/session/AllmantArende", True, ("/session/AllmantArende", None)),
        ("/session/KEY/AllmantArende", False, ("/session/AllmantArende", "KEY")),
        ("/Session/KEY/Tvättstugor", False, ("/session/Tvättstugor", "KEY")),
        ("/Session/KEY/tvattstugor", False, ("/session/Tvättstugor", "KEY")),
        ("/v1/session/kund/adresser/", False, ("/session/kund/adresser", None)),
        (
            "/session/KEY/arende/typ/order/felanmälan/n1-n2",
            False,
            ("/session/arende/typ/order/felanmälan/n1-n2", "KEY"),
        ),
        ("/session/Arende/5", True, ("/session/arende/5", None)),
        ("/session/NotifieringBilagaFil/1/2", True, ("/session/notifieringBilagaFil/1/2", None)),
        ("/Arende/DelNyckel", False, ("/arende/DelNyckel", None)),
        ("/admin/nodes", False, ("/admin/nodes", None)),
    ],
)
def test_path_forms_map_onto_one_route_table(path: str, key_elsewhere: bool, expected: tuple[str, str | None]) -> None:
    assert normalize(path, key_elsewhere=key_elsewhere) == expected
