"""Bankgiro Inbetalningar: reading BgMax files and allocating their payments to notices.

A BgMax file (Bankgirot's "Bankgiro Inbetalningar, teknisk manual", layout BGMAX version 01) is ISO 8859-1 text in
records of 80 characters, each starting with its transaction code (TK):

======  ==================================================================================================
TK 01   start: layout name ``BGMAX`` (3–22), version (23–24), written (25–44, YYYYMMDDHHMMSSμμμμμμ), T/P (45)
TK 05   opening of a deposit: payee bankgiro (3–12), plusgiro (13–22), currency (23–25)
TK 20   payment: payer's bankgiro (3–12), reference (13–37), amount in öre (38–55), reference code (56),
        channel (57), BGC serial number (58–69), image mark (70)
TK 21   deduction: as TK 20, plus the deduction code (71)
TK 22   extra reference (23: a negative one): as TK 20, for the payment above
TK 25   information text (3–52); TK 26 name (3–37, 38–72); TK 27 address (3–37), postcode (38–46);
        TK 28 town (3–37), country (38–72), country code (73–74); TK 29 organisation number (3–14)
TK 15   deposit: payee's bank account (3–37), payment day (38–45), deposit serial (46–50),
        deposit amount in öre (51–68), currency (69–71), number of payments (72–79), deposit type (80)
TK 70   end: payment records (3–10), deduction records (11–18), extra reference records (19–26),
        deposit records (27–34)
======  ==================================================================================================

``parse`` checks every record and every count and sum before anything is written: a malformed file is refused
with a ``BgMaxError`` naming its line. ``import_file`` then records the file (its SHA-256: the same file again
changes nothing; a payment is also known by its BGC serial number and day, so one delivered twice in two files is
taken once), matches each payment's OCR reference to a notice and allocates it: to that notice first, then to the
customer's other open notices oldest due first; what is left stays on the named notice as an overpayment (a
negative Restbelopp). Payments without a known reference, and deductions, wait in the queue for staff
(``allocate_queued``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from bodata.portal.amounts import allocated, balance
from bodata.portal.models import BankFile, BankPayment, Company, Invoice, Payment

RECORD_LENGTH = 80
LAYOUT, VERSION = "BGMAX", "01"
CHANNEL = "Bankgiro Inbetalningar"
"""The Betalväg of a payment read from a BgMax file."""
MATCHED, UNMATCHED, ALLOCATED = "matched", "unmatched", "allocated"
MAX_AMOUNT = Decimal(10) ** 12
"""Amounts are stored as Numeric(14, 2)."""
_AFTER_PAYMENT = {"22", "23", "25", "26", "27", "28", "29"}
_CHUNK = 5000
_PAYMENT = Payment.__table__
_BANK_PAYMENT = BankPayment.__table__
_INVOICE = Invoice.__table__
_SETTLE = (
    update(_INVOICE)
    .where(_INVOICE.c.id == bindparam("notice_id"))
    .values(
        inbetalt_belopp=bindparam("inbetalt_belopp"),
        restbelopp=bindparam("restbelopp"),
        att_betala=bindparam("att_betala"),
        fordelat_belopp=bindparam("fordelat_belopp"),
    )
)
"""Core statements, run as executemany: a file of 10,000 payments is three statements' worth of rows."""


class BgMaxError(ValueError):
    """A file that is not a well-formed BgMax file; ``line`` is the 1-based line at fault (0: the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"Rad {line}: {message}" if line else message)
        self.line = line


@dataclass
class BgPayment:
    """A payment (TK 20) or deduction (TK 21, a negative amount) with the records that follow it."""

    line: int
    payer_bankgiro: str
    reference: str
    amount: Decimal
    reference_code: str
    serial: str
    deduction: bool
    extra_references: list[str] = field(default_factory=list)
    information: list[str] = field(default_factory=list)
    payer_name: str = ""
    payment_day: date | None = None


@dataclass
class BgDeposit:
    """A deposit section (TK 05 … TK 15) to the payee's bankgiro."""

    bankgiro: str
    currency: str
    payments: list[BgPayment] = field(default_factory=list)
    payment_day: date | None = None
    amount: Decimal = Decimal(0)


