"""Running an integration: lock, read the source, check the snapshot can be trusted, reconcile, record the run."""

from __future__ import annotations

import gc
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, or_, select, update

from bodata.boenderegister.engine import View, build_view, reconcile
from bodata.boenderegister.messages import run_message
from bodata.boenderegister.models import Integration, IntegrationRun, RunIssue, RunRecord
from bodata.boenderegister.sources.base import B60, Progress, Snapshot, Source, SourceError
from bodata.core.clock import Clock
from bodata.core.db import Database
from bodata.core.i18n import SOURCE
from bodata.core.metrics import INTEGRATION_RUNS
from bodata.core.security import SecretBox

logger = logging.getLogger("bodata.boenderegister.sync")
LEASE_TTL = timedelta(seconds=90)  # a run's lease lapses this long after its process stopped renewing it
HEARTBEAT_SECONDS = 20.0  # how often a running process renews its lease
SourceFactory = Callable[[Integration], Source]


class IntegrationBusy(Exception):
    """Another process is running this integration right now."""


class IntegrationPaused(Exception):
    """The integration is paused: it runs neither on schedule nor on demand until resumed."""


def lock_holder_name() -> str:
    """Who holds a lease: host and process, for the operator reading the table and for crash recovery."""
    return f"{socket.gethostname()}:{os.getpid()}"


def source_for(integration: Integration, secrets: SecretBox) -> Source:
    """The source an integration reads from, with its stored password decrypted for this run only."""
    from bodata.boenderegister.sources.axema import AxemaSource

    if integration.data_format != "AXEMA":
        raise SourceError("invalid", f"data format {integration.data_format} cannot be read over the network")
    return AxemaSource(
        integration.base_url,
        integration.username,
        secrets.decrypt(integration.password_encrypted),
        api_key=secrets.decrypt(integration.api_key_encrypted) if integration.api_key_encrypted else None,
    )


def run_integration(
    database: Database,
    integration_id: int,
    *,
    make_source: SourceFactory,
    clock: Clock,
    trigger: str,
    confirm_removals: bool = False,
    progress: Progress | None = None,
) -> IntegrationRun:
    """Run one integration now and return its run record (whatever the outcome).

    Raises IntegrationBusy when another process holds the integration's lease, IntegrationPaused when it is
    paused. The lease is renewed by a heartbeat while the run works; a run whose process dies is found by
    ``recover_interrupted`` once the lease lapses (or at once, on the same host, when the process is gone).
    """
    holder = lock_holder_name()
    recover_interrupted(database, clock=clock, integration_id=integration_id)
    _acquire(database, integration_id, holder, clock.now())
    heartbeat = _Heartbeat(database, integration_id, holder, clock)
    try:
        with database.transaction() as session:
            integration = session.get_one(Integration, integration_id)
            run = IntegrationRun(
                integration_id=integration_id,
                trigger=trigger,
                status="running",
                started_at=clock.now(),
                holder=holder,
            )
            session.add(run)
            session.flush()
            run_id, account_id, threshold = run.id, integration.account_id, integration.removal_threshold
            source = make_source(integration)
        try:
            with _cyclic_gc_paused():
                snapshot = source.fetch(progress)
        except SourceError as exc:
            return _finish(
                database,
                run_id,
                clock,
                status="failed",
                code="source_failed",
                params={"kind": exc.kind, "detail": exc.message},
            )
        if snapshot.domain_controllers is not None and B60 not in snapshot.domain_controllers:
            return _finish(
                database,
                run_id,
                clock,
                status="failed",
                code="no_b60",
                snapshot=snapshot,
            )
        with _cyclic_gc_paused():
            view = build_view(snapshot)
        refusal = _removal_refusal(database, integration_id, view, threshold) if not confirm_removals else None
        if refusal:
            return _finish(
                database,
                run_id,
                clock,
                status="needs_confirmation",
                code="needs_confirmation",
                params=refusal,
                snapshot=snapshot,
                view=view,
            )
        try:
            with _cyclic_gc_paused(), database.transaction() as session:
                changes = reconcile(session, account_id=account_id, integration_id=integration_id, view=view)
                code, params = ("changes", {"changes": changes.as_dict()}) if changes.total else ("no_changes", {})
                return _record(session, run_id, clock, "succeeded", (code, params), snapshot, view, changes)
        except Exception:
            logger.exception("integration %s: reconciliation failed", integration_id)
            return _finish(
                database,
                run_id,
                clock,
                status="failed",
                code="internal_error",
                snapshot=snapshot,
                view=view,
            )
    finally:
        heartbeat.stop()
        _release(database, integration_id, holder)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a run builds its large, acyclic snapshot and view.

    Building 100,000 small objects triggers repeated full collections that scan them all: three quarters of
    the view's build time at 20,000 apartments. Nothing built here forms cycles; reference counting frees it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _removal_refusal(database: Database, integration_id: int, view: View, threshold: float) -> dict | None:
    """Why the run must stop for confirmation (the message's parameters): far fewer residents than the last
    successful run, else None."""
    with database.transaction() as session:
        previous = session.scalar(
            select(IntegrationRun.residents_seen)
            .where(IntegrationRun.integration_id == integration_id, IntegrationRun.status == "succeeded")
            .order_by(IntegrationRun.started_at.desc(), IntegrationRun.id.desc())
            .limit(1)
        )
    if not previous:
        return None
    now = view.resident_count
    if now >= previous * (1 - threshold):
        return None
    drop = (previous - now) / previous
    return {"now": now, "previous": previous, "drop": round(drop * 100), "threshold": round(threshold * 100)}


