"""Boenderegister: adopted records, run leases and retries, named run records, audit trail, user e-mail.

Revision ID: 0009_boenderegister_ownership
Revises: 0008_core_login_failures
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0009_boenderegister_ownership"
down_revision = "0008_core_login_failures"
branch_labels = None
depends_on = None

_REGISTER = ("br_address", "br_apartment", "br_resident", "br_key")


def upgrade() -> None:
    for table in _REGISTER:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("adopted", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("alert", sa.Text(), nullable=True))
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=100), nullable=True))
    op.create_table(
        "br_run_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["br_integration_run.id"],
            name=op.f("fk_br_run_record_run_id_br_integration_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_run_record")),
    )
    with op.batch_alter_table("br_run_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_run_record_run_id"), ["run_id"], unique=False)
    op.create_table(
        "br_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["br_account.id"], name=op.f("fk_br_audit_account_id_br_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_audit")),
    )
    with op.batch_alter_table("br_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_audit_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("br_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_audit_account_id"))
    op.drop_table("br_audit")
    with op.batch_alter_table("br_run_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_run_record_run_id"))
    op.drop_table("br_run_record")
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.drop_column("holder")
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.drop_column("alert")
        batch_op.drop_column("failed_attempts")
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.drop_column("email")
    for table in _REGISTER:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("adopted")
