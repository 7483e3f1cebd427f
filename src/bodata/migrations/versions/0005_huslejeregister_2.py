"""Huslejeregister part 2: allocation agreements, sign-ups, attachments, units (hr_*).

Revision ID: 0005_huslejeregister_2
Revises: 0004_huslejeregister
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0005_huslejeregister_2"
down_revision = "0004_huslejeregister"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_enhed_haendelse",
        sa.Column("nummer", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=False),
        sa.Column("typekode", sa.Integer(), nullable=False),
        sa.Column("enhed", sa.Uuid(), nullable=False),
        sa.Column("til_enhed", sa.Uuid(), nullable=True),
        sa.Column("tidspunkt", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_enhed_haendelse_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("nummer", name=op.f("pk_hr_enhed_haendelse")),
    )
    with op.batch_alter_table("hr_enhed_haendelse", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_enhed_haendelse_boligorganisation_id"), ["boligorganisation_id"], unique=False
        )

    op.create_table(
        "hr_anvisningsaftale",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ekstern_reference", sa.String(length=256), nullable=True),
        sa.Column("slettet", UTCDateTime(), nullable=True),
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=True),
        sa.Column("afdeling_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["afdeling_id"], ["hr_afdeling.id"], name=op.f("fk_hr_anvisningsaftale_afdeling_id_hr_afdeling")
        ),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_anvisningsaftale_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_anvisningsaftale")),
        sa.UniqueConstraint("ekstern_reference", name=op.f("uq_hr_anvisningsaftale_ekstern_reference")),
    )
    with op.batch_alter_table("hr_anvisningsaftale", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_anvisningsaftale_afdeling_id"), ["afdeling_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hr_anvisningsaftale_boligorganisation_id"), ["boligorganisation_id"], unique=False
        )

    op.create_table(
        "hr_boligopskrivning",
        sa.Column("boligtype", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ekstern_reference", sa.String(length=256), nullable=True),
        sa.Column("slettet", UTCDateTime(), nullable=True),
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=True),
        sa.Column("afdeling_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["afdeling_id"], ["hr_afdeling.id"], name=op.f("fk_hr_boligopskrivning_afdeling_id_hr_afdeling")
        ),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_boligopskrivning_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_boligopskrivning")),
        sa.UniqueConstraint("ekstern_reference", name=op.f("uq_hr_boligopskrivning_ekstern_reference")),
    )
    with op.batch_alter_table("hr_boligopskrivning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_boligopskrivning_afdeling_id"), ["afdeling_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hr_boligopskrivning_boligorganisation_id"), ["boligorganisation_id"], unique=False
        )

    op.create_table(
        "hr_anvisningsaftale_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["hr_anvisningsaftale.id"],
            name=op.f("fk_hr_anvisningsaftale_version_entity_id_hr_anvisningsaftale"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_anvisningsaftale_version")),
    )
    with op.batch_alter_table("hr_anvisningsaftale_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_anvisningsaftale_version_bitemporal",
            ["entity_id", "kladde", "registered_to", "effective_from"],
            unique=False,
        )

    op.create_table(
        "hr_boligopskrivning_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["hr_boligopskrivning.id"],
            name=op.f("fk_hr_boligopskrivning_version_entity_id_hr_boligopskrivning"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_boligopskrivning_version")),
    )
    with op.batch_alter_table("hr_boligopskrivning_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_boligopskrivning_version_bitemporal",
            ["entity_id", "kladde", "registered_to", "effective_from"],
            unique=False,
        )

    op.create_table(
        "hr_byggeafsnit_ejendom",
        sa.Column("byggeafsnit_id", sa.Uuid(), nullable=False),
        sa.Column("ejendomsnummer", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["byggeafsnit_id"],
            ["hr_byggeafsnit.id"],
            name=op.f("fk_hr_byggeafsnit_ejendom_byggeafsnit_id_hr_byggeafsnit"),
        ),
        sa.PrimaryKeyConstraint("byggeafsnit_id", "ejendomsnummer", name=op.f("pk_hr_byggeafsnit_ejendom")),
    )
    op.create_table(
        "hr_bilag",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_id", sa.Uuid(), nullable=True),
        sa.Column("byggeafsnit_id", sa.Uuid(), nullable=True),
        sa.Column("bolig_id", sa.Uuid(), nullable=True),
        sa.Column("anvisningsaftale_id", sa.Uuid(), nullable=True),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("typekode", sa.Integer(), nullable=False),
        sa.Column("navn", sa.String(length=256), nullable=False),
        sa.Column("mimetype", sa.String(length=256), nullable=False),
        sa.Column("beskrivelse", sa.Text(), nullable=True),
        sa.Column("indhold", sa.LargeBinary(), nullable=False),
        sa.Column("oprettet", UTCDateTime(), nullable=False),
        sa.Column("aendret", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["afdeling_id"], ["hr_afdeling.id"], name=op.f("fk_hr_bilag_afdeling_id_hr_afdeling")),
        sa.ForeignKeyConstraint(
            ["anvisningsaftale_id"],
            ["hr_anvisningsaftale.id"],
            name=op.f("fk_hr_bilag_anvisningsaftale_id_hr_anvisningsaftale"),
        ),
        sa.ForeignKeyConstraint(["bolig_id"], ["hr_bolig.id"], name=op.f("fk_hr_bilag_bolig_id_hr_bolig")),
        sa.ForeignKeyConstraint(
            ["byggeafsnit_id"], ["hr_byggeafsnit.id"], name=op.f("fk_hr_bilag_byggeafsnit_id_hr_byggeafsnit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_bilag")),
    )
    with op.batch_alter_table("hr_bilag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_bilag_afdeling_id"), ["afdeling_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hr_bilag_anvisningsaftale_id"), ["anvisningsaftale_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hr_bilag_bolig_id"), ["bolig_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hr_bilag_byggeafsnit_id"), ["byggeafsnit_id"], unique=False)

    op.create_table(
        "hr_enhed_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["entity_id"], ["hr_bolig.id"], name=op.f("fk_hr_enhed_version_entity_id_hr_bolig")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_enhed_version")),
    )
    with op.batch_alter_table("hr_enhed_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_enhed_version_bitemporal", ["entity_id", "kladde", "registered_to", "effective_from"], unique=False
        )

    with op.batch_alter_table("hr_bolig", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ejendomsnummer", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("anvendelseskode", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("oprettet", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("slettet_i_bbr", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hr_bolig", schema=None) as batch_op:
        batch_op.drop_column("slettet_i_bbr")
        batch_op.drop_column("oprettet")
        batch_op.drop_column("anvendelseskode")
        batch_op.drop_column("ejendomsnummer")

    with op.batch_alter_table("hr_enhed_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_enhed_version_bitemporal")

    op.drop_table("hr_enhed_version")
    with op.batch_alter_table("hr_bilag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_bilag_byggeafsnit_id"))
        batch_op.drop_index(batch_op.f("ix_hr_bilag_bolig_id"))
        batch_op.drop_index(batch_op.f("ix_hr_bilag_anvisningsaftale_id"))
        batch_op.drop_index(batch_op.f("ix_hr_bilag_afdeling_id"))

    op.drop_table("hr_bilag")
    op.drop_table("hr_byggeafsnit_ejendom")
    with op.batch_alter_table("hr_boligopskrivning_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_boligopskrivning_version_bitemporal")

    op.drop_table("hr_boligopskrivning_version")
    with op.batch_alter_table("hr_anvisningsaftale_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_anvisningsaftale_version_bitemporal")

    op.drop_table("hr_anvisningsaftale_version")
    with op.batch_alter_table("hr_boligopskrivning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_boligopskrivning_boligorganisation_id"))
        batch_op.drop_index(batch_op.f("ix_hr_boligopskrivning_afdeling_id"))

    op.drop_table("hr_boligopskrivning")
    with op.batch_alter_table("hr_anvisningsaftale", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_anvisningsaftale_boligorganisation_id"))
        batch_op.drop_index(batch_op.f("ix_hr_anvisningsaftale_afdeling_id"))

    op.drop_table("hr_anvisningsaftale")
    with op.batch_alter_table("hr_enhed_haendelse", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_enhed_haendelse_boligorganisation_id"))

    op.drop_table("hr_enhed_haendelse")
