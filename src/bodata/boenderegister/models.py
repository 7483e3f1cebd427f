"""Tables of the residents register (prefix ``br_``).

Accounts own everything. The register is addresses → apartments → residents → keys. A record created by an
integration carries that integration's id and the external key it has in the source; such records are owned
by the integration (read-only for people) and are created, changed and removed by its runs only; ``adopted``
marks a record typed in by hand that an integration took over, which it gives back instead of removing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bodata.core.db import Base, UTCDateTime

SHOWN_NUMBER_CHOICES = ("lantmateriet", "internal")


class Account(Base):
    """A property owner or housing co-op: the unit of data ownership."""

    __tablename__ = "br_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    shown_number: Mapped[str] = mapped_column(String(20), default="lantmateriet")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    """A person who logs in to the web UI; belongs to one account."""

    __tablename__ = "br_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("br_account.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    email: Mapped[str | None] = mapped_column(String(200))  # told when nightly runs keep failing
    language: Mapped[str | None] = mapped_column(String(8))  # the UI's language on any browser (None: the browser's)

    account: Mapped[Account] = relationship()


class ApiToken(Base):
    """A bearer token for the REST API (devices, other systems); only its digest is stored."""

    __tablename__ = "br_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("br_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSession(Base):
    """A logged-in browser: the cookie holds the token, the table its digest and the CSRF token."""

    __tablename__ = "br_web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("br_user.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Integration(Base):
    """A connection to an access-control system whose view the register mirrors (Axema is master)."""

    __tablename__ = "br_integration"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("br_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    data_format: Mapped[str] = mapped_column(String(20), default="AXEMA")
    base_url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(200))
    password_encrypted: Mapped[str] = mapped_column(Text)
    api_key_encrypted: Mapped[str | None] = mapped_column(Text)
    schedule_time: Mapped[str] = mapped_column(String(5), default="02:00")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    removal_threshold: Mapped[float] = mapped_column(Float, default=0.2)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The run lease: the process running the integration renews it while it works (sync.LEASE_TTL).
    lock_holder: Mapped[str | None] = mapped_column(String(100))
    lock_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    alert: Mapped[str | None] = mapped_column(Text)  # why the nightly run keeps failing; cleared by a success
    alert_code: Mapped[str | None] = mapped_column(String(60))  # the alert as ``messages.RUN_MESSAGES`` code
    alert_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship()


class IntegrationRun(Base):
    """One run of an integration: what it found, what it changed, and why it stopped if it did."""

    __tablename__ = "br_integration_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("br_integration.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message: Mapped[str] = mapped_column(Text, default="")
    groups_read: Mapped[int] = mapped_column(Integer, default=0)
    persons_read: Mapped[int] = mapped_column(Integer, default=0)
    residents_seen: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    holder: Mapped[str | None] = mapped_column(String(100))  # the process running it (host:pid)
    # The message as a code of ``messages.RUN_MESSAGES`` and its parameters; ``message`` holds its Swedish text.
    message_code: Mapped[str | None] = mapped_column(String(60))
    message_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    issues: Mapped[list[RunIssue]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RunIssue.id"
    )

    __table_args__ = (Index("ix_br_integration_run_integration_started", "integration_id", "started_at"),)


class RunIssue(Base):
    """An organisation group a run excluded (``excluded``) or read with a problem it worked around (``warning``)."""

    __tablename__ = "br_run_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("br_integration_run.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str] = mapped_column(String(100))
    group_name: Mapped[str] = mapped_column(String(200))
    reference_id: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)  # the Swedish text (rows from before codes: as written then)
    code: Mapped[str | None] = mapped_column(String(60))  # of ``messages.ISSUE_REASONS``, with its parameters
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    run: Mapped[IntegrationRun] = relationship(back_populates="issues")


class RunRecord(Base):
    """The records of one kind a run created, updated, adopted, removed or released (gave back as typed in by
    hand), named in one list: a first sync names 100,000 records, one row each would cost more than the sync."""

    __tablename__ = "br_run_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("br_integration_run.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    labels: Mapped[list[str]] = mapped_column(JSON)


class AuditEntry(Base):
    """Who changed what in an account's integrations (kept when the integration is deleted)."""

    __tablename__ = "br_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("br_account.id", ondelete="CASCADE"), index=True)
    integration_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Address(Base):
    """An address (for an integration: all groups with the same identifier)."""

    __tablename__ = "br_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("br_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    shown_number: Mapped[str | None] = mapped_column(String(20))
    integration_id: Mapped[int | None] = mapped_column(ForeignKey("br_integration.id", ondelete="SET NULL"))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    apartments: Mapped[list[Apartment]] = relationship(
        back_populates="address", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("account_id", "name"),)


class Apartment(Base):
    """An apartment: Lantmäteriet number (unique within the address), optional internal number, floor code."""

    __tablename__ = "br_apartment"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("br_address.id", ondelete="CASCADE"))
    lm_number: Mapped[str] = mapped_column(String(4))
    internal_number: Mapped[str | None] = mapped_column(String(20))
    floor_code: Mapped[str] = mapped_column(String(2))
    integration_id: Mapped[int | None] = mapped_column(ForeignKey("br_integration.id", ondelete="SET NULL"))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    address: Mapped[Address] = relationship(back_populates="apartments")
    residents: Mapped[list[Resident]] = relationship(
        back_populates="apartment", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("address_id", "lm_number"),)


class Resident(Base):
    """A resident of an apartment; ``external_key`` is the person's id in the source."""

    __tablename__ = "br_resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("br_apartment.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    integration_id: Mapped[int | None] = mapped_column(ForeignKey("br_integration.id", ondelete="SET NULL"))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    external_key: Mapped[str | None] = mapped_column(String(100))

    apartment: Mapped[Apartment] = relationship(back_populates="residents")
    keys: Mapped[list[Key]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("apartment_id", "external_key"),)


class Key(Base):
    """A key (tag or radio key) carried by a resident; ``external_key`` is the credential's id in the source."""

    __tablename__ = "br_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("br_resident.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(100))
    integration_id: Mapped[int | None] = mapped_column(ForeignKey("br_integration.id", ondelete="SET NULL"))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    external_key: Mapped[str | None] = mapped_column(String(100))

    resident: Mapped[Resident] = relationship(back_populates="keys")
