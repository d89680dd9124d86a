"""Every URL of the app x every role (and anonymous) x GET/POST, with the outcome each must get.

A new URL fails `test_it_covers_every_url` until it is given its row here.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.loading import load_inspections
from governance.models import Board, BoardReport, Meeting, MeetingAction, Review
from governance.self_assessment import start_self_assessment
from measures.importing import save_upload
from measures.models import Figure, FigureImport
from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence
from plans.versions import start_version

ROLES = ["anonymous", "board", "owner", "other_manager", "admin"]
READ = {"GET": {role: 200 for role in ROLES[1:]}, "POST": {role: 405 for role in ROLES[1:]}}
ADMIN_PAGE = {
    "GET": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},
    "POST": {role: 405 for role in ROLES[1:]},
}
# Actions of an owner: owners and admins may, board members and other managers get 403.
OWNED_WRITE = {
    "GET": {"board": 403, "owner": 200, "other_manager": 403, "admin": 200},
    "POST": {"board": 403, "owner": 200, "other_manager": 403, "admin": 200},  # empty POST: form with errors
}
ADMIN_POST = {
    "GET": {role: 405 for role in ROLES[1:]},
    "POST": {"board": 403, "owner": 403, "other_manager": 403, "admin": 302},
}

ADMIN_FORM = {
    "GET": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},
    "POST": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},  # empty POST: form with errors
}
# Everyone reads a measure; only admins may post a RAG override on it.
MEASURE_PAGE = {"GET": READ["GET"], "POST": ADMIN_FORM["POST"]}

EXPECTED = {
    "home": {"GET": {role: 302 for role in ROLES[1:]}, "POST": {role: 302 for role in ROLES[1:]}},
    "plans:my_actions": READ,
    "plans:evidence_file": READ,
    "plans:plan_detail": READ,
    "plans:objective_detail": READ,
    "plans:action_list": READ,
    "plans:action_detail": READ,
    "plans:area_list": READ,
    "plans:action_update": OWNED_WRITE,
    "plans:revision_list": ADMIN_PAGE,
    "plans:revision_decide": ADMIN_POST,
    "measures:measure_list": READ,
    "measures:measure_detail": MEASURE_PAGE,
    "measures:figures_template": ADMIN_PAGE,
    "measures:figures_export": READ,
    "measures:figures_upload": ADMIN_FORM,
    "measures:figures_preview": ADMIN_PAGE,
    "measures:figures_commit": ADMIN_POST,
    "measures:import_list": ADMIN_PAGE,
    "measures:import_undo": ADMIN_FORM,  # empty POST: no reason, nothing undone
    "measures:figure_correct": ADMIN_FORM,
    "measures:figure_delete": ADMIN_FORM,  # empty POST: no reason, nothing deleted
    "governance:dashboard": READ,
    "governance:changes": READ,
    "rag_help": READ,
    "governance:board_list": READ,
    "governance:inspection_list": READ,
    "governance:inspection_detail": READ,
    "governance:board_detail": READ,
    "governance:meeting_create": ADMIN_FORM,
    "governance:meeting_detail": READ,
    "governance:meeting_edit": ADMIN_FORM,
    "governance:meeting_action_create": {
        "GET": {role: 405 for role in ROLES[1:]},
        "POST": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},  # empty POST: page with errors
    },
    "governance:meeting_action_status": {
        "GET": {role: 405 for role in ROLES[1:]},
        "POST": {"board": 403, "owner": 302, "other_manager": 403, "admin": 302},
    },
    "governance:report_create": ADMIN_POST,
    "governance:report_detail": READ,
    "governance:report_pdf": READ,
    "governance:report_xlsx": READ,
    "governance:report_docx": READ,
    "governance:report_edit": ADMIN_FORM,  # before report_issue: an issued report cannot be edited
    "governance:report_issue_confirm": ADMIN_PAGE,
    "governance:report_issue": ADMIN_POST,
    "plans:version_list": READ,
    "plans:version_create": {
        "GET": {role: 405 for role in ROLES[1:]},
        "POST": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},  # empty POST: form with errors
    },
    "plans:version_compare": READ,
    "plans:version_detail": READ,
    "plans:draft_action_create": ADMIN_FORM,
    "plans:draft_action_edit": ADMIN_FORM,
    "plans:draft_action_remove": ADMIN_POST,  # no edit count: refused as stale, nothing removed
    "plans:draft_measure_edit": ADMIN_FORM,
    "plans:version_issue": ADMIN_POST,  # last: an issued version cannot be edited
    "governance:review_list": READ,
    "governance:review_create": ADMIN_FORM,
    "governance:review_detail": READ,
    "governance:review_edit": ADMIN_FORM,
    "governance:review_action_create": {
        "GET": {role: 405 for role in ROLES[1:]},
        "POST": {"board": 403, "owner": 403, "other_manager": 403, "admin": 200},  # empty POST: page with errors
    },
    "governance:self_assessment_create": ADMIN_POST,
    "governance:self_assessment_detail": READ,
    "governance:self_assessment_edit": ADMIN_FORM,
    "governance:self_assessment_issue": ADMIN_POST,  # after edit: an issued self-assessment cannot be edited
    "governance:notice_list": READ,
    "governance:notice_detail": READ,
    "governance:voice_list": READ,
    "governance:voice_create": ADMIN_FORM,
}
# Open to everyone, or Django's own: checked separately below.
# Sign-in pages are public by design; single sign-on is tested in test_sso.py.
NOT_IN_MATRIX = {"login", "logout", "accessibility", "oidc_authentication_init", "oidc_authentication_callback"}
# The API answers to tokens, not sessions or roles: tested in test_api.py (401 without a token, 405 for writes).
NOT_IN_MATRIX |= {"public_index", "public_progress"}  # public by design when published: test_public.py
NOT_IN_MATRIX |= {"health_live", "health_ready"}  # open to load balancers, nothing sensitive: test_health.py
NOT_IN_MATRIX |= {"api:openapi", "api:plans", "api:objectives", "api:actions", "api:measures", "api:figures"}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from url_names(pattern, f"{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


@pytest.fixture
def urls(plan, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    update = ActionUpdate.objects.create(action=action, author=manager, status="on_track")
    evidence = Evidence.objects.create(
        update=update, title="plan.pdf", file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"), size=8
    )
    revision = DeadlineRevision.objects.create(
        action=action, new_deadline=datetime.date(2026, 1, 1), reason="r", requested_by=manager
    )
    load_inspections()
    meeting = Meeting.objects.create(
        board=Board.objects.get(slug="knowsley-improvement-board"), date=datetime.date(2025, 9, 1)
    )
    arising = MeetingAction.objects.create(
        meeting=meeting, description="d", owner=action.owners.get(), due=datetime.date(2025, 10, 1)
    )
    report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=datetime.date(2025, 8, 31), title="Report")
    upload = save_upload(
        plan=plan, content=b"Code,Month,Value\nSICKNESS,2025-05,9.5\n", file_name="f.csv", user=manager
    )
    committed = save_upload(plan=plan, content=b"Code,Month,Value\n", file_name="g.csv", user=manager)
    FigureImport.objects.filter(pk=committed.pk).update(state=FigureImport.State.COMMITTED)
    figure = Figure.objects.create(
        measure=plan.measures.get(code="SICKNESS"), month=datetime.date(2025, 4, 1), value=10
    )
    start_version(plan, title="Draft", user=None)
    review = Review.objects.create(plan=plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 7, 1), title="R")
    assessment = start_self_assessment(plan=plan, review=review, as_at=review.date, user=None)
    slug = plan.slug
    return {
        "home": reverse("home"),
        "plans:my_actions": reverse("plans:my_actions"),
        "plans:evidence_file": reverse("plans:evidence_file", args=[evidence.pk]),
        "plans:plan_detail": reverse("plans:plan_detail", args=[slug]),
        "plans:objective_detail": reverse("plans:objective_detail", args=[slug, 4]),
        "plans:action_list": reverse("plans:action_list", args=[slug]),
        "plans:action_detail": reverse("plans:action_detail", args=[slug, "4.1"]),
        "plans:area_list": reverse("plans:area_list", args=[slug]),
        "plans:action_update": reverse("plans:action_update", args=[slug, "4.1"]),
        "plans:revision_list": reverse("plans:revision_list", args=[slug]),
        "plans:revision_decide": reverse("plans:revision_decide", args=[slug, revision.pk]),
        "measures:measure_list": reverse("measures:measure_list", args=[slug]),
        "measures:measure_detail": reverse("measures:measure_detail", args=[slug, "SICKNESS"]),
        "governance:dashboard": reverse("governance:dashboard", args=[slug]),
        "rag_help": reverse("rag_help"),
        "governance:changes": reverse("governance:changes", args=[slug]),
        "measures:figures_template": reverse("measures:figures_template", args=[slug]),
        "measures:figures_export": reverse("measures:figures_export", args=[slug]),
        "measures:figures_upload": reverse("measures:figures_upload", args=[slug]),
        "measures:figures_preview": reverse("measures:figures_preview", args=[slug, upload.pk]),
        "measures:figures_commit": reverse("measures:figures_commit", args=[slug, upload.pk]),
        "measures:import_list": reverse("measures:import_list", args=[slug]),
        "measures:import_undo": reverse("measures:import_undo", args=[slug, committed.pk]),
        "measures:figure_correct": reverse("measures:figure_correct", args=[slug, "SICKNESS", figure.pk]),
        "measures:figure_delete": reverse("measures:figure_delete", args=[slug, "SICKNESS", figure.pk]),
        "governance:board_list": reverse("governance:board_list"),
        "governance:inspection_list": reverse("governance:inspection_list"),
        "governance:inspection_detail": reverse("governance:inspection_detail", args=["knowsley-sif-2014"]),
        "governance:board_detail": reverse("governance:board_detail", args=[meeting.board.slug]),
        "governance:meeting_create": reverse("governance:meeting_create", args=[meeting.board.slug]),
        "governance:meeting_detail": meeting.get_absolute_url(),
        "governance:meeting_edit": reverse("governance:meeting_edit", args=[meeting.board.slug, meeting.pk]),
        "governance:meeting_action_create": reverse(
            "governance:meeting_action_create", args=[meeting.board.slug, meeting.pk]
        ),
        "governance:meeting_action_status": reverse("governance:meeting_action_status", args=[arising.pk]),
        "governance:report_create": reverse("governance:report_create", args=[meeting.board.slug, meeting.pk]),
        "governance:report_detail": report.get_absolute_url(),
        "governance:report_pdf": reverse("governance:report_pdf", args=[report.pk]),
        "governance:report_xlsx": reverse("governance:report_xlsx", args=[report.pk]),
        "governance:report_docx": reverse("governance:report_docx", args=[report.pk]),
        "governance:report_edit": reverse("governance:report_edit", args=[report.pk]),
        "governance:report_issue_confirm": reverse("governance:report_issue_confirm", args=[report.pk]),
        "governance:report_issue": reverse("governance:report_issue", args=[report.pk]),
        "plans:version_list": reverse("plans:version_list", args=[slug]),
        "plans:version_create": reverse("plans:version_create", args=[slug]),
        "plans:version_compare": reverse("plans:version_compare", args=[slug]),
        "plans:version_detail": reverse("plans:version_detail", args=[slug, 2]),
        "plans:draft_action_create": reverse("plans:draft_action_create", args=[slug, 2, 4]),
        "plans:draft_action_edit": reverse("plans:draft_action_edit", args=[slug, 2, 4, 1]),
        "plans:draft_action_remove": reverse("plans:draft_action_remove", args=[slug, 2, 4, 1]),
        "plans:draft_measure_edit": reverse("plans:draft_measure_edit", args=[slug, 2, "SICKNESS"]),
        "plans:version_issue": reverse("plans:version_issue", args=[slug, 2]),
        "governance:review_list": reverse("governance:review_list"),
        "governance:review_create": reverse("governance:review_create"),
        "governance:review_detail": review.get_absolute_url(),
        "governance:review_edit": reverse("governance:review_edit", args=[review.pk]),
        "governance:review_action_create": reverse("governance:review_action_create", args=[review.pk]),
        "governance:self_assessment_create": reverse("governance:self_assessment_create", args=[review.pk]),
        "governance:self_assessment_detail": assessment.get_absolute_url(),
        "governance:self_assessment_edit": reverse("governance:self_assessment_edit", args=[assessment.pk]),
        "governance:self_assessment_issue": reverse("governance:self_assessment_issue", args=[assessment.pk]),
        "governance:notice_list": reverse("governance:notice_list"),
        "governance:notice_detail": _notice().get_absolute_url(),
        "governance:voice_list": reverse("governance:voice_list", args=[slug]),
        "governance:voice_create": reverse("governance:voice_create", args=[slug]),
    }


def _notice():
    from governance.loading import NOTICE_DIR, load_notice
    from governance.models import Notice

    load_notice(NOTICE_DIR / "dfe-improvement-notice-2025-01.json")
    return Notice.objects.get()


@pytest.fixture
def sign_in_as(client, board_member, manager, other_manager, admin_user):
    users = {"board": board_member, "owner": manager, "other_manager": other_manager, "admin": admin_user}

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return sign_in


def test_it_covers_every_url():
    assert set(url_names()) - NOT_IN_MATRIX == set(EXPECTED)


def test_it_gives_every_role_the_expected_answer_on_every_url(urls, sign_in_as):
    outcomes, expected = {}, {}
    for name, by_method in EXPECTED.items():
        for method, by_role in by_method.items():
            for role in ROLES:
                client = sign_in_as(role)
                response = getattr(client, method.lower())(urls[name])
                outcomes[name, method, role] = response.status_code
                if role == "anonymous":
                    # Anonymous visitors are sent to sign in, whatever they asked for.
                    expected[name, method, role] = 302
                    assert response.url.startswith(reverse("login")), (name, method)
                else:
                    expected[name, method, role] = by_role[role]
    mismatches = {key: (outcomes[key], expected[key]) for key in outcomes if outcomes[key] != expected[key]}
    assert not mismatches, f"(url, method, role): (got, expected) {mismatches}"


def test_it_keeps_the_django_admin_to_admins(urls, sign_in_as):
    for role in ("board", "owner", "other_manager"):
        response = sign_in_as(role).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
    assert sign_in_as("admin").get("/admin/").status_code == 200


def test_it_lets_anyone_reach_the_sign_in_page_and_signs_out_only_by_post(client, board_member):
    assert client.get(reverse("login")).status_code == 200
    client.force_login(board_member)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("plans:my_actions")).status_code == 302
