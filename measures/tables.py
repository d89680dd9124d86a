import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html

from measures.models import format_value


class MeasureTable(tables.Table):
    """Measures as they stood on a day: rows are measures.as_at.MeasureState."""

    code = tables.Column(
        accessor="measure__code", linkify=lambda record: record.get_absolute_url(), verbose_name="Code"
    )
    name = tables.Column(accessor="measure__name", verbose_name="Measure")
    objectives = tables.Column(verbose_name="Objective(s)", orderable=False, empty_values=())
    unit = tables.Column(accessor="measure__unit")
    direction = tables.Column(accessor="measure__direction", verbose_name="Better when")
    baseline = tables.Column(
        accessor="measure__baseline_display", verbose_name="Baseline", order_by=("measure__baseline_value",)
    )
    target = tables.Column(
        accessor="measure__target_display", verbose_name="Target", order_by=("measure__target_value",)
    )
    latest = tables.Column(accessor="latest_value", verbose_name="Latest", orderable=False, empty_values=())
    rag = tables.Column(accessor="rag", verbose_name="RAG", orderable=False, empty_values=())

    def __init__(self, *args, objectives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective_names = objectives or {}  # {objective id: name}

    def render_objectives(self, record):
        return "; ".join(self.objective_names[pk] for pk in record.objective_ids if pk in self.objective_names)

    value_objectives = render_objectives

    def render_name(self, record):
        """The plan's short name, with what it means where the plan's context says (e.g. % CIN: statutory visits)."""
        measure = record.measure
        if not measure.description:
            return measure.name
        return format_html(
            '{}<br><span class="govuk-hint app-hint--inline">{}</span>', measure.name, measure.description
        )

    def value_name(self, record):
        return record.measure.name

    def render_unit(self, record):
        return record.measure.get_unit_display()

    def render_latest(self, record):
        if record.latest_value is None:
            return "No figure yet"
        stale = " (stale)" if record.stale else ""
        return f"{format_value(record.latest_value, record.measure.unit)}, {record.latest_month:%b %Y}{stale}"

    def value_latest(self, record):
        return self.render_latest(record)

    def render_rag(self, record):
        return render_to_string("measures/includes/_rag_with_reason.html", {"result": record.rag})

    def value_rag(self, record):
        return record.rag.reason

    def render_direction(self, record):
        return "Higher" if record.measure.direction == "higher" else "Lower"
