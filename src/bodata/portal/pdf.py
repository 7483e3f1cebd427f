"""The portal's printed documents as PDF: rent notices and invoices (E3) and inspection protocols (E7).

Laid out with reportlab's platypus on A4. The standard Helvetica covers Windows-1252 (å, ä, ö, é, –, €); letters
outside it are folded to their base letter (Ł → L, ő → o) instead of printing a missing-glyph box. The output is
deterministic: reportlab's invariant mode, and a creation date taken from the data (when the notice was created,
the inspection's date), so the same input always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import TopPadder
from stdnum import luhn

from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.models import Case, CaseRow, Company, Customer, Invoice, LedgerEntry, LedgerRow, Node
from bodata.portal.ocr import format_bankgiro
from bodata.portal.shapes import node_ref

PDF_MEDIA_TYPE = "application/pdf"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
FOOTER_SPACE = 8 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
LINE_GREY = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.92, 0.92, 0.92)

DOCUMENT_TITLES = {"Avi": "Hyresavi", "Faktura": "Faktura"}
"""The printed title of a notice per ``Invoice.typ_referensnamn``; other types print their name."""

REMINDER_TITLE = "Påminnelse"
"""The printed title of a reminder (an invoice with ``reminder_of_id``: its fee and late-payment interest)."""

INVOICE = "Faktura"
"""The notice type that is an invoice: it has a Fakturanummer and Fakturadatum, a rent notice (avi) an Avinummer."""

DISTRIBUTION_KINDS = {"brev.direkt": "brev", "epost": "e-post"}


def _style(name: str, *, size: float = 9, bold: bool = False, **options: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=BOLD_FONT if bold else FONT, fontSize=size, leading=size * 1.25, **options)


BODY = _style("body")
BODY_BOLD = _style("body-bold", bold=True)
SMALL = _style("small", size=7.5, textColor=colors.Color(0.3, 0.3, 0.3))
SPECIFICATION = _style("specification", size=7.5, leftIndent=4 * mm, textColor=colors.Color(0.3, 0.3, 0.3))
COMPANY_NAME = _style("company", size=13, bold=True, spaceAfter=2)
TITLE = _style("title", size=18, bold=True, spaceAfter=4)
SUBTITLE = _style("subtitle", size=10, bold=True, spaceAfter=4)
HEADING = _style("heading", size=10.5, bold=True, spaceBefore=8, spaceAfter=4)


# --- Text and numbers -----------------------------------------------------------------------------

_FOLDED_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "−": "-"})


@functools.cache
def _printable_char(char: str) -> str:
    """One character as Helvetica can show it: itself if in Windows-1252, else its base letter, else ``?``."""
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
        return base if base != char and _printable(base) == base else "?"
    return char


def _printable(text: str) -> str:
    """Text in the characters the standard PDF fonts have (Windows-1252); other letters folded (Ł → L, ő → o)."""
    text = text.translate(_FOLDED_LETTERS)
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return "".join(_printable_char(char) for char in text)
    return text


def _para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped for reportlab's markup; line breaks kept)."""
    return Paragraph(escape(_printable(text)).replace("\n", "<br/>"), style)


def _labelled(label: str, value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """``label`` followed by ``value`` in bold on one line (``Bankgiro 5050-1055``)."""
    return Paragraph(f"{escape(_printable(label))} <b>{escape(_printable(value))}</b>", style)


def format_amount(value: Decimal | int, decimals: int = 2) -> str:
    """A number the Swedish way: space between thousands, decimal comma (``7 900,00``, ``-1 250,50``)."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return f"-{text}" if rounded < 0 else text


def _price(value: Decimal) -> str:
    """A unit price: two decimals, or three when the price has them (``48,00``, ``0,853``)."""
    exponent = value.normalize().as_tuple().exponent
    return format_amount(value, 3 if isinstance(exponent, int) and exponent < -2 else 2)


def _postal_town(postcode: str | None, town: str | None) -> str:
    """``722 12 Västerås``: a five-digit Swedish postcode is printed with its space."""
    code = (postcode or "").replace(" ", "")
    if len(code) == 5 and code.isdigit():
        code = f"{code[:3]} {code[3:]}"
    return " ".join(part for part in (code, town or "") if part)


def _full_name(customer: Customer) -> str:
    return f"{customer.fornamn} {customer.efternamn}".strip()


def _pdf_date(moment: datetime) -> str:
    """A PDF date string; naive times are Swedish local time, aware ones keep their offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SWEDISH_TIME)
    offset = moment.strftime("%z")
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


