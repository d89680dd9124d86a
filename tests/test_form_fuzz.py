"""Every POST form, every field, awkward text (hypothesis): no server error; a refusal names the field and keeps
what was typed; an accepted value is stored as typed (cleaned as plans/bounds.py documents) and reads back the
same on its page and in the exports that carry it.

The list of forms follows the URLconf: a URL that takes a POST (tests/test_permissions.py) fails
`test_it_fuzzes_every_post_form` until it has an entry in FORMS or NO_FIELDS; a model registered in the Django
admin fails it until it has one in ADMIN_FORMS or ADMIN_NOT_FUZZED. Run on PostgreSQL as well: it enforces
lengths and refuses NUL where SQLite does not.

FUZZ_RANDOM=1 draws new examples each run (by default they are the same every run, so CI is repeatable).
"""

import dataclasses
import datetime
import itertools
import os
from types import SimpleNamespace
from typing import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import (
    Board,
    BoardMember,
    BoardReport,
    Meeting,
    MeetingAction,
    Notice,
    PartnerContribution,
    Review,
    SelfAssessment,
    Voice,
)
from governance.self_assessment import start_self_assessment
from improvement.models import ApiToken
from measures.importing import save_upload
from measures.models import Figure, FigureImport, RagOverride
from plans.bounds import EARLIEST_DATE, LATEST_DATE, clean_text
from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence, PlanVersion
from plans.versions import start_version
from tests import form_fuzz
from tests.form_fuzz import Field, expected, no_spaces, read_page, shown_or_cut_visibly, visible_text
from tests.test_permissions import EXPECTED, url_names

EXAMPLES_PER_FIELD = 1  # generated values per field, on top of the fixed edge values every run tries
EXPORT_EDGES = {"controls", "mixed", "longest"}  # accepted values also looked for in exports
POSTS = itertools.count()  # numbers each post, so values that must differ from post to post (refs, figures) do


@dataclasses.dataclass
class Form:
    role: str  # anonymous | owner (a service manager holding the owning post) | admin
    page: Callable  # world -> the page showing the form
    fields: list
    post: Callable | None = None  # world -> where it posts, when the page has several forms
    read: Callable = lambda w, name, data: None  # what is stored for the field after an accepted post
    shown_on: Callable = lambda w, name: []  # pages that must show an accepted value
    extra: Callable = lambda w, name, n: {}  # other values the post needs to be valid
    prepare: Callable | None = None  # run before each post (e.g. a fresh revision to decide)
    refuses_by_message: bool = False  # refuses with a message after a redirect, not a page with errors
    stored_as: Callable = lambda name, text: text  # the stored form of accepted text, where the app reshapes it


def latest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def update_value(w, name, data):
    update = latest(ActionUpdate, action=w.action)
    if name in ("link_title", "link_url"):
        evidence = latest(Evidence, update=update)
        return evidence and (evidence.title if name == "link_title" else evidence.url)
    if name in ("revised_deadline", "revision_reason"):
        revision = latest(DeadlineRevision, action=w.action)
        return revision and (revision.new_deadline if name == "revised_deadline" else revision.reason)
    return getattr(update, name)


def update_extra(w, name, n):
    extra = {"status": "on_track"}
    if name == "link_title":
        extra["link_url"] = "https://example.org/evidence"
    if name == "revision_reason":
        extra["revised_deadline"] = f"{2027 + n % 50}-03"
    if name == "revised_deadline":
        extra["revision_reason"] = "The service restructure moved the start."
    return extra


def draft_row(w, position=1):
    version = PlanVersion.objects.get(plan=w.plan, number=2)
    objective = next(o for o in version.content["objectives"] if o["number"] == 4)
    return objective["actions"][position - 1]


def draft_action_value(w, name, data):
    row = draft_row(w)
    return "\n".join(row["owners"]) if name == "owners" else row[name]


def created_draft_action_value(w, name, data):
    version = PlanVersion.objects.get(plan=w.plan, number=2)
    objective = next(o for o in version.content["objectives"] if o["number"] == 4)
    row = next((r for r in objective["actions"] if r["ref"] == expected(data["ref"][0])), None)
    return row and row[name]


def draft_measure_value(w, name, data):
    version = PlanVersion.objects.get(plan=w.plan, number=2)
    measures = (m for o in version.content["objectives"] for m in o.get("measures", []))
    return next(m for m in measures if m["code"] == "SICKNESS")[name]


def stored_draft(name, text):
    if name == "owners":
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if name == "deadline":
        return text
    return text.strip()


def fresh_revision(w):
    w.revision = DeadlineRevision.objects.create(
        action=w.action, new_deadline=datetime.date(2026, 1, 1), reason="Staff moved", requested_by=w.manager
    )


