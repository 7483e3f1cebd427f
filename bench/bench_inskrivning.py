"""Inskrivning v3 against a live server on a generated register (default 200,000 properties, and 10,000 to compare).

Each register is generated into its own SQLite file and served by ``bodata serve`` on loopback; requests are sent
with httpx over one keep-alive connection. Baselines measured in the same run: ``GET /health`` (the cheapest
request the server answers) and, for batching, 250 single GETs. Measured: ``GET /{id}?includeData=total`` (JSON,
XML), ``POST /`` with 250 ids (JSON, XML), the single GET at 10,000 vs the large register, and the server's memory.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

import httpx

from bench.live import alternating_us, median_us, memory_mb, serve
from bench.report import Measurement, report
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.inskrivning import service
from bodata.inskrivning.generator import generate_register

PREFIX = "/distribution/produkter/inskrivning/v3"


def build_register(path: Path, properties: int) -> tuple[list[str], float]:
    """Generate ``properties`` registrations into a new SQLite file; returns their ids and the seconds it took."""
    database = Database.from_settings(Settings(database_url=f"sqlite:///{path}", secret_key="bench"))
    upgrade(database.engine)
    started = time.perf_counter()
    ids: list[str] = []
    generated = generate_register(properties, seed=42, now=datetime.now(UTC))
    while batch := list(islice(generated, 1000)):
        with database.transaction() as session:
            service.load_generated(session, batch)
        ids.extend(str(item.inskrivning_id) for item in batch)
    with database.transaction() as session:
        service.add_client(session, "bench", secret="bench", now=datetime.now(UTC))
    database.dispose()
    return ids, time.perf_counter() - started


def measure(url: str, ids: list[str], repeat: int) -> dict[str, float]:
    """Median latencies (µs) of the measured requests against one server."""
    rng = random.Random(7)
    with httpx.Client(base_url=url, timeout=120) as client:
        auth = _bearer(client)

        def single(accept: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(
                    f"{PREFIX}/{rng.choice(ids)}", params={"includeData": "total"}, headers={**auth, "Accept": accept}
                )
                assert response.status_code == 200
                return response.content

            return call

        def batch(accept: str, content_type: str) -> Callable[[], object]:
            def call() -> object:
                chosen = rng.sample(ids, 250)
                body = ("[" + ",".join(f'"{i}"' for i in chosen) + "]").encode()
                headers = {**auth, "Accept": accept, "Content-Type": content_type}
                response = client.post(f"{PREFIX}/", params={"includeData": "total"}, content=body, headers=headers)
                assert response.status_code == 200
                return response.content

            return call

        def health() -> object:
            return client.get("/health").content

        return {
            "GET /health": median_us(health, repeat),
            "GET /{id} total, JSON": median_us(single("application/json"), repeat),
            "GET /{id} total, XML": median_us(single("application/xml"), repeat),
            "POST / 250 ids total, JSON": median_us(
                batch("application/json", "application/json"), max(10, repeat // 20)
            ),
            "POST / 250 ids total, XML": median_us(batch("application/xml", "application/json"), max(10, repeat // 20)),
        }


def single_get_latencies(servers: list[tuple[str, list[str]]], repeat: int) -> list[float]:
    """Median ``GET /{id}?includeData=total`` latency (µs) per server, in alternating rounds."""
    rng = random.Random(11)
    clients = [(httpx.Client(base_url=url, timeout=120), ids) for url, ids in servers]

    def single(client: httpx.Client, auth: dict[str, str], ids: list[str]) -> Callable[[], object]:
        def call() -> object:
            response = client.get(f"{PREFIX}/{rng.choice(ids)}", params={"includeData": "total"}, headers=auth)
            assert response.status_code == 200
            return response.content

        return call

    try:
        return alternating_us([single(client, _bearer(client), ids) for client, ids in clients], repeat)
    finally:
        for client, _ in clients:
            client.close()


def _bearer(client: httpx.Client) -> dict[str, str]:
    token = client.post("/token", data={"grant_type": "client_credentials"}, auth=("bench", "bench")).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--properties", type=int, default=200_000, help="size of the large register")
    parser.add_argument("--small", type=int, default=10_000, help="size of the register to compare latency with")
    parser.add_argument("--repeat", type=int, default=400, help="requests per single-request measurement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        small_path, large_path = workdir / "small.db", workdir / "large.db"
        small_ids, small_build = build_register(small_path, args.small)
        large_ids, large_build = build_register(large_path, args.properties)
        size = large_path.stat().st_size
        small_server, small_url = serve(small_path, workdir)
        large_server, large_url = serve(large_path, workdir)
        try:
            large = measure(large_url, large_ids, args.repeat)
            at_small, at_large = single_get_latencies([(small_url, small_ids), (large_url, large_ids)], args.repeat)
            memory = memory_mb(large_server.pid)
        finally:
            for process in (small_server, large_server):
                process.terminate()
                process.wait(timeout=30)
    health = large["GET /health"]
    json_single = large["GET /{id} total, JSON"]
    rows = [Measurement(name, mean, 1e6 / mean, mean / health) for name, mean in large.items()]
    json_batch, xml_batch = large["POST / 250 ids total, JSON"], large["POST / 250 ids total, XML"]
    goals = {
        "GET total JSON requests/s ÷ /health (goal ≥ 0.4)": health / json_single,
        "POST 250 JSON ÷ 250 × GET (goal ≤ 0.1)": json_batch / (250 * json_single),
        "POST 250 XML ÷ POST 250 JSON (goal ≤ 1.5)": xml_batch / json_batch,
        f"GET at {args.properties:,} ÷ at {args.small:,} (goal ≤ 1.2)": at_large / at_small,
    }
    for name, value in goals.items():
        rows.append(Measurement(name, float("nan"), float("nan"), value))
    context = {
        "properties": args.properties,
        "small": args.small,
        "build_seconds": {"small": round(small_build, 1), "large": round(large_build, 1)},
        "database_mb": round(size / 1e6, 1),
        "server_memory_mb": round(memory, 1),
        "goals": goals,
    }
    print(
        f"register of {args.properties:,}: built in {large_build:.0f} s, {size / 1e6:,.0f} MB on disk; "
        f"server memory {memory:,.0f} MB"
    )
    return report(
        "Inskrivning v3 (median latency; ratios to /health)", rows, filename="inskrivning.json", context=context
    )


if __name__ == "__main__":
    main(sys.argv[1:])
