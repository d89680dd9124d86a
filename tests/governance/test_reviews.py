"""DfE reviews with follow-up actions, and the self-assessment drafted from the data before a review."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, BoardMember, Meeting, MeetingAction, Review, SelfAssessment
from governance.self_assessment import (
    StaleSelfAssessment,
    draft_sections,
    issue_self_assessment,
    save_self_assessment,
    start_self_assessment,
)
from measures.models import Figure, Measure
from plans.models import Action, Post, Status
from plans.services import post_update


@pytest.fixture
def review(plan):
    return Review.objects.create(
        plan=plan, kind=Review.Kind.DFE_REVIEW, date=timezone.localdate(), title="First six-monthly review",
        findings="Workforce stability remains the main risk.",
    )


def test_the_draft_says_what_the_data_says(plan, admin_user):
    today = timezone.localdate()
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    post_update(action=action, author=admin_user, expected_version=0, status=Status.COMPLETE, commentary="Done")
    Figure.objects.create(measure=Measure.objects.get(plan=plan, code="SUPERVISION"),
                          month=today.replace(day=1), value=71)
    board = Board.objects.get(slug="knowsley-improvement-board")
    chair = BoardMember.objects.create(board=board, name="A Chair", role="Independent chair", organisation="DfE")
    councillor = BoardMember.objects.create(board=board, name="A Councillor", organisation="Knowsley Council")
    meeting = Meeting.objects.create(board=board, date=today - datetime.timedelta(days=30))
    meeting.attendees.set([chair, councillor])
    MeetingAction.objects.create(meeting=meeting, description="d", owner=Post.objects.first(), due=today)

    sections = draft_sections(plan, today)
    assert "1 of 53 actions are complete (2%)" in sections["progress"]
    assert "4. Workforce" in sections["progress"]
    assert (
        "Improvement Board (chair: DfE Improvement Adviser (independent chair)): 1 meeting"
        in sections["partners_and_board"]
    )
    assert "2 members attending on average" in sections["partners_and_board"]
    assert "Members come from DfE, Knowsley Council" in sections["partners_and_board"]
    assert "0 of 1 actions arising are complete" in sections["partners_and_board"]
    assert "% of cases with supervisions undertaken: 71%" in sections["supervision"]
    assert "baseline 62%, target 80%" in sections["supervision"]
    assert "% of positive responses to staff surveys" in sections["staff_surveys"]


def test_it_is_edited_with_conflicts_caught_then_issued_and_frozen(plan, admin_user, review):
    assessment = start_self_assessment(plan=plan, review=review, as_at=review.date, user=admin_user)
    assert assessment.title == f"Self-assessment before the DfE six-monthly review of {review.date:%d %B %Y}"
    save_self_assessment(assessment, edit_count=0, values={"progress": "Our words"}, user=admin_user)
    with pytest.raises(StaleSelfAssessment):
        save_self_assessment(assessment, edit_count=0, values={"progress": "Lost?"}, user=admin_user)
    assessment = issue_self_assessment(assessment, user=admin_user)
    assert assessment.progress == "Our words" and assessment.history.latest().history_user == admin_user
    with pytest.raises(ValueError, match="cannot be changed"):
        save_self_assessment(assessment, edit_count=1, values={"progress": "Later"}, user=admin_user)


def test_an_admin_records_a_review_adds_follow_up_and_drafts_the_self_assessment(plan, admin_user, manager):
    client = Client()
    client.force_login(admin_user)
    bad = client.post(reverse("governance:review_create"), {"plan": plan.pk, "title": "Monitoring visit"})
    assert bad.status_code == 200 and 'value="Monitoring visit"' in bad.content.decode()
    response = client.post(reverse("governance:review_create"), {
        "plan": plan.pk, "kind": "monitoring_visit", "date": "2025-10-08", "title": "First monitoring visit",
        "carried_out_by": "Ofsted HMI", "findings": "Some progress on visits.",
    })
    review = Review.objects.get()
    assert response.url == review.get_absolute_url()
    post = Post.objects.get(name="Head of Workforce")
    kept = client.post(reverse("governance:review_action_create", args=[review.pk]),
                       {"description": "Audit supervision", "owner": post.pk})
    assert kept.status_code == 200 and "Audit supervision" in kept.content.decode()
    client.post(reverse("governance:review_action_create", args=[review.pk]),
                {"description": "Audit supervision", "owner": post.pk, "due": "2025-12-01"})
    assert review.actions_arising.get().owner == post

    manager_client = Client()
    manager_client.force_login(manager)
    assert "Audit supervision" in manager_client.get(reverse("plans:my_actions")).content.decode()

    created = client.post(reverse("governance:self_assessment_create", args=[review.pk]), {"as_at": "2025-10-01"})
    assessment = SelfAssessment.objects.get()
    assert created.url == reverse("governance:self_assessment_edit", args=[assessment.pk])
    assert assessment.as_at == datetime.date(2025, 10, 1) and assessment.progress.startswith("As at 01 October 2025")
    client.post(reverse("governance:self_assessment_issue", args=[assessment.pk]), {"edit_count": 0})
    assert client.get(reverse("governance:self_assessment_edit", args=[assessment.pk])).status_code == 302
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Issued" in page and "Progress against each objective" in page
