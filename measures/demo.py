"""Illustrative monthly figures from March 2025 to last month: some measures improve, some do not.

Each figure is recorded when a performance team would have entered it: around the 20th of the month after
the month it is for; some arrive a couple of months late, and a few are entered and corrected a month later.
So the dashboard as at a past date tells two stories: what we know now about it, and what the board saw then.
"""

import datetime
from decimal import Decimal
from random import Random

from django.utils import timezone

from measures.models import Figure, Unit, latest_expected_month
from plans.months import add_months, month_range

# How each measure's story goes: the share of the gap to target closed by the last month (1 reaches
# it, 0 stays at baseline, negative gets worse). Measures not named drift gently towards target.
STORIES = {
    "VISIT-CIN": 1.1,
    "SUPERVISION": 0.6,
    "MGMT-OVERSIGHT": 0.9,
    "SW-AGENCY": 0.5,
    "SW-VACANCY": 0.4,
    "SW-20-CASES": -0.3,
    "SICKNESS": -0.4,
    "IMMUNISATIONS": 0.2,
    "DENTAL": 0.3,
    "PEP-TIME": -0.2,
    "FOSTER-APPROVED": 0.3,
}
STALE = {"STAFF-SURVEY-POSITIVE", "WELLBEING-SURVEYS"}  # reported rarely: no figure for last month


def create_demo_figures(*, plan, today: datetime.date) -> int:
    """Deterministic; writes only figures that are missing, so running it twice adds nothing."""
    months = month_range(datetime.date(2025, 3, 1), latest_expected_month(today))
    existing = set(Figure.objects.filter(measure__plan=plan).values_list("measure_id", "month"))
    random = Random(plan.slug)
    created = 0
    for measure in plan.measures.order_by("code"):
        start = measure.baseline_value
        if start is None:
            start = Decimal("40") if measure.unit == Unit.PERCENT else Decimal("5")
        goal = measure.target_value if measure.target_value is not None else start * Decimal("1.2")
        if measure.target_is_held:
            goal = start  # hold the line, with noise either side
        share = STORIES.get(measure.code, 0.7)
        measure_months = months[:-1] if measure.code in STALE else months
        for position, month in enumerate(measure_months):
            progress = Decimal(position + 1) / len(months)
            value = start + (goal - start) * Decimal(str(share)) * progress
            noise = Decimal(str(random.uniform(-1.5, 1.5))) * (1 if measure.unit == Unit.PERCENT else Decimal("0.3"))
            value = _bounded(value + noise, measure)
            if (measure.pk, month) in existing:
                continue
            chance = random.random()
            late = 2 if chance < 0.08 else 0  # a late return: entered two months after the usual time
            entered = _entered(month, late, random.randint(15, 25))
            if 0.08 <= chance < 0.13:  # entered with a slip, corrected a month later with the reason
                figure = Figure.objects.create(
                    measure=measure, month=month, value=_bounded(value * Decimal("1.15"), measure),
                    note="Illustrative demo figure",
                )
                _recorded(figure, entered)
                figure.value = value
                figure._change_reason = "Demo: the source system's figure was re-run after a data cleanse."
                figure.save()
                _recorded(figure, _entered(month, 1, random.randint(15, 25)))
            else:
                figure = Figure.objects.create(
                    measure=measure, month=month, value=value, note="Illustrative demo figure"
                )
                _recorded(figure, entered)
            created += 1
    return created


def _entered(month: datetime.date, months_late: int, day: int) -> datetime.datetime:
    """Around the 20th of the month after `month` (later when late), never after now."""
    when = add_months(month, 1 + months_late).replace(day=day)
    moment = timezone.make_aware(datetime.datetime.combine(when, datetime.time(10)))
    return min(moment, timezone.now())


def _recorded(figure, moment):
    """Date the figure's latest record (the demo is a story told today about the months before)."""
    Figure.objects.filter(pk=figure.pk).update(entered_at=moment)
    latest = figure.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True)[0]
    Figure.history.filter(history_id=latest).update(history_date=moment, entered_at=moment)


def _bounded(value, measure):
    value = max(value, Decimal(0))
    if measure.unit == Unit.PERCENT:
        value = min(value, Decimal(100))
    if measure.unit == Unit.COUNT:
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.1"))


