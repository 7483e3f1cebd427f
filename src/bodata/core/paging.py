"""Cursor paging of lists sorted in Python (e.g. in Swedish order, which the databases cannot all do).

A cursor is the opaque, URL-safe encoding of the last item's sort values; the next page holds the items that sort
after it, so a page never repeats or skips an item when records are added or removed between requests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
MAX_LIMIT = 1000  # the most items an API page may hold


class InvalidCursor(ValueError):
    """The cursor was not made by this server (or the list's order has changed)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError as exc:
        raise InvalidCursor("the cursor is not valid; start again without one") from exc
    if not isinstance(values, list):
        raise InvalidCursor("the cursor is not valid; start again without one")
    return values


def paginate(
    items: Sequence[T],
    *,
    values: Callable[[T], Sequence[Any]],
    order: Callable[[Sequence[Any]], Any],
    cursor: str | None,
    limit: int,
) -> Page[T]:
    """Sort ``items`` by ``order(values(item))``, keep those after ``cursor``, and cut ``limit`` of them."""
    if limit < 1:
        raise InvalidCursor("limit must be at least 1")
    keyed = sorted(((order(values(item)), item) for item in items), key=lambda pair: pair[0])
    if cursor is not None:
        after = order(decode_cursor(cursor))
        try:
            keyed = [pair for pair in keyed if pair[0] > after]
        except TypeError as exc:
            raise InvalidCursor("the cursor is not valid; start again without one") from exc
    page = [item for _, item in keyed[:limit]]
    more = len(keyed) > limit
    return Page(items=page, next_cursor=encode_cursor(values(page[-1])) if more and page else None)
