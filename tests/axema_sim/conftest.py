"""A simulator served on loopback for the API tests, back to its generated state before every test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bodata.axema_sim import Faults, RunningSim, SimState, start_sim


@pytest.fixture(scope="module")
def running_sim() -> Iterator[RunningSim]:
    with start_sim(SimState(seed=7, apartments=60)) as sim:
        yield sim


@pytest.fixture
def sim(running_sim: RunningSim) -> RunningSim:
    running_sim.state.set_faults(Faults())
    running_sim.state.reset()
    return running_sim


@pytest.fixture
def control(sim: RunningSim) -> Iterator[httpx.Client]:
    """A client of the control API, logged in with the integration account."""
    with httpx.Client(base_url=f"{sim.url}/sim", auth=("demo", "demo"), timeout=10) as client:
        yield client


@pytest.fixture
def api(sim: RunningSim) -> Iterator[httpx.Client]:
    """A client of the data API holding a valid bearer token."""
    with httpx.Client(base_url=f"{sim.url}/api/v1", timeout=10) as client:
        token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo"))
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client
