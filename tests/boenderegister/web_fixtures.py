"""Helpers for the web UI tests: the app in-process, logging in through the form, reading CSRF tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bodata.app import create_app
from bodata.boenderegister.service_entry import SERVICE
from bodata.core.clock import Clock
from bodata.core.config import Settings
from bodata.core.db import Database

BASE = "/boenderegister"
SECRET_KEY = "boenderegister-tests"  # the key of factories.SECRETS: the app decrypts what factories stored
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_client(database: Database, clock: Clock, *, base_url: str = "http://testserver") -> TestClient:
    """A client of the app with only the register mounted (no lifespan: the scheduler stays off)."""
    app = create_app(Settings(secret_key=SECRET_KEY), services=[SERVICE], database=database, clock=clock)
    return TestClient(app, base_url=base_url, follow_redirects=False)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = "secret-pw") -> str:  # noqa: S107  (factories' test password)
    """Log in through the form; returns the session's CSRF token (as the pages carry it)."""
    form = client.get(f"{BASE}/login")
    assert form.status_code == 200
    response = client.post(
        f"{BASE}/login", data={"username": username, "password": password, "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{BASE}/addresses"
    page = client.get(f"{BASE}/addresses")
    assert page.status_code == 200
    return csrf_of(page.text)
