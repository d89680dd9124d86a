"""Boards, their meetings, actions arising and the reports made to them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from governance.forms import MeetingActionForm, MeetingForm, NewReportForm, ReportNarrativeForm
from governance.models import Board, BoardReport, Inspection, Meeting, MeetingAction, Recommendation
from governance.report_files import DOCX_TYPE, NARRATIVE, report_docx, report_pdf, report_xlsx
from governance.reports import issue_report, render_report_body, report_snapshot
from plans.bounds import shorten
from plans.editing import Stale, keep_typed, save_edit, seen_count
from plans.exports import XLSX_TYPE
from plans.lifecycle import edit_draft
from plans.models import PostHolder, Status
from plans.roles import Role, admin_required, has_role, is_admin


@require_GET
def board_list(request):
    return render(request, "governance/board_list.html", {"boards": Board.objects.prefetch_related("plans")})


@require_GET
def board_detail(request, slug):
    board = get_object_or_404(Board.objects.prefetch_related("members", "plans"), slug=slug)
    today = timezone.localdate()
    contributions = list(board.contributions.select_related("partner"))
    for item in contributions:
        item.overdue = item.is_overdue(today)
    return render(request, "governance/board_detail.html", {
        "board": board, "meetings": board.meetings.prefetch_related("attendees"), "contributions": contributions,
    })


MEETING_FIELDS = ["date", "agenda", "minutes", "decisions"]
REPORT_ISSUED = "This report has been issued, so it can no longer be changed: what you typed below was not saved."


@admin_required
def meeting_form(request, slug, pk=None):
    board = get_object_or_404(Board, slug=slug)
    meeting = get_object_or_404(Meeting, pk=pk, board=board) if pk else Meeting(board=board)
    heading_date = meeting.date  # the form writes what was typed onto the instance; the heading keeps the stored date
    form = MeetingForm(request.POST or None, instance=meeting, board=board, initial={"edit_count": meeting.edit_count})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                meeting = save_edit(
                    meeting,
                    seen=seen_count(request.POST),
                    values={name: form.cleaned_data[name] for name in MEETING_FIELDS},
                    m2m={"attendees": form.cleaned_data["attendees"]},
                    user=request.user,
                )
            else:
                meeting = _new_meeting(form, request.user)
        except Stale as stale:
            keep_typed(form, stale)
            conflict = stale
        else:
            messages.success(request, f"Meeting of {meeting.date:%d %B %Y} saved.")
            return redirect(meeting)
    return render(
        request,
        "governance/meeting_form.html",
        {"board": board, "meeting": meeting, "heading_date": heading_date, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


TITLE_LENGTH = BoardReport._meta.get_field("title").max_length


def _new_meeting(form, user):
    meeting = form.save(commit=False)
    meeting._history_user = user
    meeting.save()
    form.save_m2m()
    return meeting


@require_GET
def meeting_detail(request, slug, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("board").prefetch_related("attendees"), pk=pk, board__slug=slug
    )
    return _meeting_page(request, meeting)


def _meeting_page(request, meeting, action_form=None):
    today = timezone.localdate()
    actions = list(meeting.actions_arising.select_related("owner"))
    for action in actions:
        action.state = action.brag_state(today)
    plans = list(meeting.board.plans.all())
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "board": meeting.board,
            "meeting": meeting,
            "actions": actions,
            "reports": meeting.reports.select_related("plan"),
            "action_form": action_form or MeetingActionForm(),
            "report_form": NewReportForm(
                board=meeting.board, initial={"plan": plans[0] if plans else None, "as_at": meeting.date}
            ),
        },
    )


@require_POST
@admin_required
def meeting_action_create(request, slug, pk):
    meeting = get_object_or_404(Meeting, pk=pk, board__slug=slug)
    form = MeetingActionForm(request.POST, instance=MeetingAction(meeting=meeting))
    if not form.is_valid():
        return _meeting_page(request, meeting, action_form=form)  # keeps what was typed, with the errors
    form.save()
    messages.success(request, "Action arising added.")
    return redirect(meeting)


def get_action_arising_for_update(request, pk):
    """An action arising the signed-in person may move: admins any, a service manager those of a post held now."""
    action = get_object_or_404(MeetingAction.objects.select_related("meeting__board", "review"), pk=pk)
    if is_admin(request.user):
        return action
    if not has_role(request.user, Role.SERVICE_MANAGER):
        raise PermissionDenied("Only service managers and admins can update actions arising.")
    if not PostHolder.objects.current().filter(post=action.owner, user=request.user).exists():
        raise PermissionDenied("Only the owning post's holders can update this action.")
    return action


def safe_next(request, default):
    """Where `next` asks to go, if it is a page of this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would take anything else (e.g. "NaN") for a URL name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def meeting_action_status(request, pk):
    """The holder of the owning post (or an admin) moves an action arising on the status scale."""
    action = get_action_arising_for_update(request, pk)
    status = request.POST.get("status")
    if status not in Status.values:
        messages.error(request, "Choose a status.")
    else:
        action.status = status
        action.save()
        messages.success(request, f"Action arising marked {Status(status).label.lower()}.")
    return redirect(safe_next(request, action.source.get_absolute_url()))


