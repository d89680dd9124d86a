import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models import Objective, Plan
from plans.months import add_months


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    NUMBER = "number", "Number"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Rag(models.TextChoices):
    """How a measure stands against its target: always shown with its reason in words."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    # No figure yet, or no numeric target to rate against: the reason says which ("No data" / "No numeric target").
    GREY = "grey", "Not rated"


@dataclass(frozen=True)
class RagResult:
    rag: Rag
    reason: str


def format_value(value, unit):
    """A value as the plan writes it: 82%, 10.8 days, 24."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    if unit == Unit.PERCENT:
        return f"{text}%"
    if unit == Unit.DAYS:
        return f"{text} days"
    return text


class MeasureQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("plan").prefetch_related("objectives")


class Measure(models.Model):
    """A figure the plan tracks, with its baseline and target; may be shown under several objectives."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(
        max_length=40, help_text="Short stable code used in imports and exports, e.g. VISIT-CIN."
    )
    name = models.CharField(max_length=300)
    group = models.CharField(max_length=100, blank=True, help_text="Heading the plan lists it under, e.g. Stat Visits.")
    description = models.TextField(
        blank=True, help_text="What the plan's short name means, from the plan's own context (its key, its heading).",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_text = models.CharField(max_length=100, blank=True, help_text="The baseline in the plan's own words.")
    baseline_period = models.CharField(max_length=50, blank=True, help_text="e.g. Feb 2025.")
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(max_length=100, blank=True, help_text="The target in the plan's own words.")
    tolerance = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="How far short of the target still counts as amber, in the measure's unit "
        "(blank: the default in settings).",
    )
    objectives = models.ManyToManyField(Objective, through="MeasurePlacement", related_name="measures")
    internal = models.BooleanField(default=False, help_text="Leave it off the public progress page.")

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_measure_code"),
            models.UniqueConstraint(fields=["plan", "name"], name="unique_measure_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:measure_detail", args=[self.plan.slug, self.code])

    @property
    def baseline_display(self):
        return format_value(self.baseline_value, self.unit) or self.baseline_text

    @property
    def target_display(self):
        return format_value(self.target_value, self.unit) or self.target_text

    @property
    def target_is_held(self):
        """True where the baseline already meets the target, so the target is a floor or ceiling to hold."""
        if self.baseline_value is None or self.target_value is None:
            return False
        if self.direction == Direction.HIGHER:
            return self.baseline_value >= self.target_value
        return self.baseline_value <= self.target_value

    def rag_with_override(self, value, override: str | None, previous=None) -> RagResult:
        """RAG of a figure, an admin's override for its month winning: the one "latest figure plus override"."""
        computed = self.rag_for(value, previous)
        if override:
            override = Rag(override)
            return RagResult(override, f"{override.label} (overridden by an admin; computed: {computed.reason})")
        return computed

    @property
    def effective_tolerance(self):
        if self.tolerance is not None:
            return self.tolerance
        return Decimal(str(settings.MEASURE_RAG_TOLERANCE_DEFAULT))

    def is_better(self, value, than):
        return value > than if self.direction == Direction.HIGHER else value < than

    def meets(self, value, target):
        return value >= target if self.direction == Direction.HIGHER else value <= target

    @property
    def is_continual_increase(self):
        """A target of "Continually increasing": rated on the trend, not against a number."""
        return self.target_value is None and "continual" in self.target_text.lower()

    def worse_than_baseline(self, value) -> bool:
        return value is not None and self.baseline_value is not None and self.is_better(self.baseline_value, value)

    def rag_for(self, value, previous=None) -> RagResult:
        """Green meets the target (saying so when it is still worse than the baseline); amber misses it but is no
        worse than the baseline or within tolerance; red misses it, is worse than the baseline and outside
        tolerance. "Continually increasing" is rated on the trend against the baseline and `previous` (the figure
        before); grey is not rated: no figure, or no numeric target."""
        if value is None:
            return RagResult(Rag.GREY, "No data: no figure yet.")
        shown, target = format_value(value, self.unit), self.target_display
        if self.is_continual_increase:
            return self._trend_rag(value, shown, previous)
        if self.target_value is None:
            return RagResult(
                Rag.GREY, f"No numeric target: {shown}, against a target of “{self.target_text or 'none set'}”."
            )
        baseline = self.baseline_value
        if self.meets(value, self.target_value):
            if self.worse_than_baseline(value):
                return RagResult(
                    Rag.GREEN,
                    f"Green: {shown} is within the {target} target but worse than the "
                    f"{self.baseline_display} baseline.",
                )
            return RagResult(Rag.GREEN, f"Green: {shown} meets the {target} target.")
        if baseline is not None and not self.is_better(baseline, value):
            word = "better than" if self.is_better(value, baseline) else "level with"
            return RagResult(
                Rag.AMBER,
                f"Amber: {shown} is short of the {target} target but {word} the {self.baseline_display} baseline.",
            )
        tolerance = self.effective_tolerance
        if abs(value - self.target_value) <= tolerance:
            return RagResult(
                Rag.AMBER,
                f"Amber: {shown} misses the {target} target by no more than the tolerance of "
                f"{format_value(tolerance, self.unit)}.",
            )
        against = f", worse than the {self.baseline_display} baseline" if baseline is not None else ""
        return RagResult(Rag.RED, f"Red: {shown} misses the {target} target{against} and is outside tolerance.")

    def _trend_rag(self, value, shown, previous) -> RagResult:
        """Up on the baseline and on the figure before is green, down on both red, anything between amber."""
        points = []
        if self.baseline_value is not None:
            points.append((f"the {self.baseline_display} baseline", self.baseline_value))
        if previous is not None:
            points.append((f"the previous figure ({format_value(previous, self.unit)})", previous))
        if not points:
            return RagResult(
                Rag.GREY,
                f"No numeric target: {shown} is to be continually increasing, and there is no baseline or earlier "
                "figure to compare it with yet.",
            )
        up = [name for name, than in points if self.is_better(value, than)]
        down = [name for name, than in points if self.is_better(than, value)]
        level = [name for name, than in points if than == value]
        says = "; ".join(
            part for part in (
                f"up on {' and '.join(up)}" if up else "",
                f"down on {' and '.join(down)}" if down else "",
                f"level with {' and '.join(level)}" if level else "",
            ) if part
        )
        rag = Rag.GREEN if len(up) == len(points) else Rag.RED if len(down) == len(points) else Rag.AMBER
        return RagResult(rag, f"{rag.label}: {shown} is {says} (the target is to keep increasing).")

    @property
    def target_description(self):
        if self.is_continual_increase:
            return "No numeric target: rated on the trend against the baseline and the previous figure"
        if self.target_value is None:
            return "No numeric target"
        target = self.target_display
        if self.target_is_held:
            return f"Hold at {'or above' if self.direction == Direction.HIGHER else 'or below'} {target}"
        return f"{'Rise' if self.direction == Direction.HIGHER else 'Fall'} to {target}"


