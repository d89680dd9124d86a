from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.lifecycle import Issuable
from plans.models import Plan, Post, Status
from plans.models.status import STATUS_BRAG


class Board(models.Model):
    """A board that oversees a plan: the Improvement Board, the Corporate Parenting Board …"""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    purpose = models.TextField(blank=True)
    chair = models.CharField(max_length=200, blank=True, help_text="e.g. the independent chair's name and role.")
    plans = models.ManyToManyField(Plan, related_name="boards", blank=True)
    history = HistoricalRecords(m2m_fields=[plans])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:board_detail", args=[self.slug])


class BoardMember(models.Model):
    """Someone who sits on a board, in a role (chair, DfE adviser, councillor, partner …)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Meeting(models.Model):
    """A meeting of a board: who came, what was discussed and decided."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    attendees = models.ManyToManyField(BoardMember, related_name="meetings_attended", blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    edit_count = models.PositiveIntegerField(default=0, help_text="Bumped by every edit, to catch two people editing.")
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"

    def __str__(self):
        return f"{self.board} – {self.date:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.board.slug, self.pk])

    def previous(self):
        return self.board.meetings.filter(date__lt=self.date).order_by("-date").first()


class Review(models.Model):
    """A DfE six-monthly review, an Ofsted monitoring visit or an Improvement Adviser's report (Notice 6, 12)."""

    class Kind(models.TextChoices):
        DFE_REVIEW = "dfe_review", "DfE six-monthly review"
        MONITORING_VISIT = "monitoring_visit", "Ofsted monitoring visit"
        ADVISER_REPORT = "adviser_report", "Improvement Adviser's quarterly report"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    title = models.CharField(max_length=200)
    carried_out_by = models.CharField(max_length=200, blank=True, help_text="e.g. DfE Improvement Adviser, Ofsted HMI.")
    findings = models.TextField(blank=True)
    edit_count = models.PositiveIntegerField(default=0, help_text="Bumped by every edit, to catch two people editing.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("governance:review_detail", args=[self.pk])


class MeetingAction(models.Model):
    """An action arising from a board meeting or from a review, owned by a post, on the plan's status scale."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions_arising", null=True, blank=True
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions_arising", null=True, blank=True)
    description = models.TextField()
    owner = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="meeting_actions")
    due = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = "action arising"
        verbose_name_plural = "actions arising"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False, review__isnull=True)
                | models.Q(meeting__isnull=True, review__isnull=False),
                name="action_arising_from_meeting_or_review",
            )
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def source(self):
        return self.meeting or self.review

    def is_overdue(self, on):
        return self.status != Status.COMPLETE and on > self.due

    def brag_state(self, on):
        from plans.models.plan import BragState
        from plans.models.status import Brag

        if self.is_overdue(on):
            return BragState(Brag.RED, "Overdue")
        return BragState(STATUS_BRAG[Status(self.status)], Status(self.status).label)


class BoardReport(Issuable):
    """A report to a meeting, built from the data as at a date; frozen once issued."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="board_reports")
    as_at = models.DateField(help_text="The data is shown as it stood at the end of this day.")
    title = models.CharField(max_length=200)
    analysis = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    evidence_of_impact = models.TextField(blank=True)
    views_of_staff_and_children = models.TextField(
        "Views of frontline staff, children and young people", blank=True
    )
    # What the board saw, kept exactly: the data as JSON and the report as HTML at the moment of issue.
    snapshot = models.JSONField(null=True, blank=True)
    issued_html = models.TextField(blank=True)
    history = HistoricalRecords()

    TEXT = ["title", "analysis", "recommendations", "evidence_of_impact", "views_of_staff_and_children"]
    FROZEN = "This report has already been issued."

    class Meta:
        ordering = ["-meeting__date", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:report_detail", args=[self.pk])


class SelfAssessment(Issuable):
    """The council's self-assessment before a DfE review (Notice 10): drafted from the data, edited, issued."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="self_assessments")
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="self_assessments",
        help_text="The review it is prepared for.",
    )
    as_at = models.DateField(help_text="The data is drafted as it stood at the end of this day.")
    title = models.CharField(max_length=200)
    progress = models.TextField("Progress against each objective", blank=True)
    partners_and_board = models.TextField("Involvement of partners and the Improvement Board", blank=True)
    staff_surveys = models.TextField("Staff surveys and the views of the workforce", blank=True)
    supervision = models.TextField("Supervision and management oversight", blank=True)
    next_steps = models.TextField("What we will do next", blank=True)
    history = HistoricalRecords()

    SECTIONS = ["progress", "partners_and_board", "staff_surveys", "supervision", "next_steps"]
    FROZEN = "This self-assessment has already been issued."

    class Meta:
        ordering = ["-as_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:self_assessment_detail", args=[self.pk])

    def sections(self):
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS]


class Inspection(models.Model):
    """An Ofsted inspection or visit, with its judgements and what it said must improve."""

    class Kind(models.TextChoices):
        FULL = "full", "Full inspection"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"

    slug = models.SlugField(max_length=100, unique=True)
    organisation = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    visited = models.CharField(max_length=100, blank=True, help_text="When inspectors visited, as the report says.")
    published = models.DateField()
    overall = models.CharField(max_length=100, blank=True, help_text="Overall effectiveness, where judged.")
    summary = models.TextField(blank=True)
    source_document = models.CharField(max_length=200, blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections",
        help_text="The plan written in answer to it: its judgements and areas for improvement are the plan's.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.published:%B %Y}"

    def get_absolute_url(self):
        return reverse("governance:inspection_detail", args=[self.slug])


class InspectionJudgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    order = models.PositiveSmallIntegerField()
    judgement = models.CharField(max_length=300)
    grade = models.CharField(max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order"]

    def __str__(self):
        return f"{self.judgement}: {self.grade}"


class Recommendation(models.Model):
    """Something an inspection said must improve; linked to the objectives and actions that answer it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The report's own paragraph number.")
    order = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    objectives = models.ManyToManyField("plans.Objective", related_name="recommendations", blank=True)
    actions = models.ManyToManyField("plans.Action", related_name="recommendations", blank=True)
    history = HistoricalRecords(m2m_fields=[objectives, actions])

    class Meta:
        ordering = ["inspection", "order"]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}" if self.number else self.text[:80]
