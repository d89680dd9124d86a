import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models.status import STATUS_BRAG, Brag, Status
from plans.months import end_of_month, month_label


class PlanQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            objective_count=Count("objectives", distinct=True),
            action_count=Count(
                "objectives__actions", filter=Q(objectives__actions__withdrawn_at__isnull=True), distinct=True
            ),
            measure_count=Count("measures", distinct=True),
        )


class Plan(models.Model):
    """An improvement plan or strategy that a council delivers and reports on."""

    class Kind(models.TextChoices):
        IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan"
        STRATEGY = "strategy", "Strategy"

    # What each kind of plan calls its parts: a strategy has priorities and commitments, not objectives and actions.
    TERMS = {
        Kind.IMPROVEMENT_PLAN: {"objective": "objective", "objectives": "objectives", "action": "action",
                                "actions": "actions"},
        Kind.STRATEGY: {"objective": "priority", "objectives": "priorities", "action": "commitment",
                        "actions": "commitments"},
    }

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.IMPROVEMENT_PLAN)
    published = models.DateField(null=True, blank=True, help_text="First day of the month it was published.")
    delivery_deadline = models.DateField(
        null=True, blank=True, help_text="Date by which every action should be delivered."
    )
    deadline_basis = models.CharField(max_length=300, blank=True, help_text="Where the delivery deadline comes from.")
    vision = models.TextField(blank=True)
    governance = models.TextField(blank=True)
    foreword = models.TextField(blank=True, help_text="The plan's foreword, in its own words.")
    signatories = models.JSONField(
        default=list, blank=True, help_text='Who signed the foreword: [{"name": ..., "role": ...}], in order.'
    )
    headline_figures = models.JSONField(
        default=list, blank=True,
        help_text='The figures the plan starts from, in its words: [{"figure": "6.9%", "text": "In 2022/23 ..."}].',
    )
    abbreviations = models.JSONField(
        default=list, blank=True, help_text='The plan\'s key of abbreviations: [["CIN", "Children in Need"], ...].'
    )
    source_document = models.CharField(max_length=200, blank=True, help_text="File in fixtures/sources.")
    public_progress = models.BooleanField(
        "publish a public progress page",
        default=False,
        help_text="Anyone, signed in or not, can then read a summary at /public/<slug>/: objectives, action "
        "statuses and measure trends, with no commentary, evidence, names or anything marked internal.",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("published").desc(nulls_last=True), "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.slug])

    @property
    def published_label(self):
        return month_label(self.published)

    @property
    def terms(self):
        return self.TERMS[self.Kind(self.kind)]


class Judgement(models.Model):
    """One row of the Ofsted judgements table behind a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="judgements")
    order = models.PositiveSmallIntegerField()
    judgement = models.CharField(max_length=300)
    grade = models.CharField(max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="unique_judgement_order")]

    def __str__(self):
        return f"{self.judgement}: {self.grade}"


class AreaForImprovementQuerySet(models.QuerySet):
    def with_answers(self):
        actions = Action.objects.select_related("objective__plan").order_by("sort_key")
        return self.prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.select_related("plan").order_by("number")),
            Prefetch("objectives__actions", queryset=actions),
            Prefetch("actions", queryset=actions),
        )


class AreaForImprovement(models.Model):
    """Something the inspection said must improve, which objectives and actions answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    is_additional = models.BooleanField(
        default=False, help_text="Raised by the inspection outside its numbered list (e.g. staffing stability)."
    )

    objects = AreaForImprovementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "area for improvement"
        verbose_name_plural = "areas for improvement"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_area_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def answering_actions(self):
        """Actions linked to this area directly or through an objective that answers it (needs with_answers)."""
        found = {action.pk: action for action in self.actions.all()}
        for objective in self.objectives.all():
            found.update((action.pk, action) for action in objective.actions.all())
        return sorted(found.values(), key=lambda action: action.sort_key)


def past_delivery_deadline(month, action):
    """Whether `month` (a deadline month of `action`) ends after its plan's delivery deadline."""
    if not month:
        return False
    deadline = action.objective.plan.delivery_deadline
    return deadline is not None and end_of_month(month) > deadline


class Post(models.Model):
    """A job in the organisation that owns actions or leads objectives; people come and go, posts stay."""

    organisation = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_post_name")]

    def __str__(self):
        return self.name


class ObjectiveQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            action_count=Count("actions", filter=Q(actions__withdrawn_at__isnull=True), distinct=True),
            measure_count=Count("measure_placements", distinct=True),
        )


