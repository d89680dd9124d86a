"""Figures a person should look at before they are imported are listed in the preview, and the commit asks
for a tick (issue 14: "Warnings a person confirms before commit")."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.importing import preview_file, save_upload
from measures.models import Figure

TODAY = datetime.date(2025, 11, 15)


def warnings(plan, csv_text):
    result = preview_file(plan=plan, content=csv_text.encode(), file_name="figures.csv", today=TODAY)
    assert not result.errors, result.errors
    return [str(problem) for problem in result.warnings]


def hold(plan, code, values, first_month=3):
    measure = plan.measures.get(code=code)
    for offset, value in enumerate(values):
        Figure.objects.create(measure=measure, month=datetime.date(2025, first_month + offset, 1), value=Decimal(value))


def test_it_warns_of_a_jump_far_outside_the_recent_run(plan):
    hold(plan, "SICKNESS", ["10", "10.2", "10.1", "10.3", "10.2", "10.4"])  # Mar to Aug
    assert warnings(plan, "Code,Month,Value\nSICKNESS,Sep-25,20\n") == [
        "figures!C2: SICKNESS Sep 2025: 20 days is a change of 9.6 from 10.4 days, over 3 times the usual monthly "
        "change (0.2)."]


def test_it_does_not_warn_of_an_ordinary_month(plan):
    hold(plan, "SICKNESS", ["10", "10.2", "10.1", "10.3", "10.2", "10.4"])
    assert warnings(plan, "Code,Month,Value\nSICKNESS,Sep-25,10.5\n") == []


def test_it_warns_of_a_percentage_moving_twenty_points(plan):
    hold(plan, "VISIT-CIN", ["70"], first_month=8)
    assert warnings(plan, "Code,Month,Value\nVISIT-CIN,Sep-25,95%\n") == [
        "figures!C2: VISIT-CIN Sep 2025: 95% moves 25 points from 70% the month before."]


def test_it_warns_of_a_month_before_the_baseline(plan):
    assert plan.measures.get(code="SICKNESS").baseline_period == "Feb 2025"
    assert warnings(plan, "Code,Month,Value\nSICKNESS,Jan-25,10\n") == [
        "figures!C2: SICKNESS Jan 2025 is before the measure's baseline (February 2025)."]


def test_it_warns_of_changing_a_figure_corrected_before(plan):
    figure = Figure.objects.create(
        measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 3, 1), value=10
    )
    figure.value = Decimal("10.5")
    figure.save()
    assert warnings(plan, "Code,Month,Value\nSICKNESS,Mar-25,10.6\n") == [
        "figures!C2: SICKNESS Mar 2025 has been corrected before: this would change it again."]


def test_it_does_not_warn_of_a_figure_only_entered_once(plan):
    Figure.objects.create(measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 3, 1), value=10)
    assert warnings(plan, "Code,Month,Value\nSICKNESS,Mar-25,10.6\n") == []


@pytest.fixture
def upload_with_a_warning(plan, admin_user):
    return save_upload(plan=plan, content=b"Code,Month,Value\nSICKNESS,Jan-25,10\n", file_name="figures.csv",
                       user=admin_user)


def test_it_lists_warnings_in_the_preview_with_a_box_to_tick(plan, admin_client, upload_with_a_warning):
    page = admin_client.get(reverse("measures:figures_preview", args=[plan.slug, upload_with_a_warning.pk]))
    html = page.content.decode()
    assert "is before the measure&#x27;s baseline" in html or "is before the measure's baseline" in html
    assert 'name="confirm_warnings"' in html


def test_it_commits_only_after_the_tick(plan, admin_client, upload_with_a_warning):
    url = reverse("measures:figures_commit", args=[plan.slug, upload_with_a_warning.pk])
    page = admin_client.get(reverse("measures:figures_preview", args=[plan.slug, upload_with_a_warning.pk]))
    previewed_at = page.context["commit_form"].initial["previewed_at"]
    refused = admin_client.post(url, {"previewed_at": previewed_at})
    assert refused.status_code == 409
    assert "Tick the box to say you have checked the warnings" in refused.content.decode()
    assert not Figure.objects.exists()
    upload_with_a_warning.refresh_from_db()
    assert upload_with_a_warning.state == "previewed"

    assert admin_client.post(url, {"previewed_at": previewed_at, "confirm_warnings": "on"}).status_code == 302
    assert Figure.objects.get().value == 10