# --- Building blocks ------------------------------------------------------------------------------


def _table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = False,
    right_columns: Iterable[int] = (),
    commands: Iterable[tuple[Any, ...]] = (),
) -> Table:
    """A table in the documents' house style: small padding, top-aligned cells, numbers right-aligned.

    With ``header`` the first row is bold, underlined and repeated on every page the table runs over.
    """
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    style += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in right_columns]
    if header:
        style += [("FONT", (0, 0), (-1, 0), BOLD_FONT, 9), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
    style += commands
    return Table(rows, colWidths=list(widths), repeatRows=1 if header else 0, style=TableStyle(style), hAlign="LEFT")


def _facts(pairs: Sequence[tuple[str, str | None]], widths: Sequence[float] = (30 * mm, 55 * mm)) -> Table:
    """Label–value lines (``Avinummer 9213210``); pairs without a value are left out."""
    rows = [[_para(label, SMALL), _para(value, BODY_BOLD)] for label, value in pairs if value]
    return _table(rows, widths, commands=[("LEFTPADDING", (0, 0), (0, -1), 0)])


def _company_block(company: Company) -> list[Flowable]:
    """The landlord's name, address and contact details."""
    lines = [
        company.gatuadress,
        _postal_town(company.postnummer, company.postort),
        f"Org.nr {company.organisationsnummer}",
        f"Telefon {company.telefon}" if company.telefon else "",
        f"E-post {company.epost}" if company.epost else "",
        company.webbadress,
    ]
    return [_para(company.namn, COMPANY_NAME), _para("\n".join(line for line in lines if line))]


def _letterhead(
    company: Company,
    *,
    title: str,
    subtitle: str | None,
    facts: Sequence[tuple[str, str | None]],
    recipient: Sequence[str] = (),
) -> Table:
    """The top of the first page: the landlord on the left; title, facts and the recipient's address on the right."""
    right: list[Flowable] = [_para(title, TITLE)]
    if subtitle:
        right.append(_para(subtitle, SUBTITLE))
    right.append(_facts(facts))
    if recipient:
        right += [Spacer(1, 6 * mm), _para(recipient[0], BODY_BOLD), _para("\n".join(recipient[1:]))]
    half = CONTENT_WIDTH / 2
    return _table([[_company_block(company), right]], [half, half], commands=[("LEFTPADDING", (0, 0), (0, 0), 0)])


def _signature_lines(signers: Sequence[tuple[str, str]]) -> Flowable:
    """Lines to sign on, side by side, each with place and date, the role and the name under it."""
    width = CONTENT_WIDTH / len(signers)
    rows = [
        ["" for _ in signers],
        [_para("Ort och datum", SMALL) for _ in signers],
        ["" for _ in signers],
        [_para(role, SMALL) for role, _ in signers],
        [_para(name, BODY) for _, name in signers],
    ]
    commands = [
        ("TOPPADDING", (0, 0), (-1, 0), 9 * mm),
        ("TOPPADDING", (0, 2), (-1, 2), 10 * mm),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, 2), (-1, 2), 0.5, colors.black),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
    ]
    return KeepTogether(_table(rows, [width] * len(signers), commands=commands))


class _PagedCanvas(Canvas):
    """A canvas that, once the page count is known, writes the footer (``… · Sida 1 av 2``) on every page.

    It also stamps the document with a creation date from the data instead of the clock.
    """

    def __init__(self, *args: Any, footer: str, created: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_: created)
        self._footer = _printable(footer)
        self._page_states: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Keep the finished page until the page count is known."""
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw every page's footer, then write the file."""
        for number, state in enumerate(self._page_states, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(LINE_GREY)
            self.drawString(MARGIN, MARGIN, self._footer)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"Sida {number} av {len(self._page_states)}")
            super().showPage()
        super().save()


def _render(story: list[Flowable], *, title: str, author: str, created: datetime) -> bytes:
    """The story as an A4 PDF with a footer naming the document and the page."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=_printable(title),
        subject=_printable(title),
        author=_printable(author),
        creator="bodata",
        invariant=1,
    )
    canvas_maker = functools.partial(_PagedCanvas, footer=f"{author} · {title}", created=_pdf_date(created))
    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


# --- Rent notices and invoices --------------------------------------------------------------------


def _object_label(node: Node | None) -> str | None:
    """``Hyresobjekt 142-043-01, Storgatan 16``: the object's number (or name) and street address."""
    if node is None:
        return None
    parts = [node.nummer or node.visningstext, node.gatuadress1]
    return "Hyresobjekt " + ", ".join(part for part in parts if part)


