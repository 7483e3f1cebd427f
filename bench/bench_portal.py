"""The tenant portal: ``GET /session`` with every flag for a customer with ten years of notices, and notice PDFs.

The portal's test world (``tests/portal/fixtures.py``) is built into a SQLite file, the tenant Anna gets ten years of
monthly rent notices (``demo.add_invoice_history``) and a few fault reports with images, and ``bodata serve`` runs
on it; requests go over one keep-alive httpx connection. Baselines measured in the same run, in alternating rounds:
``GET /health`` for the HTTP requests, a one-line reportlab PDF for the notice PDFs. The SQL statements of one
``GET /session`` are counted in-process (an engine event) at 12 and at 120 notices: they must be equal.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import httpx
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload
from tests.portal.fixtures import API_KEY, PASSWORD, World, make_world
from tests.portal.test_session_view import ALL_FLAGS, add_case

from bench.live import alternating_us, serve
from bench.report import Measurement, report, time_operation
from bodata.app import create_app
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.portal.demo import add_invoice_history
from bodata.portal.models import Company, Customer, Invoice, LedgerEntry
from bodata.portal.pdf import render_invoice
from bodata.portal.service_entry import SERVICE

CASES = 4
"""Fault reports added to the world's one (each with a row, history and an image)."""


def build_world(path: Path, *, notices: int) -> tuple[Database, World]:
    """The test world in a new SQLite file, Anna with ``notices`` monthly notices in all and ``CASES`` more cases."""
    database = Database.from_settings(Settings(database_url=f"sqlite:///{path}", secret_key="bench"))
    upgrade(database.engine)
    now = datetime.now(UTC)
    with database.transaction() as session:
        world = make_world(session, now)
    with database.transaction() as session:
        last_due = date(now.year, now.month, 1) - timedelta(days=1)
        add_invoice_history(
            session,
            customer_id=world.anna,
            contract_id=world.anna_contract,
            node_id=world.flat1,
            company=session.get_one(Company, world.company),
            months=notices - 1,
            last_due=last_due,
            random=Random(42),
        )
        for number in range(CASES):
            add_case(session, customer_id=world.anna, node_path=[world.flat1, world.kitchen1], number=f"B-{number}")
    return database, world


def statements_per_session(database: Database) -> int:
    """SQL statements of one in-process ``GET /session`` with every flag (after a warm-up request)."""
    client = TestClient(create_app(Settings(secret_key="bench"), services=[SERVICE], database=database))
    login = client.post(
        "/portal/session/login", json={"Användarnamn": "anna", "Lösenord": PASSWORD}, params={"ApiNyckel": API_KEY}
    )
    params = {"Sessionsnyckel": login.json()["Sessionsnyckel"], "ApiNyckel": API_KEY, **ALL_FLAGS}
    assert client.get("/portal/session", params=params).status_code == 200
    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        assert client.get("/portal/session", params=params).status_code == 200
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return len(statements)


def one_line_pdf() -> bytes:
    """The baseline: a one-page PDF with one line of text, straight from reportlab."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.drawString(72, 760, "Hyresavi 9213210, att betala 7 900,00 kr")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_timings(database: Database, world: World, repeat: int) -> dict[str, float]:
    """Mean µs of rendering Anna's newest notice with ``render_invoice``, and of the one-line baseline."""
    with database.transaction() as session:
        invoice = session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == world.anna)
            .order_by(Invoice.forfallodag.desc())
            .options(
                selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.rows),
                selectinload(Invoice.ledger_entries).selectinload(LedgerEntry.node),
                selectinload(Invoice.payments),
                selectinload(Invoice.distributions),
            )
        ).first()
        assert invoice is not None
        company = session.get_one(Company, world.company)
        customer = session.get_one(Customer, world.anna)
        objects = {entry.node.id: entry.node for entry in invoice.ledger_entries if entry.node is not None}

        def notice() -> bytes:
            return render_invoice(company=company, customer=customer, invoice=invoice, objects=objects)

        assert notice().startswith(b"%PDF")
        return {
            "one-line reportlab PDF (baseline)": time_operation(one_line_pdf, repeat=repeat),
            "render_invoice (a rent notice)": time_operation(notice, repeat=repeat),
        }


def _login(client: httpx.Client) -> str:
    login = client.post(
        "/portal/session/login", json={"Användarnamn": "anna", "Lösenord": PASSWORD}, params={"ApiNyckel": API_KEY}
    )
    return login.json()["Sessionsnyckel"]


