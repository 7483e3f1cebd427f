"""Core: named data generations (core_generation), which keep in-memory caches true across processes.

Revision ID: 0013_perf
Revises: 0012_landlord
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_perf"
down_revision = "0012_landlord"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_generation",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_core_generation")),
    )


def downgrade() -> None:
    op.drop_table("core_generation")
