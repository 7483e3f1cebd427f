"""The request journal: the last N requests and responses of each service, credentials redacted, as JSON or HAR.

An entry keeps what an integrator needs to see what their client really sent and got: the operation (a SOAP
operation name, or the method and route pattern), the status, the outcome the interface reported (the rent
register's validation numbers, a SOAP faultcode, a Lantmäteriet Fault code, a Felmeddelande's code) and timings.
Bodies are kept up to ``MAX_BODY`` bytes. Passwords, tokens, keys and session keys never enter it.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from bodata.core.metrics import JOURNAL_ENTRIES
from bodata.core.middleware import REDACTED

MAX_BODY = 64 * 1024
SECRET_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "x-api-key", "apinyckel", "sessionsnyckel", "x-bodata-token"}
)
_SECRET_NAME = re.compile(r"(?i)pass|secret|token|nyckel|key|losen|lösen|pin|cookie|credential")
_XML_SECRET = re.compile(r"(<(?:[\w-]+:)?(?:Password|Nonce|BinarySecurityToken)\b[^>]*>)[^<]*(</)", re.IGNORECASE)
_JSON_SECRET = re.compile(r'("[^"]*(?:pass|secret|token|nyckel|key|losen|lösen)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"', re.I)
_RESULT_CODE = re.compile(rb"<(?:[\w-]+:)?ResultatKode>\s*(\d+)\s*<")
_FAULT_CODE = re.compile(rb"<faultcode>\s*([^<]+?)\s*</faultcode>")


@dataclass
class Entry:
    """One request and its response as the journal keeps them."""

    id: int
    started: datetime
    service: str
    operation: str
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    caller: str | None
    request_headers: list[tuple[str, str]]
    request_body: str
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: str = ""
    outcome: list[str] = field(default_factory=list)
    fault_rule: int | None = None

    def summary(self) -> dict[str, Any]:
        """The entry without its headers and bodies (for listings)."""
        keep = ("id", "started", "service", "operation", "method", "path", "status", "duration_ms", "caller")
        return {name: getattr(self, name) for name in keep} | {"outcome": self.outcome, "fault_rule": self.fault_rule}

    def full(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    """Bounded per service: the oldest entry of a service goes when its N+1th arrives. Thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: dict[str, deque[Entry]] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def add(self, entry: Entry) -> None:
        with self._lock:
            pool = self._entries.setdefault(entry.service, deque(maxlen=self.size))
            pool.append(entry)
            JOURNAL_ENTRIES.labels(entry.service).set(len(pool))

    def clear(self, service: str | None = None) -> None:
        with self._lock:
            for name in list(self._entries) if service is None else [service]:
                if self._entries.pop(name, None) is not None:
                    JOURNAL_ENTRIES.labels(name).set(0)

    def entries(
        self,
        *,
        service: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Matching entries, newest first; ``operation`` matches a part of it, case-insensitively."""
        with self._lock:
            pools = [self._entries.get(service, ())] if service else list(self._entries.values())
            found = [entry for pool in pools for entry in pool]
        found.sort(key=lambda entry: entry.id, reverse=True)
        if operation:
            found = [entry for entry in found if operation.lower() in entry.operation.lower()]
        if status is not None:
            found = [entry for entry in found if entry.status == status]
        return found[:limit] if limit else found

    def get(self, entry_id: int) -> Entry | None:
        with self._lock:
            return next((e for pool in self._entries.values() for e in pool if e.id == entry_id), None)


def redact_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """Headers as text, credentials replaced by ``***``."""
    shown = []
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        value = REDACTED if name in SECRET_HEADERS else raw_value.decode("latin-1")
        shown.append((name, value))
    return shown


def redact_query(query: str) -> str:
    """A query string with the values of secret-looking parameters replaced."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(name, REDACTED if _SECRET_NAME.search(name) else value) for name, value in pairs])


def redact_body(body: bytes, content_type: str) -> str:
    """A body as text, at most ``MAX_BODY`` bytes, with passwords and tokens in XML, JSON and forms replaced."""
    if "multipart" in content_type or not _is_text(content_type):
        return f"({len(body)} bytes of {content_type or 'unknown type'})" if body else ""
    text = body[:MAX_BODY].decode("utf-8", errors="replace")
    if "xml" in content_type:
        text = _XML_SECRET.sub(rf"\1{REDACTED}\2", text)
    elif "json" in content_type:
        text = _JSON_SECRET.sub(rf'\1"{REDACTED}"', text)
    elif "x-www-form-urlencoded" in content_type:
        text = redact_query(text)
    return text + (f"… ({len(body) - MAX_BODY} more bytes)" if len(body) > MAX_BODY else "")


def _is_text(content_type: str) -> bool:
    textual = ("application/x-www-form-urlencoded", "text/")
    return content_type.startswith(textual) or "json" in content_type or "xml" in content_type


def outcome_of(body: bytes, content_type: str) -> list[str]:
    """What the interface said in its own terms: validation numbers and faultcodes (XML), Fault or Felmeddelande
    codes (JSON)."""
    if "xml" in content_type:
        found = [f"ResultatKode {code.decode()}" for code in _RESULT_CODE.findall(body)]
        return found + [f"faultcode {code.decode()}" for code in _FAULT_CODE.findall(body)]
    if "json" in content_type and body[:1] == b"{":
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return []
        document = document.get("Fel", document) if isinstance(document, dict) else document
        if isinstance(document, dict):
            for key in ("Felkod", "code", "error", "type"):
                if key in document and not isinstance(document[key], (dict, list)):
                    return [f"{key} {document[key]}"]
    return []


def har(entries: list[Entry]) -> dict[str, Any]:
    """The entries as a HAR 1.2 log (oldest first), for browser dev tools and HAR viewers."""
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "bodata stand-in journal", "version": "1"},
            "entries": [_har_entry(entry) for entry in sorted(entries, key=lambda entry: entry.id)],
        }
    }


def _har_entry(entry: Entry) -> dict[str, Any]:
    def headers(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in pairs]

    def content_type(pairs: list[tuple[str, str]]) -> str:
        return next((value for name, value in pairs if name == "content-type"), "")

    host = next((value for name, value in entry.request_headers if name == "host"), "localhost")
    request: dict[str, Any] = {
        "method": entry.method,
        "url": f"http://{host}{entry.path}" + (f"?{entry.query}" if entry.query else ""),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers(entry.request_headers),
        "queryString": [{"name": n, "value": v} for n, v in parse_qsl(entry.query, keep_blank_values=True)],
        "headersSize": -1,
        "bodySize": len(entry.request_body.encode()),
    }
    if entry.request_body:
        request["postData"] = {"mimeType": content_type(entry.request_headers), "text": entry.request_body}
    return {
        "startedDateTime": entry.started.isoformat(),
        "time": entry.duration_ms,
        "request": request,
        "response": {
            "status": entry.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(entry.response_headers),
            "content": {
                "size": len(entry.response_body.encode()),
                "mimeType": content_type(entry.response_headers),
                "text": entry.response_body,
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(entry.response_body.encode()),
        },
        "cache": {},
        "timings": {"send": 0, "wait": entry.duration_ms, "receive": 0},
        "comment": f"{entry.service} {entry.operation}" + (f" ({'; '.join(entry.outcome)})" if entry.outcome else ""),
        "_bodata": {"service": entry.service, "operation": entry.operation, "outcome": entry.outcome},
    }
