"""The newcomer's path: `bodata serve --demo`, the demo integration's first run, a change in Axema, run again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ..live import LIVE_SERVER_SECRET_KEY, start_live_server

pytestmark = pytest.mark.e2e
BEARER = {"Authorization": "Bearer demo"}


def wait_for(condition, timeout: float = 600):
    """Poll ``condition`` until it gives something true; the limit only guards against a hang."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out waiting")


def test_demo_integration_runs_and_mirrors_a_change(demo_database_url: str, tmp_path: Path) -> None:
    server = start_live_server(database_url=demo_database_url, workdir=tmp_path, args=("--demo",))
    try:
        api = httpx.Client(base_url=f"{server.url}/boenderegister/api", headers=BEARER, timeout=30)
        addresses = wait_for(lambda: len(api.get("/addresses").json()) > 1 and api.get("/addresses").json())
        fed = next(address for address in addresses if address["from_integration"])
        metrics = httpx.get(f"{server.url}/metrics", timeout=30).text
        assert re.search(r'bodata_integration_runs_total\{status="succeeded",trigger="\w+"\} 1\.0', metrics)
        board = api.get(f"/addresses/{fed['id']}/nameboard").json()
        apartment = next(apt for floor in board["floors"] for apt in floor["apartments"] if apt["names"])
        resident = api.get(f"/apartments/{apartment['id']}").json()["residents"][0]

        sim = httpx.Client(base_url=f"{server.url}/axema-sim", auth=("demo", "demo"), timeout=30)
        assert sim.get("/sim/state").status_code == 200
        changed = sim.patch(
            f"/sim/persons/{resident_external_id(server.url, resident)}", json={"lastName": "Nyinflyttad"}
        )
        assert changed.status_code == 200, changed.text

        env = {**os.environ, "BODATA_DATABASE_URL": demo_database_url, "BODATA_SECRET_KEY": LIVE_SERVER_SECRET_KEY}
        synced = subprocess.run(
            [sys.executable, "-m", "bodata", "boenderegister", "sync"], env=env, capture_output=True, text=True
        )
        assert synced.returncode == 0, synced.stdout + synced.stderr
        names = [name for floor in api.get(f"/addresses/{fed['id']}/nameboard").json()["floors"]
                 for apt in floor["apartments"] for name in apt["names"]]  # fmt: skip
        assert f"Nyinflyttad {resident['first_name']}" in names
    finally:
        server.stop()


def resident_external_id(base_url: str, resident: dict) -> str:
    """The stand-in's id of a register resident (the API shows names; the stand-in lists persons)."""
    with httpx.Client(base_url=f"{base_url}/axema-sim/api/v1", timeout=30) as client:
        token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo")).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        persons = client.get("/persons", params={"limit": 1000}).json()["items"]
    return next(
        person["id"]
        for person in persons
        if (person["firstName"], person["lastName"]) == (resident["first_name"], resident["last_name"])
    )
