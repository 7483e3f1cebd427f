"""Crashed and failed runs (issue 15 item 8, issue 20 "failure handling"): a run whose process was killed is
marked interrupted and "Run now" works again at once; a failed nightly run is retried the same night with
backoff, and when it still fails the account's administrators get an e-mail through a real SMTP server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bodata.axema_sim import Faults, SimState, start_sim
from bodata.boenderegister import service
from bodata.boenderegister.models import Account, Integration, IntegrationRun, User
from bodata.boenderegister.scheduler import RETRY_DELAYS, email_administrators, run_due_integrations
from bodata.boenderegister.sources.base import Snapshot
from bodata.boenderegister.sync import LEASE_TTL, next_scheduled_run, recover_interrupted, run_integration, source_for
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.context import AppContext
from bodata.core.db import Database

from ..smtp import smtp_server as loopback_smtp_server
from .factories import NOW, SECRETS, group, make_account, make_integration, person, snapshot

PATIENCE = 120  # seconds to wait for a subprocess to reach a state (a bound on a hang, not a timing assertion)


def runs(database: Database) -> list[tuple[str, str]]:
    with database.transaction() as session:
        return [
            (run.trigger, run.status) for run in session.scalars(select(IntegrationRun).order_by(IntegrationRun.id))
        ]


def test_a_run_killed_with_sigkill_is_interrupted_and_run_now_works_at_once(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    with start_sim(SimState(seed=7, apartments=20)) as sim:
        with database.transaction() as session:
            integration_id = make_integration(session, make_account(session), base_url=sim.url).id
        sim.state.set_faults(Faults(delay_seconds=60))  # every Axema answer takes a minute: the run is mid-way
        env = os.environ | {
            "BODATA_DATABASE_URL": database_url,
            "BODATA_SECRET_KEY": "boenderegister-tests",
            "BODATA_LOG_FORMAT": "text",
        }
        process = subprocess.Popen(  # noqa: S603  (our own command line)
            [sys.executable, "-m", "bodata", "boenderegister", "sync", "--integration", str(integration_id)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            waited = time.monotonic()
            while runs(database) != [("cli", "running")]:
                assert process.poll() is None, "the sync process ended before it was killed"
                assert time.monotonic() - waited < PATIENCE, "the sync process never started its run"
                time.sleep(0.2)
            process.send_signal(signal.SIGKILL)
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
        with database.transaction() as session:
            integration = session.get_one(Integration, integration_id)
            assert integration.lock_holder == f"{socket.gethostname()}:{process.pid}"  # the dead process's lease
        sim.state.set_faults(Faults())
        run = run_integration(
            database,
            integration_id,
            make_source=lambda integration: source_for(integration, SECRETS),
            clock=FixedClock(NOW),
            trigger="manual",
        )
        assert run.status == "succeeded"
        assert runs(database) == [("cli", "interrupted"), ("manual", "succeeded")]


def hold_lease(database: Database, integration_id: int, *, holder: str, expires) -> None:
    """What a process on another host leaves behind when it dies mid-run."""
    with database.transaction() as session:
        session.add(
            IntegrationRun(
                integration_id=integration_id, trigger="schedule", status="running", started_at=NOW, holder=holder
            )
        )
        session.execute(
            update(Integration)
            .where(Integration.id == integration_id)
            .values(lock_holder=holder, lock_expires_at=expires, next_run_at=NOW + timedelta(days=1))
        )


def test_a_run_on_another_host_is_interrupted_when_its_lease_lapses_and_retried(database: Database) -> None:
    with database.transaction() as session:
        integration_id = make_integration(session, make_account(session)).id
    hold_lease(database, integration_id, holder="other-host:4711", expires=NOW + LEASE_TTL)
    clock = FixedClock(NOW + timedelta(seconds=10))
    assert recover_interrupted(database, clock=clock) == []  # the lease is being renewed: still running
    clock.advance(LEASE_TTL)
    run_due_integrations(database, clock=clock, make_source=lambda integration: None)
    assert runs(database) == [("schedule", "interrupted")]
    with database.transaction() as session:
        integration = session.get_one(Integration, integration_id)
        assert integration.lock_holder is None
        assert integration.failed_attempts == 1
        assert integration.next_run_at == clock.now() + RETRY_DELAYS[0]  # retried the same night


class _Source:
    def __init__(self, value: Snapshot) -> None:
        self.value = value

    def fetch(self, progress=None) -> Snapshot:
        return self.value


@pytest.fixture
def smtp_server():
    with loopback_smtp_server() as server:
        yield server


def test_a_failing_nightly_run_is_retried_with_backoff_then_the_administrators_are_emailed(
    database: Database, smtp_server
) -> None:
    port, mailbox = smtp_server
    with database.transaction() as session:
        account = make_account(session, "Brf Kvisten", username="anna")
        user = session.scalar(select(User).where(User.account_id == account.id))
        service.set_user_email(session, user=user, email="anna@kvisten.se")
        integration = make_integration(session, account)  # 127.0.0.1:9: nothing answers
        integration.next_run_at = NOW
        integration_id = integration.id
    clock = FixedClock(NOW)
    context = AppContext(
        settings=Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="boenderegister@bodata.example"),
        db=database,
        clock=clock,
        secrets=SECRETS,
    )
    unreachable = lambda integration: source_for(integration, SECRETS)  # noqa: E731
    notify = email_administrators(context)
    run_due_integrations(database, clock=clock, make_source=unreachable, notify=notify)
    for delay in RETRY_DELAYS:
        assert mailbox.messages == []
        clock.advance(delay - timedelta(seconds=1))
        assert run_due_integrations(database, clock=clock, make_source=unreachable, notify=notify) == []  # not yet
        clock.advance(timedelta(seconds=1))
        run_due_integrations(database, clock=clock, make_source=unreachable, notify=notify)
    assert runs(database) == [("schedule", "failed")] + [("retry", "failed")] * len(RETRY_DELAYS)
    [(recipients, message)] = mailbox.messages
    assert recipients == ["anna@kvisten.se"]
    assert "boenderegister@bodata.example" in message["From"]
    body = message.get_content()
    assert "Axema" in body
    assert "Brf Kvisten" in body
    assert "kunde inte nås" in body
    with database.transaction() as session:
        integration = session.get_one(Integration, integration_id)
        assert "misslyckades 4 gånger" in integration.alert
        assert integration.next_run_at == next_scheduled_run(integration, clock.now())  # the next night's run
    good = lambda integration: _Source(snapshot([group("g1", "1001_Torget 1")], [person("p1", "A", "B", "g1")]))  # noqa: E731
    run_integration(database, integration_id, make_source=good, clock=clock, trigger="manual")
    with database.transaction() as session:
        assert session.get_one(Integration, integration_id).alert is None  # a success clears the alert


def test_the_alert_is_shown_prominently_in_the_web_ui(database: Database) -> None:
    from .web_fixtures import BASE, log_in, web_client

    with database.transaction() as session:
        account = make_account(session, username="anna")
        integration = make_integration(session, account)
        integration.alert_code = "retries_failed"
        failure = {"code": "source_failed", "params": {"kind": "unreachable", "detail": "no answer"}}
        integration.alert_params = {"attempts": 4, **failure}
        integration.alert = "Nattens körning misslyckades 4 gånger."  # the Swedish text, for the e-mail
        integration_id = integration.id
        assert session.get(Account, account.id)
    client = web_client(database, FixedClock(NOW))
    log_in(client, "anna")
    for path in ("/integrations", f"/integrations/{integration_id}"):
        page = client.get(BASE + path).text
        assert (
            'role="alert">Nattens körning misslyckades 4 gånger. Senaste felet: Axema-systemet kunde inte nås. '
            "Inget ändrades. Teknisk detalj: no answer</p>"
        ) in page
        english = client.get(BASE + path, headers={"Accept-Language": "en"}).text
        assert 'role="alert">The nightly run failed 4 times. The last error: The Axema system could not be' in english