class MeasurePlacement(models.Model):
    """Where a measure appears in the plan: under which objective, in what order."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="placements")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measure_placements")
    order = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "objective"], name="unique_measure_placement")
        ]

    def __str__(self):
        return f"{self.objective.number}: {self.measure}"


class FigureQuerySet(models.QuerySet):
    def for_measures(self, measures):
        return self.filter(measure__in=measures).order_by("measure_id", "month")


class Figure(models.Model):
    """One month's value of a measure; a correction keeps the earlier value in the history."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="figures")
    month = models.DateField(help_text="First day of the month the figure is for.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    source_import = models.ForeignKey(
        "FigureImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="figures"
    )

    objects = FigureQuerySet.as_manager()
    # A correction, deletion or undo carries the admin's reason, in their words: longer than 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["measure", "month"]
        constraints = [models.UniqueConstraint(fields=["measure", "month"], name="unique_figure_month")]

    def __str__(self):
        return f"{self.measure.code} {self.month:%b %Y}: {self.value}"

    @property
    def display(self):
        shown = format_value(self.value, self.measure.unit)
        if self.numerator is not None and self.denominator:
            return f"{shown} ({self.numerator} of {self.denominator})"
        return shown


class RagOverride(models.Model):
    """An admin's judgement that replaces the computed RAG of a measure for a month, with the reason."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="rag_overrides")
    month = models.DateField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "month"], name="unique_rag_override")]


class FigureImport(models.Model):
    """An uploaded file of figures: kept between preview and commit, and named on every figure it set."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Committed"
        REJECTED = "rejected", "Rejected"
        UNDONE = "undone", "Undone"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="figure_imports")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    committed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = models.TextField(blank=True)
    restored_count = models.PositiveIntegerField(default=0, help_text="Figures the undo put back as they were.")
    kept_count = models.PositiveIntegerField(
        default=0, help_text="Figures the undo left alone because they had been changed since the import."
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d %b %Y %H:%M})"


def is_stale(latest_month: datetime.date | None, day: datetime.date) -> bool:
    """No figure yet, or none for the latest month expected by `day`: the one "stale"."""
    return latest_month is None or latest_month < latest_expected_month(day)


def latest_expected_month(today: datetime.date) -> datetime.date:
    """Figures are for complete months: the latest one expected is last month's."""
    return add_months(today, -1)
