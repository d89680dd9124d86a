"""DfE reviews, Ofsted monitoring visits and adviser reports, their follow-up actions, and self-assessments."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance.forms import MeetingActionForm, NewSelfAssessmentForm, ReviewForm, SelfAssessmentForm
from governance.models import MeetingAction, Review, SelfAssessment
from governance.self_assessment import (
    StaleSelfAssessment,
    issue_self_assessment,
    save_self_assessment,
    start_self_assessment,
)
from improvement.roles import admin_required


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
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review._history_user = request.user
        review.save()
        messages.success(request, f"{review} saved.")
        return redirect(review)
    return render(request, "governance/review_form.html", {"review": review, "form": form})


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
    if assessment.is_issued:
        messages.error(request, "An issued self-assessment cannot be changed.")
        return redirect(assessment)
    form = SelfAssessmentForm(request.POST or None, instance=assessment, initial={"edit_count": assessment.edit_count})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SelfAssessmentForm.Meta.fields}
        try:
            save_self_assessment(
                assessment, edit_count=form.cleaned_data["edit_count"], values=values, user=request.user
            )
        except StaleSelfAssessment:
            messages.error(
                request,
                "Someone else saved this self-assessment while you were editing it. Your text is below, not saved: "
                "open the saved version in another tab, merge, and save again.",
            )
            form.data = form.data.copy()
            form.data["edit_count"] = SelfAssessment.objects.get(pk=pk).edit_count
        else:
            messages.success(request, "Self-assessment saved as a draft.")
            return redirect(assessment)
    return render(request, "governance/self_assessment_form.html", {"assessment": assessment, "form": form})


@require_POST
@admin_required
def self_assessment_issue(request, pk):
    assessment = get_object_or_404(SelfAssessment, pk=pk)
    try:
        issue_self_assessment(assessment, user=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Self-assessment issued: it can no longer be changed.")
    return redirect(assessment)
