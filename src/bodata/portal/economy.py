"""The customer's economy in the session view (portal.md §2.4): balances and notices with ledger and payments.

``SessionEkonomi`` carries two balances and the notices (``SessionAvisering``), each with how it was sent, its
ledger entries (one per rented object and period, with lines and consumption specifications) and its payments.
Our rule for the balances (A-20): ``Hyressaldo`` is the sum of ``Restbelopp`` of the customer's rent notices
(``Avi``), ``Fakturasaldo`` that of the other invoices (``Faktura``). Everything is loaded in a fixed number of
statements, whatever the number of notices: one per table, never one per notice.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import TypeVar

from sqlalchemy import RowMapping, and_, bindparam, func, select
from sqlalchemy.orm import Session

from bodata.portal.models import Invoice, InvoiceDistribution, LedgerEntry, LedgerRow, Node, Payment
from bodata.portal.shapes import Json, address, amount, day, moment

T = TypeVar("T")

RENT_NOTICE = "Avi"
INVOICE = "Faktura"
"""``Invoice.typ_referensnamn`` of a rent notice and of another invoice."""

OBJECT_TYPE_LABELS = {"Bostad": "Bostad", "Tvattstuga": "Tvättstuga"}
"""SessionTillgängligtObjekt.Typ codes and their display form (``Typbeteckning``, §2.7)."""


def object_type_label(node: Node) -> str:
    """The display form of a node's object type (``Tvättstuga``), or its node class for other objects."""
    if node.object_type is None:
        return node.node_class.beteckning
    return OBJECT_TYPE_LABELS.get(node.object_type, node.object_type)


def rental_object_json(node: Node | None) -> Json | None:
    """A ``Hyresobjekt`` (A-5b, invented): ``{Nummer, Typbeteckning, Adress}`` of the object a ledger entry is for."""
    if node is None:
        return None
    return {"Nummer": node.nummer, "Typbeteckning": object_type_label(node), "Adress": address(node)}


def months_before(today: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the last day of the month when that day does not exist);
    ``date.min`` beyond the calendar."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    if year < date.min.year:
        return date.min
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


_invoice = Invoice.__table__
_distribution = InvoiceDistribution.__table__
_payment = Payment.__table__
_entry = LedgerEntry.__table__
_line = LedgerRow.__table__
_CHOSEN = and_(_invoice.c.customer_id == bindparam("customer_id"), _invoice.c.forfallodag >= bindparam("due_from"))
"""The notices shown: the customer's, due on or after ``due_from``."""

_BALANCES = (
    select(_invoice.c.typ_referensnamn, func.sum(_invoice.c.restbelopp))
    .where(_invoice.c.customer_id == bindparam("customer_id"))
    .group_by(_invoice.c.typ_referensnamn)
)
_NOTICES = select(_invoice).where(_CHOSEN).order_by(_invoice.c.forfallodag.desc(), _invoice.c.id.desc())
_DISTRIBUTIONS = (
    select(_distribution)
    .join(_invoice, _invoice.c.id == _distribution.c.invoice_id)
    .where(_CHOSEN)
    .order_by(_distribution.c.id)
)
_PAYMENTS = (
    select(_payment).join(_invoice, _invoice.c.id == _payment.c.invoice_id).where(_CHOSEN).order_by(_payment.c.id)
)
_ENTRIES = select(_entry).join(_invoice, _invoice.c.id == _entry.c.invoice_id).where(_CHOSEN).order_by(_entry.c.id)
_LINES = (
    select(_line)
    .join(_entry, _entry.c.id == _line.c.ledger_entry_id)
    .join(_invoice, _invoice.c.id == _entry.c.invoice_id)
    .where(_CHOSEN)
    .order_by(_line.c.id)
)
_NODES = select(Node).where(Node.id.in_(bindparam("node_ids", expanding=True)))
"""The statements of the economy, built once: a session view runs them on every call."""


def customer_balances(session: Session, *, customer_id: int) -> tuple[Decimal, Decimal]:
    """``(Hyressaldo, Fakturasaldo)``: what remains to pay on the customer's rent notices and other invoices."""
    rows = session.connection().execute(_BALANCES, {"customer_id": customer_id})
    totals = {kind: Decimal(total or 0) for kind, total in rows}
    return totals.get(RENT_NOTICE, Decimal(0)), totals.get(INVOICE, Decimal(0))


def economy_json(session: Session, *, customer_id: int, include_notices: bool, months: int, today: date) -> Json:
    """A ``SessionEkonomi``; ``Aviseringar`` only with ``include_notices`` (else null), limited to the last
    ``months`` months of due dates when ``months`` > 0 (A-6)."""
    rent_balance, invoice_balance = customer_balances(session, customer_id=customer_id)
    notices = None
    if include_notices:
        due_from = months_before(today, months) if months > 0 else None
        notices = notices_json(session, customer_id=customer_id, due_from=due_from)
    return {"Hyressaldo": amount(rent_balance), "Fakturasaldo": amount(invoice_balance), "Aviseringar": notices}


