import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models.plan import Action, Post, month_label, past_delivery_deadline
from plans.models.status import STATUS_BRAG, Brag, Status

__all__ = ["ActionUpdate", "Brag", "DeadlineRevision", "Evidence", "PostHolder", "ReminderLog", "Status"]


class PostHolderQuerySet(models.QuerySet):
    def current(self, on=None):
        """Holdings in force on a day (default today): from `started` (if set) up to the day before `ended`.

        The one place that decides who holds a post: my actions, who may update an action or an action
        arising, and who is reminded all ask this.
        """
        on = on or timezone.localdate()
        return self.filter(
            models.Q(started__isnull=True) | models.Q(started__lte=on),
            models.Q(ended__isnull=True) | models.Q(ended__gt=on),
        )


class PostHolder(models.Model):
    """A person holding a post, from a date; a post can have several holders, a person several posts."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_holdings")
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True, help_text="Leave blank while they hold the post.")

    objects = PostHolderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], condition=models.Q(ended__isnull=True), name="unique_current_post_holder"
            )
        ]

    def __str__(self):
        return f"{self.user} holds {self.post}"

    def clean(self):
        if self.started and self.ended and self.ended <= self.started:
            raise ValidationError(
                {"ended": "Ended must be after started: it is the first day they no longer hold the post."}
            )


class ActionUpdateQuerySet(models.QuerySet):
    def timeline(self):
        return self.select_related("author", "deadline_revision").prefetch_related("evidence").order_by("-created_at")


class ActionUpdate(models.Model):
    """A monthly progress report on an action by one of its owners; every update is kept."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    commentary = models.TextField("Progress commentary", blank=True)
    evidence_of_impact = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)

    objects = ActionUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.action.ref} update of {self.created_at:%d %b %Y}"

    @property
    def brag(self):
        return STATUS_BRAG[Status(self.status)]


def evidence_path(evidence, filename):
    # A random name: nobody can guess another council's file, and two uploads never collide.
    return f"evidence/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(models.Model):
    """A link or an uploaded file that shows what an update claims."""

    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=evidence_path, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file=""), name="evidence_has_link_or_file"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.file:
            return reverse("plans:evidence_file", args=[self.pk])
        return self.url


class DeadlineRevision(models.Model):
    """A request to move an action's deadline, which takes effect only once an admin approves it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deadline_revisions")
    update = models.OneToOneField(
        ActionUpdate, on_delete=models.SET_NULL, null=True, blank=True, related_name="deadline_revision"
    )
    previous_deadline = models.DateField(null=True, blank=True)
    new_deadline = models.DateField()
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.action.ref}: {month_label(self.previous_deadline)} → {month_label(self.new_deadline)}"

    @property
    def new_deadline_label(self):
        return month_label(self.new_deadline)

    @property
    def past_delivery_deadline(self):
        return past_delivery_deadline(self.new_deadline, self.action)

    @property
    def previous_deadline_label(self):
        return month_label(self.previous_deadline)


class ReminderLog(models.Model):
    """One reminder email sent to one person on one day, so a second run that day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    action_count = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_reminder_per_day")]
