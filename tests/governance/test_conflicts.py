"""Two admins editing one meeting, review, board report or self-assessment: the second is told, nothing is lost."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from governance.models import Board, BoardMember, BoardReport, Meeting, Review, SelfAssessment
from governance.reports import issue_report
from governance.self_assessment import start_self_assessment


@pytest.fixture
def bea(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="bea", password="x" * 16, first_name="Bea", last_name="Admin")
    user.groups.add(Group.objects.get_or_create(name="Admin")[0])
    return user


@pytest.fixture
def bea_client(bea):
    client = Client()
    client.force_login(bea)
    return client


@pytest.fixture
def meeting(plan):
    board = Board.objects.get(slug="knowsley-improvement-board")
    return Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15), minutes="First draft of the minutes")


@pytest.fixture
def report(meeting, plan):
    return BoardReport.objects.create(meeting=meeting, plan=plan, as_at=datetime.date(2025, 9, 10), title="Report")


def _meeting_data(**values):
    return {"date": "2025-09-15", "agenda": "", "minutes": "", "decisions": "", "edit_count": 0, **values}


def _report_data(**values):
    blank = {name: "" for name in BoardReport.TEXT}
    return {**blank, "title": "Report", "edit_count": 0, **values}


def test_it_refuses_the_second_save_of_a_meeting_and_shows_what_the_first_changed(admin_client, bea_client, meeting):
    url = reverse("governance:meeting_edit", args=[meeting.board.slug, meeting.pk])
    assert bea_client.post(url, _meeting_data(minutes="Bea's minutes")).status_code == 302
    refused = admin_client.post(url, _meeting_data(minutes="Ada's minutes", decisions="Ada's decisions"))
    page = refused.content.decode()
    meeting.refresh_from_db()
    assert refused.status_code == 409 and meeting.minutes == "Bea's minutes" and meeting.decisions == ""
    assert "Ada&#x27;s minutes" in page and "Ada&#x27;s decisions" in page  # what Ada typed is kept
    assert "What Bea Admin changed" in page and "Bea&#x27;s minutes" in page and "First draft of the minutes" in page
    assert 'name="edit_count" value="1"' in page  # saving again, having seen Bea's, goes through
    assert admin_client.post(url, _meeting_data(minutes="Merged", edit_count=1)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Merged" and meeting.edit_count == 2
    assert meeting.history.latest().history_user.username == "ada"


def test_it_shows_attendees_someone_else_changed(admin_client, bea_client, meeting):
    member = BoardMember.objects.create(board=meeting.board, name="Cllr Jones")
    url = reverse("governance:meeting_edit", args=[meeting.board.slug, meeting.pk])
    assert bea_client.post(url, _meeting_data(attendees=[member.pk])).status_code == 302
    page = admin_client.post(url, _meeting_data(minutes="Ada")).content.decode()
    assert "Attendees" in page and "Cllr Jones" in page
    assert list(Meeting.objects.get().attendees.all()) == [member]


def test_a_form_without_its_edit_count_saves_nothing(admin_client, meeting):
    url = reverse("governance:meeting_edit", args=[meeting.board.slug, meeting.pk])
    for count in ("", "abc", "-1", "99"):
        response = admin_client.post(url, _meeting_data(minutes="Forged", edit_count=count))
        assert response.status_code in (200, 409)
    meeting.refresh_from_db()
    assert meeting.minutes == "First draft of the minutes" and meeting.edit_count == 0


def test_it_refuses_the_second_save_of_a_report(admin_client, bea_client, report):
    url = reverse("governance:report_edit", args=[report.pk])
    assert bea_client.post(url, _report_data(analysis="Bea's analysis")).status_code == 302
    refused = admin_client.post(url, _report_data(analysis="Ada's analysis"))
    page = refused.content.decode()
    report.refresh_from_db()
    assert refused.status_code == 409 and report.analysis == "Bea's analysis"
    assert "Ada&#x27;s analysis" in page and "What Bea Admin changed" in page and "Bea&#x27;s analysis" in page


def test_saving_a_report_issued_meanwhile_keeps_it_issued_with_its_snapshot(admin_client, bea, report):
    url = reverse("governance:report_edit", args=[report.pk])
    assert 'name="edit_count" value="0"' in admin_client.get(url).content.decode()  # Ada opens the form
    issue_report(report=report, user=bea, seen=0)  # Bea issues it
    issued = BoardReport.objects.get()
    refused = admin_client.post(url, _report_data(title="Ada's title", analysis="Ada's late analysis"))
    page = refused.content.decode()
    report.refresh_from_db()
    assert refused.status_code == 409 and "has been issued" in page and "Ada&#x27;s late analysis" in page
    assert "Save draft" not in page
    assert report.is_issued and report.title == "Report" and report.analysis == ""
    assert report.snapshot == issued.snapshot and report.snapshot and report.issued_html == issued.issued_html
    assert report.issued_by == bea and report.issued_at == issued.issued_at
    # Even with the count the issue left, an issued report is frozen.
    admin_client.post(url, _report_data(analysis="Again", edit_count=report.edit_count))
    report.refresh_from_db()
    assert report.analysis == "" and report.is_issued


def test_it_does_not_issue_a_report_changed_since_the_page_was_opened(admin_client, bea_client, report):
    edit = reverse("governance:report_edit", args=[report.pk])
    confirm = reverse("governance:report_issue_confirm", args=[report.pk])  # Ada is asked to confirm
    assert 'name="edit_count" value="0"' in admin_client.get(confirm).content.decode()
    bea_client.post(edit, _report_data(analysis="Added after Ada looked"))
    response = admin_client.post(reverse("governance:report_issue", args=[report.pk]), {"edit_count": 0}, follow=True)
    report.refresh_from_db()
    assert not report.is_issued and "Bea Admin changed this report since you opened it" in response.content.decode()
    admin_client.post(reverse("governance:report_issue", args=[report.pk]), {"edit_count": 1})
    report.refresh_from_db()
    assert report.is_issued and "Added after Ada looked" in report.issued_html


def test_it_refuses_the_second_save_of_a_review(admin_client, bea_client, plan):
    review = Review.objects.create(plan=plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 7, 1), title="R")
    url = reverse("governance:review_edit", args=[review.pk])
    data = {"plan": plan.pk, "kind": "dfe_review", "date": "2025-07-01", "title": "R", "carried_out_by": "",
            "edit_count": 0}
    assert bea_client.post(url, dict(data, findings="Bea's findings")).status_code == 302
    refused = admin_client.post(url, dict(data, findings="Ada's findings"))
    review.refresh_from_db()
    assert refused.status_code == 409 and review.findings == "Bea's findings"
    assert "Ada&#x27;s findings" in refused.content.decode() and "Bea&#x27;s findings" in refused.content.decode()


def test_it_refuses_the_second_save_of_a_self_assessment_showing_theirs(admin_client, bea_client, plan, admin_user):
    assessment = start_self_assessment(plan=plan, as_at=datetime.date(2025, 9, 1), user=admin_user)
    url = reverse("governance:self_assessment_edit", args=[assessment.pk])
    data = {"title": assessment.title, **{name: getattr(assessment, name) for name in SelfAssessment.SECTIONS},
            "edit_count": 0}
    assert bea_client.post(url, dict(data, next_steps="Bea's next steps")).status_code == 302
    refused = admin_client.post(url, dict(data, next_steps="Ada's next steps"))
    page = refused.content.decode()
    assert refused.status_code == 409 and "Ada&#x27;s next steps" in page and "Bea&#x27;s next steps" in page
    assert SelfAssessment.objects.get().next_steps == "Bea's next steps"


def test_it_offers_and_takes_only_the_plans_the_board_oversees(admin_client, meeting, plan):
    from plans.models import Plan

    other = Plan.objects.create(slug="elsewhere", title="Another council's plan")
    url = reverse("governance:report_create", args=[meeting.board.slug, meeting.pk])
    assert "Another council" not in admin_client.get(meeting.get_absolute_url()).content.decode()
    admin_client.post(url, {"plan": other.pk, "as_at": "2025-09-10"})
    assert not BoardReport.objects.exists()
    admin_client.post(url, {"plan": plan.pk, "as_at": "2025-09-10"})
    assert BoardReport.objects.get().plan == plan


def test_an_issue_landing_while_a_save_is_under_way_is_never_undone(admin_client, bea, report, monkeypatch):
    """Bea's issue commits after Ada's save has read the draft and before it writes (forced by running it in clean)."""
    from governance.forms import ReportNarrativeForm

    def clean_then_bea_issues(form):
        issue_report(report=report, user=bea)
        return form.cleaned_data

    monkeypatch.setattr(ReportNarrativeForm, "clean", clean_then_bea_issues)
    response = admin_client.post(reverse("governance:report_edit", args=[report.pk]), _report_data(analysis="Ada's"))
    report.refresh_from_db()
    assert response.status_code == 409 and "Ada&#x27;s" in response.content.decode()
    assert report.is_issued and report.snapshot and report.issued_html and report.analysis == ""


def test_saving_a_draft_action_of_a_version_issued_meanwhile_keeps_the_text(admin_client, plan, admin_user,
                                                                            monkeypatch):
    """The issue lands after the page has read the draft and before it writes (forced by running it in clean)."""
    from plans.forms import DraftActionForm
    from plans.models import PlanVersion
    from plans.versions import issue_version, start_version

    draft = start_version(plan, title="Refresh", user=admin_user)
    clean = DraftActionForm.clean

    def clean_then_issue(form):
        cleaned = clean(form)
        issue_version(PlanVersion.objects.get(pk=draft.pk), user=admin_user)
        return cleaned

    monkeypatch.setattr(DraftActionForm, "clean", clean_then_issue)
    url = reverse("plans:draft_action_edit", args=[plan.slug, draft.number, 4, 1])
    data = {"edit_count": 0, "ref": "4.1", "priority": "Typed after the issue", "deadline": "2025-12",
            "owners": "Head of Workforce"}
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "has been issued" in page and "Typed after the issue" in page
    assert "Typed after the issue" not in str(PlanVersion.objects.get(pk=draft.pk).content)


def test_an_edit_in_the_django_admin_counts_as_an_edit(admin_client, meeting):
    change = f"/admin/governance/meeting/{meeting.pk}/change/"
    form = admin_client.get(change).content.decode()
    assert 'name="edit_count"' not in form  # shown, never posted back
    prefix = "actions_arising"
    data = {"board": meeting.board.pk, "date": "2025-09-15", "minutes": "Changed in the admin", "agenda": "",
            "decisions": "", f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000, "edit_count": 0}
    assert admin_client.post(change, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Changed in the admin" and meeting.edit_count == 1
    url = reverse("governance:meeting_edit", args=[meeting.board.slug, meeting.pk])
    assert admin_client.post(url, _meeting_data(minutes="From a page opened before")).status_code == 409
