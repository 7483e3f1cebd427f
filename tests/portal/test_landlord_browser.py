"""The landlord's month in a real headless Chromium against ``bodata serve`` (SQLite and PostgreSQL), with a real
SMTP server on loopback: staff log in, add a contract with its rent, run last month's rents (left unpaid) and next
month's, send the notices by e-mail, import the BgMax file that pays next month's, and remind the late one; the
tenant API shows each step (screenshots ``*.png`` in the module's tmp directory)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from bodata.core.db import Database, create_database_engine
from bodata.portal.models import Company, Contract
from bodata.portal.pdf import format_amount
from bodata.portal.rent import add_months
from bodata.portal.staff.accounts import add_staff_user

from ..live import LiveServer, start_live_server
from ..smtp import Mailbox, smtp_server
from .fixtures import API_KEY, PASSWORD, BankIn, bgmax_file, make_world

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright (pip)")

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
STAFF_PASSWORD = "hyresvard-2026"


@dataclass
class Landlord:
    server: LiveServer
    mailbox: Mailbox
    directory: Path


@pytest.fixture(scope="module")
def landlord(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Landlord]:
    """The small world (its two contracts ended: the walk adds the one billed), a staff account, an SMTP server and
    ``bodata serve`` sending through it."""

    def seed() -> None:
        database = Database(create_database_engine(module_database_url))
        with database.transaction() as session:
            now = datetime.now(UTC)
            make_world(session, now)
            for contract in session.query(Contract):
                contract.tom = date(2025, 12, 31)
            session.query(Company).one().reminder_days = 5
            add_staff_user(session, username="eva", name="Eva Ek", password=STAFF_PASSWORD, read_only=False, now=now)
        database.dispose()

    with ThreadPoolExecutor(max_workers=1) as worker:  # off Playwright's event loop, which may already run here
        worker.submit(seed).result()
    directory = tmp_path_factory.mktemp("landlord")
    with smtp_server() as (port, mailbox):
        env = {"BODATA_SMTP_HOST": "127.0.0.1", "BODATA_SMTP_PORT": str(port), "BODATA_SCHEDULER": "false"}
        server = start_live_server(database_url=module_database_url, workdir=directory, env=env)
        try:
            yield Landlord(server, mailbox, directory)
        finally:
            server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def tenant_notices(url: str) -> dict[str, dict]:
    """Anna's notices through the tenant API (E1 with her economy), by avinummer."""
    with httpx.Client(base_url=f"{url}/portal", params={"ApiNyckel": API_KEY}, timeout=60) as client:
        login = client.post("/session/login", json={"Användarnamn": "anna", "Lösenord": PASSWORD})
        key = login.json()["Sessionsnyckel"]
        flags = {"HämtaKund": True, "HämtaKundEkonomi": True, "HämtaKundEkonomiAviseringar": True}
        session = client.get(f"/session/{key}", params=flags).json()
    return {notice["Avinummer"]: notice for notice in session["Kund"]["Ekonomi"]["Aviseringar"]}


