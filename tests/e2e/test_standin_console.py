"""The stand-in console page in real Chromium: connect with the admin token, see the services, add a fault rule,
find a request in the journal and open it, save and restore a snapshot, reset a service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..live import LiveServer, start_live_server

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright (pip)")

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

TOKEN = "console-test-admin-token"
SEED = Path(__file__).parents[2] / "docs" / "stand-in" / "portal.yaml"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def server(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"BODATA_STANDIN_TOKEN": TOKEN, "BODATA_STANDIN_SEED_FILES": str(SEED), "BODATA_SCHEDULER": "false"}
    server = start_live_server(
        database_url=module_database_url, workdir=tmp_path_factory.mktemp("console"), args=("--stand-in",), env=env
    )
    try:
        yield server
    finally:
        server.stop()


def test_the_console_drives_the_controls(server: LiveServer) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{server.url}/_bodata/")
        page.fill("#token", "wrong")
        page.click("#login button")
        expect(page.locator("#message")).to_contain_text("401")
        page.fill("#token", TOKEN)
        page.click("#login button")
        expect(page.locator("#services")).to_contain_text("huslejeregister")
        # a fault rule from the form, then a request it answers, found in the journal and opened
        page.select_option("#fault-service", "portal")
        page.fill("#fault-operation", "GET /portal/session*")
        page.fill("#fault-times", "1")
        page.click("#fault button")
        expect(page.locator("#faults")).to_contain_text("GET /portal/session*")
        assert httpx.get(f"{server.url}/portal/session", timeout=30).status_code == 503
        page.select_option("#journal-service", "portal")
        page.fill("#journal-status", "503")
        page.click("#journal-filter button:text('Filter')")
        row = page.locator("#journal tr.entry").first
        expect(row).to_contain_text("GET /portal/session")
        row.click()
        expect(page.locator("#entry")).to_contain_text('"fault_rule": 1')
        # a snapshot saved, listed and restored; a service reset
        page.fill("#snapshot-name", "from-the-console")
        page.click("#snapshot button")
        expect(page.locator("#snapshots")).to_contain_text("from-the-console")
        page.locator("#snapshots tr", has_text="from-the-console").locator("button:text('Restore')").click()
        expect(page.locator("#message")).to_have_text("restored from-the-console")
        page.locator("#services tr", has_text="portal").locator("button:text('Reset')").click()
        expect(page.locator("#message")).to_have_text("reset portal")
        browser.close()
