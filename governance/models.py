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
    meets_every_weeks = models.PositiveSmallIntegerField(
        "Meets every (weeks)", null=True, blank=True,
        help_text="The meeting timetable agreed with the DfE (Notice 5b): the next meeting is due this many weeks "
        "after the last.",
    )
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

    class Kind(models.TextChoices):
        INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
        DFE_REPRESENTATIVE = "dfe_representative", "DfE representative"
        PARTNER = "partner", "Partner agency"
        COUNCIL = "council", "Council member or officer"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        "Membership", max_length=20, choices=Kind.choices, default=Kind.OTHER,
        help_text="What the Notice asks of the board: an independent chair (5b), the DfE represented (13), partners.",
    )
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
    """A review the Notice names (DfE six-monthly review 6, diagnostic review 8, adviser's report 12), or an
    Ofsted monitoring visit, which is Ofsted's and no Notice duty."""

    class Kind(models.TextChoices):
        DFE_REVIEW = "dfe_review", "DfE six-monthly review"
        DIAGNOSTIC_REVIEW = "diagnostic_review", "Diagnostic review or assessment"
        ADVISER_REPORT = "adviser_report", "Improvement Adviser's quarterly report"
        MONITORING_VISIT = "monitoring_visit", "Ofsted monitoring visit (an Ofsted visit, not a Notice duty)"

    NOTICE_KINDS = {Kind.DFE_REVIEW, Kind.DIAGNOSTIC_REVIEW, Kind.ADVISER_REPORT}

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


class Notice(models.Model):
    """A DfE Improvement Notice given to the council: the duties it imposes are kept as a register."""

    slug = models.SlugField(max_length=100, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(max_length=200)
    issued = models.DateField()
    issued_by = models.CharField(max_length=200, blank=True)
    delivery_deadline = models.DateField(help_text="When the plan's actions are to be delivered by.")
    source_document = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:notice_detail", args=[self.slug])


class NoticeDuty(models.Model):
    """A paragraph of a Notice that imposes a duty, in its own words, with what in the app meets it."""

    class Kind(models.TextChoices):
        PLAN_SUBMITTED = "plan_submitted", "Improvement plan in place"
        PLAN_UP_TO_DATE = "plan_up_to_date", "Plan and progress kept up to date"
        BOARD_MEETINGS = "board_meetings", "Board meetings on the agreed timetable"
        BOARD_REPORTS = "board_reports", "Board reports with data, analysis and evidence"
        CONTRIBUTIONS = "contributions", "Slow objectives and partners' contributions"
        VOICES = "voices", "Views of frontline staff, children and young people"
        DFE_REVIEW = "dfe_review", "DfE review at least every six months"
        REVIEW_SCOPE = "review_scope", "What reviews cover"
        DIAGNOSTIC_REVIEW = "diagnostic_review", "Diagnostic reviews when required"
        REVIEW_ACCESS = "review_access", "Access and data for reviewers"
        SELF_ASSESSMENT = "self_assessment", "Self-assessment before each review"
        DELIVERY_DEADLINE = "delivery_deadline", "Actions delivered by the deadline"
        ADVISER_REPORT = "adviser_report", "Adviser's quarterly report"
        DFE_REPRESENTED = "dfe_represented", "DfE represented at the board"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="duties")
    paragraph = models.CharField(max_length=10, help_text="The Notice's own number, e.g. 5b.")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices, help_text="How the app tells whether it is met.")
    text = models.TextField(help_text="The paragraph's words, as the Notice gives them.")
    met_by = models.TextField(blank=True, help_text="The feature or record of the tracker that meets it.")
    owner = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice_duties",
        help_text="The post that sees this duty in My actions when it is due soon or overdue.",
    )
    # What check_notice_cadence last warned the owner of, so a daily run warns once per change.
    warned = models.CharField(max_length=60, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["warned"])

    class Meta:
        ordering = ["notice", "order"]
        verbose_name_plural = "notice duties"
        constraints = [models.UniqueConstraint(fields=["notice", "paragraph"], name="unique_notice_paragraph")]

    def __str__(self):
        return f"{self.notice}, paragraph {self.paragraph}"


class PartnerContribution(models.Model):
    """A contribution the board asked of a partner (Notice 5b, 5d), and whether it came."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        RECEIVED = "received", "Received"
        TO_STRENGTHEN = "to_strengthen", "Received: needs strengthening"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="contributions")
    partner = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="contributions")
    description = models.TextField("What was asked for")
    requested = models.DateField()
    due = models.DateField()
    state = models.CharField("Status", max_length=20, choices=State.choices, default=State.REQUESTED)
    received = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions",
        help_text="The meeting that asked for it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.partner}: {self.description[:60]}"

    def is_overdue(self, on):
        return self.state == self.State.REQUESTED and on > self.due


class Voice(models.Model):
    """What frontline staff or children and young people said, and what changed as a result (Notice 5e)."""

    class Source(models.TextChoices):
        FRONTLINE_STAFF = "frontline_staff", "Frontline staff"
        CHILDREN = "children", "Children and young people"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="voices")
    source = models.CharField("Whose views", max_length=20, choices=Source.choices)
    heard_through = models.CharField(
        "Heard through", max_length=200, help_text="e.g. staff survey, Children in Care Council, practice week.",
    )
    date = models.DateField()
    summary = models.TextField("What they said")
    what_changed = models.TextField("What changed as a result", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_source_display()}, {self.heard_through}, {self.date:%d %B %Y}"
