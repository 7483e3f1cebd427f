"""Tables of the rent register (prefix ``hr_``).

LBF's master data (Stamdata: organisations, departments, building sections and the BBR units) is loaded by
``bodata huslejeregister stamdata import``; the web service adds the *extra* data the organisations report. For
the four bitemporal entities that data is kept as versions (registration and effect time, huslejeregister.md §3)
in one table per entity; each entity has two editions, the submitted one and a draft (KladdeIndikator), each
with its own timeline, so the composite key of a timeline is (entity, kladde). A version's reported fields are
kept as one JSON object whose keys are the spec's element names.

Users log in with WS-Security UsernameToken (passwords hashed) and administer a set of organisations.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from bodata.core.db import Base, UTCDateTime
from bodata.core.temporal import BitemporalMixin, bitemporal_index

# --- Stamdata (LBF master data and BBR) -------------------------------------------------------------


class Boligorganisation(Base):
    """A housing organisation, by its official LBF organisation number."""

    __tablename__ = "hr_boligorganisation"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    nummer: Mapped[int] = mapped_column(Integer, unique=True)
    navn: Mapped[str] = mapped_column(String(200), default="")


class Afdeling(Base):
    """A department (estate) of an organisation, by its LBF department number."""

    __tablename__ = "hr_afdeling"
    __table_args__ = (UniqueConstraint("boligorganisation_id", "nummer"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    boligorganisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_boligorganisation.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    navn: Mapped[str] = mapped_column(String(200), default="")

    boligorganisation: Mapped[Boligorganisation] = relationship(lazy="joined")


class Byggeafsnit(Base):
    """A building section of a department, by its LBF building-section number."""

    __tablename__ = "hr_byggeafsnit"
    __table_args__ = (UniqueConstraint("afdeling_id", "nummer"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    afdeling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_afdeling.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)

    afdeling: Mapped[Afdeling] = relationship(lazy="joined")


class Bolig(Base):
    """A dwelling: a BBR unit (BuildingUnitUniversalIdentifier) in a building section, with its BBR address."""

    __tablename__ = "hr_bolig"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    bbr_id: Mapped[uuid.UUID] = mapped_column(Uuid(), unique=True)
    byggeafsnit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_byggeafsnit.id"), index=True)
    vejkode: Mapped[int] = mapped_column(Integer)
    vejnavn: Mapped[str] = mapped_column(String(100))
    husnummer: Mapped[str] = mapped_column(String(10))
    etage: Mapped[str | None] = mapped_column(String(10))
    doer: Mapped[str | None] = mapped_column(String(10))
    postnummer: Mapped[int] = mapped_column(Integer)
    kommunekode: Mapped[int] = mapped_column(Integer)
    bruttoareal: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    ejendomsnummer: Mapped[str | None] = mapped_column(String(20))
    anvendelseskode: Mapped[int | None] = mapped_column(Integer)
    oprettet: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slettet_i_bbr: Mapped[datetime | None] = mapped_column(UTCDateTime())

    byggeafsnit: Mapped[Byggeafsnit] = relationship(lazy="joined")


# --- Reported extra data, bitemporal -----------------------------------------------------------------


class _Versions(BitemporalMixin):
    """Columns shared by the four version tables: the entity, the edition (draft or submitted), the fields."""

    __entity_key__ = ("entity_id", "kladde")
    __entity_table__: str

    id: Mapped[int] = mapped_column(primary_key=True)
    kladde: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    @declared_attr
    def entity_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey(f"{cls.__entity_table__}.id"))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (bitemporal_index(cls.__tablename__, "entity_id", "kladde"),)


class BoligorganisationVersion(_Versions, Base):
    """A version of an organisation's extra data (BoligorganisationVersionStruktur)."""

    __tablename__ = "hr_boligorganisation_version"
    __entity_table__ = "hr_boligorganisation"


class AfdelingVersion(_Versions, Base):
    """A version of a department's extra data (AfdelingVersionStruktur)."""

    __tablename__ = "hr_afdeling_version"
    __entity_table__ = "hr_afdeling"


