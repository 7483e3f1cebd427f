"""Nightly scheduling: the next run time in Europe/Stockholm, and due integrations run once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bodata.axema_sim import SimState, start_sim
from bodata.boenderegister.models import Integration, IntegrationRun
from bodata.boenderegister.scheduler import run_due_integrations
from bodata.boenderegister.sync import next_scheduled_run, source_for
from bodata.core.clock import FixedClock
from bodata.core.db import Database

from .factories import NOW, SECRETS, make_account, make_integration

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (at("2026-06-10T01:00"), at("2026-06-10T02:00")),  # later the same night
        (at("2026-06-10T02:00"), at("2026-06-11T02:00")),  # exactly now: the next night
        (at("2026-06-10T14:30"), at("2026-06-11T02:00")),
        (at("2026-01-10T14:30"), at("2026-01-11T02:00")),  # winter time (UTC+1)
        (at("2026-03-28T12:00"), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 02:00 does not exist: 03:00 CEST
        (at("2026-10-24T12:00"), datetime(2026, 10, 25, 0, 0, tzinfo=UTC)),  # 02:00 twice: the first
    ],
)
def test_next_run_is_the_next_schedule_time_in_stockholm(after: datetime, expected: datetime) -> None:
    integration = Integration(schedule_time="02:00", timezone="Europe/Stockholm")
    planned = next_scheduled_run(integration, after)
    assert planned == expected
    assert planned.tzinfo is not None


def test_due_integrations_run_once_and_are_rescheduled(database: Database) -> None:
    with start_sim(SimState(seed=3, apartments=10)) as sim, database.transaction() as session:
        account = make_account(session)
        due = make_integration(session, account, base_url=sim.url)
        due.next_run_at = NOW - timedelta(minutes=1)
        later = make_integration(session, account, base_url=sim.url)
        later.next_run_at = NOW + timedelta(hours=3)
        disabled = make_integration(session, account, base_url=sim.url)
        disabled.next_run_at, disabled.enabled = NOW - timedelta(minutes=1), False
        due_id = due.id
        session.commit()
        clock = FixedClock(NOW)
        make_source = lambda integration: source_for(integration, SECRETS)  # noqa: E731
        runs = run_due_integrations(database, clock=clock, make_source=make_source)
        assert [(run.integration_id, run.trigger, run.status) for run in runs] == [(due_id, "schedule", "succeeded")]
        assert run_due_integrations(database, clock=clock, make_source=make_source) == []
    with database.transaction() as session:
        rescheduled = session.get_one(Integration, due_id).next_run_at
        assert rescheduled == next_scheduled_run(session.get_one(Integration, due_id), NOW)
        assert rescheduled > NOW
        assert len(session.scalars(select(IntegrationRun)).all()) == 1
