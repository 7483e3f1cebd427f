"""Nightly runs inside ``bodata serve``: a tick each minute runs the integrations that are due.

Every server process may tick; claiming an integration's next run is one conditional UPDATE, and the run itself
takes the integration's lease, so each scheduled run happens once however many servers there are.
A scheduled run that fails, is interrupted (its process died) or finds the integration busy is retried the same
night after RETRY_DELAYS; when the last retry fails too, the integration shows an alert and the account's users
with an e-mail address are told (``BODATA_SMTP_*``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update

from bodata.boenderegister.messages import run_message
from bodata.boenderegister.models import Account, Integration, IntegrationRun, User
from bodata.boenderegister.sync import (
    IntegrationBusy,
    IntegrationPaused,
    SourceFactory,
    next_scheduled_run,
    recover_interrupted,
    run_integration,
    source_for,
)
from bodata.core.clock import Clock
from bodata.core.context import AppContext
from bodata.core.db import Database
from bodata.core.i18n import SOURCE
from bodata.core.mail import MailError, send_mail

logger = logging.getLogger("bodata.boenderegister.scheduler")
TICK = timedelta(seconds=60)
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=45))
SCHEDULED_TRIGGERS = ("schedule", "retry")
Notify = Callable[[int, str], None]  # (integration id, why): tell the account's administrators


def run_due_integrations(
    database: Database, *, clock: Clock, make_source: SourceFactory, notify: Notify | None = None
) -> list[IntegrationRun]:
    """Recover interrupted runs, then run every enabled integration whose next run is due, once each."""
    for _, integration_id, trigger in recover_interrupted(database, clock=clock):
        if trigger in SCHEDULED_TRIGGERS:
            _after_failure(database, integration_id, ("interrupted", {}), clock, notify)
    now = clock.now()
    with database.transaction() as session:
        due = session.scalars(
            select(Integration).where(Integration.enabled.is_(True), Integration.next_run_at <= now)
        ).all()
        plans = [
            (integration.id, integration.next_run_at, next_scheduled_run(integration, now), integration.failed_attempts)
            for integration in due
        ]
    runs = []
    for integration_id, planned, following, attempts in plans:
        if not _claim(database, integration_id, planned, following):
            continue  # another server claimed this run
        try:
            run = run_integration(
                database,
                integration_id,
                make_source=make_source,
                clock=clock,
                trigger="retry" if attempts else "schedule",
            )
        except IntegrationPaused:
            continue
        except IntegrationBusy:
            logger.info("integration %s is already running; the scheduled run is retried later", integration_id)
            _after_failure(database, integration_id, ("busy", {}), clock, notify)
            continue
        except Exception as exc:
            logger.exception("scheduled run of integration %s failed", integration_id)
            _after_failure(database, integration_id, ("start_failed", {"detail": str(exc)}), clock, notify)
            continue
        runs.append(run)
        message = (run.message_code or "", run.message_params or {})
        if run.status == "failed":
            _after_failure(database, integration_id, message, clock, notify)
        elif run.status == "needs_confirmation":
            _alert(database, integration_id, message, notify)  # retrying would not help: a person must decide
    return runs


def _after_failure(
    database: Database, integration_id: int, failure: tuple[str, dict], clock: Clock, notify: Notify | None
) -> None:
    """Schedule the next retry of a failed scheduled run, or, when retries are used up, alert the account.

    ``failure`` is why the attempt failed: a code of ``messages.RUN_MESSAGES`` and its parameters.
    """
    now = clock.now()
    with database.transaction() as session:
        integration = session.get(Integration, integration_id)
        if integration is None:
            return
        attempts = integration.failed_attempts + 1
        if attempts <= len(RETRY_DELAYS):
            integration.failed_attempts = attempts
            retry_at = now + RETRY_DELAYS[attempts - 1]
            if integration.enabled and (integration.next_run_at is None or retry_at < integration.next_run_at):
                integration.next_run_at = retry_at
            logger.info("integration %s: attempt %s failed; retry at %s", integration_id, attempts, retry_at)
            return
        integration.failed_attempts = 0  # the next night starts afresh
    code, params = failure
    _alert(database, integration_id, ("retries_failed", {"attempts": attempts, "code": code, "params": params}), notify)


def _alert(database: Database, integration_id: int, alert: tuple[str, dict], notify: Notify | None) -> None:
    """Show ``alert`` (a code and its parameters) on the integration until a run succeeds, and tell the account."""
    code, params = alert
    message = run_message(SOURCE, code, params, "")  # the e-mail, and the stored text, are in Swedish
    with database.transaction() as session:
        integration = session.get(Integration, integration_id)
        if integration is None:
            return
        integration.alert, integration.alert_code, integration.alert_params = message, code, params
    if notify is not None:
        try:
            notify(integration_id, message)
        except Exception:
            logger.exception("integration %s: the administrators could not be told", integration_id)


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


def email_administrators(context: AppContext) -> Notify:
    """A Notify that e-mails the users of the integration's account who have an e-mail address."""

    def notify(integration_id: int, message: str) -> None:
        with context.db.transaction() as session:
            integration = session.get(Integration, integration_id)
            if integration is None:
                return
            account = session.get_one(Account, integration.account_id)
            recipients = list(
                session.scalars(select(User.email).where(User.account_id == account.id, User.email.is_not(None)))
            )
            name, account_name = integration.name, account.name
        body = (
            f"Integrationen {name} i Boenderegistret ({account_name}) kunde inte köras i natt.\n\n"
            f"{message}\n\nRegistret är oförändrat sedan den senaste lyckade körningen. Kontrollera Axema-systemet "
            "och integrationens inställningar, och tryck sedan på Kör nu.\n"
        )
        try:
            send_mail(context.settings, to=recipients, subject=f"Boenderegister: {name} misslyckades", body=body)
        except MailError:
            logger.exception("integration %s: alert e-mail failed", integration_id)

    return notify


def start_scheduler(context: AppContext) -> Callable[[], None]:
    """Recover runs a crash interrupted, start the minute tick in a background thread (unless BODATA_SCHEDULER
    is off); returns its stop."""
    if not context.settings.scheduler:
        return lambda: None
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        run_due_integrations,
        IntervalTrigger(seconds=TICK.total_seconds()),
        args=[context.db],
        kwargs={
            "clock": context.clock,
            "make_source": lambda integration: source_for(integration, context.secrets),
            "notify": email_administrators(context),
        },
        next_run_time=datetime.now(UTC) + timedelta(seconds=2),
        max_instances=1,
        coalesce=True,
        id="boenderegister-integrations",
    )
    scheduler.start()
    return lambda: scheduler.shutdown(wait=False)
