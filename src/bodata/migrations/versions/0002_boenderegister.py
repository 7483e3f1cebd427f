"""Boenderegister tables (br_*).

Revision ID: 0002_boenderegister
Revises: 0001_core
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0002_boenderegister"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "br_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("shown_number", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_account")),
    )
    op.create_table(
        "br_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["br_account.id"], name=op.f("fk_br_api_token_account_id_br_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_api_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_br_api_token_digest")),
    )
    with op.batch_alter_table("br_api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_api_token_account_id"), ["account_id"], unique=False)

    op.create_table(
        "br_integration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("data_format", sa.String(length=20), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=False),
        sa.Column("api_key_encrypted", sa.Text(), nullable=True),
        sa.Column("schedule_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("removal_threshold", sa.Float(), nullable=False),
        sa.Column("next_run_at", UTCDateTime(), nullable=True),
        sa.Column("lock_holder", sa.String(length=100), nullable=True),
        sa.Column("lock_expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["br_account.id"], name=op.f("fk_br_integration_account_id_br_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_integration")),
    )
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_integration_account_id"), ["account_id"], unique=False)

    op.create_table(
        "br_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["br_account.id"], name=op.f("fk_br_user_account_id_br_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_user")),
        sa.UniqueConstraint("username", name=op.f("uq_br_user_username")),
    )
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_user_account_id"), ["account_id"], unique=False)

    op.create_table(
        "br_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("shown_number", sa.String(length=20), nullable=True),
        sa.Column("integration_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["br_account.id"], name=op.f("fk_br_address_account_id_br_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["br_integration.id"],
            name=op.f("fk_br_address_integration_id_br_integration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_address")),
        sa.UniqueConstraint("account_id", "name", name=op.f("uq_br_address_account_id_name")),
    )
    op.create_table(
        "br_integration_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("groups_read", sa.Integer(), nullable=False),
        sa.Column("persons_read", sa.Integer(), nullable=False),
        sa.Column("residents_seen", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["br_integration.id"],
            name=op.f("fk_br_integration_run_integration_id_br_integration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_integration_run")),
    )
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_br_integration_run_integration_started", ["integration_id", "started_at"], unique=False
        )

    op.create_table(
        "br_web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["br_user.id"], name=op.f("fk_br_web_session_user_id_br_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_web_session")),
        sa.UniqueConstraint("digest", name=op.f("uq_br_web_session_digest")),
    )
    with op.batch_alter_table("br_web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_web_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "br_apartment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("lm_number", sa.String(length=4), nullable=False),
        sa.Column("internal_number", sa.String(length=20), nullable=True),
        sa.Column("floor_code", sa.String(length=2), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["address_id"], ["br_address.id"], name=op.f("fk_br_apartment_address_id_br_address"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["br_integration.id"],
            name=op.f("fk_br_apartment_integration_id_br_integration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_apartment")),
        sa.UniqueConstraint("address_id", "lm_number", name=op.f("uq_br_apartment_address_id_lm_number")),
    )
    op.create_table(
        "br_run_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_id", sa.String(length=100), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("reference_id", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["br_integration_run.id"],
            name=op.f("fk_br_run_issue_run_id_br_integration_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_run_issue")),
    )
    with op.batch_alter_table("br_run_issue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_run_issue_run_id"), ["run_id"], unique=False)

    op.create_table(
        "br_resident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("apartment_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=True),
        sa.Column("external_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["apartment_id"],
            ["br_apartment.id"],
            name=op.f("fk_br_resident_apartment_id_br_apartment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["br_integration.id"],
            name=op.f("fk_br_resident_integration_id_br_integration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_resident")),
        sa.UniqueConstraint("apartment_id", "external_key", name=op.f("uq_br_resident_apartment_id_external_key")),
    )
    with op.batch_alter_table("br_resident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_resident_apartment_id"), ["apartment_id"], unique=False)

    op.create_table(
        "br_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=True),
        sa.Column("external_key", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["br_integration.id"],
            name=op.f("fk_br_key_integration_id_br_integration"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["br_resident.id"], name=op.f("fk_br_key_resident_id_br_resident"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_br_key")),
    )
    with op.batch_alter_table("br_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_br_key_resident_id"), ["resident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("br_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_key_resident_id"))

    op.drop_table("br_key")
    with op.batch_alter_table("br_resident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_resident_apartment_id"))

    op.drop_table("br_resident")
    with op.batch_alter_table("br_run_issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_run_issue_run_id"))

    op.drop_table("br_run_issue")
    op.drop_table("br_apartment")
    with op.batch_alter_table("br_web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_web_session_user_id"))

    op.drop_table("br_web_session")
    with op.batch_alter_table("br_integration_run", schema=None) as batch_op:
        batch_op.drop_index("ix_br_integration_run_integration_started")

    op.drop_table("br_integration_run")
    op.drop_table("br_address")
    with op.batch_alter_table("br_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_user_account_id"))

    op.drop_table("br_user")
    with op.batch_alter_table("br_integration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_integration_account_id"))

    op.drop_table("br_integration")
    with op.batch_alter_table("br_api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_br_api_token_account_id"))

    op.drop_table("br_api_token")
    op.drop_table("br_account")