def fresh_committed_import(w):
    w.batch = save_upload(plan=w.plan, content=b"Code,Month,Value\n", file_name="g.csv", user=w.manager)
    FigureImport.objects.filter(pk=w.batch.pk).update(state=FigureImport.State.COMMITTED)


def fresh_figure(w):
    month = datetime.date(2025, 1, 1) + datetime.timedelta(days=31 * (Figure.objects.count() % 12))
    Figure.objects.filter(measure=w.sickness, month=month.replace(day=1)).delete()
    w.spare_figure = Figure.objects.create(measure=w.sickness, month=month.replace(day=1), value=10)


def no_drafts(w):
    PlanVersion.objects.filter(plan=w.plan, state=PlanVersion.State.DRAFT).delete()


def figure_value(w, name, data):
    w.figure.refresh_from_db()
    if name == "reason":
        return w.figure.history.latest().history_change_reason
    return getattr(w.figure, name)


def correct_extra(w, name, n):
    extra = {"value": f"{11 + n % 80}.5", "numerator": "", "denominator": "", "reason": "Typed from the wrong month"}
    return extra | {name: []}


NARRATIVE = ["analysis", "recommendations", "evidence_of_impact", "views_of_staff_and_children"]
SECTIONS = SelfAssessment.SECTIONS
MEETING_TEXT = [Field(name) for name in ("agenda", "minutes", "decisions")]
REVIEW_FIELDS = [Field("date", kind="date"), Field("title", limit=200, required=True),
                 Field("carried_out_by", limit=200), Field("findings"), Field("kind", kind="token"),
                 Field("plan", kind="token")]
ARISING_FIELDS = [Field("description", required=True), Field("due", kind="date"), Field("owner", kind="token")]


def arising_extra(w, name, n):
    return {"owner": str(w.action.owners.get().pk), "due": "2025-12-01", "description": "Report back"} | (
        {name: []} if name in ("owner", "due", "description") else {}
    )