def _specification(row: LedgerRow) -> str:
    """A metered row's specification: source, period, readings, quantity × unit price, charge-free part."""
    parts = []
    if row.spec_kalla_beteckning or row.spec_kalla_identitet:
        meter = f"mätare {row.spec_kalla_identitet}" if row.spec_kalla_identitet else ""
        parts.append(" ".join(part for part in (row.spec_kalla_beteckning, meter) if part))
    if row.spec_avser_fom and row.spec_avser_tom:
        parts.append(f"{row.spec_avser_fom.isoformat()} – {row.spec_avser_tom.isoformat()}")
    if row.spec_varde_fom is not None and row.spec_varde_tom is not None:
        parts.append(f"mätarställning {format_amount(row.spec_varde_fom, 3)} – {format_amount(row.spec_varde_tom, 3)}")
    if row.spec_mangd is not None:
        quantity = " ".join(part for part in (format_amount(row.spec_mangd, 3), row.spec_mangdenhet) if part)
        price = f" × {_price(row.spec_apris)} kr" if row.spec_apris is not None else ""
        parts.append(f"förbrukning {quantity}{price}")
    if row.spec_debiteringsfri_tom and row.spec_debiteringsfritt_total is not None:
        parts.append(
            f"debiteringsfritt t.o.m. {row.spec_debiteringsfri_tom.isoformat()}: "
            f"{format_amount(row.spec_debiteringsfritt_total)} kr"
        )
    return ", ".join(parts)


def _amounts(item: LedgerEntry | LedgerRow) -> list[str]:
    return [format_amount(item.nettobelopp), format_amount(item.momsbelopp), format_amount(item.bruttobelopp)]


def _ledger_table(entries: Sequence[LedgerEntry], objects: dict[int, Node]) -> Table:
    """The notice's rows grouped per ledger entry (period and object), with specifications and subtotals."""
    rows: list[list[Any]] = [["Specifikation", "Netto", "Moms", "Brutto"]]
    commands: list[tuple[Any, ...]] = []

    def spanning(flowable: Flowable, *extra: tuple[Any, ...]) -> None:
        index = len(rows)
        rows.append([flowable, "", "", ""])
        commands.append(("SPAN", (0, index), (-1, index)))
        commands.extend((name, (0, index), (-1, index), *values) for name, *values in extra)

    for entry in entries:
        heading = [f"Period {entry.period}", _object_label(objects.get(entry.node_id))]
        if entry.skickad_till_inkasso:
            heading.append(f"skickad till inkasso {entry.skickad_till_inkasso.isoformat()}")
        spanning(_para(" · ".join(part for part in heading if part), BODY_BOLD), ("BACKGROUND", SHADE))
        for row in entry.rows:
            rows.append([_para(row.aviseringstext), *_amounts(row)])
            if row.has_specification and (text := _specification(row)):
                spanning(_para(text, SPECIFICATION))
        index = len(rows)
        rows.append([f"Summa period {entry.period}", *_amounts(entry)])
        commands += [
            ("FONT", (0, index), (-1, index), BOLD_FONT, 9),
            ("LINEABOVE", (1, index), (-1, index), 0.5, LINE_GREY),
            ("BOTTOMPADDING", (0, index), (-1, index), 5),
        ]
    amount_width = 28 * mm
    return _table(
        rows,
        [CONTENT_WIDTH - 3 * amount_width, amount_width, amount_width, amount_width],
        header=True,
        right_columns=(1, 2, 3),
        commands=commands,
    )


def _totals(invoice: Invoice) -> Table:
    """The notice's amounts, ending with what is left to pay."""
    lines = [
        ("Nettobelopp", invoice.nettobelopp),
        ("Momsbelopp", invoice.momsbelopp),
        ("Bruttobelopp", invoice.bruttobelopp),
        ("Inbetalt belopp", invoice.inbetalt_belopp),
        ("Restbelopp", invoice.restbelopp),
    ]
    if invoice.fordelat_belopp:
        lines.append(("Fördelat belopp", invoice.fordelat_belopp))
    lines.append(("Att betala", invoice.att_betala))
    rows = [[label, format_amount(value)] for label, value in lines]
    last = len(rows) - 1
    commands = [("FONT", (0, last), (-1, last), BOLD_FONT, 10), ("LINEABOVE", (0, last), (-1, last), 0.8, colors.black)]
    return _table(rows, [35 * mm, 30 * mm], right_columns=(1,), commands=commands)


