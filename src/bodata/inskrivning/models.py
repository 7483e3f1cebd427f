"""Tables of the land register (prefix ``ir_``).

A registration (Inskrivningsinformation) is stored as versions: each version holds the whole canonical document
(the ``total`` view, JSON) for the time it was the register's state, so ``instant`` reads the register as it was.
The mortgages a version lists are indexed for ``/referens/inteckning/{id}``. API clients and their access
tokens (OAuth2 client credentials, like Lantmäteriet's gateway) are stored with hashed secrets only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from bodata.core.db import Base, UTCDateTime
from bodata.core.temporal import BitemporalMixin, bitemporal_index


class RegistrationVersion(BitemporalMixin, Base):
    """One registration's state for a registration period; ``registered_to IS NULL`` is the current one.

    ``effective_from`` is when the state came into force in the register (the snapshot's date); registrations
    have no separate effect timeline of their own.
    """

    __tablename__ = "ir_registration"
    __entity_key__ = "objektidentitet"
    __table_args__ = (
        bitemporal_index("ir_registration", "objektidentitet"),
        Index("ix_ir_registration_property", "fastighet_id", "registered_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    objektidentitet: Mapped[uuid.UUID] = mapped_column(Uuid())
    fastighet_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    beteckning: Mapped[str | None] = mapped_column(String(200))
    document: Mapped[bytes] = mapped_column(LargeBinary())


class MortgageEntry(Base):
    """A mortgage (Inteckning) that a registration version lists among its encumbrances."""

    __tablename__ = "ir_mortgage_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("ir_registration.id", ondelete="CASCADE"), index=True)
    inteckning_id: Mapped[uuid.UUID] = mapped_column(Uuid(), index=True)


class ApiClient(Base):
    """An OAuth2 client allowed to fetch tokens at ``/token`` (client credentials by HTTP Basic)."""

    __tablename__ = "ir_api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AccessToken(Base):
    """A bearer token issued to a client; only its digest is stored."""

    __tablename__ = "ir_access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("ir_api_client.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
