"""SQLite under 20 concurrent writers and 6 wrong-password callers: every request answers, none with a 500.

Before issue 15 each transaction took the write lock up front and the Argon2 check of a wrong SOAP password ran
inside it; writers then waited past the busy timeout and got 500 "database is locked". The timing figures are in
``bench/bench_locking.py``; this test counts answers only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.bench_locking import prepare, run_load

from ..live import start_live_server

pytestmark = pytest.mark.e2e


def test_writers_and_wrong_passwords_at_once_get_no_500(tmp_path: Path) -> None:
    path = tmp_path / "locking.db"
    prepare(path)
    server = start_live_server(
        database_url=f"sqlite:///{path}", workdir=tmp_path, env={"BODATA_LOGIN_MAX_FAILURES": "0"}
    )
    try:
        outcomes = run_load(server.url, writers=20, guessers=6, requests_each=4)
    finally:
        server.stop()
    assert {kind: outcome.unexpected for kind, outcome in outcomes.items()} == {
        "writer": [],
        "wrong password": [],
        "health": [],
    }
    assert sum(outcomes["writer"].statuses.values()) == 80
    assert "database is locked" not in server.log()
