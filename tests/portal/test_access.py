"""Logging in and out, session keys in every documented place, expiry, API keys and the path forms of §5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bodata.core.security import token_digest
from bodata.portal.models import PortalSession
from bodata.portal.paths import normalize

from .conftest import Portal
from .fixtures import API_KEY


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


def test_login_without_body_fields_is_a_felmeddelande(portal: Portal) -> None:
    response = portal.client.post("/portal/session/login", json={"Användarnamn": "anna"}, params={"ApiNyckel": API_KEY})
    assert response.status_code == 422
    assert response.json()["Felkod"] == "invalid_request"


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
