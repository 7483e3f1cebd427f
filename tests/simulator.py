"""Fixtures for tests that talk to the Axema stand-in on loopback: one server per module, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bodata.axema_sim import Faults, RunningSim, SimState, start_sim


def simulator_fixtures(*, seed: int, apartments: int):
    """The fixtures ``running_sim`` (module), ``sim`` (reset, no faults) and ``control`` (its /sim client)."""

    @pytest.fixture(scope="module")
    def running_sim() -> Iterator[RunningSim]:
        with start_sim(SimState(seed=seed, apartments=apartments)) as started:
            yield started

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

    return running_sim, sim, control
