"""Tenant portal: property-management records behind PM5 Mina sidor (pm_*).

Revision ID: 0006_portal
Revises: 0005_huslejeregister_2
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0006_portal"
down_revision = "0005_huslejeregister_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pm_actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visningsnamn", sa.String(length=200), nullable=False),
        sa.Column("fornamn", sa.String(length=100), nullable=True),
        sa.Column("efternamn", sa.String(length=100), nullable=True),
        sa.Column("telefon", sa.String(length=50), nullable=True),
        sa.Column("mobil", sa.String(length=50), nullable=True),
        sa.Column("epost", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_actor")),
    )
    op.create_table(
        "pm_api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_api_key")),
        sa.UniqueConstraint("digest", name=op.f("uq_pm_api_key_digest")),
        sa.UniqueConstraint("name", name=op.f("uq_pm_api_key_name")),
    )
    op.create_table(
        "pm_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namn", sa.String(length=200), nullable=False),
        sa.Column("organisationsnummer", sa.String(length=11), nullable=False),
        sa.Column("gatuadress", sa.String(length=200), nullable=False),
        sa.Column("postnummer", sa.String(length=10), nullable=False),
        sa.Column("postort", sa.String(length=100), nullable=False),
        sa.Column("telefon", sa.String(length=50), nullable=False),
        sa.Column("epost", sa.String(length=200), nullable=False),
        sa.Column("webbadress", sa.String(length=200), nullable=False),
        sa.Column("bankgiro", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_company")),
    )
    op.create_table(
        "pm_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kundnummer", sa.String(length=30), nullable=False),
        sa.Column("fornamn", sa.String(length=100), nullable=False),
        sa.Column("efternamn", sa.String(length=100), nullable=False),
        sa.Column("personnummer", sa.String(length=12), nullable=True),
        sa.Column("fodelsedatum", sa.Date(), nullable=True),
        sa.Column("market_profile", sa.JSON(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_customer")),
        sa.UniqueConstraint("kundnummer", name=op.f("uq_pm_customer_kundnummer")),
    )
    op.create_table(
        "pm_data_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_data_generation")),
    )
    op.bulk_insert(sa.table("pm_data_generation", sa.column("id"), sa.column("value")), [{"id": 1, "value": 0}])
    op.create_table(
        "pm_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("extension", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_file")),
    )
    op.create_table(
        "pm_file_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("ordning", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_file_type")),
    )
    op.create_table(
        "pm_key_handling_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_key_handling_type")),
    )
    op.create_table(
        "pm_node_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_system_name", sa.String(length=100), nullable=False),
        sa.Column("system_name", sa.String(length=100), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("kod", sa.String(length=20), nullable=False),
        sa.Column("kortbeteckning", sa.String(length=50), nullable=False),
        sa.Column("usage_system_name", sa.String(length=100), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_node_class")),
        sa.UniqueConstraint(
            "group_system_name", "system_name", name=op.f("uq_pm_node_class_group_system_name_system_name")
        ),
    )
    with op.batch_alter_table("pm_node_class", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_node_class_group_system_name"), ["group_system_name"], unique=False)

    op.create_table(
        "pm_staff_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_staff_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_pm_staff_token_digest")),
        sa.UniqueConstraint("name", name=op.f("uq_pm_staff_token_name")),
    )
    op.create_table(
        "pm_time_point_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_name", sa.String(length=100), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_time_point_type")),
        sa.UniqueConstraint("system_name", name=op.f("uq_pm_time_point_type_system_name")),
    )
    op.create_table(
        "pm_contact_detail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("validated", sa.Boolean(), nullable=False),
        sa.Column("validation_key_digest", sa.String(length=64), nullable=True),
        sa.Column("validation_expires_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["pm_customer.id"],
            name=op.f("fk_pm_contact_detail_customer_id_pm_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_contact_detail")),
        sa.UniqueConstraint("customer_id", "kind", name=op.f("uq_pm_contact_detail_customer_id_kind")),
        sa.UniqueConstraint("validation_key_digest", name=op.f("uq_pm_contact_detail_validation_key_digest")),
    )
    with op.batch_alter_table("pm_contact_detail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_contact_detail_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "pm_customer_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("namn", sa.String(length=200), nullable=True),
        sa.Column("attention", sa.String(length=200), nullable=True),
        sa.Column("care_of", sa.String(length=200), nullable=True),
        sa.Column("gatuadress1", sa.String(length=200), nullable=True),
        sa.Column("gatuadress2", sa.String(length=200), nullable=True),
        sa.Column("postnummer", sa.String(length=10), nullable=True),
        sa.Column("postort", sa.String(length=100), nullable=True),
        sa.Column("land", sa.String(length=2), nullable=False),
        sa.Column("fom", sa.Date(), nullable=True),
        sa.Column("tom", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["pm_customer.id"],
            name=op.f("fk_pm_customer_address_customer_id_pm_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_customer_address")),
    )
    with op.batch_alter_table("pm_customer_address", schema=None) as batch_op:
        batch_op.create_index("ix_pm_customer_address_customer", ["customer_id", "kind"], unique=False)

    op.create_table(
        "pm_fault_description_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_class_id", sa.Integer(), nullable=True),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_class_id"],
            ["pm_node_class.id"],
            name=op.f("fk_pm_fault_description_type_node_class_id_pm_node_class"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_fault_description_type")),
    )
    with op.batch_alter_table("pm_fault_description_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_fault_description_type_node_class_id"), ["node_class_id"], unique=False)

    op.create_table(
        "pm_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_login_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_login_customer_id_pm_customer"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_login")),
        sa.UniqueConstraint("username", name=op.f("uq_pm_login_username")),
    )
    with op.batch_alter_table("pm_login", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_login_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "pm_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("node_class_id", sa.Integer(), nullable=False),
        sa.Column("visningstext", sa.String(length=200), nullable=False),
        sa.Column("nummer", sa.String(length=50), nullable=True),
        sa.Column("object_type", sa.String(length=50), nullable=True),
        sa.Column("usages", sa.String(length=200), nullable=False),
        sa.Column("gatuadress1", sa.String(length=200), nullable=True),
        sa.Column("gatuadress2", sa.String(length=200), nullable=True),
        sa.Column("postnummer", sa.String(length=10), nullable=True),
        sa.Column("postort", sa.String(length=100), nullable=True),
        sa.Column("land", sa.String(length=2), nullable=True),
        sa.Column("ordning", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_class_id"], ["pm_node_class.id"], name=op.f("fk_pm_node_node_class_id_pm_node_class")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["pm_node.id"], name=op.f("fk_pm_node_parent_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_node")),
    )
    with op.batch_alter_table("pm_node", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_node_nummer"), ["nummer"], unique=False)
        batch_op.create_index(batch_op.f("ix_pm_node_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "pm_node_class_time_point",
        sa.Column("node_class_id", sa.Integer(), nullable=False),
        sa.Column("time_point_type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_class_id"],
            ["pm_node_class.id"],
            name=op.f("fk_pm_node_class_time_point_node_class_id_pm_node_class"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["time_point_type_id"],
            ["pm_time_point_type.id"],
            name=op.f("fk_pm_node_class_time_point_time_point_type_id_pm_time_point_type"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("node_class_id", "time_point_type_id", name=op.f("pk_pm_node_class_time_point")),
    )
    op.create_table(
        "pm_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_notification_customer_id_pm_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_notification")),
    )
    with op.batch_alter_table("pm_notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_notification_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "pm_outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["pm_customer.id"],
            name=op.f("fk_pm_outbox_message_customer_id_pm_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_outbox_message")),
    )
    with op.batch_alter_table("pm_outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_outbox_message_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "pm_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_session_customer_id_pm_customer"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_session")),
        sa.UniqueConstraint("digest", name=op.f("uq_pm_session_digest")),
    )
    with op.batch_alter_table("pm_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_session_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pm_session_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "pm_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nummer", sa.String(length=30), nullable=False),
        sa.Column("typ", sa.String(length=50), nullable=False),
        sa.Column("typ_referensnamn", sa.String(length=50), nullable=False),
        sa.Column("general", sa.Boolean(), nullable=False),
        sa.Column("node_class_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("incoming_customer_id", sa.Integer(), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("kalla_systemnamn", sa.String(length=20), nullable=False),
        sa.Column("husdjur", sa.String(length=500), nullable=True),
        sa.Column("contact_actor_id", sa.Integer(), nullable=True),
        sa.Column("processteg_referensnamn", sa.String(length=50), nullable=True),
        sa.Column("processteg_beteckning", sa.String(length=100), nullable=True),
        sa.Column("inkommen", sa.DateTime(), nullable=False),
        sa.Column("klar_senast", sa.DateTime(), nullable=True),
        sa.Column("avslutat", sa.DateTime(), nullable=True),
        sa.Column("planerad_start", sa.DateTime(), nullable=True),
        sa.Column("planerad_klar", sa.DateTime(), nullable=True),
        sa.Column("borttagen", sa.Boolean(), nullable=False),
        sa.Column("erbjudande_svar_senast", sa.Date(), nullable=True),
        sa.Column("share_key_digest", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_actor_id"], ["pm_actor.id"], name=op.f("fk_pm_case_contact_actor_id_pm_actor")
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_case_customer_id_pm_customer")),
        sa.ForeignKeyConstraint(
            ["incoming_customer_id"], ["pm_customer.id"], name=op.f("fk_pm_case_incoming_customer_id_pm_customer")
        ),
        sa.ForeignKeyConstraint(
            ["node_class_id"], ["pm_node_class.id"], name=op.f("fk_pm_case_node_class_id_pm_node_class")
        ),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_case_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case")),
        sa.UniqueConstraint("nummer", name=op.f("uq_pm_case_nummer")),
        sa.UniqueConstraint("share_key_digest", name=op.f("uq_pm_case_share_key_digest")),
    )
    with op.batch_alter_table("pm_case", schema=None) as batch_op:
        batch_op.create_index("ix_pm_case_customer", ["customer_id", "borttagen"], unique=False)
        batch_op.create_index(batch_op.f("ix_pm_case_incoming_customer_id"), ["incoming_customer_id"], unique=False)

    op.create_table(
        "pm_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("avtalsnummer", sa.String(length=50), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("fom", sa.Date(), nullable=False),
        sa.Column("tom", sa.Date(), nullable=True),
        sa.Column("monthly_rent", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_contract_customer_id_pm_customer")
        ),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_contract_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_contract")),
        sa.UniqueConstraint("avtalsnummer", name=op.f("uq_pm_contract_avtalsnummer")),
    )
    with op.batch_alter_table("pm_contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_contract_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pm_contract_node_id"), ["node_id"], unique=False)

    op.create_table(
        "pm_laundry_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_laundry_slot_customer_id_pm_customer")
        ),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_laundry_slot_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_laundry_slot")),
        sa.UniqueConstraint("node_id", "start", name=op.f("uq_pm_laundry_slot_node_id_start")),
    )
    with op.batch_alter_table("pm_laundry_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_laundry_slot_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pm_laundry_slot_node_id"), ["node_id"], unique=False)

    op.create_table(
        "pm_maintenance_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("atgard", sa.String(length=200), nullable=False),
        sa.Column("avser", sa.String(length=200), nullable=False),
        sa.Column("planerat", sa.Date(), nullable=True),
        sa.Column("bestalld", sa.Date(), nullable=True),
        sa.Column("utford", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_maintenance_item_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_maintenance_item")),
    )
    with op.batch_alter_table("pm_maintenance_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_maintenance_item_node_id"), ["node_id"], unique=False)

    op.create_table(
        "pm_meter_installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("anvandning", sa.String(length=100), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_meter_installation_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_meter_installation")),
    )
    with op.batch_alter_table("pm_meter_installation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_meter_installation_node_id"), ["node_id"], unique=False)

    op.create_table(
        "pm_notification_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("externt_id", sa.Integer(), nullable=False),
        sa.Column("externt_namn", sa.String(length=200), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["pm_file.id"], name=op.f("fk_pm_notification_attachment_file_id_pm_file")
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["pm_notification.id"],
            name=op.f("fk_pm_notification_attachment_notification_id_pm_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_notification_attachment")),
        sa.UniqueConstraint(
            "notification_id", "externt_id", name=op.f("uq_pm_notification_attachment_notification_id_externt_id")
        ),
    )
    op.create_table(
        "pm_notification_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("kanal_system_name", sa.String(length=50), nullable=False),
        sa.Column("kanal_beteckning", sa.String(length=100), nullable=False),
        sa.Column("kanal_hjalptext", sa.String(length=500), nullable=True),
        sa.Column("notifierad", sa.Boolean(), nullable=False),
        sa.Column("klar_utc", UTCDateTime(), nullable=True),
        sa.Column("overgiven_utc", UTCDateTime(), nullable=True),
        sa.Column("amne", sa.String(length=300), nullable=False),
        sa.Column("brodtext", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["pm_notification.id"],
            name=op.f("fk_pm_notification_channel_notification_id_pm_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_notification_channel")),
    )
    with op.batch_alter_table("pm_notification_channel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pm_notification_channel_notification_id"), ["notification_id"], unique=False
        )

    op.create_table(
        "pm_case_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("node_path", sa.String(length=500), nullable=False),
        sa.Column("status_referensnamn", sa.String(length=50), nullable=False),
        sa.Column("status_beteckning", sa.String(length=100), nullable=False),
        sa.Column("processteg_referensnamn", sa.String(length=50), nullable=False),
        sa.Column("processteg_beteckning", sa.String(length=100), nullable=False),
        sa.Column("beskrivning", sa.Text(), nullable=True),
        sa.Column("specifikation", sa.Text(), nullable=True),
        sa.Column("key_handling_type_id", sa.Integer(), nullable=True),
        sa.Column("key_handling_note", sa.String(length=500), nullable=True),
        sa.Column("fault_description_type_id", sa.Integer(), nullable=True),
        sa.Column("klassificering_id", sa.Integer(), nullable=True),
        sa.Column("klassificering_system_name", sa.String(length=50), nullable=True),
        sa.Column("klassificering_beteckning", sa.String(length=100), nullable=True),
        sa.Column("atgard_bestalld", sa.Date(), nullable=True),
        sa.Column("atgard_utford", sa.Date(), nullable=True),
        sa.Column("atgard_accepterad", sa.Date(), nullable=True),
        sa.Column("atgard_planerad", sa.DateTime(), nullable=True),
        sa.Column("atgard_skapad", sa.Date(), nullable=True),
        sa.Column("atgard_intervall", sa.Integer(), nullable=True),
        sa.Column("atgard_intervall_enhet", sa.String(length=20), nullable=True),
        sa.Column("atgard_typ_beteckning", sa.String(length=100), nullable=True),
        sa.Column("atgard_typ_kortbeteckning", sa.String(length=50), nullable=True),
        sa.Column("pris_restvarde", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("pris_rabatt", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("inspection_remark", sa.Text(), nullable=True),
        sa.Column("charged_outgoing", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["pm_case.id"], name=op.f("fk_pm_case_row_case_id_pm_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["fault_description_type_id"],
            ["pm_fault_description_type.id"],
            name=op.f("fk_pm_case_row_fault_description_type_id_pm_fault_description_type"),
        ),
        sa.ForeignKeyConstraint(
            ["key_handling_type_id"],
            ["pm_key_handling_type.id"],
            name=op.f("fk_pm_case_row_key_handling_type_id_pm_key_handling_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case_row")),
    )
    with op.batch_alter_table("pm_case_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_case_row_case_id"), ["case_id"], unique=False)

    op.create_table(
        "pm_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("file_type_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("ordning", sa.Integer(), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("webbadress", sa.String(length=500), nullable=True),
        sa.Column("meddelande", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["pm_contract.id"], name=op.f("fk_pm_document_contract_id_pm_contract")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_document_customer_id_pm_customer")
        ),
        sa.ForeignKeyConstraint(["file_id"], ["pm_file.id"], name=op.f("fk_pm_document_file_id_pm_file")),
        sa.ForeignKeyConstraint(
            ["file_type_id"], ["pm_file_type.id"], name=op.f("fk_pm_document_file_type_id_pm_file_type")
        ),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_document_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_document")),
    )
    with op.batch_alter_table("pm_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_document_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "pm_invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("avinummer", sa.String(length=30), nullable=False),
        sa.Column("typ_referensnamn", sa.String(length=30), nullable=False),
        sa.Column("typ_beteckning", sa.String(length=10), nullable=False),
        sa.Column("betalningsreferens", sa.String(length=30), nullable=False),
        sa.Column("mottagare_nummer", sa.String(length=30), nullable=False),
        sa.Column("formedlare_systemnamn", sa.String(length=20), nullable=False),
        sa.Column("formedlare_beteckning", sa.String(length=50), nullable=False),
        sa.Column("forfallodag", sa.Date(), nullable=False),
        sa.Column("nettobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("momsbelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("bruttobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("inbetalt_belopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("restbelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("fordelat_belopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("att_betala", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["pm_contract.id"], name=op.f("fk_pm_invoice_contract_id_pm_contract")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["pm_customer.id"], name=op.f("fk_pm_invoice_customer_id_pm_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_invoice")),
        sa.UniqueConstraint("avinummer", name=op.f("uq_pm_invoice_avinummer")),
    )
    with op.batch_alter_table("pm_invoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_invoice_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index("ix_pm_invoice_customer_due", ["customer_id", "forfallodag"], unique=False)

    op.create_table(
        "pm_meter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("anvandning", sa.String(length=100), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("enhet", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["pm_meter_installation.id"],
            name=op.f("fk_pm_meter_installation_id_pm_meter_installation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_meter")),
    )
    with op.batch_alter_table("pm_meter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_meter_installation_id"), ["installation_id"], unique=False)

    op.create_table(
        "pm_case_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("case_row_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("visningsnamn", sa.String(length=200), nullable=False),
        sa.Column("telefon", sa.String(length=50), nullable=True),
        sa.Column("mobil", sa.String(length=50), nullable=True),
        sa.Column("epost", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["pm_case.id"], name=op.f("fk_pm_case_participant_case_id_pm_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["case_row_id"],
            ["pm_case_row.id"],
            name=op.f("fk_pm_case_participant_case_row_id_pm_case_row"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case_participant")),
    )
    with op.batch_alter_table("pm_case_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_case_participant_case_id"), ["case_id"], unique=False)

    op.create_table(
        "pm_case_row_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_row_id", sa.Integer(), nullable=False),
        sa.Column("beteckning", sa.String(length=200), nullable=False),
        sa.Column("tidpunkt", sa.DateTime(), nullable=False),
        sa.Column("anvandare", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_row_id"],
            ["pm_case_row.id"],
            name=op.f("fk_pm_case_row_history_case_row_id_pm_case_row"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case_row_history")),
    )
    with op.batch_alter_table("pm_case_row_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_case_row_history_case_row_id"), ["case_row_id"], unique=False)

    op.create_table(
        "pm_case_row_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_row_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("notering", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_row_id"],
            ["pm_case_row.id"],
            name=op.f("fk_pm_case_row_media_case_row_id_pm_case_row"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["file_id"], ["pm_file.id"], name=op.f("fk_pm_case_row_media_file_id_pm_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case_row_media")),
    )
    with op.batch_alter_table("pm_case_row_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_case_row_media_case_row_id"), ["case_row_id"], unique=False)

    op.create_table(
        "pm_case_row_time_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_row_id", sa.Integer(), nullable=False),
        sa.Column("time_point_type_id", sa.Integer(), nullable=False),
        sa.Column("varde", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_row_id"],
            ["pm_case_row.id"],
            name=op.f("fk_pm_case_row_time_point_case_row_id_pm_case_row"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["time_point_type_id"],
            ["pm_time_point_type.id"],
            name=op.f("fk_pm_case_row_time_point_time_point_type_id_pm_time_point_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_case_row_time_point")),
    )
    with op.batch_alter_table("pm_case_row_time_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_case_row_time_point_case_row_id"), ["case_row_id"], unique=False)

    op.create_table(
        "pm_invoice_distribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("typ", sa.String(length=30), nullable=False),
        sa.Column("adress", sa.String(length=300), nullable=False),
        sa.Column("distribuerad", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["pm_invoice.id"],
            name=op.f("fk_pm_invoice_distribution_invoice_id_pm_invoice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_invoice_distribution")),
    )
    with op.batch_alter_table("pm_invoice_distribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_invoice_distribution_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "pm_ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("forfallodag", sa.Date(), nullable=False),
        sa.Column("nettobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("momsbelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("bruttobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("skickad_till_inkasso", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["pm_invoice.id"], name=op.f("fk_pm_ledger_entry_invoice_id_pm_invoice"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["node_id"], ["pm_node.id"], name=op.f("fk_pm_ledger_entry_node_id_pm_node")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_ledger_entry")),
    )
    with op.batch_alter_table("pm_ledger_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_ledger_entry_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "pm_meter_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("tom", sa.Date(), nullable=False),
        sa.Column("forbrukning", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("matarstallning", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("kostnad", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("debiterad", sa.Boolean(), nullable=False),
        sa.Column("avlast_tid", sa.DateTime(), nullable=False),
        sa.Column("pris", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("apris", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("debiteras_tidigast", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meter_id"], ["pm_meter.id"], name=op.f("fk_pm_meter_reading_meter_id_pm_meter"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_meter_reading")),
        sa.UniqueConstraint("meter_id", "datum", name=op.f("uq_pm_meter_reading_meter_id_datum")),
    )
    op.create_table(
        "pm_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("betalvag", sa.String(length=100), nullable=False),
        sa.Column("belopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("betalningsdag", sa.Date(), nullable=False),
        sa.Column("bokforingsdag", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["pm_invoice.id"], name=op.f("fk_pm_payment_invoice_id_pm_invoice"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_payment")),
    )
    with op.batch_alter_table("pm_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_payment_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "pm_ledger_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ledger_entry_id", sa.Integer(), nullable=False),
        sa.Column("aviseringstext", sa.String(length=200), nullable=False),
        sa.Column("nettobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("momsbelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("bruttobelopp", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("has_specification", sa.Boolean(), nullable=False),
        sa.Column("spec_avser_fom", sa.Date(), nullable=True),
        sa.Column("spec_avser_tom", sa.Date(), nullable=True),
        sa.Column("spec_kalla_beteckning", sa.String(length=100), nullable=True),
        sa.Column("spec_kalla_identitet", sa.String(length=100), nullable=True),
        sa.Column("spec_varde_fom", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("spec_varde_tom", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("spec_mangd", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("spec_mangdenhet", sa.String(length=20), nullable=True),
        sa.Column("spec_apris", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("spec_debiteringsfri_tom", sa.Date(), nullable=True),
        sa.Column("spec_debiteringsfritt_netto", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("spec_debiteringsfritt_moms", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("spec_debiteringsfritt_total", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["pm_ledger_entry.id"],
            name=op.f("fk_pm_ledger_row_ledger_entry_id_pm_ledger_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pm_ledger_row")),
    )
    with op.batch_alter_table("pm_ledger_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pm_ledger_row_ledger_entry_id"), ["ledger_entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pm_ledger_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_ledger_row_ledger_entry_id"))

    op.drop_table("pm_ledger_row")
    with op.batch_alter_table("pm_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_payment_invoice_id"))

    op.drop_table("pm_payment")
    op.drop_table("pm_meter_reading")
    with op.batch_alter_table("pm_ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_ledger_entry_invoice_id"))

    op.drop_table("pm_ledger_entry")
    with op.batch_alter_table("pm_invoice_distribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_invoice_distribution_invoice_id"))

    op.drop_table("pm_invoice_distribution")
    with op.batch_alter_table("pm_case_row_time_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_row_time_point_case_row_id"))

    op.drop_table("pm_case_row_time_point")
    with op.batch_alter_table("pm_case_row_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_row_media_case_row_id"))

    op.drop_table("pm_case_row_media")
    with op.batch_alter_table("pm_case_row_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_row_history_case_row_id"))

    op.drop_table("pm_case_row_history")
    with op.batch_alter_table("pm_case_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_participant_case_id"))

    op.drop_table("pm_case_participant")
    with op.batch_alter_table("pm_meter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_meter_installation_id"))

    op.drop_table("pm_meter")
    with op.batch_alter_table("pm_invoice", schema=None) as batch_op:
        batch_op.drop_index("ix_pm_invoice_customer_due")
        batch_op.drop_index(batch_op.f("ix_pm_invoice_contract_id"))

    op.drop_table("pm_invoice")
    with op.batch_alter_table("pm_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_document_customer_id"))

    op.drop_table("pm_document")
    with op.batch_alter_table("pm_case_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_row_case_id"))

    op.drop_table("pm_case_row")
    with op.batch_alter_table("pm_notification_channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_notification_channel_notification_id"))

    op.drop_table("pm_notification_channel")
    op.drop_table("pm_notification_attachment")
    with op.batch_alter_table("pm_meter_installation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_meter_installation_node_id"))

    op.drop_table("pm_meter_installation")
    with op.batch_alter_table("pm_maintenance_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_maintenance_item_node_id"))

    op.drop_table("pm_maintenance_item")
    with op.batch_alter_table("pm_laundry_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_laundry_slot_node_id"))
        batch_op.drop_index(batch_op.f("ix_pm_laundry_slot_customer_id"))

    op.drop_table("pm_laundry_slot")
    with op.batch_alter_table("pm_contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_contract_node_id"))
        batch_op.drop_index(batch_op.f("ix_pm_contract_customer_id"))

    op.drop_table("pm_contract")
    with op.batch_alter_table("pm_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_case_incoming_customer_id"))
        batch_op.drop_index("ix_pm_case_customer")

    op.drop_table("pm_case")
    with op.batch_alter_table("pm_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_session_expires_at"))
        batch_op.drop_index(batch_op.f("ix_pm_session_customer_id"))

    op.drop_table("pm_session")
    with op.batch_alter_table("pm_outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_outbox_message_customer_id"))

    op.drop_table("pm_outbox_message")
    with op.batch_alter_table("pm_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_notification_customer_id"))

    op.drop_table("pm_notification")
    op.drop_table("pm_node_class_time_point")
    with op.batch_alter_table("pm_node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_node_parent_id"))
        batch_op.drop_index(batch_op.f("ix_pm_node_nummer"))

    op.drop_table("pm_node")
    with op.batch_alter_table("pm_login", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_login_customer_id"))

    op.drop_table("pm_login")
    with op.batch_alter_table("pm_fault_description_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_fault_description_type_node_class_id"))

    op.drop_table("pm_fault_description_type")
    with op.batch_alter_table("pm_customer_address", schema=None) as batch_op:
        batch_op.drop_index("ix_pm_customer_address_customer")

    op.drop_table("pm_customer_address")
    with op.batch_alter_table("pm_contact_detail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_contact_detail_customer_id"))

    op.drop_table("pm_contact_detail")
    op.drop_table("pm_time_point_type")
    op.drop_table("pm_staff_token")
    with op.batch_alter_table("pm_node_class", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pm_node_class_group_system_name"))

    op.drop_table("pm_node_class")
    op.drop_table("pm_key_handling_type")
    op.drop_table("pm_file_type")
    op.drop_table("pm_file")
    op.drop_table("pm_data_generation")
    op.drop_table("pm_customer")
    op.drop_table("pm_company")
    op.drop_table("pm_api_key")
    op.drop_table("pm_actor")