FORMS = {
    "plans:action_update": Form(
        role="owner",
        page=lambda w: reverse("plans:action_update", args=[w.plan.slug, "4.1"]),
        fields=[
            Field("commentary", exports=("report_pdf", "report_xlsx", "api_actions")),
            Field("evidence_of_impact", exports=("report_xlsx", "api_actions")),
            Field("next_steps", exports=("api_actions",)),
            Field("link_title", limit=200),
            Field("link_url", kind="url", limit=500, free=False),
            Field("revised_deadline", kind="month"),
            Field("revision_reason", required=True),  # required once a revised deadline is given, as here
            Field("version", kind="token"),
            Field("status", kind="token"),
        ],
        read=update_value,
        # A link given no title is titled by its address.
        stored_as=lambda name, text: text or "https://example.org/evidence" if name == "link_title" else text,
        shown_on=lambda w, name: [] if name.startswith("revis") else [w.action.get_absolute_url()],
        extra=update_extra,
    ),
    "plans:revision_decide": Form(
        role="admin",
        page=lambda w: reverse("plans:revision_list", args=[w.plan.slug]),
        post=lambda w: reverse("plans:revision_decide", args=[w.plan.slug, w.revision.pk]),
        prepare=fresh_revision,
        fields=[Field("note"), Field("decision", kind="token")],
        extra=lambda w, name, n: {"decision": "reject"} if name != "decision" else {},
        read=lambda w, name, data: DeadlineRevision.objects.get(pk=w.revision.pk).decision_note,
        shown_on=lambda w, name: [reverse("plans:revision_list", args=[w.plan.slug])],
        refuses_by_message=True,
    ),
    "plans:version_create": Form(
        role="admin",
        page=lambda w: reverse("plans:version_list", args=[w.plan.slug]),
        prepare=no_drafts,
        fields=[Field("title", limit=200, required=True)],
        read=lambda w, name, data: latest(PlanVersion, plan=w.plan).title,
        shown_on=lambda w, name: [latest(PlanVersion, plan=w.plan).get_absolute_url()],
    ),
    "plans:draft_action_edit": Form(
        role="admin",
        page=lambda w: reverse("plans:draft_action_edit", args=[w.plan.slug, 2, 4, 1]),
        fields=[
            Field("ref", limit=20, prefix="4.1", free=False),
            Field("priority", required=True),
            Field("deadline", kind="month"),
            Field("deadline_note", limit=300),
            Field("owners", one_per_line=True),
            Field("outcomes"),
            Field("edit_count", kind="token"),
        ],
        read=draft_action_value,
        stored_as=stored_draft,
        shown_on=lambda w, name: [reverse("plans:version_detail", args=[w.plan.slug, 2])],
    ),
    "plans:draft_action_create": Form(
        role="admin",
        page=lambda w: reverse("plans:draft_action_create", args=[w.plan.slug, 2, 4]),
        fields=[Field("priority", required=True), Field("deadline_note", limit=300), Field("outcomes"),
                Field("ref", limit=20, prefix="4.", free=False)],
        extra=lambda w, name, n: {"ref": f"4.{100 + n}", "priority": "Recruit"} | {name: []},
        read=created_draft_action_value,
        stored_as=stored_draft,
        shown_on=lambda w, name: [reverse("plans:version_detail", args=[w.plan.slug, 2])],
    ),
    "plans:draft_measure_edit": Form(
        role="admin",
        page=lambda w: reverse("plans:draft_measure_edit", args=[w.plan.slug, 2, "SICKNESS"]),
        fields=[Field("name", limit=300, required=True), Field("baseline", limit=100), Field("target", limit=100),
                Field("edit_count", kind="token")],
        read=draft_measure_value,
        shown_on=lambda w, name: [reverse("plans:version_detail", args=[w.plan.slug, 2])],
    ),
    "plans:draft_action_remove": Form(
        role="admin",
        page=lambda w: reverse("plans:draft_action_edit", args=[w.plan.slug, 2, 4, 2]),
        post=lambda w: reverse("plans:draft_action_remove", args=[w.plan.slug, 2, 4, 2]),
        fields=[Field("edit_count", kind="token")],
    ),
    "plans:version_issue": Form(
        role="admin",
        page=lambda w: reverse("plans:version_detail", args=[w.plan.slug, 2]),
        post=lambda w: reverse("plans:version_issue", args=[w.plan.slug, 2]),
        fields=[Field("edit_count", kind="token")],
    ),
    "measures:measure_detail": Form(
        role="admin",
        page=lambda w: w.sickness.get_absolute_url(),
        fields=[Field("reason", required=True), Field("month", kind="token"), Field("rag", kind="token")],
        extra=lambda w, name, n: {} if name == "rag" else {"rag": "red"},
        read=lambda w, name, data: latest(RagOverride, measure=w.sickness).reason,
        shown_on=lambda w, name: [w.sickness.get_absolute_url()],
    ),
    "measures:figures_upload": Form(
        role="admin",
        page=lambda w: reverse("measures:figures_upload", args=[w.plan.slug]),
        fields=[Field("file", kind="filename", limit=255)],
        read=lambda w, name, data: latest(FigureImport, plan=w.plan).file_name,
    ),
    "measures:figures_commit": Form(
        role="admin",
        prepare=lambda w: setattr(w, "upload", save_upload(
            plan=w.plan, content=b"Code,Month,Value\nSICKNESS,2025-05,9.5\n", file_name="f.csv", user=w.manager)),
        page=lambda w: reverse("measures:figures_preview", args=[w.plan.slug, w.upload.pk]),
        post=lambda w: reverse("measures:figures_commit", args=[w.plan.slug, w.upload.pk]),
        fields=[Field("previewed_at", kind="token"), Field("confirm_warnings", kind="token")],
    ),
    "measures:import_undo": Form(
        role="admin",
        prepare=fresh_committed_import,
        page=lambda w: reverse("measures:import_undo", args=[w.plan.slug, w.batch.pk]),
        post=lambda w: reverse("measures:import_undo", args=[w.plan.slug, w.batch.pk]),
        fields=[Field("reason", limit=2000, required=True), Field("skip_changed", kind="token")],
        read=lambda w, name, data: FigureImport.objects.get(pk=w.batch.pk).undo_reason,
        shown_on=lambda w, name: [reverse("measures:import_list", args=[w.plan.slug])],
    ),
    "measures:figure_correct": Form(
        role="admin",
        page=lambda w: reverse("measures:figure_correct", args=[w.plan.slug, "SICKNESS", w.figure.pk]),
        fields=[
            Field("note", limit=500, exports=("figures_xlsx", "api_figures")),
            Field("reason", limit=2000, required=True),
            Field("value", kind="number"),
            Field("numerator", kind="token"),
            Field("denominator", kind="token"),
            Field("version", kind="token"),
        ],
        extra=correct_extra,
        read=figure_value,
        shown_on=lambda w, name: [w.sickness.get_absolute_url()] if name == "note" else [],
    ),
    "measures:figure_delete": Form(
        role="admin",
        prepare=fresh_figure,
        page=lambda w: reverse("measures:figure_delete", args=[w.plan.slug, "SICKNESS", w.spare_figure.pk]),
        fields=[Field("reason", limit=2000, required=True), Field("version", kind="token")],
        read=lambda w, name, data: (
            Figure.history.filter(id=w.spare_figure.pk, history_type="-").get().history_change_reason
        ),
    ),
    "governance:meeting_create": Form(
        role="admin",
        page=lambda w: reverse("governance:meeting_create", args=[w.board.slug]),
        fields=[Field("date", kind="date"), *MEETING_TEXT],
        extra=lambda w, name, n: {} if name == "date" else {"date": "2025-10-01"},
        read=lambda w, name, data: getattr(latest(Meeting, board=w.board), name),
        shown_on=lambda w, name: [latest(Meeting, board=w.board).get_absolute_url()],
    ),
    "governance:meeting_edit": Form(
        role="admin",
        page=lambda w: reverse("governance:meeting_edit", args=[w.board.slug, w.meeting.pk]),
        fields=[Field("date", kind="date"), *MEETING_TEXT, Field("edit_count", kind="token")],
        read=lambda w, name, data: getattr(Meeting.objects.get(pk=w.meeting.pk), name),
        shown_on=lambda w, name: [w.meeting.get_absolute_url()],
    ),
    "governance:meeting_action_create": Form(
        role="admin",
        page=lambda w: w.meeting.get_absolute_url(),
        post=lambda w: reverse("governance:meeting_action_create", args=[w.board.slug, w.meeting.pk]),
        fields=ARISING_FIELDS,
        extra=arising_extra,
        read=lambda w, name, data: getattr(latest(MeetingAction, meeting=w.meeting), name),
        shown_on=lambda w, name: [w.meeting.get_absolute_url()],
    ),
    "governance:meeting_action_status": Form(
        role="owner",
        page=lambda w: reverse("plans:my_actions"),
        post=lambda w: reverse("governance:meeting_action_status", args=[w.arising.pk]),
        fields=[Field("status", kind="token"), Field("next", kind="token")],
        refuses_by_message=True,
    ),
    "governance:report_create": Form(
        role="admin",
        page=lambda w: w.meeting.get_absolute_url(),
        post=lambda w: reverse("governance:report_create", args=[w.board.slug, w.meeting.pk]),
        fields=[Field("as_at", kind="date"), Field("plan", kind="token")],
        read=lambda w, name, data: latest(BoardReport, meeting=w.meeting).as_at,
        refuses_by_message=True,
    ),
    "governance:report_edit": Form(
        role="admin",
        page=lambda w: reverse("governance:report_edit", args=[w.report.pk]),
        fields=[Field("title", limit=200, required=True, exports=("report_pdf",)),
                *[Field(name, exports=("report_pdf",)) for name in NARRATIVE], Field("edit_count", kind="token")],
        read=lambda w, name, data: getattr(BoardReport.objects.get(pk=w.report.pk), name),
        shown_on=lambda w, name: [w.report.get_absolute_url()],
    ),
    "governance:report_issue": Form(
        role="admin",
        page=lambda w: w.report.get_absolute_url(),
        post=lambda w: reverse("governance:report_issue", args=[w.report.pk]),
        fields=[Field("edit_count", kind="token")],
    ),
    "governance:review_create": Form(
        role="admin",
        page=lambda w: reverse("governance:review_create"),
        fields=REVIEW_FIELDS,
        extra=lambda w, name, n: {"kind": "dfe_review", "plan": str(w.plan.pk), "title": "Review", "date": "2025-07-01"}
        | ({name: []} if name in ("kind", "plan") else {}),
        read=lambda w, name, data: getattr(latest(Review), name),
        shown_on=lambda w, name: [latest(Review).get_absolute_url()],
    ),
    "governance:review_edit": Form(
        role="admin",
        page=lambda w: reverse("governance:review_edit", args=[w.review.pk]),
        fields=[*REVIEW_FIELDS, Field("edit_count", kind="token")],
        read=lambda w, name, data: getattr(Review.objects.get(pk=w.review.pk), name),
        shown_on=lambda w, name: [w.review.get_absolute_url()],
    ),
    "governance:review_action_create": Form(
        role="admin",
        page=lambda w: w.review.get_absolute_url(),
        post=lambda w: reverse("governance:review_action_create", args=[w.review.pk]),
        fields=ARISING_FIELDS,
        extra=arising_extra,
        read=lambda w, name, data: getattr(latest(MeetingAction, review=w.review), name),
        shown_on=lambda w, name: [w.review.get_absolute_url()],
    ),
    "governance:self_assessment_create": Form(
        role="admin",
        page=lambda w: w.review.get_absolute_url(),
        post=lambda w: reverse("governance:self_assessment_create", args=[w.review.pk]),
        fields=[Field("as_at", kind="date")],
        read=lambda w, name, data: latest(SelfAssessment, review=w.review).as_at,
    ),
    "governance:self_assessment_edit": Form(
        role="admin",
        page=lambda w: reverse("governance:self_assessment_edit", args=[w.assessment.pk]),
        fields=[Field("title", limit=200, required=True), *[Field(name) for name in SECTIONS],
                Field("edit_count", kind="token")],
        read=lambda w, name, data: getattr(SelfAssessment.objects.get(pk=w.assessment.pk), name),
        shown_on=lambda w, name: [w.assessment.get_absolute_url()],
    ),
    "governance:self_assessment_issue": Form(
        role="admin",
        page=lambda w: w.assessment.get_absolute_url(),
        post=lambda w: reverse("governance:self_assessment_issue", args=[w.assessment.pk]),
        fields=[Field("edit_count", kind="token")],
    ),
    "governance:voice_create": Form(
        role="admin",
        page=lambda w: reverse("governance:voice_create", args=[w.plan.slug]),
        fields=[Field("heard_through", limit=200, required=True), Field("date", kind="date"),
                Field("summary", required=True), Field("what_changed"), Field("source", kind="token")],
        extra=lambda w, name, n: {"source": "children", "heard_through": "Children in Care Council",
                                  "date": "2025-10-01", "summary": "Fewer changes of social worker"} | {name: []},
        read=lambda w, name, data: getattr(latest(Voice, plan=w.plan), name),
        shown_on=lambda w, name: [reverse("governance:voice_list", args=[w.plan.slug])],
    ),
    # Sign-in refuses without saying which field was wrong, by design: only no server error is asked of it.
    "login": Form(role="anonymous", page=lambda w: reverse("login"),
                  fields=[Field("username", kind="token"), Field("password", kind="token")]),
}
NO_FIELDS = {
    "home": "redirects every request to the signed-in person's start page; it has no form",
    "logout": "a button with no field",
}