def _getter(client: httpx.Client, path: str, **params: str) -> Callable[[], bytes]:
    def call() -> bytes:
        response = client.get(path, params={"ApiNyckel": API_KEY, **params})
        assert response.status_code == 200, response.text
        return response.content

    return call


def http_timings(url: str, uncached_url: str, world: World, repeat: int) -> tuple[dict[str, float], int]:
    """Median µs of ``/health``, ``GET /session`` (every flag, answered from the session-view cache and, on a second
    server with the cache off, read afresh every time; no flag) and the E3 notice PDF; also the size of the
    every-flag answer."""
    with httpx.Client(base_url=url, timeout=60) as client, httpx.Client(base_url=uncached_url, timeout=60) as cold:
        key, cold_key = _login(client), _login(cold)

        def get(path: str, **params: str) -> Callable[[], bytes]:
            return _getter(client, path, **params)

        operations = {
            "GET /health": get("/health"),
            "GET /session, every flag (cached)": get(f"/portal/session/{key}", **ALL_FLAGS),
            "GET /session, every flag (cache off)": _getter(cold, f"/portal/session/{cold_key}", **ALL_FLAGS),
            "GET /session, no flag (Kund, TillgängligaObjekt)": get(f"/portal/session/{key}"),
        }
        size = len(operations["GET /session, every flag (cached)"]())
        pdf_path = f"/portal/session/{key}/kund/ekonomi/avisering/{world.anna_invoice}"
        if client.get(pdf_path, params={"ApiNyckel": API_KEY}).status_code == 200:
            operations["GET E3 notice PDF"] = get(pdf_path)
        timings = alternating_us(list(operations.values()), repeat)
        return dict(zip(operations, timings, strict=True)), size


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=120, help="monthly notices of the measured customer")
    parser.add_argument("--few", type=int, default=12, help="notices of the customer to compare statements with")
    parser.add_argument("--repeat", type=int, default=300, help="requests per HTTP measurement")
    parser.add_argument("--pdfs", type=int, default=40, help="PDFs per timing round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        few_database, _ = build_world(workdir / "few.db", notices=args.few)
        statements_few = statements_per_session(few_database)
        few_database.dispose()
        database, world = build_world(workdir / "portal.db", notices=args.notices)
        statements_many = statements_per_session(database)
        pdfs = pdf_timings(database, world, args.pdfs)
        database.dispose()
        server, url = serve(workdir / "portal.db", workdir)
        uncached, uncached_url = serve(workdir / "portal.db", workdir, {"BODATA_PORTAL_SESSION_CACHE_ENTRIES": "0"})
        try:
            requests, size = http_timings(url, uncached_url, world, args.repeat)
        finally:
            for process in (server, uncached):
                process.terminate()
                process.wait(timeout=30)
    health = requests["GET /health"]
    rows = [Measurement(name, mean, 1e6 / mean, mean / health) for name, mean in requests.items()]
    baseline = pdfs["one-line reportlab PDF (baseline)"]
    rows += [Measurement(f"PDF: {name}", mean, 1e6 / mean, mean / baseline) for name, mean in pdfs.items()]
    goals = {
        f"GET /session every flag, {args.notices} notices: requests/s ÷ /health (goal ≥ 0.25)": health
        / requests["GET /session, every flag (cached)"],
        "the same with the session-view cache off: requests/s ÷ /health": health
        / requests["GET /session, every flag (cache off)"],
        f"SQL statements per GET /session at {args.notices} ÷ at {args.few} notices (goal = 1)": statements_many
        / statements_few,
    }
    rows += [Measurement(name, float("nan"), float("nan"), value) for name, value in goals.items()]
    context = {
        "notices": args.notices,
        "cases": CASES + 1,
        "session_json_bytes": size,
        "sql_statements_per_session": {str(args.few): statements_few, str(args.notices): statements_many},
        "goals": goals,
    }
    print(
        f"GET /session with every flag: {size / 1000:,.0f} kB of JSON; SQL statements per request: "
        f"{statements_few} at {args.few} notices, {statements_many} at {args.notices}"
    )
    return report(
        "Tenant portal (HTTP: median latency, ratios to /health; PDF: mean, ratio to a one-line PDF)",
        rows,
        filename="portal.json",
        context=context,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
