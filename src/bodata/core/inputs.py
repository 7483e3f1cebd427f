"""Input at the boundary: integer ids and bounded integers within their column's range, and clean text.

Every id column is an ``Integer``: 2^31-1 is the largest value PostgreSQL stores in one (SQLite's 2^63-1 is
larger), so an id beyond it names no record. A route declares its ids with ``record_id`` and answers an id out of
range as it answers an unknown id (404, in its own format) instead of letting the database driver fail (500).
Text is clean when it holds no NUL (PostgreSQL cannot store one) and no control characters (newlines and tabs
only where a field allows several lines).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field

ID_MAX = 2**31 - 1
"""The largest value of an ``Integer`` column on every supported database (PostgreSQL INTEGER)."""
INTEGER_MIN = -(2**31)
ColumnInt = Annotated[int, Field(ge=INTEGER_MIN, le=ID_MAX)]
"""A value for an ``Integer`` column (a filter, a count): beyond the range the request is invalid, not a 500."""
OFFSET_MAX = 2**63 - 1
"""The largest ``LIMIT``/``OFFSET`` both databases take (a 64-bit integer)."""
_LINE_BREAKS = frozenset("\n\r\t")


def id_in_range(value: int) -> bool:
    """True when ``value`` can be the id of a stored record (1 to ``ID_MAX``)."""
    return 1 <= value <= ID_MAX


def record_id(not_found: Callable[[int], Exception]) -> Any:
    """A path or query id: an ``int`` whose out-of-range values raise ``not_found(value)`` (the service's 404).

    Use as a type: ``AddressId = record_id(lambda value: ApiError(404, ...))``; ``def get(address_id: AddressId)``.
    """

    def check(value: int) -> int:
        if not id_in_range(value):
            raise not_found(value)
        return value

    return Annotated[int, AfterValidator(check)]


def is_clean_text(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds no NUL and no control characters (line breaks and tabs only if ``multiline``)."""
    return not any(
        unicodedata.category(char) in ("Cc", "Cs") and not (multiline and char in _LINE_BREAKS) for char in value
    )


def text_problem(value: str, *, multiline: bool = False, required: bool = True) -> str | None:
    """Why ``value`` cannot be stored as text (``"control"`` or ``"blank"``), or None when it can."""
    if not is_clean_text(value, multiline=multiline):
        return "control"
    if required and not value.strip():
        return "blank"
    return None
