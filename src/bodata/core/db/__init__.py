"""Storage: the declarative base, engines and sessions, migrations."""

from bodata.core.db.base import Base, UTCDateTime
from bodata.core.db.engine import Database, create_database_engine

__all__ = ["Base", "Database", "UTCDateTime", "create_database_engine"]
