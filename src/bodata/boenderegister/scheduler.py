"""Nightly runs inside ``bodata serve``: a tick each minute runs the integrations that are due.

Every server process may tick; claiming an integration's next run is one conditional UPDATE, and the run itself
takes the integration's database lock, so each scheduled run happens once however many servers there are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update

from bodata.boenderegister.models import Integration, IntegrationRun
from bodata.boenderegister.sync import IntegrationBusy, SourceFactory, next_scheduled_run, run_integration, source_for
from bodata.core.clock import Clock
from bodata.core.context import AppContext
from bodata.core.db import Database

logger = logging.getLogger("bodata.boenderegister.scheduler")
TICK = timedelta(seconds=60)


def run_due_integrations(database: Database, *, clock: Clock, make_source: SourceFactory) -> list[IntegrationRun]:
    """Run every enabled integration whose next run is due, once each; returns the runs made."""
    now = clock.now()
    with database.transaction() as session:
        due = session.scalars(
            select(Integration).where(Integration.enabled.is_(True), Integration.next_run_at <= now)
        ).all()
        plans = [(integration.id, integration.next_run_at, next_scheduled_run(integration, now)) for integration in due]
    runs = []
    for integration_id, planned, following in plans:
        if not _claim(database, integration_id, planned, following):
            continue  # another server claimed this run
        try:
            runs.append(
                run_integration(database, integration_id, make_source=make_source, clock=clock, trigger="schedule")
            )
        except IntegrationBusy:
            logger.info("integration %s is already running; the scheduled run is skipped", integration_id)
        except Exception:
            logger.exception("scheduled run of integration %s failed", integration_id)
    return runs


def _claim(database: Database, integration_id: int, planned: datetime, following: datetime) -> bool:
    with database.transaction() as session:
        return (
            session.execute(
                update(Integration)
                .where(Integration.id == integration_id, Integration.next_run_at == planned)
                .values(next_run_at=following)
                .execution_options(synchronize_session=False)
            ).rowcount
            == 1
        )


def start_scheduler(context: AppContext) -> Callable[[], None]:
    """Start the minute tick in a background thread (unless BODATA_SCHEDULER is off); returns its stop."""
    if not context.settings.scheduler:
        return lambda: None
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        run_due_integrations,
        IntervalTrigger(seconds=TICK.total_seconds()),
        args=[context.db],
        kwargs={"clock": context.clock, "make_source": lambda integration: source_for(integration, context.secrets)},
        next_run_time=datetime.now(UTC) + timedelta(seconds=2),
        max_instances=1,
        coalesce=True,
        id="boenderegister-integrations",
    )
    scheduler.start()
    return lambda: scheduler.shutdown(wait=False)
