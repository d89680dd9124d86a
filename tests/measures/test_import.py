import datetime
import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from measures.exporting import figures_workbook
from measures.importing import ImportRefused, commit_import, preview_file, save_upload
from measures.models import Figure

TODAY = datetime.date(2025, 11, 15)


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


def long_file(*rows):
    return workbook([["Measure", "Month", "Value", "Note"], *rows])


def preview(plan, content, name="figures.xlsx"):
    return preview_file(plan=plan, content=content, file_name=name, today=TODAY)


def errors(plan, content, name="figures.xlsx"):
    return [str(problem) for problem in preview(plan, content, name).errors]


def commit(plan, content, user, name="figures.xlsx"):
    return commit_import(
        upload=save_upload(plan=plan, content=content, file_name=name, user=user), user=user, today=TODAY
    )


# -- layouts and formats -----------------------------------------------------------------------


def test_it_reads_the_template_layout(plan):
    content = workbook(
        [["Code", "Objective", "Measure", "Aug-25", datetime.datetime(2025, 9, 1)], ["VISIT-CIN", "1", "% CIN", 70, 72]]
    )
    result = preview(plan, content)
    assert not result.errors
    assert [(c.measure.code, c.month, c.value) for c in result.changes] == [
        ("VISIT-CIN", datetime.date(2025, 8, 1), 70),
        ("VISIT-CIN", datetime.date(2025, 9, 1), 72),
    ]


@pytest.mark.parametrize(
    "month", ["Mar-25", "Mar 2025", "March 2025", "2025-03", "03/2025", datetime.datetime(2025, 3, 1)]
)
def test_it_reads_months_written_every_usual_way(plan, month):
    result = preview(plan, long_file(["SICKNESS", month, 9.5, ""]))
    assert [change.month for change in result.changes] == [datetime.date(2025, 3, 1)]


def test_it_matches_measures_by_code_or_exact_name(plan):
    result = preview(
        plan, long_file(["sickness", "2025-03", 9.5], ["Sickness – average working days lost", "2025-04", 9])
    )
    assert {change.measure.code for change in result.changes} == {"SICKNESS"}


def test_it_reads_every_way_of_writing_a_percentage(plan):
    content = workbook(
        [
            ["Measure", "Month", "Value"],
            ["VISIT-CIN", "2025-03", "82%"],
            ["VISIT-CIN", "2025-04", 82],
            ["VISIT-CIN", "2025-05", 0.82],
            ["VISIT-CIN", "2025-06", "3 of 4"],
        ],
        formats={"C4": "0%"},
    )
    result = preview(plan, content)
    assert not result.errors
    assert [change.value for change in result.changes] == [82, 82, 82, 75]
    assert (result.changes[-1].numerator, result.changes[-1].denominator) == (3, 4)


def test_it_reads_csv(plan):
    result = preview(plan, b"Code,Month,Value,Note\nSICKNESS,Mar-25,9.5,Winter flu\n", name="figures.csv")
    assert [(c.value, c.note) for c in result.changes] == [(9.5, "Winter flu")]


def test_it_reads_every_row_whatever_the_dimension_record_says(plan):
    content = long_file(*[["SICKNESS", f"2025-{month:02d}", 9] for month in range(1, 11)])
    archive = zipfile.ZipFile(io.BytesIO(content))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as out:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:D2"', data)
            out.writestr(item, data)
    assert len(preview(plan, patched.getvalue()).changes) == 10