def admin_change(obj):
    return lambda w: reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def admin_form(model, get, fields, shown_on=lambda w, obj, name: []):
    def page(w):
        obj = get(w)
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    return Form(
        role="admin",
        page=page,
        fields=fields,
        read=lambda w, name, data: getattr(type(get(w)).objects.get(pk=get(w).pk), name),
        shown_on=lambda w, name: shown_on(w, get(w), name),
    )


ADMIN_FORMS = {
    "plans.plan": admin_form(
        "plan", lambda w: w.plan,
        [Field("title", limit=200, required=True, exports=("api_plans",)),
         Field("organisation", limit=200, required=True),
         Field("deadline_basis", limit=300), Field("vision"), Field("governance")],
        shown_on=lambda w, obj, name: [obj.get_absolute_url()],
    ),
    "plans.objective": admin_form(
        "objective", lambda w: w.action.objective,
        [Field("name", limit=200, required=True), Field("rationale")],
        shown_on=lambda w, obj, name: [obj.get_absolute_url()],
    ),
    "plans.action": admin_form(
        "action", lambda w: w.action,
        [Field("priority", required=True, exports=("actions_xlsx", "api_actions")),
         Field("deadline_note", limit=300, exports=("api_actions",)), Field("outcomes")],
        shown_on=lambda w, obj, name: [obj.get_absolute_url()],
    ),
    "plans.post": admin_form(
        "post", lambda w: w.action.owners.get(), [Field("name", limit=200, required=True)],
        shown_on=lambda w, obj, name: [w.action.get_absolute_url()],
    ),
    "measures.measure": admin_form(
        "measure", lambda w: w.sickness,
        [Field("name", limit=300, required=True, exports=("measures_xlsx", "api_measures", "report_xlsx")),
         Field("group", limit=100), Field("baseline_text", limit=100, exports=("api_measures",)),
         Field("baseline_period", limit=50), Field("target_text", limit=100, exports=("api_measures",))],
        # The page shows the baseline and target as numbers when the measure has them, the plan's words otherwise.
        shown_on=lambda w, obj, name: [] if name.endswith("_text") else [obj.get_absolute_url()],
    ),
    "governance.board": admin_form(
        "board", lambda w: w.board,
        [Field("name", limit=200, required=True), Field("purpose"), Field("chair", limit=200)],
        shown_on=lambda w, obj, name: [reverse("governance:board_detail", args=[obj.slug])],
    ),
    "governance.partnercontribution": admin_form(
        "partnercontribution", lambda w: w.contribution, [Field("description", required=True)],
        shown_on=lambda w, obj, name: [reverse("governance:board_detail", args=[obj.board.slug])],
    ),
    "governance.voice": admin_form(
        "voice", lambda w: w.voice,
        [Field("heard_through", limit=200, required=True), Field("summary", required=True), Field("what_changed")],
        shown_on=lambda w, obj, name: [reverse("governance:voice_list", args=[obj.plan.slug])],
    ),
    "governance.notice": admin_form(
        "notice", lambda w: w.notice,
        [Field("title", limit=200, required=True), Field("issued_by", limit=200),
         Field("source_document", limit=200)],
    ),
}
ADMIN_NOT_FUZZED = {
    # Their text is typed on the app's own forms, fuzzed above through FORMS.
    "governance.meeting": "the meeting form (governance:meeting_edit)",
    "governance.meetingaction": "the action arising forms",
    "governance.boardreport": "the report form (governance:report_edit)",
    "governance.review": "the review form (governance:review_edit)",
    "governance.selfassessment": "the self-assessment form (governance:self_assessment_edit)",
    "plans.actionupdate": "the update form (plans:action_update)",
    "plans.evidence": "the update form's link and files (plans:action_update)",
    "plans.deadlinerevision": "the update form and the decision form",
    "plans.planversion": "the version forms (plans:version_create, draft_*)",
    # Loaded from the plan files and the inspection history, not typed by people: not fuzzed yet.
    "plans.areaforimprovement": "loaded from plan files",
    "plans.judgement": "loaded from plan files",
    "plans.subobjective": "loaded from plan files",
    "plans.actionowner": "two choices and a number, no text",
    "plans.postholder": "choices and dates, no text",
    "measures.measureplacement": "choices and a number, no text",
    "governance.boardmember": "not fuzzed yet",
    "governance.inspection": "loaded from the inspection history",
    "governance.recommendation": "loaded from the inspection history",
    "auth.user": "Django's own user form",
    "auth.group": "Django's own group form",
    "improvement.entraidentity": "written by single sign-on",
    "improvement.apitoken": "a name only, tested in tests/test_api.py",
    "improvement.apitokenuse": "read-only log",
    "axes.accessattempt": "django-axes' own, read-only",
    "axes.accessfailurelog": "django-axes' own, read-only",
    "axes.accesslog": "django-axes' own, read-only",
}
ALL_FORMS = FORMS | {f"admin:{name}": form for name, form in ADMIN_FORMS.items()}

