"""Plan versions: start a draft from the plan as it stands, edit it, compare it, issue it."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from plans.forms import DraftActionForm, DraftMeasureForm, NewVersionForm
from plans.loading import PlanFileError, keep_inferred
from plans.models import Plan, PlanVersion
from plans.roles import admin_required, is_admin
from plans.versions import (
    StaleDraft,
    diff_contents,
    issue_version,
    measures_in,
    month_text,
    save_draft,
    start_version,
)

CONFLICT = (
    "Someone else saved this draft while you were editing it. Your changes are below, not saved: "
    "check the draft and submit again."
)


def _version(slug, number):
    return get_object_or_404(PlanVersion.objects.select_related("plan", "issued_by", "created_by"), plan__slug=slug,
                             number=number)


def _objective(content, number):
    for objective in content["objectives"]:
        if objective["number"] == number:
            return objective
    raise Http404("No such objective in this version.")


@require_GET
def version_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    versions = list(plan.versions.select_related("issued_by"))
    return render(request, "plans/version_list.html", {"plan": plan, "versions": versions, "form": NewVersionForm()})


@require_POST
@admin_required
def version_create(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        versions = list(plan.versions.select_related("issued_by"))
        return render(request, "plans/version_list.html", {"plan": plan, "versions": versions, "form": form})
    try:
        version = start_version(plan, title=form.cleaned_data["title"], user=request.user)
    except PlanFileError as error:
        messages.error(request, str(error))
        return redirect("plans:version_list", slug=slug)
    messages.success(request, f"Version {version.number} started as a copy of the plan as it stands.")
    return redirect(version)


@require_GET
def version_detail(request, slug, number):
    version = _version(slug, number)
    previous = version.plan.versions.filter(number__lt=number).order_by("-number").first()
    objectives = []
    for objective in version.content["objectives"]:
        actions = [
            dict(row, position=position, deadline_label=month_text(row.get("deadline")))
            for position, row in enumerate(objective.get("actions", []), start=1)
        ]
        objectives.append(dict(objective, actions_list=actions))
    return render(
        request,
        "plans/version_detail.html",
        {
            "plan": version.plan,
            "version": version,
            "objectives": objectives,
            "previous": previous,
            "diff": diff_contents(previous.content, version.content) if previous else None,
            "can_edit": version.is_draft and is_admin(request.user),
        },
    )


def _row_at(actions, position, uid):
    """The row the admin opened: found by its uid, as rows before it may have been removed since."""
    if uid:
        return next((index for index, row in enumerate(actions) if row.get("uid") == uid), None)
    return position - 1 if position and position <= len(actions) else None


def _taken_refs(objective, keep=None):
    return {row["ref"] for row in objective.get("actions", []) if row.get("ref") and row.get("ref") != keep}


@admin_required
def draft_action(request, slug, number, objective_number, position=None):
    """Edit an action of a draft version, or add one (position None)."""
    version = _version(slug, number)
    if not version.is_draft:
        messages.error(request, "This version has been issued: start a new version to change the plan.")
        return redirect(version)
    objective = _objective(version.content, objective_number)
    actions = objective.get("actions", [])
    opened = actions[position - 1] if position and 1 <= position <= len(actions) else {}
    uid = request.POST.get("uid") or opened.get("uid", "")
    index = _row_at(actions, position, uid) if position else None
    # A change posted for an action someone else removed meanwhile is refused with its words kept on the form.
    gone = bool(position) and index is None and request.method == "POST" and bool(uid)
    if position and index is None and not gone:
        raise Http404("No such action in this version.")
    row = actions[index] if index is not None else {}
    initial = dict(row, owners="\n".join(row.get("owners", [])), edit_count=version.edit_count)
    if row.get("deadline"):
        initial["deadline"] = datetime.datetime.strptime(row["deadline"], "%Y-%m").date()
    form = DraftActionForm(
        request.POST or None,
        initial=initial,
        objective=objective_number,
        taken_refs=_taken_refs(objective, keep=row.get("ref")),
        needs_ref=version.plan.kind == Plan.Kind.IMPROVEMENT_PLAN,
    )
    conflict = None
    if gone and form.is_valid():
        form.add_error(None, "Someone else removed this action from the draft, so what you typed was not saved: "
                             "add it again if the plan still needs it.")
    if request.method == "POST" and form.is_valid():
        # The uid goes first, as in the plan file; a new action is given one when the draft is saved.
        new_row = {"uid": uid, **form.as_row()} if uid else form.as_row()

        def change(content):
            rows = _objective(content, objective_number)["actions"]
            at = _row_at(rows, position, uid) if position else None
            if position and at is None:
                raise PlanFileError("Someone else removed this action from the draft.")
            if position:
                rows[at] = keep_inferred(rows[at], new_row)
            else:
                rows.append(new_row)

        try:
            save_draft(version, edit_count=form.cleaned_data["edit_count"], user=request.user, change=change)
        except StaleDraft:
            # Keep what they typed; show what the draft says now; resubmitting saves over it knowingly.
            messages.error(request, CONFLICT)
            version.refresh_from_db()
            current = _objective(version.content, objective_number).get("actions", [])
            at = _row_at(current, position, uid) if position else None
            conflict = current[at] if at is not None else None
            form.data = form.data.copy()
            form.data["edit_count"] = version.edit_count
        except PlanFileError as error:  # issued while they typed: nothing saved, their text kept
            form.add_error(None, f"{error} What you typed was not saved.")
        else:
            messages.success(
                request, f"Action {new_row['ref']} saved in the draft." if new_row["ref"] else "Saved in the draft."
            )
            return redirect(f"{version.get_absolute_url()}#objective-{objective_number}")
    return render(
        request,
        "plans/version_action_form.html",
        {
            "plan": version.plan,
            "version": version,
            "objective": objective,
            "form": form,
            "position": position,
            "uid": uid,
            "conflict": conflict,
        },
    )


@require_POST
@admin_required
def draft_action_remove(request, slug, number, objective_number, position):
    version = _version(slug, number)
    objective = _objective(version.content, objective_number)
    if not 1 <= position <= len(objective.get("actions", [])):
        raise Http404("No such action in this version.")
    uid = request.POST.get("uid", "")
    index = _row_at(objective["actions"], position, uid)
    if index is None:
        messages.error(request, "That action is no longer in the draft: nothing was removed.")
        return redirect(f"{version.get_absolute_url()}#objective-{objective_number}")
    removed = objective["actions"][index]

    def change(content):  # save_draft has checked the edit count: the draft is the one the admin saw
        del _objective(content, objective_number)["actions"][index]

    try:
        edit_count = request.POST.get("edit_count", "")
        edit_count = int(edit_count) if edit_count.isdigit() else -1  # missing or garbled: treated as stale
        save_draft(version, edit_count=edit_count, user=request.user, change=change)
    except StaleDraft:
        messages.error(request, "Someone else changed this draft first: nothing was removed. Check it and try again.")
    except PlanFileError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Action {removed.get('ref') or removed['priority'][:40]} removed from the draft.")
    return redirect(f"{version.get_absolute_url()}#objective-{objective_number}")


@admin_required
def draft_measure(request, slug, number, code):
    version = _version(slug, number)
    if not version.is_draft:
        messages.error(request, "This version has been issued: start a new version to change the plan.")
        return redirect(version)
    measure = measures_in(version.content).get(code)
    if measure is None:
        raise Http404("No such measure in this version.")
    form = DraftMeasureForm(request.POST or None, initial=dict(measure, edit_count=version.edit_count))
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data[key].strip() for key in ("name", "baseline", "target")}

        def change(content):
            for objective in content["objectives"]:
                for measure in objective.get("measures", []):
                    if measure["code"] == code:
                        measure.update(values)

        try:
            save_draft(version, edit_count=form.cleaned_data["edit_count"], user=request.user, change=change)
        except StaleDraft:
            messages.error(request, CONFLICT)
            form.data = form.data.copy()
            form.data["edit_count"] = PlanVersion.objects.get(pk=version.pk).edit_count
        except PlanFileError as error:  # issued while they typed: nothing saved, their text kept
            form.add_error(None, f"{error} What you typed was not saved.")
        else:
            messages.success(request, f"Measure {code} saved in the draft.")
            return redirect(f"{version.get_absolute_url()}#measures")
    return render(
        request,
        "plans/version_measure_form.html",
        {"plan": version.plan, "version": version, "code": code, "form": form},
    )


@require_POST
@admin_required
def version_issue(request, slug, number):
    version = _version(slug, number)
    try:
        result = issue_version(version, user=request.user)
    except PlanFileError as error:
        messages.error(request, f"The version was not issued: {error}")
    else:
        messages.success(request, f"Version {version.number} issued. {result.summary()}")
    return redirect("plans:version_detail", slug=slug, number=number)


@require_GET
def version_compare(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    versions = list(plan.versions.order_by("number"))
    by_number = {version.number: version for version in versions}
    try:
        old = by_number[int(request.GET.get("from", 0))]
        new = by_number[int(request.GET.get("to", 0))]
    except (KeyError, ValueError):
        old, new = (versions[-2], versions[-1]) if len(versions) > 1 else (None, None)
    return render(
        request,
        "plans/version_compare.html",
        {
            "plan": plan,
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff_contents(old.content, new.content) if old and new else None,
        },
    )