def _finish(
    database: Database,
    run_id: int,
    clock: Clock,
    *,
    status: str,
    code: str,
    params: dict | None = None,
    snapshot: Snapshot | None = None,
    view: View | None = None,
) -> IntegrationRun:
    with database.transaction() as session:
        return _record(session, run_id, clock, status, (code, params or {}), snapshot, view, None)


def _record(session, run_id, clock, status, message, snapshot, view, changes) -> IntegrationRun:
    """Finish the run's row: status, message (a code and its parameters), what was read, issues, changed records."""
    run = session.get_one(IntegrationRun, run_id)
    run.status, run.finished_at = status, clock.now()
    run.message_code, run.message_params = message
    run.message = run_message(SOURCE, *message, "")
    INTEGRATION_RUNS.labels(run.trigger, status).inc()
    if snapshot is not None:
        run.groups_read, run.persons_read = len(snapshot.groups), len(snapshot.persons)
    if view is not None:
        run.residents_seen = view.resident_count
        if view.issues:
            session.execute(
                insert(RunIssue.__table__),
                [
                    {
                        "run_id": run_id,
                        "kind": issue.kind,
                        "group_id": issue.group.external_id,
                        "group_name": issue.group.name,
                        "reference_id": issue.group.reference_id,
                        "reason": str(issue.reason),
                        "code": issue.code,
                        "params": issue.params,
                    }
                    for issue in view.issues
                ],
            )
    if status == "succeeded":
        integration = session.get_one(Integration, run.integration_id)
        integration.alert, integration.alert_code, integration.failed_attempts = None, None, 0
    if changes is not None:
        run.changes = changes.as_dict()
        named: dict[tuple[str, str], list[str]] = {}
        for record in changes.records:
            named.setdefault((record.kind, record.action), []).append(record.label)
        if named:
            session.execute(
                insert(RunRecord),
                [
                    {"run_id": run_id, "kind": kind, "action": action, "labels": labels}
                    for (kind, action), labels in named.items()
                ],
            )
    session.flush()
    _ = run.issues  # loaded now: the run is read after its session has closed
    return run