@dataclass
class BgMaxFile:
    """A parsed file."""

    written_at: str
    test: bool
    deposits: list[BgDeposit]

    @property
    def payments(self) -> list[BgPayment]:
        return [payment for deposit in self.deposits for payment in deposit.payments]


def _number(record: str, first: int, last: int, line: int, what: str) -> int:
    text = record[first - 1 : last]
    if not text.isdigit():
        raise BgMaxError(line, f"{what} (position {first}–{last}) ska vara siffror, inte {text.strip()!r}.")
    return int(text)


def _day(record: str, first: int, line: int, what: str) -> date:
    text = record[first - 1 : first + 7]
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise BgMaxError(line, f"{what} (position {first}–{first + 7}) är inte ett datum: {text!r}.") from None


def _records(data: bytes) -> list[tuple[int, str]]:
    text = data.decode("latin-1")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records = []
    for number, raw in enumerate(lines, start=1):
        record = raw.rstrip("\r")
        if len(record) > RECORD_LENGTH:
            raise BgMaxError(number, f"posten har {len(record)} tecken; en BgMax-post har {RECORD_LENGTH}.")
        if len(record) < 2:
            raise BgMaxError(number, "posten saknar transaktionskod.")
        records.append((number, record.ljust(RECORD_LENGTH)))
    if not records:
        raise BgMaxError(0, "Filen är tom.")
    return records


def parse(data: bytes) -> BgMaxFile:
    """Read and check a whole BgMax file; raises ``BgMaxError`` naming the first line at fault."""
    records = _records(data)
    number, start = records[0]
    if start[:2] != "01" or start[2:22].rstrip() != LAYOUT:
        raise BgMaxError(number, "filen börjar inte med en startpost (TK 01) för BGMAX.")
    if start[22:24] != VERSION:
        raise BgMaxError(number, f"BgMax version {start[22:24]!r} stöds inte (version {VERSION}).")
    if start[44] not in "TP":
        raise BgMaxError(number, f"testmarkeringen ska vara T eller P, inte {start[44]!r}.")
    parsed = BgMaxFile(written_at=start[24:44].strip(), test=start[44] == "T", deposits=[])
    counts = {"20": 0, "21": 0, "22": 0, "15": 0}
    deposit: BgDeposit | None = None
    payment: BgPayment | None = None
    for number, record in records[1:]:
        code = record[:2]
        if code == "70":
            _check_end(number, record, counts, deposit)
            if number != records[-1][0]:
                raise BgMaxError(records[-1][0], "poster efter slutposten (TK 70).")
            return parsed
        if code == "05":
            if deposit is not None:
                raise BgMaxError(number, "en ny öppningspost (TK 05) innan insättningsposten (TK 15).")
            bankgiro = str(_number(record, 3, 12, number, "mottagarbankgironummer"))
            deposit = BgDeposit(bankgiro=bankgiro, currency=record[22:25])
            payment = None
        elif deposit is None:
            raise BgMaxError(number, f"transaktionskod {code!r} utanför en insättning (efter TK 05).")
        elif code in ("20", "21"):
            payment = _payment(record, number, deduction=code == "21")
            deposit.payments.append(payment)
            counts[code] += 1
        elif code in _AFTER_PAYMENT:
            if payment is None:
                raise BgMaxError(number, f"TK {code} utan en betalningspost (TK 20/21) före.")
            _detail(payment, code, record, number)
            counts["22"] += code in ("22", "23")
        elif code == "15":
            _close(deposit, record, number)
            parsed.deposits.append(deposit)
            counts["15"] += 1
            deposit, payment = None, None
        else:
            raise BgMaxError(number, f"okänd transaktionskod {code!r}.")
    raise BgMaxError(records[-1][0], "filen slutar utan slutpost (TK 70).")


