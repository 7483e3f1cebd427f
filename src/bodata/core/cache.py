"""In-memory caches kept true by data generations (core/db/generations.py), and HTTP validators (ETag).

What a process remembers here is keyed by what makes it true (a row's version, a generation), so a change in the
database makes old entries unreachable rather than stale: nothing is ever served from a superseded version.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from bodata.core.db import generations

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """A bounded, thread-safe LRU map."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value for ``key``, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V, *, limit: int | None = None) -> None:
        """Remember a value; the least recently used go when more than ``limit`` are kept (0: none)."""
        limit = self.limit if limit is None else limit
        with self._lock:
            if limit > 0:
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > limit:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


G = TypeVar("G")
NEVER = datetime.max.replace(tzinfo=UTC)
"""The expiry of what does not expire by time (a verified password)."""


class CredentialCache(Generic[G]):
    """Credentials already checked (bearer tokens, verified passwords) with what they grant, valid while a data
    generation stands.

    Each use reads the generation (one primary-key lookup) in the caller's transaction: a revocation, a changed
    password or scope, a counted failure (whatever the generation watches) moves it on, and every process drops its
    entries at its next request; expiry is checked against ``now`` at every use. Refusals are never remembered, so
    a token issued a moment ago is found. Entries are keyed by a keyed hash with a per-process salt: the secrets
    themselves are not kept, and a memory dump gives nothing to guess passwords from.
    """

    def __init__(self, generation: str, *, limit: int = 4096) -> None:
        self.generation = generation
        self._entries: LruCache[bytes, tuple[G, datetime]] = LruCache(limit)
        self._salt = secrets.token_bytes(32)
        self._seen = -1
        self._lock = threading.Lock()

    def lookup(
        self,
        session: Session,
        secret: str,
        *,
        now: datetime,
        load: Callable[[Session], tuple[G, datetime] | None],
        generation: int | None = None,
    ) -> G | None:
        """What ``secret`` grants now, or None (unknown, wrong, revoked or expired); ``load`` checks it against
        the database when it is not remembered and returns the grant and its expiry. ``generation``: the cache's
        generation when the caller has read it in this transaction already (``generations.value_of``)."""
        if generation is None:
            generation = generations.current(session, self.generation)
        with self._lock:
            if generation != self._seen:
                self._entries.clear()
                self._seen = generation
        key = hmac.digest(self._salt, secret.encode("utf-8", "surrogatepass"), "sha256")
        found = self._entries.get(key)
        if found is None:
            found = load(session)
            if found is None:
                return None
            with self._lock:
                if generation == self._seen:
                    self._entries.put(key, found)
        grant, expires_at = found
        return grant if expires_at > now else None


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2 weak comparison of an If-None-Match list against the current ETag."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag.removeprefix("W/") in tags or "*" in tags