def notices_json(session: Session, *, customer_id: int, due_from: date | None) -> list[Json]:
    """The customer's ``SessionAvisering`` list, newest due date first; ``due_from`` keeps those due on or after it.

    One statement per table, filtered by the customer, whatever the number of notices; the rows are read as plain
    rows, not ORM objects (ten years of notices are well over a thousand rows).
    """
    connection = session.connection()
    chosen = {"customer_id": customer_id, "due_from": due_from or date.min}
    notices = connection.execute(_NOTICES, chosen).mappings().all()
    distributions = by_parent(connection.execute(_DISTRIBUTIONS, chosen).mappings(), itemgetter("invoice_id"))
    payments = by_parent(connection.execute(_PAYMENTS, chosen).mappings(), itemgetter("invoice_id"))
    entries = by_parent(connection.execute(_ENTRIES, chosen).mappings(), itemgetter("invoice_id"))
    lines = by_parent(connection.execute(_LINES, chosen).mappings(), itemgetter("ledger_entry_id"))
    node_ids = {entry["node_id"] for rows in entries.values() for entry in rows if entry["node_id"] is not None}
    nodes = {node.id: node for node in session.scalars(_NODES, {"node_ids": list(node_ids)})} if node_ids else {}
    return [
        {
            "Avinummer": notice["avinummer"],
            "Typ": {
                "AviseringId": notice["id"],
                "Referensnamn": notice["typ_referensnamn"],
                "Beteckning": notice["typ_beteckning"],
            },
            "Betalningsreferens": notice["betalningsreferens"],
            "MottagareNummer": notice["mottagare_nummer"],
            "BetalningsförmedlareSystemnamn": notice["formedlare_systemnamn"],
            "BetalningsförmedlareBeteckning": notice["formedlare_beteckning"],
            "Förfallodag": day(notice["forfallodag"]),
            "Nettobelopp": amount(notice["nettobelopp"]),
            "Momsbelopp": amount(notice["momsbelopp"]),
            "Bruttobelopp": amount(notice["bruttobelopp"]),
            "InbetaltBelopp": amount(notice["inbetalt_belopp"]),
            "Restbelopp": amount(notice["restbelopp"]),
            "BetalningFördeladBelopp": amount(notice["fordelat_belopp"]),
            "AttBetala": amount(notice["att_betala"]),
            "DistribueradTill": [
                {"Typ": sent["typ"], "Adress": sent["adress"], "Distribuerad": moment(sent["distribuerad"])}
                for sent in distributions[notice["id"]]
            ],
            "Reskontror": [
                _ledger_entry_json(entry, lines[entry["id"]], nodes.get(entry["node_id"]))
                for entry in entries[notice["id"]]
            ],
            "Betalningar": [
                {
                    "Betalväg": payment["betalvag"],
                    "Belopp": amount(payment["belopp"]),
                    "Betalningsdag": day(payment["betalningsdag"]),
                    "Bokföringsdag": day(payment["bokforingsdag"]),
                }
                for payment in payments[notice["id"]]
            ],
        }
        for notice in notices
    ]


def by_parent(rows: Iterable[T], parent_id: Callable[[T], int]) -> dict[int, list[T]]:
    """Rows (or objects) by their parent's id, in their order."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[parent_id(row)].append(row)
    return grouped


def _ledger_entry_json(entry: RowMapping, lines: list[RowMapping], node: Node | None) -> Json:
    return {
        "Period": entry["period"],
        "Förfallodag": day(entry["forfallodag"]),
        "Nettobelopp": amount(entry["nettobelopp"]),
        "Momsbelopp": amount(entry["momsbelopp"]),
        "Bruttobelopp": amount(entry["bruttobelopp"]),
        "SkickadTillInkasso": day(entry["skickad_till_inkasso"]),
        "Hyresobjekt": rental_object_json(node),
        "Rader": [
            {
                "Aviseringstext": line["aviseringstext"],
                "Nettobelopp": amount(line["nettobelopp"]),
                "Momsbelopp": amount(line["momsbelopp"]),
                "Bruttobelopp": amount(line["bruttobelopp"]),
                "Specifikation": _specification_json(line) if line["has_specification"] else None,
            }
            for line in lines
        ],
    }


def _specification_json(row: RowMapping) -> Json:
    return {
        "AvserFom": day(row["spec_avser_fom"]),
        "AvserTom": day(row["spec_avser_tom"]),
        "KällaBeteckning": row["spec_kalla_beteckning"],
        "KällaIdentitet": row["spec_kalla_identitet"],
        "VärdeFom": amount(row["spec_varde_fom"]),
        "VärdeTom": amount(row["spec_varde_tom"]),
        "Mängd": amount(row["spec_mangd"]),
        "Mängdenhet": row["spec_mangdenhet"],
        "Apris": amount(row["spec_apris"]),
        "DebiteringsfriTom": day(row["spec_debiteringsfri_tom"]),
        "DebiteringsfrittNettobelopp": amount(row["spec_debiteringsfritt_netto"]),
        "DebiteringsfrittMomsbelopp": amount(row["spec_debiteringsfritt_moms"]),
        "DebiteringsfrittTotalbelopp": amount(row["spec_debiteringsfritt_total"]),
    }