def _amount(record: str, first: int, last: int, number: int, what: str) -> Decimal:
    """An amount in öre, as kronor; at most what the ledger holds (12 digits of kronor)."""
    amount = Decimal(_number(record, first, last, number, what)) / 100
    if amount >= MAX_AMOUNT:
        raise BgMaxError(number, f"{what} {amount} är större än bodata kan bokföra.")
    return amount


def _payment(record: str, number: int, *, deduction: bool) -> BgPayment:
    amount = _amount(record, 38, 55, number, "betalningsbelopp")
    _number(record, 58, 69, number, "BGC-löpnummer")
    return BgPayment(
        line=number,
        payer_bankgiro=str(_number(record, 3, 12, number, "avsändarbankgironummer")),
        reference=record[12:37].strip(),
        amount=-amount if deduction else amount,
        reference_code=record[55],
        serial=record[57:69],
        deduction=deduction,
    )


def _detail(payment: BgPayment, code: str, record: str, number: int) -> None:
    if code in ("22", "23"):
        _number(record, 38, 55, number, "betalningsbelopp")
        payment.extra_references.append(record[12:37].strip())
    elif code == "25":
        payment.information.append(record[2:52].strip())
    elif code == "26":
        payment.payer_name = " ".join(part for part in (record[2:37].strip(), record[37:72].strip()) if part)


def _close(deposit: BgDeposit, record: str, number: int) -> None:
    deposit.payment_day = _day(record, 38, number, "betalningsdag")
    deposit.amount = _amount(record, 51, 68, number, "insättningsbelopp")
    announced = _number(record, 72, 79, number, "antal betalningar")
    if announced != len(deposit.payments):
        raise BgMaxError(number, f"insättningen anger {announced} betalningar men har {len(deposit.payments)}.")
    summed = sum((payment.amount for payment in deposit.payments), Decimal(0))
    if summed != deposit.amount:
        raise BgMaxError(number, f"insättningsbeloppet {deposit.amount} är inte betalningarnas summa {summed}.")
    for payment in deposit.payments:
        payment.payment_day = deposit.payment_day


def _check_end(number: int, record: str, counts: dict[str, int], deposit: BgDeposit | None) -> None:
    if deposit is not None:
        raise BgMaxError(number, "slutposten (TK 70) kommer innan insättningsposten (TK 15).")
    for (first, last), key, what in (
        ((3, 10), "20", "betalningsposter"),
        ((11, 18), "21", "avdragsposter"),
        ((19, 26), "22", "extra referensnummerposter"),
        ((27, 34), "15", "insättningsposter"),
    ):
        announced = _number(record, first, last, number, f"antal {what}")
        if announced != counts[key]:
            raise BgMaxError(number, f"slutposten anger {announced} {what} men filen har {counts[key]}.")


# --- Import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What an import did: a file seen before changes nothing (``already_imported``)."""

    file_id: int
    already_imported: bool
    payments: int
    matched: int
    unmatched: int
    duplicates: int
    total: Decimal


@dataclass
class _Open:
    """A notice as allocation sees it."""

    id: int
    customer_id: int
    forfallodag: date
    brutto: Decimal
    paid: Decimal

    @property
    def rest(self) -> Decimal:
        return self.brutto - self.paid


def _by_reference(session: Session, references: set[str]) -> dict[str, _Open]:
    found: dict[str, _Open] = {}
    ordered = sorted(references)
    columns = (Invoice.id, Invoice.customer_id, Invoice.forfallodag, Invoice.bruttobelopp, Invoice.inbetalt_belopp)
    for start in range(0, len(ordered), _CHUNK):
        rows = session.execute(
            select(Invoice.betalningsreferens, *columns).where(
                Invoice.betalningsreferens.in_(ordered[start : start + _CHUNK])
            )
        )
        for reference, *values in rows:
            found.setdefault(reference, _Open(*values))
    return found


