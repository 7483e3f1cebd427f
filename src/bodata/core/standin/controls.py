"""The stand-in controls of one server process: what the admin API, the console and the CLI act on.

``StandIn.attach`` installs the middleware (journal, faults, clock, reset gate) and the admin API on the app;
nothing of it exists when stand-in mode is off. Resets, seeds and restores of database services run in one
transaction each (readers see the old state or the new one, never half), and only after the requests in flight
have finished (``Gate``). Resetting to the seed is fast: the first reset runs the seeders (demo data in demo
mode, then the seed files) and keeps the rows they made; later resets write those rows back.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

import orjson
from fastapi import FastAPI
from sqlalchemy import select
from starlette.routing import Mount

from bodata.core.clock import Clock
from bodata.core.config import Settings
from bodata.core.context import AppContext
from bodata.core.db.migrate import head_revision
from bodata.core.demo import DemoData, SeedRun
from bodata.core.service import Service
from bodata.core.standin import tables
from bodata.core.standin.clock import ControlledClock
from bodata.core.standin.faults import Faults
from bodata.core.standin.journal import Journal
from bodata.core.standin.middleware import Gate, StandInMiddleware
from bodata.core.standin.models import StoredSnapshot
from bodata.core.standin.seeds import (
    SeedDocument,
    SeedError,
    SeedFormat,
    SeedProblem,
    SeedTarget,
    apply_seeds,
    read_seed_file,
    seed_paths,
)
from bodata.core.throttle import LoginFailures

SNAPSHOT_FORMAT = "bodata-snapshot"
SNAPSHOT_VERSION = 1
SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
Target = Literal["seed", "empty"]
_CONSISTENT = {"isolation_level": "REPEATABLE READ"}
"""A snapshot reads every table as of one moment (SQLite's transactions always do; PostgreSQL's need this)."""


MAX_TOKEN_FAILURES = 10
TOKEN_LOCKOUT_S = 300.0


class TokenLocked(Exception):
    """Too many wrong admin tokens from this caller; ``seconds`` until it may try again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"locked for {seconds:.0f} s")
        self.seconds = seconds


class UnknownService(LookupError):
    """No service of that name is installed."""


class SnapshotError(ValueError):
    """A snapshot cannot be saved, found or restored; the message says why."""


