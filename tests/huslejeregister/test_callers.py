"""Remembered SOAP callers (issue 16): a read-only method skips the user lookup for a verified UsernameToken, and a
changed password, a lock, a removed organisation or a removed user takes effect at the very next call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from bodata.core.cache import CredentialCache
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.context import AppContext
from bodata.core.db import Database
from bodata.core.security import SecretBox
from bodata.core.throttle import unlock
from bodata.huslejeregister import organisations
from bodata.huslejeregister.api import handle_call
from bodata.huslejeregister.calls import Caller
from bodata.huslejeregister.models import UserOrganisation
from bodata.huslejeregister.soap import SoapFault

from .conftest import Register, unit_id
from .test_bad_input import bolig_hent, envelope, security

pytestmark = pytest.mark.sqlite_only
ALICES_UNIT = unit_id(501, 1, 1, 2)


def test_a_remembered_caller_never_outlives_a_change(database: Database, hr_register: Register) -> None:
    settings = Settings(secret_key="k", login_max_failures=3)
    context = AppContext(settings, database, FixedClock(datetime.now(UTC)), SecretBox("k"))
    callers: CredentialCache[Caller] = CredentialCache(organisations.CALLERS)

    def call(password: str) -> bytes:
        return handle_call(context, envelope(bolig_hent(ALICES_UNIT), security(password=password)), callers)

    def refused(password: str) -> str:
        with pytest.raises(SoapFault) as fault:
            call(password)
        return fault.value.message

    assert b"BoligHentOutputStruktur" in call("alice-password")
    assert b"BoligHentOutputStruktur" in call("alice-password")  # remembered
    assert "forkert" in refused("another")

    with database.transaction() as session:
        organisations.set_password(session, "alice", "new-password")
    assert "forkert" in refused("alice-password")
    assert b"BoligHentOutputStruktur" in call("new-password")

    for _ in range(2):
        assert "forkert" in refused("wrong")
    assert "spærret" in refused("wrong")  # the third wrong one locks the name
    assert "spærret" in refused("new-password")  # though the right one is remembered
    assert unlock(database, realm="huslejeregister", name="alice")
    assert b"BoligHentOutputStruktur" in call("new-password")

    with database.transaction() as session:
        organisation = UserOrganisation.boligorganisation_id == hr_register.organisation_ids[501]
        session.execute(delete(UserOrganisation).where(organisation))
    assert "administreres ikke af brugeren" in refused("new-password")

    with database.transaction() as session:
        assert organisations.remove_user(session, "alice")
    assert "forkert" in refused("new-password")
