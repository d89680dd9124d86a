"""What people type into the forms the fuzz test (tests/test_form_fuzz.py) found unbounded: a figure's note and
reasons, the admin's change forms, Django's own messages, and a revised deadline's decision note."""

import datetime

from django.urls import reverse

from measures.models import Figure, RagOverride
from plans.models import Action, DeadlineRevision
from tests.form_fuzz import read_page

PASTED = "Moved\x0bfrom\x0cWord\x1b with NUL\x00 and CR LF\r\nlines"
CLEANED = "Moved\nfrom\nWord with NUL and CR LF\nlines"


def test_it_cleans_a_figures_note_and_reason_as_every_other_form(admin_client, plan):
    figure = Figure.objects.create(
        measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 4, 1), value=10
    )
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", figure.pk])
    version = figure.history.latest().history_id
    response = admin_client.post(url, {"value": "11", "note": PASTED, "reason": PASTED, "version": version})
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.note == CLEANED and figure.history.latest().history_change_reason == CLEANED


def test_it_cleans_a_rag_overrides_reason(admin_client, plan):
    measure = plan.measures.get(code="SICKNESS")
    Figure.objects.create(measure=measure, month=datetime.date(2025, 4, 1), value=10)
    response = admin_client.post(measure.get_absolute_url(), {"month": "2025-04-01", "rag": "red", "reason": PASTED})
    assert response.status_code == 302 and RagOverride.objects.get(measure=measure).reason == CLEANED


def test_the_admin_cleans_text_and_names_the_field_it_refuses(admin_client, plan):
    url = reverse("admin:plans_action_change", args=[Action.objects.get(objective__plan=plan, ref="4.1").pk])
    form = next(f for f in read_page(admin_client.get(url).content).forms if "priority" in f["names"])
    data = {}
    for key, value in form["data"]:
        data.setdefault(key, []).append(value)
    data |= {"priority": [PASTED], "deadline_note": ["x" * 301]}
    response = admin_client.post(url, data)
    assert "Deadline note must be 300 characters or fewer: it has 301." in response.content.decode()
    data["deadline_note"] = ["By March"]
    assert admin_client.post(url, data).status_code == 302
    assert Action.objects.get(objective__plan=plan, ref="4.1").priority == CLEANED


def test_djangos_own_messages_name_the_field(admin_client, plan):
    board = plan.boards.first()
    response = admin_client.post(reverse("governance:meeting_create", args=[board.slug]), {"date": "2025-02-30"})
    assert "Enter a valid date in “Date”, for example 2025-06-30." in response.content.decode()
    review = admin_client.post(reverse("governance:review_create"), {"kind": "dfe_review", "date": "2025-07-01"})
    assert "Title is required: enter it." in review.content.decode()


def test_the_revised_deadlines_page_shows_the_note_of_each_decision(admin_client, plan, manager):
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    revision = DeadlineRevision.objects.create(
        action=action, new_deadline=datetime.date(2026, 1, 1), reason="Staff moved", requested_by=manager
    )
    url = reverse("plans:revision_decide", args=[plan.slug, revision.pk])
    admin_client.post(url, {"decision": "reject", "note": "Keep the March date: the panel meets then."})
    page = admin_client.get(reverse("plans:revision_list", args=[plan.slug]))
    assert "Keep the March date: the panel meets then." in page.content.decode()


def test_a_draft_actions_page_offers_its_deadline_as_a_month_a_browser_keeps(admin_client, plan):
    from plans.versions import start_version

    start_version(plan, title="Draft", user=None)
    page = admin_client.get(reverse("plans:draft_action_edit", args=[plan.slug, 2, 4, 1]))
    form = next(f for f in read_page(page.content).forms if "deadline" in f["names"])
    assert len(form["values"]["deadline"]) == 7  # 2025-09, not 2025-09-01 (which a month input throws away)
    data = {}
    for key, value in form["data"]:
        data.setdefault(key, []).append(value)
    assert admin_client.post(page.wsgi_request.path, data).status_code == 302


def test_the_board_report_pdf_prints_a_long_commentary_in_full(board_client, plan, manager):
    from governance.models import Board, BoardReport, Meeting
    from plans.models import ActionUpdate
    from tests.form_fuzz import no_spaces, pdf_text

    action = Action.objects.get(objective__plan=plan, ref="4.1")
    ActionUpdate.objects.create(action=action, author=manager, status="on_track", commentary="word " * 100)
    board = Board.objects.get(slug="knowsley-improvement-board")
    meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 9, 1))
    report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=datetime.date.today(), title="Report")
    text = no_spaces(pdf_text(board_client.get(reverse("governance:report_pdf", args=[report.pk])).content))
    assert "word" * 100 in text and "…" not in text  # no spaces: the PDF wraps lines
