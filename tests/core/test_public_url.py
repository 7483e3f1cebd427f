"""Absolute links come from BODATA_PUBLIC_URL or the server's own address, never from the Host header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bodata.app import create_app
from bodata.core.config import ConfigError, Settings
from bodata.core.db import Database
from bodata.huslejeregister.service_entry import SERVICE as HUSLEJEREGISTER


def _wsdl_address(database: Database, settings: Settings) -> str:
    client = TestClient(create_app(settings, services=[HUSLEJEREGISTER], database=database))
    response = client.get("/huslejeregister/v3?wsdl", headers={"Host": "attacker.example"})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_the_wsdl_address_ignores_the_host_header(database: Database) -> None:
    wsdl = _wsdl_address(database, Settings(secret_key="k"))
    assert "attacker.example" not in wsdl
    assert 'location="http://testserver/huslejeregister/v3"' in wsdl


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_the_wsdl_address_follows_bodata_public_url(database: Database) -> None:
    wsdl = _wsdl_address(database, Settings(secret_key="k", public_url="https://lbf.example.dk/bodata/"))
    assert 'location="https://lbf.example.dk/bodata/huslejeregister/v3"' in wsdl
    assert "https://lbf.example.dk/bodata/huslejeregister/v3?xsd=HuslejeregisterV3.xsd" in wsdl
    assert "attacker.example" not in wsdl


@pytest.mark.parametrize("value", ["ftp://x.example", "https://x.example/?a=1", "x.example"])
def test_a_public_url_that_is_no_http_url_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="BODATA_PUBLIC_URL"):
        Settings.from_env({"BODATA_PUBLIC_URL": value})