@dataclass(frozen=True)
class _Payee:
    """Where and how to pay: the intermediary (Bankgiro), the account as printed, the reference and amount."""

    intermediary: str
    account: str
    reference: str
    amount: Decimal
    due: date


def _payee(invoice: Invoice, company: Company) -> _Payee:
    account = invoice.mottagare_nummer or company.bankgiro
    if invoice.formedlare_systemnamn == "BG":
        with contextlib.suppress(ValueError):  # not a bankgiro number: printed as stored
            account = format_bankgiro(account)
    return _Payee(
        invoice.formedlare_beteckning, account, invoice.betalningsreferens, invoice.att_betala, invoice.forfallodag
    )


def _payment_block(payee: _Payee) -> Table:
    """How to pay, boxed: ``Bankgiro 123-4567``, ``OCR-nummer …``, ``Att betala 7 900,00 kr``, ``Förfallodag …``."""
    lines = [
        (payee.intermediary, payee.account),
        ("OCR-nummer", payee.reference),
        ("Att betala", f"{format_amount(payee.amount)} kr"),
        ("Förfallodag", payee.due.isoformat()),
    ]
    rows = [[_para("Betala till", SMALL)], *([_labelled(label, value)] for label, value in lines)]
    commands = [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 3)]
    return _table(rows, [80 * mm], commands=commands)


def _payments_and_distribution(invoice: Invoice) -> list[Flowable]:
    """The payments registered on the notice and how the notice was sent."""
    story: list[Flowable] = []
    if invoice.payments:
        rows = [["Betalningsdag", "Betalväg", "Belopp"]]
        rows += [
            [payment.betalningsdag.isoformat(), _para(payment.betalvag), format_amount(payment.belopp)]
            for payment in invoice.payments
        ]
        story += [
            _para("Registrerade inbetalningar", HEADING),
            _table(rows, [30 * mm, CONTENT_WIDTH - 60 * mm, 30 * mm], header=True, right_columns=(2,)),
        ]
    for sent in invoice.distributions:
        kind = DISTRIBUTION_KINDS.get(sent.typ, sent.typ)
        story.append(_para(f"Skickad som {kind} {sent.distribuerad:%Y-%m-%d %H:%M} till {sent.adress}", SMALL))
    return story


SLIP_HEIGHT = 62 * mm
PAYER_LINES = 4
"""Address lines the slip's Inbetalare box holds."""


def slip_lines(address: Sequence[str]) -> list[str]:
    """An address block in the slip's ``PAYER_LINES``: the name and the last lines (postcode and town, country)
    stay whole; the lines between (c/o, Att, street lines) are joined with ", " until the block fits."""
    lines = list(address)
    while len(lines) > PAYER_LINES:
        lines[1:3] = [f"{lines[1]}, {lines[2]}"]
    return lines