def _open_notices(session: Session, customer_ids: set[int], known: dict[int, _Open]) -> dict[int, list[_Open]]:
    """Each customer's notices with something left to pay, oldest due first (the same objects as ``known``)."""
    by_customer: dict[int, list[_Open]] = defaultdict(list)
    ids = sorted(customer_ids)
    columns = (Invoice.id, Invoice.customer_id, Invoice.forfallodag, Invoice.bruttobelopp, Invoice.inbetalt_belopp)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(*columns)
            .where(Invoice.customer_id.in_(ids[start : start + _CHUNK]), Invoice.restbelopp > 0)
            .order_by(Invoice.forfallodag, Invoice.id)
        )
        for values in rows:
            notice = known.setdefault(values[0], _Open(*values))
            by_customer[notice.customer_id].append(notice)
    return by_customer


@dataclass
class _Allocator:
    """Allocations computed in memory, written in bulk."""

    payments: list[dict] = field(default_factory=list)
    touched: dict[int, _Open] = field(default_factory=dict)

    def allocate(self, amount: Decimal, named: list[_Open], others: list[_Open], *, day: date, bank_id: int) -> None:
        """To the named notices first, then the customer's other open notices oldest first; the rest stays on the
        first named notice (an overpayment)."""
        seen, order = set(), []
        for notice in [*named, *others]:
            if notice.id not in seen:
                seen.add(notice.id)
                order.append(notice)
        remaining = amount
        for notice in order:
            if remaining <= 0:
                break
            part = min(remaining, notice.rest) if notice.rest > 0 else Decimal(0)
            if part > 0:
                self._pay(notice, part, day=day, bank_id=bank_id)
                remaining -= part
        if remaining > 0:
            self._pay(named[0], remaining, day=day, bank_id=bank_id)

    def _pay(self, notice: _Open, part: Decimal, *, day: date, bank_id: int) -> None:
        notice.paid += part
        self.touched[notice.id] = notice
        self.payments.append(
            {
                "invoice_id": notice.id,
                "betalvag": CHANNEL,
                "belopp": part,
                "betalningsdag": day,
                "bokforingsdag": day,
                "bank_payment_id": bank_id,
            }
        )

    def write(self, session: Session) -> None:
        if self.payments:
            session.execute(insert(_PAYMENT), self.payments)
        changes = []
        for notice in self.touched.values():
            rest, due = balance(notice.brutto, notice.paid)
            changes.append(
                {
                    "notice_id": notice.id,
                    "inbetalt_belopp": notice.paid,
                    "restbelopp": rest,
                    "att_betala": due,
                    "fordelat_belopp": allocated(notice.brutto, notice.paid),
                }
            )
        if changes:
            session.execute(_SETTLE, changes)


def _payee_bankgiro(session: Session) -> str | None:
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    return None if company is None else str(int(company.bankgiro.replace("-", "").replace(" ", "") or 0))


