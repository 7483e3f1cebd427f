"""The web UI in a real headless Chromium against ``bodata serve --demo``, in Swedish: log in, add an integration
with the Axema stand-in, run it, read the run report naming the changes and exclusions, open a name board
(screenshot ``board.png`` in the test's tmp_path), edit the integration's password, pause it, delete it keeping its
records; then switch the language to English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bodata.axema_sim import RunningSim, SimState, start_sim
from bodata.boenderegister import service
from bodata.boenderegister.engine import build_view
from bodata.boenderegister.models import Account
from bodata.boenderegister.refid import floor_label
from bodata.boenderegister.sources.axema import AxemaSource
from bodata.core.db import Database, create_database_engine

from ..live import LiveServer, start_live_server

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright (pip)")

# SQLite alone: the pages; PostgreSQL runs the engine in test_sync, test_recovery and e2e/test_demo
pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIM_SEED, SIM_APARTMENTS = 7, 30  # its street names differ from the demo stand-in's (seed 2026)
BOARD_ADDRESS = "Parktorget 2"  # the sim's largest address: 17 apartments over several floors


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axema() -> Iterator[RunningSim]:
    with start_sim(SimState(seed=SIM_SEED, apartments=SIM_APARTMENTS, bad_reference_ratio=0.15)) as sim:
        yield sim


@pytest.fixture
def server(demo_database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = start_live_server(database_url=demo_database_url, workdir=tmp_path, args=("--demo",))
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def excluded_count(axema: RunningSim) -> int:
    """How many groups the engine excludes from the stand-in's data (bad or duplicate Reference IDs)."""
    view = build_view(AxemaSource(axema.url, "demo", "demo").fetch())
    return sum(1 for issue in view.issues if issue.kind == "excluded")


def board_names(database_url: str, address: str) -> list[str]:
    """The names the demo account's board of ``address`` must show, read through the service (in a worker
    thread: Playwright's event loop runs in the test's thread, and no database work may block it)."""

    def read() -> list[str]:
        database = Database(create_database_engine(database_url))
        try:
            with database.transaction() as session:
                account = session.query(Account).filter_by(name="Brf Kvisten").one()
                address_id = next(
                    a.id for a, _ in service.list_addresses(session, account=account) if a.name == address
                )
                board = service.name_board(session, account=account, address_id=address_id)
                return [name for floor in board.floors for apartment in floor.apartments for name in apartment.names]
        finally:
            database.dispose()

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(read).result()


def test_log_in_run_an_integration_and_read_a_name_board(
    page, server: LiveServer, axema: RunningSim, demo_database_url: str, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    base = f"{server.url}/boenderegister"

    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login")
    page.get_by_label("Användarnamn").fill("demo")
    page.get_by_label("Lösenord").fill("wrong")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(f"{base}/addresses")
    expect(page.get_by_role("heading", name="Adresser")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    page.get_by_role("link", name="Integrationer", exact=True).click()
    page.get_by_label("Namn", exact=True).fill("Axema Parktorget")
    page.get_by_label("Axema-systemets adress (URL)").fill(axema.url)
    page.get_by_label("Integrationskontots användarnamn").fill("demo")
    page.get_by_label("Lösenord", exact=True).fill("demo")
    page.get_by_role("button", name="Lägg till Integration").click()
    expect(page.get_by_role("status")).to_contain_text("Integrationen lades till")
    expect(page.get_by_role("heading", name="Axema Parktorget")).to_be_visible()
    expect(page.get_by_text("sparat krypterat").first).to_be_visible()

    page.get_by_role("button", name="Kör nu").click()
    expect(page).to_have_url(re.compile(r".*/boenderegister/runs/\d+$"))
    expect(page.locator(".page-head .status")).to_have_text("Lyckades")
    excluded = page.locator("table.issues").first
    expect(excluded.locator("tbody tr")).to_have_count(excluded_count(axema))
    expect(excluded).to_contain_text("Referens ID")
    expect(page.locator("table.counts tbody")).to_contain_text("Boende")
    created = page.locator(".records-created")
    expect(created).to_contain_text(BOARD_ADDRESS)  # the report names the records it created
    expect(created).to_contain_text(f"{BOARD_ADDRESS}, ")

    page.get_by_role("link", name="Axema Parktorget").click()
    expect(page.locator("table.runs tbody tr")).to_have_count(1)
    expect(page.locator("table.runs tbody tr").first).to_contain_text("Manuell")

    page.get_by_role("link", name="Adresser", exact=True).click()
    page.get_by_role("link", name=BOARD_ADDRESS, exact=True).click()
    expect(page.get_by_role("heading", name=BOARD_ADDRESS)).to_contain_text("från integration")
    expect(page.get_by_role("button", name="Ta bort adressen")).to_have_count(0)
    page.get_by_role("link", name="Namntavla").click()
    board = page.locator(".board")
    expect(board).to_be_visible()
    expect(board.locator(".board-title")).to_have_text(BOARD_ADDRESS)
    names = board_names(demo_database_url, BOARD_ADDRESS)
    assert len(names) > 10
    for name in names:
        expect(board.get_by_text(name, exact=True).first).to_be_visible()
    floors = board.locator(".board-floor").evaluate_all("sections => sections.map(s => s.dataset.floor)")
    assert floors == sorted(floors, reverse=True)  # top floor first
    assert len(floors) >= 3
    labels = board.locator(".board-floor-label").all_inner_texts()
    assert [label.upper() for label in labels] == [floor_label(code).upper() for code in floors]
    background = board.evaluate("element => getComputedStyle(element).backgroundColor")
    color = board.evaluate("element => getComputedStyle(element).color")
    assert color == "rgb(244, 242, 234)"  # white letters …
    assert "gradient" in board.evaluate("element => getComputedStyle(element).backgroundImage")  # … on black felt
    assert background in ("rgba(0, 0, 0, 0)", "rgb(0, 0, 0)") or background.startswith("rgb(")
    screenshot = tmp_path / "board.png"
    page.locator(".board-frame").screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000

    page.get_by_role("link", name="Integrationer", exact=True).click()
    page.get_by_role("link", name="Axema Parktorget").click()
    page.get_by_label("Nytt lösenord").fill("nytt-lösen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Integrationens inställningar sparades")
    expect(page.locator("table.audit")).to_contain_text("lösenord ändrat")
    page.get_by_role("button", name="Pausa").click()
    expect(page.get_by_role("status")).to_contain_text("Integrationen är pausad")
    expect(page.get_by_role("button", name="Kör nu")).to_have_count(0)
    page.get_by_label("Behåll dem, som om de var inlagda för hand").check()
    page.get_by_role("button", name="Ta bort integrationen").click()
    expect(page.get_by_role("status")).to_contain_text("Dess poster behölls")
    expect(page.get_by_role("link", name="Axema Parktorget")).to_have_count(0)
    page.get_by_role("link", name="Adresser", exact=True).click()
    page.get_by_role("link", name=BOARD_ADDRESS, exact=True).click()
    expect(page.get_by_role("button", name="Ta bort adressen")).to_be_visible()  # typed in by hand now

    page.get_by_role("link", name="English").click()  # the choice outlives the session: a cookie
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Delete address")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{base}/login")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(f"{base}/addresses")
    expect(page).to_have_url(f"{base}/login")
