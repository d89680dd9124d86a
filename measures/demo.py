"""Illustrative monthly figures from March 2025 to last month: some measures improve, some do not."""

import datetime
from decimal import Decimal
from random import Random

from measures.models import Figure, Unit, latest_expected_month
from plans.months import month_range

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
            Figure.objects.create(measure=measure, month=month, value=value, note="Illustrative demo figure")
            created += 1
    return created


def _bounded(value, measure):
    value = max(value, Decimal(0))
    if measure.unit == Unit.PERCENT:
        value = min(value, Decimal(100))
    if measure.unit == Unit.COUNT:
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.1"))


