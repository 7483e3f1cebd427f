"""Login throttling for every password check (core_login_failures).

Revision ID: 0008_core_login_failures
Revises: 0007_portal_login_lockout
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0008_core_login_failures"
down_revision = "0007_portal_login_lockout"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_login_failures",
        sa.Column("realm", sa.String(length=40), nullable=False),
        sa.Column("name_digest", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("realm", "name_digest", name=op.f("pk_core_login_failures")),
    )


def downgrade() -> None:
    op.drop_table("core_login_failures")