def test_a_landlords_month_from_contract_to_reminder(landlord: Landlord, browser) -> None:
    expect = playwright_api.expect
    base = f"{landlord.server.url}/portal/personal"
    today = datetime.now(UTC).date()
    late, coming = add_months(today, -2), add_months(today, 1)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(20_000)
    page = context.new_page()

    page.goto(f"{base}/")
    page.get_by_label("Användarnamn").fill("eva")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Hyresavisering", exact=True)).to_be_visible()

    # a contract for Anna on flat 2 from the first of the late month, 6 500 kr a month, with a parking space
    page.get_by_role("link", name="Avtal", exact=True).click()
    page.get_by_label("Avtalsnummer").fill("A-10")
    page.locator("select[name=customer_id]").select_option(label="15555 Anna Andersson")
    page.locator("select[name=node_id]").select_option(label="142-043-02 Lägenhet")
    page.get_by_label("Från").fill(late.isoformat())
    page.get_by_label("Grundhyra per månad").fill("6500")
    page.get_by_role("button", name="Lägg till avtal").click()
    expect(page.get_by_role("status")).to_contain_text("Avtalet lades till")
    page.get_by_label("Text", exact=True).fill("Parkering")
    page.get_by_label("Belopp per månad").fill("350")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("table.table")).to_contain_text("Parkering")

    # the late month's rent, then next month's: preview, then commit
    for period in (late, coming):
        page.get_by_role("link", name="Hyresavisering").click()
        page.get_by_label("Period").fill(period.strftime("%Y-%m"))
        page.get_by_role("button", name="Förhandsgranska").click()
        expect(page.locator("section.card")).to_contain_text(format_amount(Decimal(6850)))
        page.get_by_role("button", name="Skapa aviseringarna").click()
        expect(page.get_by_role("status")).to_contain_text("Hyresaviseringen är klar")
    notices = tenant_notices(landlord.server.url)
    new = sorted(number for number, notice in notices.items() if notice["Bruttobelopp"] == 6850)
    assert len(new) == 2
    late_number, coming_number = new
    assert notices[coming_number]["DistribueradTill"] == []

    # the notices by e-mail, as PDF attachments
    page.get_by_role("link", name="Utskick").click()
    page.get_by_role("button", name="Skicka e-post nu").click()
    expect(page.get_by_role("status")).to_contain_text("E-posten skickades")
    expect(page.locator("table.table tbody tr").filter(has_text=coming_number)).to_contain_text("Skickat")
    mailed = {message["Subject"]: message for _, message in landlord.mailbox.messages}
    attachment = next(
        p for p in mailed[f"Hyresavi {coming_number} från Bostads AB Mälarporten"].walk() if p.get_filename()
    )
    assert attachment.get_payload(decode=True).startswith(b"%PDF")
    assert tenant_notices(landlord.server.url)[coming_number]["DistribueradTill"][0]["Typ"] == "epost"

    # Bankgirot's file pays next month's notice
    ocr = notices[coming_number]["Betalningsreferens"]
    file = landlord.directory / "bgmax.txt"
    file.write_bytes(bgmax_file([BankIn(ocr, Decimal("6850.00"), 4711, "Anna Andersson")], day=today))
    page.get_by_role("link", name="Betalningar").click()
    page.get_by_label("Fil").set_input_files(str(file))
    page.get_by_role("button", name="Läs in").click()
    expect(page.get_by_role("status")).to_contain_text("Betalfilen lästes in")
    expect(page.get_by_text("Inga betalningar väntar.")).to_be_visible()
    paid = tenant_notices(landlord.server.url)[coming_number]
    assert (paid["InbetaltBelopp"], paid["Restbelopp"], paid["Betalningar"][0]["Betalväg"]) == (
        6850,
        0,
        "Bankgiro Inbetalningar",
    )

    # the late one is reminded, and the reminder goes out too
    page.get_by_role("link", name="Påminnelser").click()
    page.get_by_role("button", name="Skicka påminnelser").click()
    expect(page.get_by_role("status")).to_contain_text("Påminnelserna skapades")
    reminder_row = page.locator("table.table tbody tr").filter(has_text=late_number)
    expect(reminder_row).to_be_visible()
    page.screenshot(path=str(landlord.directory / "paminnelser.png"), full_page=True)
    reminder = next(
        n
        for n in tenant_notices(landlord.server.url).values()
        if n["Typ"]["Beteckning"] == "P"
        and any(late_number in row["Aviseringstext"] for e in n["Reskontror"] for row in e["Rader"])
    )
    assert reminder["Bruttobelopp"] > 0  # late interest (the contract has no reminder fee)
    page.get_by_role("link", name="Utskick").click()
    page.get_by_role("button", name="Skicka e-post nu").click()
    expect(page.locator("table.table tbody tr").filter(has_text=f"Påminnelse {reminder['Avinummer']}")).to_contain_text(
        "Skickat"
    )
    page.get_by_role("link", name="Aviseringar").click()
    expect(page.locator("table.table tbody tr").filter(has_text=coming_number)).to_contain_text("Betald")
    page.screenshot(path=str(landlord.directory / "aviseringar.png"), full_page=True)
    assert re.search(r"Påminnelse", page.content())
    context.close()
