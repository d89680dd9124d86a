import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import Board, BoardReport, Meeting, MeetingAction
from plans.models import Action, Post, Status
from plans.services import post_update


@pytest.fixture
def board(plan):
    return Board.objects.get(slug="knowsley-improvement-board")


@pytest.fixture
def meeting(board):
    return Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15), agenda="1. Progress report")


def test_it_loads_the_boards_that_oversee_the_plan(plan):
    assert {board.name for board in plan.boards.all()} == {
        "Improvement Board", "Corporate Parenting Board", "Safeguarding Children Partnership Board"}
    assert Board.objects.get(name="Improvement Board").chair.startswith("DfE Improvement Adviser")


def test_it_lets_an_admin_record_a_meeting_and_keeps_what_was_typed_when_wrong(admin_client, board):
    url = reverse("governance:meeting_create", args=[board.slug])
    response = admin_client.post(url, {"date": "not a date", "minutes": "Discussed workforce."})
    assert response.status_code == 200 and "Discussed workforce." in response.content.decode()
    response = admin_client.post(url, {"date": "2025-09-15", "minutes": "Discussed workforce.", "decisions": "Agreed."})
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url() and meeting.decisions == "Agreed."


def test_it_shows_actions_arising_on_my_actions_and_lets_the_owner_move_them(client, manager, meeting, admin_user):
    client.force_login(admin_user)
    client.post(
        reverse("governance:meeting_action_create", args=[meeting.board.slug, meeting.pk]),
        {"description": "Bring the agency reduction plan", "owner": Post.objects.get(name="Head of Workforce").pk,
         "due": "2025-10-15"},
    )
    rejected = client.post(
        reverse("governance:meeting_action_create", args=[meeting.board.slug, meeting.pk]),
        {"description": "Typed but missing its due date"},
    )
    assert rejected.status_code == 200 and "Typed but missing its due date" in rejected.content.decode()
    assert "There is a problem" in rejected.content.decode()
    item = MeetingAction.objects.get()
    client.force_login(manager)
    page = client.get(reverse("plans:my_actions")).content.decode()
    assert "Bring the agency reduction plan" in page and "Overdue" in page
    client.post(reverse("governance:meeting_action_status", args=[item.pk]), {"status": Status.COMPLETE})
    item.refresh_from_db()
    assert item.status == Status.COMPLETE


def test_it_refuses_to_let_another_manager_move_an_action_arising(client, other_manager, meeting):
    item = MeetingAction.objects.create(
        meeting=meeting,
        description="x",
        owner=Post.objects.get(name="Head of Workforce"),
        due=datetime.date(2026, 1, 1),
    )
    client.force_login(other_manager)
    assert (
        client.post(reverse("governance:meeting_action_status", args=[item.pk]), {"status": "complete"}).status_code
        == 403
    )


