"""Portal, the landlord's side: rent components and runs, number series, BgMax files and payments, reference rates,
reminders, the outbox's retries and attachments, staff accounts and web sessions.

Revision ID: 0012_landlord
Revises: 0011_boender
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0012_landlord"
down_revision = "0011_boender"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    with op.batch_alter_table("pm_company") as batch:
        batch.add_column(sa.Column("rent_run_day", sa.Integer(), server_default="15", nullable=False))
        batch.add_column(sa.Column("reminder_days", sa.Integer(), server_default="10", nullable=False))
        batch.add_column(sa.Column("reminder_fee", MONEY, server_default="60", nullable=False))
    with op.batch_alter_table("pm_contract") as batch:
        batch.add_column(sa.Column("billing_period", sa.String(10), server_default="manad", nullable=False))
        batch.add_column(sa.Column("vat", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("reminder_fee", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("due_day", sa.Integer(), nullable=True))
    op.create_table(
        "pm_rent_component",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contract_id", sa.Integer(), sa.ForeignKey("pm_contract.id", ondelete="CASCADE"), nullable=False),
        sa.Column("aviseringstext", sa.String(200), nullable=False),
        sa.Column("monthly_amount", MONEY, nullable=False),
        sa.Column("fom", sa.Date(), nullable=True),
        sa.Column("tom", sa.Date(), nullable=True),
    )
    op.create_index("ix_pm_rent_component_contract_id", "pm_rent_component", ["contract_id"])
    op.create_table(
        "pm_rent_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("started_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("notices", sa.Integer(), nullable=False),
        sa.Column("total", MONEY, nullable=False),
    )
    op.create_index("ix_pm_rent_run_period", "pm_rent_run", ["period"])
    series = op.create_table(
        "pm_number_series",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("next_value", sa.Integer(), nullable=False),
    )
    op.bulk_insert(series, [{"name": "avi", "next_value": 0}])  # 0: start after the largest avinummer on record
    with op.batch_alter_table("pm_invoice") as batch:
        batch.add_column(sa.Column("rent_run_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("period_fom", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reminder_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_pm_invoice_rent_run", "pm_rent_run", ["rent_run_id"], ["id"])
        batch.create_foreign_key("fk_pm_invoice_reminder_of", "pm_invoice", ["reminder_of_id"], ["id"])
        batch.create_unique_constraint("uq_pm_invoice_contract_period", ["contract_id", "period_fom"])
        batch.create_unique_constraint("uq_pm_invoice_reminder_of_id", ["reminder_of_id"])
        batch.create_index("ix_pm_invoice_rent_run_id", ["rent_run_id"])
        batch.create_index("ix_pm_invoice_betalningsreferens", ["betalningsreferens"])
    op.create_table(
        "pm_bank_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("written_at", sa.String(20), nullable=False),
        sa.Column("bankgiro", sa.String(10), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "pm_bank_payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bank_file_id", sa.Integer(), sa.ForeignKey("pm_bank_file.id"), nullable=False),
        sa.Column("bgc_serial", sa.String(12), nullable=False),
        sa.Column("betalningsdag", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(25), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("payer_bankgiro", sa.String(10), nullable=False),
        sa.Column("payer_name", sa.String(200), nullable=False),
        sa.Column("information", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("pm_customer.id"), nullable=True),
        sa.Column("handled_by", sa.String(100), nullable=True),
        sa.UniqueConstraint("bgc_serial", "betalningsdag", name="uq_pm_bank_payment_serial"),
    )
    for column in ("bank_file_id", "status", "customer_id"):
        op.create_index(f"ix_pm_bank_payment_{column}", "pm_bank_payment", [column])
    with op.batch_alter_table("pm_payment") as batch:
        batch.add_column(sa.Column("bank_payment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_pm_payment_bank_payment", "pm_bank_payment", ["bank_payment_id"], ["id"])
        batch.create_index("ix_pm_payment_bank_payment_id", ["bank_payment_id"])
    op.create_table(
        "pm_reference_rate",
        sa.Column("fom", sa.Date(), primary_key=True),
        sa.Column("rate", sa.Numeric(6, 3), nullable=False),
    )
    with op.batch_alter_table("pm_outbox_message") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), server_default="validering", nullable=False))
        batch.add_column(sa.Column("status", sa.String(20), server_default="pending", nullable=False))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("next_attempt_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("sent_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(500), nullable=True))
        batch.add_column(sa.Column("invoice_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("attachment_name", sa.String(200), nullable=True))
        batch.create_foreign_key(
            "fk_pm_outbox_message_invoice", "pm_invoice", ["invoice_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key("fk_pm_outbox_message_file", "pm_file", ["file_id"], ["id"])
        batch.create_index("ix_pm_outbox_message_due", ["status", "next_attempt_at"])
        batch.create_index("ix_pm_outbox_message_invoice_id", ["invoice_id"])
    op.create_table(
        "pm_staff_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "pm_staff_web_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("pm_staff_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_pm_staff_web_session_user_id", "pm_staff_web_session", ["user_id"])


def downgrade() -> None:
    op.drop_table("pm_staff_web_session")
    op.drop_table("pm_staff_user")
    with op.batch_alter_table("pm_outbox_message") as batch:
        batch.drop_index("ix_pm_outbox_message_invoice_id")
        batch.drop_index("ix_pm_outbox_message_due")
        batch.drop_constraint("fk_pm_outbox_message_file", type_="foreignkey")
        batch.drop_constraint("fk_pm_outbox_message_invoice", type_="foreignkey")
        for column in (
            "attachment_name",
            "file_id",
            "invoice_id",
            "last_error",
            "sent_at",
            "next_attempt_at",
            "attempts",
            "status",
            "kind",
        ):
            batch.drop_column(column)
    op.drop_table("pm_reference_rate")
    with op.batch_alter_table("pm_payment") as batch:
        batch.drop_index("ix_pm_payment_bank_payment_id")
        batch.drop_constraint("fk_pm_payment_bank_payment", type_="foreignkey")
        batch.drop_column("bank_payment_id")
    op.drop_table("pm_bank_payment")
    op.drop_table("pm_bank_file")
    with op.batch_alter_table("pm_invoice") as batch:
        batch.drop_index("ix_pm_invoice_betalningsreferens")
        batch.drop_index("ix_pm_invoice_rent_run_id")
        batch.drop_constraint("uq_pm_invoice_reminder_of_id", type_="unique")
        batch.drop_constraint("uq_pm_invoice_contract_period", type_="unique")
        batch.drop_constraint("fk_pm_invoice_reminder_of", type_="foreignkey")
        batch.drop_constraint("fk_pm_invoice_rent_run", type_="foreignkey")
        for column in ("reminder_of_id", "period_fom", "rent_run_id"):
            batch.drop_column(column)
    op.drop_table("pm_number_series")
    op.drop_table("pm_rent_run")
    op.drop_table("pm_rent_component")
    with op.batch_alter_table("pm_contract") as batch:
        for column in ("due_day", "reminder_fee", "vat", "billing_period"):
            batch.drop_column(column)
    with op.batch_alter_table("pm_company") as batch:
        for column in ("reminder_fee", "reminder_days", "rent_run_day"):
            batch.drop_column(column)
