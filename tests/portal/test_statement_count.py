"""``GET /session`` with every flag runs the same number of SQL statements however much the customer has."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bodata.portal.models import (
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CustomerAddress,
    Document,
    FileType,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Notification,
    NotificationAttachment,
    NotificationChannel,
)

from .conftest import NOW, Portal
from .fixtures import World
from .test_session_view import ALL_FLAGS, add_case, add_invoice, stored_file


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` sends to the database inside the block."""
    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _add(session: Session, world: World, *, invoices: int, cases: int, first: int) -> None:
    """``invoices`` monthly notices (rows, payment, distribution) and ``cases`` fault reports (two rows each, with
    history and images) for Anna, plus a reading, a maintenance item, a message, a document and a temporary
    address for every five notices."""
    for number in range(first, first + invoices):
        due = date(2026, 10, 31) - timedelta(days=30 * number)
        add_invoice(
            session,
            customer_id=world.anna,
            contract_id=world.anna_contract,
            node_id=world.flat1,
            number=f"S{number}",
            due=due,
            kind="Faktura" if number % 4 == 0 else "Avi",
        )
    for number in range(first, first + cases):
        case = add_case(session, customer_id=world.anna, node_path=[world.flat1, world.bathroom1], number=f"S-{number}")
        row = CaseRow(case_id=case.id, node_path=f"n{world.flat1}-n{world.kitchen1}", beskrivning="Spisen")
        session.add(row)
        session.flush()
        image = stored_file(session, b"\x89PNG" + bytes([number % 256]) * 20, mime_type="image/png", extension=".png")
        session.add_all(
            [
                CaseRowHistory(case_row_id=row.id, beteckning="Hos handläggare", tidpunkt=case.inkommen, anvandare="K"),
                CaseRowMedia(case_row_id=row.id, file_id=image.id),
            ]
        )
    installation = MeterInstallation(node_id=world.flat1, anvandning="Vatten", beteckning=f"Vatten {first}")
    file_type = FileType(beteckning=f"Typ {first}", ordning=first)
    session.add_all([installation, file_type])
    session.flush()
    meter = Meter(installation_id=installation.id, anvandning="Varmvatten", beteckning="Kök", enhet="m3")
    session.add(meter)
    session.flush()
    attachment = stored_file(session, b"bilaga", mime_type="image/jpeg", extension=".jpeg")
    for number in range(first, first + max(1, invoices // 5)):
        day = date(2026, 10, 31) - timedelta(days=30 * number)
        notification = Notification(customer_id=world.anna, created_at=NOW - timedelta(days=number))
        session.add(notification)
        session.flush()
        session.add_all(
            [
                MeterReading(
                    meter_id=meter.id,
                    datum=day,
                    tom=day,
                    forbrukning=Decimal("1.1"),
                    matarstallning=Decimal(number),
                    kostnad=Decimal("53"),
                    avlast_tid=datetime.combine(day, datetime.min.time()),
                ),
                MaintenanceItem(node_id=world.flat1, atgard="Bytes", avser=f"Del {number}", planerat=day),
                NotificationChannel(
                    notification_id=notification.id,
                    kanal_system_name="Nyhet",
                    kanal_beteckning="Utsida nyhet",
                    klar_utc=datetime(2026, 11, 1, tzinfo=UTC),
                    amne=f"Nyhet {number}",
                    brodtext="Text",
                ),
                NotificationAttachment(
                    notification_id=notification.id, externt_id=number, externt_namn="a.jpg", file_id=attachment.id
                ),
                Document(
                    customer_id=world.anna, node_id=world.flat1, file_type_id=file_type.id, beteckning=f"D{number}"
                ),
                CustomerAddress(customer_id=world.anna, kind="tillfallig", gatuadress1=f"Väg {number}", fom=day),
            ]
        )


def _sizes(result: dict[str, Any]) -> dict[str, int]:
    kund, (flat, *_laundry) = result["Kund"], result["TillgängligaObjekt"]
    return {
        "Aviseringar": len(kund["Ekonomi"]["Aviseringar"]),
        "Ärenden": len(result["Ärenden"]),
        "Rader": sum(len(case["Rader"]) for case in result["Ärenden"]),
        "Media": sum(len(row["Media"]) for case in result["Ärenden"] for row in case["Rader"]),
        "Mätdata": sum(len(meter["Mätdata"]) for item in flat["MätdataAnläggningar"] for meter in item["Mätare"]),
        "Meddelanden": len(kund["Meddelanden"]),
        "Dokument": len(kund["Dokument"]),
        "ÄrendeRader": len(flat["ÄrendeRader"]),
    }


def _session_with_every_flag(portal: Portal) -> tuple[int, dict[str, int]]:
    with counted_statements(portal.database.engine) as statements:
        response = portal.get("/session", **ALL_FLAGS)
    assert response.status_code == 200, response.text
    return len(statements), _sizes(response.json())


def test_the_statement_count_does_not_grow_with_the_data(portal: Portal) -> None:
    world = portal.world
    with portal.database.transaction() as session:
        _add(session, world, invoices=11, cases=1, first=1)
    small_count, small = _session_with_every_flag(portal)
    assert small == {
        "Aviseringar": 12,
        "Ärenden": 2,
        "Rader": 3,
        "Media": 2,
        "Mätdata": 2,
        "Meddelanden": 2,
        "Dokument": 2,
        "ÄrendeRader": 3,
    }

    with portal.database.transaction() as session:
        _add(session, world, invoices=100, cases=20, first=100)
    large_count, large = _session_with_every_flag(portal)
    assert large == {
        "Aviseringar": 112,
        "Ärenden": 22,
        "Rader": 43,
        "Media": 42,
        "Mätdata": 22,
        "Meddelanden": 22,
        "Dokument": 22,
        "ÄrendeRader": 43,
    }
    assert large_count == small_count, f"{small_count} statements at 12 notices, {large_count} at 112"
    assert small_count < 40
