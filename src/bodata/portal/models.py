"""Tables of bodata's property-management records behind the tenant portal (prefix ``pm_``).

What PM5 "Mina sidor" shows a tenant (portal.md) comes from these records, maintained through the back office
(``/portal/admin``): the object tree (nodes and node classes), customers with contact details, addresses and
market profile, contracts linking customers to objects, invoices with ledger entries and payments, cases with
rows, participants, history and media, maintenance, meters, documents, notifications and laundry slots.
Files (documents, case-row media, notification attachments) live in one table and are read only when asked
for. Secrets (login passwords, session keys, API keys, staff tokens, share keys, validation keys) are stored
hashed.

Node ids are shown to tenants with the prefix of their kind (``n245612`` a node, ``nk1234`` a node class).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bodata.core.db import Base, UTCDateTime

Money = Numeric(14, 2)
Quantity = Numeric(14, 3)


# --- Landlord -------------------------------------------------------------------------------------


class Company(Base):
    """The housing company (landlord) whose name, address and payment details the printed notices carry."""

    __tablename__ = "pm_company"

    id: Mapped[int] = mapped_column(primary_key=True)
    namn: Mapped[str] = mapped_column(String(200))
    organisationsnummer: Mapped[str] = mapped_column(String(11))
    gatuadress: Mapped[str] = mapped_column(String(200))
    postnummer: Mapped[str] = mapped_column(String(10))
    postort: Mapped[str] = mapped_column(String(100))
    telefon: Mapped[str] = mapped_column(String(50), default="")
    epost: Mapped[str] = mapped_column(String(200), default="")
    webbadress: Mapped[str] = mapped_column(String(200), default="")
    bankgiro: Mapped[str] = mapped_column(String(20))
    rent_run_day: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    reminder_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    reminder_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal(60), server_default="60")


class DataGeneration(Base):
    """One row: the generation of the records tenants see, moved on by every write (portal/freshness.py)."""

    __tablename__ = "pm_data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


# --- Object tree ----------------------------------------------------------------------------------


class NodeClass(Base):
    """A node class (NodKlass): what kind of object a node is, or a class of general case (AllmantArende).

    ``group_system_name`` groups classes (``Objekt``, ``Rum``, ``Komponent``, ``AllmantArende``) for E17;
    ``usage_system_name`` is the NodKlassAnvändningTyp (``ExternWebbArende``) E17 can filter on.
    """

    __tablename__ = "pm_node_class"
    __table_args__ = (UniqueConstraint("group_system_name", "system_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_system_name: Mapped[str] = mapped_column(String(100), index=True)
    system_name: Mapped[str] = mapped_column(String(100))
    beteckning: Mapped[str] = mapped_column(String(200))
    kod: Mapped[str] = mapped_column(String(20), default="")
    kortbeteckning: Mapped[str] = mapped_column(String(50), default="")
    usage_system_name: Mapped[str | None] = mapped_column(String(100))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    time_point_types: Mapped[list[TimePointType]] = relationship(secondary="pm_node_class_time_point", lazy="raise")


class TimePointType(Base):
    """A kind of time point a case asks for (ÄrendeTidpunktTyp, e.g. ``Intraffat`` / Inträffat)."""

    __tablename__ = "pm_time_point_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_name: Mapped[str] = mapped_column(String(100), unique=True)
    beteckning: Mapped[str] = mapped_column(String(200))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NodeClassTimePoint(Base):
    """Which time points a general-case class asks for (NodKlass.ÄrendeKlassTidpunktLista)."""

    __tablename__ = "pm_node_class_time_point"

    node_class_id: Mapped[int] = mapped_column(ForeignKey("pm_node_class.id", ondelete="CASCADE"), primary_key=True)
    time_point_type_id: Mapped[int] = mapped_column(
        ForeignKey("pm_time_point_type.id", ondelete="CASCADE"), primary_key=True
    )


class Node(Base):
    """An object in the property hierarchy: property, building, apartment, laundry room, room or component.

    ``object_type`` is the SessionTillgängligtObjekt.Typ of objects a customer can rent or use (``Bostad``,
    ``Tvattstuga``), ``usages`` the comma-separated AnvändningTyp names (``Felanmälan``). The address fields
    are set on properties, buildings and rentable objects; children inherit the nearest one.
    """

    __tablename__ = "pm_node"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node.id"), index=True)
    node_class_id: Mapped[int] = mapped_column(ForeignKey("pm_node_class.id"))
    visningstext: Mapped[str] = mapped_column(String(200))
    nummer: Mapped[str | None] = mapped_column(String(50), index=True)
    object_type: Mapped[str | None] = mapped_column(String(50))
    usages: Mapped[str] = mapped_column(String(200), default="")
    gatuadress1: Mapped[str | None] = mapped_column(String(200))
    gatuadress2: Mapped[str | None] = mapped_column(String(200))
    postnummer: Mapped[str | None] = mapped_column(String(10))
    postort: Mapped[str | None] = mapped_column(String(100))
    land: Mapped[str | None] = mapped_column(String(2))
    ordning: Mapped[int] = mapped_column(Integer, default=0)

    node_class: Mapped[NodeClass] = relationship(lazy="joined")


class FaultDescriptionType(Base):
    """A fault description (ÄrendeFelbeskrivningTyp: Droppar, Rinner, Läcker); without a class it applies to all."""

    __tablename__ = "pm_fault_description_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_class_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node_class.id"), index=True)
    beteckning: Mapped[str] = mapped_column(String(200))


class KeyHandlingType(Base):
    """How staff get in (ÄrendeNyckelhanteringTyp: Är hemma, Lämnas på kontoret)."""

    __tablename__ = "pm_key_handling_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    beteckning: Mapped[str] = mapped_column(String(200))


# --- Customers ------------------------------------------------------------------------------------


class Customer(Base):
    """A customer (kund): a tenant. ``personnummer`` is 12 digits when a Swedish one is registered."""

    __tablename__ = "pm_customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    kundnummer: Mapped[str] = mapped_column(String(30), unique=True)
    fornamn: Mapped[str] = mapped_column(String(100))
    efternamn: Mapped[str] = mapped_column(String(100))
    personnummer: Mapped[str | None] = mapped_column(String(12))
    fodelsedatum: Mapped[date | None] = mapped_column(Date)
    market_profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ContactDetail(Base):
    """One contact detail of a customer; ``kind`` is the PM5 type: E-postadress, Telefon hem or Mobilnummer."""

    __tablename__ = "pm_contact_detail"
    __table_args__ = (UniqueConstraint("customer_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(200))
    validated: Mapped[bool] = mapped_column(Boolean, default=False)
    validation_key_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    validation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """A message to a customer (portal/outbox.py): an e-mail (``epost``) sent over SMTP with retries, or a letter
    (``brev``) printed in a batch. ``kind`` says what it is (``validering``, ``avi``, ``paminnelse``, ``arende``);
    ``file_id`` is its PDF attachment; ``status`` goes ``pending`` → ``sent`` (or ``printed``), ``failed`` after
    the last retry."""

    __tablename__ = "pm_outbox_message"
    __table_args__ = (Index("ix_pm_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20), default="validering", server_default="validering")
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("pm_invoice.id", ondelete="SET NULL"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("pm_file.id"))
    attachment_name: Mapped[str | None] = mapped_column(String(200))


class CustomerAddress(Base):
    """A customer address: ``kind`` is ``kund.post``, ``kund.besok`` or ``tillfallig`` (a temporary address)."""

    __tablename__ = "pm_customer_address"
    __table_args__ = (Index("ix_pm_customer_address_customer", "customer_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    namn: Mapped[str | None] = mapped_column(String(200))
    attention: Mapped[str | None] = mapped_column(String(200))
    care_of: Mapped[str | None] = mapped_column(String(200))
    gatuadress1: Mapped[str | None] = mapped_column(String(200))
    gatuadress2: Mapped[str | None] = mapped_column(String(200))
    postnummer: Mapped[str | None] = mapped_column(String(10))
    postort: Mapped[str | None] = mapped_column(String(100))
    land: Mapped[str] = mapped_column(String(2), default="SE")
    fom: Mapped[date | None] = mapped_column(Date)
    tom: Mapped[date | None] = mapped_column(Date)


class Login(Base):
    """A customer's portal login (user name and Argon2 password hash); wrong passwords in a row lock it a while."""

    __tablename__ = "pm_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PortalSession(Base):
    """A logged-in portal session; only the SHA-256 digest of the Sessionsnyckel is stored."""

    __tablename__ = "pm_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """An API key an app sends on every call (the V1 introduction's API-nyckel); stored as a digest."""

    __tablename__ = "pm_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StaffToken(Base):
    """A back-office API token for staff and integrations; stored as a digest."""

    __tablename__ = "pm_staff_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- Contracts ------------------------------------------------------------------------------------


class Contract(Base):
    """A contract (avtal) letting an object (node) to a customer from ``fom`` to ``tom`` (inclusive, open if null)."""

    __tablename__ = "pm_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    avtalsnummer: Mapped[str] = mapped_column(String(50), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("pm_node.id"), index=True)
    fom: Mapped[date] = mapped_column(Date)
    tom: Mapped[date | None] = mapped_column(Date)
    monthly_rent: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    billing_period: Mapped[str] = mapped_column(String(10), default="manad", server_default="manad")
    vat: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reminder_fee: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    due_day: Mapped[int | None] = mapped_column(Integer)

    node: Mapped[Node] = relationship(lazy="raise")
    components: Mapped[list[RentComponent]] = relationship(lazy="raise", order_by="RentComponent.id")


class RentComponent(Base):
    """A part of a contract's rent (hyresdel: Grundhyra, Parkering, Förråd) per month, in force from ``fom`` to
    ``tom`` (inclusive, open when null): a rent change closes one and opens the next (portal/rent.py)."""

    __tablename__ = "pm_rent_component"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("pm_contract.id", ondelete="CASCADE"), index=True)
    aviseringstext: Mapped[str] = mapped_column(String(200))
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    fom: Mapped[date | None] = mapped_column(Date)
    tom: Mapped[date | None] = mapped_column(Date)


