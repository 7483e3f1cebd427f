"""Stand-in controls: named snapshots (core_standin_snapshot).

Revision ID: 0010_standin
Revises: 0009_boenderegister_ownership
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0010_standin"
down_revision = "0009_boenderegister_ownership"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_standin_snapshot",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_core_standin_snapshot")),
    )


def downgrade() -> None:
    op.drop_table("core_standin_snapshot")
