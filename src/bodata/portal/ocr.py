"""Bankgirot payment references (OCR numbers) and bankgiro numbers.

An OCR reference is 2–25 digits ending in a Luhn (modulus 10) check digit. With Bankgirot's "variabel längd med
längdsiffra" the digit before the check digit is the reference's total length (including the length digit and the
check digit) modulo 10, so a payer's bank can reject a reference with a digit dropped or added. Bankgiro numbers are
7 or 8 digits, the last a Luhn check digit, written ``123-4567`` or ``1234-5678``.
"""

from __future__ import annotations

from stdnum import luhn

OCR_MIN_LENGTH = 2
OCR_MAX_LENGTH = 25
BANKGIRO_LENGTHS = (7, 8)


def ocr_reference(base: str | int, *, length_digit: bool = True) -> str:
    """The OCR reference for ``base`` (e.g. a notice number): base, length digit when asked for, Luhn check digit.

    Raises ``ValueError`` when ``base`` is not a string of digits or the reference would not fit in 2–25 digits.
    """
    digits = str(base)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"an OCR reference is built from digits, not {base!r}")
    total = len(digits) + 1 + int(length_digit)
    if not OCR_MIN_LENGTH <= total <= OCR_MAX_LENGTH:
        raise ValueError(f"an OCR reference has {OCR_MIN_LENGTH}–{OCR_MAX_LENGTH} digits, {base!r} would give {total}")
    if length_digit:
        digits += str(total % 10)
    return digits + luhn.calc_check_digit(digits)


def valid_ocr(reference: str, *, length_digit: bool | None = None) -> bool:
    """Whether ``reference`` is a well-formed OCR reference: 2–25 digits with a correct Luhn check digit.

    ``length_digit=True`` also requires the length digit (Bankgirot's hard check); ``False`` and ``None`` (the
    default, for references whose kind is unknown) check the check digit only, as the soft check does.
    """
    if not reference.isascii() or not reference.isdigit():
        return False
    if not OCR_MIN_LENGTH + int(bool(length_digit)) <= len(reference) <= OCR_MAX_LENGTH:
        return False
    if length_digit and reference[-2] != str(len(reference) % 10):
        return False
    return luhn.is_valid(reference)


def _bankgiro_digits(number: str) -> str:
    """The digits of a bankgiro number as written (``123-4567``, ``1234 5678``)."""
    return number.replace("-", "").replace(" ", "").strip()


def valid_bankgiro(number: str) -> bool:
    """Whether ``number`` is a bankgiro number: 7 or 8 digits (a hyphen or spaces allowed) with a Luhn check digit."""
    digits = _bankgiro_digits(number)
    return digits.isascii() and digits.isdigit() and len(digits) in BANKGIRO_LENGTHS and luhn.is_valid(digits)


def format_bankgiro(number: str) -> str:
    """A bankgiro number as printed: ``1234567`` → ``123-4567``, ``12345678`` → ``1234-5678``.

    Raises ``ValueError`` when ``number`` does not have 7 or 8 digits; the check digit is not checked here
    (use ``valid_bankgiro``).
    """
    digits = _bankgiro_digits(number)
    if not (digits.isascii() and digits.isdigit() and len(digits) in BANKGIRO_LENGTHS):
        raise ValueError(f"a bankgiro number has 7 or 8 digits, not {number!r}")
    return f"{digits[:-4]}-{digits[-4:]}"
