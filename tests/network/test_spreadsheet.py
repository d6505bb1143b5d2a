import pytest
from hypothesis import given
from hypothesis import strategies as st

from network.spreadsheet import FORMULA_STARTS, spreadsheet_safe, spreadsheet_unsafe


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_would_start_a_formula_is_prefixed(start):
    assert spreadsheet_safe(f'{start}HYPERLINK("https://evil.example")') == (
        f'\'{start}HYPERLINK("https://evil.example")'
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("La Coroutine", "La Coroutine"),
        ("", ""),
        (None, ""),
        ("+33 3 20 12 34 56", "'+33 3 20 12 34 56"),  # still reads as a phone number
        ("'t Kabinet", "'t Kabinet"),  # an apostrophe alone is not a guard
        ("'=1+1", "''=1+1"),  # one apostrophe more, removed again on the way back
        ("''-1", "'''-1"),
        (" =1+1", " =1+1"),
        (-3.5, -3.5),  # numbers are numbers, not formulas
        (-12, -12),
        (0, 0),
    ],
)
def test_what_is_guarded_and_what_is_not(value, cell):
    assert spreadsheet_safe(value) == cell


@given(st.text())
def test_the_importer_gets_back_exactly_the_text_that_was_exported(text):
    assert spreadsheet_unsafe(spreadsheet_safe(text)) == text


@given(st.text())
def test_no_guarded_cell_starts_a_formula(text):
    assert not spreadsheet_safe(text).startswith(FORMULA_STARTS)
