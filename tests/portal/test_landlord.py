"""The landlord's rules on SQLite: rent runs (calendar, components, rent changes, pro rata, quarterly, VAT,
numbering, idempotency), BgMax files (parsing, malformed files naming their line, matching and allocation, the
queue, re-imports), reminders (fee only where agreed and at most 60 kr, interest at the reference rate + 8 %), the
outbox against a real SMTP server on loopback (attachments, retries, the print batch), and what the tenant sees."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi.testclient import TestClient
from jinja2.ext import babel_extract
from prometheus_client import REGISTRY
from pypdf import PdfReader
from sqlalchemy import func, select
from typer.testing import CliRunner

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.web import pages
from bodata.portal import bgmax, outbox, reminders, rent
from bodata.portal.cli import cli
from bodata.portal.economy import economy_json
from bodata.portal.models import (
    BankFile,
    BankPayment,
    ContactDetail,
    Contract,
    Invoice,
    InvoiceDistribution,
    OutboxMessage,
    Payment,
)
from bodata.portal.ocr import valid_ocr
from bodata.portal.service_entry import SERVICE
from bodata.portal.staff import web
from bodata.portal.staff.accounts import add_staff_user

from ..smtp import smtp_server
from .fixtures import BankIn, World, bgmax_file

pytestmark = pytest.mark.sqlite_only

RUN_DAY = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def test_due_dates_are_the_last_weekday_before_the_period() -> None:
    assert rent.due_date(date(2027, 1, 1)) == date(2026, 12, 30)  # New Year's Eve counts as a holiday
    assert rent.due_date(date(2026, 4, 1)) == date(2026, 3, 31)
    assert rent.due_date(date(2026, 11, 1)) == date(2026, 10, 30)  # Saturday 31 October is All Saints' Day
    assert rent.due_date(date(2025, 6, 1)) == date(2025, 5, 30)  # Saturday and Sunday before
    assert rent.due_date(date(2026, 2, 1), due_day=25) == date(2026, 1, 23)  # a Sunday, moved back to Friday
    assert rent.due_date(date(2026, 3, 1), due_day=31) == date(2026, 2, 27)  # no 31 February: the month's last
    assert date(2026, 4, 3) in rent.holidays(2026)
    assert date(2026, 6, 19) in rent.holidays(2026)
    with pytest.raises(rent.RentError, match="ÅÅÅÅ-MM"):
        rent.parse_period("2027-13")


def _setup_contracts(database: Database, world: World) -> None:
    with database.transaction() as session:
        rent.change_rent(
            session, contract_id=world.anna_contract, aviseringstext="Grundhyra", monthly_amount=Decimal(7900), fom=None
        )
        rent.change_rent(
            session, contract_id=world.anna_contract, aviseringstext="Parkering", monthly_amount=Decimal(400), fom=None
        )
        rent.change_rent(
            session,
            contract_id=world.anna_contract,
            aviseringstext="Grundhyra",
            monthly_amount=Decimal(8100),
            fom=date(2027, 1, 15),
        )
        commercial = session.get_one(Contract, world.bertil_contract)
        commercial.billing_period, commercial.vat, commercial.reminder_fee = "kvartal", True, True
        commercial.tom = date(2027, 2, 14)
        rent.change_rent(
            session,
            contract_id=world.bertil_contract,
            aviseringstext="Lokalhyra",
            monthly_amount=Decimal(10000),
            fom=None,
        )


def test_a_rent_run_bills_components_pro_rata_quarterly_with_vat_and_only_once(
    database: Database, world: World
) -> None:
    _setup_contracts(database, world)
    with database.transaction() as session:
        plan = rent.plan_rent_run(session, period="2027-01")
        anna, bertil = plan.notices
        assert [(line.text, line.netto) for line in anna.lines] == [
            ("Grundhyra 2027-01-01–2027-01-14", Decimal("3567.74")),  # 7900 × 14/31
            ("Parkering", Decimal("400.00")),
            ("Grundhyra 2027-01-15–2027-01-31", Decimal("4441.94")),  # 8100 × 17/31
        ]
        assert anna.forfallodag == date(2026, 12, 30)
        assert anna.moms == 0
        # the quarter January–March, ending 14 February: January whole, February 14/28, no March; 25 % VAT
        assert [(line.month, line.netto, line.moms) for line in bertil.lines] == [
            (date(2027, 1, 1), Decimal("10000.00"), Decimal("2500.00")),
            (date(2027, 2, 1), Decimal("5000.00"), Decimal("1250.00")),
        ]
        assert rent.plan_rent_run(session, period="2027-02").notices[0].avtalsnummer == "A-1"  # no quarter starts

    with database.transaction() as session:
        committed = rent.commit_rent_run(session, period="2027-01", now=RUN_DAY, trigger="test", started_by="test")
        numbers = [invoice.avinummer for invoice in committed.invoices]
    assert numbers == ["9213212", "9213213"]  # the series starts after the largest avinummer on record
    committed_runs = REGISTRY.get_sample_value("bodata_rent_runs_total", {"status": "committed"})
    with database.transaction() as session:
        again = rent.commit_rent_run(session, period="2027-01", now=RUN_DAY, trigger="test", started_by="test")
        assert again.invoices == []
    assert REGISTRY.get_sample_value("bodata_rent_runs_total", {"status": "committed"}) == committed_runs + 1
    with database.transaction() as session:
        assert rent.plan_rent_run(session, period="2027-01").already_noticed == 2
        notice = session.scalar(select(Invoice).where(Invoice.avinummer == "9213212"))
        assert valid_ocr(notice.betalningsreferens, length_digit=True)
        assert (notice.bruttobelopp, notice.restbelopp, notice.att_betala) == (Decimal("8409.68"),) * 3
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.invoice_id == notice.id))
        assert (message.channel, message.kind, message.recipient) == ("epost", "avi", "anna@example.se")
        # the tenant sees the notice, with its ledger, among the notices (SessionAvisering)
        shown = economy_json(session, customer_id=world.anna, include_notices=True, months=0, today=date(2026, 12, 10))
        avi = next(item for item in shown["Aviseringar"] if item["Avinummer"] == "9213212")
        assert avi["Reskontror"][0]["Period"] == "2027-01"
        assert len(avi["Reskontror"][0]["Rader"]) == 3


def _notices(database: Database, world: World) -> tuple[Invoice, Invoice]:
    _setup_contracts(database, world)
    with database.transaction() as session:
        rent.commit_rent_run(session, period="2027-01", now=RUN_DAY, trigger="test", started_by="test")
    with database.transaction() as session:
        anna = session.scalar(select(Invoice).where(Invoice.avinummer == "9213212"))
        bertil = session.scalar(select(Invoice).where(Invoice.avinummer == "9213213"))
        session.expunge_all()
    return anna, bertil


@pytest.mark.parametrize(
    ("mangle", "line", "message"),
    [
        (lambda lines: lines[1:], 1, "startpost"),
        (lambda lines: [*lines[:2], "99" + lines[2][2:], *lines[3:]], 3, "okänd transaktionskod '99'"),
        (lambda lines: [*lines[:2], lines[2] + "X", *lines[3:]], 3, "81 tecken"),
        (
            lambda lines: [*lines[:2], lines[2][:37] + "0000000000000ABC00" + lines[2][55:], *lines[3:]],
            3,
            "betalningsbelopp",
        ),
        (
            lambda lines: [line for line in lines if not line.startswith("20")],
            3,
            "anger 2 betalningar men har 0",
        ),
        (lambda lines: lines[:-1], 5, "slutpost"),
        (lambda lines: [*lines[:-1], "70" + "00000009" + lines[-1][10:]], 6, "anger 9 betalningsposter"),
    ],
)
def test_a_malformed_bgmax_file_is_refused_naming_its_line(mangle, line: int, message: str) -> None:
    lines = (
        bgmax_file([BankIn("921321295", Decimal(100), 1), BankIn("921321394", Decimal(50), 2)])
        .decode("latin-1")
        .split("\r\n")[:-1]
    )
    with pytest.raises(bgmax.BgMaxError, match=message) as refused:
        bgmax.parse("\r\n".join(mangle(lines)).encode("latin-1"))
    assert refused.value.line == line


def test_bgmax_payments_are_matched_allocated_queued_and_imported_once(database: Database, world: World) -> None:
    anna, bertil = _notices(database, world)
    data = bgmax_file(
        [
            BankIn(anna.betalningsreferens, Decimal("5000.00"), 101, "Anna Andersson"),  # part of her January notice
            BankIn(bertil.betalningsreferens, Decimal("40000.00"), 102),  # more than the notice: an overpayment
            BankIn("12345678", Decimal("300.00"), 103),  # an unknown reference: the queue
            BankIn("", Decimal("25.00"), 104, deduction=True),  # a deduction: the queue
        ],
        day=date(2026, 12, 29),
    )
    assert bgmax.parse(data).payments[0].payer_name == "Anna Andersson"
    with database.transaction() as session:
        report = bgmax.import_file(session, data=data, filename="bgmax.txt", now=RUN_DAY, imported_by="test")
    assert (report.payments, report.matched, report.unmatched, report.total) == (4, 2, 2, Decimal("45275.00"))
    with database.transaction() as session:
        paid = session.get_one(Invoice, anna.id)
        assert (paid.inbetalt_belopp, paid.restbelopp) == (Decimal("5000.00"), Decimal("3409.68"))
        # Bertil's payment first settles his notice, then his older open notice (due 2026-10-31), the rest stays on
        # the notice it named as a credit
        older = session.get_one(Invoice, world.bertil_invoice)
        over = session.get_one(Invoice, bertil.id)
        assert older.restbelopp == 0
        assert over.att_betala == 0
        assert over.restbelopp < 0
        assert sum(session.scalars(select(Payment.belopp).where(Payment.bank_payment_id.is_not(None)))) == Decimal(
            "45000.00"
        )
        queued = bgmax.queue(session)
        unknown_id = queued[0].id
        assert [(p.reference, p.amount) for p in queued] == [("12345678", Decimal("300.00")), ("", Decimal("-25.00"))]
        with pytest.raises(bgmax.QueueError, match="avdrag"):
            bgmax.allocate_queued(session, bank_payment_id=queued[1].id, invoice_id=anna.id, handled_by="eva")
        bgmax.allocate_queued(session, bank_payment_id=queued[0].id, invoice_id=anna.id, handled_by="eva")
    with database.transaction() as session:
        assert session.get_one(Invoice, anna.id).restbelopp == Decimal("3109.68")
        assert session.get_one(BankPayment, unknown_id).status == bgmax.ALLOCATED
        # the same file again changes nothing; a payment delivered again in another file is skipped
        assert bgmax.import_file(
            session, data=data, filename="again.txt", now=RUN_DAY, imported_by="t"
        ).already_imported
        redelivered = bgmax_file([BankIn(anna.betalningsreferens, Decimal("5000.00"), 101)], day=date(2026, 12, 29))
        report = bgmax.import_file(session, data=redelivered, filename="b.txt", now=RUN_DAY, imported_by="t")
        assert (report.duplicates, report.matched) == (1, 0)
        twice = bgmax_file([BankIn("1", Decimal(1), 9), BankIn("2", Decimal(2), 9)])
        with pytest.raises(bgmax.BgMaxError, match="Rad 4: BGC-löpnummer 000000000009 finns redan på rad 3"):
            bgmax.import_file(session, data=twice, filename="d", now=RUN_DAY, imported_by="t")
        # a file for another bankgiro is refused whole
        with pytest.raises(bgmax.BgMaxError, match="inte hyresvärdens 50501055"):
            bgmax.import_file(
                session, data=bgmax_file([], bankgiro="9912346"), filename="c", now=RUN_DAY, imported_by="t"
            )
    with database.transaction() as session:
        assert session.scalar(select(func.count(BankFile.id))) == 2
        assert session.get_one(Invoice, anna.id).restbelopp == Decimal("3109.68")


def test_late_interest_follows_the_reference_rate_day_by_day() -> None:
    rates = [(date(2026, 7, 1), Decimal("2.000")), (date(2027, 1, 1), Decimal("1.500"))]
    # 10 000 kr from 31 December: 1 day at 10 %, 20 days at 9.5 %
    expected = Decimal(10000) * (Decimal("0.10") * 1 + Decimal("0.095") * 20) / 365
    assert reminders.late_interest(
        Decimal(10000), due=date(2026, 12, 30), until=date(2027, 1, 20), reference=rates
    ) == expected.quantize(Decimal("0.01"))
    assert reminders.late_interest(Decimal(100), due=date(2027, 1, 20), until=date(2027, 1, 20), reference=rates) == 0


def test_reminders_charge_the_fee_only_where_agreed_and_reach_the_tenant(database: Database, world: World) -> None:
    anna, bertil = _notices(database, world)
    with database.transaction() as session:
        reminders.set_reference_rate(session, fom=date(2026, 7, 1), rate=Decimal("2"))
        assert (
            reminders.send_reminders(session, now=datetime(2027, 1, 5, 9, tzinfo=UTC)) != []
        )  # the world's October notices
    later = datetime(2027, 1, 20, 9, tzinfo=UTC)
    with database.transaction() as session:
        made = {r.reminder_of_id: r for r in reminders.send_reminders(session, now=later)}
        assert set(made) == {anna.id, bertil.id}
        # Anna's contract has no reminder fee: interest only; Bertil's has, and it is capped at 60 kr
        interest = reminders.late_interest(
            anna.restbelopp, due=anna.forfallodag, until=date(2027, 1, 20), reference=[(date(2026, 7, 1), Decimal(2))]
        )
        assert made[anna.id].bruttobelopp == interest
        assert made[bertil.id].bruttobelopp - Decimal(60) == reminders.late_interest(
            bertil.restbelopp,
            due=bertil.forfallodag,
            until=date(2027, 1, 20),
            reference=[(date(2026, 7, 1), Decimal(2))],
        )
        assert reminders.send_reminders(session, now=later + timedelta(days=5)) == []  # one reminder per notice
        shown = economy_json(session, customer_id=world.anna, include_notices=True, months=0, today=date(2027, 1, 20))
        reminder = next(n for n in shown["Aviseringar"] if n["Avinummer"] == made[anna.id].avinummer)
        texts = [row["Aviseringstext"] for row in reminder["Reskontror"][0]["Rader"]]
        assert texts[0].startswith("Obetalt på avi 9213212")
        assert texts[1].startswith("Dröjsmålsränta")
        assert (
            session.scalar(select(OutboxMessage.kind).where(OutboxMessage.invoice_id == made[anna.id].id))
            == "paminnelse"
        )


def test_the_outbox_sends_pdfs_over_smtp_retries_and_prints_letters(database: Database, world: World) -> None:
    with database.transaction() as session:  # Bertil has no e-mail address: his notice becomes a letter
        session.execute(ContactDetail.__table__.delete().where(ContactDetail.customer_id == world.bertil))
    anna, bertil = _notices(database, world)
    with smtp_server() as (port, mailbox):
        settings = Settings(secret_key="k", smtp_host="127.0.0.1", smtp_port=port, smtp_from="hyra@malarporten.se")
        mailbox.refuse = True
        assert outbox.send_due(database, settings, now=RUN_DAY) == outbox.SendReport(sent=0, retried=1, failed=0)
        assert outbox.send_due(database, settings, now=RUN_DAY + timedelta(minutes=4)).retried == 0  # not due yet
        mailbox.refuse = False
        assert outbox.send_due(database, settings, now=RUN_DAY + timedelta(minutes=5)).sent == 1
        assert outbox.send_due(database, settings, now=RUN_DAY + timedelta(hours=1)).sent == 0  # sent once
    [(recipients, message)] = mailbox.messages
    assert recipients == ["anna@example.se"]
    assert message["Subject"] == "Hyresavi 9213212 från Bostads AB Mälarporten"
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "avi-9213212.pdf"
    assert "9213212" in PdfReader(io.BytesIO(attachment.get_payload(decode=True))).pages[0].extract_text()
    with database.transaction() as session:
        count, document = outbox.print_batch(session, now=RUN_DAY)
        assert count == 1
        assert "Bertil" in PdfReader(io.BytesIO(document)).pages[0].extract_text()
        assert outbox.print_batch(session, now=RUN_DAY) == (0, None)
        sent = {
            d.invoice_id: (d.typ, d.adress)
            for d in session.scalars(
                select(InvoiceDistribution).where(InvoiceDistribution.invoice_id.in_([anna.id, bertil.id]))
            )
        }
        assert sent == {
            anna.id: ("epost", "anna@example.se"),
            bertil.id: ("brev.direkt", "Bertil Berg, Skärgatan 4, 721 31 Västerås"),
        }


def test_an_unreachable_smtp_server_gives_up_after_the_last_retry(database: Database, world: World) -> None:
    _notices(database, world)
    settings = Settings(secret_key="k", smtp_host="127.0.0.1", smtp_port=1, smtp_timeout_seconds=2)
    moment = RUN_DAY
    for _attempt in range(outbox.MAX_ATTEMPTS):
        report = outbox.send_due(database, settings, now=moment)
        moment += timedelta(days=1)
    assert report.failed == 2
    with database.transaction() as session:
        failed = session.scalars(select(OutboxMessage).where(OutboxMessage.status == outbox.FAILED)).all()
        assert len(failed) == 2
        assert all("could not be sent" in m.last_error for m in failed)
        outbox.retry(session, message_id=failed[0].id)
        assert session.get_one(OutboxMessage, failed[0].id).status == outbox.PENDING


def _staff_client(database: Database, world: World) -> TestClient:
    with database.transaction() as session:
        add_staff_user(session, username="eva", name="Eva Ek", password="hemligt123", read_only=False, now=RUN_DAY)
        add_staff_user(session, username="lars", name="Lars Läs", password="hemligt123", read_only=True, now=RUN_DAY)
    app = create_app(
        Settings(secret_key="k", scheduler=False), services=[SERVICE], database=database, clock=FixedClock(RUN_DAY)
    )
    return TestClient(app, base_url="http://testserver/portal/personal")


def _log_in(client: TestClient, username: str, password: str = "hemligt123") -> str:  # noqa: S107
    """Log in through the form; returns the session's CSRF token read from the next page."""
    form = client.get("/logga-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    page = client.post("/logga-in", data={"username": username, "password": password, "csrf_token": token})
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return found.group(1) if page.status_code == 200 and "Logga ut" in page.text else page.status_code


def test_the_staff_ui_needs_a_login_a_csrf_token_and_a_role_that_may_write(database: Database, world: World) -> None:
    client = _staff_client(database, world)
    assert client.get("/kunder", follow_redirects=False).headers["location"] == "/portal/personal/logga-in"
    assert _log_in(client, "eva", "fel") == 401
    token = _log_in(client, "lars")
    page = client.get("/hyresavisering?period=2027-01")
    assert "Förhandsgranskning för 2027-01" in page.text
    assert "Skapa aviseringarna" not in page.text  # the read-only role sees no buttons that change anything
    english = client.get("/hyresavisering?period=2027-01", headers={"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"})
    assert '<html lang="en">' in english.text
    assert "Preview for 2027-01" in english.text
    assert "Förhandsgranskning" not in english.text
    assert "Logga ut" not in english.text
    refused = client.post("/hyresavisering", data={"period": "2027-01", "csrf_token": token})
    assert refused.status_code == 403
    assert "läsbehörighet" in refused.text
    token = _log_in(client, "eva")
    assert client.post("/hyresavisering", data={"period": "2027-01", "csrf_token": "fel"}).status_code == 403
    bad = client.post("/betalningar", data={"csrf_token": token}, files={"fil": ("bg.txt", b"01BGMAX\r\n")})
    assert bad.status_code == 400
    assert "Rad 1: BgMax version" in bad.text
    with database.transaction() as session:
        assert session.scalar(select(func.count(Invoice.id)).where(Invoice.period_fom.is_not(None))) == 0
        assert session.scalar(select(func.count(BankFile.id))) == 0
    done = client.post("/hyresavisering", data={"period": "2027-01", "csrf_token": token}, follow_redirects=False)
    assert done.headers["location"].endswith("/aviseringar?klart=run-committed")


def test_every_text_of_the_staff_ui_has_an_english_translation() -> None:
    catalogue = Path(web.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "messages.po"
    with catalogue.open("rb") as handle:
        messages = read_po(handle)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    env = pages.environment([Path(web.__file__).parent / "templates"])
    env.install_gettext_translations(Translations(compiled), newstyle=True)
    assert all(message.string for message in messages if message.id)
    english = env.from_string(
        '{{ _("Kunder") }} · {% trans %}Lokal med moms (25 %){% endtrans %} · '
        '{% trans period="2027-01" %}Förhandsgranskning för {{ period }}{% endtrans %}'
    ).render()
    assert english == "Customers · Commercial premises with VAT (25 %) · Preview for 2027-01"
    for template in Path(web.__file__).parent.glob("templates/*.html"):
        with template.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(
                handle, ("_", "gettext"), [], {"extensions": "jinja2.ext.i18n"}
            ):
                message = message[0] if isinstance(message, tuple) else message
                if message and "{{" not in message:
                    assert re.sub(r"%(?!\()", "%%", message) in messages, f"{template.name}: {message!r}"


def test_the_landlords_commands(database: Database, database_url: str, world: World, tmp_path: Path) -> None:
    _setup_contracts(database, world)
    env = {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "cli-key", "COLUMNS": "250"}
    runner = CliRunner()
    preview = runner.invoke(cli, ["rent", "preview", "2027-01"], env=env)
    assert preview.exit_code == 0, preview.output
    assert "2 notices, 27159.68 kr" in preview.output
    assert runner.invoke(cli, ["rent", "preview", "2027-1"], env=env).exit_code == 1
    run = runner.invoke(cli, ["rent", "run", "2027-01"], env=env)
    assert "rent run 2027-01: 2 notices" in run.output
    assert "0 notices" in runner.invoke(cli, ["rent", "run", "2027-01"], env=env).output
    with database.transaction() as session:
        reference = session.scalar(select(Invoice.betalningsreferens).where(Invoice.avinummer == "9213212"))
    paid = tmp_path / "bgmax.txt"
    paid.write_bytes(bgmax_file([BankIn(reference, Decimal(100), 1), BankIn("77", Decimal(5), 2)]))
    imported = runner.invoke(cli, ["payments", "import", str(paid)], env=env)
    assert "2 payments (105.00 kr): 1 matched, 1 to the queue, 0 seen before" in imported.output
    assert "imported before: nothing changed" in runner.invoke(cli, ["payments", "import", str(paid)], env=env).output
    broken = tmp_path / "broken.txt"
    broken.write_bytes(paid.read_bytes().replace(b"\r\n70", b"\r\n71"))
    refused = runner.invoke(cli, ["payments", "import", str(broken)], env=env)
    assert refused.exit_code == 1
    assert "Rad 6: transaktionskod '71' utanför en insättning" in refused.output
    staff = runner.invoke(cli, ["staff", "add", "eva", "--name", "Eva Ek"], env=env, input="hemligt123\nhemligt123\n")
    assert "staff account eva added" in staff.output
    letters = runner.invoke(cli, ["outbox", "print", str(tmp_path / "brev.pdf")], env=env)
    assert letters.output.startswith("0 letters")  # both tenants have e-mail addresses
