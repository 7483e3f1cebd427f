"""The small JSON building blocks every portal answer shares: dates, amounts, node references, addresses.

Formats follow portal.md §5.6 and A-21: dates as ``YYYY-MM-DD``, local date-times (Swedish time, no offset) as
``YYYY-MM-DDTHH:MM:SS``, ``…Utc`` fields with ``Z``, amounts as JSON numbers, bytes as base64. Node ids carry the
prefix of their kind (``n`` node, ``nk`` node class). The structures the capture references but does not define
(``Adress``, ``Hyresobjekt``, ``KontaktuppgiftsTyp``, ``Felmeddelande``) are built here only (A-5, A-5b), so they
can be replaced in one place if their definitions turn up.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.models import Node

NODE_PREFIX = "n"
NODE_CLASS_PREFIX = "nk"

Json = dict[str, Any]


def day(value: date | datetime | None) -> str | None:
    """A date as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def moment(value: datetime | None) -> str | None:
    """A local date-time as ``YYYY-MM-DDTHH:MM:SS`` (Swedish time, no offset)."""
    return None if value is None else value.replace(tzinfo=None, microsecond=0).isoformat()


def offset_moment(value: str | None) -> str | None:
    """A stored date-time with Swedish time's UTC offset, as the examples of ``Skapad`` show it
    (``1997-07-16T19:20:30+01:00``): a value without an offset is Swedish local time; a date alone stays a date."""
    if value is None or len(value) <= len("YYYY-MM-DD"):
        return value
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SWEDISH_TIME)
    return parsed.astimezone(SWEDISH_TIME).isoformat(timespec="seconds")


def utc_moment(value: datetime | None) -> str | None:
    """A UTC date-time as ``YYYY-MM-DDTHH:MM:SS.fffZ`` (the ``…Utc`` fields)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def amount(value: Decimal | None) -> float | int | None:
    """A decimal as a JSON number: an integer when it has no fraction (``7900``), else a float (``13.432``)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def blob(data: bytes | None) -> str | None:
    """Bytes inside JSON: base64 (A-23)."""
    return None if data is None else base64.b64encode(data).decode("ascii")


def node_ref(node_id: int) -> str:
    """The id a tenant sees for a node: ``n245612``."""
    return f"{NODE_PREFIX}{node_id}"


def node_part(node: Node, *, aliases: bool) -> Json:
    """An ÄrendeNodstigdel for a node; with ``aliases`` also the example's ``Avser`` key (A-3)."""
    part: Json = {"Id": node_ref(node.id), "Typ": "Nod", "Visningstext": node.visningstext}
    if aliases:
        part["Avser"] = part["Id"]
    return part


def address(node: Node | None) -> Json | None:
    """The ``Adress`` structure (A-5b, invented): the address fields this capture uses elsewhere."""
    if node is None or node.gatuadress1 is None:
        return None
    return {
        "Gatuadress1": node.gatuadress1,
        "Gatuadress2": node.gatuadress2,
        "Postnummer": node.postnummer,
        "Postort": node.postort,
        "Land": country_name(node.land),
    }


COUNTRIES = {
    "SE": "Sverige",
    "NO": "Norge",
    "DK": "Danmark",
    "FI": "Finland",
    "IS": "Island",
    "DE": "Tyskland",
    "GB": "Storbritannien",
    "PL": "Polen",
    "ES": "Spanien",
    "FR": "Frankrike",
    "US": "USA",
}
"""Country codes (ISO 3166-1 alpha-2) the portal accepts, with the Swedish names PM5 shows (``Land``)."""


def country_name(code: str | None) -> str | None:
    """The display name of a country code (``SE`` → ``Sverige``)."""
    if code is None:
        return None
    return COUNTRIES.get(code.upper(), code)


def felmeddelande(code: str, message: str, details: list[str] | None = None) -> Json:
    """A Felmeddelande (A-5, invented shape): a stable code, a Swedish message, and the problems one by one."""
    return {"Felkod": code, "Meddelande": message, "Detaljer": list(details or [])}
