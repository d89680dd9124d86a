"""The measures part of a plan file: each objective's measures, with their baselines and targets.

Registered with the plan loader (plans.loading.Section) when Django starts, so that loading, dumping and
issuing a plan version carry the measures without the plans app importing this one.
"""

import re
from collections import defaultdict
from decimal import Decimal

from measures.models import Measure, MeasurePlacement, format_value
from plans.loading import PlanFileError, Section

NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")


def parse_figure(text):
    """'82%' -> 82, '10.8' -> 10.8, 'NA' -> None: the words stay in the *_text field."""
    match = NUMBER.match(str(text))
    return Decimal(match.group(1)) if match else None


def load_measures(loader, plan, data, objectives):
    measures = {}
    for row in data["objectives"]:
        objective = objectives[row["number"]]
        kept = []
        for order, measure_row in enumerate(row.get("measures", []), start=1):
            measure = measures.get(measure_row["code"])
            if measure is None:
                measure = measures[measure_row["code"]] = _load_measure(loader, plan, measure_row, data)
            elif measure.name != measure_row["name"]:
                raise PlanFileError(
                    f"objective {row['number']}: measure code {measure_row['code']} is used for two different measures."
                )
            kept.append(
                loader.sync(MeasurePlacement, {"measure": measure, "objective": objective}, {"order": order}).pk
            )
        loader.prune(objective.measure_placements.all(), kept)
    kept = [measure.pk for measure in measures.values()]
    dropped = plan.measures.exclude(pk__in=kept).filter(figures__isnull=False)
    if dropped.exists():
        # Monthly figures are evidence: removing a measure must never take them with it.
        names = ", ".join(sorted({measure.code for measure in dropped}))
        raise PlanFileError(f"The plan no longer lists measure {names}, which has monthly figures: keep it.")
    loader.prune(plan.measures.all(), kept)


def _load_measure(loader, plan, row, data):
    return loader.sync(
        Measure,
        {"plan": plan, "code": row["code"]},
        {
            "name": row["name"],
            "group": row.get("group", ""),
            "description": row.get("description", ""),
            "unit": row["unit"],
            "direction": row["direction"],
            "baseline_value": parse_figure(row.get("baseline", "")),
            "baseline_text": row.get("baseline", ""),
            "baseline_period": row.get("baseline_period", data.get("baseline_period", "")),
            "target_value": parse_figure(row.get("target", "")),
            "target_text": row.get("target", ""),
        },
    )


def dump_measures(plan, content):
    placements = MeasurePlacement.objects.filter(objective__plan=plan).select_related("measure", "objective")
    by_objective = defaultdict(list)
    for placement in placements.order_by("order", "pk"):
        by_objective[placement.objective.number].append(_dump_measure(placement.measure))
    for objective in content["objectives"]:
        objective["measures"] = by_objective[objective["number"]]


def _dump_measure(measure):
    return {
        "code": measure.code,
        "name": measure.name,
        "group": measure.group,
        **({"description": measure.description} if measure.description else {}),
        "unit": measure.unit,
        "direction": measure.direction,
        "baseline": measure.baseline_text or format_value(measure.baseline_value, measure.unit),
        "baseline_period": measure.baseline_period,
        "target": measure.target_text or format_value(measure.target_value, measure.unit),
    }


SECTION = Section(load=load_measures, dump=dump_measures)