class _PaymentSlip(Flowable):
    """A simplified inbetalningsavi (Bankgirot's payment slip) to tear off: payee, account, OCR, amount, payer.

    The bottom line follows the layout of the slip's machine-readable OCR line (reference, kronor, öre and their
    Luhn digit, account, document type 41) but is not positioned for machine reading.
    """

    def __init__(self, payee: _Payee, payee_name: str, payer: Sequence[str]) -> None:
        super().__init__()
        self.payee = payee
        self.payee_name = payee_name
        self.payer = payer

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return CONTENT_WIDTH, SLIP_HEIGHT

    def _box(self, x: float, top: float, width: float, height: float, label: str, lines: Sequence[str]) -> None:
        """A field of the slip: a frame with a small label and its value lines."""
        canvas = self.canv
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        canvas.rect(x, top - height, width, height)
        canvas.setFont(FONT, 6.5)
        canvas.drawString(x + 2, top - 8, _printable(label))
        canvas.setFont(BOLD_FONT, 10)
        for number, line in enumerate(lines):
            canvas.drawString(x + 3, top - 20 - number * 11, _printable(line))

    def draw(self) -> None:
        canvas = self.canv
        payee = self.payee
        top = SLIP_HEIGHT
        canvas.setDash(3, 3)
        canvas.setStrokeColor(LINE_GREY)
        canvas.line(-MARGIN / 2, top, CONTENT_WIDTH + MARGIN / 2, top)
        canvas.setDash()
        canvas.setFont(BOLD_FONT, 11)
        canvas.drawString(0, top - 16, "INBETALNING/GIRERING AVI")
        canvas.drawRightString(CONTENT_WIDTH, top - 16, _printable(payee.intermediary))

        kronor, ore = format_amount(payee.amount).split(",")
        row = top - 24
        half = CONTENT_WIDTH / 2
        self._box(0, row, half, 26, "Betalningsmottagare", [self.payee_name])
        self._box(half, row, half, 26, f"Till {payee.intermediary.lower()}nummer", [payee.account])
        row -= 26
        third = CONTENT_WIDTH / 3
        self._box(0, row, third, 26, "OCR-nummer", [payee.reference])
        self._box(third, row, third * 0.7, 26, "Kronor", [kronor])
        self._box(third * 1.7, row, third * 0.3, 26, "Öre", [ore])
        self._box(2 * third, row, third, 26, "Förfallodag", [payee.due.isoformat()])
        row -= 26
        self._box(0, row, CONTENT_WIDTH, 60, "Inbetalare", slip_lines(self.payer))

        amount_digits = f"{kronor.replace(' ', '').lstrip('-')}{ore}"
        account_digits = "".join(char for char in payee.account if char.isdigit())
        canvas.setFont("Courier-Bold", 10)
        canvas.drawString(
            0,
            6,
            f"#  {payee.reference} #  {amount_digits[:-2]} {amount_digits[-2:]} {luhn.calc_check_digit(amount_digits)}"
            f" >  {account_digits}#41#",
        )


def file_name(invoice: Invoice) -> str:
    """The PDF's file name: ``faktura-9213210.pdf`` for an invoice, ``avi-9213210.pdf`` for a rent notice."""
    kind = "faktura" if invoice.typ_referensnamn == INVOICE else "avi"
    return f"{kind}-{invoice.avinummer}.pdf"