@require_POST
@admin_required
def report_create(request, slug, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk, board__slug=slug)
    form = NewReportForm(request.POST, board=meeting.board)
    if not form.is_valid():
        messages.error(
            request, f"Choose one of the plans the {meeting.board} oversees, and the date the data should be as at."
        )
        return redirect(meeting)
    report = BoardReport.objects.create(
        meeting=meeting,
        plan=form.cleaned_data["plan"],
        as_at=min(form.cleaned_data["as_at"], timezone.localdate()),
        title=shorten(f"Report to the {meeting.board} of {meeting.date:%d %B %Y}", TITLE_LENGTH),
    )
    return redirect("governance:report_edit", pk=report.pk)


def _snapshot(report):
    if report.is_issued:
        return report.snapshot
    previous = report.meeting.previous()
    return report_snapshot(plan=report.plan, as_at=report.as_at, since=previous.date if previous else None)


@require_GET
def report_detail(request, pk):
    report = get_object_or_404(BoardReport.objects.select_related("meeting__board", "plan", "issued_by"), pk=pk)
    body = report.issued_html if report.is_issued else render_report_body(report, _snapshot(report))
    return render(
        request, "governance/report_detail.html", {"report": report, "body": body, "board": report.meeting.board}
    )


@admin_required
def report_edit(request, pk):
    report = get_object_or_404(BoardReport.objects.select_related("meeting__board"), pk=pk)
    return edit_draft(
        request, report, form_class=ReportNarrativeForm, template="governance/report_form.html",
        context={"report": report, "board": report.meeting.board}, noun="report", frozen=REPORT_ISSUED,
    )


@require_GET
@admin_required
def report_issue_confirm(request, pk):
    """What issuing will freeze, and what the board would miss: empty narrative, measures with no figure, a date
    still to come."""
    report = get_object_or_404(BoardReport.objects.select_related("meeting__board", "plan"), pk=pk)
    snapshot = _snapshot(report)
    measures = [m for objective in snapshot["objectives"] for m in objective["measures"]]
    context = {
        "report": report, "board": report.meeting.board, "snap": snapshot,
        "action_count": sum(len(objective["actions"]) for objective in snapshot["objectives"]),
        "measure_count": len({m["code"] for m in measures}),
        "empty_sections": [heading for field, heading in NARRATIVE if not getattr(report, field).strip()],
        "no_figure": sorted({m["name"] for m in measures if not m["value"]}),
        "in_future": report.as_at > timezone.localdate(),
    }
    return render(request, "governance/report_issue_confirm.html", context)


@require_POST
@admin_required
def report_issue(request, pk):
    report = get_object_or_404(BoardReport, pk=pk)
    try:
        issue_report(report=report, user=request.user, seen=seen_count(request.POST))
    except Stale as stale:
        messages.error(
            request,
            f"{stale.by} changed this report since you opened it, so it was not issued: read it again, then issue it.",
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Report issued: it is now frozen as the board receives it.")
    return redirect(report)


@require_GET
def report_download(request, pk, file_format):
    report = get_object_or_404(BoardReport.objects.select_related("meeting__board", "plan"), pk=pk)
    snapshot = _snapshot(report)
    name = f"board-report-{report.meeting.date:%Y-%m-%d}{'' if report.is_issued else '-draft'}"
    if file_format == "pdf":
        response = HttpResponse(report_pdf(report, snapshot), content_type="application/pdf")
    elif file_format == "docx":
        response = HttpResponse(report_docx(report, snapshot), content_type=DOCX_TYPE)
    else:
        response = HttpResponse(report_xlsx(report, snapshot), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@require_GET
def inspection_list(request):
    inspections = Inspection.objects.prefetch_related("judgements").select_related("plan")
    return render(request, "governance/inspection_list.html", {"inspections": inspections})


@require_GET
def inspection_detail(request, slug):
    inspection = get_object_or_404(Inspection.objects.select_related("plan"), slug=slug)
    recommendations = list(
        inspection.recommendations.prefetch_related("objectives__plan", "actions__objective__plan")
    )
    # Who last changed each recommendation's links, and when: no document maps them, so a link is a person's word.
    last_change = {}
    for record in (
        Recommendation.history.filter(id__in=[item.pk for item in recommendations], history_user__isnull=False)
        .select_related("history_user").order_by("id", "-history_date")
    ):
        last_change.setdefault(record.id, record)
    for item in recommendations:
        item.linked_by = last_change.get(item.pk)
    plan = inspection.plan
    return render(
        request,
        "governance/inspection_detail.html",
        {
            "inspection": inspection,
            "recommendations": recommendations,
            "plan_judgements": plan.judgements.all() if plan else [],
            "plan_areas": plan.areas.with_answers() if plan else [],
        },
    )
