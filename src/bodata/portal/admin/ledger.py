"""The amounts of a notice and its ledger: entries, lines and consumption specifications (SessionReskontra,
SessionReskontraRad, SessionReskontraRadSpecifikation).

The arithmetic serves the back office and the demo alike: Brutto = Netto + Moms on every line, entry and notice;
the balance (Restbelopp, AttBetala, BetalningFördeladBelopp) is ``portal/amounts.py``'s.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy.orm import Session

from bodata.portal.admin.crud import (
    Input,
    Output,
    check_order,
    output_schema,
    unprocessable,
)
from bodata.portal.admin.schemas import Amount, Id, Quantity, text
from bodata.portal.models import Invoice, LedgerEntry, LedgerRow


@dataclass(frozen=True)
class Amounts:
    """Net and VAT amounts; gross is their sum."""

    netto: Decimal
    moms: Decimal

    @property
    def brutto(self) -> Decimal:
        """Bruttobelopp = Nettobelopp + Momsbelopp."""
        return self.netto + self.moms


def total(parts: Sequence[Amounts], *, netto: Decimal | None, moms: Decimal | None, where: str) -> Amounts:
    """The sum of ``parts``, which given amounts must equal; without parts, the given amounts (netto required)."""
    if not parts:
        if netto is None:
            raise unprocessable(f"{where}: nettobelopp is required when there are no rows to add up.")
        return Amounts(netto, moms or Decimal(0))
    summed = Amounts(sum((part.netto for part in parts), Decimal(0)), sum((part.moms for part in parts), Decimal(0)))
    for name, given, computed in (("nettobelopp", netto, summed.netto), ("momsbelopp", moms, summed.moms)):
        if given is not None and given != computed:
            raise unprocessable(f"{where}: {name} {given} is not the sum of its rows ({computed}).")
    return summed


class SpecificationIn(Input):
    """The consumption specification of a ledger line (SessionReskontraRadSpecifikation), e.g. metered hot water."""

    avser_fom: date | None = None
    avser_tom: date | None = None
    kalla_beteckning: text(100) | None = Field(None, description="The metering source, e.g. Kök.")
    kalla_identitet: text(100) | None = Field(None, description="The meter, e.g. 432105.")
    varde_fom: Quantity | None = None
    varde_tom: Quantity | None = None
    mangd: Quantity | None = Field(None, description="Computed as varde_tom − varde_fom when left out.")
    mangdenhet: text(20) | None = None
    apris: Quantity | None = None
    debiteringsfri_tom: date | None = None
    debiteringsfritt_netto: Amount | None = None
    debiteringsfritt_moms: Amount | None = None

    @model_validator(mode="after")
    def _values(self) -> "SpecificationIn":
        check_order(self.avser_fom, self.avser_tom, "avser_tom")
        if self.mangd is None and self.varde_fom is not None and self.varde_tom is not None:
            self.mangd = self.varde_tom - self.varde_fom
        return self


class LedgerRowIn(Input):
    """A ledger line (SessionReskontraRad); Bruttobelopp is computed."""

    aviseringstext: text(200, required=True)
    nettobelopp: Amount
    momsbelopp: Amount = Decimal(0)
    specification: SpecificationIn | None = None


class LedgerEntryIn(Input):
    """A ledger entry (SessionReskontra): one period for one rented object; its amounts are its rows' sums."""

    node_id: Id | None = Field(None, description="The rented object (Hyresobjekt).")
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = Field(description="YYYY-MM")
    forfallodag: date | None = Field(None, description="The notice's due date when left out.")
    nettobelopp: Amount | None = Field(None, description="Required without rows; must equal the rows' sum with.")
    momsbelopp: Amount | None = None
    skickad_till_inkasso: date | None = None
    rows: list[LedgerRowIn] = Field(default_factory=list)


def add_ledger_entry(session: Session, *, invoice: Invoice, entry: LedgerEntryIn, amounts: Amounts) -> None:
    """A notice's ledger entry with its lines, and their consumption specifications, with the computed amounts."""
    ledger_entry = LedgerEntry(
        invoice_id=invoice.id,
        node_id=entry.node_id,
        period=entry.period,
        forfallodag=entry.forfallodag or invoice.forfallodag,
        nettobelopp=amounts.netto,
        momsbelopp=amounts.moms,
        bruttobelopp=amounts.brutto,
        skickad_till_inkasso=entry.skickad_till_inkasso,
    )
    session.add(ledger_entry)
    session.flush()
    for row in entry.rows:
        specification = row.specification
        spec_columns = {} if specification is None else {f"spec_{k}": v for k, v in specification.model_dump().items()}
        if specification is not None and specification.debiteringsfritt_netto is not None:
            free = Amounts(specification.debiteringsfritt_netto, specification.debiteringsfritt_moms or Decimal(0))
            spec_columns["spec_debiteringsfritt_total"] = free.brutto
        session.add(
            LedgerRow(
                ledger_entry_id=ledger_entry.id,
                aviseringstext=row.aviseringstext,
                nettobelopp=row.nettobelopp,
                momsbelopp=row.momsbelopp,
                bruttobelopp=row.nettobelopp + row.momsbelopp,
                has_specification=specification is not None,
                **spec_columns,
            )
        )


def specification_of(row: LedgerRow) -> dict[str, Any] | None:
    """A ledger line's consumption specification as the fields of ``SpecificationIn`` (with the computed total)."""
    if not row.has_specification:
        return None
    fields = {name: getattr(row, f"spec_{name}") for name in SpecificationIn.model_fields}
    return {**fields, "debiteringsfritt_total": row.spec_debiteringsfritt_total}


SpecificationOut = output_schema(
    SpecificationIn,
    "Specification",
    "A consumption specification.",
    with_id=False,
    debiteringsfritt_total=(Amount | None, None),
)


class LedgerRowOut(Output):
    """A ledger line with its consumption specification (null when it has none)."""

    id: int
    aviseringstext: str
    nettobelopp: Amount
    momsbelopp: Amount
    bruttobelopp: Amount
    specification: SpecificationOut | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any) -> Any:
        if isinstance(value, LedgerRow):
            fields = {name: getattr(value, name) for name in ("id", "aviseringstext", "nettobelopp", "momsbelopp")}
            return {**fields, "bruttobelopp": value.bruttobelopp, "specification": specification_of(value)}
        return value


LedgerEntryOut = output_schema(
    LedgerEntryIn,
    "LedgerEntry",
    "A ledger entry with its lines.",
    forfallodag=(date, ...),
    nettobelopp=(Amount, ...),
    momsbelopp=(Amount, ...),
    bruttobelopp=(Amount, ...),
    rows=(list[LedgerRowOut], ...),
)
