"""Huslejeregister tables (hr_*).

Revision ID: 0004_huslejeregister
Revises: 0003_inskrivning
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from bodata.core.db.base import UTCDateTime

revision = "0004_huslejeregister"
down_revision = "0003_inskrivning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_boligorganisation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_boligorganisation")),
        sa.UniqueConstraint("nummer", name=op.f("uq_hr_boligorganisation_nummer")),
    )
    op.create_table(
        "hr_udlejningssamarbejde",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("beskrivelse", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_udlejningssamarbejde")),
        sa.UniqueConstraint("navn", name=op.f("uq_hr_udlejningssamarbejde_navn")),
    )
    op.create_table(
        "hr_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_user")),
        sa.UniqueConstraint("username", name=op.f("uq_hr_user_username")),
    )
    op.create_table(
        "hr_afdeling",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_afdeling_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_afdeling")),
        sa.UniqueConstraint("boligorganisation_id", "nummer", name=op.f("uq_hr_afdeling_boligorganisation_id_nummer")),
    )
    with op.batch_alter_table("hr_afdeling", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_afdeling_boligorganisation_id"), ["boligorganisation_id"], unique=False)

    op.create_table(
        "hr_boligorganisation_version",
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
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_boligorganisation_version_entity_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_boligorganisation_version")),
    )
    with op.batch_alter_table("hr_boligorganisation_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_boligorganisation_version_bitemporal",
            ["entity_id", "kladde", "registered_to", "effective_from"],
            unique=False,
        )

    op.create_table(
        "hr_indstilling",
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=False),
        sa.Column("enhedsadministration_aktiv", sa.Boolean(), nullable=False),
        sa.Column("notifikation_nye_enheder_emails", sa.Text(), nullable=True),
        sa.Column("notifikations_emails", sa.Text(), nullable=True),
        sa.Column("nye_enheder_emails_aktiv", sa.Boolean(), nullable=False),
        sa.Column("oprettet", UTCDateTime(), nullable=False),
        sa.Column("aendret", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_indstilling_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.PrimaryKeyConstraint("boligorganisation_id", name=op.f("pk_hr_indstilling")),
    )
    op.create_table(
        "hr_user_organisation",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("boligorganisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["boligorganisation_id"],
            ["hr_boligorganisation.id"],
            name=op.f("fk_hr_user_organisation_boligorganisation_id_hr_boligorganisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["hr_user.id"], name=op.f("fk_hr_user_organisation_user_id_hr_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "boligorganisation_id", name=op.f("pk_hr_user_organisation")),
    )
    op.create_table(
        "hr_afdeling_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["hr_afdeling.id"], name=op.f("fk_hr_afdeling_version_entity_id_hr_afdeling")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_afdeling_version")),
    )
    with op.batch_alter_table("hr_afdeling_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_afdeling_version_bitemporal",
            ["entity_id", "kladde", "registered_to", "effective_from"],
            unique=False,
        )

    op.create_table(
        "hr_byggeafsnit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("afdeling_id", sa.Uuid(), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["afdeling_id"], ["hr_afdeling.id"], name=op.f("fk_hr_byggeafsnit_afdeling_id_hr_afdeling")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_byggeafsnit")),
        sa.UniqueConstraint("afdeling_id", "nummer", name=op.f("uq_hr_byggeafsnit_afdeling_id_nummer")),
    )
    with op.batch_alter_table("hr_byggeafsnit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_byggeafsnit_afdeling_id"), ["afdeling_id"], unique=False)

    op.create_table(
        "hr_bolig",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bbr_id", sa.Uuid(), nullable=False),
        sa.Column("byggeafsnit_id", sa.Uuid(), nullable=False),
        sa.Column("vejkode", sa.Integer(), nullable=False),
        sa.Column("vejnavn", sa.String(length=100), nullable=False),
        sa.Column("husnummer", sa.String(length=10), nullable=False),
        sa.Column("etage", sa.String(length=10), nullable=True),
        sa.Column("doer", sa.String(length=10), nullable=True),
        sa.Column("postnummer", sa.Integer(), nullable=False),
        sa.Column("kommunekode", sa.Integer(), nullable=False),
        sa.Column("bruttoareal", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["byggeafsnit_id"], ["hr_byggeafsnit.id"], name=op.f("fk_hr_bolig_byggeafsnit_id_hr_byggeafsnit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_bolig")),
        sa.UniqueConstraint("bbr_id", name=op.f("uq_hr_bolig_bbr_id")),
    )
    with op.batch_alter_table("hr_bolig", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_bolig_byggeafsnit_id"), ["byggeafsnit_id"], unique=False)

    op.create_table(
        "hr_byggeafsnit_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["hr_byggeafsnit.id"], name=op.f("fk_hr_byggeafsnit_version_entity_id_hr_byggeafsnit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_byggeafsnit_version")),
    )
    with op.batch_alter_table("hr_byggeafsnit_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_byggeafsnit_version_bitemporal",
            ["entity_id", "kladde", "registered_to", "effective_from"],
            unique=False,
        )

    op.create_table(
        "hr_handicap_bolig_type",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("byggeafsnit_id", sa.Uuid(), nullable=False),
        sa.Column("titel", sa.String(length=256), nullable=False),
        sa.Column("beskrivelse", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["byggeafsnit_id"],
            ["hr_byggeafsnit.id"],
            name=op.f("fk_hr_handicap_bolig_type_byggeafsnit_id_hr_byggeafsnit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_handicap_bolig_type")),
    )
    with op.batch_alter_table("hr_handicap_bolig_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_handicap_bolig_type_byggeafsnit_id"), ["byggeafsnit_id"], unique=False)

    op.create_table(
        "hr_bolig_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("registered_from", UTCDateTime(), nullable=False),
        sa.Column("registered_to", UTCDateTime(), nullable=True),
        sa.Column("effective_from", UTCDateTime(), nullable=False),
        sa.Column("effective_to", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["entity_id"], ["hr_bolig.id"], name=op.f("fk_hr_bolig_version_entity_id_hr_bolig")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_bolig_version")),
    )
    with op.batch_alter_table("hr_bolig_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_bolig_version_bitemporal", ["entity_id", "kladde", "registered_to", "effective_from"], unique=False
        )

    op.create_table(
        "hr_boligudgift",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bolig_id", sa.Uuid(), nullable=False),
        sa.Column("ekstern_reference", sa.String(length=256), nullable=True),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("typekode", sa.Integer(), nullable=False),
        sa.Column("start_dato", sa.Date(), nullable=False),
        sa.Column("slut_dato", sa.Date(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("oprettet", UTCDateTime(), nullable=False),
        sa.Column("aendret", UTCDateTime(), nullable=False),
        sa.Column("opdateret", UTCDateTime(), nullable=False),
        sa.Column("ophoert", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["bolig_id"], ["hr_bolig.id"], name=op.f("fk_hr_boligudgift_bolig_id_hr_bolig")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_boligudgift")),
        sa.UniqueConstraint("ekstern_reference", name=op.f("uq_hr_boligudgift_ekstern_reference")),
    )
    with op.batch_alter_table("hr_boligudgift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_boligudgift_bolig_id"), ["bolig_id"], unique=False)

    op.create_table(
        "hr_handicap_registrering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Uuid(), nullable=False),
        sa.Column("spoergsmaal", sa.String(length=20), nullable=False),
        sa.Column("numerisk", sa.Integer(), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=True),
        sa.Column("svar", sa.String(length=20), nullable=True),
        sa.Column("ikke_relevant", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["hr_handicap_bolig_type.id"],
            name=op.f("fk_hr_handicap_registrering_type_id_hr_handicap_bolig_type"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_handicap_registrering")),
        sa.UniqueConstraint("type_id", "spoergsmaal", name=op.f("uq_hr_handicap_registrering_type_id_spoergsmaal")),
    )
    op.create_table(
        "hr_lejekontrakt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bolig_id", sa.Uuid(), nullable=False),
        sa.Column("ekstern_reference", sa.String(length=256), nullable=True),
        sa.Column("kladde", sa.Boolean(), nullable=False),
        sa.Column("start_dato", sa.Date(), nullable=False),
        sa.Column("slut_dato", sa.Date(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("oprettet", UTCDateTime(), nullable=False),
        sa.Column("aendret", UTCDateTime(), nullable=False),
        sa.Column("opdateret", UTCDateTime(), nullable=False),
        sa.Column("ophoert", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["bolig_id"], ["hr_bolig.id"], name=op.f("fk_hr_lejekontrakt_bolig_id_hr_bolig")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hr_lejekontrakt")),
        sa.UniqueConstraint("ekstern_reference", name=op.f("uq_hr_lejekontrakt_ekstern_reference")),
    )
    with op.batch_alter_table("hr_lejekontrakt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_lejekontrakt_bolig_id"), ["bolig_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hr_lejekontrakt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_lejekontrakt_bolig_id"))

    op.drop_table("hr_lejekontrakt")
    op.drop_table("hr_handicap_registrering")
    with op.batch_alter_table("hr_boligudgift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_boligudgift_bolig_id"))

    op.drop_table("hr_boligudgift")
    with op.batch_alter_table("hr_bolig_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_bolig_version_bitemporal")

    op.drop_table("hr_bolig_version")
    with op.batch_alter_table("hr_handicap_bolig_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_handicap_bolig_type_byggeafsnit_id"))

    op.drop_table("hr_handicap_bolig_type")
    with op.batch_alter_table("hr_byggeafsnit_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_byggeafsnit_version_bitemporal")

    op.drop_table("hr_byggeafsnit_version")
    with op.batch_alter_table("hr_bolig", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_bolig_byggeafsnit_id"))

    op.drop_table("hr_bolig")
    with op.batch_alter_table("hr_byggeafsnit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_byggeafsnit_afdeling_id"))

    op.drop_table("hr_byggeafsnit")
    with op.batch_alter_table("hr_afdeling_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_afdeling_version_bitemporal")

    op.drop_table("hr_afdeling_version")
    op.drop_table("hr_user_organisation")
    op.drop_table("hr_indstilling")
    with op.batch_alter_table("hr_boligorganisation_version", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_boligorganisation_version_bitemporal")

    op.drop_table("hr_boligorganisation_version")
    with op.batch_alter_table("hr_afdeling", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_afdeling_boligorganisation_id"))

    op.drop_table("hr_afdeling")
    op.drop_table("hr_user")
    op.drop_table("hr_udlejningssamarbejde")
    op.drop_table("hr_boligorganisation")