def _acquire(database: Database, integration_id: int, holder: str, now: datetime) -> None:
    with database.transaction() as session:
        taken = session.execute(
            update(Integration)
            .where(
                Integration.id == integration_id,
                Integration.enabled.is_(True),
                or_(Integration.lock_expires_at.is_(None), Integration.lock_expires_at < now),
            )
            .values(lock_holder=holder, lock_expires_at=now + LEASE_TTL)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not taken and not session.scalar(select(Integration.enabled).where(Integration.id == integration_id)):
            raise IntegrationPaused(f"integration {integration_id} is paused")
    if not taken:
        raise IntegrationBusy(f"integration {integration_id} is being run by another process")


class _Heartbeat:
    """Renews a run's lease every HEARTBEAT_SECONDS from a daemon thread until stopped."""

    def __init__(self, database: Database, integration_id: int, holder: str, clock: Clock) -> None:
        self._stopped = threading.Event()
        self._args = (database, integration_id, holder, clock)
        self._thread = threading.Thread(target=self._beat, name=f"lease-{integration_id}", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        database, integration_id, holder, clock = self._args
        while not self._stopped.wait(HEARTBEAT_SECONDS):
            try:
                with database.transaction() as session:
                    kept = session.execute(
                        update(Integration)
                        .where(Integration.id == integration_id, Integration.lock_holder == holder)
                        .values(lock_expires_at=clock.now() + LEASE_TTL)
                        .execution_options(synchronize_session=False)
                    ).rowcount
                if not kept:
                    logger.warning("integration %s: the run's lease was lost", integration_id)
            except Exception as exc:  # e.g. SQLite busy while the run itself writes: the next beat tries again
                logger.warning("integration %s: the lease could not be renewed now: %s", integration_id, exc)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def recover_interrupted(
    database: Database, *, clock: Clock, integration_id: int | None = None
) -> list[tuple[int, int, str]]:
    """Mark runs whose process died as ``interrupted`` and free their leases; returns (run, integration, trigger).

    A run is dead when its integration's lease has lapsed or is no longer its process's, or when its process
    ran on this host and is gone (so a restarted server recovers at once instead of waiting for the lease).
    Called at start-up, on every scheduler tick and before each run.
    """
    now = clock.now()
    with database.transaction() as session:
        query = (
            select(IntegrationRun, Integration)
            .join(Integration, Integration.id == IntegrationRun.integration_id)
            .where(IntegrationRun.status == "running")
        )
        if integration_id is not None:
            query = query.where(IntegrationRun.integration_id == integration_id)
        recovered = []
        for run, integration in session.execute(query).all():
            holder = integration.lock_holder
            lapsed = holder is None or integration.lock_expires_at is None or integration.lock_expires_at < now
            if not (lapsed or holder != run.holder or _process_gone(run.holder)):
                continue
            run.status, run.finished_at = "interrupted", now
            run.message_code, run.message_params = "interrupted", {}
            run.message = run_message(SOURCE, "interrupted", {}, "")
            if holder == run.holder:
                integration.lock_holder, integration.lock_expires_at = None, None
            recovered.append((run.id, run.integration_id, run.trigger))
    for run_id, _, _ in recovered:
        logger.warning("run %s was interrupted: its process died", run_id)
    return recovered


def _process_gone(holder: str | None) -> bool:
    """True when ``holder`` (host:pid) is a process of this host that no longer exists."""
    host, _, pid = (holder or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _release(database: Database, integration_id: int, holder: str) -> None:
    with database.transaction() as session:
        session.execute(
            update(Integration)
            .where(Integration.id == integration_id, Integration.lock_holder == holder)
            .values(lock_holder=None, lock_expires_at=None)
            .execution_options(synchronize_session=False)
        )


def next_scheduled_run(integration: Integration, after: datetime) -> datetime:
    """The next time the integration's daily schedule (``HH:MM`` in its time zone) comes round after ``after``."""
    zone = ZoneInfo(integration.timezone)
    hour, minute = (int(part) for part in integration.schedule_time.split(":"))
    local = after.astimezone(zone)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate.astimezone(ZoneInfo("UTC"))
