"""Inskrivning tables (ir_*).

Revision ID: 0003_inskrivning
Revises: 0002_boenderegister
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0003_inskrivning"
down_revision = "0002_boenderegister"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ir_api_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ir_api_client")),
        sa.UniqueConstraint("client_id", name=op.f("uq_ir_api_client_client_id")),
    )
    op.create_table(
        "ir_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objektidentitet", sa.Uuid(), nullable=False),
        sa.Column("fastighet_id", sa.Uuid(), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ir_registration")),
    )
    with op.batch_alter_table("ir_registration", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ir_registration_bitemporal", ["objektidentitet", "registered_to", "effective_from"], unique=False
        )
        batch_op.create_index("ix_ir_registration_property", ["fastighet_id", "registered_to"], unique=False)

    op.create_table(
        "ir_access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["ir_api_client.id"],
            name=op.f("fk_ir_access_token_client_id_ir_api_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ir_access_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_ir_access_token_digest")),
    )
    with op.batch_alter_table("ir_access_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ir_access_token_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ir_access_token_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "ir_mortgage_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("inteckning_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["ir_registration.id"],
            name=op.f("fk_ir_mortgage_entry_registration_id_ir_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ir_mortgage_entry")),
    )
    with op.batch_alter_table("ir_mortgage_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ir_mortgage_entry_inteckning_id"), ["inteckning_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ir_mortgage_entry_registration_id"), ["registration_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ir_mortgage_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ir_mortgage_entry_registration_id"))
        batch_op.drop_index(batch_op.f("ix_ir_mortgage_entry_inteckning_id"))

    op.drop_table("ir_mortgage_entry")
    with op.batch_alter_table("ir_access_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ir_access_token_expires_at"))
        batch_op.drop_index(batch_op.f("ix_ir_access_token_client_id"))

    op.drop_table("ir_access_token")
    with op.batch_alter_table("ir_registration", schema=None) as batch_op:
        batch_op.drop_index("ix_ir_registration_property")
        batch_op.drop_index("ix_ir_registration_bitemporal")

    op.drop_table("ir_registration")
    op.drop_table("ir_api_client")
