"""Draft, edit, issue, frozen: the one lifecycle of board reports, self-assessments and plan versions.

A record starts as a draft. Every edit claims it through plans.editing (its edit count catches two people
editing at once); issuing claims it one last time and records who issued it and when. From then on every
claim raises Frozen, whatever the edit count: the record stays as it was issued.
"""

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from plans.editing import Frozen, Stale, claim, keep_typed, save_edit, seen_count


class Issuable(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    edit_count = models.PositiveIntegerField(default=0, help_text="Bumped by every edit, to catch two people editing.")
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    FROZEN = "This has been issued: it can no longer be changed."  # each model says it in its own words
    DRAFTS = Q(state=State.DRAFT)

    class Meta:
        abstract = True

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_issued(self):
        return self.state == self.State.ISSUED


def claim_draft(model, pk, *, seen: int | None, compare=(), frozen: str = ""):
    """Claim a draft for one write (plans.editing.claim): Stale if edited since `seen`, Frozen once issued.
    `seen` None (not from a page: the demo, a shell) claims the record as it stands."""
    if seen is None:
        seen = model._default_manager.values_list("edit_count", flat=True).get(pk=pk)
    return claim(model, pk, seen=seen, editable=model.DRAFTS, frozen=frozen or model.FROZEN, compare=compare)


def save_draft_edit(record, *, seen: int, values: dict, user, frozen: str = "", m2m: dict | None = None):
    """Write `values` onto a draft (plans.editing.save_edit): Stale if edited since `seen`, Frozen once issued."""
    return save_edit(record, seen=seen, values=values, user=user, editable=type(record).DRAFTS,
                     frozen=frozen or type(record).FROZEN, m2m=m2m)


def mark_issued(record, *, user):
    """Issue a record already claimed (claim_draft) in this transaction: who and when, in its history too."""
    record.state = record.State.ISSUED
    record.issued_at = timezone.now()
    record.issued_by = user
    record._history_user = user
    record.save()
    return record


def edit_draft(request, record, *, form_class, template, context, noun: str, frozen: str):
    """A draft's edit page: the form with what the person typed kept whatever happens. Someone else's save since
    they opened it shows theirs beside it (409, plans.editing); an issue meanwhile saves nothing (409, `frozen`)."""
    if record.is_issued and request.method != "POST":
        messages.error(request, f"An issued {noun} cannot be changed.")
        return redirect(record)
    form = form_class(request.POST or None, instance=record, initial={"edit_count": record.edit_count})
    conflict = is_frozen = None
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        try:
            save_draft_edit(record, seen=seen_count(request.POST), values=values, user=request.user, frozen=frozen)
        except Frozen as error:
            form.add_error(None, str(error))
            is_frozen = True
        except Stale as stale:
            keep_typed(form, stale)
            conflict = stale
        else:
            messages.success(request, f"{noun.capitalize()} saved as a draft.")
            return redirect(record)
    return render(
        request, template, {**context, "form": form, "conflict": conflict, "frozen": is_frozen},
        status=409 if conflict or is_frozen else 200,
    )
