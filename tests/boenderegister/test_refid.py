"""Reference IDs and Lantmäteriet numbers, as the Axema set-up guide defines them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bodata.boenderegister.messages import issue_reason
from bodata.boenderegister.refid import (
    ReferenceId,
    ReferenceIdError,
    floor_label,
    is_floor_code,
    parse_reference_id,
    storey,
)

from .factories import english


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1102_Mingata 23", ReferenceId("1102", "Mingata 23")),  # the guide's example
        ("1001_Kvistvägen 12", ReferenceId("1001", "Kvistvägen 12")),
        ("1002_Kvistvägen 12", ReferenceId("1002", "Kvistvägen 12")),
        ("0902_Källaren", ReferenceId("0902", "Källaren")),
        ("1203_5A", ReferenceId("1203", "5A")),
        ("1001_X", ReferenceId("1001", "X")),  # 1 character
        ("1001_Storgatan 123AB", ReferenceId("1001", "Storgatan 123AB")),  # 15 characters
        ("1001_a_b", ReferenceId("1001", "a_b")),  # only the first underscore separates
        ("1001_ Torget 1 ", ReferenceId("1001", "Torget 1")),  # shown without surrounding blanks
    ],
)
def test_correct_reference_ids(value: str, expected: ReferenceId) -> None:
    assert parse_reference_id(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "Reference ID is missing"),
        ("", "Reference ID is missing"),
        ("102_Mingata 23", "does not start with a 4-digit Lantmäteriet number"),
        ("Mingata 23", "does not start with a 4-digit Lantmäteriet number"),
        (" 1102_Mingata 23", "does not start with a 4-digit Lantmäteriet number"),
        ("lgh 1102_Mingata", "does not start with a 4-digit Lantmäteriet number"),
        ("١١٠٢_Mingata", "does not start with a 4-digit Lantmäteriet number"),  # non-ASCII digits
        ("1102-Mingata 23", "not followed by an underscore"),
        ("1102 Mingata 23", "not followed by an underscore"),
        ("11023_Mingata", "not followed by an underscore"),
        ("1102", "not followed by an underscore"),
        ("1102_", "identifier after the underscore is empty"),
        ("1102_   ", "identifier after the underscore is empty"),
        ("1102_Storgatan 123ABC", "has 16 characters; at most 15"),
    ],
)
def test_incorrect_reference_ids_say_why(value: str | None, reason: str) -> None:
    with pytest.raises(ReferenceIdError) as refused:
        parse_reference_id(value)
    assert reason in english(issue_reason(refused.value.code, refused.value.params, ""))


identifiers = st.text(min_size=1, max_size=15).filter(lambda text: text.strip())
numbers = st.from_regex(r"\A[0-9]{4}\Z")


@given(numbers, identifiers)
def test_every_well_formed_reference_id_round_trips(number: str, identifier: str) -> None:
    parsed = parse_reference_id(f"{number}_{identifier}")
    assert parsed.lm_number == number
    assert parsed.identifier == identifier.strip()
    assert parsed.floor_code == number[:2]


@given(numbers, st.text(min_size=16, max_size=40))
def test_identifiers_over_fifteen_characters_are_refused(number: str, identifier: str) -> None:
    with pytest.raises(ReferenceIdError):
        parse_reference_id(f"{number}_{identifier}")


@given(st.text(max_size=30))
def test_any_text_is_either_parsed_or_refused_with_a_reason(value: str) -> None:
    try:
        parsed = parse_reference_id(value)
    except ReferenceIdError as exc:
        reason = str(exc)
        assert reason
    else:
        assert value[:4].isdigit()
        assert value[4] == "_"
        assert 1 <= len(value) - 5 <= 15
        assert parsed.identifier


@pytest.mark.parametrize(
    ("code", "level", "label"),
    [
        ("10", 0, "Entréplan"),
        ("11", 1, "1 tr"),
        ("12", 2, "2 tr"),
        ("09", -1, "Källarplan"),
        ("08", -2, "Källarplan 2"),
    ],
)
def test_floor_codes(code: str, level: int, label: str) -> None:
    assert is_floor_code(code)
    assert storey(code) == level
    assert floor_label(code) == label


@pytest.mark.parametrize("value", ["1", "123", "1a", "", " 12"])
def test_not_floor_codes(value: str) -> None:
    assert not is_floor_code(value)
