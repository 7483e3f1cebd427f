"""Value types the back office's schemas share: bounded text, money, quantities, Swedish local times, base64 bytes
and record ids."""

import base64
import binascii
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema

from bodata.core.inputs import text_problem
from bodata.core.timezones import SWEDISH_TIME
from bodata.portal.customers import local_now
from bodata.portal.shapes import amount


def text(max_length: int, *, required: bool = False, multiline: bool = True) -> Any:
    """A string type no longer than its column, without NUL or control characters (line breaks and tabs unless
    ``multiline`` is off); ``required``: not empty and not only blanks either (core/inputs.py)."""

    def clean(value: str) -> str:
        problem = text_problem(value, multiline=multiline, required=required)
        if problem == "control":
            raise ValueError("NUL and control characters are not allowed" + ("" if multiline else ", nor line breaks"))
        if problem == "blank":
            raise ValueError("must not be blank")
        return value

    constraints = StringConstraints(min_length=1 if required else 0, max_length=max_length)
    return Annotated[str, constraints, AfterValidator(clean)]


def _swedish_time(value: datetime) -> datetime:
    return local_now(value) if value.tzinfo is not None else value


def _base64(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("not valid base64") from None


Amount = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2),
    PlainSerializer(amount, return_type=int | float, when_used="json"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
"""Money (kronor with öre), shown as a JSON number."""


Quantity = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=3),
    PlainSerializer(amount, return_type=int | float, when_used="json"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
"""A metered quantity or unit price (three decimals), shown as a JSON number."""


def _with_offset(value: datetime) -> datetime:
    return value.replace(tzinfo=SWEDISH_TIME) if value.tzinfo is None else value


LocalDateTime = Annotated[
    datetime, AfterValidator(_swedish_time), PlainSerializer(_with_offset, return_type=datetime, when_used="json")
]
"""A Swedish local date-time (``2026-11-01T09:30:00``); a value with an offset is converted to Swedish time.
Shown with its offset (``2026-11-01T09:30:00+01:00``), as the OpenAPI ``date-time`` format requires."""


Base64Data = Annotated[bytes, BeforeValidator(_base64), WithJsonSchema({"type": "string", "contentEncoding": "base64"})]
"""Bytes sent inside JSON, base64-encoded."""


Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A record id."""


def ascii_folded(value: str) -> str:
    """The reference-name form of a display name: ``Underhåll`` → ``Underhall``."""
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").replace(" ", "")
