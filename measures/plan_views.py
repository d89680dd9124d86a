"""A plan's pages that show its measures beside its actions: an objective's page and an action's page.

They keep their plans: URL names and /plans/ paths (improvement/urls.py adds them to the plans namespace).
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView
from django_tables2 import RequestConfig

from measures.as_at import measures_at
from measures.charts import objective_trends
from measures.models import Measure
from measures.tables import MeasureTable
from plans.as_at import actions_at
from plans.models import Action, DeadlineRevision, Objective
from plans.roles import can_update_action
from plans.tables import ActionTable
from plans.versions import action_across_versions
from plans.views import PlanMixin


class ObjectiveDetailView(PlanMixin, DetailView):
    template_name = "plans/objective_detail.html"
    context_object_name = "objective"

    def get_object(self):
        objectives = Objective.objects.select_related("lead_post", "plan").prefetch_related(
            "sub_objectives", "areas", "success_indicators"
        )
        return get_object_or_404(objectives, plan=self.plan, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        actions = ActionTable(actions_at([self.object], today), prefix="actions-", exclude=["objective"])
        objective_measures = measures_at(
            Measure.objects.filter(placements__objective=self.object).select_related("plan").order_by(
                "placements__order"
            ),
            today,
        )
        measures = MeasureTable(objective_measures, prefix="measures-", exclude=["objectives"])
        config = RequestConfig(self.request, paginate=False)
        config.configure(actions)
        config.configure(measures)
        return super().get_context_data(
            actions_table=actions, measures_table=measures, trends=objective_trends(objective_measures), **kwargs
        )


class ActionDetailView(PlanMixin, DetailView):
    template_name = "plans/action_detail.html"
    context_object_name = "action"

    def get_object(self):
        actions = Action.objects.select_related("objective__lead_post", "objective__plan").prefetch_related(
            "owners", "objective__areas", Prefetch("objective__measures", Measure.objects.select_related("plan"))
        )
        return get_object_or_404(actions.by_key(self.kwargs["key"]), objective__plan=self.plan)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            brag_state=self.object.brag(today),
            update_due=self.object.update_is_due(today),
            can_update=can_update_action(self.request.user, self.object),
            updates=self.object.updates.timeline(),
            pending_revisions=self.object.deadline_revisions.filter(decision=DeadlineRevision.Decision.PENDING),
            in_versions=action_across_versions(self.object),
            **kwargs,
        )
