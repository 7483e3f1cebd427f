"""Printed notices and inspection protocols: rendered from model objects in memory and read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from bodata.portal.models import (
    Case,
    CaseRow,
    Company,
    Customer,
    Invoice,
    InvoiceDistribution,
    LedgerEntry,
    LedgerRow,
    Node,
    Payment,
)
from bodata.portal.pdf import (
    PDF_MEDIA_TYPE,
    file_name,
    format_amount,
    render_inspection_protocol,
    render_invoice,
)

FLAT, GARAGE = 7, 8
LIVING_ROOM, KITCHEN, STOVE, BEDROOM = 20, 21, 22, 23


def pdf_text(document: bytes) -> str:
    """All pages' text, whitespace collapsed (so wrapped lines read as one)."""
    pages = PdfReader(io.BytesIO(document)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def page_count(document: bytes) -> int:
    return len(PdfReader(io.BytesIO(document)).pages)


def company() -> Company:
    return Company(
        namn="Bostads AB Mälarporten",
        organisationsnummer="556677-8899",
        gatuadress="Stora Gatan 1",
        postnummer="72212",
        postort="Västerås",
        telefon="021-10 20 30",
        epost="kundservice@malarporten.se",
        bankgiro="5050-1055",
    )


def customer(first: str = "Åsa", last: str = "Öberg", number: str = "15555") -> Customer:
    return Customer(kundnummer=number, fornamn=first, efternamn=last)


def objects() -> dict[int, Node]:
    return {
        FLAT: Node(id=FLAT, visningstext="Lägenhet", nummer="142-043-01", gatuadress1="Storgatan 16"),
        GARAGE: Node(id=GARAGE, visningstext="Garageplats 12"),
    }


def row(text: str, net: str, vat: str = "0", **specification: object) -> LedgerRow:
    gross = Decimal(net) + Decimal(vat)
    return LedgerRow(
        aviseringstext=text,
        nettobelopp=Decimal(net),
        momsbelopp=Decimal(vat),
        bruttobelopp=gross,
        has_specification=bool(specification),
        **specification,
    )


def entry(node_id: int, rows: list[LedgerRow]) -> LedgerEntry:
    ledger_entry = LedgerEntry(
        node_id=node_id,
        period="2014-09",
        forfallodag=date(2014, 8, 31),
        nettobelopp=sum((r.nettobelopp for r in rows), Decimal(0)),
        momsbelopp=sum((r.momsbelopp for r in rows), Decimal(0)),
        bruttobelopp=sum((r.bruttobelopp for r in rows), Decimal(0)),
    )
    ledger_entry.rows = rows
    return ledger_entry


HOT_WATER = {
    "spec_avser_fom": date(2014, 7, 1),
    "spec_avser_tom": date(2014, 7, 31),
    "spec_kalla_beteckning": "Kök",
    "spec_kalla_identitet": "432105",
    "spec_varde_fom": Decimal("13.432"),
    "spec_varde_tom": Decimal("14.532"),
    "spec_mangd": Decimal("1.100"),
    "spec_mangdenhet": "m3",
    "spec_apris": Decimal("48"),
    "spec_debiteringsfri_tom": date(2014, 4, 30),
    "spec_debiteringsfritt_total": Decimal("53"),
}


def notice(rows: list[LedgerRow] | None = None, *, kind: str = "Avi", to_pay: str = "7900") -> Invoice:
    """A rent notice of 7 900 kr (four rows on the flat, two on the garage), 6 000 kr paid, sent by e-mail."""
    flat_rows = (
        rows
        if rows is not None
        else [
            row("Grundhyra", "6500"),
            row("Varmvatten", "53", **HOT_WATER),
            row("Hushållsel", "400", "100"),
            row("Tillägg för förråd & bredband", "247"),
        ]
    )
    entries = [entry(FLAT, flat_rows), entry(GARAGE, [row("Garagehyra", "500"), row("Motorvärmare", "100")])]
    net = sum((e.nettobelopp for e in entries), Decimal(0))
    vat = sum((e.momsbelopp for e in entries), Decimal(0))
    invoice = Invoice(
        avinummer="9213210",
        typ_referensnamn=kind,
        typ_beteckning=kind[0],
        betalningsreferens="921321097",
        mottagare_nummer="50501055",
        formedlare_systemnamn="BG",
        formedlare_beteckning="Bankgiro",
        forfallodag=date(2014, 8, 31),
        nettobelopp=net,
        momsbelopp=vat,
        bruttobelopp=net + vat,
        inbetalt_belopp=Decimal("6000"),
        restbelopp=net + vat - Decimal("6000"),
        fordelat_belopp=Decimal(0),
        att_betala=Decimal(to_pay),
        created_at=datetime(2014, 8, 15, 11, 0, tzinfo=UTC),
    )
    invoice.ledger_entries = entries
    invoice.payments = [
        Payment(betalvag="Manuell inbetalning via bankgiro", belopp=Decimal("6000"), betalningsdag=date(2014, 8, 28))
    ]
    invoice.distributions = [
        InvoiceDistribution(typ="epost", adress="asa@example.se", distribuerad=datetime(2014, 8, 15, 13, 0))
    ]
    return invoice


def render(invoice: Invoice, **overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "company": company(),
        "customer": customer(),
        "invoice": invoice,
        "objects": objects(),
        "recipient_lines": ["Åsa Öberg", "Storgatan 16 lgh 1101", "721 31 Västerås"],
    }
    arguments.update(overrides)
    return render_invoice(**arguments)  # type: ignore[arg-type]


def test_media_type() -> None:
    assert PDF_MEDIA_TYPE == "application/pdf"


@pytest.mark.parametrize(
    ("value", "decimals", "printed"),
    [
        (Decimal(7900), 2, "7 900,00"),
        (Decimal("-1234567.5"), 2, "-1 234 567,50"),
        (Decimal("0.005"), 2, "0,01"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("13.432"), 3, "13,432"),
        (0, 2, "0,00"),
    ],
)
def test_format_amount(value: Decimal, decimals: int, printed: str) -> None:
    assert format_amount(value, decimals) == printed


def test_rent_notice_shows_everything_needed_to_pay() -> None:
    document = render(notice())
    text = pdf_text(document)

    assert document.startswith(b"%PDF-")
    for expected in [
        "Bostads AB Mälarporten",
        "722 12 Västerås",
        "Org.nr 556677-8899",
        "Telefon 021-10 20 30",
        "E-post kundservice@malarporten.se",
        "Hyresavi",
        "Avinummer 9213210",
        "Kundnummer 15555",
        "Avidatum 2014-08-15",
        "Period 2014-09",
        "Åsa Öberg Storgatan 16 lgh 1101 721 31 Västerås",
        "Period 2014-09 · Hyresobjekt 142-043-01, Storgatan 16",
        "Period 2014-09 · Hyresobjekt Garageplats 12",
        "Grundhyra 6 500,00 0,00 6 500,00",
        "Hushållsel 400,00 100,00 500,00",
        "Tillägg för förråd & bredband 247,00",
        "Motorvärmare 100,00",
        "Summa period 2014-09 7 200,00 100,00 7 300,00",
        "Summa period 2014-09 600,00 0,00 600,00",
        "Bankgiro 5050-1055",
        "OCR-nummer 921321097",
        "Att betala 7 900,00 kr",
        "Förfallodag 2014-08-31",
        "Nettobelopp 7 800,00",
        "Momsbelopp 100,00",
        "Bruttobelopp 7 900,00",
        "Inbetalt belopp 6 000,00",
        "Restbelopp 1 900,00",
        "2014-08-28 Manuell inbetalning via bankgiro 6 000,00",
        "Skickad som e-post 2014-08-15 13:00 till asa@example.se",
    ]:
        assert expected in text
    assert "Faktura" not in text
    assert "Fördelat belopp" not in text  # only when something was distributed


def test_consumption_specification_is_printed_under_its_row() -> None:
    text = pdf_text(render(notice()))
    spec = (
        "Varmvatten 53,00 0,00 53,00 Kök mätare 432105, 2014-07-01 – 2014-07-31, mätarställning 13,432 – 14,532, "
        "förbrukning 1,100 m3 × 48,00 kr, debiteringsfritt t.o.m. 2014-04-30: 53,00 kr"
    )
    assert spec in text


def test_unit_price_keeps_its_third_decimal() -> None:
    electricity = row(
        "Hushållsel", "213.25", spec_mangd=Decimal("250"), spec_mangdenhet="kWh", spec_apris=Decimal("0.853")
    )
    text = pdf_text(render(notice([electricity])))
    assert "Hushållsel 213,25 0,00 213,25 förbrukning 250,000 kWh × 0,853 kr" in text


def test_payment_slip_at_the_end() -> None:
    text = pdf_text(render(notice()))
    slip = text[text.index("INBETALNING/GIRERING AVI") :]
    for expected in [
        "Betalningsmottagare Bostads AB Mälarporten",
        "Till bankgironummer 5050-1055",
        "OCR-nummer 921321097",
        "Kronor 7 900 Öre 00",
        "Inbetalare Åsa Öberg Storgatan 16 lgh 1101",
        # 790000: 0+0+0+0+9+7 with every second digit from the right doubled (18 → 9) = 16 → amount check digit 4.
        "# 921321097 # 7900 00 4 > 50501055#41#",
    ]:
        assert expected in slip


@pytest.mark.parametrize(
    ("address", "payer"),
    [
        (
            ["Kari Nordmann", "c/o Hansen", "Att: Ola", "Karl Johans gate 1", "Leilighet 4", "0191 Oslo", "Norge"],
            "Inbetalare Kari Nordmann c/o Hansen, Att: Ola, Karl Johans gate 1, Leilighet 4 0191 Oslo Norge",
        ),
        (
            ["Åsa Öberg", "c/o Berg", "Att: Ekonomi", "Box 7", "111 22 Stockholm"],
            "Inbetalare Åsa Öberg c/o Berg, Att: Ekonomi Box 7 111 22 Stockholm",
        ),
        (
            ["Åsa Öberg", "c/o Berg", "Box 7", "111 22 Stockholm"],
            "Inbetalare Åsa Öberg c/o Berg Box 7 111 22 Stockholm",
        ),
    ],
)
def test_the_payment_slip_keeps_the_payers_postcode_town_and_country(address: list[str], payer: str) -> None:
    text = pdf_text(render(notice(), recipient_lines=address))
    slip = text[text.index("INBETALNING/GIRERING AVI") :]
    assert payer in slip


def test_an_invoice_pdf_is_named_faktura_and_a_rent_notice_avi() -> None:
    assert file_name(notice(kind="Faktura")) == "faktura-9213210.pdf"
    assert file_name(notice()) == "avi-9213210.pdf"


def test_nothing_to_pay_means_no_payment_slip() -> None:
    text = pdf_text(render(notice(to_pay="0")))
    assert "Att betala 0,00 kr" in text
    assert "INBETALNING/GIRERING AVI" not in text


def test_invoice_title_and_account_printed_as_stored_when_not_a_bankgiro_number() -> None:
    invoice = notice(kind="Faktura")
    invoice.formedlare_systemnamn, invoice.formedlare_beteckning, invoice.mottagare_nummer = "PG", "Plusgiro", "4711-8"
    invoice.fordelat_belopp = Decimal("120")
    text = pdf_text(render(invoice))
    assert text.startswith("Bostads AB Mälarporten")
    assert "Faktura Fakturanummer 9213210" in text
    assert "Fakturadatum 2014-08-15" in text
    assert "Avinummer" not in text
    assert "Avidatum" not in text
    assert "Hyresavi" not in text
    assert "Plusgiro 4711-8" in text
    assert "Fördelat belopp 120,00" in text


def test_without_recipient_lines_the_customer_name_is_the_address() -> None:
    text = pdf_text(render(notice(), recipient_lines=None, customer=customer("Björn", "Ängström")))
    assert "Björn Ängström" in text
    assert "Storgatan 16 lgh 1101" not in text


def test_letters_outside_the_font_are_folded_not_lost() -> None:
    text = pdf_text(render(notice(), recipient_lines=["Łukasz Dvořák", "Őrház utca 1", "漢字"]))
    assert "Lukasz Dvorák Orház utca 1 ?? " in text  # á is in Windows-1252, ř, Ő and Ł are not
    assert "■" not in text


def test_same_input_same_bytes_and_creation_date_from_the_data() -> None:
    first, second = render(notice()), render(notice())
    assert first == second
    metadata = PdfReader(io.BytesIO(first)).metadata
    assert metadata is not None
    assert metadata["/CreationDate"] == "D:20140815110000+00'00'"
    assert metadata.title == "Hyresavi 9213210"


def test_many_rows_run_over_several_pages() -> None:
    rows = [row(f"Tilläggstjänst nummer {number:02d}", "10") for number in range(60)]
    document = render(notice(rows))
    text = pdf_text(document)
    pages = page_count(document)
    assert pages > 1
    assert f"Sida 1 av {pages}" in text
    assert f"Sida {pages} av {pages}" in text
    for number in range(60):
        assert f"Tilläggstjänst nummer {number:02d} 10,00 0,00 10,00" in text
    assert text.count("Specifikation Netto Moms Brutto") > 1  # the header is repeated on the next page
    assert "Summa period 2014-09 600,00 0,00 600,00" in text
    assert "# 921321097 #" in text


# --- Inspection protocols -------------------------------------------------------------------------


NODE_NAMES = {
    FLAT: "Lägenhet 142-043-01, Storgatan 16",
    LIVING_ROOM: "Vardagsrum",
    KITCHEN: "Kök",
    STOVE: "Spis",
    BEDROOM: "Sovrum",
}


def inspection() -> tuple[Case, list[CaseRow]]:
    case = Case(
        nummer="R-1408-1000",
        typ="Besiktning",
        typ_referensnamn="Besiktning",
        node_id=FLAT,
        inkommen=datetime(2014, 8, 1, 9, 0),
        planerad_start=datetime(2014, 8, 20, 10, 0),
    )
    rows = [
        CaseRow(
            node_path=f"n1-n{FLAT}-n{LIVING_ROOM}",
            inspection_remark="Repor i golvet vid fönstret",
            atgard_typ_beteckning="Slipning",
            charged_outgoing=Decimal("1250"),
        ),
        CaseRow(
            node_path=f"n1-n{FLAT}-n{KITCHEN}-n{STOVE}",
            inspection_remark="Spisen är inte rengjord",
            atgard_typ_beteckning="Städning",
            charged_outgoing=Decimal("450.50"),
        ),
        CaseRow(
            node_path=f"n{FLAT}-n{BEDROOM}-nk5-n99",
            inspection_remark="Normalt slitage på tapeter",
            atgard_typ_beteckning="Ingen åtgärd",
        ),
    ]
    return case, rows


def protocol(*, for_incoming_tenant: bool, **overrides: object) -> bytes:
    case, rows = inspection()
    arguments: dict[str, object] = {
        "company": company(),
        "case": case,
        "rows": rows,
        "node_names": NODE_NAMES,
        "outgoing": customer(),
        "incoming": customer("Björn", "Ängström", "15556"),
        "for_incoming_tenant": for_incoming_tenant,
        "inspector": "Kalle Svensson",
    }
    arguments.update(overrides)
    return render_inspection_protocol(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("for_incoming_tenant", [False, True])
def test_protocol_names_the_case_object_people_and_remarks(for_incoming_tenant: bool) -> None:
    document = protocol(for_incoming_tenant=for_incoming_tenant)
    text = pdf_text(document)
    assert document.startswith(b"%PDF-")
    for expected in [
        "Bostads AB Mälarporten",
        "Besiktningsprotokoll",
        "Ärendenummer R-1408-1000",
        "Objekt Lägenhet 142-043-01, Storgatan 16",
        "Besiktningsdatum 2014-08-20",
        "Besiktningsman Kalle Svensson",
        "Avflyttande hyresgäst Åsa Öberg (kundnummer 15555)",
        "Inflyttande hyresgäst Björn Ängström (kundnummer 15556)",
        "Vardagsrum Repor i golvet vid fönstret Slipning",
        "Kök / Spis Spisen är inte rengjord Städning",
        "Sovrum / n99 Normalt slitage på tapeter Ingen åtgärd",  # a node without a name shows its reference
        "Ort och datum",
    ]:
        assert expected in text


def test_outgoing_version_shows_the_charges_and_their_total() -> None:
    text = pdf_text(protocol(for_incoming_tenant=False))
    assert "Protokoll för avflyttande hyresgäst" in text
    assert "Slipning 1 250,00" in text
    assert "Städning 450,50" in text
    assert "Summa att debitera avflyttande hyresgäst 1 700,50" in text
    assert "Ort och datum Ort och datum Avflyttande hyresgäst Besiktningsman Åsa Öberg Kalle Svensson" in text


def test_incoming_version_shows_no_charges() -> None:
    text = pdf_text(protocol(for_incoming_tenant=True))
    assert "Protokoll för inflyttande hyresgäst" in text
    assert "Protokoll för avflyttande hyresgäst" not in text
    for charged in ["1 250,00", "450,50", "1 700,50", "Debiteras", "Summa att debitera"]:
        assert charged not in text
    assert "Ort och datum Ort och datum Inflyttande hyresgäst Besiktningsman Björn Ängström Kalle Svensson" in text


def test_protocol_without_remarks_inspector_or_planned_date() -> None:
    case, _ = inspection()
    case.planerad_start = None
    text = pdf_text(protocol(for_incoming_tenant=False, case=case, rows=[], inspector=None, incoming=None))
    assert "Besiktningsdatum 2014-08-01" in text
    assert "Inga anmärkningar." in text
    assert "Besiktningsman Kalle" not in text
    assert "Inflyttande hyresgäst" not in text


def test_protocol_is_deterministic_with_the_inspection_date() -> None:
    first = protocol(for_incoming_tenant=True)
    assert first == protocol(for_incoming_tenant=True)
    assert first != protocol(for_incoming_tenant=False)
    metadata = PdfReader(io.BytesIO(first)).metadata
    assert metadata is not None
    assert metadata["/CreationDate"] == "D:20140820100000+02'00'"