def render_invoice(
    *,
    company: Company,
    customer: Customer,
    invoice: Invoice,
    objects: dict[int, Node],
    recipient_lines: Sequence[str] | None = None,
) -> bytes:
    """A notice as PDF: a rent notice (``Avi`` → "Hyresavi") or an invoice (``Faktura``).

    ``invoice`` must have ``ledger_entries`` (with ``rows``), ``payments`` and ``distributions`` loaded;
    ``objects`` maps the entries' ``node_id`` to their nodes; ``recipient_lines`` is the address block as on the
    envelope, name first (without it, just the customer's name). A notice with something to pay ends with a
    payment slip at the bottom of its last page.
    """
    title = (
        REMINDER_TITLE
        if invoice.reminder_of_id
        else DOCUMENT_TITLES.get(invoice.typ_referensnamn, invoice.typ_referensnamn)
    )
    recipient = list(recipient_lines or [_full_name(customer)])
    periods = list(dict.fromkeys(entry.period for entry in invoice.ledger_entries))
    created = invoice.created_at if invoice.created_at.tzinfo else invoice.created_at.replace(tzinfo=UTC)
    kind = "Faktura" if invoice.typ_referensnamn == INVOICE else "Avi"
    facts = [
        (f"{kind}nummer", invoice.avinummer),
        ("Kundnummer", customer.kundnummer),
        (f"{kind}datum", created.astimezone(SWEDISH_TIME).date().isoformat()),
        ("Förfallodag", invoice.forfallodag.isoformat()),
        ("Period" if len(periods) == 1 else "Perioder", ", ".join(periods)),
    ]
    payee = _payee(invoice, company)
    story: list[Flowable] = [
        _letterhead(company, title=title, subtitle=None, facts=facts, recipient=recipient),
        Spacer(1, 8 * mm),
        _ledger_table(invoice.ledger_entries, objects),
        Spacer(1, 5 * mm),
        KeepTogether(
            _table(
                [[_payment_block(payee), _totals(invoice)]],
                [CONTENT_WIDTH - 65 * mm, 65 * mm],
                commands=[("LEFTPADDING", (0, 0), (0, 0), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")],
            )
        ),
        *_payments_and_distribution(invoice),
    ]
    if invoice.att_betala > 0:
        story.append(TopPadder(_PaymentSlip(payee, company.namn, recipient)))
    return _render(story, title=f"{title} {invoice.avinummer}", author=company.namn, created=created)


# --- Inspection protocols -------------------------------------------------------------------------


def _room_path(row: CaseRow, case: Case, node_names: dict[int, str]) -> str:
    """Where a remark is, below the inspected object: ``Kök / Kyl/Frys`` from ``n12-n34-n56``.

    Node ids without a name print as their reference (``n56``); parts that are not nodes are skipped.
    """
    ids = [int(part[1:]) for part in row.node_path.split("-") if part[:1] == "n" and part[1:].isdigit()]
    if case.node_id in ids:
        ids = ids[ids.index(case.node_id) + 1 :]
    path = " / ".join(node_names.get(node_id, node_ref(node_id)) for node_id in ids)
    return path or node_names.get(case.node_id or 0, "")


def _remarks(case: Case, rows: Sequence[CaseRow], node_names: dict[int, str], *, charges: bool) -> Flowable:
    """The inspection remarks; with ``charges`` also what the outgoing tenant is charged, and the total."""
    if not rows:
        return _para("Inga anmärkningar.")
    header = ["Rum/komponent", "Anmärkning", "Åtgärd"]
    charge_width = 35 * mm
    widths = [45 * mm, CONTENT_WIDTH - 85 * mm - (charge_width if charges else 0), 40 * mm]
    table_rows: list[list[Any]] = [
        [
            _para(_room_path(row, case, node_names)),
            _para(row.inspection_remark or ""),
            _para(row.atgard_typ_beteckning or ""),
        ]
        for row in rows
    ]
    if not charges:
        return _table([header, *table_rows], widths, header=True)
    for table_row, row in zip(table_rows, rows, strict=True):
        table_row.append("" if row.charged_outgoing is None else format_amount(row.charged_outgoing))
    total = sum((row.charged_outgoing or Decimal(0) for row in rows), Decimal(0))
    total_row = ["Summa att debitera avflyttande hyresgäst", "", "", format_amount(total)]
    last = len(table_rows) + 1
    commands = [
        ("SPAN", (0, last), (2, last)),
        ("FONT", (0, last), (-1, last), BOLD_FONT, 9),
        ("LINEABOVE", (0, last), (-1, last), 0.8, colors.black),
    ]
    return _table(
        [[*header, "Debiteras"], *table_rows, total_row],
        [*widths, charge_width],
        header=True,
        right_columns=(3,),
        commands=commands,
    )


def _tenant(customer: Customer | None) -> str | None:
    return None if customer is None else f"{_full_name(customer)} (kundnummer {customer.kundnummer})"


def render_inspection_protocol(
    *,
    company: Company,
    case: Case,
    rows: list[CaseRow],
    node_names: dict[int, str],
    outgoing: Customer | None,
    incoming: Customer | None,
    for_incoming_tenant: bool,
    inspector: str | None = None,
) -> bytes:
    """An inspection protocol (besiktningsprotokoll) as PDF, in the incoming or the outgoing tenant's version.

    ``node_names`` names the inspected object (``case.node_id``) and the rooms and components in the rows' node
    paths; ``inspector`` is the case officer who inspected. Only the outgoing tenant's version shows what they
    are charged.
    """
    inspected = case.planerad_start or case.inkommen
    signer: Customer | None
    if for_incoming_tenant:
        subtitle, role, signer = "Protokoll för inflyttande hyresgäst", "Inflyttande hyresgäst", incoming
    else:
        subtitle, role, signer = "Protokoll för avflyttande hyresgäst", "Avflyttande hyresgäst", outgoing
    facts = [
        ("Ärendenummer", case.nummer),
        ("Objekt", node_names.get(case.node_id) if case.node_id else None),
        ("Besiktningsdatum", inspected.date().isoformat()),
        ("Besiktningsman", inspector),
        ("Avflyttande hyresgäst", _tenant(outgoing)),
        ("Inflyttande hyresgäst", _tenant(incoming)),
    ]
    story: list[Flowable] = [
        _letterhead(company, title="Besiktningsprotokoll", subtitle=subtitle, facts=facts),
        _para("Anmärkningar", HEADING),
        _remarks(case, rows, node_names, charges=not for_incoming_tenant),
        Spacer(1, 6 * mm),
        _signature_lines([(role, _full_name(signer) if signer else ""), ("Besiktningsman", inspector or "")]),
    ]
    return _render(story, title=f"Besiktningsprotokoll {case.nummer}", author=company.namn, created=inspected)
