"""Fault injection: rules matched by service, operation and caller that answer with an error or add latency.

``operation`` is a SOAP operation name (``LejekontraktOpret``) or a method and a path pattern
(``GET /portal/session/*``, ``* /distribution/produkter/inskrivning/v3/beror/*``); ``*`` matches anything,
including ``/``. An error is rendered by the service's own error renderer (a SOAP Fault, a Lantmäteriet Fault, a
Felmeddelande, problem+json), or sent raw (``body`` and ``content_type``). A rule may only add latency, fire with a
probability and stop after ``times`` firings.
"""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
from dataclasses import asdict, dataclass, replace
from typing import Any

from pydantic import BaseModel, Field, model_validator

DEFAULT_MESSAGES = {
    "huslejeregister": "Fejl indsat af bodata (stand-in).",
    "portal": "Fel injicerat av bodata (stand-in).",
    "inskrivning": "Fel injicerat av bodata (stand-in).",
}
"""The text of an injected error without a message of its own, in the interface's language (else English)."""


def default_message(service: str) -> str:
    return DEFAULT_MESSAGES.get(service, "Fault injected by bodata (stand-in).")


class FaultRuleIn(BaseModel):
    """A rule to add (the API's body)."""

    service: str = Field(description="The service's name, e.g. portal, huslejeregister, inskrivning, axema-sim.")
    operation: str = Field(
        "*", description="A SOAP operation name, or 'METHOD /path/pattern' with * wildcards; '*' is every operation."
    )
    caller: str | None = Field(
        None, description="Only requests of this caller: HTTP Basic or WS-Security user name, or client address."
    )
    status: int | None = Field(None, ge=100, le=599, description="Answer with this status; none: only add latency.")
    code: str | None = Field(None, max_length=100, description="The error code in the interface's error format.")
    message: str | None = Field(
        None, max_length=2000, description="The error text; none: a default in the interface's language."
    )
    body: str | None = Field(None, max_length=1_000_000, description="A raw body to answer with, as is.")
    content_type: str = Field("text/plain; charset=utf-8", max_length=200)
    latency_ms: int = Field(0, ge=0, le=300_000, description="Wait this long before answering.")
    probability: float = Field(1.0, ge=0, le=1, description="The share of matching requests the rule fires on.")
    times: int | None = Field(None, ge=1, description="Fire this many times, then remove the rule.")

    @model_validator(mode="after")
    def _does_something(self) -> FaultRuleIn:
        if self.status is None and not self.latency_ms:
            raise ValueError("a rule needs a status, a latency or both")
        if self.body is not None and self.status is None:
            raise ValueError("a raw body needs a status")
        return self


@dataclass(frozen=True)
class FaultRule:
    """A rule in force: its id, what it matches and what it does, and how often it has fired."""

    id: int
    service: str
    operation: str
    caller: str | None
    status: int | None
    code: str | None
    message: str | None
    body: str | None
    content_type: str
    latency_ms: int
    probability: float
    times: int | None
    fired: int = 0

    def matches(self, *, service: str, method: str, path: str, soap_operation: str | None, caller: str | None) -> bool:
        if self.service not in (service, "*") or (self.caller is not None and self.caller != caller):
            return False
        if self.operation == "*":
            return True
        if " " not in self.operation:
            return soap_operation is not None and self.operation == soap_operation
        want_method, _, pattern = self.operation.partition(" ")
        return want_method.upper() in ("*", method) and fnmatch.fnmatchcase(path, pattern.strip())

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """The rules in force, in the order added; the first rule that matches and fires decides. Thread-safe."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._random = rng or random.Random()  # noqa: S311  (fault probability, not security)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def add(self, rule: FaultRuleIn) -> FaultRule:
        with self._lock:
            added = FaultRule(id=next(self._ids), **rule.model_dump())
            self._rules.append(added)
            return added

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed, self._rules = len(kept) != len(self._rules), kept
            return removed

    def clear(self, service: str | None = None) -> int:
        with self._lock:
            kept = [rule for rule in self._rules if service is not None and rule.service != service]
            removed, self._rules = len(self._rules) - len(kept), kept
            return removed

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def fire(
        self, *, service: str, method: str, path: str, soap_operation: str | None, caller: str | None
    ) -> FaultRule | None:
        """The rule that fires on this request (counted, and removed when it has fired ``times``), or None."""
        with self._lock:
            for index, rule in enumerate(self._rules):
                if not rule.matches(
                    service=service, method=method, path=path, soap_operation=soap_operation, caller=caller
                ):
                    continue
                if rule.probability < 1 and self._random.random() >= rule.probability:
                    continue
                fired = replace(rule, fired=rule.fired + 1)
                if fired.times is not None and fired.fired >= fired.times:
                    del self._rules[index]
                else:
                    self._rules[index] = fired
                return fired
        return None
