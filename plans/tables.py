import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone

from plans.models import Action


class ActionTable(tables.Table):
    ref = tables.Column(
        accessor="label", linkify=lambda record: record.get_absolute_url(), verbose_name="Ref", order_by=("sort_key",)
    )
    priority = tables.Column(verbose_name="What we will do")
    objective = tables.Column(
        accessor="objective__name", verbose_name="Objective", order_by=("objective__number", "sort_key")
    )
    status = tables.Column(verbose_name="Status")
    deadline = tables.Column(verbose_name="By when", order_by=("deadline", "sort_key"))
    owners = tables.Column(verbose_name="Officer(s) responsible", orderable=False, empty_values=())

    class Meta:
        model = Action
        fields = ("ref", "priority", "objective", "status", "deadline", "owners")
        order_by = ("ref",)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_status(self, record):
        return render_to_string("includes/_brag.html", {"state": record.brag(self.today)})

    def value_status(self, record):
        return record.brag(self.today).label

    def render_owners(self, record):
        return "; ".join(record.owner_posts)

    value_owners = render_owners

    def value_priority(self, value):
        return value

    def value_deadline(self, record):
        if record.revised_deadline:
            return f"{record.revised_deadline_label} (revised from {record.deadline_label})"
        return record.deadline_label

    def render_deadline(self, record):
        return render_to_string("includes/_deadline.html", {"action": record})

    def render_priority(self, value):
        return value if len(value) <= 160 else value[:157].rstrip() + "…"