def import_file(session: Session, *, data: bytes, filename: str, now: datetime, imported_by: str) -> ImportReport:
    """Import a BgMax file: checked whole first, then recorded, matched and allocated in this one transaction."""
    digest = hashlib.sha256(data).hexdigest()
    seen = session.scalar(select(BankFile).where(BankFile.sha256 == digest))
    if seen is not None:
        return ImportReport(seen.id, True, seen.payments, 0, 0, 0, seen.total)
    parsed = parse(data)
    _check_serials(parsed.payments)
    if parsed.test:
        raise BgMaxError(1, "filen är en testfil (T i startposten) och läses inte in.")
    payee = _payee_bankgiro(session)
    for deposit in parsed.deposits:
        if payee is not None and deposit.bankgiro != payee:
            raise BgMaxError(0, f"Insättningen gäller bankgiro {deposit.bankgiro}, inte hyresvärdens {payee}.")
    payments = parsed.payments
    bank_file = BankFile(
        sha256=digest,
        filename=filename[:200],
        written_at=parsed.written_at,
        bankgiro=parsed.deposits[0].bankgiro if parsed.deposits else "",
        payments=len(payments),
        total=sum((payment.amount for payment in payments), Decimal(0)),
        imported_at=now,
        imported_by=imported_by,
    )
    session.add(bank_file)
    session.flush()
    known_serials = _known_serials(session, payments)
    fresh = [p for p in payments if (p.serial, p.payment_day) not in known_serials]
    references = {ref for p in fresh for ref in (p.reference, *p.extra_references) if ref}  # notices' are valid OCR
    notices = _by_reference(session, references)
    known = {notice.id: notice for notice in notices.values()}
    open_by_customer = _open_notices(session, _overflowing(fresh, notices), known)
    rows = []
    for payment in fresh:
        named = [notices[ref] for ref in (payment.reference, *payment.extra_references) if ref in notices]
        matched = bool(named) and not payment.deduction and payment.amount > 0
        rows.append(
            {
                "bank_file_id": bank_file.id,
                "bgc_serial": payment.serial,
                "betalningsdag": payment.payment_day,
                "reference": payment.reference[:25],
                "amount": payment.amount,
                "payer_bankgiro": payment.payer_bankgiro,
                "payer_name": payment.payer_name[:200],
                "information": " ".join(payment.information)[:500],
                "status": MATCHED if matched else UNMATCHED,
                "customer_id": named[0].customer_id if named else None,
            }
        )
    if rows:  # plain executemany (no RETURNING per row), then the ids in one statement
        session.execute(insert(_BANK_PAYMENT), rows)
    id_of = {
        (serial, day): bank_id
        for serial, day, bank_id in session.execute(
            select(BankPayment.bgc_serial, BankPayment.betalningsdag, BankPayment.id).where(
                BankPayment.bank_file_id == bank_file.id
            )
        )
    }
    ids = [id_of[row["bgc_serial"], row["betalningsdag"]] for row in rows]
    allocator = _Allocator()
    matched_count = 0
    for payment, row, bank_id in zip(fresh, rows, ids, strict=True):
        if row["status"] != MATCHED:
            continue
        named = [notices[ref] for ref in (payment.reference, *payment.extra_references) if ref in notices]
        allocator.allocate(
            payment.amount,
            named,
            open_by_customer.get(named[0].customer_id, []),
            day=payment.payment_day,
            bank_id=bank_id,
        )
        matched_count += 1
    allocator.write(session)
    return ImportReport(
        file_id=bank_file.id,
        already_imported=False,
        payments=len(payments),
        matched=matched_count,
        unmatched=len(fresh) - matched_count,
        duplicates=len(payments) - len(fresh),
        total=bank_file.total,
    )


def _check_serials(payments: list[BgPayment]) -> None:
    """A BGC serial number names one payment of a day: the same one twice in a file is a malformed file."""
    seen: dict[tuple[str, date | None], int] = {}
    for payment in payments:
        first = seen.setdefault((payment.serial, payment.payment_day), payment.line)
        if first != payment.line:
            raise BgMaxError(payment.line, f"BGC-löpnummer {payment.serial} finns redan på rad {first}.")


def _overflowing(payments: list[BgPayment], notices: dict[str, _Open]) -> set[int]:
    """The customers whose other open notices allocation may reach: a payment larger than what its named notices
    have left, or several payments naming the same notice. (A file of exact payments loads none of them.)"""
    customers: set[int] = set()
    named_by: dict[int, int] = defaultdict(int)
    for payment in payments:
        named = {
            notices[ref].id: notices[ref] for ref in (payment.reference, *payment.extra_references) if ref in notices
        }
        if not named or payment.deduction:
            continue
        for notice_id in named:
            named_by[notice_id] += 1
        if payment.amount > sum((notice.rest for notice in named.values()), Decimal(0)):
            customers.add(next(iter(named.values())).customer_id)
    by_id = {notice.id: notice for notice in notices.values()}
    customers.update(by_id[notice_id].customer_id for notice_id, count in named_by.items() if count > 1)
    return customers


