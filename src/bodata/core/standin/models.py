"""The stand-in's one table: named snapshots, kept in the database so every process and a restart see them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bodata.core.db import Base, UTCDateTime


class StoredSnapshot(Base):
    """A snapshot saved under a name: the services it holds and their state (gzip-compressed JSON)."""

    __tablename__ = "core_standin_snapshot"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    services: Mapped[list[str]] = mapped_column(JSON)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
