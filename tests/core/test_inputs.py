"""Input at the boundary: ids within their column's range, clean text (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bodata.core.inputs import ID_MAX, id_in_range, is_clean_text, text_problem

CONTROL = st.characters(categories=["Cc"])
PRINTABLE = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1).filter(str.strip)


@given(st.integers())
def test_an_id_is_in_range_exactly_from_1_to_the_integer_columns_maximum(value: int) -> None:
    assert id_in_range(value) == (1 <= value <= 2**31 - 1)
    assert ID_MAX == 2**31 - 1


@given(PRINTABLE)
def test_printable_text_is_clean(value: str) -> None:
    assert is_clean_text(value)
    assert text_problem(value) is None


@given(st.text(), CONTROL, st.text())
def test_a_control_character_anywhere_makes_text_unclean(before: str, control: str, after: str) -> None:
    value = before + control + after
    assert not is_clean_text(value, multiline=control not in "\n\r\t")
    assert text_problem(value, multiline=control not in "\n\r\t") == "control"


@given(st.text(st.sampled_from(" \u00a0\u2003"), max_size=5))
def test_blank_text_is_refused_where_required(value: str) -> None:
    assert text_problem(value) == "blank"
    assert text_problem(value, required=False) is None


def test_line_breaks_only_where_a_field_allows_several_lines() -> None:
    assert not is_clean_text("rad 1\nrad 2")
    assert is_clean_text("rad 1\r\nrad 2\tslut", multiline=True)
    assert not is_clean_text("nul\x00", multiline=True)
