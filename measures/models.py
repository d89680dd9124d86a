from decimal import Decimal

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models import Objective, Plan


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    NUMBER = "number", "Number"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


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
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_text = models.CharField(max_length=100, blank=True, help_text="The baseline in the plan's own words.")
    baseline_period = models.CharField(max_length=50, blank=True, help_text="e.g. Feb 2025.")
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(max_length=100, blank=True, help_text="The target in the plan's own words.")
    objectives = models.ManyToManyField(Objective, through="MeasurePlacement", related_name="measures")

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

    @property
    def target_description(self):
        if self.target_value is None:
            return self.target_text or "No numeric target"
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
