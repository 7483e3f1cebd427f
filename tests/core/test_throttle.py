"""Login throttling (core/throttle.py) on /token and SOAP WS-Security: five wrong secrets in a row lock a name."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.throttle import unlock
from bodata.huslejeregister import organisations as register
from bodata.huslejeregister.schema import NS, SOAP_ENV_NS
from bodata.huslejeregister.service_entry import SERVICE as HUSLEJEREGISTER
from bodata.huslejeregister.soap import PASSWORD_TEXT, WSSE_NS
from bodata.inskrivning import service as inskrivning
from bodata.inskrivning.service_entry import SERVICE as INSKRIVNING


def _app(database: Database, clock: FixedClock) -> TestClient:
    settings = Settings(secret_key="k")
    return TestClient(create_app(settings, services=[INSKRIVNING, HUSLEJEREGISTER], database=database, clock=clock))


@pytest.fixture
def client(database: Database, clock: FixedClock) -> TestClient:
    with database.transaction() as session:
        inskrivning.add_client(session, "c1", secret="s1", now=clock.now())
        register.add_user(session, "soap", "right", [], now=clock.now())
    return _app(database, clock)


def _token(client: TestClient, client_id: str, secret: str):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post("/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"})


@pytest.mark.parametrize("client_id", ["c1", "nobody"])
def test_five_wrong_secrets_lock_a_client_id_known_or_not(
    client: TestClient, clock: FixedClock, client_id: str
) -> None:
    assert [_token(client, client_id, "wrong").status_code for _ in range(5)] == [401, 401, 401, 401, 429]
    locked = _token(client, client_id, "s1")
    assert locked.status_code == 429
    assert locked.json()["error"] == "invalid_client"
    assert int(locked.headers["Retry-After"]) == 15 * 60
    clock.advance(timedelta(minutes=15, seconds=1))
    assert _token(client, client_id, "s1").status_code == (200 if client_id == "c1" else 401)


def test_a_right_secret_resets_the_count(client: TestClient) -> None:
    for _ in range(4):
        assert _token(client, "c1", "wrong").status_code == 401
    assert _token(client, "c1", "s1").status_code == 200
    assert [_token(client, "c1", "wrong").status_code for _ in range(4)] == [401] * 4


def test_an_operator_can_lift_a_lock(client: TestClient, database: Database) -> None:
    for _ in range(5):
        _token(client, "c1", "wrong")
    assert unlock(database, realm="token", name="c1") is True
    assert _token(client, "c1", "s1").status_code == 200


@pytest.mark.parametrize("client_id", ["c\x001", "\x00", "c1\n"])
def test_a_client_id_with_nul_or_control_characters_is_401_not_500(client: TestClient, client_id: str) -> None:
    assert _token(client, client_id, "s1").status_code == 401


def _soap(client: TestClient, password: str):
    envelope = (
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" xmlns:wsse="{WSSE_NS}" xmlns:hr="{NS}">'
        "<soap:Header><wsse:Security><wsse:UsernameToken>"
        f'<wsse:Username>soap</wsse:Username><wsse:Password Type="{PASSWORD_TEXT}">{password}</wsse:Password>'
        "</wsse:UsernameToken></wsse:Security></soap:Header>"
        "<soap:Body><hr:BoligorganisationListInputStruktur/></soap:Body></soap:Envelope>"
    )
    return client.post("/huslejeregister/v3", content=envelope, headers={"Content-Type": "text/xml; charset=utf-8"})


def test_soap_ws_security_is_throttled_with_a_danish_fault(client: TestClient) -> None:
    answers = [_soap(client, "wrong").text for _ in range(5)]
    assert all("Brugernavn eller adgangskode er forkert" in answer for answer in answers[:4])
    assert "spærret" in answers[4]
    locked = _soap(client, "right")
    assert locked.status_code == 500
    assert "FailedAuthentication" in locked.text
    assert "spærret" in locked.text
