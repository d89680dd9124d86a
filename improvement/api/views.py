"""The read API: plans, objectives, actions, measures and monthly figures, as at any date.

Every list answers from the same readers as the dashboard (governance.dashboard), so a figure here
equals the figure on the dashboard for the same as-at date. Each request makes a fixed number of
queries whatever the page size: rows are fetched per page, never per row.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.core.validators import slug_re
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import timezone
from django.views import defaults

from governance.dashboard import (
    BRAG_ORDER,
    RAG_ORDER,
    action_rows_as_at,
    actions_of,
    figure_rows_as_at,
    figures_of,
    latest_updates,
    owners_as_at,
    overrides_as_at,
    set_measure_states,
    slow_reasons,
    with_states,
)
from improvement.api.auth import ApiError, api_view
from measures.models import Measure, MeasurePlacement
from plans.bounds import EARLIEST_DATE
from plans.models import Objective, Plan

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Query:
    """The query string every list shares, checked: bad values are a 400 naming the parameter."""

    def __init__(self, request):
        self.request = request
        today = timezone.localdate()
        self.as_at = min(self.date("as_at") or today, today)
        self.page = self.integer("page", 1, minimum=1)
        self.page_size = self.integer("page_size", PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE)
        self.plan = self.find_plan()
        self.objective_number = self.integer("objective", None, minimum=1)
        self.objectives = self.find_objectives()

    def date(self, name):
        value = self.request.GET.get(name, "")
        if not value:
            return None
        try:
            chosen = datetime.date.fromisoformat(value)
        except ValueError:
            raise ApiError(400, f"{name}: “{value}” is not a date; use YYYY-MM-DD.") from None
        if chosen < EARLIEST_DATE:
            raise ApiError(400, f"{name}: “{value}” is too far back; use a date from {EARLIEST_DATE} on.")
        return chosen

    def integer(self, name, default, minimum, maximum=None):
        value = self.request.GET.get(name, "")
        if not value:
            return default
        if not value.isascii() or not value.isdigit() or int(value) < minimum or (maximum and int(value) > maximum):
            upper = f" and at most {maximum}" if maximum else ""
            raise ApiError(400, f"{name}: “{value}” is not a whole number of at least {minimum}{upper}.")
        return int(value)

    def find_plan(self):
        slug = self.request.GET.get("plan", "")
        if not slug:
            return None
        plan = Plan.objects.filter(slug=slug).first() if slug_re.match(slug) else None
        if plan is None:
            raise ApiError(404, f"plan: there is no plan “{slug}”.")
        return plan

    def find_objectives(self):
        """The objectives asked for: by number within the plan, or that number in every plan."""
        objectives = Objective.objects.select_related("plan", "lead_post").order_by("plan__slug", "number")
        if self.plan:
            objectives = objectives.filter(plan=self.plan)
        number = self.objective_number
        if number is not None:
            objectives = objectives.filter(number=number)
            if not objectives.exists():
                where = f"plan “{self.plan.slug}” has no" if self.plan else "no plan has an"
                raise ApiError(404, f"objective: {where} objective {number}.")
        return objectives

    def measures(self):
        measures = Measure.objects.select_related("plan").order_by("plan__slug", "code")
        if self.objective_number is not None:
            return measures.filter(placements__objective__in=self.objectives).distinct()
        if self.plan:
            return measures.filter(plan=self.plan)
        return measures

    def page_of(self, rows):
        """The requested page of a queryset, and the envelope that goes round it."""
        count = rows.count()
        last = max((count + self.page_size - 1) // self.page_size, 1)
        if self.page > last:
            raise ApiError(404, f"page: there are {last} pages of {self.page_size}.")
        start = (self.page - 1) * self.page_size
        items = list(rows[start : start + self.page_size])
        envelope = {
            "count": count,
            "page": self.page,
            "page_size": self.page_size,
            "next": self.link(self.page + 1) if self.page < last else None,
            "previous": self.link(self.page - 1) if self.page > 1 else None,
            "as_at": self.as_at.isoformat(),
        }
        return items, envelope

    def link(self, page):
        query = self.request.GET.copy()
        query["page"] = page
        return f"{self.request.build_absolute_uri(self.request.path)}?{query.urlencode()}"

    def url(self, obj):
        return self.request.build_absolute_uri(obj.get_absolute_url())


def number(value):
    return float(value) if isinstance(value, Decimal) else value


def day(value):
    return value.isoformat() if value else None


def respond(envelope, results):
    return JsonResponse({**envelope, "results": results}, json_dumps_params={"ensure_ascii": False})


@api_view
def plans(request):
    query = Query(request)
    rows, envelope = query.page_of(Plan.objects.order_by("slug"))
    return respond(
        envelope,
        [
            {
                "slug": plan.slug,
                "title": plan.title,
                "organisation": plan.organisation,
                "kind": plan.kind,
                "published": day(plan.published),
                "delivery_deadline": day(plan.delivery_deadline),
                "url": query.url(plan),
            }
            for plan in rows
        ],
    )


@api_view
def objectives(request):
    query = Query(request)
    page, envelope = query.page_of(query.objectives)
    actions = actions_of(page, query.as_at, owners=False)
    measures = list(
        Measure.objects.filter(placements__objective__in=page).distinct().prefetch_related("placements")
    )
    figures = figures_of(query.as_at, last=2, measure__in=measures)
    set_measure_states(measures, figures, overrides_as_at(query.as_at, measure__in=measures), query.as_at)
    actions_by_objective, measures_by_objective = {}, {}
    for action in actions:
        actions_by_objective.setdefault(action.objective_id, []).append(action)
    for measure in measures:
        for placement in measure.placements.all():
            measures_by_objective.setdefault(placement.objective_id, []).append(measure)
    results = []
    for objective in page:
        its_actions = actions_by_objective.get(objective.pk, [])
        its_measures = measures_by_objective.get(objective.pk, [])
        brag = Counter(action.state.brag for action in its_actions)
        rag = Counter(measure.rag_state.rag for measure in its_measures)
        reasons = slow_reasons(its_actions, its_measures, query.as_at)
        results.append(
            {
                "plan": objective.plan.slug,
                "number": objective.number,
                "name": objective.name,
                "lead_post": objective.lead_post.name if objective.lead_post else None,
                "actions": len(its_actions),
                "actions_by_brag": {state.value: brag[state] for state in BRAG_ORDER},
                "measures": len(its_measures),
                "measures_by_rag": {state.value: rag[state] for state in RAG_ORDER},
                "slow_to_progress": bool(reasons),
                "slow_reasons": reasons,
                "url": query.url(objective),
            }
        )
    return respond(envelope, results)


@api_view
def actions(request):
    query = Query(request)
    objectives = {objective.pk: objective for objective in query.objectives}
    rows = action_rows_as_at(query.as_at, objective__in=objectives).order_by("objective__plan__slug", "sort_key")
    page, envelope = query.page_of(rows)
    page = with_states(page, objectives, query.as_at)
    ids = [action.pk for action in page]
    owners = owners_as_at(ids, query.as_at)
    latest = latest_updates(ids, query.as_at)
    return respond(envelope, [action_json(action, owners, latest, query) for action in page])


def action_json(action, owners, latest, query):
    update = latest.get(action.pk)
    return {
        "plan": action.objective.plan.slug,
        "objective": action.objective.number,
        "ref": action.ref,
        "key": action.key,
        "title": action.title,
        "priority": action.priority,
        "status": action.status,
        "brag": action.state.brag.value,
        "brag_label": action.state.label,
        "deadline": day(action.deadline),
        "deadline_note": action.deadline_note,
        "revised_deadline": day(action.revised_deadline),
        "due_date": day(action.due_date),
        "overdue": action.is_overdue(query.as_at),
        "update_due": action.update_is_due(query.as_at),
        "owners": owners.get(action.pk, []),
        "latest_update": {
            "date": update.created_at.date().isoformat(),
            "status": update.status,
            "commentary": update.commentary,
            "evidence_of_impact": update.evidence_of_impact,
            "next_steps": update.next_steps,
        }
        if update
        else None,
        "url": query.url(action),
    }


@api_view
def measures(request):
    query = Query(request)
    rows = query.measures().prefetch_related(
        Prefetch("placements", MeasurePlacement.objects.select_related("objective").order_by("objective__number"))
    )
    page, envelope = query.page_of(rows)
    figures = figures_of(query.as_at, last=2, measure__in=page)
    set_measure_states(page, figures, overrides_as_at(query.as_at, measure__in=page), query.as_at)
    return respond(
        envelope,
        [
            {
                "plan": measure.plan.slug,
                "code": measure.code,
                "name": measure.name,
                "group": measure.group,
                "objectives": [placement.objective.number for placement in measure.placements.all()],
                "unit": measure.unit,
                "direction": measure.direction,
                "baseline": number(measure.baseline_value),
                "baseline_text": measure.baseline_text,
                "baseline_period": measure.baseline_period,
                "target": number(measure.target_value),
                "target_text": measure.target_text,
                "latest_month": day(measure.latest_month),
                "latest_value": number(measure.latest_value),
                "previous_value": number(measure.previous_value),
                "rag": measure.rag_state.rag.value,
                "rag_reason": measure.rag_state.reason,
                "rag_overridden": bool(measure.override_rag),
                "stale": measure.stale,
                "url": query.url(measure),
            }
            for measure in page
        ],
    )


@api_view
def figures(request):
    query = Query(request)
    code = request.GET.get("measure", "")
    filters = {}
    if code:
        filters["measure__in"] = query.measures().filter(code=code)
        if not slug_re.match(code) or not filters["measure__in"].exists():
            raise ApiError(404, f"measure: no measure “{code}” in the plans and objectives asked for.")
    else:
        filters["measure__in"] = query.measures()
    rows = figure_rows_as_at(query.as_at, **filters).select_related("measure__plan")
    page, envelope = query.page_of(rows.order_by("measure__plan__slug", "measure__code", "month"))
    return respond(
        envelope,
        [
            {
                "plan": figure.measure.plan.slug,
                "measure": figure.measure.code,
                "month": day(figure.month),
                "value": number(figure.value),
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "note": figure.note,
            }
            for figure in page
        ],
    )


def server_error(request):
    """The site's error page, except under /api/, whose clients read JSON whatever goes wrong."""
    if request.path.startswith("/api/"):
        message = "Something went wrong on our side: try again later, and tell the performance team if it goes on."
        return JsonResponse({"error": message}, status=500)
    return defaults.server_error(request)
