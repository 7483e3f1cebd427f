"""Demo data convention: deterministic, realistic data per service, loaded once per seed version."""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from faker import Faker
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bodata.core.clock import Clock
from bodata.core.db import Base, Database, UTCDateTime
from bodata.core.security import SecretBox
from bodata.core.service import Service

DEMO_SEED = 2026


class SeedRun(Base):
    """Which version of a service's demo data has been loaded into this database."""

    __tablename__ = "core_seed_run"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int]
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass
class DemoData:
    """What a seeder gets: the clock, the secret box, the server's URL and deterministic random sources."""

    service: str
    clock: Clock
    secrets: SecretBox
    server_url: str = "http://127.0.0.1:8000"

    def faker(self, locale: str) -> Faker:
        """A Faker for ``locale`` (sv_SE, da_DK, …) that gives the same data on every run."""
        faker = Faker(locale)
        faker.seed_instance(self._seed(locale))
        return faker

    def random(self) -> random.Random:
        """A random generator that gives the same sequence on every run."""
        return random.Random(self._seed("random"))  # noqa: S311  (demo data, not security)

    def _seed(self, salt: str) -> int:
        return DEMO_SEED ^ zlib.crc32(f"{self.service}:{salt}".encode())


@dataclass(frozen=True)
class SeedOutcome:
    service: str
    loaded: bool
    reason: str


def seed_demo(
    database: Database, services: Sequence[Service], *, clock: Clock, secrets: SecretBox, server_url: str
) -> list[SeedOutcome]:
    """Load each service's demo data unless this version is already loaded (idempotent, one transaction each)."""
    outcomes = []
    for service in services:
        if service.seed_demo is None:
            continue
        loaded = loaded_seed_version(database, service.name)
        if loaded is not None and loaded >= service.seed_version:
            outcomes.append(SeedOutcome(service.name, False, f"version {loaded} already loaded"))
            continue
        try:
            with database.transaction() as session:
                service.seed_demo(session, DemoData(service.name, clock, secrets, server_url))
                session.merge(SeedRun(name=service.name, version=service.seed_version, applied_at=clock.now()))
        except IntegrityError:
            concurrent = loaded_seed_version(database, service.name)
            if concurrent is None or concurrent < service.seed_version:
                raise
            outcomes.append(SeedOutcome(service.name, False, "loaded at the same time by another process"))
            continue
        outcomes.append(SeedOutcome(service.name, True, f"version {service.seed_version} loaded"))
    return outcomes


def loaded_seed_version(database: Database, name: str) -> int | None:
    """The version of ``name``'s demo data in the database, or None if it was never loaded."""
    with database.transaction() as session:
        return session.scalar(select(SeedRun.version).where(SeedRun.name == name))
