"""What bitemporal reads and writes cost, against a plain primary-key read of one row.

N entities get five registrations each (one to three effect periods per registration) through
``replace_versions``; then the Hent-style lookups of ``bodata.core.temporal`` are timed on random entities.
Baseline: ``session.get`` of one version row by primary key. Every operation starts from an empty identity
map, so each one really loads its rows. Runs on a temporary SQLite file, and also on PostgreSQL when
``BODATA_BENCH_DATABASE_URL`` names a server (in a fresh schema, dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, String, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bench.report import Measurement, relative_to, report, time_operation
from bodata.core.db import Database, create_database_engine
from bodata.core.temporal import (
    BitemporalMixin,
    bitemporal_index,
    current_versions,
    replace_versions,
    version_in_effect,
    versions_as_of,
)

REGISTRATIONS = 5
EFFECT_START = datetime(2017, 1, 1, tzinfo=UTC)
FIRST_REGISTRATION = datetime(2020, 1, 1, tzinfo=UTC)
BASELINE = "session.get by primary key (baseline)"


class BenchBase(DeclarativeBase):
    metadata = MetaData()


class DwellingVersion(BenchBase, BitemporalMixin):
    __tablename__ = "bench_dwelling_version"
    __entity_key__ = "entity_id"
    __table_args__ = (bitemporal_index(__tablename__, "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(40))
    heating: Mapped[int]
    rent: Mapped[int]


def random_timeline(rng: random.Random) -> list[dict]:
    """One to three contiguous effect periods from 2017, the last one open-ended."""
    cuts = sorted(rng.sample(range(30, 1500), rng.randint(0, 2)))
    starts = [EFFECT_START + timedelta(days=day) for day in (0, *cuts)]
    ends = [*starts[1:], None]
    return [
        {"effective_from": start, "effective_to": end, "heating": rng.randint(1, 9), "rent": rng.randint(3000, 15000)}
        for start, end in zip(starts, ends, strict=True)
    ]


def populate(database: Database, keys: list[str], rng: random.Random) -> None:
    """Give every key ``REGISTRATIONS`` registrations, one day apart, committed 100 keys at a time."""
    for batch_start in range(0, len(keys), 100):
        with database.transaction() as session:
            for key in keys[batch_start : batch_start + 100]:
                for registration in range(REGISTRATIONS):
                    registered = FIRST_REGISTRATION + timedelta(days=registration)
                    replace_versions(session, DwellingVersion, key, random_timeline(rng), registered)


def fresh(session: Session, operation: Callable[[], object]) -> Callable[[], object]:
    """``operation`` run on an empty identity map, so that it loads its rows instead of finding them."""

    def run() -> object:
        session.expunge_all()
        return operation()

    return run


def measure(database: Database, keys: list[str], *, lookups: int, writes: int, rng: random.Random) -> dict[str, float]:
    """Mean µs per operation, by operation name."""
    effect_span = (datetime(2021, 1, 1, tzinfo=UTC) - EFFECT_START).total_seconds()
    registration_span = timedelta(days=REGISTRATIONS).total_seconds()

    def key() -> str:
        return rng.choice(keys)

    def effect_instant() -> datetime:
        return EFFECT_START + timedelta(seconds=rng.uniform(0, effect_span))

    def registration_instant() -> datetime:
        return FIRST_REGISTRATION + timedelta(seconds=rng.uniform(0, registration_span))

    with database.sessions() as session:
        max_id = session.scalar(select(func.max(DwellingVersion.id)))
        reads = {
            BASELINE: lambda: session.get(DwellingVersion, rng.randint(1, max_id)),
            "current_versions (Hent)": lambda: current_versions(session, DwellingVersion, key()),
            "version_in_effect (HentSpecifik)": lambda: version_in_effect(
                session, DwellingVersion, key(), effect_instant()
            ),
            "version_in_effect as of R (HentHistoriskSpecifik)": lambda: version_in_effect(
                session, DwellingVersion, key(), effect_instant(), registration_instant()
            ),
            "versions_as_of (HentHistorisk)": lambda: versions_as_of(
                session, DwellingVersion, key(), registration_instant()
            ),
        }
        timings = {name: time_operation(fresh(session, read), repeat=lookups) for name, read in reads.items()}
        session.rollback()

        def write() -> None:
            replace_versions(session, DwellingVersion, key(), random_timeline(rng), datetime.now(UTC))
            session.commit()

        timings["replace_versions + commit"] = time_operation(fresh(session, write), repeat=writes)
    return timings


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory() as workdir:
        database = Database(create_database_engine(f"sqlite:///{Path(workdir) / 'bench.db'}"))
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def postgresql_database(server_url: str) -> Iterator[Database]:
    """A Database on a fresh schema of the server at ``server_url``, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(create_database_engine(url.render_as_string(hide_password=False)))
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_backend(
    database: Database, *, entities: int, lookups: int, writes: int, seed: int
) -> tuple[list[Measurement], dict[str, object]]:
    """Populate ``database`` and measure; returns the measurements and facts about the data."""
    rng = random.Random(seed)
    BenchBase.metadata.create_all(database.engine)
    keys = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(entities)]
    started = time.perf_counter()
    populate(database, keys, rng)
    populate_s = time.perf_counter() - started
    with database.sessions() as session:
        rows = session.scalar(select(func.count()).select_from(DwellingVersion))
    timings = measure(database, keys, lookups=lookups, writes=writes, rng=rng)
    measurements = relative_to(timings[BASELINE], timings)
    for measurement in measurements:
        measurement.name = f"{database.backend}: {measurement.name}"
    facts = {
        "version_rows": rows,
        "populate_s": round(populate_s, 2),
        "registrations_per_s": round(entities * REGISTRATIONS / populate_s),
    }
    return measurements, facts


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1000, help="entities to create (5 registrations each)")
    parser.add_argument("--lookups", type=int, default=500, help="lookups per timing round")
    parser.add_argument("--writes", type=int, default=100, help="replace_versions calls per timing round")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)

    backends = {"sqlite": sqlite_database}
    server_url = os.environ.get("BODATA_BENCH_DATABASE_URL")
    if server_url:
        backends["postgresql"] = lambda: postgresql_database(server_url)

    measurements: list[Measurement] = []
    context: dict[str, object] = {
        "entities": args.entities,
        "registrations_per_entity": REGISTRATIONS,
        "lookups_per_round": args.lookups,
        "writes_per_round": args.writes,
    }
    for name, open_database in backends.items():
        with open_database() as database:
            backend_measurements, facts = run_backend(
                database, entities=args.entities, lookups=args.lookups, writes=args.writes, seed=args.seed
            )
        measurements += backend_measurements
        context[name] = facts
    return report(
        "bitemporal lookups and writes (bodata.core.temporal)",
        measurements,
        filename="temporal.json",
        context=context,
    )


if __name__ == "__main__":
    main()
