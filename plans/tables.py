import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html


class ActionTable(tables.Table):
    """Actions as they stood on a day: rows are plans.as_at.ActionState."""

    ref = tables.Column(
        accessor="action__label", linkify=lambda record: record.get_absolute_url(), verbose_name="Ref",
        order_by=("action__sort_key",),
    )
    priority = tables.Column(accessor="action__priority", verbose_name="What we will do")
    objective = tables.Column(
        accessor="action__objective__name", verbose_name="Objective",
        order_by=("action__objective__number", "action__sort_key"),
    )
    status = tables.Column(accessor="brag", verbose_name="Status", order_by=("brag__brag", "action__sort_key"))
    deadline = tables.Column(
        accessor="action__deadline", verbose_name="By when", order_by=("action__deadline", "action__sort_key")
    )
    owners = tables.Column(verbose_name="Officer(s) responsible", orderable=False, empty_values=())

    class Meta:
        order_by = ("ref",)

    def render_status(self, record):
        return render_to_string("includes/_brag.html", {"state": record.brag})

    def value_status(self, record):
        return record.brag.label

    def value_owners(self, record):
        owners = "; ".join(record.owners)
        inferred = record.action.inferred_owners
        return f"{owners} ({inferred})" if inferred and owners else owners

    def render_owners(self, record):
        inferred = record.action.inferred_owners
        if not inferred or not record.owners:
            return "; ".join(record.owners)
        return format_html(
            '{} <span class="govuk-hint app-hint--inline app-inferred">({})</span>', "; ".join(record.owners), inferred
        )

    def value_priority(self, value):
        return value

    def value_deadline(self, record):
        action = record.action
        if action.revised_deadline:
            return f"{action.revised_deadline_label} (revised from {action.deadline_label})"
        if action.inferred_deadline and action.deadline:
            return f"{action.deadline_label} ({action.inferred_deadline})"
        return action.deadline_label

    def render_deadline(self, record):
        return render_to_string("includes/_deadline.html", {"action": record.action})

    def render_priority(self, value):
        return value if len(value) <= 160 else value[:157].rstrip() + "…"