# Faults this test found that are not fixed yet, each written up for the lead: (form, field or *, what happened).
# Each must still happen: once fixed, its line fails the test until it is taken out.
KNOWN = {}


def is_known(problem, key):
    form, field, happened = key
    return problem.startswith(f"{form} · {field if field != '*' else ''}") and happened in problem


@pytest.fixture
def world(plan, manager, admin_user, board_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = SimpleNamespace(plan=plan, manager=manager)
    w.action = Action.objects.get(objective__plan=plan, ref="4.1")
    w.sickness = plan.measures.get(code="SICKNESS")
    w.board = Board.objects.get(slug="knowsley-improvement-board")
    w.meeting = Meeting.objects.create(board=w.board, date=datetime.date(2025, 9, 1))
    w.arising = MeetingAction.objects.create(meeting=w.meeting, description="d", owner=w.action.owners.get(),
                                             due=datetime.date(2025, 10, 1))
    w.report = BoardReport.objects.create(meeting=w.meeting, plan=plan, as_at=timezone.localdate(), title="Report")
    w.figure = Figure.objects.create(measure=w.sickness, month=datetime.date(2025, 4, 1), value=10)
    start_version(plan, title="Draft", user=None)
    w.review = Review.objects.create(plan=plan, kind=Review.Kind.DFE_REVIEW, date=datetime.date(2025, 7, 1), title="R")
    w.assessment = start_self_assessment(plan=plan, review=w.review, as_at=w.review.date, user=None)
    w.token = ApiToken.issue(user=board_member, name="Fuzz", issued_by=None)[1]
    partner = BoardMember.objects.create(board=w.board, name="Police partner")
    w.contribution = PartnerContribution.objects.create(
        board=w.board, partner=partner, description="Data on missing children", requested=datetime.date(2025, 9, 1),
        due=datetime.date(2025, 10, 1),
    )
    w.voice = Voice.objects.create(plan=plan, source=Voice.Source.FRONTLINE_STAFF, heard_through="Staff survey",
                                   date=datetime.date(2025, 9, 1), summary="Caseloads too high")
    w.notice = Notice.objects.create(slug="fuzz-notice", plan=plan, title="Improvement Notice",
                                     issued=datetime.date(2025, 3, 1), delivery_deadline=datetime.date(2026, 7, 31))
    fresh_revision(w)
    w.clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in {"owner": manager, "admin": admin_user, "board": board_member}.items():
        w.clients[role] = Client(raise_request_exception=False)
        w.clients[role].force_login(user)
    return w


def export_text(w, export):
    """Every text an export carries, as a list of strings (one per cell or JSON value), or one string (PDF)."""
    reader = w.clients["board"]
    api = {"HTTP_AUTHORIZATION": f"Bearer {w.token}"}
    if export == "report_pdf":
        return form_fuzz.pdf_text(reader.get(reverse("governance:report_pdf", args=[w.report.pk])).content)
    if export == "report_xlsx":
        return form_fuzz.workbook_cells(reader.get(reverse("governance:report_xlsx", args=[w.report.pk])).content)
    if export == "figures_xlsx":
        return form_fuzz.workbook_cells(reader.get(reverse("measures:figures_export", args=[w.plan.slug])).content)
    if export == "actions_xlsx":
        url = reverse("plans:action_list", args=[w.plan.slug])
        return form_fuzz.workbook_cells(reader.get(url, {"_export": "xlsx"}).content)
    if export == "measures_xlsx":
        url = reverse("measures:measure_list", args=[w.plan.slug])
        return form_fuzz.workbook_cells(reader.get(url, {"_export": "xlsx"}).content)
    endpoint = export.removeprefix("api_")
    response = reader.get(f"/api/v1/{endpoint}/", {"plan": w.plan.slug, "page_size": 1000}, **api)
    return form_fuzz.json_strings(response.content)


def label_words(label):
    label = label.split("(")[0].lower()
    stop = {"the", "a", "an", "of", "for", "to", "and", "or", "in", "this", "be", "is", "as", "at", "by", "if", "we",
            "what", "will", "do", "when", "how", "its", "it", "from", "with", "on"}
    return {word for word in "".join(c if c.isalnum() else " " for c in label).split() if word not in stop}


def names_field(message, label):
    words = label_words(label)
    message = message.lower()
    return not words or any(word in message for word in words)


class Attempt:
    """One post of one value into one field, and what the app did with it."""

    def __init__(self, w, name, form, field):
        self.w, self.name, self.form, self.field = w, name, form, field
        self.client = w.clients[form.role]
        self.problems = []

    def say(self, edge, value, sentence):
        self.problems.append(f"{self.name} · {self.field.name} · {edge or 'generated'} {value[:80]!r}: {sentence}")

    def run(self, value, edge=None, check_exports=False):
        w, form, field = self.w, self.form, self.field
        if form.prepare:
            form.prepare(w)
        page_url = form.page(w)
        page = self.client.get(page_url)
        if page.status_code != 200:
            return self.say(edge, value, f"its page answered {page.status_code}")
        parsed = read_page(page.content)
        target = form.post(w) if form.post else None
        actions = {target, w_absolute(target)} | ({""} if target == page_url else set())
        candidates = [f for f in parsed.forms if f["method"] == "post" and field.name in f["names"]
                      and (target is None or f["action"] in actions)]
        if not candidates and field.kind == "token" and target:
            candidates = [{"action": target, "data": []}]  # a field the page leaves out (an unticked box): sent anyway
        if not candidates:
            return self.say(edge, value, f"no POST form with this field on {page_url}")
        html_form = candidates[0]
        data = {}
        for key, item in html_form["data"]:
            data.setdefault(key, []).append(item)
        for key, item in form.extra(w, field.name, next(POSTS)).items():
            data[key] = item if isinstance(item, list) else [item]
        if field.kind == "filename":
            content = b"Code,Month,Value\nSICKNESS,2025-05,9.5\n"
            data[field.name] = [SimpleUploadedFile(value, content, content_type="text/csv")]
        else:
            data[field.name] = [value]
        url = html_form["action"] or page_url
        response = self.client.post(url, data)
        status = response.status_code
        if status >= 500:
            return self.say(edge, value, f"server error {status}")
        if status in (301, 302):
            location = response["Location"]
            if not location.startswith("/") or location.startswith("//"):
                self.say(edge, value, f"redirected off the site, to {location!r}")
        if field.kind == "token":
            return
        label = field.label or parsed.labels.get(f"id_{field.name}", field.name.replace("_", " "))
        if status in (200, 400, 409):
            answer = read_page(response.content)
            errors = [text for target_id, text in answer.errors if target_id == f"id_{field.name}"]
            return self.refused(edge, value, label, errors, answer)
        if status != 302:
            return self.say(edge, value, f"answered {status}")
        if form.refuses_by_message:
            refusals = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
            if refusals:
                return self.refused(edge, value, label, refusals, None)
        self.accepted(edge, value, data, check_exports)

    def refused(self, edge, value, label, errors, answer):
        field = self.field
        if field.must_take(edge):
            return self.say(edge, value, f"refused, but it must be taken: {errors or answer and answer.summary}")
        if not errors:
            summary = " ".join((answer.summary if answer else "").split())
            return self.say(edge, value, f"refused with no error on the field (summary: {summary[:200]!r})")
        if not any(names_field(error, label) for error in errors):
            self.say(edge, value, f"refused with an error that does not name “{label}”: {errors}")
        if answer is not None and field.kind != "filename":
            shown = next((f["values"][field.name] for f in answer.forms if field.name in f["values"]), None)
            if shown is not None and shown.strip() not in (value.strip(), expected(value)):
                self.say(edge, value, f"what was typed is not kept: the page shows {shown[:80]!r}")

    def accepted(self, edge, value, data, check_exports):
        w, form, field = self.w, self.form, self.field
        if field.must_take(edge) is False:
            self.say(edge, value, "accepted, but it is longer than the database holds or not allowed")
        stored = form.read(w, field.name, data)
        if field.kind in ("date", "month"):
            if isinstance(stored, str) and stored:
                stored = datetime.date.fromisoformat(stored + "-01" if len(stored) == 7 else stored)
            if isinstance(stored, datetime.date) and not EARLIEST_DATE <= stored <= LATEST_DATE:
                self.say(edge, value, f"accepted and stored {stored}, outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
            return
        if field.kind == "number":
            return
        wanted = form.stored_as(field.name, expected(value))
        stored = "" if stored is None else stored
        if field.kind == "filename":
            # A file's name reaches the app as the browser and Django's upload parser leave it (never typed):
            # what is stored must fit, be clean and keep the file's extension.
            if len(stored) > field.limit or clean_text(stored) != stored or not stored.endswith(".csv"):
                self.say(edge, value, f"stored the file name {stored[:80]!r}")
            return
        if stored != wanted:
            return self.say(edge, value, f"accepted but stored {str(stored)[:80]!r}, not {wanted[:80]!r}")
        if not wanted:
            return
        for url in form.shown_on(w, field.name):
            text = visible_text(self.client.get(url).content)
            if not all(shown_or_cut_visibly(piece, text) for piece in (wanted.splitlines() if field.one_per_line
                                                                       else [wanted])):
                self.say(edge, value, f"accepted, but {url} does not show it")
        if check_exports:
            for export in field.exports:
                text = export_text(w, export)
                if isinstance(text, str):
                    found = shown_or_cut_visibly(wanted, text, squash=no_spaces)
                else:
                    found = wanted in text
                if not found:
                    self.say(edge, value, f"accepted, but the {export} export does not show it whole")


def w_absolute(path):
    return f"http://testserver{path}"


@pytest.mark.parametrize("name", sorted(ALL_FORMS))
def test_it_takes_text_whole_or_refuses_it_by_name(name, world):
    form = ALL_FORMS[name]
    problems = []
    for field in form.fields:
        attempt = Attempt(world, name, form, field)
        for edge, value in field.edges().items():
            attempt.run(value, edge, check_exports=edge in EXPORT_EDGES)
        problems += attempt.problems

    @settings(max_examples=EXAMPLES_PER_FIELD * len(form.fields), deadline=None, database=None,
              derandomize=not os.environ.get("FUZZ_RANDOM"), suppress_health_check=list(HealthCheck))
    @given(st.data())
    def generated(data):
        field = data.draw(st.sampled_from(form.fields), label="field")
        value = data.draw(field.strategy(), label="value")
        attempt = Attempt(world, name, form, field)
        attempt.run(value)
        problems.extend(attempt.problems)

    generated()
    if os.environ.get("FUZZ_REPORT"):  # a file to collect every problem found, for reading them whole
        with open(os.environ["FUZZ_REPORT"], "a") as report:
            report.writelines(f"{problem}\n" for problem in problems)
    known = [key for key in KNOWN if key[0] == name]
    unexpected = [problem for problem in problems if not any(is_known(problem, key) for key in known)]
    fixed = [KNOWN[key] for key in known if not any(is_known(problem, key) for problem in problems)]
    assert not unexpected, "\n".join(unexpected)
    assert not fixed, f"Fixed, so take it out of KNOWN: {fixed}"


def test_it_fuzzes_every_post_form():
    from django.contrib import admin

    takes_post = {
        name for name, by_method in EXPECTED.items() if any(code != 405 for code in by_method["POST"].values())
    } | {"login", "logout"}
    assert takes_post <= set(url_names()) | {"login", "logout"}
    assert takes_post == set(FORMS) | set(NO_FIELDS), "give each POST form an entry in FORMS (or NO_FIELDS)"
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert registered == set(ADMIN_FORMS) | set(ADMIN_NOT_FUZZED), "give each admin form an entry"
