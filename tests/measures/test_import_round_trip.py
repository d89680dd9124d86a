"""Re-importing the app's own export changes nothing, notes included, and the counts after commit are the
preview's (issue 14: "Stored wrong or lost")."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures.exporting import figures_workbook
from measures.importing import commit_import, preview_file, save_upload
from measures.models import Figure, FigureImport

TODAY = datetime.date(2025, 11, 15)


def preview(plan, content, name="figures.xlsx"):
    return preview_file(plan=plan, content=content, file_name=name, today=TODAY)


def commit(plan, content, user, name="figures.xlsx", **options):
    return commit_import(upload=save_upload(plan=plan, content=content, file_name=name, user=user), user=user,
                         today=TODAY, **options)


def held(plan):
    return {(f.measure.code, f.month): (f.value, f.numerator, f.denominator, f.note)
            for f in Figure.objects.filter(measure__plan=plan).select_related("measure")}


@pytest.fixture
def figures_with_notes(plan):
    """Figures of every kind the app can hold, most with notes."""
    rows = [
        ("VISIT-CIN", 3, Decimal("82.6"), None, None, "Two teams short"),
        ("VISIT-CIN", 4, Decimal("0.5"), None, None, ""),
        ("VISIT-CIN", 5, Decimal("75"), 3, 4, "Small cohort"),
        ("VISIT-CIN", 6, Decimal("34"), 1, 3, "Value and fraction differ"),
        ("VISIT-CIN", 7, Decimal("100"), None, None, "All"),
        ("SICKNESS", 3, Decimal("10.80"), None, None, "Flu"),
        ("SICKNESS", 4, Decimal("0.01"), None, None, ""),
        ("SW-20-CASES", 3, Decimal("26"), None, None, "“Quoted”, with commas; and = signs"),
        ("SW-20-CASES", 4, Decimal("9999999999.00"), None, None, ""),
        ("FOSTER-APPROVED", 3, Decimal("0.5"), None, None, "A fraction entered by hand before imports checked"),
        ("TURNOVER", 3, Decimal("11.5"), 7, None, "Numerator without denominator"),
        ("TURNOVER", 4, Decimal("120"), None, None, "Over 100%, entered by hand"),
        ("SW-20-CASES", 5, Decimal("-2"), None, None, "Negative, entered by hand"),
    ]
    for code, month, value, numerator, denominator, note in rows:
        Figure.objects.create(measure=plan.measures.get(code=code), month=datetime.date(2025, month, 1), value=value,
                              numerator=numerator, denominator=denominator, note=note)
    return held(plan)


def test_it_reimports_its_own_export_unchanged_notes_and_all(plan, admin_user, figures_with_notes):
    exported = figures_workbook(plan=plan, today=TODAY, with_figures=True)
    result = preview(plan, exported)
    assert [str(problem) for problem in result.errors] == []
    assert result.counts == {"new": 0, "changed": 0, "note": 0, "unchanged": len(figures_with_notes)}
    history = Figure.history.count()
    commit(plan, exported, admin_user)  # nothing to write
    assert held(plan) == figures_with_notes and Figure.history.count() == history


def test_it_keeps_notes_when_the_file_has_no_note_column(plan, admin_user, figures_with_notes):
    book = load_workbook(io.BytesIO(figures_workbook(plan=plan, today=TODAY, with_figures=True)))
    del book["Figure notes"]
    buffer = io.BytesIO()
    book.save(buffer)
    assert preview(plan, buffer.getvalue()).counts["unchanged"] == len(figures_with_notes)
    content = b"Code,Month,Value\nSICKNESS,Mar-25,11\n"
    commit(plan, content, admin_user, name="figures.csv")
    sickness = Figure.objects.get(measure__code="SICKNESS", month=datetime.date(2025, 3, 1))
    assert (sickness.value, sickness.note) == (11, "Flu")


def test_it_shows_a_note_only_change_as_a_note_change_not_a_correction(plan, admin_user, figures_with_notes):
    book = load_workbook(io.BytesIO(figures_workbook(plan=plan, today=TODAY, with_figures=True)))
    notes = book["Figure notes"]
    row = next(row for row in notes.iter_rows(min_row=2) if row[0].value == "SICKNESS")
    row[3].value = "Flu and norovirus"
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(plan, buffer.getvalue())
    assert result.counts == {"new": 0, "changed": 0, "note": 1, "unchanged": len(figures_with_notes) - 1}
    (change,) = result.of_kind("note")
    assert (change.old.note, change.new_note, change.display) == ("Flu", "Flu and norovirus", "10.8 days")
    commit(plan, buffer.getvalue(), admin_user)
    sickness = Figure.objects.get(measure__code="SICKNESS", month=datetime.date(2025, 3, 1))
    assert (sickness.value, sickness.note) == (Decimal("10.80"), "Flu and norovirus")
    upload = FigureImport.objects.get()
    assert (upload.created_count, upload.changed_count, upload.unchanged_count) == (0, 1, len(figures_with_notes) - 1)


def test_it_treats_the_same_value_written_differently_as_unchanged(plan, figures_with_notes):
    content = b"Code,Month,Value\nVISIT-CIN,Mar-25,82.60%\nSICKNESS,Mar-25,10.8\nSW-20-CASES,Mar-25,26.00\n"
    assert preview(plan, content, name="figures.csv").counts["unchanged"] == 3
    book = Workbook()
    book.active.append(["Code", "Month", "Value"])
    book.active.append(["VISIT-CIN", "Mar-25", 0.826])
    book.active["C2"].number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    assert preview(plan, buffer.getvalue()).counts["unchanged"] == 1


def test_it_says_the_counts_the_preview_showed_after_commit(plan, admin_user, admin_client, figures_with_notes):
    content = (
        b"Code,Month,Value,Note\nSICKNESS,Mar-25,10.8,Flu\nSICKNESS,May-25,9,\nSW-20-CASES,Mar-25,26,Changed note\n"
    )
    upload = save_upload(plan=plan, content=content, file_name="figures.csv", user=admin_user)
    page = admin_client.get(reverse("measures:figures_preview", args=[plan.slug, upload.pk]))
    assert "1 new, 0 changed, 1 with only the note changed and 1 unchanged figures" in page.content.decode()
    response = admin_client.post(reverse("measures:figures_commit", args=[plan.slug, upload.pk]),
                                 {"previewed_at": page.context["commit_form"].initial["previewed_at"]}, follow=True)
    assert "1 new, 0 changed, 1 with only the note changed, 1 unchanged figures" in response.content.decode()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_it_reimports_its_export_unchanged_after_libreoffice_saves_it(plan, figures_with_notes, tmp_path):
    source = tmp_path / "export.xlsx"
    source.write_bytes(figures_workbook(plan=plan, today=TODAY, with_figures=True))
    out = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=120)
    result = preview(plan, (out / "export.xlsx").read_bytes())
    assert [str(problem) for problem in result.errors] == []
    assert result.counts == {"new": 0, "changed": 0, "note": 0, "unchanged": len(figures_with_notes)}


def test_it_exports_a_note_holding_control_characters_without_them(plan):
    Figure.objects.create(measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 3, 1), value=9,
                          note="pasted\x0bfrom Word")
    book = load_workbook(io.BytesIO(figures_workbook(plan=plan, today=TODAY, with_figures=True)))
    assert [cell.value for cell in book["Figure notes"][2]][3] == "pastedfrom Word"