@dataclass
class StandIn:
    """The controls: clock, journal, faults, the reset gate, seeds and snapshots, over the app's services."""

    clock: ControlledClock
    journal: Journal
    token_digest: bytes | None
    seed_setting: str = ""
    faults: Faults = field(default_factory=Faults)
    gate: Gate = field(default_factory=Gate)
    services: tuple[Service, ...] = ()
    context: AppContext | None = None
    states: dict[str, Any] = field(default_factory=dict)
    _baselines: dict[str, tables.Prepared] = field(default_factory=dict)
    _states_seeded: dict[str, Any] = field(default_factory=dict)
    _restorable: dict[str, tuple[dict[str, tables.Prepared], dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _token_failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    # --- set-up -----------------------------------------------------------------------------------------

    def attach(self, app: FastAPI, context: AppContext, services: Sequence[Service]) -> None:
        """Install the middleware and the admin API (call after the services are mounted)."""
        from bodata.core.standin.api import router

        self.context, self.services = context, tuple(services)
        for route in app.routes:
            sub_app = getattr(route, "app", None) if isinstance(route, Mount) else None
            sim = getattr(getattr(sub_app, "state", None), "sim", None)
            if sim is not None:
                self.states[route.name] = sim
                sim.clock = partial(self._seconds, route.name)  # its tokens expire on the stand-in clock
        root_paths = {
            route.path: service.name
            for service in services
            if service.root_routes is not None
            for route in service.root_routes().routes
            if hasattr(route, "path")
        }
        app.state.standin = self
        app.include_router(router)
        app.add_middleware(
            StandInMiddleware,
            services=self.services,
            root_paths=root_paths,
            journal=self.journal,
            faults=self.faults,
            gate=self.gate,
        )

    @property
    def _context(self) -> AppContext:
        if self.context is None:
            raise RuntimeError("the stand-in controls are not attached to an app")
        return self.context

    def _seconds(self, service: str) -> float:
        return self.clock.now_for(service).timestamp()

    def start(self) -> list[str]:
        """Apply the seed files of ``BODATA_STANDIN_SEED_FILES`` (at start-up; idempotent)."""
        return self.seed(self.startup_seeds()) if self.seed_setting else []

    def check_token(self, token: str, *, caller: str) -> bool:
        """True when ``token`` is the admin token (compared as digests, in constant time).

        Guessing is throttled per caller address: after ``MAX_TOKEN_FAILURES`` wrong tokens in a row the caller is
        refused (``TokenLocked``) for ``TOKEN_LOCKOUT_S`` seconds, right token or not.
        """
        now = time.monotonic()
        with self._lock:
            failures, until = self._token_failures.get(caller, (0, 0.0))
        if until > now:
            raise TokenLocked(until - now)
        right = self.token_digest is not None and hmac.compare_digest(
            hashlib.sha256(token.encode()).digest(), self.token_digest
        )
        with self._lock:
            if right:
                self._token_failures.pop(caller, None)
            else:
                failures += 1
                locked = now + TOKEN_LOCKOUT_S if failures >= MAX_TOKEN_FAILURES else 0.0
                self._token_failures[caller] = (0 if locked else failures, locked)
        return right

    # --- services --------------------------------------------------------------------------------------

    def service(self, name: str) -> Service:
        found = next((service for service in self.services if service.name == name), None)
        if found is None:
            raise UnknownService(f"no service {name!r}; the services are {', '.join(self.names())}")
        return found

    def names(self) -> list[str]:
        return [service.name for service in self.services]

    def _chosen(self, names: Sequence[str] | None) -> list[Service]:
        return [self.service(name) for name in names] if names else list(self.services)

    @property
    def formats(self) -> dict[str, SeedFormat]:
        return {s.name: s.seed_format for s in self.services if s.seed_format is not None}

    def overview(self) -> list[dict[str, Any]]:
        """Each service: its path, whether it has seed files and a cached seed state, and its clock."""
        return [
            {
                "name": service.name,
                "title": service.title,
                "path": service.prefix,
                "in_memory": service.name in self.states,
                "seed_format": service.seed_format is not None,
                "seed_cached": service.name in self._baselines,
                "now": self.clock.now_for(service.name).isoformat(),
            }
            for service in self.services
        ]

    # --- seeds -----------------------------------------------------------------------------------------

    def startup_seeds(self) -> list[SeedDocument]:
        """The seed files named by the setting, read and checked (``SeedError`` on any problem)."""
        documents, problems = [], []
        for path in seed_paths(self.seed_setting):
            try:
                documents.append(read_seed_file(path, self.formats))
            except SeedError as error:
                problems += error.problems
        if problems:
            raise SeedError(problems)
        return documents

    def seed(self, documents: Sequence[SeedDocument]) -> list[str]:
        """Apply checked seed documents: each service's in one transaction, nothing of a service on a problem."""
        accounts: list[str] = []
        with self._lock:
            for service in self.services:
                own = [document for document in documents if document.service == service.name]
                if own:
                    accounts += self._apply(service, own)
        return accounts

    def _apply(self, service: Service, documents: Sequence[SeedDocument], session: Any = None) -> list[str]:
        context, seed_format = self._context, service.seed_format
        if seed_format is None:
            raise SeedError([SeedProblem(documents[0].file, "", f"{service.name} has no seed files")])
        if service.name in self.states:
            target = SeedTarget(None, context.clock, context.secrets, self.states[service.name])
            return apply_seeds(documents, seed_format, target)
        if session is not None:
            return apply_seeds(documents, seed_format, SeedTarget(session, context.clock, context.secrets))
        with context.db.transaction() as own_session:
            return apply_seeds(documents, seed_format, SeedTarget(own_session, context.clock, context.secrets))

    # --- reset -----------------------------------------------------------------------------------------

    def reset(self, names: Sequence[str] | None = None, *, to: Target = "seed") -> dict[str, Any]:
        """Reset services (all when ``names`` is empty) to their seed or to empty, in one transaction."""
        chosen = self._chosen(names)
        started = time.perf_counter()
        kept = {*self._baselines, *self._states_seeded}
        unseeded = to == "seed" and any(service.name not in kept for service in chosen)
        documents = self.startup_seeds() if unseeded and self.seed_setting else []
        with self._lock:
            with self._context.db.transaction() as session:
                connection = session.connection()
                for service in chosen:
                    if service.name in self.states:
                        continue
                    baseline = self._baselines.get(service.name) if to == "seed" else {}
                    if baseline is not None:
                        tables.replace_rows(connection, service.name, baseline)
                        continue
                    tables.replace_rows(connection, service.name, {})
                    self._seed_fresh(session, service, [d for d in documents if d.service == service.name])
                    session.flush()
                    rows = tables.read(connection, service.name)
                    self._baselines[service.name] = tables.prepare(connection.dialect, rows)
                session.query(LoginFailures).delete()
            for service in chosen:
                if service.name in self.states:
                    self._reset_state(service, to, [d for d in documents if d.service == service.name])
        return {"services": [s.name for s in chosen], "to": to, "seconds": round(time.perf_counter() - started, 4)}

    def _seed_fresh(self, session: Any, service: Service, documents: list[SeedDocument]) -> None:
        context = self._context
        if context.settings.demo and service.seed_demo is not None:
            server_url = context.settings.public_url or f"http://{context.settings.host}:{context.settings.port}"
            service.seed_demo(session, DemoData(service.name, context.clock, context.secrets, server_url))
            session.merge(SeedRun(name=service.name, version=service.seed_version, applied_at=context.clock.now()))
        if documents:
            self._apply(service, documents, session)

    def _reset_state(self, service: Service, to: Target, documents: list[SeedDocument]) -> None:
        """An in-memory service (the Axema stand-in): empty, its kept seed state, or seeded anew and kept."""
        state = self.states[service.name]
        if to == "empty":
            state.clear()
        elif service.name in self._states_seeded:
            state.load(self._states_seeded[service.name])
        else:
            if documents:
                state.clear()
                self._apply(service, documents)
            else:
                state.reset()
            self._states_seeded[service.name] = state.export()

    def forget_seed(self) -> None:
        """Drop the kept seed states (after the seed files changed): the next reset runs the seeders again."""
        with self._lock:
            self._baselines.clear()
            self._states_seeded.clear()

    # --- snapshots -------------------------------------------------------------------------------------

    def capture(self, names: Sequence[str] | None = None) -> dict[str, Any]:
        """The state of services as a snapshot document (JSON-safe)."""
        chosen = self._chosen(names)
        captured: dict[str, Any] = {}
        with self._context.db.transaction(write=False) as session:
            consistent = _CONSISTENT if self._context.db.backend == "postgresql" else {}
            connection = session.connection(execution_options=consistent)
            for service in chosen:
                if service.name in self.states:
                    captured[service.name] = {"state": self.states[service.name].export()}
                else:
                    captured[service.name] = {"tables": tables.encode(tables.read(connection, service.name))}
        return {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "schema": head_revision(),
            "created": datetime.now(UTC).isoformat(),
            "services": captured,
        }

    def save(self, name: str, names: Sequence[str] | None = None) -> dict[str, Any]:
        """Save the state of services under ``name`` (replacing a snapshot of that name)."""
        _check_name(name)
        return self.store(name, self.capture(names))

    def store(self, name: str, document: dict[str, Any]) -> dict[str, Any]:
        """Keep a snapshot document under ``name`` (an imported file, or one just captured)."""
        _check_name(name)
        self._check_document(document)
        data = gzip.compress(orjson.dumps(document), compresslevel=5)
        self._restorable.pop(name, None)
        with self._context.db.transaction() as session:
            session.merge(
                StoredSnapshot(
                    name=name,
                    created_at=datetime.fromisoformat(document["created"]),
                    services=sorted(document["services"]),
                    size=len(data),
                    data=data,
                )
            )
        return {"name": name, "services": sorted(document["services"]), "size": len(data)}

    def snapshots(self) -> list[dict[str, Any]]:
        with self._context.db.transaction(write=False) as session:
            rows = session.execute(
                select(
                    StoredSnapshot.name, StoredSnapshot.created_at, StoredSnapshot.services, StoredSnapshot.size
                ).order_by(StoredSnapshot.name)
            ).all()
        return [
            {"name": row.name, "created": row.created_at.isoformat(), "services": row.services, "size": row.size}
            for row in rows
        ]

    def export(self, name: str) -> bytes:
        """The snapshot ``name`` as a file (gzip-compressed JSON)."""
        with self._context.db.transaction(write=False) as session:
            data = session.scalar(select(StoredSnapshot.data).where(StoredSnapshot.name == name))
        if data is None:
            raise SnapshotError(f"no snapshot {name!r}")
        return data

    def delete(self, name: str) -> bool:
        self._restorable.pop(name, None)
        with self._context.db.transaction() as session:
            found = session.get(StoredSnapshot, name)
            if found is not None:
                session.delete(found)
        return found is not None

    def restore(self, name: str) -> dict[str, Any]:
        """Put the services of snapshot ``name`` back as they were, all in one transaction."""
        started = time.perf_counter()
        prepared, states = self._restorable.get(name) or self._prepare_snapshot(name)
        with self._lock:
            with self._context.db.transaction() as session:
                connection = session.connection()
                for service, rows in prepared.items():
                    tables.replace_rows(connection, service, rows)
            for service, state in states.items():
                self.states[service].load(state)
        return {
            "name": name,
            "services": sorted([*prepared, *states]),
            "seconds": round(time.perf_counter() - started, 4),
        }

    def _prepare_snapshot(self, name: str) -> tuple[dict[str, tables.Prepared], dict[str, Any]]:
        """The snapshot ``name`` ready to write (kept, so restoring it again is fast)."""
        document = read_snapshot_file(self.export(name))
        self._check_document(document)
        dialect = self._context.db.engine.dialect
        prepared = {
            service: tables.prepare(dialect, tables.decode(service, content["tables"]))
            for service, content in document["services"].items()
            if "tables" in content
        }
        states = {service: content["state"] for service, content in document["services"].items() if "state" in content}
        self._restorable[name] = (prepared, states)
        return prepared, states

    def _check_document(self, document: Any) -> None:
        if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
            raise SnapshotError("not a bodata snapshot")
        if document.get("version") != SNAPSHOT_VERSION:
            raise SnapshotError(f"snapshot format version {document.get('version')!r}; this bodata reads 1")
        if document.get("schema") != head_revision():
            raise SnapshotError(
                f"the snapshot is of schema {document.get('schema')}, this database is at {head_revision()}: "
                "restore it with the bodata version that made it"
            )
        services = document.get("services")
        if not isinstance(services, dict) or not isinstance(document.get("created"), str):
            raise SnapshotError("the snapshot has no services or no creation time")
        for service in services:
            self.service(service)
            if service in self.states and "state" not in services[service]:
                raise SnapshotError(f"{service}: the snapshot holds no state of it")


def read_snapshot_file(data: bytes) -> Any:
    """A snapshot file's document (gzip-compressed or plain JSON)."""
    try:
        return orjson.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    except (OSError, EOFError, orjson.JSONDecodeError) as error:
        raise SnapshotError(f"not a snapshot file: {error}") from None


def _check_name(name: str) -> None:
    if not SNAPSHOT_NAME.match(name):
        raise SnapshotError(
            "a snapshot name is 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )


def standin_for(settings: Settings, base: Clock) -> StandIn | None:
    """The controls for a server in stand-in or demo mode; None (nothing installed, no cost) otherwise."""
    if not (settings.standin or settings.demo):
        return None
    token = settings.standin_token
    return StandIn(
        clock=ControlledClock(base),
        journal=Journal(settings.standin_journal_entries),
        token_digest=hashlib.sha256(token.encode()).digest() if token else None,
        seed_setting=settings.standin_seed_files,
    )
