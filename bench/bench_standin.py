"""Stand-in reset: how long putting every service back to its seed takes, against what bodata offered before.

Baseline (measured once per run, the peer): ``bodata db reset`` + ``bodata seed demo``, i.e. dropping and
migrating the schema and running every demo seeder (the server stopped). Measured: the stand-in's reset of every
service to the demo seed (the first one runs the seeders and keeps the rows; the later ones write them back), to
empty, saving a snapshot of everything and restoring it, and resetting the small example seed of docs/stand-in/.
Runs on a temporary SQLite file, and also on PostgreSQL when ``BODATA_BENCH_DATABASE_URL`` names a server (in a
fresh database, dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.report import Measurement, relative_to, report
from bodata.app import create_app
from bodata.core.clock import SystemClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import downgrade_to_base, upgrade
from bodata.core.demo import seed_demo
from bodata.core.security import SecretBox
from bodata.core.standin.controls import StandIn
from bodata.services import installed_services

SECRET = "bench-standin"
EXAMPLES = Path(__file__).parents[1] / "docs" / "stand-in"


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{directory}/bench.db"


@contextmanager
def postgresql_url(server_url: str) -> Iterator[str]:
    name = f"bench_standin_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def best(operation: Callable[[], object], rounds: int) -> float:
    """The best of ``rounds`` timings of ``operation``, in microseconds."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        operation()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1e6


def best_after(prepare: Callable[[], object], operation: Callable[[], object], rounds: int) -> float:
    """Like :func:`best`, with ``prepare`` run (untimed) before each timing."""
    timings = []
    for _ in range(rounds):
        prepare()
        started = time.perf_counter()
        operation()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1e6


def controls(url: str, *, demo: bool, seed_files: str = "") -> tuple[StandIn, Database]:
    settings = Settings(
        database_url=url, secret_key=SECRET, demo=demo, standin=True, standin_token="t", standin_seed_files=seed_files
    )
    database = Database.from_settings(settings)
    app = create_app(settings, database=database)
    return app.state.standin, database


def run_backend(url: str, rounds: int) -> tuple[dict[str, float], dict[str, object]]:
    """Time the peer and the stand-in's operations on the database at ``url``."""
    settings = Settings(database_url=url, secret_key=SECRET, demo=True)
    database = Database.from_settings(settings)
    started = time.perf_counter()
    upgrade(database.engine)
    downgrade_to_base(database.engine)
    upgrade(database.engine)
    seed_demo(
        database,
        installed_services(settings),
        clock=SystemClock(),
        secrets=SecretBox(SECRET),
        server_url="http://127.0.0.1:8000",
    )
    peer = (time.perf_counter() - started) * 1e6
    database.dispose()

    standin, database = controls(url, demo=True)
    timings = {"bodata db reset + seed demo (peer)": peer}
    started = time.perf_counter()
    standin.reset(to="seed")
    timings["first reset to the demo seed (runs the seeders)"] = (time.perf_counter() - started) * 1e6
    timings["reset to the demo seed"] = best(lambda: standin.reset(to="seed"), rounds)
    timings["reset from the demo seed to empty"] = best_after(
        lambda: standin.reset(to="seed"), lambda: standin.reset(to="empty"), rounds
    )
    standin.reset(to="seed")
    timings["save a snapshot of everything"] = best(lambda: standin.save("bench"), rounds)
    timings["restore it (first: read and prepared)"] = best(lambda: standin.restore("bench"), 1)
    timings["restore it again"] = best(lambda: standin.restore("bench"), rounds)
    size = next(item["size"] for item in standin.snapshots() if item["name"] == "bench")
    database.dispose()

    example_files = os.pathsep.join(str(path) for path in sorted(EXAMPLES.glob("*.yaml")))
    example, database = controls(url, demo=False, seed_files=example_files)
    example.reset(to="empty")
    example.reset(to="seed")
    timings["reset to the example seed of docs/stand-in/"] = best(lambda: example.reset(to="seed"), rounds)
    database.dispose()
    return timings, {"snapshot_bytes": size}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="timings per operation (the best is kept)")
    args = parser.parse_args(argv)
    backends: dict[str, Callable[[], object]] = {"sqlite": sqlite_url}
    server_url = os.environ.get("BODATA_BENCH_DATABASE_URL")
    if server_url:
        backends["postgresql"] = lambda: postgresql_url(server_url)
    measurements: list[Measurement] = []
    context: dict[str, object] = {"rounds": args.rounds}
    for name, make in backends.items():
        with make() as url:  # type: ignore[attr-defined]
            timings, facts = run_backend(url, args.rounds)
        peer = timings["bodata db reset + seed demo (peer)"]
        measurements += relative_to(peer, {f"{name}: {label}": value for label, value in timings.items()})
        context[name] = facts
    return report(
        "stand-in reset and snapshots (× the peer: bodata db reset + seed demo)",
        measurements,
        filename="standin.json",
        context=context,
    )


if __name__ == "__main__":
    main()
