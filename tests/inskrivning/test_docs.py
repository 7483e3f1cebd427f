"""The user guide's Python example runs as written against a live demo server (docs/inskrivning.md)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from ..live import start_live_server

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # the guide as written: nothing of the dialect

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "inskrivning.md"


def _client_example() -> str:
    section = GUIDE.read_text(encoding="utf-8").split("## Use the client", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_client_example_runs_as_written(demo_database_url: str, tmp_path: Path) -> None:
    example = _client_example()
    assert "http://127.0.0.1:8000/" in example
    server = start_live_server(database_url=demo_database_url, workdir=tmp_path, args=("--demo",))
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            exec(example.replace("http://127.0.0.1:8000", server.url), {})  # noqa: S102 - the guide's own example
    finally:
        server.stop()
    lines = output.getvalue().splitlines()
    assert lines[0] == "Göteborg Kastanjen 1:2"
    assert "2 registrations by property id" in lines
    assert any(" SEK over Göteborg Kastanjen 1:2" in line for line in lines)
