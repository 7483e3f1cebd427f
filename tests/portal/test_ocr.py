"""Bankgirot OCR references and bankgiro numbers: check digits worked out by hand, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bodata.portal.ocr import format_bankgiro, ocr_reference, valid_bankgiro, valid_ocr

digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=23)


def test_luhn_check_digit_without_length_digit() -> None:
    # 7992739871, doubling every second digit from the right: 2+7+7+9+6+7+4+9+9+7 = 67 → check digit 3.
    assert ocr_reference("7992739871", length_digit=False) == "79927398713"


def test_length_digit_counts_the_whole_reference() -> None:
    # 12345 + length digit 7 (seven digits in all) → 123457; 5+5+8+3+4+1 = 26 → check digit 4.
    assert ocr_reference("12345") == "1234574"
    # 9213210 + length digit 9 → 92132109; 9+0+2+2+6+1+4+9 = 33 → check digit 7.
    assert ocr_reference(9213210) == "921321097"


def test_length_digit_is_taken_modulo_ten() -> None:
    reference = ocr_reference("1" * 10)
    assert len(reference) == 12
    assert reference[-2] == "2"


@pytest.mark.parametrize(
    ("base", "length_digit"),
    [("", True), ("", False), ("12a", True), ("-5", True), (-5, True), ("1 2", True), ("١٢", True), ("1" * 24, True)],
)
def test_reference_needs_digits_that_fit(base: str | int, length_digit: bool) -> None:
    with pytest.raises(ValueError, match="OCR reference"):
        ocr_reference(base, length_digit=length_digit)


def test_longest_references() -> None:
    assert len(ocr_reference("1" * 23)) == 25
    assert len(ocr_reference("1" * 24, length_digit=False)) == 25
    with pytest.raises(ValueError, match="25"):
        ocr_reference("1" * 25, length_digit=False)


def test_valid_ocr_checks_the_check_digit_and_the_length_digit_when_asked() -> None:
    assert valid_ocr("79927398713")
    assert not valid_ocr("79927398714")
    assert valid_ocr("1234574", length_digit=True)
    # 123456 + check digit 6 (3+5+8+3+4+1 = 24): Luhn-valid, but its second-last digit is not the length 7.
    assert valid_ocr("1234566")
    assert valid_ocr("1234566", length_digit=False)
    assert not valid_ocr("1234566", length_digit=True)


@pytest.mark.parametrize("reference", ["", "0", "1" * 26, "12345 74", "1234574\n", "abc", "١٢٣"])
def test_malformed_references_are_invalid(reference: str) -> None:
    assert not valid_ocr(reference)


def test_hard_check_needs_room_for_a_length_digit() -> None:
    assert valid_ocr("18")  # 1 + check digit 8
    assert not valid_ocr("18", length_digit=True)


@given(digit_strings)
def test_references_with_length_digit_pass_both_checks(base: str) -> None:
    reference = ocr_reference(base)
    assert reference.startswith(base)
    assert len(reference) == len(base) + 2
    assert valid_ocr(reference, length_digit=True)
    assert valid_ocr(reference)


@given(st.text(alphabet="0123456789", min_size=2, max_size=24))
def test_hard_check_of_a_reference_without_length_digit(base: str) -> None:
    reference = ocr_reference(base, length_digit=False)
    assert valid_ocr(reference)
    assert valid_ocr(reference, length_digit=True) == (base[-1] == str((len(base) + 1) % 10))


@given(digit_strings, st.data())
def test_any_single_wrong_digit_is_caught(base: str, data: st.DataObject) -> None:
    reference = ocr_reference(base)
    position = data.draw(st.integers(0, len(reference) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != reference[position]]))
    assert not valid_ocr(reference[:position] + wrong + reference[position + 1 :])


def test_format_bankgiro() -> None:
    assert format_bankgiro("1234567") == "123-4567"
    assert format_bankgiro("12345678") == "1234-5678"
    assert format_bankgiro("5050-1055") == "5050-1055"
    assert format_bankgiro(" 505 01055 ") == "5050-1055"


@pytest.mark.parametrize("number", ["", "123456", "123456789", "12a4567", "١٢٣٤٥٦٧"])
def test_format_bankgiro_needs_seven_or_eight_digits(number: str) -> None:
    with pytest.raises(ValueError, match="7 or 8 digits"):
        format_bankgiro(number)


def test_valid_bankgiro() -> None:
    # Bankgirot's own 5050-1055: 5+1+0+2+0+1+0+1 = 10.
    assert valid_bankgiro("5050-1055")
    assert valid_bankgiro("50501055")
    assert not valid_bankgiro("5050-1056")
    # 123456 → 3+5+8+3+4+1 = 24 → check digit 6.
    assert valid_bankgiro("123-4566")
    assert not valid_bankgiro("1234567")
    assert not valid_bankgiro("123456789")
    assert not valid_bankgiro("abc-defg")


@given(st.text(alphabet="0123456789", min_size=6, max_size=7))
def test_bankgiro_with_a_luhn_digit_is_valid_as_printed(base: str) -> None:
    number = ocr_reference(base, length_digit=False)
    assert valid_bankgiro(number)
    assert valid_bankgiro(format_bankgiro(number))
    assert format_bankgiro(number).replace("-", "") == number
