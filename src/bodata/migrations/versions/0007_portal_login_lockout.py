"""Tenant portal: wrong passwords in a row lock a login for a while (pm_login.failed_logins, locked_until).

Revision ID: 0007_portal_login_lockout
Revises: 0006_portal
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0007_portal_login_lockout"
down_revision = "0006_portal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pm_login", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pm_login", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
