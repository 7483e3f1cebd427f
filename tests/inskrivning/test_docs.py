"""The user guide's Python example runs as written against a live demo server (docs/inskrivning.md)."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bodata.core.db import Database
from bodata.inskrivning import service
from bodata.inskrivning.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PROPERTIES, DEMO_SEED
from bodata.inskrivning.generator import generate_register

from ..live import LiveServer

pytestmark = pytest.mark.e2e

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "inskrivning.md"


def _client_example() -> str:
    section = GUIDE.read_text(encoding="utf-8").split("## Use the client", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.fixture
def demo_register(database: Database) -> None:
    """The demo's land register (``bodata serve --demo`` loads the same), stored before the server starts."""
    now = datetime.now(UTC)
    with database.transaction() as session:
        service.add_client(session, DEMO_CLIENT_ID, secret=DEMO_CLIENT_SECRET, now=now)
        service.load_generated(session, generate_register(DEMO_PROPERTIES, seed=DEMO_SEED, now=now))


def test_the_client_example_runs_as_written(demo_register: None, live_server: LiveServer) -> None:
    example = _client_example()
    assert "http://127.0.0.1:8000/" in example
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(example.replace("http://127.0.0.1:8000", live_server.url), {})  # noqa: S102 - the guide's own example
    lines = output.getvalue().splitlines()
    assert lines[0] == "Göteborg Kastanjen 1:2"
    assert "2 registrations by property id" in lines
    assert any(" SEK over Göteborg Kastanjen 1:2" in line for line in lines)
