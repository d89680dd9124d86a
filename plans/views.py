from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from plans.as_at import Known, actions_at, never_after_today
from plans.bounds import EARLIEST_DATE
from plans.exports import TableExportMixin
from plans.filters import ActionFilter
from plans.models import Action, Plan, Status
from plans.pagination import BoundedPaginationMixin
from plans.tables import ActionTable


class PlanMixin:
    """Views under /plans/<slug>/: fetch the plan once and offer it to the template."""

    @cached_property
    def plan(self):
        return get_object_or_404(Plan, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class AsAtMixin:
    """List views whose filter has an `as_at` date: rows as they stood then (what we know now about it, or with
    `known=then` what had been recorded by it), never after today."""

    @cached_property
    def as_at(self):
        chosen = self.filterset.form.cleaned_data.get("as_at") if self.filterset.is_valid() else None
        if chosen and chosen < EARLIEST_DATE:
            messages.error(self.request, f"As at {chosen.isoformat()} is too far back: showing today instead.")
            chosen = None
        return never_after_today(chosen or timezone.localdate())

    @cached_property
    def known(self):
        return Known.parse(self.request.GET.get("known"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            as_at=self.as_at, known=self.known, is_today=self.as_at == timezone.localdate(), **kwargs
        )


class PlanDetailView(PlanMixin, TemplateView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            objectives=self.plan.objectives.with_counts().select_related("lead_post"),
            judgements=self.plan.judgements.all(),
            areas=self.plan.areas.all(),
            action_count=Action.objects.for_plan(self.plan).count(),
            measure_count=self.plan.measures.count(),
            **kwargs,
        )


class ActionListView(PlanMixin, BoundedPaginationMixin, AsAtMixin, TableExportMixin, SingleTableMixin, FilterView):
    template_name = "plans/action_list.html"
    table_class = ActionTable
    filterset_class = ActionFilter
    table_pagination = {"per_page": 100}

    def get_queryset(self):
        return Action.objects.for_plan(self.plan).for_list()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "plan": self.plan}

    def get_table_data(self):
        """The actions as they stood on the as-at date, each chosen first and then filtered on its values then
        (deadline, owner, status); only the words searched and the objective are matched on today's rows."""
        wanted = set(self.object_list.values_list("pk", flat=True))
        objectives = self.plan.objectives.select_related("plan")
        rows = [state for state in actions_at(objectives, self.as_at, self.known) if state.pk in wanted]
        chosen = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        if chosen.get("owner"):
            rows = [state for state in rows if chosen["owner"].name in state.owners]
        if chosen.get("deadline_from"):
            rows = [
                state for state in rows if state.action.deadline and state.action.deadline >= chosen["deadline_from"]
            ]
        if chosen.get("deadline_to"):
            rows = [state for state in rows if state.action.deadline and state.action.deadline <= chosen["deadline_to"]]
        if chosen.get("brag"):
            rows = [state for state in rows if state.brag.brag == chosen["brag"]]
        if chosen.get("overdue"):
            rows = [state for state in rows if state.overdue]
        if chosen.get("update_due"):
            rows = [state for state in rows if state.update_due]
        return rows

    def get_export_name(self):
        return f"actions as at {self.as_at:%Y-%m-%d}"


class AreaListView(PlanMixin, ListView):
    template_name = "plans/area_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        areas = list(self.plan.areas.with_answers())
        for area in areas:
            area.answers = area.answering_actions()
            area.complete = sum(1 for action in area.answers if action.status == Status.COMPLETE)
            # Linked to the area by a person apart from only sharing an objective that answers it.
            area.direct = list(area.actions.all())
            area.shared_only = [action for action in area.answers if action not in area.direct]
        return areas

    def get_context_data(self, **kwargs):
        unanswered = [area for area in self.object_list if not area.answers]
        undirected = [area for area in self.object_list if area.answers and not area.direct]
        return super().get_context_data(unanswered=unanswered, undirected=undirected, **kwargs)
