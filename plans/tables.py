import django_tables2 as tables
from django.template.loader import render_to_string


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

    def render_owners(self, record):
        return "; ".join(record.owners)

    value_owners = render_owners

    def value_priority(self, value):
        return value

    def value_deadline(self, record):
        action = record.action
        if action.revised_deadline:
            return f"{action.revised_deadline_label} (revised from {action.deadline_label})"
        return action.deadline_label

    def render_deadline(self, record):
        return render_to_string("includes/_deadline.html", {"action": record.action})

    def render_priority(self, value):
        return value if len(value) <= 160 else value[:157].rstrip() + "…"
