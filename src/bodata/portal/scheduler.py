"""The landlord's background work: the outbox sent every minute; each morning the month's rent run (from the
company's ``rent_run_day``, once a month) and the reminders that are due.

Jobs run in APScheduler's worker thread, each in its own transactions. Two instances may both run a job: the rent
run's number-series lock and unique keys, the one-reminder-per-notice key and the outbox's claims make the second
one do nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from bodata.core.context import AppContext
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal import outbox, reminders, rent
from bodata.portal.customers import local_now
from bodata.portal.models import Company, RentRun

logger = logging.getLogger("bodata.portal.scheduler")
SCHEDULED = "schedule"


def daily_work(context: AppContext) -> None:
    """The rent run for next month once the company's run day has come (once per period), then the reminders."""
    now = context.clock.now()
    with context.db.transaction() as session:
        company = session.scalar(select(Company).order_by(Company.id).limit(1))
        if company is None:
            return
        period = rent.next_period(now)
        done = session.scalar(select(RentRun.id).where(RentRun.period == period, RentRun.trigger == SCHEDULED))
        if local_now(now).day >= company.rent_run_day and done is None:
            committed = rent.commit_rent_run(session, period=period, now=now, trigger=SCHEDULED, started_by="schemat")
            logger.info("rent run %s: %s notices", period, len(committed.invoices))
    with context.db.transaction() as session:
        made = reminders.send_reminders(session, now=now)
        if made:
            logger.info("%s reminders", len(made))


def send_outbox(context: AppContext) -> None:
    """Send the e-mails that are due."""
    report = outbox.send_due(context.db, context.settings, now=context.clock.now())
    if report.sent or report.failed:
        logger.info("outbox: %s sent, %s retried, %s failed", report.sent, report.retried, report.failed)


def start_scheduler(context: AppContext) -> Callable[[], None]:
    """Start the jobs (unless ``BODATA_SCHEDULER`` is off); returns their stop."""
    if not context.settings.scheduler:
        return lambda: None
    scheduler = BackgroundScheduler(timezone=UTC)
    common = {"args": [context], "max_instances": 1, "coalesce": True}
    scheduler.add_job(
        send_outbox,
        IntervalTrigger(minutes=1),
        next_run_time=datetime.now(UTC) + timedelta(seconds=5),
        id="portal-outbox",
        **common,
    )
    scheduler.add_job(daily_work, CronTrigger(hour=6, minute=0, timezone=SWEDISH_TIME), id="portal-daily", **common)
    scheduler.start()
    return lambda: scheduler.shutdown(wait=False)
