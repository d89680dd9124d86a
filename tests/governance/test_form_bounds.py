"""Board and review forms take only what the database holds, cleaned, or say which field is wrong and keep the rest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, BoardReport, Meeting, MeetingAction, Review, SelfAssessment
from plans.models import Post


@pytest.fixture
def board(plan):
    return Board.objects.get(slug="knowsley-improvement-board")


@pytest.fixture
def meeting(board):
    return Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15))


@pytest.fixture
def review(plan):
    return Review.objects.create(
        plan=plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 10, 8), title="Review"
    )


def review_data(plan, **overrides):
    return {"plan": plan.pk, "kind": "monitoring_visit", "date": "2025-10-08", "title": "First monitoring visit",
            "carried_out_by": "Ofsted HMI", "findings": "Some progress on visits.", **overrides}


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01"])
def test_it_refuses_a_meeting_outside_sane_years_and_keeps_the_minutes(admin_client, board, day):
    response = admin_client.post(
        reverse("governance:meeting_create", args=[board.slug]), {"date": day, "minutes": "Discussed workforce."}
    )
    html = response.content.decode()
    assert "Date must be between 2000 and 2100: check the year." in html and "Discussed workforce." in html
    assert not Meeting.objects.exists()


def test_it_names_the_field_of_a_review_title_too_long_and_keeps_the_findings(admin_client, plan):
    response = admin_client.post(reverse("governance:review_create"), review_data(plan, title="t" * 201))
    html = response.content.decode()
    assert "Title must be 200 characters or fewer: it has 201." in html and "Some progress on visits." in html
    assert not Review.objects.exists()


def test_it_stores_review_text_without_control_characters(admin_client, plan):
    response = admin_client.post(
        reverse("governance:review_create"),
        review_data(plan, title="Visit\x00 one", findings="Visits\x0bimproved.\x1b"),
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.title, review.findings) == ("Visit one", "Visits\nimproved.")


def test_it_refuses_a_follow_up_action_due_in_year_one(admin_client, review):
    post = Post.objects.get(name="Head of Workforce")
    response = admin_client.post(
        reverse("governance:review_action_create", args=[review.pk]),
        {"description": "Audit supervision", "owner": post.pk, "due": "0001-01-01"},
    )
    assert "Due must be between 2000 and 2100" in response.content.decode()
    assert not MeetingAction.objects.exists()


def test_it_refuses_a_self_assessment_as_at_year_one(admin_client, review):
    admin_client.post(reverse("governance:self_assessment_create", args=[review.pk]), {"as_at": "0001-01-01"})
    assert not SelfAssessment.objects.exists()


def test_it_refuses_a_board_report_as_at_year_one(admin_client, meeting, plan):
    admin_client.post(
        reverse("governance:report_create", args=[meeting.board.slug, meeting.pk]),
        {"plan": plan.pk, "as_at": "0001-01-01"},
    )
    assert not BoardReport.objects.exists()


def test_it_stores_a_report_narrative_pasted_from_word_without_control_characters(admin_client, meeting, plan):
    report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=timezone.localdate(), title="Report")
    response = admin_client.post(
        reverse("governance:report_edit", args=[report.pk]),
        {"title": "Report", "analysis": "Workforce\x0bis the risk.\x07", "recommendations": "",
         "evidence_of_impact": "", "views_of_staff_and_children": "", "edit_count": report.edit_count},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.analysis == "Workforce\nis the risk."


def test_it_makes_a_report_for_a_board_with_the_longest_name_within_the_title_length(admin_client, board, plan):
    board.name = "B" * Board._meta.get_field("name").max_length
    board.save()
    meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15))
    response = admin_client.post(
        reverse("governance:report_create", args=[board.slug, meeting.pk]), {"plan": plan.pk, "as_at": "2025-09-01"}
    )
    assert response.status_code == 302
    report = BoardReport.objects.get()
    assert len(report.title) == BoardReport._meta.get_field("title").max_length
    assert report.title.startswith("Report to the BBB") and report.title.endswith("…")