# -- errors, each naming the sheet and cell ------------------------------------------------------


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ["Sickness average days", "2025-03", 9],
            "Figures!A2: no measure in this plan is called “Sickness average days”. "
            "Did you mean “Sickness – average working days lost”",
        ),
        (
            ["SICKNESS", "2025-03", "about nine"],
            "Figures!C2: SICKNESS Mar 2025: “about nine” is text where a number belongs.",
        ),
        (["VISIT-CIN", "2025-03", 120], "Figures!C2: VISIT-CIN Mar 2025: 120% is over 100%."),
        (["SW-20-CASES", "2025-03", -2], "Figures!C2: SW-20-CASES Mar 2025: -2 is negative"),
        (
            ["VISIT-CIN", "2025-03", 0.82],
            "Figures!C2: VISIT-CIN Mar 2025: 0.82 looks like a fraction, not a percentage",
        ),
        (["SICKNESS", "2026-01", 9], "Figures!C2: January 2026 is in the future"),
        (["SICKNESS", "Someday", 9], "Figures!B2: “Someday” is not a month"),
    ],
)
def test_it_names_the_cell_and_the_problem(plan, row, message):
    assert any(problem.startswith(message) for problem in errors(plan, long_file(row))), errors(plan, long_file(row))


def test_it_refuses_the_same_measure_and_month_twice(plan):
    problems = errors(plan, long_file(["SICKNESS", "2025-03", 9], ["SICKNESS", "Mar-25", 10]))
    assert problems == ["Figures!C3: SICKNESS for March 2025 is already given at Figures!C2: keep one of them."]


def test_it_refuses_a_formula_with_no_saved_value(plan):
    content = long_file(["SICKNESS", "2025-03", "=B2*2"])
    assert any("Figures!C2" in p and "formula whose result was never saved" in p for p in errors(plan, content))


def test_it_refuses_an_empty_sheet(plan):
    assert errors(plan, workbook([])) == ["Figures: this sheet is empty: there are no figures to import."]


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "old-style Excel .xls file or a password-protected workbook",
        ),
        (b"PK\x03\x04 this is not really a zip", "damaged or is not an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a spreadsheet"),
        (b"", "The file is empty."),
    ],
)
def test_it_gives_one_clear_sentence_for_a_file_it_cannot_read(plan, content, message):
    problems = errors(plan, content, name="upload.xlsx")
    assert len(problems) == 1 and message in problems[0]


def test_it_refuses_a_file_over_the_size_limit(plan, settings):
    settings.FIGURES_IMPORT_MAX_BYTES = 1000
    assert "larger than the 0 MB limit" in errors(plan, long_file(*[["SICKNESS", "2025-03", 9]] * 100))[0]


def test_it_refuses_a_zip_bomb_before_opening_it(plan):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (150 * 1024 * 1024))
    assert "expands to far more data" in errors(plan, bomb.getvalue())[0]


# openpyxl parses the workbook, relationships and properties with lxml when it is installed (which accepts a
# DTD) and the sheets with defusedxml (which refuses one): every part is refused the same way.
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels", "docProps/core.xml"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_it_refuses_xml_entity_tricks(plan, admin_user, part, encoding):
    content = long_file(["SICKNESS", "2025-03", 9])
    archive = zipfile.ZipFile(io.BytesIO(content))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as out:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == part:
                _, _, body = data.partition(b"?>") if data.startswith(b"<?xml") else (b"", b"", data)
                doctype = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                declaration = f'<?xml version="1.0" encoding="{encoding}"?>'.encode()
                data = (declaration + doctype + body).decode().encode(encoding)
            out.writestr(item, data)
    assert part in archive.namelist()
    problems = errors(plan, patched.getvalue())
    assert len(problems) == 1 and "could be unsafe" in problems[0]
    with pytest.raises(ImportRefused):
        commit(plan, patched.getvalue(), admin_user)
    assert not Figure.objects.exists()


# -- preview and commit -------------------------------------------------------------------------


def test_it_previews_new_changed_and_unchanged_then_commits(plan, admin_user):
    Figure.objects.create(measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 3, 1), value=10)
    Figure.objects.create(measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 4, 1), value=9)
    content = long_file(["SICKNESS", "2025-03", 10], ["SICKNESS", "2025-04", 8.5], ["SICKNESS", "2025-05", 8])
    result = preview(plan, content)
    assert result.counts == {"new": 1, "changed": 1, "note": 0, "unchanged": 1}
    assert Figure.objects.count() == 2  # a preview writes nothing

    commit(plan, content, admin_user)
    april = Figure.objects.get(month=datetime.date(2025, 4, 1))
    assert april.value == 8.5 and april.entered_by == admin_user and april.source_import is not None
    assert [record.value for record in april.history.order_by("history_id")] == [9, 8.5]  # correction kept