def test_it_freezes_an_issued_report_against_later_changes(admin_client, meeting, plan, manager):
    response = admin_client.post(
        reverse("governance:report_create", args=[meeting.board.slug, meeting.pk]),
        {"plan": plan.pk, "as_at": datetime.date.today().isoformat()},
    )
    report = BoardReport.objects.get()
    assert response.url == reverse("governance:report_edit", args=[report.pk])
    admin_client.post(response.url, {"title": report.title, "analysis": "Workforce is the risk.", "recommendations": "",
                                     "evidence_of_impact": "", "views_of_staff_and_children": "Staff feel heard.",
                                     "edit_count": 0})
    action = Action.objects.get(ref="4.1")
    post_update(action=action, author=manager, expected_version=0, status=Status.OFF_TRACK, commentary="Before issue")
    admin_client.post(reverse("governance:report_issue", args=[report.pk]), {"edit_count": 1})
    report.refresh_from_db()
    assert report.is_issued and "Before issue" in report.issued_html

    post_update(action=action, author=manager, expected_version=1, status=Status.COMPLETE, commentary="After issue")
    page = admin_client.get(report.get_absolute_url()).content.decode()
    assert "Before issue" in page and "After issue" not in page and "Workforce is the risk." in page
    sheet = load_workbook(
        io.BytesIO(admin_client.get(reverse("governance:report_xlsx", args=[report.pk])).content)
    )["Actions"]
    row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "4.1")
    assert row[7] == "Before issue"
    pdf = admin_client.get(reverse("governance:report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert admin_client.get(reverse("governance:report_edit", args=[report.pk])).status_code == 302
    admin_client.post(reverse("governance:report_issue", args=[report.pk]), {"edit_count": 2})
    assert BoardReport.objects.get().issued_at == report.issued_at


def test_it_lists_boards_and_meetings_for_a_board_member(board_client, meeting):
    assert "Improvement Board" in board_client.get(reverse("governance:board_list")).content.decode()
    page = board_client.get(meeting.get_absolute_url()).content.decode()
    assert "1. Progress report" in page and "Generate the report" not in page


def test_the_report_draws_each_measures_trend_from_its_snapshot(plan, admin_user):
    import re

    from governance.report_charts import COLOURS
    from governance.report_files import report_pdf
    from governance.reports import render_report_body, report_snapshot
    from measures.models import Figure, Measure
    from tests.pdf_text import pdf_text

    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    for month, value in [(3, 62), (4, 66), (5, 71)]:
        Figure.objects.create(measure=measure, month=datetime.date(2025, month, 1), value=value)
    from django.utils import timezone

    today = timezone.localdate()
    snapshot = report_snapshot(plan=plan, as_at=today, since=None)
    row = next(m for o in snapshot["objectives"] for m in o["measures"] if m["code"] == "SUPERVISION")
    assert row["series"] == [["2025-03-01", 62.0], ["2025-04-01", 66.0], ["2025-05-01", 71.0]]
    report = BoardReport(title="Report", as_at=today, plan=plan)
    html = render_report_body(report, snapshot)
    svg = re.search(r'<svg[^>]*aria-labelledby="trend-1-SUPERVISION".*?</svg>', html, re.S).group(0)
    assert "from 62 in March 2025 to 71 in May 2025; target 80 (dashed line); baseline 62 (dotted line)" in svg
    assert svg.count("stroke-dasharray") == 2 and f'fill="{COLOURS[row["rag"]]}"' in svg  # latest in its RAG colour
    # Printed, the guides are labelled in words and the first and last figures and months are given.
    text = pdf_text(report_pdf(report, snapshot))
    assert all(label in text for label in ("Target 80", "Baseline 62", "Mar 2025", "May 2025"))


@pytest.fixture
def workforce_item(meeting):
    return MeetingAction.objects.create(
        meeting=meeting,
        description="x",
        owner=Post.objects.get(name="Head of Workforce"),
        due=datetime.date(2026, 1, 1),
    )


def test_it_refuses_a_post_holder_without_the_service_manager_role(client, django_user_model, workforce_item):
    from plans.models import PostHolder

    reader = django_user_model.objects.create_user(username="rita", password="correct-horse-battery")
    PostHolder.objects.create(post=workforce_item.owner, user=reader)  # holds the post, but only reads
    client.force_login(reader)
    response = client.post(
        reverse("governance:meeting_action_status", args=[workforce_item.pk]), {"status": "complete"}
    )
    workforce_item.refresh_from_db()
    assert response.status_code == 403 and workforce_item.status == Status.NOT_STARTED


@pytest.mark.parametrize(
    "next_url",
    # Not paths: "NaN" or a number was taken for a URL name by redirect() and answered 500 (found by test_form_fuzz).
    ["//evil.example", "https://evil.example/", "/\\evil.example", "///evil.example", "javascript:alert(1)", "NaN",
     "99999999999999999999", "home"],
)
def test_it_never_follows_next_off_the_site_after_moving_an_action_arising(manager_client, workforce_item, next_url):
    url = reverse("governance:meeting_action_status", args=[workforce_item.pk])
    response = manager_client.post(url, {"status": "complete", "next": next_url})
    workforce_item.refresh_from_db()
    assert workforce_item.status == Status.COMPLETE
    assert response.url == workforce_item.meeting.get_absolute_url()


def test_it_follows_next_back_to_my_actions(manager_client, workforce_item):
    url = reverse("governance:meeting_action_status", args=[workforce_item.pk])
    response = manager_client.post(url, {"status": "on_track", "next": reverse("plans:my_actions")})
    assert response.url == reverse("plans:my_actions")
