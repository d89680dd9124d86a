import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone

from measures.models import Measure, format_value


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
    latest = tables.Column(accessor="latest_value", verbose_name="Latest", orderable=False, empty_values=())
    rag = tables.Column(accessor="latest_value", verbose_name="RAG", orderable=False, empty_values=())

    class Meta:
        model = Measure
        fields = ("code", "name", "objectives", "unit", "direction", "baseline", "target", "latest", "rag")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_latest(self, record):
        if record.latest_value is None:
            return "No figure yet"
        stale = " (stale)" if record.is_stale(self.today) else ""
        return f"{format_value(record.latest_value, record.unit)}, {record.latest_month:%b %Y}{stale}"

    def value_latest(self, record):
        return self.render_latest(record)

    def render_rag(self, record):
        result = record.latest_rag()
        return render_to_string("measures/includes/_rag_with_reason.html", {"result": result})

    def value_rag(self, record):
        return record.latest_rag().reason

    def render_direction(self, record):
        return "Higher" if record.direction == "higher" else "Lower"