class RentRun(Base):
    """A committed rent run (hyresavisering) for a period ``YYYY-MM``: what it made, when and by whom."""

    __tablename__ = "pm_rent_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    trigger: Mapped[str] = mapped_column(String(20))
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notices: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class NumberSeries(Base):
    """The next number of a series (``avi``): taken under a row lock, so concurrent runs never share one."""

    __tablename__ = "pm_number_series"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer)


# --- Economy --------------------------------------------------------------------------------------


class Invoice(Base):
    """A notice (avisering): a rent notice (``Avi``) or an invoice (``Faktura``); ``id`` is its AviseringId.

    The amounts are stored as PM5 shows them (portal.md A-20); Brutto = Netto + Moms and Rest = Brutto − Inbetalt
    hold by construction in the back office. A rent run's notice has ``period_fom`` (one per contract and period:
    the unique key makes a second run create nothing); a reminder has ``reminder_of_id`` (one per notice).
    """

    __tablename__ = "pm_invoice"
    __table_args__ = (
        Index("ix_pm_invoice_customer_due", "customer_id", "forfallodag"),
        Index("ix_pm_invoice_betalningsreferens", "betalningsreferens"),
        UniqueConstraint("contract_id", "period_fom", name="uq_pm_invoice_contract_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("pm_contract.id"), index=True)
    avinummer: Mapped[str] = mapped_column(String(30), unique=True)
    typ_referensnamn: Mapped[str] = mapped_column(String(30))
    typ_beteckning: Mapped[str] = mapped_column(String(10))
    betalningsreferens: Mapped[str] = mapped_column(String(30))
    mottagare_nummer: Mapped[str] = mapped_column(String(30))
    formedlare_systemnamn: Mapped[str] = mapped_column(String(20), default="BG")
    formedlare_beteckning: Mapped[str] = mapped_column(String(50), default="Bankgiro")
    forfallodag: Mapped[date] = mapped_column(Date)
    nettobelopp: Mapped[Decimal] = mapped_column(Money)
    momsbelopp: Mapped[Decimal] = mapped_column(Money)
    bruttobelopp: Mapped[Decimal] = mapped_column(Money)
    inbetalt_belopp: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    restbelopp: Mapped[Decimal] = mapped_column(Money)
    fordelat_belopp: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    att_betala: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rent_run_id: Mapped[int | None] = mapped_column(ForeignKey("pm_rent_run.id"), index=True)
    period_fom: Mapped[date | None] = mapped_column(Date)
    reminder_of_id: Mapped[int | None] = mapped_column(ForeignKey("pm_invoice.id"), unique=True)

    distributions: Mapped[list[InvoiceDistribution]] = relationship(lazy="raise", order_by="InvoiceDistribution.id")
    ledger_entries: Mapped[list[LedgerEntry]] = relationship(lazy="raise", order_by="LedgerEntry.id")
    payments: Mapped[list[Payment]] = relationship(lazy="raise", order_by="Payment.id")


class InvoiceDistribution(Base):
    """How a notice was sent (SessionAviseringDistribution): ``brev.direkt`` to a postal address or ``epost``."""

    __tablename__ = "pm_invoice_distribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("pm_invoice.id", ondelete="CASCADE"), index=True)
    typ: Mapped[str] = mapped_column(String(30))
    adress: Mapped[str] = mapped_column(String(300))
    distribuerad: Mapped[datetime] = mapped_column(DateTime)


class LedgerEntry(Base):
    """A ledger entry (SessionReskontra) of a notice: one period for one rented object."""

    __tablename__ = "pm_ledger_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("pm_invoice.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node.id"))
    period: Mapped[str] = mapped_column(String(7))
    forfallodag: Mapped[date] = mapped_column(Date)
    nettobelopp: Mapped[Decimal] = mapped_column(Money)
    momsbelopp: Mapped[Decimal] = mapped_column(Money)
    bruttobelopp: Mapped[Decimal] = mapped_column(Money)
    skickad_till_inkasso: Mapped[date | None] = mapped_column(Date)

    node: Mapped[Node | None] = relationship(lazy="raise")
    rows: Mapped[list[LedgerRow]] = relationship(lazy="raise", order_by="LedgerRow.id")


class LedgerRow(Base):
    """A ledger line (SessionReskontraRad), with its consumption specification when it has one."""

    __tablename__ = "pm_ledger_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("pm_ledger_entry.id", ondelete="CASCADE"), index=True)
    aviseringstext: Mapped[str] = mapped_column(String(200))
    nettobelopp: Mapped[Decimal] = mapped_column(Money)
    momsbelopp: Mapped[Decimal] = mapped_column(Money)
    bruttobelopp: Mapped[Decimal] = mapped_column(Money)
    has_specification: Mapped[bool] = mapped_column(Boolean, default=False)
    spec_avser_fom: Mapped[date | None] = mapped_column(Date)
    spec_avser_tom: Mapped[date | None] = mapped_column(Date)
    spec_kalla_beteckning: Mapped[str | None] = mapped_column(String(100))
    spec_kalla_identitet: Mapped[str | None] = mapped_column(String(100))
    spec_varde_fom: Mapped[Decimal | None] = mapped_column(Quantity)
    spec_varde_tom: Mapped[Decimal | None] = mapped_column(Quantity)
    spec_mangd: Mapped[Decimal | None] = mapped_column(Quantity)
    spec_mangdenhet: Mapped[str | None] = mapped_column(String(20))
    spec_apris: Mapped[Decimal | None] = mapped_column(Quantity)
    spec_debiteringsfri_tom: Mapped[date | None] = mapped_column(Date)
    spec_debiteringsfritt_netto: Mapped[Decimal | None] = mapped_column(Money)
    spec_debiteringsfritt_moms: Mapped[Decimal | None] = mapped_column(Money)
    spec_debiteringsfritt_total: Mapped[Decimal | None] = mapped_column(Money)


class Payment(Base):
    """A payment towards a notice (SessionBetalning)."""

    __tablename__ = "pm_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("pm_invoice.id", ondelete="CASCADE"), index=True)
    betalvag: Mapped[str] = mapped_column(String(100))
    belopp: Mapped[Decimal] = mapped_column(Money)
    betalningsdag: Mapped[date] = mapped_column(Date)
    bokforingsdag: Mapped[date | None] = mapped_column(Date)
    bank_payment_id: Mapped[int | None] = mapped_column(ForeignKey("pm_bank_payment.id"), index=True)


class BankFile(Base):
    """An imported BgMax file (Bankgiro Inbetalningar); its SHA-256 makes a second import of it a no-op."""

    __tablename__ = "pm_bank_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[str] = mapped_column(String(20))
    bankgiro: Mapped[str] = mapped_column(String(10))
    payments: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Money)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(String(100))


class BankPayment(Base):
    """A payment (or a deduction, negative) from a BgMax file; ``status`` is ``matched`` when its OCR reference
    found a notice and it was allocated, ``unmatched`` while it waits in the queue for staff, ``allocated`` once
    staff allocated it. The BGC serial number and day identify it across files."""

    __tablename__ = "pm_bank_payment"
    __table_args__ = (UniqueConstraint("bgc_serial", "betalningsdag", name="uq_pm_bank_payment_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_file_id: Mapped[int] = mapped_column(ForeignKey("pm_bank_file.id"), index=True)
    bgc_serial: Mapped[str] = mapped_column(String(12))
    betalningsdag: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(25))
    amount: Mapped[Decimal] = mapped_column(Money)
    payer_bankgiro: Mapped[str] = mapped_column(String(10))
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    information: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    handled_by: Mapped[str | None] = mapped_column(String(100))


class ReferenceRate(Base):
    """Riksbanken's reference rate (referensränta) from ``fom``: late-payment interest is it + 8 % (räntelagen 6 §)."""

    __tablename__ = "pm_reference_rate"

    fom: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(6, 3))


# --- Staff web UI ---------------------------------------------------------------------------------


class StaffUser(Base):
    """A staff member of the web UI (``/portal/personal``); ``role`` is ``personal`` or ``lasbehorighet`` (reads
    only). The password is an Argon2 hash."""

    __tablename__ = "pm_staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffWebSession(Base):
    """A logged-in staff browser: the cookie's token as a digest, with the session's CSRF token."""

    __tablename__ = "pm_staff_web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("pm_staff_user.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[StaffUser] = relationship(lazy="joined")


# --- Files ----------------------------------------------------------------------------------------


class StoredFile(Base):
    """The bytes of a document, case-row image or notification attachment, read only when the file is fetched."""

    __tablename__ = "pm_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    extension: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FileType(Base):
    """A document type (EntitetFilTyp: Hyresavtal, Tvättstuga, Bruksanvisning …) with its sort order."""

    __tablename__ = "pm_file_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    beteckning: Mapped[str] = mapped_column(String(200))
    ordning: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """A customer document (SessionDokument) on a contract: a stored file, a web link, or both."""

    __tablename__ = "pm_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("pm_contract.id"))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node.id"))
    file_type_id: Mapped[int] = mapped_column(ForeignKey("pm_file_type.id"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("pm_file.id"))
    ordning: Mapped[int] = mapped_column(Integer, default=0)
    beteckning: Mapped[str] = mapped_column(String(200))
    webbadress: Mapped[str | None] = mapped_column(String(500))
    meddelande: Mapped[str | None] = mapped_column(Text)

    file_type: Mapped[FileType] = relationship(lazy="joined")
    node: Mapped[Node | None] = relationship(lazy="raise")


# --- Cases ----------------------------------------------------------------------------------------


class Actor(Base):
    """A person recorded as a case contact when the fault reporter gave other details (an Aktör)."""

    __tablename__ = "pm_actor"

    id: Mapped[int] = mapped_column(primary_key=True)
    visningsnamn: Mapped[str] = mapped_column(String(200))
    fornamn: Mapped[str | None] = mapped_column(String(100))
    efternamn: Mapped[str | None] = mapped_column(String(100))
    telefon: Mapped[str | None] = mapped_column(String(50))
    mobil: Mapped[str | None] = mapped_column(String(50))
    epost: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Case(Base):
    """A case (ärende): a fault report (``Order``), maintenance offer (``Underhåll``), inspection
    (``Besiktning``) or general case (``general``, created from an AllmantArende class).

    ``customer_id`` owns the case; an inspection also belongs to the incoming tenant (``incoming_customer_id``).
    ``node_id`` is the object the case concerns (Avser). The share key is stored as a digest.
    """

    __tablename__ = "pm_case"
    __table_args__ = (Index("ix_pm_case_customer", "customer_id", "borttagen"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[str] = mapped_column(String(30), unique=True)
    typ: Mapped[str] = mapped_column(String(50))
    typ_referensnamn: Mapped[str] = mapped_column(String(50))
    general: Mapped[bool] = mapped_column(Boolean, default=False)
    node_class_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node_class.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id"))
    incoming_customer_id: Mapped[int | None] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("pm_node.id"))
    kalla_systemnamn: Mapped[str] = mapped_column(String(20), default="MinaSidor")
    husdjur: Mapped[str | None] = mapped_column(String(500))
    contact_actor_id: Mapped[int | None] = mapped_column(ForeignKey("pm_actor.id"))
    processteg_referensnamn: Mapped[str | None] = mapped_column(String(50))
    processteg_beteckning: Mapped[str | None] = mapped_column(String(100))
    inkommen: Mapped[datetime] = mapped_column(DateTime)
    klar_senast: Mapped[datetime | None] = mapped_column(DateTime)
    avslutat: Mapped[datetime | None] = mapped_column(DateTime)
    planerad_start: Mapped[datetime | None] = mapped_column(DateTime)
    planerad_klar: Mapped[datetime | None] = mapped_column(DateTime)
    borttagen: Mapped[bool] = mapped_column(Boolean, default=False)
    erbjudande_svar_senast: Mapped[date | None] = mapped_column(Date)
    share_key_digest: Mapped[str | None] = mapped_column(String(64), unique=True)

    node: Mapped[Node | None] = relationship(lazy="raise")
    contact_actor: Mapped[Actor | None] = relationship(lazy="raise")
    participants: Mapped[list[CaseParticipant]] = relationship(lazy="raise", order_by="CaseParticipant.id")
    rows: Mapped[list[CaseRow]] = relationship(lazy="raise", order_by="CaseRow.id")


class CaseParticipant(Base):
    """A case officer (``handlaggare``) of a case, or of one of its rows when ``case_row_id`` is set."""

    __tablename__ = "pm_case_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("pm_case.id", ondelete="CASCADE"), index=True)
    case_row_id: Mapped[int | None] = mapped_column(ForeignKey("pm_case_row.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="handlaggare")
    visningsnamn: Mapped[str] = mapped_column(String(200))
    telefon: Mapped[str | None] = mapped_column(String(50))
    mobil: Mapped[str | None] = mapped_column(String(50))
    epost: Mapped[str | None] = mapped_column(String(200))


class CaseRow(Base):
    """A case row (ärenderad): one fault, offered measure or inspection remark on an object (``node_path``).

    What the tenant wrote (``beskrivning``, ``specifikation``, key handling, fault description) is stored though
    the read model has no field for it (portal.md A-35).
    """

    __tablename__ = "pm_case_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("pm_case.id", ondelete="CASCADE"), index=True)
    node_path: Mapped[str] = mapped_column(String(500))
    status_referensnamn: Mapped[str] = mapped_column(String(50), default="Pagaende")
    status_beteckning: Mapped[str] = mapped_column(String(100), default="Pågående")
    processteg_referensnamn: Mapped[str] = mapped_column(String(50), default="Handlaggare")
    processteg_beteckning: Mapped[str] = mapped_column(String(100), default="Hos handläggare")
    beskrivning: Mapped[str | None] = mapped_column(Text)
    specifikation: Mapped[str | None] = mapped_column(Text)
    key_handling_type_id: Mapped[int | None] = mapped_column(ForeignKey("pm_key_handling_type.id"))
    key_handling_note: Mapped[str | None] = mapped_column(String(500))
    fault_description_type_id: Mapped[int | None] = mapped_column(ForeignKey("pm_fault_description_type.id"))
    klassificering_id: Mapped[int | None] = mapped_column(Integer)
    klassificering_system_name: Mapped[str | None] = mapped_column(String(50))
    klassificering_beteckning: Mapped[str | None] = mapped_column(String(100))
    atgard_bestalld: Mapped[date | None] = mapped_column(Date)
    atgard_utford: Mapped[date | None] = mapped_column(Date)
    atgard_accepterad: Mapped[date | None] = mapped_column(Date)
    atgard_planerad: Mapped[datetime | None] = mapped_column(DateTime)
    atgard_skapad: Mapped[date | None] = mapped_column(Date)
    atgard_intervall: Mapped[int | None] = mapped_column(Integer)
    atgard_intervall_enhet: Mapped[str | None] = mapped_column(String(20))
    atgard_typ_beteckning: Mapped[str | None] = mapped_column(String(100))
    atgard_typ_kortbeteckning: Mapped[str | None] = mapped_column(String(50))
    pris_restvarde: Mapped[Decimal | None] = mapped_column(Money)
    pris_rabatt: Mapped[Decimal | None] = mapped_column(Money)
    inspection_remark: Mapped[str | None] = mapped_column(Text)
    charged_outgoing: Mapped[Decimal | None] = mapped_column(Money)

    history: Mapped[list[CaseRowHistory]] = relationship(lazy="raise", order_by="CaseRowHistory.tidpunkt")
    time_points: Mapped[list[CaseRowTimePoint]] = relationship(lazy="raise", order_by="CaseRowTimePoint.id")
    media: Mapped[list[CaseRowMedia]] = relationship(lazy="raise", order_by="CaseRowMedia.id")


class CaseRowHistory(Base):
    """A step in a row's history (ÄrendeHistorik: Hos handläggare, Hos leverantör …)."""

    __tablename__ = "pm_case_row_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_row_id: Mapped[int] = mapped_column(ForeignKey("pm_case_row.id", ondelete="CASCADE"), index=True)
    beteckning: Mapped[str] = mapped_column(String(200))
    tidpunkt: Mapped[datetime] = mapped_column(DateTime)
    anvandare: Mapped[str] = mapped_column(String(200))


class CaseRowTimePoint(Base):
    """A time point of a row (ÄrendeRadÄrendeTidpunkt: when the fault occurred …)."""

    __tablename__ = "pm_case_row_time_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_row_id: Mapped[int] = mapped_column(ForeignKey("pm_case_row.id", ondelete="CASCADE"), index=True)
    time_point_type_id: Mapped[int] = mapped_column(ForeignKey("pm_time_point_type.id"))
    varde: Mapped[datetime] = mapped_column(DateTime)

    time_point_type: Mapped[TimePointType] = relationship(lazy="joined")


class CaseRowMedia(Base):
    """An image on a case row (ÄrendeRadMedia), with the tenant's note; the bytes are a StoredFile."""

    __tablename__ = "pm_case_row_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_row_id: Mapped[int] = mapped_column(ForeignKey("pm_case_row.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("pm_file.id"))
    notering: Mapped[str | None] = mapped_column(String(1000))


# --- Maintenance and meters -----------------------------------------------------------------------


class MaintenanceItem(Base):
    """Planned maintenance on an object (SessionUnderhåll: Bytes, Badrum 1 / Handukstork)."""

    __tablename__ = "pm_maintenance_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("pm_node.id"), index=True)
    atgard: Mapped[str] = mapped_column(String(200))
    avser: Mapped[str] = mapped_column(String(200))
    planerat: Mapped[date | None] = mapped_column(Date)
    bestalld: Mapped[date | None] = mapped_column(Date)
    utford: Mapped[date | None] = mapped_column(Date)


class MeterInstallation(Base):
    """A metering installation on an object (SessionMätdataAnläggning: Vatten, 705-079-01 Vatten)."""

    __tablename__ = "pm_meter_installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("pm_node.id"), index=True)
    anvandning: Mapped[str] = mapped_column(String(100))
    beteckning: Mapped[str] = mapped_column(String(200))

    meters: Mapped[list[Meter]] = relationship(lazy="raise", order_by="Meter.id")


class Meter(Base):
    """A meter of an installation (SessionMätare: Varmvatten)."""

    __tablename__ = "pm_meter"

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("pm_meter_installation.id", ondelete="CASCADE"), index=True)
    anvandning: Mapped[str] = mapped_column(String(100))
    beteckning: Mapped[str] = mapped_column(String(200))
    enhet: Mapped[str] = mapped_column(String(20))

    readings: Mapped[list[MeterReading]] = relationship(lazy="raise", order_by="MeterReading.datum")


class MeterReading(Base):
    """One reading period of a meter (SessionMätdata)."""

    __tablename__ = "pm_meter_reading"
    __table_args__ = (UniqueConstraint("meter_id", "datum"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("pm_meter.id", ondelete="CASCADE"))
    datum: Mapped[date] = mapped_column(Date)
    tom: Mapped[date] = mapped_column(Date)
    forbrukning: Mapped[Decimal] = mapped_column(Quantity)
    matarstallning: Mapped[Decimal] = mapped_column(Quantity)
    kostnad: Mapped[Decimal] = mapped_column(Money)
    debiterad: Mapped[bool] = mapped_column(Boolean, default=False)
    avlast_tid: Mapped[datetime] = mapped_column(DateTime)
    pris: Mapped[Decimal | None] = mapped_column(Money)
    apris: Mapped[Decimal | None] = mapped_column(Quantity)
    debiteras_tidigast: Mapped[date | None] = mapped_column(Date)


# --- Notifications --------------------------------------------------------------------------------


class Notification(Base):
    """An outgoing message to a customer (MeddelandeUtgående), sent on one or more channels."""

    __tablename__ = "pm_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    channels: Mapped[list[NotificationChannel]] = relationship(lazy="raise", order_by="NotificationChannel.id")
    attachments: Mapped[list[NotificationAttachment]] = relationship(lazy="raise", order_by="NotificationAttachment.id")


class NotificationChannel(Base):
    """A message as sent on one channel (NotifieringMeddelandeKanal with its NotifieringKanalTyp)."""

    __tablename__ = "pm_notification_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("pm_notification.id", ondelete="CASCADE"), index=True)
    kanal_system_name: Mapped[str] = mapped_column(String(50))
    kanal_beteckning: Mapped[str] = mapped_column(String(100))
    kanal_hjalptext: Mapped[str | None] = mapped_column(String(500))
    notifierad: Mapped[bool] = mapped_column(Boolean, default=False)
    klar_utc: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overgiven_utc: Mapped[datetime | None] = mapped_column(UTCDateTime())
    amne: Mapped[str] = mapped_column(String(300))
    brodtext: Mapped[str] = mapped_column(Text)


class NotificationAttachment(Base):
    """An attachment of a message (NotifieringBilaga); ``externt_id`` is the id E2 fetches it by."""

    __tablename__ = "pm_notification_attachment"
    __table_args__ = (UniqueConstraint("notification_id", "externt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("pm_notification.id", ondelete="CASCADE"))
    externt_id: Mapped[int] = mapped_column(Integer)
    externt_namn: Mapped[str] = mapped_column(String(200))
    file_id: Mapped[int] = mapped_column(ForeignKey("pm_file.id"))


# --- Laundry --------------------------------------------------------------------------------------


class LaundrySlot(Base):
    """A bookable laundry time in a laundry-room node; ``customer_id`` is set while it is booked."""

    __tablename__ = "pm_laundry_slot"
    __table_args__ = (UniqueConstraint("node_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("pm_node.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("pm_customer.id"), index=True)
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
