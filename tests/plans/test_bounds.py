"""The one text cleaner every form and export uses: what it leaves can be stored on PostgreSQL and written to Excel."""

import datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plans.bounds import clean_text, date_problem, shorten_file_name, spreadsheet_text


@given(st.text())
def test_it_leaves_nothing_postgresql_or_excel_refuses_and_is_stable(text):
    cleaned = clean_text(text)
    assert "\x00" not in cleaned and not ILLEGAL_CHARACTERS_RE.search(cleaned)
    assert clean_text(cleaned) == cleaned


def test_it_keeps_tabs_and_turns_every_line_break_into_a_newline():
    assert clean_text("a\tb\r\nc\rd\x0be\x0cf\u2028g") == "a\tb\nc\nd\ne\nf\ng"


def test_it_cuts_a_long_file_name_keeping_its_extension():
    assert shorten_file_name("a" * 300 + ".docx", 200) == "a" * 194 + "….docx"
    assert shorten_file_name("short.pdf", 200) == "short.pdf"


def test_it_cuts_a_spreadsheet_cell_to_what_excel_holds_and_leaves_numbers_alone():
    assert len(spreadsheet_text("x" * 40000)) == 32767
    assert spreadsheet_text(3.5) == 3.5


def test_it_names_the_field_of_a_date_outside_2000_to_2100():
    assert date_problem(datetime.date(2025, 1, 1), "Due") is None
    assert date_problem(datetime.date(1, 1, 1), "Due") == "Due must be between 2000 and 2100: check the year."