class Objective(models.Model):
    """A workstream of a plan, numbered as its actions' refs, with a lead officer post."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    lead_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="led_objectives", null=True, blank=True
    )
    rationale = models.TextField(blank=True, help_text="Why is this important?")
    areas = models.ManyToManyField(AreaForImprovement, related_name="objectives", blank=True)

    objects = ObjectiveQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_objective_number")]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("plans:objective_detail", args=[self.plan.slug, self.number])


class SubObjective(models.Model):
    """A statement of what an objective means to achieve."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="sub_objectives")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order"]
        constraints = [models.UniqueConstraint(fields=["objective", "order"], name="unique_sub_objective_order")]

    def __str__(self):
        return self.text


class SuccessIndicator(models.Model):
    """How the plan says it will know the objective has been achieved, in its own words (no numeric target)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="success_indicators")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order"]
        constraints = [models.UniqueConstraint(fields=["objective", "order"], name="unique_success_indicator_order")]

    def __str__(self):
        return self.text


def action_sort_key(ref, objective_number=0, order=0):
    """'5.10' sorts after '5.9': refs are compared number by number; actions without a ref by position."""
    parts = [int(part) for part in ref.split(".") if part.isdigit()] or [objective_number, order]
    return sum(part * 1000 ** (2 - index) for index, part in enumerate(parts[:3]))


ITEM_KEY = "item-"


def new_action_uid():
    """A fresh action uid: random, so one never comes back, even for an action deleted with its objective."""
    return secrets.token_hex(4)


@dataclass(frozen=True)
class BragState:
    brag: Brag
    label: str


class ActionQuerySet(models.QuerySet):
    def by_key(self, key):
        """An action by its ref, or, for a plan without refs, by 'item-<id>' (see Action.key)."""
        if key.startswith(ITEM_KEY) and key[len(ITEM_KEY):].isdigit():
            return self.filter(pk=int(key[len(ITEM_KEY):]), ref="")
        return self.filter(ref=key)

    def for_plan(self, plan):
        return self.filter(objective__plan=plan)

    def for_list(self):
        return self.select_related("objective", "objective__plan").prefetch_related("owners")

    def owned_by(self, user, on=None):
        """Actions owned by the posts the user holds on a day (default today)."""
        from plans.models.progress import PostHolder  # progress imports this module

        return self.filter(owners__holders__in=PostHolder.objects.current(on).filter(user=user)).distinct()


class ActionManager(models.Manager.from_queryset(ActionQuerySet)):
    """Actions in the plan now: one a later plan version removed is kept, with its history, but not listed."""

    def get_queryset(self):
        return super().get_queryset().filter(withdrawn_at__isnull=True)


INFERABLE = ("deadline", "owners", "outcomes")


class Action(models.Model):
    """Something the plan commits to do, by a month, owned by one or more posts."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    # Which action a row of a plan file or version is: refs and places change between versions, this never does.
    uid = models.CharField(
        max_length=20, default=new_action_uid, editable=False,
        help_text="Names the action in plan files and versions, unique in its plan; never changes or comes back.",
    )
    ref = models.CharField(max_length=20, blank=True, help_text="Blank for plans that do not number their actions.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position under its objective.")
    sort_key = models.PositiveIntegerField(editable=False, db_index=True)
    priority = models.TextField(help_text="What we will do.")
    deadline = models.DateField(null=True, blank=True, help_text="The 'By when' month (first day of the month).")
    deadline_note = models.CharField(max_length=300, blank=True, help_text="Words the plan adds to the deadline.")
    owners = models.ManyToManyField(Post, through="ActionOwner", related_name="actions", blank=True)
    outcomes = models.TextField(blank=True, help_text="How will we know we have made a difference?")
    # A blank (merged) cell of the plan's table means "as the row above": the value is filled from that row and
    # flagged here, field to the ref of the row that states it, e.g. {"deadline": "5.12"}, so it is shown as such.
    inferred = models.JSONField(
        default=dict, blank=True,
        help_text="Fields the plan leaves blank (merged cells), each with the ref of the row it was taken from.",
    )
    areas = models.ManyToManyField(AreaForImprovement, related_name="actions", blank=True)
    measures = models.ManyToManyField(
        "measures.Measure", related_name="actions", blank=True, help_text="The measures this action is meant to move."
    )
    # Progress, as of the latest update; every earlier value is in the history.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    last_update_at = models.DateTimeField(null=True, blank=True)
    revised_deadline = models.DateField(null=True, blank=True, help_text="Approved revised 'By when' month.")
    replan_count = models.PositiveSmallIntegerField(default=0, help_text="How many revised deadlines were approved.")
    version = models.PositiveIntegerField(default=0, help_text="Bumped by every update, to catch two people editing.")
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="When a plan version removed it.")
    internal = models.BooleanField(default=False, help_text="Leave it off the public progress page.")

    objects = ActionManager()
    all_objects = ActionQuerySet.as_manager()
    # Links to measures are history too: "complete, no impact yet" as at a date reads the links of that date.
    history = HistoricalRecords(m2m_fields=[areas, measures])

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            # A withdrawn action keeps its ref, so that a later version may give the ref to a new action.
            models.UniqueConstraint(
                fields=["objective", "ref"],
                condition=~Q(ref="") & Q(withdrawn_at__isnull=True),
                name="unique_action_ref",
            ),
            models.UniqueConstraint(fields=["objective", "uid"], name="unique_action_uid"),
        ]

    def __str__(self):
        return f"{self.label} {self.priority[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = action_sort_key(self.ref, self.objective.number, self.order)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:action_detail", args=[self.objective.plan.slug, self.key])

    @property
    def key(self):
        """What names the action in its address: its ref, or its id where the plan gives no refs."""
        return self.ref or f"{ITEM_KEY}{self.pk}"

    @property
    def title(self):
        """'Action 5.10', or for a plan without refs 'Commitment 3 of priority 2' (needs objective.plan)."""
        terms = self.objective.plan.terms
        if self.ref:
            return f"{terms['action'].capitalize()} {self.ref}"
        return f"{terms['action'].capitalize()} {self.order} of {terms['objective']} {self.objective.number}"

    @property
    def label(self):
        return self.ref or f"{self.objective.number}/{self.order}"

    @property
    def deadline_label(self):
        return month_label(self.deadline)

    def inferred_from(self, field):
        """Why a value is shown that the plan does not state: "not stated in the plan: taken from 5.12's row"."""
        ref = (self.inferred or {}).get(field)
        return f"not stated in the plan: taken from {ref}’s row" if ref else ""

    @property
    def inferred_deadline(self):
        """The deadline the action is held to came from the row above (an approved revision is stated)."""
        return "" if self.revised_deadline else self.inferred_from("deadline")

    @property
    def inferred_owners(self):
        return self.inferred_from("owners")

    @property
    def inferred_outcomes(self):
        return self.inferred_from("outcomes")

    @property
    def inferred_fields(self):
        """The inferred fields in the plan's column order, e.g. ["deadline", "owners"], for lists' markers."""
        return [field for field in INFERABLE if (self.inferred or {}).get(field)]

    @property
    def revised_deadline_label(self):
        return month_label(self.revised_deadline)

    @property
    def current_deadline(self):
        return self.revised_deadline or self.deadline

    @property
    def due_date(self):
        """The last day of the (revised) deadline month: 'By June 2026' means done by 30 June 2026."""
        return end_of_month(self.current_deadline) if self.current_deadline else None

    @property
    def past_delivery_deadline(self):
        """Revised to a month after the plan's delivery deadline (the Improvement Notice's): marked wherever shown."""
        return past_delivery_deadline(self.revised_deadline, self)

    def is_overdue(self, on: datetime.date) -> bool:
        return self.status != Status.COMPLETE and self.due_date is not None and on > self.due_date

    def is_due_within(self, on: datetime.date, days: int) -> bool:
        return (
            self.status != Status.COMPLETE
            and self.due_date is not None
            and on <= self.due_date <= on + datetime.timedelta(days=days)
        )

    def is_due_soon(self, on: datetime.date) -> bool:
        """Due within ACTION_DUE_SOON_DAYS: the one "due soon" of the dashboard, My actions and reminders."""
        return self.is_due_within(on, settings.ACTION_DUE_SOON_DAYS)

    def update_is_due(self, on: datetime.date) -> bool:
        """No update for longer than ACTION_UPDATE_DUE_DAYS, and the action is not complete."""
        if self.status == Status.COMPLETE:
            return False
        if self.last_update_at is None:
            return True
        return (on - self.last_update_at.date()).days > settings.ACTION_UPDATE_DUE_DAYS

    def brag(self, on: datetime.date) -> BragState:
        """Past its deadline and not complete is Red 'Overdue', whatever was last said."""
        if self.is_overdue(on):
            return BragState(Brag.RED, "Overdue")
        return BragState(STATUS_BRAG[Status(self.status)], Status(self.status).label)

    @property
    def owner_posts(self):
        """Its owner posts' names today (needs owners prefetched; as at a date: plans.as_at.owners_at)."""
        return [post.name for post in self.owners.all()]

    def owner_names(self):
        return ", ".join(post.name for post in self.owners.all())


class ActionOwner(models.Model):
    """A post named as responsible for an action, in the order the plan names them."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="ownerships")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="ownerships")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order"]
        constraints = [models.UniqueConstraint(fields=["action", "post"], name="unique_action_owner")]

    def __str__(self):
        return f"{self.action.ref}: {self.post}"