def _known_serials(session: Session, payments: list[BgPayment]) -> set[tuple[str, date | None]]:
    serials = sorted({payment.serial for payment in payments})
    known: set[tuple[str, date | None]] = set()
    for start in range(0, len(serials), _CHUNK):
        known.update(
            session.execute(
                select(BankPayment.bgc_serial, BankPayment.betalningsdag).where(
                    BankPayment.bgc_serial.in_(serials[start : start + _CHUNK])
                )
            ).all()
        )
    return known


class QueueError(ValueError):
    """A queued payment that cannot be allocated as asked."""


def allocate_queued(session: Session, *, bank_payment_id: int, invoice_id: int, handled_by: str) -> BankPayment:
    """Allocate a payment from the queue to a notice (and on to the customer's other open notices, as on import)."""
    bank = session.get(BankPayment, bank_payment_id, with_for_update=True)
    if bank is None or bank.status != UNMATCHED:
        raise QueueError("Betalningen finns inte i kön (redan fördelad?).")
    if bank.amount <= 0:
        raise QueueError("Ett avdrag fördelas inte på en avisering; stäm av det med banken.")
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise QueueError(f"Aviseringen {invoice_id} finns inte.")
    named = _Open(invoice.id, invoice.customer_id, invoice.forfallodag, invoice.bruttobelopp, invoice.inbetalt_belopp)
    others = _open_notices(session, {invoice.customer_id}, {invoice.id: named})[invoice.customer_id]
    allocator = _Allocator()
    allocator.allocate(bank.amount, [named], others, day=bank.betalningsdag, bank_id=bank.id)
    allocator.write(session)
    bank.status, bank.customer_id, bank.handled_by = ALLOCATED, invoice.customer_id, handled_by
    session.flush()
    session.expire_all()
    return bank


def queue(session: Session, *, limit: int = 500) -> list[BankPayment]:
    """The payments waiting for staff, oldest first."""
    return list(
        session.scalars(
            select(BankPayment).where(BankPayment.status == UNMATCHED).order_by(BankPayment.id).limit(limit)
        )
    )


# --- Writing (demo data, tests, stand-in files) ----------------------------------------------------


@dataclass(frozen=True)
class FilePayment:
    """A payment to write into a BgMax file: OCR reference, amount in kronor, BGC serial number, payer's name."""

    reference: str
    amount: Decimal
    serial: int
    name: str = ""
    deduction: bool = False


def write_file(payments: list[FilePayment], *, bankgiro: str, day: date, test: bool = False) -> bytes:
    """A BgMax file of one deposit to ``bankgiro`` on ``day``, laid out record by record as ``parse`` reads it.

    Bankgirot writes these files; bodata writes them only for its demo data, tests and stand-in clients."""

    def record(text: str) -> str:
        if len(text) > RECORD_LENGTH:
            raise ValueError(f"a BgMax record has {RECORD_LENGTH} characters: {text!r}")
        return text.ljust(RECORD_LENGTH)

    def in_ore(amount: Decimal) -> str:
        return f"{int(abs(amount) * 100):018d}"

    digits = int(bankgiro.replace("-", "").replace(" ", ""))
    lines = [
        record(f"01{LAYOUT:<20}{VERSION}{day:%Y%m%d}120000000000{'T' if test else 'P'}"),
        record(f"05{digits:010d}{0:010d}SEK"),
    ]
    total = Decimal(0)
    for payment in payments:
        code = "21" if payment.deduction else "20"
        lines.append(
            record(f"{code}{9912346:010d}{payment.reference:<25}{in_ore(payment.amount)}21{payment.serial:012d}0")
        )
        if payment.name:
            lines.append(record(f"26{payment.name[:35]:<35}"))
        total += -payment.amount if payment.deduction else payment.amount
    lines.append(record(f"15{'':<35}{day:%Y%m%d}{1:05d}{int(total * 100):018d}SEK{len(payments):08d}K"))
    deductions = sum(payment.deduction for payment in payments)
    lines.append(record(f"70{len(payments) - deductions:08d}{deductions:08d}{0:08d}{1:08d}"))
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")
