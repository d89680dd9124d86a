"""The spreadsheets a council's performance team really keeps (issue 14): each imports right, or is refused
naming the cell, and every cell is accounted for. Files in tests/measures/files/ were written by LibreOffice
(make_files.py there); the others by openpyxl or as CSV bytes."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from measures.importing import ImportRefused, commit_import, preview_file, save_upload
from measures.models import Figure

TODAY = datetime.date(2025, 11, 15)
FILES = Path(__file__).resolve().parent / "files"


def workbook(rows, title="Figures", formats=None):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview(plan, content, name="figures.xlsx"):
    return preview_file(plan=plan, content=content, file_name=name, today=TODAY)


def figures(result):
    return {(change.measure.code, f"{change.month:%Y-%m}"): change.value for change in result.changes}


def texts(problems):
    return [str(problem) for problem in problems]


def commit(plan, content, user, name="figures.xlsx", **options):
    return commit_import(upload=save_upload(plan=plan, content=content, file_name=name, user=user), user=user,
                         today=TODAY, **options)


# -- scorecards ----------------------------------------------------------------------------------


def test_it_reads_a_libreoffice_scorecard_with_title_rows_two_row_headings_and_a_ref_column(plan):
    result = preview(plan, (FILES / "scorecard.xlsx").read_bytes())
    assert texts(result.errors) == []
    assert figures(result) == {
        ("VISIT-CIN", "2025-04"): Decimal("82.00"), ("VISIT-CIN", "2025-06"): 79, ("VISIT-CIN", "2025-07"): 80,
        ("SICKNESS", "2025-04"): Decimal("10.8"), ("SICKNESS", "2025-06"): Decimal("9.5"), ("SICKNESS", "2025-07"): 14,
        ("FOSTER-APPROVED", "2025-04"): 4, ("FOSTER-APPROVED", "2025-07"): 5,
    }
    skipped = texts(result.skipped)
    for where, said in [("A1", "above the column headings"), ("A2", "above the column headings"),
                        ("D6", "“n/a” means no figure"), ("D7", "“TBC” means no figure"), ("D8", "“-” means no figure"),
                        ("E8", "“NYA” means no figure"), ("B9", "“Total” is a total or notes row")]:
        assert any(line.startswith(f"scorecard!{where}") and said in line for line in skipped), (where, skipped)
    assert any(line.startswith("scorecard!F7") and "footnote mark “*”" in line for line in texts(result.warnings))


def test_it_never_stores_or_deletes_a_figure_for_a_no_figure_marker(plan, admin_user):
    sickness = plan.measures.get(code="SICKNESS")
    Figure.objects.create(measure=sickness, month=datetime.date(2025, 5, 1), value=Decimal("9.1"))
    commit(plan, (FILES / "scorecard.xlsx").read_bytes(), admin_user, confirmed=True)
    assert Figure.objects.get(measure=sickness, month=datetime.date(2025, 5, 1)).value == Decimal("9.1")
    assert not Figure.objects.filter(measure__code="FOSTER-APPROVED", month=datetime.date(2025, 5, 1)).exists()
    assert Figure.objects.filter(measure__code="FOSTER-APPROVED").count() == 2


def test_it_asks_for_the_tick_before_committing_a_file_with_warnings(plan, admin_user):
    with pytest.raises(ImportRefused) as refused:
        commit(plan, (FILES / "scorecard.xlsx").read_bytes(), admin_user)
    assert refused.value.unconfirmed
    assert not Figure.objects.exists()


def test_it_is_not_shifted_by_a_date_in_a_title_row(plan):
    for content in [(FILES / "title-date.xlsx").read_bytes(),
                    workbook([["Scorecard produced", None, datetime.datetime(2025, 9, 1)],
                              ["Code", "Measure", "May-25", "Jun-25"],
                              ["SICKNESS", "Sickness – average working days lost", 9, 8]])]:
        result = preview(plan, content)
        assert texts(result.errors) == []
        assert figures(result) == {("SICKNESS", "2025-05"): 9, ("SICKNESS", "2025-06"): 8}


def test_it_reads_clear_month_headings_and_skips_the_rest_with_the_reason(plan):
    result = preview(plan, (FILES / "month-headings.xlsx").read_bytes())
    assert texts(result.errors) == []
    assert figures(result) == {
        ("SICKNESS", "2025-04"): 9,
        ("SICKNESS", "2025-06"): 8,
        ("SICKNESS", "2025-07"): Decimal("6.5"),
    }
    assert any(line.startswith("month-headings!D1") and "names a quarter" in line for line in texts(result.skipped))
    assert any(line.startswith("month-headings!C1") and "(prov)" in line for line in texts(result.warnings))


def test_it_refuses_a_file_with_no_readable_figure(plan):
    result = preview(plan, b"Code,Apr 2025 to Jun 2025\nSICKNESS,9\n", name="figures.csv")
    assert not result.changes and not result.can_commit
    assert result.errors or result.skipped


def test_it_skips_a_sheet_without_figures_saying_so(plan):
    book = Workbook()
    book.active.title = "Contents"
    book.active.append(["This workbook holds the figures"])
    sheet = book.create_sheet("Figures")
    sheet.append(["Code", "Mar-25"])
    sheet.append(["SICKNESS", 9])
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(plan, buffer.getvalue())
    assert figures(result) == {("SICKNESS", "2025-03"): 9}
    assert any(line.startswith("Contents:") and "nothing on it was read" in line for line in texts(result.skipped))


def test_it_lists_columns_that_are_not_months_as_skipped(plan):
    result = preview(
        plan, workbook([["Code", "Measure", "Target", "Mar-25", "YTD"], ["SICKNESS", "Sickness", 8.5, 9, 9]])
    )
    skipped = texts(result.skipped)
    assert any(line.startswith("Figures!C1") and "“Target” is not a month" in line for line in skipped)
    assert any(line.startswith("Figures!E1") and "“YTD” is not a month" in line for line in skipped)


# -- names and codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "sickness - average working days lost",  # hyphen for en dash, case
    "Sickness\u00a0–\u00a0average working days lost",  # non-breaking spaces
    "Sickness — average  working days lost ",  # em dash, double and trailing spaces
])
def test_it_matches_names_however_dashes_spaces_and_case_are_written(plan, name):
    assert figures(preview(plan, workbook([["Measure", "Mar-25"], [name, 9]]))) == {("SICKNESS", "2025-03"): 9}


def test_it_matches_quotes_and_ampersands(plan):
    plan.measures.filter(code="SICKNESS").update(name="Children’s sickness & absence")
    assert figures(preview(plan, workbook([["Measure", "Mar-25"], ["Children's sickness and absence", 9]]))) == {
        ("SICKNESS", "2025-03"): 9}


def test_it_says_where_a_name_differs_from_the_closest(plan):
    problems = texts(preview(plan, workbook([["Measure", "Mar-25"], ["Sickness average working days", 9]])).errors)
    assert len(problems) == 1
    assert problems[0].startswith("Figures!A2: no measure in this plan is called “Sickness average working days”. "
                                  "Did you mean “Sickness – average working days lost”?")
    assert "where the file has" in problems[0]


def test_it_refuses_a_row_whose_code_and_name_disagree_naming_both(plan):
    content = workbook([["Code", "Measure", "Mar-25"], ["VISIT-CIN", "% CP", 70]])
    problems = texts(preview(plan, content).errors)
    assert problems == ["Figures!A2: “VISIT-CIN” is VISIT-CIN (% CIN), but Figures!B2 “% CP” is VISIT-CP (% CP): "
                        "the row's code and name disagree; correct one of them."]


def test_it_refuses_an_unknown_code_beside_a_known_name(plan):
    problems = texts(preview(plan, workbook([["Code", "Measure", "Mar-25"], ["VISIT-CN", "% CIN", 70]])).errors)
    assert problems and problems[0].startswith("Figures!A2: the code “VISIT-CN” is not a code in this plan")


# -- numbers -------------------------------------------------------------------------------------


def test_it_refuses_a_decimal_comma_in_a_comma_separated_file(plan):
    result = preview(plan, 'Code,Month,Value\nSICKNESS,Mar-25,"10,8"\n'.encode(), name="figures.csv")
    assert not result.changes
    assert texts(result.errors)[0].startswith("figures!C2: SICKNESS Mar 2025: “10,8” has a comma")


def test_it_reads_a_decimal_comma_in_a_semicolon_file(plan):
    result = preview(plan, "Code;Month;Value\nSICKNESS;Mar-25;10,8\nSICKNESS;Apr-25;9\n".encode(), name="figures.csv")
    assert texts(result.errors) == []
    assert figures(result) == {("SICKNESS", "2025-03"): Decimal("10.8"), ("SICKNESS", "2025-04"): 9}


def test_it_refuses_a_point_in_a_file_that_writes_decimals_with_commas(plan):
    content = "Code;Month;Value\nSICKNESS;Mar-25;10,8\nSW-20-CASES;Apr-25;1.234\n".encode()
    problems = texts(preview(plan, content, name="figures.csv").errors)
    assert problems and all("comma" in problem for problem in problems)


def test_it_refuses_a_fractional_count(plan):
    problems = texts(preview(plan, workbook([["Code", "Mar-25"], ["FOSTER-APPROVED", 0.5]])).errors)
    assert problems == ["Figures!B2: FOSTER-APPROVED Mar 2025: 0.5 is not a whole number, but FOSTER-APPROVED counts "
                        "whole things: check the figure."]


def test_it_refuses_a_percentage_format_on_a_count(plan):
    problems = texts(
        preview(plan, workbook([["Code", "Mar-25"], ["FOSTER-APPROVED", 0.04]], formats={"B2": "0%"})).errors
    )
    assert len(problems) == 1 and "formatted as a percentage, but FOSTER-APPROVED is a count" in problems[0]


# -- CSV files as they are saved -------------------------------------------------------------------


CSV_TEXT = "Code,Measure,Month,Value,Note\r\nSICKNESS,Sickness – average working days lost,Mar-25,9.5,Flu £\r\n"


@pytest.mark.parametrize("content", [
    CSV_TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
    CSV_TEXT.encode("utf-16"),  # with its BOM, as Excel's "Unicode Text" and LibreOffice save it
    CSV_TEXT.encode("utf-16-le"),
    CSV_TEXT.encode("cp1252"),
    CSV_TEXT.replace("\r\n", "\r").encode("utf-8"),  # old Mac line ends
    CSV_TEXT.replace("\r\n", "\n").encode("utf-8"),
    CSV_TEXT.replace(",", ";").encode("utf-8"),
    CSV_TEXT.replace(",", "\t").encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16", "utf16le-no-bom", "cp1252", "cr", "lf", "semicolon", "tab"])
def test_it_reads_csv_in_every_encoding_line_end_and_delimiter(plan, content):
    result = preview(plan, content, name="figures.csv")
    assert texts(result.errors) == []
    assert [(c.measure.code, c.month, c.value, c.note) for c in result.changes] == [
        ("SICKNESS", datetime.date(2025, 3, 1), Decimal("9.5"), "Flu £")]


def test_it_commits_a_utf16_csv_from_the_command_line(plan, admin_user, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "figures.csv"
    path.write_bytes(CSV_TEXT.encode("utf-16"))
    call_command("import_figures", str(path))
    assert Figure.objects.get().note == "Flu £"


# -- dates written month first ---------------------------------------------------------------------


def test_it_detects_us_month_headings_and_asks_to_confirm(plan):
    result = preview(plan, b"Code,10/01/2025,11/01/2025\nSICKNESS,9,8\n", name="figures.csv")
    assert texts(result.errors) == []
    assert figures(result) == {("SICKNESS", "2025-10"): 9, ("SICKNESS", "2025-11"): 8}
    assert any("read month first" in line for line in texts(result.warnings))


def test_it_reads_uk_month_headings_day_first(plan):
    result = preview(plan, b"Code,01/10/2025,01/11/2025\nSICKNESS,9,8\n", name="figures.csv")
    assert figures(result) == {("SICKNESS", "2025-10"): 9, ("SICKNESS", "2025-11"): 8} and not result.warnings


def test_it_refuses_month_headings_that_read_both_ways(plan):
    problems = texts(preview(plan, b"Code,03/04/2025,04/05/2025\nSICKNESS,9,8\n", name="figures.csv").errors)
    assert problems and problems[0].startswith("figures!B1: “03/04/2025” could be read day first or month first: "
                                               "write months as Nov-25 or 2025-11")


def test_it_detects_us_dates_in_a_month_column(plan):
    content = b"Code,Month,Value\nSICKNESS,10/01/2025,9\nSICKNESS,11/01/2025,8\n"
    result = preview(plan, content, name="figures.csv")
    assert figures(result) == {("SICKNESS", "2025-10"): 9, ("SICKNESS", "2025-11"): 8}
    assert any("read month first" in line for line in texts(result.warnings))


# -- files that are not .xlsx ----------------------------------------------------------------------


def test_it_refuses_an_ods_file_with_what_to_do(plan):
    problems = texts(preview(plan, (FILES / "title-date.ods").read_bytes(), name="figures.ods").errors)
    assert problems == ["This is an OpenDocument spreadsheet (.ods): open it in LibreOffice Calc or Excel, save it as "
                        "an Excel Workbook (.xlsx) and upload that."]


def test_it_describes_every_layout_on_the_upload_page(plan, admin_client):
    from django.urls import reverse

    page = admin_client.get(reverse("measures:figures_upload", args=[plan.slug])).content.decode()
    for said in ["One row per measure, one column per month", "One row per figure", "Figure notes sheet",
                 "n/a, -, TBC, NYA", "UTF-16 or Windows-1252", "Save .xls and .ods files as .xlsx"]:
        assert said in page


def test_it_reads_month_names_under_merged_calendar_year_headings(plan):
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(["Measure", "2024", None, "2025", None])
    sheet.append([None, "Nov", "Dec", "Jan", "Feb"])
    sheet.append(["Sickness – average working days lost", 9, 8, 7, 6])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:E1")
    sheet.merge_cells("A1:A2")
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(plan, buffer.getvalue())
    assert texts(result.errors) == []
    assert figures(result) == {("SICKNESS", "2024-11"): 9, ("SICKNESS", "2024-12"): 8, ("SICKNESS", "2025-01"): 7,
                               ("SICKNESS", "2025-02"): 6}


def test_it_asks_for_confirm_warnings_on_the_command_line(plan, admin_user, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "figures.csv"
    path.write_bytes(b"Code,Month,Value\nSICKNESS,Jan-25,10\n")  # before the measure's baseline
    with pytest.raises(CommandError, match="--confirm-warnings"):
        call_command("import_figures", str(path))
    assert not Figure.objects.exists()
    call_command("import_figures", str(path), "--confirm-warnings")
    assert Figure.objects.get().value == 10


def test_it_lists_filled_cells_in_a_column_without_a_heading(plan):
    result = preview(plan, workbook([["Code", "Mar-25"], ["SICKNESS", 9, "checked by JB"], ["VISIT-CIN", 70, "ok"]]))
    assert figures(result) == {("SICKNESS", "2025-03"): 9, ("VISIT-CIN", "2025-03"): 70}
    assert texts(result.skipped) == ["Figures!C2: this column has no heading, so its 2 filled cells were not read as "
                                     "figures."]


def test_it_lists_filled_cells_without_a_heading_in_the_long_layout(plan):
    result = preview(plan, b"Code,Month,Value\nSICKNESS,Mar-25,9,checked\n", name="figures.csv")
    assert figures(result) == {("SICKNESS", "2025-03"): 9}
    assert texts(result.skipped) == [
        "figures!D2: this column has no heading, so its filled cell was not read as figures."]
