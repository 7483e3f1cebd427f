"""Empty databases for tests: a SQLite file, or a fresh schema on the PostgreSQL server of
``BODATA_TEST_DATABASE_URL`` (skipped with the reason when it is not set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("BODATA_TEST_DATABASE_URL", "")
PG_SKIP_REASON = "PostgreSQL tests need BODATA_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"


@contextmanager
def scratch_database_url(kind: str, directory: Path, name: str = "bodata.db") -> Iterator[str]:
    """The URL of an empty database of ``kind`` ("sqlite" or "postgresql"); a PostgreSQL schema is dropped
    afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / name}"
        return
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
