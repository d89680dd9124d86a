import django_tables2 as tables

from measures.models import Measure


class MeasureTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code")
    name = tables.Column(verbose_name="Measure")
    objectives = tables.ManyToManyColumn(
        verbose_name="Objective(s)", orderable=False, separator="; ", transform=lambda objective: objective.name
    )
    unit = tables.Column()
    direction = tables.Column(verbose_name="Better when")
    baseline = tables.Column(accessor="baseline_display", verbose_name="Baseline", order_by=("baseline_value",))
    target = tables.Column(accessor="target_display", verbose_name="Target", order_by=("target_value",))

    class Meta:
        model = Measure
        fields = ("code", "name", "objectives", "unit", "direction", "baseline", "target")

    def render_direction(self, record):
        return "Higher" if record.direction == "higher" else "Lower"
