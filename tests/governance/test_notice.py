"""The DfE Improvement Notice as a register of duties: loaded from its source, each duty's status and evidence."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from governance.loading import NOTICE_DIR, load_notice
from governance.models import (
    Board,
    BoardMember,
    Meeting,
    Notice,
    NoticeDuty,
    PartnerContribution,
    Review,
    SelfAssessment,
    Voice,
)
from governance.notice import DutyStatus, Register, check_cadence, duties_for
from plans.models import Action, Post, Status

NOTICE_FILE = NOTICE_DIR / "dfe-improvement-notice-2025-01.json"
SOURCE = settings.BASE_DIR / "fixtures" / "sources" / "dfe-improvement-notice-2025-01.txt"
ON = datetime.date(2025, 12, 1)


def _words(text):
    return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*- ", "", text)).strip()


@pytest.fixture
def notice(plan):
    load_notice(NOTICE_FILE)
    return Notice.objects.get()


def _state(notice, paragraph, on=ON):
    return Register(notice, on).state(notice.duties.get(paragraph=paragraph))


def test_it_loads_paragraphs_4_to_13_in_the_notices_own_words(notice):
    source = _words(SOURCE.read_text(encoding="utf-8"))
    duties = list(notice.duties.all())
    assert [d.paragraph for d in duties] == ["4", "5a", "5b", "5c", "5d", "5e", "6", "7", "8", "9", "10", "11",
                                             "12", "13"]
    for duty in duties:
        for line in duty.text.splitlines():
            assert _words(line) in source, f"paragraph {duty.paragraph} is not the Notice's words: {line!r}"
    assert notice.delivery_deadline == datetime.date(2026, 7, 31) == notice.plan.delivery_deadline
    assert notice.duties.get(paragraph="6").owner == Post.objects.get(name="ED – Children’s Services")


def test_it_loads_idempotently_and_keeps_an_owner_changed_in_the_app(notice):
    duty = notice.duties.get(paragraph="5e")
    duty.owner = Post.objects.get(name="Head of Education")
    duty.save()
    history = NoticeDuty.history.count()
    result = load_notice(NOTICE_FILE)
    assert not result.changed
    assert NoticeDuty.history.count() == history
    duty.refresh_from_db()
    assert duty.owner.name == "Head of Education"


def test_it_refuses_a_notice_whose_plan_is_not_loaded(db, tmp_path):
    from plans.loading import PlanFileError

    with pytest.raises(PlanFileError, match="load the plan"):
        load_notice(NOTICE_FILE)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "other"}))
    with pytest.raises(PlanFileError, match="not a Notice file"):
        load_notice(bad)


@pytest.mark.parametrize(("last", "status", "next_due"), [
    (None, DutyStatus.OVERDUE, datetime.date(2025, 7, 20)),  # six months from the Notice
    (datetime.date(2025, 11, 1), DutyStatus.MET, datetime.date(2026, 5, 1)),
    (datetime.date(2025, 6, 15), DutyStatus.DUE_SOON, datetime.date(2025, 12, 15)),
    (datetime.date(2025, 5, 31), DutyStatus.OVERDUE, datetime.date(2025, 11, 30)),
])
def test_a_dfe_review_is_due_every_six_months_amber_30_days_before_then_red(notice, last, status, next_due):
    if last:
        Review.objects.create(plan=notice.plan, kind=Review.Kind.DFE_REVIEW, date=last, title="Review")
    state = _state(notice, "6")
    assert (state.status, state.next_due) == (status, next_due)
    assert [e.url for e in state.evidence] == [r.get_absolute_url() for r in Review.objects.all()]


def test_the_advisers_report_is_quarterly_and_an_ofsted_visit_counts_for_nothing(notice):
    Review.objects.create(plan=notice.plan, kind=Review.Kind.MONITORING_VISIT, date=ON, title="Ofsted visit")
    assert _state(notice, "12").status == DutyStatus.OVERDUE
    assert "not a Notice duty" in Review.Kind.MONITORING_VISIT.label
    Review.objects.create(plan=notice.plan, kind=Review.Kind.ADVISER_REPORT, date=datetime.date(2025, 9, 15),
                          title="Adviser's report")
    state = _state(notice, "12")
    assert (state.status, state.next_due) == (DutyStatus.DUE_SOON, datetime.date(2025, 12, 15))
    assert _state(notice, "8").status == DutyStatus.NOT_EVIDENCED
    Review.objects.create(plan=notice.plan, kind=Review.Kind.DIAGNOSTIC_REVIEW, date=ON, title="Front door")
    assert _state(notice, "8").status == DutyStatus.MET


def test_board_meetings_follow_the_agreed_timetable_with_an_independent_chair(notice):
    assert _state(notice, "5b").status == DutyStatus.NOT_EVIDENCED
    board = Board.objects.get(slug="knowsley-improvement-board")
    board.meets_every_weeks = 8
    board.save()
    assert "no independent chair" in _state(notice, "5b").reason
    chair = BoardMember.objects.create(board=board, name="Ann Chair", kind=BoardMember.Kind.INDEPENDENT_CHAIR)
    dfe = BoardMember.objects.create(board=board, name="Dee Fee", kind=BoardMember.Kind.DFE_REPRESENTATIVE)
    meeting = Meeting.objects.create(board=board, date=ON - datetime.timedelta(weeks=2))
    meeting.attendees.set([chair])
    state = _state(notice, "5b")
    assert (state.status, state.next_due) == (DutyStatus.MET, ON + datetime.timedelta(weeks=6))
    assert "1 of 2 members attended" in state.evidence[1].label
    assert state.evidence[1].url == meeting.get_absolute_url()
    assert _state(notice, "13").status == DutyStatus.NOT_EVIDENCED  # the DfE was not at the last meeting
    meeting.attendees.add(dfe)
    assert _state(notice, "13").status == DutyStatus.MET
    assert _state(notice, "5b", on=ON + datetime.timedelta(weeks=7)).status == DutyStatus.OVERDUE


def test_partners_contributions_show_their_status(notice):
    board = Board.objects.get(slug="knowsley-improvement-board")
    police = BoardMember.objects.create(board=board, name="P Officer", organisation="Merseyside Police",
                                        kind=BoardMember.Kind.PARTNER)
    assert _state(notice, "5d").status == DutyStatus.NOT_EVIDENCED
    asked = PartnerContribution.objects.create(board=board, partner=police, description="MASH attendance data",
                                               requested=datetime.date(2025, 10, 20), due=datetime.date(2025, 11, 30))
    state = _state(notice, "5d")
    assert state.status == DutyStatus.OVERDUE
    assert "Merseyside Police: MASH attendance data – Overdue" in [e.label for e in state.evidence]
    asked.state = PartnerContribution.State.TO_STRENGTHEN
    asked.save()
    assert _state(notice, "5d").reason == "1 contributions received, 1 to be strengthened."


def test_a_self_assessment_is_due_before_the_next_review(notice):
    review = Review.objects.create(plan=notice.plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 6, 20),
                                   title="Review")
    state = _state(notice, "10")
    assert (state.status, state.next_due) == (DutyStatus.DUE_SOON, datetime.date(2025, 12, 20))
    assert "No issued self-assessment for DfE six-monthly review, 20 June 2025" in state.reason
    SelfAssessment.objects.create(plan=notice.plan, review=review, as_at=datetime.date(2025, 6, 1), title="June",
                                  state=SelfAssessment.State.ISSUED)
    SelfAssessment.objects.create(plan=notice.plan, as_at=datetime.date(2025, 11, 20), title="December",
                                  state=SelfAssessment.State.ISSUED)
    state = _state(notice, "10")
    assert state.status == DutyStatus.MET
    assert "No issued" not in state.reason


def test_actions_open_after_the_delivery_deadline_are_listed_with_owners(notice, client, board_member):
    action = Action.objects.get(objective__plan=notice.plan, ref="6.8")
    Action.objects.filter(pk=action.pk).update(revised_deadline=datetime.date(2027, 3, 1))
    before = Register(notice, ON)
    assert [a.ref for a in before.open_after_deadline()] == ["6.8"]
    assert before.state(notice.duties.get(paragraph="11")).status == DutyStatus.NOT_EVIDENCED
    after = Register(notice, datetime.date(2026, 8, 1))
    open_refs = {a.ref for a in after.open_after_deadline()}
    assert len(open_refs) == Action.objects.for_plan(notice.plan).exclude(status=Status.COMPLETE).count()
    assert after.state(notice.duties.get(paragraph="11")).status == DutyStatus.OVERDUE
    client.force_login(board_member)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "Head of Permanence and Sufficiency" in page.split('id="delivery-deadline"')[1]


def test_voices_are_recorded_by_an_admin_and_kept_when_refused(notice, admin_client):
    url = reverse("governance:voice_create", args=[notice.plan.slug])
    response = admin_client.post(url, {"source": "children", "heard_through": "Children in Care Council",
                                       "summary": "We want to meet our social worker more often."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "We want to meet our social worker more often." in page  # what was typed is kept
    assert 'id="id_date-error"' in page
    assert not Voice.objects.exists()
    response = admin_client.post(url, {"source": "children", "heard_through": "Children in Care Council",
                                       "date": "2025-11-10", "summary": "We want to meet our social worker more often.",
                                       "what_changed": "Visits moved to after school."})
    assert response.status_code == 302
    voice = Voice.objects.get()
    assert (voice.plan, voice.date, voice.history.first().history_user.username) == (
        notice.plan, datetime.date(2025, 11, 10), "ada")
    state = _state(notice, "5e")
    assert (state.status, state.next_due) == (DutyStatus.MET, datetime.date(2026, 2, 10))
    assert state.evidence[0].url.endswith(f"#voice-{voice.pk}")


def test_the_register_page_links_each_duty_to_its_evidence(notice, board_client):
    review = Review.objects.create(plan=notice.plan, kind=Review.Kind.DFE_REVIEW, date=ON, title="Review")
    page = board_client.get(notice.get_absolute_url()).content.decode()
    assert 'id="duty-6"' in page
    assert review.get_absolute_url() in page.split('id="duty-6"')[1].split("</tr>")[0]
    assert "Officials or advisers from the Department will undertake reviews" in page


def test_my_actions_shows_the_duties_its_posts_own_when_due(notice, manager, manager_client):
    duty = notice.duties.get(paragraph="5e")  # owned by the Head of Workforce, which the manager holds
    assert [s.duty for s in duties_for(manager, ON)] == []  # no views recorded: not yet evidenced, no cadence
    Voice.objects.create(plan=notice.plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Staff survey",
                         date=datetime.date(2025, 9, 10), summary="Caseloads are too high.")
    assert [s.duty for s in duties_for(manager, ON)] == [duty]
    page = manager_client.get(reverse("plans:my_actions")).content.decode()
    assert "Improvement Notice duties" in page and "5e" in page


def test_the_cadence_check_warns_owners_once(notice, manager):
    manager.email = "sam@example.org"
    manager.save()
    Voice.objects.create(plan=notice.plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Staff survey",
                         date=datetime.date(2025, 9, 10), summary="Caseloads are too high.")
    warned = check_cadence(on=ON)
    assert ("5e", DutyStatus.DUE_SOON) in [(d.paragraph, s.status) for d, s in warned]
    assert [m.to for m in mail.outbox if "5e" in m.subject] == [["sam@example.org"]]
    assert NoticeDuty.objects.get(paragraph="5e").warned == "due_soon:2025-12-10"
    sent = len(mail.outbox)
    call_command("check_notice_cadence", "--date", ON.isoformat(), stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == sent
    assert [d.paragraph for d, s in check_cadence(on=datetime.date(2025, 12, 11))] == ["5e"]  # now overdue


def test_the_dashboard_shows_what_falls_due_and_the_board_page_roles_attendance_and_contributions(notice, board_client):
    board = Board.objects.get(slug="knowsley-improvement-board")
    board.meets_every_weeks = 6
    board.save()
    chair = BoardMember.objects.create(board=board, name="Ann Chair", kind=BoardMember.Kind.INDEPENDENT_CHAIR)
    police = BoardMember.objects.create(board=board, name="P Officer", organisation="Merseyside Police",
                                        kind=BoardMember.Kind.PARTNER)
    meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 1, 30))
    meeting.attendees.set([chair])
    PartnerContribution.objects.create(board=board, partner=police, description="MASH attendance data",
                                       requested=datetime.date(2025, 1, 30), due=datetime.date(2025, 2, 28))
    page = board_client.get(reverse("governance:dashboard", args=[notice.plan.slug])).content.decode()
    section = page.split("what falls due")[1].split("</table>")[0]
    assert "6. DfE review at least every six months" in section
    assert "govuk-tag--red\">Overdue" in section  # no review since January 2025
    page = board_client.get(board.get_absolute_url()).content.decode()
    assert "Independent chair" in page and "Partner agency" in page
    assert "1 of 2 members attended: Ann Chair" in page
    assert "MASH attendance data" in page and "Overdue" in page.split("MASH attendance data")[1]
    assert "Every 6 weeks" in page


@pytest.mark.parametrize("model", ["notice", "partnercontribution", "voice"])
def test_admins_keep_the_register_in_the_admin(notice, admin_client, model):
    assert admin_client.get(reverse(f"admin:governance_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:governance_{model}_add")).status_code == 200
    if model == "notice":
        assert admin_client.get(reverse("admin:governance_notice_change", args=[notice.pk])).status_code == 200


def test_board_reports_show_the_views_heard_since_the_last_meeting_and_keep_them_when_issued(notice, admin_client,
                                                                                             admin_user):
    from governance.models import BoardReport
    from governance.reports import issue_report

    board = Board.objects.get(slug="knowsley-improvement-board")
    Meeting.objects.create(board=board, date=datetime.date(2025, 9, 1))
    meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 11, 1))
    report = BoardReport.objects.create(meeting=meeting, plan=notice.plan, as_at=datetime.date(2025, 10, 31),
                                        title="November report")
    old = Voice.objects.create(plan=notice.plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Survey",
                               date=datetime.date(2025, 8, 1), summary="Heard before the last meeting.")
    Voice.objects.create(plan=notice.plan, source=Voice.Source.CHILDREN, heard_through="Children in Care Council",
                         date=datetime.date(2025, 10, 2), summary="We want to keep our social worker.",
                         what_changed="Changes of worker explained in a letter.")
    page = admin_client.get(report.get_absolute_url()).content.decode()
    assert "We want to keep our social worker." in page and "Changes of worker explained in a letter." in page
    assert old.summary not in page
    issue_report(report=report, user=admin_user, seen=report.edit_count)
    Voice.objects.all().delete()
    report.refresh_from_db()
    assert "We want to keep our social worker." in report.issued_html


def test_the_self_assessment_shows_each_duty_and_the_views_heard(notice, admin_client):
    from governance.self_assessment import start_self_assessment

    review = Review.objects.create(plan=notice.plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 7, 1),
                                   title="Review")
    Voice.objects.create(plan=notice.plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Staff survey",
                         date=datetime.date(2025, 6, 2), summary="Supervision is more regular.")
    assessment = start_self_assessment(plan=notice.plan, review=review, as_at=datetime.date(2025, 6, 30), user=None)
    page = admin_client.get(assessment.get_absolute_url()).content.decode()
    section = page.split("where each duty stands")[1]
    assert section.count("govuk-tag ") == 14
    assert "Supervision is more regular." in page