def test_it_reports_no_changes_and_writes_no_history_on_reimport(plan, admin_user):
    content = long_file(["SICKNESS", "2025-03", 10], ["VISIT-CIN", "2025-03", "70%"])
    commit(plan, content, admin_user)
    history = Figure.history.count()
    again = preview(plan, content)
    assert again.counts == {"new": 0, "changed": 0, "note": 0, "unchanged": 2} and not again.can_commit
    commit(plan, content, admin_user)
    assert Figure.history.count() == history


def test_it_commits_nothing_while_any_error_remains(plan, admin_user):
    with pytest.raises(ImportRefused):
        commit(plan, long_file(["SICKNESS", "2025-03", 10], ["SICKNESS", "2025-04", "lots"]), admin_user)
    assert not Figure.objects.exists()


def test_it_commits_all_or_nothing_when_a_write_fails_half_way(plan, admin_user, monkeypatch):
    sickness = plan.measures.get(code="SICKNESS")
    Figure.objects.create(measure=sickness, month=datetime.date(2025, 2, 1), value=12)
    rows = [["SICKNESS", f"2025-{month:02d}", 9] for month in range(2, 12)]  # 1 changed, 9 new

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")  # after the 9 new figures were written

    monkeypatch.setattr("measures.importing.bulk_update_with_history", fail)
    with pytest.raises(RuntimeError):
        commit(plan, long_file(*rows), admin_user)
    assert list(Figure.objects.values_list("value", flat=True)) == [12]
    assert Figure.history.count() == 1


def test_it_round_trips_the_export(plan, admin_user):
    commit(
        plan,
        long_file(["SICKNESS", "2025-03", 10.2], ["VISIT-CIN", "2025-04", "3 of 4"], ["SW-20-CASES", "2025-05", 20]),
        admin_user,
    )
    exported = figures_workbook(plan=plan, today=TODAY, with_figures=True)
    result = preview(plan, exported)
    assert not result.errors
    assert result.counts == {"new": 0, "changed": 0, "note": 0, "unchanged": 3}


def test_it_fills_in_the_template_by_hand_and_imports_it(plan):
    template = load_workbook(io.BytesIO(figures_workbook(plan=plan, today=TODAY, with_figures=False)))
    sheet = template["Figures"]
    assert [cell.value for cell in sheet[1]][:7] == [
        "Code",
        "Objective",
        "Measure",
        "Unit",
        "Direction",
        "Baseline",
        "Target",
    ]
    assert "Instructions" in template.sheetnames
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "VISIT-CIN")
    row[7].value = 65
    buffer = io.BytesIO()
    template.save(buffer)
    result = preview(plan, buffer.getvalue())
    assert not result.errors and [(c.measure.code, c.value) for c in result.changes] == [("VISIT-CIN", 65)]


def test_it_writes_text_cells_in_the_export_as_text(plan):
    plan.measures.filter(code="SICKNESS").update(name="=cmd|' /C calc'!A0")
    sheet = load_workbook(io.BytesIO(figures_workbook(plan=plan, today=TODAY, with_figures=True)))["Figures"]
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[0].value == "SICKNESS")
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"


# -- the management command ---------------------------------------------------------------------


def test_it_imports_from_the_command_line(plan, admin_user, tmp_path):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(long_file(["SICKNESS", "2025-03", 10]))
    call_command("import_figures", str(path), "--dry-run")
    assert not Figure.objects.exists()
    call_command("import_figures", str(path))
    assert Figure.objects.get().value == 10


def test_it_exits_non_zero_with_the_same_messages_on_error(plan, admin_user, tmp_path, capsys):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(long_file(["SICKNESS", "2025-03", "lots"]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_figures", str(path))
    assert "Figures!C2" in capsys.readouterr().err
    assert not Figure.objects.exists()
