"""Reference IDs of Axema organisation groups and Lantmäteriet's apartment numbers and floor codes.

A Reference ID is ``<lantmäterinummer>_<identifier>``: exactly four digits at the very start of the field, an
underscore, then an identifier of 1 to 15 characters (shown as the address), e.g. ``1102_Mingata 23``.
The number is ``FFNN``: floor code ``FF`` (10 = entrance level, 11 = one storey up, 09 = one level below)
and ``NN`` the door on that floor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bodata.core.text import nfc

IDENTIFIER_MAX_LENGTH = 15
_FLOOR_CODE = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class ReferenceId:
    """A correct Reference ID, split into its apartment number and identifier (address)."""

    lm_number: str
    identifier: str

    @property
    def floor_code(self) -> str:
        return self.lm_number[:2]


class ReferenceIdError(ValueError):
    """Why a Reference ID is not correct: a code of ``messages.ISSUE_REASONS`` and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def parse_reference_id(value: str | None) -> ReferenceId:
    """Split a Reference ID, or raise ReferenceIdError saying exactly what is wrong with it."""
    if value is None or value == "":
        raise ReferenceIdError("refid_missing")
    value = nfc(value)  # "ä" typed as "a" + U+0308 is one character, as the reader sees it
    digits = value[:4]
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
        raise ReferenceIdError("refid_no_number")
    if value[4:5] != "_":
        raise ReferenceIdError("refid_no_underscore")
    identifier = value[5:]
    if not identifier.strip():
        raise ReferenceIdError("identifier_empty")
    if len(identifier) > IDENTIFIER_MAX_LENGTH:
        raise ReferenceIdError("identifier_too_long", length=len(identifier), max=IDENTIFIER_MAX_LENGTH)
    return ReferenceId(lm_number=digits, identifier=identifier.strip())


PLAUSIBLE_FLOOR_CODES = range(5, 71)  # five levels below the entrance to sixty storeys up


def implausible_floor(floor_code: str) -> bool:
    """True for a floor code no Swedish building has, such as ``00`` (ten levels down) or ``99``."""
    return int(floor_code) not in PLAUSIBLE_FLOOR_CODES


def is_floor_code(value: str) -> bool:
    """True for a two-digit Lantmäteriet floor code such as ``10`` or ``12``."""
    return bool(_FLOOR_CODE.match(value))


def storey(floor_code: str) -> int:
    """The storey relative to the entrance level: ``10`` → 0, ``12`` → 2, ``09`` → -1."""
    return int(floor_code) - 10


def floor_label(floor_code: str) -> str:
    """A Swedish label for a floor code, as a name board shows it."""
    level = storey(floor_code)
    if level == 0:
        return "Entréplan"
    if level > 0:
        return f"{level} tr"
    return f"Källarplan {-level}" if level < -1 else "Källarplan"
