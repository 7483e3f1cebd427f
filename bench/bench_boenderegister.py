"""Integration runs at scale: a stand-in Axema Vaka with 20,000 apartments, 40,000 residents and 60,000 keys.

The stand-in runs as its own process (``bodata axema-sim``) on loopback. Baseline: downloading the same data
with httpx (token, system, every page of groups and persons, JSON decoded), measured in the same run.
Measured: the first full sync into an empty register, a re-sync with no change (must write nothing), and a
re-sync after 1 % of the residents changed in Axema (must write only those), plus the process's peak memory.
A download is timed right before every sync and the re-sync with no change is run ``--rounds`` times: the table
gives the best download and the best re-sync, so a machine shared with other work compares like with like.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tests.live import free_port

from bench.report import relative_to, report
from bodata.boenderegister.models import Account, Integration
from bodata.boenderegister.sync import run_integration, source_for
from bodata.core.clock import SystemClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.core.security import SecretBox

PAGE = 1000


def start_stand_in(apartments: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "bodata", "axema-sim", "--port", str(port), "--apartments", str(apartments)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/sim/state", auth=("demo", "demo"), timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the Axema stand-in did not start")


def download(url: str) -> int:
    """The baseline: everything a sync reads, fetched and decoded with plain httpx."""
    with httpx.Client(base_url=f"{url}/api/v1", timeout=60) as client:
        token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo")).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        client.get("/system").json()
        records = 0
        for listing in ("/organisation-groups", "/persons"):
            offset, total = 0, None
            while total is None or offset < total:
                page = client.get(listing, params={"offset": offset, "limit": PAGE}).json()
                total = page["total"]
                offset += len(page["items"])
                records += len(page["items"])
    return records


def change_one_percent(url: str) -> int:
    """Rename 1 % of the persons through the stand-in's control API; returns how many."""
    with httpx.Client(base_url=url, timeout=60) as client:
        token = client.post("/api/v1/token", data={"grant_type": "client_credentials"}, auth=("demo", "demo")).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        persons = client.get("/api/v1/persons", params={"limit": PAGE}, headers=headers).json()
        total = persons["total"]
        chosen = [person for person in persons["items"] if person["organisationGroupIds"]][: total // 100]
        for person in chosen:
            client.patch(
                f"/sim/persons/{person['id']}", json={"lastName": person["lastName"] + "-Ny"}, auth=("demo", "demo")
            )
    return len(chosen)


def timed(action):
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1e6, result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apartments", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="re-syncs with no change (the best is reported)")
    args = parser.parse_args(argv)
    process, url = start_stand_in(args.apartments)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            database_url = os.environ.get("BODATA_BENCH_DATABASE_URL") or f"sqlite:///{Path(workdir) / 'bench.db'}"
            return _measure(url, database_url, args.apartments, args.rounds)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _measure(url: str, database_url: str, apartments: int, rounds: int) -> dict:
    database = Database.from_settings(Settings(database_url=database_url))
    upgrade(database.engine)
    secrets, clock = SecretBox("bench"), SystemClock()
    now = datetime.now(UTC)
    with database.transaction() as session:
        account = Account(name=f"Bench {now.isoformat()}", shown_number="lantmateriet", created_at=now)
        session.add(account)
        session.flush()
        integration = Integration(
            account_id=account.id,
            name="bench",
            base_url=url,
            username="demo",
            password_encrypted=secrets.encrypt("demo"),
            created_at=now,
            removal_threshold=0.2,
            schedule_time="02:00",
            timezone="Europe/Stockholm",
            enabled=True,  # not scheduled (no next_run_at); a paused integration would refuse the runs
            data_format="AXEMA",
        )
        session.add(integration)
        session.flush()
        integration_id = integration.id

    def sync():
        run = run_integration(
            database, integration_id, make_source=lambda i: source_for(i, secrets), clock=clock, trigger="bench"
        )
        if run.status != "succeeded":
            raise RuntimeError(f"sync {run.status}: {run.message}")
        return run

    download(url)  # warm the stand-in's caches
    downloads = []

    def baseline() -> int:
        elapsed, records = timed(lambda: download(url))
        downloads.append(elapsed)
        return records

    records = baseline()
    first_us, first = timed(sync)
    resyncs = []
    for _ in range(rounds):
        baseline()
        resyncs.append(timed(sync))
    again_us, again = min(resyncs, key=lambda timing: timing[0])
    changed = change_one_percent(url)
    baseline()
    partial_us, partial = timed(sync)
    baseline_us = min(downloads)
    database.dispose()
    writes = {name: sum(run.changes[kind][action] for kind in run.changes for action in run.changes[kind])
              for name, run in (("first", first), ("again", again), ("partial", partial))}  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report(
        f"Axema sync: {apartments} apartments, {first.persons_read} persons ({database.backend})",
        relative_to(
            baseline_us,
            {
                "download with httpx (baseline)": baseline_us,
                f"first full sync ({writes['first']} writes)": first_us,
                f"re-sync, no change ({writes['again']} writes, best of {rounds})": again_us,
                f"re-sync, {changed} residents renamed ({writes['partial']} writes)": partial_us,
            },
        ),
        filename="boenderegister.json",
        context={
            "records_downloaded": records,
            "downloads_us": [round(elapsed) for elapsed in downloads],
            "resyncs_us": [round(elapsed) for elapsed, _ in resyncs],
            "writes": writes,
            "renamed": changed,
            "residents_updated": partial.changes["residents"]["updated"],
            "peak_rss_mb": round(peak_mb, 1),
            "backend": database.backend,
        },
    )


if __name__ == "__main__":
    main()
