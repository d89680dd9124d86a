from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.lifecycle import Issuable
from plans.models.plan import Plan


class PlanVersion(Issuable):
    """The plan as published at one time, kept in the plan file format so two versions can be compared.

    A new version starts as a draft copied from the plan as it stands; admins edit the draft, and issuing
    it applies it to the plan. Actions keep their identity (their uid, whatever their ref, words or place), so
    their updates and history carry on across versions; an action the new version drops is withdrawn, not deleted.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, help_text="e.g. October 2025 refresh after the first monitoring visit.")
    change_note = models.TextField(blank=True, help_text="Why the plan changed.")
    content = models.JSONField(help_text="The plan in the plan file format.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    FROZEN = "This version has been issued: start a new version to change the plan."

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
