"""Alembic environment: runs on the connection bodata hands over (see bodata.core.db.migrate)."""

from alembic import context

import bodata.models  # noqa: F401  (registers every table on the metadata)
from bodata.core.db.base import Base, UTCDateTime


def render_item(type_, obj, autogen_context):
    """Write bodata's column types in generated migrations as short, importable names."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from bodata.core.db.base import UTCDateTime")
        return "UTCDateTime()"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `bodata db upgrade`, which supplies the database connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