class ByggeafsnitVersion(_Versions, Base):
    """A version of a building section's extra data (ByggeafsnitVersionStruktur)."""

    __tablename__ = "hr_byggeafsnit_version"
    __entity_table__ = "hr_byggeafsnit"


class BoligVersion(_Versions, Base):
    """A version of a dwelling's extra data (BoligVersionStruktur)."""

    __tablename__ = "hr_bolig_version"
    __entity_table__ = "hr_bolig"


class EnhedVersion(_Versions, Base):
    """A version of a unit's status in the register (EnhedVersionStruktur: EnhedStatusKode and the elimination
    reason in ``data``); units have no drafts, so ``kladde`` is always false."""

    __tablename__ = "hr_enhed_version"
    __entity_table__ = "hr_bolig"


class _Owned:
    """An entity the organisations create themselves, owned by an organisation or one of its departments, keyed
    by a technical id and the organisation's EksternReference; ``slettet`` is set when it is deleted (Slet), its
    versions staying readable as history."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    ekstern_reference: Mapped[str | None] = mapped_column(String(256), unique=True)
    slettet: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def boligorganisation_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("hr_boligorganisation.id"), index=True)

    @declared_attr
    def afdeling_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("hr_afdeling.id"), index=True)


class Anvisningsaftale(_Owned, Base):
    """An allocation agreement (§4.7)."""

    __tablename__ = "hr_anvisningsaftale"


class AnvisningsaftaleVersion(_Versions, Base):
    """A version of an allocation agreement (AnvisningsaftaleVersionStruktur)."""

    __tablename__ = "hr_anvisningsaftale_version"
    __entity_table__ = "hr_anvisningsaftale"


class Boligopskrivning(_Owned, Base):
    """Waiting-list sign-up information for one housing type (§4.8)."""

    __tablename__ = "hr_boligopskrivning"

    boligtype: Mapped[int | None] = mapped_column(Integer)


class BoligopskrivningVersion(_Versions, Base):
    """A version of a sign-up (BoligopskrivningVersionStruktur)."""

    __tablename__ = "hr_boligopskrivning_version"
    __entity_table__ = "hr_boligopskrivning"


# --- Settings, letting cooperations, accessibility types -----------------------------------------------


class Indstilling(Base):
    """An organisation's settings (IndstillingStruktur); created with the initial values on first use."""

    __tablename__ = "hr_indstilling"

    boligorganisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_boligorganisation.id"), primary_key=True)
    enhedsadministration_aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    notifikation_nye_enheder_emails: Mapped[str | None] = mapped_column(Text)
    notifikations_emails: Mapped[str | None] = mapped_column(Text)
    nye_enheder_emails_aktiv: Mapped[bool] = mapped_column(Boolean, default=False)
    oprettet: Mapped[datetime] = mapped_column(UTCDateTime())
    aendret: Mapped[datetime] = mapped_column(UTCDateTime())


class Udlejningssamarbejde(Base):
    """A letting cooperation, created by LBF's administrative client (here: the CLI and the demo data)."""

    __tablename__ = "hr_udlejningssamarbejde"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    navn: Mapped[str] = mapped_column(String(200), unique=True)
    beskrivelse: Mapped[str | None] = mapped_column(Text)


class HandicapBoligType(Base):
    """A group of dwellings in a building section with the same accessibility characteristics."""

    __tablename__ = "hr_handicap_bolig_type"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    byggeafsnit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_byggeafsnit.id"), index=True)
    titel: Mapped[str] = mapped_column(String(256))
    beskrivelse: Mapped[str | None] = mapped_column(Text)

    registreringer: Mapped[list[HandicapRegistrering]] = relationship(
        cascade="all, delete-orphan", order_by="HandicapRegistrering.spoergsmaal", lazy="selectin"
    )


class HandicapRegistrering(Base):
    """The answer to one question of the catalogue for one HandicapBoligType."""

    __tablename__ = "hr_handicap_registrering"
    __table_args__ = (UniqueConstraint("type_id", "spoergsmaal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_handicap_bolig_type.id", ondelete="CASCADE"))
    spoergsmaal: Mapped[str] = mapped_column(String(20))
    numerisk: Mapped[int | None] = mapped_column(Integer)
    tekst: Mapped[str | None] = mapped_column(Text)
    svar: Mapped[str | None] = mapped_column(String(20))
    ikke_relevant: Mapped[bool] = mapped_column(Boolean, default=False)


