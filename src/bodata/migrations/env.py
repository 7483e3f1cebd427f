"""Alembic environment: runs on the connection bodata hands over (see bodata.core.db.migrate)."""

from alembic import context

import bodata.models  # noqa: F401  (registers every table on the metadata)
from bodata.core.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `bodata db upgrade`, which supplies the database connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
