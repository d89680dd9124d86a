"""Every import column is bounded as the database is, odd numbers are refused by cell, the upload's size is
checked before it is read, and a commit never overwrites figures written after its preview (issue 13)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from measures.importing import ImportRefused, commit_import, parse_value, preview_file, save_upload
from measures.models import Figure, FigureImport
from measures.workbooks import Cell

TODAY = datetime.date(2025, 11, 15)


def long_file(*rows, header=("Measure", "Month", "Value", "Note")):
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors(plan, content, name="figures.xlsx"):
    return [str(problem) for problem in preview_file(plan=plan, content=content, file_name=name, today=TODAY).errors]


def commit(plan, content, user, name="figures.xlsx", **options):
    upload = save_upload(plan=plan, content=content, file_name=name, user=user)
    return commit_import(upload=upload, user=user, today=TODAY, **options)


def test_it_refuses_a_note_longer_than_the_database_holds_naming_the_cell(plan, admin_user):
    content = long_file(["SICKNESS", "2025-03", 9, "x" * 501])
    assert errors(plan, content) == [
        "Figures!D2: this note is 501 characters long: a note can hold 500; shorten it."]
    with pytest.raises(ImportRefused):
        commit(plan, content, admin_user)
    assert not Figure.objects.exists()


def test_it_stores_a_note_of_exactly_the_longest_length_and_drops_control_characters(plan, admin_user):
    content = ("Code,Month,Value,Note\nSICKNESS,Mar-25,9,a\x00b\x0b" + "x" * 498 + "\n").encode()
    commit(plan, content, admin_user, name="figures.csv")
    assert Figure.objects.get().note == "ab" + "x" * 498


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "12345678901 of 12345678902",
            "Figures!C2: VISIT-CIN Mar 2025: “12345678901 of 12345678902”: a count over 2,147,483,647 cannot be held",
        ),
        (12345678901, "Figures!C2: VISIT-CIN Mar 2025: 12345678901% is over 100%."),
    ],
)
def test_it_refuses_numbers_the_database_cannot_hold(plan, admin_user, value, message):
    content = long_file(["VISIT-CIN", "2025-03", value])
    assert any(problem.startswith(message) for problem in errors(plan, content)), errors(plan, content)
    with pytest.raises(ImportRefused):
        commit(plan, content, admin_user)
    assert not Figure.objects.exists()


def test_it_refuses_a_figure_with_more_digits_than_a_figure_holds(plan, admin_user):
    content = long_file(["SICKNESS", "2025-03", 12345678901])
    assert errors(plan, content) == [
        "Figures!C2: SICKNESS Mar 2025: 12345678901 is too large: "
        "the largest figure that can be held is 9,999,999,999.99."
    ]


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "sNaN"])
def test_it_refuses_not_a_number_naming_the_cell(plan, admin_user, value):
    content = long_file(["SICKNESS", "2025-03", value])
    problems = errors(plan, content)
    assert len(problems) == 1 and problems[0].startswith("Figures!C2: SICKNESS Mar 2025:"), problems
    assert "is not a number" in problems[0] or "text where a number belongs" in problems[0]
    with pytest.raises(ImportRefused):
        commit(plan, content, admin_user)
    assert not Figure.objects.exists()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_it_refuses_a_float_that_is_not_a_number(plan, value):
    reading = parse_value(Cell(value, "Figures", 2, 3), plan.measures.get(code="SICKNESS"))
    assert reading.value is None and "is not a number" in reading.error


def test_it_refuses_nan_in_a_csv_in_the_browser_preview_and_commit(plan, admin_client):
    upload_url = reverse("measures:figures_upload", args=[plan.slug])
    response = admin_client.post(
        upload_url, {"file": SimpleUploadedFile("f.csv", b"Code,Month,Value\nSICKNESS,Mar-25,NaN\n")}
    )
    upload = FigureImport.objects.get()
    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert page.status_code == 200 and "f!C2" in page.content.decode()
    commit_url = reverse("measures:figures_commit", args=[plan.slug, upload.pk])
    assert admin_client.post(commit_url, {"previewed_at": timezone.now().isoformat()}).status_code == 409
    assert not Figure.objects.exists()


def test_it_refuses_a_year_no_figure_can_have(plan):
    assert errors(plan, long_file(["SICKNESS", "0000-03", 9])) == [
        "Figures!B2: “0000-03” is not a month (use e.g. Mar-25 or 2025-03)."]


# -- the upload's size ----------------------------------------------------------------------------


def test_it_says_the_size_limit_on_the_form(plan, admin_client):
    page = admin_client.get(reverse("measures:figures_upload", args=[plan.slug])).content.decode()
    assert "up to 5.0 MB" in page


def test_it_refuses_an_upload_over_the_limit_before_reading_or_storing_it(plan, admin_client, settings):
    settings.FIGURES_IMPORT_MAX_BYTES = 100 * 1024
    url = reverse("measures:figures_upload", args=[plan.slug])
    big = SimpleUploadedFile("big.csv", b"Code,Month,Value\n" + b"SICKNESS,Mar-25,9\n" * 20000)
    response = admin_client.post(url, {"file": big})
    assert response.status_code == 413
    assert "larger than the 100.0 KB limit" in response.content.decode()
    assert not FigureImport.objects.exists()
    # The body was never parsed: the request's file is still unread.
    assert response.wsgi_request._read_started is False


def test_it_refuses_a_file_over_the_limit_in_a_request_that_fits(plan, admin_client, settings):
    settings.FIGURES_IMPORT_MAX_BYTES = 100
    url = reverse("measures:figures_upload", args=[plan.slug])
    response = admin_client.post(
        url, {"file": SimpleUploadedFile("f.csv", b"Code,Month,Value\n" + b"SICKNESS,Mar-25,9\n" * 10)}
    )
    assert response.status_code == 200 and "larger than the 100 bytes limit" in response.content.decode()
    assert not FigureImport.objects.exists()


# -- a commit after someone else's -----------------------------------------------------------------


def test_it_refuses_a_commit_that_would_overwrite_figures_written_after_its_preview(plan, admin_user, admin_client,
                                                                                    django_user_model):
    sickness = plan.measures.get(code="SICKNESS")
    mine = save_upload(plan=plan, content=long_file(["SICKNESS", "2025-03", 9], ["SICKNESS", "2025-04", 8]),
                       file_name="mine.xlsx", user=admin_user)
    preview_page = admin_client.get(reverse("measures:figures_preview", args=[plan.slug, mine.pk]))
    previewed_at = preview_page.context["commit_form"].initial["previewed_at"]

    other = django_user_model.objects.create_user("olu", is_superuser=True)
    commit(plan, long_file(["SICKNESS", "2025-03", 11]), other, name="theirs.xlsx")

    url = reverse("measures:figures_commit", args=[plan.slug, mine.pk])
    response = admin_client.post(url, {"previewed_at": previewed_at})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Figures changed after you checked this file" in page
    assert "SICKNESS Mar 2025 was entered by olu" in page and "(now 11 days)" in page
    assert Figure.objects.get(measure=sickness, month=datetime.date(2025, 3, 1)).value == 11
    assert not Figure.objects.filter(month=datetime.date(2025, 4, 1)).exists()
    mine.refresh_from_db()
    assert mine.state == FigureImport.State.PREVIEWED

    # The page shows the preview again, built now: importing from it goes ahead.
    again = response.context["commit_form"].initial["previewed_at"]
    assert admin_client.post(url, {"previewed_at": again}).status_code == 302
    assert Figure.objects.get(measure=sickness, month=datetime.date(2025, 3, 1)).value == 9


def test_it_commits_when_figures_written_since_the_preview_are_not_ones_it_changes(plan, admin_user, django_user_model):
    previewed_at = timezone.now()
    other = django_user_model.objects.create_user("olu", is_superuser=True)
    commit(plan, long_file(["VISIT-CIN", "2025-03", 70]), other)
    commit(plan, long_file(["SICKNESS", "2025-03", 9]), admin_user, previewed_at=previewed_at)
    assert Figure.objects.count() == 2


def test_it_refuses_a_commit_without_its_preview_time_if_figures_changed_since_the_upload(
    plan, admin_user, admin_client, django_user_model
):
    mine = save_upload(plan=plan, content=long_file(["SICKNESS", "2025-03", 9]), file_name="mine.xlsx", user=admin_user)
    commit(plan, long_file(["SICKNESS", "2025-03", 11]), django_user_model.objects.create_user("olu"))
    response = admin_client.post(reverse("measures:figures_commit", args=[plan.slug, mine.pk]))
    assert response.status_code == 409
    assert Figure.objects.get().value == 11


def test_it_still_checks_the_csrf_token_on_an_upload_that_fits(plan, admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    url = reverse("measures:figures_upload", args=[plan.slug])
    response = client.post(url, {"file": SimpleUploadedFile("f.csv", b"Code,Month,Value\nSICKNESS,Mar-25,9\n")})
    assert response.status_code == 403
    assert not FigureImport.objects.exists()


@pytest.mark.parametrize("name, stored", [
    ("figures\x0b2025\x00.csv", "figures2025.csv"),
    ("x" * 300 + ".xlsx", "x" * 250 + ".xlsx"),
])
def test_it_stores_a_clean_file_name_that_fits(plan, admin_client, name, stored):
    url = reverse("measures:figures_upload", args=[plan.slug])
    response = admin_client.post(url, {"file": SimpleUploadedFile(name, b"Code,Month,Value\nSICKNESS,Mar-25,9\n")})
    assert response.status_code == 302
    assert FigureImport.objects.get().file_name == stored


def test_it_refuses_a_file_whose_name_is_no_spreadsheet_naming_the_field(plan, admin_client):
    url = reverse("measures:figures_upload", args=[plan.slug])
    response = admin_client.post(url, {"file": SimpleUploadedFile('"one', b"Code,Month,Value\nSICKNESS,Mar-25,9\n")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("The file's name must end .xlsx or .csv")
    assert not FigureImport.objects.exists()


def test_it_refuses_a_file_name_too_long_for_the_upload_parser_on_the_form(plan, admin_client):
    url = reverse("measures:figures_upload", args=[plan.slug])
    response = admin_client.post(url, {"file": SimpleUploadedFile("😀" * 251 + ".csv", b"Code,Month,Value\n")})
    assert response.status_code == 400
    assert "its name may be too long" in response.context["form"].errors["file"][0]
    assert not FigureImport.objects.exists()
