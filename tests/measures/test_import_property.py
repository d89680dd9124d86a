"""Property: any table of figures, written as an .xlsx or as a CSV in any usual encoding and delimiter,
imports as exactly that table; the app's export of it, and the same file again, change nothing."""

import csv
import datetime
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from measures.exporting import figures_workbook
from measures.importing import commit_import, preview_file, save_upload
from measures.models import Figure, FigureImport

TODAY = datetime.date(2025, 11, 15)
MEASURES = {"VISIT-CIN": "percent", "SICKNESS": "days", "SW-20-CASES": "count", "TURNOVER": "percent"}
MONTHS = [datetime.date(2025, month, 1) for month in range(2, 12)]
# Characters every encoding under test can hold (Windows-1252 included), as people type in notes.
NOTE_TEXT = st.text(st.sampled_from(list("abcXYZ019 £€–’é,;\"'&%/.()")), max_size=40).map(
    lambda note: f"N {note}".strip() if note.strip() else "")


def value_for(unit):
    if unit == "percent":
        return st.integers(0, 10000).map(lambda cents: Decimal(cents) / 100)
    if unit == "count":
        return st.integers(0, 10**6).map(Decimal)
    return st.integers(0, 99999).map(lambda cents: Decimal(cents) / 100)


@st.composite
def tables(draw):
    """{(code, month): (value, note)} for some measures and months."""
    table = {}
    for code in draw(st.lists(st.sampled_from(sorted(MEASURES)), min_size=1, max_size=4, unique=True)):
        for month in draw(st.lists(st.sampled_from(MONTHS), min_size=1, max_size=4, unique=True)):
            table[code, month] = (draw(value_for(MEASURES[code])), draw(NOTE_TEXT))
    return table


def plain(value):
    return f"{value.normalize():f}"


def as_xlsx(table, percent_as_number):
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    months = sorted({month for _, month in table})
    sheet.append(["Code", *months])
    for code in sorted({code for code, _ in table}):
        row = [code]
        for month in months:
            figure = table.get((code, month))
            if figure is None:
                row.append(None)
            elif MEASURES[code] == "percent":
                row.append(float(figure[0] / 100) if percent_as_number else f"{plain(figure[0])}%")
            else:
                row.append(float(figure[0]) if figure[0] % 1 else int(figure[0]))
        sheet.append(row)
        if percent_as_number and MEASURES[code] == "percent":
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = "0.00%"
    notes = book.create_sheet("Notes")
    notes.append(["Code", "Month", "Note"])
    for (code, month), (_, note) in sorted(table.items()):
        notes.append([code, f"{month:%b-%y}", note])
        notes.cell(row=notes.max_row, column=3).data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_csv(table, encoding, delimiter, month_format):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Code", "Month", "Value", "Note"])
    for (code, month), (value, note) in sorted(table.items()):
        text = plain(value).replace(".", ",") if delimiter == ";" else plain(value)
        writer.writerow([code, f"{month:{month_format}}", text + ("%" if MEASURES[code] == "percent" else ""), note])
    return buffer.getvalue().encode(encoding)


def files():
    xlsx = st.builds(lambda table, number: (as_xlsx(table, number), "figures.xlsx", table), tables(), st.booleans())
    csv_file = st.builds(
        lambda table, encoding, delimiter, month_format: (as_csv(table, encoding, delimiter, month_format),
                                                          "figures.csv", table),
        tables(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), st.sampled_from([",", ";", "\t"]),
        st.sampled_from(["%b-%y", "%Y-%m", "%B %Y"]))
    return st.one_of(xlsx, csv_file)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(file=files())
def test_it_imports_any_table_exactly_and_its_export_changes_nothing(plan, admin_user, file):
    Figure.objects.all().delete()
    FigureImport.objects.all().delete()
    content, name, table = file

    result = commit_import(upload=save_upload(plan=plan, content=content, file_name=name, user=admin_user),
                           user=admin_user, today=TODAY, confirmed=True)
    assert not result.errors
    stored = {(f.measure.code, f.month): (f.value, f.note) for f in Figure.objects.select_related("measure")}
    assert stored == table

    exported = figures_workbook(plan=plan, today=TODAY, with_figures=True)
    for again, again_name in [(exported, "export.xlsx"), (content, name)]:
        second = preview_file(plan=plan, content=again, file_name=again_name, today=TODAY)
        assert not second.errors, second.errors
        assert second.counts == {"new": 0, "changed": 0, "note": 0, "unchanged": len(table)}