# --- Expenses and leases (the methods come with part 2; Bolig's rules 2014, 2015 and 2023 read them) ----


class _DatedRecord:
    """Columns of the non-bitemporal records of a dwelling: the identification, the edition, the period (start
    and inclusive end date), the reported fields and the four DatoTid elements the server maintains (§2.4)."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    ekstern_reference: Mapped[str | None] = mapped_column(String(256), unique=True)
    kladde: Mapped[bool] = mapped_column(Boolean, default=True)
    start_dato: Mapped[date] = mapped_column(Date)
    slut_dato: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    oprettet: Mapped[datetime] = mapped_column(UTCDateTime())
    aendret: Mapped[datetime] = mapped_column(UTCDateTime())
    opdateret: Mapped[datetime] = mapped_column(UTCDateTime())
    ophoert: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def bolig_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("hr_bolig.id"), index=True)


class Boligudgift(_DatedRecord, Base):
    """A housing expense of a dwelling (Boligudgift, §4.5)."""

    __tablename__ = "hr_boligudgift"

    typekode: Mapped[int] = mapped_column(Integer)


class Lejekontrakt(_DatedRecord, Base):
    """A lease of a dwelling (Lejekontrakt, §4.6)."""

    __tablename__ = "hr_lejekontrakt"


# --- Attachments and unit events ---------------------------------------------------------------------------


class Bilag(Base):
    """An image or document attached to a department, a building section, a dwelling or an allocation agreement
    (exactly one of the four), numbered within its parent (§4.9)."""

    __tablename__ = "hr_bilag"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    afdeling_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hr_afdeling.id"), index=True)
    byggeafsnit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hr_byggeafsnit.id"), index=True)
    bolig_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hr_bolig.id"), index=True)
    anvisningsaftale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hr_anvisningsaftale.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    typekode: Mapped[int] = mapped_column(Integer)
    navn: Mapped[str] = mapped_column(String(256))
    mimetype: Mapped[str] = mapped_column(String(256))
    beskrivelse: Mapped[str | None] = mapped_column(Text)
    indhold: Mapped[bytes] = mapped_column(LargeBinary())
    oprettet: Mapped[datetime] = mapped_column(UTCDateTime())
    aendret: Mapped[datetime] = mapped_column(UTCDateTime())


class ByggeafsnitEjendom(Base):
    """A property number (ejendomsnummer) registered for a building section in Stamdata (EnhedFlytByggeafsnit)."""

    __tablename__ = "hr_byggeafsnit_ejendom"

    byggeafsnit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_byggeafsnit.id"), primary_key=True)
    ejendomsnummer: Mapped[str] = mapped_column(String(20), primary_key=True)


class EnhedHaendelse(Base):
    """An event of the unit feed (EnhedHaendelser): numbered in order, per organisation."""

    __tablename__ = "hr_enhed_haendelse"

    nummer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    boligorganisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_boligorganisation.id"), index=True)
    typekode: Mapped[int] = mapped_column(Integer)
    enhed: Mapped[uuid.UUID] = mapped_column(Uuid())
    til_enhed: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    tidspunkt: Mapped[datetime] = mapped_column(UTCDateTime())


# --- Users -------------------------------------------------------------------------------------------------


class SoapUser(Base):
    """A web-service user (WS-Security UsernameToken); sees and changes only the organisations it administers."""

    __tablename__ = "hr_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    organisations: Mapped[list[Boligorganisation]] = relationship(
        secondary="hr_user_organisation", order_by=Boligorganisation.nummer, lazy="selectin"
    )


class UserOrganisation(Base):
    """That a user administers an organisation."""

    __tablename__ = "hr_user_organisation"

    user_id: Mapped[int] = mapped_column(ForeignKey("hr_user.id", ondelete="CASCADE"), primary_key=True)
    boligorganisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hr_boligorganisation.id"), primary_key=True)
