"""A simulator served on loopback for the API tests, back to its generated state before every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bodata.axema_sim import RunningSim

from ..simulator import simulator_fixtures

running_sim, sim, control = simulator_fixtures(seed=7, apartments=60)


@pytest.fixture
def api(sim: RunningSim) -> Iterator[httpx.Client]:
    """A client of the data API holding a valid bearer token."""
    with httpx.Client(base_url=f"{sim.url}/api/v1", timeout=10) as client:
        token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo"))
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client
