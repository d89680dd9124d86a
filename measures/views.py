from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from measures.as_at import measures_at
from measures.charts import measure_chart
from measures.corrections import deleted_figures, figure_corrections
from measures.filters import MeasureFilter
from measures.forms import RagOverrideForm
from measures.models import Measure, RagOverride
from measures.tables import MeasureTable
from plans.editing import Change, Stale
from plans.exports import TableExportMixin
from plans.pagination import BoundedPaginationMixin
from plans.roles import is_admin
from plans.views import AsAtMixin, PlanMixin


class MeasureListView(PlanMixin, BoundedPaginationMixin, AsAtMixin, TableExportMixin, SingleTableMixin, FilterView):
    template_name = "measures/measure_list.html"
    table_class = MeasureTable
    filterset_class = MeasureFilter
    table_pagination = {"per_page": 100}
    export_name = "measures"

    def get_queryset(self):
        return self.plan.measures.select_related("plan")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "plan": self.plan}

    def get_table_kwargs(self):
        return {"objectives": dict(self.plan.objectives.values_list("pk", "name"))}

    def get_table_data(self):
        """The filtered measures as they stood on the as-at date, with their figures up to it, then the RAG filter."""
        rows = measures_at(self.object_list.select_related("plan").order_by("code"), self.as_at, self.known)
        rag = self.filterset.form.cleaned_data.get("rag") if self.filterset.is_valid() else None
        if rag:
            rows = [state for state in rows if state.rag.rag == rag]
        return rows


def override_seen(override) -> str:
    """The version of a month's override a page shows: when it was last set ("" for none)."""
    return override.set_at.isoformat() if override else ""


@transaction.atomic
def set_override(*, measure, month, seen: str, user, rag, reason) -> RagOverride:
    """Set the month's override unless another admin set it since the page showed `seen` (Stale: plans/editing.py)."""
    # The measure's row lock queues two admins overriding it at once (SQLite: the IMMEDIATE transaction does).
    Measure.objects.select_for_update().filter(pk=measure.pk).exists()
    override = RagOverride.objects.filter(measure=measure, month=month).select_related("set_by").first()
    if override_seen(override) != seen:
        by = (override.set_by.get_full_name() or override.set_by.get_username()) if override else ""
        changes = [Change("RAG", "", override.get_rag_display(), by, override.set_at),
                   Change("Reason", "", override.reason, by, override.set_at)] if override else []
        raise Stale(override, changes)
    override = override or RagOverride(measure=measure, month=month)
    override.rag, override.reason, override.set_by = rag, reason, user
    override.save()
    return override


class MeasureDetailView(PlanMixin, DetailView):
    template_name = "measures/measure_detail.html"
    context_object_name = "measure"

    @cached_property
    def measure(self):
        measures = Measure.objects.select_related("plan").prefetch_related(
            "placements__objective__lead_post", "placements__objective__plan"
        )
        return get_object_or_404(measures, plan=self.plan, code=self.kwargs["code"])

    def get_object(self):
        return self.measure

    def post(self, request, *args, **kwargs):
        """An admin overrides the RAG of the latest month, with a reason."""
        if not is_admin(request.user):
            raise PermissionDenied("Only admins can override a RAG.")
        self.object = self.measure
        form = RagOverrideForm(request.POST, offered_month=self.state.latest_month)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(override_form=form))
        month = form.cleaned_data["month"]
        try:
            override = set_override(
                measure=self.object, month=month, seen=form.cleaned_data["seen"], user=request.user,
                rag=form.cleaned_data["rag"], reason=form.cleaned_data["reason"],
            )
        except Stale as stale:
            # Keep what they typed and show the other admin's override; saving again replaces it knowingly.
            form.data = form.data.copy()
            form.data["seen"] = override_seen(stale.record)
            form.add_error(None, f"{stale.by} overrode the RAG for {month:%B %Y} while you were writing, so yours was "
                                 "not saved. Theirs is shown below and your reason is kept: check it and save again.")
            context = self.get_context_data(override_form=form, conflict=stale)
            return self.render_to_response(context, status=409)
        messages.success(request, f"RAG for {month:%B %Y} overridden: {override.get_rag_display()}.")
        return redirect(self.object)

    @cached_property
    def state(self):
        """The measure today, through the one core (measures.as_at): its latest figure, override, RAG, staleness."""
        return measures_at([self.measure], timezone.localdate())[0]

    def get_context_data(self, **kwargs):
        measure, state = self.object, self.state
        figures = list(state.figures)
        overrides = {override.month: override for override in measure.rag_overrides.select_related("set_by")}
        rows = [
            (figure, measure.rag_for(figure.value, figures[i - 1].value if i else None), overrides.get(figure.month))
            for i, figure in enumerate(figures)
        ]
        corrections = figure_corrections(measure)
        for figure in figures:
            figure.correction = corrections.get(figure.pk)
        latest_month = state.latest_month
        if "override_form" not in kwargs and latest_month:
            kwargs["override_form"] = RagOverrideForm(
                initial={"month": latest_month, "seen": override_seen(overrides.get(latest_month))},
                offered_month=latest_month,
            )
        return super().get_context_data(
            rows=list(reversed(rows)),
            latest_rag=state.rag,
            latest_month=latest_month,
            stale=state.stale,
            chart=measure_chart(measure, figures, state.rag),
            can_override=is_admin(self.request.user),
            deleted_figures=deleted_figures(measure, {figure.month for figure in figures}),
            **kwargs,
        )
