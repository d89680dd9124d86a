from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from measures.filters import MeasureFilter
from measures.models import Measure
from measures.tables import MeasureTable
from plans.views import PlanMixin


class MeasureListView(PlanMixin, SingleTableMixin, FilterView):
    template_name = "measures/measure_list.html"
    table_class = MeasureTable
    filterset_class = MeasureFilter
    table_pagination = {"per_page": 100}

    def get_queryset(self):
        return self.plan.measures.for_list()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "plan": self.plan}


class MeasureDetailView(PlanMixin, DetailView):
    template_name = "measures/measure_detail.html"
    context_object_name = "measure"

    def get_object(self):
        measures = Measure.objects.select_related("plan").prefetch_related(
            "placements__objective__lead_post", "placements__objective__plan"
        )
        return get_object_or_404(measures, plan=self.plan, code=self.kwargs["code"])
