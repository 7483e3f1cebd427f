"""What every operation of the rent register gets and gives, beneath the SOAP codec: the call (transaction, caller,
input structure as plain values, time, the installation's parameters), the result structures it answers, and
:class:`Refused`, the domain's "this call cannot be carried out", which the SOAP layer answers as a
``soap:Client`` Fault (huslejeregister.md §2.6; docs/huslejeregister.md "SOAP Faults").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bodata.core.timezones import DANISH_TIME
from bodata.huslejeregister import rules
from bodata.huslejeregister.rules import Finding


class Refused(Exception):
    """A call the register cannot carry out (an unknown or foreign identifier, a transition from the wrong status,
    content of the wrong kind): no numbered validation covers it, so the caller gets ``message``, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_found(what: str) -> Refused:
    """The answer to unknown identifiers and to those of other organisations alike (no probing)."""
    return Refused(f"{what} findes ikke eller administreres ikke af brugeren")


@dataclass(frozen=True)
class RegisterRules:
    """The parameters the document lost (huslejeregister.md §9 C1, C2), set per installation."""

    earliest_effect: datetime = datetime(1900, 1, 1, tzinfo=DANISH_TIME)
    """5003: VirkningFra must be on or after this."""
    lease_cutoff: date = date(2021, 1, 1)
    """2023: fixed expenses must exist for every lease starting after this date."""
    attachment_max_bytes: int = 3 * 1024 * 1024
    """The largest Bilag content accepted (decoded; base64 in the request adds a third)."""


@dataclass(frozen=True)
class Caller:
    """The authenticated user and the organisations it administers."""

    username: str
    organisation_ids: frozenset[uuid.UUID]


@dataclass(frozen=True)
class Call:
    """What an operation's handler gets: the transaction, the caller, the input structure, the time."""

    session: Session
    caller: Caller
    input: dict[str, Any]
    now: datetime
    register: RegisterRules
    operation: str


Handler = Callable[[Call], dict[str, Any]]
"""An operation: its input structure in, its output structure out (see operations.OPERATIONS)."""


def method_output(findings: Iterable[Finding], operation: str, *, created: uuid.UUID | None = None) -> dict[str, Any]:
    """The output of a Ret, Slet or Valider (MetodeResultatStruktur), or of an Opret (MetodeOpretResultatStruktur,
    with ``created``: the new entity's UnikIdentifikator, left out when there are errors)."""
    findings = list(findings)
    if created is None:
        return {"MetodeResultatStruktur": rules.method_result(findings, operation)}
    created = None if rules.errors_in(findings) else created
    return {"MetodeOpretResultatStruktur": rules.method_result(findings, operation, created=created)}
