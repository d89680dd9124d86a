"""DfE reviews, Ofsted monitoring visits and adviser reports, their follow-up actions, and self-assessments."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance.forms import MeetingActionForm, NewSelfAssessmentForm, ReviewForm, SelfAssessmentForm
from governance.models import MeetingAction, Review, SelfAssessment
from governance.self_assessment import issue_self_assessment, start_self_assessment
from plans.editing import Stale, keep_typed, save_edit, seen_count
from plans.lifecycle import edit_draft
from plans.roles import admin_required


@require_GET
def review_list(request):
    return render(
        request,
        "governance/review_list.html",
        {
            "reviews": Review.objects.select_related("plan"),
            "self_assessments": SelfAssessment.objects.select_related("plan", "review"),
        },
    )


@admin_required
def review_form(request, pk=None):
    review = get_object_or_404(Review, pk=pk) if pk else None
    form = ReviewForm(request.POST or None, instance=review, initial={"edit_count": review.edit_count if review else 0})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if review:
                values = {name: form.cleaned_data[name] for name in ReviewForm.Meta.fields}
                review = save_edit(review, seen=seen_count(request.POST), values=values, user=request.user)
            else:
                review = form.save(commit=False)
                review._history_user = request.user
                review.save()
        except Stale as stale:
            keep_typed(form, stale)
            conflict = stale
        else:
            messages.success(request, f"{review} saved.")
            return redirect(review)
    return render(request, "governance/review_form.html", {"review": review, "form": form, "conflict": conflict},
                  status=409 if conflict else 200)


@require_GET
def review_detail(request, pk):
    return _review_page(request, get_object_or_404(Review.objects.select_related("plan"), pk=pk))


def _review_page(request, review, action_form=None):
    today = timezone.localdate()
    actions = list(review.actions_arising.select_related("owner"))
    for action in actions:
        action.state = action.brag_state(today)
    return render(
        request,
        "governance/review_detail.html",
        {
            "review": review,
            "actions": actions,
            "self_assessments": review.self_assessments.all(),
            "action_form": action_form or MeetingActionForm(),
            "assessment_form": NewSelfAssessmentForm(initial={"as_at": min(review.date, today)}),
        },
    )


@require_POST
@admin_required
def review_action_create(request, pk):
    review = get_object_or_404(Review, pk=pk)
    form = MeetingActionForm(request.POST, instance=MeetingAction(review=review))
    if not form.is_valid():
        return _review_page(request, review, action_form=form)  # keeps what was typed, with the errors
    form.save()
    messages.success(request, "Follow-up action added.")
    return redirect(review)


@require_POST
@admin_required
def self_assessment_create(request, pk):
    review = get_object_or_404(Review.objects.select_related("plan"), pk=pk)
    form = NewSelfAssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date the data should be as at.")
        return redirect(review)
    assessment = start_self_assessment(
        plan=review.plan, review=review, as_at=form.cleaned_data["as_at"], user=request.user
    )
    messages.success(request, "Self-assessment drafted from the data: edit it in the council's own words.")
    return redirect("governance:self_assessment_edit", pk=assessment.pk)


@require_GET
def self_assessment_detail(request, pk):
    assessment = get_object_or_404(SelfAssessment.objects.select_related("plan", "review", "issued_by"), pk=pk)
    return render(request, "governance/self_assessment_detail.html", {"assessment": assessment})


@admin_required
def self_assessment_edit(request, pk):
    assessment = get_object_or_404(SelfAssessment.objects.select_related("plan", "review"), pk=pk)
    return edit_draft(
        request, assessment, form_class=SelfAssessmentForm, template="governance/self_assessment_form.html",
        context={"assessment": assessment}, noun="self-assessment",
        frozen="An issued self-assessment cannot be changed. What you typed below was not saved.",
    )


@require_POST
@admin_required
def self_assessment_issue(request, pk):
    assessment = get_object_or_404(SelfAssessment, pk=pk)
    try:
        issue_self_assessment(assessment, user=request.user, seen=seen_count(request.POST))
    except Stale as stale:
        messages.error(
            request,
            f"{stale.by} changed this self-assessment since you opened it, so it was not issued: "
            "read it again, then issue it.",
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Self-assessment issued: it can no longer be changed.")
    return redirect(assessment)
