from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models.plan import Plan


class PlanVersion(models.Model):
    """The plan as published at one time, kept in the plan file format so two versions can be compared.

    A new version starts as a draft copied from the plan as it stands; admins edit the draft, and issuing
    it applies it to the plan. Actions keep their identity (their uid, whatever their ref, words or place), so
    their updates and history carry on across versions; an action the new version drops is withdrawn, not deleted.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, help_text="e.g. October 2025 refresh after the first monitoring visit.")
    change_note = models.TextField(blank=True, help_text="Why the plan changed.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    content = models.JSONField(help_text="The plan in the plan file format.")
    edit_count = models.PositiveIntegerField(default=0, help_text="Bumped by every edit, to catch two people editing.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number"),
            models.UniqueConstraint(fields=["plan"], condition=Q(state="draft"), name="one_draft_version_per_plan"),
        ]

    def __str__(self):
        return f"Version {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("plans:version_detail", args=[self.plan.slug, self.number])

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT
