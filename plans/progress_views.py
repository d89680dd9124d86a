"""Pages where service managers keep their actions up to date, and admins approve revised deadlines."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from plans.forms import ActionUpdateForm, EvidenceUploadLimits, RevisionDecisionForm
from plans.models import Action, DeadlineRevision, Evidence, Plan
from plans.roles import admin_required, get_action_for_update
from plans.services import EvidenceLink, StaleAction, decide_revision, post_update


@csrf_exempt  # checked below, once the evidence limits are in place (the CSRF check reads the request)
def action_update(request, slug, key):
    limits = EvidenceUploadLimits(request)
    request.upload_handlers.insert(0, limits)
    return _action_update(request, slug, key, limits)


@csrf_protect
def _action_update(request, slug, key, limits):
    plan = get_object_or_404(Plan, slug=slug)
    action = get_action_for_update(
        request, Action.objects.select_related("objective__plan").by_key(key), objective__plan=plan
    )
    conflict = None
    if request.method == "POST":
        form = ActionUpdateForm(request.POST, request.FILES, action=action, upload_refusals=limits.refused)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post_update(
                    action=action,
                    author=request.user,
                    expected_version=data["version"],
                    status=data["status"],
                    commentary=data["commentary"],
                    evidence_of_impact=data["evidence_of_impact"],
                    next_steps=data["next_steps"],
                    links=[EvidenceLink(data["link_title"], data["link_url"])] if data["link_url"] else [],
                    files=data["files"],
                    revised_deadline=data["revised_deadline"],
                    revision_reason=data["revision_reason"],
                )
            except StaleAction as stale:
                conflict = stale.updates_since
                # Keep what they typed, but let a resubmission go through against what they have now seen.
                form.data = form.data.copy()
                form.data["version"] = stale.action.version
                form.add_error(
                    None,
                    "Someone else updated this action while you were writing. Their update is shown below: "
                    "check it, change yours if needed, and submit again.",
                )
            else:
                messages.success(request, f"Your update to action {action.ref} has been saved.")
                return redirect(action)
    else:
        form = ActionUpdateForm(action=action, initial={"version": action.version, "status": action.status})
    return render(
        request,
        "plans/actionupdate_form.html",
        {"plan": plan, "action": action, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_GET
def evidence_file(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    if not evidence.file:
        raise Http404("This evidence is a link, not a file.")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.title)


@require_GET
@admin_required
def revision_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    revisions = DeadlineRevision.objects.filter(action__objective__plan=plan).select_related(
        "action__objective__plan", "requested_by", "decided_by"
    )
    return render(
        request,
        "plans/deadlinerevision_list.html",
        {
            "plan": plan,
            "pending": [r for r in revisions if r.decision == DeadlineRevision.Decision.PENDING],
            "decided": [r for r in revisions if r.decision != DeadlineRevision.Decision.PENDING][:50],
            "form": RevisionDecisionForm(),
        },
    )


@require_POST
@admin_required
def revision_decide(request, slug, pk):
    revision = get_object_or_404(DeadlineRevision, pk=pk, action__objective__plan__slug=slug)
    form = RevisionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or do not approve.")
        return redirect("plans:revision_list", slug=slug)
    try:
        revision = decide_revision(
            revision=revision,
            admin=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Revised deadline for action {revision.action.ref}: {revision.get_decision_display().lower()}."
        )
    return redirect("plans:revision_list", slug=slug)
