import django_tables2 as tables

from plans.models import Action


class ActionTable(tables.Table):
    ref = tables.Column(linkify=True, verbose_name="Ref", order_by=("sort_key",))
    priority = tables.Column(verbose_name="What we will do")
    objective = tables.Column(
        accessor="objective__name", verbose_name="Objective", order_by=("objective__number", "sort_key")
    )
    deadline = tables.Column(verbose_name="By when")
    owners = tables.ManyToManyColumn(verbose_name="Officer(s) responsible", orderable=False, separator="; ")

    class Meta:
        model = Action
        fields = ("ref", "priority", "objective", "deadline", "owners")
        order_by = ("ref",)

    def render_deadline(self, record):
        return record.deadline_label

    def render_priority(self, value):
        return value if len(value) <= 160 else value[:157].rstrip() + "…"
